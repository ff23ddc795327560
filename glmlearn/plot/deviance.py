r"""The deviance panel: :math:`D^{(k)}` of every iteration, the current one marked."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .._irls import IRLSState
from ._common import Trace, _pad, _range, as_trace
from ._panel import Panel
from ._style import _C, _corner_text, _style_axes

__all__ = ["DevianceArtists", "draw_deviance", "update_deviance"]


@dataclass(frozen=True, eq=False)
class DevianceArtists(Panel):
    """Artists of the deviance panel (from :func:`draw_deviance`).

    Attributes
    ----------
    ax : Axes
    line : Line2D
        :math:`(k, D^{(k)})` for every iteration.
    marker : Line2D
        The current iteration, at :math:`(k, D^{(k)})`.
    label : Text
    """

    ax: Axes
    line: Line2D
    marker: Line2D
    label: Text

    @property
    def moving(self) -> tuple[Artist, ...]:
        return (self.marker, self.label)

    def update(self, state: IRLSState) -> None:
        """Move the deviance marker to ``state`` (no redraw)."""
        self.marker.set_data([state.iteration], [state.deviance])
        halved = f", {state.step_halvings} halvings" if state.step_halvings else ""
        stalled = " (stalled)" if state.stalled else ""
        self.label.set_text(f"D = {state.deviance:.6g}{halved}{stalled}")


def draw_deviance(ax: Axes, state: IRLSState, *, trace: Trace) -> DevianceArtists:
    r"""Draw the deviance :math:`D^{(k)}` of every iteration, marking ``state``'s.

    Parameters
    ----------
    ax : Axes
    state : IRLSState
    trace : GLMResult or sequence of IRLSState

    Returns
    -------
    DevianceArtists

    Notes
    -----
    With R's default start the deviance at iteration 0 is that of the starting means,
    which are pulled towards the data and can be *smaller* than the final deviance.
    """
    tr = as_trace(trace)
    k = np.array([s.iteration for s in tr], dtype=float)
    d = np.array([s.deviance for s in tr], dtype=float)
    (line,) = ax.plot(k, d, "-o", color=_C["blue"], linewidth=1.5, markersize=4)
    (marker,) = ax.plot([], [], "o", color=_C["vermillion"], markersize=10, zorder=5)
    ax.set_xlim(k[0] - 0.3, k[-1] + 0.3)
    ax.set_ylim(*_pad(*_range(d), 0.08))
    _style_axes(ax, "Deviance", "iteration k", "deviance D", integer_x=True)
    label = _corner_text(ax, where="upper right")
    art = DevianceArtists(ax=ax, line=line, marker=marker, label=label)
    art.update(state)
    return art


def update_deviance(artists: DevianceArtists, state: IRLSState) -> None:
    """Move the deviance marker to ``state`` (no redraw): ``artists.update(state)``."""
    artists.update(state)
