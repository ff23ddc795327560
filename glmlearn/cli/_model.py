"""From a :class:`~glmlearn.cli._table.Table` and the ``trace`` options to what
:func:`glmlearn.fit` takes: X (intercept, numbers, R's treatment dummies), y, prior
weights (times the binomial trials), offset (or its log), with R's ``na.omit`` on the
rows; or, with ``--formula``, the formula and the table as a DataFrame.

X is built by glmlearn's formula builder (:mod:`glmlearn.formula`), as every design in
glmlearn is: ``--x`` columns become the terms of a formula, ``--factor`` columns factors.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._arrays import Array
from ..errors import GLMInputError, GLMTypeError
from ..family import get_family
from ..formula import design_matrix, formula_problem
from ._errors import CLIError
from ._table import Table

__all__ = ["Model", "build_model"]


@dataclass(frozen=True)
class Model:
    """The arrays handed to :func:`glmlearn.fit`, with the names the summary shows.

    Attributes
    ----------
    X, y, weights, offset
        As :func:`glmlearn.fit` takes them (``weights`` and ``offset`` None when not given).
    column_names : tuple of str
        One per column of X (``(Intercept)``, ``hours``, ``typeB``...).
    response_name : str
        ``passed``, or ``killed out of n`` with ``--trials``.
    lines : ndarray of int
        The file line of each row kept.
    n_dropped : int
        Rows left out for a missing value.
    notes : tuple of str
        What the command decided for the user (which text level of y counts as 1).
    formula, frame
        With ``--formula``: the formula and the table as a DataFrame (indexed by file
        line), which :func:`glmlearn.fit` reads; X, y, weights and offset are then the
        ones the formula built.
    """

    X: Array
    y: Array
    weights: Array | None
    offset: Array | None
    column_names: tuple[str, ...]
    response_name: str
    lines: NDArray[np.int64]
    n_dropped: int
    notes: tuple[str, ...]
    formula: str | None = None
    frame: Any = None


def _missing(col: np.ndarray) -> NDArray[np.bool_]:
    return np.isnan(col) if col.dtype.kind == "f" else col == ""


def _numeric(table: Table, name: str, option: str, keep: NDArray[np.bool_]) -> Array:
    """The kept rows of a column that must hold finite numbers."""
    col = table.column(name, option)
    if col.dtype.kind != "f":
        i = int(np.flatnonzero((col != "") & keep)[0]) if np.any((col != "") & keep) else 0
        raise CLIError(f"{option} {name}: not a numeric column (value {str(col[i])!r} on line "
                       f"{table.lines[i]} of {table.source})")
    values = col[keep]
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise CLIError(f"{option} {name}: non-finite value {float(values[bad[0]])!r} on line "
                       f"{table.lines[keep][bad[0]]} of {table.source}")
    return values


#: ``--offset log(COL)``: the column's logarithm (rates: log exposure).
_LOG = re.compile(r"^log\((.+)\)$")


def _offset(table: Table, spec: str, keep: NDArray[np.bool_]) -> Array:
    """The offset column, or its logarithm for ``log(COL)``."""
    name = _LOG.sub(r"\1", spec)
    values = _numeric(table, name, "--offset", keep)
    if name == spec:
        return values
    bad = np.flatnonzero(values <= 0)
    if bad.size:
        raise CLIError(f"--offset {spec}: cannot take the log of {values[bad[0]]:g} on line "
                       f"{table.lines[keep][bad[0]]} of {table.source}")
    return np.log(values)


def _level_label(level: object) -> str:
    """``2.0`` -> ``"2"`` (as R names the dummy of a numeric factor's level), else ``str``."""
    if isinstance(level, float | np.floating) and float(level).is_integer():
        return str(int(level))
    return str(level)


def _check_options(table: Table, args: argparse.Namespace) -> None:
    """Refuse option combinations that cannot make a model, before reading any values."""
    xs: list[str] = args.x or []
    for name in args.factor or []:
        table.column(name, "--factor")
        if name not in xs:
            raise CLIError(f"--factor {name}: not one of the --x columns ({', '.join(xs) or 'none'})")
    if not xs and args.no_intercept:
        raise CLIError("--x: no columns for X: give --x, or leave out --no-intercept")
    if args.trials is not None and args.family != "binomial":
        raise CLIError(f"--trials {args.trials}: only for the binomial family, not {args.family!r}")


def _response(table: Table, args: argparse.Namespace, keep: NDArray[np.bool_],
              notes: list[str]) -> tuple[Array, Array | None, str]:
    """y, the prior weights and the response's name. Binomial y may be 0/1, a two-level
    text column (its second sorted level is 1), or successes out of ``--trials``."""
    ycol = table.column(args.y, "--y")
    response_name = args.y
    if ycol.dtype.kind != "f" and args.family == "binomial" and args.trials is None:
        levels = [str(v) for v in np.unique(ycol[keep])]
        if len(levels) != 2:
            raise CLIError(f"--y {args.y}: a text response needs exactly two levels for the "
                           f"binomial family, got {len(levels)} ({', '.join(map(repr, levels[:5]))})")
        y = (ycol[keep] == levels[1]).astype(float)
        notes.append(f"--y {args.y}: {levels[0]!r} = 0 (failure), {levels[1]!r} = 1 (success)")
    else:
        y = _numeric(table, args.y, "--y", keep)
    weights = None if args.weights is None else _numeric(table, args.weights, "--weights", keep)
    if args.trials is not None:
        trials = _numeric(table, args.trials, "--trials", keep)
        lines = table.lines[keep]
        for bad, what in ((trials < 0, "a negative number of trials"),
                          ((y < 0) | (y > trials), "successes outside 0..trials")):
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise CLIError(f"--y {args.y} / --trials {args.trials}: {what} ({y[i]:g} of "
                               f"{trials[i]:g}) on line {lines[i]} of {table.source}")
        # The proportion, with the trials as prior weights (R's cbind(s, n - s) response);
        # a row with 0 trials has weight 0 and any proportion, 0 here.
        with np.errstate(invalid="ignore", divide="ignore"):
            y = np.where(trials > 0, y / np.where(trials > 0, trials, 1.0), 0.0)
        weights = trials if weights is None else weights * trials
        response_name = f"{args.y} out of {args.trials}"
    return y, weights, response_name


def build_model(table: Table, args: argparse.Namespace) -> Model:
    """Turn the table and the ``trace`` options into the arrays :func:`glmlearn.fit` takes.

    Parameters
    ----------
    table : Table
        The data.
    args : argparse.Namespace
        Parsed ``trace`` options (``y``, ``x``, ``factor``, ``trials``, ``weights``,
        ``offset``, ``no_intercept``, ``family``).

    Returns
    -------
    Model

    Raises
    ------
    CLIError
        Unknown columns, text where numbers are needed, non-finite values, a categorical
        column with one level, trials that do not fit the successes.
    """
    if args.formula is not None:
        return formula_model(table, args)
    if args.y is None:
        raise CLIError("--y: give the response column (--y COL), or a whole model with "
                       "--formula 'y ~ x'")
    _check_options(table, args)
    xs: list[str] = args.x or []
    factors: list[str] = args.factor or []
    used = [("--y", args.y)] + [("--x", x) for x in xs]
    offset_col = None if args.offset is None else _LOG.sub(r"\1", args.offset)
    used += [(opt, col) for opt, col in (("--trials", args.trials), ("--weights", args.weights),
                                        ("--offset", offset_col)) if col is not None]
    missing = np.zeros(len(table.lines), dtype=bool)
    for option, name in used:
        missing |= _missing(table.column(name, option))
    keep = ~missing
    if not keep.any():
        raise CLIError(f"data: every row of {table.source} has a missing value in the columns "
                       f"used ({', '.join(name for _, name in used)})")
    notes: list[str] = []
    y, weights, response_name = _response(table, args, keep, notes)
    offset = None if args.offset is None else _offset(table, args.offset, keep)

    # X: intercept, then each --x as a number or as a factor (treatment dummies), built by
    # the formula builder from the --x columns.
    columns: dict[str, Any] = {}
    for name in xs:
        col = table.column(name, "--x")
        if col.dtype.kind == "f" and name not in factors:
            columns[name] = _numeric(table, name, "--x", keep)
        else:
            levels = np.unique(col[keep])
            if levels.size < 2:
                raise CLIError(f"--x {name}: categorical column with the single level "
                               f"{_level_label(levels[0]) if levels.size else ''!r}; "
                               "it needs two or more levels")
            columns[name] = _pandas().Categorical(col[keep])
    if columns:
        rhs = " + ".join(f"`{name}`" for name in xs) + (" - 1" if args.no_intercept else "")
        X, names, _ = design_matrix(rhs, _pandas().DataFrame(columns))
    else:
        X, names = np.ones((int(keep.sum()), 1)), ("(Intercept)",)
    return Model(X, y, weights, offset, tuple(names), response_name,
                 table.lines[keep], int(missing.sum()), tuple(notes))


def _pandas() -> Any:
    import pandas as pd

    return pd


def table_frame(table: Table) -> Any:
    """The table as a DataFrame indexed by file line (missing text as None)."""
    pd = _pandas()
    return pd.DataFrame({name: (col if col.dtype.kind == "f"
                                else [None if v == "" else v for v in col.tolist()])
                         for name, col in table.columns.items()},
                        index=pd.Index(table.lines, name="line"))


def formula_model(table: Table, args: argparse.Namespace) -> Model:
    """``--formula``: the formula fit's design, with the rows it left out."""
    for option, value in (("--y", args.y), ("--x", args.x), ("--factor", args.factor),
                          ("--trials", args.trials), ("--no-intercept", args.no_intercept)):
        if value:
            hint = {"--trials": "write the response as cbind(successes, failures)",
                    "--no-intercept": "write - 1 in the formula",
                    "--factor": "write factor(COL) in the formula"}.get(option, "")
            raise CLIError(f"{option}: give --formula or --y/--x, not both"
                           + (f"; {hint}" if hint else ""))
    frame = table_frame(table)
    try:
        problem = formula_problem(args.formula, frame, get_family(args.family, args.link),
                                  weights=args.weights, offset=args.offset, na_action="omit")
    except (GLMInputError, GLMTypeError) as exc:  # (they name the column; rows are lines)
        raise CLIError(f"{exc} (in {table.source})") from None
    design = problem.design
    pw = problem.prior_weights
    return Model(np.asarray(problem.X), np.asarray(problem.y),
                 None if bool((pw == 1).all()) else np.asarray(pw), problem.offset_or_none,
                 problem.column_names, problem.response_name,
                 np.asarray(design.index, dtype=np.int64), len(design.omitted), (),
                 formula=args.formula, frame=frame)
