r"""Exercises that check themselves: write one piece of IRLS, get told right or wrong.

Each exercise hands you the quantities of one IRLS state of a real fit (``ex.given``),
asks for one thing (``ex.task``), and checks your answer against what glmlearn's own
IRLS computed in that state. A wrong answer is compared with the typical mistakes, and
the feedback names the misconception ("you used the variance function V(μ) as the
weight", "you left out the offset") and says why it is wrong, without ever printing the
solution.

>>> from glmlearn import exercises
>>> ex = exercises.exercise_working_weights()   # beetles, probit link, one IRLS state
>>> print(ex.check(...))                        # an untouched answer cell
not answered yet: replace `...` with your code
>>> bool(ex.check(ex.given["mu"] * (1 - ex.given["mu"])))   # V(mu): a classic mistake
False

Exercises (factories, each on real data, each at one IRLS state; :data:`EXERCISES` holds
them by name):

* :func:`exercise_working_weights` -- :math:`w = w^{\text{prior}} / (V(\mu)\, g'(\mu)^2)`;
  beetles (Bliss 1935), probit link.
* :func:`exercise_working_response` -- :math:`z = \eta + (y - \mu)\, g'(\mu)`; British
  doctors, Poisson with offset log(person-years).
* :func:`exercise_irls_step` -- :math:`\beta^{\text{next}}`, one weighted regression;
  British doctors.
* :func:`exercise_score` -- the score
  :math:`U = X^\top \operatorname{diag}(w^{\text{prior}}\mu'(\eta)/V(\mu))(y - \mu)`;
  beetles, probit (a non-canonical link).
* :func:`exercise_poisson_deviance` -- the deviance
  :math:`D = 2\sum_i w_i\{y_i\log(y_i/\mu_i) - (y_i - \mu_i)\}`; ships (some counts are 0).
* :func:`exercise_own_irls` -- the whole IRLS loop, on a problem drawn from your own id
  (``exercise_own_irls("your id")``); :meth:`OwnIRLSExercise.check` compares your
  iterations with glmlearn's and names the first iteration and quantity where they part.

The same grading works on any IRLS state of your own: :func:`grade_working_weights`,
:func:`grade_working_response`, :func:`grade_irls_step`, :func:`grade_score` and
:func:`grade_deviance` take ``(answer, state)``. (The theorem checks of
:mod:`glmlearn.theorems` are a different thing: they test what IRLS computed, not a
learner's answer.) :data:`STATES` holds fits to try them on: classic ones with and
without prior weights, with an offset, with zero counts, with a non-canonical link, and a
small synthetic one (fixed seed) with prior weights, an offset and the cloglog link at once.

Notes
-----
**Adding a mistake.** Each exercise has a table of mistakes, a tuple of :class:`Mistake`
entries, gathered in :mod:`glmlearn.exercises.grading` and written next to its exercise:
``_WW_MISTAKES`` (the working weights) and ``_WR_MISTAKES`` in ``_weights_response.py``,
``_STEP_MISTAKES`` and ``_SCORE_MISTAKES`` in ``_step_score.py``, ``_DEV_MISTAKES`` in
``_deviance.py``. To add one, append::

    Mistake("no_prior_weights",                      # the name Feedback reports
            lambda s: s.w / s.problem.prior_weights,  # what the mistaken learner gets
            "you left out the prior weights: ...")    # what was done and why it is wrong

The formula reads the IRLS state ``s`` (``s.mu``, ``s.eta``, ``s.w``, ``s.z``, and
``s.problem`` with ``X``, ``y``, ``prior_weights``, ``offset``, ``family``), so the
mistake is recognised on any fit. The grader compares the answer with each formula in
order, with the tolerance used for the right answer, and names the first that matches:

* put single slips before combinations of them;
* a mistake that equals the right answer on some state (forgetting the prior weights
  when they are all 1, V(μ) for a canonical link) is skipped there automatically; give
  ``applies=`` only when the formula makes no sense on a state (another family);
* the hint says what was done and why it is wrong, in the lessons' terms (working
  weights, working response, prior weights, offset, link derivative g'(μ), variance
  function V(μ), deviance, saturated model), and never contains the solution;
* add a test in ``tests/test_exercises.py`` that writes the mistaken answer out
  independently and checks the name on a state where it differs from the right answer
  and from the mistakes before it.
"""

from __future__ import annotations

from ._feedback import Exercise, Feedback, Mistake
from ._own_irls import LoopFeedback, OwnIRLSExercise
from .catalogue import (
    EXERCISES,
    STATES,
    exercise_irls_step,
    exercise_own_irls,
    exercise_poisson_deviance,
    exercise_score,
    exercise_working_response,
    exercise_working_weights,
)
from .grading import (
    grade_deviance,
    grade_irls_step,
    grade_score,
    grade_working_response,
    grade_working_weights,
)

__all__ = [
    "EXERCISES",
    "STATES",
    "Exercise",
    "Feedback",
    "LoopFeedback",
    "Mistake",
    "OwnIRLSExercise",
    "exercise_irls_step",
    "exercise_own_irls",
    "exercise_poisson_deviance",
    "exercise_score",
    "exercise_working_response",
    "exercise_working_weights",
    "grade_deviance",
    "grade_irls_step",
    "grade_score",
    "grade_working_response",
    "grade_working_weights",
]
