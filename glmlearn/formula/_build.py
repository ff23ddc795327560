"""A :class:`~glmlearn.problem.GLMProblem` from a formula and a DataFrame, R's way.

The steps are R's ``model.frame`` then ``model.matrix``:

1. take the formula apart (``_parse.py``) and check that every variable it names is a
   column of the data;
2. leave out the rows with a missing value in any variable used, weights and offset
   included (R's ``na.omit``, with a notice), or refuse them (``na_action="raise"``);
3. make text, boolean and categorical columns factors, unused levels dropped
   (``_frame.py``);
4. let formulaic build X with treatment contrasts, the first level the reference, and
   without an intercept all levels of the first factor (as R does);
5. name the columns and terms as R does (``outcome2``, ``sexM:ldose``) and validate it all
   with :func:`~glmlearn.problem.make_problem`, as an array fit is.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

import numpy as np

from .._inputs import BINARY_WORDS
from ..errors import GLMInputError
from ..family import Family, get_family
from ..problem import GLMProblem, Term, make_problem
from ._design import FormulaDesign, evaluate, exposure_log, formulaic, formulaic_error, r_names
from ._frame import as_factor, as_frame, check_columns, is_factor, levels_of, omit_missing
from ._parse import ParsedFormula, _calls, is_name, parse_formula

NaAction = Literal["omit", "raise"]


def _variables(expr: str, formula: str) -> set[str]:
    """The data columns an expression of the formula uses."""
    if is_name(expr):
        return {expr}
    try:
        return set(formulaic().Formula(expr if "~" in expr else f"0 + I({expr})")
                   .required_variables)
    except Exception as exc:  # (formulaic's errors have no common public base)
        raise formulaic_error(exc, formula) from exc


def _rhs_variables(parsed: ParsedFormula) -> set[str]:
    try:
        return set(formulaic().Formula(parsed.rhs).required_variables)
    except Exception as exc:  # (formulaic's errors have no common public base)
        raise formulaic_error(exc, parsed.text) from exc


def _dotted(names: set[str], df: Any, text: str) -> set[str]:
    """R allows dots in names (``M.user``); formulaic reads ``M.user`` as ``M`` and an
    attribute: put back the data column whose dotted name the formula writes."""
    out = set()
    for v in names:
        if v not in df.columns:
            dotted = [str(c) for c in df.columns
                      if str(c).startswith(v + ".") and str(c) in text]
            if dotted:
                out.add(max(dotted, key=len))
                continue
        out.add(v)
    return out


def _c_only(parsed: ParsedFormula, rhs_vars: set[str]) -> list[str]:
    """Numeric columns used only inside ``C()``/``factor()``: made factors here, so their
    levels are kept for new data and an unknown one is refused by name."""
    inner = {c[2].strip() for c in _calls(parsed.rhs, "C")}
    names = [v for v in inner if is_name(v) and v in rhs_vars]
    if not names:
        return []
    masked = parsed.rhs
    for v in names:
        masked = masked.replace(f"C({v})", "glmlearn_c_placeholder")
    others = set(formulaic().Formula(masked).required_variables)
    return [v for v in names if v not in others]


def _response(parsed: ParsedFormula, frame: Any, fam: Family) -> Any:
    """The response as make_problem takes it: a vector, or (successes, failures)."""
    if len(parsed.response) == 2:
        if fam.name != "binomial":
            raise GLMInputError(
                f"formula: the response {parsed.text.partition('~')[0].strip()!r} has two "
                f"columns (successes, failures), which only the binomial family takes, not "
                f"{fam.name}")
        cols = [evaluate(e, frame, "formula") for e in parsed.response]
        return np.column_stack(cols)
    expr = parsed.response[0]
    if expr not in frame.columns:
        return evaluate(expr, frame, "formula")
    col = frame[expr]
    if not is_factor(col):
        return col
    if fam.name != "binomial":
        raise GLMInputError(
            f"formula: the response {expr!r} is a factor ({col.dtype}); the {fam.name} family "
            "needs numbers (only binomial takes a two-level factor, yes/no or True/False)")
    if col.dtype.name == "category":
        # R's binomial(): the first level is failure, every other level success
        first = levels_of(col)[0]
        return (col.astype(object) != first).astype(float).rename(expr)
    if col.dtype.kind == "b" or col.dtype.name == "boolean":
        return col.astype(float)
    values = [str(v) for v in col.dropna().unique().tolist()]
    other = [v for v in values if v.strip().lower() not in BINARY_WORDS]
    if other:
        words = sorted(values)
        raise GLMInputError(
            f"formula: the binomial response {expr!r} holds text ({', '.join(map(repr, words[:4]))}"
            f"{', ...' if len(words) > 4 else ''}), not yes/no or true/false; make the "
            f"column categorical (its first category is failure, as for R's factor "
            f"response), or write the event as a condition: "
            f"'I({expr} == {words[-1]!r}) ~ {parsed.text.partition('~')[2].strip()}'")
    return col  # (yes/no, true/false: make_problem reads the words as 1/0)


def _design(parsed: ParsedFormula, frame: Any, rhs_vars: set[str], response_vars: set[str]
            ) -> tuple[Any, tuple[str, ...], tuple[Term, ...], Any, dict[str, tuple[Any, ...]]]:
    """X of the right-hand side on the model frame (factors made in place), R's names, the
    terms, formulaic's spec and the factor levels."""
    levels: dict[str, tuple[Any, ...]] = {}
    c_only = _c_only(parsed, rhs_vars)
    for var in [*sorted(rhs_vars), *c_only]:
        if var in levels or var in response_vars:
            continue
        if is_factor(frame[var]) or var in c_only:
            levels[var] = levels_of(frame[var])
            frame[var] = as_factor(frame[var], levels[var], var)
    try:
        # log(0) is -inf as in R, without numpy's warning: the design's finiteness check
        # then names the column and the row.
        with np.errstate(all="ignore"):
            mm = formulaic().model_matrix(parsed.rhs, frame, ensure_full_rank=True,
                                          na_action="raise")
    except Exception as exc:  # (formulaic's errors have no common public base)
        raise formulaic_error(exc, parsed.text) from exc
    spec = mm.model_spec
    names, labels = r_names(spec, parsed.factor_calls)
    terms = tuple(Term(labels[t], tuple(range(s.start, s.stop)))
                  for t, s in spec.term_slices.items())
    return np.asarray(mm, dtype=float), names, terms, spec, levels


def design_matrix(rhs: str, data: Any) -> tuple[Any, tuple[str, ...], tuple[Term, ...]]:
    """X of a right-hand side (``"dose + sex"``, ``"outcome - 1"``) on ``data`` with R's
    conventions, its column names and terms; the data must have no missing values."""
    parsed = parse_formula(f"y ~ {rhs}")
    frame = as_frame(data).copy()
    rhs_vars = _dotted(_rhs_variables(parsed), frame, parsed.rhs)
    check_columns(frame, sorted(rhs_vars), "formula")
    X, names, terms, _, _ = _design(parsed, frame, rhs_vars, set())
    return X, names, terms


def _extra(arg: str, value: Any, frame_len: int) -> Any:
    """An array argument (weights, offset, exposure) checked for length."""
    a = np.asarray(value, dtype=float)
    if a.ndim != 1 or a.shape[0] != frame_len:
        raise GLMInputError(f"{arg}: expected one value per row of data ({frame_len}), got "
                            f"shape {a.shape}; or give the name of a column")
    return a


def formula_problem(
    formula: str,
    data: Any,
    family: Family | str = "gaussian",
    *,
    link: Any = None,
    weights: Any = None,
    offset: Any = None,
    exposure: Any = None,
    na_action: NaAction = "omit",
) -> GLMProblem:
    """Build the :class:`~glmlearn.problem.GLMProblem` of ``formula`` on ``data``.

    Parameters
    ----------
    formula : str
        An R formula: ``"counts ~ outcome + treatment"``, ``"p ~ sex * ldose"``,
        ``"cbind(killed, survived) ~ dose"``, ``"y ~ x + I(x^2) - 1"``,
        ``"incidents ~ type + offset(log(service))"``.
    data : DataFrame or dict of columns
    family, link
        A family (name or :class:`~glmlearn.family.Family`) and optionally a link name.
    weights, offset, exposure : array or str, optional
        Arrays (one value per row of ``data``) or column names; ``offset`` may also be an
        expression such as ``"log(service)"``. The log of ``exposure`` is added to the
        offset (log link only).
    na_action : {"omit", "raise"}
        R's ``na.omit`` (rows with a missing value in any variable used are left out, with
        a :class:`~glmlearn.errors.MissingValuesNotice`), or an error.

    Returns
    -------
    GLMProblem
        With :attr:`~glmlearn.problem.GLMProblem.terms` (R's term labels and the columns
        each owns) and ``design`` (a :class:`FormulaDesign`, for new data).
    """
    if na_action not in ("omit", "raise"):
        raise GLMInputError(f"na_action: must be 'omit' or 'raise', got {na_action!r}")
    fam = get_family(family, link)
    parsed = parse_formula(formula)
    df = as_frame(data)
    if len(df) == 0:
        raise GLMInputError("data: has no rows")

    rhs_vars = _dotted(_rhs_variables(parsed), df, parsed.rhs)
    check_columns(df, sorted(rhs_vars), "formula")
    response_vars: set[str] = set()
    for expr in parsed.response:
        response_vars |= _dotted(_variables(expr, formula), df, expr)
    check_columns(df, sorted(response_vars), "formula (response)")

    offsets = list(parsed.offsets)
    extras: dict[str, Any] = {}
    named: set[str] = set()
    for arg, value in (("weights", weights), ("offset", offset), ("exposure", exposure)):
        if value is None:
            continue
        if isinstance(value, str):
            cols = _dotted(_variables(value, value), df, value)
            check_columns(df, sorted(cols), arg)
            named |= cols
            if arg == "offset":
                offsets.append(value)
        else:
            extras[arg] = _extra(arg, value, len(df))
    for expr in parsed.offsets:
        cols = _dotted(_variables(expr, formula), df, expr)
        check_columns(df, sorted(cols), "formula (offset)")
        named |= cols
    if exposure is not None and fam.link.name != "log":
        raise GLMInputError(f"exposure: needs the log link (log(exposure) is added to the "
                            f"offset), but the link is {fam.link.name}; pass offset= instead")

    used = [c for c in df.columns if c in rhs_vars | response_vars | named]
    keep, omitted, notice = omit_missing(df[used], extras, na_action)
    frame = df.loc[keep, used].copy() if notice else df[used].copy()
    if len(frame) == 0:
        raise GLMInputError("data: every row has a missing value in a variable the formula "
                            "uses; nothing is left to fit")
    extras = {k: v[np.asarray(keep)] for k, v in extras.items()}

    X, names, terms, spec, levels = _design(parsed, frame, rhs_vars, response_vars)
    has_intercept = any(t.name == "(Intercept)" for t in terms)

    off = None
    for expr in offsets:
        o = evaluate(expr, frame, "offset")
        off = o if off is None else off + o
    if "offset" in extras:
        off = extras["offset"] if off is None else off + extras["offset"]
    if exposure is not None:
        e = exposure_log(frame[exposure].to_numpy(float) if isinstance(exposure, str)
                         else extras["exposure"], exposure if isinstance(exposure, str)
                         else "exposure")
        off = e if off is None else off + e
    w = frame[weights].to_numpy(float) if isinstance(weights, str) else extras.get("weights")

    problem = make_problem(X, _response(parsed, frame, fam), fam,
                           weights=w, offset=off, column_names=names,
                           response_name=formula.partition("~")[0].strip(),
                           intercept=has_intercept)
    design = FormulaDesign(
        formula=formula, model_spec=spec,
        variables=tuple(v for v in used if v in rhs_vars or v in named),
        levels=levels, offsets=tuple(offsets),
        exposure=exposure if isinstance(exposure, str) else None,
        offset_array=any(k in extras for k in ("offset", "exposure")),
        index=frame.index, omitted=omitted)
    return replace(problem, terms=terms, design=design,
                   troubles=((notice,) if notice else ()) + problem.troubles)
