r"""The five exercises on any IRLS state: what is asked, the typical mistakes and their
hints, and a ``grade_*(answer, state)`` function for each.

Every mistake is computed from the state and its family, so the same hints work on any
fit; where a mistake is a textbook step with one ingredient left out, it is computed with
that step (:func:`glmlearn.working_response`, :func:`glmlearn.working_weights`,
:func:`glmlearn.score`).
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


def _has_prior(s: IRLSState) -> bool:
    return not np.allclose(_pw(s), 1.0)


def _has_offset(s: IRLSState) -> bool:
    return bool(np.any(s.problem.offset != 0))


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
            "you used V(μ) as the weight. That is right only for a canonical link (there "
            "dμ/dη = V(μ)); in general the weight is the reciprocal of the variance of the "
            "working response, which is V(μ)·g'(μ)², not V(μ)"),
    Mistake("inverse_variance", lambda s: _pw(s) / _V(s),
            "you used 1/V(μ): the variance of y. The weight needs the variance of the "
            "working response z, which lives on the η scale: V(μ)·g'(μ)² — you left out "
            "g'(μ)² (equivalently, the factor (dμ/dη)²)"),
    Mistake("not_squared", lambda s: _pw(s) * _dmu(s) / _V(s),
            "close: you have dμ/dη (or 1/g'(μ)) once; the delta method squares it"),
    Mistake("reciprocal", lambda s: _V(s) / (_dmu(s) ** 2 * _pw(s)),
            "upside down: you computed V(μ)·g'(μ)², the variance of the working response; "
            "the weight is its reciprocal"),
    Mistake("no_prior_weights", lambda s: working_weights(_fam(s), s.mu, s.eta),
            "you forgot the prior weights (here the number of beetles at each dose): "
            "a proportion out of 60 carries 60 times the information of a single 0/1",
            _has_prior),
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
        hint="z = eta + (y - mu) g'(mu) has variance about V(mu) g'(mu)^2 / prior weight; "
             "IRLS weights each observation by one over that",
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
            "you forgot the offset: the linear predictor is η = Xβ + offset, and μ = g⁻¹(η) "
            "must include it (the offset is log(exposure), it turns counts into rates)",
            _has_offset),
    Mistake("offset_removed", lambda s: s.z - s.problem.offset,
            "nearly: you left the offset out of η (η = Xβ + offset) — your μ was right, "
            "but the working response is η + (y − μ)·g'(μ) with the whole η", _has_offset),
    Mistake("residual_only", lambda s: s.z - s.eta,
            "that is the working residual (y − μ)·g'(μ); the working response adds the "
            "current linear predictor η to it"),
    Mistake("times_dmu_deta", lambda s: s.eta + (s.problem.y - s.mu) * _dmu(s),
            "you multiplied (y − μ) by dμ/dη; linearizing g around μ needs dη/dμ = g'(μ), "
            "its reciprocal"),
    Mistake("response_scale", lambda s: s.mu + (s.problem.y - s.mu) / _dmu(s),
            "you started from μ; the working response lives on the link scale, so it starts "
            "from η"),
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
        hint="z is the first-order Taylor expansion of g(y) around mu: g(mu) + (y - mu) g'(mu)",
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
            "you regressed z itself; with an offset the regression target is z − offset "
            "(the offset is known, it gets no coefficient)", _has_offset),
    Mistake("unweighted", lambda s: _wls(s, np.ones_like(s.w), s.z - s.problem.offset),
            "you forgot the weights: that is ordinary least squares on z; IRLS is a "
            "*weighted* regression, with the working weights w"),
    Mistake("y_not_z", lambda s: _wls(s, s.w, s.problem.y - s.problem.offset),
            "you regressed y; IRLS regresses the working response z (y linearized on the "
            "link scale)"),
    Mistake("eta_not_z", lambda s: _wls(s, s.w, s.eta - s.problem.offset),
            "you regressed η, which gives back the current β; the new information is in the "
            "working response z"),
    Mistake("sqrt_weights", lambda s: _wls(s, np.sqrt(s.w), s.z - s.problem.offset),
            "you weighted by √w. If you solved least squares on √w·X and √w·z, the square "
            "root is already there — pass w to the normal equations, √w only to lstsq"),
    Mistake("squared_weights", lambda s: _wls(s, s.w ** 2, s.z - s.problem.offset),
            "you weighted by w²: multiplying the rows of X and z by w (not √w) squares the "
            "weights"),
)


def build_irls_step(state: IRLSState) -> Exercise:
    """The IRLS-step exercise on ``state``."""
    p = state.problem
    return Exercise(
        name="IRLS step",
        task=("Compute the next coefficients: the weighted least-squares solution of "
              "z - offset on X with weights w, i.e. solve (X'WX) beta = X'W(z - offset) "
              "(without building the n×n matrix W)."),
        state=state,
        given=frozen(X=p.X, w=state.w, z=state.z, offset=p.offset),
        hint="X'WX is X.T @ (w[:, None] * X); or run np.linalg.lstsq on sqrt(w)-scaled rows",
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
            "this is the canonical-link score X'(y − μ); for a non-canonical link like "
            "probit each residual is also multiplied by dμ/dη / V(μ), which is 1 only for "
            "the canonical link"),
    Mistake("working_weights", lambda s: _xt(s, s.w * (s.problem.y - s.mu)),
            "you multiplied by the working weights w = (dμ/dη)²/V(μ); the score has dμ/dη "
            "only once: dμ/dη / V(μ) (chain rule: ∂ℓ/∂μ · ∂μ/∂η)"),
    Mistake("no_dmu_deta", lambda s: _xt(s, _pw(s) * (s.problem.y - s.mu) / _V(s)),
            "you stopped at ∂ℓ/∂μ = (y − μ)/V(μ); β acts through η, so the chain rule adds "
            "dμ/dη"),
    Mistake("no_prior_weights",
            lambda s: score(_fam(s), s.problem.X, s.problem.y, s.mu, s.eta),
            "you forgot the prior weights (the number of trials for binomial proportions): "
            "each observation's contribution to the log-likelihood is multiplied by it",
            _has_prior),
    Mistake("sign", lambda s: -s.score,
            "the sign is flipped: the score uses y − μ, not μ − y"),
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
        hint="differentiate the log-likelihood through the chain β → η → μ → ℓ",
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
    y, mu = s.problem.y, s.mu
    with np.errstate(divide="ignore", invalid="ignore"):
        ylog = np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0) / mu), 0.0)
    return ylog, y - mu


_DEV_MISTAKES = (
    Mistake("no_factor_two", lambda s: s.deviance / 2,
            "half of it: the deviance is twice the log-likelihood ratio against the "
            "saturated model"),
    Mistake("no_linear_term", lambda s: 2 * float(np.sum(_pw(s) * _unit_dev_parts(s)[0])),
            "you dropped the −(y − μ) term. It sums to zero only at the MLE of a model with "
            "an intercept and the log link; at this IRLS state it does not"),
    Mistake("minus_two_loglik", lambda s: -2 * _fam(s).loglik(s.problem.y, s.mu, _pw(s)),
            "that is −2·log-likelihood; the deviance compares with the saturated model "
            "(μ = y), so it is −2·(ℓ(μ) − ℓ(y))"),
    Mistake("sign", lambda s: -s.deviance, "the sign is flipped: a deviance is never negative"),
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
        hint="the deviance of the saturated model (mu = y) is 0; each term is >= 0",
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
