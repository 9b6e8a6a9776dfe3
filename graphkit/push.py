"""Copy one store into another (typically SQLite into Neo4j), document by document."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

from .records import Actor, Document, Extraction, Relation
from .store.base import Store

#: Called after each document with (documents handled so far, total, the document, whether it was copied).
Progress = Callable[[int, int, Document, bool], None]


def extractions(source: Store) -> Iterator[Extraction]:
    """The source rebuilt as one extraction per document (relations grouped by their evidence's document key).

    Each document carries the actors its relations need (endpoints and their affiliations); actors that no
    relation mentions travel with the first document.
    """
    documents = source.documents()
    actors = {a.id: a for a in source.actors()}
    by_key: dict[str, list[Relation]] = defaultdict(list)
    for rel in source.relations():
        by_key[rel.evidence.document].append(rel)
    mentioned = {n for rels in by_key.values() for r in rels for n in (r.source, r.target)}
    loose = [a for a in actors.values() if a.id not in mentioned]
    for i, doc in enumerate(documents):
        rels = by_key.get(doc.key, [])
        wanted: dict[str, Actor] = {}
        for rel in rels:
            for actor_id in (rel.source, rel.target):
                _with_affiliations(actor_id, actors, wanted)
        if i == 0:
            for actor in loose:
                _with_affiliations(actor.id, actors, wanted)
        yield Extraction(document=doc, actors=tuple(wanted.values()), relations=tuple(rels))


def _with_affiliations(actor_id: str, actors: dict[str, Actor], wanted: dict[str, Actor]) -> None:
    while actor_id in actors and actor_id not in wanted:
        actor = actors[actor_id]
        wanted[actor_id] = actor
        if not actor.affiliation:
            break
        actor_id = actor.affiliation


def push(source: Store, target: Store, *, on_progress: Progress | None = None) -> int:
    """Copy every document of ``source`` into ``target``; documents already there are skipped. The number copied."""
    items = list(extractions(source))
    copied = 0
    for done, extraction in enumerate(items, start=1):
        added = False
        if not target.has_document(extraction.document.id):
            added = target.add(extraction)
            copied += int(added)
        if on_progress is not None:
            on_progress(done, len(items), extraction.document, added)
    return copied


__all__ = ["Progress", "extractions", "push"]
