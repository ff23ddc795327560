"""statsmodels' family and link classes under glmlearn's names (shared by the reference tests)."""

from __future__ import annotations

import statsmodels.api as sm
from statsmodels.genmod.families import links as sml

SM_FAMILY = {
    "gaussian": sm.families.Gaussian,
    "binomial": sm.families.Binomial,
    "poisson": sm.families.Poisson,
    "gamma": sm.families.Gamma,
    "inverse_gaussian": sm.families.InverseGaussian,
}
SM_LINK = {
    "identity": sml.Identity,
    "log": sml.Log,
    "logit": sml.Logit,
    "probit": sml.Probit,
    "cloglog": sml.CLogLog,
    "cauchit": sml.Cauchy,
    "inverse": sml.InversePower,
    "inverse_squared": sml.InverseSquared,
    "sqrt": sml.Sqrt,
}


def sm_family(family: str, link: str) -> sm.families.Family:
    """statsmodels' family object for glmlearn's ``family`` and ``link`` names."""
    return SM_FAMILY[family](link=SM_LINK[link]())
