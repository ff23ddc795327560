"""What every check needs: reading a state or a trace, the kept (non-aliased) columns,
the "not applicable" result, the ``rtol`` argument and two guarded linear-algebra helpers."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._arrays import Array, readonly
from .._irls import IRLSState
from ..errors import GLMInputError
from ..results import GLMResult
from ._report import CheckResult, Mask

__all__ = [
    "EPS",
    "StateLike",
    "as_state",
    "as_trace",
    "check_rtol",
    "cond",
    "expand",
    "kept_columns",
    "not_applicable",
    "solve",
    "state_note",
]

EPS = float(np.finfo(float).eps)

#: A per-state check accepts a state, or a result (meaning its last state).
StateLike = IRLSState | GLMResult


def as_state(obj: Any) -> IRLSState:
    if isinstance(obj, GLMResult):
        return obj.final_state
    if isinstance(obj, IRLSState):
        return obj
    raise GLMInputError(
        f"state: expected an IRLSState or a GLMResult, got {type(obj).__name__}"
    )


def as_trace(obj: Any) -> tuple[IRLSState, ...]:
    if isinstance(obj, GLMResult):
        return obj.trace
    if isinstance(obj, IRLSState):
        return (obj,)
    try:
        states = tuple(obj)
    except TypeError:
        raise GLMInputError(
            f"trace: expected a GLMResult or a sequence of IRLSState, got {type(obj).__name__}"
        ) from None
    for s in states:
        if not isinstance(s, IRLSState):
            raise GLMInputError(
                f"trace: expected a GLMResult or a sequence of IRLSState, found "
                f"{type(s).__name__}"
            )
    return states


def kept_columns(state: IRLSState) -> Mask:
    """Non-aliased columns: the core marks aliased coefficients as NaN."""
    return ~np.isnan(np.asarray(state.beta_next, dtype=float))


def expand(values: Array, kept: Mask) -> Array:
    """``values`` of the kept columns spread to all columns, NaN for the aliased ones."""
    out = np.full(kept.shape[0], np.nan)
    out[kept] = values
    return out


def state_note(state: IRLSState) -> str:
    return "converged" if state.converged else "not converged"


def not_applicable(name: str, statement: str, state: IRLSState, why: str,
                   rtol: float, scaling: str) -> CheckResult:
    """A falsy result that says why the statement cannot be checked on ``state``."""
    return CheckResult(name=name, statement=statement, quantity=readonly(np.empty(0)),
                       quantity_label="", size=math.nan, size_label="", tol=math.nan,
                       rtol=rtol, scale=math.nan, scaling=scaling, holds=False,
                       iteration=state.iteration, applicable=False, note=why)


def check_rtol(rtol: Any) -> float:
    if isinstance(rtol, bool) or not isinstance(rtol, int | float | np.floating):
        raise GLMInputError(f"rtol: must be a non-negative number, got {rtol!r}")
    if not (math.isfinite(rtol) and rtol >= 0):
        raise GLMInputError(f"rtol: must be a non-negative finite number, got {rtol!r}")
    return float(rtol)


def solve(A: Array, b: Array) -> Array:
    """:math:`A^{-1}b`, by least squares when :math:`A` is singular."""
    try:
        x = np.asarray(np.linalg.solve(A, b), dtype=float)
        if np.all(np.isfinite(x)):
            return x
    except np.linalg.LinAlgError:
        pass
    return np.asarray(np.linalg.lstsq(A, b, rcond=None)[0], dtype=float)


def cond(M: Array) -> float:
    """1-norm condition number (inf when singular)."""
    if M.size == 0:
        return 1.0
    with np.errstate(all="ignore"):
        c = float(np.linalg.cond(M, 1))
    return c if math.isfinite(c) else math.inf
