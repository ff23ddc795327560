"""The catalogue of bad input and numerical trouble: what glmlearn does with each.

Read it as documentation. Every row is a problem a learner can meet, the call that meets
it, and what glmlearn answers:

* **bad input** is refused at the door with an exception (``GLMInputError`` or
  ``GLMTypeError``) whose message names the argument and says what is wrong and what to
  do; the words listed must all be in it;
* **numerical trouble** lets the fit finish: a warning of glmlearn's own category (each a
  subclass of :class:`glmlearn.GLMWarning`), whose message holds the words listed, and the
  flag it sets in ``result.flags``; no numpy warning escapes.

Where R's ``glm()`` behaves the same way, ``tests/test_r_live.py`` checks it against R
itself (the prep-course dummy, the site with zero counts, the all-zero and all-one
responses, the halving cases, the clotting fit where R's rule fails); the rows here pin
glmlearn's words and flags.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

import glmlearn
from glmlearn import (
    BoundaryWarning,
    ConvergenceWarning,
    GLMInputError,
    GLMTypeError,
    GLMWarning,
    IllConditionedWarning,
    InfiniteEstimateWarning,
    InterceptNotice,
    NonIntegerWarning,
    RankDeficiencyWarning,
    ResidualDFWarning,
    SeparationWarning,
    StepHalvingWarning,
    datasets,
)


@dataclass(frozen=True)
class Refused:
    """The call raises ``error`` whose message contains every one of ``words``."""

    error: type[Exception]
    words: tuple[str, ...]


@dataclass(frozen=True)
class Warned:
    """The fit finishes, warns ``category`` once with every one of ``words``, sets
    ``flag``."""

    category: type[GLMWarning]
    words: tuple[str, ...]
    flag: str


# --- the data the rows use ---------------------------------------------------------------

def _line(n: int = 10) -> np.ndarray:
    return np.column_stack([np.ones(n), np.arange(1.0, n + 1)])


def _lesson() -> tuple[np.ndarray, np.ndarray]:
    """Lesson 1's 200 students (NumPy's legacy generator, seed 42): X = [1, hours], passed."""
    state = np.random.get_state()  # noqa: NPY002
    try:
        np.random.seed(42)  # noqa: NPY002
        hours = np.random.uniform(1, 10, 200)  # noqa: NPY002
        passed = np.random.binomial(1, 1 / (1 + np.exp(3 - 0.8 * hours)))  # noqa: NPY002
    finally:
        np.random.set_state(state)  # noqa: NPY002
    return np.column_stack([np.ones(200), hours]), passed.astype(float)


def _prep_course() -> dict[str, Any]:
    X, passed = _lesson()
    prep = np.zeros(200)
    prep[np.flatnonzero(passed)[:10]] = 1.0
    return {"X": np.column_stack([X, prep]), "y": passed, "family": "binomial",
            "column_names": ["(Intercept)", "hours", "prep"]}


def _zero_site() -> dict[str, Any]:
    rng = np.random.default_rng(1)
    site = np.repeat([0, 1, 2], 8)
    counts = np.r_[rng.poisson(4, 8), rng.poisson(2, 8), np.zeros(8)]
    X = np.column_stack([np.ones(24), site == 1, site == 2]).astype(float)
    return {"X": X, "y": counts, "family": "poisson",
            "column_names": ["(Intercept)", "site B", "site C"]}


def _clotting() -> tuple[np.ndarray, np.ndarray]:
    ds = datasets.load("clotting")
    return (np.column_stack([np.ones(9), np.log(np.asarray(ds["u"], dtype=float))]),
            np.asarray(ds["lot1"], dtype=float))


def _additive() -> dict[str, Any]:
    counts = np.array([0, 1, 0, 2, 3, 1, 4, 6, 5, 9], dtype=float)
    return {"X": _line(), "y": counts, "family": glmlearn.poisson("identity"),
            "start": [1.0, 0.1]}


def _steep_logistic() -> dict[str, Any]:
    rng = np.random.default_rng(1)
    rng.uniform(0, 1, 40)
    x = np.linspace(-3, 3, 30)
    y = (rng.uniform(size=30) < 1 / (1 + np.exp(-x))).astype(float)
    return {"X": np.column_stack([np.ones(30), x]), "y": y, "family": "binomial",
            "start": [5.0, -5.0]}


def _near_collinear() -> dict[str, Any]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=50)
    z = x + 1e-6 * rng.normal(size=50)
    return {"X": np.column_stack([np.ones(50), x, z]), "y": rng.poisson(np.exp(0.3 + 0.2 * x)),
            "family": "poisson", "column_names": ["(Intercept)", "x", "z"]}


def _beetles_probit() -> dict[str, Any]:
    ds = datasets.load("beetles")
    n = np.asarray(ds["n"], dtype=float)
    X = np.column_stack([np.ones(8), np.asarray(ds["dose"], dtype=float)])
    return {"X": X, "y": np.asarray(ds["killed"], dtype=float) / n, "weights": n,
            "family": glmlearn.binomial("probit")}


def _call(**kw: Any) -> Callable[[], dict[str, Any]]:
    return lambda: dict(kw)


def _with(make: Callable[[], dict[str, Any]], **extra: Any) -> Callable[[], dict[str, Any]]:
    return lambda: {**make(), **extra}


X10 = _line()
Y01 = np.array([0, 0, 1, 0, 1, 0, 1, 1, 0, 1], dtype=float)

#: name -> (the arguments of glmlearn.fit, what glmlearn answers)
CATALOGUE: dict[str, tuple[Callable[[], dict[str, Any]], Refused | Warned]] = {
    # --- bad input: refused at the door ---------------------------------------------------
    "y outside the binomial range": (
        _call(X=X10, y=np.r_[Y01[:9], 2.0], family="binomial"),
        Refused(GLMInputError, ("y: value 2", "index 9", "binomial"))),
    "negative Poisson count": (
        _call(X=X10, y=np.r_[np.ones(9), -1.0], family="poisson"),
        Refused(GLMInputError, ("y: value -1", "index 9", "poisson"))),
    "negative weight": (
        _call(X=X10, y=Y01, family="binomial", weights=np.r_[np.ones(9), -2.0]),
        Refused(GLMInputError, ("weights: negative weight -2", "index 9", ">= 0"))),
    "y shorter than X": (
        _call(X=X10, y=Y01[:8], family="binomial"),
        Refused(GLMInputError, ("y: length 8", "10 rows of X"))),
    "NaN in X": (
        _call(X=np.where(np.arange(20).reshape(10, 2) == 7, np.nan, X10), y=Y01,
              family="binomial"),
        Refused(GLMInputError, ("X: non-finite value nan", "index (3, 1)"))),
    "a formula with an array where its data frame goes": (
        _call(X="y ~ x", y=Y01, family="binomial"),
        Refused(GLMInputError, ("data: expected a pandas DataFrame", "for a formula"))),
    "a family that is neither a name nor a Family": (
        _call(X=X10, y=Y01, family=3),
        Refused(GLMTypeError, ("family: expected a family name or a glmlearn Family",))),
    "start of the wrong length": (
        _call(X=X10, y=Y01, family="binomial", start=[0.0, 0.0, 0.0]),
        Refused(GLMInputError, ("start: length 3", "2 columns of X"))),
    "invalid default start (Poisson identity)": (
        _with(_additive, start=None),
        Refused(GLMInputError, ("start: no valid set of coefficients", "pass start="))),
    "mustart outside the family's range": (
        _call(X=X10, y=Y01, family="binomial", mustart=np.r_[np.full(9, 0.5), 1.5]),
        Refused(GLMInputError, ("mustart: mean 1.5", "index 9", "binomial"))),
    "etastart of the wrong length": (
        _call(X=X10, y=Y01, family="binomial", etastart=np.zeros(3)),
        Refused(GLMInputError, ("etastart: length 3", "10 rows of X"))),
    "unknown step-halving rule": (
        _call(X=X10, y=Y01, family="binomial", step_halving="glm2"),
        Refused(GLMInputError, ("step_halving:", "'R'", "'deviance'", "'glm2'"))),
    "max_iter of zero": (
        _call(X=X10, y=Y01, family="binomial", max_iter=0),
        Refused(GLMInputError, ("max_iter: must be a positive integer", "0"))),
    "aliased column with singular_ok=False": (
        _call(X=np.column_stack([X10, 2 * X10[:, 1]]), y=Y01, family="binomial",
              column_names=["(Intercept)", "x", "2x"], singular_ok=False),
        Refused(GLMInputError, ("singular fit encountered", "2x", "singular_ok=True"))),

    # --- trouble found in the data --------------------------------------------------------
    "no intercept column": (
        _call(X=X10[:, 1:], y=Y01, family="binomial"),
        Warned(InterceptNotice, ("intercept",), "no_intercept")),
    "non-integer binomial successes": (
        _call(X=X10, y=np.full(10, 0.3), family="binomial", weights=np.full(10, 5.0)),
        Warned(NonIntegerWarning, ("non-integer #successes", "weights * y = 1.5"),
               "non_integer")),
    "non-integer Poisson counts": (
        _call(X=X10, y=np.arange(10) + 0.5, family="poisson"),
        Warned(NonIntegerWarning, ("non-integer x = 0.500000", "index 0", "AIC"),
               "non_integer")),

    # --- estimates that run off to infinity -----------------------------------------------
    "complete separation by a threshold": (
        _call(X=X10, y=(np.arange(10) > 4.5).astype(float), family="binomial"),
        Warned(SeparationWarning, ("complete separation", "perfectly", "x0", "x1",
                                   "does not exist"), "separation")),
    "quasi-complete separation, a tie on the border": (
        _call(X=np.column_stack([np.ones(6), [1.0, 2, 3, 3, 4, 5]]), y=[0, 0, 1, 0, 1, 1],
              family="binomial"),
        Warned(SeparationWarning, ("quasi-complete separation", "ties on the border"),
               "separation")),
    "a dummy whose group all succeeded": (
        _prep_course,
        Warned(SeparationWarning, ("quasi-complete separation", "every row with prep = 1 has "
                                   "y = 1", "+infinity"), "separation")),
    "every observation a success": (
        _call(X=X10, y=np.ones(10), family="binomial"),
        Warned(SeparationWarning, ("every observation is a success",), "separation")),
    "every observation a failure": (
        _call(X=X10, y=np.zeros(10), family="binomial"),
        Warned(SeparationWarning, ("every observation is a failure",), "separation")),
    "a Poisson group with zero counts only": (
        _zero_site,
        Warned(InfiniteEstimateWarning, ("every row with site C = 1 has a count of 0",
                                         "-infinity"), "infinite_estimate")),
    "every count zero": (
        _call(X=X10, y=np.zeros(10), family="poisson"),
        Warned(InfiniteEstimateWarning, ("every count is 0",), "infinite_estimate")),

    # --- the design -----------------------------------------------------------------------
    "an aliased column": (
        _call(X=np.column_stack([X10, 2 * X10[:, 1]]), y=Y01, family="binomial",
              column_names=["(Intercept)", "x", "2x"]),
        Warned(RankDeficiencyWarning, ("rank 2 < 3 columns", "2x aliased", "NaN"),
               "rank_deficient")),
    "two nearly collinear columns": (
        _near_collinear,
        Warned(IllConditionedWarning, ("not rank deficient", "condition number",
                                       "x, z", "reliable digits"), "ill_conditioned")),
    "no residual degrees of freedom": (
        _call(X=_line(2), y=[1.0, 3.0], family="gaussian"),
        Warned(ResidualDFWarning, ("no residual degrees of freedom",), "no_residual_df")),

    # --- the iterations -------------------------------------------------------------------
    "iteration limit reached": (
        _call(X=X10, y=Y01 + np.arange(10), family="poisson", max_iter=2),
        Warned(ConvergenceWarning, ("did not converge in 2 iterations", "not the MLE"),
               "not_converged")),
    "a tolerance below rounding": (
        _with(_beetles_probit, tol=1e-16),
        Warned(ConvergenceWarning, ("rounding level", "the MLE to rounding", "tol=1e-12"),
               "not_converged")),
    "steps out of range, halved (R's rule)": (
        _additive,
        Warned(StepHalvingWarning, ("'step size truncated: out of bounds'",
                                    "'glm.fit: algorithm stopped at boundary value'"),
               "step_halving")),
    "a rising deviance, halved (glm2's rule)": (
        lambda: {"X": _clotting()[0], "y": _clotting()[1], "family": glmlearn.gaussian("log"),
                 "start": [0.0, 0.0], "step_halving": "deviance"},
        Warned(StepHalvingWarning, ("'step size truncated due to increasing deviance'",),
               "step_halving")),
    "a rising deviance, not halved (R's rule): no convergence": (
        lambda: {"X": _clotting()[0], "y": _clotting()[1], "family": glmlearn.gaussian("log"),
                 "start": [0.0, 0.0]},
        Warned(ConvergenceWarning, ("did not converge in 25 iterations",), "not_converged")),
    "halving that cannot find a better point (glm2's rule)": (
        _with(_steep_logistic, step_halving="deviance"),
        Warned(StepHalvingWarning, ("30 step-halvings could not fix it",), "step_halving")),
    "converged where the means are clamped (R's rule)": (
        _steep_logistic,
        Warned(ConvergenceWarning, ("only because", "clamped", "not the MLE",
                                    "step_halving='deviance'"), "false_convergence")),
    "fitted probabilities at 0 or 1": (
        _call(X=X10, y=(np.arange(10) > 4.5).astype(float), family="binomial"),
        Warned(BoundaryWarning, ("fitted probabilities numerically 0 or 1 occurred",
                                 "with certainty", "infinite estimates above"), "boundary")),
    "a Poisson rate at 0 under the identity link": (
        lambda: {"X": np.column_stack([np.ones(10), np.r_[np.zeros(5), np.ones(5)]]),
                 "y": np.r_[np.zeros(5), [3.0, 4.0, 2.0, 5.0, 3.0]],
                 "family": glmlearn.poisson("identity"), "start": [1.0, 2.0]},
        Warned(BoundaryWarning, ("fitted rates numerically 0 occurred", "MLE exists"),
               "boundary")),
}


@pytest.mark.parametrize("name", CATALOGUE)
def test_catalogue(name: str) -> None:
    make, answer = CATALOGUE[name]
    kwargs = make()
    if isinstance(answer, Refused):
        with pytest.raises(answer.error) as info:
            glmlearn.fit(**kwargs)
        for word in answer.words:
            assert word in str(info.value), (word, str(info.value))
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("error", RuntimeWarning)  # no numpy warning may leak
        res = glmlearn.fit(**kwargs)
    ours = [w for w in caught if issubclass(w.category, answer.category)
            and all(word in str(w.message) for word in answer.words)]
    assert len(ours) == 1, (answer, [f"{w.category.__name__}: {w.message}" for w in caught])
    assert answer.flag in res.flags
    assert all(issubclass(w.category, GLMWarning) for w in caught)
    # every warning is a trouble on the result, once
    assert [str(w.message) for w in caught] == list(res.warnings)


def test_a_clean_fit_is_in_no_row() -> None:
    X, passed = _lesson()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = glmlearn.fit(X, passed, "binomial")
    assert res.flags == frozenset() and res.separation is None
