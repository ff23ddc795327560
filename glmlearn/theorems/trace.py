"""Checks along a whole trace: :func:`check_trace`, and the observed order of convergence."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np

from .._arrays import Array, readonly
from .._irls import IRLSState
from ..errors import ConvergenceWarning, GLMInputError
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


def convergence_order(trace: GLMResult | Sequence[IRLSState], *,
                      reference: Any = None) -> ConvergenceOrder:
    r"""The observed order of convergence of IRLS, from the coefficients of a trace.

    With :math:`e_k = \lVert\beta^{(k)} - \beta^\ast\rVert_\infty`, convergence of order
    :math:`q` means :math:`e_{k+1} \approx C e_k^q`. The target :math:`\beta^\ast` is
    ``reference`` when given (e.g. a tightly converged fit's :math:`\hat\beta`), else the
    trace's last state :math:`\beta^{(K)}`, the best stand-in for :math:`\hat\beta`
    available inside the trace. Two per-iteration views are reported:
    :math:`\log e_{k+1}/\log e_k`, which tends to :math:`q` as :math:`e_k \to 0`, and the
    scale-free local order :math:`q_k = \log(e_{k+1}/e_k)/\log(e_k/e_{k-1})`. The
    estimate is the last :math:`q_k` whose three errors lie above the rounding floor
    :math:`10^3\,\varepsilon\max(1, \lVert\beta^\ast\rVert_\infty)`.

    About 2 for canonical links (IRLS is Newton-Raphson); for non-canonical links Fisher
    scoring converges linearly in theory (order 1, with a small rate when the model fits
    well), which shows as estimates between 1 and 2 over the few iterations available.

    Measuring from the last state is only meaningful when that state is (nearly)
    :math:`\hat\beta`. A trace that did not converge, or a gradient-ascent trace (which
    stops by R's deviance criterion while its small steps may leave :math:`\beta` far from
    :math:`\hat\beta`), makes :math:`e_k` shrink to 0 at its own end whatever the real
    rate: without ``reference`` such a trace gets no estimate (``order`` is NaN), a
    :class:`~glmlearn.ConvergenceWarning`, and the reason in ``caveat`` (shown by its
    repr).

    Parameters
    ----------
    trace : GLMResult or sequence of IRLSState
    reference : (p,) array_like or GLMResult, optional
        :math:`\beta^\ast`, e.g. ``glmlearn.fit(..., tol=1e-14).coef`` or a Newton
        trace's last ``beta``. Every state's error is then measured from it, the last
        state's too. NaN (aliased) entries are left out. It must be more accurate than
        the errors it measures: errors down at its own accuracy (e.g. a Newton trace's
        last ones against a fit converged linearly by Fisher scoring) show no order.

    Returns
    -------
    ConvergenceOrder

    Raises
    ------
    GLMInputError
        Fewer than two states with coefficients, or a ``reference`` of the wrong length
        or not finite where the trace has coefficients.

    Warns
    -----
    ConvergenceWarning
        Without ``reference``, when the trace did not converge or is gradient ascent.
    """
    states = [s for s in as_trace(trace) if s.beta is not None]
    if len(states) < 2:
        raise GLMInputError("trace: needs at least two states with coefficients")
    last = states[-1]
    if reference is None:
        target = np.asarray(last.beta, dtype=float)
        measured = states[:-1]
        against = "the trace's last state"
        caveat = _caveat(last)
    else:
        target = _reference(reference, np.asarray(last.beta, dtype=float))
        measured = states
        against = "the reference β given"
        caveat = ""
    if caveat:
        warnings.warn(f"convergence_order: {caveat}", ConvergenceWarning, stacklevel=2)
    kept = ~np.isnan(target)
    its = np.array([s.iteration for s in measured], dtype=int)
    err = np.array([float(np.max(np.abs(np.asarray(s.beta, dtype=float)[kept] - target[kept]),
                                 initial=0.0)) for s in measured])
    floor = 1e3 * EPS * max(1.0, float(np.max(np.abs(target[kept]), initial=0.0)))
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
    order = float(local[valid[-1]]) if valid.size and not caveat else math.nan
    return ConvergenceOrder(iteration=its, error=readonly(err), ratio=readonly(ratio),
                            local_order=readonly(local), order=order, floor=floor,
                            against=against, caveat=caveat)


def _caveat(last: IRLSState) -> str:
    """Why the last state cannot stand in for the MLE (empty when it can)."""
    if not last.converged:
        return (f"the trace did not converge (it stopped at iteration {last.iteration}), so "
                "its last state need not be near the MLE and the errors measured from it "
                "show no real order; no order is estimated. Pass reference= (e.g. a "
                "converged Fisher-scoring fit's coefficients)")
    if last.method == "gradient":
        return ("gradient ascent stops by the deviance criterion while its last β may still "
                "be far from the MLE, so errors measured from that state show no real order; "
                "no order is estimated. Pass reference= (e.g. a Fisher-scoring fit's "
                "coefficients)")
    return ""


def _reference(reference: Any, beta: Array) -> Array:
    """``reference`` as a (p,) float vector, checked against the trace's coefficients."""
    if isinstance(reference, GLMResult):
        reference = reference.trace[-1].beta
    try:
        ref = np.asarray(reference, dtype=float).ravel()
    except (TypeError, ValueError) as exc:
        raise GLMInputError(f"reference: not a vector of numbers ({exc}); pass the "
                            f"{beta.size} coefficients of the MLE, e.g. result.coef") from exc
    if ref.size != beta.size:
        raise GLMInputError(f"reference: {ref.size} values for the {beta.size} coefficients "
                            "of the trace; pass one value per column of X")
    bad = np.flatnonzero(np.isinf(ref) | (np.isnan(ref) & ~np.isnan(beta)))
    if bad.size:
        raise GLMInputError(f"reference: entry {int(bad[0])} is {ref[bad[0]]}, where the trace "
                            "has a finite coefficient; pass the MLE's finite coefficients")
    return ref
