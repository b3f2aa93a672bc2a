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
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for type checkers; at run time these come from __getattr__ below
    from albru.dataset import Dataset, data_dir, load, read_package, validate
    from albru.panel import dyad_years
    from albru.validation import AlbruDataError, Problem

__all__ = ["AlbruDataError", "Dataset", "Problem", "data_dir", "dyad_years", "load", "read_package",
           "validate"]

_LAZY = ("changepoints", "dyad", "eras", "examples", "external", "incidents", "kinds", "network",
         "panel", "plot", "stats", "uncertainty", "votes")
#: Names offered at the top level, imported from their module on first use, so that the
#: parts of the package that need no tables (the command line's help, the site engine, the
#: citation) start without pandas.
_LAZY_NAMES = {"dyad_years": "panel", "Dataset": "dataset", "data_dir": "dataset",
                   "load": "dataset", "read_package": "dataset", "validate": "dataset",
                   "AlbruDataError": "validation", "Problem": "validation"}


def __getattr__(name: str) -> ModuleType | object:
    """Import a topic module (or one of the top-level names) the first time it is used."""
    if name in _LAZY:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _LAZY_NAMES:
        value = getattr(importlib.import_module(f"{__name__}.{_LAZY_NAMES[name]}"), name)
        globals()[name] = value  # later uses skip this function
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY, *_LAZY_NAMES])
