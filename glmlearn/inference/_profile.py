r"""Profile-likelihood intervals, and the Wald intervals they improve on.

Hold one coefficient at a value :math:`b` and refit the others (its column moves into the
offset, :math:`o + b\,x_j`): the deviance of that refit, :math:`D(b)`, is the *profile
deviance*. Its signed square root

.. math:: \tau(b) = \operatorname{sign}(b - \hat\beta_j)\sqrt{\{D(b) - D(\hat\beta)\}/\hat\phi}

is approximately standard normal, so the profile interval at level :math:`1 - \alpha` is
:math:`\{b : |\tau(b)| \le z_{1-\alpha/2}\}` (MASS's ``profile.glm`` and ``confint.glm``,
which R's ``confint`` calls for a glm; :math:`\hat\phi` is the full fit's dispersion and the
cut-off the normal quantile even when :math:`\phi` is estimated, as MASS does).

The Wald interval :math:`\hat\beta_j \pm z_{1-\alpha/2}\,\mathrm{se}_j` replaces
:math:`D(b) - D(\hat\beta)` by the quadratic
:math:`\hat\phi\,(b - \hat\beta_j)^2/\mathrm{se}_j^2`, whose curvature is read from the
:math:`X^\top W X` of the last weighted least-squares step, the one whose solution is
:math:`\hat\beta` (:math:`\mathrm{se}_j^2 = \hat\phi\,[(X^\top W X)^{-1}]_{jj}`). Where
the log-likelihood is not quadratic -- small counts, fitted probabilities near 0 or 1 --
the two differ; :func:`glmlearn.plot.draw_profile` shows both.

Each refit starts from the last one's linear predictor (MASS's ``etastart``), not from
its coefficients: with the held coefficient moved, those could put every mean at 0 or 1.

MASS finds the limits by a cubic spline through the profile on a grid of steps of
:math:`z_{\max}/5` standard errors; glmlearn walks the same grid outwards and then solves
:math:`\tau(b) = \pm z_{1-\alpha/2}` exactly (Brent's method), so its limits are the roots
MASS's spline approximates (they agree to about 1e-4 of the interval's width).
"""

from __future__ import annotations

import html
import math
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import optimize, stats

from .._arrays import Array
from ..errors import GLMInputError, GLMWarning
from ..results import GLMResult
from ._anova import InferenceWarning
from ._refit import refit

__all__ = ["ConfidenceIntervals", "Profile", "conf_int", "profile"]

_MAX_STEPS = 40


def _index(fit: GLMResult, which: Any) -> int:
    names = fit.column_names
    if isinstance(which, str):
        if which not in names:
            raise GLMInputError(f"which: {which!r} is not a coefficient (coefficients: "
                                f"{', '.join(names)})")
        j = names.index(which)
    elif isinstance(which, int | np.integer) and not isinstance(which, bool):
        j = int(which)
        if not 0 <= j < len(names):
            raise GLMInputError(f"which: index {j} is outside 0..{len(names) - 1}")
    else:
        raise GLMInputError(f"which: expected a coefficient's name or index, got {which!r}")
    if fit.aliased[j]:
        raise GLMInputError(
            f"which: coefficient {names[j]!r} is aliased (its column is a linear combination "
            "of earlier columns), so it has no estimate and no profile; drop the column and "
            "refit")
    return j


def _check_level(level: Any) -> float:
    if isinstance(level, bool) or not isinstance(level, int | float | np.floating) \
            or not 0 < level < 1:
        raise GLMInputError(f"level: must be between 0 and 1, got {level!r}")
    return float(level)


class _Profiler:
    r""":math:`\tau(b)` for one coefficient, each value a refit warm-started at the last."""

    def __init__(self, fit: GLMResult, j: int) -> None:
        self.fit, self.j = fit, j
        self.rest = [k for k in range(fit.problem.p) if k != j and not fit.aliased[k]]
        self.trouble = False
        self.reset()

    def reset(self) -> None:
        """Start the next refit from the full fit's linear predictor again."""
        self.eta: Array = np.asarray(self.fit.eta, dtype=float)

    def tau(self, b: float) -> float:
        fit, problem = self.fit, self.fit.problem
        off = np.asarray(problem.offset) + b * np.asarray(problem.X[:, self.j])
        # Warm start from the last refit's linear predictor (its means), as MASS's
        # profile.glm does with etastart: its coefficients with the new offset could put
        # every mean at 0 or 1, from where R's step rule (no halving on a rising
        # deviance) need not come back.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", GLMWarning)
            sub = refit(problem, self.rest, offset=off, eta_start=self.eta)
        self.trouble |= bool(caught)
        if sub.converged and not caught:
            self.eta = np.asarray(problem.X[:, self.rest]) @ np.asarray(sub.beta) + off
        change = (sub.deviance - fit.deviance) / fit.dispersion
        if change < -1e-3:
            raise GLMInputError(
                f"fit: holding {fit.column_names[self.j]} at {b:.6g} gives a smaller deviance "
                f"({sub.deviance:.10g} < {fit.deviance:.10g}): the fit had not converged; "
                "refit with a smaller tol or a larger max_iter")
        return math.copysign(math.sqrt(max(change, 0.0)), b - float(fit.coef[self.j]))

    def tau_or_none(self, b: float) -> float | None:
        """:meth:`tau`, or None where the refit has no valid start or deviance."""
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                t = self.tau(b)
        except GLMInputError as exc:
            if str(exc).startswith("fit:"):  # a better fit found: the fit is wrong
                raise
            return None
        return t if math.isfinite(t) else None


def _limit(prof: _Profiler, sign: int, cutoff: float, step: float) -> float:
    r"""Walk from the estimate in steps of ``step`` until :math:`|\tau|` passes ``cutoff``,
    then solve :math:`\tau = \pm` ``cutoff`` between the last two steps.

    A step to where the model has no valid fit (for a huge standard error, :math:`\eta`
    beyond what ``exp`` can take) is halved back towards the last valid point.
    """
    b0 = float(prof.fit.coef[prof.j])
    prof.reset()
    lo = b0
    for k in range(1, _MAX_STEPS + 1):
        b = lo + sign * step if k > 1 else b0 + sign * step
        t = prof.tau_or_none(b)
        for _ in range(60):
            if t is not None:
                break
            b = (lo + b) / 2
            t = prof.tau_or_none(b)
        if t is None:
            break
        if abs(t) >= cutoff:
            return float(optimize.brentq(lambda x: abs(prof.tau(x)) - cutoff, min(lo, b),
                                         max(lo, b), xtol=1e-12 * max(1.0, abs(b)),
                                         rtol=1e-12))
        lo = b
    return -math.inf if sign < 0 else math.inf


@dataclass(frozen=True, eq=False)
class Profile:
    r"""One coefficient's profile: :math:`\tau(b)` on a grid, and both intervals.

    Attributes
    ----------
    name : str
    index : int
    estimate, se, dispersion : float
        :math:`\hat\beta_j`, its standard error and :math:`\hat\phi` (final IRLS state).
    dispersion_fixed : bool
        Whether the family fixes :math:`\phi` (at 1) rather than estimating it.
    level, cutoff : float
        The confidence level and :math:`z_{1-\alpha/2}`.
    beta : ndarray
        Values :math:`b` of the coefficient, increasing.
    tau : ndarray
        The signed root :math:`\tau(b)` at each (NaN where the model has no valid fit,
        e.g. :math:`\eta` beyond what ``exp`` can take).
    wald, interval : (float, float)
        The Wald and the profile-likelihood interval (a limit is infinite when the profile
        deviance never reaches the cut-off on that side).
    """

    name: str
    index: int
    estimate: float
    se: float
    dispersion: float
    level: float
    cutoff: float
    beta: Array
    tau: Array
    wald: tuple[float, float]
    interval: tuple[float, float]
    dispersion_fixed: bool = False

    @property
    def deviance_change(self) -> Array:
        r""":math:`\{D(b) - D(\hat\beta)\}/\hat\phi = \tau(b)^2`."""
        return np.asarray(self.tau) ** 2

    @property
    def wald_quadratic(self) -> Array:
        r"""The Wald approximation :math:`(b - \hat\beta_j)^2/\mathrm{se}_j^2` on the grid."""
        return ((np.asarray(self.beta) - self.estimate) / self.se) ** 2


def _limits(fit: GLMResult, j: int, level: float) -> tuple[tuple[float, float], _Profiler]:
    _boundary_warning(fit)
    cutoff = float(stats.norm.ppf(0.5 + level / 2))
    zmax = math.sqrt(stats.chi2.ppf(1 - (1 - level) / 4, 1))  # MASS's grid: zmax / 5 steps
    step = zmax / 5 * float(fit.se[j])
    prof = _Profiler(fit, j)
    lo, hi = (_limit(prof, s, cutoff, step) for s in (-1, 1))
    for side, v in (("lower", lo), ("upper", hi)):
        if math.isinf(v):
            warnings.warn(
                f"profile of {fit.column_names[j]}: the profile deviance does not reach the "
                f"cut-off {cutoff:.4g} on the {side} side within {_MAX_STEPS * zmax / 5:.3g} "
                f"standard errors; the {side} limit is taken as {v} (the likelihood is flat "
                "that way)", InferenceWarning, stacklevel=4)
    return (lo, hi), prof


def _boundary_warning(fit: GLMResult) -> None:
    if fit.boundary or fit.separation:
        what = f"{fit.separation} separation" if fit.separation else "fitted means at the boundary"
        warnings.warn(
            f"the fit has {what}: some coefficient estimates are infinite in theory and the "
            "profile deviance may never reach its cut-off; profile limits may be infinite",
            InferenceWarning, stacklevel=4)


def profile(fit: GLMResult, which: Any, level: float = 0.95, *, n_points: int = 41
            ) -> Profile:
    r"""The profile of one coefficient: :math:`\tau(b)` on ``n_points`` values of :math:`b`
    spanning both intervals, and both intervals at ``level``.

    Raises
    ------
    GLMInputError
        An unknown or aliased coefficient, a level outside (0, 1), or a fit that had not
        converged (profiling finds a smaller deviance).
    """
    level = _check_level(level)
    j = _index(fit, which)
    (lo, hi), prof = _limits(fit, j, level)
    b0, se = float(fit.coef[j]), float(fit.se[j])
    q = float(stats.norm.ppf(0.5 + level / 2))
    wald = (b0 - q * se, b0 + q * se)
    # The grid spans both intervals, but no further than three times the profile
    # interval's reach from the estimate: a Wald interval of +-29000 for a coefficient
    # whose profile interval is (-inf, -1.75) would leave nothing to see.
    reach = max([abs(v - b0) for v in (lo, hi) if math.isfinite(v)] or [q * se])
    ends = [min(max(v, b0 - 3 * reach), b0 + 3 * reach) for v in (lo, hi, *wald)]
    left, right = min(ends), max(ends)
    pad = 0.15 * (right - left)
    grid = np.union1d(np.linspace(left - pad, right + pad, int(n_points)), [b0])
    values = []
    for side in (grid[grid >= b0], grid[grid < b0][::-1]):
        prof.reset()
        t = [prof.tau_or_none(float(b)) for b in side]
        values.append([math.nan if v is None else v for v in t])
    tau = np.array(values[1][::-1] + values[0])
    return Profile(fit.column_names[j], j, b0, se, float(fit.dispersion), level, q, grid,
                   tau, wald, (lo, hi), bool(fit.family.dispersion_fixed))


# --- intervals, named --------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class ConfidenceIntervals:
    """Confidence intervals named by coefficient.

    Array-like: ``np.asarray(ci)`` is the ``(p, 2)`` array of (lower, upper) limits, and
    ``ci[:, 0]``, ``ci.shape`` work as on it; ``ci["ldose"]`` is one coefficient's
    interval. Prints as R prints ``confint``; ``to_frame()`` has R's column names
    (``2.5 %``, ``97.5 %``).
    """

    names: tuple[str, ...]
    lower: Array
    upper: Array
    level: float
    method: str

    def __array__(self, dtype: Any = None, copy: Any = None) -> Array:
        a = np.column_stack([self.lower, self.upper])
        return a if dtype is None else a.astype(dtype)

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.names), 2)

    def __len__(self) -> int:
        return len(self.names)

    def __iter__(self) -> Iterator[Array]:
        return iter(np.asarray(self))

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            if key not in self.names:
                raise KeyError(f"{key!r}: the coefficients are {', '.join(self.names)}")
            j = self.names.index(key)
            return np.array([self.lower[j], self.upper[j]])
        return np.asarray(self)[key]

    @property
    def columns(self) -> tuple[str, str]:
        """R's column names, e.g. ``("2.5 %", "97.5 %")``."""
        a = (1 - self.level) / 2
        return tuple(f"{_pct(100 * x)} %" for x in (a, 1 - a))  # type: ignore[return-value]

    def to_frame(self) -> Any:
        """A pandas DataFrame indexed by coefficient, with R's column names."""
        import pandas as pd

        return pd.DataFrame(np.asarray(self), index=list(self.names), columns=list(self.columns))

    def __str__(self) -> str:
        w = max(len(n) for n in self.names)
        lines = [f"{'':<{w}}  {self.columns[0]:>12}  {self.columns[1]:>12}   ({self.method})"]
        for n, lo, hi in zip(self.names, self.lower, self.upper, strict=True):
            lines.append(f"{n:<{w}}  {lo:>12.6g}  {hi:>12.6g}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in ("", *self.columns))
        body = "".join(f"<tr><th>{html.escape(n)}</th><td>{lo:.6g}</td><td>{hi:.6g}</td></tr>"
                       for n, lo, hi in zip(self.names, self.lower, self.upper, strict=True))
        return (f"<div class='glmlearn-table'><p>{html.escape(self.method)} intervals, level "
                f"{self.level:g}</p><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
                "</table></div>")


def _pct(x: float) -> str:
    r = round(x, 1)
    return f"{r:g}"


def conf_int(fit: GLMResult, level: float = 0.95, method: str = "wald",
             which: Sequence[Any] | None = None) -> ConfidenceIntervals:
    r"""Confidence intervals for the coefficients.

    Parameters
    ----------
    level : float
    method : {"wald", "profile"}
        ``"wald"``: :math:`\hat\beta_j \pm z_{1-\alpha/2}\,\mathrm{se}_j`, normal quantiles
        (R's ``confint.default``). ``"profile"``: profile-likelihood limits (R's
        ``confint`` on a glm, MASS's method; see the module docstring).
    which : sequence of names or indices, optional
        Only these coefficients (profiling each takes a few dozen refits).

    Aliased coefficients have NaN limits, as R gives NA (the fit is flagged
    ``rank_deficient``); naming one in ``which`` with ``method="profile"`` is an error.
    """
    level = _check_level(level)
    if method not in ("wald", "profile"):
        raise GLMInputError(f"method: must be 'wald' or 'profile', got {method!r}")
    idx = list(range(fit.problem.p)) if which is None else [
        fit.column_names.index(w) if isinstance(w, str) and w in fit.column_names else w
        for w in which]
    names = tuple(fit.column_names[_checked_index(fit, j)] for j in idx)
    coef, se = np.asarray(fit.coef)[idx], np.asarray(fit.se)[idx]
    q = stats.norm.ppf(0.5 + level / 2)
    if method == "wald":
        return ConfidenceIntervals(names, coef - q * se, coef + q * se, level, "Wald")
    lower, upper = np.full(len(idx), np.nan), np.full(len(idx), np.nan)
    for k, j in enumerate(idx):
        if fit.aliased[j] and which is None:
            continue
        (lower[k], upper[k]), _ = _limits(fit, _index(fit, j), level)
    return ConfidenceIntervals(names, lower, upper, level, "profile likelihood")


def _checked_index(fit: GLMResult, j: Any) -> int:
    if isinstance(j, str):
        raise GLMInputError(f"which: {j!r} is not a coefficient (coefficients: "
                            f"{', '.join(fit.column_names)})")
    if not isinstance(j, int | np.integer) or not 0 <= int(j) < fit.problem.p:
        raise GLMInputError(f"which: index {j!r} is outside 0..{fit.problem.p - 1}")
    return int(j)
