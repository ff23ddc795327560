"""The problems the IRLS explorer offers: six bundled datasets and simulated exam data.

Each is an :class:`ExplorerData`: the design matrix, response, prior weights and offset
ready for :func:`glmlearn.fit`, the families that make sense for the response, and the
column the pictures are drawn against. The designs are the datasets' classic models
(:attr:`glmlearn.datasets.Dataset.formula`), built by the formula builder; fitting is
:func:`glmlearn.fit`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._arrays import Array
from ..datasets import load
from ..family import FAMILIES
from ..formula import formula_problem
from ..results import GLMResult
from ._checks import check_choice

__all__ = ["DATASETS", "ExplorerData", "explorer_data", "pass_fail"]

START_OPTIONS: dict[str, str] = {
    "mustart": "R's default μ⁽⁰⁾",
    "zero": "β⁽⁰⁾ = 0",
    "given": "your β⁽⁰⁾",
}


@dataclass(frozen=True, eq=False)
class ExplorerData:
    """A regression problem for :class:`~glmlearn.widgets.IRLSExplorer`.

    Attributes
    ----------
    name : str
        Key in the dataset menu.
    title : str
        One line shown in the status area.
    X : (n, p) ndarray
        Design matrix, intercept column included.
    y : (n,) ndarray
        Response (a proportion for binomial, with ``weights`` the trials).
    weights, offset : (n,) ndarray or None
        Prior weights and offset, as for :func:`glmlearn.fit`.
    column_names : tuple of str
    families : tuple of str
        Names from :data:`glmlearn.FAMILIES` offered in the family menu; the first is the
        default.
    link : str or None
        Default link of the first family (None: its canonical link).
    x : int, str or None
        What the fit and working panels are drawn against: a column (None = the first
        non-constant one) or ``"eta"`` when there are several predictors.
    start : {"mustart", "zero", "given"}
        Default starting values: R's starting means, :math:`\\beta^{(0)} = 0`, or
        ``start_values``.
    start_values : (p,) ndarray or None
        The ``"given"`` start (e.g. the one a :class:`GLMResult` was fitted from).
    """

    name: str
    title: str
    X: Array
    y: Array
    weights: Array | None = None
    offset: Array | None = None
    column_names: tuple[str, ...] = ()
    families: tuple[str, ...] = ("gaussian",)
    link: str | None = None
    x: int | str | None = None
    start: str = "mustart"
    start_values: Array | None = field(default=None, repr=False)

    @property
    def start_options(self) -> tuple[str, ...]:
        """The starting-value choices this problem offers."""
        return ("mustart", "zero") + (("given",) if self.start_values is not None else ())

    def start_beta(self, start: str) -> Array | None:
        """The ``start=`` for :func:`glmlearn.fit` of a starting-value choice (None: R's
        starting means)."""
        if start == "zero":
            return np.zeros(self.X.shape[1])
        return self.start_values if start == "given" else None

    @classmethod
    def from_result(cls, result: GLMResult, name: str = "your fit") -> ExplorerData:
        """The problem a :class:`GLMResult` was fitted to, with its family first.

        Other families are offered when the response lies in their domain.
        """
        pr = result.problem
        fam = pr.family
        others = tuple(f for f in FAMILIES if f != fam.name and np.all(FAMILIES[f]().valid_y(pr.y)))
        b0 = result.trace[0].beta
        return cls(
            name=name, title=f"{name}: {fam.name} family, {pr.n} observations", X=pr.X, y=pr.y,
            weights=pr.prior_weights, offset=pr.offset, column_names=pr.column_names,
            families=(fam.name, *others), link=fam.link.name,
            x=None if pr.p <= 2 else "eta",
            start="mustart" if b0 is None else "given",
            start_values=None if b0 is None else np.where(np.isnan(b0), 0.0, b0),
        )


def _classic(name: str, title: str, families: tuple[str, ...], **kwargs: Any) -> ExplorerData:
    """A bundled dataset's classic model (its formula, built by the formula builder)."""
    ds = load(name)
    pr = formula_problem(ds.formula, ds.model_frame(), families[0])
    weighted = not bool((pr.prior_weights == 1).all())
    return ExplorerData(
        name, title, pr.X, pr.y, weights=pr.prior_weights if weighted else None,
        offset=pr.offset_or_none, column_names=pr.column_names, families=families, **kwargs)


def pass_fail(n: int = 200, seed: int = 42) -> tuple[Array, Array]:
    """Simulated exam data: hours studied and pass (1) / fail (0).

    ``np.random.seed(seed)`` (NumPy's legacy generator), then
    ``hours ~ U(1, 10)`` and ``passed ~ Bernoulli(expit(-3 + 0.8 hours))``. With the
    defaults: 142 of 200 passed, and IRLS from :math:`\\beta = 0` goes from deviance
    277.26 to 148.09 with :math:`\\hat\\beta = (-2.7506, 0.8444)`.

    Returns
    -------
    hours, passed : ndarray
    """
    # NumPy's legacy generator, as np.random.seed(42) seeds it: a RandomState seeded alike
    # draws the very same numbers, without reseeding the learner's global one.
    rs = np.random.RandomState(seed)
    hours = rs.uniform(1, 10, n)
    passed = rs.binomial(1, 1 / (1 + np.exp(-(-3 + 0.8 * hours))))
    return hours, passed.astype(float)


def _pass_fail() -> ExplorerData:
    hours, passed = pass_fail()
    pr = formula_problem("passed ~ hours", {"hours": hours, "passed": passed}, "binomial")
    return ExplorerData(
        "pass_fail",
        "Pass/fail against hours studied (simulated exam data, np.random.seed(42))",
        pr.X, pr.y, column_names=pr.column_names, families=("binomial", "gaussian"),
        start="zero")


def _beetles() -> ExplorerData:
    return _classic("beetles",
                    "Beetles killed by CS₂ (Bliss 1935): proportion killed against log dose",
                    ("binomial", "gaussian"))


def _challenger() -> ExplorerData:
    return _classic("challenger",
                    "Challenger O-rings: any thermal distress against launch temperature (°F)",
                    ("binomial", "gaussian"))


def _clotting() -> ExplorerData:
    return _classic("clotting", "Blood clotting time (lot 1) against log plasma concentration "
                    "(McCullagh & Nelder)", ("gamma", "inverse_gaussian", "gaussian"))


def _ships() -> ExplorerData:
    # cells with no service have no exposure: the model uses service > 0 (as R's analyses do)
    return _classic("ships", "Ship damage incidents: type + year built + period, offset "
                    "log(months of service)", ("poisson",), x="eta")


def _doctors() -> ExplorerData:
    return _classic("doctors", "British doctors' coronary deaths (Doll & Hill), offset "
                    "log(person-years)", ("poisson",), x="eta")


def _dobson_counts() -> ExplorerData:
    return _classic("dobson_counts", "Dobson's counts: outcome + treatment (R's ?glm Poisson "
                    "example)", ("poisson", "gaussian"), x="eta")


#: Builders of the explorer's problems, in menu order (built on first use).
DATASETS: dict[str, Callable[[], ExplorerData]] = {
    "pass_fail": _pass_fail,
    "beetles": _beetles,
    "challenger": _challenger,
    "clotting": _clotting,
    "ships": _ships,
    "doctors": _doctors,
    "dobson_counts": _dobson_counts,
}

_CACHE: dict[str, ExplorerData] = {}


def explorer_data(name: str) -> ExplorerData:
    """The :class:`ExplorerData` called ``name`` (one of :data:`DATASETS`)."""
    check_choice("dataset", name, DATASETS, what="dataset")
    if name not in _CACHE:
        _CACHE[name] = DATASETS[name]()
    return _CACHE[name]
