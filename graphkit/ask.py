"""Answer plain-English questions about the graph ("Who backs Haftar?") with the named queries.

Questions are parsed with a small grammar of question forms (regular expressions), not with spaCy. Each form maps
to one named query; actor names are resolved with graphkit.resolve_names.match_actor.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import QueryError
from .queries import QuerySession, get_query, prepare_params
from .records import AFFILIATION, Actor
from .resolve_names import match_actor

# -- verbs -----------------------------------------------------------------------------------------------------

#: Relation families a question can ask about: the relation types they cover, and their verbs (any inflection).
FAMILIES: dict[str, tuple[str, ...]] = {
    "backs": ("backs", "supports"),
    "meets": ("meets",),
    "pressures": ("pressures",),
    "opposes": ("opposes",),
}

_VERBS: dict[str, str] = {
    "backs": (
        r"back(?:s|ed|ing)?|support(?:s|ed|ing)?|fund(?:s|ed|ing)?|financ(?:e|es|ed|ing)|arm(?:s|ed|ing)?"
        r"|sponsor(?:s|ed|ing)?|bankroll(?:s|ed|ing)?|aid(?:s|ed|ing)?|help(?:s|ed|ing)?|endors(?:e|es|ed|ing)"
    ),
    "meets": (
        r"(?:meet(?:s|ing)?|met|talk(?:s|ed|ing)?|spoke|speak(?:s|ing)?|negotiat(?:e|es|ed|ing)"
        r"|h(?:old|olds|eld|olding)\s+talks)(?:\s+(?:with|to))?"
    ),
    "pressures": (
        r"pressur(?:e|es|ed|ing)|press(?:es|ed|ing)?|urg(?:e|es|ed|ing)|threaten(?:s|ed|ing)?"
        r"|push(?:es|ed|ing)?|lean(?:s|ed|ing)?\s+on|sanction(?:s|ed|ing)?"
    ),
    "opposes": (
        r"oppos(?:e|es|ed|ing)|fight(?:s|ing)?|fought|attack(?:s|ed|ing)?|resist(?:s|ed|ing)?"
        r"|condemn(?:s|ed|ing)?|confront(?:s|ed|ing)?|combat(?:s|ted|ting)?"
    ),
}
_FAMILY_OF_GROUP = {f"v_{name}": name for name in _VERBS}
VERB = "(?:" + "|".join(f"(?P<v_{name}>{pattern})" for name, pattern in _VERBS.items()) + r")\b"
VERB_RE = re.compile(r"\b" + VERB, re.IGNORECASE)
_VERB_ONLY = re.compile(r"^" + VERB + r"$", re.IGNORECASE)
_NOUNS = {
    "backs": r"backers|supporters|sponsors|allies|patrons",
    "opposes": r"opponents|enemies|adversaries|foes|critics",
    "pressures": r"pressurers",
    "meets": r"interlocutors",
}
_NOUN_ONLY = re.compile("^(?:" + "|".join(f"(?P<v_{n}>{p})" for n, p in _NOUNS.items()) + ")$", re.IGNORECASE)

_BASE = {"backs": "back", "supports": "support", "meets": "meet", "pressures": "pressure", "opposes": "oppose"}
_AUX = r"(?:does|do|did|is|are|was|were|has|have|had|will|would|can|could)"
_WHO = r"(?:who|whom|which\s+actors?|what\s+actors?|which\s+(?:people|persons|groups|organi[sz]ations|states))"

#: The question forms that work, for the error message of an unsupported question.
SUPPORTED_FORMS: tuple[str, ...] = (
    "Who backs X? / Who supports X? / Who funds X?",
    "Whom does X back? / Who does X support?",
    "Who met X? / Who meets X? / Who talks with X?",
    "Who pressures X? / Who opposes X?",
    "Does X back Y? (also meet, pressure, oppose)",
    "How is X connected to Y?",
    "Which countries back X?",
    "What is the evidence that X backs Y?",
    "Who backs the backers of X? / Indirect backers of X",
)


def family_of(verb: str) -> str:
    """The relation family of a verb or noun ("backed" -> "backs", "met with" -> "meets")."""
    text = re.sub(r"\s+", " ", verb.strip())
    for pattern in (_VERB_ONLY, _NOUN_ONLY):
        match = pattern.match(text)
        if match:
            return _family(match)
    raise QueryError(f"unknown verb {verb!r}")


def _family(match: re.Match[str]) -> str:
    for group, name in _FAMILY_OF_GROUP.items():
        if match.groupdict().get(group):
            return name
    raise QueryError("no verb")  # pragma: no cover - the patterns always set one group


# -- answers ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What ``answer`` found: the form and named query used, its rows, and what the text needs.

    ``kind`` is one of: incoming (who VERB X), outgoing (whom does X VERB), yesno, paths, countries, evidence,
    indirect. ``verdict`` is set for yes/no questions: "yes", "no" (only negated statements), "conflicting"
    (both) or "unknown" (no statement). ``evidence`` maps a relation key to its evidence rows.
    """

    question: str
    form: str
    kind: str
    rows: tuple[dict[str, Any], ...]
    subject: Actor
    other: Actor | None = None
    relation: str | None = None
    types: tuple[str, ...] = ()
    verdict: str | None = None
    related: tuple[dict[str, Any], ...] = ()
    evidence: Mapping[str, tuple[dict[str, Any], ...]] = field(default_factory=dict)
    since: str | None = None
    until: str | None = None


@dataclass
class _Context:
    question: str
    session: QuerySession
    since: str | None
    until: str | None
    with_evidence: bool = True

    def actor(self, name: str) -> Actor:
        return match_actor(_clean_name(name), self.session.actors())

    def run(self, name: str, **params: Any) -> list[dict[str, Any]]:
        return self.session.run(name, {**params, "since": self.since, "until": self.until}, resolve=False)

    def evidence_for(self, rows: list[dict[str, Any]]) -> dict[str, tuple[dict[str, Any], ...]]:
        """The evidence rows of every relation key mentioned by ``rows`` (relation rows or path rows)."""
        if not self.with_evidence:
            return {}
        keys: list[str] = []
        for row in rows:
            if "key" not in row:
                continue
            keys.extend(k for k in str(row["key"]).split(";") if k.count("|") == 3)
        found: dict[str, tuple[dict[str, Any], ...]] = {}
        fetched: set[tuple[str, str, str]] = set()
        for key in dict.fromkeys(keys):
            source, type_, target, _ = key.split("|")
            if (source, target, type_) in fetched:
                continue
            fetched.add((source, target, type_))
            for ev in self.run("evidence", source=source, target=target, type=type_):
                found.setdefault(ev["key"], ())
                found[ev["key"]] += (ev,)
        return {k: found.get(k, ()) for k in dict.fromkeys(keys)}


def _clean_name(name: str) -> str:
    name = re.sub(r"^\s*(?:the\s+)", "", name.strip(), flags=re.IGNORECASE)
    return re.sub(r"['’]s$", "", name.strip(" ,.;:!?\"'"))


def normalize_question(question: str) -> str:
    """One line, single spaces, no trailing punctuation."""
    return re.sub(r"\s+", " ", question).strip().rstrip("?!. ").strip()


# -- the forms -------------------------------------------------------------------------------------------------

Handler = Callable[[_Context, re.Match[str]], Answer]


def _split_pair(ctx: _Context, text: str, separator: re.Pattern[str]) -> tuple[Actor, Actor, re.Match[str]]:
    """Split "X <sep> Y" at the separator where both sides are known actors."""
    first_error: QueryError | None = None
    for sep in separator.finditer(text):
        left, right = text[: sep.start()].strip(), text[sep.end():].strip()
        if not left or not right:
            continue
        try:
            return ctx.actor(left), ctx.actor(right), sep
        except QueryError as error:
            first_error = first_error or error
    if first_error:
        raise first_error
    raise QueryError(_unsupported(ctx.question))


def _list_answer(ctx: _Context, kind: str, family: str, actor: Actor) -> Answer:
    types = list(FAMILIES[family])
    if family == "meets":
        form, rows = "meetings", ctx.run("meetings", actor=actor.id)
    elif kind == "outgoing":
        form, rows = "backed_by", ctx.run("backed_by", actor=actor.id, types=types)
    elif family == "backs":
        form, rows = "backers", ctx.run("backers", actor=actor.id, types=types)
    else:
        form, rows = family, ctx.run(family, actor=actor.id)
    contrary = _contrary(ctx, kind, family, actor, rows)
    return Answer(
        question=ctx.question, form=form, kind="both" if family == "meets" else kind, rows=tuple(rows),
        subject=actor, relation=family, types=tuple(types), related=tuple(contrary),
        evidence=ctx.evidence_for(list(rows) + contrary), since=ctx.since, until=ctx.until,
    )


#: Families whose statements contradict each other: backing X and opposing X.
OPPOSITE_FAMILY = {"backs": "opposes", "opposes": "backs"}


def _contrary(ctx: _Context, kind: str, family: str, actor: Actor, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Statements of the opposite family between the same pairs: where sources disagree."""
    other = OPPOSITE_FAMILY.get(family)
    if other is None or not rows:
        return []
    if kind == "outgoing":
        found = ctx.run("backed_by", actor=actor.id, types=list(FAMILIES[other]))
    elif other == "backs":
        found = ctx.run("backers", actor=actor.id, types=list(FAMILIES[other]))
    else:
        found = ctx.run(other, actor=actor.id)
    pairs = {(r["source_id"], r["target_id"]) for r in rows if not r["negated"]}
    return [r for r in found if (r["source_id"], r["target_id"]) in pairs and not r["negated"]]


def _incoming(ctx: _Context, m: re.Match[str]) -> Answer:
    return _list_answer(ctx, "incoming", _family(m), ctx.actor(m.group("x")))


def _outgoing(ctx: _Context, m: re.Match[str]) -> Answer:
    return _list_answer(ctx, "outgoing", _family(m), ctx.actor(m.group("x")))


def _yesno(ctx: _Context, m: re.Match[str]) -> Answer:
    source, target, verb = _split_pair(ctx, m.group("pair"), VERB_RE)
    family = _family(verb)
    types = FAMILIES[family]
    rows = ctx.run("between", source=source.id, target=target.id)
    undirected = family == "meets"

    def asked(row: dict[str, Any]) -> bool:
        forward = row["source_id"] == source.id and row["target_id"] == target.id
        return row["type"] in types and (forward or undirected)

    hits = [r for r in rows if asked(r)]
    related = [r for r in rows if not asked(r)]
    affirmed = any(not r["negated"] for r in hits)
    denied = any(r["negated"] for r in hits)
    verdict = "conflicting" if affirmed and denied else "yes" if affirmed else "no" if denied else "unknown"
    return Answer(
        question=ctx.question, form="between", kind="yesno", rows=tuple(hits), subject=source, other=target,
        relation=family, types=types, verdict=verdict, related=tuple(related),
        evidence=ctx.evidence_for(hits + related), since=ctx.since, until=ctx.until,
    )


def _paths(separator: str) -> Handler:
    pattern = re.compile(separator, re.IGNORECASE)

    def handle(ctx: _Context, m: re.Match[str]) -> Answer:
        source, target, _ = _split_pair(ctx, m.group("pair"), pattern)
        if source.id == target.id:
            raise QueryError(f"{source.name} is the same actor twice; ask how two different actors are connected")
        rows = ctx.run("paths", source=source.id, target=target.id)
        return Answer(
            question=ctx.question, form="paths", kind="paths", rows=tuple(rows), subject=source, other=target,
            evidence=ctx.evidence_for(rows), since=ctx.since, until=ctx.until,
        )

    return handle


def _countries(ctx: _Context, m: re.Match[str]) -> Answer:
    family = _family(m)
    actor = ctx.actor(m.group("x"))
    rows = ctx.run("country_rollup", actor=actor.id, types=list(FAMILIES[family]))
    return Answer(
        question=ctx.question, form="country_rollup", kind="countries", rows=tuple(rows), subject=actor,
        relation=family, types=FAMILIES[family], since=ctx.since, until=ctx.until,
    )


def _evidence(ctx: _Context, m: re.Match[str]) -> Answer:
    source, target, verb = _split_pair(ctx, m.group("pair"), VERB_RE)
    family = _family(verb)
    types = FAMILIES[family]
    rows = [r for r in ctx.run("evidence", source=source.id, target=target.id, type=None) if r["type"] in types]
    if family == "meets":
        rows += [r for r in ctx.run("evidence", source=target.id, target=source.id, type=None) if r["type"] in types]
    return Answer(
        question=ctx.question, form="evidence", kind="evidence", rows=tuple(rows), subject=source, other=target,
        relation=family, types=types, since=ctx.since, until=ctx.until,
    )


def _indirect(ctx: _Context, m: re.Match[str]) -> Answer:
    actor = ctx.actor(m.group("x"))
    rows = ctx.run("indirect_backers", actor=actor.id, types=list(FAMILIES["backs"]), depth=2)
    return Answer(
        question=ctx.question, form="indirect_backers", kind="indirect", rows=tuple(rows), subject=actor,
        relation="backs", types=FAMILIES["backs"], since=ctx.since, until=ctx.until,
    )


_BACK_VERB = r"(?P<v_backs>" + _VERBS["backs"] + r")"
_BACKERS = r"(?:backers|supporters|sponsors|patrons)"
_X = r"(?P<x>.+)"
_FORMS: tuple[tuple[str, Handler], ...] = (
    # evidence first: its body is a whole yes/no statement
    (r"^(?:(?:what|where)(?:'s|\s+is|\s+are)\s+(?:the\s+)?|show\s+(?:me\s+)?(?:the\s+)?|give\s+(?:me\s+)?"
     r"(?:the\s+)?)?(?:evidence|proof|sources?|sentences?)\s+(?:that|for|of)\s+(?P<pair>.+)$", _evidence),
    # backers of backers
    (rf"^{_WHO}\s+(?:{_AUX}\s+)?{_BACK_VERB}\s+(?:the\s+)?{_BACKERS}\s+of\s+{_X}$", _indirect),
    (rf"^(?:(?:who|what)\s+are\s+|list\s+|show\s+(?:me\s+)?)?(?:the\s+)?indirect\s+(?P<v_backs>{_BACKERS})"
     rf"(?:\s+of)?\s+{_X}$", _indirect),
    (rf"^(?:(?:who|what)\s+are\s+)?(?:the\s+)?{_BACKERS}\s+of\s+(?:the\s+)?(?P<v_backs>{_BACKERS})\s+of\s+{_X}$",
     _indirect),
    # countries
    (r"^(?:which|what)\s+(?:countries|country|states|nations|governments)\s+(?:" + _AUX + r"\s+)?" + VERB
     + rf"\s+{_X}$", _countries),
    # connections
    (r"^how\s+(?:is|are|was|were)\s+(?P<pair>.+?)\s+(?:connected|linked|related|tied)$", _paths(r"\s+(?:and|&)\s+")),
    (r"^how\s+(?:is|are|was|were)\s+(?P<pair>.+\s+(?:connected|linked|related|tied)\s+(?:to|with)\s+.+)$",
     _paths(r"\s+(?:connected|linked|related|tied)\s+(?:to|with)\s+")),
    (r"^what\s+(?:connects|links)\s+(?P<pair>.+)$", _paths(r"\s+(?:and|to|with)\s+")),
    (r"^(?:(?:show|list)\s+(?:me\s+)?)?(?:the\s+)?(?:shortest\s+)?(?:paths?|connections?|links?)\s+"
     r"(?:from|between)\s+(?P<pair>.+)$", _paths(r"\s+(?:to|and)\s+")),
    # passive: "Who is backed by Russia?" (outgoing of Russia), "Who is Haftar backed by?" (incoming)
    (rf"^{_WHO}\s+(?:is|are|was|were|has\s+been|have\s+been|had\s+been)\s+{VERB}\s+by\s+{_X}$", _outgoing),
    (rf"^(?:{_WHO}|by\s+whom)\s+(?:is|are|was|were|has|have|had)\s+(?:been\s+)?(?P<x>.+?)\s+(?:been\s+)?{VERB}"
     r"\s+by$", _incoming),
    # "Whom does Russia back?", "Who did Lavrov meet with?"
    (rf"^{_WHO}\s+{_AUX}\s+(?P<x>.+?)\s+{VERB}$", _outgoing),
    # "Who backs Haftar?", "Who is backing Haftar?", "Who met Lavrov?"
    (rf"^{_WHO}\s+(?:{_AUX}\s+(?:been\s+)?)?{VERB}\s+{_X}$", _incoming),
    # "Who are the backers of Haftar?", "opponents of Gaddafi", "Haftar's backers"
    (r"^(?:(?:who|what)\s+(?:are|were)\s+|list\s+|show\s+(?:me\s+)?)?(?:the\s+)?(?:"
     + "|".join(f"(?P<v_{n}>{p})" for n, p in _NOUNS.items()) + rf")\s+of\s+{_X}$", _incoming),
    (r"^(?:(?:who|what)\s+(?:are|were)\s+|list\s+|show\s+(?:me\s+)?)?(?P<x>.+?)['’]s?\s+(?:"
     + "|".join(f"(?P<v_{n}>{p})" for n, p in _NOUNS.items()) + r")$", _incoming),
    # "Does Egypt back Haftar?"
    (rf"^{_AUX}\s+(?P<pair>.+)$", _yesno),
)
_COMPILED = tuple((re.compile(pattern, re.IGNORECASE), handler) for pattern, handler in _FORMS)


def _unsupported(question: str) -> str:
    return f"cannot answer {question!r}; questions that work: " + " | ".join(SUPPORTED_FORMS)


def answer(question: str, store: Any, *, since: str | None = None, until: str | None = None,
           evidence: bool = True) -> Answer:
    """Answer a question with the named queries on ``store`` (SQLite or Neo4j), inside the since/until window.

    With ``evidence=False`` the evidence sentences are not fetched (the rows still count them).
    Unknown or ambiguous actors and unsupported questions raise QueryError.
    """
    text = normalize_question(question or "")
    if not text:
        raise QueryError(_unsupported(question or ""))
    session = QuerySession(store)
    bounds = prepare_params(get_query("overview"), {"since": since, "until": until})  # checks the dates
    ctx = _Context(question=question, session=session, since=bounds["since"], until=bounds["until"],
                   with_evidence=evidence)
    for pattern, handler in _COMPILED:
        match = pattern.match(text)
        if match:
            return handler(ctx, match)
    raise QueryError(_unsupported(question))


# -- text ------------------------------------------------------------------------------------------------------


def verb_phrase(type_: str, negated: bool) -> str:
    """The verb of a relation row: "backs" / "does NOT back"; "is affiliated with" / "is NOT affiliated with"."""
    if type_ == AFFILIATION:
        return "is NOT affiliated with" if negated else "is affiliated with"
    return f"does NOT {_BASE.get(type_, type_)}" if negated else type_


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _relation_line(row: Mapping[str, Any]) -> str:
    seen = row.get("first_seen")
    span = ""
    if seen:
        span = f", {seen}" if seen == row.get("last_seen") else f", {seen} to {row.get('last_seen')}"
    return (
        f"{row['source_name']} {verb_phrase(row['type'], bool(row['negated']))} {row['target_name']} "
        f"({row['modality']}; {_count(int(row['evidence']), 'evidence sentence')} in "
        f"{_count(int(row['documents']), 'document')}{span})"
    )


def _evidence_lines(rows: tuple[Mapping[str, Any], ...], indent: str = "    ") -> list[str]:
    lines = []
    for ev in rows:
        where = ev["document"] + (f", {ev['date']}" if ev.get("date") else "")
        extra = "" if ev.get("modality") in (None, "asserted") else f", {ev['modality']}"
        said = f", according to {ev['attribution']}" if ev.get("attribution") else ""
        lines.append(f'{indent}"{ev["sentence"]}" ({where}{extra}{said})')
    return lines


def _window(answer: Answer) -> str:
    if not answer.since and not answer.until:
        return ""
    return f" between {answer.since or 'the beginning'} and {answer.until or 'now'}"


def format_answer(answer: Answer, *, evidence: bool = False) -> str:
    """Plain text: who, the relation (negation as "does NOT back"), modality and evidence counts;
    with ``evidence`` also the sentences and their documents."""
    lines: list[str] = []
    name = answer.subject.name
    relation = answer.relation or ""
    window = _window(answer)

    contrary: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    if answer.kind in ("incoming", "outgoing"):
        for other in answer.related:
            contrary.setdefault((other["source_id"], other["target_id"]), []).append(other)

    def with_evidence(row: Mapping[str, Any]) -> None:
        lines.append("- " + _relation_line(row))
        if evidence:
            lines.extend(_evidence_lines(answer.evidence.get(row["key"], ())))
        if answer.kind in ("incoming", "outgoing") and not row["negated"]:
            for other in contrary.get((row["source_id"], row["target_id"]), ()):  # stated the other way elsewhere
                lines.append("    sources disagree: " + _relation_line(other))
                if evidence:
                    lines.extend(_evidence_lines(answer.evidence.get(other["key"], ()), indent="      "))

    if answer.kind in ("incoming", "outgoing", "both"):
        if not answer.rows:
            if answer.kind == "outgoing":
                lines.append(f"No stored statement that {name} {relation} anyone{window}.")
            elif answer.kind == "both":
                lines.append(f"No stored meeting of {name}{window}.")
            else:
                lines.append(f"No stored statement that anyone {relation} {name}{window}.")
        else:
            title = {
                "incoming": f"Who {relation.replace('backs', 'backs or supports')} {name}",
                "outgoing": f"Whom {name} {relation.replace('backs', 'backs or supports')}",
                "both": f"Meetings of {name}",
            }[answer.kind]
            lines.append(f"{title}{window}: {_count(len(answer.rows), 'relation')}")
            for row in answer.rows:
                with_evidence(row)
    elif answer.kind == "yesno":
        other = answer.other.name if answer.other else ""
        phrase = f"{name} {relation} {other}"
        head = {
            "yes": "Yes", "no": "No", "conflicting": "Conflicting evidence", "unknown": "Unknown",
        }[answer.verdict or "unknown"]
        if answer.verdict == "unknown":
            lines.append(f"Unknown: no stored statement that {phrase}{window}.")
        else:
            modalities = sorted({r["modality"] for r in answer.rows if not r["negated"]})
            hedge = f" ({', '.join(modalities)})" if modalities and modalities != ["asserted"] else ""
            lines.append(f"{head}{hedge}:")
            for row in answer.rows:
                with_evidence(row)
        if answer.related:
            lines.append(f"Other relations between {name} and {other}:")
            for row in answer.related:
                with_evidence(row)
    elif answer.kind == "paths":
        other = answer.other.name if answer.other else ""
        if not answer.rows:
            lines.append(f"No connection between {name} and {other} within 4 steps{window}.")
        else:
            hops = answer.rows[0]["hops"]
            lines.append(
                f"{name} is connected to {other} in {_count(hops, 'step')} ({_count(len(answer.rows), 'path')}):"
            )
            for row in answer.rows:
                lines.append("- " + _path_text(row))
                if evidence:
                    for key in str(row["key"]).split(";"):
                        if key:
                            lines.extend(_evidence_lines(answer.evidence.get(key, ())))
    elif answer.kind == "countries":
        if not answer.rows:
            lines.append(f"No country {relation} {name}{window}.")
        else:
            lines.append(f"Countries that {_BASE.get(relation, relation)} {name}{window}:")
            for row in answer.rows:
                parts = ["directly"] if row["direct"] else []
                if row["officials"]:
                    parts.append(
                        f"through {_count(row['officials'], 'affiliated backer')}: {', '.join(row['official_names'])}"
                    )
                lines.append(
                    f"- {row['country_name']} ({'; '.join(parts)}; "
                    f"{_count(int(row['evidence']), 'evidence sentence')})"
                )
    elif answer.kind == "indirect":
        if not answer.rows:
            lines.append(f"No stored backer of a backer of {name}{window}.")
        else:
            lines.append(f"Backers of the backers of {name}{window}:")
            for row in answer.rows:
                lines.append(f"- {row['actor_name']}, through {row['via_name']} ({_count(int(row['depth']), 'step')})")
    elif answer.kind == "evidence":
        other = answer.other.name if answer.other else ""
        if not answer.rows:
            lines.append(f"No evidence that {name} {relation} {other}{window}.")
        else:
            lines.append(f"Evidence that {name} {relation} {other}{window}: {_count(len(answer.rows), 'sentence')}")
            last_key = None
            for row in answer.rows:
                if row["key"] != last_key:
                    lines.append(f"- {row['source_name']} {verb_phrase(row['type'], bool(row['negated']))} "
                                 f"{row['target_name']}:")
                    last_key = row["key"]
                lines.extend(_evidence_lines((row,)))
    return "\n".join(lines)


def _path_text(row: Mapping[str, Any]) -> str:
    names = row["actor_names"]
    text = names[0]
    for i, type_ in enumerate(row["types"]):
        label = ("NOT " if row["negated"][i] else "") + type_
        text += f" -[{label}]-> " if row["forward"][i] else f" <-[{label}]- "
        text += names[i + 1]
    return text


def _actor_json(actor: Actor | None) -> dict[str, Any] | None:
    return None if actor is None else {"id": actor.id, "name": actor.name, "type": actor.type}


def answer_to_json(answer: Answer) -> dict[str, Any]:
    """A JSON-ready dict of the answer (rows, verdict, evidence and the plain text)."""
    return {
        "question": answer.question,
        "form": answer.form,
        "kind": answer.kind,
        "relation": answer.relation,
        "types": list(answer.types),
        "subject": _actor_json(answer.subject),
        "other": _actor_json(answer.other),
        "verdict": answer.verdict,
        "since": answer.since,
        "until": answer.until,
        "rows": [dict(r) for r in answer.rows],
        "related": [dict(r) for r in answer.related],
        "evidence": {k: [dict(e) for e in v] for k, v in answer.evidence.items()},
        "text": format_answer(answer),
    }


__all__ = ["FAMILIES", "SUPPORTED_FORMS", "Answer", "answer", "answer_to_json", "family_of", "format_answer"]
