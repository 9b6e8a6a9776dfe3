"""Cross-document actor resolution: one actor for "Khalifa Haftar" in one article and "General Haftar" in another.

Inside one document the extractor already maps surnames and titles to the full name. Across documents the
:class:`ActorResolver` keeps an index of the persons already stored and rewrites the ids of a new document's
actors before it is written:

- a person known only by a surname ("Haftar") joins the one stored person with that surname; when several
  stored persons share it, the one with the same affiliation wins, else the mention stays apart;
- a full name joins a stored full name with the same surname and a near-identical spelling ("Sergei Shoigu" /
  "Sergey Shoigu"); different first names ("Bill Clinton" / "Hillary Clinton") stay apart, and so do equal
  names whose affiliations differ.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from rapidfuzz import fuzz

from .records import Actor, Extraction

#: Minimum rapidfuzz ratio between two full names with the same surname to call them one person.
SPELLING_SIMILARITY = 88.0


def surname(name: str) -> str:
    """The last word of a name, without Arabic article prefixes ("al-Serraj" -> "serraj")."""
    last = name.split()[-1].lower() if name.split() else ""
    for prefix in ("al-", "el-", "ad-", "as-", "ash-", "bin-"):
        if last.startswith(prefix):
            return last[len(prefix):]
    return last


class ActorResolver:
    """Maps the person ids of new extractions onto persons seen in earlier documents."""

    def __init__(self, known: Iterable[Actor] = ()) -> None:
        self._by_surname: dict[str, list[Actor]] = defaultdict(list)
        self._ids: set[str] = set()
        for actor in known:
            self._learn_actor(actor)

    def _learn_actor(self, actor: Actor) -> None:
        if actor.type != "person" or actor.id in self._ids:
            return
        self._ids.add(actor.id)
        self._by_surname[surname(actor.name)].append(actor)

    def learn(self, extraction: Extraction) -> None:
        """Remember the persons of a stored extraction."""
        for actor in extraction.actors:
            self._learn_actor(actor)

    def match(self, actor: Actor) -> Actor | None:
        """The stored person this actor is, or None."""
        if actor.type != "person" or actor.id in self._ids:
            return None
        candidates = [c for c in self._by_surname.get(surname(actor.name), []) if c.id != actor.id]
        if not candidates:
            return None
        if len(actor.name.split()) == 1:  # a surname alone
            full = [c for c in candidates if len(c.name.split()) > 1] or candidates
            if len(full) == 1:
                return full[0] if _compatible(actor, full[0]) else None
            same = [c for c in full if actor.affiliation and c.affiliation == actor.affiliation]
            return same[0] if len(same) == 1 else None
        close = [c for c in candidates if len(c.name.split()) > 1
                 and fuzz.ratio(c.name.lower(), actor.name.lower()) >= SPELLING_SIMILARITY
                 and _compatible(actor, c)]
        return close[0] if len(close) == 1 else None

    def resolve(self, extraction: Extraction) -> Extraction:
        """The extraction with its persons' ids mapped onto known persons (aliases keep the new forms)."""
        mapping: dict[str, Actor] = {}
        for actor in extraction.actors:
            known = self.match(actor)
            if known is not None:
                mapping[actor.id] = known
        if not mapping:
            return extraction
        actors, seen = [], set()
        for actor in extraction.actors:
            known = mapping.get(actor.id)
            if known is not None:
                aliases = tuple(sorted(set(actor.aliases) | {actor.name} - {known.name}))
                actor = replace(actor, id=known.id, name=known.name, aliases=aliases)
            if actor.affiliation in mapping:
                actor = replace(actor, affiliation=mapping[actor.affiliation].id)
            if actor.id not in seen:
                seen.add(actor.id)
                actors.append(actor)
        relations = tuple(
            replace(r, source=mapping[r.source].id if r.source in mapping else r.source,
                    target=mapping[r.target].id if r.target in mapping else r.target)
            for r in extraction.relations
        )
        relations = tuple(r for r in relations if r.source != r.target)
        return replace(extraction, actors=tuple(actors), relations=relations)


def _compatible(new: Actor, known: Actor) -> bool:
    """Two person records can be one person unless both have affiliations and they differ."""
    return not (new.affiliation and known.affiliation and new.affiliation != known.affiliation)
