r"""Theorems you can check: WLS.1 and WLS.3 at every step, and the facts around them.

Every ``check_*`` function reads the fields of one :class:`~glmlearn.IRLSState`
(or the last state of a :class:`~glmlearn.GLMResult`) and returns one
:class:`CheckResult`: the statement, the quantity that should vanish, its size, the
tolerance actually used, how that tolerance was scaled, and whether the statement
holds. A result is truthy exactly when the statement holds, so a lesson can write
``assert check_wls3(res)``; it prints as one line and shows as a small table in a
notebook. :func:`check_trace` runs a per-state check along a whole trace and returns a
:class:`TraceCheck` of per-iteration arrays, ready to plot. Nothing here refits: the
quantities are computed from the fields the core stored (``X, y, w, z, eta, mu,
beta, beta_next, score``, the prior weights, the offset and the family).

Notation
--------
For one state: :math:`o` is the offset, :math:`w^{\text{p}}` the prior weights,
:math:`\mu'(\eta) = d\mu/d\eta`, :math:`V` the variance function,
:math:`W = \operatorname{diag}(w)` the working weights
:math:`w = w^{\text{p}} \mu'(\eta)^2 / V(\mu) = w^{\text{p}} / (V(\mu)\, g'(\mu)^2)`
(a vector: no :math:`n \times n` matrix is ever formed), and
:math:`z = \eta + (y - \mu)\, g'(\mu)` the working response (offset included).

The statements
--------------
**WLS.1** (weighted residual orthogonality; :func:`check_wls1`,
:func:`check_wls1_problem`). The solution :math:`\beta^{\text{next}}` of the state's
weighted least-squares problem satisfies the weighted normal equations

.. math:: X^\top W (z - o - X\beta^{\text{next}}) = 0 .

With equal weights this is the OLS normal equation :math:`X^\top (y - X\beta) = 0`.

**WLS.3** (score equations at convergence; :func:`check_wls3`). At the
maximum-likelihood estimate the score

.. math:: U(\beta) = X^\top \operatorname{diag}\!\big(w^{\text{p}}\mu'(\eta)/V(\mu)\big)\,(y - \mu)

vanishes (``form="general"``, every link). For the canonical link
:math:`\mu'(\eta) = V(\mu)` and it reads :math:`X^\top W^{\text{p}} (y - \mu) = 0`
(``form="canonical"``); for other links that canonical form does *not* vanish.

**Fisher scoring** (:func:`check_fisher_scoring`). Since
:math:`z - o - X\beta = (y - \mu)/\mu'` and :math:`w = w^{\text{p}}\mu'^2/V`,
:math:`X^\top W (z - o - X\beta) = U(\beta)`: at the current :math:`\beta` the weighted
normal equations' right-hand side is the score, so the IRLS step is

.. math:: \beta^{\text{next}} - \beta = \mathcal I(\beta)^{-1} U(\beta), \qquad
          \mathcal I = X^\top \operatorname{diag}\!\big(w^{\text{p}} \mu'(\eta)^2 / V(\mu)\big) X ,

Fisher scoring with the expected information :math:`\mathcal I` (times :math:`\phi`).

**Newton-Raphson** (:func:`check_newton_raphson`). The observed information is
:math:`\mathcal J = -\partial U / \partial\beta^\top = \mathcal I -
X^\top \operatorname{diag}\!\big(w^{\text{p}} (y - \mu)\, \tfrac{d}{d\eta}[\mu'/V]\big) X`.
For a canonical link :math:`\mu'/V \equiv 1`, so :math:`\mathcal J = \mathcal I` and IRLS *is*
Newton-Raphson (hence its quadratic convergence, :func:`convergence_order`); for other
links the two steps differ.

**Working weights** (:func:`check_working_weights`). :math:`w` is the reciprocal of the
variance of the working response, :math:`w^{\text{p}} / (V(\mu)\, g'(\mu)^2)`.

**Gaussian, identity link** (:func:`check_gaussian_one_step`). :math:`w = w^{\text{p}}`
and :math:`z = y`, so the first WLS step is ordinary (prior-weighted) least squares and
IRLS stays there.

**The quadratic model** (:func:`check_quadratic_minimum`, :func:`check_quadratic_touches`,
:func:`check_quadratic_curvature`). Each step minimises
:math:`Q_k(\beta) = D(\beta^{(k)}) - 2U^\top\delta + \delta^\top H\delta`,
:math:`\delta = \beta - \beta^{(k)}`, :math:`H` the state's ``xtwx``: the weighted
least-squares objective up to a constant. Its minimum is :math:`\beta^{\text{next}}`; it
has the deviance's value and gradient at :math:`\beta^{(k)}`; its curvature is the
observed information for canonical links (and Newton steps), the expected one otherwise.

Tolerances
----------
Each check compares a *size* with ``tol = rtol * scale (+ floor)`` (``holds`` is
``size <= tol``). The scale is the size of the terms that cancel, so the verdict does not
depend on the units of the data; the floor is the rounding error the computation itself
can carry. Each check's docstring says what its size, scale and floor are, and why.

Not applicable
--------------
State 0 of a fit started from R's starting means has no coefficients (``beta is None``).
The checks that need :math:`\beta` (Fisher scoring, Newton-Raphson) then return a
:class:`CheckResult` with ``applicable=False`` (and ``holds=False``, so it is falsy and an
``assert`` never passes by accident) and a note saying why; they do not raise, so
:func:`check_trace` can run them along a whole trace. WLS.1, WLS.3 and the working-weight
check use only :math:`\mu, w, z, \beta^{\text{next}}` and work on state 0 too.
"""

from __future__ import annotations

from ._report import CheckResult, ConvergenceOrder, TraceCheck
from .identities import check_gaussian_one_step, check_working_weights
from .quadratic import (
    check_newton_equals_fisher,
    check_quadratic_curvature,
    check_quadratic_minimum,
    check_quadratic_touches,
)
from .steps import check_fisher_scoring, check_newton_raphson
from .trace import check_trace, convergence_order
from .wls import check_wls1, check_wls1_problem, check_wls3

__all__ = [
    "CheckResult",
    "ConvergenceOrder",
    "TraceCheck",
    "check_fisher_scoring",
    "check_gaussian_one_step",
    "check_newton_equals_fisher",
    "check_newton_raphson",
    "check_quadratic_curvature",
    "check_quadratic_minimum",
    "check_quadratic_touches",
    "check_trace",
    "check_wls1",
    "check_wls1_problem",
    "check_wls3",
    "check_working_weights",
    "convergence_order",
]
