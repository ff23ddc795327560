r"""The profile picture: why a profile-likelihood interval differs from a Wald interval.

One coefficient :math:`\beta_j` on the x-axis. The solid curve is the profile deviance
:math:`\{D(b) - D(\hat\beta)\}/\hat\phi` (:math:`/\phi` when the family fixes
:math:`\phi = 1`; each point a refit with :math:`\beta_j = b`,
computed by :func:`glmlearn.inference.profile`); the dashed curve is the quadratic the
Wald interval assumes, :math:`(b - \hat\beta_j)^2/\mathrm{se}_j^2`, its curvature read
from the :math:`X^\top W X` of the last weighted least-squares step (the weights of the
state before the final one, whose solution is :math:`\hat\beta`). Both intervals are where a curve crosses
the cut-off :math:`z_{1-\alpha/2}^2` (dotted); they are marked below the curves, the
profile one above the Wald one. With ``scale="signed_root"`` the y-axis is
:math:`\tau(b)` and the Wald curve is the straight line :math:`(b - \hat\beta_j)/\mathrm{se}_j`.

The picture reads a :class:`~glmlearn.inference.Profile`; it computes nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.legend import Legend
from matplotlib.lines import Line2D

from ._style import _C, _F, _style_axes

__all__ = ["ProfileArtists", "draw_profile"]


@dataclass(frozen=True, eq=False)
class ProfileArtists:
    """The artists of :func:`draw_profile` (a static picture: nothing moves)."""

    ax: Axes
    profile: Line2D
    wald: Line2D
    cutoff: Line2D
    profile_interval: Line2D
    wald_interval: Line2D
    estimate: Line2D
    legend: Legend | None


def _fmt(v: float) -> str:
    return "−∞" if v == -math.inf else "∞" if v == math.inf else f"{v:.4g}"


def draw_profile(ax: Axes, prof: Any, *, scale: Literal["deviance", "signed_root"] = "deviance",
                 legend: bool = True) -> ProfileArtists:
    """Draw one coefficient's profile (a :class:`~glmlearn.inference.Profile`, from
    ``result.profile(name)``) beside its Wald approximation, both intervals marked."""
    if scale not in ("deviance", "signed_root"):
        from ..errors import GLMInputError

        raise GLMInputError(f"scale: must be 'deviance' or 'signed_root', got {scale!r}")
    b = np.asarray(prof.beta)
    wald_z = (b - prof.estimate) / prof.se
    if scale == "deviance":
        y_prof, y_wald = np.asarray(prof.tau) ** 2, wald_z**2
        cut = prof.cutoff**2
        phi = "φ" if getattr(prof, "dispersion_fixed", False) else "φ̂"
        ylabel = f"deviance change  (D(b) − D(β̂)) / {phi}"
        top = 1.35 * cut
        bottom = -0.32 * cut
        bars = (-0.11 * cut, -0.23 * cut)
    else:
        y_prof, y_wald = np.asarray(prof.tau), wald_z
        cut = prof.cutoff
        ylabel = "signed root  τ(b)"
        top, bottom = 1.5 * cut, -1.5 * cut
        bars = (-1.14 * cut, -1.32 * cut)
    xlo, xhi = float(b.min()), float(b.max())
    (line_p,) = ax.plot(b, y_prof, color=_C["blue"], lw=2.2,
                        label="profile deviance (refits)" if scale == "deviance"
                        else "profile signed root (refits)")
    (line_w,) = ax.plot(b, y_wald, color=_C["vermillion"], lw=1.8, ls="--",
                        label="Wald quadratic (XᵀWX, last WLS step)"
                        if scale == "deviance" else "Wald line (XᵀWX, last WLS step)")
    pct = f"{100 * prof.level:g}%"
    (line_c,) = ax.plot([xlo, xhi], [cut, cut], color=_C["black"], lw=1.0, ls=":",
                        label=f"cut-off z² = {cut:.3g} ({pct})" if scale == "deviance"
                        else f"cut-off z = {cut:.3g} ({pct})")
    if scale == "signed_root":
        ax.plot([xlo, xhi], [-cut, -cut], color=_C["black"], lw=1.0, ls=":")

    def bar(lims: tuple[float, float], y: float, color: str, what: str) -> Line2D:
        lo = max(lims[0], xlo) if math.isfinite(lims[0]) else xlo
        hi = min(lims[1], xhi) if math.isfinite(lims[1]) else xhi
        # an end is marked only where it is in view (an infinite or far-off limit is not)
        marks = [0 if xlo <= lims[0] <= xhi else None, 1 if xlo <= lims[1] <= xhi else None]
        (line,) = ax.plot([lo, hi], [y, y], color=color, lw=3, solid_capstyle="butt",
                          marker="|", markersize=12, markeredgewidth=2,
                          markevery=[m for m in marks if m is not None],
                          label=f"{what} [{_fmt(lims[0])}, {_fmt(lims[1])}]")
        return line

    bar_p = bar(prof.interval, bars[0], _C["blue"], "profile interval")
    bar_w = bar(prof.wald, bars[1], _C["vermillion"], "Wald interval")
    (est,) = ax.plot([prof.estimate], [0.0], "o", color=_C["black"], markersize=6,
                     label=f"estimate β̂ = {prof.estimate:.4g}")
    ax.set_xlim(xlo, xhi)
    ax.set_ylim(bottom, top)
    _style_axes(ax, f"Profile of {prof.name}", prof.name, ylabel)
    leg = None
    if legend:
        # Beside the axes, outside: six entries inside would cover the curves where they
        # cross the cut-off, which is what the picture is about.
        leg = ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=_F.tick,
                        frameon=False, borderaxespad=0.0)
    return ProfileArtists(ax, line_p, line_w, line_c, bar_p, bar_w, est, leg)

