"""The design of a formula fit, kept for prediction: :class:`FormulaDesign`.

A fit from a formula stores how it built X (formulaic's model spec with its factor
levels and transforms, the levels glmlearn gave each factor column, the response, offset
and exposure expressions) so that :meth:`FormulaDesign.model_matrix` builds the same
columns from new data, matching the data's columns by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._arrays import Array
from ..errors import GLMInputError
from ._frame import as_factor, as_frame, check_columns, r_level


def formulaic() -> Any:
    """formulaic, or an error saying which extra installs it."""
    try:
        import formulaic as fm
    except ImportError as exc:  # pragma: no cover - formulaic is in the formula extra
        raise ImportError("formulas need formulaic and pandas: pip install 'glmlearn[formula]'"
                          ) from exc
    return fm


def formulaic_error(exc: Exception, formula: str, what: str = "formula") -> GLMInputError:
    """formulaic's error, said in glmlearn's words (the first line of its message)."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    first = first.replace("dataset or evaluation context", "data")
    return GLMInputError(f"{what}: could not read {formula!r}: {first}")


def evaluate(expr: str, frame: Any, what: str) -> Array:
    """An expression of the columns (``service``, ``log(service)``) as a float vector."""
    if expr in frame.columns:
        values = frame[expr]
    else:
        try:
            # (log(0) is -inf as in R; the caller's finiteness check names the row)
            with np.errstate(all="ignore"):
                mm = formulaic().model_matrix(f"0 + I({expr})", frame, na_action="ignore")
        except Exception as exc:  # (formulaic's errors have no common public base)
            raise formulaic_error(exc, expr, what) from exc
        values = mm.iloc[:, 0]
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise GLMInputError(f"{what}: {expr!r} is not numeric ({values.dtype}); an offset, "
                            "exposure or weight must be numbers") from exc


def r_names(spec: Any, factor_calls: tuple[str, ...]) -> tuple[tuple[str, ...], dict[Any, str]]:
    """R's coefficient names for formulaic's columns, and R's label for each term.

    formulaic writes a treatment-coded level as ``outcome[T.2]`` and a fully coded one as
    ``outcome[2]``; R writes both ``outcome2`` (``sexM:ldose``, ``factor(x)3``,
    ``bTRUE``), the intercept ``(Intercept)``, and a power ``I(x^2)``.
    """
    codes = []
    for key, (kind, state) in spec.encoder_state.items():
        if getattr(kind, "value", kind) == "categorical":
            for level in state.get("categories", ()):
                for coded in (f"{key}[T.{level}]", f"{key}[{level}]"):
                    codes.append((coded, f"{key}{r_level(level)}"))
    codes.sort(key=lambda pair: -len(pair[0]))  # (longest first: "x[T.10]" before "x[T.1]")

    def as_r(name: str) -> str:
        if name == "Intercept":
            return "(Intercept)"
        for coded, r in codes:
            name = name.replace(coded, r)
        for inner in factor_calls:
            name = name.replace(f"C({inner})", f"factor({inner})")
        return name.replace(" ** ", "^")  # (R deparses a power as x^2)

    labels = {}
    for term in spec.terms:
        label = "(Intercept)" if str(term) == "1" else str(term)
        for inner in factor_calls:
            label = label.replace(f"C({inner})", f"factor({inner})")
        labels[term] = label.replace(" ** ", "^")
    return tuple(as_r(str(c)) for c in spec.column_names), labels


@dataclass(frozen=True, eq=False)
class FormulaDesign:
    """How a formula fit built its design, kept for new data.

    Attributes
    ----------
    formula : str
        The formula as written.
    model_spec : formulaic.ModelSpec
        formulaic's spec of the right-hand side (its factor levels and transform states).
    variables : tuple of str
        The data columns the terms use.
    levels : dict
        The levels of each factor column, in R's order (unused levels dropped).
    offsets : tuple of str
        Offset expressions: the formula's ``offset(...)`` terms and ``offset=`` given as a
        column name or expression.
    exposure : str or None
        The exposure column (its log is added to the offset), when given by name.
    offset_array : bool
        Whether an offset or exposure was given as an array: new data then need
        ``offset=`` given to :meth:`~glmlearn.GLMResult.predict`.
    index : pandas.Index
        The labels of the rows used in the fit (rows with missing values left out).
    omitted : pandas.Index
        The labels of the rows left out for missing values.
    """

    formula: str
    model_spec: Any
    variables: tuple[str, ...]
    levels: dict[str, tuple[Any, ...]]
    offsets: tuple[str, ...]
    exposure: str | None
    offset_array: bool
    index: Any
    omitted: Any

    def frame(self, data: Any, what: str = "newdata") -> Any:
        """``data``'s columns the design needs, its factors coded with the fit's levels."""
        df = as_frame(data)
        needed = [*self.variables, *([self.exposure] if self.exposure else [])]
        check_columns(df, needed, what)
        frame = df.copy()
        for var, levels in self.levels.items():
            frame[var] = as_factor(df[var], levels, var)
        missing = frame[list(self.variables)].isna().to_numpy()
        if missing.any():
            i, j = np.argwhere(missing)[0]
            raise GLMInputError(f"{what}: missing value in {self.variables[j]!r} at row "
                                f"{frame.index[i]!r}; predictions need every variable")
        return frame

    def model_matrix(self, data: Any) -> tuple[Array, Array | None]:
        """X for new data (columns matched by name), and the offset the design defines
        there (None when it has none)."""
        frame = self.frame(data)
        try:
            with np.errstate(all="ignore"):  # (log(0) is -inf here as in R, without a warning)
                mm = self.model_spec.get_model_matrix(frame, na_action="raise")
        except Exception as exc:  # (formulaic's errors have no common public base)
            raise formulaic_error(exc, self.formula, "newdata") from exc
        X = np.asarray(mm, dtype=float)
        offset = None
        for expr in self.offsets:
            o = evaluate(expr, frame, "newdata")
            offset = o if offset is None else offset + o
        if self.exposure is not None:
            e = exposure_log(np.asarray(frame[self.exposure], dtype=float), self.exposure,
                             "newdata")
            offset = e if offset is None else offset + e
        return X, offset


def exposure_log(exposure: Array, name: str, what: str = "exposure") -> Array:
    """log(exposure), refusing a non-positive or missing exposure at its first row."""
    bad = np.flatnonzero(~(exposure > 0))
    if bad.size:
        i = int(bad[0])
        raise GLMInputError(f"{what}: exposure {name!r} must be positive, got {float(exposure[i])!r} "
                            f"at index {i} ({bad.size} such values); exposure is a time or "
                            "size at risk, its log is added to the offset")
    return np.log(exposure)


def offset_with_exposure(offset: Any, exposure: Any, family: Any) -> Any:
    """For an array fit: ``offset + log(exposure)`` (``offset`` unchanged without exposure),
    refusing an exposure that is not positive or a family whose link is not log."""
    if exposure is None:
        return offset
    if family.link.name != "log":
        raise GLMInputError(f"exposure: needs the log link (log(exposure) is added to the "
                            f"offset), but the link is {family.link.name}; pass offset= instead")
    try:
        e = np.asarray(exposure, dtype=float).reshape(-1)
    except (TypeError, ValueError) as exc:
        raise GLMInputError(f"exposure: could not be read as numbers ({exc})") from exc
    log_e = exposure_log(e, "exposure")
    return log_e if offset is None else np.asarray(offset, dtype=float) + log_e
