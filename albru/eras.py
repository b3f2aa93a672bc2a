"""Eras of the relationship: per-era summaries, the annual net cooperation series, its shifts.

The functions take frames shaped like ``albru.load().events`` (columns ``start``, ``end``,
``era``, ``quad_class``, ``goldstein``, ``event_type``) and ``albru.load().eras`` (``era_id``,
``name``, ``start``, ``end``; the last era may end ``NaT``, still open).

Dates known only to a month, a year or a decade cover a span ``[start, end]``. Whenever a
function counts by year or by decade, such an event is spread over the years it touches in
proportion to the days of its span in each year (the expected share if the true day were
anywhere in the span with equal chance): an event of ``196X`` adds a tenth to each year of
the 1960s, an event of ``1959-05`` adds all of itself to 1959. Nothing is dropped: shares of an
event always add up to one.

>>> events, eras = toy_frames()
>>> era_summary(events, eras)[["events", "goldstein_sum"]]
        events  goldstein_sum
era_id
warm         2            7.4
cold         2          -11.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import pairwise

import numpy as np
import pandas as pd

#: The four CAMEO quad classes, in order (1 verbal cooperation ... 4 material conflict).
QUADS: tuple[int, ...] = (1, 2, 3, 4)
#: Mean length of a calendar year in days, used to turn day counts into years.
DAYS_PER_YEAR: float = 365.25


def toy_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A tiny events table and eras table in the loaded shapes, for examples.

    Two eras (1950-1959 and 1960 to the open present) and four events, one of them known
    only to a decade (``196X``).

    >>> events, eras = toy_frames()
    >>> events[["start", "end", "era", "goldstein"]]
           start        end   era  goldstein
    0 1951-03-02 1951-03-02  warm        3.4
    1 1955-07-01 1955-07-31  warm        4.0
    2 1960-01-01 1969-12-31  cold       -4.0
    3 1961-12-03 1961-12-03  cold       -7.0
    """
    era_ids = pd.CategoricalDtype(["warm", "cold"], ordered=True)
    eras = pd.DataFrame({
        "era_id": pd.Series(["warm", "cold"], dtype=era_ids),
        "name": ["Warm years", "Cold years"],
        "start": pd.to_datetime(["1950-01-01", "1960-01-01"]),
        "end": pd.to_datetime(["1959-12-31", None]),
        "basis": ["alliance", "rupture"],
    })
    events = pd.DataFrame({
        "event_id": ["E001", "E002", "E003", "E004"],
        "start": pd.to_datetime(["1951-03-02", "1955-07-01", "1960-01-01", "1961-12-03"]),
        "end": pd.to_datetime(["1951-03-02", "1955-07-31", "1969-12-31", "1961-12-03"]),
        "precision": ["day", "month", "decade", "day"],
        "era": pd.Series(["warm", "warm", "cold", "cold"], dtype=era_ids),
        "event_type": ["sign_agreement", "give_aid", "criticize", "break_relations"],
        "quad_class": pd.array([1, 2, 3, 4], dtype="Int64"),
        "goldstein": [3.4, 4.0, -4.0, -7.0],
        "title": ["Trade pact", "Loan", "Polemics", "Break"],
    })
    return events, eras


def decimal_year(dates: pd.Series) -> pd.Series:
    """Dates as fractional years: 1 January of year Y is Y.0, the year's last day is just below Y+1.

    >>> decimal_year(pd.Series(pd.to_datetime(["1961-01-01", "1961-07-02"]))).round(3).tolist()
    [1961.0, 1961.499]
    """
    dates = pd.Series(dates)
    length = np.where(dates.dt.is_leap_year, 366, 365)
    return dates.dt.year + (dates.dt.day_of_year - 1) / length


def latest_date(events: pd.DataFrame) -> pd.Timestamp:
    """The last day any event may have happened on: where the open present era is cut off.

    >>> latest_date(toy_frames()[0])
    Timestamp('1969-12-31 00:00:00')
    """
    return pd.Timestamp(events["end"].max())


def era_spans(eras: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Each era's first day, last day (``stop``; an open era stops at ``as_of``, and ``open`` says
    so) and length in years.

    >>> era_spans(toy_frames()[1], pd.Timestamp("1969-12-31"))["years"].round(2).tolist()
    [10.0, 10.0]
    """
    stop = eras["end"].fillna(as_of)
    if (stop < eras["start"]).any():
        raise ValueError(f"as_of {as_of.date()} lies before the start of an open era")
    days = (stop - eras["start"]).dt.days + 1
    return pd.DataFrame({
        "era_id": eras["era_id"].astype(str).to_numpy(),
        "name": eras["name"].astype(str).to_numpy(),
        "start": eras["start"].to_numpy(),
        "stop": stop.to_numpy(),
        "open": eras["end"].isna().to_numpy(),
        "years": (days / DAYS_PER_YEAR).to_numpy(),
    }).set_index("era_id")


def _era_of_events(events: pd.DataFrame, era_ids: pd.Index) -> pd.Series:
    """The era id of every event as plain strings; an era unknown to the eras table fails loudly."""
    era = events["era"].astype("string")
    unknown = sorted(set(era.dropna()) - set(era_ids)) + (["<missing>"] if era.isna().any() else [])
    if unknown:
        raise ValueError(f"events name eras absent from the eras table: {unknown}")
    return era


def era_summary(events: pd.DataFrame, eras: pd.DataFrame, as_of: pd.Timestamp | None = None,
                top: int = 3) -> pd.DataFrame:
    """One row per era, in time order: length, event count, quad-class counts, Goldstein, types.

    Columns: ``name``, ``start``, ``stop`` (the open era stops at ``as_of``, by default the
    latest event date), ``open``, ``years``, ``events``, ``q1`` ... ``q4`` (counts per quad class),
    ``per_year`` (events per year of era), ``q1_per_year`` ... ``q4_per_year``,
    ``goldstein_sum``, ``goldstein_mean`` (NaN for an era without events) and ``top_types``
    (the ``top`` most frequent event types with their counts; ties go alphabetically).

    >>> s = era_summary(*toy_frames())
    >>> s[["years", "events", "q1", "q4", "per_year"]].round(2)
            years  events  q1  q4  per_year
    era_id
    warm     10.0       2   1   0       0.2
    cold     10.0       2   0   1       0.2
    >>> s.loc["cold", "top_types"]
    'break_relations (1), criticize (1)'
    """
    spans = era_spans(eras, latest_date(events) if as_of is None else as_of)
    era = _era_of_events(events, spans.index)
    quad = pd.crosstab(era, events["quad_class"].astype(int))
    quad = quad.reindex(index=spans.index, columns=list(QUADS), fill_value=0)
    out = spans.copy()
    out["events"] = era.value_counts().reindex(spans.index, fill_value=0).astype(int)
    for q in QUADS:
        out[f"q{q}"] = quad[q].astype(int)
    out["per_year"] = out["events"] / out["years"]
    for q in QUADS:
        out[f"q{q}_per_year"] = out[f"q{q}"] / out["years"]
    goldstein = events["goldstein"].groupby(era)
    out["goldstein_sum"] = goldstein.sum().reindex(spans.index, fill_value=0.0)
    out["goldstein_mean"] = goldstein.mean().reindex(spans.index)
    out["top_types"] = [_top_types(events.loc[era == e, "event_type"], top) for e in spans.index]
    return out


def _top_types(types: pd.Series, top: int) -> str:
    """The most frequent values with their counts, as one string; ties go alphabetically."""
    counts = types.astype(str).value_counts()
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return ", ".join(f"{name} ({n})" for name, n in ranked)


def year_shares(events: pd.DataFrame) -> pd.DataFrame:
    """How each event is shared out over calendar years: columns ``event`` (index label), ``year``,
    ``share``; shares are proportional to the days of the event's span in each year and add up to
    one per event.

    >>> shares = year_shares(toy_frames()[0])
    >>> shares.query("event == 2")["share"].round(4).tolist()[:3]  # 1960 is a leap year
    [0.1002, 0.0999, 0.0999]
    >>> shares.groupby("event")["share"].sum().round(9).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    rows = []
    for key, start, end in zip(events.index, events["start"], events["end"], strict=True):
        if pd.isna(start) or pd.isna(end) or end < start:
            raise ValueError(f"event {key!r}: needs start <= end, got {start} .. {end}")
        total = (end - start).days + 1
        for year in range(start.year, end.year + 1):
            first = max(start, pd.Timestamp(year, 1, 1))
            last = min(end, pd.Timestamp(year, 12, 31))
            rows.append((key, year, ((last - first).days + 1) / total))
    return pd.DataFrame(rows, columns=["event", "year", "share"])


def multi_year_events(events: pd.DataFrame) -> pd.DataFrame:
    """The events whose date does not pin them to a single calendar year.

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
                           multi_year: str = "spread") -> pd.Series:
    """Net cooperation per calendar year: the sum of the Goldstein weights of its events.

    ``multi_year="spread"`` shares an event not pinned to one year over the years it spans (see
    the module docstring); ``"exclude"`` leaves such events out (count them with
    :func:`multi_year_events`). ``years`` defaults to every year from the first event's to the last
    event's; a year without events scores 0. An event outside ``years`` raises ``ValueError``.

    >>> events = toy_frames()[0]
    >>> net = annual_net_cooperation(events, range(1950, 1970))
    >>> net.loc[1958:1962].round(2).tolist()
    [0.0, 0.0, -0.4, -7.4, -0.4]
    >>> annual_net_cooperation(events, multi_year="exclude").loc[1959:].tolist()
    [0.0, 0.0, -7.0]
    """
    if multi_year not in ("spread", "exclude"):
        raise ValueError(f"multi_year must be 'spread' or 'exclude', not {multi_year!r}")
    if multi_year == "exclude":
        events = events.drop(multi_year_events(events).index)
    shares = year_shares(events)
    if years is None:
        years = range(int(shares["year"].min()), int(shares["year"].max()) + 1)
    weight = shares["share"] * events.loc[shares["event"], "goldstein"].to_numpy()
    net = _complete(weight.groupby(shares["year"]).sum(), years, "years")
    return net.rename("net_goldstein").rename_axis("year")


def decade_density(events: pd.DataFrame, decades: Iterable[int] | None = None) -> pd.Series:
    """Events per decade (indexed by the decade's first year), spread by date as in the module
    docstring, so the counts add up to the number of events.

    >>> decade_density(toy_frames()[0]).tolist()
    [2.0, 2.0]
    """
    shares = year_shares(events)
    decade = shares["year"] // 10 * 10
    if decades is None:
        decades = range(int(decade.min()), int(decade.max()) + 1, 10)
    counts = _complete(shares["share"].groupby(decade).sum().round(6), decades, "decades")
    return counts.rename("events").rename_axis("decade")


def _segment_sse(cs1: np.ndarray, cs2: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Squared error of y[i:j] around its mean, from cumulative sums of y and y**2."""
    n = j - i
    s = cs1[j] - cs1[i]
    return (cs2[j] - cs2[i]) - s * s / n


def _optimal_splits(y: np.ndarray, max_shifts: int, min_size: int) -> list[tuple[float, list[int]]]:
    """For k = 0 .. max_shifts, the least-squares cost and the split positions of the best
    segmentation of y into k+1 runs of at least ``min_size`` values (dynamic programming)."""
    n = len(y)
    cs1 = np.concatenate([[0.0], np.cumsum(y)])
    cs2 = np.concatenate([[0.0], np.cumsum(y * y)])
    i, j = np.arange(n + 1)[:, None], np.arange(n + 1)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):  # runs shorter than min_size: inf
        sse = np.where(j - i >= min_size, _segment_sse(cs1, cs2, i, j), np.inf)  # run i..j-1
    cost = np.full((max_shifts + 1, n + 1), np.inf)
    back = np.zeros((max_shifts + 1, n + 1), dtype=int)
    cost[0] = sse[0]
    for k in range(1, max_shifts + 1):
        # the last run starts at i; cost[k - 1, i] is inf where k runs cannot fill y[:i]
        c = cost[k - 1][:, None] + sse
        low = c.min(axis=0)
        back[k] = np.argmax(c <= low + 1e-9, axis=0)  # earliest split among ties
        cost[k] = low
    out = []
    for k in range(max_shifts + 1):
        splits, j = [], n
        for level in range(k, 0, -1):
            j = back[level, j]
            splits.append(int(j))
        out.append((float(cost[k, n]), sorted(splits)))
    return out


def shift_table(series: pd.Series, max_shifts: int, min_size: int = 3) -> pd.DataFrame:
    """For k = 0 .. max_shifts mean shifts: the residual sum of squares of the best fit (``sse``)
    and its Bayesian information criterion (``bic``).

    ``bic = n * ln(sse / n) + (2k + 2) * ln(n)`` for n years: the fit's error, charged for its
    2k + 2 parameters (k + 1 run means, k shift years, one noise variance). The k with the
    lowest ``bic`` is the number of shifts the data supports under that rule. The ``sse`` can
    rise with k when ``min_size`` forces a cut through a flat run.

    >>> y = pd.Series([0.0] * 5 + [4.0] * 5, index=range(2000, 2010)) + [0, .1, 0, -.1, 0] * 2
    >>> t = shift_table(y, 2, min_size=2)
    >>> t["sse"].round(2).tolist(), int(t["bic"].idxmin())
    ([40.04, 0.04, 0.03], 1)
    """
    _check_fit(series, max_shifts, min_size)
    n = len(series)
    sse = np.array([c for c, _ in _optimal_splits(series.to_numpy(float), max_shifts, min_size)])
    k = np.arange(max_shifts + 1)
    bic = n * np.log(np.maximum(sse, 1e-12) / n) + (2 * k + 2) * np.log(n)
    return pd.DataFrame({"sse": sse, "bic": bic}, index=pd.Index(k, name="shifts"))


def _check_fit(series: pd.Series, n_shifts: int, min_size: int) -> None:
    if min_size < 1 or n_shifts < 0:
        raise ValueError("need min_size >= 1 and n_shifts >= 0")
    if len(series) < (n_shifts + 1) * min_size:
        raise ValueError(f"{len(series)} values cannot hold {n_shifts + 1} runs of {min_size}")
    if series.isna().any():
        raise ValueError("the series has missing values")


def find_shifts(series: pd.Series, n_shifts: int | None = None, min_size: int = 3,
                max_shifts: int = 6) -> pd.DataFrame:
    """The ``n_shifts`` mean shifts that best explain an annual series, by exact least squares;
    with ``n_shifts=None``, as many (up to ``max_shifts``) as :func:`shift_table`'s BIC picks.

    Method: among all ways to cut the series into ``n_shifts + 1`` runs of at least ``min_size``
    consecutive values, take the one whose runs, each replaced by its mean, leave the smallest
    sum of squared residuals (optimal partitioning by dynamic programming; deterministic, the
    earliest cut wins a tie). Returns one row per shift: ``year`` (the first year of the new
    run), ``before`` and ``after`` (the run means) and ``change`` (after - before).

    >>> y = pd.Series([1.0] * 6 + [-3.0] * 4 + [2.0] * 5, index=range(1950, 1965))
    >>> find_shifts(y, 2)
       year  before  after  change
    0  1956     1.0   -3.0    -4.0
    1  1960    -3.0    2.0     5.0
    >>> find_shifts(y + ([0.3, -0.3] * 7 + [0.0]), max_shifts=3)["year"].tolist()  # BIC: two
    [1956, 1960]
    """
    if n_shifts is None:
        n_shifts = int(shift_table(series, max_shifts, min_size)["bic"].idxmin())
    _check_fit(series, n_shifts, min_size)
    _, splits = _optimal_splits(series.to_numpy(float), n_shifts, min_size)[n_shifts]
    bounds = [0, *splits, len(series)]
    means = [float(series.iloc[a:b].mean()) for a, b in pairwise(bounds)]
    rows = [
        (int(series.index[s]), means[i], means[i + 1], means[i + 1] - means[i])
        for i, s in enumerate(splits)
    ]
    return pd.DataFrame(rows, columns=["year", "before", "after", "change"])


def segment_means(series: pd.Series, shift_years: Iterable[int]) -> pd.Series:
    """The series replaced by the mean of each run between shifts (for drawing the fit).

    >>> y = pd.Series([1.0, 3.0, 5.0, 7.0], index=range(2000, 2004))
    >>> segment_means(y, [2002]).tolist()
    [2.0, 2.0, 6.0, 6.0]
    """
    run = np.searchsorted(np.sort(list(shift_years)), series.index.to_numpy(), side="right")
    return series.groupby(run).transform("mean").rename("segment_mean")


def compare_shifts(shift_years: Iterable[int], eras: pd.DataFrame) -> pd.DataFrame:
    """For each detected shift, the nearest era boundary and the signed distance to it in years.

    A shift in year Y sits at 1 January of Y; an era boundary at the first day of the era that
    begins there, as a fractional year. ``distance`` = shift - boundary: negative when the data
    turns before the historians' boundary.

    >>> compare_shifts([1962, 1955], toy_frames()[1])
       year era_id   boundary  distance
    0  1962   cold 1960-01-01       2.0
    1  1955   cold 1960-01-01      -5.0
    """
    later = eras.iloc[1:]
    if later.empty:
        raise ValueError("one era has no boundaries to compare with")
    at = decimal_year(later["start"]).to_numpy()
    rows = []
    for year in shift_years:
        gap = year - at
        k = int(np.argmin(np.abs(gap)))
        rows.append((int(year), str(later["era_id"].iloc[k]), later["start"].iloc[k],
                     round(float(gap[k]), 2)))
    return pd.DataFrame(rows, columns=["year", "era_id", "boundary", "distance"])


def shift_variants(events: Mapping[str, pd.DataFrame], eras: pd.DataFrame, years: Iterable[int],
                   min_size: int = 3, max_shifts: int = 6) -> pd.DataFrame:
    """The shifts :func:`find_shifts` picks (by BIC) for each named events table, with events not
    pinned to one year spread and excluded: one row per table and treatment, the shift years and
    their signed distances to the nearest era boundary, so one can see which shifts survive.

    >>> events, eras = toy_frames()
    >>> shift_variants({"toy": events}, eras, range(1950, 1970), min_size=1, max_shifts=2)
      events multi_year      shifts distances
    0    toy     spread  1961, 1962    +1, +2
    1    toy    exclude  1961, 1962    +1, +2
    """
    years = list(years)
    rows = []
    for name, frame in events.items():
        for treatment in ("spread", "exclude"):
            net = annual_net_cooperation(frame, years, multi_year=treatment)
            found = find_shifts(net, None, min_size, max_shifts)["year"]
            gaps = compare_shifts(found, eras)["distance"] if len(found) else []
            rows.append((name, treatment, ", ".join(str(y) for y in found),
                         ", ".join(f"{d:+.0f}" if d else "0" for d in gaps)))
    return pd.DataFrame(rows, columns=["events", "multi_year", "shifts", "distances"])


def labels_for(events: pd.DataFrame, texts: Mapping[str, str]) -> dict[int, str]:
    """Map texts keyed by ``event_id`` to the events' index labels (for the timeline); an id the
    table lacks raises ``KeyError``, so a renamed event cannot lose its label silently.

    >>> labels_for(toy_frames()[0], {"E004": "break"})
    {3: 'break'}
    """
    ids = events["event_id"].astype(str)
    missing = sorted(set(texts) - set(ids))
    if missing:
        raise KeyError(f"no events with these ids: {missing}")
    return {int(i): texts[e] for i, e in ids.items() if e in texts}


#: Reader-facing names of the per-era summary columns, in the order shown.
SUMMARY_COLUMNS: dict[str, str] = {
    "name": "era", "start": "from", "stop": "to", "years": "years", "events": "events",
    "per_year": "per year", "q1": "verbal coop.", "q2": "material coop.",
    "q3": "verbal conflict", "q4": "material conflict", "goldstein_sum": "Goldstein sum",
    "goldstein_mean": "Goldstein mean", "top_types": "most frequent types",
}


def summary_table(summary: pd.DataFrame, context: pd.Series | None = None) -> pd.DataFrame:
    """The per-era summary as a table for readers: years as numbers, rounded figures, renamed
    columns, and optionally a column of ``context`` events (those of other actors) per era.

    >>> summary_table(era_summary(*toy_frames())).iloc[:, :6]
                   era  from    to  years  events  per year
    era_id
    warm    Warm years  1950  1959   10.0       2       0.2
    cold    Cold years  1960  1969   10.0       2       0.2
    """
    table = summary[list(SUMMARY_COLUMNS)].copy()
    table["start"] = table["start"].dt.year
    table["stop"] = table["stop"].dt.year
    table = table.round({"years": 1, "per_year": 2, "goldstein_sum": 1, "goldstein_mean": 2})
    if context is not None:
        table.insert(5, "context", context.reindex(table.index).astype(int))
        table = table.rename(columns={"context": "context events"})
    return table.rename(columns=SUMMARY_COLUMNS)


def balance(summary: pd.DataFrame) -> dict[str, list[str]]:
    """Era names grouped by the sign of their summed Goldstein weight.

    >>> balance(era_summary(*toy_frames()))
    {'cooperative': ['Warm years'], 'conflictual': ['Cold years'], 'without events': []}
    """
    total, n = summary["goldstein_sum"], summary["events"]
    return {
        "cooperative": summary.loc[(n > 0) & (total > 0), "name"].tolist(),
        "conflictual": summary.loc[(n > 0) & (total < 0), "name"].tolist(),
        "without events": summary.loc[n == 0, "name"].tolist(),
    }
