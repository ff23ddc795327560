"""The deviance exercise: what is asked, the typical mistakes and their hints, and
:func:`grade_deviance` (see :mod:`glmlearn.exercises.grading`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._arrays import Array
from .._irls import IRLSState
from ..results import GLMResult
from ._common import _as_state, _fam, _is_poisson, _pw
from ._feedback import Exercise, Feedback, Mistake, frozen

__all__ = ["build_deviance", "grade_deviance"]


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
