"""Figures shared by the notebooks: one palette, one function per figure, Axes in, Axes out.

Colours come from the Okabe-Ito palette, which stays distinguishable for readers
with the common forms of colour blindness.

>>> QUAD_COLORS[4]
'#D55E00'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

#: One colour per CAMEO quad class (1 verbal cooperation ... 4 material conflict).
QUAD_COLORS: dict[int, str] = {1: "#56B4E9", 2: "#009E73", 3: "#E69F00", 4: "#D55E00"}
#: Reader-facing names of the quad classes.
QUAD_LABELS: dict[int, str] = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
#: Edge colours for signed ties: allied (+1) and hostile (-1).
SIGN_COLORS: dict[int, str] = {1: "#0072B2", -1: "#D55E00"}
#: Highlight colours for the two states of the dyad.
ACTOR_COLORS: dict[str, str] = {"ALB": "#CC79A7", "RUS": "#0072B2"}
#: Pale band colours cycled over the eras, in time order.
_ERA_CYCLE: tuple[str, ...] = (
    "#E8ECF4", "#F6EAD8", "#E4F1EA", "#F3E3EC", "#EDEDED", "#E2EEF6", "#F5F0D8", "#EAE4F2",
)
#: Default size of a full-width figure, in inches.
FIGSIZE: tuple[float, float] = (10.0, 4.5)


def era_colors(era_ids: Sequence[str]) -> dict[str, str]:
    """Map era ids, given in time order, to band colours; the same ids always get the same colours.

    >>> era_colors(["a", "b"])
    {'a': '#E8ECF4', 'b': '#F6EAD8'}
    """
    return {era: _ERA_CYCLE[i % len(_ERA_CYCLE)] for i, era in enumerate(era_ids)}


def new_axes(figsize: tuple[float, float] = FIGSIZE) -> Axes:
    """A fresh Axes on a figure sized for a page.

    >>> new_axes().figure.get_size_inches().tolist()
    [10.0, 4.5]
    """
    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def era_bands(ax: Axes, eras: pd.DataFrame, *, labels: bool = True) -> Axes:
    """Shade each era (rows with ``era_id``, ``name``, ``start``, ``end``; end NaT = open) on a
    date axis, in the colours of :func:`era_colors`, with the era name at the top when
    ``labels``.

    >>> eras = pd.DataFrame({"era_id": ["a"], "name": ["A"],
    ...                      "start": pd.to_datetime(["1950-01-01"]), "end": [pd.NaT]})
    >>> ax = new_axes()
    >>> _ = ax.set_xlim(pd.Timestamp("1940"), pd.Timestamp("1960"))
    >>> len(era_bands(ax, eras).patches)
    1
    """
    colors = era_colors([str(e) for e in eras["era_id"]])
    right = mdates.num2date(ax.get_xlim()[1]).replace(tzinfo=None)
    for row in eras.itertuples():
        end = right if pd.isna(row.end) else row.end
        ax.axvspan(row.start, end, color=colors[str(row.era_id)], zorder=0, lw=0)
        if labels:
            ax.text(row.start, 0.98, f" {row.name}", rotation=90, rotation_mode="anchor",
                    transform=ax.get_xaxis_transform(), ha="right", va="top", fontsize=6.5,
                    color="#444444", clip_on=True)
    ax.set_xlim(right=right)
    return ax


def _network_handles() -> list[Line2D]:
    """Legend entries shared by every network figure."""
    line = {"xdata": [], "ydata": [], "lw": 2}
    dot = {"xdata": [], "ydata": [], "ls": "", "marker": "o", "markersize": 9,
           "markeredgecolor": "#333333"}
    return [
        Line2D(color=SIGN_COLORS[1], label="allied tie", **line),
        Line2D(color=SIGN_COLORS[-1], label="hostile tie", **line),
        Line2D(color=SIGN_COLORS[1], ls="--", label="shared bloc only", **line),
        Line2D(markerfacecolor=ACTOR_COLORS["ALB"], label="Albania (ALB)", **dot),
        Line2D(markerfacecolor=ACTOR_COLORS["RUS"], label="Russia / USSR (RUS)", **dot),
        Line2D(markerfacecolor="white", marker="s", label="bloc",
               **{k: v for k, v in dot.items() if k != "marker"}),
    ]


def network_snapshot(
    ax: Axes, graph: nx.Graph, pos: Mapping[str, tuple[float, float]], *, title: str = ""
) -> Axes:
    """Draw one signed snapshot at fixed positions: edges coloured by sign (dashed when only a
    shared bloc links two states), organizations as squares, Albania and Russia highlighted,
    each node labelled with its id at its own position. Limits come from all of ``pos``, so
    panels drawn with the same ``pos`` line up.

    >>> g = nx.Graph([("ALB", "RUS", {"sign": -1, "basis": "tie"})])
    >>> nx.set_node_attributes(g, "state", "kind")
    >>> ax = network_snapshot(new_axes(), g, {"ALB": (0.0, 0.0), "RUS": (1.0, 0.0)})
    >>> sorted(t.get_text() for t in ax.texts)
    ['ALB', 'RUS']
    """
    for a, b, data in sorted(graph.edges(data=True)):
        (x0, y0), (x1, y1) = pos[a], pos[b]
        ax.plot([x0, x1], [y0, y1], color=SIGN_COLORS[int(data["sign"])], zorder=1,
                ls="--" if data["basis"] == "bloc" else "-",
                lw=1.3 if data["basis"] == "bloc" else 2.2)
    for node, kind in sorted(graph.nodes(data="kind")):
        x, y = pos[node]
        ax.scatter([x], [y], s=420, marker="s" if kind == "organization" else "o", zorder=2,
                   facecolor=ACTOR_COLORS.get(node, "white"), edgecolor="#333333", lw=0.8)
        ax.text(x, y, node, ha="center", va="center", fontsize=6.5, zorder=3,
                color="white" if node in ACTOR_COLORS else "black",
                fontweight="bold" if node in ACTOR_COLORS else "normal")
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    pad_x, pad_y = 0.12 * (max(xs) - min(xs) or 1), 0.12 * (max(ys) - min(ys) or 1)
    ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
    ax.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=9)
    return ax


def network_panels(
    graphs: Mapping[str, nx.Graph],
    pos: Mapping[str, tuple[float, float]],
    *,
    ncols: int = 4,
) -> list[Axes]:
    """Small multiples: one :func:`network_snapshot` per graph (titled by its key), all at the
    same positions, in a grid ``ncols`` wide, with one shared legend below.

    >>> g = nx.Graph([("ALB", "RUS", {"sign": 1, "basis": "tie"})])
    >>> nx.set_node_attributes(g, "state", "kind")
    >>> axes = network_panels({"1950": g, "1962": g}, {"ALB": (0, 0), "RUS": (1, 0)}, ncols=2)
    >>> [ax.get_title() for ax in axes]
    ['1950', '1962']
    """
    nrows = -(-len(graphs) // ncols)
    width = FIGSIZE[0]
    fig, grid = plt.subplots(nrows, ncols, figsize=(width, width / ncols * nrows + 0.8),
                             layout="constrained", squeeze=False)
    axes = list(grid.flat)
    for ax, (title, graph) in zip(axes, graphs.items(), strict=False):
        network_snapshot(ax, graph, pos, title=title)
    for ax in axes[len(graphs):]:
        ax.remove()
    fig.legend(handles=_network_handles(), loc="outside lower center", ncols=6, fontsize=8,
               frameon=False)
    return axes[:len(graphs)]


def alignment_counts(ax: Axes, series: pd.DataFrame, eras: pd.DataFrame, *,
                     actor: str = "Albania") -> Axes:
    """Annual counts of an actor's allied and hostile states (a frame from
    :func:`albru.network.position_series`) as steps over era bands.

    >>> s = pd.DataFrame({"date": pd.to_datetime(["1950-07-01", "1951-07-01"]),
    ...                   "n_allies": [2, 1], "n_adversaries": [1, 1]})
    >>> eras = pd.DataFrame({"era_id": ["a"], "name": ["A"],
    ...                      "start": pd.to_datetime(["1945-01-01"]), "end": [pd.NaT]})
    >>> [t.get_text() for t in alignment_counts(new_axes(), s, eras).get_legend().texts]
    ['allied states', 'hostile states']
    """
    for column, sign, label in [("n_allies", 1, "allied states"),
                                ("n_adversaries", -1, "hostile states")]:
        ax.step(series["date"], series[column], where="mid", color=SIGN_COLORS[sign], lw=2,
                label=label, zorder=2)
    ax.set_xlim(series["date"].min() - pd.Timedelta(days=365), series["date"].max()
                + pd.Timedelta(days=365))
    era_bands(ax, eras[eras["end"].isna() | (eras["end"] >= series["date"].min())])
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("number of states")
    ax.set_xlabel("year (state on 1 July)")
    ax.set_title(f"{actor}'s allied and hostile states, year by year")
    ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=8)
    return ax


def distance_series(ax: Axes, series: pd.DataFrame, eras: pd.DataFrame, *,
                    actor: str = "Albania", other: str = "Russia") -> Axes:
    """Annual path length between two states (``distance`` over any edge, ``friendly_distance``
    over allied edges only, from :func:`albru.network.position_series`), with the years
    when no allied path exists marked along the top.

    >>> s = pd.DataFrame({"date": pd.to_datetime(["1950-07-01", "1962-07-01"]),
    ...                   "distance": pd.array([1, 1], dtype="Int64"),
    ...                   "friendly_distance": pd.array([1, None], dtype="Int64")})
    >>> eras = pd.DataFrame({"era_id": ["a"], "name": ["A"],
    ...                      "start": pd.to_datetime(["1945-01-01"]), "end": [pd.NaT]})
    >>> len(distance_series(new_axes(), s, eras).get_legend().texts)
    3
    """
    any_path = series["distance"].astype("float64")
    friendly = series["friendly_distance"].astype("float64")
    top = max(float(pd.concat([any_path, friendly]).max(skipna=True) or 1), 1.0) + 1
    ax.step(series["date"], any_path, where="mid", color="#555555", ls="--", lw=1.5,
            label="any path", zorder=2)
    ax.step(series["date"], friendly, where="mid", color=SIGN_COLORS[1], lw=2.2,
            label="path of allies only", zorder=3)
    none = series["date"][friendly.isna()]
    ax.scatter(none, [top] * len(none), marker="|", s=60, color=SIGN_COLORS[-1], zorder=3,
               label="no allied path")
    ax.set_xlim(series["date"].min() - pd.Timedelta(days=365), series["date"].max()
                + pd.Timedelta(days=365))
    era_bands(ax, eras[eras["end"].isna() | (eras["end"] >= series["date"].min())],
              labels=False)
    ax.set_ylim(0, top + 0.5)
    ax.set_yticks(range(int(top) + 1), [*map(str, range(int(top))), "none"])
    ax.set_ylabel("steps in the network")
    ax.set_xlabel("year (state on 1 July)")
    ax.set_title(f"How many steps separate {actor} from {other}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=8)
    return ax
