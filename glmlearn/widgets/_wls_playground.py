r"""The WLS playground: set a few weights; the weighted fit moves, the weighted score stays 0.

Each change of a weight refits with :func:`glmlearn.fit` (a Gaussian GLM with identity
link and those prior weights, whose IRLS state is the weighted regression of theorem
WLS.1), moves both panels to the new fit's final state (``artists.update``, see
:mod:`glmlearn.plot.demo_wls`), refreshes the table and redraws once.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np

from .. import score
from .._arrays import Array
from ..plot.demo_wls import draw_weighted_residuals, draw_wls_fit
from ..results import GLMResult
from ._checks import check_index_list
from ._ipympl_fixes import SnapshotBox
from ._text import troubles_of
from ._view import Backend, FigureWidget, guarded, note_html, quiet_fit

__all__ = ["WLS_X", "WLS_Y", "WLSPlayground", "undetermined", "wls_playground"]

#: The playground's data: a straight trend with one outlier (index 5) to down-weight.
WLS_X = np.arange(1.0, 9.0)
WLS_Y = np.array([1.3, 2.1, 2.8, 4.2, 4.9, 9.5, 7.1, 7.8])


def _weights_text(w: Array) -> str:
    return "(" + ", ".join(f"{v:g}" for v in w) + ")"


def undetermined(weights: Array, x: Array = WLS_X) -> str | None:
    r"""Why no line is determined by these weights, or None when one is.

    A weighted least-squares line needs two observations with positive weight at
    different :math:`x`; with fewer, :math:`X^\top W X` is singular.
    """
    pos = np.flatnonzero(np.asarray(weights) > 0)
    if pos.size == 0:
        return ("every weight is 0: there is no observation left to fit; "
                "raise a weight to bring observations back")
    if np.unique(np.asarray(x)[pos]).size < 2:
        (i,) = pos[:1]
        return (f"only one observation has positive weight (observation {i + 1}, "
                f"x = {x[i]:g}): a line through it is not determined; raise another "
                "weight above 0")
    return None


def wls_table_html(result: GLMResult, ols: GLMResult) -> str:
    r"""The weights, the weighted fit, its score, and the *unweighted* score (weights 1)."""
    st = result.final_state
    b, u = result.beta, st.score
    # The same score with every prior weight 1: not zero once the weights differ.
    u1 = score(result.family, st.problem.X, st.problem.y, st.mu, st.eta)
    return (
        "<table class='glmlearn-wls'>"
        f"<tr><th>weights of this fit</th><td>{_weights_text(st.problem.prior_weights)}</td></tr>"
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
    components of :math:`X^\top W (z - X\beta)`. The table gives the weights of the fit
    shown, :math:`\hat\beta`, the weighted score (the state's ``score``, zero to
    rounding) and the *unweighted* :math:`X^\top (z - X\beta)` (not zero once the
    weights differ).

    Weights that leave fewer than two observations with positive weight determine no
    line: the status line says so, the picture and the table keep the last fit (with
    its weights), and the next weights that determine a line are drawn as usual.

    Parameters
    ----------
    observations : sequence of int
        Indices (0 to 7) of the observations that get a weight slider (others keep
        weight 1).
    backend, figsize, dpi
        As for :class:`~glmlearn.widgets.IRLSExplorer`.

    Raises
    ------
    GLMTypeError, GLMInputError
        ``observations`` that is not a sequence of distinct indices 0 to 7.

    Attributes
    ----------
    sliders : list of ipywidgets.FloatSlider
    table : ipywidgets.HTML
    result : GLMResult
        The weighted fit shown (the last one determined).
    fit_panel : WLSFitArtists
        The weighted-fit panel (``fit_panel.working`` is its working-response panel).
    residual_panel : WeightedResidualArtists
    """

    def __init__(self, observations: Any = (0, 5, 7), *, backend: Backend = "auto",
                 figsize: tuple[float, float] = (11.0, 4.2), dpi: float = 80) -> None:
        self.observations = check_index_list("observations", observations, len(WLS_X))
        super().__init__(figsize, dpi, backend)
        self.X = np.column_stack([np.ones_like(WLS_X), WLS_X])
        self.y = WLS_Y
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
        with self.view.lock:
            self.fit_panel = draw_wls_fit(ax_fit, final, self._ols.beta)
            self.residual_panel = draw_weighted_residuals(ax_res, final)
            fig.set_layout_engine("constrained")
            fig.canvas.draw_idle()
        self._show_text()
        self.widget = SnapshotBox([widgets.HBox(self.sliders,
                                                layout=widgets.Layout(flex_flow="row wrap")),
                                   self.view.widget, self.status, self.table], self._snapshot)
        self.widget.add_class("glmlearn-wls-playground")

    @property
    def weights(self) -> Array:
        """The prior weights the sliders set now (1 except for those with a slider)."""
        w = np.ones_like(self.y)
        for i, s in zip(self.observations, self.sliders, strict=True):
            w[i] = s.value
        return w

    @property
    def shown_weights(self) -> Array:
        """The prior weights of the fit shown (differ from :attr:`weights` when those
        determine no line)."""
        return np.asarray(self.result.problem.prior_weights)

    @property
    def working(self) -> Any:
        """The working-response panel (:class:`glmlearn.plot.WorkingArtists`)."""
        return self.fit_panel.working

    def _fit(self, weights: Array | None) -> GLMResult:
        return quiet_fit(self.X, self.y, "gaussian", weights=weights,
                         column_names=["(Intercept)", "x"])

    @guarded
    def _on_weight(self, change: Mapping[str, Any]) -> None:
        w = self.weights
        why = undetermined(w)
        if why is not None:
            self._show_text(why)  # the picture keeps the last fit determined
            return
        result = self._fit(w)
        self._draw(result)

    def _draw(self, result: GLMResult) -> None:
        final = result.final_state
        with self.view.lock:  # not while the figure renders in ipympl's thread
            self.fit_panel.update(final)
            self.residual_panel.update(final)
            self.figure.canvas.draw_idle()
        self.result = result
        self._show_text()

    def _show_text(self, why: str | None = None) -> None:
        self.table.value = wls_table_html(self.result, self._ols)
        shown = _weights_text(self.shown_weights)
        if why is None:
            lines = [f"<div>Showing the weighted fit for weights {html.escape(shown)}.</div>"]
        else:
            lines = [note_html(why),
                     f"<div>The picture and the table still show the last line determined, "
                     f"weights {html.escape(shown)}.</div>"]
        lines += [note_html(f"{kind}: {msg}") for kind, msg in troubles_of(self.result)]
        self.status.value = "".join(lines)

    def _recover(self) -> None:
        self._draw(self.result)

    def _showing(self) -> str:
        return f"the fit for weights {_weights_text(self.shown_weights)}"

    def _snapshot_html(self) -> str:
        return str(self.status.value) + str(self.table.value)


def wls_playground(observations: Any = (0, 5, 7), **kwargs: Any) -> WLSPlayground:
    """Build a :class:`WLSPlayground` (see there); display the returned object."""
    return WLSPlayground(observations, **kwargs)
