"""Extract the Bailey-Strezhnev-Voeten ideal points of UN General Assembly members.

Usage::

    python data/external/idealpoints/extract.py RELEASE_CSV [OUT_DIR]

RELEASE_CSV is ``Output/IdealpointestimatesAll_Apr2020.csv`` of Erik Voeten's repository
github.com/evoeten/United-Nations-General-Assembly-Votes-and-Ideal-Points (commit
a6dce7ec687f73a738593319a57b91333b7a3cab; the file was added in
0348475673253b6b9d74b1baac58940bb3b39c39): one row per state and session, with the posterior
mean and quantiles of the state's ideal point estimated from all roll calls of sessions 1-74.
The release file is Latin-1 encoded (its country names are not read here).
OUT_DIR defaults to this script's folder and must sit beside ``unvotes/un_countries.csv``,
whose COW numbers name each state by the same abbreviation as the vote extract.

Writes ``ideal_points.csv``: ``code`` (COW abbreviation), ``cow_code``, ``session``,
``n_votes`` (the roll calls behind the estimate), ``ideal_point`` (posterior mean) and the
posterior quantiles ``q05``, ``q10``, ``q50``, ``q90``, ``q95``, copied as released; and
describes it in ``datapackage.json`` one folder up (replacing only its own resource).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

__all__ = ["main"]

COLUMNS = {"ccode": "cow_code", "session": "session", "NVotes": "n_votes",
           "IdealPoint": "ideal_point", "Q5%": "q05", "Q10%": "q10", "Q50%": "q50",
           "Q90%": "q90", "Q95%": "q95"}


def ideal_points(release: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """The release's rows with the extract's state codes, sorted by state and session."""
    missing = sorted(set(COLUMNS) - set(release.columns))
    if missing:
        raise ValueError(f"release lacks columns {missing}")
    out = release[list(COLUMNS)].rename(columns=COLUMNS)
    code_of = dict(zip(countries["cow_code"].astype(int), countries["code"], strict=True))
    out.insert(0, "code", out["cow_code"].astype(int).map(code_of))
    unknown = sorted(out.loc[out["code"].isna(), "cow_code"].unique())
    if unknown:
        raise ValueError(f"COW numbers not in un_countries: {unknown}")
    if out.duplicated(["code", "session"]).any():
        raise ValueError("a state has two estimates for one session")
    return out.sort_values(["code", "session"]).reset_index(drop=True)


RESOURCE = {
    "name": "ideal_points", "path": "idealpoints/ideal_points.csv",
    "title": "Ideal points of UN General Assembly members by session, 1946-2020 "
             "(Bailey, Strezhnev and Voeten)",
    "description": "One row per state and session: posterior mean and quantiles of the "
                   "state's ideal point, estimated from all roll calls of sessions 1-74.",
    "coverage": {"start_year": 1946, "end_year": 2020},
    "sources": [{"title": "Erik Voeten, United Nations General Assembly Votes and Ideal Points "
                          "(GitHub repository, commit a6dce7e), method of Bailey, Strezhnev "
                          "and Voeten (2017)",
                 "path": "https://github.com/evoeten/"
                         "United-Nations-General-Assembly-Votes-and-Ideal-Points"}],
    "licenses": [{"name": "MIT"}],
    "schema": {"primaryKey": ["code", "session"], "fields": [
        {"name": "code", "type": "string", "description": "COW state abbreviation (as in "
                                                          "un_votes).",
         "constraints": {"required": True}},
        {"name": "cow_code", "type": "integer", "description": "COW state number.",
         "constraints": {"required": True}},
        {"name": "session", "type": "integer", "description": "General Assembly session.",
         "constraints": {"required": True, "minimum": 1}},
        {"name": "n_votes", "type": "integer", "description": "Roll calls behind the "
                                                             "estimate."},
        {"name": "ideal_point", "type": "number", "description": "Posterior mean."},
        *[{"name": f"q{q:02d}", "type": "number", "description": f"Posterior {q}% quantile."}
          for q in (5, 10, 50, 90, 95)],
    ]},
}


def update_package(path: Path) -> None:
    """Put this extract's resource into the package file, leaving the others untouched."""
    package = json.loads(path.read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"]
                            if r["name"] != RESOURCE["name"]] + [RESOURCE]
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Read the release file and write ``ideal_points.csv``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (1, 2):
        raise SystemExit(__doc__)
    out_dir = Path(args[1]) if len(args) == 2 else Path(__file__).resolve().parent
    countries = pd.read_csv(out_dir.parent / "unvotes" / "un_countries.csv", dtype={"code": str})
    table = ideal_points(pd.read_csv(args[0], encoding="latin-1"), countries)
    table.to_csv(out_dir / "ideal_points.csv", index=False, lineterminator="\n",
                 float_format="%.6g")
    update_package(out_dir.parent / "datapackage.json")
    print(f"{len(table)} state-sessions, {table['code'].nunique()} states, sessions "
          f"{table['session'].min()}-{table['session'].max()} -> {out_dir}")


if __name__ == "__main__":
    main()
