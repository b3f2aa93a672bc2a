"""The README tells the truth: its dataset figures are the data's, its commands exist.

The figures are computed here from the loaded data, so a change to the data that leaves the
README behind fails this test (update the sentence under "## Dataset" to the figures it prints).
"""

from __future__ import annotations

import re
from pathlib import Path

import albru
from albru.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")

#: Each figure of the README's dataset paragraph: the phrase that holds it, with (\d+).
PHRASES = {
    "events": r"(\d+) dated events",
    "between": r"\((\d+) of them between Albania and Russia",
    "memberships": r"(\d+) memberships in \d+ organizations",
    "organizations": r"\d+ memberships in (\d+) organizations",
    "ties": r"(\d+) signed ties",
    "eras": r"(\d+) eras\s+from",
    "first_year": r"eras\s+from (\d+) to the open present",
    "actors": r"(\d+) actors",
    "event_types": r"(\d+) event types",
    "claims": r"(\d+) claims on \d+ values",
    "disputed": r"\d+ claims on (\d+) values where sources\s+disagree",
    "sources": r"(\d+) cited sources",
}


def _figures() -> dict[str, int]:
    """The README's figures as the data give them."""
    ds = albru.load()
    events = ds.events
    pair = events["source_actor"].isin(["ALB", "RUS"]) & events["target_actor"].isin(["ALB", "RUS"])
    return {
        "events": len(events),
        "between": int(pair.sum()),
        "memberships": len(ds.memberships),
        "organizations": ds.memberships["org_id"].nunique(),
        "ties": len(ds.ties),
        "eras": len(ds.eras),
        "first_year": int(ds.eras["start"].min().year),
        "actors": len(ds.actors),
        "event_types": len(ds.event_types),
        "claims": len(ds.claims),
        "disputed": ds.claims.groupby(["table", "record_id", "column"]).ngroups,
        "sources": len(ds.sources),
    }


def _dataset_section() -> str:
    return README.split("\n## Dataset\n", 1)[1].split("\n## ", 1)[0]


def test_readme_dataset_figures_are_the_data() -> None:
    section = _dataset_section()
    shown = {}
    for name, phrase in PHRASES.items():
        found = re.findall(phrase, section)
        assert len(found) == 1, f"README ## Dataset: no single match for {phrase!r}"
        shown[name] = int(found[0])
    computed = _figures()
    wrong = {n: (shown[n], computed[n]) for n in PHRASES if shown[n] != computed[n]}
    assert wrong == {}, f"README figures (shown, in the data) out of step: {wrong}"


def test_readme_commands_exist() -> None:
    block = README.split("## The `albru` command", 1)[1].split("```", 2)[1]
    commands = {a.dest: a for a in build_parser()._actions}["command"].choices
    for line in block.splitlines():
        words = line.split("#")[0].split()
        if words[:1] == ["albru"]:
            assert words[1] in commands, line
            if "--format" in words:
                fmt = words[words.index("--format") + 1]
                assert fmt in commands[words[1]]._option_string_actions["--format"].choices
