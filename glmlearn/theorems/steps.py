"""The IRLS step is a Fisher-scoring step, and a Newton-Raphson step for canonical links."""

from __future__ import annotations

import numpy as np

from .._arrays import Array, readonly
from .._irls import IRLSState, score, working_weights
from ..problem import GLMProblem
from ._common import EPS, StateLike, as_state, check_rtol, cond, expand, kept_columns, not_applicable, solve
from ._report import CheckResult, Mask

__all__ = ["check_fisher_scoring", "check_newton_raphson"]

_STEP_SCALING = "max(‖β‖∞, ‖β_next‖∞)"
FISHER_STATEMENT = ("the IRLS step is the Fisher-scoring step: β_next − β = I(β)⁻¹U(β), "
                    "I = X' diag(w_prior μ'²/V) X")
NEWTON_STATEMENT = ("the IRLS step is the Newton-Raphson step: β_next − β = J(β)⁻¹U(β), "
                    "J = −∂U/∂β' the observed information (holds for canonical links)")


def _step_inputs(s: IRLSState) -> tuple[Mask, Array, Array] | str:
    """The kept columns, :math:`\\beta` and :math:`\\beta^{\\text{next}}`, or why there is no step."""
    if s.beta is None:
        return (f"state {s.iteration} has no coefficients β (IRLS started from R's starting "
                "means), so there is no step from β to compare; the first step is at state 1")
    kept = kept_columns(s)
    beta = np.asarray(s.beta, dtype=float)[kept]
    return kept, beta, np.asarray(s.beta_next, dtype=float)[kept]


def _score_at(prob: GLMProblem, Xk: Array, b: Array) -> Array:
    """The score as a function of the (kept) coefficients, from the data and the family."""
    eta = Xk @ b + prob.offset
    mu = prob.family.link_inverse(eta)
    return score(prob.family, Xk, prob.y, mu, eta, prob.prior_weights)


def _step_result(name: str, statement: str, s: IRLSState, kept: Mask, beta: Array,
                 beta_next: Array, other_step: Array, rtol: float, note: str,
                 floor_factor: float) -> CheckResult:
    d = (beta_next - beta) - other_step
    size = float(np.max(np.abs(d))) if d.size else 0.0
    scale = float(max(np.max(np.abs(beta), initial=0.0), np.max(np.abs(beta_next), initial=0.0)))
    floor = floor_factor * scale
    tol = rtol * scale + floor
    return CheckResult(
        name=name, statement=statement, quantity=readonly(expand(d, kept)),
        quantity_label=f"(β_next − β) − {'I' if name.startswith('Fisher') else 'J'}⁻¹U",
        size=size, size_label="max|difference of steps|", tol=tol, rtol=rtol, scale=scale,
        scaling=_STEP_SCALING, holds=bool(size <= tol), iteration=s.iteration, note=note,
        floor=floor,
    )


def check_fisher_scoring(state: StateLike, *, rtol: float = 1e-8) -> CheckResult:
    r"""The IRLS step equals the Fisher-scoring step :math:`\mathcal I(\beta)^{-1} U(\beta)`.

    :math:`U` and :math:`\mathcal I` are computed afresh at the state's :math:`\beta`, from
    the data and the family (:func:`glmlearn.score` and :func:`glmlearn.working_weights`),
    not from the state's ``z`` or the WLS solver, and :math:`\mathcal I\delta = U` is
    solved directly.

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
    rtol = check_rtol(rtol)
    s = as_state(state)
    got = _step_inputs(s)
    if isinstance(got, str):
        return not_applicable("Fisher scoring", FISHER_STATEMENT, s, got, rtol, _STEP_SCALING)
    kept, beta, beta_next = got
    prob, fam = s.problem, s.problem.family
    Xk = prob.X[:, kept]
    eta = Xk @ beta + prob.offset
    mu = fam.link_inverse(eta)
    U = score(fam, Xk, prob.y, mu, eta, prob.prior_weights)
    info_w = working_weights(fam, mu, eta, prob.prior_weights)
    info = (Xk * info_w[:, None]).T @ Xk
    return _step_result("Fisher scoring", FISHER_STATEMENT, s, kept, beta, beta_next,
                        solve(info, U), rtol, "", 10 * EPS * cond(info))


def check_newton_raphson(state: StateLike, *, rtol: float = 1e-6) -> CheckResult:
    r"""The IRLS step equals the Newton-Raphson step :math:`\mathcal J(\beta)^{-1} U(\beta)`.

    The observed information :math:`\mathcal J` is computed independently, by central
    finite differences of the score :math:`U(\beta)` (each column with step
    :math:`h_j = \varepsilon^{1/3} \max(\lVert\eta\rVert_\infty, 1) / \lVert x_j\rVert_\infty`),
    then symmetrised. For a canonical link :math:`\mathcal J = \mathcal I` and the check
    holds; for other links the steps differ by :math:`(\mathcal J^{-1} - \mathcal I^{-1})U`
    and it reports *does not hold* (while the step is resolvable).

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
    \max(\lVert\beta\rVert_\infty, \lVert\beta^{\text{next}}\rVert_\infty)`, the floor
    being the finite-difference error of :math:`\mathcal J` carried into the step. At a
    converged state the step itself is below that tolerance, so Newton and Fisher steps
    cannot be told apart there and the check holds for any link: look at early states.
    """
    rtol = check_rtol(rtol)
    s = as_state(state)
    got = _step_inputs(s)
    if isinstance(got, str):
        return not_applicable("Newton-Raphson", NEWTON_STATEMENT, s, got, rtol, _STEP_SCALING)
    kept, beta, beta_next = got
    prob, fam = s.problem, s.problem.family
    Xk = prob.X[:, kept]
    U = _score_at(prob, Xk, beta)
    eta_size = max(float(np.max(np.abs(Xk @ beta + prob.offset))), 1.0)
    col_size = np.max(np.abs(Xk), axis=0)
    J = np.empty((beta.size, beta.size))
    for j in range(beta.size):
        h = EPS ** (1 / 3) * eta_size / col_size[j]
        e = np.zeros(beta.size)
        e[j] = h
        J[:, j] = -(_score_at(prob, Xk, beta + e) - _score_at(prob, Xk, beta - e)) / (2 * h)
    J = (J + J.T) / 2
    floor_factor = EPS ** (2 / 3) * cond(J)
    note = ("canonical link: observed information = expected information" if fam.is_canonical
            else f"the {fam.link.name} link is not canonical for the {fam.name} family: "
                 "IRLS is Fisher scoring, not Newton-Raphson")
    return _step_result("Newton-Raphson", NEWTON_STATEMENT, s, kept, beta, beta_next,
                        solve(J, U), rtol, note, floor_factor)
