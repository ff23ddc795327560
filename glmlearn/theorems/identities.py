"""Two identities of the IRLS ingredients: the working weights' formula, and the gaussian
identity-link fit that is least squares after one step."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._arrays import Array, readonly
from .._irls import IRLSState
from ..errors import GLMInputError
from ..problem import GLMProblem
from ..results import GLMResult
from ._common import (
    EPS,
    StateLike,
    as_state,
    as_trace,
    check_rtol,
    cond,
    expand,
    kept_columns,
    not_applicable,
    state_note,
)
from ._report import CheckResult, _fmt

__all__ = ["check_gaussian_one_step", "check_working_weights"]

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
    rtol = check_rtol(rtol)
    s = as_state(state)
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
        name="working weights", statement=WEIGHTS_STATEMENT, quantity=readonly(rel),
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

    Every WLS step of such a fit solves the same (prior-weighted) least-squares problem,
    whatever the current :math:`\beta`. Each :math:`\beta^{(k)}` is compared with an
    independent solve, ``numpy.linalg.lstsq`` of :math:`\sqrt{w^{\text{p}}}\,X` on
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
    :func:`check_fisher_scoring`). IRLS reports 2 iterations, as R does: the second only
    confirms that the deviance stopped changing.
    """
    rtol = check_rtol(rtol)
    states = as_trace(result)
    if not states:
        raise GLMInputError("result: the trace is empty")
    last = states[-1]
    prob, fam = last.problem, last.problem.family
    scaling = "‖β_OLS‖∞"
    if fam.name != "gaussian" or fam.link.name != "identity" or len(states) < 2:
        why = (f"needs a gaussian fit with identity link and at least one WLS step; this is "
               f"{fam.name} with the {fam.link.name} link, {len(states) - 1} step(s)")
        return not_applicable("gaussian one step", GAUSSIAN_STATEMENT, last, why, rtol,
                               scaling)
    kept = kept_columns(last)
    sw = np.sqrt(prob.prior_weights)
    ols = np.linalg.lstsq(prob.X[:, kept] * sw[:, None], sw * (prob.y - prob.offset),
                          rcond=None)[0]
    rows = []
    for st in states[1:]:
        assert st.beta is not None  # every state after a WLS step has coefficients
        rows.append(expand(np.asarray(st.beta, dtype=float)[kept] - ols, kept))
    dev = np.vstack(rows)
    size = float(np.nanmax(np.abs(dev))) if np.any(kept) else 0.0
    scale = float(np.max(np.abs(ols), initial=0.0))
    Xw = prob.X[:, kept] * sw[:, None]
    floor = 10 * EPS * cond(Xw.T @ Xw) * scale
    tol = rtol * scale + floor
    return CheckResult(
        name="gaussian one step", statement=GAUSSIAN_STATEMENT, quantity=readonly(dev),
        quantity_label="β⁽ᵏ⁾ − β_OLS, k = 1, 2, …", size=size,
        size_label="max_k max|β⁽ᵏ⁾ − β_OLS|", tol=tol, rtol=rtol, scale=scale,
        scaling=scaling, holds=bool(size <= tol), iteration=last.iteration,
        note=f"{len(states) - 1} IRLS iteration(s), {state_note(last)}", floor=floor,
    )


# --- along a trace ------------------------------------------------------------------------
