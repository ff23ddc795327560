r"""Each IRLS step minimises a quadratic model of the deviance: the three facts, checked.

With :math:`\delta = \beta - \beta^{(k)}`, the state's score :math:`U` and its ``xtwx``
:math:`H`, the model (:func:`glmlearn.surface.quadratic_model`) is

.. math:: Q_k(\beta) = D(\beta^{(k)}) - 2\,U^\top\delta + \delta^\top H\,\delta .

* **its minimum is the step** (:func:`check_quadratic_minimum`):
  :math:`\arg\min Q_k = \beta^{(k)} + H^{-1}U =` ``beta_next``;
* **it touches the deviance** (:func:`check_quadratic_touches`): value and gradient
  agree with :math:`D` at :math:`\beta^{(k)}`, since :math:`\partial D/\partial\beta = -2U`;
* **its curvature is the information** (:func:`check_quadratic_curvature`): :math:`H`
  equals the observed information
  :math:`\mathcal J = \tfrac12\,\partial^2 D/\partial\beta\,\partial\beta^\top` for a
  canonical link (IRLS's :math:`H = X^\top W X`, the expected information, is
  then also the observed one) and for a Newton step; for a non-canonical link the
  Fisher-scoring model's curvature differs from :math:`D`'s, and the check says so.

And :func:`check_newton_equals_fisher`: the Newton step (observed information) is the
Fisher-scoring step (expected information) exactly when the link is canonical.

The gradient and the curvature of :math:`D` are measured by central finite differences
of the data's own deviance and score, not from the state's fields.
"""

from __future__ import annotations

import numpy as np

from .._arrays import readonly
from .._irls import IRLSState, working_weights
from ..surface import quadratic_model
from ._common import EPS, StateLike, as_state, check_rtol, cond, expand, not_applicable, solve
from ._report import CheckResult, Mask
from .steps import _score_at

__all__ = ["check_newton_equals_fisher", "check_quadratic_curvature", "check_quadratic_minimum",
           "check_quadratic_touches"]

MINIMUM_STATEMENT = ("the minimum of the step's quadratic model Q_k(β) = D⁽ᵏ⁾ − 2U'δ + δ'Hδ "
                     "is β_next")
TOUCHES_STATEMENT = ("the quadratic model Q_k has the deviance's value and gradient at β⁽ᵏ⁾: "
                     "∂D/∂β = −2U")
CURVATURE_STATEMENT = ("the quadratic model's curvature is the deviance's: H = J = ½ ∂²D/∂β∂β' "
                       "(holds for canonical links and Newton steps)")
_NO_BETA = ("state {k} has no coefficients β (IRLS started from R's starting means), so "
            "there is no point to expand the deviance around; the first model is at state 1")


def _model_or_why(s: IRLSState) -> str | None:
    return _NO_BETA.format(k=s.iteration) if s.beta is None else None


def check_quadratic_minimum(state: StateLike, *, rtol: float = 1e-8) -> CheckResult:
    r"""The minimum of the state's quadratic model :math:`Q_k` is ``state.beta_next``.

    The minimum is solved afresh from the state's score and ``xtwx``
    (:math:`H\delta = U`, :func:`numpy.linalg.solve`) and compared with the solution of
    the state's weighted least-squares problem.

    Parameters
    ----------
    state : IRLSState or GLMResult
    rtol : float

    Returns
    -------
    CheckResult
        ``quantity`` is :math:`\arg\min Q_k - \beta^{\text{next}}`.

    Notes
    -----
    Tolerance: :math:`(\mathrm{rtol} + 10\,\varepsilon\,\kappa_1(H))\cdot
    \max(\lVert\beta^{(k)}\rVert_\infty, \lVert\beta^{\text{next}}\rVert_\infty)`, the
    forward error of two solves with the same matrix.
    """
    rtol = check_rtol(rtol)
    s = as_state(state)
    scaling = "max(‖β‖∞, ‖β_next‖∞)"
    why = _model_or_why(s)
    if why is not None:
        return not_applicable("Quadratic model: minimum", MINIMUM_STATEMENT, s, why, rtol,
                              scaling)
    q = quadratic_model(s)
    kept: Mask = np.asarray(q.kept, dtype=bool)
    d = q.minimum[kept] - np.asarray(s.beta_next, dtype=float)[kept]
    size = float(np.max(np.abs(d), initial=0.0))
    scale = float(max(np.max(np.abs(q.beta[kept]), initial=0.0),
                      np.max(np.abs(np.asarray(s.beta_next)[kept]), initial=0.0)))
    floor = 10 * EPS * cond(q.hessian) * scale
    tol = rtol * scale + floor
    return CheckResult(
        name="Quadratic model: minimum", statement=MINIMUM_STATEMENT,
        quantity=readonly(expand(d, kept)), quantity_label="argmin Q_k − β_next",
        size=size, size_label="max|difference|", tol=tol, rtol=rtol, scale=scale,
        scaling=scaling, holds=bool(size <= tol), iteration=s.iteration,
        note=f"{s.method} step", floor=floor)


def _deviance_at(s: IRLSState, kept: Mask, b: np.ndarray) -> float:
    prob = s.problem
    eta = prob.X[:, kept] @ b + prob.offset
    with np.errstate(all="ignore"):
        return float(prob.family.deviance(prob.y, prob.family.link_inverse(eta),
                                          prob.weights_or_none))


def _steps(s: IRLSState, kept: Mask, beta: np.ndarray) -> np.ndarray:
    """Finite-difference steps,
    :math:`h_j = \\varepsilon^{1/3}\\max(\\lVert\\eta\\rVert_\\infty, 1)/\\lVert x_j\\rVert_\\infty`."""
    prob = s.problem
    Xk = prob.X[:, kept]
    eta_size = max(float(np.max(np.abs(Xk @ beta + prob.offset))), 1.0)
    col = np.max(np.abs(Xk), axis=0)
    return np.asarray(EPS ** (1 / 3) * eta_size / np.where(col > 0, col, 1.0))


def check_quadratic_touches(state: StateLike, *, rtol: float = 1e-6) -> CheckResult:
    r""":math:`Q_k` and :math:`D` agree in value and gradient at :math:`\beta^{(k)}`.

    The value agrees by construction (:math:`Q_k(\beta^{(k)}) = D^{(k)}`); the check
    measures the gradient of the deviance by central differences of :math:`D` itself
    (the family's deviance of the data at :math:`\beta^{(k)} \pm h_j e_j`) and compares it
    with the model's gradient :math:`-2U`, and recomputes the deviance at
    :math:`\beta^{(k)}` to compare with the state's :math:`D^{(k)}`.

    Parameters
    ----------
    state : IRLSState or GLMResult
    rtol : float
        Relative to the gradient; finite differences are accurate to about
        :math:`\varepsilon^{2/3}`.

    Returns
    -------
    CheckResult
        ``quantity`` is :math:`\nabla D + 2U` (finite differences).

    Notes
    -----
    The gradient is Richardson's extrapolation of central differences with steps
    :math:`h` and :math:`h/2`. Tolerance: :math:`\mathrm{rtol}\cdot 2\lVert U\rVert_\infty`
    plus the floor of the differences' own error, :math:`10\,\varepsilon\max(|D|, 1)/\min_j
    (h_j/2)` for rounding and a tenth of the gap between the two step sizes' gradients
    for what is left of truncation (a converged state's gradient is below it).
    """
    rtol = check_rtol(rtol)
    s = as_state(state)
    scaling = "2‖U‖∞"
    why = _model_or_why(s)
    if why is not None:
        return not_applicable("Quadratic model: touches D", TOUCHES_STATEMENT, s, why, rtol,
                              scaling)
    q = quadratic_model(s)
    kept: Mask = np.asarray(q.kept, dtype=bool)
    beta = q.beta[kept]
    h = _steps(s, kept, beta)

    def central(step: np.ndarray) -> np.ndarray:
        g = np.empty(beta.size)
        for j in range(beta.size):
            e = np.zeros(beta.size)
            e[j] = step[j]
            up, down = _deviance_at(s, kept, beta + e), _deviance_at(s, kept, beta - e)
            g[j] = (up - down) / (2 * step[j])
        return g

    coarse, fine = central(h), central(h / 2)
    grad = (4 * fine - coarse) / 3  # Richardson: the h^2 error term cancels
    value_gap = abs(_deviance_at(s, kept, beta) - q.deviance)
    d = grad + 2 * q.score
    size = float(max(np.max(np.abs(d), initial=0.0), value_gap))
    scale = float(2 * np.max(np.abs(q.score), initial=0.0))
    # The differences' own error: rounding of D over the smallest step, and what is left
    # of the truncation error (a fraction of the gap between the two step sizes).
    rounding = 10 * EPS * max(abs(q.deviance), 1.0) / float(np.min(h / 2))
    floor = rounding + 0.1 * float(np.max(np.abs(fine - coarse), initial=0.0))
    tol = rtol * scale + floor
    return CheckResult(
        name="Quadratic model: touches D", statement=TOUCHES_STATEMENT,
        quantity=readonly(expand(d, kept)), quantity_label="∇D (finite differences) + 2U",
        size=size, size_label="max(|gradient gap|, |value gap|)", tol=tol, rtol=rtol,
        scale=scale, scaling=scaling, holds=bool(size <= tol), iteration=s.iteration,
        floor=floor)


def check_quadratic_curvature(state: StateLike, *, rtol: float = 1e-6) -> CheckResult:
    r"""The model's curvature :math:`H` is the observed information :math:`\mathcal J`.

    :math:`\mathcal J = -\partial U/\partial\beta^\top
    = \tfrac12\,\partial^2 D/\partial\beta\,\partial\beta^\top`
    is measured by central differences of the score (computed from the data and the
    family, as in :func:`check_newton_raphson`), then symmetrised. It equals IRLS's
    :math:`H = X^\top W X` (the expected information) for canonical links, and a Newton
    state's :math:`H` for every link. For a non-canonical Fisher-scoring state the check
    reports *does not hold*: the model has the deviance's slope but not its curvature,
    which is why Fisher scoring converges linearly there.

    Parameters
    ----------
    state : IRLSState or GLMResult
    rtol : float

    Returns
    -------
    CheckResult
        ``quantity`` is :math:`H - \mathcal J` (flattened).

    Notes
    -----
    Tolerance: :math:`(\mathrm{rtol} + \varepsilon^{2/3}\kappa_1(\mathcal J))
    \lVert\mathcal J\rVert_{\max}`.
    """
    rtol = check_rtol(rtol)
    s = as_state(state)
    scaling = "max|J|"
    why = _model_or_why(s)
    if why is not None:
        return not_applicable("Quadratic model: curvature", CURVATURE_STATEMENT, s, why, rtol,
                              scaling)
    q = quadratic_model(s)
    kept: Mask = np.asarray(q.kept, dtype=bool)
    beta = q.beta[kept]
    prob = s.problem
    Xk = prob.X[:, kept]
    h = _steps(s, kept, beta)
    J = np.empty((beta.size, beta.size))
    for j in range(beta.size):
        e = np.zeros(beta.size)
        e[j] = h[j]
        J[:, j] = -(_score_at(prob, Xk, beta + e) - _score_at(prob, Xk, beta - e)) / (2 * h[j])
    J = (J + J.T) / 2
    d = q.hessian - J
    size = float(np.max(np.abs(d), initial=0.0))
    scale = float(np.max(np.abs(J), initial=0.0))
    floor = EPS ** (2 / 3) * cond(J) * scale
    tol = rtol * scale + floor
    fam = prob.family
    if s.method == "newton":
        note = "Newton step: H is the observed information"
    elif fam.is_canonical:
        note = "canonical link: expected information = observed information"
    else:
        note = (f"the {fam.link.name} link is not canonical for the {fam.name} family: "
                "H is the expected information, not the observed one")
    return CheckResult(
        name="Quadratic model: curvature", statement=CURVATURE_STATEMENT,
        quantity=readonly(d.ravel()), quantity_label="H − J", size=size,
        size_label="max|H − J|", tol=tol, rtol=rtol, scale=scale, scaling=scaling,
        holds=bool(size <= tol), iteration=s.iteration, note=note, floor=floor)


NEWTON_FISHER_STATEMENT = ("Newton's step (observed information) equals Fisher scoring's "
                           "(expected information): J⁻¹U = I⁻¹U (holds for canonical links)")


def check_newton_equals_fisher(state: StateLike, *, rtol: float = 1e-8) -> CheckResult:
    r"""At this state, the Newton step :math:`\mathcal J^{-1}U` equals the Fisher-scoring
    step :math:`\mathcal I^{-1}U`.

    Both are computed afresh at the state's :math:`\beta` from the data and the family:
    :math:`\mathcal I = X^\top \operatorname{diag}(w) X` with the working weights, and
    :math:`\mathcal J = X^\top \operatorname{diag}(w_o) X` with the observed weights
    :math:`w_o = w - w^{\text{p}}(y - \mu)\,\tfrac{d}{d\eta}[\mu'/V]` written out from the
    link's second derivative and the variance function's derivative (no shortcut for
    canonical links). For a canonical link :math:`\mu'/V` is a constant, so the derivative
    vanishes, :math:`\mathcal J = \mathcal I` and the check holds at every state; for
    other links it does not hold (while the step is resolvable).

    Parameters
    ----------
    state : IRLSState or GLMResult
    rtol : float

    Returns
    -------
    CheckResult
        ``quantity`` is :math:`\mathcal J^{-1}U - \mathcal I^{-1}U`.

    Notes
    -----
    Tolerance: :math:`(\mathrm{rtol} + 10\,\varepsilon\,\kappa_1(\mathcal I))
    \max(\lVert\beta\rVert_\infty, \lVert\mathcal I^{-1}U\rVert_\infty + \lVert\beta\rVert_\infty)`.
    """
    from .._methods import observed_weights  # the loop's own formula, no canonical shortcut

    rtol = check_rtol(rtol)
    s = as_state(state)
    scaling = "max(‖β‖∞, ‖β + I⁻¹U‖∞)"
    why = _model_or_why(s)
    if why is not None:
        return not_applicable("Newton = Fisher", NEWTON_FISHER_STATEMENT, s, why, rtol, scaling)
    kept: Mask = ~np.isnan(np.asarray(s.beta_next, dtype=float))
    beta = np.asarray(s.beta, dtype=float)[kept]
    prob, fam = s.problem, s.problem.family
    Xk = prob.X[:, kept]
    eta = Xk @ beta + prob.offset
    with np.errstate(all="ignore"):
        mu = fam.link_inverse(eta)
        U = _score_at(prob, Xk, beta)
        w = working_weights(fam, mu, eta, prob.prior_weights)
        try:
            w_o = observed_weights(fam, prob.y, mu, eta, prob.prior_weights, w=w)
        except KeyError:
            return not_applicable("Newton = Fisher", NEWTON_FISHER_STATEMENT, s,
                                  f"glmlearn does not know the second derivatives of the "
                                  f"{fam.link.name} link", rtol, scaling)
    info = (Xk * w[:, None]).T @ Xk
    obs = (Xk * w_o[:, None]).T @ Xk
    fisher, newton = solve(info, U), solve(obs, U)
    d = newton - fisher
    size = float(np.max(np.abs(d), initial=0.0))
    scale = float(max(np.max(np.abs(beta), initial=0.0),
                      np.max(np.abs(beta + fisher), initial=0.0)))
    floor = 10 * EPS * max(cond(info), cond(obs)) * scale
    tol = rtol * scale + floor
    note = ("canonical link: d/dη[μ'/V] = 0, observed = expected information" if fam.is_canonical
            else f"the {fam.link.name} link is not canonical for the {fam.name} family")
    return CheckResult(
        name="Newton = Fisher", statement=NEWTON_FISHER_STATEMENT,
        quantity=readonly(expand(d, kept)), quantity_label="J⁻¹U − I⁻¹U", size=size,
        size_label="max|difference of steps|", tol=tol, rtol=rtol, scale=scale,
        scaling=scaling, holds=bool(size <= tol), iteration=s.iteration, note=note, floor=floor)
