"""The one store interface every back-end implements (SQLite + NetworkX, Neo4j)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from ..records import Actor, Document, Extraction, Relation

if TYPE_CHECKING:
    from datetime import date

    import networkx as nx

#: One edge of the graph without its statements: (source, target, type, negated).
Edge = tuple[str, str, str, bool]


class Store(ABC):
    """Where extractions are kept. Every back-end passes the same contract tests (tests/test_store_contract.py).

    ``add`` writes one document with its actors and relations in one transaction; a document already stored
    (same content hash) is left alone and ``add`` returns False. Actors are merged by id across documents
    (aliases united; type, affiliation and role kept from the first document that gives them).
    """

    #: Short name used in messages and test ids ("sqlite", "neo4j").
    kind: str = "store"

    @abstractmethod
    def has_document(self, doc_id: str) -> bool:
        """Whether a document with this content hash is stored."""

    @abstractmethod
    def add(self, extraction: Extraction) -> bool:
        """Store one document atomically; False when it was stored already (nothing changes)."""

    def add_many(self, extractions: Iterable[Extraction]) -> int:
        """Store several documents, each in its own transaction; the number newly stored."""
        return sum(1 for e in extractions if self.add(e))

    @abstractmethod
    def documents(self) -> list[Document]:
        """Every stored document (with its text)."""

    @abstractmethod
    def actors(self) -> list[Actor]:
        """Every stored actor, merged across documents."""

    @abstractmethod
    def relations(self) -> list[Relation]:
        """Every stored relation statement (one per evidence sentence), affiliations included."""

    # -- narrow reads: what one question needs. These defaults filter the full lists, so every back-end has them;
    # -- back-ends that can select (SQLite) override them with indexed queries that give the same rows.

    def document_stubs(self, *, keys: Iterable[str] | None = None) -> list[Document]:
        """Documents without their text (``text`` is ""), in the order of ``documents()``; only those whose key is
        in ``keys`` when given. Enough for dates (graphkit.graph.build_graph reads keys and dates only)."""
        wanted = None if keys is None else set(keys)
        return [replace(d, text="") for d in self.documents() if wanted is None or d.key in wanted]

    def relations_matching(
        self, *, sources: Iterable[str] | None = None, targets: Iterable[str] | None = None,
        types: Iterable[str] | None = None,
    ) -> list[Relation]:
        """The statements whose source is among ``sources``, target among ``targets`` and type among ``types``
        (None: any), in the order of ``relations()``. An edge comes with all its statements, so build_graph over
        them gives each of its edges exactly as in the whole graph."""
        wanted = [None if v is None else set(v) for v in (sources, targets, types)]
        return [
            r for r in self.relations()
            if all(w is None or value in w for w, value in zip(wanted, (r.source, r.target, r.type), strict=True))
        ]

    def edge_list(
        self, *, types: Iterable[str] | None = None, negated: bool | None = None,
        since: str | date | None = None, until: str | date | None = None,
    ) -> list[Edge]:
        """The distinct edges (source, target, type, negated), sorted, without statements or evidence: those of
        ``types`` (and with that ``negated``) when given, with at least one statement inside ``since``/``until``
        (inclusive ISO days, as in build_graph). For walking the graph (paths, indirect backers)."""
        from ..graph import day_filter, document_days

        inside = day_filter(since, until)
        days = document_days(self.document_stubs()) if inside is not None else {}
        kinds = None if types is None else set(types)
        found = {
            (r.source, r.target, r.type, bool(r.negated)) for r in self.relations()
            if (kinds is None or r.type in kinds) and (negated is None or bool(r.negated) == negated)
            and (inside is None or inside(days.get(r.evidence.document)))
        }
        return sorted(found)

    def graph(self) -> nx.MultiDiGraph:
        """The stored graph as a networkx MultiDiGraph (see graphkit.graph.build_graph)."""
        from ..graph import build_graph

        return build_graph(self.actors(), self.relations(), self.document_stubs())

    def counts(self) -> dict[str, int]:
        """Numbers of documents, actors and relation statements."""
        return {
            "documents": len(self.documents()),
            "actors": len(self.actors()),
            "relations": len(self.relations()),
        }

    def close(self) -> None:  # noqa: B027 - optional for back-ends without resources
        """Release connections and files."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
