"""Cross-document actor resolution over real extractions and a real SQLite store."""

from __future__ import annotations

from graphkit.extract import extract
from graphkit.records import Actor, Document, Evidence, Extraction, Relation
from graphkit.resolve import ActorResolver, surname
from graphkit.store.sqlite import SQLiteStore


def _ex(key: str, actors: list[Actor], rels: list[tuple[str, str, str]]) -> Extraction:
    ev = Evidence(key, "s.", 0, 2)
    return Extraction(Document(id=key * 8, key=key, text=key),
                      tuple(actors), tuple(Relation(s, t, k, ev) for s, t, k in rels))


def test_surnames_strip_arabic_articles():
    assert surname("Fayez al-Serraj") == "serraj"
    assert surname("Haftar") == "haftar"


def test_surname_in_a_later_article_joins_the_full_name(nlp, tmp_path):
    store = SQLiteStore(tmp_path / "g.db")
    resolver = ActorResolver(store.actors())
    for i, text in enumerate(["Egypt backs General Khalifa Haftar.", "Russia also supports Haftar."]):
        ex = resolver.resolve(extract(text, nlp=nlp, key=f"doc{i}"))
        store.add(ex)
        resolver.learn(ex)
    graph = store.graph()
    assert {"egypt", "russia"} <= set(graph.predecessors("khalifa-haftar"))
    assert "haftar" not in graph
    assert "Haftar" in graph.nodes["khalifa-haftar"]["aliases"]


def test_spelling_variants_merge_but_other_first_names_do_not():
    known = [Actor("sergei-shoigu", "Sergei Shoigu", "person", affiliation="russia"),
             Actor("bill-clinton", "Bill Clinton", "person", affiliation="united-states")]
    resolver = ActorResolver(known)
    assert resolver.match(Actor("sergey-shoigu", "Sergey Shoigu", "person")).id == "sergei-shoigu"
    assert resolver.match(Actor("hillary-clinton", "Hillary Clinton", "person")) is None


def test_shared_surnames_use_affiliation_or_stay_apart():
    known = [Actor("ali-khamenei", "Ali Khamenei", "person", affiliation="iran"),
             Actor("mojtaba-khamenei", "Mojtaba Khamenei", "person", affiliation="iran-guard")]
    resolver = ActorResolver(known)
    assert resolver.match(Actor("khamenei", "Khamenei", "person")) is None  # ambiguous
    assert resolver.match(Actor("khamenei", "Khamenei", "person", affiliation="iran")).id == "ali-khamenei"
    # a namesake with another affiliation is another person
    solo = ActorResolver([Actor("john-smith", "John Smith", "person", affiliation="united-kingdom")])
    assert solo.match(Actor("smith", "Smith", "person", affiliation="australia")) is None


def test_relations_are_rewritten_to_the_known_ids():
    resolver = ActorResolver([Actor("khalifa-haftar", "Khalifa Haftar", "person")])
    ex = resolver.resolve(_ex("d", [Actor("haftar", "Haftar", "person"), Actor("egypt", "Egypt", "country")],
                              [("egypt", "haftar", "backs")]))
    assert [(r.source, r.target) for r in ex.relations] == [("egypt", "khalifa-haftar")]
    assert {a.id for a in ex.actors} == {"khalifa-haftar", "egypt"}


def test_ingest_resolves_people_across_articles(nlp, tmp_path):
    from graphkit.ingest import ingest

    (tmp_path / "a.txt").write_text("Egypt backs General Khalifa Haftar, the Libyan commander.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Russia also supports Haftar, officials said.", encoding="utf-8")
    store = SQLiteStore(tmp_path / "g.db")
    summary = ingest([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], store, nlp=nlp)
    assert summary.documents == 2
    graph = store.graph()
    assert {"egypt", "russia"} <= set(graph.predecessors("khalifa-haftar"))
    assert not any(n == "haftar" for n in graph)
