r"""The IRLS explorer: play, step and scrub through the iterations of a fit.

The trace is computed once per (dataset, family, link, start) by :func:`glmlearn.fit`
and kept. Moving the slider only picks a state; one callback then moves every panel with
:func:`glmlearn.plot.update_all`, refreshes the state table and redraws once. Changing
the dataset, family, link or start refits (or takes the cached fit) and rebuilds the
panels with :func:`glmlearn.plot.explorer_figure`.

Controls and their CSS classes (stable hooks for browser tests):

================================  =========================================================
``glmlearn-dataset``              dataset menu (:data:`~glmlearn.widgets._data.DATASETS`)
``glmlearn-family``               family menu (families that suit the response)
``glmlearn-link``                 link menu: only the links the family allows
``glmlearn-start``                starting values: R's :math:`\mu^{(0)}` or :math:`\beta = 0`
``glmlearn-fit-view``             what the fit panel shows (:data:`glmlearn.plot.FIT_VIEWS`):
                                  the mean curve against a predictor or :math:`\eta`,
                                  observed against fitted, or one column's partial residuals
``glmlearn-path-coefs``           the two coefficients on the path panel's axes (shown for
                                  models with more than two: the panel is then a slice
                                  through each state, the others held at :math:`\beta^{(k)}`)
``glmlearn-play``                 ``Play``: ``jslink``-ed to the slider in the browser and
                                  ``link``-ed in the kernel
``glmlearn-step-back`` / ``-forward``  one iteration back / forward
``glmlearn-player-row``               the row of Play, step buttons and slider: the keys pressed
                                  there (←/→, Home, End on the slider) are not the
                                  notebook's shortcuts (``_ipympl_fixes``, item 8)
``glmlearn-slider``               the iteration
``glmlearn-table``                :math:`\beta`, deviance, criterion, max :math:`|U|` now
``glmlearn-status``               the problem, the fit's troubles and flags, errors
``glmlearn-figure``               the panels (ipympl canvas, or an ``Output`` with a PNG)
================================  =========================================================

The menus always name the fit the figure shows. A choice IRLS cannot start from (say,
the log link of a binomial from R's starting means, where :math:`\mu^{(0)}` may reach 1)
is explained in the status line, and the menus go back to the combination the figure
still shows.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np

from .. import plot
from .._irls import HalvingRule, IRLSState
from ..errors import GLMInputError
from ..narrate import describe_state
from ..problem import check_controls
from ..results import GLMResult
from ._checks import check_choice, check_int
from ._data import ExplorerData
from ._explorer_choices import ExplorerChoices, Key, _describe, fit_choice, unfittable_error, unfittable_html
from ._ipympl_fixes import SnapshotBox, kernel_link, shortcut_guard
from ._text import fit_status_html, state_table_html
from ._view import Backend, FigureWidget, guarded

__all__ = ["IRLSExplorer", "fit_choice", "irls_explorer"]

#: A fit-panel choice: ``(view, x)`` as :func:`glmlearn.plot.draw_fit` takes them.
FitChoice = tuple[str, str | None]


def path_pair_options(data: ExplorerData) -> list[tuple[str, tuple[int, int]]]:
    """The path panel's menu for ``data``: every pair of coefficients ``(i, j)``, i < j,
    labelled by name; ``(0, 1)`` (the first two, the panel's default) first."""
    p = int(np.shape(data.X)[1])
    names = list(data.column_names) or [f"x{j}" for j in range(p)]
    sub = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
    label = lambda j: f"β{str(j).translate(sub)} {names[j]}"  # noqa: E731
    return [(f"{label(i)} × {label(j)}", (i, j)) for i in range(p) for j in range(i + 1, p)]


def fit_view_options(data: ExplorerData) -> list[tuple[str, FitChoice]]:
    r"""The fit panel's menu for ``data``: ``(label, (view, x))``, the default first.

    With one predictor the curve against it is the whole model and comes first. With
    several, a curve against one column holds the others at their means and does not go
    through the data, so the views that judge each observation at its own predictors
    come first: the curve against :math:`\eta` (the dataset's choice, when it has one),
    observed against fitted, then each column's partial residuals.
    """
    X = np.asarray(data.X, float)
    names = list(data.column_names) or [f"x{j}" for j in range(X.shape[1])]
    varying = [names[j] for j in range(X.shape[1]) if np.ptp(X[:, j]) > 0]
    eta: tuple[str, FitChoice] = ("curve against η: μ = g⁻¹(η)", ("curve", "eta"))
    observed: tuple[str, FitChoice] = ("observed against fitted", ("observed", None))
    partial = [(f"partial residuals: {c}", ("partial", c)) for c in varying]
    if len(varying) <= 1:
        curves = [(f"curve against {c}", ("curve", c)) for c in varying]
        return [*curves, observed, *partial, eta]
    curves = [(f"curve against {c} (others at their means)", ("curve", c)) for c in varying]
    first = [eta, observed] if data.x == "eta" else [observed, eta]
    return [*first, *partial, *curves]


class IRLSExplorer(ExplorerChoices, FigureWidget):
    r"""Watch IRLS fit a GLM: every panel of :func:`glmlearn.plot.explorer_figure`, animated.

    Parameters
    ----------
    dataset : str, ExplorerData or GLMResult
        A name from :data:`~glmlearn.widgets._data.DATASETS` (``"pass_fail"``, simulated
        exam data: hours studied and pass/fail, ``np.random.seed(42)``; ``"beetles"``,
        ``"challenger"``, ``"clotting"``, ``"ships"``, ``"doctors"``,
        ``"dobson_counts"``), a problem of your own, or a fitted result (shown as it is,
        then refitted when you change family or link).
    family, link : str, optional
        Start with this family (any name in :data:`glmlearn.FAMILIES`; one the dataset
        does not offer is added to the menu) and link (one the family allows); default:
        the dataset's.
    start : {"mustart", "zero", "given"}, optional
        Starting values (default: the dataset's; the pass/fail data start at
        :math:`\beta = 0`).
    fit_view : {"curve", "observed", "partial"}, optional
        What the fit panel shows first (see :func:`glmlearn.plot.draw_fit`); default the
        first entry of its menu: the curve for one predictor; for several, the curve
        against :math:`\eta` (or observed against fitted).
    fit_x : str, optional
        The column for ``fit_view="partial"`` or ``"curve"`` (``"eta"``: the curve
        against the linear predictor); default the menu's first entry of that view.
    path_coefs : (int or str, int or str), optional
        The two coefficients on the path panel's axes, by index or column name (default
        the first two). With more than two coefficients the panel is a slice through
        each state (the others held at :math:`\beta^{(k)}`); ``path_menu`` changes the pair.
    iteration : int
        The iteration shown first (0 to the fit's last).
    backend : {"auto", "ipympl", "png"}
        ``"auto"``: a live ipympl canvas under ``%matplotlib widget``, else a PNG.
    figsize : (float, float)
        Inches; the figure is ``figsize * dpi`` pixels (default 920 x 512, which fits
        a notebook beside JupyterLab's file browser on a 1400-pixel-wide screen).
    dpi : float
    interval : int
        Milliseconds per iteration when playing (default: one iteration per second).
    max_iter, tol : int, float
        Passed to :func:`glmlearn.fit`.
    step_halving : {"R", "deviance"}
        The step-halving rule first chosen in the ``halving_menu`` (passed to
        :func:`glmlearn.fit`): R's, or glm2's, which also halves a step that raises the
        deviance.

    Raises
    ------
    GLMInputError, GLMTypeError
        An argument that is not one of the choices above (the message lists them), or a
        first choice that cannot be fitted (there is no picture to fall back to).

    Attributes
    ----------
    widget : ipywidgets.VBox
        What is displayed (the explorer itself displays as this widget).
    figure : matplotlib.figure.Figure
    panels : dict
        ``{panel name: artists}`` from :func:`glmlearn.plot.explorer_figure`.
    result : GLMResult
        The fit shown; the menus name it (:attr:`key`).
    slider, play, back_button, forward_button : ipywidgets
    dataset_menu, family_menu, link_menu, start_menu, halving_menu : ipywidgets.Dropdown
    fit_view_menu : ipywidgets.Dropdown
        What the fit panel shows: its value is ``(view, x)`` (:func:`fit_view_options`).
    path_menu : ipywidgets.Dropdown
        The path panel's pair of coefficients ``(i, j)`` (:func:`path_pair_options`);
        hidden when the model has only two.
    table, status : ipywidgets.HTML
    errors : list of Exception
        Exceptions raised by callbacks (also shown in ``status``); empty when all is well.

    Examples
    --------
    >>> from glmlearn.widgets import irls_explorer   # doctest: +SKIP
    >>> ex = irls_explorer("beetles", link="probit")   # doctest: +SKIP
    >>> ex                                            # doctest: +SKIP
    >>> ex.iteration = 3                              # doctest: +SKIP
    """

    def __init__(
        self,
        dataset: str | ExplorerData | GLMResult = "pass_fail",
        family: str | None = None,
        link: str | None = None,
        *,
        start: str | None = None,
        fit_view: str | None = None,
        fit_x: str | None = None,
        path_coefs: Any = None,
        iteration: int = 0,
        backend: Backend = "auto",
        figsize: tuple[float, float] = (11.5, 6.4),
        dpi: float = 80,
        interval: int = 1000,
        max_iter: int = 25,
        tol: float = 1e-8,
        step_halving: HalvingRule = "R",
    ) -> None:
        check_controls(max_iter, tol, step_halving)
        interval = check_int("interval", interval, 1, where="milliseconds per iteration")
        iteration = check_int("iteration", iteration, 0)
        super().__init__(figsize, dpi, backend)
        self.max_iter, self.tol = max_iter, tol
        self._fits: dict[Key, GLMResult] = {}
        self._last_error: Exception | None = None
        self._shown_key: Key = ("", "", "", "")
        self._shown_k = 0
        self._fit_status = ""

        first = self._offer(dataset)
        key = self._resolve(first, family, link, start)

        self._make_menus(first)
        self.halving_menu.value = step_halving
        style = {"description_width": "initial"}
        self.fit_view_menu = widgets.Dropdown(description="fit panel", style=style)
        self.fit_view_menu.add_class("glmlearn-fit-view")
        self._fit_view_for = ""  # the dataset whose views the menu offers
        self._set_fit_views(first, self._wanted_view(first, fit_view, fit_x))
        self.path_menu = widgets.Dropdown(description="path panel", style=style)
        self.path_menu.add_class("glmlearn-path-coefs")
        self._path_pairs_for = ""  # the dataset whose pairs the menu offers
        self._set_path_pairs(first, self._wanted_pair(first, path_coefs))
        self.play = widgets.Play(value=0, min=0, max=1, step=1, interval=interval,
                                 description="play", show_repeat=False)
        self.back_button = widgets.Button(icon="step-backward", tooltip="one iteration back",
                                          layout=widgets.Layout(width="40px"))
        self.forward_button = widgets.Button(icon="step-forward",
                                             tooltip="one iteration forward",
                                             layout=widgets.Layout(width="40px"))
        self.slider = widgets.IntSlider(value=0, min=0, max=1, description="iteration k",
                                        continuous_update=True, style=style,
                                        layout=widgets.Layout(width="420px"))
        # Play drives the slider in the browser with no kernel round trip (jslink), and
        # in the kernel too: jslink alone does nothing where there is no front end (plain
        # Python, tests), and the step buttons must move Play's position as well.
        self._jslink = widgets.jslink((self.play, "value"), (self.slider, "value"))
        kernel_link(self.play, self.slider)
        self.table = widgets.HTML()
        # The state in words, under the picture; aria-live makes screen readers announce
        # each new iteration.
        self.description = widgets.HTML()
        self.description.add_class("glmlearn-description")

        for w, cls in [(self.play, "glmlearn-play"), (self.back_button, "glmlearn-step-back"),
                       (self.forward_button, "glmlearn-step-forward"),
                       (self.slider, "glmlearn-slider"), (self.table, "glmlearn-table")]:
            w.add_class(cls)

        self.result: GLMResult
        self.panels: dict[str, Any] = {}
        self._set_menus(key)
        try:  # the first fit must work: there is nothing to fall back to
            result = self.fit_for(key)
        except (ValueError, ArithmeticError) as exc:
            raise unfittable_error(key, exc) from exc
        last = len(result.trace) - 1
        check_int("iteration", iteration, 0, last, where=f"the fit has states 0 to {last}")
        self._draw(key, result, iteration)

        self.slider.observe(self._on_iteration, names="value")
        self.dataset_menu.observe(self._on_dataset, names="value")
        self.family_menu.observe(self._on_family, names="value")
        self.link_menu.observe(self._on_choice, names="value")
        self.start_menu.observe(self._on_choice, names="value")
        self.halving_menu.observe(self._on_choice, names="value")
        self.fit_view_menu.observe(self._on_fit_view, names="value")
        self.path_menu.observe(self._on_fit_view, names="value")  # the same: redraw only
        self.back_button.on_click(self._on_back)
        self.forward_button.on_click(self._on_forward)

        self._menu_box.children = (*self._menu_box.children, self.fit_view_menu,
                                   self.path_menu)
        # In Notebook 7 the notebook's shortcuts would take the slider's arrow keys.
        guard = shortcut_guard()
        player = widgets.HBox([self.play, self.back_button, self.forward_button, self.slider,
                               *([guard] if guard is not None else [])])
        player.add_class("glmlearn-player-row")
        info = widgets.HBox([self.table, self.status],
                            layout=widgets.Layout(align_items="flex-start", grid_gap="24px"))
        self.widget = SnapshotBox([self._menu_box, player, info, self.view.widget, self.description],
                                  self._snapshot, alt=self._snapshot_alt)
        self.widget.add_class("glmlearn-explorer")

    # --- callbacks --------------------------------------------------------------------------
    @guarded
    def _on_iteration(self, change: Mapping[str, Any]) -> None:
        if self._hold:  # a refit sets the slider, then shows the new trace itself
            return
        self._show(int(change["new"]))

    @guarded
    def _on_back(self, _button: Any) -> None:
        self.step(-1)

    @guarded
    def _on_forward(self, _button: Any) -> None:
        self.step(+1)

    @guarded
    def _on_dataset(self, change: Mapping[str, Any]) -> None:
        if self._hold:
            return
        self._choose(self._resolve(change["new"], None, None, None))

    @guarded
    def _on_family(self, change: Mapping[str, Any]) -> None:
        if self._hold:
            return
        # Keep the link when the new family allows it (binomial -> ... keeps probit).
        self._choose(self._resolve(self.dataset_menu.value, change["new"], None, None,
                                   current=self.key))

    @guarded
    def _on_choice(self, change: Mapping[str, Any]) -> None:
        if self._hold:
            return
        self._choose(self.key)

    @guarded
    def _on_fit_view(self, change: Mapping[str, Any]) -> None:
        if self._hold:
            return
        # Only the picture changes: the same fit, the same iteration, drawn anew.
        self._draw(self._shown_key, self.result, self._shown_k)

    # --- the fit panel's view -----------------------------------------------------------------
    def _wanted_view(self, dataset: str, view: str | None, x: str | None) -> FitChoice | None:
        """The menu entry for ``fit_view=view, fit_x=x``; None for the menu's default."""
        if view is None and x is None:
            return None
        options = [value for _, value in fit_view_options(self._problem(dataset))]
        views = list(dict.fromkeys(v for v, _ in options))
        view = check_choice("fit_view", view if view is not None else "curve", views,
                            what="view", of=f"for {dataset!r}")
        xs = [c for v, c in options if v == view]
        if x is None or view == "observed":
            return (view, xs[0])
        check_choice("fit_x", x, [c for c in xs if c is not None], what="column",
                     of=f"for the {view!r} view of {dataset!r}")
        return (view, x)

    def _set_fit_views(self, dataset: str, value: FitChoice | None = None) -> None:
        """Offer ``dataset``'s views (kept when the dataset is the same) at ``value``."""
        with self._holding():
            if dataset != self._fit_view_for:
                options = fit_view_options(self._problem(dataset))
                self.fit_view_menu.options = options
                self.fit_view_menu.value = options[0][1]
                self._fit_view_for = dataset
            if value is not None:
                self.fit_view_menu.value = value

    @property
    def fit_view(self) -> FitChoice:
        """``(view, x)`` of the fit panel, as :func:`glmlearn.plot.draw_fit` takes them."""
        value = self.fit_view_menu.value
        return (str(value[0]), value[1])

    def select_fit_view(self, view: str, x: str | None = None) -> None:
        """Show the fit panel in ``view`` (against column ``x``), as its menu does.

        Raises
        ------
        GLMInputError, GLMTypeError
            A view or column the menu does not offer; the message lists the choices.
        """
        value = self._wanted_view(self._shown_key[0], view, x)
        assert value is not None
        self.fit_view_menu.value = value  # the menu's callback redraws

    def _fit_kw(self) -> dict[str, Any]:
        view, x = self.fit_view
        return {"view": view, "x": x}

    # --- the path panel's pair of coefficients ------------------------------------------------
    def _wanted_pair(self, dataset: str, coefs: Any) -> tuple[int, int] | None:
        """The menu entry for ``path_coefs=coefs`` (indices or names); None: the default."""
        if coefs is None:
            return None
        data = self._problem(dataset)
        names = list(data.column_names) or [f"x{j}" for j in range(np.shape(data.X)[1])]
        pairs = [v for _, v in path_pair_options(data)]
        idx = []
        for c in (coefs if isinstance(coefs, tuple | list) else [coefs]):
            if isinstance(c, str):
                idx.append(names.index(c) if c in names else -1)
            else:
                idx.append(int(c) if isinstance(c, int | np.integer) else -1)
        pair = tuple(sorted(idx)) if len(idx) == 2 else ()
        if pair not in pairs:
            raise GLMInputError(
                f"path_coefs: {coefs!r} is not a pair of two different coefficients of "
                f"{dataset!r}; the choices are two of the indices 0..{len(names) - 1} or the "
                f"names {', '.join(map(repr, names))}")
        return (int(pair[0]), int(pair[1]))

    def _set_path_pairs(self, dataset: str, value: tuple[int, int] | None = None) -> None:
        """Offer ``dataset``'s pairs (kept when the dataset is the same) at ``value``; the
        menu is hidden when there is only the one pair."""
        with self._holding():
            if dataset != self._path_pairs_for:
                options = path_pair_options(self._problem(dataset))
                self.path_menu.options = options or [("β₀ × β₁", (0, 1))]
                self.path_menu.value = self.path_menu.options[0][1]
                self.path_menu.layout.display = "none" if len(options) <= 1 else None
                self._path_pairs_for = dataset
            if value is not None:
                self.path_menu.value = value

    @property
    def path_coefs(self) -> tuple[int, int]:
        """The column indices ``(i, j)`` on the path panel's axes."""
        i, j = self.path_menu.value
        return (int(i), int(j))

    def select_path_coefs(self, coefs: Any) -> None:
        """Show coefficients ``coefs`` (indices or names) on the path panel, as its menu
        does.

        Raises
        ------
        GLMInputError
            A pair that is not two different coefficients of the model; the message
            lists the choices.
        """
        value = self._wanted_pair(self._shown_key[0], coefs)
        assert value is not None
        self.path_menu.value = value  # the menu's callback redraws

    def _panel_kw(self) -> dict[str, dict[str, Any]]:
        return {"fit": self._fit_kw(), "path": {"coefs": self.path_coefs}}

    # --- fitting and drawing ----------------------------------------------------------------
    @property
    def shown_key(self) -> Key:
        """``(dataset, family, link, start)`` of the fit the figure shows."""
        return self._shown_key

    def fit_for(self, key: Key | None = None) -> GLMResult:
        """The fit for ``key`` (default: the menus' choice), computed on first use only."""
        key = self.key if key is None else key
        if key not in self._fits:
            name, family, link, start = key
            self._fits[key] = fit_choice(self._problem(name), family, link, start,
                                         max_iter=self.max_iter, tol=self.tol,
                                         step_halving=self.step_halving,
                                         families=self._families)
        return self._fits[key]

    def _choose(self, key: Key, iteration: int = 0) -> bool:
        """Show the fit for ``key``: set the menus, fit (or take the cached fit), draw.

        A choice that cannot be fitted (say, beta = 0 under an inverse link) is a lesson,
        not a crash: the status line says why, the menus go back to the fit the figure
        still shows, and False is returned.
        """
        self._last_error = None
        self._set_menus(key)
        try:
            result = self.fit_for(key)
        except (ValueError, ArithmeticError) as exc:  # GLMInputError is a ValueError
            self._last_error = exc
            self._set_menus(self._shown_key)
            self.status.value = unfittable_html(exc, key, self._shown_key) + self._fit_status
            return False
        self._draw(key, result, iteration)
        return True

    def _draw(self, key: Key, result: GLMResult, k: int) -> None:
        """Draw the panels of ``result`` at state ``k`` and set the slider to match."""
        k = int(np.clip(k, 0, len(result.trace) - 1))
        fig = self.view.figure
        data = self._problem(key[0])
        with self.view.lock:
            fig.clear()
            self.panels = {}
            # x = "eta" draws the weights against eta too. The corner labels are outside
            # the layout and clipped to their panels; the layout is computed once.
            self._set_fit_views(key[0])  # a new dataset: its own views, its default
            self._set_path_pairs(key[0])
            _, panels = plot.explorer_figure(result, k, fig=fig, x=data.x,
                                             panel_kw=self._panel_kw())
            # Frames: the static parts rendered once per fit, then only what moves.
            self.view.attach(panels)
        self.panels = panels
        self.result = result
        self._shown_key = key
        self._fit_status = fit_status_html(data, result)
        last = len(result.trace) - 1
        with self._holding():
            # Value first, then the range: a slider clamps its value to a smaller max.
            # The kernel-side link moves Play along with the slider.
            self.slider.value = min(self.slider.value, last)
            self.slider.max = self.play.max = last
            self.slider.value = k
        self._show(k)

    def _show(self, k: int) -> None:
        """The one update: every panel to state ``k``, the table, one redraw."""
        state = self.trace[k]
        with self.view.lock:  # not while the figure renders in ipympl's thread
            plot.update_all(self.panels, state)
            self.figure.canvas.draw_idle()
        self._shown_k = k
        self.table.value = state_table_html(state, len(self.trace))
        self.description.value = (f"<p aria-live='polite'>{html.escape(self.state_text)}</p>")
        self.status.value = self._fit_status

    def _recover(self) -> None:
        """After an error: the menus, the slider and every panel back at the state shown."""
        key, k = self._shown_key, self._shown_k
        self._set_menus(key)
        self._draw(key, self.fit_for(key), k)

    def _showing(self) -> str:
        return f"{_describe(self._shown_key)}, iteration {self._shown_k}"

    # --- public API ---------------------------------------------------------------------------
    @property
    def trace(self) -> tuple[IRLSState, ...]:
        """The states of the fit shown."""
        return self.result.trace

    @property
    def iteration(self) -> int:
        """The iteration shown; set it to move every panel."""
        return int(self.slider.value)

    @iteration.setter
    def iteration(self, k: int) -> None:
        last = len(self.trace) - 1
        self.slider.value = check_int("iteration", k, 0, last,
                                      where=f"the fit has states 0 to {last}")

    @property
    def state(self) -> IRLSState:
        """The state shown."""
        return self.trace[self.iteration]

    @property
    def state_text(self) -> str:
        """The state shown, in one or two plain sentences (:func:`glmlearn.narrate.describe_state`)."""
        k = self._shown_k
        return describe_state(self.trace[k], self.trace[k - 1] if k else None)

    def step(self, delta: int = 1) -> None:
        """Move ``delta`` iterations (clipped to the trace), as the step buttons do."""
        delta = check_int("delta", delta)
        self.slider.value = int(np.clip(self.slider.value + delta, 0, len(self.trace) - 1))

    def select(self, dataset: str | ExplorerData | GLMResult | None = None,
               family: str | None = None, link: str | None = None,
               start: str | None = None) -> bool:
        """Choose the problem, family, link or start, as the menus do (one refit).

        Accepts what the constructor accepts: any family of :data:`glmlearn.FAMILIES`
        (added to the menu if the dataset does not offer it), a link the family allows, a
        start the dataset offers, a dataset name, :class:`ExplorerData` or
        :class:`GLMResult` (added to the menu). Omitted parts keep the menus' choice
        where it still applies (a new dataset starts from its defaults).

        Returns
        -------
        bool
            True when the choice is shown; False when it cannot be fitted (the status line
            says why, and the menus stay at the fit shown).

        Raises
        ------
        GLMInputError, GLMTypeError
            A choice that is not on offer; the message lists the choices. Nothing changes.
        """
        name = self.dataset_menu.value if dataset is None else self._register(dataset)
        key = self._resolve(name, family, link, start, current=self.key)
        return self._choose(key)

    def _snapshot_html(self) -> str:
        return str(self.table.value) + str(self.description.value)

    def _snapshot_alt(self) -> str:
        return self.state_text

    def _ipython_display_(self) -> None:
        """Show the live explorer, then a saved player of every state as its own output.

        A reader without a kernel (a notebook exported to HTML, nbviewer) sees the player
        and can step it; beside a live explorer the player hides itself (``glmlearn.player``).
        """
        from ..player import display_with_player

        display_with_player(self.widget, self.trace, x=self._problem(self.dataset_menu.value).x,
                            panel_kw=self._panel_kw())

    def __repr__(self) -> str:
        return (f"IRLSExplorer({' / '.join(self.key)}, iteration {self.iteration} of "
                f"{len(self.trace) - 1})")


def irls_explorer(
    dataset: str | ExplorerData | GLMResult = "pass_fail",
    family: str | None = None,
    link: str | None = None,
    **kwargs: Any,
) -> IRLSExplorer:
    """Build an :class:`IRLSExplorer`; display the returned object (or its ``.widget``).

    Parameters
    ----------
    dataset, family, link, **kwargs
        See :class:`IRLSExplorer`.

    Returns
    -------
    IRLSExplorer
    """
    return IRLSExplorer(dataset, family, link, **kwargs)
