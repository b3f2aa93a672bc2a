"""Reading, running and caching the numbered notebooks, and what a notebook shows.

Notebooks run each in a fresh kernel, in worker processes started afresh (``spawn``: they
inherit neither the build's lock nor its signal handlers), one per core. A run is kept in the
work folder's cache under a digest of what it depends on. nbclient and nbformat are imported
inside the functions that need them.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import hashlib
import json
import multiprocessing
import os
import re
import signal
import subprocess
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitebuild import BuildError, interrupted
from sitebuild.owned import Owned, read_nofollow

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = [
    "CELL_TIMEOUT",
    "MAIN_FIGURE_TAG",
    "NOTEBOOK_GLOB",
    "cache_key",
    "code_cells",
    "execute",
    "figure_text",
    "join_streams",
    "main_figure",
    "normalize_notebook",
    "notebook_paths",
    "read_notebook",
    "run_notebooks",
    "text_of",
    "title_and_question",
]

#: The notebooks that make up the report, in file-name order.
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
#: Tag a code cell with this to pick its last PNG as the notebook's main figure.
MAIN_FIGURE_TAG = "main-figure"
#: Seconds a single cell may run before the build gives up.
CELL_TIMEOUT = 600


def notebook_paths(notebooks_dir: Path) -> list[Path]:
    """The numbered notebooks (``NN_name.ipynb``) in ``notebooks_dir``, in file-name order.

    >>> import shutil, tempfile
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


def read_notebook(path: Path) -> dict[str, Any]:
    """The notebook at ``path`` as plain JSON (no schema validation: nbformat's costs seconds).

    Raises BuildError (one line) when the file is not a readable nbformat 4 notebook.
    """
    return _parse_notebook(_read_text(path), Path(path).name)


def text_of(value: Any) -> str:
    """A notebook string field, stored as one string or as a list of lines.

    >>> text_of(["a\\n", "b"]), text_of("c")
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
    cell). Interrupted (Ctrl-C, SIGTERM), it kills the kernel before passing the interruption on.
    """
    path = Path(path)
    return _run(_read_text(path), path.name, Path(cwd or path.parent), timeout)


#: The notebook clients running in this process (their kernels die with an interruption).
_RUNNING: list[Any] = []


def _kill_kernel(client: Any) -> None:
    """Kill the kernel of ``client`` and whatever it started (its own session, so its own
    process group), and reap it."""
    provisioner = getattr(getattr(client, "km", None), "provisioner", None)
    pid = getattr(provisioner, "pid", None)
    if isinstance(pid, int) and pid > 0:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
        process = getattr(provisioner, "process", None)
        if process is not None:
            with contextlib.suppress(Exception):  # best effort: it is killed either way
                process.wait(timeout=10)


def _refuse_signal_handler(*args: Any) -> None:
    raise RuntimeError("the site build handles Ctrl-C and SIGTERM itself")


def _keep_signals_to_the_build() -> None:
    """nbclient takes Ctrl-C and SIGTERM over while a notebook runs (and resets them to the
    defaults afterwards); its event loop is told it cannot, so that the build's own handlers
    stay: one line and the kernel killed in the build's process, ignored in a worker."""
    from jupyter_core.utils import ensure_event_loop

    loop = ensure_event_loop()
    loop.add_signal_handler = _refuse_signal_handler  # type: ignore[method-assign]
    loop.remove_signal_handler = _refuse_signal_handler  # type: ignore[method-assign]


def _run(text: str, name: str, cwd: Path, timeout: int = CELL_TIMEOUT) -> NotebookNode:
    """Run the notebook ``text`` (named ``name`` in messages) in a fresh kernel started in
    ``cwd``; the notebook with its outputs."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellControlSignal, DeadKernelError

    _parse_notebook(text, name)  # a one-line error for a file that is not a notebook
    nb = nbformat.reads(text, as_version=4)
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
        resources={"metadata": {"path": str(cwd.resolve())}},
        on_cell_start=started,
    )
    env = {"PYTHONHASHSEED": "0", "TZ": "UTC", **os.environ}
    _keep_signals_to_the_build()
    _RUNNING.append(client)
    try:
        # the kernel's own log (its stderr) is not the reader's: a cell's output comes by
        # messages, and a kernel that dies or fails is reported by the build in one line
        client.execute(env=env, stderr=subprocess.DEVNULL)
    except (CellControlSignal, DeadKernelError, TimeoutError, RuntimeError) as err:
        if interrupted():
            _kill_kernel(client)
            raise KeyboardInterrupt from None
        raise BuildError(_failure_message(Path(name), nb, err, running.get("cell"))) from None
    except Exception as err:  # noqa: BLE001 - a kernel that cannot start, a bad kernelspec
        if interrupted():  # the interruption, turned into another error on its way up
            _kill_kernel(client)
            raise KeyboardInterrupt from None
        reason = _strip_ansi(str(err)).strip().splitlines()
        raise BuildError(
            f"{name}: could not run: {type(err).__name__}: {reason[0] if reason else ''}"
        ) from None
    except BaseException:  # interrupted: no kernel outlives the build
        _kill_kernel(client)
        atexit.unregister(client._cleanup_kernel)  # it is gone already
        raise
    finally:
        _RUNNING.remove(client)
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
                    f"{text_of(code.source)}"
                )
    what = type(err).__name__
    if what == "DeadKernelError":
        what = "the kernel died"
    elif isinstance(err, TimeoutError) or "timed out" in str(err).lower():
        what = "timed out"
    where = f"cell {cell}" if cell else "before the first cell"
    source = text_of(nb.cells[cell - 1].source) if cell else ""
    return f"{path.name}: {where} failed: {what}\n--- {where} source ---\n{source}"


def _strip_ansi(text: str) -> str:
    r"""Remove terminal colour codes.

    >>> _strip_ansi("\x1b[0;31mValueError\x1b[0m: bad")
    'ValueError: bad'
    """
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def _tree_digest(folder: Path, pattern: str = "**/*") -> str:
    """A digest of every file under ``folder`` matching ``pattern``: relative paths and bytes
    (a symlink counts as its link text: it is never followed)."""
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(folder.glob(pattern)):
            if "__pycache__" in path.parts:
                continue
            if path.is_symlink():
                content = os.readlink(path).encode()
            elif path.is_file():
                try:
                    content = read_nofollow(path)
                except OSError:
                    content = b"unreadable"
            else:
                continue
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()


def _inputs_digest(data_dir: Path) -> str:
    """A digest of the data folder and albru's own modules."""
    import albru

    return _tree_digest(data_dir) + _tree_digest(Path(albru.__file__).resolve().parent, "**/*.py")


def cache_key(path: Path, data_dir: Path, lock: Path | None = None, text: str | None = None) -> str:
    """What a run of the notebook at ``path`` depends on, as one hex digest.

    The code cells (not the prose, not the cell metadata), the kernel, every file of the data
    folder, albru's own modules and the lock file: change any of them and the notebook runs
    again. ``text`` is the notebook's content when it was already read.
    """
    nb = read_notebook(Path(path)) if text is None else _parse_notebook(text, Path(path).name)
    digest = hashlib.sha256()
    parts = [
        json.dumps([text_of(c.get("source")) for c in nb["cells"] if c.get("cell_type") == "code"]),
        str(nb.get("metadata", {}).get("kernelspec", {}).get("name", "python3")),
        _inputs_digest(Path(data_dir)),
        hashlib.sha256(lock.read_bytes()).hexdigest() if lock and lock.is_file() else "",
    ]
    for part in parts:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:20]


def _execute_text(text: str, name: str, cwd: Path) -> tuple[str | None, str]:
    """Run one notebook (in a worker process): its error message or None, and its text."""
    import nbformat

    try:
        nb = _run(text, name, cwd)
    except BuildError as err:
        return str(err), ""
    return None, nbformat.writes(nb)


def _worker_start() -> None:
    """In each worker: Ctrl-C is the main process's to handle; SIGTERM kills the kernel."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stop)


def _worker_stop(signum: int, frame: Any) -> None:
    for client in _RUNNING:
        _kill_kernel(client)
    os._exit(128 + signum)


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the workers now (their kernels with them) and let the pool go."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def run_notebooks(
    paths: list[Path],
    data_dir: Path,
    work: Owned,
    lock: Path | None = None,
    jobs: int | None = None,
    say: Callable[[str], None] = print,
) -> dict[Path, dict[str, Any]]:
    """Each notebook with the outputs of a run: cached in ``work`` (under ``cache/``) when
    nothing it depends on changed.

    Notebooks to run are run in parallel (``jobs`` processes, default one per core). The
    returned notebooks are the files as they are now (prose and cell metadata included) with
    the outputs of the run. Raises BuildError on the first notebook that fails; notebooks not
    yet started then do not start, and those that ran through stay in the cache.
    """
    # Each notebook is read once: its key, its run and the page all come from that one reading,
    # even if the file is edited while the build runs.
    texts = {path: _read_text(path) for path in paths}
    keys = {path: cache_key(path, data_dir, lock, texts[path]) for path in paths}
    cached = {path: f"cache/{path.stem}.{keys[path]}.ipynb" for path in paths}
    todo = [path for path in paths if not work.owns(cached[path])]
    if todo:
        names = ", ".join(p.name for p in todo)
        say(f"running {len(todo)} notebook(s) ({names}); {len(paths) - len(todo)} cached")
        workers = max(1, min(len(todo), jobs or os.cpu_count() or 1))
        results: dict[Path, tuple[str | None, str]] = {}
        if workers == 1:
            for path in todo:
                results[path] = _execute_text(texts[path], path.name, path.parent)
                _keep(work, path, cached[path], results[path])
                say(f"  {path.name}: {'failed' if results[path][0] else 'ran'}")
                if results[path][0]:
                    break
        else:
            spawn = multiprocessing.get_context("spawn")
            pool = ProcessPoolExecutor(workers, mp_context=spawn, initializer=_worker_start)
            try:
                futures = {
                    pool.submit(_execute_text, texts[p], p.name, p.parent): p for p in todo
                }
                for future in as_completed(futures):
                    path = futures[future]
                    results[path] = _outcome(future, path)
                    _keep(work, path, cached[path], results[path])
                    say(f"  {path.name}: {'failed' if results[path][0] else 'ran'}")
                    if results[path][0]:  # stop: notebooks not yet started do not start
                        for other in futures:
                            other.cancel()
                        break
                # the notebooks still running finish; keep what they made
                pool.shutdown(wait=True)
                for future, path in futures.items():
                    if path not in results and future.done() and not future.cancelled():
                        results[path] = _outcome(future, path)
                        _keep(work, path, cached[path], results[path])
            except BaseException:  # interrupted: the workers and their kernels end now
                _stop(pool)
                raise
        failed = [error for error, _ in results.values() if error]
        if failed:
            raise BuildError(failed[0])
    else:
        say(f"{len(paths)} notebook(s) unchanged since their last run: outputs from the cache")
    return {
        p: _with_outputs(_parse_notebook(texts[p], p.name), json.loads(work.read(cached[p])))
        for p in paths
    }


def _keep(work: Owned, path: Path, rel: str, result: tuple[str | None, str]) -> None:
    """Put a notebook that ran through in the cache (in place of its older runs), so that
    only the failed ones run next time."""
    error, text = result
    if error:
        return
    work.write_many({rel: text.encode("utf-8")})
    for old in [r for r in work.files if r.startswith(f"cache/{path.stem}.") and r != rel]:
        work.remove(old)
    work.save()


def _outcome(future: Any, path: Path) -> tuple[str | None, str]:
    """The outcome of a notebook run in a worker process."""
    try:
        return future.result()
    except Exception as err:  # noqa: BLE001 - a worker that died or failed outside a cell
        return f"{path.name}: could not run: {type(err).__name__}: {err}", ""


def _with_outputs(nb: dict[str, Any], ran: dict[str, Any]) -> dict[str, Any]:
    """``nb`` with the outputs and execution counts of ``ran`` (same code cells, in order)."""
    code = [c for c in nb["cells"] if c.get("cell_type") == "code"]
    done = [c for c in ran["cells"] if c.get("cell_type") == "code"]
    if len(code) != len(done):
        raise BuildError("a cached run does not match its notebook; delete the work cache/")
    for cell, result in zip(code, done, strict=True):
        cell["outputs"] = result.get("outputs", [])
        cell["execution_count"] = result.get("execution_count")
    return nb


def normalize_notebook(path: Path) -> bool:
    """Give the notebook at ``path`` the metadata JupyterLab writes; True if the file changed.

    The kernelspec becomes the installed kernel's own (``display_name``, ``language``, ``name``),
    consecutive pieces of one stream in a cell are joined (:func:`join_streams`), and the file is
    written the way Jupyter Server writes it, so that opening and saving the notebook in the
    pinned JupyterLab changes no byte.
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
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = join_streams(cell.outputs)
    after = nbformat.writes(nb, version=nbformat.NO_CONVERT).encode("utf-8")
    if not after.endswith(b"\n"):
        after += b"\n"
    if after == before:
        return False
    path.write_bytes(after)
    return True


def join_streams(outputs: list[Any]) -> list[Any]:
    """The outputs of a cell with each run of consecutive pieces of one stream (stdout or
    stderr) joined into one output, as nbval compares them.

    How a kernel cuts one printed block into pieces depends on when its buffer is flushed, so a
    re-executed notebook would otherwise differ from run to run in text that is the same.

    >>> import nbformat
    >>> out = [nbformat.v4.new_output("stream", name="stdout", text="a\\n"),
    ...        nbformat.v4.new_output("stream", name="stdout", text="b\\n"),
    ...        nbformat.v4.new_output("stream", name="stderr", text="c\\n")]
    >>> [(o.name, o.text) for o in join_streams(out)]
    [('stdout', 'a\\nb\\n'), ('stderr', 'c\\n')]
    """
    joined: list[Any] = []
    for output in outputs:
        last = joined[-1] if joined else None
        if (output.get("output_type") == "stream" and last is not None
                and last.get("output_type") == "stream" and last.get("name") == output.get("name")):
            last["text"] = text_of(last["text"]) + text_of(output["text"])
        else:
            joined.append(output)
    return joined


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
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text_of(cell.get("source"))) if b.strip()]
    headings = [b for b in blocks if b.startswith("#")]
    title = headings[0].splitlines()[0].lstrip("#").strip() if headings else fallback
    paragraphs = [b for b in blocks if not b.startswith("#")]
    asking = [p[: p.rindex("?") + 1] for p in paragraphs if "?" in p]
    question = (asking or paragraphs or [""])[0]
    return title, question


def code_cells(nb: dict[str, Any], tagged_first: bool = False) -> list[dict[str, Any]]:
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
        text_of(out["data"]["image/png"])
        for cell in code_cells(nb, tagged_first=True)
        for out in cell.get("outputs", [])
        if "image/png" in out.get("data", {})
    ]
    return base64.b64decode(pngs[-1]) if pngs else None


def figure_text(nb: dict[str, Any]) -> tuple[str, str]:
    """The caption and alt text of the notebook's main figure, from its ``mystnb`` metadata."""
    for cell in reversed(code_cells(nb, tagged_first=True)):
        if any("image/png" in o.get("data", {}) for o in cell.get("outputs", [])):
            meta = cell.get("metadata", {}).get("mystnb", {})
            meta = meta if isinstance(meta, dict) else {}
            figure, image = meta.get("figure", {}), meta.get("image", {})
            caption = figure.get("caption", "") if isinstance(figure, dict) else ""
            alt = image.get("alt", "") if isinstance(image, dict) else ""
            return str(caption), str(alt)
    return "", ""
