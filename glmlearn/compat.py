"""Plain-function names for hand-written IRLS code: ``logit_link``, ``fit_glm_irls``, ...

Hand-written IRLS code in the tutorial style calls links as free functions
(``logit_link(mu)``, ``logit_link_inverse(eta)``) and fits with
``fit_glm_irls(y, X, weights=..., family=...)``, reading ``result["coef"]``,
``result["converged"]`` and ``result["n_iter"]``. This module keeps such code running.
New code should use the link objects (``glmlearn.LINKS["logit"].inverse``) and
:func:`glmlearn.fit`, which returns the full :class:`~glmlearn.GLMResult`.

The link functions are generated from the registry :data:`glmlearn.links.LINKS`: for every
registered link ``<name>`` there is ``<name>_link(mu)`` (:math:`\\eta = g(\\mu)`) and
``<name>_link_inverse(eta)`` (:math:`\\mu = g^{-1}(\\eta)`), so a new link gets its names
the moment it is registered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._arrays import Array
from ._fit import fit
from .family import Family
from .linalg import find_aliased, solve_wls, weighted_gram
from .links import LINKS, Link
from .results import GLMResult

# --- <link>_link and <link>_link_inverse, one pair per registered link ---------------------

def _link_function(link: Link) -> Callable[[ArrayLike], Array]:
    def forward(mu: ArrayLike) -> Array:
        return link.link(np.asarray(mu, dtype=float))

    forward.__name__ = forward.__qualname__ = f"{link.name}_link"
    forward.__doc__ = f"The {link.name} link, ``{link.formula}``."
    return forward


def _inverse_function(link: Link) -> Callable[[ArrayLike], Array]:
    def inverse(eta: ArrayLike) -> Array:
        return link.inverse(np.asarray(eta, dtype=float))

    inverse.__name__ = inverse.__qualname__ = f"{link.name}_link_inverse"
    inverse.__doc__ = (f"Inverse of the {link.name} link (``{link.formula}`` solved for mu); "
                       f"eta in {link.eta_domain}.")
    return inverse


LINK_FUNCTIONS: dict[str, Callable[[ArrayLike], Array]] = {}
for _link in LINKS.values():
    LINK_FUNCTIONS[f"{_link.name}_link"] = _link_function(_link)
    LINK_FUNCTIONS[f"{_link.name}_link_inverse"] = _inverse_function(_link)
globals().update(LINK_FUNCTIONS)
del _link


def __getattr__(name: str) -> Any:  # for type checkers and a clear message on a typo
    raise AttributeError(
        f"module 'glmlearn.compat' has no attribute {name!r}; the link functions are "
        f"{', '.join(sorted(LINK_FUNCTIONS))}"
    )


# --- fit_glm_irls ----------------------------------------------------------------------------

class IRLSFit(Mapping[str, Any]):
    """Read-only mapping view of a :class:`GLMResult` with the tutorial's keys.

    Keys: ``coef``, ``converged``, ``n_iter``, ``deviance``, ``fitted``, ``eta``,
    ``weights`` (working weights), ``bse``, ``trace``. ``.result`` is the GLMResult.
    """

    def __init__(self, result: GLMResult) -> None:
        self.result = result
        self._items = {
            "coef": result.coef,
            "converged": result.converged,
            "n_iter": result.n_iter,
            "deviance": result.deviance,
            "fitted": result.mu,
            "eta": result.eta,
            "weights": result.w,
            "bse": result.se,
            "trace": result.trace,
        }

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"IRLSFit(coef={self['coef']}, converged={self['converged']}, n_iter={self['n_iter']})"


def fit_glm_irls(
    y: Any,
    X: Any,
    weights: Any = None,
    family: Family | str = "gaussian",
    *,
    offset: Any = None,
    max_iter: int = 25,
    tol: float = 1e-8,
) -> IRLSFit:
    """Fit a GLM by IRLS, tutorial style: note the order, ``y`` first.

    :func:`glmlearn.fit` takes ``X`` first, as the design comes before the response in
    :math:`y \\approx g^{-1}(X\\beta)`; this wrapper keeps the tutorial's order.

    Returns
    -------
    IRLSFit
        A mapping with at least ``"coef"``, ``"converged"`` and ``"n_iter"``.
    """
    return IRLSFit(fit(X, y, family, weights=weights, offset=offset, max_iter=max_iter, tol=tol))


__all__ = ["LINK_FUNCTIONS", "IRLSFit", "find_aliased", "fit_glm_irls", "solve_wls",
           "weighted_gram", *LINK_FUNCTIONS]
