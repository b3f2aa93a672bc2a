"""EDTF date strings turned into a first day, a last day and a precision.

Parsing is done by the python ``edtf`` library; this module adds the checks it leaves out
(a real calendar day, no reversed interval, no open bound) and names the precision.
The plainest forms (``1924``, ``1959-05``, ``1924-04-07``, ``199X`` and intervals of them)
are read by a regular expression first, because ``edtf``'s grammar costs about 15 ms a string;
a test holds the two readings equal, and everything else goes to ``edtf``.

>>> parse("1959-05")
Bounds(start=datetime.date(1959, 5, 1), end=datetime.date(1959, 5, 31), precision='month')
>>> parse("199X").precision
'decade'
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import time
from collections.abc import Iterable
from typing import NamedTuple

import pandas as pd

#: The marker of an open end ("still lasting"), allowed alone in an end column.
OPEN = ".."
#: Precisions from finest to coarsest.
PRECISIONS: tuple[str, ...] = ("day", "month", "season", "year", "decade", "century")
#: Ordered categorical dtype of the precision columns.
PRECISION_DTYPE = pd.CategoricalDtype(list(PRECISIONS), ordered=True)
# The longest window, in days, that each precision names.
_LONGEST: dict[str, int] = {
    "day": 1, "month": 31, "season": 92, "year": 366, "decade": 3653, "century": 36525,
}
# Day timestamps (datetime64[ns]) hold years 1678 to 2261 completely.
_YEARS = range(1678, 2262)
# A plain EDTF date: a year, a month or a day, or a decade written with a final X.
_PLAIN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?|(\d{3})X", re.ASCII)


class Bounds(NamedTuple):
    """First day, last day (both inclusive) and precision of an EDTF date."""

    start: dt.date
    end: dt.date
    precision: str


def parse(text: str) -> Bounds:
    """Bounds of one EDTF string; raises ValueError saying why it is not usable.

    The precision names the shortest unit whose length covers the window from the first
    to the last day, so an interval "1912/1913" (two years) has precision "decade"; "season"
    is kept for EDTF seasons ("1959-21" is spring 1959).
    Each distinct string is parsed by ``edtf`` once per process and remembered.

    >>> parse("1924-04-07")
    Bounds(start=datetime.date(1924, 4, 7), end=datetime.date(1924, 4, 7), precision='day')
    >>> parse("1912/1913")[:2]
    (datetime.date(1912, 1, 1), datetime.date(1913, 12, 31))
    >>> parse("2001-02-29")
    Traceback (most recent call last):
    ...
    ValueError: not a day of the calendar
    """
    bounds, reason = _bounds(text)
    if bounds is None:
        raise ValueError(reason)
    return bounds


def parse_many(texts: Iterable[str]) -> tuple[dict[str, Bounds], dict[str, str]]:
    """Parse each distinct string once: bounds of the good ones, reasons for the bad ones.

    >>> good, bad = parse_many(["1912", "1912", "1912-13"])
    >>> sorted(good), bad
    (['1912'], {'1912-13': 'not an EDTF date'})
    """
    good: dict[str, Bounds] = {}
    bad: dict[str, str] = {}
    for text in set(texts):
        bounds, reason = _bounds(text)
        if bounds is None:
            bad[text] = reason
        else:
            good[text] = bounds
    return good, bad


@functools.cache
def _bounds(text: str) -> tuple[Bounds | None, str]:
    """Bounds of an EDTF string, or None and the reason it is not usable."""
    try:
        return _plain(text) or _parse(text), ""
    except ValueError as reason:
        return None, str(reason)


def _plain(text: str) -> Bounds | None:
    """Bounds of a plain date or an interval of two, or None to leave the string to ``edtf``.

    >>> _plain("1959-05/1960")
    Bounds(start=datetime.date(1959, 5, 1), end=datetime.date(1960, 12, 31), precision='decade')
    >>> _plain("1959-21") is None  # a season: edtf's business
    True
    """
    parts = text.split("/")
    if len(parts) > 2 or (len(parts) == 2 and "X" in text):
        return None
    days = [_plain_window(part) for part in parts]
    if None in days:
        return None
    start, end = days[0][0], days[-1][1]
    width = (end - start).days + 1
    fits = [p for p in PRECISIONS if p != "season" and width <= _LONGEST[p]]
    return Bounds(start, end, fits[0]) if end >= start and fits else None


def _plain_window(text: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of a plain EDTF date inside the years pandas holds, else None."""
    match = _PLAIN.fullmatch(text)
    if match is None:
        return None
    year, month, day, decade = match.groups()
    if decade is not None:
        first, last = int(decade) * 10, int(decade) * 10 + 9
        if first not in _YEARS or last not in _YEARS:
            return None
        return dt.date(first, 1, 1), dt.date(last, 12, 31)
    if int(year) not in _YEARS:
        return None
    if month is None:
        return dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
    if not 1 <= int(month) <= 12:
        return None
    if day is None:
        length = calendar.monthrange(int(year), int(month))[1]
        return dt.date(int(year), int(month), 1), dt.date(int(year), int(month), length)
    if not 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]:
        return None
    moment = dt.date(int(year), int(month), int(day))
    return moment, moment


def _parse(text: str) -> Bounds:
    """Bounds of an EDTF string, raising ValueError with the reason it is not usable."""
    from edtf import EDTFParseException, Season, parse_edtf

    if text != text.strip():
        raise ValueError("leading or trailing spaces")
    try:
        date = parse_edtf(text)
    except EDTFParseException:
        raise ValueError("not an EDTF date") from None
    lower, upper = date.lower_strict(), date.upper_strict()
    if any(isinstance(bound, float) for bound in (lower, upper)):  # edtf's +-inf
        raise ValueError(f"open bound; an open end is written {OPEN!r} alone in an end column")
    start, end = _day(lower), _day(upper)
    if end < start:
        raise ValueError("interval ends before it starts")
    if isinstance(date, Season):  # edtf's winter is December alone, shorter than a season
        return Bounds(start, end, "season")
    days = (end - start).days + 1
    for precision in PRECISIONS:
        if precision != "season" and days <= _LONGEST[precision]:
            return Bounds(start, end, precision)
    raise ValueError("spans more than a century")


def _day(moment: time.struct_time) -> dt.date:
    """The calendar day of a struct_time, refusing days that do not exist or cannot be held."""
    try:
        day = dt.date(moment.tm_year, moment.tm_mon, moment.tm_mday)
    except ValueError:
        raise ValueError("not a day of the calendar") from None
    if day.year not in _YEARS:
        raise ValueError(f"year outside {_YEARS.start}-{_YEARS.stop - 1}, the span pandas holds")
    return day
