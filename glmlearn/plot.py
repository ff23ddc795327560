r"""Pictures of IRLS at work: one ``draw_*`` / ``update_*`` pair per panel.

Every panel follows the same contract, so the same code serves a static figure, a
widget (``glmlearn.widgets``) and an animation (``glmlearn.animation``):

* ``draw_<panel>(ax, state, ...)`` creates the panel's artists on ``ax`` for one
  :class:`~glmlearn.irls.IRLSState` and returns them in a small frozen dataclass;
* ``update_<panel>(artists, state)`` moves those artists to another state of the same
  trace, in place (``set_data``, ``set_offsets``, ``set_sizes``, ``set_text`` and axis
  limits where they depend on the state). It never draws: the caller redraws once,
  e.g. ``fig.canvas.draw_idle()``, after updating every panel.

``update_<panel>(draw_<panel>(ax, s_j, ...), s_k)`` leaves the panel exactly as
``draw_<panel>(ax, s_k, ...)`` draws it (the tests check this artist by artist).

==============  =====================================================================
panel           what it shows
==============  =====================================================================
``fit``         data and the fitted mean :math:`\mu = g^{-1}(x^\top\beta)` against one
                predictor (others at their means) or against :math:`\eta`; earlier
                iterations faded; optional confidence band of the final fit
``weights``     working weights :math:`w_i` against a predictor, :math:`\mu` or :math:`\eta`
``working``     working response :math:`z_i` (point area :math:`\propto w_i`) with this
                step's weighted least-squares fit :math:`x^\top\beta^{\text{next}}`
``deviance``    the deviance trace :math:`D^{(k)}`, current iteration marked
``convergence``  :math:`\max_j|U_j|` and R's criterion on a log scale
``path``        the path of :math:`(\beta_0, \beta_1)` over the deviance surface
                (two-parameter models)
==============  =====================================================================

:func:`draw_links` pictures link functions; :func:`explorer_figure` lays out all the
panels of a trace in one figure and :func:`update_all` moves them together.

Nothing here refits or recomputes statistics: the panels read the fields of the states
(``beta``, ``eta``, ``mu``, ``w``, ``z``, ``deviance``, ``criterion``, ``score``,
``beta_next``). Drawing a *curve* evaluates :math:`g^{-1}(x^\top\beta)` along a grid of
``x`` for the state's own :math:`\beta`, and the path panel's contour map evaluates the
family's deviance at :math:`\mu = g^{-1}(X\beta + o)` on a grid of :math:`\beta`: a
picture of the likelihood surface, not a fit.

Style: colours come from the colour-blind-safe Okabe--Ito palette (:data:`OKABE_ITO`)
and text is at least 10 pt. They are passed to each artist explicitly; the global
``rcParams`` are never changed (:func:`plot_style` is an ``rc_context`` for your own
figures).

This module imports matplotlib (never ``matplotlib.pyplot`` at import time) and never
ipywidgets.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.contour import QuadContourSet
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator
from numpy.typing import NDArray
from scipy import stats

from .family import Family
from .irls import IRLSState
from .links import Link, get_link
from .problem import GLMProblem

if TYPE_CHECKING:
    from .results import GLMResult

Array = NDArray[np.float64]

__all__ = [
    "OKABE_ITO",
    "PANELS",
    "ConvergenceArtists",
    "DevianceArtists",
    "FitArtists",
    "LinkArtists",
    "PathArtists",
    "WeightsArtists",
    "WorkingArtists",
    "as_trace",
    "default_panels",
    "deviance_surface",
    "draw_convergence",
    "draw_deviance",
    "draw_fit",
    "draw_link",
    "draw_links",
    "draw_path",
    "draw_weights",
    "draw_working",
    "explorer_figure",
    "plot_style",
    "update",
    "update_all",
    "update_convergence",
    "update_deviance",
    "update_fit",
    "update_path",
    "update_weights",
    "update_working",
]

# --- style ------------------------------------------------------------------------------

#: The Okabe--Ito palette (Okabe & Ito 2008), safe for the common colour-vision deficiencies.
OKABE_ITO: Mapping[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
_C = OKABE_ITO
_CYCLE = ("blue", "vermillion", "green", "orange", "purple", "sky_blue", "black", "yellow")
_TITLE_PT = 12
_LABEL_PT = 11
_TICK_PT = 10
_TEXT_PT = 10

_RC: dict[Any, Any] = {
    "font.size": _TICK_PT,
    "axes.titlesize": _TITLE_PT,
    "axes.labelsize": _LABEL_PT,
    "xtick.labelsize": _TICK_PT,
    "ytick.labelsize": _TICK_PT,
    "legend.fontsize": _TICK_PT,
    "axes.prop_cycle": cycler(color=[_C[c] for c in _CYCLE]),
    "image.cmap": "cividis",
}

#: Names of the panels :func:`explorer_figure` knows, in their default order.
PANELS: tuple[str, ...] = ("fit", "weights", "working", "deviance", "convergence", "path")


@contextmanager
def plot_style() -> Iterator[None]:
    """Context in which matplotlib uses glmlearn's palette and font sizes.

    The global ``rcParams`` are restored on exit. The ``draw_*`` functions do not need
    it (they pass colours and sizes explicitly); it is for figures of your own.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with plot_style():
    ...     fig, ax = plt.subplots()
    """
    with mpl.rc_context(_RC):
        yield


def _style_axes(ax: Axes, title: str, xlabel: str, ylabel: str, *, integer_x: bool = False
                ) -> None:
    # An explicit y skips matplotlib's search for top tick labels on every draw (none here).
    ax.set_title(title, fontsize=_TITLE_PT, y=1.0)
    ax.set_xlabel(xlabel, fontsize=_LABEL_PT)
    ax.set_ylabel(ylabel, fontsize=_LABEL_PT)
    ax.tick_params(labelsize=_TICK_PT)
    # At most about 5 ticks: enough to read values off, and every tick label is text that
    # each redraw renders glyph by glyph (the largest part of a frame's cost).
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=integer_x))
    if ax.get_yscale() == "linear":
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5))


def _corner_text(ax: Axes, s: str = "", where: Literal["upper left", "upper right"] = "upper left"
                 ) -> Text:
    x, ha = (0.03, "left") if where == "upper left" else (0.97, "right")
    # A white box keeps the text readable over data; bbox alpha so points stay visible.
    text = ax.text(x, 0.96, s, transform=ax.transAxes, ha=ha, va="top", fontsize=_TEXT_PT,
                   bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "alpha": 0.8,
                         "edgecolor": "none"})
    # Its content changes with the state; the layout must not (see _legend).
    text.set_in_layout(False)
    return text


Corner: TypeAlias = Literal["upper left", "upper right", "lower left", "lower right"]


def _emptiest_corner(ax: Axes, x: Array, y: Array) -> Corner:
    """The corner of ``ax`` (at its current limits) with the fewest of the points (x, y)."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    with np.errstate(all="ignore"):
        u, v = (x - x0) / (x1 - x0), (y - y0) / (y1 - y0)
    left, low = u < 0.45, v < 0.4
    high = v > 0.6
    right = u > 0.55
    counts: dict[Corner, int] = {
        "lower right": int(np.count_nonzero(right & low)),
        "upper left": int(np.count_nonzero(left & high)),
        "lower left": int(np.count_nonzero(left & low)),
        "upper right": int(np.count_nonzero(right & high)),
    }
    return min(counts, key=lambda c: counts[c])  # ties: the order above


def _legend(ax: Axes, loc: Literal["best"] | Corner) -> None:
    # Out of the layout: the layout is then the same whichever state a figure starts at,
    # so an animation's frames equal figures drawn directly at each state.
    ax.legend(loc=loc, fontsize=_TICK_PT, framealpha=0.8).set_in_layout(False)


def _marker_size(n: int) -> float:
    # Many points overlap: shrink them so the cloud stays readable (points, not area).
    return float(np.clip(6.0 * np.sqrt(200.0 / max(n, 1)), 2.0, 6.0))


def _marker_alpha(n: int) -> float:
    return float(np.clip(np.sqrt(300.0 / max(n, 1)), 0.25, 0.8))


# --- traces, columns, limits -------------------------------------------------------------

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


# --- fit ----------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class FitArtists:
    """Artists of the fit panel (from :func:`draw_fit`).

    Attributes
    ----------
    ax : Axes
    data : Line2D
        The observations :math:`(x_i, y_i)` (:math:`(\\eta_i, y_i)` when ``x="eta"``).
    curve : Line2D
        The fitted mean of the state shown (empty at iteration 0 without ``beta``).
    history : tuple of Line2D
        Fitted means of the previous iterations, most recent first, fading out.
    start_means : Line2D
        R's starting means :math:`\\mu^{(0)}_i` at the observations, shown only for a
        state without ``beta``.
    band : PolyCollection or None
        Confidence band of the final fit (``band=result``); static.
    label : Text
        The iteration number.
    x : int or "eta"
        The column plotted against (or the linear predictor).
    grid : ndarray
        The x values of the curves.
    grid_X, grid_offset : ndarray or None
        The rows of X and the offsets along ``grid`` (other columns at their means);
        None against eta.
    trace : tuple of IRLSState or None
    """

    ax: Axes
    data: Line2D
    curve: Line2D
    history: tuple[Line2D, ...]
    start_means: Line2D
    band: PolyCollection | None
    label: Text
    x: int | str
    grid: Array
    grid_X: Array | None
    grid_offset: Array | None
    trace: tuple[IRLSState, ...] | None


def _history_alpha(i: int) -> float:
    return 0.5 * 0.7**i


def _mean(fam: Family, eta: Array) -> Array:
    r""":math:`g^{-1}(\eta)`, NaN where :math:`\eta` or the mean is outside its valid range.

    An early iterate's line can leave the domain of a link (e.g. a negative eta under the
    sqrt link): that part of the curve is left out rather than drawn wrong.
    """
    with np.errstate(all="ignore"):
        mu = fam.link_inverse(eta)
        ok = fam.link.valid_eta(eta) & fam.valid_mu(mu)
    return np.where(ok, mu, np.nan)


def _fit_curve(art: FitArtists, state: IRLSState) -> Array:
    fam = state.problem.family
    if art.x == "eta":
        return _mean(fam, art.grid)
    if state.beta is None or art.grid_X is None or art.grid_offset is None:
        return np.full(art.grid.size, np.nan)
    return _mean(fam, art.grid_X @ _beta0(state.beta) + art.grid_offset)


def _fit_eta_xlim(state: IRLSState, trace: tuple[IRLSState, ...] | None) -> tuple[float, float]:
    return _pad(*_range(*(s.eta for s in _states_for_limits(state, trace))))


def _iteration_text(state: IRLSState) -> str:
    # Short on purpose: the numbers live in the other panels' labels (and a widget's
    # table), and every glyph is re-rendered on each frame.
    return f"k = {state.iteration}" + (": no β yet" if state.beta is None else "")


def draw_fit(
    ax: Axes,
    state: IRLSState,
    *,
    x: XSpec = None,
    trace: Trace | None = None,
    band: GLMResult | None = None,
    level: float = 0.95,
    n_history: int = 4,
    n_grid: int = 200,
    legend: bool = True,
) -> FitArtists:
    r"""Draw the data and the fitted mean curve of ``state`` on the response scale.

    Parameters
    ----------
    ax : Axes
    state : IRLSState
    x : int, str or None
        Column of X to plot against, by index or name; default the first non-constant
        column. Other columns and the offset are held at their means:
        :math:`\mu(x) = g^{-1}(\bar x^\top\beta + \beta_j (x - \bar x_j) + \bar o)`.
        ``"eta"`` plots against the state's linear predictor instead: the curve is then
        the inverse link itself and the *data* move as :math:`\eta_i` changes.
    trace : GLMResult or sequence of IRLSState, optional
        The whole trace: earlier iterations are drawn faded, and the axis limits cover
        every iteration so they do not jump.
    band : GLMResult, optional
        Draw the final fit's pointwise confidence band, made on the link scale and
        mapped back: :math:`g^{-1}(\hat\eta \pm z_{1-\alpha/2}\,\mathrm{se}(\hat\eta))`.
        Not available with ``x="eta"``.
    level : float
        Confidence level of the band.
    n_history : int
        How many earlier iterations to show (needs ``trace``).
    n_grid : int
        Number of points along each curve.
    legend : bool
        Draw a legend (in the corner with the fewest data points).

    Returns
    -------
    FitArtists
    """
    problem = state.problem
    fam = problem.family
    xr = _resolve_x(problem, x)
    tr = _optional_trace(trace)
    n = problem.n
    grid_X = grid_offset = None
    if xr == "eta":
        lo, hi = _fit_eta_xlim(state, tr)
        grid = np.linspace(lo, hi, n_grid)
        xdata = np.asarray(state.eta)
        ax.set_xlim(lo, hi)
    else:
        assert isinstance(xr, int)
        xdata = np.asarray(problem.X[:, xr])
        lo, hi = _pad(*_range(xdata))
        grid = np.linspace(lo, hi, n_grid)
        grid_X, grid_offset = _grid_design(problem, xr, grid)
        ax.set_xlim(lo, hi)

    band_art = None
    if band is not None:
        if grid_X is None or grid_offset is None:
            raise ValueError("band: a confidence band needs x to be a column of X, not 'eta'")
        if not 0 < level < 1:
            raise ValueError(f"level: must be between 0 and 1, got {level!r}")
        pred = band.predict(grid_X, kind="link", offset=grid_offset, se=True)
        assert not isinstance(pred, np.ndarray)
        q = float(stats.norm.ppf(0.5 + level / 2))
        lo_b = fam.link_inverse(pred.fit - q * pred.se)
        hi_b = fam.link_inverse(pred.fit + q * pred.se)
        band_art = ax.fill_between(grid, np.minimum(lo_b, hi_b), np.maximum(lo_b, hi_b),
                                   color=_C["sky_blue"], alpha=0.35, linewidth=0,
                                   label=f"{level:.0%} band (final fit)", zorder=1)

    (data,) = ax.plot(xdata, problem.y, "o", color=_C["black"], alpha=_marker_alpha(n),
                      markersize=_marker_size(n), markeredgewidth=0, label="data", zorder=2)
    n_hist = n_history if (tr is not None and xr != "eta") else 0
    history = tuple(
        ax.plot([], [], "-", color=_C["blue"], alpha=_history_alpha(i), linewidth=1.5,
                label="earlier iterations" if i == 0 else None, zorder=3)[0]
        for i in range(n_hist)
    )
    (start_means,) = ax.plot([], [], "D", color=_C["orange"], markersize=_marker_size(n) + 1,
                             markeredgewidth=0, label="starting means μ⁽⁰⁾", zorder=4)
    (curve,) = ax.plot([], [], "-", color=_C["vermillion"], linewidth=2.5,
                       label="fitted mean μ", zorder=5)

    # y limits depend only on the data (and the trace), never on the state shown.
    y_lo, y_hi = _range(problem.y)
    if fam.name == "binomial":
        y_lo, y_hi = 0.0, 1.0
    ax.set_ylim(*_pad(y_lo, y_hi))
    _style_axes(ax, "Fit on the response scale", _x_label(problem, xr),
                f"{problem.response_name}  (mean μ)")
    # Legend in the corner with the fewest data points (and of the final curve, with a
    # trace); decided once from things that do not change with the state shown.
    # (Against eta the data move with the state; they hug the increasing inverse link,
    # which leaves the lower right free.)
    corner: Corner = "lower right"
    if grid_X is not None and grid_offset is not None:
        crowd_x, crowd_y = [xdata], [np.asarray(problem.y)]
        if tr is not None and tr[-1].beta is not None:
            crowd_x.append(grid)
            crowd_y.append(_mean(fam, grid_X @ _beta0(tr[-1].beta) + grid_offset))
        corner = _emptiest_corner(ax, np.concatenate(crowd_x), np.concatenate(crowd_y))
    label = _corner_text(ax, where="upper right" if corner == "upper left" else "upper left")
    if legend:
        _legend(ax, corner)
    art = FitArtists(ax=ax, data=data, curve=curve, history=history, start_means=start_means,
                     band=band_art, label=label, x=xr, grid=grid, grid_X=grid_X,
                     grid_offset=grid_offset, trace=tr)
    update_fit(art, state)
    return art


def update_fit(artists: FitArtists, state: IRLSState) -> None:
    """Move the fit panel to ``state`` (no redraw; see :func:`draw_fit`)."""
    art = artists
    problem = state.problem
    if art.x == "eta":
        lo, hi = _fit_eta_xlim(state, art.trace)
        if art.trace is None:
            # Without a trace the limits follow the state, and the curve's grid with them.
            art.grid[:] = np.linspace(lo, hi, art.grid.size)
            art.ax.set_xlim(lo, hi)
        art.data.set_data(state.eta, problem.y)
    art.curve.set_data(art.grid, _fit_curve(art, state))
    if state.beta is None:
        xs = problem.X[:, art.x] if isinstance(art.x, int) else state.eta
        art.start_means.set_data(xs, state.mu)
    else:
        art.start_means.set_data([], [])
    k = state.iteration
    for i, line in enumerate(art.history):
        j = k - 1 - i
        prev = art.trace[j] if (art.trace is not None and 0 <= j < len(art.trace)) else None
        if prev is None or prev.beta is None:
            line.set_data([], [])
        else:
            line.set_data(art.grid, _fit_curve(art, prev))
    art.label.set_text(_iteration_text(state))


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
    b = ", ".join(f"{v:.4g}" for v in state.beta_next)
    art.label.set_text(f"β next = ({b})")


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


# --- links ----------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class LinkArtists:
    """Artists of one link's picture (from :func:`draw_link`).

    Attributes
    ----------
    link : Link
    curve : Line2D
        :math:`\\mu = g^{-1}(\\eta)` against :math:`\\eta` (``kind="inverse"``), or
        :math:`\\eta = g(\\mu)` against :math:`\\mu` (``kind="link"``).
    derivative : Line2D or None
        :math:`d\\mu/d\\eta` against :math:`\\eta`, or :math:`d\\eta/d\\mu` against :math:`\\mu`.
    """

    link: Link
    curve: Line2D
    derivative: Line2D | None


def draw_link(
    ax: Axes,
    link: str | Link,
    *,
    eta: tuple[float, float] = (-6.0, 6.0),
    kind: Literal["inverse", "link"] = "inverse",
    derivative: bool = False,
    n: int = 400,
    color: str | None = None,
    linestyle: str = "-",
) -> LinkArtists:
    r"""Draw one link function: its inverse :math:`\mu = g^{-1}(\eta)`, or :math:`g` itself.

    Parameters
    ----------
    ax : Axes
    link : str or Link
        A name from :data:`glmlearn.LINKS` or a :class:`~glmlearn.links.Link`.
    eta : (float, float)
        The range of :math:`\eta` shown. Values outside the link's valid domain (e.g.
        :math:`\eta \le 0` for the sqrt link) are left out.
    kind : {"inverse", "link"}
        ``"inverse"``: :math:`\mu` against :math:`\eta`. ``"link"``: the same curve with the
        axes swapped, :math:`\eta = g(\mu)` against :math:`\mu`.
    derivative : bool
        Also draw (dashed) :math:`d\mu/d\eta` (inverse) or :math:`d\eta/d\mu` (link).
    n : int
        Points along the curve.
    color, linestyle : str, optional
        Style of the curve (default: the next Okabe--Ito colour).

    Returns
    -------
    LinkArtists
    """
    lk = get_link(link)
    if kind not in ("inverse", "link"):
        raise ValueError(f"kind: must be 'inverse' or 'link', got {kind!r}")
    e = np.linspace(eta[0], eta[1], n)
    e = e[lk.valid_eta(e)]
    if eta[0] < 0 < eta[1] and not lk.valid_eta(np.zeros(1))[0]:
        # A pole at eta = 0 (the inverse link): break the line instead of joining the
        # two branches with a vertical stroke.
        e = np.insert(e, np.searchsorted(e, 0.0), np.nan)
    with np.errstate(all="ignore"):
        mu = lk.inverse(e)
    if color is None:
        color = _C[_CYCLE[len(ax.lines) % len(_CYCLE)]]
    if kind == "inverse":
        (curve,) = ax.plot(e, mu, linestyle, color=color, linewidth=2, label=lk.name)
        deriv_xy = (e, lk.inverse_deriv(e))
    else:
        (curve,) = ax.plot(mu, e, linestyle, color=color, linewidth=2, label=lk.name)
        deriv_xy = (mu, lk.deriv(mu))
    deriv = None
    if derivative:
        dlabel = f"{lk.name}: dμ/dη" if kind == "inverse" else f"{lk.name}: dη/dμ"
        (deriv,) = ax.plot(*deriv_xy, "--", color=color, linewidth=1.2, alpha=0.9,
                           label=dlabel)
    if kind == "inverse":
        _style_axes(ax, "Inverse links μ = g⁻¹(η)", "linear predictor η", "mean μ")
    else:
        _style_axes(ax, "Links η = g(μ)", "mean μ", "linear predictor η")
    return LinkArtists(link=lk, curve=curve, derivative=deriv)


def draw_links(
    ax: Axes,
    links: Sequence[str | Link] = ("logit", "probit", "cloglog", "cauchit"),
    *,
    eta: tuple[float, float] = (-6.0, 6.0),
    kind: Literal["inverse", "link"] = "inverse",
    derivative: bool = False,
    n: int = 400,
    legend: bool = True,
) -> dict[str, LinkArtists]:
    r"""Draw several links on one axes to compare them (default: the binomial links).

    Colours follow the Okabe--Ito palette and the line styles differ too, so the curves
    stay distinguishable in greyscale. For links whose mean is unbounded (log, inverse)
    the y-limits are set from the 2nd to 98th percentiles of the drawn values.

    Parameters
    ----------
    ax : Axes
    links : sequence of str or Link
    eta, kind, derivative, n
        As for :func:`draw_link`.
    legend : bool
        Add a legend.

    Returns
    -------
    dict
        ``{link name: LinkArtists}``.
    """
    styles = ("-", "--", "-.", ":")
    out: dict[str, LinkArtists] = {}
    for i, lk in enumerate(links):
        art = draw_link(ax, lk, eta=eta, kind=kind, derivative=derivative, n=n,
                        color=_C[_CYCLE[i % len(_CYCLE)]],
                        linestyle=styles[i % len(styles)])
        out[art.link.name] = art
    ys = [np.asarray(a.curve.get_ydata(), float) for a in out.values()]
    if derivative:
        ys += [np.asarray(a.derivative.get_ydata(), float) for a in out.values()
               if a.derivative is not None]
    lo, hi = _range(*ys)
    if kind == "inverse" and (hi - lo) > 50:
        lo, hi = _robust_range(ys, q=2.0)
    if np.isfinite(lo) and np.isfinite(hi):
        ax.set_ylim(*_pad(lo, hi))
    if legend:
        _legend(ax, "best")
    return out


# --- dispatch and the explorer figure ---------------------------------------------------------

PanelArtists: TypeAlias = (
    "FitArtists | WeightsArtists | WorkingArtists | DevianceArtists | ConvergenceArtists "
    "| PathArtists"
)


def update(artists: PanelArtists, state: IRLSState) -> None:
    """Move any panel to ``state``: calls the ``update_*`` that matches ``artists``."""
    if isinstance(artists, FitArtists):
        update_fit(artists, state)
    elif isinstance(artists, WeightsArtists):
        update_weights(artists, state)
    elif isinstance(artists, WorkingArtists):
        update_working(artists, state)
    elif isinstance(artists, DevianceArtists):
        update_deviance(artists, state)
    elif isinstance(artists, ConvergenceArtists):
        update_convergence(artists, state)
    elif isinstance(artists, PathArtists):
        update_path(artists, state)
    else:
        raise TypeError(f"update: not a glmlearn panel: {type(artists).__name__}")


def update_all(panels: Mapping[str, PanelArtists], state: IRLSState) -> None:
    """Move every panel of :func:`explorer_figure` to ``state``.

    It does not redraw: call ``fig.canvas.draw_idle()`` once afterwards (a widget) or let
    ``FuncAnimation`` draw the frame.
    """
    for artists in panels.values():
        update(artists, state)


def _draw_panel(name: str, ax: Axes, state: IRLSState, tr: tuple[IRLSState, ...],
                kw: Mapping[str, Any]) -> PanelArtists:
    if name == "fit":
        return draw_fit(ax, state, trace=tr, **kw)
    if name == "weights":
        return draw_weights(ax, state, trace=tr, **kw)
    if name == "working":
        return draw_working(ax, state, trace=tr, **kw)
    if name == "deviance":
        return draw_deviance(ax, state, trace=tr, **kw)
    if name == "convergence":
        return draw_convergence(ax, state, trace=tr, **kw)
    if name == "path":
        return draw_path(ax, state, trace=tr, **kw)
    raise ValueError(f"panels: unknown panel {name!r}; known panels are "
                     f"{', '.join(map(repr, PANELS))}")


def default_panels(trace: Trace) -> tuple[str, ...]:
    """The panels that make sense for ``trace``: all of :data:`PANELS`, the path only
    for two-coefficient models."""
    tr = as_trace(trace)
    return tuple(p for p in PANELS if p != "path" or tr[-1].problem.p == 2)


def explorer_figure(
    trace: Trace,
    state: int | IRLSState = 0,
    *,
    panels: Sequence[str] | None = None,
    x: XSpec = None,
    band: GLMResult | None = None,
    panel_kw: Mapping[str, Mapping[str, Any]] | None = None,
    fig: Figure | None = None,
    figsize: tuple[float, float] | None = None,
    ncols: int = 3,
    dpi: float | None = None,
    legends: bool = True,
    freeze_layout: bool = True,
) -> tuple[Figure, dict[str, PanelArtists]]:
    """Lay out every panel of ``trace`` in one figure.

    Parameters
    ----------
    trace : GLMResult or sequence of IRLSState
    state : int or IRLSState
        The iteration shown first.
    panels : sequence of str, optional
        Names from :data:`PANELS`, in reading order (default :func:`default_panels`).
    x : int, str or None
        Predictor for the fit and working panels (see :func:`draw_fit`).
    band : GLMResult, optional
        Confidence band in the fit panel; a :class:`GLMResult` given as ``trace`` is not
        used for it automatically (pass ``band=result``).
    panel_kw : mapping, optional
        Extra keyword arguments per panel, e.g. ``{"weights": {"against": "mu"}}``.
    fig : Figure, optional
        Draw into this (empty) figure, e.g. one made under ``%matplotlib widget``;
        default: a new :class:`matplotlib.figure.Figure`, not registered with pyplot.
        (In a notebook, display it with ``display(fig)``, or pass ``plt.figure()``.)
    figsize : (float, float), optional
        Default 5 x 4 inches per panel.
    ncols : int
        Panels per row.
    dpi : float, optional
    legends : bool
        Legends in the panels that have one. They are static but matplotlib lays them
        out again on every draw: without them a frame draws about 20% faster.
    freeze_layout : bool
        Compute the constrained layout once, then switch the layout engine off, so
        moving to another iteration does not pay for the layout again on each draw.

    Returns
    -------
    fig : Figure
    panels : dict
        ``{panel name: artists}``; move them with :func:`update_all`.

    Examples
    --------
    >>> fig, panels = explorer_figure(result)          # doctest: +SKIP
    >>> update_all(panels, result.trace[3]); fig.canvas.draw_idle()   # doctest: +SKIP
    """
    tr = as_trace(trace)
    names = tuple(panels) if panels is not None else default_panels(tr)
    if not names:
        raise ValueError("panels: choose at least one panel")
    st = tr[state] if isinstance(state, int | np.integer) else state
    kws: dict[str, dict[str, Any]] = {n: dict((panel_kw or {}).get(n, {})) for n in names}
    for n in ("fit", "working"):
        if n in kws and x is not None:
            kws[n].setdefault("x", x)
    if "weights" in kws and x is not None and kws["weights"].get("against", "x") == "x":
        if x == "eta":  # weights have no column "eta": plot them against eta instead
            kws["weights"]["against"] = "eta"
        else:
            kws["weights"].setdefault("x", x)
    if "fit" in kws and band is not None:
        kws["fit"].setdefault("band", band)
    for n in ("fit", "working", "convergence", "path"):
        if n in kws:
            kws[n].setdefault("legend", legends)
    ncols = max(1, min(ncols, len(names)))
    nrows = -(-len(names) // ncols)
    with mpl.rc_context(_RC):
        size = figsize or (5.0 * ncols, 4.0 * nrows)
        if fig is None:
            fig = Figure(figsize=size, dpi=dpi)
        elif figsize is not None:
            fig.set_size_inches(*size)
        fig.set_layout_engine("constrained")
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        out: dict[str, PanelArtists] = {}
        for name, ax in zip(names, axes, strict=False):
            out[name] = _draw_panel(name, ax, st, tr, kws[name])
        for ax in axes[len(names):]:
            ax.set_visible(False)
    if freeze_layout:
        _freeze_layout(fig)
    return fig, out


def _freeze_layout(fig: Figure) -> None:
    # Constrained layout runs on every draw; its result does not change when only the
    # data move, so compute it once and keep the axes where it put them. A resized
    # canvas (a widget dragged larger) lays the figure out once more.
    engine = fig.get_layout_engine()
    if engine is None:
        return
    engine.execute(fig)
    fig.set_layout_engine("none")
    old = getattr(fig, "_glmlearn_relayout_cid", None)
    if old is not None:  # a figure cleared and drawn into again keeps one handler
        fig.canvas.mpl_disconnect(old)
    relayout = ConstrainedLayoutEngine()
    cid = fig.canvas.mpl_connect("resize_event", lambda _event: relayout.execute(fig))
    fig._glmlearn_relayout_cid = cid  # type: ignore[attr-defined]
