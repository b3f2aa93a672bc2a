"""albru.eras on synthetic frames shaped like the loaded tables."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from albru import eras as E

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
    era = [eras.loc[eras["start"] <= s, "era_id"].iloc[-1] for s in events["start"]]
    events["era"] = pd.Categorical(era, categories=ERA_IDS, ordered=True)
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
    assert summary["events"].sum() == len(events)


def test_summary_durations_and_the_open_era():
    events, eras = make_events(), make_eras()
    summary = E.era_summary(events, eras, as_of=pd.Timestamp("2009-12-31"))
    assert summary.loc["early", "years"] == pytest.approx(7305 / 365.25)  # 1920..1939: 20 years
    assert summary.loc["late", "stop"] == pd.Timestamp("2009-12-31")
    assert summary["open"].tolist() == [False, False, True]
    assert E.era_summary(events, eras).loc["late", "stop"] == events["end"].max()
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


def test_year_shares_follow_the_days_of_the_span():
    events = pd.DataFrame({
        "start": pd.to_datetime(["1960-12-01", "1963-05-05", "1970-01-01"]),
        "end": pd.to_datetime(["1961-01-31", "1963-05-05", "1979-12-31"]),
    })
    shares = E.year_shares(events).set_index(["event", "year"])["share"]
    assert shares[(0, 1960)] == pytest.approx(31 / 62)
    assert shares[(0, 1961)] == pytest.approx(31 / 62)
    assert shares[(1, 1963)] == 1.0
    assert len(shares.loc[2]) == 10
    assert shares.loc[2].sum() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="start <= end"):
        E.year_shares(events.assign(end=events["start"] - pd.Timedelta(days=1)))


@given(st.dates(min_value=pd.Timestamp("1900-01-01").date(),
                max_value=pd.Timestamp("2030-12-31").date()),
       st.integers(min_value=0, max_value=5000))
def test_year_shares_always_add_up_to_one(start, days):
    first = pd.Timestamp(start)
    events = pd.DataFrame({"start": [first], "end": [first + pd.Timedelta(days=days)]})
    shares = E.year_shares(events)
    assert shares["share"].sum() == pytest.approx(1.0)
    assert shares["year"].tolist() == list(range(first.year, events["end"][0].year + 1))
    assert (shares["share"] > 0).all()


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


def planted(shifts: dict[int, float], years: range, noise: float, seed: int) -> pd.Series:
    """A series over ``years`` at level ``shifts[year]`` from each key year on, plus noise."""
    level = np.zeros(len(years))
    for year, value in shifts.items():
        level[years.index(year):] = value
    rng = np.random.default_rng(seed)
    return pd.Series(level + rng.normal(0, noise, len(years)), index=list(years))


@pytest.mark.parametrize("seed", range(5))
def test_detector_finds_planted_shifts_at_the_right_years(seed):
    years = range(1912, 2023)
    series = planted({1961: -8.0, 1990: 2.0}, years, noise=1.0, seed=seed)
    found = E.find_shifts(series, 2)
    assert found["year"].tolist() == [1961, 1990]
    assert found["change"].iloc[0] == pytest.approx(-8.0, abs=1.0)
    assert found["change"].iloc[1] == pytest.approx(10.0, abs=1.0)
    by_bic = E.find_shifts(series)["year"].tolist()  # BIC may add a small spurious shift
    assert {1961, 1990} <= set(by_bic) and len(by_bic) <= 3


def test_detector_finds_nothing_in_pure_noise():
    series = planted({}, range(1912, 2023), noise=1.0, seed=3)
    assert E.find_shifts(series).empty
    assert int(E.shift_table(series, 4)["bic"].idxmin()) == 0


def test_detector_is_the_exact_least_squares_optimum():
    series = planted({1930: 3.0, 1936: -2.0}, range(1920, 1945), noise=2.0, seed=7)
    y = series.to_numpy()

    def sse(cuts):
        bounds = [0, *cuts, len(y)]
        return sum(((y[a:b] - y[a:b].mean()) ** 2).sum() for a, b in itertools.pairwise(bounds))

    feasible = [c for c in itertools.combinations(range(3, len(y) - 2), 2) if c[1] - c[0] >= 3]
    best = min(feasible, key=sse)
    found = E.find_shifts(series, 2, min_size=3)
    assert found["year"].tolist() == [int(series.index[c]) for c in best]
    assert E.shift_table(series, 2)["sse"].iloc[2] == pytest.approx(sse(best))


@pytest.mark.parametrize("seed", range(6))
def test_every_fit_of_the_table_is_the_best_of_all_cuts(seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(-4, 5, 13).astype(float)
    series = pd.Series(y, index=range(2000, 2013))

    def sse(cuts):
        bounds = [0, *cuts, len(y)]
        return sum(((y[a:b] - y[a:b].mean()) ** 2).sum() for a, b in itertools.pairwise(bounds))

    for min_size in (1, 2, 3):
        table = E.shift_table(series, 3, min_size=min_size)
        for k in range(4):
            feasible = [c for c in itertools.combinations(range(1, len(y)), k)
                        if all(b - a >= min_size for a, b in itertools.pairwise([0, *c, len(y)]))]
            best = min(sse(c) for c in feasible)
            assert table["sse"].iloc[k] == pytest.approx(best, abs=1e-9)
            years = E.find_shifts(series, k, min_size=min_size)["year"]
            assert sse([y_ - 2000 for y_ in years]) == pytest.approx(best, abs=1e-9)


def test_detector_respects_the_minimum_run_and_refuses_impossible_fits():
    series = planted({1950: 5.0}, range(1940, 1960), noise=0.0, seed=0)
    series[1958] = 40.0  # a one-year spike
    assert E.find_shifts(series, 2, min_size=1)["year"].tolist() == [1958, 1959]
    assert all(b - a >= 3 for a, b in itertools.pairwise(
        [1940, *E.find_shifts(series, 2, min_size=3)["year"], 1960]))
    with pytest.raises(ValueError, match="cannot hold"):
        E.find_shifts(series, 7, min_size=3)


def test_segment_means_are_the_run_means():
    series = pd.Series([1.0, 3.0, 10.0, 20.0, 30.0], index=range(2000, 2005))
    assert E.segment_means(series, [2002]).tolist() == [2.0, 2.0, 20.0, 20.0, 20.0]
    assert E.segment_means(series, []).tolist() == [12.8] * 5


def test_shifts_are_compared_with_the_nearest_era_boundary():
    table = E.compare_shifts([1941, 1969, 1985], make_eras())
    assert table["era_id"].tolist() == ["middle", "late", "late"]
    assert table["distance"].iloc[0] == pytest.approx(1.0)
    assert -1.3 < table["distance"].iloc[1] < -1.1  # 1969 against 15 March 1970
    assert table["distance"].iloc[2] > 14


def test_shift_variants_show_each_treatment():
    events = make_events(200, seed=4)
    table = E.shift_variants({"all": events, "early": events[events["era"] == "early"]},
                             make_eras(), range(1920, 2000))
    assert table[["events", "multi_year"]].values.tolist() == [
        ["all", "spread"], ["all", "exclude"], ["early", "spread"], ["early", "exclude"]]
    for shifts, distances in zip(table["shifts"], table["distances"], strict=True):
        assert len([s for s in shifts.split(", ") if s]) == len(
            [d for d in distances.split(", ") if d])


def test_labels_follow_event_ids_and_refuse_unknown_ones():
    events = make_events()
    picked = E.labels_for(events, {"E003": "third", "E010": "tenth"})
    assert {events.loc[k, "event_id"]: v for k, v in picked.items()} == {
        "E003": "third", "E010": "tenth"}
    with pytest.raises(KeyError, match="E999"):
        E.labels_for(events, {"E999": "missing"})


def test_reader_table_and_balance_agree_with_the_summary():
    events, eras = make_events(), make_eras()
    summary = E.era_summary(events, eras)
    table = E.summary_table(summary, context=pd.Series([1, 2, 3], index=ERA_IDS))
    assert table["events"].tolist() == summary["events"].tolist()
    assert table["context events"].tolist() == [1, 2, 3]
    assert table["from"].tolist() == [1920, 1940, 1970]
    groups = E.balance(summary)
    for name, total in zip(summary["name"], summary["goldstein_sum"], strict=True):
        assert (name in groups["cooperative"]) == (total > 0)
        assert (name in groups["conflictual"]) == (total < 0)
