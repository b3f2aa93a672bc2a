"""Diplomatic incidents between Albania and Russia: which events count, and how often they happen.

The one definition used everywhere: an *incident* is an event between ``ALB`` and ``RUS``, in
either direction, whose quad class is conflictual (3 verbal conflict, 4 material conflict). Its
*kind* groups its event type with its near neighbours (``KINDS``): criticism, accusation, veto,
expulsion, break of relations, sanctions and so on.

Dates stay as precise as the sources give them. A row is counted in a bin (a year, a five-year
span, ...) only when its whole possible date range lies inside that bin. Day, month, season and
year dates therefore sit in their year; a decade date such as ``196X`` or an interval over
several years is never forced into one year: it is kept apart, in ``BinnedCounts.apart``, with
the range of years it could fall in.

>>> ev = _example_events()
>>> inc = incidents(ev)
>>> inc["event_id"].tolist()
['E003', 'E002', 'E004']
>>> count_by_bin(inc).total == len(inc)
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from albru.eras import DAYS_PER_YEAR, era_spans

#: The two states of the dyad (actor ids).
DYAD: tuple[str, str] = ("ALB", "RUS")
#: Quad classes that make an event an incident: 3 verbal conflict, 4 material conflict.
CONFLICT_QUADS: tuple[int, int] = (3, 4)
#: Incident kinds, verbal conflict first: each kind's quad class and the event types it gathers.
KINDS: dict[str, tuple[int, tuple[str, ...]]] = {
    "demand or threat": (3, ("demand", "demand_policy_change", "demand_withdrawal", "threaten")),
    "rejection": (3, ("reject", "reject_policy_change", "refuse_to_yield", "defy_norms")),
    "criticism": (3, ("criticize", "complain_officially")),
    "accusation": (3, ("accuse", "accuse_crime", "accuse_human_rights", "accuse_war_crimes")),
    "condemning resolution": (3, ("rally_opposition", "vote_condemn")),
    "veto": (3, ("veto",)),
    "reduced ties": (4, ("reduce_relations",)),
    "aid withdrawn": (4, ("stop_economic_aid", "stop_military_aid")),
    "break of relations": (4, ("break_relations",)),
    "expulsion": (4, ("expel_diplomats",)),
    "sanctions": (4, ("impose_sanctions",)),
    "coercion": (4, ("coerce",)),
    "seizure or destruction": (4, ("seize_property", "destroy_property")),
    "armed force": (4, ("use_military_force", "occupy_territory")),
}


def is_dyadic(events: pd.DataFrame) -> pd.Series:
    """True for events between Albania and Russia, whichever of the two acted.

    >>> is_dyadic(_example_events()).tolist()
    [True, True, True, True, False]
    """
    src, tgt = events["source_actor"], events["target_actor"]
    a, b = DYAD
    return (((src == a) & (tgt == b)) | ((src == b) & (tgt == a))).fillna(False).astype(bool)


def incidents(events: pd.DataFrame) -> pd.DataFrame:
    """The incidents among `events`, sorted by date (ties keep the input order, which for
    :func:`albru.load` is by event id), with ``kind``, ``direction`` and ``year``.

    ``kind`` comes from ``KINDS`` (an ordered categorical of the kinds present, in ``KINDS``
    order); ``direction`` is e.g. ``"RUS → ALB"``; ``year`` is the calendar year when the whole
    date range lies in one year, else missing. An incident whose event type has no kind in
    ``KINDS`` raises ``ValueError``: no incident is left out of the counts.

    >>> inc = incidents(_example_events())
    >>> inc["direction"].tolist(), inc["year"].tolist()
    (['ALB → RUS', 'RUS → ALB', 'ALB → RUS'], [<NA>, 1961, 2022])
    >>> inc["kind"].tolist()
    ['criticism', 'break of relations', 'criticism']
    """
    quad = events["quad_class"].astype("Int64")
    mask = is_dyadic(events) & quad.isin(CONFLICT_QUADS).fillna(False).astype(bool)
    inc = events.loc[mask].copy()
    kind_of = {t: kind for kind, (_, types) in KINDS.items() for t in types}
    kinds = inc["event_type"].astype(str).map(kind_of)
    if kinds.isna().any():
        missing = inc.loc[kinds.isna(), ["event_id", "event_type"]].values.tolist()
        raise ValueError(f"incidents with an event type that has no kind in KINDS: {missing}")
    seen = set(kinds.unique())
    present = [k for k in KINDS if k in seen]
    inc["kind"] = pd.Categorical(kinds, categories=present, ordered=True)
    a, b = DYAD  # every incident runs between these two, one way or the other
    inc["direction"] = pd.array(np.where(inc["source_actor"] == a, f"{a} → {b}", f"{b} → {a}"),
                                dtype="string")
    inc["year"] = bin_of(inc, width=1)
    inc = inc.sort_values(["start", "end"], kind="stable")  # input order (by id) breaks ties
    return inc.reset_index(drop=True)


def bin_of(frame: pd.DataFrame, width: int = 1, origin: int = 0) -> pd.Series:
    """First year of the bin of `width` years holding each row's whole date range, else missing.

    Bins start at ``origin + i * width``; with ``width=5`` they are 1910-1914, 1915-1919, ...
    A row whose range ``[start, end]`` crosses a bin boundary gets no bin.

    >>> ev = _example_events()
    >>> bin_of(ev).tolist()
    [1924, 1961, <NA>, 2022, 2022]
    >>> bin_of(ev, width=10).tolist()
    [1920, 1960, 1960, 2020, 2020]
    """
    if width < 1:
        raise ValueError(f"bin width must be a positive number of years, got {width}")
    first = (frame["start"].dt.year - origin) // width * width + origin
    last = (frame["end"].dt.year - origin) // width * width + origin
    return first.where(first == last).astype("Int64")


@dataclass(frozen=True)
class BinnedCounts:
    """Incident counts per bin and kind, with the incidents no single bin can hold kept apart.

    ``counts``: one row per bin (index: first year of the bin, every bin of the span, zeros
    included), one column per kind. ``apart``: the rows that span more than one bin, with
    ``first_year`` and ``last_year`` of their possible range. ``width``: years per bin.
    """

    counts: pd.DataFrame
    apart: pd.DataFrame
    width: int

    @property
    def total(self) -> int:
        """Everything counted: the binned incidents plus those kept apart."""
        return int(self.counts.to_numpy().sum()) + len(self.apart)


def count_by_bin(
    frame: pd.DataFrame,
    width: int = 1,
    by: str = "kind",
    span: tuple[int, int] | None = None,
    origin: int = 0,
) -> BinnedCounts:
    """Count rows per bin of `width` years and per value of column `by`.

    `span` (first year, last year) sets the bins shown; by default it runs from the earliest
    possible year to the latest of any row. Rows outside a given span raise ``ValueError``
    rather than vanish.

    >>> bc = count_by_bin(incidents(_example_events()), width=5)
    >>> bc.counts.loc[[1960, 2020]].to_numpy().tolist()
    [[0, 1], [1, 0]]
    >>> bc.apart[["event_id", "first_year", "last_year"]].values.tolist()
    [['E003', 1960, 1969]]
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
    columns = keys.cat.categories if isinstance(keys.dtype, pd.CategoricalDtype) else None
    placed = frame.loc[bins.notna()]
    counts = pd.crosstab(bins[bins.notna()].astype(int),
                         placed[by] if columns is not None else placed[by].astype(str))
    if columns is None:
        columns = sorted(map(str, keys.dropna().unique()))
    counts = counts.reindex(index=index, columns=pd.Index(list(columns), name=by), fill_value=0)
    apart = frame.loc[bins.isna()].copy()
    apart["first_year"] = years_lo[bins.isna()].astype(int)
    apart["last_year"] = years_hi[bins.isna()].astype(int)
    return BinnedCounts(counts=counts.astype(int), apart=apart.reset_index(drop=True), width=width)


def garwood(k: int | np.ndarray, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) two-sided ``1 - alpha`` interval for the mean of a Poisson count `k`.

    >>> lo, hi = garwood(0)
    >>> float(lo), round(float(hi), 3)
    (0.0, 3.689)
    >>> [round(float(x), 3) for x in garwood(10)]
    [4.795, 18.39]
    """
    k = np.asarray(k, dtype=float)
    if np.any(k < 0) or np.any(k != np.floor(k)):
        raise ValueError(f"counts must be whole numbers >= 0, got {k}")
    from scipy.special import gammaincinv  # imported here: 0.2 s that only rates need

    # chi2.ppf(q, 2k) / 2 is gammaincinv(k, q): the same numbers without importing scipy.stats
    lower = np.where(k > 0, gammaincinv(np.maximum(k, 1), alpha / 2), 0.0)
    upper = gammaincinv(k + 1, 1 - alpha / 2)
    return lower, upper


def era_rates(
    incidents: pd.DataFrame, eras: pd.DataFrame, until: pd.Timestamp, alpha: float = 0.05
) -> pd.DataFrame:
    """Incidents per year of each era, with an exact Poisson interval.

    An era still open (``end`` missing) is closed at `until`, the last day the data covers.
    Every incident counts in its era (the loader guarantees each date range lies in one era),
    so decade-dated incidents count here too.

    >>> ev = _example_events()
    >>> r = era_rates(incidents(ev), _example_eras(), pd.Timestamp("2022-12-31"))
    >>> r[["era_id", "incidents"]].values.tolist()
    [['early', 0], ['cold', 2], ['late', 1]]
    >>> round(float(r.loc[2, "rate"]), 3), round(float(r.loc[2, "years"]), 2)
    (0.032, 31.0)
    """
    out = _closed_eras(eras, until)
    counts = incidents["era"].astype(str).value_counts()
    out["incidents"] = out["era_id"].astype(str).map(counts).fillna(0).astype(int)
    lower, upper = garwood(out["incidents"].to_numpy(), alpha)
    out["rate"] = out["incidents"] / out["years"]
    out["lower"] = lower / out["years"]
    out["upper"] = upper / out["years"]
    return out.reset_index(drop=True)


def quiet_spells(
    incidents: pd.DataFrame,
    since: pd.Timestamp | None = None,
    until: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Stretches with no incident under any reading of the dates, longest first.

    Each incident occupies its whole possible range ``[start, end]``; a quiet spell is a gap
    between those ranges. An imprecise date thus shortens the spells around it: the lengths are
    what the data guarantees, not what a guess would give. `since` and `until` add the spells
    before the first and after the last incident. Columns: ``start``, ``end`` (first and last
    quiet day), ``years``, ``before`` and ``after`` (event ids of the incidents that bound it;
    missing at an edge).

    >>> q = quiet_spells(incidents(_example_events()))
    >>> q[["start", "end", "before", "after"]].astype(str).values.tolist()
    [['1970-01-01', '2022-02-23', 'E003', 'E004']]
    """
    rows = []
    inc = incidents.sort_values(["start", "end", "event_id"], kind="stable")
    prev_end, prev_id = (since - pd.Timedelta(days=1), pd.NA) if since is not None else (None, None)
    for start, end, event_id in zip(inc["start"], inc["end"], inc["event_id"], strict=True):
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


def cumulative(incidents: pd.DataFrame) -> pd.DataFrame:
    """Running count of incidents, bounded by the precision of their dates.

    Index: every date on which an incident's possible range starts or ends. ``certain``: the
    incidents that had surely happened by that day (range ended); ``possible``: those that may
    have (range begun). The two agree wherever all dates are exact to the day.

    >>> c = cumulative(incidents(_example_events()))
    >>> c.loc["1961-12-31"].tolist(), c.iloc[-1].tolist()
    ([1, 2], [3, 3])
    """
    starts = np.sort(incidents["start"].to_numpy())
    ends = np.sort(incidents["end"].to_numpy())
    days = pd.DatetimeIndex(np.union1d(starts, ends), name="date")
    return pd.DataFrame(
        {"certain": np.searchsorted(ends, days.to_numpy(), side="right"),
         "possible": np.searchsorted(starts, days.to_numpy(), side="right")},
        index=days,
    )


def main_incidents(incidents: pd.DataFrame, n: int = 8) -> pd.DataFrame:
    """The `n` incidents to annotate, in date order: the first of each kind, the gravest kept.

    Each kind's first incident marks when that form of conflict entered the relationship.
    Gravity is the Goldstein weight (most negative first); ties go to material conflict, then
    to the earlier date, then to the event id, so the choice is deterministic.

    >>> ev = _example_events().assign(goldstein=[3.5, -4.0, -2.0, -2.0, -10.0])
    >>> main_incidents(incidents(ev), n=2)["event_id"].tolist()
    ['E003', 'E002']
    >>> main_incidents(incidents(ev), n=1)["event_id"].tolist()
    ['E002']
    """
    firsts = incidents.sort_values(["start", "end", "event_id"]).drop_duplicates("kind")
    chosen = firsts.sort_values(
        ["goldstein", "quad_class", "start", "event_id"],
        ascending=[True, False, True, True], kind="stable",
    ).head(n)
    return chosen.sort_values(["start", "end", "event_id"]).reset_index(drop=True)


def relations_broken(ties: pd.DataFrame) -> pd.DataFrame:
    """The spans when Albania and Russia had no diplomatic relations: their ties of kind rupture.

    >>> t = pd.DataFrame({"actor_a": ["ALB"], "actor_b": ["RUS"], "kind": ["rupture"],
    ...                   "start": pd.to_datetime(["1961-12-03"]),
    ...                   "end": pd.to_datetime(["1990-07-30"])})
    >>> relations_broken(t)[["start", "end"]].astype(str).values.tolist()
    [['1961-12-03', '1990-07-30']]
    """
    a, b = DYAD
    pair = ((ties["actor_a"] == a) & (ties["actor_b"] == b)) | (
        (ties["actor_a"] == b) & (ties["actor_b"] == a)
    )
    rupture = pair & (ties["kind"] == "rupture")
    return ties.loc[rupture.fillna(False).astype(bool)].reset_index(drop=True)


def quiet_context(
    spells: pd.DataFrame, events: pd.DataFrame, broken: pd.DataFrame, until: pd.Timestamp
) -> pd.DataFrame:
    """What surrounds each quiet spell: relations broken, contact recorded, or few records at all.

    Adds to `spells`: ``broken_share`` (share of the spell's days with relations broken, an
    open rupture counting up to `until`), ``dyad_events`` (events of any class between the two
    states dated inside the spell), ``records_per_year`` (all events of the dataset dated inside
    the spell, per year) and ``density`` (that rate over the dataset's rate across its whole
    span). ``reading`` applies a stated rule, first match wins: ``relations broken`` when the
    rupture covers at least half the spell; ``contact without conflict`` when the two states
    have events together in it; ``few records`` when the dataset records less than half its
    usual density there; else ``no contact recorded``.

    >>> ev = _example_events()
    >>> q = quiet_context(quiet_spells(incidents(ev)), ev, ev.iloc[:0], pd.Timestamp("2022-12-31"))
    >>> q[["dyad_events", "records_per_year", "reading"]].values.tolist()
    [[0, 0.0, 'few records']]
    """
    inside = [
        (events["start"] >= s) & (events["end"] <= e)
        for s, e in zip(spells["start"], spells["end"], strict=True)
    ]
    out = spells.copy()
    out["dyad_events"] = [int((m & is_dyadic(events)).sum()) for m in inside]
    out["records_per_year"] = [int(m.sum()) for m in inside] / out["years"]
    whole = ((events["end"].max() - events["start"].min()).days + 1) / DAYS_PER_YEAR
    out["density"] = out["records_per_year"] / (len(events) / whole)
    out["broken_share"] = _broken_share(out["start"], out["end"], broken, until)
    out["reading"] = np.select(
        [out["broken_share"] >= 0.5, out["dyad_events"] > 0, out["density"] < 0.5],
        ["relations broken", "contact without conflict", "few records"],
        default="no contact recorded",
    )
    return out


def era_records(
    events: pd.DataFrame, eras: pd.DataFrame, broken: pd.DataFrame, until: pd.Timestamp
) -> pd.DataFrame:
    """How densely each era is recorded, next to its incidents: a gauge for reading silences.

    Per era: ``years`` (an open era closed at `until`), ``events`` (all events of the dataset),
    ``dyad_events`` (events of any class between Albania and Russia), ``incidents``, each also
    ``..._per_year``, and ``broken_share`` (share of the era's days without diplomatic
    relations, from `broken`).

    >>> ev = _example_events()
    >>> r = era_records(ev, _example_eras(), ev.iloc[:0], pd.Timestamp("2022-12-31"))
    >>> r[["era_id", "events", "dyad_events", "incidents"]].values.tolist()
    [['early', 1, 1, 0], ['cold', 2, 2, 2], ['late', 2, 1, 1]]
    """
    out = _closed_eras(eras, until)
    era = events["era"].astype(str)
    groups = {
        "events": era,
        "dyad_events": era[is_dyadic(events)],
        "incidents": incidents(events)["era"].astype(str),
    }
    for column, eras_of_rows in groups.items():
        counts = eras_of_rows.value_counts()
        out[column] = out["era_id"].astype(str).map(counts).fillna(0).astype(int)
        out[f"{column}_per_year"] = out[column] / out["years"]
    out["broken_share"] = _broken_share(out["start"], out["end"], broken, until)
    return out.reset_index(drop=True)


def _closed_eras(eras: pd.DataFrame, until: pd.Timestamp) -> pd.DataFrame:
    """Era id, name, start, end (an open era closed at `until`) and length in years, as
    :func:`albru.eras.era_spans` measures them."""
    spans = era_spans(eras, until)
    out = eras[["era_id", "name", "start"]].copy()
    out["end"] = spans["stop"].to_numpy()
    out["years"] = spans["years"].to_numpy()
    return out


def _broken_share(
    starts: pd.Series, ends: pd.Series, broken: pd.DataFrame, until: pd.Timestamp
) -> pd.Series:
    """Share of the days of each span [start, end] that fall in a span of `broken`."""
    overlap = pd.Series(0, index=starts.index)
    for b_start, b_end in zip(broken["start"], broken["end"].fillna(until), strict=True):
        lo = starts.where(starts > b_start, b_start)
        hi = ends.where(ends < b_end, b_end)
        overlap += ((hi - lo).dt.days + 1).clip(lower=0)
    return overlap / ((ends - starts).dt.days + 1)


def _example_events() -> pd.DataFrame:
    """A five-row events frame shaped like ``albru.load().events``, for the doctests."""
    rows = [
        ("E001", "1924-04-07", "ALB", "RUS", 1, "sign_agreement", "early"),
        ("E002", "1961-12", "RUS", "ALB", 4, "break_relations", "cold"),
        ("E003", "196X", "ALB", "RUS", 3, "criticize", "cold"),
        ("E004", "2022-02-24", "ALB", "RUS", 3, "criticize", "late"),
        ("E005", "2022-03", "RUS", "UKR", 4, "use_military_force", "late"),
    ]
    ev = pd.DataFrame(
        rows,
        columns=["event_id", "date", "source_actor", "target_actor", "quad_class", "event_type",
                 "era"],
    ).astype("string")
    ev["quad_class"] = ev["quad_class"].astype("Int64")
    ev["title"] = ev["event_type"].str.replace("_", " ")
    spans = {"1924-04-07": ("1924-04-07", "1924-04-07"), "1961-12": ("1961-12-01", "1961-12-31"),
             "196X": ("1960-01-01", "1969-12-31"), "2022-02-24": ("2022-02-24", "2022-02-24"),
             "2022-03": ("2022-03-01", "2022-03-31")}
    ev["start"] = pd.to_datetime(ev["date"].map(lambda d: spans[d][0]))
    ev["end"] = pd.to_datetime(ev["date"].map(lambda d: spans[d][1]))
    return ev


def _example_eras() -> pd.DataFrame:
    """A three-era frame shaped like ``albru.load().eras``, for the doctests."""
    eras = pd.DataFrame(
        {"era_id": ["early", "cold", "late"], "name": ["Early", "Cold", "Late"],
         "start": pd.to_datetime(["1912-01-01", "1945-01-01", "1992-01-01"]),
         "end": pd.to_datetime(["1944-12-31", "1991-12-31", None])}
    )
    eras["era_id"] = pd.Categorical(eras["era_id"], categories=eras["era_id"], ordered=True)
    return eras
