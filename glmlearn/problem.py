"""Validate the data once, at the door, and hold it as an immutable :class:`GLMProblem`.

Every check names the argument, the problem and the first offending index or value,
so a learner can find the bad row. Everything downstream (IRLS, results, plots,
theorem checks) trusts a :class:`GLMProblem` and never re-checks it.

Accepted inputs: numpy arrays, lists, and pandas objects (without importing pandas):
a DataFrame's column names and a Series' name are kept for summaries.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._arrays import Array, readonly
from .errors import GLMInputError, GLMTypeError, GLMWarning
from .family import Family, get_family

__all__ = ["GLMProblem", "check_controls", "check_start", "make_problem"]


@dataclass(frozen=True, eq=False)
class GLMProblem:
    """The validated data of a GLM: read-only arrays and the family.

    Attributes
    ----------
    X : (n, p) ndarray
        Design matrix (read-only, float64).
    y : (n,) ndarray
        Response. For binomial it is the proportion of successes.
    prior_weights : (n,) ndarray
        Prior weights; for binomial with counts they include the number of trials.
        Without weights: ones, stored as one value broadcast to length n.
    offset : (n,) ndarray
        Known part of the linear predictor; without an offset: zeros, stored as one
        value broadcast to length n.
    family : Family
    column_names : tuple of str
        Names of the columns of X (``x0, x1, ...`` when none were given).
    response_name : str
    has_intercept : bool
        True when a column of X is constant (and non-zero).
    """

    X: Array
    y: Array
    prior_weights: Array
    offset: Array
    family: Family
    column_names: tuple[str, ...]
    response_name: str
    has_intercept: bool

    @property
    def n(self) -> int:
        """Number of rows."""
        return int(self.X.shape[0])

    @property
    def p(self) -> int:
        """Number of columns of X."""
        return int(self.X.shape[1])

    #: The prior weights, or None when they are all 1: multiplying by 1 changes no
    #: number, so the IRLS loop skips those products (None means "no weights" to the step
    #: functions and the family).
    weights_or_none: Array | None = field(init=False, repr=False)
    #: The offset, or None when it is all +0.0: subtracting +0.0 changes no number
    #: (``x - 0.0 == x``, even for ``x = -0.0``), so the IRLS loop skips it.
    offset_or_none: Array | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        pw, off = self.prior_weights, self.offset
        # (object.__setattr__: the dataclass is frozen)
        object.__setattr__(self, "weights_or_none", None if bool((pw == 1.0).all()) else pw)
        zero = bool((off == 0.0).all()) and not bool(np.signbit(off).any())
        object.__setattr__(self, "offset_or_none", None if zero else off)

    @property
    def n_obs(self) -> int:
        """Number of observations with a positive prior weight (R's ``n.ok``)."""
        return int(np.count_nonzero(self.prior_weights > 0))


def _names_of(obj: Any) -> tuple[str, ...] | None:
    cols = getattr(obj, "columns", None)
    if cols is not None and not isinstance(obj, np.ndarray):
        return tuple(str(c) for c in cols)
    return None


def _show(v: Any) -> str:
    """A value as a learner would write it: ``1.5``, not ``np.float64(1.5)``."""
    return repr(v.item() if isinstance(v, np.generic) else v)


def _index(i: int, shape: tuple[int, ...]) -> int | tuple[int, ...]:
    return i if len(shape) == 1 else tuple(int(k) for k in np.unravel_index(i, shape))


def _first_non_number(raw: NDArray[Any]) -> tuple[int, Any]:
    """Position and value of the element that stopped ``raw`` from being numeric."""
    flat = raw.ravel()
    for i, v in enumerate(flat):
        if isinstance(v, str | bytes | np.str_ | np.bytes_):
            try:
                float(v)  # numpy turns numbers into text when another element is text
            except ValueError:
                return i, v
        elif not isinstance(v, int | float | np.integer | np.floating | bool | np.bool_):
            return i, v
    return 0, flat[0]  # every element reads as a number, but they were given as text


def _as_float_array(obj: Any, arg: str, *, copy: bool = True) -> Array:
    """Convert to a float64 array, refusing text, objects and complex numbers by name.

    ``copy=False`` returns the numeric array as it is (any real dtype, maybe the
    caller's own): for :func:`_private_copy`, which makes the copy itself.
    """
    if isinstance(obj, str | bytes):
        raise GLMTypeError(f"{arg}: expected numbers, got the string {obj!r}")
    try:
        raw = np.asarray(obj.to_numpy() if hasattr(obj, "to_numpy") else obj)
    except Exception as exc:  # ragged lists and the like
        raise GLMTypeError(f"{arg}: could not be read as an array of numbers ({exc})") from exc
    if raw.dtype.kind == "c":
        raise GLMTypeError(f"{arg}: complex numbers are not supported")
    if raw.dtype.kind not in "biuf":
        i, v = _first_non_number(raw)
        raise GLMTypeError(
            f"{arg}: expected numbers, got {type(v).__name__} {_show(v)} "
            f"at index {_index(i, raw.shape)}"
        )
    if not copy:
        return raw
    return np.array(raw, dtype=float)  # a private copy: the caller's array is never touched


_SCAN_ROWS = 1 << 15  # rows per block in _private_copy: a few MB, in cache while checked


def _private_copy(raw: NDArray[Any]) -> tuple[Array, bool, bool]:
    """A private float64 copy of the 2-D numeric array ``raw``; whether its values are all
    finite; and whether one of its columns is constant and non-zero (an intercept).

    For a C-ordered ``raw`` (the usual case) this is one pass over it: each block of rows
    is copied and then checked while it is in cache, instead of three passes over a large
    X. Other layouts (Fortran order, views) keep numpy's copy, which keeps their layout.
    """
    n, p = raw.shape
    c_order = raw.flags.c_contiguous
    Xa = np.empty((n, p)) if c_order else np.array(raw, dtype=float)
    rows = _SCAN_ROWS if c_order else n
    total, const, row0 = 0.0, np.zeros(p, dtype=bool), Xa[0]
    with np.errstate(over="ignore", invalid="ignore"):
        for start in range(0, n, rows):
            block = Xa[start:start + rows]
            if c_order:
                np.copyto(block, raw[start:start + rows])
            # NaN and inf propagate into a sum, so a finite sum proves all are finite
            total += float(block.sum())
            if start == 0:
                const = (block == row0).all(axis=0) & (row0 != 0)
            elif const.any():
                const &= (block == row0).all(axis=0)
    return Xa, bool(np.isfinite(total)), bool(const.any())


def _check_finite(a: Array, arg: str) -> None:
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.sum(a)
    if np.isfinite(total):
        return  # NaN and inf propagate into the sum, so a finite sum proves all are finite
    bad = np.flatnonzero(~np.isfinite(a))
    if bad.size:
        i = int(bad[0])
        raise GLMInputError(
            f"{arg}: non-finite value {_show(a.ravel()[i])} at index {_index(i, a.shape)}"
        )


def _constant(value: float, n: int) -> Array:
    """A read-only n-vector of one value, stored once: the default weights (ones) and
    offset (zeros) cost 8 bytes, not n * 8, and compute the same numbers."""
    out: Array = np.ndarray((n,), dtype=np.float64, buffer=np.array([value], dtype=np.float64),
                            strides=(0,))  # what np.broadcast_to builds, more directly
    out.setflags(write=False)
    return out


def _vector(obj: Any, arg: str, n: int) -> Array:
    a = _as_float_array(obj, arg)
    if a.ndim == 0:
        a = np.full(n, float(a))
    if a.ndim != 1:
        raise GLMInputError(f"{arg}: expected a 1-D array of length {n}, got shape {a.shape}")
    if a.shape[0] != n:
        raise GLMInputError(f"{arg}: length {a.shape[0]} does not match the {n} rows of X")
    _check_finite(a, arg)
    return a


def make_problem(
    X: Any,
    y: Any,
    family: Family | str = "gaussian",
    *,
    weights: Any = None,
    offset: Any = None,
    column_names: tuple[str, ...] | list[str] | None = None,
    response_name: str | None = None,
) -> GLMProblem:
    """Validate ``X, y, weights, offset`` for ``family`` and return a :class:`GLMProblem`.

    Raises
    ------
    GLMTypeError
        Non-numeric data or a family given as something other than a name or Family.
    GLMInputError
        Shapes that do not match, non-finite values, negative or all-zero weights,
        responses outside the family's domain; the message names the argument and the
        first offending index and value.
    """
    fam = get_family(family)
    names = _names_of(X)
    raw = _as_float_array(X, "X", copy=False)
    if raw.ndim == 1:
        raw = raw[:, None]
    if raw.ndim != 2:
        raise GLMInputError(f"X: expected a 2-D array (n rows, p columns), got shape {raw.shape}")
    n, p = raw.shape
    if n == 0 or p == 0:
        raise GLMInputError(f"X: needs at least one row and one column, got shape {raw.shape}")
    Xa, finite, has_intercept = _private_copy(raw)
    del raw  # (maybe the caller's array: never kept)
    if not finite:
        _check_finite(Xa, "X")
    if column_names is not None:
        names = tuple(str(c) for c in column_names)
        if len(names) != p:
            raise GLMInputError(
                f"column_names: {len(names)} names given for the {p} columns of X"
            )
    names = names or tuple(f"x{j}" for j in range(p))
    response_name = str(response_name or getattr(y, "name", None) or "y")

    ya = _as_float_array(y, "y")
    if ya.ndim == 2 and ya.shape[1] == 1:
        ya = ya[:, 0]
    if ya.shape[0] != n:
        raise GLMInputError(f"y: length {ya.shape[0]} does not match the {n} rows of X")
    _check_finite(ya, "y")

    w = _constant(1.0, n) if weights is None else _vector(weights, "weights", n)
    neg = np.flatnonzero(w < 0)
    if neg.size:
        raise GLMInputError(
            f"weights: negative weight {_show(w[neg[0]])} at index {int(neg[0])}; "
            "weights must be >= 0"
        )
    off = _constant(0.0, n) if offset is None else _vector(offset, "offset", n)

    if ya.ndim == 2:
        if fam.name != "binomial" or ya.shape[1] != 2:
            raise GLMInputError(
                f"y: expected a 1-D response, got shape {ya.shape} "
                "(only the binomial family accepts two columns: successes, failures)"
            )
        bad = np.argwhere(ya < 0)
        if bad.size:
            i, j = (int(k) for k in bad[0])
            raise GLMInputError(
                f"y: negative count {_show(ya[i, j])} at index ({i}, {j}); "
                "the two columns are (successes, failures)"
            )
        trials = ya[:, 0] + ya[:, 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            ya = np.where(trials > 0, ya[:, 0] / np.where(trials > 0, trials, 1), 0.0)
        w = w * trials
    elif ya.ndim != 1:
        raise GLMInputError(f"y: expected a 1-D array, got shape {ya.shape}")

    if not np.any(w > 0):
        raise GLMInputError("weights: all weights are zero; at least one must be positive")

    if fam.name == "binomial":
        # R: "anything, e.g. NA/NaN, for cases with zero weight is OK" -- y[weights == 0] <- 0
        ya = np.where(w > 0, ya, 0.0)
    # Every other family checks every row, whatever its weight (as R does): a zero weight
    # does not make a negative count or a zero gamma response meaningful.
    outside = np.flatnonzero(~fam.valid_y(ya))
    if outside.size:
        i = int(outside[0])
        raise GLMInputError(
            f"y: value {_show(ya[i])} at index {i} is outside the {fam.name} family's domain "
            f"({fam.y_domain}); {outside.size} value(s) in all"
        )
    if fam.name == "binomial":
        m = w * ya
        if np.any(np.abs(m - np.round(m)) > 1e-3):
            i = int(np.flatnonzero(np.abs(m - np.round(m)) > 1e-3)[0])
            warnings.warn(
                f"y: non-integer number of successes {m[i]:g} at index {i} "
                "(weights * y should count successes)",
                GLMWarning,
                stacklevel=3,
            )

    return GLMProblem(
        X=readonly(Xa, copy=False),
        y=readonly(ya, copy=False),
        prior_weights=readonly(w, copy=False),
        offset=readonly(off, copy=False),
        family=fam,
        column_names=names,
        response_name=response_name,
        has_intercept=has_intercept,
    )


# --- the controls of the loop -------------------------------------------------------------

def check_controls(max_iter: Any, tol: Any) -> None:
    """Refuse a ``max_iter`` that is not a positive integer or a ``tol`` that is not a
    positive finite number."""
    if isinstance(max_iter, bool) or not isinstance(max_iter, int | np.integer) or max_iter < 1:
        raise GLMInputError(f"max_iter: must be a positive integer, got {_show(max_iter)}")
    if isinstance(tol, bool) or not isinstance(tol, int | float | np.floating):
        raise GLMInputError(f"tol: must be a positive number, got {_show(tol)}")
    if not (math.isfinite(tol) and tol > 0):
        raise GLMInputError(f"tol: must be a positive finite number, got {_show(tol)}")


def check_start(start: Any, problem: GLMProblem) -> Array | None:
    """``start`` as a float vector of length p (None stays None), or a clear error."""
    if start is None:
        return None
    try:
        b = np.array(start, dtype=float).reshape(-1)
    except (TypeError, ValueError) as exc:
        raise GLMInputError(f"start: could not be read as numbers ({exc})") from exc
    if b.shape[0] != problem.p:
        raise GLMInputError(
            f"start: length {b.shape[0]} does not match the {problem.p} columns of X"
        )
    bad = np.flatnonzero(~np.isfinite(b))
    if bad.size:
        raise GLMInputError(f"start: non-finite value {_show(b[bad[0]])} at index {int(bad[0])}")
    return b
