"""Read an R model formula into its parts: the response, the terms, the offsets.

glmlearn hands the right-hand side to formulaic, after translating the few spellings R
users write that formulaic spells differently:

* ``factor(x)`` is formulaic's ``C(x)`` (a numeric column read as a factor); the
  coefficient names keep ``factor(x)`` as R writes them;
* ``I(x^2)``: inside ``I()`` R's power ``^`` is Python's ``**``;
* ``offset(log(service))`` terms are taken out of the terms and added to the offset, as R
  does;
* the variables of an interaction ``x:g`` are put in the order they first appear in the
  formula, as R orders them (``y ~ g + x:g`` has the term ``g:x``).

The left-hand side is glmlearn's own: a column name, an expression (``log(y)``), or
``cbind(successes, failures)`` for a binomial response in two columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import GLMInputError, GLMTypeError

_NAME = re.compile(r"^[A-Za-z_.][A-Za-z0-9_.]*$")
_CBIND = re.compile(r"^cbind\((.*)\)$", re.S)


@dataclass(frozen=True)
class ParsedFormula:
    """A formula taken apart.

    Attributes
    ----------
    text : str
        The formula as written.
    response : tuple of str
        One expression, or two (successes, failures) from ``cbind(a, b)``.
    rhs : str
        The right-hand side as formulaic reads it.
    offsets : tuple of str
        The expressions of the formula's ``offset(...)`` terms.
    factor_calls : tuple of str
        The expressions written as ``factor(...)`` (named so in the coefficients).
    """

    text: str
    response: tuple[str, ...]
    rhs: str
    offsets: tuple[str, ...]
    factor_calls: tuple[str, ...]


def _split_top(text: str, sep: str) -> list[str]:
    """Split ``text`` at ``sep`` outside parentheses."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _calls(text: str, name: str) -> list[tuple[int, int, str]]:
    """Each ``name(...)`` call in ``text``: (start, end, the text inside the parentheses)."""
    out = []
    for m in re.finditer(rf"(?<![A-Za-z0-9_.]){re.escape(name)}\(", text):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        if depth:
            raise GLMInputError(f"formula: unbalanced parentheses after {name}( in {text!r}")
        out.append((m.start(), i, text[m.end():i - 1]))
    return out


def _without_offsets(rhs: str) -> tuple[str, list[str]]:
    offsets = []
    kept = []
    for term in _split_top(rhs, "+"):
        calls = _calls(term, "offset")
        if calls and term.strip().startswith("offset(") and calls[0][1] == len(term.rstrip()):
            offsets.append(calls[0][2].strip())
        else:
            kept.append(term)
    text = "+".join(kept).strip()
    if text.startswith("-") or not text:  # (e.g. "~ offset(o) - 1" leaves "- 1")
        text = "1 " + text if text else "1"
    return text, offsets


def _r_spellings(rhs: str) -> tuple[str, list[str]]:
    """R's ``factor(x)`` as ``C(x)``, R's ``^`` inside ``I()`` as ``**``."""
    factors = []
    for start, end, inner in reversed(_calls(rhs, "factor")):
        factors.append(inner.strip())
        rhs = f"{rhs[:start]}C({inner.strip()}){rhs[end:]}"
    for start, end, inner in reversed(_calls(rhs, "I")):
        rhs = f"{rhs[:start]}I({inner.replace('^', '**')}){rhs[end:]}"
    return rhs, factors[::-1]


def _r_interaction_order(rhs: str) -> str:
    """Each ``a:b`` term with its variables in the order they first appear in the formula,
    as R orders them (``y ~ g + x:g`` has the term ``g:x``, columns ``gu:x``...)."""
    def first(part: str) -> int:
        m = re.search(rf"(?<![A-Za-z0-9_.]){re.escape(part)}(?![A-Za-z0-9_.(])", rhs)
        return m.start() if m else len(rhs)

    terms = []
    for term in _split_top(rhs, "+"):
        parts = _split_top(term, ":")
        if len(parts) > 1 and not any(op in term for op in "*/^-|"):
            stripped = [p.strip() for p in parts]
            term = f" {':'.join(sorted(stripped, key=first))} "
        terms.append(term)
    return "+".join(terms)


def parse_formula(formula: str) -> ParsedFormula:
    """Take an R formula apart (see the module docstring).

    Raises
    ------
    GLMTypeError
        ``formula`` is not a string.
    GLMInputError
        No ``~``, no response, or a response that names two columns with ``+`` (write
        ``cbind(successes, failures)``).
    """
    if not isinstance(formula, str):
        raise GLMTypeError(f"formula: expected a string such as 'y ~ x', got "
                           f"{type(formula).__name__}")
    lhs, tilde, rhs = formula.partition("~")
    if not tilde:
        raise GLMInputError(f"formula: {formula!r} has no '~'; write 'response ~ terms', "
                            "e.g. 'counts ~ outcome + treatment'")
    lhs, rhs = lhs.strip(), rhs.strip()
    if not lhs:
        raise GLMInputError(f"formula: {formula!r} has no response left of '~'; write "
                            "'response ~ terms'")
    if "~" in rhs:
        raise GLMInputError(f"formula: {formula!r} has more than one '~'")
    if not rhs:
        raise GLMInputError(f"formula: {formula!r} has no terms right of '~'; write '~ 1' "
                            "for a model with only an intercept")
    pair = _CBIND.match(lhs)
    if pair:
        response = tuple(p.strip() for p in _split_top(pair[1], ","))
        if len(response) != 2 or not all(response):
            raise GLMInputError(f"formula: cbind() takes two columns, successes and failures; "
                                f"got {lhs!r}")
    else:
        parts = [p.strip() for p in _split_top(lhs, "+")]
        if len(parts) > 1:
            raise GLMInputError(
                f"formula: the response {lhs!r} adds columns with '+'; for a binomial "
                f"response as successes and failures write 'cbind({parts[0]}, {parts[1]}) ~ "
                f"{rhs}' (R's spelling), and for their sum write 'I({lhs}) ~ {rhs}'")
        response = (lhs,)
    rhs, offsets = _without_offsets(rhs)
    rhs, factors = _r_spellings(_r_interaction_order(rhs))
    return ParsedFormula(formula, response, rhs, tuple(offsets), tuple(factors))


def is_name(expr: str) -> bool:
    """Whether ``expr`` is a plain column name (not an expression)."""
    return bool(_NAME.match(expr))
