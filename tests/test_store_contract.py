"""The Store contract every back-end passes.

``StoreContract`` is a mixin: a back-end's test class inherits it and provides a ``store`` fixture that yields an
empty store of that kind, e.g. ``class TestNeo4jContract(StoreContract)`` in another module
(``from test_store_contract import StoreContract``). Records are built with the helpers below.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import networkx as nx
import pytest

from graphkit.errors import StoreError
from graphkit.graph import build_graph
from graphkit.records import (
    AFFILIATION,
    Actor,
    Document,
    Evidence,
    Extraction,
    Relation,
    content_hash,
)
from graphkit.store.base import Store
from graphkit.store.sqlite import SQLiteStore

# -- record helpers (self-contained, importable by other back-ends' tests) ---------------------------------


@dataclass(frozen=True)
class Stmt:
    """One statement to put in a test document; its sentence is generated unless given."""

    source: str
    target: str
    type: str = "supports"
    negated: bool = False
    modality: str = "asserted"
    attribution: str | None = None
    confidence: float = 1.0
    trigger: str = ""
    role: str | None = None
    sentence: str | None = None


def make_actor(actor_id: str, name: str | None = None, type: str = "country", *, aliases: Sequence[str] = (),
               affiliation: str | None = None, role: str | None = None) -> Actor:
    """An actor; the name defaults to the id in title case."""
    return Actor(id=actor_id, name=name or actor_id.replace("-", " ").title(), type=type,
                 aliases=tuple(aliases), affiliation=affiliation, role=role)


def make_extraction(key: str, statements: Iterable[Stmt] = (), *, actors: Iterable[Actor] = (),
                    date: str | None = None, title: str | None = None, source: str | None = None,
                    extra_text: str = "", auto_actors: bool = True) -> Extraction:
    """A document whose text is the statements' sentences (plus ``extra_text``), with exact evidence offsets.

    With ``auto_actors`` every endpoint not among ``actors`` is added as a country named after its id.
    """
    statements = list(statements)
    actors = list(actors)
    parts: list[str] = []
    spans: list[tuple[str, int, int]] = []
    pos = 0
    for i, st in enumerate(statements):
        sentence = st.sentence or f"{st.source} {'not ' if st.negated else ''}{st.type} {st.target} ({key} #{i})."
        if parts:
            parts.append(" ")
            pos += 1
        spans.append((sentence, pos, pos + len(sentence)))
        parts.append(sentence)
        pos += len(sentence)
    text = " ".join(t for t in ("".join(parts), extra_text) if t) or f"Empty document {key}."
    document = Document(id=content_hash(text), key=key, text=text, title=title, source=source, date=date)
    relations = tuple(
        Relation(source=st.source, target=st.target, type=st.type, evidence=Evidence(key, sentence, start, end),
                 modality=st.modality, negated=st.negated, attribution=st.attribution,
                 confidence=st.confidence, trigger=st.trigger, role=st.role)
        for st, (sentence, start, end) in zip(statements, spans, strict=True)
    )
    if auto_actors:
        known = {a.id for a in actors}
        for st in statements:
            for end in (st.source, st.target):
                if end not in known:
                    actors.append(make_actor(end))
                    known.add(end)
    return Extraction(document=document, actors=tuple(actors), relations=relations)


def relation_set(relations: Iterable[Relation]) -> set[Relation]:
    return set(relations)


def edge_of(graph: nx.MultiDiGraph, source: str, target: str, key: str) -> dict:
    assert graph.has_edge(source, target, key), f"missing edge {source} -{key}-> {target}"
    return graph.edges[source, target, key]


# -- the contract ----------------------------------------------------------------------------------------


class StoreContract:
    """Behaviour every Store must show. Subclasses provide ``store``: a fresh, empty store."""

    @pytest.fixture
    def store(self) -> Iterator[Store]:  # pragma: no cover - always overridden
        raise NotImplementedError("a StoreContract subclass must provide the store fixture")

    def test_empty_store(self, store: Store) -> None:
        assert store.counts() == {"documents": 0, "actors": 0, "relations": 0}
        assert store.documents() == [] and store.actors() == [] and store.relations() == []
        assert store.graph().number_of_nodes() == 0

    def test_add_then_readd_is_idempotent(self, store: Store) -> None:
        ex = make_extraction("a.txt", [Stmt("france", "libya"), Stmt("egypt", "libya", "backs")])
        assert not store.has_document(ex.document.id)
        assert store.add(ex) is True
        assert store.has_document(ex.document.id)
        before = (store.counts(), sorted(store.actors(), key=lambda a: a.id), relation_set(store.relations()))
        assert before[0] == {"documents": 1, "actors": 3, "relations": 2}
        # Same text under another key, with other actors/aliases: nothing changes.
        again = Extraction(
            document=Document(id=ex.document.id, key="other-key", text=ex.document.text, date="2001-01-01"),
            actors=(make_actor("france", aliases=("République",), role="x"), make_actor("chad")),
            relations=ex.relations,
        )
        assert store.add(again) is False
        assert store.add(ex) is False
        after = (store.counts(), sorted(store.actors(), key=lambda a: a.id), relation_set(store.relations()))
        assert after == before
        assert [d.key for d in store.documents()] == ["a.txt"]

    def test_add_many_counts_new_documents(self, store: Store) -> None:
        one = make_extraction("1", [Stmt("a", "b")])
        two = make_extraction("2", [Stmt("b", "c", "opposes")])
        assert store.add_many([one, two, one]) == 2
        assert store.add_many([two]) == 0
        assert store.counts()["documents"] == 2

    def test_documents_round_trip(self, store: Store) -> None:
        ex = make_extraction("news/1.txt", [Stmt("russia", "syria")], date="2019-04-05",
                             title="Moscow and Damascus", source="Reuters", extra_text="Ünïcode — text.")
        store.add(ex)
        (doc,) = store.documents()
        assert (doc.id, doc.key, doc.text, doc.title, doc.source, doc.date) == (
            ex.document.id, "news/1.txt", ex.document.text, "Moscow and Damascus", "Reuters", "2019-04-05")
        assert doc.ingested_at, "the store sets ingested_at"
        datetime.fromisoformat(doc.ingested_at)

    def test_actors_merge_by_id(self, store: Store) -> None:
        first = make_extraction("1", [Stmt("khalifa-haftar", "libya")], actors=[
            make_actor("khalifa-haftar", "Khalifa Haftar", "person", aliases=("Haftar",)),
        ])
        second = make_extraction("2", [Stmt("khalifa-haftar", "egypt", "meets")], actors=[
            make_actor("khalifa-haftar", "Field Marshal Haftar", "armed_group", aliases=("Khalifa Hafter", "Haftar"),
                       affiliation="lna", role="commander"),
            make_actor("lna", "Libyan National Army", "armed_group"),
        ])
        third = make_extraction("3", [Stmt("khalifa-haftar", "chad", "meets")], actors=[
            make_actor("khalifa-haftar", "Haftar", "person", aliases=("General Haftar",),
                       affiliation="egypt", role="marshal"),
        ])
        for ex in (first, second, third):
            assert store.add(ex)
        actors = {a.id: a for a in store.actors()}
        assert set(actors) == {"khalifa-haftar", "libya", "egypt", "lna", "chad"}
        haftar = actors["khalifa-haftar"]
        assert haftar.name == "Khalifa Haftar"
        assert haftar.type == "person"
        assert set(haftar.aliases) == {"Haftar", "Khalifa Hafter", "General Haftar"}
        assert len(haftar.aliases) == 3
        assert haftar.affiliation == "lna" and haftar.role == "commander"
        assert actors["lna"].name == "Libyan National Army"

    def test_relations_and_evidence_round_trip(self, store: Store) -> None:
        ex = make_extraction("gulf.jsonl#7", [
            Stmt("saudi-arabia", "yemen", "backs", modality="hedged", attribution="the Independent",
                 confidence=0.75, trigger="backed"),
            Stmt("iran", "saudi-arabia", "pressures", negated=True, trigger="pressure", confidence=0.5),
            Stmt("adel-al-jubeir", "saudi-arabia", AFFILIATION, role="foreign minister", trigger="minister"),
            Stmt("iran", "yemen", "supports", modality="claimed", attribution="Tehran"),
        ], date="2018-11-02")
        store.add(ex)
        stored = store.relations()
        assert relation_set(stored) == set(ex.relations)
        assert len(stored) == 4
        text = ex.document.text
        for rel in stored:
            assert rel.evidence.document == "gulf.jsonl#7"
            assert text[rel.evidence.start:rel.evidence.end] == rel.evidence.sentence
            assert isinstance(rel.negated, bool) and isinstance(rel.confidence, float)

    def test_same_statement_in_two_documents(self, store: Store) -> None:
        store.add(make_extraction("1", [Stmt("turkey", "qatar")]))
        store.add(make_extraction("2", [Stmt("turkey", "qatar")]))
        assert store.counts() == {"documents": 2, "actors": 2, "relations": 2}
        edge = edge_of(store.graph(), "turkey", "qatar", "supports")
        assert edge["weight"] == 2 and edge["documents"] == 2
        assert [e["document"] for e in edge["evidence"]] == ["1", "2"]

    def test_relation_to_stored_actor_is_accepted(self, store: Store) -> None:
        store.add(make_extraction("1", [Stmt("uae", "lna")]))
        late = make_extraction("2", [Stmt("uae", "lna", "backs")], auto_actors=False)
        assert store.add(late) is True
        assert store.counts() == {"documents": 2, "actors": 2, "relations": 2}

    def test_unknown_endpoint_is_rejected_and_nothing_changes(self, store: Store) -> None:
        store.add(make_extraction("1", [Stmt("qatar", "turkey")]))
        before = (store.counts(), sorted(store.actors(), key=lambda a: a.id), relation_set(store.relations()))
        bad = make_extraction("2", [Stmt("qatar", "turkey", "meets"), Stmt("qatar", "ghost-actor", "backs")],
                              actors=[make_actor("qatar", aliases=("Doha",)), make_actor("sudan")],
                              auto_actors=False)
        with pytest.raises(StoreError, match="ghost-actor"):
            store.add(bad)
        assert not store.has_document(bad.document.id)
        after = (store.counts(), sorted(store.actors(), key=lambda a: a.id), relation_set(store.relations()))
        assert after == before

    def test_counts(self, store: Store) -> None:
        store.add(make_extraction("1", [Stmt("a", "b"), Stmt("b", "c"), Stmt("a", "b", "meets")]))
        store.add(make_extraction("2", [Stmt("a", "d")], actors=[make_actor("lonely")]))
        assert store.counts() == {"documents": 2, "actors": 5, "relations": 4}
        assert store.counts() == {
            "documents": len(store.documents()), "actors": len(store.actors()), "relations": len(store.relations()),
        }

    def test_graph_follows_the_spec(self, store: Store) -> None:
        store.add(make_extraction("a", [
            Stmt("russia", "syria", "backs", modality="hedged", confidence=0.6),
            Stmt("russia", "syria", "backs", negated=True),
            Stmt("sergei-lavrov", "russia", AFFILIATION, role="foreign minister"),
            Stmt("russia", "turkey", "meets", modality="planned"),
        ], actors=[make_actor("russia", "Russia", aliases=("Moscow", "Kremlin")),
                   make_actor("sergei-lavrov", "Sergei Lavrov", "person", affiliation="russia",
                              role="foreign minister")],
            date="2019-03-01"))
        store.add(make_extraction("b", [
            Stmt("russia", "syria", "backs", confidence=0.9, attribution="TASS"),
            Stmt("russia", "turkey", "meets", modality="planned"),
        ], date="2019-05-20"))
        g = store.graph()
        assert isinstance(g, nx.MultiDiGraph)
        assert set(g.nodes) == {"russia", "syria", "turkey", "sergei-lavrov"}
        russia = g.nodes["russia"]
        assert russia["name"] == russia["label"] == "Russia"
        assert russia["type"] == "country" and russia["aliases"] == ["Kremlin", "Moscow"]
        lavrov = g.nodes["sergei-lavrov"]
        assert (lavrov["affiliation"], lavrov["role"], lavrov["type"]) == ("russia", "foreign minister", "person")
        assert set(g.edges(keys=True)) == {
            ("russia", "syria", "backs"), ("russia", "syria", "not_backs"),
            ("sergei-lavrov", "russia", AFFILIATION), ("russia", "turkey", "meets"),
        }
        backs = edge_of(g, "russia", "syria", "backs")
        assert backs["type"] == backs["label"] == "backs" and backs["negated"] is False
        assert backs["modality"] == "asserted"
        assert backs["modalities"] == {"asserted": 1, "hedged": 1}
        assert (backs["weight"], backs["documents"]) == (2, 2)
        assert backs["confidence"] == pytest.approx(0.9)
        assert (backs["first_seen"], backs["last_seen"]) == ("2019-03-01", "2019-05-20")
        assert [(e["document"], e["modality"], e["attribution"]) for e in backs["evidence"]] == [
            ("a", "hedged", None), ("b", "asserted", "TASS")]
        assert backs["role"] is None
        not_backs = edge_of(g, "russia", "syria", "not_backs")
        assert not_backs["negated"] is True and not_backs["type"] == "backs" and not_backs["weight"] == 1
        meets = edge_of(g, "russia", "turkey", "meets")
        assert meets["modality"] == "planned" and meets["modalities"] == {"planned": 2}
        aff = edge_of(g, "sergei-lavrov", "russia", AFFILIATION)
        assert aff["role"] == "foreign minister"
        for ev in backs["evidence"]:
            assert set(ev) >= {"document", "sentence", "start", "end", "modality", "attribution"}
        # The store's graph is the pure function of its records.
        expected = build_graph(store.actors(), store.relations(), store.documents())
        assert sorted(g.edges(keys=True, data=True)) == sorted(expected.edges(keys=True, data=True))
        assert dict(g.nodes(data=True)) == dict(expected.nodes(data=True))

    def test_documents_with_and_without_dates(self, store: Store) -> None:
        store.add(make_extraction("dated", [Stmt("iran", "iraq")], date="2017-06-30"))
        store.add(make_extraction("undated", [Stmt("iran", "iraq")]))
        docs = {d.key: d for d in store.documents()}
        assert docs["dated"].date == "2017-06-30" and docs["undated"].date is None
        edge = edge_of(store.graph(), "iran", "iraq", "supports")
        ingest_day = docs["undated"].ingested_at[:10]
        assert edge["first_seen"] == min("2017-06-30", ingest_day)
        assert edge["last_seen"] == max("2017-06-30", ingest_day)
        window = build_graph(store.actors(), store.relations(), store.documents(),
                             since="2017-01-01", until="2017-12-31")
        assert edge_of(window, "iran", "iraq", "supports")["weight"] == 1

    def test_context_manager(self, store: Store) -> None:
        with store as s:
            assert s is store
            s.add(make_extraction("1", [Stmt("a", "b")]))


class TestSQLiteContract(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[Store]:
        s = SQLiteStore(tmp_path / "graph.db")
        yield s
        s.close()
