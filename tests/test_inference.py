"""glmlearn.inference without R: bad input refused with messages that say what to do,
tables that print, show and convert like R's, and the relations the numbers must obey.
(The numbers themselves are checked against R in tests/test_r_inference.py.)"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import glmlearn
from glmlearn import GLMInputError
from glmlearn.inference import Table, anova, drop1

DEAD = np.array([1, 4, 9, 13, 18, 20, 0, 2, 6, 10, 12, 16], dtype=float)
LDOSE = np.tile(np.arange(6.0), 2)
MALE = np.repeat([1.0, 0.0], 6)
Y = np.column_stack([DEAD, 20 - DEAD])


def _fit(*cols: np.ndarray, names: tuple[str, ...] = (), y: np.ndarray = Y,
         family: object = "binomial") -> glmlearn.GLMResult:
    X = np.column_stack([np.ones(len(y)), *cols])
    return glmlearn.fit(X, y, family, column_names=["(Intercept)", *names] if names else None)


def test_anova_refuses_fits_that_are_not_nested() -> None:
    a = _fit(MALE, names=("sexM",))
    b = _fit(LDOSE, names=("ldose",))
    with pytest.raises(GLMInputError, match=r"^fits: fit 1 and fit 2 are not nested: column "
                       r"'sexM' of fit 1 is not in the column space of fit 2"):
        anova(a, b)


def test_anova_refuses_fits_of_different_sizes() -> None:
    a = _fit(LDOSE)
    b = _fit(LDOSE[:10], y=Y[:10])
    with pytest.raises(GLMInputError, match=r"^fits: fit 2 has 10 rows and fit 1 has 12: models "
                       r"were not all fitted to the same size of dataset"):
        anova(a, b, test="Chisq")


def test_anova_refuses_another_response_or_family() -> None:
    a = _fit(LDOSE)
    y2 = Y.copy()
    y2[3] = [12, 8]
    with pytest.raises(GLMInputError, match=r"fit 2's response y differs from fit 1's \(first "
                       r"at index 3: 0.6 vs 0.65\)"):
        anova(a, _fit(LDOSE, MALE, y=y2))
    probit = _fit(LDOSE, MALE, family=glmlearn.binomial("probit"))
    with pytest.raises(GLMInputError, match=r"fit 2 is binomial with link probit and fit 1 is "
                       r"binomial with link logit"):
        anova(a, probit)


@pytest.mark.parametrize("test", ["chisq", "Wald", 2])
def test_unknown_test_refused(test: object) -> None:
    fit = _fit(LDOSE, MALE)
    with pytest.raises(GLMInputError, match=r"^test: must be one of 'Chisq', 'LRT', 'F', 'Rao' "
                       rf"or None, got {test!r}"):
        fit.anova(test)  # type: ignore[arg-type]
    with pytest.raises(GLMInputError, match=r"^test: must be one of"):
        fit.drop1(test)  # type: ignore[arg-type]


def test_not_a_fit_and_no_terms_refused() -> None:
    with pytest.raises(GLMInputError, match=r"^fits: give at least one fitted model"):
        anova()
    with pytest.raises(GLMInputError, match=r"^fits: argument 2 is a ndarray, not a fitted model"):
        anova(_fit(LDOSE), np.ones(3))  # type: ignore[arg-type]
    with pytest.raises(GLMInputError, match=r"no term beyond the intercept"):
        _fit().anova()


def test_terms_mapping_refused_when_wrong() -> None:
    fit = _fit(LDOSE, MALE, names=("ldose", "sexM"))
    with pytest.raises(GLMInputError, match=r"^terms: column 'sex' of term 'sex' is not a column "
                       r"of X \(columns: \(Intercept\), ldose, sexM\)"):
        fit.anova(terms={"sex": ["sex"]})
    with pytest.raises(GLMInputError, match=r"^terms: column 'ldose' is given to two terms"):
        fit.drop1(terms={"a": ["ldose"], "b": [1]})
    with pytest.raises(GLMInputError, match=r"^terms: column index 7 of term 'a' is outside 0..2"):
        fit.anova(terms={"a": [7]})
    with pytest.raises(GLMInputError, match=r"^terms: expected a mapping"):
        fit.anova(terms=["ldose"])


def test_table_relations_and_views() -> None:
    fit = _fit(LDOSE, MALE, names=("ldose", "sexM"))
    seq = fit.anova("Chisq")
    assert isinstance(seq, Table)
    assert seq.row_names == ("NULL", "ldose", "sexM")
    # the deviance changes add up to null deviance - residual deviance
    np.testing.assert_allclose(np.nansum(seq["Deviance"]), fit.null_deviance - fit.deviance,
                               rtol=1e-12)
    assert seq["Resid. Dev"][-1] == fit.deviance and seq["Resid. Df"][0] == fit.df_null
    text = str(seq)
    assert re.search(r"\n +Df +Deviance +Resid\. Df +Resid\. Dev +Pr\(>Chi\)\n", text)
    assert "Terms added sequentially (first to last)" in text
    html = seq._repr_html_()
    assert "<th>Pr(&gt;Chi)</th>" in html and "<th>ldose</th>" in html
    frame = seq.to_frame()
    assert list(frame.columns) == ["Df", "Deviance", "Resid. Df", "Resid. Dev", "Pr(>Chi)"]
    with pytest.raises(KeyError, match="the columns are"):
        seq["AIC"]
    d1 = drop1(fit, "Chisq")
    assert d1.row_names == ("<none>", "ldose", "sexM")
    assert d1["AIC"][0] == pytest.approx(fit.aic, rel=1e-12)
    # dropping the last term added is the last step of the sequential table
    np.testing.assert_allclose(d1["LRT"][2], seq["Deviance"][2], rtol=1e-9)


# --- intervals -----------------------------------------------------------------------------

ZERO_X = np.column_stack([np.ones(6), [1, 1, 1, 0, 0, 0.0]])
ZERO_Y = np.array([0, 0, 0, 3, 5, 4.0])


def test_conf_int_is_array_like_and_named() -> None:
    fit = _fit(LDOSE, MALE, names=("ldose", "sexM"))
    ci = fit.conf_int()
    assert np.asarray(ci).shape == (3, 2) and ci.shape == (3, 2)
    np.testing.assert_array_equal(ci["ldose"], np.asarray(ci)[1])
    np.testing.assert_array_equal(ci[:, 0], np.asarray(ci)[:, 0])
    assert "ldose" in str(ci) and "97.5 %" in str(ci) and "<th>sexM</th>" in ci._repr_html_()
    with pytest.raises(KeyError, match="the coefficients are"):
        ci["dose"]
    with pytest.raises(GLMInputError, match=r"^method: must be 'wald' or 'profile', got 'exact'"):
        fit.conf_int(method="exact")
    prof = fit.conf_int(method="profile", which=["ldose"])
    assert prof.names == ("ldose",) and prof.method == "profile likelihood"
    # the profile interval is not symmetric about the estimate; the Wald one is
    lo, hi = prof["ldose"]
    b = fit.coef[1]
    assert abs((hi - b) - (b - lo)) > 1e-3
    wlo, whi = ci["ldose"]
    assert (whi - b) == pytest.approx(b - wlo, rel=1e-12)


def test_profile_of_an_aliased_coefficient_is_refused() -> None:
    X = np.column_stack([np.ones(12), LDOSE, 2 * LDOSE])
    with pytest.warns(glmlearn.RankDeficiencyWarning):
        fit = glmlearn.fit(X, Y, "binomial", column_names=["(Intercept)", "ldose", "ldose2"])
    with pytest.raises(GLMInputError, match=r"^which: coefficient 'ldose2' is aliased \(its "
                       r"column is a linear combination of earlier columns\), so it has no "
                       r"estimate and no profile; drop the column and refit"):
        fit.profile("ldose2")
    with pytest.raises(GLMInputError, match=r"coefficient 'ldose2' is aliased"):
        fit.conf_int(method="profile", which=["ldose2"])
    ci = fit.conf_int(method="profile")  # all of them: NaN for the aliased one, as R's NA
    assert np.isnan(ci["ldose2"]).all() and np.isfinite(ci["ldose"]).all()


def test_profile_refuses_unknown_coefficients_and_levels() -> None:
    fit = _fit(LDOSE)
    with pytest.raises(GLMInputError, match=r"^which: 'dose' is not a coefficient "
                       r"\(coefficients: x0, x1\)"):
        fit.profile("dose")
    with pytest.raises(GLMInputError, match=r"^which: index 5 is outside 0..1"):
        fit.profile(5)
    with pytest.raises(GLMInputError, match=r"^level: must be between 0 and 1, got 1.5"):
        fit.profile(1, level=1.5)


def test_profile_of_an_all_zero_poisson_group_is_open_below() -> None:
    with pytest.warns(glmlearn.InfiniteEstimateWarning, match=r"has a count of 0"):
        fit = glmlearn.fit(ZERO_X, ZERO_Y, "poisson", column_names=["(Intercept)", "zero_group"])
    assert fit.se[1] > 1000  # the Wald interval is useless
    with pytest.warns(glmlearn.inference.InferenceWarning,
                      match=r"profile of zero_group: the profile deviance does not reach the "
                      r"cut-off 1.96 on the lower side"):
        ci = fit.conf_int(method="profile")
    lo, hi = ci["zero_group"]
    assert lo == -np.inf
    # at the upper limit, a refit with the coefficient held there (in the offset) has a
    # deviance 1.96^2 above the fit's
    sub = glmlearn.fit(ZERO_X[:, :1], ZERO_Y, "poisson", offset=hi * ZERO_X[:, 1])
    assert sub.deviance - fit.deviance == pytest.approx(1.959963984540054**2, rel=1e-8)


def test_profile_at_separation_warns() -> None:
    x = np.array([1.0, 2, 3, 4, 5, 6])
    with pytest.warns(glmlearn.SeparationWarning), warnings.catch_warnings():
        warnings.simplefilter("ignore", glmlearn.BoundaryWarning)
        fit = glmlearn.fit(np.column_stack([np.ones(6), x]), [0, 0, 0, 1, 1, 1], "binomial")
    with pytest.warns(glmlearn.inference.InferenceWarning,
                      match=r"the fit has complete separation: some coefficient estimates are "
                      r"infinite in theory"), \
            pytest.warns(glmlearn.inference.InferenceWarning,
                         match=r"does not reach the cut-off 1.96 on the upper side"):
        fit.profile(1)


# --- influence -------------------------------------------------------------------------------

def test_influence_relations() -> None:
    fit = _fit(LDOSE, MALE)
    infl = fit.influence()
    assert infl.hat.sum() == pytest.approx(fit.rank, rel=1e-12)  # trace of the hat matrix
    assert np.all((infl.hat > 0) & (infl.hat < 1))
    # the hat values come from the last WLS step's weights, not those at the fitted means
    np.testing.assert_array_equal(infl.w, fit.trace[-2].w)
    np.testing.assert_allclose(infl.rstandard,
                               fit.resid_deviance / np.sqrt(fit.dispersion * (1 - infl.hat)),
                               rtol=1e-12)
    assert np.argmax(infl.cooks_distance) == np.argmax(
        (fit.resid_pearson / (1 - infl.hat)) ** 2 * infl.hat)


def test_a_row_with_leverage_one_is_said() -> None:
    own = np.zeros(12)
    own[4] = 1.0  # a column that only row 4 has: the fit passes through row 4
    fit = _fit(LDOSE, own)
    with pytest.warns(glmlearn.inference.InferenceWarning,
                      match=r"row\(s\) 4 have leverage 1 \(the fit passes through them"):
        infl = fit.influence()
    assert infl.hat[4] == 1.0
    assert np.isnan(infl.rstandard[4]) and np.isnan(infl.cooks_distance[4])
    assert np.isfinite(np.delete(infl.rstandard, 4)).all()


# --- explain ---------------------------------------------------------------------------------

def test_explain_shows_the_numbers_of_the_final_state() -> None:
    from glmlearn import datasets

    ds = datasets.load("clotting")
    X = np.column_stack([np.ones(9), np.log(np.asarray(ds["u"], dtype=float))])
    fit = glmlearn.fit(X, ds["lot1"], "gamma", column_names=["(Intercept)", "log(u)"])
    se = str(fit.explain("se"))
    k0 = fit.trace[-2].iteration
    assert f"working weights of state {k0}, the last weighted least-squares step" in se
    # the weights are the step's, not the final state's: the final state is named as such
    k1 = fit.trace[-1].iteration
    assert f"beta-hat = state {k1}'s beta, the final state" in se
    assert np.allclose(fit.trace[-1].beta, fit.coef)
    w_shown = [float(v) for v in re.findall(r"w = \[([^\]]*)\]", se)[0].split(", ")[:4]]
    np.testing.assert_allclose(w_shown, np.asarray(fit.trace[-2].w)[:4], rtol=1e-5)
    assert f"se[log(u)] = sqrt({fit.dispersion:.6g} * " in se and f"= {fit.se[1]:.6g}" in se
    assert se.endswith("= the summary's Std. Error: True")
    assert f"{fit.tvalues[1]:.6g}" in str(fit.explain("wald"))
    assert "Student's t on the residual df 7" in str(fit.explain("wald"))
    assert f"phi = {fit.dispersion * 7:.6g} / 7 = {fit.dispersion:.6g}" in str(
        fit.explain("dispersion"))
    assert f"(the summary's {fit.aic:.6g})" in str(fit.explain("aic"))
    assert f"D = {fit.deviance:.6g} = state {fit.trace[-1].iteration}.deviance" in str(
        fit.explain("deviance"))
    assert f"null deviance = {fit.null_deviance:.6g} on 8 df" in str(fit.explain("null_deviance"))
    everything = fit.explain()
    assert "Standard errors" in str(everything) and "AIC = -2 loglik + 2k" in str(everything)
    assert everything._repr_html_().startswith("<div class='glmlearn-explain'><pre>")
    pois = _fit(LDOSE)
    assert "phi = 1 for the binomial family" in str(pois.explain("dispersion"))
    assert "Z ~ N(0, 1) (phi known)" in str(pois.explain("wald"))
    with pytest.raises(GLMInputError, match=r"^topic: must be one of 'se', 'wald', 'deviance', "
                       r"'null_deviance', 'dispersion', 'aic', got 'SE'"):
        fit.explain("SE")


def test_a_formula_fits_terms_are_used() -> None:
    """A formula fit fills ``problem.terms`` (R's term labels; the intercept is owned by no
    term): the tables then use them without a ``terms`` argument."""
    import dataclasses

    from glmlearn.problem import Term

    fit = _fit(MALE, LDOSE, MALE * LDOSE, names=("sexM", "ldose", "sexM:ldose"))
    terms = (Term("sex", (1,)), Term("ldose", (2,)), Term("sex:ldose", (3,)))
    formula_fit = dataclasses.replace(fit, problem=dataclasses.replace(fit.problem, terms=terms))
    by_problem = formula_fit.anova("Chisq")
    by_mapping = fit.anova("Chisq", terms={"sex": [1], "ldose": [2], "sex:ldose": [3]})
    assert by_problem.row_names == ("NULL", "sex", "ldose", "sex:ldose")
    np.testing.assert_array_equal(by_problem.values, by_mapping.values)
    assert formula_fit.drop1().row_names == ("<none>", "sex:ldose")  # marginality
    # an array fit: every column but the intercept is a term of its own
    assert fit.anova().row_names == ("NULL", "sexM", "ldose", "sexM:ldose")


def test_the_summarys_html_folds_the_explanation_in() -> None:
    fit = _fit(LDOSE, MALE)
    page = fit._repr_html_()
    assert "<details><summary>Where these numbers come from" in page
    assert "se[x1] = sqrt(1 * " in page and page.endswith("</details></div>")


def test_profile_of_a_binary_fit_far_from_the_estimate_matches_r(rscript) -> None:
    """Challenger's temperature: refits with the coefficient moved far from its estimate
    start from the last refit's means (R's etastart, as MASS does); restarting from the
    full fit's coefficients put every mean at 0 or 1 and the profile never rose."""
    from pathlib import Path

    from glmlearn import datasets

    csv = Path(datasets.__file__).with_name("challenger.csv")
    ref = rscript("challenger_profile.R", csv)
    fit = glmlearn.fit("damage ~ temperature", data=datasets.load("challenger").frame(),
                       family="binomial")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no refit may meet trouble
        ci = fit.conf_int(method="profile")
        prof = fit.profile("temperature")
    assert list(ci.names) == ref["names"]
    exact = np.array(ref["exact"])
    width = (exact[:, 1] - exact[:, 0])[:, None]
    assert np.all(np.abs(np.asarray(ci) - exact) <= 1e-6 * width), np.asarray(ci) - exact
    np.testing.assert_allclose(np.asarray(ci), np.array(ref["profile"]), rtol=1e-3)
    # the profile rises on both sides of the estimate, past the cut-off
    assert not np.isnan(prof.tau).any()
    assert prof.tau.min() < -prof.cutoff and prof.tau.max() > prof.cutoff
    assert np.all(np.diff(prof.tau) > 0)
    assert prof.dispersion_fixed
