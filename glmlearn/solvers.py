"""``fit_glm_irls``: the seed lesson's entry point, a thin wrapper over :func:`glmlearn.fit`.

The reference lesson calls ``fit_glm_irls(y, X, weights=..., family=...)`` and reads
``result["coef"]``, ``result["converged"]`` and ``result["n_iter"]``; this keeps that code
running unchanged. New code should call :func:`glmlearn.fit`, which returns the full
:class:`~glmlearn.results.GLMResult`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .family import Family
from .glm import fit
from .linalg import find_aliased, solve_wls, weighted_gram
from .results import GLMResult

__all__ = ["IRLSFit", "find_aliased", "fit_glm_irls", "solve_wls", "weighted_gram"]


class IRLSFit(Mapping[str, Any]):
    """Read-only mapping view of a :class:`GLMResult` with the seed lesson's keys.

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
            "fitted": result.fitted_values,
            "eta": result.linear_predictor,
            "weights": result.working_weights,
            "bse": result.bse,
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
    """Fit a GLM by IRLS (note the order: ``y`` first, as in the seed lesson).

    Returns
    -------
    IRLSFit
        A mapping with at least ``"coef"``, ``"converged"`` and ``"n_iter"``.
    """
    return IRLSFit(fit(X, y, family, weights=weights, offset=offset, max_iter=max_iter, tol=tol))
