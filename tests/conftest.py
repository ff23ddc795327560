"""Shared fixtures: ``rscript`` runs R itself, for the tests that take R as the reference.

R is required, not optional: when ``Rscript`` or the R packages MASS and jsonlite are
missing, the tests that use R fail (they do not skip) and say how to install them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

R_INSTALL = "apt-get install -y r-base-core r-cran-mass r-cran-jsonlite"
R_SCRIPTS = Path(__file__).resolve().parent / "r"


@pytest.fixture(scope="session")
def rscript() -> Callable[..., Any]:
    """``rscript(script, *args)``: run ``tests/r/<script>`` with Rscript and parse the JSON it
    prints on stdout. Fails the test (never skips) when R, MASS or jsonlite is missing."""
    exe = shutil.which("Rscript")
    if exe is None:
        pytest.fail(f"Rscript not found; the R reference tests need R: {R_INSTALL}", pytrace=False)
    check = subprocess.run([exe, "-e", "library(MASS); library(jsonlite)"],
                           capture_output=True, text=True, timeout=120)
    if check.returncode != 0:
        pytest.fail(f"R is installed but MASS or jsonlite is missing ({check.stderr.strip()}); "
                    f"{R_INSTALL}", pytrace=False)

    def run(script: str | Path, *args: object, timeout: float = 300) -> Any:
        path = R_SCRIPTS / script
        proc = subprocess.run([exe, "--vanilla", str(path), *map(str, args)],
                              capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            pytest.fail(f"Rscript {path.name} failed ({proc.returncode}):\n{proc.stderr[-4000:]}",
                        pytrace=False)
        return json.loads(proc.stdout)

    return run
