"""Add to the vote extract what the unvotes build drops: absences, non-membership, descriptions.

Needs pyreadr (``python -m pip install pyreadr``), which albru itself does not need. Usage::

    python data/external/unvotes/extract_presence.py UNVOTES_CHECKOUT [OUT_DIR]

UNVOTES_CHECKOUT is a checkout of the R package unvotes (github.com/dgrtwo/unvotes) at commit
7eb7034314ff79c49c9e0785fcd9d216fa04cf14. Two of its files are read:

- ``data-raw/UNVotesPublished.RData``: Voeten's earlier Dataverse file (downloaded by the
  package authors on 2016-07-07), which still has the release's own codes 8 (absent: a member
  that cast no vote) and 9 (not a member) for sessions 1 to 70, up to December 2015;
- ``data/un_roll_calls.rda``: the roll-call table of the 2021 file, whose long description
  (``descr``) the first extract left out.

OUT_DIR (default: this script's folder) must already hold ``un_countries.csv`` and
``un_rollcalls.csv`` from ``extract.py``; the states are matched by COW number. Two files are
written, and described in ``datapackage.json`` one folder up (only these two resources are
replaced):

- ``un_presence.csv``: one row per roll call of the 2016 file, one column per state
  (COW abbreviation, as in ``un_votes.csv``); ``x`` absent, ``-`` not a member, empty where
  the 2016 file records a vote. A state the 2016 file does not list on a roll call is not a
  member then. Roll calls without a row are outside the 2016 file.
- ``un_descriptions.csv``: ``rcid`` and ``descr``, the release's description of the motion
  (runs of white space and control characters, such as line breaks, made one space).

Every value is copied from the release files; nothing is typed in.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pyreadr

__all__ = ["main"]

ABSENT, NON_MEMBER = 8, 9


def presence(published: pd.DataFrame, countries: pd.DataFrame, rcids: pd.Series) -> pd.DataFrame:
    """Roll call by state: ``x`` absent, ``-`` not a member, empty where a vote is recorded."""
    code_of = dict(zip(countries["cow_code"].astype(int), countries["code"], strict=True))
    unknown = sorted(set(published["ccode"].astype(int)) - set(code_of))
    if unknown:
        raise ValueError(f"COW numbers of the 2016 file not in un_countries: {unknown}")
    votes = published["vote"].astype(int)
    if not votes.isin([1, 2, 3, ABSENT, NON_MEMBER]).all():
        raise ValueError(f"vote codes outside 1, 2, 3, 8, 9: {sorted(votes.unique())}")
    long = pd.DataFrame({"rcid": published["rcid"].astype(int),
                         "code": published["ccode"].astype(int).map(code_of),
                         "cell": votes.map({ABSENT: "x", NON_MEMBER: "-"}).fillna("")})
    if long.duplicated(["rcid", "code"]).any():
        raise ValueError("a state appears twice on one roll call of the 2016 file")
    outside = sorted(set(long["rcid"]) - set(rcids))
    if outside:
        raise ValueError(f"2016 roll calls not in un_rollcalls: {outside[:5]}")
    wide = long.pivot(index="rcid", columns="code", values="cell")
    return wide.reindex(columns=sorted(countries["code"])).fillna("-").sort_index()


SOURCE = {
    "title": "Voeten, Strezhnev and Bailey, United Nations General Assembly Voting Data, "
             "Harvard Dataverse (hdl:1902.1/12379), 2016 and 2021 files via the R package "
             "unvotes (commit 7eb7034)",
    "path": "https://dataverse.harvard.edu/dataset.xhtml?persistentId=hdl:1902.1/12379",
}


def resources(folder: str, codes: list[str]) -> list[dict]:
    """The Data Package descriptions of the two files, fields in file order."""
    rcid = {"name": "rcid", "type": "integer", "description": "Roll call id (un_rollcalls).",
            "constraints": {"required": True, "unique": True, "minimum": 1}}
    cells = [{"name": code, "type": "string",
              "description": "x absent, - not a member, empty a vote is recorded.",
              "constraints": {"enum": ["x", "-"]}} for code in codes]
    common = {"sources": [SOURCE], "licenses": [{"name": "CC0-1.0"}]}
    key = [{"fields": ["rcid"], "reference": {"resource": "un_rollcalls", "fields": ["rcid"]}}]
    return [
        {"name": "un_presence", "path": f"{folder}/un_presence.csv",
         "title": "Absence and non-membership in UN General Assembly roll calls, 1946-2015",
         "description": "One row per roll call of the 2016 release (sessions 1-70), one "
                        "column per state: absent, not a member, or a vote recorded.",
         **common, "schema": {"fields": [rcid, *cells], "primaryKey": ["rcid"],
                              "foreignKeys": key}},
        {"name": "un_descriptions", "path": f"{folder}/un_descriptions.csv",
         "title": "Descriptions of the UN General Assembly roll calls",
         "description": "The release's description of the motion put to each roll call.",
         **common, "schema": {"fields": [rcid, {"name": "descr", "type": "string",
                                                "description": "The release's description "
                                                               "(empty where it has none)."}],
                              "primaryKey": ["rcid"], "foreignKeys": key}},
    ]


def update_package(path: Path, mine: list[dict]) -> None:
    """Put these resources into the package file, leaving the others untouched."""
    package = json.loads(path.read_text(encoding="utf-8"))
    names = {r["name"] for r in mine}
    package["resources"] = [r for r in package["resources"] if r["name"] not in names] + mine
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Read the two release files and write ``un_presence.csv`` and ``un_descriptions.csv``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (1, 2):
        raise SystemExit(__doc__)
    checkout = Path(args[0])
    out_dir = Path(args[1]) if len(args) == 2 else Path(__file__).resolve().parent
    countries = pd.read_csv(out_dir / "un_countries.csv", dtype={"code": str})
    rcids = pd.read_csv(out_dir / "un_rollcalls.csv", usecols=["rcid"])["rcid"]
    published = pyreadr.read_r(checkout / "data-raw" / "UNVotesPublished.RData")["x"]
    calls = pyreadr.read_r(checkout / "data" / "un_roll_calls.rda")["un_roll_calls"]

    wide = presence(published, countries, rcids)
    wide.to_csv(out_dir / "un_presence.csv", lineterminator="\n")
    descr = pd.DataFrame({"rcid": calls["rcid"].astype(int),
                          "descr": calls["descr"].fillna("").astype(str)
                          .str.replace(r"[\s\x00-\x1f\x7f]+", " ", regex=True).str.strip()})
    descr = descr[descr["rcid"].isin(rcids)].sort_values("rcid")
    descr.to_csv(out_dir / "un_descriptions.csv", index=False, lineterminator="\n")
    update_package(out_dir.parent / "datapackage.json",
                   resources(out_dir.name, list(wide.columns)))
    cells = wide.to_numpy()
    print(f"{len(wide)} roll calls: {int((cells == 'x').sum())} absences, "
          f"{int((cells == '-').sum())} non-member cells; {len(descr)} descriptions -> {out_dir}")


if __name__ == "__main__":
    main()
