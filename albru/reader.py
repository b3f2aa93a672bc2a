"""Read one resource of a data package into a :class:`Table`: its CSV records decoded, its
cells as text, its columns typed by the schema and its EDTF dates parsed.

The file is read through :mod:`albru.files` (inside the data folder, a regular file, within its
size limit); :mod:`albru.validation` judges the tables read here. Files are UTF-8; a UTF-8 byte
order mark at the start of a file is accepted and dropped (spreadsheet programs write one), any
other encoding is an error. A table of more than MAX_ROWS rows, or with a cell of more than
MAX_CELL characters, is refused; the rows a problem of one kind names are listed up to
:data:`albru.problems.MAX_LISTED` and counted beyond.

>>> from albru.files import data_dir, read_schema
>>> schema = read_schema(data_dir())[0]
>>> ties = read_table(data_dir(), {r["name"]: r for r in schema["resources"]}["ties"], [])
>>> ties.name, ties.frame["sign"].dtype
('ties', Int64Dtype())
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from albru import dates, files
from albru.problems import MAX_LISTED, Problem

__all__ = [
    "CONTROL", "KEPT_BYTES", "KEPT_TABLES", "KEPT_VERDICTS", "MAX_CELL", "MAX_ROWS", "TYPES",
    "Kept", "Table", "as_list", "handed", "parse_dates", "read_table",
]

#: Most rows read from one table (a million bad ones are judged in seconds; more are refused).
MAX_ROWS = 1_000_000
#: Most characters in one cell (the csv module's default limit, which other libraries raise).
MAX_CELL = 131_072

#: Field types albru reads, with the regular expression a cell of each must match.
TYPES: dict[str, str | None] = {
    "string": None,
    "integer": r"[+-]?[0-9]+",
    "number": r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?",
    "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
}
# Control characters other than tab, line feed and carriage return.
CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_BOM = b"\xef\xbb\xbf"
_UTF16 = (b"\xff\xfe", b"\xfe\xff")
#: Most tables kept, and most bytes of their files (about ten times the shipped data): a file
#: read before, with the same bytes, resource and limits, is not parsed again, so a copy of the
#: data with one file changed parses one table.
KEPT_TABLES, KEPT_BYTES = 64, 4 * 2**20
#: Most verdicts kept with one table (see :meth:`Table.judge`), the least recently used first
#: dropped.
KEPT_VERDICTS = 32
_PANDAS_3 = int(pd.__version__.split(".")[0]) >= 3  # copies on write, always
FrameOrSeries = TypeVar("FrameOrSeries", pd.DataFrame, pd.Series)
T = TypeVar("T")


class Kept(OrderedDict):
    """Results kept by key for the next caller, the least recently used dropped first once
    there are more than ``most`` of them or, with ``most_size``, once their sizes add up to
    more than that (a result of over an eighth of ``most_size`` is made each time and never
    kept, so it evicts nothing). Safe to share between threads.

    >>> kept = Kept(2)
    >>> [kept.take(k, lambda k=k: k * 10) for k in (1, 2, 1, 3)]
    [10, 20, 10, 30]
    >>> list(kept)  # 2 was the least recently used
    [1, 3]
    """

    def __init__(self, most: int, most_size: int | None = None) -> None:
        super().__init__()
        self.most, self.most_size = most, most_size
        self._sizes: dict[Any, int] = {}
        self._lock = threading.Lock()

    def take(self, key: Any, make: Callable[[], T], size: int = 0) -> T:
        """The result kept under ``key``, else ``make()`` (kept under ``key``, of ``size``)."""
        missing = object()
        with self._lock:
            found = self.pop(key, missing)
        if found is missing:
            if self.most_size is not None and size > self.most_size // 8:
                return make()
            found = make()
        with self._lock:
            self[key] = found  # the most recently used last
            self._sizes[key] = size
            while len(self) > self.most or (
                    self.most_size is not None and sum(self._sizes.values()) > self.most_size):
                old, _ = self.popitem(last=False)
                del self._sizes[old]
        return found


#: The tables read so far (see :func:`read_table`).
_KEPT = Kept(KEPT_TABLES, KEPT_BYTES)


@dataclass
class Table:
    """A resource as read: its text cells, typed columns, file lines and parsed EDTF fields.

    ``cells`` holds the schema's columns as text (object dtype, None where empty), ``frame``
    the same columns typed, ``fits`` where a present cell fits its type, ``lines`` the file
    line each row starts on, and ``dates`` for each EDTF column its ``start``, ``end``,
    ``precision`` and ``reason`` (why a present cell is not a usable date); ``control`` says
    whether the file holds any control character, so cells are searched for them only then.
    ``origin`` is what the table was read from (the digest of the file's bytes, the resource
    and the limits of reading: equal origins, equal tables; empty for a table made otherwise)
    and ``judged`` the verdicts of rules over it (see :meth:`judge`), shared by every copy
    handed out of one reading.
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
    origin: tuple[Any, ...] = ()
    judged: Kept = field(default_factory=lambda: Kept(KEPT_VERDICTS))

    def judge(self, key: tuple[Any, ...], rules: Callable[[], list[Problem]],
              kept: bool = True) -> list[Problem]:
        """The problems ``rules()`` finds, taken from ``judged`` when rules of the same ``key``
        (the rule and all else its verdict depends on: its limits, the origins of the other
        tables it reads) judged this reading before. Only a table as the reader handed it out
        (one with an ``origin``), unchanged since, and only with ``kept``, keeps its verdicts;
        any other is judged afresh. At most KEPT_VERDICTS are kept, the least recently used
        dropped first.

        >>> t = Table("t", {}, pd.DataFrame(), pd.DataFrame(), {}, pd.Series([], dtype=int),
        ...           origin=("read",))
        >>> t.judge(("rule",), lambda: [Problem("t.csv", 2, None, None, "bad")])[0].rule
        'bad'
        >>> t.judge(("rule",), lambda: [])[0].rule  # kept: not judged again
        'bad'
        >>> t.judge(("rule",), lambda: [], kept=False)  # judged afresh
        []
        """
        if not (kept and self.origin):
            return rules()
        return list(self.judged.take(key, lambda: tuple(rules())))

    def shared(self, resource: dict[str, Any]) -> Table:
        """This table handed out again (for ``resource``, an entry equal to its own) while it
        is kept: its arrays made read-only, its frames and dictionaries its own (pandas copies
        a frame's data only when one is written to), but ``judged``.

        >>> t = Table("t", {}, pd.DataFrame(), pd.DataFrame(), {"k": np.ones(1, bool)},
        ...           pd.Series([2]))
        >>> t.shared({}).fits["k"].flags.writeable, t.shared({}).fits is t.fits
        (False, False)
        """
        for array in [*self.fits.values(), *self.values.values()]:
            array.flags.writeable = False
        return replace(self, resource=resource, cells=handed(self.cells),
                       frame=handed(self.frame), lines=handed(self.lines),
                       fits=dict(self.fits), values=dict(self.values),
                       dates={k: handed(v) for k, v in self.dates.items()})

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
        return as_list(self.resource["schema"].get("primaryKey", []))

    def role(self, role: str) -> str | None:
        """The field whose ``edtf`` property is ``role`` ("point", "start" or "end"), if read."""
        names = [f["name"] for f in self.fields if f.get("edtf") == role]
        return names[0] if names and names[0] in self.dates else None


def handed(frame: FrameOrSeries) -> FrameOrSeries:
    """A frame (or series) kept by albru, handed out as a new object that cannot change the
    one kept: a shallow copy where pandas copies on write (pandas 3, or pandas 2 with
    ``mode.copy_on_write`` on), else a deep one.

    >>> kept = pd.DataFrame({"a": [1]})
    >>> out = handed(kept)
    >>> out.loc[0, "a"] = 9
    >>> int(kept.loc[0, "a"])
    1
    """
    cow = _PANDAS_3 or pd.get_option("mode.copy_on_write") is True
    return frame.copy(deep=not cow)


def as_list(names: Any) -> list[str]:
    """A field list of the schema, which may be written as one string.

    >>> as_list("k"), as_list(["a", "b"])
    (['k'], ['a', 'b'])
    """
    return [names] if isinstance(names, str) else list(names)


# --- reading ---------------------------------------------------------------------------------


def read_table(directory: Path, resource: dict[str, Any], problems: list[Problem]) -> Table | None:
    """Read one resource; None when it cannot be read at all (the reason is recorded).

    A table read before is kept (up to KEPT_TABLES of them, from files of KEPT_BYTES in all,
    the least recently used going first; a file over an eighth of KEPT_BYTES is not kept) and
    taken again when the file's bytes, the resource's entry and the limits of reading
    (MAX_ROWS, MAX_CELL, MAX_LISTED and those of :mod:`albru.dates`) are all the same. The
    bytes are known by their BLAKE2b digest, never by a file name or a time stamp, which a
    copy, a link or a quick rewrite would fool; the file is read every time. Each caller gets
    a table of its own, whose arrays are read-only.

    Parameters
    ----------
    directory : the data folder.
    resource : the resource's entry of a (structurally sound) schema.
    problems : where the problems of reading are added.

    Returns
    -------
    The table read, or None.
    """
    file = str(resource["path"])
    try:
        raw = files.read_bytes(directory, file)
    except files.Refused as why:
        problems.append(Problem(file, None, None, None, str(why)))
        return None
    key = (hashlib.blake2b(raw, digest_size=32).digest(), json.dumps(resource), MAX_ROWS,
           MAX_CELL, MAX_LISTED, dates.MAX_EDTF_LENGTH, dates.MAX_EDTF_PARSED)

    def parse() -> tuple[Table | None, tuple[Problem, ...]]:
        found: list[Problem] = []
        table = _parse(raw, resource, found)
        if table is not None:
            table.origin = key
        return table, tuple(found)

    table, found = _KEPT.take(key, parse, size=len(raw))
    problems += found
    return None if table is None else table.shared(resource)


def _parse(raw: bytes, resource: dict[str, Any], problems: list[Problem]) -> Table | None:
    """The table of one resource from its file's bytes (see :func:`read_table`): a function of
    ``raw``, ``resource`` and the limits of reading alone."""
    file = str(resource["path"])
    found = _read_rows(raw, file, problems)
    if found is None:
        return None
    rows, lines = found
    fields = resource["schema"]["fields"]
    header = _check_header(file, rows[0], [f["name"] for f in fields], problems)
    if header is None:
        return None
    body, body_lines = rows[1:], np.asarray(lines[1:], dtype="int64")
    width = len(header)
    uneven = [i for i, row in enumerate(body) if len(row) != width]
    for i in uneven[:MAX_LISTED]:
        row = body[i]
        short = len(row) < width
        problems.append(Problem(
            file, int(body_lines[i]), header[len(row)] if short else None,
            None if short else row[width], f"{len(row)} cells where the header has {width}",
        ))
    _count_rest(problems, file, [int(body_lines[i]) for i in uneven], None,
                "rows with a number of cells other than the header's")
    for i in uneven:
        body[i] = (body[i] + [""] * width)[:width]
    grid = np.empty((len(body), width), dtype=object)
    if body:
        grid[:] = body
    grid[grid == ""] = None
    names = [f["name"] for f in fields if f["name"] in header]
    cells = pd.DataFrame(grid, columns=header, dtype=object)
    if names != header:
        cells = cells[names]
    values = {name: grid[:, header.index(name)] for name in names}
    table = Table(resource["name"], resource, cells, pd.DataFrame(index=cells.index),
                  {}, pd.Series(body_lines, dtype="int64"),
                  control=any(re.search(CONTROL, "".join(row)) for row in rows)
                  if re.search(CONTROL, raw.decode("utf-8", "replace")) else False,
                  values=values)
    typed = {spec["name"]: _type_field(table, spec) for spec in fields if spec["name"] in cells}
    table.frame = pd.DataFrame(typed, index=cells.index, copy=False)
    return table


def _read_rows(raw: bytes, file: str, problems: list[Problem]) -> tuple[list[list[str]],
                                                                        list[int]] | None:
    """CSV records and the line each starts on; None if the file cannot be parsed.

    A UTF-8 byte order mark is dropped. Cells that are not UTF-8 are reported and kept with
    their bytes written as escapes. A CSV error is reported on the line where the broken
    record starts, which is where an unclosed quote opens.
    """
    if raw.startswith(_UTF16):
        problems.append(Problem(file, None, None, None, "encoded as UTF-16; albru reads UTF-8"))
        return None
    raw = raw.removeprefix(_BOM)
    try:
        text, utf8 = raw.decode("utf-8"), True
    except UnicodeDecodeError:
        text, utf8 = raw.decode("utf-8", "surrogateescape"), False
    if not text.strip():
        problems.append(Problem(file, 1, None, None, "empty file: no header"))
        return None
    if text.count("\x00") > len(text) // 4:
        problems.append(Problem(file, None, None, None,
                                "full of NUL bytes: UTF-16 or binary, not UTF-8 text"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    end = 0  # the last physical line read so far; a record starts on the next one
    previous = csv.field_size_limit(MAX_CELL)  # the limit is global: frictionless raises it
    try:
        for row in reader:
            rows.append(row)
            lines.append(end + 1)
            end = reader.line_num
            if len(rows) > MAX_ROWS + 1:
                problems.append(Problem(file, end, None, None, f"more than {MAX_ROWS} rows, the "
                                        "most albru reads in one table; refused"))
                return None
    except csv.Error as error:
        problems.append(Problem(file, end + 1, None, None,
                                f"not valid CSV in the record starting on this line: {error}"))
        return None
    finally:
        csv.field_size_limit(previous)
    if not utf8:
        header = rows[0] if rows else []
        bad: list[int] = []
        for row, line in zip(rows, lines, strict=True):
            for i, cell in enumerate(row):
                clean = cell.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                if clean != cell:
                    column = header[i] if i < len(header) and line > 1 else None
                    if len(bad) < MAX_LISTED:
                        problems.append(Problem(file, line, column, clean, "not UTF-8 text"))
                    bad.append(line)
                    row[i] = clean
        _count_rest(problems, file, bad, None, "cells that are not UTF-8 text")
    return rows, lines


def _count_rest(problems: list[Problem], file: str, lines: list[int], column: str | None,
                what: str) -> None:
    """One problem counting the rows of one kind beyond the MAX_LISTED listed, if any.

    >>> found = []
    >>> _count_rest(found, "t.csv", list(range(2, MAX_LISTED + 12)), "k", "bad rows")
    >>> print(found[0])
    t.csv, line 1002, column k: and 10 more bad rows, not listed (1010 in all)
    """
    rest = len(lines) - MAX_LISTED
    if rest > 0:
        problems.append(Problem(file, lines[MAX_LISTED], column, None,
                                f"and {rest} more {what}, not listed ({len(lines)} in all)",
                                rest))


def _check_header(
    file: str, header: list[str], names: list[str], problems: list[Problem]
) -> list[str] | None:
    """Report header cells that differ from the schema; the header to use, or None if a name
    repeats or a column is missing (the rules need every column; the header names the cause)."""
    clean = [name.strip() for name in header]
    for name, cell in zip(clean, header, strict=True):
        if name != cell:
            problems.append(Problem(file, 1, name, cell, "header cell has leading or trailing "
                                                         "spaces"))
    twice = sorted({name for name in clean if clean.count(name) > 1})
    for name in twice:
        problems.append(Problem(file, 1, name, None, "column appears more than once"))
    missing = [name for name in names if name not in clean]
    for name in missing:
        problems.append(Problem(file, 1, name, None, "column missing"))
    for name in clean:
        if name not in names:
            problems.append(Problem(file, 1, name, None, "column not in the schema"))
    if sorted(clean) == sorted(names) and clean != names:
        problems.append(Problem(file, 1, None, None, f"columns not in schema order: {names}"))
    return None if twice or missing else clean


def _type_field(table: Table, spec: dict[str, Any]) -> pd.Series | pd.api.extensions.ExtensionArray:
    """One column typed; where each cell fits the type and its EDTF dates parsed are stored."""
    name, kind = spec["name"], spec["type"]
    values = table.column(name)
    present = values != None
    pattern = TYPES[kind]
    if pattern is None:
        fits = present
        allowed = spec.get("constraints", {}).get("enum")
        if allowed is None:
            typed = pd.array(values, dtype="string")
        else:
            known = set(allowed)
            typed = pd.Categorical([v if v in known else None for v in values],
                                   categories=allowed)
    else:
        rx = re.compile(pattern)
        fits = np.fromiter((v is not None and rx.fullmatch(v) is not None for v in values),
                           bool, len(values))
        kept = pd.Series(np.where(fits, values, None), dtype=object)
        if kind == "date":
            typed = pd.to_datetime(kept, format="%Y-%m-%d", errors="coerce")
            typed = typed.astype("datetime64[ns]")
        else:
            numbers = pd.to_numeric(kept, errors="coerce").astype("float64")
            limit = 2.0**53 if kind == "integer" else np.inf
            numbers = numbers.where(numbers.abs() < limit)
            typed = numbers.astype("Int64") if kind == "integer" else numbers
        fits = fits & typed.notna().to_numpy()
    table.fits[name] = fits
    role = spec.get("edtf")
    if role is not None:
        usable = [v if ok and v == v.strip() else None
                  for v, ok in zip(values, fits, strict=True)]
        table.dates[name] = parse_dates(np.array(usable, dtype=object), role)
    return typed


def parse_dates(cells: np.ndarray, role: str) -> pd.DataFrame:
    """First day, last day, precision and (for bad cells) the reason, of an EDTF column; an
    open end ('..') gives NaT and is allowed only in an end column.

    >>> d = parse_dates(np.array(["1961-12", None], dtype=object), "point")
    >>> [str(x.date()) for x in d.loc[0, ["start", "end"]]], d["precision"].isna().tolist()
    (['1961-12-01', '1961-12-31'], [False, True])
    """
    codes, texts = pd.factorize(cells)  # None gets code -1
    good, bad = dates.parse_many(t for t in texts if t != dates.OPEN)
    if role != "end":
        bad[dates.OPEN] = f"{dates.OPEN!r} (open) is allowed only in an end column"
    nat = np.datetime64("NaT", "ns")
    starts = np.array([np.datetime64(good[t].start, "ns") if t in good else nat for t in texts]
                      + [nat], dtype="datetime64[ns]")
    ends = np.array([np.datetime64(good[t].end, "ns") if t in good else nat for t in texts]
                    + [nat], dtype="datetime64[ns]")
    rank = {p: i for i, p in enumerate(dates.PRECISIONS)}
    precision = np.array([rank[good[t].precision] if t in good else -1 for t in texts] + [-1])
    reason = np.array([bad.get(t) for t in texts] + [None], dtype=object)
    return pd.DataFrame({
        "start": starts[codes],
        "end": ends[codes],
        "precision": pd.Categorical.from_codes(precision[codes], dtype=dates.PRECISION_DTYPE),
        "reason": pd.Series(reason[codes], dtype=object),
    })


