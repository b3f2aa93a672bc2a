"""Run the benchmarks, print one table and write benchmarks/results.json.

    .venv/bin/python benchmarks/run.py            # everything (``make bench``), ~6 minutes
    .venv/bin/python benchmarks/run.py --only dyad,draws --quick

Every figure is a median over repeated runs, and every figure in seconds is printed beside a
reference command timed in the same run, just before and just after it (a fresh
``python -c "import pandas, matplotlib.pyplot, networkx"``, three times each side; its median),
and the ratio of the two: on a busier or slower machine both grow, so the ratio says more
than the seconds. Ratios of two commands alternate them (ABBA ...) within one run.

- ``startup_ratio``: a fresh ``python -c "import albru; albru.load()"`` over the reference.
- ``notebooks_ratio``: executing every numbered notebook (nbclient, a fresh kernel each, the
  inline backend drawing every figure) over executing as many one-cell notebooks that only
  import pandas, matplotlib, networkx and albru.
- ``notebooks_floor_ratio``: the numbered notebooks over the floor: as many notebooks that
  import, call ``albru.load()`` and draw as many one-line figures as the numbered notebooks
  show. No set of notebooks with that many figures runs faster, so this is what the notebooks'
  own analysis costs on top of loading and drawing.
- ``scale_1m_s`` and ``scale_growth_10x``: the pipeline of ``benchmarks/scale.py`` over seeded
  synthetic events tables of 10k, 100k and 1M rows, each size in a fresh process.
- ``draws_1000_s``: 1,000 draws of every headline analysis on the real data
  (``benchmarks/draws.py``, ``total``), in a fresh process.
- ``dyad_years_1m_s``: ``albru.dyad_years()`` over 1,000,000 synthetic events, the slower of
  undirected and directed (``benchmarks/dyad.py``), in a fresh process.
- ``make_test_s``: wall seconds of ``make test`` with the .venv set up.
- ``report_warm_s``: ``make report`` when nothing changed (after one untimed run).
- ``report_cold_s``: ``make report`` in a fresh ``git clone`` of the checked-out commit, the
  set-up of its own .venv from the lock included (from the local package cache).

Nothing here asserts a time. A figure that cannot be measured (a notebook or a command that
fails) is printed as MISSING with the reason, written as null with the reason under
``errors``, and the script exits 1.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results.json"
PYTHON = sys.executable

#: Figure -> (target, what it means).
TARGETS: dict[str, tuple[float, str]] = {
    "startup_ratio": (1.25, "fresh import albru + load() / fresh import of the libraries"),
    "notebooks_ratio": (1.5, "all numbered notebooks / as many import-only notebooks"),
    "notebooks_floor_ratio": (1.6, "all numbered notebooks / the floor (load + figures)"),
    "scale_1m_s": (2.0, "seconds of the pipeline at 1M synthetic events"),
    "scale_growth_10x": (12.0, "pipeline time at 1M / at 100k"),
    "draws_1000_s": (5.0, "1,000 draws of every headline analysis, real data"),
    "dyad_years_1m_s": (1.0, "albru.dyad_years() over 1M synthetic events"),
    "make_test_s": (50.0, "make test, warm .venv"),
    "report_warm_s": (5.0, "make report, nothing changed"),
    "report_cold_s": (60.0, "make report in a fresh clone, set-up included"),
}
#: Figures in seconds, printed beside the reference command timed in the same run.
SECONDS = ("scale_1m_s", "draws_1000_s", "dyad_years_1m_s", "make_test_s", "report_warm_s",
           "report_cold_s")
STARTUP = {
    "albru": "import albru; albru.load()",
    "libraries": "import pandas, matplotlib.pyplot, networkx",
}
TRIVIAL_CELL = (
    "import pandas as pd\nimport matplotlib.pyplot as plt\nimport networkx as nx\nimport albru"
)
#: One minimal figure, drawn by the inline backend like every figure of the notebooks.
FLOOR_FIGURE = ('fig, ax = plt.subplots(figsize=(10, 4.5), layout="constrained")\n'
                'ax.plot([0, 1], [0, 1])\nax.set_title("a line")\nplt.show()')
#: Prepended to a notebook by :func:`kernel_cpu`: the kernel's CPU seconds spent in IPython's
#: ``print_figure`` (where the inline backend draws and encodes every figure) add up in ``_FIG``.
FIGURE_TIMER = """import time as _time
from IPython.core import pylabtools as _pylabtools
_FIG, _print_figure = [0.0], _pylabtools.print_figure
def _timed(*args, **kwargs):
    t0 = _time.process_time()
    try:
        return _print_figure(*args, **kwargs)
    finally:
        _FIG[0] += _time.process_time() - t0
_pylabtools.print_figure = _timed"""
#: Appended by :func:`kernel_cpu`: the figures' CPU seconds and the kernel's own, as JSON.
CPU_REPORT = ("import json as _json, resource as _resource\n"
              "_own = _resource.getrusage(_resource.RUSAGE_SELF)\n"
              "print(_json.dumps([_FIG[0], _own.ru_utime + _own.ru_stime]))")
PLAN_ORDER = ("startup", "notebooks", "scale", "draws", "dyad", "test", "report", "cold")
SIZES = (10_000, 100_000, 1_000_000)
#: Repeats per measurement: (full run, --quick).
REPEATS = {
    "startup": (9, 3),
    "notebooks": (2, 1),
    "draws": (3, 1),
    "dyad": (5, 1),
    "report": (3, 1),
    "reference": (3, 1),
    10_000: (7, 3),
    100_000: (5, 3),
    1_000_000: (3, 1),
}


class Unmeasured(RuntimeError):
    """A figure cannot be measured; the message says why."""


def child_env(kernel: bool = False) -> dict[str, str]:
    """Environment of every child process: this checkout's albru first on the path.

    Plain processes get the Agg backend. A notebook ``kernel`` gets no MPLBACKEND, so that
    ipykernel chooses the inline backend, as in JupyterLab, nbval and ``make notebooks``: every
    figure is then drawn to a PNG, which is part of what a reader waits for.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if kernel:
        env.pop("MPLBACKEND", None)
    else:
        env.setdefault("MPLBACKEND", "Agg")
    return env


def cpu_seconds() -> float:
    """CPU time used so far by this process and its finished child processes."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def side_by_side(
    a: Callable[[], None],
    b: Callable[[], None],
    repeats: int,
    warm_up: Callable[[], None] | None = None,
) -> dict:
    """Time `a` and `b` alternately (ABBA ...), after an untimed `warm_up` (default: a and b).

    Returns ``ratio``, the median over the repeats of a's time over b's time in the same
    repeat (a burst of load from elsewhere then spoils one pair, not the whole figure), the
    ratio of the two medians, the medians, and every timing; wall clock, and beside it the CPU
    time (of this process and its children), which a busy machine inflates less.
    """
    for fn in [warm_up] if warm_up else [a, b]:
        fn()
    wall: dict[str, list] = {"a": [], "b": []}
    cpu: dict[str, list] = {"a": [], "b": []}
    for i in range(repeats):
        for side in ("a", "b") if i % 2 == 0 else ("b", "a"):
            t0, c0 = time.perf_counter(), cpu_seconds()
            (a if side == "a" else b)()
            wall[side].append(time.perf_counter() - t0)
            cpu[side].append(cpu_seconds() - c0)
    med = {f"{side}{kind}": statistics.median(values[side])
           for kind, values in (("", wall), ("_cpu", cpu)) for side in ("a", "b")}
    pairs = [x / y for x, y in zip(wall["a"], wall["b"], strict=True)]
    return {"ratio": round(statistics.median(pairs), 3),
            "ratio_of_medians": round(med["a"] / med["b"], 3),
            "cpu_ratio": round(med["a_cpu"] / med["b_cpu"], 3),
            **{f"{key}_median_s": round(value, 4) for key, value in med.items()},
            "a_s": [round(t, 4) for t in wall["a"]], "b_s": [round(t, 4) for t in wall["b"]]}


def rotate(runs: dict[str, Callable[[], None]], repeats: int,
           warm_up: Callable[[], None] | None = None) -> dict[str, list[float]]:
    """Wall seconds of each of ``runs`` per repeat, taken in turn (forward on even repeats,
    backward on odd ones), after an untimed ``warm_up``."""
    if warm_up:
        warm_up()
    times: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    for i in range(repeats):
        for name in names if i % 2 == 0 else names[::-1]:
            t0 = time.perf_counter()
            runs[name]()
            times[name].append(time.perf_counter() - t0)
    return times


def paired_ratio(a: list[float], b: list[float]) -> float:
    """Median over the repeats of a's time over b's time in the same repeat."""
    return round(statistics.median(x / y for x, y in zip(a, b, strict=True)), 3)


def reference_s(repeats: int) -> list[float]:
    """Wall seconds of ``repeats`` fresh runs of the reference command (the library import)."""
    run = python_c(STARTUP["libraries"])
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run()
        out.append(round(time.perf_counter() - t0, 4))
    return out


def with_reference(bench: Callable[[], dict], figures: tuple[str, ...], repeats: int) -> dict:
    """Run ``bench`` between two rounds of the reference command; add, for each of its
    ``figures`` in seconds, the reference's median (``<figure>_reference_s``) and the ratio
    (``<figure>_per_reference``)."""
    before = reference_s(repeats)
    out = bench()
    after = reference_s(repeats)
    ref = statistics.median(before + after)
    out["reference_s"] = {"before": before, "after": after, "median": round(ref, 4),
                          "command": STARTUP["libraries"]}
    for key in figures:
        if key in SECONDS and out.get(key) is not None:
            out[f"{key}_reference_s"] = round(ref, 4)
            out[f"{key}_per_reference"] = round(out[key] / ref, 2)
    return out


def python_c(code: str) -> Callable[[], None]:
    """A callable running ``python -c code`` in a fresh process; fails with its stderr."""
    def run() -> None:
        done = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=child_env(),
                              capture_output=True, text=True, check=False)
        if done.returncode:
            last = done.stderr.strip().splitlines()[-1:] or ["no message"]
            raise Unmeasured(f"`python -c {code!r}` fails: {last[0]}")
    return run


def bench_startup(repeats: int) -> dict:
    """Fresh-process start-up of albru with its data over start-up of the libraries alone."""
    out = side_by_side(python_c(STARTUP["albru"]), python_c(STARTUP["libraries"]), repeats)
    return {"startup_ratio": out["ratio"], "ratio_of_medians": out["ratio_of_medians"],
            "albru_load_median_s": out["a_median_s"],
            "libraries_median_s": out["b_median_s"], "cpu_ratio": out["cpu_ratio"],
            "albru_load_cpu_median_s": out["a_cpu_median_s"],
            "libraries_cpu_median_s": out["b_cpu_median_s"], "albru_load_s": out["a_s"],
            "libraries_s": out["b_s"], "repeats": repeats, "commands": STARTUP}


def numbered_notebooks() -> list[Path]:
    """notebooks/NN_*.ipynb in order; Unmeasured when there are none."""
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise Unmeasured("notebooks/ holds no numbered notebooks (NN_name.ipynb) yet")
    return paths


def execute(nb, name: str, workdir: Path) -> None:
    """Execute a notebook object top to bottom in a fresh python3 kernel; outputs discarded."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    client = NotebookClient(nb, timeout=900, kernel_name="python3",
                            extra_arguments=["--log-level=ERROR"],  # no start-up chatter
                            resources={"metadata": {"path": str(workdir)}})
    try:
        client.execute(env=child_env(kernel=True))
    except CellExecutionError as exc:
        raise Unmeasured(f"{name} fails: {str(exc).strip().splitlines()[-1]}") from None


def kernel_cpu(nb, name: str, workdir: Path) -> tuple[float, float]:
    """CPU seconds a fresh kernel spends executing a notebook object: in drawing its figures,
    and in everything else (its start-up included). The notebook is run once more with
    :data:`FIGURE_TIMER` before its cells and :data:`CPU_REPORT` after them."""
    import nbformat

    timed = nbformat.from_dict(nb)
    timed.cells = [nbformat.v4.new_code_cell(FIGURE_TIMER),
                   *(c for c in timed.cells if c.cell_type == "code"),
                   nbformat.v4.new_code_cell(CPU_REPORT)]
    execute(timed, name, workdir)
    figures, total = json.loads(timed.cells[-1].outputs[-1]["text"])
    return figures, total - figures


def figure_count(nb) -> int:
    """How many PNG figures the saved outputs of a notebook hold."""
    return sum("image/png" in output.get("data", {})
               for cell in nb.cells if cell.cell_type == "code" for output in cell.outputs)


def bench_notebooks(repeats: int) -> dict:
    """All numbered notebooks over as many import-only notebooks, each in a fresh kernel; and
    the floor: notebooks that only load the data and draw as many one-line figures."""
    import nbformat

    paths = numbered_notebooks()
    notebooks = [nbformat.read(path, as_version=4) for path in paths]
    meta = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    trivial = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(TRIVIAL_CELL)],
                                       metadata=meta)
    figures = [figure_count(nb) for nb in notebooks]
    floors = [nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(c)
               for c in [TRIVIAL_CELL, "ds = albru.load()", *[FLOOR_FIGURE] * n]],
        metadata=meta) for n in figures]
    workdir = ROOT / "notebooks"

    def numbered() -> None:
        for path, nb in zip(paths, notebooks, strict=True):
            execute(nbformat.from_dict(nb), path.name, workdir)

    def imports_only() -> None:
        for _ in paths:
            execute(nbformat.from_dict(trivial), "import-only notebook", workdir)

    def floor() -> None:
        for nb in floors:
            execute(nbformat.from_dict(nb), "floor notebook", workdir)

    def warm_up() -> None:
        execute(nbformat.from_dict(trivial), "import-only notebook", workdir)

    times = rotate({"numbered": numbered, "floor": floor, "imports_only": imports_only},
                   repeats, warm_up)
    med = {name: round(statistics.median(values), 4) for name, values in times.items()}
    # one more, untimed pass of each set: where the kernels' CPU goes (figures or the rest)
    cpu = {}
    for label, books in (("numbered", notebooks), ("floor", floors)):
        parts = [kernel_cpu(nb, f"{label} notebook", workdir) for nb in books]
        cpu[label] = {"figures": round(sum(p[0] for p in parts), 3),
                      "rest": round(sum(p[1] for p in parts), 3)}
    return {"notebooks_ratio": paired_ratio(times["numbered"], times["imports_only"]),
            "notebooks_floor_ratio": paired_ratio(times["numbered"], times["floor"]),
            "floor_ratio": paired_ratio(times["floor"], times["imports_only"]),
            "figures": dict(zip([p.name for p in paths], figures, strict=True)),
            "numbered_median_s": med["numbered"], "floor_median_s": med["floor"],
            "imports_only_median_s": med["imports_only"],
            "numbered_s": [round(t, 4) for t in times["numbered"]],
            "floor_s": [round(t, 4) for t in times["floor"]],
            "imports_only_s": [round(t, 4) for t in times["imports_only"]],
            "kernel_cpu_s": cpu,
            "repeats": repeats, "notebooks": [p.name for p in paths],
            "trivial_cell": TRIVIAL_CELL, "floor_figure": FLOOR_FIGURE}


def bench_scale(repeats: dict[int, int]) -> dict:
    """The pipeline at each size, in a fresh process per size (benchmarks/scale.py)."""
    sizes = {}
    for rows in SIZES:
        done = subprocess.run(
            [PYTHON, str(HERE / "scale.py"), "--rows", str(rows), "--repeats", str(repeats[rows])],
            cwd=ROOT, env=child_env(), capture_output=True, text=True, check=False,
        )
        if done.returncode:
            last = done.stderr.strip().splitlines()[-1:] or ["no message"]
            raise Unmeasured(f"scale.py --rows {rows} fails: {last[0]}")
        sizes[str(rows)] = json.loads(done.stdout)
    big, mid = sizes[str(SIZES[2])], sizes[str(SIZES[1])]
    return {"scale_1m_s": big["median_s"],
            "scale_growth_10x": round(big["median_s"] / mid["median_s"], 3),
            "scale_1m_peak_mb": big["peak_mb"], "scale_1m_maxrss_mb": big["maxrss_mb"],
            "scale_100k_s": mid["median_s"], "scale_10k_s": sizes[str(SIZES[0])]["median_s"],
            "sizes": sizes}


def child_json(args: list[str], what: str) -> dict:
    """Run ``python args`` in a fresh process and read the JSON record it prints last."""
    done = subprocess.run([PYTHON, *args], cwd=ROOT, env=child_env(), capture_output=True,
                          text=True, check=False)
    if done.returncode:
        last = done.stderr.strip().splitlines()[-1:] or ["no message"]
        raise Unmeasured(f"{what} fails: {last[0]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_draws(repeats: int) -> dict:
    """1,000 draws of every headline analysis (benchmarks/draws.py), in a fresh process."""
    out = child_json([str(HERE / "draws.py"), "--repeats", str(repeats), "--json"], "draws.py")
    return {"draws_1000_s": out.pop("total"), "analyses_median_s": out, "repeats": repeats}


def bench_dyad(repeats: int) -> dict:
    """albru.dyad_years over 1M synthetic events (benchmarks/dyad.py), in a fresh process."""
    out = child_json([str(HERE / "dyad.py"), "--repeats", str(repeats)], "dyad.py")
    return {"dyad_years_1m_s": out.pop("dyad_years_1m_s"), **out}


def make(target: str, cwd: Path, log: Path, check: bool = True) -> float:
    """Wall seconds of ``make target`` in ``cwd``; its output goes to ``log``. Unmeasured when
    it fails, unless ``check`` is false."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    t0 = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(["make", target], cwd=cwd, env=env, stdout=out,
                              stderr=subprocess.STDOUT, check=False)
    took = time.perf_counter() - t0
    if done.returncode and check:
        lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        said = [line for line in lines if line.strip() and not line.startswith("make")]
        raise Unmeasured(f"make {target} in {cwd} fails ({log}): "
                         f"{(said or ['no output'])[-1].strip()}")
    return took


def bench_test() -> dict:
    """``make test`` once, wall clock, with the .venv set up; pytest's summary line is kept. A
    run with failing tests still runs every test, so its time is kept, beside the summary
    (``all_passed`` false); a run that ends before pytest's summary is unmeasured."""
    log = ROOT / "build" / "bench-make-test.log"
    log.parent.mkdir(exist_ok=True)
    took = make("test", ROOT, log, check=False)
    lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    summary = next((line.strip("= ") for line in reversed(lines)
                    if " passed" in line and " in " in line), "")
    if not summary:
        raise Unmeasured(f"make test ended without pytest's summary line (see {log})")
    return {"make_test_s": round(took, 3), "summary": summary,
            "all_passed": not any(w in summary for w in (" failed", " error")),
            "log": str(log.relative_to(ROOT))}


def bench_report(repeats: int) -> dict:
    """``make report`` with nothing changed: the median of ``repeats`` runs after an untimed
    one."""
    log = ROOT / "build" / "bench-make-report.log"
    log.parent.mkdir(exist_ok=True)
    make("report", ROOT, log)
    warm = [round(make("report", ROOT, log), 3) for _ in range(repeats)]
    return {"report_warm_s": round(statistics.median(warm), 3), "report_warm_runs_s": warm,
            "repeats": repeats}


def bench_cold() -> dict:
    """``make report`` once in a fresh clone of the checked-out commit, the set-up of its own
    .venv included."""
    import shutil
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="albru-cold-"))
    (ROOT / "build").mkdir(exist_ok=True)
    try:
        clone = tmp / "albru"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        cold = make("report", clone, ROOT / "build" / "bench-make-report-cold.log")
        setup = (clone / "build" / "setup.log").is_file()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"report_cold_s": round(cold, 3), "cold_setup_ran": setup,
            "cold_commit": git_commit().removesuffix("+dirty")}


def git_commit() -> str:
    """The checked-out commit, with ``+dirty`` when tracked files differ from it."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    dirty = "+dirty" if git("status", "--short", "-uno") else ""
    return git("rev-parse", "--short", "HEAD") + dirty


def fmt(value: float | None, unit: str = "") -> str:
    """A figure for the table, or MISSING."""
    return "MISSING" if value is None else f"{value:.3g}{unit}"


def report(results: dict) -> str:
    """The table printed at the end of a run."""
    lines = [f"{'figure':<22}{'value':>9}{'target':>9}{'ref. s':>8}{'ratio':>7}  status",
             "-" * 96]
    for key, (target, meaning) in TARGETS.items():
        value = results.get(key)
        ref = results["reference"].get(key, {})
        ref_s = fmt(ref.get("reference_s")) if ref else ""
        ratio = fmt(ref.get("per_reference")) if ref else ""
        shown = fmt(value)
        if value is not None:
            status = ("ok" if value <= target else "MISSED") + f"  ({meaning})"
        elif key in results["errors"]:
            status = "MISSING: " + results["errors"][key]
        else:
            status, shown = "not run (--only)", "-"
        lines.append(f"{key:<22}{shown:>9}{'<= ' + format(target, 'g'):>9}{ref_s:>8}"
                     f"{ratio:>7}  {status}")
    lines.append("(ref. s: median wall seconds of a fresh `python -c \"import pandas, "
                 "matplotlib.pyplot, networkx\"`, timed just before and after the figure; "
                 "ratio: figure / ref. s)")
    lines.append("")
    st, nb, sc, dy, rp, te, co = (results.get(k) or {} for k in (
        "startup", "notebooks", "scale", "dyad", "report", "test", "cold"))
    if st:
        lines.append(f"startup   (median of {st['repeats']}, fresh processes): "
                     f"albru.load() {st['albru_load_median_s']:.3f} s, "
                     f"libraries {st['libraries_median_s']:.3f} s; CPU time "
                     f"{st['albru_load_cpu_median_s']:.3f} s / {st['libraries_cpu_median_s']:.3f} s"
                     f" = {st['cpu_ratio']:.3g}")
    if nb:
        lines.append(f"notebooks (median of {nb['repeats']}, fresh kernels, {len(nb['notebooks'])} "
                     f"notebooks): numbered {nb['numbered_median_s']:.2f} s, "
                     f"floor {nb['floor_median_s']:.2f} s, "
                     f"import-only {nb['imports_only_median_s']:.2f} s")
        lines.append(f"floor: import, load and {sum(nb['figures'].values())} one-line figures, as "
                     f"many as the notebooks show; floor / import-only {nb['floor_ratio']:.3g} "
                     f"(no target; the least the figures alone cost)")
        if "kernel_cpu_s" in nb:
            c = nb["kernel_cpu_s"]
            lines.append(f"kernel CPU (one more pass): numbered {c['numbered']['figures']:.2f} s "
                         f"drawing figures + {c['numbered']['rest']:.2f} s the rest; floor "
                         f"{c['floor']['figures']:.2f} s + {c['floor']['rest']:.2f} s")
    if sc:
        lines.append(f"{'rows':>10}{'repeats':>9}{'eras s':>9}{'incid. s':>10}{'network s':>11}"
                     f"{'total s':>9}{'CPU s':>7}{'peak MB':>9}{'RSS MB':>8}")
        for rows, rec in sc["sizes"].items():
            s = rec["stages_median_s"]
            lines.append(f"{int(rows):>10,}{rec['repeats']:>9}{s['eras']:>9.3f}"
                         f"{s['incidents']:>10.3f}{s['network']:>11.3f}{rec['median_s']:>9.3f}"
                         f"{rec['cpu_median_s']:>7.2f}"
                         f"{rec['peak_mb']:>9.0f}{rec['maxrss_mb']:>8.0f}")
        lines.append("(stage columns are per-stage medians; total is the median of the totals, "
                     "wall clock; CPU s is this process's CPU time per pass)")
    if dy:
        lines.append(f"dyad_years over {dy['rows']:,} events (median of {dy['repeats']}): "
                     f"undirected {dy['undirected_median_s']:.3f} s, directed "
                     f"{dy['directed_median_s']:.3f} s; with the UN-vote columns (once) "
                     f"{dy['with_votes_s']:.3f} s")
    if te:
        failing = "" if te["all_passed"] else " (NOT all passed: the time is of a failing suite)"
        lines.append(f"make test: {te['summary']}{failing}")
    if rp:
        lines.append(f"make report, nothing changed: {rp['report_warm_runs_s']} s")
    if co:
        lines.append(f"make report in a fresh clone of {co['cold_commit']}, set-up included: "
                     f"{results['report_cold_s']:.1f} s")
    env = results.get("environment", {})
    if env:
        lines.append(f"load average (1 min) before / after: {env['load_average_before'][0]:.1f} / "
                     f"{env['load_average_after'][0]:.1f} on {env['cpus']} CPUs")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks, print the table, write the JSON; 1 if a figure is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(PLAN_ORDER),
                        help="comma-separated subset of " + ", ".join(PLAN_ORDER))
    parser.add_argument("--quick", action="store_true", help="fewer repeats, for a smoke test")
    parser.add_argument("--output", type=Path, default=None,
                        help="default: results.json for a full run, else results.tmp")
    args = parser.parse_args(argv)
    chosen = args.only.split(",")
    unknown = sorted(set(chosen) - set(PLAN_ORDER))
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from "
                     + ", ".join(PLAN_ORDER))
    full = sorted(chosen) == sorted(PLAN_ORDER) and not args.quick
    output = args.output or (RESULTS if full else HERE / "results.tmp")
    pick = 1 if args.quick else 0
    reps = {key: value[pick] for key, value in REPEATS.items()}
    results: dict = {key: None for key in TARGETS}
    results["targets"] = {key: target for key, (target, _) in TARGETS.items()}
    results["errors"] = {}
    results["reference"] = {}
    plan = {
        "startup": (("startup_ratio",), lambda: bench_startup(reps["startup"])),
        "notebooks": (("notebooks_ratio", "notebooks_floor_ratio"),
                      lambda: bench_notebooks(reps["notebooks"])),
        "scale": (("scale_1m_s", "scale_growth_10x"), lambda: bench_scale(reps)),
        "draws": (("draws_1000_s",), lambda: bench_draws(reps["draws"])),
        "dyad": (("dyad_years_1m_s",), lambda: bench_dyad(reps["dyad"])),
        "test": (("make_test_s",), bench_test),
        "report": (("report_warm_s",), lambda: bench_report(reps["report"])),
        "cold": (("report_cold_s",), bench_cold),
    }
    load_before = os.getloadavg()
    for name in chosen:
        figures, bench = plan[name]
        print(f"running {name} ... (load average {os.getloadavg()[0]:.1f})", file=sys.stderr,
              flush=True)
        load = os.getloadavg()[0]
        try:
            out = with_reference(bench, figures, reps["reference"])
        except Unmeasured as exc:
            print(f"MISSING {name}: {exc}", file=sys.stderr, flush=True)
            for key in figures:
                results["errors"][key] = str(exc)
            continue
        out["load_average_1min"] = [load, os.getloadavg()[0]]
        for key in figures:
            results[key] = out.pop(key)
            if f"{key}_reference_s" in out:
                results["reference"][key] = {
                    "reference_s": out.pop(f"{key}_reference_s"),
                    "per_reference": out.pop(f"{key}_per_reference")}
        results[name] = out
    results["environment"] = {
        "python": platform.python_version(), "machine": platform.machine(),
        "cpus": os.cpu_count(), "commit": git_commit(), "quick": args.quick,
        "load_average_before": load_before, "load_average_after": os.getloadavg(),
    }
    print(report(results))
    output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {output}")
    missing = [key for key in TARGETS if results[key] is None and key in results["errors"]]
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
