r"""Quasi families: a mean and a variance, no distribution (R's ``quasi``).

A quasi family specifies only

.. math:: E(y) = \mu = g^{-1}(\eta), \qquad \operatorname{Var}(y) = \phi\, V(\mu) / w,

and leaves the dispersion :math:`\phi` free. IRLS needs nothing more, so the estimates
:math:`\hat\beta` are those of the family with the same :math:`V` (quasi-Poisson's are
Poisson's); only the inference changes. :math:`\phi` is estimated by Pearson's

.. math:: \hat\phi = X^2 / (n - p) = \frac{1}{n - p} \sum_i \frac{w_i (y_i - \hat\mu_i)^2}{V(\hat\mu_i)},

every standard error is the fixed-dispersion one times :math:`\sqrt{\hat\phi}`, and Wald
statistics are referred to Student's :math:`t_{n-p}`. The deviance is that of the family
with the same :math:`V` (R's quasi ``dev.resids``). There is no likelihood: the
log-likelihood, AIC and BIC of a quasi fit are NaN (R prints NA), and the family says so
with ``has_likelihood = False``.

Factories: :func:`quasipoisson` (:math:`V = \mu`), :func:`quasibinomial`
(:math:`V = \mu(1-\mu)`) and :func:`quasi` (any of R's five variance functions).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ._arrays import Array
from .errors import GLMInputError, GLMTypeError
from .links import Link

if TYPE_CHECKING:
    from .family import Family

__all__ = ["QUASI_VARIANCES", "quasi", "quasibinomial", "quasipoisson"]


def _no_loglik(y: Array, mu: Array, w: Array, phi: float) -> float:
    return float("nan")


def _gamma_unit_deviance(y: Array, mu: Array) -> Array:
    # R's quasi "mu^2": a zero response counts as 1 in the logarithm, and the deviance
    # is floored at 0.
    with np.errstate(divide="ignore"):
        logy = np.log(np.where(y == 0, 1.0, y))
    return np.maximum(-2 * (logy - np.log(mu) - (y - mu) / mu), 0.0)


def _variances() -> dict[str, dict[str, object]]:
    """R's variance functions of ``quasi``: V, unit deviance, mustart, domains."""
    from .family import (
        _binomial_unit_deviance,
        _finite,
        _positive,
        _unit_interval_open,
        _ylogy,
    )

    def poisson_deviance(y: Array, mu: Array) -> Array:
        return 2 * (_ylogy(y, mu) - (y - mu))

    nonnegative = ("non-negative numbers", lambda y: np.isfinite(y) & (y >= 0))
    return {
        "constant": dict(
            variance=lambda mu: np.ones_like(mu, dtype=float),
            unit_deviance=lambda y, mu: (y - mu) ** 2,
            starting_mu=lambda y, w: y.astype(float, copy=True),
            valid_mu=_finite, domain=("any real number", np.isfinite),
            mu_domain="any real number", canonical="identity"),
        "mu(1-mu)": dict(
            variance=lambda mu: mu * (1 - mu),
            unit_deviance=_binomial_unit_deviance,
            starting_mu=lambda y, w: np.clip(y, 0.001, 0.999),
            valid_mu=_unit_interval_open,
            domain=("numbers in [0, 1]", lambda y: np.isfinite(y) & (y >= 0) & (y <= 1)),
            mu_domain="the open interval (0, 1)", canonical="logit"),
        "mu": dict(
            variance=lambda mu: mu * 1.0,
            unit_deviance=poisson_deviance,
            starting_mu=lambda y, w: y + 0.1 * (y == 0),
            valid_mu=_positive, domain=nonnegative,
            mu_domain="positive real numbers", canonical="log"),
        "mu^2": dict(
            variance=lambda mu: mu**2,
            unit_deviance=_gamma_unit_deviance,
            starting_mu=lambda y, w: y + 0.1 * (y == 0),
            valid_mu=_positive, domain=nonnegative,
            mu_domain="positive real numbers", canonical="inverse"),
        "mu^3": dict(
            variance=lambda mu: mu**3,
            unit_deviance=lambda y, mu: (y - mu) ** 2 / (y * mu**2),
            starting_mu=lambda y, w: y + 0.1 * (y == 0),
            valid_mu=_positive, domain=("positive real numbers", _positive),
            mu_domain="positive real numbers", canonical="inverse_squared"),
    }


#: The variance functions :func:`quasi` accepts, as R spells them.
QUASI_VARIANCES: tuple[str, ...] = ("constant", "mu(1-mu)", "mu", "mu^2", "mu^3")

#: R's links for ``quasi`` (``"1/mu^2"`` is glmlearn's ``"inverse_squared"``).
_QUASI_LINKS = ("identity", "logit", "probit", "cloglog", "inverse", "log",
                "inverse_squared", "sqrt")


def quasi(link: str | Link = "identity", variance: str = "constant") -> Family:
    r"""R's ``quasi(link, variance)``: :math:`\operatorname{Var}(y) = \phi V(\mu)`.

    Parameters
    ----------
    link : str or Link, default "identity"
        One of identity, logit, probit, cloglog, inverse, log, inverse_squared
        (``"1/mu^2"``), sqrt.
    variance : str, default "constant"
        :math:`V(\mu)`: ``"constant"`` (1), ``"mu(1-mu)"``, ``"mu"``, ``"mu^2"`` or
        ``"mu^3"`` (spaces are ignored, as in R).

    Returns
    -------
    Family
        Named ``"quasi"``, with ``variance_name`` set; its unit deviance, starting means
        and valid means are R's for that variance.

    Examples
    --------
    >>> quasi("log", "mu")
    Family(quasi, link=log, variance=mu)
    """
    from .family import _make

    if not isinstance(variance, str):
        raise GLMTypeError(
            f"variance: expected one of {', '.join(map(repr, QUASI_VARIANCES))}, "
            f"got {type(variance).__name__} {variance!r}"
        )
    name = variance.replace(" ", "")
    table = _variances()
    if name not in table:
        raise GLMInputError(
            f"variance: {variance!r} is not a variance function of the quasi family; "
            f"use one of {', '.join(map(repr, QUASI_VARIANCES))}"
        )
    spec = table[name]
    domain: tuple[str, Callable[[Array], Array]] = spec["domain"]  # type: ignore[assignment]
    y_domain, valid_y = domain
    return _make(
        "quasi", link, str(spec["canonical"]), _QUASI_LINKS,
        variance=spec["variance"], unit_deviance=spec["unit_deviance"],
        starting_mu=spec["starting_mu"], valid_mu=spec["valid_mu"], valid_y=valid_y,
        y_domain=y_domain, mu_domain=spec["mu_domain"], dispersion_fixed=False,
        _loglik=_no_loglik, has_likelihood=False, variance_name=name,
        _with_link=lambda lk: quasi(lk, name),
    )


def _quasi_version(base: str, name: str, link: str | Link,
                   rebuild: Callable[[str | Link], Family]) -> Family:
    """The family ``base(link)`` with its dispersion estimated and no likelihood; a link
    the base family refuses is reported under the quasi family's name."""
    from dataclasses import replace

    from .family import FAMILIES

    try:
        fam = FAMILIES[base](link)
    except GLMInputError as exc:
        raise GLMInputError(str(exc).replace(f"the {base} family", f"the {name} family")
                            ) from None
    return replace(fam, name=name, dispersion_fixed=False, has_likelihood=False,
                   _loglik=_no_loglik, _with_link=rebuild)


def quasipoisson(link: str | Link = "log") -> Family:
    r"""Counts with :math:`\operatorname{Var}(y) = \phi\mu` (R's ``quasipoisson``).

    Poisson's links (log, identity, sqrt), unit deviance and starting means; the
    dispersion is estimated, and there is no likelihood.

    Examples
    --------
    >>> quasipoisson()
    Family(quasipoisson, link=log)
    """
    return _quasi_version("poisson", "quasipoisson", link, quasipoisson)


def quasibinomial(link: str | Link = "logit") -> Family:
    r"""Proportions with :math:`\operatorname{Var}(y) = \phi\mu(1-\mu)/m`
    (R's ``quasibinomial``).

    Binomial's links and responses (proportions with the trials as weights, or two
    columns), unit deviance and starting means; the dispersion is estimated, there is no
    likelihood, and non-integer successes are no notice (as in R).
    """
    return _quasi_version("binomial", "quasibinomial", link, quasibinomial)
