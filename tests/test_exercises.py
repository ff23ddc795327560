"""Self-checking exercises: right answers pass, typical wrong answers earn their own hint.

The "learner" answers below are written the way a learner would write them (from the
family's pieces), not copied from the state, so a pass means the check accepts honest
solutions, and every wrong answer must be recognised as the specific misconception.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special
from scipy.special import expit

import glmlearn
from glmlearn import GLMInputError, exercises, theorems
from glmlearn.exercises import Feedback

# --- helpers: learners' answers -------------------------------------------------------------


def wls(X, w, target):
    return np.linalg.solve(X.T @ (w[:, None] * X), X.T @ (w * target))


@pytest.fixture(scope="module")
def ww():
    return exercises.exercise_working_weights()


@pytest.fixture(scope="module")
def wr():
    return exercises.exercise_working_response()


@pytest.fixture(scope="module")
def step():
    return exercises.exercise_irls_step()


@pytest.fixture(scope="module")
def sc():
    return exercises.exercise_score()


@pytest.fixture(scope="module")
def dev():
    return exercises.exercise_poisson_deviance()


# --- not answered, bad shapes -----------------------------------------------------------------


@pytest.mark.parametrize("name", list(exercises.EXERCISES))
def test_untouched_answer_is_not_answered_yet(name):
    ex = exercises.EXERCISES[name]()
    assert ex.name == name  # the registry is keyed by the exercise's own name
    fb = ex.check(...)
    assert fb.correct is None and not fb
    assert "not answered yet" in str(fb)
    assert ex.check(None).correct is None
    assert ex.name in str(ex) and ex.task


def test_registry_holds_the_factories_in_lesson_order():
    assert list(exercises.EXERCISES.values()) == [
        exercises.exercise_working_weights, exercises.exercise_working_response,
        exercises.exercise_irls_step, exercises.exercise_score,
        exercises.exercise_poisson_deviance]
    with pytest.raises(TypeError):
        exercises.EXERCISES["mine"] = exercises.exercise_score  # read-only


def test_names_cannot_be_confused_with_theorem_checks_or_textbook_steps():
    """Graders are grade_*, factories exercise_*: no name shared with glmlearn.theorems
    (whose check_working_weights takes (state, w)) or with the textbook steps."""
    public = set(exercises.__all__)
    assert not public & set(theorems.__all__)
    assert not public & set(glmlearn.__all__)
    assert not [name for name in public if name not in vars(exercises)]


def test_bad_arguments_are_refused(ww):
    with pytest.raises(GLMInputError, match="iteration"):
        exercises.exercise_score(iteration=-1)
    with pytest.raises(GLMInputError, match="iteration"):
        exercises.exercise_score(iteration=1.5)
    with pytest.raises(GLMInputError, match="iteration"):
        exercises.exercise_score(iteration=500)  # IRLS converges long before
    with pytest.raises(GLMInputError, match="state"):
        exercises.grade_score(np.ones(2), "not a state")
    # State 0 from R's starting means has no beta: there is no working response "at beta".
    state0 = next(iter(glmlearn.irls(np.ones((4, 1)), [1.0, 2.0, 0.0, 3.0], "poisson")))
    assert state0.beta is None
    with pytest.raises(GLMInputError, match="state: state 0 has no coefficients"):
        exercises.grade_working_response(np.ones(4), state0)


def test_feedback_is_one_line_and_truthy_only_when_right():
    assert bool(Feedback(True, "ok")) and not Feedback(False, "no") and not Feedback(None, "?")
    assert "\n" not in str(Feedback(False, "no"))
    assert str(Feedback(True, "ok")).startswith("✓")


def test_given_arrays_are_read_only(ww):
    with pytest.raises(ValueError):
        ww.given["mu"][0] = 0.5


def test_matrix_instead_of_vector(ww):
    s = ww.state
    fb = ww.check(np.diag(s.w))
    assert not fb and fb.mistake == "matrix" and "vector" in fb.message
    assert ww.check(np.eye(len(s.w))).mistake == "matrix"


def test_wrong_shape_and_not_numbers(ww, sc):
    assert ww.check(np.ones(3)).mistake == "shape"
    assert ww.check(np.asarray(ww.state.w)[:, None]).mistake == "shape"
    assert sc.check("a string").mistake == "not_numbers"


# --- working weights (beetles, probit) --------------------------------------------------------


def test_working_weights_right(ww):
    g = ww.given
    fam, mu, pw = g["family"], g["mu"], g["prior_weights"]
    assert ww.check(pw / (fam.variance(mu) * fam.link_deriv(mu) ** 2))
    assert ww.check(pw * fam.mu_eta(g["eta"]) ** 2 / fam.variance(mu))
    # from first principles: the normal density at eta
    phi = np.exp(-g["eta"] ** 2 / 2) / np.sqrt(2 * np.pi)
    assert ww.check(list(pw * phi**2 / (mu * (1 - mu))))  # a list is fine too


@pytest.mark.parametrize(("mistake", "answer", "words"), [
    ("variance_only", lambda g, V, d: g["prior_weights"] * V, "V(μ)·g'(μ)²"),
    ("inverse_variance", lambda g, V, d: g["prior_weights"] / V, "g'(μ)²"),
    ("not_squared", lambda g, V, d: g["prior_weights"] * d / V, "squares"),
    ("reciprocal", lambda g, V, d: V / (g["prior_weights"] * d**2), "reciprocal"),
    ("no_prior_weights", lambda g, V, d: d**2 / V, "prior weights"),
])
def test_working_weights_mistakes(ww, mistake, answer, words):
    g = ww.given
    V, d = g["family"].variance(g["mu"]), g["family"].mu_eta(g["eta"])
    fb = ww.check(answer(g, V, d))
    assert fb.correct is False
    assert fb.mistake == mistake
    assert words in fb.message


def test_working_weights_feedback_never_prints_the_answer(ww):
    for wrong in (ww.given["mu"], np.ones(8), ww.state.w * 2):
        msg = str(ww.check(wrong))
        for value in ww.state.w:
            assert f"{value:.3g}" not in msg and f"{value:.4f}" not in msg


def test_working_weights_on_any_state():
    """The check works on a learner's own fit; for a canonical link V(mu) is right."""
    X = np.column_stack([np.ones(6), np.arange(6.0)])
    *_, last = glmlearn.irls(X, [0, 0, 1, 0, 1, 1], "binomial")
    assert exercises.grade_working_weights(last.mu * (1 - last.mu), last)
    assert exercises.grade_working_weights(last.mu, last).correct is False


# --- working response (doctors, Poisson with an offset) ----------------------------------------


def test_working_response_right(wr):
    g = wr.given
    fam = g["family"]
    eta = g["X"] @ g["beta"] + g["offset"]
    mu = fam.link_inverse(eta)
    assert wr.check(eta + (g["y"] - mu) * fam.link_deriv(mu))
    assert wr.check(eta + (g["y"] - np.exp(eta)) / np.exp(eta))


def test_working_response_mistakes(wr):
    g = wr.given
    fam, X, b, off, y = g["family"], g["X"], g["beta"], g["offset"], g["y"]
    eta = X @ b + off
    mu = np.exp(eta)
    eta0 = X @ b
    mu0 = np.exp(eta0)
    cases = {
        "no_offset": eta0 + (y - mu0) / mu0,
        "offset_removed": eta0 + (y - mu) / mu,
        "residual_only": (y - mu) / mu,
        "times_dmu_deta": eta + (y - mu) * mu,
        "response_scale": mu + (y - mu) / mu,
    }
    for name, answer in cases.items():
        fb = wr.check(answer)
        assert fb.correct is False and fb.mistake == name, (name, fb)
    assert "offset" in wr.check(cases["no_offset"]).message
    assert fam.name == "poisson"


def test_working_response_log_of_zero_count():
    """On the ships data (zero counts) g(y) = log(y) is -inf: the hint says why."""
    state = exercises.exercise_poisson_deviance().state
    y = state.problem.y
    assert np.any(y == 0)
    with np.errstate(divide="ignore"):
        fb = exercises.grade_working_response(np.log(y), state)
    assert fb.mistake == "not_finite" and "g(y)" in fb.message


# --- one IRLS step (doctors) -------------------------------------------------------------------


def test_irls_step_right(step):
    g = step.given
    X, w, z, off = g["X"], g["w"], g["z"], g["offset"]
    assert step.check(wls(X, w, z - off))
    sw = np.sqrt(w)
    assert step.check(np.linalg.lstsq(X * sw[:, None], (z - off) * sw, rcond=None)[0])


def test_irls_step_mistakes(step):
    g = step.given
    X, w, z, off = g["X"], g["w"], g["z"], g["offset"]
    y, eta = step.state.problem.y, step.state.eta
    cases = {
        "offset_in_target": wls(X, w, z),
        "unweighted": wls(X, np.ones_like(w), z - off),
        "y_not_z": wls(X, w, y - off),
        "eta_not_z": wls(X, w, eta - off),
        "sqrt_weights": wls(X, np.sqrt(w), z - off),
        "squared_weights": wls(X, w**2, z - off),
    }
    for name, answer in cases.items():
        fb = step.check(answer)
        assert fb.correct is False and fb.mistake == name, (name, fb)
    assert "weights" in step.check(cases["unweighted"]).message


def test_irls_step_agrees_with_the_next_state():
    """The expected answer comes from the core: the next state's beta (no halving here)."""
    ex = exercises.exercise_irls_step(iteration=2)
    nxt = exercises.exercise_irls_step(iteration=3).state
    assert ex.check(nxt.beta)
    # ...and from a weighted regression written out with the dense n x n matrix W.
    X, W = ex.given["X"], np.diag(ex.given["w"])
    target = ex.given["z"] - ex.given["offset"]
    assert ex.check(np.linalg.solve(X.T @ W @ X, X.T @ W @ target))


# --- the score of a non-canonical link (beetles, probit) ---------------------------------------


def test_score_right(sc):
    g = sc.given
    fam, X, y, mu, eta, pw = (g["family"], g["X"], g["y"], g["mu"], g["eta"],
                              g["prior_weights"])
    assert sc.check(X.T @ (pw * fam.mu_eta(eta) / fam.variance(mu) * (y - mu)))
    phi = np.exp(-eta**2 / 2) / np.sqrt(2 * np.pi)
    assert sc.check(X.T @ (pw * phi * (y - mu) / (mu * (1 - mu))))


def test_score_mistakes(sc):
    g = sc.given
    fam, X, y, mu, eta, pw = (g["family"], g["X"], g["y"], g["mu"], g["eta"],
                              g["prior_weights"])
    d, V = fam.mu_eta(eta), fam.variance(mu)
    w = pw * d**2 / V
    cases = {
        "canonical_form": X.T @ (pw * (y - mu)),
        "working_weights": X.T @ (w * (y - mu)),
        "no_dmu_deta": X.T @ (pw * (y - mu) / V),
        "no_prior_weights": X.T @ (d / V * (y - mu)),
        "sign": X.T @ (pw * d / V * (mu - y)),
    }
    for name, answer in cases.items():
        fb = sc.check(answer)
        assert fb.correct is False and fb.mistake == name, (name, fb)
    msg = sc.check(cases["canonical_form"]).message
    assert "canonical-link score" in msg and "dμ/dη / V(μ)" in msg


def test_score_canonical_form_is_right_for_logit():
    """For the canonical link the simple form X'(y - mu) is the score: no false alarm."""
    X = np.column_stack([np.ones(6), np.arange(6.0)])
    state = next(iter(glmlearn.irls(X, [0, 0, 1, 0, 1, 1], "binomial", start=[0.0, 0.0])))
    assert exercises.grade_score(X.T @ (state.problem.y - state.mu), state)


# --- the deviance (ships, Poisson, zero counts) -------------------------------------------------


def test_deviance_right(dev):
    g = dev.given
    y, mu = g["y"], g["mu"]
    assert dev.check(2 * np.sum(special.xlogy(y, y) - special.xlogy(y, mu) - (y - mu)))
    assert dev.check(g["family"].deviance(y, mu))


def test_deviance_mistakes(dev):
    g = dev.given
    y, mu = g["y"], g["mu"]
    ylog = special.xlogy(y, y) - special.xlogy(y, mu)
    loglik = np.sum(y * np.log(mu) - mu - special.gammaln(y + 1))
    cases = {
        "no_factor_two": np.sum(ylog - (y - mu)),
        "no_linear_term": 2 * np.sum(ylog),
        "minus_two_loglik": -2 * loglik,
        "sign": -2 * np.sum(ylog - (y - mu)),
    }
    for name, answer in cases.items():
        fb = dev.check(answer)
        assert fb.correct is False and fb.mistake == name, (name, fb)
    with np.errstate(divide="ignore", invalid="ignore"):
        naive = 2 * np.sum(y * np.log(y / mu) - (y - mu))
    fb = dev.check(naive)
    assert fb.mistake == "not_finite" and "0·log(0)" in fb.message


def test_unrecognised_wrong_answer_gets_the_general_hint(dev, sc):
    fb = dev.check(dev.state.deviance * 1.37)
    assert fb.correct is False and fb.mistake is None and "Hint:" in str(fb)
    fb = sc.check(np.asarray(sc.state.score) + 1.0)
    assert fb.mistake is None and "index" in fb.message


def test_graders_accept_a_result_and_mean_its_last_state():
    X = np.column_stack([np.ones(6), np.arange(6.0)])
    y = np.array([0, 0, 1, 0, 1, 1.0])
    res = glmlearn.fit(X, y, "binomial")
    mu = expit(X @ res.beta)  # the logit mean written out
    assert exercises.grade_working_weights(mu * (1 - mu), res)
    assert exercises.grade_score(X.T @ (y - mu), res)
    dev = -2 * np.sum(special.xlogy(y, mu) + special.xlogy(1 - y, 1 - mu))
    assert exercises.grade_deviance(dev, res)
    assert exercises.grade_working_response(X @ res.beta + (y - mu) / (mu * (1 - mu)), res)
    assert exercises.grade_irls_step(res.final_state.beta_next, res)
