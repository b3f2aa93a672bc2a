"""Corruptions of a copy of the real data: each must fail loudly, naming file, line and column."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import albru
from albru import dataset, dates, validation

DATA = Path(__file__).resolve().parent.parent / "data"

Where = tuple[str, int | None, str | None]


def read(directory: Path, file: str) -> list[list[str]]:
    """The records of a CSV file, header first."""
    with (directory / file).open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def text_of(rows: list[list[str]]) -> str:
    """Rows written as CSV text."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def put(path: Path, data: str | bytes) -> None:
    """Replace a file of a copy by a new one holding ``data`` (text as UTF-8): the copy's files
    are hard links to one clean copy (see :func:`copy`), so none is written in place."""
    path.unlink(missing_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def write(directory: Path, file: str, rows: list[list[str]]) -> None:
    put(directory / file, text_of(rows))


def line_of(rows: list[list[str]], i: int) -> int:
    """The file line record ``i`` starts on (header = record 0 = line 1), counted in the text."""
    return text_of(rows[:i]).count("\n") + 1


def set_cell(directory: Path, file: str, i: int, column: str, value: str) -> Where:
    """Overwrite one cell of record ``i``; return where the problem must be reported."""
    rows = read(directory, file)
    rows[i][rows[0].index(column)] = value
    write(directory, file, rows)
    return file, line_of(rows, i), column


def cell(directory: Path, file: str, i: int, column: str) -> str:
    rows = read(directory, file)
    return rows[i][rows[0].index(column)]


def in_time_order(directory: Path) -> list[int]:
    """Record numbers of the eras, ordered by start."""
    rows = read(directory, "eras.csv")
    start = rows[0].index("start")
    return sorted(range(1, len(rows)), key=lambda i: dates.parse(rows[i][start]).start)


def missing_file(d: Path) -> Where:
    (d / "ties.csv").unlink()
    return "ties.csv", None, None


def missing_column(d: Path) -> Where:
    rows = read(d, "eras.csv")
    at = rows[0].index("basis")
    write(d, "eras.csv", [row[:at] + row[at + 1:] for row in rows])
    return "eras.csv", 1, "basis"


def extra_column(d: Path) -> Where:
    rows = read(d, "actors.csv")
    write(d, "actors.csv", [[*row, "x"] for row in rows[:1]] + [[*row, ""] for row in rows[1:]])
    return "actors.csv", 1, "x"


def not_utf8(d: Path) -> Where:
    rows = read(d, "actors.csv")
    rows[2][rows[0].index("name")] = "@@"
    raw = text_of(rows).encode("utf-8").replace(b"@@", "Shqipëria".encode("latin-1"))
    put(d / "actors.csv", raw)
    return "actors.csv", line_of(rows, 2), "name"


def ragged_short(d: Path) -> Where:
    rows = read(d, "events.csv")
    rows[3] = rows[3][:-2]
    write(d, "events.csv", rows)
    return "events.csv", line_of(rows, 3), rows[0][-2]


def ragged_long(d: Path) -> Where:
    rows = read(d, "ties.csv")
    rows[2] = [*rows[2], "stray"]
    write(d, "ties.csv", rows)
    return "ties.csv", line_of(rows, 2), None


def stray_quote(d: Path) -> Where:
    rows = read(d, "events.csv")
    text = text_of(rows).replace(f"\n{rows[2][0]},", f'\n"{rows[2][0]}"x,', 1)
    put(d / "events.csv", text)
    return "events.csv", line_of(rows, 2), None


def duplicate_key(d: Path) -> Where:
    return set_cell(d, "events.csv", 5, "event_id", cell(d, "events.csv", 2, "event_id"))


def duplicate_composite_key(d: Path) -> Where:
    rows = read(d, "actor_names.csv")
    rows.append(list(rows[1]))
    write(d, "actor_names.csv", rows)
    return "actor_names.csv", line_of(rows, len(rows) - 1), "actor_id+start"


def overlapping_eras(d: Path) -> Where:
    first, second = in_time_order(d)[:2]
    return set_cell(d, "eras.csv", second, "start", cell(d, "eras.csv", first, "end"))


def gap_between_eras(d: Path) -> Where:
    first, second = in_time_order(d)[:2]
    set_cell(d, "eras.csv", first, "end", cell(d, "eras.csv", first, "start"))
    return "eras.csv", line_of(read(d, "eras.csv"), second), "start"


def last_era_closed(d: Path) -> Where:
    return set_cell(d, "eras.csv", in_time_order(d)[-1], "end", "2100")


def overlapping_memberships(d: Path) -> Where:
    rows = read(d, "memberships.csv")
    rows.append([("M999" if name == "membership_id" else value)
                 for name, value in zip(rows[0], rows[1], strict=True)])
    write(d, "memberships.csv", rows)
    return "memberships.csv", line_of(rows, len(rows) - 1), "start"


def unknown_checking_source(d: Path) -> Where:
    return set_cell(d, "events.csv", 5, "also_checked_by", "gse_sovalb;no_such_source")


def own_source_as_its_check(d: Path) -> Where:
    own = cell(d, "events.csv", 5, "source_id")
    return set_cell(d, "events.csv", 5, "also_checked_by", own)


def derived_twice(d: Path) -> Where:
    return set_cell(d, "sources.csv", 3, "derived_from", "gse_sovalb;gse_sovalb")


#: name -> (corruption, words the rule must contain)
CORRUPTIONS: dict[str, tuple[Callable[[Path], Where], str]] = {
    "missing file": (missing_file, "file missing"),
    "list names no source": (unknown_checking_source, "no_such_source is not a source_id"),
    "list names the row's own source": (own_source_as_its_check, "row's own source"),
    "list repeats an id": (derived_twice, "appears twice"),
    "missing column": (missing_column, "column missing"),
    "column not in the schema": (extra_column, "not in the schema"),
    "empty required cell": (lambda d: set_cell(d, "events.csv", 4, "title", ""), "required"),
    "impossible date": (lambda d: set_cell(d, "events.csv", 3, "date", "1959-02-29"),
                        "not a day of the calendar"),
    "text that is not EDTF": (lambda d: set_cell(d, "events.csv", 6, "date", "spring 1959"),
                              "not an EDTF date"),
    "open date outside an end column": (lambda d: set_cell(d, "ties.csv", 1, "start", ".."),
                                        "only in an end column"),
    "end before start": (lambda d: set_cell(d, "ties.csv", 3, "end", "1900"),
                         "ends before it starts"),
    "duplicate key": (duplicate_key, "duplicate of line"),
    "duplicate composite key": (duplicate_composite_key, "duplicate of line"),
    "dangling foreign key": (lambda d: set_cell(d, "events.csv", 2, "source_actor", "ZZZ"),
                             "not found in actors.actor_id"),
    "unknown enum value": (lambda d: set_cell(d, "memberships.csv", 1, "status", "honorary"),
                           "not one of member, observer"),
    "integer enum value": (lambda d: set_cell(d, "ties.csv", 2, "sign", "2"), "not one of -1, 1"),
    "text in a number column": (lambda d: set_cell(d, "event_types.csv", 2, "goldstein", "high"),
                                "not a value of type number"),
    "fraction in an integer column": (lambda d: set_cell(d, "actors.csv", 1, "cow_code", "3.5"),
                                      "not a value of type integer"),
    "number above its maximum": (lambda d: set_cell(d, "event_types.csv", 1, "goldstein", "11"),
                                 "above the maximum 10"),
    "pattern": (lambda d: set_cell(d, "events.csv", 1, "event_id", "E12"), "pattern"),
    "bad calendar date": (lambda d: set_cell(d, "sources.csv", 1, "accessed", "2026-13-01"),
                          "not a value of type date"),
    "file that is not UTF-8": (not_utf8, "not UTF-8"),
    "ragged row, short": (ragged_short, "cells where the header has"),
    "ragged row, long": (ragged_long, "cells where the header has"),
    "stray quote": (stray_quote, "not valid CSV"),
    "key with stray spaces": (lambda d: set_cell(d, "actors.csv", 1, "actor_id", "ALB "),
                              "leading or trailing spaces"),
    "foreign key with stray spaces": (
        lambda d: set_cell(d, "events.csv", 1, "target_actor", " RUS"),
        "leading or trailing spaces"),
    "overlapping eras": (overlapping_eras, "overlaps era"),
    "gap between eras": (gap_between_eras, "leaves a gap of"),
    "last era closed": (last_era_closed, "must be open"),
    "event outside every era": (lambda d: set_cell(d, "events.csv", 2, "date", "1900"),
                                "lies in no era"),
    "overlapping membership spans": (overlapping_memberships, "overlaps the span"),
    "claim about a missing row": (lambda d: set_cell(d, "claims.csv", 1, "record_id", "E999"),
                                  "not found in events.event_id"),
    "claim about a missing column": (lambda d: set_cell(d, "claims.csv", 1, "column", "colour"),
                                     "not a column of"),
}


#: The clean copy (tests/conftest.py) leaves out external/, a package of its own that these
#: rules never read (tests/test_hostile_data.py copies it whole).
CLEAN_SKIP = ("external",)


def test_clean_copy_loads(copy: Path) -> None:
    albru.load(copy)


@pytest.mark.parametrize("name", CORRUPTIONS)
def test_corruption_fails_loudly(name: str, copy: Path) -> None:
    corrupt, words = CORRUPTIONS[name]
    file, line, column = corrupt(copy)
    with pytest.raises(albru.AlbruDataError) as caught:
        albru.load(copy)
    hits = [p for p in caught.value.problems
            if (p.file, p.line, p.column) == (file, line, column) and words in p.rule]
    assert hits, "\n".join(map(str, caught.value.problems))
    assert str(hits[0]) in str(caught.value)


def test_every_problem_is_reported_at_once(copy: Path) -> None:
    wanted = {set_cell(copy, "events.csv", 2, "source_actor", "ZZZ"),
              set_cell(copy, "ties.csv", 2, "kind", "friendship"),
              set_cell(copy, "actors.csv", 3, "name", "")}
    with pytest.raises(albru.AlbruDataError) as caught:
        albru.load(copy)
    assert wanted <= {(p.file, p.line, p.column) for p in caught.value.problems}


def test_quoted_line_breaks_keep_line_numbers(copy: Path) -> None:
    rows = read(copy, "events.csv")
    rows[1][rows[0].index("summary")] += "\nA second line.\nA third."
    rows[2][rows[0].index("date")] = "someday"
    write(copy, "events.csv", rows)
    problems = albru.validate(copy)
    assert [(p.line, p.column) for p in problems] == [(line_of(rows, 2), "date")]
    assert line_of(rows, 2) == 5


def test_validate_clean_data_finds_nothing() -> None:
    assert albru.validate() == []


def test_frictionless_errors_become_problems(copy: Path) -> None:
    file, line, column = set_cell(copy, "event_types.csv", 2, "goldstein", "high")
    package = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))
    problems = dataset._frictionless(copy, package, [r["name"] for r in package["resources"]])
    assert [(p.file, p.line, p.column) for p in problems] == [(file, line, column)]
    assert problems[0].rule.startswith("frictionless type-error")


def test_frictionless_repeats_are_left_out(copy: Path) -> None:
    file, line, column = not_utf8(copy)
    places = {(p.file, p.line, p.column): p.rule for p in albru.validate(copy)}
    assert places.keys() == {(file, line, column), (file, None, None)}
    assert places[file, None, None].startswith("frictionless encoding-error")
    (copy / "ties.csv").unlink()
    missing = [str(p) for p in albru.validate(copy) if p.file == "ties.csv"]
    assert missing == ["ties.csv: file missing"]


def test_validate_lists_what_load_raises(copy: Path) -> None:
    set_cell(copy, "ties.csv", 3, "end", "1900")
    with pytest.raises(albru.AlbruDataError) as caught:
        albru.load(copy)
    assert set(caught.value.problems) <= set(albru.validate(copy))


def test_missing_schema(tmp_path: Path) -> None:
    with pytest.raises(albru.AlbruDataError, match="datapackage.json: file missing"):
        albru.load(tmp_path)


# --- malformed input of every kind (issue 14) ---------------------------------------------------


def problems_of(directory: Path) -> list[validation.Problem]:
    """The problems load() raises; fails if it loads."""
    with pytest.raises(albru.AlbruDataError) as caught:
        albru.load(directory)
    found = caught.value.problems
    assert set(found) <= set(albru.validate(directory, frictionless=False))
    return found


def test_a_utf8_byte_order_mark_is_accepted(copy: Path) -> None:
    clean = albru.load(copy)
    for file in ("events.csv", "eras.csv", "datapackage.json"):
        path = copy / file
        put(path, b"\xef\xbb\xbf" + path.read_bytes())
    marked = albru.load(copy)
    for name, frame in clean.tables().items():
        pd.testing.assert_frame_equal(getattr(marked, name), frame)


@pytest.mark.parametrize("file", ["events.csv", "eras.csv", "memberships.csv", "ties.csv"])
def test_header_with_a_trailing_space(copy: Path, file: str) -> None:
    rows = read(copy, file)
    rows[0][-1] += " "
    write(copy, file, rows)
    assert [(p.file, p.line, p.column, p.rule) for p in problems_of(copy)] == [
        (file, 1, rows[0][-1].strip(), "header cell has leading or trailing spaces")]


@pytest.mark.parametrize(("content", "rule"), [
    (b"", "empty file: no header"),
    (b"  \n\t\r\n \n", "empty file: no header"),
    ("era_id,name\n".encode("utf-16"), "encoded as UTF-16; albru reads UTF-8"),
    ("era_id,name\n".encode("utf-16-le"), "full of NUL bytes: UTF-16 or binary, not UTF-8 text"),
])
def test_unreadable_files(copy: Path, content: bytes, rule: str) -> None:
    put(copy / "eras.csv", content)
    assert [(p.file, p.rule) for p in problems_of(copy)] == [("eras.csv", rule)]


def test_empty_key_cell(copy: Path) -> None:
    where = set_cell(copy, "eras.csv", 2, "era_id", "")
    assert [(p.file, p.line, p.column, p.rule) for p in problems_of(copy)] == [
        (*where, "required value is empty")]


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f"])
def test_control_characters_in_text(copy: Path, char: str) -> None:
    where = set_cell(copy, "events.csv", 4, "summary", "A visit" + char + " happened.")
    found = problems_of(copy)
    assert [(p.file, p.line, p.column, p.rule) for p in found] == [
        (*where, "holds a control character")]
    assert f"\\x{ord(char):02x}" in found[0].value


def test_data_path_that_is_a_file(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a\n", encoding="utf-8")
    assert [p.rule for p in problems_of(path)] == ["the data path is a file, not a folder"]


def edit_package(directory: Path, change: Callable[[dict], None]) -> None:
    path = directory / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    change(package)
    put(path, json.dumps(package))


def resource(package: dict, name: str) -> dict:
    return next(r for r in package["resources"] if r["name"] == name)


@pytest.mark.parametrize("path", ["../../../etc/passwd", "/etc/hostname", "sub/../../x.csv"])
def test_resource_paths_outside_the_folder_are_refused(copy: Path, path: str) -> None:
    edit_package(copy, lambda p: resource(p, "ties").__setitem__("path", path))
    assert [(p.file, p.column, p.rule) for p in problems_of(copy)] == [
        ("datapackage.json", "resource ties.path", "must be a file inside the data folder")]


def test_a_link_out_of_the_folder_is_refused(copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_text((copy / "ties.csv").read_text(encoding="utf-8"), encoding="utf-8")
    (copy / "ties.csv").unlink()
    (copy / "ties.csv").symlink_to(outside)
    assert [(p.file, p.rule) for p in problems_of(copy)] == [
        ("ties.csv", "leads out of the data folder (through a symbolic link or '..'); refused")]


@pytest.mark.parametrize(("change", "column", "rule"), [
    (lambda p: p.clear(), "resources", "missing, or not a non-empty list"),
    (lambda p: resource(p, "ties").pop("schema"), "resource ties.schema",
     "missing or not an object"),
    (lambda p: resource(p, "ties")["schema"]["fields"][0].pop("name"),
     "resource ties.schema.fields[0]", "a field needs a name"),
    (lambda p: resource(p, "ties")["schema"]["fields"][0]["constraints"].__setitem__(
        "pattern", "(["), "resource ties.tie_id", "pattern is not a regular expression"),
    (lambda p: resource(p, "ties")["schema"].__setitem__("primaryKey", ["nothing"]),
     "resource ties.primaryKey", "names a field the schema lacks"),
    (lambda p: resource(p, "ties")["schema"]["fields"][3].__setitem__("type", "string"),
     "resource ties.sign", "enum values do not fit type string"),
    (lambda p: resource(p, "ties")["schema"]["fields"][5].__setitem__("edtf", "middle"),
     "resource ties.start", "edtf must be one of point, start, end on a string field"),
    (lambda p: resource(p, "ties")["schema"]["foreignKeys"][0]["reference"].__setitem__(
        "resource", "nowhere"), "resource ties.foreignKeys[0]", "refers to an unknown resource"),
    (lambda p: resource(p, "ties")["schema"]["foreignKeys"][0]["reference"].__setitem__(
        "fields", "nothing"), "resource ties.foreignKeys[0]", "refers to a field actors lacks"),
    (lambda p: p.__setitem__("as_of", "2026-02-30"), "as_of", "not a day written YYYY-MM-DD"),
])
def test_schema_faults_are_named(copy: Path, change: Callable[[dict], None], column: str,
                                 rule: str) -> None:
    edit_package(copy, change)
    found = {(p.file, p.column, p.rule) for p in problems_of(copy)}
    assert ("datapackage.json", column, rule) in found
    assert {file for file, _, _ in found} == {"datapackage.json"}
    assert len(found) <= 2  # a nameless field also leaves the primary key pointing at nothing


@pytest.mark.parametrize("text", [b"[]", b"null", b'{"resources": {}}'])
def test_schema_that_is_not_a_package(copy: Path, text: bytes) -> None:
    put(copy / "datapackage.json", text)
    assert {p.file for p in problems_of(copy)} == {"datapackage.json"}


@pytest.mark.parametrize("file", ["claims.csv", "actor_names.csv", "sources.csv"])
def test_a_table_cut_to_its_header_is_named(copy: Path, file: str) -> None:
    write(copy, file, read(copy, file)[:1])
    found = problems_of(copy)
    assert [str(p) for p in found] == [
        f"{file}: no rows: the table is empty (only a header, or nothing)"]
    code = main_validate(copy)
    assert code == 1


def main_validate(directory: Path) -> int:
    from albru.cli import main
    return main(["validate", str(directory)])


def test_a_date_after_as_of(copy: Path) -> None:
    as_of = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))["as_of"]
    where = set_cell(copy, "events.csv", 3, "date", "2099")
    assert [(p.file, p.line, p.column, p.rule) for p in problems_of(copy)] == [
        (*where, f"after the data's as_of date {as_of}")]


def test_a_cameo_code_outside_the_vocabulary(copy: Path) -> None:
    where = set_cell(copy, "event_types.csv", 2, "cameo", "0999")
    rules = {(p.file, p.line, p.column): p.rule for p in problems_of(copy)}
    assert rules == {where: "not found in cameo.cameo"}


def test_a_goldstein_weight_against_its_code(copy: Path) -> None:
    weight = float(cell(copy, "event_types.csv", 2, "goldstein"))
    where = set_cell(copy, "event_types.csv", 2, "goldstein", str(weight + 1))
    found = problems_of(copy)
    assert [(p.file, p.line, p.column) for p in found] == [where]
    assert found[0].rule.startswith("differs from the Goldstein weight of its CAMEO code")
    assert f"({weight})" in found[0].rule


def test_an_unclosed_quote_is_reported_where_it_opens(copy: Path) -> None:
    rows = read(copy, "events.csv")
    text = text_of(rows[:5]) + '"' + text_of(rows[5:])
    put(copy / "events.csv", text)
    found = problems_of(copy)
    assert [(p.file, p.line) for p in found] == [("events.csv", line_of(rows, 5))]
    assert "not valid CSV" in found[0].rule


def test_the_message_shows_fifty_problems_and_the_total(copy: Path) -> None:
    rows = read(copy, "events.csv")
    at = rows[0].index("date")
    for row in rows[1:]:
        row[at] = "someday"
    write(copy, "events.csv", rows)
    with pytest.raises(albru.AlbruDataError) as caught:
        albru.load(copy)
    total = len(caught.value.problems)
    assert total >= len(rows) - 1 > 50
    lines = str(caught.value).splitlines()
    assert len(lines) == 52
    assert lines[-1] == f"  ... and {total - 50} more ({total} in all)"


def test_read_package_reads_the_resources_asked_for_and_what_they_point_at(
        tmp_path: Path) -> None:
    package = {"resources": [
        {"name": "a", "path": "a.csv", "schema": {"fields": [{"name": "k", "type": "string"}],
                                                  "primaryKey": "k"}},
        {"name": "b", "path": "b.csv", "schema": {
            "fields": [{"name": "k", "type": "string"}, {"name": "a", "type": "string"}],
            "foreignKeys": [{"fields": "a", "reference": {"resource": "a", "fields": "k"}}]}},
        {"name": "c", "path": "c.csv", "schema": {"fields": [{"name": "n", "type": "integer"}]}}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    (tmp_path / "a.csv").write_text("k\nx\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("k,a\n1,y\n", encoding="utf-8")  # y: not a key of a
    (tmp_path / "c.csv").write_text("n\nnot a number\n", encoding="utf-8")
    assert list(albru.read_package(tmp_path, resources=["a"])) == ["a"]  # c is never read
    with pytest.raises(albru.AlbruDataError) as caught:
        albru.read_package(tmp_path, resources=["b"])  # a comes along, so the key is checked
    assert [(p.file, p.column, p.rule) for p in caught.value.problems] == [
        ("b.csv", "a", "not found in a.k")]
    with pytest.raises(ValueError, match="no resource named d"):
        albru.read_package(tmp_path, resources=["a", "d"])


def test_read_package_types_any_package(tmp_path: Path) -> None:
    package = {"resources": [{"name": "t", "path": "t.csv", "schema": {"fields": [
        {"name": "k", "type": "string", "constraints": {"required": True, "unique": True}},
        {"name": "n", "type": "integer"},
        {"name": "when", "type": "string", "edtf": "point"}]}}]}
    (tmp_path / "pkg.json").write_text(json.dumps(package), encoding="utf-8")
    (tmp_path / "t.csv").write_text("k,n,when\na,1,1959-05\nb,,1960\n", encoding="utf-8")
    frames = albru.read_package(tmp_path, "pkg.json")
    t = frames["t"]
    assert t["n"].dtype == "Int64" and t["n"].isna().tolist() == [False, True]
    assert t["end"].tolist() == [pd.Timestamp("1959-05-31"), pd.Timestamp("1960-12-31")]
    (tmp_path / "t.csv").write_text("k,n,when\na,x,1959-05\n", encoding="utf-8")
    with pytest.raises(albru.AlbruDataError, match="t.csv, line 2, column n, value 'x'"):
        albru.read_package(tmp_path, "pkg.json")
