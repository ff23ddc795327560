"""Overdispersion against R, run live: quasi families (R's ``glm``), the negative binomial
with theta fixed (MASS's ``negative.binomial``) and estimated (MASS's ``glm.nb``), and
quantile residuals (``statmod::qresiduals`` for continuous families; R's ``pnbinom`` /
``ppois`` bounds for discrete ones).

Every expected number comes from ``tests/r/overdispersion_cases.R``, which also hands over
the data and the design matrices R fitted (``model.matrix``: R's treatment coding).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import glmlearn
from glmlearn._quasi import quasi, quasibinomial, quasipoisson
from glmlearn.datasets import load
from glmlearn.errors import GLMInputError, GLMTypeError, ThetaWarning
from glmlearn.family import get_family
from glmlearn.negbin import negative_binomial


@pytest.fixture(scope="module")
def r(rscript):
    return rscript("overdispersion_cases.R")


def _X(case):
    return np.array(case["X"], dtype=float)


def _quiet_fit(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # none of these fits should warn
        return glmlearn.fit(*args, **kwargs)


def _check_summary(res, case):
    assert res.dispersion == pytest.approx(case["dispersion"], rel=1e-6)
    np.testing.assert_allclose(res.coef, case["coef"], rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(res.se, case["se"], rtol=1e-5)
    np.testing.assert_allclose(res.tvalues, case["stat"], rtol=1e-5)
    np.testing.assert_allclose(res.pvalues, case["p"], rtol=1e-4, atol=1e-12)
    assert res.deviance == pytest.approx(case["deviance"], rel=1e-8)
    assert res.null_deviance == pytest.approx(case["null_deviance"], rel=1e-8)
    assert res.df_residual == case["df_residual"]
    assert res.n_iter == case["iter"]


# --- quasi families -------------------------------------------------------------------------


def test_quasipoisson_ships_matches_r(r):
    case = r["quasipoisson_ships"]
    res = _quiet_fit(_X(case), case["y"], "quasipoisson", offset=case["offset"],
                     column_names=case["names"])
    _check_summary(res, case)
    assert res.uses_t
    assert np.isnan(res.aic) and np.isnan(res.loglik) and np.isnan(res.bic)  # R: NA
    assert case["aic"] == "NA"
    assert "AIC: NA" in str(res.summary())
    # every Poisson standard error times sqrt(phi), phi = Pearson's X^2/df of the Poisson fit
    np.testing.assert_allclose(res.se, np.array(case["poisson_se"]) * np.sqrt(case["pearson"]),
                               rtol=1e-5)
    assert case["dispersion"] == pytest.approx(1.691, abs=5e-4)


def test_quasibinomial_takes_non_integer_successes_in_silence():
    X = np.column_stack([np.ones(4), [0.0, 1.0, 2.0, 3.0]])
    y, n = np.array([0.3, 0.45, 0.5, 0.8]), np.array([3.0, 4.0, 5.0, 2.0])
    res = _quiet_fit(X, y, "quasibinomial", weights=n)  # (binomial warns NonIntegerWarning)
    assert "non_integer" not in glmlearn.fit(X, y, "quasibinomial", weights=n).flags
    with pytest.warns(glmlearn.NonIntegerWarning):
        glmlearn.fit(X, y, "binomial", weights=n)
    assert res.converged


def test_quasibinomial_two_column_response_matches_r(r):
    case = r["quasibinomial_esoph"]
    y = np.column_stack([case["successes"], case["failures"]])
    res = _quiet_fit(_X(case), y, quasibinomial(), column_names=case["names"])
    _check_summary(res, case)
    assert res.family.name == "quasibinomial" and res.uses_t


@pytest.mark.parametrize("k", range(6))
def test_quasi_link_and_variance_match_r(r, k):
    case = r["quasi"][k]
    fam = quasi(link=case["link"], variance=case["variance"])
    res = _quiet_fit(_X(case), case["y"], fam, column_names=case["names"])
    _check_summary(res, case)
    assert fam.variance_name == case["variance"]


def test_quasi_families_by_name_and_relinked():
    assert get_family("quasipoisson").name == "quasipoisson"
    assert get_family("quasibinomial", "probit").link.name == "probit"
    relinked = get_family(quasi("log", "mu^2"), "inverse")
    assert (relinked.link.name, relinked.variance_name) == ("inverse", "mu^2")
    assert not quasipoisson().has_likelihood and not quasipoisson().dispersion_fixed


def test_quasi_bad_input_is_named():
    with pytest.raises(GLMInputError, match=r"^variance: 'mu\^4' is not a variance function "
                       r"of the quasi family; use one of 'constant', 'mu\(1-mu\)', 'mu', "
                       r"'mu\^2', 'mu\^3'"):
        quasi(variance="mu^4")
    with pytest.raises(GLMTypeError, match=r"^variance: expected one of .* got int 2"):
        quasi(variance=2)
    with pytest.raises(GLMInputError, match=r"^link: 'logit' is not available for the "
                       r"quasipoisson family; allowed links are 'log', 'identity', 'sqrt'"):
        quasipoisson("logit")
    assert quasi(variance="mu (1 - mu)").variance_name == "mu(1-mu)"  # R ignores spaces


# --- negative binomial, theta estimated (glm.nb) ------------------------------------------------


def test_quine_dataset_is_mass_quine(r):
    case = r["nb_quine"]
    quine = load("quine")
    np.testing.assert_array_equal(quine["Days"], case["y"])
    X = _X(case)
    assert case["names"][1:] == ["EthN", "SexM", "AgeF1", "AgeF2", "AgeF3", "LrnSL"]
    np.testing.assert_array_equal(X[:, 1], quine["Eth"] == "N")
    np.testing.assert_array_equal(X[:, 4], quine["Age"] == "F2")


def test_glm_nb_on_quine_matches_mass(r):
    case = r["nb_quine"]
    res = _quiet_fit(_X(case), case["y"], "negative_binomial", column_names=case["names"])
    assert isinstance(res, glmlearn.GLMResult)
    assert res.theta == pytest.approx(case["theta"], rel=1e-5)
    assert res.theta_se == pytest.approx(case["theta_se"], rel=1e-5)
    assert res.two_loglik == pytest.approx(case["twologlik"], rel=1e-8)
    np.testing.assert_allclose(res.coef, case["coef"], rtol=1e-6)
    np.testing.assert_allclose(res.se, case["se"], rtol=1e-5)
    np.testing.assert_allclose(res.pvalues, case["p"], rtol=1e-4)
    assert res.deviance == pytest.approx(case["deviance"], rel=1e-6)
    assert res.null_deviance == pytest.approx(case["null_deviance"], rel=1e-6)
    assert res.aic == pytest.approx(case["aic"], rel=1e-8)
    assert res.bic == pytest.approx(case["bic"], rel=1e-8)
    assert res.n_outer == case["outer"] and res.outer_converged
    assert res.n_iter == case["iter"]
    assert not res.uses_t and res.dispersion == 1.0
    # both loops are kept: the Poisson start fit, then one IRLS trace per outer iteration
    steps = res.theta_trace
    assert steps[0].theta_fitted == np.inf and steps[0].trace[-1].converged
    assert [s.theta_fitted for s in steps[1:]] == [s.theta for s in steps[:-1]]
    assert steps[-1].trace is res.trace
    assert steps[-1].two_loglik == res.two_loglik


def test_glm_nb_formula_fit_and_its_summary_print_as_mass(r):
    case = r["nb_quine"]
    res = _quiet_fit("Days ~ Eth + Sex + Age + Lrn", data=load("quine").frame(),
                     family="negative_binomial")
    assert res.theta == pytest.approx(case["theta"], rel=1e-5)
    np.testing.assert_allclose(res.coef, case["coef"], rtol=1e-6)
    ours = str(res.summary()).splitlines()
    mass = [line.rstrip() for line in r["nb_quine_print"]]
    # the coefficient table (R's printCoefmat digits), the family with its theta, the
    # deviances, AIC, the Fisher scoring count, then theta, its SE and 2 x log-likelihood
    start = mass.index("Coefficients:")
    table = mass[start + 1:start + 9]
    assert [t.rstrip(" *.") for t in table] == ours[ours.index("Coefficients:") + 1:][:8]
    for line in ("(Dispersion parameter for Negative Binomial(1.2749) family taken to be 1)",
                 "    Null deviance: 195.29  on 145  degrees of freedom",
                 "Residual deviance: 167.95  on 139  degrees of freedom", "AIC: 1109.2",
                 "Number of Fisher Scoring iterations: 1", "              Theta:  1.275",
                 "          Std. Err.:  0.161", " 2 x log-likelihood:  -1093.151"):
        assert line in mass and line in ours, line
    # glmlearn says what the Fisher count counts and adds the outer loop's count
    assert res.n_iter == case["iter"] == res.theta_trace[-1].n_iter
    assert ("Fisher Scoring iterations counted above: the last IRLS fit's, at theta = "
            f"{res.theta_trace[-1].theta_fitted:.6g}; MASS prints this count") in ours
    total = sum(s.n_iter for s in res.theta_trace)
    assert ours[-1] == (f"Outer iterations: {case['outer']} (IRLS at fixed theta, then theta at "
                        f"fixed means); IRLS iterations: {total} in all, "
                        f"{res.theta_trace[0].n_iter} of them the starting Poisson fit")


def test_glm_nb_summary_in_glmlearns_layout_names_the_response_and_rounds_as_r(r):
    case = r["nb_quine"]
    res = _quiet_fit("Days ~ Eth + Sex + Age + Lrn", data=load("quine").frame(),
                     family="negative_binomial")
    text = str(res.summary("glmlearn")).splitlines()
    assert text[0] == "Family: negative_binomial   Link: log   Response: Days"
    mass = [line.rstrip(" *.") for line in r["nb_quine_print"]]
    # every estimate with R's common decimals: the same cells as MASS's table
    for row in text[text.index("Coefficients:") + 1:][:8]:
        assert row in mass, row
    assert f"Outer iterations: {case['outer']} " in text[-1]
    assert any(t.startswith("Number of Fisher scoring iterations: 1  (the last IRLS fit's")
               for t in text)


def test_glm_nb_with_the_sqrt_link_matches_mass(r):
    case, expected = r["nb_quine"], r["nb_quine_sqrt"]
    res = _quiet_fit(_X(case), case["y"], negative_binomial(link="sqrt"))
    assert res.family.link.name == "sqrt"
    assert res.theta == pytest.approx(expected["theta"], rel=1e-5)
    assert res.theta_se == pytest.approx(expected["theta_se"], rel=1e-5)
    assert res.two_loglik == pytest.approx(expected["twologlik"], rel=1e-8)
    np.testing.assert_allclose(res.coef, expected["coef"], rtol=1e-6)
    assert res.n_outer == expected["outer"]


def test_glm_nb_from_a_family_without_theta_is_the_same_fit(r):
    case = r["nb_quine"]
    a = _quiet_fit(_X(case), case["y"], "negative_binomial")
    b = _quiet_fit(_X(case), case["y"], negative_binomial())
    assert a.theta == b.theta and a.theta_path == b.theta_path


def test_theta_runs_off_on_ships_as_in_mass(r):
    case = r["quasipoisson_ships"]
    assert r["nb_ships"]["th_warn"] == "iteration limit reached" and r["nb_ships"]["theta"] > 1e4
    with pytest.warns(ThetaWarning) as record:
        res = glmlearn.fit(_X(case), case["y"], "negative_binomial", offset=case["offset"])
    assert res.flags == {"theta_infinite"} and res.theta > 1e4
    assert record[0].filename == __file__  # the warning points at the call of fit


def test_theta_diverges_on_poisson_counts_with_a_warning_and_flag():
    rng = np.random.default_rng(1)
    x = rng.normal(size=200)
    y = rng.poisson(np.exp(1 + 0.3 * x))
    X = np.column_stack([np.ones(200), x])
    with pytest.warns(ThetaWarning, match=r"theta is running off to infinity .* no "
                      r"overdispersion.* theta -> infinity is the Poisson distribution"):
        res = glmlearn.fit(X, y, "negative_binomial")
    assert "theta_infinite" in res.flags
    pois = _quiet_fit(X, y, "poisson")
    np.testing.assert_allclose(res.coef, pois.coef, rtol=1e-3)


# --- negative binomial, theta fixed ---------------------------------------------------------------


@pytest.mark.parametrize("k", range(3))
def test_negative_binomial_fixed_theta_matches_mass(r, k):
    case = r["nb_fixed"]["cases"][k]
    X = _X(r["nb_fixed"])
    res = _quiet_fit(X, r["nb_fixed"]["y"], negative_binomial(theta=case["theta"]))
    _check_summary(res, case)
    assert res.loglik == pytest.approx(case["loglik"], rel=1e-9)
    assert res.aic == pytest.approx(case["aic"], rel=1e-9)


def test_negative_binomial_sqrt_link_matches_mass(r):
    case = r["nb_fixed"]
    res = _quiet_fit(_X(case), case["y"], negative_binomial(2, link="sqrt"))
    _check_summary(res, case["sqrt"])


def test_negative_binomial_bad_theta_is_named():
    for bad in (0, -1.5, float("inf"), float("nan")):
        with pytest.raises(GLMInputError, match=r"^theta: must be a positive finite number, "
                           r"got .*; theta is the negative binomial's shape"):
            negative_binomial(theta=bad)
    with pytest.raises(GLMTypeError, match=r"^theta: expected a positive number .* got str"):
        negative_binomial(theta="2")
    with pytest.raises(GLMInputError, match=r"^link: 'logit' is not available for the "
                       r"negative_binomial family"):
        negative_binomial(2, link="logit")
    with pytest.raises(GLMInputError, match=r"^family: the negative binomial's theta is not "
                       r"set; glmlearn.fit\(\) estimates it"):
        list(glmlearn.irls(np.ones((3, 1)), [1, 2, 3], negative_binomial()))


# --- quantile residuals ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "family"), [("gamma", glmlearn.gamma("log")),
                                              ("inverse_gaussian",
                                               glmlearn.inverse_gaussian("log")),
                                              ("gaussian", glmlearn.gaussian())])
def test_quantile_residuals_of_continuous_families_are_statmods(r, name, family):
    res = _quiet_fit(np.array(r["mtcars"]["X"]), r["mtcars"]["mpg"], family)
    np.testing.assert_allclose(res.residuals("quantile"), r["qres"][name], rtol=1e-7)


def test_quantile_residuals_of_discrete_families_lie_in_their_interval(r):
    from scipy import stats

    nb = _quiet_fit(_X(r["nb_quine"]), r["nb_quine"]["y"], "negative_binomial")
    ships = r["quasipoisson_ships"]
    pois = _quiet_fit(_X(ships), ships["y"], "poisson", offset=ships["offset"])
    es = r["quasibinomial_esoph"]
    binom = _quiet_fit(_X(es), np.column_stack([es["successes"], es["failures"]]), "binomial")
    for res, lo, hi in ((nb, "nb_lower", "nb_upper"), (pois, "poisson_lower", "poisson_upper"),
                        (binom, "binomial_lower", "binomial_upper")):
        q = res.residuals("quantile", rng=7)
        u = stats.norm.cdf(q)
        lower, upper = np.array(r["qres"][lo]), np.array(r["qres"][hi])
        assert np.all(u >= lower - 1e-6) and np.all(u <= upper + 1e-6)
        assert np.any(u > lower + 1e-3)  # randomised, not the lower bound
        np.testing.assert_array_equal(q, res.residuals("quantile", rng=7))  # seeded
        assert not np.array_equal(q, res.residuals("quantile", rng=8))


def test_quantile_residuals_need_a_distribution():
    X = np.column_stack([np.ones(6), np.arange(6.0)])
    res = _quiet_fit(X, [1, 3, 2, 6, 4, 9], "quasipoisson")
    with pytest.raises(GLMInputError, match=r"^kind: quantile residuals need a distribution"):
        res.residuals("quantile")


# --- the dispersion check ---------------------------------------------------------------------------


def test_dispersion_check_reads_pearsons_statistic(r):
    case = r["nb_quine"]
    pois = _quiet_fit(_X(case), case["y"], "poisson")
    check = glmlearn.dispersion_check(pois)
    assert check.ratio == pytest.approx(case["pearson_poisson"], rel=1e-8)
    assert check.p_value == pytest.approx(case["pearson_p"], rel=1e-6)
    assert check.overdispersed and not check.underdispersed
    assert check.reading.startswith("Pearson X^2/df = 13.17 (X^2 = 1830.2 on 139 df): "
                                    "overdispersed")
    assert "sqrt(13.17) = 3.63" in check.reading
    # the advice names both ways and how they differ, honestly
    assert ("family='quasipoisson' takes Var(y) = phi*mu" in check.reading
            and "family='negative_binomial' takes Var(y) = mu + mu^2/theta" in check.reading)
    assert "theta runs off to infinity says phi*mu fits better" in check.reading


def test_dispersion_check_of_a_family_that_estimates_phi_says_so(r):
    case = r["quasipoisson_ships"]
    qp = _quiet_fit(_X(case), case["y"], "quasipoisson", offset=case["offset"])
    check = glmlearn.dispersion_check(qp)
    # Pearson's X^2/df at the fitted means (summary's dispersion uses the last WLS step's
    # weights: the two agree to about 1e-5 here)
    assert check.ratio == pytest.approx(case["pearson"], rel=1e-6)
    assert check.ratio == pytest.approx(qp.dispersion, rel=1e-4)
    assert not check.overdispersed and "estimates its dispersion" in check.reading

