"""Side-by-side fit benchmark: glmlearn vs statsmodels vs scikit-learn, in one process.

Run from the repository root::

    .venv/bin/python benchmarks/bench_fit.py            # the full run (about two minutes)
    .venv/bin/python benchmarks/bench_fit.py --quick    # smaller problems, a few seconds
    .venv/bin/python benchmarks/bench_fit.py --profile  # also cProfile glmlearn.fit
    .venv/bin/python benchmarks/bench_fit.py --threads 1  # BLAS/OpenMP on one thread

For each problem the same ``X`` (intercept column first) and ``y`` go to

* ``glmlearn.fit(X, y, family)`` with default settings,
* ``statsmodels.api.GLM(y, X, family).fit()`` (IRLS, its defaults),
* scikit-learn's Newton-Cholesky solver, unpenalized, tol 1e-8: ``LogisticRegression``
  for logistic problems, ``PoissonRegressor(alpha=0)`` for Poisson ones, given X without
  its column of ones and ``fit_intercept=True`` (how scikit-learn is meant to be used).

What is measured
----------------
* time: wall-clock ``time.perf_counter()`` around the fit call, median (and min, max) over
  ``--repeats`` runs (20 times as many for problems under 100,000 rows) after one untimed
  warm-up run; the libraries take turns run by run, so load from elsewhere on the machine
  hits each alike (the load average is printed before and after). ``cpu s`` is the median
  process CPU time (all threads; with two BLAS threads it can exceed the wall time);
* peak extra memory: in one further run, ``tracemalloc``'s peak during the fit, the fitted
  result kept alive (numpy registers its data buffers with tracemalloc, so arrays are
  counted; memory that BLAS or compiled code allocates on its own is not). Shown in MB
  and as a multiple of ``X.nbytes``;
* agreement: max |coefficient difference| between glmlearn and each of the others.

The targets checked on the logistic 1,000,000 x 10 problem: glmlearn time <= 0.2 x
statsmodels, <= 1.0 x scikit-learn, and glmlearn's peak extra memory <= 3 x X.nbytes.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy
import sklearn
import statsmodels
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression, PoissonRegressor

import glmlearn

Array = np.ndarray
Fitter = Callable[[Array, Array], tuple[Array, int, Any]]

TARGET_VS_STATSMODELS = 0.2
TARGET_VS_SKLEARN = 1.0
TARGET_MEMORY = 3.0  # x X.nbytes


@dataclass(frozen=True)
class Problem:
    """A simulated GLM problem: ``X`` has a column of ones then standard normal columns."""

    family: str  # "binomial" or "poisson"
    n: int
    p: int
    target: bool = False  # the problem the targets are checked on

    @property
    def name(self) -> str:
        kind = "logistic" if self.family == "binomial" else "Poisson"
        return f"{kind} n={self.n:,} p={self.p}"

    def data(self, seed: int = 0) -> tuple[Array, Array]:
        rng = np.random.default_rng(seed)
        X = np.empty((self.n, self.p))
        X[:, 0] = 1.0
        X[:, 1:] = rng.standard_normal((self.n, self.p - 1))
        if self.family == "binomial":
            beta = np.r_[-0.5, rng.normal(0.0, 0.5, self.p - 1)]
            y = rng.binomial(1, 1.0 / (1.0 + np.exp(-(X @ beta)))).astype(float)
        else:
            beta = np.r_[0.5, rng.normal(0.0, 0.2, self.p - 1)]
            y = rng.poisson(np.exp(X @ beta)).astype(float)
        return X, y


def _sklearn_unpenalized() -> dict[str, Any]:
    # scikit-learn 1.8 deprecated penalty=None in favour of C=np.inf (the same model).
    major, minor = (int(v) for v in sklearn.__version__.split(".")[:2])
    return {"C": np.inf} if (major, minor) >= (1, 8) else {"penalty": None}


def fitters(family: str) -> dict[str, Fitter]:
    """The three fits of one family, each returning (coef, iterations, fitted object)."""

    def fit_glmlearn(X: Array, y: Array) -> tuple[Array, int, Any]:
        res = glmlearn.fit(X, y, family)
        return np.asarray(res.coef), res.n_iter, res

    sm_family = sm.families.Binomial() if family == "binomial" else sm.families.Poisson()

    def fit_statsmodels(X: Array, y: Array) -> tuple[Array, int, Any]:
        res = sm.GLM(y, X, family=sm_family).fit()
        return np.asarray(res.params), int(res.fit_history["iteration"]), res

    def fit_sklearn(X: Array, y: Array) -> tuple[Array, int, Any]:
        # X without its column of ones: scikit-learn fits the intercept itself.
        if family == "binomial":
            model: Any = LogisticRegression(solver="newton-cholesky", tol=1e-8, max_iter=100,
                                            **_sklearn_unpenalized())
        else:
            model = PoissonRegressor(alpha=0.0, solver="newton-cholesky", tol=1e-8)
        model.fit(X, y)
        coef = np.r_[np.ravel(model.intercept_), np.ravel(model.coef_)]
        return coef, int(np.max(model.n_iter_)), model

    return {"glmlearn": fit_glmlearn, "statsmodels": fit_statsmodels, "sklearn": fit_sklearn}


@dataclass
class Measure:
    """Timings, memory and coefficients of one library on one problem."""

    library: str
    times: list[float]
    cpu_times: list[float]
    peak_bytes: int
    iterations: int
    coef: Array

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def _peak_bytes(fit: Fitter, X: Array, y: Array) -> int:
    """tracemalloc's peak during one fit, the result kept alive until the peak is read."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        kept = fit(X, y)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    del kept
    return peak


def run_problem(problem: Problem, repeats: int) -> tuple[list[Measure], int]:
    """Measure the three libraries on ``problem``; also return ``X.nbytes``.

    Each library is warmed up once; then the timed runs go round-robin (glmlearn,
    statsmodels, scikit-learn, glmlearn, ...), so a burst of load from elsewhere on the
    machine hits every library alike and the ratios stay fair.
    """
    X, y = problem.data()
    features = np.ascontiguousarray(X[:, 1:])  # scikit-learn's input, made outside the timing
    fits = fitters(problem.family)
    rounds = repeats if problem.n >= 100_000 else 20 * repeats
    data = {lib: features if lib == "sklearn" else X for lib in fits}
    first = {lib: fit(data[lib], y) for lib, fit in fits.items()}  # warm-up, and the answers
    times: dict[str, list[float]] = {lib: [] for lib in fits}
    cpu: dict[str, list[float]] = {lib: [] for lib in fits}
    for _ in range(rounds):
        for lib, fit in fits.items():
            gc.collect()
            c0, t0 = time.process_time(), time.perf_counter()
            result = fit(data[lib], y)
            times[lib].append(time.perf_counter() - t0)
            cpu[lib].append(time.process_time() - c0)
            del result
        print(".", end="", flush=True, file=sys.stderr)
    print(file=sys.stderr)
    out = [Measure(lib, times[lib], cpu[lib], _peak_bytes(fit, data[lib], y), first[lib][1],
                   first[lib][0]) for lib, fit in fits.items()]
    return out, X.nbytes


def report(problem: Problem, results: list[Measure], x_nbytes: int) -> list[str]:
    """The table rows of one problem, then the ratios (and the targets, where they apply)."""
    by = {m.library: m for m in results}
    g = by["glmlearn"]
    lines = [f"{problem.name} (X.nbytes = {x_nbytes / 1e6:.3g} MB)",
             f"  {'library':<12} {'median s':>9} {'min s':>8} {'max s':>8} {'cpu s':>7} {'iters':>5} "
             f"{'peak MB':>8} {'peak/X':>6} {'max|dcoef| vs glmlearn':>22}"]
    for m in results:
        diff = "-" if m is g else f"{np.max(np.abs(m.coef - g.coef)):.1e}"
        lines.append(f"  {m.library:<12} {m.median:>9.3f} {min(m.times):>8.3f} {max(m.times):>8.3f} "
                     f"{statistics.median(m.cpu_times):>7.3f} "
                     f"{m.iterations:>5} {m.peak_bytes / 1e6:>8.1f} {m.peak_bytes / x_nbytes:>6.2f} "
                     f"{diff:>22}")
    r_sm, r_sk = g.median / by["statsmodels"].median, g.median / by["sklearn"].median
    mem = g.peak_bytes / x_nbytes

    def verdict(value: float, target: float) -> str:
        return f" (target <= {target:g}: {'met' if value <= target else 'MISSED'})" if problem.target else ""

    lines.append(f"  glmlearn / statsmodels time: {r_sm:.2f}{verdict(r_sm, TARGET_VS_STATSMODELS)}")
    lines.append(f"  glmlearn / sklearn time:     {r_sk:.2f}{verdict(r_sk, TARGET_VS_SKLEARN)}")
    lines.append(f"  glmlearn peak memory / X.nbytes: {mem:.2f}{verdict(mem, TARGET_MEMORY)}")
    return lines


def profile_glmlearn(problem: Problem, top: int = 20) -> str:
    """cProfile one ``glmlearn.fit`` on ``problem``; the ``top`` functions by own time."""
    X, y = problem.data()
    glmlearn.fit(X, y, problem.family)  # warm-up
    prof = cProfile.Profile()
    prof.enable()
    glmlearn.fit(X, y, problem.family)
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


def environment() -> str:
    threads = ""
    try:
        import threadpoolctl

        threads = ", ".join(f"{i['internal_api']} {i['num_threads']} threads"
                            for i in threadpoolctl.threadpool_info())
    except ImportError:
        pass
    try:
        rev = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True,
                             text=True, cwd=Path(__file__).resolve().parent, timeout=10).stdout.strip()
    except OSError:
        rev = ""
    return (f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
            f"numpy {np.__version__}, scipy {scipy.__version__}, statsmodels "
            f"{statsmodels.__version__}, scikit-learn {sklearn.__version__}, glmlearn "
            f"{glmlearn.__version__}" + (f" (git {rev})" if rev else "")
            + (f"\nBLAS/OpenMP: {threads}" if threads else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="problems 10x smaller, 3 repeats")
    parser.add_argument("--repeats", type=int, help="timed runs per fit (default 5, quick 3)")
    parser.add_argument("--profile", action="store_true",
                        help="also cProfile glmlearn.fit on the target problem")
    parser.add_argument("--threads", type=int,
                        help="limit BLAS and OpenMP to this many threads (threadpoolctl); "
                        "default: the libraries' own (one per core)")
    args = parser.parse_args(argv)
    if args.threads:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(args.threads):
            return _run(args)
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    scale = 10 if args.quick else 1
    repeats = args.repeats or (3 if args.quick else 5)
    problems = [
        Problem("binomial", 1_000_000 // scale, 10, target=not args.quick),
        Problem("binomial", 10_000 // scale, 5),
        Problem("poisson", 1_000_000 // scale, 10),
    ]
    warnings.simplefilter("ignore", FutureWarning)
    print(environment())
    print(f"median of {repeats} timed runs (x20 under 100,000 rows) after one warm-up, libraries "
          "taking turns; peak = tracemalloc peak during one more fit")
    print(f"load average before: {_load()}\n")
    for problem in problems:
        print(f"{problem.name} ...", file=sys.stderr)
        results, x_nbytes = run_problem(problem, repeats)
        print("\n".join(report(problem, results, x_nbytes)), end="\n\n", flush=True)
    print(f"load average after: {_load()}")
    if args.profile:
        print(profile_glmlearn(problems[0]))
    return 0


def _load() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg()) + " (1, 5, 15 min)"
    except OSError:
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
