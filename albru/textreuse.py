"""The article checks: every locator stands verbatim in the section of the shipped article it
names, and no text written in our own words repeats a run of the article's words.

The article is Wikipedia's "Albania–Russia relations", shipped gzip-compressed in
``data/article/`` (read through :func:`albru.files.read_gzip_text`, so its decompressed size
is bounded). Texts are compared after :func:`fold`; a run of OWN_WORDS_RUN words shared with
the article counts as copied.

>>> copied_runs("a b", _shingles("a b c"))
[]
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from albru.problems import MAX_LISTED, Problem
from albru.reader import Table

__all__ = ["ARTICLE_SOURCE", "OWN_WORDS_RUN", "article_sections", "article_sentences",
           "check_article", "copied_runs", "fold", "words"]

#: The source id of the Wikipedia article whose text ships in ``data/article/``.
ARTICLE_SOURCE = "wp_article"
#: Runs of this many words shared with the article count as copied.
OWN_WORDS_RUN = 9
# Columns written in our own words, checked against the article.
_OWN_WORDS_COLUMNS = ("title", "summary", "basis", "note", "check_note", "coding_note")
_LOCATOR_WORDS = 8
_WORD = re.compile(r"[0-9A-Za-zÀ-ÿ]+(?:['’][A-Za-z]+)?")
_HEADING = re.compile(r"^=+\s*(.*?)\s*=+$")
# Where a line of the article splits into sentences: the white space after a full stop, question
# or exclamation mark (a closing quote or bracket may follow the mark) when a capital letter, a
# digit or an opening quote or bracket comes next; never after a lone capital (an initial, "I. B.").
_SENTENCE_BREAK = re.compile(
    "(?:(?<=[.!?])|(?<=[.!?][\"\u201d\u2019)\\]]))(?<!\\b[A-Z]\\.)\\s+(?=[\"\u201c\u2018(\\[]?[A-Z0-9])")


def fold(text: str) -> str:
    """Text folded for comparison: curly quotes and dashes made plain, spaces collapsed, lower case.

    >>> fold("Tito\u2013Stalin  split\u2019s")
    "tito-stalin split's"
    """
    for curly, plain in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'),
                         ("\u2013", "-"), ("\u2014", "-")):
        text = text.replace(curly, plain)
    return re.sub(r"\s+", " ", text).strip().lower()


def words(text: str) -> list[str]:
    """The words of a text, lower case, as the own-words rule counts them.

    >>> words("Hoxha's visit, in 1947.")
    ["hoxha's", 'visit', 'in', '1947']
    """
    return [w.lower() for w in _WORD.findall(text)]


def article_sections(text: str) -> dict[str, str]:
    """The article's sections, folded, by folded heading; the text before the first heading is
    ``(lead)``.

    >>> sorted(article_sections("Intro.\\n== History ==\\nIn 1924 ties began.\\n"))
    ['(lead)', 'history']
    """
    out: dict[str, str] = {}
    name, lines = "(lead)", []
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            out[fold(name)] = fold("\n".join(lines))
            name, lines = heading.group(1), []
        else:
            lines.append(line)
    out[fold(name)] = fold("\n".join(lines))
    return out



def article_sentences(text: str) -> list[tuple[str, int, str]]:
    """The article's sentences as ``(section, index, sentence)``, by the one rule the sentence
    table (``sentences.csv``) is built on.

    A section is the text under a heading (its name as written, ``(lead)`` before the first).
    Each non-empty line of a section is split at the white space after a full stop, question or
    exclamation mark (a closing quote or bracket may follow the mark) when a capital letter, a
    digit or an opening quote or bracket comes next, but never after a lone capital letter (an
    initial). A line with no such break (an item of a list) is one sentence. Indexes count from
    1 within each section; white space inside a sentence is kept as written.

    >>> text = 'Ties began. Then "they" lapsed!\\n== On ==\\nSee I. B. Tauris.'
    >>> for found in article_sentences(text):
    ...     print(found)
    ('(lead)', 1, 'Ties began.')
    ('(lead)', 2, 'Then "they" lapsed!')
    ('On', 1, 'See I. B. Tauris.')
    """
    out: list[tuple[str, int, str]] = []
    name, index = "(lead)", 0
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            name, index = heading.group(1), 0
            continue
        for sentence in _SENTENCE_BREAK.split(line.strip()):
            if sentence:
                index += 1
                out.append((name, index, sentence))
    return out

def copied_runs(text: str, shingles: set[str], run: int = OWN_WORDS_RUN) -> list[str]:
    """The runs of ``run`` or more consecutive words of ``text`` found among ``shingles`` (the
    article's runs of ``run`` words).

    >>> article = "one two three four five six seven eight nine ten"
    >>> copied_runs("so one two three four five six seven eight nine", _shingles(article))
    ['one two three four five six seven eight nine']
    """
    ws = words(text)
    hits, i = [], 0
    while i <= len(ws) - run:
        if " ".join(ws[i:i + run]) in shingles:
            j = i + run
            while j < len(ws) and " ".join(ws[j - run + 1:j + 1]) in shingles:
                j += 1
            hits.append(" ".join(ws[i:j]))
            i = j
        else:
            i += 1
    return hits


def _shingles(text: str, run: int = OWN_WORDS_RUN) -> set[str]:
    """Every run of ``run`` consecutive words of a text."""
    ws = words(text)
    return {" ".join(ws[i:i + run]) for i in range(len(ws) - run + 1)}


def check_article(tables: Mapping[str, Table], article: str, file: str, *,
                  kept: bool = False) -> list[Problem]:
    """Provenance against the shipped article text.

    Every row citing the article (``source_id`` is ARTICLE_SOURCE) or naming a ``section``
    needs a section the article has and a ``locator`` of at most eight words found verbatim
    (after :func:`fold`) in it; no text written in our own words (title, summary, basis, note,
    check_note, coding_note) repeats OWN_WORDS_RUN or more consecutive words of the article.

    Parameters
    ----------
    tables : the tables read, by resource name.
    article : the article's text.
    file : the article's file name, for problems about the article itself.
    kept : take each table's problems from where this article judged the same reading before
        (see :meth:`albru.reader.Table.judge`); only for tables as the reader handed them out,
        unchanged since (the loader's own use: a table read again is not judged again).

    Returns
    -------
    The problems found.

    Examples
    --------
    >>> check_article({}, "== A ==\\ntext", "article/a.txt")
    []
    """
    problems: list[Problem] = []
    if not article.strip():
        problems.append(Problem(file, None, None, None, "the article text is empty"))
    # What a table breaks depends on the table, the article and the limits alone.
    key = ("check_article", hashlib.blake2b(article.encode("utf-8", "surrogatepass"),
                                            digest_size=32).digest(),
           MAX_LISTED, OWN_WORDS_RUN, _LOCATOR_WORDS)
    prepared: tuple[dict[str, str], set[str]] | None = None
    for table in tables.values():

        def rules(table: Table = table) -> list[Problem]:
            nonlocal prepared
            if prepared is None:
                prepared = article_sections(article), _shingles(article)
            return _check_table(table, *prepared)

        problems += table.judge(key, rules, kept)
    return problems


def _check_table(table: Table, sections: dict[str, str], seed: set[str]) -> list[Problem]:
    """The article rules in one table, given the article's sections and runs of words."""
    problems: list[Problem] = []
    cells = table.cells
    found: list[tuple[int, str, str | None, str]] = []  # row, column, value, rule
    if "locator" in cells and "section" in cells:
        cites = cells["section"].notna()
        if "source_id" in cells:
            cites |= (cells["source_id"] == ARTICLE_SOURCE).fillna(False)
        rows = np.flatnonzero(cites.to_numpy(dtype=bool))
        pairs = list(zip(table.column("section")[rows], table.column("locator")[rows],
                         strict=True))
        judged = {pair: _locator_rule(*pair, sections) for pair in set(pairs)}
        found += [(i, *judged[pair][1:], judged[pair][0])
                  for i, pair in zip(rows, pairs, strict=True) if judged[pair][0]]
    for column in _OWN_WORDS_COLUMNS:
        if column not in cells:
            continue
        codes, texts = pd.factorize(table.column(column))  # None gets code -1
        runs = {code: hits for code, text in enumerate(texts)  # each text read once
                if (hits := copied_runs(text, seed))}
        rule = "repeats {} words of the article in a row; write it in our own words"
        found += [(i, column, hit, rule.format(len(hit.split())))
                  for i in np.flatnonzero(np.isin(codes, list(runs)))
                  for hit in runs[codes[i]]]
    _list(problems, table, sorted(found, key=lambda f: f[0]))
    return problems


def _list(problems: list[Problem], table: Table,
          found: list[tuple[int, str, str | None, str]]) -> None:
    """Add the problems found in a table, at most MAX_LISTED per column; one more problem
    counts the rest of a column."""
    lines = table.lines.to_numpy()
    per_column: dict[str, int] = {}
    for i, column, value, rule in found:
        seen = per_column[column] = per_column.get(column, 0) + 1
        if seen <= MAX_LISTED:
            problems.append(Problem(table.file, int(lines[i]), column, value, rule))
        elif seen == MAX_LISTED + 1:
            rest = sum(1 for f in found if f[1] == column) - MAX_LISTED
            problems.append(Problem(table.file, int(lines[i]), column, None,
                                    f"and {rest} more rows break the article rules in this "
                                    f"column, not listed ({rest + MAX_LISTED} in all)", rest))


def _locator_rule(
    section: Any, locator: Any, sections: dict[str, str]
) -> tuple[str, str, str | None]:
    """Why a section and locator do not point into the article ("" when they do)."""
    if pd.isna(section):
        return "cites the article but names no section", "section", None
    if fold(section) not in sections:
        return "no section of the article has this heading", "section", section
    if pd.isna(locator):
        return "cites the article but gives no locator", "locator", None
    if len(locator.split()) > _LOCATOR_WORDS:
        return f"a locator has at most {_LOCATOR_WORDS} words", "locator", locator
    if fold(locator) not in sections[fold(section)]:
        return f"not found verbatim in the article section {section!r}", "locator", locator
    return "", "", None
