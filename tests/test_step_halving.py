"""The two step-halving rules: R's (the default) and glm2's (``step_halving="deviance"``).

R's ``glm.fit`` halves a step only while the deviance is not finite or eta/mu leaves its
valid range; the R package glm2 (Marschner 2011, The R Journal 3(2)) also halves while
the deviance rises. These tests pin what each rule does on problems whose behaviour is
known from the rule itself (the comparisons with R's own numbers are in
``tests/test_r_live.py``), and the explorer's menu that switches between them.
"""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import itertools

import glmlearn
from glmlearn import GLMInputError, GLMWarning
from glmlearn._irls import RISE_ROUNDING, _rose


def _logistic_steep():
    """Logistic data (seed 7) and a steep start whose full step raises the deviance."""
    rng = np.random.default_rng(7)
    x = np.linspace(-3, 3, 30)
    X = np.column_stack([np.ones(30), x])
    y = (rng.uniform(size=30) < 1 / (1 + np.exp(-x))).astype(float)
    return X, y, [0.0, 10.0]


def _quiet(*args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GLMWarning)
        return glmlearn.fit(*args, **kw)


def test_r_rule_never_halves_for_a_rising_deviance():
    X, y, start = _logistic_steep()
    res = _quiet(X, y, "binomial", start=start)
    assert all(s.halving_reason != "the deviance increased" for s in res.trace)
    devs = [s.deviance for s in res.trace]
    assert any(b > a for a, b in itertools.pairwise(devs))  # it did rise


def test_deviance_rule_halves_until_the_deviance_falls():
    X, y, start = _logistic_steep()
    res = _quiet(X, y, "binomial", start=start, step_halving="deviance")
    assert any(s.halving_reason == "the deviance increased" for s in res.trace)
    devs = [s.deviance for s in res.trace]
    assert all(b <= a * (1 + 1e-8) for a, b in itertools.pairwise(devs))
    np.testing.assert_allclose(res.coef, _quiet(X, y, "binomial").coef, rtol=1e-8)
    with pytest.warns(glmlearn.StepHalvingWarning,
                      match="'step size truncated due to increasing deviance'"):
        glmlearn.fit(X, y, "binomial", start=start, step_halving="deviance")


def test_the_rules_agree_where_no_step_raises_the_deviance():
    rng = np.random.default_rng(3)
    x = rng.normal(size=80)
    X = np.column_stack([np.ones(80), x])
    y = rng.poisson(np.exp(0.5 + 0.4 * x)).astype(float)
    a, b = glmlearn.fit(X, y, "poisson"), glmlearn.fit(X, y, "poisson", step_halving="deviance")
    assert a.n_iter == b.n_iter
    np.testing.assert_array_equal(a.coef, b.coef)


@pytest.mark.parametrize(("old", "new", "tol", "rose"), [
    (100.0, 100.0 + 2e-6, 1e-8, True),          # a real rise, beyond tol
    (100.0, 100.0 * (1 + 4e-16), 1e-16, False),  # two ulps: rounding, whatever tol says
    (100.0, 100.0 * (1 + 1e-9), 1e-8, False),    # below tol (glm2's own comparison)
    (100.0, 99.0, 1e-8, False),                  # a fall
])
def test_a_rise_must_beat_tol_and_rounding(old, new, tol, rose):
    assert _rose(old, new, tol) is rose
    assert 1e-14 < RISE_ROUNDING < 1e-11


def test_a_tiny_tolerance_neither_halves_nor_denies_the_mle():
    """At tol=1e-16 the deviance moves by a few ulps near the MLE. glm2's rule must not
    halve for that, and a fit that stops for the iteration limit there says the estimates
    are the MLE to rounding."""
    rng = np.random.default_rng(11)
    x = rng.uniform(0, 3, 200)
    X = np.column_stack([np.ones(200), x])
    y = rng.binomial(1, 1 / (1 + np.exp(1 - x))).astype(float)
    ref = glmlearn.fit(X, y, "binomial")
    for rule in ("R", "deviance"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = glmlearn.fit(X, y, "binomial", tol=1e-16, step_halving=rule)
        assert not any("not the MLE" in str(w.message) for w in caught), rule
        assert all(s.step_halvings == 0 for s in res.trace), rule
        np.testing.assert_allclose(res.coef, ref.coef, rtol=1e-7)


@pytest.mark.parametrize("bad", ["r", "glm2", None, 1])
def test_an_unknown_rule_is_refused_by_name(bad):
    X, y, _ = _logistic_steep()
    with pytest.raises(GLMInputError, match=r"^step_halving: must be 'R' .* or 'deviance'"):
        glmlearn.fit(X, y, "binomial", step_halving=bad)
    with pytest.raises(GLMInputError, match=r"^step_halving:"):
        list(glmlearn.irls(X, y, "binomial", step_halving=bad))


def test_explorer_halving_menu_switches_the_rule():
    """Clotting times, gaussian family with a log link, from beta = 0: under R's rule the
    steps overshoot and IRLS does not converge in 25 iterations; glm2's rule halves the
    steps that raise the deviance and converges. Each rule's fit is the one fit() gives,
    and switching back shows the fit already made."""
    from glmlearn.widgets import irls_explorer

    e = irls_explorer("clotting", "gaussian", "log", start="zero", backend="png",
                      step_halving="deviance")
    assert e.halving_menu.value == "deviance"
    assert "glmlearn-halving" in e.halving_menu._dom_classes
    data = e._problem("clotting")
    r_rule = _quiet(data.X, data.y, glmlearn.gaussian("log"), start=data.start_beta("zero"))
    glm2 = _quiet(data.X, data.y, glmlearn.gaussian("log"), start=data.start_beta("zero"),
                  step_halving="deviance")
    assert not r_rule.converged and glm2.converged
    shown_glm2 = e.result
    assert shown_glm2.converged and "step_halving" in shown_glm2.flags
    np.testing.assert_array_equal(shown_glm2.coef, glm2.coef)
    e.halving_menu.value = "R"
    assert e.errors == [] and not e.result.converged
    assert len(e.result.trace) == len(r_rule.trace) == e.slider.max + 1
    np.testing.assert_array_equal(e.result.coef, r_rule.coef)
    e.halving_menu.value = "deviance"  # the fit already made is shown again
    assert e.result is shown_glm2
