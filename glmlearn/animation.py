"""Animations of an IRLS trace: one frame per state, for notebooks, web pages and slides.

The frames are drawn by the very functions a widget uses: :func:`glmlearn.plot.explorer_figure`
draws the panels once, and each frame moves them with :func:`glmlearn.plot.update_all`.
So an exported animation shows exactly what the interactive explorer shows.

* :func:`animate_trace` -- a :class:`matplotlib.animation.FuncAnimation`;
* :func:`to_html` -- a self-contained HTML snippet with play controls (matplotlib's
  JSHTML: the frames are embedded PNG images, so it works in nbviewer, in exported
  notebooks and in any static web page, without a Python kernel);
* :func:`save_gif` -- an animated GIF (Pillow), e.g. for slides.

There is one frame per state of the trace. The defaults are paced for a class: one
iteration per second, and the last frame (the fit) is held for 3 s before a loop starts
again: a GIF shows it for 3 s (a duration per frame); the HTML player, which has one
interval for every frame, embeds it 3 times at one frame per second.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib.animation import FuncAnimation, PillowWriter
from matplotlib.artist import Artist
from matplotlib.figure import Figure

from . import plot as _plot
from .errors import GLMInputError
from .plot import _jshtml

__all__ = ["animate_trace", "count_html_frames", "gif_durations", "save_gif", "to_html"]

def animate_trace(
    trace: Any,
    panels: Sequence[str] | None = None,
    *,
    interval: float = 1000.0,
    repeat: bool = True,
    fig: Figure | None = None,
    figsize: tuple[float, float] | None = None,
    dpi: float | None = None,
    x: Any = None,
    band: Any = None,
    panel_kw: Mapping[str, Mapping[str, Any]] | None = None,
    ncols: int = 3,
    legends: bool = True,
    hold_frames: int = 0,
) -> FuncAnimation:
    """Animate ``trace``: frame ``k`` shows state ``k`` in every panel.

    Parameters
    ----------
    trace : GLMResult or sequence of IRLSState
    panels : sequence of str, optional
        Panel names (see :data:`glmlearn.plot.PANELS`); default
        :func:`glmlearn.plot.default_panels`.
    interval : float
        Milliseconds between frames (default one iteration per second).
    repeat : bool
        Loop the animation (also the default mode of :func:`to_html`).
    fig : Figure, optional
        An empty figure to draw into, e.g. ``plt.figure()`` to show the animation live
        with ``plt.show()``. Default: a new figure not registered with pyplot, which is
        what exports want (nothing is displayed twice, nothing leaks).
    figsize, dpi, x, band, panel_kw, ncols, legends
        Passed to :func:`glmlearn.plot.explorer_figure`.
    hold_frames : int
        Extra frames of the last state, after it: a pause on the fit for a player that
        gives every frame the same time.

    Returns
    -------
    FuncAnimation
        With ``len(trace) + hold_frames`` frames. Keep a reference to it while it plays.
    """
    if isinstance(hold_frames, bool) or not isinstance(hold_frames, int) or hold_frames < 0:
        raise GLMInputError(f"hold_frames: must be a whole number >= 0, got {hold_frames!r}")
    states = _plot.as_trace(trace)
    fig, artists = _plot.explorer_figure(states, 0, panels=panels, fig=fig, figsize=figsize,
                                         dpi=dpi, x=x, band=band, panel_kw=panel_kw,
                                         ncols=ncols, legends=legends)

    def frame(k: int) -> Sequence[Artist]:
        _plot.update_all(artists, states[k])
        return ()  # blit=False: the whole figure is redrawn once per frame

    # init_func that does nothing: the figure is already at state 0, and without it
    # FuncAnimation would call frame(0) one extra time.
    order = [*range(len(states)), *[len(states) - 1] * hold_frames]
    anim = FuncAnimation(fig, frame, frames=order, init_func=lambda: (),
                         interval=interval, repeat=repeat, blit=False,
                         cache_frame_data=False)
    anim.panels = artists  # type: ignore[attr-defined]  # for callers who restyle
    return anim


def to_html(
    trace: Any,
    panels: Sequence[str] | None = None,
    *,
    fps: float = 1,
    default_mode: str = "once",
    hold_last: float = 3.0,
    embed_limit_mb: float = 100.0,
    dpi: float = 72.0,
    offline_icons: bool = True,
    **kwargs: Any,
) -> str:
    """The animation as a self-contained HTML snippet with play controls (JSHTML).

    Parameters
    ----------
    trace : GLMResult or sequence of IRLSState
    panels : sequence of str, optional
    fps : float
        Frames per second when playing (default one iteration per second).
    default_mode : {"once", "loop", "reflect"}
        What the player does at the last frame (the reader can change it).
    hold_last : float
        Seconds the last state (the fit) stays on screen before a looping player starts
        again (the reader can switch the player to ``"loop"``): the player gives every
        frame ``1 / fps``, so the last state is embedded ``max(1, round(hold_last *
        fps))`` times, and the slider's last positions show the same fit.
    embed_limit_mb : float
        Size cap of the embedded frames. matplotlib silently drops frames beyond its
        ``animation.embed_limit``; here that raises instead.
    dpi : float
        Resolution of the frames (lower is smaller).
    offline_icons : bool
        Draw the player's buttons with Unicode symbols instead of loading Font Awesome
        from a CDN, so the page needs no network at all (matplotlib's player template
        rewritten; see ``glmlearn/plot/_jshtml.py``).
    **kwargs
        Passed to :func:`animate_trace`.

    Returns
    -------
    str
        HTML; in a notebook show it with ``IPython.display.HTML(...)``; on its own it is
        a complete page body (inline script, frames as ``data:`` PNG images).

    Raises
    ------
    RuntimeError
        If frames were dropped because of ``embed_limit_mb``.
    """
    if not fps > 0:
        raise GLMInputError(f"fps: must be positive, got {fps!r}")
    if default_mode not in ("once", "loop", "reflect"):
        raise GLMInputError(f"default_mode: must be 'once', 'loop' or 'reflect', "
                            f"got {default_mode!r}")
    if not hold_last >= 0:
        raise GLMInputError(f"hold_last: must be seconds >= 0, got {hold_last!r}")
    states = _plot.as_trace(trace)
    # Embedded whatever the mode: the reader can switch the player to "loop".
    hold = max(1, round(hold_last * fps)) - 1
    anim = animate_trace(states, panels, dpi=dpi, hold_frames=hold, **kwargs)
    with mpl.rc_context({"animation.embed_limit": embed_limit_mb}):
        html = str(anim.to_jshtml(fps=fps, default_mode=default_mode))  # type: ignore[arg-type]
    if offline_icons:
        html = _jshtml.offline_player(html)
    got = count_html_frames(html)
    if got != len(states) + hold:
        raise RuntimeError(f"to_html: {got} of {len(states) + hold} frames embedded; raise "
                           "embed_limit_mb or lower dpi")
    return html


def count_html_frames(html: str) -> int:
    """Number of frames embedded in a JSHTML animation (from :func:`to_html`)."""
    return _jshtml.count_frames(html)


def save_gif(
    trace: Any,
    path: str | Path,
    panels: Sequence[str] | None = None,
    *,
    fps: float = 1,
    dpi: float = 72.0,
    loop: int = 0,
    hold_last: float = 3.0,
    **kwargs: Any,
) -> Path:
    """Save the animation of ``trace`` as an animated GIF with Pillow.

    Parameters
    ----------
    trace : GLMResult or sequence of IRLSState
    path : str or Path
        Where to write the ``.gif``.
    panels : sequence of str, optional
    fps : float
        Frames per second (default one iteration per second).
    dpi : float
        Resolution of the frames.
    loop : int
        Times the GIF plays, 0 = for ever (Pillow's convention).
    hold_last : float
        Seconds the last frame (the fit) stays before the GIF starts again; at least
        one frame's time (``1 / fps``).
    **kwargs
        Passed to :func:`animate_trace`.

    Returns
    -------
    Path
        ``path``.
    """
    if not fps > 0:
        raise GLMInputError(f"fps: must be positive, got {fps!r}")
    if not hold_last >= 0:
        raise GLMInputError(f"hold_last: must be seconds >= 0, got {hold_last!r}")
    out = Path(path)
    states = _plot.as_trace(trace)
    anim = animate_trace(states, panels, dpi=dpi, interval=1000.0 / fps, **kwargs)
    writer = PillowWriter(fps=fps, metadata=None)  # type: ignore[arg-type]  # any rate: retimed
    anim.save(str(out), writer=writer, dpi=dpi, savefig_kwargs={"facecolor": "white"})
    frame_ms = 1000.0 / fps
    durations = [frame_ms] * len(states)
    durations[-1] = max(frame_ms, 1000.0 * hold_last)
    _retime_gif(out, durations, loop)
    return out


def gif_durations(path: str | Path) -> list[int]:
    """How long each frame of a GIF is shown, in milliseconds."""
    from PIL import Image, ImageSequence

    with Image.open(path) as im:
        return [int(f.info.get("duration", 0)) for f in ImageSequence.Iterator(im)]


def _retime_gif(path: Path, durations: Sequence[float], loop: int) -> None:
    # PillowWriter gives every frame the same duration and always loops for ever;
    # rewrite the file with a duration per frame (GIF keeps centiseconds) and the loop.
    from PIL import Image, ImageSequence

    with Image.open(path) as im:
        frames = [f.copy() for f in ImageSequence.Iterator(im)]
    # Never merge two equal-looking frames into one: every state keeps its frame.
    frames[0].save(path, save_all=True, append_images=frames[1:], loop=loop,
                   duration=[round(d) for d in durations[:len(frames)]],
                   optimize=False, disposal=1)
