r"""The path panel: the iterates over contours of the deviance surface."""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.contour import QuadContourSet
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .._irls import IRLSState
from ..problem import GLMProblem

if TYPE_CHECKING:
    pass

from ._common import Array, Trace, _iteration_text, as_trace
from ._style import _C, _corner_text, _legend, _style_axes

__all__ = ["PathArtists", "deviance_surface", "draw_path", "update_path"]

# --- path on the deviance surface ---------------------------------------------------------

def deviance_surface(problem: GLMProblem, beta0: Array, beta1: Array, *,
                     chunk_elements: int = 250_000) -> Array:
    r"""The deviance :math:`D(\beta)` on the grid ``beta0`` x ``beta1`` (two-column X).

    :math:`D(\beta) = \sum_i w_i^{\text{prior}} d(y_i, g^{-1}(x_i^\top\beta + o_i))`, the
    family's own deviance. Points where :math:`\eta` or :math:`\mu` leaves its valid
    range are NaN (the surface has a hole there, e.g. an identity link whose mean would
    be negative).

    Parameters
    ----------
    problem : GLMProblem
        Must have exactly two columns.
    beta0, beta1 : (g0,), (g1,) ndarray
        Grid values of the first and second coefficient.
    chunk_elements : int
        Size of the ``n x grid-points`` block evaluated at once. Blocks of about 2 MB
        stay in the CPU cache through the link, the deviance and the sum: about 2.5x
        faster than large blocks (n = 10,000 on a 60 x 60 grid: 0.3 s).

    Returns
    -------
    (g1, g0) ndarray
        ``D[i, j]`` is the deviance at ``(beta0[j], beta1[i])``, as ``contour`` expects.
    """
    if problem.p != 2:
        raise ValueError(f"deviance_surface: needs a two-column X, this one has {problem.p}")
    fam = problem.family
    b0, b1 = np.meshgrid(np.asarray(beta0, float), np.asarray(beta1, float))
    B = np.vstack([b0.ravel(), b1.ravel()])  # (2, G)
    X, y, pw, off = problem.X, problem.y, problem.prior_weights, problem.offset
    out = np.empty(B.shape[1])
    step = max(1, chunk_elements // max(problem.n, 1))
    with np.errstate(all="ignore"):
        for s in range(0, B.shape[1], step):
            eta = X @ B[:, s:s + step] + off[:, None]
            mu = fam.link_inverse(eta)
            d = fam.unit_deviance(y[:, None], mu)
            ok = np.all(fam.link.valid_eta(eta) & fam.valid_mu(mu), axis=0)
            dev = pw @ np.where(np.isfinite(d), d, np.inf)
            out[s:s + step] = np.where(ok & np.isfinite(dev), dev, np.nan)
    return out.reshape(b0.shape)


@dataclass(frozen=True, eq=False)
class _Surface:
    beta0: Array
    beta1: Array
    deviance: Array
    levels: Array


# Per-trace cache, keyed on the trace's last state (frozen, compared by identity): the
# grid is expensive for large n and must not be recomputed by a widget or an animation.
_SURFACES: weakref.WeakKeyDictionary[IRLSState, dict[tuple[int, float], _Surface]] = (
    weakref.WeakKeyDictionary()
)


def _path_points(tr: Sequence[IRLSState]) -> Array:
    pts = [s.beta for s in tr if s.beta is not None]
    return np.array(pts, dtype=float).reshape(-1, 2)


def _surface_for(tr: tuple[IRLSState, ...], n_grid: int, margin: float) -> _Surface:
    key = (n_grid, margin)
    cache = _SURFACES.setdefault(tr[-1], {})
    if key in cache:
        return cache[key]
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
    D = deviance_surface(tr[-1].problem, b0, b1)
    d_min = float(np.nanmin(D)) if np.isfinite(D).any() else 0.0
    d_max = float(np.nanmax(D)) if np.isfinite(D).any() else 1.0
    # Log-spaced steps above the minimum: the valley near the optimum and the slopes far
    # from it are both visible.
    rise = max(d_max - d_min, 1e-12)
    levels = d_min + np.geomspace(rise * 2e-4, rise, 14)
    surf = _Surface(b0, b1, D, levels)
    cache[key] = surf
    return surf


@dataclass(frozen=True, eq=False)
class PathArtists:
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
    """

    ax: Axes
    contours: QuadContourSet
    full_path: Line2D
    path: Line2D
    current: Line2D
    step: Line2D
    label: Text
    trace: tuple[IRLSState, ...]


def draw_path(
    ax: Axes,
    state: IRLSState,
    *,
    trace: Trace,
    n_grid: int = 60,
    margin: float = 0.35,
    legend: bool = True,
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
        The surface's grid is fitted around the whole path and cached for the trace.
    n_grid : int
        Grid points per axis (``n_grid**2`` deviance evaluations, vectorised).
    margin : float
        Extra room around the path, as a fraction of its extent.
    legend : bool
        Draw a legend.

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
    surf = _surface_for(tr, n_grid, margin)
    contours = ax.contour(surf.beta0, surf.beta1, surf.deviance, levels=surf.levels,
                          cmap="cividis", linewidths=1.0, zorder=1)
    pts = _path_points(tr)
    (full_path,) = ax.plot(pts[:, 0], pts[:, 1], "-", color=_C["black"], alpha=0.25,
                           linewidth=1, zorder=2)
    (path,) = ax.plot([], [], "-o", color=_C["blue"], markersize=5, linewidth=1.5, zorder=3,
                      label="iterates β⁽ᵏ⁾")
    (step,) = ax.plot([], [], "--", color=_C["vermillion"], linewidth=1.5, zorder=3,
                      label="WLS step → β next")
    (current,) = ax.plot([], [], "o", color=_C["vermillion"], markersize=10, zorder=4)
    ax.set_xlim(surf.beta0[0], surf.beta0[-1])
    ax.set_ylim(surf.beta1[0], surf.beta1[-1])
    names = problem.column_names
    _style_axes(ax, "Path on the deviance surface", f"β₀: {names[0]}", f"β₁: {names[1]}")
    if legend:
        _legend(ax, "lower right")
    label = _corner_text(ax)
    art = PathArtists(ax=ax, contours=contours, full_path=full_path, path=path,
                      current=current, step=step, label=label, trace=tr)
    update_path(art, state)
    return art


def update_path(artists: PathArtists, state: IRLSState) -> None:
    """Move the path panel to ``state`` (no redraw)."""
    art = artists
    pts = _path_points(art.trace[: state.iteration + 1])
    art.path.set_data(pts[:, 0], pts[:, 1])
    if state.beta is None:
        art.current.set_data([], [])
        art.step.set_data([], [])
        art.label.set_text(_iteration_text(state))
    else:
        b, bn = state.beta, state.beta_next
        art.current.set_data([b[0]], [b[1]])
        art.step.set_data([b[0], bn[0]], [b[1], bn[1]])
        art.label.set_text(_iteration_text(state))
