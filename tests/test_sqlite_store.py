"""SQLite-specific behaviour: WAL, crash safety, concurrent processes, refusing files that are not stores."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from test_store_contract import Stmt, make_actor, make_extraction

from graphkit.errors import StoreError
from graphkit.records import Extraction
from graphkit.store import open_store
from graphkit.store.sqlite import SCHEMA_VERSION, SQLiteStore

REPO = Path(__file__).resolve().parents[1]


def raw(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def integrity(path: Path) -> str:
    return raw(path, "PRAGMA integrity_check")[0][0]


def state(store: SQLiteStore) -> tuple:
    return (store.counts(), store.actors(), sorted(store.relations(), key=repr), store.documents())


def assert_consistent(path: Path, statements_per_document: int | None = None) -> None:
    assert integrity(path) == "ok"
    assert raw(path, "PRAGMA foreign_key_check") == []
    if statements_per_document is not None:
        per_doc = raw(path, "SELECT d.id, COUNT(s.id) FROM documents d LEFT JOIN statements s "
                            "ON s.document_id = d.id GROUP BY d.id")
        assert all(n == statements_per_document for _, n in per_doc), per_doc
        orphans = raw(path, "SELECT COUNT(*) FROM statements WHERE document_id NOT IN (SELECT id FROM documents)")
        assert orphans == [(0,)]


def big_extraction(i: int, n: int = 40) -> Extraction:
    """Document i with n statements among a few shared actors (so writers contend for the same rows)."""
    stmts = [Stmt(f"actor-{(i + j) % 7}", f"actor-{(i + j + 1) % 7}", "supports" if j % 2 else "opposes")
             for j in range(n)]
    actors = [make_actor(f"actor-{k}", aliases=(f"A{k}-doc{i}",)) for k in range(7)]
    return make_extraction(f"doc-{i}", stmts, actors=actors, date=f"2019-01-{1 + i % 28:02d}")


# -- files and schema ------------------------------------------------------------------------------------


def test_new_store_uses_wal_and_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "dir" / "graph.db"
    with SQLiteStore(path) as store:
        store.add(make_extraction("1", [Stmt("a", "b")]))
        assert store.connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert raw(path, "PRAGMA journal_mode") == [("wal",)]
    assert raw(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert {r[0] for r in raw(path, "SELECT name FROM sqlite_master WHERE type='table'")} >= {
        "documents", "actors", "aliases", "statements"}


def test_store_persists_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "graph.db"
    ex = make_extraction("1", [Stmt("a", "b", "meets")], date="2020-02-02")
    with open_store(path) as store:
        assert store.kind == "sqlite"
        store.add(ex)
        before = state(store)
    with SQLiteStore(path) as store:
        assert state(store) == before
        assert store.add(ex) is False


def test_duplicate_statement_in_one_document_is_stored_once(tmp_path: Path) -> None:
    ex = make_extraction("1", [Stmt("a", "b")])
    doubled = Extraction(ex.document, ex.actors, ex.relations * 2)
    with SQLiteStore(tmp_path / "g.db") as store:
        store.add(doubled)
        assert store.counts()["relations"] == 1


@pytest.mark.parametrize("content", [
    b"just some notes\nnot a database\n",
    b"\x00\x01\x02binary junk" * 50,
    b"SQLite format 2\x00" + b"\x00" * 200,
])
def test_non_database_file_is_refused_and_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="not a SQLite database") as info:
        SQLiteStore(path)
    assert "\n" not in str(info.value)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_corrupt_database_gives_store_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 300)
    content = path.read_bytes()
    with pytest.raises(StoreError) as info:
        SQLiteStore(path)
    assert "\n" not in str(info.value)
    assert path.read_bytes() == content


def test_other_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    content = path.read_bytes()
    with pytest.raises(StoreError, match="not a graphkit store"):
        SQLiteStore(path)
    assert path.read_bytes() == content


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    SQLiteStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="schema version"):
        SQLiteStore(path)


def test_directory_and_unwritable_locations(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory") as info:
        SQLiteStore(tmp_path)
    assert "\n" not in str(info.value)
    blocker = tmp_path / "plain-file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot create store") as info:
        SQLiteStore(blocker / "graph.db")
    assert "\n" not in str(info.value)
    assert blocker.read_text() == "x"


def test_closed_store_raises_store_error(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "g.db")
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.counts()


def test_invalid_relation_type_and_modality(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "g.db") as store:
        with pytest.raises(StoreError, match="relation type"):
            store.add(make_extraction("1", [Stmt("a", "b", "loves")]))
        with pytest.raises(StoreError, match="modality"):
            store.add(make_extraction("2", [Stmt("a", "b", modality="rumoured")]))
        assert store.counts() == {"documents": 0, "actors": 0, "relations": 0}


# -- crash safety ----------------------------------------------------------------------------------------


def test_failure_mid_add_rolls_back(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    with SQLiteStore(path) as store:
        store.add(big_extraction(0, 5))
        before = state(store)
        good = big_extraction(1, 5)
        # Document, actors (with a new one and new aliases) and three statements are written before the bad one.
        bad = Extraction(good.document, good.actors + (make_actor("newcomer"),),
                         good.relations[:3] + make_extraction("x", [Stmt("actor-1", "nobody")]).relations)
        with pytest.raises(StoreError, match="nobody"):
            store.add(bad)
        assert state(store) == before
        assert not store.has_document(good.document.id)
        assert store.add(good) is True  # the store is still usable: no transaction left open
    assert_consistent(path, 5)


class InterruptedStore(SQLiteStore):
    """A store whose user presses Ctrl-C while the third statement is written."""

    written = 0

    def _insert_relation(self, conn, document_id, relation):  # type: ignore[no-untyped-def]
        self.written += 1
        if self.written == 3:
            raise KeyboardInterrupt
        super()._insert_relation(conn, document_id, relation)


def test_keyboard_interrupt_mid_add_rolls_back(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    with SQLiteStore(path) as store:
        store.add(big_extraction(0, 2))
        before = state(store)
    with InterruptedStore(path) as store:
        with pytest.raises(KeyboardInterrupt):
            store.add(big_extraction(1, 10))
        assert state(store) == before
        assert store.add(big_extraction(2, 2)) is True
    assert_consistent(path, 2)
    with SQLiteStore(path) as store:
        assert store.counts()["documents"] == 2


INGEST_FOREVER = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[2])
    from pathlib import Path
    from test_sqlite_store import big_extraction
    from graphkit.store.sqlite import SQLiteStore
    store = SQLiteStore(Path(sys.argv[1]))
    i = 0
    while True:
        store.add(big_extraction(i, 1000))
        i += 1
""")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_killed_process_mid_ingest_leaves_store_consistent(tmp_path: Path, sig: signal.Signals) -> None:
    path = tmp_path / "g.db"
    SQLiteStore(path).close()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-c", INGEST_FOREVER, str(path), str(Path(__file__).parent)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while raw(path, "SELECT COUNT(*) FROM documents")[0][0] < 3:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "ingest died"
            assert time.monotonic() < deadline, "ingest too slow"
            time.sleep(0.02)
        time.sleep(0.013)  # land somewhere inside the next document's transaction
        proc.send_signal(sig)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode != 0
    if sig == signal.SIGINT:
        assert b"KeyboardInterrupt" in proc.stderr.read()
    assert_consistent(path, 1000)
    with SQLiteStore(path) as store:
        docs = store.counts()["documents"]
        assert docs >= 3
        assert store.counts()["relations"] == 1000 * docs
        assert store.add(big_extraction(10_000, 3)) is True


# -- several processes -----------------------------------------------------------------------------------


def ingest_range(args: tuple[str, int, int]) -> int:
    """Worker: add documents start..stop-1; the number newly stored by this process."""
    path, start, stop = args
    with SQLiteStore(Path(path), timeout=60) as store:
        return sum(store.add(big_extraction(i, 20)) for i in range(start, stop))


def test_two_processes_write_concurrently(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    ctx = multiprocessing.get_context("spawn")
    # Overlapping ranges: documents 10..19 are offered by both processes and must be stored exactly once.
    with ctx.Pool(2) as pool:
        added = pool.map(ingest_range, [(str(path), 0, 20), (str(path), 10, 30)])
    assert sum(added) == 30
    assert_consistent(path, 20)
    with SQLiteStore(path) as store:
        assert store.counts() == {"documents": 30, "actors": 7, "relations": 600}
        aliases = {a.id: set(a.aliases) for a in store.actors()}
        assert aliases["actor-0"] == {f"A0-doc{i}" for i in range(30)}


def test_locked_store_gives_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    SQLiteStore(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with SQLiteStore(path, timeout=0.2) as store:
            with pytest.raises(StoreError, match="locked by another graphkit process") as info:
                store.add(make_extraction("1", [Stmt("a", "b")]))
            assert "\n" not in str(info.value)
            assert store.counts()["documents"] == 0  # readers are not blocked in WAL mode
            other.execute("COMMIT")
            assert store.add(make_extraction("1", [Stmt("a", "b")])) is True
    finally:
        other.close()
