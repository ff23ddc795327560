r"""Leverage, standardised residuals and Cook's distances, read from the last IRLS step.

At convergence IRLS has just solved the weighted least-squares problem
:math:`\min_\beta \sum_i w_i (z_i - x_i^\top\beta)^2` with the working weights :math:`w`
of its last step. The GLM's influence measures are those of that weighted regression
(R's ``influence.glm``, ``hatvalues``, ``rstandard``, ``rstudent``, ``cooks.distance``,
which use the same weights, ``fit$weights``):

* hat values :math:`h_i = w_i\,x_i^\top (X^\top W X)^{-1} x_i`, the diagonal of
  :math:`H = W^{1/2} X (X^\top W X)^{-1} X^\top W^{1/2}`; they sum to the rank;
* standardised deviance residuals :math:`r_{D,i} / \sqrt{\hat\phi\,(1 - h_i)}` (and the
  Pearson ones, :math:`r_{P,i} / \sqrt{\hat\phi\,(1 - h_i)}`);
* studentised residuals (R's ``rstudent.glm``, a one-step approximation to deleting
  row :math:`i`): :math:`\operatorname{sign}(r_{D,i})\sqrt{r_{D,i}^2 + h_i r_{P,i}^2/(1 - h_i)}`,
  divided, when :math:`\phi` is estimated, by :math:`\hat\sigma_{(i)}` with
  :math:`\hat\sigma_{(i)}^2 = \{\sum_k r_{D,k}^2 - r_{D,i}^2/(1 - h_i)\}/(\text{df} - 1)`;
* Cook's distances :math:`D_i = \{r_{P,i}/(1 - h_i)\}^2\, h_i / (\hat\phi\, p)`, with
  :math:`p` the rank.

A row with :math:`h_i = 1` (the fit passes through it whatever it is) has no
standardised residual: it is NaN, as in R, and said in an :class:`InferenceWarning`. A
row with zero prior weight has :math:`w_i = 0`, so :math:`h_i = 0` (R leaves such rows
out).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .._arrays import Array
from ..results import GLMResult
from ._anova import InferenceWarning

__all__ = ["Influence", "hat_values", "influence"]


@dataclass(frozen=True, eq=False)
class Influence:
    """Influence measures of a fit (see the module docstring), one value per row.

    Attributes
    ----------
    hat, rstandard, rstandard_pearson, rstudent, cooks_distance : (n,) ndarray
        As R's ``hatvalues``, ``rstandard`` (deviance and Pearson), ``rstudent``,
        ``cooks.distance``.
    resid_deviance, resid_pearson : (n,) ndarray
    eta : (n,) ndarray
        The linear predictor (the x-axis of R's model-check plots, "Predicted values").
    w : (n,) ndarray
        The working weights of the last WLS step, from which the hat values come.
    dispersion : float
    rank : int
    """

    hat: Array
    rstandard: Array
    rstandard_pearson: Array
    rstudent: Array
    cooks_distance: Array
    resid_deviance: Array
    resid_pearson: Array
    eta: Array
    w: Array
    dispersion: float
    rank: int


def hat_values(fit: GLMResult) -> Array:
    r"""R's ``hatvalues``: :math:`h_i = w_i\,x_i^\top (X^\top W X)^{-1} x_i` with the working
    weights of the last weighted least-squares step (the one whose solution is
    :math:`\hat\beta`), aliased columns left out; values within rounding of 1 are 1."""
    keep = ~np.asarray(fit.aliased)
    X = np.asarray(fit.problem.X)[:, keep]
    w = np.asarray(fit.trace[-2].w)
    cov = np.asarray(fit.cov_unscaled)[np.ix_(keep, keep)]
    h = w * np.einsum("ij,jk,ik->i", X, cov, X)
    return np.where(h > 1 - 10 * np.finfo(float).eps, 1.0, h)  # R's tolerance for h = 1


def influence(fit: GLMResult) -> Influence:
    """Hat values, standardised and studentised residuals and Cook's distances of ``fit``,
    with the working weights of its last weighted least-squares step."""
    w = np.asarray(fit.trace[-2].w)  # the weights of the step whose solution is beta-hat
    h = hat_values(fit)
    rd, rp = np.asarray(fit.resid_deviance), np.asarray(fit.resid_pearson)
    phi = float(fit.dispersion)
    one = h == 1
    if one.any():
        rows = np.flatnonzero(one)
        warnings.warn(
            f"row(s) {', '.join(map(str, rows[:5]))}{' ...' if rows.size > 5 else ''} have "
            "leverage 1 (the fit passes through them whatever their response): their "
            "standardised residuals and Cook's distances are NaN", InferenceWarning,
            stacklevel=3)
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.where(one, np.nan, 1 - h)
        rstandard = rd / np.sqrt(phi * gap)
        rstandard_p = rp / np.sqrt(phi * gap)
        rstudent = np.sign(rd) * np.sqrt(rd**2 + h * rp**2 / gap)
        if not fit.family.dispersion_fixed:
            good = int(np.count_nonzero(w > 0))
            sigma = np.sqrt((np.sum(rd**2) - rd**2 / gap) / (good - fit.rank - 1))
            rstudent = rstudent / sigma
        cooks = (rp / gap) ** 2 * h / (phi * fit.rank)
    return Influence(h, rstandard, rstandard_p, rstudent, cooks, rd, rp,
                     np.asarray(fit.eta), w, phi, fit.rank)
