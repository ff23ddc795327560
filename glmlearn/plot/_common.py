"""What every panel needs: traces, the column plotted against, axis limits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
from matplotlib.axes import Axes

from .._irls import IRLSState
from ..problem import GLMProblem
from ._style import Array

if TYPE_CHECKING:
    from ..results import GLMResult


Trace: TypeAlias = "GLMResult | Sequence[IRLSState]"
XSpec: TypeAlias = "int | str | None"


def as_trace(trace: Any) -> tuple[IRLSState, ...]:
    """The states of ``trace`` as a tuple: accepts a :class:`GLMResult` or states.

    Raises
    ------
    TypeError
        If ``trace`` is neither a result nor a non-empty sequence of IRLS states.
    """
    states = getattr(trace, "trace", trace)
    try:
        out = tuple(states)
    except TypeError:
        raise TypeError(
            f"trace: expected a GLMResult or a sequence of IRLSState, got {type(trace).__name__}"
        ) from None
    if not out or not all(isinstance(s, IRLSState) for s in out):
        raise TypeError("trace: expected a GLMResult or a non-empty sequence of IRLSState")
    return out


def _optional_trace(trace: Any) -> tuple[IRLSState, ...] | None:
    return None if trace is None else as_trace(trace)


def _beta0(beta: Array) -> Array:
    # Aliased coefficients are NaN; IRLS uses 0 for them when it forms X beta.
    return np.where(np.isnan(beta), 0.0, beta)


def _first_varying_column(problem: GLMProblem) -> int | None:
    X = problem.X
    for j in range(problem.p):
        if np.ptp(X[:, j]) > 0:
            return j
    return None


def _resolve_x(problem: GLMProblem, x: XSpec, *, allow: tuple[str, ...] = ("eta",)) -> int | str:
    """Column index for ``x`` (index, column name or None), or one of the words in ``allow``."""
    if x is None:
        j = _first_varying_column(problem)
        if j is None:
            if "eta" in allow:
                return "eta"  # intercept-only model: nothing varies but the linear predictor
            raise ValueError("x: X has no non-constant column to plot against")
        return j
    if isinstance(x, str):
        if x in allow:
            return x
        if x in problem.column_names:
            return problem.column_names.index(x)
        choices = ", ".join(map(repr, (*problem.column_names, *allow)))
        raise ValueError(f"x: unknown column {x!r}; choose an index or one of {choices}")
    if isinstance(x, bool) or not isinstance(x, int | np.integer):
        raise TypeError(f"x: expected a column index or name, got {type(x).__name__} {x!r}")
    if not -problem.p <= int(x) < problem.p:
        raise ValueError(f"x: column index {x} out of range for the {problem.p} columns of X")
    return int(x) % problem.p


def _x_label(problem: GLMProblem, x: int | str) -> str:
    if isinstance(x, int):
        return problem.column_names[x]
    return {"eta": "linear predictor η", "mu": "fitted mean μ"}.get(x, x)


def _grid_design(problem: GLMProblem, j: int, grid: Array) -> tuple[Array, Array]:
    """Rows of X along ``grid`` in column ``j``, other columns (and the offset) at their means."""
    Xg = np.tile(problem.X.mean(axis=0), (grid.size, 1))
    Xg[:, j] = grid
    return Xg, np.full(grid.size, float(problem.offset.mean()))


def _pad(lo: float, hi: float, frac: float = 0.05) -> tuple[float, float]:
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return (0.0, 1.0)
    span = hi - lo
    if span <= 0:
        span = max(abs(lo), 1.0) * 0.1
        return (lo - span, hi + span)
    return (lo - frac * span, hi + frac * span)


def _range(*arrays: Array) -> tuple[float, float]:
    vals = [a[np.isfinite(a)] for a in arrays]
    vals = [v for v in vals if v.size]
    if not vals:
        return (np.nan, np.nan)
    return (float(min(v.min() for v in vals)), float(max(v.max() for v in vals)))


def _robust_range(values: Sequence[Array], q: float = 1.0) -> tuple[float, float]:
    # Quantiles, not extremes: a handful of points with tiny weight can have huge z.
    v = np.concatenate([a[np.isfinite(a)] for a in values])
    if not v.size:
        return (np.nan, np.nan)
    lo, hi = np.percentile(v, [q, 100 - q])
    return float(lo), float(hi)


def _states_for_limits(state: IRLSState, trace: tuple[IRLSState, ...] | None
                       ) -> tuple[IRLSState, ...]:
    # With a trace, limits cover every state, so they stay put as the iterations move
    # (and update(k) == draw(k) because the limits do not depend on k). Without one,
    # they follow the state shown.
    return trace if trace is not None else (state,)


def _set_limits(ax: Axes, xlim: tuple[float, float] | None, ylim: tuple[float, float] | None
                ) -> None:
    if xlim is not None:
        ax.set_xlim(*xlim)
    if ylim is not None:
        ax.set_ylim(*ylim)

def _iteration_text(state: IRLSState) -> str:
    # Short on purpose: the numbers live in the other panels' labels (and a widget's
    # table), and every glyph is re-rendered on each frame.
    return f"k = {state.iteration}" + (": no β yet" if state.beta is None else "")
