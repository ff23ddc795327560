"""What a learner with pandas passes, and what glmlearn says back: numbers in any dtype are
numbers; text, categories, formulas and swapped arguments are refused with the fix; a
missing intercept and non-integer binomial counts are troubles kept on the result.

Each test checks the exception or warning TYPE and the WORDS of its message: the argument
or column named, and what to do.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import glmlearn
from glmlearn import GLMInputError, GLMTypeError, GLMWarning
from glmlearn.errors import InterceptNotice, NonIntegerWarning, Trouble
from glmlearn.problem import BINARY_WORDS, make_problem

N = 12
HOURS = np.array([1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 5.5, 6.0, 7.0, 8.0, 9.0])
PASSED = np.array([0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1])
GROUP = np.array([0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0])


def _words(message: str, *parts: str) -> None:
    for part in parts:
        assert part in message, f"{part!r} not in message: {message!r}"


def _quiet_fit(*args, **kwargs):
    """A fit that must not warn at all."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", GLMWarning)
        return glmlearn.fit(*args, **kwargs)


@pytest.fixture
def df() -> pd.DataFrame:
    return pd.DataFrame({"name": [f"student{i}" for i in range(N)], "hours": HOURS,
                         "group": np.where(GROUP == 1, "b", "a"), "passed": PASSED})


def _reference() -> glmlearn.GLMResult:
    return _quiet_fit(np.column_stack([np.ones(N), HOURS, GROUP]), PASSED, "binomial")


def _float_frame() -> pd.DataFrame:
    return pd.DataFrame({"(Intercept)": 1.0, "hours": HOURS, "group": GROUP.astype(float)})


# --- 1. numbers in any dtype --------------------------------------------------------------


@pytest.mark.parametrize("dtypes", [
    {"group": bool},  # pd.get_dummies' bool dummies beside a float intercept
    {"(Intercept)": "Int64", "hours": "Float64", "group": "boolean"},  # nullable
    {"(Intercept)": object, "hours": object, "group": object},  # numbers in object columns
    {"(Intercept)": "int64", "group": "Int8"},
])
def test_bool_nullable_and_object_columns_fit_as_their_float_version(dtypes):
    Xd = _float_frame().astype(dtypes)
    res = _quiet_fit(Xd, pd.Series(PASSED, name="passed"), "binomial")
    ref = _quiet_fit(_float_frame(), pd.Series(PASSED, name="passed"), "binomial")
    np.testing.assert_array_equal(res.coef, ref.coef)  # the same numbers, bit for bit
    np.testing.assert_array_equal(res.bse, ref.bse)
    assert res.column_names == ("(Intercept)", "hours", "group")
    assert res.deviance == ref.deviance
    # (and the numbers of the array, to rounding: a DataFrame is column-major)
    np.testing.assert_allclose(res.coef, _reference().coef, rtol=1e-12)


def test_get_dummies_frame_fits():
    frame = pd.DataFrame({"hours": HOURS, "group": np.where(GROUP == 1, "b", "a")})
    X = pd.get_dummies(frame, columns=["group"], drop_first=True).assign(**{"(Intercept)": 1.0})
    assert X["group_b"].dtype == bool
    res = _quiet_fit(X[["(Intercept)", "hours", "group_b"]], PASSED, "binomial")
    np.testing.assert_array_equal(res.coef, _quiet_fit(_float_frame(), PASSED, "binomial").coef)


def test_nullable_and_bool_responses_and_weights():
    X = np.column_stack([np.ones(N), HOURS, GROUP])
    ref = _reference()
    for y in (pd.Series(PASSED, dtype="Int64"), pd.Series(PASSED.astype(bool), dtype="boolean"),
              PASSED.astype(bool), pd.Series(PASSED, dtype=object)):
        np.testing.assert_array_equal(_quiet_fit(X, y, "binomial").coef, ref.coef)
    w = pd.Series(np.ones(N), dtype="Float64")
    np.testing.assert_array_equal(_quiet_fit(X, PASSED, "binomial", weights=w).coef, ref.coef)


def test_numbers_in_an_object_array_are_numbers():
    Xo = np.column_stack([np.ones(N), HOURS, GROUP]).astype(object)
    Xo[0, 2] = False  # bools among the numbers (GROUP is 0, 1, ...)
    Xo[1, 2] = np.True_
    np.testing.assert_array_equal(_quiet_fit(Xo, PASSED, "binomial").coef, _reference().coef)


@pytest.mark.parametrize(("dtype", "shown"), [("Int64", "NaN or NA"), ("Float64", "NaN or NA"),
                                             ("boolean", "NaN or NA"), ("float64", "NaN or NA")])
def test_missing_value_names_the_column_and_row(dtype, shown):
    X = pd.DataFrame({"(Intercept)": 1.0, "hours": HOURS, "group": GROUP}).astype({"group": dtype})
    X.loc[4, "group"] = None
    with pytest.raises(GLMInputError) as info:
        glmlearn.fit(X, PASSED, "binomial")
    msg = str(info.value)
    assert msg.startswith(f"X: missing value ({shown}) in column 'group' at row 4;"), msg
    _words(msg, "glmlearn does not drop rows", "df = df.dropna()")


def test_missing_value_in_an_object_column_and_row_labels():
    X = pd.DataFrame({"(Intercept)": 1.0, "hours": pd.Series(list(HOURS), dtype=object)},
                     index=[f"r{i}" for i in range(N)])
    X.loc["r3", "hours"] = pd.NA
    with pytest.raises(GLMInputError) as info:
        glmlearn.fit(X, PASSED, "binomial")
    _words(str(info.value), "X: missing value (<NA>) in column 'hours' at row 3 (index label 'r3')")
    y = pd.Series(PASSED, dtype="Int64")
    y[5] = pd.NA
    with pytest.raises(GLMInputError, match=r"^y: missing value \(NaN or NA\) at row 5; "):
        glmlearn.fit(np.column_stack([np.ones(N), HOURS]), y, "binomial")


# --- 2. text and categorical columns ------------------------------------------------------


def test_text_column_is_named_with_the_dummies_to_build(df):
    with pytest.raises(GLMTypeError) as info:
        glmlearn.fit(df[["hours", "group"]].assign(c=1.0), df["passed"], "binomial")
    msg = str(info.value)
    assert msg.startswith("X: column 'group' holds text ('a' at row 0), not numbers."), msg
    _words(msg, 'X = pd.get_dummies(X, columns=["group"], drop_first=True, dtype=float)',
           "a formula interface is planned")
    assert "identifier" not in msg


def test_identifier_column_is_named_with_both_fixes(df):
    with pytest.raises(GLMTypeError) as info:
        glmlearn.fit(df[["hours", "name"]], df["passed"], "binomial")
    msg = str(info.value)
    _words(msg, "X: column 'name' holds text ('student0' at row 0)",
           'pd.get_dummies(X, columns=["name"], drop_first=True, dtype=float)',
           'if it is an identifier, leave it out: X = X.drop(columns=["name"])')


def test_categorical_column_is_named(df):
    X = df[["hours"]].assign(group=pd.Categorical(df["group"]))
    with pytest.raises(GLMTypeError) as info:
        glmlearn.fit(X, df["passed"], "binomial")
    _words(str(info.value), "X: column 'group' is categorical ('a' at row 0), not numbers",
           'columns=["group"], drop_first=True')


def test_other_dtypes_are_named():
    X = pd.DataFrame({"c": 1.0, "when": pd.to_datetime(["2020-01-01"] * N)})
    with pytest.raises(GLMTypeError, match=r"^X: column 'when' holds datetime64\[.*\] values, "
                       r"not numbers$"):
        glmlearn.fit(X, PASSED, "binomial")


# --- 3. formulas ----------------------------------------------------------------------------


def test_formula_without_data_says_what_to_pass_instead(df):
    with pytest.raises(GLMTypeError) as info:
        glmlearn.fit("passed ~ hours", family="binomial")
    msg = str(info.value)
    assert msg.startswith("X: got the formula 'passed ~ hours' but no data to read its columns "
                          "from. Fit it from a DataFrame df: glmlearn.fit('passed ~ hours', "
                          "data=df, family=\"binomial\")"), msg
    _words(msg, 'X = df.assign(**{"(Intercept)": 1.0})[["(Intercept)", "hours"]]',
           'y = df["passed"]', 'glmlearn.fit(X, y, "binomial")')
    # and both pieces of advice work, to the same fit
    X = df.assign(**{"(Intercept)": 1.0})[["(Intercept)", "hours"]]
    res = _quiet_fit(X, df["passed"], "binomial")
    np.testing.assert_allclose(res.coef, _quiet_fit(np.column_stack([np.ones(N), HOURS]), PASSED,
                                                    "binomial").coef, rtol=1e-12)
    by_formula = _quiet_fit("passed ~ hours", data=df, family="binomial")
    np.testing.assert_allclose(by_formula.coef, res.coef, rtol=1e-10)
    assert by_formula.column_names == ("(Intercept)", "hours")


def test_formula_without_intercept_cbind_and_log_terms():
    with pytest.raises(GLMTypeError) as info:
        glmlearn.fit("cbind(killed, alive) ~ log(dose) + 0", family="binomial")
    _words(str(info.value), 'df["log_dose"] = np.log(df["dose"])', 'X = df[["log_dose"]]',
           'y = df[["killed", "alive"]]', 'glmlearn.fit(X, y, "binomial", intercept=False)')
    with pytest.raises(GLMTypeError, match=r"^y: got the formula 'y ~ x' where y belongs \(the "
                       r"formula goes first\)"):
        glmlearn.fit(pd.DataFrame({"x": HOURS}), "y ~ x")


def test_a_plain_string_is_still_just_a_string():
    with pytest.raises(GLMTypeError, match=r"^X: expected numbers, got the string 'hours'$"):
        glmlearn.fit("hours", PASSED)


# --- 4. no intercept: a notice, kept as a trouble -------------------------------------------


def test_no_intercept_is_a_notice_and_a_trouble(df):
    with pytest.warns(InterceptNotice) as record:
        res = glmlearn.fit(df[["hours"]], df["passed"], "binomial")
    assert len(record) == 1 and issubclass(InterceptNotice, GLMWarning)
    msg = str(record[0].message)
    _words(msg, "X has no intercept column", "R's glm(y ~ x) adds one",
           'X = X.assign(**{"(Intercept)": 1.0})[["(Intercept)", *X.columns]]',
           "pass intercept=False")
    assert "no_intercept" in res.flags
    assert res.troubles[0] == Trouble(InterceptNotice, "no_intercept", msg)
    assert res.converged  # a notice: the fit went on
    with pytest.warns(InterceptNotice, match=r"X = np\.column_stack\(\[np\.ones\(12\), X\]\)"):
        glmlearn.fit(HOURS, PASSED, "binomial")


def test_no_intercept_notice_is_silenced_by_intercept_false():
    res = _quiet_fit(HOURS[:, None], PASSED, "binomial", intercept=False)
    assert res.flags == frozenset() and res.troubles == ()
    with pytest.raises(GLMTypeError, match=r"^intercept: expected True or False, got 'no'$"):
        glmlearn.fit(HOURS[:, None], PASSED, "binomial", intercept="no")


def test_no_notice_with_an_intercept_column_or_a_dummy_for_every_level():
    for X in (np.column_stack([np.ones(N), HOURS]),
              pd.DataFrame({"(Intercept)": 1.0, "hours": HOURS}),
              np.column_stack([HOURS, np.full(N, 2.0)]),  # any non-zero constant column
              np.column_stack([GROUP == 0, GROUP == 1, HOURS]),  # cell means: ones in the span
              np.column_stack([GROUP == 0, GROUP == 1, HOURS > 5])):
        res = _quiet_fit(X, PASSED, "binomial")
        assert "no_intercept" not in res.flags
        assert not make_problem(X, PASSED, "binomial").troubles
    # two factors with a dummy for every level (rank deficient, but the intercept is there)
    X2 = np.column_stack([GROUP == 0, GROUP == 1, HOURS > 5, HOURS <= 5])
    assert not make_problem(X2, PASSED, "binomial").troubles


def test_irls_alone_never_warns():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        states = list(glmlearn.irls(HOURS[:, None], [0.5, 0.3] * 6, "binomial", weights=np.ones(N)))
    assert states[-1].converged


# --- 5. X and y swapped ---------------------------------------------------------------------


@pytest.mark.parametrize("family", ["binomial", "gaussian", "poisson"])
def test_swapped_arguments_are_refused(family):
    X = np.column_stack([np.ones(N), HOURS])
    with pytest.raises(GLMInputError) as info:
        glmlearn.fit(PASSED, X, family)
    msg = str(info.value)
    assert msg.startswith("X and y look swapped: fit(X, y, family) takes the design first."), msg
    _words(msg, "column 0 of y is constant at 1.0, like an intercept", f'fit(X, y, "{family}")')
    if family == "binomial":
        _words(msg, "the second column of y holds 1.5 at index 0, not a count of failures")


def test_swapped_without_an_intercept_column_is_caught_by_the_non_integer_failures():
    with pytest.raises(GLMInputError, match=r"^X and y look swapped: .*the second column of y "
                       r"holds 1\.5 at index 0"):
        glmlearn.fit(PASSED, np.column_stack([GROUP, HOURS]), "binomial")


def test_successes_and_failures_are_still_accepted():
    counts = np.column_stack([[1, 3, 5, 7, 9, 10], [9, 7, 5, 3, 1, 0]])
    dose = np.arange(6.0)
    res = _quiet_fit(np.column_stack([np.ones(6), dose]), counts, "binomial")
    assert res.converged
    # a single column of X beside counts is no swap when the counts are counts
    assert make_problem(dose[:, None], counts, "binomial", intercept=False).troubles == ()


# --- 6. yes/no, true/false, True/False ------------------------------------------------------


def test_yes_no_true_false_responses_read_as_one_and_zero():
    assert dict(BINARY_WORDS) == {"yes": 1.0, "no": 0.0, "true": 1.0, "false": 0.0}
    X = np.column_stack([np.ones(N), HOURS, GROUP])
    ref = _reference().coef
    yes_no = np.where(PASSED == 1, "Yes", "no ")
    true_false = np.where(PASSED == 1, "TRUE", "false")
    for y in (yes_no, list(yes_no), pd.Series(yes_no), pd.Series(true_false, dtype="string"),
              pd.Series(pd.Categorical(yes_no)), pd.Series(PASSED == 1),
              np.array([True if p else "no" for p in PASSED], dtype=object)):
        np.testing.assert_array_equal(_quiet_fit(X, y, "binomial").coef, ref)


def test_other_text_responses_say_how_to_make_zero_one():
    X = np.column_stack([np.ones(N), HOURS])
    y = pd.Series(np.where(PASSED == 1, "pass", "fail"), name="result")
    with pytest.raises(GLMTypeError) as info:
        glmlearn.fit(X, y, "binomial")
    _words(str(info.value), "y: a binomial response given as text must say yes/no or true/false",
           "got 'fail' at row 0", "(the values: 'fail', 'pass')",
           'y = (df["result"] == "pass").astype(float)')
    # words are for the binomial family only
    with pytest.raises(GLMTypeError, match=r"^y: expected numbers, got str 'yes' at row 0$"):
        glmlearn.fit(X, pd.Series(["yes", "no"] * 6), "poisson")


# --- 7. non-integer binomial counts: a trouble, warned by fit only -------------------------


def test_non_integer_successes_are_a_trouble_warned_once_by_fit():
    X = np.column_stack([np.ones(N), HOURS])
    y = np.r_[[0.3], PASSED[1:]]
    problem = make_problem(X, y, "binomial", weights=np.full(N, 2.0))  # warns nothing
    (trouble,) = problem.troubles
    assert trouble.kind is NonIntegerWarning and trouble.flag == "non_integer"
    _words(trouble.message, "non-integer #successes in a binomial glm!",
           "weights * y = 0.6 at index 0")
    with pytest.warns(NonIntegerWarning, match=r"^non-integer #successes in a binomial glm!") as rec:
        res = glmlearn.fit(X, y, "binomial", weights=np.full(N, 2.0))
    assert len(rec) == 1
    assert "non_integer" in res.flags and res.troubles[0] == trouble
    assert any(line.startswith("Warning: non-integer #successes") for line in
               str(res.summary()).splitlines())


def test_non_integer_check_is_quiet_on_counts():
    X = np.column_stack([np.ones(N), HOURS])
    assert make_problem(X, PASSED / 4, "binomial", weights=np.full(N, 4.0)).troubles == ()
    assert make_problem(X, PASSED, "binomial").troubles == ()
