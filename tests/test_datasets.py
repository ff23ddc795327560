"""Tests for the bundled datasets: shape, published values, read-only arrays, errors.

Every expected number below comes from a published source, named in a comment
next to it; the same sources are cited in the dataset's ``.md`` file.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import numpy as np
import pytest

from glmlearn.datasets import Dataset, list_datasets, load

EXPECTED_COLUMNS = {
    "beetles": ["dose", "n", "killed"],
    "budworm": ["sex", "ldose", "dead", "alive"],
    "challenger": ["flight", "temperature", "pressure", "distressed", "damage"],
    "clotting": ["u", "lot1", "lot2"],
    "dobson_counts": ["counts", "outcome", "treatment"],
    "doctors": ["age", "agecat", "smokes", "deaths", "person_years"],
    "ships": ["type", "year", "period", "service", "incidents"],
    "quine": ["Eth", "Sex", "Age", "Lrn", "Days"],
}
EXPECTED_ROWS = {
    "beetles": 8,
    "budworm": 12,
    "challenger": 23,
    "clotting": 9,
    "dobson_counts": 9,
    "doctors": 10,
    "ships": 40,
    "quine": 146,
}
NAMES = sorted(EXPECTED_COLUMNS)


# --- loading, shape, metadata -----------------------------------------------------------------


def test_list_datasets_names_every_bundled_dataset_sorted():
    assert list_datasets() == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_load_gives_documented_columns_and_rows(name):
    ds = load(name)
    assert isinstance(ds, Dataset)
    assert ds.name == name
    assert list(ds.data) == EXPECTED_COLUMNS[name]
    assert list(ds.columns) == EXPECTED_COLUMNS[name]
    assert ds.n_rows == EXPECTED_ROWS[name]
    for column, values in ds.data.items():
        assert values.shape == (ds.n_rows,)
        assert ds[column] is values


@pytest.mark.parametrize("name", NAMES)
def test_provenance_fields_are_filled_in(name):
    ds = load(name)
    for text in (ds.title, ds.description, ds.citation, ds.source, ds.license):
        assert isinstance(text, str)
        assert len(text.strip()) > 10
    for meaning in ds.columns.values():
        assert meaning.strip()


@pytest.mark.parametrize("name", NAMES)
def test_arrays_are_read_only(name):
    ds = load(name)
    for values in ds.data.values():
        assert not values.flags.writeable
        with pytest.raises(ValueError):
            values[0] = values[1]


def test_dataset_is_frozen():
    ds = load("beetles")
    with pytest.raises(dataclasses.FrozenInstanceError):
        ds.name = "other"  # type: ignore[misc]


def test_column_dtypes():
    beetles = load("beetles")
    assert beetles["dose"].dtype == np.float64
    assert beetles["n"].dtype.kind == "i" and beetles["killed"].dtype.kind == "i"
    ships = load("ships")
    assert ships["type"].dtype.kind == "U"
    assert list(np.unique(ships["type"])) == ["A", "B", "C", "D", "E"]
    doctors = load("doctors")
    assert doctors["age"].dtype.kind == "U"
    assert doctors["age"][0] == "35-44"


def test_unknown_name_raises_a_clear_value_error():
    with pytest.raises(ValueError) as info:
        load("nope")
    message = str(info.value)
    assert "name" in message and "'nope'" in message
    for name in NAMES:
        assert name in message
    from glmlearn.errors import GLMInputError

    assert isinstance(info.value, GLMInputError)


def test_non_string_name_raises_type_error():
    with pytest.raises(TypeError, match="name"):
        load(3)  # type: ignore[arg-type]


def test_unknown_column_raises_key_error_naming_the_columns():
    with pytest.raises(KeyError, match="killed"):
        load("beetles")["dead"]


def test_frame_with_pandas():
    pd = pytest.importorskip("pandas")
    ds = load("ships")
    frame = ds.frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == EXPECTED_COLUMNS["ships"]
    assert frame.shape == (40, 5)
    assert frame["incidents"].sum() == 356
    frame.loc[0, "incidents"] = 99  # the frame is a writable copy...
    assert load("ships")["incidents"][0] == 0  # ...and the bundled data are untouched


def test_frame_without_pandas_names_pip_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    with pytest.raises(ImportError, match="pip install pandas"):
        load("beetles").frame()


def test_importing_the_module_does_not_import_pandas():
    code = (
        "import sys, glmlearn; before = 'pandas' in sys.modules; "
        "import glmlearn.datasets; after = 'pandas' in sys.modules; "
        "print(before or not after)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"


# --- values checked against the published sources --------------------------------------------


def test_beetles_values():
    ds = load("beetles")
    # Dobson & Barnett (2008), Table 7.2 (from Bliss 1935).
    np.testing.assert_array_equal(
        ds["dose"], [1.6907, 1.7242, 1.7552, 1.7842, 1.8113, 1.8369, 1.8610, 1.8839]
    )
    np.testing.assert_array_equal(ds["n"], [59, 60, 62, 56, 63, 59, 62, 60])
    np.testing.assert_array_equal(ds["killed"], [6, 13, 18, 28, 52, 53, 61, 60])
    # Totals of Table 7.2: 481 beetles exposed, 291 killed.
    assert ds["n"].sum() == 481
    assert ds["killed"].sum() == 291


def test_challenger_values():
    ds = load("challenger")
    # Dalal, Fowlkes & Hoadley (1989), Table 1: 23 flights, six field-joint O-rings
    # each, launch temperatures 53-81 F, leak-check pressures 50/100/200 psi.
    np.testing.assert_array_equal(ds["flight"], np.arange(1, 24))
    assert ds["temperature"].min() == 53 and ds["temperature"].max() == 81
    assert set(ds["pressure"]) == {50, 100, 200}
    assert list(ds["pressure"][:8]) == [50] * 6 + [100] * 2
    # Table 1: seven flights had thermal distress (at 53, 57, 58, 63, 70, 70 and
    # 75 F), nine distressed O-rings in all, two on the coldest flight (51-C, 53 F).
    assert ds["damage"].sum() == 7
    assert sorted(ds["temperature"][ds["damage"] == 1]) == [53, 57, 58, 63, 70, 70, 75]
    assert ds["distressed"].sum() == 9
    assert ds["distressed"][ds["temperature"] == 53][0] == 2
    np.testing.assert_array_equal(ds["damage"], (ds["distressed"] > 0).astype(int))
    assert ds["distressed"].max() <= 6


def test_ships_values():
    ds = load("ships")
    # McCullagh & Nelder (1989), Table 6.2, as MASS::ships: 5 types x 4 construction
    # periods x 2 operation periods.
    assert ds["incidents"].sum() == 356
    assert ds["service"].sum() == 163574
    assert set(ds["year"]) == {60, 65, 70, 75} and set(ds["period"]) == {60, 75}
    # First and largest cells of the table: type A 1960-64/1960-74 had 127 months
    # and 0 incidents; type B 1960-64/1960-74 had 44882 months and 39 incidents.
    assert (ds["type"][0], ds["service"][0], ds["incidents"][0]) == ("A", 127, 0)
    assert ds["service"].max() == 44882
    # Six empty cells (service 0): five impossible ones, built 1975-79 but operated
    # 1960-74, and the "accidentally empty" type E 1960-64/1975-79.
    empty = ds["service"] == 0
    assert empty.sum() == 6
    assert ds["incidents"][empty].sum() == 0
    impossible = (ds["year"] == 75) & (ds["period"] == 60)
    assert np.all(empty[impossible]) and impossible.sum() == 5


def test_clotting_values():
    ds = load("clotting")
    # McCullagh & Nelder (1989) p. 300, as in R's ?glm Gamma example.
    np.testing.assert_array_equal(ds["u"], [5, 10, 15, 20, 30, 40, 60, 80, 100])
    np.testing.assert_array_equal(ds["lot1"], [118, 58, 42, 35, 27, 25, 21, 19, 18])
    np.testing.assert_array_equal(ds["lot2"], [69, 35, 26, 21, 18, 16, 13, 12, 12])


def test_doctors_values():
    ds = load("doctors")
    smokers = ds["smokes"] == 1
    # Dobson & Barnett (2008), Table 9.1 (Doll & Hill 1966).
    np.testing.assert_array_equal(ds["deaths"][smokers], [32, 104, 206, 186, 102])
    np.testing.assert_array_equal(ds["deaths"][~smokers], [2, 12, 28, 28, 31])
    np.testing.assert_array_equal(ds["person_years"][smokers], [52407, 43248, 28612, 12663, 5317])
    np.testing.assert_array_equal(ds["person_years"][~smokers], [18790, 10673, 5710, 2585, 1462])
    assert ds["deaths"][smokers].sum() == 630
    assert ds["deaths"][~smokers].sum() == 101
    assert list(ds["age"][:5]) == ["35-44", "45-54", "55-64", "65-74", "75-84"]
    np.testing.assert_array_equal(ds["agecat"], np.tile(np.arange(1, 6), 2))


def test_dobson_counts_values():
    ds = load("dobson_counts")
    # Dobson (1990) p. 93, as in R's ?glm: counts, gl(3, 1, 9), gl(3, 3).
    np.testing.assert_array_equal(ds["counts"], [18, 17, 15, 20, 10, 20, 25, 13, 12])
    np.testing.assert_array_equal(ds["outcome"], [1, 2, 3] * 3)
    np.testing.assert_array_equal(ds["treatment"], [1, 1, 1, 2, 2, 2, 3, 3, 3])
    assert ds["counts"].sum() == 150


# --- classic published fits, reproduced with statsmodels (test-only dependency) --------------


@pytest.fixture(scope="module")
def sm():
    return pytest.importorskip("statsmodels.api")


def _dummies(values: np.ndarray) -> np.ndarray:
    """Treatment-coded indicator columns for every level but the first."""
    levels = np.unique(values)
    return np.column_stack([(values == level).astype(float) for level in levels[1:]])


def test_beetles_logistic_fit_matches_dobson(sm):
    ds = load("beetles")
    y = np.column_stack([ds["killed"], ds["n"] - ds["killed"]])
    fit = sm.GLM(y, sm.add_constant(ds["dose"]), family=sm.families.Binomial()).fit()
    # Dobson & Barnett (2008), Section 7.3: b1 = -60.72 (s.e. 5.18),
    # b2 = 34.27 (s.e. 2.91), deviance D = 11.23.
    np.testing.assert_allclose(fit.params, [-60.72, 34.27], atol=0.005)
    np.testing.assert_allclose(fit.bse, [5.18, 2.91], atol=0.005)
    assert fit.deviance == pytest.approx(11.23, abs=0.005)


def test_challenger_binomial_fit_matches_dalal(sm):
    ds = load("challenger")
    y = np.column_stack([ds["distressed"], 6 - ds["distressed"]])
    X = sm.add_constant(ds["temperature"].astype(float))
    fit = sm.GLM(y, X, family=sm.families.Binomial()).fit()
    # Dalal, Fowlkes & Hoadley (1989), p. 948: alpha = 5.085, beta = -0.1156,
    # s.e. 3.052 and 0.047, G^2 = 18.086 on 21 degrees of freedom.
    np.testing.assert_allclose(fit.params, [5.085, -0.1156], atol=0.0005)
    np.testing.assert_allclose(fit.bse, [3.052, 0.047], atol=0.0005)
    assert fit.deviance == pytest.approx(18.086, abs=0.0005)
    assert fit.df_resid == 21


def test_ships_poisson_fit_matches_mccullagh_nelder(sm):
    ds = load("ships")
    keep = ds["service"] > 0
    X = np.column_stack(
        [
            np.ones(keep.sum()),
            _dummies(ds["type"][keep]),
            _dummies(ds["year"][keep]),
            _dummies(ds["period"][keep]),
        ]
    )
    fit = sm.GLM(
        ds["incidents"][keep],
        X,
        family=sm.families.Poisson(),
        offset=np.log(ds["service"][keep]),
    ).fit()
    # McCullagh & Nelder (1989), Section 6.3.2: deviance 38.69 on 25 degrees of
    # freedom for the main-effects model; intercept -6.41, types B-E -0.54, -0.69,
    # -0.08, 0.33, construction 1965-69/70-74/75-79 0.70, 0.82, 0.45, operation
    # 1975-79 0.38.
    assert fit.deviance == pytest.approx(38.69, abs=0.01)  # 38.695 to 3 d.p.
    assert fit.df_resid == 25
    np.testing.assert_allclose(
        fit.params,
        [-6.41, -0.54, -0.69, -0.08, 0.33, 0.70, 0.82, 0.45, 0.38],
        atol=0.006,
    )


@pytest.mark.filterwarnings("ignore:The InversePower link function does not respect")
def test_clotting_gamma_fit_matches_r_example(sm):
    ds = load("clotting")
    X = sm.add_constant(np.log(ds["u"]))
    fit = sm.GLM(ds["lot1"], X, family=sm.families.Gamma()).fit()  # inverse link
    # R ?glm example / McCullagh & Nelder (1989) p. 302: 1/mu = -0.0165544 + 0.0153431 log(u).
    np.testing.assert_allclose(fit.params, [-0.0165544, 0.0153431], atol=5e-8)


def test_doctors_poisson_fit_matches_dobson(sm):
    ds = load("doctors")
    age = ds["agecat"].astype(float)
    smokes = ds["smokes"].astype(float)
    X = np.column_stack([np.ones(10), smokes, age, age**2, smokes * age])
    fit = sm.GLM(ds["deaths"], X, family=sm.families.Poisson(), offset=np.log(ds["person_years"])).fit()
    # Dobson & Barnett (2008), Section 9.2.1: constant -10.79, smoke 1.441, agecat
    # 2.376, agesq -0.198, smkage -0.308; deviance 1.635 on 5 degrees of freedom.
    np.testing.assert_allclose(fit.params, [-10.79, 1.441, 2.376, -0.198, -0.308], atol=0.005)
    assert fit.deviance == pytest.approx(1.635, abs=0.0005)
    assert fit.df_resid == 5


def test_dobson_counts_poisson_fit_matches_r_example(sm):
    ds = load("dobson_counts")
    X = np.column_stack([np.ones(9), _dummies(ds["outcome"]), _dummies(ds["treatment"])])
    fit = sm.GLM(ds["counts"], X, family=sm.families.Poisson()).fit()
    # R ?glm, glm.D93: 3.045, -0.4543, -0.2930, 0, 0; null deviance 10.5814 on
    # 8 df, residual deviance 5.1291 on 4 df.
    np.testing.assert_allclose(fit.params, [3.045, -0.4543, -0.2930, 0, 0], atol=0.0005)
    assert fit.null_deviance == pytest.approx(10.5814, abs=5e-5)
    assert fit.deviance == pytest.approx(5.1291, abs=5e-5)
    assert fit.df_resid == 4


# --- the classic models -----------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_dataset_names_its_classic_model(name):
    ds = load(name)
    assert "~" in ds.formula and ds.family
    res = ds.fit()  # (each one checked against R in tests/test_formula_r.py)
    assert res.converged and res.problem.design.formula == ds.formula


def test_factors_are_categorical_and_rows_select_the_model_frame():
    dobson = load("dobson_counts")
    assert dobson.factors == ("outcome", "treatment")
    assert dobson.frame()["outcome"].dtype == "category"
    ships = load("ships")
    assert ships.rows == "service > 0"
    assert ships.model_frame().shape == (34, 5) and ships.frame().shape == (40, 5)
    assert (ships.model_frame()["service"] > 0).all()
