"""The text of a summary laid out as R's ``print(summary(glm))`` prints it.

R's layout (R 4.3 and later, without the deviance residuals R 4.2 still printed): the
call, the coefficient table with R's digit rules (``glmlearn/_rformat.py``) and, as an
option, significance stars with their legend; the dispersion line in R's words, "taken to
be" whether it is known or estimated; the two deviances; R's note on rows left out for
missing values; AIC; the number of Fisher scoring iterations. glmlearn adds one
``Warning:`` line per trouble the fit met.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._methods import METHOD_NAMES
from ._rformat import coef_table, format_real

#: R's names of the families, where glmlearn's differ
R_FAMILY = {"gamma": "Gamma", "inverse_gaussian": "inverse.gaussian"}
R_LINK = {"inverse_squared": "1/mu^2"}


def call_line(result: Any) -> str:
    """The call that made the fit, as glmlearn is called."""
    fam = result.family
    family = f'{fam.name}(link="{R_LINK.get(fam.link.name, fam.link.name)}")'
    design = result.problem.design
    if design is not None:
        return f"glmlearn.fit({design.formula!r}, data=..., family={family})"
    return f"glmlearn.fit(X, {result.problem.response_name}, family={family})"


def r_summary_lines(result: Any, stars: bool = False) -> list[str]:
    """The lines of R's printed summary of ``result``."""
    r = result
    fam_name = R_FAMILY.get(r.family.name, r.family.name)
    stat = "t value" if r.uses_t else "z value"
    pcol = "Pr(>|t|)" if r.uses_t else "Pr(>|z|)"
    n_aliased = int(r.aliased.sum())
    lines = ["", "Call:", call_line(r), "",
             f"Coefficients: ({n_aliased} not defined because of singularities)" if n_aliased
             else "Coefficients:"]
    lines += coef_table(r.column_names, list(r.coef), list(r.se), list(r.tvalues),
                        list(r.pvalues), ("Estimate", "Std. Error", stat, pcol), stars)
    deviances = format_real([r.null_deviance, r.deviance], 5)
    dfs = format_real([r.df_null, r.df_residual], 7)
    lines += ["", f"(Dispersion parameter for {fam_name} family taken to be "
              f"{format_real([r.dispersion], 7)[0]})", "",
              f"    Null deviance: {deviances[0]}  on {dfs[0]}  degrees of freedom",
              f"Residual deviance: {deviances[1]}  on {dfs[1]}  degrees of freedom"]
    design = r.problem.design
    if design is not None and len(design.omitted):
        k = len(design.omitted)
        lines.append(f"  ({k} observation{'s' if k > 1 else ''} deleted due to missingness)")
    # R stores a quasi family's AIC as NA and prints it so; glmlearn keeps NaN for it.
    aic = "NA" if np.isnan(r.aic) else format_real([r.aic], 5)[0]
    lines += [f"AIC: {aic}", "",
              f"Number of {iterations_name(r, 'Fisher Scoring')} iterations: {r.n_iter}"
              + ("" if r.converged else "  (NOT converged)")]
    lines += [f"Warning: {w}" for w in r.warnings if "na.omit" not in w]
    return lines


def iterations_name(r: Any, fisher: str) -> str:
    """What a summary counts: ``fisher`` (R's words in the layout asked for) for Fisher
    scoring, else the method's name (a Newton or gradient-ascent fit, ``fit(method=...)``)."""
    return METHOD_NAMES.get(r.trace[-1].method, fisher)
