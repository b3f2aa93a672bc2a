"""Make cow_igo.csv from the COW Intergovernmental Organizations v3 state-year file.

Usage: python data/external/cow_igo/extract.py RELEASE [STATES_CSV]

RELEASE is ``state_year_formatv3.csv`` of the COW IGO v3 release, or the R data file
``state_year_format3.rda`` that the igoR package ships (read with pyreadr). The script keeps
the organizations in ``scope.IGOS`` and the states of ``scope`` (albru's states and every
member, associate or observer of a bloc there), and writes runs of consecutive years with
one status code. Runs do not bridge years absent from the release. Deterministic: the same
release gives the same bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scope import HERE, IGOS, actor_codes, bloc_codes, write_csv

#: The release's codes; -1 stands both for a state outside the system and for an organization
#: that does not exist that year.
STATUS = {0: "none", 1: "full", 2: "associate", 3: "observer", -9: "missing", -1: "inapplicable"}


def read_release(path: Path) -> pd.DataFrame:
    """The state-year table with lower-case column names."""
    if path.suffix.lower() == ".rda":
        import pyreadr

        frame = next(iter(pyreadr.read_r(str(path)).values()))
    else:
        frame = pd.read_csv(path)
    frame.columns = [str(c).lower() for c in frame.columns]
    return frame


def runs(frame: pd.DataFrame) -> list[dict]:
    """Runs of consecutive years with one status, per state and organization."""
    rows = []
    frame = frame.astype({"ccode": int, "year": int}).sort_values(["ccode", "year"])
    for igo in sorted(IGOS):
        codes = frame[["ccode", "year", igo]].dropna().astype(int)
        for ccode, one in codes.groupby("ccode", sort=True):
            years, values = one["year"].to_numpy(), one[igo].to_numpy()
            start = 0
            for i in range(1, len(years) + 1):
                if i == len(years) or values[i] != values[start] or years[i] != years[i - 1] + 1:
                    rows.append({"ccode": ccode, "igo": igo, "status": STATUS[values[start]],
                                 "code": values[start], "start_year": years[start],
                                 "end_year": years[i - 1]})
                    start = i
    return rows


def main(argv: list[str]) -> None:
    release = Path(argv[1])
    rows = runs(read_release(release))
    keep = actor_codes() | bloc_codes(rows)
    rows = [r for r in rows if r["ccode"] in keep]
    columns = ["ccode", "igo", "status", "code", "start_year", "end_year"]
    write_csv(rows, columns, HERE / "cow_igo" / "cow_igo.csv")


if __name__ == "__main__":
    main(sys.argv)
