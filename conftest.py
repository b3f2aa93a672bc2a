"""Settings for every test item, the doctests in albru/ and the notebooks included, however the
run is started (the suite's own settings are in tests/conftest.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    """Each test and doctest leaves no pyplot figure open for the next one."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


# --- make test runs the suite on every core (pytest-xdist, `-n auto`) -------------------------
#: Files whose tests share a costly module- or session-scoped fixture (the site built once, the
#: wheel and its virtual environment, the panel with UN votes, the fresh interpreter of
#: test_load): each such file runs on one worker, so the fixture is made once per run rather
#: than once per worker.
WHOLE_FILES = frozenset({"tests/test_site.py", "tests/test_cli.py", "tests/test_packaging.py",
                         "tests/test_panel.py", "tests/test_load.py"})
#: Files that read a session-scoped fixture of tests/conftest.py with a file of
#: :data:`WHOLE_FILES`: each goes into that file's unit of work, so the fixture is still made
#: once per run (test_no_network reads the fresh interpreter ``fresh`` with test_load; test_cli
#: reads the tiny project's rendering ``tiny_rendered`` with test_site).
SAME_UNIT = {"tests/test_no_network.py": "tests/test_load.py",
             "tests/test_cli.py": "tests/test_site.py"}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """Under ``-n N`` (``--dist load``, xdist's default): each notebook is one unit of work, so
    nbval runs its cells in order in one kernel, each file of :data:`WHOLE_FILES` is one unit
    (with the files :data:`SAME_UNIT` joins to it), and every other test is a unit of its own,
    so the two workers finish together. The units with most tests are sent first (the
    notebooks, the site). Other ``--dist`` modes are xdist's own. (xdist's ``loadgroup``
    cannot do this on pytest 9: the group it appends to a test id is not seen there.)"""
    if config.getoption("dist", "no") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByNotebookAndSharedFixture(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            path = SAME_UNIT.get(path, path)
            return path if path.endswith(".ipynb") or path in WHOLE_FILES else nodeid

    return ByNotebookAndSharedFixture(config, log)
