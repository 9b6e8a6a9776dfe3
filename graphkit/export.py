"""Exports of the graph: node-link JSON, GraphML (for Gephi and friends) and a Cypher script."""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

import networkx as nx

from .errors import ExportError

EXPORT_FORMATS: tuple[str, ...] = ("json", "graphml", "cypher")

Out = str | os.PathLike[str] | IO[str] | IO[bytes]


@contextmanager
def open_output(out: Out) -> Iterator[IO[str]]:
    """A text stream for ``out``: an open file is used as is (binary ones get a UTF-8 wrapper), a path is opened
    as UTF-8 and closed afterwards (like networkx's ``open_file`` decorator)."""
    if hasattr(out, "write"):
        binary = isinstance(out, io.RawIOBase | io.BufferedIOBase) or "b" in str(getattr(out, "mode", ""))
        if isinstance(out, io.TextIOBase) or not binary:
            yield out  # type: ignore[misc]
            return
        wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="\n")  # type: ignore[arg-type]
        try:
            yield wrapper
            wrapper.flush()
        finally:
            wrapper.detach()
        return
    try:
        fh = open(out, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise ExportError(f"cannot write {os.fspath(out)}: {exc.strerror or exc}") from None
    try:
        yield fh
    finally:
        fh.close()


def write_text(text: str, out: Out) -> None:
    """Write ``text`` to a path or an open file; OS errors become ExportError."""
    with open_output(out) as fh:
        try:
            fh.write(text)
        except OSError as exc:
            raise ExportError(f"cannot write export: {exc.strerror or exc}") from None


# -- JSON --------------------------------------------------------------------------------------------------


def _sorted_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with nodes and edges in a stable order (by id; by source, target, key)."""
    ordered = nx.MultiDiGraph()
    ordered.graph.update(graph.graph)
    for node in sorted(graph.nodes, key=str):
        ordered.add_node(node, **graph.nodes[node])
    for u, v, k, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))):
        ordered.add_edge(u, v, key=k, **data)
    return ordered


def to_json(graph: nx.MultiDiGraph) -> str:
    """Node-link JSON (edges under "edges"), deterministic, indented, UTF-8 text; ids lead each record."""
    data = nx.node_link_data(_sorted_graph(graph), edges="edges")
    data["nodes"] = [{"id": n["id"], **{k: v for k, v in n.items() if k != "id"}} for n in data["nodes"]]
    lead = ("source", "target", "key")
    data["edges"] = [
        {**{k: e[k] for k in lead if k in e}, **{k: v for k, v in e.items() if k not in lead}} for e in data["edges"]
    ]
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


# -- GraphML -----------------------------------------------------------------------------------------------


#: Characters XML 1.0 cannot carry (C0 controls other than tab, newline and carriage return).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _graphml_value(name: str, value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _XML_INVALID.sub(" ", value)
    if isinstance(value, int):
        return float(value) if name == "weight" else value
    if isinstance(value, float):
        return value
    if name == "aliases" and isinstance(value, list | tuple | set):
        return _XML_INVALID.sub(" ", "; ".join(str(v) for v in value))
    return json.dumps(value, ensure_ascii=False, default=str)


def _graphml_attrs(data: dict[str, Any]) -> dict[str, Any]:
    return {k: _graphml_value(k, v) for k, v in data.items() if v is not None}


def graphml_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph with GraphML-friendly attributes: scalars only, no None, labels and a double weight.

    Edge ids must be unique in GraphML, so each edge is keyed ``<source>--<key>--<target>`` and its graphkit key
    is kept in the ``edge_key`` attribute.
    """
    out = nx.MultiDiGraph()
    for node in sorted(graph.nodes, key=str):
        data = dict(graph.nodes[node])
        data.setdefault("label", data.get("name", str(node)))
        out.add_node(str(node), **_graphml_attrs(data))
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    for u, v, k, data in edges:
        data = dict(data)
        data.setdefault("label", data.get("type", str(k)))
        data["weight"] = float(data.get("weight", 1.0) or 0.0)
        data["edge_key"] = str(k)
        out.add_edges_from([(str(u), str(v), f"{u}--{k}--{v}", _graphml_attrs(data))])
    return out


def to_graphml(graph: nx.MultiDiGraph) -> str:
    """GraphML text that validates against the GraphML schema and opens in Gephi (booleans as true/false)."""
    from xml.etree.ElementTree import tostring

    from networkx.readwrite.graphml import GraphMLWriter

    writer = GraphMLWriter(prettyprint=True, encoding="utf-8")
    writer.add_graph_element(graphml_graph(graph))
    booleans = {
        key.get("id") for key in writer.xml.iter("key") if key.get("attr.type") == "boolean"
    }
    for data in writer.xml.iter("data"):
        if data.get("key") in booleans and data.text:
            data.text = data.text.lower()
    writer.indent(writer.xml)
    body = tostring(writer.xml, encoding="unicode").rstrip("\n")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'


def write_json(graph: nx.MultiDiGraph, out: Out) -> None:
    """Write node-link JSON to a path or an open file."""
    write_text(to_json(graph), out)


def write_graphml(graph: nx.MultiDiGraph, out: Out) -> None:
    """Write GraphML to a path or an open file."""
    write_text(to_graphml(graph), out)


def write_cypher(graph: nx.MultiDiGraph, out: Out) -> None:
    """A Cypher script that recreates the graph (written by graphkit.store.cypher_script)."""
    from .store.cypher_script import write_cypher_script

    write_cypher_script(graph, out)


WRITERS: dict[str, Callable[[nx.MultiDiGraph, Out], None]] = {
    "json": write_json,
    "graphml": write_graphml,
    "cypher": write_cypher,
}


def export_graph(graph: nx.MultiDiGraph, fmt: str, out: Out | None = None) -> str | None:
    """Write ``graph`` as ``fmt`` to ``out`` (a path or an open file); with no ``out``, return the text."""
    fmt = (fmt or "").lower()
    if fmt not in WRITERS:
        raise ExportError(f"unknown export format {fmt!r} (choose one of {', '.join(EXPORT_FORMATS)})")
    if out is None:
        buffer = io.StringIO()
        WRITERS[fmt](graph, buffer)
        return buffer.getvalue()
    WRITERS[fmt](graph, out)
    return None


__all__ = ["EXPORT_FORMATS", "export_graph", "graphml_graph", "to_graphml", "to_json",
           "write_cypher", "write_graphml", "write_json", "write_text"]
