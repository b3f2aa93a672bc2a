"""Time 1,000 draws of every headline analysis of the notebooks on the real data. Prints; writes
nothing unless ``--json`` is given, and asserts nothing about time.

    .venv/bin/python benchmarks/draws.py                 # table, median of 5 repeats
    .venv/bin/python benchmarks/draws.py --repeats 3 --json   # one JSON object on stdout

Each analysis is run once untimed first (imports of networkx and scipy, caches), then
``--repeats`` times; the table gives the median seconds of each and of their sum within one
repeat (``total``). The data are loaded once, outside the timings. What is timed is what a
notebook cell would run:

- ``annual_net``: 1,000 date draws of the Albania-Russia net cooperation per year, and its band;
- ``change_points``: the shifts of those 1,000 series, with the shortest run (2-5 years) and
  the BIC penalty (x0.5, 1, 2) drawn per series, and each year's support;
- ``era_rates``: 1,000 date draws of the incidents per era, and the band with Poisson doubt;
- ``quiet_spells``: 1,000 date draws of the longest spells without an incident;
- ``balance_spell``: the Albania-Russia-Yugoslavia unbalanced spell under every combination of
  the disputed tie and bloc dates (enumerated, not drawn);
- ``distance``: the yearly Albania-Russia network distance under those variants, on two
  snapshot days;
- ``coding``: the band of the annual net cooperation (1,000 draws) for each alternative CAMEO
  coding and for event counts in place of Goldstein weights.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import albru
from albru import incidents
from albru import uncertainty as u
from albru.dyad import is_dyadic

N = 1000
SEED = 20261130


def analyses(ds: albru.Dataset) -> dict[str, Callable[[], object]]:
    """The timed analyses, each a function of no arguments over the loaded data."""
    events = ds.events
    pair = events[is_dyadic(events)]
    until = events["end"].max()
    years = range(ds.eras["start"].min().year, until.year + 1)
    inc = incidents.incidents(events)
    series = u.annual_net_draws(pair, years, N, seed=SEED)
    settings = u.draw_settings(N, seed=SEED, min_size=[2, 3, 4, 5], penalty=[0.5, 1.0, 2.0])

    def annual_net() -> object:
        return u.band(u.annual_net_draws(pair, years, N, seed=SEED))

    def change_points() -> object:
        shifts = u.shift_draws(series, min_size=settings["min_size"].to_numpy(),
                               penalty=settings["penalty"].to_numpy())
        return u.shift_support(shifts)

    def era_rates() -> object:
        counts = u.era_rate_draws(inc, ds.eras, until, N, seed=SEED)
        return u.era_rate_band(counts, ds.eras, until)

    def quiet_spells() -> object:
        return u.quiet_spell_draws(inc, N, seed=SEED, since=ds.eras["start"].min(), until=until)

    def balance_spell() -> object:
        return u.triad_spell_variants(ds)

    def distance() -> object:
        return u.distance_variants(ds, years, month_days=("01-01", "07-01"))

    def coding() -> object:
        out = {"count": u.annual_net_band(pair, years, N, seed=SEED, weights="count")}
        for label, recoded in u.coding_variants(ds):
            out[label] = u.annual_net_band(recoded[is_dyadic(recoded)], years, N, seed=SEED)
        return out

    return {f.__name__: f for f in (annual_net, change_points, era_rates, quiet_spells,
                                    balance_spell, distance, coding)}


def measure(repeats: int = 5) -> dict[str, float]:
    """Median seconds of each analysis and of their sum per repeat (``total``)."""
    ds = albru.load()
    runs = analyses(ds)
    for run in runs.values():  # untimed warm-up: imports, caches
        run()
    times: dict[str, list[float]] = {name: [] for name in runs}
    totals = []
    for _ in range(repeats):
        total = 0.0
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            took = time.perf_counter() - start
            times[name].append(took)
            total += took
        totals.append(total)
    out = {name: statistics.median(values) for name, values in times.items()}
    out["total"] = statistics.median(totals)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    args = parser.parse_args()
    result = measure(args.repeats)
    if args.json:
        print(json.dumps({k: round(v, 4) for k, v in result.items()}))
        return
    print(f"1,000 draws of each headline analysis, median of {args.repeats} repeats (s)")
    for name, seconds in result.items():
        print(f"  {name:<14} {seconds:8.3f}")


if __name__ == "__main__":
    main()
