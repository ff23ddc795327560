r"""The four model-check plots R's ``plot.glm`` draws, from an :class:`~glmlearn.inference.Influence`.

=========================  ============================================================
panel                      what it shows (R 4.2's ``plot.lm`` for a glm, ``which = c(1, 2, 3, 5)``)
=========================  ============================================================
Residuals vs Fitted        Pearson residuals :math:`r_P` against the linear predictor
                           :math:`\hat\eta` ("Predicted values"): a pattern means a
                           wrong link or a missing term
Normal Q-Q                 standardised residuals against normal quantiles (``ppoints``)
                           with the line through the quartiles
Scale-Location             :math:`\sqrt{|r_{\text{std}}|}` against :math:`\hat\eta`: a
                           trend means the variance function is wrong
Residuals vs Leverage      standardised residuals against the hat values :math:`h_i`
                           (the last IRLS step's :math:`W`), with Cook's distance 0.5 and 1
                           contours :math:`r = \pm\sqrt{c\,p\,(1 - h)/h}`
=========================  ============================================================

The standardised residuals are Pearson's, :math:`r_P/\sqrt{\hat\phi(1 - h)}`, as R 4.2
draws them (``residuals="deviance"`` uses the standardised deviance residuals, as R
before 4.1 did). R's lowess smoother is not drawn.

Each point is a row of the data: the ``id_n`` most extreme rows of each panel (R's
``id.n = 3``: largest :math:`|r|`, largest Cook's distance on the leverage panel) are
labelled with their row index (0-based, as numpy indexes them) or with ``labels`` (the
leverage panel's title says that its numbers go by Cook's distance, so the point of
largest residual there may carry none); a
label is placed beside its point where it covers no marker (measured on the rendered
axes), and each panel keeps ``rows`` (the row of every marker) and ``labelled``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from numpy.typing import NDArray
from scipy import stats

from .._arrays import Array
from ..errors import GLMInputError
from ._common import _pad
from ._place import Crowd, _renderer
from ._style import _C, _F, _legend, _style_axes

__all__ = ["ModelCheckArtists", "ModelCheckPanel", "draw_qq", "draw_residuals_fitted",
           "draw_residuals_leverage", "draw_scale_location", "modelcheck_figure"]

Kind = Literal["pearson", "deviance"]


@dataclass(frozen=True, eq=False)
class ModelCheckPanel:
    """One model-check panel: its axes, the markers (one per row, in ``rows`` order) and
    the labels of the rows it names."""

    ax: Axes
    points: PathCollection
    rows: NDArray[np.intp]
    #: the plotted coordinates of every row (NaN where a row has no point), and what
    #: ranks the rows for labelling (the largest |score| are labelled)
    x: Array = field(repr=False)
    y: Array = field(repr=False)
    score: Array = field(repr=False)
    labelled: dict[int, Text] = field(default_factory=dict)
    lines: tuple[Line2D, ...] = ()


@dataclass(frozen=True, eq=False)
class ModelCheckArtists:
    """The four panels of :func:`modelcheck_figure`."""

    fig: Figure
    residuals_fitted: ModelCheckPanel
    qq: ModelCheckPanel
    scale_location: ModelCheckPanel
    residuals_leverage: ModelCheckPanel

    @property
    def panels(self) -> tuple[ModelCheckPanel, ...]:
        return (self.residuals_fitted, self.qq, self.scale_location, self.residuals_leverage)


def _influence(source: Any) -> Any:
    from ..inference import Influence, influence

    if isinstance(source, Influence):
        return source
    if hasattr(source, "trace") and hasattr(source, "problem"):
        return influence(source)
    raise GLMInputError(f"fit: expected a GLMResult or its influence(), got "
                        f"{type(source).__name__}")


def _std(infl: Any, residuals: Kind) -> Array:
    if residuals not in ("pearson", "deviance"):
        raise GLMInputError(f"residuals: must be 'pearson' or 'deviance', got {residuals!r}")
    return np.asarray(infl.rstandard_pearson if residuals == "pearson" else infl.rstandard)


def _ylab(residuals: Kind) -> str:
    return "Std. Pearson resid." if residuals == "pearson" else "Std. deviance resid."


def _scatter(ax: Axes, x: Array, y: Array) -> tuple[PathCollection, NDArray[np.intp]]:
    ok = np.isfinite(x) & np.isfinite(y)
    rows = np.flatnonzero(ok)
    pts = ax.scatter(x[ok], y[ok], s=30, facecolors="none", edgecolors=_C["blue"],
                     linewidths=1.2, zorder=3)
    return pts, rows


def _limits(ax: Axes, x: Array, y: Array, *, y0: float | None = None) -> None:
    ok = np.isfinite(x) & np.isfinite(y)
    # room on every side for a label beside an extreme point
    ax.set_xlim(*_pad(float(x[ok].min()), float(x[ok].max()), 0.12))
    lo, hi = _pad(float(y[ok].min()), float(y[ok].max()), 0.12)
    ax.set_ylim(min(lo, y0) if y0 is not None else lo, hi)


def _extreme(score: Array, rows: NDArray[np.intp], k: int) -> list[int]:
    s = np.abs(score[rows])
    order = np.argsort(-s, kind="stable")
    return [int(rows[i]) for i in order[:k]]


def _label(ax: Axes, x: Array, y: Array, rows: NDArray[np.intp], which: Sequence[int],
           names: Sequence[str]) -> dict[int, Text]:
    """Label the rows ``which`` beside their points, each where it covers no marker, no
    earlier label and stays inside the axes (measured with the current layout)."""
    fig = ax.get_figure(root=True)
    assert fig is not None
    r = _renderer(fig)
    pts = ax.transData.transform(np.column_stack([x[rows], y[rows]]))
    px = fig.dpi / 72.0
    radius = 4.5 * px  # a marker's radius (s = 30 pt^2), with its edge
    axbox = ax.get_window_extent(r)
    taken: list[Any] = []
    out: dict[int, Text] = {}
    offsets = [((6, 0), "left", "center"), ((-6, 0), "right", "center"),
               ((0, 7), "center", "bottom"), ((0, -7), "center", "top"),
               ((6, 6), "left", "bottom"), ((-6, 6), "right", "bottom"),
               ((6, -6), "left", "top"), ((-6, -6), "right", "top")]
    for i in which:
        tried: list[Text] = []
        chosen: Text | None = None
        for (dx, dy), ha, va in offsets:
            t: Text = ax.annotate(names[i], (x[i], y[i]), xytext=(dx, dy), textcoords="offset points",
                            ha=ha, va=va, fontsize=_F.text, color=_C["black"], zorder=4)
            t.set_in_layout(False)
            tried.append(t)
            box = t.get_window_extent(r)
            covers = np.any((pts[:, 0] >= box.x0 - radius) & (pts[:, 0] <= box.x1 + radius)
                            & (pts[:, 1] >= box.y0 - radius) & (pts[:, 1] <= box.y1 + radius))
            inside = (box.x0 >= axbox.x0 and box.x1 <= axbox.x1 and box.y0 >= axbox.y0
                      and box.y1 <= axbox.y1)
            if not covers and inside and not any(box.overlaps(b) for b in taken):
                chosen = t
                break
        if chosen is None:  # nowhere free: the first position, beside the point
            chosen = tried[0]
        for other in tried:
            if other is not chosen:
                other.remove()
        taken.append(chosen.get_window_extent(r))
        out[i] = chosen
    return out


def _names(n: int, labels: Sequence[Any] | None) -> list[str]:
    if labels is None:
        return [str(i) for i in range(n)]
    if len(labels) != n:
        raise GLMInputError(f"labels: {len(labels)} labels given for {n} rows")
    return [str(v) for v in labels]


def draw_residuals_fitted(ax: Axes, fit: Any, *, id_n: int = 3,
                          labels: Sequence[Any] | None = None) -> ModelCheckPanel:
    """Pearson residuals against the linear predictor (R's "Residuals vs Fitted")."""
    infl = _influence(fit)
    x, y = np.asarray(infl.eta), np.asarray(infl.resid_pearson)
    pts, rows = _scatter(ax, x, y)
    (zero,) = ax.plot(_pad(float(x.min()), float(x.max()), 0.2), [0, 0], color=_C["black"],
                      lw=0.8, ls=":", zorder=1)
    _limits(ax, x, y)
    _style_axes(ax, "Residuals vs Fitted", "Predicted values (η̂)", "Pearson residuals")
    return _labelled(ModelCheckPanel(ax, pts, rows, x, y, y, lines=(zero,)), id_n, labels)


def _ppoints(n: int) -> Array:
    a = 3 / 8 if n <= 10 else 0.5
    return np.asarray((np.arange(1, n + 1) - a) / (n + 1 - 2 * a), dtype=float)


def draw_qq(ax: Axes, fit: Any, *, residuals: Kind = "pearson", id_n: int = 3,
            labels: Sequence[Any] | None = None) -> ModelCheckPanel:
    """Standardised residuals against normal quantiles, with the quartile line."""
    infl = _influence(fit)
    rs = _std(infl, residuals)
    ok = np.flatnonzero(np.isfinite(rs))
    q = np.full(rs.shape, np.nan)
    order = ok[np.argsort(rs[ok], kind="stable")]
    q[order] = stats.norm.ppf(_ppoints(ok.size))
    pts, rows = _scatter(ax, q, rs)
    # R's qqline: through the first and third quartiles of both
    y1, y3 = np.quantile(rs[ok], [0.25, 0.75])
    x1, x3 = stats.norm.ppf([0.25, 0.75])
    slope = (y3 - y1) / (x3 - x1)
    xs = np.array(_pad(float(np.nanmin(q)), float(np.nanmax(q)), 0.2))
    (line,) = ax.plot(xs, y1 + slope * (xs - x1), color=_C["black"], lw=0.8, ls=":", zorder=1)
    _limits(ax, q, rs)
    _style_axes(ax, "Normal Q-Q", "Theoretical quantiles", _ylab(residuals))
    return _labelled(ModelCheckPanel(ax, pts, rows, q, rs, rs, lines=(line,)), id_n, labels)


def draw_scale_location(ax: Axes, fit: Any, *, residuals: Kind = "pearson", id_n: int = 3,
                        labels: Sequence[Any] | None = None) -> ModelCheckPanel:
    """:math:`\\sqrt{|r_{\\text{std}}|}` against the linear predictor (R's "Scale-Location")."""
    infl = _influence(fit)
    rs = _std(infl, residuals)
    x, y = np.asarray(infl.eta), np.sqrt(np.abs(rs))
    pts, rows = _scatter(ax, x, y)
    _limits(ax, x, y, y0=0.0)
    _style_axes(ax, "Scale-Location", "Predicted values (η̂)", f"√|{_ylab(residuals)}|")
    return _labelled(ModelCheckPanel(ax, pts, rows, x, y, rs), id_n, labels)


_COOK = "Cook's distance"
_LEVERAGE_TITLE = "Residuals vs Leverage"


def draw_residuals_leverage(ax: Axes, fit: Any, *, residuals: Kind = "pearson", id_n: int = 3,
                            labels: Sequence[Any] | None = None,
                            cook_levels: Sequence[float] = (0.5, 1.0)) -> ModelCheckPanel:
    """Standardised residuals against leverage, with Cook's distance contours (R's
    "Residuals vs Leverage"); the rows with the largest Cook's distances are labelled."""
    infl = _influence(fit)
    rs = _std(infl, residuals)
    h = np.asarray(infl.hat)
    pts, rows = _scatter(ax, h, rs)
    _limits(ax, h, rs)
    x1 = ax.get_xlim()[1]
    y0, y1 = ax.get_ylim()
    ax.set_xlim(-0.03 * x1, x1)  # from 0, as R, with room for a marker's edge
    hh = np.linspace(max(1e-3, 0.0), max(x1, 1e-3), 200)[1:]
    lines = [ax.plot([0, x1], [0, 0], color=_C["black"], lw=0.8, ls=":", zorder=1)[0]]
    for k, c in enumerate(cook_levels):
        r = np.sqrt(c * infl.rank * (1 - hh) / hh)
        for sign in (1, -1):
            (ln,) = ax.plot(hh, sign * r, color=_C["vermillion"], lw=1.0, ls="--", zorder=1,
                            label=_COOK if (k == 0 and sign == 1) else None)
            lines.append(ln)
    ax.set_ylim(y0, y1)  # the contours run off the view; the data set the limits
    _style_axes(ax, _LEVERAGE_TITLE, "Leverage (hat values)", _ylab(residuals))
    # contour levels written at the right edge, where they leave the view
    for c in cook_levels:
        r_edge = float(np.sqrt(c * infl.rank * (1 - hh[-1]) / hh[-1]))
        for sign in (1, -1):
            if y0 < sign * r_edge < y1:
                # on the side of the line away from the frame
                t = ax.annotate(f"{c:g}", (hh[-1], sign * r_edge), xytext=(-3, -3 * sign),
                                textcoords="offset points", ha="right",
                                va="top" if sign > 0 else "bottom", fontsize=_F.text,
                                color=_C["vermillion"])
                t.set_in_layout(False)
    panel = ModelCheckPanel(ax, pts, rows, h, rs, np.asarray(infl.cooks_distance),
                            lines=tuple(lines))
    _labelled(panel, id_n, labels)
    _leverage_legend(panel)
    return panel


def _leverage_legend(panel: ModelCheckPanel) -> None:
    """The legend where it covers no marker, label, contour or contour level; the title
    says which rows are numbered (those of largest Cook's distance, not of largest
    residual: the point of largest residual may carry no number)."""
    ax = panel.ax
    old = ax.get_legend()
    if old is not None:
        old.remove()
    n = len(panel.labelled)
    ax.set_title(_LEVERAGE_TITLE + (f" (numbered: top {n} Cook's D)" if n else ""))
    crowd = Crowd()
    crowd.add_points(panel.x[panel.rows], panel.y[panel.rows])
    for ln in panel.lines:
        crowd.add_line(ln.get_xdata(), ln.get_ydata())
    fig = ax.get_figure(root=True)
    assert fig is not None
    r = _renderer(fig)
    for text in ax.texts:
        box = text.get_window_extent(r).transformed(ax.transData.inverted())
        crowd.add_points([box.x0, box.x1, box.x0, box.x1], [box.y0, box.y0, box.y1, box.y1])
    _legend(ax, crowd=crowd)


def _labelled(panel: ModelCheckPanel, id_n: int, labels: Sequence[Any] | None
              ) -> ModelCheckPanel:
    """Label the ``id_n`` rows of largest |score| of ``panel`` (for its current layout)."""
    names = _names(len(panel.x), labels)
    which = _extreme(panel.score, panel.rows, id_n)
    panel.labelled.update(_label(panel.ax, panel.x, panel.y, panel.rows, which, names))
    return panel


def modelcheck_figure(fit: Any, *, residuals: Kind = "pearson", id_n: int = 3,
                      labels: Sequence[Any] | None = None, figsize: tuple[float, float] = (10, 8)
                      ) -> ModelCheckArtists:
    """The four panels of R's ``plot(glm_fit)`` in one figure (2 x 2).

    The layout is computed once, then the labels are placed for it, and the figure's
    layout is fixed (a later layout would move the points under the labels).
    """
    from matplotlib.figure import Figure

    infl = _influence(fit)
    fig = Figure(figsize=figsize, layout="constrained")
    axes = fig.subplots(2, 2)
    engine = fig.get_layout_engine()
    assert engine is not None

    kw: dict[str, Any] = {"id_n": 0, "labels": labels}
    panels = [draw_residuals_fitted(axes[0, 0], infl, **kw),
              draw_qq(axes[0, 1], infl, residuals=residuals, **kw),
              draw_scale_location(axes[1, 0], infl, residuals=residuals, **kw),
              draw_residuals_leverage(axes[1, 1], infl, residuals=residuals, **kw)]
    # Lay the axes out once, fix that layout, then place the labels (and the legend,
    # which avoids them) for it.
    engine.execute(fig)
    fig.set_layout_engine("none")
    for panel in panels:
        _labelled(panel, id_n, labels)
    _leverage_legend(panels[3])
    return ModelCheckArtists(fig, *panels)
