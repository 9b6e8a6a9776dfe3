"""Extraction: actors and relations from text (spaCy pipeline + graphkit's own components)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..records import Document, Extraction, content_hash

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

COMPONENT = "graphkit_relations"


def build_pipeline(model: str | None = None, *, gazetteer: str | None = None) -> Language:
    """Load the spaCy model and add graphkit's components (gazetteer entity ruler, relation extractor)."""
    from .. import factories  # noqa: F401  (registers the factories)
    from ..model import load_model

    nlp = load_model(model)
    if COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, last=True, config={"gazetteer": gazetteer})
    return nlp


def extract_doc(doc: Doc, document: Document) -> Extraction:
    """The actors and relations the graphkit component found in ``doc``, with evidence keyed to ``document``."""
    actors, relations = doc._.graphkit_actors or (), doc._.graphkit_relations or ()
    relations = tuple(
        replace(r, evidence=replace(r.evidence, document=document.key)) for r in relations
    )
    return Extraction(document=document, actors=tuple(actors), relations=relations)


def extract(text: str, *, nlp: Language | None = None, key: str = "<text>") -> Extraction:
    """Extract actors and relations from one text (loads the default pipeline when none is given)."""
    nlp = nlp or build_pipeline()
    document = Document(id=content_hash(text), key=key, text=text)
    return extract_doc(nlp(text), document)
