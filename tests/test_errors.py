"""Every kind of trouble: bad input is refused with a precise message, numerical trouble
is reported by a warning of glmlearn's own category and a flag on the result.

Each test checks the exception or warning TYPE and the WORDS of its message: the argument
named, the problem, and the offending index and value (DESIGN.md item 8).
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import glmlearn
from glmlearn import (
    BoundaryWarning,
    ConvergenceWarning,
    GLMInputError,
    GLMTypeError,
    GLMWarning,
    RankDeficiencyWarning,
    ResidualDFWarning,
    SeparationWarning,
    StepHalvingWarning,
)
from glmlearn.problem import make_problem

N = 6
X = np.column_stack([np.ones(N), np.arange(N, dtype=float)])
Y = np.array([1.0, 2.0, 4.0, 3.0, 5.0, 7.0])


def _words(message: str, *parts: str) -> None:
    """Assert that every part occurs in the message (helpful failure text)."""
    for part in parts:
        assert part in message, f"{part!r} not in message: {message!r}"


def _value(v: str) -> str:
    """The offending value as the message prints it: a plain number (``1.5``, not numpy 2's
    ``np.float64(1.5)``; see test_messages_show_plain_numbers_not_numpy_reprs)."""
    return re.escape(v)


def _raises(exc_type, pattern, func, *args, **kwargs):
    with pytest.raises(exc_type) as info:
        func(*args, **kwargs)
    msg = str(info.value)
    assert re.search(pattern, msg), f"{pattern!r} does not match {msg!r}"
    return msg


# ============================================================================================
# Input errors
# ============================================================================================


def test_error_types_are_value_and_type_errors():
    assert issubclass(GLMInputError, ValueError)
    assert issubclass(GLMTypeError, TypeError)


@pytest.mark.parametrize("entry", [glmlearn.fit, glmlearn.irls])
def test_binomial_response_outside_unit_interval(entry):
    y = np.array([0.0, 1.0, 0.0, 1.5, 1.0, 0.0])
    msg = _raises(GLMInputError, rf"^y: value {_value('1.5')} at index 3 is outside the binomial "
                  r"family's domain", entry, X, y, "binomial")
    _words(msg, "proportions in [0, 1]", "1 value(s) in all")


@pytest.mark.parametrize(
    ("family", "y", "index", "value", "domain"),
    [
        ("poisson", [0, 1, -1, 2, 3, 4], 2, "-1.0", "non-negative counts"),
        ("gamma", [1, 2, 0, 2, 3, 4], 2, "0.0", "positive real numbers"),
        ("inverse_gaussian", [1, 2, 3, -2, 3, 4], 3, "-2.0", "positive real numbers"),
        ("binomial", [0, 1, 1, 0, -0.5, 1], 4, "-0.5", "proportions in [0, 1]"),
    ],
)
def test_response_outside_family_domain(family, y, index, value, domain):
    msg = _raises(GLMInputError, rf"^y: value {_value(value)} at index {index} is outside the "
                  rf"{family} family's domain", glmlearn.fit, X, np.array(y, dtype=float), family)
    _words(msg, domain)


def test_response_count_of_offending_values_is_given():
    msg = _raises(GLMInputError, r"^y: value", glmlearn.fit, X, [-1, 1, -2, 2, -3, 4], "poisson")
    _words(msg, "at index 0", "3 value(s) in all")


def test_zero_weight_rows_are_dropped_from_the_fit():
    # R: observations with zero weight do not enter the fit, nor n, nor the residual df.
    w = np.array([1.0, 1.0, 0.0, 1.0, 1.0, 1.0])
    res = glmlearn.fit(X, Y, "poisson", weights=w)
    keep = w > 0
    res2 = glmlearn.fit(X[keep], Y[keep], "poisson")
    np.testing.assert_allclose(res.coef, res2.coef, rtol=1e-10)
    np.testing.assert_allclose(res.bse, res2.bse, rtol=1e-10)
    assert res.deviance == pytest.approx(res2.deviance, rel=1e-12)
    assert res.df_residual == res2.df_residual == 3
    assert res.df_null == res2.df_null == 4


# Before commit d917255 validation skipped zero-weight rows, so an out-of-domain y there
# passed the door and then broke the fit with a misleading message about start (gamma y = 0
# gave eta = 1/0 at R's starting mean; binomial y = 1.5 made the deviance 0 * NaN).
def test_zero_weight_binomial_row_is_set_to_zero_as_r_does():
    # R's binomial initialize: y[weights == 0] <- 0, then the fit goes on without the row
    res = glmlearn.fit(X, [0, 1, 1.5, 0, 1, 1], "binomial", weights=[1, 1, 0, 1, 1, 1])
    assert res.converged and res.problem.n_obs == 5
    assert res.problem.y[2] == 0.0
    keep = [0, 1, 3, 4, 5]
    ref = glmlearn.fit(X[keep], [0, 1, 0, 1, 1], "binomial")
    np.testing.assert_allclose(res.coef, ref.coef, rtol=1e-10)


@pytest.mark.parametrize(("family", "y", "value"), [("gamma", [1, 2, 0, 2, 3, 4], "0.0"),
                                                    ("poisson", [1, 2, -1, 2, 3, 4], "-1.0")])
def test_zero_weight_row_outside_domain_is_refused_at_the_door(family, y, value):
    # R refuses y <= 0 for Gamma and y < 0 for poisson whatever the weight
    _raises(GLMInputError, rf"^y: value {_value(value)} at index 2 is outside the {family} family's domain",
            glmlearn.fit, X, np.array(y, dtype=float), family, weights=[1, 1, 0, 1, 1, 1])


@pytest.mark.parametrize(
    ("row", "col", "bad"), [(2, 1, np.nan), (4, 0, np.inf), (0, 1, -np.inf)]
)
def test_non_finite_X(row, col, bad):
    Xb = X.copy()
    Xb[row, col] = bad
    _raises(GLMInputError, rf"^X: non-finite value {_value(repr(bad))} at index \({row}, {col}\)$",
            glmlearn.fit, Xb, Y)


@pytest.mark.parametrize(("arg", "index", "bad"), [
    ("y", 2, np.nan), ("y", 4, -np.inf),
    ("weights", 3, np.nan), ("weights", 4, np.inf),
    ("offset", 1, np.nan), ("offset", 5, np.inf),
])
def test_non_finite_vectors(arg, index, bad):
    v = (Y if arg == "y" else np.ones(N) if arg == "weights" else np.zeros(N)).copy()
    v[index] = bad
    kwargs = {"y": Y, "weights": None, "offset": None, arg: v}
    _raises(GLMInputError, rf"^{arg}: non-finite value {_value(repr(bad))} at index {index}$",
            glmlearn.fit, X, kwargs["y"], weights=kwargs["weights"], offset=kwargs["offset"])


def test_negative_weight():
    _raises(GLMInputError, rf"^weights: negative weight {_value('-2.0')} at index 2; weights must be "
            r">= 0", glmlearn.fit, X, Y, weights=[1, 1, -2, 1, 1, 1])


def test_all_zero_weights():
    _raises(GLMInputError, r"^weights: all weights are zero; at least one must be positive",
            glmlearn.fit, X, Y, weights=np.zeros(N))


@pytest.mark.parametrize(("arg", "length"), [("y", 5), ("y", 7), ("weights", 3), ("offset", 7)])
def test_length_mismatch(arg, length):
    v = np.ones(length)
    kwargs = {"y": Y, "weights": None, "offset": None, arg: v}
    _raises(GLMInputError, rf"^{arg}: length {length} does not match the {N} rows of X",
            glmlearn.fit, X, kwargs["y"], weights=kwargs["weights"], offset=kwargs["offset"])


# Before commit e476c20 the finite-check fast path np.isfinite(np.sum(a)) overflowed for large
# finite values and leaked "RuntimeWarning: overflow encountered in reduce".
def test_validation_of_huge_finite_values_emits_no_numpy_warning():
    Xh = np.column_stack([np.ones(4), [1e308, 1e308, -1e308, 5e307]])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        problem = make_problem(Xh, [1.0, 2.0, 3.0, 4.0])
    assert problem.X[0, 1] == 1e308


def test_wrongly_shaped_X():
    _raises(GLMInputError, r"^X: expected a 2-D array", glmlearn.fit, np.ones((2, 2, 2)), [1, 2])
    _raises(GLMInputError, r"^X: needs at least one row and one column", glmlearn.fit,
            np.ones((0, 2)), [])


def test_two_column_response_only_for_binomial():
    counts = np.column_stack([[1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 1, 1]])
    _raises(GLMInputError, r"^y: expected a 1-D response, got shape \(6, 2\) \(only the binomial "
            r"family accepts two columns", glmlearn.fit, X, counts, "poisson")
    counts = counts.astype(float)
    counts[4, 1] = -1
    _raises(GLMInputError, rf"^y: negative count {_value('-1.0')} at index \(4, 1\)", glmlearn.fit,
            X, counts, "binomial")


def test_unknown_family_name_lists_the_known_ones():
    msg = _raises(GLMInputError, r"^family: unknown family 'gausian'; known families are",
                  glmlearn.fit, X, Y, "gausian")
    for name in glmlearn.FAMILIES:
        assert repr(name) in msg


def test_family_of_wrong_type():
    _raises(GLMTypeError, r"^family: expected a family name or a glmlearn Family, got int",
            glmlearn.fit, X, Y, 3)


def test_unknown_link_name_lists_the_known_ones():
    msg = _raises(GLMInputError, r"^link: unknown link 'lgit'; known links are", glmlearn.binomial, "lgit")
    for name in glmlearn.LINKS:
        assert repr(name) in msg


def test_link_the_family_does_not_allow():
    _raises(GLMInputError, r"^link: 'logit' is not available for the poisson family; allowed links are "
            r"'log', 'identity', 'sqrt'$", glmlearn.poisson, "logit")
    _raises(GLMInputError, r"^link: 'sqrt' is not available for the gamma family; allowed links are "
            r"'inverse', 'log', 'identity'$", glmlearn.gamma, glmlearn.LINKS["sqrt"])


# --- start ----------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", [glmlearn.fit, glmlearn.irls])
def test_start_of_wrong_length(entry):
    _raises(GLMInputError, r"^start: length 3 does not match the 2 columns of X$", entry, X, Y,
            "poisson", start=[1.0, 2.0, 3.0])


@pytest.mark.parametrize(("start", "index", "bad"), [([1.0, np.nan], 1, "nan"), ([np.inf, 0.0], 0, "inf")])
def test_start_non_finite(start, index, bad):
    _raises(GLMInputError, rf"^start: non-finite value {_value(bad)} at index {index}$", glmlearn.fit, X, Y,
            "poisson", start=start)


def test_start_not_numbers():
    _raises(GLMInputError, r"^start: could not be read as numbers", glmlearn.fit, X, Y, "poisson",
            start=["a", "b"])


@pytest.mark.parametrize(
    ("family", "start", "eta", "mu"),
    [
        (glmlearn.poisson("sqrt"), [-1.0, -1.0], "-1.0", "1.0"),  # sqrt link needs eta > 0
        (glmlearn.gamma(), [-1.0, 0.0], "-1.0", "-1.0"),  # inverse link: mu = 1/eta < 0
        (glmlearn.inverse_gaussian(), [-1.0, 0.0], "-1.0", "nan"),  # 1/mu^2 needs eta > 0
    ],
)
def test_start_giving_invalid_mean(family, start, eta, mu):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        msg = _raises(GLMInputError, r"^start: gives an invalid linear predictor or mean at index 0 ",
                      glmlearn.fit, X, Y, family, start=start)
    assert re.search(rf"eta = {_value(eta)}, mu = {_value(mu)}", msg), msg
    _words(msg, f"for the {family.name} family with the {family.link.name} link",
           "pass start= with valid coefficients")
    # the generator raises when it is first advanced
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(GLMInputError, match=r"^start: gives an invalid"):
            list(glmlearn.irls(X, Y, family, start=start))


@pytest.mark.parametrize(
    ("family", "start"),
    [
        (glmlearn.poisson("sqrt"), [-1.0, -1.0]),
        (glmlearn.gamma(), [-1.0, 0.0]),
        # before d917255 the 1/mu^2 inverse was evaluated on eta <= 0 before the validity
        # check, leaking "RuntimeWarning: invalid value encountered in sqrt"
        (glmlearn.inverse_gaussian(), [-1.0, 0.0]),
    ],
)
def test_invalid_start_emits_no_numpy_warning(family, start):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(GLMInputError, match=r"^start: gives an invalid"):
            glmlearn.fit(X, Y, family, start=start)


def test_default_start_that_finds_no_valid_point_says_so():
    # R: "no valid set of coefficients has been found: please supply starting values"
    # (binomial log link on separated data: the first full step leaves mu < 1).
    x = np.arange(10.0)
    Xs = np.column_stack([np.ones(10), x])
    y = (x > 4.5).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StepHalvingWarning)
        _raises(GLMInputError, r"^start: no valid set of coefficients was found from R's default starting "
                r"means; pass start= with valid coefficients$", glmlearn.fit, Xs, y, glmlearn.binomial("log"))


# --- controls -------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", [glmlearn.fit, glmlearn.irls])
@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "3", None])
def test_invalid_max_iter(entry, bad):
    _raises(GLMInputError, rf"^max_iter: must be a positive integer, got {re.escape(repr(bad))}$",
            entry, X, Y, max_iter=bad)


@pytest.mark.parametrize("entry", [glmlearn.fit, glmlearn.irls])
@pytest.mark.parametrize("bad", [0, -1, 0.0, float("nan"), float("inf")])
def test_invalid_tol_value(entry, bad):
    _raises(GLMInputError, rf"^tol: must be a positive finite number, got {re.escape(repr(bad))}$",
            entry, X, Y, tol=bad)


@pytest.mark.parametrize("entry", [glmlearn.fit, glmlearn.irls])
@pytest.mark.parametrize("bad", ["a", None, True, [1e-8]])
def test_invalid_tol_type(entry, bad):
    _raises(GLMInputError, rf"^tol: must be a positive number, got {re.escape(repr(bad))}$",
            entry, X, Y, tol=bad)


def test_numpy_integer_max_iter_is_accepted():
    assert glmlearn.fit(X, Y, max_iter=np.int64(5)).converged


def test_invalid_trace_mode():
    _raises(GLMInputError, r"^trace: must be 'auto', 'full' or 'compact', got 'short'$", glmlearn.fit, X, Y,
            trace="short")


# --- text and other types -------------------------------------------------------------------


def test_text_in_X_is_a_type_error_naming_value_and_index():
    Xs = np.array([[1.0, 2.0], [1.0, "a"], [1.0, 3.0]], dtype=object)
    _raises(GLMTypeError, r"^X: expected numbers, got str 'a' at index \(1, 1\)$", glmlearn.fit, Xs,
            [1, 2, 3])


def test_text_in_dataframe_column():
    # the column by its name, and the dummies to build (tests/test_inputs.py has the rest)
    df = pd.DataFrame({"const": [1.0, 1.0, 1.0], "group": ["a", "b", "a"]})
    with pytest.raises(GLMTypeError, match=r"^X: column 'group' holds text \('a' at row 0\), "
                       r"not numbers\. Make 0/1 dummy columns"):
        glmlearn.fit(df, [1.0, 2.0, 3.0])


def test_text_response_and_string_arguments():
    _raises(GLMTypeError, r"^y: expected numbers, got str_? .*'a'.* at index 0$", glmlearn.fit, X, ["a"] * N)
    _raises(GLMTypeError, r"^X: expected numbers, got the string 'abc'$", glmlearn.fit, "abc", [1, 2])
    _raises(GLMTypeError, r"^weights: expected numbers, got the string 'ones'$", glmlearn.fit, X, Y,
            weights="ones")


def test_complex_numbers_are_refused():
    # (the message names the first complex value; glmlearn's "complex numbers are not
    # supported" branch is unreachable because the element scan catches them first)
    with pytest.raises(GLMTypeError, match=r"^X: .*complex"):
        glmlearn.fit(X + 1j, Y)


def test_ragged_rows_are_a_type_error():
    with pytest.raises(GLMTypeError, match=r"^X: could not be read as an array of numbers"):
        glmlearn.fit([[1.0, 2.0], [1.0]], [1.0, 2.0])


# Before d917255 numpy's coercion of such a list to a str array made the message blame the
# first element ("got str_ np.str_('1') at index (0, 0)").
def test_text_in_a_list_of_rows_names_the_text_not_the_first_number():
    with pytest.raises(GLMTypeError) as info:
        glmlearn.fit([[1, 2], [1, "b"], [1, 3]], [1.0, 2.0, 3.0])
    _words(str(info.value), "'b'", "(1, 1)")


# Before d917255 messages formatted numbers with !r, which under numpy 2 printed
# "np.float64(1.5)" and indices as "(np.int64(0), np.int64(1))".
def test_messages_show_plain_numbers_not_numpy_reprs():
    messages = []
    for call in (
        lambda: glmlearn.fit(X, [0, 1, 0, 1.5, 1, 0], "binomial"),
        lambda: glmlearn.fit(X, Y, weights=[1, 1, -2, 1, 1, 1]),
        lambda: glmlearn.fit(np.array([[1.0, "a"], [1.0, 2.0]], dtype=object), [1, 2]),
    ):
        with pytest.raises((GLMInputError, GLMTypeError)) as info:
            call()
        messages.append(str(info.value))
    for msg in messages:
        assert "np." not in msg, msg


# ============================================================================================
# Numerical trouble: warnings and flags
# ============================================================================================


@pytest.fixture
def separated():
    x = np.arange(10.0)
    return np.column_stack([np.ones(10), x]), (x > 4.5).astype(float)


@pytest.fixture
def quasi_separated():
    # y = 1 for x > 4, y = 0 for x < 4, and both outcomes at x = 4: a tie on the border
    x = np.r_[np.arange(10.0), 4.0]
    y = np.r_[(np.arange(10.0) >= 4).astype(float), 0.0]
    return np.column_stack([np.ones(11), x]), y


def test_warning_categories_share_one_base():
    for cat in (BoundaryWarning, ConvergenceWarning, RankDeficiencyWarning, ResidualDFWarning,
                SeparationWarning, StepHalvingWarning):
        assert issubclass(cat, GLMWarning)
    assert issubclass(GLMWarning, UserWarning)


def test_non_convergence():
    rng = np.random.default_rng(0)
    x = rng.normal(size=50)
    Xp = np.column_stack([np.ones(50), x])
    y = rng.poisson(np.exp(1 + x))
    with pytest.warns(ConvergenceWarning, match=r"^IRLS did not converge in 2 iterations \(last criterion "
                      r"[0-9.e-]+, deviance [0-9.e+-]+\); the estimates are not the MLE$"):
        res = glmlearn.fit(Xp, y, "poisson", max_iter=2)
    assert res.converged is False
    assert res.n_iter == 2
    assert "not_converged" in res.flags
    assert any("did not converge" in m for m in res.warnings)
    assert "NOT converged" in str(res.summary())


def test_complete_separation(separated):
    Xs, y = separated
    with pytest.warns(GLMWarning) as record:
        res = glmlearn.fit(Xs, y, "binomial")
    cats = {w.category for w in record}
    assert SeparationWarning in cats and BoundaryWarning in cats
    msg = next(str(w.message) for w in record if w.category is SeparationWarning)
    _words(msg, "complete separation", "splits y = 1 from y = 0 perfectly",
           "the maximum-likelihood estimate does not exist")
    assert res.separation == "complete"
    assert res.boundary is True
    assert {"separation", "boundary"} <= res.flags


@pytest.mark.filterwarnings("ignore::glmlearn.GLMWarning")
def test_quasi_complete_separation(quasi_separated):
    Xq, y = quasi_separated
    with pytest.warns(SeparationWarning, match=r"^quasi-complete separation: .* with ties on the border"):
        res = glmlearn.fit(Xq, y, "binomial")
    assert res.separation == "quasi-complete"
    assert "separation" in res.flags


def test_no_separation_flag_on_an_ordinary_fit():
    x = np.arange(10.0)
    y = np.array([0, 0, 1, 0, 1, 0, 1, 1, 0, 1], dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("error", GLMWarning)
        res = glmlearn.fit(np.column_stack([np.ones(10), x]), y, "binomial")
    assert res.separation is None and res.boundary is False
    assert res.flags == frozenset()
    assert res.warnings == ()


@pytest.mark.parametrize("link", ["logit", "probit", "cloglog", "cauchit"])
def test_mu_stays_inside_unit_interval_in_separated_fits(separated, quasi_separated, link):
    for Xs, y in (separated, quasi_separated):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", GLMWarning)
            warnings.simplefilter("error", RuntimeWarning)
            res = glmlearn.fit(Xs, y, glmlearn.binomial(link))
        assert res.separation in ("complete", "quasi-complete")
        for state in res.trace:
            assert np.all((state.mu > 0) & (state.mu < 1)), (link, state.iteration)
            assert np.all(np.isfinite(state.w)) and np.all(state.w > 0)


@pytest.mark.filterwarnings("ignore::glmlearn.GLMWarning")
def test_boundary_fit_binomial(separated):
    Xs, y = separated
    with pytest.warns(BoundaryWarning, match=r"^fitted probabilities numerically 0 or 1 occurred \(first at "
                      r"index 0: mu = [0-9.e-]+; 8 row\(s\) in all\): the model predicts these "
                      r"rows with certainty.* This comes from the infinite estimates above\.$"):
        res = glmlearn.fit(Xs, y, "binomial")
    assert res.boundary is True and "boundary" in res.flags


def test_boundary_fit_poisson():
    # identity link, a group of zero counts: the MLE puts mu at 0 on the edge of the range.
    # From R's default starting means the first full step lands exactly on mu = 0 (the
    # group mean), which R 4.2.2 refuses too ("no valid set of coefficients has been
    # found: please supply starting values"); both then fit from a valid start.
    g = np.r_[np.zeros(5), np.ones(5)]
    Xg = np.column_stack([np.ones(10), g])
    y = np.r_[np.zeros(5), [3.0, 4.0, 2.0, 5.0, 3.0]]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        # R 4.2.2 from this start: "step size truncated: out of bounds", then "fitted rates
        # numerically 0 occurred"
        with pytest.warns(GLMWarning) as record:
            res = glmlearn.fit(Xg, y, glmlearn.poisson("identity"), start=[1.0, 2.0])
    assert [w.category for w in record] == [StepHalvingWarning, BoundaryWarning]
    assert re.match(r"^fitted rates numerically 0 occurred \(first at index ", str(record[1].message))
    assert res.boundary is True
    assert np.all(res.fitted_values > 0)


def test_rank_deficient_X_names_the_aliased_column():
    rng = np.random.default_rng(3)
    n = 40
    df = pd.DataFrame({"const": np.ones(n), "x": rng.normal(size=n), "z": rng.normal(size=n)})
    df["x_plus_z"] = df["x"] + df["z"]
    df["w"] = rng.normal(size=n)
    y = rng.poisson(np.exp(0.3 + 0.5 * df["x"] - 0.2 * df["w"]))
    with pytest.warns(RankDeficiencyWarning, match=r"^X is rank deficient \(rank 4 < 5 columns\): x_plus_z "
                      r"aliased \(linearly dependent on earlier columns\); their coefficients are NaN$"):
        res = glmlearn.fit(df, y, "poisson")
    assert res.rank_deficient and "rank_deficient" in res.flags
    assert res.aliased_names == ("x_plus_z",)
    assert np.isnan(res.coef[3]) and np.isnan(res.bse[3])
    assert res.rank == 4 and res.df_residual == n - 4
    reduced = df.drop(columns="x_plus_z")
    res2 = glmlearn.fit(reduced, y, "poisson")
    keep = [0, 1, 2, 4]
    np.testing.assert_allclose(res.coef[keep], res2.coef, rtol=1e-10)
    np.testing.assert_allclose(res.bse[keep], res2.bse, rtol=1e-8)
    assert res.deviance == pytest.approx(res2.deviance, rel=1e-12)
    sm_res = sm.GLM(y, reduced, family=sm.families.Poisson()).fit(tol=1e-12)
    np.testing.assert_allclose(res.coef[keep], sm_res.params, rtol=1e-6)
    np.testing.assert_allclose(res.bse[keep], sm_res.bse, rtol=1e-5)
    # predictions ignore the aliased column, as R's predict does
    np.testing.assert_allclose(res.predict(df.to_numpy()[:5]), res2.predict(reduced.to_numpy()[:5]),
                               rtol=1e-10)
    assert "x_plus_z" in str(res.summary()) and "NA" in str(res.summary())


def test_rank_deficient_duplicate_column_keeps_the_first():
    Xd = np.column_stack([np.ones(N), np.arange(N, dtype=float), 2 * np.arange(N, dtype=float)])
    with pytest.warns(RankDeficiencyWarning, match=r"x2 aliased"):
        res = glmlearn.fit(Xd, Y)
    assert np.isnan(res.coef[2]) and not np.isnan(res.coef[:2]).any()
    np.testing.assert_allclose(res.coef[:2], glmlearn.fit(X, Y).coef, rtol=1e-10)


def test_no_residual_degrees_of_freedom():
    Xs = np.column_stack([np.ones(2), [1.0, 2.0]])
    with pytest.warns(ResidualDFWarning, match=r"^no residual degrees of freedom \(2 observations, rank 2\): "
                      r"the dispersion cannot be estimated, so standard errors are NaN$"):
        res = glmlearn.fit(Xs, [1.0, 3.0], "gaussian")
    assert res.df_residual == 0
    assert np.isnan(res.dispersion) and np.all(np.isnan(res.bse))
    assert "no_residual_df" in res.flags
    np.testing.assert_allclose(res.coef, [-1.0, 2.0], atol=1e-12)


def test_no_residual_df_is_not_trouble_when_dispersion_is_fixed():
    Xs = np.column_stack([np.ones(2), [1.0, 2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error", GLMWarning)
        res = glmlearn.fit(Xs, [1.0, 3.0], "poisson")
    assert res.dispersion == 1.0 and np.all(np.isfinite(res.bse))
    assert "no_residual_df" not in res.flags


def test_step_halving_is_a_flag():
    # a start far off for the gamma inverse link makes the first full step leave mu > 0
    rng = np.random.default_rng(1)
    n = 40
    x = rng.uniform(0, 1, n)
    Xg = np.column_stack([np.ones(n), x])
    y = rng.gamma(2.0, 1 / (0.2 + 3 * x) / 2)
    with pytest.warns(StepHalvingWarning, match=r"^IRLS halved its step at iteration 1 "):
        res = glmlearn.fit(Xg, y, "gamma", start=[5.0, 5.0])
    assert "step_halving" in res.flags
    assert res.converged


def test_all_glmlearn_warnings_can_be_silenced_at_once(separated):
    Xs, y = separated
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", GLMWarning)
        res = glmlearn.fit(Xs, y, "binomial")
    assert record == []
    assert res.warnings  # the messages are still kept on the result


# --- no numpy RuntimeWarning leaks --------------------------------------------------------------


def _troublesome_fits():
    x = np.arange(10.0)
    Xs = np.column_stack([np.ones(10), x])
    sep = (x > 4.5).astype(float)
    g = np.r_[np.zeros(5), np.ones(5)]
    Xg = np.column_stack([np.ones(10), g])
    zeros = np.r_[np.zeros(5), [3.0, 4.0, 2.0, 5.0, 3.0]]
    rng = np.random.default_rng(1)
    u = rng.uniform(0, 1, 40)
    Xu = np.column_stack([np.ones(40), u])
    yg = rng.gamma(2.0, 1 / (0.2 + 3 * u) / 2)
    fits = [(Xs, sep, glmlearn.binomial(link), None, 25)
            for link in ("logit", "probit", "cloglog", "cauchit")]
    fits += [(Xg, zeros, glmlearn.poisson(link), None, 25) for link in ("log", "sqrt")]
    fits += [(Xg, zeros, glmlearn.poisson("identity"), [1.0, 2.0], 25)]  # R too needs a start
    fits += [(Xu, yg, fam, start, 25) for fam in (glmlearn.gamma(), glmlearn.inverse_gaussian("inverse"),
                                                glmlearn.gaussian("inverse"), glmlearn.gaussian("log"))
             for start in (None, [5.0, 5.0])]
    fits += [(Xu, yg, glmlearn.inverse_gaussian(), [5.0, 5.0], 25)]
    fits += [(Xs, sep, glmlearn.binomial("cloglog"), None, 200)]  # eta far beyond exp's range
    return fits


@pytest.mark.parametrize("case", range(len(_troublesome_fits())))
def test_no_numpy_runtime_warning_leaks(case):
    Xc, y, fam, start, max_iter = _troublesome_fits()[case]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", GLMWarning)
        res = glmlearn.fit(Xc, y, fam, start=start, max_iter=max_iter)
        res.summary().__str__()
        res.predict(Xc, se=True)
        for kind in ("deviance", "pearson", "working", "response"):
            res.residuals(kind)
    assert np.all(fam.valid_mu(res.fitted_values))
