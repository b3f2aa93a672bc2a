"""Tests of albru.incidents on small frames shaped like ``albru.load()``."""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import albru
from albru import dyad
from albru import incidents as inc
from albru.dates import DAYS_PER_YEAR

TYPES = {3: ["criticize", "accuse", "veto"], 4: ["expel_diplomats", "break_relations",
                                                 "seize_property"], 1: ["make_visit"]}


def frame(rows: list[tuple[str, str, str, int, str, str]],
          event_types: list[str] | None = None) -> pd.DataFrame:
    """Events from (date start, date end, source, target, quad, era) rows, ids in row order;
    each event's type is the first of its quad class unless ``event_types`` gives them. Built
    column by column in one constructor (the hypothesis strategy below makes a few hundred)."""
    start, end, source, target, quad, era = (list(c) for c in zip(*rows)) if rows else (
        [[] for _ in range(6)])
    ids = [f"E{i:03d}" for i in range(len(rows))]
    if event_types is None:
        event_types = [TYPES[int(q)][0] for q in quad]
    return pd.DataFrame({
        "event_id": pd.array(ids, dtype="string"),
        "start": pd.to_datetime(pd.Series(start, dtype=object)),
        "end": pd.to_datetime(pd.Series(end, dtype=object)),
        "source_actor": pd.array(source, dtype="string"),
        "target_actor": pd.array(target, dtype="string"),
        "quad_class": pd.array(quad, dtype="Int64"),
        "era": pd.array(era, dtype="string"),
        "date": pd.array([s if s == e else f"{s}/{e}" for s, e in zip(start, end, strict=True)],
                         dtype="string"),
        "event_type": pd.array(event_types, dtype="string"),
        "goldstein": [-float(q) for q in quad] if quad else pd.Series([], dtype=float),
        "title": pd.array([f"event {i}" for i in ids], dtype="string"),
    })


MIXED = frame([
    ("1960-07-01", "1960-07-31", "ALB", "RUS", 3, "rift"),  # counts
    ("1961-12-03", "1961-12-03", "RUS", "ALB", 4, "rift"),  # counts, other direction
    ("1959-05-25", "1959-06-04", "RUS", "ALB", 1, "rift"),  # cooperation: no
    ("1968-09-13", "1968-09-13", "ALB", "WTO", 4, "rupture"),  # not Russia: no
    ("2022-02-24", "2022-02-24", "RUS", "UKR", 4, "ukraine"),  # not Albania: no
    ("1978-07-01", "1978-07-31", "CHN", "ALB", 3, "rupture"),  # third state: no
    ("1960-01-01", "1969-12-31", "ALB", "RUS", 3, "rift"),  # counts, decade-dated
    ("2022-09-30", "2022-09-30", "RUS", "ALB", 3, "ukraine"),  # counts
])


def test_only_albania_russia_conflict_events_are_incidents():
    assert sorted(inc.incidents(MIXED)["event_id"]) == ["E000", "E001", "E006", "E007"]


def test_direction_does_not_matter():
    swapped = MIXED.rename(columns={"source_actor": "target_actor",
                                    "target_actor": "source_actor"})
    assert sorted(inc.incidents(swapped)["event_id"]) == sorted(inc.incidents(MIXED)["event_id"])
    directions = inc.incidents(MIXED).set_index("event_id")["direction"]
    assert directions["E001"] == "RUS → ALB" and directions["E000"] == "ALB → RUS"


def test_missing_quad_class_is_not_an_incident():
    ev = MIXED.copy()
    ev.loc[0, "quad_class"] = pd.NA
    assert "E000" not in set(inc.incidents(ev)["event_id"])


def test_kind_comes_from_the_event_type():
    kinds = inc.incidents(MIXED).set_index("event_id")["kind"]
    assert kinds["E001"] == "expulsion" and kinds["E000"] == "criticism"
    assert kinds.cat.ordered and list(kinds.cat.categories) == ["criticism", "expulsion"]


def test_an_incident_of_a_type_without_a_kind_fails_loudly():
    ev = MIXED.copy()
    ev.loc[1, "event_type"] = "invent_a_type"
    with pytest.raises(ValueError, match="E001"):
        inc.incidents(ev)


def test_every_conflict_type_of_the_shipped_vocabulary_has_one_kind_of_its_quad_class():
    types = albru.load().event_types
    conflict = types[types["quad_class"].isin(inc.CONFLICT_QUADS)]
    kind_quad = {t: quad for quad, ts in inc.KINDS.values() for t in ts}
    assert sum(len(ts) for _, ts in inc.KINDS.values()) == len(kind_quad)  # no type twice
    for event_type, quad in zip(conflict["event_type"], conflict["quad_class"], strict=True):
        assert kind_quad.get(event_type) == quad, event_type


@pytest.mark.parametrize(("start", "end"), [
    ("1961-12-03", "1961-12-03"),  # day
    ("1961-12-01", "1961-12-31"),  # month
    ("1961-06-01", "1961-08-31"),  # season (EDTF summer; its winter also ends with the year)
    ("1961-01-01", "1961-12-31"),  # year
])
def test_dates_within_one_year_count_in_that_year(start, end):
    one = inc.incidents(frame([(start, end, "RUS", "ALB", 4, "rift")]))
    assert one["year"].tolist() == [1961]
    counts = inc.count_by_bin(one, span=(1955, 1965)).counts
    assert counts.loc[1961].sum() == 1 and counts.drop(index=1961).to_numpy().sum() == 0


@pytest.mark.parametrize("width", [1, 2, 3, 5])
def test_decade_dated_incident_never_lands_in_a_single_year(width):
    decade = inc.incidents(frame([("1960-01-01", "1969-12-31", "ALB", "RUS", 3, "rift")]))
    assert decade["year"].isna().all()
    binned = inc.count_by_bin(decade, width=width, span=(1950, 1979))
    assert binned.counts.to_numpy().sum() == 0
    assert binned.apart[["first_year", "last_year"]].values.tolist() == [[1960, 1969]]


def test_interval_across_a_new_year_is_kept_apart_from_both_years():
    two = inc.incidents(frame([("1912-01-01", "1913-12-31", "RUS", "ALB", 3, "imperial")]))
    assert inc.count_by_bin(two).apart["event_id"].tolist() == ["E000"]
    assert inc.count_by_bin(two, width=5).counts.loc[1910].sum() == 1


def test_rows_outside_the_span_fail_loudly():
    with pytest.raises(ValueError, match="E007"):
        inc.count_by_bin(inc.incidents(MIXED), span=(1960, 1970))


# The strategies of incident_frames, built once (drawn from thousands of times).
N_ROWS = st.integers(0, 40)
YEARS = st.integers(1912, 2025)
PRECISIONS = st.sampled_from(["day", "month", "year", "decade", "interval"])
DAY_OF_YEAR = st.integers(0, 364)
MONTHS = st.integers(1, 12)
INTERVAL_DAYS = st.integers(1, 3000)
QUADS = st.sampled_from([3, 4])
DIRECTIONS = st.sampled_from([("ALB", "RUS"), ("RUS", "ALB")])
TYPES_OF = {quad: st.sampled_from(types) for quad, types in TYPES.items()}


@st.composite
def incident_frames(draw) -> pd.DataFrame:
    """Random incidents with every kind of date precision the data can hold."""
    rows = []
    for _ in range(draw(N_ROWS)):
        year = draw(YEARS)
        precision = draw(PRECISIONS)
        if precision == "day":
            start = dt.date(year, 1, 1) + dt.timedelta(days=draw(DAY_OF_YEAR))
            end = start
        elif precision == "month":
            month = draw(MONTHS)
            start = dt.date(year, month, 1)
            end = start.replace(day=calendar.monthrange(year, month)[1])
        elif precision == "year":
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        elif precision == "decade":
            start, end = dt.date(year // 10 * 10, 1, 1), dt.date(year // 10 * 10 + 9, 12, 31)
        else:
            start = dt.date(year, 1, 1) + dt.timedelta(days=draw(DAY_OF_YEAR))
            end = start + dt.timedelta(days=draw(INTERVAL_DAYS))
        quad = draw(QUADS)
        source, target = draw(DIRECTIONS)
        rows.append((start.isoformat(), end.isoformat(), source, target, quad, "any"))
    # the types are drawn after all the rows, as they always were
    return inc.incidents(frame(rows, [draw(TYPES_OF[quad]) for *_, quad, _ in rows]))


@given(incident_frames(), st.integers(1, 12), st.integers(0, 11))
def test_every_incident_is_counted_exactly_once_whatever_the_binning(incs, width, origin):
    binned = inc.count_by_bin(incs, width=width, origin=origin, span=(1900, 2040))
    assert binned.total == len(incs)
    bins = inc.bin_of(incs, width, origin)
    placed = incs.loc[bins.notna()]
    # each placed incident lies wholly inside its bin; each apart one straddles a boundary
    lo = bins[bins.notna()].astype(int)
    assert (placed["start"].dt.year >= lo).all() and (placed["end"].dt.year < lo + width).all()
    assert set(binned.apart["event_id"]) == set(incs.loc[bins.isna(), "event_id"])
    first = (binned.apart["first_year"] - origin) // width
    last = (binned.apart["last_year"] - origin) // width
    assert (first != last).all()
    # and every kind column adds up to the incidents of that kind that found a bin
    by_kind = placed["kind"].astype(str).value_counts()
    for kind in binned.counts.columns:
        assert binned.counts[kind].sum() == by_kind.get(str(kind), 0)



@pytest.mark.parametrize(("width", "origin"), [(1, 0), (3, 1), (5, 0), (10, 4)])
def test_counts_by_a_text_column_match_a_crosstab(width, origin):
    # a column that is not categorical (direction) is counted by its values as text; pandas'
    # crosstab of the binned rows is the oracle
    incs = inc.incidents(albru.load().events)
    binned = inc.count_by_bin(incs, width=width, by="direction", origin=origin)
    bins = inc.bin_of(incs, width, origin)
    placed = bins.notna()
    expected = pd.crosstab(bins[placed].astype(int), incs.loc[placed, "direction"].astype(str))
    expected = expected.reindex(index=binned.counts.index, columns=binned.counts.columns,
                                fill_value=0)
    assert list(binned.counts.columns) == ["ALB → RUS", "RUS → ALB"]
    assert binned.counts.to_numpy().tolist() == expected.to_numpy().tolist()
    assert binned.total == len(incs) and len(binned.apart) == (~placed).sum()


@given(incident_frames())
def test_quiet_spells_touch_no_incident_and_cumulative_ends_at_the_total(incs):
    spells = inc.quiet_spells(incs, since=pd.Timestamp("1900-01-01"),
                              until=pd.Timestamp("2040-12-31"))
    # no spell overlaps any incident: every (spell, incident) pair at once
    overlap = ((incs["start"].to_numpy()[None, :] <= spells["end"].to_numpy()[:, None])
               & (incs["end"].to_numpy()[None, :] >= spells["start"].to_numpy()[:, None]))
    assert not overlap.any()
    assert spells["years"].is_monotonic_decreasing
    if len(incs):
        cum = inc.cumulative(incs)
        assert (cum["certain"] <= cum["possible"]).all()
        assert cum.iloc[-1].tolist() == [len(incs), len(incs)]


def test_an_imprecise_date_shortens_the_quiet_spell_around_it():
    exact = frame([("1961-12-03", "1961-12-03", "RUS", "ALB", 4, "a"),
                   ("1964-06-01", "1964-06-01", "ALB", "RUS", 4, "a")])
    longest = inc.quiet_spells(inc.incidents(exact)).loc[0]
    assert (longest["start"], longest["end"]) == (pd.Timestamp("1961-12-04"),
                                                  pd.Timestamp("1964-05-31"))
    vague = exact.assign(start=pd.to_datetime(["1961-12-03", "1964-01-01"]),
                         end=pd.to_datetime(["1961-12-03", "1964-12-31"]))
    assert inc.quiet_spells(inc.incidents(vague)).loc[0, "end"] == pd.Timestamp("1963-12-31")


ERAS = pd.DataFrame({
    "era_id": pd.Categorical(["rift", "rupture", "ukraine"], ordered=True),
    "name": ["Rift", "Rupture", "Ukraine"],
    "start": pd.to_datetime(["1956-01-01", "1961-12-03", "1990-07-30"]),
    "end": pd.to_datetime(["1961-12-02", "1990-07-29", None]),
})


def test_era_rates_count_every_incident_once_and_close_the_open_era():
    incs = inc.incidents(MIXED)
    rates = inc.era_rates(incs, ERAS, as_of=pd.Timestamp("2022-12-31")).set_index("era_id")
    # the 1960s decade date crosses the rift/rupture boundary: in neither era, possible in both
    assert rates["incidents"].sum() == len(incs) - 1
    assert rates["incidents"].tolist() == [1, 1, 1]  # 1961-12-03 opens the rupture era
    assert rates["possible"].tolist() == [2, 2, 1]
    assert rates.loc["ukraine", "end"] == pd.Timestamp("2022-12-31")
    days = (pd.Timestamp("2022-12-31") - pd.Timestamp("1990-07-30")).days + 1
    assert rates.loc["ukraine", "rate"] == pytest.approx(1 / (days / 365.25))
    exact = MIXED.drop(index=6)  # without the straddler the interval is Garwood's for k
    plain = inc.era_rates(inc.incidents(exact), ERAS, as_of=pd.Timestamp("2022-12-31"))
    assert (plain["incidents"] == plain["possible"]).all()
    assert plain.loc[1, "upper"] == pytest.approx(5.572 / plain.loc[1, "years"], abs=1e-3)
    assert rates.loc["rupture", "upper"] > plain.loc[1, "upper"]  # the straddler widens it
    empty = inc.era_rates(inc.incidents(exact.iloc[:0]), ERAS, as_of=pd.Timestamp("2022-12-31"))
    assert (empty["lower"] == 0.0).all() and (empty["upper"] > 0).all()
    assert (rates["lower"] <= rates["rate"]).all() and (rates["rate"] <= rates["upper"]).all()


def test_quiet_context_reads_a_rupture_as_broken_relations():
    incs = inc.incidents(MIXED)
    until = pd.Timestamp("2022-12-31")
    spells = inc.quiet_spells(incs)
    ties = pd.DataFrame({"actor_a": ["RUS", "ALB"], "actor_b": ["ALB", "CHN"],
                         "kind": ["rupture", "rupture"],
                         "start": pd.to_datetime(["1961-12-03", "1978-07-01"]),
                         "end": pd.to_datetime(["1990-07-29", "1990-12-31"])})
    broken = dyad.relations_broken(ties)
    assert len(broken) == 1  # the Albania-China rupture is not about this dyad
    ctx = inc.quiet_context(spells, MIXED, broken, until)
    longest = ctx.loc[0]  # 1970-01-01 .. 2022-09-29
    days = (longest["end"] - longest["start"]).days + 1
    expected = ((pd.Timestamp("1990-07-29") - pd.Timestamp("1970-01-01")).days + 1) / days
    assert longest["broken_share"] == pytest.approx(expected)
    # two third-party events fall in it (1978 CHN-ALB and 2022-02-24 RUS-UKR)
    assert longest["records_per_year"] == pytest.approx(2 / longest["years"])
    assert longest["dyad_events"] == 0
    whole = inc.quiet_context(spells, MIXED, ties.iloc[:1].assign(end=pd.NaT), until)
    assert whole.loc[0, "broken_share"] == 1.0
    assert whole.loc[0, "reading"] == "relations broken"


def test_quiet_context_measures_the_record_up_to_as_of_not_to_the_last_event():
    spells = inc.quiet_spells(inc.incidents(MIXED))
    as_of = MIXED["end"].max() + pd.Timedelta(days=3652)  # ten quiet years after the last event
    ctx = inc.quiet_context(spells, MIXED, MIXED.iloc[:0], as_of)
    whole = ((as_of - MIXED["start"].min()).days + 1) / DAYS_PER_YEAR
    assert ctx["density"].tolist() == pytest.approx(
        (ctx["records_per_year"] / (len(MIXED) / whole)).tolist())
    at_last = inc.quiet_context(spells, MIXED, MIXED.iloc[:0], MIXED["end"].max())
    assert (ctx["density"] >= at_last["density"]).all()
    assert (ctx["density"] > at_last["density"]).any()


def test_era_records_count_every_event_once_and_measure_the_rupture():
    broken = pd.DataFrame({"start": pd.to_datetime(["1961-12-03"]),
                           "end": pd.to_datetime(["1990-07-29"])})
    rec = inc.era_records(MIXED, ERAS, broken, pd.Timestamp("2022-12-31")).set_index("era_id")
    # every event counted once, except the 1960s one that crosses an era boundary
    assert rec["events"].sum() == len(MIXED) - 1
    assert rec["dyad_events"].sum() == int(dyad.is_dyadic(MIXED).sum()) - 1 == 4
    assert rec["incidents"].sum() == len(inc.incidents(MIXED)) - 1
    assert rec.loc["rupture", "broken_share"] == 1.0 and rec.loc["rift", "broken_share"] == 0.0
    assert rec.loc["rift", "dyad_events_per_year"] == pytest.approx(
        2 / rec.loc["rift", "years"])


def test_main_incidents_are_the_first_of_each_kind_gravest_first():
    ev = MIXED.copy()
    ev["event_type"] = ["criticize", "expel_diplomats", "make_visit", "seize_property",
                        "seize_property", "criticize", "veto", "expel_diplomats"]
    ev["goldstein"] = [-2.0, -4.0, 1.0, -9.0, -10.0, -2.0, -5.0, -4.0]
    firsts = inc.main_incidents(inc.incidents(ev), n=8)
    # decade-dated veto (starts 1960-01-01) comes first; the 2022 expulsion is not a first
    assert firsts["event_id"].tolist() == ["E006", "E000", "E001"]
    assert inc.main_incidents(inc.incidents(ev), n=2)["event_id"].tolist() == ["E006", "E001"]


def test_monthly_counts_keep_a_year_dated_incident_apart():
    ev = frame([("2022-01-05", "2022-01-05", "ALB", "RUS", 4, "ukraine"),
                ("2022-03-01", "2022-03-31", "RUS", "ALB", 3, "ukraine"),
                ("2022-01-01", "2022-12-31", "RUS", "ALB", 3, "ukraine"),
                ("2021-05-01", "2021-05-01", "RUS", "ALB", 3, "ukraine")])
    months = inc.count_by_month(inc.incidents(ev), 2022)
    assert months.counts.index.month.tolist() == list(range(1, 13))
    assert (months.counts.index.year == 2022).all()
    assert months.counts.sum(axis=1).tolist() == [1, 0, 1] + [0] * 9
    assert months.apart[["first_month", "last_month"]].values.tolist() == [[1, 12]]
    assert months.total == 3  # the 2021 incident is not of this year


def test_period_of_refuses_a_row_that_crosses_a_break():
    breaks = ["1956-01-01", "1962-01-01", "2023-01-01"]
    exact = MIXED.drop(index=6)
    periods = inc.period_of(exact, breaks, ["before", "after"])
    assert periods.tolist() == ["before"] * 3 + ["after"] * 4
    assert periods.cat.ordered
    with pytest.raises(ValueError, match="E006"):
        inc.period_of(MIXED, breaks)
    with pytest.raises(ValueError, match="names"):
        inc.period_of(exact, breaks, ["one"])


def test_events_in_spells_lists_each_spell_with_its_events():
    incs = inc.incidents(MIXED)
    spells = inc.quiet_spells(incs)
    found = inc.events_in_spells(MIXED, spells, min_years=2)
    longest = found[found["spell_start"] == spells.loc[0, "start"]]
    assert longest["event_id"].tolist() == ["E004", "E005"]  # 2022 RUS-UKR, 1978 CHN-ALB
    assert set(found["spell_events"]) <= {0, 1, 2}
    none = inc.events_in_spells(MIXED, spells, min_years=1000)
    assert none.empty and "spell_start" in none


def test_the_gamma_sums_behind_the_rate_intervals_agree_with_scipy():
    # albru.stats writes out the Gamma CDF and quantile for whole shapes (so that rates need
    # no scipy import); scipy.special is the oracle, across both tails and large shapes
    import numpy as np
    from scipy.special import gammainc, gammaincinv

    from albru import stats

    a = np.arange(0, 400)
    for x in [0.0, 1e-6, 0.4, 3.0, 25.0, 150.0, 600.0]:
        expected = np.where(a == 0, 1.0, gammainc(a, x))
        got = stats.poisson_tail(a, x)
        assert got[0] == 1.0
        big = expected > 1e-250
        np.testing.assert_allclose(got[big], expected[big], rtol=1e-11)
    k = np.unique(np.geomspace(1, 300, 30).astype(int))
    for q in [1e-9, 0.005, 0.025, 0.5, 0.975, 0.995, 1 - 1e-9]:
        np.testing.assert_allclose(stats.gamma_quantile(k, q), gammaincinv(k, q), rtol=1e-13)
    for level in [0.9, 0.95, 0.99]:
        lo, hi = stats.garwood(np.arange(60), level)
        tail = round((1 - level) / 2, 12)
        assert lo[0] == 0.0
        np.testing.assert_allclose(lo[1:], gammaincinv(np.arange(1, 60), tail), rtol=1e-13)
        np.testing.assert_allclose(hi, gammaincinv(np.arange(1, 61), 1 - tail), rtol=1e-13)
    with pytest.raises(ValueError):
        stats.gamma_quantile(0, 0.5)
    with pytest.raises(ValueError):
        stats.poisson_tail(1.5, 1.0)
