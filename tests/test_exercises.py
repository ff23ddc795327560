"""Self-checking exercises: right answers pass, typical wrong answers earn their own hint.

The "learner" answers below are written the way a learner would write them (from the
family's pieces), not copied from the state, so a pass means the check accepts honest
solutions, and every wrong answer must be recognised as the specific misconception.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from scipy import special
from scipy.special import expit

import glmlearn
from glmlearn import GLMInputError, exercises, theorems
from glmlearn.exercises import Feedback

LESSONS = Path(__file__).resolve().parents[1] / "notebooks"
#: The exercises on one IRLS state (the whole loop, "own IRLS", is tested in test_own_irls.py).
ONE_STATE = [name for name in exercises.EXERCISES if name != "own IRLS"]

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


@pytest.mark.parametrize("name", ONE_STATE)
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
        exercises.exercise_poisson_deviance, exercises.exercise_own_irls]
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


# --- every state of the catalogue: the pieces written out by hand --------------------------------
#
# The answers below are built from the state's fields with plain numpy and the model's own
# formulas (normal density for probit, exp for the log link), never with the family object
# or a Mistake's formula, so a passing test means the grader recognises what a learner
# actually writes.

GRADERS = {
    "working weights": exercises.grade_working_weights,
    "working response": exercises.grade_working_response,
    "IRLS step": exercises.grade_irls_step,
    "score": exercises.grade_score,
    "deviance": exercises.grade_deviance,
}


@functools.cache
def catalogue_state(name, iteration=1):
    return exercises.STATES[name](iteration)


def learner(s):
    """What a learner has at state ``s``: the data, and V, dmu/deta and g^{-1} by hand."""
    p = s.problem
    kind = (p.family.name, p.family.link.name)
    if kind == ("binomial", "probit"):
        inv = special.ndtr

        def dmu_deta(eta):
            return np.exp(-eta**2 / 2) / np.sqrt(2 * np.pi)  # the normal density
    elif kind == ("binomial", "cloglog"):
        def inv(eta):
            return 1 - np.exp(-np.exp(eta))

        def dmu_deta(eta):
            return np.exp(eta - np.exp(eta))
    elif kind == ("poisson", "log"):
        inv = dmu_deta = np.exp
    else:  # pragma: no cover - the catalogue has no other family and link
        raise AssertionError(kind)
    V = s.mu * (1 - s.mu) if kind[0] == "binomial" else s.mu
    return SimpleNamespace(X=p.X, y=p.y, pw=p.prior_weights, off=p.offset, beta=s.beta,
                           eta=s.eta, mu=s.mu, V=V, d=dmu_deta(s.eta), inv=inv,
                           dmu_deta=dmu_deta, family=kind[0],
                           w=np.asarray(s.w), z=np.asarray(s.z))


def unit_weights(q):
    return SimpleNamespace(**{**vars(q), "pw": np.ones_like(q.pw)})


def poisson_loglik(q):
    return np.sum(q.pw * (special.xlogy(q.y, q.mu) - q.mu - special.gammaln(q.y + 1)))


def binomial_loglik(q):
    k = np.round(q.y * q.pw)  # successes out of pw trials
    return np.sum(special.gammaln(q.pw + 1) - special.gammaln(k + 1)
                  - special.gammaln(q.pw - k + 1)
                  + special.xlogy(k, q.mu) + special.xlogy(q.pw - k, 1 - q.mu))


def right_deviance(q):
    if q.family == "poisson":
        unit = 2 * (special.xlogy(q.y, q.y) - special.xlogy(q.y, q.mu) - (q.y - q.mu))
    else:
        unit = 2 * (special.xlogy(q.y, q.y / q.mu) + special.xlogy(1 - q.y, (1 - q.y) / (1 - q.mu)))
    return np.sum(q.pw * unit)


def z_without_offset(q):
    eta = q.X @ q.beta  # the offset forgotten in eta, and so in mu
    return eta + (q.y - q.inv(eta)) / q.dmu_deta(eta)


def nansum_deviance(q):
    with np.errstate(divide="ignore", invalid="ignore"):
        return 2 * np.nansum(q.pw * (q.y * np.log(q.y / q.mu) - (q.y - q.mu)))


RIGHT = {
    "working weights": lambda q: q.pw * q.d**2 / q.V,
    "working response": lambda q: (q.X @ q.beta + q.off)
    + (q.y - q.inv(q.X @ q.beta + q.off)) / q.d,
    "IRLS step": lambda q: wls(q.X, q.w, q.z - q.off),
    "score": lambda q: q.X.T @ (q.pw * q.d / q.V * (q.y - q.mu)),
    "deviance": right_deviance,
}

#: (exercise, mistake, the mistaken answer written out, the states to try it on). Every
#: mistake is tried on a state with prior weights and on one with an offset, and all but
#: those in NOT_ON_BOTH on BOTH, the state with prior weights, an offset and a
#: non-canonical link at once; the classic states add the single-kind cases (prior
#: weights without an offset, an offset with the canonical log link, zero counts).
PW, OFF = "beetles probit", "doctors"  # prior weights; an offset
BOTH = "exposure cloglog"  # prior weights, an offset and a non-canonical link
MISTAKES = [
    # working weights
    ("working weights", "variance_only", lambda q: q.pw * q.V, [PW, "challenger probit", BOTH]),
    ("working weights", "variance_only_no_prior_weights", lambda q: q.V, [PW, BOTH]),
    ("working weights", "inverse_variance", lambda q: q.pw / q.V,
     [PW, OFF, "ships rates", BOTH]),
    ("working weights", "inverse_variance_no_prior_weights", lambda q: 1 / q.V,
     [PW, "ships rates", BOTH]),
    ("working weights", "not_squared", lambda q: q.pw * q.d / q.V,
     [PW, OFF, "ships rates", BOTH]),
    ("working weights", "reciprocal", lambda q: q.V / (q.pw * q.d**2), [PW, "ships rates", BOTH]),
    ("working weights", "sqrt_weights", lambda q: np.sqrt(q.pw * q.d**2 / q.V),
     [PW, OFF, "ships rates", BOTH]),
    ("working weights", "no_prior_weights", lambda q: q.d**2 / q.V, [PW, "ships rates", BOTH]),
    # working response
    ("working response", "no_offset", z_without_offset, [OFF, "ships", BOTH]),
    ("working response", "offset_removed", lambda q: q.X @ q.beta + (q.y - q.mu) / q.d,
     [OFF, "ships", BOTH]),
    ("working response", "sign", lambda q: q.eta - (q.y - q.mu) / q.d,
     [PW, OFF, "ships rates", BOTH]),
    ("working response", "no_link_derivative", lambda q: q.eta + q.y - q.mu,
     [PW, OFF, "ships rates", BOTH]),
    ("working response", "y_itself", lambda q: q.y, [PW, OFF, "ships rates", BOTH]),
    ("working response", "residual_only", lambda q: (q.y - q.mu) / q.d, [PW, OFF, BOTH]),
    ("working response", "times_dmu_deta", lambda q: q.eta + (q.y - q.mu) * q.d,
     [PW, OFF, BOTH]),
    ("working response", "response_scale", lambda q: q.mu + (q.y - q.mu) / q.d,
     [PW, OFF, BOTH]),
    # one IRLS step
    ("IRLS step", "offset_in_target", lambda q: wls(q.X, q.w, q.z), [OFF, "ships", BOTH]),
    ("IRLS step", "unweighted", lambda q: np.linalg.lstsq(q.X, q.z - q.off, rcond=None)[0],
     [PW, OFF, "ships rates", BOTH]),
    ("IRLS step", "unweighted_offset_in_target",
     lambda q: np.linalg.lstsq(q.X, q.z, rcond=None)[0], [OFF, "ships", BOTH]),
    ("IRLS step", "y_not_z", lambda q: wls(q.X, q.w, q.y - q.off), [PW, OFF, BOTH]),
    ("IRLS step", "eta_not_z", lambda q: wls(q.X, q.w, q.eta - q.off), [PW, OFF, BOTH]),
    ("IRLS step", "sqrt_weights", lambda q: wls(q.X, np.sqrt(q.w), q.z - q.off),
     [PW, OFF, BOTH]),
    ("IRLS step", "squared_weights", lambda q: wls(q.X, q.w**2, q.z - q.off), [PW, OFF, BOTH]),
    # the score
    ("score", "canonical_form", lambda q: q.X.T @ (q.pw * (q.y - q.mu)),
     [PW, "challenger probit", BOTH]),
    ("score", "canonical_form_no_prior_weights", lambda q: q.X.T @ (q.y - q.mu), [PW, BOTH]),
    ("score", "working_weights", lambda q: q.X.T @ (q.pw * q.d**2 / q.V * (q.y - q.mu)),
     [PW, OFF, "ships rates", BOTH]),
    ("score", "no_dmu_deta", lambda q: q.X.T @ (q.pw * (q.y - q.mu) / q.V), [PW, OFF, BOTH]),
    ("score", "no_prior_weights", lambda q: q.X.T @ (q.d / q.V * (q.y - q.mu)),
     [PW, "ships rates", BOTH]),
    ("score", "sign", lambda q: q.X.T @ (q.pw * q.d / q.V * (q.mu - q.y)), [PW, OFF, BOTH]),
    # the deviance
    ("deviance", "nansum", nansum_deviance, ["ships", "ships rates"]),
    ("deviance", "no_factor_two", lambda q: right_deviance(q) / 2,
     [PW, OFF, "ships rates", BOTH]),
    ("deviance", "no_linear_term",
     lambda q: 2 * np.sum(q.pw * special.xlogy(q.y, q.y / q.mu)), [OFF, "ships", "ships rates"]),
    ("deviance", "minus_two_loglik", lambda q: -2 * binomial_loglik(q), [PW, BOTH]),
    ("deviance", "minus_two_loglik", lambda q: -2 * poisson_loglik(q), [OFF, "ships"]),
    ("deviance", "no_prior_weights", lambda q: right_deviance(unit_weights(q)),
     [PW, "ships rates", BOTH]),
    ("deviance", "sign", lambda q: -right_deviance(q), [PW, OFF, "ships rates", BOTH]),
]

#: The (exercise, mistake) pairs that cannot be named on BOTH, and why. They are named on
#: the Poisson states instead: with prior weights on "ships rates", with an offset on
#: "ships" (nansum needs zero counts) and "doctors".
NOT_ON_BOTH = {
    ("deviance", "nansum"): "a Poisson mistake (y log y at y = 0); BOTH is binomial",
    ("deviance", "no_linear_term"): "a Poisson mistake (the -(y - mu) term); BOTH is binomial",
}

#: Fragments of each right answer's formula (spaces, ·, * and ^ dropped; see `squeeze`)
#: that no hint may contain, neither a mistake's hint nor the exercise's general nudge.
SOLUTIONS = {
    "working weights": ["/(V(μ)g'(μ)²)", "/(V(μ)g'(μ)2)", "(dμ/dη)²/V(μ)", "(dμ/dη)2/V(μ)",
                        "V(μ)g'(μ)2", "V(μ)g'(μ)²", "oneoverthat"],
    "working response": ["η+(y-μ)g'(μ)", "η+(y-μ)/(dμ/dη)", "g(μ)+(y-μ)g'(μ)"],
    "IRLS step": ["(X'WX)", "X'WX", "X'W(z-offset)", "isz-offset", "targetisz-offset",
                  "X.T@(w[:,None]X)", "sqrt(w)-scaled"],
    "score": ["dμ/dη/V(μ)", "(dμ/dη)/V(μ)", "X'diag(", "priorweightdμ/dη"],
    "deviance": ["2Σ", "2sum", "ylog(y/μ)-(y-μ)"],
}


def squeeze(text):
    t = text.replace("′", "'").replace("−", "-").replace("mu", "μ").replace("eta", "η")
    return "".join(ch for ch in t if not ch.isspace() and ch not in "·*^")


def test_the_mistake_table_tests_every_mistake_the_package_names():
    tested = {(ex, name) for ex, name, _, _ in MISTAKES}
    named = {(ex, m.name) for ex, factory in exercises.EXERCISES.items() if ex in ONE_STATE
             for m in factory(1).mistakes}
    assert tested == named


def test_every_mistake_is_tried_on_states_with_prior_weights_and_an_offset():
    """No exemptions: every mistake is named on a state with prior weights and on one with
    an offset, and every mistake but those of NOT_ON_BOTH on the state that has both."""
    offset_states = {n for n in exercises.STATES if np.any(catalogue_state(n).problem.offset)}
    weighted = {n for n in exercises.STATES
                if not np.allclose(catalogue_state(n).problem.prior_weights, 1)}
    assert offset_states == {"doctors", "ships", BOTH}
    assert weighted == {PW, "ships rates", BOTH}
    assert offset_states & weighted == {BOTH}
    assert not catalogue_state(BOTH).problem.family.is_canonical
    tried: dict[tuple[str, str], set[str]] = {}
    for ex, name, _, states in MISTAKES:
        tried.setdefault((ex, name), set()).update(states)
    assert not {key for key, states in tried.items() if not states & weighted}
    assert not {key for key, states in tried.items() if not states & offset_states}
    assert {key for key, states in tried.items() if BOTH not in states} == set(NOT_ON_BOTH)


@pytest.mark.parametrize(("exercise", "mistake"), list(NOT_ON_BOTH))
def test_the_mistakes_not_tried_on_both_cannot_be_named_there(exercise, mistake):
    state = catalogue_state(BOTH)
    (m,) = [m for m in exercises.EXERCISES[exercise](1).mistakes if m.name == mistake]
    assert state.problem.family.name == "binomial" and not m.applies(state)


@pytest.mark.parametrize(("exercise", "mistake", "answer", "state_name"), [
    pytest.param(ex, name, answer, st, id=f"{ex}-{name}-{st}")
    for ex, name, answer, states in MISTAKES for st in states])
def test_each_mistake_is_named(exercise, mistake, answer, state_name):
    state = catalogue_state(state_name)
    q = learner(state)
    wrong = answer(q)
    assert GRADERS[exercise](RIGHT[exercise](q), state)  # the right answer passes here
    fb = GRADERS[exercise](wrong, state)
    assert fb.correct is False and fb.mistake == mistake, (state_name, fb)
    assert "np.float64(" not in str(fb) and "array(" not in str(fb)
    hint = squeeze(fb.message)
    for fragment in SOLUTIONS[exercise]:
        assert squeeze(fragment) not in hint, (mistake, fragment)


@pytest.mark.parametrize("exercise", ONE_STATE)
def test_no_hint_contains_the_solution(exercise):
    ex = exercises.EXERCISES[exercise](1)
    # the general nudge, as printed for an answer that matches no mistake
    nudge = ex.check(np.asarray(ex.expected(ex.state), dtype=float) * 1.37 + 0.1)
    assert nudge.mistake is None and ex.hint in nudge.message
    hints = {m.name: m.hint for m in ex.mistakes} | {"ex.hint": ex.hint,
                                                     "nudge": nudge.message}
    for name, text in hints.items():
        hint = squeeze(text)
        for fragment in SOLUTIONS[exercise]:
            assert squeeze(fragment) not in hint, (name, fragment)
        # only terms the lessons define
        for term in ("delta method", "observed information", "Pearson"):
            assert term not in text, (name, term)


@pytest.mark.parametrize("exercise", ONE_STATE)
def test_the_nudge_points_to_the_ingredients_and_a_lesson(exercise):
    """The general hint names quantities the exercise hands out and a lesson section."""
    ex = exercises.EXERCISES[exercise](1)
    assert "Lesson " in ex.hint and "'" in ex.hint  # a lesson and a quoted section title
    given = [k for k in ex.given if k != "family" and k in ex.hint]
    assert len(given) >= 2, (exercise, given)
    # every quoted section title is a heading of the lessons
    headings = set()
    for path in sorted(LESSONS.glob("0[1-7]-*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                headings |= {line.lstrip("#").strip() for line in "".join(cell["source"])
                             .splitlines() if line.startswith("#")}
    titles = re.findall(r"(?:^|[\s(])'([A-Z][^']*)'", ex.hint)
    assert titles and set(titles) <= headings, (exercise, set(titles) - headings)


@pytest.mark.parametrize("iteration", [1, 3])
@pytest.mark.parametrize("state_name", list(exercises.STATES))
@pytest.mark.parametrize("exercise", ONE_STATE)
def test_right_answers_pass_on_every_state(exercise, state_name, iteration):
    state = catalogue_state(state_name, iteration)
    fb = GRADERS[exercise](RIGHT[exercise](learner(state)), state)
    assert fb, fb


def test_the_order_names_the_single_slip_where_two_coincide():
    # Unit prior weights: V(mu) is "variance_only", not "... and forgot the prior weights".
    q = learner(catalogue_state("challenger probit"))
    assert exercises.grade_working_weights(q.V, catalogue_state("challenger probit")).mistake \
        == "variance_only"
    assert exercises.grade_score(q.X.T @ (q.y - q.mu),
                                 catalogue_state("challenger probit")).mistake == "canonical_form"
    # A canonical link with prior weights: V(mu) is right up to the forgotten prior weights.
    s = catalogue_state("ships rates")
    assert exercises.grade_working_weights(s.mu, s).mistake == "no_prior_weights"
    # No offset: OLS on z is just "unweighted".
    s = catalogue_state(PW)
    assert exercises.grade_irls_step(np.linalg.lstsq(s.problem.X, s.z, rcond=None)[0],
                                     s).mistake == "unweighted"


def test_poisson_only_mistakes_stay_silent_on_a_binomial_state():
    s = catalogue_state(PW)
    ex = exercises.EXERCISES["deviance"](1)
    poisson_only = [m for m in ex.mistakes if m.name in ("nansum", "no_linear_term")]
    assert len(poisson_only) == 2 and not any(m.applies(s) for m in poisson_only)


def test_feedback_prints_plain_numbers():
    s = catalogue_state("ships")
    fb = exercises.grade_deviance(np.float64("nan"), s)
    assert fb.mistake == "not_finite" and "(nan)" in fb.message
    w = np.array(s.w, dtype=float)
    w[2] = np.inf
    fb = exercises.grade_working_weights(w, s)
    assert "at index 2 (inf)" in fb.message
    for msg in (str(fb), str(exercises.grade_deviance(np.float32(0.25), s)),
                str(exercises.grade_score(np.asarray(s.score) + 1, s))):
        assert "np.float" not in msg and "array(" not in msg


def test_irls_step_task_says_the_check_cannot_see_how():
    task = exercises.exercise_irls_step().task
    assert "n×n" in task and "cannot tell" in task
