"""The tiny project of the site tests (test_site, test_cli), and its one rendering per session.

Two notebooks never run (the second fails if it is: rendering runs nothing), a data folder with
a hostile file name, formula cells, an unlisted file and an unlisted symlink to a secret; the
real site sources. ``tests/conftest.py`` renders it once (``tiny_built``) with the albru command
in a process that refuses every connection, and conftest.py's scheduler keeps both readers on
one worker.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import NamedTuple

import nbformat
from sitebuild.build import Project
from test_no_network import GUARD

REPO = Path(__file__).resolve().parent.parent
EVIL = '"><img src=x onerror=alert(8)>'
#: Cells a spreadsheet would run as formulas, and plain numbers it must keep as numbers.
FORMULAS = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "-5", "+1.5e3"]
#: The code of the tiny notebooks: the first prints 42, the second fails when run.
FIRST, SECOND = "print(6 * 7)", "albru_missing_name"


def notebook(path: Path, *sources: str, intro: str = "", meta: dict | None = None) -> Path:
    """Write a never-run notebook: a Markdown cell (``intro``) and a code cell per source."""
    cells = [nbformat.v4.new_markdown_cell(intro or f"# {path.stem}\n\nWhat is {path.stem}?")]
    for source in sources:
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata.update(meta or {})
        cells.append(cell)
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}  # fmt: skip
    nbformat.write(nb, path)
    return path


def make_tiny(root: Path) -> Project:
    """Write the tiny project into ``root`` (which exists); its work folder is ``root/work``."""
    nbs, data = root / "notebooks", root / "data"
    nbs.mkdir()
    data.mkdir()
    intro = (
        f"# First\n\nIs <b>{EVIL}</b> text? See [CAMEO](../docs/glossary.md#cameo) and "
        "[the card](../data/README.md)."
    )
    notebook(nbs / "01_first.ipynb", FIRST, intro=intro)
    notebook(nbs / "02_second.ipynb", SECOND)
    (data / f"{EVIL}.csv").write_text("a\n1\n", encoding="utf-8")
    rows = "".join(f'"{cell.replace(chr(34), 2 * chr(34))}",{n}\n'
                   for n, cell in enumerate(FORMULAS))
    (data / "cells.csv").write_text("text,n\n" + rows, encoding="utf-8")
    (data / "notes.csv").write_text("stray\n1\n", encoding="utf-8")
    (root / "secret").write_text("albru-secret-7f3a\n", encoding="utf-8")
    (data / "secret.csv").symlink_to(root / "secret")
    resources = [{"path": f"{EVIL}.csv", "description": f"<script>{EVIL}</script>"},
                 {"path": "cells.csv", "description": "cells"}]  # fmt: skip
    package = {"version": "9.9.9", "as_of": "2000-01-01", "resources": resources}
    (data / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    (data / "README.md").write_text(f"# Card\n\n<script>alert(1)</script>\n\n{EVIL}\n")
    return Project(notebooks=nbs, data=data, docs=REPO / "docs", work=root / "work")


def copy_built(built: Path, into: Path) -> Project:
    """Copy a rendered tiny project (sources, work folder and site) into ``into``: a rebuild of
    unchanged sources there runs no Sphinx."""
    for name in ("notebooks", "data", "work", "site", "secret"):
        source = built / name
        if source.is_dir():
            shutil.copytree(source, into / name, symlinks=True)
        else:
            shutil.copy2(source, into / name)
    (into / "data" / "secret.csv").unlink()
    (into / "data" / "secret.csv").symlink_to(into / "secret")
    return Project(notebooks=into / "notebooks", data=into / "data", docs=REPO / "docs",
                   work=into / "work")  # fmt: skip


def build_args(project: Project, out: Path) -> list[str]:
    """The ``albru build`` arguments for ``project`` into ``out``, without figures."""
    return ["build", "--notebooks", str(project.notebooks), "--data", str(project.data),
            "--docs", str(project.docs), "--work", str(project.work), "--out", str(out),
            "--figures", ""]  # fmt: skip


def offline_env(folder: Path, log: Path) -> dict[str, str]:
    """An environment whose Python processes (Sphinx's child included) refuse every connection:
    the guard goes in a sitecustomize module that every Python process started with this
    PYTHONPATH imports; the attempts made are appended to ``log``."""
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(GUARD + textwrap.dedent(f"""
        import atexit
        def _save():
            if attempts:
                with open({str(log)!r}, "a") as handle:
                    handle.write("\\n".join(attempts) + "\\n")
        atexit.register(_save)
        """), encoding="utf-8")
    path = [str(folder), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(path)}


class Rendered(NamedTuple):
    """The tiny project rendered as committed by the albru command, offline."""

    root: Path
    status: int
    out: str
    err: str
    attempts: str | None  # the connections tried, None when there were none


def render(root: Path) -> Rendered:
    """Write the tiny project into ``root`` and run ``albru build --no-execute`` on it in a
    process that refuses every connection (its site in ``root/site``)."""
    project = make_tiny(root)
    log = root.parent / f"{root.name}-attempts.log"
    done = subprocess.run([sys.executable, "-m", "albru", *build_args(project, root / "site"),
                           "--no-execute"], capture_output=True, text=True, check=False,
                          env=offline_env(root.parent / f"{root.name}-guard", log))  # fmt: skip
    attempts = log.read_text(encoding="utf-8") if log.exists() else None
    return Rendered(root, done.returncode, done.stdout, done.stderr, attempts)


def tree(folder: Path) -> dict[Path, bytes]:
    """Every regular file under ``folder`` (symlinks left out) and its bytes."""
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and not p.is_symlink()}


def _command(argv: list[str]) -> tuple[int, str, str]:
    """``albru`` run in this process: its status, stdout and stderr."""
    import contextlib
    import io

    from albru.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


def fail_then_run(built: Path, into: Path) -> dict:
    """In a copy of the rendered tiny project in ``into``: put files of a user's into its site,
    make the second notebook fail at its last cell and build (``--jobs 1``: the first notebook
    runs, then the second fails); remove the second notebook and build again, with Python
    writing bytecode as it does by default (the first notebook comes from the cache). Each
    build is ``albru build`` in this process; what the tests read is returned."""
    import pytest

    project = copy_built(built, into)
    out = into / "site"
    found: dict = {"page_before": (out / "notebooks" / "02_second.html").is_file()}
    # what a careless rebuild would lose: a file, an empty folder, a folder symlink, a hard
    # link, and a file of the user's inside a folder of the build's
    (out / "notes.txt").write_text("not the build's", encoding="utf-8")
    (out / "empty").mkdir()
    (into / "elsewhere").mkdir()
    (out / "linked").symlink_to(into / "elsewhere", target_is_directory=True)
    (into / "original.txt").write_text("shared", encoding="utf-8")
    os.link(into / "original.txt", out / "hard.txt")
    (out / "notebooks" / "mine.txt").write_text("kept", encoding="utf-8")
    notebook(project.notebooks / "02_second.ipynb", "x = 1", "1 / x", "x / 0")
    found["before_fail"] = tree(out)
    found["fail"] = _command([*build_args(project, out), "--jobs", "1"])
    found["after_fail"] = tree(out)
    (project.notebooks / "02_second.ipynb").unlink()
    # Sphinx's import of the site's extension from the staged tree must leave no __pycache__
    # there, or the next build of changed sources would refuse the tree
    with pytest.MonkeyPatch.context() as env:
        env.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
        found["run"] = _command(build_args(project, out))
    found["pycache"] = list((project.work / "src").rglob("__pycache__"))
    found["project"] = project
    return found
