"""The IRLS step and score exercises: what is asked, the typical mistakes and their hints,
and :func:`grade_irls_step`, :func:`grade_score` (see :mod:`glmlearn.exercises.grading`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._arrays import Array
from .._irls import IRLSState, score
from ..results import GLMResult
from ._common import _V, _as_state, _fam, _pw, _wls
from ._feedback import Exercise, Feedback, Mistake, frozen

__all__ = ["build_irls_step", "build_score", "grade_irls_step", "grade_score"]


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
              "gradient of the log-likelihood times phi (phi = 1 for the binomial), at the "
              "current eta and mu. Use family.mu_eta(eta) (dmu/deta) and family.variance(mu)."),
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
