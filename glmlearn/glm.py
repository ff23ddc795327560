"""``fit()``: run IRLS to the end, then turn the last state into a :class:`GLMResult`.

After the loop, ``fit`` looks for the numerical trouble a learner should be told
about, issues a warning of glmlearn's own category for each, and sets a flag on
the result (see :attr:`GLMResult.flags`):

* not converged within ``max_iter``            -> :class:`ConvergenceWarning`
* binomial classes (quasi-)completely separated -> :class:`SeparationWarning`
* fitted means at the edge of their range        -> :class:`BoundaryWarning`
* linearly dependent columns of X                -> :class:`RankDeficiencyWarning`
* no residual degrees of freedom                 -> :class:`ResidualDFWarning`
"""

from __future__ import annotations

import math
import warnings
from dataclasses import replace
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import optimize

from .errors import (
    BoundaryWarning,
    ConvergenceWarning,
    GLMWarning,
    RankDeficiencyWarning,
    ResidualDFWarning,
    SeparationWarning,
)
from .family import Family
from .irls import IRLSState, TraceMode, _check_controls, _check_start, run_irls
from .linalg import unscaled_covariance
from .problem import GLMProblem, make_problem
from .results import GLMResult

Array = NDArray[np.float64]

__all__ = ["detect_separation", "fit"]

_BOUNDARY_EPS = 10 * np.finfo(float).eps  # R: eps <- 10 * .Machine$double.eps


def fit(
    X: Any,
    y: Any,
    family: Family | str = "gaussian",
    *,
    weights: Any = None,
    offset: Any = None,
    start: Any = None,
    max_iter: int = 25,
    tol: float = 1e-8,
    trace: TraceMode = "auto",
    column_names: Any = None,
    response_name: str | None = None,
) -> GLMResult:
    """Fit a GLM by IRLS, keeping every iteration.

    Parameters
    ----------
    X, y, family, weights, offset, start, max_iter, tol, trace
        As for :func:`glmlearn.irls`.
    column_names : sequence of str, optional
        Names for the columns of X (a DataFrame's own names are used otherwise).
    response_name : str, optional
        Name of the response for the summary (a Series' own name is used otherwise).

    Returns
    -------
    GLMResult

    Examples
    --------
    >>> import numpy as np, glmlearn
    >>> X = np.column_stack([np.ones(5), [1.0, 2.0, 3.0, 4.0, 5.0]])
    >>> res = glmlearn.fit(X, [1, 0, 2, 4, 5], "poisson")
    >>> res.converged, res.n_iter
    (True, 4)
    """
    problem = make_problem(X, y, family, weights=weights, offset=offset,
                           column_names=column_names, response_name=response_name)
    _check_controls(max_iter, tol)
    b0 = _check_start(start, problem)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", GLMWarning)
        states = tuple(run_irls(problem, start=b0, max_iter=max_iter, tol=tol, trace=trace))
    messages = [str(w.message) for w in caught if issubclass(w.category, GLMWarning)]
    for w in caught:  # pass on what the loop said, now that we have listened
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return _result(problem, states, messages, max_iter)


def _warn(messages: list[str], text: str, category: type[GLMWarning]) -> None:
    messages.append(text)
    warnings.warn(text, category, stacklevel=4)


def _result(problem: GLMProblem, states: tuple[IRLSState, ...], messages: list[str],
            max_iter: int) -> GLMResult:
    fam = problem.family
    final = states[-1]
    assert final.beta is not None  # max_iter >= 1, so at least one WLS step was taken
    coef = np.array(final.beta)
    aliased = np.isnan(coef)
    rank = int(problem.p - aliased.sum())
    n_obs = problem.n_obs
    df_residual = n_obs - rank
    df_null = n_obs - int(problem.has_intercept)
    mu, pw, y = final.mu, problem.prior_weights, problem.y
    # As R (and statsmodels) do, inference uses the weights of the last WLS step: the
    # state whose weighted least-squares solution is beta-hat.
    last_step = states[-2]

    if final.stalled:
        _warn(messages, f"IRLS stopped at iteration {final.iteration}: step-halving could "
              f"not find an acceptable step ({final.halving_reason}); the estimates are "
              "not the MLE", ConvergenceWarning)
    elif not final.converged:
        _warn(messages, f"IRLS did not converge in {max_iter} iterations (last criterion "
              f"{final.criterion:.3g}, deviance {final.deviance:.6g}); the estimates are "
              "not the MLE", ConvergenceWarning)
    if aliased.any():
        names = [n for n, a in zip(problem.column_names, aliased, strict=True) if a]
        _warn(messages, f"X is rank deficient (rank {rank} < {problem.p} columns): "
              f"{', '.join(names)} aliased (linearly dependent on earlier columns); "
              "their coefficients are NaN", RankDeficiencyWarning)

    separation = None
    boundary = False
    if fam.name == "binomial":
        boundary = bool(np.any((mu < _BOUNDARY_EPS) | (mu > 1 - _BOUNDARY_EPS)))
        if boundary or not final.converged:
            separation = detect_separation(problem.X[:, ~aliased], y, pw)
        if separation:
            _warn(messages, f"{separation} separation: a linear combination of the columns "
                  "of X splits y = 1 from y = 0 "
                  + ("perfectly" if separation == "complete" else "with ties on the border")
                  + "; the maximum-likelihood estimate does not exist and some coefficients "
                  "run off to infinity", SeparationWarning)
        if boundary:
            i = int(np.flatnonzero((mu < _BOUNDARY_EPS) | (mu > 1 - _BOUNDARY_EPS))[0])
            _warn(messages, f"fitted probabilities numerically 0 or 1 occurred (first at "
                  f"index {i}: mu = {mu[i]:.3g})", BoundaryWarning)
    elif fam.name == "poisson" and np.any(mu < _BOUNDARY_EPS):
        boundary = True
        i = int(np.flatnonzero(mu < _BOUNDARY_EPS)[0])
        _warn(messages, f"fitted rates numerically 0 occurred (first at index {i}: "
              f"mu = {mu[i]:.3g})", BoundaryWarning)

    if fam.dispersion_fixed:
        dispersion = 1.0
    elif df_residual > 0:
        # R's summary.glm: sum(w * r^2) / df with the working residuals r = (y - mu) g'(mu)
        # at the fit and the working weights w of the WLS step that produced beta-hat
        # (the previous state's). At exact convergence this is Pearson's X^2 / df.
        keep = pw > 0
        r = (y - mu) / fam.mu_eta(final.eta)
        dispersion = float(np.sum((last_step.w * r**2)[keep]) / df_residual)
    else:
        dispersion = math.nan
        _warn(messages, f"no residual degrees of freedom ({n_obs} observations, rank "
              f"{rank}): the dispersion cannot be estimated, so standard errors are NaN",
              ResidualDFWarning)

    loglik = fam.loglik(y, mu, pw)
    k = rank + (0 if fam.dispersion_fixed else 1)
    return GLMResult(
        problem=problem,
        trace=states,
        coef=_readonly(coef),
        cov_unscaled=_readonly(unscaled_covariance(problem.X, last_step.w, aliased,
                                                   gram=last_step.xtwx)),
        dispersion=dispersion,
        deviance=final.deviance,
        null_deviance=_null_deviance(problem, states),
        df_residual=df_residual,
        df_null=df_null,
        rank=rank,
        loglik=loglik,
        aic=-2 * loglik + 2 * k,
        bic=-2 * loglik + math.log(n_obs) * k,
        converged=final.converged,
        n_iter=final.iteration,
        aliased=_readonly(aliased),
        separation=separation,
        boundary=boundary,
        warnings=tuple(messages),
    )


def _null_deviance(problem: GLMProblem, states: tuple[IRLSState, ...]) -> float:
    """Deviance of the intercept-only model (R: refitted when there is an offset)."""
    fam, y, pw, off = problem.family, problem.y, problem.prior_weights, problem.offset
    if not problem.has_intercept:
        # The null model is mu = g^{-1}(offset), which may lie outside the family's range
        # (e.g. mu = 0 for an identity link without offset): its deviance is then inf,
        # as in R, and numpy's divide warning would only be noise.
        with np.errstate(divide="ignore", invalid="ignore"):
            return fam.deviance(y, fam.link_inverse(off), pw)
    if not np.any(off):
        return fam.deviance(y, np.full_like(y, np.sum(pw * y) / np.sum(pw)), pw)
    null = replace(problem, X=np.ones((problem.n, 1)), column_names=("(Intercept)",))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GLMWarning)
        *_, last = run_irls(null, trace="compact")
    return last.deviance


def detect_separation(X: Array, y: Array, prior_weights: Array) -> str | None:
    r"""Is there a direction :math:`b` with :math:`x_i^\top b \ge 0` for every success and
    :math:`\le 0` for every failure (and :math:`X b \ne 0`)? Solved as a linear program.

    Returns ``"complete"`` when some :math:`b` separates every observation strictly,
    ``"quasi-complete"`` when only with ties, and None when the MLE exists (as far as
    separation is concerned). Observations with a proportion strictly between 0 and 1
    cannot be separated and force :math:`x_i^\top b = 0`.
    """
    keep = prior_weights > 0
    Xk, yk = X[keep], y[keep]
    scale = np.max(np.abs(Xk), axis=0)
    Xs = Xk / np.where(scale > 0, scale, 1.0)
    ones, zeros = yk >= 1, yk <= 0
    mid = ~(ones | zeros)
    s = np.where(ones, 1.0, -1.0)
    signed = Xs[~mid] * s[~mid, None]  # want signed @ b >= 0
    p = Xs.shape[1]
    a_eq = Xs[mid] if mid.any() else None
    b_eq = np.zeros(int(mid.sum())) if mid.any() else None
    # Quasi-complete: maximise sum(signed @ b) with |b_j| <= 1.
    res = optimize.linprog(-signed.sum(axis=0), A_ub=-signed, b_ub=np.zeros(len(signed)),
                           A_eq=a_eq, b_eq=b_eq, bounds=[(-1, 1)] * p, method="highs")
    if res.status != 0 or -res.fun <= 1e-7 * max(1.0, len(signed)):
        return None
    if mid.any():
        return "quasi-complete"
    # Complete: is there b with signed @ b >= 1 for every row (scale is free)?
    feas = optimize.linprog(np.zeros(p), A_ub=-signed, b_ub=-np.ones(len(signed)),
                            bounds=[(None, None)] * p, method="highs")
    return "complete" if feas.status == 0 else "quasi-complete"


def _readonly(a: NDArray[Any]) -> NDArray[Any]:
    a = np.array(a)
    a.setflags(write=False)
    return a
