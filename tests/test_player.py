"""The self-contained HTML player (glmlearn.player): frames, words, no network, nbconvert.

The player's behaviour in a browser (buttons, keys, offline, JupyterLab) is tested in
``tests/browser/test_player_browser.py``; here the HTML it writes is read back: one frame
per state, each exactly the explorer figure of that state, every alt text and caption
the state's sentence, nothing fetched from anywhere, and how nbconvert shows it beside a
widget.
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from typing import Any

import numpy as np
import pytest
from PIL import Image

import glmlearn
from glmlearn import plot
from glmlearn.narrate import describe_state, describe_trace
from glmlearn.player import (
    DEFAULT_DPI,
    DEFAULT_FIGSIZE,
    SAVED_PLAYER_CSS,
    display_with_player,
    frame_indices,
    player_bundle,
    player_html,
    render_frames,
    saved_player_bundle,
    state_rows,
)


def exam_result() -> glmlearn.GLMResult:
    """The lessons' exam data: hours studied and pass/fail, a logistic fit from R's start."""
    np.random.seed(42)  # noqa: NPY002 - the lessons' own recipe, kept verbatim
    hours = np.random.uniform(1, 10, 200)  # noqa: NPY002
    passed = np.random.binomial(1, 1 / (1 + np.exp(-(-3 + 0.8 * hours))))  # noqa: NPY002
    X = np.column_stack([np.ones_like(hours), hours])
    return glmlearn.fit(X, passed, "binomial")


class Parsed(HTMLParser):
    """The parts of a player page the tests read (stdlib parser: no extra dependency)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.captions: list[str] = []
        self.rows: list[list[str]] = []
        self._script: dict[str, str] | None = None
        self._caption = False
        self._cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag == "script":
            self._script = a
            self._text = ""
        elif tag == "p" and "glmlearn-player-caption" in a.get("class", ""):
            self._caption = True
            self.captions.append("")
        elif tag == "tr" and self.tags and any(t == "tbody" for t, _ in self.tags):
            self.rows.append([])
        elif tag == "td":
            self._cell = True
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, self._text))
            self._script = None
        elif tag == "p":
            self._caption = False
        elif tag == "td":
            self._cell = False

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._text += data
        if self._caption:
            self.captions[-1] += data
        if self._cell:
            self.rows[-1][-1] += data

    def find(self, tag: str, cls: str | None = None) -> list[dict[str, str]]:
        return [a for t, a in self.tags
                if t == tag and (cls is None or cls in a.get("class", "").split())]

    @property
    def data(self) -> dict[str, Any]:
        (text,) = [t for a, t in self.scripts if a.get("type") == "application/json"]
        return json.loads(text)


def parse(html: str) -> Parsed:
    p = Parsed()
    p.feed(html)
    p.close()
    return p


def frames_of(p: Parsed) -> list[str]:
    """Every frame's data URI; frame 0 is stored once, as the <img>'s src."""
    (img,) = p.find("img")
    frames = list(p.data["frames"])
    assert frames[0] == ""
    frames[0] = img["src"]
    return frames


def rgb(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def decode(uri: str) -> bytes:
    head, b64 = uri.split(",", 1)
    assert head == "data:image/png;base64"
    return base64.b64decode(b64)


@pytest.fixture(scope="module")
def result() -> glmlearn.GLMResult:
    return exam_result()


@pytest.fixture(scope="module")
def page(result: glmlearn.GLMResult) -> str:
    return player_html(result, title="Exam data")


@pytest.fixture(scope="module")
def parsed(page: str) -> Parsed:
    return parse(page)


# --- structure --------------------------------------------------------------------------

def test_one_frame_caption_and_row_per_state(result: glmlearn.GLMResult, parsed: Parsed) -> None:
    n = len(result.trace)
    assert n == 7
    frames = frames_of(parsed)
    assert len(frames) == n and len(set(frames)) == n  # every state its own picture
    assert len(parsed.data["captions"]) == len(parsed.data["labels"]) == n
    assert len(parsed.rows) == n
    (rng,) = parsed.find("input")
    assert (rng["type"], rng["min"], rng["max"], rng["value"]) == ("range", "0", str(n - 1), "0")
    (img,) = parsed.find("img")
    size = (int(DEFAULT_FIGSIZE[0] * DEFAULT_DPI), int(DEFAULT_FIGSIZE[1] * DEFAULT_DPI))
    assert (int(img["width"]), int(img["height"])) == size == (828, 460)
    for frame in frames:
        assert Image.open(io.BytesIO(decode(frame))).size == size


def test_one_player_div_focusable_with_controls(parsed: Parsed) -> None:
    (root,) = parsed.find("div", "glmlearn-player")
    assert root["tabindex"] == "0" and root["id"].startswith("glmlearn-player-")
    assert root["role"] == "group" and "arrow keys" in root["aria-label"]
    acts = [b["data-act"] for b in parsed.find("button")]
    assert acts == ["first", "prev", "play", "next", "last"]
    assert all(b["type"] == "button" and b["aria-label"] for b in parsed.find("button"))
    (cap,) = parsed.find("p", "glmlearn-player-caption")
    assert cap["aria-live"] == "polite"
    # one executable script, which finds its own player (no globals shared between players)
    code = [t for a, t in parsed.scripts if "type" not in a]
    assert len(code) == 1 and root["id"] in code[0] and "document.currentScript" in code[0]
    assert "stopPropagation" in code[0] and "keydown" in code[0]


def test_ids_are_unique_per_output(result: glmlearn.GLMResult, page: str) -> None:
    other = player_html(result.trace[:3])
    ids = [parse(h).find("div", "glmlearn-player")[0]["id"] for h in (page, other)]
    assert ids[0] != ids[1]


def test_nothing_is_fetched(page: str) -> None:
    for needle in ("http://", "https://", "//cdn", "<link", "@import", "url("):
        assert needle not in page, needle
    p = parse(page)
    for tag, attrs in p.tags:
        for name in ("src", "href"):
            if name in attrs:
                assert attrs[name].startswith("data:image/png;base64,"), (tag, attrs[name][:40])
    assert all(f.startswith("data:image/png;base64,") for f in p.data["frames"][1:])


def test_alt_and_captions_are_describe_state(result: glmlearn.GLMResult, parsed: Parsed) -> None:
    tr = result.trace
    expected = [describe_state(s, tr[k - 1] if k else None) for k, s in enumerate(tr)]
    assert list(describe_trace(tr)) == expected
    assert parsed.data["captions"] == expected
    (img,) = parsed.find("img")
    assert img["alt"] == expected[0]                  # frame 0 as written
    assert parsed.captions == [expected[0]]
    assert parsed.data["labels"][3] == "iteration 3 of 6"


def test_state_zero_is_marked_as_a_starting_guess(result: glmlearn.GLMResult, parsed: Parsed
                                                  ) -> None:
    assert result.trace[0].beta is None  # R's starting means
    assert "starting guess" in parsed.captions[0]
    first, second = parsed.rows[0], parsed.rows[1]
    assert first[0] == "0 (starting guess μ⁽⁰⁾)"
    assert first[2] == "—" and second[2] != "—"      # no criterion at state 0
    assert second[0] == "1"
    assert parsed.find("tr", "glmlearn-current")[0]["aria-current"] == "true"


def test_state_table_reads_the_states(result: glmlearn.GLMResult) -> None:
    rows = state_rows(result)
    assert list(rows[0]) == ["iteration", "deviance", "criterion", "max|U|", "step-halvings"]
    for s, row in zip(result.trace, rows, strict=True):
        assert float(row["deviance"]) == pytest.approx(s.deviance, rel=1e-5)
        assert float(row["max|U|"]) == pytest.approx(s.max_abs_score, rel=1e-2)
        assert row["step-halvings"] == str(s.step_halvings)
        if s.iteration:
            assert float(row["criterion"]) == pytest.approx(s.criterion, rel=1e-2)


def test_state_zero_from_given_coefficients() -> None:
    X = np.column_stack([np.ones(6), np.arange(6.0)])
    r = glmlearn.fit(X, [0, 0, 1, 0, 1, 1], "binomial", start=[0.0, 0.0])
    rows = state_rows(r)
    assert rows[0]["iteration"] == "0 (start β⁽⁰⁾)" and rows[0]["criterion"] == "—"
    assert describe_state(r.trace[0]).startswith("Iteration 0 starts from the coefficients")


# --- frames are the explorer figure -----------------------------------------------------

def fresh_render(result: glmlearn.GLMResult, k: int) -> bytes:
    fig, _ = plot.explorer_figure(result, k, figsize=DEFAULT_FIGSIZE, dpi=DEFAULT_DPI)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DEFAULT_DPI)
    return buf.getvalue()


def test_frame_equals_a_fresh_explorer_figure(result: glmlearn.GLMResult, parsed: Parsed) -> None:
    k = 3
    want = rgb(fresh_render(result, k))
    got = rgb(decode(frames_of(parsed)[k]))
    assert got.shape == want.shape
    # the palette frame is the fresh rendering reduced the same way, pixel for pixel ...
    same_palette = Image.fromarray(want).quantize(256, method=Image.Quantize.MAXCOVERAGE,
                                                  dither=Image.Dither.NONE)
    assert np.array_equal(got, np.asarray(same_palette.convert("RGB")))
    # ... and close to the exact one (no pixel off by more than a few levels)
    diff = np.abs(got.astype(int) - want.astype(int)).sum(axis=2)
    assert diff.max() <= 30 and diff.mean() < 1.5
    # it is state k's picture, not a neighbour's
    other = rgb(fresh_render(result, k + 1))
    assert np.abs(got.astype(int) - other.astype(int)).sum(axis=2).mean() > 3 * diff.mean()


def test_exact_frames_without_a_palette(result: glmlearn.GLMResult) -> None:
    (png,) = render_frames(result, [5], colors=None)
    assert np.array_equal(rgb(png), rgb(fresh_render(result, 5)))


def test_frames_are_small(result: glmlearn.GLMResult, page: str) -> None:
    pngs = render_frames(result)
    assert max(map(len, pngs)) < 45_000               # about 34 kB at 828 x 460
    assert len(page.encode()) < 400_000               # seven states, base64, table, script
    exact = render_frames(result, [2], colors=None)[0]
    assert len(pngs[2]) < 0.5 * len(exact)


# --- a long trace -----------------------------------------------------------------------

def test_frame_indices_keep_first_and_last() -> None:
    assert frame_indices(5, 40) == (0, 1, 2, 3, 4)
    idx = frame_indices(101, 40)
    assert len(idx) == 40 and idx[0] == 0 and idx[-1] == 100
    assert list(idx) == sorted(set(idx))
    with pytest.raises(ValueError):
        frame_indices(0)
    with pytest.raises(ValueError):
        frame_indices(10, 1)


def test_long_trace_is_capped_with_a_note(result: glmlearn.GLMResult) -> None:
    p = parse(player_html(result, max_frames=3))
    idx = frame_indices(7, 3)
    assert idx == (0, 3, 6)
    assert len(frames_of(p)) == 3 and len(p.rows) == 3
    sentences = describe_trace(result.trace)
    assert p.data["captions"] == [sentences[k] for k in idx]  # each with its own previous state
    assert p.data["labels"] == ["iteration 0 of 6", "iteration 3 of 6", "iteration 6 of 6"]
    assert len(p.find("p", "glmlearn-player-note")) == 1
    text = re.search(r'glmlearn-player-note">([^<]*)', player_html(result.trace[:4], max_frames=2))
    assert text and "4 states" in text.group(1) and "shows 2" in text.group(1)


# --- bundles and the saved copy ---------------------------------------------------------

def test_bundles(result: glmlearn.GLMResult) -> None:
    short = result.trace[:2]
    b = player_bundle(short, title="T")
    assert set(b) == {"text/html", "text/plain"}
    assert "glmlearn-player-saved" not in b["text/html"] and "<T: a player of 2" in b["text/plain"]
    s = saved_player_bundle(short)
    (root,) = parse(s["text/html"]).find("div", "glmlearn-player")
    assert root["class"].split() == ["glmlearn-player", "glmlearn-player-saved"]
    assert SAVED_PLAYER_CSS in s["text/html"]


def test_display_with_player_shows_the_widget_then_the_saved_player(
        result: glmlearn.GLMResult, monkeypatch: pytest.MonkeyPatch) -> None:
    import IPython.display

    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(IPython.display, "display",
                        lambda obj, **kw: calls.append((obj, kw)) or "handle")
    widget = object()
    assert display_with_player(widget, result.trace[:2], title="T") == "handle"
    (w, wkw), (bundle, kw) = calls
    assert w is widget and wkw == {}
    assert kw == {"raw": True, "display_id": True}
    assert "glmlearn-player-saved" in bundle["text/html"] and "text/plain" in bundle


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node for a syntax check")
def test_script_is_valid_javascript(parsed: Parsed, tmp_path: Any) -> None:
    (code,) = [t for a, t in parsed.scripts if "type" not in a]
    path = tmp_path / "player.js"
    path.write_text(code)
    subprocess.run(["node", "--check", str(path)], check=True, capture_output=True)


# --- what nbconvert does with a widget and its saved player -----------------------------

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _export(with_state: bool, player: dict[str, str]) -> str:
    """A notebook with a widget output (view + static snapshot) and a saved player, as HTML."""
    nbformat = pytest.importorskip("nbformat")
    nbconvert = pytest.importorskip("nbconvert")
    widget_bundle = {WIDGET_VIEW: {"model_id": "m1", "version_major": 2, "version_minor": 0},
                     "text/html": "<div class='glmlearn-snapshot'>SNAPSHOT</div>",
                     "text/plain": "VBox()"}
    cell = nbformat.v4.new_code_cell("ex", outputs=[
        nbformat.v4.new_output("display_data", data=widget_bundle),
        nbformat.v4.new_output("display_data", data=player)])
    nb = nbformat.v4.new_notebook(cells=[cell])
    if with_state:
        nb.metadata["widgets"] = {WIDGET_STATE: {
            "state": {"m1": {"model_name": "VBoxModel", "model_module": "@jupyter-widgets/controls",
                             "model_module_version": "2.0.0", "state": {}}},
            "version_major": 2, "version_minor": 0}}
    body, _ = nbconvert.HTMLExporter().from_notebook_node(nb)
    return str(body)


def test_nbconvert_shows_the_widget_view_and_drops_its_html_when_state_is_saved(
        result: glmlearn.GLMResult) -> None:
    player = saved_player_bundle(result.trace[:2])
    with_state = _export(True, player)
    # the widget output is the view placeholder only (blank offline: html-manager comes
    # from a CDN); the text/html in the same bundle is not rendered ...
    assert f'<script type="{WIDGET_VIEW}">' in with_state
    assert "SNAPSHOT" not in with_state
    assert "unpkg.com" in with_state
    # ... so the saved player, an output of its own, is what an offline reader gets
    assert with_state.count('class="glmlearn-player glmlearn-player-saved"') == 1

    without = _export(False, player)
    # no saved state: the view is skipped and the bundle's html shown (hidden by the
    # saved player's CSS, so the reader sees one player, not a picture and a player)
    assert f'<script type="{WIDGET_VIEW}">' not in without
    assert "SNAPSHOT" in without and "unpkg.com" not in without
    assert without.count('class="glmlearn-player glmlearn-player-saved"') == 1
    # the CSS rule's selectors match nbconvert's lab template
    assert 'class="jp-OutputArea jp-Cell-outputArea"' in without
    assert without.count('class="jp-OutputArea-child"') >= 2


def test_the_explorer_displays_its_saved_player_after_the_live_widget():
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    from glmlearn.widgets import irls_explorer

    InteractiveShell.instance()
    ex = irls_explorer("pass_fail", backend="png")
    with capture_output() as captured:
        ex._ipython_display_()
    first, second = captured.outputs
    assert "application/vnd.jupyter.widget-view+json" in first.data
    html = second.data["text/html"]
    assert "glmlearn-player-saved" in html and html.count("data:image/png;base64,") >= len(ex.trace)
