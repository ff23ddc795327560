"""Reading whatever a learner passes as X, y, weights or offset into float64 arrays.

:func:`glmlearn.problem.make_problem` calls these; they hold the details of *reading* the
input, so that ``problem.py`` reads as the list of checks on the data:

* pandas recognised by its attributes (pandas is never imported): a DataFrame's column
  names, a Series' name, and where a value is ("in column 'age' at row 3");
* any input (arrays, lists, DataFrames and Series of any numeric, nullable, object or
  categorical dtype, a binomial response in words) to float64, refusing text, objects,
  complex numbers and categorical columns by name and position;
* the missing-value and finite checks, and the private copy of X (checked while it is
  made).

Every message names the argument and the first offending index (or column and row).
"""

from __future__ import annotations

import decimal
import functools
import numbers
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._arrays import Array, all_true, any_true
from .errors import GLMInputError, GLMTypeError

#: The words a binomial response may hold instead of 1 and 0, read without regard to case
#: or surrounding spaces (``"Yes"``, ``" no "``, ``"TRUE"``). ``True``/``False`` are numbers
#: already. (``glmlearn trace`` reads any two-level text column of a CSV file, the second
#: level in sorted order being 1, which agrees with these words when they share a case.)
BINARY_WORDS: Mapping[str, float] = MappingProxyType(
    {"yes": 1.0, "no": 0.0, "true": 1.0, "false": 0.0}
)



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

    For a large C-ordered ``raw`` (the usual case) this is one pass over it: each block of
    rows is copied and then checked while it is in cache, instead of three passes over a
    large X. Other layouts (Fortran order, views) keep numpy's copy, which keeps their
    layout; so does an X of one block, checked as a whole.
    """
    n, p = raw.shape
    c_order = raw.flags.c_contiguous
    if n <= _SCAN_ROWS or not c_order:  # one block (or numpy's copy): no loop needed
        Xa = np.array(raw, dtype=float)
        # (the intercept is usually the first column: asked first, it settles the question)
        first = Xa[0, 0]
        if first != 0 and all_true(Xa[:, 0] == first):
            return Xa, _all_finite(Xa), True
        const = (Xa == Xa[0]).all(axis=0) & (Xa[0] != 0)
        return Xa, _all_finite(Xa), any_true(const)
    Xa = np.empty((n, p))
    rows = _SCAN_ROWS
    total, const, row0 = 0.0, np.zeros(p, dtype=bool), Xa[0]
    with np.errstate(over="ignore", invalid="ignore"):
        for start in range(0, n, rows):
            block = Xa[start:start + rows]
            np.copyto(block, raw[start:start + rows])
            # NaN and inf propagate into a sum, so a finite sum proves all are finite
            total += float(block.sum())
            if start == 0:
                const = (block == row0).all(axis=0) & (row0 != 0)
            elif const.any():
                const &= (block == row0).all(axis=0)
    return Xa, bool(np.isfinite(total)), bool(const.any())


def _all_finite(a: Array) -> bool:
    """Whether every element of ``a`` is finite. A large array is summed (NaN and inf
    propagate into a sum, so a finite sum proves them all finite: one pass, no mask the
    size of ``a``); a sum that overflows says nothing, and the mask decides."""
    if a.size <= _SCAN_ROWS:
        return all_true(np.isfinite(a))
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(np.sum(a)):
            return True
    return bool(np.isfinite(a).all())


def _check_finite(a: Array, arg: str, where: Where | None = None) -> None:
    """Refuse NaN and inf by index; ``where`` (a pandas input) names the column and row,
    and calls a NaN what pandas calls it: a missing value."""
    if _all_finite(a):
        return
    bad = np.flatnonzero(~np.isfinite(a))
    if bad.size:
        i = int(bad[0])
        v = a.ravel()[i]
        if where is None:
            raise GLMInputError(f"{arg}: non-finite value {_show(v)} at index {_index(i, a.shape)}")
        if np.isnan(v):
            raise GLMInputError(f"{arg}: missing value (NaN or NA) {where(i)}; {_DROP_ROWS}")
        raise GLMInputError(f"{arg}: non-finite value {_show(v)} {where(i)}")


@functools.lru_cache(maxsize=64)
def _constant(value: float, n: int) -> Array:
    """A read-only n-vector of one value, stored once: the default weights (ones) and
    offset (zeros) cost 8 bytes, not n * 8, and compute the same numbers. Being read-only,
    one such vector serves every problem of n rows (refits of one data set share it)."""
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

