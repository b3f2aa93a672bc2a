"""albru: Albania–Russia relations from 1912 to today, as typed tables and a small library.

>>> import albru
>>> ds = albru.load()
>>> sorted(ds.events["precision"].cat.categories) == sorted(albru.dates.PRECISIONS)
True

The topic modules (``albru.eras``, ``albru.network``, ``albru.incidents``, ``albru.plot``)
are imported on first use, so ``import albru`` stays quick.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from albru.dataset import Dataset, load
from albru.validation import AlbruDataError, Problem, data_dir, validate

__all__ = ["AlbruDataError", "Dataset", "Problem", "data_dir", "load", "validate"]

_LAZY = ("eras", "incidents", "network", "plot")


def __getattr__(name: str) -> ModuleType:
    """Import a topic module the first time it is used as ``albru.<name>``."""
    if name in _LAZY:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
