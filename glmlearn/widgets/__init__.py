r"""Widgets that let you watch IRLS work (needs ipywidgets and matplotlib; ipympl optional).

``import glmlearn`` does not import this module, nor ipywidgets or matplotlib: they load
when you import :mod:`glmlearn.widgets`.

========================  ==================================================================
:func:`irls_explorer`     every panel of :func:`glmlearn.plot.explorer_figure` with Play,
                          step buttons and an iteration slider; menus to change the data,
                          family, link and start (:class:`IRLSExplorer`)
:func:`link_explorer`     slide :math:`\eta`: :math:`\mu`, :math:`d\mu/d\eta` and the weight
                          :math:`(d\mu/d\eta)^2/V(\mu)` under every link of a family
:func:`wls_playground`    set a few weights; the weighted fit moves, the weighted score
                          :math:`X^\top W(z - X\beta)` stays zero (theorem WLS.1)
:func:`separation_demo`   move one failure until the classes separate; :math:`\beta` runs
                          away and the fit's troubles appear
:func:`method_race`       Fisher scoring, Newton-Raphson and gradient ascent stepped together
                          on one deviance surface, with their iteration counts
:func:`hands_on`          click the deviance surface to set β, run IRLS from there, drag a
                          data point and watch the refit, its weight and its leverage
                          (:class:`HandsOn`)
========================  ==================================================================

How they work (the design's item 10): the trace is computed once; a slider or ``Play``
picks a state; one callback moves every panel with the :mod:`glmlearn.plot` ``update_*``
functions (the demos' panels: ``artists.update`` of :mod:`glmlearn.plot.demo_links`,
:mod:`~glmlearn.plot.demo_wls`, :mod:`~glmlearn.plot.demo_separation`) and redraws once
(``fig.canvas.draw_idle()``). Under ``%matplotlib widget`` the figure is a live ipympl
canvas; otherwise it is re-rendered to a PNG after each change. The explorer renders its
frames with :class:`glmlearn.plot.FrameRenderer`: the static parts of the figure once per
fit, then per frame only what moves (the same pixels). What a fit did (non-convergence,
separation, ...) is read from ``result.troubles``; the widgets silence the fit's warnings
and show each trouble once in their status line.

One private module per widget: ``_irls_explorer``, ``_hands_on``, ``_link_explorer``,
``_wls_playground``, ``_separation_demo``, ``_method_race``; ``_view`` (the figure, live or
a picture, and the status line), ``_ipympl_fixes`` (the workarounds for ipympl and ipywidgets, each with
its reason and test), ``_text`` (tables and status lines), ``_data`` (the explorer's
problems). The public names are those of this package: ``glmlearn.widgets.link_explorer``
is the function, and no public module has a widget's name.

Displaying any of them in a notebook also saves a PNG picture of its current state in the
output, so the saved notebook shows the figure where no kernel runs (nbviewer, GitHub).

Examples
--------
>>> %matplotlib widget                               # doctest: +SKIP
>>> from glmlearn.widgets import irls_explorer       # doctest: +SKIP
>>> irls_explorer("beetles", family="binomial", link="cloglog")   # doctest: +SKIP
"""

from __future__ import annotations

from ._data import DATASETS, ExplorerData, pass_fail
from ._hands_on import HandsOn, hands_on, leverage
from ._ipympl_fixes import SnapshotBox
from ._irls_explorer import IRLSExplorer, irls_explorer
from ._link_explorer import LinkExplorer, link_explorer
from ._method_race import MethodRace, method_race
from ._separation_demo import SeparationDemo, separation_demo
from ._view import FigureView, FigureWidget, ipympl_active
from ._wls_playground import WLSPlayground, wls_playground

__all__ = [
    "DATASETS",
    "ExplorerData",
    "FigureView",
    "FigureWidget",
    "HandsOn",
    "IRLSExplorer",
    "LinkExplorer",
    "MethodRace",
    "SeparationDemo",
    "SnapshotBox",
    "WLSPlayground",
    "hands_on",
    "ipympl_active",
    "irls_explorer",
    "leverage",
    "link_explorer",
    "method_race",
    "pass_fail",
    "separation_demo",
    "wls_playground",
]
