"""The HTML player in Chromium: offline in an nbconvert export, and live in JupyterLab.

``player.ipynb`` fits the exam data, displays ``player_html(result)`` directly, then a
live explorer with its saved player beside it (``display_with_player``). The notebook is
executed with nbclient (which saves the widget state, as ``nbconvert --execute`` does)
and exported with ``jupyter nbconvert --to html``. The export is opened from a
``file:`` URL with every other request aborted: the player must show frame 0 with its
caption and step with its buttons and keys, and nothing of it may need the network
(what nbconvert's page itself asks for -- MathJax, require.js, the widgets' html-manager
-- is recorded and fails). In JupyterLab the same notebook is run live: the player steps
with the arrow keys (which JupyterLab's shortcuts must not take), and the saved player
hides itself beside the live explorer.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent
NOTEBOOK = "player.ipynb"
DIRECT = ".glmlearn-player:not(.glmlearn-player-saved)"
SAVED = ".glmlearn-player-saved"


def exam_captions() -> list[str]:
    """The sentences of the notebook's trace, computed here (same data, same fit)."""
    import numpy as np

    import glmlearn
    from glmlearn.narrate import describe_trace

    np.random.seed(42)  # noqa: NPY002 - the lessons' own recipe
    hours = np.random.uniform(1, 10, 200)  # noqa: NPY002
    passed = np.random.binomial(1, 1 / (1 + np.exp(-(-3 + 0.8 * hours))))  # noqa: NPY002
    X = np.column_stack([np.ones_like(hours), hours])
    return list(describe_trace(glmlearn.fit(X, passed, "binomial").trace))


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """The fixture notebook executed (nbclient) and exported (nbconvert), with and without
    its saved widget state."""
    import nbformat
    from nbclient import NotebookClient

    d = tmp_path_factory.mktemp("player-export")
    nb = nbformat.read(HERE / NOTEBOOK, as_version=4)
    NotebookClient(nb, kernel_name="python3", timeout=180,
                   resources={"metadata": {"path": str(d)}}).execute()
    assert "widgets" in nb.metadata  # nbclient saved the explorer's widget state
    nbformat.write(nb, d / "player.ipynb")
    bare = copy.deepcopy(nb)
    del bare.metadata["widgets"]  # as JupyterLab saves it by default (saveState: false)
    nbformat.write(bare, d / "player-nostate.ipynb")
    for name in ("player.ipynb", "player-nostate.ipynb"):
        subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html",
                        str(d / name)], check=True, capture_output=True, timeout=120)
    return SimpleNamespace(html=d / "player.html", nostate=d / "player-nostate.html",
                           captions=exam_captions())


def offline_page(browser: Any) -> tuple[Any, Any, list[str], list[str]]:
    """A page whose context lets ``file:`` URLs through and aborts every other request."""
    ctx = browser.new_context(viewport={"width": 1200, "height": 1400})
    blocked: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    pg = ctx.new_page()
    pg.set_default_timeout(20_000)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    return ctx, pg, blocked, errors


def state_of(player: Any) -> dict[str, Any]:
    return player.evaluate("""p => ({
        frame: +p.getAttribute('data-frame'),
        caption: p.querySelector('.glmlearn-player-caption').textContent,
        alt: p.querySelector('img').alt,
        loaded: p.querySelector('img').complete && p.querySelector('img').naturalWidth,
        ready: p.getAttribute('data-ready'),
        focused: document.activeElement === p,
        current: p.querySelector('tbody tr.glmlearn-current').rowIndex,
    })""")


def wait_frame(page: Any, player: Any, k: int, timeout_s: float = 10) -> dict[str, Any]:
    deadline = timeout_s * 1000
    waited = 0
    while True:
        st = state_of(player)
        if st["frame"] == k and st["loaded"]:
            return st
        if waited > deadline:
            raise AssertionError(f"player did not reach frame {k}: {st}")
        page.wait_for_timeout(100)
        waited += 100


def check_state(st: dict[str, Any], k: int, captions: list[str]) -> None:
    assert st["frame"] == k, st
    assert st["caption"] == st["alt"] == captions[k], st
    assert st["loaded"] == 828, st  # the frame decoded (828 x 460 pixels)
    assert st["current"] == k + 1, st  # the table row (row 0 is the header)


def test_exported_player_steps_offline(browser: Any, exported: SimpleNamespace,
                                       shots_dir: Path) -> None:
    caps = exported.captions
    n = len(caps)
    ctx, page, blocked, errors = offline_page(browser)
    try:
        page.goto(exported.html.as_uri())
        player = page.locator(DIRECT)
        assert player.count() == 1
        player.wait_for(state="visible")
        st = wait_frame(page, player, 0)
        check_state(st, 0, caps)
        assert st["ready"] == "1"  # the inline script ran
        assert "starting guess" in st["caption"]

        player.locator("button[data-act=next]").click()
        check_state(wait_frame(page, player, 1), 1, caps)

        player.focus()
        page.keyboard.press("End")
        st = wait_frame(page, player, n - 1)
        check_state(st, n - 1, caps)
        assert st["focused"]
        page.keyboard.press("Home")
        check_state(wait_frame(page, player, 0), 0, caps)
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        check_state(wait_frame(page, player, 2), 2, caps)
        page.keyboard.press("ArrowLeft")
        check_state(wait_frame(page, player, 1), 1, caps)

        # the slider scrubs, Play runs to the end and stops
        player.locator("input[type=range]").fill("4")
        check_state(wait_frame(page, player, 4), 4, caps)
        player.locator("button[data-act=play]").click()
        check_state(wait_frame(page, player, n - 1, timeout_s=15), n - 1, caps)
        page.wait_for_timeout(300)
        assert player.locator("button[data-act=play]").get_attribute("aria-pressed") == "false"
        player.screenshot(path=str(shots_dir / "player_offline.png"))

        # the saved explorer: its widget view stays blank offline, so its player shows
        saved = page.locator(SAVED)
        assert saved.count() == 1 and saved.is_visible()
        assert page.locator(".jupyter-widgets script[type='application/vnd.jupyter.widget-view+json']"
                            ).count() == 1
        assert page.locator(".glmlearn-explorer").count() == 0  # nothing rendered it
        saved.locator("button[data-act=last]").click()
        check_state(wait_frame(page, saved, n - 1), n - 1, caps)
        assert state_of(player)["frame"] == n - 1  # Play had left the first one at the end
        saved.locator("button[data-act=first]").click()
        wait_frame(page, saved, 0)
        assert state_of(player)["frame"] == n - 1  # two players, each its own

        assert not errors, errors
        # nbconvert's page asks the network for its own scripts; none of it is the player's
        assert blocked and all(not u.startswith("data:") for u in blocked)
        print("\nblocked requests of the export:", sorted(set(blocked)))
    finally:
        ctx.close()


def test_export_without_widget_state_shows_one_player(browser: Any,
                                                      exported: SimpleNamespace) -> None:
    ctx, page, blocked, errors = offline_page(browser)
    try:
        page.goto(exported.nostate.as_uri())
        saved = page.locator(SAVED)
        saved.wait_for(state="visible")
        # nbconvert rendered the widget's own text/html (the static snapshot) ...
        snapshot = page.locator(".glmlearn-snapshot")
        assert snapshot.count() == 1
        # ... and the saved player's CSS hides it: one picture of the explorer, the player
        assert not snapshot.is_visible()
        check_state(wait_frame(page, saved, 0), 0, exported.captions)
        saved.locator("button[data-act=next]").click()
        check_state(wait_frame(page, saved, 1), 1, exported.captions)
        assert not errors, errors
        assert not any("unpkg" in u for u in blocked)  # no widget state: no widget loader
    finally:
        ctx.close()


def test_player_in_jupyterlab(jupyter_lab: Any, page: Any, lab: Any, shots_dir: Path) -> None:
    caps = exam_captions()
    lab.open_and_run_all(page, jupyter_lab.url, NOTEBOOK, timeout=150,
                         sentinel="player notebook ok")
    panel = page.locator(".jp-NotebookPanel:visible")
    player = panel.locator(DIRECT)
    player.wait_for(state="visible")
    st = wait_frame(page, player, 0)
    check_state(st, 0, caps)
    assert st["ready"] == "1"  # JupyterLab ran the output's script (a trusted output)

    notebook_js = """() => { const nb = window.jupyterapp.shell.currentWidget.content;
                             return {active: nb.activeCellIndex, mode: nb.mode}; }"""
    player.locator(".glmlearn-player-caption").click()  # focus as a reader would: a click
    page.wait_for_timeout(200)
    assert state_of(player)["focused"], "a click inside the player focuses it"
    before = page.evaluate(notebook_js)
    page.keyboard.press("ArrowRight")
    check_state(wait_frame(page, player, 1), 1, caps)
    page.keyboard.press("End")
    check_state(wait_frame(page, player, len(caps) - 1), len(caps) - 1, caps)
    page.keyboard.press("Home")
    st = wait_frame(page, player, 0)
    check_state(st, 0, caps)
    assert st["focused"], "the notebook took the focus away"
    assert page.evaluate(notebook_js) == before  # JupyterLab did nothing with the keys

    # the live explorer is shown, its saved player hidden beside it
    assert panel.locator(".glmlearn-explorer").is_visible()
    saved = panel.locator(SAVED)
    assert saved.count() == 1 and not saved.is_visible()
    player.screenshot(path=str(shots_dir / "player_lab.png"))
    lab.assert_no_errors(page)
