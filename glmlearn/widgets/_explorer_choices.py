"""The IRLS explorer's menus: which problems they offer, and a choice resolved and checked.

A choice is a :data:`Key`, ``(dataset, family, link, start)``. :class:`ExplorerChoices`
(a base of :class:`~glmlearn.widgets._irls_explorer.IRLSExplorer`) keeps the problems on
offer, completes and checks a choice (:meth:`~ExplorerChoices._resolve`), and sets the
four menus to one (:meth:`~ExplorerChoices._set_menus`) without refitting.

A fifth menu, ``halving_menu``, picks the step-halving rule (``step_halving=`` of
:func:`glmlearn.fit`): R's ``glm.fit``, which halves a step only when it leaves the valid
range, or glm2's, which also halves a step that raises the deviance. The fits are kept
apart for each rule (``_fits`` is the current rule's), so switching back shows the trace
already computed.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets

from .._irls import HalvingRule
from ..errors import GLMInputError, GLMTypeError
from ..family import FAMILIES, Family, _relinked
from ..links import get_link
from ..problem import _show
from ..results import GLMResult
from ._checks import check_choice
from ._data import DATASETS, START_OPTIONS, ExplorerData, explorer_data
from ._view import error_html, quiet_fit

Key = tuple[str, str, str, str]

#: The step-halving menu: (label, ``step_halving=`` value).
HALVING_OPTIONS = (("R: only out of range", "R"), ("glm2: also when D rises", "deviance"))

__all__ = ["HALVING_OPTIONS", "ExplorerChoices", "Key", "fit_choice", "unfittable_error",
           "unfittable_html"]


def _same_family(family: Family, link: str | None = None) -> Family:
    """A fit's own family (a quasi family, a negative binomial at its θ̂), with ``link``."""
    if link is None or link == family.link.name:
        return family
    return _relinked(family.name, get_link(link), family)


def fit_choice(data: ExplorerData, family: str, link: str | None, start: str, *,
               max_iter: int = 25, tol: float = 1e-8, step_halving: HalvingRule = "R",
               families: Mapping[str, Callable[..., Family]] = FAMILIES) -> GLMResult:
    """Fit ``data`` with :func:`glmlearn.fit` for the menus' choice, quietly: the status
    line shows the fit's ``result.troubles`` instead of stderr, where a notebook would show
    them once, far from the picture they explain. ``families``: the names on offer (the
    five families, and the family of a fit the explorer was given)."""
    fam = families[family]() if link is None else families[family](link)
    return quiet_fit(data.X, data.y, fam, weights=data.weights, offset=data.offset,
                     start=data.start_beta(start), max_iter=max_iter, tol=tol,
                     step_halving=step_halving, column_names=list(data.column_names) or None)


class ExplorerChoices:
    """The menus of an explorer and the (dataset, family, link, start) they choose."""

    _data: dict[str, ExplorerData | None]
    _hold: int
    _fits_by_rule: dict[str, dict[Key, GLMResult]]

    @property
    def step_halving(self) -> HalvingRule:
        """The step-halving rule of the menus (``"R"`` before they exist)."""
        menu = getattr(self, "halving_menu", None)
        return "R" if menu is None else menu.value

    @property
    def _fits(self) -> dict[Key, GLMResult]:
        """The fits computed so far under the current step-halving rule."""
        return self._fits_by_rule.setdefault(self.step_halving, {})

    @_fits.setter
    def _fits(self, fits: dict[Key, GLMResult]) -> None:
        self._fits_by_rule = {self.step_halving: fits}

    def _offer(self, dataset: Any) -> str:
        """Register ``dataset`` and every named dataset; the name of ``dataset``."""
        self._data = {}
        self._hold = 0
        #: The families on offer: the five, and the family of a fit given to the explorer
        #: (a quasi family or a negative binomial at its θ̂, refitted as it is).
        self._families: dict[str, Callable[..., Family]] = dict(FAMILIES)
        # Which problems the menu offers; a custom one goes first.
        first = self._register(dataset)
        for name in DATASETS:
            self._data.setdefault(name, None)  # built on first use
        return first

    def _make_menus(self, first: str) -> None:
        """The menus (in the box ``self._menu_box``), the dataset menu at ``first``."""
        style = {"description_width": "initial"}
        self.dataset_menu = widgets.Dropdown(
            options=[(n.replace("_", " "), n) for n in self._data], value=first,
            description="data", style=style)
        self.family_menu = widgets.Dropdown(description="family", style=style)
        self.link_menu = widgets.Dropdown(description="link", style=style)
        self.start_menu = widgets.Dropdown(description="start", style=style)
        self.halving_menu = widgets.Dropdown(
            options=list(HALVING_OPTIONS), value="R", description="halve a step",
            style=style, layout=widgets.Layout(width="290px"))
        for w, cls in [(self.dataset_menu, "glmlearn-dataset"), (self.family_menu, "glmlearn-family"),
                       (self.link_menu, "glmlearn-link"), (self.start_menu, "glmlearn-start"),
                       (self.halving_menu, "glmlearn-halving")]:
            w.add_class(cls)
        self._menu_box = widgets.VBox([
            widgets.HBox([self.dataset_menu, self.family_menu, self.link_menu, self.start_menu]),
            self.halving_menu])

    def _register(self, dataset: Any) -> str:
        if isinstance(dataset, GLMResult):
            data = ExplorerData.from_result(dataset)
            if dataset.family.name not in self._families:
                self._families[dataset.family.name] = functools.partial(_same_family,
                                                                        dataset.family)
            self._data[data.name] = data
            self._fits[(data.name, dataset.family.name, dataset.family.link.name,
                        data.start)] = dataset
            return data.name
        if isinstance(dataset, ExplorerData):
            self._data[dataset.name] = dataset
            return dataset.name
        if not isinstance(dataset, str):
            raise GLMTypeError(
                f"dataset: expected a dataset name, an ExplorerData or a GLMResult, got "
                f"{type(dataset).__name__} {_show(dataset)}; choose one of "
                f"{', '.join(map(repr, DATASETS))}")
        if dataset in self._data and self._data[dataset] is not None:
            return dataset
        explorer_data(dataset)  # raises with the list of names when unknown
        return dataset

    def _problem(self, name: str) -> ExplorerData:
        data = self._data.get(name)
        if data is None:
            data = self._data[name] = explorer_data(name)
        return data

    def _resolve(self, dataset: str, family: Any, link: Any, start: Any, *,
                 current: Key | None = None) -> Key:
        """The full (dataset, family, link, start) of a choice, each part checked.

        Omitted parts: the dataset's defaults, or with ``current`` (a change from the
        menus' choice of the same dataset) the current family, and the current link
        when the family allows it, and the current start.
        """
        data = self._problem(dataset)
        same = current is not None and current[0] == dataset
        if family is None:
            family = current[1] if same and current is not None else data.families[0]
        family = check_choice("family", family, self._families, what="family")
        fam = self._families[family]()
        allowed = fam.allowed_links
        if link is None:
            if same and current is not None and current[2] in allowed:
                link = current[2]
            elif family == data.families[0] and data.link is not None:
                link = data.link
            else:
                link = fam.canonical_link
        link = check_choice("link", link, allowed, what="link", of=f"for the {family} family")
        if start is None:
            start = current[3] if same and current is not None else data.start
        start = check_choice("start", start, data.start_options, what="start",
                             of=f"for the {dataset} data")
        return (dataset, family, link, start)

    @contextmanager
    def _holding(self) -> Iterator[None]:
        # Menus are set in cascades (dataset -> family -> link); the observers they fire
        # meanwhile must not refit, so that one user action refits exactly once.
        self._hold += 1
        try:
            yield
        finally:
            self._hold -= 1

    def _set_menus(self, key: Key) -> None:
        """Set every menu to ``key`` (already checked), firing no refit."""
        name, family, link, start = key
        data = self._problem(name)
        fam = self._families[family]()
        with self._holding():
            if name not in [v for _, v in self.dataset_menu.options]:
                self.dataset_menu.options = [*self.dataset_menu.options,
                                             (name.replace("_", " "), name)]
            self.dataset_menu.value = name
            fams = data.families if family in data.families else (*data.families, family)
            if tuple(self.family_menu.options) != tuple(fams):
                self.family_menu.options = list(fams)
            self.family_menu.value = family
            links = [(f"{lk} (canonical)" if lk == fam.canonical_link else lk, lk)
                     for lk in fam.allowed_links]
            if list(self.link_menu.options) != links:
                self.link_menu.options = links
            self.link_menu.value = link
            starts = [(START_OPTIONS[s], s) for s in data.start_options]
            if list(self.start_menu.options) != starts:
                self.start_menu.options = starts
            self.start_menu.value = start

    @property
    def key(self) -> Key:
        """``(dataset, family, link, start)`` of the menus now."""
        return (self.dataset_menu.value, self.family_menu.value, self.link_menu.value,
                self.start_menu.value)


def _describe(key: Key) -> str:
    name, family, link, start = key
    return f"{name} / {family} / {link} / {START_OPTIONS.get(start, start)}"


def unfittable_error(key: Key, exc: Exception) -> GLMInputError:
    """The error of a first choice that cannot be fitted (there is no picture to fall back to)."""
    return GLMInputError(
        f"{' / '.join(key[1:3])} from {START_OPTIONS[key[3]]} cannot be fitted to "
        f"the {key[0]} data: {exc}. Choose another family, link or start")


def unfittable_html(exc: Exception, key: Key, shown: Key) -> str:
    """The status of a choice that cannot be fitted: why, and that the menus stay at ``shown``."""
    return (
        error_html(exc)
        + f"<div class='glmlearn-error-note'>{html.escape(_describe(key))} cannot be "
        f"fitted, so the figure and the menus stay at {html.escape(_describe(shown))}."
        "</div>")
