"""A seeded corruption fuzzer generated from the schema.

For every table and column of ``datapackage.json`` it makes corrupted copies of the real data
(wrong type, empty, duplicated key, dangling key, bad date, a date after ``as_of``, control
characters, stray spaces, bad encodings, stray bytes, cut and broken lines, missing and extra
columns, emptied tables) and, for the schema itself, removes or mistypes each key. Each case
must end one of two ways: ``albru.load()`` raises AlbruDataError naming the file at fault, or it
loads frames identical to the clean load. No other exception is allowed, and ``validate()``
agrees with ``load()``. Copies live in pytest's temporary folder, so nothing is left behind.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import albru

DATA = Path(__file__).resolve().parent.parent / "data"
SCHEMA = "datapackage.json"
SEED = 20261130
#: How many cases are drawn from everything the schema gives rise to.
CASES = 312
#: Every how many cases ``validate()`` is compared with ``load()`` as well.
VALIDATE_EVERY = 7
PACKAGE: dict[str, Any] = json.loads((DATA / SCHEMA).read_text(encoding="utf-8"))
FILES = [SCHEMA] + [r["path"] for r in PACKAGE["resources"]]


@dataclass(frozen=True)
class Case:
    """One corruption: its name, how to apply it to a copy, and the file that must be named
    (None: the load must be identical to the clean one; "either": one or the other)."""

    name: str
    apply: Callable[[Path], None]
    expect: str | None

    @property
    def file(self) -> str:
        """The one file the case changes: the one its name starts with."""
        return self.name.split(":")[0].split(" ")[0]


def _rows(directory: Path, file: str) -> list[list[str]]:
    with (directory / file).open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _text(rows: list[list[str]], **options: Any) -> str:
    out = io.StringIO()
    csv.writer(out, **{"lineterminator": "\n", **options}).writerows(rows)
    return out.getvalue()


def _write(directory: Path, file: str, rows: list[list[str]]) -> None:
    (directory / file).write_text(_text(rows), encoding="utf-8")


def _set(file: str, row: int, column: str, value: Callable[[str], str]) -> Callable[[Path], None]:
    def apply(directory: Path) -> None:
        rows = _rows(directory, file)
        at = rows[0].index(column)
        rows[row][at] = value(rows[row][at])
        _write(directory, file, rows)
    return apply


def _raw(file: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def apply(directory: Path) -> None:
        path = directory / file
        path.write_bytes(change(path.read_bytes()))
    return apply


def _rewrite(file: str, change: Callable[[list[list[str]]], list[list[str]] | str]
             ) -> Callable[[Path], None]:
    def apply(directory: Path) -> None:
        rows = change(_rows(directory, file))
        text = rows if isinstance(rows, str) else _text(rows)
        (directory / file).write_text(text, encoding="utf-8")
    return apply


def _package(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def apply(directory: Path) -> None:
        package = json.loads((directory / SCHEMA).read_text(encoding="utf-8"))
        change(package)
        (directory / SCHEMA).write_text(json.dumps(package), encoding="utf-8")
    return apply


def _cell_cases(rng: random.Random) -> Iterator[Case]:
    """For each column of each table: the corruptions its field's rules must catch."""
    for resource in PACKAGE["resources"]:
        file, schema = resource["path"], resource["schema"]
        rows = _rows(DATA, file)
        header, n = rows[0], len(rows) - 1
        fks = {f for fk in schema.get("foreignKeys", []) for f in
               ([fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"])}
        keys = set(schema.get("primaryKey", [])) | fks
        for spec in schema["fields"]:
            name, kind = spec["name"], spec["type"]
            rules = spec.get("constraints", {})
            filled = [i for i in range(1, n + 1) if rows[i][header.index(name)]]
            if not filled:
                continue
            i = rng.choice(filled)
            at = f"{file}:{name}:{i}"
            yield Case(f"{at} NUL byte", _set(file, i, name, lambda v: v[:1] + "\x00" + v[1:]),
                       file)
            yield Case(f"{at} escape character", _set(file, i, name, lambda v: v + "\x1b"), file)
            if rules.get("required"):
                yield Case(f"{at} empty", _set(file, i, name, lambda v: ""), file)
            if name in keys or "edtf" in spec:
                yield Case(f"{at} stray space", _set(file, i, name, lambda v: v + " "), file)
            wrong = {"integer": "3.5", "number": "1e999", "date": "2026-02-30"}.get(kind)
            if wrong is None and "enum" in rules:
                wrong = "not_in_the_enum"
            elif wrong is None and "pattern" in rules:
                wrong = "!!"
            if wrong is not None:
                yield Case(f"{at} wrong type {wrong!r}", _set(file, i, name, lambda v, w=wrong: w),
                           file)
            if name in fks:
                yield Case(f"{at} dangling key", _set(file, i, name, lambda v: "ZZ_NOWHERE"), file)
            if rules.get("unique") and n > 1:
                other = rows[rng.choice([j for j in filled if j != i] or [i])][header.index(name)]
                if other != rows[i][header.index(name)]:
                    yield Case(f"{at} duplicated key", _set(file, i, name, lambda v, o=other: o),
                               file)
            if "edtf" in spec:
                yield Case(f"{at} impossible day", _set(file, i, name, lambda v: "1959-02-30"),
                           file)
                yield Case(f"{at} after as_of", _set(file, i, name, lambda v: "2099-05-01"), file)
                yield Case(f"{at} not EDTF", _set(file, i, name, lambda v: "spring 1959"), file)


def _table_cases(rng: random.Random) -> Iterator[Case]:
    """For each file: encodings, stray bytes, cut and broken lines, columns, emptied tables."""
    for resource in PACKAGE["resources"]:
        file = resource["path"]
        rows = _rows(DATA, file)
        text = _text(rows)
        i = rng.randrange(1, len(rows))
        col = rng.randrange(len(rows[0]))
        yield Case(f"{file} UTF-8 byte order mark", _raw(file, lambda b: b"\xef\xbb\xbf" + b),
                   None)
        yield Case(f"{file} CRLF line ends", _rewrite(
            file, lambda r: _text(r, lineterminator="\r\n")), None)
        yield Case(f"{file} every cell quoted", _rewrite(
            file, lambda r: _text(r, quoting=csv.QUOTE_ALL)), None)
        yield Case(f"{file} UTF-16 with BOM", _raw(file, lambda b: b.decode().encode("utf-16")),
                   file)
        yield Case(f"{file} UTF-16 without BOM", _raw(
            file, lambda b: b.decode().encode("utf-16-le")), file)
        try:
            text.encode("cp1252")
        except UnicodeEncodeError:
            pass  # not every character has a Windows-1252 byte: the case does not arise
        else:
            yield Case(f"{file} Windows-1252", _raw(file, lambda b: b.decode().encode("cp1252")),
                       None if text.isascii() else file)
        cut = len(text.split("\n")[0]) + 3
        yield Case(f"{file} stray bytes", _raw(file, lambda b, k=cut: b[:k] + b"\xff\xfe" + b[k:]),
                   file)
        yield Case(f"{file} empty file", _raw(file, lambda b: b""), file)
        yield Case(f"{file} only whitespace", _raw(file, lambda b: b"  \n\t\n \n"), file)
        yield Case(f"{file} only the header", _rewrite(file, lambda r: r[:1]), file)
        yield Case(f"{file} header space", _rewrite(
            file, lambda r, c=col: [[*r[0][:c], r[0][c] + " ", *r[0][c + 1:]], *r[1:]]), file)
        yield Case(f"{file} column dropped", _rewrite(
            file, lambda r, c=col: [row[:c] + row[c + 1:] for row in r]), file)
        yield Case(f"{file} column added", _rewrite(
            file, lambda r: [[*r[0], "extra"]] + [[*row, "x"] for row in r[1:]]), file)
        if len(rows[0]) > 1:
            yield Case(f"{file} columns swapped", _rewrite(
                file, lambda r: [[row[1], row[0], *row[2:]] for row in r]), file)
        yield Case(f"{file} row repeated", _rewrite(file, lambda r, k=i: [*r, r[k]]), file)
        yield Case(f"{file} last line cut", _rewrite(
            file, lambda r: _text(r)[:_text(r).rstrip("\n").rfind("\n") + 1]
            + r[-1][0] + ",\n"), file)
        yield Case(f"{file} unclosed quote", _rewrite(
            file, lambda r, k=i: _text(r[:k]) + '"' + _text(r[k:])), file)
        yield Case(f"{file} blank line", _rewrite(
            file, lambda r, k=i: _text(r[:k]) + "\n" + _text(r[k:])), file)
        yield Case(f"{file} missing", lambda d, f=file: (d / f).unlink(), file)
        yield Case(f"{file} a folder", lambda d, f=file: ((d / f).unlink(), (d / f).mkdir()), file)
        yield Case(f"{file} link outside", lambda d, f=file: (
            (d / f).unlink(), (d / f).symlink_to(d.parent / "outside.csv")), file)


#: Keys whose removal must fail (albru needs them), and whose removal changes no frame.
_NEEDED = {"resources", "name", "path", "schema", "fields", "type", "reference", "edtf"}
_METADATA = {"title", "description", "profile", "format", "encoding", "licenses", "sources",
             "version", "homepage", "as_of", "required", "unique", "pattern", "minimum",
             "maximum"}


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every key of the schema with its path, not inside licences or sources lists."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key), item
            if key not in ("licenses", "sources", "enum"):
                yield from _nodes(item, (*path, key))
    elif isinstance(value, list):
        for k, item in enumerate(value):
            yield from _nodes(item, (*path, k))


def _wrong(value: Any) -> Any:
    """A JSON value of another type than ``value``."""
    if isinstance(value, bool):
        return "yes"
    if isinstance(value, str):
        return 7
    if isinstance(value, (int, float)):
        return "seven"
    return "x" if isinstance(value, (list, dict)) else [value]


def _schema_cases() -> Iterator[Case]:
    """Each key of the schema removed or given a value of another type."""
    for path, value in _nodes(PACKAGE):
        key = path[-1]
        if isinstance(key, int):
            continue
        where = ".".join(map(str, path))

        def at(package: dict[str, Any], p: tuple[Any, ...] = path) -> Any:
            for step in p[:-1]:
                package = package[step]
            return package

        def mistype(package: dict[str, Any], p: tuple[Any, ...] = path) -> None:
            at(package, p)[p[-1]] = _wrong(at(package, p)[p[-1]])

        def remove(package: dict[str, Any], p: tuple[Any, ...] = path) -> None:
            del at(package, p)[p[-1]]

        yield Case(f"{SCHEMA} {where} mistyped", _package(mistype), SCHEMA)
        if key in _NEEDED and len(path) > 1:
            yield Case(f"{SCHEMA} {where} removed", _package(remove), SCHEMA)
        elif key in _METADATA or key in ("name", "foreignKeys", "primaryKey"):
            yield Case(f"{SCHEMA} {where} removed", _package(remove), "either")
    yield Case(f"{SCHEMA} a list", _raw(SCHEMA, lambda b: b"[]"), SCHEMA)
    yield Case(f"{SCHEMA} null", _raw(SCHEMA, lambda b: b"null"), SCHEMA)
    yield Case(f"{SCHEMA} cut", _raw(SCHEMA, lambda b: b[: len(b) // 2]), SCHEMA)
    yield Case(f"{SCHEMA} Latin-1 byte", _raw(SCHEMA, lambda b: b.replace(b"Albania", b"Alb\xe0",
                                                                           1)), SCHEMA)
    for bad in ("../../../etc/passwd", "/etc/hostname", "..\\events.csv"):
        yield Case(f"{SCHEMA} path {bad}", _package(
            lambda p, b=bad: p["resources"][5].__setitem__("path", b)), SCHEMA)
    yield Case(f"{SCHEMA} bad pattern", _package(lambda p: p["resources"][0]["schema"]["fields"][
        0]["constraints"].__setitem__("pattern", "([a-z")), SCHEMA)
    yield Case(f"{SCHEMA} foreign key to an unknown resource", _package(
        lambda p: p["resources"][5]["schema"]["foreignKeys"][0]["reference"].__setitem__(
            "resource", "nowhere")), SCHEMA)
    yield Case(f"{SCHEMA} foreign key to an unknown field", _package(
        lambda p: p["resources"][5]["schema"]["foreignKeys"][0]["reference"].__setitem__(
            "fields", "nothing")), SCHEMA)
    yield Case(f"{SCHEMA} unknown edtf role", _package(
        lambda p: p["resources"][5]["schema"]["fields"][1].__setitem__("edtf", "middle")), SCHEMA)
    yield Case(f"{SCHEMA} primary key on an unknown field", _package(
        lambda p: p["resources"][1]["schema"].__setitem__("primaryKey", ["nothing"])), SCHEMA)
    yield Case(f"{SCHEMA} type against its constraints", _package(
        lambda p: p["resources"][3]["schema"]["fields"][2].__setitem__("type", "string")), SCHEMA)


def all_cases() -> list[Case]:
    """A seeded draw of CASES from every case the schema gives rise to: a third each from the
    cell, the table and the schema cases."""
    rng = random.Random(SEED)
    kinds = [list(_cell_cases(rng)), list(_table_cases(rng)), list(_schema_cases())]
    drawn = [rng.sample(cases, min(len(cases), CASES // 3)) for cases in kinds]
    return [case for cases in drawn for case in cases]


CASE_LIST = all_cases()


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, albru.Dataset]]:
    """A copy of the data files albru reads, and their clean load; at the end, a check that no
    case changed the copy (the cases' folders link to its files)."""
    directory = tmp_path_factory.mktemp("clean") / "data"
    directory.mkdir()
    for file in FILES:
        shutil.copy(DATA / file, directory / file)
    yield directory, albru.load(directory)
    assert [(directory / file).read_bytes() for file in FILES] == [
        (DATA / file).read_bytes() for file in FILES]


@pytest.fixture(scope="module")
def cases_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding one folder per case (cheaper than a tmp_path each)."""
    return tmp_path_factory.mktemp("cases")


def test_enough_cases_of_every_kind() -> None:
    assert len(CASE_LIST) >= 300
    assert len({case.name for case in CASE_LIST}) == len(CASE_LIST)
    expected = [case.expect for case in CASE_LIST]
    assert expected.count(None) >= 15 and expected.count("either") >= 15
    assert expected.count(SCHEMA) >= 50
    assert {case.expect for case in CASE_LIST} >= set(FILES)
    assert {case.file for case in CASE_LIST} == set(FILES)


@pytest.mark.parametrize("number", range(len(CASE_LIST)),
                         ids=[case.name for case in CASE_LIST])
def test_corruption(number: int, clean: tuple[Path, albru.Dataset], cases_folder: Path) -> None:
    case = CASE_LIST[number]
    source, reference = clean
    directory = cases_folder / str(number) / "data"
    # The files the case leaves alone are hard links to the clean copy's (the same bytes, read
    # the same way); the one it changes is a copy of its own.
    shutil.copytree(source, directory, copy_function=os.link)
    (directory / case.file).unlink()
    shutil.copyfile(source / case.file, directory / case.file)
    (directory.parent / "outside.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    case.apply(directory)
    try:
        loaded = albru.load(directory)
    except albru.AlbruDataError as error:
        assert case.expect is not None, f"an accepted change failed to load:\n{error}"
        files = {problem.file for problem in error.problems}
        if case.expect != "either":
            assert case.expect in files, str(error)
        assert len(str(error).splitlines()) <= albru.validation.MAX_SHOWN + 2
        if number % VALIDATE_EVERY == 0:
            found = albru.validate(directory, frictionless=False)
            assert set(error.problems) <= set(found)
        return
    assert case.expect in (None, "either"), f"{case.name} loaded without an error"
    for name, frame in reference.tables().items():
        pd.testing.assert_frame_equal(getattr(loaded, name), frame, obj=name)
