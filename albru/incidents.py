"""Diplomatic incidents between Albania and Russia: which events count, and how often they happen.

The one definition used everywhere: an *incident* is an event between the two states of
:mod:`albru.dyad` (Albania and Russia), in either direction, whose quad class is conflictual
(3 verbal conflict, 4 material conflict). Its
*kind* groups its event type with its near neighbours (``KINDS``): criticism, accusation, veto,
expulsion, break of relations, sanctions and so on.

Dates stay as precise as the sources give them. A row is counted in a bin (a year, a five-year
span, ...) only when its whole possible date range lies inside that bin. Day, month, season and
year dates therefore sit in their year; a decade date such as ``196X`` or an interval over
several years is never forced into one year: it is kept apart, in ``BinnedCounts.apart``, with
the range of years it could fall in.

>>> from albru.examples import dyad_events
>>> inc = incidents(dyad_events())
>>> inc["event_id"].tolist()
['E003', 'E002', 'E004']
>>> count_by_bin(inc).total == len(inc)
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd

from albru import dyad
from albru._compat import level_of, record_end
from albru.dates import DAYS_PER_YEAR
from albru.eras import era_membership, era_spans
from albru.kinds import CONFLICT_QUADS, KINDS
from albru.stats import garwood

__all__ = [
    "CONFLICT_QUADS",
    "KINDS",
    "BinnedCounts",
    "bin_of",
    "count_by_bin",
    "count_by_month",
    "cumulative",
    "era_rates",
    "era_records",
    "events_in_spells",
    "incidents",
    "main_incidents",
    "period_of",
    "quiet_context",
    "quiet_spells",
]

def incidents(events: pd.DataFrame, a: str = dyad.A, b: str = dyad.B) -> pd.DataFrame:
    """The incidents among ``events``, sorted by date, with ``kind``, ``direction`` and ``year``.

    Ties in date keep the input order (for :func:`albru.load`, by event id). An incident whose
    event type has no kind in ``KINDS`` raises ``ValueError``: none is left out of the counts.

    Parameters
    ----------
    events
        An events frame.
    a, b
        The pair (Albania and Russia by default).

    Returns
    -------
    pandas.DataFrame
        The incident rows with ``kind`` (ordered categorical of the kinds present, in ``KINDS``
        order), ``direction`` (e.g. ``"RUS → ALB"``) and ``year`` (the calendar year when the
        whole date range lies in one year, else missing).

    Examples
    --------
    >>> from albru.examples import dyad_events
    >>> inc = incidents(dyad_events())
    >>> inc["direction"].tolist(), inc["year"].tolist()
    (['ALB → RUS', 'RUS → ALB', 'ALB → RUS'], [<NA>, 1961, 2022])
    >>> inc["kind"].tolist()
    ['criticism', 'break of relations', 'criticism']
    """
    quad = events["quad_class"].astype("Int64")
    mask = dyad.is_dyadic(events, a, b) & quad.isin(CONFLICT_QUADS).fillna(False).astype(bool)
    inc = events[mask.to_numpy(dtype=bool)].copy()  # mask is built on events' own index
    kind_of = {t: kind for kind, (_, types) in KINDS.items() for t in types}
    kinds = inc["event_type"].astype(str).map(kind_of)
    if kinds.isna().any():
        missing = inc.loc[kinds.isna(), ["event_id", "event_type"]].values.tolist()
        raise ValueError(f"incidents with an event type that has no kind in KINDS: {missing}")
    seen = set(kinds.unique())
    present = [k for k in KINDS if k in seen]
    inc["kind"] = pd.Categorical(kinds, categories=present, ordered=True)
    inc["direction"] = pd.array(np.where(inc["source_actor"] == a, f"{a} → {b}", f"{b} → {a}"),
                                dtype="string")
    inc["year"] = bin_of(inc, width=1)
    # by start, then end (missing dates last, as sort_values puts them); lexsort is stable,
    # so the input order (by id) breaks ties
    order = np.lexsort((inc["end"].to_numpy(), inc["start"].to_numpy()))
    return inc.take(order).reset_index(drop=True)


def bin_of(frame: pd.DataFrame, width: int = 1, origin: int = 0) -> pd.Series:
    """First year of the bin of ``width`` years holding each row's whole date range, else missing.

    Parameters
    ----------
    frame
        Rows with ``start`` and ``end``.
    width
        Years per bin; bins start at ``origin + i * width`` (with 5: 1910-1914, 1915-1919 ...).
    origin
        A year on which a bin starts.

    Returns
    -------
    pandas.Series
        Nullable integers; missing where the range crosses a bin boundary.

    Examples
    --------
    >>> from albru.examples import dyad_events
    >>> bin_of(dyad_events()).tolist()
    [1924, 1961, <NA>, 2022, 2022]
    >>> bin_of(dyad_events(), width=10).tolist()
    [1920, 1960, 1960, 2020, 2020]
    """
    if width < 1:
        raise ValueError(f"bin width must be a positive number of years, got {width}")
    first, last = ((frame[c].dt.year.to_numpy(dtype=float) - origin) // width * width + origin
                   for c in ("start", "end"))
    same = first == last  # False where a date is missing (NaN)
    values = pd.arrays.IntegerArray(np.where(same, first, 0).astype(np.int64), ~same)
    return pd.Series(values, index=frame.index, name="start")


@dataclass(frozen=True)
class BinnedCounts:
    """Incident counts per bin and kind, with the incidents no single bin can hold kept apart.

    ``counts``: one row per bin (index: first year of the bin, every bin of the span, zeros
    included), one column per kind. ``apart``: the rows that span more than one bin, with
    ``first_year`` and ``last_year`` of their possible range. ``width``: years per bin.

    Examples
    --------
    >>> from albru.examples import dyad_events
    >>> count_by_bin(incidents(dyad_events())).total
    3
    """

    counts: pd.DataFrame
    apart: pd.DataFrame
    width: int

    @property
    def total(self) -> int:
        """Everything counted: the binned incidents plus those kept apart."""
        return int(np.nansum(self.counts.to_numpy())) + len(self.apart)


def count_by_bin(
    frame: pd.DataFrame,
    width: int = 1,
    by: str = "kind",
    span: tuple[int, int] | None = None,
    origin: int = 0,
    searched: Iterable[int] | None = None,
) -> BinnedCounts:
    """Count rows per bin of ``width`` years and per value of column ``by``.

    Parameters
    ----------
    frame
        Incidents (or any rows with ``start``, ``end`` and ``by``).
    width, origin
        The bins, as in :func:`bin_of`.
    by
        The column whose values become the columns of the counts.
    span
        (first year, last year) of the bins shown; by default from the earliest possible year
        to the latest of any row. Rows outside a given span raise ``ValueError``.
    searched
        The years a recorded search covered (``albru.load().searched_years()``). When given, a
        bin with a year of the span that no search covered is missing (NaN), not zero, and the
        counts are floats.

    Returns
    -------
    BinnedCounts

    Examples
    --------
    >>> from albru.examples import dyad_events
    >>> bc = count_by_bin(incidents(dyad_events()), width=5)
    >>> bc.counts.loc[[1960, 2020]].to_numpy().tolist()
    [[0, 1], [1, 0]]
    >>> bc.apart[["event_id", "first_year", "last_year"]].values.tolist()
    [['E003', 1960, 1969]]
    >>> count_by_bin(incidents(dyad_events()), width=5, searched=range(1912, 2020)).counts.loc[
    ...     [1960, 2020]].to_numpy().tolist()
    [[0.0, 1.0], [nan, nan]]
    """
    bins = bin_of(frame, width, origin)
    years_lo, years_hi = frame["start"].dt.year, frame["end"].dt.year
    if span is None:
        if frame.empty:
            raise ValueError("nothing to count and no span given")
        span = (int(years_lo.min()), int(years_hi.max()))
    outside = (years_lo < span[0]) | (years_hi > span[1])
    if outside.any():
        ids = frame.loc[outside, "event_id"].tolist() if "event_id" in frame else "some rows"
        raise ValueError(f"rows outside the span {span}: {ids}")
    lo = (span[0] - origin) // width * width + origin
    index = pd.Index(range(lo, span[1] + 1, width), name="bin")
    keys = frame[by]
    binned = bins.notna().to_numpy()
    if isinstance(keys.dtype, pd.CategoricalDtype):
        columns = keys.cat.categories
        which = keys.cat.codes.to_numpy()[binned]  # -1 for a missing value
    else:  # values matched as text, as a crosstab of keys.astype(str) would
        columns = sorted(map(str, keys.dropna().unique()))
        which = pd.Index(columns).get_indexer(keys[binned].astype(str))
    row = (bins[binned].to_numpy(dtype=np.int64) - lo) // width
    table = np.zeros((len(index), len(columns)), dtype=int)
    np.add.at(table, (row[which >= 0], which[which >= 0]), 1)
    counts = pd.DataFrame(table, index=index, columns=pd.Index(list(columns), name=by))
    apart = frame.loc[~binned].copy()
    apart["first_year"] = years_lo[~binned].astype(int)
    apart["last_year"] = years_hi[~binned].astype(int)
    if searched is not None:
        known = set(searched)
        covered = [all(y in known for y in range(max(b, span[0]), min(b + width - 1, span[1]) + 1))
                   for b in index]
        counts = counts.astype(float).where(pd.Series(covered, index=index), axis=0)
    return BinnedCounts(counts=counts, apart=apart.reset_index(drop=True), width=width)


def count_by_month(inc: pd.DataFrame, year: int, by: str = "kind") -> BinnedCounts:
    """Incidents of one calendar year per month and per value of ``by``.

    An incident whose date range crosses a month boundary (dated only to the year, say) is kept
    apart, as in :func:`count_by_bin`, with ``first_month`` and ``last_month`` (1-12) of its
    possible range. Incidents of other years are left out.

    Parameters
    ----------
    inc
        From :func:`incidents`.
    year
        The calendar year.
    by
        The column whose values become the columns of the counts.

    Returns
    -------
    BinnedCounts
        ``counts`` indexed by the first day of each month (``month``); ``width`` is 0 (months,
        not years); ``apart`` has ``first_year`` = ``last_year`` = ``year``.

    Examples
    --------
    >>> from albru.examples import dyad_events
    >>> c = count_by_month(incidents(dyad_events()), 2022)
    >>> c.counts.sum(axis=1).iloc[:3].tolist(), len(c.apart)
    ([0, 1, 0], 0)
    """
    rows = inc[(inc["start"].dt.year == year) & (inc["end"].dt.year == year)]
    first, last = rows["start"].dt.month, rows["end"].dt.month
    same = first == last
    keys = rows[by]
    categorical = isinstance(keys.dtype, pd.CategoricalDtype)
    columns = list(keys.cat.categories) if categorical else sorted(map(str, keys.dropna().unique()))
    counts = pd.crosstab(first[same], keys[same] if categorical else keys[same].astype(str))
    counts = counts.reindex(index=range(1, 13), columns=pd.Index(columns, name=by), fill_value=0)
    counts.index = pd.DatetimeIndex([pd.Timestamp(year, m, 1) for m in range(1, 13)],
                                    name="month")
    apart = rows.loc[~same].copy()
    apart["first_year"] = year
    apart["last_year"] = year
    apart["first_month"] = first[~same].astype(int)
    apart["last_month"] = last[~same].astype(int)
    return BinnedCounts(counts=counts.astype(int), apart=apart.reset_index(drop=True), width=0)


def era_rates(
    inc: pd.DataFrame, eras: pd.DataFrame, as_of: pd.Timestamp | None = None,
    level: float = 0.95, *, alpha: float | None = None, until: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Incidents per year of each era, with an exact Poisson interval.

    An incident counts in its era when its whole date range lies in it, so decade-dated
    incidents count too. An incident whose range crosses an era boundary is in no era's
    ``incidents``; it is in ``possible`` of every era it may fall in, and the upper bound of
    the interval is taken from ``possible`` (the lower from ``incidents``), so date uncertainty
    only widens the interval.

    Parameters
    ----------
    inc
        From :func:`incidents`.
    eras
        The eras table.
    as_of
        The day the record is complete to (the dataset's ``as_of``): an open era ends there.
        Required; ``until`` is its deprecated name.
    level
        The coverage of the interval.
    alpha
        Deprecated: ``1 - level``.

    Returns
    -------
    pandas.DataFrame
        One row per era: ``era_id``, ``name``, ``start``, ``end`` (closed), ``years``,
        ``incidents``, ``possible``, ``rate`` (incidents / years), ``lower``, ``upper``.

    Examples
    --------
    >>> from albru.examples import dyad_eras, dyad_events
    >>> r = era_rates(incidents(dyad_events()), dyad_eras(), pd.Timestamp("2022-12-31"))
    >>> r[["era_id", "incidents"]].values.tolist()
    [['early', 0], ['cold', 2], ['late', 1]]
    >>> round(float(r.loc[2, "rate"]), 3), round(float(r.loc[2, "years"]), 2)
    (0.032, 31.0)
    """
    out = _closed_eras(eras, record_end("era_rates", as_of, until))
    pos = era_membership(inc, eras)
    one = pos["era"].notna().to_numpy(bool)
    sure = np.bincount(pos.loc[one, "first"].to_numpy(dtype=int), minlength=len(eras))
    maybe = sure.copy()
    for first, last in zip(pos.loc[~one, "first"], pos.loc[~one, "last"], strict=True):
        maybe[int(first):int(last) + 1] += 1
    out["incidents"] = sure
    out["possible"] = maybe
    level = level_of("era_rates", alpha, level)
    lower, _ = garwood(sure, level)
    _, upper = garwood(maybe, level)
    out["rate"] = out["incidents"] / out["years"]
    out["lower"] = lower / out["years"]
    out["upper"] = upper / out["years"]
    return out.reset_index(drop=True)


def _closed_eras(eras: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Era id, name, start, end (an open era closed at ``as_of``) and years, from era_spans."""
    spans = era_spans(eras, as_of)
    out = eras[["era_id", "name", "start"]].copy().reset_index(drop=True)
    out["end"] = spans["end"].to_numpy()
    out["years"] = spans["years"].to_numpy()
    return out


def quiet_spells(
    inc: pd.DataFrame,
    since: pd.Timestamp | None = None,
    until: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Stretches with no incident under any reading of the dates, longest first.

    Each incident occupies its whole possible range ``[start, end]``; a quiet spell is a gap
    between those ranges. An imprecise date thus shortens the spells around it: the lengths are
    what the data guarantees, not what a guess would give.

    Parameters
    ----------
    inc
        From :func:`incidents`.
    since, until
        Add the spells before the first and after the last incident.

    Returns
    -------
    pandas.DataFrame
        ``start``, ``end`` (first and last quiet day), ``years``, ``before`` and ``after``
        (event ids of the incidents that bound it; missing at an edge).

    Examples
    --------
    >>> from albru.examples import dyad_events
    >>> q = quiet_spells(incidents(dyad_events()))
    >>> q[["start", "end", "before", "after"]].astype(str).values.tolist()
    [['1970-01-01', '2022-02-23', 'E003', 'E004']]
    """
    rows = []
    ordered = inc.sort_values(["start", "end", "event_id"], kind="stable")
    prev_end, prev_id = (since - pd.Timedelta(days=1), pd.NA) if since is not None else (None, None)
    for start, end, event_id in zip(ordered["start"], ordered["end"], ordered["event_id"],
                                    strict=True):
        if prev_end is not None and start > prev_end + pd.Timedelta(days=1):
            rows.append((prev_end + pd.Timedelta(days=1), start - pd.Timedelta(days=1),
                         prev_id, event_id))
        if prev_end is None or end > prev_end:
            prev_end, prev_id = end, event_id
    if until is not None and prev_end is not None and until > prev_end:
        rows.append((prev_end + pd.Timedelta(days=1), until, prev_id, pd.NA))
    out = pd.DataFrame(rows, columns=["start", "end", "before", "after"])
    out["start"] = pd.to_datetime(out["start"])
    out["end"] = pd.to_datetime(out["end"])
    out["before"] = out["before"].astype("string")
    out["after"] = out["after"].astype("string")
    out.insert(2, "years", ((out["end"] - out["start"]).dt.days + 1) / DAYS_PER_YEAR)
    return out.sort_values(["years", "start"], ascending=[False, True]).reset_index(drop=True)


def events_in_spells(events: pd.DataFrame, spells: pd.DataFrame,
                     min_years: float = 0.0) -> pd.DataFrame:
    """The events dated wholly inside each spell of at least ``min_years``, spell by spell.

    Parameters
    ----------
    events
        An events frame.
    spells
        From :func:`quiet_spells` (or any frame with ``start``, ``end``, ``years``).
    min_years
        Shorter spells are left out.

    Returns
    -------
    pandas.DataFrame
        The events' rows with ``spell_start``, ``spell_end`` and ``spell_events`` (how many
        events the spell holds) in front, in spell order then table order; a spell without
        events gives one row whose event columns are missing.

    Examples
    --------
    >>> from albru.examples import dyad_events
    >>> ev = dyad_events()
    >>> found = events_in_spells(ev, quiet_spells(incidents(ev)))
    >>> found[["spell_events", "event_id"]].values.tolist()
    [[0, <NA>]]
    """
    parts = []
    for spell in spells[spells["years"] >= min_years].itertuples():
        inside = events[(events["start"] >= spell.start) & (events["end"] <= spell.end)]
        if inside.empty:
            inside = events.iloc[:0].reindex([0])
        parts.append(inside.assign(spell_start=spell.start, spell_end=spell.end,
                                   spell_events=len(inside.dropna(how="all"))))
    if not parts:
        return events.iloc[:0].assign(spell_start=pd.NaT, spell_end=pd.NaT, spell_events=0)
    out = pd.concat(parts, ignore_index=True)
    front = ["spell_start", "spell_end", "spell_events"]
    return out[front + [c for c in out.columns if c not in front]]


def period_of(frame: pd.DataFrame, breaks: list[str | pd.Timestamp],
              names: list[str] | None = None) -> pd.Series:
    """The period each row's whole date range falls in, for periods cut at ``breaks``.

    Periods run from each break (inclusive) to the next (exclusive). A row whose range crosses
    a break, or lies outside all periods, raises ``ValueError``: no row changes period with the
    reading of its date.

    Parameters
    ----------
    frame
        Rows with ``start`` and ``end``.
    breaks
        The first days of the periods, then the day after the last one, in order.
    names
        One name per period; by default ``"YYYY-YYYY"`` from the breaks.

    Returns
    -------
    pandas.Series
        An ordered categorical named ``period``, aligned with ``frame``.

    Examples
    --------
    >>> from albru.examples import dyad_events
    >>> period_of(dyad_events(), ["1912", "1992", "2023"]).tolist()
    ['1912-1991', '1912-1991', '1912-1991', '1992-2022', '1992-2022']
    """
    edges = pd.to_datetime(pd.Series(breaks)).tolist()
    if names is None:
        names = [f"{a.year}-{(b - pd.Timedelta(days=1)).year}" for a, b in pairwise(edges)]
    if len(names) != len(edges) - 1:
        raise ValueError(f"{len(edges) - 1} periods but {len(names)} names")
    cuts = pd.IntervalIndex.from_breaks(edges, closed="left")
    first = pd.cut(frame["start"], cuts)
    last = pd.cut(frame["end"], cuts)
    bad = first.isna() | (first.astype(str) != last.astype(str))
    if bad.any():
        rows = frame.loc[bad, "event_id"].tolist() if "event_id" in frame else "some rows"
        raise ValueError(f"rows crossing a break or outside the periods: {rows}")
    return first.cat.rename_categories(names).cat.as_ordered().rename("period")


def cumulative(inc: pd.DataFrame) -> pd.DataFrame:
    """Running count of incidents, bounded by the precision of their dates.

    Parameters
    ----------
    inc
        From :func:`incidents`.

    Returns
    -------
    pandas.DataFrame
        Indexed by every date on which an incident's possible range starts or ends:
        ``certain`` (incidents surely happened by that day: range ended) and ``possible``
        (range begun). The two agree wherever all dates are exact to the day.

    Examples
    --------
    >>> from albru.examples import dyad_events
    >>> c = cumulative(incidents(dyad_events()))
    >>> c.loc["1961-12-31"].tolist(), c.iloc[-1].tolist()
    ([1, 2], [3, 3])
    """
    starts = np.sort(inc["start"].to_numpy())
    ends = np.sort(inc["end"].to_numpy())
    days = pd.DatetimeIndex(np.union1d(starts, ends), name="date")
    return pd.DataFrame(
        {"certain": np.searchsorted(ends, days.to_numpy(), side="right"),
         "possible": np.searchsorted(starts, days.to_numpy(), side="right")},
        index=days,
    )


def main_incidents(inc: pd.DataFrame, n: int = 8) -> pd.DataFrame:
    """The ``n`` incidents to annotate, in date order: the first of each kind, the gravest kept.

    Each kind's first incident marks when that form of conflict entered the relationship.
    Gravity is the Goldstein weight (most negative first); ties go to material conflict, then
    to the earlier date, then to the event id, so the choice is deterministic.

    Parameters
    ----------
    inc
        From :func:`incidents`.
    n
        How many to keep.

    Returns
    -------
    pandas.DataFrame
        The chosen incidents, in date order.

    Examples
    --------
    >>> from albru.examples import dyad_events
    >>> ev = dyad_events().assign(goldstein=[3.5, -4.0, -2.0, -2.0, -10.0])
    >>> main_incidents(incidents(ev), n=2)["event_id"].tolist()
    ['E003', 'E002']
    >>> main_incidents(incidents(ev), n=1)["event_id"].tolist()
    ['E002']
    """
    firsts = inc.sort_values(["start", "end", "event_id"]).drop_duplicates("kind")
    chosen = firsts.sort_values(
        ["goldstein", "quad_class", "start", "event_id"],
        ascending=[True, False, True, True], kind="stable",
    ).head(n)
    return chosen.sort_values(["start", "end", "event_id"]).reset_index(drop=True)


def quiet_context(
    spells: pd.DataFrame, events: pd.DataFrame, broken: pd.DataFrame,
    as_of: pd.Timestamp | None = None, *, until: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """What surrounds each quiet spell: relations broken, contact recorded, or few records at all.

    ``reading`` applies a stated rule, first match wins: ``relations broken`` when the rupture
    covers at least half the spell; ``contact without conflict`` when the two states have events
    together in it; ``few records`` when the dataset records less than half its usual density
    there; else ``no contact recorded``.

    Parameters
    ----------
    spells
        From :func:`quiet_spells`.
    events
        All events of the dataset.
    broken
        Spans without relations (:func:`albru.dyad.relations_broken`).
    as_of
        The day the record is complete to (``ds.as_of``): an open rupture counts up to it, and
        the dataset's span runs from its first event to it. Required; ``until`` is its
        deprecated name.

    Returns
    -------
    pandas.DataFrame
        ``spells`` with ``dyad_events`` (events of any class between the two states inside the
        spell), ``records_per_year`` (all events inside, per year), ``density`` (that rate over
        the dataset's rate across its whole span, up to ``as_of``), ``broken_share`` and
        ``reading``.

    Examples
    --------
    >>> from albru.examples import dyad_events
    >>> ev = dyad_events()
    >>> q = quiet_context(quiet_spells(incidents(ev)), ev, ev.iloc[:0], pd.Timestamp("2022-12-31"))
    >>> q[["dyad_events", "records_per_year", "reading"]].values.tolist()
    [[0, 0.0, 'few records']]
    """
    inside = [
        (events["start"] >= s) & (events["end"] <= e)
        for s, e in zip(spells["start"], spells["end"], strict=True)
    ]
    pair = dyad.is_dyadic(events)
    out = spells.copy()
    out["dyad_events"] = [int((m & pair).sum()) for m in inside]
    out["records_per_year"] = [int(m.sum()) for m in inside] / out["years"]
    as_of = pd.Timestamp(record_end("quiet_context", as_of, until))
    whole = ((max(as_of, events["end"].max()) - events["start"].min()).days + 1) / DAYS_PER_YEAR
    out["density"] = out["records_per_year"] / (len(events) / whole)
    out["broken_share"] = _broken_share(out["start"], out["end"], broken, as_of)
    out["reading"] = np.select(
        [out["broken_share"] >= 0.5, out["dyad_events"] > 0, out["density"] < 0.5],
        ["relations broken", "contact without conflict", "few records"],
        default="no contact recorded",
    )
    return out


def era_records(
    events: pd.DataFrame, eras: pd.DataFrame, broken: pd.DataFrame,
    as_of: pd.Timestamp | None = None, *, until: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """How densely each era is recorded, next to its incidents: a gauge for reading silences.

    Only events wholly inside one era are counted (those crossing a boundary are left out).

    Parameters
    ----------
    events
        All events of the dataset.
    eras
        The eras table.
    broken
        Spans without relations (:func:`albru.dyad.relations_broken`).
    as_of
        The day the record is complete to (``ds.as_of``). Required; ``until`` is its deprecated
        name.

    Returns
    -------
    pandas.DataFrame
        Per era: ``years``, ``events``, ``dyad_events``, ``incidents``, each also
        ``..._per_year``, and ``broken_share`` (share of the era's days without relations).

    Examples
    --------
    >>> from albru.examples import dyad_eras, dyad_events
    >>> ev = dyad_events()
    >>> r = era_records(ev, dyad_eras(), ev.iloc[:0], pd.Timestamp("2022-12-31"))
    >>> r[["era_id", "events", "dyad_events", "incidents"]].values.tolist()
    [['early', 1, 1, 0], ['cold', 2, 2, 2], ['late', 2, 1, 1]]
    """
    as_of = pd.Timestamp(record_end("era_records", as_of, until))
    out = _closed_eras(eras, as_of)
    ids = eras["era_id"].astype(str).tolist()

    def sure_era(frame: pd.DataFrame) -> pd.Series:
        pos = era_membership(frame, eras)
        one = pos["era"].notna().to_numpy(bool)
        return pd.Series([ids[int(p)] for p in pos.loc[one, "first"]], dtype=object)

    inc = incidents(events)
    groups = {
        "events": sure_era(events),
        "dyad_events": sure_era(events[dyad.is_dyadic(events)]),
        "incidents": sure_era(inc),
    }
    for column, eras_of_rows in groups.items():
        counts = eras_of_rows.value_counts()
        out[column] = out["era_id"].astype(str).map(counts).fillna(0).astype(int)
        out[f"{column}_per_year"] = out[column] / out["years"]
    out["broken_share"] = _broken_share(out["start"], out["end"], broken, as_of)
    return out.reset_index(drop=True)


def _broken_share(
    starts: pd.Series, ends: pd.Series, broken: pd.DataFrame, as_of: pd.Timestamp
) -> pd.Series:
    """Share of the days of each span [start, end] that fall in a span of ``broken`` (an open
    one runs to ``as_of``)."""
    overlap = pd.Series(0, index=starts.index)
    for b_start, b_end in zip(broken["start"], broken["end"].fillna(as_of), strict=True):
        lo = starts.where(starts > b_start, b_start)
        hi = ends.where(ends < b_end, b_end)
        overlap += ((hi - lo).dt.days + 1).clip(lower=0)
    return overlap / ((ends - starts).dt.days + 1)
