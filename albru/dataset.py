"""The loaded dataset: one typed pandas DataFrame per table of ``datapackage.json``.

Types are fixed at load time from the schema, EDTF dates become first and last days with a
precision, and events carry their event type's coding and their era.

>>> ds = load()
>>> ds.eras["era_id"].cat.ordered, ds.events["era"].dtype == ds.eras["era_id"].dtype
(True, True)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from albru import validation
from albru.validation import SCHEMA_FILE, AlbruDataError, Problem, Table


@dataclass(frozen=True, repr=False)
class Dataset:
    """The albru tables, one DataFrame per resource of ``datapackage.json``.

    >>> load().actors["kind"].dtype.categories.tolist()
    ['state', 'organization']
    """

    sources: pd.DataFrame
    actors: pd.DataFrame
    actor_names: pd.DataFrame
    event_types: pd.DataFrame
    eras: pd.DataFrame
    events: pd.DataFrame
    memberships: pd.DataFrame
    ties: pd.DataFrame
    claims: pd.DataFrame

    def __repr__(self) -> str:
        sizes = ", ".join(f"{f.name}={len(getattr(self, f.name))}" for f in fields(self))
        return f"Dataset(rows: {sizes})"


def load(data_dir: str | Path | None = None) -> Dataset:
    """Read, check and type every table; raise AlbruDataError listing all problems found.

    ``data_dir=None`` reads the shipped data; a path reads a copy someone is editing.

    >>> ds = load()
    >>> bool((ds.events["start"] <= ds.events["end"]).all())
    True
    >>> load("/nonexistent")
    Traceback (most recent call last):
    ...
    albru.validation.AlbruDataError: 1 problem in the albru data:
      datapackage.json: file missing in /nonexistent
    """
    directory = validation.resolve(data_dir)
    tables, problems = validation.check(directory)
    names = [f.name for f in fields(Dataset)]
    if tables or not problems:
        problems += _unfit(tables, names, directory)
    if problems:
        raise AlbruDataError(problems)
    frames = {name: _frame(tables[name]) for name in names}
    frames["eras"] = _sorted_eras(frames["eras"], tables["eras"])
    keys = (tables["events"].key[0], tables["event_types"].key[0], tables["eras"].key[0])
    frames["events"] = _events(frames["events"], frames["event_types"], frames["eras"], keys)
    return Dataset(**frames)


def _unfit(tables: dict[str, Table], names: list[str], directory: Path) -> list[Problem]:
    """Resources the schema and the Dataset do not agree on."""
    package = json.loads((directory / SCHEMA_FILE).read_text(encoding="utf-8"))
    listed = [resource["name"] for resource in package["resources"]]
    return [Problem(SCHEMA_FILE, None, None, name, "resource missing; albru.Dataset needs it")
            for name in names if name not in listed] + [
        Problem(SCHEMA_FILE, None, None, name, "resource has no place in albru.Dataset")
        for name in listed if name not in names]


def _frame(table: Table) -> pd.DataFrame:
    """The typed columns plus the derived date columns of one table."""
    frame = table.frame.copy()
    roles = {f["name"]: f["edtf"] for f in table.resource["schema"]["fields"] if "edtf" in f}
    for name, parsed in table.dates.items():
        if roles[name] == "point":
            frame = frame.assign(start=parsed["start"], end=parsed["end"],
                                 precision=parsed["precision"])
        else:
            frame = frame.rename(columns={name: f"{name}_edtf"})
            frame[name] = parsed[roles[name]]
            frame[f"{name}_precision"] = parsed["precision"]
    return frame


def _sorted_eras(eras: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Eras in time order, their id an ordered categorical in that order."""
    key = table.key[0]
    eras = eras.sort_values("start", kind="stable").reset_index(drop=True)
    eras[key] = pd.Categorical(eras[key], categories=eras[key].tolist(), ordered=True)
    return eras


def _events(
    events: pd.DataFrame, types: pd.DataFrame, eras: pd.DataFrame, keys: tuple[str, str, str]
) -> pd.DataFrame:
    """Events sorted by start and id, with their type's coding and their era joined in."""
    event_key, type_key, era_key = keys
    joined = events.merge(types, on=type_key, how="left", validate="many_to_one")
    place = validation.era_index(joined["start"], joined["end"], eras["start"], eras["end"])
    joined["era"] = pd.Categorical.from_codes(place, dtype=eras[era_key].dtype)
    return joined.sort_values(["start", event_key], kind="stable").reset_index(drop=True)
