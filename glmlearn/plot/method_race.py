r"""The method race: Fisher scoring, Newton and gradient ascent stepped together.

Two axes: the paths of two coefficients :math:`(\beta_i, \beta_j)` (``coefs``, by default
the first two) of the three methods over one deviance surface
(:func:`glmlearn.surface.deviance_surface`, evaluated once on a box around all three
paths), and how far each method's deviance still is from the smallest one reached,
:math:`D^{(k)} - D_{\min}`, on a log scale against the iteration (linear up to 10, then
logarithmic: gradient ascent needs hundreds of steps where the others need a handful).

:func:`draw_race` draws both once and returns :class:`RaceArtists`, whose
``update(k)`` shows step ``k`` of every method (a method that has finished stays at its
last state), with ``set_data`` and ``set_text`` only. (Unlike a panel of
:data:`~glmlearn.plot.PANEL_REGISTRY`, it shows several traces, so it moves to a step
number, not to one state.)

With more than two coefficients the background is one slice, evaluated once: the
deviance over :math:`(\beta_i, \beta_j)` with the other coefficients held at the
maximum-likelihood estimate (the final state of the converged trace with the smallest
deviance), and the three paths are drawn projected onto the plane. The figure says so:
away from :math:`\hat\beta` the iterates' other coefficients differ from the ones held,
so a path need not follow the slice's valley. (One background keeps the race as fast as
for two coefficients; the path panel, :func:`glmlearn.plot.draw_path`, shows the slice
through each state instead.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from .._arrays import Array
from .._irls import IRLSState
from ..errors import GLMInputError
from ..surface import Surface, coefficient_pair, deviance_surface
from ._common import Trace, as_trace
from ._place import Crowd
from ._style import _C, _coef_label, _legend, _state_label, _style_axes
from .path import _contour_levels, _no_path, _path_points

__all__ = ["METHOD_COLOURS", "RaceArtists", "draw_race", "race_mle", "race_surface"]

#: The colour of each method (Okabe-Ito).
METHOD_COLOURS: Mapping[str, str] = {"fisher": _C["blue"], "newton": _C["vermillion"],
                                     "gradient": _C["green"]}
_NAMES = {"fisher": "Fisher scoring (IRLS)", "newton": "Newton-Raphson",
          "gradient": "gradient ascent"}


def race_mle(traces: Mapping[str, Trace]) -> IRLSState:
    """The state that stands for the maximum-likelihood estimate: the last state of the
    converged trace with the smallest deviance (of any trace, if none converged)."""
    last = [as_trace(t)[-1] for t in traces.values()]
    done = [s for s in last if s.converged and s.beta is not None] or [
        s for s in last if s.beta is not None]
    return min(done, key=lambda s: float(s.deviance))


def race_surface(traces: Mapping[str, Trace], *, n_grid: int = 60, margin: float = 0.25,
                 coefs: Sequence[int | str] = (0, 1)) -> Surface:
    """The deviance on a box around the paths of all ``traces``, over coefficients
    ``coefs`` (indices or names); for ``p > 2`` the slice with the others held at the
    maximum-likelihood estimate (:func:`race_mle`)."""
    trs = [as_trace(t) for t in traces.values()]
    problem = trs[0][-1].problem
    ij = coefficient_pair(problem, coefs)
    pts = np.vstack([_path_points(tr, ij) for tr in trs])
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    if not pts.size:
        raise GLMInputError(_no_path([s for t in trs for s in t], ij))
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    half = np.maximum((hi - lo) * (0.5 + margin), 0.1)
    mid = (lo + hi) / 2
    at = np.asarray(race_mle(traces).beta, dtype=float) if problem.p > 2 else None
    return deviance_surface(problem,
                            np.linspace(mid[0] - half[0], mid[0] + half[0], n_grid),
                            np.linspace(mid[1] - half[1], mid[1] + half[1], n_grid),
                            at=at, coefs=ij)


@dataclass(frozen=True, eq=False)
class RaceArtists:
    """Artists of the race (from :func:`draw_race`).

    Attributes
    ----------
    ax_path, ax_gap : Axes
    paths, currents, gap_markers : dict of Line2D
        Per method: its path up to the step shown, its current point, and its marker on
        the deviance-gap curve.
    label : Text
    traces : dict of tuple of IRLSState
    points : dict of (m, 2) ndarray
        Each method's iterates, coefficients ``coefs`` (projected, for ``p > 2``).
    d_min : float
        The smallest deviance any method reached.
    floor : float
        The smallest gap drawn on the log axis.
    coefs : (int, int)
        The column indices on the path axes.
    note : str
        The label's second line (``p > 2``: what the slice holds); empty for ``p = 2``.
    """

    ax_path: Axes
    ax_gap: Axes
    paths: dict[str, Line2D]
    currents: dict[str, Line2D]
    gap_markers: dict[str, Line2D]
    label: Text
    traces: dict[str, tuple[IRLSState, ...]]
    points: dict[str, Array]
    d_min: float
    floor: float
    coefs: tuple[int, int] = (0, 1)
    note: str = ""

    @property
    def steps(self) -> int:
        """The last step number worth showing: when the slowest method has finished."""
        return max(len(tr) for tr in self.traces.values()) - 1

    @property
    def moving(self) -> tuple[Artist, ...]:
        return (*self.paths.values(), *self.currents.values(), *self.gap_markers.values(),
                self.label)

    def state(self, method: str, k: int) -> IRLSState:
        """The state ``method`` shows at step ``k`` (its last one once it has finished)."""
        tr = self.traces[method]
        return tr[min(int(k), len(tr) - 1)]

    def update(self, k: int) -> None:
        """Show step ``k`` of every method (no redraw)."""
        for m in self.traces:
            s = self.state(m, k)
            pts = self.points[m][: s.iteration + 1]
            self.paths[m].set_data(pts[:, 0], pts[:, 1])
            self.currents[m].set_data(pts[-1:, 0], pts[-1:, 1])
            self.gap_markers[m].set_data([s.iteration], [self._gap(s.deviance)])
        text = race_text(self, k)
        self.label.set_text(f"{text}\n{self.note}" if self.note else text)

    def _gap(self, d: float) -> float:
        return max(d - self.d_min, self.floor)


def race_text(art: RaceArtists, k: int) -> str:
    """One line per method: where it is at step ``k``."""
    parts = []
    for m, tr in art.traces.items():
        s = art.state(m, k)
        done = " ✓" if s.converged else " (stopped)" if s is tr[-1] else ""
        parts.append(f"{m} {s.iteration}{done}")
    # The key to the tick only once a tick is shown: at step 0 nothing has converged.
    key = "   (✓ converged)" if any(art.state(m, k).converged for m in art.traces) else ""
    return f"step {k}: " + ",  ".join(parts) + key


def draw_race(axes: Sequence[Axes], traces: Mapping[str, Trace], k: int = 0, *,
              surface: Surface | None = None, coefs: Sequence[int | str] | None = None,
              legend: bool = True) -> RaceArtists:
    r"""Draw the race of ``traces`` (method name -> trace, all from the same start).

    Parameters
    ----------
    axes : (Axes, Axes)
        The path axes and the deviance-gap axes.
    traces : mapping of str to GLMResult or sequence of IRLSState
        E.g. ``{"fisher": ..., "newton": ..., "gradient": ...}`` of one problem with at
        least two coefficients, every state with coefficients (pass ``start=`` to
        :func:`glmlearn.irls`).
    k : int
        The step shown first.
    surface : Surface, optional
        Default: :func:`race_surface` of the traces over ``coefs``.
    coefs : (int or str, int or str), optional
        The two coefficients on the path axes (default the first two, or the given
        surface's). For ``p > 2`` the background is the slice through the
        maximum-likelihood estimate (the other coefficients held there, one slice for
        all three methods) and the paths are projected; the figure says so.
    legend : bool

    Returns
    -------
    RaceArtists

    Raises
    ------
    ValueError
        If the model has fewer than two coefficients or a trace starts without them.
    GLMInputError
        If ``coefs`` does not name two different coefficients, or disagrees with the
        given ``surface``.
    """
    ax_path, ax_gap = axes
    trs = {m: as_trace(t) for m, t in traces.items()}
    problem = next(iter(trs.values()))[-1].problem
    if problem.p < 2:
        raise ValueError(f"draw_race: needs a model with at least two coefficients, this one "
                         f"has {problem.p}")
    for m, tr in trs.items():
        if tr[0].beta is None:
            raise ValueError(f"traces: the {m} trace starts from R's starting means, without "
                             "coefficients; run every method with the same start=")
    if coefs is None:
        ij = surface.coefs if surface is not None else (0, 1)
    else:
        ij = coefficient_pair(problem, coefs)
        if surface is not None and surface.coefs != ij:
            raise GLMInputError(f"coefs: {tuple(coefs)!r} are columns {ij}, but the surface "
                                f"given is over columns {surface.coefs}; leave coefs out, or "
                                "compute it with race_surface(traces, coefs=...)")
    sliced = problem.p > 2
    surf = race_surface(trs, coefs=ij) if surface is None else surface
    d_min = min(float(tr[-1].deviance) for tr in trs.values())
    ax_path.contour(surf.beta0, surf.beta1, surf.deviance,
                    levels=_contour_levels(surf.deviance, d_min), cmap="cividis",
                    linewidths=0.9, zorder=1)
    points = {m: _path_points(tr, ij) for m, tr in trs.items()}
    floor = 1e-13 * max(1.0, abs(d_min))
    paths, currents, markers = {}, {}, {}
    crowd_path, crowd_gap = Crowd(grow=False), Crowd(grow=False)
    for m, tr in trs.items():
        colour = METHOD_COLOURS.get(m, _C["black"])
        pts = points[m]
        name = f"{_NAMES.get(m, m)}: {len(tr) - 1} iterations"
        ax_path.plot(pts[:, 0], pts[:, 1], "-", color=colour, alpha=0.25, linewidth=1, zorder=2)
        (paths[m],) = ax_path.plot([], [], "-", color=colour, linewidth=1.8, zorder=3,
                                   marker="o" if len(tr) < 60 else None, markersize=4,
                                   label=name)
        (currents[m],) = ax_path.plot([], [], "o", color=colour, markersize=9,
                                      markeredgecolor=_C["black"], zorder=4)
        its = np.array([s.iteration for s in tr], dtype=float)
        gaps = np.maximum(np.array([s.deviance for s in tr]) - d_min, floor)
        ax_gap.plot(its, gaps, "-", color=colour, linewidth=1.8, label=name)
        (markers[m],) = ax_gap.plot([], [], "o", color=colour, markersize=8,
                                    markeredgecolor=_C["black"], zorder=4)
        crowd_path.add_line(pts[:, 0], pts[:, 1])
        crowd_gap.add_line(its, gaps)
    ax_path.set_xlim(surf.beta0[0], surf.beta0[-1])
    ax_path.set_ylim(surf.beta1[0], surf.beta1[-1])
    names = problem.column_names
    i, j = ij
    _style_axes(ax_path, "Three methods on one slice of the deviance" if sliced
                else "Three methods on one deviance surface",
                _coef_label(i, names[i]), _coef_label(j, names[j]))
    ax_gap.set_yscale("log")
    ax_gap.set_xscale("symlog", linthresh=10, linscale=1.5)
    last = max(len(tr) for tr in trs.values()) - 1
    ax_gap.set_xlim(0, max(last, 10) * 1.05)
    ax_gap.set_ylim(floor / 3, None)
    _style_axes(ax_gap, "Distance from the minimum", "iteration k (linear to 10, then log)",
                "D⁽ᵏ⁾ − D_min")
    ax_gap.xaxis.set_major_locator(_iteration_ticks(last))
    ax_gap.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax_gap.xaxis.set_minor_locator(NullLocator())
    # A slice is easily read as the whole surface: say what is held, and where.
    note = "slice: others held at the MLE β̂; paths projected" if sliced else ""
    label = _state_label(ax_path, 2 if sliced else 1)
    if legend:
        # Placed where no path goes, in any step; drawn under the moving paths (zorder 3)
        # so that a frame need not draw it again over them (the frame renderer draws
        # again each static artist above a moving one: 35 ms of text per frame).
        _legend(ax_path, crowd=crowd_path).set_zorder(2.5)
    art = RaceArtists(ax_path=ax_path, ax_gap=ax_gap, paths=paths, currents=currents,
                      gap_markers=markers, label=label, traces=trs, points=points,
                      d_min=d_min, floor=floor, coefs=ij, note=note)
    art.update(k)
    return art


def _iteration_ticks(last: int) -> FixedLocator:
    """Ticks of the symlog iteration axis: 0, 5, 10, then 30, 100, 300, ... up to ``last``."""
    return FixedLocator([0, 5, 10] + [t for t in (30, 100, 300, 1000, 3000, 10000)
                                      if t <= last * 1.05])
