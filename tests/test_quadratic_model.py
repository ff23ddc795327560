"""The quadratic model behind each IRLS step: its minimum, where it touches the deviance,
its curvature, and the two pictures of it (the path panel's ``quadratic=True`` and the
step-line panel)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import glmlearn
import glmlearn.plot as gp
from glmlearn.surface import deviance_along, quadratic_model
from glmlearn.theorems import (
    check_quadratic_curvature,
    check_quadratic_minimum,
    check_quadratic_touches,
    check_trace,
)


def _data() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(7)
    n = 120
    x = rng.uniform(0, 2, n)
    X = np.column_stack([np.ones(n), x])
    return {
        "binary": (X, rng.binomial(1, 1 / (1 + np.exp(-(-1 + 1.5 * x))))),
        "counts": (X, rng.poisson(np.exp(0.3 + 0.7 * x))),
        "positive": (X, rng.gamma(4.0, np.exp(0.5 + 0.4 * x) / 4.0)),
        "normal": (X, 2 + 0.5 * x + rng.normal(0, 0.3, n)),
    }


DATA = _data()
CASES = [
    ("binary", "binomial", "logit"), ("binary", "binomial", "probit"),
    ("binary", "binomial", "cloglog"), ("counts", "poisson", "log"),
    ("counts", "poisson", "sqrt"), ("positive", "gamma", "inverse"),
    ("positive", "gamma", "log"), ("positive", "inverse_gaussian", "inverse_squared"),
    ("normal", "gaussian", "identity"), ("normal", "gaussian", "log"),
]


def _trace(data: str, family: str, link: str, **kw: object) -> list[glmlearn.IRLSState]:
    X, y = DATA[data]
    fam = glmlearn.FAMILIES[family](link)
    return list(glmlearn.irls(X, y, fam, **kw))


@pytest.mark.parametrize(("data", "family", "link"), CASES, ids=[f"{f}-{lk}" for _, f, lk in CASES])
def test_model_minimum_is_beta_next_at_every_state(data: str, family: str, link: str) -> None:
    trace = _trace(data, family, link)
    tc = check_trace(trace, check_quadratic_minimum)
    assert tc, str(tc)
    assert tc.applicable.sum() == len(trace) - 1  # state 0 from R's mustart has no beta
    for s in trace[1:]:
        q = quadratic_model(s)
        np.testing.assert_allclose(q.minimum, s.beta_next, rtol=1e-9, atol=1e-12)
        # the minimum really is the smallest value of the model: any move raises it
        for d in (np.array([1e-3, 0]), np.array([0, -1e-3]), np.array([5e-4, 5e-4])):
            assert q(s.beta_next + d) > q(s.beta_next)


@pytest.mark.parametrize(("data", "family", "link"), CASES, ids=[f"{f}-{lk}" for _, f, lk in CASES])
def test_model_is_the_wls_objective_up_to_a_constant(data: str, family: str, link: str) -> None:
    """Q_k(β) − D⁽ᵏ⁾ = Σ w (z − o − Xβ)² − Σ w (z − o − Xβ⁽ᵏ⁾)², at points around the step."""
    rng = np.random.default_rng(1)
    for s in _trace(data, family, link)[1:4]:
        q = quadratic_model(s)
        X, o = s.problem.X, s.problem.offset

        def wls(b: np.ndarray, s: glmlearn.IRLSState = s, X: np.ndarray = X,
                o: np.ndarray = o) -> float:
            return float(np.sum(s.w * (s.z - o - X @ b) ** 2))

        for b in [s.beta_next, s.beta + rng.normal(0, 0.2, 2), s.beta + rng.normal(0, 0.2, 2)]:
            lhs, rhs = q(b) - s.deviance, wls(b) - wls(s.beta)
            assert lhs == pytest.approx(rhs, rel=1e-8, abs=1e-9 * max(1.0, abs(s.deviance)))


@pytest.mark.parametrize(("data", "family", "link"), CASES, ids=[f"{f}-{lk}" for _, f, lk in CASES])
def test_model_touches_the_deviance(data: str, family: str, link: str) -> None:
    trace = _trace(data, family, link)
    tc = check_trace(trace, check_quadratic_touches)
    assert tc, str(tc)


def test_curvature_is_observed_information_only_for_canonical_links() -> None:
    logit = check_trace(_trace("binary", "binomial", "logit"), check_quadratic_curvature)
    assert logit, str(logit)
    assert "canonical link" in logit[1].note
    probit = _trace("binary", "binomial", "probit")
    early = check_quadratic_curvature(probit[1])
    assert early.applicable and not early.holds, str(early)
    assert "not canonical" in early.note
    # the gap is real, not rounding: far above the tolerance
    assert early.size > 100 * early.tol


def test_not_applicable_without_coefficients() -> None:
    s0 = _trace("binary", "binomial", "logit")[0]
    for check in (check_quadratic_minimum, check_quadratic_touches, check_quadratic_curvature):
        r = check(s0)
        assert not r.applicable and not r
    with pytest.raises(ValueError, match="no coefficients"):
        quadratic_model(s0)


def test_deviance_along_the_step_against_the_parabola() -> None:
    """Far from the optimum the full step overshoots (halving); near it the model is exact."""
    X, y = DATA["binary"]
    trace = list(glmlearn.irls(X, y, glmlearn.binomial(), start=[0.0, 4.0],
                               step_halving="deviance"))  # (glm2: a rise halves)
    halved = [s for s in trace[:-1] if trace[s.iteration + 1].step_halvings > 0]
    assert halved, "this start needs step-halving"
    s = halved[0]
    q = quadratic_model(s)
    d = s.beta_next - s.beta
    full = deviance_along(s.problem, s.beta, d, [1.0])[0]
    assert full > s.deviance  # the deviance rose at t = 1: the model overshot
    assert q.along(1.0) == pytest.approx(s.deviance - q.decrease)
    v = gp.step_line_values(trace, s)
    assert v.trials[0] == 1.0 and v.trial_values[0] > 0
    assert v.accepted == 0.5 ** trace[s.iteration + 1].step_halvings
    # two states before convergence, the deviance at t = 1 is the model's minimum to 1e-3
    near = trace[-3]
    vn = gp.step_line_values(trace, near)
    assert vn.accepted == 1.0
    assert vn.trial_values[0] == pytest.approx(-1.0, abs=1e-3)


def test_path_panel_marks_the_model_minimum_and_joins_it_to_the_next_iterate() -> None:
    X, y = DATA["binary"]
    trace = list(glmlearn.irls(X, y, glmlearn.binomial(), start=[0.0, 4.0],
                               step_halving="deviance"))
    fig, ax = plt.subplots()
    art = gp.draw_path(ax, trace[1], trace=trace, quadratic=True)
    assert art.model is not None and art.model_minimum is not None and art.model_join is not None
    for s in trace[1:-1]:
        art.update(s)
        np.testing.assert_allclose(np.ravel(art.model_minimum.get_data()), s.beta_next,
                                   rtol=1e-9)
        jx, jy = art.model_join.get_data()
        nxt = trace[s.iteration + 1].beta
        np.testing.assert_allclose([jx[1], jy[1]], nxt)
        xs, ys = art.model.get_data()
        finite = np.isfinite(xs)
        assert finite.sum() > 10
        # every point of the model's contours lies on one of the deviance's levels
        vals = quadratic_model(s)(np.column_stack([xs[finite], ys[finite]]))
        gaps = np.min(np.abs(vals[:, None] - art.levels[None, :]), axis=1)
        assert np.max(gaps) < 1e-6 * np.max(np.abs(art.levels)) + 0.05 * np.ptp(art.levels)
    assert art.model in art.moving
    plt.close(fig)


def test_more_coefficients_and_an_aliased_column() -> None:
    """The model lives on the kept coefficients; the step-line panel works for any p."""
    X, y = DATA["counts"]
    rng = np.random.default_rng(5)
    extra = rng.normal(size=len(y))
    X4 = np.column_stack([X, extra, 2 * X[:, 1]])  # the last column is aliased (R's rule)
    trace = list(glmlearn.irls(X4, y, glmlearn.poisson("sqrt"), start=[1.0, 0.5, 0.0, 0.0]))
    assert np.isnan(trace[1].beta_next[3])
    for check in (check_quadratic_minimum, check_quadratic_touches):
        tc = check_trace(trace, check)
        assert tc, str(tc)
    q = quadratic_model(trace[1])
    assert q.kept.tolist() == [True, True, True, False] and q.hessian.shape == (3, 3)
    np.testing.assert_allclose(q.minimum[:3], trace[1].beta_next[:3], rtol=1e-9)
    assert np.isnan(q.minimum[3])
    fig, ax = plt.subplots()
    art = gp.draw_step_line(ax, trace[0], trace=trace)
    for s in trace[:-1]:
        art.update(s)
        v = art.values(s)
        assert v.trials[0] == 1.0 and np.isfinite(v.trial_values[0])
    # p = 4: the path panel is a slice, with Q_k restricted to the plane
    art = gp.draw_path(ax, trace[1], trace=trace, quadratic=True, coefs=(1, 2))
    assert art.model_minimum is not None and art.model is not None
    np.testing.assert_allclose(art.model_minimum.get_xydata(), [q.plane_minimum(1, 2)[[1, 2]]])
    assert art.model.get_xydata().size > 0
    # a plane with the aliased column: no path in it (its coefficient is NaN throughout)
    with pytest.raises(glmlearn.GLMInputError,
                       match=r"coefs: coefficient 3 \('x3'\) has no finite value"):
        gp.draw_path(ax, trace[1], trace=trace, quadratic=True, coefs=(1, 3))
    with pytest.raises(ValueError, match="coefs: coefficient 3 is aliased"):
        q.plane_minimum(1, 3)
    plt.close(fig)


def test_path_panel_legend_and_note_say_what_every_mark_is() -> None:
    X, y = DATA["binary"]
    trace = list(glmlearn.irls(X, y, glmlearn.binomial(), start=[0.0, 4.0],
                               step_halving="deviance"))
    fig, ax = plt.subplots()
    art = gp.draw_path(ax, trace[0], trace=trace, quadratic=True)
    legend = ax.get_legend()
    assert legend is not None
    entries = [t.get_text() for t in legend.get_texts()]
    assert "halved: β next → β⁽ᵏ⁺¹⁾" in entries and "quadratic model Q_k" in entries
    assert art.model_join is not None and art.model_join.get_label() in entries
    text = art.label.get_text()
    assert "dark = low" in text and "χ²₂" in text and "confidence regions" in text
    assert len(text.splitlines()) == 3  # state, then the two-line note
    plt.close(fig)
