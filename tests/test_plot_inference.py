"""The inference pictures: the profile panel and the four model-check panels draw what the
inference objects hold, and nothing covers anything (measured on the rendered figure)."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from scipy import stats as scipy_stats

import glmlearn
import glmlearn.datasets
from glmlearn import GLMInputError
from glmlearn.plot import draw_profile

DEAD = np.array([1, 4, 9, 13, 18, 20, 0, 2, 6, 10, 12, 16], dtype=float)
LDOSE = np.tile(np.arange(6.0), 2)
MALE = np.repeat([1.0, 0.0], 6)


def _budworm() -> glmlearn.GLMResult:
    X = np.column_stack([np.ones(12), MALE, LDOSE, MALE * LDOSE])
    return glmlearn.fit(X, np.column_stack([DEAD, 20 - DEAD]), "binomial",
                        column_names=["(Intercept)", "sexM", "ldose", "sexM:ldose"])


def _render(fig: plt.Figure) -> object:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def _inside(box: object, fig: plt.Figure) -> bool:
    f = fig.bbox
    return (box.x0 >= f.x0 - 1 and box.x1 <= f.x1 + 1 and box.y0 >= f.y0 - 1
            and box.y1 <= f.y1 + 1)


def _drawn_texts(fig: plt.Figure) -> list[matplotlib.text.Text]:
    """Every text drawn: titles, labels, legend rows, and the tick labels of the ticks in
    view (matplotlib keeps labels of ticks outside the limits, undrawn)."""
    ticks = {id(x) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
             for t in axis.get_major_ticks() + axis.get_minor_ticks() for x in (t.label1, t.label2)}
    drawn = [x for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
             for t in axis._update_ticks() for x in (t.label1, t.label2)]
    return [t for t in [*fig.findobj(matplotlib.text.Text), *drawn]
            if t.get_visible() and t.get_text() and (id(t) not in ticks or t in drawn)]


@pytest.mark.parametrize("scale", ["deviance", "signed_root"])
def test_profile_panel_draws_the_profile_and_both_intervals(scale: str, tmp_path) -> None:
    prof = _budworm().profile("(Intercept)")
    fig, ax = plt.subplots(figsize=(9, 4), layout="constrained")
    art = draw_profile(ax, prof, scale=scale)
    np.testing.assert_array_equal(art.profile.get_xdata(), prof.beta)
    expect = prof.tau**2 if scale == "deviance" else prof.tau
    np.testing.assert_allclose(art.profile.get_ydata(), expect)
    wald = (prof.beta - prof.estimate) / prof.se
    np.testing.assert_allclose(art.wald.get_ydata(), wald**2 if scale == "deviance" else wald)
    np.testing.assert_allclose(art.profile_interval.get_xdata(), prof.interval)
    np.testing.assert_allclose(art.wald_interval.get_xdata(), prof.wald)
    texts = [t.get_text() for t in art.legend.get_texts()]
    assert f"profile interval [{prof.interval[0]:.4g}, {prof.interval[1]:.4g}]" in texts
    # the curvature is the last WLS step's (the state before the final one), as
    # explain("se") says; a binomial fit divides by its fixed phi, not an estimate
    assert any(t.endswith("(XᵀWX, last WLS step)") for t in texts)
    assert not any("final state" in t for t in texts)
    if scale == "deviance":
        assert ax.get_ylabel() == "deviance change  (D(b) − D(β̂)) / φ"
    r = _render(fig)
    fig.savefig(tmp_path / f"profile_{scale}.png")
    # the legend is beside the axes: it covers no curve, bar or marker, and fits the figure
    legend_box = art.legend.get_window_extent(r)
    assert not legend_box.overlaps(ax.get_window_extent(r))
    assert _inside(legend_box, fig)
    for t in _drawn_texts(fig):
        assert _inside(t.get_window_extent(r), fig), t.get_text()
    # both curves cross the cut-off inside the view, where the intervals end
    lo, hi = ax.get_xlim()
    assert lo < min(prof.interval[0], prof.wald[0]) and hi > max(prof.interval[1], prof.wald[1])
    plt.close(fig)


def test_profile_panel_with_an_open_interval() -> None:
    X = np.column_stack([np.ones(6), [1, 1, 1, 0, 0, 0.0]])
    with pytest.warns(glmlearn.InfiniteEstimateWarning, match=r"has a count of 0"):
        fit = glmlearn.fit(X, [0, 0, 0, 3, 5, 4], "poisson", column_names=["(Intercept)", "zero"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", glmlearn.inference.InferenceWarning)
        prof = fit.profile("zero")
    assert prof.interval[0] == -np.inf
    fig, ax = plt.subplots(figsize=(9, 4), layout="constrained")
    art = draw_profile(ax, prof)
    # the open end runs to the edge of the view, unmarked; the finite end is marked
    assert art.profile_interval.get_xdata()[0] == ax.get_xlim()[0]
    assert list(art.profile_interval.get_markevery()) == [1]
    assert "profile interval [−∞, " in " ".join(t.get_text() for t in art.legend.get_texts())
    plt.close(fig)
    with pytest.raises(GLMInputError, match=r"^scale: must be 'deviance' or 'signed_root'"):
        draw_profile(ax, prof, scale="log")  # type: ignore[arg-type]


# --- the model-check plots -------------------------------------------------------------------

def _ships() -> glmlearn.GLMResult:
    ds = glmlearn.datasets.load("ships")
    keep = np.asarray(ds["service"]) > 0

    def dummies(v: object) -> np.ndarray:
        v = np.asarray(v)[keep]
        levels = sorted(set(v.tolist()))
        return np.column_stack([(v == lv).astype(float) for lv in levels[1:]])

    X = np.column_stack([np.ones(keep.sum()), dummies(ds["type"]), dummies(ds["year"]),
                         dummies(ds["period"])])
    return glmlearn.fit(X, np.asarray(ds["incidents"])[keep], "poisson",
                        offset=np.log(np.asarray(ds["service"])[keep]))


@pytest.mark.parametrize("make, residuals", [(_ships, "pearson"), (_budworm, "deviance")])
def test_modelcheck_panels_show_the_influence_measures(make, residuals, tmp_path) -> None:
    from glmlearn.plot import modelcheck_figure

    fit = make()
    infl = fit.influence()
    art = modelcheck_figure(fit, residuals=residuals)
    std = infl.rstandard_pearson if residuals == "pearson" else infl.rstandard
    rf, qq, sl, lev = art.panels
    np.testing.assert_allclose(rf.points.get_offsets(), np.column_stack([infl.eta,
                                                                         infl.resid_pearson]))
    np.testing.assert_allclose(np.sort(qq.points.get_offsets()[:, 1]), np.sort(std))
    np.testing.assert_allclose(sl.points.get_offsets()[:, 1], np.sqrt(np.abs(std)))
    np.testing.assert_allclose(lev.points.get_offsets(), np.column_stack([infl.hat, std]))
    # R's id.n = 3: the largest |residual|, and on the leverage panel the largest Cook's D
    top = lambda v: set(np.argsort(-np.abs(v))[:3].tolist())  # noqa: E731
    assert set(rf.labelled) == top(infl.resid_pearson)
    assert set(qq.labelled) == top(std) and set(sl.labelled) == top(std)
    assert set(lev.labelled) == top(infl.cooks_distance)
    # ... and the leverage panel's title says so (its numbers are not the largest residuals)
    assert lev.ax.get_title() == "Residuals vs Leverage (numbered: top 3 Cook's D)"
    assert rf.ax.get_title() == "Residuals vs Fitted"
    assert rf.ax.get_legend() is None and qq.ax.get_legend() is None
    for panel in art.panels:
        for row, text in panel.labelled.items():
            assert text.get_text() == str(row)
    # Q-Q: R's ppoints against the sorted residuals, the line through the quartiles
    n = len(std)
    a = 3 / 8 if n <= 10 else 0.5
    q = qq.points.get_offsets()
    order = np.argsort(q[:, 0])
    np.testing.assert_allclose(q[order, 0], scipy_stats.norm.ppf((np.arange(1, n + 1) - a)
                                                                 / (n + 1 - 2 * a)))
    fig = art.fig
    r = _render(fig)
    fig.savefig(tmp_path / "modelcheck.png")
    radius = 4.5 * fig.dpi / 72.0
    for panel in art.panels:
        pts = panel.ax.transData.transform(panel.points.get_offsets())
        ax_box = panel.ax.get_window_extent(r)
        covers = [*panel.labelled.values()]
        legend = panel.ax.get_legend()
        if legend is not None:
            covers.append(legend)
        for c in covers:
            box = c.get_window_extent(r)
            hidden = ((pts[:, 0] >= box.x0 - radius) & (pts[:, 0] <= box.x1 + radius)
                      & (pts[:, 1] >= box.y0 - radius) & (pts[:, 1] <= box.y1 + radius))
            assert not hidden.any(), (panel.ax.get_title(), "marker under", c)
            assert (box.x0 >= ax_box.x0 - 1 and box.x1 <= ax_box.x1 + 1
                    and box.y0 >= ax_box.y0 - 1 and box.y1 <= ax_box.y1 + 1)
        for i, a_ in enumerate(covers):
            for b_ in covers[i + 1:]:
                assert not a_.get_window_extent(r).overlaps(b_.get_window_extent(r))
    for t in _drawn_texts(fig):
        assert _inside(t.get_window_extent(r), fig), t.get_text()


def test_modelcheck_refuses_bad_input() -> None:
    from glmlearn.plot import draw_qq, modelcheck_figure

    fit = _budworm()
    with pytest.raises(GLMInputError, match=r"^residuals: must be 'pearson' or 'deviance', "
                       r"got 'working'"):
        modelcheck_figure(fit, residuals="working")  # type: ignore[arg-type]
    with pytest.raises(GLMInputError, match=r"^labels: 2 labels given for 12 rows"):
        modelcheck_figure(fit, labels=["a", "b"])
    fig, ax = plt.subplots()
    with pytest.raises(GLMInputError, match=r"^fit: expected a GLMResult or its influence\(\), "
                       r"got ndarray"):
        draw_qq(ax, np.ones(3))
    plt.close(fig)


def test_leverage_panel_keeps_contour_levels_beside_row_labels() -> None:
    """Challenger: row 1 is labelled "1", like the Cook's distance 1 contour; both stay."""
    from glmlearn.plot import draw_residuals_leverage

    ch = glmlearn.datasets.load("challenger")
    X = np.column_stack([np.ones(23), ch["temperature"].astype(float)])
    fit = glmlearn.fit(X, ch["damage"], "binomial")
    fig, ax = plt.subplots(figsize=(7, 4.5))
    panel = draw_residuals_leverage(ax, fit)
    assert sorted(panel.labelled) == [1, 10, 20]
    labels = list(panel.labelled.values())
    levels = [t.get_text() for t in ax.texts if t not in labels]
    # the contour levels in view, both kept; no label left over from trying positions
    assert sorted(levels) == ["0.5", "1"]
    assert sorted(t.get_text() for t in labels) == ["1", "10", "20"]
    r = _render(fig)
    legend = ax.get_legend().get_window_extent(r)
    for t in ax.texts:
        assert not legend.overlaps(t.get_window_extent(r)), t.get_text()
    plt.close(fig)


def test_profile_picture_of_an_estimated_dispersion_says_phi_hat() -> None:
    X = np.column_stack([np.ones(9), np.log([5.0, 10, 15, 20, 30, 40, 60, 80, 100])])
    y = np.array([118.0, 58, 42, 35, 27, 25, 21, 19, 18])  # McCullagh & Nelder's clotting, lot 1
    fit = glmlearn.fit(X, y, "gamma", column_names=["(Intercept)", "log(u)"])
    prof = fit.profile("log(u)")
    assert not prof.dispersion_fixed
    fig, ax = plt.subplots()
    draw_profile(ax, prof)
    assert ax.get_ylabel() == "deviance change  (D(b) − D(β̂)) / φ̂"
    plt.close(fig)


def test_leverage_panel_without_numbers_has_no_numbering_note() -> None:
    from glmlearn.plot import draw_residuals_leverage

    fig, ax = plt.subplots(figsize=(7, 4.5))
    draw_residuals_leverage(ax, _budworm(), id_n=0)
    assert ax.get_title() == "Residuals vs Leverage"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Cook's distance"]
    plt.close(fig)
