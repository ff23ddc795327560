"""Errors and warnings raised by glmlearn.

Bad input is refused at the door with an exception whose message names the
argument, the problem and the offending index or value. Numerical trouble met
while fitting (non-convergence, separation, boundary fits, rank deficiency, no
residual degrees of freedom) is *not* an error: the fit goes on, a warning of
one of the categories below is issued, and the result carries a flag, so a
lesson can show the trouble instead of crashing on it.

Two notices are about the model or the data rather than the numerics, and are found
when the data are validated: :class:`InterceptNotice` (X has no intercept column) and
:class:`NonIntegerWarning` (a binomial response that does not count successes). They
travel the same way: each trouble is a :class:`Trouble` (its kind, the flag it sets on the
result, its message), kept as ``result.troubles`` and warned once by :func:`glmlearn.fit`.

Filter all of glmlearn's warnings at once with::

    warnings.simplefilter("ignore", glmlearn.GLMWarning)

or one kind, e.g. ``warnings.simplefilter("ignore", glmlearn.errors.InterceptNotice)``
(the trouble is still kept on the result).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass


class GLMInputError(ValueError):
    """An argument has an invalid value (wrong domain, non-finite, bad shape...)."""


class GLMTypeError(TypeError):
    """An argument has the wrong type (e.g. a string where an array is needed)."""


class GLMWarning(UserWarning):
    """Base class of every warning glmlearn issues."""


class ConvergenceWarning(GLMWarning):
    """IRLS stopped at ``max_iter`` before the convergence criterion was met."""


class InfiniteEstimateWarning(GLMWarning):
    """The maximum-likelihood estimate does not exist: along some direction of the
    coefficients the likelihood keeps rising forever, so IRLS's estimates grow without
    bound (a Poisson group of zero counts, an all-zero response, or, for binomial data,
    :class:`SeparationWarning`)."""


class SeparationWarning(InfiniteEstimateWarning):
    """The binary classes are (quasi-)completely separated: the MLE does not exist."""


class BoundaryWarning(GLMWarning):
    """Fitted means reached the edge of the family's valid range (e.g. 0 or 1)."""


class RankDeficiencyWarning(GLMWarning):
    """Columns of X are linearly dependent; their coefficients are set to NaN (aliased)."""


class StepHalvingWarning(GLMWarning):
    """IRLS halved a step (R: "step size truncated ..."), or could not find an acceptable
    one by halving. Which steps are halved is ``step_halving=``'s rule: R's (a
    non-finite deviance or an invalid eta/mu) or glm2's (also a rising deviance)."""


class IllConditionedWarning(GLMWarning):
    """X (with the working weights) is nearly rank deficient: not aliased by R's rule, but
    so ill conditioned that the estimates of the columns involved carry few reliable
    digits and large standard errors."""


class ResidualDFWarning(GLMWarning):
    """The fit has no residual degrees of freedom; the dispersion cannot be estimated."""


class InterceptNotice(GLMWarning):
    """X has no intercept column, while the usual model of every family has one (R's
    ``glm(y ~ x)`` adds it; glmlearn fits the columns it is given). A notice, not an error:
    the fit goes on. Pass ``intercept=False`` to :func:`glmlearn.fit` for a model without
    intercept on purpose."""


class NonIntegerWarning(GLMWarning):
    """A binomial response whose ``weights * y`` is not a whole number of successes
    (R: "non-integer #successes in a binomial glm!"). The fit goes on."""


class ThetaWarning(GLMWarning):
    """The negative binomial's :math:`\theta` could not be estimated well: it runs off to
    infinity (no overdispersion: the model is the Poisson one), was truncated at zero, or
    its Newton steps or the alternation with IRLS hit their iteration limit."""


@dataclass(frozen=True)
class Trouble:
    """One kind of trouble met by a fit: numerical (found from the trace) or about the data
    and the model (found when the data are validated).

    Attributes
    ----------
    kind : type of GLMWarning
        The warning category, e.g. :class:`~glmlearn.ConvergenceWarning`.
    flag : str
        The name it has in ``result.flags``, e.g. ``"not_converged"``.
    message : str
        What happened and what it means, in words.
    """

    kind: type[GLMWarning]
    flag: str
    message: str

    def warn(self, stacklevel: int = 2) -> None:
        """Issue this trouble as a warning of its kind."""
        warnings.warn(self.message, self.kind, stacklevel=stacklevel + 1)

    def __str__(self) -> str:
        return f"{self.kind.__name__}: {self.message}"


__all__ = [
    "BoundaryWarning",
    "ConvergenceWarning",
    "GLMInputError",
    "GLMTypeError",
    "GLMWarning",
    "IllConditionedWarning",
    "InfiniteEstimateWarning",
    "InterceptNotice",
    "NonIntegerWarning",
    "RankDeficiencyWarning",
    "ResidualDFWarning",
    "SeparationWarning",
    "StepHalvingWarning",
    "ThetaWarning",
    "Trouble",
]


class MissingValuesNotice(GLMWarning):
    """Rows of a formula's data were left out for missing values (R's ``na.omit``). A
    notice, not an error: the fit goes on without them; ``na_action="raise"`` refuses
    missing values instead."""


class ColumnNamesWarning(GLMWarning):
    """A DataFrame given to ``predict`` has column names that disagree with the names of
    the columns the model was fitted on: the columns are used by position."""


__all__ += ["ColumnNamesWarning", "MissingValuesNotice"]
