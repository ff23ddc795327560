"""Formula fits against R's ``glm()`` on the same data and formula, R run by the test.

Each case is fitted by glmlearn from a DataFrame and a formula, and by R
(``tests/r/formula_cases.R``, one Rscript process for all cases) from the same CSV file and
formula, with the same factor levels. Compared: the coefficient names (identical to R's),
coefficients and standard errors (1e-6 relative, against the largest for coefficients that
are zero in theory), deviances (1e-8), the rows used (R's ``na.omit``), and
``predict(newdata, se.fit = TRUE)`` on both scales for new rows given with their columns
shuffled.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import glmlearn
from glmlearn.datasets import list_datasets, load
from glmlearn.family import get_family

BUDWORM = load("budworm").frame().assign(p=lambda d: d["dead"] / 20.0, n=20.0)
DOBSON = load("dobson_counts").frame()
SHIPS = load("ships").model_frame()  # (service > 0: McCullagh & Nelder's 34 cells)
BEETLES = load("beetles").frame()
CLOTTING = load("clotting").frame()

_rng = np.random.default_rng(7)
_GROUPS = pd.DataFrame({
    "grp": np.repeat(["c", "a", "b"], 8),
    "x": np.round(_rng.uniform(0, 3, 24), 3),
    "s": _rng.integers(0, 9, 24),
})
_GROUPS["f"] = 10 - _GROUPS["s"]
_MISSING = pd.DataFrame({
    "y": np.round(_rng.normal(5, 1, 15), 4),
    "x": np.round(_rng.uniform(0, 10, 15), 3),
    "g": ["u", "v", "w"] * 5,
})
_MISSING.loc[[2, 9], "x"] = np.nan
_MISSING.loc[5, "g"] = None
_COMPLETE = _MISSING.dropna().reset_index(drop=True)
_UNUSED = pd.DataFrame({  # the reference level "a" does not occur: R drops it, "b" is first
    "y": [3, 5, 2, 8, 6, 9, 4, 7],
    "g": pd.Categorical(list("bcdbcdbc"), categories=list("abcd")),
    "x": [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0],
})

#: name -> (data, formula, family, link, weights column, factor columns with levels,
#:          glmlearn's extra arguments)
CASES: dict[str, tuple[Any, ...]] = {
    "dobson": (DOBSON,
               "counts ~ outcome + treatment", "poisson", "log", None, ("outcome", "treatment"),
               {}),
    "dobson_no_intercept": (DOBSON,
                            "counts ~ outcome + treatment - 1", "poisson", "log", None,
                            ("outcome", "treatment"), {}),
    "ships": (SHIPS.astype({"year": int, "period": int}),
              "incidents ~ type + factor(year) + factor(period) + offset(log(service))",
              "poisson", "log", None, (), {}),
    "ships_quasi": (SHIPS.astype({"year": int, "period": int}),
                    "incidents ~ type + factor(year) + factor(period) + offset(log(service))",
                    "quasipoisson", "log", None, (), {}),
    "budworm": (BUDWORM, "p ~ sex * ldose", "binomial", "logit", "n", (), {}),
    "groups_cbind": (_GROUPS, "cbind(s, f) ~ grp + x", "binomial", "logit", None, (), {}),
    "beetles_log": (BEETLES, "cbind(killed, n - killed) ~ log(dose) + I(log(dose)^2)",
                    "binomial", "cloglog", None, (), {}),
    "separate_slopes": (_COMPLETE, "y ~ g + x:g", "gaussian", "identity", None, (), {}),
    "slopes_only": (_COMPLETE, "y ~ x:g", "gaussian", "identity", None, (), {}),
    "two_factors": (_GROUPS.assign(h=np.tile(["p", "q"], 12)), "cbind(s, f) ~ grp * h",
                    "binomial", "logit", None, (), {}),
    "clotting_power": (CLOTTING, "lot1 ~ log(u)", "Gamma", "power(1/3)", None, (), {}),
    "missing": (_MISSING, "y ~ x + g", "gaussian", "identity", None, (), {}),
    "unused_level": (_UNUSED, "y ~ g + x", "poisson", "log", None, ("g",), {}),
}

# every bundled dataset's classic glm() model (Dataset.formula on Dataset.model_frame());
# quine's negative binomial is MASS's glm.nb, compared in tests/test_r_overdispersion.py
for _name in list_datasets():
    _ds = load(_name)
    if _ds.formula and _ds.family != "negative_binomial":
        CASES[f"dataset_{_name}"] = (_ds.model_frame(), _ds.formula, _ds.family,
                                     get_family(_ds.family).link.name, None, _ds.factors, {})


def _newdata(df: pd.DataFrame) -> pd.DataFrame:
    rows = df.dropna().iloc[::2]
    return rows[list(rows.columns[::-1])]  # the columns in another order


@pytest.fixture(scope="module")
def r_fits(rscript, tmp_path_factory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("formula_r")
    manifest = []
    for name, (df, formula, family, link, weights, factors, _) in CASES.items():
        csv, new = folder / f"{name}.csv", folder / f"{name}_new.csv"
        df.to_csv(csv, index=False, na_rep="NA")
        _newdata(df).to_csv(new, index=False)
        manifest.append({
            "name": name, "csv": str(csv), "newdata": str(new), "formula": formula,
            "family": family, "link": link, "weights": weights,
            "factors": [{"col": c, "levels": [str(v) for v in df[c].cat.categories]}
                        for c in factors],
        })
    path = Path(folder / "manifest.json")
    path.write_text(json.dumps(manifest))
    return rscript("formula_cases.R", path)


def _fit(name: str) -> glmlearn.GLMResult:
    df, formula, family, link, weights, _, extra = CASES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", glmlearn.MissingValuesNotice)
        return glmlearn.fit(formula, data=df, family=family, link=link, weights=weights,
                            **extra)


@pytest.mark.parametrize("name", CASES)
def test_coefficients_names_and_deviance_as_r(name, r_fits):
    r, res = r_fits[name], _fit(name)
    assert res.column_names == tuple(r["coef"]), (res.column_names, list(r["coef"]))
    coef = np.array([float(v) for v in r["coef"].values()])
    scale = np.maximum(np.abs(coef), 1e-3 * np.abs(coef).max())  # (zero in theory: Dobson)
    assert np.all(np.abs(res.coef - coef) <= 1e-6 * scale), (res.coef, coef)
    np.testing.assert_allclose(res.se, [float(v) for v in r["se"].values()], rtol=1e-6)
    np.testing.assert_allclose(res.deviance, r["deviance"], rtol=1e-8)
    np.testing.assert_allclose(res.null_deviance, r["null_deviance"], rtol=1e-8)
    assert res.df_residual == r["df_residual"]
    if r["aic"] == "NA":  # a quasi family: R has no AIC, glmlearn keeps NaN
        assert np.isnan(res.aic)
    else:
        np.testing.assert_allclose(res.aic, r["aic"], rtol=1e-8)
    # the rows used: R's row names are 1-based
    np.testing.assert_array_equal(np.asarray(res.index) + 1, r["rows"])


@pytest.mark.parametrize("name", CASES)
def test_predict_newdata_with_shuffled_columns_as_r(name, r_fits):
    r, res = r_fits[name], _fit(name)
    new = _newdata(CASES[name][0])
    link = res.predict(newdata=new, kind="link", se=True)
    np.testing.assert_allclose(link.fit, r["link_fit"], rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(link.se, r["link_se"], rtol=1e-6)
    resp = res.predict(newdata=new, kind="response", se=True)
    np.testing.assert_allclose(resp.fit, r["response_fit"], rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(resp.se, r["response_se"], rtol=1e-6, atol=1e-12)


def test_ships_offset_as_an_argument_is_the_offset_term(r_fits):
    ships = SHIPS.astype({"year": int, "period": int})
    res = glmlearn.fit("incidents ~ type + factor(year) + factor(period)", data=ships,
                       family="poisson", offset="log(service)")
    np.testing.assert_allclose(res.deviance, r_fits["ships"]["deviance"], rtol=1e-8)
    by_exposure = glmlearn.fit("incidents ~ type + factor(year) + factor(period)", data=ships,
                               family="poisson", exposure="service")
    np.testing.assert_allclose(by_exposure.coef, res.coef, rtol=1e-10)
    pred = by_exposure.predict(newdata=_newdata(ships), kind="link")
    np.testing.assert_allclose(pred, r_fits["ships"]["link_fit"], rtol=1e-7)


def _section(lines: list[str], start: str) -> list[str]:
    i = next(k for k, line in enumerate(lines) if line.startswith(start))
    j = next((k for k in range(i + 1, len(lines)) if not lines[k].strip()), len(lines))
    return lines[i:j]


@pytest.mark.parametrize("name", ["dobson", "budworm", "clotting_power", "missing",
                                  "unused_level", "ships", "ships_quasi"])
def test_summary_prints_the_numbers_r_prints(name, r_fits):
    r_lines = [line.replace("\u2018", "'").replace("\u2019", "'")
               for line in r_fits[name]["summary"]]
    ours = str(_fit(name).summary(style="R", stars=True)).splitlines()
    r_table, table = _section(r_lines, "Coefficients:"), _section(ours, "Coefficients:")
    assert len(table) == len(r_table)
    coef = np.array([float(v) for v in r_fits[name]["coef"].values()])
    for k, (line, r_line) in enumerate(zip(table, r_table, strict=True)):
        if 2 <= k < 2 + len(coef) and abs(coef[k - 2]) < 1e-10 * np.abs(coef).max():
            # a coefficient zero in theory: the noise differs, the rest of the row must not
            assert line.split()[2:] == r_line.split()[2:], (line, r_line)
        else:
            assert line == r_line, f"\n{line}\n{r_line}"
    for start in ("(Dispersion parameter", "    Null deviance:", "Residual deviance:",
                  "AIC:", "Number of Fisher Scoring iterations:"):
        assert [x for x in ours if x.startswith(start)] == [x for x in r_lines
                                                             if x.startswith(start)]
    assert ([x for x in ours if "deleted due to missingness" in x]
            == [x for x in r_lines if "deleted due to missingness" in x])
