"""The snapshots behind :mod:`albru.network`: the ties, memberships and names of a dataset read
into plain records once, and the signed graph of any day built from them (the rules are in
:mod:`albru.network`'s docstring).

>>> import albru
>>> snaps = _Snapshots(albru.load())
>>> g = snaps.graph(pd.Timestamp("1950-07-01"), blocs=("WARSAW", "COMECON", "NATO"))
>>> g.edges["ALB", "RUS"]["sign"]
1
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from typing import NamedTuple, Protocol

import networkx as nx
import numpy as np
import pandas as pd

from albru import dyad
from albru.reader import Kept


class Tables(Protocol):
    """What the network functions read from an :class:`albru.Dataset`."""

    actors: pd.DataFrame
    actor_names: pd.DataFrame
    ties: pd.DataFrame
    memberships: pd.DataFrame


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
    >>> _Spans(frame, _Name).at(pd.Timestamp("1950"))
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

    def at(self, day: pd.Timestamp | np.datetime64) -> list:
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

    def where(self, keep: Sequence[bool]) -> _Spans:
        """The rows where ``keep`` is true (a flag per row, in table order)."""
        out = copy.copy(self)
        keep = np.asarray(keep, dtype=bool).reshape(len(self.rows))
        out.start, out.end = self.start[keep], self.end[keep]
        out.rows = [row for row, kept in zip(self.rows, keep, strict=True) if kept]
        return out


class _Snapshots:
    """The tables a graph is built from, read into records once, so that a series of
    snapshots of one dataset costs little per day.

    >>> import albru
    >>> snaps = _Snapshots(albru.load())
    >>> a, b, c = snaps.keys([pd.Timestamp(d) for d in ("1950", "1950-02", "1991")])
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

    def among(self, nodes: Collection[str], blocs: Collection[str]) -> _Snapshots:
        """The same tables with only the ties among ``nodes`` and the full memberships (status
        ``member``) of ``nodes`` in ``blocs``: all that the edges among ``nodes`` come from, in
        smaller graphs that change on fewer days."""
        out = copy.copy(self)
        out.ties = self.ties.where([t.actor_a in nodes and t.actor_b in nodes
                                    for t in self.ties.rows])
        out.memberships = self.memberships.where([
            m.actor_id in nodes and m.org_id in blocs and m.status == "member"
            for m in self.memberships.rows])
        out.order = _decider_order(out.ties.start, out.ties.rows)
        return out

    def keys(self, days: Sequence[pd.Timestamp] | np.ndarray) -> list[bytes]:
        """For each day, a key of which ties, memberships and names are active then, and of
        the order of the ties' starts: two days with the same key have the same graph, also
        in a :meth:`redated` copy."""
        when = np.array(days, dtype="datetime64[ns]")
        spans = (self.ties, self.memberships, self.actor_names)
        masks = np.hstack([span.on(when) for span in spans])
        return [self.order + row.tobytes() for row in np.packbits(masks, axis=1)]

    def kept(self, *what: Hashable) -> dict[bytes, object]:
        """A store for :meth:`per_state`'s ``done``, shared by every series measured with the
        same ``what`` (the measure, its arguments and the graph arguments) on tables of the same
        content (the records in table order, their days, the actors' kinds and names); at most
        32 such stores are kept, the least recently used dropped first."""
        spans = (self.ties, self.memberships, self.actor_names)
        content = (tuple(self.kinds.items()), tuple(self.names.items()),
                   *((tuple(span.rows), span.start.tobytes(), span.end.tobytes())
                     for span in spans))
        return _MEASURES.take((content, what), dict)

    def per_state(self, days: Sequence[pd.Timestamp] | np.ndarray, measure: Callable,
                  done: dict[bytes, object] | None = None, **sign_args) -> list:
        """``measure(signs)`` of each day's :meth:`signs`, reading and measuring each distinct
        graph once (a graph changes only when a tie, membership or name starts or lapses);
        ``done`` keeps the measures by :meth:`keys` for the next call (of this or a redated
        copy, with the same measure and arguments of :meth:`signs`)."""
        done = {} if done is None else done
        out = []
        for day, key in zip(days, self.keys(days), strict=True):
            if key not in done:
                done[key] = measure(self.signs(day, **sign_args))
            out.append(done[key])
        return out

    def members(self, day: pd.Timestamp | np.datetime64, *,
                blocs: Sequence[str]) -> list[_Membership]:
        """The full members (status ``member``) of ``blocs`` on ``day``, in table order."""
        unknown = sorted(set(blocs) - set(self.kinds))
        if unknown:
            raise ValueError(f"blocs not among the actors: {', '.join(unknown)}")
        return [m for m in self.memberships.at(day) if m.org_id in blocs and m.status == "member"]

    def edges(self, day: pd.Timestamp | np.datetime64, *, blocs: Sequence[str],
              orgs: bool = False) -> dict[tuple[str, str], dict]:
        """The edges of :meth:`graph` on ``day`` by their pair of nodes (sorted), unordered."""
        members = self.members(day, blocs=blocs)
        edges = _tie_edges(self.ties.at(day))
        for pair, kind, found, rows in _bloc_edges(tuple(members), orgs):
            edge = edges.get(pair)
            if edge is None:
                edges[pair] = {"sign": 1, "kind": kind, "basis": "bloc", "tie_ids": (),
                               "membership_ids": rows, "blocs": found}
            else:  # a direct tie keeps its sign and kind
                edge.update(basis="tie+bloc", blocs=found, membership_ids=rows)
        return edges

    def graph(self, day: pd.Timestamp, *, blocs: Sequence[str], orgs: bool = False,
              keep: Sequence[str] = dyad.DYAD) -> nx.Graph:
        """The graph of :func:`graph_at` on ``day``."""
        edges = self.edges(day, blocs=blocs, orgs=orgs)
        names = dict(self.names)
        names.update((n.actor_id, n.name) for n in self.actor_names.at(day))
        graph = nx.Graph(date=day)
        graph.add_nodes_from((node, {"kind": str(self.kinds[node]), "name": str(names[node])})
                             for node in sorted({*keep, *(n for pair in edges for n in pair)}))
        graph.add_edges_from((a, b, attrs) for (a, b), attrs in sorted(edges.items()))
        return graph

    def signs(self, day: pd.Timestamp | np.datetime64, *, blocs: Sequence[str],
              keep: Sequence[str] = dyad.DYAD, states: bool = True) -> dict[str, dict[str, int]]:
        """The signs of the graph of :meth:`graph` on ``day`` (without organization nodes) as
        plain dicts, ``sign[a][b]`` for each edge between ``a`` and ``b`` and every node a key,
        without building the graph or its edges' attributes (and so without keeping the bloc
        edges of :func:`_bloc_edges`); with ``states``, only the nodes whose kind is
        ``"state"``.

        >>> import albru
        >>> snaps = _Snapshots(albru.load())
        >>> snaps.signs(pd.Timestamp("1950-07-01"), blocs=())["ALB"]
        {'RUS': 1, 'YUG': -1}
        """
        groups: dict[str, list[str]] = defaultdict(list)  # the full members of each bloc
        for m in self.members(day, blocs=blocs):
            groups[str(m.org_id)].append(str(m.actor_id))
        shared = [sorted(actors) for actors in groups.values() if len(actors) > 1]
        ties = _tie_edges(self.ties.at(day))
        nodes = {*keep, *(n for pair in ties for n in pair), *(n for row in shared for n in row)}
        sign: dict[str, dict[str, int]] = {n: {} for n in sorted(nodes)
                                           if str(self.kinds[n]) == "state" or not states}
        for actors in shared:  # two members of one bloc are allies ...
            for i, a in enumerate(actors):
                for b in actors[i + 1:]:
                    if a in sign and b in sign:
                        sign[a][b] = sign[b][a] = 1
        for (a, b), edge in ties.items():  # ... but a direct tie keeps its sign
            if a in sign and b in sign:
                sign[a][b] = sign[b][a] = edge["sign"]
        return sign


def _decider_order(start: np.ndarray, ties: Sequence[_Tie]) -> bytes:
    """The dense rank of each tie by ``(start, -sign)`` (its ``datetime64[ns]`` start from
    ``start``, its sign from ``ties``), the order in which :func:`_tie_edges` picks the tie
    that decides an edge, as bytes for a graph's key."""
    first = start.view(np.int64)
    second = np.array([-int(row.sign) for row in ties], dtype=np.int64)
    order = np.lexsort((second, first))
    first, second = first[order], second[order]
    step = (first[1:] != first[:-1]) | (second[1:] != second[:-1])  # a new key in the order
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.concatenate([[0], np.cumsum(step)]) if len(order) else []
    return rank.tobytes()


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


#: Measures of recent series by the content of their tables (see :meth:`_Snapshots.kept`).
_MEASURES = Kept(32)

#: The bloc edges of recent graphs, by the memberships they come from (see :func:`_bloc_edges`).
_BLOC_EDGES = Kept(64)

#: A bloc edge: its pair of actors (sorted), its kind, its blocs and its membership rows.
_BlocEdge = tuple[tuple[str, str], str, tuple[str, ...], tuple[str, ...]]


def _bloc_edges(members: tuple[_Membership, ...], orgs: bool) -> tuple[_BlocEdge, ...]:
    """The edges that the full ``members`` of blocs make: a co-membership edge for each pair of
    states in one bloc and, with ``orgs``, a membership edge from each state to its bloc. The
    same memberships come back on many days, so the edges are kept by the membership records
    themselves (all the edges depend on) and handed out as tuples.

    >>> m = [_Membership("M1", "ALB", "WARSAW", "member"), _Membership("M2", "RUS", "WARSAW",
    ...                                                              "member")]
    >>> _bloc_edges(tuple(m), False)
    ((('ALB', 'RUS'), 'co-membership', ('WARSAW',), ('M1', 'M2')),)
    """
    return _BLOC_EDGES.take((members, orgs), lambda: _shared_blocs(members, orgs))


def _shared_blocs(members: Sequence[_Membership], orgs: bool) -> tuple[_BlocEdge, ...]:
    """:func:`_bloc_edges`, made: the blocs and membership rows each pair shares, the kind of an
    edge from its first evidence."""
    shared: dict[tuple[str, str], tuple[str, set[str], set[str]]] = {}

    def add(pair: tuple[str, str], org: str, rows: Sequence[str], kind: str) -> None:
        """Note a bloc and its rows for ``pair`` (sorted)."""
        found = shared.get(pair)
        if found is None:
            shared[pair] = (kind, {org}, set(rows))
        else:
            found[1].add(org)
            found[2].update(rows)

    for org in sorted({str(m.org_id) for m in members}):
        pairs = sorted((str(m.actor_id), str(m.membership_id)) for m in members
                       if m.org_id == org)
        for i, (a, row_a) in enumerate(pairs):
            for b, row_b in pairs[i + 1:]:  # a <= b, as the pairs are sorted
                add((a, b), org, (row_a, row_b), "co-membership")
    if orgs:
        for m in members:
            pair = sorted((str(m.actor_id), str(m.org_id)))
            add((pair[0], pair[1]), str(m.org_id), (str(m.membership_id),), "membership")
    return tuple((pair, kind, tuple(sorted(found)), tuple(sorted(rows)))
                 for pair, (kind, found, rows) in shared.items())
