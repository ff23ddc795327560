"""Seconds each lesson (notebooks/*.ipynb) takes to run top to bottom in a fresh kernel.

The budget the lessons were written to: under 15 s each and under 90 s together. The test
suite does not time them (nbval, the Binder test and the browser tests each execute them
once, for correctness); this script does, with nbclient and the ``python3`` kernel, from
the ``notebooks/`` folder, and prints one line per lesson, the total and the budget. It
asserts nothing; the exit status is 0 even over budget.

Run: ``python benchmarks/bench_lessons.py [--rounds 1]`` (the minimum over the rounds is
shown: the machine is shared).
"""

from __future__ import annotations

import argparse
import copy
import os
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

LESSONS = Path(__file__).resolve().parents[1] / "notebooks"
PER_LESSON_S = 15.0
ALL_LESSONS_S = 90.0


def run_once(path: Path) -> float:
    nb = copy.deepcopy(nbformat.read(path, as_version=4))
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(LESSONS)}})
    t0 = time.perf_counter()
    client.execute()  # raises CellExecutionError, with the traceback, if a cell fails
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    total = 0.0
    for path in sorted(LESSONS.glob("*.ipynb")):
        best = min(run_once(path) for _ in range(args.rounds))
        total += best
        flag = "" if best < PER_LESSON_S else f"  over the {PER_LESSON_S:.0f} s budget"
        print(f"{path.name:45s} {best:6.1f} s{flag}")
    flag = "" if total < ALL_LESSONS_S else f"  over the {ALL_LESSONS_S:.0f} s budget"
    print(f"{'all lessons':45s} {total:6.1f} s{flag}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
