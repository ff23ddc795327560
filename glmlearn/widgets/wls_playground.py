r"""The WLS playground: set a few weights; the weighted fit moves, the weighted score stays 0.

Each change of a weight refits with :func:`glmlearn.fit` (a Gaussian GLM with identity
link and those prior weights, whose IRLS state is the weighted regression of theorem
WLS.1), moves both panels to the new fit's final state (``artists.update``, see
:mod:`glmlearn.plot.demo_wls`), refreshes the table and redraws once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np

from .. import score
from .._arrays import Array
from .._fit import fit
from ..plot.demo_wls import draw_weighted_residuals, draw_wls_fit
from ..results import GLMResult
from ._ipympl_fixes import SnapshotBox
from ._view import Backend, FigureWidget, guarded

__all__ = ["WLS_X", "WLS_Y", "WLSPlayground", "wls_playground"]

#: The playground's data: a straight trend with one outlier (index 5) to down-weight.
WLS_X = np.arange(1.0, 9.0)
WLS_Y = np.array([1.3, 2.1, 2.8, 4.2, 4.9, 9.5, 7.1, 7.8])


def wls_table_html(result: GLMResult, ols: GLMResult) -> str:
    r"""The weighted fit, its score, and the *unweighted* score (prior weights 1)."""
    st = result.final_state
    b, u = result.beta, st.score
    # The same score with every prior weight 1: not zero once the weights differ.
    u1 = score(result.family, st.problem.X, st.problem.y, st.mu, st.eta)
    return (
        "<table class='glmlearn-wls'>"
        f"<tr><th>weighted fit β̂</th><td>({b[0]:.4f}, {b[1]:.4f})</td></tr>"
        f"<tr><th>weighted score Xᵀ W (z − Xβ̂)</th><td>({u[0]:.2e}, {u[1]:.2e})</td></tr>"
        f"<tr><th>unweighted Xᵀ (z − Xβ̂)</th><td>({u1[0]:.3g}, {u1[1]:.3g})</td></tr>"
        f"<tr><th>unweighted fit (all w = 1)</th><td>({ols.beta[0]:.4f}, "
        f"{ols.beta[1]:.4f})</td></tr></table>"
        "<div>WLS.1: at the weighted solution the weighted residuals are orthogonal to "
        "every column of X; the unweighted ones are not.</div>")


class WLSPlayground(FigureWidget):
    r"""Weighted least squares by hand: set weights, watch the fit and the score.

    Panels: the working response with point areas proportional to the weights, the
    weighted fit and the unweighted one (dashed); the weighted residuals
    :math:`w_i (z_i - x_i^\top\beta)`, whose sum and :math:`x`-weighted sum are the two
    components of :math:`X^\top W (z - X\beta)`. The table gives :math:`\hat\beta`, the
    weighted score (the state's ``score``, zero to rounding) and the *unweighted*
    :math:`X^\top (z - X\beta)` (not zero once the weights differ).

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
    fit_panel : WLSFitArtists
        The weighted-fit panel (``fit_panel.working`` is its working-response panel).
    residual_panel : WeightedResidualArtists
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
        self._ols = self._fit(None)
        self.result = self._fit(self.weights)
        fig = self.figure
        ax_fit, ax_res = fig.subplots(1, 2, width_ratios=[3, 2])
        final = self.result.final_state
        self.fit_panel = draw_wls_fit(ax_fit, final, self._ols.beta)
        self.residual_panel = draw_weighted_residuals(ax_res, final)
        fig.set_layout_engine("constrained")
        fig.canvas.draw_idle()
        self.table.value = wls_table_html(self.result, self._ols)
        self.widget = SnapshotBox([widgets.HBox(self.sliders,
                                                layout=widgets.Layout(flex_flow="row wrap")),
                                   self.view.widget, self.table, self.status], self._snapshot)
        self.widget.add_class("glmlearn-wls-playground")

    @property
    def weights(self) -> Array:
        """The prior weights now (1 except for the observations with a slider)."""
        w = np.ones_like(self.y)
        for i, s in zip(self.observations, self.sliders, strict=True):
            w[i] = s.value
        return w

    @property
    def working(self) -> Any:
        """The working-response panel (:class:`glmlearn.plot.WorkingArtists`)."""
        return self.fit_panel.working

    def _fit(self, weights: Array | None) -> GLMResult:
        return fit(self.X, self.y, "gaussian", weights=weights, column_names=["(Intercept)", "x"])

    @guarded
    def _on_weight(self, change: Mapping[str, Any]) -> None:
        self.result = self._fit(self.weights)
        final = self.result.final_state
        with self.view.lock:  # not while the figure renders in ipympl's thread
            self.fit_panel.update(final)
            self.residual_panel.update(final)
            self.figure.canvas.draw_idle()
        self.table.value = wls_table_html(self.result, self._ols)

    def _snapshot_html(self) -> str:
        return str(self.table.value)


def wls_playground(observations: tuple[int, ...] = (0, 5, 7), **kwargs: Any) -> WLSPlayground:
    """Build a :class:`WLSPlayground` (see there); display the returned object."""
    return WLSPlayground(observations, **kwargs)
