r"""Randomised quantile residuals (Dunn & Smyth 1996).

For a response with distribution function :math:`F(y; \hat\mu, \hat\phi)`, the quantile
residual is :math:`r = \Phi^{-1}(u)`, with

* :math:`u = F(y)` for a continuous family (gaussian, gamma, inverse Gaussian): then
  :math:`r` is exactly standard normal when the model is right;
* :math:`u` drawn uniformly from :math:`[F(y^-), F(y)]` for a discrete family (binomial,
  Poisson, negative binomial), :math:`F(y^-)` being the probability of a smaller value:
  the randomisation removes the discreteness, and again :math:`r \sim N(0, 1)`.

:math:`\hat\phi` is the fit's dispersion (``result.dispersion``, as ``summary``). Prior
weights enter as R's ``statmod::qresiduals`` uses them: as the number of trials of a
binomial proportion, as :math:`\phi/w` for the continuous families, and not at all for
Poisson and negative binomial counts. The quasi families have no distribution, hence no
quantile residuals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import special, stats

from ._arrays import Array
from .errors import GLMInputError
from .links import Mask

if TYPE_CHECKING:
    from .results import GLMResult

__all__ = ["quantile_residuals"]


def _from_log_tails(log_lower: Array, log_upper: Array, below: Mask) -> Array:
    """:math:`\\Phi^{-1}(F)` from whichever tail is small, so that far tails keep digits."""
    return np.where(below, special.ndtri_exp(log_lower), -special.ndtri_exp(log_upper))


def quantile_residuals(result: GLMResult, rng: Any = None) -> Array:
    """Quantile residuals of a fit; ``rng`` (a seed or a numpy Generator) draws the
    uniforms of a discrete family."""
    fam = result.family
    y, mu = result.problem.y, result.mu
    w = result.problem.prior_weights * np.ones_like(y)
    phi = result.dispersion
    name = fam.name
    if name == "gaussian":
        return (y - mu) * np.sqrt(w / phi)
    if name == "gamma":
        shape = w / phi
        x = w * y / (mu * phi)  # y / scale with scale = mu phi / w
        return _from_log_tails(stats.gamma.logcdf(x, shape), stats.gamma.logsf(x, shape),
                               y < mu)
    if name == "inverse_gaussian":
        lam = w / phi  # the shape: Var(y) = mu^3 phi / w
        dist = stats.invgauss(mu / lam, scale=lam)
        return _from_log_tails(dist.logcdf(y), dist.logsf(y), y < mu)
    if name == "poisson":
        dist = stats.poisson(mu)
        k = y
    elif name == "binomial":
        trials = np.round(w)
        k = np.round(trials * y)
        dist = stats.binom(trials, mu)
    elif name == "negative_binomial" and fam.theta is not None:
        theta = fam.theta
        dist = stats.nbinom(theta, theta / (theta + mu))
        k = y
    else:
        raise GLMInputError(
            f"kind: quantile residuals need a distribution, and the {name} family has none "
            "(a quasi family gives only a mean and a variance); use kind='pearson' or "
            "'deviance'"
        )
    # u = F(y - 1) + v [F(y) - F(y - 1)], v uniform; from the upper tail, 1 - u =
    # S(y) + (1 - v) [S(y - 1) - S(y)] with S = 1 - F, so that a count far out in the upper
    # tail (u within rounding of 1) keeps its digits instead of becoming +inf.
    v = np.random.default_rng(rng).uniform(size=y.shape)
    lower, upper = dist.cdf(k - 1), dist.cdf(k)
    s_lower, s_upper = dist.sf(k), dist.sf(k - 1)
    u = lower + v * (upper - lower)
    tail = s_lower + (1 - v) * (s_upper - s_lower)
    return np.asarray(np.where(u < 0.5, stats.norm.ppf(u), stats.norm.isf(tail)))
