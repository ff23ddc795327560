"""Constrained layout computed once per size, instead of on every draw.

Upstream behaviour worked around: a figure with matplotlib's ``ConstrainedLayoutEngine``
runs the whole layout solver in every ``Figure.draw`` (``Figure.draw`` calls
``get_layout_engine().execute(self)``), and there is no option to keep its result while
only the data move. For the explorer figure that is a large part of each frame. Here the
engine runs once, the figure's engine is set to ``"none"`` (the axes keep the positions
it gave them), and a ``resize_event`` handler runs it once more when the canvas changes
size (a widget dragged larger).

Seen on matplotlib 3.11.2 (and every 3.x with ``set_layout_engine``, 3.6 on). Pinned by
``tests/test_plot.py::test_explorer_panels_and_options`` (the engine is off after
drawing), ``test_explorer_into_a_given_figure_twice`` (a figure cleared and drawn into
again keeps one resize handler) and ``test_frame_renderer_frames_equal_full_draws``
(a resize lays the figure out again).
"""

from __future__ import annotations

import weakref

from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine, LayoutEngine

from ._place import layout_and_place

__all__ = ["freeze_layout"]

# The resize handler of each frozen figure, so that a figure cleared and laid out again
# replaces its handler instead of adding one. Keyed weakly: it does not keep figures alive.
_RELAYOUT_CID: weakref.WeakKeyDictionary[Figure, int] = weakref.WeakKeyDictionary()


def _layout_and_place(fig: Figure, engine: LayoutEngine) -> None:
    """Lay out, then place the legends for the axes' new sizes (``_place.py``)."""
    layout_and_place(fig, engine)


def freeze_layout(fig: Figure) -> None:
    """Run ``fig``'s layout engine once, then switch it off until the canvas is resized.

    The legends are placed again after each layout. A figure without a layout engine is
    left as it is.
    """
    engine = fig.get_layout_engine()
    if engine is None:
        return
    _layout_and_place(fig, engine)
    fig.set_layout_engine("none")
    old = _RELAYOUT_CID.pop(fig, None)
    if old is not None:
        fig.canvas.mpl_disconnect(old)
    relayout = ConstrainedLayoutEngine()
    _RELAYOUT_CID[fig] = fig.canvas.mpl_connect(
        "resize_event", lambda _event: _layout_and_place(fig, relayout))
