"""The hands-on widget in a real JupyterLab and Chromium: a click and a drag, by mouse.

``hands_on.ipynb`` runs ``%matplotlib widget`` and shows ``hands_on`` on the Challenger
fit (logistic regression of O-ring damage on temperature), starting at β = (10, −0.15).
The test asks the kernel where a β lies on the canvas (``h.pixel_of``), clicks there
with Playwright's mouse, and checks that the widget's readout (the text beside the
picture) and the kernel both show that β, that the canvas was redrawn, and that the fit
panel's curve is the logistic curve of that β. Then it drags the warmest flight's point
(no damage) up to "damaged" with the mouse: the readout must say the model was refitted,
the point's readout must show y = 1, and the kernel must hold the new response and a
refit that solves the score equations of the changed data, X'(y − μ) = 0. No callback
error, no error or stderr output, no JavaScript error.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

pytestmark = pytest.mark.browser

NOTEBOOK = "hands_on.ipynb"
TARGET = (12.0, -0.2)  # the β to click: inside the surface's window, off the path


def canvas_point(page: Any, lab: Any, panel: str, x: float, y: float) -> tuple[float, float]:
    """Page coordinates of the data point (x, y) of a panel, from the kernel's transform."""
    out = lab.kernel_execute(page, f"print(*h.pixel_of({panel!r}, {x!r}, {y!r}), "
                                   "h.figure.bbox.width, h.figure.bbox.height)")
    px, py, fw, fh = map(float, out.split())
    box = page.locator(".glmlearn-figure canvas").first.bounding_box()
    assert box is not None
    # The canvas is drawn at the figure's size in pixels (device scale factor 1).
    return box["x"] + px * box["width"] / fw, box["y"] + py * box["height"] / fh


def canvas_url(page: Any) -> str:
    return str(page.locator(".glmlearn-figure canvas").first.evaluate(
        "c => c.toDataURL('image/png')"))


def readout(page: Any) -> str:
    return str(page.locator(".glmlearn-readout").inner_text())


def shown_beta(page: Any) -> tuple[float, float] | None:
    m = re.search(r"β₀ = (-?\d+\.\d+), β₁ = (-?\d+\.\d+)", readout(page))
    return (float(m.group(1)), float(m.group(2))) if m else None


def test_click_sets_beta_and_drag_refits(jupyter_lab: Any, page: Any, lab: Any,
                                         shots_dir: Any) -> None:
    t0 = time.perf_counter()
    T = lab.open_and_run_all(page, jupyter_lab.url, NOTEBOOK, timeout=90,
                             sentinel="hands-on ready")
    page.locator(".glmlearn-figure canvas").first.wait_for(state="visible")
    lab.poll(page, lambda: shown_beta(page) == (10.0, -0.15), what="the starting β shown")
    page.locator(".glmlearn-hands-on").screenshot(path=str(shots_dir / "hands_on_0.png"))

    # A click on the deviance surface sets β: the readout beside the picture shows it.
    t = time.perf_counter()
    before_click = canvas_url(page)
    cx, cy = canvas_point(page, lab, "path", *TARGET)
    page.mouse.click(cx, cy)

    def near_target() -> bool:
        b = shown_beta(page)
        # one pixel of the surface panel is about 0.05 in β₀ and 0.0008 in β₁
        return b is not None and abs(b[0] - TARGET[0]) < 0.2 and abs(b[1] - TARGET[1]) < 0.004

    lab.poll(page, near_target, what=f"the readout to show β near {TARGET}")
    T["click_s"] = time.perf_counter() - t
    assert "the β you set" in readout(page)
    out = lab.kernel_execute(page, (
        "from scipy.special import expit\n"
        "c = h.panels['fit'].curve\n"
        "g = np.asarray(c.get_xdata())\n"
        "print(*h.beta, len(h.trace), bool(np.allclose(c.get_ydata(), "
        "expit(h.beta[0] + h.beta[1] * g))), len(h.errors))"))
    b0, b1, n_states, curve_ok, n_errors = out.split()
    assert (float(b0), float(b1)) == pytest.approx(shown_beta(page), abs=5e-4)
    assert (n_states, curve_ok, n_errors) == ("1", "True", "0"), out
    page.locator(".glmlearn-hands-on").screenshot(path=str(shots_dir / "hands_on_clicked.png"))

    # A drag of the warmest flight's point from y = 0 up to y = 1 refits the model.
    i = int(lab.kernel_execute(page, "print(int(np.argmax(ds['temperature'])))"))
    temp = float(lab.kernel_execute(page, f"print(ds['temperature'][{i}])"))
    lab.poll(page, lambda: canvas_url(page) != before_click, what="the clicked β drawn")
    before_drag = canvas_url(page)
    sx, sy = canvas_point(page, lab, "fit", temp, 0.0)
    ex, ey = canvas_point(page, lab, "fit", temp, 0.95)
    t = time.perf_counter()
    page.mouse.move(sx, sy)
    page.mouse.down()
    page.mouse.move(ex, ey, steps=10)
    page.mouse.up()
    lab.poll(page, lambda: "refit" in readout(page), timeout_s=30,
             what="the readout to show the refit")
    T["drag_s"] = time.perf_counter() - t
    lab.poll(page, lambda: canvas_url(page) != before_drag, what="the refit drawn")
    page.wait_for_timeout(1500)  # the settle timer's last frame
    point = page.locator(".glmlearn-point").inner_text()
    assert f"point {i}" in point and "y = 1," in point and "leverage h" in point, point
    out = lab.kernel_execute(page, (
        f"print(h.refits, h.y[{i}], h.selected, "
        "bool(np.abs(X.T @ (h.y - h.result.mu)).max() < 1e-6 * np.abs(X.T @ h.y).max()), "
        "len(h.errors))"))
    assert out.split() == ["1", "1.0", str(i), "True", "0"], out
    page.locator(".glmlearn-hands-on").screenshot(path=str(shots_dir / "hands_on_dragged.png"))
    lab.assert_no_errors(page)
    T["test_body_s"] = time.perf_counter() - t0
    lab.TIMINGS.update({f"hands_on_{key}": round(v, 2) for key, v in T.items()})
