"""The widgets' constructor checks, worded as :func:`glmlearn.fit`'s (``glmlearn/problem.py``).

Each message names the argument, says what is wrong, shows the value given, and says
what to pass instead: :class:`~glmlearn.GLMTypeError` for a value of the wrong kind,
:class:`~glmlearn.GLMInputError` for one of the right kind but not allowed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from ..errors import GLMInputError, GLMTypeError
from ..problem import _show

__all__ = ["check_choice", "check_figure", "check_index_list", "check_int", "check_real"]


def _kind(value: Any) -> str:
    return type(value).__name__


def check_real(arg: str, value: Any, lo: float | None = None, hi: float | None = None,
               *, where: str = "") -> float:
    """``value`` as a finite float in ``[lo, hi]``, or a clear error naming ``arg``.

    ``where`` says what the range is (e.g. "the slider's range for the binomial family").
    """
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        span = f" between {lo:g} and {hi:g}" if lo is not None and hi is not None else ""
        raise GLMTypeError(f"{arg}: expected a number, got {_kind(value)} {_show(value)}; "
                           f"pass a number{span}")
    v = float(value)
    if not math.isfinite(v):
        raise GLMInputError(f"{arg}: must be a finite number, got {_show(value)}; "
                            "pass an ordinary number"
                            + (f" between {lo:g} and {hi:g}" if lo is not None and hi is not None
                               else ""))
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        span = f"between {lo:g} and {hi:g}" + (f" ({where})" if where else "")
        raise GLMInputError(f"{arg}: {v:g} is outside the allowed range; pass a value {span}")
    return v


def check_int(arg: str, value: Any, lo: int | None = None, hi: int | None = None,
              *, where: str = "") -> int:
    """``value`` as an int in ``[lo, hi]`` (bool refused), or a clear error naming ``arg``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise GLMTypeError(f"{arg}: expected a whole number, got {_kind(value)} {_show(value)}"
                           "; pass an int such as 0, 1, 2")
    v = int(value)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        if lo is not None and hi is not None:
            span = f"between {lo} and {hi}"
        else:
            span = f"at least {lo}" if lo is not None else f"at most {hi}"
        raise GLMInputError(f"{arg}: {v} is outside the allowed range; pass a whole number "
                            f"{span}" + (f" ({where})" if where else ""))
    return v


def check_choice(arg: str, value: Any, choices: Iterable[str], *, what: str = "",
                 of: str = "") -> str:
    """``value`` if it is one of ``choices`` (strings), else an error listing them.

    ``what`` names the kind of choice ("family"), ``of`` what it belongs to ("for the
    poisson family").
    """
    options = list(choices)
    listing = ", ".join(map(repr, options))
    if not isinstance(value, str):
        raise GLMTypeError(f"{arg}: expected a name, got {_kind(value)} {_show(value)}; "
                           f"choose one of {listing}")
    if value not in options:
        raise GLMInputError(f"{arg}: unknown {what or 'choice'} {value!r}"
                            f"{' ' + of if of else ''}; choose one of {listing}")
    return value


def check_index_list(arg: str, value: Any, n: int) -> tuple[int, ...]:
    """A non-empty sequence of distinct indices ``0 .. n-1``, or a clear error naming ``arg``."""
    hint = f"pass a sequence of observation indices from 0 to {n - 1}, such as (0, 5, 7)"
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        example = f" (for one slider, ({int(value)},))" if isinstance(value, int) else ""
        raise GLMTypeError(f"{arg}: expected a sequence of indices, got {_kind(value)} "
                           f"{_show(value)}; {hint}{example}")
    items = list(value)
    if not items:
        raise GLMInputError(f"{arg}: no observation given; {hint}")
    out = []
    for pos, i in enumerate(items):
        if isinstance(i, bool) or not isinstance(i, int | np.integer):
            raise GLMTypeError(f"{arg}: expected whole numbers, got {_kind(i)} {_show(i)} "
                               f"at position {pos}; {hint}")
        if not 0 <= int(i) < n:
            raise GLMInputError(f"{arg}: index {int(i)} at position {pos} is outside 0 to "
                                f"{n - 1} (there are {n} observations); {hint}")
        if int(i) in out:
            raise GLMInputError(f"{arg}: index {int(i)} is given twice; each observation "
                                "gets one slider")
        out.append(int(i))
    return tuple(out)


def check_figure(figsize: Any, dpi: Any) -> tuple[tuple[float, float], float]:
    """``figsize`` as two positive inches and ``dpi`` as a positive number."""
    try:
        w, h = figsize
    except (TypeError, ValueError):
        raise GLMTypeError(f"figsize: expected (width, height) in inches, got {_kind(figsize)} "
                           f"{_show(figsize)}") from None
    size = (check_real("figsize", w), check_real("figsize", h))
    if min(size) <= 0:
        raise GLMInputError(f"figsize: width and height must be positive inches, got {figsize!r}")
    d = check_real("dpi", dpi)
    if d <= 0:
        raise GLMInputError(f"dpi: must be a positive number of dots per inch, got {_show(dpi)}")
    return size, d
