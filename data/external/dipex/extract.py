"""Make dipex.csv from the COW Diplomatic Exchange v2006.1 file.

Usage: python data/external/dipex/extract.py Diplomatic_Exchange_2006v1.csv

Keeps the ordered pairs whose two states are in ``scope`` (run ``cow_igo/extract.py`` first)
and the columns ccode1, ccode2, year, DR_at_1, DR_at_2, DE (renamed to lower case), sorted.
Deterministic. Schema for the ``dipex`` resource of ``../datapackage.json``: all six columns
integers; ``dr_at_1`` and ``dr_at_2`` in {0, 1, 2, 3, 9}, ``de`` in {0, 1}.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scope import HERE, scope_codes, write_csv

COLUMNS = ["ccode1", "ccode2", "year", "dr_at_1", "dr_at_2", "de"]


def main(argv: list[str]) -> None:
    frame = pd.read_csv(argv[1]).rename(columns=str.lower)[COLUMNS].astype(int)
    codes = scope_codes()
    frame = frame[frame["ccode1"].isin(codes) & frame["ccode2"].isin(codes)]
    frame = frame.sort_values(["ccode1", "ccode2", "year"])
    write_csv(frame.to_dict("records"), COLUMNS, HERE / "dipex" / "dipex.csv")


if __name__ == "__main__":
    main(sys.argv)
