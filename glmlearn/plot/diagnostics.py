r"""Panels of the quantities inside one IRLS step and of its progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .._irls import IRLSState

if TYPE_CHECKING:
    pass

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
    _set_limits,
    _states_for_limits,
    _x_label,
    as_trace,
)
from ._style import _C, _beta_text, _corner_text, _legend, _marker_alpha, _marker_size, _style_axes

__all__ = [
    "ConvergenceArtists",
    "DevianceArtists",
    "WeightsArtists",
    "WorkingArtists",
    "draw_convergence",
    "draw_deviance",
    "draw_weights",
    "draw_working",
    "update_convergence",
    "update_deviance",
    "update_weights",
    "update_working",
]

# --- working weights ----------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class WeightsArtists:
    """Artists of the working-weights panel (from :func:`draw_weights`).

    Attributes
    ----------
    ax : Axes
    points : Line2D
        :math:`(x_i, w_i)`, :math:`(\\mu_i, w_i)` or :math:`(\\eta_i, w_i)`.
    label : Text
    against : int or str
        Column index, ``"mu"`` or ``"eta"``.
    trace : tuple of IRLSState or None
    """

    ax: Axes
    points: Line2D
    label: Text
    against: int | str
    trace: tuple[IRLSState, ...] | None


def _weights_x(against: int | str, state: IRLSState) -> Array:
    if against == "mu":
        return np.asarray(state.mu)
    if against == "eta":
        return np.asarray(state.eta)
    assert isinstance(against, int)
    return np.asarray(state.problem.X[:, against])


def _weights_limits(art: WeightsArtists, state: IRLSState
                    ) -> tuple[tuple[float, float] | None, tuple[float, float]]:
    states = _states_for_limits(state, art.trace)
    w_hi = _range(*(s.w for s in states))[1]
    ylim = (0.0, 1.08 * w_hi if np.isfinite(w_hi) and w_hi > 0 else 1.0)
    xlim: tuple[float, float] | None = None
    if isinstance(art.against, int):
        xlim = None  # fixed at draw time from the data
    elif art.against == "mu" and state.problem.family.name == "binomial":
        xlim = (-0.02, 1.02)
    else:
        xlim = _pad(*_range(*(_weights_x(art.against, s) for s in states)))
    return xlim, ylim


def draw_weights(
    ax: Axes,
    state: IRLSState,
    *,
    against: Literal["x", "mu", "eta"] = "x",
    x: XSpec = None,
    trace: Trace | None = None,
) -> WeightsArtists:
    r"""Draw the working weights :math:`w_i = w_i^{\text{prior}} / \{V(\mu_i) g'(\mu_i)^2\}`.

    Parameters
    ----------
    ax : Axes
    state : IRLSState
    against : {"x", "mu", "eta"}
        Plot against a column of X (chosen by ``x``), the fitted means or the linear
        predictor. Against :math:`\mu` the points trace the curve
        :math:`1 / \{V(\mu) g'(\mu)^2\}` (for equal prior weights): for the logit link,
        :math:`\mu(1 - \mu)`, largest at :math:`\mu = 1/2`.
    x : int, str or None
        The column when ``against="x"`` (default: first non-constant column).
    trace : GLMResult or sequence of IRLSState, optional
        With a trace the axis limits cover every iteration, so they do not jump.

    Returns
    -------
    WeightsArtists
    """
    if against not in ("x", "mu", "eta"):
        raise ValueError(f"against: must be 'x', 'mu' or 'eta', got {against!r}")
    problem = state.problem
    ag: int | str = against
    if against == "x":
        j = _resolve_x(problem, x, allow=())
        assert isinstance(j, int)  # no words allowed: always a column
        ag = j
        ax.set_xlim(*_pad(*_range(problem.X[:, j])))
    tr = _optional_trace(trace)
    n = problem.n
    (points,) = ax.plot([], [], "o", color=_C["blue"], alpha=_marker_alpha(n),
                        markersize=_marker_size(n), markeredgewidth=0)
    _style_axes(ax, "Working weights", _x_label(problem, ag), "working weight w")
    label = _corner_text(ax, where="upper right")
    art = WeightsArtists(ax=ax, points=points, label=label, against=ag, trace=tr)
    update_weights(art, state)
    return art


def update_weights(artists: WeightsArtists, state: IRLSState) -> None:
    """Move the working-weights panel to ``state`` (no redraw)."""
    art = artists
    art.points.set_data(_weights_x(art.against, state), state.w)
    xlim, ylim = _weights_limits(art, state)
    _set_limits(art.ax, xlim, ylim)
    art.label.set_text(f"Σw = {float(np.sum(state.w)):.4g}")


# --- working response ---------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class WorkingArtists:
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
        The weight drawn with area ``size_max``.
    trace : tuple of IRLSState or None
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


def _working_ylim(art: WorkingArtists, state: IRLSState) -> tuple[float, float]:
    states = _states_for_limits(state, art.trace)
    lo, hi = _robust_range([np.asarray(s.z) for s in states])
    lines = [_working_line(art, s)[1] for s in states]
    l_lo, l_hi = _range(*lines)
    return _pad(min(lo, l_lo), max(hi, l_hi), 0.08)


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
    _style_axes(ax, "Working response and its WLS fit", _x_label(problem, xr),
                "working response z")
    label = _corner_text(ax)
    if legend:
        _legend(ax, "lower right")
    art = WorkingArtists(ax=ax, points=points, size_classes=classes, fit=fit, label=label,
                         x=xr, grid=grid, grid_X=grid_X, grid_offset=grid_offset,
                         size_max=size_max, w_ref=w_ref, trace=tr)
    update_working(art, state)
    return art


def update_working(artists: WorkingArtists, state: IRLSState) -> None:
    """Move the working-response panel to ``state`` (no redraw)."""
    art = artists
    xs, z = _working_x(art, state), np.asarray(state.z)
    w_ref = art.w_ref if art.trace is not None else max(float(np.max(state.w)), 1e-300)
    sizes = art.size_max * np.asarray(state.w) / w_ref
    if art.points is not None:
        art.points.set_offsets(np.column_stack([xs, z]))
        art.points.set_sizes(sizes)
    if art.size_classes:
        k = len(art.size_classes)
        cls = np.minimum(np.floor(sizes / art.size_max * k), k - 1)
        cls[~(sizes > 0)] = -1  # zero weight: no area, not drawn
        for j, line in enumerate(art.size_classes):
            sel = cls == j
            line.set_data(xs[sel], z[sel])
    art.fit.set_data(*_working_line(art, state))
    if art.x == "eta":
        art.ax.set_xlim(*_pad(*_range(*(s.eta for s in _states_for_limits(state, art.trace)))))
    art.ax.set_ylim(*_working_ylim(art, state))
    art.label.set_text(f"β next = {_beta_text(state.beta_next)}")


# --- deviance trace -----------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class DevianceArtists:
    """Artists of the deviance panel (from :func:`draw_deviance`).

    Attributes
    ----------
    ax : Axes
    line : Line2D
        :math:`(k, D^{(k)})` for every iteration.
    marker : Line2D
        The current iteration, at :math:`(k, D^{(k)})`.
    label : Text
    """

    ax: Axes
    line: Line2D
    marker: Line2D
    label: Text


def draw_deviance(ax: Axes, state: IRLSState, *, trace: Trace) -> DevianceArtists:
    r"""Draw the deviance :math:`D^{(k)}` of every iteration, marking ``state``'s.

    Parameters
    ----------
    ax : Axes
    state : IRLSState
    trace : GLMResult or sequence of IRLSState

    Returns
    -------
    DevianceArtists

    Notes
    -----
    With R's default start the deviance at iteration 0 is that of the starting means,
    which are pulled towards the data and can be *smaller* than the final deviance.
    """
    tr = as_trace(trace)
    k = np.array([s.iteration for s in tr], dtype=float)
    d = np.array([s.deviance for s in tr], dtype=float)
    (line,) = ax.plot(k, d, "-o", color=_C["blue"], linewidth=1.5, markersize=4)
    (marker,) = ax.plot([], [], "o", color=_C["vermillion"], markersize=10, zorder=5)
    ax.set_xlim(k[0] - 0.3, k[-1] + 0.3)
    ax.set_ylim(*_pad(*_range(d), 0.08))
    _style_axes(ax, "Deviance", "iteration k", "deviance D", integer_x=True)
    label = _corner_text(ax, where="upper right")
    art = DevianceArtists(ax=ax, line=line, marker=marker, label=label)
    update_deviance(art, state)
    return art


def update_deviance(artists: DevianceArtists, state: IRLSState) -> None:
    """Move the deviance marker to ``state`` (no redraw)."""
    artists.marker.set_data([state.iteration], [state.deviance])
    halved = f", {state.step_halvings} halvings" if state.step_halvings else ""
    stalled = " (stalled)" if state.stalled else ""
    artists.label.set_text(f"D = {state.deviance:.6g}{halved}{stalled}")


# --- convergence --------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class ConvergenceArtists:
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
    if legend:
        _legend(ax, "lower left")
    label = _corner_text(ax, where="upper right")
    art = ConvergenceArtists(ax=ax, score_line=score_line, criterion_line=crit_line,
                             score_marker=score_marker, criterion_marker=crit_marker,
                             label=label, floor=floor)
    update_convergence(art, state)
    return art


def update_convergence(artists: ConvergenceArtists, state: IRLSState) -> None:
    """Move the convergence markers to ``state`` (no redraw)."""
    art = artists
    k = [state.iteration]
    art.score_marker.set_data(k, _log_values(np.array([state.max_abs_score]), art.floor))
    art.criterion_marker.set_data(k, _log_values(np.array([state.criterion]), art.floor))
    done = " (converged)" if state.converged else ""
    art.label.set_text(f"max|U| = {state.max_abs_score:.2g}, crit = {state.criterion:.2g}{done}")
