"""The method race in a real JupyterLab and Chromium: does the picture show step k?

``method_race.ipynb`` runs ``%matplotlib widget`` and displays ``method_race()`` (the
probit fit of the simulated exam data by Fisher scoring, Newton-Raphson and gradient
ascent, all from beta = 0). The test clicks the step buttons, presses Play and pauses it,
and after each action compares the ipympl canvas' pixels with the race rendered by Agg in
this process at that step and at its neighbours: the canvas must be step k's picture,
nearly pixel for pixel, and clearly not a neighbour's. The table must show each method's
iteration at step k, and the kernel must agree on k and have recorded no callback error.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import numpy as np
import pytest
from PIL import Image

pytestmark = pytest.mark.browser

NOTEBOOK = "method_race.ipynb"
CHANGED = 40  # |ΔR| + |ΔG| + |ΔB| above this counts a pixel as different


def rgb(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


class References:
    """The notebook's race rendered by Agg in this process, one step at a time."""

    def __init__(self) -> None:
        from glmlearn.widgets import method_race

        self.race = method_race(backend="png")
        self._cache: dict[int, np.ndarray] = {}

    def at(self, k: int) -> np.ndarray:
        if k not in self._cache:
            self.race.k = k
            self._cache[k] = rgb(self.race.png())
        return self._cache[k]


def canvas_rgb(page: Any) -> np.ndarray:
    url = page.locator(".glmlearn-figure canvas").first.evaluate("c => c.toDataURL('image/png')")
    assert url.startswith("data:image/png;base64,"), url[:40]
    return rgb(base64.b64decode(url.split(",", 1)[1]))


def distance(img: np.ndarray, ref: np.ndarray) -> float:
    assert img.shape == ref.shape, (f"canvas is {img.shape[1]}x{img.shape[0]} px, the reference "
                                    f"{ref.shape[1]}x{ref.shape[0]}")
    return float((np.abs(img - ref).sum(axis=2) > CHANGED).mean())


def shows_step(page: Any, k: int, refs: References) -> bool:
    img = canvas_rgb(page)
    here = distance(img, refs.at(k))
    near = [distance(img, refs.at(j)) for j in (k - 1, k + 1) if 0 <= j <= refs.race.artists.steps]
    return here < 0.002 and all(d > here + 0.0005 for d in near)


def readout(page: Any) -> int:
    return int(str(page.locator(".glmlearn-slider .widget-readout").inner_text()).strip())


def test_race_shows_the_selected_step(jupyter_lab: Any, page: Any, lab: Any,
                                      shots_dir: Any) -> None:
    lab.open_and_run_all(page, jupyter_lab.url, NOTEBOOK, timeout=120, sentinel="race ready")
    refs = References()
    its = refs.race.iterations()
    page.locator(".glmlearn-figure canvas").first.wait_for(state="visible")

    def wait_step(k: int, what: str) -> None:
        try:
            lab.poll(page, lambda: shows_step(page, k, refs), timeout_s=30, what=what)
        except AssertionError:
            Image.fromarray(canvas_rgb(page).astype(np.uint8)).save(
                shots_dir / f"FAILED_race_{k}.png")
            raise

    wait_step(0, "the first picture (step 0)")
    forward = page.locator("button.glmlearn-step-forward")
    for _ in range(3):
        forward.click()
    lab.poll(page, lambda: readout(page) == 3, what="readout 3")
    wait_step(3, "step 3 after three steps forward")
    table = page.locator(".glmlearn-table")
    lab.poll(page, lambda: f"3 of {its['gradient']}" in table.inner_text(),
             what="the table at step 3")
    page.locator("button.glmlearn-step-back").click()
    wait_step(2, "step 2 after a step back")
    page.locator(".glmlearn-method-race").screenshot(path=str(shots_dir / "race_2.png"))

    # Play runs past Fisher's and Newton's last iterations; pause, and the picture is
    # that step's, with both finished methods at their last states.
    page.locator(".glmlearn-play button:has(i.fa-play)").click()
    lab.poll(page, lambda: readout(page) >= 12, timeout_s=40, what="Play to pass step 12")
    page.locator(".glmlearn-play button:has(i.fa-pause)").click()
    k = readout(page)
    lab.poll(page, lambda: readout(page) == k, what="Play to stay paused")
    wait_step(k, f"step {k} after Play and pause")
    text = table.inner_text()
    assert f"{its['fisher']} of {its['fisher']}" in text and f"{k} of {its['gradient']}" in text
    page.locator(".glmlearn-method-race").screenshot(path=str(shots_dir / "race_played.png"))

    out = lab.kernel_execute(page, "print(race.k, race.play.value, len(race.errors))")
    assert out.split() == [str(k), str(k), "0"], out
    lab.assert_no_errors(page)
