"""graphkit.push: copying a SQLite store into Neo4j (a real Bolt server) and back, document by document."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_store_contract import Stmt, make_actor, make_extraction

from graphkit.push import extractions, push
from graphkit.records import AFFILIATION
from graphkit.store.neo4j import Neo4jStore
from graphkit.store.sqlite import SQLiteStore

pytestmark = pytest.mark.neo4j


def _fill(store) -> list:
    exs = [
        make_extraction("a.txt", [
            Stmt("sergei-lavrov", "russia", AFFILIATION, role="foreign minister"),
            Stmt("russia", "syria", "backs", modality="hedged", attribution="it's TASS", confidence=0.5),
        ], actors=[make_actor("sergei-lavrov", "Sergei Lavrov", "person", aliases=("Lavrov",),
                              affiliation="russia", role="foreign minister"),
                   make_actor("russia", "Russia", aliases=("Moscow",))], date="2019-02-03", title="One"),
        make_extraction("b.txt", [Stmt("sergei-lavrov", "turkey", "meets", modality="planned"),
                                  Stmt("russia", "syria", "backs", negated=True)],
                        actors=[make_actor("lonely-actor", "Lonely", "group")], source="Reuters"),
        make_extraction("c.txt", [Stmt("turkey", "syria", "opposes", sentence="Turkey's \\ long " + "x" * 5000)]),
    ]
    for ex in exs:
        assert store.add(ex)
    return exs


def _snapshot(store):
    g = store.graph()
    docs = sorted((d.id, d.key, d.text, d.title, d.source, d.date, d.ingested_at) for d in store.documents())
    return (docs, sorted(store.actors(), key=lambda a: a.id), set(store.relations()),
            sorted(g.edges(keys=True, data=True)), dict(g.nodes(data=True)))


def test_push_sqlite_into_neo4j_and_back(tmp_path: Path, neo4j_store: Neo4jStore) -> None:
    with SQLiteStore(tmp_path / "src.db") as source:
        _fill(source)
        progress: list[tuple[int, int, str, bool]] = []
        assert push(source, neo4j_store, on_progress=lambda i, n, d, added: progress.append((i, n, d.key, added))) == 3
        assert progress == [(1, 3, "a.txt", True), (2, 3, "b.txt", True), (3, 3, "c.txt", True)]
        assert push(source, neo4j_store) == 0
        expected = _snapshot(source)
    assert _snapshot(neo4j_store) == expected
    assert "lonely-actor" in {a.id for a in neo4j_store.actors()}
    with SQLiteStore(tmp_path / "back.db") as back:
        assert push(neo4j_store, back) == 3
        assert _snapshot(back) == expected


def test_push_skips_documents_already_there(tmp_path: Path, neo4j_store: Neo4jStore) -> None:
    with SQLiteStore(tmp_path / "src.db") as source:
        exs = _fill(source)
        neo4j_store.add(exs[1])
        assert push(source, neo4j_store) == 2
        assert neo4j_store.counts() == source.counts()


def test_extractions_carry_what_each_document_needs(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "src.db") as source:
        _fill(source)
        rebuilt = {ex.document.key: ex for ex in extractions(source)}
    assert list(rebuilt) == ["a.txt", "b.txt", "c.txt"]
    assert {a.id for a in rebuilt["a.txt"].actors} == {"sergei-lavrov", "russia", "syria", "lonely-actor"}
    assert {a.id for a in rebuilt["c.txt"].actors} == {"turkey", "syria"}
    assert len(rebuilt["b.txt"].relations) == 2
    assert all(r.evidence.document == "b.txt" for r in rebuilt["b.txt"].relations)
