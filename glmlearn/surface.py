r"""The deviance as a function of two coefficients: the surface IRLS walks on.

IRLS is Fisher scoring, a Newton-type method on the deviance
:math:`D(\beta) = \sum_i w_i^{\text{prior}}\, d\bigl(y_i, g^{-1}(x_i^\top\beta + o_i)\bigr)`.
For two coefficients that function can be looked at: :func:`deviance_surface` evaluates
it on a grid of :math:`(\beta_0, \beta_1)`, holding any further coefficients fixed. It
is a picture of the likelihood (the deviance is :math:`-2` times the log-likelihood
ratio against the saturated model), not a fit: nothing is estimated.

Each IRLS step minimises a quadratic model of this surface
(:func:`quadratic_model`): the weighted least-squares objective of the state, which
matches the deviance at :math:`\beta^{(k)}` in value and gradient and has the expected
information as its curvature. :func:`deviance_along` is the deviance along one step, to
be compared with that model's parabola.

This module uses numpy only; ``glmlearn.plot`` draws its results (the path panel and
the step-line panel).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from ._arrays import Array, readonly
from .problem import GLMProblem

if TYPE_CHECKING:
    from ._state import IRLSState

__all__ = ["QuadraticModel", "Surface", "deviance_along", "deviance_surface", "quadratic_model"]


@dataclass(frozen=True, eq=False)
class Surface:
    r"""The deviance on a grid of the first two coefficients (from :func:`deviance_surface`).

    Attributes
    ----------
    beta0 : (g0,) ndarray
        Grid values of the first coefficient :math:`\beta_0`.
    beta1 : (g1,) ndarray
        Grid values of the second coefficient :math:`\beta_1`.
    deviance : (g1, g0) ndarray
        ``deviance[i, j]`` is :math:`D` at :math:`(\beta_0, \beta_1) =` ``(beta0[j],
        beta1[i])`` (the orientation ``contour`` expects). NaN where :math:`\eta` or
        :math:`\mu` leaves its valid range.
    at : (p,) ndarray
        The full coefficient vector the grid varies: entries 0 and 1 are replaced by the
        grid values, the others stay fixed (for ``p = 2`` only its length matters).
    """

    beta0: Array
    beta1: Array
    deviance: Array
    at: Array

    @property
    def minimum(self) -> float:
        """The smallest finite deviance on the grid (NaN if there is none)."""
        finite = self.deviance[np.isfinite(self.deviance)]
        return float(finite.min()) if finite.size else float("nan")


def deviance_surface(
    problem: GLMProblem,
    beta0: ArrayLike,
    beta1: ArrayLike,
    *,
    at: ArrayLike | None = None,
    chunk_elements: int = 250_000,
) -> Surface:
    r"""Evaluate the deviance :math:`D(\beta)` on the grid ``beta0`` x ``beta1``.

    :math:`D(\beta) = \sum_i w_i^{\text{prior}} d(y_i, g^{-1}(x_i^\top\beta + o_i))` with
    the family's own unit deviance :math:`d`. The first two coefficients take the grid
    values; any further ones are held at ``at``.

    Parameters
    ----------
    problem : GLMProblem
        The data; X needs at least two columns.
    beta0, beta1 : (g0,), (g1,) array_like
        Grid values of the first and the second coefficient.
    at : (p,) array_like, optional
        Values of the coefficients that do not vary (its first two entries are
        ignored). Required when X has more than two columns, e.g. ``result.beta`` for a
        slice through the maximum-likelihood estimate. Aliased (NaN) entries count as 0,
        as in IRLS.
    chunk_elements : int
        Size of the ``n x grid-points`` block evaluated at once. Blocks of about 2 MB
        stay in the CPU cache through the link, the deviance and the sum: about 2.5x
        faster than large blocks (n = 10,000 on a 60 x 60 grid: 0.3 s).

    Returns
    -------
    Surface
        ``surface.deviance[i, j]`` is the deviance at ``(beta0[j], beta1[i])``. Points
        where :math:`\eta` or :math:`\mu` leaves its valid range are NaN (the surface
        has a hole there, e.g. an identity link whose mean would be negative).

    Raises
    ------
    ValueError
        If X has fewer than two columns, or more than two and ``at`` is missing or of
        the wrong length.

    Examples
    --------
    >>> res = glmlearn.fit(X, y, "binomial")                       # doctest: +SKIP
    >>> s = deviance_surface(res.problem, np.linspace(-4, -2, 41),
    ...                      np.linspace(0.5, 1.1, 41))             # doctest: +SKIP
    >>> s.minimum >= res.deviance                                   # doctest: +SKIP
    True
    """
    p = problem.p
    if p < 2:
        raise ValueError(f"deviance_surface: needs at least two columns of X, this one has {p}")
    if at is None:
        if p != 2:
            raise ValueError(f"at: X has {p} columns; give the values of the other "
                             f"{p - 2} coefficients (e.g. at=result.beta)")
        at_ = np.zeros(2)
    else:
        at_ = np.asarray(at, dtype=float).ravel()
        if at_.size != p:
            raise ValueError(f"at: expected {p} coefficients, got {at_.size}")
    g0 = np.asarray(beta0, dtype=float).ravel()
    g1 = np.asarray(beta1, dtype=float).ravel()
    b0, b1 = np.meshgrid(g0, g1)
    X = problem.X
    X2, off = X, problem.offset
    if p > 2:
        # The fixed coefficients only shift the linear predictor: fold them into the offset.
        rest = np.where(np.isnan(at_[2:]), 0.0, at_[2:])
        X2, off = X[:, :2], off + X[:, 2:] @ rest
    B = np.vstack([b0.ravel(), b1.ravel()])  # (2, G)
    out = _deviance_at(problem, X2, off, B, chunk_elements)
    return Surface(beta0=readonly(g0), beta1=readonly(g1),
                   deviance=readonly(out.reshape(b0.shape), copy=False), at=readonly(at_))


def _deviance_at(problem: GLMProblem, X: Array, offset: Array, B: Array,
                 chunk_elements: int = 250_000) -> Array:
    """The deviance at each column of ``B`` (coefficients for the columns of ``X``), NaN
    where eta or mu leaves its valid range; ``n x chunk`` blocks at a time."""
    fam, y, pw = problem.family, problem.y, problem.prior_weights
    out = np.empty(B.shape[1])
    step = max(1, chunk_elements // max(problem.n, 1))
    with np.errstate(all="ignore"):
        for s in range(0, B.shape[1], step):
            eta = X @ B[:, s:s + step] + offset[:, None]
            mu = fam.link_inverse(eta)
            d = fam.unit_deviance(y[:, None], mu)
            ok = np.all(fam.link.valid_eta(eta) & fam.valid_mu(mu), axis=0)
            dev = pw @ np.where(np.isfinite(d), d, np.inf)
            out[s:s + step] = np.where(ok & np.isfinite(dev), dev, np.nan)
    return out


def deviance_along(problem: GLMProblem, beta: ArrayLike, direction: ArrayLike,
                   t: ArrayLike) -> Array:
    r"""The deviance along a line: :math:`D(\beta + t\,\Delta)` for each ``t``.

    Parameters
    ----------
    problem : GLMProblem
    beta : (p,) array_like
        Where the line starts (:math:`t = 0`). Aliased (NaN) entries count as 0.
    direction : (p,) array_like
        :math:`\Delta`, e.g. the IRLS step ``state.beta_next - state.beta``
        (:math:`t = 1` is then ``beta_next``). NaN entries count as 0.
    t : (m,) array_like
        Positions along the line.

    Returns
    -------
    (m,) ndarray
        NaN where :math:`\eta` or :math:`\mu` leaves its valid range.
    """
    b = np.nan_to_num(np.asarray(beta, dtype=float).ravel(), nan=0.0)
    d = np.nan_to_num(np.asarray(direction, dtype=float).ravel(), nan=0.0)
    if b.size != problem.p or d.size != problem.p:
        raise ValueError(f"beta, direction: expected {problem.p} coefficients each, got "
                         f"{b.size} and {d.size}")
    tt = np.asarray(t, dtype=float).ravel()
    B = b[:, None] + d[:, None] * tt[None, :]
    return readonly(_deviance_at(problem, problem.X, problem.offset, B), copy=False)


@dataclass(frozen=True, eq=False)
class QuadraticModel:
    r"""The quadratic model of the deviance that one IRLS step minimises.

    Around :math:`\beta^{(k)}`, with :math:`\delta = \beta - \beta^{(k)}`,

    .. math:: Q_k(\beta) = D(\beta^{(k)}) - 2\,U^\top\delta + \delta^\top H\,\delta ,

    where :math:`U` is the state's score and :math:`H` its ``xtwx``. Since
    :math:`\partial D/\partial\beta = -2U` (the score is :math:`\phi\,\partial\ell/\partial\beta`
    and :math:`D = -2\phi\,\ell + \text{const}`), :math:`Q_k` has the deviance's value and
    gradient at :math:`\beta^{(k)}`; its curvature :math:`2H` is twice the information
    the step uses. For IRLS (Fisher scoring) :math:`H = X^\top W X`, the expected
    information times :math:`\phi`, and

    .. math:: Q_k(\beta) = \sum_i w_i (z_i - o_i - x_i^\top\beta)^2 + \text{const},

    the state's weighted least-squares objective: its minimum
    :math:`\beta^{(k)} + H^{-1}U` is ``state.beta_next``. For a canonical link
    :math:`X^\top W X` is also the observed information, so :math:`Q_k` is the
    second-order Taylor expansion of :math:`D`. (A Newton state's ``xtwx`` is the
    observed information; a gradient-ascent state's is :math:`\mathbf 1/\alpha`, with
    :math:`\mathbf 1` the identity matrix.)

    Aliased coefficients are left out: the model lives on the ``kept`` coefficients.

    Attributes
    ----------
    beta : (p,) ndarray
        :math:`\beta^{(k)}` (NaN where aliased).
    deviance : float
        :math:`D(\beta^{(k)})`.
    score : (q,) ndarray
        :math:`U` on the kept coefficients.
    hessian : (q, q) ndarray
        :math:`H` on the kept coefficients (half the model's second derivative).
    kept : (p,) ndarray of bool
        The coefficients that are not aliased.
    minimum : (p,) ndarray
        Where :math:`Q_k` is smallest, :math:`\beta^{(k)} + H^{-1}U`, solved here
        (NaN where aliased); equal to ``state.beta_next``.
    """

    beta: Array
    deviance: float
    score: Array
    hessian: Array
    kept: Array
    minimum: Array

    @property
    def decrease(self) -> float:
        r"""The decrease the model predicts for the full step, :math:`U^\top H^{-1} U`."""
        d = self.minimum[self.kept] - self.beta[self.kept]
        return float(self.score @ d)

    def __call__(self, beta: ArrayLike) -> Array:
        r""":math:`Q_k` at ``beta``: one (p,) vector or an array (..., p) of them."""
        b = np.asarray(beta, dtype=float)
        delta = b[..., self.kept] - self.beta[self.kept]
        quad = np.einsum("...i,ij,...j->...", delta, self.hessian, delta)
        return np.asarray(self.deviance - 2 * delta @ self.score + quad)

    def along(self, t: ArrayLike) -> Array:
        r""":math:`Q_k(\beta^{(k)} + t\Delta)` along the full step :math:`\Delta`:
        :math:`D^{(k)} - c\,(2t - t^2)`, :math:`c` = :attr:`decrease`."""
        tt = np.asarray(t, dtype=float)
        return np.asarray(self.deviance - self.decrease * (2 * tt - tt**2))


def quadratic_model(state: IRLSState) -> QuadraticModel:
    r"""The quadratic model :math:`Q_k` of the deviance at ``state`` (see :class:`QuadraticModel`).

    Parameters
    ----------
    state : IRLSState
        A state with coefficients (not state 0 started from R's starting means, which
        has a linear predictor but no :math:`\beta^{(0)}` to expand around).

    Returns
    -------
    QuadraticModel

    Raises
    ------
    ValueError
        If the state has no coefficients.
    """
    if state.beta is None:
        raise ValueError(f"state: state {state.iteration} has no coefficients (IRLS started "
                         "from R's starting means), so there is no point to expand the "
                         "deviance around; use state 1 or pass start= to irls")
    beta = np.asarray(state.beta, dtype=float)
    kept = ~np.isnan(np.asarray(state.beta_next, dtype=float))
    U = np.asarray(state.score, dtype=float)[kept]
    H = np.asarray(state.xtwx, dtype=float)[np.ix_(kept, kept)]
    minimum = np.full(beta.size, np.nan)
    try:
        minimum[kept] = beta[kept] + np.linalg.solve(H, U)
    except np.linalg.LinAlgError:  # a singular model has no single minimum
        minimum[kept] = beta[kept] + np.linalg.lstsq(H, U, rcond=None)[0]
    dev = float(state.deviance)
    if not math.isfinite(dev):
        raise ValueError(f"state: the deviance at state {state.iteration} is not finite")
    return QuadraticModel(beta=readonly(beta), deviance=dev, score=readonly(U),
                          hessian=readonly(H), kept=readonly(kept), minimum=readonly(minimum))
