r"""Hands on the model: set β by hand, move the data, and watch the model answer.

The explorer replays what IRLS computed; here the learner moves the model itself:

* **Set β.** A click on the deviance surface (or the two β boxes) sets the two
  coefficients :math:`(\beta_0, \beta_1)` by hand (any others are held, and the
  surface is the slice through them). The picture shows that β as state 0
  of a trace: its fitted curve, working weights, working response, deviance, and the
  step IRLS would take from there (the dashed segment on the surface). *Run IRLS from
  this β* runs IRLS from it; the slider (or Play) then steps through the new trace as
  in the explorer.
* **Move the data.** Dragging a data point up or down in the fit panel (or typing its
  response in the y box) changes that observation's :math:`y`; the model is refitted
  at once, and the picture shows the refit, the point's working weight and its
  leverage.
* **Read a point.** A click on a data point (or its number in the point box) shows its
  :math:`y`, :math:`\mu`, :math:`w`, :math:`z`, its deviance contribution
  :math:`w_i^{\text{prior}} d(y_i, \mu_i)` at the state shown, and its leverage.

The leverage is the hat value of the fit's last weighted least-squares step,
:math:`h_i = [W^{1/2} X (X^\top W X)^{-1} X^\top W^{1/2}]_{ii}` with the working weights
of that step (R's ``hatvalues`` of a ``glm``): how much :math:`\hat\eta_i` moves with the
working response :math:`z_i`.

The panels are those of :mod:`glmlearn.plot` (path, fit, weights, working), laid out
once by :func:`glmlearn.plot.explorer_figure`, drawn again into their axes for each new
trace (:mod:`._hands_on_panels`) and moved with ``update`` along it. An action renders
only what it changed (:mod:`._hands_on_frames`): the panels' frames and the surface's
contours are kept, and the picture is the one a full draw makes.

The mouse needs ipympl's live canvas (``%matplotlib widget``: matplotlib's
``button_press_event``, ``motion_notify_event`` and ``button_release_event``); with the
PNG picture every action works through the boxes and buttons, and the status line says
so. A refit that the data do not allow (a response outside the family's range) or an
IRLS run that separates or does not converge is said in the status line beside the
picture; the widget keeps the last picture it could draw and stays usable.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.backend_bases import MouseEvent
from matplotlib.lines import Line2D

from .. import plot
from .._arrays import Array
from .._irls import IRLSState, run_irls
from ..errors import GLMInputError, GLMTypeError
from ..plot.path import path_surface
from ..problem import GLMProblem, make_problem
from ..results import GLMResult
from ..surface import Surface, deviance_surface
from ._checks import check_int
from ._data import pass_fail
from ._hands_on_frames import ActionFrames, frame_key, layer
from ._hands_on_panels import PANELS, draw_into, draw_slice, fit_x, marks_x, point_marks
from ._ipympl_fixes import SnapshotBox, kernel_link
from ._text import troubles_of
from ._view import Backend, FigureWidget, guarded, note_html, quiet_fit

__all__ = ["PICK_RADIUS_PX", "HandsOn", "hands_on", "leverage"]

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
#: A press this close to a data point (in pixels) picks it.
PICK_RADIUS_PX = 10.0
_IPYMPL_NOTE = ("Clicking the surface and dragging points need the live figure of "
                "%matplotlib widget (ipympl). Here, type β in the boxes, pick a point by its "
                "number and type its y; every other action works the same.")


def leverage(result: GLMResult) -> Array:
    r"""Hat values of the last weighted least-squares step of a fit.

    :math:`h_i = [W^{1/2} X (X^\top W X)^{-1} X^\top W^{1/2}]_{ii}`, with the working
    weights :math:`W` of the step that gave :math:`\hat\beta` (those of the state before
    the last; R's ``hatvalues`` of a ``glm``), as ``result.influence().hat``. Aliased
    columns are left out, as in the fit.

    Parameters
    ----------
    result : GLMResult

    Returns
    -------
    (n,) ndarray
        Between 0 and 1, summing to the rank of X; 0 where the weight is 0.
    """
    from ..inference._influence import hat_values

    return hat_values(result)


def _state_at(problem: GLMProblem, beta: Array) -> IRLSState:
    """The IRLS state at a β of one's own: state 0 of IRLS started there."""
    return next(iter(run_irls(problem, start=np.asarray(beta, dtype=float), max_iter=1)))


def _snap(problem: GLMProblem, i: int, value: float) -> float:
    """A response the family allows, nearest to where the point was dropped: 0 or 1 for a
    binary outcome, k/m for k successes out of m trials, a whole count for Poisson."""
    fam, m = problem.family.name, float(problem.prior_weights[i])
    if fam == "binomial":
        m = m if m > 0 else 1.0
        return float(np.clip(np.round(value * m) / m, 0.0, 1.0))
    if fam == "poisson":
        return float(max(0.0, np.round(value)))
    if fam in ("gamma", "inverse_gaussian"):
        return float(max(value, 1e-3))
    return float(value)


def _round_to(value: float, limits: tuple[float, float]) -> float:
    """A clicked coordinate to the digits a click can mean: about a thousandth of the
    axis' span (a pixel is a few of them), so the β boxes show 11.97, not 11.9661356."""
    span = abs(limits[1] - limits[0])
    decimals = max(0, 3 - int(np.floor(np.log10(span)))) if span > 0 else 6
    return float(np.round(value, decimals))


def _fmt(v: float) -> str:
    return f"{v:.4g}" if np.isfinite(v) else "NA"


class HandsOn(FigureWidget):
    r"""Set β by hand, move the data, and read any point (see the module docstring).

    Parameters
    ----------
    result : GLMResult, optional
        A fit with two or more coefficients; its data, family, prior weights and offset
        are the widget's. The surface shows the first two, :math:`(\beta_0, \beta_1)`;
        with more, it is a slice with the others held at the β set (at the refit's
        :math:`\hat\beta` after a change of the data). Default: the simulated exam data
        of lesson 1 (pass/fail against hours), logistic regression.
    start : (p,) array_like, optional
        The β shown first. Default: for two coefficients all zeros (where lesson 4's
        hand-written loop starts); with more, the fit's :math:`\hat\beta`, so that the
        slice passes through the MLE.
    backend : {"auto", "ipympl", "png"}
        As for :class:`~glmlearn.widgets.IRLSExplorer`.
    figsize : (float, float)
        Inches.
    dpi : float
    interval : int
        Milliseconds per iteration of Play.

    Attributes
    ----------
    result : GLMResult
        The fit to the data as they are now (refitted after every change of a response).
    trace : tuple of IRLSState
        The states stepped by the slider: the β you set alone (one state), or the trace
        IRLS ran from it, or the refit after a change of the data.
    panels : dict
        ``{"path", "fit", "weights", "working"}``: the :mod:`glmlearn.plot` panels.
    beta0_box, beta1_box : ipywidgets.FloatText
        The β to set (CSS classes ``glmlearn-beta0``, ``glmlearn-beta1``).
    run_button, reset_button : ipywidgets.Button
        Run IRLS from the β set; put the data back as they were.
    slider, play : ipywidgets.IntSlider, ipywidgets.Play
        The state of :attr:`trace` shown.
    point_box, y_box : ipywidgets.IntText, ipywidgets.FloatText
        The point to read (numbered from 0) and its response (typing a new y refits).
    readout, point_readout, status : ipywidgets.HTML
        What the picture shows (β, deviance, state), the point's numbers, and notes or
        errors next to the picture.
    selected : int or None
        The point read (highlighted in the fit, weights and working panels).
    refits : int
        How many times the data changed and the model was refitted.
    errors : list of Exception
        Exceptions raised by callbacks (a bug, not a choice of the learner's).

    Examples
    --------
    >>> %matplotlib widget                          # doctest: +SKIP
    >>> from glmlearn.widgets import hands_on      # doctest: +SKIP
    >>> hands_on(result)                            # doctest: +SKIP
    """

    def __init__(self, result: GLMResult | None = None, *, start: Any = None,
                 backend: Backend = "auto", figsize: tuple[float, float] = (10.5, 7.6),
                 dpi: float = 80, interval: int = 600) -> None:
        if result is None:
            hours, passed = pass_fail()
            result = quiet_fit(np.column_stack([np.ones(hours.size), hours]), passed,
                               "binomial", column_names=["(Intercept)", "hours"],
                               response_name="passed")
        if not isinstance(result, GLMResult):
            raise GLMTypeError(f"result: expected a GLMResult (from glmlearn.fit), got "
                               f"{type(result).__name__}")
        if result.problem.p < 2:
            raise GLMInputError(
                f"result: the deviance surface shows two coefficients, this fit has "
                f"{result.problem.p} ({', '.join(result.problem.column_names)}); fit a "
                "model with an intercept and at least one predictor")
        self._p = result.problem.p
        interval = check_int("interval", interval, 1, where="milliseconds per iteration")
        super().__init__(figsize, dpi, backend)
        self._original = result
        self.result = result
        self._y0 = np.array(result.problem.y, dtype=float)
        self.refits = 0
        self.selected: int | None = None
        self._drag: int | None = None
        self._drag_y: float | None = None
        self._note = ""
        self._hold = False
        #: Redraw an action's panels over their kept frames (else from ``ax.cla()`` and a
        #: full draw of the figure, as the benchmark compares).
        self._incremental = True
        self.panels: dict[str, Any] = {}
        self._marks: list[Line2D] = []
        #: How many surfaces were computed: the path panel's contours are kept as long as
        #: the count is the same.
        self._surfaces = 0
        if start is None:
            # Two coefficients: β = 0, where lesson 4's hand-written loop starts. More: the
            # fit's own β̂, so that the slice passes through the MLE (the others held at 0
            # would slice the surface far from anything the data support).
            start = (np.zeros(2) if self._p == 2
                     else np.nan_to_num(np.asarray(result.beta, dtype=float)))
        b = self._check_beta(start, "start")
        #: The β set by hand (a click, the boxes, or ``start``): where IRLS runs from.
        self.beta_set: Array = b
        # The window on the surface stays put, so a click means the same β all along: the
        # fit's path from β = 0 (two coefficients) or from R's start, the start, and room
        # around them (for a slice, the 99.9% region of the plane at least).
        path = quiet_fit(result.problem.X, result.problem.y, result.family,
                         weights=result.problem.prior_weights, offset=result.problem.offset,
                         start=np.zeros(2)).trace if self._p == 2 else result.trace
        box = path_surface((*path, _state_at(result.problem, b)), margin=0.6, n_grid=60,
                           at=b)
        self._grid = (np.asarray(box.beta0), np.asarray(box.beta1))
        self.surface: Surface = self._surface()

        style = {"description_width": "initial"}
        lay = widgets.Layout(width="170px")
        self.beta0_box = widgets.FloatText(value=b[0], step=0.1, description="β₀",
                                           style=style, layout=lay)
        self.beta1_box = widgets.FloatText(value=b[1], step=0.05, description="β₁",
                                           style=style, layout=lay)
        self.run_button = widgets.Button(description="run IRLS from this β", icon="play",
                                         tooltip="IRLS from the β you set: that β is state 0")
        self.reset_button = widgets.Button(description="reset data", icon="undo",
                                           tooltip="put every response back as it was")
        self.play = widgets.Play(value=0, min=0, max=0, step=1, interval=interval,
                                 description="play", show_repeat=False)
        self.slider = widgets.IntSlider(value=0, min=0, max=0, description="state k",
                                        style=style, layout=widgets.Layout(width="360px"))
        self._jslink = widgets.jslink((self.play, "value"), (self.slider, "value"))
        kernel_link(self.play, self.slider)
        self.point_box = widgets.IntText(value=0, description="point", style=style,
                                         layout=widgets.Layout(width="140px"))
        self.y_box = widgets.FloatText(value=float(self._y0[0]), description="its y",
                                       style=style, layout=widgets.Layout(width="150px"))
        self.readout = widgets.HTML()
        self.point_readout = widgets.HTML()
        for w, cls in [(self.beta0_box, "glmlearn-beta0"), (self.beta1_box, "glmlearn-beta1"),
                       (self.run_button, "glmlearn-run"), (self.reset_button, "glmlearn-reset"),
                       (self.play, "glmlearn-play"), (self.slider, "glmlearn-slider"),
                       (self.point_box, "glmlearn-point-index"), (self.y_box, "glmlearn-y"),
                       (self.readout, "glmlearn-readout"),
                       (self.point_readout, "glmlearn-point")]:
            w.add_class(cls)

        self.trace: tuple[IRLSState, ...] = (_state_at(result.problem, b),)
        self._draw(self.trace, 0, "set")

        self.beta0_box.observe(self._on_beta_box, names="value")
        self.beta1_box.observe(self._on_beta_box, names="value")
        self.run_button.on_click(self._on_run)
        self.reset_button.on_click(self._on_reset)
        self.slider.observe(self._on_slider, names="value")
        self.point_box.observe(self._on_point_box, names="value")
        self.y_box.observe(self._on_y_box, names="value")
        canvas = self.figure.canvas
        if self.view.mode == "ipympl":
            # ipympl's toolbar floats over the right edge of the figure, where the fit
            # panel's points are; its pan and zoom would also take the clicks meant for β.
            setattr(canvas, "toolbar_visible", False)  # noqa: B010  (ipympl's trait)
        self._cids = [canvas.mpl_connect("button_press_event", self.on_press),
                      canvas.mpl_connect("motion_notify_event", self.on_motion),
                      canvas.mpl_connect("button_release_event", self.on_release)]

        beta_row = widgets.HBox([self.beta0_box, self.beta1_box, self.run_button])
        step_row = widgets.HBox([self.play, self.slider])
        point_row = widgets.HBox([self.point_box, self.y_box, self.reset_button])
        info = widgets.VBox([self.readout, self.point_readout, self.status],
                            layout=widgets.Layout(width="330px"))
        picture = widgets.HBox([self.view.widget, info],
                               layout=widgets.Layout(align_items="flex-start"))
        self.widget = SnapshotBox([beta_row, step_row, point_row, picture], self._snapshot,
                                  alt=self._snapshot_alt)
        self.widget.add_class("glmlearn-hands-on")

    # --- what is shown ---------------------------------------------------------------------
    @property
    def problem(self) -> GLMProblem:
        """The data as they are now (the problem of :attr:`result`)."""
        return self.result.problem

    @property
    def y(self) -> Array:
        """The responses as they are now (read-only)."""
        return self.problem.y

    @property
    def iteration(self) -> int:
        """The state of :attr:`trace` shown; set it to move every panel."""
        return int(self.slider.value)

    @iteration.setter
    def iteration(self, k: int) -> None:
        last = len(self.trace) - 1
        self.slider.value = check_int("iteration", k, 0, last,
                                      where=f"the trace has states 0 to {last}")

    @property
    def state(self) -> IRLSState:
        """The state shown."""
        return self.trace[self.iteration]

    @property
    def beta(self) -> Array | None:
        """The β of the state shown (None at state 0 of a refit, R's starting means)."""
        b = self.state.beta
        return None if b is None else np.asarray(b)

    @property
    def leverage(self) -> Array:
        """Hat values of :attr:`result`'s last WLS step (:func:`leverage`)."""
        return leverage(self.result)

    # --- actions (the buttons, boxes and mouse all end here) ------------------------------
    def set_beta(self, beta: Any) -> None:
        """Show the β you set: state 0 of a new trace, its curve, weights and step."""
        b = self._check_beta(beta, "beta")
        try:
            state = _state_at(self.problem, b)
        except (ValueError, ArithmeticError) as exc:
            self._note = f"β = ({b[0]:.4g}, {b[1]:.4g}) cannot be shown: {exc}"
            self._show_text()
            return
        self._note = ""
        self.beta_set = b
        self._set_boxes(b)
        self._draw((state,), 0, "set")

    def run_irls(self) -> None:
        """Run IRLS from the β set; its trace is stepped by the slider (shown at state 0)."""
        b = self.beta_set
        run = quiet_fit(self.problem.X, self.problem.y, self.problem.family,
                        weights=self.problem.prior_weights, offset=self.problem.offset,
                        start=b, column_names=self.problem.column_names,
                        response_name=self.problem.response_name)
        self._note = "".join(f"IRLS from this β: {kind}: {msg}. "
                             for kind, msg in troubles_of(run))
        self._draw(run.trace, 0, "run")

    def select(self, i: int | None) -> None:
        """Read point ``i`` (numbered from 0), or none."""
        if i is not None:
            i = check_int("point", i, 0, self.problem.n - 1,
                          where=f"the data have points 0 to {self.problem.n - 1}")
        self.selected = i
        if i is not None:
            with self._holding():
                self.point_box.value = i
                self.y_box.value = float(self.problem.y[i])
        self._show(self.iteration)

    def set_response(self, i: int, value: float) -> bool:
        """Change :math:`y_i` and refit; show the refit (its last state). False, with the
        reason in the status line, when the family does not allow that response."""
        i = check_int("point", i, 0, self.problem.n - 1,
                      where=f"the data have points 0 to {self.problem.n - 1}")
        y = np.array(self.problem.y, dtype=float)
        y[i] = float(value)
        if not self._refit(y, f"y[{i}] = {value:g}"):
            return False
        self.selected = i
        with self._holding():
            self.point_box.value = i
            self.y_box.value = float(self.problem.y[i])
        self._show(self.iteration)
        return True

    def reset_data(self) -> None:
        """Put every response back as it was, and refit."""
        self._refit(self._y0.copy(), "the original data")

    def _refit(self, y: Array, what: str) -> bool:
        p = self.problem
        try:
            make_problem(p.X, y, p.family, weights=p.prior_weights, offset=p.offset)
        except (ValueError, TypeError) as exc:
            self._note = f"{what} is not allowed: {exc}. The picture keeps the last data."
            with self._holding():
                if self.selected is not None:
                    self.y_box.value = float(p.y[self.selected])
            self._show_text()
            return False
        result = quiet_fit(p.X, y, p.family, weights=p.prior_weights, offset=p.offset,
                           column_names=p.column_names, response_name=p.response_name)
        self.result = result
        self.refits += 1
        self.surface = self._surface()
        self._note = "".join(f"the refit: {kind}: {msg}. " for kind, msg in troubles_of(result))
        self._draw(result.trace, len(result.trace) - 1, "refit")
        return True

    # --- mouse (ipympl) -------------------------------------------------------------------
    def _toolbar_busy(self) -> bool:
        toolbar = getattr(self.figure.canvas, "toolbar", None)
        return bool(getattr(toolbar, "mode", ""))  # pan or zoom has the mouse

    @guarded
    def on_press(self, event: MouseEvent) -> None:
        """A press on the surface sets β; on a data point, reads it and starts a drag."""
        if (event.button != 1 or self._toolbar_busy() or event.xdata is None
                or event.ydata is None):
            return
        if event.inaxes is self.panels["path"].ax:
            ax = event.inaxes
            self.set_beta((_round_to(event.xdata, ax.get_xlim()),
                           _round_to(event.ydata, ax.get_ylim())))
        elif event.inaxes is self.panels["fit"].ax:
            i = self._nearest_point(event)
            if i is not None:
                self._drag, self._drag_y = i, None
                self.select(i)

    @guarded
    def on_motion(self, event: MouseEvent) -> None:
        """While a point is dragged: it follows the mouse (to responses the family allows)."""
        if self._drag is None or event.inaxes is not self.panels["fit"].ax or event.ydata is None:
            return
        i = self._drag
        self._drag_y = _snap(self.problem, i, float(event.ydata))
        fit = self.panels["fit"]
        ys = np.array(fit.data.get_ydata(), dtype=float)
        ys[i] = self._drag_y
        with self.view.lock:
            fit.data.set_ydata(ys)
            self._marks[0].set_data([self._x_of(i)], [self._drag_y])
            self.figure.canvas.draw_idle()
        self.point_readout.value = (f"<div>dragging point {i}: y → {self._drag_y:g} "
                                    "(release to refit)</div>")

    @guarded
    def on_release(self, event: MouseEvent) -> None:
        """Dropping a dragged point refits with its new response."""
        i, y_new = self._drag, self._drag_y
        self._drag = self._drag_y = None
        if i is None:
            return
        # Where the button is let go counts (the browser may send fewer moves than made);
        # outside the fit panel, the last position inside it.
        if event.inaxes is self.panels["fit"].ax and event.ydata is not None:
            y_new = _snap(self.problem, i, float(event.ydata))
        if y_new is None or y_new == float(self.problem.y[i]):
            self._show_text()
            return
        self.set_response(i, y_new)

    def _x_of(self, i: int) -> float:
        """Where point ``i`` is in the fit panel along x: its predictor, or (a view of
        several predictors, say observed against fitted) its μ at the state shown."""
        return fit_x(self.panels, i)

    def _nearest_point(self, event: MouseEvent) -> int | None:
        fit = self.panels["fit"]
        pts = fit.ax.transData.transform(np.column_stack([fit.data.get_xdata(),
                                                          fit.data.get_ydata()]))
        d = np.hypot(pts[:, 0] - event.x, pts[:, 1] - event.y)
        i = int(np.argmin(d))
        return i if d[i] <= PICK_RADIUS_PX else None

    def pixel_of(self, panel: str, x: float, y: float) -> tuple[float, float]:
        """Where the data point ``(x, y)`` of a panel is on the canvas, in pixels from its
        top-left corner (where a browser's mouse would click it)."""
        ax = self.panels[panel].ax
        px, py = ax.transData.transform((x, y))
        return float(px), float(self.figure.bbox.height - py)

    # --- widget callbacks -----------------------------------------------------------------
    @guarded
    def _on_beta_box(self, change: Mapping[str, Any]) -> None:
        if not self._hold:
            self.set_beta((self.beta0_box.value, self.beta1_box.value))

    @guarded
    def _on_run(self, _button: Any) -> None:
        self.run_irls()

    @guarded
    def _on_reset(self, _button: Any) -> None:
        self.reset_data()

    @guarded
    def _on_slider(self, change: Mapping[str, Any]) -> None:
        if not self._hold:
            self._show(int(change["new"]))

    @guarded
    def _on_point_box(self, change: Mapping[str, Any]) -> None:
        if self._hold:
            return
        i = int(change["new"])
        if 0 <= i < self.problem.n:
            self.select(i)
        else:
            self._note = f"point: the data have points 0 to {self.problem.n - 1}, not {i}."
            self._show_text()

    @guarded
    def _on_y_box(self, change: Mapping[str, Any]) -> None:
        if self._hold or self.selected is None:
            return
        if float(change["new"]) != float(self.problem.y[self.selected]):
            self.set_response(self.selected, float(change["new"]))

    # --- drawing --------------------------------------------------------------------------
    def _holding(self) -> Any:
        widget = self

        class _Hold:
            def __enter__(self) -> None:
                widget._hold = True

            def __exit__(self, *exc: Any) -> None:
                widget._hold = False

        return _Hold()

    def _draw(self, trace: tuple[IRLSState, ...], k: int, kind: str) -> None:
        """Draw the panels for a new trace (trace-wide limits) and show its state ``k``.

        ``kind``: ``"set"`` (the β set by hand, alone), ``"run"`` (IRLS from it) or
        ``"refit"`` (the fit to changed data)."""
        self._kind = kind
        if self._p > 2:  # the slice through the surface follows the coefficients held
            self.surface = self._surface()
        fig = self.figure
        trace = tuple(trace)
        with self.view.lock:
            if not self.panels:  # the layout is computed once, for the first trace
                # With more than two coefficients the layout is made with the path panel's
                # own slice (the same labels and ticks), then the slice held at the β set
                # is drawn into that axes.
                _, panels = plot.explorer_figure(trace, k, panels=PANELS, ncols=2, fig=fig,
                                                 panel_kw={"path": self._path_kw()})
                if self._p > 2:
                    ax = panels.pop("path").ax
                    ax.cla()
                    panels = {"path": draw_slice(ax, trace[k], trace=trace,
                                                 surface=self.surface), **panels}
            else:
                # Later traces are drawn into the same axes: the frozen layout keeps
                # their places, which saves laying the figure out again on every click;
                # their frames (ticks, labels) stay, only what the panels drew goes.
                panels = draw_into(self.panels, trace, k, path_kw=self._path_kw(),
                                   sliced=self._p > 2, keep_frames=self._incremental)
            self._marks = point_marks(panels)
            self.panels = panels
            self._attach_frames()
        self.trace = tuple(trace)
        last = len(self.trace) - 1
        with self._holding():
            self.slider.value = min(self.slider.value, last)
            self.slider.max = self.play.max = last
            self.slider.value = k
        self._show(k)

    def _path_kw(self) -> dict[str, Any]:
        """The path panel's surface, and its confidence regions around the fit to the
        data (not around a β set by hand, which is no minimum), whatever trace is shown."""
        kw: dict[str, Any] = {"surface": self.surface}
        if self._p == 2:
            kw["d_hat"] = float(self.result.deviance)
        return kw

    def _attach_frames(self) -> None:
        """Render the panels' new artists as frames over their kept static pictures
        (:mod:`._hands_on_frames`); with ``_incremental`` off, full draws instead."""
        if not self._incremental:
            if self.view.frames is not None:
                self.view.frames.release()
            self.view.frames = None
            return
        path = self.panels["path"]
        # The contours stay while the surface does (see _surface).
        layers = {name: layer(p, (path.contours,) if name == "path" else ())
                  for name, p in self.panels.items()}
        # The contours' levels follow the trace too (the inner ones are D̂ + χ² quantiles).
        contours = (self._surfaces, tuple(float(v) for v in path.levels))
        keys = {p.ax: frame_key(p.ax, contours if name == "path" else None)
                for name, p in self.panels.items()}
        frames = self.view.frames
        if isinstance(frames, ActionFrames) and frames.figure is self.figure:
            frames.retarget(layers, keys)
        else:
            self.view.frames = ActionFrames(self.figure, layers, keys)

    def _show(self, k: int) -> None:
        """Every panel to state ``k``, the point marks and the text, one redraw."""
        state = self.trace[k]
        with self.view.lock:
            plot.update_all(self.panels, state)
            self._place_marks(state)
            self.figure.canvas.draw_idle()
        self._show_text()

    def _place_marks(self, state: IRLSState) -> None:
        i = self.selected
        if i is None:
            for m in self._marks:
                m.set_data([], [])
            return
        for m, x, v in zip(self._marks, marks_x(self.panels, i, state),
                           (state.problem.y, state.w, state.z), strict=True):
            m.set_data([x], [float(v[i])])

    def _set_boxes(self, b: Array) -> None:
        with self._holding():
            self.beta0_box.value, self.beta1_box.value = float(b[0]), float(b[1])

    def _check_beta(self, beta: Any, arg: str) -> Array:
        """β as p numbers; two numbers set (β₀, β₁) and keep the others of the β set."""
        p = self._p
        want = "two numbers (β₀, β₁)" if p == 2 else f"{p} numbers, or two (β₀, β₁)"
        try:
            b = np.asarray(beta, dtype=float).reshape(-1)
        except (TypeError, ValueError) as exc:
            raise GLMTypeError(f"{arg}: expected {want}, got {beta!r}") from exc
        if b.size == 2 and p > 2 and hasattr(self, "beta_set"):
            b = np.concatenate([b, self.beta_set[2:]])
        if b.size != p or not np.all(np.isfinite(b)):
            raise GLMInputError(f"{arg}: expected {want}, all finite, got {beta!r}")
        return b

    def _surface(self) -> Surface:
        """The deviance over the window of (β₀, β₁); with more coefficients, a slice at
        those of the β set (of the refit, after a change of the data)."""
        self._surfaces += 1
        if self._p == 2:
            return deviance_surface(self.problem, *self._grid)
        held = self.beta_set if getattr(self, "_kind", "set") != "refit" else np.nan_to_num(
            np.asarray(self.result.beta))
        return deviance_surface(self.problem, *self._grid, at=held)

    def state_text(self) -> str:
        """What the picture shows, in one line."""
        s, k, last = self.state, self.iteration, len(self.trace) - 1
        b = self.beta
        where = {"set": "the β you set (not a fit)",
                 "run": f"state {k} of {last} of IRLS from the β you set",
                 "refit": f"state {k} of {last} of the refit to the data as they are now",
                 }[self._kind]
        if b is None:
            return (f"R's starting means μ⁽⁰⁾ (no β yet; a guess, not a model); deviance "
                    f"D = {s.deviance:.4f}; state 0 of {last} of the refit")
        coefs = ", ".join(f"β{str(j).translate(_SUB)} = {v:.4f}" for j, v in enumerate(b))
        return f"{coefs}; deviance D = {s.deviance:.4f}; {where}"

    def point_text(self) -> str:
        """The selected point's numbers at the state shown ("" when none is selected)."""
        i = self.selected
        if i is None:
            return ""
        s, p = self.state, self.problem
        d_i = float(p.prior_weights[i] * p.family.unit_deviance(p.y[i:i + 1], s.mu[i:i + 1])[0])
        x = self.panels["fit"].x
        where = (f" ({p.column_names[x]} = {_fmt(float(p.X[i, x]))})"
                 if isinstance(x, int | np.integer) else "")
        return (f"point {i}{where}: "
                f"y = {_fmt(float(p.y[i]))}, μ = {_fmt(float(s.mu[i]))}, "
                f"w = {_fmt(float(s.w[i]))}, z = {_fmt(float(s.z[i]))}, deviance "
                f"contribution = {_fmt(d_i)}; leverage h = {_fmt(float(self.leverage[i]))} "
                f"(of the fit to these data)")

    def _show_text(self) -> None:
        self.readout.value = f"<div aria-live='polite'>{html.escape(self.state_text())}</div>"
        self.point_readout.value = (f"<div>{html.escape(self.point_text())}</div>"
                                    if self.selected is not None else
                                    "<div>Click a data point (or type its number) to read "
                                    "it.</div>")
        lines = [note_html(self._note)] if self._note else []
        if self.refits:
            lines.append(f"<div>Data changed {self.refits} time(s); the fit now: "
                         f"β̂ = ({self.result.beta[0]:.4f}, {self.result.beta[1]:.4f}), "
                         f"D = {self.result.deviance:.4f}.</div>")
        if self.view.mode == "png":
            lines.append(f"<div class='glmlearn-note'>{html.escape(_IPYMPL_NOTE)}</div>")
        self.status.value = "".join(lines)

    def _recover(self) -> None:
        self._drag = self._drag_y = None
        self._draw(self.trace, min(self.iteration, len(self.trace) - 1), self._kind)

    def _showing(self) -> str:
        return self.state_text()

    def _snapshot_html(self) -> str:
        return str(self.readout.value) + str(self.point_readout.value)

    def _snapshot_alt(self) -> str:
        return ("Hands on the model: the deviance surface over (β₀, β₁), the fitted curve, "
                "the working weights and the working response at " + self.state_text())


def hands_on(result: GLMResult | None = None, **kwargs: Any) -> HandsOn:
    """Build a :class:`HandsOn` (see there); display the returned object."""
    return HandsOn(result, **kwargs)
