"""WLS.1 (weighted residual orthogonality) and WLS.3 (the score equations)."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from scipy import linalg as sla

from .._arrays import Array, readonly
from ..errors import GLMInputError
from ._common import (
    EPS,
    StateLike,
    as_state,
    check_rtol,
    expand,
    kept_columns,
    state_note,
)
from ._report import CheckResult, _fmt

__all__ = ["check_wls1", "check_wls1_problem", "check_wls3"]

WLS1_STATEMENT = "weighted residual orthogonality: X'W(z − o − Xβ_next) = 0 at the WLS solution"
WLS3_CANONICAL = "score equations at convergence, canonical form: X' diag(w_prior) (y − μ) = 0"
WLS3_GENERAL = "score equations at convergence: U = X' diag(w_prior μ'(η)/V(μ)) (y − μ) = 0"


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
        name="WLS.1", statement=statement, quantity=readonly(expand(q, kept)),
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
    :math:`X\beta`, which cancel when :math:`\eta \approx 0`). A backward-stable solve
    leaves a relative size of a few machine epsilons (about 1e-16 to 1e-14); the default
    ``rtol = 1e-8`` leaves room for
    large n and ill-conditioned X, while a :math:`\beta` solved with the wrong weights
    gives a relative size of order 1e-3 to 1.
    """
    s = as_state(state)
    p = s.problem
    return _wls1(p.X, np.asarray(s.w), np.asarray(s.z) - p.offset,
                 np.asarray(s.beta_next, dtype=float), check_rtol(rtol), s.iteration,
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
    Tolerance as in :func:`check_wls1` (with :math:`|w_i|`, as given weights may have any
    sign). A :math:`\beta` solved with other weights fails: it satisfies *its* normal
    equations, not these.
    """
    rtol = check_rtol(rtol)
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


def check_wls3(state_or_result: StateLike, form: Literal["canonical", "general"] = "canonical",
               *, rtol: float = 1e-7) -> CheckResult:
    r"""WLS.3: the score equations hold at convergence.

    ``form="general"`` checks the score :math:`U` the state stores (``state.score``), which
    vanishes at the MLE for every link. ``form="canonical"`` checks
    :math:`X^\top W^{\text{p}} (y - \mu)`, the form the score takes for the canonical link
    only; on a fit with another link (probit, cloglog...) it reports *does not hold*, with
    the size of the violation.

    Parameters
    ----------
    state_or_result : IRLSState or GLMResult
        A result means its last (converged) state. On an earlier state the score has
        not vanished yet, and the check says so.
    form : {"canonical", "general"}
    rtol : float
        Relative tolerance, in units of R's convergence criterion (default 1e-7, ten
        times R's ``epsilon``; see Notes for why).

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
    is the rounding floor, negligible unless the fit is exact.

    Why this size: to second order :math:`U^\top (X^\top W X)^{-1} U` is
    :math:`D(\beta) - D(\hat\beta)`, the deviance one more Fisher-scoring step would still
    remove, so comparing it with :math:`\mathrm{rtol}\,(|D| + 0.1)` asks "is the score zero
    to the precision the fit was asked for?" in the units of R's criterion
    :math:`|D - D_{\text{old}}| / (|D| + 0.1) <` ``tol``; the metric :math:`M^{-1}` puts the
    canonical form in the same deviance units. The plain :math:`\max_j |u_j|` (still
    reported, as ``max_abs``) is too crude: IRLS stops on the *deviance*, which is
    quadratic in the error, so a correctly converged fit with a non-canonical link
    (linear convergence) can keep a score of relative size 1e-8 to 1e-5 (cauchit), while
    the canonical form of that fit is only 1e-4 to 1e-2 -- too close to separate. On the
    seed lesson's data, converged fits give :math:`u^\top M^{-1} u / (|D| + 0.1)` = 2e-25
    (logit, quadratic convergence) to 2e-10 (cauchit); state 1 gives 5e-2, and the
    canonical form of the probit, cloglog and cauchit fits 1e-4, 8e-4 and 1e-2.

    Why ``rtol`` is ten times R's 1e-8: R's criterion bounds the *last* change of the
    deviance; with linear convergence at rate :math:`\rho` the change still to come is
    :math:`\rho^2/(1-\rho^2)` times that, up to 10 for :math:`\rho \le 0.95`. Slower fits
    (some identity-link inverse Gaussian and cauchit fits, about 1 random problem in 100)
    can exceed it: the check then rightly says the score has not vanished to that
    precision; fit again with a smaller ``tol=`` to see it vanish.
    """
    rtol = check_rtol(rtol)
    if form not in ("canonical", "general"):
        raise GLMInputError(f"form: must be 'canonical' or 'general', got {form!r}")
    s = as_state(state_or_result)
    prob, fam = s.problem, s.problem.family
    kept = kept_columns(s)
    Xk = prob.X[:, kept]
    y, mu = prob.y, np.asarray(s.mu)
    if form == "general":
        u = np.asarray(s.score, dtype=float)[kept]  # the core's score, the general form
        # Only the rounding floor needs the factor c = w_prior mu'/V itself.
        c = prob.prior_weights * fam.mu_eta(np.asarray(s.eta)) / fam.variance(mu)
        label, statement = "X' diag(w_prior μ'/V) (y − μ)", WLS3_GENERAL
    else:
        c = np.array(prob.prior_weights, dtype=float)
        u = Xk.T @ (c * (y - mu))
        label, statement = "X' diag(w_prior) (y − μ)", WLS3_CANONICAL
    terms = np.abs(Xk).T @ (np.abs(c) * (np.abs(y) + np.abs(mu)))
    # The metric in which u is "the score": the information of the form being checked,
    # X' diag(c^2 V / w_prior) X. General form: the working weights w; canonical form:
    # w_prior V(mu), which equals w exactly when the link is canonical (mu' = V).
    info_w = np.asarray(s.w) if form == "general" else prob.prior_weights * fam.variance(mu)
    A = Xk * np.sqrt(info_w)[:, None]
    size = _inverse_quadratic(A, u)
    floor = (prob.n * EPS) ** 2 * _inverse_quadratic(A, terms)
    scale = abs(s.deviance) + 0.1
    tol = rtol * scale + floor

    notes = [f"iteration {s.iteration}, {state_note(s)}"]
    if form == "canonical" and not fam.is_canonical:
        notes.append(f"the {fam.link.name} link is not canonical for the {fam.name} family "
                     f"(canonical: {fam.canonical_link}), so this form need not vanish; "
                     "use form='general'")
    notes.append(f"max|score| = {_fmt(float(np.max(np.abs(u))) if u.size else 0.0)}")
    return CheckResult(
        name=f"WLS.3 ({form})", statement=statement, quantity=readonly(expand(u, kept)),
        quantity_label=label, size=size, size_label="u'M⁻¹u", tol=tol, rtol=rtol,
        scale=scale, scaling=_WLS3_SCALING, holds=bool(size <= tol), iteration=s.iteration,
        note="; ".join(notes), floor=floor,
    )
