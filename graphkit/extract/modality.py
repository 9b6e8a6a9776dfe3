"""Modality (asserted, hedged, planned, claimed), negation and attribution of a relation's trigger word."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from .actors import DocActors
from .lexicon import Lexicon

MODAL_DEPS = frozenset({"aux", "auxpass", "advmod", "neg", "acomp", "prt", "det", "amod", "mark"})
_STOP_AT = frozenset({"ROOT"})


def _scope(trigger: Token, lex: Lexicon) -> Iterator[Token]:
    """The trigger, the words that modify it, and its governors up to the first reporting verb."""
    t = trigger
    while True:
        yield t
        yield from (c for c in t.children if c.dep_ in MODAL_DEPS)
        if t.dep_ in _STOP_AT or t.head.i == t.i or t.lemma_.lower() in lex.attribution_verbs and t.i != trigger.i:
            return
        if t.dep_ in ("ccomp",) and t.head.lemma_.lower() in lex.attribution_verbs:
            return
        t = t.head


def modality(trigger: Token, lex: Lexicon) -> str:
    """asserted, hedged (may, likely, supposed to, a question), planned (will, due to, exploring the option of)
    or claimed (X claims, they hope)."""
    words = {t.lower_ for t in _scope(trigger, lex)} | {t.lemma_.lower() for t in _scope(trigger, lex)}
    # a claim governs its complement even across the reporting boundary: "Haftar claims that Moscow will ..."
    t = trigger
    while t.head.i != t.i:
        if t.dep_ == "ccomp" and t.head.lemma_.lower() in lex.claimed:
            return "claimed"
        t = t.head
    if words & lex.claimed:
        return "claimed"
    sent = trigger.sent
    if words & lex.hedged or sent.text.rstrip(" \"'”’").endswith("?"):
        return "hedged"
    if words & lex.planned:
        return "planned"
    return "asserted"


def negated(trigger: Token, lex: Lexicon) -> bool:
    """Whether the text denies the relation: 'did not back', 'no support from', 'refused to meet'."""
    t = trigger
    for _ in range(4):
        if any(c.dep_ == "neg" or (c.lower_ in lex.negation and c.dep_ in ("det", "advmod", "neg", "preconj"))
               for c in t.children):
            return True
        if t.dep_ not in ("xcomp", "conj", "pcomp", "pobj", "prep", "dobj") or t.head.i == t.i:
            return False
        if t.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            return False  # "did not back Ankara, and the United States continues to arm the SDF"
        if t.dep_ == "xcomp" and t.head.lemma_.lower() in ("refuse", "decline", "fail", "cease", "stop"):
            return True
        t = t.head
    return False


def attribution(trigger: Token, actors: DocActors, lex: Lexicon) -> str | None:
    """Who says so: 'according to the Independent', 'the Independent reported', 'X said'."""
    sent: Span = trigger.sent
    for tok in sent:
        if tok.lower_ == "according":
            for to in (c for c in tok.children if c.lower_ == "to"):
                for pobj in (c for c in to.children if c.dep_ == "pobj"):
                    return _phrase(pobj)
    t = trigger
    while t.head.i != t.i:
        t = t.head
        if t.lemma_.lower() in lex.attribution_verbs:
            subj = next((c for c in t.children if c.dep_ in ("nsubj",)), None)
            if subj is not None and subj.pos_ != "PRON":
                return _phrase(subj)
    return None


def _phrase(token: Token) -> str:
    span = token.doc[token.left_edge.i:token.right_edge.i + 1]
    return span.text.strip(" ,\"'“”")
