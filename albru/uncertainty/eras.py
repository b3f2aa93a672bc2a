"""Per-year and per-era results under date draws, for the analyses of :mod:`albru.eras`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from albru._compat import level_of, record_end
from albru.dates import DAYS_PER_YEAR
from albru.stats import poisson_tail
from albru.uncertainty.draws import SEED, Seed, _days, band, draw_days, years_of_days

__all__ = ["annual_net_band", "annual_net_draws", "era_rate_band", "era_rate_draws",
           "leave_one_out"]


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
                     seed: Seed = SEED, weights: str | Sequence[float] = "goldstein",
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
                    seed: Seed = SEED, weights: str | Sequence[float] = "goldstein",
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



def _era_days(eras: pd.DataFrame, as_of: pd.Timestamp) -> tuple[np.ndarray, np.ndarray]:
    """First and last day numbers of each era (an open era closes at ``as_of``)."""
    stop = eras["end"].fillna(pd.Timestamp(as_of))
    return _days(eras["start"]), _days(stop)


def era_rate_draws(events: pd.DataFrame, eras: pd.DataFrame,
                   as_of: pd.Timestamp | None = None, n: int = 1000, seed: Seed = SEED,
                   days: np.ndarray | None = None, *,
                   weights: str | Sequence[float] | np.ndarray | None = None,
                   until: pd.Timestamp | None = None) -> pd.DataFrame:
    """Events per era, once per date draw: each event counts in the era of its drawn day.

    With ``weights``, each era sums its events' weights instead (e.g. its net Goldstein sum).

    An event whose range crosses an era boundary thus counts, draw by draw, in one of the eras
    its range touches, in proportion to its days in each. Events whose recorded era is missing
    (a straddler) need no special rule.

    Parameters
    ----------
    events
        Frame with ``start`` and ``end`` (e.g. the incidents).
    eras
        Frame shaped like ``albru.load().eras``, in time order; the last era may be open.
    as_of
        The day the record is complete to (``albru.load().as_of``): closes an open era. A drawn
        day after it, or before the first era, raises ``ValueError``.
    n, seed, days
        As in :func:`annual_net_draws`.
    weights
        ``None`` to count events; else as in :func:`annual_net_draws` (``"goldstein"``,
        ``"count"`` or one number per event).
    until
        Deprecated: ``as_of``.

    Returns
    -------
    pandas.DataFrame
        Counts (or summed weights), one row per draw, one column per era (columns ``era_id``).

    Examples
    --------
    >>> eras = pd.DataFrame({"era_id": ["a", "b"], "start": pd.to_datetime(["1950", "1960"]),
    ...                      "end": pd.to_datetime(["1959-12-31", None])})
    >>> ev = pd.DataFrame({"start": pd.to_datetime(["1955-01-01", "1959-01-01"]),
    ...                    "end": pd.to_datetime(["1955-01-01", "1960-12-31"])})
    >>> c = era_rate_draws(ev, eras, pd.Timestamp("1969-12-31"), n=2000, seed=0)
    >>> sorted(c["a"].unique().tolist()), round(float(c["b"].mean()), 1)
    ([1, 2], 0.5)
    >>> ev["goldstein"] = [2.0, -5.0]
    >>> s = era_rate_draws(ev, eras, pd.Timestamp("1969-12-31"), n=2000, seed=0,
    ...                    weights="goldstein")
    >>> sorted(s["a"].unique().tolist())
    [-3.0, 2.0]
    """
    first, last = _era_days(eras, pd.Timestamp(record_end("era_rate_draws", as_of, until)))
    if days is None:
        days = draw_days(events, n, seed)
    where = np.searchsorted(first, days, side="right") - 1
    if days.size and ((where < 0) | (days > last[np.clip(where, 0, None)])).any():
        raise ValueError("a drawn day falls outside every era (before the first, after `as_of`"
                         " or in a gap between eras)")
    draws, k = days.shape[0], len(first)
    flat = (np.arange(draws)[:, None] * k + where).ravel()
    per_event = None if weights is None else np.broadcast_to(_weights(events, weights),
                                                             days.shape).ravel()
    counts = np.bincount(flat, weights=per_event, minlength=draws * k).reshape(draws, k)
    return pd.DataFrame(counts, index=pd.RangeIndex(draws, name="draw"),
                        columns=pd.Index(eras["era_id"].astype(str).tolist(), name="era_id"))


def _mixture_quantile(counts: np.ndarray, shape_shift: int, q: float, levels: int = 4) -> float:
    """The ``q`` quantile of an equal mixture of Gamma(count + shape_shift, 1) distributions
    (a Gamma of shape 0 is a point mass at 0), by bisection.

    The bisection goes ``levels`` halvings at a time: the distribution function is computed
    in one call at every midpoint those halvings could visit (``2**levels - 1`` of them), then
    the halvings are taken one by one as a plain bisection would take them, with the same
    midpoints, the same decisions and the same stopping rule."""
    shapes, weight = np.unique(counts + shape_shift, return_counts=True)
    weight = weight / weight.sum()
    inside = shapes > 0

    def cdf(x: np.ndarray) -> np.ndarray:
        tail = poisson_tail(shapes[inside][None, :], x[:, None])
        return weight[~inside].sum() + (weight[inside] * tail).sum(axis=1)

    lo, hi = 0.0, float(shapes.max()) + 10.0 * np.sqrt(float(shapes.max()) + 1.0) + 10.0
    if cdf(np.zeros(1))[0] >= q:
        return 0.0
    steps = 0
    while True:
        spans, mids = [(lo, hi)], []
        for k in range(2**levels - 1):  # in heap order: the halves of span k are 2k+1, 2k+2
            a, b = spans[k]
            mids.append((a + b) / 2)
            spans += [(a, mids[k]), (mids[k], b)]
        above = cdf(np.array(mids)) >= q
        k = 0
        for _ in range(levels):
            lo, hi, k = (lo, mids[k], 2 * k + 1) if above[k] else (mids[k], hi, 2 * k + 2)
            steps += 1
            if hi - lo < 1e-10 * max(1.0, hi) or steps == 200:
                return (lo + hi) / 2


def era_rate_band(counts: pd.DataFrame, eras: pd.DataFrame,
                  as_of: pd.Timestamp | None = None, level: float = 0.95, *,
                  alpha: float | None = None, until: pd.Timestamp | None = None) -> pd.DataFrame:
    """Per-era rates with date and Poisson uncertainty together.

    The interval generalises the exact (Garwood) Poisson interval to a count that varies with
    the dates: its lower end is the ``(1 - level) / 2`` quantile of the mixture, over draws, of the
    Gamma(k) distributions whose quantile gives Garwood's lower bound for a count k, and its
    upper end the ``(1 + level) / 2`` quantile of the mixture of Gamma(k + 1). When every draw
    gives the same count, it is Garwood's interval exactly.

    Parameters
    ----------
    counts
        Per-era counts from :func:`era_rate_draws`.
    eras, as_of
        As given to :func:`era_rate_draws` (era lengths as ``albru.eras.era_spans`` measures).
    level
        The coverage of the interval.
    alpha
        Deprecated: ``1 - level``.
    until
        Deprecated: ``as_of``.

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
    first, last = _era_days(eras, pd.Timestamp(record_end("era_rate_band", as_of, until)))
    years = (last - first + 1) / DAYS_PER_YEAR
    ids = eras["era_id"].astype(str).tolist()
    values = counts[ids].to_numpy(dtype=np.int64)
    tail = round((1 - level_of("era_rate_band", alpha, level)) / 2, 12)  # 0.025 exactly
    lower = [_mixture_quantile(values[:, e], 0, tail) for e in range(len(ids))]
    upper = [_mixture_quantile(values[:, e], 1, 1 - tail) for e in range(len(ids))]
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


def leave_one_out(events: pd.DataFrame, column: str = "goldstein",
                  key: str = "event_id") -> pd.DataFrame:
    """Weights that leave one event out at a time, for ``albru.eras.annual_net_cooperation``.

    Parameters
    ----------
    events
        An events frame.
    column
        The weights left out in turn.
    key
        The column naming each variant (the event left out).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``events``, one column per event (named by ``key``): that event's weight 0,
        every other as recorded.

    Examples
    --------
    >>> ev = pd.DataFrame({"event_id": ["E1", "E2"], "goldstein": [3.0, -7.0]})
    >>> leave_one_out(ev).values.tolist()
    [[0.0, 3.0], [-7.0, 0.0]]
    """
    w = events[column].to_numpy(dtype=float)
    return pd.DataFrame(np.where(np.eye(len(w), dtype=bool), 0.0, w[:, None]), index=events.index,
                        columns=pd.Index(events[key].astype(str), name=key))
