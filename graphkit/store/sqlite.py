"""The embedded store: one SQLite file (WAL mode), read back as records or as a networkx graph."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import StoreError
from ..records import EDGE_KINDS, MODALITIES, Actor, Document, Evidence, Extraction, Relation
from .base import Edge, Store

if TYPE_CHECKING:
    from datetime import date

    import networkx as nx

SCHEMA_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    title TEXT,
    source TEXT,
    date TEXT,
    ingested_at TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_key ON documents(key);
CREATE TABLE IF NOT EXISTS actors (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    affiliation TEXT,
    role TEXT
);
CREATE TABLE IF NOT EXISTS aliases (
    actor_id TEXT NOT NULL REFERENCES actors(id),
    alias TEXT NOT NULL,
    UNIQUE (actor_id, alias)
);
CREATE TABLE IF NOT EXISTS statements (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL REFERENCES actors(id),
    target TEXT NOT NULL REFERENCES actors(id),
    type TEXT NOT NULL,
    negated INTEGER NOT NULL,
    modality TEXT NOT NULL,
    attribution TEXT,
    confidence REAL NOT NULL,
    trigger TEXT NOT NULL,
    role TEXT,
    document_id TEXT NOT NULL REFERENCES documents(id),
    sentence TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    UNIQUE (source, target, type, negated, document_id, start, "end")
);
CREATE INDEX IF NOT EXISTS statements_document ON statements(document_id);
CREATE INDEX IF NOT EXISTS statements_target ON statements(target);
"""

TABLES = ("actors", "aliases", "documents", "statements")


class SQLiteStore(Store):
    """Extractions kept in one SQLite file; safe against crashes (one transaction per document) and
    against several graphkit processes (WAL, busy timeout, then a clear "locked" error)."""

    kind = "sqlite"

    def __init__(self, path: Path | str, *, timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._conn: sqlite3.Connection | None = None
        self._check_path()
        try:
            self._conn = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from None
        try:
            self._initialise()
        except BaseException:
            self.close()
            raise

    # -- opening -------------------------------------------------------------------------------------------

    def _check_path(self) -> None:
        """Refuse directories and files that are not SQLite databases before SQLite touches them."""
        path = self.path
        if path.is_dir():
            raise StoreError(f"store {path} is a directory, not a SQLite file")
        if path.exists():
            try:
                with path.open("rb") as fh:
                    head = fh.read(len(SQLITE_MAGIC))
            except OSError as exc:
                raise StoreError(f"cannot read store {path}: {exc.strerror or exc}") from None
            if head and head != SQLITE_MAGIC:
                raise StoreError(f"store {path} is not a SQLite database (refusing to touch it)")
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create store {path}: {exc.strerror or exc}") from None

    def _initialise(self) -> None:
        with self._errors():
            conn = self.connection
            conn.execute("PRAGMA foreign_keys = ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"store {self.path} has schema version {version}; this graphkit reads up to {SCHEMA_VERSION}"
                )
            if version == 0:
                names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                if names and not names <= set(TABLES):
                    raise StoreError(f"store {self.path} is a SQLite database but not a graphkit store")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(f"store {self.path} cannot use write-ahead logging (journal mode {mode})")
            conn.execute("PRAGMA synchronous = NORMAL")
            if version < SCHEMA_VERSION:
                with self._transaction():
                    if conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                        for statement in SCHEMA.split(";"):
                            if statement.strip():
                                conn.execute(statement)
                        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @property
    def connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"store {self.path} is closed")
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r})"

    # -- error handling and transactions -------------------------------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn sqlite3 errors into one-line StoreErrors."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                raise StoreError(f"store {self.path} is locked by another graphkit process") from None
            raise StoreError(f"store {self.path}: {text}") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"store {self.path} is not a usable SQLite database: {exc}") from None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT; anything raised (KeyboardInterrupt too) rolls back."""
        conn = self.connection
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise

    # -- writing -------------------------------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        with self._errors():
            return self.connection.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def add(self, extraction: Extraction) -> bool:
        document = extraction.document
        with self._errors(), self._transaction() as conn:
            if conn.execute("SELECT 1 FROM documents WHERE id = ?", (document.id,)).fetchone():
                return False
            self._insert_document(conn, document)
            for actor in extraction.actors:
                self._merge_actor(conn, actor)
            known = {a.id for a in extraction.actors}
            for relation in extraction.relations:
                self._check_relation(conn, relation, known)
                self._insert_relation(conn, document.id, relation)
        return True

    def _insert_document(self, conn: sqlite3.Connection, document: Document) -> None:
        ingested_at = document.ingested_at or datetime.now(UTC).isoformat(timespec="seconds")
        conn.execute(
            "INSERT INTO documents (id, key, title, source, date, ingested_at, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (document.id, document.key, document.title, document.source, document.date, ingested_at, document.text),
        )

    def _merge_actor(self, conn: sqlite3.Connection, actor: Actor) -> None:
        """Insert an actor, or fill in what the stored one lacks; aliases are united."""
        conn.execute(
            "INSERT INTO actors (id, name, type, affiliation, role) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET "
            "name = CASE WHEN actors.name = '' THEN excluded.name ELSE actors.name END, "
            "type = CASE WHEN actors.type = '' THEN excluded.type ELSE actors.type END, "
            "affiliation = COALESCE(actors.affiliation, excluded.affiliation), "
            "role = COALESCE(actors.role, excluded.role)",
            (actor.id, actor.name or "", actor.type or "", actor.affiliation, actor.role),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO aliases (actor_id, alias) VALUES (?, ?)",
            [(actor.id, alias) for alias in actor.aliases],
        )

    def _check_relation(self, conn: sqlite3.Connection, relation: Relation, known: set[str]) -> None:
        if relation.type not in EDGE_KINDS:
            raise StoreError(f"unknown relation type {relation.type!r} (expected one of {', '.join(EDGE_KINDS)})")
        if relation.modality not in MODALITIES:
            raise StoreError(f"unknown modality {relation.modality!r} (expected one of {', '.join(MODALITIES)})")
        for end in (relation.source, relation.target):
            if end in known:
                continue
            if conn.execute("SELECT 1 FROM actors WHERE id = ?", (end,)).fetchone() is None:
                raise StoreError(
                    f"relation {relation.source} -{relation.type}-> {relation.target}: unknown actor {end!r}"
                )
            known.add(end)

    def _insert_relation(self, conn: sqlite3.Connection, document_id: str, relation: Relation) -> None:
        ev = relation.evidence
        conn.execute(
            "INSERT OR IGNORE INTO statements (source, target, type, negated, modality, attribution, confidence, "
            'trigger, role, document_id, sentence, start, "end") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            (
                relation.source, relation.target, relation.type, int(bool(relation.negated)), relation.modality,
                relation.attribution, float(relation.confidence), relation.trigger or "", relation.role,
                document_id, ev.sentence, int(ev.start), int(ev.end),
            ),
        )

    # -- reading -------------------------------------------------------------------------------------------

    def documents(self) -> list[Document]:
        with self._errors():
            rows = self.connection.execute(
                "SELECT id, key, text, title, source, date, ingested_at FROM documents ORDER BY ingested_at, key, id"
            ).fetchall()
        return [Document(*row) for row in rows]

    def document_stubs(self, *, keys: Iterable[str] | None = None) -> list[Document]:
        """Documents without their text (enough for dates in the graph); only those with a key in ``keys``."""
        query = "SELECT id, key, title, source, date, ingested_at FROM documents"
        params: tuple[str, ...] = ()
        if keys is not None:
            query += " WHERE key IN (SELECT value FROM json_each(?))"
            params = (_json_list(keys),)
        with self._errors():
            rows = self.connection.execute(query + " ORDER BY ingested_at, key, id", params).fetchall()
        return [Document(id=i, key=k, text="", title=t, source=s, date=d, ingested_at=at) for i, k, t, s, d, at in rows]

    def actors(self) -> list[Actor]:
        with self._errors():
            conn = self.connection
            aliases: dict[str, list[str]] = {}
            for actor_id, alias in conn.execute("SELECT actor_id, alias FROM aliases ORDER BY actor_id, alias"):
                aliases.setdefault(actor_id, []).append(alias)
            rows = conn.execute("SELECT id, name, type, affiliation, role FROM actors ORDER BY id").fetchall()
        return [
            Actor(id=i, name=n, type=t, aliases=tuple(aliases.get(i, ())), affiliation=a, role=r)
            for i, n, t, a, r in rows
        ]

    _RELATION_SELECT = (
        'SELECT s.source, s.target, s.type, d.key, s.sentence, s.start, s."end", s.modality, s.negated, '
        "s.attribution, s.confidence, s.trigger, s.role FROM statements s JOIN documents d ON d.id = s.document_id"
    )

    def _read_relations(self, where: str = "", params: tuple[object, ...] = ()) -> list[Relation]:
        with self._errors():
            rows = self.connection.execute(f"{self._RELATION_SELECT}{where} ORDER BY s.id", params).fetchall()
        return [
            Relation(
                source=src, target=tgt, type=typ, evidence=Evidence(document=key, sentence=sent, start=st, end=en),
                modality=mod, negated=bool(neg), attribution=att, confidence=conf, trigger=trig, role=role,
            )
            for src, tgt, typ, key, sent, st, en, mod, neg, att, conf, trig, role in rows
        ]

    def relations(self) -> list[Relation]:
        return self._read_relations()

    def relations_matching(
        self, *, sources: Iterable[str] | None = None, targets: Iterable[str] | None = None,
        types: Iterable[str] | None = None,
    ) -> list[Relation]:
        """Index lookups: on source (the UNIQUE index leads with source, target) or on target (statements_target)."""
        clauses: list[str] = []
        params: list[object] = []
        for column, values in (("source", sources), ("target", targets), ("type", types)):
            if values is not None:
                clauses.append(f"s.{column} IN (SELECT value FROM json_each(?))")
                params.append(_json_list(values))
        return self._read_relations(f" WHERE {' AND '.join(clauses)}" if clauses else "", tuple(params))

    def edge_list(
        self, *, types: Iterable[str] | None = None, negated: bool | None = None,
        since: str | date | None = None, until: str | date | None = None,
    ) -> list[Edge]:
        """Distinct edges read from the covering UNIQUE index (no sentences, no join); a time window becomes the
        list of documents whose day falls inside."""
        from ..graph import day_filter, document_days

        clauses: list[str] = []
        params: list[object] = []
        if types is not None:
            clauses.append("type IN (SELECT value FROM json_each(?))")
            params.append(_json_list(types))
        if negated is not None:
            clauses.append("negated = ?")
            params.append(int(negated))
        inside = day_filter(since, until)
        if inside is not None:
            stubs = self.document_stubs()
            days = document_days(stubs)  # by key, as build_graph dates a statement
            clauses.append("document_id IN (SELECT value FROM json_each(?))")
            params.append(_json_list(d.id for d in stubs if inside(days[d.key])))
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._errors():
            rows = self.connection.execute(
                f"SELECT DISTINCT source, target, type, negated FROM statements{where} "  # noqa: S608 - fixed text
                "ORDER BY source, target, type, negated",
                params,
            ).fetchall()
        return [(s, t, typ, bool(neg)) for s, t, typ, neg in rows]

    def graph(self) -> nx.MultiDiGraph:
        from ..graph import build_graph, gc_paused

        with gc_paused():
            return build_graph(self.actors(), self.relations(), self.document_stubs())

    def counts(self) -> dict[str, int]:
        with self._errors():
            conn = self.connection
            return {
                name: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names
                for name, table in (("documents", "documents"), ("actors", "actors"), ("relations", "statements"))
            }

    def integrity_check(self) -> str:
        """SQLite's own verdict on the file ("ok" when sound)."""
        with self._errors():
            return "; ".join(r[0] for r in self.connection.execute("PRAGMA integrity_check"))


def _json_list(values: Iterable[str]) -> str:
    """A JSON array of strings, for ``IN (SELECT value FROM json_each(?))`` (any number of values, one parameter)."""
    return json.dumps(list(values))


__all__ = ["SCHEMA_VERSION", "SQLiteStore"]
