"""Change points of drawn series, found by :mod:`albru.changepoints` for all draws at once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from albru import changepoints

__all__ = ["shift_checks", "shift_draws", "shift_support"]


def shift_draws(series: pd.DataFrame, *, min_size: int | Sequence[int] = 3,
                max_shifts: int | Sequence[int] = 6, penalty: float | Sequence[float] = 1.0,
                n_shifts: int | Sequence[int] | None = None, chunk: int = 512) -> pd.DataFrame:
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
        Draws fitted together (memory grows with ``chunk * years * max_shifts``), as in
        :func:`albru.changepoints.shift_matrix`.

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


def shift_checks(series: Mapping[str, pd.DataFrame], years: Iterable[int], *,
                 settings: Mapping[str, Mapping[str, object]] | None = None,
                 within: int = 2) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """How well the shifts found in a series survive other readings of it: one row per check.

    Every check is a set of series (drawn, recoded, with an event left out ...) fitted with its
    own settings; all are fitted in one call of :func:`albru.changepoints.shift_matrix`, which
    runs the dynamic program once for each distinct series and shortest run, so checks that
    differ only in the penalty share their work.

    Parameters
    ----------
    series
        For each check (by label), its series: one row per draw or variant, one column per year.
    years
        The shifts asked about (e.g. those of the recorded series).
    settings
        For some checks, keywords of :func:`shift_draws` (``min_size``, ``max_shifts``,
        ``penalty``, ``n_shifts``): one value, or one per row of that check's series.
    within
        Half-width of the window in years, as in :func:`shift_support`.

    Returns
    -------
    tuple of (pandas.DataFrame, dict)
        The table, indexed by ``check``: one column per year of ``years`` (the share of rows
        with a shift within the window), ``draws`` (rows) and ``most frequent shifts`` (the
        commonest set of shift years, with its share); and each check's shifts, as
        :func:`shift_draws` gives them.

    Examples
    --------
    >>> y = pd.DataFrame([[1.0] * 6 + [-3.0] * 4 + [2.0] * 5], columns=range(1950, 1965))
    >>> table, hits = shift_checks({"as is": y, "runs of 5+": y}, [1956, 1960],
    ...                            settings={"runs of 5+": {"min_size": 5}})
    >>> table
                1956  1960  draws most frequent shifts
    check
    as is        1.0   1.0      1    1956, 1960 (100%)
    runs of 5+   1.0   1.0      1    1955, 1960 (100%)
    """
    settings = settings or {}
    labels = list(series)
    columns = series[labels[0]].columns
    if any(not series[label].columns.equals(columns) for label in labels):
        raise ValueError("every check needs the same years")
    sizes = [len(series[label]) for label in labels]
    keywords: dict[str, list[np.ndarray]] = {}
    for name, default in (("min_size", 3), ("max_shifts", 6), ("penalty", 1.0)):
        keywords[name] = [np.broadcast_to(settings.get(label, {}).get(name, default), (size,))
                          for label, size in zip(labels, sizes, strict=True)]
    fixed = [settings.get(label, {}).get("n_shifts") for label in labels]
    if any(f is not None for f in fixed) and any(f is None for f in fixed):
        raise ValueError("n_shifts must be given for every check or for none")
    if fixed[0] is not None:
        keywords["n_shifts"] = [np.broadcast_to(f, (size,)) for f, size in zip(fixed, sizes,
                                                                               strict=True)]
    values = np.vstack([series[label].to_numpy(dtype=float) for label in labels])
    flags = changepoints.shift_matrix(values, **{k: np.concatenate(v)
                                                 for k, v in keywords.items()})
    hits, rows, at = {}, [], 0
    names = np.array([str(c) for c in columns], dtype=object)
    # a row's set of shift years as one key (its flags packed into bytes; a spare False column
    # keeps a key when there are no years), so each distinct set is written out once
    packed = np.packbits(np.column_stack([flags, np.zeros(len(flags), dtype=bool)]), axis=1)
    keys = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()
    for label, size in zip(labels, sizes, strict=True):
        shifts = pd.DataFrame(flags[at:at + size], index=series[label].index, columns=columns)
        hits[label] = shifts
        first, which = np.unique(keys[at:at + size], return_index=True, return_inverse=True)[1:]
        text = np.array([", ".join(names[flags[at + i]]) for i in first], dtype=object)
        sets = pd.Series(text[which.ravel()])
        at += size
        top = sets.value_counts(normalize=True)
        rows.append({"check": label, **shift_support(shifts, years, within)["share"].to_dict(),
                     "draws": size, "most frequent shifts": f"{top.index[0]} ({top.iloc[0]:.0%})"})
    return pd.DataFrame(rows).set_index("check"), hits
