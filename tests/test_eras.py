"""albru.eras on synthetic frames shaped like the loaded tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from albru import eras as E
from albru import incidents as inc
from albru.dates import era_range

ERA_IDS = ["early", "middle", "late"]


def make_eras(open_end: bool = True) -> pd.DataFrame:
    """Three eras: 1920-1939, 1940-1969, 1970 to the open present (or to 1999)."""
    return pd.DataFrame({
        "era_id": pd.Categorical(ERA_IDS, categories=ERA_IDS, ordered=True),
        "name": ["Early", "Middle", "Late"],
        "start": pd.to_datetime(["1920-01-01", "1940-01-01", "1970-03-15"]),
        "end": pd.to_datetime(["1939-12-31", "1970-03-14", None if open_end else "1999-12-31"]),
        "basis": ["a", "b", "c"],
    })


def make_events(n: int = 60, seed: int = 1) -> pd.DataFrame:
    """``n`` seeded random events between 1920 and 1999, each a day, a month or a decade."""
    rng = np.random.default_rng(seed)
    eras = make_eras()
    rows = []
    for i in range(n):
        kind = rng.choice(["day", "month", "decade"])
        if kind == "decade":
            start = pd.Timestamp(int(rng.integers(192, 200)) * 10, 1, 1)
            end = pd.Timestamp(start.year + 9, 12, 31)
        else:
            start = pd.Timestamp(int(rng.integers(1920, 2000)), int(rng.integers(1, 13)), 1)
            end = start + pd.offsets.MonthEnd(0) if kind == "month" else start
        quad = int(rng.integers(1, 5))
        rows.append({"event_id": f"E{i:03d}", "start": start, "end": end, "precision": kind,
                     "quad_class": quad, "goldstein": float(rng.choice([-10, -4, -2, 3, 7])),
                     "event_type": str(rng.choice(["visit", "criticize", "sign", "expel"])),
                     "title": f"event {i}"})
    events = pd.DataFrame(rows).sort_values(["start", "event_id"], ignore_index=True)
    events[["era", "era_first", "era_last"]] = era_range(events, eras)
    events["quad_class"] = events["quad_class"].astype("Int64")
    return events


def test_summary_counts_match_the_events_of_each_era():
    events, eras = make_events(), make_eras()
    summary = E.era_summary(events, eras)
    assert list(summary.index) == ERA_IDS
    for era_id, group in events.groupby("era", observed=True):
        row = summary.loc[str(era_id)]
        assert row["events"] == len(group)
        for q in E.QUADS:
            assert row[f"q{q}"] == (group["quad_class"] == q).sum()
        assert row["goldstein_sum"] == pytest.approx(group["goldstein"].sum())
        assert row["goldstein_mean"] == pytest.approx(group["goldstein"].mean())
        assert row["per_year"] == pytest.approx(len(group) / row["years"])
    straddlers = events["era"].isna().sum()
    assert straddlers > 0  # decades of the 1970s cross the boundary of 15 March 1970
    assert summary["events"].sum() + straddlers == len(events)
    assert summary["straddling"].tolist() == [0, straddlers, straddlers]


def test_a_straddler_is_found_from_its_dates_when_the_loader_columns_are_missing():
    events, eras = make_events(), make_eras()
    bare = events.drop(columns=["era", "era_first", "era_last"])
    pd.testing.assert_frame_equal(E.era_summary(bare, eras), E.era_summary(events, eras))
    found = E.era_membership(bare, eras)
    assert found["era"].isna().tolist() == events["era"].isna().tolist()


def test_era_at_looks_days_up_and_leaves_outside_days_missing():
    eras = make_eras(open_end=False)
    days = ["1919-12-31", "1920-01-01", "1970-03-14", "1970-03-15", "2000-01-01"]
    assert E.era_at(eras, days).tolist() == [pd.NA, "early", "middle", "late", pd.NA]
    assert E.era_at(eras, days[1:2], column="name").tolist() == ["Early"]


def test_summary_durations_and_the_open_era():
    events, eras = make_events(), make_eras()
    summary = E.era_summary(events, eras, as_of=pd.Timestamp("2009-12-31"))
    assert summary.loc["early", "years"] == pytest.approx(7305 / 365.25)  # 1920..1939: 20 years
    assert summary.loc["late", "end"] == pd.Timestamp("2009-12-31")
    assert summary["open"].tolist() == [False, False, True]
    assert E.era_summary(events, eras).loc["late", "end"] == events["end"].max()
    with pytest.raises(ValueError, match="before the start"):
        E.era_summary(events, eras, as_of=pd.Timestamp("1960-01-01"))


def test_summary_keeps_an_empty_era_and_ranks_types():
    events, eras = make_events(), make_eras()
    kept = events[events["era"] != "middle"]
    summary = E.era_summary(kept, eras)
    assert summary.loc["middle", "events"] == 0
    assert np.isnan(summary.loc["middle", "goldstein_mean"])
    assert summary.loc["middle", "top_types"] == ""
    late = kept[kept["era"] == "late"]["event_type"].value_counts()
    top = summary.loc["late", "top_types"].split(", ")[0]
    assert top == f"{late.index[0]} ({late.iloc[0]})" and late.iloc[0] == late.max()


def test_summary_refuses_an_era_missing_from_the_eras_table():
    events, eras = make_events(), make_eras()
    with pytest.raises(ValueError, match="middle"):
        E.era_summary(events, eras[eras["era_id"] != "middle"])


def test_annual_series_spreads_or_excludes_and_loses_nothing():
    events = make_events()
    years = range(1920, 2000)
    spread = E.annual_net_cooperation(events, years)
    assert list(spread.index) == list(years)
    assert spread.sum() == pytest.approx(events["goldstein"].sum())
    excluded = E.annual_net_cooperation(events, years, multi_year="exclude")
    multi = E.multi_year_events(events)
    assert len(multi) == (events["precision"] == "decade").sum() > 0
    assert excluded.sum() == pytest.approx(events["goldstein"].sum() - multi["goldstein"].sum())
    one_year = events.drop(multi.index)
    by_year = one_year.groupby(one_year["start"].dt.year)["goldstein"].sum()
    assert excluded[by_year.index].to_numpy() == pytest.approx(by_year.to_numpy())


def test_annual_series_refuses_events_outside_the_years_asked_for():
    with pytest.raises(ValueError, match="outside"):
        E.annual_net_cooperation(make_events(), range(1930, 2000))
    with pytest.raises(ValueError, match="spread"):
        E.annual_net_cooperation(make_events(), multi_year="drop")


def test_decade_density_adds_up_to_the_number_of_events():
    events = make_events()
    density = E.decade_density(events, range(1910, 2010, 10))
    assert density.sum() == pytest.approx(len(events))
    assert density[1910] == 0.0 and density[2000] == 0.0
    day_or_month = events[events["precision"] != "decade"]
    decade = events[events["precision"] == "decade"]
    expected_1950s = (day_or_month["start"].dt.year // 10 == 195).sum() + (
        decade["start"].dt.year == 1950).sum()
    assert density[1950] == pytest.approx(expected_1950s)


def test_reader_table_and_balance_agree_with_the_summary():
    events, eras = make_events(), make_eras()
    summary = E.era_summary(events, eras)
    table = E.summary_table(summary, context=pd.Series([1, 2, 3], index=ERA_IDS))
    assert table["events"].tolist() == summary["events"].tolist()
    assert table["context events"].tolist() == [1, 2, 3]
    assert table["from"].tolist() == [1920, 1940, 1970]
    groups = E.cooperation_sign(summary)
    for name, total in zip(summary["name"], summary["goldstein_sum"], strict=True):
        assert (name in groups["cooperative"]) == (total > 0)
        assert (name in groups["conflictual"]) == (total < 0)


def test_era_boundary_claims_are_checked(tmp_path) -> None:
    """Claims on an era's boundary name a real era; one naming no era fails on its row."""
    import shutil
    from pathlib import Path

    import albru
    from albru.dataset import validate

    ds = albru.load()
    rift = ds.claims[(ds.claims["table"] == "eras") & (ds.claims["record_id"] == "rift")]
    assert set(rift["column"]) == {"start"} and {"1956", "1960"} <= set(rift["value"])
    data = Path(shutil.copytree(Path(albru.__file__).parent.parent / "data", tmp_path / "d"))
    text = (data / "claims.csv").read_text(encoding="utf-8")
    (data / "claims.csv").write_text(text + "C749,eras,schism,start,1960,marku_2019,,,x\n",
                                     encoding="utf-8")
    problems = [str(p) for p in validate(data, frictionless=False)]
    assert any("record_id" in p and "not found in eras.era_id" in p for p in problems)


def test_era_rate_draws_takes_as_of() -> None:
    """``as_of`` closes the open era; the old ``until`` keyword still works, with a warning."""
    from albru import uncertainty as u

    eras = make_eras()
    ev = pd.DataFrame({"start": pd.to_datetime(["1975-01-01"]),
                       "end": pd.to_datetime(["1975-01-01"])})
    new = u.era_rate_draws(ev, eras, as_of=pd.Timestamp("1980-12-31"), n=3, seed=0)
    with pytest.warns(DeprecationWarning, match="as_of="):
        old = u.era_rate_draws(ev, eras, until=pd.Timestamp("1980-12-31"), n=3, seed=0)
    pd.testing.assert_frame_equal(new, old)
    with pytest.raises(ValueError, match="as_of"):
        u.era_rate_draws(ev, eras, as_of=pd.Timestamp("1974-12-31"), n=3, seed=0)
    band = u.era_rate_band(new, eras, as_of=pd.Timestamp("1980-12-31"))
    assert band.loc["late", "years"] == pytest.approx((pd.Timestamp("1980-12-31")
                                                       - pd.Timestamp("1970-03-15")).days / 365.25
                                                      + 1 / 365.25)


def _dyad_calls():
    from albru.examples import dyad_eras, dyad_events
    ev, eras = dyad_events(), dyad_eras()
    spells = inc.quiet_spells(inc.incidents(ev))
    return [
        lambda **kw: E.era_spans(make_eras(), **kw),
        lambda **kw: E.era_summary(make_events(), make_eras(), **kw),
        lambda **kw: inc.era_rates(inc.incidents(ev), eras, **kw),
        lambda **kw: inc.era_records(ev, eras, ev.iloc[:0], **kw),
        lambda **kw: inc.quiet_context(spells, ev, ev.iloc[:0], **kw),
    ]


@pytest.mark.parametrize("number", range(5), ids=["era_spans", "era_summary", "era_rates",
                                                   "era_records", "quiet_context"])
def test_until_is_the_deprecated_name_of_as_of(number: int) -> None:
    """Each function whose end of the record was ``until`` takes ``as_of``; ``until`` still
    works, with a warning naming ``as_of``, and gives the same table; neither is an error."""
    call = _dyad_calls()[number]
    day = pd.Timestamp("2022-12-31")
    new = call(as_of=day)
    with pytest.warns(DeprecationWarning, match="until= is deprecated; pass as_of="):
        old = call(until=day)
    pd.testing.assert_frame_equal(new, old)
    if number != 1:  # era_summary falls back on the last event's date
        with pytest.raises(TypeError, match="as_of= is required"):
            call()
