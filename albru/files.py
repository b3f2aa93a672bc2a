"""The data folder as a closed world: every file albru reads is opened here, and
``datapackage.json`` is parsed here and nowhere else.

A file is read only when its real path (every symbolic link resolved) stays inside the data
folder and it is a regular file; a FIFO, a device or a folder is refused without being opened,
and a symbolic link loop, a NUL byte in a path or a file over its size limit ends in one
problem. The work is bounded: a file larger than MAX_FILE_BYTES, a gzip text that decompresses
to more than MAX_TEXT_BYTES, and JSON nested deeper than MAX_JSON_DEPTH are refused, and the
scan for links and special files stops after MAX_ENTRIES entries. Nothing here touches the
network. This module needs only the standard library (the citation reads the schema without
pandas).

>>> schema, problems = read_schema(data_dir())
>>> problems, schema["resources"][0]["name"]
([], 'sources')
"""

from __future__ import annotations

import errno
import gzip
import io
import json
import os
import stat
from importlib import resources
from pathlib import Path
from typing import Any

from albru.problems import Problem

__all__ = [
    "MAX_ENTRIES", "MAX_FILE_BYTES", "MAX_JSON_DEPTH", "MAX_TEXT_BYTES", "SCHEMA_FILE",
    "Refused", "data_dir", "depth", "read_bytes", "read_gzip_text", "read_schema", "strays",
]

#: Name of the schema file inside the data directory.
SCHEMA_FILE = "datapackage.json"
#: Largest file albru reads: 64 MiB, thirty times the largest file it ships.
MAX_FILE_BYTES = 64 * 2**20
#: Largest text a gzip file may decompress to: 4 MiB, some 250 times the shipped article.
MAX_TEXT_BYTES = 4 * 2**20
#: Deepest nesting of objects and lists accepted in a JSON file (the schema needs 8).
MAX_JSON_DEPTH = 32
#: Entries of the data folder looked at for links and special files before the scan stops.
MAX_ENTRIES = 20_000
_BOM = b"\xef\xbb\xbf"


class Refused(Exception):
    """A file albru will not read; the message is the rule, ready for a Problem."""


def data_dir() -> Path:
    """The shipped data folder: ``albru/data`` in an installed wheel, else ``data/`` of the
    checkout.

    >>> (data_dir() / SCHEMA_FILE).is_file()
    True
    """
    shipped = resources.files("albru") / "data"
    if (shipped / SCHEMA_FILE).is_file():
        return Path(str(shipped))
    return Path(__file__).resolve().parent.parent / "data"


def _inside(directory: Path, relative: str) -> str:
    """The real path of ``relative`` inside ``directory``; Refused when it leads out of the
    folder, loops, holds a NUL byte, or is missing."""
    if "\x00" in relative:
        raise Refused("the path holds a NUL byte; refused")
    try:
        base = os.path.realpath(directory, strict=True)
        real = os.path.realpath(os.path.join(base, relative), strict=True)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise Refused("a loop of symbolic links; refused") from None
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            raise Refused("file missing") from None
        raise Refused(f"cannot be read: {error.strerror}") from None
    if os.path.commonpath([base, real]) != base:
        raise Refused("leads out of the data folder (through a symbolic link or '..'); refused")
    return real


def _kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    return ("a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")


def read_bytes(directory: Path, relative: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file inside the data folder, at most ``limit`` of them.

    Parameters
    ----------
    directory : the data folder.
    relative : the file's path inside it, as the schema names it.
    limit : the largest size read.

    Returns
    -------
    The file's bytes.

    Raises
    ------
    Refused
        saying why the file is not read: missing, outside the folder, a loop, not a regular
        file (never opened), or too large.

    Examples
    --------
    >>> read_bytes(data_dir(), "eras.csv")[:6]
    b'era_id'
    >>> read_bytes(data_dir(), "../pyproject.toml")
    Traceback (most recent call last):
    ...
    albru.files.Refused: leads out of the data folder (through a symbolic link or '..'); refused
    """
    real = _inside(Path(directory), relative)
    found = os.lstat(real)
    if not stat.S_ISREG(found.st_mode):
        raise Refused(f"{_kind(found.st_mode)}, not a regular file; refused without opening it")
    if found.st_size > limit:
        raise Refused(f"larger than {limit} bytes, the most albru reads; refused")
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(real, flags)
    except OSError as error:
        raise Refused(f"cannot be read: {error.strerror}") from None
    with open(handle, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):  # swapped since the check
            raise Refused("not a regular file; refused")
        data = file.read(limit + 1)
    if len(data) > limit:
        raise Refused(f"larger than {limit} bytes, the most albru reads; refused")
    return data


def read_gzip_text(directory: Path, relative: str, limit: int = MAX_TEXT_BYTES) -> str:
    """The UTF-8 text of a gzip file inside the data folder, decompressed to at most ``limit``
    bytes (a gzip bomb is refused once the limit is passed, never held whole).

    >>> "Albania" in read_gzip_text(data_dir(), "article/albania-russia-relations.txt.gz")
    True
    """
    packed = read_bytes(directory, relative)
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(packed)) as stream:
            data = stream.read(limit + 1)
        text = data.removeprefix(_BOM).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise Refused(f"cannot be read as gzip-compressed UTF-8: {error}") from None
    if len(data) > limit:
        raise Refused(f"decompresses to more than {limit} bytes, the most albru reads; refused")
    return text


def depth(value: Any) -> int:
    """How deeply objects and lists nest in a parsed JSON value (a scalar is 0), found without
    recursion.

    >>> depth({"a": [1, {"b": []}]}), depth("text")
    (4, 0)
    """
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, level = todo.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(
            item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        todo.extend((child, level + 1) for child in children)
    return deepest


def read_schema(directory: str | Path, file: str = SCHEMA_FILE) -> tuple[Any, list[Problem]]:
    """Parse a ``datapackage.json``: the one place albru reads one.

    Its structure is not judged here (see :func:`albru.validation.check_package`); only that it
    can be read as JSON, within MAX_FILE_BYTES and MAX_JSON_DEPTH.

    Parameters
    ----------
    directory : the data folder.
    file : the schema's file name inside it.

    Returns
    -------
    The parsed JSON (None when it cannot be read) and the problems found.

    Examples
    --------
    >>> [str(p) for p in read_schema("/nonexistent")[1]]
    ['datapackage.json: file missing in /nonexistent']
    """
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        return None, [Problem(str(directory), None, None, None,
                              "the data path is a file, not a folder")]
    try:
        raw = read_bytes(directory, file)
    except Refused as why:
        rule = f"file missing in {directory}" if str(why) == "file missing" else str(why)
        return None, [Problem(file, None, None, None, rule)]
    try:
        parsed = json.loads(raw.removeprefix(_BOM).decode("utf-8"))
    except UnicodeDecodeError as error:
        return None, [Problem(file, None, None, None, f"not UTF-8 text: {error.reason}")]
    except json.JSONDecodeError as error:
        return None, [Problem(file, error.lineno, None, None, f"not valid JSON: {error.msg}")]
    except RecursionError:
        parsed = None
    except ValueError as error:  # a number of more than 4,300 digits
        return None, [Problem(file, None, None, None,
                              f"not readable JSON: {str(error).split(':')[0]}")]
    if parsed is None or depth(parsed) > MAX_JSON_DEPTH:
        return None, [Problem(file, None, None, None,
                              f"nested deeper than {MAX_JSON_DEPTH} levels; refused")]
    return parsed, []


def strays(directory: Path, limit: int = MAX_ENTRIES) -> list[Problem]:
    """Symbolic links leading out of the data folder (or nowhere) and special files (FIFOs,
    sockets, devices) anywhere in it, found without following a link or opening a file.

    >>> strays(data_dir())
    []
    """
    base = os.path.realpath(directory)
    found: list[Problem] = []
    seen = 0
    for folder, folders, names in os.walk(base):
        for name in sorted(folders + names):
            seen += 1
            if seen > limit:
                return [*found, Problem(str(directory), None, None, None,
                                        f"holds more than {limit} entries; not all were "
                                        "checked for links out of it")]
            path = os.path.join(folder, name)
            where = os.path.relpath(path, base)
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                try:
                    _inside(Path(base), where)
                except Refused as why:
                    rule = "a symbolic link that leads nowhere; refused" if str(
                        why) == "file missing" else str(why)
                    found.append(Problem(where, None, None, None, rule))
            elif not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                found.append(Problem(where, None, None, None,
                                     f"{_kind(mode)} in the data folder; refused"))
    return found
