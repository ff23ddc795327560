r"""Pictures of link functions (not of a fit)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from ..links import Link, get_link
from ._common import _pad, _range, _robust_range
from ._style import _C, _CYCLE, _legend, _style_axes

__all__ = ["LinkArtists", "draw_link", "draw_links"]

@dataclass(frozen=True, eq=False)
class LinkArtists:
    """Artists of one link's picture (from :func:`draw_link`).

    Attributes
    ----------
    link : Link
    curve : Line2D
        :math:`\\mu = g^{-1}(\\eta)` against :math:`\\eta` (``kind="inverse"``), or
        :math:`\\eta = g(\\mu)` against :math:`\\mu` (``kind="link"``).
    derivative : Line2D or None
        :math:`d\\mu/d\\eta` against :math:`\\eta`, or :math:`d\\eta/d\\mu` against :math:`\\mu`.
    """

    link: Link
    curve: Line2D
    derivative: Line2D | None


def draw_link(
    ax: Axes,
    link: str | Link,
    *,
    eta: tuple[float, float] = (-6.0, 6.0),
    kind: Literal["inverse", "link"] = "inverse",
    derivative: bool = False,
    n: int = 400,
    color: str | None = None,
    linestyle: str = "-",
) -> LinkArtists:
    r"""Draw one link function: its inverse :math:`\mu = g^{-1}(\eta)`, or :math:`g` itself.

    Parameters
    ----------
    ax : Axes
    link : str or Link
        A name from :data:`glmlearn.LINKS` or a :class:`~glmlearn.links.Link`.
    eta : (float, float)
        The range of :math:`\eta` shown. Values outside the link's valid domain (e.g.
        :math:`\eta \le 0` for the sqrt link) are left out.
    kind : {"inverse", "link"}
        ``"inverse"``: :math:`\mu` against :math:`\eta`. ``"link"``: the same curve with the
        axes swapped, :math:`\eta = g(\mu)` against :math:`\mu`.
    derivative : bool
        Also draw (dashed) :math:`d\mu/d\eta` (inverse) or :math:`d\eta/d\mu` (link).
    n : int
        Points along the curve.
    color, linestyle : str, optional
        Style of the curve (default: the next Okabe--Ito colour).

    Returns
    -------
    LinkArtists
    """
    lk = get_link(link)
    if kind not in ("inverse", "link"):
        raise ValueError(f"kind: must be 'inverse' or 'link', got {kind!r}")
    e = np.linspace(eta[0], eta[1], n)
    e = e[lk.valid_eta(e)]
    if eta[0] < 0 < eta[1] and not lk.valid_eta(np.zeros(1))[0]:
        # A pole at eta = 0 (the inverse link): break the line instead of joining the
        # two branches with a vertical stroke.
        e = np.insert(e, np.searchsorted(e, 0.0), np.nan)
    with np.errstate(all="ignore"):
        mu = lk.inverse(e)
    if color is None:
        color = _C[_CYCLE[len(ax.lines) % len(_CYCLE)]]
    if kind == "inverse":
        (curve,) = ax.plot(e, mu, linestyle, color=color, linewidth=2, label=lk.name)
        deriv_xy = (e, lk.inverse_deriv(e))
    else:
        (curve,) = ax.plot(mu, e, linestyle, color=color, linewidth=2, label=lk.name)
        deriv_xy = (mu, lk.deriv(mu))
    deriv = None
    if derivative:
        dlabel = f"{lk.name}: dμ/dη" if kind == "inverse" else f"{lk.name}: dη/dμ"
        (deriv,) = ax.plot(*deriv_xy, "--", color=color, linewidth=1.2, alpha=0.9,
                           label=dlabel)
    _style_axes(ax, _links_title(kind, derivative), *(
        ("linear predictor η", "mean μ") if kind == "inverse" else ("mean μ", "linear predictor η")))
    return LinkArtists(link=lk, curve=curve, derivative=deriv)


def _links_title(kind: str, derivative: bool) -> str:
    """What the axes show: the curves, and their derivatives when drawn."""
    if kind == "inverse":
        return ("Inverse links μ = g⁻¹(η)\nand their derivatives dμ/dη (dashed)" if derivative
                else "Inverse links μ = g⁻¹(η)")
    return ("Links η = g(μ)\nand their derivatives dη/dμ (dashed)" if derivative
            else "Links η = g(μ)")


def draw_links(
    ax: Axes,
    links: Sequence[str | Link] = ("logit", "probit", "cloglog", "cauchit"),
    *,
    eta: tuple[float, float] = (-6.0, 6.0),
    kind: Literal["inverse", "link"] = "inverse",
    derivative: bool = False,
    n: int = 400,
    legend: bool = True,
) -> dict[str, LinkArtists]:
    r"""Draw several links on one axes to compare them (default: the binomial links).

    Colours follow the Okabe--Ito palette and the line styles differ too, so the curves
    stay distinguishable in greyscale. For links whose mean is unbounded (log, inverse)
    the y-limits are set from the 2nd to 98th percentiles of the drawn values.

    Parameters
    ----------
    ax : Axes
    links : sequence of str or Link
    eta, kind, derivative, n
        As for :func:`draw_link`.
    legend : bool
        Add a legend.

    Returns
    -------
    dict
        ``{link name: LinkArtists}``.
    """
    styles = ("-", "--", "-.", ":")
    out: dict[str, LinkArtists] = {}
    for i, lk in enumerate(links):
        art = draw_link(ax, lk, eta=eta, kind=kind, derivative=derivative, n=n,
                        color=_C[_CYCLE[i % len(_CYCLE)]],
                        linestyle=styles[i % len(styles)])
        out[art.link.name] = art
    ys = [np.asarray(a.curve.get_ydata(), float) for a in out.values()]
    if derivative:
        ys += [np.asarray(a.derivative.get_ydata(), float) for a in out.values()
               if a.derivative is not None]
    lo, hi = _range(*ys)
    if kind == "inverse" and (hi - lo) > 50:
        lo, hi = _robust_range(ys, q=2.0)
    if np.isfinite(lo) and np.isfinite(hi):
        ax.set_ylim(*_pad(lo, hi))
    if legend:
        _legend(ax, "best")
    return out
