"""Tests of albru.uncertainty: date draws, shifts over draws, era rates, quiet spells, claim and
coding variants. Each test could fail: they compare with the point analyses of the library, with
bounds the draws must respect, or with values worked out by hand."""

from __future__ import annotations

import csv
import dataclasses
import shutil
import types
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.special import gammaincinv

import albru
from albru import eras, incidents, network
from albru import uncertainty as u
from albru.dataset import derive
from albru.dyad import is_dyadic

try:  # the change-point code is moving from albru.eras to albru.changepoints
    from albru.changepoints import find_shifts
except ImportError:  # pragma: no cover
    from albru.eras import find_shifts


@pytest.fixture(scope="module")
def ds() -> albru.Dataset:
    return albru.load()


@pytest.fixture(scope="module")
def pair(ds: albru.Dataset) -> pd.DataFrame:
    return ds.events[is_dyadic(ds.events)]


def _point_dated(events: pd.DataFrame) -> pd.DataFrame:
    """The events with every range shrunk to its first day."""
    return events.assign(end=events["start"])


def _toy_eras() -> pd.DataFrame:
    return pd.DataFrame({"era_id": ["a", "b", "c"], "name": ["A", "B", "C"],
                         "start": pd.to_datetime(["1950-01-01", "1960-01-01", "1970-01-01"]),
                         "end": pd.to_datetime(["1959-12-31", "1969-12-31", None])})


# ------------------------------------------------------------------ date draws


def test_draws_stay_inside_edtf_bounds(ds: albru.Dataset) -> None:
    days = u.draw_days(ds.events, 500, seed=4)
    lo = ds.events["start"].to_numpy("datetime64[D]").astype(np.int64)
    hi = ds.events["end"].to_numpy("datetime64[D]").astype(np.int64)
    assert days.shape == (500, len(ds.events))
    assert (days >= lo).all() and (days <= hi).all()
    wide = hi - lo > 3000  # decade-long ranges are actually explored, not pinned to an end
    assert wide.any()
    assert (days[:, wide].max(axis=0) - days[:, wide].min(axis=0) > 1000).all()


def test_seed_reproduces_and_differs(ds: albru.Dataset) -> None:
    a = u.draw_days(ds.events, 50, seed=11)
    assert np.array_equal(a, u.draw_days(ds.events, 50, seed=11))
    assert not np.array_equal(a, u.draw_days(ds.events, 50, seed=12))
    one = u.annual_net_draws(ds.events, n=30, seed=5)
    pd.testing.assert_frame_equal(one, u.annual_net_draws(ds.events, n=30, seed=5))


def test_point_dated_data_give_zero_spread(pair: pd.DataFrame, ds: albru.Dataset) -> None:
    point = _point_dated(pair)
    years = range(1912, int(pair["end"].max().year) + 1)
    draws = u.annual_net_draws(point, years, n=200, seed=1)
    assert (draws.nunique() == 1).all()
    expected = eras.annual_net_cooperation(point, years)
    np.testing.assert_allclose(draws.iloc[0].to_numpy(), expected.to_numpy(), atol=1e-9)
    b = u.annual_net_band(point, years, n=100, seed=2)
    assert np.allclose(b["lower"], b["upper"])
    inc = incidents.incidents(_point_dated(ds.events))
    until = pd.Timestamp(ds.events["end"].max())
    counts = u.era_rate_draws(inc, ds.eras, until, n=100, seed=3)
    assert (counts.nunique() == 1).all()
    q = u.quiet_spell_draws(inc, n=100, seed=3, since=ds.eras["start"].min(), until=until)
    assert (q.nunique() == 1).all()


def test_claimed_dates_are_drawn_with_their_ranges(ds: albru.Dataset) -> None:
    days = u.draw_days(ds.events, 600, seed=6, claims=ds.claims)
    on_dates = ds.claims[(ds.claims["table"] == "events") & (ds.claims["column"] == "date")]
    assert "E043" in set(on_dates["record_id"])
    ids = ds.events["event_id"].astype(str).tolist()
    for record, group in on_dates.groupby("record_id"):
        col = ids.index(record)
        texts = dict.fromkeys([str(ds.events["date"].iloc[col]), *group["value"].astype(str)])
        ranges = [albru.dates.parse(t) for t in texts]
        drawn = days[:, col].astype("datetime64[D]").astype(object)
        hits = np.array([[r.start <= d <= r.end for r in ranges] for d in drawn])
        assert hits.any(axis=1).all(), record  # every draw inside one of the claimed ranges
        apart = [r for r in ranges[1:] if r.end < ranges[0].start or r.start > ranges[0].end]
        if apart:  # a claimed date outside the recorded range is drawn, but not always
            assert 0.05 < hits[:, 0].mean() < 0.95, record
    disputed = set(on_dates["record_id"])
    plain = ~ds.events["event_id"].isin(disputed).to_numpy()
    lo = ds.events["start"].to_numpy("datetime64[D]").astype(np.int64)
    hi = ds.events["end"].to_numpy("datetime64[D]").astype(np.int64)
    assert ((days[:, plain] >= lo[plain]) & (days[:, plain] <= hi[plain])).all()


def test_bad_ranges_are_refused() -> None:
    ev = pd.DataFrame({"start": pd.to_datetime(["1960-01-02"]),
                       "end": pd.to_datetime(["1960-01-01"])})
    with pytest.raises(ValueError, match="start <= end"):
        u.draw_days(ev, 3, seed=0)


# ------------------------------------------------------------------ annual series


def test_annual_draws_average_to_the_spread_series(pair: pd.DataFrame) -> None:
    years = range(1912, int(pair["end"].max().year) + 1)
    draws = u.annual_net_draws(pair, years, n=4000, seed=8)
    spread = eras.annual_net_cooperation(pair, years)
    # every draw keeps the total; the mean approaches the day-proportional shares
    np.testing.assert_allclose(draws.sum(axis=1), pair["goldstein"].sum())
    scale = pair["goldstein"].abs().max()
    assert (draws.mean() - spread).abs().max() < 0.1 * scale


def test_count_weights_are_plus_and_minus_one() -> None:
    ev = pd.DataFrame({"start": pd.to_datetime(["1950-03-01", "1950-04-01", "1950-05-01"]),
                       "end": pd.to_datetime(["1950-03-01", "1950-04-01", "1950-05-01"]),
                       "goldstein": [7.0, -10.0, -2.0], "quad_class": [2, 4, 3]})
    assert u.annual_net_draws(ev, n=1, seed=0, weights="count").iloc[0].tolist() == [-1.0]
    assert u.annual_net_draws(ev, n=1, seed=0).iloc[0].tolist() == [-5.0]
    with pytest.raises(ValueError, match="outside"):
        u.annual_net_draws(ev, range(1951, 1953), n=1, seed=0)


def test_bin_counts_keep_every_event(ds: albru.Dataset) -> None:
    inc = incidents.incidents(ds.events)
    for width in (1, 5, 10):
        counts = u.bin_count_draws(inc, width=width, n=200, seed=width)
        assert (counts.sum(axis=1) == len(inc)).all()
    point = incidents.count_by_bin(inc, width=5)
    drawn = u.bin_count_draws(inc, width=5, n=200, seed=1)
    placed = point.counts.sum(axis=1)
    # a bin never holds fewer incidents than those whose whole range lies in it
    assert (drawn.min().reindex(placed.index) >= placed).all()


# ------------------------------------------------------------------ change points


def test_shift_draws_match_find_shifts_with_drawn_settings(pair: pd.DataFrame) -> None:
    years = range(1912, int(pair["end"].max().year) + 1)
    series = u.annual_net_draws(pair, years, n=60, seed=21)
    settings = u.draw_settings(60, seed=3, min_size=[1, 2, 3, 4, 5], max_shifts=[0, 2, 4, 6])
    found = u.shift_draws(series, min_size=settings["min_size"].to_numpy(),
                          max_shifts=settings["max_shifts"].to_numpy(), chunk=16)
    for d in range(60):
        expected = find_shifts(series.iloc[d], min_size=int(settings.loc[d, "min_size"]),
                               max_shifts=int(settings.loc[d, "max_shifts"]))["year"].tolist()
        assert series.columns[found.iloc[d]].tolist() == expected, d


def test_fixed_shift_count_and_penalty() -> None:
    rng = np.random.default_rng(0)
    base = np.r_[np.zeros(10), np.full(10, 5.0), np.zeros(10)]
    series = pd.DataFrame(base + rng.normal(0, 0.3, (20, 30)), columns=range(1990, 2020))
    two = u.shift_draws(series, n_shifts=2, min_size=3)
    assert (two.sum(axis=1) == 2).all()
    assert two[2000].all() and two[2010].all()
    for d in range(3):
        expected = find_shifts(series.iloc[d], 2, min_size=3)["year"].tolist()
        assert series.columns[two.iloc[d]].tolist() == expected
    assert (u.shift_draws(series).sum(axis=1) == 2).all()
    assert (u.shift_draws(series, penalty=1000.0).sum(axis=1) == 0).all()


def test_shift_support_counts_draws_not_shifts() -> None:
    shifts = pd.DataFrame([[True, False, True, False], [False, False, False, True],
                           [False, False, False, False]], columns=[1960, 1961, 1962, 1963])
    s = u.shift_support(shifts, [1961, 1963], within=1)
    assert s["share"].tolist() == pytest.approx([1 / 3, 2 / 3])
    assert s["exact"].tolist() == pytest.approx([0.0, 1 / 3])


def test_recorded_shifts_fully_supported_without_date_doubt(pair: pd.DataFrame) -> None:
    years = range(1912, int(pair["end"].max().year) + 1)
    point = _point_dated(pair)
    recorded = find_shifts(eras.annual_net_cooperation(point, years))["year"]
    shifts = u.shift_draws(u.annual_net_draws(point, years, n=20, seed=0))
    support = u.shift_support(shifts, recorded, within=0)
    assert (support["share"] == 1).all()
    assert (shifts.sum(axis=1) == len(recorded)).all()


# ------------------------------------------------------------------ era rates


def test_straddling_event_counts_in_the_era_of_its_day() -> None:
    ev = pd.DataFrame({"start": pd.to_datetime(["1955-01-01", "1959-01-01"]),
                       "end": pd.to_datetime(["1955-01-01", "1960-12-31"])})
    counts = u.era_rate_draws(ev, _toy_eras(), pd.Timestamp("1979-12-31"), n=4000, seed=1)
    assert (counts.sum(axis=1) == 2).all()
    assert set(counts["a"]) == {1, 2} and (counts["c"] == 0).all()
    assert counts["b"].mean() == pytest.approx(366 / 731, abs=0.03)  # its days in 1960
    with pytest.raises(ValueError, match="outside every era"):
        u.era_rate_draws(ev, _toy_eras(), pd.Timestamp("1979-12-31"),
                         days=np.array([[-8000, 0]]))


def test_era_band_is_garwood_when_counts_do_not_vary() -> None:
    eras_ = _toy_eras()
    counts = pd.DataFrame({"a": [0] * 10, "b": [3] * 10, "c": [12] * 10})
    band = u.era_rate_band(counts, eras_, pd.Timestamp("1979-12-31"))
    years = band["years"].to_numpy()
    k = np.array([0, 3, 12])
    lower = np.where(k > 0, gammaincinv(np.maximum(k, 1), 0.025), 0.0) / years
    upper = gammaincinv(k + 1, 0.975) / years
    np.testing.assert_allclose(band["lower"], lower, rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(band["upper"], upper, rtol=1e-7)


def test_era_band_widens_with_date_doubt() -> None:
    eras_ = _toy_eras()
    fixed = u.era_rate_band(pd.DataFrame({"a": [4] * 10, "b": [4] * 10, "c": [4] * 10}), eras_,
                            pd.Timestamp("1979-12-31"))
    mixed = u.era_rate_band(pd.DataFrame({"a": [2, 6] * 5, "b": [4] * 10, "c": [4] * 10}),
                            eras_, pd.Timestamp("1979-12-31"))
    assert mixed.loc["a", "lower"] < fixed.loc["a", "lower"]
    assert mixed.loc["a", "upper"] > fixed.loc["a", "upper"]
    assert mixed.loc["b", "upper"] == pytest.approx(fixed.loc["b", "upper"])


def test_era_counts_agree_with_era_rates_where_no_incident_straddles(ds: albru.Dataset) -> None:
    inc = incidents.incidents(ds.events)
    until = pd.Timestamp(ds.events["end"].max())
    counts = u.era_rate_draws(inc, ds.eras, until, n=300, seed=7)
    assert (counts.sum(axis=1) == len(inc)).all()
    whole = inc["era"].notna()
    fixed = inc.loc[whole, "era"].astype(str).value_counts()
    # each era holds at least the incidents whose whole range lies in it
    assert (counts.min().reindex(fixed.index) >= fixed).all()


# ------------------------------------------------------------------ quiet spells


def test_quiet_spells_match_the_guaranteed_spells_for_point_dates(ds: albru.Dataset) -> None:
    inc = incidents.incidents(_point_dated(ds.events))
    since, until = ds.eras["start"].min(), pd.Timestamp(ds.events["end"].max())
    q = u.quiet_spell_draws(inc, n=3, seed=0, since=since, until=until, top=3)
    spells = incidents.quiet_spells(inc, since=since, until=until)
    np.testing.assert_allclose(q.iloc[0][["spell_1", "spell_2", "spell_3"]].astype(float),
                               spells["years"].head(3), rtol=1e-12)
    assert q.loc[0, "longest_start"] == spells.loc[0, "start"]
    assert q.loc[0, "longest_end"] == spells.loc[0, "end"]


def test_drawn_spells_never_shorter_than_guaranteed(ds: albru.Dataset) -> None:
    inc = incidents.incidents(ds.events)
    since, until = ds.eras["start"].min(), pd.Timestamp(ds.events["end"].max())
    q = u.quiet_spell_draws(inc, n=500, seed=9, since=since, until=until)
    guaranteed = incidents.quiet_spells(inc, since=since, until=until)["years"]
    assert (q["spell_1"] >= guaranteed.iloc[0] - 1e-9).all()
    assert (q["spell_2"] >= guaranteed.iloc[1] - 1e-9).all()
    assert q["spell_1"].nunique() > 1  # imprecise dates do move the spells


# ------------------------------------------------------------------ claims


def test_disputed_fields_name_recorded_value_and_alternatives(ds: albru.Dataset) -> None:
    fields = u.disputed_fields(ds).set_index(["record_id", "column"])
    assert fields.loc[("T013", "start"), "alternatives"] == ("1956",)
    assert fields.loc[("T013", "start"), "recorded"] == "1955-06-02"
    for row in fields.itertuples():
        assert row.recorded not in row.alternatives


def _diff_cells(a: pd.DataFrame, b: pd.DataFrame, key: str) -> set[tuple[str, str]]:
    """The (row key, column) cells that differ between two versions of a table."""
    a, b = a.set_index(key).sort_index(), b.set_index(key).sort_index()
    assert a.index.equals(b.index) and a.columns.equals(b.columns)
    out = set()
    for column in a.columns:
        left = a[column].astype(object).where(a[column].notna(), None)
        right = b[column].astype(object).where(b[column].notna(), None)
        out |= {(str(k), column) for k, x, y in zip(a.index, left, right, strict=True) if x != y}
    return out


def test_claim_changes_exactly_the_disputed_cell(ds: albru.Dataset) -> None:
    before = ds.ties.copy()
    v = u.apply_claims(ds, {("ties", "T013", "start"): "1956"})
    assert _diff_cells(ds.ties, v.ties, "tie_id") == {
        ("T013", "start_edtf"), ("T013", "start"), ("T013", "start_precision")}
    pd.testing.assert_frame_equal(ds.ties, before)  # the original is untouched
    assert v.events is ds.events and v.memberships is ds.memberships
    open_end = u.apply_claims(ds, {("memberships", "M004", "end"): "1961"})
    changed = _diff_cells(ds.memberships, open_end.memberships, "membership_id")
    assert changed == {("M004", "end_edtf"), ("M004", "end"), ("M004", "end_precision")}
    row = open_end.memberships.set_index("membership_id").loc["M004"]
    assert row["end"] == pd.Timestamp("1961-12-31") and row["end_precision"] == "year"


def test_event_date_claim_rederives_range_precision_and_era(ds: albru.Dataset) -> None:
    v = u.apply_claims(ds, {("events", "E043", "date"): "1960-12-03"})
    changed = _diff_cells(ds.events, v.events, "event_id")
    assert {c for r, c in changed} <= {"date", "start", "end", "precision", "era", "era_first",
                                       "era_last"}
    assert {r for r, c in changed} == {"E043"}
    row = v.events.set_index("event_id").loc["E043"]
    assert (row["start"], row["end"], row["precision"]) == (
        pd.Timestamp("1960-12-03"), pd.Timestamp("1960-12-03"), "day")
    assert row["era"] == albru.dates.era_range(row.to_frame().T.astype(
        {"start": "datetime64[ns]", "end": "datetime64[ns]"}), ds.eras)["era"].iloc[0]
    assert v.events["start"].is_monotonic_increasing


def test_event_type_choice_brings_its_coding(ds: albru.Dataset) -> None:
    v = u.apply_claims(ds, {("events", "E043", "event_type"): "criticize"})
    row = v.events.set_index("event_id").loc["E043"]
    coding = ds.event_types.set_index("event_type").loc["criticize"]
    assert (row["cameo"], row["goldstein"], row["quad_class"]) == (
        coding["cameo"], coding["goldstein"], coding["quad_class"])
    changed = {c for _, c in _diff_cells(ds.events, v.events, "event_id")}
    assert "coding_note" not in changed and "event_type" in changed


def test_claim_variants_enumerate_every_combination(ds: albru.Dataset) -> None:
    fields = u.disputed_fields(ds, tables=["memberships"], columns=["end"])
    expected = int(np.prod([1 + len(a) for a in fields["alternatives"]]))
    variants = list(u.claim_variants(ds, tables=["memberships"], columns=["end"]))
    assert len(variants) == expected
    assert variants[0] == (u.AS_RECORDED, ds)
    assert len({label for label, _ in variants}) == expected
    with pytest.raises(ValueError, match="exceed limit"):
        next(u.claim_variants(ds, limit=3))
    sampled = list(u.claim_variants(ds, tables=["events"], columns=["date"], limit=3, n=5,
                                    seed=1))
    assert sampled[0][0] == u.AS_RECORDED and 2 <= len(sampled) <= 6


def test_triad_spell_moves_with_the_disputed_tie_start(ds: albru.Dataset) -> None:
    table = u.triad_spell_variants(ds, end="1989-12-31")
    history = network.triad_history(ds, ["ALB", "RUS", "YUG"], "1945-01-01", "1989-12-31")
    spells = network.unbalanced_spells(history, "1989-12-31")
    assert table.loc[u.AS_RECORDED, "longest_years"] == spells["years"].max()
    relevant = u.network._relevant_records(ds, ["ALB", "RUS", "YUG"], network.BLOCS)
    for label, variant in u.claim_variants(ds, tables=["ties", "memberships"],
                                           columns=["start", "end"], records=relevant):
        full = network.triad_history(variant, ["ALB", "RUS", "YUG"], "1945-01-01", "1989-12-31")
        longest = network.unbalanced_spells(full, "1989-12-31")["years"].max()
        assert table.loc[label, "longest_years"] == longest, label  # restricting changes nothing
    moved = table.loc["T013.start=1956"]
    assert moved["longest_start"] == pd.Timestamp("1956-01-01")
    assert moved["longest_years"] < table.loc[u.AS_RECORDED, "longest_years"]


def test_distance_variants_equal_direct_series(ds: albru.Dataset) -> None:
    years = range(1955, 1966)
    variants = list(u.claim_variants(ds, records=["M004", "T013"]))
    table = u.distance_variants(ds, years, month_days=("01-01", "07-01"), column="n_allies",
                                variants=variants)
    for label, variant in variants:
        for day in ("01-01", "07-01"):
            direct = network.position_series(variant, years, month_day=day)["n_allies"]
            assert table.loc[(label, day)].tolist() == direct.tolist()
    assert str(table.dtypes.iloc[0]) == "Int64"
    spread = u.variant_band(table.xs("01-01", level="month_day"))
    recorded = network.position_series(ds, years, month_day="01-01")["n_allies"].to_numpy()
    assert spread["recorded"].tolist() == recorded.astype(float).tolist()
    assert (spread["min"] <= spread["recorded"]).all()
    assert (spread["recorded"] <= spread["max"]).all()
    assert (spread["share_same"] < 1).any()  # M004's end moves Albania's bloc partners in 1962


def test_distance_variants_default_matches_the_datasets_it_stands_for(ds: albru.Dataset) -> None:
    # By default the variants are not built as datasets up front; the result must still be
    # that of every claim variant of the tie and bloc dates, in claim_variants' order.
    years = range(1945, 1993)
    table = u.distance_variants(ds, years, month_days=("07-01", "01-01"), column="n_allies")
    which = {"tables": ["ties", "memberships"], "columns": ["start", "end"],
             "records": u.network._relevant_records(ds, None, network.BLOCS)}
    fields = u.disputed_fields(ds, **which)
    combos = int(np.prod([1 + len(a) for a in fields["alternatives"]]))
    labels = table.index.get_level_values("variant")
    assert len(table) == 2 * combos > 2 and labels[::2].is_unique
    assert labels[0] == u.AS_RECORDED
    table_of = dict(zip(fields["record_id"], fields["table"], strict=True))
    for label in labels[::2][::97]:  # a spread of variants, each rebuilt from its label
        choice = {}
        for part in label.split("; ")[: 0 if label == u.AS_RECORDED else None]:
            field, value = part.split("=")
            record, column = field.split(".")
            choice[table_of[record], record, column] = value
        variant = u.apply_claims(ds, choice)
        for day in ("07-01", "01-01"):
            direct = network.position_series(variant, years, month_day=day)["n_allies"]
            assert table.loc[(label, day)].tolist() == direct.tolist(), label
    assert u.variant_band(table)["share_same"].min() < 1  # the variants do move the series



def test_distance_variants_tell_apart_variants_that_only_reorder_overlapping_ties(
        ds: albru.Dataset) -> None:
    # Where two ties of one pair overlap, the later start decides the edge's sign; two variants
    # with the same active ties in another order of starts are different graphs, never one.
    def overlapping(later: str) -> albru.Dataset:
        ties = ds.ties.copy()
        extra = ties[ties["tie_id"] == "T010"].assign(tie_id="T999", sign=-1)  # same span
        ties = pd.concat([ties, extra], ignore_index=True)
        at = ties["tie_id"] == later
        ties.loc[at, "start"] = ties.loc[at, "start"] + pd.Timedelta(days=1)
        return dataclasses.replace(ds, ties=ties)

    variants = [("T010 later", overlapping("T010")), ("T999 later", overlapping("T999"))]
    table = u.distance_variants(ds, range(1950, 1953), column="sign_to_other",
                                variants=variants)
    for label, variant in variants:
        direct = network.position_series(variant, range(1950, 1953))["sign_to_other"]
        assert table.loc[(label, "07-01")].tolist() == direct.tolist(), label
    first, second = (table.loc[(label, "07-01")].tolist() for label, _ in variants)
    assert first != second


# ------------------------------------------------------------------ coding


def _coded() -> types.SimpleNamespace:
    event_types = pd.DataFrame({"event_type": ["criticize", "praise"], "cameo": ["111", "051"],
                                "goldstein": [-2.0, 3.4], "quad_class": [3, 1],
                                "coding_note": ["alt=112 if the accusation is explicit", None]})
    events = pd.DataFrame({"event_id": ["E1", "E2", "E3"],
                           "event_type": ["criticize", "praise", "criticize"],
                           "cameo": ["111", "051", "111"], "goldstein": [-2.0, 3.4, -2.0],
                           "quad_class": pd.array([3, 1, 3], dtype="Int64"),
                           "coding_note": [None, "alt=172", None]})
    cameo = pd.DataFrame({"cameo": ["111", "112", "051", "172"],
                          "goldstein": [-2.0, -2.1, 3.4, -5.0]})
    package = types.SimpleNamespace(keys={"events": ("event_id",), "event_types": ("event_type",)},
                                    dates={})
    return types.SimpleNamespace(events=events, event_types=event_types, cameo=cameo,
                                 package=package)


def test_claims_read_the_schema_of_the_dataset_given(tmp_path: Path) -> None:
    """A copy of the data whose schema renames the ties' key: claims follow the copy's schema
    (the shipped one would look for ``tie_id``), and its CAMEO table gives the weights."""
    copy = Path(shutil.copytree(albru.data_dir(), tmp_path / "data",
                                ignore=shutil.ignore_patterns("external", "scripts")))
    schema = copy / "datapackage.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace('"tie_id"', '"tie_key"'),
                      encoding="utf-8")
    ties = copy / "ties.csv"
    ties.write_text(ties.read_text(encoding="utf-8").replace("tie_id,", "tie_key,", 1),
                    encoding="utf-8")
    cameo = copy / "cameo.csv"
    with cameo.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    for row in rows:
        if row[0] == "036":  # an alternative code no event type uses
            row[rows[0].index("goldstein")] = "-9.9"
    with cameo.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows(rows)
    ds = albru.load(copy)
    assert ds.package.keys["ties"] == ("tie_key",) and "tie_id" not in ds.ties
    fields = u.disputed_fields(ds, tables=["ties"])[["record_id", "column", "recorded"]]
    shipped = u.disputed_fields(albru.load(), tables=["ties"])[["record_id", "column", "recorded"]]
    assert fields.values.tolist() == shipped.values.tolist()
    assert ["T013", "start", "1955-06-02"] in fields.values.tolist()
    variant = u.apply_claims(ds, {("ties", "T013", "start"): "1956"})
    assert str(variant.ties.set_index("tie_key").loc["T013", "start"].date()) == "1956-01-01"
    assert [label for label, _ in u.claim_variants(ds, records=["T013"])] == [
        u.AS_RECORDED, "T013.start=1956"]
    alts = u.alt_codes(ds).set_index("key")
    assert alts.loc["intent_to_cooperate", "alt_cameo"] == "036"
    assert alts.loc["intent_to_cooperate", "alt_goldstein"] == -9.9


def test_a_claimed_date_that_cannot_be_read_fails_with_one_line(ds: albru.Dataset) -> None:
    with pytest.raises(ValueError, match=r"ties: row \d+, column start: 'soon'"):
        u.apply_claims(ds, {("ties", "T013", "start"): "soon"})


def test_alt_codes_and_coding_variants_change_only_their_rows() -> None:
    ds = _coded()
    alts = u.alt_codes(ds)
    assert alts[["key", "alt_cameo", "alt_goldstein", "alt_quad_class"]].values.tolist() == [
        ["criticize", "112", -2.1, 3], ["E2", "172", -5.0, 4]]
    variants = dict(u.coding_variants(ds))
    assert list(variants) == [u.AS_RECORDED, "criticize: 112 for 111", "E2: 172 for 051",
                              "all alternatives"]
    assert variants["criticize: 112 for 111"]["goldstein"].tolist() == [-2.1, 3.4, -2.1]
    assert variants["E2: 172 for 051"]["quad_class"].tolist() == [3, 4, 3]
    assert variants["all alternatives"]["goldstein"].tolist() == [-2.1, -5.0, -2.1]
    assert ds.events["goldstein"].tolist() == [-2.0, 3.4, -2.0]


def test_coding_variants_written_to_leave_the_data_and_each_other_alone() -> None:
    ds = _coded()
    variants = dict(u.coding_variants(ds))
    one, other = variants["criticize: 112 for 111"], variants["E2: 172 for 051"]
    one.loc[one.index[0], "goldstein"] = 99.0
    one.loc[one.index[1], "event_type"] = "praise"
    other["coding_note"] = "XXX"
    assert ds.events["goldstein"].tolist() == [-2.0, 3.4, -2.0]
    assert "XXX" not in set(ds.events["coding_note"]) and "XXX" not in set(one["coding_note"])
    assert other["goldstein"].tolist() == [-2.0, -5.0, -2.0]
    ds.events.loc[ds.events.index[2], "goldstein"] = -7.0  # and the other way round
    assert one["goldstein"].tolist() == [99.0, 3.4, -2.1]
    assert variants["all alternatives"]["goldstein"].tolist() == [-2.1, -5.0, -2.1]


def test_alt_code_without_a_known_weight_keeps_the_weight() -> None:
    ds = _coded()
    ds.event_types.loc[1, "coding_note"] = "alt=0999"  # not in the CAMEO list
    alts = u.alt_codes(ds).set_index("key")
    assert np.isnan(alts.loc["praise", "alt_goldstein"])
    assert alts.loc["praise", "alt_quad_class"] == 3  # root 09: verbal conflict
    variants = dict(u.coding_variants(ds, together=False))
    assert "praise: 0999 for 051 (weight unknown, kept)" in variants
    assert variants["praise: 0999 for 051 (weight unknown, kept)"]["goldstein"].tolist() == [
        -2.0, 3.4, -2.0]


def test_distance_without_a_path_stays_missing(ds: albru.Dataset) -> None:
    years = range(1930, 1933)  # no relations, no path between the two states
    table = u.distance_variants(ds, years, variants=[(u.AS_RECORDED, ds)])
    direct = network.position_series(ds, years)["distance"]
    assert direct.isna().all() and table.isna().all(axis=None)
    assert str(table.dtypes.iloc[0]) == "Int64"
    assert u.variant_band(table)["share_same"].tolist() == [1.0, 1.0, 1.0]


def test_derive_builds_a_wide_table_without_fragmenting_it() -> None:
    """A table with many EDTF columns is derived in one step: adding the derived columns one
    after another fragments the frame, and pandas warns (the warning notebook 04 silenced)."""
    columns = {f"d{i}": pd.array(["1950", "1951-03"], dtype="string") for i in range(120)}
    package = types.SimpleNamespace(dates={("wide", c): "start" for c in columns}, keys={})
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.PerformanceWarning)
        out = derive("wide", pd.DataFrame(columns), package)
    assert out.shape == (2, 360)
    assert out["d7"].tolist() == [pd.Timestamp("1950-01-01"), pd.Timestamp("1951-03-01")]
    assert out["d7_edtf"].tolist() == ["1950", "1951-03"]
    assert out["d7_precision"].astype(str).tolist() == ["year", "month"]


def test_shift_checks_match_one_fit_per_check(pair: pd.DataFrame) -> None:
    years = range(1912, pair["end"].max().year + 1)
    drawn = u.annual_net_draws(pair, years, n=60, seed=7)
    found = [1960, 1990]
    sizes = np.resize([2, 3, 4, 5], 60)
    table, hits = u.shift_checks({"plain": drawn, "runs": drawn, "mixed": drawn}, found,
                                 settings={"runs": {"min_size": 4},
                                           "mixed": {"min_size": sizes, "penalty": 2.0}})
    for label, keywords in (("plain", {}), ("runs", {"min_size": 4}),
                            ("mixed", {"min_size": sizes, "penalty": 2.0})):
        alone = u.shift_draws(drawn, **keywords)
        assert hits[label].equals(alone)
        shares = u.shift_support(alone, found)["share"]
        assert table.loc[label, found].tolist() == shares.tolist()
    assert table["draws"].tolist() == [60, 60, 60]
    assert not hits["plain"].equals(hits["runs"])  # the settings reach the fits


def test_shift_checks_name_the_commonest_set_of_shift_years_as_a_plain_count_does(
        pair: pd.DataFrame) -> None:
    years = range(1912, pair["end"].max().year + 1)
    drawn = u.annual_net_draws(pair, years, n=80, seed=3)
    settings = {"runs": {"min_size": np.resize([2, 5], 80)}, "flat": {"penalty": 1000.0}}
    table, hits = u.shift_checks({"plain": drawn, "runs": drawn, "flat": drawn}, [1960],
                                 settings=settings)
    for label, shifts in hits.items():
        sets = [", ".join(str(y) for y in shifts.columns[row]) for row in shifts.to_numpy()]
        top = pd.Series(sets).value_counts(normalize=True)
        assert table.loc[label, "most frequent shifts"] == f"{top.index[0]} ({top.iloc[0]:.0%})"
    assert len(set(map(tuple, hits["runs"].to_numpy()))) > 2  # several sets to count
    assert table.loc["flat", "most frequent shifts"] == " (100%)"  # no shift at all
    with np.errstate(divide="ignore", invalid="ignore"):  # no years: nothing to fit
        empty, _ = u.shift_checks({"none": drawn.iloc[:, :0]}, [])
    assert empty.loc["none", "most frequent shifts"] == " (100%)"


def test_weights_give_the_series_of_each_recoded_or_reduced_frame(pair: pd.DataFrame) -> None:
    years = range(1912, pair["end"].max().year + 1)
    out = eras.annual_net_cooperation(pair, years, weights=u.leave_one_out(pair))
    for i in (0, 17, len(pair) - 1):
        alone = eras.annual_net_cooperation(pair.drop(pair.index[i]), years)
        assert out.loc[pair["event_id"].iloc[i]].tolist() == alone.tolist()
    halved = eras.annual_net_cooperation(pair, years, weights=(pair[["goldstein"]] / 2))
    np.testing.assert_allclose(halved.loc["goldstein"], eras.annual_net_cooperation(
        pair, years) / 2)


def test_a_claim_is_applied_in_the_columns_type(ds: albru.Dataset) -> None:
    """A claimed sign (text in claims.csv) becomes an integer; a value outside a category's
    list, or text that is no number, fails with one line naming record and column."""
    variant = u.apply_claims(ds, {("ties", "T022", "sign"): "-1"})
    assert variant.ties["sign"].dtype == ds.ties["sign"].dtype
    assert int(variant.ties.set_index("tie_id").loc["T022", "sign"]) == -1
    with pytest.raises(ValueError, match="T022, column kind: 'enmity'"):
        u.apply_claims(ds, {("ties", "T022", "kind"): "enmity"})
    with pytest.raises(ValueError, match="T022, column sign: 'minus one'"):
        u.apply_claims(ds, {("ties", "T022", "sign"): "minus one"})


@pytest.mark.parametrize("unit", ["s", "ns"])
def test_triad_spell_variants_equal_the_spells_of_each_history_dtypes_too(ds: albru.Dataset,
                                                                          unit: str) -> None:
    # The table against one built from unbalanced_spells' own frame for each variant: values,
    # and the datetime unit such a frame gives the longest spell (the window's days in `unit`).
    nodes = ["ALB", "RUS", "YUG"]
    start, end = (pd.Timestamp(np.datetime64(day, unit)) for day in ("1956-01-01", "1999-12-31"))
    variants = list(u.claim_variants(ds, records=["T013", "T029"]))
    table = u.triad_spell_variants(ds, nodes, start, end, variants=variants)
    rows = []
    for label, variant in variants:
        spells = network.unbalanced_spells(network.triad_history(variant, nodes, start, end), end)
        at = spells.sort_values(["years", "start"], ascending=[False, True]).index[0]
        rows.append({"variant": label, "spells": len(spells),
                     "longest_start": spells.at[at, "start"], "longest_end": spells.at[at, "end"],
                     "longest_years": float(spells.at[at, "years"]),
                     "total_years": float(spells["years"].sum())})
    pd.testing.assert_frame_equal(table, pd.DataFrame(rows).set_index("variant"), check_exact=True)
