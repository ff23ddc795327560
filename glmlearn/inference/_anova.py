r"""Analysis of deviance: likelihood-ratio, F and score tests between nested models.

Two nested models :math:`M_0 \subset M_1` fitted to the same data differ in deviance by

.. math:: D_0 - D_1 = 2\{\ell(\hat\beta_1) - \ell(\hat\beta_0)\}\,\phi ,

which, under :math:`M_0`, is approximately :math:`\phi\chi^2_{d}` with
:math:`d = \text{df}_0 - \text{df}_1` the difference in residual degrees of freedom. The
tests are R's (``anova.glm``, ``anova.glmlist``, ``drop1.glm``):

* ``"Chisq"`` (or ``"LRT"``): :math:`(D_0 - D_1)/\hat\phi` against :math:`\chi^2_d`;
* ``"F"``: :math:`F = \{(D_0 - D_1)/d\}/\hat\phi` against :math:`F_{d,\,\text{df}}`, with
  :math:`\hat\phi` and its df from the largest model. When :math:`\phi` is fixed (binomial,
  Poisson) R uses :math:`\phi = 1` and an infinite denominator df -- then the F test is the
  chi-squared test divided by :math:`d` -- and warns that the F test is inappropriate;
  glmlearn does the same and says so (:class:`InferenceWarning` and a note under the table);
* ``"Rao"``: the score statistic at the smaller fit,
  :math:`U_0^\top \mathcal{I}_0^{-1} U_0 / \hat\phi`, computed as R does: the weighted
  least-squares regression of the smaller fit's working residuals on the larger model's
  columns, with the smaller fit's working weights; the statistic is the drop in the
  weighted residual sum of squares.

Every number is a reading of IRLS states: each model's deviance is its last state's, the
dispersion the full fit's (its last WLS step's weights), the score test uses the smaller
fit's last WLS step. The smaller models are refitted from the full fit's own data
(``glmlearn/inference/_refit.py``).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import stats

from .._arrays import Array
from ..errors import GLMInputError, GLMWarning
from ..problem import GLMProblem, Term
from ..results import GLMResult
from ._refit import SubFit, model_terms, refit
from ._table import Table

__all__ = ["InferenceWarning", "anova", "drop1", "sequential_anova"]

TESTS = ("Chisq", "LRT", "F", "Rao")


class InferenceWarning(GLMWarning):
    """A test or interval was computed as asked but its assumptions do not hold (an F test
    with a fixed dispersion, a profile that never reaches its cut-off)."""


def _check_test(test: Any, allowed: Sequence[str] = TESTS) -> str | None:
    if test is None:
        return None
    if test not in allowed:
        raise GLMInputError(f"test: must be one of {', '.join(map(repr, allowed))} or None, "
                            f"got {test!r}")
    return str(test)


def _weighted_rss_drop(X: Array, r: Array, w: Array, intercept: bool) -> float:
    r"""The score statistic's numerator as R computes it: the weighted sum of squares of
    ``r`` about its weighted mean (about 0 without intercept) minus the residual sum of
    squares of the weighted least-squares fit of ``r`` on ``X``."""
    keep = w > 0
    sw = np.sqrt(w[keep])
    total = float(np.sum(w * (r - np.sum(w * r) / np.sum(w)) ** 2) if intercept
                  else np.sum(w * r**2))
    coef, *_ = np.linalg.lstsq(X[keep] * sw[:, None], r[keep] * sw, rcond=None)
    rss = float(np.sum((r[keep] * sw - (X[keep] * sw[:, None]) @ coef) ** 2))
    return total - rss


def _as_subfit(res: GLMResult) -> SubFit:
    return SubFit(tuple(range(res.problem.p)), res.deviance, res.df_residual, res.rank,
                  np.asarray(res.resid_working), np.asarray(res.trace[-2].w),
                  np.asarray(res.coef), res.converged)


def _scale(res: GLMResult, test: str | None) -> tuple[float, float, tuple[str, ...]]:
    """The dispersion the tests divide by and its degrees of freedom (inf when fixed, as R
    decides: when the dispersion is 1), and the note that says so."""
    phi = float(res.dispersion)
    df = math.inf if phi == 1 else float(res.df_residual)
    notes: list[str] = []
    if test is None:
        return phi, df, ()
    if test == "F" and math.isinf(df):
        fam = res.family.name
        what = (f"using F test with a '{fam}' family is inappropriate"
                if fam in ("binomial", "poisson")
                else "using F test with a fixed dispersion is inappropriate")
        message = (f"{what}: its dispersion is fixed at 1, so F = (deviance change / Df) with "
                   "an infinite denominator df, and Pr(>F) is the Chisq test's p-value (as R "
                   "does)")
        warnings.warn(message, InferenceWarning, stacklevel=4)
        notes.append(f"Note: {message}.")
    if math.isinf(df):
        notes.append(f"Dispersion {res.family.name}: taken to be 1")
    else:
        notes.append(f"Dispersion estimated from the largest model: {phi:.6g} on "
                     f"{res.df_residual:g} df")
    return phi, df, tuple(notes)


def _test_columns(df: Array, dev: Array, scale: float, df_scale: float, test: str | None,
                  rao: Array | None) -> tuple[list[str], list[Array]]:
    """R's ``stat.anova``: the columns a test adds to a table."""
    if test is None:
        return [], []
    with np.errstate(invalid="ignore", divide="ignore"):
        if test in ("Chisq", "LRT", "Rao"):
            stat = (rao if test == "Rao" else dev) / scale * np.sign(df)  # type: ignore[operator]
            stat = np.where((df == 0) | (stat < 0), np.nan, stat)
            return ["Pr(>Chi)"], [stats.chi2.sf(stat, np.abs(df))]
        F = dev / df / scale
        F = np.where((df == 0) | (F < 0), np.nan, F)
        p = stats.f.sf(F, np.abs(df), df_scale) if math.isfinite(df_scale) \
            else stats.chi2.sf(F * np.abs(df), np.abs(df))
        return ["F", "Pr(>F)"], [F, p]


def _model_line(res: GLMResult) -> str:
    fam = res.family
    return f"Model: {fam.name}, link: {fam.link.name}"


# --- terms added one by one ---------------------------------------------------------------

def sequential_anova(fit: GLMResult, test: str | None = None, *, terms: Any = None) -> Table:
    r"""R's ``anova(fit)``: the terms added one at a time, first to last.

    Row ``NULL`` is the null model (the intercept, or nothing); the row of each term gives
    the drop in deviance when it is added to the terms above it (``Df``, ``Deviance``) and
    the residual df and deviance of the model up to it (``Resid. Df``, ``Resid. Dev``).

    Parameters
    ----------
    fit : GLMResult
    test : {"Chisq", "LRT", "F", "Rao"} or None
    terms : mapping of str to column names or indices, optional
        Which columns make each term (e.g. the dummies of one factor), in order. By default
        a formula fit's terms, or one term per column of X, the intercept making the null
        model.
    """
    test = _check_test(test)
    problem = fit.problem
    null, tl = model_terms(problem, terms)
    _check_terms_cover(problem, null, tl)
    phi, df_phi, notes = _scale(fit, test)
    cols = list(null)
    fits: list[SubFit] = []
    start = refit(problem, cols, what="null model") if test == "Rao" else None
    for i, term in enumerate(tl):
        cols += list(term.columns)
        if i == len(tl) - 1 and len(cols) == problem.p:
            fits.append(_as_subfit(fit))
        else:
            fits.append(refit(problem, cols, what=f"up to {term.name}"))
    resdf = np.array([fit.df_null] + [f.df_residual for f in fits], dtype=float)
    resdev = np.array([fit.null_deviance] + [f.deviance for f in fits])
    df = np.r_[np.nan, -np.diff(resdf)]
    dev = np.r_[np.nan, np.maximum(0.0, -np.diff(resdev))]
    names = ["Df", "Deviance", "Resid. Df", "Resid. Dev"]
    columns = [df, dev, resdf, resdev]
    rao = None
    if test == "Rao":
        assert start is not None
        prev, score = start, [math.nan]
        for f in fits:
            score.append(_weighted_rss_drop(problem.X[:, list(f.columns)], prev.resid_working,
                                            prev.w, bool(null)))
            prev = f
        rao = np.array(score)
        names.append("Rao")
        columns.append(rao)
    extra_names, extra = _test_columns(df, dev, phi, df_phi, test, rao)
    heading = ("Analysis of Deviance Table", "", _model_line(fit), "",
               f"Response: {problem.response_name}", "",
               "Terms added sequentially (first to last)")
    return Table(heading, ("NULL", *(t.name for t in tl)), (*names, *extra_names),
                 np.column_stack(columns + extra), notes)


def _check_terms_cover(problem: GLMProblem, null: Sequence[int], tl: Sequence[Term]) -> None:
    if not tl:
        raise GLMInputError("fit: the model has no term beyond the intercept; an analysis of "
                            "deviance compares it with nothing")


# --- nested fits --------------------------------------------------------------------------

def _same_data(a: GLMResult, b: GLMResult, i: int) -> None:
    pa, pb = a.problem, b.problem
    if pa.n != pb.n:
        raise GLMInputError(
            f"fits: fit {i + 1} has {pb.n} rows and fit 1 has {pa.n}: models were not all "
            "fitted to the same size of dataset; fit every model to the same rows")
    for what, u, v in (("response y", pa.y, pb.y), ("prior weights", pa.prior_weights,
                                                   pb.prior_weights),
                       ("offset", pa.offset, pb.offset)):
        if not np.array_equal(np.asarray(u), np.asarray(v)):
            j = int(np.flatnonzero(np.asarray(u) != np.asarray(v))[0])
            raise GLMInputError(
                f"fits: fit {i + 1}'s {what} differs from fit 1's (first at index {j}: "
                f"{float(v[j]):g} vs {float(u[j]):g}); nested models share their data")
    fa, fb = pa.family, pb.family
    if (fa.name, fa.link.name) != (fb.name, fb.link.name):
        raise GLMInputError(
            f"fits: fit {i + 1} is {fb.name} with link {fb.link.name} and fit 1 is {fa.name} "
            f"with link {fa.link.name}; a deviance test compares models of one family and link")


def _outside_span(small: GLMResult, big: GLMResult) -> int | None:
    """The first column of ``small``'s X not in the column space of ``big``'s, or None."""
    Xb = np.asarray(big.problem.X)[:, ~big.aliased]
    Xs = np.asarray(small.problem.X)[:, ~small.aliased]
    coef, *_ = np.linalg.lstsq(Xb, Xs, rcond=None)
    resid = np.linalg.norm(Xs - Xb @ coef, axis=0)
    scale = np.maximum(np.linalg.norm(Xs, axis=0), 1e-300)
    bad = np.flatnonzero(resid > 1e-8 * scale)
    if not bad.size:
        return None
    return int(np.flatnonzero(~small.aliased)[bad[0]])


def anova(*fits: GLMResult, test: str | None = None, terms: Any = None) -> Table:
    r"""Analysis of deviance (R's ``anova``).

    One fit: the sequential table, terms added first to last (:func:`sequential_anova`).
    Several nested fits, smallest first (or largest first): one row per model with its
    ``Resid. Df`` and ``Resid. Dev``, and, from the second row, the change from the row
    above (``Df``, ``Deviance``) and its test.

    Parameters
    ----------
    *fits : GLMResult
        Fitted to the same rows, response, prior weights and offset, with one family and
        link; each model's columns must span a subspace of the next one's (or contain it).
    test : {"Chisq", "LRT", "F", "Rao"} or None
        The dispersion of the largest model (the one with fewest residual df) scales every
        test, as in R.
    terms : mapping, optional
        Only with one fit: see :func:`sequential_anova`.

    Raises
    ------
    GLMInputError
        No fit, fits of different data or families, or fits that are not nested.
    """
    if not fits:
        raise GLMInputError("fits: give at least one fitted model (a GLMResult)")
    for i, f in enumerate(fits):
        if not isinstance(f, GLMResult):
            raise GLMInputError(f"fits: argument {i + 1} is a {type(f).__name__}, not a fitted "
                                "model (GLMResult from glmlearn.fit)")
    if len(fits) == 1:
        return sequential_anova(fits[0], test, terms=terms)
    if terms is not None:
        raise GLMInputError("terms: only for the sequential table of one fit")
    test = _check_test(test)
    for i, f in enumerate(fits[1:], start=1):
        _same_data(fits[0], f, i)
    for i in range(len(fits) - 1):
        a, b = fits[i], fits[i + 1]
        small, big, ks, kb = (a, b, i, i + 1) if a.df_residual >= b.df_residual \
            else (b, a, i + 1, i)
        j = _outside_span(small, big)
        if j is not None:
            raise GLMInputError(
                f"fits: fit {ks + 1} and fit {kb + 1} are not nested: column "
                f"{small.column_names[j]!r} of fit {ks + 1} is not in the column space of fit "
                f"{kb + 1}; a deviance test compares a model with one that contains it")
    resdf = np.array([f.df_residual for f in fits], dtype=float)
    resdev = np.array([f.deviance for f in fits])
    df = np.r_[np.nan, -np.diff(resdf)]
    dev = np.r_[np.nan, -np.diff(resdev)]
    names = ["Resid. Df", "Resid. Dev", "Df", "Deviance"]
    columns = [resdf, resdev, df, dev]
    rao = None
    if test == "Rao":
        score = [math.nan]
        for i in range(len(fits) - 1):
            m1, m2 = (fits[i], fits[i + 1]) if df[i + 1] > 0 else (fits[i + 1], fits[i])
            s = _weighted_rss_drop(np.asarray(m2.problem.X), np.asarray(m1.resid_working),
                                   np.asarray(m1.trace[-2].w), m1.problem.has_intercept)
            score.append(s if df[i + 1] >= 0 else -s)
        rao = np.array(score)
        names.append("Rao")
        columns.append(rao)
    big = fits[int(np.argmin(resdf))]
    phi, df_phi, notes = _scale(big, test)
    if math.isfinite(df_phi):
        df_phi = float(resdf.min())
    extra_names, extra = _test_columns(df, dev, phi, df_phi, test, rao)
    heading = ("Analysis of Deviance Table", "", _model_line(fits[0]), "",
               *(f"Model {k + 1}: {fit.problem.response_name} ~ "
                 + " + ".join(fit.column_names) for k, fit in enumerate(fits)))
    return Table(heading, tuple(str(k + 1) for k in range(len(fits))),
                 (*names, *extra_names), np.column_stack(columns + extra), notes)


# --- single-term deletions ----------------------------------------------------------------

def _droppable(tl: Sequence[Term]) -> list[Term]:
    """R's ``drop.scope``: terms not contained in a higher-order term (``a`` stays while
    ``a:b`` is in the model)."""
    parts = [frozenset(t.name.split(":")) for t in tl]
    return [t for t, p in zip(tl, parts, strict=True)
            if not any(p < q for q in parts)]


def drop1(fit: GLMResult, test: str | None = None, *, terms: Any = None) -> Table:
    r"""R's ``drop1``: the model refitted without each term in turn.

    Row ``<none>`` is the full model. Each other row is the model without one term (a term
    inside an interaction that stays is not dropped, as R's ``drop.scope``): ``Df`` is the
    number of coefficients lost, ``Deviance`` the smaller model's deviance, ``AIC`` its AIC
    (R's ``extractAIC``: deviance/:math:`\hat\phi` + 2 rank, shifted so that the full
    model's is its AIC; for the gaussian family :math:`n\log(D/n) + 2\,\text{rank}`).

    Parameters
    ----------
    test : {"Chisq", "LRT", "F", "Rao"} or None
        ``"Chisq"``/``"LRT"`` add ``LRT`` (``scaled dev.`` when the dispersion is not 1),
        the rise in deviance over :math:`\hat\phi`, and ``Pr(>Chi)``; ``"Rao"`` adds the
        score statistic (``Rao score`` or ``scaled Rao sc.``); ``"F"`` adds ``F value`` and
        ``Pr(>F)``, the dispersion estimated as the full model's deviance over its residual
        df (R warns that an F test of a binomial or Poisson fit assumes the quasi family;
        so does glmlearn).
    terms : mapping, optional
        As for :func:`sequential_anova`.
    """
    test = _check_test(test)
    problem = fit.problem
    null, tl = model_terms(problem, terms)
    _check_terms_cover(problem, null, tl)
    scope = _droppable(tl)
    n = problem.n
    dfs, devs, scores = [fit.rank], [fit.deviance], [math.nan]
    for term in scope:
        keep = [j for j in range(problem.p) if j not in term.columns]
        sub = refit(problem, keep, what=f"without {term.name}")
        dfs.append(sub.rank)
        devs.append(sub.deviance)
        if test == "Rao":
            scores.append(_weighted_rss_drop(np.asarray(problem.X), sub.resid_working,
                                             sub.w, True))
    dev = np.array(devs)
    rank = np.array(dfs, dtype=float)
    phi = float(fit.dispersion)
    fam = fit.family.name
    with np.errstate(divide="ignore"):
        loglik = n * np.log(dev / n) if fam == "gaussian" else dev / phi
    aic = loglik + 2 * rank
    aic = aic + (fit.aic - aic[0])
    df = np.r_[np.nan, rank[0] - rank[1:]]
    names = ["Df", "Deviance", "AIC"]
    columns = [df, dev, aic]
    notes: list[str] = []
    if test in ("Chisq", "LRT"):
        lrt = np.r_[np.nan, np.maximum(0.0, loglik[1:] - loglik[0])]
        names += ["LRT" if phi == 1 else "scaled dev.", "Pr(>Chi)"]
        columns += [lrt, stats.chi2.sf(lrt, df)]
    elif test == "Rao":
        sc = np.r_[np.nan, np.maximum(0.0, np.array(scores[1:]))] / phi
        names += ["Rao score" if phi == 1 else "scaled Rao sc.", "Pr(>Chi)"]
        columns += [sc, stats.chi2.sf(sc, df)]
    elif test == "F":
        if fam in ("binomial", "poisson"):
            message = (f"F test assumes 'quasi{fam}' family: the dispersion is estimated as "
                       f"deviance / residual df = {fit.deviance / fit.df_residual:.6g} "
                       "instead of being fixed at 1 (as R does)")
            warnings.warn(message, InferenceWarning, stacklevel=2)
            notes.append(f"Note: {message}.")
        rms = dev[0] / fit.df_residual
        rise = np.maximum(0.0, dev - dev[0])
        with np.errstate(invalid="ignore", divide="ignore"):
            F = np.where(df < 1e-4, np.nan, rise / df / rms)
            names += ["F value", "Pr(>F)"]
            columns += [F, stats.f.sf(F, df, fit.df_residual)]
    heading = ("Single term deletions", "", _model_line(fit), "",
               f"Response: {problem.response_name}")
    return Table(heading, ("<none>", *(t.name for t in scope)), tuple(names),
                 np.column_stack(columns), tuple(notes))
