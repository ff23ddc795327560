r"""The convergence panel: :math:`\max_j|U_j|` and R's criterion on a log scale."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .._irls import IRLSState
from ._common import Array, Trace, _range, as_trace
from ._panel import Panel
from ._place import Crowd
from ._style import _C, _label_lines, _legend, _state_label, _style_axes, _with_start

__all__ = ["ConvergenceArtists", "draw_convergence", "update_convergence"]


@dataclass(frozen=True, eq=False)
class ConvergenceArtists(Panel):
    """Artists of the convergence panel (from :func:`draw_convergence`).

    Attributes
    ----------
    ax : Axes
    score_line, criterion_line : Line2D
        :math:`\\max_j|U_j|` and R's criterion for every iteration (log scale).
    score_marker, criterion_marker : Line2D
        The current iteration on each line.
    label : Text
    floor : float
        Values at or below zero are drawn at this floor (a log scale has no zero).
    """

    ax: Axes
    score_line: Line2D
    criterion_line: Line2D
    score_marker: Line2D
    criterion_marker: Line2D
    label: Text
    floor: float

    @property
    def moving(self) -> tuple[Artist, ...]:
        return (self.score_marker, self.criterion_marker, self.label)

    def update(self, state: IRLSState) -> None:
        """Move the convergence markers to ``state`` (no redraw)."""
        k = [state.iteration]
        self.score_marker.set_data(k, _log_values(np.array([state.max_abs_score]), self.floor))
        self.criterion_marker.set_data(k, _log_values(np.array([state.criterion]), self.floor))
        done = " (converged)" if state.converged else ""
        # No previous deviance at iteration 0: R's criterion is not defined there.
        crit = "—" if state.iteration == 0 else f"{state.criterion:.2g}"
        self.label.set_text(_with_start(f"max|U| = {state.max_abs_score:.2g}, "
                                        f"crit = {crit}{done}", state))


def _log_values(v: Array, floor: float) -> Array:
    out = np.array(v, dtype=float)
    out[np.isinf(out)] = np.nan  # the criterion is infinite at iteration 0: nothing to show
    return np.where(out > floor, out, np.where(np.isnan(out), np.nan, floor))


def draw_convergence(
    ax: Axes, state: IRLSState, *, trace: Trace, tol: float | None = None, legend: bool = True
) -> ConvergenceArtists:
    r"""Draw :math:`\max_j |U_j|` and R's criterion :math:`|D - D_{\text{old}}|/(|D| + 0.1)`.

    Both on a log scale: IRLS is Newton's method (Fisher scoring), so near the optimum
    they fall quadratically and the lines bend down ever faster.

    Parameters
    ----------
    ax : Axes
    state : IRLSState
    trace : GLMResult or sequence of IRLSState
    tol : float, optional
        The tolerance the fit used; drawn as a horizontal line.
    legend : bool
        Draw a legend.

    Returns
    -------
    ConvergenceArtists
    """
    tr = as_trace(trace)
    k = np.array([s.iteration for s in tr], dtype=float)
    sc = np.array([s.max_abs_score for s in tr])
    cr = np.array([s.criterion for s in tr])
    floor = 1e-17
    ax.set_yscale("log")
    (score_line,) = ax.plot(k, _log_values(sc, floor), "-o", color=_C["blue"], markersize=4,
                            label="max |score|")
    (crit_line,) = ax.plot(k, _log_values(cr, floor), "--s", color=_C["orange"], markersize=4,
                           label="criterion")
    (score_marker,) = ax.plot([], [], "o", color=_C["vermillion"], markersize=10, zorder=5)
    (crit_marker,) = ax.plot([], [], "s", color=_C["vermillion"], markersize=9, zorder=5)
    if tol is not None:
        ax.axhline(tol, color=_C["black"], linestyle=":", linewidth=1, label=f"tol = {tol:g}")
    vals = np.concatenate([_log_values(sc, floor), _log_values(cr, floor),
                           [] if tol is None else [tol]])
    lo, hi = _range(vals)
    if np.isfinite(lo) and np.isfinite(hi):
        ax.set_ylim(lo / 10, hi * 10)
    ax.set_xlim(k[0] - 0.3, k[-1] + 0.3)
    _style_axes(ax, "Convergence", "iteration k", "size (log scale)", integer_x=True)
    label = _state_label(ax, _label_lines(tr, state))
    if legend:
        crowd = Crowd(grow=True)
        for line in (score_line, crit_line):
            crowd.add_line(*np.asarray(line.get_xydata(), float).T)
            crowd.add_points(*np.asarray(line.get_xydata(), float).T)
        if tol is not None:
            crowd.add_line([k[0] - 1, k[-1] + 1], [tol, tol])
        _legend(ax, crowd=crowd)
    art = ConvergenceArtists(ax=ax, score_line=score_line, criterion_line=crit_line,
                             score_marker=score_marker, criterion_marker=crit_marker,
                             label=label, floor=floor)
    art.update(state)
    return art


def update_convergence(artists: ConvergenceArtists, state: IRLSState) -> None:
    """Move the convergence markers to ``state`` (no redraw): ``artists.update(state)``."""
    artists.update(state)
