r"""The working-weights panel: :math:`w_i` against a predictor, :math:`\mu` or :math:`\eta`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .._irls import IRLSState
from ._common import (
    Array,
    Trace,
    XSpec,
    _optional_trace,
    _pad,
    _range,
    _resolve_x,
    _set_limits,
    _states_for_limits,
    _x_label,
)
from ._panel import Panel
from ._style import (
    _C,
    _label_lines,
    _marker_alpha,
    _marker_size,
    _state_label,
    _style_axes,
    _with_start,
)

__all__ = ["WeightsArtists", "draw_weights", "update_weights"]

Limits = tuple[tuple[float, float] | None, tuple[float, float]]


@dataclass(frozen=True, eq=False)
class WeightsArtists(Panel):
    """Artists of the working-weights panel (from :func:`draw_weights`).

    Attributes
    ----------
    ax : Axes
    points : Line2D
        :math:`(x_i, w_i)`, :math:`(\\mu_i, w_i)` or :math:`(\\eta_i, w_i)`.
    label : Text
    against : int or str
        Column index, ``"mu"`` or ``"eta"``.
    trace : tuple of IRLSState or None
        With a trace the axis limits were fixed by :func:`draw_weights`; without one
        they follow the state shown.
    """

    ax: Axes
    points: Line2D
    label: Text
    against: int | str
    trace: tuple[IRLSState, ...] | None

    @property
    def moving(self) -> tuple[Artist, ...]:
        return (self.points, self.label)

    def update(self, state: IRLSState) -> None:
        """Move the working-weights panel to ``state`` (no redraw)."""
        w = state.w
        self.points.set_data(_weights_x(self.against, state), w)
        if self.trace is None:
            _set_limits(self.ax, *_weights_limits(self.against, (state,)))
        self.label.set_text(_with_start(f"Σw = {float(np.sum(w)):.4g}", state))


def _weights_x(against: int | str, state: IRLSState) -> Array:
    if against == "mu":
        return np.asarray(state.mu)
    if against == "eta":
        return np.asarray(state.eta)
    assert isinstance(against, int)
    return np.asarray(state.problem.X[:, against])


def _weights_limits(against: int | str, states: Sequence[IRLSState]) -> Limits:
    """Axis limits that hold the weights of every state in ``states`` (x: None = keep)."""
    w_lo, w_hi = _range(*(s.w for s in states))
    top = 1.08 * w_hi if np.isfinite(w_hi) and w_hi > 0 else 1.0
    # Working weights are never negative; Newton's observed weights (method="newton") can
    # be, and then the axis goes below zero to show them.
    bottom = 1.08 * w_lo if np.isfinite(w_lo) and w_lo < 0 else 0.0
    ylim = (bottom, top)
    xlim: tuple[float, float] | None = None
    if isinstance(against, int):
        xlim = None  # fixed at draw time from the data
    elif against == "mu" and states[0].problem.family.name == "binomial":
        xlim = (-0.02, 1.02)
    else:
        xlim = _pad(*_range(*(_weights_x(against, s) for s in states)))
    return xlim, ylim


def draw_weights(
    ax: Axes,
    state: IRLSState,
    *,
    against: Literal["x", "mu", "eta"] = "x",
    x: XSpec = None,
    trace: Trace | None = None,
) -> WeightsArtists:
    r"""Draw the working weights :math:`w_i = w_i^{\text{prior}} / \{V(\mu_i) g'(\mu_i)^2\}`.

    Parameters
    ----------
    ax : Axes
    state : IRLSState
    against : {"x", "mu", "eta"}
        Plot against a column of X (chosen by ``x``), the fitted means or the linear
        predictor. Against :math:`\mu` the points trace the curve
        :math:`1 / \{V(\mu) g'(\mu)^2\}` (for equal prior weights): for the logit link,
        :math:`\mu(1 - \mu)`, largest at :math:`\mu = 1/2`.
    x : int, str or None
        The column when ``against="x"`` (default: first non-constant column); ``"eta"``
        means ``against="eta"`` (so one ``x`` serves every panel of the explorer).
    trace : GLMResult or sequence of IRLSState, optional
        With a trace the axis limits cover every iteration, so they do not jump.

    Returns
    -------
    WeightsArtists
    """
    if against not in ("x", "mu", "eta"):
        raise ValueError(f"against: must be 'x', 'mu' or 'eta', got {against!r}")
    problem = state.problem
    ag: int | str = against
    if against == "x" and isinstance(x, str) and x == "eta":
        ag = "eta"  # the weights have no column "eta": plot them against eta instead
    elif against == "x":
        j = _resolve_x(problem, x, allow=())
        assert isinstance(j, int)  # no words allowed: always a column
        ag = j
        ax.set_xlim(*_pad(*_range(problem.X[:, j])))
    tr = _optional_trace(trace)
    n = problem.n
    (points,) = ax.plot([], [], "o", color=_C["blue"], alpha=_marker_alpha(n),
                        markersize=_marker_size(n), markeredgewidth=0)
    _style_axes(ax, "Working weights", _x_label(problem, ag), "working weight w")
    label = _state_label(ax, _label_lines(tr, state))
    art = WeightsArtists(ax=ax, points=points, label=label, against=ag, trace=tr)
    art.update(state)
    if tr is not None:  # once, for the whole trace: update never looks at other states
        _set_limits(ax, *_weights_limits(ag, _states_for_limits(state, tr)))
    return art


def update_weights(artists: WeightsArtists, state: IRLSState) -> None:
    """Move the working-weights panel to ``state`` (no redraw): ``artists.update(state)``."""
    artists.update(state)
