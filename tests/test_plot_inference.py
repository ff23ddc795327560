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

import glmlearn
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
