"""Columns to fit: a CSV file read with the :mod:`csv` module (no pandas), or a bundled
dataset, as a :class:`Table` of float and text columns that remembers each row's line."""

from __future__ import annotations

import csv
import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..datasets import load
from ..errors import GLMInputError
from ._errors import CLIError, without_arg

__all__ = ["MISSING", "Table", "dataset_table", "read_csv", "subset_table"]

#: Cells read as a missing value (R's ``read.csv`` reads "NA" and, in numeric columns, "").
MISSING = frozenset({"", "NA", "NaN", "nan"})


@dataclass(frozen=True)
class Table:
    """Columns read from a CSV file or a bundled dataset.

    Attributes
    ----------
    source : str
        Where the data came from, for messages (``"data.csv"``, ``"dataset 'beetles'"``).
    columns : dict of str to ndarray
        Column name -> float64 array (NaN where missing) for numeric columns, or str
        array (``""`` where missing) for text columns, in file order.
    lines : ndarray of int
        The line of the file each row came from (the header is line 1).
    """

    source: str
    columns: dict[str, np.ndarray]
    lines: NDArray[np.int64]

    def column(self, name: str, option: str) -> np.ndarray:
        """Return a column, or raise :class:`CLIError` naming ``option`` and close matches."""
        if name in self.columns:
            return self.columns[name]
        close = difflib.get_close_matches(name, self.columns, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        known = ", ".join(map(repr, self.columns))
        raise CLIError(f"{option}: no column {name!r} in {self.source} (columns: {known}){hint}")


def _typed(values: Sequence[str]) -> np.ndarray:
    """Numbers when every non-missing cell is one (missing -> NaN), else text (missing -> "")."""
    cells = [v.strip() for v in values]
    try:
        return np.array([np.nan if c in MISSING else float(c) for c in cells], dtype=float)
    except ValueError:
        return np.array(["" if c in MISSING else c for c in cells], dtype=str)


def read_csv(path: str | Path) -> Table:
    """Read a CSV file with a header line into a :class:`Table`.

    Parameters
    ----------
    path : str or Path
        A comma-separated file whose first line names the columns (a UTF-8 byte-order
        mark, as Excel writes, is allowed). Blank lines are skipped.

    Returns
    -------
    Table

    Raises
    ------
    CLIError
        If the file is missing or unreadable, has no header, repeats a column name or has
        a line with the wrong number of fields.
    """
    arg = f"data file {str(path)!r}"
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = [(i, row) for i, row in enumerate(csv.reader(f), start=1) if row]
    except FileNotFoundError:
        raise CLIError(f"{arg}: no such file") from None
    except IsADirectoryError:
        raise CLIError(f"{arg}: is a directory, not a CSV file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CLIError(f"{arg}: could not be read ({exc})") from None
    if not rows:
        raise CLIError(f"{arg}: is empty (expected a header line naming the columns)")
    (_, header), body = rows[0], rows[1:]
    header = [h.strip() for h in header]
    seen: set[str] = set()
    for h in header:
        if h in seen:
            raise CLIError(f"{arg}: the header names column {h!r} twice")
        seen.add(h)
    for line, row in body:
        if len(row) != len(header):
            raise CLIError(f"{arg}: line {line} has {len(row)} fields but the header has "
                           f"{len(header)}")
    columns = {h: _typed([row[j] for _, row in body]) for j, h in enumerate(header)}
    return Table(Path(path).name, columns, np.array([line for line, _ in body], dtype=np.int64))


def dataset_table(name: str) -> Table:
    """A bundled dataset as a :class:`Table` (its rows numbered as the lines of its CSV file).

    Raises
    ------
    CLIError
        Naming ``--dataset`` and the known datasets, for an unknown ``name``.
    """
    try:
        ds = load(name)
    except GLMInputError as exc:
        raise CLIError(f"--dataset: {without_arg(str(exc))}") from None
    columns = {k: v.astype(float) if v.dtype.kind in "iuf" else v.astype(str)
               for k, v in ds.data.items()}
    return Table(f"dataset {name!r}", columns, np.arange(2, ds.n_rows + 2, dtype=np.int64))


def subset_table(table: Table, condition: str) -> Table:
    """The rows of ``table`` where ``condition`` holds, as R's ``subset =`` of ``glm()``.

    Parameters
    ----------
    table : Table
    condition : str
        A condition on the columns in pandas' query syntax, e.g. ``"service > 0"`` or
        ``"type != 'E'"`` (the ships model leaves out the cells with no service, whose
        log is -inf).

    Returns
    -------
    Table
        The rows kept, each still knowing its line of the file.

    Raises
    ------
    CLIError
        Naming ``--subset`` if the condition cannot be evaluated, is not true/false per
        row, or keeps no row.
    """
    try:
        import pandas as pd
    except ImportError:  # (the lessons and formula extras install it)
        raise CLIError("--subset needs pandas: pip install 'glmlearn[formula]'") from None
    frame = pd.DataFrame(table.columns)
    try:
        keep = frame.eval(condition)
    except Exception as exc:  # (pandas' parser raises many kinds)
        known = ", ".join(map(repr, table.columns))
        raise CLIError(f"--subset {condition!r}: could not be evaluated on {table.source} "
                       f"({type(exc).__name__}: {exc}); columns: {known}") from None
    keep = np.asarray(keep)
    if keep.dtype != bool or keep.shape != (len(frame),):
        raise CLIError(f"--subset {condition!r}: is not a true/false condition per row "
                       "(write e.g. 'service > 0')")
    if not keep.any():
        raise CLIError(f"--subset {condition!r}: keeps none of the {len(frame)} rows of "
                       f"{table.source}")
    return Table(f"{table.source}, rows with {condition}",
                 {k: v[keep] for k, v in table.columns.items()}, table.lines[keep])
