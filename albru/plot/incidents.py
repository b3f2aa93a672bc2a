"""Incident figures: counts per bin and kind, a month-by-month view of one year, rates per era,
and the running count.

Kinds are drawn in :data:`albru.plot.style.KIND_STYLES` (their own palette, hatched when
material), the same in every figure.

>>> from albru import incidents as I
>>> from albru.examples import dyad_events
>>> ax = incident_counts(I.count_by_bin(I.incidents(dyad_events())))
>>> ax.get_xlabel()
'year'
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from albru.incidents import BinnedCounts
from albru.plot.style import (
    FIGSIZE,
    FONT,
    INCIDENT_COLOR,
    KIND_STYLES,
    era_bands,
    era_colors,
    era_numbers,
    era_ordinals,
    legend_below,
    new_axes,
    shared_docs,
    years,
    years_axis,
)
from albru.plot.style import era_legend as style_era_legend

__all__ = ["cumulative_incidents", "incident_counts", "incident_months", "incident_rates"]


def _kind_handles(kinds: list[str]) -> list[Artist]:
    return [Patch(facecolor=KIND_STYLES[k].color, hatch=KIND_STYLES[k].hatch, edgecolor="white",
                  label=k) for k in kinds]


def _stacked(ax: Axes, x: np.ndarray, counts: pd.DataFrame, width: float) -> tuple[np.ndarray,
                                                                                  list[str]]:
    """Stack the kinds' bars at ``x``; return the bar tops and the kinds drawn."""
    bottom = np.zeros(len(counts))
    drawn_kinds = []
    for kind in counts.columns:
        style = KIND_STYLES[str(kind)]
        heights = counts[kind].to_numpy()
        drawn = heights > 0  # empty bars are invisible but costly to draw (hatches)
        if drawn.any():
            ax.bar(x[drawn], heights[drawn], width=width, bottom=bottom[drawn], align="edge",
                   color=style.color, hatch=style.hatch, edgecolor="white", linewidth=0.3,
                   label=str(kind), gid="kind-bars")
            drawn_kinds.append(str(kind))
        bottom = bottom + heights
    return bottom, drawn_kinds


@shared_docs
def incident_counts(
    binned: BinnedCounts,
    *,
    eras: pd.DataFrame | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    era_legend: bool = False,
) -> Axes:
    """Stacked bars of incidents per bin and kind; imprecise ones drawn apart as ranges.

    An incident whose date spans several bins is in no bar: it is drawn below the zero line as
    a range over its possible years. The legend lists the kinds drawn.

    Parameters
    ----------
    binned
        From :func:`albru.incidents.count_by_bin` (any span, any width).
    eras
        Eras to shade and number behind the bars.
    {ax}
    title
        The title; by default one naming the bin width.
    {era_legend}

    Returns
    -------
    matplotlib.axes.Axes
        Its x axis in decimal years (a bin of year Y spans Y to Y + width).

    Examples
    --------
    >>> from albru import incidents as I
    >>> from albru.examples import dyad_events
    >>> ax = incident_counts(I.count_by_bin(I.incidents(dyad_events())))
    >>> sum(float(p.get_height()) for p in ax.patches if p.get_gid() == "kind-bars")
    2.0
    """
    if ax is None:
        ax = new_axes((FIGSIZE[0], FIGSIZE[1] + (1.4 if era_legend else 0.0)))
    counts, width = binned.counts, binned.width
    x = counts.index.to_numpy(dtype=float)
    years_axis(ax, x[0] - 0.5 * width, x[-1] + 1.5 * width)
    if eras is not None:
        era_bands(ax, eras)
        era_numbers(ax, eras)
    bottom, kinds = _stacked(ax, x + 0.075 * width, counts, 0.85 * width)
    apart = binned.apart.sort_values(["first_year", "last_year", "event_id"])
    top = float(bottom.max(initial=0)) * 1.15 + 1
    step = max(0.8, 0.09 * top)  # one lane per imprecise incident, a text line apart
    right = ax.get_xlim()[1]
    for lane, row in enumerate(apart.itertuples()):
        y = -step * (lane + 1)
        style = KIND_STYLES[str(row.kind)]
        lo, hi = float(row.first_year), float(row.last_year) + 1.0
        ax.errorbar([(lo + hi) / 2], [y], xerr=[[(hi - lo) / 2]] * 2, fmt="none",
                    ecolor=style.color, elinewidth=2.5, capsize=4, gid="apart")
        inside = hi + 0.25 * (right - x[0]) < right
        ax.text(hi if inside else lo, y, f"  {row.date}: {row.kind}  ", va="center",
                ha="left" if inside else "right", fontsize=FONT["small"])
        if str(row.kind) not in kinds:
            kinds.append(str(row.kind))
    if len(apart):
        ax.axhline(0, color="#333333", linewidth=0.8)
    ax.set_ylim(-step * (len(apart) + 0.8) if len(apart) else 0, top)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_yticks([t for t in ax.get_yticks() if 0 <= t <= top])
    unit = "year" if width == 1 else f"{width} years"
    ax.set_ylabel(f"incidents per {unit}", fontsize=FONT["normal"])
    ax.tick_params(labelsize=FONT["small"])
    ax.set_title(title or f"Albania–Russia incidents per {unit}, by kind",
                 fontsize=FONT["title"])
    handles = _kind_handles([k for k in KIND_STYLES if k in kinds])
    if len(apart):
        handles.append(Line2D([], [], color="#555555", lw=2.5, marker="|", markersize=8,
                              label="dated only to a span of years (not in the bars)"))
    legend_below(ax, handles, title="kind (hatched: material conflict)")
    if eras is not None and era_legend:
        style_era_legend(ax, eras)
    return ax


@shared_docs
def incident_months(
    monthly: BinnedCounts,
    *,
    eras: pd.DataFrame | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    era_legend: bool = False,
) -> Axes:
    """One year's incidents month by month, as wide stacked bars by kind.

    Incidents known only to a span of months are drawn below the zero line as ranges.

    Parameters
    ----------
    monthly
        From :func:`albru.incidents.count_by_month`.
    eras
        Eras to shade and number (an era boundary inside the year shows).
    {ax}
    title
        The title; by default one naming the year.
    {era_legend}

    Returns
    -------
    matplotlib.axes.Axes
        Its x axis in decimal years: month m of year Y spans Y + (m - 1) / 12 to Y + m / 12.

    Examples
    --------
    >>> from albru import incidents as I
    >>> from albru.examples import dyad_events
    >>> ax = incident_months(I.count_by_month(I.incidents(dyad_events()), 2022))
    >>> [round(float(p.get_x()), 3) for p in ax.patches if p.get_gid() == "kind-bars"]
    [2022.092]
    """
    if ax is None:
        ax = new_axes()
    counts = monthly.counts
    year = int(counts.index[0].year)
    x = year + (counts.index.month.to_numpy() - 1) / 12.0
    ax.set_xlim(year, year + 1)
    if eras is not None:
        era_bands(ax, eras)
        era_numbers(ax, eras)
    bottom, kinds = _stacked(ax, x + 0.1 / 12, counts, 0.8 / 12)
    ax.set_xticks(x + 0.5 / 12, [f"{m:%b}" for m in counts.index], fontsize=FONT["small"])
    ax.set_xlabel(f"month of {year}", fontsize=FONT["normal"])
    apart = monthly.apart.sort_values(["first_month", "last_month", "event_id"])
    top = float(bottom.max(initial=0)) * 1.15 + 1
    step = max(0.8, 0.09 * top)
    for lane, row in enumerate(apart.itertuples()):
        y = -step * (lane + 1)
        lo, hi = year + (row.first_month - 1) / 12, year + row.last_month / 12
        ax.errorbar([(lo + hi) / 2], [y], xerr=[[(hi - lo) / 2]] * 2, fmt="none",
                    ecolor=KIND_STYLES[str(row.kind)].color, elinewidth=2.5, capsize=4,
                    gid="apart")
        if str(row.kind) not in kinds:
            kinds.append(str(row.kind))
    if len(apart):
        ax.axhline(0, color="#333333", linewidth=0.8)
    ax.set_ylim(-step * (len(apart) + 0.8) if len(apart) else 0, top)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_yticks([t for t in ax.get_yticks() if 0 <= t <= top])
    ax.tick_params(labelsize=FONT["small"])
    ax.set_ylabel("incidents per month", fontsize=FONT["normal"])
    ax.set_title(title or f"Albania–Russia incidents of {year}, month by month",
                 fontsize=FONT["title"])
    handles = _kind_handles([k for k in KIND_STYLES if k in kinds])
    if len(apart):
        handles.append(Line2D([], [], color="#555555", lw=2.5, marker="|", markersize=8,
                              label="dated only to a span of months"))
    legend_below(ax, handles, title="kind (hatched: material conflict)")
    if eras is not None and era_legend:
        style_era_legend(ax, eras)
    return ax


@shared_docs
def incident_rates(
    rates: pd.DataFrame,
    *,
    eras: pd.DataFrame | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Incidents per year of each era on a log scale, with the exact Poisson interval.

    An era with incidents shows its rate as a point inside a bar from the lower to the upper
    bound. An era without any shows no point and no bar: only its upper bound, as a cap with
    an arrow down to the foot of the axis (the rate may be zero; a log axis has no zero).

    Parameters
    ----------
    rates
        From :func:`albru.incidents.era_rates` (any subset of eras).
    eras
        The full eras table, so a subset keeps its era numbers and colours.
    {ax}
    {title}

    Returns
    -------
    matplotlib.axes.Axes
        Eras along x, in time order.

    Examples
    --------
    >>> from albru import incidents as I
    >>> from albru.examples import dyad_eras, dyad_events
    >>> r = I.era_rates(I.incidents(dyad_events()), dyad_eras(), pd.Timestamp("2022-12-31"))
    >>> ax = incident_rates(r)
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['1  Early', '2  Cold', '3  Late']
    >>> len([c for c in ax.collections if c.get_gid() == "upper-bound-only"])
    1
    """
    if ax is None:
        ax = new_axes()
    table = eras if eras is not None else rates
    numbers = dict(zip(table["era_id"].astype(str), era_ordinals(table), strict=True))
    colours = era_colors(table)
    x = np.arange(len(rates))
    ids = rates["era_id"].astype(str)
    seen = (rates["incidents"] > 0).to_numpy()
    positive = rates["lower"][rates["lower"] > 0]
    floor = 10 ** np.floor(np.log10(float(positive.min()) if len(positive) else 0.01) - 0.3)
    ax.bar(x[seen], (rates["upper"] - rates["lower"])[seen], bottom=rates["lower"][seen],
           width=0.6, color=[colours[e] for e in ids[seen]], edgecolor="#777777",
           label="95% exact Poisson interval" if seen.any() else None, gid="interval")
    ax.plot(x[seen], rates["rate"][seen], "o", color=INCIDENT_COLOR,
            label="observed rate" if seen.any() else None)
    if (~seen).any():
        ax.scatter(x[~seen], rates["upper"][~seen], marker="_", s=300, color="#333333",
                   zorder=3, gid="upper-bound-only",
                   label="no incident: 95% upper bound only (rate may be 0)")
        for xi, hi in zip(x[~seen], rates["upper"][~seen], strict=True):
            ax.annotate("", xy=(xi, floor), xytext=(xi, hi),
                        arrowprops={"arrowstyle": "-|>", "color": "#333333", "lw": 1.0,
                                    "shrinkA": 0, "shrinkB": 0})
    for xi, k, span, hi in zip(x, rates["incidents"], rates["years"], rates["upper"],
                               strict=True):
        ax.text(xi, hi * 1.1, f"{k} in\n{span:.1f} y", ha="center", va="bottom",
                fontsize=FONT["small"])
    ax.set_yscale("log")
    # plain labels (0.1, 1, 10): the default 10^n ones are mathtext, slow to lay out
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.yaxis.set_minor_locator(LogLocator(subs=(2.0, 5.0)))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_ylim(floor, float(rates["upper"].max()) * 8)
    ax.set_xlim(-0.6, len(rates) - 0.4)
    ax.set_xticks(x, [f"{numbers[e]}  {n}" for e, n in zip(ids, rates["name"], strict=True)],
                  rotation=30 if len(rates) > 4 else 0, ha="right" if len(rates) > 4 else "center",
                  fontsize=FONT["small"])
    ax.tick_params(axis="y", labelsize=FONT["small"])
    ax.set_ylabel("incidents per year (log scale)", fontsize=FONT["normal"])
    ax.set_xlabel("era", fontsize=FONT["normal"])
    ax.set_title(title or "Incident rate per era, with exact Poisson intervals",
                 fontsize=FONT["title"])
    handles = ax.get_legend_handles_labels()[0]
    ax.figure.legend(handles=handles, loc="outside lower center", ncols=len(handles),
                     fontsize=FONT["small"], frameon=False)
    return ax


@shared_docs
def cumulative_incidents(
    cum: pd.DataFrame,
    *,
    main: pd.DataFrame | None = None,
    eras: pd.DataFrame | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    since: pd.Timestamp | None = None,
    until: pd.Timestamp | None = None,
    era_legend: bool = False,
) -> Axes:
    """The running count of incidents, its imprecise-date band, and the main incidents named.

    Labels sit in a fixed right-aligned column in the upper left, one line apart, in date order
    from bottom to top, each tied to its point by a thin line, so they never overlap.

    Parameters
    ----------
    cum
        From :func:`albru.incidents.cumulative`.
    main
        Incidents to name (:func:`albru.incidents.main_incidents`).
    {eras}
    {ax}
    {title}
    since, until
        The first and last day the axis shows (a year of margin is added); by default the
        first and last day of ``cum``.
    {era_legend}

    Returns
    -------
    matplotlib.axes.Axes
        Its x axis in decimal years.

    Examples
    --------
    >>> from albru import incidents as I
    >>> from albru.examples import dyad_events
    >>> i = I.incidents(dyad_events())
    >>> ax = cumulative_incidents(I.cumulative(i), main=I.main_incidents(i, 2))
    >>> [t.get_text() for t in ax.texts]
    ['196X  criticize', '1961-12  break relations']
    """
    if ax is None:
        ax = new_axes()
    x = years(cum.index)
    left = float(x.min()) if since is None else years(pd.Timestamp(since))
    right = float(x.max()) if until is None else years(pd.Timestamp(until))
    years_axis(ax, left - 1.0, right + 1.0)
    if eras is not None:
        era_bands(ax, eras)
        era_numbers(ax, eras)
    certain, possible = cum["certain"].to_numpy(), cum["possible"].to_numpy()
    if until is not None and len(x) and right > x[-1]:  # the count holds to the end of the axis
        x = np.append(x, right)
        certain, possible = np.append(certain, certain[-1]), np.append(possible, possible[-1])
    ax.fill_between(x, certain, possible, step="post", color=INCIDENT_COLOR,
                    alpha=0.35, linewidth=0,
                    label="plus those whose date range has begun (imprecise dates)")
    ax.step(x, certain, where="post", color=INCIDENT_COLOR,
            label="incidents whose date range has ended")
    main = main if main is not None else cum.iloc[:0]
    n = len(main)
    for i, row in enumerate(main.itertuples()):
        y_point = int(cum["certain"].asof(row.end))
        x_point = years(row.end)
        ax.plot([x_point], [y_point], "o", color=INCIDENT_COLOR, markersize=4)
        name = row.title if len(row.title) <= 44 else row.title[:43] + "…"
        ax.annotate(f"{row.date}  {name}", xy=(x_point, y_point),
                    xytext=(0.5, 0.92 - (n - 1 - i) * 0.075), textcoords="axes fraction",
                    fontsize=FONT["small"], ha="right", va="center",
                    arrowprops={"arrowstyle": "-", "color": "#999999", "linewidth": 0.6,
                                "relpos": (1.0, 0.5), "patchA": None, "shrinkA": 4})
    ax.set_ylabel("incidents so far", fontsize=FONT["normal"])
    ax.tick_params(labelsize=FONT["small"])
    ax.set_ylim(0, float(cum["possible"].max()) * 1.05 + 1)
    ax.set_title(title or "Cumulative Albania–Russia incidents", fontsize=FONT["title"])
    legend_below(ax, ax.get_legend_handles_labels()[0], ncols=2)
    if eras is not None and era_legend:
        style_era_legend(ax, eras)
    return ax
