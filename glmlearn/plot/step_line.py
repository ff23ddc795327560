r"""The step-line panel: the deviance along one step, against the step's quadratic model.

State :math:`k` proposes the step :math:`\Delta = \beta^{\text{next}} - \beta^{(k)}`, the
minimum of its quadratic model :math:`Q_k` (:func:`glmlearn.surface.quadratic_model`).
Along that line, :math:`\beta^{(k)} + t\Delta`, the model is the parabola

.. math:: Q_k(t) = D^{(k)} - c\,(2t - t^2), \qquad c = U^\top\Delta = \Delta^\top H \Delta ,

with its minimum :math:`D^{(k)} - c` at :math:`t = 1`. The panel draws the deviance
:math:`D(\beta^{(k)} + t\Delta)` (:func:`glmlearn.surface.deviance_along`) next to it, in
units of the predicted decrease :math:`c`: the vertical axis is
:math:`(D - D^{(k)})/c`, so the parabola is always :math:`t^2 - 2t` and every state fits
one fixed frame. Far from the optimum the deviance can bend away from the parabola and
rise again before :math:`t = 1` (the step overshoots; glm2's step-halving rule,
``step_halving="deviance"``, then tries :math:`t = 1, 1/2, 1/4, \dots`, drawn as hollow
points; R's rule, the default, halves only a step to a non-finite deviance or an
invalid :math:`\eta`/:math:`\mu`); near it the two curves are one
and the step lands almost exactly on the minimum.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .._arrays import readonly
from .._irls import IRLSState
from ..surface import deviance_along, quadratic_model
from ._common import Array, Trace, as_trace
from ._panel import Panel
from ._place import Crowd
from ._style import _C, _legend, _start_note, _state_label, _style_axes

__all__ = ["StepLineArtists", "draw_step_line", "step_line_values", "update_step_line"]

#: The positions along the step that the panel shows (t = 1 is ``beta_next``).
T_GRID = np.linspace(-0.25, 1.6, 149)
#: The vertical range, in units of the predicted decrease c.
Y_LIMITS = (-1.6, 1.6)
#: Below this predicted decrease (relative to the deviance) the deviance along the step
#: is rounding noise: its curve is not drawn.
RESOLVABLE = 1e-9


@dataclass(frozen=True)
class StepLine:
    """What the panel shows for one state (from :func:`step_line_values`).

    Attributes
    ----------
    decrease : float
        :math:`c`, the decrease of the deviance the model predicts for the full step
        (NaN when the state has no step).
    relative : (m,) ndarray
        :math:`(D(\\beta^{(k)} + t\\Delta) - D^{(k)})/c` on :data:`T_GRID` (NaN where
        invalid, all NaN when the step is below rounding).
    trials : (h,) ndarray
        The step fractions tried, :math:`1, 1/2, \\dots`, up to the one accepted.
    trial_values : (h,) ndarray
        Their deviances in the same units.
    accepted : float
        The fraction of the step taken (NaN for the last state).
    """

    decrease: float
    relative: Array
    trials: Array
    trial_values: Array
    accepted: float

    @property
    def resolvable(self) -> bool:
        return bool(np.isfinite(self.relative).any())


def step_line_values(trace: Trace, state: IRLSState) -> StepLine:
    r"""The deviance along ``state``'s step in units of the model's predicted decrease.

    Parameters
    ----------
    trace : GLMResult or sequence of IRLSState
        The trace of ``state`` (its next state tells which fraction of the step was taken).
    state : IRLSState

    Returns
    -------
    StepLine
    """
    tr = as_trace(trace)
    empty: Array = np.empty(0)
    if state.beta is None:
        return StepLine(math.nan, np.full(T_GRID.size, np.nan), empty, empty, math.nan)
    q = quadratic_model(state)
    c = q.decrease
    k = state.iteration
    nxt = tr[k + 1] if k + 1 < len(tr) else None
    trials: Array = empty
    accepted = math.nan
    if nxt is not None:
        trials = np.asarray(0.5 ** np.arange(nxt.step_halvings + 1), dtype=float)
        accepted = 0.0 if nxt.stalled else 0.5 ** nxt.step_halvings
    if not (math.isfinite(c) and c > RESOLVABLE * max(1.0, abs(q.deviance))):
        nan = np.full(T_GRID.size, np.nan)
        return StepLine(c, readonly(nan), readonly(trials), readonly(np.full(trials.size, np.nan)),
                        accepted)
    direction = np.asarray(state.beta_next, dtype=float) - np.asarray(state.beta, dtype=float)
    along = deviance_along(state.problem, state.beta, direction, np.concatenate([T_GRID, trials]))
    rel = (along - q.deviance) / c
    return StepLine(c, readonly(rel[:T_GRID.size]), readonly(trials),
                    readonly(rel[T_GRID.size:]), accepted)


@dataclass(frozen=True, eq=False)
class StepLineArtists(Panel):
    """Artists of the step-line panel (from :func:`draw_step_line`).

    Attributes
    ----------
    ax : Axes
    parabola : Line2D
        The model :math:`t^2 - 2t` (static: the units make it the same for every state).
    deviance : Line2D
        :math:`(D(\\beta^{(k)} + t\\Delta) - D^{(k)})/c`.
    trials : Line2D
        The step fractions step-halving tried (hollow).
    accepted : Line2D
        The fraction taken, on the deviance curve.
    label : Text
    trace : tuple of IRLSState
    """

    ax: Axes
    parabola: Line2D
    deviance: Line2D
    trials: Line2D
    accepted: Line2D
    label: Text
    trace: tuple[IRLSState, ...]
    _cache: dict[int, StepLine] = field(default_factory=dict, repr=False)

    @property
    def moving(self) -> tuple[Artist, ...]:
        return (self.deviance, self.trials, self.accepted, self.label)

    def values(self, state: IRLSState) -> StepLine:
        """:func:`step_line_values` of ``state``, computed once per state."""
        k = state.iteration
        if k not in self._cache:
            self._cache[k] = step_line_values(self.trace, state)
        return self._cache[k]

    def update(self, state: IRLSState) -> None:
        """Show the deviance along ``state``'s step (no redraw)."""
        v = self.values(state)
        self.deviance.set_data(T_GRID, v.relative)
        self.trials.set_data(v.trials, v.trial_values)
        if math.isfinite(v.accepted) and v.trials.size:
            i = int(np.argmin(np.abs(v.trials - v.accepted)))
            self.accepted.set_data([v.accepted], [v.trial_values[i]])
        else:
            self.accepted.set_data([], [])
        self.label.set_text(_step_text(state, v))


def _step_text(state: IRLSState, v: StepLine) -> str:
    head = f"k = {state.iteration}"
    if state.beta is None:
        return f"{_start_note(state)}\nno β to step from"
    if not v.resolvable:
        return f"{head}: predicted decrease c = {v.decrease:.2g}\nbelow the deviance's rounding"
    if not math.isfinite(v.accepted):
        return f"{head}: model predicts ΔD = −c = −{v.decrease:.3g}\nthe last state"
    taken = "full step taken" if v.accepted == 1 else f"halved to t = {v.accepted:g}"
    return (f"{head}: model predicts ΔD = −c = −{v.decrease:.3g}\n"
            f"at t = 1: ΔD = {v.trial_values[0]:+.3f} c; {taken}")


def draw_step_line(ax: Axes, state: IRLSState, *, trace: Trace, legend: bool = True
                   ) -> StepLineArtists:
    r"""Draw the deviance along ``state``'s step with the step's quadratic model.

    Parameters
    ----------
    ax : Axes
    state : IRLSState
    trace : GLMResult or sequence of IRLSState
    legend : bool
        Draw a legend.

    Returns
    -------
    StepLineArtists

    Notes
    -----
    Works for any number of coefficients: the line runs through all of them. The
    deviance is evaluated on 149 points of the line for each state shown (once per
    state), over all n observations.
    """
    tr = as_trace(trace)
    ax.axhline(0.0, color=_C["black"], linewidth=0.8, alpha=0.5, zorder=1)
    ax.axvline(1.0, color=_C["black"], linewidth=0.8, alpha=0.3, linestyle=":", zorder=1)
    (parabola,) = ax.plot(T_GRID, T_GRID**2 - 2 * T_GRID, "--", color=_C["green"],
                          linewidth=2, zorder=2, label="model Q_k: t² − 2t")
    (deviance,) = ax.plot([], [], "-", color=_C["blue"], linewidth=2, zorder=3,
                          label="deviance D")
    (trials,) = ax.plot([], [], "o", color=_C["vermillion"], markerfacecolor="white",
                        markersize=7, markeredgewidth=1.5, zorder=4, label="halving trials")
    (accepted,) = ax.plot([], [], "o", color=_C["vermillion"], markersize=9, zorder=5,
                          label="step taken")
    ax.set_xlim(T_GRID[0], T_GRID[-1])
    ax.set_ylim(*Y_LIMITS)
    _style_axes(ax, "Deviance along the step", "t (t = 1: β next)",
                "(D − D⁽ᵏ⁾) / c")
    label = _state_label(ax, 2)
    art = StepLineArtists(ax=ax, parabola=parabola, deviance=deviance, trials=trials,
                          accepted=accepted, label=label, trace=tr)
    if legend:
        crowd = Crowd(grow=False)
        crowd.add_line(T_GRID, T_GRID**2 - 2 * T_GRID)
        for s in tr[:12]:  # the early steps are the ones far from the parabola
            v = art.values(s)
            ok = np.isfinite(v.relative)
            if ok.any():
                crowd.add_line(T_GRID[ok], np.clip(v.relative[ok], *Y_LIMITS))
        _legend(ax, crowd=crowd)
    art.update(state)
    return art


def update_step_line(artists: StepLineArtists, state: IRLSState) -> None:
    """Move the step-line panel to ``state`` (no redraw): ``artists.update(state)``."""
    artists.update(state)
