r"""The hands-on figure's panels: drawn for each new trace into the axes they had.

The fit, weights and working panels are :mod:`glmlearn.plot`'s; the path panel too for
two coefficients, and for more the surface *sliced* at the coefficients held
(:func:`draw_slice`). A new trace (a β set, IRLS run, a refit) is drawn into the same
axes (:func:`draw_into`): the frozen layout keeps their places, and each panel's frame
(its ticks, labels, title) stays, so that only what the panel draws is made again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.lines import Line2D

from .._irls import IRLSState
from ..plot._style import OKABE_ITO, _coef_label, _state_label, _style_axes
from ..plot.path import PathArtists, _contour_levels
from ..plot.registry import PANEL_REGISTRY
from ..plot.weights import _weights_x
from ..plot.working import _working_x
from ..surface import Surface

__all__ = ["PANELS", "clear_panel", "draw_into", "draw_slice", "fit_x", "marks_x",
           "point_marks"]

#: The panels, in the figure's reading order (two per row).
PANELS = ("path", "fit", "weights", "working")


def draw_slice(ax: Any, state: IRLSState, *, trace: tuple[IRLSState, ...], surface: Surface,
                **_: Any) -> PathArtists:
    r"""The path panel of a model with more than two coefficients: the iterates'
    :math:`(\beta_0, \beta_1)` over the deviance surface *sliced* at the other
    coefficients (``surface.at``). The same artists as :func:`glmlearn.plot.draw_path`
    (whose ``update`` reads only the first two coefficients); only the surface differs."""
    levels = _contour_levels(surface.deviance)
    contours = ax.contour(surface.beta0, surface.beta1, surface.deviance, levels=levels,
                          cmap="cividis", linewidths=1.0, zorder=1)
    pts = np.array([s.beta[:2] for s in trace if s.beta is not None], dtype=float).reshape(-1, 2)
    counts = tuple(int(c) for c in np.cumsum([s.beta is not None for s in trace]))
    (full_path,) = ax.plot(pts[:, 0], pts[:, 1], "-", color=OKABE_ITO["black"], alpha=0.25,
                           linewidth=1, zorder=2)
    (path,) = ax.plot([], [], "-o", color=OKABE_ITO["blue"], markersize=5, linewidth=1.5,
                      zorder=3)
    (step,) = ax.plot([], [], "--", color=OKABE_ITO["vermillion"], linewidth=1.5, zorder=3)
    (current,) = ax.plot([], [], "o", color=OKABE_ITO["vermillion"], markersize=10, zorder=4)
    ax.set_xlim(surface.beta0[0], surface.beta0[-1])
    ax.set_ylim(surface.beta1[0], surface.beta1[-1])
    names = state.problem.column_names
    _style_axes(ax, "Deviance surface, a slice", _coef_label(0, names[0]),
                _coef_label(1, names[1]))
    labels = [_coef_label(j, names[j]).split(" ")[0].rstrip(":") for j in range(len(names))]
    held = (", ".join(f"{labels[j]} = {surface.at[j]:.3g}" for j in range(2, len(names)))
            if len(names) <= 4 else f"{labels[2]} … {labels[-1]} at the β set")
    art = PathArtists(ax=ax, contours=contours, full_path=full_path, path=path, current=current,
                      step=step, label=_state_label(ax, 2), trace=trace, surface=surface,
                      points=pts, counts=counts, note=f"contours of D; held: {held}")
    art.update(state)
    return art


def clear_panel(ax: Any) -> None:
    """Take away what a panel drew into ``ax`` and keep its frame: ``ax.cla()`` would
    also make every tick again, which the next draw then lays out and renders anew."""
    legend = ax.get_legend()
    if legend is not None:
        legend.remove()
    for artist in [*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.images]:
        artist.remove()
    ax.relim()


def draw_into(panels: Mapping[str, Any], trace: tuple[IRLSState, ...], k: int, *,
              path_kw: Mapping[str, Any], sliced: bool, keep_frames: bool = True
              ) -> dict[str, Any]:
    """Draw ``trace`` at state ``k`` into the axes of ``panels``: every panel again.

    ``keep_frames``: clear only what the panels drew (:func:`clear_panel`); else from
    ``ax.cla()``, which makes the ticks again too (the same picture, more slowly).
    ``path_kw`` goes to the path panel (its surface); ``sliced``: more than two
    coefficients, the path panel is :func:`draw_slice`'s.
    """
    out = {}
    for name, old in panels.items():
        if keep_frames:
            clear_panel(old.ax)
        else:
            old.ax.cla()
        kw = dict(path_kw) if name == "path" else {}
        draw = draw_slice if name == "path" and sliced else PANEL_REGISTRY[name].draw
        out[name] = draw(old.ax, trace[k], trace=trace, **kw)
    return out


def point_marks(panels: Mapping[str, Any]) -> list[Line2D]:
    """The rings that mark the point read, in the fit, weights and working panels."""
    return [panels[name].ax.plot([], [], "o", markersize=13, markerfacecolor="none",
                                 markeredgecolor=OKABE_ITO["orange"], markeredgewidth=2.5,
                                 zorder=10)[0]
            for name in ("fit", "weights", "working")]


def fit_x(panels: Mapping[str, Any], i: int) -> float:
    """Point ``i`` along x in the fit panel, as drawn (its predictor, or its μ)."""
    return float(np.asarray(panels["fit"].data.get_xdata(), dtype=float)[i])


def marks_x(panels: Mapping[str, Any], i: int, state: IRLSState) -> tuple[float, float, float]:
    """Point ``i`` along x in the fit, weights and working panels, each its own x (its
    predictor; with several predictors the fit's μ and the others' η, at ``state``)."""
    return (fit_x(panels, i), float(_weights_x(panels["weights"].against, state)[i]),
            float(_working_x(panels["working"], state)[i]))
