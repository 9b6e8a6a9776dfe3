"""The ingest stage's editable knowledge: relation lexicon and role words, read from ``ingest/``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import GazetteerError
from ..records import RELATION_TYPES
from ..resources import ingest_dir


@dataclass(frozen=True)
class VerbEntry:
    """A verb that signals a relation: its type, the prepositions that introduce the target, and its object kind."""

    type: str
    preps: tuple[str, ...] = ()
    reciprocal: bool = False
    object: str = "actor"  # "actor" | "goods" (target follows a preposition) | "recipient" | "person"
    particle: str | None = None


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, VerbEntry]
    complement_verbs: dict[str, str]
    phrasal: dict[str, dict[str, str]]
    nouns: dict[str, str]
    nouns_needing_target: frozenset[str]
    agent_nouns: dict[str, str]
    give_verbs: frozenset[str]
    get_verbs: frozenset[str]
    compound_participles: dict[str, str | None]
    movement_verbs: dict[str, tuple[str, ...]]
    target_preps: frozenset[str]
    source_preps: frozenset[str]
    hedged: frozenset[str]
    planned: frozenset[str]
    claimed: frozenset[str]
    negation: frozenset[str]
    attribution_verbs: frozenset[str]
    titles: frozenset[str]
    roles: frozenset[str]
    groups: frozenset[str]
    state_organs: frozenset[str]
    person_organs: frozenset[str]
    institutions: frozenset[str]
    descriptions: dict[str, str] = field(default_factory=dict)
    obligation: frozenset[str] = frozenset()
    pressure_complement_verbs: frozenset[str] = frozenset()


def _read(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        raise GazetteerError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise GazetteerError(f"{path}: expected a JSON object")
    return data


def _public(d: dict) -> dict:
    return {k: v for k, v in d.items() if not k.startswith("_")}


def _check_type(path: Path, key: str, rtype: str | None) -> None:
    if rtype not in RELATION_TYPES and rtype not in (None, "light"):
        raise GazetteerError(f"{path}: {key!r} has unknown relation type {rtype!r}")


def load_lexicon(directory: Path | None = None) -> Lexicon:
    """Read ``lexicon.json`` and ``roles.json`` from the ingest folder (or ``directory``)."""
    directory = directory or ingest_dir()
    lex_path, roles_path = directory / "lexicon.json", directory / "roles.json"
    lex, roles = _read(lex_path), _read(roles_path)
    verbs = {}
    for lemma, spec in _public(lex.get("verbs", {})).items():
        _check_type(lex_path, lemma, spec.get("type"))
        verbs[lemma] = VerbEntry(
            type=spec["type"], preps=tuple(spec.get("preps", ())), reciprocal=bool(spec.get("reciprocal")),
            object=spec.get("object", "actor"), particle=spec.get("particle"),
        )
    nouns = _public(lex.get("nouns", {}))
    for lemma, spec in nouns.items():
        _check_type(lex_path, lemma, spec.get("type"))
    light = lex.get("light_verbs", {})
    mod = lex.get("modality", {})
    return Lexicon(
        verbs=verbs,
        complement_verbs=_public(lex.get("complement_verbs", {})),
        phrasal=_public(lex.get("phrasal", {})),
        nouns={k: v["type"] for k, v in nouns.items()},
        nouns_needing_target=frozenset(k for k, v in nouns.items() if v.get("needs_target")),
        agent_nouns=_public(lex.get("agent_nouns", {})),
        give_verbs=frozenset(light.get("give", ())),
        get_verbs=frozenset(light.get("get", ())),
        compound_participles=_public(lex.get("compound_participles", {})),
        movement_verbs={k: tuple(v) for k, v in _public(lex.get("movement_verbs", {})).items()},
        target_preps=frozenset(lex.get("target_preps", ())),
        source_preps=frozenset(lex.get("source_preps", ())),
        hedged=frozenset(mod.get("hedged", ())),
        planned=frozenset(mod.get("planned", ())),
        claimed=frozenset(mod.get("claimed", ())),
        negation=frozenset(lex.get("negation", ())),
        attribution_verbs=frozenset(lex.get("attribution_verbs", ())),
        titles=frozenset(roles.get("titles", ())),
        roles=frozenset(roles.get("roles", ())),
        groups=frozenset(roles.get("groups", ())),
        state_organs=frozenset(roles.get("state_organs", ())),
        person_organs=frozenset(roles.get("person_organs", ())),
        institutions=frozenset(roles.get("institutions", ())),
        descriptions=_public(roles.get("descriptions", {})),
        obligation=frozenset(lex.get("reporting_must", ())),
        pressure_complement_verbs=frozenset(lex.get("pressure_complement_verbs", ())),
    )


@lru_cache(maxsize=4)
def default_lexicon() -> Lexicon:
    """The lexicon shipped in ``ingest/`` (cached per process)."""
    return load_lexicon()
