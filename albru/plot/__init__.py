"""Figures: one visual language (:mod:`albru.plot.style`) and figures by topic.

Every figure takes its data first and then keywords, ``f(data, *, eras=None, ax=None,
title=None, ...)``, draws on ``ax`` (or on a new page-wide figure), puts decimal calendar years
on its time axis, lists in its legend only what it drew, and returns its Axes (a multi-panel
figure returns its Figure). A topic module adds itself with one import line below and one
entry in the tuple that builds ``__all__``.

>>> import pandas as pd
>>> from albru import plot
>>> plot.QUAD_COLORS[4]
'#D55E00'
>>> ax = plot.annual_net_bars(pd.Series([1.0, -2.0], index=[2000, 2001]))
>>> [float(x) for x in ax.get_xlim()]
[1999.0, 2003.0]
"""

from albru.plot import eras, external, incidents, network, style, timeline, votes
from albru.plot.eras import *
from albru.plot.external import *
from albru.plot.incidents import *
from albru.plot.network import *
from albru.plot.style import *
from albru.plot.timeline import *
from albru.plot.votes import *

# What each topic module exports, style first: one list, kept by the modules themselves.
__all__ = [name for module in (style, eras, external, incidents, network, timeline, votes)
           for name in module.__all__]
