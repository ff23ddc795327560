"""glmlearn.inference without R: bad input refused with messages that say what to do,
tables that print, show and convert like R's, and the relations the numbers must obey.
(The numbers themselves are checked against R in tests/test_r_inference.py.)"""

from __future__ import annotations

import re

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
