"""Dependency patterns that find relations between the actors of a parsed document.

Each pattern is a small generator over trigger tokens (verbs, event nouns, agent nouns, "X-backed" participles,
movement verbs). Arguments are found on the dependency tree: subjects (through conjunction, control, purpose and
relative clauses and participles), objects (direct, prepositional, passive agents, clausal complements) and
their coordinated siblings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from .actors import PLACE_NOUNS, DocActors
from .lexicon import Lexicon

RELATIVE_PRONOUNS = frozenset({"which", "that", "who", "whom", "whose"})
CLIMB_DEPS = frozenset({"xcomp", "advcl", "conj", "pcomp", "ccomp", "acl", "relcl", "prep", "pobj", "dobj", "attr",
                        "oprd", "acomp"})
#: Nouns for acts and statements whose participle clause is done by the act's author ("issued a declaration
#: demanding...", "launched an offensive targeting...").
ACT_NOUNS = frozenset({"declaration", "statement", "communique", "resolution", "letter", "message", "appeal", "call",
                       "decision", "decree", "order", "campaign", "offensive", "operation", "rally", "demonstration",
                       "strike", "protest", "effort", "bid", "attempt", "move", "initiative", "ultimatum", "note"})
#: Verbs whose subject is on the receiving end of the noun they govern ("rejected pressure from ECOWAS").
RESIST_VERBS = frozenset({"reject", "resist", "face", "defy", "ignore", "dismiss", "withstand", "rebuff", "suffer",
                          "endure", "condemn", "denounce", "protest"})
#: Verbs that undo what their object stood for: a commitment reneged on is opposition, not support.
REVERSAL_VERBS = frozenset({"renege", "abandon", "break", "violate", "scrap", "cancel", "revoke", "repudiate",
                            "breach", "terminate", "annul", "halt", "suspend", "withdraw", "end", "cut", "freeze"})
#: Verbs that take a sanction away: lifting a ban on X supports X.
LIFTING_VERBS = frozenset({"lift", "ease", "relax", "remove", "drop", "end", "scrap", "loosen", "waive"})
NEGATING_VERBS = frozenset({"refuse", "decline", "fail", "stop", "cease", "avoid", "halt", "abandon"})


@dataclass(frozen=True)
class Candidate:
    """A relation found in the text, before modality and evidence are attached."""

    source: str
    target: str
    type: str
    trigger: Token
    confidence: float
    pattern: str


def _conjuncts(token: Token) -> list[Token]:
    out, stack = [], [token]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ == "conj")
    # an apposition misattached to the head of a coordination names the same side ("his backers, the parliament")
    return sorted(out, key=lambda t: t.i)


class RelationFinder:
    """Runs every pattern over one document; ``find()`` yields Candidates."""

    def __init__(self, doc: Doc, actors: DocActors, lexicon: Lexicon) -> None:
        self.doc, self.actors, self.lex = doc, actors, lexicon

    # ------------------------------------------------------------------ argument helpers
    def denote(self, token: Token, *, depth: int = 2, allow_locative: bool = False) -> list[str]:
        """The actors a token stands for: itself, or (for a common noun) the actor its modifiers name."""
        aid = self.actors.actor_of(token)
        if aid and (allow_locative or token.i not in self.actors.locative):
            return [aid]
        demonym = self.actors.demonyms.get(token.i)
        if demonym is not None:
            return [demonym.id]
        if depth <= 0 or token.pos_ not in ("NOUN", "PROPN", "PRON", "NUM"):
            return []
        if token.lower_ in RELATIVE_PRONOUNS:
            head = self._relative_head(token)
            return self.denote(head, depth=depth - 1) if head is not None else []
        lemma = token.lemma_.lower()
        institution = lemma in self.lex.institutions or lemma in self.lex.state_organs
        allowed = ("of", "from", "by") if institution else ("of", "from", "by", "with", "against")
        preps = [c for c in token.children if c.dep_ == "prep" and c.lower_ in allowed]
        rank = {"compound": 0, "amod": 1, "nmod": 2, "poss": 3}
        mods = sorted((c for c in token.children if c.dep_ in rank and c.tag_ != "VBN"), key=lambda c: rank[c.dep_])
        order = ([("prep", p) for p in preps] + [("mod", m) for m in mods]) if institution else (
            [("mod", m) for m in mods] + [("prep", p) for p in preps])
        place_noun = lemma in PLACE_NOUNS or token.lower_ in PLACE_NOUNS
        if place_noun:
            return []  # "the besieged Bosnian town", "districts of Khartoum": places
        for kind, child in order:
            if kind == "prep":
                for pobj in (c for c in child.children if c.dep_ == "pobj"):
                    # "scores of Sierra Leonean and Liberian refugees": every conjunct of the object
                    found = [a for t in _conjuncts(pobj) for a in self.denote(t, depth=depth - 1)]
                    if found:
                        return list(dict.fromkeys(found))
            else:
                found = self.denote(child, depth=depth - 1)
                if found:
                    return found
        return []

    def _relative_head(self, token: Token) -> Token | None:
        clause = token.head
        while clause.dep_ not in ("relcl", "acl") and clause.head.i != clause.i:
            clause = clause.head
        return clause.head if clause.dep_ in ("relcl", "acl") else None

    def arg(self, token: Token | None, **kw: object) -> list[str]:
        """Actors of a token and of its coordinated siblings."""
        if token is None:
            return []
        out: list[str] = []
        for t in _conjuncts(token):
            for a in self.denote(t, **kw) + self.actors.token_extra.get(t.i, []):
                if a not in out:
                    out.append(a)
        return out

    def subject(self, verb: Token, *, steps: int = 5) -> list[str]:
        """Who does ``verb``: its subject, or the subject it shares through conjunction, control and clauses."""
        t = verb
        for _ in range(steps):
            subj = next((c for c in t.children if c.dep_ in ("nsubj", "csubj", "expl")), None)
            if subj is not None and subj.pos_ == "VERB":  # "The Red Cross operating in Iraq said": a misparse
                subj = next((c for c in subj.children if c.dep_ == "nsubj"), subj)
            if subj is not None and subj.dep_ != "expl":
                if subj.lower_ in RELATIVE_PRONOUNS:
                    head = self._relative_head(subj)
                    return self.arg(head) if head is not None else []
                found = self.arg(subj)
                if found:
                    return found
                return []
            agent = self._passive_agent(t) if t.i != verb.i else None
            if agent:
                return agent
            if t.dep_ in ("acl", "relcl") and t.head.pos_ in ("NOUN", "PROPN", "PRON"):
                head = t.head
                found = self.arg(head)
                if found:
                    return found
                if head.dep_ == "oprd" or head.dep_ == "attr" and self._agentive(head) or (
                        head.dep_ in ("dobj", "pobj") and head.lemma_.lower() in ACT_NOUNS):
                    t = head.head  # "the first leader to congratulate X": the copula's subject does it
                    continue
                return []
            if t.dep_ in ("xcomp",) and t.i == verb.i:
                obj = next((c for c in t.head.children if c.dep_ == "dobj"), None)
                if obj is not None and t.head.lemma_ in self.lex.verbs and self.lex.verbs[t.head.lemma_].type == "pressures":
                    return self.arg(obj)  # "urged X to ...": X does it
            if t.dep_ not in CLIMB_DEPS or t.head.i == t.i:
                return []
            t = t.head
        return []

    def _agentive(self, noun: Token) -> bool:
        """Nouns that name someone who acts (leader, state, backer), not a thing or a place (theater)."""
        lemma = noun.lemma_.lower()
        return (lemma in self.lex.roles or lemma in self.lex.groups or noun.lower_ in self.lex.groups
                or lemma in self.lex.descriptions or lemma in self.lex.agent_nouns or lemma in self.lex.titles
                or bool(self.denote(noun, depth=0)))

    def _passive_agent(self, verb: Token) -> list[str]:
        for c in verb.children:
            if c.dep_ == "agent":
                for p in c.children:
                    if p.dep_ == "pobj":
                        return self.arg(p)
        return []

    def _is_passive(self, verb: Token) -> bool:
        return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)

    def objects(self, verb: Token, preps: tuple[str, ...] = (), *, goods: bool = False,
                direct: bool = False) -> list[str]:
        """Whom ``verb`` acts on: direct object, dative, a prepositional object (``direct``: only actor nouns)."""
        found: list[str] = []
        depth = 0 if direct else 2
        for c in verb.children:
            if c.dep_ in ("dobj", "dative", "attr", "oprd") and not (goods and c.dep_ == "dobj"):
                found += self.arg(c, depth=depth)
        allowed = set(preps) or set(self.lex.target_preps)
        # "kidnapped up to 16 advisers": a misparse hangs the phrase under the particle
        children = list(verb.children) + [g for c in verb.children if c.dep_ == "prt" for g in c.children]
        for c in children:
            if c.dep_ in ("prep", "dative") and c.lower_ in allowed:
                for p in self.pobjs(c):  # a preposition the verb itself asks for: "fired at northern Israel"
                        found += self.arg(p, depth=depth, allow_locative=c.lower_ in preps)
        if not found and goods:
            stack = [(c, 0) for c in verb.children if c.dep_ == "dobj"]
            while stack and not found:
                node, level = stack.pop(0)
                for p in node.children:
                    if p.dep_ != "prep" or level > 2:
                        continue
                    for q in p.children:
                        if q.dep_ != "pobj":
                            continue
                        if p.lower_ in allowed:
                            found += self.arg(q)
                        else:
                            stack.append((q, level + 1))
        return list(dict.fromkeys(found))

    def conditioned(self, verb: Token) -> list[str]:
        """Subjects of 'if' / 'unless' clauses on a threat or its complement: the party the condition is on."""
        found: list[str] = []
        for v in [verb] + [c for c in verb.children if c.dep_ in ("xcomp", "ccomp")]:
            for c in v.children:
                if c.dep_ == "advcl" and any(m.lower_ in ("if", "unless") for m in c.children if m.dep_ == "mark"):
                    found += [a for x in c.children if x.dep_ in ("nsubj", "nsubjpass") for a in self.arg(x, depth=1)]
        return found

    def pobjs(self, prep: Token) -> list[Token]:
        """The objects of a preposition; for a stranded one ("granted asylum to | five officers holed up in"),
        the subject the parser gave to the clause that follows it."""
        found = [c for c in prep.children if c.dep_ == "pobj"]
        if found or prep.i + 1 >= len(self.doc):
            return found
        for t in self.doc[prep.i + 1:min(prep.i + 8, prep.sent.end)]:
            if t.pos_ in ("NOUN", "PROPN", "PRON") and t.dep_ not in ("compound", "amod", "nmod", "poss"):
                return [t] if t.dep_ in ("nsubj", "nsubjpass") and t.head.i > t.i else []
        return []

    def complement_objects(self, verb: Token) -> list[str]:
        """'refused to deal with Haftar', 'threatened to impose restrictions against German goods': the actor
        acted on inside the clausal complement (a direct object must be an actor itself)."""
        for c in verb.children:
            if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX"):
                found = self.objects(c, direct=True)
                heads = [c] + [o for o in c.children if o.dep_ == "dobj"]
                found += [a for h in heads for p in h.children if p.dep_ == "prep" and p.lower_ in self.lex.target_preps
                          for q in p.children if q.dep_ == "pobj" for a in self.arg(q, depth=1)]
                if found:
                    return list(dict.fromkeys(found))
        return []

    def complement_subjects(self, verb: Token, *, obligation: bool) -> list[str]:
        """'demanded that the US cancel...', 'said that Libya must hand over...': the one told to act."""
        for c in verb.children:
            if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX"):
                if obligation and not any(a.lower_ in self.lex.obligation or (
                        a.lemma_ == "have" and any(x.lower_ == "to" for x in a.children))
                        for a in c.children if a.dep_ in ("aux", "xcomp") or a.tag_ == "MD"):
                    continue
                subj = next((x for x in c.children if x.dep_ in ("nsubj", "nsubjpass")), None)
                return self.arg(subj, depth=1)
        return []

    def via_prep_nouns(self, verb: Token) -> list[str]:
        """'warned in his speech to NATO': the target one preposition further down."""
        for c in verb.children:
            if c.dep_ != "prep":
                continue
            for pobj in (p for p in c.children if p.dep_ == "pobj"):
                for ap in (a for a in pobj.children if a.dep_ == "appos"):  # "denounced as a crime Serbia's ..."
                    found = self.arg(ap)
                    if found:
                        return found
                for p2 in pobj.children:
                    if p2.dep_ == "prep" and p2.lower_ in ("to", "against", "on", "with"):
                        for q in p2.children:
                            if q.dep_ == "pobj":
                                found = self.arg(q)
                                if found:
                                    return found
        return []

    # ------------------------------------------------------------------ patterns
    def find(self) -> Iterator[Candidate]:
        for tok in self.doc:
            lemma = tok.lemma_.lower()
            if self._participle_type(tok):
                yield from self._compound_participle(tok)
            elif tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB") or (
                    tok.pos_ == "ADJ" and any(c.dep_ in ("auxpass", "nsubjpass", "agent") for c in tok.children)
                    or tok.pos_ == "ADJ" and tok.dep_ == "conj" and tok.lemma_.lower() in self.lex.verbs):
                yield from self._verb(tok, lemma)
            elif tok.pos_ in ("NOUN", "PROPN"):
                agent = self.lex.agent_nouns.get(lemma) or self.lex.agent_nouns.get(tok.lower_)
                if agent:
                    yield from self._agent_noun(tok, agent)
                elif lemma in self.lex.nouns:
                    yield from self._event_noun(tok, self.lex.nouns[lemma], lemma)

    def _participle_type(self, tok: Token) -> str | None:
        """'backed' in 'the UN backed government' (an adjectival participle with its own source)."""
        if tok.dep_ not in ("amod", "compound") or tok.head.pos_ not in ("NOUN", "PROPN"):
            return None
        return self.lex.compound_participles.get(tok.lower_.split("-")[-1])

    def _pairs(self, sources: list[str], targets: list[str], rtype: str, trigger: Token, conf: float,
               pattern: str) -> Iterator[Candidate]:
        for s in sources:
            for t in targets:
                if s and t and s != t:
                    yield Candidate(s, t, rtype, trigger, conf, pattern)

    def _verb_type(self, tok: Token, lemma: str) -> tuple[str | None, tuple[str, ...], bool, str]:
        entry = self.lex.verbs.get(lemma)
        particles = {c.lower_ for c in tok.children if c.dep_ in ("prt", "prep", "dobj", "acomp")}
        phrasal = self.lex.phrasal.get(lemma, {})
        for part, rtype in phrasal.items():
            if part in particles and rtype not in ("light",):
                preps = (part,) if part in self.lex.target_preps else tuple(
                    c.lower_ for c in tok.children if c.dep_ == "prep")
                if part == "rid":
                    preps = ("of",)
                return rtype, preps, False, "actor"
        if entry is None:
            return None, (), False, "actor"
        if entry.particle and entry.particle not in particles:
            return None, (), False, "actor"
        return entry.type, entry.preps, entry.reciprocal, entry.object

    def _verb(self, tok: Token, lemma: str) -> Iterator[Candidate]:
        if any(c.dep_ == "det" for c in tok.children):
            return  # "evacuated the wounded": a participle used as a noun
        if lemma in self.lex.movement_verbs:
            yield from self._movement(tok, lemma)
        if lemma in self.lex.pressure_complement_verbs:
            told = self.complement_subjects(tok, obligation=True)
            if told:
                yield from self._pairs(self.subject(tok), told, "pressures", tok, 0.75, "obligation")
        rtype, preps, reciprocal, obj_kind = self._verb_type(tok, lemma)
        if rtype is None:
            yield from self._at_meeting(tok)
            return
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in self.lex.complement_verbs:
            return  # "refused to deal with X": the governing verb states the relation
        yield from self._at_meeting(tok)
        if any(c.dep_ in ("nsubjpass", "agent") for c in tok.children):
            subj, t = None, tok
            for _ in range(3):
                subj = next((c for c in t.children if c.dep_ == "nsubjpass"), None)
                if subj is not None or t.dep_ != "conj":
                    break
                t = t.head  # "which is armed and funded by Iran": the conjuncts share the patient
            if subj is not None and subj.lower_ in RELATIVE_PRONOUNS:
                subj = self._relative_head(subj)
            if subj is None and t.dep_ in ("acl", "relcl", "amod") and t.head.pos_ in ("NOUN", "PROPN"):
                subj = t.head  # "the M23 rebels, backed by Rwanda"
            patients = self.arg(subj)
            agents = self._passive_agent(tok)
            if not agents and tok.dep_ != "conj":
                agents = next((self._passive_agent(c) for c in tok.children if c.dep_ == "conj"
                               and self._passive_agent(c)), [])  # "armed and funded by Iran"
            yield from self._pairs(agents, patients, rtype, tok, 0.9, "passive")
            return
        agents = self.subject(tok)
        if not agents:
            return
        targets = self.objects(tok, preps, goods=obj_kind == "goods") if obj_kind != "goods" or preps else []
        if obj_kind == "goods" and not targets:
            targets = self.objects(tok, preps or ("to",), goods=True)
        conf = 0.9
        if rtype == "pressures":  # "threatened to stop talks if the United States goes ahead": a condition on Y
            targets = list(dict.fromkeys(targets + self.conditioned(tok)))
        if not targets and rtype == "pressures":
            targets, conf = self.complement_subjects(tok, obligation=False), 0.8
        if not targets:  # "help the Congolese army fight the rebels": the object of a bare-infinitive clause
            targets = [a for c in tok.children if c.dep_ == "ccomp" and not any(m.dep_ == "mark" for m in c.children)
                       and not any(a.tag_ == "MD" for a in c.children)
                       for x in c.children if x.dep_ == "nsubj" for a in self.arg(x, depth=1)]
        if not targets:
            targets, conf = self.complement_objects(tok), 0.75
        if not targets and lemma in self.lex.verbs:
            targets, conf = self.via_prep_nouns(tok), 0.7
        # a relative pronoun object: "the government which NATO is supposed to prop up"
        if not targets:
            for c in tok.children:
                if c.dep_ in ("dobj",) and c.lower_ in RELATIVE_PRONOUNS:
                    head = self._relative_head(c)
                    targets = self.arg(head) if head is not None else []
        if not targets and reciprocal and len(agents) > 1:
            for i, a in enumerate(agents):
                for b in agents[i + 1:]:
                    yield Candidate(a, b, rtype, tok, 0.8, "reciprocal")
            return
        yield from self._pairs(agents, targets, rtype, tok, conf, "verb")

    def _at_meeting(self, verb: Token) -> Iterator[Candidate]:
        """'X asked for help from Y at a meeting in Bonn': whoever deals with whom at a meeting meets them."""
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in ("at", "during"):
                for p in c.children:
                    if p.dep_ == "pobj" and self.lex.nouns.get(p.lemma_.lower()) == "meets":
                        agents = self.subject(verb)
                        others = [a for q in self._clause_tokens(verb, skip=c)
                                  if q.dep_ == "prep" and q.lower_ in ("with", "from", "to")
                                  for o in q.children if o.dep_ == "pobj" for a in self.arg(o, depth=0)]
                        others += [a for q in verb.children if q.dep_ == "dobj" for a in self.arg(q, depth=0)]
                        yield from self._pairs(agents, list(dict.fromkeys(others)), "meets", p, 0.75, "at-meeting")

    @staticmethod
    def _clause_tokens(verb: Token, *, skip: Token) -> Iterator[Token]:
        """The tokens of ``verb``'s own clause (not of clauses inside it), without the ``skip`` subtree."""
        stack = [c for c in verb.children if c.i != skip.i]
        while stack:
            t = stack.pop()
            if t.dep_ in ("ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "parataxis"):
                continue
            yield t
            stack.extend(t.children)

    def _movement(self, tok: Token, lemma: str) -> Iterator[Candidate]:
        """'went to Moscow' / 'visited Beijing': a visit to the state whose capital or seat it is."""
        preps = self.lex.movement_verbs[lemma]
        places: list[str] = []
        for c in tok.children:
            if (c.dep_ == "prep" and c.lower_ in preps) or (not preps and c.dep_ == "dobj"):
                pobjs = [c] if c.dep_ == "dobj" else [p for p in c.children if p.dep_ == "pobj"]
                for p in pobjs:
                    places += self.arg(p, allow_locative=True, depth=0)
        if not places:
            return
        agents = self.subject(tok)
        people = [a for a in agents if self.actors.actors[a].type == "person"]
        seats = {self.actors.token_actor.get(t.i) for t in self.doc[tok.sent.start:tok.sent.end]
                 if self.actors.token_kind.get(t.i) in ("capital", "seat")}
        for a in agents:  # "went to Moscow", "Putin visited China"; troops arriving in a country do not meet it
            yield from self._pairs([a], [p for p in places if a in people or p in seats], "meets", tok, 0.8,
                                   "movement")

    def _event_noun(self, tok: Token, rtype: str, lemma: str) -> Iterator[Candidate]:
        """'the support of Russia', 'US airstrikes on ISIS', 'meeting between X and Y', 'contacts with'."""
        head = tok.head
        between = [p for p in tok.children if p.dep_ == "prep" and p.lower_ == "between"]
        if between:
            sides = [a for p in between for q in p.children if q.dep_ == "pobj" for a in self.arg(q)]
            for i, a in enumerate(sides):
                for b in sides[i + 1:]:
                    if a != b:
                        yield Candidate(a, b, rtype, tok, 0.85, "between")
            if rtype == "meets" and tok.dep_ == "dobj":  # "hosted talks between X and Y": the host meets both
                yield from self._pairs(self.subject(head), sides, "meets", tok, 0.75, "host")
            return
        idiom = tok.dep_ == "pobj" and head.lower_ in ("in", "as") and head.head.pos_ in ("VERB", "NOUN")
        family_give = rtype in ("supports", "backs", "meets") and not idiom
        sources: list[str] = []
        targets: list[str] = []
        if idiom:  # "staged a strike in protest against X", "rallied in support of X"
            verb_head = head.head if head.head.pos_ == "VERB" else head.head.head
            sources = self.subject(verb_head)
        for c in tok.children:
            if c.dep_ == "poss":
                if head.dep_ == "pobj" and head.head.lower_ == "in" and head.head.head.i != tok.i:
                    targets += self.arg(c)  # "in his support"
                else:
                    sources += self.arg(c)
            elif c.dep_ in ("amod", "compound", "nmod"):
                sources += self.denote(c, depth=0)
            elif c.dep_ == "prep":
                pobjs = [q for q in c.children if q.dep_ == "pobj"]
                for q in pobjs:
                    if c.lower_ in ("by", "from") or (c.lower_ == "of" and family_give):
                        sources += self.arg(q)
                    elif c.lower_ in self.lex.target_preps and c.lower_ not in ("from", "by"):
                        targets += self.arg(q)
        verb = head if tok.dep_ in ("dobj", "attr") else None
        if verb is not None and rtype == "pressures" and verb.lemma_.lower() in LIFTING_VERBS:
            rtype = "supports"  # "lift the ban on X", "ease sanctions against X"
            if not sources:
                sources = self.subject(verb)
        if verb is not None and (verb.lemma_.lower() in self.lex.get_verbs or verb.lemma_.lower() in RESIST_VERBS):
            if not targets:
                targets = self.subject(verb)
        elif verb is not None and (verb.lemma_.lower() in self.lex.give_verbs or verb.lemma_.lower() in self.lex.verbs):
            if not sources:
                sources = self.subject(verb)
            if not targets:
                targets = self.objects(verb, ("to", "for", "on", "against", "with"), goods=True)
        if not sources and tok.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ == "NOUN":
            owner = next((c for c in head.head.children if c.dep_ == "poss"), None)
            if owner is not None:
                sources = self.arg(owner)  # "Flynn's departure after contacts with the Russians"
        if not sources and tok.dep_ in ("nsubj",) and rtype == "meets":
            return
        if not targets and rtype == "pressures":
            clauses = list(tok.children) + (list(head.children) if tok.dep_ == "dobj" else [])
            targets = [a for c in clauses if c.dep_ in ("acl", "ccomp", "relcl") and c.pos_ == "VERB"
                       and any(m.lower_ == "that" for m in c.children)
                       for s in c.children if s.dep_ in ("nsubj", "nsubjpass") for a in self.arg(s, depth=1)]
        if lemma in self.lex.nouns_needing_target and not targets:
            return
        if rtype in ("supports", "backs", "meets") and tok.dep_ in ("dobj", "pobj"):
            governor = head.head if tok.dep_ == "pobj" else head
            gov_lemma = governor.lemma_.lower()
            own = any(c.dep_ == "poss" for c in tok.children)
            if gov_lemma in REVERSAL_VERBS and own:  # "reneged on his commitment to the Zambian people"
                rtype = "opposes"
            elif tok.dep_ == "dobj" and (gov_lemma in REVERSAL_VERBS or (
                    gov_lemma in self.lex.verbs and self.lex.verbs[gov_lemma].type in ("pressures", "opposes"))):
                return  # "halted aid to Serbia", "boycott contact with the US": the verb states the relation
        yield from self._pairs(sources, targets, rtype, tok, 0.8, "noun")

    def _agent_noun(self, tok: Token, rtype: str) -> Iterator[Candidate]:
        """'al-Sisi, Haftar's ally' / 'his backers, the parliament in Benghazi' / 'X is a backer of Y'."""
        patrons: list[str] = []
        for c in tok.children:
            if c.dep_ == "poss":
                patrons += self.arg(c)
            elif c.dep_ == "prep" and c.lower_ == "of":
                patrons += [a for q in c.children if q.dep_ == "pobj" for a in self.arg(q)]
        if not patrons:
            return
        holders: list[str] = []
        if tok.dep_ == "appos":
            holders = self.arg(tok.head)
        holders += [a for c in tok.children if c.dep_ == "appos" for a in self.arg(c)]
        if not holders and tok.dep_ in ("attr",):
            holders = self.subject(tok.head)
        if not holders and tok.dep_ == "conj":
            top = tok
            while top.dep_ == "conj":
                top = top.head
            holders = [a for c in top.children if c.dep_ == "appos" and c.i > tok.i for a in self.arg(c)]
        if not holders:
            holders = self.actors.actor_of(tok) and [self.actors.actor_of(tok)] or []
        yield from self._pairs(holders, patrons, rtype, tok, 0.8, "agent-noun")

    def _compound_participle(self, tok: Token) -> Iterator[Candidate]:
        """'the UN backed government of Fayez al-Serraj', 'Russian-funded militias'."""
        rtype = self._participle_type(tok)
        if not rtype:
            return
        sources = [a for c in tok.children if c.dep_ in ("npadvmod", "compound", "nmod", "nsubj", "amod", "advmod")
                   for a in self.denote(c, depth=0)]
        if not sources and tok.i > 0:
            prev = self.doc[tok.i - 1]
            if prev.text == "-" and tok.i > 1:
                prev = self.doc[tok.i - 2]
            if prev.dep_ in ("compound", "npadvmod", "nmod", "amod") and prev.head in (tok, tok.head):
                sources = self.denote(prev, depth=0)
        targets = self.denote(tok.head, depth=2)
        yield from self._pairs(sources, targets, rtype, tok, 0.85, "participle")
