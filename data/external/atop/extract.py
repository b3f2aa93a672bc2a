"""Make atop.csv from the ATOP 5.1 directed dyad-year data.

Usage: python data/external/atop/extract.py RELEASE

RELEASE is ``atop5_1ddyr.csv`` of the ATOP 5.1 release, or the ``atop_alliance.rda`` R data file
of the peacesciencer package (read with pyreadr), which keeps the release's state codes, year and
five obligation flags (defense, offense, neutral, nonagg, consul) under ``atop_`` names. Keeps
the rows whose two states are in ``scope`` (run ``cow_igo/extract.py`` first), both directions.
Consecutive years with the same flags are written as one row
(``start_year``, ``end_year``). Deterministic.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scope import HERE, scope_codes, write_csv, year_runs

COLUMNS = ["ccode1", "ccode2", "year", "atop_defense", "atop_offense", "atop_neutral",
           "atop_nonagg", "atop_consul"]
RELEASE_NAMES = {"statea": "ccode1", "stateb": "ccode2", "defense": "atop_defense",
                 "offense": "atop_offense", "neutral": "atop_neutral", "nonagg": "atop_nonagg",
                 "consul": "atop_consul"}


def main(argv: list[str]) -> None:
    path = Path(argv[1])
    if path.suffix.lower() == ".rda":
        import pyreadr

        frame = next(iter(pyreadr.read_r(str(path)).values()))
    else:
        frame = pd.read_csv(path).rename(columns=str.lower).rename(columns=RELEASE_NAMES)
    frame = frame[COLUMNS].astype(int)
    codes = scope_codes()
    keep = frame["ccode1"].isin(codes) & frame["ccode2"].isin(codes)
    runs = year_runs(frame[keep], ["ccode1", "ccode2"], COLUMNS[3:])
    out = [*COLUMNS[:2], *COLUMNS[3:], "start_year", "end_year"]
    write_csv(runs[out].to_dict("records"), out, HERE / "atop" / "atop.csv")


if __name__ == "__main__":
    main(sys.argv)
