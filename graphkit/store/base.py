"""The one store interface every back-end implements (SQLite + NetworkX, Neo4j)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..records import Actor, Document, Extraction, Relation

if TYPE_CHECKING:
    import networkx as nx


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

    def graph(self) -> nx.MultiDiGraph:
        """The stored graph as a networkx MultiDiGraph (see graphkit.graph.build_graph)."""
        from ..graph import build_graph

        return build_graph(self.actors(), self.relations(), self.documents())

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
