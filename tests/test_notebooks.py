"""The lessons (notebooks/NN-slug.ipynb): thin, executed, and faithful to the seed.

Static checks only: this module reads the stored notebooks and never runs them. The lessons
are executed elsewhere, once per path: by nbval in the default ``pytest`` run
(``--nbval-lax`` in pyproject.toml, which also compares every ``# NBVAL_CHECK_OUTPUT``
cell with its stored output; :func:`test_nbval_runs_the_lessons` checks that configuration),
in a fresh Binder environment (``tests/test_binder.py``) and in JupyterLab
(``tests/browser/``). Their run time is a benchmark, not a test:
``benchmarks/bench_lessons.py``.

* the first code cell only imports (DESIGN.md item 15), and no lesson defines a function
  or class (helpers live in glmlearn);
* the stored outputs are there and error-free, and every ``# NBVAL_CHECK_OUTPUT`` cell
  stores printed text (numbers, not widgets or addresses);
* the reference lesson's printed numbers appear in the stored outputs, in the lesson that
  teaches them.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "notebooks"
NOTEBOOKS = sorted(LESSONS.glob("*.ipynb"))
NAMES = [p.name for p in NOTEBOOKS]
CHECK = "# NBVAL_CHECK_OUTPUT"
#: nbval's cell markers; the lessons use only CHECK, the others would skip or loosen a cell.
NBVAL_MARKERS = ("# NBVAL_CHECK_OUTPUT", "# NBVAL_IGNORE_OUTPUT", "# NBVAL_SKIP",
                 "# NBVAL_RAISES_EXCEPTION")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _read(path: Path) -> Any:
    return nbformat.read(path, as_version=4)


def _code_cells(nb: Any) -> list[Any]:
    return [c for c in nb.cells if c.cell_type == "code"]


def _text(cell: Any) -> str:
    """The printed text of a cell: streams and text/plain results, in order."""
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            parts.append(out.get("data", {}).get("text/plain", ""))
        elif out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}")
    return "".join(parts)


def _stored_text(name: str) -> str:
    return "\n".join(_text(c) for c in _code_cells(_read(LESSONS / name)))


# --- layout -----------------------------------------------------------------------------------


def test_the_lessons_are_numbered_and_complete() -> None:
    assert [n[:2] for n in NAMES] == [f"{i:02d}" for i in range(1, len(NAMES) + 1)], NAMES
    assert len(NAMES) >= 9, NAMES
    for name in NAMES:
        assert re.fullmatch(r"\d\d-[a-z0-9]+(-[a-z0-9]+)*\.ipynb", name), name
    slugs = {n[:2]: n for n in NAMES}
    assert "link" in slugs["02"] and "irls" in slugs["04"] and "exercises" in slugs["08"]


@pytest.mark.parametrize("name", NAMES)
def test_first_code_cell_only_imports(name: str) -> None:
    first = _code_cells(_read(LESSONS / name))[0]
    tree = ast.parse(first.source)
    assert tree.body, f"{name}: the first code cell is empty"
    for node in tree.body:
        assert isinstance(node, ast.Import | ast.ImportFrom), (
            f"{name}: the first code cell must only import; found {ast.dump(node)[:80]}")


@pytest.mark.parametrize("name", NAMES)
def test_no_helper_code_in_the_lessons(name: str) -> None:
    """A lesson calls glmlearn; it does not define functions or classes of its own."""
    for c in _code_cells(_read(LESSONS / name)):
        # IPython magics and shell lines are not Python
        source = "\n".join(line for line in c.source.splitlines()
                           if not line.lstrip().startswith(("%", "!")))
        for node in ast.walk(ast.parse(source)):
            assert not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef), (
                f"{name}, cell {c.id}: defines {node.name!r}; helpers belong in glmlearn")


@pytest.mark.parametrize("name", NAMES)
def test_only_the_check_marker(name: str) -> None:
    """nbval markers: every one is spelled right, and none skips a cell or ignores its output."""
    for c in _code_cells(_read(LESSONS / name)):
        for line in c.source.splitlines():
            if line.lstrip().startswith("# NBVAL"):
                assert line.strip() in NBVAL_MARKERS, f"{name}, cell {c.id}: unknown {line!r}"
                assert line.strip() == CHECK and c.source.startswith(CHECK), (
                    f"{name}, cell {c.id}: {line.strip()!r} (the lessons use only {CHECK}, "
                    "as the first line of a cell)")


def test_nbval_runs_the_lessons() -> None:
    """The lessons are executed by nbval in the default pytest run, not by this module."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    ini = text[text.index("[tool.pytest.ini_options]"):]
    ini = ini[:ini.find("\n[", 1)]
    assert re.search(r'^testpaths = \[.*"notebooks".*\]', ini, re.M), ini
    assert re.search(r'^addopts = ".*--nbval-lax', ini, re.M), ini


@pytest.mark.parametrize("name", NAMES)
def test_stored_outputs_are_executed_and_clean(name: str) -> None:
    nb = _read(LESSONS / name)
    cells = _code_cells(nb)
    counts = [c.execution_count for c in cells]
    assert all(n is not None for n in counts), f"{name}: stored without outputs (run it first)"
    assert counts == sorted(counts), f"{name}: cells were not run top to bottom"
    for c in cells:
        for out in c.outputs:
            assert out.output_type != "error", f"{name}: stored error in cell {c.id}"
            assert not (out.output_type == "stream" and out.name == "stderr"), (
                f"{name}: stored stderr in cell {c.id}: {out.text[:200]}")


@pytest.mark.parametrize("name", NAMES)
def test_checked_cells_hold_numbers_not_widgets(name: str) -> None:
    checked = [c for c in _code_cells(_read(LESSONS / name)) if c.source.startswith(CHECK)]
    assert checked, f"{name}: no {CHECK} cell pins the lesson's numbers"
    for c in checked:
        assert _text(c).strip(), f"{name}: checked cell {c.id} prints nothing"
        for out in c.outputs:
            assert WIDGET_MIME not in out.get("data", {}), f"{name}: widget in checked cell {c.id}"
            assert not re.search(r"0x[0-9a-f]{6,}", _text(c)), f"{name}: an address in cell {c.id}"


def test_matplotlib_widget_backend_only_where_widgets_are_shown() -> None:
    for path in NOTEBOOKS:
        nb = _read(path)
        for i, c in enumerate(_code_cells(nb)):
            if "%matplotlib widget" in c.source:
                later = _code_cells(nb)[i:]
                assert any(WIDGET_MIME in o.get("data", {}) for x in later for o in x.outputs), (
                    f"{path.name}: %matplotlib widget in cell {c.id} but no widget shown")


def test_exercise_answer_cells_start_empty() -> None:
    nb = _read(LESSONS / "08-exercises.ipynb")
    answers = [c for c in _code_cells(nb) if c.source.startswith("answer = ...  # your code here")]
    assert len(answers) == 5
    for c in answers:
        assert "not answered yet" in _text(c)
    assert "✓ correct" in _stored_text("08-exercises.ipynb")  # the worked example


# --- the reference lesson's numbers, where the lessons print them --------------------------------

SEED_TABLE = [
    " Iteration 0: deviance=277.26, max|Δβ|=1.395698",
    " Iteration 1: deviance=167.52, max|Δβ|=0.759401",
    " Iteration 2: deviance=151.18, max|Δβ|=0.453346",
    " Iteration 3: deviance=148.25, max|Δβ|=0.133020",
    " Iteration 4: deviance=148.09, max|Δβ|=0.009093",
    " Iteration 5: deviance=148.09, max|Δβ|=0.000040",
    " Iteration 6: deviance=148.09, max|Δβ|=0.000000",
]
SEED_NUMBERS = {
    "01-beyond-normal-outcomes.ipynb": [
        "Students who passed: 142/200",
        "Pass rate at 2 hours: 19.8%",
        "Pass rate at 8 hours: 96.8%",
    ],
    "02-link-functions.ipynb": [
        " p=0.10 → η=-2.1972 → back to p=0.10",
        " p=0.25 → η=-1.0986 → back to p=0.25",
        " p=0.50 → η=0.0000 → back to p=0.50",
        " p=0.75 → η=1.0986 → back to p=0.75",
        " p=0.90 → η=2.1972 → back to p=0.90",
    ],
    "03-weighted-least-squares.ipynb": ["Weighted score (should be ~0): ["],
    "04-irls-step-by-step.ipynb": [*SEED_TABLE, " Converged!"],
    "05-score-equations.ipynb": [
        "Score at convergence: [",
        "Coefficients: [-2.7506  0.8444]",
        "Converged: True",
        "Iterations: 6",
    ],
}


@pytest.mark.parametrize("name", sorted(SEED_NUMBERS))
def test_seed_numbers_in_stored_outputs(name: str) -> None:
    text = _stored_text(name)
    lines = text.splitlines()
    for expected in SEED_NUMBERS[name]:
        assert expected in lines or (expected.endswith("[") and expected in text), (
            f"{name}: the reference lesson's line {expected!r} is not in the stored outputs")


def test_seed_table_printed_twice_by_hand_and_by_glmlearn() -> None:
    """Lesson 4 prints the seed's deviance table from the hand loop and from glmlearn's trace."""
    text = _stored_text("04-irls-step-by-step.ipynb")
    for line in SEED_TABLE:
        # once as the hand loop prints it, once from glmlearn's states (then followed by
        # the criterion and max|U| columns)
        assert text.count(line + "\n") == 1 and text.count(line + "   criterion=") == 1, line


def test_seed_max_score_is_tiny_and_printed_in_scientific_notation() -> None:
    m = re.search(r"^Max \|score\|: (\S+)$", _stored_text("05-score-equations.ipynb"), re.M)
    assert m and re.fullmatch(r"\d\.\d\de-\d\d", m.group(1)) and float(m.group(1)) < 1e-8
