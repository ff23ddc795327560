r"""The separation demo: move one failure until the classes separate; the MLE stops existing.

Each position of the slider refits with :func:`glmlearn.fit` (cached), draws the new fit
into the panels (``artists.update``, see :mod:`glmlearn.plot.demo_separation`) and
redraws once. The status area lists the fit's ``result.troubles``, each once, with its
kind and message, the result's flags and the separation verdict.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np

from .._arrays import Array
from ..plot.demo_separation import SeparationArtists, draw_separation
from ..problem import check_controls
from ..results import GLMResult
from ._checks import check_real
from ._ipympl_fixes import SnapshotBox
from ._text import troubles_of
from ._view import Backend, FigureWidget, guarded, quiet_fit

__all__ = ["SEPARATION_X", "SEPARATION_Y", "X_RANGE", "SeparationDemo", "separation_demo"]

#: Failures at x = 1..5, successes at x = 6..10, and one more failure that the slider moves.
SEPARATION_X = np.arange(1.0, 11.0)
SEPARATION_Y = (SEPARATION_X >= 6).astype(float)

#: Where the moved failure can go: the slider's range (the data's range of x).
X_RANGE = (1.0, 10.0)

_VERDICTS = {"complete": "complete separation: the MLE does not exist",
             "quasi-complete": "quasi-complete separation: the MLE does not exist",
             None: "no separation: the MLE exists"}


def troubles_html(result: GLMResult) -> str:
    """The separation verdict, each trouble of the fit (kind and message), its flags."""
    items = [f"<li class='glmlearn-warning'><b>{html.escape(kind)}</b>: {html.escape(msg)}</li>"
             for kind, msg in troubles_of(result)]
    flags = ", ".join(sorted(result.flags)) or "none"
    return (f"<div><b>{html.escape(_VERDICTS[result.separation])}</b></div>"
            + (f"<ul>{''.join(items)}</ul>" if items else "<div>no warnings</div>")
            + f"<div>flags: {html.escape(flags)}</div>")


def fit_table_html(result: GLMResult, x: float) -> str:
    r"""Where the moved failure is, :math:`\hat\beta`, the iterations and the deviance."""
    b = result.beta
    return (
        "<table class='glmlearn-state'>"
        f"<tr><th>moved failure at</th><td>x = {x:g}</td></tr>"
        f"<tr><th>β̂</th><td>({b[0]:.4g}, {b[1]:.4g})</td></tr>"
        f"<tr><th>iterations</th><td>{result.n_iter}"
        f"{'' if result.converged else ' (not converged)'}</td></tr>"
        f"<tr><th>deviance</th><td>{result.deviance:.4g}</td></tr></table>")


class SeparationDemo(FigureWidget):
    r"""Move one failure until the classes separate, and watch the MLE stop existing.

    With the moved failure among the successes (:math:`x > 6`) the logistic MLE exists and
    IRLS converges in a few steps. At :math:`x = 6` it ties with a success
    (quasi-complete separation); below 6 a threshold splits failures from successes
    perfectly (complete separation). Then :math:`\hat\beta` runs off towards infinity,
    the fitted curve becomes a step, and :func:`glmlearn.fit` says so: the result's
    troubles (:class:`~glmlearn.SeparationWarning`, :class:`~glmlearn.BoundaryWarning`,
    :class:`~glmlearn.ConvergenceWarning`) are shown, with its flags.

    Panels: the fit with earlier iterations faded (:func:`glmlearn.plot.draw_fit`), each
    coefficient against the iteration, and the deviance trace
    (:func:`glmlearn.plot.draw_deviance`).

    Parameters
    ----------
    x : float
        Starting position of the moved failure, 1 to 10 (the slider's range, which is the
        data's range of x).
    max_iter : int
        IRLS iterations allowed (R's default 25).
    backend, figsize, dpi
        As for :class:`~glmlearn.widgets.IRLSExplorer`.

    Raises
    ------
    GLMInputError, GLMTypeError
        ``x`` that is not a number from 1 to 10 (the slider could not show it: the demo
        would fit one position and show another), or a ``max_iter`` that is not a
        positive integer.

    Attributes
    ----------
    x_slider : ipywidgets.FloatSlider
    warnings_html : ipywidgets.HTML
        The troubles of the current fit, its flags and separation verdict.
    table : ipywidgets.HTML
    result : GLMResult
        The fit shown; :attr:`x` is where its moved failure is.
    panels : SeparationArtists
    """

    def __init__(self, x: float = 8.0, *, max_iter: int = 25, backend: Backend = "auto",
                 figsize: tuple[float, float] = (13.0, 4.2), dpi: float = 80) -> None:
        x = check_real("x", x, *X_RANGE, where="the slider's range, the data's range of x")
        check_controls(max_iter, 1e-8)
        super().__init__(figsize, dpi, backend)
        self.max_iter = max_iter
        self.x_slider = widgets.FloatSlider(value=x, min=X_RANGE[0], max=X_RANGE[1], step=0.5,
                                            description="moved failure at x =",
                                            style={"description_width": "initial"},
                                            layout=widgets.Layout(width="480px"))
        self.x_slider.add_class("glmlearn-slider")
        self.warnings_html = widgets.HTML()
        self.warnings_html.add_class("glmlearn-warnings")
        self.table = widgets.HTML()
        self.table.add_class("glmlearn-table")
        self._fits: dict[float, GLMResult] = {}
        self.x = x
        self.result = self.fit_at(x)
        fig = self.figure
        with self.view.lock:
            self.panels: SeparationArtists = draw_separation(fig.subplots(1, 3), self.result)
            fig.set_layout_engine("constrained")
            fig.canvas.draw_idle()
        self._show_text()
        self.x_slider.observe(self._on_x, names="value")
        self.widget = SnapshotBox([self.x_slider, self.view.widget, self.status,
                                   widgets.HBox([self.table, self.warnings_html],
                                                layout=widgets.Layout(grid_gap="24px"))],
                                  self._snapshot)
        self.widget.add_class("glmlearn-separation-demo")

    def data(self, x: float) -> tuple[Array, Array]:
        """Design matrix and response with the moved failure at ``x``."""
        xs = np.append(SEPARATION_X, x)
        return np.column_stack([np.ones_like(xs), xs]), np.append(SEPARATION_Y, 0.0)

    def fit_at(self, x: float) -> GLMResult:
        """The logistic fit with the moved failure at ``x`` (cached); see its ``troubles``."""
        x = check_real("x", x, *X_RANGE, where="the slider's range, the data's range of x")
        if x not in self._fits:
            X, y = self.data(x)
            self._fits[x] = quiet_fit(X, y, "binomial", max_iter=self.max_iter,
                                      column_names=["(Intercept)", "x"])
        return self._fits[x]

    @guarded
    def _on_x(self, change: Mapping[str, Any]) -> None:
        x = float(change["new"])
        self._draw(x, self.fit_at(x))

    def _draw(self, x: float, result: GLMResult) -> None:
        with self.view.lock:  # not while the figure renders in ipympl's thread
            self.panels.update(result)
            self.figure.canvas.draw_idle()
        self.x, self.result = x, result
        self._show_text()

    def _show_text(self) -> None:
        self.warnings_html.value = troubles_html(self.result)
        self.table.value = fit_table_html(self.result, self.x)
        verdict = _VERDICTS[self.result.separation]
        self.status.value = (f"<div>Showing the fit with the moved failure at x = {self.x:g}: "
                             f"{html.escape(verdict)}.</div>")

    def _recover(self) -> None:
        """After an error: the slider and the panels back at the fit shown."""
        self.x_slider.unobserve(self._on_x, names="value")
        try:
            self.x_slider.value = self.x
        finally:
            self.x_slider.observe(self._on_x, names="value")
        self._draw(self.x, self.result)

    def _showing(self) -> str:
        return f"the fit with the moved failure at x = {self.x:g}"

    def _snapshot_html(self) -> str:
        return str(self.table.value) + str(self.warnings_html.value)


def separation_demo(x: float = 8.0, **kwargs: Any) -> SeparationDemo:
    """Build a :class:`SeparationDemo` (see there); display the returned object."""
    return SeparationDemo(x, **kwargs)
