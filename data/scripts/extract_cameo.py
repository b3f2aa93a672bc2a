"""Rebuild ``data/cameo.csv`` from GDELT's two CAMEO lookup files.

The CAMEO 1.1b3 code list (``CAMEO.eventcodes.txt``) and the CAMEO-to-Goldstein
table (``CAMEO.goldsteinscale.txt``) are tab-separated files with a header row,
published by the GDELT Project at https://www.gdeltproject.org/data/lookups/.
This script joins them on the code and writes one row per code: ``cameo``
(the code as text, leading zeros kept), ``label`` (GDELT's description, as
published) and ``goldstein`` (the published weight). It fails if a code has
no weight or a weight has no code, so nothing is filled in by hand.

Example::

    python3 data/scripts/extract_cameo.py CAMEO.eventcodes.txt \
        CAMEO.goldsteinscale.txt data/cameo.csv
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

__all__ = ["build", "main", "read_lookup"]


def read_lookup(path: Path, value_column: str) -> dict[str, str]:
    """Read one GDELT lookup file into ``{code: value}``.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "x.txt"
    >>> _ = p.write_text("CAMEOEVENTCODE\\tGOLDSTEINSCALE\\n010\\t0.0\\n")
    >>> read_lookup(p, "GOLDSTEINSCALE")
    {'010': '0.0'}
    """
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        if reader.fieldnames is None or "CAMEOEVENTCODE" not in reader.fieldnames:
            raise SystemExit(f"{path}: header lacks CAMEOEVENTCODE")
        if value_column not in reader.fieldnames:
            raise SystemExit(f"{path}: header lacks {value_column}")
        out: dict[str, str] = {}
        for line, row in enumerate(reader, start=2):
            code = (row["CAMEOEVENTCODE"] or "").strip()
            if not code:
                continue
            if code in out:
                raise SystemExit(f"{path}: line {line}: code {code} repeated")
            out[code] = (row[value_column] or "").strip()
    return out


def build(codes_path: Path, weights_path: Path) -> list[dict[str, str]]:
    """Join the code list and the Goldstein table; one dict per code."""
    labels = read_lookup(codes_path, "EVENTDESCRIPTION")
    weights = read_lookup(weights_path, "GOLDSTEINSCALE")
    missing = sorted(set(labels) ^ set(weights))
    if missing:
        raise SystemExit(f"codes not in both files: {', '.join(missing)}")
    rows = []
    for code in sorted(labels):
        weight = float(weights[code])
        rows.append({"cameo": code, "label": labels[code], "goldstein": f"{weight:.1f}"})
    return rows


def main(argv: list[str]) -> int:
    """Command line: CODES WEIGHTS [OUT] (OUT defaults to data/cameo.csv)."""
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[2]) if len(argv) == 3 else Path(__file__).resolve().parents[1] / "cameo.csv"
    rows = build(Path(argv[0]), Path(argv[1]))
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["cameo", "label", "goldstein"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} codes to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
