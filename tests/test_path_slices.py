"""The path panel and the deviance surface for models with more than two coefficients.

With p > 2 the panel shows a *slice*: the deviance over two coefficients ``coefs = (i, j)``
with every other coefficient held at the state shown. The slice's values are checked
against R's own families (``dev.resids`` summed at the same full coefficient vectors,
``tests/r/path_slices.R``); its minimum at the last state against R's ``glm()``; the
plane-restricted quadratic model against its own normal equations, built from the state's
score and information; and the choice of ``coefs`` (by name, by index, wrong).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # before anything can pick an interactive backend

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection, LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from scipy.special import expit

import glmlearn
import glmlearn.surface
from glmlearn import plot as gp
from glmlearn.errors import GLMInputError
from glmlearn.plot import path as gp_path
from glmlearn.surface import coefficient_pair, deviance_surface, quadratic_model

NAMES = ["(Intercept)", "dose", "age"]


@pytest.fixture(scope="module")
def data() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(11)
    n = 60
    x1, x2 = rng.uniform(0, 2, n), rng.normal(size=n)
    x2 = x2 + 0.6 * x1  # correlated columns: the slice's valley is tilted
    off = np.log(rng.uniform(1, 3, n))
    count = rng.poisson(np.exp(0.3 + 0.8 * x1 - 0.4 * x2 + off))
    trials = rng.integers(3, 12, n)
    succ = rng.binomial(trials, expit(-0.5 + 1.1 * x1 - 0.7 * x2))
    return {"x1": x1, "x2": x2, "off": off, "count": count.astype(float),
            "trials": trials.astype(float), "succ": succ.astype(float)}


def _X(d: dict[str, np.ndarray]) -> np.ndarray:
    return np.column_stack([np.ones(d["x1"].size), d["x1"], d["x2"]])


@pytest.fixture(scope="module")
def poisson3(data: dict[str, np.ndarray]) -> glmlearn.GLMResult:
    # From beta = 0: a path of several steps, every state with coefficients.
    return glmlearn.fit(_X(data), data["count"], "poisson", offset=data["off"],
                        start=np.zeros(3), column_names=NAMES)


@pytest.fixture(scope="module")
def binomial3(data: dict[str, np.ndarray]) -> glmlearn.GLMResult:
    return glmlearn.fit(_X(data), data["succ"] / data["trials"], "binomial",
                        weights=data["trials"], column_names=NAMES)


def new_ax() -> Axes:
    fig = Figure(figsize=(4, 3), dpi=50)
    FigureCanvasAgg(fig)
    return fig.add_subplot()


# --- the slice's values, against R ----------------------------------------------------------

#: (model, iteration, coefs): the slices compared with R.
SLICES = [("poisson", 1, (1, 2)), ("poisson", 3, (0, 2)), ("poisson", -1, (1, 2)),
          ("binomial", 1, (2, 1)), ("binomial", -1, (0, 1))]
#: Grid points compared, as (row, column) of the surface.
POINTS = [(0, 0), (3, 17), (20, 20), (39, 5), (11, 39)]


@pytest.fixture(scope="module")
def r_slices(rscript: Callable[..., Any], tmp_path_factory: pytest.TempPathFactory,
             data: dict[str, np.ndarray], poisson3: glmlearn.GLMResult,
             binomial3: glmlearn.GLMResult) -> dict[str, Any]:
    """R's deviance at every full coefficient vector the compared grid points stand for."""
    fits = {"poisson": poisson3, "binomial": binomial3}
    betas = []
    surfaces = []
    for model, k, coefs in SLICES:
        res = fits[model]
        state = res.trace[k]
        surf = gp.path_surface(res, coefs=coefs, at=state)
        surfaces.append(surf)
        i, j = coefs
        for a, b in POINTS:
            full = np.array(state.beta, dtype=float)  # the others held at beta^(k)
            full[i], full[j] = surf.beta0[b], surf.beta1[a]
            betas.append(full)
    tmp = tmp_path_factory.mktemp("slices")
    cols = ["x1", "x2", "count", "off", "succ", "trials"]
    path = tmp / "data.csv"
    path.write_text(",".join(cols) + "\n" + "\n".join(
        ",".join(repr(float(data[c][r])) for c in cols) for r in range(data["x1"].size)))
    bpath = tmp / "betas.csv"
    bpath.write_text("b0,b1,b2\n" + "\n".join(",".join(repr(float(v)) for v in b)
                                              for b in betas))
    return {"r": rscript("path_slices.R", path, bpath), "surfaces": surfaces}


def test_slice_values_equal_r_deviance_with_the_others_held(
        r_slices: dict[str, Any]) -> None:
    """Each grid value is D at the full vector: (beta_i, beta_j) from the grid, the rest
    at beta^(k); R sums its family's dev.resids at exactly that vector."""
    r = r_slices["r"]
    for n, ((model, _k, _coefs), surf) in enumerate(zip(SLICES, r_slices["surfaces"],
                                                          strict=True)):
        # R evaluates both models at every row; this slice's rows are the n-th block
        start = n * len(POINTS)
        expected = np.asarray(r[model]["at"], float)[start:start + len(POINTS)]
        got = np.array([surf.deviance[a, b] for a, b in POINTS])
        np.testing.assert_allclose(got, expected, rtol=1e-11)
        assert surf.is_slice


def test_the_panel_draws_each_states_slice(poisson3: glmlearn.GLMResult,
                                           r_slices: dict[str, Any]) -> None:
    """The panel's slice at state k is the one compared with R (same grid, same values),
    and its contours are the slice's lines."""
    _model, k, coefs = SLICES[1]
    surf = r_slices["surfaces"][1]
    art = gp.draw_path(new_ax(), poisson3.trace[0], trace=poisson3, coefs=coefs)
    state = poisson3.trace[k]
    art.update(state)
    shown = art.slice_at(state)
    np.testing.assert_array_equal(shown.beta0, surf.beta0)
    np.testing.assert_allclose(shown.deviance, surf.deviance, rtol=1e-13, equal_nan=True)
    np.testing.assert_array_equal(shown.at, state.beta)
    assert isinstance(art.contours, LineCollection)
    # the contour lines are the slice's own: each vertex has D (evaluated afresh at that
    # full vector) close to one of the levels, up to the grid's linear interpolation
    levels = art._slice(state).levels
    verts = np.concatenate(art.contours.get_segments())[::7]
    full = np.tile(np.asarray(state.beta, float), (verts.shape[0], 1))
    full[:, list(coefs)] = verts
    d = [glmlearn.surface.deviance_along(poisson3.problem, b, np.zeros(3), [0.0])[0]
         for b in full]
    nearest = np.min(np.abs(np.asarray(d)[:, None] - levels[None, :]), axis=1)
    assert np.all(nearest < 0.01 * (levels[-1] - levels[0]))


def test_slice_minimum_at_the_mle_is_the_mles_coordinates(
        poisson3: glmlearn.GLMResult, binomial3: glmlearn.GLMResult,
        r_slices: dict[str, Any]) -> None:
    """Through the MLE (R's glm, epsilon 1e-14) the slice is smallest at (beta_i, beta_j)
    of the MLE: on a fine grid, within one grid step, with D = R's deviance there."""
    r = r_slices["r"]
    for model, res in (("poisson", poisson3), ("binomial", binomial3)):
        mle = np.asarray(r[model]["coef"], float)
        se = res.se
        for i, j in ((0, 1), (1, 2), (2, 0)):
            g0 = np.linspace(mle[i] - 2 * se[i], mle[i] + 2 * se[i], 201)
            g1 = np.linspace(mle[j] - 2 * se[j], mle[j] + 2 * se[j], 201)
            s = deviance_surface(res.problem, g0, g1, at=mle, coefs=(i, j))
            a, b = np.unravel_index(np.nanargmin(s.deviance), s.deviance.shape)
            assert abs(g0[b] - mle[i]) <= g0[1] - g0[0]
            assert abs(g1[a] - mle[j]) <= g1[1] - g1[0]
            np.testing.assert_allclose(s.minimum, r[model]["deviance"], rtol=1e-6)
            assert s.minimum >= r[model]["deviance"] * (1 - 1e-12)


# --- the quadratic model in the plane -------------------------------------------------------


def test_plane_minimum_satisfies_its_normal_equations(poisson3: glmlearn.GLMResult) -> None:
    """H_aa (m_a - beta_a) = U_a with H = the state's X'WX, U its score, a = {i, j}; the
    others stay at beta^(k); and it is not beta_next's projection when the columns are
    correlated."""
    for k in (0, 1, 2):
        state = poisson3.trace[k]
        q = quadratic_model(state)
        H, U = np.asarray(state.xtwx), np.asarray(state.score)
        for i, j in ((1, 2), (0, 2), (2, 0)):
            m = q.plane_minimum(i, j)
            a = [i, j]
            delta = m[a] - np.asarray(state.beta)[a]
            np.testing.assert_allclose(H[np.ix_(a, a)] @ delta, U[a],
                                       rtol=1e-9, atol=1e-9 * np.abs(U).max())
            rest = [c for c in range(3) if c not in a]
            np.testing.assert_array_equal(m[rest], np.asarray(state.beta)[rest])
            # the gradient of Q_k within the plane vanishes there (finite differences of
            # the model's values)
            for c in a:
                e = np.zeros(3)
                e[c] = 1e-5
                assert abs(q(m + e) - q(m - e)) < 1e-6 * max(1.0, abs(float(q(m))))
        gap = np.abs(q.plane_minimum(1, 2)[1:] - np.asarray(state.beta_next)[1:]).max()
        assert gap > 1e-3  # the plane's minimum is a different point


def test_quadratic_overlay_marks_the_plane_minimum(poisson3: glmlearn.GLMResult) -> None:
    trace = poisson3.trace
    art = gp.draw_path(new_ax(), trace[1], trace=poisson3, coefs=("dose", "age"),
                       quadratic=True)
    q = quadratic_model(trace[1])
    assert art.model_minimum is not None and art.model_join is not None
    np.testing.assert_allclose(art.model_minimum.get_xydata(), [q.plane_minimum(1, 2)[1:]])
    np.testing.assert_allclose(art.step.get_xydata(),
                               [trace[1].beta[1:], trace[1].beta_next[1:]])
    np.testing.assert_allclose(art.model_join.get_xydata(),
                               [trace[1].beta_next[1:], trace[2].beta[1:]])
    labels = [t.get_text() for t in art.ax.get_legend().get_texts()]
    assert {"Q_k in this plane", "its minimum (≠ β next in general)"} <= set(labels)
    # the model's contours are Q_k's at the slice's levels: a point on them has Q_k at a level
    xy = art.model.get_xydata()
    xy = xy[np.all(np.isfinite(xy), axis=1)]
    full = np.tile(np.asarray(trace[1].beta, float), (xy.shape[0], 1))
    full[:, 1:] = xy
    values = q(full)
    levels = art._slice(trace[1]).levels
    nearest = np.min(np.abs(values[:, None] - levels[None, :]), axis=1)
    assert np.all(nearest < 1e-3 * (levels[-1] - levels[0]))


# --- coefs: by name, by index, wrong ----------------------------------------------------------


def test_coefs_by_name_equal_coefs_by_index(poisson3: glmlearn.GLMResult) -> None:
    s_name = gp.path_surface(poisson3, coefs=("age", "(Intercept)"))
    s_index = gp.path_surface(poisson3, coefs=(2, 0))
    s_negative = gp.path_surface(poisson3, coefs=(-1, 0))
    assert s_name.coefs == s_index.coefs == s_negative.coefs == (2, 0)
    np.testing.assert_array_equal(s_name.deviance, s_index.deviance)
    np.testing.assert_array_equal(s_name.deviance, s_negative.deviance)
    a = gp.draw_path(new_ax(), poisson3.trace[2], trace=poisson3, coefs=("age", "(Intercept)"))
    b = gp.draw_path(new_ax(), poisson3.trace[2], trace=poisson3, coefs=(2, 0))
    assert a.ax.get_xlabel() == b.ax.get_xlabel() == "β₂: age"
    assert a.ax.get_ylabel() == "β₀ (Intercept)"
    assert_same(snapshot(a), snapshot(b))


@pytest.mark.parametrize(("coefs", "words"), [
    ((0, 3), "index 3 is out of range"),
    ((1, 1), "names coefficient 1 ('dose') twice"),
    (("dose", "weight"), "no coefficient is named 'weight'"),
    ((0,), "give two coefficients"),
    ("dose", "give two coefficients"),
    ((0, 1.5), "neither a column index nor a name"),
])
def test_bad_coefs_name_the_argument_and_the_choices(poisson3: glmlearn.GLMResult,
                                                     coefs: Any, words: str) -> None:
    for call in (lambda: deviance_surface(poisson3.problem, [0, 1], [0, 1],
                                          at=poisson3.coef, coefs=coefs),
                 lambda: gp.path_surface(poisson3, coefs=coefs),
                 lambda: gp.draw_path(new_ax(), poisson3.trace[1], trace=poisson3,
                                      coefs=coefs)):
        with pytest.raises(GLMInputError) as err:
            call()
        msg = str(err.value)
        assert msg.startswith("coefs:") and words in msg
        assert "0..2" in msg and "'(Intercept)', 'dose', 'age'" in msg


def test_coefs_must_agree_with_a_given_surface(poisson3: glmlearn.GLMResult) -> None:
    surf = gp.path_surface(poisson3, coefs=(1, 2))
    art = gp.draw_path(new_ax(), poisson3.trace[1], trace=poisson3, surface=surf)
    assert art.coefs == (1, 2)  # taken from the surface
    with pytest.raises(GLMInputError, match=r"coefs: .* surface given is over columns \(1, 2\)"):
        gp.draw_path(new_ax(), poisson3.trace[1], trace=poisson3, surface=surf, coefs=(0, 1))


def test_coefficient_pair_returns_indices(poisson3: glmlearn.GLMResult) -> None:
    assert coefficient_pair(poisson3.problem, ("age", 1)) == (2, 1)
    assert coefficient_pair(poisson3.problem, (np.int64(0), -2)) == (0, 1)


# --- the panel's contract for p > 2 ---------------------------------------------------------


def snapshot(artists: Any) -> dict[str, Any]:
    """Every number and string a panel shows, by field name (plus the axis limits)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(artists):
        obj = getattr(artists, f.name)
        if isinstance(obj, Line2D):
            out[f.name] = np.asarray(obj.get_xydata(), float).copy()
        elif isinstance(obj, Collection):
            out[f.name] = [np.asarray(p.vertices).copy() for p in obj.get_paths()]
            out[f.name + ".colours"] = np.asarray(obj.get_edgecolor()).copy()
        elif isinstance(obj, Text):
            out[f.name] = obj.get_text()
    out["xlim"], out["ylim"] = artists.ax.get_xlim(), artists.ax.get_ylim()
    return out


def assert_same(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert a.keys() == b.keys()
    for k in a:
        x, y = a[k], b[k]
        if isinstance(x, list):
            assert len(x) == len(y), k
            for u, v in zip(x, y, strict=True):
                np.testing.assert_allclose(u, v, rtol=1e-12, err_msg=k)
        elif isinstance(x, np.ndarray):
            np.testing.assert_allclose(x, y, rtol=1e-12, equal_nan=True, err_msg=k)
        else:
            assert x == y, k


@pytest.mark.parametrize("quadratic", [False, True])
def test_update_to_k_equals_draw_of_k(poisson3: glmlearn.GLMResult, quadratic: bool) -> None:
    """The Panel protocol holds for slices: the contours move with the state."""
    trace = poisson3.trace
    moving = gp.draw_path(new_ax(), trace[0], trace=poisson3, coefs=(1, 2),
                          quadratic=quadratic)
    for k in [3, len(trace) - 1, 1, 0, 2]:
        gp.update_path(moving, trace[k])
        fresh = gp.draw_path(new_ax(), trace[k], trace=poisson3, coefs=(1, 2),
                             quadratic=quadratic)
        assert_same(snapshot(moving), snapshot(fresh))
        assert f"others held at {gp_path._beta_k(k)}" in moving.label.get_text()


def test_a_new_state_evaluates_its_slice_once(poisson3: glmlearn.GLMResult,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[np.ndarray] = []
    real = gp_path.deviance_surface

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(np.asarray(kwargs["at"], float))
        return real(*args, **kwargs)

    monkeypatch.setattr(gp_path, "deviance_surface", counting)
    trace = poisson3.trace
    art = gp.draw_path(new_ax(), trace[-1], trace=poisson3)
    assert len(calls) == 1  # the box's slice is the last state's: drawn, not evaluated again
    before = [np.asarray(p.vertices).copy() for p in art.contours.get_paths()]
    art.update(trace[1])
    assert len(calls) == 2
    np.testing.assert_array_equal(calls[-1], trace[1].beta)
    after = [np.asarray(p.vertices).copy() for p in art.contours.get_paths()]
    assert len(before) != len(after) or any(
        u.shape != v.shape or not np.allclose(u, v) for u, v in zip(before, after, strict=True))
    art.update(trace[-1])
    art.update(trace[1])
    assert len(calls) == 2  # both kept


def test_two_coefficient_pictures_are_unchanged_by_coefs() -> None:
    """For p = 2, coefs=(0, 1) is the default, and the contours are still static."""
    rs = np.random.RandomState(42)
    hours = rs.uniform(1, 10, 200)
    passed = rs.binomial(1, expit(-3 + 0.8 * hours))
    res = glmlearn.fit(np.column_stack([np.ones(200), hours]), passed, "binomial",
                       column_names=["(Intercept)", "hours"])
    a = gp.draw_path(new_ax(), res.trace[2], trace=res)
    b = gp.draw_path(new_ax(), res.trace[2], trace=res, coefs=("(Intercept)", "hours"))
    assert_same(snapshot(a), snapshot(b))
    assert a.contours not in a.moving
    assert "confidence regions" in a.label.get_text()


def test_slice_update_is_quick() -> None:
    """A state's slice of a 1,000-row, 3-coefficient fit on the default 40 x 40 grid:
    evaluated the first time the state is shown (measured: about 75 ms on a loaded core),
    kept after that (about 1 ms)."""
    rng = np.random.default_rng(0)
    n = 1000
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.normal(size=n)])
    y = rng.binomial(1, expit(X @ [0.2, 1.0, -0.8]))
    res = glmlearn.fit(X, y, "binomial", start=np.zeros(3))
    art = gp.draw_path(new_ax(), res.trace[-1], trace=res, quadratic=True)
    assert art.surface.deviance.shape == (40, 40)

    def timed() -> list[float]:
        out = []
        for s in res.trace[:-1]:
            t = time.perf_counter()
            art.update(s)
            out.append(time.perf_counter() - t)
        return out

    first, again = timed(), timed()
    assert max(first) < 0.5, first
    assert max(again) < 0.05, again


def test_explorer_figure_shows_the_slice(poisson3: glmlearn.GLMResult, tmp_path: Path) -> None:
    fig, panels = gp.explorer_figure(poisson3, 2, dpi=30, panel_kw={"path": {"coefs": (1, 2)}})
    path = panels["path"]
    assert isinstance(path, gp.PathArtists) and path.coefs == (1, 2)
    FigureCanvasAgg(fig)
    frames = gp.FrameRenderer(fig, panels)
    frames.show(poisson3.trace[3])  # the slice moves in the frame, over the static picture
    assert "others held at β⁽³⁾" in path.label.get_text()
    fig.savefig(tmp_path / "explorer.png")
