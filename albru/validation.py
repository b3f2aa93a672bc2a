"""Rules over tables already read: each broken rule becomes a Problem naming file, line, column,
value and rule, and ``AlbruDataError`` carries them all.

Reading, decoding and typing happen in :mod:`albru.dataset`; this module only judges. Every rule
the schema states (structure of ``datapackage.json``, columns, required, types, unique, enums,
patterns, bounds, primary and foreign keys) is read from the schema itself; the rules it cannot
state are added here: EDTF dates parse, no date after the package's ``as_of``, spans do not end
before they start, eras partition the time from 1912 to the open present, every event lies
within that time (an event whose possible days cross an era boundary is accepted: it has no
single era), one actor's spans in one organization do not overlap, every claim names a row and
a column that exist, CAMEO codes come from the ``cameo`` table with its Goldstein weight, no
table is empty, and no text holds control characters. The provenance rules compare the data
with the shipped article: every locator stands verbatim in the section it names, and no title,
summary, basis or note repeats nine or more words of the article in a row.

>>> print(Problem("events.csv", 7, "date", "1959-13", "not an EDTF date"))
events.csv, line 7, column date, value '1959-13': not an EDTF date
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from albru import dates

__all__ = [
    "ALBRU_SCHEMA", "ARTICLE_SOURCE", "CONTROL", "FIRST_YEAR", "MAX_SHOWN", "OWN_WORDS_RUN",
    "SCHEMA_FILE", "TYPES", "AlbruDataError", "Problem", "Table", "article_sections",
    "article_sentences",
    "check_albru", "check_albru_schema", "check_article", "check_cells", "check_package",
    "check_tables", "copied_runs", "fold", "words",
]

#: Name of the schema file inside the data directory.
SCHEMA_FILE = "datapackage.json"
#: Year the eras must start in (the schema's description of eras).
FIRST_YEAR = 1912
#: How many problems an AlbruDataError message prints before it gives only the count.
MAX_SHOWN = 50
#: Field types albru reads, with the regular expression a cell of each must match.
TYPES: dict[str, str | None] = {
    "string": None,
    "integer": r"[+-]?[0-9]+",
    "number": r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?",
    "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
}
#: The source id of the Wikipedia article whose text ships in ``data/article/``.
ARTICLE_SOURCE = "wp_article"
#: Runs of this many words shared with the article count as copied.
OWN_WORDS_RUN = 9
# Columns written in our own words, checked against the article.
_OWN_WORDS_COLUMNS = ("title", "summary", "basis", "note", "check_note", "coding_note")
_LOCATOR_WORDS = 8
_ERAS, _EVENTS, _MEMBERSHIPS, _CLAIMS, _CAMEO, _TYPES = (
    "eras", "events", "memberships", "claims", "cameo", "event_types")
_SPAN_OWNER = ("actor_id", "org_id")
_CONSTRAINTS = {"required", "unique", "enum", "pattern", "minimum", "maximum"}
_ROLES = ("point", "start", "end")
# Control characters other than tab, line feed and carriage return.
CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_WORD = re.compile(r"[0-9A-Za-zÀ-ÿ]+(?:['’][A-Za-z]+)?")
_HEADING = re.compile(r"^=+\s*(.*?)\s*=+$")
# Where a line of the article splits into sentences: the white space after a full stop, question
# or exclamation mark (a closing quote or bracket may follow the mark) when a capital letter, a
# digit or an opening quote or bracket comes next; never after a lone capital (an initial, "I. B.").
_SENTENCE_BREAK = re.compile(
    "(?:(?<=[.!?])|(?<=[.!?][\"\u201d\u2019)\\]]))(?<!\\b[A-Z]\\.)\\s+(?=[\"\u201c\u2018(\\[]?[A-Z0-9])")


class Problem(NamedTuple):
    """One broken rule: the file, its line (header = line 1), the column, the value, the rule.
    (A named tuple: a million of them are made in a second.)

    >>> str(Problem("eras.csv", 1, "basis", None, "column missing"))
    'eras.csv, line 1, column basis: column missing'
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    rule: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        if self.value is not None:
            parts.append(f"value {_short(self.value)!r}")
        return f"{', '.join(parts)}: {self.rule}"


def _short(value: str, width: int = 80) -> str:
    """A value cut to ``width`` characters, so one bad cell cannot flood a message."""
    return value if len(value) <= width else value[:width] + "..."


class AlbruDataError(ValueError):
    """The data breaks rules; ``problems`` lists every one, the message the first MAX_SHOWN.

    >>> error = AlbruDataError([Problem("ties.csv", 3, "sign", "2", "not one of -1, 1")])
    >>> print(error)
    1 problem in the albru data:
      ties.csv, line 3, column sign, value '2': not one of -1, 1
    >>> many = AlbruDataError([Problem("ties.csv", n, None, None, "bad") for n in range(60)])
    >>> str(many).splitlines()[-1]
    '  ... and 10 more (60 in all)'
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        total = len(self.problems)
        count = f"{total} problem{'' if total == 1 else 's'}"
        lines = [f"  {problem}" for problem in self.problems[:MAX_SHOWN]]
        if total > MAX_SHOWN:
            lines.append(f"  ... and {total - MAX_SHOWN} more ({total} in all)")
        super().__init__(f"{count} in the albru data:\n" + "\n".join(lines))


@dataclass
class Table:
    """A resource as read: its text cells, typed columns, file lines and parsed EDTF fields.

    ``cells`` holds the schema's columns as text (object dtype, None where empty), ``frame``
    the same columns typed, ``fits`` where a present cell fits its type, ``lines`` the file
    line each row starts on, and ``dates`` for each EDTF column its ``start``, ``end``,
    ``precision`` and ``reason`` (why a present cell is not a usable date); ``control`` says
    whether the file holds any control character, so cells are searched for them only then.
    """

    name: str
    resource: dict[str, Any]
    cells: pd.DataFrame
    frame: pd.DataFrame
    fits: dict[str, np.ndarray]
    lines: pd.Series
    dates: dict[str, pd.DataFrame] = field(default_factory=dict)
    control: bool = False
    values: dict[str, np.ndarray] = field(default_factory=dict)

    def column(self, name: str) -> np.ndarray:
        """The text cells of one column as an object array (None where empty)."""
        if name not in self.values:
            self.values[name] = self.cells[name].to_numpy(dtype=object)
        return self.values[name]

    @property
    def file(self) -> str:
        """The CSV file name, as the schema gives it."""
        return str(self.resource["path"])

    @property
    def fields(self) -> list[dict[str, Any]]:
        """The schema's fields."""
        return list(self.resource["schema"]["fields"])

    @property
    def key(self) -> list[str]:
        """The primary key's fields."""
        return _as_list(self.resource["schema"].get("primaryKey", []))

    def role(self, role: str) -> str | None:
        """The field whose ``edtf`` property is ``role`` ("point", "start" or "end"), if read."""
        names = [f["name"] for f in self.fields if f.get("edtf") == role]
        return names[0] if names and names[0] in self.dates else None


def _as_list(names: Any) -> list[str]:
    """A field list of the schema, which may be written as one string."""
    return [names] if isinstance(names, str) else list(names)


# --- the schema itself -------------------------------------------------------------------------


def check_package(package: Any) -> list[Problem]:
    """Every structural fault of a parsed ``datapackage.json``, each key checked before use.

    Parameters
    ----------
    package : the parsed JSON.

    Returns
    -------
    The problems, all in ``datapackage.json``; an empty list means every resource can be read.

    Examples
    --------
    >>> [str(p) for p in check_package([])]
    ['datapackage.json: the top level is not an object']
    >>> check_package({"resources": [{"name": "t", "path": "t.csv",
    ...     "schema": {"fields": [{"name": "a", "type": "colour"}]}}]})[0].rule
    "type 'colour' is not one of string, integer, number, date"
    """
    if not isinstance(package, dict):
        return [_schema(None, "the top level is not an object")]
    problems: list[Problem] = []
    for key in ("name", "title", "description", "version", "profile", "homepage"):
        if key in package and not isinstance(package[key], str):
            problems.append(_schema(key, "not a text", package[key]))
    for key in ("licenses", "sources", "contributors", "keywords"):
        if key in package and not isinstance(package[key], list):
            problems.append(_schema(key, "not a list", package[key]))
    as_of = package.get("as_of")
    if as_of is not None and not (isinstance(as_of, str) and _is_day(as_of)):
        problems.append(_schema("as_of", "not a day written YYYY-MM-DD", as_of))
    resources = package.get("resources")
    if not isinstance(resources, list) or not resources:
        return [*problems, _schema("resources", "missing, or not a non-empty list")]
    names: list[str] = []
    fields_of: dict[str, list[str]] = {}
    for i, resource in enumerate(resources):
        where = f"resources[{i}]"
        if not isinstance(resource, dict):
            problems.append(_schema(where, "not an object"))
            continue
        name, path = resource.get("name"), resource.get("path")
        if not isinstance(name, str) or not name:
            problems.append(_schema(f"{where}.name", "missing or not a text"))
            continue
        where = f"resource {name}"
        if name in names:
            problems.append(_schema(where, "name used twice"))
        names.append(name)
        if not isinstance(path, str) or not path:
            problems.append(_schema(f"{where}.path", "missing or not a text"))
        elif path.startswith(("/", "\\")) or ".." in re.split(r"[\\/]", path) or ":" in path:
            problems.append(_schema(f"{where}.path", "must be a file inside the data folder",
                                    path))
        for key in ("title", "description", "profile", "format", "encoding", "mediatype"):
            if key in resource and not isinstance(resource[key], str):
                problems.append(_schema(f"{where}.{key}", "not a text", resource[key]))
        for key in ("sources", "licenses"):
            if key in resource and not isinstance(resource[key], list):
                problems.append(_schema(f"{where}.{key}", "not a list", resource[key]))
        encoding = resource.get("encoding", "utf-8")
        if isinstance(encoding, str) and encoding.lower().replace("_", "-") not in (
                "utf-8", "utf8"):
            problems.append(_schema(f"{where}.encoding", "albru reads UTF-8 only",
                                    resource["encoding"]))
        schema = resource.get("schema")
        if not isinstance(schema, dict):
            problems.append(_schema(f"{where}.schema", "missing or not an object"))
            continue
        fields_of[name] = _check_fields(schema, where, problems)
    for resource in resources:
        if isinstance(resource, dict) and isinstance(resource.get("schema"), dict) and (
                resource.get("name") in fields_of):
            _check_keys(resource, fields_of, problems)
    return problems


def _schema(where: str | None, rule: str, value: Any = None) -> Problem:
    """A problem of datapackage.json at a place written like ``resource events.schema``."""
    return Problem(SCHEMA_FILE, None, where, None if value is None else str(value), rule)


def _is_day(text: str) -> bool:
    """Whether text is a real calendar day written YYYY-MM-DD."""
    return bool(re.fullmatch(TYPES["date"], text)) and pd.notna(
        pd.to_datetime(text, format="%Y-%m-%d", errors="coerce"))


def _check_fields(schema: dict[str, Any], where: str, problems: list[Problem]) -> list[str]:
    """Check a schema's field list; return the names of its fields."""
    specs = schema.get("fields")
    if not isinstance(specs, list) or not specs:
        problems.append(_schema(f"{where}.schema.fields", "missing, or not a non-empty list"))
        return []
    names: list[str] = []
    for j, spec in enumerate(specs):
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or not spec["name"]:
            problems.append(_schema(f"{where}.schema.fields[{j}]", "a field needs a name"))
            continue
        name = spec["name"]
        if name in names:
            problems.append(_schema(f"{where}.{name}", "field name used twice"))
        names.append(name)
        _check_field_spec(spec, f"{where}.{name}", problems)
    return names


def _check_field_spec(spec: dict[str, Any], where: str, problems: list[Problem]) -> None:
    """One field: a type albru reads, constraints that fit it, a known ``edtf`` role."""
    for key in ("title", "description", "format"):
        if key in spec and not isinstance(spec[key], str):
            problems.append(_schema(where, f"{key} is not a text", spec[key]))
    kind = spec.get("type")
    if kind is None:
        problems.append(_schema(where, "a field needs a type"))
        return
    if not isinstance(kind, str) or kind not in TYPES:
        problems.append(_schema(where, f"type {kind!r} is not one of {', '.join(TYPES)}"))
        return
    role = spec.get("edtf")
    if role is not None and (role not in _ROLES or kind != "string"):
        problems.append(_schema(where, f"edtf must be one of {', '.join(_ROLES)} on a string field",
                                role))
    rules = spec.get("constraints", {})
    if not isinstance(rules, dict):
        problems.append(_schema(where, "constraints is not an object"))
        return
    for rule in sorted(set(rules) - _CONSTRAINTS):
        problems.append(_schema(where, f"constraint {rule!r} is not checked by albru"))
    for flag in ("required", "unique"):
        if flag in rules and not isinstance(rules[flag], bool):
            problems.append(_schema(where, f"{flag} must be true or false", rules[flag]))
    if "pattern" in rules:
        try:
            if not isinstance(rules["pattern"], str):
                raise TypeError
            re.compile(rules["pattern"])
        except (re.error, TypeError):
            problems.append(_schema(where, "pattern is not a regular expression",
                                    rules["pattern"]))
    numeric = kind in ("integer", "number")
    for bound in ("minimum", "maximum"):
        if bound in rules and (not numeric or not _is_number(rules[bound], kind)):
            problems.append(_schema(where, f"{bound} does not fit type {kind}", rules[bound]))
    if "enum" in rules:
        allowed = rules["enum"]
        if not isinstance(allowed, list) or not allowed:
            problems.append(_schema(where, "enum is not a non-empty list", allowed))
        elif not all(_is_number(v, kind) if numeric else isinstance(v, str) for v in allowed):
            problems.append(_schema(where, f"enum values do not fit type {kind}", allowed))
        elif len(set(map(str, allowed))) != len(allowed):
            problems.append(_schema(where, "enum lists a value twice", allowed))


def _is_number(value: Any, kind: str) -> bool:
    """Whether a JSON value is a number of the schema type (no booleans)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) if kind == "integer" else isinstance(value, (int, float))


def _check_keys(
    resource: dict[str, Any], fields_of: dict[str, list[str]], problems: list[Problem]
) -> None:
    """Primary and foreign keys name fields and resources that exist, in matching numbers."""
    name, schema = resource["name"], resource["schema"]
    mine = fields_of[name]
    where = f"resource {name}"
    key = schema.get("primaryKey", mine[:1])
    if not _is_names(key) or not set(_as_list(key)) <= set(mine):
        problems.append(_schema(f"{where}.primaryKey", "names a field the schema lacks", key))
    foreign = schema.get("foreignKeys", [])
    if not isinstance(foreign, list):
        problems.append(_schema(f"{where}.foreignKeys", "not a list"))
        return
    for k, fk in enumerate(foreign):
        at = f"{where}.foreignKeys[{k}]"
        reference = fk.get("reference") if isinstance(fk, dict) else None
        if not isinstance(reference, dict) or not _is_names(fk.get("fields")) or not _is_names(
                reference.get("fields")):
            problems.append(_schema(at, "needs fields and a reference with fields"))
            continue
        target = reference.get("resource") or name
        if not isinstance(target, str) or target not in fields_of:
            problems.append(_schema(at, "refers to an unknown resource", target))
            continue
        local, remote = _as_list(fk["fields"]), _as_list(reference["fields"])
        if not set(local) <= set(mine):
            problems.append(_schema(at, "names a field the schema lacks", fk["fields"]))
        elif not set(remote) <= set(fields_of[target]):
            problems.append(_schema(at, f"refers to a field {target} lacks", reference["fields"]))
        elif len(local) != len(remote):
            problems.append(_schema(at, "fields and reference fields differ in number"))


def _is_names(value: Any) -> bool:
    """A field list: one name or a non-empty list of names."""
    if isinstance(value, str):
        return bool(value)
    return isinstance(value, list) and bool(value) and all(
        isinstance(v, str) and v for v in value)


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
    lines = table.lines.to_numpy()[rows].tolist()
    shown = [None if v is None or v is pd.NA else str(v) for v in cells[rows]]
    texts = [rules] * len(rows) if isinstance(rules, str) else [str(r) for r in rules[rows]]
    file = table.file
    problems.extend(Problem(file, line, column, value, text)
                    for line, value, text in zip(lines, shown, texts, strict=True))


def _each(test: Any, values: np.ndarray) -> np.ndarray:
    """A boolean array: ``test(value)`` for every present value, False where it is missing."""
    return np.fromiter((v is not None and bool(test(v)) for v in values), bool, len(values))


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
            pattern = re.compile(rules["pattern"])
            _report(problems, table, ok & ~_each(pattern.fullmatch, values), name, values,
                    f"does not match the pattern {rules['pattern']}")
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


def _key_fields(schema: dict[str, Any]) -> set[str]:
    """Fields that identify or point at rows: primary key, unique fields, foreign keys."""
    keys = set(_as_list(schema.get("primaryKey", [])))
    keys |= {f["name"] for f in schema["fields"] if f.get("constraints", {}).get("unique")}
    for foreign in schema.get("foreignKeys", []):
        keys |= set(_as_list(foreign["fields"]))
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


def check_tables(tables: Mapping[str, Table], package: Mapping[str, Any]) -> list[Problem]:
    """Rules over all the tables of a package: no empty table, composite primary keys, foreign
    keys, spans in order, no date after the package's ``as_of``.

    Parameters
    ----------
    tables : the tables read, by resource name.
    package : the parsed ``datapackage.json`` (already checked by :func:`check_package`).

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
        if len(table.frame) == 0:
            problems.append(Problem(table.file, None, None, None,
                                    "no rows: the table is empty (only a header, or nothing)"))
        _check_primary_key(table, problems)
        _check_foreign_keys(table, tables, problems)
        _check_span_order(table, problems)
        if as_of is not None:
            _check_as_of(table, as_of, package["as_of"], problems)
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
        fields = _as_list(foreign["fields"])
        target = tables.get(foreign["reference"].get("resource") or table.name)
        wanted = _as_list(foreign["reference"]["fields"])
        if target is None or len(target.frame) == 0:
            continue
        mine = _joined(table.cells, fields)
        known = {v for v in _joined(target.cells, wanted) if v is not None}
        # A referenced key with stray spaces is reported where it stands, not at every use.
        known |= {v.strip() for v in known}
        dangling = np.fromiter((v is not None and v not in known for v in mine), bool, len(mine))
        _report(problems, table, dangling, "+".join(fields), mine,
                f"not found in {target.name}.{'+'.join(wanted)}")


def _check_span_order(table: Table, problems: list[Problem]) -> None:
    """Report spans whose end (last day of the end date) precedes their start."""
    start, end = table.role("start"), table.role("end")
    if start is None or end is None:
        return
    first, last = table.dates[start]["start"], table.dates[end]["end"]
    rule = "ends before it starts (" + table.cells[start].astype(str) + ")"
    _report(problems, table, last < first, end, table.cells[end], rule)


def _check_as_of(table: Table, as_of: pd.Timestamp, text: str, problems: list[Problem]) -> None:
    """No EDTF date may begin after the day the record stops."""
    for name, parsed in table.dates.items():
        _report(problems, table, parsed["start"] > as_of, name, table.cells[name],
                f"after the data's as_of date {text}")


# --- rules of the albru tables -----------------------------------------------------------------


def check_albru(tables: Mapping[str, Table]) -> list[Problem]:
    """The rules of the albru tables the schema cannot state: eras, events within the eras' time,
    membership spans, claims, CAMEO codes and Goldstein weights.

    Each rule runs only when its tables are present.

    Examples
    --------
    >>> check_albru({})
    []
    """
    problems: list[Problem] = []
    if _ERAS in tables:
        _check_eras(tables[_ERAS], problems)
        if _EVENTS in tables:
            _check_events_in_time(tables[_EVENTS], tables[_ERAS], problems)
    if _MEMBERSHIPS in tables:
        _check_overlaps(tables[_MEMBERSHIPS], problems)
    if _CLAIMS in tables:
        _check_claims(tables[_CLAIMS], tables, problems)
    if _CAMEO in tables and _TYPES in tables:
        _check_cameo(tables[_TYPES], tables[_CAMEO], problems)
    return problems


#: What the albru Dataset needs of its schema: per table, a one-field primary key (or None)
#: and the EDTF roles of named fields.
ALBRU_SCHEMA: dict[str, tuple[bool, dict[str, str]]] = {
    "sources": (True, {}), "actors": (True, {}), "event_types": (True, {}),
    "eras": (True, {"start": "start", "end": "end"}),
    "events": (True, {"date": "point"}),
    "memberships": (True, {"start": "start", "end": "end"}),
    "ties": (True, {"start": "start", "end": "end"}),
    "actor_names": (False, {"start": "start", "end": "end"}),
    "claims": (True, {}), "cameo": (True, {}),
    "searches": (True, {"start": "start", "end": "end"}),
}


def check_albru_schema(package: Mapping[str, Any]) -> list[Problem]:
    """What the albru Dataset needs of a (structurally sound) schema: one-field primary keys
    where it joins on them, the EDTF roles of its date fields, and events pointing at event
    types by the event types' key.

    >>> check_albru_schema({"resources": []})
    []
    """
    problems: list[Problem] = []
    by_name = {r["name"]: r for r in package["resources"]}
    for name, (keyed, roles) in ALBRU_SCHEMA.items():
        resource = by_name.get(name)
        if resource is None:
            continue
        specs = {f["name"]: f for f in resource["schema"]["fields"]}
        key = _as_list(resource["schema"].get("primaryKey", []))
        if keyed and len(key) != 1:
            problems.append(_schema(f"resource {name}.primaryKey",
                                    "albru needs a primary key of one field here", key or None))
        for field_name, role in roles.items():
            if specs.get(field_name, {}).get("edtf") != role:
                problems.append(_schema(f"resource {name}.{field_name}",
                                        f"albru needs this field with edtf {role!r}"))
    types, events = by_name.get(_TYPES), by_name.get(_EVENTS)
    if types and events:
        key = _as_list(types["schema"].get("primaryKey", []))
        if len(key) == 1 and key[0] not in {f["name"] for f in events["schema"]["fields"]}:
            problems.append(_schema(f"resource {_EVENTS}",
                                    f"albru needs a field {key[0]} naming the event type"))
    return problems


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
    declared = any(_as_list(fk["fields"]) == ["cameo"] and fk["reference"].get("resource") == _CAMEO
                   for fk in types.resource["schema"].get("foreignKeys", []))
    if not declared:
        _report(problems, types, codes.notna() & ~codes.isin(weights.index), "cameo", codes,
                f"not found in {cameo.name}.cameo")
    published = codes.map(weights).astype("float64")
    mine = types.frame["goldstein"].astype("float64")
    differs = published.notna() & mine.notna() & ~np.isclose(mine, published.fillna(0))
    rule = "differs from the Goldstein weight of its CAMEO code in cameo.csv (" + \
        published.astype(str) + ")"
    _report(problems, types, differs, "goldstein", types.cells["goldstein"], rule)


# --- provenance: the article ---------------------------------------------------------------------


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


def check_article(tables: Mapping[str, Table], article: str, file: str) -> list[Problem]:
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

    Returns
    -------
    The problems found.

    Examples
    --------
    >>> check_article({}, "== A ==\\ntext", "article/a.txt")
    []
    """
    sections = article_sections(article)
    seed = _shingles(article)
    problems: list[Problem] = []
    if not article.strip():
        problems.append(Problem(file, None, None, None, "the article text is empty"))
    for table in tables.values():
        cells = table.cells
        if "locator" in cells and "section" in cells:
            cites = cells["section"].notna()
            if "source_id" in cells:
                cites |= (cells["source_id"] == ARTICLE_SOURCE).fillna(False)
            for i in np.flatnonzero(cites.to_numpy(dtype=bool)):
                rule, column, value = _locator_rule(cells["section"].iloc[i],
                                                    cells["locator"].iloc[i], sections)
                if rule:
                    problems.append(Problem(table.file, int(table.lines.iloc[i]), column,
                                            value, rule))
        for column in _OWN_WORDS_COLUMNS:
            if column not in cells:
                continue
            texts = cells[column]
            for i in np.flatnonzero(texts.notna().to_numpy()):
                for hit in copied_runs(texts.iloc[i], seed):
                    problems.append(Problem(
                        table.file, int(table.lines.iloc[i]), column, hit,
                        f"repeats {len(hit.split())} words of the article in a row; "
                        "write it in our own words"))
    return problems


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
