r"""The link explorer's panels: :math:`\mu`, :math:`d\mu/d\eta` and :math:`w` under each link.

One panel per quantity, for every link a family allows, against the linear predictor
:math:`\eta`:

=============  ===============================================================
``"mu"``       the mean :math:`\mu = g^{-1}(\eta)` (curves by :func:`draw_links`)
``"mu_eta"``   its derivative :math:`d\mu/d\eta`
``"w"``        the working weight :math:`w = (d\mu/d\eta)^2 / V(\mu)` (prior weight 1)
=============  ===============================================================

:func:`draw_link_panel` draws the curves and a marker on each at one :math:`\eta`;
``artists.update(eta)`` moves the markers (and the vertical line) to another
:math:`\eta`, leaving the panel as :func:`draw_link_panel` would draw it there.
:func:`link_values` is what the curves and markers show, computed with the family's own
functions and :func:`glmlearn.working_weights`: NaN where :math:`\eta` is outside the
link's domain or :math:`\mu` outside the family's range.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from .. import working_weights
from .._arrays import Array
from ..family import FAMILIES, Family
from . import draw_links
from ._style import _C, _CYCLE, FONT_SIZES

__all__ = ["ETA_RANGES", "QUANTITIES", "LinkPanelArtists", "LinkValues", "draw_link_panel",
           "link_values"]

Quantity = Literal["mu", "mu_eta", "w"]

#: The panels' quantities, in the order the link explorer shows them.
QUANTITIES: tuple[Quantity, ...] = ("mu", "mu_eta", "w")

#: The range of eta shown for each family: wide enough to see every link saturate or bend.
ETA_RANGES: dict[str, tuple[float, float]] = {
    "binomial": (-6.0, 6.0),
    "poisson": (-2.0, 3.0),
    "gaussian": (-3.0, 3.0),
    "gamma": (-2.0, 3.0),
    "inverse_gaussian": (-2.0, 3.0),
}

#: Line styles of the links, in the order of the family's allowed links (as draw_links).
_LINESTYLES = ("-", "--", "-.", ":")

_TITLES = {"mu_eta": ("Derivative dμ/dη", "dμ/dη"),
           "w": ("Working weight w = (dμ/dη)² / V(μ)", "w (prior weight 1)")}


class LinkValues(NamedTuple):
    r""":math:`\mu`, :math:`d\mu/d\eta`, :math:`V(\mu)` and :math:`w` along :math:`\eta`."""

    mu: Array
    mu_eta: Array
    variance: Array
    w: Array


def _family(family: str | Family) -> Family:
    return FAMILIES[family]() if isinstance(family, str) else family


def link_values(family: str | Family, link: str, eta: Any) -> LinkValues:
    r"""What IRLS makes of an observation at linear predictor :math:`\eta`, under ``link``.

    Parameters
    ----------
    family : str or Family
        The family (its own link is ignored).
    link : str
        One of the family's allowed links.
    eta : array_like

    Returns
    -------
    LinkValues
        NaN where :math:`\eta` is outside the link's domain or :math:`\mu` outside the
        family's range.
    """
    fam = FAMILIES[_family(family).name](link)
    e = np.asarray(eta, dtype=float)
    with np.errstate(all="ignore"):
        ok = fam.link.valid_eta(e)
        safe = np.where(ok, e, 1.0)  # any valid eta: the masked values are dropped
        mu = fam.link_inverse(safe)
        ok &= fam.valid_mu(mu)
        dmu = fam.mu_eta(safe)
        w = working_weights(fam, mu, safe)
        v = fam.variance(mu)
    return LinkValues(*(np.where(ok, a, np.nan) for a in (mu, dmu, v, w)))


@dataclass(frozen=True, eq=False)
class LinkPanelArtists:
    r"""Artists of one link-explorer panel (from :func:`draw_link_panel`).

    Attributes
    ----------
    ax : Axes
    family : Family
    quantity : {"mu", "mu_eta", "w"}
    curves : dict
        ``{link name: Line2D}``, the quantity along :math:`\eta`.
    markers : dict
        ``{link name: Line2D}``, one point at the :math:`\eta` shown (empty where the
        value is NaN).
    vline : Line2D
        The vertical line at the :math:`\eta` shown.
    """

    ax: Axes
    family: Family
    quantity: Quantity
    curves: dict[str, Line2D]
    markers: dict[str, Line2D]
    vline: Line2D

    def update(self, eta: float) -> None:
        """Move the markers and the vertical line to ``eta`` (no redraw)."""
        for name, mk in self.markers.items():
            val = float(getattr(link_values(self.family, name, [eta]), self.quantity)[0])
            mk.set_data([eta] if np.isfinite(val) else [], [val] if np.isfinite(val) else [])
        self.vline.set_xdata([eta, eta])


def draw_link_panel(ax: Axes, family: str | Family, quantity: Quantity, at: float = 0.0, *,
                    eta: tuple[float, float] | None = None, n: int = 400) -> LinkPanelArtists:
    r"""Draw one quantity of every link the family allows, with markers at ``at``.

    Parameters
    ----------
    ax : Axes
    family : str or Family
    quantity : {"mu", "mu_eta", "w"}
        :math:`\mu = g^{-1}(\eta)`, :math:`d\mu/d\eta` or :math:`w = (d\mu/d\eta)^2/V(\mu)`.
    at : float
        The :math:`\eta` marked.
    eta : (float, float), optional
        The range shown (default: :data:`ETA_RANGES` of the family).
    n : int
        Points along each curve.

    Returns
    -------
    LinkPanelArtists
    """
    fam = _family(family)
    lo, hi = ETA_RANGES[fam.name] if eta is None else eta
    links = fam.allowed_links
    if quantity == "mu":
        curves = {name: art.curve
                  for name, art in draw_links(ax, links, eta=(lo, hi), n=n).items()}
    else:
        grid = np.linspace(lo, hi, n)
        curves = {}
        for i, name in enumerate(links):
            vals = getattr(link_values(fam, name, grid), quantity)
            (curves[name],) = ax.plot(grid, vals, label=name, color=_C[_CYCLE[i % len(_CYCLE)]],
                                      linestyle=_LINESTYLES[i % len(_LINESTYLES)], linewidth=2)
    markers = {name: ax.plot([], [], marker="o", markersize=8, color=c.get_color(),
                             linestyle="none", zorder=5)[0] for name, c in curves.items()}
    if quantity == "mu":
        ax.set_title(f"{fam.name}: mean μ = g⁻¹(η)", fontsize=FONT_SIZES.title)
        if fam.name == "binomial":  # a probability: the log link's mean above 1 is invalid
            ax.set_ylim(-0.05, 1.05)
        elif fam.name != "gaussian":  # a positive mean: the inverse link's eta < 0 is invalid
            top = ax.get_ylim()[1]
            ax.set_ylim(-0.05 * top, top)
    else:
        v = np.concatenate([np.asarray(c.get_ydata(), float) for c in curves.values()])
        v = v[np.isfinite(v)]
        if v.size:  # percentiles: exp(eta) or 1/eta^2 near a pole would squash the rest
            y_lo, y_hi = (float(q) for q in np.percentile(v, [2, 98]))
            y_lo, y_hi = min(y_lo, 0.0), max(y_hi, 0.0)
            pad = 0.06 * (y_hi - y_lo or 1.0)
            ax.set_ylim(y_lo - pad, y_hi + pad)
        title, ylabel = _TITLES[quantity]
        ax.set_title(title, fontsize=FONT_SIZES.title)
        ax.set_xlabel("linear predictor η", fontsize=FONT_SIZES.label)
        ax.set_ylabel(ylabel, fontsize=FONT_SIZES.label)
        ax.tick_params(labelsize=FONT_SIZES.tick)
    vline = ax.axvline(0.0, color=_C["black"], linewidth=1, alpha=0.6)
    ax.set_xlim(lo, hi)
    art = LinkPanelArtists(ax, fam, quantity, curves, markers, vline)
    art.update(at)
    return art
