r"""The link explorer: slide :math:`\eta` and compare the links a family allows.

Three panels share the :math:`\eta` axis (:func:`glmlearn.plot.demo_links.draw_link_panel`):
the mean :math:`\mu = g^{-1}(\eta)`, its derivative :math:`d\mu/d\eta`, and the working
weight :math:`w = (d\mu/d\eta)^2 / V(\mu)` that IRLS gives an observation whose linear
predictor is :math:`\eta`. Moving the slider moves the markers (``artists.update``),
refreshes the table and redraws once; changing the family draws the panels afresh.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.lines import Line2D

from ..family import FAMILIES, Family
from ..plot.demo_links import ETA_RANGES, QUANTITIES, LinkPanelArtists, draw_link_panel, link_values
from ._checks import check_choice, check_real
from ._ipympl_fixes import SnapshotBox
from ._view import Backend, FigureWidget, guarded

__all__ = ["ETA_RANGES", "LinkExplorer", "link_explorer"]


def _fmt(v: float) -> str:
    return "—" if not np.isfinite(v) else f"{v:.4g}"


def link_table_html(family: Family, eta: float) -> str:
    r"""One row per link: :math:`\mu`, :math:`d\mu/d\eta`, :math:`V(\mu)`, :math:`w` at ``eta``."""
    rows = []
    for name in family.allowed_links:
        mu, d, v, w = (float(a[0]) for a in link_values(family, name, [eta]))
        canon = " (canonical)" if name == family.canonical_link else ""
        rows.append(f"<tr><th>{html.escape(name)}{canon}</th><td>{_fmt(mu)}</td>"
                    f"<td>{_fmt(d)}</td><td>{_fmt(v)}</td><td>{_fmt(w)}</td></tr>")
    return (
        f"<table class='glmlearn-links'><tr><th>η = {eta:.3g}</th><th>μ = g⁻¹(η)</th>"
        f"<th>dμ/dη</th><th>V(μ)</th><th>w = (dμ/dη)²/V(μ)</th></tr>{''.join(rows)}</table>"
        "<div>— : η outside the link's domain or μ outside the family's range</div>")


def link_status_html(family: Family, eta: float) -> str:
    r"""What the panels show: the family, :math:`\eta`, and the links undefined there."""
    undefined = [name for name in family.allowed_links
                 if not np.isfinite(link_values(family, name, [eta]).mu[0])]
    text = f"Showing the {family.name} family's links at η = {eta:.3g}"
    if undefined:
        text += (f"; not defined there (no marker): {', '.join(undefined)} (η outside the "
                 "link's domain or μ outside the family's range)")
    return f"<div>{html.escape(text)}.</div>"


def _check_eta(eta: Any, family: str) -> float:
    lo, hi = ETA_RANGES[family]
    return check_real("eta", eta, lo, hi, where=f"the slider's range for the {family} family")


class LinkExplorer(FigureWidget):
    r"""Slide :math:`\eta` and compare the links a family allows.

    Parameters
    ----------
    family : str
        A name from :data:`glmlearn.FAMILIES`.
    eta : float
        Starting value of the slider: a finite number in the family's range
        (:data:`ETA_RANGES`, e.g. -6 to 6 for the binomial).
    backend, figsize, dpi
        As for :class:`~glmlearn.widgets.IRLSExplorer`.

    Raises
    ------
    GLMInputError, GLMTypeError
        An unknown family (the message lists them), or an ``eta`` that is not a finite
        number in the family's range (the slider could not show it).

    Attributes
    ----------
    family_menu : ipywidgets.Dropdown
    eta_slider : ipywidgets.FloatSlider
    table : ipywidgets.HTML
        One row per link: :math:`\mu`, :math:`d\mu/d\eta`, :math:`V(\mu)`, :math:`w`.
    panels : dict
        ``{quantity: LinkPanelArtists}`` for ``"mu"``, ``"mu_eta"`` and ``"w"``.
    markers : dict
        ``{link name: (mu marker, derivative marker, weight marker)}``.
    """

    def __init__(self, family: str = "binomial", eta: float = 1.0, *, backend: Backend = "auto",
                 figsize: tuple[float, float] = (13.0, 4.2), dpi: float = 80) -> None:
        if isinstance(family, Family):
            family = family.name
        family = check_choice("family", family, FAMILIES, what="family")
        eta = _check_eta(eta, family)
        super().__init__(figsize, dpi, backend)
        self.family_menu = widgets.Dropdown(options=list(FAMILIES), value=family,
                                            description="family")
        lo, hi = ETA_RANGES[family]
        self._shown = (family, eta)
        self.eta_slider = widgets.FloatSlider(value=eta, min=lo, max=hi,
                                              step=0.05, description="η",
                                              layout=widgets.Layout(width="480px"))
        self.table = widgets.HTML()
        self.family_menu.add_class("glmlearn-family")
        self.eta_slider.add_class("glmlearn-slider")
        self.table.add_class("glmlearn-table")
        self.panels: dict[str, LinkPanelArtists] = {}
        self._draw()
        self.eta_slider.observe(self._on_eta, names="value")
        self.family_menu.observe(self._on_family, names="value")
        controls = widgets.HBox([self.family_menu, self.eta_slider])
        self.widget = SnapshotBox([controls, self.view.widget, self.status, self.table],
                                  self._snapshot)
        self.widget.add_class("glmlearn-link-explorer")

    @property
    def family(self) -> Family:
        """The family chosen, with its canonical link."""
        return FAMILIES[self.family_menu.value]()

    @property
    def markers(self) -> dict[str, tuple[Line2D, Line2D, Line2D]]:
        """``{link name: (mu marker, derivative marker, weight marker)}``."""
        mu, d, w = (self.panels[q].markers for q in QUANTITIES)
        return {name: (mu[name], d[name], w[name]) for name in mu}

    @property
    def shown(self) -> tuple[str, float]:
        """``(family name, eta)`` of what the panels and the table show."""
        return self._shown

    def _draw(self) -> None:
        """Draw the three panels of the family chosen, at the slider's eta."""
        family, eta = self.family_menu.value, float(self.eta_slider.value)
        fam = FAMILIES[family]()
        fig = self.figure
        with self.view.lock:  # not while the figure renders in ipympl's thread
            fig.clear()
            self.panels = {q: draw_link_panel(ax, fam, q, eta)
                           for q, ax in zip(QUANTITIES, fig.subplots(1, 3), strict=True)}
            fig.set_layout_engine("constrained")
            fig.canvas.draw_idle()
        self._shown = (family, eta)
        self._show_text()

    def _show_text(self) -> None:
        family, eta = self._shown
        fam = FAMILIES[family]()
        self.table.value = link_table_html(fam, eta)
        self.status.value = link_status_html(fam, eta)

    @guarded
    def _on_eta(self, change: Mapping[str, Any]) -> None:
        eta = float(change["new"])
        with self.view.lock:
            for panel in self.panels.values():
                panel.update(eta)
            self.figure.canvas.draw_idle()
        self._shown = (self._shown[0], eta)
        self._show_text()

    def _set_slider(self, family: str, eta: float) -> None:
        """The slider's range to the family's, its value to ``eta``, firing no update."""
        lo, hi = ETA_RANGES[family]
        self.eta_slider.unobserve(self._on_eta, names="value")
        try:  # widen first: a FloatSlider clamps min above max
            self.eta_slider.min, self.eta_slider.max = -1e9, 1e9
            self.eta_slider.value = float(np.clip(eta, lo, hi))
            self.eta_slider.min, self.eta_slider.max = lo, hi
        finally:
            self.eta_slider.observe(self._on_eta, names="value")

    @guarded
    def _on_family(self, change: Mapping[str, Any]) -> None:
        # The new family's range may not hold eta: then eta moves to its nearest end,
        # and the slider, the panels and the table all show that eta (the status says so).
        old = float(self.eta_slider.value)
        self._set_slider(change["new"], old)
        self._draw()
        new = float(self.eta_slider.value)
        if new != old:
            family = change["new"]
            lo, hi = ETA_RANGES[family]
            text = (f"η moved from {old:.3g} to {new:.3g}: the {family} family is shown for "
                    f"η from {lo:g} to {hi:g}.")
            self.status.value += f"<div>{html.escape(text)}</div>"

    def _recover(self) -> None:
        """After an error: the menu, the slider and the panels back at what was shown."""
        family, eta = self._shown
        self.family_menu.unobserve(self._on_family, names="value")
        try:
            self.family_menu.value = family
        finally:
            self.family_menu.observe(self._on_family, names="value")
        self._set_slider(family, eta)
        self._draw()

    def _showing(self) -> str:
        family, eta = self._shown
        return f"the {family} family at η = {eta:.3g}"

    def _snapshot_html(self) -> str:
        return str(self.table.value)


def link_explorer(family: str = "binomial", eta: float = 1.0, **kwargs: Any) -> LinkExplorer:
    """Build a :class:`LinkExplorer` (see there); display the returned object."""
    return LinkExplorer(family, eta, **kwargs)
