"""Every state in words (glmlearn.narrate): the sentences say what the numbers say."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import glmlearn
from glmlearn.narrate import describe_state, describe_trace


@pytest.fixture(scope="module")
def pass_fail():
    # the lessons' exam data: NumPy's legacy generator with seed 42
    rng = np.random.RandomState(42)
    hours = rng.uniform(1, 10, 200)
    passed = rng.binomial(1, 1 / (1 + np.exp(-(-3 + 0.8 * hours))))
    return np.column_stack([np.ones(200), hours]), passed


def test_state_0_from_r_starting_means_is_a_guess_not_a_model(pass_fail):
    X, y = pass_fail
    s0 = next(iter(glmlearn.irls(X, y, "binomial")))
    text = describe_state(s0)
    assert "starting guess" in text and "not a fitted model" in text
    assert "not comparable" in text and "115.1" in text  # deviance at mu(0), printed


def test_state_0_from_coefficients_says_so(pass_fail):
    X, y = pass_fail
    s0 = next(iter(glmlearn.irls(X, y, "binomial", start=[0.0, 0.0])))
    text = describe_state(s0)
    assert text.startswith("Iteration 0 starts from the coefficients β⁽⁰⁾ = (0, 0)")
    assert "277.3" in text and "guess" not in text


def test_every_sentence_matches_the_numbers(pass_fail):
    X, y = pass_fail
    res = glmlearn.fit(X, y, "binomial", start=[0.0, 0.0], column_names=["(Intercept)", "hours"])
    texts = describe_trace(res.trace)
    assert len(texts) == len(res.trace)
    for prev, cur, text in zip(res.trace, res.trace[1:], texts[1:], strict=False):
        assert text.startswith(f"Iteration {cur.iteration}: the deviance fell from ")
        a, b = map(float, re.search(r"fell from (\S+) to (\S+?) \(", text).groups())
        assert a == pytest.approx(prev.deviance, rel=1e-3) and b == pytest.approx(cur.deviance, rel=1e-3)
        change = np.abs(cur.beta - prev.beta)
        name = ["(Intercept)", "hours"][int(np.argmax(change))]
        assert f"in {name}" in text
    assert texts[-1].endswith("IRLS has converged.")
    assert not any("converged" in t for t in texts[:-1])
    assert not any("nan" in t.lower() or "np.float64" in t for t in texts)


def test_halving_near_zero_weights_and_stall_are_said():
    # a gamma inverse-link fit from a start far off: the full step is halved
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 1, 40)
    y = rng.gamma(2.0, 1 / (0.2 + 3 * x) / 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", glmlearn.GLMWarning)
        res = glmlearn.fit(np.column_stack([np.ones(40), x]), y, "gamma", start=[5.0, 5.0])
    halved = next(s for s in res.trace if s.step_halvings)
    text = describe_state(halved, res.trace[halved.iteration - 1])
    assert "The step was halved" in text and halved.halving_reason in text
    # separated classes: most working weights end near 0
    x = np.arange(10.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", glmlearn.GLMWarning)
        sep = glmlearn.fit(np.column_stack([np.ones(10), x]), (x > 4.5).astype(float), "binomial")
    last = describe_state(sep.trace[-1], sep.trace[-2])
    w = sep.trace[-1].w
    n_small = int(np.sum(w < 1e-3 * w.max()))
    assert n_small > 0 and f"{n_small} of 10 working weights are near 0" in last
