"""Figures of UN General Assembly voting agreement (data from :mod:`albru.votes`).

Years sit on the x axis as decimal calendar years: a value for year Y is drawn at Y + 0.5,
the middle of the year its roll calls fall in.

>>> import pandas as pd
>>> frame = pd.DataFrame({"year": [1960, 1961], "partner": "RUS", "s_score": [1.0, 0.5]})
>>> agreement_lines(frame).get_lines()[0].get_xdata().tolist()
[1960.5, 1961.5]
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from albru._compat import OLD_MEASURE_NAMES, renamed_value
from albru.plot.style import (
    ACTOR_COLORS,
    BLOC_GROUP_COLORS,
    FIGSIZE,
    FONT,
    PEER_COLORS,
    era_bands,
    era_handles,
    era_numbers,
    new_axes,
    years_axis,
)

__all__ = ["MEASURE_LABELS", "agreement_lines", "issue_grid", "participation_lines", "peer_lines"]

#: Axis labels of the agreement measures.
MEASURE_LABELS: dict[str, str] = {
    "identical": "share of identical votes",
    "cohen_kappa": "Cohen's kappa",
    "scott_pi": "Scott's pi",
    "s_score": "S score (yes 1, abstain 0.5, no 0)",
    "distance": "ideal-point distance",
}
#: Line colours of states: the dyad's two, then the peers (USA, China), each its own everywhere.
_STATE_COLORS: dict[str, str] = {**ACTOR_COLORS, **PEER_COLORS}


def agreement_lines(data: pd.DataFrame, *, measure: str = "s_score",
                    eras: pd.DataFrame | None = None,
                    ax: Axes | None = None, title: str | None = None,
                    reference: pd.DataFrame | None = None,
                    labels: dict[str, str] | None = None) -> Axes:
    """One line per partner of a state's yearly agreement, with bootstrap bands if given.

    Parameters
    ----------
    data
        Long table: ``year``, ``partner`` (a code; colours from ``ACTOR_COLORS`` and
        ``PEER_COLORS`` where it has one), the ``measure`` column and, optionally,
        ``<measure>_lo``/``<measure>_hi``.
        Missing values break the line: no vote is drawn as no value, never as zero.
    measure
        A key of :data:`MEASURE_LABELS` (default ``s_score``); the old names ``share``,
        ``kappa`` and ``s`` are deprecated (they warn).
    eras
        The era table, shaded behind the lines.
    reference
        Indexed by year, columns ``lo``, ``mid`` and ``hi``: the spread of all pairs that
        year, drawn as a grey band with its middle dashed.
    labels
        Legend names by partner code.

    Returns
    -------
    matplotlib.axes.Axes
    """
    measure = renamed_value("agreement_lines", "measure", measure, OLD_MEASURE_NAMES)
    ax = new_axes() if ax is None else ax
    labels = labels or {}
    years = data["year"].astype(float)
    years_axis(ax, float(years.min()), float(years.max()) + 1)
    if eras is not None:
        era_bands(ax, eras)
        era_numbers(ax, eras)
    handles: list[Line2D | Patch] = []
    if reference is not None:
        x = reference.index.to_numpy(float) + 0.5
        ax.fill_between(x, reference["lo"], reference["hi"], color="#BBBBBB", alpha=0.45, lw=0,
                        zorder=1, gid="reference-band")
        ax.plot(x, reference["mid"], color="#888888", lw=1, ls="--", zorder=1)
        handles += [Patch(color="#BBBBBB", alpha=0.45, label="all pairs: middle half"),
                    Line2D([], [], color="#888888", lw=1, ls="--", label="all pairs: median")]
    for i, (partner, rows) in enumerate(data.groupby("partner", sort=False)):
        full = rows.set_index("year").reindex(range(int(rows["year"].min()),
                                                    int(rows["year"].max()) + 1))
        x = full.index.to_numpy(float) + 0.5
        color = _STATE_COLORS.get(str(partner), f"C{i}")
        name = labels.get(str(partner), str(partner))
        ax.plot(x, full[measure], color=color, lw=1.6, marker="o", ms=2.5, zorder=3,
                gid=f"agreement-{partner}")
        handles.append(Line2D([], [], color=color, lw=1.6, marker="o", ms=2.5, label=name))
        if f"{measure}_lo" in full:
            ax.fill_between(x, full[f"{measure}_lo"], full[f"{measure}_hi"], color=color,
                            alpha=0.18, lw=0, zorder=2)
    # headroom above 1 for the era numbers
    ax.set_ylim(-0.02 if measure == "identical" else -1.05, 1.15)
    ax.axhline(0, color="#666666", lw=0.6, zorder=1)
    return _finish(ax, handles, measure, title or "Agreement in UN General Assembly roll calls",
                   eras, ncols=3)


def issue_grid(data: pd.DataFrame, *, measure: str = "s_score", ax: Axes | None = None,
               title: str | None = None, min_votes: int = 10) -> Axes:
    """A grid of a measure by issue (rows) and period (columns), with the roll-call counts.

    ``data`` is :func:`albru.votes.agreement_by_issue`'s table (index issue, period).
    Cells with fewer than ``min_votes`` roll calls stay blank; long period names are wrapped.
    The old measure names ``share``, ``kappa`` and ``s`` are deprecated (they warn).

    >>> frame = pd.DataFrame({"n_votes": [12, 3], "s_score": [0.5, 1.0]},
    ...                      index=pd.MultiIndex.from_tuples([("co", "a"), ("co", "b")]))
    >>> issue_grid(frame).get_images()[0].get_array().mask.tolist()
    [[False, True]]
    """
    measure = renamed_value("issue_grid", "measure", measure, OLD_MEASURE_NAMES)
    ax = new_axes((FIGSIZE[0], 3.6)) if ax is None else ax
    values = data[measure].where(data["n_votes"] >= min_votes).unstack(sort=False)
    counts = data["n_votes"].unstack(sort=False)
    grid = np.ma.masked_invalid(values.to_numpy(float))
    low = 0 if measure == "identical" else -1
    image = ax.imshow(grid, cmap="RdBu", vmin=low, vmax=1, aspect="auto")
    for (i, j), value in np.ndenumerate(values.to_numpy(float)):
        n = int(counts.iat[i, j])
        text = f"{value:.2f}\n(n={n})" if np.isfinite(value) else f"n={n}"
        ax.text(j, i, text, ha="center", va="center", fontsize=FONT["small"],
                color="white" if np.isfinite(value) and abs(value) > 0.6 else "black")
    ax.set_xticks(range(values.shape[1]),
                  [textwrap.fill(str(c), 13) for c in values.columns], fontsize=FONT["small"])
    ax.set_yticks(range(values.shape[0]), [str(r) for r in values.index], fontsize=FONT["small"])
    ax.figure.colorbar(image, ax=ax, label=MEASURE_LABELS.get(measure, measure), shrink=0.8)
    ax.set_title(title or "Agreement by issue and period", fontsize=FONT["title"])
    return ax


def participation_lines(data: pd.DataFrame, *, eras: pd.DataFrame | None = None,
                        ax: Axes | None = None, title: str | None = None,
                        labels: dict[str, str] | None = None) -> Axes:
    """Each state's yearly share of roll calls voted on while a member, one line per state.

    ``data`` is :func:`albru.votes.participation`'s table (index code, year); a year in
    which the state was not a member has no row and leaves a gap.

    >>> frame = pd.DataFrame({"share": [1.0, 0.2]},
    ...                      index=pd.MultiIndex.from_tuples([("ALB", 1960), ("ALB", 1962)],
    ...                                                      names=["code", "year"]))
    >>> participation_lines(frame).get_lines()[0].get_xdata().tolist()
    [1960.5, 1961.5, 1962.5]
    """
    ax = new_axes((FIGSIZE[0], 3.4)) if ax is None else ax
    labels = labels or {}
    years = data.index.get_level_values(-1).astype(float)
    years_axis(ax, float(years.min()), float(years.max()) + 1)
    if eras is not None:
        era_bands(ax, eras)
    handles: list[Line2D | Patch] = []
    for i, (code, rows) in enumerate(data.groupby(level=0, sort=False)):
        series = rows.droplevel(0)["share"]
        full = series.reindex(range(int(series.index.min()), int(series.index.max()) + 1))
        color = _STATE_COLORS.get(str(code), f"C{i}")
        ax.plot(full.index.to_numpy(float) + 0.5, full.to_numpy(float), color=color, lw=1.6,
                marker="o", ms=2.5, zorder=3, gid=f"participation-{code}")
        handles.append(Line2D([], [], color=color, lw=1.6, marker="o", ms=2.5,
                              label=labels.get(str(code), str(code))))
    ax.set_ylim(-0.02, 1.05)
    ax.set_ylabel("share of roll calls voted on", fontsize=FONT["normal"])
    ax.set_title(title or "Participation in UN General Assembly roll calls",
                 fontsize=FONT["title"])
    if eras is not None:
        handles += era_handles(eras, ax)
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=3,
              fontsize=FONT["small"], frameon=False)
    return ax


def peer_lines(data: pd.DataFrame, *, measure: str = "s_score",
               eras: pd.DataFrame | None = None, ax: Axes | None = None,
               title: str | None = None, labels: dict[str, str] | None = None) -> Axes:
    """A pair's yearly value against the median and middle half of its peers, and single
    comparison states.

    ``data`` is :func:`albru.votes.peer_baseline`'s table: ``pair``, ``<bloc>_median``,
    ``<bloc>_q25``, ``<bloc>_q75`` per bloc, and one column per single state. ``labels``
    names the pair, blocs and states in the legend.

    >>> frame = pd.DataFrame({"pair": [0.9, 0.4], "nato_median": [0.1, 0.5],
    ...                       "nato_q25": [0.0, 0.4], "nato_q75": [0.2, 0.6], "nato_n": 3,
    ...                       "YUG": [0.8, 0.7]}, index=pd.Index([1990, 1991], name="year"))
    >>> [line.get_gid() for line in peer_lines(frame).get_lines()][:3]
    ['peer-nato', 'peer-YUG', 'peer-pair']
    """
    ax = new_axes() if ax is None else ax
    labels = labels or {}
    years = data.index.to_numpy(float)
    years_axis(ax, float(years.min()), float(years.max()) + 1)
    if eras is not None:
        era_bands(ax, eras)
    full = data.reindex(range(int(years.min()), int(years.max()) + 1))
    x = full.index.to_numpy(float) + 0.5
    handles: list[Line2D | Patch] = []
    blocs = [c[: -len("_median")] for c in data.columns if c.endswith("_median")]
    singles = [c for c in data.columns if c != "pair" and "_" not in c]
    for i, bloc in enumerate(blocs):
        color = BLOC_GROUP_COLORS.get(bloc, f"C{i + 1}")
        ax.fill_between(x, full[f"{bloc}_q25"], full[f"{bloc}_q75"], color=color, alpha=0.2,
                        lw=0, zorder=1)
        ax.plot(x, full[f"{bloc}_median"], color=color, lw=1.2, ls="--", zorder=2,
                gid=f"peer-{bloc}")
        handles.append(Line2D([], [], color=color, lw=1.2, ls="--",
                              label=labels.get(bloc, bloc) + ": median, middle half"))
    for j, single in enumerate(singles):
        color = _STATE_COLORS.get(single, f"C{len(blocs) + j + 1}")
        ax.plot(x, full[single], color=color, lw=1, ls=":", zorder=2, gid=f"peer-{single}")
        handles.append(Line2D([], [], color=color, lw=1, ls=":",
                              label=labels.get(single, single)))
    ax.plot(x, full["pair"], color="black", lw=1.8, marker="o", ms=2.5, zorder=3,
            gid="peer-pair")
    handles.insert(0, Line2D([], [], color="black", lw=1.8, marker="o", ms=2.5,
                             label=labels.get("pair", "pair")))
    if measure != "distance":
        ax.set_ylim(-0.02 if measure == "identical" else -1.05, 1.05)
        ax.axhline(0, color="#666666", lw=0.6, zorder=1)
    return _finish(ax, handles, measure, title or "A pair against its peers", eras, ncols=2)


def _finish(ax: Axes, handles: list[Line2D | Patch], measure: str, title: str,
            eras: pd.DataFrame | None, ncols: int) -> Axes:
    """The vote figures' common close: the measure's axis label, the title, and one legend
    below the axes holding the lines drawn and, when eras are shaded, the eras."""
    ax.set_ylabel(MEASURE_LABELS.get(measure, measure), fontsize=FONT["normal"])
    ax.set_title(title, fontsize=FONT["title"])
    if eras is not None:
        handles = [*handles, *era_handles(eras, ax)]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=ncols,
              fontsize=FONT["small"], frameon=False)
    return ax
