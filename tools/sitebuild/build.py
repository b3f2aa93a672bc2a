"""Build the readers' site: the numbered notebooks rendered by Sphinx, MyST-NB and the book theme.

A build has four steps. First the notebooks run (see :mod:`sitebuild.notebooks`), or with
``execute_notebooks=False`` their committed outputs are taken as they are. Then a source tree
is assembled in the work folder (``build/site`` by default): the pages of ``docs/``, the
notebooks, the listed files of the data package and the files offered for download. Sphinx
renders it there, incrementally, in a child process. Last, the site is copied into a new folder
beside ``out``, each notebook's main figure is written to the figures folder, and the new site
is exchanged with ``out`` in one step.

Every folder the build writes is one it owns (:mod:`sitebuild.owned`): new, empty, or holding
the manifest of digests an earlier build wrote. A build refuses an ``out`` that holds or lies
inside the notebooks, the data or the site's sources; any failure leaves the previous site and
figures as they were and raises :class:`BuildError` with a one-line message.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitebuild import BuildError
from sitebuild.notebooks import (
    NOTEBOOK_GLOB,
    _dumps,
    _inputs_digest,
    main_figure,
    notebook_paths,
    read_notebook,
    run_notebooks,
)
from sitebuild.owned import (
    Owned,
    block_signals,
    exchange,
    is_real_dir,
    lock,
    parents,
    read_nofollow,
    rename_noreplace,
)
from sitebuild.sphinx import render

__all__ = [
    "FIGURES_MANIFEST",
    "MANIFEST",
    "WORK_MANIFEST",
    "Project",
    "build_site",
    "check_target",
    "neutralise_csv",
    "remove_site",
]

#: The manifests of what a build wrote: in a site, in the work folder, in the figures folder.
MANIFEST = ".albru-build.json"
WORK_MANIFEST = ".albru-work.json"
FIGURES_MANIFEST = ".albru-figures.json"


@dataclass(frozen=True)
class Project:
    """Where a build reads from and works.

    ``notebooks`` holds the numbered notebooks; ``docs`` holds ``conf.py``, the pages and the
    Sphinx extension (``docs/_ext``); ``work`` keeps the execution cache and Sphinx's
    incremental state.
    """

    notebooks: Path
    data: Path
    docs: Path
    work: Path
    lock: Path | None = None

    @classmethod
    def at(cls, root: Path, data: Path | None = None) -> Project:
        """The usual layout of a checkout at ``root``.

        >>> Project.at(Path("/repo")).work
        PosixPath('/repo/build/site')
        """
        root = Path(root)
        return cls(
            notebooks=root / "notebooks",
            data=Path(data) if data is not None else root / "data",
            docs=root / "docs",
            work=root / "build" / "site",
            lock=root / "requirements" / "lock.txt",
        )


# --- where a build may write --------------------------------------------------------------


def _inside(path: Path, folder: Path) -> bool:
    """True when ``path`` is ``folder`` or lies inside it (both resolved)."""
    return path == folder or folder in path.parents


def _resolved(path: Path) -> Path:
    return Path(os.path.abspath(path)).resolve()


def check_target(out: Path, project: Project, what: str = "--out") -> None:
    """Raise BuildError unless the build may write its site into ``out``.

    Refused: a symlink, a folder holding or lying inside the notebooks, the data or the site's
    sources (so the checkout root too), a file, and a non-empty folder that no build made.

    >>> check_target(Path("/repo"), Project.at(Path("/repo")))
    Traceback (most recent call last):
    ...
    sitebuild.BuildError: --out /repo holds the notebooks (/repo/notebooks); choose another folder
    """
    if os.path.islink(out):
        raise BuildError(f"{what} {out} is a symbolic link; give a real folder")
    target = _resolved(out)
    guarded = {
        "the notebooks": project.notebooks,
        "the data": project.data,
        "the site's sources": project.docs,
        "the build's work folder": project.work,
    }
    for name, folder in guarded.items():
        folder = _resolved(folder)
        if _inside(folder, target):
            raise BuildError(f"{what} {out} holds {name} ({folder}); choose another folder")
        if _inside(target, folder):
            raise BuildError(f"{what} {out} lies inside {name} ({folder}); choose another folder")
    if os.path.lexists(out) and not is_real_dir(Path(out)):
        raise BuildError(f"{what} {out} is a file, not a folder")
    if is_real_dir(Path(out)):
        site = Owned(Path(out), MANIFEST, what)
        try:
            site.claim()
        except BuildError:
            raise BuildError(
                f"{what} {out} is a folder with files that no albru build made (no "
                f"{MANIFEST} that their digests confirm); choose an empty or new folder"
            ) from None


def _check_figures(figures: Path, project: Project) -> None:
    """Raise BuildError when the figures folder holds or lies inside the notebooks or data,
    or holds the site's sources (it may lie inside them: docs/figures)."""
    if os.path.islink(figures):
        raise BuildError(f"figures folder {figures} is a symbolic link; give a real folder")
    target = _resolved(figures)
    for name, folder in [("the notebooks", project.notebooks), ("the data", project.data)]:
        folder = _resolved(folder)
        if _inside(folder, target) or _inside(target, folder):
            raise BuildError(f"figures folder {figures} overlaps {name} ({folder})")
    if _inside(_resolved(project.docs), target):
        raise BuildError(f"figures folder {figures} holds the site's sources ({project.docs})")
    if os.path.lexists(figures) and not is_real_dir(Path(figures)):
        raise BuildError(f"figures folder {figures} is a file, not a folder")


# --- the source tree ----------------------------------------------------------------------


def _read_inside(root: Path, rel: str) -> bytes:
    """The file ``root/rel``, reached through real folders only; BuildError otherwise."""
    path = root
    for part in rel.split("/")[:-1]:
        path = path / part
        if not is_real_dir(path):
            raise BuildError(f"cannot read {root / rel}: {path} is not a real folder")
    try:
        return read_nofollow(root / rel)
    except OSError as err:
        reason = err.strerror or str(err)
        if os.path.islink(root / rel):
            reason = "a symbolic link"
        raise BuildError(f"cannot read {root / rel}: {reason}") from None


def _listed(package: bytes) -> list[str]:
    """The resource paths a data package lists, each a plain relative path inside its folder.

    >>> _listed(b'{"resources": [{"path": "a.csv"}, {"path": "../x"}, {"path": "s/b.csv"}]}')
    ['a.csv', 's/b.csv']
    """
    try:
        meta = json.loads(package)
    except ValueError:
        return []
    resources = meta.get("resources", []) if isinstance(meta, dict) else []
    paths = [r.get("path") for r in resources if isinstance(r, dict)]
    return [
        p for p in paths
        if isinstance(p, str) and p and not p.startswith("/") and "\0" not in p
        and not {"", ".", ".."} & set(p.split("/"))
    ]  # fmt: skip


def _data_files(data: Path) -> tuple[dict[str, bytes], list[str]]:
    """The files of the data folder the site uses, and those it publishes.

    Only ``datapackage.json``, the data card, the licence text (:data:`LICENCE`) and the
    resources the package lists are read (and the same for ``external/``); no other file of the
    folder is opened.
    """
    if not is_real_dir(data):
        raise BuildError(f"the data folder {data} is not a folder")
    files: dict[str, bytes] = {}
    published: list[str] = []
    for folder in ("", "external/"):
        package = f"{folder}datapackage.json"
        if not os.path.lexists(data / package):
            continue
        files[package] = _read_inside(data, package)
        published.append(package)
        for rel in _listed(files[package]):
            files[f"{folder}{rel}"] = _read_inside(data, f"{folder}{rel}")
            published.append(f"{folder}{rel}")
            beside = f"{folder}{rel.rsplit('/', 1)[0]}/README.md" if "/" in rel else ""
            if beside and beside not in files and os.path.lexists(data / beside):
                files[beside] = _read_inside(data, beside)
                published.append(beside)
    if os.path.lexists(data / "README.md"):
        files["README.md"] = _read_inside(data, "README.md")
    if os.path.lexists(data / LICENCE):
        files[LICENCE] = _read_inside(data, LICENCE)
        published.append(LICENCE)
    return files, published


#: The legal text of the data's licence, published beside the tables.
LICENCE = "LICENSE-CC-BY-SA-4.0.txt"

#: What makes a spreadsheet read a cell as a formula; a plain number is left as it is.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise_csv(content: bytes) -> bytes:
    """A CSV file whose cells cannot start a spreadsheet formula: a cell beginning with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` (shown by spreadsheets
    as text), unless it is a plain number. A file with no such cell comes back unchanged.

    >>> neutralise_csv(b"a,b\\n=1+2,-3\\n@x,ok\\n").decode()
    "a,b\\n'=1+2,-3\\n'@x,ok\\n"
    >>> neutralise_csv(b'a,b\\n"x\\r=y",@z\\n').decode()  # the line break stays quoted
    'a,b\\n"x\\r=y",\\'@z\\n'
    """
    text = content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    risky = any(
        cell.startswith(_FORMULA_START) and not _NUMBER.fullmatch(cell)
        for row in rows for cell in row
    )  # fmt: skip
    if not risky:
        return content
    # Written with "\r\n" whatever the file's line ends, so that the writer quotes every cell
    # holding a "\r" or a "\n" (it quotes only the characters of its line end): a lone "\r"
    # left bare would split the row, and could put a formula at the start of a cell.
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    end = "\r\n" if "\r\n" in text else "\n"
    lines = []
    for row in rows:
        writer.writerow([
            "'" + cell if cell.startswith(_FORMULA_START) and not _NUMBER.fullmatch(cell)
            else cell for cell in row
        ])  # fmt: skip
        lines.append(out.getvalue()[:-2] + end)
        out.seek(0)
        out.truncate()
    return "".join(lines).encode("utf-8")


#: Folders of docs/ that are not site sources (docs/figures holds the README's figures).
_SKIP_DOCS = {"_build", "__pycache__", "figures", ".ipynb_checkpoints"}


def _docs_files(docs: Path) -> dict[str, bytes]:
    """Every file of the site's sources as ``{relative path in the source tree: bytes}``."""
    if not (docs / "conf.py").is_file():
        raise BuildError(f"no site configuration: {docs / 'conf.py'} is missing")
    files = {}
    for folder, dirs, names in os.walk(docs):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DOCS)
        for name in sorted(names):
            path = Path(folder) / name
            rel = path.relative_to(docs).as_posix()
            files[rel] = _read_inside(docs, rel)
    staged = {}
    for rel, content in files.items():
        if rel == "index.md":
            staged["index.md"] = content  # the front page: the site root
        elif rel == "conf.py" or rel.startswith(("_static/", "_templates/", "_ext/")):
            staged[rel] = content
        else:
            staged[f"docs/{rel}"] = content
    staged.setdefault("index.md", b"# albru\n")
    return staged


def _panel_csv(work: Owned, data_dir: Path, say: Callable[[str], None]) -> bytes | None:
    """The dyad-year panel of Albania and Russia as CSV, for albru's own data only; kept in the
    work folder's cache under a digest of the data and the library."""
    from albru.files import data_dir as albru_data  # not albru.data_dir: that imports pandas

    if _resolved(data_dir) != _resolved(albru_data()):
        return None
    import albru

    key = hashlib.sha256(_inputs_digest(albru_data()).encode()).hexdigest()[:20]
    rel = f"cache/dyad_years.{key}.csv"
    if work.owns(rel):
        return work.read(rel)
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the panel's own warnings belong to its tests
            frame = albru.dyad_years()
    except Exception as err:  # noqa: BLE001 - reported; the site goes without the panel
        say(f"warning: the site goes without the dyad-year panel: {type(err).__name__}: {err}")
        return None
    text = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    for old in [r for r in work.files if r.startswith("cache/dyad_years.") and r != rel]:
        work.remove(old)
    work.write(rel, text)
    return text


def _sources(
    project: Project, notebooks: dict[Path, dict[str, Any]], work: Owned, say: Callable[[str], None]
) -> dict[str, bytes]:
    """The site's source tree: docs pages, notebooks, the data package and the downloads."""
    files = _docs_files(project.docs)
    data, published = _data_files(project.data)
    for rel, content in data.items():
        files[f"data/{rel}"] = content
    for rel in published:
        content = data[rel]
        files[f"_extra/data/{rel}"] = neutralise_csv(content) if rel.endswith(".csv") else content
    for path, nb in notebooks.items():
        # links to ../docs/<page>.md in a notebook work in JupyterLab and, unchanged, here
        text = _dumps(nb).encode("utf-8")
        files[f"notebooks/{path.name}"] = text
        files[f"_extra/notebooks/{path.name}"] = text
        figure = main_figure(nb)
        if figure is not None:
            files[f"docs/_thumbs/{path.stem}.png"] = figure
    panel = _panel_csv(work, project.data, say)
    if panel is not None:
        files["_extra/data/dyad_years.csv"] = neutralise_csv(panel)
    return files


#: The name of a file a build was writing when it was killed (see owned.write_nofollow).
_TEMPORARY = re.compile(r"\..+\.albru-\d+\.tmp")


def _stage(work: Owned, files: dict[str, bytes]) -> int:
    """Make ``work/src`` hold exactly ``files``, touching only changes; the number of files
    rewritten, or -1 when a file was added or removed (then the navigation of every page
    changes, and Sphinx has to write them all again). BuildError on a file in ``src`` that no
    build wrote."""
    wanted = {f"src/{rel}": content for rel, content in files.items()}
    src = work.root / "src"
    for folder, _, names in os.walk(src):
        for name in names:
            rel = (Path(folder) / name).relative_to(work.root).as_posix()
            if rel not in work.files and not _TEMPORARY.fullmatch(name):
                raise BuildError(f"{work.root / rel} was not written by a build; move it away")
    stale = [rel for rel in work.files if rel.startswith("src/") and rel not in wanted]
    moved = bool(stale) or any(rel not in work.files for rel in wanted)
    changes = work.write_many(wanted)
    for rel in stale:
        work.remove(rel)
    for rel in sorted((d for d in work.dirs if d.startswith("src/")), reverse=True):
        try:
            (work.root / rel).rmdir()  # only a folder left empty
            work.dirs.discard(rel)
        except OSError:
            pass
    work.save()
    return -1 if moved else changes


# --- Sphinx -------------------------------------------------------------------------------


def _files_digest(files: dict[str, bytes]) -> str:
    """One digest of a whole source tree."""
    digest = hashlib.sha256()
    for rel in sorted(files):
        digest.update(rel.encode() + b"\0" + hashlib.sha256(files[rel]).digest())
    return digest.hexdigest()


# --- publishing ---------------------------------------------------------------------------


def _walk(owned: Owned) -> tuple[list[str], list[str], list[str]]:
    """The build's files, the build's folders and everything else (each entry whole) in an
    owned folder, never following a symlink."""
    files, dirs, foreign = [], [], []
    stack = [""]
    while stack:
        base = stack.pop()
        with os.scandir(owned.root / base if base else owned.root) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                rel = f"{base}/{entry.name}" if base else entry.name
                if rel == owned.name:
                    continue
                if entry.is_dir(follow_symlinks=False) and rel in owned.dirs:
                    dirs.append(rel)
                    stack.append(rel)
                elif entry.is_file(follow_symlinks=False) and owned.owns(rel):
                    files.append(rel)
                else:
                    foreign.append(rel)
    return files, dirs, foreign


def _retire(folder: Path, into: Path | None, say: Callable[[str], None]) -> None:
    """Empty ``folder`` (a site swapped out, or left by an interrupted build) of what the build
    wrote, move everything else into ``into`` where that name is free, and remove ``folder``
    when nothing is left; otherwise say what stays."""
    owned = Owned(folder, MANIFEST, "old site")
    owned.load()
    files, dirs, foreign = _walk(owned)
    kept = []
    for rel in foreign:
        if into is None:
            kept.append(rel)
            continue
        parent = (into / rel).parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            rename_noreplace(folder / rel, into / rel)
        except OSError:
            kept.append(rel)
    for rel in files:
        os.unlink(folder / rel)
    for rel in sorted(dirs, reverse=True):
        try:
            (folder / rel).rmdir()
        except OSError:
            pass
    if os.path.islink(folder / MANIFEST) or os.path.isfile(folder / MANIFEST):
        os.unlink(folder / MANIFEST)  # what it listed is gone
    if not kept:
        try:
            folder.rmdir()
            return
        except OSError:
            pass
    say(f"kept {folder}: it holds files no build made ({', '.join(kept[:3]) or 'others'})")


def _recover(out: Path, say: Callable[[str], None]) -> None:
    """Finish the swap of a build that was killed halfway (folders ``.<out>.albru-*``)."""
    for leftover in sorted(out.parent.glob(f".{out.name}.albru-*")):
        if is_real_dir(leftover):
            say(f"recovering {leftover}, left by an interrupted build")
            _retire(leftover, out if is_real_dir(out) else None, say)


def _publish(
    html: Path, out: Path, digest: str, before_swap: Callable[[], None], say: Callable[[str], None]
) -> None:
    """Copy the site in ``html`` beside ``out``, run ``before_swap``, and exchange the copy with
    ``out`` in one step; then move the files of the old site that no build made into the new
    one and delete the rest of the old site. Any failure before the exchange leaves ``out`` as
    it was."""
    out = Path(os.path.abspath(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    _recover(out, say)
    current = Owned(out, MANIFEST, "--out")
    foreign: list[str] = []
    if is_real_dir(out):
        current.claim()
        foreign = _walk(current)[2]
    built = {}
    for folder, _, names in os.walk(html):
        for name in names:
            rel = (Path(folder) / name).relative_to(html).as_posix()
            built[rel] = _read_inside(html, rel)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.albru-", dir=out.parent))
    swapped = False
    try:
        new = Owned(tmp, MANIFEST, "new site")
        new.extra["source_digest"] = digest
        new.write_many(built)
        for rel in foreign:
            if os.path.lexists(tmp / rel) or any(
                os.path.lexists(tmp / p) and not is_real_dir(tmp / p) for p in parents(rel)
            ):
                raise BuildError(
                    f"{out / rel} was not made by a build and the new site has a file of that "
                    "name; move it away"
                )
            new.makedirs(rel)
        new.save()
        tmp.chmod(0o755)
        before_swap()
        with block_signals():
            if is_real_dir(out):
                exchange(tmp, out)
                swapped = True
                _retire(tmp, out, say)
            else:
                rename_noreplace(tmp, out)
                swapped = True
    except BaseException:
        if not swapped:
            shutil.rmtree(tmp, ignore_errors=True)
        raise


def remove_site(out: Path, say: Callable[[str], None] = print) -> None:
    """Delete the files a build wrote in ``out`` (as its manifest's digests confirm) and the
    folders it made, keeping everything else (``make clean``)."""
    out = Path(out)
    if os.path.islink(out) or (os.path.lexists(out) and not is_real_dir(out)):
        raise BuildError(f"{out} is not a folder a build made; left as it is")
    if is_real_dir(out):
        _recover(Path(os.path.abspath(out)), say)
        _retire(out, None, say)


# --- the build ----------------------------------------------------------------------------


def _require_extra(execute_notebooks: bool) -> None:
    """BuildError naming the extra to install when the site engine is missing.

    >>> _require_extra(False)
    """
    import importlib.util

    needed = ["sphinx", "myst_nb", "sphinx_book_theme"]
    needed += ["nbclient", "nbformat", "ipykernel"] if execute_notebooks else []
    missing = [name for name in needed if importlib.util.find_spec(name) is None]
    if missing:
        raise BuildError(
            f"the site build needs the notebooks extra: pip install 'albru[notebooks]' "
            f"(missing: {', '.join(missing)})"
        )


def build_site(
    project: Project,
    out: Path,
    figures: Path | None = None,
    execute_notebooks: bool = True,
    jobs: int | None = None,
    say: Callable[[str], None] = print,
) -> list[Path]:
    """Run (or just read) every numbered notebook and publish the site into ``out``.

    Returns the notebook pages written (paths inside ``out``). With ``figures``, each
    notebook's main figure is also written there as ``<stem>.png``, just before the site is
    swapped in. Raises BuildError, with the previous site and figures left as they were, when
    anything fails.
    """
    _require_extra(execute_notebooks)
    check_target(Path(out), project)
    paths = notebook_paths(project.notebooks)
    if not paths:
        raise BuildError(f"no notebooks matching {NOTEBOOK_GLOB} in {project.notebooks}")
    if figures is not None:  # checked now, so that a refusal comes before any notebook runs
        _check_figures(Path(figures), project)
        if os.path.lexists(figures):
            owned = Owned(Path(figures), FIGURES_MANIFEST, "figures folder")
            owned.claim()
            owned.check([f"{p.stem}.png" for p in paths])
    work = Owned(project.work, WORK_MANIFEST, "work folder")
    work.claim()
    with lock(project.work, say):
        work.claim()  # again: an earlier holder of the lock may have changed it
        if execute_notebooks:
            notebooks = run_notebooks(paths, project.data, work, project.lock, jobs, say)
        else:
            notebooks = {path: read_notebook(path) for path in paths}
        files = _sources(project, notebooks, work, say)
        changes = _stage(work, files)
        html, doctrees = work.tree("html"), work.tree("doctrees")
        if changes < 0:  # a file came or went: start afresh, so no page keeps a stale menu
            for tree in (html, doctrees):
                shutil.rmtree(tree)
                tree.mkdir()
        digest = _files_digest(files)
        if changes or not work.owns("html.digest") or work.read("html.digest") != digest.encode():
            work.remove("html.digest")
            work.save()
            render(work.root / "src", html, doctrees, say)
            work.write("html.digest", digest.encode())
        figures_step = _figures_step(notebooks, figures)
        _recover(Path(os.path.abspath(out)), say)
        site = Owned(Path(out), MANIFEST, "--out")
        site.load()
        if is_real_dir(Path(out)) and site.extra.get("source_digest") == digest and all(
            site.owns(rel) for rel in site.files
        ):
            figures_step()
            say(f"{out}: up to date")
        else:
            _publish(html, Path(out), digest, figures_step, say)
    return [Path(out) / "notebooks" / f"{p.stem}.html" for p in paths]


def _figures_step(
    notebooks: dict[Path, dict[str, Any]], figures: Path | None
) -> Callable[[], None]:
    """Check now that each main figure may be written to ``figures`` (a folder the build owns;
    no file of that name that a build did not write), and return the step that writes them."""
    if figures is None:
        return lambda: None
    owned = Owned(Path(figures), FIGURES_MANIFEST, "figures folder")
    wanted = {f"{p.stem}.png": fig for p, nb in notebooks.items() if (fig := main_figure(nb))}
    if os.path.lexists(figures):
        owned.claim()
        owned.check(list(wanted))

    def write() -> None:
        owned.claim()
        owned.write_many(wanted)

    return write
