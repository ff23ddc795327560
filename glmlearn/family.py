r"""Exponential families for GLMs, built by factories as in R.

A family bundles what IRLS needs to know about the response distribution:

* the link :math:`g` (see :mod:`glmlearn.links`),
* the variance function :math:`V(\mu)`, with :math:`\operatorname{Var}(y) = \phi V(\mu) / w`,
* the unit deviance :math:`d(y, \mu)`; the deviance is :math:`D = \sum_i w_i\, d(y_i, \mu_i)`,
* R's starting means :math:`\mu^{(0)}` (``mustart``),
* the response domain and the valid range of :math:`\mu`,
* the log-likelihood and AIC as R's ``family$aic`` computes them.

Factories: :func:`gaussian`, :func:`binomial`, :func:`poisson`, :func:`gamma`,
:func:`inverse_gaussian`; each takes ``link=`` as a name or a :class:`~glmlearn.links.Link`
and refuses a link the family does not allow, listing the links it does allow.

The function names of classic IRLS tutorials (``logit_link(mu)``,
``logit_link_inverse(eta)``, ...) are in :mod:`glmlearn.compat`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import special, stats

from ._arrays import Array
from .errors import GLMInputError, GLMTypeError
from .links import LINKS, Link, Mask, get_link

__all__ = [
    "FAMILIES",
    "LINKS",
    "OVERDISPERSION_FAMILIES",
    "Family",
    "binomial",
    "gamma",
    "gaussian",
    "get_family",
    "inverse_gaussian",
    "negative_binomial",
    "poisson",
    "quasi",
    "quasibinomial",
    "quasipoisson",
]



@dataclass(frozen=True, eq=False)
class Family:
    r"""An exponential family with a link, as used by IRLS.

    Attributes
    ----------
    name : str
        ``"gaussian"``, ``"binomial"``, ``"poisson"``, ``"gamma"`` or ``"inverse_gaussian"``.
    link : Link
        The link function :math:`\eta = g(\mu)`.
    canonical_link : str
        Name of the canonical link, for which :math:`X^\top(y - \mu) = 0` at the MLE.
    allowed_links : tuple of str
        The links this family accepts (R's list).
    variance : callable
        :math:`V(\mu)`.
    unit_deviance : callable
        :math:`d(y, \mu)`, so that :math:`D = \sum w_i d(y_i, \mu_i)`.
    starting_mu : callable
        ``starting_mu(y, w)`` returns R's ``mustart``.
    valid_mu : callable
        Boolean mask of means inside the family's range.
    valid_y : callable
        Boolean mask of responses inside the family's domain.
    y_domain, mu_domain : str
        The same domains in words.
    dispersion_fixed : bool
        True when :math:`\phi = 1` (binomial, Poisson, negative binomial), False when it
        is estimated (the others, the quasi families included): then ``summary`` estimates
        :math:`\phi` and its tests use Student's t.
    has_likelihood : bool
        False for the quasi families (:mod:`glmlearn._quasi`), which specify only a mean
        and a variance: their log-likelihood, AIC and BIC are NaN, R's NA.
    proportion_response : bool
        True when y may be a proportion with the trials as prior weights, or a two-column
        (successes, failures) response (binomial, quasi-binomial).
    theta : float or None
        The negative binomial's shape :math:`\theta` (:mod:`glmlearn.negbin`); None for
        every other family, and for a negative binomial whose :math:`\theta`
        :func:`glmlearn.fit` is to estimate.
    variance_name : str
        :math:`V(\mu)` as R writes it (``"mu^2"``), for the families whose name does not
        say it (``quasi``, the negative binomial); empty otherwise.
    """

    name: str
    link: Link
    canonical_link: str
    allowed_links: tuple[str, ...]
    variance: Callable[[Array], Array]
    unit_deviance: Callable[[Array, Array], Array]
    starting_mu: Callable[[Array, Array], Array]
    valid_mu: Callable[[Array], Mask]
    valid_y: Callable[[Array], Mask]
    y_domain: str
    mu_domain: str
    dispersion_fixed: bool
    _loglik: Callable[[Array, Array, Array, float], float]
    has_likelihood: bool = True
    proportion_response: bool = False
    theta: float | None = None
    variance_name: str = ""
    # Rebuilds the family with another link, keeping its other parameters (quasi's
    # variance, the negative binomial's theta); None: the registry's factory does it.
    _with_link: Callable[[str | Link], Family] | None = None
    #: The unit deviance for a response of 0s and 1s only, the same numbers as
    #: ``unit_deviance`` with less work (binomial); None when there is no such shortcut.
    #: It takes y itself or the boolean mask of its 1s, which a
    #: :class:`~glmlearn.problem.GLMProblem` finds once (``y_ones``).
    unit_deviance_01: Callable[[Array | Mask, Array], Array] | None = None

    # --- R's names for the link's pieces (seed lesson: ``fam.link_inverse(eta)``) -------
    def link_fun(self, mu: ArrayLike) -> Array:
        r""":math:`\eta = g(\mu)`."""
        return self.link.link(np.asarray(mu, dtype=float))

    def link_inverse(self, eta: ArrayLike) -> Array:
        r""":math:`\mu = g^{-1}(\eta)`."""
        return self.link.inverse(np.asarray(eta, dtype=float))

    def link_deriv(self, mu: ArrayLike) -> Array:
        r""":math:`d\eta/d\mu = g'(\mu)`."""
        return self.link.deriv(np.asarray(mu, dtype=float))

    def mu_eta(self, eta: ArrayLike) -> Array:
        r""":math:`d\mu/d\eta` (R's ``mu.eta``)."""
        return self.link.inverse_deriv(np.asarray(eta, dtype=float))

    @property
    def is_canonical(self) -> bool:
        """True when the link is the family's canonical link."""
        return self.link.name == self.canonical_link

    # --- deviance, likelihood, AIC -------------------------------------------------------
    def deviance(self, y: ArrayLike, mu: ArrayLike, weights: ArrayLike | None = None) -> float:
        r"""Deviance :math:`D = \sum_i w_i\, d(y_i, \mu_i)`."""
        y_ = np.asarray(y, dtype=float)
        d = self.unit_deviance(y_, np.asarray(mu, dtype=float))
        return float((d if weights is None else np.asarray(weights, dtype=float) * d).sum())

    def loglik(
        self,
        y: ArrayLike,
        mu: ArrayLike,
        weights: ArrayLike | None = None,
        dispersion: float | None = None,
    ) -> float:
        r"""Log-likelihood as R's ``logLik.glm`` computes it.

        For binomial and Poisson :math:`\phi = 1`. For gaussian, gamma and inverse
        Gaussian, R plugs in the maximum-likelihood dispersion :math:`D / \sum w_i`
        (gaussian: :math:`D/n`), which is what ``dispersion=None`` does here too.
        For binomial, ``y`` is the proportion and ``weights`` the number of trials.
        NaN for a quasi family (no likelihood; R gives NA).
        """
        if not self.has_likelihood:
            return float("nan")
        y_ = np.asarray(y, dtype=float)
        mu_ = np.asarray(mu, dtype=float)
        w = np.ones_like(y_) if weights is None else np.asarray(weights, dtype=float)
        phi = float("nan") if dispersion is None else float(dispersion)
        return float(self._loglik(y_, mu_, w, phi))

    def aic(self, y: ArrayLike, mu: ArrayLike, weights: ArrayLike | None, rank: int, *,
            loglik: float | None = None) -> float:
        r"""Akaike's criterion as R's ``glm`` reports it.

        :math:`\mathrm{AIC} = -2\ell + 2k`, where :math:`k` is the rank of X plus one
        when the dispersion is estimated (R's ``family$aic`` adds that 2 itself).
        Pass ``loglik`` when :math:`\ell` is already at hand, to save recomputing it.
        NaN for a quasi family (no likelihood; R gives NA).
        """
        if not self.has_likelihood:
            return float("nan")
        k = rank + (0 if self.dispersion_fixed else 1)
        ll = self.loglik(y, mu, weights) if loglik is None else loglik
        return -2.0 * ll + 2.0 * k

    def __repr__(self) -> str:
        variance = f", variance={self.variance_name}" if self.variance_name else ""
        return f"Family({self.name}, link={self.link.name}{variance})"


# --- helpers shared by the factories -----------------------------------------------------

def _ylogy(y: Array, mu: Array) -> Array:
    """``y * log(y / mu)`` with the limit 0 at ``y = 0``."""
    q = y / mu
    if isinstance(q, np.ndarray):
        return special.xlogy(y, q, out=q)  # in place: one n-vector, not two
    return special.xlogy(y, q)


def _log_factorial(k: Array) -> Array:
    r""":math:`\log k! = \log\Gamma(k + 1)`.

    Counts are usually whole numbers far fewer than the observations: then a table of
    ``gammaln(0 + 1), ..., gammaln(m + 1)`` gives the very same numbers as ``gammaln``
    on every element, many times faster.
    """
    if k.size:
        lo, hi = float(np.min(k)), float(np.max(k))
        if 0 <= lo and hi <= max(k.size, 256):
            whole = k.astype(np.intp)
            if np.array_equal(whole, k):
                return special.gammaln(np.arange(int(hi) + 1) + 1.0)[whole]
    return special.gammaln(k + 1)


def _is_binary(y: Array) -> bool:
    return bool(((y == 0) | (y == 1)).all())


def _pick(y: Array | Mask, mu: Array) -> Array:
    """``mu`` where ``y == 1`` and ``1 - mu`` where ``y == 0`` (for 0/1 data, or for the
    boolean mask of its 1s)."""
    out = 1 - mu
    np.copyto(out, mu, where=y if y.dtype == np.bool_ else y > 0)
    return out


def _binomial_variance(mu: Array) -> Array:
    r""":math:`V(\mu) = \mu(1 - \mu)`; for an array, with one n-vector made, not two."""
    if not isinstance(mu, np.ndarray) or mu.ndim == 0:
        return mu * (1 - mu)  # (a number stays a number)
    v = 1 - mu
    v *= mu
    return v


def _binary_unit_deviance(y: Array | Mask, mu: Array) -> Array:
    r"""The binomial unit deviance of a 0/1 response: one of its two terms vanishes, and
    :math:`-2\log\mu` (:math:`y = 1`) or :math:`-2\log(1 - \mu)` (:math:`y = 0`) is the
    same number with a third of the work (the hot path of logistic regression)."""
    d = _pick(y, mu)
    np.log(d, out=d)
    d *= -2
    return d


def _binomial_unit_deviance(y: Array, mu: Array) -> Array:
    r""":math:`2\{y\log(y/\mu) + (1-y)\log((1-y)/(1-\mu))\}`."""
    if _is_binary(y):
        return _binary_unit_deviance(y, mu)
    d = _ylogy(y, mu)
    d += _ylogy(1 - y, 1 - mu)
    d *= 2
    return d


def _make(
    name: str,
    link: str | Link,
    default: str,
    allowed: tuple[str, ...],
    **fields: object,
) -> Family:
    chosen = get_link(link)
    if chosen.name not in allowed and not (isinstance(link, Link) and link.name not in LINKS):
        raise GLMInputError(
            f"link: {chosen.name!r} is not available for the {name} family; "
            f"allowed links are {', '.join(map(repr, allowed))}"
        )
    return Family(name=name, link=chosen, canonical_link=default, allowed_links=allowed,
                  **fields)  # type: ignore[arg-type]


def _finite(mu: Array) -> Mask:
    return np.isfinite(mu)


def _positive(v: Array) -> Mask:
    return np.isfinite(v) & (v > 0)


def _unit_interval_open(mu: Array) -> Mask:
    # (0 < mu < 1 is false for NaN and for +-inf: the two comparisons test finiteness too)
    return (mu > 0) & (mu < 1)


# --- the five families -------------------------------------------------------------------

def gaussian(link: str | Link = "identity") -> Family:
    r"""Normal responses: :math:`V(\mu) = 1`, :math:`d(y, \mu) = (y - \mu)^2`.

    Allowed links: identity (canonical), log, inverse.
    """

    def loglik(y: Array, mu: Array, w: Array, phi: float) -> float:
        keep = w > 0  # zero-weight rows carry no information about sigma
        n = np.count_nonzero(keep)
        dev = np.sum(w[keep] * (y[keep] - mu[keep]) ** 2)
        sigma2 = dev / n if np.isnan(phi) else phi
        if sigma2 == 0:  # a perfect fit: the likelihood is unbounded (R: logLik Inf, AIC -Inf)
            return math.inf
        return float(-0.5 * (np.sum(np.log(2 * np.pi * sigma2 / w[keep]))
                             + np.sum(w[keep] * (y[keep] - mu[keep]) ** 2) / sigma2))

    return _make(
        "gaussian", link, "identity", ("identity", "log", "inverse"),
        variance=lambda mu: np.ones_like(mu),
        unit_deviance=lambda y, mu: (y - mu) ** 2,
        starting_mu=lambda y, w: y.astype(float, copy=True),
        valid_mu=_finite,
        valid_y=np.isfinite,
        y_domain="any real number",
        mu_domain="any real number",
        dispersion_fixed=False,
        _loglik=loglik,
    )


def binomial(link: str | Link = "logit") -> Family:
    r"""Binomial proportions: :math:`V(\mu) = \mu(1 - \mu)`.

    The response is a proportion :math:`y \in [0, 1]` with prior weight = number of
    trials (a 0/1 response has weight 1). Unit deviance
    :math:`d = 2\{y\log(y/\mu) + (1-y)\log((1-y)/(1-\mu))\}`.
    Allowed links: logit (canonical), probit, cloglog, cauchit, log.
    """

    def loglik(y: Array, mu: Array, w: Array, phi: float) -> float:
        # R: m = trials; dbinom(round(m*y), round(m), mu) weighted by w/m (= 1 here)
        m = np.round(w)
        if (m == 1).all() and _is_binary(y):
            ll = _pick(y, mu)  # log dbinom(y, 1, mu), no zero terms (log taken in place)
            return float(np.sum(np.log(ll, out=ll)))
        k = np.round(m * y)
        ll = special.xlogy(k, mu) + special.xlog1py(m - k, -mu)
        ll += special.gammaln(m + 1) - special.gammaln(k + 1) - special.gammaln(m - k + 1)
        return float(np.sum(ll[m > 0]))

    return _make(
        "binomial", link, "logit", ("logit", "probit", "cloglog", "cauchit", "log"),
        variance=_binomial_variance,
        unit_deviance=_binomial_unit_deviance,
        unit_deviance_01=_binary_unit_deviance,
        starting_mu=lambda y, w: (w * y + 0.5) / (w + 1),
        valid_mu=_unit_interval_open,
        valid_y=lambda y: np.isfinite(y) & (y >= 0) & (y <= 1),
        y_domain="proportions in [0, 1] (0/1 outcomes, or successes/trials with weights=trials)",
        mu_domain="the open interval (0, 1)",
        dispersion_fixed=True,
        _loglik=loglik,
        proportion_response=True,
    )


def poisson(link: str | Link = "log") -> Family:
    r"""Counts: :math:`V(\mu) = \mu`, :math:`d = 2\{y\log(y/\mu) - (y - \mu)\}`.

    Allowed links: log (canonical), identity, sqrt.
    """

    def loglik(y: Array, mu: Array, w: Array, phi: float) -> float:
        # log dpois(y, mu) = y log(mu) - log(y!) - mu: scipy.stats.poisson.logpmf's formula
        # and its numbers (-inf off the support, nan for a nan count or an invalid mean),
        # without its general machinery.
        ll = np.atleast_1d(special.xlogy(y, mu))
        ll -= _log_factorial(y)
        ll -= mu
        on_support = (y >= 0) & (y == np.floor(y))
        if not np.all(on_support):
            ll[~on_support] = -np.inf
            ll[np.isnan(y)] = np.nan
        ll[~(mu >= 0)] = np.nan
        return float(np.sum(w * ll))

    def unit_deviance(y: Array, mu: Array) -> Array:
        d = _ylogy(y, mu)  # 2 * (y log(y / mu) - (y - mu)), in place
        d -= y - mu
        d *= 2
        return d

    return _make(
        "poisson", link, "log", ("log", "identity", "sqrt"),
        variance=lambda mu: mu * 1.0,
        unit_deviance=unit_deviance,
        starting_mu=lambda y, w: y + 0.1,
        valid_mu=_positive,
        valid_y=lambda y: np.isfinite(y) & (y >= 0),
        y_domain="non-negative counts",
        mu_domain="positive real numbers",
        dispersion_fixed=True,
        _loglik=loglik,
    )


def gamma(link: str | Link = "inverse") -> Family:
    r"""Positive responses with constant CV: :math:`V(\mu) = \mu^2`.

    Unit deviance :math:`d = -2\{\log(y/\mu) - (y - \mu)/\mu\}`.
    Allowed links: inverse (canonical), log, identity.
    """

    def loglik(y: Array, mu: Array, w: Array, phi: float) -> float:
        dev = np.sum(w * -2 * (np.log(y / mu) - (y - mu) / mu))
        disp = dev / np.sum(w) if np.isnan(phi) else phi
        return float(np.sum(w * stats.gamma.logpdf(y, 1 / disp, scale=mu * disp)))

    return _make(
        "gamma", link, "inverse", ("inverse", "log", "identity"),
        variance=lambda mu: mu**2,
        unit_deviance=lambda y, mu: -2 * (np.log(y / mu) - (y - mu) / mu),
        starting_mu=lambda y, w: y.astype(float, copy=True),
        valid_mu=_positive,
        valid_y=_positive,
        y_domain="positive real numbers",
        mu_domain="positive real numbers",
        dispersion_fixed=False,
        _loglik=loglik,
    )


def inverse_gaussian(link: str | Link = "inverse_squared") -> Family:
    r"""Positive, right-skewed responses: :math:`V(\mu) = \mu^3`.

    Unit deviance :math:`d = (y - \mu)^2 / (y \mu^2)`.
    Allowed links: inverse_squared ``1/mu^2`` (canonical), inverse, log, identity.
    """

    def loglik(y: Array, mu: Array, w: Array, phi: float) -> float:
        dev = np.sum(w * (y - mu) ** 2 / (y * mu**2))
        disp = dev / np.sum(w) if np.isnan(phi) else phi
        # -2 loglik = sum w (log(2 pi disp) + 3 log y) + dev / disp; with R's
        # disp = dev / sum(w) the last term is sum(w), as in R's family$aic.
        return float(-0.5 * (np.sum(w) * np.log(disp * 2 * np.pi)
                             + 3 * np.sum(w * np.log(y)) + dev / disp))

    return _make(
        "inverse_gaussian", link, "inverse_squared",
        ("inverse_squared", "inverse", "log", "identity"),
        variance=lambda mu: mu**3,
        unit_deviance=lambda y, mu: (y - mu) ** 2 / (y * mu**2),
        starting_mu=lambda y, w: y.astype(float, copy=True),
        valid_mu=_positive,
        valid_y=_positive,
        y_domain="positive real numbers",
        mu_domain="positive real numbers",
        dispersion_fixed=False,
        _loglik=loglik,
    )


#: Family factories by name (``"Gamma"`` and ``"inverse.gaussian"`` are R's spellings).
FAMILIES: dict[str, Callable[..., Family]] = {
    "gaussian": gaussian,
    "binomial": binomial,
    "poisson": poisson,
    "gamma": gamma,
    "inverse_gaussian": inverse_gaussian,
}
_FAMILY_ALIASES = {"Gamma": "gamma", "inverse.gaussian": "inverse_gaussian", "normal": "gaussian",
                   "negative.binomial": "negative_binomial", "negbin": "negative_binomial"}

# The quasi families and the negative binomial (their own modules import this one, so
# they are registered here, once Family and the helpers above exist). They live in a
# registry of their own: FAMILIES is the five exponential families with a likelihood and
# no parameter of their own, which the link explorer, the IRLS explorer's menus and the
# registry-driven tests walk through.
from ._quasi import quasi, quasibinomial, quasipoisson  # noqa: E402
from .negbin import negative_binomial  # noqa: E402

#: Families for overdispersed data, by name: usable wherever a family name is.
OVERDISPERSION_FAMILIES: dict[str, Callable[..., Family]] = {
    "quasipoisson": quasipoisson,
    "quasibinomial": quasibinomial,
    "quasi": quasi,
    "negative_binomial": negative_binomial,
}


def get_family(family: str | Family, link: str | Link | None = None) -> Family:
    """Return a :class:`Family` from a name (optionally with a link) or pass one through.

    ``link`` is a link name, R's power link written as text (``"power(1/3)"``, see
    :func:`glmlearn.links.power`), or a :class:`~glmlearn.links.Link`:
    ``get_family("binomial", "probit")`` is ``binomial("probit")``.
    """
    if link is None and isinstance(family, str) and family in FAMILIES:
        return _default_family(family)  # (the usual call: a name alone)
    if isinstance(link, str):
        link = get_link(link)  # (so that a power link, not in LINKS, reaches the factory)
    if isinstance(family, Family):
        if link is not None:
            return _relinked(family.name, link, family)
        return family
    if not isinstance(family, str):
        raise GLMTypeError(
            f"family: expected a family name or a glmlearn Family, got "
            f"{type(family).__name__} {family!r}"
        )
    name = _FAMILY_ALIASES.get(family, family)
    known = {**FAMILIES, **OVERDISPERSION_FAMILIES}
    if name not in known:
        raise GLMInputError(
            f"family: unknown family {family!r}; known families are "
            f"{', '.join(map(repr, known))}"
        )
    if link is None:
        return _default_family(name) if name in FAMILIES else known[name]()
    return _relinked(name, link)


@functools.cache
def _default_family(name: str) -> Family:
    """One of the five families with its default link, built once: a Family is frozen,
    so every fit by name can share it (building one costs more than a small fit's step)."""
    return FAMILIES[name]()


def _relinked(name: str, link: Link, family: Family | None = None) -> Family:
    """The family ``name`` (``family`` itself, keeping its other settings) with ``link``."""
    # R offers power links to every family but binomial (whose mean must stay in (0, 1))
    if name == "binomial" and link.name.startswith("mu^"):
        allowed = ", ".join(map(repr, FAMILIES[name]().allowed_links))
        raise GLMInputError(f"link: the power link {link.name!r} is not available for the "
                            f"binomial family; allowed links are {allowed}")
    if family is not None and family._with_link is not None:
        return family._with_link(link)
    return {**FAMILIES, **OVERDISPERSION_FAMILIES}[name](link=link)
