"""Network figures: the fixed two-pole layout, signed snapshots, and yearly alignment series.

The layout lives here, with the drawing, not in :mod:`albru.network`, which only builds and
measures the graphs. Allied ties are blue, hostile ones wine, edges that only a shared
bloc makes grey and dashed (:mod:`albru.plot.style`).

>>> import networkx as nx
>>> union_layout([nx.Graph([("ALB", "YUG"), ("YUG", "RUS")])])["YUG"]
(0.0, 0.5)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from albru import dyad
from albru.network import direct_edges
from albru.plot.style import (
    ACTOR_COLORS,
    ACTOR_LABELS,
    BLOC_COLOR,
    BLOC_STYLE,
    FIGSIZE,
    FONT,
    PAGE_WIDTH,
    SIGN_COLORS,
    era_bands,
    era_numbers,
    legend_below,
    new_axes,
    shared_docs,
    years,
    years_axis,
)
from albru.plot.style import era_legend as style_era_legend

__all__ = [
    "alignment_counts",
    "distance_series",
    "network_panels",
    "network_snapshot",
    "ordered_subgraph",
    "tied_subgraph",
    "union_layout",
]


def ordered_subgraph(graph: nx.Graph, keep: Iterable[str]) -> nx.Graph:
    """The subgraph on ``keep`` as a new graph, nodes and edges in the graph's own order, so
    that a layout and a drawing do not depend on the iteration order of a set.

    Examples
    --------
    >>> g = nx.Graph([("C", "A"), ("A", "B"), ("B", "C")])
    >>> list(ordered_subgraph(g, {"A", "C"}).nodes)
    ['C', 'A']
    """
    keep = set(keep)
    part = nx.Graph()
    part.add_nodes_from((n, data) for n, data in graph.nodes(data=True) if n in keep)
    part.add_edges_from((a, b, data) for a, b, data in graph.edges(data=True)
                        if a in keep and b in keep)
    return part


def tied_subgraph(graph: nx.Graph, keep: Iterable[str] = dyad.DYAD) -> nx.Graph:
    """The states with a direct tie (and those in ``keep``), with the blocs some of them belong
    to: a snapshot thinned for drawing. Nodes and edges keep the graph's own order, so that a
    layout does not depend on the iteration order of a set.

    Parameters
    ----------
    graph
        A snapshot (:func:`albru.network.graph_at`, with ``orgs=True`` to keep the bloc nodes).
    keep
        States shown even without a direct tie (by default the pair of :mod:`albru.dyad`).

    Returns
    -------
    networkx.Graph
        A new graph.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_nodes_from(["ALB", "RUS", "POL", "CHN"], kind="state")
    >>> g.add_edges_from([("ALB", "CHN", {"basis": "tie"}), ("ALB", "POL", {"basis": "bloc"})])
    >>> list(tied_subgraph(g).nodes), list(tied_subgraph(g).edges)
    (['ALB', 'RUS', 'CHN'], [('ALB', 'CHN')])
    """
    tied = {n for edge in direct_edges(graph) for n in edge} | set(keep)
    shown = {n for n, kind in graph.nodes(data="kind") if kind == "state" and n in tied}
    blocs = {n for n, kind in graph.nodes(data="kind")
             if kind != "state" and shown & set(graph[n])}
    return ordered_subgraph(graph, shown | blocs)


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
    fold: int = 7,
) -> dict[str, tuple[float, float]]:
    """One set of node positions for a series of snapshots, the same in every panel and run.

    A fixed two-pole layout of the union of all snapshots, with no randomness: the first pole
    (Albania) sits at (-1, 0) and the second (Russia) at (1, 0). A state linked, in some
    snapshot, to both poles goes in the middle column (x = 0), one linked to the first pole
    only to the left (x = -2), to the second only to the right (x = 2), and one linked to
    neither to the outer column of the pole it is nearer to (the second on a tie), level with
    its first neighbour. Within a column, states take their places in the order they first
    appear in ``graphs``, alternating above and below the axis, ``step`` apart (the middle
    column leaves the axis free for the edge between the poles); an outer column of more than
    ``fold`` states folds outwards into further columns, 0.8 apart. Organizations form a row
    below the states, under the pole they are linked to (between the poles when linked to
    both or neither), ``1.6 * step`` apart so that two bloc squares side by side stay apart.

    Parameters
    ----------
    graphs
        Snapshots, in time order.
    poles
        The two states at (-1, 0) and (1, 0) (the dyad by default).
    step
        Vertical distance between states of a column.
    fold
        Most states in an outer column before it folds outwards.

    Returns
    -------
    dict
        Actor id -> (x, y), sorted by id, rounded to six decimals.

    Examples
    --------
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
        if x == 0.0:
            chunks = [row]
        else:  # a long outer column folds outwards into columns of at most `fold` states
            chunks = [row[k:k + fold] for k in range(0, len(row), fold)]
        for k, chunk in enumerate(chunks):
            x_k = x + (0.8 * k if x > 0 else -0.8 * k)
            for node, level in zip(chunk, _levels(len(chunk), skip_axis=x == 0.0), strict=True):
                pos[node] = (x_k, level * step)
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
            pos[node] = (centre + (i - (len(nodes) - 1) / 2) * step * 1.6, bottom - 2 * step)
    return {n: (round(float(x), 6), round(float(y), 6)) for n, (x, y) in sorted(pos.items())}


def _edge_style(data: Mapping) -> tuple[str, str, float]:
    """Colour, line style and width of an edge: bloc-only edges grey and dashed."""
    if data.get("basis") == "bloc":
        return BLOC_COLOR, BLOC_STYLE, 1.3
    return SIGN_COLORS[int(data["sign"])], "-", 2.2


def _drawn(graph: nx.Graph) -> set[str]:
    """What a snapshot shows, by legend entry."""
    out = set()
    for _, _, data in graph.edges(data=True):
        out.add("bloc" if data.get("basis") == "bloc" else f"sign{int(data['sign'])}")
    for node, kind in graph.nodes(data="kind"):
        out.add(node if node in ACTOR_COLORS else ("bloc-node" if kind == "organization" else ""))
    return out - {""}


def _network_handles(drawn: set[str]) -> list[Artist]:
    """Legend entries for what the snapshots drew, in a fixed order."""
    line = {"xdata": [], "ydata": []}
    dot = {"xdata": [], "ydata": [], "ls": "", "marker": "o", "markersize": 9,
           "markeredgecolor": "#333333"}
    entries = [
        ("sign1", Line2D(color=SIGN_COLORS[1], lw=2.2, label="allied tie", **line)),
        ("sign-1", Line2D(color=SIGN_COLORS[-1], lw=2.2, label="hostile tie", **line)),
        ("bloc", Line2D(color=BLOC_COLOR, ls=BLOC_STYLE, lw=1.3, label="shared bloc only",
                        **line)),
        *[(a, Line2D(markerfacecolor=c, label=f"{ACTOR_LABELS[a]} ({a})", **dot))
          for a, c in ACTOR_COLORS.items()],
        ("bloc-node", Line2D(markerfacecolor="white", label="bloc",
                             **{**dot, "marker": "s"})),
    ]
    return [handle for key, handle in entries if key in drawn]


def network_snapshot(
    graph: nx.Graph,
    *,
    pos: Mapping[str, tuple[float, float]] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    labels: Mapping[str, str] | None = None,
    legend: bool = True,
) -> Axes:
    """Draw one signed snapshot at fixed positions.

    Edges coloured by sign (grey and dashed when only a shared bloc links two states),
    organizations as squares, Albania and Russia highlighted, each node labelled with its id or
    its entry in ``labels``. Limits come from all of ``pos``, so panels drawn with the same
    ``pos`` line up.

    Parameters
    ----------
    graph
        From :func:`albru.network.graph_at`.
    pos
        Node positions; by default :func:`union_layout` of this graph.
    ax
        Where to draw; by default a new square figure.
    title
        The panel title.
    labels
        Short node labels by actor id.
    legend
        Add a legend of what was drawn (panels share one instead).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> g = nx.Graph([("ALB", "RUS", {"sign": -1, "basis": "tie"})])
    >>> nx.set_node_attributes(g, "state", "kind")
    >>> ax = network_snapshot(g, pos={"ALB": (0.0, 0.0), "RUS": (1.0, 0.0)})
    >>> sorted(t.get_text() for t in ax.texts)
    ['ALB', 'RUS']
    """
    if ax is None:
        ax = new_axes((PAGE_WIDTH / 2, PAGE_WIDTH / 2))
    pos = union_layout([graph]) if pos is None else pos
    edges = sorted(graph.edges(data=True))
    styles = [_edge_style(data) for _, _, data in edges]
    ax.add_collection(LineCollection(  # one collection per panel: far cheaper to draw
        [[pos[a], pos[b]] for a, b, _ in edges], zorder=1,
        colors=[c for c, _, _ in styles], linestyles=[ls for _, ls, _ in styles],
        linewidths=[w for _, _, w in styles]), autolim=False)
    nodes = sorted(graph.nodes(data="kind"))
    for marker, organization in (("o", False), ("s", True)):
        shown = [node for node, kind in nodes if (kind == "organization") == organization]
        ax.scatter([pos[n][0] for n in shown], [pos[n][1] for n in shown], s=360,
                   marker=marker, zorder=2, edgecolor="#333333", lw=0.8,
                   facecolor=[ACTOR_COLORS.get(n, "white") for n in shown])
    for node, _ in nodes:
        x, y = pos[node]
        ax.text(x, y, (labels or {}).get(node, node), ha="center", va="center",
                fontsize=FONT["small"], zorder=3,
                color="white" if node in ACTOR_COLORS else "black",
                fontweight="bold" if node in ACTOR_COLORS else "normal")
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    pad_x, pad_y = 0.14 * (max(xs) - min(xs) or 1), 0.14 * (max(ys) - min(ys) or 1)
    ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
    ax.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title or "", fontsize=FONT["normal"])
    if legend:
        ax.legend(handles=_network_handles(_drawn(graph)), loc="upper center",
                  bbox_to_anchor=(0.5, -0.02), ncols=2, fontsize=FONT["small"], frameon=False)
    return ax


def network_panels(
    graphs: Mapping[str, nx.Graph],
    *,
    pos: Mapping[str, tuple[float, float]] | None = None,
    ncols: int = 3,
    title: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> Figure:
    """Small multiples: one :func:`network_snapshot` per graph (titled by its key), all at the
    same positions, in a grid ``ncols`` wide, with one legend of what any panel drew below.

    Parameters
    ----------
    graphs
        Snapshots by panel title.
    pos
        Node positions; by default :func:`union_layout` of all the graphs.
    ncols
        Panels per row.
    title
        A title over the whole figure.
    labels
        Short node labels by actor id.

    Returns
    -------
    matplotlib.figure.Figure
        A multi-panel figure: its panels are ``fig.axes``, in the order of ``graphs``.

    Examples
    --------
    >>> g = nx.Graph([("ALB", "RUS", {"sign": 1, "basis": "tie"})])
    >>> nx.set_node_attributes(g, "state", "kind")
    >>> fig = network_panels({"1950": g, "1962": g}, ncols=2)
    >>> [ax.get_title() for ax in fig.axes]
    ['1950', '1962']
    """
    pos = union_layout(graphs.values()) if pos is None else pos
    ncols = max(1, min(ncols, len(graphs)))
    nrows = -(-len(graphs) // ncols)
    width = PAGE_WIDTH
    fig, grid = plt.subplots(nrows, ncols, figsize=(width, width / ncols * nrows * 0.8 + 1.0),
                             layout="constrained", squeeze=False)
    axes = list(grid.flat)
    drawn: set[str] = set()
    for ax, (name, graph) in zip(axes, graphs.items(), strict=False):
        network_snapshot(graph, pos=pos, ax=ax, title=name, labels=labels, legend=False)
        drawn |= _drawn(graph)
    for ax in axes[len(graphs):]:
        ax.remove()
    fig.legend(handles=_network_handles(drawn), loc="outside lower center", ncols=3,
               fontsize=FONT["small"], frameon=False)
    if title:
        fig.suptitle(title, fontsize=FONT["title"])
    return fig


def _finish(ax: Axes, eras: pd.DataFrame | None, era_legend: bool) -> None:
    legend_below(ax, ax.get_legend_handles_labels()[0], ncols=3)
    if eras is not None and era_legend:
        style_era_legend(ax, eras)


def _start(ax: Axes | None, series: pd.DataFrame, eras: pd.DataFrame | None) -> tuple[Axes,
                                                                                    np.ndarray]:
    ax = new_axes(FIGSIZE) if ax is None else ax
    x = years(series["date"])
    years_axis(ax, float(x.min()) - 1.0, float(x.max()) + 1.0,
               label="year (state on the snapshot day)")
    if eras is not None:
        era_bands(ax, eras)
        era_numbers(ax, eras)
    return ax, x


@shared_docs
def alignment_counts(
    series: pd.DataFrame,
    *,
    eras: pd.DataFrame | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    actor: str = ACTOR_LABELS[dyad.A],
    era_legend: bool = False,
) -> Axes:
    """Annual counts of an actor's allied states (upwards) and hostile states (downwards).

    Parameters
    ----------
    series
        From :func:`albru.network.position_series` (any run of years).
    {eras}
    {ax}
    title
        The title; by default one naming ``actor``.
    actor
        The actor's name for the title.
    era_legend
        Add the eras drawn to the legend.

    Returns
    -------
    matplotlib.axes.Axes
        Its x axis in decimal years.

    Examples
    --------
    >>> s = pd.DataFrame({"date": pd.to_datetime(["1950-07-01", "1951-07-01"]),
    ...                   "n_allies": [2, 1], "n_adversaries": [1, 1]})
    >>> ax = alignment_counts(s)
    >>> [t.get_text() for t in ax.get_legend().texts]
    ['allied states', 'hostile states']
    >>> sorted({abs(int(t)) for t in ax.get_yticks() if -1 <= t <= 2})
    [0, 1, 2]
    """
    ax, x = _start(ax, series, eras)
    for column, sign, label in [("n_allies", 1, "allied states"),
                                ("n_adversaries", -1, "hostile states")]:
        values = sign * series[column].to_numpy(float)
        ax.fill_between(x, 0, values, step="mid", color=SIGN_COLORS[sign], alpha=0.3, lw=0,
                        zorder=1)
        ax.step(x, values, where="mid", color=SIGN_COLORS[sign], lw=1.8, label=label, zorder=2)
    low, high = int(series["n_adversaries"].max()), int(series["n_allies"].max())
    ax.axhline(0, color="#333333", lw=0.8, zorder=2)
    ax.set_ylim(-low - 0.6, high + 0.9)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{abs(value):g}"))
    ax.tick_params(labelsize=FONT["small"])
    ax.set_ylabel("hostile (below) and allied\n(above) states", fontsize=FONT["normal"])
    ax.set_title(title or f"{actor}'s allied and hostile states, year by year",
                 fontsize=FONT["title"])
    _finish(ax, eras, era_legend)
    return ax


@shared_docs
def distance_series(
    series: pd.DataFrame,
    *,
    eras: pd.DataFrame | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    actor: str = ACTOR_LABELS[dyad.A],
    other: str = ACTOR_LABELS[dyad.B],
    era_legend: bool = False,
) -> Axes:
    """Annual path length between two states (over any edge, and over allied edges only), with
    the years when no allied path exists marked along the top.

    Parameters
    ----------
    series
        From :func:`albru.network.position_series` (``distance``, ``friendly_distance``).
    {eras}
    {ax}
    title
        The title; by default one naming the two states.
    actor, other
        The two states' names for the title.
    era_legend
        Add the eras drawn to the legend.

    Returns
    -------
    matplotlib.axes.Axes
        Its x axis in decimal years.

    Examples
    --------
    >>> s = pd.DataFrame({"date": pd.to_datetime(["1950-07-01", "1962-07-01"]),
    ...                   "distance": pd.array([1, 1], dtype="Int64"),
    ...                   "friendly_distance": pd.array([1, None], dtype="Int64")})
    >>> len(distance_series(s).get_legend().texts)
    3
    """
    ax, x = _start(ax, series, eras)
    any_path = series["distance"].astype("float64").to_numpy()
    friendly = series["friendly_distance"].astype("float64").to_numpy()
    both = np.concatenate([any_path, friendly])
    top = max(float(np.nanmax(both)) if np.isfinite(both).any() else 1.0, 1.0) + 1
    ax.step(x, any_path, where="mid", color="#555555", ls="--", lw=1.5, label="any path",
            zorder=2)
    ax.step(x, friendly, where="mid", color=SIGN_COLORS[1], lw=2.2, label="path of allies only",
            zorder=3)
    none = np.isnan(friendly)
    if none.any():
        ax.scatter(x[none], [top] * int(none.sum()), marker="|", s=60, color=SIGN_COLORS[-1],
                   zorder=3, label="no allied path")
    ax.set_ylim(0, top + 0.6)
    ax.set_yticks(range(int(top) + 1), [*map(str, range(int(top))), "none"])
    ax.tick_params(labelsize=FONT["small"])
    ax.set_ylabel("steps in the network", fontsize=FONT["normal"])
    ax.set_title(title or f"How many steps separate {actor} from {other}",
                 fontsize=FONT["title"])
    _finish(ax, eras, era_legend)
    return ax

