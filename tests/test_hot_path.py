"""The fast paths of the IRLS loop give the numbers of the general, textbook path.

Each shortcut taken for speed or memory (the score summed in the same pass over X as
X'WX, X beta computed block by block, LAPACK called directly, the last state's step 4
solved on request, the closed-form Poisson log-likelihood, the broadcast default weights
and offset, the one-pass copy of X) is pinned here to the plain computation it replaces:
exactly equal where the arithmetic is the same, and equal up to the order of a sum where
only that order changed. Nothing here is timed (speed is measured in benchmarks/).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import linalg as sla
from scipy import special, stats

import glmlearn
from glmlearn import _irls, linalg
from glmlearn.family import _log_factorial
from glmlearn.problem import make_problem

# More rows than one block of normal_equations/matvec, so the blockwise sums are exercised.
N_BLOCKS = 2 * linalg._BLOCK_ROWS + 123


def _data(family: str, n: int, p: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.standard_normal((n, p - 1))])
    eta = X @ np.r_[0.3, rng.normal(0, 0.4, p - 1)]
    if family == "binomial":
        return X, rng.binomial(1, 1 / (1 + np.exp(-eta))).astype(float)
    return X, rng.poisson(np.exp(eta)).astype(float)


def _reference_gram(X, w, z):
    """X'WX and X'Wz as glmlearn computed them before normal_equations existed."""
    n, p = X.shape
    G, b, sw = np.zeros((p, p)), np.zeros(p), np.sqrt(w)
    for start in range(0, n, linalg._BLOCK_ROWS):
        rows = slice(start, start + linalg._BLOCK_ROWS)
        A = X[rows] * sw[rows, None]
        G += A.T @ A
        b += A.T @ (z[rows] * sw[rows])
    return G, b


@pytest.mark.parametrize("n", [7, N_BLOCKS])
def test_normal_equations_are_the_weighted_gram_and_the_score_is_x_transpose_v(n):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((n, 4))
    w, z, off, v = rng.random(n), rng.standard_normal(n), rng.standard_normal(n), rng.standard_normal(n)
    G, b, Xtv = linalg.normal_equations(X, w, z, offset=off, v=v)
    G0, b0 = _reference_gram(X, w, z - off)
    np.testing.assert_array_equal(G, G0)
    np.testing.assert_array_equal(b, b0)
    # X'v is summed block by block: the same terms, another order of summation
    np.testing.assert_allclose(Xtv, X.T @ v, rtol=0, atol=1e-12 * np.max(np.abs(X.T) @ np.abs(v)))
    if n <= linalg._BLOCK_ROWS:  # one block: the very same product
        np.testing.assert_array_equal(Xtv, X.T @ v)
    np.testing.assert_array_equal(linalg.weighted_gram(X, w, z)[0], G0)


@pytest.mark.parametrize("n", [5, N_BLOCKS])
@pytest.mark.parametrize("p", [1, 3, 10])
def test_blockwise_matvec_is_x_times_beta(n, p):
    rng = np.random.default_rng(2)
    X, beta, off = rng.standard_normal((n, p)), rng.standard_normal(p), rng.standard_normal(n)
    F = np.asfortranarray(X)
    if n <= linalg._BLOCK_ROWS:  # one block: the very same BLAS call
        np.testing.assert_array_equal(linalg.matvec(X, beta), X @ beta)
        np.testing.assert_array_equal(linalg.matvec(X, beta, off), X @ beta + off)
        np.testing.assert_array_equal(linalg.matvec(F, beta), F @ beta)
        return
    # Each row is the same dot product, but BLAS's kernel takes the last few rows of a
    # call (and of each thread's share of it) by another path, summing the p products in
    # another order: those rows may differ in the last bit, like X @ beta itself does
    # between BLAS thread counts.
    for A in (X, F):
        got, ref = linalg.matvec(A, beta, off), A @ beta + off
        np.testing.assert_allclose(got, ref, rtol=0, atol=4 * np.finfo(float).eps
                                   * np.max(np.abs(A) @ np.abs(beta) + np.abs(off)))
        assert np.count_nonzero(got != ref) <= 64


@pytest.mark.parametrize("p", [1, 2, 6])
def test_direct_lapack_cholesky_is_scipys(p):
    rng = np.random.default_rng(3)
    A = rng.standard_normal((50, p))
    G, b = A.T @ A, rng.standard_normal(p)
    c, rcond = linalg._cholesky_rcond(G)
    ref = sla.cho_factor(G, lower=False, check_finite=False)
    np.testing.assert_array_equal(np.triu(c), np.triu(ref[0]))
    assert rcond == sla.lapack.dpocon(ref[0], np.linalg.norm(G, 1))[0]
    np.testing.assert_array_equal(linalg._cho_solve(c, b), sla.cho_solve(ref, b, check_finite=False))
    assert linalg._cholesky_rcond(-G) == (None, 0.0)  # not positive definite


@pytest.mark.parametrize("family", ["binomial", "poisson"])
@pytest.mark.parametrize("n", [200, N_BLOCKS])
def test_every_state_score_is_the_score_function(family, n):
    X, y = _data(family, n)
    fam = glmlearn.FAMILIES[family]()
    for s in glmlearn.irls(X, y, family, trace="full"):
        direct = glmlearn.score(fam, X, y, s.mu, s.eta)
        terms = fam.mu_eta(s.eta) / fam.variance(s.mu) * (y - s.mu)
        if n <= linalg._BLOCK_ROWS:
            np.testing.assert_allclose(s.score, direct, rtol=1e-12, atol=1e-12)
        # summed over blocks: equal to rounding relative to the size of the terms (near
        # convergence the score itself is all cancellation, so rtol alone cannot apply)
        np.testing.assert_allclose(s.score, direct, rtol=0,
                                   atol=1e-12 * np.max(np.abs(X.T) @ np.abs(terms)))


@pytest.mark.parametrize("trace", ["full", "compact"])
def test_last_state_step_4_on_request_is_a_direct_solve(trace):
    rng = np.random.default_rng(4)
    X, y = _data("poisson", 300)
    w, off = rng.integers(1, 4, 300).astype(float), rng.normal(0, 0.1, 300)
    fam = glmlearn.poisson()
    *_, last = glmlearn.irls(X, y, fam, weights=w, offset=off, trace=trace)
    assert last._step4 is None  # not solved by the loop...
    sol = glmlearn.linalg.solve_wls(X, last.w, last.z - off, np.isnan(last.beta))
    np.testing.assert_array_equal(last.beta_next, sol.beta)  # ...but when asked, exactly
    np.testing.assert_array_equal(last.xtwx, sol.xtwx)
    assert last.wls_method == sol.method
    np.testing.assert_allclose(last.score, glmlearn.score(fam, X, y, last.mu, last.eta, w),
                               rtol=1e-12, atol=1e-12)
    for a in (last.beta_next, last.xtwx, last.score):
        assert not a.flags.writeable


def test_last_state_of_a_fit_answers_like_the_others():
    X, y = _data("binomial", 120)
    res = glmlearn.fit(X, y, "binomial")
    last = res.trace[-1]
    # At convergence the full step barely moves and the score is ~0
    np.testing.assert_allclose(last.beta_next, res.coef, rtol=1e-6)
    assert last.max_abs_score < 1e-6


@pytest.mark.parametrize("family", ["binomial", "poisson", "gaussian", "gamma"])
def test_shared_vectors_are_the_public_step_functions(family):
    rng = np.random.default_rng(5)
    n = 40
    X = np.column_stack([np.ones(n), rng.uniform(0.5, 1.5, n)])
    y = {"binomial": rng.binomial(1, 0.5, n).astype(float), "poisson": rng.poisson(3, n).astype(float),
         "gaussian": rng.normal(3, 1, n), "gamma": rng.gamma(2.0, 1.0, n)}[family]
    w = rng.integers(1, 4, n).astype(float)
    problem = make_problem(X, y, family, weights=w)
    fam = problem.family
    eta = _irls._starting_eta(problem, None)
    vec, terms = _irls._vectors_at(problem, eta)
    mu = fam.link_inverse(eta)
    np.testing.assert_array_equal(vec.mu, mu)
    np.testing.assert_array_equal(vec.w, glmlearn.working_weights(fam, mu, eta, w))
    np.testing.assert_array_equal(vec.z, glmlearn.working_response(fam, problem.y, mu, eta))
    np.testing.assert_array_equal(terms, w * fam.mu_eta(eta) / fam.variance(mu) * (problem.y - mu))


@pytest.mark.filterwarnings("ignore:overflow encountered in exp:RuntimeWarning")
def test_log_link_mu_eta_is_its_inverse():
    eta = np.linspace(-800, 800, 4001)
    link = glmlearn.LINKS["log"]
    assert link.mu_eta_is_mu
    np.testing.assert_array_equal(link.inverse_deriv(eta), link.inverse(eta))
    assert not any(glmlearn.LINKS[name].mu_eta_is_mu for name in glmlearn.LINKS if name != "log")


def test_poisson_loglik_is_scipys_logpmf():
    rng = np.random.default_rng(6)
    fam = glmlearn.poisson()
    counts = rng.poisson(4.0, 5000).astype(float)
    mu = rng.uniform(0.1, 9, 5000)
    w = rng.uniform(0, 2, 5000)
    for y in (counts, counts * 1000, counts + 0.5):  # a table, gammaln, off the support
        for weights in (None, w):
            expected = np.sum((1.0 if weights is None else weights) * stats.poisson.logpmf(y, mu))
            assert fam.loglik(y, mu, weights) == expected
    odd = np.array([0.0, 1.0, 2.5, -1.0, 3.0, 0.0])
    mus = np.array([1.0, 2.0, 3.0, 1.0, 0.0, 0.0])
    assert fam.loglik(odd[[0, 1, 4, 5]], mus[[0, 1, 4, 5]]) == np.sum(
        stats.poisson.logpmf(odd[[0, 1, 4, 5]], mus[[0, 1, 4, 5]]))
    assert fam.loglik(odd, mus) == -np.inf
    assert np.isnan(fam.loglik(np.array([1.0, np.nan]), np.array([1.0, 1.0])))
    assert np.isnan(fam.loglik(np.array([1.0, 2.0]), np.array([1.0, -1.0])))


def test_log_factorial_table_is_gammaln():
    k = np.random.default_rng(7).poisson(30, 10_000).astype(float)
    np.testing.assert_array_equal(_log_factorial(k), special.gammaln(k + 1))
    big = np.array([0.0, 1e6, 3.0])  # beyond the table: gammaln itself
    np.testing.assert_array_equal(_log_factorial(big), special.gammaln(big + 1))


def test_default_weights_and_offset_are_stored_once_and_change_no_number():
    X, y = _data("poisson", 500)
    problem = make_problem(X, y, "poisson")
    for a, value in ((problem.prior_weights, 1.0), (problem.offset, 0.0)):
        assert a.shape == (500,) and a.strides == (0,) and not a.flags.writeable
        np.testing.assert_array_equal(a, np.full(500, value))
    assert problem.weights_or_none is None and problem.offset_or_none is None
    default = glmlearn.fit(X, y, "poisson")
    explicit = glmlearn.fit(X, y, "poisson", weights=np.ones(500), offset=np.zeros(500))
    for name in ("coef", "cov_unscaled", "deviance", "null_deviance", "loglik", "aic"):
        np.testing.assert_array_equal(getattr(default, name), getattr(explicit, name), err_msg=name)
    for a, b in zip(default.trace, explicit.trace, strict=True):
        for name in ("eta", "mu", "w", "z", "score", "beta_next", "xtwx"):
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    # a negative zero in a given offset is an offset (x - (-0.0) is not always x)
    assert make_problem(X, y, "poisson", offset=np.full(500, -0.0)).offset_or_none is not None


@pytest.mark.parametrize("layout", ["C", "F", "view", "int", "1-D"])
def test_one_pass_copy_of_x(layout):
    rng = np.random.default_rng(8)
    n = linalg._BLOCK_ROWS + 10
    X = np.column_stack([rng.standard_normal(n), np.full(n, 2.0), rng.standard_normal(n)])
    given = {"C": X, "F": np.asfortranarray(X), "view": np.column_stack([X, X])[:, :3],
             "int": np.round(X * 10).astype(np.int64), "1-D": np.full(n, 2.0)}[layout]
    problem = make_problem(given, rng.poisson(2, n).astype(float), "poisson")
    expected = np.asarray(given, dtype=float).reshape(n, -1)
    np.testing.assert_array_equal(problem.X, expected)
    assert not np.shares_memory(problem.X, given)
    assert problem.has_intercept
    assert problem.X.flags.f_contiguous == (layout == "F") or layout == "1-D"
    no_const = expected.copy()
    no_const[-1, :] += 1.0  # the last row (in the last block) breaks every constant column
    assert not make_problem(no_const, problem.y, "poisson").has_intercept
    bad = expected.copy()
    bad[-1, 0] = np.nan
    with pytest.raises(glmlearn.GLMInputError, match=rf"X: non-finite value nan at index \({n - 1}, 0\)"):
        make_problem(bad, problem.y, "poisson")


@pytest.mark.parametrize("layout", ["C", "F", "int"])
def test_one_block_copy_of_x_is_checked_whole(layout):
    rng = np.random.default_rng(9)
    n = 50  # one block: copied by numpy and checked as a whole
    X = np.column_stack([rng.standard_normal(n), np.full(n, 2.0), rng.standard_normal(n)])
    given = {"C": X, "F": np.asfortranarray(X), "int": np.round(X * 10).astype(np.int64)}[layout]
    y = rng.poisson(2, n).astype(float)
    problem = make_problem(given, y, "poisson")
    np.testing.assert_array_equal(problem.X, np.asarray(given, dtype=float))
    assert not np.shares_memory(problem.X, given) and problem.has_intercept
    no_const = np.asarray(given, dtype=float).copy()
    no_const[-1, 1] = 3.0
    assert not make_problem(no_const, y, "poisson", intercept=False).has_intercept
    zero = np.asarray(given, dtype=float).copy()
    zero[:, 1] = 0.0  # a constant column of zeros is no intercept
    assert not make_problem(zero, y, "poisson", intercept=False).has_intercept
    huge = np.asarray(given, dtype=float).copy()
    huge[:, 0] = 1e308  # finite, though its sum overflows
    assert make_problem(huge, y, "poisson").X[0, 0] == 1e308
    for bad_value in (np.nan, np.inf):
        bad = np.asarray(given, dtype=float).copy()
        bad[7, 2] = bad_value
        with pytest.raises(glmlearn.GLMInputError, match=r"X: non-finite value .* at index \(7, 2\)"):
            make_problem(bad, y, "poisson")


@pytest.mark.parametrize("kind", ["0/1", "proportions", "weights", "quasibinomial", "poisson"])
def test_problem_deviance_is_the_family_deviance(kind):
    """The 0/1 question asked once per problem gives the family's own deviance."""
    rng = np.random.default_rng(10)
    n = 80
    X = np.column_stack([np.ones(n), rng.standard_normal(n)])
    y01 = rng.binomial(1, 0.4, n).astype(float)
    y, family, w = {
        "0/1": (y01, "binomial", None),
        "proportions": (rng.integers(0, 5, n) / 4, "binomial", np.full(n, 4.0)),
        "weights": (y01, "binomial", rng.integers(0, 3, n).astype(float)),
        "quasibinomial": (y01, "quasibinomial", None),
        "poisson": (rng.poisson(2, n).astype(float), "poisson", None),
    }[kind]
    problem = make_problem(X, y, family, weights=w)
    fam = problem.family
    assert problem.y_binary == (fam.unit_deviance_01 is not None
                                and bool(np.all((problem.y == 0) | (problem.y == 1))))
    mu = rng.uniform(0.01, 0.99, n) if fam.proportion_response else rng.uniform(0.5, 4, n)
    assert problem.deviance(mu) == fam.deviance(problem.y, mu, problem.weights_or_none)
    if problem.y_binary:  # the shortcut is the textbook unit deviance, number for number
        from glmlearn.family import _binary_unit_deviance, _ylogy
        full = 2 * (_ylogy(problem.y, mu) + _ylogy(1 - problem.y, 1 - mu))
        np.testing.assert_allclose(_binary_unit_deviance(problem.y, mu), full, rtol=1e-13)
    assert problem.n_obs == int(np.count_nonzero(problem.prior_weights > 0))


@pytest.mark.parametrize("name", ["logit", "probit", "cloglog", "cauchit"])
def test_unit_interval_links_keep_every_valid_eta_mean_valid(name):
    """_valid skips the check of mu for these links: every finite eta gives 0 < mu < 1."""
    link = glmlearn.LINKS[name]
    assert link.inverse_inside_unit_interval
    eta = np.r_[np.linspace(-1e3, 1e3, 20001), -np.logspace(-300, 308, 200),
                np.logspace(-300, 308, 200), 0.0, -0.0, 29.999, 30.0, 30.001, -30.001]
    for fam_name in ("binomial", "quasibinomial"):
        fam = glmlearn.family.get_family(fam_name, name)
        assert fam.proportion_response
        assert fam.valid_mu(fam.link_inverse(eta)).all()
        assert not fam.valid_mu(np.array([0.0, 1.0, np.nan, np.inf])).any()
    others = [n for n, lk in glmlearn.LINKS.items() if lk.inverse_inside_unit_interval]
    assert sorted(others) == ["cauchit", "cloglog", "logit", "probit"]


def test_logit_guards_read_off_eta_are_the_masks():
    link = glmlearn.LINKS["logit"]
    eta = np.array([np.nan, 50.0, -50.0, 30.0, -30.0, 1.0, np.inf, -np.inf])
    eps = np.finfo(float).eps
    t = np.exp(np.clip(eta, -30, 30))
    t[eta < -30], t[eta > 30] = eps, 1 / eps
    np.testing.assert_array_equal(link.inverse(eta), t / (1 + t))
    a = np.abs(eta)
    d = np.exp(-a) / (1 + np.exp(-a)) ** 2
    d[a > 30] = eps
    np.testing.assert_array_equal(link.inverse_deriv(eta), d)
    assert link.inverse(np.array([])).shape == (0,)


@pytest.mark.parametrize("n", [150, N_BLOCKS])
def test_a_kept_state_sums_its_score_when_asked_as_the_pass_over_x_does(n):
    """Full traces leave the score of Fisher steps to be summed on request; compact ones
    keep the score the pass over X summed: the very same numbers."""
    rng = np.random.default_rng(11)
    X, y = _data("poisson", n)
    w, off = rng.integers(1, 3, n).astype(float), rng.normal(0, 0.1, n)
    full = list(glmlearn.irls(X, y, "poisson", weights=w, offset=off, trace="full"))
    compact = list(glmlearn.irls(X, y, "poisson", weights=w, offset=off, trace="compact"))
    assert full[0]._step4 is not None and full[0]._step4.score is None  # left for later
    assert compact[0]._step4 is not None and compact[0]._step4.score is not None
    for a, b in zip(full, compact, strict=True):
        np.testing.assert_array_equal(a.score, b.score)
        np.testing.assert_array_equal(a.beta_next, b.beta_next)
        assert not a.score.flags.writeable


def test_aliasing_read_off_the_solves_cholesky_factor_is_find_aliased():
    rng = np.random.default_rng(12)
    n = 60
    x = rng.standard_normal(n)
    designs = {
        "full rank": np.column_stack([np.ones(n), x, rng.standard_normal(n)]),
        "collinear": np.column_stack([np.ones(n), x, 2 * x - 1]),
        "nearly collinear": np.column_stack([np.ones(n), x, x + 1e-5 * rng.standard_normal(n)]),
        "zero column": np.column_stack([np.ones(n), np.zeros(n), x]),
    }
    w, z = rng.uniform(0.1, 1, n), rng.standard_normal(n)
    for name, X in designs.items():
        got = linalg.wls_pass(X, w, z)[0]
        ref = linalg.wls_pass(X, w, z, linalg.find_aliased(X, w))[0]
        np.testing.assert_array_equal(got.aliased, ref.aliased, err_msg=name)
        np.testing.assert_array_equal(got.beta, ref.beta, err_msg=name)
        assert (got.method, got.rcond) == (ref.method, ref.rcond), name


def test_lazy_result_numbers_do_not_depend_on_when_they_are_read():
    X, y = _data("binomial", 90)
    rng = np.random.default_rng(13)
    off = rng.normal(0, 0.2, 90)
    names = ("cov_unscaled", "dispersion", "null_deviance", "loglik", "aic", "bic", "se")
    first = glmlearn.fit(X, y, "binomial", offset=off)
    early = {k: getattr(first, k) for k in names}
    second = glmlearn.fit(X, y, "binomial", offset=off)
    for s in second.trace:  # read every state first
        _ = (s.score, s.beta_next, s.xtwx, s.mu)
    for k in names:
        np.testing.assert_array_equal(getattr(second, k), early[k], err_msg=k)
    # and they are the textbook formulas of the last WLS step
    np.testing.assert_array_equal(first.cov_unscaled, linalg.unscaled_covariance(
        X, first.trace[-2].w, first.aliased))
    fam = first.family
    assert first.loglik == fam.loglik(first.problem.y, first.mu, first.problem.prior_weights)
    assert first.bic == -2 * first.loglik + np.log(90) * first.rank


def _certified_whole(problem, states, aliased):
    """The MLE certificate of glmlearn/_diagnostics.py on whole n-vectors, as it was
    written before it went block by block."""
    fam, y, X, pw = problem.family, problem.y, problem.X, problem.prior_weights
    edge = (((y >= 1) | (y <= 0)) if fam.name == "binomial" else (y <= 0)) & (pw > 0)
    if not edge.any():
        return True
    state = states[-2]
    with np.errstate(all="ignore"):
        v = np.where(aliased, 0.0, state.beta_next - state.beta)
        xv = np.abs(linalg.matvec(X, v))
        eta = linalg.matvec(X, np.where(aliased, 0.0, state.beta), problem.offset)
        mu, mu_eta = fam.link_inverse(eta), fam.mu_eta(eta)
        y, mu, mu_eta, xv = y[edge], mu[edge], mu_eta[edge], xv[edge]
        gap = np.abs(y - mu)
        return bool(np.all(gap - mu_eta * xv > 0.5 * gap) and np.all(gap > 0))


@pytest.mark.parametrize("trace", ["full", "compact"])
@pytest.mark.parametrize("case", ["logit", "weighted", "poisson", "separated"])
def test_blockwise_mle_certificate_is_the_whole_vector_one(trace, case):
    from glmlearn._diagnostics import _mle_certified

    rng = np.random.default_rng(14)
    n = N_BLOCKS
    X, y = _data("poisson" if case == "poisson" else "binomial", n)
    w = rng.integers(0, 3, n).astype(float) if case == "weighted" else None
    if case == "separated":  # y = 1 exactly where x > 2: complete separation, no certificate
        y = (X[:, 1] > 2.0).astype(float)
    states = list(glmlearn.irls(X, y, "poisson" if case == "poisson" else "binomial",
                                weights=w, trace=trace, max_iter=8))
    aliased = np.isnan(states[-1].beta)
    problem = states[0].problem
    assert _mle_certified(problem, states, aliased) == _certified_whole(problem, states, aliased)
    assert _mle_certified(problem, states, aliased) == (case != "separated")


def test_one_block_normal_equations_keep_the_sign_of_zero_of_the_sum_over_blocks():
    """A one-block X skips the sum over blocks; a zero still has the sign that adding the
    block's product to zeros gives it (+0.0: X'WX is shown to learners, never "-0")."""
    X = np.column_stack([np.zeros(5), -np.arange(1.0, 6.0)])
    w, z = np.ones(5), np.zeros(5)
    G, b, Xtv = linalg.normal_equations(X, w, z, v=np.zeros(5))
    G0, b0 = _reference_gram(X, w, z)
    for got, ref in ((G, G0), (b, b0), (Xtv, np.zeros(2))):
        np.testing.assert_array_equal(got, ref)
        np.testing.assert_array_equal(np.signbit(got), np.signbit(ref))


def test_cholesky_rcond_norm_is_numpys_one_norm():
    rng = np.random.default_rng(8)
    for p in (1, 2, 5, 12):
        A = rng.standard_normal((30, p))
        G = A.T @ A
        c, rcond = linalg._cholesky_rcond(G)
        from scipy.linalg import lapack
        expected = lapack.dpocon(c, float(np.linalg.norm(G, 1)))[0]
        assert rcond == expected


@pytest.mark.parametrize("name", ["logit", "probit", "cloglog", "cauchit"])
def test_unit_interval_links_accept_exactly_the_finite_etas(name):
    """_valid reads a finite sum of eta as "every eta finite" for these links."""
    link = glmlearn.LINKS[name]
    eta = np.array([0.0, -1e308, 1e308, 1e308, np.inf, -np.inf, np.nan, 3.0])
    np.testing.assert_array_equal(link.valid_eta(eta), np.isfinite(eta))
    problem = make_problem(np.ones((3, 1)), [0.0, 1.0, 1.0], glmlearn.binomial(name))
    with np.errstate(all="ignore"):
        for e in ([1e308, 1e308, 1e308], [0.0, np.inf, 0.0], [np.nan, 0.0, 0.0],
                  [np.inf, -np.inf, 0.0], [1.0, 2.0, -3.0]):
            e = np.array(e)
            assert _irls._valid(problem, e, link.inverse(e)) == bool(np.isfinite(e).all())


@pytest.mark.parametrize("trace", ["full", "compact"])
def test_last_state_steps_2_3_on_request_are_the_public_step_functions(trace):
    rng = np.random.default_rng(9)
    X, y = _data("binomial", 150)
    w = rng.integers(1, 3, 150).astype(float)
    fam = glmlearn.binomial()
    *_, last = glmlearn.irls(X, y, fam, weights=w, trace=trace)
    assert last._point is not None and not last.is_compact  # eta and mu kept...
    assert "_vectors_of_point" not in last.__dict__  # ...w and z not yet computed
    np.testing.assert_array_equal(last.eta, X @ last.beta)
    np.testing.assert_array_equal(last.w, glmlearn.working_weights(fam, last.mu, last.eta, w))
    np.testing.assert_array_equal(last.z, glmlearn.working_response(fam, y, last.mu, last.eta))
    assert last.eta is last._point[0] and last.mu is last._point[1]
    for a in (last.eta, last.mu, last.w, last.z):
        assert not a.flags.writeable
    # a Newton trace solves its last step in the loop, so it keeps its vectors as before
    *_, newton_last = glmlearn.irls(X, y, glmlearn.binomial("probit"), weights=w,
                                    method="newton")
    assert newton_last._point is None and newton_last._vectors is not None


def test_a_state_is_built_with_every_field_of_the_dataclass():
    """IRLSState writes its own __init__ (for speed): it must set every field, in order."""
    import dataclasses

    names = [f.name for f in dataclasses.fields(glmlearn.IRLSState)]
    X, y = _data("poisson", 50)
    state = next(iter(glmlearn.irls(X, y, "poisson")))
    assert list(vars(state))[:len(names)] == names
    with pytest.raises(dataclasses.FrozenInstanceError):
        state.deviance = 0.0  # type: ignore[misc]
