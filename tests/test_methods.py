"""Fisher scoring, Newton-Raphson and gradient ascent: one loop, one kind of state.

The reference for the maximum-likelihood estimates is R's glm() run by the test itself,
converged tightly (``tests/r/methods_mle.R``)."""

from __future__ import annotations

import csv
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import glmlearn
from glmlearn.datasets import load
from glmlearn.theorems import (
    check_newton_raphson,
    check_quadratic_curvature,
    check_quadratic_minimum,
    check_trace,
    check_wls1,
)


def _lesson_data() -> tuple[np.ndarray, np.ndarray]:
    """The pass/fail data of the lessons: np.random.seed(42), 200 students."""
    np.random.seed(42)  # noqa: NPY002 - the lessons' own recipe, kept verbatim
    hours = np.random.uniform(1, 10, 200)  # noqa: NPY002
    passed = np.random.binomial(1, 1 / (1 + np.exp(-(-3 + 0.8 * hours))))  # noqa: NPY002
    return np.column_stack([np.ones(200), hours]), passed.astype(float)


X, PASSED = _lesson_data()
_rng = np.random.default_rng(3)
XG = np.column_stack([np.ones(150), _rng.uniform(0, 2, 150)])
POSITIVE = _rng.gamma(2.0, np.exp(0.5 + 0.8 * XG[:, 1]) / 2.0)
COUNTS = _rng.poisson(np.exp(0.2 + 0.6 * XG[:, 1])).astype(float)


def _trace(method: str, family: glmlearn.Family, data: str = "passed", **kw: Any
           ) -> list[glmlearn.IRLSState]:
    if data == "passed":
        return list(glmlearn.irls(X, PASSED, family, method=method, **kw))
    y = POSITIVE if data == "positive" else COUNTS
    return list(glmlearn.irls(XG, y, family, method=method, **kw))


CANONICAL = [("passed", glmlearn.binomial("logit")), ("counts", glmlearn.poisson("log")),
             ("positive", glmlearn.gamma("inverse")),
             ("positive", glmlearn.inverse_gaussian("inverse_squared")),
             ("positive", glmlearn.gaussian("identity"))]
NON_CANONICAL = [("passed", glmlearn.binomial("probit")),
                 ("passed", glmlearn.binomial("cloglog")),
                 ("positive", glmlearn.gamma("log")), ("counts", glmlearn.poisson("sqrt")),
                 ("positive", glmlearn.gaussian("log"))]


def _id(case: tuple[str, glmlearn.Family]) -> str:
    return f"{case[1].name}-{case[1].link.name}"


@pytest.mark.parametrize("case", CANONICAL, ids=_id)
def test_newton_is_fisher_for_canonical_links(case: tuple[str, glmlearn.Family]) -> None:
    data, fam = case
    fisher, newton = _trace("fisher", fam, data), _trace("newton", fam, data)
    assert len(fisher) == len(newton)
    for f, n in zip(fisher, newton, strict=True):
        assert n.method == "newton" and f.method == "fisher"
        assert f.deviance == n.deviance
        np.testing.assert_array_equal(f.beta_next, n.beta_next)
        np.testing.assert_array_equal(f.w, n.w)
        if f.beta is not None:
            assert n.beta is not None
            np.testing.assert_array_equal(f.beta, n.beta)


@pytest.mark.parametrize("case", NON_CANONICAL, ids=_id)
def test_newton_and_fisher_reach_the_same_mle(case: tuple[str, glmlearn.Family]) -> None:
    data, fam = case
    fisher = _trace("fisher", fam, data, tol=1e-14, max_iter=100)
    newton = _trace("newton", fam, data, tol=1e-14, max_iter=100)
    assert fisher[-1].converged and newton[-1].converged
    bf, bn = fisher[-1].beta, newton[-1].beta
    assert bf is not None and bn is not None
    np.testing.assert_allclose(bn, bf, rtol=0, atol=1e-8 * max(1.0, float(np.max(np.abs(bf)))))
    # different roads there: the steps differ while far from the optimum
    assert not np.allclose(fisher[1].beta_next, newton[1].beta_next, rtol=1e-4)


@pytest.mark.parametrize("case", NON_CANONICAL, ids=_id)
def test_newton_states_are_newton_steps_and_wls_solves(case: tuple[str, glmlearn.Family]) -> None:
    """Each Newton state's beta_next is J⁻¹U (J by finite differences of the score), the
    solve of its own (observed) weights and working response, and the minimum of a model
    whose curvature is the deviance's."""
    data, fam = case
    trace = _trace("newton", fam, data)
    steps = [s for s in trace[:-1] if not s.fallback]
    assert len(steps) >= 3
    for check in (check_newton_raphson, check_wls1, check_quadratic_minimum,
                  check_quadratic_curvature):
        tc = check_trace(steps, check)
        assert tc, str(tc)
    # the observed weights are not the working weights far from the optimum
    s = steps[1]
    assert not np.allclose(s.w, glmlearn.working_weights(fam, s.mu, s.eta), rtol=1e-6)


def test_newton_quadratic_fisher_linear_on_probit() -> None:
    fam = glmlearn.binomial("probit")
    fisher = glmlearn.convergence_order(_trace("fisher", fam, start=np.zeros(2)))
    newton = glmlearn.convergence_order(_trace("newton", fam, start=np.zeros(2)))
    assert newton.order == pytest.approx(2.0, abs=0.15), str(newton)
    assert fisher.order < 1.5, str(fisher)


def test_newton_falls_back_where_the_observed_information_is_not_positive_definite() -> None:
    fam = glmlearn.binomial("probit")
    trace = _trace("newton", fam, start=[0.0, 1.5])
    s0 = trace[0]
    assert "not positive definite" in s0.fallback and "Fisher-scoring step" in s0.fallback
    w_o = glmlearn.observed_weights(fam, PASSED, s0.mu, s0.eta)
    assert (w_o < 0).any()
    J = X.T @ (X * w_o[:, None])
    assert np.linalg.eigvalsh(J)[0] <= 0  # what the fallback says is true
    # the state keeps the Fisher weights its step used, and the step is the IRLS one
    np.testing.assert_array_equal(s0.w, glmlearn.working_weights(fam, s0.mu, s0.eta))
    assert check_wls1(s0)
    assert trace[-1].converged and not any(s.fallback for s in trace[2:])


def test_compact_newton_states_recompute_the_observed_weights() -> None:
    fam = glmlearn.binomial("cloglog")
    full = _trace("newton", fam, trace="full")
    compact = _trace("newton", fam, trace="compact")
    for f, c in zip(full[:-1], compact[:-1], strict=True):
        assert c.is_compact
        np.testing.assert_allclose(c.w, f.w, rtol=1e-13)
        np.testing.assert_allclose(c.z, f.z, rtol=1e-13)


def test_gradient_ascent_reaches_the_mle_on_the_lesson_data() -> None:
    fam = glmlearn.binomial("logit")
    mle = _trace("fisher", fam)[-1].beta
    assert mle is not None
    limit = 5000
    trace = _trace("gradient", fam, start=np.zeros(2), tol=1e-16, max_iter=limit)
    last = trace[-1]
    assert last.converged and last.iteration < limit
    assert last.beta is not None
    np.testing.assert_allclose(last.beta, mle, rtol=1e-5)
    assert last.iteration > 50 * 6  # hundreds of steps where Fisher scoring needs 6
    # each step goes along the score, by 1/lambda_max of the expected information
    s = trace[3]
    assert s.beta is not None
    info = X.T @ (X * glmlearn.working_weights(fam, s.mu, s.eta)[:, None])
    expected = s.beta + s.score / np.linalg.eigvalsh(info)[-1]
    np.testing.assert_allclose(s.beta_next, expected, rtol=1e-10)
    assert check_quadratic_minimum(s)


def test_gradient_with_a_fixed_step_size_and_from_r_starting_means() -> None:
    fam = glmlearn.binomial("logit")
    trace = _trace("gradient", fam, start=np.zeros(2), step_size=1e-3, max_iter=5)
    for s in trace[:-1]:
        assert s.beta is not None
        np.testing.assert_allclose(s.beta_next - s.beta, 1e-3 * s.score, rtol=1e-12)
        np.testing.assert_allclose(s.xtwx, np.eye(2) * 1e3)
    mustart = _trace("gradient", fam, max_iter=3)
    assert "IRLS step" in mustart[0].fallback
    np.testing.assert_allclose(mustart[0].beta_next, _trace("fisher", fam)[0].beta_next)
    assert mustart[1].fallback == ""


@pytest.mark.parametrize(("kw", "match"), [
    ({"method": "bfgs"}, r"method: must be one of 'fisher', 'newton', 'gradient', got 'bfgs'"),
    ({"method": "fisher", "step_size": 0.1}, r"step_size: only method='gradient'"),
    ({"method": "gradient", "step_size": -1.0}, r"step_size: must be a positive number, got -1.0"),
    ({"method": "gradient", "step_size": True}, r"step_size: must be a positive number"),
])
def test_bad_method_arguments_are_refused(kw: dict[str, Any], match: str) -> None:
    with pytest.raises(glmlearn.GLMInputError, match=match):
        glmlearn.irls(X, PASSED, "binomial", **kw)


def test_newton_mle_matches_r(rscript: Callable[..., Any], tmp_path: Path) -> None:
    """Newton's MLE for probit, cloglog and Gamma-log fits equals R's glm() converged to
    epsilon = 1e-14 (at R's default 1e-8 its linearly converging Fisher scoring stops
    about 1e-7 short)."""
    path = tmp_path / "methods.csv"
    n = len(PASSED)
    rng = np.random.default_rng(11)
    positive = rng.gamma(2.0, np.exp(0.1 + 0.15 * X[:, 1]) / 2.0)
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["x", "passed", "positive"])
        for i in range(n):
            w.writerow([repr(float(X[i, 1])), int(PASSED[i]), repr(float(positive[i]))])
    r = rscript("methods_mle.R", path)
    cases = {"probit": (PASSED, glmlearn.binomial("probit")),
             "cloglog": (PASSED, glmlearn.binomial("cloglog")),
             "gamma_log": (positive, glmlearn.gamma("log"))}
    for name, (y, fam) in cases.items():
        trace = list(glmlearn.irls(X, y, fam, method="newton"))
        last = trace[-1]
        assert last.converged and last.beta is not None
        ref = np.array(r[name]["coef"], dtype=float)
        np.testing.assert_allclose(last.beta, ref, rtol=0, atol=1e-8 * np.max(np.abs(ref)),
                                   err_msg=name)
        assert last.deviance == pytest.approx(r[name]["deviance"], rel=1e-10)


@pytest.mark.parametrize("case", CANONICAL + NON_CANONICAL, ids=_id)
def test_theorem_newton_equals_fisher_exactly_for_canonical_links(
        case: tuple[str, glmlearn.Family]) -> None:
    from glmlearn.theorems import check_newton_equals_fisher
    data, fam = case
    trace = _trace("fisher", fam, data)
    tc = check_trace(trace, check_newton_equals_fisher)
    if fam.is_canonical:
        assert tc, str(tc)
        assert "canonical link" in tc[1].note
    else:
        early = tc[1]
        assert early.applicable and not early, str(early)
        assert early.size > 100 * early.tol


def test_every_panel_reads_newton_and_gradient_states() -> None:
    """Newton's observed weights can be negative at a converged fit (cauchit): the panels
    draw them (the weights axis goes below zero, a negative weight has no area) without a
    numpy warning; gradient-ascent traces draw too."""
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    import glmlearn.plot as gp

    fam = glmlearn.binomial("cauchit")
    trace = _trace("newton", fam, start=[4.0, -1.0])
    negative = [s for s in trace if not s.fallback and (s.w < 0).any()]
    assert negative and trace[-1].converged and (trace[-1].w < 0).any()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig, panels = gp.explorer_figure(trace, negative[0].iteration, panels=gp.PANELS, dpi=30)
        for s in trace:
            gp.update_all(panels, s)
        fig.canvas.draw()
        assert panels["weights"].ax.get_ylim()[0] < min(float(s.w.min()) for s in trace)
        gradient = _trace("gradient", glmlearn.binomial(), start=np.zeros(2), max_iter=40)
        gp.explorer_figure(gradient, 10, panels=gp.PANELS, dpi=30)


def _methods_csv(tmp_path: Path) -> Path:
    path = tmp_path / "methods.csv"
    rng = np.random.default_rng(11)
    positive = rng.gamma(2.0, np.exp(0.1 + 0.15 * X[:, 1]) / 2.0)
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["x", "passed", "positive"])
        for i in range(len(PASSED)):
            w.writerow([repr(float(X[i, 1])), int(PASSED[i]), repr(float(positive[i]))])
    return path


def test_fit_with_newton_matches_r_for_a_probit_fit(rscript: Callable[..., Any],
                                                    tmp_path: Path) -> None:
    """fit(method="newton") runs Newton-Raphson itself (its states say so) and lands on
    R's MLE (glm() converged to epsilon = 1e-14) to 1e-8."""
    r = rscript("methods_mle.R", _methods_csv(tmp_path))
    res = glmlearn.fit(X, PASSED, glmlearn.binomial("probit"), method="newton")
    assert res.converged
    assert all(s.method == "newton" for s in res.trace)
    assert any(s.fallback == "" for s in res.trace[1:])  # Newton's own steps were taken
    ref = np.array(r["probit"]["coef"], dtype=float)
    np.testing.assert_allclose(res.coef, ref, rtol=0, atol=1e-8 * np.max(np.abs(ref)))
    assert res.deviance == pytest.approx(r["probit"]["deviance"], rel=1e-10)
    # the same trace as irls(method="newton"), number for number
    loop = list(glmlearn.irls(X, PASSED, glmlearn.binomial("probit"), method="newton"))
    assert len(loop) == len(res.trace)
    for a, b in zip(loop, res.trace, strict=True):
        np.testing.assert_array_equal(a.beta_next, b.beta_next)
    # R's inference, (X'WX)^-1 with the working (Fisher) weights of the last step, not
    # Newton's own observed weights
    last_step, fam = res.trace[-2], res.family
    w = glmlearn.working_weights(fam, last_step.mu, last_step.eta)
    assert not np.allclose(last_step.w, w, rtol=1e-3)  # (the observed weights differ)
    np.testing.assert_allclose(res.cov_unscaled, np.linalg.inv(X.T @ (X * w[:, None])),
                               rtol=1e-10)
    # ... near those of R's Fisher-scoring fit: Newton's last step is a step away from the
    # MLE (its deviance changed by < 1e-8, so beta by about 1e-4)
    fisher = glmlearn.fit(X, PASSED, glmlearn.binomial("probit"), tol=1e-14, max_iter=100)
    np.testing.assert_allclose(res.se, fisher.se, rtol=1e-3)


def test_fit_with_gradient_ascent_and_a_step_size() -> None:
    res = glmlearn.fit(X, PASSED, "binomial", method="gradient", max_iter=3000)
    ref = glmlearn.fit(X, PASSED, "binomial")
    assert res.converged and res.trace[-1].method == "gradient"
    np.testing.assert_allclose(res.coef, ref.coef, rtol=1e-2)  # (R's criterion stops early)
    np.testing.assert_allclose(res.se, ref.se, rtol=1e-2)  # not gradient's curvature, I/alpha
    with pytest.warns(glmlearn.ConvergenceWarning,
                      match="^Gradient ascent did not converge in 5 iterations"):
        fixed = glmlearn.fit(X, PASSED, "binomial", method="gradient", step_size=1e-3,
                             start=[0.0, 0.0], max_iter=5)
    assert fixed.n_iter == 5 and not fixed.converged
    assert "not_converged" in fixed.flags


def test_a_newton_fit_names_its_method_in_its_warnings() -> None:
    """The warnings of a Newton or gradient-ascent fit do not call its steps IRLS's."""
    with pytest.warns(glmlearn.ConvergenceWarning,
                      match="^Newton-Raphson did not converge in 2 iterations"):
        res = glmlearn.fit(X, PASSED, glmlearn.binomial("probit"), method="newton", max_iter=2)
    assert not any(m.startswith("IRLS") for m in res.warnings)
    with pytest.warns(glmlearn.ConvergenceWarning, match="^IRLS did not converge in 2"):
        glmlearn.fit(X, PASSED, glmlearn.binomial("probit"), max_iter=2)


@pytest.mark.parametrize(("kw", "match"), [
    ({"method": "bfgs"}, r"method: must be one of 'fisher', 'newton', 'gradient', got 'bfgs'"),
    ({"method": 3}, r"method: must be one of .*got 3"),
    ({"method": "fisher", "step_size": 0.1}, r"step_size: only method='gradient'"),
])
def test_fit_refuses_bad_method_arguments(kw: dict[str, Any], match: str) -> None:
    with pytest.raises(glmlearn.GLMInputError, match=match):
        glmlearn.fit(X, PASSED, "binomial", **kw)


def test_fit_refuses_another_method_for_a_negative_binomial_estimating_theta() -> None:
    counts = np.random.default_rng(5).poisson(3.0, len(PASSED)).astype(float)
    with pytest.raises(glmlearn.GLMInputError,
                       match=r"method: a negative binomial with theta estimated is fitted by "
                             r"Fisher scoring .*got method='newton'.*negative_binomial\(theta\)"):
        glmlearn.fit(X, counts, "negative_binomial", method="newton")
    # with theta fixed it is a family like the others: gradient ascent runs
    res = glmlearn.fit(X, counts, glmlearn.negative_binomial(5.0), method="gradient",
                       max_iter=2000)
    assert res.trace[-1].method == "gradient" and res.converged
    ref = glmlearn.fit(X, counts, glmlearn.negative_binomial(5.0))
    np.testing.assert_allclose(res.coef, ref.coef, rtol=1e-2, atol=1e-3)


@pytest.mark.parametrize("method, words", [("fisher", "Fisher Scoring"),
                                           ("newton", "Newton-Raphson"),
                                           ("gradient", "gradient ascent")])
def test_the_summary_counts_the_method_s_iterations(method: str, words: str) -> None:
    """R's summary counts "Fisher Scoring iterations"; another method's are not those."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", glmlearn.GLMWarning)
        res = load("beetles").fit(link="probit", method=method, max_iter=2000)
    for style in ("R", "glmlearn"):
        counts = [line for line in str(res.summary(style=style)).splitlines()
                  if line.lower().startswith("number of ")]
        assert len(counts) == 1
        assert counts[0].lower().startswith(f"number of {words.lower()} iterations: {res.n_iter}")
