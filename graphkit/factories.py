"""spaCy factories for graphkit's components (registered on import and through the spacy_factories entry point)."""

from __future__ import annotations

from spacy.language import Language

from .extract.component import RelationExtractor


@Language.factory(
    "graphkit_relations",
    default_config={"gazetteer": None, "lexicon": None},
)
def make_relation_extractor(nlp: Language, name: str, gazetteer: str | None, lexicon: str | None) -> RelationExtractor:
    """Add graphkit's actor and relation extractor to a pipeline that has a parser and NER."""
    return RelationExtractor(nlp, name, gazetteer=gazetteer, lexicon=lexicon)
