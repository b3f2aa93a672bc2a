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

import copy
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple, Protocol

import networkx as nx
import numpy as np
import pandas as pd

from albru import dyad
from albru._compat import renamed
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


class Tables(Protocol):
    """What the network functions read from an :class:`albru.Dataset`."""

    actors: pd.DataFrame
    actor_names: pd.DataFrame
    ties: pd.DataFrame
    memberships: pd.DataFrame


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


class _Tie(NamedTuple):
    """The columns of a tie that a graph reads."""

    tie_id: str
    actor_a: str
    actor_b: str
    sign: int
    kind: str
    start: pd.Timestamp


class _Membership(NamedTuple):
    """The columns of a membership that a graph reads."""

    membership_id: str
    actor_id: str
    org_id: str
    status: str


class _Name(NamedTuple):
    """An actor's name over a span."""

    actor_id: str
    name: str


class _Spans:
    """The rows of a span table as plain records, with their bounds as numpy arrays, so the
    rows active on a day are found without a pandas filter per day.

    >>> frame = pd.DataFrame({"actor_id": ["RUS"], "name": ["Soviet Union"],
    ...                       "start": pd.to_datetime(["1922-12-30"]),
    ...                       "end": pd.to_datetime(["1991-12-26"])})
    >>> _Spans(frame, _Name).at(as_day("1950"))
    [_Name(actor_id='RUS', name='Soviet Union')]
    """

    def __init__(self, frame: pd.DataFrame, record: type[NamedTuple]) -> None:
        self.start = frame["start"].to_numpy(dtype="datetime64[ns]")
        self.end = frame["end"].to_numpy(dtype="datetime64[ns]")
        columns = [frame[name].tolist() for name in record._fields]
        self.rows = [record(*values) for values in zip(*columns, strict=True)]

    def on(self, days: np.ndarray) -> np.ndarray:
        """A (day, row) boolean matrix from an array of ``datetime64[ns]`` days: is the row
        active on the day (``start <= day <= end``, a missing end open)."""
        when = days[:, None]
        return (self.start <= when) & (np.isnat(self.end) | (when <= self.end))

    def at(self, day: pd.Timestamp) -> list:
        """The records active on ``day``, in table order."""
        mask = self.on(np.array([day], dtype="datetime64[ns]"))[0]
        return [row for row, on in zip(self.rows, mask, strict=True) if on]

    def redated(self, start: np.ndarray, end: np.ndarray) -> _Spans:
        """The same rows over other days (``datetime64[ns]`` arrays in table order); a record
        with a ``start`` field carries its new start too."""
        out = copy.copy(self)
        out.start, out.end = start, end
        if self.rows and "start" in self.rows[0]._fields:
            out.rows = [row._replace(start=pd.Timestamp(day))
                        for row, day in zip(self.rows, start, strict=True)]
        return out


class _Snapshots:
    """The tables a graph is built from, read into records once, so that a series of
    snapshots of one dataset costs little per day.

    >>> import albru
    >>> snaps = _Snapshots(albru.load())
    >>> a, b, c = snaps.keys([as_day(d) for d in ("1950", "1950-02", "1991")])
    >>> a == b, a == c
    (True, False)
    """

    def __init__(self, ds: Tables) -> None:
        self.kinds = dict(zip(ds.actors["actor_id"], ds.actors["kind"], strict=True))
        self.names = dict(zip(ds.actors["actor_id"], ds.actors["name"], strict=True))
        self.ties = _Spans(ds.ties, _Tie)
        self.memberships = _Spans(ds.memberships, _Membership)
        self.actor_names = _Spans(ds.actor_names, _Name)
        self.order = _decider_order(self.ties.start, self.ties.rows)

    def redated(self, ties: tuple[np.ndarray, np.ndarray],
                memberships: tuple[np.ndarray, np.ndarray]) -> _Snapshots:
        """The same tables with other ``start`` and ``end`` days for the ties and the
        memberships (``datetime64[ns]`` arrays in table order), as a claim variant has them."""
        out = copy.copy(self)
        out.ties = self.ties.redated(*ties)
        out.memberships = self.memberships.redated(*memberships)
        out.order = _decider_order(out.ties.start, self.ties.rows)
        return out

    def keys(self, days: Sequence[pd.Timestamp]) -> list[bytes]:
        """For each day, a key of which ties, memberships and names are active then, and of
        the order of the ties' starts: two days with the same key have the same graph, also
        in a :meth:`redated` copy."""
        when = np.array(days, dtype="datetime64[ns]")
        spans = (self.ties, self.memberships, self.actor_names)
        masks = np.hstack([span.on(when) for span in spans])
        return [self.order + row.tobytes() for row in np.packbits(masks, axis=1)]

    def per_state(self, days: Sequence[pd.Timestamp], measure: Callable,
                  done: dict[bytes, object] | None = None, **graph_args) -> list:
        """``measure(graph)`` of each day's graph, building and measuring each distinct graph
        once (a graph changes only when a tie, membership or name starts or lapses); ``done``
        keeps the measures by :meth:`keys` for the next call (of this or a redated copy, with
        the same measure and graph arguments)."""
        done = {} if done is None else done
        out = []
        for day, key in zip(days, self.keys(days), strict=True):
            if key not in done:
                done[key] = measure(self.graph(day, **graph_args))
            out.append(done[key])
        return out

    def graph(self, day: pd.Timestamp, *, blocs: Sequence[str] = BLOCS, orgs: bool = False,
              keep: Sequence[str] = dyad.DYAD) -> nx.Graph:
        """The graph of :func:`graph_at` on ``day``."""
        unknown = sorted(set(blocs) - set(self.kinds))
        if unknown:
            raise ValueError(f"blocs not among the actors: {', '.join(unknown)}")
        edges = _tie_edges(self.ties.at(day))
        members = [m for m in self.memberships.at(day)
                   if m.org_id in blocs and m.status == "member"]
        for org in sorted({str(m.org_id) for m in members}):
            pairs = sorted((str(m.actor_id), str(m.membership_id)) for m in members
                           if m.org_id == org)
            for i, (a, row_a) in enumerate(pairs):
                for b, row_b in pairs[i + 1:]:
                    _add_bloc(edges, (a, b), org, (row_a, row_b), "co-membership")
        if orgs:
            for m in members:
                pair = (str(m.actor_id), str(m.org_id))
                _add_bloc(edges, pair, str(m.org_id), (str(m.membership_id),), "membership")
        names = dict(self.names)
        names.update((n.actor_id, n.name) for n in self.actor_names.at(day))
        graph = nx.Graph(date=day)
        for node in sorted({*keep, *(n for pair in edges for n in pair)}):
            graph.add_node(node, kind=str(self.kinds[node]), name=str(names[node]))
        for (a, b), attrs in sorted(edges.items()):
            graph.add_edge(a, b, **attrs)
        return graph


def _decider_order(start: np.ndarray, ties: Sequence[_Tie]) -> bytes:
    """The dense rank of each tie by ``(start, -sign)`` (its ``datetime64[ns]`` start from
    ``start``, its sign from ``ties``), the order in which :func:`_tie_edges` picks the tie
    that decides an edge, as bytes for a graph's key."""
    keys = np.stack([start.view(np.int64), [-int(row.sign) for row in ties]], axis=1)
    return np.unique(keys, axis=0, return_inverse=True)[1].astype(np.int64).ravel().tobytes()


def _tie_edges(ties: Iterable[_Tie]) -> dict[tuple[str, str], dict]:
    """One edge per pair of actors from the active ties; the latest tie decides the sign."""
    by_pair: dict[tuple[str, str], list[_Tie]] = defaultdict(list)
    for row in ties:
        if row.actor_a == row.actor_b:
            raise ValueError(f"tie {row.tie_id} links {row.actor_a} to itself")
        by_pair[tuple(sorted((row.actor_a, row.actor_b)))].append(row)
    edges = {}
    for pair, rows in by_pair.items():
        decider = max(rows, key=lambda r: (r.start, -int(r.sign)))
        edges[pair] = {
            "sign": int(decider.sign),
            "kind": str(decider.kind),
            "basis": "tie",
            "tie_ids": tuple(sorted(str(r.tie_id) for r in rows)),
            "membership_ids": (),
            "blocs": (),
        }
    return edges


def _add_bloc(edges: dict[tuple[str, str], dict], pair: tuple[str, str], org: str,
              membership_ids: Sequence[str], kind: str) -> None:
    """Add bloc evidence to the edge of ``pair``; a direct tie already there keeps its sign."""
    a, b = sorted(pair)
    edge = edges.setdefault((a, b), {"sign": 1, "kind": kind, "basis": "bloc", "tie_ids": (),
                                     "membership_ids": (), "blocs": ()})
    if edge["tie_ids"]:
        edge["basis"] = "tie+bloc"
    edge["blocs"] = tuple(sorted({*edge["blocs"], org}))
    edge["membership_ids"] = tuple(sorted({*edge["membership_ids"], *membership_ids}))


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
    return pd.DataFrame(_triangles(graph), columns=columns).astype(
        {"sign_ab": "int64", "sign_ac": "int64", "sign_bc": "int64", "balanced": "bool"}
    )


def _triangles(graph: nx.Graph) -> list[tuple]:
    """The rows of :func:`signed_triangles` as plain tuples.

    >>> g = nx.Graph([("A", "B", {"sign": 1}), ("B", "C", {"sign": 1}), ("A", "C", {"sign": -1})])
    >>> nx.set_node_attributes(g, "state", "kind")
    >>> _triangles(g)
    [('A', 'B', 'C', 1, -1, 1, False)]
    """
    kind = dict(graph.nodes(data="kind"))  # the states' signs as plain dicts: views are slow
    sign = {a: {b: data["sign"] for b, data in near.items() if kind[b] == "state"}
            for a, near in graph.adjacency() if kind[a] == "state"}
    rows = []
    for a in sorted(sign):
        later = sorted(n for n in sign[a] if n > a)  # b < c both among them, in order
        for i, b in enumerate(later):
            for c in later[i + 1:]:
                if c in sign[b]:
                    signs = [sign[a][b], sign[a][c], sign[b][c]]
                    rows.append((a, b, c, *signs, signs[0] * signs[1] * signs[2] > 0))
    return rows


def _balance(graph: nx.Graph) -> tuple[int, list[str]]:
    """How many triangles of states a graph holds, and its unbalanced ones as ``"A-B-C"``."""
    table = _triangles(graph)
    return len(table), [f"{a}-{b}-{c}" for a, b, c, *_, balanced in table if not balanced]


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
    if len(set(nodes)) != 3:
        raise ValueError(f"a triad needs three different nodes, got {list(nodes)}")
    out: dict[str, object] = {}
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            has = graph.has_edge(a, b)
            out[f"{a}-{b}"] = int(graph.edges[a, b]["sign"]) if has else 0
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
    sub = states(graph)
    signs = {n: sub.edges[a, n]["sign"] for n in sub[a]} if a in sub else {}
    friendly = sub.edge_subgraph((u, v) for u, v, s in sub.edges(data="sign") if s > 0)
    return {
        "allies": tuple(sorted(n for n, s in signs.items() if s > 0)),
        "adversaries": tuple(sorted(n for n, s in signs.items() if s < 0)),
        "degree": len(signs),
        "sign_to_other": signs.get(b, 0),
        "distance": _hops(sub, a, b),
        "friendly_distance": _hops(friendly, a, b),
    }


def _hops(graph: nx.Graph, a: str, b: str) -> int | None:
    """Fewest edges from ``a`` to ``b``, or None when either is missing or they are apart."""
    if a not in graph or b not in graph or not nx.has_path(graph, a, b):
        return None
    return nx.shortest_path_length(graph, a, b)


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
    return _positions(_Snapshots(ds), years, a, b, month_day=month_day, blocs=blocs)


def _positions(snaps: _Snapshots, years: Iterable[int], a: str, b: str, *,
               month_day: str = "07-01", blocs: Sequence[str] = BLOCS) -> pd.DataFrame:
    """:func:`position_series` from snapshots (of a dataset, or :meth:`_Snapshots.redated`)."""
    years = list(years)
    days = [as_day(f"{year:04d}-{month_day}") for year in years]
    found = snaps.per_state(days, lambda g: position(g, a, b), blocs=blocs, keep=(a, b))
    rows = [{"year": year, "date": day, "allies": ", ".join(pos["allies"]),
             "adversaries": ", ".join(pos["adversaries"]), "n_allies": len(pos["allies"]),
             "n_adversaries": len(pos["adversaries"]), "degree": pos["degree"],
             "sign_to_other": pos["sign_to_other"], "distance": pos["distance"],
             "friendly_distance": pos["friendly_distance"]}
            for year, day, pos in zip(years, days, found, strict=True)]
    return pd.DataFrame(rows).astype({"distance": "Int64", "friendly_distance": "Int64"})


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
    ties = ds.ties[ds.ties["actor_a"].isin(nodes) & ds.ties["actor_b"].isin(nodes)]
    members = ds.memberships[ds.memberships["actor_id"].isin(nodes)]
    spans = [(frame["start"].to_numpy(dtype="datetime64[ns]"),
              frame["end"].to_numpy(dtype="datetime64[ns]")) for frame in (ties, members)]
    return pd.DataFrame(_triad_changes(_Snapshots(ds), nodes, spans, start, end, blocs=blocs))


def _triad_changes(snaps: _Snapshots, nodes: Sequence[str],
                   spans: Sequence[tuple[np.ndarray, np.ndarray]], start: str | pd.Timestamp,
                   end: str | pd.Timestamp, *, blocs: Sequence[str] = BLOCS,
                   done: dict[bytes, object] | None = None) -> list[dict[str, object]]:
    """The rows of :func:`triad_history` from snapshots, with the days a sign may change on
    taken from ``spans`` (the start and end days of the ties among the nodes and of their
    memberships); ``done`` as in :meth:`_Snapshots.per_state`, for the triad of the same
    ``nodes``."""
    first, last = as_day(start), as_day(end)
    days = {first}
    for begins, ends in spans:
        days.update(pd.DatetimeIndex(begins))
        days.update(pd.DatetimeIndex(ends[~np.isnat(ends)]) + pd.Timedelta(days=1))
    days = sorted(d for d in days if first <= d <= last)
    found = snaps.per_state(days, lambda g: triad(g, nodes), done, blocs=blocs, keep=nodes)
    rows, previous = [], None
    for day, state in zip(days, found, strict=True):
        if state != previous:
            rows.append({"date": day, **state})
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
    found = _Snapshots(ds).per_state(days, _balance, blocs=blocs)
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
    last = as_day(until)
    ends = [day - pd.Timedelta(days=1) for day in dates[1:]] + [last]
    return [
        {"start": start, "end": end, "years": round(((end - start).days + 1) / DAYS_PER_YEAR, 2)}
        for start, end, flag in zip(dates, ends, balanced, strict=True)
        if flag is False and start <= last
    ]

