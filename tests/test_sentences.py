"""Every sentence of the article is accounted for: ``data/sentences.csv`` lists each sentence, by
the one split rule (:func:`albru.textreuse.article_sentences`), with the rows and claims that
code it or the reason it codes nothing."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from albru.dataset import ARTICLE_FILE, article_text
from albru.textreuse import article_sentences, fold, words

DATA = Path(__file__).resolve().parent.parent / "data"
# Tables whose rows can code a sentence, with the column (or columns) that name a row.
CODING = {"events": ("event_id",), "memberships": ("membership_id",), "ties": ("tie_id",),
          "claims": ("claim_id",), "eras": ("era_id",), "actor_names": ("actor_id", "start")}
FILES = ["sentences.csv", *(f"{name}.csv" for name in CODING), ARTICLE_FILE]


def rows_of(directory: Path, file: str) -> list[dict[str, str]]:
    with (directory / file).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def row_id(table: str, row: dict[str, str]) -> str:
    return ":".join(row[c] for c in CODING[table])


def sentence_problems(directory: Path) -> list[str]:
    """What is wrong with the sentence table of a data directory, one line per problem."""
    split = article_sentences(article_text(directory))
    table = rows_of(directory, "sentences.csv")
    problems = []
    listed = [(r["section"], int(r["index"])) for r in table]
    if listed != [(s, i) for s, i, _ in split]:
        problems.append(f"the table lists {len(listed)} sentences, the split rule gives "
                        f"{len(split)} (or their order differs)")
    known = {row_id(t, r) for t in CODING for r in rows_of(directory, f"{t}.csv")}
    text = {(s, i): t for s, i, t in split}
    for r in table:
        where = f"{r['section']} #{r['index']}"
        codes = r["codes"].split()
        if not codes and not r["reason"]:
            problems.append(f"{where}: neither rows nor a reason")
        problems += [f"{where}: no row {c}" for c in codes if c not in known]
        sentence = text.get((r["section"], int(r["index"])), "")
        if fold(r["locator"]) not in fold(sentence) or fold(r["locator"]) == fold(sentence):
            problems.append(f"{where}: locator is not a part of the sentence")
        if not 0 < len(words(r["locator"])) <= 8:
            problems.append(f"{where}: locator of {len(words(r['locator']))} words")
    return problems


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The files the sentence table is checked against, copied."""
    for file in FILES:
        (tmp_path / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DATA / file, tmp_path / file)
    return tmp_path


def edit(directory: Path, change) -> None:
    """Rewrite sentences.csv through ``change`` (a function of its list of rows)."""
    table = rows_of(directory, "sentences.csv")
    fields = list(table[0])
    table = change(table)
    with (directory / "sentences.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)


def test_the_shipped_table_accounts_for_every_sentence() -> None:
    assert sentence_problems(DATA) == []


def test_the_split_rule_keeps_initials_and_breaks_after_quotes() -> None:
    found = article_sentences('He said "no." Then left. See I. B. Tauris.\n== Next ==\nA list item')
    assert [(s, i, t) for s, i, t in found] == [
        ("(lead)", 1, 'He said "no."'), ("(lead)", 2, "Then left."),
        ("(lead)", 3, "See I. B. Tauris."), ("Next", 1, "A list item")]


def test_a_sentence_with_neither_rows_nor_a_reason_is_named(copy: Path) -> None:
    def strip(table):
        table[2].update(codes="", reason="")
        return table
    edit(copy, strip)
    assert sentence_problems(copy) == ["(lead) #3: neither rows nor a reason"]


def test_a_listed_row_that_does_not_exist_is_named(copy: Path) -> None:
    def invent(table):
        table[0]["codes"] += " E999 C998"
        return table
    edit(copy, invent)
    assert sentence_problems(copy) == ["(lead) #1: no row E999", "(lead) #1: no row C998"]


def test_a_missing_sentence_breaks_the_count(copy: Path) -> None:
    edit(copy, lambda table: table[:-1])
    problems = sentence_problems(copy)
    assert len(problems) == 1 and problems[0].startswith("the table lists 129 sentences")


def test_a_whole_sentence_as_locator_is_refused(copy: Path) -> None:
    whole = {(s, i): t for s, i, t in article_sentences(article_text(copy))}

    def spell_out(table):
        table[2]["locator"] = whole[("(lead)", 3)]
        return table
    edit(copy, spell_out)
    assert sentence_problems(copy) == ["(lead) #3: locator is not a part of the sentence"]


def test_every_row_citing_the_article_is_listed_at_its_sentence() -> None:
    split = article_sentences(article_text(DATA))
    codes = {(r["section"], int(r["index"])): r["codes"].split()
             for r in rows_of(DATA, "sentences.csv")}
    unlisted = []
    for table in CODING:
        for r in rows_of(DATA, f"{table}.csv"):
            if not r.get("section"):
                continue
            at = [(s, i) for s, i, t in split
                  if s == r["section"] and fold(r["locator"]) in fold(t)]
            if not at or row_id(table, r) not in codes[at[0]]:
                unlisted.append(row_id(table, r))
    assert unlisted == []
