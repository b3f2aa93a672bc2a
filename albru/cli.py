"""The ``albru`` command line: ``validate``, ``info`` and ``build``.

>>> build_parser().prog
'albru'
>>> build_parser().parse_args(["build", "--check"]).check
True
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import fields
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import albru


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

    >>> build_parser().parse_args(["validate", "copy/"]).data_dir
    'copy/'
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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help="check the data and print every problem (exit 1 if any)"
    )
    validate.add_argument(
        "data_dir", nargs="?", metavar="DATA_DIR", help="data folder (default: albru's own data)"
    )
    validate.set_defaults(run=run_validate)

    info = commands.add_parser(
        "info", help="row counts, span of years, events per era and the sources"
    )
    info.add_argument(
        "data_dir", nargs="?", metavar="DATA_DIR", help="data folder (default: albru's own data)"
    )
    info.set_defaults(run=run_info)

    build = commands.add_parser(
        "build",
        help="run every numbered notebook afresh and render the site",
        description=(
            "Execute notebooks/NN_*.ipynb in order, each in a fresh kernel (the files are not "
            "changed), and write one offline HTML page per notebook plus index.html. Each "
            "notebook's main figure (last PNG of the cells tagged main-figure, else its last "
            "PNG) is written to the figures folder."
        ),
    )
    build.add_argument("--out", default="site", help="site folder (default: site/)")
    build.add_argument(
        "--check",
        action="store_true",
        help="only re-execute and fail if any committed output would change (writes nothing)",
    )
    build.add_argument(
        "--no-execute",
        dest="execute",
        action="store_false",
        help="render the committed outputs as they are, without running the notebooks",
    )
    build.add_argument("--notebooks", default="notebooks", help="default: notebooks/")
    build.add_argument("--figures", default="docs/figures", help="default: docs/figures/")
    build.add_argument("--data", help="data folder copied into the site (default: albru's own)")
    build.add_argument(
        "--sanitize",
        default="tests/nbval_sanitize.cfg",
        help="nbval sanitize file used by --check (default: tests/nbval_sanitize.cfg)",
    )
    build.set_defaults(run=run_build)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command with ``argv`` (default: ``sys.argv[1:]``) and return the exit status.

    With no subcommand it prints the help text.

    >>> main([])  # doctest: +ELLIPSIS
    usage: albru [-h] [--version] COMMAND ...
    ...
    0
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return args.run(args)


def run_validate(args: argparse.Namespace) -> int:
    """Print every problem of the data, one a line; on clean data, print a one-line summary."""
    directory = Path(args.data_dir) if args.data_dir else albru.data_dir()
    problems = albru.validate(directory)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {directory}", file=sys.stderr)
        return 1
    ds = albru.load(directory)
    tables = _row_counts(ds)
    print(f"{directory}: valid, {len(tables)} tables, {sum(tables.values())} rows")
    return 0


def _row_counts(ds: albru.Dataset) -> dict[str, int]:
    """Rows per table, in schema order."""
    return {f.name: len(getattr(ds, f.name)) for f in fields(ds)}


def run_info(args: argparse.Namespace) -> int:
    """Print the tables with their row counts, the span of years, events per era, the sources."""
    try:
        ds = albru.load(args.data_dir)
    except albru.AlbruDataError as err:
        print(err, file=sys.stderr)
        print("run `albru validate` for the full list", file=sys.stderr)
        return 1
    events = ds.events
    print(_table(["table", "rows"], list(_row_counts(ds).items())))
    first, last = events["start"].min().year, events["end"].max().year
    print(
        f"\nEvents span {first} to {last}; the eras run from {ds.eras['start'].min().year}"
        " to the open present."
    )
    counts = events["era"].value_counts(sort=False)
    names = dict(zip(ds.eras["era_id"], ds.eras["name"], strict=True))
    rows = [
        (era, names[era], _years(start, end), counts.get(era, 0))
        for era, start, end in zip(ds.eras["era_id"], ds.eras["start"], ds.eras["end"], strict=True)
    ]
    print("\nEvents per era\n" + _table(["era", "name", "years", "events"], rows))
    sources = [(s, c) for s, c in zip(ds.sources["source_id"], ds.sources["citation"], strict=True)]
    print("\nSources\n" + _table(["source", "citation"], sources))
    return 0


def _years(start: object, end: object) -> str:
    """An era's years, with an open end shown as 'today'.

    >>> import pandas as pd
    >>> _years(pd.Timestamp("1912-01-01"), pd.NaT), _years(pd.Timestamp("1945-01-01"),
    ...     pd.Timestamp("1947-12-31"))
    ('1912-today', '1945-1947')
    """
    import pandas as pd

    return f"{pd.Timestamp(start).year}-{'today' if pd.isna(end) else pd.Timestamp(end).year}"


def _table(header: list[str], rows: list[tuple[object, ...]]) -> str:
    """Rows as a plain text table, columns padded to their widest cell (the last one is not).

    >>> print(_table(["table", "rows"], [("events", 111), ("eras", 11)]))
    table   rows
    ------  ----
    events  111
    eras    11
    """
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header) - 1)]
    lines = ["  ".join([*(r[i].ljust(w) for i, w in enumerate(widths)), r[-1]]) for r in cells]
    lines.insert(1, "  ".join([*("-" * w for w in widths), "-" * len(header[-1])]))
    return "\n".join(line.rstrip() for line in lines)


def run_build(args: argparse.Namespace) -> int:
    """Build the site, or with ``--check`` only compare fresh outputs with the committed ones."""
    try:
        from albru import site
    except ImportError as err:  # pragma: no cover - depends on the environment
        print(
            f"albru build needs the notebooks extra (pip install 'albru[notebooks]'): {err}",
            file=sys.stderr,
        )
        return 1
    try:
        if args.check:
            sanitize = Path(args.sanitize)
            changed = site.check_notebooks(Path(args.notebooks), sanitize)
            for name, changes in changed.items():
                print(f"{name}: outputs would change", file=sys.stderr)
                for change in changes:
                    print(f"  {change}", file=sys.stderr)
            if changed:
                return 1
            print(f"{len(site.notebook_paths(Path(args.notebooks)))} notebooks: outputs unchanged")
            return 0
        data = Path(args.data) if args.data else albru.data_dir()
        pages = site.build_site(
            Path(args.notebooks),
            Path(args.out),
            data,
            Path(args.figures),
            execute_notebooks=args.execute,
        )
    except site.BuildError as err:
        print(f"build failed: {err}", file=sys.stderr)
        return 1
    print(
        f"wrote {len(pages)} notebook pages and {Path(args.out) / 'index.html'}; "
        f"main figures in {args.figures}/"
    )
    return 0
