r"""The panel protocol: what every panel's artists know, and what the registry holds.

A panel is drawn once by its ``draw_<name>(ax, state, *, trace, ...)`` function, which
returns a :class:`Panel`: a frozen dataclass of the panel's artists. After that the
panel knows two things, and the explorer figure, the widgets, the animations and the
frame renderer need nothing else:

* :meth:`Panel.update` moves the artists to another state of the same trace, with
  ``set_data``, ``set_offsets``, ``set_sizes`` and ``set_text`` only. Everything that
  depends on the whole trace (axis limits, the scale of the point areas) was computed
  once by ``draw_<name>``; ``update`` reads only the state it is given. (A panel drawn
  *without* a trace has limits that follow the state; ``update`` sets them from that
  one state.)
* :attr:`Panel.moving` names the artists ``update`` may change. Every other artist of
  the panel is static, which is what lets :class:`~glmlearn.plot.FrameRenderer` render
  it once.

A :class:`PanelSpec` is a registry entry: the draw function and which traces the panel
makes sense for.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeAlias

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.text import Text

from .._irls import IRLSState

__all__ = ["DrawFunction", "Panel", "PanelSpec", "moving_artists", "update", "update_all"]


class Panel(ABC):
    """Base class of the artists of one panel (``FitArtists``, ``PathArtists``, ...).

    Subclasses are frozen dataclasses with at least the fields ``ax`` (the panel's
    axes) and ``label`` (its corner text), and implement :meth:`update` and
    :attr:`moving`.
    """

    ax: Axes
    label: Text

    @abstractmethod
    def update(self, state: IRLSState) -> None:
        """Move the panel to ``state`` in place, without drawing.

        ``draw_<panel>(ax, s_j, ...).update(s_k)`` leaves the panel exactly as
        ``draw_<panel>(ax, s_k, ...)`` draws it.
        """

    @property
    @abstractmethod
    def moving(self) -> tuple[Artist, ...]:
        """The artists :meth:`update` may change; all others are static."""


#: ``draw(ax, state, *, trace, **options) -> Panel``: how a registry entry draws its panel.
#: :func:`~glmlearn.plot.explorer_figure` passes ``trace`` to every panel, and its
#: figure-wide ``x``, ``band`` and ``legends`` (as ``legend``) to the draw functions that
#: have a keyword of that name.
DrawFunction: TypeAlias = Callable[..., "Panel"]


def _always(trace: tuple[IRLSState, ...]) -> bool:
    return True


@dataclass(frozen=True)
class PanelSpec:
    """One entry of :data:`~glmlearn.plot.PANEL_REGISTRY`.

    Attributes
    ----------
    draw : DrawFunction
        ``draw(ax, state, *, trace, **options) -> Panel``.
    applies : callable
        ``applies(trace) -> bool``: whether :func:`~glmlearn.plot.default_panels`
        includes the panel for this trace (default: always).
    """

    draw: DrawFunction
    applies: Callable[[tuple[IRLSState, ...]], bool] = field(default=_always)


def _check(panel: object, who: str) -> Panel:
    if not isinstance(panel, Panel):
        raise TypeError(f"{who}: not a glmlearn panel: {type(panel).__name__}")
    return panel


def update(artists: Panel, state: IRLSState) -> None:
    """Move any panel to ``state``: ``artists.update(state)``.

    Raises
    ------
    TypeError
        If ``artists`` is not a :class:`Panel`.
    """
    _check(artists, "update").update(state)


def update_all(panels: Mapping[str, Panel], state: IRLSState) -> None:
    """Move every panel of :func:`~glmlearn.plot.explorer_figure` to ``state``.

    It does not redraw: call ``fig.canvas.draw_idle()`` once afterwards (a widget) or let
    ``FuncAnimation`` draw the frame.
    """
    for artists in panels.values():
        update(artists, state)


def moving_artists(panel: Panel) -> tuple[Artist, ...]:
    """The artists of ``panel`` that its ``update`` may change (everything else is static).

    Parameters
    ----------
    panel : Panel
        ``FitArtists``, ``WeightsArtists``, ..., or any other :class:`Panel`.

    Returns
    -------
    tuple of Artist
        ``panel.moving``.
    """
    return tuple(_check(panel, "moving_artists").moving)
