r"""Pictures of IRLS at work: one ``draw_*`` function and one artists class per panel.

Every panel follows one protocol (:class:`Panel`), so the same code serves a static
figure, a widget (``glmlearn.widgets``) and an animation (``glmlearn.animation``):

* ``draw_<panel>(ax, state, *, trace, ...)`` creates the panel's artists on ``ax`` for
  one :class:`~glmlearn.IRLSState` and returns them in a small frozen dataclass, a
  :class:`Panel`. Whatever depends on the whole trace (axis limits, the scale of point
  areas, the deviance surface) is computed here, once;
* ``artists.update(state)`` moves those artists to another state of the same trace, in
  place (``set_data``, ``set_offsets``, ``set_sizes``, ``set_text``), reading that state
  only. It never draws: the caller redraws once, e.g. ``fig.canvas.draw_idle()``, after
  updating every panel. ``update_<panel>(artists, state)`` and :func:`update` do the
  same;
* ``artists.moving`` names the artists ``update`` may change; the others are static,
  which :class:`FrameRenderer` uses to render them once.

``draw_<panel>(ax, s_j, ...).update(s_k)`` leaves the panel exactly as
``draw_<panel>(ax, s_k, ...)`` draws it (the tests check this artist by artist).

================  =====================================================================
panel             what it shows
================  =====================================================================
``fit``           how the fit meets the data, in one of three views (``view=``): the
                  fitted mean curve against one predictor (others at their means) or
                  against :math:`\eta`, earlier iterations faded, optional confidence
                  band; observed :math:`y_i` against fitted :math:`\mu_i` with
                  :math:`y = \mu`; partial residuals :math:`z - \eta + \beta_j x_j`
                  against :math:`x_j` with :math:`\beta_j x`. Several predictors: not
                  the curve by default (:func:`default_fit_view`)
``weights``       working weights :math:`w_i` against a predictor, :math:`\mu` or :math:`\eta`
``working``       working response :math:`z_i` (point area :math:`\propto w_i`) with this
                  step's weighted least-squares fit :math:`x^\top\beta^{\text{next}}`
``deviance``      the deviance trace :math:`D^{(k)}`, current iteration marked
``convergence``   :math:`\max_j|U_j|` and R's criterion on a log scale
``path``          the path of :math:`(\beta_0, \beta_1)` over the deviance surface
                  (two-parameter models); ``quadratic=True`` adds each step's
                  quadratic model :math:`Q_k` and its minimum
``step_line``     the deviance along the state's step against :math:`Q_k`'s parabola
                  (any number of coefficients; drawn when named, not by default)
================  =====================================================================

:data:`PANEL_REGISTRY` maps these names to their draw functions (:data:`PANELS` lists
them); :func:`explorer_figure` lays out the panels of a trace in one figure and
:func:`update_all` moves them together. :func:`draw_links` pictures link functions.

Nothing here refits or recomputes statistics: the panels read the fields of the states
(``beta``, ``eta``, ``mu``, ``w``, ``z``, ``deviance``, ``criterion``, ``score``,
``beta_next``). Drawing a *curve* evaluates :math:`g^{-1}(x^\top\beta)` along a grid of
``x`` for the state's own :math:`\beta`, and the path panel's contour map is the
family's deviance on a grid of :math:`\beta` (:func:`glmlearn.surface.deviance_surface`,
in the core, evaluated once per drawing): a picture of the likelihood surface, not a
fit.

Style: colours come from the colour-blind-safe Okabe--Ito palette (:data:`OKABE_ITO`)
and text is at least 10 pt (the sizes: :data:`FONT_SIZES`). They are passed to each
artist explicitly; the global ``rcParams`` are never changed (:func:`plot_style` is an
``rc_context`` for your own figures).

Presentation: text follows matplotlib's ``rcParams["font.size"]`` at draw time (title
1.2x, axis labels 1.1x, ticks, legends and labels 1x), so ``with
matplotlib.rc_context({"font.size": 20}):`` doubles it, as does ``explorer_figure(...,
scale=2)``; :func:`slide_style` is such a context. ``slide_figure(result, "fit",
"deviance")`` is a 16:9 slide of two panels in large text.

Nothing hidden: which state a panel shows is written in a strip between its title and
its axes, never over the data; a legend goes to the position inside the axes where it
covers no marker and no line of *any* state of the trace (measured, ``_place``), or
outside the axes when there is none. Iteration 0 from R's starting means is marked as
what it is, a starting guess :math:`\mu^{(0)}` and not a fitted model (its deviance is
drawn hollow and apart); from ``start=`` it says "starting coefficients".

The package, one module per concept (everything public is importable from
``glmlearn.plot``):

=================  ==================================================================
``_panel``         the protocol: :class:`Panel`, :class:`PanelSpec`, :func:`update`,
                   :func:`update_all`, :func:`moving_artists`
``registry``       :data:`PANEL_REGISTRY`, :data:`PANELS`, :func:`default_panels`
``fitted``         the fit panel
``weights``        the working-weights panel
``working``        the working-response panel
``deviance``       the deviance panel
``convergence``    the convergence panel
``method_race``    :func:`draw_race`: Fisher scoring, Newton and gradient ascent on one
                   surface, stepped together (the method race widget's picture)
``step_line``      the step-line panel (the model: core :func:`~glmlearn.surface.quadratic_model`)
``path``           the path panel and :func:`path_surface` (the surface: core
                   :mod:`glmlearn.surface`)
``links``          :func:`draw_link`, :func:`draw_links`
``theta``          :func:`draw_theta_trace`: the outer loop of a negative binomial fit
``modelcheck``     R's four model-check plots (:func:`modelcheck_figure`, from
                   ``result.influence()``), each point labelled by its row
``profile``        :func:`draw_profile`: a coefficient's profile deviance beside the Wald
                   quadratic, both intervals marked (from ``result.profile(name)``)
``layout``         :func:`explorer_figure`, :func:`slide_figure`
``_style``         palette, :data:`FONT_SIZES`, :func:`plot_style`, :func:`slide_style`,
                   state labels, legends
``_place``         where a legend covers nothing: candidate positions, measured
``_common``        traces, the column plotted against, axis limits
``_blit``          :class:`FrameRenderer`: a frame per state, static parts rendered once
``_freeze``        the constrained layout computed once per figure size
``_jshtml``        matplotlib's animation player made to work offline
=================  ==================================================================

The three private modules ``_blit``, ``_freeze`` and ``_jshtml`` work around matplotlib
behaviour (and use its private parts); each says which, on which version, and which
test pins it.

Adding a panel
--------------
One new module and one line in ``registry.py``. Say ``plot/residuals.py``:

1. ``@dataclass(frozen=True, eq=False) class ResidualsArtists(Panel)`` with the fields
   ``ax``, ``label`` and its artists, a ``moving`` property (the artists ``update``
   changes) and ``update(self, state)`` (``set_*`` calls from ``state`` only);
2. ``draw_residuals(ax, state, *, trace=None, ...)`` that draws the static parts,
   computes any trace-wide limits once, calls ``art.update(state)`` and returns ``art``
   (add the keywords ``x``, ``band`` or ``legend`` to receive
   :func:`explorer_figure`'s options of those names);
3. in ``registry.py``: ``"residuals": PanelSpec(draw_residuals),`` (with
   ``applies=`` if it makes sense only for some traces), and export the names here.

The panel is then in :data:`PANELS`, :func:`explorer_figure`, :func:`update_all`, the
frame renderer, the widgets and the animations. Add ``("residuals", draw_residuals,
update, {})`` to the ``PANELS`` list of ``tests/test_plot.py``: the draw/update contract
and the moving-artists tests then cover it.

This package imports matplotlib (never ``matplotlib.pyplot`` at import time) and never
ipywidgets.
"""

from ..surface import Surface, deviance_surface
from ._blit import FrameRenderer
from ._common import as_trace
from ._panel import DrawFunction, Panel, PanelSpec, moving_artists, update, update_all
from ._style import FONT_SIZES, OKABE_ITO, SLIDE_FONT_SIZE, FontSizes, plot_style, slide_style
from .convergence import ConvergenceArtists, draw_convergence, update_convergence
from .deviance import DevianceArtists, draw_deviance, update_deviance
from .fitted import FIT_VIEWS, FitArtists, default_fit_view, draw_fit, update_fit
from .layout import SLIDE_SIZE, explorer_figure, slide_figure
from .links import LinkArtists, draw_link, draw_links
from .method_race import RaceArtists, draw_race
from .modelcheck import (
    ModelCheckArtists,
    ModelCheckPanel,
    draw_qq,
    draw_residuals_fitted,
    draw_residuals_leverage,
    draw_scale_location,
    modelcheck_figure,
)
from .path import PathArtists, draw_path, path_surface, update_path
from .profile import ProfileArtists, draw_profile
from .registry import PANEL_REGISTRY, PANELS, default_panels
from .step_line import StepLineArtists, draw_step_line, step_line_values, update_step_line
from .theta import ThetaTraceArtists, draw_theta_trace
from .weights import WeightsArtists, draw_weights, update_weights
from .working import WorkingArtists, draw_working, update_working

__all__ = [
    "FIT_VIEWS",
    "FONT_SIZES",
    "OKABE_ITO",
    "PANELS",
    "PANEL_REGISTRY",
    "SLIDE_FONT_SIZE",
    "SLIDE_SIZE",
    "ConvergenceArtists",
    "DevianceArtists",
    "DrawFunction",
    "FitArtists",
    "FontSizes",
    "FrameRenderer",
    "LinkArtists",
    "ModelCheckArtists",
    "ModelCheckPanel",
    "Panel",
    "PanelSpec",
    "PathArtists",
    "ProfileArtists",
    "RaceArtists",
    "StepLineArtists",
    "Surface",
    "ThetaTraceArtists",
    "WeightsArtists",
    "WorkingArtists",
    "as_trace",
    "default_fit_view",
    "default_panels",
    "deviance_surface",
    "draw_convergence",
    "draw_deviance",
    "draw_fit",
    "draw_link",
    "draw_links",
    "draw_path",
    "draw_profile",
    "draw_qq",
    "draw_race",
    "draw_residuals_fitted",
    "draw_residuals_leverage",
    "draw_scale_location",
    "draw_step_line",
    "draw_theta_trace",
    "draw_weights",
    "draw_working",
    "explorer_figure",
    "modelcheck_figure",
    "moving_artists",
    "path_surface",
    "plot_style",
    "slide_figure",
    "slide_style",
    "step_line_values",
    "update",
    "update_all",
    "update_convergence",
    "update_deviance",
    "update_fit",
    "update_path",
    "update_step_line",
    "update_weights",
    "update_working",
]
