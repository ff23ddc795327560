"""Side-by-side fit benchmark: glmlearn vs a lean IRLS loop, statsmodels and scikit-learn.

Run from the repository root::

    .venv/bin/python benchmarks/bench_fit.py            # the full run (a few minutes)
    .venv/bin/python benchmarks/bench_fit.py --quick    # smaller problems, fewer runs
    .venv/bin/python benchmarks/bench_fit.py --profile  # also cProfile glmlearn.fit
    .venv/bin/python benchmarks/bench_fit.py --threads 1  # BLAS/OpenMP on one thread

For each problem the same ``X`` (intercept column first) and ``y`` go to

* ``glmlearn.fit(X, y, family)`` with default settings,
* ``lean``: the least IRLS can do in numpy (:func:`lean_irls`): R's starting means,
  Cholesky of the weighted normal equations through LAPACK directly, R's stopping rule
  :math:`|D - D_{old}| / (|D| + 0.1) < 10^{-8}`, no trace, no checks, no inference;
* ``statsmodels.api.GLM(y, X, family).fit()`` (IRLS, its defaults),
* scikit-learn's Newton-Cholesky solver, unpenalized, tol 1e-8: ``LogisticRegression``
  for logistic problems, ``PoissonRegressor(alpha=0)`` for Poisson ones, given X without
  its column of ones and ``fit_intercept=True`` (how scikit-learn is meant to be used).

What is measured
----------------
* time: wall-clock ``time.perf_counter()`` around the fit call, median and min over
  ``--repeats`` runs (for small problems each run times a batch of fits, and there are
  more runs) after one untimed warm-up run; the fitters take turns run by run, so load
  from elsewhere on the machine hits each alike (the load average is printed before and
  after). The ratios use the minimum, the least disturbed run: on a loaded machine the
  median mostly measures the load. ``cpu s`` is the median process CPU time (all
  threads; with two BLAS threads it can exceed the wall time);
* peak extra memory: in one further run, ``tracemalloc``'s peak during the fit, the fitted
  result kept alive (numpy registers its data buffers with tracemalloc, so arrays are
  counted; memory that BLAS or compiled code allocates on its own is not). Shown in MB
  and as a multiple of ``X.nbytes``;
* agreement: max |coefficient difference| between glmlearn and each of the others.

Targets (checked on the problems marked in ``PROBLEMS``): logistic 1,000,000 x 10:
glmlearn <= 0.8 x scikit-learn and <= 1.3 x lean; Poisson 1,000,000 x 10: <= 1.0 x
scikit-learn and <= 0.2 x statsmodels; logistic 200 x 2: <= 4 x lean; peak extra memory
of the 1,000,000-row fits <= 2 x ``X.nbytes``.
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
from scipy.linalg import lapack
from sklearn.linear_model import LogisticRegression, PoissonRegressor

import glmlearn

Array = np.ndarray
Fitter = Callable[[Array, Array], tuple[Array, int, Any]]

#: Targets: (problem family, n) -> {other fitter: max glmlearn time / its time}, and
#: the peak-memory multiple of X.nbytes for the large fits.
TARGETS: dict[tuple[str, int], dict[str, float]] = {
    ("binomial", 1_000_000): {"sklearn": 0.8, "lean": 1.3},
    ("poisson", 1_000_000): {"sklearn": 1.0, "statsmodels": 0.2},
    ("binomial", 200): {"lean": 4.0},
}
TARGET_MEMORY = 2.0  # x X.nbytes, for n >= 1,000,000


@dataclass(frozen=True)
class Problem:
    """A simulated GLM problem: ``X`` has a column of ones then standard normal columns."""

    family: str  # "binomial" or "poisson"
    n: int
    p: int

    @property
    def targets(self) -> dict[str, float]:
        return TARGETS.get((self.family, self.n), {})

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


def lean_irls(X: Array, y: Array, family: str) -> tuple[Array, int]:
    """The least IRLS can do in numpy, for the canonical logit and log links.

    R's starting means (``mustart``), the weighted normal equations
    :math:`X^\top W X \beta = X^\top W z` solved by Cholesky (LAPACK's ``dpotrf`` and
    ``dpotrs``, called directly), R's stopping rule on the deviance. No checks, no
    trace, no step-halving, no inference: a yardstick, not a fitter.
    """
    if family == "binomial":
        mu = (y + 0.5) / 2
        eta = np.log(mu / (1 - mu))
    else:
        mu = y + 0.1
        eta = np.log(mu)
    dev_old, beta = np.inf, np.zeros(X.shape[1])
    for iteration in range(1, 26):
        d = mu * (1 - mu) if family == "binomial" else mu  # dmu/deta = V(mu): canonical
        z = eta + (y - mu) / d
        sw = np.sqrt(d)
        A = X * sw[:, None]
        c, _ = lapack.dpotrf(A.T @ A)
        beta, _ = lapack.dpotrs(c, A.T @ (z * sw))
        eta = X @ beta
        if family == "binomial":
            mu = 1 / (1 + np.exp(-eta))
            dev = -2 * np.sum(np.log(np.where(y > 0, mu, 1 - mu)))
        else:
            mu = np.exp(eta)
            ylogy = np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0) / mu), 0.0)
            dev = 2 * np.sum(ylogy - (y - mu))
        if abs(dev - dev_old) / (abs(dev) + 0.1) < 1e-8:
            return beta, iteration
        dev_old = dev
    return beta, 25


def fitters(family: str) -> dict[str, Fitter]:
    """The fits of one family, each returning (coef, iterations, fitted object)."""

    def fit_glmlearn(X: Array, y: Array) -> tuple[Array, int, Any]:
        res = glmlearn.fit(X, y, family)
        return np.asarray(res.coef), res.n_iter, res

    def fit_lean(X: Array, y: Array) -> tuple[Array, int, Any]:
        beta, iterations = lean_irls(X, y, family)
        return beta, iterations, beta

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

    return {"glmlearn": fit_glmlearn, "lean": fit_lean, "statsmodels": fit_statsmodels,
            "sklearn": fit_sklearn}


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

    @property
    def best(self) -> float:
        return min(self.times)


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
    """Measure every fitter on ``problem``; also return ``X.nbytes``.

    Each fitter is warmed up once; then the timed runs go round-robin (glmlearn, lean,
    statsmodels, scikit-learn, glmlearn, ...), so a burst of load from elsewhere on the
    machine hits every fitter alike and the ratios stay fair. Small problems time a batch
    of fits per run (a single fit would be shorter than the timer's noise).
    """
    X, y = problem.data()
    features = np.ascontiguousarray(X[:, 1:])  # scikit-learn's input, made outside the timing
    fits = fitters(problem.family)
    rounds = repeats if problem.n >= 100_000 else 20 * repeats
    batch = max(1, 20_000 // problem.n)
    data = {lib: features if lib == "sklearn" else X for lib in fits}
    first = {lib: fit(data[lib], y) for lib, fit in fits.items()}  # warm-up, and the answers
    times: dict[str, list[float]] = {lib: [] for lib in fits}
    cpu: dict[str, list[float]] = {lib: [] for lib in fits}
    for _ in range(rounds):
        for lib, fit in fits.items():
            gc.collect()
            c0, t0 = time.process_time(), time.perf_counter()
            for _ in range(batch):
                result = fit(data[lib], y)
            times[lib].append((time.perf_counter() - t0) / batch)
            cpu[lib].append((time.process_time() - c0) / batch)
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
    small = problem.n < 100_000
    unit, scale = ("ms", 1e3) if small else ("s", 1.0)
    lines = [f"{problem.name} (X.nbytes = {x_nbytes / 1e6:.3g} MB)",
             f"  {'fitter':<12} {'median ' + unit:>9} {'min ' + unit:>8} {'max ' + unit:>8} "
             f"{'cpu ' + unit:>7} {'iters':>5} {'peak MB':>8} {'peak/X':>6} "
             f"{'max|dcoef| vs glmlearn':>22}"]
    for m in results:
        diff = "-" if m is g else f"{np.max(np.abs(m.coef - g.coef)):.1e}"
        lines.append(f"  {m.library:<12} {m.median * scale:>9.3f} {m.best * scale:>8.3f} "
                     f"{max(m.times) * scale:>8.3f} {statistics.median(m.cpu_times) * scale:>7.3f} "
                     f"{m.iterations:>5} {m.peak_bytes / 1e6:>8.1f} "
                     f"{m.peak_bytes / x_nbytes:>6.2f} {diff:>22}")
    targets = problem.targets
    for other in ("sklearn", "lean", "statsmodels"):
        r = g.best / by[other].best
        rmed = g.median / by[other].median
        verdict = ""
        if other in targets:
            ok = r <= targets[other]
            verdict = f" (target <= {targets[other]:g}: {'met' if ok else 'MISSED'})"
        lines.append(f"  glmlearn / {other + ' time:':<17} {r:.2f} (medians: {rmed:.2f}){verdict}")
    mem = g.peak_bytes / x_nbytes
    verdict = (f" (target <= {TARGET_MEMORY:g}: {'met' if mem <= TARGET_MEMORY else 'MISSED'})"
               if problem.n >= 1_000_000 else "")
    lines.append(f"  glmlearn peak memory / X.nbytes: {mem:.2f}{verdict}")
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
    parser.add_argument("--quick", action="store_true",
                        help="large problems 10x smaller, 3 repeats (no targets checked)")
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
        Problem("binomial", 1_000_000 // scale, 10),
        Problem("poisson", 1_000_000 // scale, 10),
        Problem("binomial", 200, 2),
        Problem("binomial", 10_000 // scale, 5),
    ]
    warnings.simplefilter("ignore", FutureWarning)
    print(environment())
    print(f"{repeats} timed runs (x20 under 100,000 rows, each a batch of fits) after one "
          "warm-up, fitters taking turns; ratios of the minimum times (medians in brackets); "
          "peak = tracemalloc peak during one more fit")
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
