r"""The method race: Fisher scoring, Newton-Raphson and gradient ascent, stepped together.

The three traces are computed once (:func:`glmlearn.irls` with ``method="fisher"``,
``"newton"`` and ``"gradient"``, all from the same start); ``Play``, the step buttons and
the slider pick a step number ``k``, and one callback moves the race
(:func:`glmlearn.plot.method_race.draw_race`'s ``update(k)``), refreshes the table and
redraws once. A method that has finished stays at its last state. The redraw renders
only what moves (the paths, the current points, the gap markers and the label) over a
picture of the rest made once (:class:`~glmlearn.plot.FrameRenderer`, as the explorer
does): with the pass/fail data, a step with its frame takes 27 ms in the kernel instead
of 108 for a full redraw, 52 instead of 142 in the PNG mode (medians on 2 loaded cores,
``benchmarks/bench_widgets.py``).

Controls and their CSS classes (stable hooks for browser tests):

================================  =========================================================
``glmlearn-play``                 ``Play``, ``jslink``-ed to the slider in the browser
``glmlearn-step-back`` / ``-forward``  one step back / forward
``glmlearn-slider``               the step number ``k``
``glmlearn-table``                each method's iteration, deviance and distance from the MLE
``glmlearn-status``               the problem and what each method did
``glmlearn-figure``               the picture (ipympl canvas, or an ``Output`` with a PNG)
================================  =========================================================
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.text import Text

from .._irls import IRLSState, run_irls
from ..errors import GLMInputError
from ..family import Family, get_family
from ..plot._freeze import freeze_layout
from ..plot._panel import Panel
from ..plot.method_race import RaceArtists, draw_race
from ..problem import check_controls, check_start, make_problem
from ..surface import coefficient_pair
from ._checks import check_int
from ._data import pass_fail
from ._ipympl_fixes import SnapshotBox, kernel_link
from ._view import Backend, FigureWidget, guarded

__all__ = ["RACE_METHODS", "MethodRace", "method_race"]

#: The methods raced, in the order shown.
RACE_METHODS = ("fisher", "newton", "gradient")


@dataclass(frozen=True, eq=False)
class _RaceFrames(Panel):
    """The race as the frame renderer sees it: a panel whose state is a step number.

    ``update(state)`` shows step ``state.iteration`` of every method; the widget itself
    calls ``race.update(k)``. What moves is the race's :attr:`RaceArtists.moving`.
    """

    ax: Axes
    label: Text
    race: RaceArtists

    def update(self, state: IRLSState) -> None:
        self.race.update(state.iteration)

    @property
    def moving(self) -> tuple[Artist, ...]:
        return self.race.moving


class MethodRace(FigureWidget):
    r"""Fisher scoring, Newton-Raphson and gradient ascent on one deviance surface.

    Parameters
    ----------
    X, y : array_like, optional
        A model with at least two coefficients. Default: the pass/fail data (hours
        studied, ``np.random.seed(42)``, :func:`~glmlearn.widgets.pass_fail`) with an
        intercept. With more than two, the picture is the slice through the
        maximum-likelihood estimate over ``coefs`` (the others held there), and the
        paths are projected onto it.
    family : str or Family
        Default: binomial with the probit link, where Newton and Fisher differ (for a
        canonical link they are the same method).
    link : str, optional
        The family's link (when ``family`` is a name).
    start : (p,) array_like, optional
        Where all three start (default :math:`\beta = 0`).
    max_iter : int
        Iterations allowed to Fisher scoring and Newton (R's 25).
    gradient_max_iter : int
        Iterations allowed to gradient ascent (it needs hundreds).
    tol : float
        R's convergence criterion, for all three.
    column_names : sequence of str, optional
        Names of X's columns, for the axes (as for :func:`glmlearn.fit`). Default:
        a DataFrame's column names, ``("(Intercept)", "hours")`` for the default data,
        else ``x0, x1, ...``.
    coefs : (int or str, int or str)
        The two coefficients on the path axes, by index or column name (default the
        first two).
    backend, figsize, dpi
        As for :class:`~glmlearn.widgets.IRLSExplorer`.
    interval : int
        Milliseconds per step when playing.

    Attributes
    ----------
    traces : dict of tuple of IRLSState
    artists : RaceArtists
    slider, play, back_button, forward_button, table, status
    """

    def __init__(self, X: Any = None, y: Any = None, family: str | Family = "binomial",
                 link: str | None = "probit", *, start: Any = None, max_iter: int = 25,
                 gradient_max_iter: int = 3000, tol: float = 1e-8,
                 column_names: Any = None, coefs: Any = (0, 1),
                 backend: Backend = "auto", figsize: tuple[float, float] = (12.0, 5.0),
                 dpi: float = 80, interval: int = 400) -> None:
        interval = check_int("interval", interval, 1, where="milliseconds per step")
        max_iter = check_int("max_iter", max_iter, 1)
        gradient_max_iter = check_int("gradient_max_iter", gradient_max_iter, 1)
        super().__init__(figsize, dpi, backend)
        if X is None and y is None:
            hours, passed = pass_fail()
            X, y = np.column_stack([np.ones_like(hours), hours]), passed
            column_names = ("(Intercept)", "hours") if column_names is None else column_names
        p = np.shape(X)[1] if np.ndim(X) == 2 else 1
        if p < 2:
            raise GLMInputError(f"X: the race draws two coefficients on one deviance surface, "
                                f"and X has {p} column; pass a design with an intercept and "
                                "at least one predictor")
        fam = get_family(family, link) if isinstance(family, str) else family
        self.family = fam
        limits = {"fisher": max_iter, "newton": max_iter, "gradient": gradient_max_iter}
        check_controls(max_iter, tol)
        problem = make_problem(X, y, fam, column_names=column_names)
        beta0 = check_start(np.zeros(problem.p) if start is None else start, problem)
        self.coefs = coefficient_pair(problem, coefs)
        self.traces: dict[str, tuple[IRLSState, ...]] = {
            m: tuple(run_irls(problem, start=beta0, max_iter=limits[m], tol=tol, method=m))
            for m in RACE_METHODS}
        fig = self.figure
        with self.view.lock:
            axes = fig.subplots(1, 2)
            self.artists: RaceArtists = draw_race(axes, self.traces, 0, coefs=self.coefs)
            fig.set_layout_engine("constrained")
            freeze_layout(fig)  # laid out once: only the data move between frames
            # Frames: the surface, the faint paths and the gap curves rendered once.
            art = self.artists
            self.view.attach({"race": _RaceFrames(ax=art.ax_path, label=art.label,
                                                  race=art)})
        last = self.artists.steps
        self.play = widgets.Play(value=0, min=0, max=last, step=1, interval=interval,
                                 description="play", show_repeat=False)
        self.back_button = widgets.Button(icon="step-backward", tooltip="one step back",
                                          layout=widgets.Layout(width="40px"))
        self.forward_button = widgets.Button(icon="step-forward", tooltip="one step forward",
                                             layout=widgets.Layout(width="40px"))
        self.slider = widgets.IntSlider(value=0, min=0, max=last, description="step k",
                                        style={"description_width": "initial"},
                                        layout=widgets.Layout(width="520px"))
        self._jslink = widgets.jslink((self.play, "value"), (self.slider, "value"))
        kernel_link(self.play, self.slider)
        self.table = widgets.HTML()
        for w, cls in [(self.play, "glmlearn-play"), (self.back_button, "glmlearn-step-back"),
                       (self.forward_button, "glmlearn-step-forward"),
                       (self.slider, "glmlearn-slider"), (self.table, "glmlearn-table")]:
            w.add_class(cls)
        self._shown = 0
        self.status.value = self._status_html()
        self._show(0)
        self.slider.observe(self._on_step, names="value")
        self.back_button.on_click(self._on_back)
        self.forward_button.on_click(self._on_forward)
        player = widgets.HBox([self.play, self.back_button, self.forward_button, self.slider])
        info = widgets.HBox([self.table, self.status],
                            layout=widgets.Layout(align_items="flex-start", grid_gap="24px"))
        self.widget = SnapshotBox([player, self.view.widget, info], self._snapshot,
                                  alt=self._alt)
        self.widget.add_class("glmlearn-method-race")

    # --- callbacks ----------------------------------------------------------------------------
    @guarded
    def _on_step(self, change: Mapping[str, Any]) -> None:
        self._show(int(change["new"]))

    @guarded
    def _on_back(self, _button: Any) -> None:
        self.step(-1)

    @guarded
    def _on_forward(self, _button: Any) -> None:
        self.step(+1)

    def _show(self, k: int) -> None:
        """The one update: every method to step ``k``, the table, one redraw."""
        with self.view.lock:
            self.artists.update(k)
            self.figure.canvas.draw_idle()
        self._shown = k
        self.table.value = self._table_html(k)

    def _recover(self) -> None:
        self._show(self._shown)

    def _showing(self) -> str:
        return f"step {self._shown}"

    # --- text ---------------------------------------------------------------------------------
    @property
    def mle(self) -> np.ndarray:
        """The maximum-likelihood estimate, from Newton's last state (where it converged;
        else Fisher's)."""
        newton, fisher = self.traces["newton"][-1], self.traces["fisher"][-1]
        best = newton if newton.converged else fisher
        assert best.beta is not None
        return np.asarray(best.beta)

    def iterations(self) -> dict[str, int]:
        """How many iterations each method took (its last state's number)."""
        return {m: tr[-1].iteration for m, tr in self.traces.items()}

    def _table_html(self, k: int) -> str:
        rows = []
        mle = self.mle
        for m in self.traces:
            s = self.artists.state(m, k)
            assert s.beta is not None
            dist = float(np.max(np.abs(np.asarray(s.beta) - mle)))
            rows.append(f"<tr><th>{html.escape(m)}</th><td>{s.iteration} of "
                        f"{self.traces[m][-1].iteration}</td><td>{s.deviance:.8g}</td>"
                        f"<td>{dist:.2e}</td></tr>")
        return ("<table class='glmlearn-state'><tr><th>method</th><th>iteration</th>"
                "<th>deviance</th><th>max|β − β̂|</th></tr>" + "".join(rows) + "</table>")

    def _status_html(self) -> str:
        fam = self.family
        canon = (" (its canonical link: Newton and Fisher scoring are the same method)"
                 if fam.is_canonical else
                 " (not its canonical link: Newton uses the observed information, Fisher "
                 "scoring the expected one)")
        lines = [f"{fam.name} family, {fam.link.name} link{canon}."]
        for m, tr in self.traces.items():
            last = tr[-1]
            verdict = "converged" if last.converged else "did not converge"
            fallbacks = sum(1 for s in tr if s.fallback)
            extra = f"; {fallbacks} steps fell back to Fisher scoring" if (
                m == "newton" and fallbacks) else ""
            lines.append(f"{m}: {verdict} in {last.iteration} iterations{extra}.")
        return "".join(f"<div>{html.escape(t)}</div>" for t in lines)

    def _alt(self) -> str:
        its = self.iterations()
        return ("The paths of Fisher scoring, Newton-Raphson and gradient ascent on one "
                f"deviance surface, at step {self._shown}: they take {its['fisher']}, "
                f"{its['newton']} and {its['gradient']} iterations.")

    def _snapshot_html(self) -> str:
        return str(self.table.value) + str(self.status.value)

    # --- public API ---------------------------------------------------------------------------
    @property
    def k(self) -> int:
        """The step shown; set it to move every method."""
        return int(self.slider.value)

    @k.setter
    def k(self, value: int) -> None:
        self.slider.value = check_int("k", value, 0, self.artists.steps,
                                      where=f"the race has steps 0 to {self.artists.steps}")

    def step(self, delta: int = 1) -> None:
        """Move ``delta`` steps (clipped), as the step buttons do."""
        delta = check_int("delta", delta)
        self.slider.value = int(np.clip(self.slider.value + delta, 0, self.artists.steps))

    def __repr__(self) -> str:
        its = ", ".join(f"{m} {n}" for m, n in self.iterations().items())
        return f"MethodRace({self.family.name}/{self.family.link.name}: {its} iterations; step {self.k})"


def method_race(X: Any = None, y: Any = None, family: str | Family = "binomial",
                link: str | None = "probit", **kwargs: Any) -> MethodRace:
    """Build a :class:`MethodRace` (see there); display the returned object."""
    return MethodRace(X, y, family, link, **kwargs)
