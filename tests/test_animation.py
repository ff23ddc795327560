"""Tests of ``glmlearn.animation``: one frame per state, drawn by the plot update functions.

Exports are written to ``tmp_path`` and read back: the GIF's frames are counted with
Pillow, the JSHTML's embedded frames by their ``frames[i] = "data:image/..."`` lines,
and one embedded frame is compared, pixel for pixel, with the explorer figure drawn
directly at that state.
"""

from __future__ import annotations

import base64
import io
import itertools
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.animation import FuncAnimation
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image, ImageSequence
from scipy.special import expit

import glmlearn
from glmlearn import animation as ga
from glmlearn import plot as gp
from glmlearn.plot import _jshtml

# Small, fast exports: two panels, low resolution.
SMALL = {"panels": ("fit", "deviance"), "figsize": (6.0, 2.6), "dpi": 40}


@pytest.fixture(scope="module")
def logistic() -> glmlearn.GLMResult:
    rs = np.random.RandomState(42)
    hours = rs.uniform(1, 10, 200)
    passed = rs.binomial(1, expit(-3 + 0.8 * hours))
    return glmlearn.fit(np.column_stack([np.ones(200), hours]), passed, "binomial")


def test_animate_trace_has_one_frame_per_state(logistic: glmlearn.GLMResult) -> None:
    anim = ga.animate_trace(logistic, ("deviance",), dpi=30)
    assert isinstance(anim, FuncAnimation)
    assert len(list(anim.new_frame_seq())) == len(logistic.trace)
    panels = anim.panels  # type: ignore[attr-defined]
    dev = panels["deviance"]
    # frame k is update_all to state k
    for k in (4, 1):
        anim._func(k)  # the frame function FuncAnimation calls
        np.testing.assert_array_equal(dev.marker.get_xydata(),
                                      [[k, logistic.trace[k].deviance]])
    anim._draw_was_started = True  # not played here; silences matplotlib's "never rendered"


def test_save_gif(logistic: glmlearn.GLMResult, tmp_path: object) -> None:
    path = ga.save_gif(logistic, tmp_path / "irls.gif", fps=4, **SMALL)  # type: ignore[operator]
    assert path.exists() and path.stat().st_size > 0
    with Image.open(path) as im:
        assert im.format == "GIF"
        assert im.n_frames == len(logistic.trace)
        assert im.size == (240, 104)  # 6 x 2.6 inches at 40 dpi
        assert im.info.get("loop") == 0  # plays for ever
        assert im.info.get("duration") == 250  # 4 frames per second
        frames = [np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(im)]
    # consecutive frames differ: each shows another state
    assert all(not np.array_equal(a, b) for a, b in itertools.pairwise(frames))


def test_save_gif_loop_count(logistic: glmlearn.GLMResult, tmp_path: object) -> None:
    path = ga.save_gif(logistic.trace[:3], tmp_path / "once.gif", loop=1,  # type: ignore[operator]
                       panels=("deviance",), figsize=(3.0, 2.0), dpi=30)
    with Image.open(path) as im:
        assert im.n_frames == 3
        assert im.info.get("loop") == 1


def test_to_html_embeds_every_frame_with_controls(logistic: glmlearn.GLMResult,
                                                  tmp_path: object) -> None:
    html = ga.to_html(logistic, fps=3, hold_last=0, **SMALL)
    assert ga.count_html_frames(html) == len(logistic.trace)
    assert re.search(r"<input[^>]*anim-slider", html)  # the slider
    assert "Play" in html and "Pause" in html  # the buttons
    # self-contained: no CDN stylesheet, and every button shows a symbol of its own
    assert "http" not in html and "font-awesome" not in html and 'class="fa' not in html
    buttons = re.findall(r"<button[^>]*>\s*<span>([^<]+)</span></button>", html)
    assert len(buttons) == 9 and "?" not in buttons and len(set(buttons)) == 9
    out = tmp_path / "irls.html"  # type: ignore[operator]
    out.write_text(f"<html><body>{html}</body></html>", encoding="utf-8")
    assert out.read_text(encoding="utf-8").count("data:image/png;base64,") == len(logistic.trace)

    # Frame k of the export is the explorer figure drawn directly at state k.
    k = 3
    frames = re.findall(r'frames\[(\d+)\] = "data:image/png;base64,([^"]+)"', html)
    assert [int(i) for i, _ in frames] == list(range(len(logistic.trace)))
    exported = np.asarray(Image.open(io.BytesIO(base64.b64decode(frames[k][1]))).convert("RGBA"))
    fig, _ = gp.explorer_figure(logistic, k, panels=SMALL["panels"], figsize=SMALL["figsize"],
                                dpi=SMALL["dpi"])
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    direct = np.asarray(canvas.buffer_rgba())
    assert exported.shape == direct.shape
    np.testing.assert_array_equal(exported, direct)


def test_to_html_refuses_to_drop_frames(logistic: glmlearn.GLMResult,
                                        caplog: pytest.LogCaptureFixture) -> None:
    """matplotlib only logs when it drops frames over its embed limit; to_html raises."""
    with pytest.raises(RuntimeError, match="frames embedded"):
        ga.to_html(logistic.trace[:3], panels=("deviance",), figsize=(3.0, 2.0), dpi=30,
                   embed_limit_mb=0.001, hold_last=0)
    assert "embed_limit" in caplog.text


def test_jshtml_template_is_what_the_rewrite_expects(logistic: glmlearn.GLMResult) -> None:
    """matplotlib's player, unrewritten: a CDN stylesheet, nine known icons, a line per frame."""
    anim = ga.animate_trace(logistic.trace[:3], ("deviance",), figsize=(3.0, 2.0), dpi=30)
    raw = str(anim.to_jshtml(fps=2))
    assert len(_jshtml.FONT_AWESOME.findall(raw)) == 1
    icons = _jshtml.ICON.findall(raw)
    assert len(icons) == 9 and set(icons) == set(_jshtml.ICONS)
    assert _jshtml.count_frames(raw) == ga.count_html_frames(raw) == 3
    page = _jshtml.offline_player(raw)
    assert "font-awesome" not in page and _jshtml.ICON.search(page) is None
    assert _jshtml.count_frames(page) == 3


def test_gif_defaults_are_paced_for_a_class(logistic: glmlearn.GLMResult,
                                            tmp_path: object) -> None:
    """One iteration per second, and the last frame (the fit) held for 3 s."""
    out = ga.save_gif(logistic, tmp_path / "paced.gif", **SMALL)  # type: ignore[operator]
    durations = ga.gif_durations(out)
    assert len(durations) == len(logistic.trace)
    assert durations[:-1] == [1000] * (len(durations) - 1)
    assert durations[-1] == 3000
    fast = ga.save_gif(logistic, tmp_path / "fast.gif", fps=4, hold_last=0,  # type: ignore[operator]
                       **SMALL)
    assert ga.gif_durations(fast) == [250] * len(logistic.trace)


def _html_frames(html: str) -> list[str]:
    return [b for _, b in re.findall(r'frames\[(\d+)\] = "data:image/png;base64,([^"]+)"', html)]


@pytest.mark.parametrize(("fps", "hold_last", "extra"), [(1, 3.0, 2), (2, 3.0, 5), (1, 0.0, 0),
                                                         (4, 0.1, 0)])
def test_html_defaults_are_paced_for_a_class(logistic: glmlearn.GLMResult, fps: float,
                                             hold_last: float, extra: int) -> None:
    """The HTML player gives every frame 1/fps: the last state (the fit) is held by
    embedding it round(hold_last * fps) times; all earlier states once each."""
    states = logistic.trace[:4]
    kw = {"panels": ("deviance",), "figsize": (3.0, 2.0), "dpi": 30}
    html = ga.to_html(states, fps=fps, hold_last=hold_last, default_mode="loop", **kw)
    frames = _html_frames(html)
    assert len(frames) == ga.count_html_frames(html) == len(states) + extra
    assert len(set(frames[:len(states)])) == len(states)  # one frame per state
    assert set(frames[len(states) - 1:]) == {frames[len(states) - 1]}  # the hold repeats it
    interval = re.search(r"new Animation\(frames, img_id, slider_id, ([0-9.]+),", html)
    assert interval is not None and float(interval.group(1)) == 1000 / fps


def test_html_default_is_one_iteration_per_second_then_three_held(
        logistic: glmlearn.GLMResult) -> None:
    html = ga.to_html(logistic.trace[:3], panels=("deviance",), figsize=(3.0, 2.0), dpi=30)
    assert ga.count_html_frames(html) == 3 + 2
    assert re.search(r"new Animation\(frames, img_id, slider_id, 1000(\.0)?,", html)


def test_animation_bad_pacing_is_named(logistic: glmlearn.GLMResult, tmp_path: object) -> None:
    with pytest.raises(glmlearn.GLMInputError, match="hold_last: must be seconds >= 0, got -1"):
        ga.to_html(logistic.trace[:2], panels=("deviance",), hold_last=-1)
    with pytest.raises(glmlearn.GLMInputError, match="fps: must be positive, got 0"):
        ga.save_gif(logistic.trace[:2], tmp_path / "x.gif", fps=0)  # type: ignore[operator]
    with pytest.raises(glmlearn.GLMInputError, match="default_mode: must be 'once'"):
        ga.to_html(logistic.trace[:2], panels=("deviance",), default_mode="bounce")
    with pytest.raises(glmlearn.GLMInputError, match="hold_frames: must be a whole number"):
        ga.animate_trace(logistic.trace[:2], ("deviance",), hold_frames=-2)
