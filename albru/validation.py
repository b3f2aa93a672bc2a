"""Rules over tables already read: each broken rule becomes a Problem naming file, line, column,
value and rule.

Reading, decoding and typing happen in :mod:`albru.reader` (and the one parse of
``datapackage.json`` in :mod:`albru.files`); this module only judges. Every rule the schema
states (structure of ``datapackage.json``, columns, required, types, unique, enums, patterns,
bounds, primary and foreign keys) is read from the schema itself; the rules it cannot state are
added here: EDTF dates parse, no date after the package's ``as_of``, spans do not end before
they start, eras partition the time from 1912 to the open present, every event lies within
that time (an event whose possible days cross an era boundary is accepted: it has no single
era), one actor's spans in one organization do not overlap, every claim names a row and a
column that exist, CAMEO codes come from the ``cameo`` table with its Goldstein weight, no
table is empty, and no text holds control characters. The article checks are in
:mod:`albru.textreuse`.

The rules over the schema itself are in :mod:`albru.schema`. The problems a rule finds in one
column of one file are listed up to :data:`albru.problems.MAX_LISTED` and counted beyond, so a
million bad rows make about a thousand problems.

>>> print(Problem("events.csv", 7, "date", "1959-13", "not an EDTF date"))
events.csv, line 7, column date, value '1959-13': not an EDTF date
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from albru import dates
from albru.problems import MAX_LISTED, MAX_SHOWN, AlbruDataError, Problem
from albru.reader import CONTROL, Table, as_list

__all__ = [
    "FIRST_YEAR", "MAX_PATTERN_CELL", "MAX_SHOWN", "AlbruDataError", "Problem", "check_albru",
    "check_cells", "check_tables",
]

#: Year the eras must start in (the schema's description of eras).
FIRST_YEAR = 1912
#: Longest cell matched against a schema pattern; a longer one is reported, not matched.
MAX_PATTERN_CELL = 1000
_ERAS, _EVENTS, _MEMBERSHIPS, _CLAIMS, _CAMEO, _TYPES = (
    "eras", "events", "memberships", "claims", "cameo", "event_types")
_SPAN_OWNER = ("actor_id", "org_id")
# --- cells of one table ------------------------------------------------------------------------


def _report(
    problems: list[Problem], table: Table, mask: pd.Series | np.ndarray, column: str | None,
    values: pd.Series | np.ndarray, rule: str | pd.Series | np.ndarray,
) -> None:
    """Add a problem for every row where ``mask`` holds."""
    flags = mask.fillna(False).to_numpy(dtype=bool) if isinstance(mask, pd.Series) else mask
    if not flags.any():
        return
    cells = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else values
    rules = rule.to_numpy(dtype=object) if isinstance(rule, pd.Series) else rule
    rows = np.flatnonzero(flags)
    if len(rows) > MAX_LISTED:
        rest = len(rows) - MAX_LISTED
        what = rules if isinstance(rules, str) else "the same kind"
        problems.append(Problem(table.file, int(table.lines.iloc[rows[MAX_LISTED]]), column,
                                None, f"and {rest} more rows break this rule ({what}), not "
                                f"listed ({len(rows)} in all)", rest))
        rows = rows[:MAX_LISTED]
    lines = table.lines.to_numpy()[rows].tolist()
    shown = [None if v is None or v is pd.NA else str(v) for v in cells[rows]]
    texts = [rules] * len(rows) if isinstance(rules, str) else [str(r) for r in rules[rows]]
    file = table.file
    problems.extend(Problem(file, line, column, value, text)
                    for line, value, text in zip(lines, shown, texts, strict=True))


def _each(test: Any, values: np.ndarray) -> np.ndarray:
    """A boolean array: ``test(value)`` for every present value, False where it is missing;
    each distinct value is tested once.

    >>> _each(str.isdigit, np.array(["1", None, "x", "1"], dtype=object)).tolist()
    [True, False, False, True]
    """
    codes, distinct = pd.factorize(values)  # None gets code -1
    hits = np.fromiter((bool(test(v)) for v in distinct), bool, len(distinct))
    return np.append(hits, False)[codes]


def check_cells(table: Table) -> list[Problem]:
    """Each cell against its field: spaces, control characters, required, type, enum, pattern,
    bounds, unique, and EDTF dates.

    Parameters
    ----------
    table : a table as :func:`albru.dataset.read_tables` reads it.

    Returns
    -------
    The problems, in column order.

    Examples
    --------
    >>> from albru.dataset import data_dir, read_tables
    >>> tables = read_tables(data_dir())[1]
    >>> check_cells(tables["ties"])
    []
    """
    problems: list[Problem] = []
    keys = _key_fields(table.resource["schema"])
    control = re.compile(CONTROL)
    for spec in table.fields:
        name = spec["name"]
        if name not in table.cells:
            continue
        values = table.column(name)
        fits = np.asarray(table.fits[name], dtype=bool)
        kind, rules = spec.get("type", "string"), spec.get("constraints", {})
        present = values != None
        spaced = np.zeros(len(values), dtype=bool)
        if name in keys or "edtf" in spec:
            spaced = _each(lambda v: v != v.strip(), values)
            _report(problems, table, spaced, name, values, "leading or trailing spaces")
        if table.control:
            bad = _each(control.search, values)
            shown = np.array([None if v is None else control.sub(
                lambda m: f"\\x{ord(m.group()):02x}", v) for v in values], dtype=object)
            _report(problems, table, bad, name, shown, "holds a control character")
        if rules.get("required"):
            _report(problems, table, ~present, name, values, "required value is empty")
        _report(problems, table, present & ~fits, name, values, f"not a value of type {kind}")
        ok = present & fits
        typed = table.frame[name]
        if "enum" in rules:
            allowed = rules["enum"]
            if kind == "string":
                known = _each(set(allowed).__contains__, values)
            else:
                known = typed.isin(allowed).fillna(False).to_numpy(dtype=bool)
            _report(problems, table, ok & ~known, name, values,
                    f"not one of {', '.join(map(str, allowed))}")
        if "pattern" in rules:
            long = ok & _each(lambda v: len(v) > MAX_PATTERN_CELL, values)
            _report(problems, table, long, name, values, f"longer than {MAX_PATTERN_CELL} "
                    "characters, the most matched against a pattern")
            _report(problems, table, ok & ~long & ~_matches(rules["pattern"], values), name,
                    values, f"does not match the pattern {rules['pattern']}")
        for bound, word, outside in (("minimum", "below", np.less), ("maximum", "above",
                                                                     np.greater)):
            if bound in rules:
                number = typed.astype("float64").to_numpy()
                with np.errstate(invalid="ignore"):
                    beyond = outside(number, float(rules[bound]))
                _report(problems, table, ok & beyond, name, values,
                        f"{word} the {bound} {rules[bound]}")
        if rules.get("unique"):
            _report_duplicates(problems, table, np.where(ok, values, None), name)
        if name in table.dates:
            reason = table.dates[name]["reason"].to_numpy(dtype=object)
            _report(problems, table, (reason != None) & ~spaced, name, values,
                    reason)
    return problems


def _matches(pattern: str, values: np.ndarray) -> np.ndarray:
    """Whether each value matches a pattern in full (a value longer than MAX_PATTERN_CELL is
    not matched)."""
    rx = re.compile(pattern)
    return _each(lambda v: len(v) <= MAX_PATTERN_CELL and rx.fullmatch(v) is not None, values)


def _key_fields(schema: dict[str, Any]) -> set[str]:
    """Fields that identify or point at rows: primary key, unique fields, foreign keys."""
    keys = set(as_list(schema.get("primaryKey", [])))
    keys |= {f["name"] for f in schema["fields"] if f.get("constraints", {}).get("unique")}
    for foreign in schema.get("foreignKeys", []):
        keys |= set(as_list(foreign["fields"]))
    return keys


def _report_duplicates(
    problems: list[Problem], table: Table, keys: np.ndarray, column: str
) -> None:
    """Report every repeat of a key value, naming the line of its first occurrence (linear)."""
    codes, _ = pd.factorize(keys)  # missing values get -1
    repeat = pd.Series(codes).duplicated(keep="first").to_numpy() & (codes >= 0)
    if not repeat.any():
        return
    first_row = pd.Series(np.arange(len(codes))).groupby(codes).transform("first").to_numpy()
    first_line = table.lines.to_numpy()[first_row].astype(str)
    rule = np.char.add("duplicate of line ", first_line).astype(object)
    _report(problems, table, repeat, column, keys, rule)


# --- rules across the tables of any package ----------------------------------------------------


def _verdict(kept: bool, rule: str, tables: Sequence[Table | None], extra: tuple[Any, ...],
             run: Callable[[list[Problem]], object]) -> list[Problem]:
    """The problems ``run`` adds to an empty list; with ``kept``, and when every table present
    came from the reader, kept with the first table under the rule, ``extra``, the origins of
    all ``tables`` (None for one that is absent) and this module's limits (see
    :meth:`albru.reader.Table.judge`)."""

    def rules() -> list[Problem]:
        found: list[Problem] = []
        run(found)
        return found

    first = tables[0]
    if first is None:
        return rules()
    key = (rule, *extra, *(None if t is None else t.origin for t in tables[1:]), MAX_LISTED,
           FIRST_YEAR)
    return first.judge(key, rules, kept and all(t.origin for t in tables if t is not None))


def check_tables(tables: Mapping[str, Table], package: Mapping[str, Any], *,
                 kept: bool = False) -> list[Problem]:
    """Rules over all the tables of a package: no empty table, composite primary keys, foreign
    keys, spans in order, no date after the package's ``as_of``.

    Parameters
    ----------
    tables : the tables read, by resource name.
    package : the parsed ``datapackage.json`` (already checked by :func:`check_package`).
    kept : take a table's problems from where the same rules judged the same readings before
        (see :meth:`albru.reader.Table.judge`); only for tables as the reader handed them out,
        unchanged since (the loader's own use).

    Returns
    -------
    The problems found.

    Examples
    --------
    >>> check_tables({}, {"resources": []})
    []
    """
    problems: list[Problem] = []
    as_of = pd.Timestamp(package["as_of"]) if package.get("as_of") else None
    for table in tables.values():

        def run(found: list[Problem], table: Table = table) -> None:
            if len(table.frame) == 0:
                found.append(Problem(table.file, None, None, None,
                                     "no rows: the table is empty (only a header, or nothing)"))
            _check_primary_key(table, found)
            _check_foreign_keys(table, tables, found)
            _check_span_order(table, found)
            if as_of is not None:
                _check_as_of(table, as_of, package["as_of"], found)

        targets = [tables.get(fk["reference"].get("resource") or table.name)
                   for fk in table.resource["schema"].get("foreignKeys", [])]
        problems += _verdict(kept, "check_tables", [table, *targets],
                             (package.get("as_of"),), run)
    return problems


def _check_primary_key(table: Table, problems: list[Problem]) -> None:
    """Report repeated primary keys (single unique fields are already checked)."""
    key = table.key
    unique = {f["name"] for f in table.fields if f.get("constraints", {}).get("unique")}
    if not key or set(key) <= unique or not set(key) <= set(table.frame):
        return
    _report_duplicates(problems, table, _joined(table.cells, key), "+".join(key))


def _joined(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """The values of one or several columns, one object per row (a tuple for several); None
    where any part is missing."""
    if len(columns) == 1:
        return frame[columns[0]].to_numpy(dtype=object)
    parts = zip(*(frame[c].to_numpy(dtype=object) for c in columns), strict=True)
    out = np.empty(len(frame), dtype=object)
    out[:] = [None if None in row else "|".join(row) for row in parts]
    return out


def _check_foreign_keys(table: Table, tables: Mapping[str, Table], problems: list[Problem]) -> None:
    """Report values that point at no row of the referenced table.

    An empty referenced table is reported as itself (see :func:`check_tables`), not at every
    row that points at it.
    """
    for foreign in table.resource["schema"].get("foreignKeys", []):
        fields = as_list(foreign["fields"])
        target = tables.get(foreign["reference"].get("resource") or table.name)
        wanted = as_list(foreign["reference"]["fields"])
        if target is None or len(target.frame) == 0:
            continue
        mine = _joined(table.cells, fields)
        known = {v for v in _joined(target.cells, wanted) if v is not None}
        # A referenced key with stray spaces is reported where it stands, not at every use.
        known |= {v.strip() for v in known}
        dangling = _each(lambda v, known=known: v not in known, mine)
        _report(problems, table, dangling, "+".join(fields), mine,
                f"not found in {target.name}.{'+'.join(wanted)}")


def _check_span_order(table: Table, problems: list[Problem]) -> None:
    """Report spans whose end (last day of the end date) precedes their start."""
    start, end = table.role("start"), table.role("end")
    if start is None or end is None:
        return
    first, last = table.dates[start]["start"], table.dates[end]["end"]
    backwards = (last < first).to_numpy(dtype=bool)
    if backwards.any():  # the rules are written only for the rows that break them
        rule = "ends before it starts (" + table.cells[start].astype(str) + ")"
        _report(problems, table, backwards, end, table.cells[end], rule)


def _check_as_of(table: Table, as_of: pd.Timestamp, text: str, problems: list[Problem]) -> None:
    """No EDTF date may begin after the day the record stops."""
    for name, parsed in table.dates.items():
        _report(problems, table, parsed["start"] > as_of, name, table.cells[name],
                f"after the data's as_of date {text}")


# --- rules of the albru tables -----------------------------------------------------------------


def check_albru(tables: Mapping[str, Table], *, kept: bool = False) -> list[Problem]:
    """The rules of the albru tables the schema cannot state: eras, events within the eras' time,
    membership spans, claims, CAMEO codes and Goldstein weights.

    Each rule runs only when its tables are present. With ``kept``, a rule's problems are
    taken from where it judged the same readings before (as :func:`check_tables` does).

    Examples
    --------
    >>> check_albru({})
    []
    """
    problems: list[Problem] = []
    eras, events = tables.get(_ERAS), tables.get(_EVENTS)
    if eras is not None:
        problems += _verdict(kept, "eras", [eras], (), lambda found: _check_eras(eras, found))
        if events is not None:
            problems += _verdict(kept, "events_in_time", [events, eras], (), lambda found: (
                _check_events_in_time(events, eras, found)))
    if _MEMBERSHIPS in tables:
        spans = tables[_MEMBERSHIPS]
        problems += _verdict(kept, "overlaps", [spans], (),
                             lambda found: _check_overlaps(spans, found))
    if _CLAIMS in tables:
        claims = tables[_CLAIMS]
        named = sorted(set(claims.cells["table"].dropna())) if "table" in claims.cells else []
        problems += _verdict(kept, "claims", [claims, *(tables.get(n) for n in named)],
                             tuple(named), lambda found: _check_claims(claims, tables, found))
    if _CAMEO in tables and _TYPES in tables:
        types, cameo = tables[_TYPES], tables[_CAMEO]
        problems += _verdict(kept, "cameo", [types, cameo], (),
                             lambda found: _check_cameo(types, cameo, found))
    if "sources" in tables:
        lists = [tables.get(name) for name, _ in SOURCE_LISTS]
        problems += _verdict(kept, "source_lists", lists, (),
                             lambda found: _check_source_lists(tables, found))
    return problems


#: Columns that list source ids separated by ';' (the schema's pattern checks only their
#: characters, since a pattern for a repeated group could backtrack).
SOURCE_LISTS = (("sources", "derived_from"), ("events", "also_checked_by"))


def _check_source_lists(tables: Mapping[str, Table], problems: list[Problem]) -> None:
    """Every id of a source list names a source, once, and not the row's own source."""
    known = {v for v in tables["sources"].column("source_id") if v is not None}
    if not known:  # an empty sources table is reported once, by its own rule
        return
    for name, column in SOURCE_LISTS:
        table = tables.get(name)
        if table is None or column not in table.cells:
            continue
        cells = table.column(column)
        own = table.column("source_id") if "source_id" in table.cells else [None] * len(cells)
        rules = np.array([_list_rule(cell, known, mine)
                          for cell, mine in zip(cells, own, strict=True)], dtype=object)
        broken = np.array([rule is not None for rule in rules], dtype=bool)
        _report(problems, table, broken, column, cells, rules)


def _list_rule(cell: str | None, known: set[str], own: str | None) -> str | None:
    """Why a ';'-separated list of source ids is wrong, or None."""
    if cell is None:
        return None
    ids = cell.split(";")
    if any(not i for i in ids):
        return "empty id in a ';'-separated list"
    if len(set(ids)) < len(ids):
        return "an id appears twice"
    if own in ids:
        return "names the row's own source"
    missing = [i for i in ids if i not in known]
    return f"{missing[0]} is not a source_id of sources" if missing else None


def _usable_spans(table: Table) -> tuple[pd.Series, pd.Series, pd.Series] | None:
    """First days, last days (NaT = open) and where both are usable, of a span table."""
    start, end = table.role("start"), table.role("end")
    if start is None or end is None:
        return None
    first, last = table.dates[start]["start"], table.dates[end]["end"]
    usable = first.notna() & (last.notna() | (table.cells[end] == dates.OPEN).fillna(False))
    return first, last, usable


def _check_eras(eras: Table, problems: list[Problem]) -> None:
    """Eras partition the time from FIRST_YEAR to the open present: no gap, no overlap."""
    spans = _usable_spans(eras)
    if spans is None or len(eras.frame) == 0 or not eras.key:
        return
    first, last, usable = spans
    if not usable.all() or eras.cells[eras.key[0]].isna().any():
        return  # the date and key problems are reported already
    start, end = eras.role("start"), eras.role("end")
    names = eras.cells[eras.key[0]].astype(str)
    order = first.sort_values(kind="stable").index
    at = {i: (eras.file, int(eras.lines[i])) for i in order}
    if first[order[0]].year != FIRST_YEAR:
        problems.append(Problem(*at[order[0]], start, eras.cells[start][order[0]],
                                f"the first era must begin in {FIRST_YEAR}"))
    for before, after in itertools.pairwise(order):
        value = eras.cells[start][after]
        if pd.isna(last[before]):
            rule = f"overlaps era {names[before]}, which is open"
        else:
            gap = (first[after] - last[before]).days - 1
            rule = (f"leaves a gap of {gap} days after era {names[before]}" if gap > 0 else
                    f"overlaps era {names[before]} (ends {eras.cells[end][before]})" if gap < 0
                    else "")
        if rule:
            problems.append(Problem(*at[after], start, value, rule))
    if pd.notna(last[order[-1]]):
        problems.append(Problem(*at[order[-1]], end, eras.cells[end][order[-1]],
                                f"the last era must be open ({dates.OPEN!r})"))


def _check_events_in_time(events: Table, eras: Table, problems: list[Problem]) -> None:
    """Every event's possible days lie within the eras' time (from the first era's first day).

    An event whose days cross a boundary between eras is accepted: the loader gives it no
    single era but its first and last possible ones.
    """
    point, spans = events.role("point"), _usable_spans(eras)
    if point is None or spans is None:
        return
    era_first, era_last, usable = spans
    if not usable.any():
        return
    begin = era_first[usable].min()
    stop = era_last[usable].max() if era_last[usable].notna().all() else pd.NaT
    first, last = events.dates[point]["start"], events.dates[point]["end"]
    cells = events.cells[point]
    _report(problems, events, last < begin, point, cells, "lies in no era")
    _report(problems, events, (first < begin) & (last >= begin), point, cells,
            f"lies partly before the first era (which begins {begin.date()})")
    if pd.notna(stop):
        _report(problems, events, first > stop, point, cells, "lies in no era")
        _report(problems, events, (first <= stop) & (last > stop), point, cells,
                f"lies partly after the last era (which ends {stop.date()})")


def _check_overlaps(spans: Table, problems: list[Problem]) -> None:
    """One actor's spans in one organization do not overlap (an open end lasts for ever)."""
    found = _usable_spans(spans)
    if found is None or not set(_SPAN_OWNER) <= set(spans.cells):
        return
    first, last, usable = found
    start = spans.role("start")
    actors, orgs = (spans.cells[c].to_numpy(dtype=object) for c in _SPAN_OWNER)
    firsts = first.to_numpy(dtype="datetime64[ns]")
    lasts = last.to_numpy(dtype="datetime64[ns]")
    lines, starts = spans.lines.to_numpy(), spans.cells[start].to_numpy(dtype=object)
    rows = [i for i in np.flatnonzero(usable.to_numpy(dtype=bool))
            if actors[i] is not None and orgs[i] is not None]
    rows.sort(key=lambda i: (actors[i], orgs[i], firsts[i]))
    owner, reach, reach_line = None, None, 0
    for i in rows:
        if (actors[i], orgs[i]) != owner:
            owner, reach = (actors[i], orgs[i]), None
        if reach is not None and (np.isnat(reach) or firsts[i] <= reach):
            problems.append(Problem(spans.file, int(lines[i]), start, str(starts[i]),
                                    f"overlaps the span of {' in '.join(owner)} on line "
                                    f"{reach_line}"))
        if reach is None or np.isnat(lasts[i]) or (not np.isnat(reach) and lasts[i] > reach):
            reach, reach_line = lasts[i], int(lines[i])


def _check_claims(claims: Table, tables: Mapping[str, Table], problems: list[Problem]) -> None:
    """Each claim's ``record_id`` is a key of the table it names and ``column`` is one of that
    table's fields, so no disagreement points at nothing."""
    frame = claims.cells
    if not {"table", "record_id", "column"} <= set(frame):
        return
    named = frame["table"]
    record, column = frame["record_id"], frame["column"]
    for name in sorted(set(named.dropna())):
        target = tables.get(name)
        if target is None or len(target.key) != 1 or target.key[0] not in target.cells:
            continue
        rows = named == name
        keys = target.cells[target.key[0]].dropna()
        fields = [f["name"] for f in target.fields]
        _report(problems, claims, rows & record.notna() & ~record.isin(keys), "record_id",
                record, f"not found in {name}.{target.key[0]}")
        _report(problems, claims, rows & column.notna() & ~column.isin(fields), "column",
                column, f"not a column of {name}")


def _check_cameo(types: Table, cameo: Table, problems: list[Problem]) -> None:
    """Each event type's CAMEO code is in the cameo table, with the table's Goldstein weight."""
    if not {"cameo", "goldstein"} <= set(types.cells) or not {"cameo", "goldstein"} <= set(
            cameo.cells) or len(cameo.frame) == 0:
        return
    weights = pd.Series(cameo.frame["goldstein"].to_numpy(),
                        index=cameo.cells["cameo"].to_numpy()).dropna()
    weights = weights[~weights.index.duplicated()]
    codes = types.cells["cameo"]
    declared = any(as_list(fk["fields"]) == ["cameo"] and fk["reference"].get("resource") == _CAMEO
                   for fk in types.resource["schema"].get("foreignKeys", []))
    if not declared:
        _report(problems, types, codes.notna() & ~codes.isin(weights.index), "cameo", codes,
                f"not found in {cameo.name}.cameo")
    published = codes.map(weights).astype("float64")
    mine = types.frame["goldstein"].astype("float64")
    differs = published.notna() & mine.notna() & ~np.isclose(mine, published.fillna(0))
    if differs.any():
        rule = "differs from the Goldstein weight of its CAMEO code in cameo.csv (" + \
            published.astype(str) + ")"
        _report(problems, types, differs, "goldstein", types.cells["goldstein"], rule)
