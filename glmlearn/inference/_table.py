"""A small table of numbers with named rows and columns, printed the way R prints it.

Analysis-of-deviance tables, single-term deletions and interval tables are all one
:class:`Table`: row labels, R's column names, a float array (NaN where R prints nothing)
and a heading. It prints as text, shows as HTML in a notebook and becomes a pandas
DataFrame with :meth:`Table.to_frame` (pandas is imported only then).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._arrays import Array
from .._rformat import SIGNIF_LEGEND, format_pvalues, format_real, signif_stars

__all__ = ["Table"]

#: Columns holding counts (printed without decimals) and p-values (printed as R does).
_COUNT_COLUMNS = frozenset({"Df", "Resid. Df"})


def _zapsmall(v: np.ndarray, digits: int) -> np.ndarray:
    """R's ``zapsmall(v, digits)``: round to the decimals the largest ``|v|`` allows."""
    finite = v[np.isfinite(v)]
    mx = float(np.abs(finite).max()) if finite.size else 0.0
    if mx == 0:
        return v
    # R 4.2's zapsmall: round(x, max(0, digits - log10(mx))), round() taking the
    # nearest whole number of decimals
    return np.round(v, math.floor(max(0.0, digits - math.log10(mx)) + 0.5))


@dataclass(frozen=True, eq=False)
class Table:
    """Rows of numbers under R's column names.

    Attributes
    ----------
    heading : tuple of str
        Lines printed above the table (what was tested, how).
    row_names, columns : tuple of str
    values : (rows, columns) ndarray
        NaN where R prints nothing (the first row's ``Df`` and ``Deviance``).
    notes : tuple of str
        Lines printed below the table (e.g. the dispersion a test used).
    """

    heading: tuple[str, ...]
    row_names: tuple[str, ...]
    columns: tuple[str, ...]
    values: Array
    notes: tuple[str, ...] = ()

    def __getitem__(self, column: str) -> Array:
        """One column by its R name, e.g. ``table["Pr(>Chi)"]``."""
        if column not in self.columns:
            raise KeyError(f"{column!r}: the columns are {', '.join(map(repr, self.columns))}")
        return self.values[:, self.columns.index(column)]

    def to_frame(self) -> Any:
        """The table as a pandas DataFrame with R's column names and row names."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - pandas is in every test setup
            raise ImportError("to_frame needs pandas: pip install pandas") from exc
        return pd.DataFrame(np.array(self.values), index=list(self.row_names),
                            columns=list(self.columns))

    def _cells(self) -> list[list[str]]:
        # A column of statistics prints as R's print.anova prints it: zapped to the
        # decimals its largest value allows at 5 digits (R's zapsmall, so 1.8e-14 next to
        # 5.45 is 0), then formatted together (R's format: one number of decimals).
        columns = []
        for j, col in enumerate(self.columns):
            v = np.asarray(self.values[:, j], dtype=float)
            ok = ~np.isnan(v)
            out = [""] * len(v)
            if col.startswith("Pr("):  # R's printCoefmat: format.pval at digits 4, together
                for i, text in zip(np.flatnonzero(ok), format_pvalues(list(v[ok]), 4),
                                   strict=True):
                    out[i] = text.strip()
            elif col in _COUNT_COLUMNS and bool((v[ok] == np.round(v[ok])).all()):
                out = [f"{x:.0f}" if k else "" for x, k in zip(v, ok, strict=True)]
            elif ok.any():
                vals = _zapsmall(v[ok], 5)
                for i, text in zip(np.flatnonzero(ok), format_real(list(vals), 5), strict=True):
                    out[i] = text.strip()
            columns.append(out)
        return [[columns[j][i] for j in range(len(self.columns))]
                for i in range(len(self.row_names))]

    def _p_column(self) -> int | None:
        for j, col in enumerate(self.columns):
            if col.startswith("Pr("):
                return j
        return None

    def __str__(self) -> str:
        cells = self._cells()
        pj = self._p_column()
        stars = [signif_stars(float(self.values[i, pj])).strip() if pj is not None else ""
                 for i in range(len(self.row_names))]
        w0 = max(len(r) for r in self.row_names)
        widths = [max(len(c), *(len(r[j]) for r in cells)) for j, c in enumerate(self.columns)]
        lines = [*self.heading, ""] if self.heading else []
        lines.append(" " * w0 + "".join(f"  {c:>{w}}" for c, w in zip(self.columns, widths,
                                                                       strict=True)))
        for name, row, star in zip(self.row_names, cells, stars, strict=True):
            lines.append(f"{name:<{w0}}" + "".join(f"  {c:>{w}}" for c, w in
                                                    zip(row, widths, strict=True))
                         + (f" {star}" if star else ""))
        if any(stars):
            lines += ["---", SIGNIF_LEGEND]
        lines += list(self.notes)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in ("", *self.columns))
        body = "".join(
            f"<tr><th>{html.escape(name)}</th>"
            + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
            for name, row in zip(self.row_names, self._cells(), strict=True))
        top = "<br>".join(html.escape(x) for x in self.heading)
        foot = "<br>".join(html.escape(x) for x in self.notes)
        return (f"<div class='glmlearn-table'><p>{top}</p><table><thead><tr>{head}</tr>"
                f"</thead><tbody>{body}</tbody></table>"
                + (f"<p>{foot}</p>" if foot else "") + "</div>")
