"""How often a state voted at all: participation in the roll calls held while it was a member.

Agreement is measured only on roll calls both states voted on, so a state that stops voting
leaves its agreement resting on a few chosen votes. Participation is the share of the roll
calls held while the state was a UN member on which it voted yes, no or abstain.

Whether a state was a member at a roll call, in this order:

1. it cast a vote: a member;
2. the release codes that roll call (``presence_coded``, to 2015): a member unless coded
   non-member (absent, or the few roll calls where only the earlier file has the vote);
3. otherwise COW-IGO's UN column for the state and the vote's year (``data/external/cow_igo``,
   full member), its 2014 value carried forward after 2014, where the release ends;
4. a state outside the COW-IGO extract: a member when it voted on any roll call of the session.

>>> participation(["ALB"]).loc["ALB"].loc[[1962, 1969], ["n_held", "n_voted", "share"]].round(2)
      n_held  n_voted  share
year
1962      66       62   0.94
1969      44        9   0.20
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from albru.votes.core import NON_MEMBER, UNVotes, code_of, groups_of, load_votes

__all__ = ["BASES", "membership_matrix", "participation"]

#: How membership at a roll call was decided (``basis`` columns of :func:`participation`).
BASES = ("vote", "release", "cow_igo", "session")


def _cow_igo_un(states: pd.DataFrame, years: np.ndarray,
                cow_igo: pd.DataFrame | None) -> np.ndarray:
    """Full UN membership by COW-IGO, years x states; -1 where the extract has no such state."""
    if cow_igo is None:
        from albru import external
        from albru.dataset import read_package

        # only the COW-IGO table: external.load() reads all four reference extracts, about
        # fifteen times the work, for the same typed frame
        cow_igo = read_package(external.directory(), resources=["cow_igo"])["cow_igo"]
    un = cow_igo[cow_igo["igo"].astype(str) == "un"]
    out = np.full((len(years), len(states)), -1, dtype=np.int8)
    clipped = np.minimum(years, int(un["end_year"].max())) if len(un) else years
    runs: dict[int, list[tuple[int, int, str]]] = {}  # each state's runs, in table order
    for cow, start, end, status in zip(un["ccode"], un["start_year"], un["end_year"],
                                       un["status"].astype(str), strict=True):
        runs.setdefault(int(cow), []).append((start, end, status))
    for j, cow in enumerate(states["cow_code"]):
        mine = runs.get(int(cow), []) if pd.notna(cow) else []
        if not mine:
            continue
        out[:, j] = 0
        for start, end, status in mine:
            inside = (clipped >= start) & (clipped <= end)
            out[inside, j] = int(status == "full")
    return out


def membership_matrix(data: UNVotes | None = None, states: Sequence[str | int] | None = None,
                      cow_igo: pd.DataFrame | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Whether each state was a member at each roll call, and how that was decided.

    Returns two arrays shaped roll calls x states (``states`` in the order given, all of the
    extract's by default): booleans, and the position in :data:`BASES` of the rule used.

    >>> member, basis = membership_matrix(states=["ALB"])
    >>> int(member.sum()), sorted(set(basis[:, 0].tolist()))
    (5757, [0, 1, 2])
    """
    data = load_votes() if data is None else data
    codes = list(data.countries.index) if states is None else [code_of(s, data) for s in states]
    return _membership(data, codes, cow_igo)


def _membership(data: UNVotes, codes: list[str],
                cow_igo: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """:func:`membership_matrix` for columns already named by the extract's codes."""
    columns = [data.countries.index.get_loc(c) for c in codes]
    votes = data.codes[:, columns] > 0
    marks = data.presence[:, columns]
    coded = data.rollcalls["presence_coded"].to_numpy(bool)[:, None]
    years = data.rollcalls["year"].to_numpy(int)
    igo = _cow_igo_un(data.countries.loc[codes], years, cow_igo)
    # whether each state voted in each session: roll calls sorted by session, then one
    # logical-or per run (np.add.at over the whole matrix took ten times as long)
    session = pd.factorize(data.rollcalls["session"])[0]
    order = np.argsort(session, kind="stable")
    runs = np.flatnonzero(np.diff(session[order], prepend=-1))
    voted_in_session = np.logical_or.reduceat(votes[order], runs, axis=0)[session]

    member = np.where(votes, True, np.where(
        coded, marks != NON_MEMBER, np.where(igo >= 0, igo == 1, voted_in_session)))
    basis = np.where(votes, 0, np.where(coded, 1, np.where(igo >= 0, 2, 3)))
    return member, basis


def participation(states: Sequence[str | int] | None = None, *, by: str | pd.Series = "year",
                  data: UNVotes | None = None,
                  cow_igo: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per state and year (or session, or any grouping), the share of the roll calls held
    while it was a member on which it voted.

    Parameters
    ----------
    states
        States (see :func:`~albru.votes.code_of`); all of the extract's by default.
    by
        ``"year"``, ``"session"`` or a Series of labels indexed by ``rcid``.
    cow_igo
        The COW-IGO extract (read from the shipped data by default).

    Returns
    -------
    pandas.DataFrame
        Indexed by (``code``, group), rows only where the state was a member at some roll
        call: ``n_held`` (roll calls held while a member), ``n_voted``, ``n_absent`` (held but
        no vote), ``share`` (``n_voted / n_held``) and, per rule of :data:`BASES`, how many of
        the held roll calls it decided (``basis_release`` ...).

    Examples
    --------
    >>> from albru.votes import make_votes
    >>> calls = pd.DataFrame({"rcid": [1, 2, 3], "session": 1, "date": "1950-01-01"})
    >>> toy = make_votes(calls, pd.DataFrame({"rcid": [1, 2, 3], "AAA": ["y", "", ""],
    ...                                       "BBB": ["n", "a", ""]}),
    ...                  presence=pd.DataFrame({"rcid": [1, 2, 3], "AAA": ["", "x", "-"],
    ...                                         "BBB": ["", "", "x"]}))
    >>> participation(data=toy, cow_igo=pd.DataFrame(columns=["igo", "ccode", "start_year",
    ...               "end_year", "status"]))[["n_held", "n_voted", "share"]].round(2)
              n_held  n_voted  share
    code year
    AAA  1950       2        1   0.50
    BBB  1950       3        2   0.67
    """
    data = load_votes() if data is None else data
    codes = list(data.countries.index) if states is None else [code_of(s, data) for s in states]
    member, basis = _membership(data, codes, cow_igo)
    voted = data.codes[:, [data.countries.index.get_loc(c) for c in codes]] > 0
    labels, group = groups_of(data, by)
    rows = np.flatnonzero(group >= 0)
    rows = rows[np.argsort(group[rows], kind="stable")]  # the kept roll calls, by group
    sorted_group = group[rows]
    present = np.unique(sorted_group)
    starts = np.searchsorted(sorted_group, present)

    def per_group(mask: np.ndarray) -> np.ndarray:
        total = np.zeros((len(labels), mask.shape[1]), dtype=np.int64)
        if len(present):
            # summed as integers straight from the booleans, without an integer copy
            total[present] = np.add.reduceat(mask[rows], starts, axis=0, dtype=np.int64)
        return total

    count = {"n_held": per_group(member), "n_voted": per_group(member & voted)}
    for k, key in enumerate(BASES):
        count[f"basis_{key}"] = per_group(member & (basis == k))
    name = labels.name or "group"
    index = pd.MultiIndex.from_product([codes, labels], names=["code", name])
    out = pd.DataFrame({key: value.T.ravel() for key, value in count.items()}, index=index)
    out = out[out["n_held"] > 0]
    # fresh, sorted levels: an unstacked table then has its years in order
    out.index = pd.MultiIndex.from_arrays([out.index.get_level_values(0),
                                           out.index.get_level_values(1)], names=["code", name])
    out["n_absent"] = out["n_held"] - out["n_voted"]
    out["share"] = out["n_voted"] / out["n_held"]
    order = ["n_held", "n_voted", "n_absent", "share", *[f"basis_{b}" for b in BASES]]
    return out[order]
