"""Figures: one visual language (:mod:`albru.plot.style`) and figures by topic.

>>> from albru import plot
>>> plot.QUAD_COLORS[4]
'#D55E00'
"""

from albru.plot._legacy import *
from albru.plot.network import *
