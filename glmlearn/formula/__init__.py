"""Fit from a DataFrame with an R formula, with R's conventions.

``glmlearn.fit("counts ~ outcome + treatment", data=df, family="poisson")`` builds its
design here: formulaic parses the formula and codes the factors; glmlearn adds R's
conventions on top -- text, boolean and categorical columns are factors, treatment
contrasts with the first level as reference, unused levels dropped, R's coefficient
names (``outcome2``, ``sexM:ldose``), ``- 1`` keeping every level of the first factor,
rows with missing values left out as R's ``na.omit`` does, and the design kept
(:class:`FormulaDesign`) so that predictions for new data rebuild the same columns.

A binomial response in two columns is written as in R,
``cbind(successes, failures) ~ x``. ``factor(x)`` and ``C(x)`` read a numeric column as a
factor. Needs pandas and formulaic (``pip install 'glmlearn[formula]'``).
"""

from __future__ import annotations

from typing import Any

from ._build import design_matrix, formula_problem
from ._design import FormulaDesign, offset_with_exposure
from ._parse import ParsedFormula, parse_formula

__all__ = ["FormulaDesign", "ParsedFormula", "design_matrix", "formula_problem", "is_formula",
           "offset_with_exposure", "parse_formula"]


def is_formula(obj: Any) -> bool:
    """Whether ``obj`` is a formula string (it has a ``~``)."""
    return isinstance(obj, str) and "~" in obj
