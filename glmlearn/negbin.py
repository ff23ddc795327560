r"""The negative binomial family and the maximum-likelihood estimate of its :math:`\theta`.

A negative binomial count with mean :math:`\mu` and shape :math:`\theta > 0` has

.. math::

    P(Y = y) = \frac{\Gamma(\theta + y)}{\Gamma(\theta)\, y!}
               \Big(\frac{\theta}{\theta + \mu}\Big)^{\theta}
               \Big(\frac{\mu}{\theta + \mu}\Big)^{y},
    \qquad V(\mu) = \mu + \mu^2/\theta .

It is a Poisson count whose rate varies from unit to unit by a gamma law with mean
:math:`\mu` and variance :math:`\mu^2/\theta`: the smaller :math:`\theta`, the more the
counts vary beyond Poisson's :math:`\operatorname{Var}(y) = \mu`; as
:math:`\theta \to \infty` the negative binomial becomes the Poisson distribution.

With :math:`\theta` known this is a GLM (MASS's ``negative.binomial(theta)``): IRLS fits
:math:`\beta`, the dispersion is 1. Its unit deviance is

.. math:: d(y, \mu) = 2\Big\{y \log\frac{\max(y, 1)}{\mu}
                      - (y + \theta)\log\frac{y + \theta}{\mu + \theta}\Big\}

(:math:`y \log \max(y,1)` is 0 at :math:`y = 0`). With :math:`\theta` unknown,
:func:`glmlearn.fit` alternates IRLS for :math:`\beta` with a Newton step for
:math:`\theta` (:func:`theta_ml`), as MASS's ``glm.nb`` does: see
:mod:`glmlearn._negbin_fit`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import special

from ._arrays import Array
from .errors import GLMInputError, GLMTypeError
from .links import Link

if TYPE_CHECKING:
    from .family import Family

__all__ = ["ThetaEstimate", "nb_loglik", "negative_binomial", "theta_ml"]


def check_theta(theta: Any, name: str = "theta") -> float:
    """``theta`` as a positive finite float, or an error saying what to pass."""
    if isinstance(theta, bool) or not isinstance(theta, int | float | np.integer | np.floating):
        raise GLMTypeError(
            f"{name}: expected a positive number (the negative binomial's shape), got "
            f"{type(theta).__name__} {theta!r}"
        )
    value = float(theta)
    if not (math.isfinite(value) and value > 0):
        raise GLMInputError(
            f"{name}: must be a positive finite number, got {value!r}; theta is the "
            "negative binomial's shape (Var(y) = mu + mu^2/theta; a large theta is close to "
            "Poisson). Leave it out (family='negative_binomial') for fit() to estimate it"
        )
    return value


def nb_loglik(y: Array, mu: Array, w: Array, theta: float) -> float:
    r"""The negative binomial log-likelihood :math:`\sum_i w_i \log P(Y = y_i)`."""
    ll = (special.gammaln(theta + y) - special.gammaln(theta) - special.gammaln(y + 1)
          + theta * math.log(theta) + special.xlogy(y, mu) - (theta + y) * np.log(theta + mu))
    return float(np.sum(w * ll))


def _theta_unknown(*_: Any) -> Any:
    raise GLMInputError(
        "family: the negative binomial's theta is not set; glmlearn.fit() estimates it "
        "(as MASS's glm.nb), while irls() and a fixed-theta fit need "
        "negative_binomial(theta=...)"
    )


def negative_binomial(theta: float | None = None, link: str | Link = "log") -> Family:
    r"""The negative binomial family with shape :math:`\theta` (MASS's
    ``negative.binomial``): :math:`V(\mu) = \mu + \mu^2/\theta`, dispersion 1.

    Parameters
    ----------
    theta : float, optional
        The shape :math:`\theta > 0`. Leave it out to have :func:`glmlearn.fit`
        estimate it by maximum likelihood (MASS's ``glm.nb``); such a family cannot be
        used by :func:`glmlearn.irls` itself.
    link : str or Link, default "log"
        log, identity or sqrt.

    Returns
    -------
    Family
        Named ``"negative_binomial"``, ``theta`` set; the log-likelihood and AIC are
        MASS's (AIC counts the coefficients only: :math:`\theta` is given). The
        dispersion is 1, so the tests are z tests, as MASS's ``summary.negbin`` (R's
        ``summary.glm`` of ``glm(family = negative.binomial(theta))`` would estimate a
        dispersion; ``summary(fit, dispersion = 1)`` gives glmlearn's numbers).

    Examples
    --------
    >>> negative_binomial(2.5)
    Family(negative_binomial, link=log, variance=mu + mu^2/2.5)
    """
    from .family import _make, _positive

    th = None if theta is None else check_theta(theta)
    # The canonical link, eta = log(mu / (mu + theta)), depends on theta and is no glmlearn
    # link: the default log link is *not* canonical, so IRLS is Fisher scoring but not
    # Newton's method here (linear convergence), and X'(y - mu) = 0 need not hold.
    canonical = "log(mu/(mu+theta))"

    def rebuild(lk: str | Link) -> Family:
        return negative_binomial(th, lk)

    common: dict[str, Any] = dict(
        starting_mu=lambda y, w: y + (y == 0) / 6,  # MASS's mustart
        valid_mu=_positive,
        valid_y=lambda y: np.isfinite(y) & (y >= 0),
        y_domain="non-negative counts",
        mu_domain="positive real numbers",
        dispersion_fixed=True,
        _with_link=rebuild,
    )
    if th is None:
        return _make("negative_binomial", link, canonical, ("log", "identity", "sqrt"),
                     variance=_theta_unknown, unit_deviance=_theta_unknown,
                     _loglik=_theta_unknown, variance_name="mu + mu^2/theta", **common)
    t = th

    def unit_deviance(y: Array, mu: Array) -> Array:
        return 2 * (special.xlogy(y, np.maximum(y, 1.0) / mu)
                    - (y + t) * np.log((y + t) / (mu + t)))

    return _make(
        "negative_binomial", link, canonical, ("log", "identity", "sqrt"),
        variance=lambda mu: mu + mu**2 / t,
        unit_deviance=unit_deviance,
        _loglik=lambda y, mu, w, phi: nb_loglik(y, mu, w, t),
        theta=t, variance_name=f"mu + mu^2/{t:.6g}", **common,
    )


@dataclass(frozen=True)
class ThetaEstimate:
    r"""One maximum-likelihood estimate of :math:`\theta` at fixed means.

    Attributes
    ----------
    theta : float
        :math:`\hat\theta` (0 if Newton's method went below zero: truncated).
    se : float
        :math:`1/\sqrt{I(\theta)}`, the observed information at the last Newton step.
    start : float
        The moment estimate Newton's method started from.
    path : tuple of float
        :math:`\theta` after each Newton step, ``start`` first.
    hit_limit : bool
        True when the steps stopped at the iteration limit, not by converging.
    truncated : bool
        True when the estimate went below zero and was set to 0.
    """

    theta: float
    se: float
    start: float
    path: tuple[float, ...]
    hit_limit: bool
    truncated: bool


def theta_ml(y: Array, mu: Array, weights: Array | None = None, *, limit: int = 25,
             eps: float = np.finfo(float).eps ** 0.25) -> ThetaEstimate:
    r"""Maximum-likelihood :math:`\theta` for counts ``y`` with known means ``mu``
    (the behaviour of MASS's ``theta.ml``).

    Newton's method on the score of :math:`\theta`,

    .. math:: U(\theta) = \sum_i w_i \Big\{\psi(\theta + y_i) - \psi(\theta) + \log\theta
              + 1 - \log(\theta + \mu_i) - \frac{y_i + \theta}{\mu_i + \theta}\Big\},

    with the observed information
    :math:`I(\theta) = -U'(\theta) = \sum_i w_i \{-\psi'(\theta + y_i) + \psi'(\theta)
    - 1/\theta + 2/(\mu_i + \theta) - (y_i + \theta)/(\mu_i + \theta)^2\}`, from the moment
    estimate :math:`\theta_0 = \sum w_i / \sum w_i (y_i/\mu_i - 1)^2`:
    :math:`\theta \leftarrow |\theta| + U/I`, until :math:`|U/I| \le` ``eps`` or
    ``limit - 1`` steps were taken (MASS counts that way).
    """
    w = np.ones_like(y) if weights is None else weights
    with np.errstate(divide="ignore", invalid="ignore"):
        t = float(np.sum(w) / np.sum(w * (y / mu - 1) ** 2))
    start, path, info, step = t, [t], math.nan, 1.0
    it = 0
    with np.errstate(all="ignore"):
        while (it := it + 1) < limit and abs(step) > eps:
            t = abs(t)
            score = np.sum(w * (special.digamma(t + y) - special.digamma(t) + math.log(t) + 1
                                - np.log(t + mu) - (y + t) / (mu + t)))
            info = float(np.sum(w * (-special.polygamma(1, t + y) + special.polygamma(1, t)
                                     - 1 / t + 2 / (mu + t) - (y + t) / (mu + t) ** 2)))
            step = float(score / info)
            t += step
            path.append(t)
            if not math.isfinite(t):
                break
    truncated = t < 0
    se = math.sqrt(1 / info) if info > 0 else math.nan
    return ThetaEstimate(theta=0.0 if truncated else t, se=se, start=start, path=tuple(path),
                         hit_limit=it == limit, truncated=truncated)
