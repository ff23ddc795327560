"""README.md's commands, run as written on a fresh clone of the repository.

* The *Quick start*'s first command (read from README.md, never copied here) is run with
  ``bash -c`` in a ``git clone`` of this repository's HEAD (so commit first: the test runs
  what a student gets), which makes a fresh venv and installs glmlearn into it (a minute
  or two: the test is marked ``slow``). The command as written is what runs; only
  JupyterLab's own options ``--no-browser --port=N`` are added after ``--``, which
  ``glmlearn lessons`` passes on. The server it starts is then asked for the lessons with
  its token (found by ``jupyter server list --json`` in that venv), and asked once more
  without the token, which it must refuse. Then the server is stopped. The machine and CI
  run as root, so this also checks that the command works as root.
* The *In a terminal* examples are run as written, in the same clone and venv, and, in a
  fast test, in-process with this checkout's glmlearn.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from glmlearn import cli

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
#: How long the command may take to install glmlearn and start JupyterLab.
START_TIMEOUT = 900


def readme_block(section: str, readme: Path = README) -> list[str]:
    """The lines of the first ```` ```bash ```` block under the ``## section`` heading."""
    text = readme.read_text(encoding="utf-8")
    heading = re.search(rf"^## {re.escape(section)}\s*$", text, re.M)
    assert heading, f"README.md has no '## {section}' section"
    block = re.compile(r"^```bash\n(.*?)^```", re.M | re.S).search(text, heading.end())
    next_heading = re.compile(r"^## ", re.M).search(text, heading.end())
    assert block and (next_heading is None or block.start() < next_heading.start()), (
        f"README.md's '## {section}' section has no ```bash block")
    return [line for line in block[1].splitlines() if line.strip()]


def quick_start_command(readme: Path = README) -> str:
    """The Quick start's first command: one line, ending in ``glmlearn lessons``."""
    (command,) = readme_block("Quick start", readme)
    assert command.endswith("glmlearn lessons"), command
    return command


def terminal_examples(readme: Path = README) -> list[str]:
    """The *In a terminal* examples, one command a line."""
    return readme_block("In a terminal", readme)


def _example_id(example: str) -> str:
    """``trace glmlearn/datasets/challenger.csv``, ``datasets beetles``: the first words."""
    return " ".join(example.split()[1:3])


EXAMPLES = terminal_examples()


def test_readme_commands_are_found():
    command = quick_start_command()
    assert command.startswith("python3 -m venv .venv && ")
    examples = terminal_examples()
    assert examples and all(e.startswith(".venv/bin/glmlearn ") for e in examples)


@pytest.mark.parametrize("example", EXAMPLES, ids=_example_id)
def test_terminal_examples_run_with_this_checkout(capsys, monkeypatch, example):
    # The same arguments, in-process, from the root of the checkout (where the quick start
    # leaves the student); the fresh-venv run is test_terminal_examples_as_written below.
    monkeypatch.chdir(ROOT)
    argv = shlex.split(example, comments=True)
    assert argv[0] == ".venv/bin/glmlearn"
    assert cli.main(argv[1:]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.strip()


# --- the quick start on a fresh clone ----------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _clean_env(tmp: Path) -> dict[str, str]:
    """This environment without what would point the fresh venv at this checkout or at
    another Jupyter (PYTHONPATH, an active venv, Jupyter's folders)."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"} and not k.startswith("JUPYTER")}
    venv_bin = os.environ.get("VIRTUAL_ENV")
    if venv_bin:
        env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                      if Path(p) != Path(venv_bin) / "bin")
    for name in ("config", "data", "runtime"):
        (tmp / f"jupyter-{name}").mkdir()
        env[f"JUPYTER_{name.upper()}_DIR"] = str(tmp / f"jupyter-{name}")
    return env


@dataclass
class QuickStart:
    """The quick start's command, running in a fresh clone."""

    clone: Path
    env: dict[str, str]
    port: int
    proc: subprocess.Popen[bytes]
    log: Path
    seconds: float = 0.0  # from the start of the command until the server answered
    server: dict[str, Any] = field(default_factory=dict)  # its `jupyter server list` entry

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the command and JupyterLab: SIGTERM to the process group the test started."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


def _servers(qs: QuickStart) -> list[dict[str, Any]]:
    """``jupyter server list --json`` in the fresh venv: one JSON object a line."""
    proc = subprocess.run([str(qs.clone / ".venv" / "bin" / "jupyter"), "server", "list", "--json"],
                          capture_output=True, text=True, env=qs.env, cwd=qs.clone, timeout=60)
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def _wait_for_server(qs: QuickStart) -> dict[str, Any]:
    """The server on ``qs.port`` once it answers; fail with the command's output if the
    command ends first or takes too long."""
    runtime = Path(qs.env["JUPYTER_RUNTIME_DIR"])
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if qs.proc.poll() is not None:
            pytest.fail(f"the quick start's command exited with {qs.proc.returncode} before "
                        f"JupyterLab answered:\n{qs.output()[-6000:]}", pytrace=False)
        if any(runtime.glob("jpserver-*.json")):
            found = [s for s in _servers(qs) if s.get("port") == qs.port]
            if found:
                return found[0]
        time.sleep(2)
    pytest.fail(f"JupyterLab did not answer within {START_TIMEOUT} s:\n{qs.output()[-6000:]}",
                pytrace=False)


@pytest.fixture(scope="module")
def quick_start(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QuickStart]:
    """Clone HEAD, run the Quick start's command in it in the background; stop it after."""
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.fail(f"{ROOT} must be a git checkout and git installed: the test clones it",
                    pytrace=False)
    tmp = tmp_path_factory.mktemp("readme")
    clone = tmp / "glmlearn"
    proc = subprocess.run([git, "clone", "--quiet", str(ROOT), str(clone)], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    env = _clean_env(tmp)
    port = _free_port()
    log = tmp / "quick-start.log"
    command = f"{quick_start_command(clone / 'README.md')} -- --no-browser --port={port}"
    started = time.monotonic()
    with open(log, "wb") as out:
        lab = subprocess.Popen(["bash", "-c", command], cwd=clone, env=env, stdout=out,
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               start_new_session=True)
    qs = QuickStart(clone, env, port, lab, log)
    try:
        qs.server = _wait_for_server(qs)
        qs.seconds = time.monotonic() - started
        yield qs
    finally:
        _stop(lab)


def _get(url: str, token: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET ``url`` (no redirects followed): status, headers, body."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    request = urllib.request.Request(url)
    if token is not None:
        request.add_header("Authorization", f"token {token}")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.mark.slow
def test_quick_start_opens_a_copy_of_the_lessons_behind_a_token(quick_start):
    qs = quick_start
    server = qs.server
    lessons = sorted(p.name for p in (qs.clone / "notebooks").glob("*.ipynb"))
    assert len(lessons) >= 8
    # The student's own copy is what JupyterLab opens, not the tracked notebooks/.
    assert Path(server["root_dir"]) == qs.clone / "glmlearn-lessons"
    assert server["token"], "token authentication must stay on"
    base = f"http://127.0.0.1:{qs.port}"

    status, _, body = _get(f"{base}/api/contents/", server["token"])
    assert status == 200, body[:500]
    listing = json.loads(body)
    assert listing["type"] == "directory"
    assert sorted(item["name"] for item in listing["content"]
                  if item["type"] == "notebook") == lessons

    status, headers, _ = _get(f"{base}/api/contents/")
    assert status in (401, 403) or (
        300 <= status < 400 and "/login" in headers.get("Location", "")), status

    output = qs.output()
    assert f"Copied {len(lessons)} lesson(s) into {qs.clone / 'glmlearn-lessons'}" in output
    if cli.running_as_root():  # as on this machine and in CI
        assert "Running as root: passing --allow-root to JupyterLab" in output
    # The tracked lessons are untouched.
    status_lines = subprocess.run(["git", "status", "--porcelain", "notebooks"], cwd=qs.clone,
                                  capture_output=True, text=True).stdout
    assert status_lines == ""
    print(f"quick start: JupyterLab answered {qs.seconds:.0f} s after the command started")

    _stop(qs.proc)
    assert qs.proc.returncode is not None
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", qs.port), timeout=5).close()


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES, ids=_example_id)
def test_terminal_examples_as_written(quick_start, example):
    proc = subprocess.run(["bash", "-c", example], cwd=quick_start.clone, env=quick_start.env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert proc.stderr == ""
    if " trace " in example:
        assert "   0 (start)" in proc.stdout
        # (R's layout, as a formula fit prints it, capitalises "Scoring")
        assert "number of fisher scoring iterations:" in proc.stdout.lower()
    else:
        assert proc.stdout.strip()
