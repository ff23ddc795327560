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

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import linalg as sla
from scipy.linalg import lapack

from ._arrays import Array, all_true, any_true

RCOND_MIN = 1e-9
ALIAS_TOL = 1e-11  # R: glm.fit passes min(1e-7, epsilon / 1000) to its QR
_BLOCK_ROWS = 1 << 15  # rows per block when accumulating X'WX: ~2.6 MB for p = 10


def weighted_gram(X: Array, w: Array, z: Array | None = None) -> tuple[Array, Array | None]:
    r"""Return :math:`X^\top W X` and (if ``z`` is given) :math:`X^\top W z`.

    Accumulated over blocks of rows, so memory stays at one block of X, however long X is.
    """
    G, b, _ = normal_equations(X, w, z)
    return G, b


def normal_equations(X: Array, w: Array, z: Array | None = None, *,
                     offset: Array | None = None, v: Array | None = None
                     ) -> tuple[Array, Array | None, Array | None]:
    r"""One pass over X: :math:`X^\top W X`, :math:`X^\top W (z - o)` and :math:`X^\top v`.

    Each block of rows is read once, while it is in cache, for all three products:
    in IRLS the score :math:`X^\top v` would otherwise cost a second pass over X.
    The offset ``o`` is subtracted block by block, and ``sqrt(w)`` is taken block by
    block, so no extra n-vector is allocated; elementwise, the numbers are the same.

    Parameters
    ----------
    X : (n, p) ndarray
    w : (n,) ndarray
        Non-negative weights.
    z : (n,) ndarray, optional
        Response of the least-squares problem (without ``z``, only the Gram matrix).
    offset : (n,) ndarray, optional
        Subtracted from ``z`` (in IRLS: the offset of the linear predictor).
    v : (n,) ndarray, optional
        Any vector; :math:`X^\top v` is summed over the same blocks.

    Returns
    -------
    G : (p, p) ndarray
    b : (p,) ndarray or None
        None without ``z``.
    Xtv : (p,) ndarray or None
        None without ``v``.
    """
    n, p = X.shape
    if n <= _BLOCK_ROWS:  # one block: the same products, without the sums over blocks
        return _normal_equations_block(X, w, z, offset, v)
    G = np.zeros((p, p))
    b = None if z is None else np.zeros(p)
    Xtv = None if v is None else np.zeros(p)
    for start in range(0, n, _BLOCK_ROWS):
        rows = slice(start, start + _BLOCK_ROWS)
        sw = np.sqrt(w[rows])
        A = X[rows] * sw[:, None]
        G += A.T @ A  # numpy hands A.T @ A to BLAS syrk: half the work of a general product
        if b is not None and z is not None:
            zr = z[rows] if offset is None else z[rows] - offset[rows]
            b += A.T @ (zr * sw)
        if Xtv is not None and v is not None:
            Xtv += X[rows].T @ v[rows]  # one modest block: BLAS is far faster than on all of X
    return G, b, Xtv


def _normal_equations_block(X: Array, w: Array, z: Array | None, offset: Array | None,
                            v: Array | None) -> tuple[Array, Array | None, Array | None]:
    """:func:`normal_equations` on one block of rows: its numbers, bit for bit (each
    product is the one its loop adds to zeros; ``+= 0.0`` turns a -0.0 into the 0.0 that
    adding it to zeros gives), with a handful of numpy calls fewer, which at the size of a
    classroom data set is most of the cost."""
    sw = np.sqrt(w)
    A = X * sw[:, None]
    G = A.T @ A
    G += 0.0
    b = None
    if z is not None:
        b = A.T @ ((z if offset is None else z - offset) * sw)
        b += 0.0
    Xtv = None
    if v is not None:
        Xtv = X.T @ v
        Xtv += 0.0
    return G, b, Xtv


def row_blocks(n: int) -> Iterator[slice]:
    """The blocks of rows that :func:`normal_equations` and :func:`matvec` work through:
    code that goes block by block over the same slices computes, row for row, the very
    numbers they do (``X[rows] @ beta`` is one of matvec's BLAS calls)."""
    for start in range(0, n, _BLOCK_ROWS):
        yield slice(start, start + _BLOCK_ROWS)


def blockwise_xtv(X: Array, v: Array) -> Array:
    r""":math:`X^\top v` summed over the blocks of rows of :func:`normal_equations`, in
    the same order: the very number its ``Xtv`` is, for a caller that needs it alone."""
    n, p = X.shape
    Xtv = np.zeros(p)
    for start in range(0, n, _BLOCK_ROWS):
        rows = slice(start, start + _BLOCK_ROWS)
        Xtv += X[rows].T @ v[rows]
    return Xtv


def matvec(X: Array, beta: Array, offset: Array | None = None) -> Array:
    r""":math:`X\beta\,(+\, o)`, computed block by block.

    On blocks of rows BLAS is much faster than on one very long X. Each row is the same
    dot product as in ``X @ beta``, though BLAS may take the last few rows of a call (or
    of a thread's share of it) by a path that sums the p products in another order, so
    such rows can differ in the last bit, as ``X @ beta`` does between BLAS thread counts.
    """
    n = X.shape[0]
    if n <= _BLOCK_ROWS:  # one block: the same BLAS call on all of X
        out = np.matmul(X, beta)
    else:
        out = np.empty(n)
        for start in range(0, n, _BLOCK_ROWS):
            rows = slice(start, start + _BLOCK_ROWS)
            np.matmul(X[rows], beta, out=out[rows])
    if offset is not None:
        out += offset
    return out


def _cholesky_rcond(G: Array) -> tuple[Array | None, float]:
    """Upper Cholesky factor of ``G`` and LAPACK's estimate of its reciprocal condition
    number (None and 0 when ``G`` is not positive definite).

    LAPACK is called directly: ``scipy.linalg.cho_factor`` runs the same ``dpotrf``
    after checks that cost more than the factorisation itself for a small ``G``.
    """
    c, info = lapack.dpotrf(G, lower=0, clean=0)
    if info != 0:
        return None, 0.0
    # The 1-norm of G (its largest absolute column sum), the number np.linalg.norm(G, 1)
    # gives: LAPACK's dlange sums each column in order, as numpy's column sums do, in
    # one call where numpy needs three.
    anorm = lapack.dlange("1", G)
    return c, float(lapack.dpocon(c, anorm)[0])


def _cho_solve(c: Array, b: Array) -> Array:
    """Solve :math:`U^\top U x = b` for the upper factor ``c`` of :func:`_cholesky_rcond`."""
    x, info = lapack.dpotrs(c, b, lower=0)
    if info != 0:  # only for an illegal argument, which the callers never pass
        raise ValueError(f"LAPACK dpotrs: illegal value in argument {-info}")
    return np.asarray(x)


def _kept(M: Array, keep: NDArray[np.bool_], all_kept: bool) -> Array:
    """The rows and columns of ``M`` (rows only for a vector) not aliased."""
    if all_kept:
        return M
    return M[np.ix_(keep, keep)] if M.ndim == 2 else M[keep]


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
        try:
            if _clearly_full_rank(G, np.linalg.cholesky(G)):
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


def _clearly_full_rank(G: Array, factor: NDArray[np.floating[Any]]) -> bool:
    r"""Whether a Cholesky factor of :math:`G = X^\top W X` (upper or lower: only its
    diagonal is read) shows every column keeping at least 1e-4 of its norm after
    projection on the earlier ones (:math:`L_{jj}^2 = \lVert r_j \rVert^2`). Squaring
    halves the usable digits, so this is trusted only that far above the 1e-11 aliasing
    threshold: then no column is aliased, whichever way the residuals are computed."""
    diag, f = G.diagonal(), factor.diagonal()
    return all_true((diag > 0) & (f * f > 1e-8 * diag))


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
    return wls_pass(X, w, z, aliased)[0]


def wls_pass(X: Array, w: Array, z: Array, aliased: NDArray[np.bool_] | None = None, *,
             offset: Array | None = None, v: Array | None = None
             ) -> tuple[WLSSolution, Array | None]:
    r""":func:`solve_wls` on ``z - offset``, and :math:`X^\top v` from the same pass over X.

    The numbers are those of ``solve_wls(X, w, z - offset, aliased)`` and ``X.T @ v``
    (the latter up to the order of summation over blocks of rows); see
    :func:`normal_equations`.
    """
    p = X.shape[1]
    G, b, Xtv = normal_equations(X, w, z, offset=offset, v=v)
    assert b is not None
    factor: Array | None = None
    if aliased is None:
        # The Cholesky factor the solve needs answers find_aliased's quick test too (its
        # diagonal gives the residual norms); only when it does not pass is
        # find_aliased asked, which then decides as it always does.
        factor, rcond = _cholesky_rcond(G)
        if factor is not None and _clearly_full_rank(G, factor):
            aliased = np.zeros(p, dtype=bool)
        else:
            factor, aliased = None, find_aliased(X, w, gram=G)
    keep = ~aliased
    all_kept = not any_true(aliased)  # the usual case: no copies of G and b
    if factor is None or not all_kept:
        factor, rcond = _cholesky_rcond(_kept(G, keep, all_kept))
    if factor is not None and rcond >= RCOND_MIN:
        solved, method = _cho_solve(factor, _kept(b, keep, all_kept)), "cholesky"
    else:
        sw = np.sqrt(w)
        zo = z if offset is None else z - offset
        Q, R = np.linalg.qr(X[:, keep] * sw[:, None])
        solved, method = sla.solve_triangular(R, Q.T @ (zo * sw), check_finite=False), "qr"
    if all_kept:
        beta = solved
    else:
        beta = np.full(p, np.nan)
        beta[keep] = solved
    return WLSSolution(beta, aliased, G, method, rcond), Xtv


def unscaled_covariance(X: Array, w: Array, aliased: NDArray[np.bool_], *,
                        gram: Array | None = None) -> Array:
    r"""Return :math:`(X^\top W X)^{-1}` for the kept columns, NaN rows/columns for aliased ones.

    The covariance of :math:`\hat\beta` is :math:`\phi\,(X^\top W X)^{-1}` evaluated at the
    fitted means. ``gram`` is :math:`X^\top W X` if already computed. Solved through QR
    of :math:`W^{1/2}X` when the Gram matrix is ill conditioned.
    """
    return covariance(X, lambda: w, aliased, gram=gram)


def covariance(X: Array, weights: Callable[[], Array], aliased: NDArray[np.bool_], *,
               gram: Array | None = None) -> Array:
    """:func:`unscaled_covariance` with the weights asked for only when they are needed
    (to form the Gram matrix, or for QR when it is ill conditioned)."""
    p = X.shape[1]
    keep = ~aliased
    all_kept = not aliased.any()
    G = weighted_gram(X, weights())[0] if gram is None else gram
    factor, rcond = _cholesky_rcond(_kept(G, keep, all_kept))
    if factor is not None and rcond >= RCOND_MIN:
        inv = _cho_solve(factor, np.eye(p - int(aliased.sum())))
    else:
        R = np.asarray(np.linalg.qr(X[:, keep] * np.sqrt(weights())[:, None], mode="r"))
        Rinv = sla.solve_triangular(R, np.eye(R.shape[0]), check_finite=False)
        inv = Rinv @ Rinv.T
    if all_kept:
        return inv
    cov = np.full((p, p), np.nan)
    cov[np.ix_(keep, keep)] = inv
    return cov
