"""Make cow_alliances.csv from the COW Formal Alliances v4.1 dyad-year data.

Usage: python data/external/cow_alliances/extract.py RELEASE

RELEASE is the ``cow_alliance.rda`` R data file of the peacesciencer package (read with
pyreadr): the release's ``alliance_v4.1_by_dyad_yearly.csv`` with one row per pair of states and
year, each obligation (defense, neutrality, nonaggression, entente) set to 1 when any alliance of
the pair has it that year, and both orders of each pair. Keeps the rows whose two states are in
``scope`` (run ``cow_igo/extract.py`` first), each pair once with the lower code first.
Consecutive years with the same flags are written as one row
(``start_year``, ``end_year``). Deterministic.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scope import HERE, scope_codes, write_csv, year_runs

COLUMNS = ["ccode1", "ccode2", "year", "cow_defense", "cow_neutral", "cow_nonagg", "cow_entente"]


def main(argv: list[str]) -> None:
    path = Path(argv[1])
    if path.suffix.lower() == ".rda":
        import pyreadr

        frame = next(iter(pyreadr.read_r(str(path)).values()))
    else:
        frame = pd.read_csv(path)
    frame = frame[COLUMNS].astype(int)
    codes = scope_codes()
    keep = frame["ccode1"].isin(codes) & frame["ccode2"].isin(codes)
    keep &= frame["ccode1"] < frame["ccode2"]
    runs = year_runs(frame[keep], ["ccode1", "ccode2"], COLUMNS[3:])
    out = [*COLUMNS[:2], *COLUMNS[3:], "start_year", "end_year"]
    write_csv(runs[out].to_dict("records"), out, HERE / "cow_alliances" / "cow_alliances.csv")


if __name__ == "__main__":
    main(sys.argv)
