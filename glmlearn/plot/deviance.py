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
from ._place import Crowd
from ._style import _C, _label_lines, _legend, _state_label, _style_axes, _with_start

__all__ = ["DevianceArtists", "draw_deviance", "update_deviance"]


@dataclass(frozen=True, eq=False)
class DevianceArtists(Panel):
    """Artists of the deviance panel (from :func:`draw_deviance`).

    Attributes
    ----------
    ax : Axes
    line : Line2D
        :math:`(k, D^{(k)})` for every iteration.
        (From iteration 1 when iteration 0 is R's starting guess.)
    marker : Line2D
        The current iteration, at :math:`(k, D^{(k)})` (hollow at a starting guess).
    label : Text
    start : Line2D or None
        The deviance of R's starting means at iteration 0, hollow: not a model's.
    """

    ax: Axes
    line: Line2D
    marker: Line2D
    label: Text
    start: Line2D | None = None

    @property
    def moving(self) -> tuple[Artist, ...]:
        return (self.marker, self.label)

    def update(self, state: IRLSState) -> None:
        """Move the deviance marker to ``state`` (no redraw)."""
        self.marker.set_data([state.iteration], [state.deviance])
        # At a starting guess the marker is hollow, like that point of the trace.
        guess = state.iteration == 0 and state.beta is None
        self.marker.set_markerfacecolor("white" if guess else _C["vermillion"])
        halved = f", {state.step_halvings} halvings" if state.step_halvings else ""
        stalled = " (stalled)" if state.stalled else ""
        self.label.set_text(_with_start(f"D = {state.deviance:.6g}{halved}{stalled}", state))


def draw_deviance(ax: Axes, state: IRLSState, *, trace: Trace, legend: bool = True
                  ) -> DevianceArtists:
    r"""Draw the deviance :math:`D^{(k)}` of every iteration, marking ``state``'s.

    Parameters
    ----------
    ax : Axes
    state : IRLSState
    trace : GLMResult or sequence of IRLSState
    legend : bool
        Say in a legend that the point at iteration 0 is a starting guess (drawn only
        for a trace from R's starting means).

    Returns
    -------
    DevianceArtists

    Notes
    -----
    With R's default start the deviance at iteration 0 is that of the starting means,
    which are pulled towards the data and can be *smaller* than the final deviance: it
    is not the deviance of a model. That point is drawn hollow and grey, apart from the
    line through the deviances of the iterates, and its label says so.
    """
    tr = as_trace(trace)
    k = np.array([s.iteration for s in tr], dtype=float)
    d = np.array([s.deviance for s in tr], dtype=float)
    # With R's starting means, D at k = 0 is that of the guess mu0, not of any beta: it
    # is drawn apart (hollow, grey, not joined to the fits' deviances) and says so.
    guess = tr[0].iteration == 0 and tr[0].beta is None
    i0 = 1 if guess else 0
    (line,) = ax.plot(k[i0:], d[i0:], "-o", color=_C["blue"], linewidth=1.5, markersize=4,
                      label="D⁽ᵏ⁾ of β⁽ᵏ⁾")
    start = None
    if guess:
        (start,) = ax.plot(k[:1], d[:1], "o", color=_C["black"], alpha=0.6, markerfacecolor="white",
                           markersize=7, markeredgewidth=1.5, zorder=4,
                           label="k = 0: starting guess,\nnot comparable")
    (marker,) = ax.plot([], [], "o", color=_C["vermillion"], markersize=10, zorder=5,
                        markeredgewidth=2)
    ax.set_xlim(k[0] - 0.3, k[-1] + 0.3)
    ax.set_ylim(*_pad(*_range(d), 0.08))
    _style_axes(ax, "Deviance", "iteration k", "deviance D", integer_x=True)
    label = _state_label(ax, _label_lines(tr, state))
    if legend and guess:
        crowd = Crowd(grow=True)
        crowd.add_line(k[i0:], d[i0:])
        crowd.add_points(k, d)
        _legend(ax, crowd=crowd)
    art = DevianceArtists(ax=ax, line=line, marker=marker, label=label, start=start)
    art.update(state)
    return art


def update_deviance(artists: DevianceArtists, state: IRLSState) -> None:
    """Move the deviance marker to ``state`` (no redraw): ``artists.update(state)``."""
    artists.update(state)
