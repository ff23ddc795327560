"""Moving the explorer figure by one iteration: update in place vs redraw from scratch.

A widget or an animation moves every panel with ``update_all`` and redraws the canvas
once. The alternative a notebook author might write is to build the figure again for
every iteration. This script times both on the same logistic fit with n = 10,000
observations and prints the median milliseconds per frame and their ratio (the
target is at most 0.25). It prints figures; it asserts nothing.

Run: ``python benchmarks/bench_plot_update.py [--n 10000] [--frames 6] [--rounds 3]``
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

import glmlearn
from glmlearn import plot


def logistic_fit(n: int, seed: int = 1) -> glmlearn.GLMResult:
    """A logistic regression of a 0/1 outcome on one predictor, n observations."""
    rng = np.random.default_rng(seed)
    hours = rng.uniform(1, 10, n)
    passed = rng.binomial(1, 1 / (1 + np.exp(-(-3 + 0.8 * hours))))
    X = np.column_stack([np.ones(n), hours])
    return glmlearn.fit(X, passed, "binomial", column_names=["(Intercept)", "hours"])


Clock = Callable[[], float]


def time_update(result: glmlearn.GLMResult, frames: int, clock: Clock, legends: bool
                ) -> list[float]:
    """Milliseconds per frame: ``update_all`` to the next state, then one canvas draw."""
    fig, panels = plot.explorer_figure(result, 0, band=result, legends=legends)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    states = result.trace
    out = []
    for i in range(frames):
        state = states[(i + 1) % len(states)]
        t0 = clock()
        plot.update_all(panels, state)
        canvas.draw()
        out.append(1e3 * (clock() - t0))
    return out


def time_scratch(result: glmlearn.GLMResult, frames: int, clock: Clock, legends: bool
                 ) -> list[float]:
    """Milliseconds per frame: a new figure, every ``draw_*``, then one canvas draw."""
    states = result.trace
    out = []
    for i in range(frames):
        state = states[(i + 1) % len(states)]
        t0 = clock()
        fig, _ = plot.explorer_figure(result, state, band=result, legends=legends)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        out.append(1e3 * (clock() - t0))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="observations")
    parser.add_argument("--frames", type=int, default=6, help="frames per round and method")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, alternating methods")
    args = parser.parse_args()

    result = logistic_fit(args.n)
    t0 = time.perf_counter()
    plot.explorer_figure(result, 0)  # warm-up; computes and caches the deviance surface
    first = 1e3 * (time.perf_counter() - t0)
    print(f"logistic fit, n = {args.n}, {len(result.trace)} states, panels: "
          f"{', '.join(plot.default_panels(result))}")
    print(f"first figure (includes the deviance surface, then cached): {first:.0f} ms")

    # Wall-clock time is what a learner waits; CPU time of this process is steadier on a
    # shared machine. Both methods are timed in the same run, alternating, so both see
    # the same machine load.
    # The default figure has legends; "no legends" shows what they cost per frame.
    runs = (("wall", time.perf_counter, True), ("cpu", time.process_time, True),
            ("cpu", time.process_time, False))
    for label, clock, legends in runs:
        update: list[float] = []
        scratch: list[float] = []
        for _ in range(args.rounds):
            update += time_update(result, args.frames, clock, legends)
            scratch += time_scratch(result, args.frames, clock, legends)
        mu, ms = statistics.median(update), statistics.median(scratch)
        which = "default explorer" if legends else "explorer_figure(legends=False)"
        print(f"[{label} time, {which}, {len(update)} frames each]")
        print(f"  update_all + canvas.draw():          median {mu:7.1f} ms/frame "
              f"(min {min(update):.1f}, max {max(update):.1f})")
        print(f"  new figure + draw_* + canvas.draw(): median {ms:7.1f} ms/frame "
              f"(min {min(scratch):.1f}, max {max(scratch):.1f})")
        print(f"  ratio update / scratch: {mu / ms:.3f}  (target <= 0.25)")


if __name__ == "__main__":
    main()
