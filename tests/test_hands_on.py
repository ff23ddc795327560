"""The hands-on widget, driven from Python with synthetic mouse events (no browser).

The events are matplotlib's own ``MouseEvent`` objects, made at the pixel where a
learner would press (computed from the panel's data transform) and handed to the
canvas' callback registry, as ipympl does with the browser's mouse events. After each
one the test reads what the fit panel draws (the curve's y data) and compares it with
the mean curve written out here from the β that should be shown (the logistic curve
``expit(b0 + b1 x)``), and compares the refit, the hat values and the point's numbers
with R's ``glm()`` and ``hatvalues()`` run by the test (``tests/r/hands_on.R``).
"""

from __future__ import annotations

import json
from typing import Any

import matplotlib
import numpy as np
import pytest
from scipy.special import expit

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.backend_bases import MouseEvent

import glmlearn
from glmlearn import GLMInputError, GLMTypeError
from glmlearn.datasets import load
from glmlearn.widgets import HandsOn, hands_on, leverage

pytestmark = pytest.mark.filterwarnings("ignore:Passing unrecognized arguments:DeprecationWarning")

SMALL_X = np.arange(1.0, 9.0)
SMALL_Y = np.array([0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0])
COUNTS_X = np.arange(1.0, 11.0)
COUNTS_Y = np.array([2.0, 1.0, 4.0, 3.0, 6.0, 5.0, 9.0, 8.0, 13.0, 12.0])
#: Two predictors for the counts: x and a 0/1 group (three coefficients).
TWO_X = np.column_stack([COUNTS_X, np.tile([0.0, 1.0], 5)])


def design(x: np.ndarray) -> np.ndarray:
    return np.column_stack([np.ones(x.size), x])


def challenger() -> tuple[np.ndarray, np.ndarray]:
    ds = load("challenger")
    return ds["temperature"].astype(float), ds["damage"].astype(float)


@pytest.fixture(scope="module")
def r_fits(rscript: Any, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """R's glm() of the cases the tests make, in this order."""
    temp, damage = challenger()
    flipped = damage.copy()
    flipped[int(np.argmax(temp))] = 1.0  # the warmest flight, dragged up to "damaged"
    cases = [("binomial", temp, damage), ("binomial", temp, flipped),
             ("poisson", COUNTS_X, COUNTS_Y), ("poisson", TWO_X, COUNTS_Y)]
    path = tmp_path_factory.mktemp("hands_on") / "cases.json"
    path.write_text(json.dumps([{"family": f, "x": x.tolist(), "y": y.tolist()}
                                for f, x, y in cases]))
    return list(rscript("hands_on.R", path))


@pytest.fixture
def widget() -> HandsOn:
    temp, damage = challenger()
    result = glmlearn.fit(design(temp), damage, "binomial",
                          column_names=["(Intercept)", "temperature"])
    return hands_on(result, start=(10.0, -0.15), backend="png", dpi=40)


def press(w: HandsOn, panel: str, x: float, y: float, name: str = "button_press_event"
          ) -> MouseEvent:
    """A left-button mouse event at the data point (x, y) of a panel, dispatched."""
    px, py = w.panels[panel].ax.transData.transform((x, y))
    event = MouseEvent(name, w.figure.canvas, px, py, button=1)
    w.figure.canvas.callbacks.process(name, event)
    return event


def curve_shows(w: HandsOn, beta: np.ndarray) -> bool:
    """The fit panel's curve is the logistic mean curve of ``beta``."""
    line = w.panels["fit"].curve
    grid = np.asarray(line.get_xdata())
    return bool(np.allclose(line.get_ydata(), expit(beta[0] + beta[1] * grid), atol=1e-9))


# --- clicking the surface sets β ---------------------------------------------------------------


def test_a_click_on_the_surface_sets_beta_and_the_fit_follows(widget: HandsOn) -> None:
    target = np.array([12.0, -0.2])
    event = press(widget, "path", *target)
    assert event.inaxes is widget.panels["path"].ax
    # The β set is the point under the mouse (the event's own data coordinates), to a
    # thousandth of each axis' span.
    ax = widget.panels["path"].ax
    spans = [np.ptp(ax.get_xlim()), np.ptp(ax.get_ylim())]
    assert np.all(np.abs(widget.beta - [event.xdata, event.ydata]) <= np.array(spans) / 1000)
    assert np.allclose(widget.beta, target, atol=0.05)
    assert len(widget.trace) == 1 and widget.trace[0].iteration == 0
    assert curve_shows(widget, widget.beta)
    # weights and working response at that β, written out for the logit link
    temp, damage = challenger()
    mu = expit(widget.beta[0] + widget.beta[1] * temp)
    assert np.allclose(widget.panels["weights"].points.get_ydata(), mu * (1 - mu))
    assert np.allclose(widget.state.z, widget.state.eta + (damage - mu) / (mu * (1 - mu)))
    dev = -2 * np.sum(damage * np.log(mu) + (1 - damage) * np.log(1 - mu))
    assert np.isclose(widget.state.deviance, dev)
    text = widget.readout.value
    assert f"β₀ = {widget.beta[0]:.4f}" in text and f"D = {dev:.4f}" in text
    assert "the β you set" in text
    assert (widget.beta0_box.value, widget.beta1_box.value) == tuple(widget.beta)
    assert widget.errors == []


def test_run_irls_from_the_clicked_beta_steps_like_the_explorer(widget: HandsOn,
                                                                r_fits: list[Any]) -> None:
    press(widget, "path", 12.0, -0.2)
    clicked = widget.beta.copy()
    widget.run_button.click()
    assert len(widget.trace) > 3 and np.allclose(widget.trace[0].beta, clicked)
    assert widget.slider.max == len(widget.trace) - 1 and widget.iteration == 0
    np.testing.assert_allclose(widget.trace[-1].beta, r_fits[0]["coef"], rtol=1e-7)
    for k in (1, len(widget.trace) - 1):
        widget.slider.value = k
        assert curve_shows(widget, widget.trace[k].beta)
        assert f"state {k} of {len(widget.trace) - 1}" in widget.readout.value
    assert widget.errors == []


def test_the_beta_boxes_work_without_the_mouse(widget: HandsOn) -> None:
    widget.beta0_box.value = 5.0
    widget.beta1_box.value = -0.1
    assert np.allclose(widget.beta, [5.0, -0.1]) and curve_shows(widget, np.array([5.0, -0.1]))
    assert "need the live figure of %matplotlib widget" in widget.status.value


def test_a_press_outside_the_panels_or_with_another_button_does_nothing(widget: HandsOn) -> None:
    before = widget.beta.copy()
    canvas = widget.figure.canvas
    canvas.callbacks.process("button_press_event",
                             MouseEvent("button_press_event", canvas, 1, 1, button=1))
    px, py = widget.panels["path"].ax.transData.transform((12.0, -0.2))
    canvas.callbacks.process("button_press_event",
                             MouseEvent("button_press_event", canvas, px, py, button=3))
    assert np.array_equal(widget.beta, before) and widget.errors == []


# --- dragging a point refits -----------------------------------------------------------------


def test_dragging_a_point_refits_and_its_weight_and_leverage_change(widget: HandsOn,
                                                                    r_fits: list[Any]) -> None:
    temp, damage = challenger()
    i = int(np.argmax(temp))  # the warmest flight, no damage
    assert damage[i] == 0
    h_before = float(widget.leverage[i])
    press(widget, "fit", temp[i], 0.0)
    assert widget.selected == i and f"point {i}" in widget.point_readout.value
    press(widget, "fit", temp[i], 0.6, "motion_notify_event")
    press(widget, "fit", temp[i], 0.97, "motion_notify_event")
    assert widget.panels["fit"].data.get_ydata()[i] == 1.0  # follows the mouse, snapped
    assert widget.refits == 0  # not before the release
    press(widget, "fit", temp[i], 0.97, "button_release_event")
    assert widget.refits == 1 and widget.y[i] == 1.0
    r = r_fits[1]
    np.testing.assert_allclose(widget.result.beta, r["coef"], rtol=1e-7)
    np.testing.assert_allclose(widget.leverage, r["hat"], rtol=1e-6, atol=1e-12)
    assert not np.isclose(widget.leverage[i], h_before)
    assert curve_shows(widget, widget.trace[-1].beta)  # the picture shows the refit
    assert "refit" in widget.readout.value
    text = widget.point_readout.value
    assert f"leverage h = {r['hat'][i]:.4g}" in text and "y = 1," in text
    assert f"w = {widget.trace[-1].w[i]:.4g}" in text
    widget.reset_button.click()
    assert np.array_equal(widget.y, damage) and widget.refits == 2
    np.testing.assert_allclose(widget.leverage, r_fits[0]["hat"], rtol=1e-6, atol=1e-12)
    assert widget.errors == []


def test_clicking_a_point_reads_it(widget: HandsOn, r_fits: list[Any]) -> None:
    temp, damage = challenger()
    i = 3
    press(widget, "fit", temp[i], damage[i])
    press(widget, "fit", temp[i], damage[i], "button_release_event")
    assert widget.selected == i and widget.refits == 0
    s = widget.state
    mu = expit(s.beta[0] + s.beta[1] * temp[i])
    w = mu * (1 - mu)
    z = s.eta[i] + (damage[i] - mu) / w
    d_i = -2 * (damage[i] * np.log(mu) + (1 - damage[i]) * np.log(1 - mu))
    text = widget.point_readout.value
    for name, v in [("μ", mu), ("w", w), ("z", z), ("deviance contribution", d_i),
                    ("leverage h", r_fits[0]["hat"][i])]:
        assert f"{name} = {v:.4g}" in text, (name, text)
    assert widget.point_box.value == i and widget.y_box.value == damage[i]
    marks = widget._marks
    assert marks[0].get_xdata()[0] == temp[i] and np.isclose(marks[1].get_ydata()[0], w)


def test_typing_a_response_refits_and_a_forbidden_one_is_refused(widget: HandsOn) -> None:
    widget.point_box.value = 2
    widget.y_box.value = 2.0  # not a proportion
    assert widget.refits == 0 and "not allowed" in widget.status.value
    assert widget.y_box.value == widget.y[2]  # the box shows the data again
    widget.y_box.value = 1.0 - widget.y[2]
    assert widget.refits == 1 and widget.errors == []


def test_a_refit_that_separates_is_said_and_the_widget_stays_usable() -> None:
    result = glmlearn.fit(design(SMALL_X), SMALL_Y, "binomial")
    w = hands_on(result, backend="png", dpi=40)
    assert w.set_response(2, 0.0)  # the data separate at x = 4.5 save one point ...
    assert w.set_response(5, 1.0)  # ... and now completely
    assert "SeparationWarning" in w.status.value
    assert "separation" in w.result.flags
    w.set_beta((0.0, 0.0))
    assert curve_shows(w, np.zeros(2)) and w.errors == []


# --- leverage, other families, bad input, the saved picture ----------------------------------


def test_leverage_is_rs_hatvalues(r_fits: list[Any]) -> None:
    temp, damage = challenger()
    np.testing.assert_allclose(leverage(glmlearn.fit(design(temp), damage, "binomial")),
                               r_fits[0]["hat"], rtol=1e-6, atol=1e-12)
    counts = glmlearn.fit(design(COUNTS_X), COUNTS_Y, "poisson")
    np.testing.assert_allclose(leverage(counts), r_fits[2]["hat"], rtol=1e-6, atol=1e-12)
    assert np.isclose(leverage(counts).sum(), 2.0)


def test_poisson_points_snap_to_counts() -> None:
    w = hands_on(glmlearn.fit(design(COUNTS_X), COUNTS_Y, "poisson"), backend="png", dpi=40)
    press(w, "fit", COUNTS_X[4], COUNTS_Y[4])
    press(w, "fit", COUNTS_X[4], 10.4, "motion_notify_event")
    press(w, "fit", COUNTS_X[4], 10.4, "button_release_event")
    assert w.y[4] == 10.0 and w.refits == 1 and w.errors == []


def test_with_three_coefficients_the_surface_is_a_slice(r_fits: list[Any]) -> None:
    X = np.column_stack([np.ones(10), TWO_X])
    w = hands_on(glmlearn.fit(X, COUNTS_Y, "poisson"), start=(0.0, 0.0, 0.3), backend="png", dpi=40)
    event = press(w, "path", 0.5, 0.2)
    assert event.inaxes is w.panels["path"].ax
    assert np.allclose(w.beta, [0.5, 0.2, 0.3], atol=0.01) and w.beta[2] == 0.3  # held
    assert np.array_equal(w.surface.at, w.beta)
    # the slice: the deviance at a grid point, written out for the log link
    s = w.surface
    mu = np.exp(s.beta0[7] + s.beta1[11] * COUNTS_X + 0.3 * TWO_X[:, 1])
    ylogy = np.where(COUNTS_Y > 0, COUNTS_Y * np.log(COUNTS_Y / mu), 0.0)
    assert np.isclose(s.deviance[11, 7], 2 * np.sum(ylogy - (COUNTS_Y - mu)))
    assert "β₂ = 0.3000" in w.readout.value and "held" in w.panels["path"].note
    w.run_button.click()
    np.testing.assert_allclose(w.trace[-1].beta, r_fits[3]["coef"], rtol=1e-7)
    np.testing.assert_allclose(w.leverage, r_fits[3]["hat"], rtol=1e-6, atol=1e-12)
    w.slider.value = 2
    assert np.allclose(w.panels["path"].current.get_xydata()[0], w.trace[2].beta[:2])
    assert w.errors == []


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(GLMInputError, match="result: the deviance surface shows two"):
        hands_on(glmlearn.fit(np.ones((8, 1)), SMALL_Y, "binomial"), backend="png", dpi=40)
    with pytest.raises(GLMTypeError, match="result: expected a GLMResult"):
        hands_on("pass_fail", backend="png", dpi=40)
    with pytest.raises(GLMInputError, match=r"start: expected two numbers \(β₀, β₁\), all finite"):
        hands_on(glmlearn.fit(design(SMALL_X), SMALL_Y, "binomial"), start=(1, 2, 3),
                 backend="png", dpi=40)


def test_the_default_is_lesson_1s_data_and_the_bundle_has_a_picture() -> None:
    w = hands_on(backend="png", dpi=40)
    assert w.problem.n == 200 and np.allclose(w.beta, 0.0)
    assert f"D = {277.2589:.4f}" in w.readout.value  # lesson 4's deviance at β = 0
    bundle = w._repr_mimebundle_()
    assert bundle is not None and "image/png" in bundle
    assert "alt='Hands on the model: the deviance surface" in bundle["text/html"]


def test_under_ipympl_the_canvas_takes_the_mouse() -> None:
    plt.switch_backend("module://ipympl.backend_nbagg")
    try:
        temp, damage = challenger()
        w = hands_on(glmlearn.fit(design(temp), damage, "binomial"), backend="ipympl")
        assert type(w.figure.canvas).__module__ == "ipympl.backend_nbagg"
        assert "need the live figure" not in w.status.value
        w.figure.canvas.draw()
        press(w, "path", 12.0, -0.2)
        assert np.allclose(w.beta, [12.0, -0.2], atol=0.05) and curve_shows(w, w.beta)
        assert w.errors == []
    finally:
        plt.switch_backend("Agg")
