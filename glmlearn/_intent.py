"""What a learner meant: inputs that are not errors of the data but of intent.

:func:`glmlearn.problem.make_problem` asks these before and after reading the data:

* a formula string (``"y ~ x"``) without ``data``, or where y belongs: refused, with the
  formula call and the arrays to pass instead written out;
* X and y that look swapped (a one-column X beside a y that looks like a design);
* X without an intercept column: an :class:`~glmlearn.errors.InterceptNotice` trouble
  with the line that adds one, unless a column of ones is in the span of X.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from ._arrays import Array
from ._inputs import _code, _show
from .errors import GLMInputError, GLMTypeError, InterceptNotice, Trouble
from .family import Family

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
_CBIND = re.compile(r"^cbind\(\s*([A-Za-z_][A-Za-z0-9_.]*)\s*,\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\)$")
_CALL = re.compile(r"^(log|exp|sqrt)\(([A-Za-z_][A-Za-z0-9_.]*)\)$")


def _formula_error(arg: str, formula: str, family: Any) -> GLMTypeError:
    """A formula given where X or y belongs: say so, and write out the arrays to pass."""
    lhs, _, rhs = formula.partition("~")
    response = "".join(lhs.split())
    intercept, columns, made, other = True, [], [], []
    for term in rhs.replace("-", "+-").split("+"):
        term = "".join(term.split())
        call = _CALL.match(term)
        if term in ("", "1"):
            continue
        if term in ("0", "-1"):
            intercept = False
        elif _NAME.match(term):
            columns.append(term)
        elif call:  # log(dose) -> a column log_dose = np.log(df["dose"])
            columns.append(f"{call[1]}_{call[2]}")
            made.append(f"df[{_code(columns[-1])}] = np.{call[1]}(df[{_code(call[2])}])")
        else:
            other.append(term)
    cols = ", ".join(_code(c) for c in (["(Intercept)"] if intercept else []) + columns)
    x = (f'X = df.assign(**{{"(Intercept)": 1.0}})[[{cols}]]' if intercept and columns
         else f"X = df[[{cols}]]" if columns
         else "X = np.ones((len(df), 1))" if intercept else "X = df[[...]] (the design's columns)")
    pair = _CBIND.match(response)
    y = (f"y = df[[{_code(pair[1])}, {_code(pair[2])}]]" if pair
         else f"y = df[{_code(response)}]" if _NAME.match(response) else "y = df[...]")
    fam = f'"{family}"' if isinstance(family, str) else "family"
    fit_call = f"glmlearn.fit(X, y, {fam}{'' if intercept else ', intercept=False'})"
    steps = "; ".join([*made, x, y, fit_call])
    where = (" but no data to read its columns from" if arg == "X"
             else " where y belongs (the formula goes first)")
    msg = (f"{arg}: got the formula {formula!r}{where}. Fit it from a DataFrame df: "
           f"glmlearn.fit({formula!r}, data=df, family={fam}); or from the arrays: {steps}")
    if other:
        msg += f" (make the other terms, {', '.join(other)}, columns of df first)"
    return GLMTypeError(msg)


def _swap_error(ya: Array, p: int, family: Any, fam: Family) -> GLMInputError | None:
    """A 2-D y beside a one-column X that looks like a design: the arguments swapped."""
    if p != 1 or ya.ndim != 2 or ya.shape[1] < 2:
        return None
    why = []
    const = np.flatnonzero((ya == ya[0]).all(axis=0) & (ya[0] != 0))
    if const.size:
        j = int(const[0])
        why.append(f"column {j} of y is constant at {_show(ya[0, j])}, like an intercept")
    if ya.shape[1] > 2:
        why.append(f"y has {ya.shape[1]} columns")
    elif fam.name == "binomial":
        with np.errstate(invalid="ignore"):
            frac = np.flatnonzero(np.abs(ya[:, 1] - np.round(ya[:, 1])) > 1e-3)
        if frac.size:
            i = int(frac[0])
            why.append(f"the second column of y holds {_show(ya[i, 1])} at index {i}, not a "
                       "count of failures")
    if not why:
        return None
    fam_code = f'"{family}"' if isinstance(family, str) else "family"
    return GLMInputError(
        f"X and y look swapped: fit(X, y, family) takes the design first. Here X has one "
        f"column while y has {ya.shape[1]} and {'; '.join(why)}. Call fit(X, y, {fam_code}) "
        "with X the design (one column per coefficient, a column of ones for the intercept) "
        "and y the response"
    )


def _ones_in_span(Xa: Array) -> bool:
    """Whether a column of ones is a combination of the columns of X (e.g. a dummy for every
    level of a factor): then the model has its intercept all the same. Least squares of
    ones on the columns scaled to at most 1 in size, from their Gram matrix: O(n p^2),
    only for an X without a constant column."""
    scale = np.abs(Xa).max(axis=0)
    scale[scale == 0] = 1.0
    gram = (Xa.T @ Xa) / np.outer(scale, scale)
    sums = Xa.sum(axis=0) / scale
    coef = np.linalg.pinv(gram, rcond=1e-10, hermitian=True) @ sums
    n = Xa.shape[0]
    return bool(abs(n - sums @ coef) <= 1e-8 * n)  # the residual sum of squares, ~0


def _intercept_notice(n: int, from_frame: bool, names_given: bool) -> Trouble:
    if from_frame:
        add = 'X = X.assign(**{"(Intercept)": 1.0})[["(Intercept)", *X.columns]]'
    else:
        add = f"X = np.column_stack([np.ones({n}), X])"
        if names_given:
            add += ' (and "(Intercept)" first in column_names)'
    return Trouble(
        InterceptNotice, "no_intercept",
        "X has no intercept column (no constant column), so the model has no constant term; "
        "R's glm(y ~ x) adds one, glmlearn fits the columns it is given. To add one: "
        f"{add}. For a model without intercept on purpose, pass intercept=False",
    )
