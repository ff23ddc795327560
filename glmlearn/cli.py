"""The ``glmlearn`` command: watch IRLS from a terminal, browse datasets, open the lessons.

Three subcommands::

    glmlearn trace data.csv --family binomial --y passed --x hours
    glmlearn trace --dataset beetles --family binomial --y killed --trials n --x dose
    glmlearn datasets [NAME]
    glmlearn lessons [--dir DIR] [--no-browser] [--port N] [--print-only]

``trace`` fits the model once with :func:`glmlearn.fit`, prints one row per IRLS state
of the fit's trace (iteration, deviance, R's convergence criterion, step-halvings and
the coefficients), then R's summary. Non-numeric ``--x`` columns (and columns named by
``--factor``) enter as R's treatment dummies: one 0/1 column per level except the first
(sorted) level, named ``column + level`` (``typeB``). Rows with a missing value (empty,
``NA``, ``NaN``) in a column the model uses are left out, as R's ``na.omit`` does.

Every error is one line on stderr naming the argument and the value, with exit
status 2; nothing here prints a traceback for a user's mistake. The CSV file is read
with the :mod:`csv` module: pandas is not needed.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import importlib.util
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import numpy as np
from numpy.typing import NDArray

from . import __version__
from ._arrays import Array
from ._fit import fit
from ._irls import IRLSState
from .datasets import list_datasets, load
from .errors import GLMInputError, GLMTypeError
from .family import FAMILIES, get_family
from .links import LINKS

__all__ = ["CLIError", "LessonFolder", "Model", "Table", "build_model", "copy_missing_lessons",
           "find_lessons", "format_trace", "lab_command", "main", "make_parser", "read_csv"]


#: Cells read as a missing value (R's ``read.csv`` reads "NA" and, in numeric columns, "").
MISSING = frozenset({"", "NA", "NaN", "nan"})
LESSON_PATTERN = "*.ipynb"
DEFAULT_LESSON_DIR = "glmlearn-lessons"
LESSONS_EXTRA = 'pip install "glmlearn[lessons]"'
#: The glmlearn package folder, where :func:`find_lessons` looks by default.
PACKAGE_DIR = Path(__file__).resolve().parent


class CLIError(Exception):
    """A user error: printed as one line on stderr, then the command exits with ``status``.

    Parameters
    ----------
    message : str
        The line to print (it names the argument and the offending value).
    status : int
        Exit status, 2 for a bad argument (argparse's convention).
    """

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


class _Parser(argparse.ArgumentParser):
    """argparse, but an error is one line (no usage block) and raises :class:`CLIError`."""

    def error(self, message: str) -> NoReturn:
        raise CLIError(f"{message} (see `{self.prog} --help`)")


# --- reading the data ---------------------------------------------------------------------

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


def _dataset_table(name: str) -> Table:
    try:
        ds = load(name)
    except GLMInputError as exc:
        raise CLIError(f"--dataset: {_without_arg(str(exc))}") from None
    columns = {k: v.astype(float) if v.dtype.kind in "iuf" else v.astype(str)
               for k, v in ds.data.items()}
    return Table(f"dataset {name!r}", columns, np.arange(2, ds.n_rows + 2, dtype=np.int64))


def _without_arg(message: str) -> str:
    """``"name: unknown dataset 'x'"`` -> ``"unknown dataset 'x'"``."""
    return message.split(": ", 1)[1] if ": " in message else message


# --- from columns to X, y, weights, offset ------------------------------------------------

@dataclass(frozen=True)
class Model:
    """The arrays handed to :func:`glmlearn.fit`, with the names the summary shows."""

    X: Array
    y: Array
    weights: Array | None
    offset: Array | None
    column_names: tuple[str, ...]
    response_name: str
    lines: NDArray[np.int64]
    n_dropped: int
    notes: tuple[str, ...]


def _missing(col: np.ndarray) -> NDArray[np.bool_]:
    return np.isnan(col) if col.dtype.kind == "f" else col == ""


def _numeric(table: Table, name: str, option: str, keep: NDArray[np.bool_]) -> Array:
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


_LOG = re.compile(r"^log\((.+)\)$")


def _offset(table: Table, spec: str, keep: NDArray[np.bool_]) -> Array:
    """The offset column, or its logarithm for ``log(COL)`` (rates: log exposure)."""
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
    if isinstance(level, float | np.floating) and float(level).is_integer():
        return str(int(level))
    return str(level)


def _dummies(name: str, values: np.ndarray, all_levels: bool) -> tuple[list[Array], list[str]]:
    """R's treatment contrasts: one 0/1 column per level but the first (all with ``all_levels``)."""
    levels = np.unique(values)  # sorted, as R sorts factor levels
    if levels.size < 2:
        raise CLIError(f"--x {name}: categorical column with the single level "
                       f"{_level_label(levels[0]) if levels.size else ''!r}; "
                       "it needs two or more levels")
    used = levels if all_levels else levels[1:]
    return ([(values == lev).astype(float) for lev in used],
            [f"{name}{_level_label(lev)}" for lev in used])


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
    xs: list[str] = args.x or []
    factors: list[str] = args.factor or []
    for name in factors:
        table.column(name, "--factor")
        if name not in xs:
            raise CLIError(f"--factor {name}: not one of the --x columns ({', '.join(xs) or 'none'})")
    if not xs and args.no_intercept:
        raise CLIError("--x: no columns for X: give --x, or leave out --no-intercept")
    if args.trials is not None and args.family != "binomial":
        raise CLIError(f"--trials {args.trials}: only for the binomial family, not {args.family!r}")

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

    # y (and trials): binomial y may be 0/1, a two-level text column, or successes of --trials.
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
        with np.errstate(invalid="ignore", divide="ignore"):
            y = np.where(trials > 0, y / np.where(trials > 0, trials, 1.0), 0.0)
        weights = trials if weights is None else weights * trials
        response_name = f"{args.y} out of {args.trials}"
    offset = None if args.offset is None else _offset(table, args.offset, keep)

    # X: intercept, then each --x as a number or as treatment dummies.
    columns: list[Array] = [] if args.no_intercept else [np.ones(int(keep.sum()))]
    names: list[str] = [] if args.no_intercept else ["(Intercept)"]
    first_factor = True
    for name in xs:
        col = table.column(name, "--x")
        if col.dtype.kind == "f" and name not in factors:
            columns.append(_numeric(table, name, "--x", keep))
            names.append(name)
            continue
        # R: without an intercept the first factor keeps all its levels.
        cols, labels = _dummies(name, col[keep], all_levels=args.no_intercept and first_factor)
        first_factor = False
        columns += cols
        names += labels
    return Model(np.column_stack(columns), y, weights, offset, tuple(names), response_name,
                 table.lines[keep], int(missing.sum()), tuple(notes))


# --- trace --------------------------------------------------------------------------------

#: The core's argument names -> this command's options (core messages start "name: ...").
_CORE_ARGS = {"family": "--family", "link": "--link", "start": "--start",
              "max_iter": "--max-iter", "tol": "--tol"}


def _core_error(exc: Exception, args: argparse.Namespace, lines: NDArray[np.int64],
                source: str) -> CLIError:
    """Re-word a :class:`GLMInputError` from the core with this command's option names."""
    message = str(exc)
    arg, sep, rest = message.partition(": ")
    weights = f"--weights {args.weights}" if args.trials is None else (
        f"--trials {args.trials}" if args.weights is None
        else f"--weights {args.weights} / --trials {args.trials}")
    rows = {"y": f"--y {args.y}", "weights": weights, "offset": f"--offset {args.offset}",
            "X": "--x"}
    if sep and arg in rows:
        # Row indices count the rows kept; show the file's line too.
        rest = re.sub(r"at index (\d+)\b",
                      lambda m: f"at index {m[1]} (line {lines[int(m[1])]} of {source})", rest)
        return CLIError(f"{rows[arg]}: {rest}")
    if sep and arg in _CORE_ARGS:
        return CLIError(f"{_CORE_ARGS[arg]}: {rest}")
    return CLIError(message)


def _parse_start(text: str | None) -> list[float] | None:
    if text is None:
        return None
    try:
        return [float(v) for v in text.split(",")]
    except ValueError:
        raise CLIError(f"--start: expected comma-separated numbers such as 0,0, got {text!r}") from None


def format_trace(states: Sequence[IRLSState], column_names: Sequence[str]) -> list[str]:
    """The iteration table: one line per state, then a line per halved step.

    Parameters
    ----------
    states : sequence of IRLSState
        E.g. ``result.trace``.
    column_names : sequence of str
        Coefficient names, for the header.

    Returns
    -------
    list of str
        Header, one row per state (``-`` where a value does not exist yet: the criterion
        of state 0, and beta of state 0 when IRLS starts from R's starting means), then a
        note for every step that was halved.
    """
    widths = [max(12, len(n)) for n in column_names]
    head = f"{'iter':>4} {'deviance':>14} {'criterion':>10} {'halvings':>8}"
    out = [head + "".join(f" {n:>{w}}" for n, w in zip(column_names, widths, strict=True))]
    for s in states:
        crit = "-" if not np.isfinite(s.criterion) else f"{s.criterion:.3e}"
        beta = (["-"] * len(widths) if s.beta is None
                else ["NA" if np.isnan(b) else f"{b:.7g}" for b in s.beta])
        out.append(f"{s.iteration:>4} {s.deviance:>14.6f} {crit:>10} {s.step_halvings:>8}"
                   + "".join(f" {b:>{w}}" for b, w in zip(beta, widths, strict=True)))
    out += [f"iteration {s.iteration}: step halved {s.step_halvings} time(s) because "
            f"{s.halving_reason}" for s in states if s.step_halvings]
    return out


def _trace(args: argparse.Namespace) -> int:
    if args.data is not None and args.dataset is not None:
        raise CLIError(f"DATA.csv {args.data!r} and --dataset {args.dataset}: give one, not both")
    if args.data is None and args.dataset is None:
        raise CLIError("DATA.csv: give a CSV file, or --dataset NAME for a bundled dataset")
    try:
        family = get_family(args.family, args.link)
    except (GLMInputError, GLMTypeError) as exc:
        raise _core_error(exc, args, np.zeros(0, dtype=np.int64), "") from None
    table = read_csv(args.data) if args.data is not None else _dataset_table(args.dataset)
    model = build_model(table, args)
    start = _parse_start(args.start)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = fit(model.X, model.y, family, weights=model.weights, offset=model.offset,
                         start=start, max_iter=args.max_iter, tol=args.tol,
                         column_names=model.column_names, response_name=model.response_name)
        except (GLMInputError, GLMTypeError) as exc:
            raise _core_error(exc, args, model.lines, table.source) from None

    print(f"{family.name} family, {family.link.name} link; response {model.response_name}; "
          f"{len(model.y)} rows of {table.source}"
          + (f" ({model.n_dropped} with missing values left out)" if model.n_dropped else ""))
    for note in model.notes:
        print(note)
    print()
    for line in format_trace(result.trace, result.column_names):
        print(line, flush=True)
    print()
    print(result.summary())
    shown = set(result.warnings)
    for w in caught:  # the summary lists the fit's own warnings; say the others once
        text = str(w.message)
        if text not in shown:
            shown.add(text)
            print(f"glmlearn trace: warning: {text}", file=sys.stderr)
    return 0


# --- datasets -----------------------------------------------------------------------------

def _datasets(args: argparse.Namespace) -> int:
    if args.name is None:
        names = list_datasets()
        width = max(map(len, names))
        for name in names:
            print(f"{name:<{width}}  {load(name).title}")
        print("\n`glmlearn datasets NAME` tells where a dataset comes from and what its columns mean;"
              "\n`glmlearn trace --dataset NAME ...` fits a model to it.")
        return 0
    try:
        ds = load(args.name)
    except GLMInputError as exc:
        raise CLIError(f"NAME: {_without_arg(str(exc))}") from None
    wrap = textwrap.TextWrapper(width=88, subsequent_indent="    ")
    print(ds.title)
    print(f"{ds.name}: {ds.n_rows} rows; columns {', '.join(ds.columns)}")
    print()
    print(ds.description)
    print()
    print("Columns:")
    width = max(map(len, ds.columns))
    for col, meaning in ds.columns.items():
        print(textwrap.fill(meaning, width=88, initial_indent=f"  {col:<{width}}  ",
                            subsequent_indent=" " * (width + 4)))
    print()
    for label, text in (("Citation", ds.citation), ("Source", ds.source), ("License", ds.license)):
        print(wrap.fill(f"{label}: {text}"))
    return 0


# --- lessons ------------------------------------------------------------------------------

@dataclass(frozen=True)
class LessonFolder:
    """Where the lessons come from.

    Attributes
    ----------
    path : Path
        The folder holding the lesson notebooks.
    checkout : bool
        True for a source checkout (``notebooks/`` beside the package, as in an editable
        install): JupyterLab opens that folder itself. False for an installed package:
        the lessons are copied into a working folder first.
    """

    path: Path
    checkout: bool


def find_lessons(package_dir: Path | None = None) -> LessonFolder:
    """Find the lessons of the glmlearn package in ``package_dir``.

    Parameters
    ----------
    package_dir : Path, optional
        The ``glmlearn`` package folder (default :data:`PACKAGE_DIR`). In a source checkout its
        parent holds ``pyproject.toml`` and ``notebooks/``; an installed wheel holds the
        lessons in ``glmlearn/lessons/``.

    Returns
    -------
    LessonFolder
    """
    package_dir = PACKAGE_DIR if package_dir is None else package_dir
    root = package_dir.parent
    if (root / "notebooks").is_dir() and (root / "pyproject.toml").is_file():
        return LessonFolder(root / "notebooks", checkout=True)
    return LessonFolder(package_dir / "lessons", checkout=False)


def copy_missing_lessons(source: Path, folder: Path) -> tuple[list[str], list[str]]:
    """Copy the lessons in ``source`` that ``folder`` lacks; never overwrite a file.

    Parameters
    ----------
    source : Path
        Folder of the packaged lessons (``*.ipynb``).
    folder : Path
        The learner's working folder (created if needed).

    Returns
    -------
    copied, kept : list of str
        Names of the lessons copied, and of those already there and left as they were
        (a learner's edited copy is never replaced).
    """
    lessons = sorted(source.glob(LESSON_PATTERN)) if source.is_dir() else []
    folder.mkdir(parents=True, exist_ok=True)
    copied, kept = [], []
    for lesson in lessons:
        target = folder / lesson.name
        if target.exists():
            kept.append(lesson.name)
            continue
        shutil.copyfile(lesson, target)
        copied.append(lesson.name)
    return copied, kept


def lab_command(folder: Path, *, port: int | None = None, browser: bool = True) -> list[str]:
    """The command that starts JupyterLab on ``folder`` (token authentication left on).

    Parameters
    ----------
    folder : Path
        JupyterLab's root folder.
    port : int, optional
        Port to listen on (JupyterLab's default, 8888 or the next free one, otherwise).
    browser : bool
        Whether JupyterLab opens a browser tab.

    Returns
    -------
    list of str
    """
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}"]
    if port is not None:
        cmd.append(f"--port={port}")
    if not browser:
        cmd.append("--no-browser")
    return cmd


def _lessons(args: argparse.Namespace) -> int:
    found = find_lessons()
    if args.port is not None and not 0 < args.port < 65536:
        raise CLIError(f"--port: must be between 1 and 65535, got {args.port}")
    if found.checkout and args.dir is None:
        folder = found.path
        n = len(list(folder.glob(LESSON_PATTERN)))
        print(f"Source checkout: opening the lessons themselves, {n} notebook(s) in {folder}")
    else:
        folder = Path(args.dir or DEFAULT_LESSON_DIR).expanduser().resolve()
        if folder.exists() and not folder.is_dir():
            raise CLIError(f"--dir: {str(folder)!r} exists and is not a folder")
        copied, kept = copy_missing_lessons(found.path, folder)
        if not copied and not kept:
            print(f"No lessons found in {found.path}; opening {folder} as it is.")
        if copied:
            print(f"Copied {len(copied)} lesson(s) into {folder}: {', '.join(copied)}")
        if kept:
            print(f"Kept {len(kept)} lesson(s) already in {folder}, unchanged (your edits are "
                  f"never overwritten; delete a file to get a fresh copy): {', '.join(kept)}")
        print(f"Lessons folder: {folder}")
    cmd = lab_command(folder, port=args.port, browser=not args.no_browser)
    print(f"Command: {shlex.join(cmd)}", flush=True)
    if args.print_only:
        return 0
    if importlib.util.find_spec("jupyterlab") is None:
        raise CLIError(f"lessons: JupyterLab is not installed for {sys.executable}; install it "
                       f"with: {LESSONS_EXTRA}", status=1)
    proc = subprocess.Popen(cmd)
    while True:
        try:
            return proc.wait()
        except KeyboardInterrupt:  # JupyterLab got the same Ctrl-C and decides itself
            continue


# --- the parser ---------------------------------------------------------------------------

def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None


def make_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the ``glmlearn`` command."""
    parser = _Parser(prog="glmlearn", description="Learn generalized linear models by "
                     "watching IRLS work.")
    parser.add_argument("--version", action="version", version=f"glmlearn {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    trace = sub.add_parser(
        "trace", help="fit a GLM to a CSV file or a bundled dataset and print every IRLS iteration",
        description="Fit a GLM by IRLS and print one row per iteration (deviance, R's "
        "convergence\ncriterion, step-halvings, coefficients), then R's summary.",
        epilog="examples:\n"
        "  glmlearn trace data.csv --family binomial --y passed --x hours --start 0,0\n"
        "  glmlearn trace --dataset beetles --family binomial --y killed --trials n --x dose\n"
        "  glmlearn trace --dataset dobson_counts --family poisson --y counts --x outcome "
        "--x treatment --factor outcome --factor treatment\n"
        "  glmlearn trace --dataset doctors --family poisson --y deaths --x age --x smokes "
        "--offset 'log(person_years)'\n"
        "Negative starting values need an equals sign: --start=-3,0.5",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    trace.add_argument("data", nargs="?", metavar="DATA.csv",
                       help="CSV file with a header line (or use --dataset)")
    trace.add_argument("--dataset", metavar="NAME", help="a bundled dataset (see `glmlearn datasets`)")
    trace.add_argument("--family", default="gaussian", metavar="FAMILY",
                       help=f"one of {', '.join(FAMILIES)} (default gaussian)")
    trace.add_argument("--link", metavar="LINK",
                       help=f"one of {', '.join(LINKS)} (default: the family's canonical link)")
    trace.add_argument("--y", required=True, metavar="COL", help="response column")
    trace.add_argument("--x", action="append", metavar="COL",
                       help="a predictor column (repeat for more); text columns become "
                       "treatment dummies")
    trace.add_argument("--factor", action="append", metavar="COL",
                       help="treat this numeric --x column as categorical (repeatable)")
    trace.add_argument("--trials", metavar="COL",
                       help="binomial: number of trials per row (then --y counts successes)")
    trace.add_argument("--weights", metavar="COL", help="prior weights column")
    trace.add_argument("--offset", metavar="COL",
                       help="offset column, added to the linear predictor; log(COL) takes its log")
    trace.add_argument("--no-intercept", action="store_true", help="leave out the intercept")
    trace.add_argument("--start", metavar="B0,B1,...",
                       help="starting coefficients, one per column of X (default: R's mustart)")
    trace.add_argument("--max-iter", type=_int, default=25, metavar="N",
                       help="maximum number of IRLS iterations (default 25)")
    trace.add_argument("--tol", type=_number, default=1e-8, metavar="T",
                       help="tolerance of R's criterion |D - D_old| / (|D| + 0.1) (default 1e-8)")

    datasets = sub.add_parser("datasets", help="list the bundled datasets, or describe one",
                              description="List the bundled datasets, or print where one "
                              "comes from and what its columns mean.")
    datasets.add_argument("name", nargs="?", metavar="NAME", help="a dataset to describe")

    lessons = sub.add_parser(
        "lessons", help="open the lessons in JupyterLab",
        description="Open the lessons in JupyterLab. In a source checkout this opens the "
        "notebooks/ folder itself; an installed glmlearn first copies its lessons into a "
        f"working folder (default ./{DEFAULT_LESSON_DIR}), adding only the lessons missing "
        "there, so your edited copies are never overwritten.")
    lessons.add_argument("--dir", metavar="DIR",
                         help="work on copies of the lessons in DIR (default: the checkout's "
                         f"notebooks/, or ./{DEFAULT_LESSON_DIR} for an installed glmlearn)")
    lessons.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    lessons.add_argument("--port", type=_int, metavar="N", help="port for JupyterLab")
    lessons.add_argument("--print-only", action="store_true",
                         help="prepare the folder, print it and the command, but do not start")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``glmlearn`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status: 0 on success, 2 for a bad argument (after one line on stderr), 1
        when JupyterLab is missing, otherwise JupyterLab's own status.
    """
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        command = {"trace": _trace, "datasets": _datasets, "lessons": _lessons}[args.command]
        return command(args)
    except CLIError as exc:
        print(f"glmlearn: error: {exc}", file=sys.stderr)
        return exc.status
