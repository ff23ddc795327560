"""Browser fixtures: a throw-away JupyterLab server and Debian's Chromium driven by Playwright.

Adapted from ``shared/recipes/browser_widget_testing/conftest.py`` (proven on these
machines); see its pitfalls section for why each setting is here.

Reusable pieces (the lessons' browser tests use them too)
--------------------------------------------------------
``jupyter_lab``  (session fixture)
    A JupyterLab on a free loopback port, no auth, every Jupyter/IPython directory
    isolated. Its ``root`` holds copies of ``tests/browser/*.ipynb`` and the repository's
    ``notebooks/*.ipynb`` (made by :func:`lab_root`). Attributes: ``url``, ``root``,
    ``proc``, ``log``.
``browser``  (session fixture), ``page``  (function fixture)
    Playwright's Chromium from ``$CHROMIUM_PATH`` or ``/usr/bin/chromium``. The page
    collects JavaScript errors in ``page.console_errors``.
:func:`open_and_run_all`
    Open a notebook, wait for a real idle kernel, Run All Cells, wait until every code
    cell has run (or fail at once, with the traceback, when one raised).
:func:`assert_no_errors`
    Fail if the page shows stderr or error outputs, or if JavaScript errors were logged.
:func:`kernel_execute`
    Run code in the notebook's kernel behind the page and return what it printed.
``lab``  (session fixture)
    These helpers (and :func:`poll`) as attributes, for tests that prefer a fixture to
    ``from conftest import ...``.

Missing Chromium or Playwright makes these tests FAIL (not skip), with the command that
installs them: CI must prove the browser tests ran.

Environment knobs: ``CHROMIUM_PATH`` (browser binary), ``SHOTS_DIR`` (screenshots and
``timings.json``; default a pytest temporary directory).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
INSTALL_HINT = (
    "install Debian's Chromium with `apt-get update && apt-get install -y chromium` "
    "(or point $CHROMIUM_PATH at a Chromium binary) and Playwright with "
    "`.venv/bin/pip install playwright` (no `playwright install`: it downloads a browser "
    "build, which cannot work here); `.ci/run` installs Chromium itself"
)
#: Timings collected by fixtures and tests, written to ``SHOTS_DIR/timings.json``.
TIMINGS: dict[str, float] = {}

# JavaScript errors JupyterLab logs on a healthy page, with no bearing on our widgets.
_BENIGN_CONSOLE = re.compile(
    r"favicon|Failed to load resource: the server responded with a status of 404"
    r"|ResizeObserver loop"
)


# --- helpers ---------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _write_lab_settings(settings_dir: Path) -> None:
    """User settings that make JupyterLab deterministic for tests (recipe pitfalls 3, 4)."""
    files = {
        # no "Would you like to get notified about official Jupyter news?" toast
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
            {"fetchNews": "false", "checkForUpdates": False},
        # attach every cell to the DOM: the default windowing skips off-screen cells
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings":
            {"windowingMode": "none"},
    }
    for rel, data in files.items():
        p = settings_dir / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(data))


def lab_root(dest: Path) -> Path:
    """Fill ``dest`` with the notebooks the browser tests open, and return it.

    Copies ``tests/browser/*.ipynb`` (fixtures such as ``explorer.ipynb``) and the
    lessons ``notebooks/*.ipynb``. A name used twice keeps the lesson's copy under
    ``notebooks/`` too, so ``open_and_run_all(page, url, "notebooks/01-x.ipynb")``
    always works. glmlearn itself is imported from the installed (editable) package,
    so nothing else needs copying.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for nb in sorted(HERE.glob("*.ipynb")):
        shutil.copy(nb, dest / nb.name)
    lessons = REPO / "notebooks"
    if lessons.is_dir():
        (dest / "notebooks").mkdir(exist_ok=True)
        for nb in sorted(lessons.glob("*.ipynb")):
            shutil.copy(nb, dest / "notebooks" / nb.name)
            if not (dest / nb.name).exists():
                shutil.copy(nb, dest / nb.name)
        for extra in lessons.iterdir():  # data files or modules a lesson reads by path
            if extra.is_file() and extra.suffix != ".ipynb":
                shutil.copy(extra, dest / "notebooks" / extra.name)
    return dest


def _require_browser() -> Any:
    """Return Playwright's sync API, or FAIL with how to install what is missing."""
    try:
        from playwright import sync_api
    except ImportError as exc:
        pytest.fail(f"the browser tests need Playwright ({exc}); {INSTALL_HINT}", pytrace=False)
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"the browser tests need Chromium, and {CHROMIUM} is missing; {INSTALL_HINT}",
                    pytrace=False)
    return sync_api


def poll(page: Any, fn: Any, timeout_s: float = 20, what: str = "condition") -> Any:
    """Call ``fn()`` until it returns something truthy, and return that.

    ``page.wait_for_timeout`` keeps Playwright's event loop turning (``time.sleep``
    would block it), and redraws arrive asynchronously (recipe pitfall 9).
    """
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        page.wait_for_timeout(150)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}; last={last!r}")


_NOTEBOOK_STATUS_JS = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w || !w.content || !w.sessionContext) return null;
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  const cells = w.content.widgets.filter(c => c.model.type === 'code');
  return {
    kernel: kernel ? kernel.status : 'none',
    path: w.context.path,
    counts: cells.map(c => c.model.executionCount),
    running: cells.map(c => c.promptNode ? c.promptNode.textContent.includes('*') : false),
  };
}"""

#: The notebook on screen (others, if any, sit in hidden tabs).
PANEL = ".jp-NotebookPanel:visible"
ERROR_OUTPUT = (f'{PANEL} .jp-RenderedText[data-mime-type="application/vnd.jupyter.error"], '
                f'{PANEL} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]')
STDERR_OUTPUT = (f'{PANEL} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], '
                 f'{PANEL} .jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]')


def _error_texts(page: Any, selector: str) -> list[str]:
    return [t.strip()[-2000:] for t in page.locator(selector).all_inner_texts()]


def open_and_run_all(page: Any, url: str, notebook_name: str, timeout: float = 90,
                     sentinel: str | None = None) -> dict[str, float]:
    """Open a notebook in JupyterLab, run all its cells and wait until they have run.

    Parameters
    ----------
    page : playwright.sync_api.Page
    url : str
        The server's base URL (``jupyter_lab.url``).
    notebook_name : str
        Path relative to the lab root, e.g. ``"explorer.ipynb"`` or ``"notebooks/01-x.ipynb"``.
    timeout : float
        Seconds allowed for opening and for running (each).
    sentinel : str, optional
        Also wait until an output shows this text (e.g. a last cell's ``print("done")``).

    Returns
    -------
    dict
        ``load_s`` (open until the kernel is idle) and ``run_s`` (Run All until done).

    Raises
    ------
    AssertionError
        When a cell raised (with the traceback shown in the page) or time ran out.
    """
    t0 = time.perf_counter()
    # ?reset: start from an empty workspace. JupyterLab saves the open tabs of every page
    # in the server's workspace, and would otherwise reopen earlier notebooks (hidden, each
    # starting a kernel) behind this one.
    page.goto(f"{url}/lab/tree/{notebook_name}?reset")
    page.locator(f"{PANEL} .jp-Cell").first.wait_for(timeout=timeout * 1000)

    # A real kernel, idle (recipe pitfall 2): the execution indicator says "idle" before
    # any kernel exists, and Run All issued then silently runs nothing.
    def kernel_idle() -> bool:
        st = page.evaluate(_NOTEBOOK_STATUS_JS)
        return bool(st and st["kernel"] == "idle" and st["path"].endswith(notebook_name))

    poll(page, kernel_idle, timeout, what=f"an idle kernel for {notebook_name}")
    load_s = time.perf_counter() - t0

    t1 = time.perf_counter()
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")

    def done() -> bool:
        errors = _error_texts(page, ERROR_OUTPUT)
        if errors:  # Run All stops at a failing cell: fail now, with its traceback
            raise AssertionError(f"a cell of {notebook_name} raised:\n" + "\n---\n".join(errors))
        st = page.evaluate(_NOTEBOOK_STATUS_JS)
        finished = (st is not None and st["kernel"] == "idle"
                    and all(c is not None for c in st["counts"]) and not any(st["running"]))
        if finished and sentinel is not None:
            finished = page.locator(".jp-OutputArea-output", has_text=sentinel).count() > 0
        return finished

    poll(page, done, timeout, what=f"Run All of {notebook_name} to finish")
    return {"load_s": load_s, "run_s": time.perf_counter() - t1}


_KERNEL_EXECUTE_JS = """async (code) => {
  const w = window.jupyterapp.shell.currentWidget;
  const kernel = w.sessionContext.session.kernel;
  const future = kernel.requestExecute({code, silent: false, store_history: false});
  let out = '';
  future.onIOPub = (msg) => {
    const t = msg.header.msg_type, c = msg.content;
    if (t === 'stream') out += c.text;
    else if (t === 'execute_result') out += c.data['text/plain'] + '\\n';
    else if (t === 'error') out += `ERROR ${c.ename}: ${c.evalue}\\n`;
  };
  await future.done;
  return out;
}"""


def kernel_execute(page: Any, code: str) -> str:
    """Run ``code`` in the current notebook's kernel (not in a cell) and return its output.

    Useful to ask the kernel what the page cannot show, e.g. ``print(ex.iteration)``.
    A raised exception comes back as ``"ERROR Name: message"``.
    """
    return str(page.evaluate(_KERNEL_EXECUTE_JS, code))


def assert_no_errors(page: Any, allow_stderr: str | None = None) -> None:
    """Fail if the notebook shows an error or stderr output, or JavaScript logged errors.

    Parameters
    ----------
    page : playwright.sync_api.Page
        A page from the ``page`` fixture (it collects ``page.console_errors``).
    allow_stderr : str, optional
        A regular expression; stderr outputs matching it are tolerated (e.g. a lesson that
        shows a warning on purpose).
    """
    problems = [f"error output:\n{t}" for t in _error_texts(page, ERROR_OUTPUT)]
    for text in _error_texts(page, STDERR_OUTPUT):
        if not (allow_stderr and re.search(allow_stderr, text)):
            problems.append(f"stderr output:\n{text}")
    problems += [f"JavaScript error: {e}" for e in getattr(page, "console_errors", [])
                 if not _BENIGN_CONSOLE.search(e)]
    assert not problems, "\n\n".join(problems)


# --- fixtures --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def lab() -> SimpleNamespace:
    """The helpers above as a fixture, so a test needs no ``import conftest``.

    ``lab.open_and_run_all``, ``lab.assert_no_errors``, ``lab.kernel_execute``,
    ``lab.poll`` and the ``lab.TIMINGS`` dict.
    """
    return SimpleNamespace(open_and_run_all=open_and_run_all, assert_no_errors=assert_no_errors,
                           kernel_execute=kernel_execute, poll=poll, TIMINGS=TIMINGS)


@pytest.fixture(scope="session")
def shots_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where screenshots (and ``timings.json``) go: ``$SHOTS_DIR`` or a temporary folder."""
    d = Path(os.environ.get("SHOTS_DIR") or tmp_path_factory.mktemp("shots"))
    d.mkdir(parents=True, exist_ok=True)
    yield d
    (d / "timings.json").write_text(json.dumps(TIMINGS, indent=2))


@pytest.fixture(scope="session")
def jupyter_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """Start ``jupyter lab`` on a free loopback port: no auth, isolated dirs, test settings."""
    root = lab_root(tmp_path_factory.mktemp("lab-root"))
    home = tmp_path_factory.mktemp("lab-home")
    _write_lab_settings(home / "settings")
    port = _free_port()
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(home / "config"),   # ignore ~/.jupyter
        JUPYTER_DATA_DIR=str(home / "data"),       # notebook_secret etc. (pitfall 10)
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        IPYTHONDIR=str(home / "ipython"),
        JUPYTER_PLATFORM_DIRS="1",
    )
    env.pop("MPLBACKEND", None)  # let `%matplotlib widget` decide
    cmd = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser",
        "--allow-root",                  # root exits at once without it (pitfall 1)
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",    # fail loudly instead of drifting ports
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        "--ServerApp.disable_check_xsrf=True",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={home / 'settings'}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",  # no restored layout
        "--LabApp.expose_app_in_browser=True",              # window.jupyterapp
    ]
    log_path = home / "server.log"
    t0 = time.perf_counter()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:  # a dead server would otherwise be polled forever
                raise RuntimeError(f"jupyter lab exited rc={proc.returncode}:\n"
                                   + log_path.read_text()[-3000:])
            try:
                with urllib.request.urlopen(url + "/api/status", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("jupyter lab did not answer in 60 s:\n"
                                   + log_path.read_text()[-3000:])
            time.sleep(0.2)
        TIMINGS["server_start_s"] = round(time.perf_counter() - t0, 2)
        yield SimpleNamespace(url=url, root=root, proc=proc, log=log_path)
    finally:
        proc.terminate()  # SIGTERM: the server shuts its kernels down, then exits
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Playwright's Chromium (Debian's binary); FAILS with install hints when missing."""
    sync_api = _require_browser()
    t0 = time.perf_counter()
    with sync_api.sync_playwright() as p:
        # launch() makes a fresh temporary profile; --user-data-dir in args is refused
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
                              timeout=60_000)
        TIMINGS["browser_launch_s"] = round(time.perf_counter() - t0, 2)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest, shots_dir: Path) -> Iterator[Any]:
    """A fresh browser context and page, tall enough to show a whole notebook.

    ``page.console_errors`` collects uncaught page errors and ``console.error`` lines.
    A failing test leaves ``FAILED_<test>.png`` in ``shots_dir``.
    """
    ctx = browser.new_context(viewport={"width": 1400, "height": 1600}, device_scale_factor=1)
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.console_errors = errors
    yield pg
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        pg.screenshot(path=str(shots_dir / f"FAILED_{request.node.name}.png"))
    ctx.close()
    if "jupyter_lab" in request.fixturenames:
        # Closing the page leaves its kernel running in the server: shut it down so a
        # session of many notebooks does not pile up kernels (memory, CPU).
        _shutdown_sessions(request.getfixturevalue("jupyter_lab").url)


def _shutdown_sessions(url: str) -> None:
    try:
        with urllib.request.urlopen(url + "/api/sessions", timeout=5) as r:
            sessions = json.loads(r.read())
        for sess in sessions:
            req = urllib.request.Request(f"{url}/api/sessions/{sess['id']}", method="DELETE")
            urllib.request.urlopen(req, timeout=10).close()
    except OSError:
        pass  # the server is going away anyway


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    rep = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, "rep_" + rep.when, rep)
