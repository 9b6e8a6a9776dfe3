"""graphkit: geopolitical knowledge graphs from news articles."""

from .errors import GraphkitError
from .records import Actor, Document, Evidence, Extraction, Relation

__all__ = ["Actor", "Document", "Evidence", "Extraction", "GraphkitError", "Relation"]
__version__ = "0.1.0"
