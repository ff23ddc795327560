"""The method race widget, driven from Python under Agg (PNG fallback) and ipympl."""

from __future__ import annotations

import base64
import io
from typing import Any

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from PIL import Image

import glmlearn
from glmlearn.plot.method_race import draw_race
from glmlearn.widgets import MethodRace, method_race, pass_fail

pytestmark = pytest.mark.filterwarnings("ignore:Passing unrecognized arguments:DeprecationWarning")
BACKENDS = ["Agg", "module://ipympl.backend_nbagg"]


@pytest.fixture(params=BACKENDS, ids=["agg", "ipympl"])
def backend(request: pytest.FixtureRequest) -> Any:
    old = matplotlib.get_backend()
    plt.switch_backend(request.param)
    try:
        yield "png" if request.param == "Agg" else "ipympl"
    finally:
        plt.switch_backend(old)


@pytest.fixture(scope="module")
def race_png() -> MethodRace:
    return method_race(backend="png")


def _xy() -> tuple[np.ndarray, np.ndarray]:
    hours, passed = pass_fail()
    return np.column_stack([np.ones_like(hours), hours]), passed


def _shows(race: MethodRace, k: int) -> None:
    """Every method's artists show its state at step k (its last once finished)."""
    art = race.artists
    for m, tr in race.traces.items():
        s = tr[min(k, len(tr) - 1)]
        assert s.beta is not None
        np.testing.assert_allclose(np.ravel(art.currents[m].get_data()), s.beta)
        xs, _ = art.paths[m].get_data()
        assert len(xs) == s.iteration + 1
        gx, gy = art.gap_markers[m].get_data()
        assert gx[0] == s.iteration
        assert gy[0] == pytest.approx(max(s.deviance - art.d_min, art.floor))
    assert race.k == k
    assert art.label.get_text().startswith(f"step {k}: ")


def test_three_methods_from_one_start(race_png: MethodRace) -> None:
    its = race_png.iterations()
    assert its["newton"] < its["fisher"] < 25 < its["gradient"]
    X, y = _xy()
    fam = glmlearn.binomial("probit")
    for m, tr in race_png.traces.items():
        assert all(s.method == m for s in tr)
        assert tr[0].beta is not None and not np.any(tr[0].beta)
        assert tr[-1].converged
        ref = list(glmlearn.irls(X, y, fam, start=[0.0, 0.0], method=m,
                                 max_iter=3000 if m == "gradient" else 25))
        assert len(ref) == len(tr) and ref[-1].deviance == tr[-1].deviance
    assert race_png.artists.steps == its["gradient"]
    assert race_png.slider.max == race_png.play.max == its["gradient"]
    status = race_png.status.value
    assert "not its canonical link" in status and f"in {its['newton']} iterations" in status


def test_controls_move_every_method(backend: str) -> None:
    race = MethodRace(backend=backend)
    assert race.view.mode == backend
    _shows(race, 0)
    race.forward_button.click()
    race.forward_button.click()
    _shows(race, 2)
    assert race.play.value == 2  # the kernel-side link moves Play too
    race.back_button.click()
    _shows(race, 1)
    race.play.value = 40  # Play drives the slider
    _shows(race, 40)  # Fisher and Newton have finished: they stay at their last states
    race.slider.value = race.artists.steps
    race.forward_button.click()  # clipped
    _shows(race, race.artists.steps)
    for _ in range(3):
        race.k = 0
        race.back_button.click()
    _shows(race, 0)
    with pytest.raises(glmlearn.GLMInputError, match=r"k: .*between 0 and"):
        race.k = race.artists.steps + 1
    assert race.errors == []
    if backend == "ipympl":
        assert race.view.widget is race.figure.canvas
    else:
        before = race.view.widget.outputs[0]["data"]["image/png"]
        race.k = 3
        after = race.view.widget.outputs[0]["data"]["image/png"]
        assert after != before and base64.b64decode(after) == race.png()


def test_a_moved_race_equals_a_fresh_drawing(race_png: MethodRace) -> None:
    for k in (5, 0, 120):
        race_png.k = k
        fresh = Figure(figsize=(12.0, 5.0), dpi=80)
        art = draw_race(fresh.subplots(1, 2), race_png.traces, k)
        for m in race_png.traces:
            for name in ("paths", "currents", "gap_markers"):
                got = np.asarray(getattr(race_png.artists, name)[m].get_data(), dtype=float)
                want = np.asarray(getattr(art, name)[m].get_data(), dtype=float)
                np.testing.assert_array_equal(got, want)
        assert race_png.artists.label.get_text() == art.label.get_text()


def test_table_and_saved_picture(race_png: MethodRace) -> None:
    race_png.k = 3
    table = race_png.table.value
    for m in ("fisher", "newton", "gradient"):
        assert f"<th>{m}</th>" in table
    assert "3 of 761" in table or "3 of" in table
    bundle = race_png._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == race_png.widget.model_id
    img = Image.open(io.BytesIO(base64.b64decode(bundle["image/png"])))
    assert img.size == (960, 400)
    assert "glmlearn-state" in bundle["text/html"] and "iterations" in bundle["text/html"]
    assert "glmlearn-method-race" in race_png.widget._dom_classes
    for w, cls in [(race_png.play, "glmlearn-play"), (race_png.slider, "glmlearn-slider"),
                   (race_png.forward_button, "glmlearn-step-forward"),
                   (race_png.back_button, "glmlearn-step-back"),
                   (race_png.table, "glmlearn-table")]:
        assert cls in w._dom_classes


def test_canonical_link_newton_is_fisher() -> None:
    race = MethodRace(link="logit", backend="png")
    its = race.iterations()
    assert its["fisher"] == its["newton"]
    for f, n in zip(race.traces["fisher"], race.traces["newton"], strict=True):
        assert f.deviance == n.deviance
    assert "canonical link: Newton and Fisher scoring are the same method" in race.status.value


def test_bad_arguments() -> None:
    X, y = _xy()
    with pytest.raises(glmlearn.GLMInputError, match=r"X: .*two coefficients.*X has 1 column"):
        MethodRace(X[:, :1], y, backend="png")
    with pytest.raises(glmlearn.GLMInputError,
                       match=r"coefs: index 2 is out of range for the 2 coefficients; the "
                             r"choices are indices 0..1 or the names 'x0', 'x1'"):
        MethodRace(X, y, backend="png", coefs=(0, 2), gradient_max_iter=5)
    with pytest.raises(glmlearn.GLMTypeError, match="interval"):
        MethodRace(interval=0.5, backend="png")  # type: ignore[arg-type]
    fig = Figure()
    trs = {"fisher": list(glmlearn.irls(X, y, "binomial"))}
    with pytest.raises(ValueError, match="starts from R's starting means"):
        draw_race(fig.subplots(1, 2), trs)


def test_race_label_keys_the_tick_only_once_a_method_has_converged(race_png: MethodRace) -> None:
    art = race_png.artists
    race_png.k = 0
    text = art.label.get_text()
    assert "converged" not in text and "✓" not in text
    newton = race_png.traces["newton"]
    race_png.k = len(newton) - 1  # Newton has just converged; gradient ascent has not
    text = art.label.get_text()
    assert f"newton {len(newton) - 1} ✓" in text and text.endswith("(✓ converged)")
    assert f"gradient {len(newton) - 1}," not in text and "gradient" in text
    race_png.k = 0


def test_race_axes_name_the_coefficients(race_png: MethodRace) -> None:
    ax = race_png.artists.ax_path
    assert "(Intercept)" in ax.get_xlabel() and "hours" in ax.get_ylabel()
    X, y = _xy()
    race = method_race(X, y, backend="png", column_names=["one", "study time"])
    assert "one" in race.artists.ax_path.get_xlabel()
    assert "study time" in race.artists.ax_path.get_ylabel()
    plain = method_race(X, y, backend="png", gradient_max_iter=5)
    assert "x1" in plain.artists.ax_path.get_ylabel()
    with pytest.raises(glmlearn.GLMInputError, match="column_names"):
        method_race(X, y, backend="png", column_names=["only one"])


@pytest.fixture(scope="module")
def race3() -> MethodRace:
    """A probit model with three coefficients (two correlated predictors)."""
    rng = np.random.default_rng(7)
    n = 150
    x1 = rng.normal(size=n)
    x2 = 0.5 * x1 + rng.normal(size=n)
    X = np.column_stack([np.ones(n), x1, x2])
    y = (rng.uniform(size=n) < glmlearn.binomial("probit").link_inverse(X @ [0.3, 0.9, -0.6]))
    return method_race(X, y.astype(float), backend="png", column_names=["(Intercept)", "dose",
                                                                        "age"],
                       coefs=("dose", "age"), gradient_max_iter=400)


def test_race_of_three_coefficients_is_a_slice_through_the_mle(race3: MethodRace) -> None:
    """p = 3: one background, the slice with the intercept held at the MLE (Newton's
    converged last state); each value is the family's deviance at that full vector."""
    art = race3.artists
    assert art.coefs == (1, 2)
    ax = art.ax_path
    assert ax.get_xlabel() == "β₁: dose" and ax.get_ylabel() == "β₂: age"
    assert "one slice" in ax.get_title()
    assert "slice: others held at the MLE β̂; paths projected" in art.label.get_text()
    newton = race3.traces["newton"][-1]
    assert newton.converged
    np.testing.assert_array_equal(race3.mle, newton.beta)
    from glmlearn.plot.method_race import race_surface

    surf = race_surface(race3.traces, coefs=(1, 2))
    np.testing.assert_array_equal(surf.at, newton.beta)
    problem = newton.problem
    fam = problem.family
    for a, b in [(0, 0), (10, 40), (30, 30), (59, 7)]:
        beta = np.array(newton.beta, dtype=float)
        beta[1], beta[2] = surf.beta0[b], surf.beta1[a]
        mu = fam.link_inverse(problem.X @ beta)
        direct = float(np.sum(fam.unit_deviance(problem.y, mu)))
        assert surf.deviance[a, b] == pytest.approx(direct, rel=1e-12)
    # the paths are the projections of every method's iterates
    for m, tr in race3.traces.items():
        np.testing.assert_array_equal(art.points[m], [np.asarray(s.beta)[[1, 2]] for s in tr])
    race3.k = 3
    for m, tr in race3.traces.items():
        s = tr[min(3, len(tr) - 1)]
        np.testing.assert_array_equal(np.ravel(art.currents[m].get_data()),
                                      np.asarray(s.beta)[[1, 2]])
    assert race3.errors == []


def test_race_of_three_coefficients_equals_a_fresh_drawing(race3: MethodRace) -> None:
    race3.k = 5
    fig = Figure()
    fresh = draw_race(fig.subplots(1, 2), race3.traces, 5, coefs=(1, 2))
    art = race3.artists
    assert fresh.label.get_text() == art.label.get_text()
    for m in race3.traces:
        np.testing.assert_array_equal(fresh.paths[m].get_xydata(), art.paths[m].get_xydata())
    assert fresh.ax_path.get_xlim() == art.ax_path.get_xlim()


def test_race_frames_are_blitted_and_equal_a_full_draw() -> None:
    """The race renders only what moves over a picture of the rest made once, with the
    same pixels as a full drawing of a fresh figure at that step."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    race = method_race(backend="png", gradient_max_iter=120)
    assert race.view.frames is not None
    for k in [3, 40, 0, 7]:
        race.k = k
        got = np.asarray(Image.open(io.BytesIO(race.png())).convert("RGBA"))
        fresh = Figure(figsize=(12.0, 5.0), dpi=80)
        axes = fresh.subplots(1, 2)
        draw_race(axes, race.traces, k)
        fresh.set_layout_engine("constrained")
        from glmlearn.plot._freeze import freeze_layout

        freeze_layout(fresh)
        canvas = FigureCanvasAgg(fresh)
        canvas.draw()
        np.testing.assert_array_equal(got, np.asarray(canvas.buffer_rgba()))
    assert race.view.frames.backgrounds == 1
    # the legend is static: drawn once in the background, not in every frame
    legend = race.artists.ax_path.get_legend()
    assert legend not in race.view.frames._frame
