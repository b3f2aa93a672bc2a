"""Rebuild the UN General Assembly vote extract from the unvotes release files.

Needs pyreadr (``python -m pip install pyreadr``), which albru itself does not need. Usage::

    python data/external/unvotes/extract.py UNVOTES_DATA_DIR CODELIST_RDA [OUT_DIR]

UNVOTES_DATA_DIR holds ``un_votes.rda``, ``un_roll_calls.rda`` and ``un_roll_call_issues.rda``
from the ``data/`` folder of the R package unvotes (github.com/dgrtwo/unvotes);
CODELIST_RDA is ``data/codelist.rda`` of the R package countrycode
(github.com/vincentarelbundock/countrycode), used only to name each voting state by its
Correlates of War (COW) code and abbreviation and its ISO 3166-1 alpha-3 code. OUT_DIR defaults
to this script's folder. The script writes three files:

- ``un_rollcalls.csv``: one row per roll call (id, session, date, resolution, short title,
  the State Department's "important vote" flag, amendment and paragraph flags, and the six
  issue categories of the release as true/false columns);
- ``un_votes.csv.gz``: one row per roll call and one column per state (named by its COW
  abbreviation); a cell is ``y`` (yes), ``a`` (abstain), ``n`` (no) or empty (no vote recorded:
  absent, not a member, or not yet or no longer a state);
- ``un_countries.csv``: one row per state column, with its COW code, ISO alpha-3 code where
  one exists, and the release's own two-letter code and name.

Every value is copied from the release; nothing is typed in. The one name the code list does
not know, the release's "Federal Republic of Germany", is the state the unvotes script renamed
from COW 260 (GFR), and is mapped to it here.
"""

from __future__ import annotations

import gzip
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
    # mtime=0 and no file name in the header: the same input gives the same bytes.
    with open(out_dir / "un_votes.csv.gz", "wb") as raw:
        with gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as handle:
            handle.write(wide.to_csv(lineterminator="\n").encode("utf-8"))
    cast = int((wide != "").to_numpy().sum())
    print(f"{len(calls_out)} roll calls, {len(table)} states, {cast} votes -> {out_dir}")


if __name__ == "__main__":
    main()
