"""What a check returns: :class:`CheckResult` (one state), :class:`TraceCheck` (a whole
trace) and :class:`ConvergenceOrder` (a measurement), with their text and HTML displays."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from .._arrays import Array

Mask = NDArray[np.bool_]

__all__ = ["CheckResult", "ConvergenceOrder", "Mask", "TraceCheck"]


def _fmt(x: float) -> str:
    return "nan" if math.isnan(x) else f"{x:.3g}"


def _fmt_array(a: Array, limit: int = 8) -> str:
    flat = np.ravel(a)
    body = ", ".join(f"{v:.3g}" for v in flat[:limit])
    more = f", … ({flat.size} values)" if flat.size > limit else ""
    shape = f" shape {a.shape}" if a.ndim > 1 else ""
    return f"[{body}{more}]{shape}"


@dataclass(frozen=True, eq=False)
class CheckResult:
    r"""The outcome of checking one statement on one state.

    Truthy exactly when the statement holds (``bool(r) == r.holds``); prints as one
    line; shows as a small HTML table in a notebook.

    Attributes
    ----------
    name : str
        Short name, e.g. ``"WLS.1"``, ``"WLS.3 (general)"``, ``"Fisher scoring"``.
    statement : str
        The statement in words and formula.
    quantity : ndarray
        What should vanish (e.g. the score vector); NaN entries for aliased columns.
    quantity_label : str
        The quantity as a formula.
    size : float
        The measured size compared with ``tol`` (see ``size_label``).
    size_label : str
        How ``size`` is measured (``"max|·|"`` or a norm).
    tol : float
        The tolerance actually used, ``rtol * scale + floor``.
    rtol : float
        The relative tolerance.
    scale : float
        The size of the problem that ``rtol`` multiplies.
    scaling : str
        The formula of ``scale``.
    floor : float
        The rounding error the computation itself can carry (0 for most checks; see
        each check's Notes), added so that ill-conditioned but correct fits pass.
    holds : bool
        ``size <= tol`` (always False when not applicable).
    iteration : int or None
        The IRLS iteration the state belongs to.
    applicable : bool
        False when the statement cannot be checked on this state (see ``note``).
    note : str
        Context: why not applicable, non-canonical link, not converged...
    """

    name: str
    statement: str
    quantity: Array = field(repr=False)
    quantity_label: str
    size: float
    size_label: str
    tol: float
    rtol: float
    scale: float
    scaling: str
    holds: bool
    iteration: int | None = None
    applicable: bool = True
    note: str = ""
    floor: float = 0.0

    def __bool__(self) -> bool:
        return bool(self.holds)

    @property
    def relative(self) -> float:
        """``size / scale``: the size relative to the problem (compare with ``rtol``)."""
        if not self.applicable or math.isnan(self.size):
            return math.nan
        return self.size / self.scale if self.scale > 0 else (0.0 if self.size == 0 else math.inf)

    @property
    def max_abs(self) -> float:
        """:math:`\\max |\\cdot|` of the quantity (NaN entries ignored)."""
        q = np.asarray(self.quantity)
        if q.size == 0 or np.all(np.isnan(q)):
            return math.nan
        return float(np.nanmax(np.abs(q)))

    @property
    def verdict(self) -> str:
        """``"holds"``, ``"does NOT hold"`` or ``"not applicable"``."""
        if not self.applicable:
            return "not applicable"
        return "holds" if self.holds else "does NOT hold"

    def __str__(self) -> str:
        where = "" if self.iteration is None else f" at iteration {self.iteration}"
        head = f"{self.name} {self.verdict}{where}"
        if not self.applicable:
            return f"{head}: {self.note}"
        cmp = "≤" if self.holds else ">"
        text = (f"{head}: {self.size_label} = {_fmt(self.size)} {cmp} tol {_fmt(self.tol)} "
                f"= {self.rtol:.0e} × {_fmt(self.scale)} [{self.scaling}]{self._floor_text()}; "
                f"relative size {_fmt(self.relative)}")
        return f"{text} — {self.note}" if self.note else text

    def _floor_text(self) -> str:
        # Only worth a mention when it is a visible part of the tolerance.
        return f" + rounding floor {_fmt(self.floor)}" if self.floor > 0.01 * self.tol else ""

    def __repr__(self) -> str:
        return f"<CheckResult {self}>"

    def _repr_html_(self) -> str:
        e = html.escape
        mark = {"holds": "✓ holds", "does NOT hold": "✗ does NOT hold",
                "not applicable": "– not applicable"}[self.verdict]
        rows = [("Statement", e(self.statement))]
        if self.iteration is not None:
            rows.append(("Iteration", str(self.iteration)))
        if self.applicable:
            rows += [
                ("Quantity", f"{e(self.quantity_label)} = {e(_fmt_array(self.quantity))}"),
                ("Size", f"{e(self.size_label)} = {_fmt(self.size)}"),
                ("Tolerance", f"{_fmt(self.tol)} = {self.rtol:.0e} × {_fmt(self.scale)}"
                              f"{e(self._floor_text())}"
                              f"<br><small>scale: {e(self.scaling)}</small>"),
                ("Relative size", _fmt(self.relative)),
            ]
        rows.append(("Verdict", f"<b>{mark}</b>"))
        if self.note:
            rows.append(("Note", e(self.note)))
        body = "".join(f"<tr><th style='text-align:left'>{k}</th><td style='text-align:left'>"
                       f"{v}</td></tr>" for k, v in rows)
        return (f"<table class='glmlearn-check'><caption><b>{e(self.name)}</b></caption>"
                f"{body}</table>")


@dataclass(frozen=True, eq=False)
class TraceCheck:
    """One check run along a whole IRLS trace (see :func:`check_trace`).

    Truthy when the required states hold: every applicable state (``require="all"``)
    or the last one (``require="last"``, e.g. WLS.3, which holds only at convergence).
    A trace with no applicable state is falsy.

    Attributes
    ----------
    name, statement : str
        As in :class:`CheckResult`.
    results : tuple of CheckResult
        One per state, in order.
    require : {"all", "last"}
        Which states must hold for the trace check to be truthy.
    """

    name: str
    statement: str
    results: tuple[CheckResult, ...] = field(repr=False)
    require: Literal["all", "last"] = "all"

    @property
    def iteration(self) -> NDArray[np.int_]:
        """Iteration numbers (``-1`` where a state carries none)."""
        return np.array([-1 if r.iteration is None else r.iteration for r in self.results],
                        dtype=int)

    @property
    def size(self) -> Array:
        """Measured sizes (NaN where not applicable)."""
        return np.array([r.size for r in self.results], dtype=float)

    @property
    def tol(self) -> Array:
        """Tolerances used (NaN where not applicable)."""
        return np.array([r.tol for r in self.results], dtype=float)

    @property
    def relative(self) -> Array:
        """Sizes relative to the problem's scale (``size / scale``)."""
        return np.array([r.relative for r in self.results], dtype=float)

    @property
    def holds(self) -> Mask:
        """Per-state verdicts."""
        return np.array([r.holds for r in self.results], dtype=bool)

    @property
    def applicable(self) -> Mask:
        """Per-state applicability."""
        return np.array([r.applicable for r in self.results], dtype=bool)

    def __bool__(self) -> bool:
        app = self.applicable
        if not self.results or not app.any():
            return False
        if self.require == "last":
            return bool(self.results[-1].holds)
        return bool(self.holds[app].all())

    def __len__(self) -> int:
        return len(self.results)

    def __getitem__(self, i: int) -> CheckResult:
        return self.results[i]

    def _summary(self) -> str:
        app = self.applicable
        n_app, n_hold = int(app.sum()), int(self.holds[app].sum())
        verdict = "holds" if self else "does NOT hold"
        rel = self.relative[app]
        worst = f"; largest relative size {_fmt(float(np.max(rel)))}" if rel.size else ""
        req = "at the last state" if self.require == "last" else "at every applicable state"
        return (f"{self.name} {verdict} {req}: {n_hold}/{n_app} applicable states hold "
                f"({len(self.results)} states){worst}")

    def __str__(self) -> str:
        lines = [self._summary(), f"{'iter':>5} {'size':>11} {'tol':>11} {'relative':>11}  verdict"]
        for r in self.results:
            it = "" if r.iteration is None else str(r.iteration)
            lines.append(f"{it:>5} {_fmt(r.size):>11} {_fmt(r.tol):>11} {_fmt(r.relative):>11}  "
                         f"{r.verdict}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<TraceCheck {self._summary()}>"

    def _repr_html_(self) -> str:
        e = html.escape
        head = "".join(f"<th>{h}</th>" for h in ("iteration", "size", "tol", "relative", "verdict"))
        body = "".join(
            f"<tr><td>{'' if r.iteration is None else r.iteration}</td><td>{_fmt(r.size)}</td>"
            f"<td>{_fmt(r.tol)}</td><td>{_fmt(r.relative)}</td><td>{e(r.verdict)}</td></tr>"
            for r in self.results)
        return (f"<div class='glmlearn-trace-check'><p><b>{e(self._summary())}</b><br>"
                f"<small>{e(self.statement)}</small></p><table><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table></div>")


@dataclass(frozen=True, eq=False)
class ConvergenceOrder:
    r"""The observed order of convergence of an IRLS trace (see :func:`convergence_order`).

    A measurement, not a yes/no check: compare :attr:`order` with what you expect
    (``bool()`` of it raises, so ``assert convergence_order(...)`` cannot pass by accident).

    Attributes
    ----------
    iteration : ndarray of int
        Iterations :math:`k` with coefficients (the last state excluded when the errors
        are measured from it).
    error : ndarray
        :math:`e_k = \lVert \beta^{(k)} - \beta^\ast \rVert_\infty`, :math:`\beta^\ast`
        the reference given, else the last state's :math:`\beta^{(K)}`.
    ratio : ndarray
        :math:`\log e_{k+1} / \log e_k` (aligned with ``iteration``; NaN when undefined).
        Tends to the order :math:`q` only as :math:`e_k \to 0`.
    local_order : ndarray
        :math:`q_k = \log(e_{k+1}/e_k) / \log(e_k/e_{k-1})` (aligned with ``iteration``;
        NaN at the ends and where an error is at the rounding floor). Scale-free.
    order : float
        The estimate: :math:`q_k` of the last triple of errors above the rounding floor
        :math:`10^3\,\varepsilon \max(1, \lVert\beta^{(K)}\rVert_\infty)`; NaN if none.
    floor : float
        That rounding floor.
    against : str
        What :math:`\beta^\ast` is: ``"the trace's last state"`` or ``"the reference β
        given"``.
    caveat : str
        Why no order is estimated (a trace that did not converge, or gradient ascent,
        measured against its own last state); empty when the estimate stands.
    """

    iteration: NDArray[np.int_]
    error: Array
    ratio: Array
    local_order: Array
    order: float
    floor: float
    against: str = "the trace's last state"
    caveat: str = ""

    def __bool__(self) -> bool:
        raise TypeError("a ConvergenceOrder is a measurement, not a check: compare its .order "
                        "(about 2 for Newton, 1 for linear convergence)")

    def __str__(self) -> str:
        lines = [f"observed order of convergence ≈ {_fmt(self.order)} (errors from "
                 f"{self.against})", *([f"not estimated: {self.caveat}"] if self.caveat else []),
                 f"{'iter':>5} {'error':>11} {'log ratio':>10} {'local q':>8}"]
        for k, e, r, q in zip(self.iteration, self.error, self.ratio, self.local_order,
                              strict=True):
            lines.append(f"{k:>5} {_fmt(float(e)):>11} {_fmt(float(r)):>10} {_fmt(float(q)):>8}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        why = f"; not estimated: {self.caveat}" if self.caveat else ""
        return (f"<ConvergenceOrder order≈{_fmt(self.order)} over {self.iteration.size} "
                f"iterations, errors from {self.against}{why}>")

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{h}</th>" for h in ("iteration", "‖β_k − β*‖∞",
                                                  "log e_{k+1} / log e_k", "local order q_k"))
        body = "".join(f"<tr><td>{k}</td><td>{_fmt(float(e))}</td><td>{_fmt(float(r))}</td>"
                       f"<td>{_fmt(float(q))}</td></tr>"
                       for k, e, r, q in zip(self.iteration, self.error, self.ratio,
                                             self.local_order, strict=True))
        why = (f"<br><span class='glmlearn-warning'>not estimated: {html.escape(self.caveat)}"
               "</span>" if self.caveat else "")
        return (f"<div class='glmlearn-convergence-order'><p><b>observed order of convergence "
                f"≈ {_fmt(self.order)}</b> (errors from {html.escape(self.against)}){why}"
                f"</p><table><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table></div>")

