"""Guards against vacuous nbval runs: the committed notebooks must be fully executed.

nbval compares the outputs stored in a notebook with fresh ones; a cell that was never run
stores no outputs and so compares equal to anything. These tests read the committed files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _code_cells(path: Path) -> list[dict]:
    return [cell for cell in _read(path)["cells"] if cell["cell_type"] == "code"]


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks/*.ipynb committed"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_kernelspec_is_python3(path):
    assert _read(path)["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_code_cell_executed_in_order(path):
    cells = _code_cells(path)
    assert cells, f"{path.name} has no code cells"
    counts = [cell.get("execution_count") for cell in cells]
    assert counts == list(range(1, len(cells) + 1)), (
        f"{path.name}: execution counts {counts}; run it top to bottom with `make notebooks`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_error_outputs(path):
    errors = [
        (number, output.get("ename"))
        for number, cell in enumerate(_code_cells(path), start=1)
        for output in cell.get("outputs", [])
        if output["output_type"] == "error"
    ]
    assert errors == [], f"{path.name}: error outputs in code cells (number, exception) {errors}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_stream_is_cut_in_pieces(path):
    """A printed block is one output: where a kernel flushed its buffer is not kept, so a
    re-executed notebook does not differ from the committed one in how its text is cut."""
    cut = [
        number
        for number, cell in enumerate(_code_cells(path), start=1)
        for before, after in zip(cell.get("outputs", []), cell.get("outputs", [])[1:])
        if before["output_type"] == after["output_type"] == "stream"
        and before["name"] == after["name"]
    ]
    assert cut == [], f"{path.name}: code cells {cut}: run `make notebooks` to join their streams"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_kernelspec_is_the_one_jupyterlab_writes(path):
    """JupyterLab replaces the kernelspec with the installed kernel's own on opening; a committed
    notebook that already carries it is not marked as changed."""
    from jupyter_client.kernelspec import KernelSpecManager

    kernelspec = _read(path)["metadata"]["kernelspec"]
    spec = KernelSpecManager().get_kernel_spec(kernelspec["name"])
    assert kernelspec == {
        "display_name": spec.display_name,
        "language": spec.language,
        "name": kernelspec["name"],
    }, f"{path.name}: run `make notebooks` (or sitebuild.notebooks.normalize_notebook in tools/)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_jupyter_server_round_trip_changes_no_byte(path, tmp_path):
    """Opening and saving through Jupyter Server's contents manager (what JupyterLab does on
    save) leaves the file byte for byte as committed. Works on a copy."""
    from jupyter_server.services.contents.filemanager import FileContentsManager

    copy = tmp_path / path.name
    copy.write_bytes(path.read_bytes())
    manager = FileContentsManager(root_dir=str(tmp_path))
    model = manager.get(path.name, content=True, type="notebook")
    manager.save(model, path.name)
    assert copy.read_bytes() == path.read_bytes()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_nbformat_is_current(path):
    """The minor version and cell ids the pinned nbformat writes (else JupyterLab upgrades)."""
    import nbformat

    nb = _read(path)
    assert (nb["nbformat"], nb["nbformat_minor"]) == (nbformat.current_nbformat,
                                                      nbformat.current_nbformat_minor)  # fmt: skip
    assert all(cell.get("id") for cell in nb["cells"])


def test_make_notebooks_keeps_every_cell_metadata_key_in_use():
    """`make notebooks` clears cell metadata except the keys its mask lists; every key the
    committed notebooks use (captions and alt text under "mystnb", tags ...) must be listed."""
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text(encoding="utf-8")
    mask = re.search(r"preserve_cell_metadata_mask='(\[.*?\])'", makefile, flags=re.DOTALL)
    assert mask, "Makefile: no preserve_cell_metadata_mask in the NBCONVERT command"
    kept = set(json.loads(mask.group(1).replace("\\\n", "")))
    used = {key for path in NOTEBOOKS for cell in _read(path)["cells"] for key in cell["metadata"]}
    assert "mystnb" in kept
    assert used - kept - {"execution"} == set()
