"""The Neo4j store: the graph model of the shared spec written and read over Bolt with the official driver.

Also works against FalkorDB's Bolt listener; every difference is kept in graphkit.store.dialect.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import StoreError, StoreUnavailableError
from ..graph import document_day
from ..records import EDGE_KINDS, Actor, Document, Evidence, Extraction, Relation
from . import cypher
from .base import Store
from .dialect import Dialect, detect

DEFAULT_USER = "neo4j"


def relation_key(source: str, type_: str, target: str, negated: bool) -> str:
    """The ``key`` of a relationship: ``source|type|target|negated`` or ``...|affirmed``."""
    return f"{source}|{type_}|{target}|{'negated' if negated else 'affirmed'}"


def _reason(exc: BaseException) -> str:
    """A short reason from a driver error ("connection refused", "timed out", ...)."""
    text = str(exc)
    match = re.search(r"\(reason (.+?)\)\s*$", text, re.S) or re.search(r"reason (.+?)\)", text)
    reason = match.group(1) if match else (text.strip().splitlines() or [type(exc).__name__])[-1]
    reason = re.sub(r"^\[Errno -?\d+\]\s*", "", reason.strip())
    if "timed out" in reason.lower() or "timeout" in reason.lower():
        return "timed out"
    return (reason[:1].lower() + reason[1:])[:200] or type(exc).__name__


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:300]


class Neo4jStore(Store):
    """A store in a Neo4j (5.x) database, or a FalkorDB Bolt listener; see the shared Neo4j model."""

    kind = "neo4j"

    def __init__(self, driver: Any, *, uri: str, database: str | None = None, batch_size: int = 500,
                 dialect: Dialect | None = None) -> None:
        self._driver = driver
        self.uri = uri
        self.database = database
        self.batch_size = max(1, int(batch_size))
        self._schema_ready = False
        self.dialect = dialect or self._detect()

    # -- opening ---------------------------------------------------------------------------------------------

    @classmethod
    def from_uri(cls, uri: str, *, username: str | None = None, password: str | None = None,
                 database: str | None = None, batch_size: int = 500, connection_timeout: float = 10.0,
                 prompt_password: Callable[[], str | None] | None = None) -> Neo4jStore:
        """Connect to ``uri``. Credentials: the arguments, else NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE.

        Without a password the store connects without authentication; when the server refuses that and
        ``prompt_password`` is given, it asks once. Raises StoreUnavailableError when the server is down, refuses
        the credentials or does not answer within ``connection_timeout`` seconds.
        """
        username = username or os.environ.get("NEO4J_USERNAME") or DEFAULT_USER
        if password is None:
            password = os.environ.get("NEO4J_PASSWORD")
        database = database or os.environ.get("NEO4J_DATABASE") or None
        try:
            driver = _connect(uri, username, password or None, connection_timeout)
        except _AuthRefused:
            if password or prompt_password is None:
                raise StoreUnavailableError(
                    f"Neo4j at {uri} refused the credentials of user {username!r}"
                    + ("" if password else " (set NEO4J_PASSWORD)")
                ) from None
            password = prompt_password()
            try:
                driver = _connect(uri, username, password or None, connection_timeout)
            except _AuthRefused:
                raise StoreUnavailableError(
                    f"Neo4j at {uri} refused the credentials of user {username!r}") from None
        try:
            return cls(driver, uri=uri, database=database, batch_size=batch_size)
        except BaseException:
            driver.close()
            raise

    def _detect(self) -> Dialect:
        with self._errors():
            with self._driver.session(database=self.database) as session:
                return detect(lambda q: session.run(q).consume())

    def __repr__(self) -> str:
        return f"Neo4jStore({self.uri!r}, dialect={self.dialect.name})"

    def close(self) -> None:
        if self._driver is not None:
            driver, self._driver = self._driver, None
            self.dialect.close_driver(driver)

    # -- running Cypher --------------------------------------------------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        from neo4j.exceptions import (
            AuthError,
            DriverError,
            Neo4jError,
            ServiceUnavailable,
            SessionExpired,
        )

        try:
            yield
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            raise StoreUnavailableError(f"cannot reach Neo4j at {self.uri}: {_reason(exc)}") from None
        except AuthError as exc:
            raise StoreUnavailableError(
                f"Neo4j at {self.uri} refused the credentials: {_one_line(exc.message or exc)}") from None
        except Neo4jError as exc:
            raise StoreError(f"Neo4j at {self.uri} rejected a statement: {_one_line(exc.message or exc)}") from None
        except DriverError as exc:
            raise StoreError(f"Neo4j driver error for {self.uri}: {_one_line(exc)}") from None

    def _session(self) -> Any:
        if self._driver is None:
            raise StoreError(f"the Neo4j store {self.uri} is closed")
        return self._driver.session(database=self.database if self.dialect.databases else None)

    def _read(self, query: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        encoded = self.dialect.encode(params)
        with self._errors(), self._session() as session:
            return session.execute_read(lambda tx: [r.data() for r in tx.run(query, encoded)])

    def _write(self, work: Callable[[Callable[..., list[dict[str, Any]]]], Any]) -> Any:
        """Run ``work(run)`` in one managed write transaction; ``run(query, params)`` returns the rows."""
        def unit(tx: Any) -> Any:
            def run(query: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
                return [r.data() for r in tx.run(query, self.dialect.encode(params))]
            return work(run)

        with self._errors(), self._session() as session:
            return session.execute_write(unit)

    def run(self, query: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> list[dict[str, Any]]:
        """Run one Cypher statement in a managed transaction (read-only unless ``write``); rows as dicts."""
        if write:
            return self._write(lambda run: run(query, params))
        return self._read(query, params)

    def run_file(self, path: str | os.PathLike[str], params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run the read-only query in a ``.cypher`` file."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise StoreError(f"cannot read query file {path}: {exc.strerror or exc}") from None
        return self._read(text.strip().rstrip(";").strip(), params)

    def ensure_schema(self) -> None:
        """Create the constraints and indexes (once per store object)."""
        if self._schema_ready:
            return
        from neo4j.exceptions import Neo4jError

        for statement in self.dialect.schema:
            try:
                with self._session() as session:
                    session.execute_write(lambda tx, q=statement: tx.run(q).consume())
            except Neo4jError:
                if not self.dialect.schema_may_fail:
                    with self._errors():
                        raise
            except Exception:
                with self._errors():
                    raise
        self._schema_ready = True

    def clear(self) -> None:
        """Delete every node and relationship."""
        self._write(lambda run: run(cypher.CLEAR))

    # -- the Store interface ---------------------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        return bool(self._read(cypher.HAS_DOCUMENT, {"id": doc_id}))

    def add(self, extraction: Extraction) -> bool:
        document = extraction.document
        if self.has_document(document.id):
            return False
        self.ensure_schema()
        plan = _Plan.of(extraction)
        missing = sorted(plan.endpoints - set(plan.actors))
        if missing:
            found = {row["id"] for row in self._read(cypher.EXISTING_ACTORS, {"ids": missing})}
            unknown = [m for m in missing if m not in found]
            if unknown:
                raise StoreError(
                    f"document {document.key}: relation endpoint(s) not among its actors or the store: "
                    + ", ".join(unknown)
                )
        self._write(lambda run: self._write_plan(run, plan))
        return True

    def _batches(self, run: Callable[..., Any], query: str, rows: list[dict[str, Any]], *,
                 long_field: str | None = None, append_query: str | None = None,
                 extra: Mapping[str, Any] | None = None) -> None:
        batches, appends = self.dialect.pack(query, rows, batch_size=self.batch_size, long_field=long_field,
                                             append_query=append_query)
        for batch in batches:
            run(query, {"rows": batch, **(extra or {})})
        for params in appends:
            run(append_query, params)

    def _write_plan(self, run: Callable[..., Any], plan: _Plan) -> None:
        # Actors, relationships and evidence first; the document is complete only with its last write.
        self._batches(run, cypher.MERGE_ACTORS, list(plan.actors.values()))
        by_type: dict[str, list[str]] = defaultdict(list)
        for row in plan.actors.values():
            by_type[row["type"]].append(row["id"])
        for actor_type, ids in by_type.items():
            statement = cypher.LABEL_ACTORS.get(actor_type)
            if statement:
                for i in range(0, len(ids), self.dialect.batch_size(self.batch_size)):
                    chunk = ids[i:i + self.dialect.batch_size(self.batch_size)]
                    run(statement, {"ids": chunk, "type": actor_type})
        for kind, rows in plan.relationships.items():
            self._batches(run, cypher.MERGE_RELATIONSHIPS[kind], rows)
        doc = plan.document
        run(cypher.MERGE_DOCUMENT_STUB, {"id": doc.id, "key": doc.key})
        self._batches(run, cypher.MERGE_EVIDENCE, plan.evidence, long_field="sentence",
                      append_query=cypher.APPEND_EVIDENCE_SENTENCE)
        for kind, rows in plan.relationships.items():
            keys = [{"source": r["source"], "target": r["target"], "key": r["key"]} for r in rows]
            self._batches(run, cypher.AGGREGATE_RELATIONSHIPS[kind], keys)
        fixed = {"id": doc.id, "key": doc.key, "title": doc.title, "source": doc.source, "date": doc.date}
        first, *rest = self.dialect.split_text(cypher.SET_DOCUMENT, doc.text, fixed)
        run(cypher.SET_DOCUMENT, {**fixed, "text": first})
        for chunk in rest:
            run(cypher.APPEND_DOCUMENT_TEXT, {"id": doc.id, "chunk": chunk})
        run(cypher.COMMIT_DOCUMENT, {"id": doc.id, "ingested_at": plan.ingested_at})

    def documents(self) -> list[Document]:
        return [
            Document(id=r["id"], key=r["key"], text=r["text"] or "", title=r["title"], source=r["source"],
                     date=r["date"], ingested_at=r["ingested_at"])
            for r in self._read(cypher.DOCUMENTS)
        ]

    def actors(self) -> list[Actor]:
        return [
            Actor(id=r["id"], name=r["name"], type=r["type"], aliases=tuple(sorted(set(r["aliases"] or ()))),
                  affiliation=r["affiliation"], role=r["role"])
            for r in self._read(cypher.ACTORS)
        ]

    def relations(self) -> list[Relation]:
        return [
            Relation(
                source=r["source"], target=r["target"], type=r["type"],
                evidence=Evidence(r["document"], r["sentence"] or "", int(r["start"]), int(r["end"])),
                modality=r["modality"], negated=bool(r["negated"]), attribution=r["attribution"],
                confidence=float(r["confidence"]), trigger=r["trigger"] or "", role=r["role"],
            )
            for r in self._read(cypher.RELATIONS)
        ]

    def evidence(self, key: str) -> list[dict[str, Any]]:
        """The evidence of one relationship (by its ``key``), with one query, sorted by document and offset."""
        return self._read(cypher.EVIDENCE, {"key": key})

    def counts(self) -> dict[str, int]:
        return {
            "documents": self._read(cypher.COUNT_DOCUMENTS)[0]["n"],
            "actors": self._read(cypher.COUNT_ACTORS)[0]["n"],
            "relations": self._read(cypher.COUNT_RELATIONS)[0]["n"],
        }


class _AuthRefused(Exception):
    pass


def _connect(uri: str, username: str, password: str | None, timeout: float) -> Any:
    """An open, verified driver; raises _AuthRefused or StoreUnavailableError."""
    import neo4j
    from neo4j.exceptions import AuthError, ConfigurationError, DriverError, Neo4jError

    auth = (username, password) if password else None
    try:
        driver = neo4j.GraphDatabase.driver(
            uri, auth=auth, connection_timeout=timeout, max_transaction_retry_time=timeout,
            connection_acquisition_timeout=timeout,
        )
    except (ConfigurationError, ValueError) as exc:
        raise StoreUnavailableError(f"cannot use Neo4j URI {uri}: {_one_line(exc)}") from None
    try:
        driver.verify_connectivity()
    except AuthError:
        driver.close()
        raise _AuthRefused() from None
    except Neo4jError as exc:
        driver.close()
        if exc.code and ".Security." in exc.code:
            raise _AuthRefused() from None
        raise StoreUnavailableError(f"cannot reach Neo4j at {uri}: {_one_line(exc.message or exc)}") from None
    except (DriverError, OSError) as exc:
        driver.close()
        raise StoreUnavailableError(f"cannot reach Neo4j at {uri}: {_reason(exc)}") from None
    return driver


class _Plan:
    """The rows one document writes."""

    def __init__(self) -> None:
        self.document: Document
        self.ingested_at = ""
        self.actors: dict[str, dict[str, Any]] = {}
        self.endpoints: set[str] = set()
        self.relationships: dict[str, list[dict[str, Any]]] = {}
        self.evidence: list[dict[str, Any]] = []

    @classmethod
    def of(cls, extraction: Extraction) -> _Plan:
        plan = cls()
        doc = extraction.document
        plan.ingested_at = doc.ingested_at or datetime.now(UTC).isoformat(timespec="seconds")
        plan.document = doc
        day = document_day(Document(id=doc.id, key=doc.key, text="", date=doc.date, ingested_at=plan.ingested_at))
        for actor in extraction.actors:
            row = plan.actors.get(actor.id)
            if row is None:
                plan.actors[actor.id] = {
                    "id": actor.id, "name": actor.name, "type": actor.type, "aliases": sorted(set(actor.aliases)),
                    "affiliation": actor.affiliation, "role": actor.role,
                }
            else:
                row["aliases"] = sorted(set(row["aliases"]) | set(actor.aliases))
                for field in ("affiliation", "role"):
                    row[field] = row[field] or getattr(actor, field)
        groups: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        for i, rel in enumerate(extraction.relations):
            if rel.type not in EDGE_KINDS:
                raise StoreError(f"document {doc.key}: unknown relation type {rel.type!r}")
            plan.endpoints.update((rel.source, rel.target))
            key = relation_key(rel.source, rel.type, rel.target, bool(rel.negated))
            groups[rel.type].setdefault(key, {
                "source": rel.source, "target": rel.target, "key": key, "type": rel.type,
                "negated": bool(rel.negated),
            })
            ev = rel.evidence
            plan.evidence.append({
                "id": f"{doc.id}:{i}", "relation": key, "source": rel.source, "target": rel.target,
                "type": rel.type, "negated": bool(rel.negated), "document": doc.key, "doc_id": doc.id,
                "sentence": ev.sentence, "start": int(ev.start), "end": int(ev.end), "modality": rel.modality,
                "attribution": rel.attribution, "confidence": float(rel.confidence), "trigger": rel.trigger,
                "role": rel.role, "date": day,
            })
        plan.relationships = {kind: list(rows.values()) for kind, rows in groups.items()}
        return plan


__all__ = ["Neo4jStore", "relation_key"]
