"""Deprecation shims: a keyword whose public name changed still works for a while, with a
:class:`DeprecationWarning` that names the new keyword.

>>> import warnings
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     renamed("f", "actor", "a", "CHN", "ALB")
'CHN'
>>> str(caught[0].message)
'f: actor= is deprecated; pass a= instead'
>>> renamed("f", "actor", "a", None, "ALB")
'ALB'
"""

from __future__ import annotations

import warnings
from typing import TypeVar

T = TypeVar("T")


def renamed(where: str, old: str, new: str, passed: T | None, current: T) -> T:
    """The value passed under the old keyword ``old`` (with a warning), else ``current``."""
    if passed is None:
        return current
    warnings.warn(f"{where}: {old}= is deprecated; pass {new}= instead", DeprecationWarning,
                  stacklevel=3)
    return passed


def level_of(where: str, alpha: float | None, level: float) -> float:
    """The coverage ``level``, or ``1 - alpha`` for a caller still passing ``alpha`` (warned).

    >>> level_of("f", None, 0.95)
    0.95
    """
    return 1.0 - renamed(where, "alpha", "level", alpha, 1.0 - level) if alpha is not None \
        else level
