"""Find the actor a user means: by id, name or alias, ignoring case, accents and punctuation, forgiving small typos.

The stages, first hit wins: the exact normalised name (or id, or alias); the same without spaces ("alserraj");
all the words the user gave among an actor's words ("Haftar" -> Khalifa Haftar, surnames preferred); a close
spelling (rapidfuzz). Anything else, or several equally good actors, raises QueryError with suggestions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from rapidfuzz import fuzz, process

from .errors import QueryError
from .records import Actor

#: Words that do not tell actors apart ("the United States", "al-Serraj").
STOP_WORDS: frozenset[str] = frozenset({"the", "of", "al", "el", "and", "de"})
#: rapidfuzz scores (0-100) a spelling must reach to resolve, and to be suggested.
RESOLVE_SCORE = 84.0
SUGGEST_SCORE = 55.0
MAX_SUGGESTIONS = 5


def normalize_name(text: str) -> str:
    """Lower case, ASCII, punctuation as single spaces, no possessive 's, no leading "the"."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"['’`]s\b", "", text)
    text = re.sub(r"['’`]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^the\s+", "", text)


def _words(key: str) -> list[str]:
    return [w for w in key.split() if w not in STOP_WORDS]


def _as_actors(actors: Iterable[Actor] | Any) -> list[Actor]:
    """Actors from a list of Actor records or from a networkx graph (node attributes per the data model)."""
    if hasattr(actors, "nodes") and hasattr(actors, "edges"):
        return [
            Actor(
                id=str(node), name=str(data.get("name") or node), type=str(data.get("type") or ""),
                aliases=tuple(data.get("aliases") or ()), affiliation=data.get("affiliation"), role=data.get("role"),
            )
            for node, data in actors.nodes(data=True)
        ]
    return list(actors)


def _keys(actor: Actor) -> set[str]:
    names = {actor.name, actor.id, actor.id.replace("-", " "), *actor.aliases}
    return {k for k in (normalize_name(n) for n in names if n) if k}


def _unique(found: Iterable[Actor]) -> list[Actor]:
    seen: dict[str, Actor] = {}
    for actor in found:
        seen.setdefault(actor.id, actor)
    return sorted(seen.values(), key=lambda a: (a.name.lower(), a.id))


def match_actor(name: str, actors: Iterable[Actor] | Any) -> Actor:
    """The one actor ``name`` means, from a list of actors or a graph; QueryError when unknown or ambiguous."""
    pool = _as_actors(actors)
    query = normalize_name(name or "")
    if not query:
        raise QueryError("no actor name given")
    keyed = [(actor, key) for actor in pool for key in _keys(actor)]

    for same in (
        lambda key: key == query,
        lambda key: key.replace(" ", "") == query.replace(" ", ""),
    ):
        hits = _unique(a for a, k in keyed if same(k))
        if hits:
            return _one(name, hits)

    words = _words(query)
    if words:
        hits = _unique(a for a, k in keyed if set(words) <= set(_words(k)))
        if len(hits) > 1:  # prefer actors whose name ends in the given words (surnames)
            tail = _unique(a for a, k in keyed if _words(k)[-len(words):] == words and a in hits)
            hits = tail or hits
        if hits:
            return _one(name, hits)

    scored = _fuzzy(query, keyed)
    if scored:
        best = scored[0][1]
        if best >= RESOLVE_SCORE:
            top = _unique(a for a, s in scored if s >= best - 1.0)
            return _one(name, top)
    suggestions = [a for a, s in scored if s >= SUGGEST_SCORE][:MAX_SUGGESTIONS]
    hint = f"; did you mean: {', '.join(a.name for a in suggestions)}?" if suggestions else ""
    raise QueryError(f"unknown actor {name!r}{hint}")


def _fuzzy(query: str, keyed: list[tuple[Actor, str]]) -> list[tuple[Actor, float]]:
    """Every actor with its best spelling score: whole names, and single words (surnames) for one-word queries."""
    best: dict[str, tuple[Actor, float]] = {}
    single = len(query.split()) == 1
    for actor, key in keyed:
        score = fuzz.ratio(query, key)
        if single and len(query) >= 4:
            words = _words(key)
            if words:
                match = process.extractOne(query, words, scorer=fuzz.ratio)
                if match:
                    score = max(score, float(match[1]))
        else:
            score = max(score, fuzz.token_sort_ratio(query, key))
        if actor.id not in best or score > best[actor.id][1]:
            best[actor.id] = (actor, float(score))
    return sorted(best.values(), key=lambda item: (-item[1], item[0].name.lower(), item[0].id))


def _one(name: str, hits: list[Actor]) -> Actor:
    if len(hits) == 1:
        return hits[0]
    names = ", ".join(f"{a.name} ({a.id})" for a in hits[:MAX_SUGGESTIONS])
    raise QueryError(f"ambiguous actor {name!r}; did you mean: {names}?")


__all__ = ["match_actor", "normalize_name"]
