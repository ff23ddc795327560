"""The hands-on widget renders an action's changes only, and the picture is the full draw.

After every action of a sequence (β set by a click and by the boxes, IRLS run, the
slider, a point picked, dragged and dropped, the data put back) the canvas holds what
the frame renderer made: each panel's static picture kept or made again alone, the
moving artists drawn over it. It is compared, pixel for pixel (no tolerance), with

* a full draw of the same figure (``FigureCanvasAgg.draw``, every artist drawn), and
* at the end, the same state drawn from scratch: every panel cleared with ``ax.cla()``
  and drawn again, then the whole figure rendered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
from matplotlib.backend_bases import MouseEvent
from matplotlib.backends.backend_agg import FigureCanvasAgg

import glmlearn
from glmlearn.datasets import load
from glmlearn.widgets import HandsOn, hands_on
from glmlearn.widgets._hands_on_frames import ActionFrames

pytestmark = pytest.mark.filterwarnings("ignore:Passing unrecognized arguments:DeprecationWarning")

COUNTS_Y = np.array([2.0, 1.0, 4.0, 3.0, 6.0, 5.0, 9.0, 8.0, 13.0, 12.0])


def challenger_widget(dpi: float = 40) -> HandsOn:
    ds = load("challenger")
    temp, damage = ds["temperature"].astype(float), ds["damage"].astype(float)
    result = glmlearn.fit(np.column_stack([np.ones(temp.size), temp]), damage, "binomial",
                          column_names=["(Intercept)", "temperature"])
    return hands_on(result, start=(10.0, -0.15), backend="png", dpi=dpi)


def counts3_widget() -> HandsOn:
    X = np.column_stack([np.ones(10), np.arange(1.0, 11.0), np.tile([0.0, 1.0], 5)])
    return hands_on(glmlearn.fit(X, COUNTS_Y, "poisson"), start=(0.0, 0.0, 0.3),
                    backend="png", dpi=40)


def press(w: HandsOn, panel: str, x: float, y: float, name: str = "button_press_event") -> None:
    px, py = w.panels[panel].ax.transData.transform((x, y))
    w.figure.canvas.callbacks.process(name, MouseEvent(name, w.figure.canvas, px, py, button=1))


def shown(w: HandsOn) -> np.ndarray:
    return np.asarray(w.figure.canvas.buffer_rgba()).copy()


def full_draw(w: HandsOn) -> np.ndarray:
    """The figure as it is, every artist drawn by one ``canvas.draw()``; the frame
    renderer's kept pictures are left alone (the next frame restores its own)."""
    frames = w.view.frames
    assert isinstance(frames, ActionFrames)
    for a in frames._moving:
        a.set_animated(False)
    try:
        FigureCanvasAgg.draw(w.figure.canvas)
        return shown(w)
    finally:
        for a in frames._moving:
            a.set_animated(True)


def from_scratch(w: HandsOn) -> np.ndarray:
    """The state shown, drawn again from ``ax.cla()`` and rendered whole."""
    w._incremental = False
    try:
        w._draw(w.trace, w.iteration, w._kind)
        assert w.view.frames is None  # a full canvas.draw(), no frames
        return shown(w)
    finally:
        w._incremental = True
        w._draw(w.trace, w.iteration, w._kind)


def assert_same(a: np.ndarray, b: np.ndarray, where: str) -> None:
    assert a.shape == b.shape, where
    differ = np.any(a != b, axis=2)
    assert not differ.any(), (where, int(differ.sum()), "pixels differ")


def challenger_actions(w: HandsOn) -> list[tuple[str, Callable[[], Any]]]:
    ds = load("challenger")
    temp, damage = ds["temperature"].astype(float), ds["damage"].astype(float)
    i = int(np.argmax(temp))
    return [
        ("click β", lambda: press(w, "path", 12.0, -0.2)),
        ("β boxes", lambda: setattr(w.beta0_box, "value", 8.0)),
        ("run IRLS", lambda: w.run_button.click()),
        ("slider", lambda: setattr(w.slider, "value", 2)),
        ("pick a point", lambda: press(w, "fit", temp[3], damage[3])),
        ("release", lambda: press(w, "fit", temp[3], damage[3], "button_release_event")),
        ("drag", lambda: (press(w, "fit", temp[i], 0.0),
                          press(w, "fit", temp[i], 0.9, "motion_notify_event"))),
        ("drop: refit", lambda: press(w, "fit", temp[i], 0.9, "button_release_event")),
        ("slider back", lambda: setattr(w.slider, "value", 1)),
        ("click β again", lambda: press(w, "path", 14.0, -0.22)),
        ("reset data", lambda: w.reset_button.click()),
    ]


def test_every_action_renders_what_a_full_draw_does() -> None:
    w = challenger_widget()
    frames = w.view.frames
    assert isinstance(frames, ActionFrames)
    for what, act in challenger_actions(w):
        act()
        assert w.view.frames is frames, what  # one renderer all along
        assert_same(shown(w), full_draw(w), what)
    assert w.refits == 2 and len(w.trace) > 1 and w.errors == []
    assert_same(shown(w), from_scratch(w), "from scratch")
    # the whole static picture was made once; after that, single panels
    assert frames.backgrounds == 1 and frames.panels_drawn > 0


def test_a_slice_renders_what_a_full_draw_does() -> None:
    w = counts3_widget()
    steps = [("click β", lambda: press(w, "path", 0.5, 0.2)),
             ("run IRLS", lambda: w.run_button.click()),
             ("slider", lambda: setattr(w.slider, "value", 2)),
             ("type y", lambda: w.set_response(4, 10.0))]
    for what, act in steps:
        act()
        assert_same(shown(w), full_draw(w), what)
    assert_same(shown(w), from_scratch(w), "from scratch")
    assert w.errors == []


def test_an_action_draws_only_the_panels_whose_frame_changed() -> None:
    w = challenger_widget(dpi=80)  # the widget's own size: its panels' margins apart
    frames = w.view.frames
    assert isinstance(frames, ActionFrames)
    before = frames.panels_drawn
    w.slider.value = 0
    w.select(3)  # only the marks move: no panel's static picture is made again
    assert frames.panels_drawn == before and frames.backgrounds == 1
    press(w, "path", 12.0, -0.2)
    # the surface and its contours are the same: the path panel's picture is kept
    assert frames.panels_drawn - before < 4
    path_ax = w.panels["path"].ax
    assert frames._keys_drawn[path_ax] == frames._keys_wanted[path_ax]
    contours = w.panels["path"].contours
    assert not contours.get_animated()  # in the kept picture, not drawn per frame
    assert w.panels["fit"].curve.get_animated()  # drawn per frame


def test_an_error_is_shown_and_the_next_action_works(monkeypatch: pytest.MonkeyPatch) -> None:
    w = challenger_widget()
    frames = w.view.frames
    assert isinstance(frames, ActionFrames)
    real = frames._capture_some
    calls = {"n": 0}

    def broken_once(changed: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("rendering failed")
        real(changed)

    monkeypatch.setattr(frames, "_capture_some", broken_once)
    w.beta0_box.value = 9.0  # a guarded callback: the error is caught and shown
    assert len(w.errors) == 1 and "rendering failed" in w.status.value
    assert "glmlearn-error" in w.status.value
    w.beta1_box.value = -0.12  # the widget is still usable
    assert len(w.errors) == 1 and "rendering failed" not in w.status.value
    assert np.allclose(w.beta, [9.0, -0.12])
    assert_same(shown(w), full_draw(w), "after the error")
