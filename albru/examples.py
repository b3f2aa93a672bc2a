"""Tiny tables in the loaded shapes, for docstring examples and quick experiments.

They are made up (no row is a fact about Albania and Russia) and small enough to check by eye.

>>> events, eras = toy_frames()
>>> len(events), eras["era_id"].tolist()
(4, ['warm', 'cold'])
>>> dyad_events()["event_id"].tolist()
['E001', 'E002', 'E003', 'E004', 'E005']
"""

from __future__ import annotations

import pandas as pd

__all__ = ["dyad_eras", "dyad_events", "toy_frames"]


def toy_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """An events table and an eras table for era summaries.

    Two eras (1950-1959 and 1960 to the open present) and four events, one of them known
    only to a decade (``196X``).

    Returns
    -------
    tuple of pandas.DataFrame
        ``(events, eras)`` with the columns :func:`albru.load` gives them.

    Examples
    --------
    >>> events, eras = toy_frames()
    >>> events[["start", "end", "era", "goldstein"]]
           start        end   era  goldstein
    0 1951-03-02 1951-03-02  warm        3.4
    1 1955-07-01 1955-07-31  warm        4.0
    2 1960-01-01 1969-12-31  cold       -4.0
    3 1961-12-03 1961-12-03  cold       -7.0
    """
    era_ids = pd.CategoricalDtype(["warm", "cold"], ordered=True)
    eras = pd.DataFrame({
        "era_id": pd.Series(["warm", "cold"], dtype=era_ids),
        "name": ["Warm years", "Cold years"],
        "start": pd.to_datetime(["1950-01-01", "1960-01-01"]),
        "end": pd.to_datetime(["1959-12-31", None]),
        "basis": ["alliance", "rupture"],
    })
    era = pd.Series(["warm", "warm", "cold", "cold"], dtype=era_ids)
    events = pd.DataFrame({
        "event_id": ["E001", "E002", "E003", "E004"],
        "date": ["1951-03-02", "1955-07", "196X", "1961-12-03"],
        "start": pd.to_datetime(["1951-03-02", "1955-07-01", "1960-01-01", "1961-12-03"]),
        "end": pd.to_datetime(["1951-03-02", "1955-07-31", "1969-12-31", "1961-12-03"]),
        "precision": ["day", "month", "decade", "day"],
        "era": era,
        "era_first": era,
        "era_last": era,
        "source_actor": ["ALB", "RUS", "ALB", "RUS"],
        "target_actor": ["RUS", "ALB", "RUS", "ALB"],
        "event_type": ["sign_agreement", "give_aid", "criticize", "break_relations"],
        "quad_class": pd.array([1, 2, 3, 4], dtype="Int64"),
        "goldstein": [3.4, 4.0, -4.0, -7.0],
        "title": ["Trade pact", "Loan", "Polemics", "Break"],
    })
    return events, eras


def dyad_events() -> pd.DataFrame:
    """A five-row events table for incident examples: four events between ``ALB`` and ``RUS``
    (one dated to a month, one to a decade) and one between ``RUS`` and ``UKR``.

    Returns
    -------
    pandas.DataFrame
        Columns ``event_id``, ``date``, actors, ``quad_class``, ``event_type``, ``era``,
        ``era_first``, ``era_last``, ``title``, ``goldstein``, ``start``, ``end``.

    Examples
    --------
    >>> dyad_events()[["date", "start", "end"]].astype(str).values.tolist()[2]
    ['196X', '1960-01-01', '1969-12-31']
    """
    rows = [
        ("E001", "1924-04-07", "ALB", "RUS", 1, "sign_agreement", "early", 3.4),
        ("E002", "1961-12", "RUS", "ALB", 4, "break_relations", "cold", -7.0),
        ("E003", "196X", "ALB", "RUS", 3, "criticize", "cold", -2.0),
        ("E004", "2022-02-24", "ALB", "RUS", 3, "criticize", "late", -2.0),
        ("E005", "2022-03", "RUS", "UKR", 4, "use_military_force", "late", -10.0),
    ]
    ev = pd.DataFrame(
        rows,
        columns=["event_id", "date", "source_actor", "target_actor", "quad_class", "event_type",
                 "era", "goldstein"],
    )
    for column in ["event_id", "date", "source_actor", "target_actor", "event_type"]:
        ev[column] = ev[column].astype("string")
    ev["quad_class"] = ev["quad_class"].astype("Int64")
    era_ids = pd.CategoricalDtype(["early", "cold", "late"], ordered=True)
    ev["era"] = ev["era"].astype(era_ids)
    ev["era_first"] = ev["era"]
    ev["era_last"] = ev["era"]
    ev["title"] = ev["event_type"].str.replace("_", " ")
    spans = {"1924-04-07": ("1924-04-07", "1924-04-07"), "1961-12": ("1961-12-01", "1961-12-31"),
             "196X": ("1960-01-01", "1969-12-31"), "2022-02-24": ("2022-02-24", "2022-02-24"),
             "2022-03": ("2022-03-01", "2022-03-31")}
    ev["start"] = pd.to_datetime(ev["date"].map(lambda d: spans[d][0]))
    ev["end"] = pd.to_datetime(ev["date"].map(lambda d: spans[d][1]))
    ev["precision"] = ["day", "month", "decade", "day", "month"]
    return ev


def dyad_eras() -> pd.DataFrame:
    """A three-era table (1912-1944, 1945-1991, 1992 to the open present) to go with
    :func:`dyad_events`.

    Returns
    -------
    pandas.DataFrame
        Columns ``era_id`` (ordered categorical), ``name``, ``start``, ``end``.

    Examples
    --------
    >>> dyad_eras()["name"].tolist()
    ['Early', 'Cold', 'Late']
    """
    eras = pd.DataFrame(
        {"era_id": ["early", "cold", "late"], "name": ["Early", "Cold", "Late"],
         "start": pd.to_datetime(["1912-01-01", "1945-01-01", "1992-01-01"]),
         "end": pd.to_datetime(["1944-12-31", "1991-12-31", None])}
    )
    eras["era_id"] = pd.Categorical(eras["era_id"], categories=eras["era_id"], ordered=True)
    return eras
