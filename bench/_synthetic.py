"""Synthetic extractions for store-size benchmarks: many documents with many relations each, all deterministic.

Not a benchmark itself. ``extractions()`` yields Extraction records one document at a time (nothing is held in
memory); ``build_sqlite_store()`` writes them through SQLiteStore.add, once, into a cache file.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from graphkit.records import (
    AFFILIATION, RELATION_TYPES, Actor, Document, Evidence, Extraction, Relation, content_hash, slugify,
)

#: The actor the benchmark questions ask about; it is the target of many "backs" statements.
FOCUS_NAME = "Khalifa Haftar"
FOCUS_ALIASES = ("Haftar", "General Haftar")
_TYPES = ("country", "person", "organization", "armed_group", "government", "group")
_MODALITIES = ("asserted", "asserted", "asserted", "hedged", "planned", "claimed")
_VERBS = {"supports": "supports", "backs": "backs", "meets": "met", "pressures": "pressured", "opposes": "opposes",
          AFFILIATION: "leads"}


def _actor(number: int) -> Actor:
    name = f"Actor {number:05d}"
    return Actor(id=slugify(name), name=name, type=_TYPES[number % len(_TYPES)],
                 aliases=(f"A{number:05d}",))


FOCUS = Actor(id=slugify(FOCUS_NAME), name=FOCUS_NAME, type="person", aliases=FOCUS_ALIASES)


def extractions(*, documents: int, per_document: int, actors: int, seed: int = 7) -> Iterator[Extraction]:
    """``documents`` extractions of ``per_document`` relations each among ``actors`` actors (+ the focus)."""
    rng = random.Random(seed)
    for d in range(documents):
        cast = [_actor(n) for n in rng.sample(range(actors), k=min(actors, 24))]
        if d % 5 == 0:
            cast.append(FOCUS)
        day = date(2016, 1, 1) + timedelta(days=d % 2500)
        sentences: list[tuple[str, str, str, bool, str]] = []
        for _ in range(per_document):
            a, b = rng.sample(cast, 2)
            kind = AFFILIATION if rng.random() < 0.04 else rng.choice(RELATION_TYPES)
            if FOCUS in cast and rng.random() < 0.15:
                b, kind = FOCUS, "backs"
            negated = rng.random() < 0.05
            sentences.append((a.id, b.id, kind, negated, rng.choice(_MODALITIES)))
        text_parts: list[str] = [f"Synthetic report {d} of {day.isoformat()}."]
        offsets: list[tuple[int, int, str]] = []
        names = {a.id: a.name for a in cast}
        pos = len(text_parts[0]) + 1
        for i, (src, tgt, kind, negated, _) in enumerate(sentences):
            sentence = (f"{names[src]} {'does not ' if negated else ''}{_VERBS[kind]} {names[tgt]} "
                        f"(statement {i}, item {rng.randint(1, 10**6)}).")
            offsets.append((pos, pos + len(sentence), sentence))
            text_parts.append(sentence)
            pos += len(sentence) + 1
        text = " ".join(text_parts)
        key = f"synthetic-{d:06d}"
        document = Document(id=content_hash(text), key=key, text=text, title=f"Synthetic report {d}",
                            date=day.isoformat())
        relations = tuple(
            Relation(source=src, target=tgt, type=kind, evidence=Evidence(key, sent, start, end), modality=mod,
                     negated=negated, confidence=round(0.5 + rng.random() / 2, 3), trigger=_VERBS[kind],
                     role="leader" if kind == AFFILIATION else None)
            for (src, tgt, kind, negated, mod), (start, end, sent) in zip(sentences, offsets, strict=True)
        )
        yield Extraction(document=document, actors=tuple(cast), relations=relations)


def build_sqlite_store(path: Path, *, documents: int, per_document: int, actors: int) -> bool:
    """Write the synthetic store at ``path`` unless a complete one is there; True when it was (re)built."""
    from graphkit.store.sqlite import SQLiteStore

    expected = documents * per_document
    if path.exists():
        with SQLiteStore(path) as store:
            if store.counts()["relations"] == expected:
                return False
        path.unlink()
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    with SQLiteStore(partial) as store:
        for extraction in extractions(documents=documents, per_document=per_document, actors=actors):
            store.add(extraction)
        store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    partial.rename(path)
    return True
