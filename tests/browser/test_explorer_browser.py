"""The IRLS explorer in a real JupyterLab and Chromium: does the picture show iteration k?

``explorer.ipynb`` runs ``%matplotlib widget`` and displays ``irls_explorer("pass_fail")``
(the simulated exam data's logistic fit, 7 states). The test presses Play, moves the slider
with the keyboard and the mouse, and clicks the step buttons. After each action it reads
the ipympl canvas' pixels (``canvas.toDataURL``) and compares them with a reference
rendering of *every* state, made in this process by the same explorer under Agg: the
closest reference must be state k (the slider's value), nearly pixel for pixel, and
clearly closer than any other state. So the check is "the page shows iteration k", not
"something changed". The state table must show state k's deviance, and the kernel must
agree on k and have recorded no callback error. A link IRLS cannot start from is refused
in the status line, and the link menu goes back to the fit the figure shows. No error or
stderr output may appear.
"""

from __future__ import annotations

import base64
import io
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest
from PIL import Image

pytestmark = pytest.mark.browser

NOTEBOOK = "explorer.ipynb"
CHANGED = 40  # |ΔR| + |ΔG| + |ΔB| above this counts a pixel as different
SHOTS: dict[str, Any] = {}  # where a failing canvas is saved


def rgb(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def render_references() -> dict[str, Any]:
    """The notebook's explorer, rendered by Agg in this process at every iteration."""
    from glmlearn.widgets import irls_explorer

    ex = irls_explorer("pass_fail", backend="png")  # the notebook's problem and figure size
    images = []
    for k in range(len(ex.trace)):
        ex.iteration = k
        images.append(rgb(ex.png()))
    return {"images": images, "deviance": [s.deviance for s in ex.trace]}


def canvas_rgb(page: Any) -> np.ndarray:
    # The first <canvas> of an ipympl figure is the figure; the second the rubber band.
    url = page.locator(".glmlearn-figure canvas").first.evaluate("c => c.toDataURL('image/png')")
    assert url.startswith("data:image/png;base64,"), url[:40]
    return rgb(base64.b64decode(url.split(",", 1)[1]))


def distances(img: np.ndarray, refs: list[np.ndarray]) -> list[float]:
    """Fraction of pixels that differ from each reference state's rendering."""
    out = []
    for ref in refs:
        assert img.shape == ref.shape, (
            f"canvas is {img.shape[1]}x{img.shape[0]} px, the reference "
            f"{ref.shape[1]}x{ref.shape[0]}: device pixel ratio or figure size differ")
        out.append(float((np.abs(img - ref).sum(axis=2) > CHANGED).mean()))
    return out


def shows_iteration(page: Any, k: int, refs: list[np.ndarray]) -> bool:
    d = distances(canvas_rgb(page), refs)
    best = int(np.argmin(d))
    others = min(v for i, v in enumerate(d) if i != k)
    # state k's picture, nearly exactly (ipympl renders with Agg too), and no other's
    return best == k and d[k] < 0.002 and others > d[k] + 0.0005


def wait_for_iteration(lab: Any, page: Any, k: int, refs: list[np.ndarray], what: str) -> None:
    try:
        lab.poll(page, lambda: shows_iteration(page, k, refs), timeout_s=25, what=what)
    except AssertionError:
        img = canvas_rgb(page)
        Image.fromarray(img.astype(np.uint8)).save(SHOTS["dir"] / f"FAILED_canvas_{k}.png")
        d = distances(img, refs)
        raise AssertionError(f"{what}: canvas differs from each state's rendering by "
                             f"{[round(v, 4) for v in d]} (fraction of pixels)") from None


def readout(page: Any) -> str:
    return str(page.locator(".glmlearn-slider .widget-readout").inner_text()).strip()


def test_explorer_shows_the_selected_iteration(jupyter_lab: Any, page: Any, lab: Any,
                                               shots_dir: Any) -> None:
    SHOTS["dir"] = shots_dir
    t0 = time.perf_counter()
    # The references render here while the browser waits for JupyterLab and the kernel.
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(render_references)
        T = lab.open_and_run_all(page, jupyter_lab.url, NOTEBOOK, timeout=90,
                                 sentinel="explorer ready")
        references = future.result()
    refs = references["images"]
    dev = references["deviance"]
    last = len(refs) - 1
    canvas = page.locator(".glmlearn-figure canvas").first
    canvas.wait_for(state="visible")
    wait_for_iteration(lab, page, 0, refs, "the first picture (iteration 0)")
    page.locator(".glmlearn-explorer").screenshot(path=str(shots_dir / "explorer_0.png"))

    def table_shows(k: int) -> bool:
        text = page.locator(".glmlearn-table").inner_text()
        return f"{k} of {last}" in text and f"{dev[k]:.6g}" in text

    # Play: jslink moves the slider in the browser; the kernel redraws each state.
    t = time.perf_counter()
    page.locator(".glmlearn-play button:has(i.fa-play)").click()
    lab.poll(page, lambda: readout(page) == str(last), timeout_s=20, what="Play to reach the end")
    wait_for_iteration(lab, page, last, refs, f"iteration {last} after Play")
    lab.poll(page, lambda: table_shows(last), what=f"table of iteration {last}")
    T["play_s"] = time.perf_counter() - t
    page.locator(".glmlearn-explorer").screenshot(path=str(shots_dir / "explorer_play_end.png"))

    # Keyboard on the slider's handle: three steps back.
    handle = page.locator(".glmlearn-slider .noUi-handle")
    handle.focus()
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    k = last - 3
    lab.poll(page, lambda: readout(page) == str(k), what=f"readout {k}")
    wait_for_iteration(lab, page, k, refs, f"iteration {k} after the arrow keys")
    lab.poll(page, lambda: table_shows(k), what=f"table of iteration {k}")

    # The step buttons.
    page.locator("button.glmlearn-step-back").click()
    wait_for_iteration(lab, page, k - 1, refs, f"iteration {k - 1} after step back")
    page.locator("button.glmlearn-step-forward").click()
    page.locator("button.glmlearn-step-forward").click()
    wait_for_iteration(lab, page, k + 1, refs, f"iteration {k + 1} after two steps forward")
    lab.poll(page, lambda: readout(page) == str(k + 1), what=f"readout {k + 1}")

    # A mouse drag of the handle to a fifth of the track.
    hb = handle.bounding_box()
    track = page.locator(".glmlearn-slider .noUi-base").bounding_box()
    assert hb is not None and track is not None
    y = hb["y"] + hb["height"] / 2
    page.mouse.move(hb["x"] + hb["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(track["x"] + 0.2 * track["width"], y, steps=8)
    page.mouse.up()
    dragged = int(readout(page))
    assert 0 <= dragged <= 2, dragged
    wait_for_iteration(lab, page, dragged, refs, f"iteration {dragged} after the drag")
    page.locator(".glmlearn-explorer").screenshot(path=str(shots_dir / "explorer_dragged.png"))

    # A link IRLS cannot start from (binomial log from beta = 0): the status line says so
    # beside the picture, the link menu goes back to the fit the figure still shows.
    link_select = page.locator(".glmlearn-link select")
    link_select.select_option(label="log")
    lab.poll(page, lambda: "cannot be fitted" in page.locator(".glmlearn-status").inner_text(),
             what="the status line to explain the unfittable link")
    seen: list[str] = []

    def link_shown() -> bool:
        # ipywidgets writes the labels' spaces as non-breaking spaces
        text = str(link_select.evaluate("s => s.options[s.selectedIndex].text"))
        seen.append(text.replace("\xa0", " "))
        return seen[-1] == "logit (canonical)"

    try:
        lab.poll(page, link_shown, what="the link menu to go back to logit")
    except AssertionError as exc:
        raise AssertionError(f"{exc}; the menu showed {sorted(set(seen))}") from None
    wait_for_iteration(lab, page, dragged, refs, f"iteration {dragged} after the refused link")
    page.locator(".glmlearn-explorer").screenshot(path=str(shots_dir / "explorer_refused.png"))
    out = lab.kernel_execute(page, "print(*ex.key, ex.key == ex.shown_key)")
    assert out.split() == ["pass_fail", "binomial", "logit", "zero", "True"], out

    # The kernel saw the same iteration and no callback failed.
    out = lab.kernel_execute(page, "print(ex.iteration, ex.play.value, len(ex.errors))")
    assert out.split() == [str(dragged), str(dragged), "0"], out
    lab.assert_no_errors(page)
    T["test_body_s"] = time.perf_counter() - t0
    lab.TIMINGS.update({f"explorer_{key}": round(v, 2) for key, v in T.items()})
