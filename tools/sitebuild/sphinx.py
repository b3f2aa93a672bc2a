"""Sphinx, run in a child process of the site build: the parent's side (:func:`render`), which
starts the child and turns its warnings and failure into lines, and the child's
(:func:`sphinx_child`), which runs Sphinx with MyST-NB's execution cache left unloaded.
"""

from __future__ import annotations

import os
import subprocess
import sys
import types
from collections.abc import Callable
from pathlib import Path

from sitebuild import BuildError
from sitebuild.notebooks import _strip_ansi

__all__ = ["EXECUTION_CACHE", "render", "sphinx_child", "unused_module"]

#: The folder holding the site build, put on the path of the Sphinx child so that docs/_ext finds
#: the helpers.
TOOLS = Path(__file__).resolve().parent.parent


def render(src: Path, out: Path, doctrees: Path, say: Callable[[str], None]) -> None:
    """Render ``src`` into ``out`` with Sphinx (incremental); BuildError on any error.

    Sphinx runs in a child process (see :func:`sphinx_child`): its global state stays out of
    the caller, and its warnings come back as lines to pass on.
    """
    code = (
        f"import sys; sys.path.insert(0, {str(TOOLS)!r}); from sitebuild.sphinx import "
        "sphinx_child; sys.exit(sphinx_child(*sys.argv[1:]))"
    )
    args = [str(src.resolve()), str(out.resolve()), str(doctrees.resolve())]
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


#: The modules of jupyter-cache that MyST-NB imports when it loads (for its "cache" and "auto"
#: execution modes). The site sets ``nb_execution_mode = "off"``: the build runs the notebooks
#: itself, so the Sphinx child never uses them, and loading them (SQLAlchemy among them) costs
#: about 0.4 s of CPU per build.
EXECUTION_CACHE = ("jupyter_cache", "jupyter_cache.base", "jupyter_cache.cache",
                   "jupyter_cache.cache.db", "jupyter_cache.executors",
                   "jupyter_cache.executors.utils")  # fmt: skip


def unused_module(name: str) -> types.ModuleType:
    """A stand-in for the module ``name``: each of its attributes is a function that raises.

    >>> unused_module("jupyter_cache").get_cache(".cache")
    Traceback (most recent call last):
    ...
    RuntimeError: jupyter_cache.get_cache: Sphinx must not execute notebooks
    """
    module = types.ModuleType(name)

    def attribute(attr: str) -> Callable[..., None]:
        if attr.startswith("__"):  # not a package, no file: as the import system expects
            raise AttributeError(attr)

        def refuse(*args: object, **kwargs: object) -> None:
            raise RuntimeError(f"{name}.{attr}: Sphinx must not execute notebooks")

        return refuse

    module.__getattr__ = attribute  # type: ignore[method-assign]
    return module


def sphinx_child(src: str, out: str, doctrees: str) -> int:
    """Run Sphinx (in the child process of :func:`render`): warnings on stdout, a failure as
    one line on stderr and status 1.
    """
    import signal
    import warnings

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
    # Sphinx imports the site's extension from the staged tree (src/_ext), which must hold only
    # what the build wrote: no __pycache__ of it, whatever PYTHONDONTWRITEBYTECODE says.
    sys.dont_write_bytecode = True
    for name in EXECUTION_CACHE:
        sys.modules.setdefault(name, unused_module(name))
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
            status=None, warning=sys.stdout, freshenv=False, parallel=1,
        )  # fmt: skip
        app.build()
    except Exception as err:  # noqa: BLE001 - any Sphinx failure is a one-line build failure
        lines = [line.strip() for line in str(err).splitlines() if line.strip()]
        detail = lines[0] if len(lines) < 2 else f"{lines[0]} {lines[-1]}"
        print(f"Sphinx: {type(err).__name__}: {detail}", file=sys.stderr)
        return 1
    return 0
