r"""The separation demo's panels: the fit, the coefficients by iteration, the deviance.

Each position of the moved failure is a new data set and a new trace, so
``artists.update(result)`` draws the three panels afresh on their axes (every artist,
the data points included, changes); it leaves them as :func:`draw_separation` draws
that result.

* the fit with earlier iterations faded (:func:`draw_fit` of the final state);
* each coefficient against the iteration (:func:`draw_coefficient_paths`): with the
  classes separated they run away instead of levelling off;
* the deviance trace (:func:`draw_deviance`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from . import OKABE_ITO, DevianceArtists, FitArtists, as_trace, draw_deviance, draw_fit
from ._style import FONT_SIZES

__all__ = ["CoefficientPathArtists", "SeparationArtists", "draw_coefficient_paths",
           "draw_separation"]


@dataclass(frozen=True, eq=False)
class CoefficientPathArtists:
    r"""Artists of the coefficient panel (from :func:`draw_coefficient_paths`).

    Attributes
    ----------
    ax : Axes
    lines : tuple of Line2D
        :math:`\beta_j^{(k)}` against :math:`k`, one line per coefficient.
    """

    ax: Axes
    lines: tuple[Line2D, ...]


def draw_coefficient_paths(ax: Axes, trace: Any) -> CoefficientPathArtists:
    r"""Draw each coefficient :math:`\beta_j^{(k)}` against the iteration :math:`k`.

    Parameters
    ----------
    ax : Axes
    trace : GLMResult or sequence of IRLSState
        States without coefficients (iteration 0 from R's starting means) are left out.

    Returns
    -------
    CoefficientPathArtists
    """
    states = [s for s in as_trace(trace) if s.beta is not None]
    k = [s.iteration for s in states]
    B = np.array([s.beta for s in states])
    colours = (OKABE_ITO["blue"], OKABE_ITO["vermillion"])
    names = states[0].problem.column_names
    lines = tuple(ax.plot(k, B[:, j], "-o", markersize=4, color=colours[j % 2],
                          label=f"β{j} ({name})")[0] for j, name in enumerate(names))
    ax.axhline(0.0, color=OKABE_ITO["black"], linewidth=0.8, alpha=0.5)
    ax.set_title("Coefficients by iteration", fontsize=FONT_SIZES.title)
    ax.set_xlabel("iteration k", fontsize=FONT_SIZES.label)
    ax.set_ylabel("β⁽ᵏ⁾", fontsize=FONT_SIZES.label)
    ax.tick_params(labelsize=FONT_SIZES.tick)
    ax.legend(fontsize=FONT_SIZES.text, loc="best", framealpha=0.8)
    return CoefficientPathArtists(ax, lines)


@dataclass(eq=False)
class SeparationArtists:
    """The three panels of the separation demo (from :func:`draw_separation`).

    Attributes
    ----------
    axes : tuple of Axes
        The fit, coefficient and deviance axes.
    fit : FitArtists
    coefficients : CoefficientPathArtists
    deviance : DevianceArtists
    """

    axes: tuple[Axes, Axes, Axes]
    fit: FitArtists
    coefficients: CoefficientPathArtists
    deviance: DevianceArtists

    def update(self, result: Any) -> None:
        """Show another fit: every panel drawn afresh on its axes (no redraw)."""
        for ax in self.axes:
            ax.clear()
        new = draw_separation(self.axes, result)
        self.fit, self.coefficients, self.deviance = new.fit, new.coefficients, new.deviance


def draw_separation(axes: Sequence[Axes], result: Any) -> SeparationArtists:
    """Draw the fit, the coefficient paths and the deviance trace of ``result``.

    Parameters
    ----------
    axes : three Axes
    result : GLMResult

    Returns
    -------
    SeparationArtists
    """
    ax_fit, ax_beta, ax_dev = axes
    final = result.final_state
    return SeparationArtists(
        (ax_fit, ax_beta, ax_dev),
        draw_fit(ax_fit, final, trace=result),
        draw_coefficient_paths(ax_beta, result),
        draw_deviance(ax_dev, final, trace=result),
    )
