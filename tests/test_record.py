"""How far the record runs: one ``as_of`` (the day the record is complete to), the searches
behind it, and per-year counts that are zero only where a search covered the year."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import albru
from albru import eras, incidents

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def ds() -> albru.Dataset:
    return albru.load()


def test_no_source_was_read_after_as_of(ds: albru.Dataset) -> None:
    late = ds.sources.loc[pd.to_datetime(ds.sources["accessed"]) > ds.as_of, "source_id"]
    assert late.tolist() == []


def test_as_of_is_the_schema_day_and_until_is_only_its_old_name(ds: albru.Dataset) -> None:
    schema = pd.read_json(DATA / "datapackage.json", typ="series")
    assert ds.as_of == ds.package.as_of == pd.Timestamp(schema["as_of"])
    with pytest.warns(DeprecationWarning, match="as_of"):
        assert ds.package.until == ds.as_of


def test_the_last_event_is_a_different_figure_from_as_of(ds: albru.Dataset) -> None:
    last = eras.last_event_date(ds.events)
    assert last == ds.events["end"].max() and last <= ds.as_of
    with pytest.warns(DeprecationWarning, match="last_event_date"):
        assert eras.latest_date(ds.events) == last


def test_every_year_to_as_of_was_searched(ds: albru.Dataset) -> None:
    assert ds.searched_years().tolist() == list(range(1912, ds.as_of.year + 1))


def test_every_event_falls_in_searched_years(ds: albru.Dataset) -> None:
    searched = set(ds.searched_years().tolist())
    outside = [e.event_id for e in ds.events.itertuples()
               if not set(range(e.start.year, e.end.year + 1)) <= searched]
    assert outside == []


def test_the_events_a_search_names_exist(ds: albru.Dataset) -> None:
    named = {x for ids in ds.searches["event_ids"].dropna() for x in str(ids).split()}
    assert named - set(ds.events["event_id"].astype(str)) == set()


def test_every_event_after_september_2022_was_found_by_a_search(ds: albru.Dataset) -> None:
    named = {x for ids in ds.searches["event_ids"].dropna() for x in str(ids).split()}
    late = ds.events.loc[ds.events["start"] > pd.Timestamp("2022-09-30"), "event_id"]
    assert set(late.astype(str)) - named == set()


def without_searches_of(year: int, tmp: Path) -> Path:
    """A copy of the data whose searches table has lost every search touching ``year``."""
    copy = Path(shutil.copytree(DATA, tmp / "data"))
    with (copy / "searches.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    kept = [r for r in rows[1:] if not int(r[1][:4]) <= year <= int(r[2][:4])]
    assert len(kept) < len(rows) - 1
    with (copy / "searches.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([rows[0], *kept])
    return copy


def test_a_panel_year_nobody_searched_is_missing_not_zero(tmp_path: Path) -> None:
    data = albru.load(without_searches_of(2026, tmp_path))
    panel = albru.dyad_years(years=[2025, 2026], data=data, votes=False).set_index("year")
    counts = ["events", "q1", "q2", "q3", "q4", "goldstein", "incidents"]
    assert panel.loc[2026, counts].isna().all()
    assert panel.loc[2025, counts].notna().all()


def test_the_shipped_panel_has_counts_in_every_year(ds: albru.Dataset) -> None:
    panel = albru.dyad_years(data=ds, votes=False)
    assert panel["year"].max() == ds.as_of.year
    assert panel["events"].notna().all()


def test_binned_counts_are_missing_only_in_bins_not_searched(ds: albru.Dataset) -> None:
    inc = incidents.incidents(ds.events)
    span = (1912, ds.as_of.year)
    full = incidents.count_by_bin(inc, span=span, searched=ds.searched_years())
    assert not full.counts.isna().any().any()
    assert full.total == incidents.count_by_bin(inc, span=span).total
    gap = [y for y in ds.searched_years() if y != 2025]
    partial = incidents.count_by_bin(inc, span=span, searched=gap)
    assert partial.counts.index[partial.counts.isna().any(axis=1)].tolist() == [2025]
    fives = incidents.count_by_bin(inc, width=5, span=span, searched=gap).counts
    assert fives.index[fives.isna().any(axis=1)].tolist() == [2025]
    assert np.nansum(partial.counts.to_numpy()) <= np.nansum(full.counts.to_numpy())
