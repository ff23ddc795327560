"""The explorer figure: every panel of a trace in one figure, moved together."""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .._irls import IRLSState

if TYPE_CHECKING:
    from ..results import GLMResult

from ._common import Trace, XSpec, as_trace
from ._freeze import freeze_layout as _freeze
from ._panel import Panel, update, update_all
from ._style import SLIDE_FONT_SIZE, _rc
from .registry import PANEL_REGISTRY, PANELS, default_panels

__all__ = [
    "PANELS",
    "SLIDE_SIZE",
    "PanelArtists",
    "default_panels",
    "explorer_figure",
    "slide_figure",
    "update",
    "update_all",
]

#: Size (inches) of :func:`slide_figure`: a 16:9 slide, 13.33 x 7.5 in.
SLIDE_SIZE = (13.333, 7.5)

#: Any panel's artists (the name kept from before :class:`Panel` existed).
PanelArtists: TypeAlias = Panel

def _draw_panel(name: str, ax: Axes, state: IRLSState, tr: tuple[IRLSState, ...],
                kw: Mapping[str, Any]) -> Panel:
    spec = PANEL_REGISTRY.get(name)
    if spec is None:
        raise ValueError(f"panels: unknown panel {name!r}; known panels are "
                         f"{', '.join(map(repr, PANELS))}")
    return spec.draw(ax, state, trace=tr, **kw)


def _panel_options(name: str, figure_options: Mapping[str, Any], panel_kw: Mapping[str, Any]
                   ) -> dict[str, Any]:
    """``panel_kw`` plus the figure-wide options the panel's draw function takes."""
    kw = dict(panel_kw)
    spec = PANEL_REGISTRY.get(name)
    if spec is None:
        return kw
    params = inspect.signature(spec.draw).parameters
    for option, value in figure_options.items():
        if option in params and value is not None:
            kw.setdefault(option, value)
    return kw


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
    scale: float | None = None,
    layout: Literal["grid", "slide"] = "grid",
) -> tuple[Figure, dict[str, Panel]]:
    """Lay out every panel of ``trace`` in one figure.

    Parameters
    ----------
    trace : GLMResult or sequence of IRLSState
    state : int or IRLSState
        The iteration shown first.
    panels : sequence of str, optional
        Names from :data:`PANELS` (the keys of :data:`PANEL_REGISTRY`), in reading order
        (default :func:`default_panels`).
    x : int, str or None
        Predictor for the fit, weights and working panels (see :func:`draw_fit`). Like
        ``band`` and ``legends``, it goes to every panel whose draw function has a
        keyword of that name (``legends`` as ``legend``); ``panel_kw`` takes precedence.
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
    scale : float, optional
        Text size relative to matplotlib's ``rcParams["font.size"]`` in force (which
        every glmlearn figure follows anyway: ``rc_context({"font.size": 20})`` doubles
        the text); e.g. ``scale=1.6`` for a projector. Default 1, or 1.6 with
        ``layout="slide"`` (relative to the default ``font.size`` of 10).
    layout : {"grid", "slide"}
        ``"grid"``: ``ncols`` panels per row, 5 x 4 inches each. ``"slide"``: a 16:9
        figure (:data:`SLIDE_SIZE`) with the panels side by side (two rows beyond
        three) and large text; see :func:`slide_figure`.

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
    options = {"x": x, "band": band, "legend": legends}
    kws = {n: _panel_options(n, options, (panel_kw or {}).get(n, {})) for n in names}
    if layout not in ("grid", "slide"):
        raise ValueError(f"layout: must be 'grid' or 'slide', got {layout!r}")
    if scale is not None and not scale > 0:
        raise ValueError(f"scale: must be positive, got {scale!r}")
    if layout == "slide":
        ncols = len(names) if len(names) <= 3 else -(-len(names) // 2)
        font = SLIDE_FONT_SIZE * (1.0 if scale is None else scale)
        figsize = figsize or SLIDE_SIZE
    else:
        font = float(mpl.rcParams["font.size"]) * (1.0 if scale is None else scale)
    ncols = max(1, min(ncols, len(names)))
    nrows = -(-len(names) // ncols)
    with mpl.rc_context({"font.size": font}), mpl.rc_context(_rc()):
        size = figsize or (5.0 * ncols, 4.0 * nrows)
        if fig is None:
            fig = Figure(figsize=size, dpi=dpi)
        elif figsize is not None:
            fig.set_size_inches(*size)
        fig.set_layout_engine("constrained")
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        out: dict[str, Panel] = {}
        for name, ax in zip(names, axes, strict=False):
            out[name] = _draw_panel(name, ax, st, tr, kws[name])
        for ax in axes[len(names):]:
            ax.set_visible(False)
    if freeze_layout:
        _freeze(fig)
    return fig, out


def slide_figure(trace: Trace, *panels: str, state: int | IRLSState = 0,
                 **kwargs: Any) -> tuple[Figure, dict[str, Panel]]:
    """A slide: a few panels side by side on a 16:9 figure with large text.

    ``slide_figure(result, "fit", "deviance")`` is
    ``explorer_figure(result, panels=("fit", "deviance"), layout="slide")``.

    Parameters
    ----------
    trace : GLMResult or sequence of IRLSState
    *panels : str
        Panel names (default: ``"fit"`` and ``"deviance"``).
    state : int or IRLSState
        The iteration shown.
    **kwargs
        Passed to :func:`explorer_figure` (``scale``, ``x``, ``band``, ``dpi``, ...).

    Returns
    -------
    fig : Figure
    panels : dict
    """
    kwargs.setdefault("layout", "slide")
    return explorer_figure(trace, state, panels=panels or ("fit", "deviance"), **kwargs)
