"""Moving the explorer figure by one iteration: a frame step vs redrawing from scratch.

A widget or an animation moves every panel to the next state and renders. This script
times, in one run and on the same logistic fit with n = 10,000 observations:

* ``frame step``: what the explorer does per step, :meth:`glmlearn.plot.FrameRenderer.show`
  (``update_all``, then the static background pasted back and only the moving artists,
  and the static ones above them, drawn). The background is rendered once per figure,
  before the timed frames; its cost is printed on its own;
* ``full redraw``: ``update_all`` then a full ``canvas.draw()`` (how frames were rendered
  before the frame renderer);
* ``from scratch``: a new figure, every ``draw_*``, then a full ``canvas.draw()`` (the
  deviance surface of the path panel evaluated once for the trace, outside the timing,
  and passed in: it does not change from frame to frame);
* ``update_all`` alone (no rendering), on the full trace and on the same fit traced
  ``trace="compact"``, whose states rebuild their n-vectors on each access: what moving
  the panels costs before any pixel is drawn.

It prints the median milliseconds per frame and the ratio frame step / from scratch (the
target is at most 0.25), and checks once that a frame equals a full draw, pixel for
pixel. It asserts nothing.

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


def time_frames(result: glmlearn.GLMResult, frames: int, clock: Clock) -> tuple[list[float], float]:
    """Milliseconds per frame of ``FrameRenderer.show``, and of its first render."""
    fig, panels = plot.explorer_figure(result, 0, band=result)
    renderer = plot.FrameRenderer(fig, panels)
    t0 = clock()
    renderer.render()  # the static background, once per figure
    first = 1e3 * (clock() - t0)
    states = result.trace
    out = []
    for i in range(frames):
        state = states[(i + 1) % len(states)]
        t0 = clock()
        renderer.show(state)
        out.append(1e3 * (clock() - t0))
    return out, first


def time_full(result: glmlearn.GLMResult, frames: int, clock: Clock) -> list[float]:
    """Milliseconds per frame: ``update_all`` to the next state, then a full canvas draw."""
    fig, panels = plot.explorer_figure(result, 0, band=result)
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


def time_scratch(result: glmlearn.GLMResult, frames: int, clock: Clock,
                 panel_kw: dict[str, dict[str, object]]) -> list[float]:
    """Milliseconds per frame: a new figure, every ``draw_*``, then one canvas draw."""
    states = result.trace
    out = []
    for i in range(frames):
        state = states[(i + 1) % len(states)]
        t0 = clock()
        fig, _ = plot.explorer_figure(result, state, band=result, panel_kw=panel_kw)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        out.append(1e3 * (clock() - t0))
    return out


def time_update(result: glmlearn.GLMResult, frames: int, clock: Clock) -> list[float]:
    """Milliseconds per step of ``update_all`` alone (no rendering)."""
    _, panels = plot.explorer_figure(result, 0, band=result)
    states = result.trace
    out = []
    for i in range(frames):
        state = states[(i + 1) % len(states)]
        t0 = clock()
        plot.update_all(panels, state)
        out.append(1e3 * (clock() - t0))
    return out


def frames_equal_full_draws(result: glmlearn.GLMResult,
                            panel_kw: dict[str, dict[str, object]]) -> bool:
    """A frame step to each state renders the pixels of a fresh figure drawn at it."""
    fig, panels = plot.explorer_figure(result, 0, band=result, panel_kw=panel_kw)
    renderer = plot.FrameRenderer(fig, panels)
    for k in [*range(1, len(result.trace)), 0]:
        renderer.show(result.trace[k])
        fresh, _ = plot.explorer_figure(result, k, band=result, panel_kw=panel_kw)
        canvas = FigureCanvasAgg(fresh)
        canvas.draw()
        if not np.array_equal(np.asarray(fig.canvas.buffer_rgba()), np.asarray(canvas.buffer_rgba())):
            return False
    return True


def _line(label: str, ms: list[float]) -> str:
    return (f"  {label:34s} median {statistics.median(ms):7.1f} ms/frame "
            f"(min {min(ms):.1f}, max {max(ms):.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="observations")
    parser.add_argument("--frames", type=int, default=6, help="frames per round and method")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, alternating methods")
    args = parser.parse_args()

    result = logistic_fit(args.n)
    compact = glmlearn.fit(result.problem.X, result.problem.y, "binomial", trace="compact",
                           column_names=list(result.problem.column_names))
    t0 = time.perf_counter()
    plot.explorer_figure(result, 0)  # warm-up
    first = 1e3 * (time.perf_counter() - t0)
    t0 = time.perf_counter()
    surface = plot.path_surface(result)
    surface_ms = 1e3 * (time.perf_counter() - t0)
    given = {"path": {"surface": surface}}
    print(f"logistic fit, n = {args.n}, {len(result.trace)} states, panels: "
          f"{', '.join(plot.default_panels(result))}")
    print(f"first figure (includes the deviance surface): {first:.0f} ms; "
          f"the surface alone: {surface_ms:.0f} ms")
    print(f"frame step == full draw of a fresh figure, every state, pixel for pixel: "
          f"{'yes' if frames_equal_full_draws(result, given) else 'NO'}")

    # Wall-clock time is what a learner waits; CPU time of this process is steadier on a
    # shared machine. The methods are timed in the same run, alternating, so all see the
    # same machine load.
    for label, clock in (("wall", time.perf_counter), ("cpu", time.process_time)):
        step: list[float] = []
        full: list[float] = []
        scratch: list[float] = []
        backgrounds: list[float] = []
        moves: list[float] = []
        moves_compact: list[float] = []
        for _ in range(args.rounds):
            ms, bg = time_frames(result, args.frames, clock)
            step += ms
            backgrounds.append(bg)
            full += time_full(result, args.frames, clock)
            scratch += time_scratch(result, args.frames, clock, given)
            moves += time_update(result, args.frames, clock)
            moves_compact += time_update(compact, args.frames, clock)
        print(f"[{label} time, {len(step)} frames each]")
        print(_line("frame step (FrameRenderer.show):", step))
        print(_line("update_all + full canvas.draw():", full))
        print(_line("new figure + draw_* + full draw:", scratch))
        print(_line("update_all alone, full trace:", moves))
        print(_line("update_all alone, compact trace:", moves_compact))
        print(f"  static background, once per figure: median {statistics.median(backgrounds):.0f} ms")
        ratio = statistics.median(step) / statistics.median(scratch)
        print(f"  ratio frame step / from scratch: {ratio:.3f}  (target <= 0.25); "
              f"full redraw / from scratch: "
              f"{statistics.median(full) / statistics.median(scratch):.3f}")


if __name__ == "__main__":
    main()
