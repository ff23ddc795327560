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


def test_public_module_names_are_modules_and_function_names_are_functions() -> None:
    """No public name means two things: ``glmlearn.irls`` is the generator function and the
    loop lives in the private module ``glmlearn._irls``; every public submodule is
    reachable under its own name as that module (no function shadows it)."""
    import importlib
    import importlib.util
    import pkgutil
    import types

    import glmlearn

    clashes = []
    for info in pkgutil.walk_packages(glmlearn.__path__, "glmlearn."):
        parent_name, _, leaf = info.name.rpartition(".")
        if leaf.startswith("_") or ".lessons" in info.name:
            continue
        module = importlib.import_module(info.name)
        attribute = getattr(importlib.import_module(parent_name), leaf)
        if attribute is not module:
            clashes.append(f"{info.name} is shadowed by {type(attribute).__name__} {attribute!r}")
    for name in glmlearn.__all__:
        value = getattr(glmlearn, name)
        if not isinstance(value, types.ModuleType):
            spec = importlib.util.find_spec(f"glmlearn.{name}")
            if spec is not None:
                clashes.append(f"glmlearn.{name} is both a {type(value).__name__} and a module")
    assert not clashes, "\n".join(clashes)
