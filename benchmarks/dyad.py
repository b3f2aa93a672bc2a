"""Time ``albru.dyad_years()`` over 1,000,000 synthetic events; print one JSON record.

    .venv/bin/python benchmarks/dyad.py                       # 1M events, median of 5
    .venv/bin/python benchmarks/dyad.py --rows 100000 --repeats 3

The synthetic events (``synth.py``: the real mix of dyads, event types and date precisions)
replace the real ones in the loaded dataset; the reference extracts are read once, outside the
timings. Each call is run once untimed, then ``--repeats`` times: Albania-Russia undirected
and directed, with ``votes=False``: the UN-vote columns do not depend on the events, so one call
with them (the default) is timed apart, once, as ``with_votes_s``. ``dyad_years_1m_s`` is the
slower of the two medians. Asserts nothing about time.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import synth

import albru
from albru import external

__all__ = ["measure"]


def measure(rows: int = 1_000_000, repeats: int = 5) -> dict:
    """Median seconds of undirected and directed ``dyad_years`` over ``rows`` synthetic events."""
    ds = albru.load()
    refs = external.load()
    big = dataclasses.replace(ds, events=synth.synthetic_events(ds, rows))
    out: dict = {"rows": rows, "repeats": repeats}
    for directed in (False, True):
        def call(directed: bool = directed) -> None:
            albru.dyad_years("ALB", "RUS", directed=directed, data=big, refs=refs, votes=False)

        call()
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
        key = "directed" if directed else "undirected"
        out[f"{key}_s"] = [round(t, 4) for t in times]
        out[f"{key}_median_s"] = round(statistics.median(times), 4)
    start = time.perf_counter()
    albru.dyad_years("ALB", "RUS", data=big, refs=refs)
    out["with_votes_s"] = round(time.perf_counter() - start, 4)
    out["dyad_years_1m_s"] = max(out["undirected_median_s"], out["directed_median_s"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(measure(args.rows, args.repeats)))


if __name__ == "__main__":
    main()
