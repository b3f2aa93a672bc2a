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
from typing import ClassVar, TypeVar

import pandas as pd

T = TypeVar("T")

#: Names of the UN-vote agreement measures before :mod:`albru.votes` became a package.
OLD_MEASURE_NAMES: dict[str, str] = {"share": "identical", "kappa": "cohen_kappa",
                                     "s": "s_score"}


def renamed(where: str, old: str, new: str, passed: T | None, current: T) -> T:
    """The value passed under the old keyword ``old`` (with a warning), else ``current``."""
    if passed is None:
        return current
    warnings.warn(f"{where}: {old}= is deprecated; pass {new}= instead", DeprecationWarning,
                  stacklevel=3)
    return passed


def record_end(where: str, as_of: T | None, until: T | None) -> T:
    """The day the record is complete to, from ``as_of`` or the deprecated ``until`` (warned);
    TypeError when neither is given.

    >>> record_end("f", "2026-12-07", None)
    '2026-12-07'
    """
    day = renamed(where, "until", "as_of", until, as_of)
    if day is None:
        raise TypeError(f"{where}: as_of= is required (the day the record is complete to)")
    return day


def level_of(where: str, alpha: float | None, level: float) -> float:
    """The coverage ``level``, or ``1 - alpha`` for a caller still passing ``alpha`` (warned).

    >>> level_of("f", None, 0.95)
    0.95
    """
    return 1.0 - renamed(where, "alpha", "level", alpha, 1.0 - level) if alpha is not None \
        else level


def renamed_value(where: str, keyword: str, value: str, renames: dict[str, str]) -> str:
    """``value``, or its new name if ``renames`` maps it from an older one (warned).

    >>> renamed_value("f", "measure", "s_score", {"s": "s_score"})
    's_score'
    """
    new = renames.get(value)
    if new is None:
        return value
    warnings.warn(f"{where}: {keyword}={value!r} is deprecated; pass {keyword}={new!r} instead",
                  DeprecationWarning, stacklevel=3)
    return new


class RenamedColumns(pd.DataFrame):
    """A frame whose columns were renamed: ``frame[old]`` (or a list holding old names) still
    reads the renamed column, with a :class:`DeprecationWarning`. Anything derived from it
    (``.loc``, ``.round()`` ...) is a plain DataFrame that knows only the new names.

    >>> frame = RenamedColumns.of(pd.DataFrame({"s_score": [0.5]}), "f", {"s": "s_score"})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     frame["s"].tolist(), str(caught[0].message)
    ([0.5], "f: column 's' is deprecated; use 's_score' instead")
    """

    _metadata: ClassVar[list[str]] = ["_renames", "_where"]

    @property
    def _constructor(self) -> type[pd.DataFrame]:
        return pd.DataFrame

    @classmethod
    def of(cls, frame: pd.DataFrame, where: str, renames: dict[str, str]) -> RenamedColumns:
        """``frame`` (not copied) seen through the old names of ``renames`` (old -> new)."""
        out = cls(frame, copy=False)
        out._renames, out._where = renames, where
        return out

    def _new_name(self, key: object) -> object:
        renames = getattr(self, "_renames", {})
        if isinstance(key, str) and key in renames and key not in self.columns:
            warnings.warn(f"{self._where}: column {key!r} is deprecated; use "
                          f"{renames[key]!r} instead", DeprecationWarning, stacklevel=4)
            return renames[key]
        return key

    def __getitem__(self, key: object) -> object:
        if isinstance(key, list):
            key = [self._new_name(k) for k in key]
        else:
            key = self._new_name(key)
        return super().__getitem__(key)
