"""The wheel carries the data, and an installed albru outside the checkout finds and loads it.

The wheel is built without network (no build isolation, no index) and installed with --no-deps
into a fresh virtual environment in a temporary folder; the dependencies come from the running
environment through a .pth file, so nothing is downloaded.
"""

from __future__ import annotations

import json
import re
import site
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(arg) for arg in args], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheelhouse")
    _run(
        sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
        "--no-index", "--wheel-dir", out, ROOT,
    )
    (built,) = out.glob("albru-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh venv outside the checkout with the wheel installed and the deps borrowed."""
    venv_dir = tmp_path_factory.mktemp("installed") / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv_dir)
    python = venv_dir / "bin" / "python"
    _run(
        sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
        "--no-index", wheel,
    )
    # Only now borrow the running environment's packages, so that pip above saw an empty venv
    # and the installed wheel comes first on sys.path.
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
    borrowed = [*site.getsitepackages(), sysconfig.get_path("purelib")]
    pth = Path(purelib.stdout.strip()) / "_borrowed_deps.pth"
    pth.write_text("\n".join(dict.fromkeys(borrowed)) + "\n", encoding="utf-8")
    return venv_dir


def test_wheel_contains_the_package_and_every_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {f"albru/{path.name}" for path in (ROOT / "albru").glob("*.py")}
    data = {
        "albru/data/" + path.relative_to(ROOT / "data").as_posix()
        for path in (ROOT / "data").rglob("*")
        if path.is_file()
    }
    assert "albru/data/datapackage.json" in data
    assert modules - names == set()
    assert data - names == set()
    assert not any(name.startswith(("data/", "tests/", "notebooks/", "tools/", "docs/"))
                   for name in names)
    # only what a library user imports: the site builder and its Sphinx extension stay behind
    wheel_zip = zipfile.ZipFile(wheel)
    for name in names:
        if name.endswith(".py"):
            text = wheel_zip.read(name).decode("utf-8")
            engine = r"^\s*(import|from) (sphinx|myst_nb|myst_parser|docutils|nbclient)\b"
            assert not re.search(engine, text, flags=re.MULTILINE), name


CHECK = """
import csv, json, albru
data = albru.data_dir()
ds = albru.load()
package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
rows = {}
for resource in package["resources"]:
    with open(data / resource["path"], newline="", encoding="utf-8") as handle:
        in_csv = sum(1 for _ in csv.DictReader(handle))
    rows[resource["name"]] = [len(getattr(ds, resource["name"])), in_csv]
print(json.dumps({"module": albru.__file__, "data_dir": str(data), "rows": rows}))
"""


def test_installed_wheel_loads_its_own_data(venv, tmp_path):
    # -I: ignore PYTHONPATH and the current folder, which is outside the checkout anyway.
    result = _run(venv / "bin" / "python", "-I", "-c", CHECK, cwd=tmp_path)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert Path(report["module"]).is_relative_to(venv)
    assert Path(report["data_dir"]).is_relative_to(venv)
    assert not Path(report["data_dir"]).is_relative_to(ROOT)
    rows = report["rows"]
    assert {"events", "actors", "eras"} <= set(rows)
    for name, (loaded, in_csv) in rows.items():
        assert loaded == in_csv, f"{name}: {loaded} rows loaded, {in_csv} in the CSV"
    assert all(rows[name][0] > 0 for name in ("events", "actors", "eras"))


def test_installed_console_script_and_module(venv, tmp_path):
    help_text = _run(venv / "bin" / "albru", "--help", cwd=tmp_path).stdout
    assert help_text.startswith("usage: albru")
    version = _run(venv / "bin" / "python", "-I", "-m", "albru", "--version", cwd=tmp_path)
    assert version.stdout.strip() == f"albru {VERSION}"


def test_installed_albru_build_says_it_needs_a_checkout(venv, tmp_path):
    done = subprocess.run([venv / "bin" / "albru", "build"], cwd=tmp_path, capture_output=True,
                          text=True, check=False)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "checkout of the albru repository" in done.stderr


def test_installed_albru_cites_software_and_data(venv, tmp_path):
    text = _run(venv / "bin" / "albru", "cite", cwd=tmp_path).stdout
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert f"Python package, version {VERSION}" in text
    assert f"Dataset, version {package['version']}, record as of {package['as_of']}" in text


def test_wheel_ships_both_licences(wheel):
    archive = zipfile.ZipFile(wheel)
    names = set(archive.namelist())
    info = f"albru-{VERSION}.dist-info"
    assert "albru/data/LICENSE-CC-BY-SA-4.0.txt" in names
    assert {f"{info}/licenses/LICENSE", f"{info}/licenses/data/LICENSE-CC-BY-SA-4.0.txt"} <= names
    meta = archive.read(f"{info}/METADATA").decode()
    assert "License-Expression: MIT AND CC-BY-SA-4.0" in meta.splitlines()


def test_data_card_repeats_the_citation():
    """The data card (data/README.md) says how to cite the data, with its version and as-of day."""
    card = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    section = card.split("## How to cite", 1)[1].split("\n## ", 1)[0]
    assert package["version"] in section and package["as_of"] in section
