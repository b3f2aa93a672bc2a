"""The ``albru`` command line.

Only ``--help`` and ``--version`` exist so far; subcommands are added with the features
they run.

>>> build_parser().prog
'albru'
"""

from __future__ import annotations

import argparse
from importlib.metadata import PackageNotFoundError, version


def _version() -> str:
    """Return the installed albru version, or ``"unknown"`` when albru is not installed.

    >>> isinstance(_version(), str)
    True
    """
    try:
        return version("albru")
    except PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``albru`` command.

    >>> build_parser().parse_args([])
    Namespace()
    """
    parser = argparse.ArgumentParser(
        prog="albru",
        description=(
            "albru: a curated dataset, a small library and notebooks on the relations "
            "between Albania and Russia from 1912 to today. In Python: "
            "`import albru; ds = albru.load()`."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command with ``argv`` (default: ``sys.argv[1:]``) and return the exit status.

    With no subcommand it prints the help text.

    >>> main([])  # doctest: +ELLIPSIS
    usage: albru [-h] [--version]
    ...
    0
    """
    parser = build_parser()
    parser.parse_args(argv)
    parser.print_help()
    return 0
