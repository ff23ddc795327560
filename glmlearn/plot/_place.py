"""Where a legend goes: the candidate position that covers no data, measured.

A panel tells its legend what it must not cover -- a :class:`Crowd`: the markers and
the lines of *every* state the panel can show, in data coordinates. The legend is then
tried at each candidate position inside the axes (corners first, then the middles of
the edges) and measured with the figure's renderer; the first position that holds none
of the markers and no point of the lines (sampled every few pixels) wins. Lines marked
``soft`` (a contour map, the edges of a confidence band) only break ties. When every
position inside covers something, the legend goes outside, to the right of the axes,
and takes part in the layout -- unless it is nearly as wide as its axes (a small panel,
or one at the figure's edge): then a panel with fixed limits raises the top of its
y-axis by the least that frees a position, and failing that the legend goes to the
least covered spot of a grid inside the axes. A legend is measured with all its rows
shown, and anchored at the corner nearest the axes' edges, so that showing fewer rows
at some state only shrinks it toward that edge.

The choice depends on the whole trace and the axes' size, never on the state shown: an
animation's frames equal figures drawn at each state. :func:`place_legends` places
every legend of a figure again, after a layout (``explorer_figure`` and a resize do).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.transforms import Bbox, TransformedBbox

from .._arrays import Array

__all__ = ["Crowd", "place_legend", "place_legends"]

#: Positions tried inside the axes, in order of preference.
CANDIDATES = ("upper right", "upper left", "lower right", "lower left", "center right",
              "center left", "upper center", "lower center")


@dataclass
class Crowd:
    """What a legend must not cover, in data coordinates.

    Attributes
    ----------
    points : list of (m, 2) arrays
        Marker positions.
    lines : list of (k, 2) arrays
        Polylines (NaN rows break them).
    soft : list of (k, 2) arrays
        Polylines to avoid if possible (contours, band edges).
    """

    points: list[Array] = field(default_factory=list)
    lines: list[Array] = field(default_factory=list)
    soft: list[Array] = field(default_factory=list)
    #: With a trace (fixed limits): when no position is free, raise the top of the
    #: y-axis to make a free strip for the legend instead of going outside.
    grow: bool = False
    #: For a legend that cannot go outside (a small panel at the figure's edge): when no
    #: position is free, raise the top of the y-axis by up to the legend's height *on
    #: these axes*, measured again after each layout from the limits the panel was drawn
    #: with (:attr:`drawn_ylim`), so that the legend covers only an empty strip.
    make_room: bool = False
    #: The y limits as the panel was drawn (for ``grow``: with the nominal room); each
    #: placement after a layout starts from them.
    drawn_ylim: tuple[float, float] | None = None

    def add_points(self, x: Any, y: Any) -> None:
        self.points.append(np.column_stack([np.ravel(x), np.ravel(y)]).astype(float))

    def add_line(self, x: Any, y: Any, *, soft: bool = False) -> None:
        xy = np.column_stack([np.ravel(x), np.ravel(y)]).astype(float)
        (self.soft if soft else self.lines).append(xy)


def _renderer(fig: Figure) -> RendererBase:
    get = getattr(fig.canvas, "get_renderer", None)
    if get is not None:
        try:
            return get()
        except Exception:  # a canvas that cannot render yet: measure with Agg
            pass
    from matplotlib.backends.backend_agg import RendererAgg

    w, h = fig.bbox.size
    return RendererAgg(max(int(w), 1), max(int(h), 1), fig.dpi)


def _display(ax: Any, xy: Array) -> Array:
    if not xy.size:
        return np.empty((0, 2))
    with np.errstate(all="ignore"):
        out = np.asarray(ax.transData.transform(xy), float)
    return out


def _sample(line: Array, step: float = 3.0) -> Array:
    """Points along a polyline (display units) at most ``step`` pixels apart."""
    out = [line[np.all(np.isfinite(line), axis=1)]]
    a, b = line[:-1], line[1:]
    ok = np.all(np.isfinite(a), axis=1) & np.all(np.isfinite(b), axis=1)
    a, b = a[ok], b[ok]
    if a.size:
        n = np.clip(np.ceil(np.hypot(*(b - a).T) / step), 1, 2000).astype(int)
        t = np.concatenate([np.arange(k) / k for k in n])
        idx = np.repeat(np.arange(len(a)), n)
        out.append(a[idx] + (b[idx] - a[idx]) * t[:, None])
    return np.vstack(out)


def _inside(pts: Array, box: Bbox, margin: float) -> int:
    if not pts.size:
        return 0
    x, y = pts[:, 0], pts[:, 1]
    return int(np.count_nonzero((x >= box.x0 - margin) & (x <= box.x1 + margin)
                                & (y >= box.y0 - margin) & (y <= box.y1 + margin)))


def _in_axes(pts: Array, ax: Any) -> Array:
    b = ax.bbox
    if not pts.size:
        return pts
    keep = ((pts[:, 0] >= b.x0) & (pts[:, 0] <= b.x1) & (pts[:, 1] >= b.y0)
            & (pts[:, 1] <= b.y1))
    return pts[keep]


def _all_rows_visible(legend: Legend) -> list[Any]:
    """Make hidden legend rows visible for measuring; returns them to hide again."""
    hidden = [r for r in getattr(legend, "_glmlearn_rows", ()) if not r.get_visible()]
    for r in hidden:
        r.set_visible(True)
    return hidden


def _free_position(legend: Legend, r: RendererBase, hard: Array, soft: Array,
                   margin: float, candidates: Sequence[str] = CANDIDATES) -> str | None:
    """The first candidate inside the axes covering none of ``hard`` (fewest ``soft``)."""
    ax = legend.axes
    inner = ax.bbox
    best: tuple[int, int, str] | None = None
    for i, loc in enumerate(candidates):
        legend.set_loc(loc)  # type: ignore[arg-type]
        box = legend.get_window_extent(r)
        if (box.x0 < inner.x0 - 0.5 or box.x1 > inner.x1 + 0.5 or box.y0 < inner.y0 - 0.5
                or box.y1 > inner.y1 + 0.5):
            continue  # wider or taller than the axes
        if _inside(hard, box, margin):
            continue
        score = (_inside(soft, box, margin), i, loc)
        if best is None or score < best:
            best = score
    return None if best is None else best[2]


def _px_per_point(ax: Any) -> float:
    fig = ax.get_figure(root=True)
    return float(fig.dpi) / 72.0 if fig is not None else 1.0


def _pad_px(legend: Legend) -> float:
    """The pad matplotlib leaves between a legend at a named position and the axes'
    edge, in pixels."""
    return (float(legend.borderaxespad) * float(legend.prop.get_size_in_points())
            * _px_per_point(legend.axes))


#: Positions tried per axis by :func:`_free_spot` (a legend a few pixels from the next).
GRID = 24


def _free_spot(legend: Legend, r: RendererBase, hard: Array, soft: Array, margin: float
               ) -> str:
    """Put ``legend`` at the free spot of a :data:`GRID` x :data:`GRID` grid of positions
    inside the axes (covering none of ``hard``; fewest ``soft``, then nearest an edge);
    if none is free, at the spot covering the fewest of ``hard``. Returns ``"spot"``, or
    ``"covering"`` for the latter.

    For a legend nearly as large as its axes, where the named positions of
    :data:`CANDIDATES` may all cover the data while a gap between them does not.
    """
    ax = legend.axes
    inner = ax.bbox
    legend.set_loc("lower left")
    box = legend.get_window_extent(r)
    pad = _pad_px(legend)
    room_x = max(inner.width - box.width - 2 * pad, 0.0)
    room_y = max(inner.height - box.height - 2 * pad, 0.0)
    best: tuple[tuple[int, ...], float, float] | None = None
    for fx in np.linspace(0.0, 1.0, GRID):
        for fy in np.linspace(0.0, 1.0, GRID):
            spot = Bbox.from_bounds(inner.x0 + pad + fx * room_x, inner.y0 + pad + fy * room_y,
                                    box.width, box.height)
            covered = _inside(hard, spot, margin)
            edge = round(min(fx, 1 - fx) + min(fy, 1 - fy), 6)  # 0 in a corner
            score = (covered, _inside(soft, spot, margin), int(edge * 1000))
            if best is None or score < best[0]:
                best = (score, float(fx), float(fy))
    assert best is not None
    (covered, *_), fx, fy = best
    x0, y0 = inner.x0 + pad + fx * room_x, inner.y0 + pad + fy * room_y
    # Anchored, like a named position, at the spot's corner nearest the axes' edges: a
    # legend showing fewer rows than were measured (rows hidden at some states) shrinks
    # toward that edge and stays inside the box measured free, never toward the data.
    # (No room along an axis: the spot is the only one, anchored left or at the top.)
    fx = fx if room_x > 0 else 0.0
    fy = fy if room_y > 0 else 1.0
    corner = f"{'upper' if fy >= 0.5 else 'lower'} {'right' if fx >= 0.5 else 'left'}"
    inv = ax.transAxes.inverted()
    (u0, v0), (u1, v1) = inv.transform([[x0 - pad, y0 - pad],
                                        [x0 + box.width + pad, y0 + box.height + pad]])
    legend.set_loc(corner)  # type: ignore[arg-type]
    legend.set_bbox_to_anchor((float(u0), float(v0), float(u1 - u0), float(v1 - v0)),
                              transform=ax.transAxes)
    return "covering" if covered else "spot"


def _crowd_display(ax: Any, crowd: Crowd) -> tuple[Array, Array]:
    hard = np.vstack([np.empty((0, 2)), *(_display(ax, p) for p in crowd.points),
                      *(_sample(_display(ax, ln)) for ln in crowd.lines)])
    soft = np.vstack([np.empty((0, 2)), *(_sample(_display(ax, ln)) for ln in crowd.soft)])
    return _in_axes(hard, ax), _in_axes(soft, ax)


#: The axes size (points) the room at the top is computed for: a 5 x 4 inch panel's at
#: font.size 10, scaled with the legend's font size.
NOMINAL = (280.0, 210.0)


def _raise_top_nominal(ax: Any, legend: Legend, r: RendererBase, crowd: Crowd,
                       margin_pt: float) -> bool:
    """On a nominal panel, if no candidate is free, raise the top; True if raised."""
    fig = ax.get_figure(root=True)
    px = fig.dpi / 72.0
    box = legend.get_window_extent(r)
    # the nominal panel grows with the text (font.size 10: 5 x 4 inches)
    scale = float(legend.prop.get_size_in_points()) / 10.0
    nominal = (NOMINAL[0] * scale, NOMINAL[1] * scale)
    w, h = box.width / px / nominal[0], box.height / px / nominal[1]
    pad = float(legend.borderaxespad) * float(legend.prop.get_size_in_points())  # points
    pu, pv = pad / nominal[0], pad / nominal[1]
    mu, mv = margin_pt / nominal[0], margin_pt / nominal[1]
    if w + 2 * pu > 1 or h + 2 * pv > 0.5:
        return False
    to_frac = ax.transScale + ax.transLimits
    pts = [to_frac.transform(p) for p in crowd.points if p.size]
    pts += [to_frac.transform(ln) for ln in crowd.lines if ln.size]
    frac = np.vstack([np.empty((0, 2)), *pts])
    # lines: sample densely in fraction space (about 1/300 of the panel)
    lines = [_sample(to_frac.transform(ln), step=1 / 300) for ln in crowd.lines if ln.size]
    frac = np.vstack([frac, *lines])
    frac = frac[np.all(np.isfinite(frac), axis=1)]
    frac = frac[(frac[:, 0] >= 0) & (frac[:, 0] <= 1) & (frac[:, 1] >= 0) & (frac[:, 1] <= 1)]
    spots = {"upper right": (1 - pu - w, 1 - pv - h), "upper left": (pu, 1 - pv - h),
             "lower right": (1 - pu - w, pv), "lower left": (pu, pv),
             "center right": (1 - pu - w, 0.5 - h / 2), "center left": (pu, 0.5 - h / 2),
             "upper center": (0.5 - w / 2, 1 - pv - h), "lower center": (0.5 - w / 2, pv)}
    for u0, v0 in spots.values():
        inside = ((frac[:, 0] >= u0 - mu) & (frac[:, 0] <= u0 + w + mu)
                  & (frac[:, 1] >= v0 - mv) & (frac[:, 1] <= v0 + h + mv))
        if not inside.any():
            return False  # a free spot on the nominal panel: no room needed
    need = 1.15 * (h + 2 * pv + mv)
    tr = ax.yaxis.get_transform()
    lo, hi = tr.transform(np.array(ax.get_ylim(), float))
    ax.set_ylim(*tr.inverted().transform(np.array([lo, lo + (hi - lo) / (1 - need)])))
    return True


#: Steps by which :func:`_raise_top` tries raising the top, up to a whole legend's strip.
RAISE_STEPS = 8


def _raise_top(ax: Any, legend: Legend, r: RendererBase, crowd: Crowd, margin: float
               ) -> str | None:
    """Raise the top of ``ax``'s y-axis, from the limits it has, by the least of
    :data:`RAISE_STEPS` steps that frees a candidate position for ``legend``; the last
    step makes a strip as tall as the legend (with its pad and ``margin``, in pixels)
    above all that was drawn. Returns the position freed, or None (limits unchanged)
    when even that strip frees none, would take most of the panel, or the legend is
    wider than the axes.

    The legend is measured on the axes as laid out: in a panel smaller than the nominal
    one (:func:`_raise_top_nominal`), a legend nearly as wide as its axes.
    """
    box = legend.get_window_extent(r)
    pad = _pad_px(legend)
    strip = 1.1 * (box.height + 2 * pad + margin) / ax.bbox.height
    if strip > 0.6 or box.width + 2 * pad > ax.bbox.width:
        return None  # the strip would take most of the panel, or the legend is too wide
    ylim = ax.get_ylim()
    tr = ax.yaxis.get_transform()
    lo, hi = tr.transform(np.array(ylim, float))
    for step in range(1, RAISE_STEPS + 1):
        need = strip * step / RAISE_STEPS  # the fraction of the panel left free on top
        ax.set_ylim(*tr.inverted().transform(np.array([lo, lo + (hi - lo) / (1 - need)])))
        hard, soft = _crowd_display(ax, crowd)
        chosen = _free_position(legend, r, hard, soft, margin)
        if chosen is not None:
            return chosen
    ax.set_ylim(*ylim)
    return None


def place_legend(legend: Legend, crowd: Crowd, renderer: RendererBase | None = None, *,
                 outside: bool = False, again: bool = False) -> str:
    """Move ``legend`` to the first candidate position where it covers nothing of
    ``crowd``; if there is none, make room at the top (``crowd.grow``) or go outside
    the axes, to the right. Returns the position chosen (``"outside"`` for the latter).
    ``outside=True`` puts it outside without trying (after a layout that made room).
    ``again=True`` (after a layout): room made at the top on the nominal panel is
    decided once, when the panel is drawn, so a panel's limits are those its ``draw_*``
    sets, in a figure laid out or not -- unless the panel was laid out too small for
    its legend, which is then nearly as wide as the axes and cannot go beside them:
    the top is raised further, from the limits drawn, on the axes as laid out
    (:func:`_raise_top`). Either way the limits depend on the trace and the layout,
    never on the state shown.
    """
    legend._glmlearn_crowd = crowd  # type: ignore[attr-defined]  # for place_legends
    ax = legend.axes
    fig = ax.get_figure(root=True)
    assert fig is not None
    r = renderer if renderer is not None else _renderer(fig)
    px = fig.dpi / 72.0
    margin = 4.0 * px  # about a marker's radius: a marker's edge stays clear too
    hidden = _all_rows_visible(legend)
    try:
        legend.set_bbox_to_anchor(None)
        legend.set_in_layout(False)
        # start from the limits drawn, whatever an earlier pass raised
        if (crowd.make_room or (crowd.grow and again)) and crowd.drawn_ylim is not None:
            ax.set_ylim(*crowd.drawn_ylim)
        if crowd.make_room and crowd.drawn_ylim is None:
            crowd.drawn_ylim = ax.get_ylim()
        hard, soft = _crowd_display(ax, crowd)
        chosen = None if outside else _free_position(legend, r, hard, soft, margin)
        if crowd.grow and not (outside or again):
            # Whether to make room at the top, and how much, is decided on a nominal
            # panel (NOMINAL points), not on the axes' size now: a panel's limits are
            # then the same in any figure, laid out or not (update == draw).
            if _raise_top_nominal(ax, legend, r, crowd, margin / px):
                hard, soft = _crowd_display(ax, crowd)
            chosen = _free_position(legend, r, hard, soft, margin)
            crowd.drawn_ylim = ax.get_ylim()
        wide = legend.get_window_extent(r).width > 0.6 * ax.bbox.width
        if chosen is None and not outside and (crowd.make_room
                                               or (crowd.grow and again and wide)):
            # A legend that cannot go beside its axes (nearly as wide as they are, in a
            # panel laid out smaller than the nominal one; or at the figure's edge):
            # raise the top, on the axes as they are, rather than cover the data.
            # (Each pass starts again from the limits drawn: the room follows the
            # layout, never the state shown.)
            chosen = _raise_top(ax, legend, r, crowd, margin)
            hard, soft = _crowd_display(ax, crowd)
        if chosen is None and (outside or not wide):
            chosen = "outside"
            legend.set_loc("upper left")
            legend.set_bbox_to_anchor((1.02, 1.0), transform=ax.transAxes)
            legend.set_in_layout(True)
        elif chosen is None:
            # A figure too small for the legend beside its axes: any free spot inside,
            # not only the named ones; failing that, the least covered one.
            chosen = _free_spot(legend, r, hard, soft, margin)
        else:
            legend.set_loc(chosen)  # type: ignore[arg-type]
        # The region the legend paints, relative to its axes: its reach as a moving
        # artist (see _blit.py) and nothing else (a legend does not clip its contents).
        box = legend.get_window_extent(r)
        inv = ax.transAxes.inverted()
        (u0, v0), (u1, v1) = inv.transform([[box.x0 - 2, box.y0 - 2], [box.x1 + 2, box.y1 + 2]])
        legend.set_clip_box(TransformedBbox(Bbox.from_extents(u0, v0, u1, v1), ax.transAxes))
        legend.set_clip_on(True)
    finally:
        for row in hidden:
            row.set_visible(False)
    legend._glmlearn_loc = chosen  # type: ignore[attr-defined]
    return chosen


def _crowded_legends(fig: Figure) -> list[Legend]:
    out = []
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None and getattr(legend, "_glmlearn_crowd", None) is not None:
            out.append(legend)
    return out


def place_legends(fig: Figure, renderer: RendererBase | None = None, *,
                  keep_outside: bool = False) -> bool:
    """Place again every legend of ``fig`` that has a crowd (after a layout).

    ``keep_outside``: a legend already outside its axes stays there (the layout made
    room for it). Returns whether some legend moved to or from outside its axes (the
    layout must then be computed again).
    """
    r = renderer if renderer is not None else _renderer(fig)
    changed = False
    for legend in _crowded_legends(fig):
        before = getattr(legend, "_glmlearn_loc", None)
        after = place_legend(legend, legend._glmlearn_crowd, r,  # type: ignore[attr-defined]
                             outside=keep_outside and before == "outside", again=True)
        changed |= (before == "outside") != (after == "outside")
    return changed


def layout_and_place(fig: Figure, engine: Any) -> None:
    """Lay ``fig`` out with ``engine`` and place its legends for the axes' sizes.

    First with every legend inside its axes (out of the layout); a legend that finds no
    free position then goes outside, the layout makes room for it, and the others are
    placed again for their new sizes.
    """
    legends = _crowded_legends(fig)
    for legend in legends:
        legend.set_bbox_to_anchor(None)
        legend.set_in_layout(False)
        legend._glmlearn_loc = None  # type: ignore[attr-defined]
    engine.execute(fig)
    r = _renderer(fig)
    changed = place_legends(fig, r)
    for _ in range(4):
        if not changed:
            return
        # Laid out with every row shown: the layout is the same whichever state is shown.
        hidden = [row for legend in legends for row in _all_rows_visible(legend)]
        try:
            engine.execute(fig)
        finally:
            for row in hidden:
                row.set_visible(False)
        changed = place_legends(fig, r, keep_outside=True)


def legend_rows(legend: Legend) -> dict[str, Any]:
    """``{entry label: its row}`` of ``legend``: the box holding one handle and text.

    Hiding a row (``set_visible(False)``) takes it out of the legend, which packs only
    its visible children (public ``OffsetBox.get_children`` walked down to the row).
    """
    by_text = {id(t): t.get_text() for t in legend.get_texts()}
    rows: dict[str, Any] = {}

    def walk(box: Any) -> None:
        for child in box.get_children():
            kids = child.get_children() if hasattr(child, "get_children") else []
            texts = [k for k in kids if hasattr(k, "get_children")
                     and any(id(t) in by_text for t in k.get_children())]
            if texts and len(kids) == 2:
                label = next(by_text[id(t)] for t in texts[0].get_children() if id(t) in by_text)
                rows[label] = child
            elif child is not legend and hasattr(child, "get_children") and kids:
                walk(child)

    walk(legend)
    legend._glmlearn_rows = tuple(rows.values())  # type: ignore[attr-defined]
    return rows
