"""How the analyses scale: the pipeline over one synthetic events table, in this process.

Run by ``benchmarks/run.py`` once per size, each in a fresh process, so that peak memory is
that size's alone::

    .venv/bin/python benchmarks/scale.py --rows 100000 --repeats 5

The pipeline has three stages, each a library function applied to the synthetic table:
era assignment, yearly incident counts, and one alignment-network snapshot per decade
(1 July of 1910, 1920, ... 2020). The stages are timed ``--repeats`` times and the median
of the totals is reported; then one more run under ``tracemalloc`` gives the peak memory the
pipeline allocates. CPU seconds are recorded beside the wall-clock ones: on a busy machine
they show how much of the wall time went to waiting for a core. Prints one JSON object on
stdout; exits 2, saying what is missing, when a library function it needs does not exist yet.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import pandas as pd
import synth

#: Snapshot dates of the network stage: one per decade of the timeline.
SNAPSHOTS = tuple(pd.Timestamp(f"{year}-07-01") for year in range(1910, 2030, 10))


class Missing(RuntimeError):
    """A library function the benchmark needs is not there (yet)."""


def need(module: str, name: str) -> Callable:
    """The library function ``module.name``; raises Missing, saying which, when it is absent."""
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise Missing(f"{module} cannot be imported: {exc}") from None
    fn = getattr(mod, name, None)
    if not callable(fn):
        raise Missing(f"{module}.{name} does not exist yet")
    return fn


def stages(ds) -> dict[str, Callable]:
    """The pipeline's stages, in order; each takes the state dict and adds its output to it."""
    era_positions = need("albru.dates", "era_positions")
    incidents = need("albru.incidents", "incidents")
    count_by_bin = need("albru.incidents", "count_by_bin")
    graph_at = need("albru.network", "graph_at")

    def eras(state: dict) -> None:
        # The loader's own era join (albru.dataset._events): position of the holding era.
        events = state["events"]
        first, _, whole = era_positions(events["start"], events["end"], ds.eras["start"],
                                        ds.eras["end"])
        place = np.where(whole, first, -1)
        era = pd.Categorical.from_codes(place, dtype=ds.eras["era_id"].dtype)
        state["events"] = events.assign(era=era)

    def yearly_incidents(state: dict) -> None:
        state["incidents"] = incidents(state["events"])
        state["counts"] = count_by_bin(state["incidents"], width=1)

    def network(state: dict) -> None:
        sds = dataclasses.replace(ds, events=state["events"])
        state["graphs"] = [graph_at(sds, day) for day in SNAPSHOTS]

    return {"eras": eras, "incidents": yearly_incidents, "network": network}


def run_once(steps: dict[str, Callable], events: pd.DataFrame) -> tuple[dict[str, float], dict]:
    """Wall-clock seconds per stage for one pass of the pipeline (plus ``cpu``, the process's
    CPU seconds for the whole pass), and the pipeline's outputs."""
    state = {"events": events}
    seconds = {}
    cpu = time.process_time()
    for name, step in steps.items():
        t0 = time.perf_counter()
        step(state)
        seconds[name] = time.perf_counter() - t0
    seconds["cpu"] = time.process_time() - cpu
    return seconds, state


def sanity(state: dict, rows: int) -> dict[str, int]:
    """Fail unless the outputs account for every row; a few counts for the record."""
    era = state["events"]["era"]
    if len(era) != rows or era.isna().any():
        raise RuntimeError(f"era assignment left {int(era.isna().sum())} of {rows} rows empty")
    counts, inc = state["counts"], state["incidents"]
    if counts.total != len(inc):
        raise RuntimeError(f"yearly counts hold {counts.total} of {len(inc)} incidents")
    if len(state["graphs"]) != len(SNAPSHOTS):
        raise RuntimeError("missing network snapshots")
    return {"incidents": len(inc), "incidents_apart": len(counts.apart),
            "snapshot_edges": sum(g.number_of_edges() for g in state["graphs"])}


def main(argv: list[str] | None = None) -> int:
    """Measure one size; print the JSON record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=synth.SEED)
    args = parser.parse_args(argv)
    try:
        import albru

        load = need("albru", "load")
        ds = load()
        steps = stages(ds)
    except Missing as exc:
        print(f"MISSING: {exc}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    events = synth.synthetic_events(ds, args.rows, args.seed)
    generate_s = time.perf_counter() - t0
    synth.check(events)
    runs = []
    for _ in range(args.repeats):
        seconds, state = run_once(steps, events)
        runs.append(seconds)
    record = sanity(state, args.rows)
    del state
    tracemalloc.start()
    run_once(steps, events)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    totals = [sum(run[name] for name in steps) for run in runs]
    print(json.dumps({
        "rows": args.rows,
        "repeats": args.repeats,
        "seed": args.seed,
        "distinct_dates": int(events["date"].nunique()),
        "generate_s": round(generate_s, 4),
        "total_s": [round(t, 4) for t in totals],
        "median_s": round(statistics.median(totals), 4),
        "cpu_median_s": round(statistics.median(run["cpu"] for run in runs), 4),
        "stages_median_s": {
            name: round(statistics.median(run[name] for run in runs), 4) for name in steps
        },
        "peak_mb": round(peak / 2**20, 1),
        "maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        **record,
        "albru": str(albru.__file__),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
