"""Workarounds for ipympl and ipywidgets behaviours, kept apart from the widgets' own code.

The widgets themselves redraw as ipympl's examples do: change the artists, then call
``fig.canvas.draw_idle()``. Everything below exists because of a behaviour of ipympl,
ipywidgets or JupyterLab that would otherwise show a wrong, stale or garbled picture, or
nothing at all where no kernel runs. Versions seen: ipympl 0.10.0, ipywidgets 8.1.9,
jupyterlab 4.6.6 (with ipykernel 7.4 and matplotlib 3.11). Each item names the test that
reproduces it or pins the fix; the browser tests are in ``tests/browser/``.

1. **Renders in another thread** (ipympl with ipykernel 7). ipympl renders the figure
   when the browser asks for an image, in a kernel *subshell* thread, concurrently with
   the widget callbacks on the main thread: unguarded, a frame can show half of one
   iteration and half of the next. Fix: :class:`FrameKeeper` renders while holding the
   view's lock, which the widgets hold while they change artists.
   Test: ``tests/test_widgets.py::test_ipympl_frames_are_full_locked_and_never_lost``
   (the render holds the lock); the browser test caught the torn frames.
2. **Dropped draw requests.** ``draw_idle()`` sends the browser a "draw" event; ipympl's
   front end answers with a request for an image, but drops a "draw" event that arrives
   while it waits for an image, so after quick changes (Play, a drag) the last state may
   never be drawn. Fix: :class:`FrameKeeper` counts the pictures asked for and drawn, and
   a settle timer (:attr:`FrameKeeper.SETTLE_S` after the last change) renders and sends
   the latest one itself when no requested draw has.
   Test: ``test_ipympl_frames_are_full_locked_and_never_lost`` (the timer sends exactly
   one frame) and ``tests/browser/test_explorer_browser.py`` (Play and a drag end on the
   right picture).
3. **Difference images.** ipympl sends a *difference* image when it can and the front
   end pastes it over the last one, but it reads the "diff" / "full" mode only once an
   image has loaded: a switch between modes can make it clear the canvas and paint a
   difference image alone. Fix: every frame is full (matplotlib's webagg flag
   ``_force_full``, which ipympl's ``get_diff_image`` reads and clears).
   Test: ``test_ipympl_frames_are_full_locked_and_never_lost`` (``_current_image_mode``
   is ``"full"``) and the browser test.
4. **Start-up race.** An image pushed before the browser's view says "initialized"
   (ipympl's ``syncing_data_url`` is still True) races with the view's start-up: ipympl
   then draws a half-loaded image and logs "drawImage ... broken state". The view asks
   for a full picture itself once it is initialized, so the settle timer waits for it.
   Test: ``test_ipympl_frames_are_full_locked_and_never_lost`` (nothing is pushed before
   ``syncing_data_url`` is False) and the browser test (no console errors).
5. **Echoed browser changes** (ipywidgets). ``widgets.link`` sends back to the browser a
   change that came from it; with ``Play`` ``jslink``-ed to the slider, the kernel's
   "slider = 3" can arrive after the browser has moved on to 4 and pull Play back.
   Fix: :func:`kernel_link` ignores changes applied from the browser, which ipywidgets
   marks by holding the name in the widget's private ``_property_lock``.
   Test: ``test_browser_moves_are_not_echoed_back``.
6. **No picture without a kernel** (ipywidgets, JupyterLab). A widget's display bundle
   holds only the widget view and ``text/plain``: a saved notebook shown by nbviewer or
   GitHub shows nothing (or ``VBox(children=...)``) in its place. Fix:
   :class:`SnapshotBox` adds an ``image/png`` and a ``text/html`` picture of the figure
   to its bundle. Test: ``test_mimebundle_has_widget_view_and_png`` and
   ``test_explorer_notebook_runs_in_a_kernel``.
7. **pyplot's registry.** ``plt.figure()`` under ``%matplotlib widget`` registers the
   figure with pyplot: it is shown a second time at the end of the cell and kept alive
   for ever. Fix: :func:`ipympl_canvas` builds ipympl's canvas and manager directly.
   Test: ``test_ipympl_figures_are_not_registered_with_pyplot``.
8. **Arrow keys taken by Notebook 7** (Notebook 7.6; JupyterLab 4.6 is not affected).
   Notebook 7 matches keyboard shortcuts in the capture phase, before the focused widget
   sees the key, and its command-mode shortcut ``ArrowRight`` (selector
   ``.jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus``) matches the
   explorer's focused slider handle: the key moves the notebook, not the slider. Lumino
   skips shortcuts for an event whose target is inside an element with the attribute
   ``data-lm-suppress-shortcuts``, but ipywidgets can set only CSS classes, not
   attributes, and does not run scripts in an ``HTML`` widget. Fix:
   :func:`shortcut_guard`, a hidden ``anywidget`` of a few lines of JavaScript that puts
   the attribute on every element of the explorer's player row (Play, the step buttons,
   the slider and its handle: Lumino tests the focused element itself first, so an
   ancestor alone is not enough), so ←/→, Home and End step the slider. Without ``anywidget``
   installed the explorer works as before, its keys in Notebook 7 excepted.
   Test: ``tests/browser/test_notebook7_browser.py::test_slider_arrow_keys_in_notebook7``.
"""

from __future__ import annotations

import asyncio
import base64
import html
import itertools
import threading
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
from matplotlib.figure import Figure

__all__ = ["FrameKeeper", "SnapshotBox", "ipympl_canvas", "kernel_link", "shortcut_guard"]

_figure_numbers = itertools.count(1)


class FrameKeeper:
    """Items 1 to 4 of the module docstring, installed on one ipympl canvas.

    It replaces the canvas' ``draw`` (what ipympl calls when the browser asks for an
    image) and ``draw_idle`` (what the widgets call after changing artists), so that
    every frame is rendered under ``lock``, is a full frame, and is never lost.

    Parameters
    ----------
    canvas : ipympl.backend_nbagg.Canvas
    render : callable
        Renders the figure into the canvas' Agg buffer (the view's frame renderer).
    lock : threading.RLock
        Held by the widgets while they change artists.

    Attributes
    ----------
    asked, drawn : int
        Versions of the picture asked for (``draw_idle``) and rendered (``draw``).
    """

    #: Seconds after the last change before an undrawn picture is sent anyway.
    SETTLE_S = 0.25

    def __init__(self, canvas: Any, render: Callable[[], None], lock: threading.RLock) -> None:
        self.canvas, self.render, self.lock = canvas, render, lock
        self.asked = self.drawn = 0
        self._settle: asyncio.TimerHandle | None = None
        self._ask_browser = canvas.draw_idle  # matplotlib's webagg: send a "draw" event
        canvas.draw = self.draw
        canvas.draw_idle = self.draw_idle

    def draw_idle(self) -> None:
        """Ask the browser for a new full picture, and make sure it gets one."""
        with self.lock:
            self.asked += 1
            self.canvas._force_full = True
            self._ask_browser()
            self._restart_settle_timer()

    def draw(self) -> None:
        """matplotlib's webagg ``draw()`` (render, then send), under the lock, full frame."""
        with self.lock:
            self.canvas._png_is_old = True
            try:
                self.render()
                self.drawn = self.asked
            finally:
                # ipympl's get_diff_image reads and clears this flag when it encodes.
                self.canvas._force_full = True
                self.canvas.manager.refresh_all()

    def settle(self) -> None:
        """Send the latest picture if no draw the browser asked for has rendered it."""
        self._settle = None
        with self.lock:
            if getattr(self.canvas, "syncing_data_url", False):
                return  # the view is not initialized yet; it asks for a picture itself
            if self.drawn != self.asked:
                self.draw()

    def _restart_settle_timer(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (plain Python): no browser to catch up with
            return
        if self._settle is not None:
            self._settle.cancel()
        self._settle = loop.call_later(self.SETTLE_S, self.settle)


def ipympl_canvas(figure: Figure, render: Callable[[], None], lock: threading.RLock) -> Any:
    """An ipympl canvas (an ipywidget) for ``figure``, built without pyplot (item 7).

    The canvas gets a :class:`FrameKeeper` (items 1 to 4), kept as ``canvas.frame_keeper``.
    """
    from ipympl.backend_nbagg import Canvas, FigureManager

    canvas = Canvas(figure)
    FigureManager(canvas, next(_figure_numbers))  # sets canvas.manager
    canvas.header_visible = False   # "Figure 1" title bar
    canvas.footer_visible = False   # cursor read-out under the figure
    canvas.resizable = False        # a resize would re-run the frozen layout
    canvas.toolbar_position = "right"
    canvas.frame_keeper = FrameKeeper(canvas, render, lock)
    return canvas


def kernel_link(a: widgets.Widget, b: widgets.Widget, name: str = "value") -> None:
    """Keep ``a.name`` and ``b.name`` equal in the kernel, for changes made in the kernel.

    Unlike ``widgets.link`` it ignores a change that arrives from the browser (item 5 of
    the module docstring): there a ``jslink`` has already moved the other widget, whose
    own change reaches the kernel by itself.
    """

    def forward(src: widgets.Widget, dst: widgets.Widget) -> None:
        def on_change(change: Mapping[str, Any]) -> None:
            if name in getattr(src, "_property_lock", {}):
                return
            if getattr(dst, name) != change["new"]:
                setattr(dst, name, change["new"])

        src.observe(on_change, names=name)

    forward(a, b)
    forward(b, a)


class SnapshotBox(widgets.VBox):
    """A ``VBox`` whose display bundle also holds a picture of its current state (item 6).

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

    def __init__(self, children: Any, snapshot: Callable[[], tuple[bytes, str]], *,
                 alt: Callable[[], str] | None = None, **kwargs: Any) -> None:
        super().__init__(children, **kwargs)
        self._snapshot = snapshot
        self._alt = alt  # the picture in words, for its alt text

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        data = super()._repr_mimebundle_(**kwargs)
        if data is None:  # a closed widget has no view
            return None
        png, fragment = self._snapshot()
        b64 = base64.b64encode(png).decode("ascii")
        alt = html.escape(self._alt() if self._alt is not None else "glmlearn figure (static picture)",
                          quote=True)
        data["image/png"] = b64
        data["text/html"] = (f"<div class='glmlearn-snapshot'>{fragment}"
                             f"<img src='data:image/png;base64,{b64}' alt='{alt}'/></div>")
        return data


#: Marks every element of the player rows (CSS class ``glmlearn-player-row``) of the
#: explorer holding this widget: Lumino tests an event's target, then its ancestors, for
#: a matching selector and stops at the first element with the attribute, so the focused
#: element itself (the slider's handle matches ``... :focus``) must carry it. Elements
#: added later (a slider rebuilt) are marked by a MutationObserver; the row itself may be
#: attached to the page after this widget renders, so it is looked for a few seconds.
_GUARD_ESM = """
const ATTR = "data-lm-suppress-shortcuts";
function guard(row) {
  const mark = () => {
    row.setAttribute(ATTR, "true");
    for (const e of row.querySelectorAll("*")) e.setAttribute(ATTR, "true");
  };
  mark();
  const seen = new MutationObserver(mark);
  seen.observe(row, { childList: true, subtree: true });
  return seen;
}
export default {
  render({ el }) {
    el.style.display = "none";
    const observers = [];
    const find = () => {
      const box = el.closest(".glmlearn-explorer");
      if (!box) return false;
      for (const row of box.querySelectorAll(".glmlearn-player-row")) observers.push(guard(row));
      return true;
    };
    let timer = null;
    if (!find()) {
      timer = setInterval(() => { if (find()) clearInterval(timer); }, 100);
      setTimeout(() => clearInterval(timer), 10000);
    }
    return () => { clearInterval(timer); for (const o of observers) o.disconnect(); };
  },
};
"""


def shortcut_guard() -> widgets.Widget | None:
    """A hidden widget that keeps the notebook's shortcuts off the player row (item 8).

    Put it inside the widget of CSS class ``glmlearn-explorer``; the rows to guard carry
    the class ``glmlearn-player-row``. None when ``anywidget`` is not installed.
    """
    try:
        import anywidget
    except ImportError:
        return None

    class ShortcutGuard(anywidget.AnyWidget):
        _esm = _GUARD_ESM

    guard = ShortcutGuard()
    guard.add_class("glmlearn-shortcut-guard")
    return guard
