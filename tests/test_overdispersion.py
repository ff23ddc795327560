"""Overdispersion without R: the families' definitions, theta's Newton search, the two-loop
result, the dispersion check's readings and the theta-trace picture. The numbers against R
are in ``tests/test_r_overdispersion.py``."""

from __future__ import annotations

import itertools
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy import special, stats

import glmlearn
from glmlearn._quasi import QUASI_VARIANCES, quasi, quasibinomial, quasipoisson
from glmlearn.errors import GLMInputError
from glmlearn.family import get_family
from glmlearn.negbin import negative_binomial, theta_ml

RNG = np.random.default_rng(20240501)
N = 300
X = np.column_stack([np.ones(N), RNG.normal(size=N)])
MU = np.exp(1.5 + 0.4 * X[:, 1])
Y_NB = RNG.negative_binomial(2.0, 2.0 / (2.0 + MU)).astype(float)  # theta = 2


def _quiet(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return glmlearn.fit(*args, **kwargs)


@pytest.fixture(scope="module")
def nb():
    return _quiet(X, Y_NB, "negative_binomial")


# --- quasi families -------------------------------------------------------------------------


def test_quasi_families_keep_the_base_familys_estimates_and_deviance():
    pois, qp = _quiet(X, Y_NB, "poisson"), _quiet(X, Y_NB, quasipoisson())
    np.testing.assert_array_equal(qp.coef, pois.coef)
    assert qp.deviance == pois.deviance and qp.n_iter == pois.n_iter
    pearson = np.sum((Y_NB - pois.mu) ** 2 / pois.mu) / pois.df_residual
    assert qp.dispersion == pytest.approx(pearson, rel=1e-5)  # (R's form: last step's weights)
    np.testing.assert_allclose(qp.se, pois.se * np.sqrt(qp.dispersion), rtol=1e-12)
    np.testing.assert_allclose(qp.pvalues, 2 * stats.t.sf(np.abs(qp.tvalues), N - 2))


@pytest.mark.parametrize("variance", QUASI_VARIANCES)
def test_quasi_variance_functions_are_rs(variance):
    mu = np.array([0.2, 0.5, 0.7])
    expected = {"constant": np.ones(3), "mu(1-mu)": mu * (1 - mu), "mu": mu, "mu^2": mu**2,
                "mu^3": mu**3}[variance]
    fam = quasi("log" if variance != "mu(1-mu)" else "logit", variance)
    np.testing.assert_allclose(fam.variance(mu), expected, rtol=1e-15)
    assert np.isnan(fam.loglik([0.3, 0.5, 0.6], mu)) and not fam.dispersion_fixed
    assert np.isnan(fam.aic([0.3, 0.5, 0.6], mu, None, 1))


def test_quasibinomial_is_binomial_with_its_dispersion_free():
    qb, b = quasibinomial("probit"), glmlearn.binomial("probit")
    assert qb.proportion_response and qb.link is b.link and qb.allowed_links == b.allowed_links
    y, mu = np.array([0.0, 0.5, 1.0]), np.array([0.3, 0.4, 0.9])
    np.testing.assert_array_equal(qb.unit_deviance(y, mu), b.unit_deviance(y, mu))


def test_unknown_family_names_list_the_overdispersion_families():
    with pytest.raises(GLMInputError, match=r"known families are .*'quasipoisson', "
                       r"'quasibinomial', 'quasi', 'negative_binomial'"):
        get_family("quasi-poisson")


# --- the negative binomial ---------------------------------------------------------------------


def test_negative_binomial_family_is_the_distribution():
    fam = negative_binomial(2.5)
    y, mu = np.array([0.0, 1.0, 4.0, 11.0]), np.array([0.7, 2.0, 3.5, 6.0])
    np.testing.assert_allclose(fam.variance(mu), mu + mu**2 / 2.5, rtol=1e-15)
    logpmf = stats.nbinom.logpmf(y, 2.5, 2.5 / (2.5 + mu))
    assert fam.loglik(y, mu) == pytest.approx(np.sum(logpmf), rel=1e-12)
    # the unit deviance is twice the log-likelihood ratio against the saturated model mu = y
    saturated = stats.nbinom.logpmf(y, 2.5, 2.5 / (2.5 + np.maximum(y, 1e-300)))
    np.testing.assert_allclose(fam.unit_deviance(y, mu), 2 * (saturated - logpmf), rtol=1e-9)
    assert get_family(fam, "sqrt").theta == 2.5  # relinking keeps theta


def test_theta_ml_solves_the_score_equation():
    est = theta_ml(Y_NB, MU)
    t = est.theta
    score = np.sum(special.digamma(t + Y_NB) - special.digamma(t) + np.log(t) + 1
                   - np.log(t + MU) - (Y_NB + t) / (MU + t))
    assert abs(score) < 1e-6 and not est.hit_limit and not est.truncated
    assert est.path[0] == est.start == pytest.approx(N / np.sum((Y_NB / MU - 1) ** 2))
    assert 1.4 < t < 2.8  # the data were drawn with theta = 2


def test_the_two_loops_are_kept(nb):
    steps = nb.theta_trace
    assert steps[0].theta_fitted == np.inf and steps[0].trace[0].beta is None  # Poisson, mustart
    for prev, step in itertools.pairwise(steps):
        assert step.theta_fitted == prev.theta  # each IRLS holds the previous theta fixed
        np.testing.assert_array_equal(step.trace[0].beta, prev.trace[-1].beta)  # and starts there
        assert step.trace[-1].converged and step.trace[0].problem.family.theta == step.theta_fitted
    assert steps[-1].criterion <= 1e-8 < steps[-2].criterion
    assert nb.two_loglik == pytest.approx(2 * negative_binomial(nb.theta).loglik(Y_NB, nb.mu),
                                          rel=1e-8)
    assert nb.aic == pytest.approx(-nb.two_loglik + 2 * (nb.rank + 1))
    text = str(nb.summary())
    total = sum(s.n_iter for s in steps)
    assert f"Theta: {nb.theta:.6g}" in text and text.splitlines()[-1] == (
        f"Outer iterations: {nb.n_outer} (IRLS at fixed theta, then theta at fixed means); "
        f"IRLS iterations: {total} in all, {steps[0].n_iter} of them the starting Poisson fit")
    # the Fisher count is the last inner loop's, and the summary says so
    assert (f"Number of Fisher scoring iterations: {steps[-1].n_iter}  (the last IRLS fit's, at "
            f"theta = {steps[-1].theta_fitted:.6g}; MASS prints this count)") in text
    # row 0's 2 loglik is the negative binomial's at the first theta and the Poisson means,
    # not the Poisson fit's own log-likelihood
    pois = glmlearn.fit(X, Y_NB, "poisson")
    assert steps[0].two_loglik == pytest.approx(
        2 * negative_binomial(steps[0].theta).loglik(Y_NB, pois.mu), rel=1e-10)
    assert steps[0].two_loglik > 2 * pois.loglik + 1


def test_fixed_theta_at_the_estimate_reproduces_the_fit(nb):
    fixed = _quiet(X, Y_NB, negative_binomial(nb.theta))
    # The two-loop fit's last IRLS took one step from the previous coefficients and
    # stopped on R's deviance criterion (1e-8): its coefficients are that close, not closer.
    np.testing.assert_allclose(fixed.coef, nb.coef, rtol=1e-4)
    assert fixed.deviance == pytest.approx(nb.deviance, rel=1e-8)
    assert fixed.aic == pytest.approx(nb.aic - 2, rel=1e-7)  # theta is not counted when given


# --- the dispersion check --------------------------------------------------------------------


def test_dispersion_check_readings():
    over = glmlearn.dispersion_check(_quiet(X, Y_NB, "poisson"))
    assert over.overdispersed and over.ratio > 1.5 and over.reading.startswith("Pearson X^2/df")
    y_pois = RNG.poisson(MU).astype(float)
    fine = glmlearn.dispersion_check(_quiet(X, y_pois, "poisson"))
    assert not fine.overdispersed and not fine.underdispersed
    assert "no evidence against the poisson family's dispersion of 1" in fine.reading
    y_under = np.round(MU)  # rounded means: far less variation than Poisson
    under = glmlearn.dispersion_check(_quiet(X, y_under, "poisson"))
    assert under.underdispersed and "underdispersed" in str(under)
    # for counts the advice names both variances; for proportions, quasi-binomial
    assert "'quasipoisson' takes Var(y) = phi*mu" in over.reading
    assert "'negative_binomial' takes Var(y) = mu + mu^2/theta" in over.reading
    n = 20
    trials = np.full(n, 10.0)
    props = RNG.beta(1, 1, size=n).round(1)  # far more spread than binomial(10, p)
    Xb = np.column_stack([np.ones(n), np.linspace(-1, 1, n)])
    binom = glmlearn.dispersion_check(_quiet(Xb, props, "binomial", weights=trials))
    assert binom.overdispersed and "family='quasibinomial'" in binom.reading
    assert "negative_binomial" not in binom.reading


# --- the picture of the outer loop --------------------------------------------------------------


def test_theta_trace_picture_draws_every_outer_iteration(nb):
    from glmlearn.plot import draw_theta_trace, explorer_figure

    fig, ax = plt.subplots()
    art = draw_theta_trace(ax, nb)
    np.testing.assert_array_equal(art.line.get_ydata(), nb.theta_path)
    assert [t.get_text() for t in art.labels] == [str(s.n_iter) for s in nb.theta_trace]
    lo, hi = ax.get_ylim()
    assert lo < min(nb.theta_path) and max(nb.theta_path) < hi
    plt.close(fig)
    # an inner loop is an ordinary trace: the state panels show it
    fig, panels = explorer_figure(nb.theta_trace[1].trace, panels=["deviance", "convergence"])
    assert set(panels) == {"deviance", "convergence"}
    plt.close(fig)


def test_the_log_link_is_not_the_negative_binomials_canonical_link(nb):
    from glmlearn import theorems

    assert not negative_binomial(2.0).is_canonical and not nb.family.is_canonical
    assert bool(theorems.check_wls3(nb, "general"))
    assert not bool(theorems.check_wls3(nb, "canonical"))  # X'(y - mu) = 0 does not hold


def test_estimating_theta_validates_as_negative_binomial_data():
    with pytest.raises(GLMInputError, match=r"^y: value -2.0 at index 1 is outside the "
                       r"negative_binomial family's domain \(non-negative counts\)"):
        glmlearn.fit(np.ones((3, 1)), [1, -2, 3], "negative_binomial")


def test_a_saturated_fit_sends_theta_to_infinity_without_numpy_warnings():
    Xs = np.column_stack([np.ones(3), [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = glmlearn.fit(Xs, [2.0, 5.0, 9.0], "negative_binomial")
    assert [w.category for w in caught] == [glmlearn.ThetaWarning]
    assert res.flags == {"theta_infinite"} and res.theta > 1e10


def test_the_alternation_limit_is_a_convergence_warning():
    with pytest.warns(glmlearn.GLMWarning) as record:
        res = glmlearn.fit(X, Y_NB, "negative_binomial", max_iter=2)
    messages = [str(w.message) for w in record]
    assert any(m.startswith("the alternation of IRLS and theta stopped at max_iter = 2 outer "
                            "iterations") and "alternation limit reached" in m for m in messages)
    assert any(m.startswith("theta's Newton search stopped at its limit of 1 steps")
               for m in messages)
    # (max_iter also limits theta's Newton search, as MASS's maxit: 1 step here)
    assert res.flags == {"not_converged", "theta_not_converged"}
    assert not res.outer_converged and res.n_outer == 2
    assert "(NOT converged)" in str(res.summary())


def test_a_quasi_fit_without_residual_df_says_its_dispersion_cannot_be_estimated():
    Xs = np.column_stack([np.ones(2), [0.0, 1.0]])
    with pytest.warns(glmlearn.ResidualDFWarning, match=r"the dispersion cannot be estimated"):
        res = glmlearn.fit(Xs, [2.0, 5.0], "quasipoisson")
    assert "no_residual_df" in res.flags and np.isnan(res.dispersion)
