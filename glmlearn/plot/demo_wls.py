r"""The WLS playground's panels: a weighted fit, and the weighted residuals that sum to zero.

The playground's problem is a Gaussian GLM with identity link and prior weights, so its
IRLS state *is* the weighted regression of theorem WLS.1: working response
:math:`z = y`, working weights :math:`w`.

* :func:`draw_wls_fit` -- the working-response panel (:func:`draw_working`: points with
  area proportional to their weight, and the weighted fit) against the unweighted fit
  (dashed, fixed);
* :func:`draw_weighted_residuals` -- the bars :math:`w_i (z_i - \eta_i)`, whose sum and
  :math:`x`-weighted sum are the two components of the state's score
  :math:`X^\top W (z - X\beta)`.

``artists.update(state)`` moves either panel to another state (another weighted fit of
the same data), leaving it as its ``draw_*`` would draw it. Both read the state's fields
only (``beta``, ``eta``, ``w``, ``z``, ``score``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .._irls import IRLSState
from . import OKABE_ITO, WorkingArtists, draw_working, update_working
from ._style import FONT_SIZES

__all__ = ["WLSFitArtists", "WeightedResidualArtists", "draw_weighted_residuals", "draw_wls_fit"]


@dataclass(frozen=True, eq=False)
class WLSFitArtists:
    """Artists of the weighted-fit panel (from :func:`draw_wls_fit`).

    Attributes
    ----------
    working : WorkingArtists
        The working-response panel of the state shown.
    ols_line : Line2D
        The unweighted fit (all weights 1), dashed; it does not move.
    """

    working: WorkingArtists
    ols_line: Line2D

    def update(self, state: IRLSState) -> None:
        """Show the weighted fit of ``state`` (no redraw)."""
        update_working(self.working, state)
        b = state.beta
        assert b is not None  # a converged fit's state
        shown = ", ".join(f"{v:.4g}" if np.isfinite(v) else "not determined" for v in b[:2])
        self.working.label.set_text(f"weighted fit: β = ({shown})")


def draw_wls_fit(ax: Axes, state: IRLSState, ols_beta: Any) -> WLSFitArtists:
    r"""Draw the weighted fit of ``state`` and, dashed, the unweighted line ``ols_beta``.

    Parameters
    ----------
    ax : Axes
    state : IRLSState
        The final state of a weighted Gaussian identity fit on the design :math:`(1, x)`.
    ols_beta : (2,) array_like
        Intercept and slope of the unweighted fit.

    Returns
    -------
    WLSFitArtists
    """
    working = draw_working(ax, state)
    ax.set_title("Weighted least squares: z = y, area ∝ weight", fontsize=FONT_SIZES.title)
    grid = np.asarray(working.grid)
    (ols_line,) = ax.plot(grid, ols_beta[0] + ols_beta[1] * grid, "--",
                          color=OKABE_ITO["black"], linewidth=1.5,
                          label="unweighted fit (all w = 1)", zorder=1)
    ax.legend(loc="lower right", fontsize=FONT_SIZES.text, framealpha=0.8)
    art = WLSFitArtists(working, ols_line)
    art.update(state)
    return art


@dataclass(frozen=True, eq=False)
class WeightedResidualArtists:
    r"""Artists of the weighted-residuals panel (from :func:`draw_weighted_residuals`).

    Attributes
    ----------
    ax : Axes
    bars : BarContainer
        One bar per observation, of height :math:`w_i (z_i - \eta_i)`.
    sums : Text
        The two components of the state's score: :math:`\sum w_i r_i` and
        :math:`\sum w_i x_i r_i`.
    """

    ax: Axes
    bars: BarContainer
    sums: Text

    def update(self, state: IRLSState) -> None:
        """Show the weighted residuals of ``state`` (no redraw)."""
        contrib = np.asarray(state.w) * (np.asarray(state.z) - np.asarray(state.eta))
        for bar, h in zip(self.bars, contrib, strict=True):
            bar.set_height(h)
        finite = np.abs(contrib[np.isfinite(contrib)])
        # NaN limits would raise: a state with no determined line has no finite residual
        top = max(float(finite.max()) if finite.size else 0.0, 1e-9) * 1.25
        self.ax.set_ylim(-top, top)
        u = state.score
        self.sums.set_text(f"Σ wᵢrᵢ = {u[0]:.2g}\nΣ wᵢxᵢrᵢ = {u[1]:.2g}")


def draw_weighted_residuals(ax: Axes, state: IRLSState, x: int = 1) -> WeightedResidualArtists:
    r"""Draw the weighted residuals :math:`w_i (z_i - \eta_i)` of ``state`` against a column.

    Parameters
    ----------
    ax : Axes
    state : IRLSState
    x : int
        The column of X the bars stand on.

    Returns
    -------
    WeightedResidualArtists
    """
    xs = np.asarray(state.problem.X[:, x])
    bars = ax.bar(xs, np.zeros_like(xs), color=OKABE_ITO["green"], width=0.6)
    ax.axhline(0.0, color=OKABE_ITO["black"], linewidth=1)
    ax.set_title("Weighted residuals wᵢ(zᵢ − xᵢᵀβ)", fontsize=FONT_SIZES.title)
    ax.set_xlabel(state.problem.column_names[x], fontsize=FONT_SIZES.label)
    ax.tick_params(labelsize=FONT_SIZES.tick)
    sums = ax.text(0.03, 0.96, "", transform=ax.transAxes, va="top", fontsize=FONT_SIZES.text)
    art = WeightedResidualArtists(ax, bars, sums)
    art.update(state)
    return art
