"""The linter (ruff) and the type checker (mypy) run as part of the test suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def test_ruff_is_clean() -> None:
    proc = _run("ruff", "check", "glmlearn", "tests", "benchmarks")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_is_clean() -> None:
    proc = _run("mypy", "glmlearn")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_import_glmlearn_is_light() -> None:
    """``import glmlearn`` must not pull in matplotlib or ipywidgets (they load lazily)."""
    code = ("import sys, glmlearn; bad = [m for m in ('matplotlib', 'ipywidgets') "
            "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
