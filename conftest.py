"""Settings for every test item, the doctests in albru/ and the notebooks included (the suite's
own settings are in tests/conftest.py)."""

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
