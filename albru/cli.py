"""The ``albru`` command line: ``validate``, ``info``, ``build`` and ``cite``.

Every user error is one line on stderr: exit status 2 for a usage error (an unknown option, a
data folder that does not exist or is not a folder), 1 for data problems, a failed build or any
other error. Ctrl-C is one line and status 130, from the moment this module is imported. A
reader that stops early (``albru info | head``) ends the command quietly, with status 141 as
for a program stopped by SIGPIPE. ``albru build`` runs the site build of the checkout albru
is installed from (``tools/sitebuild``); a wheel has none.

>>> build_parser().prog
'albru'
>>> build_parser().parse_args(["build", "--check"]).check
True
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
from pathlib import Path
from types import ModuleType
from typing import NoReturn

import albru
from albru.citation import software_version

__all__ = ["build_parser", "main", "run_cite", "run_info", "run_validate"]

#: Exit status of a usage error, of a data or build failure, of Ctrl-C and of a closed pipe.
USAGE, FAILED, INTERRUPTED, PIPE = 2, 1, 130, 141


def _interrupted_early(signum: int, frame: object) -> None:
    """Ctrl-C before :func:`main` runs (while the command starts): one line, status 130."""
    os.write(2, b"albru: interrupted\n")
    os._exit(INTERRUPTED)


try:  # first thing on import, before anything heavy is imported
    signal.signal(signal.SIGINT, _interrupted_early)
except ValueError:  # imported outside the main thread: signals are the main thread's
    pass


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


class UsageError(Exception):
    """A command given something it cannot use (one line, exit status 2)."""


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
    parser.add_argument("--version", action="version", version=f"%(prog)s {software_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    validate = commands.add_parser(
        "validate",
        help="check the data and print every problem (exit 1 if any)",
        description=(
            "Check every table of the data against its schema (data/datapackage.json) and the "
            "dataset's rules, and print every problem, one a line, naming file, row, column "
            "and rule. Exit status 1 if there is any; on clean data, one summary line."
        ),
    )
    validate.add_argument(
        "data_dir", nargs="?", metavar="DATA_DIR", help="data folder (default: albru's own data)"
    )
    validate.set_defaults(run=run_validate)

    info = commands.add_parser(
        "info",
        help="row counts, span of years, events per era and the sources",
        description=(
            "Print the dataset's title, version, as-of day and licence, the rows of each table, "
            "the years the events span, the events of each era and the cited sources."
        ),
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
    tool = _site_tool()
    if tool is not None:
        tool.add_arguments(build)
        build.set_defaults(run=tool.run)
    else:
        build.add_argument("options", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
        build.set_defaults(run=_no_checkout)

    cite = commands.add_parser(
        "cite",
        help="print how to cite the software, the dataset and the article",
        description=(
            "Print the citation of the albru software, the albru dataset (its version and "
            "as-of day read from the data's datapackage.json) and the Wikipedia article the "
            "dataset is partly derived from. Formats: bibtex (classic BibTeX, @misc entries), "
            "biblatex (@software, @dataset, @online), cff (the text of CITATION.cff) and text "
            "(plain references). The repository's address is printed only when it is set "
            "under [project.urls] Repository in pyproject.toml."
        ),
    )
    cite.add_argument(
        "--format",
        choices=["bibtex", "biblatex", "cff", "text"],
        default="bibtex",
        help="default: bibtex",
    )
    cite.add_argument(
        "data_dir", nargs="?", metavar="DATA_DIR", help="data folder (default: albru's own data)"
    )
    cite.set_defaults(run=run_cite)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command with ``argv`` (default: ``sys.argv[1:]``) and return the exit status.

    With no subcommand it prints the usage (one line on stderr) and returns 2, like any usage
    error.

    >>> main([])
    2
    """
    args = argparse.Namespace(command=None)
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    except ValueError:  # not the main thread
        pass
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            print(f"usage: {parser.prog} {{validate,info,build,cite}} ... : a command is "
                  f"required (see {parser.prog} --help)", file=sys.stderr)
            return USAGE
        else:
            status = args.run(args)
        sys.stdout.flush()
    except UsageError as err:
        print(f"albru {args.command}: error: {err}", file=sys.stderr)
        return USAGE
    except KeyboardInterrupt:
        print(f"albru {args.command or ''}: interrupted".replace(" :", ":"), file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:
        # The reader is gone: send what is left nowhere and end quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return PIPE
    except Exception as err:  # noqa: BLE001 - any other failure is one line, never a traceback
        print(f"albru {args.command}: error: {type(err).__name__}: {err}", file=sys.stderr)
        try:
            sys.stdout.flush()
        except OSError:  # output that cannot be written (a full disk): not again at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return FAILED
    return status


def _site_tool() -> ModuleType | None:
    """The site build of the checkout albru runs from (``tools/sitebuild``), or None (a wheel).

    >>> _site_tool() is None or hasattr(_site_tool(), "add_arguments")
    True
    """
    tools = Path(__file__).resolve().parent.parent / "tools"
    if not (tools / "sitebuild" / "command.py").is_file():
        return None
    if str(tools) not in sys.path:
        sys.path.insert(0, str(tools))
    return importlib.import_module("sitebuild.command")


def _no_checkout(args: argparse.Namespace) -> int:
    """``albru build`` where albru is not installed from a checkout of its repository."""
    raise UsageError(
        "the site is built from a checkout of the albru repository (it needs notebooks/, "
        "docs/ and tools/); clone it and run `make report` there"
    )


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
    from albru.problems import total

    problems = albru.validate(directory)  # a rule broken in many rows lists the first 1,000
    for problem in problems:
        print(problem)
    if problems:
        print(f"{total(problems)} problem(s) in {directory}", file=sys.stderr)
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
        count = sum(problem.count for problem in err.problems)
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


def run_cite(args: argparse.Namespace) -> int:
    """Print the citation of the software, the dataset and the article in ``args.format``.

    A version, day or address that is not safe to print is one line on stderr, exit status 1.
    """
    from albru.citation import CitationError, cite

    try:
        text = cite(args.format, _data_folder(args.data_dir))
    except CitationError as err:
        print(f"albru cite: error: {err}", file=sys.stderr)
        return FAILED
    print(text, end="")
    return 0
