r"""The fit panel: data and the fitted mean curve on the response scale."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator
from scipy import stats

from .._irls import IRLSState
from ..family import Family

if TYPE_CHECKING:
    from ..results import GLMResult

from ._common import (
    Array,
    Trace,
    XSpec,
    _beta0,
    _grid_design,
    _iteration_text,
    _optional_trace,
    _pad,
    _range,
    _resolve_x,
    _states_for_limits,
    _x_label,
)
from ._panel import Panel
from ._place import Crowd, legend_rows
from ._style import (
    _C,
    _label_lines,
    _legend,
    _marker_alpha,
    _marker_size,
    _start_note,
    _state_label,
    _style_axes,
)

__all__ = ["FitArtists", "draw_fit", "update_fit"]

@dataclass(frozen=True, eq=False)
class FitArtists(Panel):
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
        The iteration number (at iteration 0: a starting guess, not a fitted model).
    legend : Legend or None
        It lists only what the state shown draws (its rows are shown and hidden by
        ``update``), so it is a moving artist.
    rows : dict
        ``{"start" | "curve" | "history": legend row}`` of the entries that come and go.
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
    legend: Legend | None
    rows: dict[str, Artist]
    x: int | str
    grid: Array
    grid_X: Array | None
    grid_offset: Array | None
    trace: tuple[IRLSState, ...] | None

    @property
    def moving(self) -> tuple[Artist, ...]:
        data = (self.data,) if self.x == "eta" else ()  # against eta the data move
        legend = (self.legend,) if self.legend is not None else ()
        return (*data, *self.history, self.start_means, self.curve, self.label, *legend)

    def update(self, state: IRLSState) -> None:
        """Move the fit panel to ``state`` (no redraw; see :func:`draw_fit`)."""
        problem = state.problem
        if self.x == "eta":
            eta = state.eta
            if self.trace is None:
                # Without a trace the limits follow the state, and the curve's grid with
                # them. (With one they were fixed by draw_fit.)
                lo, hi = _fit_eta_xlim(state, None)
                self.grid[:] = np.linspace(lo, hi, self.grid.size)
                self.ax.set_xlim(lo, hi)
            self.data.set_data(eta, problem.y)
        self.curve.set_data(self.grid, _fit_curve(self, state))
        if state.beta is None:
            xs = problem.X[:, self.x] if isinstance(self.x, int) else state.eta
            self.start_means.set_data(xs, state.mu)
        else:
            self.start_means.set_data([], [])
        # The earlier iterations' curves need only their beta, not their n-vectors.
        k = state.iteration
        any_history = False
        for i, line in enumerate(self.history):
            j = k - 1 - i
            prev = self.trace[j] if (self.trace is not None and 0 <= j < len(self.trace)) else None
            if prev is None or prev.beta is None:
                line.set_data([], [])
            else:
                line.set_data(self.grid, _fit_curve(self, prev))
                any_history = True
        shown = {"start": state.beta is None,
                 "curve": self.x == "eta" or state.beta is not None,
                 "history": any_history}
        for key, row in self.rows.items():
            row.set_visible(shown[key])
        self.label.set_text(_fit_label(state))


def _fit_label(state: IRLSState) -> str:
    if state.iteration == 0 and state.beta is None:
        return "k = 0: starting guess μ⁽⁰⁾\n(not a fitted model)"
    return _start_note(state) or _iteration_text(state)


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
                label=_HISTORY if i == 0 else None, zorder=3)[0]
        for i in range(n_hist)
    )
    states = _states_for_limits(state, tr)
    # In the legend only if some state shown has R's starting means (not from a given β).
    has_start = any(s.beta is None for s in states)
    (start_means,) = ax.plot([], [], "D", color=_C["orange"], markersize=_marker_size(n) + 1,
                             markeredgewidth=0, zorder=4,
                             label=_START if has_start else None)
    curve_label = "μ = g⁻¹(η), the inverse link" if xr == "eta" else "fitted mean μ"
    (curve,) = ax.plot([], [], "-", color=_C["vermillion"], linewidth=2.5,
                       label=curve_label, zorder=5)

    # y limits depend only on the data (and the trace), never on the state shown.
    y_lo, y_hi = _range(problem.y)
    if fam.name == "binomial":
        y_lo, y_hi = 0.0, 1.0
    ax.set_ylim(*_pad(y_lo, y_hi))
    xlabel = _x_label(problem, xr)
    if isinstance(xr, int) and problem.p > 2:
        # The curve is a slice: say where the other predictors (and the offset) are.
        held = "other predictors at their means"
        if np.ptp(problem.offset) > 0 or np.any(problem.offset != 0):
            held += ", offset at its mean"
        xlabel = f"{xlabel}\n(curve: {held})"
    _style_axes(ax, "Fit on the response scale", xlabel,
                f"{problem.response_name} and mean μ")
    if fam.name == "binomial":  # a probability: no ticks beyond 1 in the legend's room
        ax.yaxis.set_major_locator(FixedLocator([0.0, 0.25, 0.5, 0.75, 1.0]))
    label = _state_label(ax, _label_lines(tr, state))
    art_legend = None
    rows: dict[str, Artist] = {}
    if legend:
        crowd = Crowd(grow=tr is not None)
        for s in states:
            if xr == "eta":
                crowd.add_points(s.eta, problem.y)
            elif s.beta is None:
                crowd.add_points(xdata, s.mu)
        crowd.add_points(xdata, problem.y)
        if xr == "eta":
            crowd.add_line(grid, _mean(fam, grid))
        elif grid_X is not None and grid_offset is not None:
            for s in states:
                if s.beta is not None:
                    crowd.add_line(grid, _mean(fam, grid_X @ _beta0(s.beta) + grid_offset))
        if band_art is not None:
            crowd.add_line(grid, np.minimum(lo_b, hi_b), soft=True)
            crowd.add_line(grid, np.maximum(lo_b, hi_b), soft=True)
        art_legend = _legend(ax)
        found = legend_rows(art_legend)
        rows = {key: found[name] for key, name in
                (("start", _START), ("curve", curve_label), ("history", _HISTORY))
                if name in found}
        from ._place import place_legend

        place_legend(art_legend, crowd)
    art = FitArtists(ax=ax, data=data, curve=curve, history=history, start_means=start_means,
                     band=band_art, label=label, legend=art_legend, rows=rows, x=xr, grid=grid,
                     grid_X=grid_X, grid_offset=grid_offset, trace=tr)
    art.update(state)
    return art


_START = "starting means μ⁽⁰⁾ (a guess)"
_HISTORY = "earlier iterations"


def update_fit(artists: FitArtists, state: IRLSState) -> None:
    """Move the fit panel to ``state`` (no redraw): ``artists.update(state)``."""
    artists.update(state)


