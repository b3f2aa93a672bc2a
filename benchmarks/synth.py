"""Seeded synthetic events tables shaped like ``albru.load().events``, of any length.

Nothing here is shipped data. Each synthetic row copies a real event row drawn at random
(actors, event type, source, text, era and date precision: the real mix of dyads, quad
classes, eras and precisions) and gets a new id and a new date: a day drawn uniformly inside
the copied row's era, written as an EDTF string at the copied row's precision
(``1959-05-17``, ``1959-05``, ``1959``, ``195X``, or an interval of as many whole years as
the copied row's, ``1949/1955``; seasons and centuries are written as years). A coarse date
that would cross an era boundary is written one step finer (years, decade, year, month,
day) until it fits, so every row lies inside exactly one era, as the loader promises for the
real table.

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
#: The EDTF shapes written: 1959-05-17, 1959-05, 1959, 195X, and 1949/1955 (whole years).
SHAPES = ("day", "month", "year", "decade", "years")
#: Precision of each shape (an interval of whole years is named by its length, as the loader
#: does: up to ten years is a decade).
PRECISION = {"day": "day", "month": "month", "year": "year", "decade": "decade",
             "years": "decade"}
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


def _distinct_dates(
    day: np.ndarray, shape: np.ndarray, extra: np.ndarray, text: bool = True
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """For each row, the EDTF string (if `text`), first and last day of `day` written at `shape`
    (an index into SHAPES; an interval of years runs `extra` years past the year of `day`).
    Each distinct (day, shape, extra) is worked out once."""
    width = len(SHAPES)
    keys, inverse = np.unique((day.astype(int) * width + shape) * 100 + extra, return_inverse=True)
    days, shapes, extras = (keys // 100 // width).astype("M8[D]"), keys // 100 % width, keys % 100
    month, year = days.astype("M8[M]"), days.astype("M8[Y]")
    decade = year - (year.astype(int) + 1970) % 10
    starts = [days, month, year, decade, year]
    stops = [days + 1, month + 1, year + 1, decade + 10, year + 1 + extras]
    first = np.choose(shapes, [t.astype("M8[D]") for t in starts])
    last = np.choose(shapes, [t.astype("M8[D]") for t in stops]) - np.timedelta64(1, "D")
    inverse = inverse.ravel()
    if not text:
        return None, first[inverse], last[inverse]
    iso = np.datetime_as_string(days, unit="D")
    edtf = [
        (d[:10], d[:7], d[:4], d[:3] + "X", f"{d[:4]}/{int(d[:4]) + k}")[s]
        for d, s, k in zip(iso, shapes, extras, strict=True)
    ]
    return np.array(edtf, dtype=object)[inverse], first[inverse], last[inverse]


def synthetic_events(ds, n: int, seed: int = SEED) -> pd.DataFrame:
    """`n` synthetic events in the loaded shape without ``era`` (see the module docstring).

    ``ds`` is the real ``albru.Dataset``; the result is the same for the same data and seed.
    """
    rng = np.random.default_rng(seed)
    real = ds.events
    rows = rng.integers(0, len(real), size=n)
    era = real["era"].cat.codes.to_numpy()[rows]  # eras and their categories share one order
    years = (real["end"].dt.year - real["start"].dt.year).to_numpy()
    interval = real["date"].str.contains("/", regex=False).to_numpy(dtype=bool) & (years > 0)
    shape = real["precision"].astype(str).map({name: i for i, name in enumerate(SHAPES)})
    shape = np.where(interval, SHAPES.index("years"), shape.fillna(SHAPES.index("year")))
    shape, extra = shape.astype(int)[rows], np.where(interval, years, 0)[rows]
    era_start, era_end = _era_bounds(ds)
    length = (era_end - era_start).astype(int) + 1
    day = era_start[era] + (rng.random(n) * length[era]).astype(int).astype("m8[D]")
    for _ in SHAPES[1:]:  # coarse dates that cross an era boundary: one step finer, again
        _, first, last = _distinct_dates(day, shape, extra, text=False)
        outside = (first < era_start[era]) | (last > era_end[era])
        shape = np.where(outside, shape - 1, shape)
    extra = np.where(shape == SHAPES.index("years"), extra, 0)
    text, first, last = _distinct_dates(day, shape, extra)

    # The loader's order: by start, then id; ids are handed out in that order.
    order = np.argsort(first, kind="stable")
    out = real.take(rows[order]).reset_index(drop=True)
    out["event_id"] = np.char.add("E", np.char.zfill(np.arange(1, n + 1).astype(str), 7))
    out["date"] = text[order]
    out["start"] = first[order]
    out["end"] = last[order]
    out["precision"] = np.array([PRECISION[name] for name in SHAPES])[shape[order]]
    out = out.drop(columns=list(PIPELINE_COLUMNS))
    for column in out.columns:
        if out[column].dtype != real[column].dtype:
            out[column] = out[column].astype(real[column].dtype)
    missing = set(schema_fields("events")) - set(out.columns)
    if missing:
        raise RuntimeError(f"synthetic events lack schema columns {sorted(missing)}")
    return out


def check(events: pd.DataFrame, per_shape: int = 12, seed: int = SEED) -> None:
    """Fail unless ``albru.dates.parse`` gives the synthetic start, end and precision
    (checked on up to `per_shape` distinct dates of each precision)."""
    from albru.dates import parse

    distinct = events.drop_duplicates("date")
    picked = pd.concat(
        group.sample(n=min(per_shape, len(group)), random_state=seed)
        for _, group in distinct.groupby("precision", observed=True)
    )
    for row in picked.itertuples():
        bounds = parse(str(row.date))
        got = (pd.Timestamp(bounds.start), pd.Timestamp(bounds.end), bounds.precision)
        want = (row.start, row.end, str(row.precision))
        if got != want:
            raise RuntimeError(f"synthetic date {row.date!r}: table says {want}, parse {got}")
