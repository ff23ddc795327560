"""The Binder environment, built from scratch, runs every lesson.

What mybinder.org does with this repository, done here in a temporary folder:

1. a fresh virtual environment (``python -m venv``; Binder's ``runtime.txt`` asks for the
   same Python minor version as this one);
2. ``pip install -r binder/requirements.txt`` from a copy of the repository root;
3. ``binder/postBuild`` (it installs glmlearn itself), with that environment first on PATH;
4. every ``notebooks/*.ipynb`` executed by that environment's own ``jupyter nbconvert``
   and ``python3`` kernel, in a folder outside the repository, so that ``import glmlearn``
   can only find the installed package. The ``# NBVAL_CHECK_OUTPUT`` cells must print
   what the stored lessons print.

Slow (a minute or more: it installs JupyterLab): marked ``slow``, and run by the default
``pytest`` all the same.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHECK = "# NBVAL_CHECK_OUTPUT"
# What a copy of the repository leaves out: VCS data, local environments, caches, builds.
IGNORE = shutil.ignore_patterns(".git", ".venv", "venv", "__pycache__", "*.egg-info", "build",
                                "dist", ".pytest_cache", ".mypy_cache", ".ruff_cache",
                                ".hypothesis", ".ipynb_checkpoints", "shots")

pytestmark = pytest.mark.slow


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, (f"{' '.join(cmd)} failed ({proc.returncode}):\n"
                                  f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc.stdout


def _checked_texts(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or not "".join(cell["source"]).startswith(CHECK):
            continue
        parts = []
        for o in cell.get("outputs", []):
            if o["output_type"] == "stream":
                parts.append("".join(o["text"]))
            elif o["output_type"] in ("execute_result", "display_data"):
                parts.append("".join(o.get("data", {}).get("text/plain", "")))
        out.append("".join(parts))
    return out


def test_binder_files_are_there_and_pinned() -> None:
    reqs = [ln.strip() for ln in (BINDER / "requirements.txt").read_text().splitlines()
            if ln.strip() and not ln.startswith("#")]
    names = {re.split(r"==", r)[0].lower().replace("_", "-") for r in reqs}
    for needed in ("numpy", "scipy", "matplotlib", "ipywidgets", "ipympl", "jupyterlab",
                   "notebook", "ipykernel"):
        assert needed in names, f"binder/requirements.txt does not pin {needed}"
    for r in reqs:
        assert re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", r), f"not an exact pin: {r}"
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"
    post = BINDER / "postBuild"
    assert os.access(post, os.X_OK), "binder/postBuild must be executable"
    assert "pip install --no-deps ." in post.read_text()


def test_pins_match_the_development_environment() -> None:
    """The lessons' stored outputs were made with these versions: keep the pins honest."""
    from importlib.metadata import PackageNotFoundError, version

    for line in (BINDER / "requirements.txt").read_text().splitlines():
        if "==" not in line or line.startswith("#"):
            continue
        name, pinned = line.strip().split("==")
        try:
            installed = version(name)
        except PackageNotFoundError:
            continue
        assert installed == pinned, f"{name}: binder pins {pinned}, this environment has {installed}"


def test_binder_environment_runs_every_lesson(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=IGNORE)
    venv = tmp_path / "binder-venv"
    _run([sys.executable, "-m", "venv", str(venv)], tmp_path, dict(os.environ), 300)
    bin_dir = venv / "bin"
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "MPLBACKEND", "PYTHONHOME")}
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        VIRTUAL_ENV=str(venv),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        IPYTHONDIR=str(home / "ipython"),
        MPLCONFIGDIR=str(home / "mpl"),
        JUPYTER_PLATFORM_DIRS="1",
    )

    # Binder: pip install -r binder/requirements.txt (from the repository root), then postBuild.
    _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "-r", "binder/requirements.txt"],
         repo, env, 900)
    if (repo / "binder" / "postBuild").exists():
        _run(["bash", "binder/postBuild"], repo, env, 600)

    work = tmp_path / "work"  # outside the repository: glmlearn must come from the install
    work.mkdir()
    where = _run([str(bin_dir / "python"), "-c",
                  "import glmlearn, ipympl, ipywidgets, jupyterlab; print(glmlearn.__file__)"],
                 work, env, 120)
    assert str(venv) in where, f"glmlearn imported from {where.strip()}, not from the Binder env"

    failures = []
    for nb in NOTEBOOKS:
        shutil.copy(nb, work / nb.name)
        out = work / f"executed-{nb.name}"
        _run([str(bin_dir / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
              "--ExecutePreprocessor.timeout=120", "--ExecutePreprocessor.kernel_name=python3",
              f"--output={out.name}", nb.name], work, env, 300)
        stored, fresh = _checked_texts(nb), _checked_texts(out)
        if stored != fresh:
            failures.append(f"{nb.name}: checked outputs differ in the Binder environment")
    assert not failures, "\n".join(failures)


def test_readme_has_the_binder_badge_and_a_link_per_lesson() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    base = "https://mybinder.org/v2/gh/glmlearn/glmlearn/HEAD?urlpath=lab/tree/notebooks"
    assert f"[![Binder](https://mybinder.org/badge_logo.svg)]({base})" in readme
    assert "## Lessons" in readme
    for nb in NOTEBOOKS:
        assert f"({base}/{nb.name})" in readme, f"README: no Binder link for {nb.name}"
        assert f"(notebooks/{nb.name})" in readme, f"README: no link to {nb.name}"
