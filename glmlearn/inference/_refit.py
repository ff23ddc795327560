r"""Refit a model on some of its own columns: the smaller models that inference compares.

Analysis of deviance, single-term deletions and profile likelihood all need fits of the
*same* data -- response, prior weights, offset, family -- with fewer columns of
:math:`X` (or with one coefficient held fixed, moved into the offset). :func:`refit`
makes them from the problem the full fit kept, so nothing is read twice from the user.

A :class:`SubFit` keeps what the comparisons read of a refit: its deviance and residual
degrees of freedom, its rank, and for the score (Rao) test its working residuals
:math:`r = (y - \hat\mu)\,g'(\hat\mu)` and the working weights :math:`w` of its last
weighted least-squares step (R's ``fit$residuals`` and ``fit$weights``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from .._arrays import Array
from .._diagnostics import diagnose
from .._irls import run_irls
from ..errors import GLMInputError, Trouble
from ..problem import GLMProblem, Term

__all__ = ["SubFit", "model_terms", "refit"]


@dataclass(frozen=True)
class SubFit:
    """What inference reads of one refit (see the module docstring).

    Attributes
    ----------
    columns : tuple of int
        The columns of the full model's X that were kept.
    deviance : float
    df_residual : int
    rank : int
    resid_working : (n,) ndarray
    w : (n,) ndarray
        Working weights of the last weighted least-squares step.
    beta : (len(columns),) ndarray
    converged : bool
    """

    columns: tuple[int, ...]
    deviance: float
    df_residual: int
    rank: int
    resid_working: Array
    w: Array
    beta: Array
    converged: bool


def _empty_fit(problem: GLMProblem, offset: Array) -> SubFit:
    r"""The model with no column: :math:`\eta = o`, nothing to estimate (R's empty model)."""
    fam, pw = problem.family, problem.prior_weights
    with np.errstate(divide="ignore", invalid="ignore"):
        mu = fam.link_inverse(np.asarray(offset, dtype=float))
        d = fam.mu_eta(np.asarray(offset, dtype=float))
        deviance = float(fam.deviance(problem.y, mu, pw))
        w = pw * d**2 / fam.variance(mu)
        r = (problem.y - mu) / d
    return SubFit((), deviance, problem.n_obs, 0, r, w, np.zeros(0), True)


def refit(problem: GLMProblem, columns: Sequence[int], *, offset: Array | None = None,
          start: Array | None = None, eta_start: Array | None = None, max_iter: int = 25,
          tol: float = 1e-8, what: str = "") -> SubFit:
    """Fit the model on ``columns`` of ``problem.X`` (same y, weights, family).

    Parameters
    ----------
    problem : GLMProblem
        The full model's validated data.
    columns : sequence of int
        Columns of X to keep, in order.
    offset : (n,) ndarray, optional
        Replaces the problem's offset (profiling moves :math:`\beta_j x_j` into it).
    start : ndarray, optional
        Starting coefficients for the kept columns.
    eta_start : (n,) ndarray, optional
        A starting linear predictor instead (R's ``etastart``; used when ``start`` is not
        given): the means IRLS starts from, whatever the new offset.
    what : str
        Words for the refit, put before any trouble it meets (e.g. "without sex").

    Numerical trouble met by the refit (non-convergence, separation...) is warned once
    each, naming the refit, with the warning category of :func:`glmlearn.fit`.
    """
    cols = tuple(int(j) for j in columns)
    off = problem.offset if offset is None else offset
    if not cols:
        return _empty_fit(problem, off)
    X = np.ascontiguousarray(problem.X[:, cols])
    constant = (X == X[0]).all(axis=0) & (X[0] != 0)
    sub = replace(problem, X=X, column_names=tuple(problem.column_names[j] for j in cols),
                  offset=np.asarray(off, dtype=float), has_intercept=bool(constant.any()),
                  troubles=(), terms=())
    eta0 = None if eta_start is None else ("etastart", np.asarray(eta_start, dtype=float))
    states = tuple(run_irls(sub, start=start, eta_start=eta0, max_iter=max_iter, tol=tol))
    diagnosis = diagnose(sub, states, max_iter)
    for trouble in diagnosis.troubles:
        label = f"refit {what}: " if what else "refit: "
        Trouble(trouble.kind, trouble.flag, label + trouble.message).warn(stacklevel=3)
    # What a GLMResult would say, without its null deviance (a refit far from the
    # estimate, with its large offset, need not have a valid null model)
    final, fam = states[-1], problem.family
    assert final.beta is not None
    rank = int(np.count_nonzero(~np.isnan(final.beta)))
    resid_working = (problem.y - final.mu) / fam.mu_eta(final.eta)
    return SubFit(cols, float(final.deviance), problem.n_obs - rank, rank,
                  np.asarray(resid_working), np.asarray(states[-2].w), np.asarray(final.beta),
                  bool(final.converged))


def model_terms(problem: GLMProblem, terms: object = None
                ) -> tuple[tuple[int, ...], tuple[Term, ...]]:
    """The null model's columns and the model's terms, in order.

    Without ``terms``: ``problem.model_terms`` (a formula's terms, or one term per column of
    an array fit), the intercept -- a constant non-zero column, or the columns no formula
    term owns -- making the null model. With ``terms``, a mapping from a term's name to its
    columns (names or indices of X, e.g. ``{"outcome": ["outcome2", "outcome3"]}``), the
    columns it does not name make the null model.
    """
    if terms is None:
        if problem.terms:
            # A formula's intercept is a term of the design but the null model of the
            # tables, as R's anova: it is neither added nor dropped.
            kept = tuple(t for t in problem.terms if t.name != "(Intercept)")
            owned = {j for t in kept for j in t.columns}
            return tuple(j for j in range(problem.p) if j not in owned), kept
        X = problem.X
        constant = np.flatnonzero((X == X[0]).all(axis=0) & (X[0] != 0))
        null = (int(constant[0]),) if constant.size else ()
        return null, tuple(t for t in problem.model_terms if t.columns != null)
    if not hasattr(terms, "items"):
        raise GLMInputError(
            f"terms: expected a mapping from a term's name to its columns, e.g. "
            f"{{'outcome': ['outcome2', 'outcome3']}}, got {type(terms).__name__}"
        )
    names = problem.column_names
    out, seen = [], set()
    for name, cols in terms.items():
        idx = []
        for c in ([cols] if isinstance(cols, str | int) else cols):
            if isinstance(c, str):
                if c not in names:
                    raise GLMInputError(f"terms: column {c!r} of term {name!r} is not a column "
                                        f"of X (columns: {', '.join(names)})")
                j = names.index(c)
            else:
                j = int(c)
                if not 0 <= j < problem.p:
                    raise GLMInputError(f"terms: column index {j} of term {name!r} is outside "
                                        f"0..{problem.p - 1}")
            if j in seen:
                raise GLMInputError(f"terms: column {names[j]!r} is given to two terms")
            seen.add(j)
            idx.append(j)
        out.append(Term(str(name), tuple(idx)))
    return tuple(j for j in range(problem.p) if j not in seen), tuple(out)
