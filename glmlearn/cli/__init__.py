"""The ``glmlearn`` command: watch IRLS from a terminal, browse datasets, open the lessons.

Three subcommands::

    glmlearn trace data.csv --family binomial --y passed --x hours
    glmlearn trace --dataset beetles --family binomial --y killed --trials n --x dose
    glmlearn trace --dataset beetles --family binomial --formula "cbind(killed, n - killed) ~ dose"
    glmlearn datasets [NAME]
    glmlearn lessons [--dir DIR | --originals] [--no-browser] [--port N] [--print-only] [--allow-root]
                     [-- JUPYTER_OPTION ...]

``trace`` fits the model once with :func:`glmlearn.fit`, prints one row per IRLS state
of the fit's trace (iteration, deviance, R's convergence criterion, step-halvings, the
largest score component and the coefficients; row 0, the starting point, marked
``0 (start)``), then R's summary, whose ``Warning:`` lines say each trouble of the fit
once, then one line naming their categories. Non-numeric ``--x`` columns (and columns
named by ``--factor``) enter as R's treatment dummies: one 0/1 column per level except
the first (sorted) level, named ``column + level`` (``typeB``). Rows with a missing value
(empty, ``NA``, ``NaN``) in a column the model uses are left out, as R's ``na.omit`` does.
``--formula`` takes the whole model as an R formula instead of ``--y``/``--x`` (see
:mod:`glmlearn.formula`); either way X is built by glmlearn's formula builder.

``lessons`` opens the learner's own copy of the lessons (``--originals``: the originals)
and passes everything after ``--`` on to JupyterLab.

Every error is one line on stderr naming the argument and the value, with exit
status 2; nothing here prints a traceback for a user's mistake. The CSV file is read
with the :mod:`csv` module; the design is built with pandas and formulaic (the
``formula`` extra).

Modules, in the order a ``trace`` run meets them
------------------------------------------------
=================  =====================================================================
``_parser``        the options (:func:`make_parser`) and number parsing
``_table``         CSV files and bundled datasets as a :class:`Table`
``_model``         X, y, weights and offset from the table (:func:`build_model`)
``_trace``         the ``trace`` command and its iteration table (:func:`format_trace`)
``_datasets``      the ``datasets`` command
``_lessons``       the ``lessons`` command (:func:`find_lessons`, :func:`lab_command`)
``_errors``        :class:`CLIError`, and the core's messages in the command's words
=================  =====================================================================
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import NoReturn

from ._datasets import run_datasets
from ._errors import CLIError
from ._lessons import (
    DEFAULT_LESSON_DIR,
    LESSONS_EXTRA,
    PACKAGE_DIR,
    LessonFolder,
    copy_missing_lessons,
    find_lessons,
    lab_command,
    run_lessons,
    running_as_root,
)
from ._model import Model, build_model
from ._parser import make_parser, parse_start
from ._table import MISSING, Table, dataset_table, read_csv
from ._trace import format_trace, run_trace

__all__ = ["DEFAULT_LESSON_DIR", "LESSONS_EXTRA", "MISSING", "PACKAGE_DIR", "CLIError",
           "LessonFolder", "Model", "Table", "build_model", "copy_missing_lessons",
           "dataset_table", "find_lessons", "format_trace", "lab_command", "main",
           "make_parser", "parse_start", "read_csv", "running_as_root"]

_COMMANDS = {"trace": run_trace, "datasets": run_datasets, "lessons": run_lessons}


def _split_forwarded(argv: list[str]) -> tuple[list[str], list[str]]:
    """``glmlearn lessons [options] -- JUPYTER_OPTION ...``: split off what goes to JupyterLab.

    Only ``lessons`` forwards options; for any other command ``--`` keeps its usual meaning
    (the end of the options) and is left to argparse.
    """
    command = next((a for a in argv if not a.startswith("-")), None)
    if command == "lessons" and "--" in argv:
        i = argv.index("--")
        return argv[:i], argv[i + 1:]
    return argv, []


def _unrecognized(command: str | None, unknown: list[str]) -> NoReturn:
    """One line for options the command does not know; for ``lessons``, say where
    JupyterLab's own options go."""
    given = " ".join(unknown)
    if command == "lessons":
        raise CLIError(f"unrecognized arguments: {given}; JupyterLab's own options go after "
                       f"`--`: glmlearn lessons -- {given} (see `glmlearn lessons --help`)")
    where = f"glmlearn {command}" if command else "glmlearn"
    raise CLIError(f"unrecognized arguments: {given} (see `{where} --help`)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``glmlearn`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default: ``sys.argv[1:]``). For ``lessons``, everything after the
        first ``--`` is passed on to JupyterLab as it is.

    Returns
    -------
    int
        Exit status: 0 on success, 2 for a bad argument (after one line on stderr), 1
        when JupyterLab is missing, otherwise JupyterLab's own status.
    """
    parser = make_parser()
    try:
        own, forwarded = _split_forwarded(list(sys.argv[1:] if argv is None else argv))
        args, unknown = parser.parse_known_args(own)
        if unknown:
            _unrecognized(args.command, unknown)
        if args.command is None:
            parser.print_help()
            return 2
        if args.command == "lessons":
            args.jupyter_args = forwarded
        return _COMMANDS[args.command](args)
    except CLIError as exc:
        print(f"glmlearn: error: {exc}", file=sys.stderr)
        return exc.status
