r"""Three small widgets for the lessons: links, weighted least squares, separation.

* :func:`link_explorer` -- slide :math:`\eta`; see :math:`\mu = g^{-1}(\eta)` under every
  link the family allows, the derivative :math:`d\mu/d\eta`, and the working weight
  :math:`w = (d\mu/d\eta)^2 / V(\mu)` it becomes.
* :func:`wls_playground` -- change a few observations' weights; the weighted fit moves and
  the weighted score :math:`X^\top W(z - X\beta)` stays at zero (theorem WLS.1).
* :func:`separation_demo` -- move one failure until it no longer overlaps the successes;
  watch :math:`\beta` run away and glmlearn's warnings appear.

Each returns an object that displays as its widget (``.widget``), keeps the figure in
``.figure`` and records callback errors in ``.errors``.
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from .. import plot
from .._arrays import Array
from .._fit import fit
from .._irls import working_weights
from ..errors import GLMWarning
from ..family import FAMILIES, Family
from ..results import GLMResult
from ._view import Backend, FigureView, SnapshotBox, guarded

__all__ = ["LinkExplorer", "SeparationDemo", "WLSPlayground", "link_explorer",
           "separation_demo", "wls_playground"]

_TEXT_PT = 10


class _FigureWidget:
    """What the demos share: a :class:`FigureView`, a status line, the error list."""

    def __init__(self, figsize: tuple[float, float], dpi: float, backend: Backend) -> None:
        self.errors: list[Exception] = []
        self.status = widgets.HTML()
        self.status.add_class("glmlearn-status")
        self.view = FigureView(figsize, dpi, backend)
        self.widget: SnapshotBox

    @property
    def figure(self) -> Any:
        """The matplotlib figure."""
        return self.view.figure

    def png(self) -> bytes:
        """The figure as it is now, as PNG bytes."""
        return self.view.png()

    def _snapshot_html(self) -> str:
        return ""

    def _snapshot(self) -> tuple[bytes, str]:
        return self.png(), self._snapshot_html()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        return self.widget._repr_mimebundle_(**kwargs)


def _fmt(v: float) -> str:
    return "—" if not np.isfinite(v) else f"{v:.4g}"


# --- links -------------------------------------------------------------------------------

#: The range of eta shown for each family: wide enough to see every link saturate or bend.
ETA_RANGES: dict[str, tuple[float, float]] = {
    "binomial": (-6.0, 6.0),
    "poisson": (-2.0, 3.0),
    "gaussian": (-3.0, 3.0),
    "gamma": (-2.0, 3.0),
    "inverse_gaussian": (-2.0, 3.0),
}


class LinkExplorer(_FigureWidget):
    r"""Slide :math:`\eta` and compare the links a family allows.

    Three panels share the :math:`\eta` axis: the mean :math:`\mu = g^{-1}(\eta)` (drawn
    by :func:`glmlearn.plot.draw_links`), its derivative :math:`d\mu/d\eta`, and the working
    weight :math:`w = (d\mu/d\eta)^2 / V(\mu)` (prior weight 1) that IRLS gives an
    observation whose linear predictor is :math:`\eta`, computed by
    :func:`glmlearn.working_weights`. Markers and a table follow the slider.

    Parameters
    ----------
    family : str
        A name from :data:`glmlearn.FAMILIES`.
    eta : float
        Starting value of the slider.
    backend, figsize, dpi
        As for :class:`~glmlearn.widgets.IRLSExplorer`.

    Attributes
    ----------
    family_menu : ipywidgets.Dropdown
    eta_slider : ipywidgets.FloatSlider
    table : ipywidgets.HTML
        One row per link: :math:`\mu`, :math:`d\mu/d\eta`, :math:`V(\mu)`, :math:`w`.
    markers : dict
        ``{link name: (mu marker, derivative marker, weight marker)}``.
    """

    def __init__(self, family: str = "binomial", eta: float = 1.0, *, backend: Backend = "auto",
                 figsize: tuple[float, float] = (13.0, 4.2), dpi: float = 80) -> None:
        super().__init__(figsize, dpi, backend)
        if family not in FAMILIES:
            raise ValueError(f"family: unknown family {family!r}; known families are "
                             f"{', '.join(map(repr, FAMILIES))}")
        self.family_menu = widgets.Dropdown(options=list(FAMILIES), value=family,
                                            description="family")
        lo, hi = ETA_RANGES[family]
        self.eta_slider = widgets.FloatSlider(value=float(np.clip(eta, lo, hi)), min=lo, max=hi,
                                              step=0.05, description="η",
                                              layout=widgets.Layout(width="480px"))
        self.table = widgets.HTML()
        self.family_menu.add_class("glmlearn-family")
        self.eta_slider.add_class("glmlearn-slider")
        self.table.add_class("glmlearn-table")
        self.markers: dict[str, tuple[Line2D, Line2D, Line2D]] = {}
        self.vlines: list[Line2D] = []
        self._build()
        self.eta_slider.observe(self._on_eta, names="value")
        self.family_menu.observe(self._on_family, names="value")
        controls = widgets.HBox([self.family_menu, self.eta_slider])
        self.widget = SnapshotBox([controls, self.view.widget, self.table], self._snapshot)
        self.widget.add_class("glmlearn-link-explorer")

    @property
    def family(self) -> Family:
        """The family chosen, with its canonical link."""
        return FAMILIES[self.family_menu.value]()

    def _curves(self, link_name: str, eta: Array) -> tuple[Array, Array, Array]:
        """:math:`\\mu`, :math:`d\\mu/d\\eta` and :math:`w` along ``eta`` (NaN where invalid)."""
        fam = FAMILIES[self.family.name](link_name)
        lk = fam.link
        with np.errstate(all="ignore"):
            ok = lk.valid_eta(eta)
            safe = np.where(ok, eta, 1.0)  # any valid eta: the masked values are dropped
            mu = fam.link_inverse(safe)
            ok &= fam.valid_mu(mu)
            dmu = fam.mu_eta(safe)
            w = working_weights(fam, mu, safe)
        nan = np.nan
        return np.where(ok, mu, nan), np.where(ok, dmu, nan), np.where(ok, w, nan)

    def _build(self) -> None:
        with self.view.lock:  # not while the figure renders in ipympl's thread
            self._build_figure()
        self._show(self.eta_slider.value)

    def _build_figure(self) -> None:
        fig = self.view.figure
        fig.clear()
        ax_mu, ax_d, ax_w = fig.subplots(1, 3)
        fam = self.family
        lo, hi = ETA_RANGES[fam.name]
        arts = plot.draw_links(ax_mu, fam.allowed_links, eta=(lo, hi))
        grid = np.linspace(lo, hi, 400)
        self.markers = {}
        d_all, w_all = [], []
        for name, art in arts.items():
            style = {"color": art.curve.get_color(), "linestyle": art.curve.get_linestyle(),
                     "linewidth": 2}
            _, d, w = self._curves(name, grid)
            ax_d.plot(grid, d, label=name, **style)
            ax_w.plot(grid, w, label=name, **style)
            d_all.append(d)
            w_all.append(w)
            mk = {"marker": "o", "markersize": 8, "color": style["color"], "linestyle": "none",
                  "zorder": 5}
            self.markers[name] = (ax_mu.plot([], [], **mk)[0], ax_d.plot([], [], **mk)[0],
                                  ax_w.plot([], [], **mk)[0])
        for ax, vals, title, ylabel in [
            (ax_d, d_all, "Derivative dμ/dη", "dμ/dη"),
            (ax_w, w_all, "Working weight w = (dμ/dη)² / V(μ)", "w (prior weight 1)"),
        ]:
            v = np.concatenate(vals)
            v = v[np.isfinite(v)]
            if v.size:  # percentiles: exp(eta) or 1/eta^2 near a pole would squash the rest
                y_lo, y_hi = (float(q) for q in np.percentile(v, [2, 98]))
                y_lo, y_hi = min(y_lo, 0.0), max(y_hi, 0.0)
                pad = 0.06 * (y_hi - y_lo or 1.0)
                ax.set_ylim(y_lo - pad, y_hi + pad)
            ax.set_title(title, fontsize=12)
            ax.set_xlabel("linear predictor η", fontsize=11)
            ax.set_ylabel(ylabel, fontsize=11)
            ax.tick_params(labelsize=10)
        ax_mu.set_title(f"{fam.name}: mean μ = g⁻¹(η)", fontsize=12)
        if fam.name == "binomial":  # a probability: the log link's mean above 1 is invalid
            ax_mu.set_ylim(-0.05, 1.05)
        elif fam.name != "gaussian":  # a positive mean: the inverse link's eta < 0 is invalid
            top = ax_mu.get_ylim()[1]
            ax_mu.set_ylim(-0.05 * top, top)
        self.vlines = [ax.axvline(0.0, color=plot.OKABE_ITO["black"], linewidth=1, alpha=0.6)
                       for ax in (ax_mu, ax_d, ax_w)]
        for ax in (ax_mu, ax_d, ax_w):
            ax.set_xlim(lo, hi)
        fig.set_layout_engine("constrained")

    @guarded
    def _on_eta(self, change: Mapping[str, Any]) -> None:
        self._show(float(change["new"]))

    @guarded
    def _on_family(self, change: Mapping[str, Any]) -> None:
        lo, hi = ETA_RANGES[change["new"]]
        self.eta_slider.unobserve(self._on_eta, names="value")
        try:  # widen first: a FloatSlider clamps min above max
            self.eta_slider.min, self.eta_slider.max = -1e9, 1e9
            self.eta_slider.value = float(np.clip(self.eta_slider.value, lo, hi))
            self.eta_slider.min, self.eta_slider.max = lo, hi
        finally:
            self.eta_slider.observe(self._on_eta, names="value")
        self._build()

    def _show(self, eta: float) -> None:
        with self.view.lock:
            self._move_to(eta)
            self.view.redraw()

    def _move_to(self, eta: float) -> None:
        e = np.array([eta])
        rows = []
        fam = self.family
        for name, (m_mu, m_d, m_w) in self.markers.items():
            mu, d, w = (float(a[0]) for a in self._curves(name, e))
            for mk, val in ((m_mu, mu), (m_d, d), (m_w, w)):
                mk.set_data([eta] if np.isfinite(val) else [], [val] if np.isfinite(val) else [])
            v = float(fam.variance(np.array([mu]))[0]) if np.isfinite(mu) else np.nan
            canon = " (canonical)" if name == fam.canonical_link else ""
            rows.append(f"<tr><th>{html.escape(name)}{canon}</th><td>{_fmt(mu)}</td>"
                        f"<td>{_fmt(d)}</td><td>{_fmt(v)}</td><td>{_fmt(w)}</td></tr>")
        for vl in self.vlines:
            vl.set_xdata([eta, eta])
        self.table.value = (
            f"<table class='glmlearn-links'><tr><th>η = {eta:.3g}</th><th>μ = g⁻¹(η)</th>"
            f"<th>dμ/dη</th><th>V(μ)</th><th>w = (dμ/dη)²/V(μ)</th></tr>{''.join(rows)}</table>"
            "<div>— : η outside the link's domain or μ outside the family's range</div>")

    def _snapshot_html(self) -> str:
        return str(self.table.value)


def link_explorer(family: str = "binomial", eta: float = 1.0, **kwargs: Any) -> LinkExplorer:
    """Build a :class:`LinkExplorer` (see there); display the returned object."""
    return LinkExplorer(family, eta, **kwargs)


# --- weighted least squares ------------------------------------------------------------------

#: The playground's data: a straight trend with one outlier (index 5) to down-weight.
WLS_X = np.arange(1.0, 9.0)
WLS_Y = np.array([1.3, 2.1, 2.8, 4.2, 4.9, 9.5, 7.1, 7.8])


class WLSPlayground(_FigureWidget):
    r"""Weighted least squares by hand: set weights, watch the fit and the score.

    The problem is a Gaussian GLM with identity link and prior weights ``w``: its IRLS
    state *is* the weighted regression of theorem WLS.1, with working response
    :math:`z = y` and working weights :math:`w`. Each change of a weight refits with
    :func:`glmlearn.fit` and shows

    * the working-response panel (:func:`glmlearn.plot.draw_working`): points with area
      proportional to their weight and the weighted fit, against the unweighted fit
      (dashed);
    * the weighted residuals :math:`w_i (z_i - x_i^\top\beta)`, whose sum and
      :math:`x`-weighted sum are the two components of :math:`X^\top W (z - X\beta)`;
    * a table with :math:`\hat\beta`, the weighted score (the state's ``score``, zero to
      rounding) and the *unweighted* :math:`X^\top (z - X\beta)` (not zero once the
      weights differ).

    Parameters
    ----------
    observations : sequence of int
        Indices of the observations that get a weight slider (others keep weight 1).
    backend, figsize, dpi
        As for :class:`~glmlearn.widgets.IRLSExplorer`.

    Attributes
    ----------
    sliders : list of ipywidgets.FloatSlider
    table : ipywidgets.HTML
    result : GLMResult
        The current weighted fit.
    """

    def __init__(self, observations: tuple[int, ...] = (0, 5, 7), *, backend: Backend = "auto",
                 figsize: tuple[float, float] = (11.0, 4.2), dpi: float = 80) -> None:
        super().__init__(figsize, dpi, backend)
        self.X = np.column_stack([np.ones_like(WLS_X), WLS_X])
        self.y = WLS_Y
        self.observations = tuple(int(i) for i in observations)
        self.sliders = []
        for j, i in enumerate(self.observations):
            s = widgets.FloatSlider(value=1.0, min=0.0, max=5.0, step=0.1,
                                    description=f"w{i + 1} (x = {WLS_X[i]:g})",
                                    style={"description_width": "initial"})
            s.add_class("glmlearn-weight")
            s.add_class(f"glmlearn-weight-{j}")
            s.observe(self._on_weight, names="value")
            self.sliders.append(s)
        self.table = widgets.HTML()
        self.table.add_class("glmlearn-table")
        self._ols = fit(self.X, self.y, "gaussian", column_names=["(Intercept)", "x"])
        fig = self.view.figure
        self.ax_fit, self.ax_res = fig.subplots(1, 2, width_ratios=[3, 2])
        self.result = self._fit()
        self.working = plot.draw_working(self.ax_fit, self.result.final_state)
        self.working.ax.set_title("Weighted least squares: z = y, area ∝ weight", fontsize=12)
        grid = np.asarray(self.working.grid)
        (self.ols_line,) = self.ax_fit.plot(grid, self._ols.coef[0] + self._ols.coef[1] * grid,
                                            "--", color=plot.OKABE_ITO["black"], linewidth=1.5,
                                            label="unweighted fit (all w = 1)", zorder=1)
        self.ax_fit.legend(loc="lower right", fontsize=_TEXT_PT, framealpha=0.8)
        self.bars = self.ax_res.bar(WLS_X, np.zeros_like(WLS_X), color=plot.OKABE_ITO["green"],
                                    width=0.6)
        self.ax_res.axhline(0.0, color=plot.OKABE_ITO["black"], linewidth=1)
        self.ax_res.set_title("Weighted residuals wᵢ(zᵢ − xᵢᵀβ)", fontsize=12)
        self.ax_res.set_xlabel("x", fontsize=11)
        self.ax_res.tick_params(labelsize=10)
        self.sum_text = self.ax_res.text(0.03, 0.96, "", transform=self.ax_res.transAxes,
                                         va="top", fontsize=_TEXT_PT)
        fig.set_layout_engine("constrained")
        self._show()
        self.widget = SnapshotBox([widgets.HBox(self.sliders,
                                                layout=widgets.Layout(flex_flow="row wrap")),
                                   self.view.widget, self.table], self._snapshot)
        self.widget.add_class("glmlearn-wls-playground")

    @property
    def weights(self) -> Array:
        """The prior weights now (1 except for the observations with a slider)."""
        w = np.ones_like(self.y)
        for i, s in zip(self.observations, self.sliders, strict=True):
            w[i] = s.value
        return w

    def _fit(self) -> GLMResult:
        return fit(self.X, self.y, "gaussian", weights=self.weights,
                   column_names=["(Intercept)", "x"])

    @guarded
    def _on_weight(self, change: Mapping[str, Any]) -> None:
        self.result = self._fit()
        self._show()

    def _show(self) -> None:
        with self.view.lock:  # not while the figure renders in ipympl's thread
            plot.update_working(self.working, self.result.final_state)
            self._move()
            self.view.redraw()

    def _move(self) -> None:
        st = self.result.final_state
        assert st.beta is not None
        resid = np.asarray(st.z) - self.X @ st.beta   # z - X beta (no offset here)
        contrib = np.asarray(st.w) * resid
        for bar, h in zip(self.bars, contrib, strict=True):
            bar.set_height(h)
        top = max(float(np.max(np.abs(contrib))), 1e-9) * 1.25
        self.ax_res.set_ylim(-top, top)
        b = st.beta
        self.working.label.set_text(f"weighted fit: β = ({b[0]:.4g}, {b[1]:.4g})")
        self.sum_text.set_text(f"Σ wᵢrᵢ = {st.score[0]:.2g}\nΣ wᵢxᵢrᵢ = {st.score[1]:.2g}")
        unweighted = self.X.T @ resid
        self.table.value = (
            "<table class='glmlearn-wls'>"
            f"<tr><th>weighted fit β̂</th><td>({b[0]:.4f}, {b[1]:.4f})</td></tr>"
            f"<tr><th>weighted score Xᵀ W (z − Xβ̂)</th><td>({st.score[0]:.2e}, "
            f"{st.score[1]:.2e})</td></tr>"
            f"<tr><th>unweighted Xᵀ (z − Xβ̂)</th><td>({unweighted[0]:.3g}, "
            f"{unweighted[1]:.3g})</td></tr>"
            f"<tr><th>unweighted fit (all w = 1)</th><td>({self._ols.coef[0]:.4f}, "
            f"{self._ols.coef[1]:.4f})</td></tr></table>"
            "<div>WLS.1: at the weighted solution the weighted residuals are orthogonal to "
            "every column of X; the unweighted ones are not.</div>")

    def _snapshot_html(self) -> str:
        return str(self.table.value)


def wls_playground(observations: tuple[int, ...] = (0, 5, 7), **kwargs: Any) -> WLSPlayground:
    """Build a :class:`WLSPlayground` (see there); display the returned object."""
    return WLSPlayground(observations, **kwargs)


# --- separation ------------------------------------------------------------------------------

#: Failures at x = 1..5, successes at x = 6..10, and one more failure that the slider moves.
SEPARATION_X = np.arange(1.0, 11.0)
SEPARATION_Y = (SEPARATION_X >= 6).astype(float)


class SeparationDemo(_FigureWidget):
    r"""Move one failure until the classes separate, and watch the MLE stop existing.

    With the moved failure among the successes (:math:`x > 6`) the logistic MLE exists and
    IRLS converges in a few steps. At :math:`x = 6` it ties with a success
    (quasi-complete separation); below 6 a threshold splits failures from successes
    perfectly (complete separation). Then :math:`\hat\beta` runs off towards infinity,
    the fitted curve becomes a step, and :func:`glmlearn.fit` says so: its
    :class:`~glmlearn.SeparationWarning`, :class:`~glmlearn.BoundaryWarning` and
    :class:`~glmlearn.ConvergenceWarning` are caught and shown, with the result's flags.

    Panels: the fit with earlier iterations faded (:func:`glmlearn.plot.draw_fit`), each
    coefficient against the iteration, and the deviance trace
    (:func:`glmlearn.plot.draw_deviance`).

    Parameters
    ----------
    x : float
        Starting position of the moved failure (1 to 10).
    max_iter : int
        IRLS iterations allowed (R's default 25).
    backend, figsize, dpi
        As for :class:`~glmlearn.widgets.IRLSExplorer`.

    Attributes
    ----------
    x_slider : ipywidgets.FloatSlider
    warnings_html : ipywidgets.HTML
        The warnings of the current fit, its flags and separation verdict.
    table : ipywidgets.HTML
    result : GLMResult
    caught : tuple of (str, str)
        ``(warning class name, message)`` of the current fit.
    """

    def __init__(self, x: float = 8.0, *, max_iter: int = 25, backend: Backend = "auto",
                 figsize: tuple[float, float] = (13.0, 4.2), dpi: float = 80) -> None:
        super().__init__(figsize, dpi, backend)
        self.max_iter = max_iter
        self.x_slider = widgets.FloatSlider(value=x, min=1.0, max=10.0, step=0.5,
                                            description="moved failure at x =",
                                            style={"description_width": "initial"},
                                            layout=widgets.Layout(width="480px"))
        self.x_slider.add_class("glmlearn-slider")
        self.warnings_html = widgets.HTML()
        self.warnings_html.add_class("glmlearn-warnings")
        self.table = widgets.HTML()
        self.table.add_class("glmlearn-table")
        self._fits: dict[float, tuple[GLMResult, tuple[tuple[str, str], ...]]] = {}
        self.caught: tuple[tuple[str, str], ...] = ()
        self._update(float(x))
        self.x_slider.observe(self._on_x, names="value")
        self.widget = SnapshotBox([self.x_slider, self.view.widget,
                                   widgets.HBox([self.table, self.warnings_html],
                                                layout=widgets.Layout(grid_gap="24px"))],
                                  self._snapshot)
        self.widget.add_class("glmlearn-separation-demo")

    def data(self, x: float) -> tuple[Array, Array]:
        """Design matrix and response with the moved failure at ``x``."""
        xs = np.append(SEPARATION_X, x)
        return np.column_stack([np.ones_like(xs), xs]), np.append(SEPARATION_Y, 0.0)

    def fit_at(self, x: float) -> tuple[GLMResult, tuple[tuple[str, str], ...]]:
        """The logistic fit (and its warnings) with the moved failure at ``x``; cached."""
        if x not in self._fits:
            X, y = self.data(x)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", GLMWarning)
                res = fit(X, y, "binomial", max_iter=self.max_iter,
                          column_names=["(Intercept)", "x"])
            self._fits[x] = (res, tuple((w.category.__name__, str(w.message)) for w in caught
                                        if issubclass(w.category, GLMWarning)))
        return self._fits[x]

    @guarded
    def _on_x(self, change: Mapping[str, Any]) -> None:
        self._update(float(change["new"]))

    def _update(self, x: float) -> None:
        self.result, self.caught = self.fit_at(x)
        # Each position is a new data set, not another state of one trace: the panels are
        # drawn afresh (the data points themselves move).
        fig = self.view.figure
        with self.view.lock:  # not while the figure renders in ipympl's thread
            fig.clear()
            ax_fit, ax_beta, ax_dev = fig.subplots(1, 3)
            final = self.result.final_state
            plot.draw_fit(ax_fit, final, trace=self.result)
            self._draw_beta(ax_beta)
            plot.draw_deviance(ax_dev, final, trace=self.result)
            fig.set_layout_engine("constrained")
            self.view.redraw()
        self._show_text(x)

    def _draw_beta(self, ax: Axes) -> None:
        tr = [s for s in self.result.trace if s.beta is not None]
        k = [s.iteration for s in tr]
        B = np.array([s.beta for s in tr])
        colours = (plot.OKABE_ITO["blue"], plot.OKABE_ITO["vermillion"])
        for j, name in enumerate(self.result.column_names):
            ax.plot(k, B[:, j], "-o", markersize=4, color=colours[j % 2], label=f"β{j} ({name})")
        ax.axhline(0.0, color=plot.OKABE_ITO["black"], linewidth=0.8, alpha=0.5)
        ax.set_title("Coefficients by iteration", fontsize=12)
        ax.set_xlabel("iteration k", fontsize=11)
        ax.set_ylabel("β⁽ᵏ⁾", fontsize=11)
        ax.tick_params(labelsize=10)
        ax.legend(fontsize=_TEXT_PT, loc="best", framealpha=0.8)

    def _show_text(self, x: float) -> None:
        r = self.result
        verdict = {"complete": "complete separation: the MLE does not exist",
                   "quasi-complete": "quasi-complete separation: the MLE does not exist",
                   None: "no separation: the MLE exists"}[r.separation]
        items = [f"<li class='glmlearn-warning'><b>{html.escape(c)}</b>: {html.escape(m)}</li>"
                 for c, m in self.caught]
        flags = ", ".join(sorted(r.flags)) or "none"
        self.warnings_html.value = (
            f"<div><b>{html.escape(verdict)}</b></div>"
            + (f"<ul>{''.join(items)}</ul>" if items else "<div>no warnings</div>")
            + f"<div>flags: {html.escape(flags)}</div>")
        b = r.coef
        self.table.value = (
            "<table class='glmlearn-state'>"
            f"<tr><th>moved failure at</th><td>x = {x:g}</td></tr>"
            f"<tr><th>β̂</th><td>({b[0]:.4g}, {b[1]:.4g})</td></tr>"
            f"<tr><th>iterations</th><td>{r.n_iter}"
            f"{'' if r.converged else ' (not converged)'}</td></tr>"
            f"<tr><th>deviance</th><td>{r.deviance:.4g}</td></tr></table>")

    def _snapshot_html(self) -> str:
        return str(self.table.value) + str(self.warnings_html.value)


def separation_demo(x: float = 8.0, **kwargs: Any) -> SeparationDemo:
    """Build a :class:`SeparationDemo` (see there); display the returned object."""
    return SeparationDemo(x, **kwargs)
