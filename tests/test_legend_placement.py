"""No legend of the IRLS explorer's figure covers a marker of its own panel.

The explorer's figure (11.5 x 6.4 inches at 80 dpi, six panels) lays its panels out
smaller than the nominal panel a legend's room is first decided on, and a legend nearly
as wide as its panel cannot go beside it. Measured in display coordinates on the figure
as the explorer draws it (at k = 0, then moved to k = 1 as the slider does): the box of
each legend, as drawn with the rows the state shows, holds no marker of its panel -- no
data point, starting mean, working response, fitted value or iterate -- within the
marker's radius.

Cases: challenger (the fit panel's legend, shown with 2 of its 4 rows at k = 0, used to
be moved down over the data at y = 1) and dobson_counts (a legend nearly as wide as its
panel, with a curve across it from corner to corner). And the path panel's note, in
the figure's last column, ends inside the figure.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

import glmlearn
import glmlearn.plot as gp
from glmlearn.widgets._data import explorer_data
from glmlearn.widgets._irls_explorer import fit_view_options

#: The explorer's figure (``IRLSExplorer``'s defaults).
FIGSIZE, DPI = (11.5, 6.4), 80


def _explorer_figure(name: str) -> tuple[Figure, dict, glmlearn.GLMResult]:
    """The explorer's figure for ``name`` at k = 0, with its default panel choices."""
    d = explorer_data(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", glmlearn.GLMWarning)
        res = glmlearn.fit(d.X, d.y, d.families[0], weights=d.weights, offset=d.offset,
                           start=d.start_beta(d.start), column_names=list(d.column_names))
    view, x = fit_view_options(d)[0][1]  # the fit panel's menu's default
    fig, panels = gp.explorer_figure(res, 0, x=d.x, figsize=FIGSIZE, dpi=DPI,
                                     panel_kw={"fit": {"view": view, "x": x},
                                               "path": {"coefs": (0, 1)}})
    return fig, panels, res


def _markers(ax: Axes) -> list[tuple[str, np.ndarray, float]]:
    """``(label, centre, radius)`` in display pixels of every marker shown in ``ax``."""
    px = ax.get_figure(root=True).dpi / 72.0
    out = []
    for line in ax.lines:
        if not line.get_visible() or line.get_marker() in (None, "None", "", " "):
            continue
        xy = ax.transData.transform(np.asarray(line.get_xydata(), float))
        radius = float(line.get_markersize()) * px / 2
        out += [(line.get_label(), p, radius) for p in xy[np.all(np.isfinite(xy), axis=1)]]
    for coll in ax.collections:
        offsets = np.asarray(coll.get_offsets(), float)
        if not isinstance(coll, PathCollection) or not coll.get_visible() or not offsets.size:
            continue
        xy = coll.get_offset_transform().transform(offsets)
        sizes = np.broadcast_to(np.asarray(coll.get_sizes(), float), (len(xy),))
        out += [(coll.get_label(), p, float(np.sqrt(s)) * px / 2)
                for p, s in zip(xy, sizes, strict=True)]
    return out


def _drawn(fig: Figure) -> FigureCanvasAgg:
    """``fig`` drawn on an Agg canvas (one attached if it has none yet)."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    return canvas


def _covered(fig: Figure) -> tuple[list[tuple[str, str, float, float]], int]:
    """The markers under a legend of their own panel, and how many were checked."""
    r = _drawn(fig).get_renderer()
    hidden, checked = [], 0
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None or not legend.get_visible():
            continue
        box = legend.get_window_extent(r)
        for label, (x, y), radius in _markers(ax):
            checked += 1
            if (box.x0 - radius <= x <= box.x1 + radius
                    and box.y0 - radius <= y <= box.y1 + radius):
                hidden.append((ax.get_title(), label, round(x), round(y)))
    return hidden, checked


@pytest.mark.parametrize("name", ["challenger", "dobson_counts"])
def test_no_explorer_legend_covers_a_marker_of_its_panel(name: str) -> None:
    fig, panels, res = _explorer_figure(name)
    legends = [ax for ax in fig.axes if ax.get_legend() is not None]
    assert len(legends) >= 5  # fit, working response, deviance, convergence, path
    for k in (0, 1):
        if k:
            gp.update_all(panels, res.trace[k])
        hidden, checked = _covered(fig)
        assert hidden == [], (name, k, "under a legend", hidden)
        assert checked > 40  # the data and the iterates were there to be checked
    # and each legend stays inside its panel
    r = _drawn(fig).get_renderer()
    for ax in legends:
        box, ab = ax.get_legend().get_window_extent(r), ax.bbox
        assert box.x0 >= ab.x0 - 1 and box.x1 <= ab.x1 + 1, ax.get_title()
        assert box.y0 >= ab.y0 - 1 and box.y1 <= ab.y1 + 1, ax.get_title()


def test_the_challenger_fit_legend_sits_in_the_headroom_above_y_1() -> None:
    """The binomial fit panel's legend is above every observed proportion (y <= 1)."""
    fig, panels, _ = _explorer_figure("challenger")
    r = _drawn(fig).get_renderer()
    ax = panels["fit"].ax
    box = ax.get_legend().get_window_extent(r)
    top_of_data = ax.transData.transform((0.0, 1.0))[1]
    radius = panels["fit"].data.get_markersize() * DPI / 72 / 2
    assert box.y0 > top_of_data + radius


@pytest.mark.parametrize("name", ["challenger", "dobson_counts"])
def test_the_path_panel_note_ends_inside_the_figure(name: str) -> None:
    """The note above the path panel (what its contours are), in the figure's last
    column, is not cut off at the figure's right edge."""
    fig, panels, _ = _explorer_figure(name)
    r = _drawn(fig).get_renderer()
    label = panels["path"].label
    assert "dark = low" in label.get_text()
    assert label.get_window_extent(r).x1 <= fig.bbox.x1
