r"""Trouble as data: read a finished IRLS trace and say what went wrong, once.

The IRLS loop never warns; it records on its states what happened (step-halvings and why,
a stalled step, the criterion). :func:`diagnose` reads a finished trace and returns a tuple
of :class:`Trouble` objects, each with its kind (a :class:`~glmlearn.GLMWarning`
subclass), the flag it sets on the result and its message. :func:`glmlearn.fit` warns once
per trouble and stores them as ``result.troubles``; ``result.flags`` and
``result.warnings`` are read from them, and so are the widgets' status lines and the
command line's report: nobody catches warnings to learn what a fit did.

The troubles found in the data at the door (:func:`glmlearn.problem.make_problem` keeps
them as ``problem.troubles``) come first, then those read off the trace:

=========================  =====================  ========================================
kind                       flag                   when
=========================  =====================  ========================================
``InterceptNotice``        ``no_intercept``       X has no intercept column (and no set of
                                                  0/1 dummies adding up to one); found at
                                                  the door, silenced by ``intercept=False``
``NonIntegerWarning``      ``non_integer``        binomial ``weights * y`` not a whole
                                                  number of successes (found at the door)
``StepHalvingWarning``     ``step_halving``       a step was halved (the fit went on), or
                                                  halving could not find an acceptable step
``ConvergenceWarning``     ``not_converged``      ``max_iter`` reached, or the step stalled
``RankDeficiencyWarning``  ``rank_deficient``     columns of X aliased (R's rule)
``SeparationWarning``      ``separation``         binomial classes (quasi-)completely
                                                  separated (a linear program decides)
``BoundaryWarning``        ``boundary``           fitted means numerically at 0 or 1
                                                  (binomial) or 0 (Poisson)
``ResidualDFWarning``      ``no_residual_df``     no residual degrees of freedom to
                                                  estimate the dispersion
``ThetaWarning``           ``theta_infinite``     negative binomial: theta runs off to
                                                  infinity (no overdispersion of its kind)
``ThetaWarning``           ``theta_at_zero``      negative binomial: theta truncated at 0
=========================  =====================  ========================================

The ``ThetaWarning`` troubles are found by the negative binomial's outer loop
(``glmlearn/_negbin_fit.py``), after these; so is ``theta_not_converged`` (theta's Newton
search stopped at its step limit while theta was not climbing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from ._arrays import Array
from ._irls import MAX_HALVINGS, STALL_SUFFIX, IRLSState
from .errors import (
    BoundaryWarning,
    ConvergenceWarning,
    RankDeficiencyWarning,
    ResidualDFWarning,
    SeparationWarning,
    StepHalvingWarning,
    Trouble,
)
from .problem import GLMProblem

__all__ = ["BOUNDARY_EPS", "Diagnosis", "Trouble", "detect_separation", "diagnose"]

#: Means closer than this to the edge of their range count as on the boundary
#: (R: ``eps <- 10 * .Machine$double.eps`` in ``binomial()$validmu`` checks of glm.fit).
BOUNDARY_EPS = 10 * np.finfo(float).eps


@dataclass(frozen=True)
class Diagnosis:
    """What :func:`diagnose` found: the troubles, and the two findings a result keeps as
    attributes of their own (``separation``, ``boundary``)."""

    troubles: tuple[Trouble, ...]
    separation: str | None
    boundary: bool


def diagnose(problem: GLMProblem, states: Sequence[IRLSState], max_iter: int) -> Diagnosis:
    """Every trouble of a finished trace, in the order a reader meets them: those found in
    the data at the door (``problem.troubles``) first.

    Parameters
    ----------
    problem : GLMProblem
    states : sequence of IRLSState
        The whole trace, state 0 first; its last state has ``beta`` set.
    max_iter : int
        The iteration limit the trace ran under (for the message).
    """
    final = states[-1]
    assert final.beta is not None  # max_iter >= 1, so at least one WLS step was taken
    aliased = np.isnan(final.beta)
    out = [*problem.troubles, *_step_troubles(states, max_iter)]
    if aliased.any():
        rank = int(problem.p - aliased.sum())
        names = [n for n, a in zip(problem.column_names, aliased, strict=True) if a]
        out.append(Trouble(RankDeficiencyWarning, "rank_deficient",
                           f"X is rank deficient (rank {rank} < {problem.p} columns): "
                           f"{', '.join(names)} aliased (linearly dependent on earlier "
                           "columns); their coefficients are NaN"))
    separation, boundary = None, False
    fam, mu = problem.family, final.mu
    if fam.name == "binomial":
        at_edge = (mu < BOUNDARY_EPS) | (mu > 1 - BOUNDARY_EPS)
        boundary = bool(at_edge.any())
        if boundary or not final.converged:
            separation = detect_separation(problem.X[:, ~aliased], problem.y,
                                           problem.prior_weights)
        if separation:
            how = "perfectly" if separation == "complete" else "with ties on the border"
            out.append(Trouble(SeparationWarning, "separation",
                               f"{separation} separation: a linear combination of the columns "
                               f"of X splits y = 1 from y = 0 {how}; the maximum-likelihood "
                               "estimate does not exist and some coefficients run off to "
                               "infinity"))
        if boundary:
            i = int(np.flatnonzero(at_edge)[0])
            out.append(Trouble(BoundaryWarning, "boundary",
                               "fitted probabilities numerically 0 or 1 occurred (first at "
                               f"index {i}: mu = {mu[i]:.3g})"))
    elif fam.name == "poisson" and np.any(mu < BOUNDARY_EPS):
        boundary = True
        i = int(np.flatnonzero(mu < BOUNDARY_EPS)[0])
        out.append(Trouble(BoundaryWarning, "boundary",
                           f"fitted rates numerically 0 occurred (first at index {i}: "
                           f"mu = {mu[i]:.3g})"))
    rank = int(problem.p - aliased.sum())
    if not fam.dispersion_fixed and problem.n_obs - rank <= 0:
        out.append(Trouble(ResidualDFWarning, "no_residual_df",
                           f"no residual degrees of freedom ({problem.n_obs} observations, "
                           f"rank {rank}): the dispersion cannot be estimated, so standard "
                           "errors are NaN"))
    return Diagnosis(tuple(out), separation, boundary)


def _step_troubles(states: Sequence[IRLSState], max_iter: int) -> list[Trouble]:
    """Halved steps, a stalled step and non-convergence, read off the states."""
    final = states[-1]
    out = []
    halved = [s for s in states if s.step_halvings and not s.stalled]
    if halved:
        if len(halved) <= 3:
            where = "iteration " + ", ".join(
                f"{s.iteration} ({s.step_halvings}x: {s.halving_reason})" for s in halved)
        else:  # a long run of halvings: say it in one line, not one clause per iteration
            reasons = "; ".join(dict.fromkeys(s.halving_reason for s in halved))
            total = sum(s.step_halvings for s in halved)
            where = (f"iterations {halved[0].iteration} to {halved[-1].iteration} "
                     f"({len(halved)} iterations, {total} halvings: {reasons})")
        out.append(Trouble(StepHalvingWarning, "step_halving",
                           f"IRLS halved its step at {where}; the shorter step was "
                           "accepted and the fit went on (R warns 'step size truncated' in "
                           "the same situation)"))
    if final.stalled:
        why = final.halving_reason.removesuffix(f"; {STALL_SUFFIX}")
        k = final.iteration
        out.append(Trouble(StepHalvingWarning, "step_halving",
                           f"IRLS iteration {k}: {why}, and {MAX_HALVINGS} step-halvings "
                           f"could not fix it; IRLS stopped at the coefficients of iteration "
                           f"{k - 1} (not converged)"))
        out.append(Trouble(ConvergenceWarning, "not_converged",
                           f"IRLS stopped at iteration {k}: step-halving could not find an "
                           f"acceptable step ({final.halving_reason}); the estimates are not "
                           "the MLE"))
    elif not final.converged:
        out.append(Trouble(ConvergenceWarning, "not_converged",
                           f"IRLS did not converge in {max_iter} iterations (last criterion "
                           f"{final.criterion:.3g}, deviance {final.deviance:.6g}); the "
                           "estimates are not the MLE"))
    return out


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
