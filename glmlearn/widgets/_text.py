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

__all__ = ["fit_status_html", "state_table_html", "troubles_of"]


def troubles_of(result: GLMResult) -> tuple[tuple[str, str], ...]:
    """``(kind name, message)`` of each trouble the fit met, in order (for status lines)."""
    return tuple((t.kind.__name__, t.message) for t in result.troubles)


def _fmt(v: float) -> str:
    return "NA" if not np.isfinite(v) else f"{v:.6g}"


def state_table_html(state: IRLSState, n_states: int) -> str:
    r"""The HTML table of one state: :math:`\beta`, deviance, criterion, max :math:`|U|`."""
    names = state.problem.column_names
    if state.beta is None:
        beta_rows = ("<tr><th>β</th><td>none yet: iteration 0 starts from R's "
                     "starting means μ⁽⁰⁾</td></tr>")
    else:
        beta_rows = "".join(f"<tr><th>β<sub>{j}</sub> ({html.escape(nm)})</th>"
                            f"<td>{_fmt(b)}</td></tr>"
                            for j, (nm, b) in enumerate(zip(names, state.beta, strict=True)))
    halv = (f"<tr><th>step halvings</th><td>{state.step_halvings} "
            f"({html.escape(state.halving_reason)})</td></tr>" if state.step_halvings else "")
    return (
        "<table class='glmlearn-state'>"
        f"<tr><th>iteration k</th><td>{state.iteration} of {n_states - 1}</td></tr>"
        f"{beta_rows}"
        f"<tr><th>deviance D</th><td>{_fmt(state.deviance)}</td></tr>"
        f"<tr><th>criterion |ΔD|/(|D|+0.1)</th><td>{_fmt(state.criterion)}</td></tr>"
        f"<tr><th>max |score|</th><td>{state.max_abs_score:.3g}</td></tr>"
        f"<tr><th>converged</th><td>{'yes' if state.converged else 'not yet'}</td></tr>"
        f"{halv}</table>"
    )


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
