"""The command line of the site build: ``python tools/build_site.py`` (and ``albru build``).

Every failure is one line on stderr: ``build failed: ...`` and exit status 1; a usage error
exits 2; Ctrl-C (or SIGTERM) ends the build with one line, the previous site left as it was,
and status 130 (143). Only the standard library is imported until a build starts.

>>> parser = argparse.ArgumentParser()
>>> add_arguments(parser)
>>> parser.parse_args(["--check"]).check
True
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import sitebuild
from sitebuild import BuildError

__all__ = ["INTERRUPTED", "add_arguments", "interruptible", "main", "run"]

#: Exit status of a usage error, of a failed build, and of a build stopped by Ctrl-C.
USAGE, FAILED, INTERRUPTED = 2, 1, 130


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of a build, added to ``parser``."""
    parser.add_argument("--out", default="site", help="site folder (default: site/)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="only re-run the notebooks under nbval and fail if an output would change",
    )
    parser.add_argument(
        "--no-execute",
        dest="execute",
        action="store_false",
        help="render the committed outputs as they are, without running the notebooks",
    )
    parser.add_argument(
        "--remove",
        action="store_true",
        help="delete the site in --out: only the files a build wrote there (make clean)",
    )
    parser.add_argument("--notebooks", default="notebooks", help="default: notebooks/")
    parser.add_argument("--figures", default="docs/figures", help="default: docs/figures/")
    parser.add_argument("--data", help="data folder copied into the site (default: albru's own)")
    parser.add_argument("--docs", default="docs", help="site sources with conf.py (default: docs/)")
    parser.add_argument(
        "--work",
        help="cache and Sphinx state (default: build/site/ beside the notebooks folder)",
    )
    parser.add_argument(
        "--jobs", type=int, default=None, help="notebooks run at once (default: one per core)"
    )
    parser.add_argument(
        "--sanitize",
        default="tests/nbval_sanitize.cfg",
        help="nbval sanitize file used by --check (default: tests/nbval_sanitize.cfg)",
    )


def _stopped(signum: int, frame: object) -> None:
    sitebuild._STOPPED.append(signum)
    raise KeyboardInterrupt  # where the build is, so that it cleans up on its way out


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Ctrl-C and SIGTERM raise KeyboardInterrupt where the program is (in the main thread)."""
    try:
        old = signal.signal(signal.SIGTERM, _stopped)
        old_int = signal.signal(signal.SIGINT, _stopped)
    except ValueError:  # not the main thread: signals are the main thread's
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)
        signal.signal(signal.SIGINT, old_int)
        sitebuild._STOPPED.clear()


def _say(line: str) -> None:
    print(line, flush=True)


def run(args: argparse.Namespace) -> int:
    """Build the site (or check the notebooks, or remove a site) as ``args`` say."""
    with interruptible():
        try:
            return _run(args)
        except KeyboardInterrupt:
            return _stopped_line()
        except Exception as err:  # noqa: BLE001 - a build failure is one line, never a traceback
            if sitebuild.interrupted():  # a library made the interruption an error of its own
                return _stopped_line()
            if isinstance(err, BuildError):
                message = str(err)
            elif isinstance(err, OSError):
                message = f"{err.strerror or err}: {err.filename or ''}"
            else:
                message = f"{type(err).__name__}: {err}"
            print(f"build failed: {message}", file=sys.stderr)
            return FAILED


def _stopped_line() -> int:
    """One line for a build stopped by a signal; the status a shell gives it (128 + signal)."""
    print("build stopped: interrupted; the previous site is unchanged", file=sys.stderr)
    return 128 + (sitebuild._STOPPED or [signal.SIGINT])[0]


def _usage(message: str) -> int:
    print(f"albru build: error: {message}", file=sys.stderr)
    return USAGE


def _run(args: argparse.Namespace) -> int:
    from sitebuild.build import Project, build_site, remove_site

    if args.remove:
        remove_site(Path(args.out), say=_say)
        return 0
    if args.jobs is not None and args.jobs < 1:
        return _usage(f"--jobs must be at least 1, not {args.jobs}")
    notebooks = Path(args.notebooks)
    if not notebooks.is_dir():
        return _usage(f"no such notebooks folder: {args.notebooks}")
    if args.check:
        return _check_with_nbval(notebooks, Path(args.sanitize))
    if args.data is not None:
        if not args.data.strip() or not Path(args.data).is_dir():
            return _usage(f"no such data folder: {args.data!r}")
        data = Path(args.data)
    else:
        import albru

        data = albru.data_dir()
    root = notebooks.resolve().parent
    project = Project(
        notebooks=notebooks,
        data=data,
        docs=Path(args.docs),
        work=Path(args.work) if args.work else root / "build" / "site",
        lock=root / "requirements" / "lock.txt",
    )
    figures = Path(args.figures) if args.figures else None
    pages = build_site(project, Path(args.out), figures, args.execute, args.jobs, say=_say)
    where = f"; main figures in {args.figures}/" if args.figures else ""
    print(f"site: {Path(args.out) / 'index.html'} ({len(pages)} notebooks){where}")
    return 0


def _check_with_nbval(notebooks: Path, sanitize: Path) -> int:
    """Re-run every numbered notebook under nbval (strict); exit status 1 when one differs."""
    import importlib.util

    from sitebuild.notebooks import notebook_paths

    paths = notebook_paths(notebooks)
    if not paths:
        raise BuildError(f"no numbered notebooks in {notebooks}")
    missing = [m for m in ("pytest", "nbval") if importlib.util.find_spec(m) is None]
    if missing:
        raise BuildError(
            "--check runs nbval, which needs the notebooks and dev extras: "
            f"pip install 'albru[notebooks,dev]' (missing: {', '.join(missing)})"
        )
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval"]
    command += ["-p", "no:xdist", "-p", "no:hypothesispytest"]  # a second less at start-up
    command += ["--nbval-current-env", "-o", "addopts=", "-o", "testpaths="]
    if sanitize.is_file():
        command.append(f"--nbval-sanitize-with={sanitize}")
    # its own session: Ctrl-C reaches this process only, which ends the check (and its kernel
    # ends when it finds its parent gone)
    child = subprocess.Popen([*command, *map(str, paths)], start_new_session=True)
    try:
        status = child.wait()
    except BaseException:
        child.terminate()
        child.wait()
        raise
    return 0 if status == 0 else FAILED


def main(argv: list[str] | None = None) -> int:
    """Run the site build with ``argv`` (default: ``sys.argv[1:]``); the exit status."""
    parser = argparse.ArgumentParser(
        prog="build_site.py",
        description=(
            "Run notebooks/NN_*.ipynb (cached) and build the site with Sphinx, MyST-NB and "
            "the book theme; the site is built beside --out and swapped in only when "
            "everything succeeded, and each notebook's main figure is written to --figures."
        ),
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))
