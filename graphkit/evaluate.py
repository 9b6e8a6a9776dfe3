"""Score an extracted graph against gold annotations (the rules of the shared ANNOTATION.md).

Scoring, per document:

1. Every extracted actor (graph node) is mapped to gold actors by normalised text (case, quotes, a leading
   "the", a trailing "'s", hyphens and spaces are ignored). The first tier with a hit decides:
   node name/id = gold id/name; node name/id = gold alias; node name/id = a ``non_actors`` entry
   (-> non-actor); node alias = gold id/name; node alias = gold alias; node alias = a non-actor.
   A tier may hit several gold actors (an alias the gold file gives to two actors): the end then accepts any
   of them. A node that hits nothing is "unknown".
2. Every extracted edge of the five relation types ("affiliated_with" is ignored) becomes a triple
   (family, source, target, negated); supports and backs form one family; the ends of a symmetric family
   (the gold file's ``symmetric_types``) are put in a fixed order.
3. Precision = distinct triples matching some gold relation (required or not) / distinct triples. A triple
   with an unknown or non-actor end is wrong. A gold relation with ``symmetric: true`` accepts either
   direction. A negated edge asserts that the relation does NOT hold: it matches only gold relations with
   ``negated: true`` (and an affirmed edge only affirmed ones); an unmatched negated triple is a false relation.
4. Recall = required gold relations matched by at least one triple / required gold relations.
5. Strict-type recall: required gold relations matched by an edge whose exact type is an acceptable type.
   Modality agreement (asserted versus not), over every matched gold relation (required or not): the
   statements of the matching edges whose sentence contains the gold evidence decide; when none does,
   the edges' dominant modality. It agrees when one of them is in the gold's class.
   Actor recall: gold actors that appear in some gold relation (any acceptable end, required or not) and
   that some graph node maps to; actors the gold file lists only for name mapping (never in a relation)
   are not counted. Evidence share: extracted edges (five types) with at least one evidence sentence.

A ratio whose denominator is zero is 0.0.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import networkx as nx

from .errors import EvalError
from .records import MODALITIES, RELATION_TYPES, SYMMETRIC_TYPES

__all__ = [
    "Counts",
    "FalseRelation",
    "GoldActor",
    "GoldDocument",
    "GoldRelation",
    "Miss",
    "Scores",
    "evaluate_corpus",
    "evaluate_graph",
    "family",
    "format_scores",
    "load_gold",
    "normalise_name",
]

NON_ACTOR = "non-actor"
UNKNOWN = "unknown"
_FAMILIES = {"backs": "supports"}


# --------------------------------------------------------------------------------------------- records


@dataclass(frozen=True)
class GoldActor:
    """An actor of the gold annotation."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    affiliation: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class GoldRelation:
    """A gold relation; ``source``, ``target`` and ``type`` list every acceptable reading."""

    source: tuple[str, ...]
    target: tuple[str, ...]
    type: tuple[str, ...]
    symmetric: bool = False
    required: bool = True
    modality: str = "asserted"
    negated: bool = False
    evidence: str = ""
    note: str | None = None

    def describe(self) -> str:
        """One readable line: ``a|b -[supports|backs]-> c (hedged): "evidence"``."""
        arrow = "<-[{}]->" if self.symmetric else "-[{}]->"
        neg = "NOT " if self.negated else ""
        head = f"{'|'.join(self.source)} {neg}{arrow.format('|'.join(self.type))} {'|'.join(self.target)}"
        return f'{head} ({self.modality}): "{self.evidence}"' if self.evidence else f"{head} ({self.modality})"


@dataclass(frozen=True)
class GoldDocument:
    """The gold annotation of one document (``text`` is given by evaluation sets, else None)."""

    document: str
    text: str | None
    actors: tuple[GoldActor, ...]
    relations: tuple[GoldRelation, ...]
    non_actors: tuple[str, ...] = ()
    symmetric_types: tuple[str, ...] = tuple(sorted(SYMMETRIC_TYPES))


@dataclass(frozen=True)
class Miss:
    """A required gold relation no extracted triple matched."""

    document: str
    relation: GoldRelation

    def __str__(self) -> str:
        return f"{self.document}: {self.relation.describe()}"


@dataclass(frozen=True)
class FalseRelation:
    """A distinct extracted triple that matches no gold relation."""

    document: str
    family: str
    source: str  # readable end: gold id(s), or the extracted name
    target: str
    negated: bool
    types: tuple[str, ...]  # the extracted edge types folded into this triple
    reason: str  # "no gold relation", "<name> is not an actor", "<name> is not a gold actor"
    evidence: str | None = None  # an evidence sentence of the triple, when the graph has one

    def __str__(self) -> str:
        neg = "NOT " if self.negated else ""
        line = f"{self.document}: {self.source} {neg}-[{'|'.join(self.types)}]-> {self.target} ({self.reason})"
        return f'{line}: "{self.evidence}"' if self.evidence else line


@dataclass(frozen=True)
class Counts:
    """The raw counts behind a Scores; summed over documents for micro averages."""

    documents: int = 0
    extracted: int = 0  # distinct extracted triples
    correct: int = 0  # distinct triples matching some gold relation
    required: int = 0  # required gold relations
    matched: int = 0  # required gold relations matched
    strict: int = 0  # required gold relations matched with an exact acceptable type
    modality_checked: int = 0  # gold relations matched (required or not)
    modality_agreed: int = 0
    gold_actors: int = 0  # gold actors that take part in some gold relation
    actors_found: int = 0
    edges: int = 0  # extracted edges of the five relation types
    edges_with_evidence: int = 0
    per_type: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # type -> (matched, required)

    def __add__(self, other: Counts) -> Counts:
        per_type = dict(self.per_type)
        for key, (m, r) in other.per_type.items():
            m0, r0 = per_type.get(key, (0, 0))
            per_type[key] = (m0 + m, r0 + r)
        sums = {
            name: getattr(self, name) + getattr(other, name)
            for name in self.__dataclass_fields__
            if name != "per_type"
        }
        return Counts(**sums, per_type=per_type)


@dataclass(frozen=True)
class Scores:
    """Scores of an extraction against gold; see the module docstring for the rules."""

    precision: float
    recall: float
    f1: float
    strict_type_recall: float
    modality_agreement: float
    actor_recall: float
    evidence_share: float
    counts: Counts
    per_type_recall: Mapping[str, float]
    misses: tuple[Miss, ...] = ()
    false_relations: tuple[FalseRelation, ...] = ()


# --------------------------------------------------------------------------------------------- loading

_QUOTES = "\"'`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a"
_QUOTE_RE = re.compile(f"[{re.escape(_QUOTES)}]")
_POSSESSIVE_RE = re.compile(r"['\u2019`]s$")
_THE_RE = re.compile(r"^the\s+")
_GAP_RE = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014]+")


def normalise_name(text: str) -> str:
    """The comparison key of a name: "the Kremlin's" -> "kremlin", "al-Sisi" -> "alsisi"."""
    s = unicodedata.normalize("NFKC", text).casefold().strip()
    s = s.strip(_QUOTES + " \t\n")
    s = _POSSESSIVE_RE.sub("", s)
    s = _QUOTE_RE.sub("", s).strip()
    s = _THE_RE.sub("", s)
    return _GAP_RE.sub("", s)


def family(relation_type: str) -> str:
    """The scoring family of a relation type: supports and backs are one."""
    return _FAMILIES.get(relation_type, relation_type)


def load_gold(source: str | Path | IO[str]) -> list[GoldDocument]:
    """Read a gold file: one gold object, or a JSON list of them (evaluation sets add a ``text`` field)."""
    name = getattr(source, "name", None) if hasattr(source, "read") else str(source)
    name = str(name or "<gold>")
    try:
        if hasattr(source, "read"):
            data = json.load(source)  # type: ignore[arg-type]
        else:
            with open(source, encoding="utf-8") as handle:
                data = json.load(handle)
    except OSError as exc:
        raise EvalError(f"{name}: cannot read the gold file ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise EvalError(f"{name}: the gold file is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise EvalError(f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from exc
    items = data if isinstance(data, list) else [data]
    if not items:
        raise EvalError(f"{name}: the gold file holds no documents")
    default = Path(name).name if not isinstance(data, list) else None
    docs = []
    for index, item in enumerate(items):
        where = f"{name}: document {index + 1}" if isinstance(data, list) else name
        try:
            docs.append(_parse_document(item, default))
        except _Bad as exc:
            raise EvalError(f"{where}: {exc}") from None
    return docs


class _Bad(Exception):
    """A field of a gold object is malformed (turned into an EvalError naming the file)."""


def _parse_document(obj: Any, default_name: str | None) -> GoldDocument:
    if not isinstance(obj, dict):
        raise _Bad(f"expected a JSON object, found {type(obj).__name__}")
    document = obj.get("document", default_name)
    if not isinstance(document, str) or not document:
        raise _Bad("'document' must be a non-empty string")
    text = obj.get("text")
    if text is not None and not isinstance(text, str):
        raise _Bad("'text' must be a string")
    actors = tuple(_parse_actor(a, i) for i, a in enumerate(_list(obj, "actors", required=True)))
    ids = {a.id for a in actors}
    if len(ids) != len(actors):
        raise _Bad("two actors share an id")
    relations = tuple(_parse_relation(r, i, ids) for i, r in enumerate(_list(obj, "relations", required=True)))
    non_actors = tuple(_strings(obj.get("non_actors", []), "'non_actors'"))
    symmetric = obj.get("symmetric_types", sorted(SYMMETRIC_TYPES))
    symmetric_types = tuple(_strings(symmetric, "'symmetric_types'"))
    for t in symmetric_types:
        if t not in RELATION_TYPES:
            raise _Bad(f"'symmetric_types' names an unknown relation type {t!r}")
    return GoldDocument(document, text, actors, relations, non_actors, symmetric_types)


def _list(obj: dict, key: str, *, required: bool = False) -> list:
    if key not in obj:
        if required:
            raise _Bad(f"missing {key!r}")
        return []
    value = obj[key]
    if not isinstance(value, list):
        raise _Bad(f"{key!r} must be a list")
    return value


def _strings(value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Bad(f"{what} must be a list of strings")
    return value


def _opt_str(obj: dict, key: str, what: str) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise _Bad(f"{what}: {key!r} must be a string")
    return value


def _parse_actor(obj: Any, index: int) -> GoldActor:
    what = f"actor {index + 1}"
    if not isinstance(obj, dict):
        raise _Bad(f"{what} must be a JSON object")
    actor_id = obj.get("id")
    if not isinstance(actor_id, str) or not actor_id.strip():
        raise _Bad(f"{what}: 'id' must be a non-empty string")
    what = f"actor {actor_id!r}"
    name = obj.get("name", actor_id)
    if not isinstance(name, str) or not name.strip():
        raise _Bad(f"{what}: 'name' must be a non-empty string")
    aliases = tuple(_strings(obj.get("aliases", []), f"{what}: 'aliases'"))
    return GoldActor(
        id=actor_id,
        name=name,
        type=_opt_str(obj, "type", what) or "",
        aliases=aliases,
        affiliation=_opt_str(obj, "affiliation", what),
        role=_opt_str(obj, "role", what),
    )


def _parse_relation(obj: Any, index: int, actor_ids: set[str]) -> GoldRelation:
    what = f"relation {index + 1}"
    if not isinstance(obj, dict):
        raise _Bad(f"{what} must be a JSON object")

    def one_or_many(key: str) -> tuple[str, ...]:
        value = obj.get(key)
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
            raise _Bad(f"{what}: {key!r} must be a string or a non-empty list of strings")
        return tuple(values)

    source, target, types = one_or_many("source"), one_or_many("target"), one_or_many("type")
    for end in source + target:
        if end not in actor_ids:
            raise _Bad(f"{what}: {end!r} is not the id of a gold actor")
    for t in types:
        if t not in RELATION_TYPES:
            raise _Bad(f"{what}: unknown relation type {t!r} (expected one of {', '.join(RELATION_TYPES)})")
    flags = {}
    for key, default in (("symmetric", False), ("required", True), ("negated", False)):
        flags[key] = obj.get(key, default)
        if not isinstance(flags[key], bool):
            raise _Bad(f"{what}: {key!r} must be true or false")
    modality = obj.get("modality", "asserted")
    if modality not in MODALITIES:
        raise _Bad(f"{what}: unknown modality {modality!r} (expected one of {', '.join(MODALITIES)})")
    evidence = obj.get("evidence", "")
    if not isinstance(evidence, str):
        raise _Bad(f"{what}: 'evidence' must be a string")
    return GoldRelation(
        source=source,
        target=target,
        type=types,
        symmetric=flags["symmetric"],
        required=flags["required"],
        modality=modality,
        negated=flags["negated"],
        evidence=evidence,
        note=_opt_str(obj, "note", what),
    )


# --------------------------------------------------------------------------------------------- mapping


@dataclass(frozen=True, order=True)
class _End:
    """One end of a reduced triple: the gold actors it may be, or a non-actor / unknown name."""

    kind: str  # "gold", NON_ACTOR or UNKNOWN
    ids: tuple[str, ...]  # sorted gold ids (kind "gold")
    label: str  # normalised name otherwise

    def show(self, names: Mapping[str, str]) -> str:
        return "|".join(self.ids) if self.kind == "gold" else names.get(self.label, self.label)


class _ActorIndex:
    """Normalised gold names, ids and aliases -> gold actor ids, in the tiers the module docstring gives."""

    def __init__(self, gold: GoldDocument) -> None:
        self.primary: dict[str, set[str]] = {}
        self.alias: dict[str, set[str]] = {}
        for actor in gold.actors:
            for text in (actor.id, actor.name):
                self.primary.setdefault(normalise_name(text), set()).add(actor.id)
            for text in actor.aliases:
                self.alias.setdefault(normalise_name(text), set()).add(actor.id)
        self.non_actors = {normalise_name(t) for t in gold.non_actors} - {""}

    def map(self, node: Any, attrs: Mapping[str, Any]) -> _End:
        name = attrs.get("name") or attrs.get("label") or str(node)
        own = [k for k in dict.fromkeys((normalise_name(str(name)), normalise_name(str(node)))) if k]
        aliases = attrs.get("aliases") or ()
        if isinstance(aliases, str):
            aliases = (aliases,)
        others = [k for k in dict.fromkeys(normalise_name(str(a)) for a in aliases) if k and k not in own]
        for keys in (own, others):
            for table in (self.primary, self.alias):
                hits = set().union(*(table.get(k, ()) for k in keys))
                if hits:
                    return _End("gold", tuple(sorted(hits)), "")
            if any(k in self.non_actors for k in keys):
                return _End(NON_ACTOR, (), own[0] if own else "")
        return _End(UNKNOWN, (), own[0] if own else str(node))


# --------------------------------------------------------------------------------------------- scoring


@dataclass
class _Triple:
    family: str
    source: _End
    target: _End
    negated: bool
    edges: list[dict] = field(default_factory=list)  # the edge attribute dicts folded into it


def _edges(graph: nx.Graph) -> Iterator[tuple[Any, Any, str, dict]]:
    """(source, target, type, attrs) of every edge of the five relation types."""
    if graph.is_multigraph():
        rows = ((u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True))
    else:
        rows = ((u, v, None, d) for u, v, d in graph.edges(data=True))
    for u, v, key, data in rows:
        kind = data.get("type")
        if kind is None and isinstance(key, str):
            kind = key.removeprefix("not_")
        if kind in RELATION_TYPES:
            yield u, v, kind, data


def _is_negated(data: Mapping[str, Any]) -> bool:
    return bool(data.get("negated", False))


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _text_key(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).casefold()
    s = re.sub(f"[{re.escape(_QUOTES)}]", "'", s)
    return " ".join(s.split())


def _matches(triple: _Triple, rel: GoldRelation, symmetric_families: set[str]) -> bool:
    if triple.negated != rel.negated or triple.family not in {family(t) for t in rel.type}:
        return False
    if triple.source.kind != "gold" or triple.target.kind != "gold":
        return False
    src, tgt = set(triple.source.ids), set(triple.target.ids)
    if src & set(rel.source) and tgt & set(rel.target):
        return True
    either_way = rel.symmetric or triple.family in symmetric_families
    return either_way and bool(src & set(rel.target)) and bool(tgt & set(rel.source))


def _asserted(modality: Any) -> bool:
    return modality == "asserted"


def _modality_agrees(rel: GoldRelation, edges: list[dict]) -> bool:
    """Whether the extracted modality class (asserted or not) of a matched relation agrees with the gold."""
    want = _asserted(rel.modality)
    pieces = [_text_key(p) for p in re.split(r"\.\.\.|\u2026", rel.evidence)]
    pieces = [p for p in pieces if p]
    stated = []
    if pieces:
        for data in edges:
            for ev in data.get("evidence") or ():
                if isinstance(ev, Mapping) and ev.get("sentence"):
                    sentence = _text_key(str(ev["sentence"]))
                    if all(p in sentence for p in pieces):
                        stated.append(ev.get("modality") or data.get("modality") or "asserted")
    if not stated:
        stated = [data.get("modality") or "asserted" for data in edges]
    return any(_asserted(m) == want for m in stated)


def _has_evidence(data: Mapping[str, Any]) -> bool:
    return any(
        (isinstance(ev, Mapping) and bool(ev.get("sentence"))) or (isinstance(ev, str) and bool(ev))
        for ev in (data.get("evidence") or ())
    )


def _first_sentence(edges: list[dict]) -> str | None:
    for data in edges:
        for ev in data.get("evidence") or ():
            sentence = ev.get("sentence") if isinstance(ev, Mapping) else ev
            if sentence:
                return str(sentence)
    return None


def _breakdown(gold: GoldDocument, matched: list[bool]) -> dict[str, tuple[int, int]]:
    per_type: dict[str, tuple[int, int]] = {}
    for rel, hit in zip(gold.relations, matched):
        if rel.required:
            m, r = per_type.get(rel.type[0], (0, 0))
            per_type[rel.type[0]] = (m + hit, r + 1)
    return per_type


def _score(gold: GoldDocument, graph: nx.Graph) -> tuple[Counts, list[Miss], list[FalseRelation]]:
    index = _ActorIndex(gold)
    ends = {node: index.map(node, attrs) for node, attrs in graph.nodes(data=True)}
    names = {}
    for node, attrs in graph.nodes(data=True):
        names.setdefault(ends[node].label, str(attrs.get("name") or node))
    symmetric_families = {family(t) for t in gold.symmetric_types}

    triples: dict[tuple, _Triple] = {}
    edges = with_evidence = 0
    for u, v, kind, data in _edges(graph):
        edges += 1
        with_evidence += _has_evidence(data)
        fam, src, tgt = family(kind), ends[u], ends[v]
        if fam in symmetric_families and tgt < src:
            src, tgt = tgt, src
        key = (fam, src, tgt, _is_negated(data))
        triple = triples.setdefault(key, _Triple(fam, src, tgt, key[3]))
        triple.edges.append({**data, "type": kind})

    correct = 0
    false_relations = []
    matched_edges: list[list[dict]] = [[] for _ in gold.relations]
    for triple in triples.values():
        hits = [i for i, rel in enumerate(gold.relations) if _matches(triple, rel, symmetric_families)]
        for i in hits:
            matched_edges[i].extend(triple.edges)
        if hits:
            correct += 1
            continue
        bad = [end for end in (triple.source, triple.target) if end.kind != "gold"]
        if bad and bad[0].kind == NON_ACTOR:
            reason = f"{bad[0].show(names)} is not an actor"
        elif bad:
            reason = f"{bad[0].show(names)} is not a gold actor"
        else:
            reason = "no gold relation"
        false_relations.append(FalseRelation(
            document=gold.document,
            family=triple.family,
            source=triple.source.show(names),
            target=triple.target.show(names),
            negated=triple.negated,
            types=tuple(sorted({d["type"] for d in triple.edges})),
            reason=reason,
            evidence=_first_sentence(triple.edges),
        ))

    required = matched = strict = checked = agreed = 0
    misses = []
    for rel, found in zip(gold.relations, matched_edges):
        if found:
            checked += 1
            agreed += _modality_agrees(rel, found)
        if not rel.required:
            continue
        required += 1
        if found:
            matched += 1
            strict += any(d["type"] in rel.type for d in found)
        else:
            misses.append(Miss(gold.document, rel))

    in_relations = {end for rel in gold.relations for end in rel.source + rel.target}
    mapped = {i for end in ends.values() if end.kind == "gold" for i in end.ids}
    counts = Counts(
        documents=1,
        extracted=len(triples),
        correct=correct,
        required=required,
        matched=matched,
        strict=strict,
        modality_checked=checked,
        modality_agreed=agreed,
        gold_actors=len(in_relations),
        actors_found=len(in_relations & mapped),
        edges=edges,
        edges_with_evidence=with_evidence,
        per_type=_breakdown(gold, [bool(f) for f in matched_edges]),
    )
    return counts, misses, false_relations


def _scores(counts: Counts, misses: Iterable[Miss], false_relations: Iterable[FalseRelation]) -> Scores:
    precision = _ratio(counts.correct, counts.extracted)
    recall = _ratio(counts.matched, counts.required)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(
        precision=precision,
        recall=recall,
        f1=f1,
        strict_type_recall=_ratio(counts.strict, counts.required),
        modality_agreement=_ratio(counts.modality_agreed, counts.modality_checked),
        actor_recall=_ratio(counts.actors_found, counts.gold_actors),
        evidence_share=_ratio(counts.edges_with_evidence, counts.edges),
        counts=counts,
        per_type_recall={t: _ratio(m, r) for t, (m, r) in sorted(counts.per_type.items())},
        misses=tuple(misses),
        false_relations=tuple(false_relations),
    )


def evaluate_graph(gold: GoldDocument, graph: nx.Graph) -> Scores:
    """Score one document's extracted graph (nodes: actor id with name, aliases; edges with type,
    modality, negated, evidence) against its gold annotation."""
    return _scores(*_score(gold, graph))


def evaluate_corpus(pairs: Iterable[tuple[GoldDocument, nx.Graph]]) -> Scores:
    """Micro-averaged scores over documents: counts are summed, then turned into ratios."""
    total = Counts()
    misses: list[Miss] = []
    false_relations: list[FalseRelation] = []
    for gold, graph in pairs:
        counts, doc_misses, doc_false = _score(gold, graph)
        total = total + counts
        misses.extend(doc_misses)
        false_relations.extend(doc_false)
    return _scores(total, misses, false_relations)


# --------------------------------------------------------------------------------------------- report


def format_scores(scores: Scores, *, misses: bool = False, false_relations: bool = False) -> str:
    """A plain-text report, one figure a line; the last four lines are a compact summary."""
    c = scores.counts
    lines = [
        f"documents            {c.documents}",
        f"extracted triples    {c.extracted}",
        f"correct triples      {c.correct}",
        f"required relations   {c.required}",
        f"matched relations    {c.matched}",
        f"precision            {scores.precision:.3f}",
        f"recall               {scores.recall:.3f}",
        f"f1                   {scores.f1:.3f}",
        f"strict-type recall   {scores.strict_type_recall:.3f}",
        f"modality agreement   {scores.modality_agreement:.3f}  ({c.modality_agreed}/{c.modality_checked})",
        f"actor recall         {scores.actor_recall:.3f}  ({c.actors_found}/{c.gold_actors})",
        f"evidence share       {scores.evidence_share:.3f}  ({c.edges_with_evidence}/{c.edges})",
    ]
    for kind, value in scores.per_type_recall.items():
        m, r = c.per_type[kind]
        lines.append(f"recall {kind:<13} {value:.3f}  ({m}/{r})")
    if misses:
        lines.append(f"missed required relations ({len(scores.misses)}):")
        lines.extend(f"  {m}" for m in scores.misses)
    if false_relations:
        lines.append(f"false relations ({len(scores.false_relations)}):")
        lines.extend(f"  {f}" for f in scores.false_relations)
    lines += [
        f"triples {c.extracted} extracted, {c.correct} correct; required relations {c.matched}/{c.required} found",
        f"strict-type recall {scores.strict_type_recall:.3f}  modality agreement {scores.modality_agreement:.3f}",
        f"actor recall {scores.actor_recall:.3f}  evidence share {scores.evidence_share:.3f}",
        f"precision {scores.precision:.3f}  recall {scores.recall:.3f}  f1 {scores.f1:.3f}",
    ]
    return "\n".join(lines)
