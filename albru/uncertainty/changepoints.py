"""Change points of drawn series, found by :mod:`albru.changepoints` for all draws at once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from albru import changepoints

__all__ = ["shift_draws", "shift_support"]


def shift_draws(series: pd.DataFrame, *, min_size: int | Sequence[int] = 3,
                max_shifts: int | Sequence[int] = 6, penalty: float | Sequence[float] = 1.0,
                n_shifts: int | Sequence[int] | None = None, chunk: int = 128) -> pd.DataFrame:
    """The mean shifts of each drawn series, found by :func:`albru.changepoints.shift_matrix`
    (the dynamic program of ``find_shifts``: exact least squares, the number of shifts by
    BIC), for all draws at once.

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
    shifts = changepoints.shift_matrix(series.to_numpy(dtype=float), min_size=min_size,
                                       max_shifts=max_shifts, penalty=penalty,
                                       n_shifts=n_shifts, chunk=chunk)
    return pd.DataFrame(shifts, index=series.index, columns=series.columns)


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
