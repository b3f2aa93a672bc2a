"""Provenance checked by the project itself: the article text ships with the data, every locator
citing it stands verbatim in the section it names, and no text of ours repeats nine or more of
its words in a row."""

from __future__ import annotations

import csv
import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import albru
from albru import provenance
from albru.textreuse import ARTICLE_SOURCE, OWN_WORDS_RUN, fold, words

DATA = Path(__file__).resolve().parent.parent / "data"
ARTICLE = DATA / "article" / "albania-russia-relations.txt.gz"


def article_text() -> str:
    """The shipped article copy, decompressed."""
    return gzip.decompress(ARTICLE.read_bytes()).decode("utf-8")


def rows_of(directory: Path, file: str) -> list[list[str]]:
    with (directory / file).open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write(directory: Path, file: str, rows: list[list[str]]) -> None:
    """Write a CSV file as a new file (a copy's files are hard links, see :func:`copy`)."""
    (directory / file).unlink(missing_ok=True)
    with (directory / file).open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def sections() -> dict[str, str]:
    """The article's sections read here independently: headings are lines wrapped in '='."""
    parts = re.split(r"^=+ *(.*?) *=+ *$", article_text(), flags=re.MULTILINE)
    found = {"(lead)": parts[0]}
    found.update(zip(parts[1::2], parts[2::2], strict=True))
    return found


def citing_rows() -> list[tuple[str, int, str, str]]:
    """(file, line, section, locator) of every row citing the article or naming a section."""
    out = []
    for path in sorted(DATA.glob("*.csv")):
        rows = rows_of(DATA, path.name)
        header = rows[0]
        if "locator" not in header:
            continue
        for line, row in enumerate(rows[1:], start=2):
            record = dict(zip(header, row, strict=True))
            if record["section"] or record.get("source_id") == ARTICLE_SOURCE:
                out.append((path.name, line, record["section"], record["locator"]))
    return out


def article_problems(directory: Path) -> list[albru.Problem]:
    return [p for p in albru.validate(directory, frictionless=False)
            if "article" in p.rule or "locator" in p.rule or p.column in ("section", "locator")]


def test_the_article_ships_with_its_attribution() -> None:
    readme = (DATA / "article" / "README.md").read_text(encoding="utf-8")
    wp = next(row for row in rows_of(DATA, "sources.csv")[1:] if row[0] == ARTICLE_SOURCE)
    accessed = wp[rows_of(DATA, "sources.csv")[0].index("accessed")]
    assert "CC BY-SA 4.0" in readme and "Wikipedia contributors" in readme
    assert f"retrieved {accessed}" in readme
    assert article_text().strip()
    assert (albru.data_dir() / "article" / ARTICLE.name).is_file()


def test_every_article_locator_is_in_its_section() -> None:
    known = {fold(name): fold(text) for name, text in sections().items()}
    cited = citing_rows()
    assert len(cited) >= 100
    for file, line, section, locator in cited:
        assert fold(section) in known, f"{file}:{line}: no section {section!r}"
        assert 0 < len(locator.split()) <= 8, f"{file}:{line}: locator {locator!r}"
        assert fold(locator) in known[fold(section)], f"{file}:{line}: {locator!r}"
    assert article_problems(DATA) == []


def test_no_text_of_ours_repeats_nine_words_of_the_article() -> None:
    article = words(article_text())
    seeds = {tuple(article[i:i + OWN_WORDS_RUN]) for i in range(len(article))}
    for path in sorted(DATA.glob("*.csv")):
        rows = rows_of(DATA, path.name)
        columns = [i for i, name in enumerate(rows[0]) if name in (
            "title", "summary", "basis", "note", "check_note", "coding_note")]
        for row in rows[1:]:
            for i in columns:
                ws = words(row[i])
                runs = [ws[k:k + OWN_WORDS_RUN] for k in range(len(ws) - OWN_WORDS_RUN + 1)]
                assert not any(tuple(run) in seeds for run in runs), (path.name, row[0], row[i])


def first_article_row(directory: Path, file: str) -> tuple[list[list[str]], int]:
    rows = rows_of(directory, file)
    header = rows[0]
    i = next(k for k, row in enumerate(rows) if k and row[header.index("section")]
             and row[header.index("source_id")] == ARTICLE_SOURCE)
    return rows, i


@pytest.mark.parametrize("file", ["events.csv", "ties.csv", "memberships.csv", "eras.csv",
                                  "claims.csv", "actor_names.csv"])
def test_a_locator_not_in_its_section_is_named(copy: Path, file: str) -> None:
    rows, i = first_article_row(copy, file)
    at = rows[0].index("locator")
    other = [name for name in sections() if fold(name) != fold(rows[i][rows[0].index("section")])]
    # a phrase of the article that stands in another section only
    phrase = next(" ".join(ws[:5]) for name in other for ws in [sections()[name].split()]
                  if len(ws) >= 5 and fold(" ".join(ws[:5])) not in fold(
                      sections().get(rows[i][rows[0].index("section")], "")))
    rows[i][at] = phrase
    write(copy, file, rows)
    found = article_problems(copy)
    assert [(p.file, p.line, p.column, p.value) for p in found] == [
        (file, i + 1, "locator", phrase)]
    assert found[0].rule.startswith("not found verbatim in the article section")


@pytest.mark.parametrize(("column", "value", "rule"), [
    ("section", "A heading the article lacks", "no section of the article has this heading"),
    ("section", "", "cites the article but names no section"),
    ("locator", "", "cites the article but gives no locator"),
    ("locator", "one two three four five six seven eight nine", "a locator has at most 8 words"),
])
def test_section_and_locator_faults(copy: Path, column: str, value: str, rule: str) -> None:
    rows, i = first_article_row(copy, "events.csv")
    rows[i][rows[0].index(column)] = value
    write(copy, "events.csv", rows)
    assert [(p.line, p.column, p.rule) for p in article_problems(copy)] == [(i + 1, column, rule)]


def article_run(n: int) -> str:
    """n consecutive words of the article (as the own-words rule counts words), from its first
    section."""
    text = next(t for name, t in sections().items() if name != "(lead)")
    return " ".join(words(text)[:n])


@pytest.mark.parametrize(("file", "column"), [("events.csv", "summary"), ("events.csv", "title"),
                                              ("eras.csv", "basis"), ("ties.csv", "note")])
def test_nine_copied_words_are_named_and_eight_are_not(copy: Path, file: str,
                                                       column: str) -> None:
    rows = rows_of(copy, file)
    at = rows[0].index(column)
    rows[2][at] = "In short: " + article_run(8) + " and so on."
    write(copy, file, rows)
    assert albru.validate(copy, frictionless=False) == []
    rows[2][at] = "In short: " + article_run(OWN_WORDS_RUN) + " and so on."
    write(copy, file, rows)
    found = albru.validate(copy, frictionless=False)
    assert [(p.file, p.line, p.column) for p in found] == [(file, 3, column)]
    assert found[0].rule.startswith(f"repeats {OWN_WORDS_RUN} words of the article in a row")


def test_a_missing_article_is_named(copy: Path) -> None:
    (copy / "article" / ARTICLE.name).unlink()
    assert [str(p) for p in albru.validate(copy, frictionless=False)] == [
        "article/albania-russia-relations.txt.gz: file missing; the locators point into it"]


def card_figures() -> dict[str, str]:
    """The technical-validation table of the data card: figure -> value as printed."""
    card = (DATA / "README.md").read_text(encoding="utf-8")
    table = card.split("| figure | value |", 1)[1].split("\n<!--", 1)[0]
    return {cells[0]: cells[1] for cells in
            ([c.strip() for c in line.strip("|").split("|")] for line in table.splitlines()[2:])}


def test_the_data_card_figures_are_those_of_the_files() -> None:
    events = rows_of(DATA, "events.csv")
    claims = [dict(zip(rows_of(DATA, "claims.csv")[0], r, strict=True))
              for r in rows_of(DATA, "claims.csv")[1:]]
    tiers = [dict(zip(rows_of(DATA, "sources.csv")[0], r, strict=True))["tier"]
             for r in rows_of(DATA, "sources.csv")[1:]]
    shown = card_figures()
    assert shown["events"] == str(len(events) - 1)
    fields = {(c["table"], c["record_id"], c["column"]) for c in claims}
    assert shown["claims (rows) / fields with claims"] == f"{len(claims)} / {len(fields)}"
    order = next(k for k in shown if k.startswith("sources: ")).removeprefix("sources: ")
    assert shown[f"sources: {order}"] == " / ".join(
        str(tiers.count(t)) for t in order.split(" / "))


def card_block(name: str) -> str:
    """The text of one generated block of the data card."""
    card = (DATA / "README.md").read_text(encoding="utf-8")
    return card.split(f"<!-- generated:{name} -->\n", 1)[1].split(
        f"\n<!-- /generated:{name} -->", 1)[0]


@pytest.fixture(scope="module")
def card_tables() -> dict[str, str]:
    """The generated blocks as the computation gives them, computed once for every block
    (read only)."""
    return provenance.card_tables(albru.load())


@pytest.mark.parametrize("name", ["figures", "weak", "verification", "corrections", "ties"])
def test_the_generated_card_tables_are_those_of_the_computation(
    name: str, card_tables: dict[str, str]
) -> None:
    assert card_block(name) == card_tables[name]


def test_every_status_agrees_with_the_independence_computation() -> None:
    assert provenance.status_problems(provenance.independent_checks(albru.load())) == []


def test_the_schema_defines_each_status_once() -> None:
    field = albru.load().describe("events").loc["verification"]
    enum = next(f for r in json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))[
        "resources"] if r["name"] == "events" for f in r["schema"]["fields"]
        if f["name"] == "verification")["constraints"]["enum"]
    assert tuple(enum) == provenance.STATUSES
    assert all(field.count(f"{status}:") == 1 for status in enum)


def test_a_copy_of_the_article_or_its_source_is_not_independent(copy: Path) -> None:
    rows = rows_of(copy, "sources.csv")
    header = rows[0]
    mirror = [""] * len(header)
    for column, value in {"source_id": "mirror_study", "citation": "A mirror.", "tier": "news",
                          "derived_from": "loc_cs_1992"}.items():
        mirror[header.index(column)] = value
    write(copy, "sources.csv", [*rows, mirror])
    events = rows_of(copy, "events.csv")
    column = events[0].index("check_source_id")
    at = next(i for i, row in enumerate(events) if row[0] == "E115")
    events[at][column] = "mirror_study"
    write(copy, "events.csv", events)
    table = provenance.independent_checks(albru.load(copy))
    assert table.loc["E115", "checks"][0] == "mirror_study"
    assert not table.loc["E115", "independent"]
    assert provenance.status_problems(table) == ["E115: confirmed but no independent check"]


def test_the_computed_independence_share_is_what_the_card_says() -> None:
    share = provenance.independent_checks(albru.load())["independent"].mean()
    assert f"**{share:.1%}**" in card_block("verification")


def test_old_shape_rows_are_migrated_and_rerunning_changes_nothing(tmp_path: Path) -> None:
    for file in ("events.csv", "sources.csv"):
        rows = rows_of(DATA, file)
        write(tmp_path, file, [rows[0], *rows[1:3], rows[3][:-1]])
    run = [sys.executable, str(DATA / "scripts" / "migrate_checks.py"), str(tmp_path)]
    first = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    assert "events.csv: migrated" in first
    assert [len(r) for r in rows_of(tmp_path, "events.csv")] == [len(rows_of(DATA,
                                                                         "events.csv")[0])] * 4
    second = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    assert second.count("already in shape") == 2
