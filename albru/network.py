"""Signed alignment networks at a date: who stood with whom, and who against whom.

A snapshot is an undirected :class:`networkx.Graph`. Nodes are actor ids carrying ``kind``
("state" or "organization") and ``name`` (the name in use at that date). Every edge carries

- ``sign``: +1 allied, -1 hostile;
- ``kind``: the kind of the deciding tie (``alliance``, ``rivalry`` ...), ``"co-membership"``
  for two states in one bloc, or ``"membership"`` for a state and its bloc;
- ``basis``: ``"tie"``, ``"bloc"`` or ``"tie+bloc"``, i.e. where the edge comes from;
- ``tie_ids``, ``membership_ids``, ``blocs``: the source rows and shared blocs, sorted tuples.

How the two sources of edges combine:

- Two states that are both full members (status ``member``) of one bloc in :data:`BLOCS` on
  the date get a positive co-membership edge. Observers, inactive and suspended members do
  not count, so a state that has stopped taking part drops out of the bloc.
- A direct tie between the same two states wins on sign and kind; the edge still lists the
  shared blocs and membership rows, and its basis is ``"tie+bloc"``.
- When several direct ties between two states are active on the date (one ending the day
  another starts, or overlapping spans), the tie that started last decides; on equal starts
  a hostile tie wins over a friendly one.

Structural balance is measured on states only: organization nodes are for the picture.

>>> g = nx.Graph()
>>> g.add_nodes_from(["A", "B", "C"], kind="state")
>>> g.add_edges_from([("A", "B", {"sign": 1}), ("B", "C", {"sign": -1}), ("A", "C", {"sign": -1})])
>>> signed_triangles(g)[["a", "b", "c", "balanced"]].to_dict("records")
[{'a': 'A', 'b': 'B', 'c': 'C', 'balanced': True}]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx
import numpy as np
import pandas as pd

from albru import dyad
from albru._compat import renamed
from albru._snapshots import Tables, _Snapshots
from albru.dates import DAYS_PER_YEAR

__all__ = [
    "BLOCS",
    "Tables",
    "as_day",
    "balance_series",
    "direct_edges",
    "graph_at",
    "position",
    "position_series",
    "signed_triangles",
    "states",
    "triad",
    "triad_history",
    "unbalanced_spells",
]

#: Organizations whose common membership counts as an alignment: the military and economic
#: blocs of the Cold War and after. Co-membership in the UN, the OSCE or the Black Sea
#: Economic Cooperation does not make two states allies, so those are left out.
BLOCS: tuple[str, ...] = ("WARSAW", "COMECON", "NATO")


def as_day(date: str | pd.Timestamp) -> pd.Timestamp:
    """The day a snapshot is taken; anything :class:`pandas.Timestamp` reads, never missing.

    Parameters
    ----------
    date
        Anything :class:`pandas.Timestamp` reads.

    Returns
    -------
    pandas.Timestamp
        Midnight of that day.

    Examples
    --------
    >>> as_day("1950-07-01")
    Timestamp('1950-07-01 00:00:00')
    """
    day = pd.Timestamp(date)
    if pd.isna(day):
        raise ValueError(f"a snapshot needs a date, got {date!r}")
    return day.normalize()


def graph_at(ds: Tables, date: str | pd.Timestamp, *, blocs: Sequence[str] = BLOCS,
             orgs: bool = False, keep: Sequence[str] = dyad.DYAD) -> nx.Graph:
    """The signed alignment graph on ``date`` (see the module docstring for the rules).

    ``orgs=True`` adds each active bloc as an organization node linked to its members;
    the actors in ``keep`` are nodes even when nothing links them. A bloc id that is not an
    actor raises ValueError rather than silently adding nothing.

    Parameters
    ----------
    ds
        A dataset (:func:`albru.load`) or anything with the :class:`Tables`.
    date
        The day of the snapshot.
    blocs
        Organizations whose full members count as allied.
    orgs
        Add the active blocs as organization nodes.
    keep
        Actors that are nodes even when nothing links them (the dyad by default).

    Returns
    -------
    networkx.Graph
        Nodes with ``kind`` and ``name``; edges with ``sign``, ``kind``, ``basis``,
        ``tie_ids``, ``membership_ids`` and ``blocs``.

    Examples
    --------
    >>> import albru
    >>> g = graph_at(albru.load(), "1950-07-01")
    >>> sorted(g.nodes["ALB"]) == ["kind", "name"]
    True
    """
    return _Snapshots(ds).graph(as_day(date), blocs=blocs, orgs=orgs, keep=keep)


def states(graph: nx.Graph) -> nx.Graph:
    """The subgraph of state nodes (organization nodes and their edges removed).

    Parameters
    ----------
    graph
        A snapshot.

    Returns
    -------
    networkx.Graph
        A read-only view with the state nodes only.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("ALB", kind="state"); g.add_node("NATO", kind="organization")
    >>> sorted(states(g))
    ['ALB']
    """
    return graph.subgraph(n for n, kind in graph.nodes(data="kind") if kind == "state")


def direct_edges(graph: nx.Graph) -> list[tuple[str, str]]:
    """The edges that come from a tie row, not from a shared bloc alone, sorted.

    Examples
    --------
    >>> g = nx.Graph([("ALB", "CHN", {"basis": "tie"}), ("ALB", "BGR", {"basis": "bloc"})])
    >>> direct_edges(g)
    [('ALB', 'CHN')]
    """
    return sorted(tuple(sorted(e)) for *e, basis in graph.edges(data="basis") if basis != "bloc")


def signed_triangles(graph: nx.Graph) -> pd.DataFrame:
    """Every triangle of states, one row each, with its three signs and whether it is balanced.

    A triangle is balanced when the product of its signs is positive: three friends, or two
    friends sharing one enemy. Rows are sorted; ``a < b < c``.

    Parameters
    ----------
    graph
        A snapshot.

    Returns
    -------
    pandas.DataFrame
        ``a``, ``b``, ``c``, ``sign_ab``, ``sign_ac``, ``sign_bc``, ``balanced``.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_nodes_from("ABC", kind="state")
    >>> g.add_edges_from([("A", "B"), ("B", "C"), ("A", "C")], sign=1)
    >>> g.edges["A", "C"]["sign"] = -1
    >>> signed_triangles(g)[["sign_ab", "sign_ac", "sign_bc", "balanced"]].to_dict("records")
    [{'sign_ab': 1, 'sign_ac': -1, 'sign_bc': 1, 'balanced': False}]
    """
    columns = ["a", "b", "c", "sign_ab", "sign_ac", "sign_bc", "balanced"]
    types = [object] * 3 + [np.int64] * 3 + [bool]
    values = list(zip(*_triangles(graph))) or [()] * len(columns)  # typed columns at once
    return pd.DataFrame({name: np.array(column, dtype=dtype)
                         for name, column, dtype in zip(columns, values, types, strict=True)})


def _triangles(graph: nx.Graph) -> list[tuple]:
    """The rows of :func:`signed_triangles` as plain tuples.

    >>> g = nx.Graph([("A", "B", {"sign": 1}), ("B", "C", {"sign": 1}), ("A", "C", {"sign": -1})])
    >>> nx.set_node_attributes(g, "state", "kind")
    >>> _triangles(g)
    [('A', 'B', 'C', 1, -1, 1, False)]
    """
    sign = _state_signs(graph)
    rows = []
    for a in sorted(sign):
        later = sorted(n for n in sign[a] if n > a)  # b < c both among them, in order
        for i, b in enumerate(later):
            for c in later[i + 1:]:
                if c in sign[b]:
                    signs = [sign[a][b], sign[a][c], sign[b][c]]
                    rows.append((a, b, c, *signs, signs[0] * signs[1] * signs[2] > 0))
    return rows


def _state_signs(graph: nx.Graph) -> dict[str, dict[str, object]]:
    """The signs among the states of a graph as plain dicts (views are slow to walk):
    ``sign[a][b]`` for each edge between states ``a`` and ``b``, every state a key.

    >>> g = nx.Graph([("ALB", "RUS", {"sign": -1}), ("ALB", "NATO", {"sign": 1})])
    >>> nx.set_node_attributes(g, {"ALB": "state", "RUS": "state", "NATO": "organization"},
    ...                        "kind")
    >>> _state_signs(g)
    {'ALB': {'RUS': -1}, 'RUS': {'ALB': -1}}
    """
    kind = dict(graph.nodes(data="kind"))
    return {a: {b: data["sign"] for b, data in near.items() if kind[b] == "state"}
            for a, near in graph.adjacency() if kind[a] == "state"}


def _balance(sign: dict[str, dict[str, object]]) -> tuple[int, list[str]]:
    """How many triangles the signs among states hold (``sign[a][b]``, as
    :func:`_state_signs` reads them), and the unbalanced ones as ``"A-B-C"``, as
    :func:`signed_triangles` finds them: triangles are counted through the common neighbours
    of each edge (each node's neighbours held as the bits of an integer, one bit per node), and
    only those with an edge whose sign is not positive (the only ones whose product of signs
    can fail to be positive) are looked at one by one.

    >>> g = nx.Graph([("A", "B", {"sign": 1}), ("B", "C", {"sign": 1}), ("A", "C", {"sign": -1}),
    ...               ("C", "D", {"sign": 1}), ("A", "D", {"sign": -1})])
    >>> nx.set_node_attributes(g, "state", "kind")
    >>> _balance(_state_signs(g))
    (2, ['A-B-C'])
    """
    bit = {n: 1 << i for i, n in enumerate(sign)}
    near = {a: sum(bit[b] for b in signs if b != a) for a, signs in sign.items()}  # no loops
    count = sum((near[a] & near[b]).bit_count() for a in sign for b in sign[a] if a < b) // 3
    bad = set()
    for a, signs in sign.items():
        for b, value in signs.items():
            if a < b and not value > 0:
                for c in (signs.keys() & sign[b].keys()) - {a, b}:
                    x, y, z = sorted((a, b, c))
                    if not sign[x][y] * sign[x][z] * sign[y][z] > 0:
                        bad.add((x, y, z))
    return count, ["-".join(t) for t in sorted(bad)]


def triad(graph: nx.Graph, nodes: Sequence[str]) -> dict[str, object]:
    """The three signs among ``nodes`` (0 where no edge) and whether they close a balanced triangle.

    ``balanced`` is None while one of the three edges is missing: an open triad is neither.

    Parameters
    ----------
    graph
        A snapshot.
    nodes
        Three different actor ids.

    Returns
    -------
    dict
        The sign of each pair (``"A-B"``) and ``balanced`` (True, False or None).

    Examples
    --------
    >>> g = nx.Graph([("ALB", "RUS", {"sign": 1}), ("ALB", "YUG", {"sign": -1})])
    >>> triad(g, ["ALB", "RUS", "YUG"])
    {'ALB-RUS': 1, 'ALB-YUG': -1, 'RUS-YUG': 0, 'balanced': None}
    """
    return _triad({a: {b: data["sign"] for b, data in graph[a].items()} for a in nodes
                   if a in graph}, nodes)


def _triad(sign: dict[str, dict[str, object]], nodes: Sequence[str]) -> dict[str, object]:
    """:func:`triad` from the signs among the nodes of a graph (``sign[a][b]`` for each edge).

    >>> _triad({"ALB": {"RUS": 1}, "RUS": {"ALB": 1}}, ["ALB", "RUS", "YUG"])["ALB-RUS"]
    1
    """
    if len(set(nodes)) != 3:
        raise ValueError(f"a triad needs three different nodes, got {list(nodes)}")
    out: dict[str, object] = {}
    for i, a in enumerate(nodes):
        near = sign.get(a, {})
        for b in nodes[i + 1:]:
            out[f"{a}-{b}"] = int(near[b]) if b in near else 0
    signs = list(out.values())
    out["balanced"] = None if 0 in signs else signs[0] * signs[1] * signs[2] > 0
    return out


def position(graph: nx.Graph, a: str = dyad.A, b: str = dyad.B, *, actor: str | None = None,
             other: str | None = None) -> dict[str, object]:
    """Where ``a`` stands in a snapshot: its allied and hostile states and its distance to
    ``b``.

    ``distance`` counts the fewest edges of any sign between the two states;
    ``friendly_distance`` uses positive edges only (how many allied hops separate them).
    Both are None when no such path exists. Only states count.

    Parameters
    ----------
    graph
        A snapshot.
    a
        Whose position (by default the first state of :mod:`albru.dyad`, Albania).
    b
        The state to measure the distance to (by default the second, Russia).
    actor, other
        Deprecated names of ``a`` and ``b``.

    Returns
    -------
    dict
        ``allies``, ``adversaries`` (sorted tuples), ``degree``, ``sign_to_other``,
        ``distance`` and ``friendly_distance``.

    Examples
    --------
    >>> g = nx.Graph([("ALB", "CHN", {"sign": 1}), ("CHN", "RUS", {"sign": -1}),
    ...               ("ALB", "RUS", {"sign": -1})])
    >>> nx.set_node_attributes(g, "state", "kind")
    >>> position(g)["adversaries"], position(g)["distance"], position(g)["friendly_distance"]
    (('RUS',), 1, None)
    """
    a = renamed("position", "actor", "a", actor, a)
    b = renamed("position", "other", "b", other, b)
    return _position(_state_signs(graph), a, b)


def _position(sign: dict[str, dict[str, object]], a: str, b: str) -> dict[str, object]:
    """:func:`position` from the signs among states (``sign[a][b]``, as :func:`_state_signs`
    reads them).

    >>> _position({"ALB": {"RUS": -1}, "RUS": {"ALB": -1}}, "ALB", "RUS")["adversaries"]
    ('RUS',)
    """
    signs = sign.get(a, {})
    friendly = {n: [m for m, s in near.items() if s > 0] for n, near in sign.items()}
    friendly = {n: near for n, near in friendly.items() if near}  # nodes of a friendly edge
    return {
        "allies": tuple(sorted(n for n, s in signs.items() if s > 0)),
        "adversaries": tuple(sorted(n for n, s in signs.items() if s < 0)),
        "degree": len(signs),
        "sign_to_other": signs.get(b, 0),
        "distance": _hops(sign, a, b),
        "friendly_distance": _hops(friendly, a, b),
    }


def _hops(near: dict[str, Iterable[str]], a: str, b: str) -> int | None:
    """Fewest edges from ``a`` to ``b`` through ``near`` (each node's neighbours), or None
    when either is not a node or they are apart.

    >>> _hops({"A": ["B"], "B": ["A", "C"], "C": ["B"], "D": []}, "A", "C")
    2
    >>> _hops({"A": ["B"], "B": ["A", "C"], "C": ["B"], "D": []}, "A", "D") is None
    True
    """
    if a not in near or b not in near:
        return None
    seen, frontier, hops = {a}, {a}, 0
    while frontier:
        if b in frontier:
            return hops
        frontier = {m for n in frontier for m in near[n]} - seen
        seen |= frontier
        hops += 1
    return None


def position_series(ds: Tables, years: Iterable[int], *, a: str = dyad.A, b: str = dyad.B,
                    month_day: str = "07-01", blocs: Sequence[str] = BLOCS,
                    actor: str | None = None, other: str | None = None) -> pd.DataFrame:
    """:func:`position` once a year, on ``month_day`` (mid-year by default), one row per year.

    Counts are plain integers; the distances are nullable ``Int64`` (missing: no path).

    Parameters
    ----------
    ds
        A dataset.
    years
        The years, one snapshot each.
    a, b
        As in :func:`position`.
    month_day
        The day of each year (``MM-DD``).
    blocs
        As in :func:`graph_at`.
    actor, other
        Deprecated names of ``a`` and ``b``.

    Returns
    -------
    pandas.DataFrame
        One row per year: ``year``, ``date``, the members of :func:`position` (lists
        joined by commas) and the counts ``n_allies``, ``n_adversaries``.

    Examples
    --------
    >>> import albru
    >>> s = position_series(albru.load(), range(1950, 1953))
    >>> s["year"].tolist()
    [1950, 1951, 1952]
    """
    a = renamed("position_series", "actor", "a", actor, a)
    b = renamed("position_series", "other", "b", other, b)
    snaps = _Snapshots(ds)
    done = snaps.kept("position", a, b, tuple(blocs))
    return _positions(snaps, years, a, b, month_day=month_day, blocs=blocs, done=done)


def _positions(snaps: _Snapshots, years: Iterable[int], a: str, b: str, *,
               month_day: str = "07-01", blocs: Sequence[str] = BLOCS,
               done: dict[bytes, object] | None = None) -> pd.DataFrame:
    """:func:`position_series` from snapshots (of a dataset, or :meth:`_Snapshots.redated`)."""
    rows = _position_rows(snaps, years, a, b, month_day=month_day, blocs=blocs, done=done)
    return pd.DataFrame(rows).astype({"distance": "Int64", "friendly_distance": "Int64"})


def _position_rows(snaps: _Snapshots, years: Iterable[int], a: str, b: str, *,
                   month_day: str = "07-01", blocs: Sequence[str] = BLOCS,
                   done: dict[bytes, object] | None = None) -> list[dict[str, object]]:
    """The rows of :func:`_positions` as dicts (distances None where there is no path);
    ``done`` as in :meth:`_Snapshots.per_state`."""
    years = list(years)
    days = [as_day(f"{year:04d}-{month_day}") for year in years]
    found = snaps.per_state(days, lambda sign: _position(sign, a, b), done, blocs=blocs,
                           keep=(a, b))
    return [{"year": year, "date": day, "allies": ", ".join(pos["allies"]),
             "adversaries": ", ".join(pos["adversaries"]), "n_allies": len(pos["allies"]),
             "n_adversaries": len(pos["adversaries"]), "degree": pos["degree"],
             "sign_to_other": pos["sign_to_other"], "distance": pos["distance"],
             "friendly_distance": pos["friendly_distance"]}
            for year, day, pos in zip(years, days, found, strict=True)]


def triad_history(ds: Tables, nodes: Sequence[str], start: str | pd.Timestamp,
                  end: str | pd.Timestamp, *, blocs: Sequence[str] = BLOCS) -> pd.DataFrame:
    """Every change of a triad between ``start`` and ``end``: one row on ``start`` and one on
    each day a tie or bloc membership begins or lapses and alters a sign, with :func:`triad`'s
    columns after ``date``.

    Parameters
    ----------
    ds
        A dataset.
    nodes
        The three actors.
    start, end
        The window, both days included.
    blocs
        As in :func:`graph_at`.

    Returns
    -------
    pandas.DataFrame
        ``date`` and the columns of :func:`triad`, one row per change.

    Examples
    --------
    >>> import albru
    >>> h = triad_history(albru.load(), ["ALB", "RUS", "YUG"], "1948-01-01", "1962-12-31")
    >>> h.columns.tolist()
    ['date', 'ALB-RUS', 'ALB-YUG', 'RUS-YUG', 'balanced']
    """
    snaps = _Snapshots(ds).among(set(nodes), set(blocs))  # the signs need no other rows
    spans = [(span.start, span.end) for span in (snaps.ties, snaps.memberships)]
    done = snaps.kept("triad", tuple(nodes), tuple(blocs))
    return pd.DataFrame(_triad_changes(snaps, nodes, spans, start, end, blocs=blocs, done=done))


def _triad_changes(snaps: _Snapshots, nodes: Sequence[str],
                   spans: Sequence[tuple[np.ndarray, np.ndarray]], start: str | pd.Timestamp,
                   end: str | pd.Timestamp, *, blocs: Sequence[str] = BLOCS,
                   done: dict[bytes, object] | None = None) -> list[dict[str, object]]:
    """The rows of :func:`triad_history` from snapshots, with the days a sign may change on
    taken from ``spans`` (the start and end days of the ties among the nodes and of their
    full memberships in the blocs); ``done`` as in :meth:`_Snapshots.per_state`, for the triad
    of the same ``nodes``."""
    first, last = as_day(start), as_day(end)
    edges = [np.array([first], dtype="datetime64[ns]")]
    for begins, ends in spans:
        edges += [begins, ends[~np.isnat(ends)] + np.timedelta64(1, "D")]
    every = np.unique(np.concatenate(edges))
    days = every[(first <= every) & (every <= last)]
    found = snaps.per_state(days, lambda sign: _triad(sign, nodes), done, blocs=blocs,
                           keep=nodes, states=False)
    rows, previous = [], None
    for day, state in zip(days, found, strict=True):
        if state != previous:  # first as given (its unit too)
            rows.append({"date": first if day == first else pd.Timestamp(day), **state})
        previous = state
    return rows


def balance_series(ds: Tables, years: Iterable[int], *, month_day: str = "07-01",
                   blocs: Sequence[str] = BLOCS) -> pd.DataFrame:
    """Structural balance once a year: how many triangles of states the graph holds on
    ``month_day``, how many are balanced, and which are not (``"A-B-C"``, ``"; "``-joined).

    Parameters
    ----------
    ds
        A dataset.
    years
        The years, one snapshot each.
    month_day
        The day of each year (``MM-DD``).
    blocs
        As in :func:`graph_at`.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``date``, ``triangles``, ``balanced``, ``unbalanced``,
        ``unbalanced_triangles``.

    Examples
    --------
    >>> import albru
    >>> balance_series(albru.load(), [1950]).columns.tolist()
    ['year', 'date', 'triangles', 'balanced', 'unbalanced', 'unbalanced_triangles']
    """
    years = list(years)
    days = [as_day(f"{year:04d}-{month_day}") for year in years]
    snaps = _Snapshots(ds)
    found = snaps.per_state(days, _balance, snaps.kept("balance", tuple(blocs)), blocs=blocs)
    rows = [{"year": year, "date": day, "triangles": triangles,
             "balanced": triangles - len(bad), "unbalanced": len(bad),
             "unbalanced_triangles": "; ".join(bad)}
            for year, day, (triangles, bad) in zip(years, days, found, strict=True)]
    return pd.DataFrame(rows)


def unbalanced_spells(history: pd.DataFrame, until: str | pd.Timestamp) -> pd.DataFrame:
    """The spells during which a triad was unbalanced, from :func:`triad_history`'s table:
    ``start``, ``end`` (both inclusive; a spell still running ends on ``until``) and ``years``.

    Parameters
    ----------
    history
        From :func:`triad_history`.
    until
        The last day of a spell still running.

    Returns
    -------
    pandas.DataFrame
        ``start``, ``end`` and ``years`` (rounded to two decimals).

    Examples
    --------
    >>> history = pd.DataFrame({"date": pd.to_datetime(["1950-01-01", "1955-06-02",
    ...                                                 "1960-01-01"]),
    ...                         "balanced": [True, False, True]})
    >>> unbalanced_spells(history, "1962-12-31").to_dict("records")[0]["years"]
    4.58
    """
    rows = _spells(list(history["date"]), list(history["balanced"]), until)
    return pd.DataFrame(rows, columns=["start", "end", "years"])


def _spells(dates: Sequence[pd.Timestamp], balanced: Sequence[object],
            until: str | pd.Timestamp) -> list[dict[str, object]]:
    """The rows of :func:`unbalanced_spells` from a history's dates and ``balanced`` values."""
    last, rows = as_day(until), []
    for start, after, flag in zip(dates, [*dates[1:], None], balanced, strict=True):
        if flag is False and start <= last:  # a spell ends the day before the next change
            end = last if after is None else after - pd.Timedelta(days=1)
            rows.append({"start": start, "end": end,
                         "years": round(((end - start).days + 1) / DAYS_PER_YEAR, 2)})
    return rows

