r"""Is there more variation than the family allows? Pearson's :math:`X^2/\text{df}`.

Binomial and Poisson fix the dispersion at :math:`\phi = 1`: the variance of a count is
its mean. Pearson's statistic

.. math:: X^2 = \sum_i \frac{w^{\text{p}}_i (y_i - \hat\mu_i)^2}{V(\hat\mu_i)}

(:math:`w^{\text{p}}_i` the prior weights) is about :math:`\chi^2_{n-p}` when the model is
right, so :math:`X^2/(n-p)` should be near 1. Well above 1 means *overdispersion*: the
standard errors that assume :math:`\phi = 1` are too small by about
:math:`\sqrt{X^2/(n-p)}`. The quasi families
(:mod:`glmlearn._quasi`) estimate :math:`\phi` by this ratio (in R's form, with the
weights of the last IRLS step, which agrees with it at convergence); the negative
binomial (:mod:`glmlearn.negbin`) models the extra variation instead. The two differ in how
the variance grows with the mean (:math:`\phi\mu` against :math:`\mu + \mu^2/\theta`), and
the advice says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .results import GLMResult

__all__ = ["DispersionCheck", "dispersion_check"]


@dataclass(frozen=True)
class DispersionCheck:
    r"""Pearson's :math:`X^2` of a fit and what it says.

    Attributes
    ----------
    pearson_chi2 : float
        :math:`X^2`, the sum of the squared Pearson residuals.
    df_residual : int
    ratio : float
        :math:`X^2 / \text{df}` (NaN without residual degrees of freedom).
    p_value : float
        :math:`P(\chi^2_{\text{df}} \ge X^2)`: small when the responses vary more than
        the family allows (meaningful for a family with :math:`\phi = 1`).
    overdispersed, underdispersed : bool
        :math:`P(\chi^2_{\text{df}} \ge X^2)` (for under-: :math:`\le X^2`) below
        ``level``, for a family with :math:`\phi` fixed at 1; False for the others.
    reading : str
        The same in words.
    """

    pearson_chi2: float
    df_residual: int
    ratio: float
    p_value: float
    overdispersed: bool
    underdispersed: bool
    reading: str

    def __str__(self) -> str:
        return self.reading


def _remedy(family: str) -> str:
    """What to fit instead, by how the variance may grow with the mean."""
    if family == "poisson":
        return ("Two models allow this, and they differ in how the variance grows with the "
                "mean: family='quasipoisson' takes Var(y) = phi*mu, proportional to the mean "
                "(the same estimates, standard errors scaled by that factor); "
                "family='negative_binomial' takes Var(y) = mu + mu^2/theta, growing with the "
                "square of the mean. Compare the squared residuals (y - mu)^2 with the fitted "
                "means to see which growth the data show; a negative binomial whose theta "
                "runs off to infinity says phi*mu fits better")
    if family == "binomial":
        return ("family='quasibinomial' takes Var(y) = phi*mu(1-mu)/w^p (the same estimates, "
                "standard errors scaled by that factor)")
    return ("A quasi family with the same variance function, glmlearn.quasi(link, variance), "
            "estimates phi (the same estimates, standard errors scaled by that factor)")


def dispersion_check(result: GLMResult, level: float = 0.05) -> DispersionCheck:
    r"""Pearson's :math:`X^2/\text{df}` of a fitted model, with its reading in words.

    Parameters
    ----------
    result : GLMResult
    level : float, default 0.05
        The significance level of the :math:`\chi^2` comparison.

    Examples
    --------
    >>> import numpy as np, glmlearn
    >>> X = np.column_stack([np.ones(8), np.arange(8.0)])
    >>> check = glmlearn.dispersion_check(glmlearn.fit(X, [0, 3, 1, 7, 2, 12, 4, 20], "poisson"))
    >>> round(check.ratio, 3), check.overdispersed
    (2.742, True)
    """
    keep = result.problem.prior_weights * np.ones(result.problem.n) > 0
    chi2 = float(np.sum(result.resid_pearson[keep] ** 2))
    df = result.df_residual
    ratio = chi2 / df if df > 0 else math.nan
    fam = result.family
    if df <= 0:
        return DispersionCheck(chi2, df, ratio, math.nan, False, False,
                               "no residual degrees of freedom: the dispersion cannot be "
                               "checked")
    p = float(stats.chi2.sf(chi2, df))
    below = float(stats.chi2.cdf(chi2, df))
    head = f"Pearson X^2/df = {ratio:.4g} (X^2 = {chi2:.5g} on {df} df)"
    if not fam.dispersion_fixed:
        return DispersionCheck(chi2, df, ratio, p, False, False,
                               f"{head}: the {fam.name} family estimates its dispersion, and "
                               "this ratio is that estimate's Pearson form")
    over = p < level
    under = below < level
    if over:
        says = (f"overdispersed: the responses vary about {ratio:.3g} times as much as the "
                f"{fam.name} family allows (P(chi^2_{df} >= X^2) = {p:.2g}); standard errors that "
                f"take the dispersion to be 1 are too small by about sqrt({ratio:.4g}) = "
                f"{math.sqrt(ratio):.3g}. {_remedy(fam.name)}")
    elif under:
        says = (f"underdispersed: the responses vary less than the {fam.name} family allows "
                f"(P(chi^2_{df} <= X^2) = {below:.2g}); standard errors that take the dispersion to be 1 "
                "are too large")
    else:
        says = (f"no evidence against the {fam.name} family's dispersion of 1 "
                f"(P(chi^2_{df} >= X^2) = {p:.2g})")
    return DispersionCheck(chi2, df, ratio, p, over, under, f"{head}: {says}")
