r"""Iteratively reweighted least squares, one immutable state per iteration.

The loop reads like the textbook. From the current linear predictor :math:`\eta`:

1. means            :math:`\mu = g^{-1}(\eta)`
2. working response :math:`z = \eta + (y - \mu)\, g'(\mu)`
3. working weights  :math:`w = w^{\text{prior}} / \{V(\mu)\, g'(\mu)^2\}`
4. weighted least squares  :math:`\beta^{\text{next}} = \arg\min \sum_i w_i (z_i - o_i - x_i^\top\beta)^2`
   (:math:`o` is the offset)
5. update :math:`\eta = X\beta^{\text{next}} + o`, halving the step towards the previous
   :math:`\beta` while the deviance is not finite or :math:`\eta` or :math:`\mu` leaves its
   valid range (R's ``glm.fit``: ``step_halving="R"``, the default), and with
   ``step_halving="deviance"`` also while the deviance rises (the rule of the R package
   glm2, Marschner 2011, *The R Journal* 3(2));
6. converged when R's criterion :math:`|D - D_{\text{old}}| / (|D| + 0.1) <` ``tol``.

The loop never warns: what happened (halvings, a stalled step, the criterion) is recorded
on the states, and :func:`glmlearn.fit` turns a finished trace into warnings once
(``glmlearn/_diagnostics.py``).

Steps 2-4 are the small public functions :func:`working_response`,
:func:`working_weights` and :func:`glmlearn.linalg.solve_wls`; :func:`score` is the
gradient :math:`X^\top \operatorname{diag}(w^{\text{prior}} \mu'(\eta)/V(\mu))\,(y - \mu)`.

State 0 holds the starting values: R's ``mustart`` (then ``beta`` is None) or
:math:`X\beta^{(0)} + o` when ``start`` is given.

Memory: a state keeps its n-length vectors (eta, mu, w, z) when the problem has at
most ``FULL_TRACE_MAX_N`` = 50 000 rows (or ``trace="full"``). Above that
(``trace="auto"``) the states are *compact*: they keep beta, the deviance, the score
and the scalars, and recompute eta, mu, w and z from beta when asked, with the very
same code, so the numbers are identical; the last state always keeps eta and mu.
The loop holds one set of n-vectors at a time, so a fit needs less than 2x the size of
X (a private copy of X plus a few vectors), whatever the number of iterations.

Speed: each iteration reads X twice, once for step 4 (the Gram matrix
:math:`X^\top W X`, :math:`X^\top W z` and the score, all from the same block of rows
while it is in cache; see :func:`glmlearn.linalg.normal_equations`) and once for
:math:`X\beta` in step 5. The last state's steps 2-4 (``w``, ``z``, ``beta_next``,
``xtwx``, ``score``) are needed by no one to finish the fit, so they are computed when
first asked for, from its eta and mu; so is the score of a state that keeps its vectors
(Fisher scoring's step needs only the WLS solution), summed over the same blocks of rows
as the pass over X would sum it. At the size of a classroom data set (a few hundred
rows) the numpy calls themselves cost more than the arithmetic: the loop makes as few
as the formulas allow, and asks its yes-or-no questions of masks by counting
(``glmlearn/_arrays.py``).

The state itself (:class:`IRLSState`, and steps 1-4 as it recomputes them for a compact
trace or for the last state) is in ``glmlearn/_state.py``; it is importable from here.

Step 4 is IRLS's own (Fisher scoring) unless ``method=`` asks for Newton-Raphson or
gradient ascent: how those propose ``beta_next`` is in ``glmlearn/_methods.py``, and
everything else in the loop is the same for all three.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any, Literal, NamedTuple

import numpy as np

from ._arrays import Array, all_true, readonly
from ._methods import FISHER, Proposal, StepRule, check_method, step_rule
from ._state import IRLSState, _linear_predictor, _starting_eta, _Vectors, _vectors_at
from .errors import GLMInputError
from .family import Family
from .problem import (
    GLMProblem,
    _show,
    check_controls,
    check_eta_start,
    check_start,
)

__all__ = [
    "FULL_TRACE_MAX_N",
    "HalvingRule",
    "IRLSState",
    "irls",
    "score",
    "working_response",
    "working_weights",
]

FULL_TRACE_MAX_N = 50_000
MAX_HALVINGS = 30
#: How ``halving_reason`` ends on a state where step-halving gave up.
STALL_SUFFIX = "step-halving failed"
TraceMode = Literal["auto", "full", "compact"]
#: What makes step 5 halve its step (see :func:`irls`).
HalvingRule = Literal["R", "deviance"]
#: With ``step_halving="deviance"``, a rise of the deviance smaller than this, relative to
#: :math:`|D| + 0.1`, is rounding, not a rise: the deviance is a sum of n terms, each
#: rounded, and near the optimum two nearly equal coefficient vectors can give deviances
#: a few units in the last place apart in either direction. 1024 units of 2^-52 is about
#: 2.3e-13: far below the default tolerance (1e-8), far above a few ulps.
RISE_ROUNDING = float(1024 * np.finfo(float).eps)


# --- the textbook steps, each a small pure function -----------------------------------------
# One argument order for all three: the family, then the data (X, y), then the current
# state (mu, eta), then the prior weights (default: all ones).

def working_response(family: Family, y: Array, mu: Array, eta: Array, *,
                     mu_eta: Array | None = None) -> Array:
    r"""Working response :math:`z = \eta + (y - \mu)\, d\eta/d\mu`.

    Computed as :math:`\eta + (y - \mu) / (d\mu/d\eta)` with R's guarded ``mu.eta``
    (pass ``mu_eta`` when it is already at hand, to save recomputing it).
    """
    d = family.mu_eta(eta) if mu_eta is None else mu_eta
    return eta + (y - mu) / d


def working_weights(family: Family, mu: Array, eta: Array, prior_weights: Array | None = None,
                    *, mu_eta: Array | None = None) -> Array:
    r"""Working weights :math:`w = w^{\text{prior}} (d\mu/d\eta)^2 / V(\mu)`.

    This equals :math:`w^{\text{prior}} / (V(\mu) g'(\mu)^2)`.
    """
    d = family.mu_eta(eta) if mu_eta is None else mu_eta
    pw = 1.0 if prior_weights is None else prior_weights
    return pw * d**2 / family.variance(mu)


def score(family: Family, X: Array, y: Array, mu: Array, eta: Array,
          prior_weights: Array | None = None, *, mu_eta: Array | None = None) -> Array:
    r"""Score vector :math:`U = X^\top \operatorname{diag}(w^{\text{prior}}\,\mu'(\eta) / V(\mu))\,(y - \mu)`.

    This is :math:`\phi\, \partial\ell/\partial\beta`. For a canonical link
    :math:`\mu'(\eta) = V(\mu)`, and it reduces to :math:`X^\top W^{\text{prior}} (y - \mu)`.
    """
    d = family.mu_eta(eta) if mu_eta is None else mu_eta
    pw = 1.0 if prior_weights is None else prior_weights
    return X.T @ (pw * d / family.variance(mu) * (y - mu))


# --- the loop -----------------------------------------------------------------------------

def _valid(problem: GLMProblem, eta: Array, mu: Array) -> bool:
    fam = problem.family
    if fam.proportion_response and fam.link.inverse_inside_unit_interval:
        # such a link's inverse keeps every mean of a valid eta in (0, 1): eta says it all
        return all_true(fam.link.valid_eta(eta))
    return all_true(fam.link.valid_eta(eta) & fam.valid_mu(mu))


def _first_invalid(problem: GLMProblem, eta: Array, mu: Array) -> int:
    fam = problem.family
    bad = ~(fam.link.valid_eta(eta) & fam.valid_mu(mu))
    return int(np.flatnonzero(bad)[0])


def irls(
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
) -> Iterator[IRLSState]:
    r"""Run IRLS and yield one :class:`IRLSState` per iteration.

    Parameters
    ----------
    X : (n, p) array_like
        Design matrix (include a column of ones for an intercept).
    y : (n,) array_like, or (n, 2) for binomial (successes, failures)
        Response.
    family : Family or str
        E.g. ``glmlearn.family.binomial()`` or ``"poisson"``.
    weights : (n,) array_like, optional
        Prior weights (for binomial proportions: the number of trials).
    offset : (n,) array_like, optional
        Known term added to the linear predictor.
    start : (p,) array_like, optional
        Starting coefficients :math:`\beta^{(0)}`. Default: R's starting means ``mustart``.
    max_iter : int
        Maximum number of WLS steps (R's ``maxit``, 25).
    tol : float
        Convergence tolerance of R's relative-deviance criterion (R's ``epsilon``, 1e-8).
    trace : {"auto", "full", "compact"}
        Whether states store their n-length vectors; see the module docstring.
    data : DataFrame, optional
        With a formula in place of X (``irls("y ~ x", data=df)``): the columns it names
        (see :mod:`glmlearn.formula`). ``weights``, ``offset`` and ``exposure`` may then be
        column names.
    link : str, optional
        The family's link, e.g. ``family="binomial", link="probit"``.
    exposure : (n,) array_like or str, optional
        Time or size at risk: its log is added to the offset (log link only).
    method : {"fisher", "newton", "gradient"}
        How each step is proposed: ``"fisher"`` is IRLS (Fisher scoring, the expected
        information, R's ``glm``); ``"newton"`` uses the observed information (observed
        weights, which can be negative: where the observed information is not positive
        definite that state takes the Fisher step and says so in ``state.fallback``);
        ``"gradient"`` is gradient ascent on the log-likelihood, a backtracking line
        search from the step :math:`U/\lambda_{\max}(X^\top W X)` by default (it needs
        many more iterations: raise ``max_iter``). The same step-halving and
        convergence criterion apply to all three. Details: ``glmlearn/_methods.py``.
    step_size : float, optional
        A fixed step size :math:`\alpha` for ``method="gradient"`` (step
        :math:`\alpha U`); only that method takes one.
    step_halving : {"R", "deviance"}
        When step 5 halves its step towards the previous coefficients. ``"R"`` (the
        default), as R's ``glm.fit``: only while the deviance is not finite or
        :math:`\eta`/:math:`\mu` is outside its valid range (R warns "step size truncated
        due to divergence" and "step size truncated: out of bounds"). ``"deviance"``, as
        the R package glm2 (Marschner 2011): also while the deviance rises by more than
        ``tol`` relative, :math:`(D - D_{\text{old}}) / (|D| + 0.1) \ge` ``tol`` (a rise at
        rounding level, below ``RISE_ROUNDING``, never halves). glm2's rule gets IRLS out
        of starts from which R's oscillates or diverges; on a fit where no step raises the
        deviance the two rules give the same iterates. ``method="newton"`` and
        ``method="gradient"`` always use ``"deviance"``: halving while the log-likelihood
        falls is their line search (gradient ascent's backtracking).
    mustart, etastart : (n,) array_like, optional
        R's ``mustart`` and ``etastart``: starting means, or a starting linear predictor
        (offset included), instead of the family's default starting means. As in R,
        ``etastart`` comes first, then ``start``, then ``mustart``; from ``etastart`` or
        ``mustart`` there are no previous coefficients to halve a first step towards
        (state 0's ``beta`` is None).
    na_action : {"omit", "raise"}
        For a formula: leave out rows with missing values (R's ``na.omit``) or refuse them.

    Yields
    ------
    IRLSState
        State 0 (starting values), then one state per WLS step, the last one converged
        or at ``max_iter``.

    Examples
    --------
    >>> import numpy as np, glmlearn
    >>> X = np.column_stack([np.ones(4), [1.0, 2.0, 3.0, 4.0]])
    >>> states = list(glmlearn.irls(X, [0, 1, 0, 1], "binomial"))
    >>> states[-1].converged
    True
    """
    from .formula import read_problem  # (a formula reads the data: R's conventions)

    problem = read_problem(X, y, family, data=data, link=link, weights=weights, offset=offset,
                           exposure=exposure, na_action=na_action)
    check_controls(max_iter, tol, step_halving)
    return run_irls(problem, start=check_start(start, problem), max_iter=max_iter, tol=tol,
                    trace=trace, method=method, step_size=step_size,
                    step_halving=step_halving,
                    eta_start=check_eta_start(problem, mustart, etastart))


def run_irls(
    problem: GLMProblem,
    *,
    start: Array | None = None,
    max_iter: int = 25,
    tol: float = 1e-8,
    trace: TraceMode = "auto",
    method: str = "fisher",
    step_size: float | None = None,
    step_halving: HalvingRule = "R",
    eta_start: tuple[str, Array] | None = None,
) -> Iterator[IRLSState]:
    """IRLS on an already validated :class:`GLMProblem` (see :func:`irls`); ``eta_start``
    is ``(argument name, starting eta)`` from :func:`~glmlearn.problem.check_eta_start`."""
    if trace not in ("auto", "full", "compact"):
        raise GLMInputError(f"trace: must be 'auto', 'full' or 'compact', got {trace!r}")
    rule = step_rule(check_method(method, problem.family, step_size), step_size)
    keep_vectors = trace == "full" or (trace == "auto" and problem.n <= FULL_TRACE_MAX_N)
    if eta_start is not None and eta_start[0] == "etastart":
        start = None  # R: etastart comes first, and leaves no coefficients to halve towards
    elif start is not None:
        eta_start = None  # R: start comes before mustart
    if rule.name != "fisher":
        # Newton's and gradient ascent's steps are not IRLS's: they keep their line
        # search on the deviance (glm2's rule) wherever R's rule would let them diverge
        step_halving = "deviance"
    return _iterate(problem, start, max_iter, tol, keep_vectors, rule, step_halving,
                    eta_start)


def _iterate(
    problem: GLMProblem, start: Array | None, max_iter: int, tol: float, keep_vectors: bool,
    rule: StepRule = FISHER, step_halving: HalvingRule = "R",
    eta_start: tuple[str, Array] | None = None,
) -> Iterator[IRLSState]:
    # A state that keeps its vectors can sum its score when asked (IRLS's own step needs
    # only the WLS solution); a compact one keeps the score, from the same pass over X.
    terms_now = not (keep_vectors and rule.name == "fisher")
    vec: _Vectors | None
    vec, terms, deviance = _start(problem, start, eta_start, terms_now)  # state 0
    # Step 4 of state 0; it finds the aliased columns (R's rule) once.
    first = rule.propose(problem, vec, None, terms, start)
    aliased = first.step4.solution.aliased
    pending: Proposal | None = first
    del first
    beta: Array | None = None if start is None else np.where(aliased, np.nan, start)
    criterion = math.inf
    step = _Step(beta, 0, "", False)
    point: tuple[Array, Array] | None = None
    for iteration in range(max_iter + 1):
        converged = criterion < tol and not step.stalled  # step 6 (criterion of step 5)
        last = converged or step.stalled or iteration == max_iter
        # Steps 1-3 are in `vec` (mu, z, w at this eta); step 4: weighted least squares,
        # with the score from the same pass over X (or the method's step). Nothing needs
        # the last state's IRLS step to finish, so that one is solved only when asked for
        # (and its steps 2-3 too: then `vec` is None and `point` holds its eta and mu).
        if iteration == 0:
            prop, pending = pending, None
        elif last and rule.lazy_last:
            prop = None
        else:
            assert vec is not None  # (only IRLS's own last state leaves its steps 2-3)
            prop = rule.propose(problem, vec, aliased, terms, beta)
        sol = None if prop is None else prop.step4
        del terms  # (an n-vector)
        yield IRLSState(
            # (beta is a new array, or the read-only solution of the last step: frozen
            # in place, not copied)
            iteration=iteration, beta=None if beta is None else readonly(beta, copy=False),
            deviance=deviance, criterion=criterion, converged=converged,
            step_halvings=step.halvings, halving_reason=step.reason,
            problem=problem, stalled=step.stalled, method=rule.name,
            fallback="" if prop is None else prop.fallback,
            # The last state always keeps eta and mu (`point`, or its vectors): the
            # result reads them at once.
            _vectors=(vec if prop is None else prop.vectors) if keep_vectors or last else None,
            _step4=sol, _aliased=aliased, _point=point,
        )
        if last or sol is None:
            return
        # Step 5: the update, halved while it is unacceptable. A compact state does not
        # keep `vec`: let it go first, so one set of n-vectors is alive at a time.
        del vec, prop
        # (ruff misreads the `del`: both are read at the top of the loop)
        # IRLS's own last state keeps only eta and mu until asked (see _take_step).
        step, vec, point, terms, new_deviance = _take_step(  # noqa: RUF059
            problem, beta, deviance, sol.solution.beta, tol, step_halving, terms_now,
            lazy_last=rule.lazy_last,
            at_max_iter=iteration + 1 == max_iter)
        criterion = _criterion(deviance, new_deviance)
        beta, deviance = step.beta, new_deviance


def _start(problem: GLMProblem, start: Array | None,
           eta_start: tuple[str, Array] | None = None, score_terms: bool = True
           ) -> tuple[_Vectors, Array | None, float]:
    """State 0: its vectors, score terms (unless not wanted) and deviance, refusing
    starting values outside the valid range."""
    fam = problem.family
    # Checked below, so numpy's warnings about invalid starting values are noise.
    with np.errstate(all="ignore"):
        eta = _starting_eta(problem, start) if eta_start is None else eta_start[1].copy()
        mu = fam.link_inverse(eta)
        valid = _valid(problem, eta, mu)
        if valid:
            # The deviance before steps 2-3: fewer n-vectors are alive at once.
            deviance = problem.deviance(mu)
            vec, terms = _vectors_at(problem, eta, mu, score_terms=score_terms)
    if not valid:
        i = _first_invalid(problem, eta, mu)
        what = ("start" if start is not None else eta_start[0] if eta_start is not None
                else "start (R's default starting means)")
        raise GLMInputError(
            f"{what}: gives an invalid linear predictor or mean at index {i} "
            f"(eta = {_show(eta[i])}, mu = {_show(mu[i])}, y = {_show(problem.y[i])}) "
            f"for the {fam.name} family with the {fam.link.name} link; pass start= with "
            "valid coefficients"
        )
    return vec, terms, deviance


class _Step(NamedTuple):
    """Where step 5 went: the new beta and how the step to it was halved."""

    beta: Array | None
    halvings: int
    reason: str
    stalled: bool


def _take_step(problem: GLMProblem, beta: Array | None, deviance: float, beta_next: Array,
               tol: float, rule: HalvingRule = "R", score_terms: bool = True, *,
               lazy_last: bool = False, at_max_iter: bool = False
               ) -> tuple[_Step, _Vectors | None, tuple[Array, Array] | None, Array | None,
                          float]:
    """Step 5: go to ``beta_next``; while that is unacceptable, halve the step towards
    ``beta``. Unacceptable: a deviance that is not finite, or eta or mu outside its valid
    range (R's rule), and with ``rule="deviance"`` also a deviance that rose by at least
    ``tol`` and more than rounding (glm2's rule). After ``MAX_HALVINGS`` halvings give up
    honestly: go back to ``beta`` and report the step as stalled (the loop then stops, not
    converged), rather than accept a worse or invalid point. Nothing is warned here: the
    state records what happened. A trial needs only eta, mu and the deviance; w, z and the
    score terms are computed for the accepted point alone, and with ``lazy_last`` (IRLS's
    own loop, whose last state solves its step only when asked) not even there when the
    accepted point is the last state (converged, or ``at_max_iter``): then the point
    ``(eta, mu)`` is returned in place of the vectors, and the state computes the rest by
    the same code when first asked. Returns the step, the vectors or the point, the score
    terms and the deviance."""
    fam = problem.family
    new_beta, halvings, reason = beta_next, 0, ""
    while True:
        eta = _linear_predictor(problem, new_beta)
        # A trial step may leave the valid range (mu = 0, eta < 0...): that is what the
        # checks below are for, so numpy's overflow/divide warnings would only be noise.
        with np.errstate(all="ignore"):
            mu = fam.link.inverse(eta)  # (eta is already a float array)
            new_dev = problem.deviance(mu)
            if not math.isfinite(new_dev):
                why = "the deviance was not finite"
            elif not _valid(problem, eta, mu):
                why = "eta or mu left the valid range"
            elif rule == "deviance" and beta is not None and _rose(deviance, new_dev, tol):
                why = "the deviance increased"
            else:
                accepted = _Step(new_beta, halvings, reason, False)
                if lazy_last and (at_max_iter or _criterion(deviance, new_dev) < tol):
                    for a in (eta, mu):
                        a.setflags(write=False)
                    return accepted, None, (eta, mu), None, new_dev
                vec, terms = _vectors_at(problem, eta, mu, score_terms=score_terms)
                return accepted, vec, None, terms, new_dev
        if beta is None:  # nothing to halve towards (R stops here too)
            raise GLMInputError(
                "start: no valid set of coefficients was found from R's default "
                "starting means; pass start= with valid coefficients"
            )
        if halvings == MAX_HALVINGS:
            vec, terms = _vectors_at(problem, _linear_predictor(problem, beta),
                                     score_terms=score_terms)
            return (_Step(beta, halvings, f"{why}; {STALL_SUFFIX}", True), vec, None, terms,
                    problem.deviance(vec.mu))
        new_beta, halvings, reason = (new_beta + beta) / 2, halvings + 1, why


def _criterion(deviance: float, new_deviance: float) -> float:
    """R's convergence criterion, :math:`|D - D_{\text{old}}| / (|D| + 0.1)` (step 6)."""
    return abs(new_deviance - deviance) / (abs(new_deviance) + 0.1)


def _rose(deviance: float, new_deviance: float, tol: float) -> bool:
    """Did the deviance rise by ``tol`` in R's relative measure, and by more than rounding?"""
    rise = (new_deviance - deviance) / (abs(new_deviance) + 0.1)
    return rise >= tol and rise > RISE_ROUNDING
