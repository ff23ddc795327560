"""glmlearn against R itself: the same data, fitted by R's ``glm()`` in this test run.

Every case below is a design matrix built here, column by column, with a response, prior
weights, an offset and (where R needs one) starting coefficients. The module writes each
case to a CSV file in a temporary folder, runs **one** R process for the whole module
(``tests/r/glm_cases.R``, through the session fixture ``rscript`` of ``tests/conftest.py``,
which fails rather than skips when R is missing) and compares, case by case, what R's
``glm()``, ``summary.glm``, ``AIC``, ``BIC``, ``logLik`` and ``residuals`` return with
glmlearn's :class:`~glmlearn.GLMResult`.

The same model on both sides
----------------------------
R fits ``y ~ 1 + x2 + ... + xp`` (or ``cbind(s, f) ~ ...``) when X's first column is the
constant column, else ``y ~ 0 + x1 + ... + xp``: the columns of X are the CSV's columns in
order, so R's coefficients come out in glmlearn's order and no factor coding happens in R
(factors are coded here as treatment-contrast dummies). The formula keeps R's intercept
when glmlearn sees one, because R's null deviance depends on the formula's intercept and
glmlearn's on a constant column. ``weights`` are always given to R (ones when the case has
none), ``offset`` only when the case has one (R refits the null model when there is an
offset). Binomial cases give R the proportion with ``weights = trials`` or the two columns
``cbind(successes, failures)``, exactly as glmlearn gets them.

Tolerances, and why
-------------------
R prints numbers with ``toJSON(digits = NA)``: 15 significant digits. Both programs start
from R's ``mustart`` (or the same ``start``), take the same Fisher-scoring steps and stop on
the same criterion (``|D - D_old| / (|D| + 0.1) < 1e-8``), so they compute the same iterate;
what differs is only floating-point rounding in the linear algebra (R: LINPACK QR with
pivoting; glmlearn: Cholesky with a QR fallback), amplified by the conditioning of
``X'WX`` (condition numbers up to 4e6 here, in ``challenger_log``). Measured, the two agree
to 2e-12 or better in every quantity below; the tolerances are the project's, with room
for other BLAS builds.

========================  ============  =====================================================
quantity                  tolerance     why
========================  ============  =====================================================
coefficients              rel 1e-10     the same iterate; a coefficient below 1e-8 of the
                                        largest (zero in theory, e.g. Dobson's treatment
                                        effects, printed as noise ~1e-15) is compared
                                        against the largest coefficient instead
standard errors           rel 1e-8      ``sqrt(diag((X'WX)^-1))`` with the last step's
                                        weights: an inverse, so rounding is amplified by
                                        cond(X'WX) (up to 4e6 here), not by one solve
z/t values, p-values      rel 1e-8,     derived from the two above (p-values: relative
                          rel 1e-6      error ~ t^2 times that of t in the tail)
deviance, null deviance   rel 1e-10     a sum of positive terms at the same mu
df (residual, null)       exact         counts
AIC, BIC, logLik          rel 1e-9      sums of log-densities; lgamma/log terms differ in
                                        the last digits between R's and scipy's routines
dispersion                rel 1e-9      Pearson X^2/df with the last step's weights (R's
                                        summary.glm)
iterations                exact         R's ``iter`` is glmlearn's ``n_iter``: same steps
deviance/Pearson resid.   rel 1e-8      per element, with an absolute floor of 1e-8 times
                                        the largest |residual| (a residual can be ~0)
fitted values             rel 1e-10     ``mu`` at the same iterate
converged, boundary       exact         R's ``converged``; R's ``boundary`` says that the
                                        last step was halved (glmlearn: the last state's
                                        ``step_halvings``), not that a mean is at its edge
warnings                  exact sets    R's ``glm.fit`` warnings mapped to glmlearn's flags
                                        (see ``R_WARNING_FLAGS``)
========================  ============  =====================================================

A disagreement is a finding, not a tolerance to widen: see the module's xfail marks (each
says why) and :data:`KNOWN_DIFFERENCES`.

Data: the bundled datasets (``glmlearn.datasets``: beetles, challenger, clotting,
dobson_counts, doctors, ships), the reference lesson's pass/fail data (NumPy's legacy
generator, seed 42) and simulated problems from ``numpy.random.default_rng`` with the seeds
written below, rounded to 6 significant digits so that the CSV holds the exact values.
"""

from __future__ import annotations

import csv
import json
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import glmlearn
from glmlearn import FAMILIES, datasets

#: glmlearn family name -> R's family function.
R_FAMILY = {"gaussian": "gaussian", "binomial": "binomial", "poisson": "poisson",
            "gamma": "Gamma", "inverse_gaussian": "inverse.gaussian"}
#: glmlearn link name -> R's link name (the others are spelled the same).
R_LINK = {"inverse_squared": "1/mu^2"}

#: R's glm.fit warnings, and the glmlearn flag that says the same thing. R has no
#: separation, rank or residual-df warnings (it prints NA coefficients or NaN standard errors).
R_WARNING_FLAGS = {
    "glm.fit: fitted probabilities numerically 0 or 1 occurred": "boundary",
    "glm.fit: fitted rates numerically 0 occurred": "boundary",
    "glm.fit: algorithm did not converge": "not_converged",
    "step size truncated due to divergence": "step_halving",
    "step size truncated: out of bounds": "step_halving",
    "glm.fit: algorithm stopped at boundary value": "step_halving",
}
#: Flags R could have warned about (the others are glmlearn's own diagnoses).
FLAGS_R_KNOWS = frozenset(R_WARNING_FLAGS.values())
#: R's warnings that carry no flag: summary.glm's note on zero weights, dpois's
#: complaint (from poisson()$aic) about a non-integer response, whose AIC is then Inf in
#: both programs, and log()'s "NaNs produced" when a trial step that R then halves puts a
#: Poisson rate below zero (glmlearn computes such trial deviances silently).
R_NOTES = ("observations with zero weight not used for calculating dispersion",
           "non-integer x = ", "NaNs produced")


@dataclass(frozen=True)
class Case:
    """One fit, given to glmlearn and to R in the same form."""

    name: str
    family: str  # glmlearn's name
    link: str    # glmlearn's name
    X: np.ndarray  # n x p; when its first column is all ones, R's formula has an intercept
    y: np.ndarray  # 1-D, or (n, 2) binomial (successes, failures)
    weights: np.ndarray | None = None
    offset: np.ndarray | None = None
    start: tuple[float, ...] | None = None
    mustart: tuple[float, ...] | None = None
    etastart: tuple[float, ...] | None = None
    numbers: bool = True  # False: compare only warnings, flags and convergence

    @property
    def intercept(self) -> bool:
        return bool(np.all(self.X[:, 0] == 1.0))

    @property
    def two_column(self) -> bool:
        return self.y.ndim == 2

    def fit(self) -> tuple[glmlearn.GLMResult, list[warnings.WarningMessage]]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = glmlearn.fit(self.X, self.y, FAMILIES[self.family](self.link),
                               weights=self.weights, offset=self.offset, start=self.start,
                               mustart=self.mustart, etastart=self.etastart,
                               intercept=self.intercept)  # R's formula says 0 + x1 + ...
        return res, caught

    def write(self, folder: Path) -> dict[str, Any]:
        """Write the data to ``folder/<name>.csv``; return the case's manifest entry."""
        n, p = self.X.shape
        first = 1 if self.intercept else 0
        xcols = [f"x{j + 1}" for j in range(p)]
        cols: dict[str, np.ndarray] = {}
        if self.two_column:
            cols["s"], cols["f"] = self.y[:, 0], self.y[:, 1]
        else:
            cols["y"] = self.y
        cols["w"] = np.ones(n) if self.weights is None else self.weights
        if self.offset is not None:
            cols["off"] = self.offset
        for j, c in enumerate(xcols):
            cols[c] = self.X[:, j]
        path = folder / f"{self.name}.csv"
        with path.open("w", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(cols)
            out.writerows(zip(*(map(repr, map(float, v)) for v in cols.values()), strict=True))
        return {"name": self.name, "csv": str(path), "family": R_FAMILY[self.family],
                "link": R_LINK.get(self.link, self.link), "xcols": xcols[first:],
                "intercept": self.intercept, "two_column": self.two_column,
                "weights": self.weights is not None, "offset": self.offset is not None,
                "start": None if self.start is None else list(self.start),
                "mustart": None if self.mustart is None else list(self.mustart),
                "etastart": None if self.etastart is None else list(self.etastart)}


# ================================================================================================
# The cases
# ================================================================================================


def _col(ds: datasets.Dataset, name: str) -> np.ndarray:
    return np.asarray(ds[name], dtype=float)


def _dummies(codes: np.ndarray) -> np.ndarray:
    """Treatment-contrast columns (R's ``contr.treatment``): one per level after the first."""
    levels = sorted(set(codes.tolist()))
    return np.column_stack([(codes == lev).astype(float) for lev in levels[1:]])


def _design(*blocks: np.ndarray) -> np.ndarray:
    """An intercept column followed by the given columns."""
    cols = [b.reshape(len(b), -1) for b in blocks]
    return np.column_stack([np.ones(len(cols[0])), *cols])


def _sig6(a: np.ndarray) -> np.ndarray:
    """Round to 6 significant digits (simulated data: the CSV then holds exact values)."""
    a = np.asarray(a, dtype=float)
    return np.array([float(f"{v:.6g}") for v in a.ravel()]).reshape(a.shape)


def _beetles() -> list[Case]:
    ds = datasets.load("beetles")
    dose, n, killed = _col(ds, "dose"), _col(ds, "n"), _col(ds, "killed")
    X = _design(dose)
    cases = [Case(f"beetles_{link}", "binomial", link, X, killed / n, weights=n)
             for link in ("logit", "probit", "cloglog", "cauchit")]
    two = np.column_stack([killed, n - killed])
    cases += [Case(f"beetles_{link}_cbind", "binomial", link, X, two)
              for link in ("logit", "cloglog")]
    # a quadratic in centred dose, and an offset (the slope fixed at 30 per unit dose)
    d = dose - dose.mean()
    cases.append(Case("beetles_logit_quadratic", "binomial", "logit", _design(d, d**2), two))
    cases.append(Case("beetles_logit_offset", "binomial", "logit", X, killed / n, weights=n,
                      offset=30 * dose))
    return cases


def _challenger() -> list[Case]:
    ds = datasets.load("challenger")
    temp, distressed = _col(ds, "temperature"), _col(ds, "distressed")
    X = _design(temp)
    return [
        # Dalal et al.: distressed O-rings out of 6, logistic in temperature
        Case("challenger_logit_cbind", "binomial", "logit", X,
             np.column_stack([distressed, 6 - distressed])),
        Case("challenger_logit_trials", "binomial", "logit", X, distressed / 6,
             weights=np.full(len(temp), 6.0)),
        Case("challenger_damage_probit", "binomial", "probit", X, _col(ds, "damage")),
        # log link (relative risk), pressure as a second covariate
        Case("challenger_log", "binomial", "log", _design(temp, _col(ds, "pressure")),
             distressed / 6, weights=np.full(len(temp), 6.0)),
    ]


def _clotting() -> list[Case]:
    ds = datasets.load("clotting")
    u, lot1, lot2 = _col(ds, "u"), _col(ds, "lot1"), _col(ds, "lot2")
    X = _design(np.log(u))
    # both lots in long form: lot * log(u) (McCullagh & Nelder, Section 8.4.2)
    lot = np.repeat([0.0, 1.0], len(u))
    lu = np.log(np.tile(u, 2))
    Xboth = _design(lot, lu, lot * lu)
    both = np.concatenate([lot1, lot2])
    cases = [Case(f"clotting_gamma_{link}", "gamma", link, X, lot1)
             for link in ("inverse", "log", "identity")]
    cases += [
        Case("clotting_gamma_lot2", "gamma", "inverse", X, lot2),
        # the same start on both sides (a far one, from which no step raises the deviance)
        Case("clotting_gamma_log_start", "gamma", "log", X, lot1, start=(10.0, -2.0)),
        Case("clotting_gamma_log_bad_start", "gamma", "log", X, lot1, start=(0.0, 1.0)),
        # a start from which the full step leaves mu > 0: R halves it ("out of bounds")
        Case("clotting_gamma_identity_bad_start", "gamma", "identity", X, lot1,
             start=(5.0, -0.5)),
        Case("clotting_gamma_both_lots", "gamma", "inverse", Xboth, both),
        Case("clotting_gaussian_identity", "gaussian", "identity", X, lot1),
        Case("clotting_gaussian_log", "gaussian", "log", X, lot1),
        # from beta = 0 the first full step jumps to a deviance of 3.7e75, and every later
        # step only divides it by ~7: R's rule does not converge in 25 iterations
        Case("clotting_gaussian_log_zero_start", "gaussian", "log", X, lot1, start=(0.0, 0.0)),
        # R's mustart and etastart: the same fits from other starting points
        Case("clotting_gamma_log_mustart", "gamma", "log", X, lot1,
             mustart=tuple(np.full(len(u), 40.0))),
        Case("clotting_gamma_identity_etastart", "gamma", "identity", X, lot1,
             etastart=tuple(np.full(len(u), 30.0))),
        Case("clotting_gaussian_inverse", "gaussian", "inverse", X, lot1),
        Case("clotting_inverse_gaussian", "inverse_gaussian", "inverse_squared", X, lot1),
        Case("clotting_inverse_gaussian_inverse", "inverse_gaussian", "inverse", Xboth, both),
    ]
    return cases


def _dobson() -> list[Case]:
    ds = datasets.load("dobson_counts")
    counts = _col(ds, "counts")
    X = _design(_dummies(np.asarray(ds["outcome"])), _dummies(np.asarray(ds["treatment"])))
    return [Case(f"dobson_{link}", "poisson", link, X, counts)
            for link in ("log", "identity", "sqrt")]


def _doctors() -> list[Case]:
    ds = datasets.load("doctors")
    smokes, age = _col(ds, "smokes"), _col(ds, "agecat")
    deaths, py = _col(ds, "deaths"), _col(ds, "person_years")
    # Dobson & Barnett 9.2.1: smokes + agecat + agecat^2 + smokes:agecat, offset log(py)
    X = _design(smokes, age, age**2, smokes * age)
    return [
        Case("doctors_log_offset", "poisson", "log", X, deaths, offset=np.log(py)),
        # the same rates as a weighted Poisson fit of deaths / person-years (rate per 1e5)
        Case("doctors_rate_weights", "poisson", "log", X, deaths / py * 1e5,
             weights=py / 1e5),
    ]


def _ships() -> list[Case]:
    ds = datasets.load("ships")
    keep = np.asarray(ds["service"]) > 0  # 6 empty cells (see ships.md)
    X = _design(_dummies(np.asarray(ds["type"])[keep]), _dummies(np.asarray(ds["year"])[keep]),
                _dummies(np.asarray(ds["period"])[keep]))
    y = _col(ds, "incidents")[keep]
    off = np.log(_col(ds, "service")[keep])
    return [Case("ships_log_offset", "poisson", "log", X, y, offset=off)]


def _lesson() -> list[Case]:
    """The reference lesson's pass/fail data (lesson 1), exactly as the lesson makes it."""
    state = np.random.get_state()  # noqa: NPY002
    try:
        np.random.seed(42)  # noqa: NPY002
        hours = np.random.uniform(1, 10, 200)  # noqa: NPY002
        passed = np.random.binomial(1, 1 / (1 + np.exp(-(-3 + 0.8 * hours))))  # noqa: NPY002
    finally:
        np.random.set_state(state)  # noqa: NPY002
    passed = passed.astype(float)
    assert int(passed.sum()) == 142  # lesson 1 prints "Students who passed: 142/200"
    X = _design(hours)
    cases = [Case(f"lesson_passfail_{link}", "binomial", link, X, passed)
             for link in ("logit", "probit", "cloglog", "cauchit")]
    # from a bad start: the first full step raises the deviance
    cases.append(Case("lesson_passfail_logit_bad_start", "binomial", "logit", X, passed,
                      start=(0.0, 1.0)))
    # lesson 7: the first ten students who passed took a prep course (a 0/1 column all of
    # whose rows passed): quasi-complete separation, which R fits without a warning
    prep = np.zeros(200)
    prep[np.flatnonzero(passed)[:10]] = 1.0
    cases.append(Case("lesson_prep_course_dummy", "binomial", "logit", _design(hours, prep),
                      passed))
    return cases


def _simulated() -> list[Case]:
    rng = np.random.default_rng(20240611)
    n = 60
    x1 = _sig6(rng.uniform(0, 2, n))
    x2 = _sig6(rng.normal(0, 1, n))
    X = _design(x1, x2)
    w = _sig6(rng.uniform(0.5, 3, n))
    off = _sig6(rng.uniform(-0.2, 0.2, n))
    cases: list[Case] = []

    def gamma_y(mu: np.ndarray, shape: float) -> np.ndarray:
        return _sig6(rng.gamma(shape, mu / shape))

    def ig_y(mu: np.ndarray, lam: float) -> np.ndarray:
        return _sig6(rng.wald(mu, lam))

    mu_log = np.exp(0.5 + 0.4 * x1 - 0.3 * x2)
    mu_id = 2 + 1.5 * x1 + 0.5 * x2 + 1.0  # positive for |x2| < 6
    cases += [
        Case("sim_gamma_log_weights", "gamma", "log", X, gamma_y(mu_log, 4.0), weights=w),
        Case("sim_gamma_log_offset", "gamma", "log", X, gamma_y(mu_log * np.exp(off), 4.0),
             offset=off),
        Case("sim_gamma_identity", "gamma", "identity", X, gamma_y(mu_id, 6.0)),
        Case("sim_gamma_inverse_weights", "gamma", "inverse", X,
             gamma_y(1 / (0.3 + 0.1 * x1 + 0.05 * x2 + 0.3), 5.0), weights=w),
        Case("sim_inverse_gaussian_log", "inverse_gaussian", "log", X, ig_y(mu_log, 8.0)),
        Case("sim_inverse_gaussian_identity", "inverse_gaussian", "identity", X,
             ig_y(mu_id, 20.0), weights=w),
        Case("sim_inverse_gaussian_inverse_squared", "inverse_gaussian", "inverse_squared", X,
             ig_y(1 / np.sqrt(0.2 + 0.05 * x1 + 0.02 * x2 + 0.1), 10.0), weights=w),
    ]

    lam_sqrt = (1.5 + 0.8 * x1 + 0.3 * x2 + 1.0) ** 2
    lam_id = 3 + 2 * x1 + 0.5 * x2 + 2.0
    cases += [
        Case("sim_poisson_sqrt", "poisson", "sqrt", X, rng.poisson(lam_sqrt).astype(float)),
        Case("sim_poisson_sqrt_weights", "poisson", "sqrt", X,
             rng.poisson(lam_sqrt).astype(float), weights=w),
        # identity link with a start R accepts (a valid mu everywhere)
        Case("sim_poisson_identity_start", "poisson", "identity", X,
             rng.poisson(lam_id).astype(float), start=(5.0, 2.0, 0.0)),
        Case("sim_poisson_log_weights_offset", "poisson", "log", X,
             rng.poisson(np.exp(1 + 0.5 * x1 + 0.2 * x2 + off)).astype(float),
             weights=w, offset=off),
    ]

    trials = rng.integers(5, 30, n).astype(float)
    p_log = np.exp(-2.5 + 0.3 * x1 + 0.2 * x2)
    succ = rng.binomial(trials.astype(int), p_log).astype(float)
    cases += [
        Case("sim_binomial_log_start", "binomial", "log", X, succ / trials, weights=trials,
             start=(-2.0, 0.0, 0.0)),
        Case("sim_binomial_cloglog_offset", "binomial", "cloglog", X,
             np.column_stack([succ, trials - succ]), offset=off),
    ]

    mu_g = 1 + 2 * x1 - x2
    yg = _sig6(mu_g + rng.normal(0, 0.5, n))
    ypos = _sig6(np.exp(0.3 + 0.5 * x1 + 0.2 * x2) + rng.normal(0, 0.2, n))
    cases += [
        Case("sim_gaussian_weights_offset", "gaussian", "identity", X, yg, weights=w, offset=off),
        Case("sim_gaussian_log", "gaussian", "log", X, ypos),
        Case("sim_gaussian_inverse_weights", "gaussian", "inverse", X,
             _sig6(1 / (0.5 + 0.2 * x1 + 0.1 * x2) + rng.normal(0, 0.05, n)), weights=w),
        Case("sim_gaussian_no_intercept", "gaussian", "identity", X[:, 1:], yg),
        Case("sim_poisson_no_intercept", "poisson", "log", X[:, 1:],
             rng.poisson(np.exp(0.5 * x1 + 0.2 * x2)).astype(float)),
    ]

    # one row with prior weight zero (R keeps the row in the data, drops it from the fit)
    w0 = w.copy()
    w0[3] = 0.0
    cases += [
        Case("sim_gamma_zero_weight", "gamma", "log", X, gamma_y(mu_log, 4.0), weights=w0),
        Case("sim_poisson_zero_weight", "poisson", "log", X,
             rng.poisson(np.exp(1 + 0.5 * x1)).astype(float), weights=w0),
        Case("sim_binomial_zero_weight", "binomial", "logit", X, succ / trials,
             weights=np.where(np.arange(n) == 3, 0.0, trials)),
        Case("sim_gaussian_zero_weight", "gaussian", "identity", X, yg, weights=w0),
    ]
    return cases


def _near_boundary() -> list[Case]:
    """Poisson rates linear in x (identity link) from the start 1 + 0.1 x, which is valid,
    while the full step from it makes some rates negative: R halves the step ("step size
    truncated: out of bounds"). In the first the maximum is inside the valid region (one
    halving, then 17 plain steps); in the second, lesson 7's additive model, it lies on its
    edge (the rate at x = 1 is 0), so every step is halved and R ends with "algorithm
    stopped at boundary value". There X'WX has a weight 1/mu ~ 1e11 at the end, so the
    last full steps carry rounding of ~1e-9 in either program: its numbers are compared in
    ``test_maximum_on_the_edge`` with that tolerance, not in the 1e-10 table."""
    x = np.arange(1.0, 11.0)
    inside = np.array([1, 0, 2, 2, 3, 1, 4, 6, 5, 9], dtype=float)
    counts = np.array([0, 1, 0, 2, 3, 1, 4, 6, 5, 9], dtype=float)
    return [Case("poisson_identity_halved_start", "poisson", "identity", _design(x), inside,
                 start=(1.0, 0.1)),
            Case("additive_poisson_identity_start", "poisson", "identity", _design(x), counts,
                 start=(1.0, 0.1), numbers=False)]


def _infinite_estimates() -> list[Case]:
    """Lesson 7's counts at three sites, the third with zero counts only (a 0/1 column all
    of whose rows have y = 0), and responses that are all 0 or all 1: R converges by its
    criterion and says nothing; glmlearn matches its numbers and names the trouble."""
    rng = np.random.default_rng(1)
    site = np.repeat([0, 1, 2], 8)
    counts = np.r_[rng.poisson(4, 8), rng.poisson(2, 8), np.zeros(8)].astype(float)
    Xs = _design((site == 1).astype(float), (site == 2).astype(float))
    x = np.arange(1.0, 21.0)
    return [Case("poisson_zero_site", "poisson", "log", Xs, counts),
            # (deviances ~1e-10, left by cancellation: compared in test_r_is_silent_here)
            Case("poisson_all_zero", "poisson", "log", _design(x), np.zeros(20), numbers=False),
            Case("binomial_all_ones", "binomial", "logit", _design(x), np.ones(20),
                 numbers=False)]


def _warning_cases() -> list[Case]:
    """Fits whose numbers are not comparable (coefficients running off to infinity) but whose
    warnings are: glmlearn must report what R warns about."""
    x = np.arange(1.0, 11.0)
    y = (x > 5.5).astype(float)  # complete separation at x = 5.5
    Xq = _design(x)
    yq = (x > 5).astype(float)
    yq[5] = 0.0  # x = 6 is a zero, then ones: still separable (threshold 6.5)
    return [
        Case("separated_logit", "binomial", "logit", _design(x), y, numbers=False),
        Case("separated_probit", "binomial", "probit", _design(x), y, numbers=False),
        Case("separated_logit_shifted", "binomial", "logit", Xq, yq, numbers=False),
    ]


CASES: list[Case] = [*_beetles(), *_challenger(), *_clotting(), *_dobson(), *_doctors(),
                     *_ships(), *_lesson(), *_simulated(), *_near_boundary(),
                     *_infinite_estimates(), *_warning_cases()]
BY_NAME = {c.name: c for c in CASES}
assert len(BY_NAME) == len(CASES), "case names must be unique"
NUMBER_CASES = [c.name for c in CASES if c.numbers]

#: Known, explained differences between R and glmlearn: (case, quantity) -> reason.
#: Each becomes a strict xfail, so the test fails the day the difference goes away.
_R_GAUSSIAN_ZERO_WEIGHT = (
    "R 4.2.2's gaussian()$aic counts every row, weight zero included: nobs <- length(y) and "
    "- sum(log(wt)) = +Inf, so R's AIC and BIC are Inf and logLik -Inf; glmlearn leaves "
    "zero-weight rows out (R's own numbers for the fit without the row: "
    "test_zero_weight_rows_count_as_absent)")
_R_BIC_ZERO_WEIGHT = (
    "R 4.2.2's BIC takes n from logLik.glm's nobs attribute, sum(!is.na(residuals)), which "
    "counts rows of prior weight zero (60 here), while nobs() does not (59); glmlearn's BIC "
    "uses log(59), as R's fit without the row does (test_zero_weight_rows_count_as_absent)")
KNOWN_DIFFERENCES: dict[tuple[str, str], str] = {
    ("sim_gaussian_zero_weight", "aic"): _R_GAUSSIAN_ZERO_WEIGHT,
    ("sim_gaussian_zero_weight", "bic"): _R_GAUSSIAN_ZERO_WEIGHT,
    ("sim_gaussian_zero_weight", "loglik"): _R_GAUSSIAN_ZERO_WEIGHT,
    ("sim_gamma_zero_weight", "bic"): _R_BIC_ZERO_WEIGHT,
    ("sim_poisson_zero_weight", "bic"): _R_BIC_ZERO_WEIGHT,
    ("sim_binomial_zero_weight", "bic"): _R_BIC_ZERO_WEIGHT,
}


# ================================================================================================
# Running both sides
# ================================================================================================


def _number(v: Any) -> float:
    """R's JSON number, or one of the strings ``na = "string"`` writes for NA, NaN, ±Inf."""
    if isinstance(v, str):
        return {"NA": np.nan, "NaN": np.nan, "Inf": np.inf, "-Inf": -np.inf}[v]
    return float(v)


def _vector(v: Any) -> np.ndarray:
    """R's vector (``auto_unbox`` turns a length-1 vector into a scalar)."""
    return np.array([_number(e) for e in (v if isinstance(v, list) else [v])])


@pytest.fixture(scope="module")
def r_fits(rscript, tmp_path_factory) -> dict[str, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("r_live")
    manifest = [c.write(folder) for c in CASES]
    path = folder / "manifest.json"
    path.write_text(json.dumps(manifest, indent=1))
    t0 = time.perf_counter()
    out = rscript("glm_cases.R", path)
    out["_seconds"] = time.perf_counter() - t0
    return out


@pytest.fixture(scope="module")
def py_fits() -> dict[str, tuple[glmlearn.GLMResult, list[warnings.WarningMessage]]]:
    return {c.name: c.fit() for c in CASES}


# ================================================================================================
# Comparisons
# ================================================================================================

NOISE = 1e-8  # a coefficient below NOISE x the largest is zero in theory


def _close(ours: Any, r: Any, rtol: float, floor: float = 0.0) -> str | None:
    """None when ``|ours - r| <= rtol * max(|r|, floor)`` elementwise (non-finite values
    must be identical: inf matches inf, NaN matches NaN), else a report."""
    ours, r = np.atleast_1d(np.asarray(ours, float)), np.atleast_1d(np.asarray(r, float))
    if ours.shape != r.shape:
        return f"shape {ours.shape} != R's {r.shape}"
    finite = np.isfinite(r) & np.isfinite(ours)
    same = (ours == r) | (np.isnan(ours) & np.isnan(r))
    diff = np.where(finite, np.abs(ours - np.where(finite, r, 0.0)), np.inf)
    scale = np.maximum(np.abs(np.where(finite, r, 0.0)), floor)
    bad = ~same & ~(diff <= rtol * scale)
    if not bad.any():
        return None
    i = int(np.flatnonzero(bad)[np.argmax(diff[bad])])
    rel = diff[i] / scale[i] if scale[i] else np.inf
    return (f"{int(bad.sum())} of {r.size} differ; worst at index {i}: glmlearn "
            f"{ours[i]!r}, R {r[i]!r} (scaled difference {rel:.3g} > {rtol:g})")


def _coef_problem(res: glmlearn.GLMResult, r: dict[str, Any]) -> str | None:
    """Relative 1e-10; a coefficient that is zero in theory (below NOISE x the largest)
    is compared against the largest coefficient instead."""
    rc = _vector(r["coef"])
    big = float(np.max(np.abs(rc)))
    tiny = np.abs(rc) < NOISE * big
    return (_close(res.coef[~tiny], rc[~tiny], 1e-10)
            or _close(res.coef[tiny], rc[tiny], 1e-10, floor=big))


def _t_problem(res: glmlearn.GLMResult, r: dict[str, Any]) -> str | None:
    """Relative 1e-8; the z/t value of a coefficient that is zero in theory is noise over a
    standard error, compared against the largest |z/t| instead."""
    rc, rt = _vector(r["coef"]), _vector(r["tvalues"])
    tiny = np.abs(rc) < NOISE * float(np.max(np.abs(rc)))
    return (_close(res.tvalues[~tiny], rt[~tiny], 1e-8)
            or _close(res.tvalues[tiny], rt[tiny], 1e-8, floor=float(np.max(np.abs(rt)))))


def _resid_problem(ours: np.ndarray, r: Any) -> str | None:
    rv = _vector(r)
    return _close(ours, rv, 1e-8, floor=float(np.max(np.abs(rv))))


def _fitted_problem(res: glmlearn.GLMResult, r: dict[str, Any]) -> str | None:
    rv = _vector(r["fitted_values"])
    return _close(res.fitted_values, rv, 1e-10, floor=NOISE * float(np.max(np.abs(rv))))


def _exact(ours: Any, r: Any) -> str | None:
    return None if ours == r else f"glmlearn {ours!r}, R {r!r}"


COMPARE = {
    "coef": _coef_problem,
    "se": lambda res, r: _close(res.se, _vector(r["se"]), 1e-8),
    "tvalues": _t_problem,
    "pvalues": lambda res, r: _close(res.pvalues, _vector(r["pvalues"]), 1e-6),
    "deviance": lambda res, r: _close(res.deviance, _number(r["deviance"]), 1e-10),
    "null_deviance": lambda res, r: _close(res.null_deviance, _number(r["null_deviance"]), 1e-10),
    "df_residual": lambda res, r: _exact(int(res.df_residual), int(r["df_residual"])),
    "df_null": lambda res, r: _exact(int(res.df_null), int(r["df_null"])),
    "aic": lambda res, r: _close(res.aic, _number(r["aic"]), 1e-9),
    "bic": lambda res, r: _close(res.bic, _number(r["bic"]), 1e-9),
    "loglik": lambda res, r: _close(res.loglik, _number(r["loglik"]), 1e-9),
    "dispersion": lambda res, r: _close(res.dispersion, _number(r["dispersion"]), 1e-9),
    "n_iter": lambda res, r: _exact(int(res.n_iter), int(r["n_iter"])),
    "converged": lambda res, r: _exact(bool(res.converged), bool(r["converged"])),
    "resid_deviance": lambda res, r: _resid_problem(res.resid_deviance, r["resid_deviance"]),
    "resid_pearson": lambda res, r: _resid_problem(res.resid_pearson, r["resid_pearson"]),
    "fitted_values": _fitted_problem,
}


def _param(name: str, quantity: str | None = None) -> Any:
    """A test parameter, strictly xfailed when it is a known difference."""
    reason = KNOWN_DIFFERENCES.get((name, quantity or "warnings"))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    if quantity is None:
        return pytest.param(name, id=name, marks=marks)
    return pytest.param(name, quantity, id=f"{name}-{quantity}", marks=marks)


@pytest.mark.parametrize(("name", "quantity"),
                         [_param(n, q) for n in NUMBER_CASES for q in COMPARE])
def test_matches_r(r_fits, py_fits, name: str, quantity: str) -> None:
    res, _ = py_fits[name]
    problem = COMPARE[quantity](res, r_fits[name])
    assert problem is None, f"{name}, {quantity}: {problem}"


@pytest.mark.parametrize("name", NUMBER_CASES)
def test_same_model_on_both_sides(r_fits, py_fits, name: str) -> None:
    """R saw the columns glmlearn saw: as many coefficients, the intercept where expected."""
    case, r = BY_NAME[name], r_fits[name]
    names = r["coef_names"] if isinstance(r["coef_names"], list) else [r["coef_names"]]
    assert len(names) == case.X.shape[1]
    assert (names[0] == "(Intercept)") == case.intercept
    # R's `boundary` says that the last step was halved, not that a mean is at its edge
    assert r["boundary"] is (py_fits[name][0].trace[-1].step_halvings > 0)


ZERO_WEIGHT_CASES = [c.name for c in CASES if c.weights is not None and np.any(c.weights == 0)]


@pytest.mark.parametrize("name", ZERO_WEIGHT_CASES)
def test_zero_weight_rows_count_as_absent(r_fits, py_fits, name: str) -> None:
    """A row of prior weight zero is not an observation: glmlearn's AIC, BIC and logLik are
    R's for the same fit without that row (R refits it in tests/r/glm_cases.R)."""
    res, _ = py_fits[name]
    r, dropped = r_fits[name], r_fits[name]["zero_weights_dropped"]
    assert int(dropped["nobs"]) == int(r["nobs"]) == int(np.sum(BY_NAME[name].weights > 0))
    assert _close(res.coef, _vector(dropped["coef"]), 1e-10) is None
    for q in ("aic", "bic", "loglik"):
        assert _close(getattr(res, q), _number(dropped[q]), 1e-9) is None, (
            q, getattr(res, q), dropped[q])


def test_every_family_and_link_is_compared() -> None:
    """Every link each family allows (R allows the same ones) has a fit compared with R."""
    covered = {(BY_NAME[n].family, BY_NAME[n].link) for n in NUMBER_CASES}
    wanted = {(name, link) for name, make in FAMILIES.items() for link in make().allowed_links}
    assert wanted <= covered, sorted(wanted - covered)
    kinds = {"weights": any(BY_NAME[n].weights is not None for n in NUMBER_CASES),
             "offset": any(BY_NAME[n].offset is not None for n in NUMBER_CASES),
             "start": any(BY_NAME[n].start is not None for n in NUMBER_CASES),
             "two columns": any(BY_NAME[n].two_column for n in NUMBER_CASES),
             "no intercept": any(not BY_NAME[n].intercept for n in NUMBER_CASES)}
    assert all(kinds.values()), kinds


def _r_warnings(r: dict[str, Any]) -> list[str]:
    return r["warnings"] if isinstance(r["warnings"], list) else [r["warnings"]]


def _r_flags(r: dict[str, Any]) -> set[str]:
    ws = _r_warnings(r)
    unknown = [w for w in ws if w not in R_WARNING_FLAGS and not w.startswith(R_NOTES)]
    assert not unknown, f"R warned something this module does not map: {unknown}"
    return {R_WARNING_FLAGS[w] for w in ws if w in R_WARNING_FLAGS}


@pytest.mark.parametrize("name", [_param(c.name) for c in CASES])
def test_warnings_match_r(r_fits, py_fits, name: str) -> None:
    """R's glm.fit warnings and glmlearn's flags say the same (for what R can warn about)."""
    res, caught = py_fits[name]
    expected = _r_flags(r_fits[name])
    assert set(res.flags & FLAGS_R_KNOWS) == expected, (
        f"{name}: glmlearn flags {sorted(res.flags)}, R warned {r_fits[name]['warnings']!r}")
    # each flag is also a warning of its own category, raised once
    kinds = {"boundary": glmlearn.BoundaryWarning, "not_converged": glmlearn.ConvergenceWarning,
             "step_halving": glmlearn.StepHalvingWarning}
    for flag in expected:
        assert sum(issubclass(w.category, kinds[flag]) for w in caught) == 1, (flag, caught)


@pytest.mark.parametrize("name", [c.name for c in CASES if c.name.startswith("separated")])
def test_separated_fit_warns_like_r(r_fits, py_fits, name: str) -> None:
    """R: 'glm.fit: fitted probabilities numerically 0 or 1 occurred'; glmlearn: a
    BoundaryWarning with R's words, and a SeparationWarning R does not give."""
    r = r_fits[name]
    assert "glm.fit: fitted probabilities numerically 0 or 1 occurred" in r["warnings"]
    res, caught = py_fits[name]
    boundary = [w for w in caught if issubclass(w.category, glmlearn.BoundaryWarning)]
    assert len(boundary) == 1
    assert "fitted probabilities numerically 0 or 1 occurred" in str(boundary[0].message)
    assert {"boundary", "separation"} <= res.flags
    assert any(issubclass(w.category, glmlearn.SeparationWarning) for w in caught)
    assert (res.converged, res.n_iter) == (bool(r["converged"]), int(r["n_iter"]))


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_halving_warnings_in_rs_words(r_fits, py_fits, name: str) -> None:
    """Every 'step size truncated' warning R gives, glmlearn's StepHalvingWarning quotes,
    and it adds R's 'algorithm stopped at boundary value' exactly when R does."""
    _res, caught = py_fits[name]
    r_warnings = set(_r_warnings(r_fits[name]))
    ours = " ".join(str(w.message) for w in caught
                    if issubclass(w.category, glmlearn.StepHalvingWarning))
    for words in ("step size truncated due to divergence", "step size truncated: out of bounds"):
        assert (words in r_warnings) is (f"'{words}'" in ours), (words, r_warnings, ours)
    stopped = "glm.fit: algorithm stopped at boundary value"
    assert (stopped in r_warnings) is (stopped in ours), (r_warnings, ours)


def test_maximum_on_the_edge(r_fits, py_fits) -> None:
    """Lesson 7's additive Poisson model: both programs halve every one of the same 15 steps
    and stop at the same point on the edge of the valid region (see ``_near_boundary``)."""
    res, _ = py_fits["additive_poisson_identity_start"]
    r = r_fits["additive_poisson_identity_start"]
    assert (res.n_iter, res.converged) == (int(r["n_iter"]), bool(r["converged"])) == (15, True)
    assert all(s.step_halvings == 1 for s in res.trace[1:])
    assert _close(res.coef, _vector(r["coef"]), 1e-8) is None
    assert _close(res.deviance, _number(r["deviance"]), 1e-10) is None


def test_glm2_rule_from_bad_starts(r_fits, py_fits) -> None:
    """From a start where the first step raises the deviance, R's rule (the default) follows
    R wherever it goes (compared in the table above: the logit fit diverges, 25 iterations,
    not converged), while glm2's rule, ``step_halving="deviance"``, halves the rising steps
    and reaches the MLE that R finds from its default start."""
    r_bad, r_mle = r_fits["lesson_passfail_logit_bad_start"], r_fits["lesson_passfail_logit"]
    assert r_bad["converged"] is False and int(r_bad["n_iter"]) == 25
    assert "glm.fit: algorithm did not converge" in r_bad["warnings"]
    res, _ = py_fits["lesson_passfail_logit_bad_start"]
    assert not res.converged and "not_converged" in res.flags
    case = BY_NAME["lesson_passfail_logit_bad_start"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        glm2 = glmlearn.fit(case.X, case.y, "binomial", start=case.start,
                            step_halving="deviance")
    assert _close(glm2.coef, _vector(r_mle["coef"]), 1e-10) is None
    assert _close(glm2.deviance, _number(r_mle["deviance"]), 1e-10) is None
    assert glm2.converged and glm2.flags == {"step_halving"}
    assert any("'step size truncated due to increasing deviance'" in str(w.message)
               for w in caught)

    # clotting times, gaussian with a log link from beta = 0: R creeps down from a deviance
    # of 3.7e75 for 25 iterations; glm2's rule halves the first step and reaches the optimum
    # R finds from its default start (both within R's criterion: the log link converges
    # linearly here)
    r_bad, r_mle = r_fits["clotting_gaussian_log_zero_start"], r_fits["clotting_gaussian_log"]
    assert r_bad["converged"] is False and _number(r_bad["deviance"]) > 1e50
    case = BY_NAME["clotting_gaussian_log_zero_start"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", glmlearn.GLMWarning)
        glm2 = glmlearn.fit(case.X, case.y, glmlearn.gaussian("log"), start=case.start,
                            step_halving="deviance")
    assert glm2.converged and glm2.flags == {"step_halving"}
    assert _close(glm2.coef, _vector(r_mle["coef"]), 1e-5) is None
    assert _close(glm2.deviance, _number(r_mle["deviance"]), 1e-8) is None

    # gamma, log link: Fisher scoring converges linearly, so the two paths stop at points
    # within R's criterion of the same optimum, and glm2's path is shorter
    case = BY_NAME["clotting_gamma_log_bad_start"]
    r_bad = r_fits["clotting_gamma_log_bad_start"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", glmlearn.GLMWarning)
        glm2 = glmlearn.fit(case.X, case.y, glmlearn.gamma("log"), start=case.start,
                            step_halving="deviance")
    assert glm2.converged and r_bad["converged"] is True and "step_halving" in glm2.flags
    assert glm2.n_iter < int(r_bad["n_iter"])
    assert _close(glm2.deviance, _number(r_bad["deviance"]), 1e-8) is None
    assert _close(glm2.coef, _vector(r_bad["coef"]), 1e-5) is None


@pytest.mark.parametrize(("name", "flag"), [
    ("lesson_prep_course_dummy", "separation"), ("poisson_zero_site", "infinite_estimate"),
    ("poisson_all_zero", "infinite_estimate"), ("binomial_all_ones", "separation")])
def test_r_is_silent_here(r_fits, py_fits, name: str, flag: str) -> None:
    """R converges by its criterion and warns nothing; glmlearn stops at the same iterate
    and names the trouble."""
    r, (res, _) = r_fits[name], py_fits[name]
    assert r["converged"] is True and _r_warnings(r) == []
    assert res.converged and res.n_iter == int(r["n_iter"])
    # (a slope that is 0 in theory is noise next to the intercept: compared against it)
    rc = _vector(r["coef"])
    assert _close(res.coef, rc, 1e-8, floor=float(np.max(np.abs(rc)))) is None
    assert _close(res.deviance, _number(r["deviance"]), 1e-4, floor=1e-12) is None
    assert flag in res.flags


def test_one_r_process_for_the_module(r_fits) -> None:
    """The whole module costs one Rscript start; keep it well under the lessons' budget."""
    assert set(r_fits) - {"_seconds"} == set(BY_NAME)
    assert r_fits["_seconds"] < 60, f"R took {r_fits['_seconds']:.1f} s for {len(CASES)} fits"


@pytest.mark.parametrize("rule", ["R", "deviance"])
def test_a_tiny_tolerance_never_calls_the_mle_not_the_mle(r_fits, py_fits, rule: str) -> None:
    """tol=1e-16 asks for more digits than double precision holds: the deviance then moves
    by rounding alone. Neither rule may halve for a rise of a few ulps, and no fit that
    reaches R's MLE at the default tolerance (in at most 12 iterations, so that 25 are
    enough for the last digits) may be called "not the MLE"."""
    quick = [n for n in NUMBER_CASES if bool(r_fits[n]["converged"]) and int(r_fits[n]["n_iter"])
             <= 12]
    assert len(quick) > 40
    for name in quick:
        case = BY_NAME[name]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = glmlearn.fit(case.X, case.y, FAMILIES[case.family](case.link),
                               weights=case.weights, offset=case.offset, start=case.start,
                               intercept=case.intercept, tol=1e-16, step_halving=rule)
        said = [str(w.message) for w in caught if "not the MLE" in str(w.message)]
        assert not said, (name, said)
        # R's estimate, at R's tolerance, is near the MLE: non-canonical links converge
        # linearly, so where the deviance is flat only to ~1e-5 in the coefficients
        assert _close(res.coef, _vector(r_fits[name]["coef"]), 1e-4,
                      floor=float(np.max(np.abs(res.coef)))) is None, name
        if rule == "deviance":
            rounding = [s for s in res.trace if s.halving_reason == "the deviance increased"
                        and s.iteration > py_fits[name][0].n_iter]
            assert not rounding, (name, rounding)
