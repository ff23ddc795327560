r"""The five exercises on any IRLS state: what is asked, the typical mistakes and their
hints, and a ``grade_*(answer, state)`` function for each.

Each exercise has a table of mistakes (``_WW_MISTAKES``, ``_WR_MISTAKES``,
``_STEP_MISTAKES``, ``_SCORE_MISTAKES``, ``_DEV_MISTAKES``): one
:class:`~glmlearn.exercises.Mistake` per misconception, with the formula the mistaken
learner computes from the state and its family, so the same hints work on any fit. The
grader names the first entry that matches, so single slips come before combinations of
them (a learner who forgets the prior weights *and* uses V(μ) is told about both only if
no single slip explains the answer). Where a mistake is a textbook step with one
ingredient left out, it is computed with that step (:func:`glmlearn.working_response`,
:func:`glmlearn.working_weights`, :func:`glmlearn.score`).

The exercises live in ``_weights_response`` (working weights, working response),
``_step_score`` (IRLS step, score) and ``_deviance``, with the pieces their mistakes share
in ``_common``; this module gathers them under one name.
"""

from __future__ import annotations

# The tables and builders are re-exported too: catalogue.py builds the exercises from
# here, and a table of mistakes can still be read as grading._WW_MISTAKES.
from ._deviance import _DEV_MISTAKES as _DEV_MISTAKES
from ._deviance import build_deviance as build_deviance
from ._deviance import grade_deviance
from ._step_score import _SCORE_MISTAKES as _SCORE_MISTAKES
from ._step_score import _STEP_MISTAKES as _STEP_MISTAKES
from ._step_score import build_irls_step as build_irls_step
from ._step_score import build_score as build_score
from ._step_score import grade_irls_step, grade_score
from ._weights_response import _WR_MISTAKES as _WR_MISTAKES
from ._weights_response import _WW_MISTAKES as _WW_MISTAKES
from ._weights_response import build_working_response as build_working_response
from ._weights_response import build_working_weights as build_working_weights
from ._weights_response import grade_working_response, grade_working_weights

__all__ = [
    "grade_deviance",
    "grade_irls_step",
    "grade_score",
    "grade_working_response",
    "grade_working_weights",
]
