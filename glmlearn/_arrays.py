"""The array type every module speaks, the one way to make an array read-only, and two cheap
questions of a boolean mask."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

#: A float64 numpy array: X, y, beta, eta, mu, w, z...
Array = NDArray[np.float64]

__all__ = ["Array", "all_true", "any_true", "readonly"]


def readonly(a: Any, *, copy: bool = True) -> NDArray[Any]:
    """``a`` made read-only: states and results are frozen, so nobody downstream can
    change the numbers a lesson shows. ``copy=False`` freezes an array the caller owns
    in place (no second copy of a large X)."""
    out = np.array(a) if copy else a
    out.setflags(write=False)
    return out


# The loop asks "is every element valid?" several times per iteration. numpy's reductions
# (mask.all(), mask.any()) carry about 2 microseconds of overhead each, most of a small
# problem's check; counting the True elements answers the same question in a tenth of it,
# calling numpy's C function itself (np.count_nonzero adds a Python dispatcher around it).
try:
    from numpy._core.multiarray import count_nonzero as _count_nonzero
except ImportError:  # (numpy < 2)
    _count_nonzero = np.count_nonzero


def all_true(mask: NDArray[Any]) -> bool:
    """``mask.all()``, by counting."""
    return int(_count_nonzero(mask)) == mask.size


def any_true(mask: NDArray[Any]) -> bool:
    """``mask.any()``, by counting."""
    return int(_count_nonzero(mask)) > 0
