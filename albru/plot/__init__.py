"""Figures: one visual language (:mod:`albru.plot.style`) and figures by topic.

Every figure takes its data first and then keywords, ``f(data, *, eras=None, ax=None,
title=None, ...)``, draws on ``ax`` (or on a new page-wide figure), puts decimal calendar years
on its time axis, lists in its legend only what it drew, and returns its Axes (a multi-panel
figure returns its Figure). A topic module adds itself with one import line below and its
names in ``__all__``.

>>> import pandas as pd
>>> from albru import plot
>>> plot.QUAD_COLORS[4]
'#D55E00'
>>> ax = plot.annual_net_bars(pd.Series([1.0, -2.0], index=[2000, 2001]))
>>> [float(x) for x in ax.get_xlim()]
[1999.0, 2003.0]
"""

from albru.plot.eras import *
from albru.plot.external import *
from albru.plot.incidents import *
from albru.plot.network import *
from albru.plot.style import *
from albru.plot.timeline import *

__all__ = [  # noqa: RUF022 (style first, then the figures by topic)
    # style
    "ACTOR_COLORS",
    "ACTOR_LABELS",
    "BLOC_COLOR",
    "BLOC_STYLE",
    "ERA_COLORS",
    "FIGSIZE",
    "FONT",
    "KIND_COLORS",
    "KIND_STYLES",
    "MIN_FONT",
    "PAGE_WIDTH",
    "QUAD_COLORS",
    "QUAD_LABELS",
    "QUAD_MARKERS",
    "SIGN_COLORS",
    "TALL_FIGSIZE",
    "KindStyle",
    "era_bands",
    "era_colors",
    "era_handles",
    "era_numbers",
    "era_ordinals",
    "new_axes",
    "years",
    "years_axis",
    # figures
    "OUTCOME_COLORS",
    "agreement_strips",
    "alignment_counts",
    "annual_net_bars",
    "cumulative_incidents",
    "distance_series",
    "era_quad_bars",
    "event_timeline",
    "incident_counts",
    "incident_months",
    "incident_rates",
    "network_panels",
    "network_snapshot",
    "union_layout",
]
