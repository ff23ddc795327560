r"""Three ways to propose a step from the same state: Fisher scoring, Newton, gradient ascent.

Each method proposes :math:`\beta^{\text{next}}` as the minimum of a quadratic model of
the deviance around :math:`\beta^{(k)}`,

.. math:: Q_k(\beta) = D(\beta^{(k)}) - 2\,U^\top\delta + \delta^\top H\,\delta,
          \qquad \delta = \beta - \beta^{(k)},

(:func:`glmlearn.surface.quadratic_model`); they differ only in the curvature
:math:`H`. The loop in ``glmlearn/_irls.py`` is the same for all three (the same convergence
criterion; step 5's halving follows ``step_halving`` for ``"fisher"``, R's rule by
default, while ``"newton"`` and ``"gradient"`` always halve while the deviance rises,
glm2's rule, as their line search), so every method yields
:class:`~glmlearn.IRLSState` objects that every panel, check and animation reads.

``"fisher"`` (IRLS, the default)
    :math:`H = X^\top W X` with the working weights :math:`w = w^{\text{p}}\mu'^2/V`:
    the *expected* information (times :math:`\phi`). Always positive: the model is a
    bowl and the step a weighted least-squares solve.

``"newton"`` (Newton-Raphson)
    :math:`H = \mathcal J = X^\top W_o X`, the *observed* information, with the observed
    weights

    .. math:: w_o = w - w^{\text{p}} (y - \mu)\, \frac{d}{d\eta}\Bigl[\frac{\mu'(\eta)}{V(\mu)}\Bigr],
              \qquad \frac{d}{d\eta}\Bigl[\frac{\mu'}{V}\Bigr]
              = \frac{\mu''}{V} - \frac{\mu'^2 V'(\mu)}{V^2},

    and the matching working response :math:`z_o = \eta + w^{\text{p}}\mu'(y - \mu)/(V w_o)`,
    so that the step is still the solve of :math:`\min\sum w_{o,i}(z_{o,i} - o_i -
    x_i^\top\beta)^2` (the state's ``w`` and ``z`` are :math:`w_o` and :math:`z_o`). For a
    canonical link :math:`\mu'/V` is a constant (1 for the logit, log and identity links,
    -1 for the gamma family's inverse link), its derivative is zero, :math:`w_o = w`, and
    Newton *is* Fisher scoring: the very same numbers. For other links :math:`w_o` can
    be negative where :math:`y` is far from :math:`\mu`, and far from the optimum
    :math:`\mathcal J` need not be positive definite: the model then has no minimum and
    the Newton step need not go downhill. Newton's step is then not taken: that state
    takes the Fisher-scoring step instead, and says why in ``state.fallback``.

``"gradient"`` (gradient ascent on the log-likelihood)
    :math:`H = \mathbf 1/\alpha` (:math:`\mathbf 1` the identity matrix): the step is
    :math:`\alpha U`, along the score. By default
    :math:`\alpha = 1/\lambda_{\max}(X^\top W X)` at each state (the largest curvature
    of the Fisher model, so the step does not overshoot that model in any direction),
    then the loop's step-halving backtracks while the deviance rises: a backtracking
    line search. ``step_size=`` fixes :math:`\alpha` instead (the halving still applies).
    From R's starting means there are no coefficients to move along the score: that
    first step is the IRLS step (``state.fallback`` says so); pass ``start=`` to avoid
    it. Gradient ascent converges linearly, at a rate set by the condition number of
    the information: expect hundreds of iterations, and raise ``max_iter``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from ._arrays import Array
from ._state import IRLSState, _starting_eta, _Vectors, _vectors_at, _wls_step, _WLSStep
from .errors import GLMInputError
from .family import Family
from .linalg import RCOND_MIN, WLSSolution, _cho_solve, _cholesky_rcond, find_aliased
from .problem import GLMProblem

__all__ = ["FISHER", "METHODS", "METHOD_NAMES", "Proposal", "StepRule", "check_method", "observed_weights",
           "recompute_vectors", "step_rule"]

#: The methods :func:`glmlearn.irls` knows.
METHODS = ("fisher", "newton", "gradient")
#: How warnings and summaries name the two that are not IRLS's own Fisher scoring.
METHOD_NAMES = {"newton": "Newton-Raphson", "gradient": "gradient ascent"}


# --- the second derivatives Newton needs ----------------------------------------------------

def _cloglog_mu_eta2(eta: Array) -> Array:
    # mu = 1 - exp(-e^eta): mu' = exp(eta - e^eta), mu'' = mu' (1 - e^eta); 0 far out
    with np.errstate(all="ignore"):
        t = np.exp(eta)
        d2 = np.exp(eta - t) * (1 - t)
    return np.where(np.isfinite(d2), d2, 0.0)


#: :math:`d^2\mu/d\eta^2` of each link, as a function of :math:`\eta` and :math:`\mu`.
MU_ETA2: dict[str, Callable[[Array, Array], Array]] = {
    "identity": lambda eta, mu: np.zeros_like(eta),
    "log": lambda eta, mu: mu,
    "logit": lambda eta, mu: mu * (1 - mu) * (1 - 2 * mu),
    "probit": lambda eta, mu: -eta * stats.norm.pdf(eta),
    "cloglog": lambda eta, mu: _cloglog_mu_eta2(eta),
    "cauchit": lambda eta, mu: -2 * eta / (np.pi * (1 + eta**2) ** 2),
    "inverse": lambda eta, mu: 2 / eta**3,
    "inverse_squared": lambda eta, mu: 0.75 * eta ** (-2.5),
    "sqrt": lambda eta, mu: np.full_like(eta, 2.0),
}

#: :math:`V'(\mu)` of each family.
VARIANCE_DERIV: dict[str, Callable[[Array], Array]] = {
    "gaussian": lambda mu: np.zeros_like(mu),
    "binomial": lambda mu: 1 - 2 * mu,
    "poisson": lambda mu: np.ones_like(mu),
    "gamma": lambda mu: 2 * mu,
    "inverse_gaussian": lambda mu: 3 * mu**2,
}


def check_method(method: object, family: Family, step_size: object) -> str:
    """Refuse an unknown method, a Newton step without the derivatives it needs, or a bad
    step size, naming the argument."""
    if not isinstance(method, str) or method not in METHODS:
        raise GLMInputError(f"method: must be one of {', '.join(map(repr, METHODS))}, "
                            f"got {method!r}")
    if method == "newton" and not family.is_canonical and (
            family.link.name not in MU_ETA2 or family.name not in VARIANCE_DERIV):
        raise GLMInputError(
            f"method: 'newton' needs d²mu/deta² of the {family.link.name!r} link and V'(mu) "
            f"of the {family.name!r} family, which glmlearn knows only for its own links "
            f"({', '.join(MU_ETA2)}) and families; use method='fisher'")
    if step_size is not None:
        if method != "gradient":
            raise GLMInputError(f"step_size: only method='gradient' takes a step size, "
                                f"got method={method!r}")
        ok = isinstance(step_size, int | float | np.floating) and not isinstance(step_size, bool)
        if not (ok and math.isfinite(float(step_size)) and float(step_size) > 0):  # type: ignore[arg-type]
            raise GLMInputError(f"step_size: must be a positive number, got {step_size!r}")
    return method


def observed_weights(family: Family, y: Array, mu: Array, eta: Array,
                     prior_weights: Array | None = None, *, w: Array | None = None) -> Array:
    r"""Newton's observed weights
    :math:`w_o = w - w^{\text{p}}(y - \mu)\,\tfrac{d}{d\eta}[\mu'(\eta)/V(\mu)]`.

    :math:`X^\top \operatorname{diag}(w_o) X = -\partial U/\partial\beta^\top` is the
    observed information (times :math:`\phi`), where the working weights
    :math:`w = w^{\text{p}}\mu'^2/V` give the expected one. :math:`w > 0` always;
    :math:`w_o` can be negative where :math:`y` is far from :math:`\mu`. For a canonical link
    the derivative is zero and :math:`w_o = w` (up to rounding here: the formula is
    written out for every link).

    Parameters
    ----------
    family : Family
        Any of glmlearn's families with one of its links (:data:`MU_ETA2`,
        :data:`VARIANCE_DERIV`).
    y, mu, eta : (n,) ndarray
    prior_weights : (n,) ndarray, optional
    w : (n,) ndarray, optional
        The working weights, when already at hand.

    Returns
    -------
    (n,) ndarray
    """
    d = family.mu_eta(eta)
    v = family.variance(mu)
    pw = 1.0 if prior_weights is None else prior_weights
    if w is None:
        w = pw * d**2 / v
    ratio_deriv = (MU_ETA2[family.link.name](eta, mu) / v
                   - d**2 * VARIANCE_DERIV[family.name](mu) / v**2)
    return np.asarray(w - pw * (y - mu) * ratio_deriv)


# --- proposals -------------------------------------------------------------------------------

class Proposal(NamedTuple):
    """A method's step from one state: the vectors the state keeps (its ``w`` and ``z``
    are those the step used), step 4's solution and score, and why the method's own
    step was not taken (empty when it was)."""

    vectors: _Vectors
    step4: _WLSStep
    fallback: str = ""


@dataclass(frozen=True)
class StepRule:
    """How a method proposes ``beta_next`` (see the module docstring)."""

    name: str
    step_size: float | None = None

    @property
    def lazy_last(self) -> bool:
        """Whether the last state's step may wait until asked for (IRLS's own shortcut,
        whose on-request solve is Fisher scoring)."""
        return self.name == "fisher"

    def propose(self, problem: GLMProblem, vec: _Vectors, aliased: NDArray[np.bool_] | None,
                terms: Array | None, beta: Array | None) -> Proposal:
        """The step from the state whose steps 1-3 are ``vec`` (Fisher's weights) and
        whose score terms are ``terms`` (Fisher scoring may leave them, and the score,
        to the state: None); ``aliased`` None finds the aliased columns."""
        if self.name == "fisher":
            return Proposal(vec, _wls_step(problem, vec, aliased, terms))
        assert terms is not None  # (Newton's and gradient ascent's steps need them)
        if self.name == "newton":
            return _newton(problem, vec, aliased, terms)
        return _gradient(problem, vec, aliased, terms, beta, self.step_size)


def step_rule(method: str, step_size: float | None = None) -> StepRule:
    """The :class:`StepRule` of a method already checked by :func:`check_method`."""
    return StepRule(method, None if step_size is None else float(step_size))


#: IRLS's own rule.
FISHER = StepRule("fisher")


def _newton_vectors(problem: GLMProblem, vec: _Vectors, terms: Array) -> _Vectors:
    """Steps 2-3 with the observed weights and the matching working response."""
    w_o = observed_weights(problem.family, problem.y, vec.mu, vec.eta, problem.prior_weights,
                           w=vec.w)
    safe = np.where(w_o != 0, w_o, 1.0)
    # Where w_o = 0 the row carries no weight and z_o is immaterial: eta keeps it finite.
    z_o = np.where(w_o != 0, vec.eta + terms / safe, vec.eta)
    for a in (w_o, z_o):
        a.setflags(write=False)
    return _Vectors(vec.eta, vec.mu, w_o, z_o, vec.mu_eta)


def _newton(problem: GLMProblem, vec: _Vectors, aliased: NDArray[np.bool_] | None,
            terms: Array) -> Proposal:
    if problem.family.is_canonical:  # d/deta [mu'/V] = 0: the observed weights are w
        return Proposal(vec, _wls_step(problem, vec, aliased, terms))
    X, o = problem.X, problem.offset
    if aliased is None:  # R's rule on the Fisher weights, as for IRLS
        aliased = find_aliased(X, vec.w)
    keep = ~aliased
    nvec = _newton_vectors(problem, vec, terms)
    w_o = nvec.w
    # The normal equations without sqrt(w_o), which may be negative:
    # X'W_o X beta = X'W_o (z_o - o) = X'(w_o (eta - o) + terms).
    G = X.T @ (X * w_o[:, None])
    U = X.T @ terms
    b = X[:, keep].T @ (w_o * (vec.eta - o) + terms)
    factor, rcond = _cholesky_rcond(G[np.ix_(keep, keep)])
    if factor is None or not rcond >= RCOND_MIN:
        negative = int(np.count_nonzero(w_o < 0))
        why = (f"the observed information is not positive definite ({negative} of "
               f"{w_o.size} observed weights negative): the Fisher-scoring step was taken")
        return Proposal(vec, _wls_step(problem, vec, aliased, terms), why)
    beta_next = np.full(X.shape[1], np.nan)
    beta_next[keep] = _cho_solve(factor, b)
    for a in (beta_next, G, U):
        a.setflags(write=False)
    return Proposal(nvec, _WLSStep(WLSSolution(beta_next, aliased, G, "cholesky", rcond), U))


def _gradient(problem: GLMProblem, vec: _Vectors, aliased: NDArray[np.bool_] | None,
              terms: Array, beta: Array | None, step_size: float | None) -> Proposal:
    fisher = _wls_step(problem, vec, aliased, terms)
    if beta is None:
        return Proposal(vec, fisher, "no coefficients at R's starting means to move along the "
                                     "score: the first step is the IRLS step")
    aliased = fisher.solution.aliased
    keep = ~aliased
    U = fisher.score
    assert U is not None  # (terms were given)
    if step_size is None:
        lam = float(np.linalg.eigvalsh(fisher.solution.xtwx[np.ix_(keep, keep)])[-1])
        alpha = 1.0 / lam if lam > 0 else 1.0
    else:
        alpha = step_size
    beta_next = np.where(aliased, np.nan, np.asarray(beta, dtype=float) + alpha * U)
    H = np.eye(beta_next.size) / alpha
    for a in (beta_next, H):
        a.setflags(write=False)
    return Proposal(vec, _WLSStep(WLSSolution(beta_next, aliased, H, "gradient", 1.0), U))


def recompute_vectors(state: IRLSState) -> _Vectors:
    """A compact state's vectors, recomputed from its beta by the loop's own code."""
    problem = state.problem
    vec, terms = _vectors_at(problem, _starting_eta(problem, state.beta))
    if state.method == "newton" and not state.fallback and not problem.family.is_canonical:
        assert terms is not None
        return _newton_vectors(problem, vec, terms)
    return vec
