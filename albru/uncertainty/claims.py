"""Disputed values: the fields the ``claims`` table disputes, and the dataset re-derived with
the values chosen, every rule read from the Dataset's own schema (``ds.package``)."""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from albru import dates
from albru.dataset import Dataset, derive
from albru.uncertainty.draws import SEED, Seed

__all__ = ["AS_RECORDED", "apply_claims", "claim_variants", "disputed_fields", "variant_band",
           "variant_changes", "variant_outcomes"]

#: The label of the data as recorded, first among the claim and coding variants.
AS_RECORDED = "as recorded"
#: What separates the changed fields in a claim variant's label.
_JOIN = "; "


def _key(ds: Dataset, table: str) -> str:
    """The key column of a table, from the Dataset's schema (its first column when the schema
    names no primary key)."""
    return ds.package.keys.get(table, (str(getattr(ds, table).columns[0]),))[0]


def _role(ds: Dataset, table: str, column: str) -> str | None:
    """The EDTF role of a column in the Dataset's schema (None for a column that is no date)."""
    return ds.package.dates.get((table, column))


def _text(frame: pd.DataFrame, row: int, column: str, role: str | None) -> str:
    """A cell as the text a claim would give for it (an EDTF string for dates)."""
    name = column if role in (None, "point") else f"{column}_edtf"
    value = frame.at[row, name]
    return "" if pd.isna(value) else str(value)


def _row_of(ds: Dataset, frame: pd.DataFrame, table: str, record_id: str) -> Hashable:
    """Index label of the row whose key is ``record_id``."""
    key = _key(ds, table)
    hits = np.flatnonzero(frame[key].to_numpy(dtype=object) == record_id)
    if len(hits) != 1:
        raise ValueError(f"claims: {table} has {len(hits)} rows with {key} {record_id!r}")
    return frame.index[hits[0]]


def disputed_fields(ds: Dataset, tables: Iterable[str] | None = None,
                    columns: Iterable[str] | None = None,
                    records: Iterable[str] | None = None) -> pd.DataFrame:
    """The fields the claims table disputes, with the value on the row and the alternatives.

    Parameters
    ----------
    ds
        An :class:`albru.Dataset`.
    tables, columns, records
        Keep only the fields of these tables, columns or record ids (default: all).

    Returns
    -------
    pandas.DataFrame
        One row per disputed field, sorted by table, record and column: ``table``,
        ``record_id``, ``column``, ``recorded`` (the row's value as text, an EDTF string for a
        date), ``alternatives`` (tuple of the other values sources give, in claim order) and
        ``claims`` (tuple of the claim ids).

    Examples
    --------
    >>> import albru
    >>> f = disputed_fields(albru.load(), tables=["ties"], records=["T013"])
    >>> f[["record_id", "column", "recorded", "alternatives"]].values.tolist()
    [['T013', 'start', '1955-06-02', ('1956',)]]
    """
    claims = ds.claims
    keep = pd.Series(True, index=claims.index)
    for name, wanted in (("table", tables), ("column", columns), ("record_id", records)):
        if wanted is not None:
            keep &= claims[name].astype(str).isin(list(wanted))
    rows = []
    for (table, record, column), group in claims[keep].groupby(
            ["table", "record_id", "column"], sort=True, observed=True):
        frame = getattr(ds, str(table))
        role = _role(ds, str(table), str(column))
        recorded = _text(frame, _row_of(ds, frame, str(table), str(record)), str(column), role)
        others = tuple(dict.fromkeys(v for v in group["value"].astype(str) if v != recorded))
        rows.append((str(table), str(record), str(column), recorded, others,
                     tuple(group["claim_id"].astype(str))))
    return pd.DataFrame(rows, columns=["table", "record_id", "column", "recorded",
                                       "alternatives", "claims"])


def apply_claims(ds: Dataset, choice: Mapping[tuple[str, str, str], str]) -> Dataset:
    """A copy of the dataset with disputed fields set to the values chosen.

    Each table with a changed cell is derived again as the loader derives it
    (:func:`albru.dataset.derive`, with the schema of ``ds.package``): dates from their EDTF
    text (``..`` is an open end), an event's era and its type's coding, events sorted by start
    and id. The tables not named in ``choice`` are shared with ``ds``, not copied.

    Parameters
    ----------
    ds
        An :class:`albru.Dataset`.
    choice
        ``{(table, record_id, column): value}``.

    Returns
    -------
    albru.Dataset
        The variant.

    Raises
    ------
    ValueError
        For a record, a column or a date the dataset does not have or cannot read.

    Examples
    --------
    >>> import albru
    >>> ds = albru.load()
    >>> v = apply_claims(ds, {("ties", "T013", "start"): "1956"})
    >>> str(v.ties.set_index("tie_id").loc["T013", "start"].date())
    '1956-01-01'
    >>> str(ds.ties.set_index("tie_id").loc["T013", "start"].date())
    '1955-06-02'
    >>> int(apply_claims(ds, {("ties", "T022", "sign"): "-1"}).ties.set_index("tie_id").loc[
    ...     "T022", "sign"])
    -1
    """
    frames: dict[str, pd.DataFrame] = {}
    changed: dict[str, set[str]] = {}
    for (table, record, column), value in sorted(choice.items()):
        frame = frames.setdefault(table, getattr(ds, table).copy())
        row = _row_of(ds, frame, table, record)
        target = column if _role(ds, table, column) in (None, "point") else f"{column}_edtf"
        if target not in frame:
            raise ValueError(f"claims: {table} has no column {column!r}")
        frame.at[row, target] = _typed(frame[target].dtype, value, table, record, column)
        changed.setdefault(table, set()).add(column)
    return dataclasses.replace(ds, **{
        table: derive(table, frame, ds.package, parsed=_kept(ds, table, changed[table]),
                      event_types=ds.event_types, eras=ds.eras)
        for table, frame in frames.items()})


def _typed(dtype: Any, value: str, table: str, record: str, column: str) -> Any:
    """A claim's text as a value of the column's type (a claim is text in ``claims.csv``)."""
    try:
        if isinstance(dtype, pd.CategoricalDtype):
            if value not in dtype.categories:
                raise ValueError(f"not one of {', '.join(map(str, dtype.categories))}")
            return value
        return pd.array([value]).astype(dtype)[0]
    except (TypeError, ValueError) as error:
        raise ValueError(f"claims: {table} {record}, column {column}: {value!r} does not fit "
                         f"the column ({error})") from None


def _kept(ds: Dataset, table: str, changed: set[str]) -> dict[str, pd.DataFrame]:
    """The days and precisions of the table's date columns that no claim changed, as
    :func:`albru.dataset.derive` takes them already parsed (only the changed are parsed)."""
    frame = getattr(ds, table)
    kept = {}
    for (name, column), role in ds.package.dates.items():
        if name != table or column in changed:
            continue
        if role == "point":
            kept[column] = frame[["start", "end", "precision"]].reset_index(drop=True)
        else:
            kept[column] = pd.DataFrame({role: frame[column].to_numpy(),
                                         "precision": frame[f"{column}_precision"].to_numpy()})
    return kept


def _bound(value: str, role: str) -> pd.Timestamp:
    """The day a span bound written in EDTF stands for: its first day for a ``start``, its
    last for an ``end``; ``NaT`` for an open end (``..``)."""
    return pd.NaT if value == dates.OPEN else pd.Timestamp(getattr(dates.parse(value), role))


def claim_variants(ds: Dataset, *, tables: Iterable[str] | None = None,
                   columns: Iterable[str] | None = None, records: Iterable[str] | None = None,
                   limit: int = 4096, n: int | None = None,
                   seed: Seed = SEED) -> Iterator[tuple[str, Dataset]]:
    """The dataset as recorded, then once for each combination of disputed values.

    A variant gives every disputed field (among those selected) one of its values: the
    recorded one or an alternative from the claims table. All combinations are enumerated
    (the recorded combination first, then in a fixed order) unless there are more than
    ``limit``; then ``n`` combinations are sampled with ``seed`` (without ``n``, a
    ``ValueError`` says how many there are).

    Parameters
    ----------
    ds
        An :class:`albru.Dataset`.
    tables, columns, records
        Which disputed fields to vary, as in :func:`disputed_fields`.
    limit, n, seed
        Enumerate up to ``limit`` combinations; else sample ``n`` of them.

    Returns
    -------
    iterator of (str, albru.Dataset)
        The label (``"as recorded"``, or the changed fields as ``"T013.start=1956; ..."``)
        and the dataset.

    Examples
    --------
    >>> import albru
    >>> labels = [label for label, _ in claim_variants(albru.load(), records=["T013"])]
    >>> labels
    ['as recorded', 'T013.start=1956']
    """
    for label, choice in _choices(ds, tables, columns, records, limit, n, seed):
        yield label, apply_claims(ds, choice) if choice else ds


def _choices(ds: Dataset, tables: Iterable[str] | None, columns: Iterable[str] | None,
             records: Iterable[str] | None, limit: int, n: int | None,
             seed: Seed) -> Iterator[tuple[str, dict[tuple[str, str, str], str]]]:
    """The labels and ``apply_claims`` choices of :func:`claim_variants` (``{}`` as recorded)."""
    fields = disputed_fields(ds, tables, columns, records)
    fields = fields[fields["alternatives"].map(len) > 0].reset_index(drop=True)
    options = [(row.recorded, *row.alternatives) for row in fields.itertuples()]
    total = math.prod(len(o) for o in options)  # exact: numpy's int64 product can overflow
    if total <= limit:
        combos: Iterable[tuple[int, ...]] = itertools.product(*[range(len(o)) for o in options])
    elif n is None:
        raise ValueError(f"{total} combinations of disputed values exceed limit={limit}; "
                         "pass n= to sample some")
    else:
        rng = np.random.default_rng(seed)
        picks = rng.integers(0, [len(o) for o in options], size=(n, len(options)))
        combos = [tuple(0 for _ in options)] + [tuple(int(v) for v in p) for p in picks]
    names = list(zip(fields["table"], fields["record_id"], fields["column"], strict=True))
    seen = set()
    for combo in combos:
        if combo in seen:
            continue
        seen.add(combo)
        choice = {name: options[i][c]
                  for i, (name, c) in enumerate(zip(names, combo, strict=True)) if c}
        label = _JOIN.join(f"{r}.{col}={v}" for (_, r, col), v in choice.items())
        yield label or AS_RECORDED, choice


def variant_band(table: pd.DataFrame, reference: Hashable | None = None) -> pd.DataFrame:
    """How far variants (rows) move each result (columns) from a reference row.

    Parameters
    ----------
    table
        One row per variant (e.g. :func:`distance_variants` for one snapshot day).
    reference
        Label of the reference row; by default the first row (the data as recorded).

    Returns
    -------
    pandas.DataFrame
        One row per column of ``table``: ``recorded`` (the reference row's value), ``min``,
        ``max`` (over all rows), ``share_same`` (share of rows equal to the reference; missing
        equals missing).

    Examples
    --------
    >>> t = pd.DataFrame({1990: [2, 2, 3], 1991: [1, None, 1]},
    ...                  index=["as recorded", "v1", "v2"]).astype("Int64")
    >>> variant_band(t).round(2).values.tolist()
    [[2.0, 2.0, 3.0, 0.67], [1.0, 1.0, 1.0, 0.67]]
    """
    if reference is not None and (table.index == reference).sum() != 1:
        raise ValueError(f"reference {reference!r} must name exactly one row")
    at = 0 if reference is None else int(np.flatnonzero(table.index == reference)[0])
    values = table.astype(object).where(table.notna(), np.nan).to_numpy(dtype=float)
    ref = values[at]
    same = (values == ref) | (np.isnan(values) & np.isnan(ref))
    numbers = pd.DataFrame(values, columns=table.columns)
    return pd.DataFrame({"recorded": ref, "min": numbers.min(), "max": numbers.max(),
                         "share_same": same.mean(axis=0)}, index=table.columns)


def variant_changes(label: str) -> frozenset[str]:
    """The changed fields a label of :func:`claim_variants` lists, as ``record.column=value``.

    Examples
    --------
    >>> sorted(variant_changes("T013.start=1956; M001.end=1961"))
    ['M001.end=1961', 'T013.start=1956']
    >>> variant_changes(AS_RECORDED)
    frozenset()
    """
    return frozenset() if label == AS_RECORDED else frozenset(label.split(_JOIN))


def variant_outcomes(table: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The distinct results of claim variants, and what the variants giving each one share.

    Parameters
    ----------
    table
        One row per variant, indexed by its label (e.g. :func:`triad_spell_variants`).
    columns
        The columns that make a result (default: all).

    Returns
    -------
    pandas.DataFrame
        One row per distinct result, sorted (missing values kept): its values, ``variants``
        (how many give it), ``as recorded`` (whether the data as recorded is one of them) and
        ``claims shared by all`` (the changed fields every one of them has; ``-`` for none).

    Examples
    --------
    >>> t = pd.DataFrame({"spells": [1, 2, 2]},
    ...                  index=[AS_RECORDED, "T013.start=1956", "T013.start=1956; M001.end=1961"])
    >>> variant_outcomes(t)
       spells  variants  as recorded claims shared by all
    0       1         1         True                    -
    1       2         2        False      T013.start=1956
    """
    columns = list(table.columns if columns is None else columns)
    rows = []
    for result, group in table.groupby(columns, dropna=False, sort=True):
        shared = frozenset.intersection(*[variant_changes(str(v)) for v in group.index])
        rows.append({**dict(zip(columns, result, strict=True)), "variants": len(group),
                     "as recorded": AS_RECORDED in group.index,
                     "claims shared by all": _JOIN.join(sorted(shared)) or "-"})
    return pd.DataFrame(rows)
