r"""matplotlib's JSHTML animation player, made to work offline and counted.

Upstream behaviour worked around: the player that ``Animation.to_jshtml`` writes
(``matplotlib.animation.HTMLWriter`` with the template in the private
``matplotlib._animation_data``) draws its nine buttons with Font Awesome 4 icons
(``<i class="fa fa-play"></i>`` ...) and loads their stylesheet from a CDN
(``<link rel="stylesheet" href="https://.../font-awesome.min.css">``). Offline, or
behind a school proxy, the buttons are blank. :func:`offline_player` removes the link
and replaces each icon by plain text. The template is not public API, so the rewrite is
by regular expression on its output; an icon it does not know becomes ``?``.

Also read from the template: each embedded frame is a line
``frames[i] = "data:image/png;base64,..."`` (:func:`count_frames`). matplotlib drops
frames beyond ``rcParams["animation.embed_limit"]`` and only logs it; counting them is
how :func:`glmlearn.animation.to_html` notices.

Seen on matplotlib 3.11.2 (Font Awesome 4.4.0 from maxcdn). Pinned by
``tests/test_animation.py::test_jshtml_template_is_what_the_rewrite_expects`` (the raw
player still has the stylesheet link, only known icons and one line per frame) and
``test_to_html_embeds_every_frame_with_controls`` (the rewritten page is self-contained).
"""

from __future__ import annotations

import re

__all__ = ["ICONS", "count_frames", "offline_player"]

_FRAME = re.compile(r"frames\[\d+\]\s*=\s*\"data:image/")

# Plain text needs nothing. Only ASCII and the two triangles of Unicode's Geometric
# Shapes, which every font has (the media symbols U+23E9-23FA are missing from many);
# U+FE0E asks for the triangles' text form, not an emoji.
_L, _R = "\u25c0\ufe0e", "\u25b6\ufe0e"

#: Font Awesome class of each button of matplotlib's player -> the text shown instead.
ICONS: dict[str, str] = {
    "fa-minus": "\u2212",
    "fa-fast-backward": f"|{_L}{_L}",
    "fa-step-backward": f"|{_L}",
    "fa-play fa-flip-horizontal": _L,
    "fa-pause": "||",
    "fa-play": _R,
    "fa-step-forward": f"{_R}|",
    "fa-fast-forward": f"{_R}{_R}|",
    "fa-plus": "+",
}
ICON = re.compile(r'<i class="fa ([^"]+)"></i>')
FONT_AWESOME = re.compile(r'<link rel="stylesheet"\s+href="[^"]*font-awesome[^"]*">\s*')


def offline_player(html: str) -> str:
    """``html`` from ``to_jshtml`` without the CDN stylesheet, its icons as text."""
    html = FONT_AWESOME.sub("", html)
    return ICON.sub(lambda m: f"<span>{ICONS.get(m.group(1), '?')}</span>", html)


def count_frames(html: str) -> int:
    """Number of frames embedded in a JSHTML player."""
    return len(_FRAME.findall(html))
