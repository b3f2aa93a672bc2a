"""Change points of an annual series: where its mean shifts, and how many shifts it supports.

The detector is exact least squares over every way to cut the series into runs of at least
``min_size`` values (optimal partitioning by dynamic programming), with the Bayesian information
criterion choosing the number of shifts. It knows nothing of eras; :func:`compare_shifts` puts
the shifts it finds next to the historians' era boundaries.

>>> y = pd.Series([1.0] * 6 + [-3.0] * 4 + [2.0] * 5, index=range(1950, 1965))
>>> find_shifts(y, 2)["year"].tolist()
[1956, 1960]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import NamedTuple

import numpy as np
import pandas as pd

from albru.dates import decimal_year
from albru.eras import annual_net_cooperation

__all__ = ["compare_shifts", "find_shifts", "segment_means", "shift_matrix", "shift_table",
           "shift_variants"]


#: Cells (run ends x run starts x series) the dynamic program handles in one step: the ends
#: of a step are as many as keep its arrays near this size, so a large batch takes one end at a
#: time (its series side by side in memory) and a single series takes all its ends at once.
_CELLS = 1 << 16


class _Sums(NamedTuple):
    """Cumulative sums of a batch of series (a leading zero, then one per value), of the values
    and of their squares, and each series' shortest run: all a run's squared error needs."""

    cs1: np.ndarray
    cs2: np.ndarray
    min_size: np.ndarray

    def last_runs(self, rows: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Squared error of the runs ``y[r, i:ends[r]]`` for every start ``i``, one row each
        (inf for a run shorter than allowed): ``sum(y**2) - sum(y)**2 / length``, the same
        arithmetic as :func:`_costs`."""
        length = ends[:, None] - np.arange(self.cs1.shape[1])[None, :]
        s = self.cs1[rows, ends][:, None] - self.cs1[rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            sse = (self.cs2[rows, ends][:, None] - self.cs2[rows]) - s * s / length
        sse[length < self.min_size[rows][:, None]] = np.inf
        return sse


def _costs(y: np.ndarray, min_size: np.ndarray, top: int) -> tuple[np.ndarray, _Sums]:
    """The dynamic program of optimal partitioning, for a batch of series at once.

    ``y`` holds one series per row (shape ``(d, n)``), ``min_size`` the shortest run of each.
    Returns ``cost`` of shape ``(top + 1, n + 1, d)``: ``cost[k, j, r]`` is the least squared
    error of cutting ``y[r, :j]`` into ``k + 1`` runs (inf where they cannot fit; at ``k = top``
    only ``j = n`` is filled, the one end a caller reads there), and the sums that give any
    run's error. The series lie side by side (the last axis), so each step adds
    and takes minima over whole rows of them; a step's run costs, laid out
    ``[end, start, series]``, are computed once and serve every ``k``."""
    d, n = y.shape
    shortest = max(int(min_size.min()), 1) if d else 1
    uneven = bool((min_size != shortest).any())
    zero = np.zeros((d, 1))
    sums = _Sums(np.concatenate([zero, np.cumsum(y, axis=1)], axis=1),
                 np.concatenate([zero, np.cumsum(y * y, axis=1)], axis=1), min_size)
    cs1, cs2 = sums.cs1.T.copy(), sums.cs2.T.copy()  # (n + 1, d)
    cost = np.full((top + 1, n + 1, d), np.inf)
    step = max(1, _CELLS // ((n + 1) * max(d, 1)))
    for j0 in range(shortest, n + 1, step):  # cost[:, j] stays inf below the shortest run
        ends = np.arange(j0, min(j0 + step, n + 1))
        m = ends[-1] - shortest + 1  # the starts of a run of the shortest length or more
        length = (ends[:, None] - np.arange(m))[:, :, None]
        s = cs1[ends, None] - cs1[None, :m]
        sse = cs2[ends, None] - cs2[None, :m]  # sum(y**2) - sum(y)**2 / length, in place
        with np.errstate(divide="ignore", invalid="ignore"):
            np.multiply(s, s, out=s)
            np.divide(s, length, out=s)
            np.subtract(sse, s, out=sse)
        if uneven:
            np.putmask(sse, length < min_size, np.inf)
        else:
            sse[length[:, :, 0] < shortest] = np.inf
        cost[0, ends] = sse[:, 0]
        for k in range(1, top + 1):  # the last run starts at i, after k runs of >= shortest
            i = k * shortest  # before it cost[k - 1] is inf
            if i >= m or (k == top and ends[-1] < n):
                break  # cost[k:] stays inf for these ends
            at = slice(-1, None) if k == top else slice(None)  # the top level: at n alone
            out = s[at, i:]
            np.add(cost[k - 1, None, i:m], sse[at, i:], out=out)
            cost[k, ends[at]] = out.min(axis=1)
    return cost, sums


def _trace(cost: np.ndarray, sums: _Sums, best: np.ndarray,
           columns: np.ndarray | None = None) -> np.ndarray:
    """Shift positions (boolean, ``(d, n)``) of each row's best segmentation into
    ``best[r] + 1`` runs, recovered along its optimal path (the earliest split among ties).
    Row ``r`` reads column ``columns[r]`` of ``cost`` (by default column ``r``)."""
    top, n, d = cost.shape[0] - 1, cost.shape[1] - 1, len(best)
    columns = np.arange(d) if columns is None else columns
    shifts = np.zeros((d, n + 1), dtype=bool)
    at = np.full(d, n)
    for level in range(top, 0, -1):
        rows = np.flatnonzero(best >= level)
        if not len(rows):
            continue
        ends = at[rows]
        c = cost[level - 1][:, columns[rows]].T + sums.last_runs(rows, ends)
        low = cost[level][ends, columns[rows]]
        at[rows] = np.argmax(c <= low[:, None] + 1e-9, axis=1)
        shifts[rows, at[rows]] = True
    return shifts[:, :n]


def _bic(total: np.ndarray, n: int, penalty: np.ndarray | float = 1.0) -> np.ndarray:
    """BIC of fits with k = 0, 1 ... shifts (the last axis of ``total``, their squared errors)
    over ``n`` values: ``n ln(sse / n) + penalty (2k + 2) ln n``."""
    k = np.arange(total.shape[-1])
    with np.errstate(divide="ignore"):
        return n * np.log(np.maximum(total, 1e-12) / n) + np.asarray(penalty)[..., None] * (
            2 * k + 2) * np.log(n)


def _per_row(value: object, rows: int, name: str, kind: type) -> np.ndarray:
    """A setting as one value per row."""
    out = np.asarray(value, dtype=kind)
    if out.ndim > 1 or (out.ndim == 1 and out.shape != (rows,)):
        raise ValueError(f"{name}: need one value or one per draw ({rows})")
    return np.broadcast_to(out, (rows,))


def shift_matrix(values: np.ndarray, *, min_size: int | Sequence[int] = 3,
                 max_shifts: int | Sequence[int] = 6, penalty: float | Sequence[float] = 1.0,
                 n_shifts: int | Sequence[int] | None = None, chunk: int = 512) -> np.ndarray:
    """The mean shifts of many series at once: the same fit as :func:`find_shifts`.

    Parameters
    ----------
    values
        One series per row, shape ``(d, n)``, without missing values.
    min_size, max_shifts, n_shifts
        As in :func:`find_shifts`, one value or one per row.
    penalty
        Multiplies BIC's charge per parameter, ``(2k + 2) ln n``: 1 is :func:`shift_table`'s
        BIC, larger values ask more of the data before a shift is accepted. One value or one
        per row.
    chunk
        Rows fitted together (memory grows with ``chunk * n * max_shifts``; at 512 each step
        of the dynamic program, one run end for all rows, works within the processor cache
        for series of about a century).

    Returns
    -------
    numpy.ndarray
        Booleans shaped like ``values``: True in the first position of each new run.

    Examples
    --------
    >>> y = np.array([[1.0] * 6 + [-3.0] * 4 + [2.0] * 5, [0.0] * 10 + [5.0] * 5])
    >>> [np.flatnonzero(row).tolist() for row in shift_matrix(y, n_shifts=[2, 1])]
    [[6, 10], [10]]
    """
    values = np.asarray(values, dtype=float)
    d, n = values.shape
    if np.isnan(values).any():
        raise ValueError("the series has missing values")
    min_size = _per_row(min_size, d, "min_size", np.int64)
    max_shifts = _per_row(max_shifts, d, "max_shifts", np.int64)
    penalty = _per_row(penalty, d, "penalty", float)
    fixed = None if n_shifts is None else _per_row(n_shifts, d, "n_shifts", np.int64)
    if (min_size < 1).any() or (max_shifts < 0).any():
        raise ValueError("need min_size >= 1 and max_shifts >= 0")
    if not d:
        return np.zeros((0, n), dtype=bool)
    if fixed is None:
        top = max(0, min(int(max_shifts.max()), int(n // min_size.min()) - 1))
    else:
        top = int(fixed.max())
    # the dynamic program depends on a series and its shortest run alone: run it once for each
    # distinct pair, then let every row's own max_shifts, penalty or n_shifts pick its fit
    seen: dict[bytes, int] = {}
    which = np.array([seen.setdefault(row.tobytes(), len(seen))
                      for row in np.column_stack([values, min_size])], dtype=np.int64)
    first = np.unique(which, return_index=True)[1]  # the first row of each distinct pair
    order = np.argsort(min_size[first], kind="stable")  # chunks of one shortest run, mostly
    first, which = first[order], np.argsort(order)[which]
    out = np.zeros((d, n), dtype=bool)
    for a in range(0, len(first), chunk):
        b = min(a + chunk, len(first))
        cost, sums = _costs(values[first[a:b]], min_size[first[a:b]], top)
        rows = np.flatnonzero((which >= a) & (which < b))
        local = which[rows] - a
        total = cost[:, n].T[local]  # (rows, k)
        if fixed is None:
            bic = _bic(total, n, penalty[rows])
            bic[~np.isfinite(total) | (np.arange(top + 1) > max_shifts[rows, None])] = np.inf
            best = np.argmin(bic, axis=1)
        else:
            best = fixed[rows]
            if not np.isfinite(total[np.arange(len(rows)), best]).all():
                raise ValueError("a series is too short for the number of shifts asked")
        fits, back = np.unique(local * (top + 1) + best, return_inverse=True)
        at, k = np.divmod(fits, top + 1)
        picked = _Sums(sums.cs1[at], sums.cs2[at], sums.min_size[at])
        out[rows] = _trace(cost, picked, k, at)[back.ravel()]
    return out


def shift_table(series: pd.Series, max_shifts: int, min_size: int = 3) -> pd.DataFrame:
    """For k = 0 .. max_shifts mean shifts: the error of the best fit and its BIC.

    ``bic = n * ln(sse / n) + (2k + 2) * ln(n)`` for n years: the fit's error, charged for its
    2k + 2 parameters (k + 1 run means, k shift years, one noise variance). The k with the
    lowest ``bic`` is the number of shifts the data supports under that rule. The ``sse`` can
    rise with k when ``min_size`` forces a cut through a flat run.

    Parameters
    ----------
    series
        Values indexed by year, without gaps or missing values.
    max_shifts
        The largest number of shifts to try.
    min_size
        The shortest run, in values.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``shifts`` (0 .. max_shifts), columns ``sse`` and ``bic``.

    Examples
    --------
    >>> y = pd.Series([0.0] * 5 + [4.0] * 5, index=range(2000, 2010)) + [0, .1, 0, -.1, 0] * 2
    >>> t = shift_table(y, 2, min_size=2)
    >>> t["sse"].round(2).tolist(), int(t["bic"].idxmin())
    ([40.04, 0.04, 0.03], 1)
    """
    _check_fit(series, max_shifts, min_size)
    cost, _ = _costs(series.to_numpy(float)[None, :], np.array([min_size]), max_shifts)
    sse = cost[:, -1, 0]
    return pd.DataFrame({"sse": sse, "bic": _bic(sse, len(series))},
                        index=pd.Index(np.arange(max_shifts + 1), name="shifts"))


def _check_fit(series: pd.Series, n_shifts: int, min_size: int) -> None:
    if min_size < 1 or n_shifts < 0:
        raise ValueError("need min_size >= 1 and n_shifts >= 0")
    if len(series) < (n_shifts + 1) * min_size:
        raise ValueError(f"{len(series)} values cannot hold {n_shifts + 1} runs of {min_size}")
    if series.isna().any():
        raise ValueError("the series has missing values")


def find_shifts(series: pd.Series, n_shifts: int | None = None, min_size: int = 3,
                max_shifts: int = 6) -> pd.DataFrame:
    """The mean shifts that best explain an annual series, by exact least squares.

    Among all ways to cut the series into ``n_shifts + 1`` runs of at least ``min_size``
    consecutive values, take the one whose runs, each replaced by its mean, leave the smallest
    sum of squared residuals (optimal partitioning by dynamic programming; deterministic, the
    earliest cut wins a tie).

    Parameters
    ----------
    series
        Values indexed by year, without gaps or missing values.
    n_shifts
        How many shifts; ``None`` lets :func:`shift_table`'s BIC choose up to ``max_shifts``.
    min_size
        The shortest run, in values.
    max_shifts
        The most shifts the BIC may choose.

    Returns
    -------
    pandas.DataFrame
        One row per shift: ``year`` (first year of the new run), ``before`` and ``after``
        (the run means) and ``change`` (after - before).

    Examples
    --------
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
    y = series.to_numpy(float)[None, :]
    cost, sums = _costs(y, np.array([min_size]), n_shifts)
    splits = np.flatnonzero(_trace(cost, sums, np.array([n_shifts]))[0]).tolist()
    bounds = [0, *splits, len(series)]
    means = [float(series.iloc[a:b].mean()) for a, b in pairwise(bounds)]
    rows = [
        (int(series.index[s]), means[i], means[i + 1], means[i + 1] - means[i])
        for i, s in enumerate(splits)
    ]
    return pd.DataFrame(rows, columns=["year", "before", "after", "change"])


def segment_means(series: pd.Series, shift_years: Iterable[int]) -> pd.Series:
    """The series replaced by the mean of each run between shifts (for drawing the fit).

    Parameters
    ----------
    series
        Values indexed by year.
    shift_years
        First years of the new runs (as :func:`find_shifts` gives them).

    Returns
    -------
    pandas.Series
        ``segment_mean``, indexed like ``series``.

    Examples
    --------
    >>> y = pd.Series([1.0, 3.0, 5.0, 7.0], index=range(2000, 2004))
    >>> segment_means(y, [2002]).tolist()
    [2.0, 2.0, 6.0, 6.0]
    """
    run = np.searchsorted(np.sort(list(shift_years)), series.index.to_numpy(), side="right")
    return series.groupby(run).transform("mean").rename("segment_mean")


def compare_shifts(shift_years: Iterable[int], eras: pd.DataFrame) -> pd.DataFrame:
    """For each detected shift, the nearest era boundary and the signed distance to it in years.

    A shift in year Y sits at 1 January of Y; an era boundary at the first day of the era that
    begins there, as a fractional year.

    Parameters
    ----------
    shift_years
        Years of the shifts.
    eras
        The eras table (at least two eras).

    Returns
    -------
    pandas.DataFrame
        ``year``, ``era_id`` (the era that begins at the nearest boundary), ``boundary`` (its
        first day) and ``distance`` = shift - boundary in years, negative when the data turns
        before the historians' boundary.

    Examples
    --------
    >>> from albru.examples import toy_frames
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
    """The shifts the BIC picks for each named events table, multi-year events spread or left out.

    Parameters
    ----------
    events
        Named events frames (e.g. the dyad's events and all events).
    eras
        The eras table.
    years
        The years of the annual series.
    min_size, max_shifts
        As in :func:`find_shifts`.

    Returns
    -------
    pandas.DataFrame
        One row per table and treatment (``spread``, ``exclude``): the shift years and their
        signed distances to the nearest era boundary, so one can see which shifts survive.

    Examples
    --------
    >>> from albru.examples import toy_frames
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
