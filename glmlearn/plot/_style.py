"""Style of every glmlearn figure: the Okabe--Ito palette, font sizes, labels, legends."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

from .._arrays import Array

# --- style ------------------------------------------------------------------------------

#: The Okabe--Ito palette (Okabe & Ito 2008), safe for the common colour-vision deficiencies.
OKABE_ITO: Mapping[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
_C = OKABE_ITO
_CYCLE = ("blue", "vermillion", "green", "orange", "purple", "sky_blue", "black", "yellow")


@dataclass(frozen=True)
class FontSizes:
    """Font sizes (points) of every glmlearn figure: at least 10 pt, readable on a
    projector.

    Attributes
    ----------
    title : float
        Panel titles.
    label : float
        Axis labels.
    tick : float
        Tick labels and legends.
    text : float
        Text in a panel (the corner labels).
    """

    title: float = 12
    label: float = 11
    tick: float = 10
    text: float = 10


#: The font sizes of glmlearn's figures, set here only: the panels, :func:`plot_style`
#: and any other figure of the package read them from this object.
FONT_SIZES = FontSizes()
_F = FONT_SIZES

_RC: dict[Any, Any] = {
    "font.size": _F.tick,
    "axes.titlesize": _F.title,
    "axes.labelsize": _F.label,
    "xtick.labelsize": _F.tick,
    "ytick.labelsize": _F.tick,
    "legend.fontsize": _F.tick,
    "axes.prop_cycle": cycler(color=[_C[c] for c in _CYCLE]),
    "image.cmap": "cividis",
}


@contextmanager
def plot_style() -> Iterator[None]:
    """Context in which matplotlib uses glmlearn's palette and font sizes.

    The global ``rcParams`` are restored on exit. The ``draw_*`` functions do not need
    it (they pass colours and sizes explicitly); it is for figures of your own.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with plot_style():
    ...     fig, ax = plt.subplots()
    """
    with mpl.rc_context(_RC):
        yield


def _style_axes(ax: Axes, title: str, xlabel: str, ylabel: str, *, integer_x: bool = False
                ) -> None:
    # An explicit y skips matplotlib's search for top tick labels on every draw (none here).
    ax.set_title(title, fontsize=_F.title, y=1.0)
    ax.set_xlabel(xlabel, fontsize=_F.label)
    ax.set_ylabel(ylabel, fontsize=_F.label)
    ax.tick_params(labelsize=_F.tick)
    # At most about 5 ticks: enough to read values off, and every tick label is text that
    # each redraw renders glyph by glyph (the largest part of a frame's cost).
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=integer_x))
    if ax.get_yscale() == "linear":
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5))


def _corner_text(ax: Axes, s: str = "", where: Literal["upper left", "upper right"] = "upper left"
                 ) -> Text:
    x, ha = (0.03, "left") if where == "upper left" else (0.97, "right")
    # A white box keeps the text readable over data; bbox alpha so points stay visible.
    text = ax.text(x, 0.96, s, transform=ax.transAxes, ha=ha, va="top", fontsize=_F.text,
                   bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "alpha": 0.8,
                         "edgecolor": "none"})
    # Its content changes with the state; the layout must not (see _legend). A label too
    # long for its panel is cut at the panel's edge rather than drawn over its neighbour
    # (which also keeps every moving artist inside its panel, see _blit.py).
    text.set_in_layout(False)
    text.set_clip_path(ax.patch)
    text.set_clip_on(True)
    return text


def _beta_text(beta: Any, max_shown: int = 3) -> str:
    """Coefficients for a corner label: all of them for p <= 3, else the first two and p."""
    vals = [f"{v:.4g}" for v in beta]
    if len(vals) > max_shown:
        return f"({vals[0]}, {vals[1]}, … {len(vals)} in all)"
    return f"({', '.join(vals)})"


Corner: TypeAlias = Literal["upper left", "upper right", "lower left", "lower right"]


def _emptiest_corner(ax: Axes, x: Array, y: Array) -> Corner:
    """The corner of ``ax`` (at its current limits) with the fewest of the points (x, y)."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    with np.errstate(all="ignore"):
        u, v = (x - x0) / (x1 - x0), (y - y0) / (y1 - y0)
    left, low = u < 0.45, v < 0.4
    high = v > 0.6
    right = u > 0.55
    counts: dict[Corner, int] = {
        "lower right": int(np.count_nonzero(right & low)),
        "upper left": int(np.count_nonzero(left & high)),
        "lower left": int(np.count_nonzero(left & low)),
        "upper right": int(np.count_nonzero(right & high)),
    }
    return min(counts, key=lambda c: counts[c])  # ties: the order above


def _legend(ax: Axes, loc: Literal["best"] | Corner) -> None:
    # Out of the layout: the layout is then the same whichever state a figure starts at,
    # so an animation's frames equal figures drawn directly at each state.
    ax.legend(loc=loc, fontsize=_F.tick, framealpha=0.8).set_in_layout(False)


def _marker_size(n: int) -> float:
    # Many points overlap: shrink them so the cloud stays readable (points, not area).
    return float(np.clip(6.0 * np.sqrt(200.0 / max(n, 1)), 2.0, 6.0))


def _marker_alpha(n: int) -> float:
    return float(np.clip(np.sqrt(300.0 / max(n, 1)), 0.25, 0.8))
