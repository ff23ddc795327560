"""The IRLS explorer's fit-panel menu: which views it offers, and that a choice shows
exactly what :func:`glmlearn.plot.draw_fit` draws for that view, without refitting."""

from __future__ import annotations

from typing import Any

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import glmlearn
from glmlearn import plot
from glmlearn.widgets import _irls_explorer as explorer_module
from glmlearn.widgets import irls_explorer
from glmlearn.widgets._data import explorer_data


def fit_panel_data(art: Any) -> dict[str, Any]:
    """What the fit panel shows: its view, title, labels, points, line and limits."""
    return {"view": art.view, "x": art.x, "title": art.ax.get_title(),
            "xlabel": art.ax.get_xlabel(), "ylabel": art.ax.get_ylabel(),
            "data": np.asarray(art.data.get_xydata(), float),
            "curve": np.asarray(art.curve.get_xydata(), float),
            "xlim": art.ax.get_xlim(), "ylim": art.ax.get_ylim(), "label": art.label.get_text()}


def assert_fit_panel_is(e: Any, view: str, x: Any) -> None:
    fig = Figure(figsize=(5, 4), dpi=50)
    FigureCanvasAgg(fig)
    fresh = plot.draw_fit(fig.add_subplot(), e.state, trace=e.result, view=view, x=x)
    got, want = fit_panel_data(e.panels["fit"]), fit_panel_data(fresh)
    for key in ("view", "x", "title", "xlabel", "ylabel", "label"):
        assert got[key] == want[key], key
    for key in ("data", "curve"):
        np.testing.assert_allclose(got[key], want[key], rtol=1e-12, equal_nan=True, err_msg=key)


def test_the_menu_offers_the_views_that_fit_the_problem() -> None:
    one = [v for _, v in explorer_module.fit_view_options(explorer_data("pass_fail"))]
    assert one == [("curve", "hours"), ("observed", None), ("partial", "hours"),
                   ("curve", "eta")]  # one predictor: its curve is the model
    doctors = explorer_data("doctors")
    labels, values = zip(*explorer_module.fit_view_options(doctors), strict=True)
    cols = ["smokes", "agecat", "I(agecat^2)", "smokes:agecat"]  # the formula's columns
    assert list(values) == [("curve", "eta"), ("observed", None),
                            *(("partial", c) for c in cols), *(("curve", c) for c in cols)]
    # a curve against one of several columns says what it holds fixed
    assert labels[-1] == "curve against smokes:agecat (others at their means)"


def test_choosing_a_view_redraws_the_same_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    fits: list[Any] = []
    original = explorer_module.fit_choice
    monkeypatch.setattr(explorer_module, "fit_choice",
                        lambda *a, **k: (fits.append(1), original(*a, **k))[1])
    e = irls_explorer("ships", backend="png", iteration=2)
    assert e.fit_view == ("curve", "eta") and e.panels["fit"].x == "eta"
    assert "glmlearn-fit-view" in e.fit_view_menu._dom_classes
    assert e.fit_view_menu in e.widget.children[0].children  # with the other menus
    result = e.result
    e.fit_view_menu.value = ("observed", None)
    assert e.result is result and len(fits) == 1 and e.iteration == 2
    assert_fit_panel_is(e, "observed", None)
    e.select_fit_view("partial", "year70")
    assert_fit_panel_is(e, "partial", "year70")
    for k in (0, len(e.trace) - 1, 1):  # stepping keeps the view
        e.iteration = k
        assert_fit_panel_is(e, "partial", "year70")
    e.dataset_menu.value = "beetles"  # a new dataset: its own views, from its default
    assert e.fit_view == ("curve", "dose")
    assert_fit_panel_is(e, "curve", "dose")
    assert e.errors == []


def test_first_view_and_bad_choices_are_named() -> None:
    e = irls_explorer("dobson_counts", backend="png", fit_view="partial", fit_x="treatment3")
    assert e.fit_view == ("partial", "treatment3")
    assert_fit_panel_is(e, "partial", "treatment3")
    assert irls_explorer("doctors", backend="png", fit_view="partial").fit_view == (
        "partial", "smokes")  # the first column on offer
    with pytest.raises(glmlearn.GLMInputError,
                       match="fit_view: unknown view 'residuals' for 'ships'; choose one of "
                             "'curve', 'observed', 'partial'"):
        irls_explorer("ships", backend="png", fit_view="residuals")
    with pytest.raises(glmlearn.GLMInputError,
                       match="fit_x: unknown column 'service' for the 'partial' view"):
        e.select_fit_view("partial", "service")
    assert e.fit_view == ("partial", "treatment3")  # nothing changed


def test_the_player_row_keeps_its_keys_from_the_notebook(monkeypatch: pytest.MonkeyPatch) -> None:
    """The row of Play, step buttons and slider holds the hidden guard whose script marks
    every element of the row with Lumino's data-lm-suppress-shortcuts (the browser test
    tests/browser/test_notebook7_browser.py shows the keys then reach the slider)."""
    import builtins

    from glmlearn.widgets import _ipympl_fixes

    e = irls_explorer("pass_fail", backend="png")
    row = next(w for w in e.widget.children if "glmlearn-player-row" in w._dom_classes)
    assert row.children[:4] == (e.play, e.back_button, e.forward_button, e.slider)
    guard = row.children[4]
    assert "glmlearn-shortcut-guard" in guard._dom_classes
    esm = str(guard._esm)
    assert 'const ATTR = "data-lm-suppress-shortcuts"' in esm
    assert ".glmlearn-explorer" in esm and ".glmlearn-player-row" in esm
    assert "MutationObserver" in esm and 'querySelectorAll("*")' in esm
    # without anywidget the explorer is built all the same, without the guard
    real_import = builtins.__import__

    def no_anywidget(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "anywidget":
            raise ImportError("no anywidget here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_anywidget)
    assert _ipympl_fixes.shortcut_guard() is None
    bare = irls_explorer("pass_fail", backend="png")
    row = next(w for w in bare.widget.children if "glmlearn-player-row" in w._dom_classes)
    assert row.children == (bare.play, bare.back_button, bare.forward_button, bare.slider)
    assert bare.errors == []


def path_panel_data(art: Any) -> dict[str, Any]:
    return {"coefs": art.coefs, "xlabel": art.ax.get_xlabel(), "ylabel": art.ax.get_ylabel(),
            "label": art.label.get_text(), "xlim": art.ax.get_xlim(),
            "current": np.asarray(art.current.get_xydata(), float),
            "contours": [np.asarray(p.vertices) for p in art.contours.get_paths()]}


def assert_path_panel_is(e: Any, coefs: tuple[int, int]) -> None:
    fig = Figure(figsize=(5, 4), dpi=50)
    FigureCanvasAgg(fig)
    fresh = plot.draw_path(fig.add_subplot(), e.state, trace=e.result, coefs=coefs)
    got, want = path_panel_data(e.panels["path"]), path_panel_data(fresh)
    for key in ("coefs", "xlabel", "ylabel", "label", "xlim"):
        assert got[key] == want[key], key
    np.testing.assert_allclose(got["current"], want["current"])
    assert len(got["contours"]) == len(want["contours"])
    for a, b in zip(got["contours"], want["contours"], strict=True):
        np.testing.assert_allclose(a, b)


def test_path_pairs_for_many_coefficients(monkeypatch: pytest.MonkeyPatch) -> None:
    """ships (9 coefficients): the path panel is a slice over a pair the menu chooses,
    by name at the start; choosing a pair redraws the same fit at the same iteration."""
    fits: list[Any] = []
    original = explorer_module.fit_choice
    monkeypatch.setattr(explorer_module, "fit_choice",
                        lambda *a, **k: (fits.append(1), original(*a, **k))[1])
    e = irls_explorer("ships", backend="png", iteration=2, path_coefs=("typeB", "year70"))
    assert e.path_coefs == (1, 6) and "glmlearn-path-coefs" in e.path_menu._dom_classes
    assert len(e.path_menu.options) == 36 and e.path_menu.layout.display != "none"
    assert e.path_menu.options[0] == ("β₀ (Intercept) × β₁ typeB", (0, 1))
    assert_path_panel_is(e, (1, 6))
    assert e.panels["path"].ax.get_xlabel() == "β₁: typeB"
    assert "others held at β⁽²⁾" in e.panels["path"].label.get_text()
    result = e.result
    e.select_path_coefs(("period75", 0))  # any order, any mix: shown as (0, 8)
    assert e.path_coefs == (0, 8) and e.result is result and len(fits) == 1
    assert e.iteration == 2
    assert_path_panel_is(e, (0, 8))
    e.iteration = len(e.trace) - 1
    assert_path_panel_is(e, (0, 8))
    e.dataset_menu.value = "beetles"  # two coefficients: one pair, the menu hidden
    assert e.path_coefs == (0, 1) and e.path_menu.layout.display == "none"
    assert "confidence regions" in e.panels["path"].label.get_text()
    assert e.errors == []


def test_bad_path_pairs_are_named() -> None:
    with pytest.raises(glmlearn.GLMInputError,
                       match=r"path_coefs: \('typeB', 'typeB'\) is not a pair of two different "
                             r"coefficients of 'ships'; the choices are two of the indices 0..8"):
        irls_explorer("ships", backend="png", path_coefs=("typeB", "typeB"))
    e = irls_explorer("doctors", backend="png")
    with pytest.raises(glmlearn.GLMInputError, match=r"path_coefs: .*'smokes:agecat'"):
        e.select_path_coefs((0, 7))
    assert e.path_coefs == (0, 1)  # nothing changed


def test_the_explorer_takes_a_quasi_or_negative_binomial_fit_and_refits_in_its_family():
    """A fit's own family is on offer in the menus (before: 'unknown family'); a change of
    link refits that family, the negative binomial at the fit's theta."""
    from glmlearn.datasets import load

    quasi = load("ships").fit(family="quasipoisson")
    w = irls_explorer(quasi, backend="png")
    assert w.key[1:3] == ("quasipoisson", "log") and w.fit_for() is quasi
    nb = load("quine").fit()
    w = irls_explorer(nb, backend="png")
    assert w.key[1] == "negative_binomial" and w.fit_for() is nb
    w.link_menu.value = "sqrt"
    p = nb.problem
    again = glmlearn.fit(p.X, p.y, glmlearn.negative_binomial(nb.theta, link="sqrt"))
    # (the explorer starts from the fit's own start: the same MLE, to IRLS's tolerance)
    np.testing.assert_allclose(w.fit_for().deviance, again.deviance, rtol=1e-7)
    assert "negative_binomial family, sqrt link" in w.status.value
