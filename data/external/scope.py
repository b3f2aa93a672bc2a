"""Which states the reference extracts keep.

The extracts keep the states albru codes (every ``cow_code`` in ``data/actors.csv``) and every
state that the COW-IGO extract shows as a full member, associate or observer of one of the
blocs albru draws (:data:`BLOC_IGOS`). Run ``cow_igo/extract.py`` first: the other extracts
read its output to know the bloc members.
"""

from __future__ import annotations

import csv
from pathlib import Path

__all__ = [
    "BLOC_IGOS",
    "HERE",
    "IGOS",
    "actor_codes",
    "bloc_codes",
    "scope_codes",
    "write_csv",
    "year_runs",
]

HERE = Path(__file__).resolve().parent

#: COW-IGO v3 column names (lower case) of the organizations albru has as actors,
#: mapped to albru's ``actor_id``.
IGOS: dict[str, str] = {
    "wpact": "WARSAW",
    "cmea": "COMECON",
    "nato": "NATO",
    "csto": "CSTO",
    "un": "UN",
    "osce": "OSCE",
    "coe": "COE",
    "bsec": "BSEC",
    "oic": "OIC",
    "eu": "EU",
}

#: The blocs whose members are kept even when albru does not code them yet.
BLOC_IGOS: tuple[str, ...] = ("wpact", "cmea", "nato", "csto")


def actor_codes(actors: Path | None = None) -> set[int]:
    """COW codes of the states in albru's actor table."""
    with open(actors or HERE.parent / "actors.csv", newline="", encoding="utf-8") as f:
        return {int(r["cow_code"]) for r in csv.DictReader(f)
                if r["kind"] == "state" and r["cow_code"]}


def bloc_codes(igo_rows: list[dict]) -> set[int]:
    """COW codes of the states with any membership status in one of :data:`BLOC_IGOS`."""
    return {int(r["ccode"]) for r in igo_rows
            if r["igo"] in BLOC_IGOS and r["status"] in ("full", "associate", "observer")}


def scope_codes(actors: Path | None = None, igo: Path | None = None) -> list[int]:
    """COW codes kept by the extracts, sorted (albru's states and the blocs' members)."""
    with open(igo or HERE / "cow_igo" / "cow_igo.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return sorted(actor_codes(actors) | bloc_codes(rows))


def year_runs(frame, keys: list[str], values: list[str]):
    """Collapse a pair-year table into runs of consecutive years with the same values.

    Returns a frame with ``keys``, ``values``, ``start_year`` and ``end_year``, sorted.
    """
    frame = frame.sort_values([*keys, "year"]).reset_index(drop=True)
    same = (frame[[*keys, *values]].eq(frame[[*keys, *values]].shift()).all(axis=1)
            & frame["year"].eq(frame["year"].shift() + 1))
    frame["run"] = (~same).cumsum()
    out = frame.groupby("run", sort=True).agg(
        **{c: (c, "first") for c in [*keys, *values]},
        start_year=("year", "min"), end_year=("year", "max"))
    return out.reset_index(drop=True)


def write_csv(rows: list[dict], columns: list[str], path: Path) -> None:
    """Write rows as UTF-8 CSV with a fixed column order and Unix line ends."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
