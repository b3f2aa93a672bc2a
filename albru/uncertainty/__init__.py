"""How sure the analyses can be: seeded draws that re-run them under what the data leaves open.

Four sources of doubt, each turned into draws or variants whose results form a distribution:

- **dates** (:func:`draw_days`): an event known only to a month, a year or a decade happened on
  some day of its EDTF range ``[start, end]``; each draw picks that day uniformly, independently
  for every event (with ``claims=``, a disputed date first picks one of its claimed values).
  A dataset dated to the day gives the same answer in every draw.
- **disputed values** (:func:`claim_variants`): a field the ``claims`` table disputes takes, in
  a variant, one of the values a source gives for it; dates are re-derived from the EDTF text.
- **coding** (:func:`coding_variants`, ``weights="count"``): the other CAMEO code a
  ``coding_note`` names as defensible (``alt=NNN``), and event counts in place of Goldstein
  weights.
- **settings** (:func:`draw_settings`, and parameters of :func:`shift_draws`,
  :func:`bin_count_draws`, :func:`distance_variants`): the choices a reader could make
  differently, such as the change-point penalty, the shortest run, the bin width or the
  snapshot day.

The package mirrors :mod:`albru.plot`: the draw kit (:mod:`~albru.uncertainty.draws`), disputed
claims (:mod:`~albru.uncertainty.claims`, which re-derive a table with
:func:`albru.dataset.derive` and read the schema from the Dataset they are given,
``ds.package``, never from the shipped files), coding alternatives
(:mod:`~albru.uncertainty.coding`), and a module per analysis. The change points of drawn
series are found by :func:`albru.changepoints.shift_matrix` (:func:`shift_draws`,
:func:`shift_checks`), network variants run :func:`albru.network.triad_history` and
:func:`albru.network.position_series`, and recoded or leave-one-out series come from
:func:`albru.eras.annual_net_cooperation` (``weights=``). The per-draw sums of ``eras`` and
``incidents`` (annual sums, era counts, bins, quiet spells) are counted for all draws at once
with numpy; the tests hold them to the point analyses they mirror.

Every draw function is vectorized over draws and takes ``seed`` (anything
:func:`numpy.random.default_rng` accepts; by default ``SEED`` = 0): the same seed gives the
same draws. Results have one row per draw (or per variant); :func:`band` turns them into
quantile bands.

Per-era results under date draws put an event in the era of its drawn day, so an event whose
range straddles an era boundary counts, draw by draw, in one of the eras it may belong to.

>>> import pandas as pd
>>> events = pd.DataFrame({"start": pd.to_datetime(["1961-01-01", "1961-12-03"]),
...                        "end": pd.to_datetime(["1962-12-31", "1961-12-03"]),
...                        "goldstein": [-4.0, -7.0]})
>>> draws = annual_net_draws(events, range(1961, 1963), n=1000, seed=1)
>>> band(draws)[["lower", "upper"]]
      lower  upper
year
1961  -11.0   -7.0
1962   -4.0    0.0
"""

from albru.uncertainty import changepoints, claims, coding, draws, eras, incidents, network
from albru.uncertainty.changepoints import *
from albru.uncertainty.claims import *
from albru.uncertainty.coding import *
from albru.uncertainty.draws import *
from albru.uncertainty.eras import *
from albru.uncertainty.incidents import *
from albru.uncertainty.network import *

# What each module exports, the draw kit first: one list, kept by the modules themselves.
__all__ = [name for module in (draws, claims, coding, eras, incidents, changepoints, network)
           for name in module.__all__]
