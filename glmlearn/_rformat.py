"""R's rules for printing numbers, for summaries that read like R's ``summary.glm``.

R prints a vector with ``format(x, digits = d)``: every element gets at least ``d``
significant digits where it needs them, all elements share one notation (fixed unless
scientific is narrower) and, in fixed notation, one number of decimals. So
``c(0.0246, 0.1285, 1)`` prints as ``0.0246 0.1285 1.0000`` (not ``0.128``). The
coefficient table follows R's ``printCoefmat``: estimates and standard errors are rounded
to the decimals the largest of them needs before formatting, so numerical noise around zero
shows the magnitude R shows, and z values are rounded to three decimals (``0.000``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = ["format_pvalues", "format_real", "signif_stars"]

#: The legend of the significance stars, in R's words.
SIGNIF_LEGEND = "Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1"


def _parts(x: float, digits: int) -> tuple[int, int]:
    """(exponent, significant digits needed) of ``x`` shown to ``digits`` digits."""
    if x == 0:
        return 0, 1
    mantissa, _, exponent = f"{abs(x):.{digits - 1}e}".partition("e")
    return int(exponent), len(mantissa.replace(".", "").rstrip("0")) or 1


def format_real(values: Sequence[float], digits: int) -> list[str]:
    """R's ``format(x, digits = digits)`` of finite numbers: a common notation and width.

    NaN is shown as ``NaN`` (R's ``NA`` is the caller's to write).
    """
    x = [float(v) for v in values]
    finite = [v for v in x if math.isfinite(v)]
    if not finite:
        return [_special(v) for v in x]
    parts = [_parts(v, digits) for v in finite]
    neg = int(any(v < 0 for v in finite))
    left = max((e + 1 if e >= 0 else 1) for e, _ in parts)
    rgt = max(max(n - e - 1, 0) for e, n in parts)
    fixed_width = neg + left + (rgt + 1 if rgt else 0)
    nsig = max(n for _, n in parts)
    exp_digits = 3 if any(abs(e) >= 100 for e, _ in parts) else 2
    sci_width = neg + (nsig + 1 if nsig > 1 else nsig) + 2 + exp_digits
    if fixed_width <= sci_width:
        out = [f"{v:.{rgt}f}" if math.isfinite(v) else _special(v) for v in x]
    else:
        out = [f"{v:.{nsig - 1}e}" if math.isfinite(v) else _special(v) for v in x]
    width = max(len(s) for s in out)
    return [s.rjust(width) for s in out]


def _special(v: float) -> str:
    return "NaN" if math.isnan(v) else ("Inf" if v > 0 else "-Inf")


def format_pvalues(p: Sequence[float], digits: int = 3) -> list[str]:
    """R's ``format.pval(p, digits)`` with ``eps`` machine epsilon (``<2e-16``)."""
    eps = float(np.finfo(float).eps)
    out = [""] * len(p)
    small = [i for i, v in enumerate(p) if v < eps]
    rest = [i for i, v in enumerate(p) if v >= eps]
    fixp = [i for i in rest if _exponent(p[i]) >= -3 or (_exponent(p[i]) == -4 and digits > 1)]
    for group in (fixp, [i for i in rest if i not in fixp]):
        for i, s in zip(group, format_real([p[i] for i in group], digits), strict=True):
            out[i] = s.strip()
    if small:
        d = max(1, digits - 2)
        sep = " "
        if rest:
            nc = max(len(out[i]) for i in rest)
            if d > 1 and d + 6 > nc:
                d = max(1, nc - 7)
            sep = "" if d == 1 and nc <= 6 else " "
        elif d == 1:
            sep = ""
        for i in small:
            out[i] = "<" + sep + format_real([eps], d)[0]
    return out


def _exponent(v: float) -> int:
    return math.floor(math.log10(v)) if v > 0 else -50


def signif_stars(p: float) -> str:
    """R's significance code of a p-value."""
    if math.isnan(p):
        return ""
    for cut, star in ((0.001, "***"), (0.01, "**"), (0.05, "*"), (0.1, ".")):
        if p <= cut:
            return star
    return " "


def coef_table(names: Sequence[str], coef: Sequence[float], se: Sequence[float],
               stat: Sequence[float], p: Sequence[float], header: Sequence[str],
               stars: bool, digits: int = 4) -> list[str]:
    """The coefficient table as R's ``printCoefmat`` prints it (NaN coefficients: NA)."""
    ok = [math.isfinite(c) for c in coef]
    cs = [c for c, o in zip(coef, ok, strict=True) if o] + [s for s, o in zip(se, ok, strict=True)
                                                           if o]
    nonzero = [abs(v) for v in cs if math.isfinite(v) and v != 0]
    digmin = ([1 + math.floor(math.log10(min(nonzero))), 1 + math.floor(math.log10(max(nonzero)))]
              if nonzero else [1])
    # (R: round(x, max(1, digits - digmin)), and max() of the two is one number: the
    # decimals the smallest non-zero entry needs)
    rounded = [round(v, max(1, *(digits - d for d in digmin))) for v in cs]
    shown = format_real(rounded, digits)
    # (R: where rounding made a non-zero number 0 or the reverse, show it with digits - 1)
    redo = [k for k, (v, s) in enumerate(zip(cs, shown, strict=True))
            if (v == 0) != (float(s) == 0)]
    if redo:
        for k, s in zip(redo, format_real([cs[k] for k in redo], max(1, digits - 1)),
                        strict=True):
            shown[k] = s
    m = sum(ok)
    coef_s = iter(shown[:m])
    se_s = iter(shown[m:])
    stat_ok = [t for t, o in zip(stat, ok, strict=True) if o]
    stat_s = iter(format_real([round(t, max(1, min(5, digits - 1))) for t in stat_ok], digits))
    p_s = iter(format_pvalues([v for v, o in zip(p, ok, strict=True) if o],
                              max(1, min(5, digits - 1))))
    rows = []
    any_star = stars and any(v < 0.1 for v, o in zip(p, ok, strict=True) if o)
    for name, o, pv in zip(names, ok, p, strict=True):
        cells = [next(coef_s), next(se_s), next(stat_s), next(p_s)] if o else ["NA"] * 4
        rows.append([name, *cells, *([signif_stars(pv) if o else ""] if any_star else [])])
    head = ["", *header, *([""] if any_star else [])]
    widths = [max(len(r[j]) for r in [head, *rows]) for j in range(len(head))]
    lines = []
    for r in [head, *rows]:
        first = r[0].ljust(widths[0])
        rest = [c.rjust(w) if j < 5 else c.ljust(w)
                for j, (c, w) in enumerate(zip(r[1:], widths[1:], strict=True), start=1)]
        lines.append(" ".join([first, *rest]))
    if any_star:
        lines += ["---", SIGNIF_LEGEND]
    return lines
