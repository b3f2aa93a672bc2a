"""Signed-network results under disputed tie and bloc dates, for the analyses of
:mod:`albru.network`."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import pairwise

import numpy as np
import pandas as pd

from albru import dyad, network
from albru._compat import renamed
from albru._snapshots import _decider_order, _Snapshots
from albru.dataset import Dataset
from albru.uncertainty.claims import _bound, _choices, _key

__all__ = ["distance_variants", "triad_spell_variants"]

#: A variant as :func:`distance_variants` walks them: its label, a maker of its snapshots
#: (``albru._Snapshots``), and the graph keys of its days.
_Entry = tuple[str, Callable[[], "_Snapshots"], Callable[[np.ndarray], list[bytes]]]


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


def _date_variants(ds: Dataset, records: list[str]) -> Iterator[_Entry]:
    """:func:`claim_variants` over the start and end dates of ``records`` (ties and
    memberships), without building each dataset: ``(label, make, keys)`` where ``make()`` gives
    the snapshots with the variant's dates and ``keys(days)`` its :func:`_day_keys` from the
    changed dates alone."""
    base = _spans(ds)
    tables = list(_GRAPH_COLUMNS)
    where = {}  # (table, record) -> row of the record in the stacked tables
    offset = np.cumsum([0, *(len(start) for start, _ in base)])
    for t, table in enumerate(tables):
        frame = getattr(ds, table)
        where.update({(table, str(r)): offset[t] + i
                      for i, r in enumerate(frame[_key(ds, table)].astype(str))})
    first, last = (np.concatenate(parts) for parts in zip(*base, strict=True))
    snaps = _Snapshots(ds)
    recorded: dict[bytes, np.ndarray] = {}  # the mask of the data as recorded, by days

    def bits(start: np.ndarray, end: np.ndarray, rows: np.ndarray, order: bytes,
             days: np.ndarray) -> list:
        """:func:`_active_bits` of a variant that changes the dates of ``rows`` alone, each
        followed by the order of its ties' starts (which picks the tie deciding an edge)."""
        key = days.tobytes()
        if key not in recorded:
            recorded[key] = _active(first, last, days)
        mask = recorded[key]
        if len(rows):
            mask = mask.copy()
            mask[:, rows] = _active(start[rows], end[rows], days)
        return [bits + order for bits in _packed(mask)]

    for label, choice in _choices(ds, ["ties", "memberships"], ["start", "end"], records,
                                  4096, None, None):
        start, end = first.copy(), last.copy()
        for (table, record, column), value in choice.items():
            role = ds.package.dates[table, column]
            (end if column == "end" else start)[where[table, record]] = _bound(
                value, role).to_datetime64()
        rows = np.unique([where[table, record] for table, record, _ in choice]).astype(np.int64)
        ties, memberships = ((start[a:b], end[a:b]) for a, b in pairwise(offset[:3]))
        make = functools.partial(snaps.redated, ties, memberships)
        order = _decider_order(ties[0], snaps.ties.rows)  # make()'s, without making
        yield label, make, functools.partial(bits, start, end, rows, order)


def _restrict(ds: Dataset, nodes: Sequence[str]) -> Dataset:
    """The dataset with only the ties among ``nodes`` and the memberships of ``nodes``: all a
    graph needs for the signs among ``nodes`` (a direct tie, or co-membership in a bloc)."""
    ties = ds.ties[ds.ties["actor_a"].isin(nodes) & ds.ties["actor_b"].isin(nodes)]
    members = ds.memberships[ds.memberships["actor_id"].isin(nodes)]
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
        spells = pd.DataFrame(found, columns=["start", "end", "years"])  # unbalanced_spells'
        at = min(range(len(found)), key=lambda i: (-found[i]["years"], found[i]["start"]),
                 default=None)  # the longest spell, the earliest among equals
        rows.append({
            "variant": label,
            "spells": len(spells),
            "longest_start": spells["start"].iloc[at] if len(spells) else pd.NaT,
            "longest_end": spells["end"].iloc[at] if len(spells) else pd.NaT,
            "longest_years": float(spells["years"].iloc[at]) if len(spells) else np.nan,
            "total_years": float(spells["years"].sum()),
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
    if variants is None:  # only dates change: keys come from the dates, datasets on demand
        entries = _date_variants(ds, _relevant_records(ds, None, network.BLOCS))
    else:
        entries = ((label, functools.partial(_Snapshots, variant),
                    functools.partial(_day_keys, variant)) for label, variant in variants)
    when = {month_day: np.array([f"{year:04d}-{month_day}" for year in years],
                                dtype="datetime64[ns]") for month_day in month_days}
    found: list[tuple] = []  # the columns' values of each graph met
    ids: dict[bytes, int] = {}  # a graph's key -> its place in found
    rows, keys = [], []
    for label, make, day_keys_of in entries:
        for month_day in month_days:
            day_keys = day_keys_of(when[month_day])
            at = [ids.get(key, -1) for key in day_keys]
            if -1 in at:
                new: dict[bytes, int] = {}  # years whose graph no earlier day or variant had
                for year, key, i in zip(years, day_keys, at, strict=True):
                    if i < 0:
                        new.setdefault(key, year)  # one year per graph
                series = network._positions(make(), list(new.values()), a, b,
                                            month_day=month_day)
                for key, values in zip(new, series[columns].itertuples(index=False),
                                       strict=True):
                    ids[key] = len(found)
                    found.append(tuple(values))
                at = [ids[key] for key in day_keys]
            rows.append(at)
            keys.append((label, month_day))
    index = pd.MultiIndex.from_tuples(keys, names=["variant", "month_day"])
    place = np.array(rows, dtype=np.int64).reshape(len(rows), len(years))
    tables = {}
    for i, name in enumerate(columns):
        values = np.empty(len(found), dtype=object)
        values[:] = [row[i] for row in found]
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
