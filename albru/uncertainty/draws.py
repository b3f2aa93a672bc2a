"""The draw kit: days drawn inside date ranges, settings drawn among choices, quantile bands.

>>> ev = pd.DataFrame({"start": pd.to_datetime(["1970-01-01"]),
...                    "end": pd.to_datetime(["1970-01-03"])})
>>> sorted(set(draw_days(ev, 100, seed=0)[:, 0].tolist()))
[0, 1, 2]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from albru import dates

__all__ = ["SEED", "Seed", "band", "draw_days", "draw_settings", "years_of_days"]

#: Anything :func:`numpy.random.default_rng` accepts: an integer, a generator, or None.
Seed = int | np.random.Generator | None
#: The one default seed of every draw function: the same call gives the same draws.
SEED = 0


def _days(values: pd.Series | np.ndarray) -> np.ndarray:
    """Day numbers (days since 1970-01-01, int64) of datetime values."""
    return np.asarray(values, dtype="datetime64[D]").astype(np.int64)


def draw_days(events: pd.DataFrame, n: int, seed: Seed = SEED, *, start: str = "start",
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



def draw_settings(n: int, seed: Seed = SEED, **choices: Sequence[object]) -> pd.DataFrame:
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
