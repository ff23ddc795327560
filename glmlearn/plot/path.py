r"""The path panel: the iterates :math:`\beta^{(k)}` over contours of the deviance surface.

The surface itself is statistics and lives in the core (:mod:`glmlearn.surface`); this
module only chooses where to look at it (a box around the path, :func:`path_surface`)
and draws it. With ``quadratic=True`` it also draws, for the state shown, the quadratic
model :math:`Q_k` whose minimum the step goes to (:func:`glmlearn.surface.quadratic_model`),
at the same contour levels as the deviance: where the model's ellipses lie on the
deviance's contours, the model is exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import contourpy
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.contour import QuadContourSet
from matplotlib.lines import Line2D
from matplotlib.text import Text
from scipy import stats

from .._arrays import readonly
from .._irls import IRLSState
from ..surface import Surface, deviance_surface, quadratic_model
from ._common import Array, Trace, _iteration_text, as_trace
from ._panel import Panel
from ._place import Crowd
from ._style import _C, _coef_label, _legend, _start_note, _state_label, _style_axes

__all__ = ["PathArtists", "draw_path", "path_surface", "update_path"]


def _path_points(tr: Sequence[IRLSState]) -> Array:
    pts = [s.beta for s in tr if s.beta is not None]
    return np.array(pts, dtype=float).reshape(-1, 2)


def path_surface(trace: Trace, *, n_grid: int = 60, margin: float = 0.35) -> Surface:
    r"""The deviance surface on a box around the whole path of ``trace``.

    The box holds every iterate :math:`\beta^{(k)}` and every proposed step
    :math:`\beta^{\text{next}}`, plus ``margin`` of its extent on each side; the grid
    has ``n_grid`` points per axis. This is what :func:`draw_path` draws; compute it
    once and pass it as ``surface=`` to draw the panel again without re-evaluating the
    deviance (``n_grid**2`` evaluations over all n observations).

    Parameters
    ----------
    trace : GLMResult or sequence of IRLSState
        Of a model with two coefficients.
    n_grid : int
        Grid points per axis.
    margin : float
        Extra room around the path, as a fraction of its extent.

    Returns
    -------
    Surface
    """
    tr = as_trace(trace)
    pts = np.vstack([_path_points(tr), np.array([s.beta_next for s in tr])])
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    centre = tr[-1].beta_next if tr[-1].beta is None else tr[-1].beta
    # A one-step fit (gaussian) has a path of one point: give the box a size anyway.
    half = np.maximum.reduce([(hi - lo) * (0.5 + margin), 0.25 * np.abs(centre),
                              np.full(2, 0.1)])
    mid = (lo + hi) / 2
    b0 = np.linspace(mid[0] - half[0], mid[0] + half[0], n_grid)
    b1 = np.linspace(mid[1] - half[1], mid[1] + half[1], n_grid)
    return deviance_surface(tr[-1].problem, b0, b1)


#: Confidence levels of the innermost contours: the likelihood-ratio regions
#: :math:`D(\beta) - D_{\min} \le \chi^2_{2}(\text{level})`.
LR_LEVELS = (0.5, 0.8, 0.95, 0.99, 0.999)


def _contour_levels(D: Array, d_hat: float | None = None) -> Array:
    """Contours at likelihood-ratio levels above the minimum, then wider steps.

    The innermost ones are the 50% ... 99.9% confidence regions of
    :math:`(\beta_0, \beta_1)` (:data:`LR_LEVELS`): narrow, tilted ellipses when the
    coefficients are correlated, which is what the valley *is*. Further out, levels
    double, so the slopes the early iterates cross are visible too.
    """
    finite = np.isfinite(D).any()
    d_min = float(np.nanmin(D)) if finite else 0.0
    if d_hat is not None and np.isfinite(d_hat):
        d_min = min(d_min, float(d_hat))
    d_max = float(np.nanmax(D)) if finite else 1.0
    lr = np.array([float(stats.chi2.ppf(q, 2)) for q in LR_LEVELS])
    rise = max(d_max - d_min, 1e-12)
    outer = lr[-1] * 2.0 ** np.arange(1, 40)
    outer = outer[outer < rise]
    levels = d_min + np.concatenate([lr, outer[:: max(1, len(outer) // 8)]])
    if levels.size < 3 or lr[0] >= rise:  # a surface too flat for the LR levels
        levels = d_min + np.geomspace(rise * 2e-4, rise, 14)
    return np.unique(levels)


@dataclass(frozen=True, eq=False)
class PathArtists(Panel):
    """Artists of the path panel (from :func:`draw_path`).

    Attributes
    ----------
    ax : Axes
    contours : QuadContourSet
        The deviance surface (static).
    full_path : Line2D
        All iterates, faint.
    path : Line2D
        The iterates :math:`\\beta^{(1)}, \\dots, \\beta^{(k)}` up to the state shown
        (states without ``beta`` are skipped).
    current : Line2D
        :math:`\\beta^{(k)}`.
    step : Line2D
        The full WLS step from :math:`\\beta^{(k)}` to ``beta_next`` (before any halving).
    label : Text
    trace : tuple of IRLSState
    surface : Surface
        The deviance surface drawn.
    points : (m, 2) ndarray
        The iterates of the whole trace (states without ``beta`` skipped).
    counts : tuple of int
        ``counts[k]``: how many of ``points`` belong to states ``0..k``.
    note : str
        What the contours are (the label's second line, the same in every state).
    model : Line2D or None
        With ``quadratic=True``: the contours of the state's quadratic model
        :math:`Q_k` at the deviance's levels (NaN-separated pieces of one line).
    model_minimum : Line2D or None
        Where :math:`Q_k` is smallest (``beta_next``).
    model_join : Line2D or None
        From that minimum to the next iterate :math:`\beta^{(k+1)}` (a point when the
        step was taken in full, half-way back per halving otherwise).
    levels : ndarray
        The contour levels of the deviance (and of the model).
    """

    ax: Axes
    contours: QuadContourSet
    full_path: Line2D
    path: Line2D
    current: Line2D
    step: Line2D
    label: Text
    trace: tuple[IRLSState, ...]
    surface: Surface
    points: Array
    counts: tuple[int, ...]
    note: str = ""
    model: Line2D | None = None
    model_minimum: Line2D | None = None
    model_join: Line2D | None = None
    levels: Array = field(default_factory=lambda: np.empty(0))

    @property
    def moving(self) -> tuple[Artist, ...]:
        model = (() if self.model is None or self.model_minimum is None
                 or self.model_join is None
                 else (self.model, self.model_minimum, self.model_join))
        return (self.path, self.current, self.step, *model, self.label)

    def _update_model(self, state: IRLSState) -> None:
        assert self.model is not None and self.model_minimum is not None
        assert self.model_join is not None
        if state.beta is None:  # no coefficients to expand the deviance around
            for line in (self.model, self.model_minimum, self.model_join):
                line.set_data([], [])
            return
        q = quadratic_model(state)
        b0, b1 = np.meshgrid(self.surface.beta0, self.surface.beta1)
        values = q(np.stack([b0, b1], axis=-1))
        xs, ys = _contour_lines(self.surface.beta0, self.surface.beta1, values, self.levels)
        self.model.set_data(xs, ys)
        m = q.minimum
        self.model_minimum.set_data([m[0]], [m[1]])
        k = state.iteration
        nxt = self.trace[k + 1].beta if k + 1 < len(self.trace) else None
        if nxt is None:
            self.model_join.set_data([], [])
        else:
            self.model_join.set_data([m[0], nxt[0]], [m[1], nxt[1]])

    def update(self, state: IRLSState) -> None:
        """Move the path panel to ``state`` (no redraw)."""
        pts = self.points[: self.counts[state.iteration]]
        self.path.set_data(pts[:, 0], pts[:, 1])
        if state.beta is None:
            self.current.set_data([], [])
            self.step.set_data([], [])
        else:
            b, bn = state.beta, state.beta_next
            self.current.set_data([b[0]], [b[1]])
            self.step.set_data([b[0], bn[0]], [b[1], bn[1]])
        if self.model is not None:
            self._update_model(state)
        self.label.set_text(f"{_start_note(state) or _iteration_text(state)}\n{self.note}")


def _contour_lines(x: Array, y: Array, values: Array, levels: Array) -> tuple[Array, Array]:
    """The contour lines of ``values`` at ``levels`` as one NaN-separated polyline."""
    gen = contourpy.contour_generator(x, y, values, line_type=contourpy.LineType.Separate)
    pieces = [np.asarray(piece) for level in levels for piece in gen.lines(float(level))]
    if not pieces:
        return np.empty(0), np.empty(0)
    gap = np.full((1, 2), np.nan)
    xy = np.concatenate([part for piece in pieces for part in (piece, gap)])
    return xy[:, 0], xy[:, 1]


def draw_path(
    ax: Axes,
    state: IRLSState,
    *,
    trace: Trace,
    surface: Surface | None = None,
    n_grid: int = 60,
    margin: float = 0.35,
    legend: bool = True,
    quadratic: bool = False,
) -> PathArtists:
    r"""Draw the path of :math:`(\beta_0, \beta_1)` over contours of the deviance.

    Each IRLS step is a Newton (Fisher-scoring) step on this surface; the dashed
    segment is the step the state's weighted least squares proposes
    (:math:`\beta^{(k)} \to \beta^{\text{next}}`).

    Parameters
    ----------
    ax : Axes
    state : IRLSState
    trace : GLMResult or sequence of IRLSState
    surface : Surface, optional
        The surface to draw, e.g. ``path_surface(trace)`` computed once for several
        figures of the same trace; default: :func:`path_surface` with ``n_grid`` and
        ``margin``, evaluated here.
    n_grid : int
        Grid points per axis (``n_grid**2`` deviance evaluations, vectorised); unused
        with ``surface``.
    margin : float
        Extra room around the path, as a fraction of its extent; unused with ``surface``.
    legend : bool
        Draw a legend.
    quadratic : bool
        Also draw the state's quadratic model :math:`Q_k` of the deviance
        (:func:`glmlearn.surface.quadratic_model`: the weighted least-squares objective,
        up to a constant), its minimum ``beta_next`` and the segment from that minimum
        to the next iterate (where step-halving took the step back).

    Returns
    -------
    PathArtists

    Raises
    ------
    ValueError
        If the model does not have exactly two coefficients.
    """
    tr = as_trace(trace)
    problem = state.problem
    if problem.p != 2:
        raise ValueError(f"draw_path: needs a model with two coefficients, this one has "
                         f"{problem.p}")
    surf = path_surface(tr, n_grid=n_grid, margin=margin) if surface is None else surface
    d_hat = tr[-1].deviance if tr[-1].beta is not None else None
    levels = _contour_levels(surf.deviance, d_hat)
    contours = ax.contour(surf.beta0, surf.beta1, surf.deviance, levels=levels,
                          cmap="cividis", linewidths=1.0, zorder=1)
    n_lr = int(np.count_nonzero(levels - levels[0] <= stats.chi2.ppf(LR_LEVELS[-1], 2) + 1e-9))
    pts = _path_points(tr)
    counts = tuple(int(c) for c in np.cumsum([s.beta is not None for s in tr]))
    (full_path,) = ax.plot(pts[:, 0], pts[:, 1], "-", color=_C["black"], alpha=0.25,
                           linewidth=1, zorder=2)
    (path,) = ax.plot([], [], "-o", color=_C["blue"], markersize=5, linewidth=1.5, zorder=3,
                      label="iterates β⁽ᵏ⁾")
    (step,) = ax.plot([], [], "--", color=_C["vermillion"], linewidth=1.5, zorder=3,
                      label="WLS step → β next")
    (current,) = ax.plot([], [], "o", color=_C["vermillion"], markersize=10, zorder=4)
    model = model_minimum = model_join = None
    if quadratic:
        (model,) = ax.plot([], [], "--", color=_C["green"], linewidth=1.3, alpha=0.9,
                           zorder=2, label="quadratic model Q_k")
        (model_join,) = ax.plot([], [], ":", color=_C["green"], linewidth=2.5, zorder=3,
                                label="halved: β next → β⁽ᵏ⁺¹⁾")
        (model_minimum,) = ax.plot([], [], "X", color=_C["green"], markersize=10,
                                   markeredgecolor=_C["black"], zorder=5,
                                   label="minimum of Q_k = β next")
    ax.set_xlim(surf.beta0[0], surf.beta0[-1])
    ax.set_ylim(surf.beta1[0], surf.beta1[-1])
    names = problem.column_names
    _style_axes(ax, "Path on the deviance surface", _coef_label(0, names[0]),
                _coef_label(1, names[1]))
    # Say on the figure what the contours are and what their colour means.
    # The inner contours are D = D_min + chi2_2 quantile: likelihood-ratio confidence
    # regions (likelihood-ratio tests, two degrees of freedom). Colour: dark is low deviance.
    note = ("contours of D (dark = low): inner ones D̂ + χ²₂ quantile,\n"
            "the 50 80 95 99 99.9% confidence regions" if n_lr >= len(LR_LEVELS)
            else "contours of the deviance D(β₀, β₁) (dark = low)")
    label = _state_label(ax, 2 + note.count("\n"))
    if legend:
        crowd = Crowd(grow=False)
        crowd.add_points(pts[:, 0], pts[:, 1])
        crowd.add_line(pts[:, 0], pts[:, 1])
        for s in tr:
            if s.beta is not None:
                crowd.add_line([s.beta[0], s.beta_next[0]], [s.beta[1], s.beta_next[1]])
        for seg in contours.allsegs:
            for piece in seg:
                crowd.add_line(piece[:, 0], piece[:, 1], soft=True)
        _legend(ax, crowd=crowd)
    art = PathArtists(ax=ax, contours=contours, full_path=full_path, path=path,
                      current=current, step=step, label=label, trace=tr, surface=surf,
                      points=pts, counts=counts, note=note, model=model,
                      model_minimum=model_minimum, model_join=model_join,
                      levels=readonly(levels))
    art.update(state)
    return art


def update_path(artists: PathArtists, state: IRLSState) -> None:
    """Move the path panel to ``state`` (no redraw): ``artists.update(state)``."""
    artists.update(state)
