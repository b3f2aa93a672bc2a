"""Figures shared by the notebooks: one palette, one function per figure, Axes in, Axes out.

Colours come from the Okabe-Ito palette, which stays distinguishable for readers
with the common forms of colour blindness.

>>> QUAD_COLORS[4]
'#D55E00'
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

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
