r"""Negative binomial regression with :math:`\theta` estimated: two loops, as MASS's
``glm.nb``.

The *outer loop* alternates

1. IRLS for :math:`\beta` with :math:`\theta` held fixed (the *inner loop*: a whole
   glmlearn trace of :class:`~glmlearn.IRLSState`), started from the previous means;
2. a Newton search for :math:`\theta` with the means held fixed
   (:func:`glmlearn.negbin.theta_ml`).

It starts from a Poisson fit (:math:`\theta = \infty`) and a first :math:`\theta` from its
means. Like ``glm.nb``, the :math:`\theta` search of outer iteration :math:`k` uses the
means that iteration's IRLS started from. The loop stops when

.. math:: \frac{|\ell_k - \ell_{k-1}|}{d_1} + |\theta_k - \theta_{k-1}| \le \text{tol},
          \qquad d_1 = \sqrt{2 \max(1, \text{df}_{\text{Poisson}})},

with :math:`\ell` the log-likelihood, or after ``max_iter`` outer iterations. Every outer
iteration is kept (:class:`ThetaStep`), so both loops can be shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from typing import Any

import numpy as np

from ._diagnostics import diagnose
from ._irls import IRLSState, TraceMode, run_irls
from ._rformat import coef_table, format_real
from ._rsummary import r_summary_lines
from .errors import ConvergenceWarning, ThetaWarning, Trouble
from .family import _FAMILY_ALIASES, Family, poisson
from .links import Link
from .negbin import ThetaEstimate, nb_loglik, negative_binomial, theta_ml
from .problem import GLMProblem, check_controls, check_start, make_problem
from .results import GLMResult, Summary, result_from_trace

__all__ = ["NegBinResult", "NegBinSummary", "ThetaStep", "fit_negative_binomial"]

#: theta above this many times the largest fitted mean: the negative binomial's extra
#: variance mu^2/theta is below 1% of the Poisson variance mu at every fitted mean.
THETA_POISSON_LIKE = 100.0
#: theta above this many times the largest fitted mean is infinite for every purpose.
THETA_INFINITE = 1e6


@dataclass(frozen=True)
class ThetaStep:
    r"""One iteration of the outer loop.

    Attributes
    ----------
    iteration : int
        0 for the starting Poisson fit, then 1, 2, ...
    theta_fitted : float
        The :math:`\theta` IRLS held fixed (``inf`` for the Poisson fit).
    theta : float
        The :math:`\theta` estimated afterwards (:attr:`estimate` has its Newton path).
    estimate : ThetaEstimate
    two_loglik : float
        :math:`2\ell` of the negative binomial with the new :math:`\theta`, at the means of
        this iteration's IRLS. At iteration 0 those are the Poisson fit's means, so this is
        *not* the Poisson log-likelihood: it is the negative binomial's at the first
        :math:`\theta`.
    criterion : float
        The outer criterion after this iteration (``inf`` at iteration 0).
    trace : tuple of IRLSState
        The inner loop: every IRLS state of this iteration's fit.
    """

    iteration: int
    theta_fitted: float
    theta: float
    estimate: ThetaEstimate = field(repr=False)
    two_loglik: float
    criterion: float
    trace: tuple[IRLSState, ...] = field(repr=False)

    @property
    def n_iter(self) -> int:
        """IRLS iterations of this outer iteration's fit."""
        return self.trace[-1].iteration


@dataclass(frozen=True, eq=False)
class NegBinResult(GLMResult):
    r"""A negative binomial fit with :math:`\theta` estimated (MASS's ``glm.nb``).

    Everything of :class:`GLMResult` describes the last IRLS fit (``trace`` is its inner
    loop; the dispersion is 1, so z tests, as ``summary.negbin``); AIC and BIC count
    :math:`\theta` as a parameter.

    Attributes
    ----------
    theta, theta_se : float
        :math:`\hat\theta` and its standard error :math:`1/\sqrt{I(\hat\theta)}`.
    two_loglik : float
        :math:`2\ell(\hat\beta, \hat\theta)` (MASS's ``twologlik``).
    theta_trace : tuple of ThetaStep
        The outer loop, the starting Poisson fit first.
    outer_converged : bool
        Whether the outer criterion was met within ``max_iter`` alternations.
    """

    theta: float = math.nan
    theta_se: float = math.nan
    two_loglik: float = math.nan
    theta_trace: tuple[ThetaStep, ...] = field(default=(), repr=False)
    outer_converged: bool = False

    # The likelihood is the negative binomial's with theta estimated, which counts as a
    # parameter of AIC and BIC.
    @cached_property
    def loglik(self) -> float:
        r""":math:`\ell(\hat\beta, \hat\theta)`, half of :attr:`two_loglik`."""
        return self.two_loglik / 2

    @cached_property
    def aic(self) -> float:
        r""":math:`-2\ell + 2k`, :math:`k` the rank plus one (for :math:`\theta`)."""
        return -self.two_loglik + 2 * (self.rank + 1)

    @cached_property
    def bic(self) -> float:
        r""":math:`-2\ell + k \log n`, :math:`k` the rank plus one (for :math:`\theta`)."""
        return -self.two_loglik + math.log(self.problem.n_obs) * (self.rank + 1)

    def summary(self, style: Any = None, *, stars: bool = False) -> NegBinSummary:
        """The summary of :class:`GLMResult` with :math:`\theta` and the outer loop added
        (``style="R"``: as MASS's ``print(summary(glm.nb(...)))``)."""
        base = super().summary(style, stars=stars)
        return NegBinSummary(self, base.style, base.stars)

    def _summary_lines(self) -> list[str]:
        return [f"Theta: {self.theta:.6g}   Std. Err.: {self.theta_se:.4g}   "
                f"2 x log-likelihood: {self.two_loglik:.7g}", self._outer_line()]

    def _iterations_note(self) -> str:
        """What the Fisher scoring count of the summary counts."""
        return (f"(the last IRLS fit's, at theta = {self.theta_trace[-1].theta_fitted:.6g}; "
                "MASS prints this count)")

    def _outer_line(self) -> str:
        total = sum(s.n_iter for s in self.theta_trace)
        return (f"Outer iterations: {self.n_outer} (IRLS at fixed theta, then theta at fixed "
                "means)" + ("" if self.outer_converged else "  (NOT converged)")
                + f"; IRLS iterations: {total} in all, {self.theta_trace[0].n_iter} of them "
                "the starting Poisson fit")

    @property
    def n_outer(self) -> int:
        """Outer iterations after the starting Poisson fit (MASS's count)."""
        return len(self.theta_trace) - 1

    @property
    def theta_path(self) -> tuple[float, ...]:
        r""":math:`\theta` after each outer iteration, the first estimate (from the Poisson
        means) first."""
        return tuple(s.theta for s in self.theta_trace)


@dataclass(frozen=True)
class NegBinSummary(Summary):
    """The summary of a :class:`NegBinResult`.

    Both layouts print the coefficient table with R's digit rules (``printCoefmat``), say
    that the Fisher scoring count is the last inner IRLS fit's (the number MASS prints),
    and add the count of outer iterations. ``style="R"`` follows MASS's layout: the family
    as ``Negative Binomial(theta)``, then Theta, its standard error and
    :math:`2\times` the log-likelihood rounded as MASS rounds them.
    """

    result: NegBinResult

    def _footer(self) -> list[str]:
        r = self.result
        return [f"{line}  {r._iterations_note()}"
                if line.startswith("Number of Fisher scoring iterations") else line
                for line in super()._footer()]

    def __str__(self) -> str:
        r = self.result
        if self.style == "R":
            lines = r_summary_lines(r, self.stars)
            shown_theta = format_real([round(r.theta, 4)], 7)[0].strip()
            lines = [line.replace("for negative_binomial family",
                                  f"for Negative Binomial({shown_theta}) family")
                     for line in lines]
            at = next(i for i, line in enumerate(lines)
                      if line.startswith("Number of Fisher Scoring iterations")) + 1
            two_ll = format_real([r.two_loglik], 7)[0].strip()
            if "." not in two_ll or len(two_ll.split(".")[1]) < 2:
                two_ll = f"{r.two_loglik:.2f}"  # (MASS: nsmall = 2)
            lines[at:at] = [
                "", "",
                f"              Theta:  {format_real([round(r.theta, 4)], 4)[0].strip()}",
                f"          Std. Err.:  {format_real([round(r.theta_se, 4)], 4)[0].strip()}",
                "", f" 2 x log-likelihood:  {two_ll}", "",
                f"Fisher Scoring iterations counted above: {r._iterations_note()[1:-1]}",
                r._outer_line()]
            return "\n".join(lines)
        stat = "t value" if r.uses_t else "z value"
        pcol = "Pr(>|t|)" if r.uses_t else "Pr(>|z|)"
        table = coef_table(r.column_names, list(r.coef), list(r.se), list(r.tvalues),
                           list(r.pvalues), ("Estimate", "Std. Error", stat, pcol), self.stars)
        return "\n".join([*self._header(), "", "Coefficients:", *table, "", *self._footer()])


def wants_theta_estimated(family: Any) -> bool:
    """Whether ``fit`` was asked for a negative binomial with its theta left out."""
    if isinstance(family, str):
        return _FAMILY_ALIASES.get(family, family) == "negative_binomial"
    return isinstance(family, Family) and family.name == "negative_binomial" \
        and family.theta is None


def fit_negative_binomial(
    X: Any,
    y: Any,
    *,
    link: str | Link = "log",
    weights: Any = None,
    offset: Any = None,
    start: Any = None,
    max_iter: int = 25,
    tol: float = 1e-8,
    trace: TraceMode = "auto",
    column_names: Any = None,
    response_name: str | None = None,
    intercept: bool = True,
    _stacklevel: int = 3,
) -> NegBinResult:
    r"""Negative binomial regression with :math:`\theta` estimated by maximum likelihood.

    ``glmlearn.fit(X, y, "negative_binomial")`` calls this. ``max_iter`` and ``tol``
    control both loops and the :math:`\theta` search's step limit (as ``glm.nb``'s
    ``maxit`` and ``epsilon``); the other arguments are :func:`glmlearn.fit`'s.

    Returns
    -------
    NegBinResult

    Examples
    --------
    >>> import numpy as np, glmlearn
    >>> X = np.column_stack([np.ones(8), np.arange(8.0)])
    >>> res = glmlearn.fit(X, [0, 3, 1, 7, 2, 12, 4, 20], "negative_binomial")
    >>> round(res.theta, 3), res.n_outer
    (4.081, 7)
    """
    # Validated as negative binomial data (the messages name that family).
    problem = make_problem(X, y, negative_binomial(1.0, link), weights=weights, offset=offset,
                           column_names=column_names, response_name=response_name,
                           intercept=intercept)
    return fit_negative_binomial_problem(problem, start=start, max_iter=max_iter, tol=tol,
                                         trace=trace, _stacklevel=_stacklevel + 1)


def fit_negative_binomial_problem(problem: GLMProblem, *, start: Any = None,
                                  max_iter: int = 25, tol: float = 1e-8,
                                  trace: TraceMode = "auto", _stacklevel: int = 3
                                  ) -> NegBinResult:
    """:func:`fit_negative_binomial` on a problem already validated as negative binomial
    data (with any theta: the outer loop replaces it), from arrays or from a formula."""
    link = problem.family.link
    # Fitted first as Poisson data: the start of the outer loop.
    problem = replace(problem, family=poisson(link))
    check_controls(max_iter, tol)
    y_, w = problem.y, problem.prior_weights * np.ones(problem.n)

    states = tuple(run_irls(problem, start=check_start(start, problem), max_iter=max_iter,
                            tol=tol, trace=trace))
    rank0 = int(problem.p - np.isnan(states[-1].beta).sum())  # type: ignore[arg-type]
    mu = states[-1].mu
    est = theta_ml(y_, mu, w, limit=max_iter)
    ll = nb_loglik(y_, mu, w, est.theta) if est.theta > 0 else -math.inf
    steps = [ThetaStep(0, math.inf, est.theta, est, 2 * ll, math.inf, states)]
    d1 = math.sqrt(2 * max(1, problem.n_obs - rank0))
    ll_old, change = ll + 2 * d1, 1.0
    criterion = abs(ll_old - ll) / d1 + abs(change)
    fitted = problem
    while len(steps) <= max_iter and criterion > tol and est.theta > 0 \
            and math.isfinite(est.theta):
        theta_fit = est.theta
        fitted = replace(problem, family=negative_binomial(theta_fit, link))
        beta = np.nan_to_num(np.asarray(states[-1].beta))  # aliased columns: 0, as R
        states = tuple(run_irls(fitted, start=beta, max_iter=max_iter, tol=tol, trace=trace))
        est = theta_ml(y_, mu, w, limit=max_iter)  # (the means IRLS started from, as MASS)
        mu = states[-1].mu
        change = theta_fit - est.theta
        ll_old, ll = ll, (nb_loglik(y_, mu, w, est.theta) if est.theta > 0 else -math.inf)
        criterion = abs(ll_old - ll) / d1 + abs(change)
        steps.append(ThetaStep(len(steps), theta_fit, est.theta, est, 2 * ll, criterion,
                               states))
    outer_converged = criterion <= tol
    return _negbin_result(fitted, states, tuple(steps), outer_converged, max_iter,
                          _stacklevel)


def _theta_troubles(steps: tuple[ThetaStep, ...], outer_converged: bool, max_iter: int,
                    max_mu: float) -> list[Trouble]:
    """What went wrong with theta, in words."""
    last = steps[-1]
    theta, path = last.theta, last.estimate.path
    # Poisson counts: the score of theta stays positive, so Newton's steps keep going up
    # (ever more slowly) until the step limit, far beyond the means; or theta is already
    # beyond any mean.
    climbing = last.estimate.hit_limit and len(path) > 1 and path[-1] > path[-2]
    if not math.isfinite(theta) or (climbing and theta > THETA_POISSON_LIKE * max_mu) \
            or theta > THETA_INFINITE * max_mu:
        return [Trouble(ThetaWarning, "theta_infinite",
                        f"theta is running off to infinity (theta = {theta:.4g} after "
                        f"{len(steps) - 1} outer iterations, largest fitted mean "
                        f"{max_mu:.4g}): the counts show no overdispersion of the negative "
                        "binomial's kind (extra variance mu^2/theta), and a negative binomial "
                        "with theta -> infinity is the Poisson distribution. Fit "
                        "family='poisson' (or 'quasipoisson') instead; these coefficients "
                        "are close to Poisson's, and theta's standard error means nothing")]
    out = []
    if last.estimate.truncated:
        out.append(Trouble(ThetaWarning, "theta_at_zero",
                           "theta's Newton search went below zero and theta was truncated "
                           "at 0 (MASS: 'estimate truncated at zero'): the model cannot "
                           "describe these counts"))
    elif last.estimate.hit_limit:
        out.append(Trouble(ThetaWarning, "theta_not_converged",
                           f"theta's Newton search stopped at its limit of {max_iter - 1} "
                           f"steps (theta = {theta:.6g}, MASS: 'iteration limit reached')"))
    if not outer_converged and len(steps) > max_iter:  # (not when theta stopped the loop)
        out.append(Trouble(ConvergenceWarning, "not_converged",
                           f"the alternation of IRLS and theta stopped at max_iter = "
                           f"{max_iter} outer iterations before its criterion was met "
                           "(MASS: 'alternation limit reached')"))
    return out


def _negbin_result(problem: GLMProblem, states: tuple[IRLSState, ...],
                   steps: tuple[ThetaStep, ...], outer_converged: bool, max_iter: int,
                   stacklevel: int) -> NegBinResult:
    diagnosis = diagnose(problem, states, max_iter)
    troubles = (*diagnosis.troubles,
                *_theta_troubles(steps, outer_converged, max_iter, float(np.max(states[-1].mu))))
    for trouble in troubles:
        trouble.warn(stacklevel=stacklevel)  # (the caller of fit)
    base = result_from_trace(problem, states, replace(diagnosis, troubles=troubles))
    last = steps[-1]
    values = {f.name: getattr(base, f.name) for f in fields(GLMResult)}
    return NegBinResult(**values, theta=last.theta, theta_se=last.estimate.se,
                        two_loglik=last.two_loglik, theta_trace=steps, outer_converged=outer_converged)
