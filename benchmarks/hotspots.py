"""Where the time goes, for a figure that misses its target. Prints; writes nothing.

    .venv/bin/python benchmarks/hotspots.py load                  # import and load(), fresh process
    .venv/bin/python benchmarks/hotspots.py pipeline --rows 1000000
    .venv/bin/python benchmarks/hotspots.py notebook notebooks/01_eras.ipynb

``load``: the slowest imports of ``import albru`` (``python -X importtime``) and the functions
that take longest in ``albru.load()`` (cProfile). ``pipeline``: cProfile of one pass of the
scale pipeline over a synthetic table, after one untimed pass. ``notebook``: each cell's
execution time in a fresh kernel, slowest first.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import subprocess
import sys
from pathlib import Path

import run

TOP = 25


def importtime() -> None:
    """The slowest modules (cumulative microseconds) imported by ``import albru``."""
    done = subprocess.run([run.PYTHON, "-X", "importtime", "-c", "import albru"], cwd=run.ROOT,
                          env=run.child_env(), capture_output=True, text=True, check=True)
    rows = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            _, cumulative, name = line.split("|")
            rows.append((int(cumulative), name.rstrip()))
    print("slowest imports of `import albru` (cumulative us, nesting shown by indent):")
    for cumulative, name in sorted(rows, reverse=True)[:TOP]:
        print(f"{cumulative:>10}  {name}")


def profile(code: str, namespace: dict) -> None:
    """cProfile of `code`, the top functions by cumulative time."""
    profiler = cProfile.Profile()
    profiler.runctx(code, namespace, namespace)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(TOP)


def notebook(path: Path) -> None:
    """Execute one notebook in a fresh kernel and print each cell's time, slowest first."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    run.execute(nb, path.name, path.resolve().parent)
    rows = []
    for i, cell in enumerate(nb.cells):
        stamps = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in stamps and "shell.execute_reply" in stamps:
            start, stop = (dt.datetime.fromisoformat(stamps[k])
                           for k in ("iopub.execute_input", "shell.execute_reply"))
            first = cell.source.strip().splitlines()[0][:70] if cell.source.strip() else ""
            rows.append(((stop - start).total_seconds(), i, first))
    print(f"{path.name}: {sum(r[0] for r in rows):.2f} s in {len(rows)} code cells")
    for seconds, i, first in sorted(rows, reverse=True):
        print(f"{seconds:8.3f} s  cell {i:>3}  {first}")


def main(argv: list[str] | None = None) -> int:
    """Run the chosen profile."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["load", "pipeline", "notebook"])
    parser.add_argument("path", nargs="?", type=Path, help="the notebook, for `notebook`")
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    if args.what == "load":
        importtime()
        import albru

        profile("albru.load()", {"albru": albru})
    elif args.what == "pipeline":
        import scale
        import synth

        import albru

        ds = albru.load()
        steps = scale.stages(ds)
        events = synth.synthetic_events(ds, args.rows)
        scale.run_once(steps, events)
        profile("run_once(steps, events)",
                {"run_once": scale.run_once, "steps": steps, "events": events})
    else:
        if args.path is None:
            parser.error("`notebook` needs the path of a notebook")
        notebook(args.path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
