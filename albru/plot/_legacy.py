"""Figures shared by the notebooks: one palette, one function per figure, Axes in, Axes out.

Colours come from the Okabe-Ito palette, which stays distinguishable for readers
with the common forms of colour blindness.

>>> QUAD_COLORS[4]
'#D55E00'
"""

from __future__ import annotations

import textwrap
from collections.abc import Hashable, Mapping, Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from albru.dates import DAYS_PER_YEAR
from albru.incidents import KINDS, BinnedCounts

__all__ = [
    "ACTOR_COLORS",
    "FIGSIZE",
    "QUAD_COLORS",
    "QUAD_LABELS",
    "QUAD_MARKERS",
    "SIGN_COLORS",
    "TALL_FIGSIZE",
    "alignment_counts",
    "annual_net_bars",
    "cumulative_incidents",
    "distance_series",
    "era_bands",
    "era_colors",
    "era_handles",
    "era_numbers",
    "era_quad_bars",
    "event_timeline",
    "incident_counts",
    "incident_rates",
    "kind_styles",
    "network_panels",
    "network_snapshot",
    "new_axes",
]

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
ACTOR_COLORS: dict[str, str] = {"ALB": "#CC79A7", "RUS": "#000000"}
#: Pale band colours cycled over the eras, in time order.
_ERA_CYCLE: tuple[str, ...] = (
    "#E8ECF4", "#F6EAD8", "#E4F1EA", "#F3E3EC", "#EDEDED", "#E2EEF6",
    "#F5F0D8", "#EAE4F2", "#F8E1DC", "#DFF0EF", "#EEF3DC", "#F1E6DA",
)
#: Default size of a full-width figure, in inches.
FIGSIZE: tuple[float, float] = (10.0, 4.5)


def era_colors(era_ids: Sequence[str] | pd.Series) -> dict[str, str]:
    """Map era ids, given in time order, to band colours; the same ids always get the same colours.

    A column of the loader's ordered era categorical counts every era, also those filtered
    out, so a subset of eras keeps the colours it has in the full list.

    >>> era_colors(["a", "b"])
    {'a': '#E8ECF4', 'b': '#F6EAD8'}
    >>> era_colors(pd.Series(["b"], dtype=pd.CategoricalDtype(["a", "b"], ordered=True)))
    {'a': '#E8ECF4', 'b': '#F6EAD8'}
    """
    if isinstance(era_ids, pd.Series) and isinstance(era_ids.dtype, pd.CategoricalDtype):
        era_ids = era_ids.cat.categories
    ids = [str(era) for era in era_ids]
    return {era: _ERA_CYCLE[i % len(_ERA_CYCLE)] for i, era in enumerate(ids)}


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
    colors = era_colors(eras["era_id"])
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
        Line2D(color=SIGN_COLORS[1], ls="--", label="bloc membership", **line),
        Line2D(markerfacecolor=ACTOR_COLORS["ALB"], label="Albania (ALB)", **dot),
        Line2D(markerfacecolor=ACTOR_COLORS["RUS"], label="Russia / USSR (RUS)", **dot),
        Line2D(markerfacecolor="white", marker="s", label="bloc",
               **{k: v for k, v in dot.items() if k != "marker"}),
    ]


def network_snapshot(
    ax: Axes,
    graph: nx.Graph,
    pos: Mapping[str, tuple[float, float]],
    *,
    title: str = "",
    labels: Mapping[str, str] | None = None,
) -> Axes:
    """Draw one signed snapshot at fixed positions: edges coloured by sign (dashed when only a
    shared bloc links two states), organizations as squares, Albania and Russia highlighted,
    each node labelled at its own position with its id or its entry in ``labels``. Limits come
    from all of ``pos``, so panels drawn with the same ``pos`` line up.

    >>> g = nx.Graph([("ALB", "RUS", {"sign": -1, "basis": "tie"})])
    >>> nx.set_node_attributes(g, "state", "kind")
    >>> ax = network_snapshot(new_axes(), g, {"ALB": (0.0, 0.0), "RUS": (1.0, 0.0)})
    >>> sorted(t.get_text() for t in ax.texts)
    ['ALB', 'RUS']
    """
    edges = sorted(graph.edges(data=True))
    bloc = [data["basis"] == "bloc" for _, _, data in edges]
    ax.add_collection(LineCollection(  # one collection per panel: far cheaper to draw
        [[pos[a], pos[b]] for a, b, _ in edges], zorder=1,
        colors=[SIGN_COLORS[int(data["sign"])] for _, _, data in edges],
        linestyles=["--" if b else "-" for b in bloc],
        linewidths=[1.3 if b else 2.2 for b in bloc]), autolim=False)
    nodes = sorted(graph.nodes(data="kind"))
    for marker, organization in (("o", False), ("s", True)):
        shown = [node for node, kind in nodes if (kind == "organization") == organization]
        ax.scatter([pos[n][0] for n in shown], [pos[n][1] for n in shown], s=420,
                   marker=marker, zorder=2, edgecolor="#333333", lw=0.8,
                   facecolor=[ACTOR_COLORS.get(n, "white") for n in shown])
    for node, _ in nodes:
        x, y = pos[node]
        ax.text(x, y, (labels or {}).get(node, node), ha="center", va="center", fontsize=6.5,
                zorder=3, color="white" if node in ACTOR_COLORS else "black",
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
    labels: Mapping[str, str] | None = None,
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
        network_snapshot(ax, graph, pos, title=title, labels=labels)
    for ax in axes[len(graphs):]:
        ax.remove()
    fig.legend(handles=_network_handles(), loc="outside lower center", ncols=6, fontsize=8,
               frameon=False)
    return axes[:len(graphs)]


def _era_axis(ax: Axes, series: pd.DataFrame, eras: pd.DataFrame, legend: bool) -> None:
    """Date limits a year beyond ``series``, numbered era bands and, with ``legend``, an era
    legend beside the axes (below the series legend already drawn)."""
    ax.set_xlim(series["date"].min() - pd.Timedelta(days=365),
                series["date"].max() + pd.Timedelta(days=365))
    shown = eras[eras["end"].isna() | (eras["end"] >= series["date"].min())]
    era_bands(ax, shown, labels=False)
    era_numbers(ax, shown, top=True)
    first = ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=8)
    if legend:
        ax.add_artist(first)
        ax.legend(handles=era_handles(shown, numbered=True), loc="lower left", title="eras",
                  bbox_to_anchor=(1.005, 0.0), fontsize=7, title_fontsize=8)


def alignment_counts(ax: Axes, series: pd.DataFrame, eras: pd.DataFrame, *,
                     actor: str = "Albania", era_legend: bool = False) -> Axes:
    """Annual counts of an actor's allied states (upwards) and hostile states (downwards), from
    :func:`albru.network.position_series`, over numbered era bands.

    >>> s = pd.DataFrame({"date": pd.to_datetime(["1950-07-01", "1951-07-01"]),
    ...                   "n_allies": [2, 1], "n_adversaries": [1, 1]})
    >>> eras = pd.DataFrame({"era_id": ["a"], "name": ["A"],
    ...                      "start": pd.to_datetime(["1945-01-01"]), "end": [pd.NaT]})
    >>> ax = alignment_counts(new_axes(), s, eras)
    >>> [t.get_text() for t in ax.get_legend().texts], [t.get_text() for t in ax.get_yticklabels()]
    (['allied states', 'hostile states'], ['1', '0', '1', '2'])
    """
    for column, sign, label in [("n_allies", 1, "allied states"),
                                ("n_adversaries", -1, "hostile states")]:
        values = sign * series[column]
        ax.fill_between(series["date"], 0, values, step="mid", color=SIGN_COLORS[sign],
                        alpha=0.3, lw=0, zorder=1)
        ax.step(series["date"], values, where="mid", color=SIGN_COLORS[sign], lw=1.8,
                label=label, zorder=2)
    low, high = int(series["n_adversaries"].max()), int(series["n_allies"].max())
    ax.axhline(0, color="#333333", lw=0.8, zorder=2)
    ax.set_yticks(range(-low, high + 1), [str(abs(t)) for t in range(-low, high + 1)])
    ax.set_ylim(-low - 0.6, high + 0.9)
    ax.set_ylabel("hostile (below) and allied\n(above) states")
    ax.set_xlabel("year (state on 1 July)")
    ax.set_title(f"{actor}'s allied and hostile states, year by year")
    _era_axis(ax, series, eras, era_legend)
    return ax


def distance_series(ax: Axes, series: pd.DataFrame, eras: pd.DataFrame, *,
                    actor: str = "Albania", other: str = "Russia",
                    era_legend: bool = False) -> Axes:
    """Annual path length between two states (``distance`` over any edge, ``friendly_distance``
    over allied edges only, from :func:`albru.network.position_series`), with the years
    when no allied path exists marked along the top, over numbered era bands.

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
    ax.set_ylim(0, top + 0.6)
    ax.set_yticks(range(int(top) + 1), [*map(str, range(int(top))), "none"])
    ax.set_ylabel("steps in the network")
    ax.set_xlabel("year (state on 1 July)")
    ax.set_title(f"How many steps separate {actor} from {other}")
    _era_axis(ax, series, eras, era_legend)
    return ax


#: One marker per quad class, so the classes differ in shape as well as in colour.
QUAD_MARKERS: dict[int, str] = {1: "o", 2: "s", 3: "^", 4: "D"}
#: Size of a tall full-width figure (the event timeline), in inches.
TALL_FIGSIZE: tuple[float, float] = (10.0, 7.5)
#: Height of each quad-class lane on the event timeline, cooperation on top.
_LANE_Y: dict[int, float] = {1: 3.0, 2: 2.0, 3: 1.0, 4: 0.0}
#: Offsets of the sub-rows inside a lane, used in turn when events crowd together.
_SUBROW: tuple[float, ...] = (0.0, 0.18, -0.18, 0.36, -0.36)
#: Opacity of the context events on the timeline.
_FADED: float = 0.3


def era_handles(eras: pd.DataFrame, *, numbered: bool = False) -> list[Patch]:
    """Legend patches in the colours :func:`era_bands` gives the same eras, in table order;
    ``numbered`` puts the era's number (as :func:`era_numbers` writes it) before its name.

    >>> eras = pd.DataFrame({"era_id": ["a", "b"], "name": ["A", "B"]})
    >>> [p.get_label() for p in era_handles(eras, numbered=True)]
    ['1  A', '2  B']
    """
    colors = era_colors(eras["era_id"])
    return [Patch(facecolor=colors[str(e)], edgecolor="#999999", lw=0.5,
                  label=f"{i}  {n}" if numbered else str(n))
            for i, (e, n) in enumerate(zip(eras["era_id"], eras["name"], strict=True), 1)]


def era_numbers(ax: Axes, eras: pd.DataFrame, *, top: bool = False,
                y: float | None = None) -> Axes:
    """Write each era's number (1, 2, ... in table order) at the foot (or ``top``) of its band on
    a date axis, or at height ``y`` in data units, so that eras whose band colours repeat stay
    apart; an open era runs to the right edge of the x limits, which must be set first.

    >>> eras = pd.DataFrame({"era_id": ["a", "b"], "name": ["A", "B"],
    ...                      "start": pd.to_datetime(["1950-01-01", "1960-01-01"]),
    ...                      "end": pd.to_datetime(["1959-12-31", None])})
    >>> ax = new_axes(); _ = ax.set_xlim(pd.Timestamp("1950"), pd.Timestamp("1970"))
    >>> [t.get_text() for t in era_numbers(ax, eras).texts]
    ['1', '2']
    """
    right = mdates.num2date(ax.get_xlim()[1]).replace(tzinfo=None)
    for i, (start, end) in enumerate(zip(eras["start"], eras["end"], strict=True), 1):
        stop = right if pd.isna(end) else end + pd.Timedelta(days=1)
        ax.text(start + (stop - start) / 2, (0.99 if top else 0.01) if y is None else y,
                str(i), fontsize=7, ha="center", va="top" if top else "bottom",
                transform=ax.get_xaxis_transform() if y is None else ax.transData,
                color="#555555", gid="era-number")
    return ax


def _lane_positions(events: pd.DataFrame, gap_days: float) -> pd.Series:
    """A y position per event: its quad-class lane, moved to a sub-row so that events of one
    lane closer than ``gap_days`` do not hide each other (greedy, in table order)."""
    y = pd.Series(0.0, index=events.index)
    for q, lane in events.groupby(events["quad_class"].astype(int), sort=True):
        row_end: list[pd.Timestamp] = []
        for key, start, end in zip(lane.index, lane["start"], lane["end"], strict=True):
            free = [r for r, last in enumerate(row_end) if (start - last).days > gap_days]
            if free:
                row = free[0]
                row_end[row] = end
            else:
                row = len(row_end)
                row_end.append(end)
            y[key] = _LANE_Y[q] + _SUBROW[row % len(_SUBROW)]
    return y


def _timeline_handles(eras: pd.DataFrame, faded: bool) -> list[Artist]:
    """Legend entries of the event timeline: quad classes, point or span, faded, eras."""
    quads = [Line2D([], [], lw=3, marker=QUAD_MARKERS[q], color=QUAD_COLORS[q],
                    label=QUAD_LABELS[q]) for q in sorted(QUAD_COLORS)]
    kinds = [
        Line2D([], [], ls="", marker="o", color="#777777", label="dated to the day"),
        Line2D([], [], lw=3, marker="|", markersize=9, color="#777777",
               label="known to a month, year or decade (span)"),
    ]
    if faded:
        kinds.append(Line2D([], [], lw=3, marker="o", color=to_rgba("#777777", _FADED),
                            label="pale: an event of other actors (context)"))
    return quads + kinds + era_handles(eras, numbered=True)


def _place_labels(ax: Axes, anchors: list[tuple[float, float]], texts: list[str],
                  above: list[bool], lanes: tuple[float, float]) -> list[Text]:
    """Write ``texts`` in rows above the lanes (where ``above``) or below them, each joined by a
    thin leader line to its anchor (x as a date number, y in data). On each side the rows are
    filled by :func:`_label_rows`, so no two labels overlap; the y limits are set so that the
    rows and the lanes (``lanes``: their lowest and highest y) fit. Sizes are measured once the
    figure's layout has placed the axes; the leaders are plain lines (one collection, gid
    ``event-leaders``) from the edge of each label to its anchor, drawn under the markers."""
    labels = [ax.text(anchor[0], 1.0 if up else 0.0, text, transform=ax.get_xaxis_transform(),
                      ha="center", va="bottom" if up else "top", fontsize=7, zorder=6,
                      gid="event-label",
                      bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none",
                            "alpha": 0.85})
              for anchor, text, up in zip(anchors, texts, above, strict=True)]
    if not labels:
        return labels
    fig, pad = ax.figure, 6.0
    if fig.get_layout_engine() is not None:
        fig.get_layout_engine().execute(fig)  # places the axes as a draw would, drawing nothing
    renderer = fig.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    sizes = [t.get_window_extent(renderer) for t in labels]
    row_h = max(s.height for s in sizes) + pad
    points = [ax.transData.transform((x, 0.0))[0] for x, _ in anchors]
    centres = [min(max(p, box.x0 + s.width / 2 + 1), box.x1 - s.width / 2 - 1)
               for p, s in zip(points, sizes, strict=True)]
    share, offset = {}, [0.0] * len(labels)
    for side in (True, False):
        idx = [i for i, up in enumerate(above) if up == side]
        placed = _label_rows([points[i] for i in idx], [centres[i] for i in idx],
                             [sizes[i].width for i in idx], pad, limit=box.x1 - 1)
        rows = [row for row, _ in placed]
        share[side] = ((max(rows) + 1) * row_h + pad) / box.height if idx else 0.0
        for i, (row, centre) in zip(idx, placed, strict=True):
            offset[i] = (pad / 2 + row * row_h) / box.height
            centres[i] = centre
    if share[True] + share[False] > 0.75:
        raise ValueError(f"{len(labels)} labels need too many rows for the height of the figure")
    low, high = lanes
    height = (high - low) / (1 - share[True] - share[False])
    bottom, top = low - share[False] * height, high + share[True] * height
    ax.set_ylim(bottom, top)
    to_data = ax.transData.inverted()
    leaders = []
    for i, label in enumerate(labels):
        x = to_data.transform((centres[i], 0.0))[0]
        y = 1 - share[True] + offset[i] if above[i] else share[False] - offset[i]
        label.set_position((x, y))
        leaders.append([(x, bottom + y * (top - bottom)), anchors[i]])
    ax.add_collection(LineCollection(leaders, colors="#888888", linewidths=0.6, zorder=2.9,
                                     gid="event-leaders"), autolim=False)
    return labels


def _label_rows(anchors: list[float], centres: list[float], widths: list[float], pad: float,
                limit: float = float("inf")) -> list[tuple[int, float]]:
    """A row (0 = nearest the lanes) and a centre for each label, in display units. Labels are
    taken from left to right. Each may stay at its centre or slide right, by at most its width
    and not past ``limit``, to the first free place of a row; among the places where it overlaps
    no label it takes the one where the fewest leader lines cross a label (a leader runs
    straight from the label's centre to its anchor below the rows), then the one not slid, then
    the lowest row.

    >>> _label_rows([0, 5, 50], [0, 5, 50], [20, 20, 20], pad=2)  # the second slides right
    [(0, 0.0), (0, 22.0), (0, 50.0)]
    """
    placed: dict[int, tuple[int, float]] = {}

    def leader_at(j: int, row: int, centre: float, height: float) -> float:
        """Where label j's leader, from row ``row`` down to the anchor, is at ``height`` rows."""
        return anchors[j] + (centre - anchors[j]) * (height + 1) / (row + 1.5)

    def covers(j: int, x: float) -> bool:
        centre = placed[j][1]
        return centre - widths[j] / 2 - pad <= x <= centre + widths[j] / 2 + pad

    for i in sorted(range(len(centres)), key=lambda k: (centres[k], k)):
        half = widths[i] / 2
        options = []
        for row in range(max((r for r, _ in placed.values()), default=-1) + 2):
            edges = [c + widths[j] / 2 + pad for j, (r, c) in placed.items() if r == row]
            for centre in sorted({float(centres[i]), max(edges, default=-np.inf) + half}):
                slid = centre != centres[i]
                if slid and not centres[i] < centre <= min(centres[i] + widths[i], limit - half):
                    continue
                if any(r == row and abs(c - centre) < (widths[j] / 2 + half + pad)
                       for j, (r, c) in placed.items()):
                    continue
                crossings = sum(covers(j, leader_at(i, row, centre, r + 0.5))
                                for j, (r, _) in placed.items() if r < row)
                crossings += sum(
                    abs(leader_at(j, r, c, row + 0.5) - centre) <= half + pad
                    for j, (r, c) in placed.items() if r > row)
                options.append((crossings, slid, row, centre))
        crossings, _, row, centre = min(options)
        placed[i] = (row, centre)
    return [placed[i] for i in range(len(centres))]


def event_timeline(ax: Axes, events: pd.DataFrame, eras: pd.DataFrame, *,
                   until: pd.Timestamp, labels: Mapping[Hashable, str] | None = None,
                   context: pd.Series | None = None, wrap: int = 22) -> Axes:
    """Every event on one time axis over the era bands, in a lane per quad class (cooperation
    on top): a point, in the class's colour and marker, when the day is known; a bar over the
    whole span of possible dates when only a month, season, year or decade is. ``labels`` maps
    event index labels to short texts, written in non-overlapping rows above the lanes for
    cooperation and below them for conflict; ``context`` (a boolean per event) draws the events
    it marks pale.

    >>> events = pd.DataFrame({"start": pd.to_datetime(["1924-04-07", "1960-01-01"]),
    ...                        "end": pd.to_datetime(["1924-04-07", "1969-12-31"]),
    ...                        "quad_class": [2, 3]})
    >>> eras = pd.DataFrame({"era_id": ["a"], "name": ["A"],
    ...                      "start": pd.to_datetime(["1912-01-01"]), "end": [pd.NaT]})
    >>> ax = event_timeline(new_axes(), events, eras, until=pd.Timestamp("1970-12-31"),
    ...                     labels={0: "relations opened"})
    >>> [len(c.get_segments()) for c in ax.collections if c.get_gid() == "imprecise-spans"]
    [1]
    """
    one_day = pd.Timedelta(days=1)
    ax.set_xlim(eras["start"].min() - pd.Timedelta(days=365), until + pd.Timedelta(days=365))
    era_bands(ax, eras, labels=False)
    era_numbers(ax, eras, y=-0.85)
    quad = events["quad_class"].astype(int)
    y = _lane_positions(events, gap_days=400)
    span = events["end"] > events["start"]
    pale = pd.Series(False, index=events.index) if context is None else context.astype(bool)
    rgba = [to_rgba(QUAD_COLORS[q], _FADED if p else 1.0) for q, p in zip(quad, pale, strict=True)]
    rgba = pd.Series(rgba, index=events.index)
    for q in sorted(QUAD_COLORS):
        point = (quad == q) & ~span
        ax.scatter(events.loc[point, "start"], y[point], marker=QUAD_MARKERS[q], s=34,
                   color=rgba[point].tolist(), edgecolor="white", lw=0.4, zorder=4,
                   gid=f"events-q{q}")
    bar = events[span]
    colors = rgba[span].tolist()
    ax.hlines(y[span], bar["start"], bar["end"] + one_day, colors=colors, lw=3, zorder=3,
              gid="imprecise-spans")
    for edge in (bar["start"], bar["end"] + one_day):
        ax.scatter(edge, y[span], marker="|", s=60, color=colors, lw=1.2, zorder=3)
    ax.set_yticks([_LANE_Y[q] for q in sorted(QUAD_COLORS)],
                  [QUAD_LABELS[q] for q in sorted(QUAD_COLORS)])
    ax.set_ylim(-0.9, 3.7)
    ax.xaxis.set_major_locator(mdates.YearLocator(10))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_xlabel("year (bars: the span of possible dates)")
    ax.set_ylabel("quad class")
    ax.set_title("Albania and Russia: every coded event, 1912 to today")
    ax.legend(handles=_timeline_handles(eras, bool(pale.any())), loc="upper center",
              bbox_to_anchor=(0.5, -0.1),
              ncols=4, fontsize=7.5, frameon=False)
    labels = dict(labels or {})
    keys = [k for k in events.index if k in labels]
    mid = events["start"] + (events["end"] + one_day - events["start"]) / 2
    anchors = [(float(mdates.date2num(mid[k])), float(y[k])) for k in keys]
    _place_labels(ax, anchors, [textwrap.fill(labels[k], wrap) for k in keys],
                  above=[bool(quad[k] <= 2) for k in keys], lanes=(-0.9, 3.7))
    return ax


def era_quad_bars(ax: Axes, summary: pd.DataFrame, *, rate: bool = False, wrap: int = 30) -> Axes:
    """Per-era stacked bars of quad-class counts (or, with ``rate``, events per year of era), from
    :func:`albru.eras.era_summary`; eras top to bottom in time order, numbered as in
    :func:`era_numbers`, each bar ending in the era's event count and yearly rate.

    >>> s = pd.DataFrame({"name": ["A", "B"], "years": [2.0, 4.0], "events": [3, 1],
    ...                   "start": pd.to_datetime(["1950-01-01", "1952-01-01"]),
    ...                   "end": pd.to_datetime(["1951-12-31", "1955-12-31"]),
    ...                   "open": [False, True],
    ...                   "q1": [2, 0], "q2": [1, 0], "q3": [0, 1], "q4": [0, 0]})
    >>> ax = era_quad_bars(new_axes(), s)
    >>> [float(p.get_width()) for p in ax.patches][:2]
    [2.0, 0.0]
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['1  A (1950-1951)', '2  B (since 1952)']
    >>> [t.get_text() for t in ax.texts]
    [' 3 events, 1.50 a year', ' 1 event, 0.25 a year']
    """
    names = [textwrap.fill(f"{i}  {n} " + (f"(since {a.year})" if o else f"({a.year}-{b.year})"),
                           wrap)
             for i, (n, a, b, o) in enumerate(zip(summary["name"], summary["start"],
                                                  summary["end"], summary["open"],
                                                  strict=True), 1)]
    y = range(len(summary))
    left = pd.Series(0.0, index=summary.index)
    for q in sorted(QUAD_COLORS):
        width = summary[f"q{q}"] / (summary["years"] if rate else 1)
        ax.barh(y, width, left=left, color=QUAD_COLORS[q], label=QUAD_LABELS[q],
                edgecolor="white", lw=0.5, gid=f"quad-{q}")
        left = left + width
    for i, (total, n, years) in enumerate(zip(left, summary["events"], summary["years"],
                                              strict=True)):
        ax.text(total, i, f" {int(n)} event{'s' if n != 1 else ''}, {n / years:.2f} a year",
                va="center", fontsize=8)
    ax.set_yticks(list(y), names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, float(left.max()) * 1.3 or 1.0)
    ax.set_xlabel("events per year of era" if rate else "events")
    ax.set_ylabel("era")
    ax.set_title("What kind of events each era holds" + (" (per year of era)" if rate else ""))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=4, fontsize=8,
              frameon=False)
    return ax


def annual_net_bars(ax: Axes, net: pd.Series, eras: pd.DataFrame, *,
                    fit: pd.Series | None = None, shifts: list[int] | None = None) -> Axes:
    """Net cooperation per year (``net`` indexed by year; each bar covers its calendar year)
    over the era bands, with an optional step line ``fit`` (indexed like ``net``) and dashed
    lines at the first year of each detected shift.

    >>> net = pd.Series([2.0, -3.0, 0.0], index=[1960, 1961, 1962])
    >>> eras = pd.DataFrame({"era_id": ["a"], "name": ["A"],
    ...                      "start": pd.to_datetime(["1950-01-01"]), "end": [pd.NaT]})
    >>> ax = annual_net_bars(new_axes(), net, eras, shifts=[1961])
    >>> from matplotlib.colors import to_rgb
    >>> [p.get_facecolor()[:3] == to_rgb(SIGN_COLORS[-1]) for p in ax.patches[-3:]]
    [False, True, False]
    """
    years = net.index.astype(int)
    first = pd.to_datetime([f"{y}-01-01" for y in years])
    edges = [*first, pd.Timestamp(year=int(years[-1]) + 1, month=1, day=1)]
    ax.set_xlim(edges[0] - pd.Timedelta(days=365), edges[-1] + pd.Timedelta(days=365))
    era_bands(ax, eras, labels=False)
    era_numbers(ax, eras, top=True)
    colors = [SIGN_COLORS[1] if v >= 0 else SIGN_COLORS[-1] for v in net]
    days = pd.Series(edges).diff().dropna().dt.days.to_numpy()
    ax.bar(first, net.to_numpy(), width=days, align="edge", color=colors, zorder=2, gid="net-bars")
    ax.axhline(0, color="#555555", lw=0.6, zorder=2)
    handles: list[Artist] = [Patch(color=SIGN_COLORS[1], label="net cooperative year"),
                             Patch(color=SIGN_COLORS[-1], label="net conflictual year")]
    if fit is not None:
        ax.stairs(fit.to_numpy(), mdates.date2num(edges), color="black", lw=1.4, zorder=3,
                  baseline=None, gid="segment-means")
        handles.append(Line2D([], [], color="black", lw=1.4, label="mean between shifts"))
    for year in shifts or []:
        ax.axvline(pd.Timestamp(year=int(year), month=1, day=1), color="black", ls="--",
                   lw=1.0, zorder=3, gid="shift")
    if shifts:
        handles.append(Line2D([], [], color="black", ls="--", lw=1.0, label="detected shift"))
    ax.xaxis.set_major_locator(mdates.YearLocator(10))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_xlabel("year")
    ax.set_ylabel("sum of Goldstein weights")
    ax.set_title("Net cooperation year by year: where the data itself turns")
    ax.legend(handles=handles + era_handles(eras, numbered=True), loc="upper center",
              bbox_to_anchor=(0.5, -0.15), ncols=4, fontsize=7.5, frameon=False)
    return ax


def kind_styles(kinds: Sequence[str]) -> dict[str, tuple[str, str]]:
    """A (colour, hatch) pair per incident kind: colours cycle through the palette in the given
    order; kinds of material conflict (quad class 4 in ``albru.incidents.KINDS``) are hatched.

    >>> kind_styles(["criticism", "expulsion"])
    {'criticism': ('#56B4E9', ''), 'expulsion': ('#009E73', '///')}
    """
    colours = list(dict.fromkeys([*QUAD_COLORS.values(), *ACTOR_COLORS.values()]))
    return {
        kind: (colours[i % len(colours)],
               ("///" if KINDS[kind][0] == 4 else "") + ("", "..", "oo")[i // len(colours) % 3])
        for i, kind in enumerate(kinds)
    }


def incident_counts(
    ax: Axes, binned: BinnedCounts, eras: pd.DataFrame | None = None, title: str | None = None
) -> Axes:
    """Stacked bars of incidents per bin and kind; imprecise ones drawn apart as hatched ranges.

    `binned` comes from ``albru.incidents.count_by_bin``. An incident whose date spans several
    bins is not in any bar: it is drawn below the axis line as a range over its possible years.
    With `eras`, the eras are shaded behind the bars and numbered at the top (as in
    :func:`incident_rates`).

    >>> import albru.incidents as inc
    >>> from albru.examples import dyad_eras, dyad_events
    >>> ax = incident_counts(new_axes(), inc.count_by_bin(inc.incidents(dyad_events())))
    >>> sum(float(p.get_height()) for c in ax.containers[:2] for p in c)
    2.0
    """
    counts, width = binned.counts, binned.width
    styles = kind_styles([str(k) for k in counts.columns])
    left = [pd.Timestamp(year=int(b), month=1, day=1) for b in counts.index]
    bar_width = pd.Timedelta(days=DAYS_PER_YEAR * width * 0.85)
    bottom = np.zeros(len(counts))
    for kind in counts.columns:
        colour, hatch = styles[str(kind)]
        heights = counts[kind].to_numpy()
        drawn = heights > 0  # empty bars are invisible but costly to draw (hatches)
        ax.bar([x for x, d in zip(left, drawn, strict=True) if d], heights[drawn],
               width=bar_width, bottom=bottom[drawn], align="edge", color=colour, hatch=hatch,
               edgecolor="white", linewidth=0.3, label=str(kind))
        bottom = bottom + heights
    apart = binned.apart.sort_values(["first_year", "last_year", "event_id"])
    for lane, row in enumerate(apart.itertuples()):
        y = -0.8 * (lane + 1)
        colour, _ = styles[str(row.kind)]
        start = pd.Timestamp(year=int(row.first_year), month=1, day=1)
        end = pd.Timestamp(year=int(row.last_year), month=12, day=31)
        ax.errorbar([start + (end - start) / 2], [y], xerr=[[(end - start) / 2]] * 2, fmt="none",
                    ecolor=colour, elinewidth=2.5, capsize=4,
                    label="dated only to a span of years (not in the bars)" if lane == 0 else None)
        ax.text(end, y, f"  {row.date}: {row.kind}", va="center", fontsize=7)
    if len(apart):
        ax.axhline(0, color="#333333", linewidth=0.8)
    top = float(bottom.max()) * 1.12 + 1
    ax.set_ylim(-0.8 * (len(apart) + 1) if len(apart) else 0, top)
    if eras is not None:
        ax.set_xlim(left[0] - bar_width, left[-1] + 2 * bar_width)
        era_bands(ax, eras, labels=False)
        era_numbers(ax, eras, top=True)
    unit = "year" if width == 1 else f"{width} years"
    ax.set_ylabel(f"incidents per {unit}")
    ax.set_xlabel("year")
    ax.set_yticks([t for t in range(0, int(bottom.max()) + 2, 1 if bottom.max() < 10 else 2)])
    ax.set_title(title or f"Albania–Russia incidents per {unit}, by kind")
    ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=7,
              title="kind (hatched: material)", title_fontsize=7, frameon=False)
    return ax


def incident_rates(ax: Axes, rates: pd.DataFrame, title: str | None = None) -> Axes:
    """Incidents per year of each era on a log scale, the exact Poisson interval as a bar.

    `rates` comes from ``albru.incidents.era_rates``. Eras are numbered in time order, as
    :func:`era_numbers` numbers their bands; an era without incidents has no point, only the
    upper end of its interval (its bar starts at the foot of the axis).

    >>> import albru.incidents as inc
    >>> from albru.examples import dyad_eras, dyad_events
    >>> r = inc.era_rates(inc.incidents(dyad_events()), dyad_eras(),
    ...                   pd.Timestamp("2022-12-31"))
    >>> [t.get_text() for t in incident_rates(new_axes(), r).get_xticklabels()]
    ['1  Early', '2  Cold', '3  Late']
    """
    x = np.arange(len(rates))
    colours = era_colors(rates["era_id"])
    positive = rates["lower"][rates["lower"] > 0]
    floor = 10 ** np.floor(np.log10(float(positive.min()) if len(positive) else 0.01))
    lower = rates["lower"].clip(lower=floor)
    ax.bar(x, rates["upper"] - lower, bottom=lower, width=0.6,
           color=[colours[str(e)] for e in rates["era_id"]], edgecolor="#999999",
           label="95% exact Poisson interval")
    seen = rates["incidents"] > 0
    ax.plot(x[seen], rates["rate"][seen], "o", color=QUAD_COLORS[4], label="observed rate")
    for xi, k, years, hi in zip(x, rates["incidents"], rates["years"], rates["upper"],
                                strict=True):
        ax.text(xi, hi * 1.08, f"{k} in {years:.1f} y", ha="center", va="bottom", fontsize=7)
    ax.set_yscale("log")
    # plain labels (0.1, 1, 10): the default 10^n ones are mathtext, slow to lay out
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.yaxis.set_minor_locator(LogLocator(subs=(2.0, 5.0)))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_ylim(floor, float(rates["upper"].max()) * 3)
    ax.set_xticks(x, [f"{i}  {n}" for i, n in enumerate(rates["name"], 1)], rotation=25,
                  ha="right", fontsize=8)
    ax.set_ylabel("incidents per year (log scale)")
    ax.set_xlabel("era")
    ax.set_title(title or "Incident rate per era, with exact Poisson intervals")
    ax.legend(loc="upper left", fontsize=8)
    return ax


def cumulative_incidents(
    ax: Axes,
    cum: pd.DataFrame,
    main: pd.DataFrame,
    eras: pd.DataFrame | None = None,
    title: str | None = None,
) -> Axes:
    """The running count of incidents, its imprecise-date band, and the main incidents named.

    `cum` comes from ``albru.incidents.cumulative``, `main` from ``main_incidents``. Labels sit
    in a fixed right-aligned column in the upper left, one line apart, in date order from bottom
    to top, each tied to its point by a thin line, so they never overlap and always land in the
    same place. With `eras`, the eras are shaded behind the curve and numbered at the top.

    >>> import albru.incidents as inc
    >>> from albru.examples import dyad_eras, dyad_events
    >>> i = inc.incidents(dyad_events().assign(goldstein=[1, -10, -2, -2, -10]))
    >>> ax = cumulative_incidents(new_axes(), inc.cumulative(i), inc.main_incidents(i, 2))
    >>> [t.get_text() for t in ax.texts]
    ['196X  criticize', '1961-12  break relations']
    """
    days = cum.index
    ax.fill_between(days, cum["certain"], cum["possible"], step="post", color=QUAD_COLORS[3],
                    alpha=0.35, linewidth=0,
                    label="plus those whose date range has begun (imprecise dates)")
    ax.step(days, cum["certain"], where="post", color=QUAD_COLORS[4],
            label="incidents whose date range has ended")
    n = len(main)
    for i, row in enumerate(main.itertuples()):
        y_point = int(cum["certain"].asof(row.end))
        ax.plot([row.end], [y_point], "o", color=QUAD_COLORS[4], markersize=4)
        name = row.title if len(row.title) <= 48 else row.title[:47] + "…"
        ax.annotate(f"{row.date}  {name}", xy=(row.end, y_point),
                    xytext=(0.36, 0.9 - (n - 1 - i) * 0.075), textcoords="axes fraction",
                    fontsize=7, ha="right", va="center",
                    arrowprops={"arrowstyle": "-", "color": "#999999", "linewidth": 0.6,
                                "relpos": (1.0, 0.5), "patchA": None, "shrinkA": 4})
    if eras is not None:
        year = pd.Timedelta(days=DAYS_PER_YEAR)
        ax.set_xlim(eras["start"].min(), days.max() + year)
        era_bands(ax, eras, labels=False)
        era_numbers(ax, eras, top=True)
    ax.set_ylabel("incidents so far")
    ax.set_xlabel("year")
    ax.set_ylim(0, float(cum["possible"].max()) * 1.05 + 1)
    ax.set_title(title or "Cumulative Albania–Russia incidents")
    ax.legend(loc="lower right", fontsize=8)
    return ax
