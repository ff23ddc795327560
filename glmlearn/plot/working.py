r"""The working-response panel: :math:`z_i` (area :math:`\propto w_i`) and this step's WLS fit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.legend_handler import HandlerPathCollection
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .._irls import IRLSState
from ._common import (
    Array,
    Trace,
    XSpec,
    _beta0,
    _grid_design,
    _optional_trace,
    _pad,
    _range,
    _resolve_x,
    _robust_range,
    _states_for_limits,
    _x_label,
)
from ._panel import Panel
from ._place import Crowd
from ._style import (
    _C,
    _beta_text,
    _label_lines,
    _legend,
    _marker_alpha,
    _state_label,
    _style_axes,
    _with_start,
)

__all__ = ["WorkingArtists", "draw_working", "update_working"]


@dataclass(frozen=True, eq=False)
class WorkingArtists(Panel):
    """Artists of the working-response panel (from :func:`draw_working`).

    Attributes
    ----------
    ax : Axes
    points : PathCollection or None
        :math:`(x_i, z_i)` or :math:`(\\eta_i, z_i)`, area proportional to :math:`w_i`
        (None when the points are drawn in ``size_classes``).
    size_classes : tuple of Line2D
        For large n: the same points split into classes of weight, class ``j`` holding
        the points with area in ``[j, j + 1) * size_max / K``, drawn at the class's middle
        area (empty when ``points`` is used).
    fit : Line2D
        This step's weighted least-squares fit, from ``beta_next``.
    label : Text
    x : int or "eta"
    grid, grid_X, grid_offset : ndarray or None
        Where the fitted line is evaluated (``x`` a column).
    size_max : float
        Marker area (pt²) of the largest weight.
    w_ref : float
        The weight drawn with area ``size_max`` (the largest of the trace; without a
        trace, the largest of the state shown).
    trace : tuple of IRLSState or None
        With a trace the axis limits were fixed by :func:`draw_working`; without one
        they follow the state shown.
    """

    ax: Axes
    points: PathCollection | None
    size_classes: tuple[Line2D, ...]
    fit: Line2D
    label: Text
    x: int | str
    grid: Array | None
    grid_X: Array | None
    grid_offset: Array | None
    size_max: float
    w_ref: float
    trace: tuple[IRLSState, ...] | None

    @property
    def moving(self) -> tuple[Artist, ...]:
        points = (self.points,) if self.points is not None else ()
        return (*points, *self.size_classes, self.fit, self.label)

    def update(self, state: IRLSState) -> None:
        """Move the working-response panel to ``state`` (no redraw)."""
        xs, z, w = _working_x(self, state), np.asarray(state.z), np.asarray(state.w)
        w_ref = self.w_ref if self.trace is not None else max(float(np.max(w)), 1e-300)
        # A negative weight (Newton's observed weights, method="newton") has no area.
        sizes = self.size_max * np.maximum(w, 0.0) / w_ref
        if self.points is not None:
            self.points.set_offsets(np.column_stack([xs, z]))
            self.points.set_sizes(sizes)
        if self.size_classes:
            k = len(self.size_classes)
            cls = np.minimum(np.floor(sizes / self.size_max * k), k - 1)
            cls[~(sizes > 0)] = -1  # zero weight: no area, not drawn
            for j, line in enumerate(self.size_classes):
                sel = cls == j
                line.set_data(xs[sel], z[sel])
        self.fit.set_data(*_working_line(self, state))
        if self.trace is None:
            _set_working_limits(self, (state,))
        self.label.set_text(_with_start(f"β next = {_beta_text(state.beta_next)}", state))


def _working_x(art: WorkingArtists, state: IRLSState) -> Array:
    return np.asarray(state.problem.X[:, art.x] if isinstance(art.x, int) else state.eta)


def _working_line(art: WorkingArtists, state: IRLSState) -> tuple[Array, Array]:
    b = _beta0(state.beta_next)
    if art.x == "eta":
        # The WLS fitted values x_i' beta_next + o_i at each observation's current eta.
        order = np.argsort(state.eta, kind="stable")
        fitted = state.problem.X @ b + state.problem.offset
        return np.asarray(state.eta)[order], fitted[order]
    assert art.grid is not None and art.grid_X is not None and art.grid_offset is not None
    return art.grid, art.grid_X @ b + art.grid_offset


def _set_working_limits(art: WorkingArtists, states: Sequence[IRLSState]) -> None:
    """Limits that hold every state in ``states``: x (against eta) and y."""
    if art.x == "eta":
        art.ax.set_xlim(*_pad(*_range(*(s.eta for s in states))))
    lo, hi = _robust_range([np.asarray(s.z) for s in states])
    l_lo, l_hi = _range(*(_working_line(art, s)[1] for s in states))
    art.ax.set_ylim(*_pad(min(lo, l_lo), max(hi, l_hi), 0.08))


def draw_working(
    ax: Axes,
    state: IRLSState,
    *,
    x: XSpec = None,
    trace: Trace | None = None,
    size_max: float | None = None,
    size_classes: int | None = None,
    n_grid: int = 100,
    legend: bool = True,
) -> WorkingArtists:
    r"""Draw the working response :math:`z_i` and this step's weighted least-squares fit.

    Each IRLS step is an ordinary weighted regression of :math:`z - o` on X with weights
    :math:`w`; its solution is the state's ``beta_next``. The panel shows exactly that
    regression: points :math:`z_i` with area proportional to :math:`w_i`, and the line
    :math:`x^\top\beta^{\text{next}}`.

    Parameters
    ----------
    ax : Axes
    state : IRLSState
    x : int, str or None
        Column of X to plot against (default: first non-constant column; others at their
        means), or ``"eta"`` for the state's linear predictor; then the fitted values
        :math:`x_i^\top\beta^{\text{next}} + o_i` are drawn at each :math:`\eta_i`.
    trace : GLMResult or sequence of IRLSState, optional
        With a trace, axis limits and point sizes are on one scale for all iterations.
    size_max : float, optional
        Marker area (pt²) of the largest weight; default depends on n.
    size_classes : int, optional
        0: every point at its exact area (a scatter). K > 0: points grouped into K classes
        of area, each drawn as one set of equal markers, which Agg draws about ten times
        faster than ten thousand different sizes. Default: exact up to 2000 points,
        12 classes above.
    n_grid : int
        Number of points along the fitted line.
    legend : bool
        Draw a legend.

    Returns
    -------
    WorkingArtists

    Notes
    -----
    The y-limits cover the 1st to 99th percentiles of :math:`z`: observations whose
    :math:`z` is far out (e.g. a misclassified point in a logistic fit) have a tiny
    weight and would otherwise squash the picture.
    """
    problem = state.problem
    xr = _resolve_x(problem, x)
    tr = _optional_trace(trace)
    n = problem.n
    grid = grid_X = grid_offset = None
    if isinstance(xr, int):
        grid = np.linspace(*_pad(*_range(problem.X[:, xr])), n_grid)
        grid_X, grid_offset = _grid_design(problem, xr, grid)
        ax.set_xlim(grid[0], grid[-1])
    if size_max is None:
        size_max = float(np.clip(80.0 * np.sqrt(200.0 / max(n, 1)), 6.0, 80.0))
    w_hi = _range(*(s.w for s in _states_for_limits(state, tr)))[1]
    w_ref = w_hi if np.isfinite(w_hi) and w_hi > 0 else 1.0
    k_classes = (0 if n <= 2000 else 12) if size_classes is None else int(size_classes)
    if k_classes < 0:
        raise ValueError(f"size_classes: must be 0 or a positive integer, got {size_classes!r}")
    points = None
    classes: tuple[Line2D, ...] = ()
    z_label = "z (area ∝ w)"
    if k_classes == 0:
        points = ax.scatter(np.zeros(n), np.zeros(n), s=np.zeros(n), color=_C["green"],
                            alpha=_marker_alpha(n), linewidths=0, label=z_label)
    else:
        areas = size_max * (np.arange(k_classes) + 0.5) / k_classes
        classes = tuple(
            ax.plot([], [], "o", color=_C["green"], alpha=_marker_alpha(n),
                    markersize=float(np.sqrt(a)), markeredgewidth=0,
                    label=z_label if j == k_classes - 1 else None)[0]
            for j, a in enumerate(areas)
        )
    fit_style = "-" if isinstance(xr, int) else "."
    (fit,) = ax.plot([], [], fit_style, color=_C["vermillion"], linewidth=2.5, markersize=3,
                     label="weighted LS fit (β next)")
    xlabel = _x_label(problem, xr)
    if isinstance(xr, int) and problem.p > 2:
        xlabel += "\n(line: other predictors at their means)"
    _style_axes(ax, "Working response and its WLS fit", xlabel, "working response z")
    states = _states_for_limits(state, tr)
    label = _state_label(ax, _label_lines(tr, state))
    art = WorkingArtists(ax=ax, points=points, size_classes=classes, fit=fit, label=label,
                         x=xr, grid=grid, grid_X=grid_X, grid_offset=grid_offset,
                         size_max=size_max, w_ref=w_ref, trace=tr)
    art.update(state)
    if tr is not None:  # once, for the whole trace: update never looks at other states
        _set_working_limits(art, states)
    if legend:
        crowd = Crowd(grow=tr is not None)
        for s in states:
            xs = _working_x(art, s)
            crowd.add_points(xs, s.z)
            line_x, line_y = _working_line(art, s)
            if isinstance(xr, int):
                crowd.add_line(line_x, line_y)
            else:
                crowd.add_points(line_x, line_y)
        # The scatter starts with no area: give its legend entry a visible marker.
        handler = {points: HandlerPathCollection(sizes=[0.5 * size_max])} if points else {}
        _legend(ax, crowd=crowd, handler_map=handler)
    return art


def update_working(artists: WorkingArtists, state: IRLSState) -> None:
    """Move the working-response panel to ``state`` (no redraw): ``artists.update(state)``."""
    artists.update(state)
