"""Every piece of calendar arithmetic: EDTF bounds, decimal years, year shares, active on a
day, and the era a span falls in.

EDTF date strings are turned into a first day, a last day and a precision. Parsing is done
by the python ``edtf`` library; this module adds the checks it leaves out (a real calendar
day, no reversed interval, no open bound) and names the precision.
The plainest forms (``1924``, ``1959-05``, ``1924-04-07``, ``199X`` and intervals of them)
are read by a regular expression first, because ``edtf``'s grammar costs about 15 ms a string;
a test holds the two readings equal, and everything else goes to ``edtf``.

>>> parse("1959-05")
Bounds(start=datetime.date(1959, 5, 1), end=datetime.date(1959, 5, 31), precision='month')
>>> parse("199X").precision
'decade'
>>> round(decimal_year(pd.Timestamp("1961-07-02")), 3)
1961.499
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import time
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = [
    "DAYS_PER_YEAR", "MAX_EDTF_LENGTH", "MAX_EDTF_PARSED", "OPEN", "PRECISIONS",
    "PRECISION_DTYPE", "Bounds", "active_on", "calendar_years", "days_of", "decimal_year",
    "era_positions", "era_range", "parse", "parse_many", "year_shares",
]

#: Mean length of a calendar year in days, used to turn day counts into years.
DAYS_PER_YEAR: float = 365.25
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
#: Longest EDTF string read (the longest albru writes has 21 characters).
MAX_EDTF_LENGTH = 64
#: Most distinct strings one call of :func:`parse_many` hands to the ``edtf`` parser, which
#: takes tens of milliseconds for each; plain days, months, years, decades and intervals of
#: them (all albru's dates) are read without it and do not count.
MAX_EDTF_PARSED = 1000
# A plain EDTF date: a year, a month or a day, or a decade written with a final X.
_PLAIN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?|(\d{3})X", re.ASCII)
# 29 February, of any year.
_FEB_29 = re.compile(r"(\d{4})-02-29", re.ASCII)


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

    Parameters
    ----------
    text : an EDTF date or interval.

    Returns
    -------
    Bounds: first day, last day (both inclusive) and precision.

    Examples
    --------
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

    Parameters
    ----------
    texts : EDTF strings, repeats allowed.

    Returns
    -------
    Two dicts by distinct string: Bounds of those that parse, the reason for the others.

    Examples
    --------
    >>> good, bad = parse_many(["1912", "1912", "1912-13"])
    >>> sorted(good), bad
    (['1912'], {'1912-13': 'not an EDTF date'})
    """
    good: dict[str, Bounds] = {}
    bad: dict[str, str] = {}
    parsed = 0
    for text in dict.fromkeys(texts):  # in order of first appearance
        if len(text) <= MAX_EDTF_LENGTH and _plain_once(text) is None:
            parsed += 1
            if parsed > MAX_EDTF_PARSED:
                bad[text] = (f"one of more than {MAX_EDTF_PARSED} distinct dates that are not "
                             "plain days, months, years or decades; not parsed")
                continue
        bounds, reason = _bounds(text)
        if bounds is None:
            bad[text] = reason
        else:
            good[text] = bounds
    return good, bad


@functools.cache
def _bounds(text: str) -> tuple[Bounds | None, str]:
    """Bounds of an EDTF string, or None and the reason it is not usable."""
    if len(text) > MAX_EDTF_LENGTH:
        return None, f"longer than {MAX_EDTF_LENGTH} characters; not an EDTF date albru reads"
    try:
        bounds = _plain_once(text)
        if bounds is None:
            refused = _plain_refusal(text)
            if refused is not None:
                return None, refused
        return bounds or _parse(text), ""
    except ValueError as reason:
        return None, str(reason)


def _plain_refusal(text: str) -> str | None:
    """The reason ``edtf`` gives for plain-looking strings it reads but albru refuses (29
    February of a common year; an interval of plain dates that is reversed or spans more than
    a century), found without its grammar; None for any other string. A test holds the
    reasons equal to ``edtf``'s.

    >>> _plain_refusal("1961-02-29"), _plain_refusal("1960/1959-05")
    ('not a day of the calendar', 'interval ends before it starts')
    >>> _plain_refusal("1800/1900"), _plain_refusal("1801/1900"), _plain_refusal("1960-02-29")
    ('spans more than a century', None, None)
    """
    match = _FEB_29.fullmatch(text)
    if match is not None:
        year = int(match.group(1))
        return None if calendar.isleap(year) or year not in _YEARS else "not a day of the calendar"
    parts = text.split("/")
    if len(parts) != 2 or "X" in text:
        return None
    first, last = (_plain_window(part) for part in parts)
    if first is None or last is None:
        return None
    if last[1] < first[0]:
        return "interval ends before it starts"
    return "spans more than a century" if (last[1] - first[0]).days >= _LONGEST["century"] else None


@functools.cache
def _plain_once(text: str) -> Bounds | None:
    """:func:`_plain`, read once per distinct string and remembered."""
    return _plain(text)


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


def calendar_years(days: np.ndarray) -> np.ndarray:
    """The calendar year of each day, as integers of the same shape.

    Days are datetime64 values or integer day numbers (days since 1970-01-01). The years are
    found by a binary search of New Year's days, several times faster than a conversion to
    datetime64[Y]; the days must not be NaT.

    Parameters
    ----------
    days : an array of datetime64 values or of integer day numbers, any shape.

    Returns
    -------
    An int64 array of the same shape.

    Examples
    --------
    >>> calendar_years(np.array(["1912-11-28", "1961-12-31"], dtype="datetime64[ns]")).tolist()
    [1912, 1961]
    >>> calendar_years(np.array([[0, 365, -1]])).tolist()
    [[1970, 1971, 1969]]
    """
    days = np.asarray(days)
    if np.issubdtype(days.dtype, np.integer):
        days = days.astype("datetime64[D]")
    if not days.size:
        return np.zeros(days.shape, dtype="int64")
    ns = days.astype("datetime64[ns]").view("int64")
    lo = int(days.min().astype("datetime64[Y]").astype("int64")) + 1970
    hi = int(days.max().astype("datetime64[Y]").astype("int64")) + 1970
    new_years = np.arange(lo, hi + 2).astype(str).astype("datetime64[ns]").view("int64")
    return np.searchsorted(new_years, ns, side="right") - 1 + lo


def days_of(years: np.ndarray | list[int], month: int, day: int) -> np.ndarray:
    """One day (``month``, ``day``) of each year, as NumPy datetimes (microseconds).

    >>> days_of([1961, 2024], 7, 1).tolist()
    [datetime.datetime(1961, 7, 1, 0, 0), datetime.datetime(2024, 7, 1, 0, 0)]
    """
    first = (np.asarray(years, dtype="int64") - 1970).astype("datetime64[Y]")
    month_start = first.astype("datetime64[M]") + (month - 1)
    return (month_start.astype("datetime64[D]") + (day - 1)).astype("datetime64[us]")


def decimal_year(days: pd.Series | pd.Timestamp | pd.DatetimeIndex) -> pd.Series | float:
    """Days as fractional calendar years: 1 January of year Y is Y.0, its last day just below Y+1.

    Parameters
    ----------
    days : Series of datetimes, DatetimeIndex or one Timestamp.

    Returns
    -------
    A float Series (same index) for a Series or an index, a float for one Timestamp; NaT
    gives NaN.

    Examples
    --------
    >>> decimal_year(pd.Series(pd.to_datetime(["1961-01-01", "1961-07-02"]))).round(3).tolist()
    [1961.0, 1961.499]
    >>> decimal_year(pd.Timestamp("2000-12-31")) < 2001
    True
    """
    if isinstance(days, (pd.Timestamp, dt.date)):
        day = pd.Timestamp(days)
        return float(day.year + (day.day_of_year - 1) / (366 if day.is_leap_year else 365))
    series = pd.Series(days)
    length = np.where(series.dt.is_leap_year, 366, 365)
    return series.dt.year + (series.dt.day_of_year - 1) / length


def year_shares(
    frame: pd.DataFrame, start: str = "start", end: str = "end"
) -> pd.DataFrame:
    """How each row's span is shared out over calendar years, in proportion to its days.

    Parameters
    ----------
    frame : a table with first-day and last-day columns (both inclusive).
    start, end : the names of those columns.

    Returns
    -------
    A DataFrame with columns ``event`` (the row's index label), ``year`` and ``share``, in row
    order then year order; the shares of each row add up to one. A row without both days, or
    ending before it starts, raises ValueError.

    Examples
    --------
    >>> spans = pd.DataFrame({"start": pd.to_datetime(["1960-01-01", "1959-05-01"]),
    ...                       "end": pd.to_datetime(["1961-12-31", "1959-05-31"])})
    >>> year_shares(spans).round(4).values.tolist()
    [[0.0, 1960.0, 0.5007], [0.0, 1961.0, 0.4993], [1.0, 1959.0, 1.0]]
    """
    first, last = frame[start], frame[end]
    bad = first.isna() | last.isna() | (last < first)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValueError(f"event {frame.index[i]!r}: needs start <= end, got "
                         f"{first.iloc[i]} .. {last.iloc[i]}")
    first_year = first.dt.year.to_numpy(dtype="int64")
    last_year = last.dt.year.to_numpy(dtype="int64")
    count = last_year - first_year + 1
    row = np.repeat(np.arange(len(frame)), count)
    year = first_year[row] + (np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count))
    lo = np.maximum(first.to_numpy()[row], pd.to_datetime(year.astype(str), format="%Y")
                    .to_numpy(dtype="datetime64[ns]"))
    hi = np.minimum(last.to_numpy()[row], pd.to_datetime((year + 1).astype(str), format="%Y")
                    .to_numpy(dtype="datetime64[ns]") - np.timedelta64(1, "D"))
    day = np.timedelta64(1, "D")
    total = (last.to_numpy() - first.to_numpy()) // day + 1
    share = ((hi - lo) // day + 1) / total[row]
    return pd.DataFrame({"event": frame.index[row], "year": year, "share": share})


def active_on(
    frame: pd.DataFrame, day: str | dt.date | pd.Timestamp, start: str = "start",
    end: str = "end",
) -> pd.Series:
    """Which rows of a span table are active on ``day``, both bounds inclusive.

    A row is active when its first day is on or before ``day`` and its last day is missing
    (still open) or on or after ``day``.

    Parameters
    ----------
    frame : a table with first-day and last-day columns (ties, memberships, eras ...).
    day : the day asked about (anything ``pd.Timestamp`` reads).
    start, end : the names of the day columns.

    Returns
    -------
    A boolean Series aligned with ``frame``.

    Examples
    --------
    >>> spans = pd.DataFrame({"start": pd.to_datetime(["1950-01-01", "1962-01-01"]),
    ...                       "end": pd.to_datetime(["1961-12-31", None])})
    >>> active_on(spans, "1961-12-31").tolist(), active_on(spans, "2020-05-01").tolist()
    ([True, False], [False, True])
    """
    moment = pd.Timestamp(day)
    return (frame[start] <= moment) & (frame[end].isna() | (moment <= frame[end]))


def era_positions(
    starts: pd.Series, ends: pd.Series, era_starts: pd.Series, era_ends: pd.Series
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions of the first and last era each span ``[start, end]`` touches, and whether one era
    holds it whole.

    Parameters
    ----------
    starts, ends : first and last days of the spans.
    era_starts, era_ends : first and last days of the eras, in time order (``NaT`` end = open).

    Returns
    -------
    Three arrays, one entry per span: position of the first era touched, of the last era
    touched (both -1 when none is), and True where a single era holds the whole span.

    Examples
    --------
    >>> day = pd.to_datetime
    >>> first, last, whole = era_positions(day(pd.Series(["1950-02-01", "1954-12-01"])),
    ...     day(pd.Series(["1950-02-01", "1955-01-31"])),
    ...     day(pd.Series(["1940-01-01", "1955-01-01"])), day(pd.Series(["1954-12-31", None])))
    >>> first.tolist(), last.tolist(), whole.tolist()
    ([0, 0], [0, 1], [True, False])
    """
    lo, hi = starts.to_numpy()[:, None], ends.to_numpy()[:, None]
    era_lo = era_starts.to_numpy()[None, :]
    open_end = era_ends.isna().to_numpy()[None, :]
    era_hi = era_ends.to_numpy()[None, :]
    touched = (era_lo <= hi) & (open_end | (lo <= era_hi))
    inside = (era_lo <= lo) & (open_end | (hi <= era_hi))
    count = len(era_starts)
    any_touched = touched.any(axis=1)
    first = np.where(any_touched, touched.argmax(axis=1), -1)
    last = np.where(any_touched, count - 1 - touched[:, ::-1].argmax(axis=1), -1)
    whole = (inside.sum(axis=1) == 1) & (first == last)
    return first, last, whole


def era_range(
    frame: pd.DataFrame, eras: pd.DataFrame, start: str = "start", end: str = "end",
    key: str = "era_id",
) -> pd.DataFrame:
    """The era each span falls in, and the first and last era it may fall in.

    A span whose possible days cross an era boundary has no single era: ``era`` is missing
    and ``era_first``/``era_last`` name the eras at its two ends. The date is never moved.

    Parameters
    ----------
    frame : a table with first-day and last-day columns (events, ties ...).
    eras : the eras table (``key``, ``start``, ``end``; the last may end ``NaT``, open).
    start, end : the names of the day columns of ``frame``.
    key : the eras' identifier column; an ordered categorical keeps its order, anything else
        is ordered by the eras' first days.

    Returns
    -------
    A DataFrame aligned with ``frame``: ``era``, ``era_first``, ``era_last``, all of the eras'
    ordered categorical type.

    Examples
    --------
    >>> eras = pd.DataFrame({"era_id": ["alliance", "rupture"],
    ...     "start": pd.to_datetime(["1944-11-29", "1961-12-04"]),
    ...     "end": pd.to_datetime(["1961-12-03", None])})
    >>> events = pd.DataFrame({"start": pd.to_datetime(["1955-05-14", "1961-12-01"]),
    ...                        "end": pd.to_datetime(["1955-05-14", "1961-12-31"])})
    >>> era_range(events, eras)
            era era_first era_last
    0  alliance  alliance alliance
    1       NaN  alliance  rupture
    """
    ids = eras[key]
    if isinstance(ids.dtype, pd.CategoricalDtype) and ids.dtype.ordered:
        order = np.argsort(ids.cat.codes.to_numpy(), kind="stable")
        dtype = ids.dtype
    else:
        order = np.argsort(eras[start].to_numpy(), kind="stable")
        dtype = pd.CategoricalDtype(ids.astype(str).to_numpy()[order].tolist(), ordered=True)
    ordered = eras.iloc[order]
    first, last, whole = era_positions(frame[start], frame[end], ordered[start], ordered[end])
    codes = pd.Series(ordered[key].astype(str).to_numpy()).map(
        {name: i for i, name in enumerate(dtype.categories)}).to_numpy()

    def column(place: np.ndarray) -> pd.Categorical:
        return pd.Categorical.from_codes(np.where(place >= 0, codes[place], -1), dtype=dtype)

    return pd.DataFrame({"era": column(np.where(whole, first, -1)), "era_first": column(first),
                         "era_last": column(last)}, index=frame.index)
