"""Every lesson, run as a learner runs it: JupyterLab in Chromium, Run All Cells.

For each ``notebooks/NN-*.ipynb``: no cell raises, nothing is written to stderr, no
JavaScript error is logged, and every widget the lesson displays is rendered live
(``.jupyter-widgets`` controls, and an ipympl canvas ``.jupyter-matplotlib`` for each
widget figure under ``%matplotlib widget``) — not the "Error displaying widget" box.

Uses the fixtures and helpers of ``tests/browser/conftest.py`` (``jupyter_lab``, ``page``,
``open_and_run_all``, ``assert_no_errors``, ``poll``).
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from conftest import TIMINGS, assert_no_errors, open_and_run_all, poll

LESSONS = Path(__file__).resolve().parents[2] / "notebooks"
NAMES = sorted(p.name for p in LESSONS.glob("*.ipynb"))
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

pytestmark = pytest.mark.browser


def _widgets_shown(name: str) -> tuple[int, int]:
    """(widget outputs, of which under %matplotlib widget) in the stored lesson."""
    nb = json.loads((LESSONS / name).read_text(encoding="utf-8"))
    shown = ipympl = 0
    backend_widget = False
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        if "%matplotlib widget" in "".join(cell["source"]):
            backend_widget = True
        for out in cell.get("outputs", []):
            if WIDGET_MIME in out.get("data", {}):
                shown += 1
                ipympl += backend_widget
    return shown, ipympl


def test_every_lesson_is_collected() -> None:
    assert len(NAMES) >= 9
    assert sum(_widgets_shown(n)[0] for n in NAMES) >= 4  # links, WLS, explorer, separation


def _shut_down_kernels(url: str) -> None:
    """Delete every session (and its kernel) so lessons do not pile up kernels."""
    with urllib.request.urlopen(f"{url}/api/sessions", timeout=10) as r:
        sessions = json.load(r)
    for s in sessions:
        req = urllib.request.Request(f"{url}/api/sessions/{s['id']}", method="DELETE")
        urllib.request.urlopen(req, timeout=30).close()


@pytest.fixture
def fresh_lab(jupyter_lab: Any, page: Any) -> Any:
    """JupyterLab with an empty workspace: lessons opened by earlier tests stay closed.

    The server remembers open tabs in its workspace and would restore them hidden behind
    the next lesson (and ``.jp-Notebook .jp-Cell`` would then find their cells first).
    """
    page.goto(f"{jupyter_lab.url}/lab?reset")
    page.locator(".jp-LabShell").wait_for(timeout=60_000)
    yield jupyter_lab
    _shut_down_kernels(jupyter_lab.url)


@pytest.mark.parametrize("name", NAMES)
def test_lesson_runs_in_jupyterlab(fresh_lab: Any, page: Any, shots_dir: Path, name: str) -> None:
    t = open_and_run_all(page, fresh_lab.url, f"notebooks/{name}", timeout=120)
    TIMINGS[f"lesson {name[:2]} run_s"] = round(t["run_s"], 2)

    # JupyterLab keeps earlier lessons open in hidden tabs: look inside this one only.
    panel = page.locator(".jp-NotebookPanel:visible")
    shown, ipympl = _widgets_shown(name)
    if shown:
        # Widget views render asynchronously after their cell finished.
        poll(page, lambda: panel.locator(".jp-OutputArea-output .jupyter-widgets").count() > 0,
             30, what=f"widgets of {name} to render")
        if ipympl:
            canvases = panel.locator(".jupyter-matplotlib")
            poll(page, lambda: canvases.count() >= ipympl, 30,
                 what=f"{ipympl} ipympl figure(s) of {name}")
            poll(page, lambda: all(canvases.nth(i).locator("canvas").count() > 0
                                   for i in range(canvases.count())),
                 30, what=f"the ipympl canvases of {name} to be drawn")
        views = panel.locator(".jp-OutputArea-output .jupyter-widgets").count()
        assert views >= shown, f"{name}: {views} widget views for {shown} widget outputs"
    body = panel.inner_text()
    assert "Error displaying widget" not in body, f"{name}: a widget failed to render"
    assert "Error rendering" not in body
    assert_no_errors(page)
    page.screenshot(path=str(shots_dir / f"lesson-{name[:2]}.png"))
