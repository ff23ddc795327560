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
=======
============================  =====================  ========================================
kind                          flag                   when
============================  =====================  ========================================
``InterceptNotice``           ``no_intercept``       X has no intercept column (and no set of
                                                     0/1 dummies adding up to one); found at
                                                     the door, silenced by ``intercept=False``
``NonIntegerWarning``         ``non_integer``        binomial ``weights * y`` not a whole
                                                     number of successes (found at the door)
``StepHalvingWarning``        ``step_halving``       a step was halved (the fit went on; R's
                                                     "step size truncated" words), or
                                                     halving could not find an acceptable step
``ConvergenceWarning``        ``not_converged``      ``max_iter`` reached, or the step stalled
                                                     (a criterion at rounding level is said
                                                     so: the estimates are then the MLE)
``RankDeficiencyWarning``     ``rank_deficient``     columns of X aliased (R's rule)
``IllConditionedWarning``     ``ill_conditioned``    scaled X'WX with condition number over
                                                     ``COND_MAX`` (1e10)
``SeparationWarning``         ``separation``         binomial classes (quasi-)completely
                                                     separated, by a combination of columns
                                                     or a 0/1 dummy, or all y = 1 / all y = 0
``InfiniteEstimateWarning``   ``infinite_estimate``  Poisson (log link): a group of zero
                                                     counts (a 0/1 column whose rows all
                                                     have y = 0), or every count 0
``BoundaryWarning``           ``boundary``           fitted means numerically at 0 or 1
                                                     (binomial) or 0 (Poisson)
``ConvergenceWarning``        ``false_convergence``  R's criterion met where the means are
                                                     clamped at the edge, the score far from
                                                     zero and the MLE finite
``ResidualDFWarning``         ``no_residual_df``     no residual degrees of freedom to
                                                     estimate the dispersion
``ThetaWarning``              ``theta_infinite``     negative binomial: theta runs off to
                                                     infinity (no overdispersion of its kind)
``ThetaWarning``              ``theta_at_zero``      negative binomial: theta truncated at 0
============================  =====================  ========================================

Separation and infinite estimates are looked for in every binomial fit (links onto the
whole line) and every Poisson log-linear fit, not only in those that already look bad: a
quasi-complete dummy often converges by R's criterion with nothing at the boundary. A
converged fit usually proves at once that the MLE exists (``_mle_certified``: one pass over
X); only when it does not is the linear program solved.

The ``ThetaWarning`` troubles are found by the negative binomial's outer loop
(``glmlearn/_negbin_fit.py``), after these; so is ``theta_not_converged`` (theta's Newton
search stopped at its step limit while theta was not climbing).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import optimize

from ._arrays import Array, all_true, any_true
from ._irls import MAX_HALVINGS, STALL_SUFFIX, IRLSState
from ._methods import METHOD_NAMES
from .errors import (
    BoundaryWarning,
    ConvergenceWarning,
    IllConditionedWarning,
    InfiniteEstimateWarning,
    RankDeficiencyWarning,
    ResidualDFWarning,
    SeparationWarning,
    StepHalvingWarning,
    Trouble,
)
from .linalg import row_blocks
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
    n_aliased = int(np.count_nonzero(aliased))
    rank = problem.p - n_aliased
    if n_aliased:
        names = [n for n, a in zip(problem.column_names, aliased, strict=True) if a]
        out.append(Trouble(RankDeficiencyWarning, "rank_deficient",
                           f"X is rank deficient (rank {rank} < {problem.p} columns): "
                           f"{', '.join(names)} aliased (linearly dependent on earlier "
                           "columns); their coefficients are NaN"))
    fam = problem.family
    # Means at the edge of their range make working weights ~0 or huge: X'WX is then ill
    # conditioned because of the fit, not the design, and the boundary warning says so.
    at_edge = _at_edge(problem, final.mu)
    # So are those of a fit that did not converge, somewhere far from the MLE.
    ill = (_ill_conditioning(problem, states, aliased)
           if (at_edge is None or not any_true(at_edge)) and not final.step_halvings
           and final.converged else None)
    if ill is not None:
        out.append(ill)
    recession = _infinite_estimates(problem, states, aliased)
    separation = recession.kind if recession is not None and fam.name == "binomial" else None
    if recession is not None:
        out.append(recession.trouble)
    boundary = False
    if at_edge is not None and any_true(at_edge):
        boundary = True
        out.extend(_boundary_troubles(problem, final, at_edge, recession))
    if not fam.dispersion_fixed and problem.n_obs - rank <= 0:
        out.append(Trouble(ResidualDFWarning, "no_residual_df",
                           f"no residual degrees of freedom ({problem.n_obs} observations, "
                           f"rank {rank}): the dispersion cannot be estimated, so standard "
                           "errors are NaN"))
    return Diagnosis(tuple(out), separation, boundary)


#: Why a step was halved (``IRLSState.halving_reason``) -> the warning R's glm.fit (or, for
#: a rising deviance, glm2's glm.fit2) gives in the same situation.
R_HALVING_WORDS = {
    "the deviance was not finite": "step size truncated due to divergence",
    "eta or mu left the valid range": "step size truncated: out of bounds",
    "the deviance increased": "step size truncated due to increasing deviance",
}
#: A relative change of the deviance at or below this is rounding (see
#: ``glmlearn._irls.RISE_ROUNDING``): a criterion that never got below ``tol`` but is this
#: small says the tolerance asked for more digits than floating point holds.
CRITERION_ROUNDING = float(1024 * np.finfo(float).eps)


def _step_troubles(states: Sequence[IRLSState], max_iter: int) -> list[Trouble]:
    """Halved steps, a stalled step and non-convergence, read off the states."""
    final = states[-1]
    # (a Newton or gradient-ascent trace names its method: its steps are not IRLS's)
    who = METHOD_NAMES.get(final.method, "IRLS")
    who = who[0].upper() + who[1:]  # (it starts the sentence)
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
        words = "; ".join(dict.fromkeys(
            f"'{R_HALVING_WORDS[s.halving_reason]}'" for s in halved
            if s.halving_reason in R_HALVING_WORDS))
        edge = ""
        if halved[-1] is final:
            edge = (" The last step was halved too, so the fit ends next to the edge of the "
                    "valid range: the maximum may lie on that edge (a mean at 0, or outside "
                    "what the link allows), where the usual standard errors do not apply; "
                    "try another link or look at the fitted means at the edge (R: 'glm.fit: "
                    "algorithm stopped at boundary value').")
        out.append(Trouble(StepHalvingWarning, "step_halving",
                           f"{who} halved its step at {where}; the shorter step was "
                           f"accepted and the fit went on (R: {words}).{edge}"))
    if final.stalled:
        why = final.halving_reason.removesuffix(f"; {STALL_SUFFIX}")
        k = final.iteration
        out.append(Trouble(StepHalvingWarning, "step_halving",
                           f"{who} iteration {k}: {why}, and {MAX_HALVINGS} step-halvings "
                           f"could not fix it; {who} stopped at the coefficients of iteration "
                           f"{k - 1} (not converged)"))
        out.append(Trouble(ConvergenceWarning, "not_converged",
                           f"{who} stopped at iteration {k}: step-halving could not find an "
                           f"acceptable step ({final.halving_reason}); the estimates are not "
                           "the MLE"))
    elif not final.converged and final.criterion <= CRITERION_ROUNDING:
        out.append(Trouble(ConvergenceWarning, "not_converged",
                           f"{who} did not meet the tolerance in {max_iter} iterations, but the "
                           f"deviance changes only at rounding level (last criterion "
                           f"{final.criterion:.3g}, at most {CRITERION_ROUNDING:.2g}): the "
                           "tolerance asks for more digits than double precision holds; the "
                           "estimates are the MLE to rounding; use tol=1e-12 or larger (R "
                           "warns 'glm.fit: algorithm did not converge' here)"))
    elif not final.converged:
        out.append(Trouble(ConvergenceWarning, "not_converged",
                           f"{who} did not converge in {max_iter} iterations (last criterion "
                           f"{final.criterion:.3g}, deviance {final.deviance:.6g}); the "
                           "estimates are not the MLE"))
    return out


#: X'WX, its columns scaled to unit length, is reported as ill conditioned from this
#: condition number on: its solution keeps about 16 - log10(cond) correct digits, under 6.
COND_MAX = 1e10


def _ill_conditioning(problem: GLMProblem, states: Sequence[IRLSState],
                      aliased: NDArray[np.bool_]) -> Trouble | None:
    """X'WX of the last step (kept columns, scaled to unit diagonal) nearly singular: the
    condition number and the columns involved (the
    eigenvector of the smallest eigenvalue names the nearly dependent combination)."""
    kept = problem.p - int(np.count_nonzero(aliased))
    if kept < 2:
        return None
    # Scaling the columns to unit length is nearly the best diagonal scaling (van der
    # Sluis), so an unscaled condition number below COND_MAX / p (LAPACK's estimate,
    # from the step's Cholesky) already rules the trouble out, without an eigenvalue
    # problem.
    if states[-2]._wls.solution.rcond * COND_MAX > kept:
        return None
    keep = ~aliased
    G = np.asarray(states[-2].xtwx)[np.ix_(keep, keep)]
    d = np.sqrt(np.diag(G))
    if not np.all(np.isfinite(G)) or not np.all(d > 0):
        return None
    eigval, eigvec = np.linalg.eigh(G / np.outer(d, d))
    cond = float(eigval[-1] / eigval[0]) if eigval[0] > 0 else math.inf
    qr = any(s.wls_method == "qr" for s in states[:-1])
    # (QR alone is no trouble: badly scaled columns, as in "income in dollars" next to an
    # intercept, make the unscaled X'WX look ill conditioned while the estimates are fine)
    if cond < COND_MAX:
        return None
    names = [n for n, k in zip(problem.column_names, keep, strict=True) if k]
    v = eigvec[:, 0] / d  # in the units of X's columns
    v = v / np.max(np.abs(v))
    big = np.flatnonzero(np.abs(eigvec[:, 0]) >= 0.1 * np.max(np.abs(eigvec[:, 0])))
    combo = " ".join(f"{'-' if v[j] < 0 else '+'} {abs(v[j]):.3g} * {names[j]}"
                     for j in big).removeprefix("+ ")
    combo = "-" + combo[2:] if combo.startswith("- ") else combo
    digits = max(0, round(16 - math.log10(cond))) if math.isfinite(cond) else 0
    how = ("; the weighted least-squares steps were solved by QR instead of Cholesky"
           if qr else "")
    return Trouble(
        IllConditionedWarning, "ill_conditioned",
        f"X is ill conditioned though not rank deficient: X'WX has condition number "
        f"{cond:.2g} with its columns scaled to unit length; the nearly dependent columns "
        f"are {', '.join(names[j] for j in big)} ({combo} is nearly 0 on every row), so "
        f"their estimates keep only about {digits} reliable digits and have inflated "
        f"standard errors{how}. Centre or rescale those columns, or drop one of them")


# --- estimates running off to infinity ------------------------------------------------------
#
# For a binomial response with a link onto the whole line (logit, probit, cloglog, cauchit)
# and for Poisson counts with the log link, the MLE fails to exist exactly when some
# direction b of the coefficients moves every observation at the edge of the response's
# range (y = 0 or 1; a count of 0) towards its y, or leaves it, and leaves every other
# observation alone: x_i'b >= 0 where y_i = 1, <= 0 where y_i = 0, = 0 where y_i is inside
# the range (Albert & Anderson 1984 for binomial data; Haberman 1974 for log-linear
# models). Along such a b the likelihood rises for ever, so the estimates grow without
# bound. A linear program decides (detect_separation). It is not needed when the fit
# itself proves the MLE exists, which is the usual case and costs one pass over X.

#: Links under which eta ranges over the whole line, so that a binomial fit can chase a
#: separating direction for ever (under the log link eta < 0 bounds it).
_OPEN_LINKS = frozenset({"logit", "probit", "cloglog", "cauchit"})


def _can_recede(problem: GLMProblem) -> bool:
    """Whether the family and link can have estimates running off to infinity by a
    direction of recession (see :func:`_edge_signs`)."""
    fam = problem.family
    return ((fam.name == "binomial" and fam.link.name in _OPEN_LINKS)
            or (fam.name == "poisson" and fam.link.name == "log"))


def _edge_signs(problem: GLMProblem) -> Array | None:
    """+1 where y is at the top of its range, -1 at the bottom, 0 inside it; None when the
    family and link cannot have estimates running off to infinity this way."""
    if not _can_recede(problem):
        return None
    y = problem.y
    if problem.family.name == "binomial":
        return np.where(y >= 1, 1.0, np.where(y <= 0, -1.0, 0.0))
    return np.where(y <= 0, -1.0, 0.0)


def _edge_rows(problem: GLMProblem) -> NDArray[np.bool_] | None:
    """The rows of positive weight whose y is at the edge of its range (where
    :func:`_edge_signs` is not 0); None when that is every row, as for 0/1 outcomes
    without weights (no mask needed)."""
    if problem.y_binary and problem.weights_or_none is None:
        return None
    y = problem.y
    at_edge = (y >= 1) | (y <= 0) if problem.family.name == "binomial" else y <= 0
    return np.asarray(at_edge & (problem.prior_weights > 0))


def _mle_certified(problem: GLMProblem, states: Sequence[IRLSState],
                   aliased: NDArray[np.bool_]) -> bool:
    r"""Does the trace prove that no direction of recession exists?

    Stiemke's lemma: no such direction exists if some :math:`c` with :math:`c_i > 0` on the
    rows at the edge (free on the others) has :math:`\sum_i c_i s_i x_i = 0` (take any
    direction b: :math:`0 = \sum_i c_i s_i x_i^\top b`, a sum of terms
    :math:`\ge 0` that would have one :math:`> 0`). IRLS hands us one, nearly: at a
    state, the score's terms :math:`t_i = w_i \mu'(\eta_i) / V(\mu_i)\,(y_i - \mu_i)`
    are :math:`s_i t_i = \lambda_i > 0` on the edge rows, and :math:`X^\top t = U`,
    small but not 0. The WLS step :math:`v = (X^\top W X)^{-1} U` (``beta_next - beta``)
    corrects it: :math:`c_i = \lambda_i - W_i s_i x_i^\top v` gives exactly
    :math:`\sum_i c_i s_i x_i = U - X^\top W X v = 0`, and stays positive when
    :math:`W_i |x_i^\top v| < \lambda_i`, i.e. :math:`\mu'(\eta_i)\,|x_i^\top v| <
    |y_i - \mu_i|`. The state before the last one is used: its step is already solved,
    so the check costs one product :math:`X v` (and, for a compact trace, the state's
    vectors).
    """
    edge = _edge_rows(problem)
    if edge is not None and not edge.any():
        return True
    state = states[-2]
    if state.beta is None:  # (state 0 started from R's mustart: no step to correct with)
        return False
    if not state._fisher_step:  # (the correction needs the WLS step: X'WX v = U)
        return False
    fam, y, X, off = problem.family, problem.y, problem.X, problem.offset
    with np.errstate(all="ignore"):
        v = np.asarray(state.beta_next) - np.asarray(state.beta)
        if any_true(aliased):
            v = np.where(aliased, 0.0, v)
        if not all(map(math.isfinite, v.tolist())):  # (p numbers: no numpy call needed)
            return False
        kept = None if state.is_compact else state._get()
        beta = (None if kept is not None  # (as _linear_predictor)
                else np.where(np.isnan(state.beta), 0.0, state.beta))
        # Block by block over the rows of matvec's blocks: each element is the number the
        # whole vectors would hold, and a compact state's eta, mu and dmu/deta never
        # exist for all n rows at once (beside the last state's vectors).
        for rows in row_blocks(problem.n):
            xv = np.abs(X[rows] @ v)
            if kept is None:  # recompute eta alone, not all of the state's vectors
                assert beta is not None
                eta = X[rows] @ beta + off[rows]
                mu, mu_eta = fam.link_inverse(eta), fam.mu_eta(eta)
            else:
                mu, mu_eta = kept.mu[rows], kept.mu_eta[rows]
            yr = y[rows]
            if edge is not None:
                at = edge[rows]
                yr, mu, mu_eta, xv = yr[at], mu[at], mu_eta[at], xv[at]
            gap = np.abs(yr - mu)
            slack = gap - mu_eta * xv
            # half the gap: room for the rounding in v and in X v
            if not all_true((slack > 0.5 * gap) & (gap > 0)):
                return False
        return True


def _threshold(n_edge: int) -> float:
    """The smallest objective the linear program counts as separation."""
    return 1e-7 * max(1.0, n_edge)


@dataclass(frozen=True)
class _Recession:
    """A direction along which the estimates run off to infinity, and its trouble."""

    kind: str  # "complete" or "quasi-complete"
    trouble: Trouble


def _infinite_estimates(problem: GLMProblem, states: Sequence[IRLSState],
                        aliased: NDArray[np.bool_]) -> _Recession | None:
    final = states[-1]
    if _can_recede(problem):
        if final.converged and _mle_certified(problem, states, aliased):
            return None
        signs = _edge_signs(problem)
        assert signs is not None
    else:
        fam = problem.family
        edge = _at_edge(problem, final.mu)
        if fam.name != "binomial" or (final.converged and not (edge is not None
                                                               and edge.any())):
            return None
        # the binomial log link: only a fit that already looks bad is checked
        signs = np.where(problem.y >= 1, 1.0, np.where(problem.y <= 0, -1.0, 0.0))
    names = [n for n, a in zip(problem.column_names, aliased, strict=True) if not a]
    found = _recession_direction(problem.X[:, ~aliased], signs, problem.prior_weights)
    if found is None:
        return None
    kind, b = found
    return _Recession(kind, _recession_trouble(problem, kind, b, names, signs, aliased))


def _recession_trouble(problem: GLMProblem, kind: str, b: Array, names: list[str],
                       signs: Array, aliased: NDArray[np.bool_]) -> Trouble:
    """The words for a direction of recession ``b`` (over the kept columns ``names``)."""
    fam, _y, pw = problem.family, problem.y, problem.prior_weights
    kept = pw > 0
    binomial = fam.name == "binomial"
    big = np.abs(b) >= 1e-6 * np.max(np.abs(b))
    direction = ""
    for j in np.flatnonzero(big):
        sign = "-" if b[j] < 0 else "+"
        lead = (sign if sign == "-" else "") if not direction else f" {sign} "
        direction += f"{lead}{abs(b[j]):.3g} * {names[j]}"
    involved = ", ".join(names[j] for j in np.flatnonzero(big))
    Xk = problem.X[:, ~aliased]
    single = int(np.flatnonzero(big)[0]) if big.sum() == 1 else None
    dummy = single is not None and bool(np.all(np.isin(Xk[kept, single], (0.0, 1.0))))
    if binomial and not np.any(kept & (signs < 0)) and not np.any(kept & (signs == 0)):
        what = ("every observation is a success (y = 1): the fitted probability tends to 1 "
                "and the estimates to infinity; check how the response is coded")
    elif binomial and not np.any(kept & (signs > 0)) and not np.any(kept & (signs == 0)):
        what = ("every observation is a failure (y = 0): the fitted probability tends to 0 "
                "and the estimates to infinity; check how the response is coded")
    elif not binomial and not np.any(kept & (signs == 0)):
        what = ("every count is 0: the fitted rate tends to 0 and the estimates to minus "
                "infinity; there is no rate to estimate")
    elif dummy and single is not None:
        col = names[single]
        if binomial:
            side = "y = 1" if b[single] > 0 else "y = 0"
            what = (f"every row with {col} = 1 has {side}: the 0/1 column {col} separates "
                    f"them, so the coefficient of {col} runs off to "
                    f"{'+' if b[single] > 0 else '-'}infinity (R reports a large estimate "
                    "with a huge standard error, without a warning)")
        else:
            what = (f"every row with {col} = 1 has a count of 0: the fitted rate of that "
                    f"group tends to 0 and the coefficient of {col} to -infinity (R reports "
                    "a large negative estimate with a huge standard error, without a "
                    "warning)")
    elif binomial:
        how = "perfectly" if kind == "complete" else "with ties on the border"
        what = (f"a linear combination of the columns of X splits y = 1 from y = 0 {how}: "
                f"{direction} is >= 0 for every y = 1 and <= 0 for every y = 0, so the "
                f"estimates of {involved} run off to infinity along it")
    else:
        what = (f"the combination {direction} is 0 on every row with a positive count and "
                f"negative on some rows with a count of 0: their fitted rates tend to 0, so "
                f"the estimates of {involved} run off to infinity along it")
    lead = f"{kind} separation: " if binomial else "infinite estimates: "
    fix = ("; the maximum-likelihood estimate does not exist: the coefficients and "
           "standard errors printed are where IRLS stopped, not estimates. Remove or merge "
           "the rows or levels involved, or use a penalised fit (e.g. Firth's)")
    return Trouble(SeparationWarning if binomial else InfiniteEstimateWarning,
                   "separation" if binomial else "infinite_estimate", lead + what + fix)


def _at_edge(problem: GLMProblem, mu: Array) -> Array | None:
    """Where the fitted means are numerically at the edge of their range (None when the
    family has no such edge)."""
    name = problem.family.name
    if name == "binomial":
        return np.asarray((mu < BOUNDARY_EPS) | (mu > 1 - BOUNDARY_EPS))
    if name == "poisson":
        return np.asarray(mu < BOUNDARY_EPS)
    return None


def _boundary_troubles(problem: GLMProblem, final: IRLSState, at_edge: Array,
                       recession: _Recession | None) -> list[Trouble]:
    """R's boundary warning, said with what it means and what to try; and, when the MLE
    exists, whether IRLS stopped at the edge without reaching it."""
    mu = final.mu
    i = int(np.flatnonzero(at_edge)[0])
    binomial = problem.family.name == "binomial"
    head = ("fitted probabilities numerically 0 or 1 occurred" if binomial
            else "fitted rates numerically 0 occurred")
    k = int(at_edge.sum())
    meaning = (f" (first at index {i}: mu = {mu[i]:.3g}; {k} row(s) in all): the model "
               "predicts these rows with certainty, so their working weights are ~0 and they "
               "add nothing to the information; standard errors that rely on them are "
               "unreliable. ")
    if recession is not None:
        advice = "This comes from the infinite estimates above."
    else:
        advice = ("The MLE exists (nothing runs off to infinity), so this is either a real "
                  "extreme prediction (a covariate far from the others) or IRLS stuck where "
                  "the means are clamped; check the rows involved, try the default start "
                  "or step_halving='deviance'.")
    out = [Trouble(BoundaryWarning, "boundary", head + meaning + advice)]
    # Where the edge is reached only as eta -> +-infinity (binomial with an open link,
    # Poisson with the log link), a converged fit there with a finite MLE is IRLS stuck on
    # the flat clamped part of the deviance; under a link that reaches the edge at a
    # finite eta (Poisson identity) the maximum can truly lie on the edge.
    if (recession is None and final.converged and _can_recede(problem)
            and _score_far_from_zero(problem, final)):
        out.append(Trouble(
            ConvergenceWarning, "false_convergence",
            f"IRLS met R's convergence criterion at iteration {final.iteration} only because "
            f"the deviance stopped changing where the fitted means are clamped at the edge "
            f"(deviance {final.deviance:.6g}); the score there is far from zero (max |U| = "
            f"{final.max_abs_score:.3g}), and the MLE exists, so the estimates are not the "
            "MLE. Refit from the default start (start=None) or with "
            "step_halving='deviance'"))
    return out


def _score_far_from_zero(problem: GLMProblem, final: IRLSState) -> bool:
    """Is the score at the fit large next to the sum of its terms' sizes (it is ~0 at the
    MLE, and of the order of its terms where the means are clamped)?"""
    fam, mu, pw, y = problem.family, final.mu, problem.prior_weights, problem.y
    with np.errstate(all="ignore"):
        terms = np.abs(pw * fam.mu_eta(final.eta) / fam.variance(mu) * (y - mu))
        size = np.abs(problem.X).T @ terms
        score = np.abs(np.nan_to_num(final.score))
        return bool(np.any(score > 1e-3 * np.where(size > 0, size, np.inf)))


def detect_separation(X: Array, y: Array, prior_weights: Array) -> str | None:
    r"""Is there a direction :math:`b` with :math:`x_i^\top b \ge 0` for every success and
    :math:`\le 0` for every failure (and :math:`X b \ne 0`)? Solved as a linear program.

    Returns ``"complete"`` when some :math:`b` separates every observation strictly,
    ``"quasi-complete"`` when only with ties, and None when the MLE exists (as far as
    separation is concerned). Observations with a proportion strictly between 0 and 1
    cannot be separated and force :math:`x_i^\top b = 0`.
    """
    y = np.asarray(y, dtype=float)
    signs = np.where(y >= 1, 1.0, np.where(y <= 0, -1.0, 0.0))
    found = _recession_direction(np.asarray(X, dtype=float), signs,
                                 np.asarray(prior_weights, dtype=float))
    return None if found is None else found[0]


def _recession_direction(X: Array, signs: Array, prior_weights: Array
                         ) -> tuple[str, Array] | None:
    r"""The linear program behind :func:`detect_separation`, for any edge signs :math:`s`:
    find :math:`b` with :math:`s_i x_i^\top b \ge 0` where :math:`s_i \ne 0`,
    :math:`x_i^\top b = 0` where :math:`s_i = 0`, and :math:`\sum_i s_i x_i^\top b > 0`.

    Returns the kind (``"complete"`` when every row can be moved strictly, which needs
    every :math:`s_i \ne 0`, else ``"quasi-complete"``) and :math:`b` in the units of X's
    columns, or None.
    """
    keep = prior_weights > 0
    Xk, sk = X[keep], signs[keep]
    scale = np.max(np.abs(Xk), axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    Xs = Xk / scale
    mid = sk == 0
    signed = Xs[~mid] * sk[~mid, None]  # want signed @ b >= 0
    if len(signed) == 0:
        return None
    p = Xs.shape[1]
    a_eq = Xs[mid] if mid.any() else None
    b_eq = np.zeros(int(mid.sum())) if mid.any() else None
    # Quasi-complete: maximise sum(signed @ b) with |b_j| <= 1.
    res = optimize.linprog(-signed.sum(axis=0), A_ub=-signed, b_ub=np.zeros(len(signed)),
                           A_eq=a_eq, b_eq=b_eq, bounds=[(-1, 1)] * p, method="highs")
    if res.status != 0 or -res.fun <= _threshold(len(signed)):
        return None
    b = np.asarray(res.x) / scale
    if mid.any():
        return "quasi-complete", b
    # Complete: is there b with signed @ b >= 1 for every row (scale is free)?
    feas = optimize.linprog(np.zeros(p), A_ub=-signed, b_ub=-np.ones(len(signed)),
                            bounds=[(None, None)] * p, method="highs")
    if feas.status == 0:
        return "complete", np.asarray(feas.x) / scale
    return "quasi-complete", b
