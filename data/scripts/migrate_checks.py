"""Bring sources.csv and events.csv to the shape of issue 25, leaving every other cell alone.

Adds the column ``derived_from`` to sources.csv and ``also_checked_by`` to events.csv as the
last column where the header lacks it, and gives every row that is one cell short an empty
last cell (rows written in the old shape after the columns were added). Re-running it changes
nothing. A row of any other length stops the run with its file and line.

    python3 data/scripts/migrate_checks.py data
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

NEW_COLUMNS = {"sources.csv": "derived_from", "events.csv": "also_checked_by"}


def migrate(path: Path, column: str) -> bool:
    """Add ``column`` last and pad short rows; True if the file changed."""
    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    if column not in header:
        header.append(column)
    width = len(header)
    for line, row in enumerate(rows[1:], start=2):
        if len(row) == width - 1:
            row.append("")
        elif len(row) != width:
            raise SystemExit(f"{path}: row {line} has {len(row)} cells, expected {width}")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    if out.getvalue() == text:
        return False
    path.write_text(out.getvalue(), encoding="utf-8")
    return True


def main(directory: str) -> None:
    for file, column in NEW_COLUMNS.items():
        changed = migrate(Path(directory) / file, column)
        print(f"{file}: {'migrated' if changed else 'already in shape'}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "data")
