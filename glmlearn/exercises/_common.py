"""The pieces the mistakes of every exercise are built from, all read from an IRLS state and
its family, and the state a ``grade_*`` function grades against."""

from __future__ import annotations

from typing import Any

from .._arrays import Array
from .._irls import IRLSState
from ..errors import GLMInputError
from ..family import Family
from ..linalg import solve_wls
from ..results import GLMResult

__all__: list[str] = []


# --- the pieces a mistake is built from (all read from the state and its family) -------------

def _fam(s: IRLSState) -> Family:
    return s.problem.family


def _pw(s: IRLSState) -> Array:
    return s.problem.prior_weights


def _V(s: IRLSState) -> Array:
    return _fam(s).variance(s.mu)


def _dmu(s: IRLSState) -> Array:  # dmu/deta
    return _fam(s).mu_eta(s.eta)


def _is_poisson(s: IRLSState) -> bool:
    return _fam(s).name == "poisson"


def _wls(s: IRLSState, w: Array, target: Array) -> Array:
    return solve_wls(s.problem.X, w, target).beta


def _as_state(state: Any) -> IRLSState:
    """The state to grade against: an IRLSState, or the last state of a result."""
    if isinstance(state, GLMResult):
        return state.final_state
    if isinstance(state, IRLSState):
        return state
    raise GLMInputError(f"state: expected an IRLSState or a GLMResult, got {type(state).__name__}")
