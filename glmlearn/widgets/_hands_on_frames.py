"""Frames of the hands-on figure: an action renders what it changed, and only that.

Every action of :class:`~glmlearn.widgets.HandsOn` -- a β set by a click, IRLS run from
it, a point picked, dragged or typed, a step of the slider -- changes the data-carrying
artists of its panels: the curve, the points, the path, the step, the labels, the
legends. What stays is each panel's frame: its axes, ticks, tick labels, title and axis
labels, and the deviance contours of the path panel (made again only when the surface
changes: a refit, or a slice through other held coefficients). A full draw of the figure
spends most of its time on that frame (every tick label is text rendered glyph by glyph).

:class:`ActionFrames` is the explorer's :class:`~glmlearn.plot.FrameRenderer` (its
static picture rendered once, each frame drawing only the moving artists, in
matplotlib's drawing order, so that a frame is pixel for pixel a full draw) with two
additions for a figure whose panels are drawn again after an action:

* :meth:`ActionFrames.retarget` takes the panels' new artists as the moving ones;
* the static picture is made again *one panel at a time*: a panel whose frame changed
  (its limits after a new trace, say; see :func:`frame_key`) is blanked to the figure's
  background and drawn alone, the others are kept. That is the full draw too, as long as
  no panel paints where another does (checked: a panel whose region meets one drawn
  again is drawn again as well).

It relies on the same matplotlib behaviour as ``glmlearn/plot/_blit.py`` (which names
it), and on ``Axes.draw`` leaving ``animated`` artists out, as a full figure draw does.
Pinned by ``tests/test_hands_on_frames.py`` (a figure after a sequence of actions equals
a full draw of the same state, pixel for pixel).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from .._irls import IRLSState
from ..plot import FrameRenderer
from ..plot._panel import Panel

__all__ = ["ActionFrames", "Layer", "frame_key", "layer"]


@dataclass(frozen=True)
class Layer(Panel):
    """What moves in one panel of the hands-on figure: every artist but its frame.

    A :class:`~glmlearn.plot.Panel` for the frame renderer only: the widget moves its
    panels itself (``update`` here does nothing).
    """

    ax: Axes
    label: Text
    artists: tuple[Artist, ...]

    def update(self, state: IRLSState) -> None:
        """Nothing: the widget updates its panels before rendering."""

    @property
    def moving(self) -> tuple[Artist, ...]:
        return self.artists


def _frame_artists(ax: Axes) -> list[Artist]:
    """An axes' frame: background patch, spines, axes (ticks and labels), titles."""
    titles = [getattr(ax, name, None) for name in ("title", "_left_title", "_right_title")]
    return [ax.patch, *ax.spines.values(), ax.xaxis, ax.yaxis, *(t for t in titles if t)]


def layer(panel: Any, static: Iterable[Artist] = ()) -> Layer:
    """The moving layer of ``panel``: every child of its axes except the frame and
    ``static`` (say, the contours of a surface that did not change)."""
    ax = panel.ax
    keep = {id(a) for a in (*_frame_artists(ax), *static)}
    return Layer(ax=ax, label=panel.label,
                 artists=tuple(a for a in ax.get_children() if id(a) not in keep))


def frame_key(ax: Axes, static: Hashable = None) -> tuple[Any, ...]:
    """What an axes' static picture depends on: its place, limits and scales, the texts
    of its frame, and ``static`` (the caller's word for the rest, e.g. which surface)."""
    texts = (ax.get_title(), ax.get_xlabel(), ax.get_ylabel())
    return (tuple(ax.bbox.bounds), tuple(ax.viewLim.bounds), ax.get_xscale(),
            ax.get_yscale(), texts, static)


def _grow(b: Bbox, px: float = 1.0) -> Bbox:
    # Agg rounds to whole pixels and antialiasing bleeds into the next one
    return Bbox.from_extents(b.x0 - px, b.y0 - px, b.x1 + px, b.y1 + px)


def _meets(a: Bbox, b: Bbox) -> bool:
    return a.x0 <= b.x1 and b.x0 <= a.x1 and a.y0 <= b.y1 and b.y0 <= a.y1


class ActionFrames(FrameRenderer):
    """A :class:`~glmlearn.plot.FrameRenderer` whose moving artists may be replaced and
    whose static picture is made again one panel at a time (see the module docstring).

    Parameters
    ----------
    figure : Figure
    layers : mapping
        ``{panel name: Layer}`` (see :func:`layer`).
    keys : mapping
        ``{axes: frame_key(axes, ...)}``: a panel whose key changes is drawn again.

    Attributes
    ----------
    panels_drawn : int
        How many panels' static pictures were made one at a time (tests, benchmarks).
    """

    def __init__(self, figure: Any, layers: Mapping[str, Panel],
                 keys: Mapping[Axes, Hashable]) -> None:
        super().__init__(figure, layers)
        self._keys_wanted = dict(keys)
        self._keys_drawn: dict[Axes, Hashable] = {}
        self._regions: dict[Axes, Bbox] = {}
        self._hidden: dict[int, frozenset[int]] = {}
        self._blank: Any = None
        self._size: Any = None
        self._replanned = False
        self.panels_drawn = 0

    def retarget(self, layers: Mapping[str, Panel], keys: Mapping[Axes, Hashable]) -> None:
        """Take ``layers``' artists as the moving ones (after the panels were drawn
        again); the panels whose ``keys`` changed get a new static picture."""
        for a in self._moving:
            a.set_animated(False)
        self.panels = dict(layers)
        self._moving = [a for p in self.panels.values() for a in p.moving]
        for a in self._moving:
            a.set_animated(True)
        self._keys_wanted = dict(keys)
        self._replanned = True  # new artists: the frame's drawing order is made again

    # --- rendering ----------------------------------------------------------------------
    def render(self) -> None:
        """Render the figure as it is now into the canvas' buffer (equal to a full draw)."""
        canvas = self._canvas()
        size = (canvas.get_width_height(physical=True), self.figure.dpi,
                tuple(ax.get_visible() for ax in self.figure.axes))
        if self._background is None or size != self._size:
            self._capture_all()
        else:
            changed = [ax for ax in self._axes()
                       if self._keys_drawn.get(ax) != self._keys_wanted.get(ax)]
            if changed or self._replanned:
                self._capture_some(changed)
        self._paint()

    def _axes(self) -> list[Axes]:
        return [ax for ax in self.figure.axes if ax.get_visible()]

    def _region(self, ax: Axes, renderer: Any) -> Bbox:
        """Where ``ax``'s static picture paints: its frame's tight box (tick labels,
        titles; the contours are clipped to the axes), a little grown for antialiasing.
        The moving artists are not in the static picture, so their reach does not count."""
        box = ax.get_tightbbox(renderer, bbox_extra_artists=[])
        return _grow(Bbox.union([ax.bbox, box]) if box is not None else ax.bbox)

    def _capture_all(self) -> None:
        canvas = self._canvas()
        renderer = canvas.get_renderer()
        # the figure's background alone: what a panel's region is blanked to
        renderer.clear()
        self.figure.patch.draw(renderer)
        self._blank = canvas.copy_from_bbox(self.figure.bbox)
        FigureCanvasAgg.draw(canvas)  # places everything; the moving artists left out
        renderer = canvas.get_renderer()
        self._frame, redrawn = self._plan(renderer)
        self._draw_static(lambda: FigureCanvasAgg.draw(canvas), redrawn)
        self._background = canvas.copy_from_bbox(self.figure.bbox)
        self._remember(renderer, redrawn)
        self._replanned = False
        self._size = (canvas.get_width_height(physical=True), self.figure.dpi,
                      tuple(ax.get_visible() for ax in self.figure.axes))
        self.backgrounds += 1

    def _capture_some(self, changed: list[Axes]) -> None:
        """Make the static picture of the ``changed`` panels again, keep the others'."""
        canvas = self._canvas()
        renderer = canvas.get_renderer()
        axes = self._axes()
        canvas.restore_region(self._background)
        # The kept panels' frames have not changed: nor have their regions.
        regions = dict(self._regions)
        for ax in changed:  # the region painted before, and now
            old, now = self._regions.get(ax), self._region(ax, renderer)
            regions[ax] = now if old is None else Bbox.union([old, now])
        if any(b not in regions for b in axes):
            self._capture_all()
            return
        # A panel whose region meets one drawn again is drawn again too (blanking the
        # region would take some of its pixels): in a figure with tight margins, all.
        group = set(changed)
        while extra := [b for b in axes if b not in group
                        and any(_meets(regions[a], regions[b]) for a in group)]:
            group.update(extra)
        changed = [ax for ax in axes if ax in group]
        frame, redrawn = self._plan(renderer)  # (it places the ticks for the new limits)
        hidden = self._hidden_by_axes(redrawn)
        if any(hidden.get(id(ax), frozenset()) != self._hidden.get(id(ax), frozenset())
               for ax in axes if ax not in changed) or None in hidden:
            self._capture_all()  # a kept panel's picture was made with other artists hidden
            return
        changed_ids = {id(ax) for ax in changed}
        mine = [a for a in redrawn if any(id(a) in hidden.get(i, ()) for i in changed_ids)]

        def draw_changed() -> None:
            for ax in changed:
                self._blank_out(regions[ax])
                ax.draw(renderer)

        self._draw_static(draw_changed, mine)
        self._frame = frame
        self._background = canvas.copy_from_bbox(self.figure.bbox)
        for ax in changed:
            self._regions[ax] = regions[ax]
            self._keys_drawn[ax] = self._keys_wanted.get(ax)
        self._hidden = {**self._hidden, **{id(ax): hidden.get(id(ax), frozenset())
                                           for ax in changed}}
        self.panels_drawn += len(changed)
        self._replanned = False

    def _blank_out(self, region: Bbox) -> None:
        """Paint the figure's background over ``region`` (display units)."""
        h = self.figure.bbox.height
        x0, x1 = max(int(region.x0), 0), int(region.x1) + 1
        y0, y1 = max(int(h - region.y1), 0), int(h - region.y0) + 1  # the buffer's rows
        # bbox: in the buffer's rows (from the top); xy: where the saved region's own
        # corner goes, the figure's (0, 0) (Agg copies the part at that offset)
        self._canvas().restore_region(self._blank, bbox=(x0, y0, x1, y1), xy=(0, 0))

    def _draw_static(self, draw: Callable[[], None], redrawn: list[Artist]) -> None:
        """``draw()`` with ``redrawn`` hidden: they are drawn in each frame instead."""
        for a in redrawn:
            a.set_visible(False)
        try:
            draw()
        finally:
            for a in redrawn:
                a.set_visible(True)

    def _hidden_by_axes(self, redrawn: list[Artist]) -> dict[Any, frozenset[int]]:
        """``{id(axes): ids of its artists in redrawn}``; ``None``: the figure's own."""
        owner: dict[int, int] = {}
        for ax in self._axes():  # a tick's lines do not know their axes; the axis does
            for axis in (ax.xaxis, ax.yaxis):
                for t in axis.get_major_ticks() + axis.get_minor_ticks():
                    for part in (t.gridline, t.tick1line, t.tick2line, t.label1, t.label2):
                        owner[id(part)] = id(ax)
        out: dict[Any, set[int]] = {}
        for a in redrawn:
            key = id(a.axes) if a.axes is not None else owner.get(id(a))
            out.setdefault(key, set()).add(id(a))
        return {k: frozenset(v) for k, v in out.items()}

    def _remember(self, renderer: Any, redrawn: list[Artist]) -> None:
        self._regions = {ax: self._region(ax, renderer) for ax in self._axes()}
        self._keys_drawn = {ax: self._keys_wanted.get(ax) for ax in self._axes()}
        self._hidden = {k: v for k, v in self._hidden_by_axes(redrawn).items() if k is not None}
