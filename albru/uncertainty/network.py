"""Signed-network results under disputed tie and bloc dates, for the analyses of
:mod:`albru.network`."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from albru import dyad, network
from albru._compat import renamed
from albru._snapshots import _decider_order, _Snapshots
from albru.dataset import Dataset
from albru.uncertainty.claims import _bound, _choices, _key

__all__ = ["distance_variants", "triad_spell_variants"]

def _relevant_records(ds: Dataset, nodes: Sequence[str] | None, blocs: Sequence[str]) -> list[str]:
    """Record ids of the ties and bloc memberships whose dates can change a graph over ``nodes``
    (all states when None): ties among the nodes, and full memberships (status ``member``, the
    only status that makes a bloc edge) in blocs where at least two of the nodes are members."""
    ties = ds.ties
    if nodes is not None:
        ties = ties[ties["actor_a"].isin(nodes) & ties["actor_b"].isin(nodes)]
    members = ds.memberships
    members = members[members["org_id"].isin(blocs) & (members["status"] == "member")]
    if nodes is not None:
        members = members[members["actor_id"].isin(nodes)]
        shared = members.groupby("org_id", observed=True)["actor_id"].nunique()
        members = members[members["org_id"].isin(shared.index[shared >= 2])]
    return [*ties[_key(ds, "ties")].astype(str),
            *members[_key(ds, "memberships")].astype(str)]


#: The columns a snapshot graph reads from each span table, besides its key, ``start`` and
#: ``end`` (and from ``actors``: ``actor_id``, ``kind``, ``name``).
_GRAPH_COLUMNS = {"ties": ("actor_a", "actor_b", "sign", "kind"),
                  "memberships": ("actor_id", "org_id", "status"),
                  "actor_names": ("actor_id", "name")}


def _spans(ds: Dataset) -> list[tuple[np.ndarray, np.ndarray]]:
    """The ``start`` and ``end`` days of each table a snapshot graph reads, as numpy arrays."""
    return [(getattr(ds, table)["start"].to_numpy(dtype="datetime64[ns]"),
             getattr(ds, table)["end"].to_numpy(dtype="datetime64[ns]"))
            for table in _GRAPH_COLUMNS]


def _active(start: np.ndarray, end: np.ndarray, days: np.ndarray) -> np.ndarray:
    """A (day, row) boolean matrix: is the row active on the day (``start <= day <= end``, a
    missing end open)."""
    when = days[:, None]
    return (start <= when) & (np.isnat(end) | (when <= end))


def _packed(mask: np.ndarray) -> list[bytes]:
    """Each row of a boolean matrix packed into bytes."""
    packed = np.packbits(mask, axis=1)
    return packed.view(np.dtype((np.void, packed.shape[1]))).ravel().tolist()


def _active_bits(spans: list[tuple[np.ndarray, np.ndarray]], days: np.ndarray) -> list[bytes]:
    """For each of ``days``, the rows of the span tables active then, packed into bytes."""
    return _packed(np.hstack([_active(start, end, days) for start, end in spans]))


def _day_keys(ds: Dataset, days: np.ndarray) -> list[bytes]:
    """For each of ``days``, a key of the ties, memberships and actor names active then (and of
    the other columns a graph reads from them, and of the order of the ties' starts): two days
    with one key have the same graph."""
    rest = ["\x1f".join(map(str, getattr(ds, table)[[_key(ds, table), *columns]]
                             .to_numpy().ravel())) for table, columns in _GRAPH_COLUMNS.items()]
    rest.append("\x1f".join(map(str, ds.actors[["actor_id", "kind", "name"]].to_numpy().ravel())))
    content = "\x1e".join(rest).encode() + _Snapshots(ds).order
    return [content + bits for bits in _active_bits(_spans(ds), days)]


class _DateVariants(NamedTuple):
    """:func:`claim_variants` over the start and end dates of some ties and memberships, as
    arrays instead of datasets: ``start`` and ``end`` hold each variant's (row) days of the
    ``rows`` it may change (columns; indices into the ties, memberships and actor names
    stacked), ``first`` and ``last`` the days of all rows as recorded, ``orders`` the order of
    the ties' starts (:func:`albru._snapshots._decider_order`) of each variant's ``order``."""

    labels: list[str]
    rows: np.ndarray
    start: np.ndarray
    end: np.ndarray
    first: np.ndarray
    last: np.ndarray
    order: np.ndarray
    orders: list[bytes]
    snaps: _Snapshots

    def make(self, variant: int) -> _Snapshots:
        """The snapshots with the dates of ``variant``."""
        start, end = self.first.copy(), self.last.copy()
        start[self.rows], end[self.rows] = self.start[variant], self.end[variant]
        ties, members = len(self.snaps.ties.rows), len(self.snaps.memberships.rows)
        return self.snaps.redated((start[:ties], end[:ties]),
                                  (start[ties:ties + members], end[ties:ties + members]))

    def codes(self, days: np.ndarray) -> np.ndarray:
        """A (variant, day) array of codes: bit ``r`` tells whether row ``rows[r]`` is active
        on the day, the bits above hold the variant's ``order``. Two variants with one code on
        a day have the same graph then. (There are at most 4096 variants, hence at most 12
        rows they change and 4096 orders: the codes stay below 2**24.)"""
        count = len(self.rows)
        code = np.repeat((self.order.astype(np.int64) << count)[:, None], len(days), axis=1)
        for r in range(count):  # each row takes few dates: test those, then pick by variant
            starts, which_start = np.unique(self.start[:, r], return_inverse=True)
            ends, which_end = np.unique(self.end[:, r], return_inverse=True)
            on = _active(np.repeat(starts, len(ends)), np.tile(ends, len(starts)), days).T
            code += on[which_start.ravel() * len(ends) + which_end.ravel()].astype(np.int64) << r
        return code


def _date_variants(ds: Dataset, records: list[str]) -> _DateVariants:
    """The variants of :func:`claim_variants` over the start and end dates of ``records`` (ties
    and memberships), in its order, without building their datasets."""
    base = _spans(ds)
    where = {}  # (table, record) -> row of the record in the stacked tables
    offset = np.cumsum([0, *(len(start) for start, _ in base)])
    for t, table in enumerate(_GRAPH_COLUMNS):
        frame = getattr(ds, table)
        where.update({(table, str(r)): offset[t] + i
                      for i, r in enumerate(frame[_key(ds, table)].astype(str))})
    first, last = (np.concatenate(parts) for parts in zip(*base, strict=True))
    choices = list(_choices(ds, ["ties", "memberships"], ["start", "end"], records, 4096, None,
                            None))
    takers: dict[tuple[tuple[str, str, str], str], list[int]] = defaultdict(list)
    for v, (_, choice) in enumerate(choices):
        for field_value in choice.items():
            takers[field_value].append(v)  # the variants that give a field a value
    rows = np.unique([where[table, record] for (table, record, _), _ in takers]).astype(np.int64)
    column = {row: i for i, row in enumerate(rows.tolist())}
    start, end = np.tile(first[rows], (len(choices), 1)), np.tile(last[rows], (len(choices), 1))
    for ((table, record, name), value), which in takers.items():
        day = _bound(value, ds.package.dates[table, name]).to_datetime64()
        (end if name == "end" else start)[which, column[where[table, record]]] = day
    snaps = _Snapshots(ds)
    ties = rows < len(snaps.ties.rows)
    moved, order = np.unique(start[:, ties].view(np.int64), axis=0, return_inverse=True)
    orders = []
    for starts in moved.view("datetime64[ns]"):
        tie_start = snaps.ties.start.copy()
        tie_start[rows[ties]] = starts
        orders.append(_decider_order(tie_start, snaps.ties.rows))
    return _DateVariants([label for label, _ in choices], rows, start, end, first, last,
                         order.ravel(), orders, snaps)


def _date_places(ds: Dataset, records: list[str], when: dict[str, np.ndarray],
                 ids: dict[bytes, int],
                 measure: Callable[[_Snapshots, str, list[int]], None]) -> tuple[list[str],
                                                                               np.ndarray]:
    """For the variants of :func:`_date_variants`, the graph of each variant on each of the
    days ``when`` (by month day): the labels and a (variant, month day, day) array of places
    in ``ids`` (a graph's :func:`_day_keys` -> its place). The days' graphs are told apart by
    the active rows a variant changes and its order of the ties' starts, and a full key is
    made once for each such combination on a day; ``measure(snaps, month_day, places)``
    fills the places new to ``ids`` (of the days in ``when[month_day]``, -1 where known)
    from a variant's snapshots."""
    variants = _date_variants(ds, records)
    place = np.empty((len(variants.labels), len(when), len(next(iter(when.values()), ()))),
                     dtype=np.int64)
    count = len(variants.rows)
    for m, (month_day, days) in enumerate(when.items()):
        recorded = _active(variants.first, variants.last, days)
        codes = variants.codes(days)
        new: dict[int, np.ndarray] = {}  # variant -> places of its days that are new to ids
        for j in range(len(days)):
            found, first, inverse = np.unique(codes[:, j], return_index=True,
                                              return_inverse=True)
            masks = np.repeat(recorded[j][None, :], len(found), axis=0)
            masks[:, variants.rows] = (found[:, None] >> np.arange(count)) & 1
            slots = []
            for v, bits, code in zip(first.tolist(), _packed(masks), found.tolist(),
                                     strict=True):
                key = bits + variants.orders[code >> count]
                if key not in ids:
                    ids[key] = len(ids)
                    new.setdefault(v, np.full(len(days), -1, dtype=np.int64))[j] = ids[key]
                slots.append(ids[key])
            place[:, m, j] = np.asarray(slots, dtype=np.int64)[inverse.ravel()]
        for v, places in new.items():
            measure(variants.make(v), month_day, places)
    return variants.labels, place


def _restrict(ds: Dataset, nodes: Sequence[str],
              blocs: Sequence[str] = network.BLOCS) -> Dataset:
    """The dataset with only the ties among ``nodes`` and the full memberships (status
    ``member``) of ``nodes`` in ``blocs``: all a graph needs for the signs among ``nodes`` (a
    direct tie, or co-membership in a bloc)."""
    ties = ds.ties[ds.ties["actor_a"].isin(nodes) & ds.ties["actor_b"].isin(nodes)]
    members = ds.memberships
    members = members[members["actor_id"].isin(nodes) & members["org_id"].isin(blocs)
                      & (members["status"] == "member")]
    return dataclasses.replace(ds, ties=ties.reset_index(drop=True),
                               memberships=members.reset_index(drop=True))


def _history_variants(ds: Dataset, nodes: list[str], start: str,
                      end: str) -> Iterator[tuple[str, list[dict[str, object]]]]:
    """The rows of ``albru.network.triad_history`` under :func:`claim_variants` over the start
    and end dates of the ties among ``nodes`` and of their bloc memberships, without building
    each variant's dataset: the variant's dates replace those of the snapshots, and a graph met
    in an earlier variant is not built again."""
    base = _restrict(ds, nodes)  # every record a variant changes is kept by _restrict
    snaps = _Snapshots(base)
    tables = ["ties", "memberships"]
    spans = _spans(base)[:2]  # the ties' and the memberships' days (_GRAPH_COLUMNS' order)
    where = {(table, str(r)): (t, i) for t, table in enumerate(tables)
             for i, r in enumerate(getattr(base, table)[_key(base, table)].astype(str))}
    done: dict[bytes, object] = {}
    for label, choice in _choices(base, tables, ["start", "end"],
                                  _relevant_records(ds, nodes, network.BLOCS), 4096, None, None):
        days = [(begins.copy(), ends.copy()) for begins, ends in spans]
        for (table, record, column), value in choice.items():
            t, i = where[table, record]
            role = ds.package.dates[table, column]
            days[t][column == "end"][i] = _bound(value, role).to_datetime64()
        yield label, network._triad_changes(snaps.redated(*days), nodes, days, start, end,
                                            done=done)


#: Datetime units from the coarsest to the finest.
_UNITS = ("s", "ms", "us", "ns")


def triad_spell_variants(ds: Dataset, nodes: Sequence[str] = (dyad.A, dyad.B, "YUG"),
                         start: str = "1945-01-01", end: str = "1992-12-31", *,
                         variants: Iterable[tuple[str, Dataset]] | None = None) -> pd.DataFrame:
    """The unbalanced spells of a triad under every combination of disputed tie and bloc dates.

    Parameters
    ----------
    ds
        An :class:`albru.Dataset`.
    nodes, start, end
        The triad and the span watched (as ``albru.network.triad_history`` takes them; a spell
        still running at ``end`` stops there).
    variants
        ``(label, dataset)`` pairs; by default :func:`claim_variants` over the start and end
        dates of the ties among ``nodes`` and of their bloc memberships.

    Returns
    -------
    pandas.DataFrame
        One row per variant (index ``variant``): ``spells`` (how many), ``longest_start``,
        ``longest_end``, ``longest_years`` (the longest spell; missing without one) and
        ``total_years``.

    Examples
    --------
    >>> import albru
    >>> t = triad_spell_variants(albru.load())
    >>> t.index[0], bool((t["spells"] >= 1).all())
    ('as recorded', True)
    """
    nodes = list(nodes)
    if variants is None:
        histories = _history_variants(ds, nodes, start, end)
    else:
        histories = ((label, network.triad_history(_restrict(variant, nodes), nodes, start, end)
                      .to_dict("records")) for label, variant in variants)
    rows = []
    for label, history in histories:
        found = network._spells([row["date"] for row in history],
                                [row["balanced"] for row in history], end)
        at = min(range(len(found)), key=lambda i: (-found[i]["years"], found[i]["start"]),
                 default=None)  # the longest spell, the earliest among equals
        longest = {"start": pd.NaT, "end": pd.NaT, "years": np.nan} if at is None else {
            # in the unit a column of all the spells would have: the finest among them
            **{bound: found[at][bound].as_unit(max((spell[bound].unit for spell in found),
                                                   key=_UNITS.index))
               for bound in ("start", "end")}, "years": found[at]["years"]}
        rows.append({
            "variant": label,
            "spells": len(found),
            "longest_start": longest["start"],
            "longest_end": longest["end"],
            "longest_years": float(longest["years"]),
            "total_years": float(np.sum([spell["years"] for spell in found], dtype=float)),
        })
    return pd.DataFrame(rows).set_index("variant")


def distance_variants(ds: Dataset, years: Iterable[int], *, a: str = dyad.A, b: str = dyad.B,
                      month_days: Sequence[str] = ("07-01",),
                      column: str | Sequence[str] = "distance",
                      variants: Iterable[tuple[str, Dataset]] | None = None,
                      actor: str | None = None,
                      other: str | None = None) -> pd.DataFrame | dict[str, pd.DataFrame]:
    """A yearly network series (by default the distance from Albania to Russia) under every
    combination of disputed tie and bloc dates, and on each snapshot day given.

    Parameters
    ----------
    ds
        An :class:`albru.Dataset`.
    years
        Years of the series.
    a, b
        The two states (as ``albru.network.position_series`` takes them; by default the pair
        of :mod:`albru.dyad`).
    month_days
        Snapshot days to try (``"MM-DD"``), a setting a reader could choose.
    column
        Column of ``position_series`` to keep (``distance``, ``friendly_distance``,
        ``n_allies`` ...), or a list of them: the graphs are then searched once for all.
    variants
        ``(label, dataset)`` pairs; by default :func:`claim_variants` over the start and end
        dates of all ties and bloc memberships.
    actor, other
        Deprecated names of ``a`` and ``b``.

    Returns
    -------
    pandas.DataFrame
        One row per variant and snapshot day (index ``variant``, ``month_day``; the first row
        is the data as recorded on the first day), one column per year; nullable integers
        (missing: no path). For a list of columns, such a table for each, by column.

    Examples
    --------
    >>> import albru
    >>> d = distance_variants(albru.load(), range(1960, 1963))
    >>> d.columns.tolist(), d.index[0]
    ([1960, 1961, 1962], ('as recorded', '07-01'))
    >>> both = distance_variants(albru.load(), range(1960, 1963),
    ...                          column=["distance", "friendly_distance"])
    >>> both["distance"].equals(d)
    True
    """
    a = renamed("distance_variants", "actor", "a", actor, a)
    b = renamed("distance_variants", "other", "b", other, b)
    years = list(years)
    columns = [column] if isinstance(column, str) else list(column)
    when = {month_day: np.array([f"{year:04d}-{month_day}" for year in years],
                                dtype="datetime64[ns]") for month_day in month_days}
    ids: dict[bytes, int] = {}  # a graph's key -> its place in found
    found: dict[int, tuple] = {}  # the columns' values of each graph met, by place

    def measure(snaps: _Snapshots, month_day: str, places: np.ndarray) -> None:
        """The values of the graphs new at ``places`` (-1 elsewhere), one year per graph."""
        todo = {place: year for year, place in zip(years, places.tolist(), strict=True)
                if place >= 0}
        rows = network._position_rows(snaps, list(todo.values()), a, b, month_day=month_day)
        found.update(zip(todo, (tuple(row[name] for name in columns) for row in rows),
                         strict=True))

    if variants is None:  # only dates change: keys come from the dates, datasets on demand
        labels, place = _date_places(ds, _relevant_records(ds, None, network.BLOCS), when, ids,
                                     measure)
    else:
        labels, rows = [], []
        for label, variant in variants:
            labels.append(label)
            for month_day, days in when.items():
                new = np.full(len(days), -1, dtype=np.int64)
                for j, key in enumerate(_day_keys(variant, days)):
                    if key not in ids:
                        new[j] = ids[key] = len(ids)
                    rows.append(ids[key])
                if (new >= 0).any():
                    measure(_Snapshots(variant), month_day, new)
        place = np.array(rows, dtype=np.int64)
    place = place.reshape(len(labels) * len(month_days), len(years))
    keys = [(label, month_day) for label in labels for month_day in month_days]
    index = pd.MultiIndex.from_tuples(keys, names=["variant", "month_day"])
    tables = {}
    for i, name in enumerate(columns):
        values = np.empty(len(found), dtype=object)
        values[:] = [found[at][i] for at in range(len(found))]
        tables[name] = _typed(values, place, index, pd.Index(years, name="year"))
    return tables[column] if isinstance(column, str) else tables


def _typed(values: np.ndarray, place: np.ndarray, index: pd.Index,
           columns: pd.Index) -> pd.DataFrame:
    """The table ``values[place]``: whole numbers as nullable integers (missing where there is
    no path), typed once per graph before they are placed; text as text."""
    try:
        numbers = pd.array(values, dtype="Int64")
    except (TypeError, ValueError):  # text columns such as ``allies``
        return pd.DataFrame(values[place], index=index, columns=columns,
                            dtype=object).convert_dtypes()
    return pd.DataFrame({j: numbers.take(place[:, j]) for j in range(len(columns))},
                        index=index).set_axis(columns, axis=1)
