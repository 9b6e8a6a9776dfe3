"""graphkit's records: frozen dataclasses passed between ingest, stores, queries and exports."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

#: The five relation types graphkit extracts, in the order the annotation guide lists them.
RELATION_TYPES: tuple[str, ...] = ("supports", "backs", "meets", "pressures", "opposes")
#: Relation types that hold in both directions.
SYMMETRIC_TYPES: frozenset[str] = frozenset({"meets"})
#: The edge kind for membership / leadership ("US defense secretary James Mattis" -> United States).
AFFILIATION = "affiliated_with"
EDGE_KINDS: tuple[str, ...] = RELATION_TYPES + (AFFILIATION,)
MODALITIES: tuple[str, ...] = ("asserted", "hedged", "planned", "claimed")
ACTOR_TYPES: tuple[str, ...] = (
    "person", "country", "government", "organization", "armed_group", "group", "region",
)


def slugify(name: str) -> str:
    """A stable id for a name: ASCII, lower case, hyphen-separated ("Fayez al-Serraj" -> "fayez-al-serraj")."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"['’`]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "actor"


def content_hash(text: str) -> str:
    """The id of a document: SHA-256 of its text with line endings and outer white space normalised."""
    norm = text.replace("\r\n", "\n").strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Document:
    """An ingested article. ``id`` is the content hash; ``key`` is what users see (JSONL id or file path)."""

    id: str
    key: str
    text: str
    title: str | None = None
    source: str | None = None
    date: str | None = None  # ISO 8601 date when the input gives one
    ingested_at: str | None = None  # ISO 8601 timestamp set by the store


@dataclass(frozen=True)
class Actor:
    """Someone who acts in international politics: a person, state, government, organisation, armed group."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    affiliation: str | None = None  # id of the actor it belongs to or leads
    role: str | None = None


@dataclass(frozen=True)
class Evidence:
    """Where a relation is stated: the document key, the sentence, and its character offsets in the text."""

    document: str
    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class Relation:
    """One extracted statement of a relation between two actors, with the sentence that says it."""

    source: str  # actor id
    target: str  # actor id
    type: str  # one of EDGE_KINDS
    evidence: Evidence
    modality: str = "asserted"
    negated: bool = False
    attribution: str | None = None  # "according to the Independent" -> "the Independent"
    confidence: float = 1.0
    trigger: str = ""  # the word that signals the relation ("supported", "backers", "meeting")
    role: str | None = None  # for affiliations: the role ("defense secretary")


@dataclass(frozen=True)
class Extraction:
    """What ingest finds in one document."""

    document: Document
    actors: tuple[Actor, ...] = ()
    relations: tuple[Relation, ...] = ()


@dataclass(frozen=True)
class IngestSummary:
    """Counts reported at the end of an ingest run."""

    documents: int = 0
    skipped: int = 0  # already stored
    failed: int = 0
    actors: int = 0
    relations: int = 0
    errors: tuple[str, ...] = field(default=())
