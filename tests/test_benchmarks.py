"""The benchmark helpers that decide what is timed (benchmarks/run.py); no time is asserted."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import run


def test_kernels_draw_their_figures_inline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MPLBACKEND", "Agg")
    assert "MPLBACKEND" not in run.child_env(kernel=True)  # ipykernel then picks inline
    assert run.child_env()["MPLBACKEND"] == "Agg"


def test_figure_count_counts_png_outputs_only() -> None:
    png = nbformat.v4.new_output("display_data", data={"image/png": "iVBOR", "text/plain": "F"})
    text = nbformat.v4.new_output("stream", text="hello\n")
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("a", outputs=[png, text]),
        nbformat.v4.new_markdown_cell("b"),
        nbformat.v4.new_code_cell("c", outputs=[png]),
    ])
    assert run.figure_count(nb) == 2


def test_the_numbered_notebooks_show_figures() -> None:
    counts = [run.figure_count(nbformat.read(p, as_version=4)) for p in run.numbered_notebooks()]
    assert len(counts) >= 3 and all(n > 0 for n in counts)


def test_issue_20_figures_have_targets_and_seconds_get_a_reference() -> None:
    for key in ("make_test_s", "report_warm_s", "report_cold_s", "draws_1000_s",
                "dyad_years_1m_s", "notebooks_floor_ratio"):
        assert key in run.TARGETS
    assert set(run.SECONDS) <= set(run.TARGETS)
    assert all(key.endswith("_s") for key in run.SECONDS)


def test_rotate_alternates_the_order_and_times_every_run() -> None:
    calls: list[str] = []
    runs = {name: (lambda name=name: calls.append(name)) for name in ("a", "b", "c")}
    times = run.rotate(runs, repeats=2, warm_up=lambda: calls.append("warm"))
    assert calls == ["warm", "a", "b", "c", "c", "b", "a"]
    assert {name: len(values) for name, values in times.items()} == {"a": 2, "b": 2, "c": 2}


def test_paired_ratio_is_the_median_of_ratios_within_a_repeat() -> None:
    # a load burst in the second repeat slows both sides: the pair keeps its ratio
    assert run.paired_ratio([2.0, 20.0, 3.0], [1.0, 10.0, 1.0]) == 2.0


def test_with_reference_divides_seconds_by_the_reference(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    monkeypatch.setattr(run, "reference_s", lambda repeats: [2.0] * repeats)
    out = run.with_reference(lambda: {"draws_1000_s": 3.0, "notebooks_floor_ratio": 1.1},
                             ("draws_1000_s", "notebooks_floor_ratio"), 3)
    assert out["draws_1000_s_reference_s"] == 2.0 and out["draws_1000_s_per_reference"] == 1.5
    assert "notebooks_floor_ratio_per_reference" not in out  # a ratio needs no reference


def test_a_run_prints_and_writes_the_figures_it_measured(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the benches are replaced by fakes; main() must still print and write what they return
    monkeypatch.setattr(run, "reference_s", lambda repeats: [0.5] * repeats)
    monkeypatch.setattr(run, "bench_cold", lambda: {
        "report_cold_s": 42.0, "cold_setup_ran": True, "cold_commit": "abc"})
    monkeypatch.setattr(run, "bench_test", lambda: {
        "make_test_s": 30.0, "summary": "9 passed in 29.0s", "all_passed": True})
    out = tmp_path / "r.json"
    assert run.main(["--only", "test,cold", "--output", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "set-up included: 42.0 s" in printed and "make test: 9 passed" in printed
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["report_cold_s"] == 42.0 and written["make_test_s"] == 30.0
    assert written["reference"]["report_cold_s"]["per_reference"] == 84.0


def test_kernel_cpu_splits_figure_drawing_from_the_rest(tmp_path: Path) -> None:
    meta = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nb = nbformat.v4.new_notebook(metadata=meta, cells=[
        nbformat.v4.new_markdown_cell("left out"),
        nbformat.v4.new_code_cell("import matplotlib.pyplot as plt"),
        nbformat.v4.new_code_cell(run.FLOOR_FIGURE)])
    figures, rest = run.kernel_cpu(nb, "probe", tmp_path)
    assert figures > 0 and rest > 0  # the timer saw the figure; start-up and import are the rest
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code"]  # the caller's copy
