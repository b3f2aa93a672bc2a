"""How sure the analyses can be: seeded draws that re-run them under what the data leaves open.

Four sources of doubt, each turned into draws or variants whose results form a distribution:

- **dates** (:func:`draw_days`): an event known only to a month, a year or a decade happened on
  some day of its EDTF range ``[start, end]``; each draw picks that day uniformly, independently
  for every event (with ``claims=``, a disputed date first picks one of its claimed values).
  A dataset dated to the day gives the same answer in every draw.
- **disputed values** (:func:`claim_variants`): a field the ``claims`` table disputes takes, in
  a variant, one of the values a source gives for it; dates are re-derived from the EDTF text.
- **coding** (:func:`coding_variants`, ``weights="count"``): the other CAMEO code a
  ``coding_note`` names as defensible (``alt=NNN``), and event counts in place of Goldstein
  weights.
- **settings** (:func:`draw_settings`, and parameters of :func:`shift_draws`,
  :func:`bin_count_draws`, :func:`distance_variants`): the choices a reader could make
  differently, such as the change-point penalty, the shortest run, the bin width or the
  snapshot day.

Every draw function is vectorized over draws with numpy and takes ``seed`` (anything
:func:`numpy.random.default_rng` accepts): the same seed gives the same draws. Results have one
row per draw (or per variant); :func:`band` turns them into quantile bands.

Per-era results under date draws put an event in the era of its drawn day, so an event whose
range straddles an era boundary counts, draw by draw, in one of the eras it may belong to.

>>> events = pd.DataFrame({"start": pd.to_datetime(["1961-01-01", "1961-12-03"]),
...                        "end": pd.to_datetime(["1962-12-31", "1961-12-03"]),
...                        "goldstein": [-4.0, -7.0]})
>>> draws = annual_net_draws(events, range(1961, 1963), n=1000, seed=1)
>>> band(draws)[["lower", "upper"]]
      lower  upper
year
1961  -11.0   -7.0
1962   -4.0    0.0
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from albru import dates
from albru.dates import DAYS_PER_YEAR

__all__ = [
    "alt_codes",
    "annual_net_band",
    "annual_net_draws",
    "apply_claims",
    "band",
    "bin_count_draws",
    "claim_variants",
    "coding_variants",
    "disputed_fields",
    "distance_variants",
    "draw_days",
    "draw_settings",
    "era_rate_band",
    "era_rate_draws",
    "quiet_spell_draws",
    "shift_draws",
    "shift_support",
    "triad_spell_variants",
    "variant_band",
    "years_of_days",
]

#: The label of the data as recorded, first among the claim and coding variants.
AS_RECORDED = "as recorded"
#: CAMEO root code (first two digits) to quad class, for an alternative code the event types
#: table does not use: 01-05 verbal cooperation, 06-08 material cooperation, 09-13 verbal
#: conflict, 14-20 material conflict.
_QUAD_OF_ROOT = {f"{r:02d}": 1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4
                 for r in range(1, 21)}
_ALT = re.compile(r"\balt=(\d{2,4})\b")

Seed = int | np.random.Generator | None


# --------------------------------------------------------------------------- dates


def _days(values: pd.Series | np.ndarray) -> np.ndarray:
    """Day numbers (days since 1970-01-01, int64) of datetime values."""
    return np.asarray(values, dtype="datetime64[D]").astype(np.int64)


def draw_days(events: pd.DataFrame, n: int, seed: Seed = None, *, start: str = "start",
              end: str = "end", claims: pd.DataFrame | None = None) -> np.ndarray:
    """A day drawn uniformly inside each event's date range, ``n`` times over.

    With ``claims``, an event whose date the claims table disputes first takes, in each draw,
    one of the dates sources give for it (the recorded one or an alternative, with equal
    chance), then a day inside that date's range: date doubt and disputed dates together.

    Parameters
    ----------
    events
        A frame with first and last possible days (``start``, ``end``, both inclusive), such as
        ``albru.load().events``.
    n
        Number of draws.
    seed
        Seed of the numpy random generator (or a generator): the same seed, the same days.
    start, end
        Names of the two day columns.
    claims
        A claims table (``albru.load().claims``); its rows on the ``date`` of ``events``
        (matched on ``event_id``) are used.

    Returns
    -------
    numpy.ndarray
        Integers of shape ``(n, len(events))``: days since 1970-01-01 (``numpy.datetime64``'s
        epoch), every one inside its event's ``[start, end]`` (or inside the range of the
        claimed date drawn for it).

    Examples
    --------
    >>> ev = pd.DataFrame({"start": pd.to_datetime(["1970-01-01", "1970-01-01"]),
    ...                    "end": pd.to_datetime(["1970-01-01", "1970-01-10"])})
    >>> days = draw_days(ev, 500, seed=0)
    >>> days.shape, bool((days[:, 0] == 0).all()), int(days[:, 1].min()), int(days[:, 1].max())
    ((500, 2), True, 0, 9)
    >>> claims = pd.DataFrame({"table": ["events"], "record_id": ["E1"], "column": ["date"],
    ...                        "value": ["1970-02-01"]})
    >>> ev = ev.assign(event_id=["E1", "E2"], date=["1970-01-01", "1970-01"])
    >>> sorted(set(draw_days(ev, 500, seed=0, claims=claims)[:, 0].tolist()))
    [0, 31]
    """
    if n < 1:
        raise ValueError(f"need at least one draw, got n={n}")
    lo, hi = _days(events[start]), _days(events[end])
    bad = np.isnat(np.asarray(events[start], dtype="datetime64[D]")) | np.isnat(
        np.asarray(events[end], dtype="datetime64[D]")) | (hi < lo)
    if bad.any():
        rows = list(events.index[bad][:5])
        raise ValueError(f"rows {rows}: a date draw needs {start} <= {end}, both present")
    rng = np.random.default_rng(seed)
    if claims is None:
        return rng.integers(lo, hi + 1, size=(n, len(events)), dtype=np.int64)
    lo, hi = np.tile(lo, (n, 1)), np.tile(hi, (n, 1))
    for col, options in _claimed_ranges(events, claims).items():
        pick = rng.integers(0, len(options), n)
        lo[:, col] = options[pick, 0]
        hi[:, col] = options[pick, 1]
    return rng.integers(lo, hi + 1, dtype=np.int64)


def _claimed_ranges(events: pd.DataFrame, claims: pd.DataFrame) -> dict[int, np.ndarray]:
    """For each event (by position) whose date is disputed: the first and last day numbers of
    each distinct date (the recorded one first, then the claims' in order), shape (k, 2)."""
    on = claims[(claims["table"] == "events") & (claims["column"] == "date")]
    position = {str(e): i for i, e in enumerate(events["event_id"].astype(str))}
    out = {}
    for record, group in on.groupby("record_id", sort=True, observed=True):
        if str(record) not in position:
            continue
        i = position[str(record)]
        texts = dict.fromkeys([str(events["date"].iloc[i]), *group["value"].astype(str)])
        bounds = [dates.parse(t) for t in texts]
        out[i] = _days(pd.Series([pd.Timestamp(b.start) for b in bounds] +
                                 [pd.Timestamp(b.end) for b in bounds])).reshape(2, -1).T
    return out


def years_of_days(days: np.ndarray) -> np.ndarray:
    """The calendar year of each day number (days since 1970-01-01), same shape.

    Examples
    --------
    >>> years_of_days(np.array([[0, 365, -1]])).tolist()
    [[1970, 1971, 1969]]
    """
    days = np.asarray(days, dtype=np.int64)
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def band(draws: pd.DataFrame, level: float = 0.9) -> pd.DataFrame:
    """Quantile band of draws, one row per column of ``draws``.

    Parameters
    ----------
    draws
        One row per draw, one column per quantity (a year, an era ...).
    level
        Central share of the draws inside ``[lower, upper]``.

    Returns
    -------
    pandas.DataFrame
        Columns ``mean``, ``lower``, ``median``, ``upper``, indexed like ``draws.columns``.

    Examples
    --------
    >>> d = pd.DataFrame({"x": np.arange(101.0)})
    >>> band(d, level=0.9).loc["x"].round(6).tolist()
    [50.0, 5.0, 50.0, 95.0]
    """
    if not 0 < level < 1:
        raise ValueError(f"level must lie between 0 and 1, got {level}")
    values = draws.to_numpy(dtype=float)
    q = np.quantile(values, [(1 - level) / 2, 0.5, (1 + level) / 2], axis=0)
    return pd.DataFrame({"mean": values.mean(axis=0), "lower": q[0], "median": q[1],
                         "upper": q[2]}, index=draws.columns)


# --------------------------------------------------------------------------- annual series


def _weights(events: pd.DataFrame, weights: str | Sequence[float] | np.ndarray) -> np.ndarray:
    """Per-event weights: Goldstein weights, +1/-1 by quad class, or given numbers."""
    if isinstance(weights, str):
        if weights == "goldstein":
            out = events["goldstein"].to_numpy(dtype=float)
        elif weights == "count":
            quad = events["quad_class"].astype("Int64")
            if quad.isna().any():
                raise ValueError("weights='count' needs a quad class on every event")
            out = np.where(quad.to_numpy(dtype=int) <= 2, 1.0, -1.0)
        else:
            raise ValueError(f"weights must be 'goldstein', 'count' or numbers, not {weights!r}")
    else:
        out = np.asarray(weights, dtype=float)
        if out.shape != (len(events),):
            raise ValueError(f"need one weight per event ({len(events)}), got {out.shape}")
    if np.isnan(out).any():
        raise ValueError("an event has no weight")
    return out


def annual_net_draws(events: pd.DataFrame, years: Iterable[int] | None = None, n: int = 1000,
                     seed: Seed = None, weights: str | Sequence[float] = "goldstein",
                     days: np.ndarray | None = None) -> pd.DataFrame:
    """Net cooperation per calendar year, once per date draw.

    Each draw places every event on a day of its range (:func:`draw_days`) and sums the
    weights of the events of each year. The mean over many draws approaches
    ``albru.eras.annual_net_cooperation``, which shares an event out over its years.

    Parameters
    ----------
    events
        Frame with ``start``, ``end`` and ``goldstein`` (or ``quad_class`` for counts).
    years
        Years of the series; by default from the first possible to the last possible year.
        A draw that lands outside raises ``ValueError``.
    n, seed
        Number of draws and seed (ignored when ``days`` is given).
    weights
        ``"goldstein"`` (sum of Goldstein weights), ``"count"`` (cooperative events count +1,
        conflictual ones -1: net count by quad class) or one number per event.
    days
        Day draws to reuse, shape ``(draws, len(events))``, e.g. to share them among analyses.

    Returns
    -------
    pandas.DataFrame
        One row per draw (index ``draw``), one column per year (columns ``year``).

    Examples
    --------
    >>> ev = pd.DataFrame({"start": pd.to_datetime(["1960-01-01", "1961-05-01"]),
    ...                    "end": pd.to_datetime(["1961-12-31", "1961-05-01"]),
    ...                    "goldstein": [-4.0, 3.0], "quad_class": [3, 1]})
    >>> d = annual_net_draws(ev, n=1000, seed=3)
    >>> d.sum(axis=1).unique().tolist(), sorted(set(d[1960])), round(float(d[1960].mean()))
    ([-1.0], [-4.0, 0.0], -2)
    >>> annual_net_draws(ev, n=3, seed=3, weights="count")[1961].tolist()
    [0.0, 1.0, 1.0]
    """
    w = _weights(events, weights)
    if days is None:
        days = draw_days(events, n, seed)
    year = years_of_days(days)
    if years is None:
        years = range(int(events["start"].min().year), int(events["end"].max().year) + 1)
    years = np.asarray(list(years), dtype=np.int64)
    first, span = int(years.min()) if len(years) else 0, len(years)
    if span == 0 or not np.array_equal(years, np.arange(first, first + span)):
        raise ValueError("years must be consecutive and not empty")
    pos = year - first
    outside = (pos < 0) | (pos >= span)
    if outside.any():
        raise ValueError(f"events fall in years outside {first}-{first + span - 1}: "
                         f"{sorted(set(year[outside].tolist()))[:5]}")
    draws = days.shape[0]
    flat = (np.arange(draws)[:, None] * span + pos).ravel()
    sums = np.bincount(flat, weights=np.broadcast_to(w, days.shape).ravel(),
                       minlength=draws * span).reshape(draws, span)
    return pd.DataFrame(sums, index=pd.RangeIndex(draws, name="draw"),
                        columns=pd.Index(years, name="year"))


def annual_net_band(events: pd.DataFrame, years: Iterable[int] | None = None, n: int = 1000,
                    seed: Seed = None, weights: str | Sequence[float] = "goldstein",
                    level: float = 0.9) -> pd.DataFrame:
    """The band of the annual net cooperation under date draws: :func:`band` of
    :func:`annual_net_draws`.

    Returns
    -------
    pandas.DataFrame
        Index ``year``; columns ``mean``, ``lower``, ``median``, ``upper``.

    Examples
    --------
    >>> ev = pd.DataFrame({"start": pd.to_datetime(["1960-01-01"]),
    ...                    "end": pd.to_datetime(["1969-12-31"]), "goldstein": [-5.0]})
    >>> b = annual_net_band(ev, range(1960, 1970), n=1000, seed=0)
    >>> b.loc[1960, ["lower", "upper"]].tolist(), round(float(b["mean"].sum()), 6)
    ([-5.0, 0.0], -5.0)
    """
    return band(annual_net_draws(events, years, n, seed, weights), level)


def bin_count_draws(events: pd.DataFrame, width: int = 1, span: tuple[int, int] | None = None,
                    n: int = 1000, seed: Seed = None, origin: int = 0,
                    days: np.ndarray | None = None) -> pd.DataFrame:
    """Events per bin of ``width`` years, once per date draw: every event lands in the bin of its
    drawn day, so events kept apart by a year-by-year count (a decade date) are placed too.

    Parameters
    ----------
    events
        Frame with ``start`` and ``end`` (e.g. ``albru.incidents.incidents(ds.events)``).
    width, origin
        Bins start at ``origin + i * width`` (a reader's choice: try 1, 5 and 10).
    span
        First and last year shown; by default the events' possible range.
    n, seed, days
        As in :func:`annual_net_draws`.

    Returns
    -------
    pandas.DataFrame
        One row per draw, one column per bin (its first year, columns ``bin``).

    Examples
    --------
    >>> ev = pd.DataFrame({"start": pd.to_datetime(["1960-01-01", "1964-06-01"]),
    ...                    "end": pd.to_datetime(["1969-12-31", "1964-06-01"])})
    >>> c = bin_count_draws(ev, width=5, n=1000, seed=0)
    >>> c.columns.tolist(), c.sum(axis=1).unique().tolist(), c[1965].isin([0, 1]).all()
    ([1960, 1965], [2], np.True_)
    """
    if width < 1:
        raise ValueError(f"bin width must be a positive number of years, got {width}")
    if days is None:
        days = draw_days(events, n, seed)
    if span is None:
        span = (int(events["start"].min().year), int(events["end"].max().year))
    first = (span[0] - origin) // width * width + origin
    bins = np.arange(first, span[1] + 1, width)
    pos = (years_of_days(days) - first) // width
    if ((pos < 0) | (pos >= len(bins))).any():
        raise ValueError(f"events fall outside the span {span}")
    draws = days.shape[0]
    flat = (np.arange(draws)[:, None] * len(bins) + pos).ravel()
    counts = np.bincount(flat, minlength=draws * len(bins)).reshape(draws, len(bins))
    return pd.DataFrame(counts, index=pd.RangeIndex(draws, name="draw"),
                        columns=pd.Index(bins, name="bin"))


# --------------------------------------------------------------------------- change points


def draw_settings(n: int, seed: Seed = None, **choices: Sequence[Any]) -> pd.DataFrame:
    """Analysis settings drawn uniformly from the values a reader could reasonably choose.

    Parameters
    ----------
    n, seed
        Number of draws and seed.
    **choices
        For each setting, the values to choose among (e.g. ``min_size=[2, 3, 4, 5]``).

    Returns
    -------
    pandas.DataFrame
        One row per draw, one column per setting (in the order given).

    Examples
    --------
    >>> s = draw_settings(1000, seed=0, min_size=[2, 3, 4], penalty=[0.5, 1.0, 2.0])
    >>> sorted(s["min_size"].unique().tolist()), len(s)
    ([2, 3, 4], 1000)
    """
    rng = np.random.default_rng(seed)
    columns = {}
    for name, values in choices.items():
        values = list(values)
        if not values:
            raise ValueError(f"no values to choose from for {name!r}")
        columns[name] = pd.Series(values).iloc[rng.integers(0, len(values), n)].to_numpy()
    return pd.DataFrame(columns, index=pd.RangeIndex(n, name="draw"))


def _per_draw(value: Any, draws: int, name: str, kind: type) -> np.ndarray:
    """A setting as one value per draw."""
    out = np.broadcast_to(np.asarray(value, dtype=kind), (draws,))
    if out.shape != (draws,):
        raise ValueError(f"{name}: need one value or one per draw ({draws})")
    return out


def _fit_chunk(y: np.ndarray, min_size: np.ndarray, max_shifts: np.ndarray, top: int,
               penalty: np.ndarray, n_shifts: np.ndarray | None) -> np.ndarray:
    """Shift positions (boolean, draws x years) of the best least-squares segmentation of each
    row of ``y``; the number of shifts by penalised BIC, or ``n_shifts`` where given.

    The same dynamic program as ``albru.changepoints``, with a leading axis of draws and the
    run costs laid out as ``sse[draw, end, start]`` so that each minimum runs over contiguous
    memory; the split points are recovered only along each draw's optimal path."""
    d, n = y.shape
    zero = np.zeros((d, 1))
    cs1 = np.concatenate([zero, np.cumsum(y, axis=1)], axis=1)
    cs2 = np.concatenate([zero, np.cumsum(y * y, axis=1)], axis=1)
    length = np.arange(n + 1)[:, None] - np.arange(n + 1)[None, :]  # [end, start]
    with np.errstate(divide="ignore", invalid="ignore"):
        s = cs1[:, :, None] - cs1[:, None, :]  # s[d, j, i] = sum of y[i:j]
        sse = (cs2[:, :, None] - cs2[:, None, :]) - s * s / length
    sse[length[None, :, :] < min_size[:, None, None]] = np.inf  # run shorter than allowed
    cost = np.full((top + 1, d, n + 1), np.inf)
    cost[0] = sse[:, :, 0]
    for k in range(1, top + 1):
        cost[k] = (cost[k - 1][:, None, :] + sse).min(axis=2)  # last run starts at i
    total = cost[:, :, n].T  # (draws, k)
    ks = np.arange(top + 1)
    if n_shifts is None:
        with np.errstate(divide="ignore"):
            bic = n * np.log(np.maximum(total, 1e-12) / n) + penalty[:, None] * (
                2 * ks + 2) * np.log(n)
        bic[~np.isfinite(total) | (ks[None, :] > max_shifts[:, None])] = np.inf
        best = np.argmin(bic, axis=1)
    else:
        best = n_shifts
        if not np.isfinite(total[np.arange(d), best]).all():
            raise ValueError("a series is too short for the number of shifts asked")
    shifts = np.zeros((d, n + 1), dtype=bool)
    at = np.full(d, n)
    for level in range(top, 0, -1):
        rows = np.flatnonzero(best >= level)
        if not len(rows):
            continue
        c = cost[level - 1][rows] + sse[rows, at[rows], :]
        low = cost[level][rows, at[rows]]
        at[rows] = np.argmax(c <= low[:, None] + 1e-9, axis=1)  # earliest split among ties
        shifts[rows, at[rows]] = True
    return shifts[:, :n]


def shift_draws(series: pd.DataFrame, *, min_size: int | Sequence[int] = 3,
                max_shifts: int | Sequence[int] = 6, penalty: float | Sequence[float] = 1.0,
                n_shifts: int | Sequence[int] | None = None, chunk: int = 128) -> pd.DataFrame:
    """The mean shifts of each drawn series, found as ``albru.changepoints.find_shifts`` finds
    them (exact least squares, the number of shifts by BIC), for all draws at once.

    Parameters
    ----------
    series
        One row per draw, one column per year (e.g. :func:`annual_net_draws`).
    min_size
        Shortest run in years, one value or one per draw (see :func:`draw_settings`).
    max_shifts
        Most shifts considered, one value or one per draw.
    penalty
        Multiplies BIC's charge per parameter, ``(2k + 2) ln n``: 1 is BIC, larger values ask
        more of the data before a shift is accepted. One value or one per draw.
    n_shifts
        Fixed number of shifts instead of the BIC choice (one value or one per draw).
    chunk
        Draws fitted together (memory grows with ``chunk * years**2``).

    Returns
    -------
    pandas.DataFrame
        Booleans shaped like ``series``: True in the first year of each new run.

    Examples
    --------
    >>> y = pd.DataFrame([[1.0] * 6 + [-3.0] * 4 + [2.0] * 5], columns=range(1950, 1965))
    >>> s = shift_draws(y, n_shifts=2)
    >>> s.columns[s.iloc[0]].tolist()
    [1956, 1960]
    """
    values = series.to_numpy(dtype=float)
    d, n = values.shape
    if np.isnan(values).any():
        raise ValueError("the series has missing values")
    min_size = _per_draw(min_size, d, "min_size", np.int64)
    max_shifts = _per_draw(max_shifts, d, "max_shifts", np.int64)
    penalty = _per_draw(penalty, d, "penalty", float)
    fixed = None if n_shifts is None else _per_draw(n_shifts, d, "n_shifts", np.int64)
    if (min_size < 1).any() or (max_shifts < 0).any():
        raise ValueError("need min_size >= 1 and max_shifts >= 0")
    top = int((fixed if fixed is not None else max_shifts).max()) if d else 0
    top = min(top, int(n // min_size.min()) - 1) if fixed is None else top
    out = np.zeros((d, n), dtype=bool)
    for a in range(0, d, chunk):
        b = min(a + chunk, d)
        out[a:b] = _fit_chunk(values[a:b], min_size[a:b], max_shifts[a:b], max(top, 0),
                              penalty[a:b], None if fixed is None else fixed[a:b])
    return pd.DataFrame(out, index=series.index, columns=series.columns)


def shift_support(shifts: pd.DataFrame, years: Iterable[int] | None = None,
                  within: int = 2) -> pd.DataFrame:
    """For each year, the share of draws with a shift no more than ``within`` years away.

    Parameters
    ----------
    shifts
        Booleans from :func:`shift_draws` (draws x years).
    years
        Years asked about (e.g. the shifts of the recorded series); by default every column.
    within
        Half-width of the window in years.

    Returns
    -------
    pandas.DataFrame
        Index ``year``; ``share`` (a shift within the window), ``exact`` (a shift in that very
        year).

    Examples
    --------
    >>> s = pd.DataFrame([[False, True, False], [False, False, True]], columns=[2000, 2001, 2002])
    >>> shift_support(s, [2000], within=1)
          share  exact
    year
    2000    0.5    0.0
    """
    cols = np.asarray(shifts.columns, dtype=np.int64)
    flags = shifts.to_numpy(dtype=bool)
    years = cols if years is None else np.asarray(list(years), dtype=np.int64)
    share, exact = [], []
    for year in years:
        near = np.abs(cols - year) <= within
        share.append(flags[:, near].any(axis=1).mean())
        exact.append(flags[:, cols == year].any(axis=1).mean())
    return pd.DataFrame({"share": share, "exact": exact}, index=pd.Index(years, name="year"))


# --------------------------------------------------------------------------- era rates


def _era_days(eras: pd.DataFrame, until: pd.Timestamp) -> tuple[np.ndarray, np.ndarray]:
    """First and last day numbers of each era (an open era closes at ``until``)."""
    stop = eras["end"].fillna(pd.Timestamp(until))
    return _days(eras["start"]), _days(stop)


def era_rate_draws(events: pd.DataFrame, eras: pd.DataFrame, until: pd.Timestamp,
                   n: int = 1000, seed: Seed = None,
                   days: np.ndarray | None = None) -> pd.DataFrame:
    """Events per era, once per date draw: each event counts in the era of its drawn day.

    An event whose range crosses an era boundary thus counts, draw by draw, in one of the eras
    its range touches, in proportion to its days in each. Events whose recorded era is missing
    (a straddler) need no special rule.

    Parameters
    ----------
    events
        Frame with ``start`` and ``end`` (e.g. the incidents).
    eras
        Frame shaped like ``albru.load().eras``, in time order; the last era may be open.
    until
        The day the record stops: closes an open era. A drawn day after it, or before the first
        era, raises ``ValueError``.
    n, seed, days
        As in :func:`annual_net_draws`.

    Returns
    -------
    pandas.DataFrame
        Counts, one row per draw, one column per era (columns ``era_id``).

    Examples
    --------
    >>> eras = pd.DataFrame({"era_id": ["a", "b"], "start": pd.to_datetime(["1950", "1960"]),
    ...                      "end": pd.to_datetime(["1959-12-31", None])})
    >>> ev = pd.DataFrame({"start": pd.to_datetime(["1955-01-01", "1959-01-01"]),
    ...                    "end": pd.to_datetime(["1955-01-01", "1960-12-31"])})
    >>> c = era_rate_draws(ev, eras, pd.Timestamp("1969-12-31"), n=2000, seed=0)
    >>> sorted(c["a"].unique().tolist()), round(float(c["b"].mean()), 1)
    ([1, 2], 0.5)
    """
    first, last = _era_days(eras, until)
    if days is None:
        days = draw_days(events, n, seed)
    where = np.searchsorted(first, days, side="right") - 1
    if days.size and ((where < 0) | (days > last[np.clip(where, 0, None)])).any():
        raise ValueError("a drawn day falls outside every era (before the first, after `until`"
                         " or in a gap between eras)")
    draws, k = days.shape[0], len(first)
    flat = (np.arange(draws)[:, None] * k + where).ravel()
    counts = np.bincount(flat, minlength=draws * k).reshape(draws, k)
    return pd.DataFrame(counts, index=pd.RangeIndex(draws, name="draw"),
                        columns=pd.Index(eras["era_id"].astype(str).tolist(), name="era_id"))


def _mixture_quantile(counts: np.ndarray, shape_shift: int, q: float) -> float:
    """The ``q`` quantile of an equal mixture of Gamma(count + shape_shift, 1) distributions
    (a Gamma of shape 0 is a point mass at 0), by bisection."""
    from scipy.special import gammainc

    shapes, weight = np.unique(counts + shape_shift, return_counts=True)
    weight = weight / weight.sum()

    def cdf(x: float) -> float:
        inside = shapes > 0
        return float(weight[~inside].sum() + (weight[inside] * gammainc(shapes[inside], x)).sum())

    lo, hi = 0.0, float(shapes.max()) + 10.0 * np.sqrt(float(shapes.max()) + 1.0) + 10.0
    if cdf(0.0) >= q:
        return 0.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if cdf(mid) >= q else (mid, hi)
        if hi - lo < 1e-10 * max(1.0, hi):
            break
    return (lo + hi) / 2


def era_rate_band(counts: pd.DataFrame, eras: pd.DataFrame, until: pd.Timestamp,
                  alpha: float = 0.05) -> pd.DataFrame:
    """Per-era rates with date and Poisson uncertainty together.

    The interval generalises the exact (Garwood) Poisson interval to a count that varies with
    the dates: its lower end is the ``alpha / 2`` quantile of the mixture, over draws, of the
    Gamma(k) distributions whose quantile gives Garwood's lower bound for a count k, and its
    upper end the ``1 - alpha / 2`` quantile of the mixture of Gamma(k + 1). When every draw
    gives the same count, it is Garwood's interval exactly.

    Parameters
    ----------
    counts
        Per-era counts from :func:`era_rate_draws`.
    eras, until
        As given to :func:`era_rate_draws` (era lengths as ``albru.eras.era_spans`` measures).
    alpha
        One minus the coverage.

    Returns
    -------
    pandas.DataFrame
        Index ``era_id``; ``name`` (when ``eras`` has it), ``years``, ``count_min``,
        ``count_median``, ``count_max`` (over draws), ``rate`` (mean count per year),
        ``lower``, ``upper`` (per year).

    Examples
    --------
    >>> eras = pd.DataFrame({"era_id": ["a"], "start": pd.to_datetime(["1950"]),
    ...                      "end": pd.to_datetime(["1959-12-31"])})
    >>> r = era_rate_band(pd.DataFrame({"a": [10] * 5}), eras, pd.Timestamp("1959-12-31"))
    >>> [round(float(r.loc["a", c]), 3) for c in ("rate", "lower", "upper")]
    [1.0, 0.48, 1.839]
    """
    first, last = _era_days(eras, until)
    years = (last - first + 1) / DAYS_PER_YEAR
    ids = eras["era_id"].astype(str).tolist()
    values = counts[ids].to_numpy(dtype=np.int64)
    lower = [_mixture_quantile(values[:, e], 0, alpha / 2) for e in range(len(ids))]
    upper = [_mixture_quantile(values[:, e], 1, 1 - alpha / 2) for e in range(len(ids))]
    out = pd.DataFrame(index=pd.Index(ids, name="era_id"))
    if "name" in eras:
        out["name"] = eras["name"].astype(str).to_numpy()
    out["years"] = years
    out["count_min"] = values.min(axis=0)
    out["count_median"] = np.median(values, axis=0)
    out["count_max"] = values.max(axis=0)
    out["rate"] = values.mean(axis=0) / years
    out["lower"] = np.asarray(lower) / years
    out["upper"] = np.asarray(upper) / years
    return out


# --------------------------------------------------------------------------- quiet spells


def quiet_spell_draws(events: pd.DataFrame, n: int = 1000, seed: Seed = None, *,
                      since: pd.Timestamp | None = None, until: pd.Timestamp | None = None,
                      top: int = 3, days: np.ndarray | None = None) -> pd.DataFrame:
    """The longest stretches without an event, once per date draw.

    Each event sits on its drawn day; a quiet spell is the run of days between two consecutive
    events (and, when given, from ``since`` to the first and from the last to ``until``). Since a
    drawn day lies inside its range, every spell is at least as long as the spell
    ``albru.incidents.quiet_spells`` guarantees under all readings of the dates.

    Parameters
    ----------
    events
        Frame with ``start`` and ``end`` (e.g. the incidents).
    n, seed, days
        As in :func:`annual_net_draws`.
    since, until
        Optional first and last day of the record.
    top
        How many of the longest spells to report.

    Returns
    -------
    pandas.DataFrame
        One row per draw: ``longest_start`` and ``longest_end`` (first and last quiet day of the
        longest spell; the earliest on a tie), then ``spell_1`` ... ``spell_<top>``: lengths in
        years (days / 365.25), longest first (0 where there are fewer spells).

    Examples
    --------
    >>> ev = pd.DataFrame({"start": pd.to_datetime(["1950-01-01", "1960-01-01"]),
    ...                    "end": pd.to_datetime(["1950-01-01", "1960-01-01"])})
    >>> q = quiet_spell_draws(ev, n=5, seed=0, top=1)
    >>> q["spell_1"].round(2).unique().tolist(), str(q.loc[0, "longest_start"].date())
    ([10.0], '1950-01-02')
    """
    if days is None:
        days = draw_days(events, n, seed)
    draws = days.shape[0]
    parts = [np.sort(days, axis=1)]
    if since is not None:
        parts.insert(0, np.full((draws, 1), _days(pd.Series([pd.Timestamp(since)]))[0] - 1))
    if until is not None:
        parts.append(np.full((draws, 1), _days(pd.Series([pd.Timestamp(until)]))[0] + 1))
    points = np.concatenate(parts, axis=1)
    gaps = np.diff(points, axis=1) - 1  # quiet days between neighbours
    if gaps.size and (gaps < -1).any():
        raise ValueError("an event lies before `since` or after `until`")
    gaps = np.maximum(gaps, 0)
    width = gaps.shape[1]
    ranked = -np.sort(-gaps, axis=1)[:, :top] if width else np.zeros((draws, 0), dtype=np.int64)
    ranked = np.pad(ranked, ((0, 0), (0, top - ranked.shape[1])))
    out = pd.DataFrame(index=pd.RangeIndex(draws, name="draw"))
    if width:
        at = np.argmax(gaps, axis=1)
        rows = np.arange(draws)
        out["longest_start"] = (points[rows, at] + 1).astype("datetime64[D]").astype(
            "datetime64[ns]")
        out["longest_end"] = (points[rows, at + 1] - 1).astype("datetime64[D]").astype(
            "datetime64[ns]")
    else:
        out["longest_start"] = pd.NaT
        out["longest_end"] = pd.NaT
    for i in range(top):
        out[f"spell_{i + 1}"] = ranked[:, i] / DAYS_PER_YEAR
    return out


# --------------------------------------------------------------------------- disputed claims


@functools.cache
def _schema() -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    """From ``datapackage.json``: for each (table, column) holding an EDTF date, its role
    (``point``: the loader derives ``start``, ``end``, ``precision``; ``start`` or ``end``: it
    keeps the text in ``<column>_edtf`` and the first or last day in ``<column>``), and each
    table's key column (the first of its primary key)."""
    from albru import data_dir

    package = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    roles = {(res["name"], f["name"]): f["edtf"] for res in package["resources"]
             for f in res["schema"]["fields"] if "edtf" in f}
    keys = {}
    for res in package["resources"]:
        key = res["schema"].get("primaryKey")
        if key:
            keys[res["name"]] = key if isinstance(key, str) else key[0]
    return roles, keys


def _key(table: str, frame: pd.DataFrame) -> str:
    """The key column of a table (its first column when the schema names none)."""
    return _schema()[1].get(table, str(frame.columns[0]))


def _text(frame: pd.DataFrame, row: int, column: str, role: str | None) -> str:
    """A cell as the text a claim would give for it (an EDTF string for dates)."""
    name = column if role in (None, "point") else f"{column}_edtf"
    value = frame.at[row, name]
    return "" if pd.isna(value) else str(value)


def _row_of(frame: pd.DataFrame, table: str, record_id: str) -> int:
    """Index label of the row whose key is ``record_id``."""
    key = _key(table, frame)
    hits = frame.index[frame[key].astype(str) == record_id]
    if len(hits) != 1:
        raise ValueError(f"claims: {table} has {len(hits)} rows with {key} {record_id!r}")
    return hits[0]


def disputed_fields(ds: Any, tables: Iterable[str] | None = None,
                    columns: Iterable[str] | None = None,
                    records: Iterable[str] | None = None) -> pd.DataFrame:
    """The fields the claims table disputes, with the value on the row and the alternatives.

    Parameters
    ----------
    ds
        An :class:`albru.Dataset`.
    tables, columns, records
        Keep only the fields of these tables, columns or record ids (default: all).

    Returns
    -------
    pandas.DataFrame
        One row per disputed field, sorted by table, record and column: ``table``,
        ``record_id``, ``column``, ``recorded`` (the row's value as text, an EDTF string for a
        date), ``alternatives`` (tuple of the other values sources give, in claim order) and
        ``claims`` (tuple of the claim ids).

    Examples
    --------
    >>> import albru
    >>> f = disputed_fields(albru.load(), tables=["ties"])
    >>> f[["record_id", "column", "recorded", "alternatives"]].values.tolist()
    [['T013', 'start', '1955-06-02', ('1956',)]]
    """
    claims = ds.claims
    keep = pd.Series(True, index=claims.index)
    for name, wanted in (("table", tables), ("column", columns), ("record_id", records)):
        if wanted is not None:
            keep &= claims[name].astype(str).isin(list(wanted))
    roles = _schema()[0]
    rows = []
    for (table, record, column), group in claims[keep].groupby(
            ["table", "record_id", "column"], sort=True, observed=True):
        frame = getattr(ds, str(table))
        role = roles.get((str(table), str(column)))
        recorded = _text(frame, _row_of(frame, str(table), str(record)), str(column), role)
        others = tuple(dict.fromkeys(v for v in group["value"].astype(str) if v != recorded))
        rows.append((str(table), str(record), str(column), recorded, others,
                     tuple(group["claim_id"].astype(str))))
    return pd.DataFrame(rows, columns=["table", "record_id", "column", "recorded",
                                       "alternatives", "claims"])


def apply_claims(ds: Any, choice: Mapping[tuple[str, str, str], str]) -> Any:
    """A copy of the dataset with disputed fields set to the values chosen.

    Dates are re-derived from the EDTF text as the loader derives them (``start``, ``end``,
    ``precision`` of an event and its era; ``<column>``, ``<column>_precision`` of a span
    bound; ``..`` is an open end); an event type brings its coding along. Events stay sorted
    by start and id. The tables not named in ``choice`` are shared with ``ds``, not copied.

    Parameters
    ----------
    ds
        An :class:`albru.Dataset`.
    choice
        ``{(table, record_id, column): value}``.

    Returns
    -------
    albru.Dataset
        The variant.

    Examples
    --------
    >>> import albru
    >>> ds = albru.load()
    >>> v = apply_claims(ds, {("ties", "T013", "start"): "1956"})
    >>> str(v.ties.set_index("tie_id").loc["T013", "start"].date())
    '1956-01-01'
    >>> str(ds.ties.set_index("tie_id").loc["T013", "start"].date())
    '1955-06-02'
    """
    roles = _schema()[0]
    frames: dict[str, pd.DataFrame] = {}
    for (table, record, column), value in sorted(choice.items()):
        frame = frames.setdefault(table, getattr(ds, table).copy())
        row = _row_of(frame, table, record)
        role = roles.get((table, column))
        if role is None:
            if column not in frame:
                raise ValueError(f"claims: {table} has no column {column!r}")
            frame.at[row, column] = value
            if table == "events" and column == "event_type":
                _recode(frame, ds.event_types, row)
            continue
        if role == "point":
            bounds = dates.parse(value)
            frame.at[row, column] = value
            frame.at[row, "start"] = pd.Timestamp(bounds.start)
            frame.at[row, "end"] = pd.Timestamp(bounds.end)
            frame.at[row, "precision"] = bounds.precision
            continue
        frame.at[row, f"{column}_edtf"] = value
        frame.at[row, column] = _bound(value, role)
        frame.at[row, f"{column}_precision"] = (np.nan if value == dates.OPEN
                                               else dates.parse(value).precision)
    if "events" in frames and "era" in frames["events"]:  # re-derive the era, as the loader
        places = dates.era_range(frames["events"], ds.eras)
        for column in places.columns.intersection(frames["events"].columns):
            frames["events"][column] = places[column].astype(frames["events"][column].dtype)
    if "events" in frames:
        key = _key("events", frames["events"])
        frames["events"] = frames["events"].sort_values(["start", key], kind="stable")
        frames["events"] = frames["events"].reset_index(drop=True)
    return dataclasses.replace(ds, **frames)


def _bound(value: str, role: str) -> pd.Timestamp:
    """The day a span bound written in EDTF stands for: its first day for a ``start``, its
    last for an ``end``; ``NaT`` for an open end (``..``)."""
    return pd.NaT if value == dates.OPEN else pd.Timestamp(getattr(dates.parse(value), role))


def _recode(events: pd.DataFrame, types: pd.DataFrame, row: int) -> None:
    """Copy the coding of the event's (new) type onto the event row, in place."""
    key = _key("event_types", types)
    match = types[types[key].astype(str) == str(events.at[row, key])]
    if len(match) != 1:
        raise ValueError(f"claims: no event type {events.at[row, key]!r}")
    for column in types.columns.drop(key):  # the loader suffixes clashes with "_type"
        target = f"{column}_type" if f"{column}_type" in events else column
        if target in events:
            events.at[row, target] = match.iloc[0][column]


def claim_variants(ds: Any, *, tables: Iterable[str] | None = None,
                   columns: Iterable[str] | None = None, records: Iterable[str] | None = None,
                   limit: int = 4096, n: int | None = None,
                   seed: Seed = None) -> Iterator[tuple[str, Any]]:
    """The dataset as recorded, then once for each combination of disputed values.

    A variant gives every disputed field (among those selected) one of its values: the
    recorded one or an alternative from the claims table. All combinations are enumerated
    (the recorded combination first, then in a fixed order) unless there are more than
    ``limit``; then ``n`` combinations are sampled with ``seed`` (without ``n``, a
    ``ValueError`` says how many there are).

    Parameters
    ----------
    ds
        An :class:`albru.Dataset`.
    tables, columns, records
        Which disputed fields to vary, as in :func:`disputed_fields`.
    limit, n, seed
        Enumerate up to ``limit`` combinations; else sample ``n`` of them.

    Returns
    -------
    iterator of (str, albru.Dataset)
        The label (``"as recorded"``, or the changed fields as ``"T013.start=1956; ..."``)
        and the dataset.

    Examples
    --------
    >>> import albru
    >>> labels = [label for label, _ in claim_variants(albru.load(), records=["T013"])]
    >>> labels
    ['as recorded', 'T013.start=1956']
    """
    for label, choice in _choices(ds, tables, columns, records, limit, n, seed):
        yield label, apply_claims(ds, choice) if choice else ds


def _choices(ds: Any, tables: Iterable[str] | None, columns: Iterable[str] | None,
             records: Iterable[str] | None, limit: int, n: int | None,
             seed: Seed) -> Iterator[tuple[str, dict[tuple[str, str, str], str]]]:
    """The labels and ``apply_claims`` choices of :func:`claim_variants` (``{}`` as recorded)."""
    fields = disputed_fields(ds, tables, columns, records)
    fields = fields[fields["alternatives"].map(len) > 0].reset_index(drop=True)
    options = [(row.recorded, *row.alternatives) for row in fields.itertuples()]
    total = math.prod(len(o) for o in options)  # exact: numpy's product overflows int64
    if total <= limit:
        combos: Iterable[tuple[int, ...]] = itertools.product(*[range(len(o)) for o in options])
    elif n is None:
        raise ValueError(f"{total} combinations of disputed values exceed limit={limit}; "
                         "pass n= to sample some")
    else:
        rng = np.random.default_rng(seed)
        picks = rng.integers(0, [len(o) for o in options], size=(n, len(options)))
        combos = [tuple(0 for _ in options)] + [tuple(int(v) for v in p) for p in picks]
    names = list(zip(fields["table"], fields["record_id"], fields["column"], strict=True))
    seen = set()
    for combo in combos:
        if combo in seen:
            continue
        seen.add(combo)
        choice = {name: options[i][c]
                  for i, (name, c) in enumerate(zip(names, combo, strict=True)) if c}
        label = "; ".join(f"{r}.{col}={v}" for (_, r, col), v in choice.items())
        yield label or AS_RECORDED, choice


def variant_band(table: pd.DataFrame, reference: Any = None) -> pd.DataFrame:
    """How far variants (rows) move each result (columns) from a reference row.

    Parameters
    ----------
    table
        One row per variant (e.g. :func:`distance_variants` for one snapshot day).
    reference
        Label of the reference row; by default the first row (the data as recorded).

    Returns
    -------
    pandas.DataFrame
        One row per column of ``table``: ``recorded`` (the reference row's value), ``min``,
        ``max`` (over all rows), ``share_same`` (share of rows equal to the reference; missing
        equals missing).

    Examples
    --------
    >>> t = pd.DataFrame({1990: [2, 2, 3], 1991: [1, None, 1]},
    ...                  index=["as recorded", "v1", "v2"]).astype("Int64")
    >>> variant_band(t).round(2).values.tolist()
    [[2.0, 2.0, 3.0, 0.67], [1.0, 1.0, 1.0, 0.67]]
    """
    if reference is not None and (table.index == reference).sum() != 1:
        raise ValueError(f"reference {reference!r} must name exactly one row")
    at = 0 if reference is None else int(np.flatnonzero(table.index == reference)[0])
    values = table.astype(object).where(table.notna(), np.nan).to_numpy(dtype=float)
    ref = values[at]
    same = (values == ref) | (np.isnan(values) & np.isnan(ref))
    numbers = pd.DataFrame(values, columns=table.columns)
    return pd.DataFrame({"recorded": ref, "min": numbers.min(), "max": numbers.max(),
                         "share_same": same.mean(axis=0)}, index=table.columns)


def _relevant_records(ds: Any, nodes: Sequence[str] | None, blocs: Sequence[str]) -> list[str]:
    """Record ids of the ties and bloc memberships whose dates can change a graph over ``nodes``
    (all states when None): ties among the nodes, and full memberships (status ``member``, the
    only status that makes a bloc edge) in blocs where at least two of the nodes are members."""
    ties = ds.ties
    if nodes is not None:
        ties = ties[ties["actor_a"].isin(nodes) & ties["actor_b"].isin(nodes)]
    members = ds.memberships
    members = members[members["org_id"].isin(blocs) & (members["status"] == "member")]
    if nodes is not None:
        members = members[members["actor_id"].isin(nodes)]
        shared = members.groupby("org_id", observed=True)["actor_id"].nunique()
        members = members[members["org_id"].isin(shared.index[shared >= 2])]
    return [*ties[_key("ties", ties)].astype(str),
            *members[_key("memberships", members)].astype(str)]


#: The columns a snapshot graph reads from each span table, besides ``start`` and ``end`` (and
#: from ``actors``: ``actor_id``, ``kind``, ``name``).
_GRAPH_COLUMNS = {"ties": ("tie_id", "actor_a", "actor_b", "sign", "kind"),
                  "memberships": ("membership_id", "actor_id", "org_id", "status"),
                  "actor_names": ("actor_id", "name")}


def _spans(ds: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    """The ``start`` and ``end`` days of each table a snapshot graph reads, as numpy arrays."""
    return [(getattr(ds, table)["start"].to_numpy(dtype="datetime64[ns]"),
             getattr(ds, table)["end"].to_numpy(dtype="datetime64[ns]"))
            for table in _GRAPH_COLUMNS]


def _active_bits(spans: list[tuple[np.ndarray, np.ndarray]], days: np.ndarray) -> list[bytes]:
    """For each of ``days``, the rows of the span tables active then, packed into bytes."""
    when = days[:, None]
    masks = [(start <= when) & (np.isnat(end) | (when <= end)) for start, end in spans]
    return [row.tobytes() for row in np.packbits(np.hstack(masks), axis=1)]


def _day_keys(ds: Any, days: np.ndarray) -> list[bytes]:
    """For each of ``days``, a key of the ties, memberships and actor names active then (and of
    the other columns a graph reads from them): two days with one key have the same graph."""
    rest = ["\x1f".join(map(str, getattr(ds, table)[list(columns)].to_numpy().ravel()))
            for table, columns in _GRAPH_COLUMNS.items()]
    rest.append("\x1f".join(map(str, ds.actors[["actor_id", "kind", "name"]].to_numpy().ravel())))
    content = "\x1e".join(rest).encode()
    return [content + bits for bits in _active_bits(_spans(ds), days)]


def _date_variants(ds: Any, records: list[str]) -> Iterator[tuple[str, Any, Any]]:
    """:func:`claim_variants` over the start and end dates of ``records`` (ties and
    memberships), without building each dataset: ``(label, make, keys)`` where ``make()`` builds
    the variant and ``keys(days)`` gives its :func:`_day_keys` from the changed dates alone."""
    roles = _schema()[0]
    base = _spans(ds)
    tables = list(_GRAPH_COLUMNS)
    where = {}  # (table, record) -> position of the table and of the row in it
    for t, table in enumerate(tables):
        frame = getattr(ds, table)
        where.update({(table, str(r)): (t, i)
                      for i, r in enumerate(frame[_key(table, frame)].astype(str))})
    for label, choice in _choices(ds, ["ties", "memberships"], ["start", "end"], records,
                                  4096, None, None):
        spans = [(start.copy(), end.copy()) for start, end in base] if choice else base
        for (table, record, column), value in choice.items():
            t, i = where[table, record]
            spans[t][column == "end"][i] = _bound(value, roles[table, column]).to_datetime64()
        yield label, functools.partial(apply_claims, ds, choice), functools.partial(
            _active_bits, spans)


def _restrict(ds: Any, nodes: Sequence[str]) -> Any:
    """The dataset with only the ties among ``nodes`` and the memberships of ``nodes``: all a
    graph needs for the signs among ``nodes`` (a direct tie, or co-membership in a bloc)."""
    ties = ds.ties[ds.ties["actor_a"].isin(nodes) & ds.ties["actor_b"].isin(nodes)]
    members = ds.memberships[ds.memberships["actor_id"].isin(nodes)]
    return dataclasses.replace(ds, ties=ties.reset_index(drop=True),
                               memberships=members.reset_index(drop=True))


def triad_spell_variants(ds: Any, nodes: Sequence[str] = ("ALB", "RUS", "YUG"),
                         start: str = "1945-01-01", end: str = "1992-12-31", *,
                         variants: Iterable[tuple[str, Any]] | None = None) -> pd.DataFrame:
    """The unbalanced spells of a triad under every combination of disputed tie and bloc dates.

    Parameters
    ----------
    ds
        An :class:`albru.Dataset`.
    nodes, start, end
        The triad and the span watched (as ``albru.network.triad_history`` takes them; a spell
        still running at ``end`` stops there).
    variants
        ``(label, dataset)`` pairs; by default :func:`claim_variants` over the start and end
        dates of the ties among ``nodes`` and of their bloc memberships.

    Returns
    -------
    pandas.DataFrame
        One row per variant (index ``variant``): ``spells`` (how many), ``longest_start``,
        ``longest_end``, ``longest_years`` (the longest spell; missing without one) and
        ``total_years``.

    Examples
    --------
    >>> import albru
    >>> t = triad_spell_variants(albru.load())
    >>> t.index[0], bool((t["spells"] >= 1).all())
    ('as recorded', True)
    """
    from albru import network

    if variants is None:
        variants = claim_variants(ds, tables=["ties", "memberships"], columns=["start", "end"],
                                  records=_relevant_records(ds, nodes, network.BLOCS))
    rows = []
    for label, variant in variants:
        history = network.triad_history(_restrict(variant, nodes), list(nodes), start, end)
        spells = network.unbalanced_spells(history, end)
        longest = spells.sort_values(["years", "start"], ascending=[False, True]).head(1)
        rows.append({
            "variant": label,
            "spells": len(spells),
            "longest_start": longest["start"].iloc[0] if len(spells) else pd.NaT,
            "longest_end": longest["end"].iloc[0] if len(spells) else pd.NaT,
            "longest_years": float(longest["years"].iloc[0]) if len(spells) else np.nan,
            "total_years": float(spells["years"].sum()),
        })
    return pd.DataFrame(rows).set_index("variant")


def distance_variants(ds: Any, years: Iterable[int], *, actor: str = "ALB",
                      other: str = "RUS", month_days: Sequence[str] = ("07-01",),
                      column: str = "distance",
                      variants: Iterable[tuple[str, Any]] | None = None) -> pd.DataFrame:
    """A yearly network series (by default the distance from Albania to Russia) under every
    combination of disputed tie and bloc dates, and on each snapshot day given.

    Parameters
    ----------
    ds
        An :class:`albru.Dataset`.
    years
        Years of the series.
    actor, other
        The two states (as ``albru.network.position_series`` takes them).
    month_days
        Snapshot days to try (``"MM-DD"``), a setting a reader could choose.
    column
        Column of ``position_series`` to keep (``distance``, ``friendly_distance``,
        ``n_allies`` ...).
    variants
        ``(label, dataset)`` pairs; by default :func:`claim_variants` over the start and end
        dates of all ties and bloc memberships.

    Returns
    -------
    pandas.DataFrame
        One row per variant and snapshot day (index ``variant``, ``month_day``; the first row
        is the data as recorded on the first day), one column per year; nullable integers
        (missing: no path).

    Examples
    --------
    >>> import albru
    >>> d = distance_variants(albru.load(), range(1960, 1963))
    >>> d.columns.tolist(), d.index[0]
    ([1960, 1961, 1962], ('as recorded', '07-01'))
    """
    from albru import network

    years = list(years)
    if variants is None:  # only dates change: keys come from the dates, datasets on demand
        entries = _date_variants(ds, _relevant_records(ds, None, network.BLOCS))
    else:
        entries = ((label, lambda variant=variant: variant,
                    functools.partial(_day_keys, variant)) for label, variant in variants)
    rows, keys, done = [], [], {}
    for label, make, day_keys_of in entries:
        for month_day in month_days:
            days = np.array([f"{year:04d}-{month_day}" for year in years], dtype="datetime64[ns]")
            day_keys = day_keys_of(days)
            new = {}  # years whose graph no earlier day or variant had, one per graph
            for year, key in zip(years, day_keys, strict=True):
                if key not in done:
                    new.setdefault(key, year)
            if new:
                found = network.position_series(make(), list(new.values()), actor=actor,
                                                other=other, month_day=month_day)
                done.update(zip(new, found[column], strict=True))
            rows.append([done[key] for key in day_keys])
            keys.append((label, month_day))
    index = pd.MultiIndex.from_tuples(keys, names=["variant", "month_day"])
    table = pd.DataFrame(rows, index=index, columns=pd.Index(years, name="year"), dtype=object)
    try:
        return table.astype("Int64")  # whole numbers, missing where there is no path
    except (TypeError, ValueError):
        return table.convert_dtypes()  # text columns such as ``allies``


# --------------------------------------------------------------------------- coding


def _cameo_table(ds: Any) -> pd.DataFrame | None:
    """The CAMEO code list (``cameo``, ``goldstein``), from the dataset or the data folder."""
    table = getattr(ds, "cameo", None)
    if table is None:
        from albru import data_dir

        path = data_dir() / "cameo.csv"
        if not path.exists():
            return None
        table = pd.read_csv(path, dtype={"cameo": str})
    return table


def alt_codes(ds: Any) -> pd.DataFrame:
    """The other defensible CAMEO codes named in ``coding_note`` (as ``alt=NNN``), with the
    Goldstein weight and quad class each would bring.

    An ``alt=`` on an event type applies to all its events; one on an event to that event.
    The weight comes from the CAMEO table (``ds.cameo`` or ``data/cameo.csv``; missing if
    neither has the code), the quad class from the event types using that code, else from
    the code's root (01-05 verbal cooperation, 06-08 material cooperation, 09-13 verbal
    conflict, 14-20 material conflict).

    Returns
    -------
    pandas.DataFrame
        One row per alternative: ``level`` (``event_type`` or ``event``), ``key`` (the type
        or event id), ``cameo``, ``alt_cameo``, ``alt_goldstein``, ``alt_quad_class``.

    Examples
    --------
    >>> import albru
    >>> list(alt_codes(albru.load()).columns)
    ['level', 'key', 'cameo', 'alt_cameo', 'alt_goldstein', 'alt_quad_class']
    """
    cameo = _cameo_table(ds)
    weight = {} if cameo is None else dict(zip(cameo["cameo"].astype(str),
                                               cameo["goldstein"].astype(float), strict=True))
    types = ds.event_types
    quad_of = dict(zip(types["cameo"].astype(str), types["quad_class"].astype("Int64"),
                       strict=True))
    rows = []
    for level, frame in (("event_type", types), ("event", ds.events)):
        if "coding_note" not in frame:
            continue
        ids = frame[_key("events" if level == "event" else "event_types", frame)]
        for key, code, note in zip(ids.astype(str), frame["cameo"].astype(str),
                                   frame["coding_note"], strict=True):
            for alt in _ALT.findall("" if pd.isna(note) else str(note)):
                rows.append((level, key, code, alt, weight.get(alt, np.nan),
                             quad_of.get(alt, _QUAD_OF_ROOT.get(alt[:2]))))
    return pd.DataFrame(rows, columns=["level", "key", "cameo", "alt_cameo", "alt_goldstein",
                                       "alt_quad_class"]).astype({"alt_quad_class": "Int64"})


def coding_variants(ds: Any, *, together: bool = True) -> Iterator[tuple[str, pd.DataFrame]]:
    """The events as coded, then recoded with each alternative CAMEO code of :func:`alt_codes`
    alone, then (``together=True``, when there are several) with all of them at once.

    A recoded event takes the alternative's ``cameo``, ``goldstein`` and ``quad_class``; an
    alternative without a known Goldstein weight keeps the event's weight (and says so in its
    label). In ``"all alternatives"``, an event type naming several takes the last one listed,
    and an event's own alternative wins over its type's.

    Returns
    -------
    iterator of (str, pandas.DataFrame)
        The label (``"as recorded"``, ``"E043: 111 for 161"``, ``"all alternatives"``) and an
        events frame.

    Examples
    --------
    >>> import albru
    >>> next(coding_variants(albru.load()))[0]
    'as recorded'
    """
    events = ds.events
    yield AS_RECORDED, events
    alts = alt_codes(ds)
    if alts.empty:
        return
    ids = events[_key("events", events)].astype(str)
    types = events["event_type"].astype(str)
    recoded = events.copy()
    for alt in alts.itertuples():
        rows = (ids == alt.key) if alt.level == "event" else (types == alt.key)
        one = events.copy()
        label = f"{alt.key}: {alt.alt_cameo} for {alt.cameo}"
        for frame in (one, recoded):
            frame.loc[rows, "cameo"] = alt.alt_cameo
            if not pd.isna(alt.alt_goldstein):
                frame.loc[rows, "goldstein"] = alt.alt_goldstein
            if not pd.isna(alt.alt_quad_class):
                frame.loc[rows, "quad_class"] = alt.alt_quad_class
        if pd.isna(alt.alt_goldstein):
            label += " (weight unknown, kept)"
        yield label, one
    if together and len(alts) > 1:
        yield "all alternatives", recoded
