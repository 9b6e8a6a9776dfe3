"""A self-contained Cypher script that loads a graph into an empty Neo4j (cypher-shell or Neo4j Browser).

The script needs no parameters: every value is written as an escaped Cypher literal. One statement per line,
each ending with ``;``; the constraints come first. The graph is the networkx MultiDiGraph of graphkit.graph.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from contextlib import nullcontext
from typing import IO, Any

import networkx as nx

from ..errors import ExportError
from ..records import EDGE_KINDS
from . import cypher

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def literal(value: Any) -> str:
    """A Cypher literal for a string, number, bool, None, list or dict."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return "null"
        return repr(value)
    if isinstance(value, str):
        return "'" + "".join(_escape_char(ch) for ch in value) + "'"
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return "[" + ", ".join(literal(v) for v in items) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_name(str(k))}: {literal(v)}" for k, v in value.items()) + "}"
    return literal(str(value))


def _escape_char(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if ord(ch) < 0x20 or ord(ch) == 0x7F:
        return f"\\u{ord(ch):04x}"
    return ch


def _name(name: str) -> str:
    return name if _IDENTIFIER.match(name) else "`" + name.replace("`", "``") + "`"


def _key(source: str, type_: str, target: str, negated: bool) -> str:
    return f"{source}|{type_}|{target}|{'negated' if negated else 'affirmed'}"


def iter_statements(graph: nx.MultiDiGraph) -> Iterator[str]:
    """The script's statements (without the ``;``), constraints first."""
    yield from cypher.SCHEMA.values()
    for node, data in sorted(graph.nodes(data=True), key=lambda item: str(item[0])):
        label = cypher.TYPE_LABELS.get(data.get("type") or "")
        props = {
            "name": data.get("name", str(node)),
            "type": data.get("type"),
            "aliases": sorted(data.get("aliases") or ()),
            "affiliation": data.get("affiliation"),
            "role": data.get("role"),
        }
        set_label = f"a:{label}, " if label else ""
        yield f"MERGE (a:Actor {{id: {literal(str(node))}}}) SET {set_label}a += {literal(props)}"
    documents = sorted({str(ev["document"]) for _, _, data in graph.edges(data=True)
                        for ev in data.get("evidence") or ()})
    for key in documents:
        yield f"MERGE (d:Document {{id: {literal(key)}}}) SET d.key = {literal(key)}"
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1]),
                                                                             str(e[2].get("type")),
                                                                             bool(e[2].get("negated")))):
        kind = data.get("type")
        if kind not in EDGE_KINDS:
            raise ExportError(f"edge {source} -> {target} has an unknown type {kind!r}")
        negated = bool(data.get("negated"))
        key = _key(str(source), kind, str(target), negated)
        modalities = data.get("modalities") or {}
        props = {
            "type": kind,
            "negated": negated,
            "modality": data.get("modality"),
            "modalities": sorted(modalities) if isinstance(modalities, dict) else sorted(set(modalities)),
            "weight": data.get("weight"),
            "documents": data.get("documents"),
            "confidence": data.get("confidence"),
            "first_seen": data.get("first_seen"),
            "last_seen": data.get("last_seen"),
            "role": data.get("role"),
        }
        yield (
            f"MATCH (a:Actor {{id: {literal(str(source))}}}) MATCH (b:Actor {{id: {literal(str(target))}}}) "
            f"MERGE (a)-[r:{cypher.rel_type(kind)} {{key: {literal(key)}}}]->(b) SET r += {literal(props)}"
        )
        for i, ev in enumerate(data.get("evidence") or ()):
            props = {
                "relation": key, "source": str(source), "target": str(target), "type": kind, "negated": negated,
                "document": str(ev["document"]), "sentence": ev.get("sentence"), "start": ev.get("start"),
                "end": ev.get("end"), "modality": ev.get("modality"), "attribution": ev.get("attribution"),
            }
            yield (
                f"MATCH (d:Document {{id: {literal(str(ev['document']))}}}) "
                f"MERGE (e:Evidence {{id: {literal(f'{key}#{i}')}}}) SET e += {literal(props)} "
                "MERGE (e)-[:FROM]->(d)"
            )


def write_cypher_script(graph: nx.MultiDiGraph, out: str | os.PathLike[str] | IO[str]) -> int:
    """Write the script to a path or an open text file; the number of statements written."""
    count = 0
    try:
        ctx = open(out, "w", encoding="utf-8", newline="\n") if isinstance(out, str | os.PathLike) \
            else nullcontext(out)
        with ctx as fh:
            fh.write("// graphkit graph: run with cypher-shell -f FILE (or paste into Neo4j Browser)\n")
            for statement in iter_statements(graph):
                fh.write(statement + ";\n")
                count += 1
    except OSError as exc:
        raise ExportError(f"cannot write Cypher script {out}: {exc.strerror or exc}") from None
    return count


__all__ = ["iter_statements", "literal", "write_cypher_script"]
