"""The spaCy component that finds graphkit's actors and relations (its factory lives in graphkit.factories)."""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ..gazetteer import Gazetteer, default_gazetteer
from ..records import AFFILIATION, Actor, Evidence, Relation
from .actors import DocActors
from .lexicon import Lexicon, default_lexicon, load_lexicon
from .modality import attribution, modality, negated
from .relations import Candidate, RelationFinder

for _name in ("graphkit_actors", "graphkit_relations"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class RelationExtractor:
    """Sets ``doc._.graphkit_actors`` (Actor records) and ``doc._.graphkit_relations`` (Relation records).

    Evidence offsets are character offsets of the sentence in the Doc's text; the evidence's ``document`` is
    left empty here and filled in by :func:`graphkit.extract.extract_doc`, which knows the document's key.
    """

    def __init__(self, nlp: Language, name: str = "graphkit_relations", *, gazetteer: str | Path | None = None,
                 lexicon: str | Path | None = None) -> None:
        self.name = name
        self.gazetteer: Gazetteer = Gazetteer.load(gazetteer) if gazetteer else default_gazetteer()
        self.lexicon: Lexicon = load_lexicon(Path(lexicon)) if lexicon else default_lexicon()

    def __call__(self, doc: Doc) -> Doc:
        actors = DocActors(doc, gazetteer=self.gazetteer, lexicon=self.lexicon)
        relations = list(self._relations(doc, actors)) + self._affiliations(doc, actors)
        doc._.graphkit_actors = actors.frozen()
        doc._.graphkit_relations = tuple(relations)
        return doc

    def _relations(self, doc: Doc, actors: DocActors):
        best: dict[tuple, tuple[Candidate, Relation]] = {}
        for cand in RelationFinder(doc, actors, self.lexicon).find():
            if cand.source not in actors.actors or cand.target not in actors.actors:
                continue
            sent = cand.trigger.sent
            rel = Relation(
                source=cand.source, target=cand.target, type=cand.type,
                evidence=Evidence(document="", sentence=sent.text.strip(), start=sent.start_char, end=sent.end_char),
                modality=modality(cand.trigger, self.lexicon), negated=negated(cand.trigger, self.lexicon),
                attribution=attribution(cand.trigger, actors, self.lexicon), confidence=cand.confidence,
                trigger=cand.trigger.text,
            )
            key = (rel.source, rel.target, rel.type, rel.negated, sent.start_char)
            if key not in best or best[key][0].confidence < cand.confidence:
                best[key] = (cand, rel)
        for _, rel in best.values():
            yield rel

    def _affiliations(self, doc: Doc, actors: DocActors) -> list[Relation]:
        out = []
        for aff in actors.affiliations:
            sent = doc[aff.token].sent
            out.append(Relation(
                source=aff.member, target=aff.of, type=AFFILIATION, role=aff.role,
                evidence=Evidence(document="", sentence=sent.text.strip(), start=sent.start_char, end=sent.end_char),
                trigger=aff.role or "",
            ))
        return out

    def actors_of(self, doc: Doc) -> tuple[Actor, ...]:
        return doc._.graphkit_actors or ()
