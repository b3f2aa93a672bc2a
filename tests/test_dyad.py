"""albru.dyad: the pair named once, and the masks built on it."""

from __future__ import annotations

import pandas as pd

from albru import dyad


def test_the_dyad_is_albania_and_russia():
    assert (dyad.A, dyad.B) == dyad.DYAD == ("ALB", "RUS")


def test_is_dyadic_takes_either_direction_and_any_pair():
    events = pd.DataFrame({"source_actor": ["ALB", "RUS", "ALB", None, "SRB"],
                           "target_actor": ["RUS", "ALB", "ALB", "RUS", "RUS"]})
    assert dyad.is_dyadic(events).tolist() == [True, True, False, False, False]
    assert dyad.is_dyadic(events, "SRB", "RUS").tolist() == [False] * 4 + [True]


def test_relations_broken_keeps_only_the_pair_ruptures():
    ties = pd.DataFrame({"actor_a": ["RUS", "ALB", "ALB"], "actor_b": ["ALB", "CHN", "RUS"],
                         "kind": ["rupture", "rupture", "alliance"],
                         "start": pd.to_datetime(["1961-12-03", "1978-07-01", "1949-01-01"]),
                         "end": pd.to_datetime(["1990-07-29", "1990-12-31", "1961-12-02"])})
    assert dyad.relations_broken(ties)["start"].tolist() == [pd.Timestamp("1961-12-03")]
    assert len(dyad.relations_broken(ties, "ALB", "CHN")) == 1
