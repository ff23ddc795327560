r"""The rows to predict at: X and offset for :meth:`glmlearn.GLMResult.predict`.

Three ways in:

* nothing: the fit's own rows, with the fit's offset;
* ``newdata`` (a DataFrame) for a formula fit: the design is rebuilt from the stored
  formula (:class:`glmlearn.formula.FormulaDesign`: the same factor levels, transforms,
  offset and exposure columns), the columns matched by name, in any order;
* ``X_new`` (an array or DataFrame of design columns) for any fit: used by position, with
  a :class:`~glmlearn.errors.ColumnNamesWarning` when a DataFrame's column names disagree
  with the fit's.

Intervals are made on the link scale and carried to the response scale,
:math:`g^{-1}(\hat\eta \pm q\,\mathrm{se}(\hat\eta))`, so they stay inside the family's
range; :math:`q` is the normal quantile when the dispersion is known and Student's t on the
residual degrees of freedom when it is estimated.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from scipy import stats

from ._arrays import Array
from ._inputs import _as_float_array, _check_finite, _names_of
from .errors import ColumnNamesWarning, GLMInputError


def rows_to_predict(problem: Any, X_new: Any, newdata: Any, offset: Any
                    ) -> tuple[Array, Array]:
    """X and offset for the rows to predict at (see the module docstring)."""
    design = problem.design
    if newdata is None and X_new is not None and design is not None and _names_of(X_new):
        newdata = X_new  # (a DataFrame of variables for a formula fit: read it by name)
        X_new = None
    if newdata is not None:
        if X_new is not None:
            raise GLMInputError("predict: give newdata (the variables, for a formula fit) or "
                                "X_new (design columns), not both")
        if design is None:
            raise GLMInputError("newdata: the model was fitted from arrays, so there is no "
                                "formula to rebuild its columns from; pass X_new with the "
                                f"columns {', '.join(problem.column_names)}")
        Xn, off = design.model_matrix(newdata)
        if design.offset_array and offset is None:
            raise GLMInputError("offset: the model was fitted with an offset (or exposure) "
                                "given as an array, so new data need one too: "
                                "predict(newdata=..., offset=...)")
        if offset is not None:
            off = _offset(offset, Xn.shape[0]) + (0.0 if off is None else off)
        return Xn, np.zeros(Xn.shape[0]) if off is None else off
    if X_new is None:
        Xn = np.asarray(problem.X)
        return Xn, problem.offset if offset is None else _offset(offset, Xn.shape[0])
    p = problem.p
    _check_names(X_new, problem.column_names)
    Xn = _as_float_array(X_new, "X_new")
    if Xn.ndim == 1:
        Xn = Xn[None, :] if Xn.shape[0] == p else Xn[:, None]
    if Xn.ndim != 2 or Xn.shape[1] != p:
        raise GLMInputError(f"X_new: expected {p} columns like X, got shape {Xn.shape}")
    _check_finite(Xn, "X_new")
    return Xn, np.zeros(Xn.shape[0]) if offset is None else _offset(offset, Xn.shape[0])


def _offset(offset: Any, n: int) -> Array:
    off = _as_float_array(offset, "offset")
    if off.shape != (n,):
        raise GLMInputError(f"offset: expected length {n}, got shape {off.shape}")
    return off


def _check_names(X_new: Any, fitted: tuple[str, ...]) -> None:
    names = _names_of(X_new)
    if names is None or fitted == tuple(f"x{j}" for j in range(len(fitted))):
        return  # (no names to compare: an array, or a fit from an unnamed array)
    if tuple(names) == fitted:
        return
    if sorted(names) == sorted(fitted):
        how = (f"the same names in another order; reorder with "
               f"X_new[{list(fitted)!r}]")
    else:
        how = (f"names {', '.join(n for n in names if n not in fitted) or '(none)'} are not "
               f"the fit's and {', '.join(n for n in fitted if n not in names) or '(none)'} "
               "are missing")
    warnings.warn(
        f"X_new: its columns {list(names)!r} are not the fit's {list(fitted)!r} ({how}); "
        "they are used by position. For a formula fit pass the variables as "
        "predict(newdata=df), matched by name", ColumnNamesWarning, stacklevel=4)


def quantile(level: Any, dispersion_fixed: bool, df_residual: int) -> float:
    """The two-sided quantile of an interval at ``level``."""
    if isinstance(level, bool) or not isinstance(level, int | float) or not 0 < level < 1:
        raise GLMInputError(f"interval: the confidence level must be between 0 and 1, e.g. "
                            f"0.95, got {level!r}")
    tail = 0.5 + level / 2
    if dispersion_fixed or df_residual <= 0:
        return float(stats.norm.ppf(tail))
    return float(stats.t.ppf(tail, df_residual))
