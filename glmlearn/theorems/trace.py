"""Checks along a whole trace: :func:`check_trace`, and the observed order of convergence."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np

from .._arrays import readonly
from .._irls import IRLSState
from ..errors import GLMInputError
from ..results import GLMResult
from ._common import EPS, as_trace
from ._report import CheckResult, ConvergenceOrder, TraceCheck

__all__ = ["check_trace", "convergence_order"]

def check_trace(trace: GLMResult | Sequence[IRLSState], check: Callable[..., CheckResult], *,
                require: Literal["all", "last"] = "all", **kwargs: Any) -> TraceCheck:
    """Run a per-state check on every state of a trace.

    Parameters
    ----------
    trace : GLMResult or sequence of IRLSState
    check : callable
        ``check(state, **kwargs) -> CheckResult``, e.g. :func:`check_wls1`,
        :func:`check_fisher_scoring`, or ``check_wls3`` with ``form=...``.
    require : {"all", "last"}
        What makes the :class:`TraceCheck` truthy: every applicable state holds
        (``"all"``, e.g. WLS.1) or the last state holds (``"last"``, e.g. WLS.3, whose
        score only vanishes at convergence).
    **kwargs
        Passed on to ``check`` (``rtol=...``, ``form=...``).

    Returns
    -------
    TraceCheck
        Per-iteration arrays ``iteration, size, tol, relative, holds, applicable``, ready
        to plot (e.g. ``ax.semilogy(tc.iteration, tc.size)``).
    """
    if require not in ("all", "last"):
        raise GLMInputError(f"require: must be 'all' or 'last', got {require!r}")
    states = as_trace(trace)
    results = tuple(check(s, **kwargs) for s in states)
    if results:  # a CheckResult is falsy when it fails: test for presence, not truth
        name, statement = results[0].name, results[0].statement
    else:
        name, statement = getattr(check, "__name__", "check"), ""
    return TraceCheck(name=name, statement=statement, results=results, require=require)


def convergence_order(trace: GLMResult | Sequence[IRLSState]) -> ConvergenceOrder:
    r"""The observed order of convergence of IRLS, from the coefficients of a trace.

    With :math:`e_k = \lVert\beta^{(k)} - \beta^{(K)}\rVert_\infty` (:math:`K` the last
    state, the best available stand-in for :math:`\hat\beta`), convergence of order
    :math:`q` means :math:`e_{k+1} \approx C e_k^q`. Two per-iteration views are
    reported: :math:`\log e_{k+1}/\log e_k`, which tends to :math:`q` as
    :math:`e_k \to 0`, and the scale-free local order
    :math:`q_k = \log(e_{k+1}/e_k)/\log(e_k/e_{k-1})`. The estimate is the last
    :math:`q_k` whose three errors lie above the rounding floor
    :math:`10^3\,\varepsilon\max(1, \lVert\beta^{(K)}\rVert_\infty)`.

    About 2 for canonical links (IRLS is Newton-Raphson); for non-canonical links Fisher
    scoring converges linearly in theory (order 1, with a small rate when the model fits
    well), which shows as estimates between 1 and 2 over the few iterations available.

    Parameters
    ----------
    trace : GLMResult or sequence of IRLSState

    Returns
    -------
    ConvergenceOrder
    """
    states = [s for s in as_trace(trace) if s.beta is not None]
    if len(states) < 2:
        raise GLMInputError("trace: needs at least two states with coefficients")
    final = np.asarray(states[-1].beta, dtype=float)
    kept = ~np.isnan(final)
    its = np.array([s.iteration for s in states[:-1]], dtype=int)
    err = np.array([float(np.max(np.abs(np.asarray(s.beta, dtype=float)[kept] - final[kept]),
                                 initial=0.0)) for s in states[:-1]])
    floor = 1e3 * EPS * max(1.0, float(np.max(np.abs(final[kept]), initial=0.0)))
    m = err.size
    ratio = np.full(m, np.nan)
    local = np.full(m, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        for k in range(m - 1):
            if err[k] > 0 and err[k + 1] > 0 and err[k] != 1:
                ratio[k] = math.log(err[k + 1]) / math.log(err[k])
        for k in range(1, m - 1):
            trio = err[k - 1:k + 2]
            if np.all(trio > floor) and err[k] != err[k - 1]:
                local[k] = math.log(err[k + 1] / err[k]) / math.log(err[k] / err[k - 1])
    valid = np.flatnonzero(np.isfinite(local))
    order = float(local[valid[-1]]) if valid.size else math.nan
    return ConvergenceOrder(iteration=its, error=readonly(err), ratio=readonly(ratio),
                            local_order=readonly(local), order=order, floor=floor)
