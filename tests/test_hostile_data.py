"""Hostile data folders (issue 27): the data folder is a closed world, and any input ends, in
bounded time and memory, in a result or one clear line naming file, row, column and rule.

Real files, symbolic links and FIFOs are made in a temporary folder. A hang is detected by
running the command with a generous timeout (a hang check, not a speed measurement): in a
child process, or in a thread where what would hang is a wait on a FIFO, which a writer ends;
a network request by making every connection attempt fail and recording it.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import shutil
import subprocess
import sys
import threading
import tracemalloc
from pathlib import Path

import pandas as pd
import pytest

import albru
from albru import cli, dates, reader, textreuse
from albru.dataset import read_tables

DATA = Path(__file__).resolve().parent.parent / "data"
#: Seconds a child process may take before it counts as hung (it needs about one).
HANG = 60


def own(path: Path) -> Path:
    """Make a file of a copy a file of its own with the same bytes, not a link to the clean
    copy's, so that it can be changed in place; return its path."""
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data)
    return path



def schema_of(directory: Path) -> dict:
    return json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))


def save(directory: Path, package: dict) -> None:
    (directory / "datapackage.json").unlink(missing_ok=True)  # never written through a link
    (directory / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")


def resource(package: dict, name: str) -> dict:
    return next(r for r in package["resources"] if r["name"] == name)


def tiny(directory: Path, field: dict, cells: list[str]) -> Path:
    """A package of one table ``t`` with one field and the given cells."""
    directory.mkdir(exist_ok=True)
    save(directory, {"resources": [{"name": "t", "path": "t.csv",
                                    "schema": {"fields": [field]}}]})
    (directory / "t.csv").write_text("\n".join([field["name"], *cells]) + "\n", encoding="utf-8")
    return directory


def one_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run the command in this process; it must exit 1 and print one line on stderr."""
    assert cli.main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


# --- the network: nothing is fetched ------------------------------------------------------------

URL = "http://127.0.0.1:9/remote.json"


@pytest.mark.parametrize(("change", "column"), [
    (lambda p: p.update(profile=URL), "profile"),
    (lambda p: resource(p, "ties").update(profile=URL), "resource ties.profile"),
    (lambda p: resource(p, "ties").update(dialect=URL), "resource ties.dialect"),
    (lambda p: resource(p, "ties").update(schema=URL), "resource ties.schema"),
    (lambda p: resource(p, "ties")["schema"]["foreignKeys"][0]["reference"].update(package=URL),
     "resource ties.foreignKeys[0]"),
])
def test_a_remote_reference_is_refused_without_a_request(
        copy: Path, no_network: list[str], change, column: str) -> None:
    package = schema_of(copy)
    change(package)
    save(copy, package)
    problems = albru.validate(copy)
    assert no_network == [], f"albru tried to connect: {no_network}"
    assert [(p.file, p.column, p.value) for p in problems] == [
        ("datapackage.json", column, URL)]
    assert "not follow" in problems[0].rule or "another package" in problems[0].rule


# --- links and special files ----------------------------------------------------------------------

SECRET = "secret_key,BEGIN PRIVATE KEY do not print me\n"


def test_a_resource_through_a_linked_folder_prints_none_of_its_lines(
        copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "ties.csv").write_text(SECRET * 3, encoding="utf-8")
    (copy / "linked").symlink_to(outside, target_is_directory=True)
    package = schema_of(copy)
    resource(package, "ties")["path"] = "linked/ties.csv"
    save(copy, package)
    problems = albru.validate(copy)
    assert [(p.file, p.rule) for p in problems if p.file.startswith("linked")] == [
        ("linked/ties.csv",
         "leads out of the data folder (through a symbolic link or '..'); refused"),
        ("linked", "leads out of the data folder (through a symbolic link or '..'); refused")]
    assert not any("PRIVATE" in str(p) or "secret" in str(p) for p in problems)


def test_a_stray_link_out_of_the_folder_is_refused(copy: Path, tmp_path: Path) -> None:
    key = tmp_path / "id_rsa"
    key.write_text(SECRET, encoding="utf-8")
    (copy / "notes.csv").symlink_to(key)
    (copy / "external" / "nowhere.csv").symlink_to(tmp_path / "gone.csv")
    found = [(p.file, p.rule) for p in albru.validate(copy, frictionless=False)]
    assert found == [
        ("external/nowhere.csv", "a symbolic link that leads nowhere; refused"),
        ("notes.csv", "leads out of the data folder (through a symbolic link or '..'); refused")]
    with pytest.raises(albru.AlbruDataError, match="notes.csv: leads out of the data folder"):
        albru.load(copy)


def test_a_link_that_stays_inside_is_followed(copy: Path) -> None:
    (copy / "tables").mkdir()
    (copy / "ties.csv").rename(copy / "tables" / "ties.csv")
    (copy / "ties.csv").symlink_to(Path("tables") / "ties.csv")
    assert albru.validate(copy, frictionless=False) == []


def test_a_symlink_loop_ends_in_one_problem(copy: Path, capsys) -> None:
    (copy / "ties.csv").unlink()
    (copy / "ties.csv").symlink_to("loop.csv")
    (copy / "loop.csv").symlink_to("ties.csv")
    with pytest.raises(albru.AlbruDataError) as caught:
        albru.load(copy)
    assert ("ties.csv", "a loop of symbolic links; refused") in {
        (p.file, p.rule) for p in caught.value.problems}
    line = one_line(capsys, ["info", str(copy)])
    assert "a loop of symbolic links" in line or "ties.csv" in line


@pytest.mark.parametrize("file", ["t.csv", "datapackage.json"])
def test_a_fifo_is_refused_without_opening_it(tmp_path: Path, file: str, capsys) -> None:
    directory = tiny(tmp_path / "d", {"name": "k", "type": "string"}, ["x"])
    fifo = directory / file
    fifo.unlink()
    os.mkfifo(fifo)
    # The command runs in a thread of this process (a child would cost a fresh interpreter):
    # opening the FIFO would wait for a writer for ever, so a thread still running after HANG
    # seconds has opened it; one is then opened to let it end.
    status: list[int] = []
    run = threading.Thread(target=lambda: status.append(cli.main(["validate", str(directory)])),
                           daemon=True)
    run.start()
    run.join(HANG)
    if run.is_alive():
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail(f"albru validate hung on the FIFO {file}")
    out, err = capsys.readouterr()
    assert status == [1], err
    assert f"{file}: a FIFO, not a regular file; refused without opening it" in out
    assert "Traceback" not in err


def test_a_stray_fifo_is_refused(copy: Path) -> None:
    os.mkfifo(copy / "external" / "pipe")
    assert [str(p) for p in albru.validate(copy, frictionless=False)] == [
        "external/pipe: a FIFO in the data folder; refused"]


# --- malformed paths and schemas end in one line ------------------------------------------------


def test_a_nul_byte_in_a_path_is_one_problem(copy: Path, capsys) -> None:
    package = schema_of(copy)
    resource(package, "ties")["path"] = "ties\x00.csv"
    save(copy, package)
    with pytest.raises(albru.AlbruDataError) as caught:
        albru.load(copy)
    assert [(p.file, p.column, p.rule) for p in caught.value.problems] == [
        ("datapackage.json", "resource ties.path", "must be a file inside the data folder")]
    assert "resource ties.path, value 'ties\\\\x00.csv': must be a file inside" in one_line(
        capsys, ["info", str(copy)])


def test_a_schema_nested_2000_levels_deep_is_one_problem(copy: Path, capsys) -> None:
    text = (copy / "datapackage.json").read_text(encoding="utf-8")
    deep = "[" * 2000 + "]" * 2000
    own(copy / "datapackage.json").write_text(text.rstrip()[:-1] + f', "x": {deep}}}',
                                           encoding="utf-8")
    assert [str(p) for p in albru.validate(copy)] == [
        "datapackage.json: nested deeper than 32 levels; refused"]
    assert one_line(capsys, ["info", str(copy)]).endswith(
        "datapackage.json: nested deeper than 32 levels; refused; run `albru validate` for the "
        "full list")


def test_a_number_of_5000_digits_in_the_schema_is_one_problem(copy: Path, capsys) -> None:
    text = (copy / "datapackage.json").read_text(encoding="utf-8")
    own(copy / "datapackage.json").write_text(text.rstrip()[:-1] + f', "x": {"1" * 5000}}}',
                                           encoding="utf-8")
    assert [str(p) for p in albru.validate(copy)] == [
        ("datapackage.json: not readable JSON: Exceeds the limit (4300 digits) for integer "
        "string conversion")]
    assert "not readable JSON" in one_line(capsys, ["info", str(copy)])


# --- bounded work ---------------------------------------------------------------------------------


def test_a_pattern_that_backtracks_for_ever_is_refused(tmp_path: Path) -> None:
    field = {"name": "k", "type": "string", "constraints": {"pattern": "^(a+)+$"}}
    directory = tiny(tmp_path / "d", field, ["a" * 40 + "!"])  # 2**40 ways to fail
    done = subprocess.run(
        [sys.executable, "-c", ("import sys, albru; from albru.dataset import read_tables;"
         f"print(*read_tables({str(directory)!r})[2], sep='\\n')")],
        capture_output=True, text=True, timeout=HANG, check=False)
    assert done.stdout.splitlines() == [
        ("datapackage.json, column resource t.k, value '^(a+)+$': pattern nests a quantifier "
        "in a quantified group; it could backtrack for ever")]


def test_a_long_cell_is_not_matched_against_a_pattern(tmp_path: Path) -> None:
    field = {"name": "k", "type": "string", "constraints": {"pattern": "^[a-z]*$"}}
    directory = tiny(tmp_path / "d", field, ["a" * 1001, "b"])
    with pytest.raises(albru.AlbruDataError) as caught:
        albru.read_package(directory)
    assert [(p.line, p.rule) for p in caught.value.problems] == [
        (2, "longer than 1000 characters, the most matched against a pattern")]


def peak_of_validate(directory: Path) -> tuple[list[albru.Problem], int]:
    """The problems of a folder and the peak memory (bytes) Python allocated finding them."""
    tracemalloc.start()
    try:
        problems = albru.validate(directory, frictionless=False)
        return problems, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_long_edtf_set_is_refused_unparsed(tmp_path: Path) -> None:
    long = "[" + ",".join(str(year) for year in range(1912, 1933)) + "]"  # a valid EDTF set
    field = {"name": "d", "type": "string", "edtf": "point"}
    with pytest.raises(albru.AlbruDataError) as caught:
        albru.read_package(tiny(tmp_path / "d", field, ["1912", f'"{long}"']))
    assert [(p.line, p.rule) for p in caught.value.problems] == [
        (3, "longer than 64 characters; not an EDTF date albru reads")]


def test_the_edtf_parser_is_called_a_bounded_number_of_times(tmp_path: Path,
                                                             monkeypatch) -> None:
    monkeypatch.setattr(dates, "MAX_EDTF_PARSED", 2)  # the rule of the 1,000 limit, small
    field = {"name": "d", "type": "string", "edtf": "point"}
    cells = ["1912-21", "1913~", "1912", "1914~", "1914~", "1915?"]
    with pytest.raises(albru.AlbruDataError) as caught:
        albru.read_package(tiny(tmp_path / "d", field, cells))
    assert [(p.line, p.value) for p in caught.value.problems] == [
        (5, "1914~"), (6, "1914~"), (7, "1915?")]
    assert caught.value.problems[0].rule == (
        "one of more than 2 distinct dates that are not plain days, months, years or decades; "
        "not parsed")


def test_a_huge_cell_is_one_problem(tmp_path: Path) -> None:
    # The csv module's limit is global, and importing frictionless raises it to 20 MB: once
    # albru.validate had run, a cell of any size was read (issue 27).
    import frictionless  # noqa: F401 - raises the csv module's limit, as validate() does

    directory = tiny(tmp_path / "d", {"name": "k", "type": "string"}, ["x", "y" * 200_000])
    with pytest.raises(albru.AlbruDataError) as caught:
        albru.read_package(directory)
    assert [(p.file, p.line) for p in caught.value.problems] == [("t.csv", 3)]
    assert "field larger than field limit" in caught.value.problems[0].rule


def test_a_gzip_bomb_is_refused_in_bounded_memory(copy: Path) -> None:
    clean = peak_of_validate(copy)[1]
    member = gzip.compress(b"\0" * 2**20)  # 1 MiB of NULs in about a kilobyte
    own(copy / "article" / "albania-russia-relations.txt.gz").write_bytes(member * 64)
    problems, peak = peak_of_validate(copy)
    assert [str(p) for p in problems] == [
        ("article/albania-russia-relations.txt.gz: decompresses to more than 4194304 bytes, the "
        "most albru reads; refused")]
    assert peak - clean < 16 * 2**20  # the 64 MiB it would decompress to is never held


def test_a_file_over_the_size_limit_is_refused_unread(copy: Path) -> None:
    with own(copy / "ties.csv").open("r+b") as handle:
        handle.truncate(65 * 2**20)  # sparse: no disk, and nothing of it is read
    found = [(p.file, p.rule) for p in albru.validate(copy, frictionless=False)
             if p.file == "ties.csv"]
    assert found == [("ties.csv", "larger than 67108864 bytes, the most albru reads; refused")]


def test_a_table_over_the_row_limit_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(reader, "MAX_ROWS", 100)  # the rule of the million-row limit, small
    directory = tiny(tmp_path / "d", {"name": "k", "type": "string"}, ["x"] * 150)
    with pytest.raises(albru.AlbruDataError) as caught:
        albru.read_package(directory)
    assert [str(p) for p in caught.value.problems] == [
        "t.csv, line 102: more than 100 rows, the most albru reads in one table; refused"]
    assert albru.read_package(tiny(tmp_path / "e", {"name": "k", "type": "string"},
                                   ["x"] * 100))["t"].shape == (100, 1)


def test_many_duplicates_are_listed_to_a_cap_and_counted(tmp_path: Path, capsys) -> None:
    field = {"name": "k", "type": "string"}
    directory = tiny(tmp_path / "d", field, ["same"] * 5000)
    package = schema_of(directory)
    package["resources"][0]["schema"]["primaryKey"] = "k"
    save(directory, package)
    with pytest.raises(albru.AlbruDataError) as caught:
        albru.read_package(directory)
    problems = caught.value.problems
    assert len(problems) == 1001
    assert problems[0] == albru.Problem("t.csv", 3, "k", "same", "duplicate of line 2")
    assert problems[-1] == albru.Problem(
        "t.csv", 1003, "k", None, "and 3999 more rows break this rule (the same kind), not "
        "listed (4999 in all)", 3999)
    assert str(caught.value).splitlines()[0] == "4999 problems in the albru data:"
    assert cli.main(["validate", str(directory)]) == 1  # t is no albru table: ten more lines
    out, err = capsys.readouterr()
    listed = out.splitlines()
    assert len([line for line in listed if line.startswith("t.csv")]) == 1001
    assert err.strip().startswith(f"{4999 + len(listed) - 1001} problem(s) in ")


# --- tables kept between loads: known by their bytes, never by a name or a time -----------------


def test_a_file_rewritten_with_the_same_size_and_time_is_read_again(copy: Path) -> None:
    path = own(copy / "ties.csv")
    albru.load(copy)  # every table is kept now
    stamp = path.stat()
    text = path.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if ",1," in line)
    path.write_text(text.replace(row, row.replace(",1,", ",2,", 1), 1), encoding="utf-8")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # same size, same time
    assert path.stat().st_size == stamp.st_size
    found = [(p.file, p.column, p.value) for p in albru.validate(copy, frictionless=False)]
    assert found == [("ties.csv", "sign", "2")]


def test_a_copy_and_a_link_read_the_same_as_the_original(copy: Path, tmp_path: Path) -> None:
    original = albru.load(copy)
    linked = tmp_path / "linked"
    linked.symlink_to(copy, target_is_directory=True)
    for folder in (shutil.copytree(copy, tmp_path / "second"), linked):
        again = albru.load(folder)
        for name, frame in original.tables().items():
            pd.testing.assert_frame_equal(frame, again.tables()[name])
    (tmp_path / "second" / "eras.csv").write_text("era_id\n", encoding="utf-8")
    assert {p.file for p in albru.validate(tmp_path / "second", frictionless=False)} == {
        "eras.csv"}
    assert albru.validate(copy, frictionless=False) == []


def test_a_table_handed_out_cannot_change_the_next_load(copy: Path) -> None:
    tables = read_tables(copy)[1]
    ties = tables["ties"]
    with pytest.raises(ValueError, match="read-only"):
        ties.fits["sign"][0] = False
    sign = ties.cells.loc[0, "sign"]
    ties.cells.loc[0, "sign"] = "nine"  # the kept table's frames are not this one's
    ties.frame.loc[0, "sign"] = 9
    ties.dates["start"].loc[0, "start"] = pd.NaT
    ties.frame = ties.frame.iloc[:0]
    again = read_tables(copy)
    assert again[2] == []
    assert again[1]["ties"].cells.loc[0, "sign"] == sign
    assert again[1]["ties"].frame.loc[0, "sign"] == int(sign)
    assert again[1]["ties"].dates["start"]["start"].notna().all()
    pd.testing.assert_frame_equal(albru.load(copy).ties, albru.load().ties)


def test_a_table_changed_after_reading_is_judged_as_it_is_now(copy: Path) -> None:
    article = albru.dataset.article_text(copy)
    tables = read_tables(copy)[1]
    assert albru.validate(copy, frictionless=False) == []  # the article's verdict is kept
    copied = " ".join(textreuse.words(article)[:textreuse.OWN_WORDS_RUN])
    tables["events"].cells.loc[0, "title"] = copied
    tables["events"].values.pop("title")  # the text cells as they are now
    found = textreuse.check_article(tables, article, "a.txt")
    assert [(p.column, p.value) for p in found] == [("title", copied)]


def test_the_tables_kept_are_bounded(tmp_path: Path) -> None:
    field = {"name": "k", "type": "string"}
    for i in range(reader.KEPT_TABLES + 5):
        albru.read_package(tiny(tmp_path / f"d{i}", field, [f"x{i}"]))
    assert len(reader._KEPT) <= reader.KEPT_TABLES
    big = tiny(tmp_path / "big", field, ["y" * 1000] * (reader.KEPT_BYTES // 8 // 1000 + 1))
    kept = dict(reader._KEPT)
    assert albru.read_package(big)["t"].shape[0] > reader.KEPT_BYTES // 8 // 1000
    assert reader._KEPT == kept  # a large file is read each time and evicts nothing


def test_a_table_unchanged_is_judged_again_against_a_changed_one(copy: Path) -> None:
    assert albru.validate(copy, frictionless=False) == []  # every verdict is kept now
    actors = (copy / "actors.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    own(copy / "actors.csv").write_text("".join(
        line for line in actors if not line.startswith("ALB,")), encoding="utf-8")
    eras = (copy / "eras.csv").read_text(encoding="utf-8")
    own(copy / "eras.csv").write_text(eras.replace(",1912,1917-11-07,", ",1913,1917-11-07,", 1),
                                   encoding="utf-8")
    found = {(p.file, p.rule) for p in albru.validate(copy, frictionless=False)}
    assert ("events.csv", "not found in actors.actor_id") in found  # events.csv is unchanged
    assert ("events.csv", "lies in no era") in found


def test_a_dataset_changed_in_place_cannot_change_the_next_load(copy: Path) -> None:
    first = albru.load(copy)
    clean = {name: frame.copy() for name, frame in first.tables().items()}
    first.events.loc[0, "title"] = "changed"
    del first.eras["basis"]
    first.ties["sign"] = 0
    for name, frame in albru.load(copy).tables().items():
        pd.testing.assert_frame_equal(frame, clean[name])
