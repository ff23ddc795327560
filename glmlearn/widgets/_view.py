"""The plumbing every glmlearn widget shares: a figure that is either live or a picture.

A widget's figure is shown one of two ways, chosen once when the widget is built:

``"ipympl"``
    Under ``%matplotlib widget`` the figure's canvas *is* an ipywidget (ipympl's
    ``Canvas``): ``fig.canvas.draw_idle()`` asks the browser to fetch a new image.
``"png"``
    Anywhere else (``%matplotlib inline``, a plain Python session, a test) the figure is
    drawn by Agg and its PNG is put into an ``Output`` widget after each update. Setting
    ``Output.outputs`` directly needs no IPython shell, so this path is testable in plain
    Python (``with out: display(...)`` would need one).

Either way the caller changes artists in place, then calls ``fig.canvas.draw_idle()``
once, as ipympl's own examples do: under ipympl it asks the browser for a new image; in
the fallback the canvas is an :class:`OutputCanvas`, whose ``draw_idle()`` renders at
once and puts the PNG into the ``Output``. What ipympl needs beyond that (a lock against
its rendering thread, full frames, a settle timer) is in :mod:`._ipympl_fixes`.

A view showing panels of :func:`glmlearn.plot.explorer_figure` renders them with a
:class:`glmlearn.plot.FrameRenderer` (:meth:`FigureView.attach`): the static parts of the
figure are rendered once, and each frame draws only what moves, pixel for pixel the same
picture as a full draw. ipympl's canvas renders with Agg too, so its frames are made the
same way when the browser asks for them (matplotlib's web canvas says
``supports_blit = False``, and its ``blit`` only re-sends the whole image; the rendering
is what costs, and it is done here, before ipympl encodes and sends a full frame).

:class:`FigureWidget` is what every widget builds on: a view, a status line, the list of
callback errors, and a :class:`~._ipympl_fixes.SnapshotBox` to display. :func:`quiet_fit`
is :func:`glmlearn.fit` without its warnings: a widget shows ``result.troubles`` in its
status line instead.

A callback never leaves a widget frozen (:func:`guarded`): whatever it raises is shown in
the status line beside the picture, the widget puts its picture and controls back at the
last state it drew (its ``_recover``), and the next move works as usual.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import threading
import traceback
import warnings
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar

import ipywidgets as widgets
import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage

from .._fit import fit
from ..errors import GLMWarning
from ..plot import FrameRenderer
from ..results import GLMResult
from ._checks import check_choice, check_figure
from ._ipympl_fixes import SnapshotBox, ipympl_canvas

__all__ = ["Backend", "FigureView", "FigureWidget", "OutputCanvas", "SnapshotBox",
           "ipympl_active", "png_output", "quiet_fit", "resolve_backend"]

Backend = Literal["auto", "ipympl", "png"]

#: The names matplotlib knows ipympl's backend by (``%matplotlib widget`` / ``ipympl``).
IPYMPL_BACKENDS = frozenset({"widget", "ipympl", "module://ipympl.backend_nbagg"})

F = TypeVar("F", bound=Callable[..., Any])


def ipympl_active() -> bool:
    """True when matplotlib's backend is ipympl's (``%matplotlib widget``).

    Reads the configured backend without resolving it: asking matplotlib to resolve
    ``auto`` would import pyplot, which a widget never needs.
    """
    name = mpl.get_backend(auto_select=False)
    return name is not None and name.lower() in IPYMPL_BACKENDS


def resolve_backend(backend: Backend) -> Literal["ipympl", "png"]:
    """``"auto"`` becomes ``"ipympl"`` under ``%matplotlib widget``, else ``"png"``."""
    check_choice("backend", backend, ("auto", "ipympl", "png"), what="backend")
    if backend == "auto":
        return "ipympl" if ipympl_active() else "png"
    return backend


def png_bytes(fig: Figure, dpi: float | None = None) -> bytes:
    """The figure as PNG bytes, at its own dpi unless ``dpi`` is given (via ``savefig``)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi if dpi is None else dpi)
    return buf.getvalue()


def png_output(png: bytes) -> dict[str, Any]:
    """An ``Output``-widget item (nbformat ``display_data``) showing a PNG."""
    return {
        "output_type": "display_data",
        "data": {"image/png": base64.b64encode(png).decode("ascii"),
                 "text/plain": "<glmlearn figure>"},
        "metadata": {},
    }


class OutputCanvas(FigureCanvasAgg):
    """An Agg canvas whose ``draw_idle()`` renders now and shows the PNG in an ``Output``.

    The fallback's counterpart of ipympl's canvas: the widgets call ``draw_idle()`` on
    either. The canvas keeps its buffer, so the PNG is encoded from the very pixels just
    rendered (``savefig`` would build a new canvas and render a second time).

    Parameters
    ----------
    figure : Figure
    render : callable
        Renders the figure into this canvas' buffer (the view's frame renderer).
    output : ipywidgets.Output
        Where the PNG is shown.
    """

    def __init__(self, figure: Figure, render: Callable[[], None], output: widgets.Output
                 ) -> None:
        super().__init__(figure)
        self._render, self.output = render, output

    def draw_idle(self, *args: Any, **kwargs: Any) -> None:
        """Render the figure and show it in :attr:`output` (no idle: there is no loop)."""
        self._render()
        self.output.outputs = (png_output(self.encode()),)

    def encode(self) -> bytes:
        """The buffer as it is now, as PNG bytes (no render)."""
        w, h = self.get_width_height(physical=True)
        buf = io.BytesIO()
        # compress_level 1: the PNG goes to the browser at once; speed matters more than size
        PILImage.frombuffer("RGBA", (w, h), self.buffer_rgba(), "raw", "RGBA", 0, 1).save(
            buf, format="png", compress_level=1)
        return buf.getvalue()


class FigureView:
    """A matplotlib figure shown as a live ipympl canvas or as a PNG in an ``Output``.

    Parameters
    ----------
    figsize : (float, float)
        Inches.
    dpi : float
        Dots per inch: the figure is ``figsize * dpi`` pixels.
    backend : {"auto", "ipympl", "png"}
        See the module docstring.
    css_class : str
        CSS class of the widget that shows the figure (a stable hook for browser tests).

    Attributes
    ----------
    figure : Figure
        Not registered with pyplot: ``plt.close("all")`` does not touch it, and it is
        never displayed a second time by pyplot's end-of-cell hook.
    widget : ipywidgets.DOMWidget
        The ipympl canvas, or the ``Output`` holding the PNG.
    mode : {"ipympl", "png"}
    lock : threading.RLock
        Hold it while changing artists: ipympl renders in another thread (see
        :mod:`._ipympl_fixes`, item 1).
    frames : FrameRenderer or None
        Renders the panels' frames once :meth:`attach` is called (else full draws).
    """

    def __init__(self, figsize: tuple[float, float], dpi: float, backend: Backend = "auto",
                 css_class: str = "glmlearn-figure") -> None:
        self.mode = resolve_backend(backend)
        self.figure = Figure(figsize=figsize, dpi=dpi)
        self.lock = threading.RLock()
        self._dpi = float(dpi)
        self.frames: FrameRenderer | None = None
        self.widget: widgets.DOMWidget
        if self.mode == "ipympl":
            self.widget = ipympl_canvas(self.figure, self.render, self.lock)
        else:
            self.widget = widgets.Output()
            OutputCanvas(self.figure, self.render, self.widget)
        self.widget.add_class(css_class)

    def attach(self, panels: Mapping[str, Any]) -> FrameRenderer:
        """Render frames of these panels (drawn on :attr:`figure`) with a FrameRenderer.

        Call it again after clearing the figure and drawing new panels into it.
        """
        with self.lock:
            self.frames = FrameRenderer(self.figure, panels)
            return self.frames

    def render(self) -> None:
        """Render the figure as it is now into its Agg buffer (no PNG, nothing sent)."""
        with self.lock:
            if self.frames is not None and self.frames.figure is self.figure:
                self.frames.render()
            else:
                FigureCanvasAgg.draw(self.figure.canvas)  # type: ignore[arg-type]

    def redraw(self) -> None:
        """``figure.canvas.draw_idle()``: what the widgets call after changing artists."""
        self.figure.canvas.draw_idle()

    def png(self) -> bytes:
        """The figure as it is now, as PNG bytes (at the dpi it was made with)."""
        with self.lock:
            canvas = self.figure.canvas
            if isinstance(canvas, OutputCanvas):
                self.render()
                return canvas.encode()
            return png_bytes(self.figure, self._dpi)


def quiet_fit(*args: Any, **kwargs: Any) -> GLMResult:
    """:func:`glmlearn.fit` with its warnings silenced.

    A widget refits in callbacks, whose warnings JupyterLab shows only in its log
    console, far from the picture they explain; the widget shows the fit's
    ``result.troubles`` in its status line instead.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GLMWarning)
        return fit(*args, **kwargs)


class FigureWidget:
    """What every glmlearn widget has: a :class:`FigureView`, a status line, the errors.

    Subclasses build their controls, draw their panels into :attr:`figure` and set
    :attr:`widget`; their callbacks update the panels' artists and then call
    ``self.figure.canvas.draw_idle()`` once, holding ``self.view.lock``. A subclass puts
    its picture and controls back at the last state it drew in :meth:`_recover`, and says
    what that state is in :meth:`_showing` (both used when a callback fails).

    Attributes
    ----------
    view : FigureView
    status : ipywidgets.HTML
        CSS class ``glmlearn-status``: what the picture shows, the fit's troubles, and any
        error, next to the picture.
    errors : list of Exception
        Exceptions raised by callbacks (also shown in ``status``); empty when all is well.
        A degenerate setting the widget explains (say, every weight 0) is not an error.
    widget : SnapshotBox
        What is displayed (the object itself displays as this widget).
    """

    def __init__(self, figsize: tuple[float, float], dpi: float, backend: Backend) -> None:
        figsize, dpi = check_figure(figsize, dpi)
        mode = resolve_backend(backend)
        self.errors: list[Exception] = []
        self.status = widgets.HTML()
        self.status.add_class("glmlearn-status")
        self.view = FigureView(figsize, dpi, mode)
        self.widget: SnapshotBox

    @property
    def figure(self) -> Figure:
        """The matplotlib figure."""
        return self.view.figure

    def png(self) -> bytes:
        """The figure as it is now, as PNG bytes."""
        return self.view.png()

    def _recover(self) -> None:
        """Put the picture and the controls back at the last state drawn (after an error)."""

    def _showing(self) -> str:
        """What the picture shows, in a few words (for the status line after an error)."""
        return ""

    def _callback_failed(self, exc: Exception) -> None:
        """Keep ``exc``, put the widget back at its last good state, and say so on screen."""
        self.errors.append(exc)
        note = ""
        try:
            self._recover()
        except Exception as again:  # the error is on screen either way
            self.errors.append(again)
            note = f" (putting the picture back failed too: {html.escape(str(again))})"
        showing = self._showing()
        self.status.value = (
            error_html(exc) + "<div class='glmlearn-error-note'>This is a bug in glmlearn's "
            "widget, not in your choices"
            + (f"; the picture still shows {html.escape(showing)}" if showing else "")
            + f"{note}. Keep going: the next change is drawn as usual.</div>")

    def _snapshot_html(self) -> str:
        return ""

    def _snapshot(self) -> tuple[bytes, str]:
        return self.png(), self._snapshot_html()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        return self.widget._repr_mimebundle_(**kwargs)


def error_html(exc: BaseException) -> str:
    """An exception as a small HTML block (class ``glmlearn-error``)."""
    tb = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return f"<div class='glmlearn-error'><b>Error:</b> <code>{html.escape(tb)}</code></div>"


def note_html(text: str) -> str:
    """A warning-coloured line of the status area (class ``glmlearn-warning``), escaped."""
    return f"<div class='glmlearn-warning'>⚠ {html.escape(text)}</div>"


def guarded(method: F) -> F:
    """Run a widget callback; whatever it raises is shown beside the picture, not lost.

    ipywidgets prints callback exceptions to the kernel's stderr, which JupyterLab shows
    only in its log console: the learner would see a widget that silently stopped. Here
    the error is kept in ``self.errors`` (tests assert it stays empty), the widget puts
    its picture and controls back at the last state it drew (``_recover``), and the error
    is shown in its status line. It is not re-raised: the widget stays usable, and the
    next change is drawn as usual.
    """

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:
            self._callback_failed(exc)
            return None

    return wrapper  # type: ignore[return-value]
