"""The knowledge graph as a networkx MultiDiGraph: one node per actor, one edge per (source, target, type, negated)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime

import networkx as nx

from .errors import QueryError
from .records import AFFILIATION, MODALITIES, Actor, Document, Relation

DateLike = str | date | None


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


def dominant_modality(counts: Counter[str]) -> str:
    """"asserted" if any statement is asserted, else the most frequent (ties in MODALITIES order)."""
    if counts.get("asserted"):
        return "asserted"
    if not counts:
        return "asserted"
    order = {m: i for i, m in enumerate(MODALITIES)}
    return min(counts, key=lambda m: (-counts[m], order.get(m, len(order)), m))


def _node_attrs(actor: Actor) -> dict[str, object]:
    return {
        "name": actor.name,
        "label": actor.name,
        "type": actor.type,
        "aliases": sorted(set(actor.aliases)),
        "affiliation": actor.affiliation,
        "role": actor.role,
    }


def _edge_attrs(type_: str, negated: bool, items: list[tuple[Relation, str | None]]) -> dict[str, object]:
    items = sorted(items, key=lambda it: (it[0].evidence.document, it[0].evidence.start, it[0].evidence.end))
    modalities = Counter(r.modality for r, _ in items)
    evidence: list[dict[str, object]] = []
    seen: set[tuple[str, int]] = set()
    for rel, _ in items:
        ev = rel.evidence
        if (ev.document, ev.start) in seen:
            continue
        seen.add((ev.document, ev.start))
        evidence.append({
            "document": ev.document,
            "sentence": ev.sentence,
            "start": ev.start,
            "end": ev.end,
            "modality": rel.modality,
            "attribution": rel.attribution,
        })
    days = sorted(d for _, d in items if d)
    roles = Counter(r.role for r, _ in items if r.role)
    return {
        "type": type_,
        "label": type_,
        "negated": negated,
        "modality": dominant_modality(modalities),
        "modalities": {m: modalities[m] for m in sorted(modalities, key=_modality_order)},
        "weight": len(seen),
        "documents": len({r.evidence.document for r, _ in items}),
        "confidence": float(max(r.confidence for r, _ in items)),
        "evidence": evidence,
        "first_seen": days[0] if days else None,
        "last_seen": days[-1] if days else None,
        "role": roles.most_common(1)[0][0] if type_ == AFFILIATION and roles else None,
    }


def _modality_order(modality: str) -> tuple[int, str]:
    return (MODALITIES.index(modality) if modality in MODALITIES else len(MODALITIES), modality)


def _bound(value: DateLike, name: str) -> str | None:
    day = iso_day(value)
    if value is not None and value != "" and day is None:
        raise QueryError(f"{name} must be an ISO date (YYYY-MM-DD), not {value!r}")
    return day


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
    not an ISO date raises QueryError.
    """
    lo, hi = _bound(since, "since"), _bound(until, "until")
    filtered = since is not None or until is not None
    days = {doc.key: document_day(doc) for doc in documents}
    groups: dict[tuple[str, str, str, bool], list[tuple[Relation, str | None]]] = defaultdict(list)
    for rel in relations:
        day = days.get(rel.evidence.document)
        if filtered and (day is None or (lo and day < lo) or (hi and day > hi)):
            continue
        groups[(rel.source, rel.target, rel.type, bool(rel.negated))].append((rel, day))

    graph = nx.MultiDiGraph()
    by_id = {a.id: a for a in actors}
    wanted = {n for s, t, _, _ in groups for n in (s, t)} if filtered else set(by_id) | {
        n for s, t, _, _ in groups for n in (s, t)
    }
    for actor_id in sorted(wanted):
        actor = by_id.get(actor_id) or Actor(id=actor_id, name=actor_id, type="unknown")
        graph.add_node(actor_id, **_node_attrs(actor))
    for (source, target, type_, negated) in sorted(groups):
        graph.add_edge(
            source, target, key=edge_key(type_, negated),
            **_edge_attrs(type_, negated, groups[(source, target, type_, negated)]),
        )
    return graph


__all__ = ["build_graph", "document_day", "dominant_modality", "edge_key", "iso_day"]
