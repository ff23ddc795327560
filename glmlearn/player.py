r"""A self-contained HTML player of every IRLS state, for notebooks read without a kernel.

A live explorer (:mod:`glmlearn.widgets`) needs a kernel: a notebook exported with
``jupyter nbconvert --to html``, or shown by nbviewer, keeps at best a picture of the
state shown last. :func:`player_html` renders every state of a trace once, as small PNG
frames inlined as ``data:`` URIs, and writes one ``<div class="glmlearn-player">`` that
steps, plays and scrubs through them in the browser, with no kernel and no network:

* an ``<img>`` whose ``alt`` text is the state in words (:func:`glmlearn.narrate.describe_state`),
  and the same sentence as a caption (``aria-live="polite"``, so a screen reader reads
  each new state);
* buttons (first, previous, play/pause, next, last), a range slider, and the state table
  (iteration, deviance, criterion, max :math:`|U|`, step-halvings), the current row marked;
* keys when the player has focus (``tabindex="0"``): :kbd:`←`/:kbd:`→` one state,
  :kbd:`Home`/:kbd:`End` the first/last, :kbd:`Space` play/pause. They do not reach
  JupyterLab's or the classic Notebook's shortcuts (``stopPropagation``);
* a few lines of plain JavaScript in an inline ``<script>``, scoped to its own ``div``
  (a unique ``id`` per output), so several players work on one page. Nothing is fetched.

The frames are exactly :func:`glmlearn.plot.explorer_figure` of each state (rendered by
:class:`glmlearn.plot.FrameRenderer`, whose frames equal full draws), reduced to a
256-colour palette (``colors``; ``None`` keeps every colour) to keep a notebook small:
about 34 kB a frame at the default size and dpi. A long trace is cut to
``max_frames`` evenly spaced states, the first and last included, and the player says so.

How a saved explorer carries its player
---------------------------------------
A widget's display bundle holds ``application/vnd.jupyter.widget-view+json``; nbconvert
7's HTML exporter (``WidgetsDataTypeFilter``) picks that view whenever the notebook's
metadata holds the widget's saved state -- as after ``nbclient`` / ``nbconvert
--execute``, or JupyterLab with "save widget state" on -- and ignores a ``text/html``
in the same bundle. The view is then an empty ``div`` until ``@jupyter-widgets/html-manager``
arrives from unpkg.com: blank offline. Without saved state (JupyterLab's default) the
exporter falls back to the bundle's ``text/html``. So the player cannot ride in the
widget's own bundle; it is displayed as its *own* output right after the widget
(:func:`saved_player_bundle`, :func:`display_with_player`). That output carries the CSS
rule :data:`SAVED_PLAYER_CSS`, which

* hides it in a live JupyterLab or Notebook 7 when the live explorer (class
  ``glmlearn-explorer``) is rendered in the same output area (there the widget is the
  player); a notebook reopened without a kernel shows the player;
* hides the widget's static snapshot (class ``glmlearn-snapshot``) in the same output
  area, so an export without widget state shows the player once, not a picture and a
  player.

Browsers without CSS ``:has()`` (before 2022-2023) show both; nothing breaks.

This module imports matplotlib through :mod:`glmlearn.plot`, and neither ipywidgets nor
pyplot; :func:`display_with_player` imports IPython when called.
"""

from __future__ import annotations

import base64
import html
import io
import json
import uuid
from collections.abc import Sequence
from typing import Any

import numpy as np
from PIL import Image

from . import plot
from ._irls import IRLSState
from ._player_template import BUTTONS, CSS, JS, RIGHT
from .narrate import describe_trace

__all__ = [
    "DEFAULT_DPI",
    "DEFAULT_FIGSIZE",
    "MAX_FRAMES",
    "SAVED_PLAYER_CSS",
    "display_with_player",
    "frame_indices",
    "player_bundle",
    "player_html",
    "render_frames",
    "saved_player_bundle",
    "state_rows",
]

#: The explorer's figure size (inches) and a modest dpi: 828 x 460 pixels.
DEFAULT_FIGSIZE = (11.5, 6.4)
DEFAULT_DPI = 72
#: The most frames a player embeds; a longer trace is thinned evenly.
MAX_FRAMES = 40
#: Milliseconds per state when playing.
DEFAULT_INTERVAL = 700

_DASH = "\u2014"

#: The rule a saved player carries (see the module docstring). In JupyterLab the output
#: and its parts are Lumino widgets (``lm-Widget``); in nbconvert's and nbviewer's pages
#: they are plain ``div``s, so a widget rendered there from saved state does not hide it.
SAVED_PLAYER_CSS = (
    ".jp-OutputArea:has(.jp-OutputArea-output.lm-Widget .glmlearn-explorer)"
    " .jp-OutputArea-child:has(.glmlearn-player-saved){display:none}"
    ".jp-OutputArea:has(.glmlearn-player-saved)"
    " .jp-OutputArea-child:has(.glmlearn-snapshot){display:none}"
)

def frame_indices(n_states: int, max_frames: int = MAX_FRAMES) -> tuple[int, ...]:
    """The states a player shows: all of them, or ``max_frames`` evenly spaced ones.

    The first and the last state are always included.
    """
    if n_states < 1:
        raise ValueError("frame_indices: a trace has at least one state")
    if max_frames < 2:
        raise ValueError(f"max_frames: must be at least 2, got {max_frames}")
    if n_states <= max_frames:
        return tuple(range(n_states))
    return tuple(int(i) for i in np.unique(np.round(np.linspace(0, n_states - 1, max_frames))))


def _encode(rgba: np.ndarray, colors: int | None) -> bytes:
    """An RGBA frame as PNG bytes: RGB, optionally reduced to a palette, optimised."""
    im = Image.fromarray(np.ascontiguousarray(rgba[..., :3]), "RGB")
    if colors is not None:
        # MAXCOVERAGE, no dithering: flat colours and text stay flat (a median-cut or
        # octree palette changes some anti-aliased pixels by far more).
        im = im.quantize(colors, method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    im.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def render_frames(
    trace: Any,
    states: Sequence[int] | None = None,
    *,
    panels: Sequence[str] | None = None,
    dpi: float = DEFAULT_DPI,
    figsize: tuple[float, float] = DEFAULT_FIGSIZE,
    colors: int | None = 256,
    **figure_kw: Any,
) -> list[bytes]:
    """PNG bytes of :func:`glmlearn.plot.explorer_figure` at each state of ``trace``.

    Parameters
    ----------
    trace : GLMResult or sequence of IRLSState
    states : sequence of int, optional
        Which states (default: all).
    panels, figsize, dpi, **figure_kw
        Passed to :func:`~glmlearn.plot.explorer_figure` (e.g. ``x=``, ``panel_kw=``).
    colors : int or None
        Reduce each frame to a palette of this many colours (about a third of the bytes;
        no pixel moves by more than a few levels); ``None`` keeps the exact pixels.

    Returns
    -------
    list of bytes
        One PNG per state, in the order of ``states``.
    """
    tr = plot.as_trace(trace)
    idx = range(len(tr)) if states is None else states
    fig, drawn = plot.explorer_figure(tr, 0, panels=panels, figsize=figsize, dpi=dpi,
                                      **figure_kw)
    frames = plot.FrameRenderer(fig, drawn)  # static parts rendered once, equal to full draws
    out = []
    for k in idx:
        frames.show(tr[k])
        out.append(_encode(np.asarray(frames.figure.canvas.buffer_rgba()),  # type: ignore[attr-defined]
                           colors))
    return out


def _fmt(v: float) -> str:
    return "NA" if not np.isfinite(v) else f"{v:.6g}"


def _iteration_label(state: IRLSState) -> str:
    if state.iteration != 0:
        return str(state.iteration)
    if state.beta is None:
        return "0 (starting guess \u03bc\u207d\u2070\u207e)"
    return "0 (start \u03b2\u207d\u2070\u207e)"


def state_rows(trace: Any) -> list[dict[str, str]]:
    """The state table, one dict per state: iteration, deviance, criterion, max |U|, halvings.

    The criterion is "—" at state 0 (there is no previous deviance); state 0 from R's
    starting means is labelled as a starting guess.
    """
    rows = []
    for s in plot.as_trace(trace):
        rows.append({
            "iteration": _iteration_label(s),
            "deviance": _fmt(s.deviance),
            "criterion": _DASH if s.iteration == 0 else f"{s.criterion:.3g}",
            "max|U|": f"{s.max_abs_score:.3g}",
            "step-halvings": str(s.step_halvings) if s.step_halvings else "0",
        })
    return rows


def _title(tr: tuple[IRLSState, ...]) -> str:
    fam = tr[0].problem.family
    return f"IRLS: {fam.name} family, {fam.link.name} link"


def _script_json(obj: Any) -> str:
    """JSON safe inside ``<script>``: no ``</``, no ``<!--``."""
    return json.dumps(obj, ensure_ascii=False).replace("<", "\\u003c")


def player_html(
    trace: Any,
    *,
    panels: Sequence[str] | None = None,
    dpi: float = DEFAULT_DPI,
    figsize: tuple[float, float] = DEFAULT_FIGSIZE,
    title: str | None = None,
    max_frames: int = MAX_FRAMES,
    colors: int | None = 256,
    interval: int = DEFAULT_INTERVAL,
    saved: bool = False,
    **figure_kw: Any,
) -> str:
    """A self-contained HTML player of every state of ``trace`` (see the module docstring).

    Parameters
    ----------
    trace : GLMResult or sequence of IRLSState
    panels, dpi, figsize, **figure_kw
        How each frame is drawn (:func:`render_frames`).
    title : str, optional
        Shown above the player (default: the family and link).
    max_frames : int
        Embed at most this many states, evenly spaced (first and last included); the
        player then says how many it left out.
    colors : int or None
        Palette size of the frames (``None``: exact pixels, about 3 times the bytes).
    interval : int
        Milliseconds per state when playing.
    saved : bool
        Mark it as the saved copy of a live explorer (class ``glmlearn-player-saved``,
        with :data:`SAVED_PLAYER_CSS`): hidden beside the live widget.

    Returns
    -------
    str
        One ``<div class="glmlearn-player">``; its ``id`` is unique per call.
    """
    tr = plot.as_trace(trace)
    idx = frame_indices(len(tr), max_frames)
    pngs = render_frames(tr, idx, panels=panels, dpi=dpi, figsize=figsize, colors=colors,
                         **figure_kw)
    frames = ["data:image/png;base64," + base64.b64encode(p).decode("ascii") for p in pngs]
    sentences = describe_trace(tr)
    captions = [sentences[k] for k in idx]
    last = len(tr) - 1
    labels = [f"iteration {tr[k].iteration} of {tr[last].iteration}" for k in idx]
    rows = state_rows(tr)
    pid = f"glmlearn-player-{uuid.uuid4().hex}"
    title = _title(tr) if title is None else title
    width, height = Image.open(io.BytesIO(pngs[0])).size

    pressed = {"play": ' aria-pressed="false"'}
    buttons = "".join(
        f'<button type="button" data-act="{act}" aria-label="{html.escape(tip.split(" (")[0])}"'
        f' title="{html.escape(tip)}"{pressed.get(act, "")}>{text}</button>'
        for act, text, tip in BUTTONS)
    head = "".join(f"<th scope=\"col\">{html.escape(h)}</th>" for h in rows[0])
    body = "".join(
        "<tr" + (' class="glmlearn-current" aria-current="true"' if i == 0 else "") + ">"
        + "".join(f"<td>{html.escape(v)}</td>" for v in rows[k].values()) + "</tr>"
        for i, k in enumerate(idx))
    note = ""
    if len(idx) < len(tr):
        note = (f'<p class="glmlearn-player-note">This trace has {len(tr)} states; the player '
                f"shows {len(idx)} of them, evenly spaced (the first and the last included). "
                "Run the notebook to step through every state.</p>")
    # frame 0 is the <img>'s own src; the script reads it from there
    data = {"frames": ["", *frames[1:]], "captions": captions, "labels": labels, "interval": int(interval),
            "playText": f"{RIGHT} play", "pauseText": "\u275a\u275a pause"}
    css = CSS + (SAVED_PLAYER_CSS if saved else "")
    cls = "glmlearn-player glmlearn-player-saved" if saved else "glmlearn-player"
    return (
        f'<div class="{cls}" id="{pid}" tabindex="0" role="group" data-frame="0"'
        f' aria-label="{html.escape(title)}: {len(idx)} IRLS states; arrow keys, Home and End'
        ' step through them">'
        f"<style>{css}</style>"
        f'<div class="glmlearn-player-title"><b>{html.escape(title)}</b></div>'
        f'<div class="glmlearn-player-controls">{buttons}'
        f'<input type="range" min="0" max="{len(idx) - 1}" step="1" value="0"'
        f' aria-label="state" aria-valuetext="{html.escape(labels[0])}">'
        f'<span class="glmlearn-player-pos">{html.escape(labels[0])}</span></div>'
        f'<img src="{frames[0]}" alt="{html.escape(captions[0])}" width="{width}"'
        f' height="{height}">'
        f'<p class="glmlearn-player-caption" aria-live="polite">{html.escape(captions[0])}</p>'
        f"{note}"
        f'<table class="glmlearn-player-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
        f'<script type="application/json" class="glmlearn-player-data">{_script_json(data)}'
        "</script>"
        f"<script>{JS.replace('ROOT', pid)}</script>"
        "</div>"
    )


def _plain(tr: tuple[IRLSState, ...], title: str | None) -> str:
    return (f"<{title or _title(tr)}: a player of {len(tr)} IRLS states "
            "(shown as HTML; needs no kernel)>")


def player_bundle(trace: Any, **kwargs: Any) -> dict[str, str]:
    """``{"text/html": player_html(trace, **kwargs), "text/plain": ...}`` for display.

    ``IPython.display.display(player_bundle(result), raw=True)`` shows the player.
    """
    tr = plot.as_trace(trace)
    return {"text/html": player_html(tr, **kwargs), "text/plain": _plain(tr, kwargs.get("title"))}


def saved_player_bundle(trace: Any, **kwargs: Any) -> dict[str, str]:
    """:func:`player_bundle` marked as the saved copy of a live explorer (``saved=True``)."""
    return player_bundle(trace, saved=True, **kwargs)


def display_with_player(widget: Any, trace: Any, **kwargs: Any) -> Any:
    """Display ``widget``, then the saved player of ``trace`` as its own output.

    The hook for a live explorer's ``_ipython_display_``: in a live JupyterLab the
    widget shows and the player hides itself (:data:`SAVED_PLAYER_CSS`); in a notebook
    exported to HTML or shown by nbviewer, where the widget stays blank without a kernel
    and a network, the player shows and steps through ``trace``.

    Parameters
    ----------
    widget
        What to display first (an ipywidget or anything IPython can display).
    trace : GLMResult or sequence of IRLSState
    **kwargs
        Passed to :func:`player_html` (``title=``, ``x=``, ``dpi=`` ...).

    Returns
    -------
    IPython.display.DisplayHandle
        The player's output (``handle.update(saved_player_bundle(...), raw=True)``
        replaces it).
    """
    from IPython.display import display

    display(widget)
    return display(saved_player_bundle(trace, **kwargs), raw=True, display_id=True)
