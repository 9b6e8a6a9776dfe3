"""Find the actor a user means: by id, name or alias, ignoring case, accents and punctuation, forgiving small typos.

The stages, first hit wins: the exact normalised name (or id, or alias); the same without spaces ("alserraj");
all the words the user gave among an actor's words ("Haftar" -> Khalifa Haftar, surnames preferred); a spelling
within a few typos (rapidfuzz OSA distance: one for short names, up to three for long ones). Anything else, or several equally good actors, raises QueryError with suggestions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from .errors import QueryError
from .records import Actor

#: Words that do not tell actors apart ("the United States", "al-Serraj").
STOP_WORDS: frozenset[str] = frozenset({"the", "of", "al", "el", "and", "de"})
#: rapidfuzz WRatio score (0-100) a name must reach to be suggested for an unknown actor.
SUGGEST_SCORE = 60.0
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

    close = _close(query, keyed)
    if close:
        best = close[0][1]
        return _one(name, _unique(a for a, d in close if d == best))
    suggestions = _suggest(query, keyed)
    hint = f"; did you mean: {', '.join(a.name for a in suggestions)}?" if suggestions else ""
    raise QueryError(f"unknown actor {name!r}{hint}")


def allowed_typos(text: str) -> int:
    """How many edits (insert, delete, replace, swap two neighbours) a name of this length may contain."""
    return 0 if len(text) < 4 else 1 if len(text) <= 7 else 2 if len(text) <= 14 else 3


def _close(query: str, keyed: list[tuple[Actor, str]]) -> list[tuple[Actor, int]]:
    """Actors within a few typos of the query (whole names; single words too when the query is one word)."""
    limit = allowed_typos(query)
    if not limit:
        return []
    single = len(query.split()) == 1
    best: dict[str, tuple[Actor, int]] = {}
    for actor, key in keyed:
        candidates = [key, *(_words(key) if single else ())]
        distance = min(OSA.distance(query, c, score_cutoff=limit + 1) for c in candidates)
        if distance <= limit and (actor.id not in best or distance < best[actor.id][1]):
            best[actor.id] = (actor, distance)
    return sorted(best.values(), key=lambda item: (item[1], item[0].name.lower(), item[0].id))


def _suggest(query: str, keyed: list[tuple[Actor, str]]) -> list[Actor]:
    """Up to MAX_SUGGESTIONS actors whose names look most like the query."""
    best: dict[str, tuple[Actor, float]] = {}
    for actor, key in keyed:
        score = float(fuzz.WRatio(query, key))
        if actor.id not in best or score > best[actor.id][1]:
            best[actor.id] = (actor, score)
    ranked = sorted(best.values(), key=lambda item: (-item[1], item[0].name.lower(), item[0].id))
    return [a for a, score in ranked if score >= SUGGEST_SCORE][:MAX_SUGGESTIONS]


def _one(name: str, hits: list[Actor]) -> Actor:
    if len(hits) == 1:
        return hits[0]
    names = ", ".join(f"{a.name} ({a.id})" for a in hits[:MAX_SUGGESTIONS])
    raise QueryError(f"ambiguous actor {name!r}; did you mean: {names}?")


__all__ = ["match_actor", "normalize_name"]
