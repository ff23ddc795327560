"""Tests over the ``glmlearn.FAMILIES`` registry: links, variance, deviance, likelihood.

Reference values are statsmodels' family objects (``statsmodels.genmod.families``), which
implement the same textbook formulas independently. Where statsmodels and R (whose
conventions glmlearn follows) define the log-likelihood differently, the comparison is
made at R's definition and the difference is stated next to the test.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sm_families import SM_FAMILY, sm_family

import glmlearn
from glmlearn import FAMILIES, LINKS, Family
from glmlearn.family import get_family

FAMILY_NAMES = sorted(FAMILIES)
HYP = settings(max_examples=25, deadline=None)

# R's lists (?family): the links each family accepts, canonical first.
R_ALLOWED = {
    "gaussian": ("identity", "log", "inverse"),
    "binomial": ("logit", "probit", "cloglog", "cauchit", "log"),
    "poisson": ("log", "identity", "sqrt"),
    "gamma": ("inverse", "log", "identity"),
    "inverse_gaussian": ("inverse_squared", "inverse", "log", "identity"),
}

# statsmodels' family classes and link classes, for the same names.


def _sm_family(name: str, link: str | None = None):
    fam = get_family(name) if link is None else get_family(name, link)
    return sm_family(name, fam.link.name)


def _pairs() -> list[tuple[str, str]]:
    return [(f, lk) for f in FAMILY_NAMES for lk in FAMILIES[f]().allowed_links]


def _draw_y_mu(name: str, data: st.DataObject) -> tuple[np.ndarray, np.ndarray]:
    """Responses in the family's domain and means in its range (same length)."""
    size = data.draw(st.integers(1, 15))
    if name == "binomial":
        mu = data.draw(hnp.arrays(float, size, elements=st.floats(1e-4, 1 - 1e-4)))
        y = data.draw(hnp.arrays(float, size, elements=st.sampled_from([0.0, 0.25, 0.5, 1.0])))
    elif name == "poisson":
        mu = np.exp(data.draw(hnp.arrays(float, size, elements=st.floats(-5, 5))))
        y = data.draw(hnp.arrays(float, size, elements=st.integers(0, 50).map(float)))
    elif name == "gaussian":
        mu = data.draw(hnp.arrays(float, size, elements=st.floats(-100, 100)))
        y = data.draw(hnp.arrays(float, size, elements=st.floats(-100, 100)))
    else:  # positive responses
        mu = np.exp(data.draw(hnp.arrays(float, size, elements=st.floats(-4, 4))))
        y = np.exp(data.draw(hnp.arrays(float, size, elements=st.floats(-4, 4))))
    return y, mu


# --- the registry and the factories --------------------------------------------------------


def test_registry_holds_rs_five_families():
    assert set(FAMILIES) == set(R_ALLOWED)


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_factory_default_is_the_canonical_link(name):
    fam = FAMILIES[name]()
    assert isinstance(fam, Family)
    assert fam.name == name
    assert fam.link.name == fam.canonical_link == R_ALLOWED[name][0]
    assert fam.is_canonical
    assert fam.dispersion_fixed is (name in ("binomial", "poisson"))
    assert name in repr(fam) and fam.link.name in repr(fam)


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_allowed_links_are_rs(name):
    assert set(FAMILIES[name]().allowed_links) == set(R_ALLOWED[name])


@pytest.mark.parametrize(("name", "link"), _pairs())
def test_factory_accepts_allowed_link_by_name_and_object(name, link):
    by_name = FAMILIES[name](link)
    by_object = FAMILIES[name](LINKS[link])
    assert by_name.link is LINKS[link]
    assert by_object.link is LINKS[link]
    assert by_name.is_canonical is (link == by_name.canonical_link)


def test_inverse_gaussian_accepts_rs_spelling_of_its_canonical_link():
    fam = glmlearn.inverse_gaussian("1/mu^2")
    assert fam.link is LINKS["inverse_squared"]
    assert fam.is_canonical


@pytest.mark.parametrize(
    ("name", "link"),
    [(f, lk) for f in FAMILY_NAMES for lk in sorted(LINKS) if lk not in R_ALLOWED[f]],
)
def test_factory_refuses_other_links_listing_the_allowed_ones(name, link):
    for arg in (link, LINKS[link]):
        with pytest.raises(glmlearn.GLMInputError) as exc:
            FAMILIES[name](arg)
        msg = str(exc.value)
        assert msg.startswith("link: ")
        assert f"{link!r} is not available for the {name} family" in msg
        for allowed in R_ALLOWED[name]:
            assert repr(allowed) in msg


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_factory_refuses_unknown_link_name(name):
    with pytest.raises(glmlearn.GLMInputError, match=r"link: unknown link 'nope'; known links are"):
        FAMILIES[name]("nope")


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_family_is_frozen(name):
    fam = FAMILIES[name]()
    with pytest.raises(dataclasses.FrozenInstanceError):
        fam.name = "other"  # type: ignore[misc]


def test_get_family_names_aliases_and_errors():
    assert get_family("Gamma").name == "gamma"
    assert get_family("inverse.gaussian").name == "inverse_gaussian"
    assert get_family("normal").name == "gaussian"
    assert get_family("binomial", "probit").link.name == "probit"
    fam = glmlearn.poisson()
    assert get_family(fam) is fam
    assert get_family(fam, "sqrt").link.name == "sqrt"
    msg = r"family: unknown family 'binomal'; known families are"
    with pytest.raises(glmlearn.GLMInputError, match=msg) as e:
        get_family("binomal")
    for name in FAMILY_NAMES:
        assert repr(name) in str(e.value)
    msg = r"family: expected a family name or a glmlearn Family, got int"
    with pytest.raises(glmlearn.GLMTypeError, match=msg):
        get_family(3)  # type: ignore[arg-type]


@pytest.mark.parametrize(("name", "link"), _pairs())
def test_link_shortcuts_delegate_to_the_link(name, link):
    fam = FAMILIES[name](link)
    mu = np.array([0.2, 0.5, 0.7])
    eta = fam.link_fun(mu)
    np.testing.assert_array_equal(eta, LINKS[link].link(mu))
    np.testing.assert_array_equal(fam.link_inverse(eta), LINKS[link].inverse(eta))
    np.testing.assert_array_equal(fam.link_deriv(mu), LINKS[link].deriv(mu))
    np.testing.assert_array_equal(fam.mu_eta(eta), LINKS[link].inverse_deriv(eta))
    # they take plain lists (the lesson does)
    np.testing.assert_array_equal(fam.link_fun(list(mu)), eta)


# --- variance, domains, starting values ----------------------------------------------------


@pytest.mark.parametrize("name", FAMILY_NAMES)
@HYP
@given(data=st.data())
def test_variance_matches_statsmodels(name, data):
    _, mu = _draw_y_mu(name, data)
    fam = FAMILIES[name]()
    np.testing.assert_allclose(fam.variance(mu), SM_FAMILY[name]().variance(mu), rtol=1e-13)


@pytest.mark.parametrize(
    ("name", "valid", "invalid"),
    [
        ("gaussian", [-1e9, 0.0, 3.5], [np.nan, np.inf]),
        ("binomial", [0.0, 0.3, 1.0], [-0.1, 1.5, np.nan]),
        ("poisson", [0.0, 1.0, 17.0], [-1.0, np.inf]),
        ("gamma", [1e-9, 1.0, 1e9], [0.0, -1.0, np.nan]),
        ("inverse_gaussian", [1e-9, 1.0, 1e9], [0.0, -2.0, np.inf]),
    ],
)
def test_response_domain(name, valid, invalid):
    fam = FAMILIES[name]()
    assert fam.valid_y(np.array(valid)).all()
    assert not fam.valid_y(np.array(invalid)).any()
    assert isinstance(fam.y_domain, str) and fam.y_domain


@pytest.mark.parametrize(
    ("name", "valid", "invalid"),
    [
        ("gaussian", [-1e9, 0.0, 3.5], [np.nan, -np.inf]),
        ("binomial", [1e-15, 0.5, 1 - 1e-15], [0.0, 1.0, np.nan]),
        ("poisson", [1e-300, 1.0], [0.0, -1.0]),
        ("gamma", [1e-300, 1.0], [0.0, -1.0]),
        ("inverse_gaussian", [1e-300, 1.0], [0.0, -1.0]),
    ],
)
def test_mean_range(name, valid, invalid):
    fam = FAMILIES[name]()
    assert fam.valid_mu(np.array(valid)).all()
    assert not fam.valid_mu(np.array(invalid)).any()
    assert isinstance(fam.mu_domain, str) and fam.mu_domain


def test_starting_means_are_rs_mustart():
    # R: binomial (weights * y + 0.5) / (weights + 1); poisson y + 0.1; the others y itself.
    y = np.array([0.0, 0.5, 1.0])
    w = np.array([1.0, 4.0, 2.0])
    np.testing.assert_allclose(glmlearn.binomial().starting_mu(y, w), (w * y + 0.5) / (w + 1))
    counts = np.array([0.0, 3.0, 10.0])
    np.testing.assert_allclose(glmlearn.poisson().starting_mu(counts, w), counts + 0.1)
    pos = np.array([0.5, 2.0, 7.0])
    for fam in (glmlearn.gaussian(), glmlearn.gamma(), glmlearn.inverse_gaussian()):
        start = fam.starting_mu(pos, w)
        np.testing.assert_array_equal(start, pos)
        assert start is not pos  # a copy: IRLS may not alias the data


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_starting_means_are_valid_means(name):
    fam = FAMILIES[name]()
    y = {"binomial": [0.0, 1.0, 0.5], "poisson": [0.0, 2.0, 9.0], "gaussian": [-3.0, 0.0, 2.0]}.get(
        name, [0.1, 1.0, 20.0])
    assert fam.valid_mu(fam.starting_mu(np.array(y), np.ones(3))).all()


# --- deviance ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FAMILY_NAMES)
@HYP
@given(data=st.data())
def test_unit_deviance_is_nonnegative_and_zero_at_y_equal_mu(name, data):
    fam = FAMILIES[name]()
    y, mu = _draw_y_mu(name, data)
    d = fam.unit_deviance(y, mu)
    assert np.all(np.isfinite(d))
    assert np.all(d >= -1e-12 * np.maximum(1.0, np.abs(y)))
    # at y = mu (binomial/poisson: y in the open range, so y itself is a valid mean)
    at = mu
    np.testing.assert_allclose(fam.unit_deviance(at, at), 0.0, atol=1e-12)


@pytest.mark.parametrize("name", FAMILY_NAMES)
@HYP
@given(data=st.data())
def test_deviance_matches_statsmodels(name, data):
    fam = FAMILIES[name]()
    y, mu = _draw_y_mu(name, data)
    w = data.draw(hnp.arrays(float, y.size, elements=st.floats(0.1, 10)))
    if name == "binomial":
        w = np.round(w) + 1  # trials, so that w * y need not count successes here
    expected = SM_FAMILY[name]().deviance(y, mu, var_weights=w)
    np.testing.assert_allclose(fam.deviance(y, mu, w), expected, rtol=1e-9, atol=1e-10)
    # weights default to one
    np.testing.assert_allclose(fam.deviance(y, mu), SM_FAMILY[name]().deviance(y, mu), rtol=1e-9,
                               atol=1e-10)


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_unit_deviance_matches_statsmodels_deviance_residuals(name):
    fam = FAMILIES[name]()
    y, mu = {
        "gaussian": ([-1.0, 0.5, 3.0], [0.0, 0.5, 2.0]),
        "binomial": ([0.0, 1.0, 0.4], [0.3, 0.8, 0.5]),
        "poisson": ([0.0, 4.0, 1.0], [0.5, 3.0, 2.0]),
        "gamma": ([0.3, 2.0, 5.0], [1.0, 2.5, 4.0]),
        "inverse_gaussian": ([0.3, 2.0, 5.0], [1.0, 2.5, 4.0]),
    }[name]
    y, mu = np.array(y), np.array(mu)
    r = SM_FAMILY[name]().resid_dev(y, mu)  # sign(y - mu) sqrt(d)
    np.testing.assert_allclose(fam.unit_deviance(y, mu), r**2, rtol=1e-10, atol=1e-14)


# --- log-likelihood and AIC ----------------------------------------------------------------
#
# glmlearn follows R's ``logLik.glm``/``family$aic``: for gaussian, gamma and inverse
# Gaussian the dispersion plugged into the likelihood is the ML one, D / sum(w) (gaussian:
# D / n), and AIC counts it as a parameter. statsmodels' ``GLMResults.llf`` plugs in its own
# ``scale`` (the Pearson X2 estimate with scale="X2") except for gaussian with the identity
# link, where it too uses D / n; and its ``aic`` does not count the scale. So the family-level
# comparison below passes R's dispersion to statsmodels' ``family.loglike`` explicitly.


@pytest.mark.parametrize("name", ["gaussian", "gamma", "inverse_gaussian"])
@HYP
@given(data=st.data())
def test_loglik_matches_statsmodels_at_rs_dispersion(name, data):
    # Unit prior weights: with non-unit weights R multiplies each log density by w_i for
    # gamma and inverse Gaussian (not a likelihood in statsmodels' sense), so they differ.
    fam = FAMILIES[name]()
    y, mu = _draw_y_mu(name, data)
    phi_ml = fam.deviance(y, mu) / y.size
    if phi_ml < 1e-8:
        return  # a perfect fit: the likelihood is unbounded
    expected = SM_FAMILY[name]().loglike(y, mu, scale=phi_ml)
    np.testing.assert_allclose(fam.loglik(y, mu), expected, rtol=1e-9)


# inverse_gaussian: at commit b8abf5d its loglik hard-coded R's simplification D/phi = sum(w)
# (true only at phi = D / sum(w)), so an explicit dispersion gave a wrong value; this test
# pins the fix.
@pytest.mark.parametrize("name", ["gaussian", "gamma", "inverse_gaussian"])
@pytest.mark.parametrize("phi", [0.5, 2.0])
def test_loglik_with_an_explicit_dispersion_uses_it(name, phi):
    y = np.array([0.3, 2.0, 5.0, 1.0])
    mu = np.array([1.0, 2.5, 4.0, 1.2])
    expected = SM_FAMILY[name]().loglike(y, mu, scale=phi)
    assert FAMILIES[name]().loglik(y, mu, dispersion=phi) == pytest.approx(expected, rel=1e-10)


@HYP
@given(data=st.data())
def test_gaussian_loglik_matches_statsmodels_with_prior_weights(data):
    # For gaussian the weighted definitions agree: Var(y_i) = sigma^2 / w_i, sigma^2 = D / n.
    fam = glmlearn.gaussian()
    y, mu = _draw_y_mu("gaussian", data)
    w = data.draw(hnp.arrays(float, y.size, elements=st.floats(0.1, 10)))
    sigma2 = fam.deviance(y, mu, w) / y.size
    if sigma2 < 1e-8:
        return
    expected = sm.families.Gaussian().loglike(y, mu, var_weights=w, scale=sigma2)
    np.testing.assert_allclose(fam.loglik(y, mu, w), expected, rtol=1e-9)


def test_poisson_loglik_matches_statsmodels_with_prior_weights():
    y = np.array([0.0, 2.0, 5.0, 1.0])
    mu = np.array([0.5, 2.5, 4.0, 1.5])
    w = np.array([1.0, 2.0, 0.5, 3.0])
    expected = sm.families.Poisson().loglike(y, mu, var_weights=w)
    assert glmlearn.poisson().loglik(y, mu, w) == pytest.approx(expected, rel=1e-12)


def test_binomial_loglik_matches_statsmodels_two_column_form():
    # R: sum(dbinom(m y, m, mu, log = TRUE)), binomial coefficient included; statsmodels
    # includes it only when the response is given as (successes, failures), so compare there.
    succ = np.array([3.0, 0.0, 7.0, 10.0])
    fail = np.array([7.0, 5.0, 3.0, 0.0])
    mu = np.array([0.3, 0.1, 0.6, 0.9])
    m = succ + fail
    fam = sm.families.Binomial()
    fam.n = m  # what GLM.__init__ sets for a two-column response
    expected = fam.loglike(succ / m, mu)
    assert glmlearn.binomial().loglik(succ / m, mu, m) == pytest.approx(expected, rel=1e-12)
    # 0/1 data: no binomial coefficient anywhere
    y = np.array([0.0, 1.0, 1.0, 0.0])
    expected = sm.families.Binomial().loglike(y, mu)
    assert glmlearn.binomial().loglik(y, mu) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_aic_is_minus_two_loglik_plus_two_k(name):
    fam = FAMILIES[name]()
    y, mu = {
        "gaussian": ([-1.0, 0.5, 3.0, 2.0], [0.0, 0.5, 2.0, 2.5]),
        "binomial": ([0.0, 1.0, 1.0, 0.0], [0.3, 0.8, 0.5, 0.4]),
        "poisson": ([0.0, 4.0, 1.0, 2.0], [0.5, 3.0, 2.0, 2.0]),
        "gamma": ([0.3, 2.0, 5.0, 1.0], [1.0, 2.5, 4.0, 1.2]),
        "inverse_gaussian": ([0.3, 2.0, 5.0, 1.0], [1.0, 2.5, 4.0, 1.2]),
    }[name]
    y, mu = np.array(y), np.array(mu)
    k = 2 + (0 if fam.dispersion_fixed else 1)  # R's family$aic adds 2 for the dispersion
    assert fam.aic(y, mu, None, rank=2) == pytest.approx(-2 * fam.loglik(y, mu) + 2 * k, rel=1e-14)


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_fitted_llf_and_aic_match_statsmodels(name):
    # A whole fit, unit weights; see the block comment above for the conventions compared.
    rng = np.random.default_rng(20240611)
    n = 60
    x = rng.uniform(0, 1, n)
    X = np.column_stack([np.ones(n), x])
    eta = 0.5 + 0.8 * x
    y = {
        "gaussian": eta + rng.normal(0, 0.3, n),
        "binomial": rng.binomial(1, 1 / (1 + np.exp(-(eta - 1.0))), n).astype(float),
        "poisson": rng.poisson(np.exp(eta)).astype(float),
        "gamma": rng.gamma(4.0, np.exp(eta) / 4.0),
        "inverse_gaussian": rng.wald(np.exp(eta), 5.0),
    }[name]
    link = {"gamma": "log", "inverse_gaussian": "log"}.get(name)
    res = glmlearn.fit(X, y, name if link is None else FAMILIES[name](link))
    sm_res = sm.GLM(y, X, family=_sm_family(name, link)).fit(tol=1e-12)
    if name in ("binomial", "poisson", "gaussian"):
        # identical definitions (gaussian identity: statsmodels' concentrated likelihood, D/n)
        sm_loglik = sm_res.llf
    else:
        # statsmodels' llf plugs in its Pearson scale; R's (and glmlearn's) D / n
        sm_loglik = sm_res.llf_scaled(scale=res.deviance / n)
        assert res.loglik != pytest.approx(sm_res.llf, rel=1e-6)
    assert res.loglik == pytest.approx(sm_loglik, rel=1e-9)
    extra = 0 if name in ("binomial", "poisson") else 1  # R counts the dispersion, statsmodels not
    assert res.aic == pytest.approx(-2 * sm_loglik + 2 * (sm_res.df_model + 1 + extra), rel=1e-9)
    if name in ("binomial", "poisson"):
        assert res.aic == pytest.approx(sm_res.aic, rel=1e-9)
        assert res.bic == pytest.approx(sm_res.info_criteria("bic"), rel=1e-9)
    if name == "gaussian":
        assert res.aic == pytest.approx(sm_res.aic + 2, rel=1e-9)


def test_a_perfect_normal_fit_has_r_s_infinite_likelihood_without_numpy_warnings(rscript):
    r = rscript("perfect_gaussian.R")
    frame = pd.DataFrame({"x": np.arange(4.0), "y": 1 + 2 * np.arange(4.0)})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a numpy "divide by zero" would fail here
        warnings.simplefilter("ignore", glmlearn.GLMWarning)
        res = glmlearn.fit("y ~ x", data=frame, family="gaussian")
    assert (r["loglik"], r["aic"]) == ("Inf", "-Inf")
    assert res.loglik == np.inf and res.aic == -np.inf
    assert r["aic_line"] in str(res.summary()).splitlines()
