"""albru.changepoints: the mean-shift detector on planted and random series."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from test_eras import make_eras, make_events

from albru import changepoints as C


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
    found = C.find_shifts(series, 2)
    assert found["year"].tolist() == [1961, 1990]
    assert found["change"].iloc[0] == pytest.approx(-8.0, abs=1.0)
    assert found["change"].iloc[1] == pytest.approx(10.0, abs=1.0)
    by_bic = C.find_shifts(series)["year"].tolist()  # BIC may add a small spurious shift
    assert {1961, 1990} <= set(by_bic) and len(by_bic) <= 3


def test_detector_finds_nothing_in_pure_noise():
    series = planted({}, range(1912, 2023), noise=1.0, seed=3)
    assert C.find_shifts(series).empty
    assert int(C.shift_table(series, 4)["bic"].idxmin()) == 0


def test_detector_is_the_exact_least_squares_optimum():
    series = planted({1930: 3.0, 1936: -2.0}, range(1920, 1945), noise=2.0, seed=7)
    y = series.to_numpy()

    def sse(cuts):
        bounds = [0, *cuts, len(y)]
        return sum(((y[a:b] - y[a:b].mean()) ** 2).sum() for a, b in itertools.pairwise(bounds))

    feasible = [c for c in itertools.combinations(range(3, len(y) - 2), 2) if c[1] - c[0] >= 3]
    best = min(feasible, key=sse)
    found = C.find_shifts(series, 2, min_size=3)
    assert found["year"].tolist() == [int(series.index[c]) for c in best]
    assert C.shift_table(series, 2)["sse"].iloc[2] == pytest.approx(sse(best))


@pytest.mark.parametrize("seed", range(6))
def test_every_fit_of_the_table_is_the_best_of_all_cuts(seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(-4, 5, 13).astype(float)
    series = pd.Series(y, index=range(2000, 2013))

    def sse(cuts):
        bounds = [0, *cuts, len(y)]
        return sum(((y[a:b] - y[a:b].mean()) ** 2).sum() for a, b in itertools.pairwise(bounds))

    for min_size in (1, 2, 3):
        table = C.shift_table(series, 3, min_size=min_size)
        for k in range(4):
            feasible = [c for c in itertools.combinations(range(1, len(y)), k)
                        if all(b - a >= min_size for a, b in itertools.pairwise([0, *c, len(y)]))]
            best = min(sse(c) for c in feasible)
            assert table["sse"].iloc[k] == pytest.approx(best, abs=1e-9)
            years = C.find_shifts(series, k, min_size=min_size)["year"]
            assert sse([y_ - 2000 for y_ in years]) == pytest.approx(best, abs=1e-9)


def test_detector_respects_the_minimum_run_and_refuses_impossible_fits():
    series = planted({1950: 5.0}, range(1940, 1960), noise=0.0, seed=0)
    series[1958] = 40.0  # a one-year spike
    assert C.find_shifts(series, 2, min_size=1)["year"].tolist() == [1958, 1959]
    assert all(b - a >= 3 for a, b in itertools.pairwise(
        [1940, *C.find_shifts(series, 2, min_size=3)["year"], 1960]))
    with pytest.raises(ValueError, match="cannot hold"):
        C.find_shifts(series, 7, min_size=3)


def test_segment_means_are_the_run_means():
    series = pd.Series([1.0, 3.0, 10.0, 20.0, 30.0], index=range(2000, 2005))
    assert C.segment_means(series, [2002]).tolist() == [2.0, 2.0, 20.0, 20.0, 20.0]
    assert C.segment_means(series, []).tolist() == [12.8] * 5


def test_shifts_are_compared_with_the_nearest_era_boundary():
    table = C.compare_shifts([1941, 1969, 1985], make_eras())
    assert table["era_id"].tolist() == ["middle", "late", "late"]
    assert table["distance"].iloc[0] == pytest.approx(1.0)
    assert -1.3 < table["distance"].iloc[1] < -1.1  # 1969 against 15 March 1970
    assert table["distance"].iloc[2] > 14


def test_shift_variants_show_each_treatment():
    events = make_events(200, seed=4)
    table = C.shift_variants({"all": events, "early": events[events["era"] == "early"]},
                             make_eras(), range(1920, 2000))
    assert table[["events", "multi_year"]].values.tolist() == [
        ["all", "spread"], ["all", "exclude"], ["early", "spread"], ["early", "exclude"]]
    for shifts, distances in zip(table["shifts"], table["distances"], strict=True):
        assert len([s for s in shifts.split(", ") if s]) == len(
            [d for d in distances.split(", ") if d])
