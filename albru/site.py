"""Build the readers' site: the numbered notebooks rendered by Sphinx, MyST-NB and the book theme.

A build has three steps. First the notebooks run (each in a fresh kernel, in parallel, one per
core), unless a cached run made with the same code cells, data, library and lock exists; or,
with ``execute=False``, their committed outputs are taken as they are. Then a source tree is
assembled in the work folder (``build/site`` by default): the pages of ``docs/``, the notebooks,
a copy of the data and the files offered for download. Sphinx renders it there, incrementally.
Last, the result is copied into a temporary folder beside ``out`` and swapped in; a manifest of
the files written marks the folder as the build's own.

A build refuses an ``out`` that holds or lies inside the notebooks, the data or the site's
sources, and a non-empty folder that no build made. Any failure leaves the previous site as it
was and raises :class:`BuildError` with a one-line message. Two builds at once take turns (a
lock file in the work folder).

This module is also the Sphinx extension the site's ``conf.py`` loads (:func:`setup`): it shows
raw HTML written in Markdown as text, and provides the ``albru-notebooks`` and
``albru-downloads`` directives. Sphinx, nbclient and nbformat are imported inside the functions
that need them, so that ``import albru`` stays light.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = [
    "CELL_TIMEOUT",
    "MAIN_FIGURE_TAG",
    "MANIFEST",
    "NOTEBOOK_GLOB",
    "BuildError",
    "Project",
    "build_site",
    "cache_key",
    "check_target",
    "execute",
    "main_figure",
    "normalize_notebook",
    "notebook_paths",
    "run_notebooks",
    "setup",
    "title_and_question",
]

#: The notebooks that make up the report, in file-name order.
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
#: Tag a code cell with this to pick its last PNG as the notebook's main figure.
MAIN_FIGURE_TAG = "main-figure"
#: Seconds a single cell may run before the build gives up.
CELL_TIMEOUT = 600
#: The file in a built site listing every file the build wrote.
MANIFEST = ".albru-build.json"


class BuildError(Exception):
    """The site could not be built; the message says why in one line (plus a cell's source)."""


@dataclass(frozen=True)
class Project:
    """Where a build reads from and works.

    ``root`` is the checkout (the folder holding ``notebooks/``); ``docs`` holds ``conf.py`` and
    the pages; ``work`` keeps the execution cache and Sphinx's incremental state.
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


def notebook_paths(notebooks_dir: Path) -> list[Path]:
    """The numbered notebooks (``NN_name.ipynb``) in ``notebooks_dir``, in file-name order.

    >>> d = Path(tempfile.mkdtemp())
    >>> for name in ["02_b.ipynb", "01_a.ipynb", "scratch.ipynb"]:
    ...     _ = (d / name).write_text("{}")
    >>> [p.name for p in notebook_paths(d)]
    ['01_a.ipynb', '02_b.ipynb']
    >>> shutil.rmtree(d)
    """
    return sorted(p for p in Path(notebooks_dir).glob(NOTEBOOK_GLOB) if p.is_file())


# --- running the notebooks ----------------------------------------------------------------


def _read_text(path: Path) -> str:
    """The text of a notebook file; BuildError (one line) when it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise BuildError(f"{Path(path).name}: not a readable notebook: {reason}") from None


def _parse_notebook(text: str, name: str) -> dict[str, Any]:
    """A notebook's text as plain JSON; BuildError unless it is an nbformat 4 notebook."""
    try:
        nb = json.loads(text)
    except ValueError as err:
        raise BuildError(f"{name}: not a readable notebook: {err}") from None
    if not (isinstance(nb, dict) and nb.get("nbformat") == 4 and isinstance(nb.get("cells"), list)):
        raise BuildError(f"{name}: not a notebook in nbformat 4 (no list of cells)")
    return nb


def _read_notebook(path: Path) -> dict[str, Any]:
    """The notebook at ``path`` as plain JSON (no schema validation: nbformat's costs seconds).

    Raises BuildError (one line) when the file is not a readable nbformat 4 notebook.
    """
    return _parse_notebook(_read_text(path), Path(path).name)


def _text(value: Any) -> str:
    """A notebook string field, stored as one string or as a list of lines.

    >>> _text(["a\\n", "b"]), _text("c")
    ('a\\nb', 'c')
    """
    return "".join(value) if isinstance(value, list) else str(value or "")


def _dumps(nb: dict[str, Any]) -> str:
    """The notebook as nbformat writes it (one-space indent, sorted keys, final newline)."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def execute(
    path: Path, timeout: int = CELL_TIMEOUT, cwd: Path | None = None
) -> NotebookNode:
    """Run a copy of the notebook at ``path`` in a fresh kernel; the file itself is untouched.

    The kernel starts in ``cwd`` (default: the notebook's folder) with ``PYTHONHASHSEED=0`` and
    ``TZ=UTC`` unless the environment sets them. A failing cell, a timeout or a kernel that
    dies raises BuildError naming the notebook and the cell (numbered from 1, counting every
    cell).
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellControlSignal, DeadKernelError

    path = Path(path)
    _read_notebook(path)  # a one-line error for a file that is not a notebook
    nb = nbformat.read(path, as_version=4)
    kernel = nb.metadata.get("kernelspec", {}).get("name", "python3")
    running: dict[str, int] = {}

    def started(cell: Any, cell_index: int, **_: Any) -> None:
        running["cell"] = cell_index + 1

    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel,
        record_timing=False,
        extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no transport warnings on stderr
        resources={"metadata": {"path": str(Path(cwd or path.parent).resolve())}},
        on_cell_start=started,
    )
    env = {"PYTHONHASHSEED": "0", "TZ": "UTC", **os.environ}
    try:
        client.execute(env=env)
    except (CellControlSignal, DeadKernelError, TimeoutError, RuntimeError) as err:
        raise BuildError(_failure_message(path, nb, err, running.get("cell"))) from None
    except Exception as err:  # noqa: BLE001 - a kernel that cannot start, a bad kernelspec
        reason = _strip_ansi(str(err)).strip().splitlines()
        raise BuildError(
            f"{path.name}: could not run: {type(err).__name__}: {reason[0] if reason else ''}"
        ) from None
    return nb


def _failure_message(path: Path, nb: Any, err: Exception, cell: int | None) -> str:
    """Name the notebook, the failing cell (1-based, counting all cells), its source and error.

    >>> import nbformat
    >>> bad = nbformat.v4.new_code_cell("1 / 0", outputs=[nbformat.v4.new_output(
    ...     "error", ename="ZeroDivisionError", evalue="division by zero", traceback=[])])
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A"), bad])
    >>> print(_failure_message(Path("01_a.ipynb"), nb, RuntimeError(), 2))
    01_a.ipynb: cell 2 failed: ZeroDivisionError: division by zero
    --- cell 2 source ---
    1 / 0
    """
    for number, code in enumerate(nb.cells, start=1):
        for output in code.get("outputs", []):
            if output.get("output_type") == "error":
                return (
                    f"{path.name}: cell {number} failed: {output.ename}: "
                    f"{_strip_ansi(output.evalue)}\n--- cell {number} source ---\n"
                    f"{_text(code.source)}"
                )
    what = type(err).__name__
    if what == "DeadKernelError":
        what = "the kernel died"
    elif isinstance(err, TimeoutError) or "timed out" in str(err).lower():
        what = "timed out"
    where = f"cell {cell}" if cell else "before the first cell"
    source = _text(nb.cells[cell - 1].source) if cell else ""
    return f"{path.name}: {where} failed: {what}\n--- {where} source ---\n{source}"


def _strip_ansi(text: str) -> str:
    r"""Remove terminal colour codes.

    >>> _strip_ansi("\x1b[0;31mValueError\x1b[0m: bad")
    'ValueError: bad'
    """
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def _tree_digest(folder: Path, pattern: str = "**/*") -> str:
    """A digest of every file under ``folder`` matching ``pattern``: relative paths and bytes."""
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(folder.glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _inputs_digest(data_dir: Path) -> str:
    """A digest of the data folder and albru's own modules."""
    library = Path(__file__).resolve().parent
    return _tree_digest(data_dir) + _tree_digest(library, "**/*.py")


def cache_key(path: Path, data_dir: Path, lock: Path | None = None, text: str | None = None) -> str:
    """What a run of the notebook at ``path`` depends on, as one hex digest.

    The code cells (not the prose, not the cell metadata), the kernel, every file of the data
    folder, albru's own modules and the lock file: change any of them and the notebook runs
    again. ``text`` is the notebook's content when it was already read.
    """
    nb = _read_notebook(Path(path)) if text is None else _parse_notebook(text, Path(path).name)
    digest = hashlib.sha256()
    parts = [
        json.dumps([_text(c.get("source")) for c in nb["cells"] if c.get("cell_type") == "code"]),
        str(nb.get("metadata", {}).get("kernelspec", {}).get("name", "python3")),
        _inputs_digest(Path(data_dir)),
        hashlib.sha256(lock.read_bytes()).hexdigest() if lock and lock.is_file() else "",
    ]
    for part in parts:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:20]


def _execute_to(path: Path, target: Path, cwd: Path | None = None) -> str | None:
    """Run one notebook into ``target`` (a worker process); the error message, or None."""
    import nbformat

    try:
        nb = execute(path, cwd=cwd)
    except BuildError as err:
        return str(err).replace(path.name, path.name.split(".")[0] + ".ipynb", 1)
    nbformat.write(nb, target)
    return None


def run_notebooks(
    paths: list[Path],
    data_dir: Path,
    cache_dir: Path,
    lock: Path | None = None,
    jobs: int | None = None,
    say: Callable[[str], None] = print,
) -> dict[Path, dict[str, Any]]:
    """Each notebook with the outputs of a run: cached when nothing it depends on changed.

    Notebooks to run are run in parallel (``jobs`` processes, default one per core). The
    returned notebooks are the files as they are now (prose and cell metadata included) with
    the outputs of the run. Raises BuildError on the first notebook that fails; notebooks not
    yet started then do not start, and those that ran through stay in the cache.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Each notebook is read once: its key, its run and the page all come from that one reading,
    # even if the file is edited while the build runs.
    texts = {path: _read_text(path) for path in paths}
    keys = {path: cache_key(path, data_dir, lock, texts[path]) for path in paths}
    cached = {path: cache_dir / f"{path.stem}.{keys[path]}.ipynb" for path in paths}
    todo = [path for path in paths if not cached[path].is_file()]
    if todo:
        names = ", ".join(p.name for p in todo)
        say(f"running {len(todo)} notebook(s) ({names}); {len(paths) - len(todo)} cached")
        workers = max(1, min(len(todo), jobs or os.cpu_count() or 1))
        partial = {p: cached[p].with_suffix(".partial") for p in todo}
        snapshot = {p: cached[p].with_suffix(".source.ipynb") for p in todo}
        for path in todo:
            snapshot[path].write_text(texts[path], encoding="utf-8")
        errors: dict[Path, str | None] = {}
        try:
            if workers == 1:
                for path in todo:
                    errors[path] = _execute_to(snapshot[path], partial[path], path.parent)
                    say(f"  {path.name}: {'failed' if errors[path] else 'ran'}")
                    if errors[path]:
                        break
            else:
                with ProcessPoolExecutor(max_workers=workers) as pool:
                    futures = {
                        pool.submit(_execute_to, snapshot[p], partial[p], p.parent): p
                        for p in todo
                    }
                    for future in as_completed(futures):
                        path = futures[future]
                        errors[path] = _outcome(future, path)
                        say(f"  {path.name}: {'failed' if errors[path] else 'ran'}")
                        if errors[path]:  # stop: notebooks not yet started do not start
                            for other in futures:
                                other.cancel()
                            break
                # leaving the pool waits for the notebooks still running; keep what they made
                for future, path in futures.items():
                    if path not in errors and future.done() and not future.cancelled():
                        errors[path] = _outcome(future, path)
        finally:
            for path in todo:
                snapshot[path].unlink(missing_ok=True)
        # the notebooks that ran through are kept, so that only the failed ones run next time
        for path in todo:
            if path in errors and errors[path] is None and partial[path].is_file():
                for old in cache_dir.glob(f"{path.stem}.*.ipynb"):
                    old.unlink()
                partial[path].replace(cached[path])
            else:
                partial[path].unlink(missing_ok=True)
        failed = [error for error in errors.values() if error]
        if failed:
            raise BuildError(failed[0])
    else:
        say(f"{len(paths)} notebook(s) unchanged since their last run: outputs from the cache")
    return {
        p: _with_outputs(_parse_notebook(texts[p], p.name), _read_notebook(cached[p]))
        for p in paths
    }


def _outcome(future: Any, path: Path) -> str | None:
    """The error message of a notebook run in a worker process, or None when it ran through."""
    try:
        return future.result()
    except Exception as err:  # noqa: BLE001 - a worker that died or failed outside a cell
        return f"{path.name}: could not run: {type(err).__name__}: {err}"


def _with_outputs(nb: dict[str, Any], ran: dict[str, Any]) -> dict[str, Any]:
    """``nb`` with the outputs and execution counts of ``ran`` (same code cells, in order)."""
    code = [c for c in nb["cells"] if c.get("cell_type") == "code"]
    done = [c for c in ran["cells"] if c.get("cell_type") == "code"]
    if len(code) != len(done):
        raise BuildError("a cached run does not match its notebook; delete build/site/cache")
    for cell, result in zip(code, done, strict=True):
        cell["outputs"] = result.get("outputs", [])
        cell["execution_count"] = result.get("execution_count")
    return nb


def normalize_notebook(path: Path) -> bool:
    """Give the notebook at ``path`` the metadata JupyterLab writes; True if the file changed.

    The kernelspec becomes the installed kernel's own (``display_name``, ``language``, ``name``)
    and the file is written the way Jupyter Server writes it, so that opening and saving the
    notebook in the pinned JupyterLab changes no byte.
    """
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    path = Path(path)
    before = path.read_bytes()
    nb = nbformat.reads(before.decode("utf-8"), as_version=nbformat.NO_CONVERT)
    name = nb.metadata.get("kernelspec", {}).get("name", "python3")
    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise BuildError(f"{path.name}: no installed kernel named {name!r}") from None
    nb.metadata["kernelspec"] = {
        "display_name": spec.display_name,
        "language": spec.language,
        "name": name,
    }
    after = nbformat.writes(nb, version=nbformat.NO_CONVERT).encode("utf-8")
    if not after.endswith(b"\n"):
        after += b"\n"
    if after == before:
        return False
    path.write_bytes(after)
    return True


# --- what a notebook shows ----------------------------------------------------------------


def title_and_question(nb: dict[str, Any], fallback: str) -> tuple[str, str]:
    """The first heading and the question of the notebook's first markdown cell.

    The question is the first paragraph holding a ``?``, up to its last ``?``, else the first
    paragraph that is not a heading; ``fallback`` stands in for a missing heading.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
    ...     "# Eras\\n\\nSome context.\\n\\nDid the ties **break** in 1961? We count.")])
    >>> title_and_question(nb, "01_eras")
    ('Eras', 'Did the ties **break** in 1961?')
    """
    cell = next((c for c in nb["cells"] if c.get("cell_type") == "markdown"), None)
    if cell is None:
        return fallback, ""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", _text(cell.get("source"))) if b.strip()]
    headings = [b for b in blocks if b.startswith("#")]
    title = headings[0].splitlines()[0].lstrip("#").strip() if headings else fallback
    paragraphs = [b for b in blocks if not b.startswith("#")]
    asking = [p[: p.rindex("?") + 1] for p in paragraphs if "?" in p]
    question = (asking or paragraphs or [""])[0]
    return title, question


def _code_cells(nb: dict[str, Any], tagged_first: bool = False) -> list[dict[str, Any]]:
    """The code cells; with ``tagged_first``, only those tagged main-figure when there are any."""
    cells = [c for c in nb["cells"] if c.get("cell_type") == "code"]
    if tagged_first:
        tagged = [c for c in cells if MAIN_FIGURE_TAG in c.get("metadata", {}).get("tags", [])]
        return tagged or cells
    return cells


def main_figure(nb: dict[str, Any]) -> bytes | None:
    """The PNG bytes of the notebook's main figure, or None when it shows no PNG.

    The last PNG of the cells tagged ``main-figure``, else the last PNG of the notebook.

    >>> import nbformat
    >>> png = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="})
    >>> cell = nbformat.v4.new_code_cell("plot()", outputs=[png])
    >>> main_figure(nbformat.v4.new_notebook(cells=[cell]))[:4]
    b'\\x89PNG'
    """
    pngs = [
        _text(out["data"]["image/png"])
        for cell in _code_cells(nb, tagged_first=True)
        for out in cell.get("outputs", [])
        if "image/png" in out.get("data", {})
    ]
    return base64.b64decode(pngs[-1]) if pngs else None


# --- where a build may write --------------------------------------------------------------


def _inside(path: Path, folder: Path) -> bool:
    """True when ``path`` is ``folder`` or lies inside it (both resolved)."""
    return path == folder or folder in path.parents


def check_target(out: Path, project: Project, what: str = "--out") -> None:
    """Raise BuildError unless the build may write its site into ``out``.

    Refused: a folder holding or lying inside the notebooks, the data or the site's sources
    (so the checkout root too), a file, and a non-empty folder that no build made.

    >>> check_target(Path("/repo"), Project.at(Path("/repo")))
    Traceback (most recent call last):
    ...
    albru.site.BuildError: --out /repo holds the notebooks (/repo/notebooks); choose another folder
    """
    target = Path(os.path.abspath(out)).resolve()
    guarded = {
        "the notebooks": project.notebooks,
        "the data": project.data,
        "the site's sources": project.docs,
        "the build's work folder": project.work,
    }
    for name, folder in guarded.items():
        folder = Path(os.path.abspath(folder)).resolve()
        if _inside(folder, target):
            raise BuildError(f"{what} {out} holds {name} ({folder}); choose another folder")
        if _inside(target, folder):
            raise BuildError(f"{what} {out} lies inside {name} ({folder}); choose another folder")
    if target.exists() and not target.is_dir():
        raise BuildError(f"{what} {out} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / MANIFEST).is_file():
        raise BuildError(
            f"{what} {out} is a folder with files that no albru build made "
            f"(it has no {MANIFEST}); choose an empty or new folder"
        )


def _check_figures(figures: Path, project: Project) -> None:
    """Raise BuildError when the figures folder holds or lies inside the notebooks or data,
    or holds the site's sources (it may lie inside them: docs/figures)."""
    target = Path(os.path.abspath(figures)).resolve()
    for name, folder in [("the notebooks", project.notebooks), ("the data", project.data)]:
        folder = Path(os.path.abspath(folder)).resolve()
        if _inside(folder, target) or _inside(target, folder):
            raise BuildError(f"figures folder {figures} overlaps {name} ({folder})")
    if _inside(Path(os.path.abspath(project.docs)).resolve(), target):
        raise BuildError(f"figures folder {figures} holds the site's sources ({project.docs})")
    if target.exists() and not target.is_dir():
        raise BuildError(f"figures folder {figures} is a file, not a folder")


@contextlib.contextmanager
def _lock(folder: Path, say: Callable[[str], None]) -> Iterator[None]:
    """Hold an exclusive lock on ``folder/.lock`` (another build waits for it)."""
    import fcntl

    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"waiting for another build to finish ({folder / '.lock'})")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_if_changed(path: Path, content: bytes) -> bool:
    """Write ``content`` unless the file holds it already (its time stamp then stays)."""
    if path.is_file() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def _sync_tree(files: dict[str, bytes], root: Path) -> int:
    """Make ``root`` hold exactly ``files`` (relative path -> bytes), touching only changes.

    Returns the number of files rewritten, or -1 when a file was added or removed (then the
    navigation of every page changes, and Sphinx has to write them all again).
    """
    moved = False
    if root.is_dir():
        for path in sorted(root.rglob("*"), reverse=True):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and rel not in files:
                path.unlink()
                moved = True
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    moved = moved or any(not (root / rel).is_file() for rel in files)
    changes = sum(_write_if_changed(root / rel, content) for rel, content in files.items())
    return -1 if moved else changes


def _read_tree(folder: Path, prefix: str, skip: Callable[[Path], bool] = lambda p: False) -> dict:
    """Every file under ``folder`` as ``{prefix/relative: bytes}``; BuildError if unreadable."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if skip(path) or path.is_dir():
            continue
        rel = f"{prefix}/{path.relative_to(folder).as_posix()}"
        try:
            files[rel] = path.read_bytes()
        except OSError as err:
            raise BuildError(f"cannot read {path}: {err.strerror or err}") from None
    return files


#: Folders of docs/ that are not site sources (docs/figures holds the README's figures).
_SKIP_DOCS = {"_build", "__pycache__", "figures", ".ipynb_checkpoints"}


def _package_files(files: dict[str, bytes], folder: str) -> list[str]:
    """The files of ``folder/datapackage.json`` found in ``files``: itself, each resource and the
    README beside it; a resource path leaving the folder is ignored."""
    try:
        package = json.loads(files[f"{folder}/datapackage.json"])
    except (KeyError, ValueError):
        return []
    found = [f"{folder}/datapackage.json"]
    resources = package.get("resources", []) if isinstance(package, dict) else []
    for resource in resources:
        path = resource.get("path") if isinstance(resource, dict) else None
        if not isinstance(path, str) or path.startswith("/") or ".." in path.split("/"):
            continue
        beside = f"{path.rsplit('/', 1)[0]}/README.md" if "/" in path else "README.md"
        for rel in (f"{folder}/{path}", f"{folder}/{beside}"):
            if rel in files and rel not in found:
                found.append(rel)
    return found


def _panel_csv(cache_dir: Path, data_dir: Path, say: Callable[[str], None]) -> bytes | None:
    """The dyad-year panel of Albania and Russia as CSV, when albru has ``dyad_years``.

    Only for albru's own data (the panel reads it); kept in ``cache_dir`` under a digest of
    the data and the library.
    """
    import importlib

    import albru

    library = Path(__file__).resolve().parent
    if not (library / "panel.py").is_file() or data_dir.resolve() != albru.data_dir().resolve():
        return None
    key = hashlib.sha256(_inputs_digest(albru.data_dir()).encode()).hexdigest()[:20]
    cached = cache_dir / f"dyad_years.{key}.csv"
    if cached.is_file():
        return cached.read_bytes()
    try:
        panel = importlib.import_module("albru.panel")
    except ImportError:
        return None
    dyad_years = getattr(panel, "dyad_years", None)
    if dyad_years is None:
        return None
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the panel's own warnings belong to its tests
            frame = dyad_years()
    except Exception as err:  # noqa: BLE001 - reported; the site goes without the panel
        say(f"warning: the site goes without the dyad-year panel: {type(err).__name__}: {err}")
        return None
    text = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    cache_dir.mkdir(parents=True, exist_ok=True)
    for old in cache_dir.glob("dyad_years.*.csv"):
        old.unlink()
    cached.write_bytes(text)
    return text


def _stage(
    project: Project,
    notebooks: dict[Path, dict[str, Any]],
    src: Path,
    say: Callable[[str], None] = print,
) -> tuple[dict[str, bytes], int]:
    """The site's source tree (docs pages, notebooks, data copy, downloads) written to ``src``.

    Returns the files and how many were written (0: as for the last build; -1: files came or
    went).
    """
    if not (project.docs / "conf.py").is_file():
        raise BuildError(f"no site configuration: {project.docs / 'conf.py'} is missing")
    if not project.data.is_dir():
        raise BuildError(f"the data folder {project.data} is not a folder")
    files = _read_tree(
        project.docs,
        "docs",
        skip=lambda p: bool(_SKIP_DOCS & set(p.relative_to(project.docs).parts)),
    )
    files["conf.py"] = files.pop("docs/conf.py")
    files["index.md"] = files.pop("docs/index.md", b"# albru\n")  # the front page: site root
    for key in [k for k in files if k.startswith(("docs/_static/", "docs/_templates/"))]:
        files[key.removeprefix("docs/")] = files.pop(key)
    files.update(_read_tree(project.data, "data", skip=lambda p: "__pycache__" in p.parts))
    for path, nb in notebooks.items():
        # links to ../docs/<page>.md in a notebook work in JupyterLab and, unchanged, here
        text = _dumps(nb).encode("utf-8")
        files[f"notebooks/{path.name}"] = text
        files[f"_extra/notebooks/{path.name}"] = text
        figure = main_figure(nb)
        if figure is not None:
            files[f"docs/_thumbs/{path.stem}.png"] = figure
    for rel in [k for k in files if k.startswith("data/") and k.count("/") == 1]:
        if rel.endswith((".csv", ".json")):
            files[f"_extra/{rel}"] = files[rel]
    for rel in _package_files(files, "data/external"):
        files[f"_extra/{rel}"] = files[rel]
    panel = _panel_csv(project.work / "cache", project.data, say)
    if panel is not None:
        files["_extra/data/dyad_years.csv"] = panel
    return files, _sync_tree(files, src)


def _sphinx(src: Path, out: Path, doctrees: Path, jobs: int, say: Callable[[str], None]) -> None:
    """Render ``src`` into ``out`` with Sphinx (incremental); BuildError on any error.

    Sphinx runs in a child process (see :func:`_sphinx_child`): its global state stays out of
    the caller, and its warnings come back as lines to pass on.
    """
    import subprocess
    import sys

    code = "import sys, albru.site as s; sys.exit(s._sphinx_child(*sys.argv[1:]))"
    args = [str(src.resolve()), str(out.resolve()), str(doctrees.resolve()), str(jobs)]
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    found = [line for line in done.stdout.splitlines() if "WARNING" in line]
    for line in found[:10]:
        say(_strip_ansi(line).replace(str(src.resolve()) + os.sep, "site source: "))
    if len(found) > 10:
        say(f"... and {len(found) - 10} more Sphinx warnings")
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        raise BuildError(lines[-1] if lines else f"Sphinx stopped with status {done.returncode}")


def _sphinx_child(src: str, out: str, doctrees: str, jobs: str) -> int:
    """Run Sphinx (in the child process of :func:`_sphinx`): warnings on stdout, a failure as
    one line on stderr and status 1.
    """
    import sys
    import warnings

    # nbformat's schema check imports jsonschema, whose optional IRI checker (rfc3987-syntax)
    # spends seconds building grammars on import; notebooks use no IRI format, so this process
    # goes without it.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    try:
        from sphinx.application import Sphinx
    except ImportError as err:
        print(f"the site needs the notebooks extra: pip install 'albru[notebooks]' ({err})",
              file=sys.stderr)  # fmt: skip
        return 1
    # the theme's and parser's notices about future Sphinx versions are not the reader's
    warnings.simplefilter("ignore", DeprecationWarning)
    warnings.simplefilter("ignore", PendingDeprecationWarning)
    try:
        app = Sphinx(
            src, src, out, doctrees, "html",
            status=None, warning=sys.stdout, freshenv=False, parallel=int(jobs),
        )  # fmt: skip
        app.build()
    except Exception as err:  # noqa: BLE001 - any Sphinx failure is a one-line build failure
        lines = [line.strip() for line in str(err).splitlines() if line.strip()]
        detail = lines[0] if len(lines) < 2 else f"{lines[0]} {lines[-1]}"
        print(f"Sphinx: {type(err).__name__}: {detail}", file=sys.stderr)
        return 1
    return 0


def _files_digest(files: dict[str, bytes]) -> str:
    """One digest of a whole source tree."""
    digest = hashlib.sha256()
    for rel in sorted(files):
        digest.update(rel.encode() + b"\0" + hashlib.sha256(files[rel]).digest())
    return digest.hexdigest()


def _published_digest(out: Path) -> str | None:
    """The source digest recorded in the manifest of the site in ``out``, if it is whole."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or not all(
        (out / rel).is_file() for rel in manifest.get("files", [])
    ):
        return None
    return manifest.get("source_digest")


def _swap_in(built: Path, out: Path, digest: str = "") -> list[str]:
    """Copy ``built`` beside ``out``, keep files in ``out`` the earlier build did not make,
    and swap the copy in; the previous site stays as it was until the last rename.
    """
    out = Path(os.path.abspath(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        shutil.copytree(built, tmp, dirs_exist_ok=True)
        written = sorted(
            p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file()
        )
        if out.is_dir():
            previous = json.loads((out / MANIFEST).read_text(encoding="utf-8")).get("files", [])
            ours = set(previous) | {MANIFEST}
            for path in sorted(out.rglob("*")):
                rel = path.relative_to(out).as_posix()
                if path.is_file() and rel not in ours:
                    if (tmp / rel).exists():
                        raise BuildError(
                            f"{out / rel} was not made by a build and the new site has a file "
                            "of that name; move it away"
                        )
                    (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, tmp / rel)
        (tmp / MANIFEST).write_text(
            json.dumps(
                {"made_by": "albru build", "source_digest": digest, "files": written}, indent=1
            )
            + "\n",
            encoding="utf-8",
        )
        tmp.chmod(0o755)
        if out.is_dir():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.rename(out, old / "site")
            os.rename(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return written


def write_figures(notebooks: dict[Path, dict[str, Any]], figures_dir: Path) -> list[Path]:
    """Write each notebook's main figure to ``figures_dir/<stem>.png``; skip unchanged files."""
    written = []
    for path, nb in notebooks.items():
        figure = main_figure(nb)
        if figure is None:
            continue
        target = figures_dir / f"{path.stem}.png"
        _write_if_changed(target, figure)
        written.append(target)
    return written


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
            f"albru build needs the notebooks extra: pip install 'albru[notebooks]' "
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
    notebook's main figure is also written there as ``<stem>.png``. Raises BuildError, with
    the previous site left as it was, when anything fails.
    """
    _require_extra(execute_notebooks)
    check_target(Path(out), project)
    if figures is not None:
        _check_figures(Path(figures), project)
    paths = notebook_paths(project.notebooks)
    if not paths:
        raise BuildError(f"no notebooks matching {NOTEBOOK_GLOB} in {project.notebooks}")
    jobs = max(1, jobs or os.cpu_count() or 1)
    with _lock(project.work, say):
        if execute_notebooks:
            notebooks = run_notebooks(
                paths, project.data, project.work / "cache", project.lock, jobs, say
            )
        else:
            notebooks = {path: _read_notebook(path) for path in paths}
        files, changes = _stage(project, notebooks, project.work / "src", say)
        if changes < 0:  # a file came or went: start afresh, so no page keeps a stale menu
            shutil.rmtree(project.work / "html", ignore_errors=True)
            shutil.rmtree(project.work / "doctrees", ignore_errors=True)
        digest = _files_digest(files)
        html = project.work / "html"
        stamp = project.work / "html.digest"
        if changes or not stamp.is_file() or stamp.read_text() != digest:
            stamp.unlink(missing_ok=True)
            _sphinx(project.work / "src", html, project.work / "doctrees", 1, say)
            stamp.write_text(digest)
        if _published_digest(Path(out)) == digest:
            say(f"{out}: up to date")
        else:
            _swap_in(html, Path(out), digest)
        if figures is not None:
            write_figures(notebooks, Path(figures))
    return [Path(out) / "notebooks" / f"{p.stem}.html" for p in paths]


# --- the Sphinx extension -----------------------------------------------------------------


def _escape_raw_html(app: Any, doctree: Any) -> None:
    """Show raw HTML written in Markdown (pages, notebook prose, the data card) as text.

    Notebook outputs (pandas tables and the like) are the library's own HTML and stay.
    """
    from docutils import nodes

    for node in list(doctree.findall(nodes.raw)):
        if "output" in node.get("classes", []) or "html" not in node.get("format", ""):
            continue
        if re.fullmatch(r"\s*<!--.*?-->\s*", node.astext(), flags=re.DOTALL):
            node.parent.remove(node)  # a comment shows nothing either way
            continue
        text = nodes.literal(node.astext(), node.astext())
        if isinstance(node.parent, nodes.TextElement):
            node.replace_self(text)
        else:
            node.replace_self(nodes.paragraph("", "", text))


def _link_figures(app: Any, doctree: Any) -> None:
    """Let a reader open each notebook figure full size: Sphinx links an image to its file when
    the image has a width, so output images get ``width: 100%`` (the column's width)."""
    from docutils import nodes

    for image in doctree.findall(nodes.image):
        parent, in_output = image.parent, False
        while parent is not None:
            if "cell_output" in parent.get("classes", []):
                in_output = True
                break
            parent = parent.parent
        if in_output and not any(image.get(k) for k in ("width", "height", "scale")):
            image["width"] = "100%"


def _relative(app: Any, docname: str, target: str) -> str:
    """A URL from the page ``docname`` to ``target`` (a path from the site root), quoted."""
    depth = docname.count("/")
    return "../" * depth + quote(target)


def _notebook_cards(app: Any, docname: str) -> list[Any]:
    """One entry per numbered notebook: linked title, its question, its main figure."""
    from docutils import nodes
    from sphinx import addnodes

    src = Path(app.srcdir)
    entries = []
    for path in notebook_paths(src / "notebooks"):
        nb = _read_notebook(path)
        title, question = title_and_question(nb, path.stem)
        section = nodes.container(classes=["albru-card"])
        heading = nodes.paragraph(classes=["albru-card-title"])
        ref = addnodes.pending_xref(
            "", refdomain="std", reftype="doc", reftarget=f"/notebooks/{path.stem}",
            refexplicit=True, refdoc=docname,
        )
        ref += nodes.inline(title, title)
        heading += nodes.strong("", "", ref)
        section += heading
        question = re.sub(r"[*_`]", "", re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", question))
        section += nodes.paragraph(question, question)
        thumb = src / "docs" / "_thumbs" / f"{path.stem}.png"
        if thumb.is_file():
            caption, alt = _figure_text(nb)
            image = nodes.image(
                uri=_relative(app, docname, f"docs/_thumbs/{path.stem}.png"),
                alt=f"Main figure of “{title}”: {alt or caption or 'no description given'}",
                classes=["albru-thumb"],
            )
            section += image
        entries.append(section)
    return entries


def _figure_text(nb: dict[str, Any]) -> tuple[str, str]:
    """The caption and alt text of the notebook's main figure, from its ``mystnb`` metadata."""
    for cell in reversed(_code_cells(nb, tagged_first=True)):
        if any("image/png" in o.get("data", {}) for o in cell.get("outputs", [])):
            meta = cell.get("metadata", {}).get("mystnb", {})
            meta = meta if isinstance(meta, dict) else {}
            figure, image = meta.get("figure", {}), meta.get("image", {})
            caption = figure.get("caption", "") if isinstance(figure, dict) else ""
            alt = image.get("alt", "") if isinstance(image, dict) else ""
            return str(caption), str(alt)
    return "", ""


def _downloads(app: Any, docname: str) -> list[Any]:
    """Tables of files to download: notebooks, data tables (from the schema), the panel."""
    from docutils import nodes

    src = Path(app.srcdir)
    rows: list[tuple[str, str, str]] = []
    for path in notebook_paths(src / "notebooks"):
        title, _ = title_and_question(_read_notebook(path), path.stem)
        rows.append((f"notebooks/{path.name}", path.name, f"Notebook: {title}"))
    package_file = src / "_extra" / "data" / "datapackage.json"
    resources: list[Any] = []
    if package_file.is_file():
        with contextlib.suppress(ValueError):
            package = json.loads(package_file.read_text(encoding="utf-8"))
            resources = package.get("resources", []) if isinstance(package, dict) else []
    rows.append(("data/datapackage.json", "datapackage.json", "The schema of every table."))
    for resource in resources:
        if not isinstance(resource, dict) or not isinstance(resource.get("path"), str):
            continue
        target = src / "_extra" / "data" / resource["path"]
        if "/" in resource["path"] or not target.is_file():
            continue
        text = str(resource.get("description") or resource.get("title") or "")
        if target.suffix == ".csv":
            text = f"{_csv_rows(target)} rows. {text}"
        rows.append((f"data/{resource['path']}", resource["path"], text))
    panel = src / "_extra" / "data" / "dyad_years.csv"
    if panel.is_file():
        text = "Dyad-year panel of Albania and Russia, made by albru.dyad_years() at build time."
        rows.append(("data/dyad_years.csv", "dyad_years.csv", f"{_csv_rows(panel)} rows. {text}"))
    tables = [_file_table(app, docname, rows)]
    external = _external_rows(src / "_extra" / "data" / "external")
    if external:
        note = (
            "Reference extracts: the parts of the public releases of other datasets that the "
            "notebooks compare albru with, each made by a script from the release file. Each "
            "keeps the terms of its release; its README gives the origin, the release and how "
            "to cite it."
        )
        tables += [nodes.paragraph(note, note), _file_table(app, docname, external)]
    return tables


def _external_rows(folder: Path) -> list[tuple[str, str, str]]:
    """(target, name, description) of the reference extracts described in ``folder``."""
    try:
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    rows = [("data/external/datapackage.json", "external/datapackage.json",
             "The schema of the reference extracts.")]  # fmt: skip
    resources = package.get("resources", []) if isinstance(package, dict) else []
    for resource in resources:
        path = resource.get("path") if isinstance(resource, dict) else None
        if not isinstance(path, str) or not (folder / path).is_file():
            continue
        text = str(resource.get("title") or resource.get("description") or "")
        if path.endswith(".csv"):
            text = f"{_csv_rows(folder / path)} rows. {text}"
        rows.append((f"data/external/{path}", f"external/{path}", text))
        readme = f"{path.rsplit('/', 1)[0]}/README.md" if "/" in path else ""
        shown = {name for _, name, _ in rows}
        if readme and (folder / readme).is_file() and f"external/{readme}" not in shown:
            text = "Origin, release, terms and how to cite the extracts in this folder."
            rows.append((f"data/external/{readme}", f"external/{readme}", text))
    return rows


def _file_table(app: Any, docname: str, rows: list[tuple[str, str, str]]) -> Any:
    """A two-column table: each file as a download link, and what it holds."""
    from docutils import nodes

    table = nodes.table(classes=["albru-downloads"])
    group = nodes.tgroup(cols=2)
    table += group
    group += nodes.colspec(colwidth=30)
    group += nodes.colspec(colwidth=70)
    head = nodes.thead()
    group += head
    head += _row(nodes.Text("File"), nodes.Text("What it holds"))
    body = nodes.tbody()
    group += body
    for target, name, text in rows:
        link = nodes.reference(name, name, refuri=_relative(app, docname, target))
        link["download"] = True
        body += _row(nodes.literal("", "", link), nodes.Text(text))
    return table


def _csv_rows(path: Path) -> int:
    """Data rows of a CSV file (records, not lines: a quoted field may hold a newline)."""
    import csv

    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        return max(sum(1 for _ in csv.reader(handle)) - 1, 0)


def _row(*cells: Any) -> Any:
    from docutils import nodes

    row = nodes.row()
    for content in cells:
        entry = nodes.entry()
        entry += nodes.paragraph("", "", content)
        row += entry
    return row


def _directive(make: Callable[[Any, str], list[Any]]) -> type:
    """A body-less directive whose nodes ``make(app, docname)`` returns."""
    from sphinx.util.docutils import SphinxDirective

    class _Generated(SphinxDirective):
        has_content = False

        def run(self) -> list[Any]:
            self.env.note_dependency(str(Path(self.env.srcdir) / "_extra" / "data"))
            return make(self.env.app, self.env.docname)

    return _Generated


def _cite(app: Any, docname: str) -> list[Any]:
    """The BibTeX entries of the software, the dataset and the article."""
    from docutils import nodes

    from albru.citation import cite

    text = cite("bibtex", Path(app.srcdir) / "data")
    block = nodes.literal_block(text, text, language="bibtex")
    return [block]


#: Pages made from the notebooks and the data: Sphinx reads them again on every build.
_GENERATED_PAGES = ["index", "docs/downloads", "docs/cite"]


def _always_read(app: Any, env: Any, added: set, changed: set, removed: set) -> list[str]:
    return [name for name in _GENERATED_PAGES if name in env.found_docs]


def setup(app: Any) -> dict[str, Any]:
    """The Sphinx extension of the site (loaded by docs/conf.py as ``albru.site``)."""
    app.connect("doctree-read", _escape_raw_html)
    app.connect("doctree-read", _link_figures)
    app.connect("env-get-outdated", _always_read)
    app.add_directive("albru-notebooks", _directive(_notebook_cards))
    app.add_directive("albru-downloads", _directive(_downloads))
    app.add_directive("albru-cite", _directive(_cite))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
