r"""Pictures of IRLS at work: one ``draw_*`` / ``update_*`` pair per panel.

Every panel follows the same contract, so the same code serves a static figure, a
widget (``glmlearn.widgets``) and an animation (``glmlearn.animation``):

* ``draw_<panel>(ax, state, ...)`` creates the panel's artists on ``ax`` for one
  :class:`~glmlearn.IRLSState` and returns them in a small frozen dataclass;
* ``update_<panel>(artists, state)`` moves those artists to another state of the same
  trace, in place (``set_data``, ``set_offsets``, ``set_sizes``, ``set_text`` and axis
  limits where they depend on the state). It never draws: the caller redraws once,
  e.g. ``fig.canvas.draw_idle()``, after updating every panel.

``update_<panel>(draw_<panel>(ax, s_j, ...), s_k)`` leaves the panel exactly as
``draw_<panel>(ax, s_k, ...)`` draws it (the tests check this artist by artist).

==============  =====================================================================
panel           what it shows
==============  =====================================================================
``fit``         data and the fitted mean :math:`\mu = g^{-1}(x^\top\beta)` against one
                predictor (others at their means) or against :math:`\eta`; earlier
                iterations faded; optional confidence band of the final fit
``weights``     working weights :math:`w_i` against a predictor, :math:`\mu` or :math:`\eta`
``working``     working response :math:`z_i` (point area :math:`\propto w_i`) with this
                step's weighted least-squares fit :math:`x^\top\beta^{\text{next}}`
``deviance``    the deviance trace :math:`D^{(k)}`, current iteration marked
``convergence``  :math:`\max_j|U_j|` and R's criterion on a log scale
``path``        the path of :math:`(\beta_0, \beta_1)` over the deviance surface
                (two-parameter models)
==============  =====================================================================

:func:`draw_links` pictures link functions; :func:`explorer_figure` lays out all the
panels of a trace in one figure and :func:`update_all` moves them together.

Nothing here refits or recomputes statistics: the panels read the fields of the states
(``beta``, ``eta``, ``mu``, ``w``, ``z``, ``deviance``, ``criterion``, ``score``,
``beta_next``). Drawing a *curve* evaluates :math:`g^{-1}(x^\top\beta)` along a grid of
``x`` for the state's own :math:`\beta`, and the path panel's contour map evaluates the
family's deviance at :math:`\mu = g^{-1}(X\beta + o)` on a grid of :math:`\beta`: a
picture of the likelihood surface, not a fit.

Style: colours come from the colour-blind-safe Okabe--Ito palette (:data:`OKABE_ITO`)
and text is at least 10 pt. They are passed to each artist explicitly; the global
``rcParams`` are never changed (:func:`plot_style` is an ``rc_context`` for your own
figures).

The package, one module per concept (everything public is importable from
``glmlearn.plot``):

=================  ==================================================================
``_style``         palette, font sizes, :func:`plot_style`, corner labels and legends
``_common``        traces, the column plotted against, axis limits
``fit``            the fit panel
``diagnostics``    the weights, working-response, deviance and convergence panels
``path``           :func:`deviance_surface` and the path panel
``links``          :func:`draw_link`, :func:`draw_links`
``layout``         :func:`explorer_figure`, :func:`update_all`, :data:`PANELS`
``frames``         :class:`FrameRenderer`: a frame per state, static parts rendered once
=================  ==================================================================

This package imports matplotlib (never ``matplotlib.pyplot`` at import time) and never
ipywidgets.
"""

from ._common import as_trace
from ._style import OKABE_ITO, plot_style
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
from .frames import FrameRenderer, moving_artists
from .layout import PANELS, default_panels, explorer_figure, update, update_all
from .links import LinkArtists, draw_link, draw_links
from .path import PathArtists, deviance_surface, draw_path, update_path

__all__ = [
    "OKABE_ITO",
    "PANELS",
    "ConvergenceArtists",
    "DevianceArtists",
    "FitArtists",
    "FrameRenderer",
    "LinkArtists",
    "PathArtists",
    "WeightsArtists",
    "WorkingArtists",
    "as_trace",
    "default_panels",
    "deviance_surface",
    "draw_convergence",
    "draw_deviance",
    "draw_fit",
    "draw_link",
    "draw_links",
    "draw_path",
    "draw_weights",
    "draw_working",
    "explorer_figure",
    "moving_artists",
    "plot_style",
    "update",
    "update_all",
    "update_convergence",
    "update_deviance",
    "update_fit",
    "update_path",
    "update_weights",
    "update_working",
]
