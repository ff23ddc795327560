"""The panel registry: panel name -> how to draw it. :data:`PANELS` is read from it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

from .._irls import IRLSState
from ._common import Trace, as_trace
from ._panel import PanelSpec
from .convergence import draw_convergence
from .deviance import draw_deviance
from .fitted import draw_fit
from .path import draw_path
from .step_line import draw_step_line
from .weights import draw_weights
from .working import draw_working

__all__ = ["PANELS", "PANEL_REGISTRY", "PanelSpec", "default_panels"]


def _two_or_more_coefficients(trace: tuple[IRLSState, ...]) -> bool:
    # p > 2: the path panel shows a slice through each state (coefficients 0 and 1).
    return trace[-1].problem.p >= 2


def _on_request(trace: tuple[IRLSState, ...]) -> bool:
    # A panel for the lesson on why IRLS works: drawn when named, not in every explorer.
    return False


#: Every panel :func:`~glmlearn.plot.explorer_figure` knows, in its default order.
PANEL_REGISTRY: dict[str, PanelSpec] = {
    "fit": PanelSpec(draw_fit),
    "weights": PanelSpec(draw_weights),
    "working": PanelSpec(draw_working),
    "deviance": PanelSpec(draw_deviance),
    "convergence": PanelSpec(draw_convergence),
    "path": PanelSpec(draw_path, applies=_two_or_more_coefficients),
    "step_line": PanelSpec(draw_step_line, applies=_on_request),
}


class _Names(Sequence[str]):
    """The keys of a registry as a read-only sequence that is always current."""

    def __init__(self, registry: Mapping[str, Any]) -> None:
        self._registry = registry

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[str, ...]: ...
    def __getitem__(self, i: int | slice) -> str | tuple[str, ...]:
        return tuple(self._registry)[i]

    def __len__(self) -> int:
        return len(self._registry)

    def __iter__(self) -> Iterator[str]:
        return iter(tuple(self._registry))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to tuples, but changes

    def __repr__(self) -> str:
        return repr(tuple(self))


#: Names of the panels in :data:`PANEL_REGISTRY`, in their default order (a live view:
#: a panel added to the registry appears here).
PANELS: Sequence[str] = _Names(PANEL_REGISTRY)


def default_panels(trace: Trace) -> tuple[str, ...]:
    """The panels that make sense for ``trace``: those of :data:`PANELS` whose
    :attr:`PanelSpec.applies` accepts it (the path for models with at least two
    coefficients)."""
    tr = as_trace(trace)
    return tuple(name for name, spec in PANEL_REGISTRY.items() if spec.applies(tr))
