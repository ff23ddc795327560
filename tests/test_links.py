"""Property tests over the ``glmlearn.LINKS`` registry (DESIGN.md item 14, first level).

Every test is parametrized over the registry itself, so a link is tested the moment it
is registered. The only per-link knowledge kept here is *where* to sample: the natural
domain of mu, and a range of eta away from R's clamping thresholds. A link that is not
listed below is sampled on mu in (0.02, 0.98), which lies inside the natural domain of
every link R knows (the unit interval is inside the positive reals, which are inside the
reals), so a new link is still exercised, and a test reminds us to declare its domain.

The guards checked at the end are R's (``make.link`` in R's *stats* package):
``logit``/``probit``/``cauchit``/``cloglog`` inverses stay a machine epsilon inside (0, 1)
and ``mu.eta`` never falls below ``.Machine$double.eps``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import glmlearn
import glmlearn.compat as compat
from glmlearn import LINKS, Link
from glmlearn.links import get_link

EPS = float(np.finfo(float).eps)
LINK_NAMES = sorted(LINKS)
BINARY_LINKS = ("logit", "probit", "cloglog", "cauchit")
R_LINKS = ("identity", "log", "logit", "probit", "cloglog", "cauchit", "inverse", "inverse_squared", "sqrt")

# Natural domain of mu: (low, high) sampled on a log scale when "log" is set.
MU_DOMAIN: dict[str, tuple[float, float, bool]] = {
    "identity": (-1e3, 1e3, False),
    "log": (1e-3, 1e3, True),
    "inverse": (1e-3, 1e3, True),
    "inverse_squared": (1e-3, 1e3, True),
    "sqrt": (1e-3, 1e3, True),
    "logit": (1e-6, 1 - 1e-6, False),
    "probit": (1e-6, 1 - 1e-6, False),
    "cloglog": (1e-6, 1 - 1e-6, False),
    "cauchit": (1e-6, 1 - 1e-6, False),
}
DEFAULT_MU_DOMAIN = (0.02, 0.98, False)

# Valid eta well away from R's clamping thresholds (logit 30, probit 8.13, cloglog's
# 1 - eps clip near eta = 3.6, log's eps floor below eta = -36), so that link(inverse(eta))
# can be compared with eta to a relative 1e-7.
ETA_RANGE: dict[str, tuple[float, float]] = {
    "identity": (-1e3, 1e3),
    "log": (-30.0, 30.0),
    "logit": (-15.0, 15.0),
    "probit": (-5.0, 5.0),
    "cloglog": (-20.0, 2.0),
    "cauchit": (-100.0, 100.0),
    "inverse": (1e-2, 1e2),  # sign handled in the test: eta < 0 is valid too
    "inverse_squared": (1e-3, 1e3),
    "sqrt": (1e-3, 1e3),
}

HYP = settings(max_examples=25, deadline=None)


def _mu_strategy(name: str) -> st.SearchStrategy[np.ndarray]:
    lo, hi, logscale = MU_DOMAIN.get(name, DEFAULT_MU_DOMAIN)
    if logscale:
        elems = st.floats(np.log(lo), np.log(hi), allow_nan=False, allow_infinity=False)
        return hnp.arrays(float, st.integers(1, 20), elements=elems).map(np.exp)
    elems = st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    return hnp.arrays(float, st.integers(1, 20), elements=elems)


def _mu_fd_strategy(name: str) -> st.SearchStrategy[np.ndarray]:
    """Like ``_mu_strategy`` but leaving room for a finite-difference step on either side."""
    lo, hi, logscale = MU_DOMAIN.get(name, DEFAULT_MU_DOMAIN)
    if not logscale and 0 <= lo and hi <= 1:
        lo, hi = 1e-3, 1 - 1e-3
    return _mu_strategy_range(lo, hi, logscale)


def _mu_strategy_range(lo: float, hi: float, logscale: bool) -> st.SearchStrategy[np.ndarray]:
    if logscale:
        elems = st.floats(np.log(lo), np.log(hi), allow_nan=False, allow_infinity=False)
        return hnp.arrays(float, st.integers(1, 20), elements=elems).map(np.exp)
    return hnp.arrays(float, st.integers(1, 20),
                      elements=st.floats(lo, hi, allow_nan=False, allow_infinity=False))


def _eta_strategy(name: str) -> st.SearchStrategy[np.ndarray]:
    if name not in ETA_RANGE:  # unknown link: eta = link(mu) on the default mu domain
        return _mu_strategy(name).map(lambda mu: LINKS[name].link(mu))
    lo, hi = ETA_RANGE[name]
    elems = st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    arr = hnp.arrays(float, st.integers(1, 20), elements=elems)
    if name == "inverse":
        signs = hnp.arrays(float, 20, elements=st.sampled_from([-1.0, 1.0]))
        return st.tuples(arr, signs).map(lambda t: t[0] * t[1][: t[0].size])
    return arr


def _fd_step(x: np.ndarray, name: str, on_mu: bool) -> np.ndarray:
    """A central-difference step small enough to stay inside the domain around x."""
    # On the eta side the step is larger: near the clamps mu is within 1e-7 of 1 and a
    # smaller step would measure rounding of mu rather than its slope.
    h = (1e-6 if on_mu else 1e-4) * np.maximum(np.abs(x), 1e-2)
    if on_mu:
        lo, hi, _ = MU_DOMAIN.get(name, DEFAULT_MU_DOMAIN)
        if 0 <= lo and hi <= 1:
            h = 1e-6 * np.minimum(x, 1 - x)
    return h


# --- the registry itself ------------------------------------------------------------------


def test_registry_holds_every_r_link():
    assert set(R_LINKS) <= set(LINKS)


@pytest.mark.parametrize("name", LINK_NAMES)
def test_link_object_is_frozen_and_named(name):
    link = LINKS[name]
    assert isinstance(link, Link)
    assert link.name == name
    assert get_link(name) is link
    assert get_link(link) is link
    with pytest.raises(AttributeError):
        link.name = "other"  # type: ignore[misc]
    assert name in repr(link)
    assert isinstance(link.eta_domain, str) and link.eta_domain
    assert isinstance(link.formula, str) and "eta" in link.formula


@pytest.mark.parametrize("name", LINK_NAMES)
def test_link_declares_a_sampling_domain_here(name):
    # A new link is already exercised on mu in (0.02, 0.98); this reminds its author to
    # declare its natural domain of mu and a safe eta range above.
    assert name in MU_DOMAIN, f"add the mu domain of the new link {name!r} to MU_DOMAIN"
    assert name in ETA_RANGE, f"add a safe eta range for the new link {name!r} to ETA_RANGE"


def test_r_spelling_of_inverse_squared_is_an_alias():
    assert get_link("1/mu^2") is LINKS["inverse_squared"]
    assert get_link("inverse.squared") is LINKS["inverse_squared"]


def test_unknown_link_name_lists_the_known_ones():
    with pytest.raises(glmlearn.GLMInputError, match=r"link: unknown link 'logitt'") as exc:
        get_link("logitt")
    for name in LINK_NAMES:
        assert repr(name) in str(exc.value)


def test_link_of_the_wrong_type_is_a_type_error():
    msg = r"link: expected a link name or a glmlearn Link, got int"
    with pytest.raises(glmlearn.GLMTypeError, match=msg):
        get_link(3)  # type: ignore[arg-type]


# --- round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", LINK_NAMES)
@HYP
@given(data=st.data())
def test_inverse_of_link_is_identity_on_the_mu_domain(name, data):
    link = LINKS[name]
    mu = data.draw(_mu_strategy(name))
    eta = link.link(mu)
    assert np.all(np.isfinite(eta))
    np.testing.assert_allclose(link.inverse(eta), mu, rtol=1e-9, atol=1e-12)
    # __call__ is the link itself
    np.testing.assert_array_equal(link(mu), eta)


@pytest.mark.parametrize("name", LINK_NAMES)
@HYP
@given(data=st.data())
def test_link_of_inverse_is_identity_on_valid_eta(name, data):
    link = LINKS[name]
    eta = data.draw(_eta_strategy(name))
    assert np.all(link.valid_eta(eta))
    mu = link.inverse(eta)
    assert np.all(np.isfinite(mu))
    np.testing.assert_allclose(link.link(mu), eta, rtol=1e-7, atol=1e-8)


@pytest.mark.parametrize("name", LINK_NAMES)
def test_valid_eta_accepts_link_values_and_refuses_non_finite(name):
    link = LINKS[name]
    lo, hi, logscale = MU_DOMAIN.get(name, DEFAULT_MU_DOMAIN)
    mu = np.geomspace(lo, hi, 25) if logscale else np.linspace(lo, hi, 25)
    assert np.all(link.valid_eta(link.link(mu)))
    bad = link.valid_eta(np.array([np.nan, np.inf, -np.inf]))
    assert bad.dtype == bool
    assert not bad.any()


@pytest.mark.parametrize(
    ("name", "invalid"),
    [("inverse", [0.0]), ("inverse_squared", [0.0, -1.0, -1e-300]), ("sqrt", [0.0, -1.0, -1e-300])],
)
def test_valid_eta_refuses_values_outside_the_links_eta_domain(name, invalid):
    # R: valideta of "inverse" is eta != 0; of "1/mu^2" and "sqrt" it is eta > 0.
    assert not LINKS[name].valid_eta(np.array(invalid)).any()
    assert LINKS[name].valid_eta(np.array([1e-300, 1.0, 1e300])).all()


@pytest.mark.parametrize("name", ["identity", "log", *BINARY_LINKS])
def test_links_with_all_reals_domain_accept_every_finite_eta(name):
    eta = np.array([-1e300, -1e3, -1.0, 0.0, 1.0, 1e3, 1e300])
    assert LINKS[name].valid_eta(eta).all()


# --- derivatives ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", LINK_NAMES)
@HYP
@given(data=st.data())
def test_deriv_matches_central_finite_difference(name, data):
    link = LINKS[name]
    mu = data.draw(_mu_fd_strategy(name))
    h = _fd_step(mu, name, on_mu=True)
    fd = (link.link(mu + h) - link.link(mu - h)) / (2 * h)
    np.testing.assert_allclose(link.deriv(mu), fd, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("name", LINK_NAMES)
@HYP
@given(data=st.data())
def test_inverse_deriv_matches_central_finite_difference(name, data):
    link = LINKS[name]
    eta = data.draw(_eta_strategy(name))
    h = _fd_step(eta, name, on_mu=False)
    fd = (link.inverse(eta + h) - link.inverse(eta - h)) / (2 * h)
    # atol: R's guard floors mu.eta at eps, below the resolution of the difference quotient
    np.testing.assert_allclose(link.inverse_deriv(eta), fd, rtol=1e-5, atol=1e-12)


@pytest.mark.parametrize("name", LINK_NAMES)
@HYP
@given(data=st.data())
def test_deriv_times_inverse_deriv_is_one(name, data):
    # dη/dμ at mu times dμ/dη at eta = g(mu) is 1 (inverse function theorem)
    link = LINKS[name]
    mu = data.draw(_mu_strategy(name))
    np.testing.assert_allclose(link.deriv(mu) * link.inverse_deriv(link.link(mu)), 1.0, rtol=1e-8)


# --- R's guards -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", BINARY_LINKS)
def test_binary_inverses_stay_strictly_inside_unit_interval(name):
    link = LINKS[name]
    eta = np.array([-1e3, -1e2, -40.0, -30.5, 30.5, 40.0, 1e2, 1e3])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the warning is tested below
        mu = link.inverse(eta)
        mu_eta = link.inverse_deriv(eta)
    assert np.all(mu > 0) and np.all(mu < 1), mu
    # R's own clamps land within a rounding of eps: logit gives eps / (1 + eps) and
    # pnorm(-qnorm(eps)) is eps up to rounding, so the floor checked is eps / 2.
    assert np.all(mu >= EPS / 2) and np.all(1 - mu >= EPS / 2), mu
    assert np.all(mu_eta >= EPS), mu_eta
    assert np.all(np.isfinite(mu_eta))


# cloglog: before commit c512c4a its inverse computed np.exp(eta) unguarded, so eta > 709
# emitted "RuntimeWarning: overflow encountered in exp" (R's cloglog linkinv does not warn).
@pytest.mark.parametrize("name", BINARY_LINKS)
def test_binary_inverses_at_extreme_eta_emit_no_runtime_warning(name):
    link = LINKS[name]
    eta = np.array([-1e3, 1e3])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        link.inverse(eta)
        link.inverse_deriv(eta)


@pytest.mark.parametrize("name", ["log", *BINARY_LINKS])
def test_mu_eta_never_below_machine_epsilon(name):
    # R: pmax(exp(eta), .Machine$double.eps) for log, DBL_EPSILON floor for the others
    eta = np.linspace(-700, 700, 2001)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert np.all(LINKS[name].inverse_deriv(eta) >= EPS)


def test_log_inverse_is_floored_at_epsilon():
    # R's log linkinv: pmax(exp(eta), .Machine$double.eps)
    np.testing.assert_array_equal(LINKS["log"].inverse(np.array([-1e3, -40.0])), [EPS, EPS])


def test_logit_threshold_is_rs_30():
    # R clamps exp(eta) to [eps, 1/eps] only beyond |eta| > 30; inside it is the logistic.
    logit = LINKS["logit"]
    np.testing.assert_allclose(logit.inverse(np.array([29.9])), 1 / (1 + np.exp(-29.9)), rtol=1e-15)
    np.testing.assert_array_equal(logit.inverse(np.array([-30.1])), [EPS / (1 + EPS)])
    np.testing.assert_array_equal(logit.inverse_deriv(np.array([-30.1, 30.1])), [EPS, EPS])


# --- the seed lesson's names ----------------------------------------------------------------


@pytest.mark.parametrize("name", R_LINKS)
def test_seed_lesson_function_names_exist_for_every_link(name):
    fwd = getattr(compat, f"{name}_link")
    inv = getattr(compat, f"{name}_link_inverse")
    link = LINKS[name]
    lo, hi, logscale = MU_DOMAIN[name]
    mu = np.geomspace(lo, hi, 7) if logscale else np.linspace(lo, hi, 7)
    np.testing.assert_array_equal(fwd(mu), link.link(mu))
    np.testing.assert_array_equal(inv(link.link(mu)), link.inverse(link.link(mu)))
    # they accept lists, as the lesson passes plain sequences
    np.testing.assert_array_equal(fwd(list(mu)), link.link(mu))


def test_seed_lesson_logit_round_trip():
    # Numbers printed by the reference lesson /work/shared/seeds/000_395a325bc2b665e3.txt,
    # section "Link functions": p → η → back to p.
    probs = np.array([0.1, 0.25, 0.5, 0.75, 0.9])
    etas = compat.logit_link(probs)
    back = compat.logit_link_inverse(etas)
    assert [f"{e:.4f}" for e in etas] == ["-2.1972", "-1.0986", "0.0000", "1.0986", "2.1972"]
    assert [f"{b:.2f}" for b in back] == ["0.10", "0.25", "0.50", "0.75", "0.90"]
    np.testing.assert_allclose(back, probs, rtol=1e-15)


@pytest.mark.parametrize("name", R_LINKS)
def test_links_take_a_single_number(name):
    # a lesson calls logit_link_inverse(1.0): 0-d input, same numbers as a length-1 array
    link = LINKS[name]
    lo, hi, _ = MU_DOMAIN[name]
    mu = float(np.sqrt(lo * hi)) if lo > 0 else (lo + hi) / 2
    eta = float(link.link(np.array([mu]))[0])
    for f, v in ((link.link, mu), (link.deriv, mu), (link.inverse, eta),
                 (link.inverse_deriv, eta)):
        one = f(np.asarray(v))
        assert np.ndim(one) == 0
        assert float(one) == f(np.array([v]))[0]
    assert float(getattr(compat, f"{name}_link_inverse")(eta)) == float(link.inverse(np.asarray(eta)))
