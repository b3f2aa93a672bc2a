"""Incident counts and quiet spells under date draws, for the analyses of
:mod:`albru.incidents`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from albru.dates import DAYS_PER_YEAR
from albru.uncertainty.draws import SEED, Seed, _days, draw_days, years_of_days

__all__ = ["bin_count_draws", "quiet_spell_draws"]


def bin_count_draws(events: pd.DataFrame, width: int = 1, span: tuple[int, int] | None = None,
                    n: int = 1000, seed: Seed = SEED, origin: int = 0,
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



def quiet_spell_draws(events: pd.DataFrame, n: int = 1000, seed: Seed = SEED, *,
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
