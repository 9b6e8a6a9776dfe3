"""Stores: the embedded SQLite + NetworkX default, and Neo4j over Bolt."""

from __future__ import annotations

import os
from pathlib import Path

from .base import Store

DEFAULT_STORE = "graphkit.db"
NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def is_neo4j_uri(spec: str | os.PathLike[str]) -> bool:
    return str(spec).startswith(NEO4J_SCHEMES)


def store_spec(spec: str | os.PathLike[str] | None = None) -> str:
    """The store the user asked for: the argument, else GRAPHKIT_STORE, else ./graphkit.db."""
    return str(spec or os.environ.get("GRAPHKIT_STORE") or DEFAULT_STORE)


def open_store(spec: str | os.PathLike[str] | None = None, **options: object) -> Store:
    """Open the store named by a path (SQLite) or a Neo4j URI."""
    spec = store_spec(spec)
    if is_neo4j_uri(spec):
        from .neo4j import Neo4jStore

        return Neo4jStore.from_uri(spec, **options)
    from .sqlite import SQLiteStore

    return SQLiteStore(Path(spec), **options)


__all__ = ["DEFAULT_STORE", "Store", "is_neo4j_uri", "open_store", "store_spec"]
