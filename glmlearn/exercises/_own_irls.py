r"""Your own IRLS, checked step by step: write the whole loop, get told where it parts.

:func:`exercise_own_irls` draws a small regression problem from a generator seeded by the
learner's own id (every learner a different problem of the same kind; a teacher who knows
the id draws the very same one). The learner writes the IRLS loop from
:math:`\beta^{(0)}` = ``start`` and records, at every iteration :math:`k`, the
coefficients :math:`\beta^{(k)}` and, if they like, the quantities computed from them:

.. math::

    \eta^{(k)} = X\beta^{(k)} + o, \quad \mu^{(k)} = g^{-1}(\eta^{(k)}), \quad
    w^{(k)} = \frac{w^{\text{prior}}}{V(\mu^{(k)})\, g'(\mu^{(k)})^2}, \quad
    z^{(k)} = \eta^{(k)} + (y - \mu^{(k)})\, g'(\mu^{(k)}),

and :math:`\beta^{(k+1)}`, the weighted least-squares solution of :math:`z^{(k)} - o` on
:math:`X` with weights :math:`w^{(k)}`. :meth:`OwnIRLSExercise.check` walks through the
recorded iterations next to glmlearn's own states and stops at the first iteration and
the first quantity (in the order β, η, μ, w, z) where the two part, with the hint of the
misconception that explains it. The hints come from the tables of the one-state
exercises (``_WW_MISTAKES``, ``_WR_MISTAKES``, ``_STEP_MISTAKES``) plus the slips only a
whole loop can make (:data:`_LOOP_MISTAKES`: a wrong start, a β never updated, the
quantities of the previous iteration recorded as this one's, the offset left out of η).
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._arrays import Array
from .._irls import IRLSState, irls, run_irls
from ..errors import GLMInputError
from ..family import Family, binomial, poisson
from ._feedback import Exercise, Feedback, Mistake, frozen
from ._step_score import _STEP_MISTAKES
from ._weights_response import _WR_MISTAKES, _WW_MISTAKES

__all__ = ["LoopFeedback", "OwnIRLSExercise", "exercise_own_irls"]

#: The quantities a learner may record per iteration, in the order they are compared.
QUANTITIES = ("beta", "eta", "mu", "w", "z")
#: At most this many iterations are read from a trace (a generator that never stops).
MAX_ENTRIES = 100
#: The families the exercise draws problems for.
FAMILY_CHOICES = ("poisson", "binomial")
_NOT_ANSWERED = "not answered yet: replace the `...` in your loop with your code"


@dataclass(frozen=True, repr=False)  # repr=False: prints as one line, like Feedback
class LoopFeedback(Feedback):
    """The verdict on a whole IRLS loop: a :class:`Feedback` that also says where.

    Attributes
    ----------
    iteration : int or None
        The first iteration where the learner's loop and glmlearn's part (None when the
        loop is right, or when the trace itself could not be read).
    quantity : str or None
        The quantity where they part at that iteration: ``"beta"``, ``"eta"``, ``"mu"``,
        ``"w"`` or ``"z"`` (None when right, unreadable, or stopped too early).
    """

    iteration: int | None = None
    quantity: str | None = None


def _wrong(message: str, mistake: str, iteration: int | None = None,
           quantity: str | None = None) -> LoopFeedback:
    where = "" if iteration is None else f"iteration {iteration}" + (
        f", {quantity}" if quantity else "") + ": "
    return LoopFeedback(False, where + message, mistake, iteration, quantity)


# --- the problem, drawn from the learner's id ----------------------------------------------

def _seed(student_id: str) -> int:
    # sha256 rather than hash(): Python salts str hashes per process, and the teacher's
    # session must draw the learner's problem again.
    return int.from_bytes(hashlib.sha256(student_id.encode("utf-8")).digest()[:8], "big")


def _draw(rng: np.random.Generator, family: str) -> tuple[Array, Array, Array]:
    """One draw of (X, y, offset): two predictors, x1 a measurement and x2 a 0/1 group."""
    if family == "poisson":
        n = 30
        x1 = np.round(rng.uniform(0.0, 2.0, n), 2)
        x2 = rng.integers(0, 2, n).astype(float)
        exposure = np.round(rng.uniform(1.0, 10.0, n), 1)  # e.g. hours of observation
        beta = np.array([rng.uniform(-1.5, -0.5), rng.uniform(0.3, 0.8), rng.uniform(-0.6, 0.6)])
        X = np.column_stack([np.ones(n), x1, x2])
        y = rng.poisson(exposure * np.exp(X @ beta)).astype(float)
        return X, y, np.log(exposure)
    n = 40
    x1 = np.round(rng.normal(0.0, 1.0, n), 2)
    x2 = rng.integers(0, 2, n).astype(float)
    beta = np.array([rng.uniform(-0.5, 0.5), rng.uniform(0.8, 1.5), rng.uniform(-1.0, 1.0)])
    X = np.column_stack([np.ones(n), x1, x2])
    y = rng.binomial(1, 1 / (1 + np.exp(-(X @ beta)))).astype(float)
    return X, y, np.zeros(n)


def _well_behaved(states: list[IRLSState]) -> bool:
    """A draw is kept only if plain IRLS from β = 0 converges quickly without step-halving
    and the estimates are moderate (no separation), so every learner's loop can succeed."""
    last = states[-1]
    return bool(last.converged and len(states) <= 12 and last.beta is not None
                and np.all(np.abs(last.beta) < 8)
                and not any(s.step_halvings for s in states))


def _problem(student_id: str, family: str) -> tuple[Family, Array, Array, Array, list[IRLSState]]:
    fam = poisson() if family == "poisson" else binomial()
    rng = np.random.default_rng(_seed(f"{family}:{student_id}"))
    for _ in range(100):  # a badly behaved draw is rare; the next one from the same rng
        X, y, offset = _draw(rng, family)
        states = list(irls(X, y, fam, offset=offset, start=np.zeros(X.shape[1])))
        if _well_behaved(states):
            return fam, X, y, offset, states
    raise AssertionError("no well-behaved problem in 100 draws")  # pragma: no cover


# --- the references: glmlearn's states, continued past convergence if the loop goes on ------

def _next_state(state: IRLSState) -> IRLSState:
    """The state at ``state.beta_next``: one more IRLS step, for loops that run past
    convergence (each extra iteration is compared with one more step of glmlearn's)."""
    return next(iter(run_irls(state.problem, start=np.asarray(state.beta_next), max_iter=1)))


def _references(states: list[IRLSState], count: int) -> list[IRLSState]:
    refs = list(states)
    while len(refs) < count:
        refs.append(_next_state(refs[-1]))
    return refs


# --- the slips only a whole loop can make ---------------------------------------------------

def _eta_no_offset(s: IRLSState) -> Array:
    return s.problem.X @ np.asarray(s.beta)


def _offset_used(s: IRLSState) -> bool:
    return bool(np.any(s.problem.offset != 0))


def _mu_from(s: IRLSState, eta: Array) -> Array:
    with np.errstate(all="ignore"):
        return s.problem.family.link_inverse(eta)


def _link_of_eta(s: IRLSState) -> Array:
    with np.errstate(all="ignore"):  # g(eta) is nan where eta is outside g's domain: skipped
        return s.problem.family.link_fun(s.eta)


_START_HINT = ("Iteration 0 is the starting point: β⁽⁰⁾ = ex.given['start'], before any "
               "weighted regression. Record it first, then one entry per step")

#: Slips of a whole loop, by quantity. Each formula reads glmlearn's state at the same
#: iteration, or (``"beta"``) the state before it, whose step gave this β.
_LOOP_MISTAKES: Mapping[str, tuple[Mistake, ...]] = {
    "beta": (
        Mistake("not_updated", lambda prev: prev.beta,
                "your β did not change from the iteration before: either the update "
                "β ← (the solution of the weighted regression) is missing from your loop, "
                "or the regression's target gives back the current β, as η does"),
    ),
    "eta": (
        Mistake("no_offset", _eta_no_offset,
                "you left out the offset: the linear predictor includes it, η = Xβ + offset. "
                "An offset such as log(exposure) is a known part of η with no coefficient, "
                "and it is what turns counts into rates", _offset_used),
    ),
    "mu": (
        Mistake("mu_is_eta", lambda s: s.eta,
                "your μ equals η: the means are on the response scale, and the inverse link "
                "g⁻¹ carries η there (the two agree only for the identity link)"),
        Mistake("link_not_inverse", _link_of_eta,
                "you applied the link g to η; the link goes from μ to η, so from η back to μ "
                "takes its inverse"),
        Mistake("no_offset", lambda s: _mu_from(s, _eta_no_offset(s)),
                "your μ leaves out the offset: μ = g⁻¹(η) with the whole linear predictor, "
                "offset included", _offset_used),
    ),
}

#: The entries of the one-state exercises' tables that read the state at this iteration.
_ONE_STATE_TABLES = {"w": _WW_MISTAKES, "z": _WR_MISTAKES}

_NAMES = {"beta": "coefficients β", "eta": "linear predictor η", "mu": "means μ",
          "w": "working weights w", "z": "working response z"}

_HINTS = {
    "beta": ("look at this iteration's weighted regression: X, the working weights w and the "
             "working response z of the iteration before, and the offset. Lesson 3, 'The "
             "formal statement'; lesson 4, 'Building intuition'"),
    "eta": ("η is the linear predictor at this iteration's β: X, β and the offset. Lesson 6, "
            "'The model: a log link and an offset'"),
    "mu": ("μ is the mean the model gives at this η: family.link_inverse. Lesson 2, the "
           "inverse link"),
    "w": ("look at μ, the variance function family.variance(mu), the link derivative "
          "family.link_deriv(mu) and the prior weights. Lesson 4, 'One state, its steps by "
          "hand'"),
    "z": ("look at η, y − μ and the link derivative family.link_deriv(mu). Lesson 4, 'One "
          "state, its steps by hand'"),
}


def _lagged(quantity: str, before: IRLSState | None) -> tuple[Mistake, ...]:
    if before is None:
        return ()
    return (Mistake("previous_iteration", lambda s: getattr(before, quantity),
                    f"these are the {_NAMES[quantity]} of the iteration before: each entry of "
                    "the trace holds the quantities computed from that entry's own β, after "
                    "β was updated"),)


def _quantity_exercise(quantity: str, refs: list[IRLSState], k: int) -> Exercise:
    """A one-quantity exercise at iteration ``k``, graded like the one-state exercises."""
    state, before = refs[k], (refs[k - 1] if k else None)
    if quantity == "beta":
        if before is None:
            return Exercise(name="starting coefficients", task="", state=state, given=frozen(),
                            hint=_START_HINT, expected=lambda s: s.beta)
        # graded on the state before: its weighted regression gives this iteration's β
        return Exercise(name=_NAMES[quantity], task="", state=before, given=frozen(),
                        hint=_HINTS[quantity], expected=lambda s: state.beta,
                        mistakes=_LOOP_MISTAKES["beta"] + _STEP_MISTAKES)
    mistakes = (_LOOP_MISTAKES.get(quantity, ()) + _ONE_STATE_TABLES.get(quantity, ())
                + _lagged(quantity, before))
    return Exercise(name=_NAMES[quantity], task="", state=state, given=frozen(),
                    hint=_HINTS[quantity], expected=lambda s: getattr(s, quantity),
                    mistakes=mistakes)


# --- reading a trace ------------------------------------------------------------------------

class _Unreadable(Exception):
    """The trace cannot be read; its message says why and what to give instead."""

    def __init__(self, message: str, mistake: str = "not_a_trace",
                 iteration: int | None = None, quantity: str | None = None) -> None:
        super().__init__(message)
        self.feedback = _wrong(message, mistake, iteration, quantity)


class _NotAnswered(Exception):
    pass


_FORMS = ("give a list with one entry per iteration, each a dict such as "
          "{'beta': beta, 'mu': mu, 'w': w, 'z': z} (only 'beta' is required), or a 2-D "
          "array with one row of β per iteration")


def _entries(trace: Any) -> list[dict[str, Any]]:
    if trace is Ellipsis or trace is None:
        raise _NotAnswered
    if isinstance(trace, str | bytes) or not isinstance(trace, Iterable | np.ndarray):
        raise _Unreadable(f"trace: expected the iterations of your loop, got "
                          f"{type(trace).__name__}; {_FORMS}")
    if isinstance(trace, Mapping):
        raise _Unreadable("trace: got one dict; " + _FORMS)
    if isinstance(trace, np.ndarray) and trace.ndim != 2:
        raise _Unreadable(f"trace: an array of shape {trace.shape}; {_FORMS}", "shape")
    raw = list(itertools.islice(iter(trace), MAX_ENTRIES + 1))
    if len(raw) > MAX_ENTRIES:
        raise _Unreadable(f"trace: more than {MAX_ENTRIES} iterations; does your loop stop? "
                          "Stop when R's criterion |D − D_old| / (|D| + 0.1) is below tol",
                          "too_many_iterations")
    if not raw:
        raise _Unreadable("trace: it is empty; record β⁽⁰⁾ and then every iteration's β",
                          "empty")
    entries = []
    for k, item in enumerate(raw):
        entry = dict(item) if isinstance(item, Mapping) else {"beta": item}
        unknown = sorted(set(map(str, entry)) - set(QUANTITIES))
        if unknown:
            raise _Unreadable(f"unknown key {unknown[0]!r}; an entry may hold "
                              f"{', '.join(map(repr, QUANTITIES))}", "unknown_key", k)
        if "beta" not in entry:
            raise _Unreadable("the entry has no 'beta': every iteration records its β",
                              "no_beta", k)
        if any(v is Ellipsis or v is None for v in entry.values()):
            raise _NotAnswered
        entries.append(entry)
    return entries


# --- the exercise ---------------------------------------------------------------------------

@dataclass(frozen=True)
class OwnIRLSExercise:
    """The whole IRLS loop on a problem drawn for one learner.

    Attributes
    ----------
    name : str
        ``"own IRLS"``.
    task : str
        What to write, in words and symbols.
    student_id : str
        The id the problem was drawn from; ``exercise_own_irls(student_id)`` draws it again.
    given : Mapping[str, Any]
        ``X``, ``y``, ``offset``, ``family``, ``start`` (β⁽⁰⁾) and ``tol`` (R's criterion).
    hint : str
        A first nudge: the lesson sections the loop is built from.
    """

    name: str
    task: str
    student_id: str
    given: Mapping[str, Any] = field(repr=False)
    hint: str = field(repr=False)
    states: tuple[IRLSState, ...] = field(repr=False)

    def check(self, trace: Any) -> LoopFeedback:
        """Compare a loop's iterations with glmlearn's, one by one.

        Parameters
        ----------
        trace : iterable
            One entry per iteration, iteration 0 (the start) first: a dict with ``"beta"``
            and any of ``"eta"``, ``"mu"``, ``"w"``, ``"z"`` (the quantities computed from
            that entry's β), or β alone; a list, a generator, or a 2-D array of β rows.

        Returns
        -------
        LoopFeedback
            Truthy when every recorded quantity of every iteration agrees and the loop
            ran to convergence; otherwise the first iteration and quantity that part,
            with the hint of the misconception, never the solution.
        """
        return _check_loop(self, trace)

    def __str__(self) -> str:
        return f"Exercise: {self.name} (student id {self.student_id!r})\n{self.task}"

    def _repr_markdown_(self) -> str:
        names = ", ".join(f"`{k}`" for k in self.given)
        return (f"**Exercise: {self.name}** (student id `{self.student_id}`)\n\n{self.task}"
                f"\n\nGiven (`ex.given[...]`): {names}")


def _check_loop(ex: OwnIRLSExercise, trace: Any) -> LoopFeedback:
    try:
        entries = _entries(trace)
    except _NotAnswered:
        return LoopFeedback(None, _NOT_ANSWERED)
    except _Unreadable as bad:
        return bad.feedback
    refs = _references(list(ex.states), len(entries))
    for k, entry in enumerate(entries):
        for q in QUANTITIES:
            if q not in entry:
                continue
            fb = _quantity_exercise(q, refs, k).check(entry[q])
            if fb.correct is not True:
                message = fb.message
                if k == 0 and q == "beta" and fb.mistake is None:
                    return _wrong(*_start_message(entry[q], refs), k, q)
                return _wrong(message, fb.mistake or "off", k, q)
    last = len(entries) - 1
    if last < len(ex.states) - 1:
        crit = refs[last].criterion
        said = "not defined yet (there is no previous deviance)" if last == 0 \
            else f"{crit:.1e}"
        return _wrong(f"right so far, but your loop stopped here, before IRLS converged: "
                      f"R's criterion |D − D_old| / (|D| + 0.1) at this iteration is {said}, "
                      f"not below tol = {ex.given['tol']:g}. Keep iterating until it is",
                      "too_few_iterations", last)
    recorded = [q for q in QUANTITIES if any(q in e for e in entries)]
    more = "" if set(recorded) >= {"mu", "w", "z"} else (
        " (record mu, w and z too, and a wrong loop is told exactly which step parts)")
    final = ex.states[-1]
    return LoopFeedback(True, f"your loop reproduces glmlearn's IRLS at all {len(entries)} "
                        f"iterations ({', '.join(recorded)} checked); converged at iteration "
                        f"{final.iteration}, deviance {final.deviance:.4f}{more}")


def _start_message(beta0: Any, refs: list[IRLSState]) -> tuple[str, str]:
    """The message and mistake name for a wrong β⁽⁰⁾ (its shape and finiteness are fine)."""
    b = np.asarray(beta0, dtype=float)
    if len(refs) > 1 and np.allclose(b, np.asarray(refs[1].beta)):
        return "your first entry is already the result of one step. " + _START_HINT, \
            "skipped_start"
    return "this is not the starting β the exercise gives. " + _START_HINT, "start"


_TASK = (
    "Write the IRLS loop for your own data, ex.given: X (intercept, x1, x2), y, offset, "
    "family (family.link_inverse, family.link_deriv, family.variance) and start. From "
    "beta = start, at every iteration k compute eta = X beta + offset, mu = g^{-1}(eta), "
    "the working weights w and the working response z, and record "
    "{'beta': beta, 'mu': mu, 'w': w, 'z': z}; then solve the weighted regression of "
    "z - offset on X for the next beta. Stop once R's criterion "
    "|D - D_old| / (|D| + 0.1) < tol (D = family.deviance(y, mu)). Check with "
    "ex.check(trace).")

_STORY = {
    "poisson": ("Poisson counts y observed over exposure times t (offset log t), log link; "
                "x1 is a measurement, x2 a 0/1 group."),
    "binomial": ("0/1 outcomes y, logistic regression (logit link, no offset: it is all "
                 "zeros); x1 is a measurement, x2 a 0/1 group."),
}


def exercise_own_irls(student_id: str, family: str = "poisson") -> OwnIRLSExercise:
    """Write the whole IRLS loop on a problem drawn from your own id.

    Parameters
    ----------
    student_id : str
        Any non-empty text (a name, a matriculation number). The same id always gives the
        same problem; different ids give different problems of the same kind.
    family : {"poisson", "binomial"}
        ``"poisson"``: 30 counts with an offset log(exposure); ``"binomial"``: 40 0/1
        outcomes, logistic regression. Both with an intercept, x1 and x2, from β = 0.

    Returns
    -------
    OwnIRLSExercise
        ``ex.given`` holds the data, ``ex.check(trace)`` grades the loop.
    """
    if isinstance(student_id, int) and not isinstance(student_id, bool):
        student_id = str(student_id)
    if not isinstance(student_id, str) or not student_id.strip():
        raise GLMInputError(f"student_id: must be a non-empty text such as 'ana' or "
                            f"'s1234567', got {student_id!r}")
    if family not in FAMILY_CHOICES:
        raise GLMInputError(f"family: must be one of {', '.join(map(repr, FAMILY_CHOICES))}, "
                            f"got {family!r}")
    fam, X, y, offset, states = _problem(student_id, family)
    return OwnIRLSExercise(
        name="own IRLS",
        task=f"{_STORY[family]} {_TASK}",
        student_id=student_id,
        given=frozen(X=X, y=y, offset=offset, family=fam, start=np.zeros(X.shape[1]),
                     tol=1e-8),
        hint=("build the loop from its steps as in lesson 4, 'One state, its steps by hand' "
              "(working response, working weights, the weighted regression) and lesson 6, "
              "'The model: a log link and an offset' (where the offset goes); record mu, w "
              "and z so the check can say which step parts"),
        states=tuple(states),
    )

