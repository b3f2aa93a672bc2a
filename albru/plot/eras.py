"""Era figures: what each era holds, and the annual net cooperation with its shifts.

>>> from albru.examples import toy_frames
>>> from albru import eras as E
>>> events, eras = toy_frames()
>>> ax = annual_net_bars(E.annual_net_cooperation(events), eras=eras)
>>> ax.get_xlabel()
'year'
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from albru.dates import parse
from albru.plot.style import (
    FIGSIZE,
    FONT,
    QUAD_COLORS,
    QUAD_LABELS,
    SIGN_COLORS,
    era_bands,
    era_numbers,
    era_ordinals,
    legend_below,
    new_axes,
    shared_docs,
    years,
    years_axis,
)
from albru.plot.style import era_legend as style_era_legend

__all__ = ["annual_net_bars", "disputed_boundaries", "era_quad_bars"]

#: How a disputed era boundary is drawn: a hatched band from its earliest to its latest date.
DISPUTED_STYLE: dict[str, object] = {"facecolor": "none", "edgecolor": "#777777",
                                     "hatch": "//", "lw": 0.0, "zorder": 0.5}


def disputed_boundaries(ax: Axes, eras: pd.DataFrame, claims: pd.DataFrame) -> list[Patch]:
    """Hatch, over the era bands, the years within which the sources place a disputed boundary.

    A boundary is disputed when the ``claims`` table holds values for an era's ``start`` (or
    ``end``); the band runs from the earliest to the latest first day of the later era among
    the recorded value and the claimed ones (an ``end`` counts from the day after it).

    Parameters
    ----------
    ax
        The Axes, its x axis in decimal years with the limits set.
    eras
        The eras table.
    claims
        The claims table (``table``, ``record_id``, ``column``, ``value``); rows on other tables
        are ignored.

    Returns
    -------
    list of matplotlib.patches.Patch
        A legend entry when a band was drawn, else empty.

    Examples
    --------
    >>> from albru.examples import dyad_eras
    >>> from albru.plot.style import new_axes, years_axis
    >>> eras = dyad_eras()
    >>> claims = pd.DataFrame({"table": ["eras"], "record_id": [str(eras["era_id"].iloc[1])],
    ...                        "column": ["start"], "value": ["1950"]})
    >>> ax = years_axis(new_axes(), 1930, 2000)
    >>> handles = disputed_boundaries(ax, eras, claims)
    >>> [p.get_gid() for p in ax.patches], len(handles)
    (['disputed-boundary'], 1)
    """
    on_eras = claims[(claims["table"].astype(str) == "eras")
                     & claims["column"].astype(str).isin(["start", "end"])]
    rows = eras.set_index(eras["era_id"].astype(str))
    limits = ax.get_xlim()
    drawn = False
    for (era, column), group in on_eras.groupby([on_eras["record_id"].astype(str),
                                                 on_eras["column"].astype(str)], sort=True):
        recorded = rows.loc[era, column]
        after = pd.Timedelta(days=1 if column == "end" else 0)
        firsts = [pd.Timestamp(recorded) + after] + [
            pd.Timestamp(getattr(parse(str(v)), column)) + after for v in group["value"]]
        left, right = years(min(firsts)), years(max(firsts))
        if right > left:
            ax.axvspan(left, right, gid="disputed-boundary", **DISPUTED_STYLE)
            drawn = True
    ax.set_xlim(limits)
    return [Patch(label="disputed era boundary", **DISPUTED_STYLE)] if drawn else []


@shared_docs
def era_quad_bars(
    summary: pd.DataFrame,
    *,
    eras: pd.DataFrame | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    rate: bool = False,
    wrap: int = 34,
) -> Axes:
    """Per-era stacked bars of quad-class counts (or, with ``rate``, events per year of era).

    Eras run top to bottom in time order, numbered as the bands of the other figures; each bar
    ends in the era's event count and yearly rate. The legend lists the quad classes drawn.

    Parameters
    ----------
    summary
        From :func:`albru.eras.era_summary` (any subset of its rows).
    eras
        The full eras table, to number a subset of eras as in the whole list.
    ax
        Where to draw; by default a new page-wide figure tall enough for the eras.
    {title}
    rate
        Events per year of era instead of counts.
    wrap
        Characters per era-name line.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from albru import eras as E
    >>> from albru.examples import toy_frames
    >>> ax = era_quad_bars(E.era_summary(*toy_frames()))
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['1  Warm years (1950-1959)', '2  Cold years (since 1960)']
    >>> [t.get_text() for t in ax.texts]
    [' 2 events, 0.20 a year', ' 2 events, 0.20 a year']
    """
    if ax is None:
        ax = new_axes((FIGSIZE[0], max(2.6, 1.4 + 0.42 * len(summary))))
    if eras is not None:
        ids = eras.set_index(eras["era_id"].astype(str))
        numbers = dict(zip(ids.index, era_ordinals(eras), strict=True))
        numbering = [numbers[str(e)] for e in summary.index]
    else:
        numbering = list(range(1, len(summary) + 1))
    names = [textwrap.fill(f"{i}  {n} " + (f"(since {a.year})" if o else f"({a.year}-{b.year})"),
                           wrap)
             for i, n, a, b, o in zip(numbering, summary["name"], summary["start"],
                                      summary["end"], summary["open"], strict=True)]
    y = np.arange(len(summary))
    left = np.zeros(len(summary))
    for q in sorted(QUAD_COLORS):
        width = (summary[f"q{q}"] / (summary["years"] if rate else 1)).to_numpy(float)
        ax.barh(y, width, left=left, color=QUAD_COLORS[q],
                label=QUAD_LABELS[q] if width.sum() > 0 else None,
                edgecolor="white", lw=0.5, gid=f"quad-{q}")
        left = left + width
    for i, (total, n, span) in enumerate(zip(left, summary["events"], summary["years"],
                                             strict=True)):
        ax.text(total, i, f" {int(n)} event{'s' if n != 1 else ''}, {n / span:.2f} a year",
                va="center", fontsize=FONT["small"])
    ax.set_yticks(list(y), names, fontsize=FONT["small"])
    ax.invert_yaxis()
    ax.set_xlim(0, float(left.max()) * 1.35 or 1.0)
    ax.tick_params(labelsize=FONT["small"])
    ax.set_xlabel("events per year of era" if rate else "events", fontsize=FONT["normal"])
    ax.set_ylabel("era", fontsize=FONT["normal"])
    ax.set_title(title or "What kind of events each era holds"
                 + (" (per year of era)" if rate else ""), fontsize=FONT["title"])
    legend_below(ax, ax.get_legend_handles_labels()[0], ncols=4)
    return ax


@shared_docs
def annual_net_bars(
    net: pd.Series,
    *,
    eras: pd.DataFrame | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    fit: pd.Series | None = None,
    shifts: Sequence[int] | None = None,
    band: pd.DataFrame | None = None,
    era_legend: bool = False,
    claims: pd.DataFrame | None = None,
) -> Axes:
    """Net cooperation per year as bars over the era bands, with an optional fitted step line,
    dashed lines at the first year of each detected shift, and a band of drawn values.

    Parameters
    ----------
    net
        Indexed by year (from :func:`albru.eras.annual_net_cooperation`); each bar covers its
        calendar year, from Y to Y + 1 on the axis.
    {eras}
    {ax}
    {title}
    fit
        A step line indexed like ``net`` (:func:`albru.changepoints.segment_means`).
    shifts
        First years of the shifts (:func:`albru.changepoints.find_shifts`).
    band
        ``lower`` and ``upper`` by year (:func:`albru.uncertainty.band` of
        :func:`albru.uncertainty.annual_net_draws`), shaded over the bars year by year.
    {era_legend}
    claims
        The claims table: era boundaries it disputes are hatched (:func:`disputed_boundaries`).

    Returns
    -------
    matplotlib.axes.Axes
        Its x axis in decimal years.

    Examples
    --------
    >>> net = pd.Series([2.0, -3.0, 0.0], index=[1960, 1961, 1962])
    >>> ax = annual_net_bars(net, shifts=[1961])
    >>> from matplotlib.colors import to_rgb
    >>> [p.get_facecolor()[:3] == to_rgb(SIGN_COLORS[-1]) for p in ax.patches]
    [False, True, False]
    >>> b = pd.DataFrame({"lower": [1.0, -4.0, 0.0], "upper": [2.0, -1.0, 1.0]}, index=net.index)
    >>> [c.get_gid() for c in annual_net_bars(net, band=b).collections]
    ['draw-band']
    """
    if ax is None:
        ax = new_axes((FIGSIZE[0], FIGSIZE[1] + (1.2 if era_legend else 0.0)))
    first = net.index.to_numpy(dtype=float)
    years_axis(ax, first[0] - 1.0, first[-1] + 2.0)
    handles: list[Artist] = []
    if eras is not None:
        era_bands(ax, eras)
        era_numbers(ax, eras)
        if claims is not None:
            handles += disputed_boundaries(ax, eras, claims)
    values = net.to_numpy(float)
    colors = [SIGN_COLORS[1] if v >= 0 else SIGN_COLORS[-1] for v in values]
    ax.bar(first, values, width=1.0, align="edge", color=colors, zorder=2, gid="net-bars")
    ax.axhline(0, color="#555555", lw=0.6, zorder=2)
    if (values > 0).any():
        handles.append(Patch(color=SIGN_COLORS[1], label="net cooperative year"))
    if (values < 0).any():
        handles.append(Patch(color=SIGN_COLORS[-1], label="net conflictual year"))
    if band is not None:
        edges = [*band.index.to_numpy(dtype=float), float(band.index[-1]) + 1.0]
        lower, upper = band["lower"].to_numpy(float), band["upper"].to_numpy(float)
        ax.fill_between(edges, [*lower, lower[-1]], [*upper, upper[-1]], step="post",
                        color="#444444", alpha=0.3, lw=0, zorder=2.5, gid="draw-band")
        handles.append(Patch(color="#444444", alpha=0.3, label="middle of the date draws"))
    if fit is not None:
        ax.stairs(fit.to_numpy(float), [*first, first[-1] + 1.0], color="black", lw=1.4,
                  zorder=3, baseline=None, gid="segment-means")
        handles.append(Line2D([], [], color="black", lw=1.4, label="mean between shifts"))
    for year in shifts or []:
        ax.axvline(float(year), color="black", ls="--", lw=1.0, zorder=3, gid="shift")
    if shifts is not None and len(shifts):
        handles.append(Line2D([], [], color="black", ls="--", lw=1.0, label="detected shift"))
    ax.set_ylabel("sum of Goldstein weights", fontsize=FONT["normal"])
    ax.set_title(title or "Net cooperation year by year", fontsize=FONT["title"])
    legend_below(ax, handles, ncols=3)
    if eras is not None and era_legend:
        style_era_legend(ax, eras)
    return ax
