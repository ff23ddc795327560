"""R's model frame: the columns a formula uses, rows with missing values left out, and
text, boolean and categorical columns made factors.

Factors follow R's ``factor()``: a pandas categorical keeps its category order, text is
sorted (Python's order of the strings; R's ``factor()`` sorts in the locale's order, which
agrees for the usual level names), booleans are ``FALSE < TRUE``; levels that do not
occur in the rows used are dropped before coding (R's ``drop.unused.levels``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import GLMInputError, MissingValuesNotice, Trouble

#: How many omitted rows a notice names before it says "..."
_SHOW_ROWS = 10


def pandas() -> Any:
    """pandas, or an error saying which extra installs it."""
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - pandas is in the formula extra
        raise ImportError("formulas need pandas and formulaic: pip install 'glmlearn[formula]'"
                          ) from exc
    return pd


def as_frame(data: Any) -> Any:
    """``data`` as a DataFrame (a DataFrame or a mapping of columns)."""
    pd = pandas()
    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, Mapping):
        return pd.DataFrame(dict(data))
    raise GLMInputError(f"data: expected a pandas DataFrame (or a dict of columns) for a "
                        f"formula, got {type(data).__name__}")


def check_columns(df: Any, names: Sequence[str], where: str) -> None:
    """Refuse a variable that is not a column of ``df``, naming it and the columns there
    are."""
    cols = [str(c) for c in df.columns]
    for name in names:
        if name not in df.columns:
            close = [c for c in cols if c.lower() == name.lower()]
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise GLMInputError(
                f"{where}: no column {name!r} in data{hint}; its columns are "
                f"{', '.join(map(repr, cols))}")


def is_factor(series: Any) -> bool:
    """Whether a column is a factor in R's sense: categorical, text or boolean."""
    kind = series.dtype.kind
    return bool(series.dtype.name == "category" or kind in "OSUb" or series.dtype.name in (
        "string", "boolean"))


def levels_of(series: Any) -> tuple[Any, ...]:
    """The levels of a factor column in R's order, unused levels dropped."""
    present = set(series.dropna().unique().tolist())
    if series.dtype.name == "category":
        return tuple(c for c in series.cat.categories.tolist() if c in present)
    if series.dtype.kind == "b" or series.dtype.name == "boolean":
        return tuple(v for v in (False, True) if v in present)
    try:
        return tuple(sorted(present))
    except TypeError:  # (mixed types: R would read them all as text)
        return tuple(sorted(present, key=str))


def as_factor(series: Any, levels: Sequence[Any], variable: str) -> Any:
    """``series`` as a categorical with exactly ``levels``, refusing any other value."""
    pd = pandas()
    values = series.astype(object) if series.dtype.name == "category" else series
    unknown = [v for v in values.dropna().unique().tolist() if v not in set(levels)]
    if unknown:
        raise GLMInputError(
            f"newdata: column {variable!r} has level {unknown[0]!r}, which the fitted model "
            f"has not seen; its levels are {', '.join(map(repr, levels))}"
            + (f" ({len(unknown)} unknown levels in all)" if len(unknown) > 1 else ""))
    return pd.Series(pd.Categorical(values, categories=list(levels)), index=series.index,
                     name=series.name)


def r_level(level: Any) -> str:
    """A level as R prints it in a coefficient name: ``2`` not ``2.0``, ``TRUE``."""
    if isinstance(level, bool) or type(level).__name__ == "bool_":
        return "TRUE" if level else "FALSE"
    if isinstance(level, float) and level.is_integer():
        return str(int(level))
    if isinstance(level, float):
        return f"{level:.15g}"
    return str(level)


def omit_missing(df: Any, extra: Mapping[str, Any], na_action: str) -> tuple[Any, Any, Trouble | None]:
    """R's ``na.omit``: the rows with no missing value in ``df`` or in the ``extra``
    arrays (weights, offset), as a boolean mask, the rows left out, and the notice.

    ``na_action="raise"`` refuses the first missing value instead, naming its column and
    row.
    """
    pd = pandas()
    missing = df.isna().to_numpy().copy()
    names = [str(c) for c in df.columns]
    for name, values in extra.items():
        missing = _with(missing, pd.isna(values), name, names)
    rows = missing.any(axis=1)
    if not rows.any():
        return ~rows, df.index[rows], None
    i = int(rows.argmax())
    j = int(missing[i].argmax())
    if na_action == "raise":
        raise GLMInputError(
            f"data: missing value in {names[j]!r} at row {df.index[i]!r} "
            f"({int(rows.sum())} rows have one); leave na_action='omit' to fit without those "
            "rows as R's na.omit does, or fill them in")
    labels = df.index[rows].tolist()
    shown = ", ".join(map(repr, labels[:_SHOW_ROWS])) + (", ..." if len(labels) > _SHOW_ROWS
                                                         else "")
    by_column = ", ".join(f"{names[k]} ({int(missing[:, k].sum())})"
                          for k in range(len(names)) if missing[:, k].any())
    notice = Trouble(
        MissingValuesNotice, "na_omit",
        f"{len(labels)} of {len(df)} rows left out for missing values (R's na.omit): rows "
        f"{shown}; missing in {by_column}. result.index holds the rows used; pass "
        "na_action='raise' to refuse missing values instead")
    return ~rows, df.index[rows], notice


def _with(missing: Any, more: Any, name: str, names: list[str]) -> Any:
    import numpy as np

    more = np.asarray(more, dtype=bool)
    if more.ndim == 1 and more.shape[0] == missing.shape[0]:
        names.append(name)
        return np.column_stack([missing, more])
    return missing
