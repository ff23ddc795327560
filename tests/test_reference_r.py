"""glmlearn against R's printed ``glm()`` output, at the precision R printed.

The references (data, call, printed numbers and where R printed them) are in
``tests/r_reference.py``. A printed number is matched by :func:`assert_matches_printed`:
glmlearn's value must lie within half a unit of the last digit R printed,
``|ours - printed| <= 0.5 * 10**(exponent of the last printed digit)``, plus a tiny slack
for binary representation. So ``"-0.0165544"`` asks for agreement to 5e-8, ``"4.28e-07"``
to 5e-10 and ``"37.99"`` to 0.005. ``"<2e-16"`` (R's ``format.pval`` below
``.Machine$double.eps``) asks for a value below 2.220446e-16.

R rounds twice in one place, and the comparison follows it: ``printCoefmat`` (which prints
``summary.glm``'s table) first rounds the z/t values to 3 decimals and the estimates and
standard errors to ``max(1, 4 - digmin)`` decimals (``digmin`` = number of digits before the
point of the smallest non-zero entry), and only then formats them to 4 significant digits.
So a t value of 36.97496 is printed ``36.98`` (via 36.975). :func:`assert_matches_printed`
takes that first rounding as ``pre_round`` and applies it to glmlearn's value before the
half-unit test. Every other number (p-values, dispersion, deviances, AIC, ``print.glm``'s
estimates) is formatted by R in one rounding.

The number of Fisher scoring iterations is compared exactly: glmlearn uses R's starting
means (``mustart``) and R's convergence test, so it should take the same steps.
"""

from __future__ import annotations

import functools
import math
import re

import numpy as np
import pytest
from r_reference import (
    NOT_COVERED,
    REFERENCES,
    WHITMORE_PROVENANCE,
    WHITMORE_X,
    WHITMORE_Y,
    Row,
    RReference,
    contr_poly,
    gl,
    interact,
    printed_digits,
    treatment,
)

import glmlearn
from glmlearn.family import binomial, gamma, gaussian, inverse_gaussian, poisson

FACTORIES = {
    "gaussian": gaussian,
    "binomial": binomial,
    "poisson": poisson,
    "gamma": gamma,
    "inverse_gaussian": inverse_gaussian,
}

#: R's .Machine$double.eps; format.pval prints "<2e-16" for p-values below it.
R_DOUBLE_EPS = float(np.finfo(float).eps)
#: print.summary.glm's digits = max(3, getOption("digits") - 3) with the default digits 7.
SUMMARY_DIGITS = 4
#: printCoefmat's dig.tst = max(1, min(5, digits - 1)): decimals the z/t values are rounded to.
DIG_TST = max(1, min(5, SUMMARY_DIGITS - 1))

_NUMBER = re.compile(r"([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?")


# ================================================================================================
# Comparing at the printed precision
# ================================================================================================


def last_digit_unit(printed: str) -> float:
    """Place value of the last digit of a printed number: ``"0.016730"`` -> 1e-6,
    ``"4.28e-07"`` -> 1e-9, ``"658771"`` -> 1."""
    text = printed.strip()
    m = _NUMBER.fullmatch(text)
    if not text or m is None or not (m.group(2) or m.group(3)):
        raise ValueError(f"not a number as R prints one: {printed!r}")
    decimals = len(m.group(3) or "")
    exponent = int(m.group(4) or 0)
    return float(10.0 ** (exponent - decimals))


def printed_mismatch(ours: float, printed: str, pre_round: int | None = None) -> str | None:
    """None when ``ours`` rounds to ``printed`` at R's printed precision, else a message.

    ``pre_round``: decimals R rounded the value to before formatting it (see module doc);
    ``ours`` is rounded the same way first.
    """
    text = printed.replace(" ", "")
    if not np.isfinite(ours):
        return f"got {ours!r}, R printed {printed!r}"
    if pre_round is not None:
        ours = round(ours, pre_round)
    if text.startswith("<"):
        bound = float(text[1:])
        # "<2e-16" is format.pval's rendering of .Machine$double.eps (2.220446e-16).
        limit = R_DOUBLE_EPS if bound == 2e-16 else bound
        if ours < limit:
            return None
        return f"got {ours!r}, R printed {printed!r} (a value below {limit!r})"
    value = float(text)
    unit = last_digit_unit(text)
    slack = 1e-9 * unit + 4 * R_DOUBLE_EPS * max(abs(value), abs(ours))
    if abs(ours - value) <= 0.5 * unit + slack:
        return None
    return (f"got {ours!r}, R printed {printed!r} "
            f"(|difference| {abs(ours - value):.3g} > half a unit of the last digit, "
            f"{0.5 * unit:.3g})")


def assert_matches_printed(ours: float, printed: str, what: str = "",
                           pre_round: int | None = None) -> None:
    """Assert that ``ours`` equals ``printed`` to the digits R printed (see module doc)."""
    problem = printed_mismatch(float(ours), printed, pre_round)
    assert problem is None, f"{what}: {problem}" if what else problem


def coef_se_decimals(rows: list[Row]) -> int:
    """Decimals printCoefmat rounds estimates and standard errors to before formatting.

    R: ``round(coef.se, max(1, digits - digmin[1]))`` with ``digmin = 1 +
    floor(log10(range(nonzero |coef.se|)))``; the smallest entry is read off R's own
    printout, so the decision is R's.
    """
    values = [abs(float(s)) for row in rows for s in (row.estimate, row.se) if s is not None]
    smallest = min(v for v in values if v != 0)
    return max(1, SUMMARY_DIGITS - (1 + math.floor(math.log10(smallest))))


# --- the rule itself, on hand-made cases -------------------------------------------------------


@pytest.mark.parametrize(
    ("ours", "printed"),
    [
        (5.129, "5.13"),            # 5.129 rounds to 5.13
        (5.1349, "5.13"),
        (5.125, "5.13"),            # an exact tie is accepted either way
        (-17.8451, "-17.85"),
        (4.2849e-07, "4.28e-07"),
        (4.2751e-07, "4.28e-07"),
        (0.0004104, "0.000410"),    # trailing zero printed: unit 1e-6
        (1829873.4, "1829873"),
        (0.99996, "1.0000"),
        (6.7e-15, "0.000"),
        (3.045449, "3.045e+00"),
        (1e-300, "<2e-16"),
        (0.0, "<2e-16"),
        (2.1e-16, "< 2e-16"),       # below .Machine$double.eps = 2.22e-16
        (56.761317, "56.76132"),
    ],
)
def test_assert_matches_printed_accepts(ours, printed):
    assert printed_mismatch(ours, printed) is None
    assert_matches_printed(ours, printed)


@pytest.mark.parametrize(
    ("ours", "printed"),
    [
        (5.1249, "5.13"),
        (5.1351, "5.13"),
        (-17.8551, "-17.85"),
        (4.2851e-07, "4.28e-07"),
        (0.0004106, "0.000410"),    # would pass at "0.00041"; the printed zero counts
        (1829873.6, "1829873"),
        (0.9999, "1.0000"),
        (3.04551, "3.045e+00"),
        (-3.045, "3.045e+00"),      # sign matters
        (3e-16, "<2e-16"),
        (2.3e-16, "<2e-16"),        # above .Machine$double.eps
        (float("nan"), "0.5"),
        (float("inf"), "<2e-16"),
    ],
)
def test_assert_matches_printed_rejects(ours, printed):
    assert printed_mismatch(ours, printed) is not None
    with pytest.raises(AssertionError):
        assert_matches_printed(ours, printed)


def test_pre_round_follows_printcoefmat():
    # clotting lot1: t = 36.97496 is rounded to 36.975 (3 decimals), then printed "36.98"
    assert printed_mismatch(36.97496, "36.98") is not None
    assert printed_mismatch(36.97496, "36.98", pre_round=DIG_TST) is None
    assert printed_mismatch(36.9849, "36.98", pre_round=DIG_TST) is None
    assert printed_mismatch(36.9856, "36.98", pre_round=DIG_TST) is not None
    with pytest.raises(AssertionError):
        assert_matches_printed(36.9651, "36.98", pre_round=DIG_TST)


def test_coef_se_decimals_reproduces_r_choices():
    # clotting lot1: smallest entry 0.0004150 -> 7 decimals ("-0.0165544")
    assert coef_se_decimals([Row("-0.0165544", "0.0009275"), Row("0.0153431", "0.0004150")]) == 7
    # budworm: smallest 0.1671 -> 4 decimals ("-2.9935")
    assert coef_se_decimals([Row("-2.9935", "0.5527"), Row("0.9060", "0.1671")]) == 4
    # birth weight: smallest 20.46 -> max(1, 4 - 2) = 2 decimals ("-1610.28")
    assert coef_se_decimals([Row("-1610.28", "786.08"), Row("120.89", "20.46")]) == 2


@pytest.mark.parametrize(
    ("printed", "unit", "digits"),
    [
        ("0.0009275", 1e-7, 4),
        ("3.045e+00", 1e-3, 4),
        ("4.28e-07", 1e-9, 3),
        ("17.815", 1e-3, 5),
        ("-0.000355", 1e-6, 3),
        ("1.0000", 1e-4, 5),
        ("658771", 1.0, 6),
        ("0.016730", 1e-6, 5),
    ],
)
def test_last_digit_unit_and_printed_digits(printed, unit, digits):
    assert last_digit_unit(printed) == pytest.approx(unit, rel=1e-12)
    assert printed_digits(printed) == digits


@pytest.mark.parametrize("bad", ["", "abc", "1.2.3", "--1", "e5"])
def test_last_digit_unit_rejects_non_numbers(bad):
    with pytest.raises(ValueError):
        last_digit_unit(bad)


# --- the R helpers the references use ----------------------------------------------------------


def test_gl_matches_r():
    # gl(3, 1, 9) and gl(2, 2, 24)[1:8] as R prints them
    assert gl(3, 1, 9).tolist() == [1, 2, 3, 1, 2, 3, 1, 2, 3]
    assert gl(3, 3).tolist() == [1, 1, 1, 2, 2, 2, 3, 3, 3]
    assert gl(2, 2, 24)[:8].tolist() == [1, 1, 2, 2, 1, 1, 2, 2]


def test_contr_poly_matches_r_printout():
    # R: contr.poly(4) prints
    #                 .L   .Q         .C
    # [1,] -0.6708204  0.5 -0.2236068
    # [2,] -0.2236068 -0.5  0.6708204
    # [3,]  0.2236068 -0.5 -0.6708204
    # [4,]  0.6708204  0.5  0.2236068
    expected = [["-0.6708204", "0.5", "-0.2236068"],
                ["-0.2236068", "-0.5", "0.6708204"],
                ["0.2236068", "-0.5", "-0.6708204"],
                ["0.6708204", "0.5", "0.2236068"]]
    got = contr_poly(4)
    for i, row in enumerate(expected):
        for j, text in enumerate(row):
            assert_matches_printed(got[i, j], text, f"contr.poly(4)[{i + 1}, {j + 1}]")


def test_treatment_and_interaction_follow_model_matrix_order():
    a = treatment([1, 2, 3, 1, 2, 3], 3)          # columns a2, a3
    b = treatment([1, 1, 1, 2, 2, 2], 2)          # column b2
    ab = interact(a, b)                           # a2:b2, a3:b2
    assert a.tolist() == [[0, 0], [1, 0], [0, 1], [0, 0], [1, 0], [0, 1]]
    assert ab.tolist() == [[0, 0], [0, 0], [0, 0], [0, 0], [1, 0], [0, 1]]
    two_by_two = interact(treatment([1, 2, 1, 2], 2),
                          np.column_stack([[1.0, 2, 3, 4], [5.0, 6, 7, 8]]))
    # columns a:b1, a:b2 -- the first factor's columns vary fastest
    assert two_by_two.tolist() == [[0, 0], [2, 6], [0, 0], [4, 8]]


# ================================================================================================
# The references
# ================================================================================================


def test_reference_names_are_unique():
    names = [r.name for r in REFERENCES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("ref", REFERENCES, ids=lambda r: r.name)
def test_reference_is_well_formed(ref: RReference):
    assert ref.family in FACTORIES
    assert ref.provenance and ref.data_provenance and ref.r_call
    assert ref.stat_kind in ("z", "t")
    d = ref.build()
    n = d.X.shape[0]
    assert d.y.shape[0] == n
    if ref.coefficients:
        assert d.X.shape[1] == len(ref.coefficients), "one printed row per column of X"
    for arr in (d.weights, d.offset):
        assert arr is None or np.shape(arr) == (n,)
    printed = [s for row in ref.coefficients.values() for s in row if s is not None]
    printed += [s for s in (ref.dispersion, ref.null_deviance, ref.deviance, ref.aic) if s]
    for text in printed:  # every printed string must parse as R prints numbers
        compact = text.replace(" ", "")
        if compact.startswith("<"):
            float(compact[1:])
        else:
            last_digit_unit(compact)
    assert ref.noise_zero <= set(ref.coefficients)


def test_family_and_link_coverage_is_as_documented():
    covered = {(r.family, r.link) for r in REFERENCES}
    for canonical in [("gaussian", "identity"), ("binomial", "logit"), ("poisson", "log"),
                      ("gamma", "inverse")]:
        assert canonical in covered
    for non_canonical in [("binomial", "probit"), ("binomial", "cloglog"),
                          ("poisson", "identity")]:
        assert non_canonical in covered
    assert not covered & set(NOT_COVERED), "update NOT_COVERED in r_reference.py"
    assert any(r.build().offset is not None for r in REFERENCES)
    assert any(r.build().weights is not None for r in REFERENCES)
    assert any(r.build().y.ndim == 2 for r in REFERENCES)


@functools.cache
def _fit(name: str) -> glmlearn.GLMResult:
    ref = next(r for r in REFERENCES if r.name == name)
    d = ref.build()
    family = FACTORIES[ref.family](link=ref.link)
    return glmlearn.fit(d.X, d.y, family, weights=d.weights, offset=d.offset)


def _check(problems: list[str], ours: float, printed: str | None, what: str,
           pre_round: int | None = None) -> None:
    if printed is None:
        return
    msg = printed_mismatch(float(ours), printed, pre_round)
    if msg:
        problems.append(f"{what}: {msg}")


def _report(ref: RReference, problems: list[str]) -> None:
    assert not problems, (
        f"{ref.name}: {ref.r_call}\nR printout: {ref.provenance}\n" + "\n".join(problems)
    )


def _refs_with(attr: str) -> list[RReference]:
    return [r for r in REFERENCES if getattr(r, attr) not in (None, {}, "")]


@pytest.mark.parametrize("ref", REFERENCES, ids=lambda r: r.name)
def test_fit_converges(ref: RReference):
    res = _fit(ref.name)
    assert res.converged, f"{ref.name} did not converge in {res.n_iter} iterations"


def _coef_column(ref: RReference, slot: int, attr: str) -> None:
    res = _fit(ref.name)
    ours = np.asarray(getattr(res, attr), dtype=float)
    rows = list(ref.coefficients.values())
    summary_table = any(row.se is not None for row in rows)  # else print.glm: one rounding
    pre_round = None
    if summary_table and slot in (0, 1):
        pre_round = coef_se_decimals(rows)
    elif summary_table and slot == 2:
        pre_round = DIG_TST
    problems: list[str] = []
    for j, (name, row) in enumerate(ref.coefficients.items()):
        printed = row[slot]
        if slot == 0 and name in ref.noise_zero:
            if not abs(ours[j]) < 1e-8:
                problems.append(f"{name} estimate: got {ours[j]!r}, exactly 0 in theory "
                                f"(R printed rounding noise {printed!r})")
            continue
        _check(problems, ours[j], printed, f"{name} {Row._fields[slot]}", pre_round)
    _report(ref, problems)


@pytest.mark.parametrize("ref", _refs_with("coefficients"), ids=lambda r: r.name)
def test_coefficients(ref: RReference):
    _coef_column(ref, 0, "coef")


@pytest.mark.parametrize(
    "ref", [r for r in _refs_with("coefficients")
            if any(row.se is not None for row in r.coefficients.values())],
    ids=lambda r: r.name)
def test_standard_errors(ref: RReference):
    _coef_column(ref, 1, "bse")


@pytest.mark.parametrize(
    "ref", [r for r in _refs_with("coefficients")
            if any(row.stat is not None for row in r.coefficients.values())],
    ids=lambda r: r.name)
def test_z_or_t_values(ref: RReference):
    _coef_column(ref, 2, "tvalues")


@pytest.mark.parametrize(
    "ref", [r for r in _refs_with("coefficients")
            if any(row.p is not None for row in r.coefficients.values())],
    ids=lambda r: r.name)
def test_p_values(ref: RReference):
    _coef_column(ref, 3, "pvalues")


@pytest.mark.parametrize("ref", _refs_with("dispersion"), ids=lambda r: r.name)
def test_dispersion(ref: RReference):
    problems: list[str] = []
    _check(problems, _fit(ref.name).dispersion, ref.dispersion, "dispersion")
    _report(ref, problems)


@pytest.mark.parametrize(
    "ref", [r for r in REFERENCES if r.deviance is not None or r.null_deviance is not None],
    ids=lambda r: r.name)
def test_deviances(ref: RReference):
    res = _fit(ref.name)
    problems: list[str] = []
    _check(problems, res.null_deviance, ref.null_deviance, "null deviance")
    _check(problems, res.deviance, ref.deviance, "residual deviance")
    _report(ref, problems)


@pytest.mark.parametrize(
    "ref", [r for r in REFERENCES if r.df_null is not None or r.df_residual is not None],
    ids=lambda r: r.name)
def test_degrees_of_freedom(ref: RReference):
    res = _fit(ref.name)
    if ref.df_null is not None:
        assert res.df_null == ref.df_null, f"{ref.name}: null df"
    if ref.df_residual is not None:
        assert res.df_residual == ref.df_residual, f"{ref.name}: residual df"


@pytest.mark.parametrize("ref", _refs_with("aic"), ids=lambda r: r.name)
def test_aic(ref: RReference):
    problems: list[str] = []
    _check(problems, _fit(ref.name).aic, ref.aic, "AIC")
    _report(ref, problems)


@pytest.mark.parametrize("ref", _refs_with("n_iter"), ids=lambda r: r.name)
def test_fisher_scoring_iterations(ref: RReference):
    res = _fit(ref.name)
    assert res.n_iter == ref.n_iter, (
        f"{ref.name}: {res.n_iter} iterations, R printed "
        f"'Number of Fisher Scoring iterations: {ref.n_iter}' ({ref.provenance})"
    )


# ================================================================================================
# A relationship R's own test suite asserts (not a printout)
# ================================================================================================


def test_inverse_gaussian_identity_weighted_is_ratio_estimate():
    """R's ig_glm.R: with weights x^2 the inverse-Gaussian identity-link MLE is sum(y)/sum(x).

    Source: ``WHITMORE_PROVENANCE``. R fits with ``epsilon = 1e-12`` and checks with
    ``all.equal`` (relative tolerance 1.5e-8); so do we.
    """
    x = np.array(WHITMORE_X, dtype=float)
    y = np.array(WHITMORE_Y, dtype=float)
    res = glmlearn.fit(x[:, None], y, inverse_gaussian(link="identity"), weights=x**2,
                       tol=1e-12, intercept=False)  # (a line through the origin)
    assert res.converged, WHITMORE_PROVENANCE
    assert res.coef[0] == pytest.approx(y.sum() / x.sum(), rel=1.5e-8), WHITMORE_PROVENANCE
