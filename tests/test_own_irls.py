"""The own-IRLS exercise: a whole loop written by a learner, checked iteration by iteration.

The learner's loop below is written from the textbook formulas for the two families the
exercise draws (log link: mu = exp(eta), w = mu; logit link: mu = expit(eta),
w = mu (1 - mu)), not from glmlearn's functions, so a pass means the check accepts an
honest loop. Each slip is put into that loop at one iteration and must be reported there,
at the right quantity, with its own hint. R's glm.fit (run by the test) confirms that
the problems drawn are the fits glmlearn's reference states converge to.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from scipy.special import expit, logit

from glmlearn import GLMInputError, exercises
from glmlearn.exercises import LoopFeedback

FAMILIES = ("poisson", "binomial")


def means(family, eta):
    return np.exp(eta) if family == "poisson" else expit(eta)


def variance(family, mu):
    return mu if family == "poisson" else mu * (1 - mu)


def deviance(family, y, mu):
    if family == "poisson":
        ylogy = np.where(y > 0, y * np.log(np.where(y > 0, y, 1) / mu), 0.0)
        return 2 * np.sum(ylogy - (y - mu))
    return -2 * np.sum(y * np.log(mu) + (1 - y) * np.log(1 - mu))


def learner_loop(ex, *, slip=None, at=0, record=("beta", "mu", "w", "z"), stop=True,
                 max_iter=25):
    """A learner's IRLS loop on ``ex.given``; ``slip`` from iteration ``at`` on."""
    g = ex.given
    fam = g["family"].name
    X, y, offset = g["X"], g["y"], g["offset"]
    beta = np.array(g["start"], dtype=float)
    trace, d_old = [], None
    for k in range(max_iter):
        bad = slip is not None and k >= at
        eta = X @ beta + (0 if bad and slip == "no_offset_eta" else offset)
        mu = means(fam, eta)
        w = variance(fam, mu)  # canonical links: w = V(mu) = dmu/deta
        if bad and slip == "inverse_w":
            w = 1 / w
        z = eta + (y - mu) / variance(fam, mu)
        if bad and slip == "z_without_eta":
            z = (y - mu) / variance(fam, mu)
        entry = {"beta": beta, "eta": eta, "mu": mu, "w": w, "z": z}
        trace.append({q: entry[q] for q in record})
        d = deviance(fam, y, mu)
        if stop and d_old is not None and abs(d - d_old) / (abs(d) + 0.1) < g["tol"]:
            break
        d_old = d
        target = z if bad and slip == "offset_in_target" else z - offset
        if bad and slip == "unweighted":
            w = np.ones_like(w)
        if not (bad and slip == "not_updated"):
            beta = np.linalg.solve(X.T @ (w[:, None] * X), X.T @ (w * target))
    return trace


@pytest.fixture(scope="module", params=FAMILIES)
def ex(request):
    return exercises.exercise_own_irls("ana", family=request.param)


@pytest.fixture(scope="module")
def pois():
    return exercises.exercise_own_irls("ana")


# --- a right loop passes, in every form it may be handed in ---------------------------------


def test_a_right_loop_passes(ex):
    fb = ex.check(learner_loop(ex))
    assert fb and fb.correct is True and fb.iteration is None and fb.quantity is None, fb
    assert isinstance(fb, LoopFeedback) and "mu, w, z checked" in str(fb)


def test_beta_alone_a_2d_array_and_a_generator_pass_too(ex):
    betas = [e["beta"] for e in learner_loop(ex)]
    assert ex.check(betas) and ex.check(np.array(betas))
    assert ex.check(e for e in learner_loop(ex, record=("beta", "eta", "w")))
    assert "record mu, w and z too" in ex.check(betas).message


def test_a_loop_that_runs_past_convergence_passes(ex):
    trace = learner_loop(ex, stop=False)
    assert len(trace) == 25 > len(ex.states)
    assert ex.check(trace), ex.check(trace)


def test_untouched_skeleton_is_not_answered_yet(ex):
    assert ex.check(...).correct is None and "not answered yet" in str(ex.check(...))
    skeleton = [{"beta": ex.given["start"], "mu": ..., "w": ..., "z": ...}, {"beta": ...}]
    assert ex.check(skeleton).correct is None
    assert ex.name == "own IRLS" and exercises.EXERCISES["own IRLS"] is exercises.exercise_own_irls


# --- a slip is reported at its iteration and quantity, with its hint -------------------------


def test_weights_wrong_from_iteration_2_is_iteration_2_w(ex):
    fb = ex.check(learner_loop(ex, slip="inverse_w", at=2))
    assert fb.correct is False and (fb.iteration, fb.quantity) == (2, "w"), fb
    assert fb.mistake == "inverse_variance"
    assert str(fb).startswith("✗ not yet: iteration 2, w: ")
    assert "1/V(μ)" in fb.message


@pytest.mark.parametrize(("slip", "at", "quantity", "mistake"), [
    ("z_without_eta", 1, "z", "residual_only"),
    ("offset_in_target", 2, "beta", "offset_in_target"),
    ("unweighted", 1, "beta", "unweighted"),
    ("not_updated", 1, "beta", "not_updated"),
    ("no_offset_eta", 3, "eta", "no_offset"),
])
def test_each_loop_slip_is_named_where_it_first_shows(pois, slip, at, quantity, mistake):
    record = ("beta", "eta", "mu", "w", "z")
    fb = pois.check(learner_loop(pois, slip=slip, at=at, record=record))
    # a slip in the regression of iteration k shows in the beta of iteration k + 1
    shows_at = at + 1 if quantity == "beta" else at
    assert (fb.iteration, fb.quantity, fb.mistake) == (shows_at, quantity, mistake), fb
    assert f"iteration {shows_at}, {quantity}: " in str(fb)


def test_without_eta_recorded_a_forgotten_offset_shows_in_mu(pois):
    fb = pois.check(learner_loop(pois, slip="no_offset_eta", at=0))
    assert (fb.iteration, fb.quantity, fb.mistake) == (0, "mu", "no_offset"), fb
    assert "offset" in fb.message


def test_weights_of_the_previous_iteration_are_named(pois):
    trace = learner_loop(pois)
    lagged = [dict(e) for e in trace]
    for k in range(1, len(trace)):
        lagged[k]["w"] = trace[k - 1]["w"]
    fb = pois.check(lagged)
    assert (fb.iteration, fb.quantity, fb.mistake) == (1, "w", "previous_iteration"), fb


def test_a_wrong_start_and_a_missing_start(pois):
    trace = learner_loop(pois)
    fb = pois.check(trace[1:])
    assert (fb.iteration, fb.quantity, fb.mistake) == (0, "beta", "skipped_start"), fb
    moved = [{"beta": np.ones(3)}, *trace[1:]]
    fb = pois.check(moved)
    assert (fb.iteration, fb.quantity, fb.mistake) == (0, "beta", "start"), fb
    assert "ex.given['start']" in fb.message


def test_no_hint_reveals_the_reference_numbers(pois):
    fb = pois.check(learner_loop(pois, slip="inverse_w", at=2))
    final = pois.states[-1]
    for v in (*np.asarray(final.beta), *np.asarray(pois.states[2].w)[:3]):
        assert f"{v:.4f}" not in fb.message and f"{v:.3g}" not in fb.message


# --- bad submissions get clear messages --------------------------------------------------------


def test_too_few_iterations(pois):
    fb = pois.check(learner_loop(pois)[:3])
    assert fb.correct is False and fb.mistake == "too_few_iterations" and fb.iteration == 2
    assert "stopped" in fb.message and "tol" in fb.message and "criterion" in fb.message


def test_wrong_shapes_nan_and_unreadable_traces(pois):
    trace = [dict(e) for e in learner_loop(pois)]
    trace[1]["w"] = trace[1]["w"][:, None]
    fb = pois.check(trace)
    assert (fb.iteration, fb.quantity, fb.mistake) == (1, "w", "shape") and "(30, 1)" in str(fb)
    trace = [dict(e) for e in learner_loop(pois)]
    trace[2]["beta"] = trace[2]["beta"][:2]
    fb = pois.check(trace)
    assert (fb.iteration, fb.quantity, fb.mistake) == (2, "beta", "shape"), fb
    trace = [dict(e) for e in learner_loop(pois)]
    trace[3]["mu"] = trace[3]["mu"].copy()
    trace[3]["mu"][4] = np.nan
    fb = pois.check(trace)
    assert (fb.iteration, fb.quantity, fb.mistake) == (3, "mu", "not_finite")
    assert "index 4 (nan)" in fb.message
    for bad, mistake, words in [
        (3.0, "not_a_trace", "float"), ("beta", "not_a_trace", "str"),
        ({"beta": np.zeros(3)}, "not_a_trace", "one dict"), ([], "empty", "empty"),
        (np.zeros(3), "shape", "(3,)"), ([{"mu": np.ones(30)}], "no_beta", "'beta'"),
        ([{"beta": np.zeros(3), "W": 1}], "unknown_key", "'W'"),
        (itertools.repeat(np.zeros(3)), "too_many_iterations", "stop"),
    ]:
        fb = pois.check(bad)
        assert fb.correct is False and fb.mistake == mistake and words in fb.message, (bad, fb)


def test_bad_arguments_are_refused():
    with pytest.raises(GLMInputError, match="student_id: must be a non-empty text"):
        exercises.exercise_own_irls("  ")
    with pytest.raises(GLMInputError, match="student_id"):
        exercises.exercise_own_irls(None)
    with pytest.raises(GLMInputError, match="family: must be one of 'poisson', 'binomial'"):
        exercises.exercise_own_irls("ana", family="gamma")


# --- one problem per learner, the same every time ----------------------------------------------


def test_ids_give_different_but_reproducible_problems():
    a1, a2, b = (exercises.exercise_own_irls(s) for s in ("ana", "ana", "bob"))
    assert np.array_equal(a1.given["y"], a2.given["y"])
    assert np.array_equal(a1.given["X"], a2.given["X"])
    assert not np.array_equal(a1.given["y"], b.given["y"])
    assert a1.given["X"].shape == b.given["X"].shape == (30, 3)  # the same kind of problem
    assert np.any(a1.given["offset"] != 0)
    # a loop right for ana's problem is wrong for bob's
    assert exercises.exercise_own_irls("ana").check(learner_loop(a1))
    assert not b.check(learner_loop(a1))
    assert exercises.exercise_own_irls(7).student_id == "7"


def test_the_drawn_problems_are_the_fits_of_r(rscript, tmp_path):
    drawn = [exercises.exercise_own_irls(sid, family=f)
             for sid in ("ana", "bob", "s1234567") for f in FAMILIES]
    path = tmp_path / "problems.json"
    path.write_text(json.dumps([
        {"family": e.given["family"].name, "X": e.given["X"].tolist(),
         "y": e.given["y"].tolist(), "offset": e.given["offset"].tolist()} for e in drawn]))
    r = rscript("own_irls.R", path)
    for e, fit in zip(drawn, r, strict=True):
        final = e.states[-1]
        np.testing.assert_allclose(final.beta, fit["coef"], rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(final.deviance, fit["deviance"], rtol=1e-10)
        assert final.iteration == fit["iter"]
        assert e.check(learner_loop(e))  # and an honest loop reproduces them


def test_the_hints_name_lesson_sections():
    ex = exercises.exercise_own_irls("ana")
    assert "lesson 4" in ex.hint and "'One state, its steps by hand'" in ex.hint
    assert "ana" in str(ex) and ex.task
    assert np.allclose(logit(expit(0.3)), 0.3)  # the binomial learner's link is the logit
