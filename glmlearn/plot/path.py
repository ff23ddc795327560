r"""The path panel: the iterates :math:`\beta^{(k)}` over contours of the deviance surface.

The surface itself is statistics and lives in the core (:mod:`glmlearn.surface`); this
module only chooses where to look at it (a box around the path, :func:`path_surface`)
and draws it. With ``quadratic=True`` it also draws, for the state shown, the quadratic
model :math:`Q_k` whose minimum the step goes to (:func:`glmlearn.surface.quadratic_model`),
at the same contour levels as the deviance: where the model's ellipses lie on the
deviance's contours, the model is exact.

Any two coefficients ``coefs = (i, j)`` can be shown. With more than two coefficients the
picture is a *slice*: :math:`D` over :math:`(\beta_i, \beta_j)` with every other
coefficient held at the state shown, :math:`\beta^{(k)}_{-ij}`, so the slice is evaluated
again for each state (once; kept per state). The iterates are drawn projected onto the
plane; the slice is not the profile of the deviance (which would minimise over the
others), and its valley is not :math:`\hat\beta`'s until the others are there too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import contourpy
import numpy as np
from matplotlib import colormaps
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.contour import QuadContourSet
from matplotlib.lines import Line2D
from matplotlib.text import Text
from numpy.typing import ArrayLike
from scipy import stats

from .._arrays import readonly
from .._irls import IRLSState
from ..errors import GLMInputError
from ..problem import GLMProblem
from ..surface import Surface, coefficient_pair, deviance_surface, quadratic_model
from ._common import Array, Trace, _iteration_text, as_trace
from ._panel import Panel
from ._place import Crowd
from ._style import _C, _coef_label, _legend, _start_note, _state_label, _style_axes

__all__ = ["PathArtists", "draw_path", "path_surface", "update_path"]


def _path_points(tr: Sequence[IRLSState], coefs: tuple[int, int] = (0, 1)) -> Array:
    """The iterates' coefficients ``coefs`` (their projection onto that plane)."""
    pts = [np.asarray(s.beta, dtype=float)[list(coefs)] for s in tr if s.beta is not None]
    return np.array(pts, dtype=float).reshape(-1, 2)


#: Grid points per axis of the path panel: 60 for two coefficients (one surface per
#: trace), 40 for a slice (one per state shown). Measured on 2 loaded cores, a logistic
#: fit with n = 1,000 and p = 3: a state shown for the first time costs about 75 ms (its
#: 40 x 40 slice, 1.6 million deviance terms; 60 x 60 would take 2.3 times as long), a
#: state shown before 0.2 ms (1.3 ms with the quadratic model).
N_GRID, N_GRID_SLICE = 60, 40


def _default_grid(problem: GLMProblem, n_grid: int | None) -> int:
    if n_grid is not None:
        return int(n_grid)
    return N_GRID if problem.p == 2 else N_GRID_SLICE


def _held_state(state: IRLSState, tr: Sequence[IRLSState]) -> IRLSState:
    """The state whose coefficients a slice holds the others at: ``state`` itself, or
    (state 0 started from R's means, without coefficients) the first later one with them."""
    if state.beta is not None:
        return state
    later = [s for s in tr[state.iteration:] if s.beta is not None]
    return later[0] if later else state


def _held_beta(state: IRLSState) -> Array:
    return np.asarray(state.beta if state.beta is not None else state.beta_next, dtype=float)


def _no_path(tr: Sequence[IRLSState], ij: tuple[int, int]) -> str:
    """Why there is no path in the plane ``ij``: a coefficient without values (aliased)."""
    names = tr[-1].problem.column_names
    empty = [c for c in ij
             if not any(s.beta is not None and np.isfinite(s.beta[c]) for s in tr)] or list(ij)
    shown = " and ".join(f"{c} ({names[c]!r})" for c in empty)
    return (f"coefs: coefficient {shown} has no finite value in any state (an aliased "
            "column has none), so there is no path in this plane; choose two estimated "
            "coefficients")


def _slice_scale(state: IRLSState, ij: tuple[int, int]) -> Array:
    r"""Half-widths that hold the 99.9% likelihood-ratio region of a slice.

    In the plane of ``ij`` (the others held) the deviance is about
    :math:`D_{\min} + \delta^\top H \delta` with :math:`H` the plane's block of
    :math:`X^\top W X`, so the region :math:`\delta^\top H \delta \le c` reaches
    :math:`\sqrt{c\,(H^{-1})_{ii}}` along axis i; :math:`c = \chi^2_2(0.999) \approx 13.8`,
    rounded up to a factor 4 of :math:`\sqrt{(H^{-1})_{ii}}`. (A box scaled by the
    coefficients' own size instead, as for two coefficients, can be hundreds of those
    widths across one axis and a fraction of one across the other: a slice of parallel
    lines.)
    """
    try:
        H = np.asarray(state.xtwx, dtype=float)[np.ix_(ij, ij)]
        sd = np.sqrt(np.diag(np.linalg.inv(H)))
    except (np.linalg.LinAlgError, ValueError):
        return np.full(2, 0.1)
    return np.where(np.isfinite(sd), 4.0 * sd, 0.1)


def path_surface(trace: Trace, *, n_grid: int | None = None, margin: float = 0.35,
                 coefs: Sequence[int | str] = (0, 1),
                 at: IRLSState | ArrayLike | None = None) -> Surface:
    r"""The deviance surface on a box around the whole path of ``trace``.

    The box holds every iterate :math:`\beta^{(k)}` and every proposed step
    :math:`\beta^{\text{next}}` (their coefficients ``coefs``), plus ``margin`` of its
    extent on each side; the grid has ``n_grid`` points per axis. This is what
    :func:`draw_path` draws; compute it once and pass it as ``surface=`` to draw the
    panel again without re-evaluating the deviance (``n_grid**2`` evaluations over all n
    observations).

    Parameters
    ----------
    trace : GLMResult or sequence of IRLSState
        Of a model with at least two coefficients.
    n_grid : int, optional
        Grid points per axis (default :data:`N_GRID`, or :data:`N_GRID_SLICE` when
        ``p > 2``).
    margin : float
        Extra room around the path, as a fraction of its extent.
    coefs : (int or str, int or str)
        The two coefficients on the axes, as indices or column names (default the
        first two).
    at : IRLSState or (p,) array_like, optional
        For ``p > 2``: where the other coefficients are held (a state: its
        :math:`\beta^{(k)}`). Default: the trace's last iterate, the slice through
        (nearly) :math:`\hat\beta`. Ignored for ``p = 2``.

    Returns
    -------
    Surface
        For ``p > 2`` the slice through ``at``; :func:`draw_path` evaluates the slice
        of each state it shows on the same grid.

    Raises
    ------
    GLMInputError
        If ``coefs`` does not name two different coefficients.
    """
    tr = as_trace(trace)
    problem = tr[-1].problem
    ij = coefficient_pair(problem, coefs)
    pts = np.vstack([_path_points(tr, ij),
                     np.array([np.asarray(s.beta_next, dtype=float)[list(ij)] for s in tr])])
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    if not pts.size:
        raise GLMInputError(_no_path(tr, ij))
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    centre = _held_beta(tr[-1])[list(ij)]
    # A one-step fit (gaussian) has a path of one point: give the box a size anyway.
    floor = (0.25 * np.abs(centre) if problem.p == 2
             else _slice_scale(tr[-1], ij))
    half = np.maximum.reduce([(hi - lo) * (0.5 + margin), floor, np.full(2, 1e-3)])
    mid = (lo + hi) / 2
    g = _default_grid(problem, n_grid)
    b0 = np.linspace(mid[0] - half[0], mid[0] + half[0], g)
    b1 = np.linspace(mid[1] - half[1], mid[1] + half[1], g)
    held = None
    if problem.p > 2:
        held = (_held_beta(_held_state(tr[-1], tr)) if at is None
                else _held_beta(at) if isinstance(at, IRLSState) else at)
    return deviance_surface(problem, b0, b1, at=held, coefs=ij)


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


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _beta_k(k: int) -> str:
    """β⁽ᵏ⁾ for a given k: ``β⁽³⁾``."""
    return f"β⁽{str(k).translate(_SUPERSCRIPTS)}⁾"


@dataclass(frozen=True, eq=False)
class _Slice:
    """One state's slice: the surface and its contour levels and lines (cached)."""

    surface: Surface
    levels: Array
    segments: tuple[Array, ...]
    colours: Array


@dataclass(frozen=True, eq=False)
class PathArtists(Panel):
    r"""Artists of the path panel (from :func:`draw_path`).

    Attributes
    ----------
    ax : Axes
    contours : QuadContourSet or LineCollection
        The deviance surface: for ``p = 2`` a static ``QuadContourSet``; for ``p > 2``
        a ``LineCollection`` of the slice through the state shown, which moves (its
        segments and colours are set per state).
    full_path : Line2D
        All iterates, faint.
    path : Line2D
        The iterates :math:`\beta^{(1)}, \dots, \beta^{(k)}` up to the state shown
        (states without ``beta`` are skipped), projected onto ``coefs``.
    current : Line2D
        :math:`\beta^{(k)}`.
    step : Line2D
        The full WLS step from :math:`\beta^{(k)}` to ``beta_next`` (before any halving).
    label : Text
    trace : tuple of IRLSState
    surface : Surface
        The deviance surface drawn (``p = 2``); for ``p > 2`` the slice that set the
        box and the grid (through the trace's last iterate unless given). The slice of
        any state: :meth:`slice_at`.
    points : (m, 2) ndarray
        The iterates of the whole trace (states without ``beta`` skipped), coefficients
        ``coefs``.
    counts : tuple of int
        ``counts[k]``: how many of ``points`` belong to states ``0..k``.
    note : str
        What the contours are (the label's last lines; for ``p > 2`` with ``{held}``
        standing for the state the others are held at).
    model : Line2D or None
        With ``quadratic=True``: the contours of the state's quadratic model
        :math:`Q_k` at the deviance's levels (NaN-separated pieces of one line), in the
        plane of ``coefs`` through :math:`\beta^{(k)}` when ``p > 2``.
    model_minimum : Line2D or None
        Where :math:`Q_k` is smallest: ``beta_next`` for ``p = 2``; for ``p > 2`` the
        minimum of :math:`Q_k` *within the plane* (:meth:`QuadraticModel.plane_minimum
        <glmlearn.surface.QuadraticModel.plane_minimum>`), in general not the projection
        of ``beta_next``.
    model_join : Line2D or None
        From ``beta_next`` to the next iterate :math:`\beta^{(k+1)}` (a point when the
        step was taken in full, half-way back per halving otherwise), projected.
    levels : ndarray
        The contour levels of the deviance (and of the model) for ``p = 2``; for
        ``p > 2`` those of the slice first drawn (each slice has its own:
        ``_slice(state).levels``).
    coefs : (int, int)
        The column indices on the axes.
    is_slice : bool
        True when :func:`draw_path` drew a model with ``p > 2``: the contours are the
        slice through the state shown, and move with it. (False: static contours, e.g.
        ``p = 2``, or a caller that draws its own surface.)
    """

    ax: Axes
    contours: QuadContourSet | LineCollection
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
    coefs: tuple[int, int] = (0, 1)
    is_slice: bool = False
    _slices: dict[int, _Slice] = field(default_factory=dict, repr=False)

    @property
    def moving(self) -> tuple[Artist, ...]:
        model = (() if self.model is None or self.model_minimum is None
                 or self.model_join is None
                 else (self.model, self.model_minimum, self.model_join))
        slice_ = (self.contours,) if self.is_slice else ()
        return (*slice_, self.path, self.current, self.step, *model, self.label)

    def slice_at(self, state: IRLSState) -> Surface:
        """The surface drawn at ``state``: for ``p > 2`` the slice with the other
        coefficients held at its :math:`\beta^{(k)}` (evaluated once, then kept)."""
        return self._slice(state).surface if self.is_slice else self.surface

    def _slice(self, state: IRLSState) -> _Slice:
        held = _held_state(state, self.trace)
        k = held.iteration
        cached = self._slices.get(k)
        if cached is None:
            grid = self.surface
            beta = _held_beta(held)
            if np.array_equal(grid.at, beta, equal_nan=True):
                surf = grid
            else:
                surf = deviance_surface(held.problem, grid.beta0, grid.beta1, at=beta,
                                        coefs=self.coefs)
            cached = _make_slice(surf)
            self._slices[k] = cached
        return cached

    def _plane(self, beta: Array) -> tuple[float, float]:
        i, j = self.coefs
        return float(beta[i]), float(beta[j])

    def _update_model(self, state: IRLSState, levels: Array) -> None:
        assert self.model is not None and self.model_minimum is not None
        assert self.model_join is not None
        if state.beta is None:  # no coefficients to expand the deviance around
            for line in (self.model, self.model_minimum, self.model_join):
                line.set_data([], [])
            return
        q = quadratic_model(state)
        i, j = self.coefs
        b0, b1 = np.meshgrid(self.surface.beta0, self.surface.beta1)
        grid = np.broadcast_to(np.asarray(state.beta, dtype=float), (*b0.shape, q.beta.size)).copy()
        grid[..., i], grid[..., j] = b0, b1
        if not (q.kept[i] and q.kept[j]):  # an aliased coefficient: Q_k does not involve it
            for line in (self.model, self.model_minimum, self.model_join):
                line.set_data([], [])
            return
        values = q(grid)
        xs, ys = _contour_lines(self.surface.beta0, self.surface.beta1, values, levels)
        self.model.set_data(xs, ys)
        # p = 2: the model's minimum is beta_next; p > 2: its minimum in this plane.
        m = q.minimum if not self.is_slice else q.plane_minimum(i, j)
        mx, my = self._plane(m)
        self.model_minimum.set_data([mx], [my])
        k = state.iteration
        nxt = self.trace[k + 1].beta if k + 1 < len(self.trace) else None
        if nxt is None:
            self.model_join.set_data([], [])
        else:
            sx, sy = self._plane(m if not self.is_slice else np.asarray(state.beta_next))
            nx, ny = self._plane(np.asarray(nxt))
            self.model_join.set_data([sx, nx], [sy, ny])

    def update(self, state: IRLSState) -> None:
        """Move the path panel to ``state`` (no redraw; for ``p > 2`` the state's slice
        is evaluated the first time it is shown)."""
        pts = self.points[: self.counts[state.iteration]]
        self.path.set_data(pts[:, 0], pts[:, 1])
        if state.beta is None:
            self.current.set_data([], [])
            self.step.set_data([], [])
        else:
            bx, by = self._plane(np.asarray(state.beta))
            nx, ny = self._plane(np.asarray(state.beta_next))
            self.current.set_data([bx], [by])
            self.step.set_data([bx, nx], [by, ny])
        levels = self.levels
        note = self.note
        if self.is_slice:
            sl = self._slice(state)
            assert isinstance(self.contours, LineCollection)
            self.contours.set_segments(list(sl.segments))
            self.contours.set_color(list(sl.colours))
            levels = sl.levels
            note = note.format(held=_beta_k(_held_state(state, self.trace).iteration))
        if self.model is not None:
            self._update_model(state, levels)
        self.label.set_text(f"{_start_note(state) or _iteration_text(state)}\n{note}")


def _make_slice(surface: Surface) -> _Slice:
    """A slice's contour levels (from its own minimum) and lines, coloured by level."""
    levels = _contour_levels(surface.deviance)
    gen = contourpy.contour_generator(surface.beta0, surface.beta1, surface.deviance,
                                      line_type=contourpy.LineType.Separate)
    segments: list[Array] = []
    values: list[float] = []
    for level in levels:
        for piece in gen.lines(float(level)):
            segments.append(readonly(np.asarray(piece, dtype=float)))
            values.append(float(level))
    norm = Normalize(float(levels[0]), float(levels[-1]))
    colours = colormaps["cividis"](norm(np.asarray(values))).reshape(-1, 4)
    return _Slice(surface=surface, levels=readonly(levels), segments=tuple(segments),
                  colours=readonly(colours))


def _contour_lines(x: Array, y: Array, values: Array, levels: Array) -> tuple[Array, Array]:
    """The contour lines of ``values`` at ``levels`` as one NaN-separated polyline."""
    gen = contourpy.contour_generator(x, y, values, line_type=contourpy.LineType.Separate)
    pieces = [np.asarray(piece) for level in levels for piece in gen.lines(float(level))]
    if not pieces:
        return np.empty(0), np.empty(0)
    gap = np.full((1, 2), np.nan)
    xy = np.concatenate([part for piece in pieces for part in (piece, gap)])
    return xy[:, 0], xy[:, 1]


def _legend_entries(ax: Axes, step: Line2D, model_minimum: Line2D | None, sliced: bool
                    ) -> tuple[list[Any], list[str]]:
    """The path legend's handles and labels, one row fewer than one per artist for
    ``p = 2``: there the model's minimum *is* the step's end, so the step's row shows
    both (the dashed step and the cross) and says so."""
    handles, labels = ax.get_legend_handles_labels()
    if model_minimum is None or sliced:
        return list(handles), list(labels)
    rows = [(h, lab) for h, lab in zip(handles, labels, strict=True) if h is not model_minimum]
    return ([(step, model_minimum) if h is step else h for h, _ in rows],
            ["step → β next = min Q_k" if h is step else lab for h, lab in rows])


def _kept(state: IRLSState, ij: tuple[int, int]) -> bool:
    """Whether both coefficients of the plane are estimated (not aliased) at ``state``."""
    nxt = np.asarray(state.beta_next, dtype=float)
    return bool(np.isfinite(nxt[ij[0]]) and np.isfinite(nxt[ij[1]]))


def _choose_coefs(problem: GLMProblem, coefs: Sequence[int | str] | None,
                  surface: Surface | None) -> tuple[int, int]:
    if coefs is None:
        return surface.coefs if surface is not None else (0, 1)
    ij = coefficient_pair(problem, coefs)
    if surface is not None and surface.coefs != ij:
        raise GLMInputError(f"coefs: {tuple(coefs)!r} are columns {ij}, but the surface given "
                            f"is over columns {surface.coefs}; leave coefs out, or compute "
                            "the surface with path_surface(trace, coefs=...)")
    return ij


def draw_path(
    ax: Axes,
    state: IRLSState,
    *,
    trace: Trace,
    surface: Surface | None = None,
    coefs: Sequence[int | str] | None = None,
    n_grid: int | None = None,
    margin: float = 0.35,
    legend: bool = True,
    quadratic: bool = False,
    d_hat: float | None = None,
) -> PathArtists:
    r"""Draw the path of two coefficients :math:`(\beta_i, \beta_j)` over contours of the deviance.

    Each IRLS step is a Newton (Fisher-scoring) step on this surface; the dashed
    segment is the step the state's weighted least squares proposes
    (:math:`\beta^{(k)} \to \beta^{\text{next}}`).

    With more than two coefficients the contours are a slice: :math:`D` over
    :math:`(\beta_i, \beta_j)` with the others held at the state shown,
    :math:`\beta^{(k)}_{-ij}` (the figure says so), evaluated once per state shown; the
    iterates and steps are drawn projected onto the plane. It is not the profile
    deviance, and until the other coefficients reach :math:`\hat\beta` its valley is
    not where :math:`(\hat\beta_i, \hat\beta_j)` is.

    Parameters
    ----------
    ax : Axes
    state : IRLSState
    trace : GLMResult or sequence of IRLSState
    surface : Surface, optional
        The surface to draw, e.g. ``path_surface(trace)`` computed once for several
        figures of the same trace; default: :func:`path_surface` with ``coefs``,
        ``n_grid`` and ``margin``, evaluated here. For ``p > 2`` it gives the grid, and
        is the slice of any state whose :math:`\beta^{(k)}` is its ``at``; the other
        states' slices are evaluated on its grid.
    coefs : (int or str, int or str), optional
        The two coefficients on the axes, by index or column name (default the first
        two, or the given surface's).
    n_grid : int, optional
        Grid points per axis (default 60, or 40 for ``p > 2``, where each state shown
        costs ``n_grid**2`` deviance evaluations, vectorised); unused with ``surface``.
    margin : float
        Extra room around the path, as a fraction of its extent; unused with ``surface``.
    legend : bool
        Draw a legend.
    quadratic : bool
        Also draw the state's quadratic model :math:`Q_k` of the deviance
        (:func:`glmlearn.surface.quadratic_model`: the weighted least-squares objective,
        up to a constant), its minimum and the segment from ``beta_next`` to the next
        iterate (where step-halving took the step back). For ``p = 2`` the minimum is
        ``beta_next``. For ``p > 2``, :math:`Q_k` is drawn restricted to the plane (the
        others held at :math:`\beta^{(k)}`, like the slice) and the point marked is its
        minimum *in that plane*, which is in general not ``beta_next``: the step's end
        (the dashed segment) is the projection of ``beta_next``, which also moves the
        other coefficients. The figure says this too.
    d_hat : float, optional
        The deviance at the maximum-likelihood estimate, :math:`\hat D`, that the inner
        contours (the likelihood-ratio confidence regions) are drawn above; default the
        deviance of the trace's last state, its fit. For ``p = 2``. (A picture of a trace
        that is not a fit, say one state set by hand, passes the fit's.)

    Returns
    -------
    PathArtists

    Raises
    ------
    ValueError
        If the model has fewer than two coefficients.
    GLMInputError
        If ``coefs`` does not name two different coefficients, or disagrees with the
        given ``surface``.
    """
    tr = as_trace(trace)
    problem = state.problem
    if problem.p < 2:
        raise ValueError(f"draw_path: needs a model with at least two coefficients, this one "
                         f"has {problem.p}")
    ij = _choose_coefs(problem, coefs, surface)
    sliced = problem.p > 2
    surf = (path_surface(tr, n_grid=n_grid, margin=margin, coefs=ij) if surface is None
            else surface)
    pts = _path_points(tr, ij)
    counts = tuple(int(c) for c in np.cumsum([s.beta is not None for s in tr]))
    contours: QuadContourSet | LineCollection
    if not sliced:
        if d_hat is None and tr[-1].beta is not None:
            d_hat = tr[-1].deviance
        levels = _contour_levels(surf.deviance, d_hat)
        contours = ax.contour(surf.beta0, surf.beta1, surf.deviance, levels=levels,
                              cmap="cividis", linewidths=1.0, zorder=1)
        segments = [piece for seg in contours.allsegs for piece in seg]
    else:
        first = _make_slice(surf)
        levels = first.levels
        contours = LineCollection(list(first.segments), colors=first.colours,
                                  linewidths=1.0, zorder=1)
        ax.add_collection(contours, autolim=False)
        segments = list(first.segments)
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
                           zorder=2, label="Q_k in this plane" if sliced
                           else "quadratic model Q_k")
        # The legend names the halving segment only when some step of the trace was
        # halved (else it is never drawn): in the explorer's small panel every row of
        # the legend takes room the path needs.
        halved = any(s.step_halvings for s in tr)
        (model_join,) = ax.plot([], [], ":", color=_C["green"], linewidth=2.5, zorder=3,
                                label="halved: β next → β⁽ᵏ⁺¹⁾" if halved else "_halved")
        (model_minimum,) = ax.plot([], [], "X", color=_C["green"], markersize=10,
                                   markeredgecolor=_C["black"], zorder=5,
                                   label="its minimum (≠ β next in general)"
                                   if sliced else "minimum of Q_k = β next")
    ax.set_xlim(surf.beta0[0], surf.beta0[-1])
    ax.set_ylim(surf.beta1[0], surf.beta1[-1])
    names = problem.column_names
    i, j = ij
    _style_axes(ax, "Path on a slice of the deviance" if sliced
                else "Path on the deviance surface",
                _coef_label(i, names[i]), _coef_label(j, names[j]))
    # Say on the figure what the contours are and what their colour means.
    if sliced:
        # A slice is easily mistaken for the profile, or for the whole surface: say which
        # coefficients are held, where, and that the points are projections.
        note = ("slice: others held at {held} (not the profile);\n"
                "points projected; contours of D, dark = low")
    else:
        # The inner contours are D = D_min + chi2_2 quantile: likelihood-ratio confidence
        # regions (likelihood-ratio tests, two degrees of freedom). Colour: dark is low.
        n_lr = int(np.count_nonzero(levels - levels[0]
                                    <= stats.chi2.ppf(LR_LEVELS[-1], 2) + 1e-9))
        # Two short lines (the explorer's path panel, in the figure's last column, has
        # about 240 pixels from its left edge to the figure's): the inner contours are
        # at D̂ plus the χ²₂ quantiles of those levels.
        note = ("contours of D (dark = low); inner: D̂ + χ²₂\n"
                "50 80 95 99 99.9% confidence regions" if n_lr >= len(LR_LEVELS)
                else "contours of the deviance D(β₀, β₁) (dark = low)")
    label = _state_label(ax, 2 + note.count("\n"))
    if legend:
        # Fixed limits (the surface's box), and often no room beside the axes (the
        # explorer's last column): make room at the top rather than cover the path.
        crowd = Crowd(grow=False, make_room=True)
        crowd.add_points(pts[:, 0], pts[:, 1])
        crowd.add_line(pts[:, 0], pts[:, 1])
        for s in tr:
            if s.beta is not None:
                b, bn = np.asarray(s.beta)[list(ij)], np.asarray(s.beta_next)[list(ij)]
                crowd.add_line([b[0], bn[0]], [b[1], bn[1]])
        if quadratic and sliced:
            # The plane's minima of Q_k are off the steps: keep them clear of the legend too.
            minima = np.array([quadratic_model(s).plane_minimum(*ij)[list(ij)] for s in tr
                               if s.beta is not None and _kept(s, ij)]).reshape(-1, 2)
            crowd.add_points(minima[:, 0], minima[:, 1])
        for piece in segments:
            crowd.add_line(piece[:, 0], piece[:, 1], soft=True)
        handles, names_ = _legend_entries(ax, step, model_minimum, sliced)
        _legend(ax, crowd=crowd, handles=handles, labels=names_, handlelength=1.6,
                labelspacing=0.3, borderpad=0.3)
    art = PathArtists(ax=ax, contours=contours, full_path=full_path, path=path,
                      current=current, step=step, label=label, trace=tr, surface=surf,
                      points=pts, counts=counts, note=note, model=model,
                      model_minimum=model_minimum, model_join=model_join,
                      levels=readonly(levels), coefs=ij, is_slice=sliced)
    art.update(state)
    return art


def update_path(artists: PathArtists, state: IRLSState) -> None:
    """Move the path panel to ``state`` (no redraw): ``artists.update(state)``; for
    ``p > 2`` that evaluates the state's slice the first time it is shown."""
    artists.update(state)
