"""The options of the ``glmlearn`` command (:func:`make_parser`) and the parsing of numbers.

Every parse error is one line (no usage block) raised as :class:`CLIError`, so ``main``
prints it like every other mistake.
"""

from __future__ import annotations

import argparse
from typing import NoReturn

from .. import __version__
from ..family import FAMILIES, OVERDISPERSION_FAMILIES
from ..links import LINKS
from ._errors import CLIError
from ._lessons import ALLOW_ROOT, DEFAULT_LESSON_DIR

__all__ = ["make_parser", "parse_start"]


class _Parser(argparse.ArgumentParser):
    """argparse, but an error is one line (no usage block) and raises :class:`CLIError`."""

    def error(self, message: str) -> NoReturn:
        raise CLIError(f"{message} (see `{self.prog} --help`)")


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


def parse_start(text: str | None) -> list[float] | None:
    """``--start 0,0.5`` -> ``[0.0, 0.5]``; None (R's starting means) when not given.

    Raises
    ------
    CLIError
        Naming ``--start`` when a value is not a number. Whether there is one value per
        column of X is for :func:`glmlearn.fit` to say.
    """
    if text is None:
        return None
    try:
        return [float(v) for v in text.split(",")]
    except ValueError:
        raise CLIError(f"--start: expected comma-separated numbers such as 0,0, got {text!r}") from None


def _add_trace(sub: argparse._SubParsersAction[_Parser]) -> None:
    """The `trace` subcommand and its options."""
    trace = sub.add_parser(
        "trace", help="fit a GLM to a CSV file or a bundled dataset and print every IRLS iteration",
        description="Fit a GLM by IRLS and print one row per iteration (deviance, R's "
        "convergence\ncriterion, step-halvings, the largest score component, coefficients), "
        "then R's summary.\nRow 0 is the starting point, not an IRLS step.",
        epilog="examples:\n"
        "  glmlearn trace data.csv --family binomial --y passed --x hours --start 0,0\n"
        "  glmlearn trace --dataset beetles --family binomial --y killed --trials n --x dose\n"
        "  glmlearn trace --dataset ships --family poisson --formula "
        "'incidents ~ type + factor(year) + offset(log(service))' --subset 'service > 0'\n"
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
                       help=f"one of {', '.join([*FAMILIES, *OVERDISPERSION_FAMILIES])} "
                       "(default gaussian; negative_binomial estimates theta as MASS's glm.nb)")
    trace.add_argument("--link", metavar="LINK",
                       help=f"one of {', '.join(LINKS)} (default: the family's canonical link)")
    trace.add_argument("--formula", metavar="'Y ~ X'",
                       help="the model as an R formula, e.g. 'counts ~ factor(outcome) + "
                       "treatment' or 'cbind(killed, n - killed) ~ dose' (instead of --y/--x)")
    trace.add_argument("--y", metavar="COL", help="response column")
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
    trace.add_argument("--subset", metavar="CONDITION",
                       help="fit only the rows where CONDITION holds, as R's subset = "
                       "(e.g. 'service > 0')")
    trace.add_argument("--no-intercept", action="store_true", help="leave out the intercept")
    trace.add_argument("--start", metavar="B0,B1,...",
                       help="starting coefficients, one per column of X (default: R's mustart)")
    trace.add_argument("--max-iter", type=_int, default=25, metavar="N",
                       help="maximum number of IRLS iterations (default 25)")
    trace.add_argument("--tol", type=_number, default=1e-8, metavar="T",
                       help="tolerance of R's criterion |D - D_old| / (|D| + 0.1) (default 1e-8)")
    trace.add_argument("--step-halving", choices=("R", "deviance"), default="R",
                       help="when a step is halved: R (default, as glm(): only where the "
                       "deviance is not finite or the means are invalid) or deviance (also "
                       "where the deviance rises, as the glm2 package)")


def make_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the ``glmlearn`` command.

    Returns
    -------
    argparse.ArgumentParser
        With the subcommands ``trace``, ``datasets`` and ``lessons`` (``args.command``).
    """
    parser = _Parser(prog="glmlearn", description="Learn generalized linear models by "
                     "watching IRLS work.")
    parser.add_argument("--version", action="version", version=f"glmlearn {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_trace(sub)

    datasets = sub.add_parser("datasets", help="list the bundled datasets, or describe one",
                              description="List the bundled datasets, or print where one "
                              "comes from and what its columns mean.")
    datasets.add_argument("name", nargs="?", metavar="NAME", help="a dataset to describe")

    lessons = sub.add_parser(
        "lessons", help="open your own copy of the lessons in JupyterLab",
        usage="glmlearn lessons [-h] [--dir DIR | --originals] [--no-browser] [--port N] "
        "[--print-only] [--allow-root] [-- JUPYTER_OPTION ...]",
        description="Open your own copy of the lessons in JupyterLab.\n\n"
        f"The lessons missing from the working folder (default ./{DEFAULT_LESSON_DIR}) are\n"
        "copied there first; a lesson already there is never overwritten, so your edits\n"
        "are kept and the original lessons stay as they are. Run as root (a container, a\n"
        f"lab machine), the command passes {ALLOW_ROOT} to JupyterLab, which refuses to\n"
        "start as root otherwise. Token authentication always stays on.",
        epilog="JupyterLab's own options go after `--` and are passed on as they are:\n"
        "  glmlearn lessons -- --port 9999 --no-browser\n"
        "  glmlearn lessons --dir ~/my-lessons -- --ServerApp.ip=0.0.0.0\n"
        "examples:\n"
        f"  glmlearn lessons                 copy the lessons into ./{DEFAULT_LESSON_DIR}, open them\n"
        "  glmlearn lessons --originals     open the original lessons themselves\n"
        "  glmlearn lessons --print-only    show the folder and the command, start nothing",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    where = lessons.add_mutually_exclusive_group()
    where.add_argument("--dir", metavar="DIR",
                       help=f"your working folder (default ./{DEFAULT_LESSON_DIR})")
    where.add_argument("--originals", action="store_true",
                       help="open the original lessons (notebooks/ in a checkout) instead of "
                       "your copy: your edits change those files")
    lessons.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    lessons.add_argument("--port", type=_int, metavar="N", help="port for JupyterLab")
    lessons.add_argument("--print-only", action="store_true",
                         help="prepare the folder, print it and the command, but do not start")
    lessons.add_argument(ALLOW_ROOT, action="store_true",
                         help="let JupyterLab run as root (added by itself when run as root)")
    return parser
