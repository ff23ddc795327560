"""Milliseconds per slider step of the IRLS explorer, under Agg, with n = 10,000.

A step is what one move of the slider costs in the kernel: the callback moves every
panel with ``update_all``, refreshes the state table, and redraws once
(``fig.canvas.draw_idle()``). Three figures:

* ``png`` mode (no ipympl, e.g. ``%matplotlib inline``): the callback also renders the
  figure to a PNG and puts it into the ``Output`` widget, so the whole cost is inside it;
* ``ipympl-kernel``: the ipympl mode's kernel cost, measured without a browser as the
  same callback plus one frame render (what ipympl does when the browser asks for the
  image, through the explorer's frame renderer; encoding and sending it are not counted);
* ``update-only``: the callback without any drawing (``update_all`` and the table).

It prints the median and the range over the steps; it asserts nothing.

Then the same for the method race (the pass/fail data, n = 200, three methods, a step of
the slider), in its frame-rendered form and, for comparison, with a full redraw of the
figure per step (``full-redraw``, what the race did before it rendered frames). Measured
on 2 loaded cores (medians, ms per step): kernel 27 (full redraw 108), PNG mode 52 (142).

Then the hands-on widget (``hands_on``, lesson 1's pass/fail data, n = 200, PNG mode,
the widget's own size): milliseconds per action -- β set (as by a click), IRLS run from
it, a slider step, a point picked, a response changed (a refit) -- as it is (each action
renders only what changed: ``_hands_on_frames``), and as it was (``full-redraw``: every
panel from ``ax.cla()`` and the whole figure rendered per action). Measured on 2 loaded
cores (medians, ms per action, frames against full-redraw): β set 488 (591), IRLS run
432 (580), slider step 167 (220), point picked 163 (321), refit 765 (808).

Run: ``python benchmarks/bench_widgets.py [--n 10000] [--rounds 3] [--only hands_on]``
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

from glmlearn.widgets import ExplorerData, hands_on, irls_explorer, method_race


def logistic_data(n: int, seed: int = 1) -> ExplorerData:
    """A logistic regression of a 0/1 outcome on one predictor, n observations."""
    rng = np.random.default_rng(seed)
    hours = rng.uniform(1, 10, n)
    passed = rng.binomial(1, 1 / (1 + np.exp(-(-3 + 0.8 * hours)))).astype(float)
    return ExplorerData(f"logistic n={n}", f"simulated logistic data, n = {n}",
                        np.column_stack([np.ones(n), hours]), passed,
                        column_names=("(Intercept)", "hours"), families=("binomial",),
                        start="zero")


def time_steps(data: ExplorerData, mode: str, rounds: int) -> list[float]:
    ex = irls_explorer(data, backend="png")
    if mode == "ipympl-kernel":
        # The same callback, then one frame render and no PNG for an Output: what the
        # kernel does for ipympl (update, then render when the browser asks).
        assert isinstance(ex.figure.canvas, FigureCanvasAgg)
        ex.figure.canvas.draw_idle = ex.view.render  # type: ignore[method-assign]
    elif mode == "update-only":
        ex.figure.canvas.draw_idle = lambda: None  # type: ignore[method-assign]
    return _sweep(lambda k: setattr(ex, "iteration", k), len(ex.trace) - 1, rounds)


def _sweep(show: Callable[[int], None], last: int, rounds: int) -> list[float]:
    """Milliseconds per ``show(k)``, stepping k from 1 up to ``last`` and back to 0."""
    out = []
    for _ in range(rounds):
        for k in [*range(1, last + 1), *range(last - 1, -1, -1)]:
            t0 = time.perf_counter()
            show(k)
            out.append(1e3 * (time.perf_counter() - t0))
    return out


def time_race_steps(mode: str, rounds: int) -> list[float]:
    """Milliseconds per step of the method race: ``png``, ``ipympl-kernel`` (as above),
    each with frames, or with a full redraw per step (``... full-redraw``)."""
    race = method_race(backend="png")
    if mode.endswith("full-redraw"):
        assert race.view.frames is not None
        race.view.frames.release()
        race.view.frames = None  # every render is a full canvas.draw()
    if mode.startswith("ipympl-kernel"):
        race.figure.canvas.draw_idle = race.view.render  # type: ignore[method-assign]
    return _sweep(lambda k: setattr(race, "k", k), min(race.artists.steps, 60), rounds)


def time_hands_on(mode: str, rounds: int) -> dict[str, list[float]]:
    """Milliseconds per action of the hands-on widget, by action: ``"frames"`` (as it
    is) or ``"full-redraw"`` (every panel from ``ax.cla()``, the figure rendered whole)."""
    w = hands_on(backend="png")
    if mode == "full-redraw":
        w._incremental = False
        w._attach_frames()
    n = w.problem.n
    actions = {
        "set β": lambda i: w.set_beta((-1.0 - 0.15 * (i % 4), 0.3 + 0.03 * (i % 3))),
        "run IRLS": lambda i: w.run_irls(),
        "slider step": lambda i: setattr(w, "iteration", 1 + i % (len(w.trace) - 1)),
        "pick a point": lambda i: w.select((7 * i) % n),
        "refit": lambda i: w.set_response(3 + i % 2, 1.0 - float(w.y[3 + i % 2])),
    }
    out: dict[str, list[float]] = {}
    for name, act in actions.items():
        ms = out.setdefault(name, [])
        for i in range(4 * rounds):
            t0 = time.perf_counter()
            act(i)
            ms.append(1e3 * (time.perf_counter() - t0))
    assert not w.errors, w.errors
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", choices=("explorer", "race", "hands_on"),
                    help="run one section only")
    args = ap.parse_args()
    if args.only in (None, "explorer", "race"):
        _explorer_and_race(args)
    if args.only in (None, "hands_on"):
        print("hands_on, pass/fail data (n = 200), PNG mode: milliseconds per action "
              "(median, min-max)")
        for mode in ("frames", "full-redraw"):
            for action, ms in time_hands_on(mode, args.rounds).items():
                print(f"  {mode:12s} {action:13s} median {statistics.median(ms):7.1f}   "
                      f"min {min(ms):7.1f}   max {max(ms):7.1f}   ({len(ms)} actions)")


def _explorer_and_race(args: argparse.Namespace) -> None:
    if args.only != "race":
        data = logistic_data(args.n)
        print(f"IRLS explorer, logistic fit, n = {args.n}: milliseconds per slider step")
        for mode in ("png", "ipympl-kernel", "update-only"):
            ms = time_steps(data, mode, args.rounds)
            print(f"  {mode:14s} median {statistics.median(ms):7.1f}   "
                  f"min {min(ms):7.1f}   max {max(ms):7.1f}   ({len(ms)} steps)")
    if args.only == "explorer":
        return
    print("method race, pass/fail data (n = 200): milliseconds per step")
    for mode in ("png", "png full-redraw", "ipympl-kernel", "ipympl-kernel full-redraw"):
        ms = time_race_steps(mode, args.rounds)
        print(f"  {mode:26s} median {statistics.median(ms):7.1f}   "
              f"min {min(ms):7.1f}   max {max(ms):7.1f}   ({len(ms)} steps)")


if __name__ == "__main__":
    main()
