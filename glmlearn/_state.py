r"""The frozen state of one IRLS iteration, and what it recomputes on request.

:class:`IRLSState` is what :func:`glmlearn.irls` yields; the loop that makes the states
is in ``glmlearn/_irls.py`` (``_iterate``). This module holds what a state needs to
answer for itself:

* ``_Vectors``: the n-vectors of steps 1-3 (eta, mu, w, z and :math:`d\mu/d\eta`);
* ``_vectors_at``: steps 1-3 at a linear predictor, computed once for the loop and again,
  by the same code, when a compact state is asked for its vectors;
* ``_linear_predictor`` and ``_starting_eta``: :math:`X\beta + o`, and state 0's eta;
* ``_WLSStep`` and ``_wls_step``: step 4 (weighted least squares and the score), which the
  last state solves only when first asked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from ._arrays import Array
from .linalg import WLSSolution, blockwise_xtv, matvec, wls_pass
from .problem import GLMProblem

__all__ = ["IRLSState"]


class _Vectors(NamedTuple):
    """The n-vectors of steps 1-3 at one linear predictor. (The loop's small records are
    named tuples: as immutable as a frozen dataclass, and a quarter of its cost to make,
    which counts at a classroom's size, several times per iteration.)"""

    eta: Array
    mu: Array
    w: Array
    z: Array
    mu_eta: Array


def _vectors_at(problem: GLMProblem, eta: Array, mu: Array | None = None, *,
                score_terms: bool = True) -> tuple[_Vectors, Array | None]:
    r"""Steps 1-3 at ``eta`` (``mu`` too, when already computed), and the terms
    :math:`w^{\text{prior}}\mu'(\eta)/V(\mu)\,(y - \mu)` of the score (None with
    ``score_terms=False``).

    The formulas of :func:`working_weights`, :func:`working_response` and :func:`score`,
    operation for operation (so the numbers are the same), with what they share
    computed once: :math:`d\mu/d\eta` (for the log link it is :math:`\mu` itself),
    :math:`V(\mu)` and :math:`y - \mu`; in place where that saves an n-vector.
    """
    fam, pw = problem.family, problem.weights_or_none
    link = fam.link  # (eta is already a float array: the link's own functions take it)
    mu = link.inverse(eta) if mu is None else mu
    d = mu if link.mu_eta_is_mu else link.inverse_deriv(eta)
    v = fam.variance(mu)
    w = np.square(d)  # pw * d**2 / V
    if pw is not None:
        np.multiply(pw, w, out=w)
    w /= v
    r = problem.y - mu
    terms = None
    if score_terms:
        terms = d / v if pw is None else pw * d  # pw * d / V * (y - mu)
        if pw is not None:
            terms /= v
        terms *= r
        terms.setflags(write=False)
    z = np.divide(r, d, out=r)  # eta + (y - mu) / d
    z += eta
    for a in (eta, mu, w, z, d):
        a.setflags(write=False)
    return _Vectors(eta, mu, w, z, d), terms


def _linear_predictor(problem: GLMProblem, beta: Array) -> Array:
    """:math:`X\beta + o`, aliased (NaN) coefficients contributing nothing."""
    # (p numbers looked at in Python: at a classroom's size two numpy calls cost more)
    if any(map(math.isnan, beta.tolist())):
        beta = np.where(np.isnan(beta), 0.0, beta)
    return matvec(problem.X, beta, problem.offset)


def _starting_eta(problem: GLMProblem, beta: Array | None) -> Array:
    if beta is not None:
        return _linear_predictor(problem, beta)
    fam = problem.family
    return fam.link_fun(fam.starting_mu(problem.y, problem.prior_weights))


class _WLSStep(NamedTuple):
    """Step 4 at one state: the weighted least-squares solution and the score (None when
    the state computes it on request)."""

    solution: WLSSolution
    score: Array | None


def _wls_step(problem: GLMProblem, vec: _Vectors, aliased: NDArray[np.bool_] | None,
              terms: Array | None) -> _WLSStep:
    """Step 4 on ``(w, z - offset)``, and the score from the same pass over X (unless
    ``terms`` is None)."""
    sol, U = wls_pass(problem.X, vec.w, vec.z, aliased, offset=problem.offset_or_none, v=terms)
    for a in (sol.beta, sol.xtwx, U):
        if a is not None:
            a.setflags(write=False)
    return _WLSStep(sol, U)


def _score(problem: GLMProblem, vec: _Vectors) -> Array:
    """The score at a state whose vectors are kept, asked for after the loop: its terms by
    the loop's own code, summed over the blocks of rows of :func:`normal_equations
    <glmlearn.linalg.normal_equations>` (so the very numbers the pass over X gives)."""
    _, terms = _vectors_at(problem, vec.eta, vec.mu)
    assert terms is not None
    U = blockwise_xtv(problem.X, terms)
    U.setflags(write=False)
    return U


@dataclass(frozen=True, eq=False, init=False)
class IRLSState:
    r"""One iteration of IRLS, frozen.

    Attributes
    ----------
    iteration : int
        0 for the starting values, then 1, 2, ...
    beta : ndarray or None
        :math:`\beta^{(k)}`; None at iteration 0 when starting from R's ``mustart``.
        Aliased coefficients are NaN.
    deviance : float
        :math:`D^{(k)} = \sum_i w_i^{\text{prior}} d(y_i, \mu_i)`.
    criterion : float
        :math:`|D^{(k)} - D^{(k-1)}| / (|D^{(k)}| + 0.1)`; ``inf`` at iteration 0.
    converged : bool
        ``criterion < tol``.
    step_halvings : int
        How many times the step to this state was halved.
    halving_reason : str
        Why it was halved (empty when it was not).
    score : ndarray
        :math:`X^\top \operatorname{diag}(w^{\text{prior}}\mu'(\eta)/V(\mu))(y - \mu)` at this state.
    beta_next : ndarray
        Solution of this state's weighted least-squares problem on ``(w, z - offset)``:
        the full IRLS step, before any halving.
    xtwx : ndarray
        :math:`X^\top W X` at this state, the expected (Fisher) information times
        :math:`\phi`: the matrix :math:`H` of the quadratic model the step minimises
        (:func:`glmlearn.surface.quadratic_model`). For ``method="newton"`` it is the
        observed information (:math:`W` holds the observed weights); for
        ``"gradient"``, :math:`I/\alpha` (:math:`\alpha` the step size).
    wls_method : str
        ``"cholesky"`` or ``"qr"``.
    problem : GLMProblem
        The data (shared, read-only).
    stalled : bool
        True when step-halving could not find an acceptable step: IRLS went back to the
        previous coefficients and stopped there, not converged.
    method : str
        How ``beta_next`` was proposed: ``"fisher"`` (IRLS, Fisher scoring), ``"newton"``
        (observed information) or ``"gradient"`` (gradient ascent); see
        :func:`glmlearn.irls`.
    fallback : str
        Why this state's step is not the method's own (empty when it is): e.g. a Newton
        state whose observed information is not positive definite takes the
        Fisher-scoring step.
    eta, mu, w, z : ndarray
        Linear predictor, means, working weights and working response at this state
        (read-only; recomputed from ``beta`` for compact traces; the last state of a
        Fisher-scoring trace computes ``w`` and ``z`` from its ``eta`` and ``mu`` when
        first asked for).
    """

    iteration: int
    beta: Array | None
    deviance: float
    criterion: float
    converged: bool
    step_halvings: int
    halving_reason: str
    problem: GLMProblem = field(repr=False)
    stalled: bool = False
    method: str = "fisher"
    fallback: str = ""
    _vectors: _Vectors | None = field(default=None, repr=False)
    _step4: _WLSStep | None = field(default=None, repr=False)
    _aliased: NDArray[np.bool_] | None = field(default=None, repr=False)
    # (eta, mu) of IRLS's last state, whose steps 2-3 wait until first asked for
    _point: tuple[Array, Array] | None = field(default=None, repr=False)

    def __init__(self, iteration: int, beta: Array | None, deviance: float, criterion: float,
                 converged: bool, step_halvings: int, halving_reason: str,
                 problem: GLMProblem, stalled: bool = False, method: str = "fisher",
                 fallback: str = "", _vectors: _Vectors | None = None,
                 _step4: _WLSStep | None = None, _aliased: NDArray[np.bool_] | None = None,
                 _point: tuple[Array, Array] | None = None) -> None:
        # The fields, in order, in one dict update: a frozen dataclass's own __init__
        # sets them one by one through object.__setattr__, at twice the cost.
        vars(self).update(
            iteration=iteration, beta=beta, deviance=deviance, criterion=criterion,
            converged=converged, step_halvings=step_halvings, halving_reason=halving_reason,
            problem=problem, stalled=stalled, method=method, fallback=fallback,
            _vectors=_vectors, _step4=_step4, _aliased=_aliased, _point=_point)

    def _get(self) -> _Vectors:
        if self._vectors is not None:
            return self._vectors
        if self._point is not None:
            return self._vectors_of_point
        # (numpy's warnings are silenced as in the loop, where these were first computed)
        with np.errstate(all="ignore"):
            if self.method != "fisher":  # the method's own weights, recomputed the same way
                from ._methods import recompute_vectors
                return recompute_vectors(self)
            return _vectors_at(self.problem, _starting_eta(self.problem, self.beta),
                               score_terms=False)[0]

    @cached_property
    def _vectors_of_point(self) -> _Vectors:
        # The last state's steps 2-3, by the loop's own code at its own eta and mu.
        assert self._point is not None
        with np.errstate(all="ignore"):
            return _vectors_at(self.problem, *self._point, score_terms=False)[0]

    @property
    def _wls(self) -> _WLSStep:
        return self._step4 if self._step4 is not None else self._wls_on_request

    @cached_property
    def _wls_on_request(self) -> _WLSStep:
        # The last state: step 4 solved on first request, from its kept vectors, by the
        # same code as in the loop (so the numbers are those the loop would have had).
        vec = self._get()
        _, terms = _vectors_at(self.problem, vec.eta, vec.mu)
        return _wls_step(self.problem, vec, self._aliased, terms)

    @cached_property
    def _score_on_request(self) -> Array:
        # A state that keeps its vectors has its score summed when first asked for: the
        # loop itself needs only the WLS solution.
        return _score(self.problem, self._get())

    @property
    def score(self) -> Array:
        r""":math:`X^\top \operatorname{diag}(w^{\text{prior}}\mu'(\eta)/V(\mu))(y - \mu)`."""
        U = self._wls.score
        return U if U is not None else self._score_on_request

    @property
    def beta_next(self) -> Array:
        """This state's weighted least-squares solution (the full step, before halving)."""
        return self._wls.solution.beta

    @property
    def xtwx(self) -> Array:
        r""":math:`X^\top W X` at this state."""
        return self._wls.solution.xtwx

    @property
    def wls_method(self) -> str:
        """``"cholesky"`` or ``"qr"``."""
        return self._wls.solution.method

    @property
    def eta(self) -> Array:
        r"""Linear predictor :math:`\eta = X\beta + o`."""
        return self._get().eta if self._point is None else self._point[0]

    @property
    def mu(self) -> Array:
        r"""Fitted means :math:`\mu = g^{-1}(\eta)`."""
        return self._get().mu if self._point is None else self._point[1]

    @property
    def w(self) -> Array:
        r"""Working weights :math:`w^{\text{prior}} / (V(\mu) g'(\mu)^2)`."""
        return self._get().w

    @property
    def z(self) -> Array:
        r"""Working response :math:`\eta + (y - \mu) g'(\mu)` (offset included)."""
        return self._get().z

    @property
    def _fisher_step(self) -> bool:
        """Whether this state's ``beta_next`` and ``xtwx`` are Fisher scoring's (IRLS's
        WLS solve on the working weights): always for ``method="fisher"``, for a Newton
        state of a canonical link (the same numbers) and for any state that fell back."""
        return (self.method == "fisher" or bool(self.fallback)
                or (self.method == "newton" and self.problem.family.is_canonical))

    @property
    def _fisher_weights(self) -> Array:
        r"""The working weights :math:`w^{\text{prior}}\mu'^2/V` at this state (a Newton
        state's own ``w`` holds the observed weights instead)."""
        if self.method == "newton" and not self._fisher_step:
            return _vectors_at(self.problem, self.eta, self.mu, score_terms=False)[0].w
        return self.w

    @property
    def is_compact(self) -> bool:
        """True when the n-length vectors are recomputed on access instead of stored."""
        return self._vectors is None and self._point is None

    @property
    def max_abs_score(self) -> float:
        """:math:`\\max_j |U_j|`, the size of the score."""
        return float(np.nanmax(np.abs(self.score)))

    def __repr__(self) -> str:
        beta = "None" if self.beta is None else np.array2string(self.beta, precision=6)
        return (
            f"IRLSState(iteration={self.iteration}, deviance={self.deviance:.6g}, "
            f"criterion={self.criterion:.3g}, beta={beta}, step_halvings={self.step_halvings})"
        )
