"""Trouble as data: the IRLS loop never warns, ``diagnose`` reads the finished trace once,
``fit`` warns once per trouble and ``result.troubles`` carries kind, flag and message.

Each case is built so that the trouble is known independently of glmlearn: a step that
must be halved (a start far off for a gamma inverse link makes the full step leave
mu > 0), a stall (30 failed halvings from a steep logistic start, under glm2's rule,
``step_halving="deviance"``), an iteration limit,
perfectly separated classes, an aliased column and a saturated gaussian fit.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import glmlearn
from glmlearn import (
    BoundaryWarning,
    ConvergenceWarning,
    GLMWarning,
    RankDeficiencyWarning,
    ResidualDFWarning,
    SeparationWarning,
    StepHalvingWarning,
    Trouble,
)
from glmlearn._diagnostics import diagnose


def _gamma_far_start():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 1, 40)
    y = rng.gamma(2.0, 1 / (0.2 + 3 * x) / 2)
    return (np.column_stack([np.ones(40), x]), y, "gamma"), {"start": [5.0, 5.0]}


def _stall():
    rng = np.random.default_rng(1)
    rng.uniform(0, 1, 40)
    x = np.linspace(-3, 3, 30)
    y = (rng.uniform(size=30) < 1 / (1 + np.exp(-x))).astype(float)
    # glm2's rule: every halving of the step from the start still raises the deviance
    return ((np.column_stack([np.ones(30), x]), y, "binomial"),
            {"start": [5.0, -5.0], "step_halving": "deviance"})


def _max_iter():
    rng = np.random.default_rng(0)
    x = rng.normal(size=50)
    y = rng.poisson(np.exp(1 + x))
    return (np.column_stack([np.ones(50), x]), y, "poisson"), {"max_iter": 2}


def _separated():
    x = np.arange(10.0)
    return (np.column_stack([np.ones(10), x]), (x > 4.5).astype(float), "binomial"), {}


def _aliased():
    rng = np.random.default_rng(3)
    x = rng.normal(size=30)
    X = np.column_stack([np.ones(30), x, 2 * x])
    return (X, rng.poisson(np.exp(0.5 + 0.3 * x)), "poisson"), {"column_names": ["1", "x", "2x"]}


def _saturated():
    return (np.column_stack([np.ones(2), [0.0, 1.0]]), [1.0, 3.0], "gaussian"), {}


# case -> the (kind, flag) pairs expected, in order
CASES = {
    "halving": (_gamma_far_start, [(StepHalvingWarning, "step_halving")]),
    # the steep start clamps fitted probabilities at 0 or 1 before the step stalls
    "stall": (_stall, [(StepHalvingWarning, "step_halving"),
                       (ConvergenceWarning, "not_converged"), (BoundaryWarning, "boundary")]),
    "max_iter": (_max_iter, [(ConvergenceWarning, "not_converged")]),
    # R 4.2.2 on the same data: "algorithm did not converge" (25 iterations), then "fitted
    # probabilities numerically 0 or 1 occurred"
    "separated": (_separated, [(ConvergenceWarning, "not_converged"),
                               (SeparationWarning, "separation"), (BoundaryWarning, "boundary")]),
    "aliased": (_aliased, [(RankDeficiencyWarning, "rank_deficient")]),
    "saturated": (_saturated, [(ResidualDFWarning, "no_residual_df")]),
}


@pytest.mark.parametrize("case", CASES)
def test_the_irls_generator_never_warns(case):
    make, _ = CASES[case]
    args, kw = make()
    kw.pop("column_names", None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning at all fails the test
        states = list(glmlearn.irls(*args, **kw))
    assert states[-1].beta is not None


@pytest.mark.parametrize("case", CASES)
def test_fit_warns_once_per_trouble_and_keeps_them(case):
    make, expected = CASES[case]
    args, kw = make()
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        res = glmlearn.fit(*args, **kw)
    assert [(t.kind, t.flag) for t in res.troubles] == expected
    # each trouble warned exactly once, with its own category and words, in order
    assert [(w.category, str(w.message)) for w in record] == [(t.kind, t.message)
                                                              for t in res.troubles]
    assert all(isinstance(t, Trouble) and issubclass(t.kind, GLMWarning) for t in res.troubles)
    assert res.flags == frozenset(flag for _, flag in expected)
    assert res.warnings == tuple(t.message for t in res.troubles)


def test_a_clean_fit_has_no_troubles():
    x = np.arange(10.0)
    y = np.array([0, 0, 1, 0, 1, 0, 1, 1, 0, 1], dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = glmlearn.fit(np.column_stack([np.ones(10), x]), y, "binomial")
    assert res.troubles == () and res.flags == frozenset() and res.warnings == ()


def test_diagnose_reads_only_the_trace():
    # the same trace diagnosed twice gives the same troubles, and nothing is warned
    args, kw = _stall()
    states = list(glmlearn.irls(*args, **kw))
    problem = states[-1].problem
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        first = diagnose(problem, states, max_iter=25)
        second = diagnose(problem, states, max_iter=25)
    assert first == second
    stall = first.troubles[0]
    k = states[-1].iteration
    assert stall.message.startswith(f"IRLS iteration {k}: ")
    assert f"stopped at the coefficients of iteration {k - 1} (not converged)" in stall.message


def test_halving_message_names_the_iterations_and_reasons():
    args, kw = _gamma_far_start()
    with pytest.warns(StepHalvingWarning) as record:
        res = glmlearn.fit(*args, **kw)
    halved = [s for s in res.trace if s.step_halvings]
    assert len(record) == 1 and halved
    for s in halved:
        assert f"{s.iteration} ({s.step_halvings}x: {s.halving_reason})" in str(record[0].message)


def test_a_long_run_of_halvings_is_said_in_one_line():
    # lesson 7's additive Poisson model (identity link) from start (1, 0.1): every step
    # until convergence leaves mu > 0 and is halved once
    x = np.arange(1.0, 11.0)
    counts = np.array([0, 1, 0, 2, 3, 1, 4, 6, 5, 9])
    states = list(glmlearn.irls(np.column_stack([np.ones(10), x]), counts,
                                glmlearn.poisson("identity"), start=[1.0, 0.1]))
    halved = [s for s in states if s.step_halvings and not s.stalled]
    assert len(halved) > 3
    troubles = diagnose(states[-1].problem, states, max_iter=25).troubles
    message = next(t.message for t in troubles if t.kind is StepHalvingWarning)
    total = sum(s.step_halvings for s in halved)
    assert message.startswith(f"IRLS halved its step at iterations {halved[0].iteration} to "
                              f"{halved[-1].iteration} ({len(halved)} iterations, {total} "
                              "halvings: eta or mu left the valid range)")


def test_trouble_prints_with_its_kind():
    t = Trouble(ConvergenceWarning, "not_converged", "IRLS did not converge")
    assert str(t) == "ConvergenceWarning: IRLS did not converge"
    with pytest.warns(ConvergenceWarning, match="^IRLS did not converge$"):
        t.warn()
