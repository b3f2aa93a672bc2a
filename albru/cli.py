"""The ``albru`` command line: ``validate``, ``info``, ``build`` and ``cite``.

Every user error is one line on stderr: exit status 2 for a usage error (an unknown option, a
data folder that does not exist or is not a folder), 1 for data problems or a failed build. A
reader that stops early (``albru info | head``) ends the command quietly, with status 141 as
for a program stopped by SIGPIPE.

>>> build_parser().prog
'albru'
>>> build_parser().parse_args(["build", "--check"]).check
True
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import NoReturn

import albru

__all__ = ["build_parser", "main", "run_build", "run_cite", "run_info", "run_validate"]

#: Exit status of a usage error, of a data or build failure, and of a closed pipe.
USAGE, FAILED, PIPE = 2, 1, 141


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


class UsageError(Exception):
    """A command given something it cannot use (one line, exit status 2)."""


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
    parser = _Parser(
        prog="albru",
        description=(
            "albru: a curated dataset, a small library and notebooks on the relations "
            "between Albania and Russia from 1912 to today. In Python: "
            "`import albru; ds = albru.load()`."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

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
        help="run the numbered notebooks (cached) and build the site",
        description=(
            "Run notebooks/NN_*.ipynb, each in a fresh kernel and in parallel (the files are "
            "not changed; a notebook whose code, data, library and lock are unchanged since "
            "its last run is taken from the cache in the work folder), and build the site with "
            "Sphinx, MyST-NB and the book theme. The site is built beside --out and swapped in "
            "only when everything succeeded. Each notebook's main figure (last PNG of the cells "
            "tagged main-figure, else its last PNG) is written to the figures folder."
        ),
    )
    build.add_argument("--out", default="site", help="site folder (default: site/)")
    build.add_argument(
        "--check",
        action="store_true",
        help="only re-run the notebooks under nbval and fail if an output would change",
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
    build.add_argument("--docs", default="docs", help="site sources with conf.py (default: docs/)")
    build.add_argument(
        "--work",
        help="cache and Sphinx state (default: build/site/ beside the notebooks folder)",
    )
    build.add_argument(
        "--jobs", type=int, default=None, help="notebooks run at once (default: one per core)"
    )
    build.add_argument(
        "--sanitize",
        default="tests/nbval_sanitize.cfg",
        help="nbval sanitize file used by --check (default: tests/nbval_sanitize.cfg)",
    )
    build.set_defaults(run=run_build)

    cite = commands.add_parser(
        "cite", help="print BibTeX for the software, the dataset and the article"
    )
    cite.add_argument(
        "data_dir", nargs="?", metavar="DATA_DIR", help="data folder (default: albru's own data)"
    )
    cite.set_defaults(run=run_cite)
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
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            status = 0
        else:
            status = args.run(args)
        sys.stdout.flush()
    except UsageError as err:
        print(f"albru {args.command}: error: {err}", file=sys.stderr)
        return USAGE
    except BrokenPipeError:
        # The reader is gone: send what is left nowhere and end quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return PIPE
    return status


def _data_folder(given: str | None) -> Path:
    """The data folder a command was given (None: albru's own); a usage error unless it is an
    existing folder.

    >>> _data_folder("")
    Traceback (most recent call last):
    ...
    albru.cli.UsageError: the data folder is an empty string; leave it out to use albru's own data
    """
    if given is None:
        return albru.data_dir()
    if not given.strip():
        raise UsageError("the data folder is an empty string; leave it out to use albru's own data")
    path = Path(given)
    if not path.exists():
        raise UsageError(f"no such data folder: {given}")
    if not path.is_dir():
        raise UsageError(f"not a folder: {given}")
    return path


def run_validate(args: argparse.Namespace) -> int:
    """Print every problem of the data, one a line; on clean data, print a one-line summary."""
    directory = _data_folder(args.data_dir)
    problems = albru.validate(directory)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {directory}", file=sys.stderr)
        return FAILED
    ds = albru.load(directory)
    tables = _row_counts(ds)
    print(f"{directory}: valid, {len(tables)} tables, {sum(tables.values())} rows")
    return 0


def _row_counts(ds: albru.Dataset) -> dict[str, int]:
    """Rows per table, in schema order."""
    return {name: len(frame) for name, frame in ds.tables().items()}


def run_info(args: argparse.Namespace) -> int:
    """Print the tables with their row counts, the span of years, events per era, the sources."""
    directory = _data_folder(args.data_dir)
    try:
        ds = albru.load(directory)
    except albru.AlbruDataError as err:
        count = len(err.problems)
        print(f"albru info: {count} problem{'s' if count > 1 else ''} in {directory}, the first: "
              f"{err.problems[0]}; run `albru validate` for the full list", file=sys.stderr)
        return FAILED
    events = ds.events
    meta = ds.package
    as_of = "" if meta.as_of is None else f", as of {meta.as_of.date()}"
    print(f"{meta.title}: version {meta.version}{as_of}, licence {', '.join(meta.licenses)}\n")
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
    straddling = int(events["era"].isna().sum())
    if straddling:
        print(f"{straddling} more event(s) may fall in either of two or more eras (their dates "
              "cross an era boundary) and are counted in none.")
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
    """Build the site, or with ``--check`` re-run the notebooks under nbval.

    Every failure is one line on stderr, ``build failed: ...``, and exit status 1.
    """
    from albru import site

    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {args.jobs}")
    notebooks = Path(args.notebooks)
    if not notebooks.is_dir():
        raise UsageError(f"no such notebooks folder: {args.notebooks}")
    if args.check:
        return _check_with_nbval(notebooks, Path(args.sanitize))
    data = _data_folder(args.data)
    project = site.Project(
        notebooks=notebooks,
        data=data,
        docs=Path(args.docs),
        work=Path(args.work) if args.work else notebooks.resolve().parent / "build" / "site",
        lock=notebooks.resolve().parent / "requirements" / "lock.txt",
    )
    try:
        pages = site.build_site(
            project,
            Path(args.out),
            Path(args.figures) if args.figures else None,
            execute_notebooks=args.execute,
            jobs=args.jobs,
        )
    except site.BuildError as err:
        print(f"build failed: {err}", file=sys.stderr)
        return FAILED
    except KeyboardInterrupt:
        print("build failed: interrupted; the previous site is unchanged", file=sys.stderr)
        return FAILED
    except OSError as err:
        print(f"build failed: {err.strerror or err}: {err.filename or ''}", file=sys.stderr)
        return FAILED
    except Exception as err:  # noqa: BLE001 - a build failure is one line, never a traceback
        print(f"build failed: {type(err).__name__}: {err}", file=sys.stderr)
        return FAILED
    figures = f"; main figures in {args.figures}/" if args.figures else ""
    print(f"site: {Path(args.out) / 'index.html'} ({len(pages)} notebooks){figures}")
    return 0


def _check_with_nbval(notebooks: Path, sanitize: Path) -> int:
    """Re-run every numbered notebook under nbval (strict); exit status 1 when one differs."""
    import importlib.util
    import subprocess

    from albru import site

    paths = site.notebook_paths(notebooks)
    if not paths:
        print(f"build failed: no numbered notebooks in {notebooks}", file=sys.stderr)
        return FAILED
    missing = [m for m in ("pytest", "nbval") if importlib.util.find_spec(m) is None]
    if missing:
        print(
            "build failed: --check runs nbval, which needs the notebooks and dev extras: "
            f"pip install 'albru[notebooks,dev]' (missing: {', '.join(missing)})",
            file=sys.stderr,
        )
        return FAILED
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval"]
    command += ["-p", "no:xdist", "-p", "no:hypothesispytest"]  # a second less at start-up
    command += ["--nbval-current-env", "-o", "addopts=", "-o", "testpaths="]
    if sanitize.is_file():
        command.append(f"--nbval-sanitize-with={sanitize}")
    done = subprocess.run([*command, *map(str, paths)], check=False)
    return 0 if done.returncode == 0 else FAILED


def run_cite(args: argparse.Namespace) -> int:
    """Print BibTeX entries for the software, the dataset (with its version) and the article."""
    from albru.citation import bibtex

    print(bibtex(_data_folder(args.data_dir)), end="")
    return 0
