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
  build instead; a formula (``"y ~ x"``) is refused with the arrays to pass instead;
* a binomial response may be ``True``/``False`` or the words of :data:`BINARY_WORDS`.

Trouble found here that is not an error (no intercept column, non-integer binomial
counts) is kept as ``problem.troubles`` (:class:`~glmlearn.errors.Trouble`); nothing here
warns: :func:`glmlearn.fit` warns once per trouble, and :func:`glmlearn.irls` never does.
"""

from __future__ import annotations

import decimal
import math
import numbers
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._arrays import Array, readonly
from .errors import GLMInputError, GLMTypeError, InterceptNotice, NonIntegerWarning, Trouble
from .family import Family, get_family

__all__ = ["BINARY_WORDS", "GLMProblem", "check_controls", "check_start", "make_problem"]

#: The words a binomial response may hold instead of 1 and 0, read without regard to case
#: or surrounding spaces (``"Yes"``, ``" no "``, ``"TRUE"``). ``True``/``False`` are numbers
#: already. (``glmlearn trace`` reads any two-level text column of a CSV file, the second
#: level in sorted order being 1, which agrees with these words when they share a case.)
BINARY_WORDS: Mapping[str, float] = MappingProxyType(
    {"yes": 1.0, "no": 0.0, "true": 1.0, "false": 0.0}
)


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


# --- pandas, by its attributes ------------------------------------------------------------

def _pandas_kind(obj: Any) -> str | None:
    """``"frame"`` for a DataFrame, ``"series"`` for a Series, else None. The class is
    asked, not the object: a DataFrame answers ``df.dtype`` with a column named "dtype"."""
    if isinstance(obj, np.ndarray):
        return None
    cls = type(obj)
    if not (hasattr(cls, "iloc") and hasattr(cls, "index")):
        return None
    if hasattr(cls, "columns") and hasattr(cls, "dtypes"):
        return "frame"
    if hasattr(cls, "dtype") and hasattr(cls, "isna"):
        return "series"
    return None


def _names_of(obj: Any) -> tuple[str, ...] | None:
    cols = getattr(obj, "columns", None)
    if cols is not None and not isinstance(obj, np.ndarray):
        return tuple(str(c) for c in cols)
    return None


#: Says where the element at a flat (row-major) index is: "at index (3, 1)", "in column
#: 'age' at row 3".
Where = Callable[[int], str]


def _show(v: Any) -> str:
    """A value as a learner would write it: ``1.5``, not ``np.float64(1.5)``."""
    return repr(v.item() if isinstance(v, np.generic) else v)


def _code(name: str) -> str:
    """A column name as Python code in a message: ``"hours"`` (double quotes, as pandas
    examples write them) unless that would need escapes."""
    return f'"{name}"' if '"' not in name and "\\" not in name else repr(name)


def _index(i: int, shape: tuple[int, ...]) -> int | tuple[int, ...]:
    return i if len(shape) == 1 else tuple(int(k) for k in np.unravel_index(i, shape))


def _at_index(shape: tuple[int, ...]) -> Where:
    return lambda i: f"at index {_index(i, shape)}"


def _at_row(index: Any, columns: tuple[str, ...] | None = None) -> Where:
    """Where in a pandas object: the row's position, its label when that differs, and the
    column of a DataFrame."""
    def where(i: int) -> str:
        row, j = divmod(i, len(columns)) if columns else (i, 0)
        label = index[row]
        text = f"at row {row}"
        if not (isinstance(label, int | np.integer) and label == row):
            text += f" (index label {_show(label)})"
        return f"in column {columns[j]!r} {text}" if columns else text
    return where


def _where_of(obj: Any, shape: tuple[int, ...]) -> Where:
    kind = _pandas_kind(obj)
    if kind == "frame":
        return _at_row(obj.index, tuple(str(c) for c in obj.columns))
    if kind == "series":
        return _at_row(obj.index)
    return _at_index(shape)


# --- from any input to numbers ------------------------------------------------------------

#: What glmlearn says about rows with a missing value.
_DROP_ROWS = ("glmlearn does not drop rows (R's glm drops them by na.omit): drop or fill "
              "them in the data before taking X and y from it, e.g. df = df.dropna()")


def _is_missing(v: Any) -> bool:
    return v is None or type(v).__name__ in ("NAType", "NaTType")


def _element_kind(t: type) -> str:
    if issubclass(t, str | bytes):
        return "text"
    if issubclass(t, numbers.Real | np.bool_ | decimal.Decimal):
        return "number"  # (bool is an int; numpy registers its numbers as numbers.Real)
    return "other"


def _text_error(arg: str, values: NDArray[Any], i: int, where: Where,
                column: str | None, categorical: bool = False) -> GLMTypeError:
    """Text where numbers are needed; for a column of a DataFrame X, the dummies to build."""
    v = values.ravel()[i]
    if arg != "X" or column is None:
        return GLMTypeError(f"{arg}: expected numbers, got {type(v).__name__} {_show(v)} "
                            f"{where(i)}")
    what = "is categorical" if categorical else "holds text"
    msg = (f"X: column {column!r} {what} ({_show(v)} {where(i).removeprefix(f'in column {column!r} ')}), "
           f"not numbers. Make 0/1 dummy columns of it first, e.g. X = pd.get_dummies(X, "
           f"columns=[{_code(column)}], drop_first=True, dtype=float) (glmlearn does not read "
           "formulas yet; a formula interface is planned)")
    flat = [x for x in values.ravel().tolist() if not _is_missing(x)]
    if len(flat) > 2 and len(set(flat)) == len(flat):
        msg += (f"; its values all differ, so if it is an identifier, leave it out: "
                f"X = X.drop(columns=[{_code(column)}])")
    return GLMTypeError(msg)


def _binary_values(values: NDArray[Any], arg: str, where: Where, name: str | None) -> Array:
    """A binomial response given as text (and maybe True/False) as 1.0/0.0."""
    flat = values.ravel()
    if all(isinstance(v, str) for v in flat):  # (np.str_ is a str)
        levels, inverse = np.unique(flat.astype(str), return_inverse=True)
        keys = [str(level).strip().lower() for level in levels]
        known = [k in BINARY_WORDS for k in keys]
        if all(known):
            codes = np.array([BINARY_WORDS[k] for k in keys])
            return np.asarray(codes[inverse.reshape(-1)].reshape(values.shape))
        bad = known.index(False)
        i = int(np.flatnonzero(inverse.reshape(-1) == bad)[0])
        shown = ", ".join(map(repr, [str(level) for level in levels[:5]]))
        more = f", ... ({levels.size} in all)" if levels.size > 5 else ""
        one = str(levels[min(1, levels.size - 1)])
        series = f"df[{_code(name)}]" if name else arg
        raise GLMTypeError(
            f"{arg}: a binomial response given as text must say yes/no or true/false (any "
            f"case; read as 1/0), got {str(flat[i])!r} {where(i)} (the values: {shown}{more}). "
            f"Give 0/1 instead, e.g. {arg} = ({series} == {_code(one)}).astype(float)"
        )
    out = np.empty(flat.shape)
    for i, v in enumerate(flat):
        if isinstance(v, str) and v.strip().lower() in BINARY_WORDS:
            out[i] = BINARY_WORDS[v.strip().lower()]
        elif _is_missing(v):
            raise GLMInputError(f"{arg}: missing value ({v}) {where(i)}; {_DROP_ROWS}")
        elif _element_kind(type(v)) == "number":
            out[i] = float(v)
        else:
            raise GLMTypeError(f"{arg}: a binomial response must be 0/1, True/False or "
                               f"yes/no, got {type(v).__name__} {_show(v)} {where(i)}")
    return out.reshape(values.shape)


def _object_values(values: NDArray[Any], arg: str, where: Where, *, column: str | None = None,
                   words: bool = False, name: str | None = None) -> NDArray[Any]:
    """An object array as float64 when it holds numbers only (ints, floats, bools,
    Decimals); else the first missing value, text or other object, refused by name."""
    flat = values.ravel()
    kinds = {_element_kind(t) for t in set(map(type, flat.tolist()))}
    if kinds <= {"number"}:
        return values.astype(float)
    if words:
        return _binary_values(values, arg, where, name)
    for i, v in enumerate(flat):
        kind = _element_kind(type(v))
        if kind == "number":
            continue
        if _is_missing(v):
            raise GLMInputError(f"{arg}: missing value ({v}) {where(i)}; {_DROP_ROWS}")
        if kind == "text":
            raise _text_error(arg, values, i, where, column)
        raise GLMTypeError(f"{arg}: expected numbers, got {type(v).__name__} {_show(v)} "
                           f"{where(i)}")
    raise AssertionError("unreachable: a kind other than 'number' was seen")  # pragma: no cover


def _series_values(s: Any, arg: str, where: Where, *, column: str | None = None,
                   words: bool = False) -> NDArray[Any]:
    """One pandas column (a Series) as numbers: float64 with NaN where a value is missing."""
    dt = s.dtype
    kind = getattr(dt, "kind", "O")
    if kind in "biuf":
        if isinstance(dt, np.dtype):
            return np.asarray(s.to_numpy())
        return np.asarray(s.to_numpy(dtype=float, na_value=np.nan))  # Int64, boolean, ...
    name = None if s.name is None else str(s.name)
    if str(getattr(dt, "name", "")) == "category":
        values = np.asarray(s.to_numpy(dtype=object))
        if words:
            return _binary_values(values, arg, where, name)
        given = [i for i, v in enumerate(values.tolist()) if not _is_missing(v) and v == v]
        if not given:
            raise GLMInputError(f"{arg}: every value of the categorical "
                                f"{'column ' + repr(column) if column else 'Series'} is missing")
        raise _text_error(arg, values, given[0], where, column, categorical=True)
    if kind == "O":  # object, and pandas' text dtypes ("str", "string")
        return _object_values(np.asarray(s.to_numpy(dtype=object)), arg, where, column=column,
                              words=words, name=name)
    what = f"column {column!r}" if column is not None else f"the Series {name!r}"
    raise GLMTypeError(f"{arg}: {what} holds {dt} values, not numbers")


def _frame_values(df: Any, arg: str, words: bool) -> NDArray[Any]:
    """A DataFrame as a 2-D array of numbers, column by column when the dtypes call for it.

    What ``to_numpy()`` gives, when that is numbers (a float DataFrame: as it always was);
    else column-major, the layout pandas gives a float DataFrame, so that bool, nullable
    and object columns fit to the very numbers of their float version.
    """
    raw = np.asarray(df.to_numpy())
    if raw.dtype.kind in "biuf":
        return raw  # numbers of one kind: the array as pandas gives it (maybe a view)
    dtypes = list(df.dtypes)
    if all(isinstance(dt, np.dtype) and dt.kind in "biuf" for dt in dtypes):
        return np.asfortranarray(df.to_numpy(dtype=float))  # bool beside float: not objects
    if all(getattr(dt, "kind", "O") in "biuf" for dt in dtypes):
        # nullable Int64, Float64, boolean: NA -> NaN, refused as missing by the finite check
        return np.asfortranarray(df.to_numpy(dtype=float, na_value=np.nan))
    names = tuple(str(c) for c in df.columns)
    out = np.empty((len(df), len(names)), order="F")
    for j, name in enumerate(names):
        out[:, j] = _series_values(df.iloc[:, j], arg, _at_row(df.index, (name,)), column=name,
                                   words=words)
    return out


def _first_non_number(raw: NDArray[Any]) -> tuple[int, Any] | None:
    """Position and value of the element that stopped ``raw`` from being numeric; None
    when every element reads as a number (they were given as text)."""
    flat = raw.ravel()
    for i, v in enumerate(flat):
        if isinstance(v, str | bytes | np.str_ | np.bytes_):
            try:
                float(v)  # numpy turns numbers into text when another element is text
            except ValueError:
                return i, v
        elif not isinstance(v, int | float | np.integer | np.floating | bool | np.bool_):
            return i, v
    return None


def _as_float_array(obj: Any, arg: str, *, copy: bool = True, words: bool = False) -> Array:
    """Convert to a float64 array, refusing text, objects and complex numbers by name.

    ``copy=False`` returns the numeric array as it is (any real dtype, maybe the
    caller's own): for :func:`_private_copy`, which makes the copy itself. ``words``
    (a binomial y) reads the text of :data:`BINARY_WORDS` as 1/0.
    """
    if isinstance(obj, str | bytes):
        raise GLMTypeError(f"{arg}: expected numbers, got the string {obj!r}")
    kind = _pandas_kind(obj)
    if kind == "frame":
        raw = _frame_values(obj, arg, words)
    elif kind == "series":
        raw = _series_values(obj, arg, _at_row(obj.index),
                             column=None if obj.name is None else str(obj.name), words=words)
    else:
        try:
            raw = np.asarray(obj.to_numpy() if hasattr(obj, "to_numpy") else obj)
        except Exception as exc:  # ragged lists and the like
            raise GLMTypeError(f"{arg}: could not be read as an array of numbers ({exc})") from exc
        if raw.dtype.kind == "O":
            raw = _object_values(raw, arg, _at_index(raw.shape), words=words)
        elif raw.dtype.kind in "US" and words:
            raw = _binary_values(raw, arg, _at_index(raw.shape), None)
    if raw.dtype.kind == "c":
        raise GLMTypeError(f"{arg}: complex numbers are not supported")
    if raw.dtype.kind not in "biuf":
        found = _first_non_number(raw)
        if found is None:
            v = raw.ravel()[0]
            raise GLMTypeError(
                f"{arg}: expected numbers, got {type(v).__name__} {_show(v)} at index "
                f"{_index(0, raw.shape)}: the numbers are written as text; convert them "
                f"first, e.g. {arg} = np.asarray({arg}, dtype=float)"
            )
        i, v = found
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


def _check_finite(a: Array, arg: str, where: Where | None = None) -> None:
    """Refuse NaN and inf by index; ``where`` (a pandas input) names the column and row,
    and calls a NaN what pandas calls it: a missing value."""
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.sum(a)
    if np.isfinite(total):
        return  # NaN and inf propagate into the sum, so a finite sum proves all are finite
    bad = np.flatnonzero(~np.isfinite(a))
    if bad.size:
        i = int(bad[0])
        v = a.ravel()[i]
        if where is None:
            raise GLMInputError(f"{arg}: non-finite value {_show(v)} at index {_index(i, a.shape)}")
        if np.isnan(v):
            raise GLMInputError(f"{arg}: missing value (NaN or NA) {where(i)}; {_DROP_ROWS}")
        raise GLMInputError(f"{arg}: non-finite value {_show(v)} {where(i)}")


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
    _check_finite(a, arg, _where_of(obj, a.shape) if _pandas_kind(obj) else None)
    return a


# --- what a learner meant -------------------------------------------------------------------

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
_CBIND = re.compile(r"^cbind\(\s*([A-Za-z_][A-Za-z0-9_.]*)\s*,\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\)$")
_CALL = re.compile(r"^(log|exp|sqrt)\(([A-Za-z_][A-Za-z0-9_.]*)\)$")


def _formula_error(arg: str, formula: str, family: Any) -> GLMTypeError:
    """A formula given where X or y belongs: say so, and write out the arrays to pass."""
    lhs, _, rhs = formula.partition("~")
    response = "".join(lhs.split())
    intercept, columns, made, other = True, [], [], []
    for term in rhs.replace("-", "+-").split("+"):
        term = "".join(term.split())
        call = _CALL.match(term)
        if term in ("", "1"):
            continue
        if term in ("0", "-1"):
            intercept = False
        elif _NAME.match(term):
            columns.append(term)
        elif call:  # log(dose) -> a column log_dose = np.log(df["dose"])
            columns.append(f"{call[1]}_{call[2]}")
            made.append(f"df[{_code(columns[-1])}] = np.{call[1]}(df[{_code(call[2])}])")
        else:
            other.append(term)
    cols = ", ".join(_code(c) for c in (["(Intercept)"] if intercept else []) + columns)
    x = (f'X = df.assign(**{{"(Intercept)": 1.0}})[[{cols}]]' if intercept and columns
         else f"X = df[[{cols}]]" if columns
         else "X = np.ones((len(df), 1))" if intercept else "X = df[[...]] (the design's columns)")
    pair = _CBIND.match(response)
    y = (f"y = df[[{_code(pair[1])}, {_code(pair[2])}]]" if pair
         else f"y = df[{_code(response)}]" if _NAME.match(response) else "y = df[...]")
    fam = f'"{family}"' if isinstance(family, str) else "family"
    fit_call = f"glmlearn.fit(X, y, {fam}{'' if intercept else ', intercept=False'})"
    steps = "; ".join([*made, x, y, fit_call])
    msg = (f"{arg}: got the formula {formula!r}, but glmlearn does not read formulas yet (a "
           f"formula interface is planned). Fit from the DataFrame's columns today: {steps}")
    if other:
        msg += f" (make the other terms, {', '.join(other)}, columns of df first)"
    return GLMTypeError(msg)


def _swap_error(ya: Array, p: int, family: Any, fam: Family) -> GLMInputError | None:
    """A 2-D y beside a one-column X that looks like a design: the arguments swapped."""
    if p != 1 or ya.ndim != 2 or ya.shape[1] < 2:
        return None
    why = []
    const = np.flatnonzero((ya == ya[0]).all(axis=0) & (ya[0] != 0))
    if const.size:
        j = int(const[0])
        why.append(f"column {j} of y is constant at {_show(ya[0, j])}, like an intercept")
    if ya.shape[1] > 2:
        why.append(f"y has {ya.shape[1]} columns")
    elif fam.name == "binomial":
        with np.errstate(invalid="ignore"):
            frac = np.flatnonzero(np.abs(ya[:, 1] - np.round(ya[:, 1])) > 1e-3)
        if frac.size:
            i = int(frac[0])
            why.append(f"the second column of y holds {_show(ya[i, 1])} at index {i}, not a "
                       "count of failures")
    if not why:
        return None
    fam_code = f'"{family}"' if isinstance(family, str) else "family"
    return GLMInputError(
        f"X and y look swapped: fit(X, y, family) takes the design first. Here X has one "
        f"column while y has {ya.shape[1]} and {'; '.join(why)}. Call fit(X, y, {fam_code}) "
        "with X the design (one column per coefficient, a column of ones for the intercept) "
        "and y the response"
    )


def _ones_in_span(Xa: Array) -> bool:
    """Whether a column of ones is a combination of the columns of X (e.g. a dummy for every
    level of a factor): then the model has its intercept all the same. Least squares of
    ones on the columns scaled to at most 1 in size, from their Gram matrix: O(n p^2),
    only for an X without a constant column."""
    scale = np.abs(Xa).max(axis=0)
    scale[scale == 0] = 1.0
    gram = (Xa.T @ Xa) / np.outer(scale, scale)
    sums = Xa.sum(axis=0) / scale
    coef = np.linalg.pinv(gram, rcond=1e-10, hermitian=True) @ sums
    n = Xa.shape[0]
    return bool(abs(n - sums @ coef) <= 1e-8 * n)  # the residual sum of squares, ~0


def _intercept_notice(n: int, from_frame: bool, names_given: bool) -> Trouble:
    if from_frame:
        add = 'X = X.assign(**{"(Intercept)": 1.0})[["(Intercept)", *X.columns]]'
    else:
        add = f"X = np.column_stack([np.ones({n}), X])"
        if names_given:
            add += ' (and "(Intercept)" first in column_names)'
    return Trouble(
        InterceptNotice, "no_intercept",
        "X has no intercept column (no constant column), so the model has no constant term; "
        "R's glm(y ~ x) adds one, glmlearn fits the columns it is given. To add one: "
        f"{add}. For a model without intercept on purpose, pass intercept=False",
    )


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

    binomial = fam.name == "binomial"
    ya = _as_float_array(y, "y", words=binomial)
    if ya.ndim == 2 and ya.shape[1] == 1:
        ya = ya[:, 0]
    if ya.shape[0] != n:
        raise GLMInputError(f"y: length {ya.shape[0]} does not match the {n} rows of X")
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
    outside = np.flatnonzero(~fam.valid_y(ya))
    if outside.size:
        i = int(outside[0])
        raise GLMInputError(
            f"y: value {_show(ya[i])} at index {i} is outside the {fam.name} family's domain "
            f"({fam.y_domain}); {outside.size} value(s) in all"
        )

    troubles = []
    if intercept and not has_intercept and not _ones_in_span(Xa):
        troubles.append(_intercept_notice(n, from_frame, column_names is not None))
    if binomial:
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
