"""Tests of the machinery behind albru.uncertainty.network's claim variants of tie and bloc
dates, each against a plain oracle on the real data."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import albru
from albru import network
from albru.uncertainty import network as un


@pytest.fixture(scope="module")
def variants() -> un._DateVariants:
    ds = albru.load()
    return un._date_variants(ds, un._relevant_records(ds, None, network.BLOCS))


def test_codes_hold_the_active_rows_and_the_order_of_each_variant(variants) -> None:
    # Every day on which a changed row may start or lapse, and the day after, in some variant.
    bounds = np.concatenate([variants.start.ravel(), variants.end.ravel()])
    bounds = bounds[~np.isnat(bounds)]
    days = np.unique(np.concatenate([bounds, bounds + np.timedelta64(1, "D")]))
    codes = variants.codes(days)
    assert codes.shape == (len(variants.labels), len(days))
    for r in range(len(variants.rows)):
        start, end = variants.start[:, r, None], variants.end[:, r, None]
        on = (start <= days) & (np.isnat(end) | (days <= end))
        assert np.array_equal((codes >> r) & 1, on), r
    assert np.array_equal(codes >> len(variants.rows),
                          np.broadcast_to(variants.order[:, None], codes.shape))
    assert len(np.unique(variants.end, axis=0)) > 1 < len(np.unique(variants.start, axis=0))


def test_places_tell_graphs_apart_by_the_active_rows_and_the_order_of_ties() -> None:
    # Two (variant, day) cells share a place exactly when their active rows and their order of
    # the ties' starts are the same, worked out here row by row. Two made-up claims move the
    # hostile T029 to before or after the start of the friendly T013 of the same pair, so that
    # on some days the same ties are active in another order.
    ds = albru.load()
    extra = ds.claims.iloc[:2].assign(claim_id=["X1", "X2"], table="ties", record_id="T029",
                                      column="start", value=["1955", "1955-07"])
    ds = dataclasses.replace(ds, claims=pd.concat([ds.claims, extra], ignore_index=True))
    records = ["T013", "T029", "M004", "M001"]
    variants = un._date_variants(ds, records)
    assert len(set(variants.orders)) > 1
    when = {md: np.array([f"{y}-{md}" for y in range(1945, 1965)], dtype="datetime64[ns]")
            for md in ("07-01", "01-01")}
    ids: dict[bytes, int] = {}
    labels, place = un._date_places(ds, records, when, ids, lambda *_: None)
    assert labels == variants.labels and sorted(np.unique(place)) == list(range(len(ids)))
    seen: dict[tuple[bytes, bytes], int] = {}
    for m, days in enumerate(when.values()):
        for v in range(len(labels)):
            start, end = variants.first.copy(), variants.last.copy()
            start[variants.rows], end[variants.rows] = variants.start[v], variants.end[v]
            active = (start <= days[:, None]) & (np.isnat(end) | (days[:, None] <= end))
            for j in range(len(days)):
                key = (active[j].tobytes(), variants.orders[variants.order[v]])
                assert seen.setdefault(key, place[v, m, j]) == place[v, m, j], (v, m, j)
    assert len(set(seen.values())) == len(seen)


def test_variant_dates_are_those_of_the_datasets_the_claims_make(variants) -> None:
    # The variants' dates are worked out without building datasets; a spread of them must have
    # the start and end days that apply_claims gives every tie, membership and period name.
    from albru.uncertainty.claims import _choices, apply_claims

    ds = albru.load()
    records = un._relevant_records(ds, None, network.BLOCS)
    choices = list(_choices(ds, ["ties", "memberships"], ["start", "end"], records, 4096, None,
                            None))
    assert [label for label, _ in choices] == variants.labels
    for v in range(0, len(choices), 97):
        made = apply_claims(ds, choices[v][1])
        for bound, moved in (("start", variants.start[v]), ("end", variants.end[v])):
            days = variants.first if bound == "start" else variants.last
            days = days.copy()
            days[variants.rows] = moved
            expected = np.concatenate([getattr(made, table)[bound].to_numpy("datetime64[ns]")
                                       for table in ("ties", "memberships", "actor_names")])
            assert np.array_equal(days.view(np.int64), expected.view(np.int64)), (v, bound)
