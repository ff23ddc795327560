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

from ..family import get_family
from ..problem import make_problem
from ._build import design_matrix, formula_problem
from ._design import FormulaDesign, offset_with_exposure
from ._parse import ParsedFormula, parse_formula

__all__ = ["FormulaDesign", "ParsedFormula", "design_matrix", "formula_problem", "is_formula",
           "offset_with_exposure", "parse_formula", "read_problem"]


def is_formula(obj: Any) -> bool:
    """Whether ``obj`` is a formula string (it has a ``~``)."""
    return isinstance(obj, str) and "~" in obj


def read_problem(X: Any, y: Any, family: Any, *, data: Any = None, link: Any = None,
                 weights: Any = None, offset: Any = None, exposure: Any = None,
                 na_action: Any = "omit", column_names: Any = None,
                 response_name: str | None = None, intercept: bool = True) -> Any:
    """The :class:`~glmlearn.problem.GLMProblem` of ``fit``'s and ``irls``'s arguments:
    from a formula and its data (``fit("y ~ x", data=df)``, or the data frame passed second),
    else from arrays, with the family's ``link`` and the log of ``exposure`` in the offset."""
    if isinstance(X, str) and (data is not None or (is_formula(X) and y is not None)):
        return formula_problem(X, y if data is None else data, family, link=link,
                               weights=weights, offset=offset, exposure=exposure,
                               na_action=na_action)
    fam = get_family(family, link)
    return make_problem(X, y, family if link is None else fam, weights=weights,
                        offset=offset_with_exposure(offset, exposure, fam),
                        column_names=column_names, response_name=response_name,
                        intercept=intercept)
