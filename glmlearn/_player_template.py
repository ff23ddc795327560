"""The text of :func:`glmlearn.player.player_html`: its CSS, its buttons and its JavaScript.

Plain strings, no logic: :mod:`glmlearn.player` fills them in (the player's ``id`` for
``ROOT``, the frames, captions and labels as JSON).
"""

from __future__ import annotations

__all__ = ["BUTTONS", "CSS", "JS", "LEFT", "RIGHT"]

# The player's own style, scoped to ``.glmlearn-player``.
CSS = (
    ".glmlearn-player{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;"
    "font-size:14px;line-height:1.4;max-width:100%;padding:6px;"
    "border:1px solid #bbb;border-radius:4px;background:#fff;color:#111}"
    ".glmlearn-player:focus{outline:3px solid #0072B2;outline-offset:1px}"
    ".glmlearn-player-controls{display:flex;flex-wrap:wrap;align-items:center;gap:6px;"
    "margin:4px 0}"
    ".glmlearn-player button{font-size:14px;min-width:2.6em;padding:2px 6px;cursor:pointer}"
    ".glmlearn-player input[type=range]{flex:1 1 200px;min-width:120px}"
    ".glmlearn-player img{display:block;max-width:100%;height:auto}"
    ".glmlearn-player-caption{margin:4px 0;min-height:2.8em}"
    ".glmlearn-player table{border-collapse:collapse;font-size:13px;margin-top:4px}"
    ".glmlearn-player th,.glmlearn-player td{padding:1px 8px;text-align:right;"
    "border-bottom:1px solid #ddd}"
    ".glmlearn-player tbody tr{cursor:pointer}"
    ".glmlearn-player tr.glmlearn-current{background:#fde9c8;font-weight:bold}"
    ".glmlearn-player-note{font-style:italic;margin:4px 0}"
)

# Plain text on the buttons: the two triangles of Unicode's Geometric Shapes are in
# every font (U+FE0E asks for their text form, not an emoji).
LEFT, RIGHT = "\u25c0\ufe0e", "\u25b6\ufe0e"
BUTTONS = (
    ("first", f"|{LEFT}", "first state (Home)"),
    ("prev", LEFT, "previous state (\u2190)"),
    ("play", f"{RIGHT} play", "play (Space)"),
    ("next", RIGHT, "next state (\u2192)"),
    ("last", f"{RIGHT}|", "last state (End)"),
)

# The behaviour of one player. ``ROOT`` is replaced by the player's id. It runs as the
# page is parsed (nbconvert) or when a front end evaluates the output's scripts
# (JupyterLab does for trusted outputs); ``document.currentScript`` finds its player
# even before the output is attached to the page.
JS = r"""(function () {
  var me = document.currentScript;
  var root = (me && me.closest('.glmlearn-player')) || document.getElementById('ROOT');
  if (!root || root.getAttribute('data-ready')) return;
  root.setAttribute('data-ready', '1');
  var data = JSON.parse(root.querySelector('script.glmlearn-player-data').textContent);
  var img = root.querySelector('img'), cap = root.querySelector('.glmlearn-player-caption');
  var pos = root.querySelector('.glmlearn-player-pos');
  var range = root.querySelector('input[type=range]');
  var play = root.querySelector('button[data-act=play]');
  var rows = root.querySelectorAll('tbody tr');
  data.frames[0] = data.frames[0] || img.getAttribute('src');  // frame 0 is stored once
  var n = data.frames.length, k = 0, timer = null;
  function show(j) {
    k = Math.max(0, Math.min(n - 1, j));
    img.src = data.frames[k];
    img.alt = data.captions[k];
    cap.textContent = data.captions[k];
    pos.textContent = data.labels[k];
    range.value = String(k);
    range.setAttribute('aria-valuetext', data.labels[k]);
    root.setAttribute('data-frame', String(k));
    for (var i = 0; i < rows.length; i++) {
      var on = i === k;
      rows[i].className = on ? 'glmlearn-current' : '';
      if (on) rows[i].setAttribute('aria-current', 'true');
      else rows[i].removeAttribute('aria-current');
    }
  }
  function stop() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    play.textContent = data.playText; play.setAttribute('aria-label', 'play');
    play.setAttribute('aria-pressed', 'false');
  }
  function start() {
    if (n < 2) return;
    if (k >= n - 1) show(0);
    play.textContent = data.pauseText; play.setAttribute('aria-label', 'pause');
    play.setAttribute('aria-pressed', 'true');
    timer = setInterval(function () {
      if (!root.isConnected) { stop(); return; }
      show(k + 1);
      if (k >= n - 1) stop();  // the last state: Play ends there
    }, data.interval);
  }
  function toggle() { if (timer === null) start(); else stop(); }
  var acts = {first: function () { stop(); show(0); }, prev: function () { stop(); show(k - 1); },
              play: toggle, next: function () { stop(); show(k + 1); },
              last: function () { stop(); show(n - 1); }};
  root.querySelectorAll('button[data-act]').forEach(function (b) {
    b.addEventListener('click', function (e) { acts[b.getAttribute('data-act')](); e.stopPropagation(); });
  });
  range.addEventListener('input', function () { stop(); show(parseInt(range.value, 10)); });
  rows.forEach(function (r, i) { r.addEventListener('click', function () { stop(); show(i); }); });
  var keys = {ArrowLeft: acts.prev, ArrowRight: acts.next, Home: acts.first, End: acts.last};
  root.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var t = e.target, onRange = t === range, onButton = t.tagName === 'BUTTON';
    if (onRange && (e.key in keys || /^Page/.test(e.key))) {
      e.stopPropagation(); return;  // the slider moves itself, then fires 'input'
    }
    if (onButton && (e.key === 'Enter' || e.key === ' ')) {
      e.stopPropagation(); return;  // the button clicks itself
    }
    var f = keys[e.key] || (e.key === ' ' ? toggle : null);
    if (!f) return;  // every other key (Shift+Enter, Escape, ...) still reaches the notebook
    f(); e.preventDefault(); e.stopPropagation();
  });
  show(0);
})();"""
