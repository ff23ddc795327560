r"""Every IRLS state in words: one or two plain sentences per iteration.

A picture of a state is only for eyes; :func:`describe_state` says the same thing in
words, for a screen reader (the explorer announces it), for the alt text of a saved
picture, and for a student who wants to read what changed:

* which iteration it is, and for state 0 whether it is R's starting guess
  :math:`\mu^{(0)}` (not a fitted model, so its deviance is not comparable) or starting
  coefficients :math:`\beta^{(0)}`;
* what the deviance did since the previous state, and R's criterion
  :math:`|D - D_{\text{old}}| / (|D| + 0.1)`;
* the largest change in :math:`\beta` and the coefficient it happened to;
* how many working weights are near 0 (below ``NEAR_ZERO`` times the largest): those
  observations barely move the next weighted least-squares fit;
* whether the step was halved and why, or stalled, and whether IRLS has converged.

It only reads the fields of the states (nothing is refitted).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._irls import IRLSState

__all__ = ["NEAR_ZERO", "describe_state", "describe_trace"]

#: A working weight below this fraction of the largest weight counts as near 0.
NEAR_ZERO = 1e-3


def _num(v: float) -> str:
    """A plain number with 4 significant digits (no numpy repr)."""
    return f"{float(v):.4g}"


def _pair(a: float, b: float) -> tuple[str, str]:
    """Two deviances with just enough digits to tell them apart (up to 10)."""
    for digits in range(4, 11):
        sa, sb = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if sa != sb:
            break
    return sa, sb


def _times(k: int) -> str:
    return {1: "once", 2: "twice"}.get(k, f"{k} times")


def describe_state(state: IRLSState, previous: IRLSState | None = None) -> str:
    """One or two sentences saying what happened at ``state``.

    Parameters
    ----------
    state : IRLSState
    previous : IRLSState, optional
        The state before it (needed for what the deviance and beta did; without it only
        the state itself is described).

    Returns
    -------
    str

    Examples
    --------
    >>> import glmlearn, numpy as np
    >>> X = np.column_stack([np.ones(4), [1.0, 2.0, 3.0, 4.0]])
    >>> s0, s1, *_ = glmlearn.irls(X, [0, 1, 0, 1], "binomial")
    >>> describe_state(s0).split(";")[0]
    'Iteration 0 is the starting guess μ⁽⁰⁾ (R\\'s starting means), not a fitted model'
    """
    k = state.iteration
    if k == 0:
        if state.beta is None:
            first = ("Iteration 0 is the starting guess μ⁽⁰⁾ (R's starting means), not a "
                     f"fitted model; its deviance {_num(state.deviance)} is not comparable "
                     "with the later ones.")
        else:
            beta = ", ".join(_num(b) for b in state.beta)
            first = (f"Iteration 0 starts from the coefficients β⁽⁰⁾ = ({beta}), before any "
                     f"IRLS step; deviance {_num(state.deviance)}.")
    elif previous is None:
        first = f"Iteration {k}: deviance {_num(state.deviance)}."
    else:
        d0, d1 = previous.deviance, state.deviance
        if previous.iteration == 0 and previous.beta is None:
            what = f"the first fitted model has deviance {_num(d1)}"
        elif d1 < d0:
            what = "the deviance fell from {} to {}".format(*_pair(d0, d1))
        elif d1 > d0:
            what = "the deviance rose from {} to {}".format(*_pair(d0, d1))
        else:
            what = f"the deviance stayed at {_num(d1)}"
        first = f"Iteration {k}: {what} (criterion {state.criterion:.2g})"
        if previous.beta is not None and state.beta is not None:
            change = np.abs(np.nan_to_num(state.beta - previous.beta))
            j = int(np.argmax(change))
            name = state.problem.column_names[j]
            first += f"; the largest change in β was {_num(change[j])}, in {name}"
        first += "."
    rest = []
    w = np.asarray(state.w)
    if w.size and np.max(w) > 0:
        small = int(np.count_nonzero(w < NEAR_ZERO * np.max(w)))
        if small:
            rest.append(f"{small} of {w.size} working weights are near 0, so those "
                        "observations barely move the next fit")
    if state.stalled:
        rest.append(f"step-halving could not find an acceptable step "
                    f"({state.halving_reason}), so IRLS stopped here, not converged")
    elif state.step_halvings:
        rest.append(f"the step was halved {_times(state.step_halvings)} "
                    f"({state.halving_reason})")
    if state.converged:
        rest.append("IRLS has converged")
    if not rest:
        return first
    text = "; ".join(rest)
    return f"{first} {text[0].upper()}{text[1:]}."


def describe_trace(trace: Sequence[IRLSState]) -> tuple[str, ...]:
    """:func:`describe_state` of every state of ``trace``, each with its previous state."""
    return tuple(describe_state(s, trace[i - 1] if i else None) for i, s in enumerate(trace))
