"""Ideal points of Bailey, Strezhnev and Voeten (2017) and the distance between two states.

An ideal point places a state on one dimension, per session, from all its votes, with roll
calls linked across sessions so that positions are comparable over time; year-to-year changes
in the agenda, which move S scores, move ideal points much less. The extract
(``data/external/idealpoints/``) keeps the posterior mean and quantiles of each estimate.

>>> ideal_distance().loc[[46, 74], ["year", "distance"]].round(2)
         year  distance
session
46       1991      0.31
74       2019      1.04
"""

from __future__ import annotations

import functools
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd

from albru.dataset import data_dir as _data_dir
from albru.dyad import A, B
from albru.validation import AlbruDataError, Problem
from albru.votes.core import code_of

__all__ = ["ideal_distance", "load_ideal_points", "session_year"]

_FILE = "external/idealpoints/ideal_points.csv"
_NUMBERS = ("ideal_point", "q05", "q10", "q50", "q90", "q95")
_INTEGERS = ("cow_code", "session", "n_votes")


def session_year(session: int | np.ndarray | pd.Series) -> int | np.ndarray | pd.Series:
    """The calendar year a General Assembly session opened (session 1 in 1946).

    >>> session_year(16), session_year(74)
    (1961, 2019)
    """
    return session + 1945


@functools.lru_cache(maxsize=4)
def _load(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise AlbruDataError([Problem(_FILE, None, None, None, f"file missing at {path}")])
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    problems = [Problem(_FILE, 1, c, None, "column missing")
                for c in ("code", *_INTEGERS, *_NUMBERS) if c not in table.columns]
    if problems:
        raise AlbruDataError(problems)
    for column in (*_INTEGERS, *_NUMBERS):
        values = pd.to_numeric(table[column], errors="coerce")
        bad = values.isna()
        if column in _INTEGERS:
            bad |= values != values.round()
        for row in np.flatnonzero(bad.to_numpy())[:50]:
            problems.append(Problem(_FILE, int(row) + 2, column, table[column].iloc[row],
                                    "not an integer" if column in _INTEGERS else "not a number"))
        table[column] = values
    for row in np.flatnonzero(table.duplicated(["code", "session"]).to_numpy())[:50]:
        problems.append(Problem(_FILE, int(row) + 2, "session", table["session"].iloc[row],
                                "state and session repeated"))
    if problems:
        raise AlbruDataError(problems)
    table = table.astype({c: int for c in _INTEGERS})
    table["year"] = session_year(table["session"])
    return table


def load_ideal_points(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The shipped ideal-point extract, typed and checked (read once, then cached).

    Columns ``code``, ``cow_code``, ``session``, ``n_votes``, ``ideal_point`` (posterior
    mean), ``q05`` ... ``q95`` (posterior quantiles) and ``year`` (:func:`session_year`).

    >>> load_ideal_points().query("code == 'ALB'")["session"].agg(["min", "max"]).tolist()
    [11, 74]
    """
    root = Path(data_dir) if data_dir is not None else Path(_data_dir())
    return _load((root / _FILE).resolve()).copy()


def ideal_distance(a: str | int = A, b: str | int = B, *, level: float = 0.9,
                   table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The two states' ideal points per session and the distance between them.

    The release publishes quantiles for each state, not joint draws, so the interval of the
    difference treats the two posteriors as independent and normal, with standard deviations
    read from their 5% and 95% quantiles; ``level`` above 0.9 goes beyond what the quantiles
    show. The distance interval is the interval of the absolute difference (from 0 where the
    difference's interval spans 0).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``session`` where both have an estimate: ``year``, ``ideal_a``,
        ``ideal_b``, ``difference`` (a - b), ``distance``, ``distance_lo``, ``distance_hi``.

    Examples
    --------
    >>> d = ideal_distance()
    >>> inside = (d["distance_lo"] <= d["distance"]) & (d["distance"] <= d["distance_hi"])
    >>> bool(inside.all())
    True
    """
    table = load_ideal_points() if table is None else table
    known = set(table["code"])
    codes = [s if isinstance(s, str) and s in known else code_of(s) for s in (a, b)]
    one, two = (table[table["code"] == c].set_index("session") for c in codes)
    both = one.index.intersection(two.index)
    one, two = one.loc[both], two.loc[both]
    ndtri = NormalDist().inv_cdf  # the normal quantile, without scipy's 0.3 s import
    z90 = ndtri(0.95)
    spread = np.sqrt(((one["q95"] - one["q05"]) / (2 * z90)) ** 2
                     + ((two["q95"] - two["q05"]) / (2 * z90)) ** 2)
    difference = one["ideal_point"] - two["ideal_point"]
    half = ndtri(0.5 + level / 2) * spread
    lo, hi = difference - half, difference + half
    crosses = (lo < 0) & (hi > 0)
    out = pd.DataFrame({"year": one["year"], "ideal_a": one["ideal_point"],
                        "ideal_b": two["ideal_point"], "difference": difference,
                        "distance": difference.abs(),
                        "distance_lo": np.where(crosses, 0.0, np.minimum(lo.abs(), hi.abs())),
                        "distance_hi": np.maximum(lo.abs(), hi.abs())})
    return out.rename_axis("session")
