"""Formula fits: R's conventions, missing values, new data and every bad input's message.

The numbers of formula fits are compared with R itself in ``tests/test_formula_r.py``; here
each expected value is either a fit from arrays built by hand (the array path is checked
against R in ``tests/test_r_live.py``) or a message.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

import glmlearn
from glmlearn import ColumnNamesWarning, GLMInputError, MissingValuesNotice
from glmlearn.datasets import load
from glmlearn.problem import Term

DOBSON = load("dobson_counts").frame().astype({"outcome": int, "treatment": int})


def _quiet(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", glmlearn.GLMWarning)
        return glmlearn.fit(*args, **kwargs)


def _dummies(codes, levels):
    return np.column_stack([(np.asarray(codes) == lv).astype(float) for lv in levels])


# --- factors ------------------------------------------------------------------------------

def test_integer_codes_are_numbers_unless_made_factors():
    as_numbers = glmlearn.fit("counts ~ outcome + treatment", data=DOBSON, family="poisson")
    assert as_numbers.column_names == ("(Intercept)", "outcome", "treatment")
    as_factors = glmlearn.fit("counts ~ C(outcome) + factor(treatment)", data=DOBSON,
                              family="poisson")
    assert as_factors.column_names == ("(Intercept)", "C(outcome)2", "C(outcome)3",
                                       "factor(treatment)2", "factor(treatment)3")
    X = np.column_stack([np.ones(9), _dummies(DOBSON["outcome"], [2, 3]),
                         _dummies(DOBSON["treatment"], [2, 3])])
    by_hand = glmlearn.fit(X, DOBSON["counts"], "poisson")
    np.testing.assert_allclose(as_factors.deviance, by_hand.deviance, rtol=1e-12)
    assert as_factors.deviance < as_numbers.deviance - 1  # (5.129 vs 8.016)


def test_text_and_bool_columns_are_factors_in_r_order_and_names():
    df = pd.DataFrame({"y": [1, 3, 2, 5, 4, 6, 2, 7], "colour": list("rgbrgbrg"),
                       "big": [True, False] * 4})
    res = glmlearn.fit("y ~ colour + big", data=df, family="poisson")
    assert res.column_names == ("(Intercept)", "colourg", "colourr", "bigTRUE")  # b < g < r
    assert res.problem.terms == (Term("(Intercept)", (0,)), Term("colour", (1, 2)),
                                 Term("big", (3,)))


def test_category_order_is_kept_and_interaction_named_as_r():
    df = load("budworm").frame()
    df["sex"] = pd.Categorical(df["sex"], categories=["M", "F"])
    res = glmlearn.fit("cbind(dead, alive) ~ sex * ldose", data=df, family="binomial")
    assert res.column_names == ("(Intercept)", "sexF", "ldose", "sexF:ldose")
    assert [t.name for t in res.problem.terms] == ["(Intercept)", "sex", "ldose", "sex:ldose"]


def test_without_intercept_all_levels_of_the_first_factor():
    res = glmlearn.fit("counts ~ outcome + treatment + 0", data=load("dobson_counts").frame(),
                       family="poisson")
    assert res.column_names == ("outcome1", "outcome2", "outcome3", "treatment2", "treatment3")
    assert "no_intercept" not in res.flags


def test_binomial_responses_yes_no_true_false_and_a_factor():
    x = np.arange(8.0)
    hits = [0, 0, 1, 0, 1, 1, 0, 1]
    ref = glmlearn.fit(np.column_stack([np.ones(8), x]), hits, "binomial")
    for y in (["yes" if h else "no" for h in hits], [bool(h) for h in hits],
              pd.Categorical(["hit" if h else "miss" for h in hits],
                             categories=["miss", "hit"])):
        res = glmlearn.fit("y ~ x", data=pd.DataFrame({"y": y, "x": x}), family="binomial")
        np.testing.assert_allclose(res.coef, ref.coef, rtol=1e-10)


def test_family_and_link_as_words():
    df = load("beetles").frame()
    a = glmlearn.fit("cbind(killed, n - killed) ~ dose", data=df, family="binomial",
                     link="probit")
    b = glmlearn.fit("cbind(killed, n - killed) ~ dose", data=df,
                     family=glmlearn.binomial("probit"))
    np.testing.assert_array_equal(a.coef, b.coef)
    assert a.family.link.name == "probit"


def test_irls_takes_a_formula_too():
    states = list(glmlearn.irls("counts ~ C(outcome)", data=DOBSON, family="poisson"))
    assert states[-1].converged and states[-1].beta.shape == (3,)


# --- missing values -----------------------------------------------------------------------

def _with_missing():
    df = pd.DataFrame({"y": [1.0, 2.0, 2.5, 4.0, 5.5, 6.0, 8.0, 8.5],
                       "x": [1.0, 2.0, np.nan, 4.0, 5.0, 6.0, 7.0, 8.0],
                       "unused": np.nan},
                      index=[f"r{i}" for i in range(8)])
    df.loc["r5", "y"] = np.nan
    return df


def test_missing_rows_left_out_with_a_notice_naming_them():
    df = _with_missing()
    with pytest.warns(MissingValuesNotice) as record:
        res = glmlearn.fit("y ~ x", data=df)
    msg = str(record[0].message)
    assert msg.startswith("2 of 8 rows left out for missing values (R's na.omit): rows 'r2', "
                          "'r5'; missing in y (1), x (1)"), msg
    assert "na_omit" in res.flags
    assert list(res.index) == ["r0", "r1", "r3", "r4", "r6", "r7"]
    kept = df.drop(index=["r2", "r5"])
    ref = glmlearn.fit(np.column_stack([np.ones(6), kept["x"]]), kept["y"])
    np.testing.assert_allclose(res.coef, ref.coef, rtol=1e-12)
    fitted = res.fitted_series()
    assert list(fitted.index) == list(res.index)
    np.testing.assert_allclose(fitted.to_numpy(), ref.mu, rtol=1e-12)
    resid = res.residual_series("response")
    np.testing.assert_allclose(resid["r7"], 8.5 - fitted["r7"], rtol=1e-12)


def test_na_action_raise_names_column_and_row():
    with pytest.raises(GLMInputError, match=r"^data: missing value in 'x' at row 'r2' \(2 rows "
                       r"have one\); leave na_action='omit'"):
        glmlearn.fit("y ~ x", data=_with_missing(), na_action="raise")


# --- new data -----------------------------------------------------------------------------

def test_predict_newdata_matches_by_name_and_array_form_warns():
    df = load("budworm").frame()
    res = glmlearn.fit("cbind(dead, alive) ~ sex * ldose", data=df, family="binomial")
    shuffled = df[["ldose", "alive", "sex", "dead"]].iloc[[3, 8]]
    by_name = res.predict(newdata=shuffled)
    np.testing.assert_allclose(by_name, res.mu[[3, 8]], rtol=1e-12)
    np.testing.assert_allclose(res.predict(shuffled), by_name, rtol=1e-12)  # (a DataFrame)
    X = pd.DataFrame(np.asarray(res.problem.X)[[3, 8]], columns=res.column_names)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res.predict(X_new=X.to_numpy())  # an array: nothing to compare
    wrong = X[list(X.columns[::-1])]
    fit_frame = glmlearn.fit(pd.DataFrame(np.asarray(res.problem.X), columns=res.column_names),
                             res.problem.y, "binomial", weights=res.problem.prior_weights)
    with pytest.warns(ColumnNamesWarning, match=r"the same names in another order; reorder "
                      r"with X_new\["):
        fit_frame.predict(wrong)


def test_interval_is_made_on_the_link_scale():
    res = glmlearn.fit("cbind(dead, alive) ~ sex + ldose", data=load("budworm").frame(),
                       family="binomial")
    new = pd.DataFrame({"sex": ["F", "M"], "ldose": [2.5, 0.0]})
    link = res.predict(newdata=new, kind="link", interval=0.95)
    resp = res.predict(newdata=new, kind="response", interval=0.95)
    z = 1.959963984540054
    np.testing.assert_allclose(link.lower, link.fit - z * link.se, rtol=1e-9)
    np.testing.assert_allclose(resp.lower, 1 / (1 + np.exp(-link.lower)), rtol=1e-9)
    np.testing.assert_allclose(resp.upper, 1 / (1 + np.exp(-link.upper)), rtol=1e-9)
    assert np.all((resp.lower > 0) & (resp.upper < 1))


def test_unknown_level_in_newdata_names_variable_and_level():
    res = glmlearn.fit("cbind(dead, alive) ~ sex + ldose", data=load("budworm").frame(),
                       family="binomial")
    with pytest.raises(GLMInputError, match=r"^newdata: column 'sex' has level 'X', which the "
                       r"fitted model has not seen; its levels are 'F', 'M'$"):
        res.predict(newdata=pd.DataFrame({"sex": ["F", "X"], "ldose": [1.0, 2.0]}))
    with pytest.raises(GLMInputError, match=r"^newdata: no column 'ldose' in data; its "
                       r"columns are 'sex'$"):
        res.predict(newdata=pd.DataFrame({"sex": ["F"]}))


def test_newdata_for_an_array_fit_says_to_pass_X_new():
    res = glmlearn.fit(np.column_stack([np.ones(4), [1.0, 2, 3, 4]]), [1, 0, 2, 3], "poisson")
    with pytest.raises(GLMInputError, match=r"^newdata: the model was fitted from arrays"):
        res.predict(newdata=pd.DataFrame({"x": [1.0]}))


# --- bad input ----------------------------------------------------------------------------

@pytest.mark.parametrize(("kwargs", "message"), [
    ({"formula": "counts ~ outcom"}, r"^formula: no column 'outcom' in data; its columns are "
     r"'counts', 'outcome', 'treatment'$"),
    ({"formula": "count ~ outcome"}, r"^formula \(response\): no column 'count' in data"),
    ({"formula": "Counts ~ outcome"}, r"did you mean 'counts'\?"),
    ({"formula": "counts ~ outcome", "weights": "w"}, r"^weights: no column 'w' in data"),
    ({"formula": "counts outcome"}, r"^formula: 'counts outcome' has no '~'"),
    ({"formula": " ~ outcome"}, r"^formula: ' ~ outcome' has no response left of '~'"),
    ({"formula": "counts ~ "}, r"^formula: 'counts ~ ' has no terms right of '~'; write '~ 1'"),
    ({"formula": "counts ~ outcome +"}, r"^formula: could not read 'counts ~ outcome \+'"),
    ({"formula": "counts + treatment ~ outcome"}, r"write 'cbind\(counts, treatment\) ~ "
     r"outcome'"),
    ({"formula": "counts ~ outcome", "exposure": "treatment", "link": "identity"},
     r"^exposure: needs the log link"),
    ({"formula": "cbind(counts, treatment) ~ outcome"}, r"only the binomial family takes, not "
     r"poisson"),
    ({"formula": "counts ~ outcome", "na_action": "drop"}, r"^na_action: must be 'omit' or "
     r"'raise', got 'drop'$"),
])
def test_bad_input_names_the_variable(kwargs, message):
    kwargs = {"data": DOBSON, "family": "poisson", **kwargs}
    with pytest.raises(GLMInputError, match=message):
        glmlearn.fit(kwargs.pop("formula"), **kwargs)


def test_non_positive_exposure_names_column_and_row():
    df = DOBSON.assign(time=[1.0, 2.0, 0.0, 1, 1, 1, 1, 1, -1])
    with pytest.raises(GLMInputError, match=r"^exposure: exposure 'time' must be positive, got "
                       r"0.0 at index 2 \(2 such values\)"):
        glmlearn.fit("counts ~ outcome", data=df, family="poisson", exposure="time")


def test_a_response_the_family_cannot_take():
    df = pd.DataFrame({"y": list("abcab"), "x": [1.0, 2, 3, 4, 5]})
    with pytest.raises(GLMInputError, match=r"^formula: the response 'y' is a factor \(.*\); "
                       r"the poisson family needs numbers"):
        glmlearn.fit("y ~ x", data=df, family="poisson")
    with pytest.raises(GLMInputError, match=r"^y: value -1.0 at index 0 is outside the poisson"):
        glmlearn.fit("y ~ x", data=df.assign(y=[-1, 2, 3, 4, 5]), family="poisson")


def test_a_formula_referring_to_nothing():
    with pytest.raises(GLMInputError, match=r"^formula: no column 'nothing' in data"):
        glmlearn.fit("counts ~ nothing", data=DOBSON, family="poisson")


# --- links as users write them ------------------------------------------------------------

def test_power_link_as_text_and_as_factory():
    from glmlearn.links import power

    df = load("clotting").frame()
    by_text = glmlearn.fit("lot1 ~ log(u)", data=df, family="Gamma", link="power(1/3)")
    by_factory = glmlearn.fit("lot1 ~ log(u)", data=df, family=glmlearn.gamma(power(1 / 3)))
    np.testing.assert_array_equal(by_text.coef, by_factory.coef)
    assert by_text.family.link.name == "mu^0.333"  # R's name
    assert power(1).name == "identity" and power(0).name == "log"
    mu = np.array([0.5, 2.0, 7.0])
    link = power(0.4)
    np.testing.assert_allclose(link.inverse(link(mu)), mu, rtol=1e-12)
    h = 1e-6
    np.testing.assert_allclose(link.deriv(mu), (link(mu + h) - link(mu - h)) / (2 * h),
                               rtol=1e-6)
    eta = link(mu)
    np.testing.assert_allclose(link.inverse_deriv(eta), 1 / link.deriv(mu), rtol=1e-10)


def test_power_link_refused_for_binomial_and_bad_power_named():
    with pytest.raises(GLMInputError, match=r"^link: the power link 'mu\^0.5' is not available "
                       r"for the binomial family; allowed links are 'logit'"):
        glmlearn.fit("cbind(killed, n - killed) ~ dose", data=load("beetles").frame(),
                     family="binomial", link="power(1/2)")
    with pytest.raises(GLMInputError, match=r"^link: power\(-1\) has a negative power; use "
                       r"the link 'inverse'"):
        glmlearn.links.power(-1)
    with pytest.raises(GLMInputError, match=r"^link: unknown link 'power\(a\)'; .*power\(lambda\)"):
        glmlearn.fit("lot1 ~ u", data=load("clotting").frame(), family="Gamma", link="power(a)")


def test_exposure_for_arrays_adds_its_log_to_the_offset():
    ships = load("ships").model_frame()
    X = np.column_stack([np.ones(len(ships)), ships["year"]])
    by_offset = glmlearn.fit(X, ships["incidents"], "poisson", offset=np.log(ships["service"]))
    by_exposure = glmlearn.fit(X, ships["incidents"], "poisson", exposure=ships["service"])
    np.testing.assert_allclose(by_exposure.coef, by_offset.coef, rtol=1e-12)
    with pytest.raises(GLMInputError, match=r"^exposure: needs the log link"):
        glmlearn.fit(X, ships["incidents"], "poisson", link="sqrt", exposure=ships["service"])


# --- the command line ---------------------------------------------------------------------

def test_cli_formula_fits_as_the_library_does(capsys, tmp_path):
    from glmlearn import cli

    assert cli.main(["trace", "--dataset", "dobson_counts", "--family", "poisson", "--formula",
                     "counts ~ factor(outcome) + factor(treatment)"]) == 0
    out = capsys.readouterr().out
    assert "glmlearn.fit('counts ~ factor(outcome) + factor(treatment)'" in out
    assert re.search(r"^factor\(outcome\)2\s+-4\.543e-01\s+2\.022e-01\s+-2\.247\s+0\.0246$",
                     out, re.M), out
    assert "Residual deviance:  5.1291  on 4  degrees of freedom" in out
    csv = tmp_path / "d.csv"
    csv.write_text("y,x,g\n1,1.5,a\n3,,b\n2,2.5,b\n5,3.5,a\n4,4.0,b\n")
    assert cli.main(["trace", str(csv), "--family", "poisson", "--formula", "y ~ x + g"]) == 0
    out = capsys.readouterr().out
    assert "(1 with missing values left out)" in out and "gb" in out


def test_cli_formula_errors_name_the_column_and_the_option(capsys):
    from glmlearn import cli

    assert cli.main(["trace", "--dataset", "dobson_counts", "--family", "poisson", "--formula",
                     "counts ~ outcom"]) == 2
    err = capsys.readouterr().err
    assert "formula: no column 'outcom' in data; its columns are 'counts', 'outcome'" in err
    assert cli.main(["trace", "--dataset", "beetles", "--family", "binomial", "--formula",
                     "killed ~ dose", "--trials", "n"]) == 2
    assert ("--trials: give --formula or --y/--x, not both; write the response as "
            "cbind(successes, failures)") in capsys.readouterr().err


def test_readme_formula_example_runs_and_prints_what_it_says():
    from pathlib import Path

    text = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    block = text.split("The same from a DataFrame, with a formula")[1]
    code = block.split("```python\n")[1].split("```")[0]
    namespace: dict = {}
    exec(code, namespace)
    fit = namespace["fit"]
    assert fit.column_names == ("(Intercept)", "sexM", "ldose", "sexM:ldose")
    pred = fit.predict(newdata={"sex": ["F", "M"], "ldose": [3, 3]}, interval=0.95)
    np.testing.assert_allclose(pred.fit, [0.432, 0.723], atol=5e-4)
    assert "sexM:ldose" in str(fit.summary())


# --- more of the same: weights and offsets by array, summaries, predict's own errors -------

def test_missing_weights_count_as_missing_and_arrays_are_subset():
    df = pd.DataFrame({"y": [2.0, 3.0, 1.0, 5.0, 4.0, 6.0], "x": [1.0, 2, 3, 4, 5, 6]})
    w = np.array([1.0, np.nan, 2.0, 1.0, 3.0, 1.0])
    off = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    with pytest.warns(MissingValuesNotice, match=r"rows 1; missing in weights \(1\)"):
        res = glmlearn.fit("y ~ x", data=df, family="poisson", weights=w, offset=off)
    keep = ~np.isnan(w)
    ref = glmlearn.fit(np.column_stack([np.ones(5), df["x"][keep]]), df["y"][keep], "poisson",
                       weights=w[keep], offset=off[keep])
    np.testing.assert_allclose(res.coef, ref.coef, rtol=1e-12)
    with pytest.raises(GLMInputError, match=r"^offset: the model was fitted with an offset "
                       r"\(or exposure\) given as an array, so new data need one too"):
        res.predict(newdata=df.iloc[:2])
    expected = ref.predict(np.column_stack([np.ones(2), df["x"][:2]]), offset=off[:2])
    np.testing.assert_allclose(res.predict(newdata=df.iloc[:2], offset=off[:2]), expected,
                               rtol=1e-12)
    with pytest.raises(GLMInputError, match=r"^weights: expected one value per row of data "
                       r"\(6\), got shape \(2,\)"):
        glmlearn.fit("y ~ x", data=df, family="poisson", weights=[1.0, 2.0])


def test_summary_styles_and_stars():
    res = glmlearn.fit("counts ~ outcome + treatment", data=load("dobson_counts").frame(),
                       family="poisson")
    text = str(res.summary())  # a formula fit: R's layout, no stars unless asked
    assert text.splitlines()[1:3] == [
        "Call:", "glmlearn.fit('counts ~ outcome + treatment', data=..., "
        "family=poisson(link=\"log\"))"]
    assert "Signif. codes" not in text and "***" not in text
    starred = str(res.summary(stars=True))
    assert re.search(r"^\(Intercept\) .* <2e-16 \*\*\*$", starred, re.M), starred
    assert "Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1" in starred
    assert str(res.summary(style="glmlearn")).startswith("Family: poisson")
    with pytest.raises(GLMInputError, match=r"^style: must be 'glmlearn' or 'R', got 'S'$"):
        res.summary(style="S")


def test_array_predict_warns_naming_the_columns_that_differ():
    X = pd.DataFrame({"(Intercept)": 1.0, "hours": [1.0, 2, 3, 4, 5, 6]})
    res = glmlearn.fit(X, [0, 0, 1, 0, 1, 1], "binomial")
    with pytest.warns(ColumnNamesWarning, match=r"names hrs are not the fit's and hours are "
                      r"missing\); they are used by position"):
        res.predict(X.rename(columns={"hours": "hrs"}))


def test_dotted_and_spaced_column_names_as_r_allows():
    df = pd.DataFrame({"y": [1, 0, 1, 1, 0, 0, 1], "M.user": list("abababb"),
                       "hours studied": [1.5, 2.5, 3.5, 1.0, 4.0, 2.0, 5.0]})
    res = glmlearn.fit("y ~ `hours studied` + M.user", data=df, family="binomial")
    assert res.column_names == ("(Intercept)", "hours studied", "M.userb")
    np.testing.assert_allclose(res.predict(newdata=df.iloc[::-1, ::-1]), res.mu[::-1],
                               rtol=1e-12)
    with pytest.raises(GLMInputError, match=r"^formula: no column 'M' in data"):
        glmlearn.fit("y ~ M", data=df, family="binomial")


def test_a_text_response_other_than_yes_no_says_what_to_write():
    df = pd.DataFrame({"outcome": list("abab"), "x": [1.0, 2, 3, 4]})
    with pytest.raises(GLMInputError, match=r"^formula: the binomial response 'outcome' holds "
                       r"text \('a', 'b'\), not yes/no or true/false; make the column "
                       r"categorical .* 'I\(outcome == 'b'\) ~ x'$"):
        glmlearn.fit("outcome ~ x", data=df, family="binomial")
    as_told = _quiet("I(outcome == 'b') ~ x", data=df, family="binomial")
    np.testing.assert_array_equal(as_told.problem.y, [0.0, 1.0, 0.0, 1.0])


@pytest.mark.parametrize("kwargs, where", [
    ({"formula": "incidents ~ type + offset(log(service))"}, "offset"),
    ({"formula": "incidents ~ type", "offset": "log(service)"}, "offset"),
    ({"formula": "incidents ~ type + log(service)"}, "X"),
])
def test_log_of_a_zero_is_refused_by_glmlearn_not_warned_by_numpy(kwargs, where):
    """ships has cells with no service: log(0) is -inf (as in R), refused at its row."""
    ships = load("ships").frame()
    row = int(np.flatnonzero(ships["service"].to_numpy() == 0)[0])
    formula = kwargs.pop("formula")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's "divide by zero" would fail the test
        with pytest.raises(GLMInputError, match=rf"^{where}: non-finite value -inf at index "
                                                 rf"\(?{row}\b"):
            glmlearn.fit(formula, data=ships, family="poisson", **kwargs)
