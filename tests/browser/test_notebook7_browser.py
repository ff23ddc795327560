"""The IRLS explorer in Notebook 7 (not JupyterLab): do its widgets render and respond?

The ``jupyter_lab`` fixture's server also serves Notebook 7: the ``notebook`` package is
a jupyter_server extension (``/tree``, ``/notebooks/<path>``), a different front end built
from JupyterLab's components. Each test opens a fresh copy of ``explorer.ipynb`` at
``/notebooks/...``, checks that the page really is Notebook 7, waits for a real idle kernel,
runs Run > Run All Cells from the menu bar and waits for the explorer to render.

``test_explorer_works_in_notebook7``
    Clicks the slider's track at iteration 3 (a mouse gesture). The readout, the state
    table (iteration, every beta, deviance) must show state 3 of a fit recomputed in this
    process with :func:`glmlearn.fit`, and the ipympl canvas' pixels must change and match
    the in-process Agg rendering of state 3 (the same check as the JupyterLab test).
``test_slider_arrow_keys_in_notebook7``
    Focuses the slider's handle and presses ArrowRight three times: the same checks for
    state 3; then ArrowLeft (state 2), End (the last state) and Home (state 0). Notebook 7
    (7.6) handles keyboard shortcuts in the capture phase (JupyterLab starts with
    ``bubblingKeydown: true``, Notebook 7 does not), so its command-mode shortcut
    ``ArrowRight`` (``notebook:move-cursor-heading-below-or-expand``, selector
    ``.jp-Notebook.jp-mod-commandMode ... :focus``) would consume the key before the slider
    sees it. Every element of the explorer's player row, the handle included, carries
    ``data-lm-suppress-shortcuts`` (set by a hidden anywidget,
    ``glmlearn/widgets/_ipympl_fixes.py`` item 8), which Lumino honours: the test checks
    the attribute is on the handle and that every key reached the handle.

No error or stderr output may appear, nor JavaScript errors other than two that Notebook 7's
own start-up code logs before any cell runs, with or without widgets
(:data:`NOTEBOOK7_STARTUP_ERRORS`).

The page gets Notebook 7's font files (Font Awesome: the Play and step icons) from the
installed ``notebook/static`` folder instead of the server (:func:`serve_fonts_from_disk`).
jupyter_server's ``FileFindHandler`` caches where it found a static file by its name alone,
for every handler, and JupyterLab's and Notebook 7's bundles ship fonts of the same names:
in one server, whichever front end fetches such a font first gets it, the other a 403 ("is
not in root static directory"). Left alone, this test would fail after the JupyterLab tests
of the same session, and make them fail when it runs first.
"""

from __future__ import annotations

import base64
import functools
import io
import json
import re
import shutil
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

HERE = Path(__file__).resolve().parent
FONT_URL = re.compile(r"/static/notebook/([0-9a-f]+\.(?:woff2?|ttf|eot|svg))(?:\?.*)?$")
NOTEBOOK = "explorer.ipynb"
PANEL = ".jp-NotebookPanel:visible"
SLIDER_READOUT = ".glmlearn-slider .widget-readout"
HANDLE = ".glmlearn-slider .noUi-handle"
CANVAS = ".glmlearn-figure canvas"  # the first <canvas> is the figure, the second the rubber band
CHANGED = 40  # |dR| + |dG| + |dB| above this counts a pixel as different
TARGET = 3    # the iteration the tests move to (its deviance differs from 0's and 6's)

#: JavaScript errors Notebook 7.6.5 logs while starting: races in its own start-up code.
NOTEBOOK7_STARTUP_ERRORS = re.compile(
    # jupyter/notebook#7862: the shortcuts plugin reads registry.plugins[id].schema too
    # early; on every page, /tree included, and with a plain `jupyter notebook` server too
    r"^Cannot read properties of undefined \(reading 'schema'\)$"
    # JupyterLab's file-browser restorer runs `filebrowser:open-path`, which the notebook
    # page has not registered (on some page loads only)
    r"|^Command 'filebrowser:open-path' not registered\.$"
)
ERROR_OUTPUT = (f'{PANEL} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"], '
                f'{PANEL} .jp-RenderedText[data-mime-type="application/vnd.jupyter.error"]')


# --- what the page must show, computed in this process --------------------------------

@functools.cache
def expected() -> dict[str, Any]:
    """The notebook's explorer problem, fitted and rendered here.

    ``irls_explorer("pass_fail")`` fits the reference lesson's data (seed 42: hours
    studied, pass/fail) with the binomial family, logit link, from beta = 0. The table
    values come from an independent :func:`glmlearn.fit` of the same data; the pictures
    from the explorer itself under Agg (``backend="png"``, the notebook's figure size).
    """
    import glmlearn
    from glmlearn.widgets import irls_explorer, pass_fail

    hours, passed = pass_fail()
    X = np.column_stack([np.ones_like(hours), hours])
    trace = glmlearn.fit(X, passed, "binomial", start=np.zeros(2)).trace
    ex = irls_explorer("pass_fail", backend="png")
    assert len(ex.trace) == len(trace), (len(ex.trace), len(trace))
    images = []
    for k in range(len(ex.trace)):
        ex.iteration = k
        images.append(rgb(ex.png()))
    return {"trace": trace, "images": images}


def fmt(v: float) -> str:
    return f"{v:.6g}" if np.isfinite(v) else "NA"


def table_rows(page: Any) -> dict[str, str]:
    """The state table as ``{row label: value}`` (innerText: tab between the cells)."""
    text = page.locator(".glmlearn-table").inner_text()
    return dict(line.split("\t", 1) for line in text.splitlines() if "\t" in line)


def table_shows(page: Any, k: int) -> bool:
    trace = expected()["trace"]
    state, rows = trace[k], table_rows(page)
    betas = [v for label, v in rows.items() if label.startswith("β")]
    return (rows.get("iteration k") == f"{k} of {len(trace) - 1}"
            and rows.get("deviance D") == fmt(state.deviance)
            and betas == [fmt(b) for b in state.beta])


def readout(page: Any) -> str:
    return str(page.locator(SLIDER_READOUT).inner_text()).strip()


def rgb(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def canvas_rgb(page: Any) -> np.ndarray:
    url = page.locator(CANVAS).first.evaluate("c => c.toDataURL('image/png')")
    assert url.startswith("data:image/png;base64,"), url[:40]
    return rgb(base64.b64decode(url.split(",", 1)[1]))


def changed_fraction(a: np.ndarray, b: np.ndarray) -> float:
    assert a.shape == b.shape, (
        f"canvas is {a.shape[1]}x{a.shape[0]} px, the reference {b.shape[1]}x{b.shape[0]}: "
        "device pixel ratio or figure size differ")
    return float((np.abs(a - b).sum(axis=2) > CHANGED).mean())


def canvas_shows(page: Any, k: int) -> bool:
    """The canvas is state k's rendering, nearly pixel for pixel, and no other state's."""
    img = canvas_rgb(page)
    d = [changed_fraction(img, ref) for ref in expected()["images"]]
    return int(np.argmin(d)) == k and d[k] < 0.002 and min(np.delete(d, k)) > d[k] + 0.0005


def wait_for_state(lab: Any, page: Any, k: int, how: str) -> None:
    """Readout, table and canvas all show iteration k (each redraws asynchronously)."""
    lab.poll(page, lambda: readout(page) == str(k), what=f"readout {k} after {how}")
    lab.poll(page, lambda: table_shows(page, k),
             what=f"the table of iteration {k} after {how}: {table_rows(page)}")
    try:
        lab.poll(page, lambda: canvas_shows(page, k), what=f"the picture of iteration {k}")
    except AssertionError:
        img = canvas_rgb(page)
        d = [round(changed_fraction(img, ref), 4) for ref in expected()["images"]]
        raise AssertionError(f"after {how} the canvas differs from each state's rendering by "
                             f"{d} (fraction of pixels); it should be state {k}'s") from None


# --- the Notebook 7 page ------------------------------------------------------------------

def page_config(html: str) -> dict[str, Any]:
    """The ``jupyter-config-data`` a Jupyter page is served with."""
    m = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                  html, re.S)
    assert m, "no jupyter-config-data in the page"
    return dict(json.loads(m.group(1)))


def is_notebook7(cfg: dict[str, Any], page_kind: str) -> bool:
    return (cfg.get("appName"), cfg.get("notebookPage")) == ("Jupyter Notebook", page_kind)


def serve_fonts_from_disk(page: Any) -> None:
    """Answer the page's requests for Notebook 7's font files from ``notebook/static``.

    See the module docstring: the server's static-file cache would give the font to one
    front end only. The files are the ones the server would send; other requests go on.
    """
    import notebook

    static = Path(notebook.__file__).resolve().parent / "static"

    def fulfil(route: Any) -> None:
        match = FONT_URL.search(route.request.url)
        font = static / match.group(1) if match else None
        if font is not None and font.is_file():
            route.fulfill(path=str(font))
        else:
            route.fallback()

    page.route(FONT_URL, fulfil)


def kernel_sessions(url: str, path: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{url}/api/sessions", timeout=5) as r:
        return [s["kernel"] for s in json.loads(r.read()) if s["path"] == path]


def open_explorer_in_notebook7(jupyter_lab: Any, page: Any, lab: Any, name: str) -> dict[str, float]:
    """Open a fresh copy of explorer.ipynb in Notebook 7, Run All, wait for iteration 0."""
    url, timings = jupyter_lab.url, {}
    # A copy of its own: its own session and kernel, and no outputs saved by another test.
    path = f"{name}/{NOTEBOOK}"
    (jupyter_lab.root / name).mkdir(exist_ok=True)
    shutil.copy(HERE / NOTEBOOK, jupyter_lab.root / path)

    # The same server serves Notebook 7's file browser too.
    with urllib.request.urlopen(f"{url}/tree/{name}", timeout=10) as r:
        cfg = page_config(r.read().decode())
    assert is_notebook7(cfg, "tree"), cfg

    t0 = time.perf_counter()
    serve_fonts_from_disk(page)
    page.goto(f"{url}/notebooks/{path}")
    page.locator(f"{PANEL} .jp-Cell").first.wait_for()
    cfg = page_config(page.content())
    assert is_notebook7(cfg, "notebooks"), cfg
    assert f"/notebooks/{path}" in page.url and "/lab" not in page.url, page.url
    assert page.locator(f"{PANEL} .jp-OutputArea-output").count() == 0, "outputs before Run All"

    # A real kernel, idle. The execution indicator says "idle" before any kernel exists
    # (recipe pitfall 2), so also ask for ipykernel's name in the toolbar, and the server
    # for a kernel of this notebook that is idle with the page's websocket connected.
    # window.jupyterapp is not there: the fixture exposes JupyterLab's app, not Notebook's.
    def kernel_idle() -> bool:
        name_ok = "ipykernel" in page.locator(f"{PANEL} .jp-KernelName").inner_text()
        status = page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator").get_attribute("data-status")
        kernels = kernel_sessions(url, path)
        return (name_ok and status == "idle" and len(kernels) == 1
                and kernels[0]["execution_state"] == "idle" and kernels[0]["connections"] >= 1)

    lab.poll(page, kernel_idle, timeout_s=60, what=f"an idle kernel for {path} in Notebook 7")
    timings["load_s"] = time.perf_counter() - t0

    t1 = time.perf_counter()
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    prompts = page.locator(f"{PANEL} .jp-CodeCell .jp-InputPrompt")
    n_code = prompts.count()

    def ran() -> bool:
        errors = page.locator(ERROR_OUTPUT).all_inner_texts()
        if errors:  # Run All stops at a failing cell: fail now, with its traceback
            raise AssertionError(f"a cell of {path} raised:\n" + "\n---\n".join(errors))
        # a fresh kernel numbers the cells 1, 2, 3: they ran now, in this kernel
        done = [p.strip() for p in prompts.all_inner_texts()] == [f"[{i}]:" for i in
                                                                   range(1, n_code + 1)]
        return done and page.locator(f"{PANEL} .jp-OutputArea-output",
                                     has_text="explorer ready").count() == 1

    lab.poll(page, ran, timeout_s=60, what=f"Run All of {path} to finish")
    timings["run_s"] = time.perf_counter() - t1

    for sel in (".glmlearn-explorer", ".glmlearn-slider", ".glmlearn-table", CANVAS):
        page.locator(sel).first.wait_for(state="visible")
    wait_for_state(lab, page, 0, "Run All")
    return timings


def assert_clean(page: Any, lab: Any) -> None:
    """``lab.assert_no_errors``, once Notebook 7's own start-up errors are set aside."""
    page.console_errors[:] = [e for e in page.console_errors
                              if not NOTEBOOK7_STARTUP_ERRORS.search(e)]
    lab.assert_no_errors(page)


# --- the tests --------------------------------------------------------------------------------

@pytest.mark.browser
def test_explorer_works_in_notebook7(jupyter_lab: Any, page: Any, lab: Any,
                                     shots_dir: Path) -> None:
    t0 = time.perf_counter()
    with ThreadPoolExecutor(1) as pool:  # render the references while the page loads
        refs = pool.submit(expected)
        T = open_explorer_in_notebook7(jupyter_lab, page, lab, "nb7-mouse")
        refs.result()
    before = canvas_rgb(page)
    page.locator(".glmlearn-explorer").screenshot(path=str(shots_dir / "nb7_explorer_0.png"))

    # Click the slider's track where iteration TARGET sits.
    last = len(expected()["trace"]) - 1
    track = page.locator(".glmlearn-slider .noUi-base").bounding_box()
    assert track is not None
    page.mouse.click(track["x"] + track["width"] * TARGET / last,
                     track["y"] + track["height"] / 2)
    wait_for_state(lab, page, TARGET, "a click on the slider's track")
    moved = changed_fraction(canvas_rgb(page), before)
    assert moved > 0.01, f"only {moved:.2%} of the figure's pixels changed"
    page.locator(".glmlearn-explorer").screenshot(
        path=str(shots_dir / f"nb7_explorer_{TARGET}.png"))

    assert page.locator(".glmlearn-status .glmlearn-error").count() == 0
    assert_clean(page, lab)
    T["test_body_s"] = time.perf_counter() - t0
    lab.TIMINGS.update({f"nb7_mouse_{k}": round(v, 2) for k, v in T.items()})


@pytest.mark.browser
def test_slider_arrow_keys_in_notebook7(jupyter_lab: Any, page: Any, lab: Any) -> None:
    t0 = time.perf_counter()
    with ThreadPoolExecutor(1) as pool:
        refs = pool.submit(expected)
        T = open_explorer_in_notebook7(jupyter_lab, page, lab, "nb7-keys")
        refs.result()
    before = canvas_rgb(page)
    handle = page.locator(HANDLE)
    # Count the keydowns that reach the handle (capture phase: before noUiSlider's own).
    handle.evaluate("h => { window.__glmKeys = [];"
                    " h.addEventListener('keydown', e => window.__glmKeys.push(e.key), true); }")
    handle.focus()
    assert handle.evaluate("h => document.activeElement === h"), "the handle did not take focus"
    # the guard: the focused handle tells Lumino to leave its keys alone
    assert handle.evaluate("h => h.getAttribute('data-lm-suppress-shortcuts')") == "true"
    for _ in range(TARGET):
        page.keyboard.press("ArrowRight")
    wait_for_state(lab, page, TARGET, f"ArrowRight x{TARGET}")
    moved = changed_fraction(canvas_rgb(page), before)
    assert moved > 0.01, f"only {moved:.2%} of the figure's pixels changed"
    assert page.evaluate("() => window.__glmKeys") == ["ArrowRight"] * TARGET
    last = len(expected()["trace"]) - 1
    for key, k in (("ArrowLeft", TARGET - 1), ("End", last), ("Home", 0)):
        handle.focus()
        page.keyboard.press(key)
        wait_for_state(lab, page, k, f"{key} on the slider's handle")
    assert page.evaluate("() => window.__glmKeys")[TARGET:] == ["ArrowLeft", "End", "Home"]
    assert_clean(page, lab)
    T["test_body_s"] = time.perf_counter() - t0
    lab.TIMINGS.update({f"nb7_keys_{k}": round(v, 2) for k, v in T.items()})
