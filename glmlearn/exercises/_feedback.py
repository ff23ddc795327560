"""An exercise and its verdict: :class:`Exercise`, :class:`Mistake`, :class:`Feedback`, and
how an answer is judged (shape first, then the right value, then the typical mistakes)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from .._arrays import Array, readonly
from .._irls import IRLSState

__all__ = ["RTOL", "Exercise", "Feedback", "Mistake", "frozen"]

#: How close an answer must be to count as equal (relative, see ``_close``).
RTOL = 1e-6


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: truthy when right; prints as one line.

    Attributes
    ----------
    correct : bool or None
        True (right), False (wrong) or None (not answered yet).
    message : str
        What to do next: a hint about the misconception, never the solution.
    mistake : str or None
        The name of the typical mistake recognised (e.g. ``"variance_only"``), if any.
    """

    correct: bool | None
    message: str
    mistake: str | None = None

    def __bool__(self) -> bool:
        return self.correct is True

    def __str__(self) -> str:
        if self.correct is None:
            return self.message
        return f"{'✓ correct' if self.correct else '✗ not yet'}: {self.message}"

    def __repr__(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer: what the mistaken learner computes, and the hint it earns.

    Attributes
    ----------
    name : str
        Short identifier, reported as :attr:`Feedback.mistake` (e.g. ``"variance_only"``).
    formula : callable
        ``formula(state)`` returns what a learner who makes this mistake gets on ``state``
        (same shape as the right answer).
    hint : str
        What was done and why it is wrong, in the lessons' terms; never the solution.
    applies : callable, optional
        ``applies(state)`` is False where the formula makes no sense (e.g. a mistake
        written for the Poisson family on a binomial state). Mistakes that merely
        coincide with the right answer on a state need no ``applies``: the grader skips
        them there by itself.
    """

    name: str
    formula: Callable[[IRLSState], Any]
    hint: str
    applies: Callable[[IRLSState], bool] = lambda state: True


@dataclass(frozen=True)
class Exercise:
    """One self-checking exercise on one IRLS state.

    Attributes
    ----------
    name : str
        Short name, e.g. ``"working weights"``.
    task : str
        What to compute, in words and symbols.
    state : IRLSState
        The IRLS state the exercise is about (the answer is read from it).
    given : Mapping[str, Any]
        The inputs you may use (read-only arrays, the family...).
    hint : str
        A first nudge, for when you are stuck: the quantities to look at and the lesson
        section that explains them, never the formula of the answer.
    """

    name: str
    task: str
    state: IRLSState = field(repr=False)
    given: Mapping[str, Any] = field(repr=False)
    hint: str = field(repr=False)
    expected: Callable[[IRLSState], Any] = field(repr=False)
    mistakes: tuple[Mistake, ...] = field(repr=False, default=())
    on_nonfinite: str = field(repr=False, default="")

    def check(self, answer: Any) -> Feedback:
        """Say whether ``answer`` is right; if not, name the likely misconception."""
        return _judge(self, answer)

    def __str__(self) -> str:
        names = ", ".join(self.given)
        return f"Exercise: {self.name}\n{self.task}\nGiven (ex.given[...]): {names}"

    def __repr__(self) -> str:  # (in a terminal too, the task and what is given)
        return str(self)

    def _repr_markdown_(self) -> str:
        names = ", ".join(f"`{k}`" for k in self.given)
        return f"**Exercise: {self.name}**\n\n{self.task}\n\nGiven (`ex.given[...]`): {names}"


def _judge(ex: Exercise, answer: Any) -> Feedback:
    if answer is Ellipsis or answer is None:
        return Feedback(None, "not answered yet: replace `...` with your code")
    expected = np.asarray(ex.expected(ex.state), dtype=float)
    try:
        a = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return Feedback(False, f"expected numbers, got {type(answer).__name__}", "not_numbers")
    if a.shape != expected.shape:
        n = expected.shape[0] if expected.ndim else 0
        if expected.ndim == 1 and a.shape == (n, n):
            if _close(np.diag(a), expected):
                return Feedback(False, "you returned the n×n matrix W = diag(w); return the "
                                "vector of its diagonal (IRLS never builds W)", "matrix")
            return Feedback(False, "you returned an n×n matrix; the answer is a vector of "
                            f"length {n}", "matrix")
        if a.size == expected.size:
            return Feedback(False, f"the numbers may be right but the shape is {a.shape}; "
                            f"expected {expected.shape} (flatten it?)", "shape")
        return Feedback(False, f"expected shape {expected.shape}, got {a.shape}", "shape")
    if not np.all(np.isfinite(a)):
        i = int(np.flatnonzero(~np.isfinite(a.reshape(-1)))[0])
        where = f" at index {i}" if a.ndim else ""
        extra = f" {ex.on_nonfinite}" if ex.on_nonfinite else ""
        return Feedback(False, f"your answer is not finite{where} "
                        f"({_number(a.reshape(-1)[i])}).{extra}", "not_finite")
    if _close(a, expected):
        return Feedback(True, f"that is exactly what IRLS computes for the {ex.name}")
    # The first mistake that matches is named, so the table lists single slips before
    # combinations of them. A mistake that equals the right answer on this state (say,
    # "forgot the prior weights" when all prior weights are 1) cannot be told apart from
    # it and is skipped.
    for m in ex.mistakes:
        if not m.applies(ex.state):
            continue
        wrong = np.asarray(m.formula(ex.state), dtype=float)
        # A finite answer cannot match a formula that is not finite here (say, the Poisson
        # log-likelihood of rates that are not whole numbers): skip it.
        if (wrong.shape == expected.shape and np.all(np.isfinite(wrong))
                and not _close(wrong, expected) and _close(a, wrong)):
            return Feedback(False, m.hint, m.name)
    return Feedback(False, f"not what IRLS computes ({_where_off(a, expected)}). "
                    f"Hint: {ex.hint}", None)


def _number(x: Any) -> str:
    """A number as a learner writes it (``0.25``, ``nan``, ``-inf``), never a numpy repr
    such as ``np.float64(nan)``."""
    return f"{float(x):.6g}"


def _close(a: Array, b: Array) -> bool:
    scale = float(np.max(np.abs(b))) if b.size else 1.0
    return bool(np.allclose(a, b, rtol=RTOL, atol=RTOL * 1e-3 * max(scale, 1.0)))


def _where_off(a: Array, b: Array) -> str:
    if a.ndim == 0:
        return "the value is off"
    rel = np.abs(a - b) / np.maximum(np.abs(b), 1e-300)
    i = int(np.argmax(rel))
    return f"{int(np.sum(~np.isclose(a, b, rtol=RTOL)))} of {a.size} entries differ, the most at index {i}"


def frozen(**arrays: Any) -> Mapping[str, Any]:
    """A read-only mapping of read-only copies: what an exercise hands the learner."""
    return MappingProxyType({k: readonly(v) if isinstance(v, np.ndarray) else v
                             for k, v in arrays.items()})
