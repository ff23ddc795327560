"""The ``glmlearn`` command: trace, datasets, lessons, errors, and the wheel it ships in.

Where the expected numbers come from:

* :func:`textbook_irls`, below: Fisher scoring for a canonical link written out in numpy,
  without glmlearn (so a number the command prints is never checked against the very
  calls the command makes);
* R's ``glm`` as printed: Dobson & Barnett's beetles fit (R's ``demo(lm.glm)``, recorded
  in ``tests/r_reference.py``), Dobson 1990's counts (R's ``?glm``);
* the seed lesson (/work/shared/seeds/000_395a325bc2b665e3.txt: deviances 277.26 ...
  148.09 from beta = 0).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest
from scipy.special import expit, logit, xlogy

import glmlearn
from glmlearn import cli
from glmlearn.datasets import list_datasets, load

ROOT = Path(__file__).resolve().parents[1]
#: Row 0 of the iteration table is marked as the starting point, not an IRLS step.
START = "(start)"
#: The note under the table when IRLS starts from R's starting means.
MUSTART_NOTE = ("iteration 0 is the starting guess μ⁽⁰⁾ (R's mustart), not a fitted model: its "
                "deviance is not comparable")
#: The legend under the table.
LEGEND = ("columns: criterion = R's |D − D_old|/(|D| + 0.1), IRLS stops below --tol; max|U| = "
          "the largest score component, 0 at the MLE; \"Fisher scoring iterations\" below = "
          "the number of IRLS steps")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``main(argv)`` in-process: (exit status, stdout, stderr)."""
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def table_lines(out: str) -> list[str]:
    """The header and the rows of the iteration table, as printed."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:2] == ["iter", "deviance"])
    end = next(i for i, line in enumerate(lines[start + 1:], start + 1)
               if not line.strip() or not line.split()[0].isdigit())
    return lines[start:end]


def table_rows(out: str) -> list[list[str]]:
    """The rows of the iteration table, split into cells: iteration, deviance, criterion,
    halvings, max|U|, then the coefficients (row 0's ``(start)`` mark is checked, then
    dropped)."""
    rows = [line.split() for line in table_lines(out)[1:]]
    assert rows[0][:2] == ["0", START]  # row 0 is marked as the starting point
    assert all(START not in row for row in rows[1:])
    return [rows[0][:1] + rows[0][2:], *rows[1:]]


def header(out: str) -> list[str]:
    """The coefficient names in the header of the iteration table."""
    return table_lines(out)[0].split()[5:]


def last_beta(out: str) -> list[float]:
    """The coefficients on the last row of the iteration table."""
    return [float(v) for v in table_rows(out)[-1][5:]]


# --- an independent reference ------------------------------------------------------------

def _binomial_deviance(y, mu, w):
    return 2 * np.sum(w * (xlogy(y, y / mu) + xlogy(1 - y, (1 - y) / (1 - mu))))


def _poisson_deviance(y, mu, w):
    return 2 * np.sum(w * (xlogy(y, y / mu) - (y - mu)))


#: name -> (R's mustart(y, w), inverse link, link, variance = dmu/deta, deviance)
_CANONICAL = {
    "binomial": (lambda y, w: (w * y + 0.5) / (w + 1), expit, logit,
                 lambda mu: mu * (1 - mu), _binomial_deviance),
    "poisson": (lambda y, w: y + 0.1, np.exp, np.log, lambda mu: mu, _poisson_deviance),
    "gaussian": (lambda y, w: y, lambda eta: eta, lambda mu: mu, np.ones_like,
                 lambda y, mu, w: np.sum(w * (y - mu) ** 2)),
}


def textbook_irls(X, y, family, *, weights=None, offset=None, beta=None, max_iter=25,
                  tol=1e-8) -> list[tuple[float, float, np.ndarray | None]]:
    """Fisher scoring with a canonical link, as in a textbook, with R's start and stopping
    rule: ``(deviance, criterion, beta)`` per state, state 0 first (its criterion NaN, its
    beta None when it starts from R's ``mustart``)."""
    return [s[:3] for s in textbook_states(X, y, family, weights=weights, offset=offset,
                                           beta=beta, max_iter=max_iter, tol=tol)]


def textbook_states(X, y, family, *, weights=None, offset=None, beta=None, max_iter=25,
                    tol=1e-8) -> list[tuple[float, float, np.ndarray | None, np.ndarray]]:
    """:func:`textbook_irls` with the score of each state too: for a canonical link,
    U = X'(w (y - mu))."""
    mustart, inverse, link, variance, deviance = _CANONICAL[family]
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    off = np.zeros(len(y)) if offset is None else np.asarray(offset, dtype=float)
    if beta is None:
        mu = mustart(y, w)
        eta = link(mu)
    else:
        eta = X @ np.asarray(beta, dtype=float) + off
        mu = inverse(eta)
    dev = deviance(y, mu, w)
    states: list[tuple[float, float, np.ndarray | None, np.ndarray]] = [
        (dev, np.nan, None if beta is None else np.asarray(beta, dtype=float),
         X.T @ (w * (y - mu)))]
    for _ in range(max_iter):
        v = variance(mu)  # canonical link: dmu/deta = V(mu), so the weights are w V(mu)
        z = eta - off + (y - mu) / v
        b = np.linalg.solve(X.T @ ((w * v)[:, None] * X), X.T @ (w * v * z))
        eta = X @ b + off
        mu = inverse(eta)
        dev, old = deviance(y, mu, w), dev
        crit = abs(dev - old) / (abs(dev) + 0.1)
        states.append((dev, crit, b, X.T @ (w * (y - mu))))
        if crit < tol:
            break
    return states


@pytest.fixture(scope="module")
def seed_data() -> tuple[np.ndarray, np.ndarray]:
    """The seed lesson's pass/fail data (legacy generator, seed 42), as the lesson draws it."""
    state = np.random.get_state()  # noqa: NPY002
    try:
        np.random.seed(42)  # noqa: NPY002
        hours = np.random.uniform(1, 10, 200)  # noqa: NPY002
        passed = np.random.binomial(1, expit(-3 + 0.8 * hours))  # noqa: NPY002
    finally:
        np.random.set_state(state)  # noqa: NPY002
    return hours, passed


@pytest.fixture
def seed_csv(tmp_path: Path, seed_data: tuple[np.ndarray, np.ndarray]) -> Path:
    hours, passed = seed_data
    path = tmp_path / "exam.csv"
    path.write_text("hours,passed\n" + "".join(f"{float(h)!r},{int(p)}\n"
                                               for h, p in zip(hours, passed, strict=True)))
    return path


# --- trace --------------------------------------------------------------------------------

def test_trace_prints_the_irls_table_of_the_seed_lesson(capsys, seed_csv, seed_data):
    status, out, err = run(capsys, "trace", str(seed_csv), "--family", "binomial", "--y", "passed",
                           "--x", "hours", "--start", "0,0")
    assert status == 0, err
    assert err == ""  # a fit without trouble says nothing on stderr
    assert "Warning:" not in out and "troubles:" not in out
    hours, passed = seed_data
    expected = textbook_states(np.column_stack([np.ones(200), hours]), passed, "binomial",
                               beta=[0.0, 0.0])
    rows = table_rows(out)
    assert [int(r[0]) for r in rows] == list(range(len(expected)))
    assert [r[3] for r in rows] == ["0"] * len(expected)  # no step was halved
    assert rows[0][2] == "—"  # state 0 has no criterion: there is no D_old
    for row, (dev, _, beta, score) in zip(rows, expected, strict=True):
        assert float(row[1]) == pytest.approx(dev, abs=5e-7)  # printed with 6 decimals
        # max|U| printed with 4 digits; near the MLE it is rounding noise, below 1e-8.
        assert float(row[4]) == pytest.approx(np.max(np.abs(score)), rel=1e-3, abs=1e-8)
        np.testing.assert_allclose([float(v) for v in row[5:]], beta, rtol=1e-6, atol=1e-12)
    for row, (_, crit, _, _) in zip(rows[1:], expected[1:], strict=True):
        assert float(row[2]) == pytest.approx(crit, rel=1e-3)  # printed with 4 digits
    # The lesson's printed sequence: 277.26, 167.52, 151.18, 148.25, 148.09, ...
    devs = [round(float(r[1]), 2) for r in rows]
    assert devs[:5] == [277.26, 167.52, 151.18, 148.25, 148.09]
    assert devs[-1] == 148.09
    # Header with the CSV's names, then the summary of the same fit.
    assert header(out) == ["(Intercept)", "hours"]
    # From --start, row 0 is a model (beta = 0), and the note says so; then the legend.
    lines = out.splitlines()
    end = lines.index(table_lines(out)[-1])
    assert lines[end + 1:end + 3] == [
        "iteration 0 is the starting point β⁽⁰⁾ (--start), before any IRLS step", LEGEND]
    assert "Response: passed" in out
    assert re.search(r"^\(Intercept\)\s+-2\.7506\s", out, re.M)
    assert re.search(r"^hours\s+0\.844427\s", out, re.M)
    assert f"Number of Fisher scoring iterations: {len(expected) - 1}" in out


def test_trace_from_r_starting_values_marks_iteration_0_as_the_starting_guess(
        capsys, seed_csv, seed_data):
    status, out, _ = run(capsys, "trace", str(seed_csv), "--family", "binomial", "--y", "passed",
                         "--x", "hours")
    assert status == 0
    hours, passed = seed_data
    expected = textbook_irls(np.column_stack([np.ones(200), hours]), passed, "binomial")
    rows = table_rows(out)
    # No criterion, score or beta at the starting guess (never "inf").
    assert rows[0] == ["0", f"{expected[0][0]:.6f}", "—", "0", "—", "—", "—"]
    assert "inf" not in out
    assert [float(r[1]) for r in rows] == pytest.approx([d for d, _, _ in expected], abs=5e-7)
    # The deviance of the starting guess is below the final one (115.07 -> 159.09 -> ...
    # -> 148.09): the note under the table says it is not a fitted model's.
    assert [round(float(r[1]), 2) for r in rows[:2]] == [115.07, 159.09]
    assert round(float(rows[-1][1]), 2) == 148.09
    lines = out.splitlines()
    end = lines.index(table_lines(out)[-1])
    assert lines[end + 1:end + 4] == [MUSTART_NOTE, LEGEND, ""]
    assert lines[0].startswith("binomial family, logit link")


def test_the_table_falls_back_to_ascii_where_the_terminal_cannot_show_unicode():
    assert cli._trace._terminal_text(MUSTART_NOTE, "ascii") == (
        "iteration 0 is the starting guess mu(0) (R's mustart), not a fitted model: its "
        "deviance is not comparable")
    assert cli._trace._terminal_text("   0 (start)   1.0   —", "cp437") == "   0 (start)   1.0   -"
    assert cli._trace._terminal_text(LEGEND, "utf-8") == LEGEND


def test_trace_on_a_bundled_dataset_with_trials(capsys):
    status, out, _ = run(capsys, "trace", "--dataset", "beetles", "--family", "binomial",
                         "--y", "killed", "--trials", "n", "--x", "dose")
    assert status == 0
    # R, demo(lm.glm) (tests/r_reference.py, beetle_binomial_logit): -60.717, 34.270,
    # residual deviance 11.232 on 6 df, 4 Fisher scoring iterations.
    assert last_beta(out) == pytest.approx([-60.717, 34.270], abs=5e-4)
    assert float(table_rows(out)[-1][1]) == pytest.approx(11.232, abs=5e-4)
    assert len(table_rows(out)) == 5
    assert "Response: killed out of n" in out
    assert re.search(r"Residual deviance: 11\.232\d*\s+on 6 degrees", out)
    assert "Number of Fisher scoring iterations: 4\n" in out
    assert out.startswith("binomial family, logit link; response killed out of n; 8 rows of "
                          "dataset 'beetles'")


def test_trace_link_option(capsys):
    status, out, _ = run(capsys, "trace", "--dataset", "beetles", "--family", "binomial",
                         "--link", "cloglog", "--y", "killed", "--trials", "n", "--x", "dose")
    assert status == 0
    assert "Link: cloglog" in out
    # R, demo(lm.glm) (tests/r_reference.py, beetle_binomial_cloglog): -39.572, 22.041.
    assert last_beta(out) == pytest.approx([-39.572, 22.041], abs=5e-4)


def test_text_columns_become_treatment_dummies(capsys):
    ds = load("ships")
    status, out, _ = run(capsys, "trace", "--dataset", "ships", "--family", "poisson",
                         "--y", "incidents", "--x", "type", "--x", "service")
    assert status == 0
    assert header(out) == ["(Intercept)", "typeB", "typeC", "typeD", "typeE", "service"]
    X = np.column_stack([np.ones(ds.n_rows)] + [ds["type"] == t for t in "BCDE"] + [ds["service"]])
    *_, (_, _, beta) = textbook_irls(X, ds["incidents"], "poisson")
    np.testing.assert_allclose(last_beta(out), beta, rtol=1e-6)


def test_without_intercept_the_first_factor_keeps_every_level(capsys):
    ds = load("ships")
    status, out, _ = run(capsys, "trace", "--dataset", "ships", "--family", "poisson",
                         "--y", "incidents", "--x", "type", "--x", "year", "--factor", "year",
                         "--no-intercept")
    assert status == 0
    assert header(out) == ["typeA", "typeB", "typeC", "typeD", "typeE", "year65", "year70",
                           "year75"]
    X = np.column_stack([ds["type"] == t for t in "ABCDE"] + [ds["year"] == y for y in (65, 70, 75)])
    *_, (_, _, beta) = textbook_irls(X, ds["incidents"], "poisson")
    np.testing.assert_allclose(last_beta(out), beta, rtol=1e-6)


def test_factor_option_reproduces_r_glm_example(capsys):
    # R's ?glm example (Dobson 1990, p. 93): counts ~ outcome + treatment, poisson.
    # R prints outcome2 -0.4543, outcome3 -0.2930, residual deviance 5.1291 on 4 df.
    status, out, _ = run(capsys, "trace", "--dataset", "dobson_counts", "--family", "poisson",
                         "--y", "counts", "--x", "outcome", "--x", "treatment",
                         "--factor", "outcome", "--factor", "treatment")
    assert status == 0
    assert re.search(r"^outcome2\s+-0\.45425", out, re.M)
    assert re.search(r"^outcome3\s+-0\.29298", out, re.M)
    assert re.search(r"Residual deviance: 5\.1291\d*\s+on 4 degrees of freedom", out)


def test_offset_log(capsys):
    ds = load("doctors")
    status, out, _ = run(capsys, "trace", "--dataset", "doctors", "--family", "poisson",
                         "--y", "deaths", "--x", "smokes", "--offset", "log(person_years)")
    assert status == 0
    X = np.column_stack([np.ones(ds.n_rows), ds["smokes"]])
    *_, (_, _, beta) = textbook_irls(X, ds["deaths"], "poisson", offset=np.log(ds["person_years"]))
    np.testing.assert_allclose(last_beta(out), beta, rtol=1e-6)


def test_weights_and_offset_columns(capsys, tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("x,y,w,o\n1,2.0,1,0.5\n2,2.5,2,0.5\n3,4.1,1,0.5\n4,3.9,3,0.5\n5,6.2,1,0.5\n")
    status, out, _ = run(capsys, "trace", str(path), "--y", "y", "--x", "x", "--weights", "w",
                         "--offset", "o")
    assert status == 0
    assert "Family: gaussian" in out
    # Weighted least squares of y - 0.5 on (1, x), solved here by numpy's lstsq.
    x, y, w = np.arange(1.0, 6.0), np.array([2.0, 2.5, 4.1, 3.9, 6.2]), np.array([1, 2, 1, 3, 1.0])
    X = np.column_stack([np.ones(5), x])
    beta = np.linalg.lstsq(X * np.sqrt(w)[:, None], (y - 0.5) * np.sqrt(w), rcond=None)[0]
    np.testing.assert_allclose(last_beta(out), beta, rtol=1e-6)


def test_rows_with_missing_values_are_left_out_like_r(capsys, tmp_path):
    path = tmp_path / "na.csv"
    path.write_text("x,y,unused\n1,0,\n2,NA,a\n3,1,b\n,1,c\n5,0,d\n6,1,\n7,1,e\n")
    status, out, _ = run(capsys, "trace", str(path), "--family", "binomial", "--y", "y",
                         "--x", "x")
    assert status == 0
    assert "5 rows of na.csv (2 with missing values left out)" in out
    # The rows left: lines 2, 4, 6, 7, 8 (x = 1, 3, 5, 6, 7); "unused" is not looked at.
    *_, (_, _, beta) = textbook_irls(np.column_stack([np.ones(5), [1.0, 3, 5, 6, 7]]),
                                     [0, 1, 0, 1, 1], "binomial")
    np.testing.assert_allclose(last_beta(out), beta, rtol=1e-6)


def test_two_level_text_response_for_binomial(capsys, tmp_path):
    path = tmp_path / "yn.csv"
    path.write_text("x,answer\n1,no\n2,yes\n3,no\n4,yes\n5,yes\n")
    status, out, _ = run(capsys, "trace", str(path), "--family", "binomial", "--y", "answer",
                         "--x", "x")
    assert status == 0
    assert "--y answer: 'no' = 0 (failure), 'yes' = 1 (success)" in out
    *_, (_, _, beta) = textbook_irls(np.column_stack([np.ones(5), np.arange(1.0, 6.0)]),
                                     [0, 1, 0, 1, 1], "binomial")
    np.testing.assert_allclose(last_beta(out), beta, rtol=1e-6)


# --- troubles -----------------------------------------------------------------------------

def _beetles_after_two_iterations() -> str:
    """The non-convergence message for beetles with --max-iter 2, from textbook_irls."""
    ds = load("beetles")
    states = textbook_irls(np.column_stack([np.ones(8), ds["dose"]]), ds["killed"] / ds["n"],
                           "binomial", weights=ds["n"], max_iter=2)
    dev, crit, _ = states[-1]
    return (f"IRLS did not converge in 2 iterations (last criterion {crit:.3g}, deviance "
            f"{dev:.6g}); the estimates are not the MLE")


BEETLES = ["--dataset", "beetles", "--family", "binomial", "--y", "killed", "--trials", "n",
           "--x", "dose"]
TROUBLES = {
    # name: (data file text or None, arguments, [(category, text its message contains)])
    "not converged": (None, [*BEETLES, "--max-iter", "2"],
                      [("ConvergenceWarning", "IRLS did not converge in 2 iterations")]),
    "separation": ("x,y\n1,0\n2,0\n3,0\n4,1\n5,1\n6,1\n",  # x < 3.5 <=> y = 0
                   ["--family", "binomial", "--y", "y", "--x", "x"],
                   [("SeparationWarning", "complete separation"),
                    ("BoundaryWarning", "fitted probabilities numerically 0 or 1")]),
    "aliased": ("x,z,y\n1,2,1\n2,4,3\n3,6,2\n4,8,5\n",  # z = 2 x
                ["--family", "poisson", "--y", "y", "--x", "x", "--x", "z"],
                [("RankDeficiencyWarning", "z aliased")]),
    "no residual df": ("x,y\n1,1.5\n2,2.5\n", ["--y", "y", "--x", "x"],
                       [("ResidualDFWarning", "no residual degrees of freedom")]),
    # R's rule from a far start: IRLS lands where every probability is clamped at 0 or 1,
    # the deviance stops changing there, and R's criterion is met far from the MLE
    "false convergence": (None, [*BEETLES, "--start=100,100"],
                          [("BoundaryWarning", "fitted probabilities numerically 0 or 1"),
                           ("ConvergenceWarning", "the estimates are not the MLE")]),
}


@pytest.mark.parametrize("name", TROUBLES)
def test_each_trouble_is_said_once_with_its_category(capsys, tmp_path, name):
    text, argv, expected = TROUBLES[name]
    data: list[str] = []
    if text is not None:
        (tmp_path / "data.csv").write_text(text)
        data = [str(tmp_path / "data.csv")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning escaping the command fails the test
        status, out, err = run(capsys, "trace", *data, *argv)
    assert status == 0
    assert err == ""  # a terminal shows stdout and stderr together: the troubles are on stdout
    lines = out.splitlines()
    # The summary's Warning: lines, one per trouble in the fit's order, then their categories.
    warned = [line.removeprefix("Warning: ") for line in lines if line.startswith("Warning: ")]
    assert len(warned) == len(expected), out
    for message, (_, phrase) in zip(warned, expected, strict=True):
        assert phrase in message
        assert out.count(message) == 1
    assert lines[-1] == f"troubles: {', '.join(category for category, _ in expected)}"
    assert lines[-1 - len(expected):-1] == [f"Warning: {m}" for m in warned]
    for category, _ in expected:
        assert out.count(category) == 1


def test_the_convergence_message_has_the_last_criterion_and_deviance(capsys):
    status, out, err = run(capsys, "trace", *BEETLES, "--max-iter", "2")
    assert status == 0
    assert err == ""
    assert out.endswith(f"\nWarning: {_beetles_after_two_iterations()}\n"
                        "troubles: ConvergenceWarning\n")


def test_troubles_are_read_from_the_result_not_from_warnings(capsys, monkeypatch):
    # With the fit's warnings switched off at the source, the command still reports the
    # trouble: it reads result.troubles.
    monkeypatch.setattr(glmlearn.Trouble, "warn", lambda self, stacklevel=2: None)
    status, out, err = run(capsys, "trace", *BEETLES, "--max-iter", "2")
    assert status == 0
    assert err == ""
    assert "\nWarning: IRLS did not converge in 2 iterations" in out
    assert out.endswith("\ntroubles: ConvergenceWarning\n")
    assert "(NOT converged)" in out


# --- errors -------------------------------------------------------------------------------

ERRORS = [
    # (arguments, text the one line must contain)
    (["--family", "binomal"], ["--family", "'binomal'"]),
    (["--family", "poisson", "--link", "logit"], ["--link", "'logit'", "poisson"]),
    (["--link", "nolink"], ["--link", "'nolink'"]),
    (["--x", "hour"], ["--x", "'hour'", "did you mean 'hours'"]),
    (["--weights", "w"], ["--weights", "'w'"]),
    (["--offset", "log(off)"], ["--offset", "'off'"]),
    (["--factor", "hours2"], ["--factor", "'hours2'"]),
    (["--max-iter", "x"], ["--max-iter", "'x'"]),
    (["--max-iter", "0"], ["--max-iter", "0"]),
    (["--tol", "-1"], ["--tol", "-1"]),
    (["--start", "1,x"], ["--start", "'1,x'"]),
    (["--start", "1,2,3"], ["--start", "length 3"]),
    (["--family", "gamma"], ["--y passed", "value 0", "line "]),
    (["--y", "hours", "--trials", "passed"], ["--y hours / --trials passed", "line 2"]),
    (["--y", "hours", "--family", "binomial"], ["--y hours", "outside", "line 2 of exam.csv"]),
    (["--family", "poisson", "--trials", "hours"], ["--trials hours", "binomial"]),
]


@pytest.mark.parametrize(("extra", "expected"), ERRORS, ids=[" ".join(e) for e, _ in ERRORS])
def test_bad_arguments_give_one_line_and_status_2(capsys, seed_csv, extra, expected):
    base = ["trace", str(seed_csv), "--family", "binomial", "--y", "passed", "--x", "hours"]
    status, out, err = run(capsys, *base, *extra)
    assert status == 2
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith("glmlearn: error: ")
    for text in expected:
        assert text in err


@pytest.mark.parametrize(("argv", "expected"), [
    (["trace", "missing.csv", "--y", "a"], ["missing.csv", "no such file"]),
    (["trace", "--y", "a"], ["DATA.csv", "--dataset"]),
    (["trace", "--dataset", "beetle", "--y", "a"], ["--dataset", "'beetle'"]),
    (["trace", "--dataset", "beetles", "--y", "dead"], ["--y", "'dead'", "'killed'"]),
    (["trace", "--dataset", "ships", "--family", "poisson", "--y", "type"],
     ["--y type", "not a numeric column", "'A'"]),
    (["trace", "--dataset", "ships", "--family", "poisson", "--y", "incidents", "--offset",
      "log(service)"], ["--offset log(service)", "log of 0"]),
    (["trace", "--dataset", "beetles", "--x", "dose"], ["--y"]),
    (["datasets", "nope"], ["NAME", "'nope'", "beetles"]),
    (["lessons", "--port", "0"], ["--port", "0"]),
    (["frobnicate"], ["'frobnicate'", "trace"]),
])
def test_other_errors(capsys, argv, expected):
    status, _, err = run(capsys, *argv)
    assert status == 2
    assert len(err.splitlines()) == 1, err
    for text in expected:
        assert text in err


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("ragged.csv", "a,b\n1,2\n3\n", "line 3 has 1 fields but the header has 2"),
    ("dup.csv", "a,a\n1,2\n", "the header names column 'a' twice"),
    ("empty.csv", "", "is empty (expected a header line naming the columns)"),
])
def test_csv_format_errors(capsys, tmp_path, name, text, expected):
    (tmp_path / name).write_text(text)
    status, out, err = run(capsys, "trace", str(tmp_path / name), "--y", "a")
    assert status == 2
    assert out == ""
    assert err == f"glmlearn: error: data file {str(tmp_path / name)!r}: {expected}\n"


def test_a_folder_is_not_a_csv_file(capsys, tmp_path):
    status, _, err = run(capsys, "trace", str(tmp_path), "--y", "a")
    assert status == 2
    assert err == f"glmlearn: error: data file {str(tmp_path)!r}: is a directory, not a CSV file\n"


def test_no_command_prints_help(capsys):
    status, out, _ = run(capsys)
    assert status == 2
    assert "trace" in out and "datasets" in out and "lessons" in out


# --- datasets -----------------------------------------------------------------------------

def test_datasets_lists_every_dataset_with_its_title(capsys):
    status, out, _ = run(capsys, "datasets")
    assert status == 0
    for name in list_datasets():
        assert re.search(rf"^{name}\s+{re.escape(load(name).title)}$", out, re.M)


def test_datasets_name_prints_the_provenance(capsys):
    status, out, _ = run(capsys, "datasets", "beetles")
    assert status == 0
    ds = load("beetles")
    flat = " ".join(out.split())
    for text in (ds.title, ds.citation, ds.source, ds.license, *ds.columns.values()):
        assert " ".join(text.split()) in flat
    assert "beetles: 8 rows; columns dose, n, killed" in out


# --- lessons ------------------------------------------------------------------------------

def _notebook(title: str) -> str:
    return json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": [title]}],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.ipynb"))


def test_lessons_in_a_source_checkout_open_a_copy_not_the_tracked_notebooks(capsys, tmp_path,
                                                                            monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli._lessons, "running_as_root", lambda: False)
    assert cli.find_lessons().checkout
    originals = ROOT / "notebooks"
    before = {p.name: p.read_bytes() for p in originals.glob("*.ipynb")}
    status, out, _ = run(capsys, "lessons", "--print-only")
    assert status == 0
    folder = tmp_path / "glmlearn-lessons"
    assert _names(folder) == sorted(before)  # every lesson, copied
    assert all((folder / name).read_bytes() == text for name, text in before.items())
    assert out.splitlines()[-1] == f"Command: {sys.executable} -m jupyterlab --ServerApp.root_dir={folder}"
    assert "token" not in out.splitlines()[-1].lower()  # token authentication is never turned off

    # The learner edits a lesson: the next run keeps the edit, and the original is untouched.
    edited = folder / sorted(before)[0]
    edited.write_text("my notes")
    status, out, _ = run(capsys, "lessons", "--print-only")
    assert status == 0
    assert edited.read_text() == "my notes"
    assert f"Kept {len(before)} lesson(s)" in out and "never overwritten" in out
    assert {p.name: p.read_bytes() for p in originals.glob("*.ipynb")} == before


def test_lessons_originals_option_opens_the_tracked_notebooks(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli._lessons, "running_as_root", lambda: False)
    status, out, _ = run(capsys, "lessons", "--print-only", "--originals")
    assert status == 0
    folder = ROOT / "notebooks"
    assert f"--originals: opening the checkout's tracked lessons themselves, {len(_names(folder))} " \
        f"notebook(s) in {folder}; your edits change these very files" in out
    assert out.splitlines()[-1].endswith(f"--ServerApp.root_dir={folder}")
    assert list(tmp_path.iterdir()) == []  # no copy made
    status, _, err = run(capsys, "lessons", "--originals", "--dir", "mine")
    assert status == 2
    assert err == ("glmlearn: error: argument --dir: not allowed with argument --originals "
                   "(see `glmlearn lessons --help`)\n")
    status, _, err = run(capsys, "lessons", "--print-only", "--dir", str(folder))
    assert status == 2
    assert err == (f"glmlearn: error: --dir: {str(folder)!r} is where the original lessons are; "
                   "give another folder for your copy, or use --originals to open them\n")


@pytest.mark.parametrize("root", [False, True], ids=["user", "root"])
def test_lab_command_adds_allow_root_only_for_root(capsys, tmp_path, monkeypatch, root):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli._lessons.os, "geteuid", lambda: 0 if root else 1000)
    assert cli.running_as_root() is root
    folder = tmp_path / "glmlearn-lessons"
    lab = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}"]
    assert cli.lab_command(folder) == lab + (["--allow-root"] if root else [])
    status, out, _ = run(capsys, "lessons", "--print-only")
    assert status == 0
    note = "Running as root: passing --allow-root to JupyterLab (token authentication stays on)."
    assert out.splitlines().count(note) == (1 if root else 0)
    assert out.splitlines()[-1] == "Command: " + " ".join(lab + (["--allow-root"] if root else []))


def test_without_geteuid_nobody_is_root(monkeypatch):
    monkeypatch.delattr(cli._lessons.os, "geteuid", raising=False)  # as on Windows
    assert cli.running_as_root() is False


def test_allow_root_option_is_accepted(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli._lessons, "running_as_root", lambda: False)
    status, out, _ = run(capsys, "lessons", "--print-only", "--allow-root")
    assert status == 0
    assert out.splitlines()[-1].endswith(" --allow-root")
    assert out.count("--allow-root") == 1


@pytest.mark.parametrize("root", [False, True], ids=["user", "root"])
def test_options_after_double_dash_go_to_jupyterlab(capsys, tmp_path, monkeypatch, root):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli._lessons, "running_as_root", lambda: root)
    status, out, _ = run(capsys, "lessons", "--print-only", "--port", "8899", "--",
                         "--port", "9999", "--no-browser", "--ServerApp.ip=127.0.0.1")
    assert status == 0
    folder = tmp_path / "glmlearn-lessons"
    assert out.splitlines()[-1] == " ".join(
        ["Command:", sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}",
         "--port=8899", *(["--allow-root"] if root else []),
         "--port", "9999", "--no-browser", "--ServerApp.ip=127.0.0.1"])
    # Forwarded --allow-root is not doubled.
    status, out, _ = run(capsys, "lessons", "--print-only", "--", "--allow-root")
    assert out.splitlines()[-1].count("--allow-root") == 1


def test_unknown_lessons_options_say_where_jupyterlab_options_go(capsys):
    status, out, err = run(capsys, "lessons", "--ip", "0.0.0.0")
    assert status == 2
    assert out == ""
    assert err == ("glmlearn: error: unrecognized arguments: --ip 0.0.0.0; JupyterLab's own "
                   "options go after `--`: glmlearn lessons -- --ip 0.0.0.0 (see `glmlearn "
                   "lessons --help`)\n")
    # Only lessons forwards: elsewhere `--` still ends the options.
    status, out, err = run(capsys, "trace", "--y", "killed", "--x", "dose", "--trials", "n",
                           "--family", "binomial", "--", "--dataset")
    assert status == 2
    assert err.startswith("glmlearn: error: data file '--dataset': no such file")
    status, _, err = run(capsys, "trace", "--dataset", "beetles", "--y", "killed", "--bogus")
    assert err == "glmlearn: error: unrecognized arguments: --bogus (see `glmlearn trace --help`)\n"


def test_lessons_help_documents_forwarding(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["lessons", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "[-- JUPYTER_OPTION ...]" in out
    assert "glmlearn lessons -- --port 9999 --no-browser" in out
    assert "--originals" in out and "--allow-root" in out and "never overwritten" in out


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """A fake installed glmlearn (no notebooks/ beside it) with two packaged lessons."""
    package = tmp_path / "site-packages" / "glmlearn"
    (package / "lessons").mkdir(parents=True)
    for name in ("01-first.ipynb", "02-second.ipynb"):
        (package / "lessons" / name).write_text(_notebook(name))
    (package / "lessons" / "__init__.py").write_text("")  # not a lesson: never copied
    monkeypatch.setattr(cli._lessons, "PACKAGE_DIR", package)
    monkeypatch.setattr(cli._lessons, "running_as_root", lambda: False)
    monkeypatch.chdir(tmp_path)
    return package / "lessons"


def test_lessons_from_a_wheel_copy_into_a_working_folder(capsys, installed, tmp_path):
    assert not cli.find_lessons().checkout
    status, out, _ = run(capsys, "lessons", "--print-only")
    assert status == 0
    folder = tmp_path / "glmlearn-lessons"  # the default, in the current directory
    assert sorted(p.name for p in folder.iterdir()) == ["01-first.ipynb", "02-second.ipynb"]
    assert "Copied 2 lesson(s)" in out
    assert out.splitlines()[-1] == (f"Command: {sys.executable} -m jupyterlab "
                                    f"--ServerApp.root_dir={folder}")

    # A learner edits lesson 1; a newer glmlearn ships lesson 3: only lesson 3 is copied.
    (folder / "01-first.ipynb").write_text("my notes")
    (installed / "03-third.ipynb").write_text(_notebook("3"))
    status, out, _ = run(capsys, "lessons", "--print-only", "--no-browser", "--port", "8899")
    assert status == 0
    assert (folder / "01-first.ipynb").read_text() == "my notes"
    assert (folder / "03-third.ipynb").exists()
    assert "Copied 1 lesson(s) into" in out and "03-third.ipynb" in out
    assert "Kept 2 lesson(s)" in out and "never overwritten" in out
    assert out.splitlines()[-1].endswith("--port=8899 --no-browser")


def test_lessons_dir_option(capsys, installed, tmp_path):
    status, out, _ = run(capsys, "lessons", "--print-only", "--dir", "mine")
    assert status == 0
    assert (tmp_path / "mine" / "02-second.ipynb").exists()
    assert f"--ServerApp.root_dir={tmp_path / 'mine'}" in out
    (tmp_path / "afile").write_text("")
    status, _, err = run(capsys, "lessons", "--print-only", "--dir", "afile")
    assert status == 2
    assert err == (f"glmlearn: error: --dir: {str(tmp_path / 'afile')!r} exists and is not a "
                   "folder; give another folder for your copy of the lessons\n")


def test_lessons_start_jupyterlab(capsys, installed, monkeypatch):
    started = []

    class FakeLab:
        def __init__(self, cmd):
            started.append(cmd)

        def wait(self):
            return 0

    monkeypatch.setattr(cli._lessons.subprocess, "Popen", FakeLab)
    monkeypatch.setattr(cli._lessons.importlib.util, "find_spec", lambda name: object())
    status, _, _ = run(capsys, "lessons", "--no-browser", "--", "--port", "9999")
    assert status == 0
    assert started == [cli.lab_command(Path.cwd() / "glmlearn-lessons", browser=False,
                                       jupyter_args=["--port", "9999"], as_root=False)]


def test_lessons_without_jupyterlab_names_the_extra(capsys, installed, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(cli._lessons.importlib.util, "find_spec",
                        lambda name: None if name == "jupyterlab" else real(name))
    status, _, err = run(capsys, "lessons")
    assert status == 1
    assert len(err.splitlines()) == 1
    assert 'pip install "glmlearn[lessons]"' in err


def test_the_package_exports_what_it_lists():
    # glmlearn.cli is a package of modules; its public names are re-exported at the top.
    assert set(cli.__all__) <= set(dir(cli))
    assert cli.PACKAGE_DIR == ROOT / "glmlearn"  # the package folder, not glmlearn/cli/


# --- the installed command ----------------------------------------------------------------

def _console_script() -> str:
    """The ``glmlearn`` script installed beside this Python (or, failing that, on PATH)."""
    found = shutil.which("glmlearn", path=os.pathsep.join([str(Path(sys.executable).parent),
                                                           os.environ.get("PATH", "")]))
    assert found, "the glmlearn console script is not installed (pip install -e .)"
    return found


def test_console_script_and_python_dash_m(tmp_path):
    proc = subprocess.run([_console_script(), "trace", "--dataset", "beetles", "--family",
                           "binomial", "--y", "killed", "--trials", "n", "--x", "dose"],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Residual deviance: 11.23" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "glmlearn", "trace", "--dataset", "beetles",
                           "--y", "nope"], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "'nope'" in proc.stderr


# --- the wheel ----------------------------------------------------------------------------

def _can_build_offline() -> bool:
    """The project's metadata (PEP 639 licence string) needs setuptools >= 77."""
    try:
        major = int(importlib.metadata.version("setuptools").split(".")[0])
    except importlib.metadata.PackageNotFoundError:
        return False
    return major >= 77


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """Build the wheel once, from a copy of the sources (the checkout is left untouched)."""
    src = tmp_path_factory.mktemp("src")
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.egg-info")
    shutil.copytree(ROOT / "glmlearn", src / "glmlearn", ignore=ignore)
    shutil.copytree(ROOT / "notebooks", src / "notebooks", ignore=ignore)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", str(src), "-w", str(out), "--no-deps", "-q"]
    if _can_build_offline():
        cmd.append("--no-build-isolation")
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (path,) = out.glob("glmlearn-*.whl")
    return path


def test_wheel_ships_the_package_datasets_and_lessons(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    # Every module of every (sub)package of the source tree.
    for module in (ROOT / "glmlearn").rglob("*.py"):
        rel = module.relative_to(ROOT).as_posix()
        assert rel in names, f"{rel} is missing from the wheel: add its package to pyproject"
    assert "glmlearn/py.typed" in names
    for name in list_datasets():
        assert {f"glmlearn/datasets/{name}.csv", f"glmlearn/datasets/{name}.md"} <= names
    lessons = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert {f"glmlearn/lessons/{n}" for n in lessons} <= names
    assert {n for n in names if n.startswith("glmlearn/lessons/")} == {
        f"glmlearn/lessons/{n}" for n in lessons}
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "glmlearn = glmlearn.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_copies_its_lessons(wheel, tmp_path):
    target = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                           "--target", str(target), str(wheel)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    env = dict(os.environ, PYTHONPATH=str(target))  # the wheel's glmlearn, ahead of the checkout
    work = tmp_path / "work"
    work.mkdir()

    def glmlearn_cmd(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "glmlearn", *args], capture_output=True,
                              text=True, env=env, cwd=work, timeout=120)

    where = subprocess.run([sys.executable, "-c", "import glmlearn; print(glmlearn.__file__)"],
                           capture_output=True, text=True, env=env, cwd=work).stdout
    assert Path(where.strip()).is_relative_to(target)
    proc = glmlearn_cmd("lessons", "--print-only")
    assert proc.returncode == 0, proc.stderr
    lessons = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    folder = work / "glmlearn-lessons"
    assert sorted(p.name for p in folder.glob("*.ipynb")) == lessons
    assert f"--ServerApp.root_dir={folder}" in proc.stdout
    proc = glmlearn_cmd("datasets")
    assert proc.returncode == 0 and all(name in proc.stdout for name in list_datasets())


def _epilog_examples() -> list[list[str]]:
    from glmlearn.cli._parser import make_parser

    sub = next(a for a in make_parser()._actions if a.dest == "command")
    epilog = sub.choices["trace"].epilog
    return [__import__("shlex").split(line.strip())[2:] for line in epilog.splitlines()
            if line.strip().startswith("glmlearn trace --dataset")]


@pytest.mark.parametrize("argv", _epilog_examples(), ids=lambda a: a[1])
def test_every_dataset_example_of_the_help_runs(capsys, argv):
    status, out, err = run(capsys, "trace", *argv)
    assert status == 0 and err == "", err
    assert "Residual deviance:" in out


def test_subset_fits_the_rows_r_fits_and_says_so(capsys, rscript):
    r = rscript("cli_ships.R")
    status, out, _ = run(capsys, "trace", "--dataset", "ships", "--family", "poisson",
                         "--formula", "incidents ~ type + factor(year) + offset(log(service))",
                         "--subset", "service > 0")
    assert status == 0
    assert f"{r['n']} rows of dataset 'ships', rows with service > 0" in out
    np.testing.assert_allclose(last_beta(out), r["coef"], rtol=1e-6)
    np.testing.assert_allclose(float(table_rows(out)[-1][1]), r["deviance"], rtol=1e-7)


@pytest.mark.parametrize("condition, words", [
    ("servce > 0", r"--subset 'servce > 0': could not be evaluated on dataset 'ships' .*"
                   r"name 'servce' is not defined.*columns: 'type'"),
    ("service", r"--subset 'service': is not a true/false condition per row"),
    ("service > 1e9", r"--subset 'service > 1e9': keeps none of the 40 rows"),
])
def test_a_bad_subset_is_named(capsys, condition, words):
    status, _, err = run(capsys, "trace", "--dataset", "ships", "--family", "poisson",
                         "--y", "incidents", "--x", "type", "--subset", condition)
    assert status != 0 and re.search(words, err), err


@pytest.mark.parametrize("rule, converges", [("R", False), ("deviance", True)])
def test_step_halving_rule_reaches_the_fit(capsys, rule, converges):
    """The clotting times with a normal response and a log link from beta = 0 (lesson 7):
    R's rule is still far off after 25 iterations, glm2's converges; the Python fits'
    numbers are checked against R in tests/test_step_halving.py."""
    status, out, _ = run(capsys, "trace", "--dataset", "clotting", "--family", "gaussian",
                         "--link", "log", "--formula", "lot1 ~ log(u)", "--start", "0,0",
                         "--step-halving", rule)
    assert status == 0
    rows = table_rows(out)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", glmlearn.GLMWarning)
        res = glmlearn.fit("lot1 ~ log(u)", data=load("clotting").frame(), family="gaussian",
                           link="log", start=[0.0, 0.0], step_halving=rule)
    assert res.converged is converges
    assert len(rows) - 1 == res.n_iter
    np.testing.assert_allclose(float(rows[-1][1]), res.deviance, rtol=1e-6)
    assert (int(rows[1][3]) > 0) is (rule == "deviance")  # halvings at iteration 1
