r"""Exercises that check themselves: write one piece of IRLS, get told right or wrong.

Each exercise hands you the quantities of one IRLS state of a real fit (``ex.given``),
asks for one thing (``ex.task``), and checks your answer against what glmlearn's own
IRLS computed in that state. A wrong answer is compared with the typical mistakes, and
the feedback names the misconception ("you used V(mu) where the weight needs
V(mu) g'(mu)^2", "you forgot the offset") without ever printing the solution.

>>> from glmlearn import exercises
>>> ex = exercises.working_weights()       # beetles, probit link, one IRLS state
>>> print(ex.check(...))                   # an untouched answer cell
not answered yet: replace `...` with your code
>>> bool(ex.check(ex.given["mu"] * (1 - ex.given["mu"])))   # V(mu): a classic mistake
False

Exercises (factories, each on real data, each at one IRLS state):

* :func:`working_weights` -- :math:`w = w^{\text{prior}} / (V(\mu)\, g'(\mu)^2)`;
  beetles (Bliss 1935), probit link.
* :func:`working_response` -- :math:`z = \eta + (y - \mu)\, g'(\mu)`; British doctors,
  Poisson with offset log(person-years).
* :func:`irls_step` -- :math:`\beta^{\text{next}}`, one weighted regression; British doctors.
* :func:`score` -- :math:`U = X^\top \operatorname{diag}(w^{\text{prior}}\mu'(\eta)/V(\mu))(y - \mu)`;
  beetles, probit (a non-canonical link).
* :func:`poisson_deviance` -- :math:`D = 2\sum_i w_i\{y_i\log(y_i/\mu_i) - (y_i - \mu_i)\}`;
  ships (some counts are 0).

The same checks work on any IRLS state of your own: :func:`check_working_weights`,
:func:`check_working_response`, :func:`check_irls_step`, :func:`check_score`,
:func:`check_deviance` take ``(answer, state)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from ._arrays import Array
from ._irls import IRLSState, irls
from .datasets import load
from .family import Family, binomial, poisson
from .linalg import solve_wls

__all__ = [
    "Exercise",
    "Feedback",
    "Mistake",
    "check_deviance",
    "check_irls_step",
    "check_score",
    "check_working_response",
    "check_working_weights",
    "irls_step",
    "poisson_deviance",
    "score",
    "working_response",
    "working_weights",
]

RTOL = 1e-6


# --- feedback -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: truthy when right; prints as one line.

    Attributes
    ----------
    correct : bool or None
        True (right), False (wrong) or None (not answered yet).
    message : str
        What to do next: a hint about the misconception, never the solution.
    mistake : str or None
        The name of the typical mistake recognised (e.g. ``"variance_only"``), if any.
    """

    correct: bool | None
    message: str
    mistake: str | None = None

    def __bool__(self) -> bool:
        return self.correct is True

    def __str__(self) -> str:
        if self.correct is None:
            return self.message
        return f"{'✓ correct' if self.correct else '✗ not yet'}: {self.message}"

    def __repr__(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer: how to compute it from the state, and the hint it earns."""

    name: str
    compute: Callable[[IRLSState], Any]
    hint: str
    applies: Callable[[IRLSState], bool] = lambda state: True


@dataclass(frozen=True)
class Exercise:
    """One self-checking exercise on one IRLS state.

    Attributes
    ----------
    name : str
        Short name, e.g. ``"working weights"``.
    task : str
        What to compute, in words and symbols.
    state : IRLSState
        The IRLS state the exercise is about (the answer is read from it).
    given : Mapping[str, Any]
        The inputs you may use (read-only arrays, the family...).
    hint : str
        A first nudge, for when you are stuck.
    """

    name: str
    task: str
    state: IRLSState = field(repr=False)
    given: Mapping[str, Any] = field(repr=False)
    hint: str = field(repr=False)
    expected: Callable[[IRLSState], Any] = field(repr=False)
    mistakes: tuple[Mistake, ...] = field(repr=False, default=())
    on_nonfinite: str = field(repr=False, default="")

    def check(self, answer: Any) -> Feedback:
        """Say whether ``answer`` is right; if not, name the likely misconception."""
        return _judge(self, answer)

    def __str__(self) -> str:
        names = ", ".join(self.given)
        return f"Exercise: {self.name}\n{self.task}\nGiven (ex.given[...]): {names}"

    def _repr_markdown_(self) -> str:
        names = ", ".join(f"`{k}`" for k in self.given)
        return f"**Exercise: {self.name}**\n\n{self.task}\n\nGiven (`ex.given[...]`): {names}"


def _judge(ex: Exercise, answer: Any) -> Feedback:
    if answer is Ellipsis or answer is None:
        return Feedback(None, "not answered yet: replace `...` with your code")
    expected = np.asarray(ex.expected(ex.state), dtype=float)
    try:
        a = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return Feedback(False, f"expected numbers, got {type(answer).__name__}", "not_numbers")
    if a.shape != expected.shape:
        n = expected.shape[0] if expected.ndim else 0
        if expected.ndim == 1 and a.shape == (n, n):
            if _close(np.diag(a), expected):
                return Feedback(False, "you returned the n×n matrix W = diag(w); return the "
                                "vector of its diagonal (IRLS never builds W)", "matrix")
            return Feedback(False, "you returned an n×n matrix; the answer is a vector of "
                            f"length {n}", "matrix")
        if a.size == expected.size:
            return Feedback(False, f"the numbers may be right but the shape is {a.shape}; "
                            f"expected {expected.shape} (flatten it?)", "shape")
        return Feedback(False, f"expected shape {expected.shape}, got {a.shape}", "shape")
    if not np.all(np.isfinite(a)):
        i = int(np.flatnonzero(~np.isfinite(a.reshape(-1)))[0])
        where = f" at index {i}" if a.ndim else ""
        extra = f" {ex.on_nonfinite}" if ex.on_nonfinite else ""
        return Feedback(False, f"your answer is not finite{where} "
                        f"({a.reshape(-1)[i]!r}).{extra}", "not_finite")
    if _close(a, expected):
        return Feedback(True, f"that is exactly what IRLS computes for the {ex.name}")
    for m in ex.mistakes:
        if not m.applies(ex.state):
            continue
        wrong = np.asarray(m.compute(ex.state), dtype=float)
        if wrong.shape == expected.shape and not _close(wrong, expected) and _close(a, wrong):
            return Feedback(False, m.hint, m.name)
    return Feedback(False, f"not what IRLS computes ({_where_off(a, expected)}). "
                    f"Hint: {ex.hint}", None)


def _close(a: Array, b: Array) -> bool:
    scale = float(np.max(np.abs(b))) if b.size else 1.0
    return bool(np.allclose(a, b, rtol=RTOL, atol=RTOL * 1e-3 * max(scale, 1.0)))


def _where_off(a: Array, b: Array) -> str:
    if a.ndim == 0:
        return "the value is off"
    rel = np.abs(a - b) / np.maximum(np.abs(b), 1e-300)
    i = int(np.argmax(rel))
    return f"{int(np.sum(~np.isclose(a, b, rtol=RTOL)))} of {a.size} entries differ, the most at index {i}"


# --- the pieces a mistake is built from (all read from the state and its family) -------------

def _fam(s: IRLSState) -> Family:
    return s.problem.family


def _pw(s: IRLSState) -> Array:
    return s.problem.prior_weights


def _V(s: IRLSState) -> Array:
    return _fam(s).variance(s.mu)


def _dmu(s: IRLSState) -> Array:  # dmu/deta
    return _fam(s).mu_eta(s.eta)


def _has_prior(s: IRLSState) -> bool:
    return not np.allclose(_pw(s), 1.0)


def _has_offset(s: IRLSState) -> bool:
    return bool(np.any(s.problem.offset != 0))


def _wls(s: IRLSState, w: Array, target: Array) -> Array:
    return solve_wls(s.problem.X, w, target).beta


def _frozen(**arrays: Any) -> Mapping[str, Any]:
    out = {}
    for k, v in arrays.items():
        if isinstance(v, np.ndarray):
            v = np.array(v)
            v.setflags(write=False)
        out[k] = v
    return MappingProxyType(out)


# --- working weights ------------------------------------------------------------------------

_WW_MISTAKES = (
    Mistake("variance_only", lambda s: _pw(s) * _V(s),
            "you used V(μ) as the weight. That is right only for a canonical link (there "
            "dμ/dη = V(μ)); in general the weight is the reciprocal of the variance of the "
            "working response, which is V(μ)·g'(μ)², not V(μ)"),
    Mistake("inverse_variance", lambda s: _pw(s) / _V(s),
            "you used 1/V(μ): the variance of y. The weight needs the variance of the "
            "working response z, which lives on the η scale: V(μ)·g'(μ)² — you left out "
            "g'(μ)² (equivalently, the factor (dμ/dη)²)"),
    Mistake("not_squared", lambda s: _pw(s) * _dmu(s) / _V(s),
            "close: you have dμ/dη (or 1/g'(μ)) once; the delta method squares it"),
    Mistake("reciprocal", lambda s: _V(s) / (_dmu(s) ** 2 * _pw(s)),
            "upside down: you computed V(μ)·g'(μ)², the variance of the working response; "
            "the weight is its reciprocal"),
    Mistake("no_prior_weights", lambda s: s.w / _pw(s),
            "you forgot the prior weights (here the number of beetles at each dose): "
            "a proportion out of 60 carries 60 times the information of a single 0/1",
            _has_prior),
)


def _exercise_working_weights(state: IRLSState) -> Exercise:
    p = state.problem
    return Exercise(
        name="working weights",
        task=("Compute the working weights w (a vector, one per observation) from the "
              "current eta and mu: w = prior weight / (V(mu) · g'(mu)^2). Use the family's "
              "pieces: family.variance(mu), family.link_deriv(mu) (g'), family.mu_eta(eta) "
              "(dmu/deta)."),
        state=state,
        given=_frozen(eta=state.eta, mu=state.mu, prior_weights=p.prior_weights,
                      family=p.family),
        hint="z = eta + (y - mu) g'(mu) has variance about V(mu) g'(mu)^2 / prior weight; "
             "IRLS weights each observation by one over that",
        expected=lambda s: s.w,
        mistakes=_WW_MISTAKES,
    )


def check_working_weights(answer: Any, state: IRLSState) -> Feedback:
    """Check an answer for the working weights of ``state`` (compared with ``state.w``)."""
    return _exercise_working_weights(state).check(answer)


# --- working response -----------------------------------------------------------------------

def _z_without_offset(s: IRLSState) -> Array:
    fam, X, y = _fam(s), s.problem.X, s.problem.y
    assert s.beta is not None
    eta = X @ s.beta
    mu = fam.link_inverse(eta)
    return eta + (y - mu) / fam.mu_eta(eta)


_WR_MISTAKES = (
    Mistake("no_offset", _z_without_offset,
            "you forgot the offset: the linear predictor is η = Xβ + offset, and μ = g⁻¹(η) "
            "must include it (the offset is log(exposure), it turns counts into rates)",
            _has_offset),
    Mistake("offset_removed", lambda s: s.z - s.problem.offset,
            "nearly: you left the offset out of η (η = Xβ + offset) — your μ was right, "
            "but the working response is η + (y − μ)·g'(μ) with the whole η", _has_offset),
    Mistake("residual_only", lambda s: s.z - s.eta,
            "that is the working residual (y − μ)·g'(μ); the working response adds the "
            "current linear predictor η to it"),
    Mistake("times_dmu_deta", lambda s: s.eta + (s.problem.y - s.mu) * _dmu(s),
            "you multiplied (y − μ) by dμ/dη; linearizing g around μ needs dη/dμ = g'(μ), "
            "its reciprocal"),
    Mistake("response_scale", lambda s: s.mu + (s.problem.y - s.mu) / _dmu(s),
            "you started from μ; the working response lives on the link scale, so it starts "
            "from η"),
)


def _exercise_working_response(state: IRLSState) -> Exercise:
    p = state.problem
    assert state.beta is not None
    return Exercise(
        name="working response",
        task=("Compute the working response z = eta + (y - mu) · g'(mu) at the current "
              "coefficients beta, where eta = X @ beta + offset and mu = g^{-1}(eta). "
              "Use family.link_inverse(eta) and family.link_deriv(mu) (g')."),
        state=state,
        given=_frozen(X=p.X, y=p.y, beta=state.beta, offset=p.offset, family=p.family),
        hint="z is the first-order Taylor expansion of g(y) around mu: g(mu) + (y - mu) g'(mu)",
        expected=lambda s: s.z,
        mistakes=_WR_MISTAKES,
        on_nonfinite="Did you take g(y) = log(y)? Some y are 0 here; the working response "
                     "linearizes g around μ, so it never needs g(y)",
    )


def check_working_response(answer: Any, state: IRLSState) -> Feedback:
    """Check an answer for the working response of ``state`` (compared with ``state.z``)."""
    return _exercise_working_response(state).check(answer)


# --- one IRLS step --------------------------------------------------------------------------

_STEP_MISTAKES = (
    Mistake("offset_in_target", lambda s: _wls(s, s.w, s.z),
            "you regressed z itself; with an offset the regression target is z − offset "
            "(the offset is known, it gets no coefficient)", _has_offset),
    Mistake("unweighted", lambda s: _wls(s, np.ones_like(s.w), s.z - s.problem.offset),
            "you forgot the weights: that is ordinary least squares on z; IRLS is a "
            "*weighted* regression, with the working weights w"),
    Mistake("y_not_z", lambda s: _wls(s, s.w, s.problem.y - s.problem.offset),
            "you regressed y; IRLS regresses the working response z (y linearized on the "
            "link scale)"),
    Mistake("eta_not_z", lambda s: _wls(s, s.w, s.eta - s.problem.offset),
            "you regressed η, which gives back the current β; the new information is in the "
            "working response z"),
    Mistake("sqrt_weights", lambda s: _wls(s, np.sqrt(s.w), s.z - s.problem.offset),
            "you weighted by √w. If you solved least squares on √w·X and √w·z, the square "
            "root is already there — pass w to the normal equations, √w only to lstsq"),
    Mistake("squared_weights", lambda s: _wls(s, s.w ** 2, s.z - s.problem.offset),
            "you weighted by w²: multiplying the rows of X and z by w (not √w) squares the "
            "weights"),
)


def _exercise_irls_step(state: IRLSState) -> Exercise:
    p = state.problem
    return Exercise(
        name="IRLS step",
        task=("Compute the next coefficients: the weighted least-squares solution of "
              "z - offset on X with weights w, i.e. solve (X'WX) beta = X'W(z - offset) "
              "(without building the n×n matrix W)."),
        state=state,
        given=_frozen(X=p.X, w=state.w, z=state.z, offset=p.offset),
        hint="X'WX is X.T @ (w[:, None] * X); or run np.linalg.lstsq on sqrt(w)-scaled rows",
        expected=lambda s: s.beta_next,
        mistakes=_STEP_MISTAKES,
    )


def check_irls_step(answer: Any, state: IRLSState) -> Feedback:
    """Check an answer for the WLS step of ``state`` (compared with ``state.beta_next``)."""
    return _exercise_irls_step(state).check(answer)


# --- the score ------------------------------------------------------------------------------

def _xt(s: IRLSState, v: Array) -> Array:
    return s.problem.X.T @ v


_SCORE_MISTAKES = (
    Mistake("canonical_form", lambda s: _xt(s, _pw(s) * (s.problem.y - s.mu)),
            "this is the canonical-link score X'(y − μ); for a non-canonical link like "
            "probit each residual is also multiplied by dμ/dη / V(μ), which is 1 only for "
            "the canonical link"),
    Mistake("working_weights", lambda s: _xt(s, s.w * (s.problem.y - s.mu)),
            "you multiplied by the working weights w = (dμ/dη)²/V(μ); the score has dμ/dη "
            "only once: dμ/dη / V(μ) (chain rule: ∂ℓ/∂μ · ∂μ/∂η)"),
    Mistake("no_dmu_deta", lambda s: _xt(s, _pw(s) * (s.problem.y - s.mu) / _V(s)),
            "you stopped at ∂ℓ/∂μ = (y − μ)/V(μ); β acts through η, so the chain rule adds "
            "dμ/dη"),
    Mistake("no_prior_weights", lambda s: _xt(s, _dmu(s) / _V(s) * (s.problem.y - s.mu)),
            "you forgot the prior weights (the number of trials for binomial proportions): "
            "each observation's contribution to the log-likelihood is multiplied by it",
            _has_prior),
    Mistake("sign", lambda s: -s.score,
            "the sign is flipped: the score uses y − μ, not μ − y"),
)


def _exercise_score(state: IRLSState) -> Exercise:
    p = state.problem
    return Exercise(
        name="score",
        task=("Compute the score U = X' diag(prior weight · dmu/deta / V(mu)) (y - mu), the "
              "gradient of the log-likelihood (times phi), at the current eta and mu. Use "
              "family.mu_eta(eta) (dmu/deta) and family.variance(mu)."),
        state=state,
        given=_frozen(X=p.X, y=p.y, eta=state.eta, mu=state.mu,
                      prior_weights=p.prior_weights, family=p.family),
        hint="differentiate the log-likelihood through the chain β → η → μ → ℓ",
        expected=lambda s: s.score,
        mistakes=_SCORE_MISTAKES,
    )


def check_score(answer: Any, state: IRLSState) -> Feedback:
    """Check an answer for the score vector of ``state`` (compared with ``state.score``)."""
    return _exercise_score(state).check(answer)


# --- the deviance ---------------------------------------------------------------------------

def _unit_dev_parts(s: IRLSState) -> tuple[Array, Array]:
    y, mu = s.problem.y, s.mu
    with np.errstate(divide="ignore", invalid="ignore"):
        ylog = np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0) / mu), 0.0)
    return ylog, y - mu


_DEV_MISTAKES = (
    Mistake("no_factor_two", lambda s: s.deviance / 2,
            "half of it: the deviance is twice the log-likelihood ratio against the "
            "saturated model"),
    Mistake("no_linear_term", lambda s: 2 * float(np.sum(_pw(s) * _unit_dev_parts(s)[0])),
            "you dropped the −(y − μ) term. It sums to zero only at the MLE of a model with "
            "an intercept and the log link; at this IRLS state it does not"),
    Mistake("minus_two_loglik", lambda s: -2 * _fam(s).loglik(s.problem.y, s.mu, _pw(s)),
            "that is −2·log-likelihood; the deviance compares with the saturated model "
            "(μ = y), so it is −2·(ℓ(μ) − ℓ(y))"),
    Mistake("sign", lambda s: -s.deviance, "the sign is flipped: a deviance is never negative"),
)


def _exercise_deviance(state: IRLSState) -> Exercise:
    p = state.problem
    return Exercise(
        name="deviance",
        task=("Compute the deviance D = sum_i prior_i · d(y_i, mu_i) at the current mu. "
              f"For the {p.family.name} family d(y, mu) = "
              + ("2 {y log(y/mu) - (y - mu)}, with y log(y/mu) = 0 when y = 0."
                 if p.family.name == "poisson" else "its unit deviance.")),
        state=state,
        given=_frozen(y=p.y, mu=state.mu, prior_weights=p.prior_weights, family=p.family),
        hint="the deviance of the saturated model (mu = y) is 0; each term is >= 0",
        expected=lambda s: s.deviance,
        mistakes=_DEV_MISTAKES,
        on_nonfinite="Some y are 0, and 0·log(0) is nan in floating point although its "
                     "limit is 0: use np.where(y > 0, ..., 0) or scipy.special.xlogy",
    )


def check_deviance(answer: Any, state: IRLSState) -> Feedback:
    """Check an answer for the deviance of ``state`` (compared with ``state.deviance``)."""
    return _exercise_deviance(state).check(answer)


# --- the exercises on real data -------------------------------------------------------------

def _state(states: Iterator[IRLSState], iteration: int) -> IRLSState:
    for s in states:
        if s.iteration == iteration:
            return s
    raise RuntimeError(f"IRLS stopped before iteration {iteration}")  # pragma: no cover


def _beetles_probit(iteration: int) -> IRLSState:
    ds = load("beetles")
    X = np.column_stack([np.ones(ds.n_rows), ds["dose"]])
    n = ds["n"].astype(float)
    return _state(irls(X, ds["killed"] / n, binomial("probit"), weights=n), iteration)


def _doctors(iteration: int) -> IRLSState:
    ds = load("doctors")
    age, smokes = ds["agecat"].astype(float), ds["smokes"].astype(float)
    X = np.column_stack([np.ones(ds.n_rows), smokes, age, age**2, smokes * age])
    return _state(irls(X, ds["deaths"], poisson(), offset=np.log(ds["person_years"])), iteration)


def _ships(iteration: int) -> IRLSState:
    ds = load("ships")
    keep = ds["service"] > 0
    cols = [np.ones(int(keep.sum()))]
    for name in ("type", "year", "period"):
        v = ds[name][keep]
        cols += [(v == level).astype(float) for level in np.unique(v)[1:]]
    X = np.column_stack(cols)
    return _state(irls(X, ds["incidents"][keep], poisson(),
                       offset=np.log(ds["service"][keep])), iteration)


def working_weights(iteration: int = 1) -> Exercise:
    """Working weights for the beetles (Bliss 1935) with the probit link, at ``iteration``."""
    return _exercise_working_weights(_beetles_probit(iteration))


def working_response(iteration: int = 1) -> Exercise:
    """Working response for the British doctors' Poisson rate model (offset log person-years)."""
    return _exercise_working_response(_doctors(iteration))


def irls_step(iteration: int = 1) -> Exercise:
    """One IRLS step (a weighted regression) for the British doctors' Poisson rate model."""
    return _exercise_irls_step(_doctors(iteration))


def score(iteration: int = 1) -> Exercise:
    """The score of the beetles' probit model: a non-canonical link."""
    return _exercise_score(_beetles_probit(iteration))


def poisson_deviance(iteration: int = 1) -> Exercise:
    """The Poisson deviance of the ships model (some counts are 0)."""
    return _exercise_deviance(_ships(iteration))
