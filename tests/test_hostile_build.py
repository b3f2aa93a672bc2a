"""A hostile user against the site build and the command line: real files, symlinks, processes
and signals (issue 27). Every test here failed before the build owned its folders.

A process test starts a real build (``tools/build_site.py``) whose notebooks write a marker
with their kernel's process id and then wait; the test signals the build once every marker is
there. Timeouts are generous hang checks, not speed measurements.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from sitebuild import BuildError
from sitebuild.build import FIGURES_MANIFEST, MANIFEST, Project, build_site
from sitebuild.owned import lock

from albru.cli import main

REPO = Path(__file__).resolve().parent.parent
TOOL = REPO / "tools" / "build_site.py"


def _notebook(path: Path, source: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(f"# {path.stem}\n\nWhat is it?"),
        nbformat.v4.new_code_cell(source)])  # fmt: skip
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, path)
    return path


def _project(root: Path, names: tuple[str, ...] = ("01_first", "02_second")) -> Project:
    """Notebooks that print, an empty data package, the real site sources."""
    (root / "notebooks").mkdir()
    (root / "data").mkdir()
    (root / "data" / "datapackage.json").write_text('{"resources": []}', encoding="utf-8")
    for name in names:
        _notebook(root / "notebooks" / f"{name}.ipynb", "print(1)")
    return Project(root / "notebooks", root / "data", REPO / "docs", root / "work")


def _args(project: Project, out: Path, figures: str = "") -> list[str]:
    return ["build", "--notebooks", str(project.notebooks), "--data", str(project.data),
            "--docs", str(project.docs), "--work", str(project.work), "--out", str(out),
            "--figures", figures]  # fmt: skip


def _snapshot(folder: Path) -> dict[str, object]:
    """Every entry under ``folder``: file bytes, link targets, empty folders."""
    seen: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            seen[rel] = ("link", os.readlink(path))
        elif path.is_file():
            seen[rel] = path.read_bytes()
        else:
            seen[rel] = "folder"
    return seen


def _one_line(err: str) -> bool:
    return err.count("\n") == 1 and "Traceback" not in err


# --- every path the build writes is owned -------------------------------------------------


def test_a_work_folder_of_someone_elses_files_is_refused_and_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    mine = tmp_path / "mine"
    for rel in ("src/notes.md", "html/index.html", "doctrees/a.pickle", "cache/x.ipynb"):
        (mine / rel).parent.mkdir(parents=True, exist_ok=True)
        (mine / rel).write_text(f"the user's {rel}", encoding="utf-8")
    before = _snapshot(mine)
    args = _args(project, tmp_path / "site")
    args[args.index("--work") + 1] = str(mine)
    assert main(args) == 1
    err = capsys.readouterr().err
    assert _one_line(err) and "no albru build made" in err
    assert _snapshot(mine) == before
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("manifest", ["{}", '{"files": {"index.html": ["0000"]}}',
                                      '{"made_by": "albru build", "files": {}}'])
def test_a_forged_manifest_does_not_hand_over_a_folder(
    tmp_path: Path, manifest: str, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    out = tmp_path / "mine"
    out.mkdir()
    (out / MANIFEST).write_text(manifest, encoding="utf-8")
    (out / "index.html").write_text("my page", encoding="utf-8")
    (out / "empty").mkdir()
    before = _snapshot(out)
    assert main(_args(project, out)) == 1
    assert "no albru build made" in capsys.readouterr().err
    assert _snapshot(out) == before


def test_a_figures_folder_never_loses_a_users_png(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    figures = tmp_path / "figs"
    figures.mkdir()
    (figures / "01_first.png").write_bytes(b"my own drawing")
    assert main(_args(project, tmp_path / "site", str(figures))) == 1
    assert _one_line(capsys.readouterr().err)
    assert (figures / "01_first.png").read_bytes() == b"my own drawing"
    assert sorted(p.name for p in figures.iterdir()) == ["01_first.png"]


def test_a_committed_symlink_in_docs_figures_cannot_write_outside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/figures as committed (its manifest included), one figure a symlink out."""
    project = _project(tmp_path, ("01_eras", "02_alliance_networks"))
    figures = tmp_path / "docs-figures"
    shutil.copytree(REPO / "docs" / "figures", figures)
    assert (figures / FIGURES_MANIFEST).is_file()
    outside = tmp_path / "outside.txt"
    outside.write_text("precious", encoding="utf-8")
    (figures / "01_eras.png").unlink()
    (figures / "01_eras.png").symlink_to(outside)
    before = _snapshot(figures)
    assert main(_args(project, tmp_path / "site", str(figures))) == 1
    err = capsys.readouterr().err
    assert _one_line(err) and "01_eras.png" in err
    assert outside.read_text(encoding="utf-8") == "precious"
    assert _snapshot(figures) == before


@pytest.mark.parametrize("which", ["out", "figures", "work"])
def test_a_symlinked_folder_is_refused(tmp_path: Path, which: str) -> None:
    project = _project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "link"
    link.symlink_to(elsewhere, target_is_directory=True)
    out, figures = tmp_path / "site", None
    if which == "out":
        out = link
    elif which == "figures":
        figures = link
    else:
        project = Project(project.notebooks, project.data, project.docs, link)
    with pytest.raises(BuildError, match="symbolic link"):
        build_site(project, out, figures, execute_notebooks=False, say=lambda _: None)
    assert list(elsewhere.iterdir()) == []


# --- processes and signals ----------------------------------------------------------------

WAIT = "import os, pathlib, time\npathlib.Path({marker!r}).write_text(str(os.getpid()))\n" \
       "time.sleep(120)"  # fmt: skip


def _waiting_build(tmp_path: Path, count: int, jobs: int) -> tuple[subprocess.Popen, list[Path]]:
    """A build (its own session, as a terminal's job) whose notebooks wait once they run."""
    project = _project(tmp_path, ())
    markers = [tmp_path / f"kernel{n}.pid" for n in range(count)]
    for n, marker in enumerate(markers):
        _notebook(project.notebooks / f"0{n + 1}_wait.ipynb", WAIT.format(marker=str(marker)))
    args = _args(project, tmp_path / "site")[1:] + ["--jobs", str(jobs)]
    build = subprocess.Popen([sys.executable, str(TOOL), *args], cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while not all(m.is_file() and m.read_text() for m in markers):
        assert build.poll() is None, build.communicate()
        assert time.monotonic() < deadline, "the notebooks never started"
        time.sleep(0.05)
    return build, markers


def _gone(pid: int, within: float = 30) -> bool:
    """True once process ``pid`` has ended (a zombie waiting to be reaped counts as ended)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return True
        if state in {"Z", "X"}:
            return True
        time.sleep(0.05)
    return False


def _cleanup(build: subprocess.Popen, markers: list[Path]) -> None:
    """End whatever the test's build left running (by process id and process group)."""
    for pid in [int(m.read_text()) for m in markers if m.is_file() and m.read_text()]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        os.killpg(build.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    build.wait(timeout=30)


def test_a_killed_build_does_not_block_the_next(tmp_path: Path) -> None:
    build, markers = _waiting_build(tmp_path, count=2, jobs=2)
    try:
        build.kill()  # SIGKILL to the main process alone: its workers and kernels run on
        build.wait(timeout=30)
        kernel = int(markers[0].read_text())
        os.kill(kernel, 0)  # the notebooks still run ...
        fd = os.open(tmp_path / "work" / ".lock", os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # ... yet nobody holds the lock
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
        said: list[str] = []
        with lock(tmp_path / "work", said.append):
            pass
        line = f"the previous build (process {build.pid}) ended without finishing; going on"
        assert said == [line]
    finally:
        _cleanup(build, markers)


@pytest.mark.parametrize(("signum", "status", "jobs"), [(signal.SIGINT, 130, 2),
                                                        (signal.SIGTERM, 143, 1)])
def test_an_interrupted_build_is_one_line_and_leaves_nothing_running(
    tmp_path: Path, signum: int, status: int, jobs: int
) -> None:
    """Ctrl-C (SIGINT to the whole job, as a terminal sends it) or SIGTERM mid-run: one line,
    its status, no kernel left, no partial file, the lock free."""
    build, markers = _waiting_build(tmp_path, count=jobs, jobs=jobs)
    try:
        if signum == signal.SIGINT:
            os.killpg(build.pid, signum)
        else:
            build.send_signal(signum)
        _, err = build.communicate(timeout=60)
        assert build.returncode == status
        assert _one_line(err) and "interrupted" in err, err
        assert all(_gone(int(m.read_text())) for m in markers), "a kernel outlived the build"
        assert (tmp_path / "work" / ".lock").read_text() == ""  # ended, not killed
        assert not (tmp_path / "site").exists()
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
        manifest = tmp_path / "work" / ".albru-work.json"
        work = json.loads(manifest.read_text()) if manifest.exists() else {"files": {}}
        assert all(not rel.startswith("cache/") for rel in work["files"])
        assert not (tmp_path / "work" / "cache").exists() or not any(
            (tmp_path / "work" / "cache").iterdir())
        assert not list((tmp_path / "work").rglob("*.tmp"))
    finally:
        _cleanup(build, markers)


def _interrupted_after(delay: float, argv: list[str]) -> subprocess.CompletedProcess[str]:
    """Run ``albru ARGV`` in a fresh interpreter and send it Ctrl-C after ``delay`` seconds."""
    code = ("import os, signal, sys, threading\nimport albru.cli as cli\n"
            f"threading.Timer({delay}, os.kill, (os.getpid(), signal.SIGINT)).start()\n"
            f"sys.exit(cli.main({argv!r}))\n")  # fmt: skip
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip


@pytest.mark.parametrize("command", ["validate", "info"])
def test_ctrl_c_during_a_command_is_one_line_and_130(command: str) -> None:
    done = _interrupted_after(0.05, [command])
    assert done.returncode == 130
    assert done.stderr == f"albru {command}: interrupted\n"


def test_ctrl_c_while_the_command_starts_is_one_line_and_130() -> None:
    code = "import os, signal, albru.cli\nos.kill(os.getpid(), signal.SIGINT)\nimport pandas\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    assert done.returncode == 130
    assert done.stderr == "albru: interrupted\n"


def test_any_other_error_is_one_line_and_exit_1() -> None:
    with open("/dev/full", "w") as full:  # every write fails: no space left on the device
        done = subprocess.run([sys.executable, "-m", "albru", "info"], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120, check=False)
    assert done.returncode == 1
    assert _one_line(done.stderr) and done.stderr.startswith("albru info: error: ")
