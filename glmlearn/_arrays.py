"""The array type every module speaks, and the one way to make an array read-only."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

#: A float64 numpy array: X, y, beta, eta, mu, w, z...
Array = NDArray[np.float64]

__all__ = ["Array", "readonly"]


def readonly(a: Any, *, copy: bool = True) -> NDArray[Any]:
    """``a`` made read-only: states and results are frozen, so nobody downstream can
    change the numbers a lesson shows. ``copy=False`` freezes an array the caller owns
    in place (no second copy of a large X)."""
    out = np.array(a) if copy else a
    out.setflags(write=False)
    return out
