"""What the widgets say: HTML tables and status lines, read from the core's states and results.

Nothing here computes a statistic: a state table shows the fields of an
:class:`~glmlearn.IRLSState`, a status line the outcome of a :class:`~glmlearn.GLMResult`
and its ``troubles`` (each one's kind and message, as :func:`glmlearn.fit` diagnosed it).
"""

from __future__ import annotations

import html

import numpy as np

from .._irls import IRLSState
from ..results import GLMResult
from ._data import ExplorerData

__all__ = ["SCORE_LEGEND", "SCORE_TITLE", "fit_status_html", "state_table_html", "state_zero_note",
           "troubles_of"]


def troubles_of(result: GLMResult) -> tuple[tuple[str, str], ...]:
    """``(kind name, message)`` of each trouble the fit met, in order (for status lines)."""
    return tuple((t.kind.__name__, t.message) for t in result.troubles)


def _fmt(v: float) -> str:
    return "NA" if not np.isfinite(v) else f"{v:.6g}"


#: What max |U| is: the table's tooltip on "max |U|" ...
SCORE_TITLE = ("max |U|: the largest component, in absolute value, of the score "
               "U = Xᵀ W (z − η), the gradient of the log-likelihood (times φ) at this "
               "state's μ; it is 0 at the maximum-likelihood fit.")
#: ... and the short legend under the table.
SCORE_LEGEND = "max |U|: largest |component| of the score U = Xᵀ W (z − η); 0 at the fit."


def state_zero_note(state: IRLSState) -> str:
    r"""What iteration 0 is: R's starting guess :math:`\mu^{(0)}`, or coefficients."""
    if state.beta is None:
        return ("iteration 0 — starting guess μ⁽⁰⁾ (R's mustart), not a fitted model: its "
                "deviance is not comparable with later ones")
    zero = bool(np.all(np.nan_to_num(state.beta) == 0))
    return ("iteration 0 — starting coefficients β⁽⁰⁾" + (" = 0" if zero else "")
            + ": a model, not yet fitted; IRLS improves on it from here")


def state_table_html(state: IRLSState, n_states: int) -> str:
    r"""The HTML table of one state: :math:`\beta`, deviance, criterion, max :math:`|U|`.

    Iteration 0 is marked as what it is (:func:`state_zero_note`): a starting guess
    :math:`\mu^{(0)}` with no coefficients, or starting coefficients. Its criterion has
    no previous deviance to compare with, and says so. Aliased coefficients read
    "aliased (NA)".
    """
    names = state.problem.column_names
    first = state.iteration == 0
    if state.beta is None:
        beta_rows = ("<tr><th>β</th><td>none: iteration 0 starts from R's starting means "
                     "μ⁽⁰⁾, not from coefficients</td></tr>")
    else:
        beta_rows = "".join(
            f"<tr><th>β<sub>{j}</sub> ({html.escape(nm)})</th>"
            f"<td>{f'{b:.6g}' if np.isfinite(b) else 'aliased (NA)'}</td></tr>"
            for j, (nm, b) in enumerate(zip(names, state.beta, strict=True)))
    halv = (f"<tr><th>step halvings</th><td>{state.step_halvings} "
            f"({html.escape(state.halving_reason)})</td></tr>" if state.step_halvings else "")
    note = (f"<tr class='glmlearn-state0'><td colspan='2'><b>{html.escape(state_zero_note(state))}"
            "</b></td></tr>" if first else "")
    dev_label = ("deviance D at μ⁽⁰⁾" if first and state.beta is None else "deviance D")
    crit = ("— (no previous deviance)" if first or not np.isfinite(state.criterion)
            else _fmt(state.criterion))
    legend = html.escape(SCORE_TITLE, quote=True)
    return (
        "<table class='glmlearn-state'>"
        f"<tr><th>iteration k</th><td>{state.iteration} of {n_states - 1}</td></tr>"
        f"{note}{beta_rows}"
        f"<tr><th>{dev_label}</th><td>{_fmt(state.deviance)}</td></tr>"
        f"<tr><th>criterion |ΔD|/(|D|+0.1)</th><td>{crit}</td></tr>"
        f"<tr><th title='{legend}'>max |U|</th><td>{_fmt_score(state.max_abs_score)}</td></tr>"
        f"<tr><th>converged</th><td>{'yes' if state.converged else 'not yet'}</td></tr>"
        f"{halv}</table>"
        f"<div class='glmlearn-legend'>{html.escape(SCORE_LEGEND)}</div>"
    )


def _fmt_score(v: float) -> str:
    return "NA" if not np.isfinite(v) else f"{v:.3g}"


def fit_status_html(data: ExplorerData, r: GLMResult) -> str:
    """The status area: the problem, the fit's outcome, its troubles and flags."""
    fam = r.family
    outcome = (f"converged after {r.n_iter} iterations" if r.converged
               else f"<b>not converged</b> after {r.n_iter} iterations")
    lines = [f"<b>{html.escape(data.title)}</b>",
             f"{fam.name} family, {fam.link.name} link"
             f"{' (canonical)' if fam.is_canonical else ''}: {outcome}, "
             f"deviance {_fmt(r.deviance)}"]
    lines += [f"<span class='glmlearn-warning'>⚠ {html.escape(cat)}: {html.escape(msg)}</span>"
              for cat, msg in troubles_of(r)]
    if r.flags:
        lines.append("flags: " + ", ".join(sorted(r.flags)))
    return "<div class='glmlearn-fit'>" + "<br>".join(lines) + "</div>"
