r"""The deviance as a function of two coefficients: the surface IRLS walks on.

IRLS is Fisher scoring, a Newton-type method on the deviance
:math:`D(\beta) = \sum_i w_i^{\text{prior}}\, d\bigl(y_i, g^{-1}(x_i^\top\beta + o_i)\bigr)`.
For two coefficients that function can be looked at: :func:`deviance_surface` evaluates
it on a grid of two coefficients :math:`(\beta_i, \beta_j)` (by default the first two),
holding any further ones fixed. With more than two coefficients that is a *slice* of
:math:`D` through the point held, not its profile (which would minimise over the others
at every grid point). It is a picture of the likelihood (the deviance is :math:`-2` times the log-likelihood
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
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from ._arrays import Array, readonly
from .errors import GLMInputError
from .problem import GLMProblem

if TYPE_CHECKING:
    from ._state import IRLSState

__all__ = ["QuadraticModel", "Surface", "coefficient_pair", "deviance_along", "deviance_surface",
           "quadratic_model"]


#: A pair of coefficients to look at: two column indices, or two column names.
CoefficientPair = tuple[int | str, int | str]


def coefficient_pair(problem: GLMProblem, coefs: Any = (0, 1), *,
                     argument: str = "coefs") -> tuple[int, int]:
    """The two column indices ``coefs`` names: indices (negative ones count from the end)
    or column names of X, two different ones.

    Parameters
    ----------
    problem : GLMProblem
    coefs : (int or str, int or str)
        E.g. ``(0, 2)`` or ``("dose", "age")``.
    argument : str
        The argument's name, for the error message.

    Returns
    -------
    (int, int)
        Column indices, each in ``0 .. p-1``.

    Raises
    ------
    GLMInputError
        If ``coefs`` is not two entries, names an unknown column, is out of range, or
        names the same coefficient twice; the message lists the valid choices.
    """
    names = problem.column_names
    p = problem.p
    choices = (f"indices 0..{p - 1} or the names "
               + ", ".join(repr(n) for n in names))
    if isinstance(coefs, str) or not hasattr(coefs, "__len__") or len(coefs) != 2:
        raise GLMInputError(f"{argument}: give two coefficients, as indices or names "
                            f"({choices}), got {coefs!r}")
    out = []
    for c in coefs:
        if isinstance(c, str):
            if c not in names:
                raise GLMInputError(f"{argument}: no coefficient is named {c!r}; the "
                                    f"choices are {choices}")
            out.append(names.index(c))
        elif isinstance(c, int | np.integer) and not isinstance(c, bool):
            if not -p <= int(c) < p:
                raise GLMInputError(f"{argument}: index {int(c)} is out of range for the {p} "
                                    f"coefficients; the choices are {choices}")
            out.append(int(c) % p)
        else:
            raise GLMInputError(f"{argument}: {c!r} is neither a column index nor a name; "
                                f"the choices are {choices}")
    i, j = out
    if i == j:
        raise GLMInputError(f"{argument}: {coefs!r} names coefficient {i} ({names[i]!r}) "
                            f"twice; choose two different ones from {choices}")
    return i, j


@dataclass(frozen=True, eq=False)
class Surface:
    r"""The deviance on a grid of two coefficients (from :func:`deviance_surface`).

    Attributes
    ----------
    beta0 : (g0,) ndarray
        Grid values of the first coefficient shown, :math:`\beta_i` with
        ``i = coefs[0]`` (the horizontal axis).
    beta1 : (g1,) ndarray
        Grid values of the second one, :math:`\beta_j` with ``j = coefs[1]``.
    deviance : (g1, g0) ndarray
        ``deviance[a, b]`` is :math:`D` at :math:`(\beta_i, \beta_j) =` ``(beta0[b],
        beta1[a])`` (the orientation ``contour`` expects). NaN where :math:`\eta` or
        :math:`\mu` leaves its valid range.
    at : (p,) ndarray
        The full coefficient vector the grid varies: entries ``i`` and ``j`` are replaced
        by the grid values, the others stay fixed (for ``p = 2`` only its length matters).
    coefs : (int, int)
        The column indices ``(i, j)`` on the grid.
    """

    beta0: Array
    beta1: Array
    deviance: Array
    at: Array
    coefs: tuple[int, int] = (0, 1)

    @property
    def minimum(self) -> float:
        """The smallest finite deviance on the grid (NaN if there is none)."""
        finite = self.deviance[np.isfinite(self.deviance)]
        return float(finite.min()) if finite.size else float("nan")

    @property
    def is_slice(self) -> bool:
        """True when other coefficients are held fixed (``p > 2``): a slice, not the
        whole function and not its profile."""
        return self.at.size > 2


def deviance_surface(
    problem: GLMProblem,
    beta0: ArrayLike,
    beta1: ArrayLike,
    *,
    at: ArrayLike | None = None,
    coefs: Any = (0, 1),
    chunk_elements: int = 250_000,
) -> Surface:
    r"""Evaluate the deviance :math:`D(\beta)` on the grid ``beta0`` x ``beta1``.

    :math:`D(\beta) = \sum_i w_i^{\text{prior}} d(y_i, g^{-1}(x_i^\top\beta + o_i))` with
    the family's own unit deviance :math:`d`. The two coefficients ``coefs = (i, j)``
    take the grid values; any further ones are held at ``at``. For ``p > 2`` this is the
    slice :math:`D(\beta_i, \beta_j;\ \beta_{-ij} = \text{at}_{-ij})`, not the profile
    :math:`\min_{\beta_{-ij}} D`: its minimum lies at the maximum-likelihood
    :math:`(\hat\beta_i, \hat\beta_j)` only when ``at`` is :math:`\hat\beta`.

    Parameters
    ----------
    problem : GLMProblem
        The data; X needs at least two columns.
    beta0, beta1 : (g0,), (g1,) array_like
        Grid values of coefficient ``i`` and of coefficient ``j``.
    at : (p,) array_like, optional
        Values of the coefficients that do not vary (entries ``i`` and ``j`` are
        ignored). Required when X has more than two columns, e.g. ``result.beta`` for a
        slice through the maximum-likelihood estimate, or ``state.beta`` for one through
        an iterate. Aliased (NaN) entries count as 0, as in IRLS.
    coefs : (int or str, int or str)
        The two coefficients on the grid, as column indices or names of X (default the
        first two, ``(0, 1)``); see :func:`coefficient_pair`.
    chunk_elements : int
        Size of the ``n x grid-points`` block evaluated at once. Blocks of about 2 MB
        stay in the CPU cache through the link, the deviance and the sum: about 2.5x
        faster than large blocks (n = 10,000 on a 60 x 60 grid: 0.3 s).

    Returns
    -------
    Surface
        ``surface.deviance[a, b]`` is the deviance at ``(beta0[b], beta1[a])``. Points
        where :math:`\eta` or :math:`\mu` leaves its valid range are NaN (the surface
        has a hole there, e.g. an identity link whose mean would be negative).

    Raises
    ------
    ValueError
        If X has fewer than two columns, or more than two and ``at`` is missing or of
        the wrong length.
    GLMInputError
        If ``coefs`` does not name two different coefficients (a ``ValueError`` too).

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
    i, j = coefficient_pair(problem, coefs)
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
    X2, off = X[:, [i, j]], problem.offset
    if p > 2:
        # The fixed coefficients only shift the linear predictor: fold them into the offset.
        rest = [c for c in range(p) if c not in (i, j)]
        held = np.where(np.isnan(at_[rest]), 0.0, at_[rest])
        off = off + X[:, rest] @ held
    B = np.vstack([b0.ravel(), b1.ravel()])  # (2, G)
    out = _deviance_at(problem, X2, off, B, chunk_elements)
    return Surface(beta0=readonly(g0), beta1=readonly(g1),
                   deviance=readonly(out.reshape(b0.shape), copy=False), at=readonly(at_),
                   coefs=(i, j))


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

    def plane_minimum(self, i: int, j: int) -> Array:
        r"""Where :math:`Q_k` is smallest in the plane of coefficients ``i`` and ``j``
        through :math:`\beta^{(k)}` (every other coefficient held at :math:`\beta^{(k)}`).

        With :math:`a = \{i, j\}`, :math:`Q_k` restricted to the plane is
        :math:`D^{(k)} - 2U_a^\top\delta_a + \delta_a^\top H_{aa}\delta_a`, smallest at
        :math:`\delta_a = H_{aa}^{-1}U_a` (the normal equations
        :math:`H_{aa}\delta_a = U_a`). For ``p = 2`` that is :attr:`minimum`; for
        ``p > 2`` it is in general *not* the projection of :attr:`minimum`
        (``beta_next``) onto the plane, which also moves the other coefficients.

        Parameters
        ----------
        i, j : int
            Two different kept (not aliased) coefficients.

        Returns
        -------
        (p,) ndarray
            :math:`\beta^{(k)}` with entries ``i`` and ``j`` replaced by the plane's
            minimum.

        Raises
        ------
        ValueError
            If ``i`` or ``j`` is aliased (the model does not involve it).
        """
        idx = np.flatnonzero(self.kept)
        pos = [int(np.searchsorted(idx, c)) for c in (i, j)]
        for c, q in zip((i, j), pos, strict=True):
            if q >= idx.size or idx[q] != c:
                raise ValueError(f"coefs: coefficient {c} is aliased; the quadratic model "
                                 "does not involve it")
        out = np.array(self.beta, dtype=float)
        if idx.size == 2:
            out[self.kept] = self.minimum[self.kept]
            return readonly(out)
        H = self.hessian[np.ix_(pos, pos)]
        U = self.score[pos]
        try:
            step = np.linalg.solve(H, U)
        except np.linalg.LinAlgError:  # singular in this plane: the least-squares answer
            step = np.linalg.lstsq(H, U, rcond=None)[0]
        out[[i, j]] = out[[i, j]] + step
        return readonly(out)

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
