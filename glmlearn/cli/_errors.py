"""A user's mistake as one line: :class:`CLIError`, and core messages in the command's words.

The core's exceptions name *its* arguments (``y: ...``, ``max_iter: ...``) and count rows
from 0 among the rows kept; a user of the command typed options (``--y passed``,
``--max-iter``) and reads a file by its lines. :func:`core_error` translates one into
the other, so every error names what the user can change.
"""

from __future__ import annotations

import argparse
import re

import numpy as np
from numpy.typing import NDArray

__all__ = ["CLIError", "core_error", "without_arg"]


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


def without_arg(message: str) -> str:
    """Drop the core's argument name: ``"name: unknown dataset 'x'"`` -> ``"unknown dataset 'x'"``."""
    return message.split(": ", 1)[1] if ": " in message else message


#: The core's argument names -> the ``trace`` options that set them (core messages start
#: ``"name: ..."``).
_CORE_ARGS = {"family": "--family", "link": "--link", "start": "--start",
              "max_iter": "--max-iter", "tol": "--tol"}


def core_error(exc: Exception, args: argparse.Namespace, lines: NDArray[np.int64],
               source: str) -> CLIError:
    """Re-word a :class:`~glmlearn.GLMInputError` from the core with the ``trace`` options.

    Parameters
    ----------
    exc : Exception
        The core's error; its message starts with the argument's name.
    args : argparse.Namespace
        The parsed ``trace`` options (to name the columns the user chose).
    lines : ndarray of int
        The file line of each row handed to the core, so ``at index i`` can say which line.
    source : str
        Where the data came from, for the message.

    Returns
    -------
    CLIError
    """
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
