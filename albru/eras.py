"""Eras of the relationship: per-era summaries, the annual net cooperation series, decades.

The functions take frames shaped like ``albru.load().events`` (columns ``start``, ``end``,
``era``, ``quad_class``, ``goldstein``, ``event_type``; ``era_first`` and ``era_last`` when
the loader gives them) and ``albru.load().eras`` (``era_id``, ``name``, ``start``, ``end``;
the last era may end ``NaT``, still open).

An event whose possible date range crosses an era boundary has no single era (its ``era`` is
missing). Per-era counts keep such an event apart: it is not in ``events`` of any era, and the
column ``straddling`` counts, for each era, the events that may fall in it without surely doing
so.

Dates known only to a month, a year or a decade cover a span ``[start, end]``. Whenever a
function counts by year or by decade, such an event is spread over the years it touches in
proportion to the days of its span in each year (the expected share if the true day were
anywhere in the span with equal chance): an event of ``196X`` adds a tenth to each year of
the 1960s, an event of ``1959-05`` adds all of itself to 1959. Nothing is dropped: shares of an
event always add up to one.

>>> from albru.examples import toy_frames
>>> events, eras = toy_frames()
>>> era_summary(events, eras)[["events", "goldstein_sum"]]
        events  goldstein_sum
era_id
warm         2            7.4
cold         2          -11.0
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from albru._compat import record_end, renamed
from albru.dates import DAYS_PER_YEAR, era_range, year_shares

__all__ = [
    "QUADS",
    "SUMMARY_COLUMNS",
    "annual_net_cooperation",
    "cooperation_sign",
    "decade_density",
    "era_at",
    "era_membership",
    "era_spans",
    "era_summary",
    "last_event_date",
    "latest_date",
    "multi_year_events",
    "summary_table",
]

#: The four CAMEO quad classes, in order (1 verbal cooperation ... 4 material conflict).
QUADS: tuple[int, ...] = (1, 2, 3, 4)


def last_event_date(events: pd.DataFrame) -> pd.Timestamp:
    """The last day any event may have happened on. This is a figure about the events, not the
    day the record is complete to: that is the dataset's ``as_of`` (``albru.load().as_of``),
    where the open present era is measured to.

    Parameters
    ----------
    events
        A frame with an ``end`` column of days.

    Returns
    -------
    pandas.Timestamp

    Examples
    --------
    >>> from albru.examples import toy_frames
    >>> last_event_date(toy_frames()[0])
    Timestamp('1969-12-31 00:00:00')
    """
    return pd.Timestamp(events["end"].max())


def latest_date(events: pd.DataFrame) -> pd.Timestamp:
    """Former name of :func:`last_event_date`; warns and returns it.

    >>> import warnings
    >>> from albru.examples import toy_frames
    >>> with warnings.catch_warnings(record=True):
    ...     latest_date(toy_frames()[0])
    Timestamp('1969-12-31 00:00:00')
    """
    warnings.warn("eras.latest_date is deprecated: use last_event_date for the last event, "
                  "and the dataset's as_of for the day the record is complete to",
                  DeprecationWarning, stacklevel=2)
    return last_event_date(events)


def era_spans(eras: pd.DataFrame, as_of: pd.Timestamp | None = None, *,
              until: pd.Timestamp | None = None) -> pd.DataFrame:
    """Each era's first day, last day and length in years; an open era ends on ``as_of``.

    Parameters
    ----------
    eras
        The eras table.
    as_of
        The day the record is complete to (the dataset's ``as_of``): the last day of the era
        still open. Required; ``until`` is its deprecated name.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``era_id`` (strings), columns ``name``, ``start``, ``end`` (closed),
        ``open`` (True for the era closed at ``as_of``) and ``years`` (days / 365.25).

    Examples
    --------
    >>> from albru.examples import toy_frames
    >>> era_spans(toy_frames()[1], pd.Timestamp("1969-12-31"))["years"].round(2).tolist()
    [10.0, 10.0]
    """
    as_of = pd.Timestamp(record_end("era_spans", as_of, until))
    end = eras["end"].fillna(as_of)
    if (end < eras["start"]).any():
        raise ValueError(f"as_of {as_of.date()} lies before the start of an open era")
    days = (end - eras["start"]).dt.days + 1
    return pd.DataFrame({
        "era_id": eras["era_id"].astype(str).to_numpy(),
        "name": eras["name"].astype(str).to_numpy(),
        "start": eras["start"].to_numpy(),
        "end": end.to_numpy(),
        "open": eras["end"].isna().to_numpy(),
        "years": (days / DAYS_PER_YEAR).to_numpy(),
    }).set_index("era_id")


def era_at(eras: pd.DataFrame, days: Sequence[str | pd.Timestamp] | pd.Series,
           column: str = "era_id") -> pd.Series:
    """The era of each day, as its ``column`` (missing for a day outside every era).

    Parameters
    ----------
    eras
        The eras table.
    days
        Anything :func:`pandas.to_datetime` reads.
    column
        The eras' column to return (``era_id``, ``name`` ...).

    Returns
    -------
    pandas.Series
        One value per day, in the order given, as strings.

    Examples
    --------
    >>> from albru.examples import toy_frames
    >>> era_at(toy_frames()[1], ["1949-12-31", "1959-12-31", "2020-07-01"]).tolist()
    [<NA>, 'warm', 'cold']
    >>> era_at(toy_frames()[1], ["1955-07-01"], column="name").tolist()
    ['Warm years']
    """
    when = pd.to_datetime(pd.Series(list(days)))
    found = era_range(pd.DataFrame({"start": when, "end": when}), eras)["era"]
    lookup = dict(zip(eras["era_id"].astype(str), eras[column].astype(str), strict=True))
    return found.astype("string").map(lookup).astype("string")


def era_membership(events: pd.DataFrame, eras: pd.DataFrame) -> pd.DataFrame:
    """The era of each event and the first and last era it may fall in, as positions in ``eras``.

    Uses the loader's ``era``, ``era_first`` and ``era_last`` when the frame has them, else
    :func:`albru.dates.era_range`. An event whose range crosses an era boundary has no ``era``.

    Parameters
    ----------
    events
        An events frame.
    eras
        The eras table, in time order.

    Returns
    -------
    pandas.DataFrame
        Aligned with ``events``: ``era`` (era id as a string, missing for a straddler),
        ``first`` and ``last`` (integer positions in ``eras``).

    Examples
    --------
    >>> from albru.examples import toy_frames
    >>> events, eras = toy_frames()
    >>> straddler = events.iloc[:1].assign(end=pd.Timestamp("1960-06-30"))
    >>> era_membership(straddler[["start", "end"]], eras).values.tolist()
    [[<NA>, 0, 1]]
    """
    ids = eras["era_id"].astype(str).tolist()
    where = {e: i for i, e in enumerate(ids)}
    if {"era_first", "era_last"} <= set(events.columns):
        found = events[["era", "era_first", "era_last"]] if "era" in events else None
    else:
        found = None
    if found is None:
        found = era_range(events, eras)
    unknown = set(found["era_first"].dropna().astype(str)) - set(ids)
    if unknown:
        raise ValueError(f"events name eras absent from the eras table: {sorted(unknown)}")
    out = pd.DataFrame({
        "era": found["era"].astype("string"),
        "first": found["era_first"].astype("string").map(where).astype("Int64"),
        "last": found["era_last"].astype("string").map(where).astype("Int64"),
    }, index=events.index)
    if out[["first", "last"]].isna().any().any():
        bad = events.index[out[["first", "last"]].isna().any(axis=1)].tolist()
        raise ValueError(f"events at rows {bad} fall outside every era")
    return out


def _straddling(found: pd.DataFrame, n_eras: int) -> np.ndarray:
    """For each era, how many events (rows of :func:`era_membership`) may fall in it but have
    no single era."""
    out = np.zeros(n_eras, dtype=int)
    apart = found[found["era"].isna()]
    for first, last in zip(apart["first"], apart["last"], strict=True):
        out[int(first):int(last) + 1] += 1
    return out


def era_summary(events: pd.DataFrame, eras: pd.DataFrame, as_of: pd.Timestamp | None = None,
                top: int = 3, *, until: pd.Timestamp | None = None) -> pd.DataFrame:
    """One row per era, in time order: length, event count, quad-class counts, Goldstein, types.

    Parameters
    ----------
    events
        An events frame.
    eras
        The eras table.
    as_of
        The day the open era is measured to: pass the dataset's ``as_of`` (the day the record
        is complete to); by default the last event's date (:func:`last_event_date`), which
        suits frames that carry no ``as_of``. ``until`` is its deprecated name.
    top
        How many of the most frequent event types to list.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``era_id``: the columns of :func:`era_spans`, ``events``, ``straddling``
        (events that may fall in the era but cross one of its boundaries; not counted
        elsewhere), ``q1`` ... ``q4``, ``per_year``, ``q1_per_year`` ... ``q4_per_year``,
        ``goldstein_sum``, ``goldstein_mean`` (NaN without events) and ``top_types`` (ties go
        alphabetically).

    Examples
    --------
    >>> from albru.examples import toy_frames
    >>> s = era_summary(*toy_frames())
    >>> s[["years", "events", "q1", "q4", "per_year"]].round(2)
            years  events  q1  q4  per_year
    era_id
    warm     10.0       2   1   0       0.2
    cold     10.0       2   0   1       0.2
    >>> s.loc["cold", "top_types"]
    'break_relations (1), criticize (1)'
    """
    as_of = renamed("era_summary", "until", "as_of", until, as_of)
    spans = era_spans(eras, last_event_date(events) if as_of is None else as_of)
    found = era_membership(events, eras)
    era = found["era"]
    inside = era.notna()
    quad = pd.crosstab(era[inside], events.loc[inside, "quad_class"].astype(int))
    quad = quad.reindex(index=spans.index, columns=list(QUADS), fill_value=0)
    out = spans.copy()
    out["events"] = era.value_counts().reindex(spans.index, fill_value=0).astype(int)
    out["straddling"] = _straddling(found, len(eras))
    for q in QUADS:
        out[f"q{q}"] = quad[q].astype(int)
    out["per_year"] = out["events"] / out["years"]
    for q in QUADS:
        out[f"q{q}_per_year"] = out[f"q{q}"] / out["years"]
    goldstein = events.loc[inside, "goldstein"].groupby(era[inside])
    out["goldstein_sum"] = goldstein.sum().reindex(spans.index, fill_value=0.0)
    out["goldstein_mean"] = goldstein.mean().reindex(spans.index)
    types = events["event_type"]
    out["top_types"] = [_top_types(types[(era == e).fillna(False).to_numpy(bool)], top)
                        for e in spans.index]
    return out


def _top_types(types: pd.Series, top: int) -> str:
    """The most frequent values with their counts, as one string; ties go alphabetically."""
    counts = types.astype(str).value_counts()
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return ", ".join(f"{name} ({n})" for name, n in ranked)


def multi_year_events(events: pd.DataFrame) -> pd.DataFrame:
    """The events whose date does not pin them to a single calendar year.

    Parameters
    ----------
    events
        An events frame.

    Returns
    -------
    pandas.DataFrame
        The matching rows.

    Examples
    --------
    >>> from albru.examples import toy_frames
    >>> multi_year_events(toy_frames()[0])["precision"].tolist()
    ['decade']
    """
    return events[events["start"].dt.year != events["end"].dt.year]


def _complete(values: pd.Series, keys: Iterable[int], what: str) -> pd.Series:
    """Reindex sums on ``keys`` with zeros; fail if any sum falls outside ``keys``."""
    keys = list(keys)
    outside = sorted(set(values.index) - set(keys))
    if outside:
        raise ValueError(f"events fall in {what} outside the range asked for: {outside}")
    return values.reindex(keys, fill_value=0.0).astype(float)


def annual_net_cooperation(events: pd.DataFrame, years: Iterable[int] | None = None,
                           multi_year: str = "spread",
                           weights: pd.DataFrame | None = None) -> pd.Series | pd.DataFrame:
    """Net cooperation per calendar year: the sum of the Goldstein weights of its events.

    Parameters
    ----------
    events
        An events frame.
    years
        The years of the series; by default from the first event's year to the last's. A year
        without events scores 0; an event outside ``years`` raises ``ValueError``.
    multi_year
        ``"spread"`` shares an event not pinned to one year over the years it spans (see the
        module docstring); ``"exclude"`` leaves such events out (see :func:`multi_year_events`).
    weights
        Other weights in place of the Goldstein weights: one column per variant, indexed like
        ``events`` (e.g. recoded weights, or a weight set to 0 to leave an event out, as
        ``albru.uncertainty.leave_one_out`` gives). The dates are shared out once for all.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        ``net_goldstein`` indexed by ``year``; with ``weights``, one row per column of
        ``weights`` and one column per year.

    Examples
    --------
    >>> from albru.examples import toy_frames
    >>> events = toy_frames()[0]
    >>> net = annual_net_cooperation(events, range(1950, 1970))
    >>> net.loc[1958:1962].round(2).tolist()
    [0.0, 0.0, -0.4, -7.4, -0.4]
    >>> annual_net_cooperation(events, multi_year="exclude").loc[1959:].tolist()
    [0.0, 0.0, -7.0]
    >>> w = pd.DataFrame({"as coded": events["goldstein"], "halved": events["goldstein"] / 2})
    >>> annual_net_cooperation(events, range(1950, 1970), weights=w).loc[:, 1961].round(2).tolist()
    [-7.4, -3.7]
    """
    if multi_year not in ("spread", "exclude"):
        raise ValueError(f"multi_year must be 'spread' or 'exclude', not {multi_year!r}")
    if multi_year == "exclude":
        events = events.drop(multi_year_events(events).index)
    shares = year_shares(events)
    if years is None:
        years = range(int(shares["year"].min()), int(shares["year"].max()) + 1)
    if weights is None:
        weight = shares["share"] * events.loc[shares["event"], "goldstein"].to_numpy()
        net = _complete(weight.groupby(shares["year"]).sum(), years, "years")
        return net.rename("net_goldstein").rename_axis("year")
    share = shares["share"].to_numpy()[:, None]
    values = weights.loc[shares["event"]].to_numpy(dtype=float) * share
    sums = pd.DataFrame(values, columns=weights.columns).groupby(shares["year"].to_numpy()).sum()
    return _complete(sums, years, "years").T.rename_axis(columns="year")


def decade_density(events: pd.DataFrame, decades: Iterable[int] | None = None) -> pd.Series:
    """Events per decade, spread by date as in the module docstring.

    Parameters
    ----------
    events
        An events frame.
    decades
        First years of the decades to report; by default every decade the events touch.

    Returns
    -------
    pandas.Series
        ``events`` indexed by ``decade``; the counts add up to the number of events.

    Examples
    --------
    >>> from albru.examples import toy_frames
    >>> decade_density(toy_frames()[0]).tolist()
    [2.0, 2.0]
    """
    shares = year_shares(events)
    decade = shares["year"] // 10 * 10
    if decades is None:
        decades = range(int(decade.min()), int(decade.max()) + 1, 10)
    counts = _complete(shares["share"].groupby(decade).sum().round(6), decades, "decades")
    return counts.rename("events").rename_axis("decade")


#: Reader-facing names of the per-era summary columns, in the order shown.
SUMMARY_COLUMNS: dict[str, str] = {
    "name": "era", "start": "from", "end": "to", "years": "years", "events": "events",
    "per_year": "per year", "q1": "verbal coop.", "q2": "material coop.",
    "q3": "verbal conflict", "q4": "material conflict", "goldstein_sum": "Goldstein sum",
    "goldstein_mean": "Goldstein mean", "top_types": "most frequent types",
}


def summary_table(summary: pd.DataFrame, context: pd.Series | None = None) -> pd.DataFrame:
    """The per-era summary as a table for readers.

    Years as numbers, rounded figures, renamed columns; a column ``straddling`` only when some
    event crosses an era boundary; optionally a column of ``context`` events per era.

    Parameters
    ----------
    summary
        From :func:`era_summary`.
    context
        Counts per era to show beside the events (e.g. events of other actors).

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> from albru.examples import toy_frames
    >>> summary_table(era_summary(*toy_frames())).iloc[:, :6]
                   era  from    to  years  events  per year
    era_id
    warm    Warm years  1950  1959   10.0       2       0.2
    cold    Cold years  1960  1969   10.0       2       0.2
    """
    columns = dict(SUMMARY_COLUMNS)
    if "straddling" in summary and summary["straddling"].any():
        columns = {**dict(list(columns.items())[:5]), "straddling": "crossing a boundary",
                   **dict(list(columns.items())[5:])}
    table = summary[list(columns)].copy()
    table["start"] = table["start"].dt.year
    table["end"] = table["end"].dt.year
    table = table.round({"years": 1, "per_year": 2, "goldstein_sum": 1, "goldstein_mean": 2})
    if context is not None:
        table.insert(5, "context", context.reindex(table.index).astype(int))
        table = table.rename(columns={"context": "context events"})
    return table.rename(columns=columns)


def cooperation_sign(summary: pd.DataFrame) -> dict[str, list[str]]:
    """Era names grouped by the sign of their summed Goldstein weight.

    Parameters
    ----------
    summary
        From :func:`era_summary`.

    Returns
    -------
    dict
        ``cooperative``, ``conflictual`` and ``without events``: lists of era names.

    Examples
    --------
    >>> from albru.examples import toy_frames
    >>> cooperation_sign(era_summary(*toy_frames()))
    {'cooperative': ['Warm years'], 'conflictual': ['Cold years'], 'without events': []}
    """
    total, n = summary["goldstein_sum"], summary["events"]
    return {
        "cooperative": summary.loc[(n > 0) & (total > 0), "name"].tolist(),
        "conflictual": summary.loc[(n > 0) & (total < 0), "name"].tolist(),
        "without events": summary.loc[n == 0, "name"].tolist(),
    }
