"""The knowledge graph as a networkx MultiDiGraph: one node per actor, one edge per (source, target, type, negated)."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime

import networkx as nx

from .errors import QueryError
from .records import AFFILIATION, MODALITIES, Actor, Document, Relation

DateLike = str | date | None


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while many objects are made that all stay alive (statements read from
    a store, a graph being built): otherwise it rescans them again and again for cycles that are not there, which
    costs about a third of a whole-store build. Reference counting frees memory as usual; a collector that was
    already paused stays paused, a running one runs again afterwards."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def edge_key(type_: str, negated: bool) -> str:
    """The MultiDiGraph key of an edge: the type, or ``not_<type>`` when negated."""
    return f"not_{type_}" if negated else type_


def iso_day(value: DateLike) -> str | None:
    """``YYYY-MM-DD`` for an ISO date, datetime or timestamp string; None when it is missing or not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()[:10]
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def document_day(document: Document) -> str | None:
    """The day a document speaks for: its own date, else the day it was ingested."""
    return iso_day(document.date) or iso_day(document.ingested_at)


def document_days(documents: Iterable[Document]) -> dict[str, str | None]:
    """The day of each document key (graphkit.graph.document_day); a key stored twice takes the later document's."""
    return {doc.key: document_day(doc) for doc in documents}


_MODALITY_RANK: dict[str, int] = {m: i for i, m in enumerate(MODALITIES)}


def dominant_modality(counts: Mapping[str, int]) -> str:
    """"asserted" if any statement is asserted, else the most frequent (ties in MODALITIES order)."""
    if counts.get("asserted") or not counts:
        return "asserted"
    return min(counts, key=lambda m: (-counts[m], _MODALITY_RANK.get(m, len(MODALITIES)), m))


def _modality_order(modality: str) -> tuple[int, str]:
    return (_MODALITY_RANK.get(modality, len(MODALITIES)), modality)


def _node_attrs(actor: Actor) -> dict[str, object]:
    return {
        "name": actor.name,
        "label": actor.name,
        "type": actor.type,
        "aliases": sorted(set(actor.aliases)),
        "affiliation": actor.affiliation,
        "role": actor.role,
    }


def _statement_order(rel: Relation) -> tuple[str, int, int]:
    ev = rel.evidence
    return (ev.document, ev.start, ev.end)


def _evidence(rel: Relation) -> dict[str, object]:
    ev = rel.evidence
    return {
        "document": ev.document,
        "sentence": ev.sentence,
        "start": ev.start,
        "end": ev.end,
        "modality": rel.modality,
        "attribution": rel.attribution,
    }


def _edge_attrs(type_: str, negated: bool, rels: list[Relation], days: Mapping[str, str | None]) -> dict[str, object]:
    """The attributes of one edge from its statements (``days``: the day of each document key)."""
    if len(rels) == 1:  # the common case, without the bookkeeping
        rel = rels[0]
        day = days.get(rel.evidence.document)
        return {
            "type": type_, "label": type_, "negated": negated, "modality": rel.modality,
            "modalities": {rel.modality: 1}, "weight": 1, "documents": 1, "confidence": float(rel.confidence),
            "evidence": [_evidence(rel)], "first_seen": day or None, "last_seen": day or None,
            "role": (rel.role or None) if type_ == AFFILIATION else None,
        }
    rels = sorted(rels, key=_statement_order)  # stable: statements at the same place keep the stored order
    modalities: dict[str, int] = {}
    evidence: list[dict[str, object]] = []
    seen: set[tuple[str, int]] = set()
    documents: set[str] = set()
    confidence = rels[0].confidence
    first: str | None = None
    last: str | None = None
    for rel in rels:
        ev = rel.evidence
        modalities[rel.modality] = modalities.get(rel.modality, 0) + 1
        documents.add(ev.document)
        if rel.confidence > confidence:
            confidence = rel.confidence
        day = days.get(ev.document)
        if day:
            if first is None or day < first:
                first = day
            if last is None or day > last:
                last = day
        spot = (ev.document, ev.start)
        if spot not in seen:
            seen.add(spot)
            evidence.append(_evidence(rel))
    role = None
    if type_ == AFFILIATION:
        roles = Counter(r.role for r in rels if r.role)
        role = roles.most_common(1)[0][0] if roles else None
    return {
        "type": type_,
        "label": type_,
        "negated": negated,
        "modality": dominant_modality(modalities),
        "modalities": {m: modalities[m] for m in sorted(modalities, key=_modality_order)},
        "weight": len(seen),
        "documents": len(documents),
        "confidence": float(confidence),
        "evidence": evidence,
        "first_seen": first,
        "last_seen": last,
        "role": role,
    }


def _bound(value: DateLike, name: str) -> str | None:
    day = iso_day(value)
    if value is not None and value != "" and day is None:
        raise QueryError(f"{name} must be an ISO date (YYYY-MM-DD), not {value!r}")
    return day


def day_filter(since: DateLike = None, until: DateLike = None) -> Callable[[str | None], bool] | None:
    """Whether a statement's day falls inside ``since``/``until`` (inclusive ISO dates), or None when there is no
    window (every statement counts, undated ones too). A bound that is not an ISO date raises QueryError."""
    lo, hi = _bound(since, "since"), _bound(until, "until")
    if since is None and until is None:
        return None

    def inside(day: str | None) -> bool:
        return day is not None and not (lo and day < lo) and not (hi and day > hi)

    return inside


def build_graph(
    actors: Iterable[Actor],
    relations: Iterable[Relation],
    documents: Iterable[Document],
    *,
    since: DateLike = None,
    until: DateLike = None,
) -> nx.MultiDiGraph:
    """Aggregate statements into a MultiDiGraph (see the shared data model).

    ``since``/``until`` (inclusive ISO dates) keep only statements whose document date (else its ingest day)
    falls inside; when either is given, only actors taking part in a kept statement become nodes. A bound that is
    not an ISO date raises QueryError. ``documents`` need not carry their text (only keys and dates are read), and
    may be limited to the documents the relations cite; a subset of the relations gives the subgraph of their
    edges, each with exactly the attributes it has in the whole graph.
    """
    with gc_paused():
        return _build(actors, relations, documents, day_filter(since, until))


def _build(
    actors: Iterable[Actor], relations: Iterable[Relation], documents: Iterable[Document],
    inside: Callable[[str | None], bool] | None,
) -> nx.MultiDiGraph:
    days = document_days(documents)
    groups: dict[tuple[str, str, str, bool], list[Relation]] = {}
    for rel in relations:
        if inside is not None and not inside(days.get(rel.evidence.document)):
            continue
        group = (rel.source, rel.target, rel.type, bool(rel.negated))
        statements = groups.get(group)
        if statements is None:
            groups[group] = [rel]
        else:
            statements.append(rel)

    graph = nx.MultiDiGraph()
    by_id = {a.id: a for a in actors}
    wanted = {n for s, t, _, _ in groups for n in (s, t)}
    if inside is None:
        wanted.update(by_id)
    graph.add_nodes_from(
        (actor_id, _node_attrs(by_id.get(actor_id) or Actor(id=actor_id, name=actor_id, type="unknown")))
        for actor_id in sorted(wanted)
    )
    graph.add_edges_from(
        (group[0], group[1], edge_key(group[2], group[3]), _edge_attrs(group[2], group[3], groups[group], days))
        for group in sorted(groups)
    )
    return graph


__all__ = [
    "build_graph", "day_filter", "document_day", "document_days", "dominant_modality", "edge_key", "gc_paused",
    "iso_day",
]
