"""The ``datasets`` command: list the bundled datasets, or tell where one comes from."""

from __future__ import annotations

import argparse
import textwrap

from ..datasets import list_datasets, load
from ..errors import GLMInputError
from ._errors import CLIError, without_arg

__all__ = ["run_datasets"]


def run_datasets(args: argparse.Namespace) -> int:
    """Run ``glmlearn datasets [NAME]``; return the exit status (0).

    Raises
    ------
    CLIError
        Naming ``NAME`` and the known datasets, for an unknown dataset.
    """
    if args.name is None:
        names = list_datasets()
        width = max(map(len, names))
        for name in names:
            print(f"{name:<{width}}  {load(name).title}")
        print("\n`glmlearn datasets NAME` tells where a dataset comes from and what its columns mean;"
              "\n`glmlearn trace --dataset NAME ...` fits a model to it.")
        return 0
    try:
        ds = load(args.name)
    except GLMInputError as exc:
        raise CLIError(f"NAME: {without_arg(str(exc))}") from None
    wrap = textwrap.TextWrapper(width=88, subsequent_indent="    ")
    print(ds.title)
    print(f"{ds.name}: {ds.n_rows} rows; columns {', '.join(ds.columns)}")
    print()
    print(ds.description)
    print()
    print("Columns:")
    width = max(map(len, ds.columns))
    for col, meaning in ds.columns.items():
        print(textwrap.fill(meaning, width=88, initial_indent=f"  {col:<{width}}  ",
                            subsequent_indent=" " * (width + 4)))
    print()
    for label, text in (("Citation", ds.citation), ("Source", ds.source), ("License", ds.license)):
        print(wrap.fill(f"{label}: {text}"))
    return 0
