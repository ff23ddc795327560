"""Errors and warnings raised by glmlearn.

Bad input is refused at the door with an exception whose message names the
argument, the problem and the offending index or value. Numerical trouble met
while fitting (non-convergence, separation, boundary fits, rank deficiency, no
residual degrees of freedom) is *not* an error: the fit goes on, a warning of
one of the categories below is issued, and the result carries a flag, so a
lesson can show the trouble instead of crashing on it.

Filter all of glmlearn's warnings at once with::

    warnings.simplefilter("ignore", glmlearn.GLMWarning)
"""

from __future__ import annotations


class GLMInputError(ValueError):
    """An argument has an invalid value (wrong domain, non-finite, bad shape...)."""


class GLMTypeError(TypeError):
    """An argument has the wrong type (e.g. a string where an array is needed)."""


class GLMWarning(UserWarning):
    """Base class of every warning glmlearn issues."""


class ConvergenceWarning(GLMWarning):
    """IRLS stopped at ``max_iter`` before the convergence criterion was met."""


class SeparationWarning(GLMWarning):
    """The binary classes are (quasi-)completely separated: the MLE does not exist."""


class BoundaryWarning(GLMWarning):
    """Fitted means reached the edge of the family's valid range (e.g. 0 or 1)."""


class RankDeficiencyWarning(GLMWarning):
    """Columns of X are linearly dependent; their coefficients are set to NaN (aliased)."""


class StepHalvingWarning(GLMWarning):
    """IRLS had to halve its step and could not find a valid or better point."""


class ResidualDFWarning(GLMWarning):
    """The fit has no residual degrees of freedom; the dispersion cannot be estimated."""


__all__ = [
    "BoundaryWarning",
    "ConvergenceWarning",
    "GLMInputError",
    "GLMTypeError",
    "GLMWarning",
    "RankDeficiencyWarning",
    "ResidualDFWarning",
    "SeparationWarning",
    "StepHalvingWarning",
]
