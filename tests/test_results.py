"""GLMResult: summary text and HTML, names carried from pandas, inference helpers,
residual dispatch, predict shapes and errors, and the seed lesson's mapping view."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import glmlearn
from glmlearn import GLMInputError, GLMResult, GLMTypeError
from glmlearn.compat import IRLSFit, fit_glm_irls
from glmlearn.results import Prediction

N = 40


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(11)
    df = pd.DataFrame({
        "(Intercept)": np.ones(N),
        "dose": rng.uniform(0, 2, N),
        "age": rng.normal(50, 10, N),
    })
    deaths = pd.Series(rng.poisson(np.exp(0.2 + 0.6 * df["dose"])), name="deaths")
    return df, deaths


@pytest.fixture(scope="module")
def pois(frame):
    df, deaths = frame
    return glmlearn.fit(df, deaths, "poisson")


@pytest.fixture(scope="module")
def gam(frame):
    df, deaths = frame
    return glmlearn.fit(df, deaths + 0.5, glmlearn.gamma("log"))


# --- names from pandas ---------------------------------------------------------------------------


def test_dataframe_columns_and_series_name_are_carried(pois):
    assert pois.column_names == ("(Intercept)", "dose", "age")
    assert pois.problem.response_name == "deaths"
    assert pois.problem.has_intercept


def test_numpy_input_gets_default_names(frame):
    df, deaths = frame
    res = glmlearn.fit(df.to_numpy(), deaths.to_numpy(), "poisson")
    assert res.column_names == ("x0", "x1", "x2")
    assert res.problem.response_name == "y"
    np.testing.assert_array_equal(res.coef, glmlearn.fit(df, deaths, "poisson").coef)


def test_column_names_argument_overrides(frame):
    df, deaths = frame
    res = glmlearn.fit(df.to_numpy(), deaths, "poisson", column_names=["const", "d", "a"])
    assert res.column_names == ("const", "d", "a")
    with pytest.raises(GLMInputError, match=r"^column_names: 2 names given for the 3 columns of X$"):
        glmlearn.fit(df.to_numpy(), deaths, "poisson", column_names=["const", "d"])


# --- summary -------------------------------------------------------------------------------------


def test_summary_text_has_rs_lines(pois):
    text = str(pois.summary())
    assert text == repr(pois.summary())
    lines = text.splitlines()
    assert lines[0] == "Family: poisson   Link: log   Response: deaths"
    assert "Coefficients:" in lines
    header = next(ln for ln in lines if "Estimate" in ln)
    assert re.search(r"Estimate\s+Std\. Error\s+z value\s+Pr\(>\|z\|\)", header)
    for name, b in zip(pois.column_names, pois.coef, strict=True):
        row = next(ln for ln in lines if ln.startswith(name + " "))
        assert f"{b:.6g}" in row
    assert "Dispersion parameter for poisson family taken to be 1" in text
    assert re.search(rf"Null deviance: \S+\s+on {N - 1} degrees of freedom", text)
    assert re.search(rf"Residual deviance: {pois.deviance:.7g}\s+on {N - 3} degrees of freedom", text)
    assert re.search(r"AIC: \S+", text)
    assert f"Number of Fisher scoring iterations: {pois.n_iter}" in text
    assert "NOT converged" not in text


def test_summary_uses_t_when_dispersion_is_estimated(gam):
    text = str(gam.summary())
    assert re.search(r"Estimate\s+Std\. Error\s+t value\s+Pr\(>\|t\|\)", text)
    assert f"Dispersion parameter for gamma family estimated as {gam.dispersion:.7g}" in text
    assert "Link: log" in text


def test_summary_rows(pois):
    rows = pois.summary().rows()
    assert [r[0] for r in rows] == list(pois.column_names)
    for (_, b, se, t, p), bj, sej, tj, pj in zip(rows, pois.coef, pois.bse, pois.tvalues, pois.pvalues,
                                                  strict=True):
        assert (b, se, t, p) == (bj, sej, tj, pj)


def test_tiny_p_values_print_like_r():
    x = np.linspace(0, 1, 200)
    X = np.column_stack([np.ones(200), x])
    y = np.round(np.exp(1 + 3 * x))
    text = str(glmlearn.fit(X, y, "poisson").summary())
    assert "<2e-16" in text


def test_html_repr_is_a_table(pois):
    html = pois._repr_html_()
    assert html == pois.summary()._repr_html_()
    assert html.startswith("<div") and html.endswith("</div>")
    assert "<table>" in html and "</table>" in html
    assert html.count("<tr>") == 1 + len(pois.coef)
    assert "<th>Estimate</th>" in html and "Pr(&gt;|z|)" in html
    for name in pois.column_names:
        assert f"<th>{name}</th>" in html
    assert "Response: deaths" in html


def test_html_escapes_names():
    X = pd.DataFrame({"const": np.ones(10), "a<b & c": np.arange(10.0)})
    res = glmlearn.fit(X, np.arange(10.0) + np.tile([0.3, -0.2], 5), "gaussian")
    html = res._repr_html_()
    assert "a&lt;b &amp; c" in html and "a<b" not in html


def test_result_repr_and_frozen(pois):
    text = repr(pois)
    assert text.startswith("GLMResult(Family(poisson, link=log), (Intercept)=")
    assert f"n_iter={pois.n_iter}" in text
    with pytest.raises(dataclasses.FrozenInstanceError):
        pois.deviance = 0.0  # type: ignore[misc]
    assert not pois.coef.flags.writeable


# --- inference -----------------------------------------------------------------------------------


def test_conf_int_is_wald_with_normal_quantiles(pois, gam):
    for res in (pois, gam):
        for level in (0.95, 0.9, 0.5):
            q = stats.norm.ppf(0.5 + level / 2)
            ci = res.conf_int(level)
            assert ci.shape == (len(res.coef), 2)
            np.testing.assert_allclose(ci[:, 0], res.coef - q * res.bse, rtol=1e-14)
            np.testing.assert_allclose(ci[:, 1], res.coef + q * res.bse, rtol=1e-14)
    assert np.all(np.diff(pois.conf_int(0.9), axis=1) < np.diff(pois.conf_int(0.95), axis=1))


@pytest.mark.parametrize("level", [0, 1, -0.5, 1.5, 95])
def test_conf_int_refuses_bad_levels(pois, level):
    with pytest.raises(GLMInputError, match=rf"^level: must be between 0 and 1, got {level!r}$"):
        pois.conf_int(level)


def test_inference_relations(pois, gam):
    for res in (pois, gam):
        np.testing.assert_allclose(res.cov_params, res.dispersion * res.cov_unscaled, rtol=1e-15)
        np.testing.assert_allclose(res.bse, np.sqrt(np.diag(res.cov_params)), rtol=1e-15)
        np.testing.assert_allclose(res.tvalues, res.coef / res.bse, rtol=1e-15)
        dist = stats.t(res.df_residual) if res.uses_t else stats.norm
        np.testing.assert_allclose(res.pvalues, 2 * dist.sf(np.abs(res.tvalues)), rtol=1e-12)
    assert pois.dispersion == 1.0 and not pois.uses_t
    assert gam.uses_t
    # Pearson's X2 / (n - p)
    assert gam.dispersion == pytest.approx(np.sum(gam.resid_pearson**2) / gam.df_residual, rel=1e-6)


# --- residuals -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["deviance", "pearson", "working", "response"])
def test_residuals_dispatch(pois, kind):
    r = pois.residuals(kind)
    np.testing.assert_array_equal(r, getattr(pois, f"resid_{kind}"))
    assert r.shape == (N,)


def test_residuals_default_is_deviance_like_r(pois):
    np.testing.assert_array_equal(pois.residuals(), pois.resid_deviance)


def test_residual_identities(pois, gam):
    for res in (pois, gam):
        y, mu = res.problem.y, res.fitted_values
        np.testing.assert_allclose(res.resid_response, y - mu, rtol=1e-15)
        assert np.sum(res.resid_deviance**2) == pytest.approx(res.deviance, rel=1e-10)
        np.testing.assert_array_equal(np.sign(res.resid_deviance), np.sign(y - mu))
        np.testing.assert_allclose(res.resid_working, res.final_state.z - res.linear_predictor, rtol=1e-10,
                                   atol=1e-12)


@pytest.mark.parametrize("kind", ["raw", "Deviance", "", None])
def test_residuals_refuse_unknown_kind(pois, kind):
    with pytest.raises(GLMInputError, match=r"^kind: must be one of 'deviance', 'pearson', 'working', "
                       rf"'response', 'quantile', got {re.escape(repr(kind))}$"):
        pois.residuals(kind)  # type: ignore[arg-type]


# --- predict -------------------------------------------------------------------------------------


def test_predict_shapes(pois, frame):
    df, _ = frame
    assert pois.predict().shape == (N,)
    assert pois.predict(df.iloc[:5]).shape == (5,)
    one = pois.predict(df.to_numpy()[0])  # a single row as a 1-D array of p values
    assert one.shape == (1,)
    assert one[0] == pytest.approx(pois.fitted_values[0], rel=1e-12)
    pred = pois.predict(df.iloc[:7], se=True)
    assert isinstance(pred, Prediction) and isinstance(pred, tuple)
    assert pred.fit.shape == pred.se.shape == (7,)
    fit_, se_ = pred
    np.testing.assert_array_equal(fit_, pred.fit)
    np.testing.assert_array_equal(se_, pred.se)


def test_predict_scales(pois, frame):
    df, _ = frame
    Xn = df.to_numpy()[:6]
    eta = pois.predict(Xn, kind="link")
    np.testing.assert_allclose(eta, Xn @ pois.coef, rtol=1e-14)
    np.testing.assert_allclose(pois.predict(Xn, kind="response"), np.exp(eta), rtol=1e-14)
    np.testing.assert_allclose(pois.predict(Xn, kind="link", offset=np.full(6, 0.5)), eta + 0.5,
                               rtol=1e-14)
    link = pois.predict(Xn, kind="link", se=True)
    resp = pois.predict(Xn, kind="response", se=True)
    np.testing.assert_allclose(link.se, np.sqrt(np.einsum("ij,jk,ik->i", Xn, pois.cov_params, Xn)),
                               rtol=1e-12)
    np.testing.assert_allclose(resp.se, np.exp(eta) * link.se, rtol=1e-12)  # delta method


def test_predict_with_one_column_model():
    X = np.ones((8, 1))
    res = glmlearn.fit(X, np.arange(8.0), "poisson")
    out = res.predict(np.ones(3))  # 1-D with p = 1: three rows
    np.testing.assert_allclose(out, np.full(3, 3.5), rtol=1e-10)


def test_predict_errors(pois, frame):
    df, _ = frame
    with pytest.raises(GLMInputError, match=r"^X_new: expected 3 columns like X, got shape \(5, 2\)$"):
        pois.predict(df.to_numpy()[:5, :2])
    with pytest.raises(GLMInputError, match=r"^kind: must be 'link' or 'response', got 'mean'$"):
        pois.predict(kind="mean")  # type: ignore[arg-type]
    bad = df.to_numpy()[:3].copy()
    bad[1, 2] = np.nan
    with pytest.raises(GLMInputError, match=r"^X_new: non-finite value .*nan.* at index \(1, 2\)$"):
        pois.predict(bad)
    with pytest.raises(GLMInputError, match=r"^offset: expected length 3, got shape \(2,\)$"):
        pois.predict(df.to_numpy()[:3], offset=[0.0, 0.0])
    with pytest.raises(GLMTypeError, match=r"^X_new: expected numbers"):
        pois.predict([["a", "b", "c"]])


def test_predict_without_X_new_uses_the_training_offset():
    rng = np.random.default_rng(5)
    X = np.column_stack([np.ones(20), rng.normal(size=20)])
    off = np.log(rng.uniform(1, 5, 20))
    res = glmlearn.fit(X, rng.poisson(np.exp(off + 0.3)), "poisson", offset=off)
    np.testing.assert_allclose(res.predict(), res.fitted_values, rtol=1e-12)
    np.testing.assert_allclose(res.predict(X), np.exp(X @ res.coef), rtol=1e-12)  # new data: no offset
    np.testing.assert_allclose(res.predict(offset=np.zeros(20), kind="link"), X @ res.coef, rtol=1e-12)


# --- the result's other views ---------------------------------------------------------------------


def test_final_state_views(pois):
    s = pois.final_state
    assert s is pois.trace[-1]
    assert pois.n_iter == s.iteration == len(pois.trace) - 1
    np.testing.assert_array_equal(pois.fitted_values, s.mu)
    np.testing.assert_array_equal(pois.linear_predictor, s.eta)
    np.testing.assert_array_equal(pois.working_weights, s.w)
    assert pois.family is pois.problem.family
    assert pois.rank == 3 and pois.df_null == N - 1 and pois.df_residual == N - 3
    assert pois.aic == pytest.approx(-2 * pois.loglik + 2 * 3)
    assert pois.bic == pytest.approx(-2 * pois.loglik + np.log(N) * 3)
    assert pois.flags == frozenset() and pois.warnings == ()


# --- fit_glm_irls ---------------------------------------------------------------------------------


def test_fit_glm_irls_is_a_read_only_mapping(frame):
    df, deaths = frame
    out = fit_glm_irls(deaths, df.to_numpy(), weights=np.ones(N), family=glmlearn.poisson())
    assert isinstance(out, IRLSFit) and isinstance(out, Mapping)
    assert list(out) == ["coef", "converged", "n_iter", "deviance", "fitted", "eta", "weights", "bse",
                         "trace"]
    assert len(out) == 9
    res = out.result
    assert isinstance(res, GLMResult)
    np.testing.assert_array_equal(out["coef"], res.coef)
    assert out["converged"] is True and out["n_iter"] == res.n_iter
    assert out["deviance"] == res.deviance
    np.testing.assert_array_equal(out["fitted"], res.fitted_values)
    np.testing.assert_array_equal(out["eta"], res.linear_predictor)
    np.testing.assert_array_equal(out["weights"], res.working_weights)
    np.testing.assert_array_equal(out["bse"], res.bse)
    assert out["trace"] is res.trace
    with pytest.raises(TypeError):
        out["coef"] = None  # type: ignore[index]
    with pytest.raises(KeyError):
        out["params"]
    assert "coef" in out and "params" not in out
    assert repr(out).startswith("IRLSFit(coef=")


def test_fit_glm_irls_takes_y_first_and_family_names(frame):
    df, deaths = frame
    out = fit_glm_irls(deaths, df, family="poisson")
    np.testing.assert_allclose(out["coef"], glmlearn.fit(df, deaths, "poisson").coef, rtol=1e-14)
    with pytest.warns(glmlearn.ConvergenceWarning):
        out = fit_glm_irls(deaths, df, family="poisson", max_iter=1)
    assert out["n_iter"] == 1 and out["converged"] is False
