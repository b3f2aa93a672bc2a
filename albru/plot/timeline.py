"""The event timeline: every event on one decimal-year axis, a lane per quad class.

>>> from albru.examples import toy_frames
>>> events, eras = toy_frames()
>>> ax = event_timeline(events, eras=eras, labels={"E004": "break"})
>>> [t.get_text() for t in ax.texts if t.get_gid() == "event-label"]
['break']
"""

from __future__ import annotations

import textwrap
from collections.abc import Hashable, Mapping

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.text import Text

from albru.plot.eras import disputed_boundaries
from albru.plot.style import (
    FONT,
    QUAD_COLORS,
    QUAD_LABELS,
    QUAD_MARKERS,
    TALL_FIGSIZE,
    era_bands,
    era_numbers,
    legend_below,
    new_axes,
    shared_docs,
    years,
    years_axis,
)
from albru.plot.style import era_legend as style_era_legend

__all__ = ["event_timeline"]

#: Height of each quad-class lane on the event timeline, cooperation on top.
_LANE_Y: dict[int, float] = {1: 3.0, 2: 2.0, 3: 1.0, 4: 0.0}
#: Offsets of the sub-rows inside a lane, used in turn when events crowd together.
_SUBROW: tuple[float, ...] = (0.0, 0.18, -0.18, 0.36, -0.36)
#: Opacity of the context events on the timeline.
_FADED: float = 0.3


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


def _place_labels(ax: Axes, anchors: list[tuple[float, float]], texts: list[str],
                  above: list[bool], lanes: tuple[float, float]) -> list[Text]:
    """Write ``texts`` in rows above the lanes (where ``above``) or below them, each joined by a
    thin leader line to its anchor (x as a date number, y in data). On each side the rows are
    filled by :func:`_label_rows`, so no two labels overlap; the y limits are set so that the
    rows and the lanes (``lanes``: their lowest and highest y) fit. Sizes are measured once the
    figure's layout has placed the axes; the leaders are plain lines (one collection, gid
    ``event-leaders``) from the edge of each label to its anchor, drawn under the markers."""
    labels = [ax.text(anchor[0], 1.0 if up else 0.0, text, transform=ax.get_xaxis_transform(),
                      ha="center", va="bottom" if up else "top", fontsize=FONT["small"], zorder=6,
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
                             [sizes[i].width for i in idx], pad, limit=box.x1 - 1,
                             low=box.x0 + 1)
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
                limit: float = float("inf"), low: float = -float("inf")
                ) -> list[tuple[int, float]]:
    """A row (0 = nearest the lanes) and a centre for each label, in display units. Labels are
    taken from left to right. Each may stay at its centre or slide, between ``low`` and
    ``limit``, to the first free place of a row right of the labels there (by at most its
    width) or just left of one of them (by at most twice its width); among the places where it
    overlaps no label it takes the one where the fewest leader lines cross a label (a leader
    runs straight from the label's centre to its anchor below the rows), then the one not slid,
    then the lowest row, then a place to the right.

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
            lefts = [c - widths[j] / 2 - pad - half for j, (r, c) in placed.items() if r == row]
            for centre in sorted({float(centres[i]), max(edges, default=-np.inf) + half,
                                  *lefts}):
                slid = centre != centres[i]
                if slid and not (centres[i] - 2 * widths[i] <= centre <= centres[i] + widths[i]
                                 and low + half <= centre <= limit - half):
                    continue
                if any(r == row and abs(c - centre) < (widths[j] / 2 + half + pad)
                       for j, (r, c) in placed.items()):
                    continue
                crossings = sum(covers(j, leader_at(i, row, centre, r + 0.5))
                                for j, (r, _) in placed.items() if r < row)
                crossings += sum(
                    abs(leader_at(j, r, c, row + 0.5) - centre) <= half + pad
                    for j, (r, c) in placed.items() if r > row)
                options.append((crossings, slid, row, centre < centres[i], centre))
        crossings, _, row, _, centre = min(options)
        placed[i] = (row, centre)
    return [placed[i] for i in range(len(centres))]


def _timeline_handles(quads: list[int], points: bool, spans: bool, faded: bool
                      ) -> list[Artist]:
    """Legend entries for what the timeline drew: its quad classes, points or spans, faded
    context."""
    out: list[Artist] = [Line2D([], [], lw=3, marker=QUAD_MARKERS[q], color=QUAD_COLORS[q],
                                label=QUAD_LABELS[q]) for q in quads]
    if points:
        out.append(Line2D([], [], ls="", marker="o", color="#777777", label="dated to the day"))
    if spans:
        out.append(Line2D([], [], lw=3, marker="|", markersize=9, color="#777777",
                          label="known to a month, year or decade (span)"))
    if faded:
        out.append(Line2D([], [], lw=3, marker="o", color=to_rgba("#777777", _FADED),
                          label="pale: an event of other actors (context)"))
    return out


def _label_keys(events: pd.DataFrame, labels: Mapping[Hashable, str]) -> dict[Hashable, str]:
    """Labels keyed by index label: keys are event ids when the frame has ``event_id``."""
    if "event_id" not in events:
        missing = sorted(map(str, set(labels) - set(events.index)))
        if missing:
            raise KeyError(f"no events with these index labels: {missing}")
        return dict(labels)
    ids = events["event_id"].astype(str)
    missing = sorted(set(map(str, labels)) - set(ids))
    if missing:
        raise KeyError(f"no events with these ids: {missing}")
    return {i: labels[e] for i, e in ids.items() if e in labels}


@shared_docs
def event_timeline(
    events: pd.DataFrame,
    *,
    eras: pd.DataFrame | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    since: pd.Timestamp | None = None,
    until: pd.Timestamp | None = None,
    labels: Mapping[Hashable, str] | None = None,
    context: pd.Series | None = None,
    wrap: int = 20,
    era_legend: bool = False,
    claims: pd.DataFrame | None = None,
) -> Axes:
    """Every event on one time axis, in a lane per quad class (cooperation on top).

    A point, in the class's colour and marker, when the day is known; a bar over the whole span
    of possible dates when only a month, season, year or decade is. Labels are written in
    non-overlapping rows above the lanes for cooperation and below them for conflict, each
    joined to its event by a thin leader line.

    Parameters
    ----------
    events
        Events with ``start``, ``end``, ``quad_class`` (any period or subset).
    eras
        Eras to shade and number behind the events (those within the limits are drawn).
    ax
        Where to draw; by default a new tall page-wide figure.
    title
        The title; by default one naming the years shown.
    since, until
        The first and last day the axis shows (a year of margin is added); by default the
        first event's start and the last event's end.
    labels
        Short texts keyed by ``event_id`` (or by index label when there is no ``event_id``).
    context
        A boolean per event: those it marks are drawn pale.
    wrap
        Characters per label line.
    {era_legend}
    claims
        The claims table: era boundaries it disputes are hatched
        (:func:`albru.plot.eras.disputed_boundaries`).

    Returns
    -------
    matplotlib.axes.Axes
        Its x axis in decimal years.

    Examples
    --------
    >>> from albru.examples import toy_frames
    >>> events, eras = toy_frames()
    >>> ax = event_timeline(events, eras=eras)
    >>> [len(c.get_segments()) for c in ax.collections if c.get_gid() == "imprecise-spans"]
    [2]
    """
    if ax is None:
        ax = new_axes(TALL_FIGSIZE)
    until = pd.Timestamp(events["end"].max() if until is None else until)
    one_day = pd.Timedelta(days=1)
    x0, x1 = years(events["start"]), years(events["end"] + one_day)
    left = (float(np.min(x0)) if since is None else years(pd.Timestamp(since))) - 1.0
    right = years(until + one_day) + 1.0
    years_axis(ax, left, right, label="year (bars: the span of possible dates)")
    disputed: list[Artist] = []
    if eras is not None:
        era_bands(ax, eras)
        era_numbers(ax, eras, y=3.68)
        if claims is not None:
            disputed = disputed_boundaries(ax, eras, claims)
    quad = events["quad_class"].astype(int)
    y = _lane_positions(events, gap_days=400)
    span = (events["end"] > events["start"]).to_numpy()
    pale = np.zeros(len(events), bool) if context is None else context.astype(bool).to_numpy()
    rgba = [to_rgba(QUAD_COLORS[q], _FADED if p else 1.0) for q, p in zip(quad, pale, strict=True)]
    rgba = np.array(rgba)
    quads = sorted(set(quad))
    for q in quads:
        point = (quad == q).to_numpy() & ~span
        ax.scatter(x0[point], y[point], marker=QUAD_MARKERS[q], s=34, color=rgba[point],
                   edgecolor="white", lw=0.4, zorder=4, gid=f"events-q{q}")
    if span.any():
        ax.hlines(y[span], x0[span], x1[span], colors=rgba[span], lw=3, zorder=3,
                  gid="imprecise-spans")
        for edge in (x0[span], x1[span]):
            ax.scatter(edge, y[span], marker="|", s=60, color=rgba[span], lw=1.2, zorder=3)
    ax.set_yticks([_LANE_Y[q] for q in sorted(QUAD_COLORS)],
                  [QUAD_LABELS[q] for q in sorted(QUAD_COLORS)], fontsize=FONT["small"])
    ax.set_ylim(-0.9, 3.7)
    ax.set_ylabel("quad class", fontsize=FONT["normal"])
    first, last = int(np.floor(left + 1.0)), until.year
    ax.set_title(title or f"Every coded event, {first} to {last}", fontsize=FONT["title"])
    legend_below(ax, _timeline_handles(quads, bool((~span).any()), bool(span.any()),
                                       bool(pale.any())) + disputed, ncols=3)
    if eras is not None and era_legend:
        style_era_legend(ax, eras)
    keyed = _label_keys(events, labels or {})
    keys = [k for k in events.index if k in keyed]
    where = {k: i for i, k in enumerate(events.index)}
    anchors = [((x0[where[k]] + x1[where[k]]) / 2, float(y[k])) for k in keys]
    _place_labels(ax, anchors, [textwrap.fill(keyed[k], wrap) for k in keys],
                  above=[bool(quad[k] <= 2) for k in keys], lanes=(-0.9, 3.7))
    return ax
