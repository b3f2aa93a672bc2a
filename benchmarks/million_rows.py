"""A million bad rows (issue 27): how long rejecting them takes, and how much memory.

Each case writes a data folder into a temporary directory and runs ``albru validate`` on it
in a fresh process, measuring wall and CPU seconds and that process's peak resident memory
(from ``wait4``), the number of lines it printed and its exit status::

    .venv/bin/python benchmarks/million_rows.py            # every case
    .venv/bin/python benchmarks/million_rows.py --only keys

The cases:

- ``keys``: one table of one key column holding the same value on 1,000,000 rows (5 MB);
- ``events``: a copy of the real data whose ``events.csv`` repeats its first row 1,000,000
  times (about 860 MB: the attack as reported, 45 s and 7 GB before the size limit);
- ``events_short``: the same row with every cell cut to its first word (about 135 MB, still
  over the 64 MiB limit);
- ``events_450k``: the short row 450,000 times (about 61 MB, under the limit, so every rule
  and frictionless run over it).

Prints one row per case and a JSON object; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = 1_000_000


def _keys(folder: Path, rows: int) -> None:
    folder.mkdir()
    package = {"resources": [{"name": "t", "path": "t.csv", "schema": {
        "fields": [{"name": "k", "type": "string"}], "primaryKey": "k"}}]}
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    with (folder / "t.csv").open("w", encoding="utf-8") as out:
        out.write("k\n")
        out.writelines(["same\n"] * rows)


def _events(folder: Path, rows: int, short: bool) -> None:
    shutil.copytree(ROOT / "data", folder)
    with (folder / "events.csv").open(newline="", encoding="utf-8") as handle:
        header, first = list(csv.reader(handle))[:2]
    if short:
        first = [cell.split(" ")[0] for cell in first]
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(first)
    with (folder / "events.csv").open("w", encoding="utf-8") as out:
        out.write(",".join(header) + "\n")
        for _ in range(rows // 10_000):
            out.write(line.getvalue() * 10_000)


CASES = {
    "keys": lambda folder: _keys(folder, ROWS),
    "events_short": lambda folder: _events(folder, ROWS, short=True),
    "events": lambda folder: _events(folder, ROWS, short=False),
    "events_450k": lambda folder: _events(folder, 450_000, short=True),
}


def measure(name: str, scratch: Path) -> dict:
    """Write one case, validate it in a fresh process, and return the figures."""
    folder = scratch / name
    CASES[name](folder)
    size = sum(p.stat().st_size for p in folder.rglob("*.csv"))
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "albru", "validate", str(folder)],
                                 stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        lines, summary = len(out.read().splitlines()), err.read().strip()
    shutil.rmtree(folder)
    return {"case": name, "csv_mb": round(size / 2**20, 1), "wall_s": round(wall, 2),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "maxrss_mb": round(usage.ru_maxrss / 1024), "exit": child.returncode,
            "lines": lines, "summary": summary.splitlines()[-1][:90] if summary else ""}


def main(argv: list[str] | None = None) -> int:
    """Run the cases asked for and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=list(CASES), default=list(CASES))
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for name in args.only:
            results.append(measure(name, Path(scratch)))
            row = results[-1]
            print(f"{row['case']:<13} {row['csv_mb']:>7} MB  {row['wall_s']:>6} s wall  "
                  f"{row['cpu_s']:>6} s cpu  {row['maxrss_mb']:>5} MB peak  exit {row['exit']}  "
                  f"{row['lines']} lines  {row['summary']}",
                  flush=True)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
