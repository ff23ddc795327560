"""The ``trace`` command: fit once with :func:`glmlearn.fit`, print one row per IRLS state
of the trace, then R's summary, then the categories of the fit's troubles.

The fit's troubles are data (``result.troubles``): the fit's own warnings are silenced
and the report is read from the result, never from caught warnings. Each trouble is said
once, on stdout: the summary ends with a ``Warning:`` line per trouble, and one line under
it names their categories in the same order (``troubles: ConvergenceWarning, ...``).
Nothing is printed on stderr for a trouble, so a terminal shows each of them once.
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
from ._table import Table, dataset_table, read_csv, subset_table

__all__ = ["format_trace", "run_trace"]


#: What ``format_trace`` prints, with plain-text stand-ins for a terminal that cannot
#: show the Unicode (see :func:`_terminal_text`).
_UNICODE = {"—": "-", "−": "-", "μ⁽⁰⁾": "mu(0)", "β⁽⁰⁾": "beta(0)"}


def _terminal_text(text: str, encoding: str | None) -> str:
    """``text``, or its plain-ASCII stand-in when ``encoding`` cannot show it."""
    try:
        text.encode(encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        for fancy, plain in _UNICODE.items():
            text = text.replace(fancy, plain)
    return text


def format_trace(states: Sequence[IRLSState], column_names: Sequence[str]) -> list[str]:
    """The iteration table: a header, one row per state, the halved steps, then two notes.

    Parameters
    ----------
    states : sequence of IRLSState
        E.g. ``result.trace``.
    column_names : sequence of str
        Coefficient names, for the header.

    Returns
    -------
    list of str
        The header; one row per state (iteration, deviance, R's criterion, step-halvings,
        the largest score component and the coefficients); a line per halved step; a note
        on what row 0 is; and a legend of the columns. Row 0 is marked ``0 (start)``: it is
        the starting point, not an IRLS step, and ``—`` stands where a value does not exist
        there (its criterion; its coefficients and score when IRLS starts from R's starting
        means).
    """
    widths = [max(12, len(n)) for n in column_names]
    head = f"{'iter':<12} {'deviance':>14} {'criterion':>10} {'halvings':>8} {'max|U|':>10}"
    out = [head + "".join(f" {n:>{w}}" for n, w in zip(column_names, widths, strict=True))]
    for s in states:
        start = s.iteration == 0
        label = f"{s.iteration:>4}" + (" (start)" if start else "")
        crit = "—" if start or not np.isfinite(s.criterion) else f"{s.criterion:.3e}"
        beta = (["—"] * len(widths) if s.beta is None
                else ["NA" if np.isnan(b) else f"{b:.7g}" for b in s.beta])
        # From R's starting means there is no beta yet, so no score of one either.
        score = ("—" if s.beta is None or not np.size(s.score)
                 else f"{float(np.max(np.abs(s.score))):.3e}")
        out.append(f"{label:<12} {s.deviance:>14.6f} {crit:>10} {s.step_halvings:>8} {score:>10}"
                   + "".join(f" {b:>{w}}" for b, w in zip(beta, widths, strict=True)))
    out += [f"iteration {s.iteration}: step halved {s.step_halvings} time(s) because "
            f"{s.halving_reason}" for s in states if s.step_halvings]
    if states and states[0].iteration == 0:
        if states[0].beta is None:
            out.append("iteration 0 is the starting guess μ⁽⁰⁾ (R's mustart), not a fitted "
                       "model: its deviance is not comparable")
        else:
            out.append("iteration 0 is the starting point β⁽⁰⁾ (--start), before any IRLS step")
    out.append("columns: criterion = R's |D − D_old|/(|D| + 0.1), IRLS stops below --tol; "
               "max|U| = the largest score component, 0 at the MLE; \"Fisher scoring "
               "iterations\" below = the number of IRLS steps")
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
            if model.formula is not None:  # (the same design, and R's summary with it)
                return fit(model.formula, data=model.frame, family=family,
                           weights=args.weights, offset=args.offset, start=start,
                           max_iter=args.max_iter, tol=args.tol,
                           step_halving=args.step_halving)
            return fit(model.X, model.y, family, weights=model.weights, offset=model.offset,
                       start=start, max_iter=args.max_iter, tol=args.tol,
                       step_halving=args.step_halving, column_names=model.column_names,
                       response_name=model.response_name,
                       intercept=not args.no_intercept)  # --no-intercept says it is meant
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
    if args.subset is not None:
        table = subset_table(table, args.subset)
    model = build_model(table, args)
    result = _fit_quietly(model, family, args, table)

    print(f"{family.name} family, {family.link.name} link; response {model.response_name}; "
          f"{len(model.y)} rows of {table.source}"
          + (f" ({model.n_dropped} with missing values left out)" if model.n_dropped else ""))
    for note in model.notes:
        print(note)
    print()
    for line in format_trace(result.trace, result.column_names):
        print(_terminal_text(line, sys.stdout.encoding), flush=True)
    print()
    print(result.summary())
    if result.troubles:  # the summary said each one (a Warning: line); here, its category
        print(f"troubles: {', '.join(t.kind.__name__ for t in result.troubles)}")
    return 0
