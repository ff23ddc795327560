"""Widgets driven from Python, no browser: each one shows exactly what glmlearn.plot draws.

Every widget is exercised under two matplotlib backends: ``Agg`` (the widget falls back to
a PNG in an ``Output``) and ipympl's ``module://ipympl.backend_nbagg`` (the canvas is a
widget). The key check: after moving the explorer to iteration k, every panel's artists
hold the same data as a fresh ``draw_*`` of state k on a new Agg figure, and a move
changes exactly the artists that differ between two such fresh drawings.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

matplotlib.use("Agg")  # before pyplot; the `backend` fixture switches per test
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PIL import Image

import glmlearn
from glmlearn import plot
from glmlearn.family import FAMILIES
from glmlearn.plot import demo_links, demo_separation, demo_wls
from glmlearn.plot._freeze import freeze_layout
from glmlearn.widgets import (
    IRLSExplorer,
    irls_explorer,
    link_explorer,
    separation_demo,
    wls_playground,
)
from glmlearn.widgets import _irls_explorer as explorer_module
from glmlearn.widgets._separation_demo import SEPARATION_X, SEPARATION_Y
from glmlearn.widgets._wls_playground import WLS_X, WLS_Y

# ipympl's Toolbar passes an extra argument to traitlets when built outside a kernel.
pytestmark = pytest.mark.filterwarnings("ignore:Passing unrecognized arguments:DeprecationWarning")

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ["Agg", "module://ipympl.backend_nbagg"]


@pytest.fixture(params=BACKENDS, ids=["agg", "ipympl"])
def backend(request: pytest.FixtureRequest) -> Any:
    old = matplotlib.get_backend()
    plt.switch_backend(request.param)
    try:
        yield "png" if request.param == "Agg" else "ipympl"
    finally:
        plt.switch_backend(old)


@pytest.fixture
def ex(backend: str) -> IRLSExplorer:
    e = irls_explorer("pass_fail")
    assert e.view.mode == backend
    return e


# --- helpers: what an artist shows -------------------------------------------------------------

def _artist_data(a: Any) -> Any:
    """The data an artist shows, as comparable numbers and strings."""
    if isinstance(a, Line2D):
        return ("line", np.asarray(a.get_xydata(), float), a.get_visible())
    if isinstance(a, Text):
        return ("text", a.get_text(), tuple(np.round(a.get_position(), 9)))
    if isinstance(a, Rectangle):
        return ("rect", tuple(np.round([a.get_x(), a.get_y(), a.get_width(), a.get_height()], 12)))
    if isinstance(a, Collection):
        sizes = a.get_sizes() if hasattr(a, "get_sizes") else np.zeros(0)
        paths = [p.vertices for p in a.get_paths()]
        verts = np.concatenate(paths) if paths else np.zeros((0, 2))
        return ("coll", np.asarray(a.get_offsets(), float), np.asarray(sizes, float),
                np.asarray(verts, float))
    if isinstance(a, Axes):
        return ("axes", tuple(np.round(a.get_xlim() + a.get_ylim(), 9)))
    return None


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and bool(np.allclose(a, b, equal_nan=True, rtol=1e-12, atol=1e-12))
    if isinstance(a, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def panel_snapshot(panels: dict[str, Any]) -> dict[tuple[str, str], Any]:
    """Every artist a panel's dataclass holds (and its axes' limits), by (panel, field)."""
    out: dict[tuple[str, str], Any] = {}
    for name, art in panels.items():
        for f in dataclasses.fields(art):
            v = getattr(art, f.name)
            items = v if isinstance(v, tuple) else (v,)
            for i, item in enumerate(items):
                d = _artist_data(item)
                if d is not None:
                    out[(name, f"{f.name}[{i}]")] = d
    return out


def figure_snapshot(fig: Figure) -> dict[tuple[int, int], Any]:
    """Every artist of every axes of a figure, by (axes index, child index)."""
    out: dict[tuple[int, int], Any] = {}
    for i, ax in enumerate(fig.axes):
        out[(i, -1)] = _artist_data(ax)
        for j, child in enumerate(ax.get_children()):
            d = _artist_data(child)
            if d is not None:
                out[(i, j)] = d
    return out


def changed(a: dict[Any, Any], b: dict[Any, Any]) -> set[Any]:
    assert a.keys() == b.keys(), "artists were added or removed"
    return {k for k in a if not _same(a[k], b[k])}


def fresh_panels(result: glmlearn.GLMResult, k: int, x: Any = None,
                 coefs: tuple[int, int] = (0, 1)) -> dict[str, Any]:
    """Each panel drawn afresh by its own draw_* for state k, on a new Agg figure laid out
    as the explorer's is (a legend with no room in its small panel raises the top of its
    y-axis after the layout, as the explorer's does)."""
    fig = Figure(figsize=(11.5, 6.4), dpi=80)
    fig.set_layout_engine("constrained")
    axes = fig.subplots(2, 3).ravel()
    st, tr = result.trace[k], result
    weights_kw: dict[str, Any] = {"against": "eta"} if x == "eta" else {"x": x}
    panels = {
        "fit": plot.draw_fit(axes[0], st, trace=tr, x=x),
        "weights": plot.draw_weights(axes[1], st, trace=tr, **weights_kw),
        "working": plot.draw_working(axes[2], st, trace=tr, x=x),
        "deviance": plot.draw_deviance(axes[3], st, trace=tr),
        "convergence": plot.draw_convergence(axes[4], st, trace=tr),
    }
    panels["path"] = plot.draw_path(axes[5], st, trace=tr, coefs=coefs)
    freeze_layout(fig)
    return panels


def assert_shows_state(e: IRLSExplorer, k: int) -> None:
    got = panel_snapshot(e.panels)
    want = panel_snapshot(fresh_panels(e.result, k, e._problem(e.dataset_menu.value).x,
                                       e.path_coefs))
    assert got.keys() == want.keys()
    diff = changed(got, want)
    assert not diff, f"iteration {k}: these artists differ from a fresh draw_*: {sorted(diff)}"


def count_draws(e: Any, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Calls of the figure's ``canvas.draw_idle()``: the one redraw of each callback
    (ipympl: ask the browser for an image; PNG fallback: a render and its PNG)."""
    calls: list[int] = []
    canvas = e.figure.canvas
    original = canvas.draw_idle
    monkeypatch.setattr(canvas, "draw_idle", lambda *a, **k: (calls.append(1), original(*a, **k)))
    return calls


def png_of(bundle: dict[str, Any]) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(bundle["image/png"])))


# --- the explorer -------------------------------------------------------------------------------

def test_import_glmlearn_widgets_needs_no_pyplot() -> None:
    code = ("import sys, glmlearn; assert 'ipywidgets' not in sys.modules; "
            "import glmlearn.widgets; assert 'matplotlib.pyplot' not in sys.modules")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"MPLBACKEND": "Agg", "PATH": ""})
    assert proc.returncode == 0, proc.stderr


def test_explorer_shows_the_lessons_fit(ex: IRLSExplorer) -> None:
    dev = [round(s.deviance, 2) for s in ex.trace]
    assert dev[0] == 277.26 and dev[-1] == 148.09  # the pass/fail data from beta = 0
    assert np.allclose(ex.result.coef, [-2.7506, 0.8444], atol=1e-4)
    assert ex.slider.max == ex.play.max == len(ex.trace) - 1 == 6
    assert ex.iteration == 0
    assert_shows_state(ex, 0)
    assert ex.errors == []


def test_slider_shows_state_k_in_every_panel(ex: IRLSExplorer) -> None:
    for k in [3, 6, 1, 0, 5]:
        ex.slider.value = k
        assert_shows_state(ex, k)
        assert f"<td>{k} of 6</td>" in ex.table.value
        assert f"{ex.trace[k].deviance:.6g}" in ex.table.value
    assert ex.errors == []


def test_a_move_changes_exactly_the_artists_that_differ_between_states(ex: IRLSExplorer) -> None:
    fig = ex.figure
    for j, k in [(0, 1), (4, 2)]:
        ex.slider.value = j
        before = figure_snapshot(fig)
        ex.slider.value = k
        after = figure_snapshot(fig)
        ref_j = Figure(figsize=(11.5, 6.4), dpi=80)
        ref_k = Figure(figsize=(11.5, 6.4), dpi=80)
        plot.explorer_figure(ex.result, j, fig=ref_j)
        plot.explorer_figure(ex.result, k, fig=ref_k)
        expected = changed(figure_snapshot(ref_j), figure_snapshot(ref_k))
        assert changed(before, after) == expected, (j, k)
        assert expected  # the deviance marker moves, at least


def test_one_redraw_per_step(ex: IRLSExplorer, monkeypatch: pytest.MonkeyPatch) -> None:
    draws = count_draws(ex, monkeypatch)
    ex.slider.value = 2
    assert len(draws) == 1
    ex.forward_button.click()
    assert len(draws) == 2
    ex.play.value = 5  # Play is linked kernel-side too
    assert len(draws) == 3


def test_step_buttons_and_play(ex: IRLSExplorer) -> None:
    ex.forward_button.click()
    ex.forward_button.click()
    assert ex.iteration == 2 and ex.play.value == 2
    assert_shows_state(ex, 2)
    ex.back_button.click()
    assert ex.iteration == 1
    assert_shows_state(ex, 1)
    for _ in range(3):
        ex.back_button.click()  # clipped at 0
    assert ex.iteration == 0
    ex.iteration = 6
    ex.forward_button.click()  # clipped at the last iteration
    assert ex.iteration == 6
    # Play: jslink-ed to the slider for the browser, and link-ed in the kernel
    ex.play.value = 4
    assert ex.slider.value == 4
    assert_shows_state(ex, 4)
    assert ex._jslink.source == (ex.play, "value") and ex._jslink.target == (ex.slider, "value")
    with pytest.raises(ValueError, match="between 0 and 6"):
        ex.iteration = 7


def test_browser_moves_are_not_echoed_back(ex: IRLSExplorer) -> None:
    # A change that arrives from the browser (ipywidgets applies it with set_state) was
    # already propagated there by jslink; the kernel must not push it back.
    ex.play.set_state({"value": 3})
    assert ex.play.value == 3 and ex.slider.value == 0
    ex.slider.set_state({"value": 3})  # the browser's slider reports its own move
    assert ex.iteration == 3
    assert_shows_state(ex, 3)


def test_figure_widget_per_backend(ex: IRLSExplorer, backend: str) -> None:
    if backend == "ipympl":
        assert ex.view.widget is ex.figure.canvas
        assert type(ex.figure.canvas).__module__ == "ipympl.backend_nbagg"
    else:
        out = ex.view.widget
        png0 = out.outputs[0]["data"]["image/png"]
        ex.slider.value = 3
        assert len(out.outputs) == 1
        png3 = out.outputs[0]["data"]["image/png"]
        assert png3 != png0
        assert base64.b64decode(png3) == ex.png()
    assert "glmlearn-figure" in ex.view.widget._dom_classes


def test_png_frames_are_blitted_and_equal_a_full_draw() -> None:
    """The PNG fallback renders with the frame renderer: background once, same pixels."""
    e = irls_explorer("pass_fail", backend="png")
    assert e.view.frames is not None
    for k in [2, 5, 0, 3]:
        e.iteration = k
        got = np.asarray(Image.open(io.BytesIO(e.png())).convert("RGBA"))
        fresh = Figure(figsize=(11.5, 6.4), dpi=80)
        plot.explorer_figure(e.result, k, fig=fresh)
        canvas = FigureCanvasAgg(fresh)
        canvas.draw()
        np.testing.assert_array_equal(got, np.asarray(canvas.buffer_rgba()))
    assert e.view.frames.backgrounds == 1
    e.link_menu.value = "probit"  # a refit draws new panels: a new renderer
    assert e.view.frames.panels == e.panels and e.errors == []


def test_ipympl_frames_are_full_locked_and_never_lost() -> None:
    plt.switch_backend("module://ipympl.backend_nbagg")
    try:
        e = irls_explorer("pass_fail")
        view, canvas = e.view, e.figure.canvas
        keeper = canvas.frame_keeper
        assert canvas.draw == keeper.draw and canvas.draw_idle == keeper.draw_idle
        sent: list[int] = []
        canvas.send_binary = lambda data: sent.append(len(data))
        e.iteration = 3  # draw_idle asks the browser; nothing rendered yet
        assert keeper.asked > keeper.drawn
        # A render holds the lock: the main thread cannot move artists mid-frame.
        seen: list[bool] = []
        render = keeper.render
        keeper.render = lambda: (seen.append(view.lock._is_owned()), render())[1]
        keeper.settle()  # no browser view has said "initialized": nothing is pushed
        assert seen == [] and sent == []
        canvas.syncing_data_url = False  # what ipympl sets when the view is initialized
        keeper.settle()  # the browser's request was dropped: the timer draws itself
        assert seen == [True] and len(sent) == 1
        assert keeper.drawn == keeper.asked
        assert canvas._current_image_mode == "full"  # a whole frame, not a difference
        keeper.settle()  # nothing new to show: no second frame
        assert len(sent) == 1
    finally:
        plt.switch_backend("Agg")


def test_css_classes_for_browser_tests(ex: IRLSExplorer) -> None:
    hooks = {ex.slider: "glmlearn-slider", ex.play: "glmlearn-play",
             ex.forward_button: "glmlearn-step-forward", ex.back_button: "glmlearn-step-back",
             ex.dataset_menu: "glmlearn-dataset", ex.family_menu: "glmlearn-family",
             ex.link_menu: "glmlearn-link", ex.start_menu: "glmlearn-start",
             ex.table: "glmlearn-table", ex.status: "glmlearn-status",
             ex.widget: "glmlearn-explorer"}
    for w, cls in hooks.items():
        assert cls in w._dom_classes, cls


@pytest.mark.parametrize("dataset", ["pass_fail", "clotting", "ships"])
def test_family_change_restricts_links(backend: str, dataset: str) -> None:
    e = irls_explorer(dataset)
    for family in e.family_menu.options:
        e.family_menu.value = family
        allowed = FAMILIES[family]().allowed_links
        assert [v for _, v in e.link_menu.options] == list(allowed)
        assert e.link_menu.value in allowed
        # every family these datasets offer fits with its default or kept link
        assert e.result.family.name == family
        assert e.result.family.link.name == e.link_menu.value
        assert "cannot be fitted" not in e.status.value
    assert e.errors == []


def test_family_change_keeps_an_allowed_link(backend: str) -> None:
    e = irls_explorer("clotting")  # gamma, inverse link
    e.link_menu.value = "log"
    e.family_menu.value = "inverse_gaussian"
    assert e.link_menu.value == "log"  # allowed there too
    assert e.result.family.name == "inverse_gaussian" and e.result.family.link.name == "log"
    e.family_menu.value = "gaussian"
    assert e.link_menu.value == "log"


def test_dataset_change_refits_once_and_caches(ex: IRLSExplorer,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    fits: list[tuple[Any, ...]] = []
    original = explorer_module.fit_choice
    monkeypatch.setattr(explorer_module, "fit_choice",
                        lambda *a, **k: (fits.append(a[1:]), original(*a, **k))[1])
    draws = count_draws(ex, monkeypatch)
    ex.slider.value = 4
    ex.dataset_menu.value = "beetles"
    assert len(fits) == 1 and fits[0] == ("binomial", "logit", "mustart")
    assert ex.result.problem.n == 8
    assert ex.iteration == 0 and ex.slider.max == ex.play.max == len(ex.trace) - 1
    assert_shows_state(ex, 0)
    assert "Beetles" in ex.status.value
    ex.link_menu.value = "cloglog"
    assert len(fits) == 2 and ex.result.family.link.name == "cloglog"
    ex.iteration = len(ex.trace) - 1
    assert_shows_state(ex, len(ex.trace) - 1)
    ex.dataset_menu.value = "pass_fail"  # cached: no new fit
    ex.dataset_menu.value = "beetles"
    assert len(fits) == 2
    assert ex.result.family.link.name == "logit"  # a dataset starts from its default
    assert len(draws) == 6  # one redraw per action: six actions above
    assert ex.errors == []


def test_many_coefficients_plot_against_eta(backend: str) -> None:
    e = irls_explorer("doctors")
    assert e.result.problem.p == 5 and e.panels["fit"].x == "eta"
    # the path panel is a slice through each state, over a pair the menu chooses
    assert e.panels["path"].coefs == (0, 1) and e.path_menu.layout.display != "none"
    assert len(e.path_menu.options) == 10  # every pair of the 5 coefficients
    e.iteration = 2
    assert_shows_state(e, 2)
    assert "others held at β⁽²⁾" in e.panels["path"].label.get_text()
    e.path_menu.value = (1, 3)
    assert e.panels["path"].coefs == (1, 3) and e.iteration == 2
    assert_shows_state(e, 2)
    e.iteration = 3
    assert_shows_state(e, 3)
    assert e.errors == []


def test_unfittable_choice_keeps_the_last_fit(ex: IRLSExplorer) -> None:
    good = ex.result
    ex.link_menu.value = "log"  # binomial log link from beta = 0: mu = 1, invalid
    assert ex.result is good
    assert "cannot be fitted" in ex.status.value and "GLMInputError" in ex.status.value
    assert ex.errors == []  # a lesson, not a bug
    ex.link_menu.value = "probit"
    assert ex.result.family.link.name == "probit"
    assert "cannot be fitted" not in ex.status.value


def test_select_does_one_refit(ex: IRLSExplorer, monkeypatch: pytest.MonkeyPatch) -> None:
    draws = count_draws(ex, monkeypatch)
    ex.select(dataset="clotting", family="gamma", link="log")
    assert ex.key == ("clotting", "gamma", "log", "mustart")
    assert ex.result.family.link.name == "log"
    assert len(draws) == 1


def test_explorer_of_a_result_shows_it_without_refitting(backend: str) -> None:
    d = glmlearn.datasets.load("beetles")
    X = np.column_stack([np.ones(8), d["dose"]])
    res = glmlearn.fit(X, d["killed"] / d["n"], glmlearn.binomial("probit"), weights=d["n"])
    e = irls_explorer(res)
    assert e.result is res
    assert e.key == ("your fit", "binomial", "probit", "mustart")
    assert e.dataset_menu.options[0] == ("your fit", "your fit")


def test_mimebundle_has_widget_view_and_png(ex: IRLSExplorer) -> None:
    bundle = ex._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.widget.model_id
    img = png_of(bundle)
    assert img.size == (920, 512)  # 11.5 x 6.4 inches at 80 dpi
    assert "data:image/png;base64," in bundle["text/html"]
    assert "glmlearn-state" in bundle["text/html"]  # the state table rides along
    ex.iteration = 5  # the picture is of the state shown now
    assert ex._repr_mimebundle_()["image/png"] != bundle["image/png"]
    assert ex.widget._repr_mimebundle_().keys() == bundle.keys()


# --- link explorer ----------------------------------------------------------------------------

def fresh_link_figure(family: str, eta: float) -> Figure:
    """The link explorer's three panels drawn afresh at ``eta`` by draw_link_panel."""
    fig = Figure(figsize=(13.0, 4.2), dpi=80)
    for q, ax in zip(demo_links.QUANTITIES, fig.subplots(1, 3), strict=True):
        demo_links.draw_link_panel(ax, family, q, eta)
    return fig


def test_link_explorer_markers_follow_eta(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    le = link_explorer("binomial", eta=0.0)
    assert le.view.mode == backend
    draws = count_draws(le, monkeypatch)
    le.eta_slider.value = 1.5
    assert len(draws) == 1
    assert set(le.markers) == set(FAMILIES["binomial"]().allowed_links)
    for name, (m_mu, m_d, m_w) in le.markers.items():
        lk = glmlearn.LINKS[name]
        mu = float(lk.inverse(np.array([1.5]))[0])
        if name == "log":  # mu = e^1.5 > 1: not a probability, so no marker
            assert len(m_mu.get_xdata()) == 0
            continue
        assert np.allclose(m_mu.get_xydata(), [[1.5, mu]])
        d = float(lk.inverse_deriv(np.array([1.5]))[0])
        assert np.allclose(m_d.get_xydata(), [[1.5, d]])
        assert np.allclose(m_w.get_xydata(), [[1.5, d**2 / (mu * (1 - mu))]])
    assert "η = 1.5" in le.table.value
    le.family_menu.value = "poisson"
    assert len(draws) == 2  # a family change redraws once too
    assert set(le.markers) == {"log", "identity", "sqrt"}
    assert le.eta_slider.max == 3.0
    log_mu = le.markers["log"][0].get_xydata()
    assert np.allclose(log_mu, [[1.5, np.exp(1.5)]])
    assert le.errors == [] and le.status in le.widget.children
    bundle = le._repr_mimebundle_()
    assert {"image/png", "application/vnd.jupyter.widget-view+json"} <= bundle.keys()


def test_link_explorer_at_eta_draws_what_draw_link_panel_draws(backend: str) -> None:
    le = link_explorer("binomial", eta=0.0)
    for family, eta in [("binomial", 1.5), ("binomial", -2.0), ("gamma", 0.4),
                        ("inverse_gaussian", 2.5)]:
        le.family_menu.value = family
        le.eta_slider.value = eta
        diff = changed(figure_snapshot(le.figure), figure_snapshot(fresh_link_figure(family, eta)))
        assert not diff, f"{family} at eta = {eta}: {sorted(diff)}"
    assert le.errors == []


def test_link_explorer_table_reads_link_values() -> None:
    le = link_explorer("poisson", eta=-1.0, backend="png")
    for name in ("log", "identity", "sqrt"):
        mu, d, v, w = demo_links.link_values("poisson", name, [-1.0])
        assert np.isfinite(mu[0]) == (name == "log")  # identity and sqrt: eta < 0 is invalid
        shown = f"{mu[0]:.4g}</td><td>{d[0]:.4g}</td><td>{v[0]:.4g}</td><td>{w[0]:.4g}"
        assert (shown in le.table.value) == (name == "log")
    assert le.table.value.count("<td>—</td>") == 8  # two links, four values each


# --- WLS playground ---------------------------------------------------------------------------

def fresh_wls_figure(w: Any) -> Figure:
    """The playground's two panels drawn afresh for its current fit."""
    fig = Figure(figsize=(11.0, 4.2), dpi=80)
    ax_fit, ax_res = fig.subplots(1, 2, width_ratios=[3, 2])
    final = w.result.final_state
    demo_wls.draw_wls_fit(ax_fit, final, w._ols.beta)
    demo_wls.draw_weighted_residuals(ax_res, final)
    return fig


def test_wls_playground_score_stays_zero(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    w = wls_playground()
    assert w.view.mode == backend
    ols = w.result.coef.copy()
    draws = count_draws(w, monkeypatch)
    w.sliders[1].value = 0.2  # down-weight the outlier
    assert len(draws) == 1
    assert np.allclose(w.result.problem.prior_weights, [1, 1, 1, 1, 1, 0.2, 1, 1])
    assert not np.allclose(w.result.coef, ols)
    st = w.result.final_state
    assert np.max(np.abs(st.score)) < 1e-10  # WLS.1
    # the panel is exactly draw_working of the new state
    ref = plot.draw_working(Figure().add_subplot(), st)
    assert np.allclose(w.working.points.get_offsets(), ref.points.get_offsets())
    assert np.allclose(w.working.points.get_sizes(), ref.points.get_sizes())
    assert np.allclose(w.working.fit.get_xydata(), ref.fit.get_xydata())
    heights = [b.get_height() for b in w.residual_panel.bars]
    assert np.isclose(sum(heights), st.score[0], atol=1e-9)
    assert "weighted score" in w.table.value and "e-1" in w.table.value
    w.sliders[0].value = 0.0  # a zero weight is allowed: the point leaves the fit
    assert w.working.points.get_sizes()[0] == 0
    assert w.errors == [] and w.status in w.widget.children
    assert {"image/png", "application/vnd.jupyter.widget-view+json"} <= w._repr_mimebundle_().keys()


def test_wls_playground_draws_what_the_wls_panels_draw(backend: str) -> None:
    w = wls_playground()
    for i, value in [(1, 0.2), (0, 0.0), (2, 4.0), (1, 5.0)]:
        w.sliders[i].value = value
        diff = changed(figure_snapshot(w.figure), figure_snapshot(fresh_wls_figure(w)))
        assert not diff, f"weights {w.weights}: {sorted(diff)}"
    assert w.errors == []


def test_wls_table_scores_come_from_the_core() -> None:
    w = wls_playground(backend="png")
    st = w.result.final_state
    # all weights 1: the weighted and the unweighted score are the same core score
    u = glmlearn.score(w.result.family, st.problem.X, st.problem.y, st.mu, st.eta)
    np.testing.assert_array_equal(u, st.score)
    w.sliders[1].value = 0.2
    st = w.result.final_state
    u1 = glmlearn.score(w.result.family, st.problem.X, st.problem.y, st.mu, st.eta)
    assert np.max(np.abs(u1)) > 0.1  # unweighted: not zero once the weights differ
    assert f"({u1[0]:.3g}, {u1[1]:.3g})" in w.table.value
    assert f"({st.score[0]:.2e}, {st.score[1]:.2e})" in w.table.value


# --- separation demo --------------------------------------------------------------------------

def fresh_separation_figure(result: glmlearn.GLMResult) -> Figure:
    fig = Figure(figsize=(13.0, 4.2), dpi=80)
    demo_separation.draw_separation(fig.subplots(1, 3), result)
    return fig


def test_separation_demo_warns_and_beta_runs_away(backend: str) -> None:
    s = separation_demo(x=8.0)
    assert s.view.mode == backend
    assert s.result.separation is None and s.result.troubles == ()
    assert "no warnings" in s.warnings_html.value
    b_overlap = abs(s.result.coef[1])
    s.x_slider.value = 6.0  # ties with a success
    assert s.result.separation == "quasi-complete"
    assert "quasi-complete separation" in s.warnings_html.value
    s.x_slider.value = 5.5
    kinds = [t.kind for t in s.result.troubles]
    assert kinds == [glmlearn.ConvergenceWarning, glmlearn.SeparationWarning,
                     glmlearn.BoundaryWarning]
    assert "complete separation: the MLE does not exist" in s.warnings_html.value
    assert "flags: boundary, not_converged, separation" in s.warnings_html.value
    assert abs(s.result.coef[1]) > 20 * b_overlap  # running away
    # the panels show the new fit: the fit curve is draw_fit of the final state
    ref = plot.draw_fit(Figure().add_subplot(), s.result.final_state, trace=s.result)
    fit_ax = s.figure.axes[0]
    curves = [ln for ln in fit_ax.get_lines() if ln.get_label() == "fitted mean μ"]
    assert np.allclose(curves[0].get_xydata(), ref.curve.get_xydata())
    beta_lines = s.figure.axes[1].get_lines()[:2]
    assert np.allclose(beta_lines[1].get_ydata()[-1], s.result.coef[1])
    assert s.errors == [] and s.status in s.widget.children
    bundle = s._repr_mimebundle_()
    assert "SeparationWarning" in bundle["text/html"] and "image/png" in bundle


def test_separation_demo_shows_each_trouble_once(backend: str) -> None:
    s = separation_demo(x=8.0)
    for x in [5.5, 3.0, 6.0, 1.0]:
        s.x_slider.value = x
        troubles = s.result.troubles
        assert troubles  # every one of these positions separates the classes
        text = s.warnings_html.value
        assert text.count("<li class='glmlearn-warning'>") == len(troubles)
        for t in troubles:
            item = (f"<li class='glmlearn-warning'><b>{t.kind.__name__}</b>: "
                    f"{html.escape(t.message)}</li>")
            assert text.count(item) == 1, (x, t)
        assert f"flags: {', '.join(sorted(s.result.flags))}" in text
    assert s.errors == []


def test_separation_demo_draws_what_draw_separation_draws(backend: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    s = separation_demo(x=8.0)
    draws = count_draws(s, monkeypatch)
    for n, x in enumerate([5.5, 9.0, 6.0, 8.0], start=1):
        s.x_slider.value = x
        assert len(draws) == n  # one redraw per move
        diff = changed(figure_snapshot(s.figure), figure_snapshot(fresh_separation_figure(s.result)))
        assert not diff, f"x = {x}: {sorted(diff)}"
    assert len(s.figure.axes) == 3  # drawn afresh on the same three axes
    assert s.errors == []


def test_warnings_do_not_reach_stderr(recwarn: pytest.WarningsRecorder) -> None:
    separation_demo(x=3.0)
    irls_explorer("challenger", max_iter=3, backend="png")
    assert not [w for w in recwarn if issubclass(w.category, glmlearn.GLMWarning)]


# --- trouble as data ----------------------------------------------------------------------------

def test_status_lines_come_from_result_troubles(monkeypatch: pytest.MonkeyPatch) -> None:
    """With fit() issuing no warning at all, every widget still shows each trouble."""
    monkeypatch.setattr(glmlearn.Trouble, "warn", lambda self, stacklevel=2: None)
    e = irls_explorer("challenger", max_iter=3, backend="png")
    (t,) = e.result.troubles
    assert t.kind is glmlearn.ConvergenceWarning
    line = f"⚠ ConvergenceWarning: {html.escape(t.message)}"
    assert e.status.value.count(line) == 1 and "flags: not_converged" in e.status.value
    s = separation_demo(x=3.0, backend="png")
    assert len(s.result.troubles) == 3
    for t in s.result.troubles:
        assert s.warnings_html.value.count(html.escape(t.message)) == 1


def test_explorer_of_a_result_shows_its_troubles_by_kind() -> None:
    X = np.column_stack([np.ones(11), np.append(SEPARATION_X, 3.0)])
    y = np.append(SEPARATION_Y, 0.0)
    with pytest.warns(glmlearn.GLMWarning) as caught:  # fit() warns once per trouble
        res = glmlearn.fit(X, y, "binomial")
    assert [w.category for w in caught] == [t.kind for t in res.troubles]
    e = irls_explorer(res, backend="png")
    assert e.result is res
    status = e.status.value
    assert status.count("<span class='glmlearn-warning'>") == len(res.troubles) == 3
    for t in res.troubles:
        assert status.count(f"⚠ {t.kind.__name__}: {html.escape(t.message)}") == 1
    assert "GLMWarning" not in status  # the kind itself, not the base class


def test_no_widget_catches_warnings_to_learn_what_a_fit_did() -> None:
    sources = {p.name: p.read_text() for p in (ROOT / "glmlearn" / "widgets").glob("*.py")}
    assert {"_irls_explorer.py", "_link_explorer.py", "_wls_playground.py",
            "_separation_demo.py"} <= set(sources)
    assert not [name for name, text in sources.items() if "record=True" in text]
    # the only use of catch_warnings silences the fit (quiet_fit), it records nothing
    assert [name for name, text in sources.items() if "catch_warnings" in text] == ["_view.py"]


# --- the draw/update contract of the demo panels ------------------------------------------------

def test_demo_link_panel_update_equals_a_fresh_draw() -> None:
    for q in demo_links.QUANTITIES:
        fig = Figure()
        art = demo_links.draw_link_panel(fig.add_subplot(), "binomial", q, at=0.0)
        art.update(2.0)
        ref = Figure()
        demo_links.draw_link_panel(ref.add_subplot(), "binomial", q, at=2.0)
        assert not changed(figure_snapshot(fig), figure_snapshot(ref)), q
        assert art.vline.get_xdata()[0] == 2.0


def test_demo_wls_panels_update_equal_a_fresh_draw() -> None:
    X = np.column_stack([np.ones(8), WLS_X])
    ols = glmlearn.fit(X, WLS_Y, "gaussian")
    a = glmlearn.fit(X, WLS_Y, "gaussian", weights=[1, 1, 1, 1, 1, 0.2, 1, 1])
    b = glmlearn.fit(X, WLS_Y, "gaussian", weights=[0, 1, 1, 1, 1, 3, 1, 2])
    fig, ref = Figure(), Figure()
    (f1, r1), (f2, r2) = fig.subplots(1, 2), ref.subplots(1, 2)
    panels = (demo_wls.draw_wls_fit(f1, a.final_state, ols.beta),
              demo_wls.draw_weighted_residuals(r1, a.final_state))
    for p in panels:
        p.update(b.final_state)
    demo_wls.draw_wls_fit(f2, b.final_state, ols.beta)
    demo_wls.draw_weighted_residuals(r2, b.final_state)
    assert not changed(figure_snapshot(fig), figure_snapshot(ref))


# The Gaussian log-likelihood of a one-point fit (zero residual variance) divides by zero.
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_demo_wls_panels_draw_a_fit_with_no_determined_line() -> None:
    """One positive weight: the slope is aliased (NaN); the panels draw, no NaN limits."""
    X = np.column_stack([np.ones(8), WLS_X])
    with pytest.warns(glmlearn.GLMWarning):
        one = glmlearn.fit(X, WLS_Y, "gaussian", weights=[0, 0, 0, 0, 0, 0, 0, 1])
    assert np.isnan(one.beta[1])
    fig = Figure()
    f1, r1 = fig.subplots(1, 2)
    fit_panel = demo_wls.draw_wls_fit(f1, one.final_state, one.beta)
    res_panel = demo_wls.draw_weighted_residuals(r1, one.final_state)
    assert "not determined" in fit_panel.working.label.get_text()
    assert np.all(np.isfinite(res_panel.ax.get_ylim()))
    FigureCanvasAgg(fig).draw()


def test_demo_separation_update_equals_a_fresh_draw() -> None:
    s = separation_demo(x=8.0, backend="png")
    fig = Figure(figsize=(13.0, 4.2), dpi=80)
    art = demo_separation.draw_separation(fig.subplots(1, 3), s.fit_at(8.0))
    art.update(s.fit_at(4.0))
    assert art.fit.ax is fig.axes[0] and len(fig.axes) == 3
    assert not changed(figure_snapshot(fig), figure_snapshot(fresh_separation_figure(s.fit_at(4.0))))


def test_ipympl_figures_are_not_registered_with_pyplot() -> None:
    plt.switch_backend("module://ipympl.backend_nbagg")
    try:
        before = plt.get_fignums()
        shown = [irls_explorer("pass_fail"), link_explorer(), wls_playground(), separation_demo()]
        assert all(w.view.mode == "ipympl" for w in shown)
        assert plt.get_fignums() == before
    finally:
        plt.switch_backend("Agg")


# --- the fixture notebook in a real kernel (no browser) ---------------------------------------

def test_explorer_notebook_runs_in_a_kernel(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    nb = nbformat.read(ROOT / "tests" / "browser" / "explorer.ipynb", as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert "explorer ready" in text
    errors = [o for c in nb.cells for o in c.get("outputs", [])
              if o["output_type"] == "error" or o.get("name") == "stderr"]
    assert not errors, errors
    shown = [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "execute_result"
             or o["output_type"] == "display_data"]
    bundle = next(o["data"] for o in shown if "application/vnd.jupyter.widget-view+json" in o["data"])
    assert "image/png" in bundle  # a kernel-free viewer shows this picture
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    models = {m["model_name"] for m in state.values()}
    assert {"PlayModel", "IntSliderModel", "MPLCanvasModel", "DropdownModel"} <= models


# --- degenerate settings, bad arguments, errors in callbacks ------------------------------------
# Each widget says what is wrong next to its picture and stays usable; its picture is always
# a direct draw of the state it says it shows.

def text_of(value: str) -> str:
    """An HTML widget's value as the words a learner reads."""
    return html.unescape(value)


def raise_once(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    """Make ``owner.name`` raise RuntimeError("boom") on its next call only."""
    original = getattr(owner, name)
    calls: list[int] = []

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper)
    return calls


def test_widget_modules_are_private_and_the_names_are_the_functions() -> None:
    import importlib.util

    import glmlearn.widgets as gw

    for name in ("link_explorer", "wls_playground", "separation_demo", "irls_explorer"):
        assert callable(getattr(gw, name)) and name in gw.__all__
        assert importlib.util.find_spec(f"glmlearn.widgets.{name}") is None
    assert importlib.util.find_spec("glmlearn.widgets.explorer") is None


def test_wls_weights_that_determine_no_line_are_explained_and_recovered() -> None:
    w = wls_playground(tuple(range(8)), backend="png")
    for i in range(7):  # 7 of 8 weights to 0: one point is left, no line through it
        w.sliders[i].value = 0.0
    status = text_of(w.status.value)
    assert ("only one observation has positive weight (observation 8, x = 8): a line "
            "through it is not determined") in status
    assert "still show the last line determined, weights (0, 0, 0, 0, 0, 0, 1, 1)" in status
    assert w.errors == []
    np.testing.assert_array_equal(w.shown_weights, [0, 0, 0, 0, 0, 0, 1, 1])
    assert "weights of this fit</th><td>(0, 0, 0, 0, 0, 0, 1, 1)" in w.table.value
    assert "nan" not in w.table.value.lower() and np.all(np.isfinite(w.result.beta))
    assert not changed(figure_snapshot(w.figure), figure_snapshot(fresh_wls_figure(w)))
    w.sliders[7].value = 0.0  # nothing left at all
    assert "every weight is 0" in text_of(w.status.value) and w.errors == []
    w.sliders[3].value = 2.0  # one point again
    assert "only one observation has positive weight (observation 4, x = 4)" in text_of(
        w.status.value)
    w.sliders[1].value = 0.5  # two points: a line again, drawn as usual
    np.testing.assert_array_equal(w.shown_weights, w.weights)
    assert "Showing the weighted fit for weights (0, 0.5, 0, 2, 0, 0, 0, 0)" in text_of(
        w.status.value)
    assert "not determined" not in w.status.value
    assert not changed(figure_snapshot(w.figure), figure_snapshot(fresh_wls_figure(w)))
    assert w.errors == []


@pytest.mark.parametrize(("observations", "error", "words"), [
    (5, glmlearn.GLMTypeError, "observations: expected a sequence of indices, got int 5"),
    ("057", glmlearn.GLMTypeError, "observations: expected a sequence of indices, got str"),
    ((0, 8), glmlearn.GLMInputError, "observations: index 8 at position 1 is outside 0 to 7"),
    ((0, 0), glmlearn.GLMInputError, "observations: index 0 is given twice"),
    ((), glmlearn.GLMInputError, "observations: no observation given"),
    ((1.0,), glmlearn.GLMTypeError, "observations: expected whole numbers, got float 1.0"),
])
def test_wls_playground_refuses_bad_observations(observations: Any, error: type,
                                                 words: str) -> None:
    with pytest.raises(error, match=re.escape(words)) as caught:
        wls_playground(observations, backend="png")
    assert "pass a sequence of observation indices from 0 to 7" in str(caught.value) or \
        "each observation gets one slider" in str(caught.value)


@pytest.mark.parametrize(("x", "error", "words"), [
    (1000, glmlearn.GLMInputError,
     "x: 1000 is outside the allowed range; pass a value between 1 and 10"),
    (0.5, glmlearn.GLMInputError, "x: 0.5 is outside the allowed range"),
    (float("nan"), glmlearn.GLMInputError, "x: must be a finite number, got nan"),
    ("3", glmlearn.GLMTypeError, "x: expected a number, got str '3'"),
])
def test_separation_demo_refuses_an_x_the_slider_cannot_show(x: Any, error: type,
                                                             words: str) -> None:
    with pytest.raises(error, match=re.escape(words)):
        separation_demo(x, backend="png")


def test_separation_demo_slider_and_fit_agree() -> None:
    s = separation_demo(10.0, backend="png")
    for x in [10.0, 1.0, 7.3, 5.5]:
        s.x_slider.value = x
        assert s.x == s.x_slider.value == x
        assert s.result.problem.X[-1, 1] == x  # the moved failure is where the slider is
        assert f"x = {x:g}" in s.table.value and f"x = {x:g}" in s.status.value
    assert s.errors == []


@pytest.mark.parametrize(("kwargs", "error", "words"), [
    ({"eta": float("nan")}, glmlearn.GLMInputError, "eta: must be a finite number, got nan"),
    ({"eta": float("inf")}, glmlearn.GLMInputError, "eta: must be a finite number, got inf"),
    ({"eta": 20.0}, glmlearn.GLMInputError,
     "eta: 20 is outside the allowed range; pass a value between -6 and 6 (the slider's "
     "range for the binomial family)"),
    ({"family": "bernoulli"}, glmlearn.GLMInputError,
     "family: unknown family 'bernoulli'; choose one of 'gaussian', 'binomial', 'poisson', "
     "'gamma', 'inverse_gaussian'"),
    ({"family": 3}, glmlearn.GLMTypeError, "family: expected a name, got int 3"),
    ({"backend": "svg"}, glmlearn.GLMInputError, "backend: unknown backend 'svg'"),
])
def test_link_explorer_refuses_bad_arguments(kwargs: dict[str, Any], error: type,
                                             words: str) -> None:
    kwargs.setdefault("backend", "png")
    with pytest.raises(error, match=re.escape(words)):
        link_explorer(**kwargs)


def test_link_explorer_status_says_what_is_shown() -> None:
    le = link_explorer("binomial", eta=1.5, backend="png")
    status = text_of(le.status.value)
    assert "binomial family's links at η = 1.5" in status
    assert "not defined there (no marker): log" in status
    le.family_menu.value = "poisson"  # its range is -2 to 3: eta 1.5 stays
    assert le.shown == ("poisson", 1.5) and "poisson family's links at η = 1.5" in text_of(
        le.status.value)
    assert "moved" not in le.status.value
    le.family_menu.value = "binomial"
    le.eta_slider.value = -5.0
    le.family_menu.value = "poisson"  # -5 is outside -2 to 3: the slider and panels move
    assert le.shown == ("poisson", -2.0) == (le.family_menu.value, le.eta_slider.value)
    assert "η moved from -5 to -2: the poisson family is shown for η from -2 to 3" in text_of(
        le.status.value)


def test_explorer_select_accepts_what_the_constructor_accepts(ex: IRLSExplorer) -> None:
    assert "poisson" not in ex.family_menu.options  # pass/fail offers binomial, gaussian
    assert ex.select(family="poisson") is True
    assert ex.key == ex.shown_key == ("pass_fail", "poisson", "log", "zero")
    assert ex.result.family.name == "poisson" and "poisson" in ex.family_menu.options
    assert_shows_state(ex, 0)
    built = irls_explorer("pass_fail", family="poisson", backend="png")
    assert built.key == ex.key
    before = ex.key
    for kwargs, words in [
        ({"family": "bernoulli"}, "family: unknown family 'bernoulli'; choose one of "
                                  "'gaussian', 'binomial'"),
        ({"link": "logit"}, "link: unknown link 'logit' for the poisson family; choose one "
                            "of 'log', 'identity', 'sqrt'"),
        ({"start": "given"}, "start: unknown start 'given' for the pass_fail data; choose "
                             "one of 'mustart', 'zero'"),
        ({"dataset": "iris"}, "dataset: unknown dataset 'iris'; choose one of 'pass_fail'"),
    ]:
        with pytest.raises(glmlearn.GLMInputError, match=re.escape(words)):
            ex.select(**kwargs)
        assert ex.key == before  # a refused choice changes nothing
    assert ex.errors == []


@pytest.mark.parametrize(("kwargs", "error", "words"), [
    ({"iteration": 7}, glmlearn.GLMInputError,
     "iteration: 7 is outside the allowed range; pass a whole number between 0 and 6"),
    ({"iteration": 1.5}, glmlearn.GLMTypeError, "iteration: expected a whole number"),
    ({"dataset": 3}, glmlearn.GLMTypeError, "dataset: expected a dataset name"),
    ({"family": "binomial", "link": "inverse"}, glmlearn.GLMInputError,
     "link: unknown link 'inverse' for the binomial family"),
    ({"max_iter": 0}, glmlearn.GLMInputError, "max_iter: must be a positive integer"),
    ({"family": "binomial", "link": "log", "start": "zero"}, glmlearn.GLMInputError,
     "binomial / log from β⁽⁰⁾ = 0 cannot be fitted to the pass_fail data"),
])
def test_explorer_refuses_bad_arguments(kwargs: dict[str, Any], error: type, words: str) -> None:
    kwargs = {"dataset": "pass_fail", "backend": "png", **kwargs}
    with pytest.raises(error, match=re.escape(words)):
        IRLSExplorer(**kwargs)


def test_unfittable_choice_puts_the_menus_back_at_the_fit_shown(ex: IRLSExplorer) -> None:
    shown = ex.key
    ex.iteration = 3
    ex.link_menu.value = "log"  # binomial log link from beta = 0: mu = 1, invalid
    assert ex.link_menu.value == "logit" and ex.key == ex.shown_key == shown
    status = text_of(ex.status.value)
    assert "pass_fail / binomial / log / β⁽⁰⁾ = 0 cannot be fitted, so the figure and the " \
           "menus stay at pass_fail / binomial / logit / β⁽⁰⁾ = 0" in status
    assert ex.errors == []
    # a family whose kept or default link cannot start: the family menu goes back too
    assert ex.select(family="gaussian", link="inverse") is False
    assert ex.key == shown and ex.family_menu.value == "binomial"
    assert [v for _, v in ex.link_menu.options] == list(FAMILIES["binomial"]().allowed_links)
    assert "cannot be fitted" in ex.status.value
    ex.slider.value = 5  # still responding, and the status is the fit's again
    assert_shows_state(ex, 5)
    assert "cannot be fitted" not in ex.status.value and ex.errors == []


def test_state_zero_is_marked_as_a_starting_guess(ex: IRLSExplorer) -> None:
    table = text_of(ex.table.value)  # from beta = 0: a real model
    assert "iteration 0 — starting coefficients β⁽⁰⁾ = 0" in table
    assert "criterion |ΔD|/(|D|+0.1)</th><td>— (no previous deviance)" in table
    ex.select(start="mustart")  # R's starting means: 115.07, then 159.09, ..., 148.09
    dev = [round(s.deviance, 2) for s in ex.trace]
    assert dev[:2] == [115.07, 159.09] and dev[-1] == 148.09
    table = text_of(ex.table.value)
    assert ("iteration 0 — starting guess μ⁽⁰⁾ (R's mustart), not a fitted model: its "
            "deviance is not comparable with later ones") in table
    assert "deviance D at μ⁽⁰⁾</th><td>115.073" in table
    assert "— (no previous deviance)" in table
    assert "<td>NA</td>" not in table and "inf" not in table.lower()
    assert "title='max |U|: the largest component" in ex.table.value  # the tooltip
    assert "max |U|: largest |component| of the score U" in table  # and the legend
    ex.iteration = 1
    table = text_of(ex.table.value)
    assert "iteration 0" not in table and "starting guess" not in table
    assert f"<td>{ex.trace[1].criterion:.6g}</td>" in table


def test_no_widget_text_mentions_a_seed_or_reference_lesson(ex: IRLSExplorer) -> None:
    files = [*(ROOT / "glmlearn" / "widgets").glob("*.py"),
             *(ROOT / "glmlearn" / "plot").glob("demo_*.py")]
    for path in files:
        text = path.read_text().lower()
        assert "seed lesson" not in text and "reference lesson" not in text, path.name
    assert "Pass/fail against hours studied (simulated exam data, np.random.seed(42))" in \
        ex.status.value


# --- an error in any callback is shown, and the widget keeps working ----------------------------

def assert_error_shown(w: Any, showing: str) -> None:
    status = text_of(w.status.value)
    assert "RuntimeError: boom" in status and "glmlearn-error" in w.status.value
    assert f"the picture still shows {showing}" in status
    assert "the next change is drawn as usual" in status
    assert len(w.errors) == 1 and str(w.errors[0]) == "boom"


def test_explorer_callback_error_is_shown_and_the_explorer_recovers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    e = irls_explorer("pass_fail", backend="png")
    e.iteration = 2
    raise_once(monkeypatch, plot, "update_all")
    e.slider.value = 4  # fails half-way: the slider and every panel go back to 2
    assert_error_shown(e, "pass_fail / binomial / logit / β⁽⁰⁾ = 0, iteration 2")
    assert e.iteration == e.play.value == 2
    assert_shows_state(e, 2)
    e.slider.value = 5  # the next move works
    assert_shows_state(e, 5)
    assert "boom" not in e.status.value and "Pass/fail" in e.status.value


def test_explorer_refit_error_is_shown_and_the_menus_go_back(
        monkeypatch: pytest.MonkeyPatch) -> None:
    e = irls_explorer("pass_fail", backend="png")
    raise_once(monkeypatch, plot, "explorer_figure")
    e.link_menu.value = "probit"  # the fit works, drawing it fails: back to logit
    assert_error_shown(e, "pass_fail / binomial / logit / β⁽⁰⁾ = 0, iteration 0")
    assert e.key == e.shown_key and e.link_menu.value == "logit"
    assert_shows_state(e, 0)
    e.link_menu.value = "cloglog"
    assert e.result.family.link.name == "cloglog"
    assert_shows_state(e, 0)


def test_demo_callback_errors_are_shown_and_the_demos_recover(
        monkeypatch: pytest.MonkeyPatch) -> None:
    le = link_explorer("binomial", eta=0.0, backend="png")
    raise_once(monkeypatch, demo_links.LinkPanelArtists, "update")
    le.eta_slider.value = 2.0
    assert_error_shown(le, "the binomial family at η = 0")
    assert le.shown == ("binomial", 0.0) and le.eta_slider.value == 0.0
    le.eta_slider.value = 1.0
    assert le.shown == ("binomial", 1.0) and "boom" not in le.status.value
    assert not changed(figure_snapshot(le.figure), figure_snapshot(fresh_link_figure("binomial", 1.0)))

    w = wls_playground(backend="png")
    raise_once(monkeypatch, demo_wls.WLSFitArtists, "update")
    w.sliders[1].value = 0.2
    assert_error_shown(w, "the fit for weights (1, 1, 1, 1, 1, 1, 1, 1)")
    assert not changed(figure_snapshot(w.figure), figure_snapshot(fresh_wls_figure(w)))
    w.sliders[1].value = 0.3
    np.testing.assert_array_equal(w.shown_weights, w.weights)
    assert not changed(figure_snapshot(w.figure), figure_snapshot(fresh_wls_figure(w)))

    s = separation_demo(8.0, backend="png")
    raise_once(monkeypatch, demo_separation.SeparationArtists, "update")
    s.x_slider.value = 5.5
    assert_error_shown(s, "the fit with the moved failure at x = 8")
    assert s.x == s.x_slider.value == 8.0
    assert not changed(figure_snapshot(s.figure), figure_snapshot(fresh_separation_figure(s.result)))
    s.x_slider.value = 5.0
    assert s.x == 5.0 and "boom" not in s.status.value
    assert not changed(figure_snapshot(s.figure), figure_snapshot(fresh_separation_figure(s.result)))


# --- property test: random sequences of controls ------------------------------------------------

PROPERTY = settings(max_examples=4, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
ALL_LINKS = sorted({lk for f in FAMILIES.values() for lk in f().allowed_links})


def no_nan(*values: str) -> None:
    for v in values:
        assert "nan" not in v.lower(), v


explorer_actions = st.lists(st.one_of(
    st.tuples(st.just("slider"), st.integers(-3, 40)),
    st.tuples(st.just("step"), st.sampled_from([-1, 1])),
    st.tuples(st.just("play"), st.integers(-3, 30)),
    st.tuples(st.sampled_from(["dataset", "family", "link", "start"]), st.integers(0, 10)),
    st.tuples(st.just("select_family"), st.sampled_from([*FAMILIES, "bernoulli"])),
    st.tuples(st.just("select_link"), st.sampled_from(ALL_LINKS)),
), min_size=1, max_size=6)


@PROPERTY
@given(actions=explorer_actions)
def test_property_explorer_survives_any_sequence_of_controls(actions: list[Any]) -> None:
    e = irls_explorer("pass_fail", backend="png")
    menus = {"dataset": e.dataset_menu, "family": e.family_menu, "link": e.link_menu,
             "start": e.start_menu}
    for what, v in actions:
        if what == "slider":
            e.slider.value = v  # past either end: the slider clamps
        elif what == "step":
            (e.forward_button if v > 0 else e.back_button).click()
        elif what == "play":
            e.play.value = v
        elif what in menus:
            menu = menus[what]
            menu.value = [o[1] if isinstance(o, tuple) else o for o in menu.options][
                v % len(menu.options)]
        else:
            kwargs = {"family" if what == "select_family" else "link": v}
            try:
                e.select(**kwargs)
            except glmlearn.GLMInputError as exc:
                assert str(exc).startswith(("family:", "link:")) and "choose one of" in str(exc)
        assert e.errors == [], e.errors
        assert e.key == e.shown_key and e.iteration == e._shown_k == e.play.value
        no_nan(e.table.value)
        assert f"<td>{e.iteration} of {len(e.trace) - 1}</td>" in e.table.value
    assert_shows_state(e, e.iteration)


@PROPERTY
@given(actions=st.lists(st.one_of(
    st.tuples(st.just("family"), st.sampled_from(list(FAMILIES))),
    st.tuples(st.just("eta"), st.one_of(st.floats(-10, 10), st.sampled_from([-6.0, 6.0, 0.0]))),
), min_size=1, max_size=5))
def test_property_link_explorer_survives_any_sequence_of_controls(actions: list[Any]) -> None:
    le = link_explorer("binomial", eta=0.0, backend="png")
    for what, v in actions:
        if what == "family":
            le.family_menu.value = v
        else:
            le.eta_slider.value = v  # the slider clamps to its range
        assert le.errors == []
        assert le.shown == (le.family_menu.value, le.eta_slider.value)
        no_nan(le.table.value, le.status.value)
    family, eta = le.shown
    assert not changed(figure_snapshot(le.figure), figure_snapshot(fresh_link_figure(family, eta)))


@PROPERTY
@given(actions=st.lists(st.tuples(st.integers(0, 7), st.one_of(
    st.sampled_from([0.0, 0.0, 5.0, 0.1]), st.floats(0, 5))), min_size=1, max_size=10))
def test_property_wls_playground_survives_any_weights(actions: list[Any]) -> None:
    from glmlearn.widgets._wls_playground import undetermined

    w = wls_playground(tuple(range(8)), backend="png")
    for i, v in actions:
        w.sliders[i].value = v
        assert w.errors == []
        why = undetermined(w.weights)
        if why is None:
            np.testing.assert_array_equal(w.shown_weights, w.weights)
        else:
            assert text_of(w.status.value).count(why) == 1
        no_nan(w.table.value, w.status.value)
    assert not changed(figure_snapshot(w.figure), figure_snapshot(fresh_wls_figure(w)))


@PROPERTY
@given(actions=st.lists(st.one_of(st.sampled_from([1.0, 10.0, 6.0, 5.5]),
                                  st.floats(-5, 20)), min_size=1, max_size=4))
def test_property_separation_demo_survives_any_position(actions: list[Any]) -> None:
    s = separation_demo(8.0, backend="png")
    for x in actions:
        s.x_slider.value = x  # the slider clamps to 1..10
        assert s.errors == []
        assert s.x == s.x_slider.value == s.result.problem.X[-1, 1]
        no_nan(s.table.value, s.warnings_html.value, s.status.value)
    assert not changed(figure_snapshot(s.figure), figure_snapshot(fresh_separation_figure(s.result)))
