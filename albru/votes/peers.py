"""A pair read against its peers: how the other members of a bloc stood with the same state.

"Albania and Russia agree little" means something only beside how Albania's allies and
former allies agree with Russia. For every year, :func:`peer_baseline` gives the pair's value
and the median and middle half of the same measure between ``b`` and each member of a bloc
(membership from albru's own ``memberships`` table, as of that year; ``a`` and ``b``
themselves left out), and the values of single comparison states with ``b``.

>>> base = peer_baseline()
>>> base.loc[2014, ["pair", "nato_median"]].round(2).tolist()
[0.36, 0.35]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from albru.dyad import A, B
from albru.votes.agreement import MEASURES, _pairs
from albru.votes.core import UNVotes, code_of, load_votes
from albru.votes.idealpoints import load_ideal_points

__all__ = ["BLOCS", "bloc_members", "peer_baseline"]

#: Blocs compared: name -> (``org_id`` in albru's memberships, last year of the bloc or None).
#: After its last year a bloc keeps the states that were members then, as a group.
BLOCS: dict[str, tuple[str, int | None]] = {"nato": ("NATO", None), "warsaw": ("WARSAW", 1991)}


def bloc_members(org: str, years: Sequence[int], *, until: int | None = None,
                 memberships: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which states belonged to an organization at any time in each year (years x actor ids).

    With ``until``, every later year keeps the members of that year.

    >>> m = bloc_members("WARSAW", [1960, 1995], until=1991)
    >>> sorted(m.columns[m.loc[1995]])
    ['BGR', 'CSK', 'HUN', 'POL', 'ROU', 'RUS']
    """
    if memberships is None:
        from albru.dataset import load

        memberships = load().memberships
    spans = memberships[memberships["org_id"] == org]
    years = pd.Index(list(years), name="year")
    asked = np.minimum(years.to_numpy(), until) if until is not None else years.to_numpy()
    first = pd.to_datetime(asked.astype(str) + "-01-01").to_numpy()
    last = pd.to_datetime(asked.astype(str) + "-12-31").to_numpy()
    # every span against every year at once, then one logical-or over each state's spans
    # (a groupby with a loop over the states took about five times as long)
    actors = spans["actor_id"].astype(str).to_numpy()
    start = spans["start"].to_numpy()[None, :]
    end = spans["end"].fillna(pd.Timestamp.max).to_numpy()[None, :]
    inside = (start <= last[:, None]) & (end >= first[:, None])  # years x spans
    names, which = np.unique(actors, return_inverse=True)
    order = np.argsort(which, kind="stable")
    runs = np.flatnonzero(np.diff(which[order], prepend=-1))
    out = (np.logical_or.reduceat(inside[:, order], runs, axis=1) if len(actors)
           else inside[:, :0])
    return pd.DataFrame(dict(zip(names.tolist(), out.T, strict=True)), index=years)


def _with(b: str, measure: str, min_votes: int, data: UNVotes | None) -> pd.DataFrame:
    """Years x states: the measure between each state and ``b``."""
    if measure == "distance":
        table = load_ideal_points()
        wide = table.pivot(index="year", columns="code", values="ideal_point")
        return (wide.sub(wide[b], axis=0)).abs().drop(columns=b)
    pairs, first_state, second_state = _pairs("year", None, min_votes, data)
    # the states compared as positions, not as 800,000 strings; pairs is not changed
    column = (load_votes() if data is None else data).countries.index.get_loc(b)
    first, second = first_state == column, second_state == column
    mine = pairs[first | second]
    other = np.where(first[first | second], mine["b"], mine["a"])
    return mine.assign(other=other).pivot(index="year", columns="other", values=measure)


def peer_baseline(a: str | int = A, b: str | int = B, *, measure: str = "s_score",
                  singles: Sequence[str] = ("YUG", "CHN"), min_votes: int = 10,
                  data: UNVotes | None = None,
                  memberships: pd.DataFrame | None = None) -> pd.DataFrame:
    """The pair's yearly value beside the same measure between ``b`` and bloc members.

    Parameters
    ----------
    a, b
        The pair; ``a`` is compared with its peers' standing towards ``b``.
    measure
        One of ``MEASURES`` (roll-call agreement per calendar year) or ``"distance"`` (ideal-
        point distance per session, labelled by the year it opened).
    singles
        States compared one by one (their value with ``b``).

    Returns
    -------
    pandas.DataFrame
        Indexed by year: ``pair``; for each bloc of :data:`BLOCS` ``<bloc>_median``,
        ``<bloc>_q25``, ``<bloc>_q75``, ``<bloc>_n`` (members with a value that year) and
        ``<bloc>_rank`` (share of those members whose value is below the pair's); then one
        column per single state.

    Examples
    --------
    >>> base = peer_baseline(measure="distance")
    >>> int(base.loc[1960, "warsaw_n"]), int(base.loc[2010, "nato_n"]) > 20
    (5, True)
    """
    if measure not in (*MEASURES, "distance"):
        raise ValueError(f"measure must be one of {MEASURES} or 'distance'")
    given, data = data, load_votes() if data is None else data
    if memberships is None:
        from albru.dataset import load

        memberships = load().memberships
    code_a, code_b = code_of(a, data), code_of(b, data)
    values = _with(code_b, measure, min_votes, given)
    years = values.index
    out = pd.DataFrame({"pair": values.get(code_a)}, index=years)
    for name, (org, until) in BLOCS.items():
        members = bloc_members(org, years, until=until, memberships=memberships)
        columns = {actor: code_of(actor, data) for actor in members.columns}
        mask = pd.DataFrame({columns[actor]: members[actor] for actor in members.columns
                             if columns[actor] not in (code_a, code_b)}, index=years)
        peers = values.reindex(columns=mask.columns).where(mask)
        out[f"{name}_median"] = peers.median(axis=1)
        # both quartiles in one pass: pandas goes year by year once any value is missing
        out[f"{name}_q25"], out[f"{name}_q75"] = peers.quantile([0.25, 0.75], axis=1).to_numpy()
        out[f"{name}_n"] = peers.notna().sum(axis=1)
        below = peers.lt(out["pair"], axis=0).sum(axis=1)
        out[f"{name}_rank"] = (below / out[f"{name}_n"]).where(
            (out[f"{name}_n"] > 0) & out["pair"].notna())
    for single in singles:
        out[single] = values.get(code_of(single, data))
    return out.rename_axis("year")
