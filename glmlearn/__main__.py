"""``python -m glmlearn``: the same as the ``glmlearn`` command (see :mod:`glmlearn.cli`)."""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
