r"""The fitted model: :class:`GLMResult`, built from the last IRLS state.

Inference follows R's ``summary.glm``:

* covariance :math:`\widehat{\operatorname{Cov}}(\hat\beta) = \hat\phi\,(X^\top W X)^{-1}`,
  with :math:`W` the working weights of the last WLS step (the one whose solution is
  :math:`\hat\beta`, i.e. the weights at the previous iterate, exactly as R and
  statsmodels do);
* dispersion :math:`\hat\phi = 1` for binomial and Poisson, otherwise
  :math:`\sum_i w_i r_i^2 / (n - p)` with the working residuals
  :math:`r = (y - \hat\mu)\, g'(\hat\mu)` and the same :math:`w` (R's formula; at exact
  convergence it is Pearson's :math:`X^2 / (n - p)`);
* Wald statistics :math:`\hat\beta_j / \mathrm{se}_j`, referred to :math:`N(0, 1)` when
  :math:`\phi` is known and to :math:`t_{n-p}` when it is estimated.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Literal, NamedTuple

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from ._arrays import Array, readonly
from ._diagnostics import Diagnosis, Trouble
from ._irls import IRLSState, run_irls
from ._prediction import quantile, rows_to_predict
from ._rsummary import iterations_name, r_summary_lines
from .errors import GLMInputError
from .linalg import covariance
from .problem import GLMProblem

__all__ = ["GLMResult", "Prediction", "PredictionInterval", "Summary", "result_from_trace"]


class Prediction(NamedTuple):
    """Predictions with their standard errors (``predict(..., se=True)``)."""

    fit: Array
    se: Array


class PredictionInterval(NamedTuple):
    """Predictions with standard errors and a confidence interval
    (``predict(..., interval=0.95)``): the interval is made on the link scale."""

    fit: Array
    se: Array
    lower: Array
    upper: Array


@dataclass(frozen=True, eq=False)
class GLMResult:
    r"""A fitted GLM: estimates, inference, residuals and the whole IRLS trace.

    Attributes
    ----------
    coef : ndarray
        :math:`\hat\beta` (NaN for aliased columns, as in R).
    cov_unscaled : ndarray
        :math:`(X^\top W X)^{-1}` with the weights of the last WLS step.
    dispersion : float
        :math:`\hat\phi` (see module docstring).
    deviance, null_deviance : float
        Residual deviance and the deviance of the intercept-only model (with offset).
    df_residual, df_null : int
        :math:`n - \operatorname{rank}(X)` and :math:`n - 1` (:math:`n` without intercept),
        :math:`n` counting observations with positive prior weight.
    rank : int
        Number of non-aliased columns.
    loglik, aic, bic : float
        As R's ``logLik``, ``AIC`` and ``BIC``: :math:`\mathrm{AIC} = -2\ell + 2k`,
        :math:`\mathrm{BIC} = -2\ell + k \log n`, with :math:`k` the rank plus one when
        the dispersion is estimated. One deliberate difference, for rows of prior weight
        zero (checked against R 4.2.2 in ``tests/test_r_live.py``): glmlearn leaves them
        out of :math:`\ell` and of :math:`n`, which is what R gives for the same fit
        without those rows, while R keeps them in BIC's :math:`n` (``logLik.glm``'s
        ``nobs`` counts every row) and, for the gaussian family, in the likelihood too
        (``gaussian()$aic`` adds :math:`-\sum \log w_i = +\infty`, so R's AIC and BIC
        are ``Inf``). For Poisson counts that are not whole numbers :math:`\ell` is
        :math:`-\infty` and both criteria are ``inf``, as in R. NaN for a quasi family,
        which has no likelihood (R: NA; the summary prints NA).
    converged : bool
    n_iter : int
        Number of WLS steps (R's "Fisher Scoring iterations").
    trace : tuple of IRLSState
        Every state, from the starting values to the last iteration.
    aliased : ndarray of bool
        Columns found to be linear combinations of earlier ones.
    separation : str or None
        ``"complete"``, ``"quasi-complete"`` or None (binomial only).
    boundary : bool
        Fitted means numerically at the edge of the family's range.
    troubles : tuple of Trouble
        Every numerical trouble the fit met, each with its warning category (``kind``),
        its ``flag`` and its ``message`` (see ``glmlearn/_diagnostics.py``); ``fit()``
        warned once for each. :attr:`flags` and :attr:`warnings` are read from them.

    Names
    -----
    The textbook symbols are the primary names: :attr:`beta`, :attr:`se`, :attr:`eta`,
    :attr:`mu`, :attr:`w`. R's and statsmodels' names are kept as aliases:
    ``coef`` (R) for ``beta``; ``bse`` (statsmodels) for ``se``; ``tvalues`` for the Wald
    statistics; ``fitted_values`` for ``mu``; ``linear_predictor`` for ``eta``;
    ``working_weights`` for ``w``.
    """

    problem: GLMProblem = field(repr=False)
    trace: tuple[IRLSState, ...] = field(repr=False)
    coef: Array
    deviance: float
    df_residual: int
    df_null: int
    rank: int
    converged: bool
    n_iter: int
    aliased: NDArray[np.bool_] = field(repr=False)
    separation: str | None = None
    boundary: bool = False
    troubles: tuple[Trouble, ...] = ()

    # --- computed from the trace when first read (a fit that is never asked for them,
    # a lesson's or a benchmark's, does not pay for them), the same numbers every time --
    @cached_property
    def cov_unscaled(self) -> Array:
        r""":math:`(X^\top W X)^{-1}` with the weights of the last WLS step (NaN rows and
        columns for aliased coefficients)."""
        # As R (and statsmodels) do, inference uses the weights of the last WLS step: the
        # state whose weighted least-squares solution is beta-hat. The weights themselves
        # are only needed if X'WX is too ill conditioned for Cholesky: for a compact
        # trace, reading them means recomputing the state's vectors.
        # (Newton's and gradient ascent's steps carry their own curvature: R's covariance
        # is the expected information's, formed here from the Fisher weights.)
        last_step = self.trace[-2]
        fisher = last_step._fisher_step
        return readonly(covariance(self.problem.X, lambda: last_step._fisher_weights,
                                   self.aliased, gram=last_step.xtwx if fisher else None))

    @cached_property
    def dispersion(self) -> float:
        r""":math:`\hat\phi` (see the module docstring)."""
        return _dispersion(self.problem, self.trace[-1], self.trace[-2], self.df_residual)

    @cached_property
    def null_deviance(self) -> float:
        """Deviance of the intercept-only model (with the offset)."""
        return _null_deviance(self.problem)

    @cached_property
    def loglik(self) -> float:
        """R's ``logLik`` at the fitted means."""
        return self.problem.family.loglik(self.problem.y, self.trace[-1].mu,
                                          self.problem.prior_weights)

    @property
    def _n_params(self) -> int:
        """AIC's and BIC's k: the rank, plus one when the dispersion is estimated."""
        return self.rank + (0 if self.problem.family.dispersion_fixed else 1)

    @cached_property
    def aic(self) -> float:
        r"""R's ``AIC``: :math:`-2\ell + 2k`."""
        return self.problem.family.aic(self.problem.y, self.trace[-1].mu,
                                       self.problem.prior_weights, self.rank,
                                       loglik=self.loglik)

    @cached_property
    def bic(self) -> float:
        r"""R's ``BIC``: :math:`-2\ell + k \log n`."""
        return -2 * self.loglik + math.log(self.problem.n_obs) * self._n_params

    # --- the final state's vectors --------------------------------------------------------
    @property
    def family(self) -> Any:
        """The family (with its link)."""
        return self.problem.family

    @property
    def final_state(self) -> IRLSState:
        """The last IRLS state."""
        return self.trace[-1]

    @property
    def beta(self) -> Array:
        r""":math:`\hat\beta` (NaN for aliased columns; alias: ``coef``)."""
        return self.coef

    @property
    def mu(self) -> Array:
        r"""Fitted means :math:`\hat\mu` (proportions for binomial; alias: ``fitted_values``)."""
        return self.final_state.mu

    @property
    def eta(self) -> Array:
        r""":math:`\hat\eta = X\hat\beta + o` (alias: ``linear_predictor``)."""
        return self.final_state.eta

    @property
    def w(self) -> Array:
        r"""Working weights at the fitted means (alias: ``working_weights``)."""
        return self.final_state.w

    @property
    def fitted_values(self) -> Array:
        """Alias of :attr:`mu` (statsmodels' and R's name)."""
        return self.mu

    @property
    def linear_predictor(self) -> Array:
        """Alias of :attr:`eta` (R's name)."""
        return self.eta

    @property
    def working_weights(self) -> Array:
        """Alias of :attr:`w`."""
        return self.w

    @property
    def column_names(self) -> tuple[str, ...]:
        """Names of the coefficients."""
        return self.problem.column_names

    @property
    def rank_deficient(self) -> bool:
        """True when some columns of X were aliased."""
        return bool(self.aliased.any())

    @property
    def aliased_names(self) -> tuple[str, ...]:
        """Names of the aliased columns."""
        return tuple(n for n, a in zip(self.column_names, self.aliased, strict=True) if a)

    @property
    def flags(self) -> frozenset[str]:
        """The flag of every trouble met (see :attr:`troubles`): a subset of
        ``{"not_converged", "false_convergence", "separation", "infinite_estimate",
        "boundary", "rank_deficient", "ill_conditioned", "no_residual_df", "step_halving",
        "non_integer", "no_intercept", "na_omit"}`` (the table in ``glmlearn/_diagnostics.py``; and,
        for a negative binomial with theta estimated, ``"theta_infinite"``,
        ``"theta_at_zero"``, ``"theta_not_converged"``)."""
        return frozenset(t.flag for t in self.troubles)

    @property
    def warnings(self) -> tuple[str, ...]:
        """The message of every trouble met, in order (see :attr:`troubles`)."""
        return tuple(t.message for t in self.troubles)

    # --- inference -----------------------------------------------------------------------
    @property
    def cov_params(self) -> Array:
        r""":math:`\hat\phi\,(X^\top W X)^{-1}`."""
        return self.dispersion * self.cov_unscaled

    @property
    def se(self) -> Array:
        r"""Standard errors :math:`\sqrt{\hat\phi\,[(X^\top W X)^{-1}]_{jj}}` (alias: ``bse``)."""
        return np.sqrt(np.diag(self.cov_params))

    @property
    def bse(self) -> Array:
        """Alias of :attr:`se` (statsmodels' name)."""
        return self.se

    @property
    def uses_t(self) -> bool:
        """True when the dispersion is estimated, so tests use Student's t."""
        return not self.problem.family.dispersion_fixed

    @property
    def tvalues(self) -> Array:
        """Wald statistics ``coef / bse`` (z or t values)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.coef / self.bse

    @property
    def pvalues(self) -> Array:
        """Two-sided p-values of the Wald statistics."""
        t = np.abs(self.tvalues)
        if self.uses_t:
            return 2 * stats.t.sf(t, self.df_residual)
        return 2 * stats.norm.sf(t)

    def conf_int(self, level: float = 0.95, method: str = "wald", which: Any = None) -> Any:
        r"""Confidence intervals named by coefficient; ``np.asarray`` gives the ``(p, 2)``
        array (and ``ci[:, 0]``, ``ci.shape`` work on it directly).

        ``method="wald"`` (default): :math:`\hat\beta_j \pm z_{1-\alpha/2}\,\mathrm{se}_j`
        with normal quantiles, as R's ``confint.default``. ``method="profile"``: profile
        likelihood, as R's ``confint`` on a glm (MASS); see
        :func:`glmlearn.inference.conf_int`.
        """
        from .inference import conf_int

        return conf_int(self, level, method, which)

    def profile(self, which: Any, level: float = 0.95) -> Any:
        """One coefficient's profile deviance and both intervals; see
        :func:`glmlearn.inference.profile` (pictured by ``glmlearn.plot.draw_profile``)."""
        from .inference import profile

        return profile(self, which, level)

    # --- what a course does with the fit (glmlearn/inference/) ----------------------------
    def anova(self, test: str | None = None, *, terms: Any = None) -> Any:
        """Sequential analysis of deviance, terms added first to last (R's ``anova``); see
        :func:`glmlearn.inference.sequential_anova`."""
        from .inference import sequential_anova

        return sequential_anova(self, test, terms=terms)

    def drop1(self, test: str | None = None, *, terms: Any = None) -> Any:
        """Single-term deletions (R's ``drop1``); see :func:`glmlearn.inference.drop1`."""
        from .inference import drop1

        return drop1(self, test, terms=terms)

    def influence(self) -> Any:
        """Hat values, standardised and studentised residuals, Cook's distances (R's
        ``hatvalues``, ``rstandard``, ``rstudent``, ``cooks.distance``, from the last WLS
        step's weights); see :func:`glmlearn.inference.influence`."""
        from .inference import influence

        return influence(self)

    def explain(self, topic: str | None = None) -> Any:
        """How a number of the summary (``"se"``, ``"wald"``, ``"deviance"``,
        ``"null_deviance"``, ``"dispersion"``, ``"aic"``; all without ``topic``) comes from
        the final IRLS states, with the values; see :func:`glmlearn.inference.explain`."""
        from .inference import explain

        return explain(self, topic)

    # --- residuals -----------------------------------------------------------------------
    @property
    def resid_response(self) -> Array:
        r"""Response residuals :math:`y - \hat\mu`."""
        return self.problem.y - self.fitted_values

    @property
    def resid_working(self) -> Array:
        r"""Working residuals :math:`(y - \hat\mu)\, g'(\hat\mu) = z - \hat\eta`."""
        return self.resid_response / self.family.mu_eta(self.linear_predictor)

    @property
    def resid_pearson(self) -> Array:
        r"""Pearson residuals :math:`\sqrt{w^{\text{prior}}}(y - \hat\mu)/\sqrt{V(\hat\mu)}`."""
        return (np.sqrt(self.problem.prior_weights) * self.resid_response
                / np.sqrt(self.family.variance(self.fitted_values)))

    @property
    def resid_deviance(self) -> Array:
        r"""Deviance residuals
        :math:`\operatorname{sign}(y - \hat\mu)\sqrt{w^{\text{prior}} d(y, \hat\mu)}`.

        Their squares sum to the deviance.
        """
        d = self.problem.prior_weights * self.family.unit_deviance(self.problem.y,
                                                                   self.fitted_values)
        return np.sign(self.resid_response) * np.sqrt(np.maximum(d, 0.0))

    def residuals(self, kind: Literal["deviance", "pearson", "working", "response",
                                      "quantile"] = "deviance", *, rng: Any = None) -> Array:
        """Residuals of the given kind (R's default: deviance).

        ``"quantile"``: randomised quantile residuals (Dunn & Smyth 1996; see
        :mod:`glmlearn._quantile`), standard normal when the model is right; ``rng`` (a
        seed or a :class:`numpy.random.Generator`) draws the uniforms of a discrete family.
        """
        if kind == "quantile":
            from ._quantile import quantile_residuals

            return quantile_residuals(self, rng)
        kinds = {"deviance": "resid_deviance", "pearson": "resid_pearson",
                 "working": "resid_working", "response": "resid_response"}
        if kind not in kinds:
            raise GLMInputError(f"kind: must be one of "
                                f"{', '.join(map(repr, [*kinds, 'quantile']))}, got {kind!r}")
        return np.asarray(getattr(self, kinds[kind]))

    # --- prediction ----------------------------------------------------------------------
    def predict(
        self,
        X_new: Any = None,
        kind: Literal["link", "response"] = "response",
        *,
        newdata: Any = None,
        offset: Any = None,
        se: bool = False,
        interval: float | None = None,
    ) -> Array | Prediction | PredictionInterval:
        r"""Predict :math:`\eta` (``kind="link"``) or :math:`\mu` (``kind="response"``).

        Parameters
        ----------
        X_new : array or DataFrame of design columns, optional
            Rows of X, used by position (a DataFrame whose column names disagree with the
            fit's warns a :class:`~glmlearn.errors.ColumnNamesWarning`).
        newdata : DataFrame, optional
            For a formula fit: the variables; the design is rebuilt from the stored
            formula (the same factor levels, transforms, offset and exposure columns),
            columns matched by name. A DataFrame given as ``X_new`` to a formula fit is
            read as ``newdata``. Without either: the fit's own rows.
        offset : array, optional
            An offset for the new rows (added to the one the formula defines).
        se : bool
            Return a :class:`Prediction` with standard errors.
        interval : float, optional
            A confidence level (e.g. 0.95): return a :class:`PredictionInterval` with
            ``lower`` and ``upper``, made on the link scale and carried to the response
            scale.

        Notes
        -----
        :math:`\mathrm{se}(\hat\eta) = \sqrt{x^\top \widehat{\operatorname{Cov}}(\hat\beta)\, x}`
        and, on the response scale, the delta method
        :math:`\mathrm{se}(\hat\mu) = |d\mu/d\eta|\,\mathrm{se}(\hat\eta)` (as R's
        ``predict.glm``); the interval is :math:`g^{-1}(\hat\eta \pm q\,\mathrm{se})`
        (see ``glmlearn/_prediction.py``).
        """
        if kind not in ("link", "response"):
            raise GLMInputError(f"kind: must be 'link' or 'response', got {kind!r}")
        Xn, off = rows_to_predict(self.problem, X_new, newdata, offset)
        keep = ~self.aliased
        eta = Xn[:, keep] @ self.coef[keep] + off
        out = eta if kind == "link" else self.family.link_inverse(eta)
        if not se and interval is None:
            return out
        cov = self.cov_params[np.ix_(keep, keep)]
        # x' Cov x >= 0 in exact arithmetic; with a covariance as ill conditioned as that of
        # coefficients running off to infinity, rounding can make it a little negative
        quad = np.einsum("ij,jk,ik->i", Xn[:, keep], cov, Xn[:, keep])
        se_eta = np.sqrt(np.maximum(quad, 0.0))
        se_out = se_eta if kind == "link" else np.abs(self.family.mu_eta(eta)) * se_eta
        if interval is None:
            return Prediction(out, se_out)
        q = quantile(interval, self.family.dispersion_fixed, self.df_residual)
        lower, upper = eta - q * se_eta, eta + q * se_eta
        if kind == "response":  # (a decreasing link swaps the ends)
            ends = self.family.link_inverse(np.stack([lower, upper]))
            lower, upper = ends.min(axis=0), ends.max(axis=0)
        return PredictionInterval(out, se_out, lower, upper)

    @property
    def index(self) -> Any:
        """The labels of the rows fitted (a formula fit: the DataFrame's index, rows left
        out for missing values excluded), or None for a fit from arrays."""
        design = self.problem.design
        return None if design is None else design.index

    def fitted_series(self, kind: Literal["response", "link"] = "response") -> Any:
        r"""The fitted values (:math:`\hat\mu`, or :math:`\hat\eta` with ``kind="link"``)
        as a pandas Series on the data's index (:attr:`index`)."""
        values = self.mu if kind == "response" else self.eta
        return self._series(values, "fitted" if kind == "response" else "eta")

    def residual_series(self, kind: Literal["deviance", "pearson", "working", "response"]
                        = "deviance") -> Any:
        """:meth:`residuals` as a pandas Series on the data's index (:attr:`index`)."""
        return self._series(self.residuals(kind), f"resid_{kind}")

    def _series(self, values: Array, name: str) -> Any:
        import pandas as pd

        return pd.Series(np.asarray(values), index=self.index, name=name)

    # --- display -------------------------------------------------------------------------
    def summary(self, style: Literal["glmlearn", "R"] | None = None, *, stars: bool = False
                ) -> Summary:
        """R-style summary; prints as text and displays as an HTML table in a notebook.

        ``style="R"`` lays the text out as R's ``print(summary(glm))`` with R's digit rules
        (the default for a formula fit); ``stars=True`` adds R's significance stars and
        their legend to that layout.
        """
        if style is None:
            style = "glmlearn" if self.problem.design is None else "R"
        if style not in ("glmlearn", "R"):
            raise GLMInputError(f"style: must be 'glmlearn' or 'R', got {style!r}")
        return Summary(self, style, stars)

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()

    def _summary_lines(self) -> list[str]:
        """Lines a kind of result adds to the summary's footer (none here)."""
        return []

    def __repr__(self) -> str:
        coefs = ", ".join(f"{n}={c:.6g}" for n, c in zip(self.column_names, self.coef,
                                                           strict=True))
        return (f"GLMResult({self.family!r}, {coefs}; deviance={self.deviance:.6g}, "
                f"converged={self.converged}, n_iter={self.n_iter})")


def _dispersion(problem: GLMProblem, final: IRLSState, last_step: IRLSState,
                df_residual: int) -> float:
    r"""R's ``summary.glm`` dispersion: 1 when fixed, else
    :math:`\sum_i w_i r_i^2 / \text{df}` with the working residuals
    :math:`r = (y - \mu) g'(\mu)` at the fit and the working weights :math:`w` of the WLS
    step that produced :math:`\hat\beta` (the previous state's). At exact convergence it
    is Pearson's :math:`X^2 / \text{df}`. NaN without residual degrees of freedom."""
    fam = problem.family
    if fam.dispersion_fixed:
        return 1.0
    if df_residual <= 0:
        return math.nan
    keep = problem.prior_weights > 0
    r = (problem.y - final.mu) / fam.mu_eta(final.eta)
    return float(np.sum((last_step._fisher_weights * r**2)[keep]) / df_residual)


def _null_deviance(problem: GLMProblem) -> float:
    """Deviance of the intercept-only model (R: refitted when there is an offset)."""
    fam, y, pw, off = problem.family, problem.y, problem.prior_weights, problem.offset
    if not problem.has_intercept:
        # The null model is mu = g^{-1}(offset), which may lie outside the family's range
        # (e.g. mu = 0 for an identity link without offset): its deviance is then inf,
        # as in R, and numpy's divide warning would only be noise.
        with np.errstate(divide="ignore", invalid="ignore"):
            return fam.deviance(y, fam.link_inverse(off), pw)
    if not np.any(off):
        m = float(np.sum(pw * y) / np.sum(pw))
        if np.all(y[pw > 0] == m):
            # every y the same (all zero counts, all successes): the null model fits them
            # exactly, and its mean may be the edge of the range (mu = 0), where the unit
            # deviance is a limit, 0, not the 0/0 numpy would compute
            return 0.0
        mean = np.broadcast_to(m, y.shape)  # (one value, not n)
        return fam.deviance(y, mean, pw)
    null = replace(problem, X=np.ones((problem.n, 1)), column_names=("(Intercept)",))
    *_, last = run_irls(null, trace="compact")  # the loop never warns
    return last.deviance


def _fmt_p(p: float) -> str:
    if np.isnan(p):
        return "NA"
    return "<2e-16" if p < 2e-16 else f"{p:.3g}"


@dataclass(frozen=True)
class Summary:
    """The text and HTML renderings of a :class:`GLMResult` (R's ``summary.glm``).

    ``style="R"``: the text as R prints it (``glmlearn/_rsummary.py``), with significance
    stars when ``stars``.
    """

    result: GLMResult
    style: Literal["glmlearn", "R"] = "glmlearn"
    stars: bool = False

    def rows(self) -> list[tuple[str, float, float, float, float]]:
        """(name, estimate, std. error, z or t value, p-value) per coefficient."""
        r = self.result
        return list(zip(r.column_names, r.coef, r.bse, r.tvalues, r.pvalues, strict=True))

    def _header(self) -> list[str]:
        r = self.result
        fam = r.family
        return [f"Family: {fam.name}   Link: {fam.link.name}   "
                f"Response: {r.problem.response_name}"]

    def _footer(self) -> list[str]:
        r = self.result
        disp = ("taken to be 1" if r.problem.family.dispersion_fixed
                else f"estimated as {r.dispersion:.7g}")
        lines = [
            f"Dispersion parameter for {r.family.name} family {disp}",
            f"    Null deviance: {r.null_deviance:.7g}  on {r.df_null} degrees of freedom",
            f"Residual deviance: {r.deviance:.7g}  on {r.df_residual} degrees of freedom",
            (f"AIC: {r.aic:.6g}   BIC: {r.bic:.6g}   log-likelihood: {r.loglik:.6g}"
             if r.family.has_likelihood else
             "AIC: NA   BIC: NA   log-likelihood: NA (a quasi family has no likelihood)"),
            f"Number of {iterations_name(r, 'Fisher scoring')} iterations: {r.n_iter}"
            + ("" if r.converged else "  (NOT converged)"),
        ]
        lines += r._summary_lines()
        if r.aliased.any():
            lines.append("Aliased (linearly dependent) columns, coefficient NA: "
                         + ", ".join(r.aliased_names))
        lines += [f"Warning: {w}" for w in r.warnings]
        return lines

    def __str__(self) -> str:
        if self.style == "R":
            return "\n".join(r_summary_lines(self.result, self.stars))
        r = self.result
        stat = "t value" if r.uses_t else "z value"
        pcol = "Pr(>|t|)" if r.uses_t else "Pr(>|z|)"
        width = max(12, *(len(n) for n in r.column_names))
        lines = [*self._header(), "", "Coefficients:",
                 f"{'':<{width}} {'Estimate':>12} {'Std. Error':>12} {stat:>9} {pcol:>10}"]
        for name, b, se, t, p in self.rows():
            if np.isnan(b):
                lines.append(f"{name:<{width}} {'NA':>12} {'NA':>12} {'NA':>9} {'NA':>10}")
            else:
                lines.append(f"{name:<{width}} {b:>12.6g} {se:>12.6g} {t:>9.4g} "
                             f"{_fmt_p(p):>10}")
        lines += ["", *self._footer()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        r = self.result
        stat = "t value" if r.uses_t else "z value"
        pcol = "Pr(&gt;|t|)" if r.uses_t else "Pr(&gt;|z|)"
        head = "".join(f"<th>{h}</th>" for h in ("", "Estimate", "Std. Error", stat, pcol))
        body = []
        for name, b, se, t, p in self.rows():
            cells = (["NA"] * 4 if np.isnan(b)
                     else [f"{b:.6g}", f"{se:.6g}", f"{t:.4g}", html.escape(_fmt_p(p))])
            body.append(f"<tr><th>{html.escape(name)}</th>"
                        + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        foot = "<br>".join(html.escape(x) for x in self._footer())
        from .inference import explain  # where each number comes from, folded away

        how = html.escape(str(explain(r)))
        return (f"<div class='glmlearn-summary'><p>{html.escape(self._header()[0])}</p>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
                f"<p>{foot}</p><details><summary>Where these numbers come from (the final "
                f"IRLS states)</summary><pre>{how}</pre></details></div>")

    def __repr__(self) -> str:
        return str(self)


def result_from_trace(problem: GLMProblem, states: tuple[IRLSState, ...],
                      diagnosis: Diagnosis) -> GLMResult:
    """The result: what every fit reports at once. The covariance, the dispersion, the
    null deviance and the likelihood are computed from the trace when first read (see
    :class:`GLMResult`)."""
    final = states[-1]
    assert final.beta is not None  # max_iter >= 1, so at least one WLS step was taken
    coef = np.array(final.beta)
    aliased = np.isnan(coef)
    rank = problem.p - int(np.count_nonzero(aliased))
    n_obs = problem.n_obs
    return GLMResult(
        problem=problem,
        trace=states,
        coef=readonly(coef),
        deviance=final.deviance,
        df_residual=n_obs - rank,
        df_null=n_obs - int(problem.has_intercept),
        rank=rank,
        converged=final.converged,
        n_iter=final.iteration,
        aliased=readonly(aliased),
        separation=diagnosis.separation,
        boundary=diagnosis.boundary,
        troubles=diagnosis.troubles,
    )
