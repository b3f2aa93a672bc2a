"""Figures of albru's agreement with reference datasets (data from :mod:`albru.external`).

Years sit on the x axis as decimal calendar years: the value of year Y fills Y to Y + 1.

>>> import pandas as pd
>>> frame = pd.DataFrame({"dataset": ["A", "A", "B"], "year": [1990, 1991, 1990],
...                       "outcome": ["agree", "disagree", "not covered"]})
>>> ax = agreement_strips(frame)
>>> [t.get_text() for t in ax.get_yticklabels()]
['A', 'B']
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.patches import Patch

from albru.plot.style import AGREEMENT_COLORS, BLOC_COLOR, FIGSIZE, FONT, new_axes, years_axis

__all__ = ["OUTCOME_COLORS", "agreement_strips"]

#: Colours of the comparison outcomes (the palette's agreement colours).
OUTCOME_COLORS: dict[str, str] = dict(AGREEMENT_COLORS)


def _boxes(x: np.ndarray, top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    return np.stack([np.stack([x, top], 1), np.stack([x + 1, top], 1),
                     np.stack([x + 1, bottom], 1), np.stack([x, bottom], 1)], 1)


def agreement_strips(data: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None,
                     order: list[str] | None = None) -> Axes:
    """One horizontal strip per dataset; each year is a small stacked bar: the share of the
    covered units (states, organizations) on which albru and the reference agree fills it
    from below in the agree colour, the share that disagrees from above in the disagree
    colour; years the reference does not cover are grey.

    Parameters
    ----------
    data
        Long table with ``dataset``, ``year`` and ``share`` (the share of covered units
        that agree, missing where none is covered), one row per dataset and year, e.g.
        :func:`albru.external.yearly_outcomes`. Without ``share``, ``outcome`` (``agree``,
        ``disagree`` or ``not covered``) is read as a share of 1, 0 or missing.
    ax
        Where to draw; a new page-wide Axes when not given.
    title
        Axes title.
    order
        Datasets from top to bottom; by default sorted by name.

    Returns
    -------
    matplotlib.axes.Axes
    """
    height = max(FIGSIZE[1] * 0.6, 0.55 * data["dataset"].nunique() + 1.2)
    ax = new_axes((FIGSIZE[0], height)) if ax is None else ax
    names = order or sorted(data["dataset"].unique())
    row = {name: i for i, name in enumerate(names)}
    shown = data[data["dataset"].isin(names)]
    if "share" in shown:
        share = shown["share"].to_numpy(float)
    else:
        share = shown["outcome"].map({"agree": 1.0, "disagree": 0.0}).to_numpy(float)
    y = shown["dataset"].map(row).to_numpy(float)
    x = shown["year"].to_numpy(float)
    covered = np.isfinite(share)
    base = np.where(covered, AGREEMENT_COLORS["agree"], AGREEMENT_COLORS["not covered"])
    ax.add_collection(PolyCollection(_boxes(x, y - 0.4, y + 0.4), facecolors=list(base),
                                     edgecolors="none", gid="strip-years"))
    part = covered & (share < 1)  # the disagreeing share, from the top of the strip down
    depth = 0.8 * (1 - share[part])
    ax.add_collection(PolyCollection(_boxes(x[part], y[part] - 0.4, y[part] - 0.4 + depth),
                                     facecolors=AGREEMENT_COLORS["disagree"], edgecolors="none",
                                     gid="strip-disagree"))
    years_axis(ax, float(x.min()), float(x.max()) + 1)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_yticks(range(len(names)), names, fontsize=FONT["small"])
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    handles = [Patch(facecolor=AGREEMENT_COLORS[k], label=f"share of units: {k}")
               for k in ("agree", "disagree")]
    if not covered.all():
        handles.append(Patch(facecolor=AGREEMENT_COLORS["not covered"], edgecolor=BLOC_COLOR,
                             label="not covered"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.18 * 4 / height),
              ncol=len(handles), frameon=False, fontsize=FONT["small"])
    if title:
        ax.set_title(title, fontsize=FONT["normal"])
    return ax
