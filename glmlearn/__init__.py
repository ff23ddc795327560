r"""glmlearn: learn generalized linear models by watching IRLS work.

Glossary (the same symbols in every public name)
------------------------------------------------
=========  ===============================================================
``X``      design matrix, n rows by p columns
``y``      response (a proportion for binomial)
``beta``   coefficients :math:`\beta`
``eta``    linear predictor :math:`\eta = X\beta + \text{offset}`
``mu``     mean :math:`\mu = g^{-1}(\eta)`
``z``      working response :math:`z = \eta + (y - \mu)\, g'(\mu)`
``w``      working weights :math:`w = w^{\text{prior}} / (V(\mu)\, g'(\mu)^2)`
``deviance``  :math:`D = \sum_i w_i^{\text{prior}} d(y_i, \mu_i)`
``phi``    dispersion :math:`\phi`, with :math:`\operatorname{Var}(y) = \phi V(\mu) / w^{\text{prior}}`
``score``  :math:`U = X^\top \operatorname{diag}(w^{\text{prior}} \mu'(\eta)/V(\mu))(y - \mu)`
``theta``  the negative binomial's shape, :math:`V(\mu) = \mu + \mu^2/\theta`
=========  ===============================================================

Where to start
--------------
* :func:`irls` -- the IRLS loop as a generator of frozen :class:`IRLSState` objects
  (``glmlearn/_irls.py``: the loop is ``_iterate``); ``method="newton"`` or
  ``"gradient"`` proposes the steps by Newton-Raphson or gradient ascent instead
  (``glmlearn/_methods.py``), and :func:`convergence_order` measures how fast a trace
  converges.
* :func:`fit` -- runs the loop and returns a :class:`GLMResult` (summary, inference,
  residuals, predictions, the whole trace); from arrays, ``fit(X, y, family)``, or from a
  DataFrame with an R formula, ``fit("counts ~ outcome + treatment", data=df,
  family="poisson")`` (:mod:`glmlearn.formula`: R's conventions).
* :mod:`glmlearn.family` -- families and links.
* Overdispersion: :func:`dispersion_check` (Pearson's :math:`X^2/\text{df}`), the quasi
  families :func:`quasipoisson`, :func:`quasibinomial`, :func:`quasi` (``glmlearn/_quasi.py``),
  :func:`negative_binomial` (:mod:`glmlearn.negbin`) and ``fit(X, y, "negative_binomial")``,
  which estimates :math:`\theta` as MASS's ``glm.nb`` and keeps both loops
  (:class:`NegBinResult`, ``glmlearn/_negbin_fit.py``).
* ``result.troubles`` -- what went wrong numerically, found once from the finished trace
  (``glmlearn/_diagnostics.py``); :class:`Trouble` holds its kind, flag and message.
* :mod:`glmlearn.theorems` -- WLS.1, WLS.3 and the facts around them, checked on states.
* :func:`anova` and :mod:`glmlearn.inference` -- tests between models, intervals, model
  checks, each number read from the IRLS states.
* :mod:`glmlearn.surface` -- the deviance surface over two coefficients.
* :mod:`glmlearn.compat` -- plain-function names for tutorial-style code.

Plotting (``glmlearn.plot``) and widgets (``glmlearn.widgets``) import matplotlib and
ipywidgets only when used.
"""

from __future__ import annotations

from ._diagnostics import Trouble
from ._fit import fit
from ._irls import IRLSState, irls, score, working_response, working_weights
from ._methods import observed_weights
from ._negbin_fit import NegBinResult, ThetaStep
from .dispersion import DispersionCheck, dispersion_check
from .errors import (
    BoundaryWarning,
    ColumnNamesWarning,
    ConvergenceWarning,
    GLMInputError,
    GLMTypeError,
    GLMWarning,
    IllConditionedWarning,
    InfiniteEstimateWarning,
    InterceptNotice,
    MissingValuesNotice,
    NonIntegerWarning,
    RankDeficiencyWarning,
    ResidualDFWarning,
    SeparationWarning,
    StepHalvingWarning,
    ThetaWarning,
)
from .family import (
    FAMILIES,
    LINKS,
    OVERDISPERSION_FAMILIES,
    Family,
    binomial,
    gamma,
    gaussian,
    inverse_gaussian,
    negative_binomial,
    poisson,
    quasi,
    quasibinomial,
    quasipoisson,
)
from .inference import anova
from .links import Link
from .results import GLMResult
from .theorems import convergence_order

__version__ = "0.1.0"

__all__ = [
    "FAMILIES",
    "LINKS",
    "OVERDISPERSION_FAMILIES",
    "BoundaryWarning",
    "ColumnNamesWarning",
    "ConvergenceWarning",
    "DispersionCheck",
    "Family",
    "GLMInputError",
    "GLMResult",
    "GLMTypeError",
    "GLMWarning",
    "IRLSState",
    "IllConditionedWarning",
    "InfiniteEstimateWarning",
    "InterceptNotice",
    "Link",
    "MissingValuesNotice",
    "NegBinResult",
    "NonIntegerWarning",
    "RankDeficiencyWarning",
    "ResidualDFWarning",
    "SeparationWarning",
    "StepHalvingWarning",
    "ThetaStep",
    "ThetaWarning",
    "Trouble",
    "anova",
    "binomial",
    "convergence_order",
    "dispersion_check",
    "fit",
    "gamma",
    "gaussian",
    "inverse_gaussian",
    "irls",
    "negative_binomial",
    "observed_weights",
    "poisson",
    "quasi",
    "quasibinomial",
    "quasipoisson",
    "score",
    "working_response",
    "working_weights",
]
