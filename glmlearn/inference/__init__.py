r"""What a course does with a fit: tests between models, intervals, model checks.

Every number here is a reading of the IRLS states a fit keeps, or of refits of the same
data with fewer columns (``_refit.py``):

* :func:`anova`, :func:`sequential_anova`, :func:`drop1` -- analysis of deviance
  (likelihood-ratio, F and score tests), R's ``anova.glm`` and ``drop1.glm``;
* :func:`conf_int`, :func:`profile` -- Wald and profile-likelihood intervals (MASS's
  ``profile.glm`` and ``confint.glm``);
* :func:`influence` -- hat values, standardised and studentised residuals, Cook's
  distances (R's ``hatvalues``, ``rstandard``, ``rstudent``, ``cooks.distance``);
* :func:`explain` -- how each number of the summary comes from the final IRLS state.

The results print like R's tables (:class:`Table`), show as HTML in a notebook and give
a pandas DataFrame with R's column names (``.to_frame()``).
"""

from __future__ import annotations

from ._anova import InferenceWarning, anova, drop1, sequential_anova
from ._explain import Explanation, explain
from ._influence import Influence, influence
from ._profile import ConfidenceIntervals, Profile, conf_int, profile
from ._table import Table

__all__ = ["ConfidenceIntervals", "Explanation", "InferenceWarning", "Influence", "Profile",
           "Table", "anova", "conf_int", "drop1", "explain", "influence", "profile",
           "sequential_anova"]
