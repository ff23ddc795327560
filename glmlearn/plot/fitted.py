r"""The fit panel: how the fitted means compare with the data, in one of three views.

``view="curve"``
    The data against one predictor and the fitted mean curve
    :math:`\mu(x) = g^{-1}(\bar x^\top\beta + \beta_j (x - \bar x_j) + \bar o)`. With one
    predictor this is the whole model. With several it is a slice through the other
    predictors' means (dummies at their shares, the offset at its mean): the data do not
    sit at those means, so dots and curve cannot be compared.
``view="observed"``
    Observed against fitted: :math:`(\mu_i, y_i)` with the line :math:`y = \mu`. Every
    observation is judged at its own predictors, whatever their number.
``view="partial"``
    Partial residuals on the link scale: :math:`(x_{ij},\; z_i - \eta_i + \beta_j x_{ij})`,
    the working residual plus predictor :math:`j`'s part of :math:`\eta`, with that part,
    the line :math:`\beta_j x`. The points scatter about the line as the data scatter
    about the model, with the other predictors' effects taken out (not held at a mean).

The default is the curve for a model with one predictor (or against ``x="eta"``), and
for several predictors the partial residuals of the column asked for (``x``) or, with no
column asked for, observed against fitted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypeAlias

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
from ..errors import GLMInputError
from ..family import Family
from ..problem import GLMProblem

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
    _robust_range,
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

__all__ = ["FIT_VIEWS", "FitArtists", "FitView", "default_fit_view", "draw_fit", "update_fit"]

FitView: TypeAlias = Literal["curve", "observed", "partial"]
#: The views of the fit panel (see the module docstring).
FIT_VIEWS: tuple[str, ...] = ("curve", "observed", "partial")

@dataclass(frozen=True, eq=False)
class FitArtists(Panel):
    """Artists of the fit panel (from :func:`draw_fit`).

    Attributes
    ----------
    ax : Axes
    data : Line2D
        The observations: :math:`(x_i, y_i)` in the curve view (:math:`(\\eta_i, y_i)`
        when ``x="eta"``), :math:`(\\mu_i, y_i)` observed against fitted, the partial
        residuals :math:`(x_{ij}, z_i - \\eta_i + \\beta_j x_{ij})`.
    curve : Line2D
        The fitted mean of the state shown (empty at iteration 0 without ``beta``); the
        line :math:`y = \\mu` (observed view); the line :math:`\\beta_j x` (partial view).
    history : tuple of Line2D
        The same line at the previous iterations, most recent first, fading out.
    start_means : Line2D
        R's starting means :math:`\\mu^{(0)}_i` at the observations, shown only for a
        state without ``beta`` (curve view).
    band : PolyCollection or None
        Confidence band of the final fit (``band=result``); static.
    label : Text
        The iteration number (at iteration 0: a starting guess, not a fitted model).
    legend : Legend or None
        It lists only what the state shown draws (its rows are shown and hidden by
        ``update``), so it is a moving artist.
    rows : dict
        ``{"start" | "curve" | "history": legend row}`` of the entries that come and go.
    x : int, "eta" or "mu"
        The column plotted against, the linear predictor, or (observed view) the mean.
    grid : ndarray
        The x values of the curves.
    grid_X, grid_offset : ndarray or None
        The rows of X and the offsets along ``grid`` (other columns at their means);
        None outside the curve view against a column.
    trace : tuple of IRLSState or None
    view : {"curve", "observed", "partial"}
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
    view: str = "curve"

    @property
    def moving(self) -> tuple[Artist, ...]:
        # Against eta, against mu and as partial residuals the data move with the state.
        data = (self.data,) if (self.x == "eta" or self.view != "curve") else ()
        legend = (self.legend,) if self.legend is not None else ()
        if self.view == "observed":  # the line y = mu is static, unless limits follow
            line = (self.curve,) if self.trace is None else ()
            return (*data, *line, self.label, *legend)
        return (*data, *self.history, self.start_means, self.curve, self.label, *legend)

    def update(self, state: IRLSState) -> None:
        """Move the fit panel to ``state`` (no redraw; see :func:`draw_fit`)."""
        if self.view == "observed":
            self._update_observed(state)
            return
        problem = state.problem
        if self.view == "partial":
            assert isinstance(self.x, int)
            if self.trace is None:  # limits follow the state (with a trace: fixed by draw)
                self.ax.set_ylim(*_partial_ylim((state,), self.x, self.grid))
            if state.beta is None:
                self.data.set_data([], [])
            else:
                self.data.set_data(problem.X[:, self.x], _partial_residuals(state, self.x))
        elif self.x == "eta":
            eta = state.eta
            if self.trace is None:
                # Without a trace the limits follow the state, and the curve's grid with
                # them. (With one they were fixed by draw_fit.)
                lo, hi = _fit_eta_xlim(state, None)
                self.grid[:] = np.linspace(lo, hi, self.grid.size)
                self.ax.set_xlim(lo, hi)
            self.data.set_data(eta, problem.y)
        self.curve.set_data(self.grid, _fit_curve(self, state))
        if state.beta is None and self.view == "curve":
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
        self.label.set_text(_fit_label(state, self.view))

    def _update_observed(self, state: IRLSState) -> None:
        if self.trace is None:  # limits follow the state (with a trace: fixed by draw)
            lim = _observed_lim((state,))
            self.ax.set_xlim(*lim)
            self.ax.set_ylim(*lim)
            self.curve.set_data(lim, lim)
        self.data.set_data(state.mu, state.problem.y)
        self.label.set_text(_fit_label(state, self.view))


def _fit_label(state: IRLSState, view: str = "curve") -> str:
    if state.iteration == 0 and state.beta is None:
        if view == "partial":
            return "k = 0: no β yet\n(partial residuals need β)"
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


def _partial_residuals(state: IRLSState, j: int) -> Array:
    r""":math:`z_i - \eta_i + \beta_j x_{ij}`: the working residual plus column ``j``'s
    part of the linear predictor (the offset cancels in :math:`z - \eta`)."""
    assert state.beta is not None
    return np.asarray(state.z - state.eta + _beta0(state.beta)[j] * state.problem.X[:, j])


def _component(state: IRLSState, j: int, grid: Array) -> Array:
    r"""Column ``j``'s part of :math:`\eta` along ``grid``: :math:`\beta_j x`."""
    if state.beta is None:
        return np.full(grid.size, np.nan)
    return _beta0(state.beta)[j] * grid


def _fit_curve(art: FitArtists, state: IRLSState) -> Array:
    fam = state.problem.family
    if art.view == "partial":
        assert isinstance(art.x, int)
        return _component(state, art.x, art.grid)
    if art.x == "eta":
        return _mean(fam, art.grid)
    if state.beta is None or art.grid_X is None or art.grid_offset is None:
        return np.full(art.grid.size, np.nan)
    return _mean(fam, art.grid_X @ _beta0(state.beta) + art.grid_offset)


def _fit_eta_xlim(state: IRLSState, trace: tuple[IRLSState, ...] | None) -> tuple[float, float]:
    return _pad(*_range(*(s.eta for s in _states_for_limits(state, trace))))


def _observed_lim(states: tuple[IRLSState, ...]) -> tuple[float, float]:
    """One range for both axes (so that :math:`y = \\mu` is the diagonal): the data and
    every state's means."""
    problem = states[-1].problem
    if problem.family.name == "binomial":
        return _pad(0.0, 1.0)
    return _pad(*_range(problem.y, *(s.mu for s in states)))


def _partial_ylim(states: Sequence[IRLSState], j: int, grid: Array) -> tuple[float, float]:
    """The last fitted state's partial residuals and every state's line :math:`\\beta_j x`,
    reaching towards earlier states' residuals by at most one more span on each side.

    An early iterate far from the data (say :math:`\\beta = 0` for counts) has working
    residuals many times those of the fit; limits that held them all would squash the
    converged picture into a strip.
    """
    fitted = [s for s in states if s.beta is not None]
    if not fitted:
        return _pad(np.nan, np.nan)
    parts = [_partial_residuals(s, j) for s in fitted]
    n = parts[-1].size
    # a few hundred points: every one inside; more: a point of extreme leverage may go
    last = _range(parts[-1]) if n <= 200 else _robust_range([parts[-1]], 0.5)
    lo, hi = _range(np.array(last), *(_component(s, j, grid) for s in fitted))
    a, b = _range(*parts)
    span = max(hi - lo, 1e-12)
    return _pad(min(lo, max(a, lo - span)), max(hi, min(b, hi + span)))


def _predictors(problem: GLMProblem) -> int:
    """How many columns of X vary (the intercept and other constants do not)."""
    return int(np.count_nonzero(np.ptp(problem.X, axis=0) > 0)) if problem.n else 0


def default_fit_view(problem: GLMProblem, x: XSpec = None) -> str:
    """The view :func:`draw_fit` draws when none is asked for.

    ``"curve"`` for one predictor (the curve is then the whole model) or against
    ``x="eta"``; for several predictors ``"partial"`` when a column is asked for,
    else ``"observed"``: a curve with the other predictors at their means would not go
    through the data it is drawn with.
    """
    if (isinstance(x, str) and x == "eta") or _predictors(problem) <= 1:
        return "curve"
    return "observed" if x is None else "partial"


def _resolve_view(problem: GLMProblem, view: str | None, x: XSpec, band: object) -> str:
    if view is None:
        return "curve" if band is not None else default_fit_view(problem, x)
    if view not in FIT_VIEWS:
        raise GLMInputError(f"view: unknown view {view!r}; choose one of "
                            f"{', '.join(map(repr, FIT_VIEWS))}")
    if band is not None and view != "curve":
        raise GLMInputError(f"band: a confidence band is drawn about a curve, not in the "
                            f"{view!r} view; pass view='curve' or leave band out")
    return view


def draw_fit(
    ax: Axes,
    state: IRLSState,
    *,
    x: XSpec = None,
    view: FitView | None = None,
    trace: Trace | None = None,
    band: GLMResult | None = None,
    level: float = 0.95,
    n_history: int = 4,
    n_grid: int = 200,
    legend: bool = True,
) -> FitArtists:
    r"""Draw how the fitted means of ``state`` compare with the data.

    Parameters
    ----------
    ax : Axes
    state : IRLSState
    x : int, str or None
        Column of X to plot against, by index or name; default the first non-constant
        column. In the curve view other columns and the offset are held at their means:
        :math:`\mu(x) = g^{-1}(\bar x^\top\beta + \beta_j (x - \bar x_j) + \bar o)`.
        ``"eta"`` (curve view) plots against the state's linear predictor instead: the
        curve is then the inverse link itself and the *data* move as :math:`\eta_i`
        changes. The observed view uses no column (``x`` is ignored there).
    view : {"curve", "observed", "partial"}, optional
        What to show (see :mod:`glmlearn.plot.fitted`): the mean curve against ``x``;
        the data against their fitted means :math:`\mu_i` with the line
        :math:`y = \mu`; or the partial residuals :math:`z_i - \eta_i + \beta_j x_{ij}`
        against column :math:`j` (``x``) with the line :math:`\beta_j x`. Default
        :func:`default_fit_view` (the curve for one predictor or with ``band``).
    trace : GLMResult or sequence of IRLSState, optional
        The whole trace: earlier iterations are drawn faded, and the axis limits cover
        every iteration so they do not jump.
    band : GLMResult, optional
        Draw the final fit's pointwise confidence band, made on the link scale and
        mapped back: :math:`g^{-1}(\hat\eta \pm z_{1-\alpha/2}\,\mathrm{se}(\hat\eta))`.
        Curve view against a column only.
    level : float
        Confidence level of the band.
    n_history : int
        How many earlier iterations to show (needs ``trace``).
    n_grid : int
        Number of points along each curve.
    legend : bool
        Draw a legend (where it covers no data; see :mod:`glmlearn.plot._place`).

    Returns
    -------
    FitArtists

    Raises
    ------
    GLMInputError
        An unknown ``view``; ``x="eta"`` in the partial view; ``band`` outside the curve
        view.
    """
    problem = state.problem
    chosen = _resolve_view(problem, view, x, band)
    if chosen == "observed":
        return _draw_observed(ax, state, trace=_optional_trace(trace), legend=legend)
    if chosen == "partial":
        xr = _resolve_x(problem, x)
        if not isinstance(xr, int):
            raise GLMInputError(
                "x: the partial-residual view plots against a column of X, not the linear "
                f"predictor; got x={x!r}; pass a column name "
                f"({', '.join(map(repr, problem.column_names))}) or view='curve'")
        return _draw_partial(ax, state, xr, trace=_optional_trace(trace),
                             n_history=n_history, n_grid=n_grid, legend=legend)
    return _draw_curve(ax, state, x=x, trace=trace, band=band, level=level,
                       n_history=n_history, n_grid=n_grid, legend=legend)


def _draw_curve(ax: Axes, state: IRLSState, *, x: XSpec, trace: Trace | None,
                band: GLMResult | None, level: float, n_history: int, n_grid: int,
                legend: bool) -> FitArtists:
    """The curve view (see :func:`draw_fit`)."""
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
        held = "others at their means"
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


def _draw_observed(ax: Axes, state: IRLSState, *, trace: tuple[IRLSState, ...] | None,
                   legend: bool) -> FitArtists:
    """The observed-against-fitted view (see :func:`draw_fit`)."""
    problem = state.problem
    n = problem.n
    states = _states_for_limits(state, trace)
    lim = _observed_lim(states)
    ax.set_xlim(*lim)
    ax.set_ylim(*lim)
    (data,) = ax.plot(state.mu, problem.y, "o", color=_C["black"], alpha=_marker_alpha(n),
                      markersize=_marker_size(n), markeredgewidth=0,
                      label="data (yᵢ at its μᵢ)", zorder=4)
    (curve,) = ax.plot(lim, lim, "-", color=_C["vermillion"], linewidth=2,
                       label="y = μ: a perfect fit", zorder=3)
    (start_means,) = ax.plot([], [], "D", visible=False)  # no starting means to mark here
    _style_axes(ax, "Observed against fitted", "fitted mean μᵢ (this iteration)",
                f"observed {problem.response_name}")
    if problem.family.name == "binomial":
        ticks = [0.0, 0.25, 0.5, 0.75, 1.0]
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.yaxis.set_major_locator(FixedLocator(ticks))
    label = _state_label(ax, _label_lines(trace, state))
    art_legend = None
    if legend:
        crowd = Crowd(grow=trace is not None)
        for s in states:
            crowd.add_points(s.mu, problem.y)
        crowd.add_line(lim, lim)
        art_legend = _legend(ax)
        from ._place import place_legend

        place_legend(art_legend, crowd)
    art = FitArtists(ax=ax, data=data, curve=curve, history=(), start_means=start_means,
                     band=None, label=label, legend=art_legend, rows={}, x="mu",
                     grid=np.asarray(lim, float), grid_X=None, grid_offset=None, trace=trace,
                     view="observed")
    art.update(state)
    return art


def _draw_partial(ax: Axes, state: IRLSState, j: int, *, trace: tuple[IRLSState, ...] | None,
                  n_history: int, n_grid: int, legend: bool) -> FitArtists:
    """The partial-residual view of column ``j`` (see :func:`draw_fit`)."""
    problem = state.problem
    n = problem.n
    xdata = np.asarray(problem.X[:, j])
    lo, hi = _pad(*_range(xdata))
    grid = np.linspace(lo, hi, n_grid)
    ax.set_xlim(lo, hi)
    states = _states_for_limits(state, trace)
    ax.set_ylim(*_partial_ylim(states, j, grid))
    name = problem.column_names[j]
    (data,) = ax.plot([], [], "o", color=_C["black"], alpha=_marker_alpha(n),
                      markersize=_marker_size(n), markeredgewidth=0,
                      label="partial residuals", zorder=2)
    n_hist = n_history if trace is not None else 0
    history = tuple(
        ax.plot([], [], "-", color=_C["blue"], alpha=_history_alpha(i), linewidth=1.5,
                label=_HISTORY if i == 0 else None, zorder=3)[0]
        for i in range(n_hist)
    )
    (start_means,) = ax.plot([], [], "D", visible=False)  # no starting means to mark here
    curve_label = f"βⱼx: {name}'s part of η"
    (curve,) = ax.plot([], [], "-", color=_C["vermillion"], linewidth=2.5,
                       label=curve_label, zorder=5)
    _style_axes(ax, f"Partial residuals: {name}",
                f"{name}\n(others taken out, not held at a mean)",
                "z − η + βⱼxⱼ (link scale)")
    label = _state_label(ax, _label_lines(trace, state))
    art_legend = None
    rows: dict[str, Artist] = {}
    if legend:
        crowd = Crowd(grow=trace is not None)
        for s in states:
            if s.beta is not None:
                crowd.add_points(xdata, _partial_residuals(s, j))
                crowd.add_line(grid, _component(s, j, grid))
        art_legend = _legend(ax)
        found = legend_rows(art_legend)
        rows = {key: found[label_] for key, label_ in
                (("curve", curve_label), ("history", _HISTORY)) if label_ in found}
        from ._place import place_legend

        place_legend(art_legend, crowd)
    art = FitArtists(ax=ax, data=data, curve=curve, history=history, start_means=start_means,
                     band=None, label=label, legend=art_legend, rows=rows, x=j, grid=grid,
                     grid_X=None, grid_offset=None, trace=trace, view="partial")
    art.update(state)
    return art


_START = "starting means μ⁽⁰⁾ (a guess)"
_HISTORY = "earlier iterations"


def update_fit(artists: FitArtists, state: IRLSState) -> None:
    """Move the fit panel to ``state`` (no redraw): ``artists.update(state)``."""
    artists.update(state)


