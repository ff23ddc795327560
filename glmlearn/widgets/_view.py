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

Either way the caller updates artists in place, then calls :meth:`FigureView.redraw`
once: one ``draw_idle()`` (ipympl), or one render and its PNG (the fallback).

A view showing panels of :func:`glmlearn.plot.explorer_figure` renders them with a
:class:`glmlearn.plot.FrameRenderer` (:meth:`FigureView.attach`): the static parts of the
figure are rendered once, and each frame draws only what moves, pixel for pixel the same
picture as a full draw. ipympl's canvas renders with Agg too, so its frames are made the
same way when the browser asks for them (matplotlib's web canvas says
``supports_blit = False``, and its ``blit`` only re-sends the whole image; the rendering
is what costs, and it is done here, before ipympl encodes and sends a full frame).

:class:`SnapshotBox` is the container every widget returns. Its display bundle carries an
``image/png`` (and ``text/html``) picture of the figure next to the widget view, so a
saved notebook still shows the figure where no kernel runs (nbviewer, GitHub).
"""

from __future__ import annotations

import asyncio
import base64
import functools
import html
import io
import itertools
import threading
import traceback
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar

import ipywidgets as widgets
import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage

from ..plot import FrameRenderer
from ..plot.layout import PanelArtists

__all__ = ["Backend", "FigureView", "SnapshotBox", "ipympl_active", "png_output", "resolve_backend"]

Backend = Literal["auto", "ipympl", "png"]

#: The names matplotlib knows ipympl's backend by (``%matplotlib widget`` / ``ipympl``).
IPYMPL_BACKENDS = frozenset({"widget", "ipympl", "module://ipympl.backend_nbagg"})

_figure_numbers = itertools.count(1)
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
    if backend == "auto":
        return "ipympl" if ipympl_active() else "png"
    if backend not in ("ipympl", "png"):
        raise ValueError(f"backend: must be 'auto', 'ipympl' or 'png', got {backend!r}")
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
    """

    #: Seconds after the last change before an undrawn ipympl picture is sent anyway.
    SETTLE_S = 0.25

    def __init__(self, figsize: tuple[float, float], dpi: float, backend: Backend = "auto",
                 css_class: str = "glmlearn-figure") -> None:
        self.mode = resolve_backend(backend)
        self.figure = Figure(figsize=figsize, dpi=dpi)
        #: Held while artists change and while the figure renders: ipympl (0.10, with
        #: ipykernel 7) renders in a kernel *subshell* thread, concurrently with the
        #: widget callbacks on the main thread; unguarded, a frame could show half of one
        #: iteration and half of the next (the browser test caught such torn frames).
        self.lock = threading.RLock()
        self._dpi = float(dpi)
        self.widget: widgets.DOMWidget
        if self.mode == "ipympl":
            # Built without pyplot: plt.figure() would register the figure in pyplot's
            # list (shown again at the end of the cell, kept alive forever).
            from ipympl.backend_nbagg import Canvas, FigureManager

            canvas = Canvas(self.figure)
            self._manager = FigureManager(canvas, next(_figure_numbers))
            canvas.header_visible = False   # "Figure 1" title bar
            canvas.footer_visible = False   # cursor read-out under the figure
            canvas.resizable = False        # a resize would re-run the frozen layout
            canvas.toolbar_position = "right"
            canvas.draw = self._ipympl_draw  # what ipympl calls when the browser asks for a frame
            self.widget = canvas
            # Versions of the picture: asked for (redraw) and rendered (_ipympl_draw).
            self._asked = self._drawn = 0
            self._settle: asyncio.TimerHandle | None = None
        else:
            # A canvas of its own, kept: draw_idle() then renders at once, and the PNG is
            # encoded from that very buffer. savefig would build a new canvas and render a
            # second time (about twice the cost of a step).
            FigureCanvasAgg(self.figure)
            self.widget = widgets.Output()
        self.widget.add_class(css_class)
        #: Renders the panels' frames once :meth:`attach` is called (else full draws).
        self.frames: FrameRenderer | None = None

    def attach(self, panels: Mapping[str, PanelArtists]) -> FrameRenderer:
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
        """Show the artists' current state: ipympl, one ``draw_idle()``; else one render
        (:meth:`render`, blitted once :meth:`attach` is called) put into the ``Output`` as
        a PNG.

        Under ipympl, ``draw_idle()`` asks the browser to ask for an image, and two
        weaknesses of ipympl's front end (0.10) would leave a stale or garbled picture
        after quick changes (Play, a drag), as the browser test showed: it drops a draw
        request that arrives while it waits for an image, and it pastes *difference*
        images, switching between "diff" and "full" painting by a flag it reads late.
        Hence every frame here is a full frame, and a short timer renders and sends the
        latest state itself if no requested draw has rendered it.
        """
        canvas: Any = self.figure.canvas
        with self.lock:
            if self.mode == "ipympl":
                self._asked += 1
                canvas._force_full = True  # matplotlib's webagg flag: send the whole image
                canvas.draw_idle()
                self._restart_settle_timer()
                return
            self.render()
            assert isinstance(self.widget, widgets.Output)
            self.widget.outputs = (png_output(self._encode()),)

    def _restart_settle_timer(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (plain Python): no browser to catch up with
            return
        if self._settle is not None:
            self._settle.cancel()
        self._settle = loop.call_later(self.SETTLE_S, self._settle_draw)

    def _ipympl_draw(self) -> None:
        # matplotlib's web canvas draw() (render, then send), rendering with the frame
        # renderer and holding the lock.
        canvas: Any = self.figure.canvas
        with self.lock:
            canvas._png_is_old = True
            try:
                self.render()
                self._drawn = self._asked
            finally:
                # Every frame full: ipympl encodes the frame (get_diff_image), which reads
                # and clears this flag. The front end reads the image mode only when an
                # image has loaded, so a switch between "diff" and "full" frames can make
                # it clear the canvas and paint a difference image alone.
                canvas._force_full = True
                canvas.manager.refresh_all()

    def _settle_draw(self) -> None:
        self._settle = None
        with self.lock:
            if getattr(self.figure.canvas, "syncing_data_url", False):
                # The browser's view has not said "initialized" yet: it asks for a full
                # picture itself when it does. An image pushed before that races with the
                # view's start-up (ipympl 0.10 then draws a half-loaded image and logs
                # "drawImage ... broken state").
                return
            if self._drawn != self._asked:  # the browser's draw request was dropped
                self._ipympl_draw()  # renders and sends the image (ipympl's refresh_all)

    def _encode(self) -> bytes:
        canvas = self.figure.canvas
        assert isinstance(canvas, FigureCanvasAgg)
        w, h = canvas.get_width_height(physical=True)
        buf = io.BytesIO()
        # compress_level 1: the PNG goes to the browser at once; speed matters more than size
        PILImage.frombuffer("RGBA", (w, h), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).save(
            buf, format="png", compress_level=1)
        return buf.getvalue()

    def png(self) -> bytes:
        """The figure as it is now, as PNG bytes (at the dpi it was made with)."""
        with self.lock:
            if self.mode == "png":
                self.render()
                return self._encode()
            return png_bytes(self.figure, self._dpi)


class SnapshotBox(widgets.VBox):
    """A ``VBox`` whose display bundle also holds a picture of its current state.

    Alongside ``application/vnd.jupyter.widget-view+json`` the bundle has ``image/png``
    (the figure) and ``text/html`` (an optional HTML summary, e.g. the state table, and
    the same PNG inline). A live front end renders the widget; a kernel-free viewer of
    the saved notebook shows the picture instead of ``VBox(children=...)``.

    Parameters
    ----------
    children : sequence of widgets
    snapshot : callable
        Returns ``(png_bytes, html_fragment)`` for the state shown now.
    """

    def __init__(self, children: Any, snapshot: Callable[[], tuple[bytes, str]], **kwargs: Any
                 ) -> None:
        super().__init__(children, **kwargs)
        self._snapshot = snapshot

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        data = super()._repr_mimebundle_(**kwargs)
        if data is None:  # a closed widget has no view
            return None
        png, fragment = self._snapshot()
        b64 = base64.b64encode(png).decode("ascii")
        data["image/png"] = b64
        data["text/html"] = (f"<div class='glmlearn-snapshot'>{fragment}"
                             f"<img src='data:image/png;base64,{b64}' "
                             f"alt='glmlearn figure (static picture)'/></div>")
        return data


def error_html(exc: BaseException) -> str:
    """An exception as a small HTML block (class ``glmlearn-error``)."""
    tb = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return f"<div class='glmlearn-error'><b>Error:</b> <code>{html.escape(tb)}</code></div>"


def guarded(method: F) -> F:
    """Run a widget callback, keeping any exception on ``self.errors`` and on screen.

    ipywidgets prints callback exceptions to the kernel's stderr, which JupyterLab shows
    only in its log console: the learner would see a widget that silently stopped. Here
    the error is kept in ``self.errors`` (tests assert it stays empty) and shown in the
    widget's status line, then re-raised so nothing is hidden from a test either.
    """

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:
            self.errors.append(exc)
            self.status.value = error_html(exc)
            raise

    return wrapper  # type: ignore[return-value]
