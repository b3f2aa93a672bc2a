"""Rebuild the UN General Assembly vote extract from the unvotes release files.

Needs pyreadr (``python -m pip install pyreadr``), which albru itself does not need. Usage::

    python data/external/unvotes/extract.py UNVOTES_DATA_DIR CODELIST_RDA [OUT_DIR]

It also writes the three resources' descriptions (``un_rollcalls``, ``un_votes``,
``un_countries``) into ``datapackage.json`` one folder up from OUT_DIR, replacing only
resources of those names and leaving every other resource as it was.

UNVOTES_DATA_DIR holds ``un_votes.rda``, ``un_roll_calls.rda`` and ``un_roll_call_issues.rda``
from the ``data/`` folder of the R package unvotes (github.com/dgrtwo/unvotes);
CODELIST_RDA is ``data/codelist.rda`` of the R package countrycode
(github.com/vincentarelbundock/countrycode), used only to name each voting state by its
Correlates of War (COW) code and abbreviation and its ISO 3166-1 alpha-3 code. OUT_DIR defaults
to this script's folder. The script writes three files:

- ``un_rollcalls.csv``: one row per roll call (id, session, date, resolution, short title,
  the State Department's "important vote" flag, amendment and paragraph flags, and the six
  issue categories of the release as true/false columns);
- ``un_votes.csv``: one row per roll call and one column per state (named by its COW
  abbreviation); a cell is ``y`` (yes), ``a`` (abstain), ``n`` (no) or empty (no vote recorded:
  absent, not a member, or not yet or no longer a state);
- ``un_countries.csv``: one row per state column, with its COW code, ISO alpha-3 code where
  one exists, and the release's own two-letter code and name.

Every value is copied from the release; nothing is typed in. The one name the code list does
not know, the release's "Federal Republic of Germany", is the state the unvotes script renamed
from COW 260 (GFR), and is mapped to it here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pyreadr

__all__ = ["main"]

VOTE_CODES = {"yes": "y", "abstain": "a", "no": "n"}
ISSUES = ["me", "nu", "di", "hr", "co", "ec"]
# The unvotes build script (data-raw/un-data.R) renames COW 260 to this; the code list lacks it.
RENAMED = {"Federal Republic of Germany": (260, "GFR")}


def _flag(series: pd.Series) -> pd.Series:
    """0/1/NA flags of the release as the strings true/false/'' (kept missing where missing)."""
    out = pd.Series("", index=series.index, dtype=object)
    values = pd.to_numeric(series, errors="raise")
    out[values == 1] = "true"
    out[values == 0] = "false"
    bad = values.notna() & ~values.isin([0, 1])
    if bad.any():
        raise ValueError(f"flag outside 0/1 in {series.name}: {sorted(values[bad].unique())}")
    return out


def countries(votes: pd.DataFrame, codelist: pd.DataFrame) -> pd.DataFrame:
    """One row per state in the release, named by COW code and abbreviation."""
    names = votes[["country", "country_code"]].drop_duplicates().sort_values("country")
    if names["country"].duplicated().any():
        raise ValueError("a country name carries two codes in the release")
    codes = codelist.dropna(subset=["cown"])[["country.name.en", "cown", "cowc", "iso3c"]]
    table = names.merge(codes, left_on="country", right_on="country.name.en", how="left")
    for name, (cown, cowc) in RENAMED.items():
        at = table["country"] == name
        table.loc[at, ["cown", "cowc"]] = [cown, cowc]
    missing = table[table["cown"].isna()]
    if len(missing):
        raise ValueError(f"no COW code for {missing['country'].tolist()}")
    table["cown"] = table["cown"].astype(int)
    if table["cowc"].duplicated().any() or table["cown"].duplicated().any():
        raise ValueError("two release states share a COW code")
    out = pd.DataFrame(
        {
            "code": table["cowc"],
            "cow_code": table["cown"],
            "iso3": table["iso3c"].fillna(""),
            "release_code": table["country_code"].fillna(""),
            "name": table["country"],
        }
    )
    return out.sort_values("code").reset_index(drop=True)


def rollcalls(calls: pd.DataFrame, issues: pd.DataFrame) -> pd.DataFrame:
    """One row per roll call with the issue categories as true/false columns."""
    calls = calls.copy()
    calls["rcid"] = calls["rcid"].astype(int)
    if not calls["rcid"].is_unique:
        raise ValueError("roll call ids repeat")
    unknown = set(issues["short_name"]) - set(ISSUES)
    if unknown:
        raise ValueError(f"issue codes outside {ISSUES}: {sorted(unknown)}")
    out = pd.DataFrame(
        {
            "rcid": calls["rcid"],
            "session": calls["session"].astype(int),
            "date": pd.to_datetime(calls["date"]).dt.strftime("%Y-%m-%d"),
            "unres": calls["unres"].fillna("").str.strip(),
            "short": calls["short"].fillna("").str.strip(),
            "importantvote": _flag(calls["importantvote"]),
            "amend": _flag(calls["amend"]),
            "para": _flag(calls["para"]),
        }
    )
    tagged = issues.assign(rcid=issues["rcid"].astype(int))
    for issue in ISSUES:
        ids = set(tagged.loc[tagged["short_name"] == issue, "rcid"])
        out[issue] = out["rcid"].isin(ids).map({True: "true", False: "false"})
    return out.sort_values("rcid").reset_index(drop=True)


def wide_votes(votes: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Roll call by state, one character per vote, empty where no vote is recorded."""
    code_of = dict(zip(table["name"], table["code"], strict=True))
    long = pd.DataFrame(
        {
            "rcid": votes["rcid"].astype(int),
            "code": votes["country"].map(code_of),
            "vote": votes["vote"].astype(str).map(VOTE_CODES),
        }
    )
    if long["vote"].isna().any():
        raise ValueError(f"votes outside {sorted(VOTE_CODES)}")
    if long.duplicated(["rcid", "code"]).any():
        raise ValueError("a state votes twice on one roll call")
    wide = long.pivot(index="rcid", columns="code", values="vote")
    wide = wide.reindex(columns=sorted(table["code"])).fillna("")
    return wide.sort_index()


SOURCE = {
    "title": "Voeten, Strezhnev and Bailey, United Nations General Assembly Voting Data, "
             "Harvard Dataverse (hdl:1902.1/12379), via the R package unvotes (commit 7eb7034)",
    "path": "https://dataverse.harvard.edu/dataset.xhtml?persistentId=hdl:1902.1/12379",
}
FLAG_TEXT = {
    "importantvote": "On the US State Department's list of important votes (from session 39; "
                     "empty before).",
    "amend": "The vote was on an amendment (coded for sessions 1-39, 1946-85, and true on a "
             "few later roll calls; empty elsewhere).",
    "para": "The vote was on a paragraph, not a whole resolution (coded for sessions 1-39, "
            "1946-85; true on the paragraph votes added for sessions 52-67 and 71-72; empty "
            "elsewhere).",
}
ISSUE_TEXT = {
    "me": "Palestinian conflict", "nu": "Nuclear weapons and nuclear material",
    "di": "Arms control and disarmament", "hr": "Human rights", "co": "Colonialism",
    "ec": "Economic development",
}


def resources(folder: str, table: pd.DataFrame) -> list[dict]:
    """The Data Package descriptions of the three files, fields in file order."""
    def field(name: str, kind: str, text: str, **constraints: object) -> dict:
        out: dict = {"name": name, "type": kind, "description": text}
        if constraints:
            out["constraints"] = constraints
        return out

    flag = {"enum": ["true", "false"]}
    calls = [
        field("rcid", "integer", "Roll call id of the release.", required=True, unique=True,
              minimum=1),
        field("session", "integer", "General Assembly session.", required=True, minimum=1),
        field("date", "date", "Day of the vote.", required=True),
        field("unres", "string", "Resolution code (empty where the release has none)."),
        field("short", "string", "Short title (empty where the release has none)."),
        *[field(name, "string", text, **flag) for name, text in FLAG_TEXT.items()],
        *[field(name, "string", f"Issue category: {text}.", required=True, **flag)
          for name, text in ISSUE_TEXT.items()],
    ]
    votes = [field("rcid", "integer", "Roll call id (un_rollcalls).", required=True,
                   unique=True, minimum=1)]
    for code, name in zip(table["code"], table["name"], strict=True):
        votes.append(field(code, "string", f"Vote of {name}: y yes, a abstain, n no, empty "
                                           "no vote recorded.", enum=["y", "a", "n"]))
    countries = [
        field("code", "string", "COW state abbreviation; the column name in un_votes.",
              required=True, unique=True),
        field("cow_code", "integer", "COW state number.", required=True, unique=True,
              minimum=2, maximum=999),
        field("iso3", "string", "ISO 3166-1 alpha-3 code, where the state has one."),
        field("release_code", "string", "The release's two-letter code (empty where it has "
                                        "none)."),
        field("name", "string", "The release's name for the state.", required=True),
    ]
    common = {"sources": [SOURCE], "licenses": [{"name": "CC0-1.0"}]}
    return [
        {"name": "un_rollcalls", "path": f"{folder}/un_rollcalls.csv",
         "title": "UN General Assembly roll calls, sessions 1-74 (1946-2020)",
         "description": "One row per plenary roll call, with the release's issue categories.",
         **common, "schema": {"fields": calls, "primaryKey": ["rcid"]}},
        {"name": "un_votes", "path": f"{folder}/un_votes.csv",
         "title": "Votes in UN General Assembly roll calls, by state",
         "description": "One row per roll call, one column per state (COW abbreviation).",
         **common, "schema": {
             "fields": votes, "primaryKey": ["rcid"],
             "foreignKeys": [{"fields": ["rcid"],
                              "reference": {"resource": "un_rollcalls", "fields": ["rcid"]}}]}},
        {"name": "un_countries", "path": f"{folder}/un_countries.csv",
         "title": "States voting in the UN General Assembly, with their codes",
         "description": "One row per state column of un_votes.",
         **common, "schema": {"fields": countries, "primaryKey": ["code"]}},
    ]


def update_package(path: Path, folder: str, table: pd.DataFrame) -> None:
    """Put this extract's resources into the package file, leaving the others untouched."""
    package = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {
        "name": "albru-external", "profile": "tabular-data-package", "resources": []}
    mine = resources(folder, table)
    names = {r["name"] for r in mine}
    package["resources"] = [r for r in package["resources"] if r["name"] not in names] + mine
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Read the release files named on the command line and write the extract."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (2, 3):
        raise SystemExit(__doc__)
    release = Path(args[0])
    out_dir = Path(args[2]) if len(args) == 3 else Path(__file__).resolve().parent
    votes = pyreadr.read_r(release / "un_votes.rda")["un_votes"]
    calls = pyreadr.read_r(release / "un_roll_calls.rda")["un_roll_calls"]
    issues = pyreadr.read_r(release / "un_roll_call_issues.rda")["un_roll_call_issues"]
    codelist = pyreadr.read_r(args[1])["codelist"]

    table = countries(votes, codelist)
    calls_out = rollcalls(calls, issues)
    wide = wide_votes(votes, table)
    missing = set(wide.index) - set(calls_out["rcid"])
    if missing:
        raise ValueError(f"votes on unknown roll calls: {sorted(missing)[:5]}")
    wide = wide.reindex(calls_out["rcid"]).fillna("")

    table.to_csv(out_dir / "un_countries.csv", index=False, lineterminator="\n")
    calls_out.to_csv(out_dir / "un_rollcalls.csv", index=False, lineterminator="\n")
    wide.to_csv(out_dir / "un_votes.csv", lineterminator="\n")
    update_package(out_dir.parent / "datapackage.json", out_dir.name, table)
    cast = int((wide != "").to_numpy().sum())
    print(f"{len(calls_out)} roll calls, {len(table)} states, {cast} votes -> {out_dir}")


if __name__ == "__main__":
    main()
