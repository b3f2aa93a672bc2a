"""The site build of the albru repository: run the notebooks (cached), render the site with
Sphinx, and publish it into folders the build owns.

This is a repository tool, not part of the importable library: it needs the checkout's
``notebooks/``, ``docs/`` and ``requirements/``. The Makefile runs it as
``python tools/build_site.py`` (``make report``, ``make html``, ``make check``), and inside a
checkout ``albru build`` calls it too.

- :mod:`sitebuild.notebooks`: reading, running and caching notebooks; what a notebook shows.
- :mod:`sitebuild.owned`: writing only what the build owns (manifests of digests, no-follow
  writes, the atomic folder exchange, the lock).
- :mod:`sitebuild.build`: assembling the sources, rendering them, publishing the site.
- :mod:`sitebuild.sphinx`: Sphinx in a child process, both sides of it.
- :mod:`sitebuild.command`: the command line.

Only the standard library is imported here and in :mod:`sitebuild.owned` and
:mod:`sitebuild.command`, so that ``make clean`` and a first Ctrl-C need nothing else.
"""

from __future__ import annotations

__all__ = ["BuildError", "interrupted"]

#: The signal that stopped the build, once one has (set by the command's signal handlers, so
#: that code whose libraries turn the interruption into another error can still tell).
_STOPPED: list[int] = []


def interrupted() -> bool:
    """True once Ctrl-C or SIGTERM has reached the build."""
    return bool(_STOPPED)


class BuildError(Exception):
    """The site could not be built; the message says why in one line (plus a cell's source)."""
