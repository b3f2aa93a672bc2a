"""The benchmark helpers that decide what is timed (benchmarks/run.py); no time is asserted."""

from __future__ import annotations

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
