"""Coding alternatives: the other defensible CAMEO codes a ``coding_note`` names."""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
import pandas as pd

from albru.dataset import Dataset
from albru.uncertainty.claims import AS_RECORDED, _key

__all__ = ["alt_codes", "coding_variants"]

#: CAMEO root code (first two digits) to quad class, for an alternative code the event types
#: table does not use: 01-05 verbal cooperation, 06-08 material cooperation, 09-13 verbal
#: conflict, 14-20 material conflict.
_QUAD_OF_ROOT = {f"{r:02d}": 1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4
                 for r in range(1, 21)}
_ALT = re.compile(r"\balt=(\d{2,4})\b")
#: The columns an alternative code changes, in the order of ``alt_codes``' alternative values.
_RECODED = ("cameo", "goldstein", "quad_class")


def alt_codes(ds: Dataset) -> pd.DataFrame:
    """The other defensible CAMEO codes named in ``coding_note`` (as ``alt=NNN``), with the
    Goldstein weight and quad class each would bring.

    An ``alt=`` on an event type applies to all its events; one on an event to that event.
    The weight comes from the dataset's CAMEO table (``ds.cameo``; missing if it lacks the
    code), the quad class from the event types using that code, else from
    the code's root (01-05 verbal cooperation, 06-08 material cooperation, 09-13 verbal
    conflict, 14-20 material conflict).

    Returns
    -------
    pandas.DataFrame
        One row per alternative: ``level`` (``event_type`` or ``event``), ``key`` (the type
        or event id), ``cameo``, ``alt_cameo``, ``alt_goldstein``, ``alt_quad_class``.

    Examples
    --------
    >>> import albru
    >>> list(alt_codes(albru.load()).columns)
    ['level', 'key', 'cameo', 'alt_cameo', 'alt_goldstein', 'alt_quad_class']
    """
    cameo = ds.cameo
    weight = dict(zip(cameo["cameo"].astype(str), cameo["goldstein"].astype(float), strict=True))
    types = ds.event_types
    quad_of = dict(zip(types["cameo"].astype(str), types["quad_class"].astype("Int64"),
                       strict=True))
    rows = []
    for level, frame in (("event_type", types), ("event", ds.events)):
        if "coding_note" not in frame:
            continue
        ids = frame[_key(ds, "events" if level == "event" else "event_types")]
        for key, code, note in zip(ids.astype(str), frame["cameo"].astype(str),
                                   frame["coding_note"], strict=True):
            for alt in _ALT.findall("" if pd.isna(note) else str(note)):
                rows.append((level, key, code, alt, weight.get(alt, np.nan),
                             quad_of.get(alt, _QUAD_OF_ROOT.get(alt[:2]))))
    return pd.DataFrame(rows, columns=["level", "key", "cameo", "alt_cameo", "alt_goldstein",
                                       "alt_quad_class"]).astype({"alt_quad_class": "Int64"})


def coding_variants(ds: Dataset, *, together: bool = True) -> Iterator[tuple[str, pd.DataFrame]]:
    """The events as coded, then recoded with each alternative CAMEO code of :func:`alt_codes`
    alone, then (``together=True``, when there are several) with all of them at once.

    A recoded event takes the alternative's ``cameo``, ``goldstein`` and ``quad_class``; an
    alternative without a known Goldstein weight keeps the event's weight (and says so in its
    label). In ``"all alternatives"``, an event type naming several takes the last one listed,
    and an event's own alternative wins over its type's.

    Returns
    -------
    iterator of (str, pandas.DataFrame)
        The label (``"as recorded"``, ``"E043: 111 for 161"``, ``"all alternatives"``) and an
        events frame.

    Examples
    --------
    >>> import albru
    >>> next(coding_variants(albru.load()))[0]
    'as recorded'
    """
    events = ds.events
    yield AS_RECORDED, events
    alts = alt_codes(ds)
    if alts.empty:
        return
    ids = events[_key(ds, "events")].astype(str).to_numpy()
    types = events["event_type"].astype(str).to_numpy()
    recoded = {column: events[column].array.copy() for column in _RECODED}
    for alt in alts.itertuples():
        rows = np.flatnonzero((ids == alt.key) if alt.level == "event" else (types == alt.key))
        one = events.copy()
        for column, value in zip(_RECODED, (alt.alt_cameo, alt.alt_goldstein,
                                            alt.alt_quad_class), strict=True):
            if pd.isna(value):
                continue  # an unknown weight or class is kept as recorded
            changed = events[column].array.copy()
            changed[rows] = value
            one[column] = changed
            recoded[column][rows] = value
        label = f"{alt.key}: {alt.alt_cameo} for {alt.cameo}"
        if pd.isna(alt.alt_goldstein):
            label += " (weight unknown, kept)"
        yield label, one
    if together and len(alts) > 1:
        yield "all alternatives", events.assign(**recoded)
