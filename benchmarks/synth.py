"""Seeded synthetic events tables shaped like ``albru.load().events``, of any length.

Nothing here is shipped data. Each synthetic row copies a real event row drawn at random
(actors, event type, source, text: the real mix of dyads and quad classes) and gets a new
id and a new date. The date is drawn the way the real table is spread: an era picked in
proportion to the real events in it (plus one, so empty eras get some), a day picked
uniformly inside that era, and a precision picked from the real mix, then written as an
EDTF string of that precision (``1959-05-17``, ``1959-05``, ``1959``, ``195X``). Seasons,
centuries and intervals are written as years. A coarse date that would cross an era
boundary is written to the day instead, so every row lies inside exactly one era, as the
loader promises for the real table.

The derived columns (``start``, ``end``, ``precision``, the event-type columns) are filled
in and cast to the real table's dtypes; ``era`` is left out: assigning it is the first stage
of the pipeline being measured. ``check`` compares a sample of the synthetic dates with what
``albru.dates.parse`` makes of them.

Synthetic ids are ``E`` plus seven digits: a million rows do not fit the three digits the
schema's pattern allows for the real table.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
#: Seed of every synthetic table.
SEED = 20260
#: The EDTF shapes written, by precision; other precisions are written as years.
SHAPES = ("day", "month", "year", "decade")
#: Columns the pipeline adds, so the synthetic table leaves them out.
PIPELINE_COLUMNS = ("era",)


def schema_fields(table: str = "events") -> list[str]:
    """Column names of a table, in order, from data/datapackage.json (the one schema)."""
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        if resource["name"] == table:
            return [field["name"] for field in resource["schema"]["fields"]]
    raise KeyError(f"data/datapackage.json has no resource {table!r}")


def _era_bounds(ds) -> tuple[np.ndarray, np.ndarray]:
    """First and last day of each era (datetime64[D]); the open era stops at the last event."""
    last = ds.events["end"].max()
    start = ds.eras["start"].to_numpy().astype("M8[D]")
    end = ds.eras["end"].fillna(last).to_numpy().astype("M8[D]")
    return start, end


def _spans(day: np.ndarray, shape: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last day of the EDTF date of each shape that holds `day`."""
    month = day.astype("M8[M]")
    year = day.astype("M8[Y]")
    decade = year - (year.astype(int) + 1970) % 10
    first = np.select(
        [shape == "month", shape == "year", shape == "decade"],
        [month.astype("M8[D]"), year.astype("M8[D]"), decade.astype("M8[D]")],
        default=day,
    )
    last = np.select(
        [shape == "month", shape == "year", shape == "decade"],
        [(month + 1).astype("M8[D]"), (year + 1).astype("M8[D]"), (decade + 10).astype("M8[D]")],
        default=day + 1,
    ) - np.timedelta64(1, "D")
    return first, last


def _edtf(day: np.ndarray, shape: np.ndarray) -> pd.Series:
    """The EDTF string of each day at each shape."""
    text = pd.Series(np.datetime_as_string(day, unit="D"))
    out = text.copy()
    out[shape == "month"] = text.str[:7]
    out[shape == "year"] = text.str[:4]
    out[shape == "decade"] = text.str[:3] + "X"
    return out


def synthetic_events(ds, n: int, seed: int = SEED) -> pd.DataFrame:
    """`n` synthetic events in the loaded shape without ``era`` (see the module docstring).

    ``ds`` is the real ``albru.Dataset``; the result is the same for the same data and seed.
    """
    rng = np.random.default_rng(seed)
    real = ds.events
    era_start, era_end = _era_bounds(ds)
    era_ids = ds.eras["era_id"].astype(str).tolist()
    per_era = real["era"].astype(str).value_counts().reindex(era_ids, fill_value=0)
    weights = (per_era.to_numpy() + 1) / (per_era.sum() + len(era_ids))
    era = rng.choice(len(era_ids), size=n, p=weights)
    length = (era_end - era_start).astype(int) + 1
    day = era_start[era] + (rng.random(n) * length[era]).astype(int).astype("m8[D]")

    mix = real["precision"].astype(str).where(real["precision"].astype(str).isin(SHAPES), "year")
    mix = mix.value_counts(normalize=True)
    shape = rng.choice(mix.index.to_numpy(dtype=object), size=n, p=mix.to_numpy()).astype(str)
    first, last = _spans(day, shape)
    inside = (first >= era_start[era]) & (last <= era_end[era])
    shape = np.where(inside, shape, "day")
    first, last = _spans(day, shape)

    rows = rng.integers(0, len(real), size=n)
    out = real.take(rows).reset_index(drop=True)
    out["event_id"] = "E" + pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(7)
    out["date"] = _edtf(day, shape)
    out["start"] = pd.to_datetime(first).astype(real["start"].dtype)
    out["end"] = pd.to_datetime(last).astype(real["end"].dtype)
    out["precision"] = pd.Categorical(shape, dtype=real["precision"].dtype)
    out = out.drop(columns=list(PIPELINE_COLUMNS))
    for column in out.columns:
        out[column] = out[column].astype(real[column].dtype)
    out = out.sort_values(["start", "event_id"], kind="stable").reset_index(drop=True)
    missing = set(schema_fields("events")) - set(out.columns)
    if missing:
        raise RuntimeError(f"synthetic events lack schema columns {sorted(missing)}")
    return out


def check(events: pd.DataFrame, sample: int = 300, seed: int = SEED) -> None:
    """Fail unless ``albru.dates.parse`` gives the synthetic start, end and precision."""
    from albru.dates import parse

    picked = events.drop_duplicates("date").sample(
        n=min(sample, events["date"].nunique()), random_state=seed
    )
    for row in picked.itertuples():
        bounds = parse(str(row.date))
        got = (pd.Timestamp(bounds.start), pd.Timestamp(bounds.end), bounds.precision)
        want = (row.start, row.end, str(row.precision))
        if got != want:
            raise RuntimeError(f"synthetic date {row.date!r}: table says {want}, parse {got}")
