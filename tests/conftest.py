"""Settings and fixtures shared by the whole test suite."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Speed is measured in benchmarks/, never in tests: no per-example deadline. In CI the
# examples are derived from the test itself, so a failure there reproduces exactly.
settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")


DATA = Path(__file__).resolve().parent.parent / "data"


def _files(directory: Path, skip: frozenset[str]) -> dict[str, bytes]:
    """The bytes of every file under ``directory`` by relative path, less the folders ``skip``."""
    return {str(path.relative_to(directory)): path.read_bytes() for path in directory.rglob("*")
            if path.is_file() and not skip & set(path.relative_to(directory).parts)}


@pytest.fixture(scope="module")
def clean(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the real data for one test module, less the folders named in the module's
    ``CLEAN_SKIP``; at the end, a check that no test wrote through a link to it (see
    :func:`copy`)."""
    skip = frozenset(getattr(request.module, "CLEAN_SKIP", ()))
    directory = Path(shutil.copytree(DATA, tmp_path_factory.mktemp("clean") / "data",
                                     ignore=shutil.ignore_patterns(*skip)))
    yield directory
    assert _files(directory, skip) == _files(DATA, skip)


@pytest.fixture
def copy(clean: Path, tmp_path: Path) -> Path:
    """A throwaway copy of the clean copy whose files are hard links to its files (copying the
    bytes cost more than most small tests): a test changes a file only by putting a new file
    in its place, or by removing or moving it."""
    return Path(shutil.copytree(clean, tmp_path / "data", copy_function=os.link))


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every connection and name lookup fail; return the list of attempts made."""
    attempts: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(repr(args[:2]))
        raise OSError("network access is switched off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


#: One fresh interpreter that refuses every connection, steps in order, each recording what a
#: test checks: import albru alone; the parts that read no table; the first table read; the
#: topic modules reached as attributes (not imported before); the analyses imported, then a
#: rate computed; last, every module of albru imported. A later step only adds modules, so
#: what an earlier one found absent was absent from a fresh import. Read by test_load (import
#: costs) and test_no_network (no connection at import time).
FRESH = """
import json, sys
out = {}
import albru
out["heavy"] = [m for m in HEAVY if m in sys.modules]
import albru.citation, albru.cli
out["pandas_before"] = "pandas" in sys.modules
albru.load
out["pandas_after"] = "pandas" in sys.modules
out["topics_before"] = [m for m in ("albru.eras", "albru.plot") if m in sys.modules]
out["topics"] = [albru.eras.__name__, albru.plot.__name__]
from albru import eras, incidents, network, plot
out["scipy_before"] = "scipy" in sys.modules
incidents.garwood(3)
out["scipy_after"] = "scipy" in sys.modules
import importlib, pkgutil
out["modules"] = [info.name for info in pkgutil.iter_modules(albru.__path__)]
for name in out["modules"]:
    if name != "__main__":
        importlib.import_module("albru." + name)
out["attempts"] = attempts
print(json.dumps(out))
"""
HEAVY = ["frictionless", "nbconvert", "jupyter_core", "jupyter_client", "networkx", "matplotlib"]


@pytest.fixture(scope="session")
def fresh() -> dict[str, object]:
    """What :data:`FRESH` found, run once per session (an interpreter with pandas and
    matplotlib costs about two seconds); conftest.py keeps its two readers on one worker."""
    from test_no_network import GUARD

    code = f"{GUARD}\nHEAVY = {HEAVY!r}\n{FRESH}"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, env={**os.environ, "MPLBACKEND": "Agg"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def tiny_rendered(tmp_path_factory: pytest.TempPathFactory) -> object:
    """The tiny project of tests/tiny_project.py rendered once per session, as committed, by
    ``albru build --no-execute`` in a process that refuses every connection (a Sphinx run):
    read by test_site (escaping, safety, the warm copies) and test_cli (the command offline),
    which conftest.py's scheduler keeps on one worker."""
    from tiny_project import render

    root = tmp_path_factory.mktemp("tiny") / "project"
    root.mkdir()
    return render(root)


@pytest.fixture(scope="session")
def tiny_built(tiny_rendered: object) -> Path:
    """The folder of the rendered tiny project: ``notebooks``, ``data``, ``work``, ``site``."""
    assert tiny_rendered.status == 0, tiny_rendered.err
    return tiny_rendered.root


@pytest.fixture(scope="session")
def tiny_run(tiny_built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A copy of the rendered tiny project built with a failing notebook, then without it
    (tests/tiny_project.py, fail_then_run: kernels and a Sphinx run, so once per session): read
    by test_site (a failure changes nothing, a rebuild keeps what it did not make) and test_cli
    (the command stops on a failing notebook, then builds)."""
    from tiny_project import fail_then_run

    return fail_then_run(tiny_built, tmp_path_factory.mktemp("run"))
