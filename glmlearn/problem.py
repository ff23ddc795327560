"""Validate the data once, at the door, and hold it as an immutable :class:`GLMProblem`.

Every check names the argument, the problem and the first offending index or value,
so a learner can find the bad row, and says what to do when there is a usual fix.
Everything downstream (IRLS, results, plots, theorem checks) trusts a :class:`GLMProblem`
and never re-checks it.

Accepted inputs: numpy arrays, lists, and pandas objects (without importing pandas: they
are recognised by their attributes and their dtypes' ``kind`` and ``name``):

* a DataFrame's column names and a Series' name are kept for summaries;
* columns of numbers of any dtype are numbers: float, int, bool (``pd.get_dummies``),
  the nullable ``Int64``/``Float64``/``boolean``, and object columns holding numbers;
* a missing value (NaN, ``pd.NA``, None) is refused naming its column and row: glmlearn
  does not drop rows the way R's ``na.omit`` does;
* a text or categorical column of X is refused naming it, with the dummy columns to
  build instead; a formula (``"y ~ x"``) here is refused with the call to make instead
  (formulas are read by :mod:`glmlearn.formula`, through ``fit(formula, data=df)``);
* a binomial response may be ``True``/``False`` or the words of :data:`BINARY_WORDS`.

Trouble found here that is not an error (no intercept column, non-integer binomial
counts) is kept as ``problem.troubles`` (:class:`~glmlearn.errors.Trouble`); nothing here
warns: :func:`glmlearn.fit` warns once per trouble, and :func:`glmlearn.irls` never does.

Reading the inputs into numbers (pandas, dtypes, missing and non-finite values) is in
``glmlearn/_inputs.py``; what a learner meant (a formula string, X and y swapped, no
intercept column) is in ``glmlearn/_intent.py``.
"""

from __future__ import annotations

import math
from dataclasses import InitVar, dataclass, field
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from ._arrays import Array, all_true, readonly
from ._inputs import (
    BINARY_WORDS,
    _as_float_array,
    _check_finite,
    _constant,
    _names_of,
    _pandas_kind,
    _private_copy,
    _show,
    _vector,
    _where_of,
)
from ._intent import _formula_error, _intercept_notice, _ones_in_span, _swap_error
from .errors import GLMInputError, GLMTypeError, NonIntegerWarning, Trouble
from .family import Family, get_family

__all__ = ["BINARY_WORDS", "STEP_HALVING_RULES", "GLMProblem", "Term", "check_controls",
           "check_eta_start", "check_start", "make_problem"]


class Term(NamedTuple):
    """One term of a model: its name and the columns of X it owns.

    A formula's term ``outcome`` with three levels owns two columns (``outcome2``,
    ``outcome3``); the analysis of deviance adds and drops terms, not columns.
    """

    name: str
    columns: tuple[int, ...]


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
    troubles : tuple of Trouble
        What the data say that is not an error: X without an intercept column
        (``no_intercept``), binomial counts that are not whole numbers (``non_integer``).
        :func:`glmlearn.fit` warns once for each and keeps them on the result.
    terms : tuple of Term
        The model's terms in order, each with the columns of X it owns (a formula's
        terms). Empty when X was given as an array: then :attr:`model_terms` makes each
        column a term of its own.
    """

    X: Array
    y: Array
    prior_weights: Array
    offset: Array
    family: Family
    column_names: tuple[str, ...]
    response_name: str
    has_intercept: bool
    troubles: tuple[Trouble, ...] = ()
    terms: tuple[Term, ...] = ()
    design: Any = field(default=None, repr=False)

    @property
    def model_terms(self) -> tuple[Term, ...]:
        """The terms, or one term per column of X when none were given."""
        if self.terms:
            return self.terms
        return tuple(Term(name, (j,)) for j, name in enumerate(self.column_names))

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
    #: Whether y holds only 0s and 1s, for a family whose deviance has a shortcut for
    #: them (binomial: see :meth:`deviance`); False for every other family.
    y_binary: bool = field(init=False, repr=False)
    #: The mask ``y == 1`` when ``y_binary`` (the shortcut's only question of y), else None.
    y_ones: NDArray[np.bool_] | None = field(init=False, repr=False)
    #: ``y == 1`` when the caller has already found y all 0s and 1s (make_problem does,
    #: for its own checks): the same mask, not computed twice.
    _known_ones: InitVar[NDArray[np.bool_] | None] = None

    #: Number of observations with a positive prior weight (R's ``n.ok``).
    n_obs: int = field(init=False, repr=False)

    def __post_init__(self, _known_ones: NDArray[np.bool_] | None) -> None:
        pw, off = self.prior_weights, self.offset
        # The default weights and offset are one value stored once (strides 0): looking
        # at that value answers for all n.
        pw1, off1 = (_one_value(a) for a in (pw, off))
        # (object.__setattr__: the dataclass is frozen)
        unit = pw1 == 1.0 if pw1 is not None else bool((pw == 1.0).all())
        object.__setattr__(self, "weights_or_none", None if unit else pw)
        zero = ((off1 == 0.0 and not math.copysign(1.0, off1) < 0) if off1 is not None
                else bool((off == 0.0).all()) and not bool(np.signbit(off).any()))
        object.__setattr__(self, "offset_or_none", None if zero else off)
        ones = _known_ones
        if ones is None and self.family.unit_deviance_01 is not None:
            ones = self.y == 1
            if not all_true(ones | (self.y == 0)):
                ones = None
        if ones is not None:
            ones.setflags(write=False)
        object.__setattr__(self, "y_binary", ones is not None)
        object.__setattr__(self, "y_ones", ones)
        n_obs = ((self.n if pw1 > 0 else 0) if pw1 is not None
                 else int(np.count_nonzero(pw > 0)))
        object.__setattr__(self, "n_obs", n_obs)

    def deviance(self, mu: Array) -> float:
        r"""The deviance :math:`D = \sum_i w_i\, d(y_i, \mu_i)` of this problem's y and
        prior weights at ``mu``: :meth:`Family.deviance <glmlearn.family.Family.deviance>`'s
        number, with the question whether y is all 0s and 1s (the binomial's shortcut)
        answered once for the problem rather than at every call."""
        fam = self.family
        binary = fam.unit_deviance_01
        d = (binary(self.y_ones, mu) if self.y_ones is not None and binary is not None
             else fam.unit_deviance(self.y, mu))
        pw = self.weights_or_none
        # (ndarray.sum is this reduction behind a Python wrapper)
        return float(np.add.reduce(d if pw is None else pw * d))


def _one_value(a: Array) -> float | None:
    """The value of a vector that stores one value for all its elements (strides 0, as
    :func:`glmlearn._inputs._constant` makes the default weights and offset), else None."""
    return float(a[0]) if a.ndim == 1 and a.shape[0] and a.strides[0] == 0 else None


def make_problem(
    X: Any,
    y: Any,
    family: Family | str = "gaussian",
    *,
    weights: Any = None,
    offset: Any = None,
    column_names: tuple[str, ...] | list[str] | None = None,
    response_name: str | None = None,
    intercept: bool = True,
) -> GLMProblem:
    """Validate ``X, y, weights, offset`` for ``family`` and return a :class:`GLMProblem`.

    Parameters
    ----------
    X, y, family, weights, offset, column_names, response_name
        As for :func:`glmlearn.fit`.
    intercept : bool, default True
        Whether the model is meant to have an intercept, as R's ``glm(y ~ x)`` has unless
        told otherwise. glmlearn never adds a column: with True, X without an intercept
        column gets an :class:`~glmlearn.errors.InterceptNotice` trouble (flag
        ``no_intercept``); False (a model without intercept on purpose) says nothing.

    Raises
    ------
    GLMTypeError
        Non-numeric data (text or categorical columns, with the dummy columns to build), a
        formula string, or a family given as something other than a name or Family.
    GLMInputError
        Shapes that do not match, non-finite or missing values, negative or all-zero
        weights, responses outside the family's domain, X and y swapped; the message names
        the argument and the first offending index (or column and row) and value.
    """
    fam = get_family(family)
    if isinstance(X, str) and "~" in X:
        raise _formula_error("X", X, family)
    if isinstance(y, str) and "~" in y:
        raise _formula_error("y", y, family)
    if not isinstance(intercept, bool | np.bool_):
        raise GLMTypeError(f"intercept: expected True or False, got {_show(intercept)}")
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
        _check_finite(Xa, "X", _where_of(X, Xa.shape) if _pandas_kind(X) else None)
    from_frame = names is not None and column_names is None
    if column_names is not None:
        names = tuple(str(c) for c in column_names)
        if len(names) != p:
            raise GLMInputError(
                f"column_names: {len(names)} names given for the {p} columns of X"
            )
    names = names or tuple(f"x{j}" for j in range(p))
    response_name = str(response_name or getattr(y, "name", None) or "y")

    binomial = fam.proportion_response  # binomial and quasi-binomial
    ya = _as_float_array(y, "y", words=binomial)
    if ya.ndim == 2 and ya.shape[1] == 1:
        ya = ya[:, 0]
    if ya.shape[0] != n:
        raise GLMInputError(f"y: length {ya.shape[0]} does not match the {n} rows of X")
    # 0/1 outcomes without weights (the usual binomial y) are finite, in a proportion
    # family's domain and whole numbers of successes: the checks for those have nothing
    # to find in them.
    ones = (ya == 1) if (weights is None and ya.ndim == 1
                         and fam.unit_deviance_01 is not None) else None
    binary = ones is not None and all_true(ones | (ya == 0))
    if not binary:
        ones = None
        _check_finite(ya, "y", _where_of(y, ya.shape) if _pandas_kind(y) else None)
    swapped = _swap_error(ya, p, family, fam)
    if swapped is not None:
        raise swapped

    w = _constant(1.0, n) if weights is None else _vector(weights, "weights", n)
    if weights is not None:  # (the default ones need no checking)
        neg = np.flatnonzero(w < 0)
        if neg.size:
            raise GLMInputError(
                f"weights: negative weight {_show(w[neg[0]])} at index {int(neg[0])}; "
                "weights must be >= 0"
            )
    off = _constant(0.0, n) if offset is None else _vector(offset, "offset", n)

    # every weight is 1 (none is zero) unless given, or made the trials of a 2-column y
    unit = weights is None and ya.ndim == 1
    if ya.ndim == 2:
        if not binomial or ya.shape[1] != 2:
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

    if not unit and not np.any(w > 0):
        raise GLMInputError("weights: all weights are zero; at least one must be positive")

    if binomial and not unit:
        # R: "anything, e.g. NA/NaN, for cases with zero weight is OK" -- y[weights == 0] <- 0
        ya = np.where(w > 0, ya, 0.0)
    # Every other family checks every row, whatever its weight (as R does): a zero weight
    # does not make a negative count or a zero gamma response meaningful.
    outside = None if binary else np.flatnonzero(~fam.valid_y(ya))
    if outside is not None and outside.size:
        i = int(outside[0])
        raise GLMInputError(
            f"y: value {_show(ya[i])} at index {i} is outside the {fam.name} family's domain "
            f"({fam.y_domain}); {outside.size} value(s) in all"
        )

    troubles = []
    if intercept and not has_intercept and not _ones_in_span(Xa):
        troubles.append(_intercept_notice(n, from_frame, column_names is not None))
    if fam.name == "binomial" and not binary:  # (quasibinomial: any proportions, silently)
        m = ya if unit else w * ya  # (the successes)
        off_count = np.abs(m - np.round(m)) > 1e-3  # R's test in binomial()$initialize
        if off_count.any():
            i = int(np.argmax(off_count))
            troubles.append(Trouble(
                NonIntegerWarning, "non_integer",
                f"non-integer #successes in a binomial glm! (weights * y = {m[i]:g} at index "
                f"{i}; y is the proportion of successes and weights the number of trials, so "
                "their product counts successes)",
            ))

    if fam.name == "poisson":
        # R: dpois (in poisson()$aic) warns "non-integer x = ..." when |x - round(x)| >
        # 1e-7 max(1, |x|), and the fit goes on (its log-likelihood is then -inf)
        frac = np.abs(ya - np.round(ya)) > 1e-7 * np.maximum(1.0, np.abs(ya))
        if frac.any():
            i = int(np.argmax(frac))
            troubles.append(Trouble(
                NonIntegerWarning, "non_integer",
                f"non-integer x = {ya[i]:.6f} (y at index {i}; {int(frac.sum())} value(s) in "
                "all): Poisson counts are whole numbers. The fit is made, and its estimates "
                "are those of a quasi-Poisson model, but the Poisson likelihood of such y is "
                "0, so logLik is -inf and AIC and BIC are inf, as in R (which warns the same "
                "words); for rates, fit the counts with offset=log(exposure)",
            ))

    return GLMProblem(
        X=readonly(Xa, copy=False),
        y=readonly(ya, copy=False),
        prior_weights=readonly(w, copy=False),
        offset=readonly(off, copy=False),
        family=fam,
        column_names=names,
        response_name=response_name,
        has_intercept=has_intercept,
        troubles=tuple(troubles),
        _known_ones=ones,
    )


# --- the controls of the loop -------------------------------------------------------------

#: The rules for halving a step (``step_halving=``): R's ``glm.fit``, and glm2's.
STEP_HALVING_RULES = ("R", "deviance")


def check_controls(max_iter: Any, tol: Any, step_halving: Any = "R") -> None:
    """Refuse a ``max_iter`` that is not a positive integer, a ``tol`` that is not a
    positive finite number, or a ``step_halving`` rule glmlearn does not know."""
    if not isinstance(step_halving, str) or step_halving not in STEP_HALVING_RULES:
        raise GLMInputError(
            f"step_halving: must be 'R' (halve only for a non-finite deviance or an invalid "
            f"eta/mu, as R's glm.fit) or 'deviance' (also when the deviance rises, as the R "
            f"package glm2), got {_show(step_halving)}")
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


def check_eta_start(problem: GLMProblem, mustart: Any = None, etastart: Any = None
                    ) -> tuple[str, Array] | None:
    """R's ``etastart`` (a starting linear predictor, offset included) or ``mustart``
    (starting means, turned into eta by the link), checked: n finite numbers, means in the
    family's range. Returns ``(argument name, eta)``, ``etastart`` first as in R, or None
    when neither is given."""
    fam = problem.family
    for name, value in (("etastart", etastart), ("mustart", mustart)):
        if value is None:
            continue
        try:
            v = np.array(value, dtype=float).reshape(-1)
        except (TypeError, ValueError) as exc:
            raise GLMInputError(f"{name}: could not be read as numbers ({exc})") from exc
        if v.shape[0] != problem.n:
            raise GLMInputError(
                f"{name}: length {v.shape[0]} does not match the {problem.n} rows of X "
                f"(one starting {'linear predictor' if name == 'etastart' else 'mean'} "
                "per observation)")
        bad = np.flatnonzero(~np.isfinite(v))
        if bad.size:
            raise GLMInputError(
                f"{name}: non-finite value {_show(v[bad[0]])} at index {int(bad[0])}")
        if name == "mustart":
            out = np.flatnonzero(~fam.valid_mu(v))
            if out.size:
                i = int(out[0])
                raise GLMInputError(
                    f"mustart: mean {_show(v[i])} at index {i} is outside the {fam.name} "
                    f"family's range ({fam.mu_domain}); pass means inside it")
            with np.errstate(all="ignore"):
                return name, np.asarray(fam.link_fun(v), dtype=float)
        return name, v
    return None
