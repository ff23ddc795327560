r"""Weighted least squares, the one linear-algebra step inside every IRLS iteration.

Each IRLS step solves

.. math:: \hat\beta = \arg\min_\beta \sum_i w_i (z_i - x_i^\top\beta)^2
          \iff X^\top W X \beta = X^\top W z ,

with the weights kept as a vector: no :math:`n \times n` matrix :math:`W` is ever formed.

How it is solved, and why
-------------------------
* **Cholesky of** :math:`X^\top W X` (accumulated over row blocks, so the extra memory
  is one block, not a weighted copy of X) when the matrix is well conditioned. Its
  reciprocal condition number is estimated by LAPACK (``dpocon``); the error of the
  normal equations grows like :math:`\varepsilon / \mathrm{rcond}`, so below
  ``RCOND_MIN`` = 1e-9 (error bound about 2e-7 relative) we switch to...
* **Householder QR of** :math:`W^{1/2} X` (``numpy.linalg.qr``), whose error grows only
  like :math:`\varepsilon\,\kappa(W^{1/2}X)`. That is what R's ``glm.fit`` always does.
* **Aliased columns** (rank deficiency) are found the way R's ``dqrdc2`` finds them: a
  column is aliased when the part of it not explained by the earlier kept columns has
  norm below ``tol`` times its own norm (R's glm uses ``tol = 1e-11``). Aliased
  coefficients are reported as NaN, as R does, and the rest are fitted without them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import linalg as sla

from ._arrays import Array

RCOND_MIN = 1e-9
ALIAS_TOL = 1e-11  # R: glm.fit passes min(1e-7, epsilon / 1000) to its QR
_BLOCK_ROWS = 1 << 15  # rows per block when accumulating X'WX: ~2.6 MB for p = 10


def weighted_gram(X: Array, w: Array, z: Array | None = None) -> tuple[Array, Array | None]:
    r"""Return :math:`X^\top W X` and (if ``z`` is given) :math:`X^\top W z`.

    Accumulated over blocks of rows, so memory stays at one block of X, however long X is.
    """
    n, p = X.shape
    G = np.zeros((p, p))
    b = None if z is None else np.zeros(p)
    sw = np.sqrt(w)
    for start in range(0, n, _BLOCK_ROWS):
        rows = slice(start, start + _BLOCK_ROWS)
        A = X[rows] * sw[rows, None]
        G += A.T @ A  # numpy hands A.T @ A to BLAS syrk: half the work of a general product
        if b is not None and z is not None:
            b += A.T @ (z[rows] * sw[rows])
    return G, b


def _cholesky_rcond(G: Array) -> tuple[tuple[Array, bool] | None, float]:
    """Cholesky factor of ``G`` and LAPACK's estimate of its reciprocal condition number."""
    try:
        c, lower = sla.cho_factor(G, lower=False, check_finite=False)
    except (np.linalg.LinAlgError, ValueError):
        return None, 0.0
    return (c, lower), float(sla.lapack.dpocon(c, np.linalg.norm(G, 1))[0])


def find_aliased(X: Array, w: Array, tol: float = ALIAS_TOL, *,
                 gram: Array | None = None) -> NDArray[np.bool_]:
    r"""Mask of the columns of :math:`W^{1/2}X` that are linear combinations of earlier ones.

    Column :math:`j` is aliased when :math:`\lVert r_j \rVert < \mathrm{tol}\,\lVert a_j \rVert`,
    :math:`r_j` being the residual of :math:`a_j` after projection on the kept columns
    before it (R's rule, keeping the earlier column of a dependent pair).
    ``gram`` is :math:`X^\top W X` if already computed.
    """
    p = X.shape[1]
    G = weighted_gram(X, w)[0] if gram is None else gram
    diag = np.diag(G)
    if np.all(diag > 0):
        # Fast path: a Cholesky factor L gives the residual norms, L_jj^2 = ||r_j||^2.
        # Squaring halves the usable digits, so only trust it when every column keeps
        # at least 1e-4 of its norm, far above the 1e-11 aliasing threshold.
        try:
            L = np.linalg.cholesky(G)
            if np.all(np.diag(L) ** 2 > 1e-8 * diag):
                return np.zeros(p, dtype=bool)
        except np.linalg.LinAlgError:
            pass
    # Slow, exact path: Gram-Schmidt with re-orthogonalisation on W^{1/2} X.
    A = X * np.sqrt(w)[:, None]
    aliased = np.zeros(p, dtype=bool)
    basis: list[Array] = []
    for j in range(p):
        a = A[:, j]
        norm_a = float(np.linalg.norm(a))
        r = a.copy()
        for _ in range(2):  # twice is enough (Kahan-Parlett)
            for q in basis:
                r -= (q @ r) * q
        norm_r = float(np.linalg.norm(r))
        if norm_a == 0 or norm_r < tol * norm_a:
            aliased[j] = True
        else:
            basis.append(r / norm_r)
    return aliased


@dataclass(frozen=True)
class WLSSolution:
    r"""Result of one weighted least-squares solve.

    Attributes
    ----------
    beta : ndarray
        Coefficients; NaN where the column is aliased.
    aliased : ndarray of bool
        The columns left out.
    xtwx : ndarray
        :math:`X^\top W X` (all columns): the expected information up to :math:`\phi`.
    method : str
        ``"cholesky"`` or ``"qr"``: which factorisation was trusted.
    rcond : float
        LAPACK's estimate of the reciprocal condition number of :math:`X^\top W X`
        (kept columns only).
    """

    beta: Array
    aliased: NDArray[np.bool_]
    xtwx: Array
    method: str
    rcond: float


def solve_wls(X: Array, w: Array, z: Array, aliased: NDArray[np.bool_] | None = None) -> WLSSolution:
    r"""Solve :math:`\min_\beta \sum_i w_i (z_i - x_i^\top\beta)^2` stably.

    Parameters
    ----------
    X : (n, p) ndarray
        Design matrix.
    w : (n,) ndarray
        Non-negative weights (a vector, never a diagonal matrix).
    z : (n,) ndarray
        Response of the least-squares problem (in IRLS: the working response minus offset).
    aliased : (p,) bool ndarray, optional
        Columns to leave out (their coefficient is NaN). Found with :func:`find_aliased`
        when not given.

    Returns
    -------
    WLSSolution
    """
    p = X.shape[1]
    G, b = weighted_gram(X, w, z)
    assert b is not None
    if aliased is None:
        aliased = find_aliased(X, w, gram=G)
    keep = ~aliased
    beta = np.full(p, np.nan)
    factor, rcond = _cholesky_rcond(G[np.ix_(keep, keep)])
    if factor is not None and rcond >= RCOND_MIN:
        beta[keep] = sla.cho_solve(factor, b[keep], check_finite=False)
        return WLSSolution(beta, aliased, G, "cholesky", rcond)
    sw = np.sqrt(w)
    Q, R = np.linalg.qr(X[:, keep] * sw[:, None])
    beta[keep] = sla.solve_triangular(R, Q.T @ (z * sw), check_finite=False)
    return WLSSolution(beta, aliased, G, "qr", rcond)


def unscaled_covariance(X: Array, w: Array, aliased: NDArray[np.bool_], *,
                        gram: Array | None = None) -> Array:
    r"""Return :math:`(X^\top W X)^{-1}` for the kept columns, NaN rows/columns for aliased ones.

    The covariance of :math:`\hat\beta` is :math:`\phi\,(X^\top W X)^{-1}` evaluated at the
    fitted means. ``gram`` is :math:`X^\top W X` if already computed. Solved through QR
    of :math:`W^{1/2}X` when the Gram matrix is ill conditioned.
    """
    p = X.shape[1]
    keep = ~aliased
    cov = np.full((p, p), np.nan)
    G = weighted_gram(X, w)[0] if gram is None else gram
    factor, rcond = _cholesky_rcond(G[np.ix_(keep, keep)])
    if factor is not None and rcond >= RCOND_MIN:
        inv = sla.cho_solve(factor, np.eye(int(keep.sum())), check_finite=False)
    else:
        R = np.asarray(np.linalg.qr(X[:, keep] * np.sqrt(w)[:, None], mode="r"))
        Rinv = sla.solve_triangular(R, np.eye(R.shape[0]), check_finite=False)
        inv = Rinv @ Rinv.T
    cov[np.ix_(keep, keep)] = inv
    return cov
