"""Ties set against the events between their two actors: a tie whose span holds no such event,
or whose sign is opposite to their net Goldstein score, must carry a reference for its coding."""

from __future__ import annotations

import csv
import dataclasses
import shutil
from pathlib import Path

import pandas as pd
import pytest

import albru
from albru import provenance

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DATA, tmp_path / "data"))


def edit(directory: Path, file: str, key: str, changes: dict[str, str]) -> None:
    """Set ``changes`` on the row ``key`` of ``file`` in ``directory``."""
    path = directory / file
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    row = next(r for r in rows if r[0] == key)
    for column, value in changes.items():
        row[rows[0].index(column)] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def claims_on(directory: Path, tie: str) -> list[str]:
    """The ids of the claims on the sign of ``tie``."""
    with (directory / "claims.csv").open(newline="", encoding="utf-8") as handle:
        return [r["claim_id"] for r in csv.DictReader(handle)
                if r["record_id"] == tie and r["column"] == "sign"]


def test_every_flagged_tie_is_answered_by_a_reference() -> None:
    flags = provenance.tie_flags(albru.load())
    unanswered = flags[flags["references"].map(len) == 0]
    assert unanswered.index.tolist() == []


def test_albania_russia_1990s_tie_agrees_with_its_events() -> None:
    evidence = provenance.tie_evidence(albru.load()).loc["T022"]
    assert evidence["sign"] == 1
    assert evidence["net_goldstein"] > 0
    assert "E064" in evidence["events"]


def test_a_sign_against_the_events_is_flagged(copy: Path) -> None:
    edit(copy, "ties.csv", "T022", {"sign": "-1", "kind": "rivalry"})
    flags = provenance.tie_flags(albru.load(copy))
    assert flags.loc["T022", "reason"] == "sign against the net Goldstein score"
    assert "wp_article" not in flags.loc["T022", "references"]


def test_a_tie_resting_on_the_article_alone_is_unanswered(copy: Path) -> None:
    edit(copy, "ties.csv", "T027", {"source_id": "wp_article"})
    for claim in claims_on(copy, "T027"):
        edit(copy, "claims.csv", claim, {"value": "-1"})
    flags = provenance.tie_flags(albru.load(copy))
    assert flags.loc["T027", "reason"] == "no event in the span"
    assert flags.loc["T027", "references"] == []


def test_evidence_counts_events_by_quad_class() -> None:
    evidence = provenance.tie_evidence(albru.load())
    row = evidence.loc["T017"]
    assert row[["q1", "q2", "q3", "q4"]].sum() == len(row["events"])
    assert set(evidence.columns) >= {"q1", "q2", "q3", "q4", "net_goldstein", "events"}


def test_evidence_is_every_event_between_the_pair_inside_the_span() -> None:
    # A plain reading of the rule, event by event, on the data and four made-up events at the
    # edges of T022 (30 July 1990 to 16 February 2008): one of Albania with itself, one a day
    # early, one a day late, and one filling the span exactly (the only one that counts).
    ds = albru.load()
    t022 = ds.ties.set_index("tie_id").loc["T022"]
    day = pd.Timedelta(days=1)
    made = ds.events[ds.events["event_id"] == "E064"].iloc[[0, 0, 0, 0]].assign(
        event_id=["X1", "X2", "X3", "X4"], source_actor=["ALB", "RUS", "ALB", "RUS"],
        target_actor=["ALB", "ALB", "RUS", "ALB"],
        start=[t022["start"], t022["start"] - day, t022["start"], t022["start"]],
        end=[t022["end"], t022["end"], t022["end"] + day, t022["end"]])
    ds = dataclasses.replace(ds, events=pd.concat([ds.events, made], ignore_index=True))
    evidence = provenance.tie_evidence(ds)
    events = ds.events.to_dict("records")
    for tie in ds.ties.to_dict("records"):
        end = tie["end"] if pd.notna(tie["end"]) else ds.package.as_of
        inside = [e for e in events
                  if {e["source_actor"], e["target_actor"]} == {tie["actor_a"], tie["actor_b"]}
                  and tie["start"] <= e["start"] and e["end"] <= end]
        row = evidence.loc[tie["tie_id"]]
        assert row["events"] == sorted(e["event_id"] for e in inside), tie["tie_id"]
        assert [row[f"q{q}"] for q in (1, 2, 3, 4)] == [
            sum(e["quad_class"] == q for e in inside) for q in (1, 2, 3, 4)]
        assert row["net_goldstein"] == round(sum(e["goldstein"] for e in inside), 1)
        assert (row["actor_a"], row["actor_b"], row["sign"], row["start"], row["end"]) == (
            tie["actor_a"], tie["actor_b"], tie["sign"], tie["start_edtf"], tie["end_edtf"])
    assert [e for e in evidence.loc["T022", "events"] if e.startswith("X")] == ["X4"]
