r"""Exercises that check themselves: write one piece of IRLS, get told right or wrong.

Each exercise hands you the quantities of one IRLS state of a real fit (``ex.given``),
asks for one thing (``ex.task``), and checks your answer against what glmlearn's own
IRLS computed in that state. A wrong answer is compared with the typical mistakes, and
the feedback names the misconception ("you used V(mu) where the weight needs
V(mu) g'(mu)^2", "you forgot the offset") without ever printing the solution.

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

The same grading works on any IRLS state of your own: :func:`grade_working_weights`,
:func:`grade_working_response`, :func:`grade_irls_step`, :func:`grade_score` and
:func:`grade_deviance` take ``(answer, state)``. (The theorem checks of
:mod:`glmlearn.theorems` are a different thing: they test what IRLS computed, not a
learner's answer.)
"""

from __future__ import annotations

from ._feedback import Exercise, Feedback, Mistake
from .catalogue import (
    EXERCISES,
    exercise_irls_step,
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
    "Exercise",
    "Feedback",
    "Mistake",
    "exercise_irls_step",
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
