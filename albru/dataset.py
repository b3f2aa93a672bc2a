"""Read the data once: every file of ``datapackage.json`` decoded, parsed, typed and checked,
returned as a :class:`Dataset` with the schema's metadata on it.

Each file is read once and the schema is parsed once; :mod:`albru.validation` judges the tables
read here. Files are UTF-8; a UTF-8 byte order mark at the start of a file is accepted and
dropped (spreadsheet programs write one), any other encoding is an error. Types are fixed at
load time from the schema, EDTF dates become first and last days with a precision, and events
carry their event type's coding and their era (missing when the date may fall in more than one
era, with ``era_first`` and ``era_last`` giving the range).

>>> ds = load()
>>> ds.eras["era_id"].cat.ordered, ds.events["era"].dtype == ds.eras["era_id"].dtype
(True, True)
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from albru import dates, validation
from albru.validation import SCHEMA_FILE, TYPES, AlbruDataError, Problem, Table

__all__ = [
    "ARTICLE_FILE", "SCHEMA_FILE", "Dataset", "Package", "article_text", "data_dir", "load",
    "read_package", "read_tables", "validate",
]

#: The article text the locators point into, inside the data directory.
ARTICLE_FILE = "article/albania-russia-relations.txt.gz"
_BOM = b"\xef\xbb\xbf"
_UTF16 = (b"\xff\xfe", b"\xfe\xff")
# Tables the Dataset may do without (an older package has no cameo table).
_OPTIONAL = {"cameo": ["cameo", "label", "goldstein"]}


def data_dir() -> Path:
    """The data directory: ``albru/data`` in an installed wheel, else ``data/`` of the checkout.

    Returns
    -------
    The folder holding ``datapackage.json``.

    Examples
    --------
    >>> (data_dir() / "datapackage.json").is_file()
    True
    """
    shipped = resources.files("albru") / "data"
    if (shipped / SCHEMA_FILE).is_file():
        return Path(str(shipped))
    return Path(__file__).resolve().parent.parent / "data"


def _resolve(directory: str | Path | None) -> Path:
    """The given data directory as a Path; None means the shipped data."""
    return data_dir() if directory is None else Path(directory)


# --- reading -----------------------------------------------------------------------------------


def read_tables(
    directory: str | Path, package: str = SCHEMA_FILE, resources: Iterable[str] | None = None
) -> tuple[dict[str, Any], dict[str, Table], list[Problem]]:
    """Read a data package: its schema, every resource it lists, and the problems found.

    The schema's structure is checked before any of it is used; a faulty schema reads no
    table. Each table's cells are checked against their fields, and the tables against each
    other (keys, spans, the package's ``as_of``).

    Parameters
    ----------
    directory : the folder holding the package.
    package : the schema's file name inside it.
    resources : read only these resources, and those their foreign keys point at (default:
        all); a name the schema does not list is a ValueError.

    Returns
    -------
    The parsed schema (``{}`` if unusable), the tables read by resource name, and the problems.

    Examples
    --------
    >>> schema, tables, problems = read_tables(data_dir())
    >>> problems, "events" in tables
    ([], True)
    """
    directory = Path(directory)
    problems: list[Problem] = []
    parsed = _read_schema(directory, package, problems)
    if parsed is None:
        return {}, {}, problems
    tables: dict[str, Table] = {}
    for resource in _wanted(parsed["resources"], resources):
        table = _read_table(directory, resource, problems)
        if table is not None:
            problems += validation.check_cells(table)
            tables[resource["name"]] = table
    problems += validation.check_tables(tables, parsed)
    return parsed, tables, problems


def _wanted(listed: list[dict[str, Any]], names: Iterable[str] | None) -> list[dict[str, Any]]:
    """The resources to read, in schema order: ``names`` and those their foreign keys need."""
    if names is None:
        return listed
    by_name = {r["name"]: r for r in listed}
    todo, wanted = list(names), set()
    unknown = sorted(set(todo) - set(by_name))
    if unknown:
        raise ValueError(f"no resource named {', '.join(unknown)} in the package")
    while todo:
        name = todo.pop()
        if name not in wanted:
            wanted.add(name)
            todo += [fk["reference"].get("resource") or name
                     for fk in by_name[name]["schema"].get("foreignKeys", [])]
    return [r for r in listed if r["name"] in wanted]


def read_package(directory: str | Path, package: str = SCHEMA_FILE,
                 resources: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
    """The typed tables of any data package, checked against its own schema.

    Parameters
    ----------
    directory : the folder holding the package (e.g. ``data/external``).
    package : the schema's file name inside it.
    resources : read only these resources and those their foreign keys point at (default:
        all).

    Returns
    -------
    One DataFrame per resource, in schema order: schema types, enums as categoricals, and for
    EDTF fields their first and last days and precision (see :func:`load`).

    Raises
    ------
    AlbruDataError
        listing every problem, each naming file, line, column, value and rule.

    Examples
    --------
    >>> frames = read_package(data_dir())
    >>> frames["ties"]["sign"].dtype
    Int64Dtype()
    >>> sorted(read_package(data_dir(), resources=["ties"]))  # with what its keys point at
    ['actors', 'sources', 'ties']
    """
    parsed, tables, problems = read_tables(directory, package, resources)
    if problems:
        raise AlbruDataError(_sorted(problems, parsed))
    return {name: _frame(table) for name, table in tables.items()}


def _read_schema(directory: Path, package: str, problems: list[Problem]) -> dict[str, Any] | None:
    """The parsed and structurally sound schema, or None after recording why not."""
    if directory.exists() and not directory.is_dir():
        problems.append(Problem(str(directory), None, None, None,
                                "the data path is a file, not a folder"))
        return None
    path = directory / package
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(package, None, None, None, f"file missing in {directory}"))
        return None
    except OSError as error:
        problems.append(Problem(package, None, None, None, f"cannot be read: {error.strerror}"))
        return None
    try:
        parsed = json.loads(raw.removeprefix(_BOM).decode("utf-8"))
    except UnicodeDecodeError as error:
        problems.append(Problem(package, None, None, None, f"not UTF-8 text: {error.reason}"))
        return None
    except json.JSONDecodeError as error:
        problems.append(Problem(package, error.lineno, None, None, f"not valid JSON: {error.msg}"))
        return None
    found = validation.check_package(parsed)
    if package != SCHEMA_FILE:
        found = [Problem(package, p.line, p.column, p.value, p.rule) for p in found]
    problems += found
    return None if found else parsed


def _read_table(directory: Path, resource: dict[str, Any], problems: list[Problem]) -> Table | None:
    """Read one resource; None when it cannot be read at all (the reason is recorded)."""
    file = str(resource["path"])
    path = directory / file
    try:
        inside = path.resolve().is_relative_to(directory.resolve())
    except OSError:
        inside = False
    if not inside:
        problems.append(Problem(file, None, None, None, "lies outside the data folder; refused"))
        return None
    if not path.is_file():
        problems.append(Problem(file, None, None, None,
                                "not a file" if path.exists() else "file missing"))
        return None
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.append(Problem(file, None, None, None, f"cannot be read: {error.strerror}"))
        return None
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
    for i, row in enumerate(body):
        if len(row) != width:
            short = len(row) < width
            problems.append(Problem(
                file, int(body_lines[i]), header[len(row)] if short else None,
                None if short else row[width], f"{len(row)} cells where the header has {width}",
            ))
            body[i] = (row + [""] * width)[:width]
    grid = np.empty((len(body), width), dtype=object)
    if body:
        grid[:] = body
    grid[grid == ""] = None
    names = [f["name"] for f in fields if f["name"] in header]
    cells = pd.DataFrame(grid, columns=header, dtype=object)[names]
    values = {name: grid[:, header.index(name)] for name in names}
    table = Table(resource["name"], resource, cells, pd.DataFrame(index=cells.index),
                  {}, pd.Series(body_lines, dtype="int64"),
                  control=any(re.search(validation.CONTROL, "".join(row)) for row in rows)
                  if re.search(validation.CONTROL, raw.decode("utf-8", "replace")) else False,
                  values=values)
    typed = {spec["name"]: _type_field(table, spec) for spec in fields if spec["name"] in cells}
    table.frame = pd.DataFrame(typed, index=cells.index)
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
    try:
        for row in reader:
            rows.append(row)
            lines.append(end + 1)
            end = reader.line_num
    except csv.Error as error:
        problems.append(Problem(file, end + 1, None, None,
                                f"not valid CSV in the record starting on this line: {error}"))
        return None
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


def _type_field(table: Table, spec: dict[str, Any]) -> pd.Series:
    """One column typed; where each cell fits the type and its EDTF dates parsed are stored."""
    name, kind = spec["name"], spec["type"]
    values = table.column(name)
    present = values != None
    pattern = TYPES[kind]
    if pattern is None:
        fits = present
        allowed = spec.get("constraints", {}).get("enum")
        if allowed is None:
            typed = pd.Series(pd.array(values, dtype="string"))
        else:
            known = set(allowed)
            typed = pd.Series(pd.Categorical(
                [v if v in known else None for v in values], categories=allowed))
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
        table.dates[name] = _parse_dates(np.array(usable, dtype=object), role)
    return typed


def _parse_dates(cells: np.ndarray, role: str) -> pd.DataFrame:
    """First day, last day, precision and (for bad cells) the reason, of an EDTF column; an
    open end ('..') gives NaT and is allowed only in an end column."""
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


def _sorted(problems: list[Problem], package: dict[str, Any]) -> list[Problem]:
    """Problems in file order (the schema, then the resources as it lists them), then by line."""
    files = [r["path"] for r in package.get("resources", [])]
    order = {file: i for i, file in enumerate([SCHEMA_FILE, *files])}
    return sorted(problems, key=lambda p: (order.get(p.file, len(order)), p.file, p.line or 0,
                                           p.column or ""))


# --- the albru dataset ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Package:
    """What ``datapackage.json`` says about the data: title, version, ``as_of`` (the day the
    record is complete to: the sources were last searched that day and none was read later),
    licences, sources, and a description of every column.

    >>> load().package.columns.columns.tolist()
    ['table', 'column', 'type', 'description']
    """

    name: str
    title: str
    description: str
    version: str
    as_of: pd.Timestamp | None
    licenses: tuple[str, ...]
    sources: tuple[str, ...]
    columns: pd.DataFrame = field(repr=False)

    @classmethod
    def from_schema(cls, package: dict[str, Any]) -> Package:
        """The metadata of a parsed (and checked) ``datapackage.json``."""
        rows = [(r["name"], f["name"], f.get("type", "string"), f.get("description", ""))
                for r in package["resources"] for f in r["schema"]["fields"]]
        return cls(
            name=str(package.get("name", "")),
            title=str(package.get("title", "")),
            description=str(package.get("description", "")),
            version=str(package.get("version", "")),
            as_of=pd.Timestamp(package["as_of"]) if package.get("as_of") else None,
            licenses=tuple(str(x.get("name") or x.get("title") or x) if isinstance(x, dict)
                           else str(x) for x in package.get("licenses", [])),
            sources=tuple(str(x.get("title") or x.get("path") or x) if isinstance(x, dict)
                          else str(x) for x in package.get("sources", [])),
            columns=pd.DataFrame(rows, columns=["table", "column", "type", "description"]),
        )

    @property
    def until(self) -> pd.Timestamp | None:
        """Former name of :attr:`as_of`; warns and returns it.

        >>> import warnings
        >>> with warnings.catch_warnings(record=True):
        ...     load().package.until == load().package.as_of
        True
        """
        warnings.warn("Package.until is deprecated; use Package.as_of (or Dataset.as_of)",
                      DeprecationWarning, stacklevel=2)
        return self.as_of


@dataclass(frozen=True, repr=False)
class Dataset:
    """The albru tables, one typed DataFrame per resource of ``datapackage.json``.

    Attributes ``sources``, ``actors``, ``actor_names``, ``event_types``, ``eras``, ``events``,
    ``memberships``, ``ties``, ``claims`` and ``cameo`` are the tables (``TABLES`` lists them);
    ``package`` holds the schema's metadata: title, version, ``as_of`` (the day the record is
    complete to, also ``Dataset.as_of``), licences, sources, and every column's description
    (``describe()``). ``searches`` records every search made for the record and
    ``sentences`` accounts for every sentence of the article.

    Examples
    --------
    >>> ds = load()
    >>> ds.actors["kind"].dtype.categories.tolist()
    ['state', 'organization']
    >>> ds.describe("events").loc["event_id"]
    'Identifier, E followed by three digits.'
    """

    TABLES: ClassVar[tuple[str, ...]] = (
        "sources", "actors", "actor_names", "event_types", "eras", "events", "memberships",
        "ties", "claims", "cameo", "searches", "sentences")

    sources: pd.DataFrame
    actors: pd.DataFrame
    actor_names: pd.DataFrame
    event_types: pd.DataFrame
    eras: pd.DataFrame
    events: pd.DataFrame
    memberships: pd.DataFrame
    ties: pd.DataFrame
    claims: pd.DataFrame
    cameo: pd.DataFrame
    searches: pd.DataFrame
    sentences: pd.DataFrame
    package: Package = field(compare=False)

    @property
    def as_of(self) -> pd.Timestamp | None:
        """The day the record is complete to (the schema's ``as_of``); not the day of the last
        event, which is :func:`albru.eras.last_event_date`.

        >>> ds = load()
        >>> ds.as_of >= ds.events["end"].max()
        True
        """
        return self.package.as_of

    def searched_years(self) -> np.ndarray:
        """The calendar years some recorded search covered (``searches``), sorted: where a count
        of zero is a finding. Outside them a per-year count is unknown, not zero.

        >>> years = load().searched_years()
        >>> int(years.min()), bool((np.diff(years) > 0).all())
        (1912, True)
        """
        spans = [range(a.year, b.year + 1)
                 for a, b in zip(self.searches["start"], self.searches["end"], strict=True)]
        return np.unique(np.fromiter((y for span in spans for y in span), dtype="int64"))

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name, in schema order.

        >>> list(load().tables())[:2]
        ['sources', 'actors']
        """
        return {name: getattr(self, name) for name in self.TABLES}

    def describe(self, table: str) -> pd.Series:
        """The schema's description of each column of ``table``, by column name.

        >>> load().describe("ties").loc["sign"]
        '+1 allied or patron, -1 rival or hostile.'
        """
        columns = self.package.columns
        rows = columns[columns["table"] == table]
        if rows.empty:
            raise KeyError(f"no table {table!r}; the tables are {', '.join(self.TABLES)}")
        return pd.Series(rows["description"].to_numpy(), index=rows["column"].to_numpy(),
                         name=table)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(frame)}" for name, frame in self.tables().items())
        meta = self.package
        as_of = "" if meta.as_of is None else f", as_of={meta.as_of.date()}"
        return (f"Dataset(rows: {sizes}; title={meta.title!r}, version={meta.version!r}"
                f"{as_of}, licenses={', '.join(meta.licenses)!r})")


def load(data_dir: str | Path | None = None) -> Dataset:
    """Read, check and type every table; raise AlbruDataError listing all problems found.

    Parameters
    ----------
    data_dir : ``None`` reads the shipped data; a path reads a copy someone is editing.

    Returns
    -------
    The Dataset: eras in time order with an ordered categorical id; events sorted by start and
    id, joined with their event type's coding (a type column whose name the events already
    use gets the suffix ``_type``, as ``coding_note_type``), with ``era`` (missing when the
    event's possible days cross an era boundary), ``era_first`` and ``era_last``.

    Raises
    ------
    AlbruDataError
        naming file, line, column, value and rule of every problem.

    Examples
    --------
    >>> ds = load()
    >>> bool((ds.events["start"] <= ds.events["end"]).all())
    True
    >>> load("/nonexistent")
    Traceback (most recent call last):
    ...
    albru.validation.AlbruDataError: 1 problem in the albru data:
      datapackage.json: file missing in /nonexistent
    """
    directory = _resolve(data_dir)
    package, tables, problems = _read_albru(directory)
    if problems:
        raise AlbruDataError(_sorted(problems, package))
    frames = {name: _frame(table) for name, table in tables.items()}
    for name, columns in _OPTIONAL.items():
        frames.setdefault(name, pd.DataFrame({c: pd.Series(dtype="string") for c in columns}))
    frames["eras"] = _sorted_eras(frames["eras"], tables["eras"].key[0])
    keys = (tables["events"].key[0], tables["event_types"].key[0], tables["eras"].key[0])
    frames["events"] = _events(frames["events"], frames["event_types"], frames["eras"], keys)
    return Dataset(**frames, package=Package.from_schema(package))


def validate(data_dir: str | Path | None = None, *, frictionless: bool = True) -> list[Problem]:
    """Every problem of the data: the loader's checks, the article provenance checks, and
    (``frictionless=True``) frictionless's own validation.

    Frictionless is imported only here, since its import alone takes about a second. What it
    reports at a place (file and line) the loader's checks already flagged is left out.

    Parameters
    ----------
    data_dir : ``None`` checks the shipped data; a path checks a copy.
    frictionless : also run the frictionless library's validation.

    Returns
    -------
    The problems in file and line order; an empty list means the data is valid.

    Examples
    --------
    >>> validate(frictionless=False)
    []
    """
    directory = _resolve(data_dir)
    package, tables, problems = _read_albru(directory)
    if package:
        problems += _check_article(directory, tables)
        if frictionless and not any(p.file == SCHEMA_FILE for p in problems):
            problems += _news(problems, _frictionless(directory))
    return _sorted(problems, package)


def _read_albru(directory: Path) -> tuple[dict[str, Any], dict[str, Table], list[Problem]]:
    """Read the package and add the albru rules and the Dataset's needs."""
    package, tables, problems = read_tables(directory)
    if package:
        needs = validation.check_albru_schema(package) + _unfit(package)
        problems += needs
        if not needs:
            problems += validation.check_albru(tables)
    return package, tables, problems


def _unfit(package: dict[str, Any]) -> list[Problem]:
    """Resources the schema and the Dataset do not agree on."""
    listed = [resource["name"] for resource in package["resources"]]
    return [Problem(SCHEMA_FILE, None, None, name, "resource missing; albru.Dataset needs it")
            for name in Dataset.TABLES if name not in listed and name not in _OPTIONAL] + [
        Problem(SCHEMA_FILE, None, None, name, "resource has no place in albru.Dataset")
        for name in listed if name not in Dataset.TABLES]


def article_text(data_dir: str | Path | None = None) -> str:
    """The article text shipped beside the data (``ARTICLE_FILE``), decompressed.

    Parameters
    ----------
    data_dir : ``None`` reads the shipped data; a path reads a copy.

    Returns
    -------
    The text, headings between ``=`` signs as in wiki markup.

    Raises
    ------
    OSError, EOFError, UnicodeDecodeError
        when the file is missing or is not gzip-compressed UTF-8.

    Examples
    --------
    >>> article_text().startswith("The establishment of diplomatic relations")
    True
    """
    path = _resolve(data_dir) / ARTICLE_FILE
    return gzip.decompress(path.read_bytes()).removeprefix(_BOM).decode("utf-8")


def _check_article(directory: Path, tables: dict[str, Table]) -> list[Problem]:
    """The provenance rules against the article text shipped beside the data."""
    path = directory / ARTICLE_FILE
    cites = any("section" in t.cells and t.cells["section"].notna().any() for t in tables.values())
    if not path.is_file():
        return [Problem(ARTICLE_FILE, None, None, None,
                        "file missing; the locators point into it")] if cites else []
    try:
        text = article_text(directory)
    except (OSError, EOFError, UnicodeDecodeError) as error:
        return [Problem(ARTICLE_FILE, None, None, None,
                        f"cannot be read as gzip-compressed UTF-8: {error}")]
    return validation.check_article(tables, text, ARTICLE_FILE)


def _frame(table: Table) -> pd.DataFrame:
    """The typed columns plus the derived date columns of one table."""
    frame = table.frame.copy()
    roles = {f["name"]: f["edtf"] for f in table.fields if "edtf" in f}
    for name, parsed in table.dates.items():
        if roles[name] == "point":
            frame = frame.assign(start=parsed["start"], end=parsed["end"],
                                 precision=parsed["precision"])
        else:
            frame = frame.rename(columns={name: f"{name}_edtf"})
            frame[name] = parsed[roles[name]]
            frame[f"{name}_precision"] = parsed["precision"]
    return frame


def _sorted_eras(eras: pd.DataFrame, key: str) -> pd.DataFrame:
    """Eras in time order, their id an ordered categorical in that order."""
    eras = eras.sort_values("start", kind="stable").reset_index(drop=True)
    eras[key] = pd.Categorical(eras[key], categories=eras[key].tolist(), ordered=True)
    return eras


def _events(
    events: pd.DataFrame, types: pd.DataFrame, eras: pd.DataFrame, keys: tuple[str, str, str]
) -> pd.DataFrame:
    """Events sorted by start and id, with their type's coding and their eras joined in."""
    event_key, type_key, era_key = keys
    joined = events.merge(types, on=type_key, how="left", validate="many_to_one",
                          suffixes=("", "_type"))
    joined = joined.join(dates.era_range(joined, eras, key=era_key))
    return joined.sort_values(["start", event_key], kind="stable").reset_index(drop=True)


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

    try:
        report = frictionless.validate(str(directory / SCHEMA_FILE))
    except Exception as error:  # noqa: BLE001 - a third party's failure becomes a problem
        return [Problem(SCHEMA_FILE, None, None, None, f"frictionless could not check: {error}")]
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
