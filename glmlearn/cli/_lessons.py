"""The ``lessons`` command: open a learner's own copy of the lesson notebooks in JupyterLab.

The lessons come from ``notebooks/`` in a source checkout (beside the package, as in an
editable install) or from ``glmlearn/lessons/`` in an installed glmlearn. Either way
JupyterLab opens a working folder (default ``./glmlearn-lessons``) into which the lessons
missing there are copied first: a learner's edits are never overwritten, and the original
lessons (which the tests pin) stay as they are. ``--originals`` opens the originals
themselves instead.

JupyterLab refuses to start as root without ``--allow-root`` (containers, lab machines):
run as root, the command adds that option and says so. Token authentication is always
left on. JupyterLab's own options go after ``--`` and are passed on as they are.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ._errors import CLIError

__all__ = ["ALLOW_ROOT", "DEFAULT_LESSON_DIR", "LESSONS_EXTRA", "PACKAGE_DIR", "LessonFolder",
           "copy_missing_lessons", "find_lessons", "lab_command", "run_lessons",
           "running_as_root"]

LESSON_PATTERN = "*.ipynb"
DEFAULT_LESSON_DIR = "glmlearn-lessons"
LESSONS_EXTRA = 'pip install "glmlearn[lessons]"'
#: The glmlearn package folder (this module is in glmlearn/cli/), where :func:`find_lessons`
#: looks by default.
PACKAGE_DIR = Path(__file__).resolve().parents[1]
#: The option without which JupyterLab refuses to run as root.
ALLOW_ROOT = "--allow-root"


@dataclass(frozen=True)
class LessonFolder:
    """Where the original lessons are.

    Attributes
    ----------
    path : Path
        The folder holding the original lesson notebooks.
    checkout : bool
        True for a source checkout (``notebooks/`` beside the package, as in an editable
        install), False for an installed package (``glmlearn/lessons/``).
    """

    path: Path
    checkout: bool


def find_lessons(package_dir: Path | None = None) -> LessonFolder:
    """Find the original lessons of the glmlearn package in ``package_dir``.

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
        Folder of the original lessons (``*.ipynb``).
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


def running_as_root() -> bool:
    """True when the effective user is root (``os.geteuid() == 0``; False where there is no
    ``geteuid``, as on Windows)."""
    geteuid = getattr(os, "geteuid", None)
    return geteuid is not None and geteuid() == 0


def lab_command(folder: Path, *, port: int | None = None, browser: bool = True,
                jupyter_args: Sequence[str] = (), as_root: bool | None = None) -> list[str]:
    """The command that starts JupyterLab on ``folder`` (token authentication left on).

    Parameters
    ----------
    folder : Path
        JupyterLab's root folder.
    port : int, optional
        Port to listen on (JupyterLab's default, 8888 or the next free one, otherwise).
    browser : bool
        Whether JupyterLab opens a browser tab.
    jupyter_args : sequence of str
        JupyterLab's own options, passed on as they are, after the others (so they win).
    as_root : bool, optional
        Whether the command runs as root, so that JupyterLab needs ``--allow-root``
        (default: :func:`running_as_root`).

    Returns
    -------
    list of str
    """
    as_root = running_as_root() if as_root is None else as_root
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}"]
    if port is not None:
        cmd.append(f"--port={port}")
    if not browser:
        cmd.append("--no-browser")
    if as_root and ALLOW_ROOT not in jupyter_args:
        cmd.append(ALLOW_ROOT)
    return cmd + list(jupyter_args)


def _working_folder(found: LessonFolder, dir_option: str | None, originals: bool) -> Path:
    """The folder JupyterLab opens: the learner's copy (missing lessons copied in first),
    or, with ``--originals``, the original lessons themselves."""
    if originals:
        n = len(list(found.path.glob(LESSON_PATTERN)))
        where = "the checkout's tracked lessons" if found.checkout else "the installed lessons"
        print(f"--originals: opening {where} themselves, {n} notebook(s) in {found.path}; "
              "your edits change these very files")
        return found.path
    folder = Path(dir_option or DEFAULT_LESSON_DIR).expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise CLIError(f"--dir: {str(folder)!r} exists and is not a folder; give another "
                       "folder for your copy of the lessons")
    if folder == found.path.resolve():
        raise CLIError(f"--dir: {str(folder)!r} is where the original lessons are; give "
                       "another folder for your copy, or use --originals to open them")
    copied, kept = copy_missing_lessons(found.path, folder)
    if not copied and not kept:
        print(f"No lessons found in {found.path}; opening {folder} as it is.")
    if copied:
        print(f"Copied {len(copied)} lesson(s) into {folder}: {', '.join(copied)}")
    if kept:
        print(f"Kept {len(kept)} lesson(s) already in {folder}, unchanged (your edits are "
              f"never overwritten; delete a file to get a fresh copy): {', '.join(kept)}")
    print(f"Your copy of the lessons: {folder} (the originals, in {found.path}, stay as they are)")
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
    folder = _working_folder(found, args.dir, args.originals)
    jupyter_args: list[str] = list(getattr(args, "jupyter_args", None) or [])
    as_root = running_as_root() or args.allow_root
    cmd = lab_command(folder, port=args.port, browser=not args.no_browser,
                      jupyter_args=jupyter_args, as_root=as_root)
    if as_root and not args.allow_root:
        print(f"Running as root: passing {ALLOW_ROOT} to JupyterLab (token authentication "
              "stays on).")
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
