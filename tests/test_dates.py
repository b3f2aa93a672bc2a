"""EDTF parsing: property tests over generated date strings, and the strings it must refuse."""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from albru import dates
from albru.dates import PRECISIONS, parse

days = st.dates(min_value=dt.date(1678, 1, 1), max_value=dt.date(2261, 12, 31))
years = st.integers(1678, 2261)


def month_string(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


#: Generated EDTF strings at a known precision, (text, precision), by precision.
AT = {
    "day": days.map(lambda d: (d.isoformat(), "day")),
    "month": days.map(lambda d: (month_string(d), "month")),
    "season": st.tuples(years, st.integers(21, 24)).map(
        lambda ys: (f"{ys[0]}-{ys[1]}", "season")),
    "year": years.map(lambda y: (str(y), "year")),
    "decade": st.integers(168, 225).map(lambda x: (f"{x}X", "decade")),
    "century": st.integers(17, 21).map(lambda x: (f"{x}XX", "century")),
}
#: A generated EDTF string at a known precision: (text, precision).
simple = st.one_of(*AT.values())


@given(simple)
def test_window_is_ordered_and_fits_the_precision(case: tuple[str, str]) -> None:
    text, precision = case
    bounds = parse(text)
    assert bounds.start <= bounds.end
    assert bounds.precision == precision
    assert (bounds.end - bounds.start).days < dates._LONGEST[precision]


@given(days)
def test_a_day_is_itself(day: dt.date) -> None:
    assert parse(day.isoformat()) == (day, day, "day")


@given(days)
def test_a_month_runs_from_its_first_to_its_last_day(day: dt.date) -> None:
    last = calendar.monthrange(day.year, day.month)[1]
    assert parse(month_string(day))[:2] == (day.replace(day=1), day.replace(day=last))


@given(years)
def test_a_year_runs_from_january_to_december(year: int) -> None:
    assert parse(str(year))[:2] == (dt.date(year, 1, 1), dt.date(year, 12, 31))


@given(st.integers(168, 225))
def test_a_decade_covers_ten_years(decade: int) -> None:
    assert parse(f"{decade}X")[:2] == (dt.date(decade * 10, 1, 1), dt.date(decade * 10 + 9, 12, 31))


#: Interval ends: days, months and years (drawn from those alone: the same strings as
#: ``simple`` filtered to these precisions, without the draws a filter throws away).
ends = st.one_of(AT["day"], AT["month"], AT["year"])


@given(ends, ends)
def test_an_interval_spans_its_ends(one: tuple[str, str], other: tuple[str, str]) -> None:
    (a, _), (b, _) = sorted([one, other], key=lambda case: parse(case[0]).start)
    first, last = parse(a), parse(b)
    assume(first.start <= last.end)
    if (last.end - first.start).days >= dates._LONGEST["century"]:
        with pytest.raises(ValueError, match="more than a century"):
            parse(f"{a}/{b}")
        return
    both = parse(f"{a}/{b}")
    assert (both.start, both.end) == (first.start, last.end)
    units = [unit for unit in PRECISIONS if unit != "season"]
    shorter = units[:units.index(both.precision)]
    assert (both.end - both.start).days < dates._LONGEST[both.precision]
    assert all((both.end - both.start).days >= dates._LONGEST[unit] for unit in shorter)


@given(st.tuples(days, days).filter(lambda ab: ab[0] > ab[1]))
def test_a_reversed_interval_is_refused(pair: tuple[dt.date, dt.date]) -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        parse(f"{pair[0].isoformat()}/{pair[1].isoformat()}")


@given(days, st.sampled_from([" ", "\t", "\n"]))
def test_stray_spaces_are_refused(day: dt.date, space: str) -> None:
    with pytest.raises(ValueError, match="leading or trailing spaces"):
        parse(day.isoformat() + space)


@given(years.filter(lambda y: not calendar.isleap(y)))
def test_february_29_of_a_common_year_is_refused(year: int) -> None:
    with pytest.raises(ValueError, match="not a day of the calendar"):
        parse(f"{year}-02-29")


@pytest.mark.parametrize(("text", "reason"), [
    ("..", "not an EDTF date"),
    ("1912/..", "open bound"),
    ("spring 1959", "not an EDTF date"),
    ("1959-13", "not an EDTF date"),
    ("1600", "year outside"),
    ("1800/2000", "more than a century"),
    ("\u0661\u0669\u0665\u0669", "not an EDTF date"),  # 1959 in Arabic-Indic digits
])
def test_unusable_strings_say_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse(text)


def test_season_only_for_edtf_seasons() -> None:
    assert parse("1964-02/1964-03").precision == "year"
    assert parse("1964-21").precision == "season"


def test_qualifiers_keep_the_precision() -> None:
    assert parse("1959-05~") == parse("1959-05")
    assert parse("1959?").precision == "year"


def test_each_distinct_string_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def counting(text: str) -> dates.Bounds:
        seen.append(text)
        return dates.Bounds(dt.date(1912, 1, 1), dt.date(1912, 1, 1), "day")

    monkeypatch.setattr(dates, "_plain", counting)
    dates._bounds.cache_clear()
    dates._plain_once.cache_clear()
    texts = ["1912", "1913", "1912", "1913", "1912"]
    dates.parse_many(texts)
    dates.parse_many(texts)
    dates._bounds.cache_clear()
    dates._plain_once.cache_clear()
    assert sorted(seen) == ["1912", "1913"]


@given(st.one_of(*[AT[p] for p in AT if p != "season"]), st.one_of(st.none(), ends))
def test_the_plain_reading_agrees_with_edtf(
    case: tuple[str, str], other: tuple[str, str] | None
) -> None:
    text = case[0] if other is None else f"{case[0]}/{other[0]}"
    plain = dates._plain(text)
    refused = dates._plain_refusal(text)
    try:
        full = dates._parse(text)
    except ValueError as error:
        assert plain is None
        assert refused in (None, str(error))
        return
    assert refused is None
    assert plain is None or plain == full
    if "X" not in text:
        assert plain == full


@pytest.mark.parametrize("text", ["1961-02-29", "1900-02-29", "2000-02-29", "1678-02-29",
                                  "1960/1959-05", "1924-04-07/1924-04-06", "1950-05-31/1950-05",
                                  "1800/1900", "1801/1900", "1800-01-01/1900-01-01"])
def test_the_plain_refusals_give_edtfs_reason(text: str) -> None:
    try:
        dates._parse(text)
    except ValueError as error:
        assert dates._plain_refusal(text) == str(error)
    else:
        assert dates._plain_refusal(text) is None


# --- calendar arithmetic: decimal years, year shares, active on a day, era lookup -----------------

#: Eras with boundaries on days inside the year (as the sources give them), the last open.
ERAS = pd.DataFrame({
    "era_id": ["early", "alliance", "rupture"],
    "start": pd.to_datetime(["1912-11-28", "1944-11-29", "1961-12-04"]),
    "end": pd.to_datetime(["1944-11-28", "1961-12-03", None]),
})


def spans(*pairs: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"start": pd.to_datetime([a for a, _ in pairs]),
                         "end": pd.to_datetime([b for _, b in pairs])})


def test_an_era_that_starts_mid_year_holds_the_days_from_its_first() -> None:
    found = dates.era_range(spans(("1944-11-28", "1944-11-28"), ("1944-11-29", "1944-11-29"),
                                  ("1944-12-01", "1944-12-31"), ("2020-01-01", "2020-12-31")),
                            ERAS)
    assert found["era"].astype(str).tolist() == ["early", "alliance", "alliance", "rupture"]
    assert found["era"].cat.ordered
    assert found["era"].cat.categories.tolist() == ["early", "alliance", "rupture"]


def test_a_span_crossing_a_boundary_has_no_single_era() -> None:
    found = dates.era_range(spans(("1944-11-01", "1944-11-30"), ("1961-12-01", "1961-12-31"),
                                  ("1940-01-01", "1969-12-31")), ERAS)
    assert found["era"].isna().all()
    assert found["era_first"].astype(str).tolist() == ["early", "alliance", "early"]
    assert found["era_last"].astype(str).tolist() == ["alliance", "rupture", "rupture"]


def test_a_span_before_every_era_has_none() -> None:
    found = dates.era_range(spans(("1900-01-01", "1900-12-31")), ERAS)
    assert found.isna().all(axis=None)


def test_era_order_follows_an_ordered_categorical_id() -> None:
    shuffled = ERAS.iloc[[2, 0, 1]].assign(era_id=lambda f: pd.Categorical(
        f["era_id"], categories=["early", "alliance", "rupture"], ordered=True))
    found = dates.era_range(spans(("1950-01-01", "1962-01-01")), shuffled)
    assert (found["era_first"].iloc[0], found["era_last"].iloc[0]) == ("alliance", "rupture")


@given(st.dates(dt.date(1912, 11, 28), dt.date(2030, 12, 31)), st.integers(0, 4000))
def test_era_range_agrees_with_a_day_by_day_reading(first: dt.date, length: int) -> None:
    last = first + dt.timedelta(days=length)
    found = dates.era_range(spans((first.isoformat(), last.isoformat())), ERAS).iloc[0]
    days = pd.date_range(first, last, freq="D")
    eras = [e for e, a, b in zip(ERAS["era_id"], ERAS["start"], ERAS["end"], strict=True)
            if ((days >= a) & ((days <= b) if pd.notna(b) else True)).any()]
    assert (found["era_first"], found["era_last"]) == (eras[0], eras[-1])
    assert (found["era"] if pd.notna(found["era"]) else None) == (eras[0] if len(eras) == 1
                                                                  else None)


def test_active_on_includes_both_bounds_and_open_ends() -> None:
    frame = spans(("1950-01-01", "1961-12-31"), ("1962-01-01", "NaT"), ("NaT", "NaT"))
    assert dates.active_on(frame, "1950-01-01").tolist() == [True, False, False]
    assert dates.active_on(frame, "1961-12-31").tolist() == [True, False, False]
    assert dates.active_on(frame, pd.Timestamp("2100-01-01")).tolist() == [False, True, False]
    renamed = frame.rename(columns={"start": "from", "end": "to"})
    assert dates.active_on(renamed, dt.date(1962, 1, 1), start="from", end="to").tolist() == [
        False, True, False]


def test_decimal_years() -> None:
    days = pd.Series(pd.to_datetime(["2000-01-01", "2000-12-31", "2001-07-02", None]))
    years = dates.decimal_year(days)
    assert years.iloc[0] == 2000.0 and 2000.99 < years.iloc[1] < 2001
    assert years.iloc[2] == 2001 + 182 / 365 and np.isnan(years.iloc[3])
    assert dates.decimal_year(pd.Timestamp("2001-07-02")) == years.iloc[2]
    assert dates.DAYS_PER_YEAR == 365.25


@given(st.lists(st.tuples(st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
                          st.integers(0, 5000)), min_size=1, max_size=6))
def test_year_shares_add_up_and_follow_the_days(cases: list[tuple[dt.date, int]]) -> None:
    frame = spans(*[(a.isoformat(), (a + dt.timedelta(days=n)).isoformat()) for a, n in cases])
    shares = dates.year_shares(frame)
    assert np.allclose(shares.groupby("event")["share"].sum(), 1.0)
    for (first, length), (_, group) in zip(cases, shares.groupby("event"), strict=True):
        last = first + dt.timedelta(days=length)
        assert group["year"].tolist() == list(range(first.year, last.year + 1))
        in_first = (min(last, dt.date(first.year, 12, 31)) - first).days + 1
        assert group["share"].iloc[0] == in_first / (length + 1)


def test_year_shares_refuse_a_reversed_span() -> None:
    with pytest.raises(ValueError, match="needs start <= end"):
        dates.year_shares(spans(("1960-01-02", "1960-01-01")))


def test_days_of_matches_parsed_dates() -> None:
    """The days built from year numbers are the days pandas parses from their text."""
    years = np.arange(1816, 2100)
    for month, day in ((1, 1), (2, 29), (7, 1), (12, 31)):
        leap = [y for y in years if month != 2 or (y % 4 == 0 and (y % 100 or y % 400 == 0))]
        parsed = pd.to_datetime([f"{y}-{month:02d}-{day:02d}" for y in leap]).to_numpy()
        built = dates.days_of(leap, month, day)
        assert built.dtype == parsed.dtype
        np.testing.assert_array_equal(built, parsed)
