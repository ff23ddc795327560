"""Small real datasets for learning GLMs, bundled with their provenance.

Each dataset is a CSV file (the data) next to a Markdown file of the same name
(its provenance: title, citation, where the values were checked, licence, and
what every column means). :func:`load` reads both and returns a
:class:`Dataset`; :func:`list_datasets` names what is available.

Examples
--------
>>> from glmlearn.datasets import load, list_datasets
>>> list_datasets()
['beetles', 'budworm', 'challenger', 'clotting', 'dobson_counts', 'doctors', 'quine', 'ships']
>>> ds = load("beetles")
>>> ds.n_rows
8
>>> int(ds["killed"].sum())
291
>>> ds.columns["n"]
'number of beetles exposed at that dose (binomial denominator)'

Notes
-----
A provenance file starts with a ``# Title`` line, then one line each for
``Citation:``, ``Source:`` and ``License:``, then free text (the description)
up to the first ``## `` heading. A ``## Columns`` section lists every CSV column
as ``- `name`: meaning``. Any other section (such as ``## Checks``) is for
human readers and is ignored by the loader.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import GLMInputError, GLMTypeError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Dataset", "list_datasets", "load"]

_KEYS = {"citation": "Citation", "source": "Source", "license": "License"}
#: Optional key lines: the dataset's classic model (see :attr:`Dataset.formula`)
_MODEL_KEYS = {"formula": "Formula", "family": "Family", "factors": "Factors", "rows": "Rows"}
_COLUMN_LINE = re.compile(r"^- `(?P<name>[^`]+)`: (?P<meaning>.+)$")


@dataclass(frozen=True, eq=False, repr=False)
class Dataset:
    """A bundled dataset: read-only columns plus their provenance.

    Attributes
    ----------
    name : str
        The name given to :func:`load`, e.g. ``"beetles"``.
    title : str
        One-line title.
    description : str
        What the data are and what they are classically used for.
    citation : str
        The original publication (and the textbook table it is usually taken from).
    source : str
        The public copies the values were checked against.
    license : str
        What is known about the copyright or licence status of the data.
    columns : dict of str to str
        Column name -> meaning, with units, in file order.
    data : dict of str to numpy.ndarray
        Column name -> read-only 1-D array, in file order. Whole-number columns
        are ``int64``, other numeric columns ``float64``, text columns ``str``.
    formula, family : str
        The dataset's classic model as an R formula and a family name
        (``"counts ~ outcome + treatment"``, ``"poisson"``); see :meth:`fit`.
    factors : tuple of str
        Columns that are factors even though coded as numbers (categorical in
        :meth:`frame`).
    rows : str
        The rows the classic model uses, as a pandas query (``"service > 0"``), or ``""``
        for all of them (see :meth:`model_frame`).
    """

    name: str
    title: str
    description: str
    citation: str
    source: str
    license: str
    columns: dict[str, str]
    data: dict[str, np.ndarray]
    formula: str = ""
    family: str = ""
    factors: tuple[str, ...] = ()
    rows: str = ""

    def __getitem__(self, column: str) -> np.ndarray:
        """Return the read-only array of one column, e.g. ``ds["dose"]``."""
        try:
            return self.data[column]
        except KeyError:
            raise KeyError(
                f"column: dataset {self.name!r} has no column {column!r}; "
                f"its columns are {', '.join(map(repr, self.data))}"
            ) from None

    @property
    def n_rows(self) -> int:
        """Number of rows (observations)."""
        return len(next(iter(self.data.values()))) if self.data else 0

    def frame(self) -> pd.DataFrame:
        """Return the data as a new pandas DataFrame (a writable copy).

        Returns
        -------
        pandas.DataFrame
            One column per entry of :attr:`data`, in file order.

        Raises
        ------
        ImportError
            If pandas is not installed (it is optional for glmlearn).
        """
        try:
            import pandas as pd
        except ImportError as exc:
            raise ImportError(
                "Dataset.frame() needs pandas, which is optional for glmlearn; "
                "install it with `pip install pandas`, or use Dataset.data (numpy arrays)"
            ) from exc
        df = pd.DataFrame({name: np.array(values) for name, values in self.data.items()})
        for name in self.factors:  # (numbers that name levels: R's factor())
            df[name] = pd.Categorical(df[name])
        return df

    def model_frame(self) -> pd.DataFrame:
        """:meth:`frame` with only the rows the classic model uses (:attr:`rows`)."""
        df = self.frame()
        return df.query(self.rows).reset_index(drop=True) if self.rows else df

    def fit(self, **kwargs: Any) -> Any:
        """Fit the dataset's classic model: :attr:`formula` and :attr:`family` on
        :meth:`model_frame` (``kwargs`` go to :func:`glmlearn.fit`, e.g. ``link=``).

        Examples
        --------
        >>> round(load("dobson_counts").fit().deviance, 4)
        5.1291
        """
        from .._fit import fit

        if not self.formula:
            raise GLMInputError(f"dataset {self.name!r} has no classic model; fit it with "
                                "glmlearn.fit(formula, data=ds.frame(), family=...)")
        kwargs.setdefault("family", self.family or "gaussian")
        return fit(self.formula, data=self.model_frame(), **kwargs)

    def __repr__(self) -> str:
        return f"Dataset(name={self.name!r}, n_rows={self.n_rows}, columns={list(self.data)})"


def list_datasets() -> list[str]:
    """Return the names of the bundled datasets, sorted.

    Returns
    -------
    list of str
        Every name accepted by :func:`load`.
    """
    files = {entry.name for entry in resources.files(__name__).iterdir()}
    return sorted(
        name[: -len(".csv")]
        for name in files
        if name.endswith(".csv") and name[: -len(".csv")] + ".md" in files
    )


def load(name: str) -> Dataset:
    """Load a bundled dataset with its provenance.

    Parameters
    ----------
    name : str
        One of :func:`list_datasets`: ``"beetles"``, ``"budworm"``, ``"challenger"``,
        ``"clotting"``, ``"dobson_counts"``, ``"doctors"``, ``"quine"`` or ``"ships"``.

    Returns
    -------
    Dataset
        The columns as read-only numpy arrays, with title, description,
        citation, source, licence and column meanings.

    Raises
    ------
    GLMTypeError
        If ``name`` is not a string.
    GLMInputError
        If no dataset has that name (a :class:`ValueError`).

    Examples
    --------
    >>> ships = load("ships")
    >>> ships.n_rows, int(ships["incidents"].sum())
    (40, 356)
    """
    if not isinstance(name, str):
        raise GLMTypeError(f"name: expected a dataset name (str), got {type(name).__name__}")
    available = list_datasets()
    if name not in available:
        raise GLMInputError(
            f"name: unknown dataset {name!r}; available datasets are {', '.join(map(repr, available))}"
        )
    folder = resources.files(__name__)
    meta = _parse_markdown(folder.joinpath(f"{name}.md").read_text(encoding="utf-8"), name)
    data = _parse_csv(folder.joinpath(f"{name}.csv").read_text(encoding="utf-8"))
    if list(meta["columns"]) != list(data):
        raise RuntimeError(  # a packaging bug, not a user error
            f"{name}.md documents columns {list(meta['columns'])} but {name}.csv has {list(data)}"
        )
    return Dataset(name=name, data=data, **meta)


def _parse_csv(text: str) -> dict[str, np.ndarray]:
    """Read CSV text into read-only column arrays (int, then float, else str)."""
    header, *rows = list(csv.reader(io.StringIO(text)))
    columns: dict[str, np.ndarray] = {}
    for j, column in enumerate(header):
        values = [row[j] for row in rows]
        array: np.ndarray
        try:
            array = np.array([int(v) for v in values], dtype=np.int64)
        except ValueError:
            try:
                array = np.array([float(v) for v in values], dtype=np.float64)
            except ValueError:
                array = np.array(values, dtype=str)
        array.setflags(write=False)
        columns[column] = array
    return columns


def _parse_markdown(text: str, name: str) -> dict[str, Any]:
    """Read title, key lines, description and column meanings from a provenance file."""
    meta: dict[str, Any] = {"title": "", "columns": {}}
    description: list[str] = []
    section = ""  # "" until the first "## " heading
    for line in text.splitlines():
        if line.startswith("# ") and not meta["title"]:
            meta["title"] = line[2:].strip()
        elif line.startswith("## "):
            section = line[3:].strip().lower()
        elif section == "columns":
            match = _COLUMN_LINE.match(line.strip())
            if match:
                meta["columns"][match["name"]] = match["meaning"].strip()
        elif not section:
            key, _, value = line.partition(":")
            if key in _KEYS.values() and value.strip():
                meta[key.lower()] = value.strip()
            elif key in _MODEL_KEYS.values() and value.strip():
                meta[key.lower()] = (tuple(v.strip() for v in value.split(","))
                                     if key == "Factors" else value.strip())
            else:
                description.append(line)
    meta["description"] = "\n".join(description).strip()
    missing = [key for key in ("title", *_KEYS) if not meta.get(key)]
    if missing:
        raise RuntimeError(f"{name}.md is missing {', '.join(missing)}")  # a packaging bug
    return meta
