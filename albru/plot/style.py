"""The one visual language of the figures: every colour, marker, hatch and font size, defined once.

Every colour has one meaning, in every figure (``tests/test_palette.py`` checks that no colour
appears twice across the constants below):

- quad classes: the Okabe-Ito colours (distinguishable with the common forms of colour
  blindness), one marker each;
- a positive and a negative relation (allied and hostile ties, net cooperative and net
  conflictual years): blue and wine, apart from the quad classes; bloc membership: grey,
  dashed (never the allied blue);
- states: the two of the dyad (Albania reddish purple, Russia black) and the peers they are
  compared with (the United States dark teal, China olive); a state keeps its colour in every
  figure, and no category borrows it;
- agreement with a reference dataset: purple (agree), brown (disagree), light grey (not
  covered), the ends of a purple-orange diverging scale, so a share of agreement can be shown
  between the two;
- incidents as a whole (counts, rates): dark grey;
- eras: pale bands, one colour per era, numbered so that the number, not only the colour,
  tells them apart;
- incident kinds: one colour each for all fourteen kinds (pale for the verbal kinds, strong
  for the material ones, which are also hatched), chosen apart from every colour above, and
  a marker per kind, so kinds stay apart without colour alone.

Every text is at least :data:`MIN_FONT` points on a figure :data:`PAGE_WIDTH` inches wide.

>>> QUAD_COLORS[4], KIND_STYLES["expulsion"].hatch
('#D55E00', '///')
>>> len(set(KIND_COLORS)) == len(KIND_COLORS) >= len(KIND_STYLES)
True
>>> set(KIND_COLORS).isdisjoint({*QUAD_COLORS.values(), *ACTOR_COLORS.values(),
...                              *SIGN_COLORS.values(), *ERA_COLORS, BLOC_COLOR,
...                              *PEER_COLORS.values(), *AGREEMENT_COLORS.values(), INCIDENT_COLOR})
True
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from typing import NamedTuple, TypeVar

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.legend import Legend
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from albru import dyad
from albru.dates import decimal_year
from albru.kinds import KINDS

__all__ = [
    "ACTOR_COLORS",
    "ACTOR_LABELS",
    "AGREEMENT_COLORS",
    "BLOC_COLOR",
    "BLOC_GROUP_COLORS",
    "BLOC_STYLE",
    "ERA_COLORS",
    "FIGSIZE",
    "FONT",
    "INCIDENT_COLOR",
    "KIND_COLORS",
    "KIND_STYLES",
    "MIN_FONT",
    "PAGE_WIDTH",
    "PEER_COLORS",
    "QUAD_COLORS",
    "QUAD_LABELS",
    "QUAD_MARKERS",
    "SHARED_PARAMS",
    "SIGN_COLORS",
    "TALL_FIGSIZE",
    "KindStyle",
    "era_bands",
    "era_colors",
    "era_handles",
    "era_legend",
    "era_numbers",
    "era_ordinals",
    "legend_below",
    "new_axes",
    "shared_docs",
    "years",
    "years_axis",
]

#: Width of a figure that fills the page, in inches; sizes below are given for it.
PAGE_WIDTH: float = 8.0
#: Default size of a full-width figure, in inches.
FIGSIZE: tuple[float, float] = (PAGE_WIDTH, 4.0)
#: Size of a tall full-width figure (the event timeline), in inches.
TALL_FIGSIZE: tuple[float, float] = (PAGE_WIDTH, 7.5)
#: The smallest font size used anywhere, in points.
MIN_FONT: float = 8.0
#: Font sizes by role, in points.
FONT: dict[str, float] = {"small": 8.0, "normal": 9.0, "title": 10.0}

#: One colour per CAMEO quad class (1 verbal cooperation ... 4 material conflict), Okabe-Ito.
QUAD_COLORS: dict[int, str] = {1: "#56B4E9", 2: "#009E73", 3: "#E69F00", 4: "#D55E00"}
#: Reader-facing names of the quad classes.
QUAD_LABELS: dict[int, str] = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
#: One marker per quad class, so the classes differ in shape as well as in colour.
QUAD_MARKERS: dict[int, str] = {1: "o", 2: "s", 3: "^", 4: "D"}
#: A positive (+1) and a negative (-1) relation: allied and hostile ties, net cooperative and
#: net conflictual years. Apart from the quad classes (material conflict is vermilion).
SIGN_COLORS: dict[int, str] = {1: "#0072B2", -1: "#882255"}
#: Edges that only a shared bloc makes: grey and dashed.
BLOC_COLOR: str = "#8C8C8C"
#: Line style of bloc-membership edges.
BLOC_STYLE: str = "--"
#: Highlight colours for the two states of the dyad.
ACTOR_COLORS: dict[str, str] = {dyad.A: "#CC79A7", dyad.B: "#000000"}
#: Reader-facing names of the two states.
ACTOR_LABELS: dict[str, str] = {dyad.A: "Albania", dyad.B: "Russia / USSR"}
#: The states the dyad is compared with (UN votes, networks): each keeps its colour everywhere.
PEER_COLORS: dict[str, str] = {"USA": "#225555", "CHN": "#999933", "YUG": "#661100"}
#: The groups of states a pair is set against in the UN votes (their median and middle half):
#: NATO's and the Warsaw Pact's members. Neither is a quad class's or a state's colour.
BLOC_GROUP_COLORS: dict[str, str] = {"nato": "#004488", "warsaw": "#BB5566"}
#: Agreement of albru with a reference dataset (a year, a strip): the ends of a diverging
#: purple-orange scale, and light grey where the reference says nothing.
AGREEMENT_COLORS: dict[str, str] = {"agree": "#542788", "disagree": "#7F3B08",
                                    "not covered": "#DDDDDD"}
#: Incidents as a whole (counts, cumulative counts, rates), whatever their kind or quad class.
INCIDENT_COLOR: str = "#525252"
#: Pale band colours of the eras, in time order (as many as eras; never repeated up to 16).
ERA_COLORS: tuple[str, ...] = (
    "#E8ECF4", "#F6EAD8", "#E4F1EA", "#F3E3EC", "#EDEDED", "#E2EEF6", "#F5F0D8", "#EAE4F2",
    "#F8E1DC", "#DFF0EF", "#EEF3DC", "#F1E6DA", "#E6E9EE", "#F4ECE4", "#E3ECE6", "#EFE6F0",
)
#: Incident-kind colours, one per kind of :data:`albru.incidents.KINDS`, in its order: pale
#: for the six verbal kinds, strong for the eight material ones. Taken from ColorBrewer's and
#: Paul Tol's qualitative schemes, each at least 14 (CIEDE2000) from every other colour here.
KIND_COLORS: tuple[str, ...] = (
    "#B2DF8A", "#8DD3C7", "#CAB2D6", "#FFAABB", "#E5C494", "#8DA0CB",
    "#FB8072", "#117733", "#7570B3", "#A6761D", "#666633", "#EE3377", "#AA4499", "#E31A1C",
)
_KIND_MARKERS: tuple[str, ...] = ("o", "s", "^", "v", "D", "P", "X", "*", "h", "<", ">", "p",
                                  "d", "8")


class KindStyle(NamedTuple):
    """How one incident kind is drawn: fill colour, hatch (material conflict) and marker."""

    color: str
    hatch: str
    marker: str



#: The text of the keywords the figures share, for their numpydoc docstrings (seaborn's habit):
#: a figure writes ``{ax}`` (or ``{eras}``, ``{title}``, ``{era_legend}``) in its Parameters and
#: :func:`shared_docs` puts this text there, so the figures describe them in the same words.
SHARED_PARAMS: dict[str, str] = {
    "ax": "ax\n        Where to draw; by default a new page-wide figure.",
    "eras": "eras\n        Eras to shade and number.",
    "title": "title\n        The title.",
    "era_legend": "era_legend\n        Add a key to the era numbers at the foot of the figure.",
}

_F = TypeVar("_F", bound=Callable[..., object])


def shared_docs(func: _F) -> _F:
    """Put the shared parameter text (:data:`SHARED_PARAMS`) into a figure's docstring.

    >>> def figure() -> None:
    ...     pass
    >>> figure.__doc__ = "{title}"
    >>> shared_docs(figure).__doc__.splitlines()
    ['title', '        The title.']
    """
    doc = func.__doc__ or ""
    for key, text in SHARED_PARAMS.items():
        doc = doc.replace("{" + key + "}", text)
    func.__doc__ = doc
    return func

def _kind_styles() -> dict[str, KindStyle]:
    """A fixed style per kind of :data:`albru.kinds.KINDS`, the same in every figure."""
    out = {}
    for i, (kind, (quad, _)) in enumerate(KINDS.items()):
        out[kind] = KindStyle(KIND_COLORS[i % len(KIND_COLORS)], "///" if quad == 4 else "",
                              _KIND_MARKERS[i % len(_KIND_MARKERS)])
    return out


#: Style of every incident kind, fixed whatever subset of kinds a figure shows.
KIND_STYLES: dict[str, KindStyle] = _kind_styles()


def years(days: pd.Series | pd.DatetimeIndex | pd.Timestamp | Sequence) -> np.ndarray | float:
    """Days as decimal calendar years, the unit of every time axis of the figures.

    Parameters
    ----------
    days
        One day or a sequence of days.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> years(pd.Timestamp("2000-07-02"))
    2000.5
    >>> years(pd.to_datetime(["1961-01-01"])).tolist()
    [1961.0]
    """
    if isinstance(days, pd.Timestamp):
        return float(decimal_year(days))
    return np.asarray(decimal_year(pd.Series(pd.to_datetime(pd.Series(list(days))))), float)


def new_axes(figsize: tuple[float, float] = FIGSIZE) -> Axes:
    """A fresh Axes on a figure sized for the page, laid out by matplotlib's constrained engine.

    Parameters
    ----------
    figsize
        Width and height in inches.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> new_axes().figure.get_size_inches().tolist()
    [8.0, 4.0]
    """
    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def era_ordinals(eras: pd.DataFrame) -> list[int]:
    """The number of each era (1, 2 ...): its place in the full ordered era list, so that a
    subset of eras keeps the numbers (and colours) it has in the whole table.

    Parameters
    ----------
    eras
        The eras table or a subset of it.

    Returns
    -------
    list of int

    Examples
    --------
    >>> from albru.examples import dyad_eras
    >>> era_ordinals(dyad_eras().iloc[1:])
    [2, 3]
    """
    ids = eras["era_id"]
    if isinstance(ids.dtype, pd.CategoricalDtype):
        return [int(c) + 1 for c in ids.cat.codes]
    return list(range(1, len(eras) + 1))


def era_colors(eras: pd.DataFrame) -> dict[str, str]:
    """Map each era id to its band colour (by its number, see :func:`era_ordinals`).

    Parameters
    ----------
    eras
        The eras table or a subset of it.

    Returns
    -------
    dict

    Examples
    --------
    >>> from albru.examples import dyad_eras
    >>> era_colors(dyad_eras().iloc[2:])
    {'late': '#E4F1EA'}
    """
    return {str(e): ERA_COLORS[(n - 1) % len(ERA_COLORS)]
            for e, n in zip(eras["era_id"], era_ordinals(eras), strict=True)}


def _visible(ax: Axes, eras: pd.DataFrame) -> pd.DataFrame:
    """The eras that overlap the x limits of ``ax``, with ``x0``, ``x1`` (decimal years, clipped
    to the limits; an open era runs to the right edge) and ``number``."""
    left, right = sorted(ax.get_xlim())
    out = eras.copy()
    out["number"] = era_ordinals(eras)
    out["x0"] = years(out["start"])
    stop = out["end"] + pd.Timedelta(days=1)
    out["x1"] = [right if pd.isna(s) else years(s) for s in stop]
    out = out[(out["x1"] > left) & (out["x0"] < right)].copy()
    out["x0"] = out["x0"].clip(lower=left)
    out["x1"] = out["x1"].clip(upper=right)
    return out


def era_bands(ax: Axes, eras: pd.DataFrame) -> Axes:
    """Shade the eras that fall within the x limits (set them first) of a decimal-year axis.

    Parameters
    ----------
    ax
        The Axes, its x axis in decimal years.
    eras
        The eras table (``era_id``, ``start``, ``end``; an open era reaches the right edge).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``; the limits are left as they were.

    Examples
    --------
    >>> from albru.examples import dyad_eras
    >>> ax = new_axes(); _ = ax.set_xlim(1940, 1960)
    >>> len(era_bands(ax, dyad_eras()).patches), [float(x) for x in ax.get_xlim()]
    (2, [1940.0, 1960.0])
    """
    limits = ax.get_xlim()
    colors = era_colors(eras)
    for row in _visible(ax, eras).itertuples():
        ax.axvspan(row.x0, row.x1, color=colors[str(row.era_id)], zorder=0, lw=0, gid="era-band")
    ax.set_xlim(limits)
    return ax


def era_numbers(ax: Axes, eras: pd.DataFrame, *, top: bool = True,
                y: float | None = None) -> Axes:
    """Write each visible era's number in its band, at the top (or foot) of the axes.

    Bands narrower than the number are left unnumbered rather than crowded.

    Parameters
    ----------
    ax
        The Axes, its x axis in decimal years with the limits set.
    eras
        The eras table or a subset of it.
    top
        At the top (True) or at the foot of the axes.
    y
        Instead, at this height in data units.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from albru.examples import dyad_eras
    >>> ax = new_axes(); _ = ax.set_xlim(1930, 2000)
    >>> [t.get_text() for t in era_numbers(ax, dyad_eras()).texts]
    ['1', '2', '3']
    """
    left, right = ax.get_xlim()
    span = abs(right - left) or 1.0
    for row in _visible(ax, eras).itertuples():
        if (row.x1 - row.x0) / span < 0.012:
            continue
        # kept a little inside the right edge, so a two-digit number never runs past the axes
        ax.text(min((row.x0 + row.x1) / 2, max(left, right) - 0.012 * span),
                (0.99 if top else 0.01) if y is None else y,
                str(row.number), fontsize=FONT["small"], ha="center",
                va="top" if top else "bottom", color="#444444", gid="era-number", clip_on=True,
                transform=ax.get_xaxis_transform() if y is None else ax.transData)
    return ax


def era_handles(eras: pd.DataFrame, ax: Axes | None = None, wrap: int | None = None
                ) -> list[Patch]:
    """Legend patches for the eras (numbered, in band colours); with ``ax``, only the eras
    visible within its x limits.

    Parameters
    ----------
    eras
        The eras table or a subset of it.
    ax
        Restrict to the eras drawn on this Axes.
    wrap
        Break era names into lines of at most this many characters.

    Returns
    -------
    list of matplotlib.patches.Patch

    Examples
    --------
    >>> from albru.examples import dyad_eras
    >>> [p.get_label() for p in era_handles(dyad_eras())]
    ['1  Early', '2  Cold', '3  Late']
    """
    shown = eras if ax is None else _visible(ax, eras)
    colors = era_colors(eras)
    def text(n: int, name: str) -> str:
        return f"{n}  " + (name if wrap is None else textwrap.fill(name, wrap).replace(
            "\n", "\n    "))

    return [Patch(facecolor=colors[str(e)], edgecolor="#999999", lw=0.5, label=text(n, name))
            for e, name, n in zip(shown["era_id"], shown["name"],
                                  era_ordinals(eras) if ax is None else shown["number"],
                                  strict=True)]


def years_axis(ax: Axes, left: float, right: float, *, label: str = "year") -> Axes:
    """Set a decimal-year x axis from ``left`` to ``right`` with whole-year ticks.

    Parameters
    ----------
    ax
        The Axes.
    left, right
        The limits, in decimal years.
    label
        The axis label.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = years_axis(new_axes(), 1999.5, 2022.5)
    >>> [float(x) for x in ax.get_xlim()]
    [1999.5, 2022.5]
    """
    ax.set_xlim(left, right)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=10, integer=True, steps=[1, 2, 5, 10]))
    ax.xaxis.set_major_formatter("{x:.0f}")
    ax.set_xlabel(label, fontsize=FONT["normal"])
    ax.tick_params(labelsize=FONT["small"])
    return ax


def legend_below(ax: Axes, handles: Sequence[Artist], *, ncols: int = 3,
                 title: str | None = None) -> Legend | None:
    """A frameless legend centred under the axes (inside the figure under the constrained
    layout of :func:`new_axes`); nothing when there is nothing to list.

    Parameters
    ----------
    ax
        The Axes.
    handles
        The entries, in order.
    ncols
        Entries per row.
    title
        A legend title.

    Returns
    -------
    matplotlib.legend.Legend or None

    Examples
    --------
    >>> legend_below(new_axes(), []) is None
    True
    """
    if not handles:
        return None
    return ax.legend(handles=list(handles), loc="upper center", bbox_to_anchor=(0.5, -0.14),
                     ncols=min(ncols, len(handles)), fontsize=FONT["small"], title=title,
                     title_fontsize=FONT["small"], frameon=False)


def era_legend(ax: Axes, eras: pd.DataFrame, *, ncols: int = 3, wrap: int = 30) -> Legend | None:
    """A key to the era numbers: the eras within the x limits of ``ax``, numbered and in their
    band colours, as a legend at the foot of the figure.

    Parameters
    ----------
    ax
        The Axes whose eras are listed (x axis in decimal years, limits set).
    eras
        The eras table.
    ncols
        Entries per row.
    wrap
        Characters per line of an era name.

    Returns
    -------
    matplotlib.legend.Legend or None

    Examples
    --------
    >>> from albru.examples import dyad_eras
    >>> ax = years_axis(new_axes(), 1995, 2000)
    >>> [t.get_text() for t in era_legend(ax, dyad_eras()).texts]
    ['3  Late']
    """
    handles = era_handles(eras, ax, wrap=wrap)
    if not handles:
        return None
    return ax.figure.legend(handles=handles, loc="outside lower center",
                            ncols=min(ncols, len(handles)), fontsize=FONT["small"],
                            title="eras", title_fontsize=FONT["small"], frameon=False)

