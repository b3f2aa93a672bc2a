"""Network figures: the fixed two-pole layout, signed snapshots, and yearly alignment series.

The layout lives here, with the drawing, not in :mod:`albru.network`, which only builds and
measures the graphs.

>>> import networkx as nx
>>> union_layout([nx.Graph([("ALB", "YUG"), ("YUG", "RUS")])])["YUG"]
(0.0, 0.5)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from albru import dyad

__all__ = ["union_layout"]


def _levels(n: int, *, skip_axis: bool) -> list[int]:
    """The first ``n`` of 0, 1, -1, 2, -2 ... (without 0 when the axis must stay free)."""
    levels = [0] + [sign * k for k in range(1, n + 1) for sign in (1, -1)]
    return (levels[1:] if skip_axis else levels)[:n]


def _column(union: nx.Graph, node: str, left: str, right: str) -> float:
    """The x of a node's column in :func:`union_layout`."""
    linked = (union.has_edge(node, left), union.has_edge(node, right))
    if linked == (False, False):
        hops = nx.single_source_shortest_path_length(union, node)
        return -2.0 if hops.get(left, 10**6) < hops.get(right, 10**6) else 2.0
    return {(True, False): -2.0, (False, True): 2.0}.get(linked, 0.0)


def union_layout(
    graphs: Iterable[nx.Graph],
    *,
    poles: tuple[str, str] = dyad.DYAD,
    step: float = 0.5,
) -> dict[str, tuple[float, float]]:
    """One set of node positions for a series of snapshots, the same in every panel and run.

    A fixed two-pole layout of the union of all snapshots, with no randomness: the first pole
    (Albania) sits at (-1, 0) and the second (Russia) at (1, 0). A state linked, in some
    snapshot, to both poles goes in the middle column (x = 0), one linked to the first pole
    only to the left (x = -2), to the second only to the right (x = 2), and one linked to
    neither to the outer column of the pole it is nearer to (the second on a tie), level with
    its first neighbour. Within a column, states take their places in the order they first
    appear in ``graphs``, alternating above and below the axis, ``step`` apart (the middle
    column leaves the axis free for the edge between the poles). Organizations form a row
    below the states, under the pole they are linked to (between the poles when linked to
    both or neither).

    >>> g1 = nx.Graph([("ALB", "YUG"), ("YUG", "RUS")])
    >>> g2 = nx.Graph([("ALB", "CHN"), ("CHN", "RUS"), ("ALB", "USA")])
    >>> pos = union_layout([g1, g2])
    >>> pos["ALB"], pos["RUS"], pos["CHN"], pos["YUG"], pos["USA"]
    ((-1.0, 0.0), (1.0, 0.0), (0.0, -0.5), (0.0, 0.5), (-2.0, 0.0))
    """
    union = nx.Graph()
    kinds: dict[str, str] = {}
    for graph in graphs:
        for node, kind in graph.nodes(data="kind"):
            kinds.setdefault(node, kind or "state")
        union.add_edges_from(sorted(tuple(sorted(e)) for e in graph.edges))
    union.add_nodes_from(kinds)
    left, right = poles
    columns: dict[float, list[str]] = defaultdict(list)
    loose: list[str] = []
    for node in [n for n in kinds if n not in poles]:
        linked = union.has_edge(node, left) or union.has_edge(node, right)
        if kinds[node] == "state" and not linked:
            loose.append(node)
        else:
            columns[_column(union, node, left, right)].append(node)
    pos = {left: (-1.0, 0.0), right: (1.0, 0.0)}
    for x, nodes in sorted(columns.items()):
        row = [n for n in nodes if kinds[n] == "state"]
        for node, level in zip(row, _levels(len(row), skip_axis=x == 0.0), strict=True):
            pos[node] = (x, level * step)
    for node in loose:
        x = _column(union, node, left, right)
        y = next((pos[n][1] for n in sorted(union[node]) if n in pos), 0.0)
        while (x, y) in pos.values():
            y += step if y >= 0 else -step
        pos[node] = (x, y)
    bottom = min(y for _, y in pos.values())
    orgs = {x: [n for n in nodes if kinds[n] != "state"] for x, nodes in columns.items()}
    for x, nodes in sorted(orgs.items()):
        centre = {-2.0: -1.0, 2.0: 1.0}.get(x, 0.0)
        for i, node in enumerate(nodes):
            pos[node] = (centre + (i - (len(nodes) - 1) / 2) * step * 1.2, bottom - 2 * step)
    return {n: (round(float(x), 6), round(float(y), 6)) for n, (x, y) in sorted(pos.items())}
