"""Make cow_states.csv from the COW State System Membership list, v2016.

Usage: python data/external/cow_states/extract.py RELEASE

RELEASE is ``states2016.csv`` of the release (or the ``cow_states.rda`` R data file of the
peacesciencer package, read with pyreadr). Keeps the states of ``scope`` (albru's states and the
blocs' members; run ``cow_igo/extract.py`` first) and every column, one row per spell of system
membership, sorted by code and start. Deterministic.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scope import HERE, scope_codes, write_csv

COLUMNS = ["stateabb", "ccode", "statenme", "styear", "stmonth", "stday",
           "endyear", "endmonth", "endday", "version"]


def main(argv: list[str]) -> None:
    path = Path(argv[1])
    if path.suffix.lower() == ".rda":
        import pyreadr

        frame = next(iter(pyreadr.read_r(str(path)).values()))
    else:
        frame = pd.read_csv(path)
    frame = frame[COLUMNS].astype({c: int for c in COLUMNS if c not in ("stateabb", "statenme")})
    frame = frame[frame["ccode"].isin(scope_codes())].sort_values(["ccode", "styear"])
    write_csv(frame.to_dict("records"), COLUMNS, HERE / "cow_states" / "cow_states.csv")


if __name__ == "__main__":
    main(sys.argv)
