r"""The five exercises on any IRLS state: what is asked, the typical mistakes and their
hints, and a ``grade_*(answer, state)`` function for each.

Each exercise has a table of mistakes (``_WW_MISTAKES``, ``_WR_MISTAKES``,
``_STEP_MISTAKES``, ``_SCORE_MISTAKES``, ``_DEV_MISTAKES``): one
:class:`~glmlearn.exercises.Mistake` per misconception, with the formula the mistaken
learner computes from the state and its family, so the same hints work on any fit. The
grader names the first entry that matches, so single slips come before combinations of
them (a learner who forgets the prior weights *and* uses V(μ) is told about both only if
no single slip explains the answer). Where a mistake is a textbook step with one
ingredient left out, it is computed with that step (:func:`glmlearn.working_response`,
:func:`glmlearn.working_weights`, :func:`glmlearn.score`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._arrays import Array
from .._irls import IRLSState, score, working_response, working_weights
from ..errors import GLMInputError
from ..family import Family
from ..linalg import solve_wls
from ..results import GLMResult
from ._feedback import Exercise, Feedback, Mistake, frozen

__all__ = [
    "grade_deviance",
    "grade_irls_step",
    "grade_score",
    "grade_working_response",
    "grade_working_weights",
]


# --- the pieces a mistake is built from (all read from the state and its family) -------------

def _fam(s: IRLSState) -> Family:
    return s.problem.family


def _pw(s: IRLSState) -> Array:
    return s.problem.prior_weights


def _V(s: IRLSState) -> Array:
    return _fam(s).variance(s.mu)


def _dmu(s: IRLSState) -> Array:  # dmu/deta
    return _fam(s).mu_eta(s.eta)


def _is_poisson(s: IRLSState) -> bool:
    return _fam(s).name == "poisson"


def _wls(s: IRLSState, w: Array, target: Array) -> Array:
    return solve_wls(s.problem.X, w, target).beta


def _as_state(state: Any) -> IRLSState:
    """The state to grade against: an IRLSState, or the last state of a result."""
    if isinstance(state, GLMResult):
        return state.final_state
    if isinstance(state, IRLSState):
        return state
    raise GLMInputError(f"state: expected an IRLSState or a GLMResult, got {type(state).__name__}")


# --- working weights ------------------------------------------------------------------------

_WW_MISTAKES = (
    Mistake("variance_only", lambda s: _pw(s) * _V(s),
            "you used the variance function V(μ) (times the prior weights) as the weight. "
            "That works only for the canonical link, where dμ/dη happens to equal V(μ); for "
            "another link the weight must also account for how the link derivative g'(μ) "
            "stretches y − μ onto the η scale"),
    Mistake("inverse_variance", lambda s: _pw(s) / _V(s),
            "you used one over the variance function, 1/V(μ): one over the variance of y, "
            "on the μ scale. The working weights belong to the working response z, which lives on "
            "the η scale, where the link derivative g'(μ) stretches y − μ; your weight "
            "ignores that stretch"),
    Mistake("not_squared", lambda s: _pw(s) * _dmu(s) / _V(s),
            "close: you have dμ/dη (that is, 1/g'(μ)) to the first power. The working "
            "response stretches y − μ by g'(μ), and a variance grows with the square of "
            "such a factor, so one power cannot be right"),
    Mistake("reciprocal", lambda s: _V(s) / (_dmu(s) ** 2 * _pw(s)),
            "upside down: what you computed is the variance of the working response "
            "(divided by the prior weight). A weight is large where the variance is small, "
            "so it cannot be the variance itself"),
    Mistake("sqrt_weights", lambda s: np.sqrt(s.w),
            "these are the square roots of the working weights: √w is the factor that "
            "scales the rows of X and z when the weighted regression is solved with lstsq, "
            "not the weight of an observation"),
    Mistake("no_prior_weights", lambda s: working_weights(_fam(s), s.mu, s.eta),
            "you left out the prior weights: an observation with prior weight m (a "
            "proportion out of m trials, a rate over m units of exposure) counts as much as "
            "m observations with prior weight 1, and its working weight must say so"),
    # Two slips at once, after the single slips: with unit prior weights these equal
    # the entries above, and the single-slip name is the one to report.
    Mistake("variance_only_no_prior_weights", _V,
            "you used the variance function V(μ) itself as the weight, and left out the "
            "prior weights. V(μ) works only for the canonical link (where dμ/dη happens "
            "to equal V(μ)), and every observation's weight also carries its prior weight"),
    Mistake("inverse_variance_no_prior_weights", lambda s: 1 / _V(s),
            "you used 1/V(μ), one over the variance of y on the μ scale, and left out the "
            "prior weights. The working weights belong to the working response z on the η scale, "
            "where the link derivative g'(μ) stretches y − μ, and every observation's "
            "weight also carries its prior weight"),
)


def build_working_weights(state: IRLSState) -> Exercise:
    """The working weights exercise on ``state``."""
    p = state.problem
    return Exercise(
        name="working weights",
        task=("Compute the working weights w (a vector, one per observation) from the "
              "current eta and mu: w = prior weight / (V(mu) · g'(mu)^2). Use the family's "
              "pieces: family.variance(mu), family.link_deriv(mu) (g'), family.mu_eta(eta) "
              "(dmu/deta)."),
        state=state,
        given=frozen(eta=state.eta, mu=state.mu, prior_weights=p.prior_weights,
                     family=p.family),
        hint=("look at what decides how much one observation's working response z can be "
              "trusted: the variance function family.variance(mu), the link derivative "
              "family.link_deriv(mu) that carries y - mu onto the eta scale, and "
              "prior_weights. Lesson 4, 'Building intuition' (step 2), and lesson 3, "
              "'WLS.1 at every step of IRLS'"),
        expected=lambda s: s.w,
        mistakes=_WW_MISTAKES,
    )


def grade_working_weights(answer: Any, state: IRLSState | GLMResult) -> Feedback:
    """Grade an answer for the working weights of ``state`` (compared with ``state.w``).

    Parameters
    ----------
    answer : array_like or ...
        The learner's answer; ``...`` or None means not answered yet.
    state : IRLSState or GLMResult
        Any IRLS state (a result means its last state).

    Returns
    -------
    Feedback
        Truthy when right; otherwise a hint naming the misconception.
    """
    return build_working_weights(_as_state(state)).check(answer)


# --- working response -----------------------------------------------------------------------

def _z_without_offset(s: IRLSState) -> Array:
    fam, X = _fam(s), s.problem.X
    assert s.beta is not None  # the working-response exercise refuses states without beta
    eta = X @ np.where(np.isnan(s.beta), 0.0, s.beta)  # aliased coefficients count as zero
    return working_response(fam, s.problem.y, fam.link_inverse(eta), eta)


_WR_MISTAKES = (
    Mistake("no_offset", _z_without_offset,
            "you left out the offset: the linear predictor includes it (η = Xβ + offset), "
            "so both your η and your μ = g⁻¹(η) are off. An offset such as log(exposure) "
            "is what turns counts into rates"),
    Mistake("offset_removed", lambda s: s.z - s.problem.offset,
            "nearly: your μ includes the offset, but the η you started from does not. The "
            "working response is on the scale of the whole linear predictor, offset "
            "included"),
    Mistake("sign", lambda s: s.eta - (s.problem.y - s.mu) * _fam(s).link_deriv(s.mu),
            "the sign of the working residual is flipped: you moved from η away from y. "
            "The working response linearizes g(y) around μ, so it moves from η in the "
            "direction of y − μ"),
    Mistake("no_link_derivative", lambda s: s.eta + (s.problem.y - s.mu),
            "you added y − μ to η as it is, without the link derivative g'(μ). y − μ is on "
            "the scale of μ and η on the link scale; g'(μ) is what turns a change in μ "
            "into a change in η (the two scales agree only for the identity link)"),
    Mistake("y_itself", lambda s: s.problem.y,
            "you returned y itself. For a link other than the identity, y is on the wrong "
            "scale: the working response is y carried onto the link (η) scale by "
            "linearizing g around the current μ"),
    Mistake("residual_only", lambda s: s.z - s.eta,
            "that is only the working residual (y − μ)·g'(μ): a correction on the η scale "
            "to the current linear predictor, which you left out"),
    Mistake("times_dmu_deta", lambda s: s.eta + (s.problem.y - s.mu) * _dmu(s),
            "you multiplied (y − μ) by dμ/dη; carrying a change in μ onto the η scale needs "
            "dη/dμ, the link derivative g'(μ), which is its reciprocal"),
    Mistake("response_scale", lambda s: s.mu + (s.problem.y - s.mu) / _dmu(s),
            "you started from μ, on the response scale; the working response lives on the "
            "link (η) scale, like everything the weighted regression fits"),
)


def build_working_response(state: IRLSState) -> Exercise:
    """The working response exercise on ``state``."""
    p = state.problem
    if state.beta is None:
        raise GLMInputError(
            f"state: state {state.iteration} has no coefficients beta (IRLS started from R's "
            "starting means), and the working response is asked at the current beta; use a "
            "later state, or start= in irls()"
        )
    return Exercise(
        name="working response",
        task=("Compute the working response z = eta + (y - mu) · g'(mu) at the current "
              "coefficients beta, where eta = X @ beta + offset and mu = g^{-1}(eta). "
              "Use family.link_inverse(eta) and family.link_deriv(mu) (g')."),
        state=state,
        given=frozen(X=p.X, y=p.y, beta=state.beta, offset=p.offset, family=p.family),
        hint=("look at the linear predictor eta (offset included), mu from "
              "family.link_inverse(eta), the residual y - mu and the link derivative "
              "family.link_deriv(mu): z is g(y) linearized around the current mu. Lesson 4, "
              "'Building intuition' (step 2), and for the offset lesson 6, 'The model: a log "
              "link and an offset'"),
        expected=lambda s: s.z,
        mistakes=_WR_MISTAKES,
        on_nonfinite="Did you take g(y) = log(y)? Some y are 0 here; the working response "
                     "linearizes g around μ, so it never needs g(y)",
    )


def grade_working_response(answer: Any, state: IRLSState | GLMResult) -> Feedback:
    """Grade an answer for the working response of ``state`` (compared with ``state.z``).

    Parameters
    ----------
    answer : array_like or ...
        The learner's answer; ``...`` or None means not answered yet.
    state : IRLSState or GLMResult
        Any IRLS state (a result means its last state).

    Returns
    -------
    Feedback
        Truthy when right; otherwise a hint naming the misconception.
    """
    return build_working_response(_as_state(state)).check(answer)


# --- one IRLS step --------------------------------------------------------------------------

_STEP_MISTAKES = (
    Mistake("offset_in_target", lambda s: _wls(s, s.w, s.z),
            "you regressed z with the offset still in it. The offset is a known part of η "
            "with no coefficient to estimate; left in the target, the coefficients try to "
            "absorb it"),
    Mistake("unweighted", lambda s: _wls(s, np.ones_like(s.w), s.z - s.problem.offset),
            "you solved ordinary least squares, every observation with weight 1. IRLS is a "
            "*weighted* regression: each observation counts by its working weight, so a "
            "working response with a small variance counts more"),
    Mistake("y_not_z", lambda s: _wls(s, s.w, s.problem.y - s.problem.offset),
            "you regressed y; IRLS regresses the working response z (y linearized on the "
            "link scale), which is what makes the regression linear in β"),
    Mistake("eta_not_z", lambda s: _wls(s, s.w, s.eta - s.problem.offset),
            "you regressed η, which gives back the current β; the new information about y "
            "is in the working response z"),
    Mistake("sqrt_weights", lambda s: _wls(s, np.sqrt(s.w), s.z - s.problem.offset),
            "you weighted the regression by √w: the square root of the working weights is "
            "the row scaling for a least-squares solve (lstsq), not the weight in the "
            "normal equations; used as a weight it is applied only halfway"),
    Mistake("squared_weights", lambda s: _wls(s, s.w ** 2, s.z - s.problem.offset),
            "you weighted by w²: scaling the rows of X and z by w (instead of √w) squares "
            "the weights"),
    # Two slips at once; without an offset it equals "unweighted", named first.
    Mistake("unweighted_offset_in_target", lambda s: _wls(s, np.ones_like(s.w), s.z),
            "two slips: ordinary least squares (every observation with weight 1, where IRLS "
            "weights each by its working weight) on z with the offset still in it (the "
            "offset is known and gets no coefficient)"),
)


def build_irls_step(state: IRLSState) -> Exercise:
    """The IRLS-step exercise on ``state``."""
    p = state.problem
    return Exercise(
        name="IRLS step",
        task=("Compute the next coefficients: the weighted least-squares solution of "
              "z - offset on X with weights w, i.e. solve (X'WX) beta = X'W(z - offset). "
              "Try it without building the n×n matrix W: the check only sees your numbers, "
              "so it cannot tell, but W costs n² memory for n useful numbers."),
        state=state,
        given=frozen(X=p.X, w=state.w, z=state.z, offset=p.offset),
        hint=("look at X, the working weights w, the working response z and the offset, "
              "a known part of eta with no coefficient. Lesson 3, 'The formal statement' and "
              "'The naive way and the vector way' (a weighted regression without the n×n "
              "matrix); lesson 6, 'The model: a log link and an offset' (what IRLS does "
              "with the offset)"),
        expected=lambda s: s.beta_next,
        mistakes=_STEP_MISTAKES,
    )


def grade_irls_step(answer: Any, state: IRLSState | GLMResult) -> Feedback:
    """Grade an answer for the WLS step of ``state`` (compared with ``state.beta_next``).

    Parameters
    ----------
    answer : array_like or ...
        The learner's answer; ``...`` or None means not answered yet.
    state : IRLSState or GLMResult
        Any IRLS state (a result means its last state).

    Returns
    -------
    Feedback
        Truthy when right; otherwise a hint naming the misconception.
    """
    return build_irls_step(_as_state(state)).check(answer)


# --- the score ------------------------------------------------------------------------------

def _xt(s: IRLSState, v: Array) -> Array:
    return s.problem.X.T @ v


_SCORE_MISTAKES = (
    Mistake("canonical_form", lambda s: _xt(s, _pw(s) * (s.problem.y - s.mu)),
            "this is the canonical-link form X'(y − μ), with the prior weights. It is the "
            "score only for the canonical link, where the chain-rule factor dμ/dη and the "
            "variance function V(μ) cancel; for a non-canonical link such as probit they "
            "do not"),
    Mistake("working_weights", lambda s: _xt(s, s.w * (s.problem.y - s.mu)),
            "you multiplied the residuals by the working weights w. They contain dμ/dη "
            "twice (they come from the variance of the working response), while the chain "
            "rule β → η → μ → ℓ brings it into the score only once"),
    Mistake("no_dmu_deta", lambda s: _xt(s, _pw(s) * (s.problem.y - s.mu) / _V(s)),
            "you stopped at ∂ℓ/∂μ = (y − μ)/V(μ); β acts on ℓ through η, so the chain rule "
            "brings in one more factor, for the step from η to μ"),
    Mistake("no_prior_weights",
            lambda s: score(_fam(s), s.problem.X, s.problem.y, s.mu, s.eta),
            "you left out the prior weights (for binomial proportions, the number of "
            "trials): each observation's log-likelihood is multiplied by its prior weight, "
            "and so is its contribution to the score"),
    Mistake("sign", lambda s: -s.score,
            "the sign is flipped: you used μ − y. The score is the gradient of the "
            "log-likelihood, which grows as μ moves towards y"),
    # Lesson 5's X'(y − mu), exactly as taught there: two slips on a probit fit with
    # prior weights. With unit prior weights it equals "canonical_form", named first.
    Mistake("canonical_form_no_prior_weights", lambda s: _xt(s, s.problem.y - s.mu),
            "this is the canonical-link form X'(y − μ) of lesson 5, written without prior "
            "weights. It is the score only for the canonical link, where dμ/dη and the "
            "variance function V(μ) cancel (not for probit), and here each observation's "
            "contribution is also multiplied by its prior weight"),
)


def build_score(state: IRLSState) -> Exercise:
    """The score vector exercise on ``state``."""
    p = state.problem
    return Exercise(
        name="score",
        task=("Compute the score U = X' diag(prior weight · dmu/deta / V(mu)) (y - mu), the "
              "gradient of the log-likelihood (times phi), at the current eta and mu. Use "
              "family.mu_eta(eta) (dmu/deta) and family.variance(mu)."),
        state=state,
        given=frozen(X=p.X, y=p.y, eta=state.eta, mu=state.mu,
                     prior_weights=p.prior_weights, family=p.family),
        hint=("look at y - mu, the variance function family.variance(mu), "
              "dmu/deta = family.mu_eta(eta), prior_weights and X, and follow the chain "
              "β → η → μ → ℓ. Lesson 5, 'A non-canonical link: probit': the simple form of "
              "'Building intuition' is the score only for the canonical link"),
        expected=lambda s: s.score,
        mistakes=_SCORE_MISTAKES,
    )


def grade_score(answer: Any, state: IRLSState | GLMResult) -> Feedback:
    """Grade an answer for the score vector of ``state`` (compared with ``state.score``).

    Parameters
    ----------
    answer : array_like or ...
        The learner's answer; ``...`` or None means not answered yet.
    state : IRLSState or GLMResult
        Any IRLS state (a result means its last state).

    Returns
    -------
    Feedback
        Truthy when right; otherwise a hint naming the misconception.
    """
    return build_score(_as_state(state)).check(answer)


# --- the deviance ---------------------------------------------------------------------------

def _unit_dev_parts(s: IRLSState) -> tuple[Array, Array]:
    """The Poisson unit deviance's two parts, y log(y/mu) (0 where y = 0) and y - mu."""
    y, mu = s.problem.y, s.mu
    with np.errstate(divide="ignore", invalid="ignore"):
        ylog = np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0) / mu), 0.0)
    return ylog, y - mu


def _nansum_deviance(s: IRLSState) -> float:
    # np.nansum(2 * w * (y log(y/mu) - (y - mu))): where y = 0 the log term is nan, so the
    # whole term of that observation, its -(y - mu) = mu included, is summed away.
    ylog, resid = _unit_dev_parts(s)
    return 2 * float(np.sum(np.where(s.problem.y > 0, _pw(s) * (ylog - resid), 0.0)))


_DEV_MISTAKES = (
    Mistake("nansum", _nansum_deviance,
            "np.nansum hid the problem instead of solving it: for y = 0, y·log(y/μ) is "
            "0·(−inf) = nan in floating point, and nansum dropped those observations' whole "
            "terms. The deviance takes the limit y log y → 0 as y → 0: such an "
            "observation's log term is 0, not missing, and the rest of its term, −(y − μ), "
            "still counts", _is_poisson),
    Mistake("no_factor_two", lambda s: s.deviance / 2,
            "you computed half of it: the deviance is twice the difference in "
            "log-likelihood between the saturated model (μ = y) and the current one"),
    Mistake("no_linear_term", lambda s: 2 * float(np.sum(_pw(s) * _unit_dev_parts(s)[0])),
            "you dropped the −(y − μ) term. Its (prior-weighted) sum is zero only at the "
            "fitted maximum of a model with an intercept and the canonical link (that is "
            "the intercept's score equation); at an IRLS state before convergence, without "
            "an intercept or with another link it is not zero", _is_poisson),
    Mistake("minus_two_loglik", lambda s: -2 * _fam(s).loglik(s.problem.y, s.mu, _pw(s)),
            "that is −2·log-likelihood of the current model; the deviance measures it "
            "against the saturated model (μ = y), whose log-likelihood you did not subtract"),
    Mistake("no_prior_weights", lambda s: _fam(s).deviance(s.problem.y, s.mu),
            "you left out the prior weights: each observation's unit deviance counts by its "
            "prior weight, just as its log-likelihood does"),
    Mistake("sign", lambda s: -s.deviance,
            "the sign is flipped: the saturated model fits at least as well as any other, "
            "so a deviance is never negative"),
)


def build_deviance(state: IRLSState) -> Exercise:
    """The deviance exercise on ``state``."""
    p = state.problem
    return Exercise(
        name="deviance",
        task=("Compute the deviance D = sum_i prior_i · d(y_i, mu_i) at the current mu. "
              f"For the {p.family.name} family d(y, mu) = "
              + ("2 {y log(y/mu) - (y - mu)}, with y log(y/mu) = 0 when y = 0."
                 if p.family.name == "poisson" else "its unit deviance.")),
        state=state,
        given=frozen(y=p.y, mu=state.mu, prior_weights=p.prior_weights, family=p.family),
        hint=("look at y, mu, prior_weights and the family's unit deviance given in the "
              "task: it compares the current model with the saturated one (mu = y), whose "
              "deviance is 0, and each observation's term is >= 0; mind the y = 0 terms. "
              "Lesson 6, 'Counts with an exposure: British doctors' and 'Counts with an "
              "exposure: ship damage' (their deviances)"),
        expected=lambda s: s.deviance,
        mistakes=_DEV_MISTAKES,
        on_nonfinite="Some y are 0, and 0·log(0) is nan in floating point although its "
                     "limit is 0: use np.where(y > 0, ..., 0) or scipy.special.xlogy",
    )


def grade_deviance(answer: Any, state: IRLSState | GLMResult) -> Feedback:
    """Grade an answer for the deviance of ``state`` (compared with ``state.deviance``).

    Parameters
    ----------
    answer : array_like or ...
        The learner's answer; ``...`` or None means not answered yet.
    state : IRLSState or GLMResult
        Any IRLS state (a result means its last state).

    Returns
    -------
    Feedback
        Truthy when right; otherwise a hint naming the misconception.
    """
    return build_deviance(_as_state(state)).check(answer)


# --- the exercises on real data -------------------------------------------------------------
