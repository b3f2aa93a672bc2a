"""Tests of albru.dyad_years: keys, albru's measures, and missing (not zero) outside coverage."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import albru
from albru import external


@pytest.fixture(scope="module")
def ds() -> albru.Dataset:
    return albru.load()


@pytest.fixture(scope="module")
def refs() -> dict[str, pd.DataFrame]:
    return external.load()


@pytest.fixture(scope="module")
def panel(ds, refs) -> pd.DataFrame:
    return albru.dyad_years("ALB", "RUS", data=ds, refs=refs)


def test_un_votes_joined_and_missing_outside_membership(panel):
    row = panel.set_index("year")
    assert row.loc[1962, "un_n_votes"] > 0 and row.loc[1962, "un_share"] == 1.0
    assert row.loc[1950, "un_n_votes"] == 0 and pd.isna(row.loc[1950, "un_share"])


def test_one_row_per_year_with_cow_keys(panel, ds):
    assert panel["year"].tolist() == list(range(1912, ds.as_of.year + 1))
    assert set(panel["ccode1"]) == {339} and set(panel["ccode2"]) == {365}
    assert list(panel.columns[:3]) == ["ccode1", "ccode2", "year"]


def test_missing_outside_each_release_coverage(panel):
    row = panel.set_index("year")
    for col, last in (("cow_defense", 2012), ("atop_defense", 2018),
                      ("cow_igo_joint_full", 2014), ("cow_system1", 2016)):
        assert row.loc[last + 1:, col].isna().all(), col
        assert row.loc[1960:last, col].notna().all(), col


def test_missing_while_a_state_is_outside_the_system(panel):
    row = panel.set_index("year")
    # COW counts Albania out of the system from April 1939 to November 1944.
    assert not row.loc[1941, "cow_system1"]
    refs = ["cow_defense", "atop_defense", "cow_igo_joint_full"]
    assert row.loc[1940:1943, refs].isna().all().all()
    assert row.loc[1912:1913, "cow_defense"].isna().all()


def test_zero_inside_coverage_when_no_alliance(panel):
    row = panel.set_index("year")
    assert row.loc[1924, "cow_defense"] == 0
    assert row.loc[1975, "atop_defense"] == 0
    assert row.loc[1960, "cow_defense"] == 1


def test_albru_measures_for_known_years(panel):
    row = panel.set_index("year")
    assert row.loc[1925, "relations"] and row.loc[1924, "q1"] == 1
    assert pd.isna(row.loc[1924, "relations"])  # the notes were exchanged after 1 July 1924
    assert not row.loc[1975, "relations"]
    assert row.loc[1975, "tie_sign"] == -1 and row.loc[1975, "tie_kind"] == "rupture"
    assert pd.isna(row.loc[1912, "relations"])
    assert bool(row.loc[1956, "albru_defense"]) and not bool(row.loc[1980, "albru_defense"])
    assert (panel["incidents"] == panel["q3"] + panel["q4"]).all()


def test_event_shares_add_up_to_the_pair_events(panel, ds):
    e = ds.events
    pair = ((e["source_actor"] == "ALB") & (e["target_actor"] == "RUS")) | (
        (e["source_actor"] == "RUS") & (e["target_actor"] == "ALB"))
    inside = e["end"].dt.year <= ds.as_of.year
    assert panel["events"].sum() == pytest.approx((pair & inside).sum())
    assert panel["goldstein"].sum() == pytest.approx(e.loc[pair & inside, "goldstein"].sum())


def test_directed_rows_split_the_undirected_counts(ds, refs, panel):
    d = albru.dyad_years("ALB", "RUS", directed=True, data=ds, refs=refs, votes=False)
    assert len(d) == 2 * len(panel)
    summed = d.groupby("year")[["events", "q1", "q3"]].sum()
    assert np.allclose(summed.to_numpy(), panel.set_index("year")[["events", "q1", "q3"]])
    one = d[d["year"] == 1961]
    assert one[["ccode1", "ccode2"]].values.tolist() == [[339, 365], [365, 339]]


def test_order_of_the_pair_does_not_matter_undirected(ds, refs, panel):
    swapped = albru.dyad_years("RUS", "ALB", data=ds, refs=refs)
    pd.testing.assert_frame_equal(swapped, panel)


def test_any_pair_and_bad_pairs(ds, refs):
    p = albru.dyad_years("RUS", "CHN", years=[1955, 1965, 1985], data=ds, refs=refs,
                         votes=False)
    assert p["ccode1"].tolist() == [365] * 3 and p["cow_defense"].tolist() == [1, 1, 0]
    assert p["tie_sign"].tolist() == [1, -1, -1]
    with pytest.raises(ValueError, match="COW code"):
        albru.dyad_years("ALB", "NATO", data=ds, refs=refs)
    with pytest.raises(ValueError, match="'XXX' is not a state with a COW code"):
        albru.dyad_years("XXX", "ALB", data=ds, refs=refs)
    with pytest.raises(ValueError, match="share the COW code"):
        albru.dyad_years("SRB", "YUG", data=ds, refs=refs)


def test_dipex_columns_missing_without_the_extract(panel, refs):
    assert "dipex" not in refs
    assert panel[["dipex_dr_at_1", "dipex_dr_at_2", "dipex_de"]].isna().all().all()


def test_many_synthetic_events_counted_like_a_plain_loop(ds, refs):
    rng = np.random.default_rng(20)
    n = 20_000
    start = pd.Timestamp("1950-01-01") + pd.to_timedelta(rng.integers(0, 20_000, n), unit="D")
    length = rng.choice([0, 0, 0, 30, 400], n)
    template = ds.events.iloc[[0]]
    events = template.loc[template.index.repeat(n)].reset_index(drop=True)
    events["source_actor"] = rng.choice(["ALB", "RUS"], n)
    events["target_actor"] = np.where(events["source_actor"] == "ALB", "RUS", "ALB")
    events["start"] = start
    events["end"] = start + pd.to_timedelta(length, unit="D")
    events["quad_class"] = pd.array(rng.integers(1, 5, n), dtype="Int64")
    events["goldstein"] = rng.normal(size=n)
    big = dataclasses.replace(ds, events=events)
    years = np.arange(1950, 2010)
    p = albru.dyad_years(years=years, data=big, refs=refs, votes=False).set_index("year")
    shares = albru.dates.year_shares(events[["start", "end"]])
    shares = shares[shares["year"].isin(years)]
    q = events["quad_class"].to_numpy()[shares["event"].to_numpy()]
    for k in (1, 4):
        expected = shares[q == k].groupby("year")["share"].sum().reindex(years, fill_value=0)
        assert np.allclose(p[f"q{k}"].to_numpy(), expected.to_numpy(), atol=1e-5)


def test_directed_counts_match_a_plain_loop_with_relations_and_missing_actors(ds, refs):
    rng = np.random.default_rng(21)
    n = 3_000
    start = pd.Timestamp("1940-01-01") + pd.to_timedelta(rng.integers(0, 25_000, n), unit="D")
    length = rng.choice([0, 0, 45, 400, 1200], n)
    template = ds.events.iloc[[0]]
    events = template.loc[template.index.repeat(n)].reset_index(drop=True)
    actors = pd.array(rng.choice(["ALB", "RUS", "CHN", "YUG"], n), dtype="string")
    actors[::97] = pd.NA  # a missing actor matches neither side
    events["source_actor"] = actors
    events["target_actor"] = pd.array(rng.choice(["ALB", "RUS", "CHN"], n), dtype="string")
    kinds = ["establish_relations", "break_relations", "restore_relations", "other"]
    events["event_type"] = pd.array(rng.choice(kinds, n, p=[0.01, 0.01, 0.01, 0.97]),
                                    dtype="string")
    events["start"] = start
    events["end"] = start + pd.to_timedelta(length, unit="D")
    events["quad_class"] = pd.array(rng.integers(1, 5, n), dtype="Int64")
    events["goldstein"] = rng.normal(size=n)
    big = dataclasses.replace(ds, events=events)
    years = np.arange(1945, 2005)
    p = albru.dyad_years("RUS", "ALB", years=years, directed=True, data=big, refs=refs,
                         votes=False)
    assert p["actor1"].tolist() == ["ALB", "RUS"] * len(years)  # lower COW code first
    for x, y in (("RUS", "ALB"), ("ALB", "RUS")):
        rows = p[p["actor1"] == x]
        assert (rows["actor2"] == y).all() and rows["year"].tolist() == years.tolist()
        expected = {col: dict.fromkeys(years.tolist(), 0.0)
                    for col in ("events", "q1", "q2", "q3", "q4", "goldstein")}
        for i in range(n):
            e = events.iloc[i]
            if pd.isna(e["source_actor"]) or (e["source_actor"], e["target_actor"]) != (x, y):
                continue
            total = (e["end"] - e["start"]).days + 1
            for year in range(e["start"].year, e["end"].year + 1):
                if year not in expected["events"]:
                    continue
                lo = max(e["start"], pd.Timestamp(year, 1, 1))
                hi = min(e["end"], pd.Timestamp(year, 12, 31))
                share = ((hi - lo).days + 1) / total
                expected["events"][year] += share
                expected[f"q{e['quad_class']}"][year] += share
                expected["goldstein"][year] += share * e["goldstein"]
        for col, values in expected.items():
            assert np.allclose(rows[col].to_numpy(), list(values.values()), atol=1e-5), col
    # relations: the last establish, restore or break between the two (either way) by 1 July
    both = events[events["source_actor"].isin(["ALB", "RUS"])
                  & events["target_actor"].isin(["ALB", "RUS"])
                  & (events["source_actor"] != events["target_actor"])
                  & events["event_type"].isin(kinds[:3])].sort_values("start", kind="stable")
    for year, value in zip(p["year"].iloc[::2], p["relations"].iloc[::2], strict=True):
        before = both[both["start"] <= pd.Timestamp(year, 7, 1)]
        want = pd.NA if before.empty else before["event_type"].iloc[-1] != "break_relations"
        assert (pd.isna(value) and pd.isna(want)) or value == want, year
    assert p["relations"].iloc[0::2].tolist() == p["relations"].iloc[1::2].tolist()


def test_kept_reference_columns_follow_the_extracts_and_cannot_be_changed(ds, refs):
    years = range(1960, 1970)
    first = albru.dyad_years("ALB", "RUS", years=years, votes=False, data=ds, refs=refs)
    first.loc[:, "cow_defense"] = 7  # a caller's change reaches no later result
    again = albru.dyad_years("ALB", "RUS", years=years, votes=False, data=ds, refs=refs)
    assert set(again["cow_defense"]) == {0, 1}
    # the same pair and years over changed extracts: the kept columns are not reused
    alliances = refs["cow_alliances"].assign(cow_defense=0)
    changed = albru.dyad_years("ALB", "RUS", years=years, votes=False, data=ds,
                               refs={**refs, "cow_alliances": alliances})
    assert set(changed["cow_defense"]) == {0}
    years = np.arange(1960, 1970)
    table = albru.panel.agreement(ds, refs, years=years)
    albania = table["unit"].str.startswith("ALB in ")
    assert "agree" in set(table.loc[albania, "outcome"])
    igo = refs["cow_igo"][refs["cow_igo"]["ccode"] != 339]  # Albania left out of COW-IGO
    table = albru.panel.agreement(ds, {**refs, "cow_igo": igo}, years=years)
    albania = table["unit"].str.startswith("ALB in ")
    assert set(table.loc[albania, "outcome"]) == {"not covered"}


def test_ties_organizations_and_defense_match_a_plain_loop_on_synthetic_spans(ds, refs):
    rng = np.random.default_rng(28)
    years = np.arange(1950, 1990)
    day = pd.Timestamp("1948-01-01") + pd.to_timedelta(rng.permutation(15_000)[:60], unit="D")

    ties = ds.ties.iloc[np.zeros(30, dtype=int)].reset_index(drop=True)
    ties["actor_a"] = rng.choice(["ALB", "RUS", "YUG"], 30)
    ties["actor_b"] = np.where(ties["actor_a"] == "RUS", "ALB", rng.choice(["RUS", "CHN"], 30))
    ties["start"] = day[:30]  # distinct: the latest start is one tie
    ties["end"] = ties["start"] + pd.to_timedelta(rng.integers(100, 5000, 30), unit="D")
    ties.loc[rng.random(30) < 0.2, "end"] = pd.NaT  # open: lasts to the record's end
    ties["sign"] = pd.array(rng.choice([-1, 1], 30), dtype="Int64")
    ties["kind"] = pd.Categorical(rng.choice(["alliance", "rivalry", "support"], 30),
                                  categories=ds.ties["kind"].cat.categories)

    m = ds.memberships.iloc[np.zeros(30, dtype=int)].reset_index(drop=True)
    m["actor_id"] = rng.choice(["ALB", "RUS", "CHN"], 30)
    m["org_id"] = rng.choice(["NATO", "WARSAW", "UN", "OSCE"], 30)
    m["status"] = pd.Categorical(rng.choice(["member", "observer", "inactive"], 30),
                                 categories=ds.memberships["status"].cat.categories)
    m["start"] = day[30:]
    m["end"] = m["start"] + pd.to_timedelta(rng.integers(100, 8000, 30), unit="D")
    m.loc[rng.random(30) < 0.2, "end"] = pd.NaT

    synthetic = dataclasses.replace(ds, ties=ties, memberships=m)
    p = albru.dyad_years("ALB", "RUS", years=years, data=synthetic, refs=refs, votes=False)

    def on(frame, july):
        return (frame["start"] <= july) & (frame["end"].fillna(ds.as_of) >= july)

    for year, row in zip(years, p.itertuples(), strict=True):
        july = pd.Timestamp(year=int(year), month=7, day=1)
        pair = ties[ties[["actor_a", "actor_b"]].apply(set, axis=1) == {"ALB", "RUS"}]
        live = pair[on(pair, july)]
        latest = live.loc[live["start"].idxmax()] if len(live) else None
        assert row.tie_sign == (0 if latest is None else latest["sign"])
        assert (pd.isna(row.tie_kind) if latest is None else row.tie_kind == latest["kind"])
        allies = pair[on(pair, july) & (pair["kind"] == "alliance")]
        ally = len(allies) and allies.loc[allies["start"].idxmax(), "sign"] > 0
        held = m[on(m, july)]
        full = [set(held.loc[(held["actor_id"] == x) & (held["status"] == "member"), "org_id"])
                for x in ("ALB", "RUS")]
        anyst = [set(held.loc[held["actor_id"] == x, "org_id"]) for x in ("ALB", "RUS")]
        assert row.igo_joint_member == len(full[0] & full[1])
        assert row.igo_joint_any == len(anyst[0] & anyst[1])
        assert row.albru_defense == bool(ally or (full[0] & full[1] & set(external.DEFENSE)))
