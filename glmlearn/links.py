r"""Link functions: the map :math:`\eta = g(\mu)` between the mean and the linear predictor.

Each link is a small immutable :class:`Link` holding four vectorised functions

* ``link(mu)``          :math:`\eta = g(\mu)`
* ``inverse(eta)``      :math:`\mu = g^{-1}(\eta)`
* ``deriv(mu)``         :math:`d\eta/d\mu = g'(\mu)`
* ``inverse_deriv(eta)`` :math:`d\mu/d\eta = 1 / g'(g^{-1}(\eta))`

and the domain of :math:`\eta` on which the inverse gives a valid mean.

The inverses are R's (``make.link`` in R's *stats* package), including its guards:
the logit, probit, cauchit and cloglog inverses keep :math:`\mu` a machine epsilon
inside :math:`(0, 1)`, and :math:`d\mu/d\eta` never falls below machine epsilon,
so the working weights of IRLS stay finite and positive. That is what makes
glmlearn's fits agree with R's to the last printed digit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats

from ._arrays import Array, any_true

__all__ = ["LINKS", "Link", "get_link", "power"]

Mask = NDArray[np.bool_]
_EPS = float(np.finfo(float).eps)
_LOGIT_THRESH = 30.0  # R's THRESH in logit_linkinv: beyond |eta| > 30 the mean is clamped
_PROBIT_THRESH = float(-stats.norm.ppf(_EPS))
_CAUCHIT_THRESH = float(-stats.cauchy.ppf(_EPS))


def _all_reals(eta: Array) -> Mask:
    return np.isfinite(eta)


def _positive(eta: Array) -> Mask:
    return np.isfinite(eta) & (eta > 0)


def _nonzero(eta: Array) -> Mask:
    return np.isfinite(eta) & (eta != 0)


@dataclass(frozen=True, eq=False)
class Link:
    r"""A link function :math:`g` with its inverse and both derivatives.

    Parameters
    ----------
    name : str
        R's name of the link (``"logit"``, ``"1/mu^2"`` is called ``"inverse_squared"``).
    link, inverse, deriv, inverse_deriv : callable
        :math:`g(\mu)`, :math:`g^{-1}(\eta)`, :math:`g'(\mu)` and :math:`d\mu/d\eta`.
    valid_eta : callable
        Boolean mask of the linear-predictor values the inverse accepts.
    eta_domain : str
        The same domain in words, for messages and lessons.
    formula : str
        :math:`g` written out, e.g. ``"eta = log(mu / (1 - mu))"``.
    mu_eta_is_mu : bool
        True when ``inverse_deriv(eta)`` is the same number as ``inverse(eta)`` (the log
        link: :math:`d\mu/d\eta = e^\eta = \mu`), so IRLS can skip computing it twice.
    inverse_inside_unit_interval : bool
        True when ``inverse`` maps every finite eta strictly inside (0, 1) (R's guards of
        the logit, probit, cloglog and cauchit inverses) and ``valid_eta`` accepts every
        finite eta, so that a finite eta is all a binomial mean needs to be valid.
    """

    name: str
    link: Callable[[Array], Array]
    inverse: Callable[[Array], Array]
    deriv: Callable[[Array], Array]
    inverse_deriv: Callable[[Array], Array]
    valid_eta: Callable[[Array], Mask]
    eta_domain: str
    formula: str
    mu_eta_is_mu: bool = False
    inverse_inside_unit_interval: bool = False

    def __call__(self, mu: ArrayLike) -> Array:
        """Apply the link: ``g(mu)``."""
        return self.link(np.asarray(mu, dtype=float))

    def __repr__(self) -> str:
        return f"Link({self.name!r}: {self.formula})"


# --- the links, in R's order -------------------------------------------------------------

def _beyond(a: Array, thresh: float) -> bool:
    """Whether some element of ``a`` (of any shape) is above ``thresh`` (a NaN is not)."""
    return any_true(a > thresh)


def _logit_inverse(eta: Array) -> Array:
    # R: t = exp(eta) clamped to [eps, 1/eps] (beyond |eta| > 30), then mu = t / (1 + t),
    # so mu never reaches 0 or 1. asarray keeps a 0-d eta an array (numpy returns a
    # scalar for it), so the in-place steps below work for it too.
    if _beyond(np.abs(eta), _LOGIT_THRESH):  # rare: only then clamp (np.clip's numbers)
        t = np.asarray(np.maximum(eta, -_LOGIT_THRESH))
        np.minimum(t, _LOGIT_THRESH, out=t)
        np.exp(t, out=t)
        t[eta < -_LOGIT_THRESH] = _EPS
        t[eta > _LOGIT_THRESH] = 1 / _EPS
    else:  # every |eta| <= 30 (or NaN): the clamp would change nothing
        t = np.asarray(np.exp(eta))
    t /= 1 + t
    return t


def _logit_inverse_deriv(eta: Array) -> Array:
    # R: exp(eta) / (1 + exp(eta))^2 (eps beyond |eta| > 30), written with exp(-|eta|)
    # so it never overflows.
    a = np.abs(eta)
    e = np.asarray(-a)  # arrays even for a 0-d eta (written in place)
    np.exp(e, out=e)
    d = np.asarray(e + 1)
    d *= d
    np.divide(e, d, out=d)
    if _beyond(a, _LOGIT_THRESH):
        d[a > _LOGIT_THRESH] = _EPS
    return d


def _probit_inverse(eta: Array) -> Array:
    # R clamps eta to +-qnorm(eps); np.clip costs more than asking whether it is needed
    if _beyond(np.abs(eta), _PROBIT_THRESH):
        eta = np.clip(eta, -_PROBIT_THRESH, _PROBIT_THRESH)
    return special.ndtr(eta)


def _cauchit_inverse(eta: Array) -> Array:
    return stats.cauchy.cdf(np.clip(eta, -_CAUCHIT_THRESH, _CAUCHIT_THRESH))


def _cloglog_inverse(eta: Array) -> Array:
    # Capping eta at 700 keeps exp() finite; the result is clamped to 1 - eps long before.
    return np.clip(-np.expm1(-np.exp(np.minimum(eta, 700.0))), _EPS, 1 - _EPS)


def _cloglog_inverse_deriv(eta: Array) -> Array:
    e = np.minimum(eta, 700.0)  # R caps eta at 700 so exp(eta) stays finite
    return np.maximum(np.exp(e) * np.exp(-np.exp(e)), _EPS)


LINKS: dict[str, Link] = {
    "identity": Link(
        "identity",
        link=lambda mu: mu * 1.0,
        inverse=lambda eta: eta * 1.0,
        deriv=lambda mu: np.ones_like(mu, dtype=float),
        inverse_deriv=lambda eta: np.ones_like(eta, dtype=float),
        valid_eta=_all_reals,
        eta_domain="all real numbers",
        formula="eta = mu",
    ),
    "log": Link(
        "log",
        link=np.log,
        inverse=lambda eta: np.maximum(np.exp(eta), _EPS),
        deriv=lambda mu: 1 / mu,
        inverse_deriv=lambda eta: np.maximum(np.exp(eta), _EPS),
        valid_eta=_all_reals,
        eta_domain="all real numbers",
        formula="eta = log(mu)",
        mu_eta_is_mu=True,  # the very same expression as `inverse`
    ),
    "logit": Link(
        "logit",
        link=special.logit,
        inverse=_logit_inverse,
        deriv=lambda mu: 1 / (mu * (1 - mu)),
        inverse_deriv=_logit_inverse_deriv,
        valid_eta=_all_reals,
        eta_domain="all real numbers",
        formula="eta = log(mu / (1 - mu))",
        inverse_inside_unit_interval=True,
    ),
    "probit": Link(
        "probit",
        link=special.ndtri,
        inverse=_probit_inverse,
        deriv=lambda mu: 1 / np.maximum(stats.norm.pdf(special.ndtri(mu)), _EPS),
        inverse_deriv=lambda eta: np.maximum(stats.norm.pdf(eta), _EPS),
        valid_eta=_all_reals,
        eta_domain="all real numbers",
        formula="eta = Phi^{-1}(mu)  (standard normal quantile)",
        inverse_inside_unit_interval=True,
    ),
    "cloglog": Link(
        "cloglog",
        link=lambda mu: np.log(-np.log1p(-mu)),
        inverse=_cloglog_inverse,
        deriv=lambda mu: -1 / ((1 - mu) * np.log1p(-mu)),
        inverse_deriv=_cloglog_inverse_deriv,
        valid_eta=_all_reals,
        eta_domain="all real numbers",
        formula="eta = log(-log(1 - mu))",
        inverse_inside_unit_interval=True,
    ),
    "cauchit": Link(
        "cauchit",
        link=lambda mu: np.tan(np.pi * (mu - 0.5)),
        inverse=_cauchit_inverse,
        deriv=lambda mu: np.pi / np.cos(np.pi * (mu - 0.5)) ** 2,
        inverse_deriv=lambda eta: np.maximum(stats.cauchy.pdf(eta), _EPS),
        valid_eta=_all_reals,
        eta_domain="all real numbers",
        formula="eta = tan(pi * (mu - 1/2))  (standard Cauchy quantile)",
        inverse_inside_unit_interval=True,
    ),
    "inverse": Link(
        "inverse",
        link=lambda mu: 1 / mu,
        inverse=lambda eta: 1 / eta,
        deriv=lambda mu: -1 / mu**2,
        inverse_deriv=lambda eta: -1 / eta**2,
        valid_eta=_nonzero,
        eta_domain="all real numbers except 0",
        formula="eta = 1 / mu",
    ),
    "inverse_squared": Link(
        "inverse_squared",
        link=lambda mu: 1 / mu**2,
        inverse=lambda eta: 1 / np.sqrt(eta),
        deriv=lambda mu: -2 / mu**3,
        inverse_deriv=lambda eta: -1 / (2 * eta**1.5),
        valid_eta=_positive,
        eta_domain="positive real numbers",
        formula="eta = 1 / mu^2",
    ),
    "sqrt": Link(
        "sqrt",
        link=np.sqrt,
        inverse=lambda eta: eta**2,
        deriv=lambda mu: 1 / (2 * np.sqrt(mu)),
        inverse_deriv=lambda eta: 2 * eta,
        valid_eta=_positive,
        eta_domain="positive real numbers",
        formula="eta = sqrt(mu)",
    ),
}

#: Other spellings accepted for a link name (R's own names included).
ALIASES: dict[str, str] = {"1/mu^2": "inverse_squared", "inverse.squared": "inverse_squared"}


def power(lam: float) -> Link:
    r"""The power link :math:`\eta = \mu^\lambda` (R's ``power(lambda)``).

    :math:`\lambda = 1` is the identity link and :math:`\lambda = 0` the log link (the
    limit of :math:`(\mu^\lambda - 1)/\lambda`), as in R. For :math:`\lambda > 0`,
    :math:`g^{-1}(\eta) = \eta^{1/\lambda}` and
    :math:`d\mu/d\eta = \eta^{1/\lambda - 1}/\lambda`, for :math:`\eta > 0`, with R's
    guards (:math:`\mu` and :math:`d\mu/d\eta` kept at least machine epsilon). The name is
    R's, ``"mu^0.333"`` (three decimals). A negative power is refused: R's ``power()``
    quietly gives the log link for it; the links ``"inverse"`` (:math:`\lambda = -1`) and
    ``"inverse_squared"`` (:math:`\lambda = -2`) are named links.

    Examples
    --------
    >>> power(1/3).name, power(0).name
    ('mu^0.333', 'log')
    """
    from .errors import GLMInputError

    if isinstance(lam, bool) or not isinstance(lam, int | float | np.integer | np.floating) \
            or not np.isfinite(lam):
        raise GLMInputError(f"link: the power of power(lambda) must be a finite number, got "
                            f"{lam!r}")
    lam = float(lam)
    if lam < 0:
        raise GLMInputError(f"link: power({lam:g}) has a negative power; use the link "
                            "'inverse' for power -1 or 'inverse_squared' for power -2")
    if lam == 1:
        return LINKS["identity"]
    if lam == 0:
        return LINKS["log"]
    return Link(
        f"mu^{round(lam, 3):g}",
        link=lambda mu: mu**lam,
        inverse=lambda eta: np.maximum(eta ** (1 / lam), _EPS),
        deriv=lambda mu: lam * mu ** (lam - 1),
        inverse_deriv=lambda eta: np.maximum((1 / lam) * eta ** (1 / lam - 1), _EPS),
        valid_eta=_positive,
        eta_domain="positive real numbers",
        formula=f"eta = mu^{lam:g}",
    )


_POWER = re.compile(r"^\s*power\(\s*([-+]?[0-9.eE+-]+)\s*(?:/\s*([0-9.eE+-]+)\s*)?\)\s*$")


def get_link(link: str | Link) -> Link:
    """Return the :class:`Link` named ``link`` (or ``link`` itself if it is a Link).

    Raises
    ------
    GLMInputError
        If the name is unknown; the message lists the known names.
    GLMTypeError
        If ``link`` is neither a string nor a :class:`Link`.
    """
    from .errors import GLMInputError, GLMTypeError

    if isinstance(link, Link):
        return link
    if not isinstance(link, str):
        raise GLMTypeError(
            f"link: expected a link name or a glmlearn Link, got {type(link).__name__} {link!r}"
        )
    name = ALIASES.get(link, link)
    match = _POWER.match(name)
    if match:  # "power(1/3)", "power(0.5)": R's power() written as text
        try:
            lam = float(match[1]) / (float(match[2]) if match[2] else 1.0)
        except (ValueError, ZeroDivisionError):
            lam = float("nan")
        return power(lam)
    if name not in LINKS:
        raise GLMInputError(
            f"link: unknown link {link!r}; known links are {', '.join(map(repr, LINKS))}, "
            "and power(lambda), e.g. 'power(1/3)'"
        )
    return LINKS[name]
