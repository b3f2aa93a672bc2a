"""Read the CSV tables strictly and check them against ``datapackage.json``, the one schema.

Every rule the schema states (columns, required, types, unique, enums, patterns, bounds,
primary and foreign keys) is read from the schema itself; the rules it cannot state are
added here: EDTF dates parse, spans do not end before they start, eras partition the time
from 1912 to the open present, every event lies in exactly one era, one actor's spans
in one organization do not overlap, and every claim names a row and a column that exist.
Each problem names file, line, column, value and rule.

>>> print(Problem("events.csv", 7, "date", "1959-13", "not an EDTF date"))
events.csv, line 7, column date, value '1959-13': not an EDTF date
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from albru import dates

#: Name of the schema file inside the data directory.
SCHEMA_FILE = "datapackage.json"
#: Year the eras must start in (the schema's description of eras).
FIRST_YEAR = 1912
# Tables and columns of the rules the schema cannot state.
_ERAS, _EVENTS, _MEMBERSHIPS, _CLAIMS = "eras", "events", "memberships", "claims"
_SPAN_OWNER = ("actor_id", "org_id")
_INTEGER = r"[+-]?[0-9]+"
_NUMBER = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"
_DAY = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_CHECKED = {"required", "unique", "enum", "pattern", "minimum", "maximum"}


@dataclass(frozen=True)
class Problem:
    """One broken rule: the file, its line (header = line 1), the column, the value, the rule.

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
            parts.append(f"value {self.value!r}")
        return f"{', '.join(parts)}: {self.rule}"


class AlbruDataError(ValueError):
    """The data breaks rules; ``problems`` lists every one and the message prints them.

    >>> error = AlbruDataError([Problem("ties.csv", 3, "sign", "2", "not one of -1, 1")])
    >>> print(error)
    1 problem in the albru data:
      ties.csv, line 3, column sign, value '2': not one of -1, 1
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        count = f"{len(self.problems)} problem{'' if len(self.problems) == 1 else 's'}"
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{count} in the albru data:\n{lines}")


@dataclass
class Table:
    """A resource as read: typed schema columns, the file line of each row, parsed EDTF fields."""

    resource: dict[str, Any]
    frame: pd.DataFrame
    lines: pd.Series
    dates: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def file(self) -> str:
        """The CSV file name."""
        return str(self.resource["path"])

    @property
    def key(self) -> list[str]:
        """The primary key's fields."""
        return _as_list(self.resource["schema"].get("primaryKey", []))

    def role(self, role: str) -> str | None:
        """The field whose ``edtf`` property is ``role`` ("point", "start" or "end"), if any."""
        names = [f["name"] for f in self.resource["schema"]["fields"] if f.get("edtf") == role]
        return names[0] if names and names[0] in self.dates else None


def data_dir() -> Path:
    """The data directory: ``albru/data`` in an installed wheel, else ``data/`` of the checkout.

    >>> (data_dir() / "datapackage.json").is_file()
    True
    """
    shipped = resources.files("albru") / "data"
    if (shipped / SCHEMA_FILE).is_file():
        return Path(str(shipped))
    return Path(__file__).resolve().parent.parent / "data"


def validate(data_dir: str | Path | None = None) -> list[Problem]:
    """Every problem of the data: the loader's own checks plus frictionless's validation.

    Frictionless is imported only here, since its import alone takes about a second. What it
    reports at a place (file and line) the loader's checks already flagged is left out.

    >>> validate()
    []
    """
    return check(resolve(data_dir), frictionless=True)[1]


def resolve(directory: str | Path | None) -> Path:
    """The given data directory as a Path; None means the shipped data."""
    return data_dir() if directory is None else Path(directory)


def check(directory: Path, frictionless: bool = False) -> tuple[dict[str, Table], list[Problem]]:
    """Read every resource of the schema in ``directory`` and check every rule.

    Returns the tables that could be read and all problems found, in file and line order;
    ``frictionless=True`` adds the problems only frictionless's validation finds.
    """
    problems: list[Problem] = []
    package = _read_schema(directory, problems) or {"resources": []}
    tables: dict[str, Table] = {}
    for resource in package["resources"]:
        table = _read_table(directory, resource, problems)
        if table is not None:
            tables[resource["name"]] = table
    for table in tables.values():
        _check_primary_key(table, problems)
        _check_foreign_keys(table, tables, problems)
        _check_span_order(table, problems)
    if _ERAS in tables:
        _check_eras(tables[_ERAS], problems)
        if _EVENTS in tables:
            _check_events_in_eras(tables[_EVENTS], tables[_ERAS], problems)
    if _MEMBERSHIPS in tables:
        _check_overlaps(tables[_MEMBERSHIPS], problems)
    if _CLAIMS in tables:
        _check_claims(tables[_CLAIMS], tables, problems)
    if frictionless:
        problems += _news(problems, _frictionless(directory))
    return tables, _sorted(problems, [resource["path"] for resource in package["resources"]])


def era_index(
    starts: pd.Series, ends: pd.Series, era_starts: pd.Series, era_ends: pd.Series
) -> np.ndarray:
    """Position of the one era holding each [start, end] (open era end = NaT); -1 if not one.

    >>> day = pd.to_datetime
    >>> era_index(day(pd.Series(["1950-01-01", "1960-01-01"])), day(pd.Series(["1950-02-01",
    ...     "1960-01-01"])), day(pd.Series(["1940-01-01", "1955-01-01"])),
    ...     day(pd.Series(["1954-12-31", None])))
    array([0, 1])
    """
    inside = _containing(starts, ends, era_starts, era_ends)
    return np.where(inside.sum(axis=1) == 1, inside.argmax(axis=1), -1)


def _containing(
    starts: pd.Series, ends: pd.Series, era_starts: pd.Series, era_ends: pd.Series
) -> np.ndarray:
    """Matrix events x eras: True where the era holds the event's whole window."""
    after_start = era_starts.to_numpy()[None, :] <= starts.to_numpy()[:, None]
    return after_start & _before_end(ends, era_ends)


def _before_end(days: pd.Series, era_ends: pd.Series) -> np.ndarray:
    """Matrix days x eras: True where the day is not after the era's end (NaT = open)."""
    return (days.to_numpy()[:, None] <= era_ends.to_numpy()[None, :]) | era_ends.isna().to_numpy()


def _sorted(problems: list[Problem], files: list[str]) -> list[Problem]:
    """Problems in file order (the schema, then the resources as it lists them), then by line."""
    order = {file: i for i, file in enumerate([SCHEMA_FILE, *files])}
    return sorted(problems, key=lambda p: (order.get(p.file, len(order)), p.file, p.line or 0,
                                           p.column or ""))


def _read_schema(directory: Path, problems: list[Problem]) -> dict[str, Any]:
    """The parsed datapackage.json, or {} after recording why it cannot be read."""
    path = directory / SCHEMA_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Problem(SCHEMA_FILE, None, None, None, f"file missing in {directory}"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", None)
        problems.append(Problem(SCHEMA_FILE, line, None, None, f"unreadable: {error}"))
    return {}


def _read_rows(path: Path, file: str, problems: list[Problem]) -> tuple[list[list[str]], list[int]]:
    """CSV records and the line each starts on, decoding strictly as UTF-8.

    Cells that are not UTF-8 are reported and kept with their bytes written as escapes.
    """
    raw = path.read_bytes()
    try:
        text, utf8 = raw.decode("utf-8"), True
    except UnicodeDecodeError:
        text, utf8 = raw.decode("utf-8", "surrogateescape"), False
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    end = 0  # the last physical line read so far; a record starts on the next one
    try:
        for row in reader:
            rows.append(row)
            lines.append(end + 1)
            end = reader.line_num
    except csv.Error as error:
        problems.append(Problem(file, reader.line_num, None, None, f"not valid CSV: {error}"))
    if not utf8:
        header = rows[0] if rows else []
        for row, line in zip(rows, lines, strict=True):
            for i, cell in enumerate(row):
                clean = cell.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                if clean != cell:
                    column = header[i] if i < len(header) and line > 1 else None
                    problems.append(Problem(file, line, column, clean, "not UTF-8 text"))
                    row[i] = clean
    return rows, lines


def _read_table(directory: Path, resource: dict[str, Any], problems: list[Problem]) -> Table | None:
    """Read one resource and check its header and cells; None when it cannot be read at all."""
    file = str(resource["path"])
    schema = resource["schema"]
    path = directory / file
    if not path.is_file():
        problems.append(Problem(file, None, None, None, "file missing"))
        return None
    rows, lines = _read_rows(path, file, problems)
    if not rows:
        problems.append(Problem(file, 1, None, None, "empty file: no header"))
        return None
    header, body, body_lines = rows[0], rows[1:], pd.Series(lines[1:], dtype="int64")
    if not _check_header(file, header, [f["name"] for f in schema["fields"]], problems):
        return None
    width = len(header)
    for i, row in enumerate(body):
        if len(row) != width:
            short = len(row) < width
            problems.append(Problem(
                file, int(body_lines[i]), header[len(row)] if short else None,
                None if short else row[width], f"{len(row)} cells where the header has {width}",
            ))
            body[i] = (row + [""] * width)[:width]
    raw = pd.DataFrame(body, columns=header, dtype="string")
    raw = raw.mask(raw == "")
    keys = _key_fields(schema)
    table = Table(resource, pd.DataFrame(index=raw.index), body_lines)
    for spec in schema["fields"]:
        if spec["name"] in raw:
            _check_field(table, spec, raw[spec["name"]], spec["name"] in keys, problems)
    return table


def _check_header(file: str, header: list[str], names: list[str], problems: list[Problem]) -> bool:
    """Report header cells that differ from the schema; False if a name repeats."""
    twice = sorted({name for name in header if header.count(name) > 1})
    for name in twice:
        problems.append(Problem(file, 1, name, None, "column appears more than once"))
    for name in names:
        if name not in header:
            problems.append(Problem(file, 1, name, None, "column missing"))
    for name in header:
        if name not in names:
            problems.append(Problem(file, 1, name, None, "column not in the schema"))
    if sorted(header) == sorted(names) and header != names:
        problems.append(Problem(file, 1, None, None, f"columns not in schema order: {names}"))
    return not twice


def _key_fields(schema: dict[str, Any]) -> set[str]:
    """Fields that identify or point at rows: primary key, unique fields, foreign keys."""
    keys = set(_as_list(schema.get("primaryKey", [])))
    keys |= {f["name"] for f in schema["fields"] if f.get("constraints", {}).get("unique")}
    for foreign in schema.get("foreignKeys", []):
        keys |= set(_as_list(foreign["fields"]))
    return keys


def _as_list(names: str | list[str]) -> list[str]:
    """A field list of the schema, which may be written as one string."""
    return [names] if isinstance(names, str) else list(names)


def _report(
    problems: list[Problem], table: Table, mask: pd.Series, column: str, values: pd.Series,
    rule: str | pd.Series,
) -> None:
    """Add a problem for every row where ``mask`` holds."""
    for i in np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool)):
        value = values.iloc[i]
        text = rule if isinstance(rule, str) else str(rule.iloc[i])
        problems.append(Problem(table.file, int(table.lines.iloc[i]), column,
                                None if pd.isna(value) else str(value), text))


def _check_field(
    table: Table, spec: dict[str, Any], cells: pd.Series, key: bool, problems: list[Problem]
) -> None:
    """Check one column against its schema field and store it typed (and its dates parsed)."""
    name, kind = spec["name"], spec.get("type", "string")
    rules = spec.get("constraints", {})
    present = cells.notna()
    if key or "edtf" in spec:
        spaced = present & (cells.str.strip() != cells)
        _report(problems, table, spaced, name, cells, "leading or trailing spaces")
    if rules.get("required"):
        _report(problems, table, ~present, name, cells, "required value is empty")
    typed, ok = _typed(kind, cells)
    if typed is None:
        problems.append(Problem(SCHEMA_FILE, None, name, kind, "type not read by albru"))
        typed, ok = cells, present
    _report(problems, table, present & ~ok, name, cells, f"not a value of type {kind}")
    ok = present & ok
    for rule in sorted(set(rules) - _CHECKED):
        problems.append(Problem(SCHEMA_FILE, None, name, rule, "constraint not checked by albru"))
    if "enum" in rules:
        allowed = rules["enum"]
        _report(problems, table, ok & ~typed.isin(allowed), name, cells,
                f"not one of {', '.join(map(str, allowed))}")
        if kind == "string":
            typed = pd.Series(pd.Categorical(typed.where(typed.isin(allowed)), categories=allowed))
    if "pattern" in rules:
        _report(problems, table, ok & ~cells.str.fullmatch(rules["pattern"]), name, cells,
                f"does not match the pattern {rules['pattern']}")
    if "minimum" in rules:
        _report(problems, table, ok & (typed < rules["minimum"]), name, cells,
                f"below the minimum {rules['minimum']}")
    if "maximum" in rules:
        _report(problems, table, ok & (typed > rules["maximum"]), name, cells,
                f"above the maximum {rules['maximum']}")
    if rules.get("unique"):
        _report_duplicates(problems, table, cells.where(ok), name)
    table.frame[name] = typed
    if "edtf" in spec:
        table.dates[name] = _parse_dates(table, name, spec["edtf"], cells.where(ok & ~spaced),
                                         problems)


def _typed(kind: str, cells: pd.Series) -> tuple[pd.Series | None, pd.Series]:
    """Cells converted to the dtype of a schema type, and where the text fits the type."""
    if kind == "string":
        return cells, cells.notna()
    pattern = {"integer": _INTEGER, "number": _NUMBER, "date": _DAY}.get(kind)
    if pattern is None:
        return None, cells.notna()
    ok = cells.str.fullmatch(pattern).fillna(False)
    if kind == "date":
        days = pd.to_datetime(cells.where(ok), format="%Y-%m-%d", errors="coerce")
        return days.astype("datetime64[ns]"), ok & days.notna()
    numbers = pd.to_numeric(cells.where(ok))
    return numbers.astype("Int64" if kind == "integer" else "float64"), ok


def _report_duplicates(
    problems: list[Problem], table: Table, keys: pd.Series, column: str
) -> None:
    """Report every repeat of a key value, naming the line of its first occurrence."""
    first = table.lines.groupby(keys).transform("first")
    repeat = keys.notna() & keys.duplicated(keep="first")
    _report(problems, table, repeat, column, keys, "duplicate of line " + first.astype(str))


def _parse_dates(
    table: Table, name: str, role: str, cells: pd.Series, problems: list[Problem]
) -> pd.DataFrame:
    """First day, last day and precision of an EDTF column; open ends ('..') give NaT."""
    is_open = cells == dates.OPEN
    if role != "end":
        _report(problems, table, is_open, name, cells,
                f"{dates.OPEN!r} (open) is allowed only in an end column")
    cells = cells.where(~is_open.fillna(False))
    good, bad = dates.parse_many(cells.dropna())
    _report(problems, table, cells.isin(list(bad)), name, cells, cells.map(bad))
    return pd.DataFrame({
        "start": pd.to_datetime(cells.map({k: b.start for k, b in good.items()})),
        "end": pd.to_datetime(cells.map({k: b.end for k, b in good.items()})),
        "precision": pd.Categorical(cells.map({k: b.precision for k, b in good.items()}),
                                    dtype=dates.PRECISION_DTYPE),
    }).astype({"start": "datetime64[ns]", "end": "datetime64[ns]"})


def _check_primary_key(table: Table, problems: list[Problem]) -> None:
    """Report repeated primary keys (single unique fields are already checked)."""
    key = table.key
    unique = {f["name"] for f in table.resource["schema"]["fields"]
              if f.get("constraints", {}).get("unique")}
    if not key or set(key) <= unique or not set(key) <= set(table.frame):
        return
    _report_duplicates(problems, table, _joined(table.frame, key), "+".join(key))


def _joined(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """The values of several columns as one text per row ("a|b"); NA if any part is missing."""
    parts = frame[columns].astype("string")
    if len(columns) == 1:
        return parts.iloc[:, 0]
    return parts.iloc[:, 0].str.cat([parts[c] for c in columns[1:]], sep="|")


def _check_foreign_keys(table: Table, tables: dict[str, Table], problems: list[Problem]) -> None:
    """Report values that point at no row of the referenced table."""
    for foreign in table.resource["schema"].get("foreignKeys", []):
        fields = _as_list(foreign["fields"])
        target = tables.get(foreign["reference"].get("resource") or table.resource["name"])
        wanted = _as_list(foreign["reference"]["fields"])
        if target is None or not set(fields) <= set(table.frame) or not set(wanted) <= set(
            target.frame
        ):
            continue
        mine, known = _joined(table.frame, fields), _joined(target.frame, wanted).dropna()
        # A referenced key with stray spaces is reported where it stands, not at every use.
        dangling = mine.notna() & ~mine.isin(known) & ~mine.isin(known.str.strip())
        _report(problems, table, dangling, "+".join(fields), mine,
                f"not found in {target.resource['name']}.{'+'.join(wanted)}")


def _check_span_order(table: Table, problems: list[Problem]) -> None:
    """Report spans whose end (last day of the end date) precedes their start."""
    start, end = table.role("start"), table.role("end")
    if start is None or end is None:
        return
    first, last = table.dates[start]["start"], table.dates[end]["end"]
    rule = "ends before it starts (" + table.frame[start].astype(str) + ")"
    _report(problems, table, last < first, end, table.frame[end], rule)


def _check_eras(eras: Table, problems: list[Problem]) -> None:
    """Eras partition the time from FIRST_YEAR to the open present: no gap, no overlap."""
    start, end = eras.role("start"), eras.role("end")
    if start is None or end is None:
        return
    first, last = eras.dates[start]["start"], eras.dates[end]["end"]
    open_end = eras.frame[end] == dates.OPEN
    if len(eras.frame) == 0 or not (first.notna() & (last.notna() | open_end)).all():
        if len(eras.frame) == 0:
            problems.append(Problem(eras.file, None, None, None, "no eras"))
        return  # the date problems are reported already
    names = eras.frame[eras.key[0]].astype(str)
    order = first.sort_values(kind="stable").index
    at = {i: (eras.file, int(eras.lines[i])) for i in order}
    if first[order[0]].year != FIRST_YEAR:
        problems.append(Problem(*at[order[0]], start, eras.frame[start][order[0]],
                                f"the first era must begin in {FIRST_YEAR}"))
    for before, after in itertools.pairwise(order):
        value = eras.frame[start][after]
        if pd.isna(last[before]):
            rule = f"overlaps era {names[before]}, which is open"
        else:
            gap = (first[after] - last[before]).days - 1
            rule = (f"leaves a gap of {gap} days after era {names[before]}" if gap > 0 else
                    f"overlaps era {names[before]} (ends {eras.frame[end][before]})" if gap < 0
                    else "")
        if rule:
            problems.append(Problem(*at[after], start, value, rule))
    if pd.notna(last[order[-1]]):
        problems.append(Problem(*at[order[-1]], end, eras.frame[end][order[-1]],
                                f"the last era must be open ({dates.OPEN!r})"))


def _check_events_in_eras(events: Table, eras: Table, problems: list[Problem]) -> None:
    """Every event's [start, end] lies inside exactly one era."""
    point, start, end = events.role("point"), eras.role("start"), eras.role("end")
    if point is None or start is None or end is None:
        return
    era_first, era_last = eras.dates[start]["start"], eras.dates[end]["end"]
    usable = era_first.notna() & (era_last.notna() | (eras.frame[end] == dates.OPEN))
    names = eras.frame[eras.key[0]][usable].astype(str)
    era_first, era_last = era_first[usable], era_last[usable]
    first, last = events.dates[point]["start"], events.dates[point]["end"]
    inside = _containing(first, last, era_first, era_last)
    touched = (era_first.to_numpy()[None, :] <= last.to_numpy()[:, None]) & _before_end(
        first, era_last)
    rules = []
    for row_inside, row_touched in zip(inside, touched, strict=True):
        held = ", ".join(names[row_inside])
        crossed = ", ".join(names[row_touched])
        rules.append("" if row_inside.sum() == 1 else f"lies in more than one era: {held}"
                     if row_inside.any() else f"straddles eras {crossed}"
                     if row_touched.sum() > 1 else f"lies partly outside era {crossed}"
                     if row_touched.any() else "lies in no era")
    rule = pd.Series(rules, dtype="string")
    _report(problems, events, first.notna() & (rule != ""), point, events.frame[point], rule)


def _check_overlaps(spans: Table, problems: list[Problem]) -> None:
    """One actor's spans in one organization do not overlap (an open end lasts for ever)."""
    start, end = spans.role("start"), spans.role("end")
    if start is None or end is None or not set(_SPAN_OWNER) <= set(spans.frame):
        return
    frame = spans.frame[list(_SPAN_OWNER)].astype("string").assign(
        first=spans.dates[start]["start"],
        last=spans.dates[end]["end"].fillna(pd.Timestamp.max),
        line=spans.lines,
    )
    usable = frame["first"].notna() & (spans.dates[end]["end"].notna()
                                       | (spans.frame[end] == dates.OPEN))
    frame = frame[usable & frame[list(_SPAN_OWNER)].notna().all(axis=1)]
    for owner, group in frame.sort_values("first", kind="stable").groupby(list(_SPAN_OWNER)):
        reach, reach_line = pd.Timestamp.min, 0
        for i, row in group.iterrows():
            if row["first"] <= reach:
                problems.append(Problem(
                    spans.file, int(row["line"]), start, str(spans.frame[start][i]),
                    f"overlaps the span of {' in '.join(owner)} on line {reach_line}",
                ))
            if row["last"] > reach:
                reach, reach_line = row["last"], int(row["line"])


def _check_claims(claims: Table, tables: dict[str, Table], problems: list[Problem]) -> None:
    """Each claim's ``record_id`` is a key of the table it names and ``column`` is one of that
    table's fields, so no disagreement points at nothing."""
    frame = claims.frame
    if not {"table", "record_id", "column"} <= set(frame):
        return
    named = frame["table"].astype("string")
    for name in sorted(set(named.dropna())):
        target = tables.get(name)
        if target is None or len(target.key) != 1:
            continue
        rows = named == name
        keys = target.frame[target.key[0]].astype("string").dropna()
        fields = [f["name"] for f in target.resource["schema"]["fields"]]
        record, column = frame["record_id"].astype("string"), frame["column"].astype("string")
        _report(problems, claims, rows & record.notna() & ~record.isin(keys), "record_id",
                record, f"not found in {name}.{target.key[0]}")
        _report(problems, claims, rows & column.notna() & ~column.isin(fields), "column",
                column, f"not a column of {name}")


def _news(known: list[Problem], found: list[Problem]) -> list[Problem]:
    """Problems of ``found`` at a place (file and line, or file alone) ``known`` does not name;
    one without a line is kept once, however many files frictionless reports it for."""
    seen: set[object] = {(p.file, p.line) for p in known} | {p.rule for p in known}
    news = []
    for problem in found:
        if (problem.file, problem.line) in seen or (problem.line is None and problem.rule in seen):
            continue
        news.append(problem)
        seen |= {(problem.file, problem.line), problem.rule if problem.line is None else None}
    return news


def _frictionless(directory: Path) -> list[Problem]:
    """The frictionless library's validation of the package, as problems."""
    import frictionless

    report = frictionless.validate(str(directory / SCHEMA_FILE))
    problems = [Problem(SCHEMA_FILE, None, None, None, f"frictionless: {error.message}")
                for error in report.errors]
    for task in report.tasks:
        for error in task.errors:
            line = getattr(error, "row_number", None)
            if line is None and getattr(error, "row_numbers", None):
                line = 1
            cell = getattr(error, "cell", None)
            column = getattr(error, "field_name", None) or getattr(error, "label", None)
            problems.append(Problem(
                Path(task.place).name if task.place else task.name, line, column or None,
                None if cell is None else str(cell),
                f"frictionless {error.type}: {error.note or error.title}",
            ))
    return problems
