"""EDTF parsing: property tests over generated date strings, and the strings it must refuse."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from albru import dates
from albru.dates import PRECISIONS, parse

days = st.dates(min_value=dt.date(1678, 1, 1), max_value=dt.date(2261, 12, 31))
years = st.integers(1678, 2261)


def month_string(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


#: A generated EDTF string at a known precision: (text, precision).
simple = st.one_of(
    days.map(lambda d: (d.isoformat(), "day")),
    days.map(lambda d: (month_string(d), "month")),
    st.tuples(years, st.integers(21, 24)).map(lambda ys: (f"{ys[0]}-{ys[1]}", "season")),
    years.map(lambda y: (str(y), "year")),
    st.integers(168, 225).map(lambda x: (f"{x}X", "decade")),
    st.integers(17, 21).map(lambda x: (f"{x}XX", "century")),
)


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


#: Interval ends: days, months and years.
ends = simple.filter(lambda case: case[1] in ("day", "month", "year"))


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
    texts = ["1912", "1913", "1912", "1913", "1912"]
    dates.parse_many(texts)
    dates.parse_many(texts)
    dates._bounds.cache_clear()
    assert sorted(seen) == ["1912", "1913"]


@given(simple.filter(lambda case: case[1] != "season"), st.one_of(st.none(), ends))
def test_the_plain_reading_agrees_with_edtf(
    case: tuple[str, str], other: tuple[str, str] | None
) -> None:
    text = case[0] if other is None else f"{case[0]}/{other[0]}"
    plain = dates._plain(text)
    try:
        full = dates._parse(text)
    except ValueError:
        assert plain is None
        return
    assert plain is None or plain == full
    if "X" not in text:
        assert plain == full
