"""``fit()``: run IRLS to the end, diagnose the trace once, and build a :class:`GLMResult`.

The numerical trouble a learner should be told about (non-convergence, step-halving,
separation, boundary fits, rank deficiency, no residual degrees of freedom) is found by
:func:`glmlearn._diagnostics.diagnose` from the finished trace, after the trouble found in
the data at the door (no intercept column, non-integer binomial counts: ``problem.troubles``);
``fit`` warns once per trouble, with glmlearn's own warning categories, and keeps the
troubles on the result (``result.troubles``, read by ``result.flags`` and
``result.warnings``).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from ._arrays import any_true
from ._diagnostics import detect_separation, diagnose
from ._irls import HalvingRule, TraceMode, run_irls
from ._negbin_fit import wants_theta_estimated as _theta_left_out
from .errors import GLMInputError, GLMTypeError
from .family import Family
from .formula import read_problem
from .problem import check_controls, check_eta_start, check_start
from .results import GLMResult, result_from_trace

__all__ = ["detect_separation", "fit"]


def fit(
    X: Any,
    y: Any = None,
    family: Family | str = "gaussian",
    *,
    data: Any = None,
    link: Any = None,
    exposure: Any = None,
    na_action: Literal["omit", "raise"] = "omit",
    weights: Any = None,
    offset: Any = None,
    start: Any = None,
    max_iter: int = 25,
    tol: float = 1e-8,
    trace: TraceMode = "auto",
    method: str = "fisher",
    step_size: float | None = None,
    step_halving: HalvingRule = "R",
    mustart: Any = None,
    etastart: Any = None,
    column_names: Any = None,
    response_name: str | None = None,
    intercept: bool = True,
    singular_ok: bool = True,
) -> GLMResult:
    """Fit a GLM by IRLS, keeping every iteration.

    Parameters
    ----------
    X, y, family, weights, offset, start, max_iter, tol, trace, step_halving, mustart, etastart
        As for :func:`glmlearn.irls` (``step_halving="R"``: R's rule, halving only for a
        non-finite deviance or an invalid eta/mu; ``"deviance"``: glm2's, also when the
        deviance rises).
    method : {"fisher", "newton", "gradient"}
        How each step is proposed, as for :func:`glmlearn.irls`: ``"fisher"`` is IRLS
        (Fisher scoring, R's ``glm``), ``"newton"`` Newton-Raphson on the observed
        information, ``"gradient"`` gradient ascent (raise ``max_iter``). The result's
        inference is the same for all three: R's, from the last step's working weights.
        A negative binomial with theta estimated takes Fisher scoring only (MASS's
        ``glm.nb``).
    step_size : float, optional
        A fixed step size for ``method="gradient"``.
    data, link, exposure
        As for :func:`glmlearn.irls`. For a formula fit, X is the formula:
        ``fit("counts ~ outcome + treatment", data=df, family="poisson")``
        (:mod:`glmlearn.formula`: R's conventions for factors, names, ``- 1``).
    na_action : {"omit", "raise"}
        A formula fit leaves out rows with a missing value in a variable it uses, as R's
        ``na.omit`` does, with a :class:`~glmlearn.errors.MissingValuesNotice` (flag
        ``na_omit``); ``"raise"`` refuses them.
    column_names : sequence of str, optional
        Names for the columns of X (a DataFrame's own names are used otherwise).
    response_name : str, optional
        Name of the response for the summary (a Series' own name is used otherwise).
    intercept : bool, default True
        Whether the model is meant to have an intercept (R's ``glm(y ~ x)`` has one).
        glmlearn never adds the column: put a column of ones in X. With True and no
        intercept column in X, ``fit`` warns an :class:`~glmlearn.errors.InterceptNotice`
        (flag ``no_intercept``); pass False for a model without intercept on purpose.
    singular_ok : bool, default True
        R's ``singular.ok``. With True, columns of X that are linear combinations of
        earlier ones are aliased (coefficient NaN) and the fit goes on with a
        :class:`~glmlearn.errors.RankDeficiencyWarning`; with False such an X is an error.

    Returns
    -------
    GLMResult

    Examples
    --------
    >>> import numpy as np, glmlearn
    >>> X = np.column_stack([np.ones(5), [1.0, 2.0, 3.0, 4.0, 5.0]])
    >>> res = glmlearn.fit(X, [1, 0, 2, 4, 5], "poisson")
    >>> res.converged, res.n_iter
    (True, 4)
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1, 0, 2, 4, 5], "dose": [1.0, 2.0, 3.0, 4.0, 5.0]})
    >>> glmlearn.fit("y ~ dose", data=df, family="poisson").column_names
    ('(Intercept)', 'dose')
    """
    theta_wanted = wants_theta_estimated(family)
    if theta_wanted:  # theta left out: MASS's glm.nb, two loops (validated as its data)
        from .negbin import negative_binomial

        nb_link = link if link is not None else (
            family.link if isinstance(family, Family) else "log")
        family, link = negative_binomial(1.0, nb_link), None
    # fit("y ~ x", data=df): the formula builds X from the data
    problem = read_problem(X, y, family, data=data, link=link, weights=weights, offset=offset,
                           exposure=exposure, na_action=na_action, column_names=column_names,
                           response_name=response_name, intercept=intercept)
    if theta_wanted:
        from ._negbin_fit import fit_negative_binomial_problem

        if method != "fisher" or step_size is not None:
            raise GLMInputError(
                f"method: a negative binomial with theta estimated is fitted by Fisher "
                f"scoring (MASS's glm.nb alternates IRLS and theta's own Newton search), "
                f"got method={method!r}"
                + ("" if step_size is None else f", step_size={step_size!r}")
                + "; leave method out, or fix theta: "
                "family=glmlearn.negative_binomial(theta)")
        return fit_negative_binomial_problem(problem, start=start, max_iter=max_iter,
                                             tol=tol, trace=trace, _stacklevel=4)
    check_controls(max_iter, tol, step_halving)
    states = tuple(run_irls(problem, start=check_start(start, problem), max_iter=max_iter,
                            tol=tol, trace=trace, method=method, step_size=step_size,
                            step_halving=step_halving,
                            eta_start=check_eta_start(problem, mustart, etastart)))
    if not isinstance(singular_ok, bool | np.bool_):
        raise GLMTypeError(f"singular_ok: expected True or False, got {singular_ok!r}")
    aliased = None if singular_ok else np.isnan(np.asarray(states[-1].beta))
    if aliased is not None and any_true(aliased):
        names = [n for n, a in zip(problem.column_names, aliased, strict=True) if a]
        raise GLMInputError(
            f"X: singular fit encountered (singular_ok=False): {', '.join(names)} "
            f"{'is' if len(names) == 1 else 'are'} linearly dependent on earlier columns "
            f"(rank {problem.p - len(names)} < {problem.p} columns); drop "
            f"{'it' if len(names) == 1 else 'them'}, or pass singular_ok=True to fit "
            "without them (their coefficients are then NaN, as in R)")
    diagnosis = diagnose(problem, states, max_iter)
    for trouble in diagnosis.troubles:
        trouble.warn(stacklevel=2)
    return result_from_trace(problem, states, diagnosis)


def wants_theta_estimated(family: Any) -> bool:
    """Whether ``family`` is a negative binomial with its theta left out."""
    return _theta_left_out(family)
