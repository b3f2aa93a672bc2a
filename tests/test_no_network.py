"""Nothing in albru reaches the network when it is imported, loads or validates the data."""

from __future__ import annotations

import socket

import pytest

import albru

# The same guard, as source, for a fresh interpreter: import time can only be tested there.
GUARD = """
import socket
attempts = []
def refuse(*args, **kwargs):
    attempts.append(repr(args[:2]))
    raise OSError("network access is switched off in this test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
"""



def test_guard_refuses_connections(no_network):
    with pytest.raises(OSError, match="switched off"):
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    with socket.socket() as sock, pytest.raises(OSError, match="switched off"):
        sock.connect(("127.0.0.1", 9))
    with pytest.raises(OSError, match="switched off"):
        socket.getaddrinfo("example.org", 80)
    assert len(no_network) == 3


def test_load_and_validate_offline(no_network):
    ds = albru.load()
    problems = albru.validate()
    panel = albru.dyad_years(data=ds)  # the site's panel download: the UN votes and the extracts
    assert len(ds.events) > 0 and len(panel) > 0
    assert isinstance(problems, list)
    assert no_network == [], f"albru tried to connect: {no_network}"


def test_fresh_import_of_every_module_offline(fresh):
    # Import time needs a fresh interpreter (albru is already imported here); the one of
    # tests/conftest.py imports every module with this file's guard in place. Loading and
    # validating are covered in-process above.
    assert fresh["attempts"] == []
    assert {"cli", "dataset", "validation"} <= set(fresh["modules"])


# `albru build` offline (its Sphinx child process included): tests/test_cli.py, which reads
# the tiny project rendered in a process that refuses every connection (tests/conftest.py).
