"""Figures of albru's agreement with reference datasets (data from :mod:`albru.external`).

Years sit on the x axis as decimal calendar years: the outcome of year Y fills Y to Y + 1.

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

from albru.plot.style import BLOC_COLOR, FIGSIZE, FONT, SIGN_COLORS, new_axes, years_axis

__all__ = ["OUTCOME_COLORS", "agreement_strips"]

#: Colours of the comparison outcomes: agreement in the allied blue, disagreement in the
#: hostile vermillion, years a reference does not cover in a light version of the bloc grey.
OUTCOME_COLORS: dict[str, str] = {"agree": SIGN_COLORS[1], "disagree": SIGN_COLORS[-1],
                                  "not covered": "#DDDDDD"}


def agreement_strips(data: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None,
                     order: list[str] | None = None) -> Axes:
    """One horizontal strip per dataset, coloured year by year by the comparison's outcome.

    Parameters
    ----------
    data
        Long table with ``dataset``, ``year`` and ``outcome`` (``agree``, ``disagree`` or
        ``not covered``), one row per dataset and year, e.g.
        :func:`albru.external.yearly_outcomes`.
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
    y = shown["dataset"].map(row).to_numpy(float)
    x = shown["year"].to_numpy(float)
    corners = np.stack([np.stack([x, y - 0.4], 1), np.stack([x + 1, y - 0.4], 1),
                        np.stack([x + 1, y + 0.4], 1), np.stack([x, y + 0.4], 1)], 1)
    colors = shown["outcome"].map(OUTCOME_COLORS).to_numpy()
    ax.add_collection(PolyCollection(corners, facecolors=colors, edgecolors="none"))
    years_axis(ax, float(x.min()), float(x.max()) + 1)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_yticks(range(len(names)), names, fontsize=FONT["small"])
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    present = [k for k in OUTCOME_COLORS if k in set(shown["outcome"])]
    handles = [Patch(facecolor=OUTCOME_COLORS[k],
                     edgecolor=BLOC_COLOR if k == "not covered" else "none", label=k)
               for k in present]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.18 * 4 / height),
              ncol=len(handles), frameon=False, fontsize=FONT["small"])
    if title:
        ax.set_title(title, fontsize=FONT["normal"])
    return ax
