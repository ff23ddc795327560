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
``glmlearn-play``                 ``Play``: ``jslink``-ed to the slider in the browser and
                                  ``link``-ed in the kernel
``glmlearn-step-back`` / ``-forward``  one iteration back / forward
``glmlearn-slider``               the iteration
``glmlearn-table``                :math:`\beta`, deviance, criterion, max :math:`|U|` now
``glmlearn-status``               the problem, the fit's troubles and flags, errors
``glmlearn-figure``               the panels (ipympl canvas, or an ``Output`` with a PNG)
================================  =========================================================
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets
import numpy as np

from .. import plot
from .._irls import IRLSState
from ..family import FAMILIES
from ..results import GLMResult
from ._data import DATASETS, START_OPTIONS, ExplorerData, explorer_data
from ._ipympl_fixes import SnapshotBox, kernel_link
from ._text import fit_status_html, state_table_html
from ._view import Backend, FigureWidget, error_html, guarded, quiet_fit

__all__ = ["IRLSExplorer", "fit_choice", "irls_explorer"]


def fit_choice(data: ExplorerData, family: str, link: str | None, start: str, *,
               max_iter: int = 25, tol: float = 1e-8) -> GLMResult:
    """Fit ``data`` with :func:`glmlearn.fit` for the menus' choice, quietly: the status
    line shows the fit's ``result.troubles`` instead of stderr, where a notebook would show
    them once, far from the picture they explain."""
    fam = FAMILIES[family]() if link is None else FAMILIES[family](link)
    return quiet_fit(data.X, data.y, fam, weights=data.weights, offset=data.offset,
                     start=data.start_beta(start), max_iter=max_iter, tol=tol,
                     column_names=list(data.column_names) or None)


class IRLSExplorer(FigureWidget):
    r"""Watch IRLS fit a GLM: every panel of :func:`glmlearn.plot.explorer_figure`, animated.

    Parameters
    ----------
    dataset : str, ExplorerData or GLMResult
        A name from :data:`~glmlearn.widgets._data.DATASETS` (``"pass_fail"``, the
        reference lesson's data, ``"beetles"``, ``"challenger"``, ``"clotting"``,
        ``"ships"``, ``"doctors"``, ``"dobson_counts"``), a problem of your own, or a
        fitted result (shown as it is, then refitted when you change family or link).
    family, link : str, optional
        Start with this family and link (default: the dataset's).
    start : {"mustart", "zero", "given"}, optional
        Starting values (default: the dataset's; the lesson's data start at
        :math:`\beta = 0`, as the lesson does).
    iteration : int
        The iteration shown first.
    backend : {"auto", "ipympl", "png"}
        ``"auto"``: a live ipympl canvas under ``%matplotlib widget``, else a PNG.
    figsize : (float, float)
        Inches; the figure is ``figsize * dpi`` pixels (default 920 x 512, which fits
        a notebook beside JupyterLab's file browser on a 1400-pixel-wide screen).
    dpi : float
    interval : int
        Milliseconds per iteration when playing.
    max_iter, tol : int, float
        Passed to :func:`glmlearn.fit`.

    Attributes
    ----------
    widget : ipywidgets.VBox
        What is displayed (the explorer itself displays as this widget).
    figure : matplotlib.figure.Figure
    panels : dict
        ``{panel name: artists}`` from :func:`glmlearn.plot.explorer_figure`.
    result : GLMResult
        The fit shown.
    slider, play, back_button, forward_button : ipywidgets
    dataset_menu, family_menu, link_menu, start_menu : ipywidgets.Dropdown
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
        iteration: int = 0,
        backend: Backend = "auto",
        figsize: tuple[float, float] = (11.5, 6.4),
        dpi: float = 80,
        interval: int = 700,
        max_iter: int = 25,
        tol: float = 1e-8,
    ) -> None:
        super().__init__(figsize, dpi, backend)
        self.max_iter, self.tol = max_iter, tol
        self._fits: dict[tuple[str, str, str, str], GLMResult] = {}
        self._data: dict[str, ExplorerData | None] = {}
        self._hold = 0
        self._last_error: Exception | None = None
        self._shown_key: tuple[str, str, str, str] = ("", "", "", "")

        # Which problems the menu offers; a custom one goes first.
        first = self._register(dataset)
        for name in DATASETS:
            self._data.setdefault(name, None)  # built on first use
        data = self._problem(first)

        style = {"description_width": "initial"}
        self.dataset_menu = widgets.Dropdown(
            options=[(n.replace("_", " "), n) for n in self._data], value=first,
            description="data", style=style)
        self.family_menu = widgets.Dropdown(description="family", style=style)
        self.link_menu = widgets.Dropdown(description="link", style=style)
        self.start_menu = widgets.Dropdown(description="start", style=style)
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

        for w, cls in [(self.dataset_menu, "glmlearn-dataset"), (self.family_menu, "glmlearn-family"),
                       (self.link_menu, "glmlearn-link"), (self.start_menu, "glmlearn-start"),
                       (self.play, "glmlearn-play"), (self.back_button, "glmlearn-step-back"),
                       (self.forward_button, "glmlearn-step-forward"),
                       (self.slider, "glmlearn-slider"), (self.table, "glmlearn-table")]:
            w.add_class(cls)

        self.result: GLMResult
        self.panels: dict[str, Any] = {}
        self._set_menus(data, family or data.families[0], link, start or data.start)
        self._refit(iteration)
        if not self.panels:  # the first fit must work: there is nothing to fall back to
            raise self._last_error if self._last_error else RuntimeError("no fit")

        self.slider.observe(self._on_iteration, names="value")
        self.dataset_menu.observe(self._on_dataset, names="value")
        self.family_menu.observe(self._on_family, names="value")
        self.link_menu.observe(self._on_choice, names="value")
        self.start_menu.observe(self._on_choice, names="value")
        self.back_button.on_click(lambda _b: self.step(-1))
        self.forward_button.on_click(lambda _b: self.step(+1))

        menus = widgets.HBox([self.dataset_menu, self.family_menu, self.link_menu,
                              self.start_menu])
        player = widgets.HBox([self.play, self.back_button, self.forward_button, self.slider])
        info = widgets.HBox([self.table, self.status],
                            layout=widgets.Layout(align_items="flex-start", grid_gap="24px"))
        self.widget = SnapshotBox([menus, player, info, self.view.widget], self._snapshot)
        self.widget.add_class("glmlearn-explorer")

    # --- problems and menus ---------------------------------------------------------------
    def _register(self, dataset: str | ExplorerData | GLMResult) -> str:
        if isinstance(dataset, GLMResult):
            data = ExplorerData.from_result(dataset)
            self._data[data.name] = data
            self._fits[(data.name, dataset.family.name, dataset.family.link.name,
                        data.start)] = dataset
            return data.name
        if isinstance(dataset, ExplorerData):
            self._data[dataset.name] = dataset
            return dataset.name
        explorer_data(dataset)  # raises with the list of names when unknown
        return dataset

    def _problem(self, name: str) -> ExplorerData:
        data = self._data.get(name)
        if data is None:
            data = self._data[name] = explorer_data(name)
        return data

    @contextmanager
    def _holding(self) -> Iterator[None]:
        # Menus are set in cascades (dataset -> family -> link); the observers they fire
        # meanwhile must not refit, so that one user action refits exactly once.
        self._hold += 1
        try:
            yield
        finally:
            self._hold -= 1

    def _set_menus(self, data: ExplorerData, family: str, link: str | None, start: str) -> None:
        if family not in FAMILIES:
            raise ValueError(f"family: unknown family {family!r}; known families are "
                             f"{', '.join(map(repr, FAMILIES))}")
        with self._holding():
            fams = data.families if family in data.families else (*data.families, family)
            self.family_menu.options = list(fams)
            self.family_menu.value = family
            default = data.link if family == data.families[0] else None
            self._set_links(family, link or default)
            self.start_menu.options = [(START_OPTIONS[s], s) for s in data.start_options]
            if start not in data.start_options:
                raise ValueError(f"start: must be one of {', '.join(map(repr, data.start_options))}"
                                 f", got {start!r}")
            self.start_menu.value = start

    def _set_links(self, family: str, link: str | None) -> None:
        fam = FAMILIES[family]()
        allowed = fam.allowed_links
        if link is not None and link not in allowed:
            raise ValueError(f"link: {link!r} is not available for the {family} family; "
                             f"allowed links are {', '.join(map(repr, allowed))}")
        with self._holding():
            self.link_menu.options = [
                (f"{lk} (canonical)" if lk == fam.canonical_link else lk, lk) for lk in allowed]
            self.link_menu.value = link or fam.canonical_link

    # --- callbacks --------------------------------------------------------------------------
    @guarded
    def _on_iteration(self, change: Mapping[str, Any]) -> None:
        if self._hold:  # a refit sets the slider, then shows the new trace itself
            return
        self._show(int(change["new"]))

    @guarded
    def _on_dataset(self, change: Mapping[str, Any]) -> None:
        if self._hold:
            return
        data = self._problem(change["new"])
        self._set_menus(data, data.families[0], None, data.start)
        self._refit()

    @guarded
    def _on_family(self, change: Mapping[str, Any]) -> None:
        if self._hold:
            return
        current = self.link_menu.value
        allowed = FAMILIES[change["new"]]().allowed_links
        # Keep the link when the new family allows it (binomial -> ... keeps probit).
        self._set_links(change["new"], current if current in allowed else None)
        self._refit()

    @guarded
    def _on_choice(self, change: Mapping[str, Any]) -> None:
        if self._hold:
            return
        self._refit()

    # --- fitting and drawing ----------------------------------------------------------------
    @property
    def key(self) -> tuple[str, str, str, str]:
        """``(dataset, family, link, start)`` of the menus now."""
        return (self.dataset_menu.value, self.family_menu.value, self.link_menu.value,
                self.start_menu.value)

    def fit_for(self, key: tuple[str, str, str, str] | None = None) -> GLMResult:
        """The fit for ``key`` (default: the menus' choice), computed on first use only."""
        key = self.key if key is None else key
        if key not in self._fits:
            name, family, link, start = key
            self._fits[key] = fit_choice(self._problem(name), family, link, start,
                                         max_iter=self.max_iter, tol=self.tol)
        return self._fits[key]

    def _refit(self, iteration: int = 0) -> None:
        self._last_error = None
        try:
            result = self.fit_for()
        except (ValueError, ArithmeticError) as exc:  # GLMInputError is a ValueError
            # A choice that cannot be fitted (say, beta = 0 under an inverse link) is a
            # lesson, not a crash: say why, and keep showing the last good fit.
            self._last_error = exc
            shown = (f"; still showing {' / '.join(self._shown_key)}" if self.panels else "")
            self.status.value = (error_html(exc) + f"<div>This choice cannot be fitted{shown}."
                                 "</div>")
            return
        self._shown_key = self.key
        self.result = result
        k = int(np.clip(iteration, 0, len(self.trace) - 1))
        fig = self.view.figure
        data = self._problem(self.dataset_menu.value)
        with self.view.lock:
            fig.clear()
            # x = "eta" draws the weights against eta too. The corner labels are outside
            # the layout and clipped to their panels; the layout is computed once.
            _, self.panels = plot.explorer_figure(self.result, k, fig=fig, x=data.x)
            # Frames: the static parts rendered once per fit, then only what moves.
            self.view.attach(self.panels)
        self.status.value = fit_status_html(data, result)
        last = len(self.trace) - 1
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
        self.table.value = state_table_html(state, len(self.trace))

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
        if not 0 <= k < len(self.trace):
            raise ValueError(f"iteration: must be between 0 and {len(self.trace) - 1}, got {k}")
        self.slider.value = k

    @property
    def state(self) -> IRLSState:
        """The state shown."""
        return self.trace[self.iteration]

    def step(self, delta: int = 1) -> None:
        """Move ``delta`` iterations (clipped to the trace), as the step buttons do."""
        self.slider.value = int(np.clip(self.slider.value + delta, 0, len(self.trace) - 1))

    def select(self, dataset: str | None = None, family: str | None = None,
               link: str | None = None, start: str | None = None) -> None:
        """Choose the problem, family, link or start, as the menus do (one refit)."""
        with self._holding():
            if dataset is not None and dataset != self.dataset_menu.value:
                self.dataset_menu.value = dataset
                data = self._problem(dataset)
                self._set_menus(data, family or data.families[0], link, start or data.start)
            else:
                if family is not None and family != self.family_menu.value:
                    self.family_menu.value = family
                    cur = self.link_menu.value
                    keep = cur if cur in FAMILIES[family]().allowed_links else None
                    self._set_links(family, link or keep)
                elif link is not None:
                    self.link_menu.value = link
                if start is not None:
                    self.start_menu.value = start
        self._refit()

    def _snapshot_html(self) -> str:
        return str(self.table.value)

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
