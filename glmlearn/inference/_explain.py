r"""Each number of the summary, explained from the final IRLS state, with its values.

``result.explain("se")`` says where the standard errors come from and recomputes them in
front of the reader from the states the fit kept: the last weighted least-squares step
(the state whose solution is :math:`\hat\beta`) holds the working weights :math:`W` and
the matrix :math:`X^\top W X`; its inverse times :math:`\hat\phi` is the covariance of
:math:`\hat\beta`. Every topic recomputes its number and shows that it equals the one the
summary prints, so a reader can check each step.

Topics: ``"se"``, ``"wald"`` (z or t values and p-values), ``"deviance"``,
``"null_deviance"``, ``"dispersion"``, ``"aic"``; ``explain()`` gives all of them.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import stats

from ..errors import GLMInputError
from ..results import GLMResult

__all__ = ["TOPICS", "Explanation", "explain"]


@dataclass(frozen=True)
class Explanation:
    """Lines of text: the formula, the values read from the states, the result."""

    topic: str
    lines: tuple[str, ...]

    def __str__(self) -> str:
        return "\n".join(self.lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        return ("<div class='glmlearn-explain'><pre>" + html.escape(str(self))
                + "</pre></div>")


def _g(v: float) -> str:
    return f"{v:.6g}"


def _vec(v: np.ndarray, k: int = 4) -> str:
    vals = [_g(float(x)) for x in np.ravel(v)[:k]]
    more = f", … ({np.size(v)} in all)" if np.size(v) > k else ""
    return "[" + ", ".join(vals) + more + "]"


def _steps(fit: GLMResult) -> tuple[int, int]:
    return fit.trace[-2].iteration, fit.trace[-1].iteration


def _se(fit: GLMResult) -> list[str]:
    k0, k1 = _steps(fit)
    last = fit.trace[-2]
    keep = ~np.asarray(fit.aliased)
    xtwx = np.asarray(last.xtwx)[np.ix_(keep, keep)]
    inv = np.linalg.pinv(xtwx)  # (the inverse; pinv never raises on a near-singular X'WX)
    se = np.sqrt(fit.dispersion * np.diag(inv))
    lines = [
        "Standard errors:  se_j = sqrt( phi * [(X'WX)^-1]_jj )",
        f"  W: the working weights of state {k0}, the last weighted least-squares step "
        f"(its solution is beta-hat = state {k1}'s beta, the final state)",
        f"     w = {_vec(np.asarray(last.w))}",
        f"  X'WX (state {k0}.xtwx), {xtwx.shape[0]} x {xtwx.shape[1]}:",
    ]
    if xtwx.shape[0] <= 5:
        lines += ["     [" + "  ".join(f"{v:>11.5g}" for v in row) + "]" for row in xtwx]
    lines.append(f"  diag((X'WX)^-1) = {_vec(np.diag(inv), 6)}")
    how = "fixed at 1" if fit.family.dispersion_fixed else "estimated: see explain('dispersion')"
    lines.append(f"  phi = {_g(fit.dispersion)} ({how})")
    names = [n for n, k in zip(fit.column_names, keep, strict=True) if k]
    for n, d, s in zip(names, np.diag(inv), se, strict=True):
        lines.append(f"  se[{n}] = sqrt({_g(fit.dispersion)} * {_g(float(d))}) = {_g(float(s))}")
    ok = np.allclose(se, np.asarray(fit.se)[keep], rtol=1e-10)
    lines.append(f"  = the summary's Std. Error: {ok}")
    return lines


def _wald(fit: GLMResult) -> list[str]:
    t = fit.uses_t
    lines = [f"Wald statistics:  {'t' if t else 'z'}_j = beta_j / se_j, p = 2 P(|"
             + ("T| > |t_j|), T ~ Student's t on the residual df "
                f"{fit.df_residual} (phi estimated)" if t else "Z| > |z_j|), Z ~ N(0, 1) "
                "(phi known)")]
    for n, b, s in zip(fit.column_names, fit.coef, fit.se, strict=True):
        if np.isnan(b):
            lines.append(f"  {n}: aliased, no estimate")
            continue
        stat = b / s
        p = 2 * (stats.t.sf(abs(stat), fit.df_residual) if t else stats.norm.sf(abs(stat)))
        lines.append(f"  {n}: {_g(b)} / {_g(s)} = {_g(stat)},  p = {p:.4g}")
    return lines


def _deviance(fit: GLMResult) -> list[str]:
    prob, fam = fit.problem, fit.family
    mu = np.asarray(fit.final_state.mu)
    d = np.asarray(prob.prior_weights) * fam.unit_deviance(np.asarray(prob.y), mu)
    i = int(np.argmax(d))
    return [
        "Residual deviance:  D = sum_i prior_w_i * d(y_i, mu_i), at the final state's mu",
        f"  final state {fit.trace[-1].iteration}: mu = {_vec(mu)}",
        f"  unit deviances (times prior weights) = {_vec(d)}",
        f"  the largest, {_g(float(d[i]))}, is row {i}",
        f"  D = {_g(float(d.sum()))} = state {fit.trace[-1].iteration}.deviance "
        f"{_g(fit.trace[-1].deviance)}, on {fit.df_residual} df = {prob.n_obs} observations "
        f"- rank {fit.rank}",
    ]


def _null(fit: GLMResult) -> list[str]:
    prob = fit.problem
    pw, y = np.asarray(prob.prior_weights), np.asarray(prob.y)
    if not prob.has_intercept:
        what = "mu = g^-1(offset): the model with no column at all (X has no intercept)"
    elif np.any(np.asarray(prob.offset)):
        what = "the intercept-only model refitted with the offset (IRLS once more)"
    else:
        what = (f"the intercept-only model: every mu is the weighted mean of y, "
                f"{_g(float(np.sum(pw * y) / np.sum(pw)))}")
    return [
        "Null deviance: the deviance of " + what,
        f"  null deviance = {_g(fit.null_deviance)} on {fit.df_null} df;  the model's "
        f"terms lower it by {_g(fit.null_deviance - fit.deviance)} with "
        f"{fit.df_null - fit.df_residual} df (see glmlearn.anova for term by term)",
    ]


def _dispersion(fit: GLMResult) -> list[str]:
    if fit.family.dispersion_fixed:
        return [f"Dispersion: phi = 1 for the {fit.family.name} family (its variance is "
                "V(mu) itself); nothing is estimated"]
    prob, fam = fit.problem, fit.family
    last = fit.trace[-2]
    r = (np.asarray(prob.y) - np.asarray(fit.mu)) / fam.mu_eta(np.asarray(fit.eta))
    w = np.asarray(last.w)
    total = float(np.sum((w * r**2)[np.asarray(prob.prior_weights) > 0]))
    return [
        "Dispersion:  phi = sum_i w_i r_i^2 / (n - p)",
        f"  r = (y - mu) g'(mu): the working residuals at the final state = {_vec(r)}",
        f"  w: the working weights of state {last.iteration} (the last WLS step)",
        f"  sum w r^2 = {_g(total)};  n - p = {fit.df_residual}",
        f"  phi = {_g(total)} / {fit.df_residual} = {_g(total / fit.df_residual)}"
        f"  (the summary's {_g(fit.dispersion)}; at convergence it is Pearson's X^2 / df)",
    ]


def _aic(fit: GLMResult) -> list[str]:
    k = fit.rank + (0 if fit.family.dispersion_fixed else 1)
    extra = "" if fit.family.dispersion_fixed else " + 1 for the dispersion"
    return [
        "AIC = -2 loglik + 2k",
        f"  loglik = {_g(fit.loglik)}: the {fit.family.name} log-likelihood at the final "
        "state's mu" + ("" if fit.family.dispersion_fixed
                         else " (with R's maximum-likelihood dispersion plugged in)"),
        f"  k = rank {fit.rank}{extra} = {k}",
        f"  AIC = {_g(-2 * fit.loglik)} + {2 * k} = {_g(-2 * fit.loglik + 2 * k)}"
        f"  (the summary's {_g(fit.aic)})",
    ]


TOPICS: dict[str, Callable[[GLMResult], list[str]]] = {
    "se": _se, "wald": _wald, "deviance": _deviance, "null_deviance": _null,
    "dispersion": _dispersion, "aic": _aic,
}


def explain(fit: GLMResult, topic: str | None = None) -> Explanation:
    """How one number of the summary (or, without ``topic``, each) comes from the final
    IRLS states, with the values: topics ``se``, ``wald``, ``deviance``,
    ``null_deviance``, ``dispersion``, ``aic``."""
    if topic is None:
        lines: list[str] = []
        for f in TOPICS.values():
            lines += [*f(fit), ""]
        return Explanation("all", tuple(lines[:-1]))
    if topic not in TOPICS:
        raise GLMInputError(f"topic: must be one of {', '.join(map(repr, TOPICS))}, "
                            f"got {topic!r}")
    return Explanation(topic, tuple(TOPICS[topic](fit)))
