"""Style of every glmlearn figure: the Okabe--Ito palette, font sizes, labels, legends."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import BboxBase, ScaledTranslation

from .._arrays import Array

if TYPE_CHECKING:
    from ._place import Crowd

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
    """Font sizes (points) of every glmlearn figure at matplotlib's default
    ``font.size`` of 10: at least 10 pt, readable on a projector.

    :data:`FONT_SIZES` scales them with ``rcParams["font.size"]`` when it is read, so
    ``with matplotlib.rc_context({"font.size": 20}):`` draws every glmlearn figure with
    text twice as large (see also :func:`slide_style`).

    Attributes
    ----------
    title : float
        Panel titles (1.2 x ``font.size``).
    label : float
        Axis labels (1.1 x ``font.size``).
    tick : float
        Tick labels and legends (1.0 x ``font.size``).
    text : float
        Text in a panel: the iteration labels (1.0 x ``font.size``).
    """

    title: float = 12
    label: float = 11
    tick: float = 10
    text: float = 10


_BASE_FONT_SIZE = 10.0  # matplotlib's default font.size, at which FontSizes() holds


@dataclass(frozen=True)
class _RcFontSizes(FontSizes):
    """:class:`FontSizes` scaled by ``rcParams["font.size"] / 10`` at each read."""

    def __getattribute__(self, name: str) -> Any:
        value = object.__getattribute__(self, name)
        if name in ("title", "label", "tick", "text"):
            return value * float(mpl.rcParams["font.size"]) / _BASE_FONT_SIZE
        return value


#: The font sizes of glmlearn's figures, set here only: the panels, :func:`plot_style`
#: and any other figure of the package read them from this object, when they draw. Its
#: values follow ``rcParams["font.size"]`` (12, 11, 10 and 10 pt at the default 10).
FONT_SIZES: FontSizes = _RcFontSizes()
_F = FONT_SIZES


def _rc() -> dict[Any, Any]:
    """glmlearn's rc settings for the ``font.size`` in force now."""
    return {
        "font.size": _F.tick,
        "axes.titlesize": _F.title,
        "axes.labelsize": _F.label,
        "xtick.labelsize": _F.tick,
        "ytick.labelsize": _F.tick,
        "legend.fontsize": _F.tick,
        "axes.prop_cycle": cycler(color=[_C[c] for c in _CYCLE]),
        "image.cmap": "cividis",
    }


#: The rc settings at the default ``font.size`` (see :func:`_rc` for the current one).
_RC: dict[Any, Any] = _rc()


@contextmanager
def plot_style() -> Iterator[None]:
    """Context in which matplotlib uses glmlearn's palette and font sizes.

    The global ``rcParams`` are restored on exit. The ``draw_*`` functions do not need
    it (they pass colours and sizes explicitly); it is for figures of your own. The
    sizes follow the ``font.size`` in force when the context is entered.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with plot_style():
    ...     fig, ax = plt.subplots()
    """
    with mpl.rc_context(_rc()):
        yield


#: ``font.size`` of :func:`slide_style` (1.6 x the default): readable from the back of
#: a lecture room on a 16:9 slide.
SLIDE_FONT_SIZE = 16.0


@contextmanager
def slide_style(scale: float | None = None) -> Iterator[None]:
    """Context for pictures on slides: every glmlearn figure drawn in it has larger text.

    Parameters
    ----------
    scale : float, optional
        Text size relative to the default (``font.size`` 10 pt); default 1.6, i.e.
        :data:`SLIDE_FONT_SIZE`.

    Examples
    --------
    >>> with slide_style():                                   # doctest: +SKIP
    ...     fig, panels = explorer_figure(result, panels=("fit", "deviance"))
    """
    size = SLIDE_FONT_SIZE if scale is None else _BASE_FONT_SIZE * float(scale)
    if not size > 0:
        raise ValueError(f"scale: must be positive, got {scale!r}")
    with mpl.rc_context({"font.size": size}):
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


class _Above(BboxBase):
    """The strip ``height`` points tall above an axes, as wide as it (display units).

    Computed when asked, so it follows the axes through layouts and resizes: the clip
    box of a state label (and so the reach of that moving artist, see ``_blit.py``).
    """

    def __init__(self, ax: Axes, height: float) -> None:
        super().__init__()
        self._ax = ax
        self._height = height

    def get_points(self) -> np.ndarray:
        b = self._ax.bbox
        fig = self._ax.get_figure(root=True)
        h = self._height * (fig.dpi if fig is not None else 72.0) / 72.0
        return np.array([[b.x0, b.y1], [b.x1, b.y1 + h]])


#: Line height of a state label, in units of its font size (matplotlib's 1.2 spacing
#: plus room for descenders and sub/superscripts such as μ⁽⁰⁾).
_LINE = 1.3


def _state_label(ax: Axes, lines: int = 1) -> Text:
    """The text that says which state a panel shows, in a strip between title and axes.

    Outside the axes, it never covers data; the title is lifted to make room for
    ``lines`` lines (the most any state of the panel's trace needs), so the layout is
    the same whichever state is shown.
    """
    fs = _F.text
    gap = 0.25 * fs
    height = max(int(lines), 1) * _LINE * fs + gap
    ax.set_title(ax.get_title(), fontsize=_F.title, y=1.0,
                 pad=float(mpl.rcParams["axes.titlepad"]) + height)
    fig = ax.get_figure(root=True)
    assert fig is not None
    text = ax.text(0.0, 1.0, "", ha="left", va="bottom", fontsize=fs, linespacing=1.2,
                   transform=ax.transAxes + ScaledTranslation(0, gap / 72.0,
                                                              fig.dpi_scale_trans))
    # Its content changes with the state; the layout must not (see _legend). Clipped to
    # its strip, which keeps every moving artist in a known region (see _blit.py).
    text.set_in_layout(False)
    text.set_clip_box(_Above(ax, height + gap))
    text.set_clip_on(True)
    return text


def _corner_text(ax: Axes, s: str = "", where: Literal["upper left", "upper right"] = "upper left"
                 ) -> Text:
    """A state label (kept for callers of the old name; ``where`` is ignored): see
    :func:`_state_label`."""
    text = _state_label(ax)
    text.set_text(s)
    return text


def _start_note(state: Any) -> str:
    """How a label marks state 0: a starting guess, not the result of an IRLS step."""
    if state.iteration != 0:
        return ""
    if state.beta is None:
        return "k = 0: starting guess μ⁽⁰⁾, not a fit"
    return "k = 0: starting coefficients β⁽⁰⁾"


def _with_start(text: str, state: Any) -> str:
    note = _start_note(state)
    return f"{text}\n{note}" if note else text


def _label_lines(trace: Any, state: Any) -> int:
    """Lines a label of :func:`_with_start` needs over ``trace`` (or ``state`` alone)."""
    states = (state,) if trace is None else trace
    return 2 if any(s.iteration == 0 for s in states) else 1


def _coef_label(j: int, name: str) -> str:
    """``β₀ (Intercept)``, ``β₁ hours``: a coefficient and its column, no doubled brackets."""
    sub = str(j).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
    return f"β{sub} {name}" if name.startswith("(") else f"β{sub}: {name}"


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


def _legend(ax: Axes, loc: Literal["best"] | Corner | None = None, *,
            crowd: Crowd | None = None, **kwargs: Any) -> Legend:
    """A legend where it covers nothing: see :func:`glmlearn.plot._place.place_legend`.

    ``crowd`` is what the legend must not cover, in data coordinates, over every state
    the panel can show; without it the legend goes to ``loc`` (default: matplotlib's
    "best").
    """
    legend = ax.legend(loc=loc or "best", fontsize=_F.tick, framealpha=0.85, **kwargs)
    # Out of the layout while inside the axes: the layout is then the same whichever
    # state a figure starts at, so an animation's frames equal figures drawn directly.
    legend.set_in_layout(False)
    if crowd is not None:
        from ._place import place_legend

        place_legend(legend, crowd)
    return legend


def _marker_size(n: int) -> float:
    # Many points overlap: shrink them so the cloud stays readable (points, not area).
    return float(np.clip(6.0 * np.sqrt(200.0 / max(n, 1)), 2.0, 6.0))


def _marker_alpha(n: int) -> float:
    return float(np.clip(np.sqrt(300.0 / max(n, 1)), 0.25, 0.8))
