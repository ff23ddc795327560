"""The explorer figure: every panel of a trace in one figure, moved together."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from .._irls import IRLSState

if TYPE_CHECKING:
    from ..results import GLMResult

from ._common import Trace, XSpec, as_trace
from ._style import _RC
from .diagnostics import (
    ConvergenceArtists,
    DevianceArtists,
    WeightsArtists,
    WorkingArtists,
    draw_convergence,
    draw_deviance,
    draw_weights,
    draw_working,
    update_convergence,
    update_deviance,
    update_weights,
    update_working,
)
from .fit import FitArtists, draw_fit, update_fit
from .path import PathArtists, draw_path, update_path

__all__ = ["PANELS", "PanelArtists", "default_panels", "explorer_figure", "update", "update_all"]

#: Names of the panels :func:`explorer_figure` knows, in their default order.
PANELS: tuple[str, ...] = ("fit", "weights", "working", "deviance", "convergence", "path")


# --- dispatch and the explorer figure ---------------------------------------------------------

PanelArtists: TypeAlias = (
    "FitArtists | WeightsArtists | WorkingArtists | DevianceArtists | ConvergenceArtists "
    "| PathArtists"
)


def update(artists: PanelArtists, state: IRLSState) -> None:
    """Move any panel to ``state``: calls the ``update_*`` that matches ``artists``."""
    if isinstance(artists, FitArtists):
        update_fit(artists, state)
    elif isinstance(artists, WeightsArtists):
        update_weights(artists, state)
    elif isinstance(artists, WorkingArtists):
        update_working(artists, state)
    elif isinstance(artists, DevianceArtists):
        update_deviance(artists, state)
    elif isinstance(artists, ConvergenceArtists):
        update_convergence(artists, state)
    elif isinstance(artists, PathArtists):
        update_path(artists, state)
    else:
        raise TypeError(f"update: not a glmlearn panel: {type(artists).__name__}")


def update_all(panels: Mapping[str, PanelArtists], state: IRLSState) -> None:
    """Move every panel of :func:`explorer_figure` to ``state``.

    It does not redraw: call ``fig.canvas.draw_idle()`` once afterwards (a widget) or let
    ``FuncAnimation`` draw the frame.
    """
    for artists in panels.values():
        update(artists, state)


def _draw_panel(name: str, ax: Axes, state: IRLSState, tr: tuple[IRLSState, ...],
                kw: Mapping[str, Any]) -> PanelArtists:
    if name == "fit":
        return draw_fit(ax, state, trace=tr, **kw)
    if name == "weights":
        return draw_weights(ax, state, trace=tr, **kw)
    if name == "working":
        return draw_working(ax, state, trace=tr, **kw)
    if name == "deviance":
        return draw_deviance(ax, state, trace=tr, **kw)
    if name == "convergence":
        return draw_convergence(ax, state, trace=tr, **kw)
    if name == "path":
        return draw_path(ax, state, trace=tr, **kw)
    raise ValueError(f"panels: unknown panel {name!r}; known panels are "
                     f"{', '.join(map(repr, PANELS))}")


def default_panels(trace: Trace) -> tuple[str, ...]:
    """The panels that make sense for ``trace``: all of :data:`PANELS`, the path only
    for two-coefficient models."""
    tr = as_trace(trace)
    return tuple(p for p in PANELS if p != "path" or tr[-1].problem.p == 2)


def explorer_figure(
    trace: Trace,
    state: int | IRLSState = 0,
    *,
    panels: Sequence[str] | None = None,
    x: XSpec = None,
    band: GLMResult | None = None,
    panel_kw: Mapping[str, Mapping[str, Any]] | None = None,
    fig: Figure | None = None,
    figsize: tuple[float, float] | None = None,
    ncols: int = 3,
    dpi: float | None = None,
    legends: bool = True,
    freeze_layout: bool = True,
) -> tuple[Figure, dict[str, PanelArtists]]:
    """Lay out every panel of ``trace`` in one figure.

    Parameters
    ----------
    trace : GLMResult or sequence of IRLSState
    state : int or IRLSState
        The iteration shown first.
    panels : sequence of str, optional
        Names from :data:`PANELS`, in reading order (default :func:`default_panels`).
    x : int, str or None
        Predictor for the fit and working panels (see :func:`draw_fit`).
    band : GLMResult, optional
        Confidence band in the fit panel; a :class:`GLMResult` given as ``trace`` is not
        used for it automatically (pass ``band=result``).
    panel_kw : mapping, optional
        Extra keyword arguments per panel, e.g. ``{"weights": {"against": "mu"}}``.
    fig : Figure, optional
        Draw into this (empty) figure, e.g. one made under ``%matplotlib widget``;
        default: a new :class:`matplotlib.figure.Figure`, not registered with pyplot.
        (In a notebook, display it with ``display(fig)``, or pass ``plt.figure()``.)
    figsize : (float, float), optional
        Default 5 x 4 inches per panel.
    ncols : int
        Panels per row.
    dpi : float, optional
    legends : bool
        Legends in the panels that have one. They are static but matplotlib lays them
        out again on every draw: without them a frame draws about 20% faster.
    freeze_layout : bool
        Compute the constrained layout once, then switch the layout engine off, so
        moving to another iteration does not pay for the layout again on each draw.

    Returns
    -------
    fig : Figure
    panels : dict
        ``{panel name: artists}``; move them with :func:`update_all`.

    Examples
    --------
    >>> fig, panels = explorer_figure(result)          # doctest: +SKIP
    >>> update_all(panels, result.trace[3]); fig.canvas.draw_idle()   # doctest: +SKIP
    """
    tr = as_trace(trace)
    names = tuple(panels) if panels is not None else default_panels(tr)
    if not names:
        raise ValueError("panels: choose at least one panel")
    st = tr[state] if isinstance(state, int | np.integer) else state
    kws: dict[str, dict[str, Any]] = {n: dict((panel_kw or {}).get(n, {})) for n in names}
    for n in ("fit", "working"):
        if n in kws and x is not None:
            kws[n].setdefault("x", x)
    if "weights" in kws and x is not None and kws["weights"].get("against", "x") == "x":
        if x == "eta":  # weights have no column "eta": plot them against eta instead
            kws["weights"]["against"] = "eta"
        else:
            kws["weights"].setdefault("x", x)
    if "fit" in kws and band is not None:
        kws["fit"].setdefault("band", band)
    for n in ("fit", "working", "convergence", "path"):
        if n in kws:
            kws[n].setdefault("legend", legends)
    ncols = max(1, min(ncols, len(names)))
    nrows = -(-len(names) // ncols)
    with mpl.rc_context(_RC):
        size = figsize or (5.0 * ncols, 4.0 * nrows)
        if fig is None:
            fig = Figure(figsize=size, dpi=dpi)
        elif figsize is not None:
            fig.set_size_inches(*size)
        fig.set_layout_engine("constrained")
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        out: dict[str, PanelArtists] = {}
        for name, ax in zip(names, axes, strict=False):
            out[name] = _draw_panel(name, ax, st, tr, kws[name])
        for ax in axes[len(names):]:
            ax.set_visible(False)
    if freeze_layout:
        _freeze_layout(fig)
    return fig, out


def _freeze_layout(fig: Figure) -> None:
    # Constrained layout runs on every draw; its result does not change when only the
    # data move, so compute it once and keep the axes where it put them. A resized
    # canvas (a widget dragged larger) lays the figure out once more.
    engine = fig.get_layout_engine()
    if engine is None:
        return
    engine.execute(fig)
    fig.set_layout_engine("none")
    old = getattr(fig, "_glmlearn_relayout_cid", None)
    if old is not None:  # a figure cleared and drawn into again keeps one handler
        fig.canvas.mpl_disconnect(old)
    relayout = ConstrainedLayoutEngine()
    cid = fig.canvas.mpl_connect("resize_event", lambda _event: relayout.execute(fig))
    fig._glmlearn_relayout_cid = cid  # type: ignore[attr-defined]
