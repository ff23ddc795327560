r"""Theorems you can check: WLS.1 and WLS.3 at every step, and the facts around them.

Every ``check_*`` function reads the fields of one :class:`~glmlearn.IRLSState`
(or the last state of a :class:`~glmlearn.results.GLMResult`) and returns one
:class:`CheckResult`: the statement, the quantity that should vanish, its size, the
tolerance actually used, how that tolerance was scaled, and whether the statement
holds. A result is truthy exactly when the statement holds, so a lesson can write
``assert check_wls3(res)``; it prints as one line and shows as a small table in a
notebook. :func:`check_trace` runs a per-state check along a whole trace and returns a
:class:`TraceCheck` of per-iteration arrays, ready to plot. Nothing here refits: the
quantities are computed from the fields the core stored (``X, y, w, z, eta, mu,
beta, beta_next``, the prior weights, the offset and the family).

Notation
--------
For one state: :math:`o` is the offset, :math:`w^{\text{p}}` the prior weights,
:math:`\mu'(\eta) = d\mu/d\eta`, :math:`V` the variance function,
:math:`W = \operatorname{diag}(w)` the working weights
:math:`w = w^{\text{p}} \mu'(\eta)^2 / V(\mu) = w^{\text{p}} / (V(\mu)\, g'(\mu)^2)`
(a vector: no :math:`n \times n` matrix is ever formed), and
:math:`z = \eta + (y - \mu)\, g'(\mu)` the working response (offset included).

The statements
--------------
**WLS.1** (weighted residual orthogonality). The solution :math:`\beta^{\text{next}}` of
the state's weighted least-squares problem satisfies the weighted normal equations

.. math:: X^\top W (z - o - X\beta^{\text{next}}) = 0 .

With equal weights this is the OLS normal equation :math:`X^\top (y - X\beta) = 0`.

**WLS.3** (score equations at convergence). At the maximum-likelihood estimate the score

.. math:: U(\beta) = X^\top \operatorname{diag}\!\big(w^{\text{p}}\mu'(\eta)/V(\mu)\big)\,(y - \mu)

vanishes (``form="general"``, every link). For the canonical link
:math:`\mu'(\eta) = V(\mu)` and it reads :math:`X^\top W^{\text{p}} (y - \mu) = 0`
(``form="canonical"``); for other links that canonical form does *not* vanish.

**Fisher scoring.** Since :math:`z - o - X\beta = (y - \mu)/\mu'` and
:math:`w = w^{\text{p}}\mu'^2/V`, :math:`X^\top W (z - o - X\beta) = U(\beta)`: at the
current :math:`\beta` the weighted normal equations' right-hand side is the score, so the
IRLS step is

.. math:: \beta^{\text{next}} - \beta = \mathcal I(\beta)^{-1} U(\beta), \qquad
          \mathcal I = X^\top \operatorname{diag}\!\big(w^{\text{p}} \mu'(\eta)^2 / V(\mu)\big) X ,

Fisher scoring with the expected information :math:`\mathcal I`.

**Newton-Raphson.** The observed information is
:math:`\mathcal J = -\partial U / \partial\beta^\top = \mathcal I -
X^\top \operatorname{diag}\!\big(w^{\text{p}} (y - \mu)\, \tfrac{d}{d\eta}[\mu'/V]\big) X`.
For a canonical link :math:`\mu'/V \equiv 1`, so :math:`\mathcal J = \mathcal I` and IRLS *is*
Newton-Raphson (hence its quadratic convergence); for other links the two steps differ.

**Gaussian, identity link.** :math:`w = w^{\text{p}}` and :math:`z = y`, so the first WLS
step is ordinary (prior-weighted) least squares and IRLS stays there.

Tolerances (relative to the size of the problem)
------------------------------------------------
Each check compares a *size* with ``tol = rtol * scale (+ floor)`` (``holds`` is
``size <= tol``), the scale being the size of the terms that cancel (for WLS.3, the
deviance), so the verdict does not depend on the units of the data (apart from R's
``+ 0.1``):

* **WLS.1** -- size :math:`\max_j |[X^\top W r]_j|`, scale
  :math:`\max_j \sum_i |x_{ij}|\, w_i\, (|z_i - o_i| + \sum_k |x_{ik}\beta^{\text{next}}_k|)`,
  rtol 1e-8.
* **WLS.3** -- size :math:`u^\top M^{-1} u` for the score vector
  :math:`u = X^\top \operatorname{diag}(c)(y - \mu)` of the form checked, with its information
  :math:`M = X^\top \operatorname{diag}(c^2 V / w^{\text{p}}) X` (:math:`= X^\top W X` for
  the general form), scale :math:`|D| + 0.1` (R's convergence yardstick) plus a rounding
  floor, rtol 1e-7.
* **Fisher scoring** -- size :math:`\max_j |(\beta^{\text{next}} - \beta) - \mathcal I^{-1}U|_j`,
  scale :math:`\max(\lVert\beta\rVert_\infty, \lVert\beta^{\text{next}}\rVert_\infty)`, rtol 1e-8,
  plus the rounding floor :math:`10\,\varepsilon\,\kappa_1(\mathcal I)` times the scale.
* **Newton-Raphson** -- the same with :math:`\mathcal J`, rtol 1e-6, floor
  :math:`\varepsilon^{2/3}\kappa_1(\mathcal J)` times the scale (finite differences).
* **working weights** -- each weight relative to itself,
  :math:`\max_i |w_i - \tilde w_i| / \tilde w_i` beyond the rounding of :math:`\mu`,
  scale 1, rtol 1e-8.
* **gaussian one step** -- size :math:`\max_k \lVert\beta^{(k)} - \hat\beta_{\text{OLS}}\rVert_\infty`,
  scale :math:`\lVert\hat\beta_{\text{OLS}}\rVert_\infty`, rtol 1e-8, plus the same floor
  as Fisher scoring.

Why WLS.3 is measured by :math:`U^\top (X^\top W X)^{-1} U`: to second order this is the
deviance a further Fisher-scoring step would still remove (:math:`D(\beta) - D(\hat\beta)`),
so comparing it with ``rtol * (|D| + 0.1)`` asks "is the score zero to the precision the
fit was asked for?" in R's own units. The plain max-abs score is too crude for that: IRLS
stops on the *deviance*, which is quadratic in the error, so a correctly converged fit
with a non-canonical link (linear convergence) can keep a score of relative size 1e-8 to
1e-5 (cauchit), while the canonical-form score of that fit is only 1e-4 to 1e-2 -- too
close to separate. Relative to :math:`|D| + 0.1` the same fits give about 1e-12 to 2e-10
(general form) against 1e-4 and more (canonical form), on the seed lesson's data.
``max|U|`` is still reported (:attr:`CheckResult.max_abs`). The default rtol is ten times
R's 1e-8 because R's criterion bounds the *last* change of the deviance: with linear
convergence at rate :math:`\rho` the change still to come is
:math:`\rho^2/(1-\rho^2)` times that, up to 10 for :math:`\rho \le 0.95`. Slower fits
(some identity-link inverse Gaussian and cauchit fits, about 1 random problem in 100 in
the tests) can exceed it: the check then rightly says the score has not vanished to that
precision; fit again with a smaller ``tol=`` to see it vanish.

Not applicable
--------------
State 0 of a fit started from R's starting means has no coefficients (``beta is None``).
The checks that need :math:`\beta` (Fisher scoring, Newton-Raphson) then return a
:class:`CheckResult` with ``applicable=False`` (and ``holds=False``, so it is falsy and an
``assert`` never passes by accident) and a note saying why; they do not raise, so
:func:`check_trace` can run them along a whole trace. WLS.1, WLS.3 and the working-weight
check use only :math:`\mu, w, z, \beta^{\text{next}}` and work on state 0 too.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from scipy import linalg as sla

from ._arrays import Array
from ._irls import IRLSState
from .errors import GLMInputError
from .problem import GLMProblem
from .results import GLMResult

Mask = NDArray[np.bool_]

__all__ = [
    "CheckResult",
    "ConvergenceOrder",
    "TraceCheck",
    "check_fisher_scoring",
    "check_gaussian_one_step",
    "check_newton_raphson",
    "check_trace",
    "check_wls1",
    "check_wls1_problem",
    "check_wls3",
    "check_working_weights",
    "convergence_order",
]

_EPS = float(np.finfo(float).eps)

WLS1_STATEMENT = "weighted residual orthogonality: X'W(z − o − Xβ_next) = 0 at the WLS solution"
WLS3_CANONICAL = "score equations at convergence, canonical form: X' diag(w_prior) (y − μ) = 0"
WLS3_GENERAL = "score equations at convergence: U = X' diag(w_prior μ'(η)/V(μ)) (y − μ) = 0"


# --- the result objects -------------------------------------------------------------------

def _readonly(a: Any) -> Array:
    out = np.array(a, dtype=float)
    out.setflags(write=False)
    return out


def _fmt(x: float) -> str:
    return "nan" if math.isnan(x) else f"{x:.3g}"


def _fmt_array(a: Array, limit: int = 8) -> str:
    flat = np.ravel(a)
    body = ", ".join(f"{v:.3g}" for v in flat[:limit])
    more = f", … ({flat.size} values)" if flat.size > limit else ""
    shape = f" shape {a.shape}" if a.ndim > 1 else ""
    return f"[{body}{more}]{shape}"


@dataclass(frozen=True, eq=False)
class CheckResult:
    r"""The outcome of checking one statement on one state.

    Truthy exactly when the statement holds (``bool(r) == r.holds``); prints as one
    line; shows as a small HTML table in a notebook.

    Attributes
    ----------
    name : str
        Short name, e.g. ``"WLS.1"``, ``"WLS.3 (general)"``, ``"Fisher scoring"``.
    statement : str
        The statement in words and formula.
    quantity : ndarray
        What should vanish (e.g. the score vector); NaN entries for aliased columns.
    quantity_label : str
        The quantity as a formula.
    size : float
        The measured size compared with ``tol`` (see ``size_label``).
    size_label : str
        How ``size`` is measured (``"max|·|"`` or a norm).
    tol : float
        The tolerance actually used, ``rtol * scale + floor``.
    rtol : float
        The relative tolerance.
    scale : float
        The size of the problem that ``rtol`` multiplies.
    scaling : str
        The formula of ``scale``.
    floor : float
        The rounding error the computation itself can carry (0 for most checks; see
        each check's Notes), added so that ill-conditioned but correct fits pass.
    holds : bool
        ``size <= tol`` (always False when not applicable).
    iteration : int or None
        The IRLS iteration the state belongs to.
    applicable : bool
        False when the statement cannot be checked on this state (see ``note``).
    note : str
        Context: why not applicable, non-canonical link, not converged...
    """

    name: str
    statement: str
    quantity: Array = field(repr=False)
    quantity_label: str
    size: float
    size_label: str
    tol: float
    rtol: float
    scale: float
    scaling: str
    holds: bool
    iteration: int | None = None
    applicable: bool = True
    note: str = ""
    floor: float = 0.0

    def __bool__(self) -> bool:
        return bool(self.holds)

    @property
    def relative(self) -> float:
        """``size / scale``: the size relative to the problem (compare with ``rtol``)."""
        if not self.applicable or math.isnan(self.size):
            return math.nan
        return self.size / self.scale if self.scale > 0 else (0.0 if self.size == 0 else math.inf)

    @property
    def max_abs(self) -> float:
        """:math:`\\max |\\cdot|` of the quantity (NaN entries ignored)."""
        q = np.asarray(self.quantity)
        if q.size == 0 or np.all(np.isnan(q)):
            return math.nan
        return float(np.nanmax(np.abs(q)))

    @property
    def verdict(self) -> str:
        """``"holds"``, ``"does NOT hold"`` or ``"not applicable"``."""
        if not self.applicable:
            return "not applicable"
        return "holds" if self.holds else "does NOT hold"

    def __str__(self) -> str:
        where = "" if self.iteration is None else f" at iteration {self.iteration}"
        head = f"{self.name} {self.verdict}{where}"
        if not self.applicable:
            return f"{head}: {self.note}"
        cmp = "≤" if self.holds else ">"
        text = (f"{head}: {self.size_label} = {_fmt(self.size)} {cmp} tol {_fmt(self.tol)} "
                f"= {self.rtol:.0e} × {_fmt(self.scale)} [{self.scaling}]{self._floor_text()}; "
                f"relative size {_fmt(self.relative)}")
        return f"{text} — {self.note}" if self.note else text

    def _floor_text(self) -> str:
        # Only worth a mention when it is a visible part of the tolerance.
        return f" + rounding floor {_fmt(self.floor)}" if self.floor > 0.01 * self.tol else ""

    def __repr__(self) -> str:
        return f"<CheckResult {self}>"

    def _repr_html_(self) -> str:
        e = html.escape
        mark = {"holds": "✓ holds", "does NOT hold": "✗ does NOT hold",
                "not applicable": "– not applicable"}[self.verdict]
        rows = [("Statement", e(self.statement))]
        if self.iteration is not None:
            rows.append(("Iteration", str(self.iteration)))
        if self.applicable:
            rows += [
                ("Quantity", f"{e(self.quantity_label)} = {e(_fmt_array(self.quantity))}"),
                ("Size", f"{e(self.size_label)} = {_fmt(self.size)}"),
                ("Tolerance", f"{_fmt(self.tol)} = {self.rtol:.0e} × {_fmt(self.scale)}"
                              f"{e(self._floor_text())}"
                              f"<br><small>scale: {e(self.scaling)}</small>"),
                ("Relative size", _fmt(self.relative)),
            ]
        rows.append(("Verdict", f"<b>{mark}</b>"))
        if self.note:
            rows.append(("Note", e(self.note)))
        body = "".join(f"<tr><th style='text-align:left'>{k}</th><td style='text-align:left'>"
                       f"{v}</td></tr>" for k, v in rows)
        return (f"<table class='glmlearn-check'><caption><b>{e(self.name)}</b></caption>"
                f"{body}</table>")


@dataclass(frozen=True, eq=False)
class TraceCheck:
    """One check run along a whole IRLS trace (see :func:`check_trace`).

    Truthy when the required states hold: every applicable state (``require="all"``)
    or the last one (``require="last"``, e.g. WLS.3, which holds only at convergence).
    A trace with no applicable state is falsy.

    Attributes
    ----------
    name, statement : str
        As in :class:`CheckResult`.
    results : tuple of CheckResult
        One per state, in order.
    require : {"all", "last"}
        Which states must hold for the trace check to be truthy.
    """

    name: str
    statement: str
    results: tuple[CheckResult, ...] = field(repr=False)
    require: Literal["all", "last"] = "all"

    @property
    def iteration(self) -> NDArray[np.int_]:
        """Iteration numbers (``-1`` where a state carries none)."""
        return np.array([-1 if r.iteration is None else r.iteration for r in self.results],
                        dtype=int)

    @property
    def size(self) -> Array:
        """Measured sizes (NaN where not applicable)."""
        return np.array([r.size for r in self.results], dtype=float)

    @property
    def tol(self) -> Array:
        """Tolerances used (NaN where not applicable)."""
        return np.array([r.tol for r in self.results], dtype=float)

    @property
    def relative(self) -> Array:
        """Sizes relative to the problem's scale (``size / scale``)."""
        return np.array([r.relative for r in self.results], dtype=float)

    @property
    def holds(self) -> Mask:
        """Per-state verdicts."""
        return np.array([r.holds for r in self.results], dtype=bool)

    @property
    def applicable(self) -> Mask:
        """Per-state applicability."""
        return np.array([r.applicable for r in self.results], dtype=bool)

    def __bool__(self) -> bool:
        app = self.applicable
        if not self.results or not app.any():
            return False
        if self.require == "last":
            return bool(self.results[-1].holds)
        return bool(self.holds[app].all())

    def __len__(self) -> int:
        return len(self.results)

    def __getitem__(self, i: int) -> CheckResult:
        return self.results[i]

    def _summary(self) -> str:
        app = self.applicable
        n_app, n_hold = int(app.sum()), int(self.holds[app].sum())
        verdict = "holds" if self else "does NOT hold"
        rel = self.relative[app]
        worst = f"; largest relative size {_fmt(float(np.max(rel)))}" if rel.size else ""
        req = "at the last state" if self.require == "last" else "at every applicable state"
        return (f"{self.name} {verdict} {req}: {n_hold}/{n_app} applicable states hold "
                f"({len(self.results)} states){worst}")

    def __str__(self) -> str:
        lines = [self._summary(), f"{'iter':>5} {'size':>11} {'tol':>11} {'relative':>11}  verdict"]
        for r in self.results:
            it = "" if r.iteration is None else str(r.iteration)
            lines.append(f"{it:>5} {_fmt(r.size):>11} {_fmt(r.tol):>11} {_fmt(r.relative):>11}  "
                         f"{r.verdict}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<TraceCheck {self._summary()}>"

    def _repr_html_(self) -> str:
        e = html.escape
        head = "".join(f"<th>{h}</th>" for h in ("iteration", "size", "tol", "relative", "verdict"))
        body = "".join(
            f"<tr><td>{'' if r.iteration is None else r.iteration}</td><td>{_fmt(r.size)}</td>"
            f"<td>{_fmt(r.tol)}</td><td>{_fmt(r.relative)}</td><td>{e(r.verdict)}</td></tr>"
            for r in self.results)
        return (f"<div class='glmlearn-trace-check'><p><b>{e(self._summary())}</b><br>"
                f"<small>{e(self.statement)}</small></p><table><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table></div>")


@dataclass(frozen=True, eq=False)
class ConvergenceOrder:
    r"""The observed order of convergence of an IRLS trace (see :func:`convergence_order`).

    A measurement, not a yes/no check: compare :attr:`order` with what you expect
    (``bool()`` of it raises, so ``assert convergence_order(...)`` cannot pass by accident).

    Attributes
    ----------
    iteration : ndarray of int
        Iterations :math:`k` with coefficients, the last state excluded.
    error : ndarray
        :math:`e_k = \lVert \beta^{(k)} - \beta^{(K)} \rVert_\infty`, :math:`K` the last state.
    ratio : ndarray
        :math:`\log e_{k+1} / \log e_k` (aligned with ``iteration``; NaN when undefined).
        Tends to the order :math:`q` only as :math:`e_k \to 0`.
    local_order : ndarray
        :math:`q_k = \log(e_{k+1}/e_k) / \log(e_k/e_{k-1})` (aligned with ``iteration``;
        NaN at the ends and where an error is at the rounding floor). Scale-free.
    order : float
        The estimate: :math:`q_k` of the last triple of errors above the rounding floor
        :math:`10^3\,\varepsilon \max(1, \lVert\beta^{(K)}\rVert_\infty)`; NaN if none.
    floor : float
        That rounding floor.
    """

    iteration: NDArray[np.int_]
    error: Array
    ratio: Array
    local_order: Array
    order: float
    floor: float

    def __bool__(self) -> bool:
        raise TypeError("a ConvergenceOrder is a measurement, not a check: compare its .order "
                        "(about 2 for Newton, 1 for linear convergence)")

    def __str__(self) -> str:
        lines = [f"observed order of convergence ≈ {_fmt(self.order)}",
                 f"{'iter':>5} {'error':>11} {'log ratio':>10} {'local q':>8}"]
        for k, e, r, q in zip(self.iteration, self.error, self.ratio, self.local_order,
                              strict=True):
            lines.append(f"{k:>5} {_fmt(float(e)):>11} {_fmt(float(r)):>10} {_fmt(float(q)):>8}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<ConvergenceOrder order≈{_fmt(self.order)} over {self.iteration.size} iterations>"

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{h}</th>" for h in ("iteration", "‖β_k − β_final‖∞",
                                                  "log e_{k+1} / log e_k", "local order q_k"))
        body = "".join(f"<tr><td>{k}</td><td>{_fmt(float(e))}</td><td>{_fmt(float(r))}</td>"
                       f"<td>{_fmt(float(q))}</td></tr>"
                       for k, e, r, q in zip(self.iteration, self.error, self.ratio,
                                             self.local_order, strict=True))
        return (f"<div class='glmlearn-convergence-order'><p><b>observed order of convergence "
                f"≈ {_fmt(self.order)}</b></p><table><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table></div>")


# --- helpers ------------------------------------------------------------------------------

StateLike = IRLSState | GLMResult


def _as_state(obj: Any) -> IRLSState:
    if isinstance(obj, GLMResult):
        return obj.final_state
    if isinstance(obj, IRLSState):
        return obj
    raise GLMInputError(
        f"state: expected an IRLSState or a GLMResult, got {type(obj).__name__}"
    )


def _as_trace(obj: Any) -> tuple[IRLSState, ...]:
    if isinstance(obj, GLMResult):
        return obj.trace
    if isinstance(obj, IRLSState):
        return (obj,)
    try:
        states = tuple(obj)
    except TypeError:
        raise GLMInputError(
            f"trace: expected a GLMResult or a sequence of IRLSState, got {type(obj).__name__}"
        ) from None
    for s in states:
        if not isinstance(s, IRLSState):
            raise GLMInputError(
                f"trace: expected a GLMResult or a sequence of IRLSState, found "
                f"{type(s).__name__}"
            )
    return states


def _kept(state: IRLSState) -> Mask:
    """Non-aliased columns: the core marks aliased coefficients as NaN."""
    return ~np.isnan(np.asarray(state.beta_next, dtype=float))


def _expand(values: Array, kept: Mask) -> Array:
    out = np.full(kept.shape[0], np.nan)
    out[kept] = values
    return out


def _state_note(state: IRLSState) -> str:
    return "converged" if state.converged else "not converged"


def _not_applicable(name: str, statement: str, state: IRLSState, why: str,
                    rtol: float, scaling: str) -> CheckResult:
    return CheckResult(name=name, statement=statement, quantity=_readonly([]),
                       quantity_label="", size=math.nan, size_label="", tol=math.nan,
                       rtol=rtol, scale=math.nan, scaling=scaling, holds=False,
                       iteration=state.iteration, applicable=False, note=why)


def _score_factor(problem: GLMProblem, eta: Array, mu: Array) -> Array:
    r""":math:`w^{\text{p}}\mu'(\eta)/V(\mu)`, the per-row factor of the general score."""
    fam = problem.family
    return problem.prior_weights * fam.mu_eta(eta) / fam.variance(mu)


def _inverse_quadratic(A: Array, u: Array) -> float:
    r""":math:`u^\top (A^\top A)^{-1} u` from the R factor of :math:`A` (no normal equations)."""
    R = np.asarray(np.linalg.qr(A, mode="r"))
    try:
        v = sla.solve_triangular(R, u, trans="T", check_finite=True)
        if np.all(np.isfinite(v)):
            return float(v @ v)
    except (np.linalg.LinAlgError, ValueError):
        pass
    v = np.linalg.lstsq(R.T, u, rcond=None)[0]
    return float(v @ v)


def _solve(A: Array, b: Array) -> Array:
    try:
        x = np.asarray(np.linalg.solve(A, b), dtype=float)
        if np.all(np.isfinite(x)):
            return x
    except np.linalg.LinAlgError:
        pass
    return np.asarray(np.linalg.lstsq(A, b, rcond=None)[0], dtype=float)


def _check_rtol(rtol: Any) -> float:
    if isinstance(rtol, bool) or not isinstance(rtol, int | float | np.floating):
        raise GLMInputError(f"rtol: must be a non-negative number, got {rtol!r}")
    if not (math.isfinite(rtol) and rtol >= 0):
        raise GLMInputError(f"rtol: must be a non-negative finite number, got {rtol!r}")
    return float(rtol)


# --- WLS.1 ----------------------------------------------------------------------------------

_WLS1_SCALING = "max_j Σ_i |x_ij| w_i (|z_i − o_i| + Σ_k |x_ik β_k|)"


def _wls1(X: Array, w: Array, zo: Array, beta: Array, rtol: float, iteration: int | None,
          note: str, label: str, statement: str) -> CheckResult:
    kept = ~np.isnan(beta)
    Xk, bk = X[:, kept], beta[kept]
    fitted = Xk @ bk
    q = Xk.T @ (w * (zo - fitted))
    terms = np.abs(Xk).T @ (np.abs(w) * (np.abs(zo) + np.abs(Xk) @ np.abs(bk)))
    scale = float(np.max(terms)) if terms.size else 0.0
    size = float(np.max(np.abs(q))) if q.size else 0.0
    tol = rtol * scale
    return CheckResult(
        name="WLS.1", statement=statement, quantity=_readonly(_expand(q, kept)),
        quantity_label=label, size=size, size_label=f"max|{label}|", tol=tol, rtol=rtol,
        scale=scale, scaling=_WLS1_SCALING, holds=bool(size <= tol), iteration=iteration,
        note=note,
    )


def check_wls1(state: StateLike, *, rtol: float = 1e-8) -> CheckResult:
    r"""WLS.1 on one IRLS state: :math:`X^\top W (z - o - X\beta^{\text{next}}) = 0`.

    :math:`\beta^{\text{next}}` is the state's weighted least-squares solution on
    :math:`(w, z - o)`; the weights stay a vector. Aliased (NaN) coefficients: only the
    kept columns enter, and their entries of the quantity are NaN. Works on state 0
    (it needs no :math:`\beta`).

    Parameters
    ----------
    state : IRLSState or GLMResult
        A state (a result means its last state).
    rtol : float
        Relative tolerance.

    Returns
    -------
    CheckResult
        ``quantity`` is :math:`X^\top W r`, :math:`r = z - o - X\beta^{\text{next}}`;
        ``size`` its max-abs.

    Notes
    -----
    Tolerance: :math:`\mathrm{tol} = \mathrm{rtol}\cdot\max_j \sum_i |x_{ij}|\, w_i\,
    (|z_i - o_i| + \sum_k |x_{ik}\beta^{\text{next}}_k|)`, the same sums with absolute
    values, i.e. the size of the terms that cancel (including those inside
    :math:`X\beta`, which cancel when :math:`\eta \approx 0`). A backward-stable solve leaves a relative size
    of a few machine epsilons (about 1e-16 to 1e-14); ``rtol = 1e-8`` leaves room for
    large n and ill-conditioned X, while a :math:`\beta` solved with the wrong weights
    gives a relative size of order 1e-3 to 1.
    """
    s = _as_state(state)
    p = s.problem
    return _wls1(p.X, np.asarray(s.w), np.asarray(s.z) - p.offset,
                 np.asarray(s.beta_next, dtype=float), _check_rtol(rtol), s.iteration,
                 "", "X'W(z − o − Xβ_next)", WLS1_STATEMENT)


def check_wls1_problem(X: Any, w: Any, z: Any, beta: Any, *, offset: Any = None,
                       rtol: float = 1e-8) -> CheckResult:
    r"""WLS.1 for a plain weighted least-squares problem: :math:`X^\top W (z - o - X\beta) = 0`.

    For the lesson's manual WLS (``beta = solve(X'WX, X'Wz)``). With equal weights
    :math:`W = cI` the statement is :math:`c\,X^\top (z - X\beta) = 0`: exactly the OLS
    normal equations. Coefficients given as NaN are treated as aliased (column left out).

    Parameters
    ----------
    X : (n, p) array_like
    w : (n,) array_like
        The weights, a vector (the diagonal of :math:`W`).
    z : (n,) array_like
        The response of the least-squares problem.
    beta : (p,) array_like
        The coefficients to check, e.g. the solution computed with *these* weights.
    offset : (n,) array_like, optional
        Subtracted from ``z`` (zero by default).
    rtol : float
        Relative tolerance.

    Returns
    -------
    CheckResult

    Notes
    -----
    Tolerance as in :func:`check_wls1`: :math:`\mathrm{rtol}\cdot\max_j \sum_i |x_{ij}|\,
    |w_i|\,(|z_i - o_i| + \sum_k |x_{ik}\beta_k|)`. A :math:`\beta` solved with other weights
    fails: it satisfies *its* normal equations, not these.
    """
    rtol = _check_rtol(rtol)
    Xa = np.asarray(X, dtype=float)
    if Xa.ndim == 1:
        Xa = Xa[:, None]
    if Xa.ndim != 2:
        raise GLMInputError(f"X: expected a 2-D array, got shape {Xa.shape}")
    n, p = Xa.shape
    arrays = {}
    for arg, value, length in (("w", w, n), ("z", z, n), ("beta", beta, p),
                               ("offset", np.zeros(n) if offset is None else offset, n)):
        a = np.asarray(value, dtype=float).reshape(-1)
        if a.shape[0] != length:
            what = "columns" if arg == "beta" else "rows"
            raise GLMInputError(f"{arg}: length {a.shape[0]} does not match the {length} "
                                f"{what} of X")
        arrays[arg] = a
    return _wls1(Xa, arrays["w"], arrays["z"] - arrays["offset"], arrays["beta"], rtol, None,
                 "", "X'W(z − o − Xβ)", "weighted residual orthogonality: X'W(z − o − Xβ) = 0")


# --- WLS.3 ----------------------------------------------------------------------------------

_WLS3_SCALING = "|D| + 0.1, R's convergence yardstick"


def check_wls3(state_or_result: StateLike, form: Literal["canonical", "general"] = "canonical",
               *, rtol: float = 1e-7) -> CheckResult:
    r"""WLS.3: the score equations hold at convergence.

    ``form="general"`` checks :math:`U = X^\top \operatorname{diag}(w^{\text{p}}
    \mu'(\eta)/V(\mu))(y - \mu) = 0`, true at the MLE for every link.
    ``form="canonical"`` checks :math:`X^\top W^{\text{p}} (y - \mu) = 0`, the form the
    score takes for the canonical link only; on a fit with another link (probit,
    cloglog...) it reports *does not hold*, with the size of the violation.

    Parameters
    ----------
    state_or_result : IRLSState or GLMResult
        A result means its last (converged) state. On an earlier state the score has
        not vanished yet, and the check says so.
    form : {"canonical", "general"}
    rtol : float
        Relative tolerance, in units of R's convergence criterion (default 1e-7, ten
        times R's ``epsilon``; see the module docstring for why).

    Returns
    -------
    CheckResult
        ``quantity`` is the score vector :math:`u` (NaN for aliased columns); ``size`` is
        :math:`u^\top M^{-1} u` (below); ``max_abs`` is :math:`\max_j |u_j|`.

    Notes
    -----
    Write the form checked as :math:`u = X^\top \operatorname{diag}(c)(y - \mu)`, with
    :math:`c = w^{\text{p}}\mu'/V` (general) or :math:`c = w^{\text{p}}` (canonical), and
    :math:`M = X^\top \operatorname{diag}(c^2 V / w^{\text{p}}) X` the information that
    goes with it: the working weights' :math:`X^\top W X` for the general form,
    :math:`X^\top \operatorname{diag}(w^{\text{p}} V) X` for the canonical form (the two
    coincide for the canonical link). Size and tolerance:

    .. math:: u^\top M^{-1} u \;\le\; \mathrm{rtol}\,(|D| + 0.1)
              + (n\varepsilon)^2\, s^\top M^{-1} s ,

    :math:`D` the state's deviance and :math:`s_j = \sum_i |x_{ij}|\, |c_i|\,
    (|y_i| + |\mu_i|)` the size of the terms that cancel in :math:`u_j`; the second term
    is the rounding floor, negligible unless the fit is exact. For the general score
    :math:`U^\top (X^\top W X)^{-1} U \approx D(\beta) - D(\hat\beta)`, the deviance one
    more Fisher-scoring step would remove, measured against R's criterion
    :math:`|D - D_{\text{old}}| / (|D| + 0.1) <` ``tol`` (1e-8); the metric :math:`M^{-1}`
    puts the canonical form in the same deviance units. On the seed lesson's data,
    converged fits give :math:`u^\top M^{-1} u / (|D| + 0.1)` = 2e-25 (logit, quadratic
    convergence) to 2e-10 (cauchit); state 1 gives 5e-2, and the canonical form of the
    probit, cloglog and cauchit fits 1e-4, 8e-4 and 1e-2.
    """
    rtol = _check_rtol(rtol)
    if form not in ("canonical", "general"):
        raise GLMInputError(f"form: must be 'canonical' or 'general', got {form!r}")
    s = _as_state(state_or_result)
    prob, fam = s.problem, s.problem.family
    kept = _kept(s)
    Xk = prob.X[:, kept]
    y, mu, eta = prob.y, np.asarray(s.mu), np.asarray(s.eta)
    if form == "general":
        c = _score_factor(prob, eta, mu)
        label, statement = "X' diag(w_prior μ'/V) (y − μ)", WLS3_GENERAL
    else:
        c = np.array(prob.prior_weights, dtype=float)
        label, statement = "X' diag(w_prior) (y − μ)", WLS3_CANONICAL
    u = Xk.T @ (c * (y - mu))
    terms = np.abs(Xk).T @ (np.abs(c) * (np.abs(y) + np.abs(mu)))
    # The metric in which u is "the score": the information of the form being checked,
    # X' diag(c^2 V / w_prior) X. General form: the working weights w; canonical form:
    # w_prior V(mu), which equals w exactly when the link is canonical (mu' = V).
    info_w = np.asarray(s.w) if form == "general" else prob.prior_weights * fam.variance(mu)
    A = Xk * np.sqrt(info_w)[:, None]
    size = _inverse_quadratic(A, u)
    floor = (prob.n * _EPS) ** 2 * _inverse_quadratic(A, terms)
    scale = abs(s.deviance) + 0.1
    tol = rtol * scale + floor

    notes = [f"iteration {s.iteration}, {_state_note(s)}"]
    if form == "canonical" and not fam.is_canonical:
        notes.append(f"the {fam.link.name} link is not canonical for the {fam.name} family "
                     f"(canonical: {fam.canonical_link}), so this form need not vanish; "
                     "use form='general'")
    notes.append(f"max|score| = {_fmt(float(np.max(np.abs(u))) if u.size else 0.0)}")
    return CheckResult(
        name=f"WLS.3 ({form})", statement=statement, quantity=_readonly(_expand(u, kept)),
        quantity_label=label, size=size, size_label="u'M⁻¹u", tol=tol, rtol=rtol,
        scale=scale, scaling=_WLS3_SCALING, holds=bool(size <= tol), iteration=s.iteration,
        note="; ".join(notes), floor=floor,
    )


# --- Fisher scoring and Newton-Raphson ----------------------------------------------------

_STEP_SCALING = "max(‖β‖∞, ‖β_next‖∞)"
FISHER_STATEMENT = ("the IRLS step is the Fisher-scoring step: β_next − β = I(β)⁻¹U(β), "
                    "I = X' diag(w_prior μ'²/V) X")
NEWTON_STATEMENT = ("the IRLS step is the Newton-Raphson step: β_next − β = J(β)⁻¹U(β), "
                    "J = −∂U/∂β' the observed information (holds for canonical links)")


def _step_inputs(s: IRLSState) -> tuple[Mask, Array, Array] | str:
    if s.beta is None:
        return (f"state {s.iteration} has no coefficients β (IRLS started from R's starting "
                "means), so there is no step from β to compare; the first step is at state 1")
    kept = _kept(s)
    beta = np.asarray(s.beta, dtype=float)[kept]
    return kept, beta, np.asarray(s.beta_next, dtype=float)[kept]


def _general_score_at(prob: GLMProblem, Xk: Array, b: Array) -> Array:
    """The general score as a function of the (kept) coefficients, from the family alone."""
    eta = Xk @ b + prob.offset
    mu = prob.family.link_inverse(eta)
    return Xk.T @ (_score_factor(prob, eta, mu) * (prob.y - mu))


def _cond(M: Array) -> float:
    """1-norm condition number (inf when singular)."""
    if M.size == 0:
        return 1.0
    with np.errstate(all="ignore"):
        c = float(np.linalg.cond(M, 1))
    return c if math.isfinite(c) else math.inf


def _step_result(name: str, statement: str, s: IRLSState, kept: Mask, beta: Array,
                 beta_next: Array, other_step: Array, rtol: float, note: str,
                 floor_factor: float) -> CheckResult:
    d = (beta_next - beta) - other_step
    size = float(np.max(np.abs(d))) if d.size else 0.0
    scale = float(max(np.max(np.abs(beta), initial=0.0), np.max(np.abs(beta_next), initial=0.0)))
    floor = floor_factor * scale
    tol = rtol * scale + floor
    return CheckResult(
        name=name, statement=statement, quantity=_readonly(_expand(d, kept)),
        quantity_label=f"(β_next − β) − {'I' if name.startswith('Fisher') else 'J'}⁻¹U",
        size=size, size_label="max|difference of steps|", tol=tol, rtol=rtol, scale=scale,
        scaling=_STEP_SCALING, holds=bool(size <= tol), iteration=s.iteration, note=note,
        floor=floor,
    )


def check_fisher_scoring(state: StateLike, *, rtol: float = 1e-8) -> CheckResult:
    r"""The IRLS step equals the Fisher-scoring step :math:`\mathcal I(\beta)^{-1} U(\beta)`.

    :math:`U` and :math:`\mathcal I = X^\top \operatorname{diag}(w^{\text{p}}\mu'^2/V) X`
    are computed afresh from the state's :math:`\eta, \mu`, the data and the family
    (gradient and expected information of the log-likelihood, times :math:`\phi`), not from
    its ``w``, ``z`` or the WLS solver, and :math:`\mathcal I\delta = U` is solved directly.

    Parameters
    ----------
    state : IRLSState or GLMResult
    rtol : float

    Returns
    -------
    CheckResult
        ``quantity`` is :math:`(\beta^{\text{next}} - \beta) - \mathcal I^{-1}U`.
        Not applicable at a state without coefficients (state 0 from R's starting means).

    Notes
    -----
    Tolerance:

    .. math:: (\mathrm{rtol} + 10\,\varepsilon\,\kappa_1(\mathcal I))\cdot
              \max(\lVert\beta\rVert_\infty, \lVert\beta^{\text{next}}\rVert_\infty):

    the steps agree to ``rtol`` relative to the coefficients, plus the rounding floor
    :math:`10\varepsilon\kappa_1(\mathcal I)`: both solves carry a forward error of about
    :math:`\varepsilon\,\kappa(\mathcal I)\lVert\beta\rVert`, which only matters when
    :math:`\kappa_1(\mathcal I) > 10^6` (e.g. binomial log-link fits with means near 1).
    Near convergence both steps are tiny and agree trivially; the telling states are the
    early ones.
    """
    rtol = _check_rtol(rtol)
    s = _as_state(state)
    got = _step_inputs(s)
    if isinstance(got, str):
        return _not_applicable("Fisher scoring", FISHER_STATEMENT, s, got, rtol, _STEP_SCALING)
    kept, beta, beta_next = got
    prob, fam = s.problem, s.problem.family
    Xk = prob.X[:, kept]
    eta = Xk @ beta + prob.offset
    mu = fam.link_inverse(eta)
    U = _general_score_at(prob, Xk, beta)
    info_w = prob.prior_weights * fam.mu_eta(eta) ** 2 / fam.variance(mu)
    info = (Xk * info_w[:, None]).T @ Xk
    return _step_result("Fisher scoring", FISHER_STATEMENT, s, kept, beta, beta_next,
                        _solve(info, U), rtol, "", 10 * _EPS * _cond(info))


def check_newton_raphson(state: StateLike, *, rtol: float = 1e-6) -> CheckResult:
    r"""The IRLS step equals the Newton-Raphson step :math:`\mathcal J(\beta)^{-1} U(\beta)`.

    The observed information :math:`\mathcal J = -\partial U/\partial\beta^\top` is
    computed independently, by central finite differences of the score
    :math:`U(\beta)` (each column with step :math:`h_j = \varepsilon^{1/3}
    \max(\lVert\eta\rVert_\infty, 1) / \lVert x_j\rVert_\infty`), then symmetrised. For a
    canonical link :math:`\mathcal J = \mathcal I` and the check holds; for other links
    the steps differ by :math:`(\mathcal J^{-1} - \mathcal I^{-1})U` and it reports
    *does not hold* (while the step is resolvable).

    Parameters
    ----------
    state : IRLSState or GLMResult
    rtol : float
        Looser than for Fisher scoring (1e-6) because :math:`\mathcal J` comes from finite
        differences, accurate to about :math:`\varepsilon^{2/3} \approx 4\cdot 10^{-11}`
        relative.

    Returns
    -------
    CheckResult
        ``quantity`` is :math:`(\beta^{\text{next}} - \beta) - \mathcal J^{-1}U`.
        Not applicable at a state without coefficients.

    Notes
    -----
    Tolerance: :math:`(\mathrm{rtol} + \varepsilon^{2/3}\kappa_1(\mathcal J))\cdot
    \max(\lVert\beta\rVert_\infty, \lVert\beta^{\text{next}}\rVert_\infty)`, the
    floor being the finite-difference error of :math:`\mathcal J` carried into the step. At a
    converged state the step itself is below that tolerance, so Newton and Fisher steps
    cannot be told apart there and the check holds for any link: look at early states.
    """
    rtol = _check_rtol(rtol)
    s = _as_state(state)
    got = _step_inputs(s)
    if isinstance(got, str):
        return _not_applicable("Newton-Raphson", NEWTON_STATEMENT, s, got, rtol, _STEP_SCALING)
    kept, beta, beta_next = got
    prob, fam = s.problem, s.problem.family
    Xk = prob.X[:, kept]
    U = _general_score_at(prob, Xk, beta)
    eta_size = max(float(np.max(np.abs(Xk @ beta + prob.offset))), 1.0)
    col_size = np.max(np.abs(Xk), axis=0)
    J = np.empty((beta.size, beta.size))
    for j in range(beta.size):
        h = _EPS ** (1 / 3) * eta_size / col_size[j]
        e = np.zeros(beta.size)
        e[j] = h
        J[:, j] = -(_general_score_at(prob, Xk, beta + e)
                    - _general_score_at(prob, Xk, beta - e)) / (2 * h)
    J = (J + J.T) / 2
    floor_factor = _EPS ** (2 / 3) * _cond(J)
    note = ("canonical link: observed information = expected information" if fam.is_canonical
            else f"the {fam.link.name} link is not canonical for the {fam.name} family: "
                 "IRLS is Fisher scoring, not Newton-Raphson")
    return _step_result("Newton-Raphson", NEWTON_STATEMENT, s, kept, beta, beta_next,
                        _solve(J, U), rtol, note, floor_factor)


# --- working weights, gaussian one step ---------------------------------------------------

WEIGHTS_STATEMENT = "working weights: w = w_prior / (V(μ) g'(μ)²), with g' the link's deriv"


def _weights_from_mu(problem: GLMProblem, mu: Array) -> Array:
    fam = problem.family
    with np.errstate(all="ignore"):
        return np.asarray(problem.prior_weights / (fam.variance(mu) * fam.link_deriv(mu) ** 2),
                          dtype=float)


def check_working_weights(state: StateLike, w: Any = None, *, rtol: float = 1e-8) -> CheckResult:
    r"""The working weights are :math:`w = w^{\text{p}} / (V(\mu)\, g'(\mu)^2)`.

    The reference :math:`\tilde w` is computed from the state's :math:`\mu` with the
    link's ``deriv`` (:math:`g' = d\eta/d\mu`), whereas IRLS computes :math:`w` from
    :math:`\eta` with ``mu_eta`` (:math:`d\mu/d\eta`): two routes to the same number.

    Parameters
    ----------
    state : IRLSState or GLMResult
    w : (n,) array_like, optional
        Weights to check instead of the state's own (e.g. a learner's attempt, or a
        wrong formula such as :math:`V(\mu)` for a probit fit).
    rtol : float

    Returns
    -------
    CheckResult
        ``quantity`` is the relative difference :math:`(w_i - \tilde w_i)/\tilde w_i`
        (0 where both are 0).

    Notes
    -----
    Each weight is compared with its own reference, beyond the rounding the
    :math:`\mu`-route carries:

    .. math:: \text{size} = \max_i \frac{(|w_i - \tilde w_i| - 8 s_i)_+}{\tilde w_i}
              \;\le\; \mathrm{rtol}, \qquad
              s_i = \max_\pm |\tilde w(\mu_i \pm 2\,\mathrm{ulp}(\mu_i)) - \tilde w(\mu_i)| ,

    (scale 1). :math:`s_i` is how far :math:`\tilde w` moves when :math:`\mu_i` moves by
    the rounding it carries: negligible, except where :math:`\mu` is within a few
    digits of the edge of its range (a fitted probability of :math:`1 - 10^{-10}` knows
    :math:`1 - \mu` to only 6 digits, while IRLS computed :math:`w` from :math:`\eta`).
    Wrong formulas are off by a relative 1e-3 to 1e3 and fail.
    """
    rtol = _check_rtol(rtol)
    s = _as_state(state)
    prob, fam = s.problem, s.problem.family
    mu = np.asarray(s.mu, dtype=float)
    ref = _weights_from_mu(prob, mu)
    given = np.asarray(s.w if w is None else w, dtype=float).reshape(-1)
    if given.shape[0] != prob.n:
        raise GLMInputError(f"w: length {given.shape[0]} does not match the {prob.n} rows of X")
    spread = np.zeros(prob.n)
    step = 2 * np.spacing(np.abs(mu))
    for moved in (mu + step, mu - step):
        ok = fam.valid_mu(moved)
        alt = _weights_from_mu(prob, np.where(ok, moved, mu))
        spread = np.maximum(spread, np.where(ok & np.isfinite(alt), np.abs(alt - ref), 0.0))
    diff = given - ref
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(diff == 0, 0.0, diff / np.abs(ref))
        beyond = np.where(diff == 0, 0.0, np.maximum(np.abs(diff) - 8 * spread, 0.0) / np.abs(ref))
    rel = np.where(np.isnan(rel), np.inf, rel)
    beyond = np.where(np.isnan(beyond), np.inf, beyond)
    size = float(np.max(beyond))
    notes = [] if w is None else ["weights given by the caller"]
    allowance = float(np.max(8 * spread / np.where(ref > 0, ref, np.inf)))
    if allowance > 1e-2 * rtol:
        notes.append(f"μ near the edge of its range: up to {_fmt(allowance)} relative "
                     "difference allowed for the rounding of μ")
    return CheckResult(
        name="working weights", statement=WEIGHTS_STATEMENT, quantity=_readonly(rel),
        quantity_label="(w − w_prior/(V g'²)) / (w_prior/(V g'²))", size=size,
        size_label="max_i relative difference beyond rounding", tol=rtol, rtol=rtol,
        scale=1.0, scaling="1 (each weight relative to itself)", holds=bool(size <= rtol),
        iteration=s.iteration, note="; ".join(notes),
    )


GAUSSIAN_STATEMENT = ("gaussian family, identity link: the first WLS step is OLS "
                      "(w = w_prior, z = y), and IRLS stays there")


def check_gaussian_one_step(result: GLMResult | Sequence[IRLSState], *,
                            rtol: float = 1e-8) -> CheckResult:
    r"""Gaussian with identity link converges in one WLS step, to ordinary least squares.

    With :math:`\mu = \eta` and :math:`V = 1`: :math:`w = w^{\text{p}}` and :math:`z = y`
    whatever the current :math:`\beta`, so every WLS step solves the same
    (prior-weighted) least-squares problem. Compared with an independent solve,
    ``numpy.linalg.lstsq`` of :math:`\sqrt{w^{\text{p}}}\,X` on
    :math:`\sqrt{w^{\text{p}}}\,(y - o)`, kept columns only.

    Parameters
    ----------
    result : GLMResult or sequence of IRLSState
        A gaussian-identity fit (otherwise the result is not applicable).
    rtol : float

    Returns
    -------
    CheckResult
        ``quantity`` has one row per state :math:`k \ge 1`:
        :math:`\beta^{(k)} - \hat\beta_{\text{OLS}}`; ``size`` is its max-abs over all
        rows, so it holds when the first step lands on OLS and no later step moves.

    Notes
    -----
    Tolerance: :math:`(\mathrm{rtol} + 10\,\varepsilon\,\kappa_1(X^\top W^{\text{p}} X))
    \cdot\lVert\hat\beta_{\text{OLS}}\rVert_\infty` (the same rounding floor as in
    :func:`check_fisher_scoring`). IRLS reports 2
    iterations, as R does: the second only confirms that the deviance stopped changing.
    """
    rtol = _check_rtol(rtol)
    states = _as_trace(result)
    if not states:
        raise GLMInputError("result: the trace is empty")
    last = states[-1]
    prob, fam = last.problem, last.problem.family
    scaling = "‖β_OLS‖∞"
    if fam.name != "gaussian" or fam.link.name != "identity" or len(states) < 2:
        why = (f"needs a gaussian fit with identity link and at least one WLS step; this is "
               f"{fam.name} with the {fam.link.name} link, {len(states) - 1} step(s)")
        return _not_applicable("gaussian one step", GAUSSIAN_STATEMENT, last, why, rtol,
                               scaling)
    kept = _kept(last)
    sw = np.sqrt(prob.prior_weights)
    ols = np.linalg.lstsq(prob.X[:, kept] * sw[:, None], sw * (prob.y - prob.offset),
                          rcond=None)[0]
    rows = []
    for st in states[1:]:
        assert st.beta is not None  # every state after a WLS step has coefficients
        rows.append(_expand(np.asarray(st.beta, dtype=float)[kept] - ols, kept))
    dev = np.vstack(rows)
    size = float(np.nanmax(np.abs(dev))) if np.any(kept) else 0.0
    scale = float(np.max(np.abs(ols), initial=0.0))
    Xw = prob.X[:, kept] * sw[:, None]
    floor = 10 * _EPS * _cond(Xw.T @ Xw) * scale
    tol = rtol * scale + floor
    return CheckResult(
        name="gaussian one step", statement=GAUSSIAN_STATEMENT, quantity=_readonly(dev),
        quantity_label="β⁽ᵏ⁾ − β_OLS, k = 1, 2, …", size=size,
        size_label="max_k max|β⁽ᵏ⁾ − β_OLS|", tol=tol, rtol=rtol, scale=scale,
        scaling=scaling, holds=bool(size <= tol), iteration=last.iteration,
        note=f"{len(states) - 1} IRLS iteration(s), {_state_note(last)}", floor=floor,
    )


# --- along a trace ------------------------------------------------------------------------

def check_trace(trace: GLMResult | Sequence[IRLSState], check: Callable[..., CheckResult], *,
                require: Literal["all", "last"] = "all", **kwargs: Any) -> TraceCheck:
    """Run a per-state check on every state of a trace.

    Parameters
    ----------
    trace : GLMResult or sequence of IRLSState
    check : callable
        ``check(state, **kwargs) -> CheckResult``, e.g. :func:`check_wls1`,
        :func:`check_fisher_scoring`, or ``check_wls3`` with ``form=...``.
    require : {"all", "last"}
        What makes the :class:`TraceCheck` truthy: every applicable state holds
        (``"all"``, e.g. WLS.1) or the last state holds (``"last"``, e.g. WLS.3, whose
        score only vanishes at convergence).
    **kwargs
        Passed on to ``check`` (``rtol=...``, ``form=...``).

    Returns
    -------
    TraceCheck
        Per-iteration arrays ``iteration, size, tol, relative, holds, applicable``, ready
        to plot (e.g. ``ax.semilogy(tc.iteration, tc.size)``).
    """
    if require not in ("all", "last"):
        raise GLMInputError(f"require: must be 'all' or 'last', got {require!r}")
    states = _as_trace(trace)
    results = tuple(check(s, **kwargs) for s in states)
    if results:  # a CheckResult is falsy when it fails: test for presence, not truth
        name, statement = results[0].name, results[0].statement
    else:
        name, statement = getattr(check, "__name__", "check"), ""
    return TraceCheck(name=name, statement=statement, results=results, require=require)


def convergence_order(trace: GLMResult | Sequence[IRLSState]) -> ConvergenceOrder:
    r"""The observed order of convergence of IRLS, from the coefficients of a trace.

    With :math:`e_k = \lVert\beta^{(k)} - \beta^{(K)}\rVert_\infty` (:math:`K` the last
    state, the best available stand-in for :math:`\hat\beta`), convergence of order
    :math:`q` means :math:`e_{k+1} \approx C e_k^q`. Two per-iteration views are
    reported: :math:`\log e_{k+1}/\log e_k`, which tends to :math:`q` as
    :math:`e_k \to 0`, and the scale-free local order
    :math:`q_k = \log(e_{k+1}/e_k)/\log(e_k/e_{k-1})`. The estimate is the last
    :math:`q_k` whose three errors lie above the rounding floor
    :math:`10^3\,\varepsilon\max(1, \lVert\beta^{(K)}\rVert_\infty)`.

    About 2 for canonical links (IRLS is Newton-Raphson); for non-canonical links Fisher
    scoring converges linearly in theory (order 1, with a small rate when the model fits
    well), which shows as estimates between 1 and 2 over the few iterations available.

    Parameters
    ----------
    trace : GLMResult or sequence of IRLSState

    Returns
    -------
    ConvergenceOrder
    """
    states = [s for s in _as_trace(trace) if s.beta is not None]
    if len(states) < 2:
        raise GLMInputError("trace: needs at least two states with coefficients")
    final = np.asarray(states[-1].beta, dtype=float)
    kept = ~np.isnan(final)
    its = np.array([s.iteration for s in states[:-1]], dtype=int)
    err = np.array([float(np.max(np.abs(np.asarray(s.beta, dtype=float)[kept] - final[kept]),
                                 initial=0.0)) for s in states[:-1]])
    floor = 1e3 * _EPS * max(1.0, float(np.max(np.abs(final[kept]), initial=0.0)))
    m = err.size
    ratio = np.full(m, np.nan)
    local = np.full(m, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        for k in range(m - 1):
            if err[k] > 0 and err[k + 1] > 0 and err[k] != 1:
                ratio[k] = math.log(err[k + 1]) / math.log(err[k])
        for k in range(1, m - 1):
            trio = err[k - 1:k + 2]
            if np.all(trio > floor) and err[k] != err[k - 1]:
                local[k] = math.log(err[k + 1] / err[k]) / math.log(err[k] / err[k - 1])
    valid = np.flatnonzero(np.isfinite(local))
    order = float(local[valid[-1]]) if valid.size else math.nan
    return ConvergenceOrder(iteration=its, error=_readonly(err), ratio=_readonly(ratio),
                            local_order=_readonly(local), order=order, floor=floor)
