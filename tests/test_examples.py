"""albru.examples: the toy frames agree with the rules the loader applies to real data."""

from __future__ import annotations

import pandas as pd
import pytest

from albru import examples
from albru.dates import era_range


@pytest.mark.parametrize("pair", [examples.toy_frames(),
                                  (examples.dyad_events(), examples.dyad_eras())])
def test_toy_events_carry_the_eras_their_dates_give(pair):
    events, eras = pair
    assert (events["start"] <= events["end"]).all()
    found = era_range(events, eras)
    for column in ["era", "era_first", "era_last"]:
        assert events[column].astype(str).tolist() == found[column].astype(str).tolist()
    assert eras["era_id"].cat.ordered
    assert eras["end"].isna().tolist() == [False] * (len(eras) - 1) + [True]


def test_toy_frames_are_fresh_copies():
    events, _ = examples.toy_frames()
    events.loc[0, "goldstein"] = 99.0
    assert examples.toy_frames()[0].loc[0, "goldstein"] != 99.0
    assert isinstance(examples.dyad_events()["start"].dtype, type(pd.Series(
        pd.to_datetime(["2000-01-01"])).dtype))
