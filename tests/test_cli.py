"""The albru command: validate, info and build, each on good and on broken input."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from tiny_project import Rendered

import albru
from albru.cli import main


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _set_cell(path: Path, line: int, column: str, value: str) -> None:
    """Overwrite one cell of a CSV file (line 1 is the header)."""
    rows = _rows(path)
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _break(data: Path) -> Path:
    """Give the copy of the data in ``data`` an impossible date and an unknown tie sign."""
    _set_cell(data / "events.csv", 2, "date", "1912-13-45")
    _set_cell(data / "ties.csv", 3, "sign", "2")
    return data


@pytest.fixture
def bad_data(tmp_path: Path) -> Path:
    """A copy of the data with an impossible date and an unknown tie sign."""
    return _break(Path(shutil.copytree(albru.data_dir(), tmp_path / "data")))


@pytest.fixture(scope="module")
def validated_as_a_program(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """``albru validate`` run once as a program (``-X importtime``: the modules it imports are
    on stderr) on a copy of the data with an impossible date, an unknown tie sign and a Latin-1
    byte in actors.csv (a problem of albru's and of frictionless's); the copy."""
    data = _break(Path(shutil.copytree(albru.data_dir(), tmp_path_factory.mktemp("v") / "data")))
    actors = data / "actors.csv"
    actors.write_bytes(actors.read_bytes().replace(b"Albania", "Shqipëria".encode("latin-1"), 1))
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "albru", "validate",
                           str(data)], capture_output=True, text=True, check=False)
    return done, data


def test_validate_clean_data_prints_one_summary_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    files = sorted(albru.data_dir().glob("*.csv"))
    rows = sum(len(_rows(p)) - 1 for p in files)
    assert len(files) == len(albru.Dataset.TABLES)
    assert f"valid, {len(files)} tables, {rows} rows" in lines[0]


def test_validate_broken_copy_prints_every_problem(
    bad_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(bad_data)]) == 1
    captured = capsys.readouterr()
    assert "events.csv, line 2, column date, value '1912-13-45'" in captured.out
    assert "ties.csv, line 3, column sign, value '2'" in captured.out
    assert "problem(s) in" in captured.err


def test_validate_as_a_program_exits_non_zero_on_problems(validated_as_a_program: tuple) -> None:
    done, _ = validated_as_a_program
    assert done.returncode == 1
    assert "ties.csv, line 3, column sign" in done.stdout


def test_info_counts_rows_eras_and_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    data = albru.data_dir()
    for path in data.glob("*.csv"):
        assert f"\n{path.stem.ljust(11)}  {len(_rows(path)) - 1}\n" in out
    ds = albru.load()
    block = out.split("Events per era\n")[1].split("\n\nSources")[0].splitlines()[2:]
    per_era, rest = block[:len(ds.eras)], block[len(ds.eras):]
    assert [line.split()[0] for line in per_era] == list(ds.eras["era_id"])
    straddling = int(ds.events["era"].isna().sum())
    assert sum(int(line.split()[-1]) for line in per_era) == len(ds.events) - straddling
    if straddling:
        assert rest == [(f"{straddling} more event(s) may fall in either of two or more eras "
                         "(their dates cross an era boundary) and are counted in none.")]
    else:
        assert rest == []
    assert f"span {ds.events['start'].min().year} to {ds.events['end'].max().year}" in out
    assert out.splitlines()[0] == (f"{ds.package.title}: version {ds.package.version}, as of "
                                   f"{ds.as_of.date()}, licence CC-BY-SA-4.0")
    for source_id in ds.sources["source_id"]:
        assert f"\n{source_id} " in out


def test_info_on_broken_data_fails_naming_the_file(
    bad_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["info", str(bad_data)]) == 1
    assert "events.csv, line 2, column date" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "message"), [
    (["validate", ""], "albru validate: error: the data folder is an empty string"),
    (["info", ""], "albru info: error: the data folder is an empty string"),
    (["validate", "/nonexistent/albru"], "albru validate: error: no such data folder"),
    (["info", "/nonexistent/albru"], "albru info: error: no such data folder"),
    (["validate", "--bogus"], "albru: error: unrecognized arguments: --bogus"),
    (["frobnicate"], "albru: error: argument COMMAND: invalid choice"),
])
def test_usage_errors_are_one_line_and_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(argv)
    except SystemExit as stopped:  # argparse's own errors leave through parser.exit
        code = stopped.code
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.startswith(message) and captured.err.count("\n") == 1


def test_a_data_path_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a\n", encoding="utf-8")
    for command in ("validate", "info"):
        assert main([command, str(path)]) == 2
        err = capsys.readouterr().err
        assert err == f"albru {command}: error: not a folder: {path}\n"


def test_info_on_broken_data_is_one_line(
    bad_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["info", str(bad_data)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert "run `albru validate` for the full list" in captured.err


def test_a_closed_pipe_ends_quietly() -> None:
    # The reader goes away before the command writes (as `albru info | head -0` would), so
    # every write meets a closed pipe whatever the timing.
    reader = subprocess.Popen([sys.executable, "-m", "albru", "info"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.close()
    err = reader.stderr.read()
    reader.stderr.close()
    assert reader.wait() == 141
    assert err == b""


def test_validate_a_copy_with_a_faulty_schema(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    shutil.copytree(albru.data_dir(), data)
    (data / "datapackage.json").write_text("[]", encoding="utf-8")
    assert main(["validate", str(data)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "datapackage.json: the top level is not an object\n"
    assert captured.err == f"1 problem(s) in {data}\n"


def _notebook(path: Path, source: str, committed_output: str | None = None) -> None:
    cell = nbformat.v4.new_code_cell(source)
    if committed_output is not None:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=committed_output)]
        cell.execution_count = 1
    intro = nbformat.v4.new_markdown_cell(f"# {path.stem}\n\nWhat does `{source}` print?")
    nb = nbformat.v4.new_notebook(cells=[intro, cell])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, path)


def _small_data(folder: Path) -> Path:
    """A data package of one table for the site's downloads: not albru's own data, so the build
    skips the dyad-year panel (computed from albru's data; its offline run is checked in
    test_no_network, the site's panel download in test_site)."""
    if not folder.is_dir():
        folder.mkdir()
        (folder / "cells.csv").write_text("text,n\nok,1\n", encoding="utf-8")
        package = {"version": "9.9.9", "as_of": "2000-01-01", "resources": [{"path": "cells.csv"}]}
        (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    return folder


def _build_args(tmp_path: Path) -> list[str]:
    return [
        "build",
        "--notebooks", str(tmp_path / "nbs"),
        "--out", str(tmp_path / "site"),
        "--figures", str(tmp_path / "figs"),
        "--sanitize", str(tmp_path / "none.cfg"),
        "--data", str(_small_data(tmp_path / "data")),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def builds(tiny_rendered: Rendered, tiny_run: dict) -> dict:
    """The tiny project (tests/tiny_project.py) built three times, as a user would: rendered
    as committed (by the albru command in a process that refuses every connection), then, in a
    copy, run with its second notebook failing, and run after removing it (tests/conftest.py:
    made once per session, shared with test_site)."""
    page = tiny_rendered.root / "site" / "notebooks" / "01_first.html"
    root = tiny_run["project"].notebooks.parent
    return {
        "render": (tiny_rendered.status, tiny_rendered.out, tiny_rendered.err, tiny_rendered.root),
        "offline": (page.is_file(), tiny_rendered.attempts),
        "fail": (*tiny_run["fail"], root),
        "run": (*tiny_run["run"], root),
    }


def test_site_build_offline(builds: dict) -> None:
    """`albru build` (its Sphinx child process included) opens no connection."""
    status, _, err, _ = builds["render"]
    assert status == 0, err
    page_built, attempts = builds["offline"]
    assert page_built
    assert attempts is None, attempts


def test_build_writes_a_page_per_notebook(builds: dict) -> None:
    status, out, _, tmp_path = builds["run"]
    assert status == 0
    assert f"site: {tmp_path / 'site' / 'index.html'} (1 notebooks)" in out
    assert (tmp_path / "site" / "index.html").is_file()
    assert sorted(p.name for p in (tmp_path / "site" / "notebooks").glob("*.html")) == [
        "01_first.html"]
    assert "42" in (tmp_path / "site" / "notebooks" / "01_first.html").read_text(encoding="utf-8")
    assert (tmp_path / "site" / "data" / "datapackage.json").is_file()
    assert "1 notebook(s) unchanged since their last run" in out  # it ran in the failed build


def test_build_stops_on_a_failing_notebook(builds: dict) -> None:
    assert builds["render"][0] == 0  # rendering alone runs nothing
    status, _, err, _ = builds["fail"]
    assert status == 1
    assert "02_second.ipynb: cell 4 failed" in err
    assert "ZeroDivisionError: division by zero" in err


def test_build_check_fails_when_committed_outputs_are_stale(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "nbs").mkdir()
    _notebook(tmp_path / "nbs" / "01_answer.ipynb", "print(6 * 7)", committed_output="42\n")
    _notebook(tmp_path / "nbs" / "02_stale.ipynb", "print(6 * 7)", committed_output="41\n")
    assert main([*_build_args(tmp_path), "--check"]) == 1
    captured = capfd.readouterr()
    printed = captured.out + captured.err
    failed = [line for line in printed.splitlines() if line.startswith("FAILED")]
    assert failed and all("02_stale.ipynb" in line for line in failed)  # 01 is as committed
    assert "'41\\n' == '42\\n'" in printed  # committed output, then the new one
    assert not (tmp_path / "site").exists()


def test_validate_as_a_program_prints_what_validate_finds_without_the_iri_grammars(
    validated_as_a_program: tuple,
) -> None:
    """`albru validate` prints what albru.validate finds, frictionless's findings included, and
    in the pinned environment never imports jsonschema's IRI grammars (rfc3987-syntax, about a
    second per process; requirements/constraints.txt keeps jsonschema below the release that
    pulls them in)."""
    done, data = validated_as_a_program
    assert done.returncode == 1
    assert "rfc3987_syntax" not in done.stderr
    found = [str(p) for p in albru.validate(data)]
    assert done.stdout.splitlines() == found
    assert any(": frictionless encoding-error" in line for line in found)
