"""The path panel's legend hides nothing it explains, in the IRLS explorer's small panel.

The explorer's figure (11.5 x 6.4 inches at 80 dpi, six panels) leaves the path panel
about 200 x 160 pixels, in the figure's last column: no room beside it, and a legend of
four rows that covers half of it. Measured in display coordinates on the figure as the
explorer draws it (with the quadratic model's overlay on and off, at k = 0 and k = 1):
the legend's box holds no point of the dashed step, no iterate, no marked point.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

import glmlearn
import glmlearn.plot as gp
from glmlearn.widgets._data import explorer_data

#: The explorer's figure (``IRLSExplorer``'s defaults).
FIGSIZE, DPI = (11.5, 6.4), 80


def _fit(name: str) -> tuple[glmlearn.GLMResult, object]:
    d = explorer_data(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", glmlearn.GLMWarning)
        res = glmlearn.fit(d.X, d.y, d.families[0], weights=d.weights, offset=d.offset,
                           start=d.start_beta(d.start), column_names=list(d.column_names))
    return res, d.x


def _samples(xy: np.ndarray, per_segment: int = 40) -> np.ndarray:
    """Points along a polyline (display units), ends included."""
    xy = xy[np.all(np.isfinite(xy), axis=1)]
    if len(xy) < 2:
        return xy
    t = np.linspace(0.0, 1.0, per_segment)[:, None]
    return np.vstack([a + (b - a) * t for a, b in itertools.pairwise(xy)])


def _inside(pts: np.ndarray, box: object) -> np.ndarray:
    return pts[(pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1)  # type: ignore[attr-defined]
               & (pts[:, 1] >= box.y0) & (pts[:, 1] <= box.y1)]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["pass_fail", "doctors"])
def test_path_legend_covers_no_step_iterate_or_minimum(name: str) -> None:
    res, x = _fit(name)
    checked = 0
    for quadratic in (False, True):
        fig, panels = gp.explorer_figure(res, 0, x=x, figsize=FIGSIZE, dpi=DPI,
                                         panel_kw={"path": {"quadratic": quadratic}})
        art = panels["path"]
        canvas = FigureCanvasAgg(fig)
        for k in (0, 1):
            gp.update_all(panels, res.trace[k])
            canvas.draw()
            box = art.ax.get_legend().get_window_extent(canvas.get_renderer())
            to_px = art.ax.transData.transform
            marks = {"step": _samples(to_px(art.step.get_xydata())),
                     "iterates": _samples(to_px(art.path.get_xydata())),
                     "current": to_px(art.current.get_xydata())}
            if quadratic:
                marks["minimum of Q_k"] = to_px(art.model_minimum.get_xydata())
                marks["halving segment"] = _samples(to_px(art.model_join.get_xydata()))
            for what, pts in marks.items():
                pts = pts[np.all(np.isfinite(pts), axis=1)]
                # a marker is ~5 px in radius at this dpi: its centre stays 5 px clear
                grown = box.expanded(1.0, 1.0).padded(5.0 if what != "step" else 0.0)
                hidden = _inside(pts, grown)
                assert hidden.size == 0, (name, quadratic, k, what, "under the legend",
                                          hidden[:3], box)
                checked += len(pts)
            # and the legend stays inside its panel
            ab = art.ax.bbox
            assert box.x0 >= ab.x0 - 1 and box.x1 <= ab.x1 + 1
            assert box.y0 >= ab.y0 - 1 and box.y1 <= ab.y1 + 1
    assert checked > 50  # the step and the iterates were there to be checked
