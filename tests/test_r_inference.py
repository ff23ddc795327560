"""glmlearn's inference against R itself: analysis of deviance, drop1, profile intervals
and influence measures, on data written here and fitted by R in this test run.

One R process for the module (``tests/r/inference_cases.R`` through the ``rscript`` fixture
of ``tests/conftest.py``, which fails, never skips, without R). The data:

* Collett's budworm data as in Venables & Ripley, *Modern Applied Statistics with S*
  (4th ed., 2002, section 7.2): 20 moths of each sex at each log2-dose 0..5, the number
  killed; ``sex`` is coded with R's treatment contrasts (``sexM``);
* Dobson's counts and the ships data (``glmlearn.datasets``; ships without its six empty
  cells, log service as offset);
* MASS's ``quine`` (written to CSV by R from the MASS package, read back here):
  ``log(Days + 2.5)`` gaussian with an ``Eth:Sex`` interaction, and ``Days + 1`` Gamma
  with the log link, both with an estimated dispersion.

Factors are coded here as R codes them (treatment contrasts, levels sorted), and each
model's terms are given as R's term labels with their columns, as a formula fit would
give them. Tolerances: deviances and test statistics at 1e-8 relative (the refits are the
same IRLS iterates as R's); p-values at 1e-6 relative with an absolute floor of 1e-12
(p-values below 1e-12 are compared on the log scale).
"""

from __future__ import annotations

import csv
import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import glmlearn
from glmlearn import datasets
from glmlearn.inference import InferenceWarning, Table, anova, drop1

BUDWORM_DEAD = [1, 4, 9, 13, 18, 20, 0, 2, 6, 10, 12, 16]
BUDWORM_SEX = ["M"] * 6 + ["F"] * 6


def _write(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def _dummies(values: Any, name: str) -> tuple[list[str], np.ndarray]:
    """R's treatment contrasts: one 0/1 column per level after the first (levels sorted)."""
    values = np.asarray(values)
    levels = sorted(set(values.tolist()))
    return ([f"{name}{lv}" for lv in levels[1:]],
            np.column_stack([(values == lv).astype(float) for lv in levels[1:]]))


class Model:
    """A design built term by term, as R's model.matrix builds it."""

    def __init__(self, n: int) -> None:
        self.names = ["(Intercept)"]
        self.cols = [np.ones(n)]
        self.terms: dict[str, list[str]] = {}

    def add(self, term: str, names: list[str], X: np.ndarray) -> Model:
        X = X.reshape(len(X), -1)
        self.names += names
        self.cols += list(X.T)
        self.terms[term] = names
        return self

    @property
    def X(self) -> np.ndarray:
        return np.column_stack(self.cols)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory, rscript: Any) -> dict[str, Any]:
    d = tmp_path_factory.mktemp("inference")
    _write(d / "budworm.csv", ["ldose", "numdead", "sex"],
           [[k % 6, n, s] for k, (n, s) in enumerate(zip(BUDWORM_DEAD, BUDWORM_SEX, strict=True))])
    dob = datasets.load("dobson_counts")
    _write(d / "dobson.csv", ["counts", "outcome", "treatment"],
           [[int(a), int(b), int(c)] for a, b, c in zip(dob["counts"], dob["outcome"],
                                                        dob["treatment"], strict=True)])
    ships = datasets.load("ships")
    keep = np.asarray(ships["service"]) > 0
    cols = ["type", "year", "period", "service", "incidents"]
    _write(d / "ships.csv", cols,
           [list(r) for r in zip(*(np.asarray(ships[c])[keep].tolist() for c in cols), strict=True)])
    ref = rscript("inference_cases.R", d)
    with open(d / "quine.csv") as f:
        header, *rows = list(csv.reader(f))
    quine = {k: np.array(v) for k, v in zip(header, zip(*rows, strict=True), strict=True)}
    return {"ref": ref, "ships": {c: np.asarray(ships[c])[keep] for c in cols},
            "dobson": dob, "quine": quine}


# --- the models, built as R builds them -----------------------------------------------------

def _budworm(interaction: bool = True, sex: bool = True) -> tuple[Any, Model]:
    ldose = np.tile(np.arange(6.0), 2)
    male = (np.array(BUDWORM_SEX) == "M").astype(float)
    m = Model(12)
    if sex:
        m.add("sex", ["sexM"], male)
    m.add("ldose", ["ldose"], ldose)
    if interaction:
        m.add("sex:ldose", ["sexM:ldose"], male * ldose)
    dead = np.array(BUDWORM_DEAD, dtype=float)
    y = np.column_stack([dead, 20 - dead])
    return glmlearn.fit(m.X, y, "binomial", column_names=m.names, response_name="SF"), m


def _dobson(data: dict[str, Any], treatment: bool = True) -> tuple[Any, Model]:
    dob = data["dobson"]
    m = Model(9)
    m.add("outcome", *_dummies(np.asarray(dob["outcome"]).astype(int), "outcome"))
    if treatment:
        m.add("treatment", *_dummies(np.asarray(dob["treatment"]).astype(int), "treatment"))
    return glmlearn.fit(m.X, dob["counts"], "poisson", column_names=m.names), m


def _ships(data: dict[str, Any]) -> tuple[Any, Model]:
    s = data["ships"]
    m = Model(len(s["incidents"]))
    m.add("type", *_dummies(s["type"], "type"))
    m.add("year", *_dummies(s["year"].astype(int), "year"))
    m.add("period", *_dummies(s["period"].astype(int), "period"))
    return glmlearn.fit(m.X, s["incidents"], "poisson", offset=np.log(s["service"]),
                        column_names=m.names), m


def _quine(data: dict[str, Any], family: str, interaction: bool = True) -> tuple[Any, Model]:
    q = data["quine"]
    n = len(q["Days"])
    m = Model(n)
    eth_n, eth = _dummies(q["Eth"], "Eth")
    sex_n, sex = _dummies(q["Sex"], "Sex")
    m.add("Eth", eth_n, eth).add("Sex", sex_n, sex)
    m.add("Age", *_dummies(q["Age"], "Age")).add("Lrn", *_dummies(q["Lrn"], "Lrn"))
    if interaction:
        m.add("Eth:Sex", ["EthN:SexM"], eth[:, 0] * sex[:, 0])
    days = q["Days"].astype(float)
    if family == "gaussian":
        return glmlearn.fit(m.X, np.log(days + 2.5), "gaussian", column_names=m.names), m
    return glmlearn.fit(m.X, days + 1, glmlearn.gamma("log"), column_names=m.names), m


# --- comparing tables --------------------------------------------------------------------

def _close(ours: np.ndarray, ref: list[Any], rtol: float, what: str, p_value: bool = False,
           scale: float = 0.0) -> None:
    r = np.array([math.nan if v is None else v for v in ref], dtype=float)
    ours = np.asarray(ours, dtype=float)
    assert np.array_equal(np.isnan(ours), np.isnan(r)), (what, ours, r)
    ok = ~np.isnan(r)
    if not p_value:  # a change that is zero in theory (Dobson's treatment) is rounding
        floor = 1e-10 * max(scale, float(np.max(np.abs(r[ok]), initial=0.0)))
        np.testing.assert_allclose(ours[ok], r[ok], rtol=rtol, atol=floor, err_msg=what)
        return
    tiny = ok & (r < 1e-12)
    np.testing.assert_allclose(ours[ok & ~tiny], r[ok & ~tiny], rtol=rtol, atol=0, err_msg=what)
    if tiny.any():  # far-tail p-values: on the log scale
        np.testing.assert_allclose(np.log(ours[tiny]), np.log(r[tiny]), rtol=1e-6, err_msg=what)


def _same_table(table: Table, ref: dict[str, Any], what: str) -> None:
    assert list(table.row_names) == ref["rows"], what
    assert list(table.columns) == list(ref["cols"]), what
    # the scale of the deviances, against which a change that is zero in theory is rounding
    scale = max(abs(v) for c, vs in ref["cols"].items() if not c.startswith("Pr(")
                for v in vs if v is not None)
    for col, values in ref["cols"].items():
        p_value = col.startswith("Pr(")
        _close(table[col], values, 1e-6 if p_value else 1e-8, f"{what} {col}", p_value, scale)
    frame = table.to_frame()
    assert list(frame.columns) == list(ref["cols"]) and list(frame.index) == ref["rows"]


# --- analysis of deviance ----------------------------------------------------------------

@pytest.mark.parametrize("test", ["none", "Chisq", "F", "Rao"])
def test_budworm_sequential_anova(data: dict[str, Any], test: str) -> None:
    fit, m = _budworm()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = fit.anova(None if test == "none" else test, terms=m.terms)
    _same_table(table, data["ref"]["budworm"]["seq"][test], f"budworm anova {test}")
    f_warned = [w for w in caught if issubclass(w.category, InferenceWarning)]
    # R: "using F test with a 'binomial' family is inappropriate", then dispersion 1, df inf
    assert len(f_warned) == (test == "F")
    if test == "F":
        assert "using F test with a 'binomial' family is inappropriate" in str(f_warned[0].message)
        assert any("Pr(>F) is the Chisq test's p-value" in n for n in table.notes)


@pytest.mark.parametrize("test", ["Chisq", "F", "Rao"])
def test_budworm_three_nested_fits(data: dict[str, Any], test: str) -> None:
    (small, _), (mid, _), (big, _) = (_budworm(False, False), _budworm(False), _budworm())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InferenceWarning)
        table = glmlearn.anova(small, mid, big, test=test)
    _same_table(table, data["ref"]["budworm"]["between"][test], f"budworm 3 fits {test}")


def test_budworm_larger_model_first(data: dict[str, Any]) -> None:
    table = anova(_budworm()[0], _budworm(False)[0], test="Chisq")
    _same_table(table, data["ref"]["budworm"]["between_down"], "budworm big, small")
    assert table["Df"][1] == -1


@pytest.mark.parametrize("test", ["none", "LRT", "F", "Rao"])
def test_budworm_drop1(data: dict[str, Any], test: str) -> None:
    fit, m = _budworm(False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = fit.drop1(None if test == "none" else test, terms=m.terms)
    _same_table(table, data["ref"]["budworm"]["drop1"][test], f"budworm drop1 {test}")
    if test == "F":  # R: "F test assumes 'quasibinomial' family"
        assert any("F test assumes 'quasibinomial' family" in str(w.message) for w in caught
                   if issubclass(w.category, InferenceWarning))


def test_drop1_keeps_terms_of_an_interaction(data: dict[str, Any]) -> None:
    fit, m = _budworm()
    table = drop1(fit, "Chisq", terms=m.terms)
    assert table.row_names == ("<none>", "sex:ldose")  # sex and ldose are marginal to it
    _same_table(table, data["ref"]["budworm"]["drop1_interaction"], "budworm drop1 sex*ldose")


def test_dobson(data: dict[str, Any]) -> None:
    fit, m = _dobson(data)
    ref = data["ref"]["dobson"]
    _same_table(fit.anova("Chisq", terms=m.terms), ref["seq"], "dobson anova")
    _same_table(anova(_dobson(data, False)[0], fit, test="LRT"), ref["between"], "dobson 2 fits")
    _same_table(fit.drop1("Chisq", terms=m.terms), ref["drop1"], "dobson drop1")


def test_ships_with_offset(data: dict[str, Any]) -> None:
    fit, m = _ships(data)
    ref = data["ref"]["ships"]
    _same_table(fit.anova("Chisq", terms=m.terms), ref["seq"], "ships anova")
    _same_table(fit.drop1("Rao", terms=m.terms), ref["drop1"], "ships drop1 Rao")


@pytest.mark.parametrize("test", ["F", "Chisq", "Rao"])
def test_quine_gaussian_sequential(data: dict[str, Any], test: str) -> None:
    fit, m = _quine(data, "gaussian")
    _same_table(fit.anova(test, terms=m.terms), data["ref"]["quine_gaussian"]["seq"][test],
                f"quine gaussian anova {test}")


@pytest.mark.parametrize("test", ["F", "LRT", "Rao"])
def test_quine_gaussian_drop1(data: dict[str, Any], test: str) -> None:
    fit, m = _quine(data, "gaussian")
    table = fit.drop1(test, terms=m.terms)
    _same_table(table, data["ref"]["quine_gaussian"]["drop1"][test], f"quine drop1 {test}")


def test_quine_gaussian_two_fits_f_test(data: dict[str, Any]) -> None:
    table = anova(_quine(data, "gaussian", False)[0], _quine(data, "gaussian")[0], test="F")
    _same_table(table, data["ref"]["quine_gaussian"]["between"], "quine 2 fits F")
    assert any("estimated from the largest model" in n for n in table.notes)


def test_quine_gamma_f_tests(data: dict[str, Any]) -> None:
    fit, m = _quine(data, "gamma", False)
    ref = data["ref"]["quine_gamma"]
    _same_table(fit.anova("F", terms=m.terms), ref["seq"], "quine Gamma anova F")
    _same_table(fit.drop1("F", terms=m.terms), ref["drop1"], "quine Gamma drop1 F")


# --- intervals ---------------------------------------------------------------------------

def _cases(data: dict[str, Any]) -> dict[str, Any]:
    return {"budworm": lambda: _budworm()[0], "budworm_add": lambda: _budworm(False)[0],
            "dobson": lambda: _dobson(data)[0], "ships": lambda: _ships(data)[0],
            "quine_gamma": lambda: _quine(data, "gamma", False)[0]}


_CI_REF = {"budworm": ("budworm", "ci"), "budworm_add": ("budworm", "ci_add"),
           "dobson": ("dobson", "ci"), "ships": ("ships", "ci"), "quine_gamma": ("quine_gamma", "ci")}


@pytest.mark.parametrize("case", list(_CI_REF))
def test_profile_intervals(data: dict[str, Any], case: str) -> None:
    fit = _cases(data)[case]()
    a, b = _CI_REF[case]
    ref = data["ref"][a][b]
    ci = fit.conf_int(method="profile")
    assert list(ci.names) == ref["names"]
    exact, spline = np.array(ref["exact"]), np.array(ref["profile"])
    width = (exact[:, 1] - exact[:, 0])[:, None]
    ours = np.asarray(ci)
    # the roots of tau(b) = -+1.96, solved by R's uniroot on R's own refits
    assert np.all(np.abs(ours - exact) <= 1e-6 * width), np.abs(ours - exact) / width
    # MASS's confint.glm: a spline through a grid of the profile, inverted
    np.testing.assert_allclose(ours, spline, rtol=1e-4, atol=1e-4 * float(width.max()))
    np.testing.assert_allclose(np.asarray(fit.conf_int()), np.array(ref["wald"]), rtol=1e-8)
    assert ci.to_frame().columns.tolist() == ["2.5 %", "97.5 %"]


def test_profile_interval_at_90_percent(data: dict[str, Any]) -> None:
    fit = _budworm()[0]
    ci = fit.conf_int(0.9, method="profile")
    np.testing.assert_allclose(np.asarray(ci), np.array(data["ref"]["budworm"]["ci"]["profile90"]),
                               rtol=1e-4, atol=1e-5)
    assert ci.columns == ("5 %", "95 %")


# --- influence ---------------------------------------------------------------------------

_INFL = {"budworm": (lambda d: _budworm()[0], "budworm"),
         "dobson": (lambda d: _dobson(d)[0], "dobson"),
         "ships": (lambda d: _ships(d)[0], "ships"),
         "quine_gaussian": (lambda d: _quine(d, "gaussian")[0], "quine_gaussian"),
         "quine_gamma": (lambda d: _quine(d, "gamma", False)[0], "quine_gamma")}


@pytest.mark.parametrize("case", list(_INFL))
def test_influence_measures(data: dict[str, Any], case: str) -> None:
    make, key = _INFL[case]
    fit = make(data)
    ref = data["ref"][key]["influence"]
    infl = fit.influence()
    for ours, theirs, what in ((infl.hat, ref["hat"], "hatvalues"),
                               (infl.rstandard, ref["rstandard"], "rstandard"),
                               (infl.rstandard_pearson, ref["rstandard_pearson"],
                                "rstandard pearson"),
                               (infl.rstudent, ref["rstudent"], "rstudent"),
                               (infl.cooks_distance, ref["cooks"], "cooks.distance")):
        theirs = np.asarray(theirs, dtype=float)
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-9 * np.abs(theirs).max(),
                                   err_msg=f"{case} {what}")
    assert infl.hat.sum() == pytest.approx(fit.rank, rel=1e-10)


def test_all_zero_poisson_group(data: dict[str, Any]) -> None:
    """R's estimate and SE of a group with no events (the Wald interval is about +-29000),
    MASS's confint failing on it, and glmlearn's open profile interval whose upper end is
    R's root of tau(b) = 1.96."""
    ref = data["ref"]["zero_group"]
    X = np.column_stack([np.ones(6), [1, 1, 1, 0, 0, 0.0]])
    with pytest.warns(glmlearn.InfiniteEstimateWarning, match=r"has a count of 0"):
        fit = glmlearn.fit(X, [0, 0, 0, 3, 5, 4], "poisson", column_names=["(Intercept)", "zg"])
    # the MLE is at -inf; both programs stop at the same iterate, with an SE of ~1.5e4
    np.testing.assert_allclose(fit.se, ref["se"], rtol=1e-6)
    assert ref["mass_fails"] is True
    with pytest.warns(InferenceWarning, match="does not reach the cut-off 1.96 on the lower"):
        lo, hi = fit.conf_int(method="profile")["zg"]
    assert lo == -np.inf
    assert hi == pytest.approx(ref["upper"], rel=1e-7)
