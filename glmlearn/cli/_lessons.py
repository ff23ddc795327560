"""The ``lessons`` command: open the lesson notebooks in JupyterLab.

In a source checkout (``notebooks/`` beside the package) JupyterLab opens that folder.
An installed glmlearn ships the lessons in ``glmlearn/lessons/`` and copies them into a
working folder first, adding only those missing there: a learner's edits are never
overwritten.
"""

from __future__ import annotations

import argparse
import importlib.util
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ._errors import CLIError

__all__ = ["DEFAULT_LESSON_DIR", "LESSONS_EXTRA", "PACKAGE_DIR", "LessonFolder",
           "copy_missing_lessons", "find_lessons", "lab_command", "run_lessons"]

LESSON_PATTERN = "*.ipynb"
DEFAULT_LESSON_DIR = "glmlearn-lessons"
LESSONS_EXTRA = 'pip install "glmlearn[lessons]"'
#: The glmlearn package folder (this module is in glmlearn/cli/), where :func:`find_lessons`
#: looks by default.
PACKAGE_DIR = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class LessonFolder:
    """Where the lessons come from.

    Attributes
    ----------
    path : Path
        The folder holding the lesson notebooks.
    checkout : bool
        True for a source checkout (``notebooks/`` beside the package, as in an editable
        install): JupyterLab opens that folder itself. False for an installed package:
        the lessons are copied into a working folder first.
    """

    path: Path
    checkout: bool


def find_lessons(package_dir: Path | None = None) -> LessonFolder:
    """Find the lessons of the glmlearn package in ``package_dir``.

    Parameters
    ----------
    package_dir : Path, optional
        The ``glmlearn`` package folder (default :data:`PACKAGE_DIR`). In a source checkout its
        parent holds ``pyproject.toml`` and ``notebooks/``; an installed wheel holds the
        lessons in ``glmlearn/lessons/``.

    Returns
    -------
    LessonFolder
    """
    package_dir = PACKAGE_DIR if package_dir is None else package_dir
    root = package_dir.parent
    if (root / "notebooks").is_dir() and (root / "pyproject.toml").is_file():
        return LessonFolder(root / "notebooks", checkout=True)
    return LessonFolder(package_dir / "lessons", checkout=False)


def copy_missing_lessons(source: Path, folder: Path) -> tuple[list[str], list[str]]:
    """Copy the lessons in ``source`` that ``folder`` lacks; never overwrite a file.

    Parameters
    ----------
    source : Path
        Folder of the packaged lessons (``*.ipynb``).
    folder : Path
        The learner's working folder (created if needed).

    Returns
    -------
    copied, kept : list of str
        Names of the lessons copied, and of those already there and left as they were
        (a learner's edited copy is never replaced).
    """
    lessons = sorted(source.glob(LESSON_PATTERN)) if source.is_dir() else []
    folder.mkdir(parents=True, exist_ok=True)
    copied, kept = [], []
    for lesson in lessons:
        target = folder / lesson.name
        if target.exists():
            kept.append(lesson.name)
            continue
        shutil.copyfile(lesson, target)
        copied.append(lesson.name)
    return copied, kept


def lab_command(folder: Path, *, port: int | None = None, browser: bool = True) -> list[str]:
    """The command that starts JupyterLab on ``folder`` (token authentication left on).

    Parameters
    ----------
    folder : Path
        JupyterLab's root folder.
    port : int, optional
        Port to listen on (JupyterLab's default, 8888 or the next free one, otherwise).
    browser : bool
        Whether JupyterLab opens a browser tab.

    Returns
    -------
    list of str
    """
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}"]
    if port is not None:
        cmd.append(f"--port={port}")
    if not browser:
        cmd.append("--no-browser")
    return cmd


def _working_folder(found: LessonFolder, dir_option: str | None) -> Path:
    """The folder JupyterLab opens, with the packaged lessons copied in when needed."""
    if found.checkout and dir_option is None:
        n = len(list(found.path.glob(LESSON_PATTERN)))
        print(f"Source checkout: opening the lessons themselves, {n} notebook(s) in {found.path}")
        return found.path
    folder = Path(dir_option or DEFAULT_LESSON_DIR).expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise CLIError(f"--dir: {str(folder)!r} exists and is not a folder")
    copied, kept = copy_missing_lessons(found.path, folder)
    if not copied and not kept:
        print(f"No lessons found in {found.path}; opening {folder} as it is.")
    if copied:
        print(f"Copied {len(copied)} lesson(s) into {folder}: {', '.join(copied)}")
    if kept:
        print(f"Kept {len(kept)} lesson(s) already in {folder}, unchanged (your edits are "
              f"never overwritten; delete a file to get a fresh copy): {', '.join(kept)}")
    print(f"Lessons folder: {folder}")
    return folder


def run_lessons(args: argparse.Namespace) -> int:
    """Run ``glmlearn lessons``; return JupyterLab's exit status (0 with ``--print-only``).

    Raises
    ------
    CLIError
        For a bad ``--port`` or ``--dir``, and (status 1) when JupyterLab is not installed.
    """
    found = find_lessons()
    if args.port is not None and not 0 < args.port < 65536:
        raise CLIError(f"--port: must be between 1 and 65535, got {args.port}")
    folder = _working_folder(found, args.dir)
    cmd = lab_command(folder, port=args.port, browser=not args.no_browser)
    print(f"Command: {shlex.join(cmd)}", flush=True)
    if args.print_only:
        return 0
    if importlib.util.find_spec("jupyterlab") is None:
        raise CLIError(f"lessons: JupyterLab is not installed for {sys.executable}; install it "
                       f"with: {LESSONS_EXTRA}", status=1)
    proc = subprocess.Popen(cmd)
    while True:
        try:
            return proc.wait()
        except KeyboardInterrupt:  # JupyterLab got the same Ctrl-C and decides itself
            continue
