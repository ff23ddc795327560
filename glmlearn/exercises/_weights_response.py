"""The working weights and working response exercises: what is asked, the typical
mistakes and their hints, and :func:`grade_working_weights`, :func:`grade_working_response`
(see :mod:`glmlearn.exercises.grading`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._arrays import Array
from .._irls import IRLSState, working_response, working_weights
from ..errors import GLMInputError
from ..results import GLMResult
from ._common import _V, _as_state, _dmu, _fam, _pw
from ._feedback import Exercise, Feedback, Mistake, frozen

__all__ = [
    "build_working_response",
    "build_working_weights",
    "grade_working_response",
    "grade_working_weights",
]


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
