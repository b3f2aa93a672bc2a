"""Writing only what the build owns.

A folder the build writes into (the site, the work folder, the figures folder) is either new,
empty, or holds a manifest of the files an earlier build wrote there, each with its SHA-256
digest. The build only overwrites or deletes a file whose bytes still match its digest; a file
anyone else made or changed, a symlink, an empty folder or a hard link it did not make stays as
it is. Files are opened with ``O_NOFOLLOW``, so a symlink never redirects a write. A site is
swapped in with one atomic exchange of two folders (``renameat2`` with ``RENAME_EXCHANGE`` on
Linux), so ``out`` is never missing. One build at a time holds the lock of the work folder; the
lock dies with the process that holds it.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import hashlib
import json
import os
import signal
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from sitebuild import BuildError

__all__ = [
    "Owned",
    "block_signals",
    "digest_file",
    "exchange",
    "is_real_dir",
    "lock",
    "parents",
    "read_nofollow",
    "rename_noreplace",
    "sha",
    "write_nofollow",
]

_NOFOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC


def sha(data: bytes) -> str:
    """The SHA-256 digest of ``data`` in hex.

    >>> sha(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def read_nofollow(path: Path) -> bytes:
    """The bytes of the regular file at ``path``; OSError for a symlink, FIFO or device.

    The file is opened without following a symlink and without blocking on a FIFO, and
    checked to be a regular file before it is read.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(f"not a regular file: {path}")
        return handle.read()


def digest_file(path: Path) -> str | None:
    """The digest of the regular file at ``path``, or None (missing, a symlink, not a file)."""
    try:
        return sha(read_nofollow(path))
    except OSError:
        return None


def is_real_dir(path: Path) -> bool:
    """True when ``path`` is a folder and not a symlink to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def write_nofollow(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a new file beside it, renamed over ``path``.

    The new file is created exclusively and without following links; the rename replaces a
    file (or a symlink itself), never the target of a symlink.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.albru-{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# --- renameat2 ----------------------------------------------------------------------------

_RENAME_NOREPLACE, _RENAME_EXCHANGE, _AT_FDCWD = 1, 2, -100
#: renameat2's system call number where glibc has no wrapper (x86-64, arm64).
_SYSCALL = {"x86_64": 316, "aarch64": 276}


def _renameat2(source: Path, target: Path, flags: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    a, b = os.fsencode(source), os.fsencode(target)
    if hasattr(libc, "renameat2"):
        result = libc.renameat2(_AT_FDCWD, a, _AT_FDCWD, b, ctypes.c_uint(flags))
    else:
        number = _SYSCALL.get(os.uname().machine)
        if number is None:
            raise OSError(38, "renameat2 is not available here", str(source))
        result = libc.syscall(number, _AT_FDCWD, a, _AT_FDCWD, b, flags)
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err), str(source), None, str(target))


def exchange(a: Path, b: Path) -> None:
    """Swap the folders ``a`` and ``b`` in one step: neither path is ever missing (Linux).

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> for name in "ab":
    ...     (root / name).mkdir()
    ...     _ = (root / name / "which").write_text(name)
    >>> exchange(root / "a", root / "b")
    >>> (root / "a" / "which").read_text()
    'b'
    """
    if not sys.platform.startswith("linux"):
        raise BuildError("publishing a site needs Linux (an atomic exchange of two folders)")
    _renameat2(a, b, _RENAME_EXCHANGE)


def rename_noreplace(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target``; FileExistsError if ``target`` exists (atomically)."""
    _renameat2(source, target, _RENAME_NOREPLACE)


# --- folders the build owns ---------------------------------------------------------------


def _safe_rel(rel: object) -> bool:
    """True for a relative POSIX path with no ``..``, no empty part and no NUL.

    >>> _safe_rel("a/b.html"), _safe_rel("../x"), _safe_rel("/etc"), _safe_rel(3)
    (True, False, False, False)
    """
    if not isinstance(rel, str) or not rel or "\0" in rel or rel.startswith("/"):
        return False
    return all(part not in ("", ".", "..") for part in rel.split("/"))


class Owned:
    """A folder the build made, with a manifest of what it wrote there.

    The manifest (``root/name``) maps each file's relative path to the digests it may have
    (the one written, and during a write also the one before, so that a build killed halfway
    still knows the file), lists the folders the build made, and the ``trees``: folders whose
    whole content a program the build runs writes (Sphinx's output).

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp()) / "new"
    >>> owned = Owned(root, ".albru-work.json", "work folder")
    >>> owned.claim()
    >>> owned.write("a/b.txt", b"x")
    True
    >>> owned.write("a/b.txt", b"x")
    False
    >>> Owned(root, ".albru-work.json", "work folder").claim()  # the manifest verifies
    """

    #: Entries in an owned folder that are bookkeeping, not content.
    BOOKKEEPING = frozenset({".lock"})

    def __init__(self, root: Path, name: str, what: str) -> None:
        self.root, self.name, self.what = Path(root), name, what
        self.files: dict[str, list[str]] = {}
        self.dirs: set[str] = set()
        self.trees: set[str] = set()
        self.extra: dict = {}

    # reading and claiming

    def load(self) -> None:
        """Read the manifest, if there is one (entries with unsafe paths are dropped)."""
        self.files, self.dirs, self.trees, self.extra = {}, set(), set(), {}
        try:
            manifest = json.loads(read_nofollow(self.root / self.name))
        except (OSError, ValueError):
            return
        if not isinstance(manifest, dict):
            return
        files = manifest.get("files", {})
        for rel, digests in (files if isinstance(files, dict) else {}).items():
            if _safe_rel(rel) and isinstance(digests, list):
                self.files[rel] = [d for d in digests if isinstance(d, str)]
        for key, into in (("dirs", self.dirs), ("trees", self.trees)):
            listed = manifest.get(key, [])
            into.update(r for r in (listed if isinstance(listed, list) else []) if _safe_rel(r))
        extra = manifest.get("extra", {})
        self.extra = dict(extra) if isinstance(extra, dict) else {}

    def claim(self) -> None:
        """Make the folder (with its parents) or take it over; BuildError unless it is new,
        empty, or holds a manifest that at least one file's digest confirms."""
        if os.path.islink(self.root):
            raise BuildError(f"{self.what} {self.root} is a symbolic link; give a real folder")
        if not os.path.lexists(self.root):
            self.root.mkdir(parents=True)
            self.load()
            return
        if not is_real_dir(self.root):
            raise BuildError(f"{self.what} {self.root} is a file, not a folder")
        self.load()
        content = set(os.listdir(self.root)) - self.BOOKKEEPING - {self.name}
        if content and not any(self.owns(rel) for rel in self.files):
            raise BuildError(
                f"{self.what} {self.root} holds files that no albru build made (no manifest "
                f"{self.name} that their digests confirm); choose an empty or new folder"
            )

    def owns(self, rel: str) -> bool:
        """True when the file at ``rel`` is one the build wrote and nobody changed since."""
        digest = digest_file(self.root / rel)
        return digest is not None and digest in self.files.get(rel, [])

    def read(self, rel: str) -> bytes:
        """The bytes of the file at ``rel`` (never through a symlink)."""
        return read_nofollow(self.root / rel)

    def _may_replace(self, rel: str) -> bool:
        if not os.path.lexists(self.root / rel):
            return not any(p in self.trees for p in parents(rel))
        return self.owns(rel)

    def check(self, rels: list[str]) -> None:
        """BuildError naming the first of ``rels`` the build may not write (someone else's
        file, a symlink, a folder)."""
        for rel in rels:
            if not self._may_replace(rel):
                raise BuildError(
                    f"{self.root / rel} was not written by an albru build (or was changed "
                    "since); move it away and build again"
                )

    # writing

    def makedirs(self, rel: str) -> None:
        """Make the folders leading to ``rel`` (recorded); BuildError on a symlink or file."""
        parts = rel.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            sub = "/".join(parts[:depth])
            path = self.root / sub
            if not os.path.lexists(path):
                path.mkdir()
                self.dirs.add(sub)
            elif not is_real_dir(path):
                raise BuildError(f"{path} is not a real folder (a symlink or a file); move it away")

    def write(self, rel: str, data: bytes) -> bool:
        """Write ``data`` to ``rel`` unless it holds it already; True when it wrote."""
        return bool(self.write_many({rel: data}))

    def write_many(self, files: dict[str, bytes]) -> int:
        """Write each changed file of ``files`` (relative path -> bytes); how many were written.

        The manifest first records both the old and the new digest of each file, then the
        files are written, then the manifest keeps only the new digests: a build killed in
        between leaves files a later build still knows as its own.
        """
        self.check(list(files))
        changed = {
            rel: data for rel, data in files.items()
            if digest_file(self.root / rel) != sha(data)
        }  # fmt: skip
        if not changed:
            return 0
        for rel, data in changed.items():
            self.files[rel] = [*self.files.get(rel, [])[-1:], sha(data)]
        self.save()
        for rel, data in changed.items():
            self.makedirs(rel)
            write_nofollow(self.root / rel, data)
            self.files[rel] = [sha(data)]
        self.save()
        return len(changed)

    def remove(self, rel: str) -> None:
        """Delete the file at ``rel`` if the build wrote it (else leave it)."""
        if self.owns(rel):
            os.unlink(self.root / rel)
        self.files.pop(rel, None)

    def tree(self, rel: str) -> Path:
        """The folder ``rel`` whose content a program the build runs writes (made if missing);
        BuildError if it exists and the build did not make it."""
        path = self.root / rel
        if rel not in self.trees:
            if os.path.lexists(path):
                raise BuildError(f"{path} was not made by an albru build; move it away")
            self.trees.add(rel)
            self.save()
        if not os.path.lexists(path):
            path.mkdir(parents=True)
        elif not is_real_dir(path):
            raise BuildError(f"{path} is not a real folder (a symlink or a file); move it away")
        return path

    def save(self) -> None:
        """Write the manifest (no-follow, replaced in one rename)."""
        manifest = {
            "made_by": "albru build",
            "files": {rel: self.files[rel] for rel in sorted(self.files)},
            "dirs": sorted(self.dirs),
            "trees": sorted(self.trees),
            "extra": self.extra,
        }
        write_nofollow(self.root / self.name, (json.dumps(manifest, indent=1) + "\n").encode())


def parents(rel: str) -> list[str]:
    """The folders above ``rel``.

    >>> parents("a/b/c.txt")
    ['a', 'a/b']
    """
    parts = rel.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


# --- signals and the lock -----------------------------------------------------------------


@contextlib.contextmanager
def block_signals() -> Iterator[None]:
    """Hold back Ctrl-C and SIGTERM (delivered on leaving) while a few renames must all run."""
    signals = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextlib.contextmanager
def lock(folder: Path, say: Callable[[str], None]) -> Iterator[None]:
    """Hold the build's lock, ``folder/.lock``; another build waits for it.

    The lock is an ``flock`` on a file opened with ``O_CLOEXEC``: the notebooks run in
    processes started afresh (never forked from this one), so only this process holds it, and
    it goes when this process ends, however it ends. The file names the holder; a build that
    finds a name there was preceded by one that did not finish, and says so in one line.
    """
    path = Path(folder) / ".lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"waiting for another build to finish ({path})")
            fcntl.flock(fd, fcntl.LOCK_EX)
        previous = os.pread(fd, 64, 0).decode(errors="replace").strip()
        if previous:
            say(f"the previous build (process {previous}) ended without finishing; going on")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)
