"""The one exception tree of graphkit: everything it raises on purpose is a GraphkitError."""

from __future__ import annotations


class GraphkitError(Exception):
    """Base of every error graphkit raises on purpose; its message is one line for the user."""


class ModelError(GraphkitError):
    """The spaCy model cannot be found or loaded."""


class InputError(GraphkitError):
    """An input article or file cannot be read (empty, binary, bad UTF-8, too large, bad JSONL)."""


class StoreError(GraphkitError):
    """The store cannot be opened, is locked, or a write failed."""


class StoreUnavailableError(StoreError):
    """A remote store (Neo4j) is down, refuses the credentials or times out."""


class GazetteerError(GraphkitError):
    """A gazetteer or lexicon file is malformed."""


class EvalError(GraphkitError):
    """A gold file is malformed."""


class QueryError(GraphkitError):
    """A question or named query cannot be answered (unknown actor, unsupported form, bad parameters)."""


class ExportError(GraphkitError):
    """An export format is unknown or the output cannot be written."""
