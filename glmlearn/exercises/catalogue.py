"""The exercises on real data: one factory per exercise, each at one IRLS state of a
classic fit; :data:`EXERCISES`, the registry of the factories by exercise name; and
:data:`STATES`, the classic fits whose states the graders are tried on, chosen so that
between them there are prior weights, offsets, zero counts and non-canonical links, and
one state (synthetic) with prior weights, an offset and a non-canonical link together."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType

import numpy as np

from .._irls import IRLSState, irls
from ..datasets import load
from ..errors import GLMInputError
from ..family import binomial, poisson
from ._feedback import Exercise
from ._own_irls import OwnIRLSExercise, exercise_own_irls
from .grading import (
    build_deviance,
    build_irls_step,
    build_score,
    build_working_response,
    build_working_weights,
)

__all__ = [
    "EXERCISES",
    "STATES",
    "exercise_irls_step",
    "exercise_own_irls",
    "exercise_poisson_deviance",
    "exercise_score",
    "exercise_working_response",
    "exercise_working_weights",
]


def _state(states: Iterator[IRLSState], iteration: int) -> IRLSState:
    if isinstance(iteration, bool) or not isinstance(iteration, int | np.integer) or iteration < 0:
        raise GLMInputError(f"iteration: must be a non-negative integer, got {iteration!r}")
    last = -1
    for s in states:
        if s.iteration == iteration:
            return s
        last = s.iteration
    raise GLMInputError(f"iteration: IRLS stops at iteration {last} on these data, "
                        f"before iteration {iteration}")


# The designs are the datasets' classic models (glmlearn.datasets: Dataset.formula), built
# by the formula builder as every design in glmlearn is.

def _beetles_probit(iteration: int) -> IRLSState:
    ds = load("beetles")
    return _state(irls(ds.formula, data=ds.model_frame(), family=binomial("probit")), iteration)


def _challenger_probit(iteration: int) -> IRLSState:
    ds = load("challenger")
    return _state(irls(ds.formula, data=ds.model_frame(), family=binomial("probit")), iteration)


def _doctors(iteration: int) -> IRLSState:
    ds = load("doctors")  # smokes + agecat + I(agecat^2) + smokes:agecat, offset log(py)
    return _state(irls(ds.formula, data=ds.model_frame(), family=poisson()), iteration)


def _ships(iteration: int) -> IRLSState:
    ds = load("ships")  # type + year + period (factors), offset log(service), service > 0
    return _state(irls(ds.formula, data=ds.model_frame(), family=poisson()), iteration)


def _ships_rates(iteration: int) -> IRLSState:
    # The same model as rates: y = incidents per month of service with the months as prior
    # weights (R's glm(incidents/service ~ ..., poisson, weights = service)). It has the
    # offset model's MLE, and prior weights together with zero counts.
    ds = load("ships")
    return _state(irls("I(incidents / service) ~ type + year + period", data=ds.model_frame(),
                       family=poisson(), weights="service"), iteration)


def _exposure_data() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A small synthetic survival-by-exposure problem, the same on every call.

    Twelve batches of insects: four doses (0.5, 1, 1.5, 2), each with exposure times of 1,
    2 and 4 days; batch sizes drawn from 10 to 40 with ``np.random.default_rng(1935)``. An
    insect dies at a constant hazard λ = exp(β₀ + β₁·dose) (true β = (−2.5, 1.2)), so the
    chance that it is dead after t days is p = 1 − exp(−λ t), and the number dead is drawn
    as Binomial(batch size, p) with the same generator. Returns (dose, days, batch sizes,
    numbers dead).
    """
    rng = np.random.default_rng(1935)
    dose = np.repeat([0.5, 1.0, 1.5, 2.0], 3)
    days = np.tile([1.0, 2.0, 4.0], 4)
    trials = rng.integers(10, 41, dose.size)
    p = 1 - np.exp(-np.exp(-2.5 + 1.2 * dose) * days)
    dead = rng.binomial(trials, p)
    return dose, days, trials.astype(float), dead.astype(float)


def _exposure_cloglog(iteration: int) -> IRLSState:
    # cloglog(p) = log(-log(1 - p)) = log(lambda t) = beta_0 + beta_1 dose + log(t): the
    # binomial model with the cloglog link and the offset log(days), the proportions dead
    # weighted by the batch sizes. Prior weights, an offset and a non-canonical link at once.
    dose, days, trials, dead = _exposure_data()
    data = {"dose": dose, "days": days, "dead": dead, "alive": trials - dead}
    return _state(irls("cbind(dead, alive) ~ dose + offset(log(days))", data=data,
                       family=binomial("cloglog")), iteration)


def exercise_working_weights(iteration: int = 1) -> Exercise:
    """Working weights for the beetles (Bliss 1935) with the probit link, at ``iteration``."""
    return build_working_weights(_beetles_probit(iteration))


def exercise_working_response(iteration: int = 1) -> Exercise:
    """Working response for the British doctors' Poisson rate model (offset log person-years)."""
    return build_working_response(_doctors(iteration))


def exercise_irls_step(iteration: int = 1) -> Exercise:
    """One IRLS step (a weighted regression) for the British doctors' Poisson rate model."""
    return build_irls_step(_doctors(iteration))


def exercise_score(iteration: int = 1) -> Exercise:
    """The score of the beetles' probit model: a non-canonical link."""
    return build_score(_beetles_probit(iteration))


def exercise_poisson_deviance(iteration: int = 1) -> Exercise:
    """The Poisson deviance of the ships model (some counts are 0)."""
    return build_deviance(_ships(iteration))


#: The exercise factories by :attr:`Exercise.name`, in the order of the lesson. The
#: one-state exercises take ``iteration``; ``"own IRLS"`` (the whole loop) takes the
#: learner's ``student_id``.
EXERCISES: Mapping[str, Callable[..., Exercise | OwnIRLSExercise]] = MappingProxyType({
    "working weights": exercise_working_weights,
    "working response": exercise_working_response,
    "IRLS step": exercise_irls_step,
    "score": exercise_score,
    "deviance": exercise_poisson_deviance,
    "own IRLS": exercise_own_irls,
})


#: Classic fits to try the graders on, by name; each maps ``iteration`` to that IRLS state.
#:
#: * ``"beetles probit"`` -- prior weights (beetles per dose), a non-canonical link.
#: * ``"challenger probit"`` -- O-ring damage, 0/1 outcomes: unit prior weights, probit.
#: * ``"doctors"`` -- Poisson with the offset log(person-years).
#: * ``"ships"`` -- Poisson with the offset log(months of service); some counts are 0.
#: * ``"ships rates"`` -- the same model as rates with the months as prior weights.
#: * ``"exposure cloglog"`` -- synthetic insects dying at a constant hazard (data drawn
#:   with ``np.random.default_rng(1935)``, see ``_exposure_data``): binomial proportions
#:   dead with the batch sizes as prior weights, the cloglog link and the offset
#:   log(days of exposure). The one state with prior weights, an offset and a
#:   non-canonical link at once.
STATES: Mapping[str, Callable[[int], IRLSState]] = MappingProxyType({
    "beetles probit": _beetles_probit,
    "challenger probit": _challenger_probit,
    "doctors": _doctors,
    "ships": _ships,
    "ships rates": _ships_rates,
    "exposure cloglog": _exposure_cloglog,
})
