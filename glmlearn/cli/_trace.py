"""The ``trace`` command: fit once with :func:`glmlearn.fit`, print one row per IRLS state
of the trace, then R's summary, then each trouble of the fit once, with its category.

The fit's troubles are data (``result.troubles``): the fit's own warnings are silenced
and the report is read from the result, never from caught warnings. The summary on
stdout ends with a ``Warning:`` line per trouble; stderr says each trouble again, once,
as ``glmlearn trace: warning: ConvergenceWarning: ...``, so a script, or a user who
redirected stdout to a file, still learns of it and of its category.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence

import numpy as np

from .._fit import fit
from .._irls import IRLSState
from ..errors import GLMInputError, GLMTypeError, GLMWarning
from ..family import Family, get_family
from ..results import GLMResult
from ._errors import CLIError, core_error
from ._model import Model, build_model
from ._parser import parse_start
from ._table import Table, dataset_table, read_csv

__all__ = ["format_trace", "run_trace"]


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


def _fit_quietly(model: Model, family: Family, args: argparse.Namespace, table: Table
                 ) -> GLMResult:
    """Fit the model without a warning escaping: the troubles are reported from the result."""
    start = parse_start(args.start)
    # numpy's floating-point warnings (log(0) in the log-likelihood of a perfect Gaussian
    # fit, say) only repeat in lower-level words what a trouble already says.
    with warnings.catch_warnings(), np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", GLMWarning)
        try:
            return fit(model.X, model.y, family, weights=model.weights, offset=model.offset,
                       start=start, max_iter=args.max_iter, tol=args.tol,
                       column_names=model.column_names, response_name=model.response_name)
        except (GLMInputError, GLMTypeError) as exc:
            raise core_error(exc, args, model.lines, table.source) from None


def run_trace(args: argparse.Namespace) -> int:
    """Run ``glmlearn trace`` with the parsed options; return the exit status (0)."""
    if args.data is not None and args.dataset is not None:
        raise CLIError(f"DATA.csv {args.data!r} and --dataset {args.dataset}: give one, not both")
    if args.data is None and args.dataset is None:
        raise CLIError("DATA.csv: give a CSV file, or --dataset NAME for a bundled dataset")
    try:
        family = get_family(args.family, args.link)
    except (GLMInputError, GLMTypeError) as exc:
        raise core_error(exc, args, np.zeros(0, dtype=np.int64), "") from None
    table = read_csv(args.data) if args.data is not None else dataset_table(args.dataset)
    model = build_model(table, args)
    result = _fit_quietly(model, family, args, table)

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
    for trouble in result.troubles:
        print(f"glmlearn trace: warning: {trouble}", file=sys.stderr)
    return 0
