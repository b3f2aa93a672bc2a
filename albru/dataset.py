"""Read the data once: every file of ``datapackage.json`` decoded, parsed, typed and checked,
returned as a :class:`Dataset` with the schema's metadata on it.

Each file is read once: the schema by :func:`albru.files.read_schema` (the one parse of
``datapackage.json``) and judged by :mod:`albru.schema`, each table by :mod:`albru.reader` and
judged by :mod:`albru.validation`. The data folder is a closed world: nothing is fetched, no
link leading out of it is followed, and a special file is refused unopened. Types are fixed at
load time from the schema, EDTF dates become first and last days with a precision, and events
carry their event type's coding and their era (missing when the date may fall in more than one
era, with ``era_first`` and ``era_last`` giving the range).

>>> ds = load()
>>> ds.eras["era_id"].cat.ordered, ds.events["era"].dtype == ds.eras["era_id"].dtype
(True, True)
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from albru import dates, files, reader, schema, textreuse, validation
from albru._compat import renamed
from albru.files import SCHEMA_FILE, data_dir
from albru.problems import AlbruDataError, Problem
from albru.reader import Table, parse_dates, read_table

__all__ = [
    "ARTICLE_FILE", "SCHEMA_FILE", "Dataset", "Package", "article_text", "data_dir", "derive",
    "load",
    "read_package", "read_tables", "validate",
]

#: The article text the locators point into, inside the data directory.
ARTICLE_FILE = "article/albania-russia-relations.txt.gz"
# Tables the Dataset may do without (an older package has no cameo table).
_OPTIONAL = {"cameo": ["cameo", "label", "goldstein"]}
# Tables derived by load(), kept by the origins of the tables each was derived from.
#: Frames derived from the tables the reader kept, under the tables' origins.
_DERIVED = reader.Kept(reader.KEPT_TABLES)


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
        table = read_table(directory, resource, problems)
        if table is not None:
            problems += _check_cells(table)
            tables[resource["name"]] = table
    named = {p.file for p in problems}
    problems += [p for p in files.strays(directory) if p.file not in named]
    problems += validation.check_tables(tables, parsed, kept=True)
    return parsed, tables, problems


def _check_cells(table: Table) -> list[Problem]:
    """:func:`albru.validation.check_cells` of a table fresh from the reader, judged once for
    every copy of one reading (see :meth:`albru.reader.Table.judge`)."""
    return table.judge(("check_cells", validation.MAX_LISTED, validation.MAX_PATTERN_CELL),
                       lambda: validation.check_cells(table))


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


def read_package(data_dir: str | Path | None = None, package: str = SCHEMA_FILE,
                 resources: Iterable[str] | None = None, *,
                 directory: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """The typed tables of any data package, checked against its own schema.

    Parameters
    ----------
    data_dir : the folder holding the package (e.g. ``data/external``); required
        (``directory`` is its deprecated name).
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
    folder = renamed("read_package", "directory", "data_dir", directory, data_dir)
    if folder is None:
        raise TypeError("read_package: data_dir= is required (the folder holding the package)")
    parsed, tables, problems = read_tables(folder, package, resources)
    if problems:
        raise AlbruDataError(_sorted(problems, parsed))
    return {name: _frame(table) for name, table in tables.items()}


def _read_schema(directory: Path, package: str, problems: list[Problem]) -> dict[str, Any] | None:
    """The parsed and structurally sound schema, or None after recording why not."""
    parsed, found = files.read_schema(directory, package)
    if parsed is not None:
        found = schema.check_package(parsed)
        if package != SCHEMA_FILE:
            found = [Problem(package, p.line, p.column, p.value, p.rule) for p in found]
    problems += found
    return None if found else parsed


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

    ``schema`` is the whole parsed file the tables were read with, so that code given a
    Dataset interprets it with its own schema, never by reading the shipped file again.

    >>> [r["name"] for r in load().package.schema["resources"]][:2]
    ['sources', 'actors']
    """

    name: str
    title: str
    description: str
    version: str
    as_of: pd.Timestamp | None
    licenses: tuple[str, ...]
    sources: tuple[str, ...]
    columns: pd.DataFrame = field(repr=False)
    schema: Mapping[str, Any] = field(repr=False, compare=False, default_factory=dict)
    #: The EDTF role of each date column, by ``(table, column)``: ``point``, ``start`` or ``end``.
    dates: Mapping[tuple[str, str], str] = field(default_factory=dict, repr=False)
    #: The primary key of each table that has one, as a tuple of columns.
    keys: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

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
            schema=package,
            dates={(r["name"], f["name"]): f["edtf"] for r in package["resources"]
                   for f in r["schema"]["fields"] if "edtf" in f},
            keys={r["name"]: (key,) if isinstance(key, str) else tuple(key)
                  for r in package["resources"] if (key := r["schema"].get("primaryKey"))},
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
        first, last = (self.searches[c].to_numpy().astype("datetime64[Y]").astype("int64") + 1970
                       for c in ("start", "end"))
        count = np.maximum(last - first + 1, 0)
        offset = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
        return np.unique(np.repeat(first, count) + offset)  # every year of every search

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

    Every file is read each time; a table whose file, resource and limits are those of one
    read before is neither parsed, judged nor derived again (see
    :func:`albru.reader.read_table`), and the frames returned are the caller's own.

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
    albru.problems.AlbruDataError: 1 problem in the albru data:
      datapackage.json: file missing in /nonexistent
    """
    directory = _resolve(data_dir)
    package, tables, problems = _read_albru(directory)
    if problems:
        raise AlbruDataError(_sorted(problems, package))
    meta = Package.from_schema(package)
    frames = {name: _derived([table], lambda name=name, table=table: derive(
        name, table.frame, meta, parsed=table.dates))
              for name, table in tables.items() if name != "events"}
    for name, columns in _OPTIONAL.items():
        frames.setdefault(name, pd.DataFrame({c: pd.Series(dtype="string") for c in columns}))
    events = tables["events"]
    frames["events"] = _derived(
        [events, tables["event_types"], tables["eras"]],
        lambda: derive("events", events.frame, meta, parsed=events.dates,
                       event_types=frames["event_types"], eras=frames["eras"]))
    return Dataset(**frames, package=meta)


def _derived(tables: list[Table], make: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``make()``, the derivation of a table from ``tables`` as the reader read them, kept
    under their origins (which hold all it depends on: bytes, resources, limits) and handed
    out as a frame of the caller's own (the reader's KEPT_TABLES kept, least recently used
    first out)."""
    return reader.handed(_DERIVED.take(tuple(table.origin for table in tables), make))


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
            problems += _news(problems, _frictionless(directory, package, list(tables)))
    return _sorted(problems, package)


def _read_albru(directory: Path) -> tuple[dict[str, Any], dict[str, Table], list[Problem]]:
    """Read the package and add the albru rules and the Dataset's needs."""
    package, tables, problems = read_tables(directory)
    if package:
        needs = schema.check_albru_schema(package) + _unfit(package)
        problems += needs
        if not needs:
            problems += validation.check_albru(tables, kept=True)
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
    albru.files.Refused
        when the file is missing, leads out of the data folder, or is not gzip-compressed
        UTF-8 within the size limit.

    Examples
    --------
    >>> article_text().startswith("The establishment of diplomatic relations")
    True
    """
    return files.read_gzip_text(_resolve(data_dir), ARTICLE_FILE)


def _check_article(directory: Path, tables: dict[str, Table]) -> list[Problem]:
    """The provenance rules against the article text shipped beside the data."""
    cites = any("section" in t.cells and t.cells["section"].notna().any() for t in tables.values())
    try:
        text = article_text(directory)
    except files.Refused as why:
        if str(why) == "file missing":
            return [Problem(ARTICLE_FILE, None, None, None,
                            "file missing; the locators point into it")] if cites else []
        return [Problem(ARTICLE_FILE, None, None, None, str(why))]
    return textreuse.check_article(tables, text, ARTICLE_FILE, kept=True)


def _frame(table: Table) -> pd.DataFrame:
    """The typed columns plus the derived date columns of one table."""
    return _derive_dates(table.frame, {f["name"]: f["edtf"] for f in table.fields if "edtf" in f},
                         table.dates)


def derive(table: str, frame: pd.DataFrame, package: Package, *,
           parsed: Mapping[str, pd.DataFrame] | None = None,
           event_types: pd.DataFrame | None = None,
           eras: pd.DataFrame | None = None) -> pd.DataFrame:
    """The columns :func:`load` derives for one table, from its typed columns and the schema.

    Each EDTF column is read from its text: a ``point`` column (an event's ``date``) keeps the
    text and gains ``start``, ``end`` and ``precision``; a ``start`` or ``end`` column keeps the
    text as ``<column>_edtf`` and holds the first or last day, with ``<column>_precision``.
    Eras come in time order, their id an ordered categorical. Events (which need
    ``event_types`` and ``eras``) are joined with their type's coding, a type column whose
    name the events already use taking the suffix ``_type`` (``coding_note_type``), and with
    their eras (``era``, ``era_first``, ``era_last``), then sorted by start and id. A table
    that was derived already is derived again from its text, so an edited copy of a loaded
    table gets what :func:`load` would give it.

    Parameters
    ----------
    table
        The table's name in the schema.
    frame
        Its typed columns (or the table as loaded).
    package
        The schema's metadata (``Dataset.package``): the EDTF roles and the keys.
    parsed
        The EDTF columns already parsed (by the reader), by column; parsed here otherwise.
    event_types, eras
        The derived tables an events table is joined with.

    Returns
    -------
    pandas.DataFrame
        A new frame; ``frame`` is left as it was.

    Examples
    --------
    >>> ds = load()
    >>> ties = ds.ties.assign(start_edtf=ds.ties["start_edtf"].where(ds.ties["tie_id"] != "T013",
    ...                                                               "1956"))
    >>> out = derive("ties", ties, ds.package).set_index("tie_id")
    >>> str(out.loc["T013", "start"].date()), out.loc["T013", "start_precision"]
    ('1956-01-01', 'year')
    >>> derive("events", ds.events, ds.package, event_types=ds.event_types,
    ...        eras=ds.eras).equals(ds.events)
    True
    """
    roles = {column: role for (name, column), role in package.dates.items() if name == table}
    if table == "events":
        if event_types is None or eras is None:
            raise ValueError("deriving events needs the event types and the eras")
        fields = package.columns.loc[package.columns["table"] == table, "column"].tolist()
        own = {*fields, *[f"{c}_{x}" for c, r in roles.items() if r != "point"
                          for x in ("edtf", "precision")],
               *(["start", "end", "precision"] if "point" in roles.values() else [])}
        frame = frame[[c for c in frame.columns if c in own]]  # drop what a join brought
    out = _derive_dates(frame, roles, parsed, table)
    if table == "eras":
        key = package.keys[table][0]
        out = out.sort_values("start", kind="stable").reset_index(drop=True)
        out[key] = pd.Categorical(out[key].astype(str), categories=out[key].astype(str).tolist(),
                                  ordered=True)
    if table == "events":
        event_key, type_key = package.keys["events"][0], package.keys["event_types"][0]
        out = out.merge(event_types, on=type_key, how="left", validate="many_to_one",
                        suffixes=("", "_type"))
        out = out.join(dates.era_range(out, eras, key=package.keys["eras"][0]))
        out = out.sort_values(["start", event_key], kind="stable").reset_index(drop=True)
    return out


def _derive_dates(frame: pd.DataFrame, roles: Mapping[str, str],
                  parsed: Mapping[str, pd.DataFrame] | None = None,
                  table: str = "") -> pd.DataFrame:
    """The frame with the columns derived from each EDTF column (see :func:`derive`); a bad
    date (only possible in text not read by the reader) raises ``ValueError``."""
    out, added = frame.copy(), {}
    for name, role in roles.items():
        if parsed is not None and name in parsed:
            days = parsed[name]
        else:
            text = out[f"{name}_edtf" if f"{name}_edtf" in out else name]
            days = parse_dates(np.array([None if pd.isna(v) else str(v) for v in text],
                                         dtype=object), role)
            bad = days["reason"].notna().to_numpy()
            if bad.any():
                at = int(np.flatnonzero(bad)[0])
                raise ValueError(f"{table}: row {at}, column {name}: {text.iloc[at]!r} is not "
                                 f"a valid date here ({days['reason'].iloc[at]})")
        days = days.set_axis(out.index)
        if role == "point":
            derived = {"start": days["start"], "end": days["end"], "precision": days["precision"]}
        else:
            if f"{name}_edtf" not in out:  # the text keeps its place under a new name
                out = out.rename(columns={name: f"{name}_edtf"})
            derived = {name: days[role], f"{name}_precision": days["precision"]}
        for column, values in derived.items():
            if column in out:
                out[column] = values  # a column derived before is replaced where it stands
            else:
                added[column] = values
    # new columns join in one step: inserting them one by one fragments a wide frame
    return pd.concat([out, pd.DataFrame(added, index=out.index)], axis=1) if added else out


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


# The keys of a package and of a resource handed to frictionless: those albru itself reads
# and checks (see albru.schema.check_package).
_PACKAGE_KEYS = ("name", "title", "description", "version", "profile", "licenses", "sources",
                 "contributors", "keywords")
_RESOURCE_KEYS = ("name", "path", "title", "description", "profile", "encoding", "schema",
                  "dialect", "licenses", "sources")


def _frictionless(directory: Path, package: Mapping[str, Any], names: list[str]) -> list[Problem]:
    """The frictionless library's validation of the resources ``names`` of a parsed (and
    checked) package, as problems.

    Frictionless is given the schema albru parsed and checked, never the file, with only the
    keys albru reads (so no ``$schema``, ``scheme`` or inline ``data`` can send it elsewhere),
    and only the resources albru could read, so it neither fetches anything nor opens a file
    albru refused.
    """
    if not names:
        return []
    import frictionless

    descriptor = {key: package[key] for key in _PACKAGE_KEYS if key in package}
    descriptor["resources"] = [{key: r[key] for key in _RESOURCE_KEYS if key in r}
                               for r in package["resources"] if r["name"] in names]
    try:
        report = frictionless.Package(descriptor, basepath=str(directory)).validate()
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
