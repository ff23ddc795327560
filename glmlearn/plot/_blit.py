r"""Render the frames of a figure quickly: its static parts once, its moving parts per frame.

This module leans on matplotlib internals; it is kept apart so that nothing else does.

Upstream behaviour worked around, and the private parts used:

* matplotlib's blitting (``canvas.copy_from_bbox`` / ``restore_region`` and
  ``Artist.draw``) draws the moving artists *on top* of everything; a full draw does
  not (a legend, a spine or a tick mark lies over a curve). To reproduce the full draw
  the renderer replays matplotlib's drawing order itself: :func:`_axes_draw_order`
  copies what ``Axes.draw`` does (``get_children()`` less the background patch, the
  spines when the frame is off and the axes when ``axison`` is off, sorted by
  ``zorder``), and the figure's children are sorted by ``zorder`` as ``Figure.draw``
  does. Neither order is public API.
* Which ticks an axis draws is known only to the private ``Axis._update_ticks()``
  (called by ``Axis.draw``); it is used to find the tick marks and labels that lie
  under a moving artist's reach. Without it (a matplotlib that renamed it) the whole
  axis is redrawn per frame: slower, still exact.
* (Public, but easy to miss:) the background is rendered with ``FigureCanvasAgg.draw``
  called unbound, so that a subclass's ``draw`` (ipympl's also sends the picture to the
  browser) does not run for it.

Seen on matplotlib 3.11.2. Pinned by
``tests/test_plot.py::test_frame_renderer_frames_equal_full_draws`` (blitted frames
equal full draws pixel for pixel, before and after a resize) and
``test_blit_relies_on_private_matplotlib`` (the private parts exist and behave as used).

Moving an explorer figure to another iteration changes a few artists (the fitted curve,
the weights, a marker, the corner labels); everything else -- axes, ticks, tick labels,
titles, the data, the contour map, the whole deviance trace -- looks the same in every
frame. A full ``canvas.draw()`` renders all of it again, which is most of a frame's cost
with ten thousand observations. :class:`FrameRenderer` renders the static picture once,
keeps it (``canvas.copy_from_bbox``), and per frame pastes it back
(``canvas.restore_region``) and draws only what it must on top: matplotlib's *blitting*.

Blitting usually draws the moving artists *over* everything else, which is not what a
full draw shows where they pass under a legend, a spine or a tick mark. Here the frame is
exactly the full draw, pixel for pixel (the tests compare them). The renderer walks the
figure in matplotlib's own drawing order (axes by ``zorder``, artists by ``zorder``): a
static artist drawn *after* a moving one, in a region a moving artist can reach (its clip
box: the panel), is left out of the saved background and drawn again in each frame, in
its place in the order; everything else is in the background. For a panel that is the
spines, the tick marks on them and the legend; tick labels and titles lie outside the
panel and stay in the background.

The static picture is made again when the layout changes: the canvas size or dpi, an
axes' position, or its limits (a zoom, or a panel drawn without a trace, whose limits
follow the state). :meth:`FrameRenderer.invalidate` forces it (after restyling a static
artist, say).

While a renderer is attached, the moving artists are ``animated``: a plain
``canvas.draw()`` leaves them out (``savefig`` does not). Render with
:meth:`FrameRenderer.render` (or :meth:`~FrameRenderer.show`), or call
:meth:`~FrameRenderer.release` to draw the figure normally again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from operator import attrgetter
from typing import Any

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox, BboxBase

from .._irls import IRLSState
from ._panel import Panel, moving_artists, update_all

__all__ = ["FrameRenderer"]


def _grow(b: BboxBase, px: float = 1.0) -> Bbox:
    # Agg rounds a clip box to whole pixels and antialiasing bleeds into the next one.
    return Bbox.from_extents(b.x0 - px, b.y0 - px, b.x1 + px, b.y1 + px)


def _meets(a: BboxBase, regions: Iterable[BboxBase]) -> bool:
    return any(a.x0 <= r.x1 and r.x0 <= a.x1 and a.y0 <= r.y1 and r.y0 <= a.y1 for r in regions)


class FrameRenderer:
    """Render frames of a figure drawn by :func:`~glmlearn.plot.explorer_figure`.

    Parameters
    ----------
    figure : Figure
        Its canvas must render with Agg (``FigureCanvasAgg``, ipympl's canvas); a figure
        without a canvas gets a ``FigureCanvasAgg``.
    panels : mapping
        ``{panel name: artists}`` as :func:`~glmlearn.plot.explorer_figure` returns them.

    Attributes
    ----------
    figure : Figure
    panels : dict
    backgrounds : int
        How many times the static picture has been rendered (tests and benchmarks).

    Examples
    --------
    >>> fig, panels = explorer_figure(result)            # doctest: +SKIP
    >>> frames = FrameRenderer(fig, panels)              # doctest: +SKIP
    >>> frames.show(result.trace[3])                     # doctest: +SKIP
    >>> rgba = fig.canvas.buffer_rgba()                  # doctest: +SKIP
    """

    def __init__(self, figure: Figure, panels: Mapping[str, Panel]) -> None:
        if not isinstance(figure.canvas, FigureCanvasAgg):
            FigureCanvasAgg(figure)
        self.figure = figure
        self.panels = dict(panels)
        self._moving = [a for p in self.panels.values() for a in moving_artists(p)]
        for a in self._moving:
            a.set_animated(True)
        self._background: Any = None
        self._key: Any = None
        self._frame: list[Artist] = []
        self.backgrounds = 0

    # --- per frame ------------------------------------------------------------------------
    def show(self, state: IRLSState) -> None:
        """Move every panel to ``state`` (:func:`~glmlearn.plot.update_all`) and render."""
        update_all(self.panels, state)
        self.render()

    def render(self) -> None:
        """Render the artists as they are now into the canvas' Agg buffer.

        Equals a full ``canvas.draw()`` of the figure (without ``animated`` artists), in
        pixels. The static picture is made first if there is none or the layout changed.
        """
        if self._background is None or self._key != self._layout_key():
            self._capture()
        self._paint()

    def _paint(self) -> None:
        """The static picture, then the moving artists drawn over it."""
        canvas = self._canvas()
        canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for a in self._frame:
            a.draw(renderer)

    def invalidate(self) -> None:
        """Forget the static picture: the next frame renders it again."""
        self._background = None

    def release(self) -> None:
        """Stop: the moving artists are drawn by a plain ``canvas.draw()`` again."""
        for a in self._moving:
            a.set_animated(False)
        self.invalidate()

    # --- the static picture ---------------------------------------------------------------
    def _canvas(self) -> FigureCanvasAgg:
        canvas = self.figure.canvas
        assert isinstance(canvas, FigureCanvasAgg)
        return canvas

    def _layout_key(self) -> tuple[Any, ...]:
        canvas = self._canvas()
        axes = tuple((ax.get_visible(), tuple(ax.bbox.bounds), tuple(ax.viewLim.bounds),
                      ax.get_xscale(), ax.get_yscale()) for ax in self.figure.axes)
        return (canvas.get_width_height(physical=True), self.figure.dpi, axes)

    def _capture(self) -> None:
        canvas = self._canvas()
        # A first full draw places everything (ticks, legends, text) for this layout; the
        # moving artists are animated, so it leaves them out.
        FigureCanvasAgg.draw(canvas)
        renderer = canvas.get_renderer()
        self._frame, redrawn = self._plan(renderer)
        for a in redrawn:
            a.set_visible(False)
        try:
            FigureCanvasAgg.draw(canvas)
        finally:
            for a in redrawn:
                a.set_visible(True)
        self._background = canvas.copy_from_bbox(self.figure.bbox)
        self._key = self._layout_key()
        self.backgrounds += 1

    def _plan(self, renderer: RendererBase) -> tuple[list[Artist], list[Artist]]:
        """The artists drawn in each frame, in drawing order, and the static ones among them.

        Walks the figure in matplotlib's drawing order. A moving artist can paint within
        its clip box (or anywhere, without one): that is its *reach*. A static artist that
        meets the reach of an artist drawn before it in the frame must be drawn after it
        in the frame as well; it then reaches its own extent.
        """
        moving = set(map(id, self._moving))
        reach: list[BboxBase] = []
        frame: list[Artist] = []
        redrawn: list[Artist] = []
        everywhere = self.figure.bbox

        def extent(a: Artist) -> Bbox | None:
            try:
                return _grow(a.get_window_extent(renderer))
            except Exception:  # an artist that cannot say where it draws: assume anywhere
                return None

        def visit_static(a: Artist) -> None:
            if isinstance(a, Text) and not a.get_text():
                return  # draws nothing (matplotlib's empty titles, an unused offset text)
            if isinstance(a, Axis):
                visit_axis(a)
                return
            ext = extent(a)
            if ext is None or _meets(ext, reach):
                frame.append(a)
                redrawn.append(a)
                reach.append(everywhere if ext is None else ext)

        def visit_axis(axis: Axis) -> None:
            # Tick marks sit on the spine, inside a panel's reach; tick labels and the axis
            # label lie outside it. Only if some text is reached is the whole axis redrawn
            # (hiding one tick label would move the axis label, which is placed around them).
            ticks = getattr(axis, "_update_ticks", lambda: None)()
            if ticks is None:  # not this matplotlib's Axis: redraw it whole, to be safe
                frame.append(axis)
                redrawn.append(axis)
                reach.append(everywhere)
                return
            marks = [ln for t in ticks for ln in (t.gridline, t.tick1line, t.tick2line)
                     if ln.get_visible()]
            texts = [x for t in ticks for x in (t.label1, t.label2) if x.get_visible()]
            texts += [x for x in (axis.label, axis.offsetText) if x.get_visible()]
            texts = [x for x in texts if x.get_text()]
            seen = [*reach, *(e for m in marks if (e := extent(m)) is not None)]
            if any((e := extent(x)) is None or _meets(e, seen) for x in texts):
                tight = axis.get_tightbbox(renderer)
                ext = None if tight is None else _grow(tight)
                frame.append(axis)
                redrawn.append(axis)
                reach.append(everywhere if ext is None else ext)
                return
            for m in marks:
                visit_static(m)

        def visit_axes(ax: Axes) -> None:
            for a in _axes_draw_order(ax):
                if id(a) in moving:
                    frame.append(a)
                    clip = a.get_clip_box() if a.get_clip_on() else None
                    reach.append(everywhere if clip is None else _grow(clip))
                else:
                    visit_static(a)

        for a in sorted((a for a in self.figure.get_children()
                         if a is not self.figure.patch and a.get_visible()),
                        key=attrgetter("zorder")):
            if isinstance(a, Axes):
                visit_axes(a)
            else:
                visit_static(a)
        return frame, redrawn


def _axes_draw_order(ax: Axes) -> list[Artist]:
    """The artists ``Axes.draw`` draws after its background patch, in its order."""
    artists = ax.get_children()
    artists.remove(ax.patch)
    if not (ax.axison and ax.get_frame_on()):
        for spine in ax.spines.values():
            artists.remove(spine)
    if not ax.axison:
        for axis in (ax.xaxis, ax.yaxis):
            artists.remove(axis)
    return sorted((a for a in artists if a.get_visible()), key=attrgetter("zorder"))
