r"""The two loops of a negative binomial fit: :math:`\theta` after each outer iteration.

Not a state panel: it pictures the *outer* loop of
:func:`glmlearn.fit(X, y, "negative_binomial") <glmlearn.fit>` (a
:class:`~glmlearn.NegBinResult`), each point one alternation of IRLS (for :math:`\beta`,
:math:`\theta` fixed) and a Newton search (for :math:`\theta`, :math:`\beta` fixed),
labelled with the number of IRLS iterations it took. The inner loops themselves are
ordinary traces (``result.theta_trace[k].trace``) that every state panel can show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .._negbin_fit import NegBinResult
from ._style import _C, _F, _style_axes

__all__ = ["ThetaTraceArtists", "draw_theta_trace"]


@dataclass(frozen=True, eq=False)
class ThetaTraceArtists:
    r"""Artists of :func:`draw_theta_trace`.

    Attributes
    ----------
    ax : Axes
    line : Line2D
        :math:`\theta` after each outer iteration (0: estimated at the means of the
        starting Poisson fit).
    final : Line2D
        The estimate :math:`\hat\theta` as a horizontal line.
    labels : tuple of Text
        The IRLS iterations each outer iteration took, above its point.
    """

    ax: Axes
    line: Line2D
    final: Line2D
    labels: tuple[Text, ...]


def draw_theta_trace(ax: Axes, result: NegBinResult) -> ThetaTraceArtists:
    r"""Draw :math:`\theta` against the outer iteration, each point labelled with the IRLS
    iterations of its inner loop."""
    steps = result.theta_trace
    k = np.arange(len(steps))
    theta = np.array([s.theta for s in steps])
    (final,) = ax.plot([k[0], k[-1]], [result.theta] * 2, color=_C["vermillion"], lw=1.2,
                       ls="--", label=rf"$\hat\theta$ = {result.theta:.4g}")
    (line,) = ax.plot(k, theta, "o-", color=_C["blue"], lw=1.5, ms=6,
                      label=r"$\theta$ after each outer iteration")
    labels = tuple(
        ax.annotate(f"{s.n_iter}", (i, t), xytext=(0, 7), textcoords="offset points",
                    ha="center", va="bottom", fontsize=_F.text, color=_C["black"])
        for i, (s, t) in enumerate(zip(steps, theta, strict=True)))
    _style_axes(ax, r"The outer loop: $\theta$, with each inner loop's IRLS iterations",
                "outer iteration (0: from the Poisson fit's means)", r"$\theta$", integer_x=True)
    lo, hi = float(np.min(theta)), float(np.max(theta))
    pad = 0.25 * (hi - lo) if hi > lo else 0.1 * abs(hi) + 0.1
    ax.set_ylim(lo - pad, hi + 2 * pad)  # room above the top point for its label
    ax.set_xlim(-0.5, k[-1] + 0.5)
    legend = ax.legend(loc="lower right", fontsize=_F.tick, framealpha=0.85)
    legend.set_in_layout(False)
    return ThetaTraceArtists(ax=ax, line=line, final=final, labels=labels)
