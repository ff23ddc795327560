"""Tests of ``glmlearn.plot``: every panel's draw_*/update_* pair, without a browser.

The central property (DESIGN.md item 14, "views"): moving a panel with ``update_*`` to
state k leaves it exactly as ``draw_*`` of state k draws it, artist by artist, and the
explorer figure renders to the same pixels either way. Beyond that, the artists hold the
numbers of the states: the deviance marker sits at (k, D_k), the path points are the
betas, the working points are (x, z) with area proportional to w, the link pictures are
the link functions.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import matplotlib

matplotlib.use("Agg")  # before anything can pick an interactive backend

import itertools

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Tick
from matplotlib.backend_bases import ResizeEvent
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection, PathCollection
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.text import Text
from scipy import stats
from scipy.special import expit

import glmlearn
import glmlearn.surface
from glmlearn import LINKS
from glmlearn import plot as gp
from glmlearn.plot import _blit
from glmlearn.plot import fitted as gp_fitted
from glmlearn.plot import path as gp_path

# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def logistic() -> glmlearn.GLMResult:
    """The seed lesson's pass/fail example (142/200 passed, 6 IRLS steps)."""
    rs = np.random.RandomState(42)
    n = 200
    hours = rs.uniform(1, 10, n)
    passed = rs.binomial(1, expit(-3 + 0.8 * hours))
    X = np.column_stack([np.ones(n), hours])
    return glmlearn.fit(X, passed, "binomial", column_names=["(Intercept)", "hours"])


@pytest.fixture(scope="module")
def poisson3() -> glmlearn.GLMResult:
    """Poisson regression with two predictors and an offset (three coefficients)."""
    rng = np.random.default_rng(3)
    n = 80
    x1, x2 = rng.uniform(0, 2, n), rng.normal(size=n)
    off = np.log(rng.uniform(1, 3, n))
    y = rng.poisson(np.exp(0.3 + 0.8 * x1 - 0.4 * x2 + off))
    X = np.column_stack([np.ones(n), x1, x2])
    return glmlearn.fit(X, y, "poisson", offset=off, column_names=["(Intercept)", "dose", "age"])


@pytest.fixture(scope="module")
def gaussian1() -> glmlearn.GLMResult:
    """Gaussian identity: IRLS is one weighted least-squares step."""
    rng = np.random.default_rng(5)
    x = rng.uniform(0, 5, 30)
    return glmlearn.fit(np.column_stack([np.ones(30), x]), 1 + 2 * x + rng.normal(size=30))


def new_ax() -> Axes:
    fig = Figure(figsize=(4, 3), dpi=50)
    FigureCanvasAgg(fig)
    return fig.add_subplot()


# --- comparing panels -----------------------------------------------------------------------


def snapshot(artists: Any) -> dict[str, Any]:
    """Every number and string a panel shows, by field name (plus the axis limits)."""
    out: dict[str, Any] = {}

    def visit(name: str, obj: Any) -> None:
        if isinstance(obj, Line2D):
            out[name] = np.asarray(obj.get_xydata(), float).copy()
            out[name + ".alpha"] = obj.get_alpha()
        elif isinstance(obj, PathCollection):
            out[name] = np.asarray(obj.get_offsets(), float).copy()
            out[name + ".sizes"] = np.asarray(obj.get_sizes(), float).copy()
        elif isinstance(obj, Collection):
            out[name] = [np.asarray(p.vertices).copy() for p in obj.get_paths()]
        elif isinstance(obj, Text):
            out[name] = obj.get_text()
        elif isinstance(obj, tuple):
            for i, o in enumerate(obj):
                visit(f"{name}[{i}]", o)

    for f in dataclasses.fields(artists):
        visit(f.name, getattr(artists, f.name))
    ax = artists.ax
    out["ax.xlim"] = tuple(ax.get_xlim())
    out["ax.ylim"] = tuple(ax.get_ylim())
    return out


def same(a: Any, b: Any) -> bool:
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray):
        return a.shape == np.shape(b) and np.allclose(a, b, rtol=1e-12, atol=0, equal_nan=True)
    if isinstance(a, tuple):
        return np.allclose(a, b, rtol=1e-12, atol=0)
    return bool(a == b)


def assert_same(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert a.keys() == b.keys()
    differ = [k for k in a if not same(a[k], b[k])]
    assert not differ, f"artists differ: {differ}"


def changed(a: dict[str, Any], b: dict[str, Any]) -> set[str]:
    return {k for k in a if not same(a[k], b[k])}


Draw = Callable[..., Any]
Update = Callable[[Any, glmlearn.IRLSState], None]

# (name, draw, update, keyword arguments that need the trace) for the parametrized tests
PANELS: list[tuple[str, Draw, Update, dict[str, Any]]] = [
    ("fit", gp.draw_fit, gp.update_fit, {}),
    ("fit-eta", gp.draw_fit, gp.update_fit, {"x": "eta"}),
    ("fit-observed", gp.draw_fit, gp.update_fit, {"view": "observed"}),
    ("fit-partial", gp.draw_fit, gp.update_fit, {"view": "partial"}),
    ("weights", gp.draw_weights, gp.update_weights, {}),
    ("weights-mu", gp.draw_weights, gp.update_weights, {"against": "mu"}),
    ("weights-eta", gp.draw_weights, gp.update_weights, {"against": "eta"}),
    ("working", gp.draw_working, gp.update_working, {}),
    ("working-eta", gp.draw_working, gp.update_working, {"x": "eta"}),
    ("working-classes", gp.draw_working, gp.update_working, {"size_classes": 5}),
    ("deviance", gp.draw_deviance, gp.update_deviance, {}),
    ("convergence", gp.draw_convergence, gp.update_convergence, {"tol": 1e-8}),
    ("path", gp.draw_path, gp.update_path, {}),
    ("path-quadratic", gp.draw_path, gp.update_path, {"quadratic": True}),
    ("step_line", gp.draw_step_line, gp.update_step_line, {}),
]
NEEDS_TRACE = {"deviance", "convergence", "path", "path-quadratic", "step_line"}


def _kw(name: str, kw: dict[str, Any], trace: Any, with_trace: bool) -> dict[str, Any]:
    out = dict(kw)
    if with_trace or name in NEEDS_TRACE:
        out["trace"] = trace
    return out


# --- the draw/update contract ---------------------------------------------------------------


CONTRACT_CASES = [pytest.param(*p, with_trace, id=f"{p[0]}-{'trace' if with_trace else 'alone'}")
                  for p in PANELS for with_trace in (True, False)
                  if with_trace or p[0] not in NEEDS_TRACE]


@pytest.mark.parametrize(("name", "draw", "update", "kw", "with_trace"), CONTRACT_CASES)
def test_update_to_k_equals_draw_of_k(logistic: glmlearn.GLMResult, name: str, draw: Draw,
                                      update: Update, kw: dict[str, Any],
                                      with_trace: bool) -> None:
    """Start anywhere, update to k: the panel is what draw_* of state k draws."""
    trace = logistic.trace
    kwargs = _kw(name, kw, trace, with_trace)
    moving = draw(new_ax(), trace[0], **kwargs)
    assert dataclasses.is_dataclass(moving)
    for k in [3, len(trace) - 1, 1, 0, 2]:  # forwards, backwards, and back to the start
        update(moving, trace[k])
        fresh = draw(new_ax(), trace[k], **kwargs)
        assert_same(snapshot(moving), snapshot(fresh))


@pytest.mark.parametrize(("name", "draw", "update", "kw"), PANELS, ids=[p[0] for p in PANELS])
def test_update_twice_is_idempotent(logistic: glmlearn.GLMResult, name: str, draw: Draw,
                                    update: Update, kw: dict[str, Any]) -> None:
    trace = logistic.trace
    art = draw(new_ax(), trace[1], **_kw(name, kw, trace, True))
    update(art, trace[4])
    once = snapshot(art)
    update(art, trace[4])
    assert_same(once, snapshot(art))


# What moves from state 1 to state 4 of the logistic trace, and what must stay put.
EXPECTED_CHANGES: dict[str, set[str]] = {
    "fit": {"curve", "history[0]", "history[1]", "history[2]", "label"},
    "fit-observed": {"data", "label"},  # the line y = mu and the limits stay
    "fit-partial": {"data", "curve", "history[0]", "history[1]", "history[2]", "label"},
    "weights": {"points", "label"},  # y-limits cover the whole trace: they stay
    "working": {"points", "points.sizes", "fit", "label"},
    "deviance": {"marker", "label"},
    "convergence": {"score_marker", "criterion_marker", "label"},
    "path": {"path", "current", "step", "label"},
}


@pytest.mark.parametrize("name", sorted(EXPECTED_CHANGES))
def test_update_changes_exactly_the_expected_artists(logistic: glmlearn.GLMResult,
                                                     name: str) -> None:
    draw, update, kw = next((d, u, k) for n, d, u, k in PANELS if n == name)
    trace = logistic.trace
    art = draw(new_ax(), trace[1], **_kw(name, kw, trace, True))
    before = snapshot(art)
    update(art, trace[4])
    assert changed(before, snapshot(art)) == EXPECTED_CHANGES[name]


def test_update_never_draws(logistic: glmlearn.GLMResult) -> None:
    """One redraw per change is the caller's: no update_* draws the canvas."""
    fig, panels = gp.explorer_figure(logistic, 0, dpi=40)
    FigureCanvasAgg(fig)
    draws: list[Any] = []
    fig.canvas.mpl_connect("draw_event", draws.append)
    for state in logistic.trace:
        gp.update_all(panels, state)
    assert draws == []


# --- the numbers in the pictures ------------------------------------------------------------


def test_deviance_marker_sits_at_k_and_D_k(logistic: glmlearn.GLMResult) -> None:
    trace = logistic.trace
    art = gp.draw_deviance(new_ax(), trace[0], trace=trace)
    # R's start: D at k = 0 is the starting guess's, drawn apart from the iterates' line
    assert trace[0].beta is None
    np.testing.assert_array_equal(art.line.get_xydata(),
                                  [[s.iteration, s.deviance] for s in trace[1:]])
    assert art.start is not None
    np.testing.assert_array_equal(art.start.get_xydata(), [[0, trace[0].deviance]])
    for k, state in enumerate(trace):
        gp.update_deviance(art, state)
        np.testing.assert_array_equal(art.marker.get_xydata(), [[k, state.deviance]])
        assert f"{state.deviance:.6g}" in art.label.get_text()


def test_convergence_markers_and_log_scale(logistic: glmlearn.GLMResult) -> None:
    trace = logistic.trace
    art = gp.draw_convergence(new_ax(), trace[0], trace=trace, tol=1e-8)
    assert art.ax.get_yscale() == "log"
    np.testing.assert_allclose(art.score_line.get_ydata(), [s.max_abs_score for s in trace])
    crit = np.asarray(art.criterion_line.get_ydata(), float)
    assert np.isnan(crit[0])  # criterion is infinite at iteration 0: not drawn
    np.testing.assert_allclose(crit[1:], [s.criterion for s in trace[1:]])
    for k, state in enumerate(trace):
        gp.update_convergence(art, state)
        np.testing.assert_allclose(art.score_marker.get_xydata(), [[k, state.max_abs_score]])
        xy = art.criterion_marker.get_xydata()
        assert xy[0, 0] == k
        np.testing.assert_allclose(xy[0, 1], np.nan if k == 0 else state.criterion)  # inf: not drawn
    assert "converged" in art.label.get_text()


def test_convergence_floors_exact_zeros(gaussian1: glmlearn.GLMResult) -> None:
    """A log axis has no zero: values at 0 are drawn at the floor, not dropped."""
    trace = gaussian1.trace
    art = gp.draw_convergence(new_ax(), trace[-1], trace=trace)
    y = np.asarray(art.criterion_line.get_ydata(), float)
    assert np.all(np.isnan(y) | (y >= art.floor))


def test_path_points_are_the_betas(logistic: glmlearn.GLMResult) -> None:
    trace = logistic.trace
    assert trace[0].beta is None  # R's default start: skipped in the path
    art = gp.draw_path(new_ax(), trace[0], trace=trace)
    assert art.path.get_xydata().shape == (0, 2)
    assert art.current.get_xydata().shape == (0, 2)
    betas = np.array([s.beta for s in trace[1:]])
    np.testing.assert_array_equal(art.full_path.get_xydata(), betas)
    for k in range(1, len(trace)):
        gp.update_path(art, trace[k])
        np.testing.assert_array_equal(art.path.get_xydata(), betas[:k])
        np.testing.assert_array_equal(art.current.get_xydata(), [trace[k].beta])
        np.testing.assert_array_equal(art.step.get_xydata(),
                                      [trace[k].beta, trace[k].beta_next])
    # the surface's box holds the whole path
    x0, x1 = art.ax.get_xlim()
    y0, y1 = art.ax.get_ylim()
    assert np.all((betas[:, 0] > x0) & (betas[:, 0] < x1))
    assert np.all((betas[:, 1] > y0) & (betas[:, 1] < y1))


def test_deviance_surface_is_the_family_deviance(logistic: glmlearn.GLMResult) -> None:
    problem = logistic.problem
    fam = problem.family
    b0 = np.linspace(-4, -1.5, 7)
    b1 = np.linspace(0.4, 1.2, 5)
    surface = gp.deviance_surface(problem, b0, b1, chunk_elements=700)  # several chunks
    assert isinstance(surface, glmlearn.surface.Surface)
    np.testing.assert_array_equal(surface.beta0, b0)
    np.testing.assert_array_equal(surface.beta1, b1)
    D = surface.deviance
    assert D.shape == (5, 7)
    for i, j in [(0, 0), (2, 3), (4, 6), (1, 5)]:
        mu = fam.link_inverse(problem.X @ [b0[j], b1[i]] + problem.offset)
        assert D[i, j] == pytest.approx(fam.deviance(problem.y, mu, problem.prior_weights),
                                        rel=1e-12)
    # the minimum over a fine grid is at the MLE, with the fit's deviance
    g0 = np.linspace(logistic.coef[0] - 0.5, logistic.coef[0] + 0.5, 41)
    g1 = np.linspace(logistic.coef[1] - 0.1, logistic.coef[1] + 0.1, 41)
    fine = gp.deviance_surface(problem, g0, g1)
    Dg = fine.deviance
    i, j = np.unravel_index(np.nanargmin(Dg), Dg.shape)
    assert (i, j) == (20, 20)
    assert Dg[20, 20] == pytest.approx(logistic.deviance, rel=1e-9)
    assert fine.minimum == Dg[20, 20]
    assert gp.deviance_surface is glmlearn.surface.deviance_surface  # one function, in the core


def test_deviance_surface_slice_holds_other_coefficients(poisson3: glmlearn.GLMResult) -> None:
    """With three coefficients the surface is a slice: the third one held at ``at``."""
    problem = poisson3.problem
    fam = problem.family
    b0 = np.linspace(-0.5, 1.0, 4)
    b1 = np.linspace(0.2, 1.4, 3)
    at = poisson3.beta
    D = glmlearn.surface.deviance_surface(problem, b0, b1, at=at).deviance
    assert D.shape == (3, 4)
    for i, j in [(0, 0), (1, 2), (2, 3)]:
        mu = fam.link_inverse(problem.X @ [b0[j], b1[i], at[2]] + problem.offset)
        assert D[i, j] == pytest.approx(fam.deviance(problem.y, mu, problem.prior_weights),
                                        rel=1e-12)
    # through the MLE, the slice's smallest value is the fit's deviance
    near = glmlearn.surface.deviance_surface(problem, [at[0]], [at[1]], at=at)
    assert near.deviance[0, 0] == pytest.approx(poisson3.deviance, rel=1e-10)
    with pytest.raises(ValueError, match="at: X has 3 columns"):
        glmlearn.surface.deviance_surface(problem, b0, b1)
    with pytest.raises(ValueError, match="expected 3 coefficients"):
        glmlearn.surface.deviance_surface(problem, b0, b1, at=at[:2])


def test_deviance_surface_has_holes_where_mu_is_invalid() -> None:
    """Poisson with an identity link: negative means are outside the family's range."""
    x = np.arange(1.0, 9.0)
    res = glmlearn.fit(np.column_stack([np.ones(8), x]), [1, 3, 2, 4, 6, 5, 8, 9],
                       glmlearn.poisson("identity"))
    D = gp.deviance_surface(res.problem, np.array([-20.0, res.coef[0]]),
                            np.array([res.coef[1]])).deviance
    assert np.isnan(D[0, 0]) and np.isfinite(D[0, 1])


def test_path_draws_a_given_surface_without_evaluating_it(
        logistic: glmlearn.GLMResult, monkeypatch: pytest.MonkeyPatch) -> None:
    """The surface is computed once per drawing, or once by the caller and passed in."""
    trace = logistic.trace
    evaluated: list[int] = []

    def counting(*args: Any, **kwargs: Any) -> glmlearn.surface.Surface:
        evaluated.append(1)
        return glmlearn.surface.deviance_surface(*args, **kwargs)

    monkeypatch.setattr(gp_path, "deviance_surface", counting)
    surface = gp.path_surface(logistic)
    assert len(evaluated) == 1
    given = gp.draw_path(new_ax(), trace[2], trace=trace, surface=surface)
    assert len(evaluated) == 1  # drawn, not evaluated again
    assert given.surface is surface
    own = gp.draw_path(new_ax(), trace[2], trace=logistic)  # a result works as the trace
    assert len(evaluated) == 2
    assert_same(snapshot(given), snapshot(own))
    assert given.contours.levels.tolist() == own.contours.levels.tolist()
    np.testing.assert_array_equal(own.surface.deviance, surface.deviance)
    # a moved panel keeps its surface: update never evaluates the deviance
    given.update(trace[4])
    assert len(evaluated) == 2


def test_path_needs_two_coefficients() -> None:
    one = glmlearn.fit(np.ones((6, 1)), [1, 0, 2, 3, 1, 2], "poisson")
    with pytest.raises(ValueError, match="at least two coefficients"):
        gp.draw_path(new_ax(), one.trace[-1], trace=one)


def test_path_of_three_coefficients_is_a_slice(poisson3: glmlearn.GLMResult) -> None:
    """p = 3: drawn (a slice through the state shown), not refused; the figure says so."""
    art = gp.draw_path(new_ax(), poisson3.trace[2], trace=poisson3)
    assert art.ax.get_xlabel() == "β₀ (Intercept)" and art.ax.get_ylabel() == "β₁: dose"
    assert "others held at β⁽²⁾" in art.label.get_text()
    assert "not the profile" in art.label.get_text()
    assert art.contours in art.moving


def test_path_of_a_one_step_fit(gaussian1: glmlearn.GLMResult) -> None:
    """A gaussian fit has a path of one point; the surface still has a box around it."""
    trace = gaussian1.trace
    art = gp.draw_path(new_ax(), trace[-1], trace=trace)
    np.testing.assert_allclose(art.current.get_xydata(), [gaussian1.coef])
    x0, x1 = art.ax.get_xlim()
    assert x0 < gaussian1.coef[0] < x1


def test_fit_curve_is_the_fitted_mean(logistic: glmlearn.GLMResult) -> None:
    trace = logistic.trace
    art = gp.draw_fit(new_ax(), trace[-1], trace=trace)
    assert art.x == 1  # the first non-constant column
    x, mu = np.asarray(art.curve.get_xdata(), float), np.asarray(art.curve.get_ydata(), float)
    pred = logistic.predict(np.column_stack([np.ones_like(x), x]))
    np.testing.assert_allclose(mu, np.asarray(pred), rtol=1e-6)  # final beta vs coef
    np.testing.assert_array_equal(art.data.get_xydata(),
                                  np.column_stack([logistic.problem.X[:, 1], logistic.problem.y]))
    # each history line is an earlier iteration's curve, fading with age
    k = 4
    gp.update_fit(art, trace[k])
    assert len(art.history) == 4
    for i, line in enumerate(art.history[:3]):
        b = trace[k - 1 - i].beta
        np.testing.assert_allclose(line.get_ydata(), expit(b[0] + b[1] * x), rtol=1e-9)
    assert art.history[3].get_xydata().size == 0  # state 0 has no beta: no curve
    alphas = [line.get_alpha() for line in art.history]
    assert alphas == sorted(alphas, reverse=True) and alphas[-1] > 0


def test_fit_at_iteration_zero_shows_the_starting_means(logistic: glmlearn.GLMResult) -> None:
    state = logistic.trace[0]
    art = gp.draw_fit(new_ax(), state, trace=logistic)
    assert np.all(np.isnan(np.asarray(art.curve.get_ydata(), float)))
    np.testing.assert_array_equal(art.start_means.get_xydata(),
                                  np.column_stack([logistic.problem.X[:, 1], state.mu]))
    # μ⁽⁰⁾ are R's starting means, not a fit: the label says so
    assert "starting guess μ⁽⁰⁾" in art.label.get_text()
    assert "not a fitted model" in art.label.get_text()
    assert all(line.get_xydata().size == 0 for line in art.history)


def test_fit_against_one_predictor_holds_others_at_their_means(
        poisson3: glmlearn.GLMResult) -> None:
    p = poisson3.problem
    art = gp.draw_fit(new_ax(), poisson3.trace[-1], x="age", view="curve")
    assert art.x == 2
    x = np.asarray(art.curve.get_xdata(), float)
    b = poisson3.coef
    eta = b[0] + b[1] * p.X[:, 1].mean() + b[2] * x + p.offset.mean()
    np.testing.assert_allclose(art.curve.get_ydata(), np.exp(eta), rtol=1e-9)
    # and says so: the curve is a slice through the other predictors' means
    assert art.ax.get_xlabel().splitlines() == [
        "age", "(curve: others at their means, offset at its mean)"]


def test_fit_against_eta(poisson3: glmlearn.GLMResult) -> None:
    state = poisson3.trace[2]
    art = gp.draw_fit(new_ax(), state, x="eta", trace=poisson3)
    np.testing.assert_array_equal(art.data.get_xydata(),
                                  np.column_stack([state.eta, poisson3.problem.y]))
    np.testing.assert_allclose(art.curve.get_ydata(), np.exp(art.curve.get_xdata()))
    assert art.history == ()


def test_fit_curve_leaves_out_an_invalid_range() -> None:
    """An iterate's line may leave a link's domain (sqrt: eta > 0); no curve is drawn there."""
    x = np.arange(1.0, 9.0)
    res = glmlearn.fit(np.column_stack([np.ones(8), x]), [1, 3, 2, 4, 6, 5, 8, 9],
                       glmlearn.poisson("sqrt"))
    fam = res.problem.family
    mu = gp_fitted._mean(fam, np.array([-1.0, 0.0, 2.0]))
    assert np.isnan(mu[0]) and np.isnan(mu[1]) and mu[2] == 4.0
    art = gp.draw_fit(new_ax(), res.trace[-1], x="eta", trace=res)
    e = np.asarray(art.curve.get_xdata(), float)
    m = np.asarray(art.curve.get_ydata(), float)
    np.testing.assert_allclose(m[e > 0], e[e > 0] ** 2)
    assert np.all(np.isnan(m[e <= 0]))


def test_fit_band_is_made_on_the_link_scale(logistic: glmlearn.GLMResult) -> None:
    art = gp.draw_fit(new_ax(), logistic.trace[-1], band=logistic, level=0.9)
    assert art.band is not None
    verts = art.band.get_paths()[0].vertices
    x = np.asarray(art.grid)
    pred = logistic.predict(np.column_stack([np.ones_like(x), x]), kind="link", se=True)
    assert isinstance(pred, glmlearn.results.Prediction)
    q = stats.norm.ppf(0.95)
    lo, hi = expit(pred.fit - q * pred.se), expit(pred.fit + q * pred.se)
    # fill_between's polygon: the upper edge one way and the lower edge back
    for xi, lo_i, hi_i in [(x[0], lo[0], hi[0]), (x[100], lo[100], hi[100])]:
        ys = verts[np.isclose(verts[:, 0], xi), 1]
        assert ys.min() == pytest.approx(lo_i, rel=1e-9)
        assert ys.max() == pytest.approx(hi_i, rel=1e-9)
    curve = np.asarray(art.curve.get_ydata(), float)
    assert np.all((lo <= curve + 1e-12) & (curve <= hi + 1e-12))
    with pytest.raises(ValueError, match="band"):
        gp.draw_fit(new_ax(), logistic.trace[-1], x="eta", band=logistic)


# --- the fit panel's views for several predictors ------------------------------------------


MULTI = ("doctors", "dobson_counts", "ships")  # bundled problems with several predictors


def _bundled_fit(name: str, start: str | None = None) -> glmlearn.GLMResult:
    """A bundled problem fitted as the explorer fits it (its own start by default)."""
    import warnings

    from glmlearn.widgets._data import explorer_data

    d = explorer_data(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return glmlearn.fit(d.X, d.y, d.families[0], weights=d.weights, offset=d.offset,
                            start=d.start_beta(start or d.start),
                            column_names=list(d.column_names))


@pytest.mark.parametrize("name", MULTI)
def test_fit_views_show_r_fitted_means_and_partial_residuals(
        name: str, rscript: Any, tmp_path: Any) -> None:
    """Observed against fitted: the points are (R's fitted(m), y). Partial residuals: R's
    residuals(m, type = "partial") up to R's centring of each term at its mean, i.e.
    ours = R's + beta_j mean(x_j) (R's beta), and the line is beta_j x."""
    res = _bundled_fit(name)
    p = res.problem
    cols = {"y": p.y, "off": p.offset, **{f"x{j}": p.X[:, j] for j in range(1, p.p)}}
    path = tmp_path / "data.csv"
    path.write_text(",".join(cols) + "\n" + "\n".join(
        ",".join(repr(float(v)) for v in row) for row in zip(*cols.values(), strict=True)))
    r = rscript("partial_residuals.R", path)
    coef, partial = np.asarray(r["coef"], float), np.asarray(r["partial"], float)
    assert partial.shape == (p.p - 1, p.n)  # one column per term, column-major
    art = gp.draw_fit(new_ax(), res.trace[-1], trace=res, view="observed")
    np.testing.assert_allclose(art.data.get_xdata(), r["fitted"], rtol=1e-8)
    np.testing.assert_array_equal(art.data.get_ydata(), p.y)
    np.testing.assert_array_equal(art.curve.get_xdata(), art.curve.get_ydata())  # y = mu
    assert tuple(art.ax.get_xlim()) == tuple(art.ax.get_ylim())  # so it is the diagonal
    for j in range(1, p.p):
        art = gp.draw_fit(new_ax(), res.trace[-1], trace=res, x=j)  # several: partial
        assert art.view == "partial"
        centred = coef[j] * p.X[:, j].mean()
        np.testing.assert_allclose(art.data.get_ydata(), partial[j - 1] + centred,
                                   rtol=1e-7, atol=1e-8, err_msg=p.column_names[j])
        np.testing.assert_array_equal(art.data.get_xdata(), p.X[:, j])
        g = np.asarray(art.curve.get_xdata(), float)
        np.testing.assert_allclose(art.curve.get_ydata(), coef[j] * g, rtol=1e-7, atol=1e-10)
        assert art.ax.get_title() == f"Partial residuals: {p.column_names[j]}"


def test_fit_view_defaults_and_what_the_panel_says(logistic: glmlearn.GLMResult,
                                                   poisson3: glmlearn.GLMResult) -> None:
    """One predictor: the curve is the model. Several: observed against fitted, or the
    partial residuals of a column asked for; the title and labels say which."""
    last = poisson3.trace[-1]
    assert gp.default_fit_view(logistic.problem) == "curve"
    assert gp.default_fit_view(poisson3.problem) == "observed"
    assert gp.default_fit_view(poisson3.problem, "age") == "partial"
    assert gp.default_fit_view(poisson3.problem, "eta") == "curve"
    art = gp.draw_fit(new_ax(), last)
    assert art.view == "observed" and art.ax.get_title() == "Observed against fitted"
    assert art.ax.get_xlabel() == "fitted mean μᵢ (this iteration)"
    assert art.ax.get_ylabel() == "observed y"
    texts = [t.get_text() for t in art.ax.get_legend().get_texts()]
    assert texts == ["data (yᵢ at its μᵢ)", "y = μ: a perfect fit"]
    art = gp.draw_fit(new_ax(), last, x="age")
    assert art.view == "partial" and art.x == 2
    assert art.ax.get_title() == "Partial residuals: age"
    assert art.ax.get_ylabel() == "z − η + βⱼxⱼ (link scale)"
    assert "not held at a mean" in art.ax.get_xlabel()
    assert gp.draw_fit(new_ax(), last, x="eta").view == "curve"
    assert gp.draw_fit(new_ax(), logistic.trace[-1]).view == "curve"
    # a band is drawn about a curve: asking for one asks for the curve
    assert gp.draw_fit(new_ax(), last, x="age", band=poisson3).view == "curve"


def test_fit_partial_at_a_start_without_beta(poisson3: glmlearn.GLMResult) -> None:
    state = poisson3.trace[0]
    assert state.beta is None
    art = gp.draw_fit(new_ax(), state, trace=poisson3, view="partial", x="dose")
    assert art.data.get_xydata().size == 0
    assert np.all(np.isnan(np.asarray(art.curve.get_ydata(), float)))  # no line yet
    assert art.label.get_text() == "k = 0: no β yet\n(partial residuals need β)"
    # observed against fitted shows R's starting means as the means
    art = gp.draw_fit(new_ax(), state, trace=poisson3)
    np.testing.assert_array_equal(art.data.get_xdata(), state.mu)
    assert "starting guess" in art.label.get_text()


@pytest.mark.parametrize("view", ["observed", "partial"])
@pytest.mark.parametrize("with_trace", [True, False])
def test_fit_views_update_equals_draw_with_several_predictors(
        poisson3: glmlearn.GLMResult, view: str, with_trace: bool) -> None:
    trace = poisson3.trace
    kw: dict[str, Any] = {"view": view, "x": "age"}
    if with_trace:
        kw["trace"] = trace
    art = gp.draw_fit(new_ax(), trace[-1], **kw)
    for k in [0, 2, len(trace) - 1, 1]:
        gp.update_fit(art, trace[k])
        assert_same(snapshot(art), snapshot(gp.draw_fit(new_ax(), trace[k], **kw)))


def test_fit_view_bad_arguments_are_named(poisson3: glmlearn.GLMResult) -> None:
    last = poisson3.trace[-1]
    with pytest.raises(glmlearn.GLMInputError, match="view: unknown view 'residual'; choose"):
        gp.draw_fit(new_ax(), last, view="residual")  # type: ignore[arg-type]
    with pytest.raises(glmlearn.GLMInputError, match=r"x: the partial-residual view .* x='eta'"):
        gp.draw_fit(new_ax(), last, view="partial", x="eta")
    with pytest.raises(glmlearn.GLMInputError, match=r"band: .* 'observed' view"):
        gp.draw_fit(new_ax(), last, view="observed", band=poisson3)


def test_weights_points_are_the_working_weights(logistic: glmlearn.GLMResult) -> None:
    trace = logistic.trace
    X = logistic.problem.X
    art = gp.draw_weights(new_ax(), trace[0], trace=trace)
    mu_art = gp.draw_weights(new_ax(), trace[0], against="mu", trace=trace)
    for state in trace:
        gp.update_weights(art, state)
        gp.update_weights(mu_art, state)
        np.testing.assert_array_equal(art.points.get_xydata(), np.column_stack([X[:, 1], state.w]))
        np.testing.assert_array_equal(mu_art.points.get_xydata(),
                                      np.column_stack([state.mu, state.w]))
    # logit link, prior weights 1: w = mu (1 - mu), the parabola of the lesson
    xy = mu_art.points.get_xydata()
    np.testing.assert_allclose(xy[:, 1], xy[:, 0] * (1 - xy[:, 0]), rtol=1e-9)
    assert mu_art.ax.get_xlim() == (-0.02, 1.02)
    assert art.ax.get_ylim()[1] >= max(float(s.w.max()) for s in trace)


def test_working_points_sizes_and_line(logistic: glmlearn.GLMResult) -> None:
    trace = logistic.trace
    X = logistic.problem.X
    art = gp.draw_working(new_ax(), trace[0], trace=trace)
    for state in trace:
        gp.update_working(art, state)
        np.testing.assert_array_equal(art.points.get_offsets(),
                                      np.column_stack([X[:, 1], state.z]))
        sizes = np.asarray(art.points.get_sizes(), float)
        np.testing.assert_allclose(sizes / state.w, art.size_max / art.w_ref, rtol=1e-12)
        x = np.asarray(art.fit.get_xdata(), float)
        b = state.beta_next
        np.testing.assert_allclose(art.fit.get_ydata(), b[0] + b[1] * x, rtol=1e-9)
    # one scale for all iterations: the largest weight of the trace has area size_max
    assert art.w_ref == pytest.approx(max(float(s.w.max()) for s in trace))


def test_working_size_classes_hold_every_point_once(logistic: glmlearn.GLMResult) -> None:
    """For large n the points are drawn in classes of area; none is lost or doubled."""
    trace = logistic.trace
    X = logistic.problem.X
    K = 6
    art = gp.draw_working(new_ax(), trace[0], trace=trace, size_classes=K)
    assert art.points is None and len(art.size_classes) == K
    for state in (trace[1], trace[-1]):
        gp.update_working(art, state)
        exact = art.size_max * state.w / art.w_ref
        got = []
        for j, line in enumerate(art.size_classes):
            xy = np.asarray(line.get_xydata(), float)
            got.append(xy)
            mine = np.isin(X[:, 1], xy[:, 0]) & np.isin(state.z, xy[:, 1])
            # the class's exact areas lie in its band and it is drawn at the band's middle
            assert np.all(exact[mine] >= j * art.size_max / K - 1e-12)
            assert np.all(exact[mine] <= (j + 1) * art.size_max / K + 1e-12)
            assert line.get_markersize() ** 2 == pytest.approx((j + 0.5) * art.size_max / K)
        allxy = np.vstack(got)
        assert allxy.shape == (logistic.problem.n, 2)
        key = np.lexsort
        a = allxy[key(allxy.T[::-1])]
        want = np.column_stack([X[:, 1], state.z])
        np.testing.assert_array_equal(a, want[key(want.T[::-1])])
    default = gp.draw_working(new_ax(), trace[0])
    assert default.points is not None and default.size_classes == ()  # n = 200: exact
    with pytest.raises(ValueError, match="size_classes"):
        gp.draw_working(new_ax(), trace[0], size_classes=-1)


def test_working_against_eta_draws_the_wls_fitted_values(poisson3: glmlearn.GLMResult) -> None:
    state = poisson3.trace[1]
    p = poisson3.problem
    art = gp.draw_working(new_ax(), state, x="eta")
    np.testing.assert_array_equal(art.points.get_offsets(), np.column_stack([state.eta, state.z]))
    order = np.argsort(state.eta, kind="stable")
    fitted = p.X @ state.beta_next + p.offset
    np.testing.assert_allclose(art.fit.get_xydata(),
                               np.column_stack([state.eta[order], fitted[order]]))


def test_compact_trace_draws_the_same(logistic: glmlearn.GLMResult) -> None:
    """States that recompute their vectors on demand give the same pictures."""
    p = logistic.problem
    compact = glmlearn.fit(p.X, p.y, "binomial", trace="compact")
    assert compact.trace[2].is_compact
    for draw, kw in [(gp.draw_working, {}), (gp.draw_weights, {}), (gp.draw_fit, {})]:
        a = draw(new_ax(), compact.trace[2], trace=compact, **kw)
        b = draw(new_ax(), logistic.trace[2], trace=logistic, **kw)
        sa, sb = snapshot(a), snapshot(b)
        sa.pop("label"), sb.pop("label")
        assert_same(sa, sb)


# --- links ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(LINKS))
def test_link_pictures_are_the_link_functions(name: str) -> None:
    link = LINKS[name]
    ax = new_ax()
    inv = gp.draw_link(ax, name, eta=(-3, 3), derivative=True)
    assert inv.link is link
    e = np.asarray(inv.curve.get_xdata(), float)
    ok = np.isfinite(e)
    assert ok.sum() > 100
    assert np.all(link.valid_eta(e[ok]))  # only the link's own domain is drawn
    np.testing.assert_allclose(np.asarray(inv.curve.get_ydata(), float)[ok], link.inverse(e[ok]))
    assert inv.derivative is not None
    np.testing.assert_allclose(np.asarray(inv.derivative.get_ydata(), float)[ok],
                               link.inverse_deriv(e[ok]))
    fwd = gp.draw_link(new_ax(), name, eta=(-3, 3), kind="link", derivative=True)
    mu = np.asarray(fwd.curve.get_xdata(), float)
    eta = np.asarray(fwd.curve.get_ydata(), float)
    inside = np.isfinite(mu) & (np.abs(eta) < 2.5)  # away from R's clamping of the inverse
    np.testing.assert_allclose(link.link(mu[inside]), eta[inside], rtol=1e-7, atol=1e-9)
    assert fwd.derivative is not None
    np.testing.assert_allclose(np.asarray(fwd.derivative.get_ydata(), float)[inside],
                               link.deriv(mu[inside]), rtol=1e-7)


def test_draw_links_puts_several_links_on_one_axes() -> None:
    ax = new_ax()
    arts = gp.draw_links(ax, derivative=True)
    assert list(arts) == ["logit", "probit", "cloglog", "cauchit"]
    assert len(ax.lines) == 8
    colours = {a.curve.get_color() for a in arts.values()}
    assert len(colours) == 4 and colours <= set(gp.OKABE_ITO.values())
    assert ax.get_legend() is not None
    lo, hi = ax.get_ylim()
    assert lo < 0 < 1 < hi


def test_inverse_link_pole_is_not_joined() -> None:
    art = gp.draw_link(new_ax(), "inverse", eta=(-2, 2))
    e = np.asarray(art.curve.get_xdata(), float)
    i = int(np.flatnonzero(np.isnan(e))[0])
    assert e[i - 1] < 0 < e[i + 1]


# --- the explorer figure --------------------------------------------------------------------


def render(fig: Figure) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def test_explorer_update_all_renders_like_a_fresh_figure(logistic: glmlearn.GLMResult) -> None:
    """Pixels: explorer at 0 moved to k == explorer drawn at k (and back again)."""
    fig, panels = gp.explorer_figure(logistic, 0, band=logistic, dpi=30)
    assert list(panels) == list(gp.default_panels(logistic))
    before = render(fig)
    gp.update_all(panels, logistic.trace[3])
    moved = render(fig)
    assert not np.array_equal(moved, before)
    fresh_fig, _ = gp.explorer_figure(logistic, 3, band=logistic, dpi=30)
    np.testing.assert_array_equal(moved, render(fresh_fig))
    gp.update_all(panels, logistic.trace[0])
    np.testing.assert_array_equal(render(fig), before)


@pytest.mark.parametrize("case", ["logistic-band", "poisson-eta", "poisson-observed",
                                  "poisson-partial"])
def test_frame_renderer_frames_equal_full_draws(case: str, logistic: glmlearn.GLMResult,
                                                poisson3: glmlearn.GLMResult) -> None:
    """Blitted frames: the static picture once, then only what moves, pixel for pixel."""
    result, kw = {
        "logistic-band": (logistic, {"band": logistic}),
        "poisson-eta": (poisson3, {"x": "eta"}),
        "poisson-observed": (poisson3, {"panel_kw": {"fit": {"view": "observed"}}}),
        "poisson-partial": (poisson3, {"x": "age"}),  # several predictors: partial
    }[case]
    fig, panels = gp.explorer_figure(result, 0, dpi=30, **kw)
    frames = gp.FrameRenderer(fig, panels)
    last = len(result.trace) - 1
    for k in [3, last, 1, 0, 2, 1]:
        frames.show(result.trace[k])
        fresh, _ = gp.explorer_figure(result, k, dpi=30, **kw)
        np.testing.assert_array_equal(np.asarray(fig.canvas.buffer_rgba()), render(fresh), k)
    assert frames.backgrounds == 1  # fixed limits: the static picture is made once
    # a new size lays the figure out again (resize_event): a new static picture, still exact
    fig.set_size_inches(12, 6)
    ResizeEvent("resize_event", fig.canvas)._process()
    frames.show(result.trace[2])
    assert frames.backgrounds == 2
    blitted = np.asarray(fig.canvas.buffer_rgba()).copy()
    # released, a plain draw shows the moving artists again: the same picture
    frames.release()
    np.testing.assert_array_equal(blitted, render(fig))


def test_moving_artists_are_all_that_update_changes(logistic: glmlearn.GLMResult) -> None:
    """A static artist that changed would be stale in the saved background."""
    trace = logistic.trace
    for name, draw, update, kw in PANELS:
        art = draw(new_ax(), trace[0], **_kw(name, kw, trace, True))
        moving = {id(a) for a in gp.moving_artists(art)}
        before = snapshot(art)
        for k in range(1, len(trace)):
            update(art, trace[k])
            for field in changed(before, snapshot(art)) - {"ax.xlim", "ax.ylim"}:
                base = field.split(".")[0]  # e.g. "history[2]" or "points"
                attr, _, index = base.partition("[")
                obj = getattr(art, attr)
                if index:
                    obj = obj[int(index.rstrip("]"))]
                assert id(obj) in moving, (name, field)
        assert snapshot(art)["ax.xlim"] == before["ax.xlim"]  # with a trace: fixed limits
        assert snapshot(art)["ax.ylim"] == before["ax.ylim"]
        label = art.label
        assert not label.get_in_layout() and label.get_clip_on() and label.get_clip_box()


def test_every_panel_speaks_the_protocol(logistic: glmlearn.GLMResult) -> None:
    """update, moving_artists and the frame renderer need nothing but the Panel protocol."""
    _, panels = gp.explorer_figure(logistic, 0, panels=gp.PANELS, dpi=30)
    assert list(panels) == list(gp.PANEL_REGISTRY) == list(gp.PANELS)
    for name, art in panels.items():
        assert isinstance(art, gp.Panel), name
        assert gp.moving_artists(art) == art.moving
        assert all(a.axes is art.ax for a in art.moving), name
        before = snapshot(art)
        gp.update(art, logistic.trace[3])
        moved = snapshot(art)
        art.update(logistic.trace[3])
        assert_same(moved, snapshot(art))
        assert changed(before, moved)  # something moves in every panel
    with pytest.raises(TypeError, match="not a glmlearn panel"):
        gp.moving_artists(object())  # type: ignore[arg-type]


@dataclasses.dataclass(frozen=True, eq=False)
class ResponseResidualArtists(gp.Panel):
    r"""A panel of the tests' own: the response residuals :math:`y_i - \mu_i` by index."""

    ax: Axes
    points: Line2D
    label: Text

    @property
    def moving(self) -> tuple[Artist, ...]:
        return (self.points, self.label)

    def update(self, state: glmlearn.IRLSState) -> None:
        n = state.problem.n
        self.points.set_data(np.arange(n), state.problem.y - state.mu)
        self.label.set_text(f"k = {state.iteration}")


def draw_response_residuals(ax: Axes, state: glmlearn.IRLSState, *, trace: Any,
                            legend: bool = True) -> ResponseResidualArtists:
    (points,) = ax.plot([], [], "o", markersize=3, label="y - μ")
    ax.set_xlim(-1, state.problem.n)
    ax.set_ylim(-1.05, 1.05)
    label = ax.text(0.03, 0.96, "", transform=ax.transAxes, va="top", fontsize=10)
    label.set_in_layout(False)
    if legend:
        ax.legend(loc="lower right").set_in_layout(False)
    art = ResponseResidualArtists(ax=ax, points=points, label=label)
    art.update(state)
    return art


def test_a_registered_panel_is_in_panels_and_the_explorer(logistic: glmlearn.GLMResult,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding a panel: its module and one registry entry, nothing else."""
    trace = logistic.trace
    with monkeypatch.context() as m:
        m.setitem(gp.PANEL_REGISTRY, "residuals", gp.PanelSpec(draw_response_residuals))
        m.setitem(gp.PANEL_REGISTRY, "never", gp.PanelSpec(draw_response_residuals,
                                                           applies=lambda tr: False))
        assert gp.PANELS[-2:] == ("residuals", "never")
        assert "residuals" in gp.PANELS and len(gp.PANELS) == 9
        assert gp.default_panels(logistic)[-1] == "residuals"  # "never" does not apply
        fig, panels = gp.explorer_figure(logistic, 0, dpi=30, legends=False)
        assert list(panels) == [p for p in gp.PANELS if p not in ("step_line", "never")]
        res = panels["residuals"]
        assert isinstance(res, ResponseResidualArtists)
        assert res.ax.get_legend() is None  # the figure's legends=False reached it
        # moved like any other panel, and blitted exactly like a full draw
        frames = gp.FrameRenderer(fig, panels)
        frames.show(trace[3])
        np.testing.assert_allclose(res.points.get_ydata(), logistic.problem.y - trace[3].mu)
        fresh, _ = gp.explorer_figure(logistic, 3, dpi=30, legends=False)
        np.testing.assert_array_equal(np.asarray(fig.canvas.buffer_rgba()), render(fresh))
        frames.release()
        # asked for by name, a panel is drawn whatever its applies says
        _, only = gp.explorer_figure(logistic, 1, panels=["never"], dpi=20)
        assert isinstance(only["never"], ResponseResidualArtists)
    assert "residuals" not in gp.PANELS and len(gp.PANELS) == 7


@pytest.mark.parametrize(("x", "view"), [(None, None), ("eta", None), (None, "observed"),
                                         (None, "partial")])
def test_update_on_a_compact_trace_reads_only_the_state_shown(
        logistic: glmlearn.GLMResult, monkeypatch: pytest.MonkeyPatch, x: str | None,
        view: str | None) -> None:
    """A compact state rebuilds its n-vectors on each access: updating to state k must
    not touch any other state's (the trace-wide limits were computed at draw time)."""
    p = logistic.problem
    compact = glmlearn.fit(p.X, p.y, "binomial", trace="compact")
    trace = compact.trace
    assert all(s.is_compact for s in trace[:-1])
    _, panels = gp.explorer_figure(compact, 0, dpi=30, x=x,
                                   panel_kw={"fit": {"view": view}} if view else None)
    read: list[int] = []
    vectors = glmlearn.IRLSState._get  # the one way to a state's eta, mu, w and z

    def recording(self: glmlearn.IRLSState) -> Any:
        read.append(self.iteration)
        return vectors(self)

    monkeypatch.setattr(glmlearn.IRLSState, "_get", recording)
    for k in (3, 1, len(trace) - 1, 0):
        read.clear()
        gp.update_all(panels, trace[k])
        assert read, "the state's own vectors are shown"
        assert set(read) == {k}


def test_blit_relies_on_private_matplotlib(logistic: glmlearn.GLMResult) -> None:
    """What plot/_blit.py takes from matplotlib's internals is still there and still so."""
    fig, panels = gp.explorer_figure(logistic, 2, panels=("fit", "convergence"), dpi=30)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    ax = panels["fit"].ax
    ticks = ax.xaxis._update_ticks()
    assert ticks and all(isinstance(t, Tick) for t in ticks)
    x0, x1 = ax.get_xlim()
    shown = [v for v in ax.get_xticks() if x0 <= v <= x1]  # the ticks it draws: those in view
    np.testing.assert_allclose(sorted(t.get_loc() for t in ticks), shown)
    # Axes.draw draws its children in the order _axes_draw_order replays
    drawn: list[Artist] = []

    def recorder(artist: Artist) -> Callable[..., Any]:
        draw = artist.draw

        def record(renderer: Any, *args: Any, **kwargs: Any) -> Any:
            drawn.append(artist)
            return draw(renderer, *args, **kwargs)

        return record

    for a in ax.get_children():
        a.draw = recorder(a)  # type: ignore[method-assign]
    canvas.draw()
    order = [a for a in drawn if a is not ax.patch and a.get_visible()]
    assert [id(a) for a in order] == [id(a) for a in _blit._axes_draw_order(ax)]
    assert len(order) > 10


def test_many_coefficients_short_labels(logistic: glmlearn.GLMResult) -> None:
    from glmlearn.plot._style import _beta_text

    assert _beta_text([1.0, -2.5, 3.25]) == "(1, -2.5, 3.25)"
    assert _beta_text(np.arange(9.0) + 0.5) == "(0.5, 1.5, … 9 in all)"
    rng = np.random.default_rng(9)
    X = np.column_stack([np.ones(60), rng.normal(size=(60, 5))])
    res = glmlearn.fit(X, rng.poisson(2.0, 60), "poisson")
    art = gp.draw_working(new_ax(), res.trace[1], trace=res)
    assert art.label.get_text().endswith("… 6 in all)")


def test_start_means_in_the_legend_only_when_shown(logistic: glmlearn.GLMResult) -> None:
    p = logistic.problem
    from_zero = glmlearn.fit(p.X, p.y, "binomial", start=np.zeros(2))
    assert all(s.beta is not None for s in from_zero.trace)

    def entries(result: glmlearn.GLMResult) -> list[str]:
        art = gp.draw_fit(new_ax(), result.trace[-1], trace=result)
        legend = art.ax.get_legend()
        return [t.get_text() for t in legend.get_texts()]

    start = gp_fitted._START
    assert start not in entries(from_zero)
    assert start in entries(logistic)  # R's start: state 0 shows them


def test_explorer_panels_and_options(poisson3: glmlearn.GLMResult) -> None:
    # three coefficients: the path panel is a slice through each state, and is shown
    assert gp.default_panels(poisson3) == ("fit", "weights", "working", "deviance",
                                           "convergence", "path")
    _, all_panels = gp.explorer_figure(poisson3, -1, dpi=20)
    assert isinstance(all_panels["path"], gp.PathArtists)
    five = ["fit", "weights", "working", "deviance", "convergence"]
    fig, panels = gp.explorer_figure(poisson3, -1, x="dose", dpi=40, panels=five,
                                     panel_kw={"weights": {"against": "mu"}})
    assert list(panels) == five
    fit, weights = panels["fit"], panels["weights"]
    assert isinstance(fit, gp.FitArtists) and fit.x == 1
    assert isinstance(weights, gp.WeightsArtists) and weights.against == "mu"
    assert sum(ax.get_visible() for ax in fig.axes) == 5  # the sixth cell is hidden
    # laid out once, then frozen: no constrained layout on every draw
    assert not isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine)
    _, eta_panels = gp.explorer_figure(poisson3, 1, x="eta", dpi=20)
    assert isinstance(eta_panels["fit"], gp.FitArtists)
    assert isinstance(eta_panels["working"], gp.WorkingArtists)
    assert [eta_panels["fit"].x, eta_panels["working"].x] == ["eta", "eta"]
    assert isinstance(eta_panels["weights"], gp.WeightsArtists)
    assert eta_panels["weights"].against == "eta"
    fig2, panels2 = gp.explorer_figure(poisson3, 0, panels=["deviance"], ncols=3)
    assert list(panels2) == ["deviance"] and len(fig2.axes) == 1
    with pytest.raises(ValueError, match="unknown panel"):
        gp.explorer_figure(poisson3, 0, panels=["fit", "surface"])


def test_explorer_into_a_given_figure_twice(logistic: glmlearn.GLMResult) -> None:
    """A widget clears its figure and draws into it again on every refit."""
    fig = Figure(figsize=(9, 5), dpi=20)
    FigureCanvasAgg(fig)
    for _ in range(2):
        fig.clear()
        out, _ = gp.explorer_figure(logistic, 2, fig=fig)
        assert out is fig and len(fig.axes) == 6
    assert len(fig.canvas.callbacks.callbacks["resize_event"]) == 1


def test_style_is_readable_and_colour_blind_safe(logistic: glmlearn.GLMResult) -> None:
    before = dict(mpl.rcParams)
    fig, _ = gp.explorer_figure(logistic, 3, band=logistic, dpi=40)
    assert dict(mpl.rcParams) == before  # no global style change
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
    assert len(texts) > 30
    assert min(t.get_fontsize() for t in texts) >= 10
    palette = {c.lower() for c in gp.OKABE_ITO.values()}
    lines = [ln for ln in fig.findobj(Line2D)
             if ln.get_xydata().size and ln.get_label() and ln.get_label()[0] != "_"]
    assert len(lines) >= 10
    assert all(mpl.colors.to_hex(ln.get_color()) in palette for ln in lines)


def test_plot_style_context_restores_rcparams() -> None:
    before = mpl.rcParams["axes.prop_cycle"]
    with gp.plot_style():
        assert mpl.rcParams["axes.titlesize"] >= 10
        assert mpl.rcParams["axes.prop_cycle"] != before
    assert mpl.rcParams["axes.prop_cycle"] == before


# --- arguments and imports ------------------------------------------------------------------


def test_bad_arguments_are_named(logistic: glmlearn.GLMResult) -> None:
    s = logistic.trace[1]
    with pytest.raises(ValueError, match="unknown column 'weight'"):
        gp.draw_fit(new_ax(), s, x="weight")
    with pytest.raises(ValueError, match="out of range"):
        gp.draw_fit(new_ax(), s, x=5)
    with pytest.raises(ValueError, match="against"):
        gp.draw_weights(new_ax(), s, against="z")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="trace"):
        gp.draw_deviance(new_ax(), s, trace=[1, 2])
    with pytest.raises(TypeError, match="not a glmlearn panel"):
        gp.update(object(), s)  # type: ignore[arg-type]
    assert gp.as_trace(logistic) == logistic.trace


def _imports(code: str) -> list[str]:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_importing_plot_is_light() -> None:
    """``glmlearn.plot`` needs matplotlib, never ipywidgets, and leaves pyplot alone.

    (That ``import glmlearn`` alone loads no matplotlib is checked in test_static.py.)
    """
    loaded = _imports("import sys, glmlearn.plot, glmlearn.animation; print(*[m for m in "
                      "('ipywidgets', 'matplotlib.pyplot', 'IPython') if m in sys.modules])")
    assert loaded == []


@pytest.fixture(autouse=True)
def _no_leaked_pyplot_figures() -> Iterator[None]:
    yield
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt

        assert plt.get_fignums() == []


# --- nothing hidden: legends and labels measured against the data, in every state -------


def _bundled_fits() -> list[tuple[str, Any, Any]]:
    import warnings

    from glmlearn.widgets._data import DATASETS, explorer_data

    out = []
    for name in DATASETS:
        d = explorer_data(name)
        starts = [d.start] + (["mustart"] if d.start != "mustart" else [])
        for start in starts:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = glmlearn.fit(d.X, d.y, d.families[0], weights=d.weights, offset=d.offset,
                                   start=d.start_beta(start), column_names=list(d.column_names))
            out.append((f"{name}-{start}", d.x, res))
    return out


def _labels_and_legends(panels: dict[str, Any]) -> list[Artist]:
    out: list[Artist] = []
    for art in panels.values():
        out.append(art.label)
        if art.ax.get_legend() is not None:
            out.append(art.ax.get_legend())
    return out


def _marker_positions(ax: Axes) -> np.ndarray:
    pts = []
    for ln in ax.lines:
        if ln.get_visible() and ln.get_marker() not in (None, "None", "", " "):
            pts.append(ax.transData.transform(np.asarray(ln.get_xydata(), float)))
    for c in ax.collections:
        if isinstance(c, PathCollection) and c.get_visible():
            shown = np.asarray(c.get_sizes(), float)
            xy = np.asarray(c.get_offsets(), float)
            if shown.size == len(xy):
                xy = xy[shown > 0]
            pts.append(ax.transData.transform(xy))
    pts = [p for p in pts if p.size]
    return _within(np.vstack(pts) if pts else np.empty((0, 2)), ax.bbox)


def _line_samples(ax: Axes) -> np.ndarray:
    pts = []
    for ln in ax.lines:
        if not ln.get_visible() or ln.get_linestyle() in ("None", "", " "):
            continue
        xy = ax.transData.transform(np.asarray(ln.get_xydata(), float))
        for a, b in itertools.pairwise(xy):
            if np.all(np.isfinite(a)) and np.all(np.isfinite(b)):
                t = np.linspace(0, 1, 25)[:, None]
                pts.append(a + (b - a) * t)
    return _within(np.vstack(pts) if pts else np.empty((0, 2)), ax.bbox)


def _within(pts: np.ndarray, box: Any) -> np.ndarray:
    if not pts.size:
        return pts
    keep = np.all(np.isfinite(pts), axis=1)
    pts = pts[keep]
    return pts[(pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1) & (pts[:, 1] >= box.y0)
               & (pts[:, 1] <= box.y1)]


def _covered(pts: np.ndarray, box: Any) -> int:
    if not pts.size:
        return 0
    return int(np.count_nonzero((pts[:, 0] > box.x0) & (pts[:, 0] < box.x1)
                                & (pts[:, 1] > box.y0) & (pts[:, 1] < box.y1)))


def assert_nothing_hidden(fig: Figure, panels: dict[str, Any], where: str) -> int:
    """No marker inside a legend or label, no line through one, every text in the
    figure, no label on its title. Returns the number of checks made."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    checks = 0
    covers = _labels_and_legends(panels)
    for ax in [a.ax for a in panels.values()]:
        markers, lines = _marker_positions(ax), _line_samples(ax)
        for c in covers:
            box = c.get_window_extent(renderer)
            assert _covered(markers, box) == 0, (where, "marker under", c)
            assert _covered(lines, box) == 0, (where, "line under", c)
            checks += 2
    figbox = fig.bbox
    # a legend's texts are measured with their legend (a hidden row has no place)
    in_legends = {id(t) for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()}
    # tick labels: those of the ticks drawn (Axis._update_ticks, as in _blit.py)
    tick_texts = {id(x) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
                  for t in axis.get_major_ticks() + axis.get_minor_ticks()
                  for x in (t.label1, t.label2)}
    drawn = [x for ax in fig.axes if ax.get_visible() for axis in (ax.xaxis, ax.yaxis)
             for t in axis._update_ticks() for x in (t.label1, t.label2)]
    boxes = [(t.get_text(), t.get_window_extent(renderer))
             for t in [*fig.findobj(Text), *drawn]
             if t.get_visible() and t.get_text() and id(t) not in in_legends
             and (id(t) not in tick_texts or t in drawn)]
    boxes += [("legend", ax.get_legend().get_window_extent(renderer)) for ax in fig.axes
              if ax.get_visible() and ax.get_legend()]
    for text, b in boxes:
        if True:
            assert (b.x0 >= figbox.x0 - 1 and b.x1 <= figbox.x1 + 1 and b.y0 >= figbox.y0 - 1
                    and b.y1 <= figbox.y1 + 1), (where, "outside the figure", text)
            checks += 1
    for art in panels.values():
        label, title = art.label.get_window_extent(renderer), art.ax.title
        if title.get_text():
            assert not label.overlaps(title.get_window_extent(renderer)), (where, "on title")
        lb = art.ax.bbox
        assert label.x1 <= lb.x1 + 1, (where, "label wider than its panel", art.label.get_text())
        checks += 2
    return checks


def test_nothing_hidden_in_any_bundled_problem_at_any_iteration() -> None:
    """Every bundled problem (its default start, and R's starting means), every state of
    its trace, the explorer figure as the widget draws it and with the fit against a
    column: legends and state labels cover no marker and no line, and stay in the figure."""
    checks = figures = 0
    for name, x, res in _bundled_fits():
        variants = [x] + ([None] if x is not None else [])
        for xv in variants:
            fig, panels = gp.explorer_figure(res, 0, x=xv, dpi=50, legends=True)
            for state in res.trace:
                gp.update_all(panels, state)
                checks += assert_nothing_hidden(fig, panels, f"{name} x={xv} k={state.iteration}")
                figures += 1
    assert figures > 60 and checks > 5000


def test_nothing_hidden_in_the_fit_views_of_several_predictors() -> None:
    """Observed against fitted and the partial residuals (first and last column) of every
    bundled problem with several predictors, both starts, every state."""
    checks = 0
    for name in MULTI:
        for start in ("mustart", "zero"):
            res = _bundled_fit(name, start)
            names = res.problem.column_names
            for kw in ({"view": "observed"}, {"view": "partial", "x": names[1]},
                       {"view": "partial", "x": names[-1]}):
                fig, panels = gp.explorer_figure(res, 0, panels=("fit",), dpi=50,
                                                 panel_kw={"fit": kw}, figsize=(5, 4))
                for state in res.trace:
                    gp.update_all(panels, state)
                    checks += assert_nothing_hidden(fig, panels,
                                                    f"{name}-{start} {kw} k={state.iteration}")
    assert checks > 300


# --- presentation: font size, slides ------------------------------------------------------


def test_text_follows_font_size(logistic: glmlearn.GLMResult) -> None:
    def sizes() -> tuple[float, float, float]:
        _fig, panels = gp.explorer_figure(logistic, 2, panels=("fit", "deviance"), dpi=30)
        ax = panels["fit"].ax
        tick = ax.xaxis.get_major_ticks()[0].label1.get_fontsize()
        return ax.title.get_fontsize(), tick, panels["deviance"].label.get_fontsize()

    assert sizes() == (12, 10, 10)  # the defaults: as before
    with mpl.rc_context({"font.size": 20}):
        assert sizes() == (24, 20, 20)
        assert gp.FONT_SIZES.title == 24
    assert gp.FONT_SIZES.title == 12
    with gp.slide_style(2):
        assert sizes() == (24, 20, 20)
    _fig, panels = gp.explorer_figure(logistic, 2, panels=("fit",), dpi=30, scale=2)
    assert panels["fit"].ax.title.get_fontsize() == 24


def test_slide_layout_one_liner(logistic: glmlearn.GLMResult) -> None:
    fig, panels = gp.slide_figure(logistic, "fit", "deviance", dpi=40)
    assert list(panels) == ["fit", "deviance"]
    w, h = fig.get_size_inches()
    assert abs(w / h - 16 / 9) < 0.01
    assert panels["fit"].ax.title.get_fontsize() == 1.2 * gp.SLIDE_FONT_SIZE
    same_fig, _ = gp.explorer_figure(logistic, panels=("fit", "deviance"), layout="slide",
                                     dpi=40)
    np.testing.assert_array_equal(render(fig), render(same_fig))
    for state in logistic.trace:
        gp.update_all(panels, state)
        assert_nothing_hidden(fig, panels, f"slide k={state.iteration}")


# --- state 0 is a starting guess ------------------------------------------------------------


def test_state_zero_is_marked_as_a_starting_guess(logistic: glmlearn.GLMResult) -> None:
    trace = logistic.trace
    assert trace[0].beta is None  # R's starting means
    _fig, panels = gp.explorer_figure(logistic, 0, dpi=30)
    for k, state in enumerate(trace):
        gp.update_all(panels, state)
        for name, art in panels.items():
            marked = "starting guess μ⁽⁰⁾" in art.label.get_text()
            assert marked == (k == 0), (name, k, art.label.get_text())
        dev = panels["deviance"]
        face = mpl.colors.to_hex(dev.marker.get_markerfacecolor())
        assert (face == "#ffffff") == (k == 0)  # hollow at the guess only
    dev = panels["deviance"]
    assert dev.start is not None and dev.start.get_markerfacecolor() == "white"
    texts = [t.get_text() for t in dev.ax.get_legend().get_texts()]
    assert any("not comparable" in t for t in texts)
    # started from coefficients: "starting coefficients", and no hollow point
    p = logistic.problem
    from_beta = glmlearn.fit(p.X, p.y, "binomial", start=np.zeros(2))
    _, panels = gp.explorer_figure(from_beta, 0, dpi=30)
    assert all("starting coefficients β⁽⁰⁾" in a.label.get_text() for a in panels.values())
    assert panels["deviance"].start is None
    gp.update_all(panels, from_beta.trace[1])
    assert not any("starting" in a.label.get_text() for a in panels.values())


def test_fit_legend_lists_only_what_is_drawn(logistic: glmlearn.GLMResult) -> None:
    art = gp.draw_fit(new_ax(), logistic.trace[0], trace=logistic, band=logistic)
    assert art.legend is not None

    def listed() -> set[str]:
        return {name for name, row in zip(("start", "curve", "history"),
                                          (art.rows.get(k) for k in ("start", "curve", "history")),
                                          strict=True) if row is not None and row.get_visible()}

    assert listed() == {"start"}
    art.update(logistic.trace[-1])
    assert listed() == {"curve", "history"}


def test_working_legend_marker_is_visible(logistic: glmlearn.GLMResult) -> None:
    art = gp.draw_working(new_ax(), logistic.trace[1], trace=logistic)
    legend = art.ax.get_legend()
    handle = legend.legend_handles[0]
    assert isinstance(handle, Collection) and np.all(np.asarray(handle.get_sizes()) > 0)


def test_links_derivative_title() -> None:
    ax = new_ax()
    gp.draw_links(ax, derivative=True)
    assert "derivatives dμ/dη (dashed)" in ax.get_title()
    ax = new_ax()
    gp.draw_links(ax)
    assert ax.get_title() == "Inverse links μ = g⁻¹(η)"


def test_path_labels_say_what_is_shown(logistic: glmlearn.GLMResult) -> None:
    art = gp.draw_path(new_ax(), logistic.trace[2], trace=logistic)
    assert art.ax.get_xlabel() == "β₀ (Intercept)" and art.ax.get_ylabel() == "β₁: hours"
    assert "confidence regions" in art.label.get_text()
    # the innermost contours are the likelihood-ratio levels above the minimum
    levels = np.asarray(art.contours.levels) - logistic.deviance
    np.testing.assert_allclose(levels[:5], stats.chi2.ppf(gp_path.LR_LEVELS, 2), rtol=1e-6,
                               atol=1e-6)
