"""Find the actors of one document and the tokens that denote them.

Mentions come from spaCy's named entities, corrected and completed by the gazetteer; then names are resolved
inside the document (full name -> surname -> title forms), role phrases and appositions bind to the actor they
describe, organs of a state ("American officials") denote the state, and pronouns and definite descriptions
("the alliance") point back to the most recent compatible actor.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..gazetteer import Entry, Gazetteer
from ..records import Actor, slugify
from .lexicon import Lexicon

ENT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC"})
LOCATIVE_PREPS = frozenset({"in", "at", "near", "across", "throughout", "inside", "outside", "around", "off",
                            "within", "into", "onto", "along", "over", "beyond", "via", "through", "towards"})
MEDIA_NOUNS = frozenset({"newspaper", "paper", "daily", "tabloid", "broadsheet", "agency", "broadcaster", "channel",
                         "magazine", "weekly", "outlet", "website", "network", "station", "radio", "television"})
MEDIA_NAME_WORDS = frozenset({"times", "post", "news", "journal", "herald", "tribune", "gazette", "telegraph",
                              "guardian", "independent", "observer", "chronicle", "press", "reuters", "tv", "radio",
                              "daily", "mail", "express", "standard", "examiner", "monitor", "courier", "bulletin"})
ARMED_WORDS = frozenset({"army", "forces", "militia", "brigade", "brigades", "front", "battalion", "guard", "corps",
                         "rebels", "movement", "liberation", "jihad", "mujahideen", "resistance"})
GOVERNMENT_WORDS = frozenset({"government", "administration", "parliament", "ministry", "council", "assembly",
                              "cabinet", "congress", "senate", "junta", "regime", "presidency", "authority"})
PERSON_PRONOUNS = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "hers": "f",
                   "herself": "f"}
THING_PRONOUNS = frozenset({"it", "its", "itself"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "themselves"})
STATE_TYPES = frozenset({"country", "organization", "government", "armed_group", "group"})
ARMED_GROUP_NOUNS = frozenset({"rebels", "rebel", "militants", "militant", "guerrillas", "guerrilla", "insurgents",
                               "insurgent", "militiamen", "militia", "militias", "fighters", "gunmen", "jihadists"})
EVALUATIVE = frozenset({"top", "senior", "high-ranking", "high", "leading", "key", "powerful", "influential",
                        "veteran", "prominent", "junior", "chief"})
HEADLINE_SMALL_WORDS = frozenset({"a", "an", "the", "and", "or", "but", "of", "on", "in", "to", "for", "at", "by",
                                  "with", "as", "from", "vs"})
PLACE_NOUNS = frozenset({"city", "town", "village", "district", "districts", "area", "areas", "outskirts", "suburb",
                         "suburbs", "street", "streets", "neighbourhood", "neighborhood", "region", "province",
                         "capital", "centre", "center", "port", "border", "parts", "part", "north", "south", "east",
                         "west", "heart", "camp", "camps", "village", "villages", "towns", "cities", "site",
                         "sites", "base", "bases", "homes", "home", "house", "houses", "building", "buildings"})
NON_STATE_MODIFIERS = frozenset({"rebel", "opposition", "militant", "separatist", "insurgent", "guerrilla",
                                 "dissident", "exile", "jihadist", "islamist", "student", "protest"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_APOS = re.compile(r"\s*['’]s?$")


@dataclass
class ActorDraft:
    """An actor while the document is read: aliases grow, affiliation and role fill in."""

    id: str
    name: str
    type: str
    aliases: set[str] = field(default_factory=set)
    affiliation: str | None = None
    role: str | None = None

    def freeze(self) -> Actor:
        aliases = tuple(sorted(a for a in self.aliases if a and a != self.name))
        return Actor(self.id, self.name, self.type, aliases, self.affiliation, self.role)


@dataclass(frozen=True)
class Mention:
    """Tokens ``start:end`` of the document denote actor ``actor``; ``kind`` says how (name, pronoun...)."""

    start: int
    end: int
    actor: str
    kind: str
    locative: bool = False


@dataclass(frozen=True)
class _Coordinated:
    id: str
    surface: str


@dataclass(frozen=True)
class Affiliation:
    member: str
    of: str
    role: str | None
    token: int  # a token of the phrase that states it, for evidence


def clean_surface(text: str) -> str:
    """A mention's text without a possessive ending, outer quotes and surrounding space."""
    text = _APOS.sub("", text.strip().strip("\"'“”‘’[]()"))
    return re.sub(r"\s+", " ", text).strip()


def _strip_det(span: Span) -> Span:
    while len(span) > 1 and span[0].lower_ in ("the", "a", "an", "this", "that", "these", "those"):
        span = span[1:]
    return span


def _np_left_tokens(token: Token) -> list[Token]:
    """Modifier tokens to the left of ``token`` inside its noun phrase (compounds, adjectives, possessives)."""
    out: list[Token] = []
    for child in token.lefts:
        if child.dep_ in ("compound", "amod", "poss", "nmod", "nummod", "npadvmod", "det", "case", "punct"):
            out.extend(child.subtree)
    return sorted(out, key=lambda t: t.i)


class DocActors:
    """The actors of one Doc and which tokens denote which actor."""

    def __init__(self, doc: Doc, *, gazetteer: Gazetteer, lexicon: Lexicon) -> None:
        self.doc, self.gaz, self.lex = doc, gazetteer, lexicon
        self.actors: dict[str, ActorDraft] = {}
        self.mentions: list[Mention] = []
        self.token_actor: dict[int, str] = {}
        self.token_kind: dict[int, str] = {}
        self.token_extra: dict[int, list[str]] = {}  # "US and British forces": more actors than one
        self.locative: set[int] = set()
        self.media_tokens: set[int] = set()
        self.place_tokens: set[int] = set()
        self.affiliations: list[Affiliation] = []
        self.demonyms: dict[int, Entry] = {}  # demonym adjectives ("Russian" in "Russian officials"), by token
        self._descriptions: list[tuple[Token, str, str, str | None]] = []  # "the Russian defense minister"
        self._build()

    # ----------------------------------------------------------------- public
    def actor_of(self, token: Token) -> str | None:
        """The actor a token denotes (as part of a mention, a resolved pronoun or description)."""
        return self.token_actor.get(token.i)

    def _taken(self, token: Token) -> bool:
        """Whether a token already belongs to a mention or is a demonym adjective."""
        return token.i in self.token_actor or token.i in self.demonyms

    def is_media(self, token: Token) -> bool:
        return token.i in self.media_tokens

    def frozen(self) -> tuple[Actor, ...]:
        return tuple(d.freeze() for d in self.actors.values())

    # ----------------------------------------------------------------- building
    def _build(self) -> None:
        spans = self._candidate_spans()
        persons: list[tuple[Span, Span]] = []  # (full span, name core)
        for span, entry in spans:
            self._classify(span, entry, persons)
        self._resolve_persons(persons)
        self._role_phrases()
        self._organs_and_groups()
        self._institutions()
        self._references()

    def _candidate_spans(self) -> list[tuple[Span, Entry | None]]:
        """Gazetteer matches (longest first) and NER entities, without overlaps; longer spans win."""
        doc, found = self.doc, []
        i, n = 0, len(doc)
        while i < n:
            tok = doc[i]
            if not (tok.text[:1].isupper() or tok.lower_ == "the" or tok.text[:1].isdigit()):
                i += 1
                continue
            match = None
            for j in range(min(n, i + 10), i, -1):
                span = doc[i:j]
                if span[-1].is_punct and span[-1].text not in (".",):
                    continue
                entry = self.gaz.lookup(span.text)
                if entry is not None:
                    match = (span, entry)
                    break
            if match:
                found.append(match)
                i = match[0].end
            else:
                i += 1
        taken = {t for span, _ in found for t in range(span.start, span.end)}
        for ent in doc.ents:
            if ent.label_ not in ENT_LABELS:
                continue
            core = _strip_det(ent)
            if core[-1].tag_ == "POS" and len(core) > 1:
                core = core[:-1]
            overlap = [t for t in range(core.start, core.end) if t in taken]
            if not overlap:
                found.append((core, None))
            elif len(overlap) < len(core) and ent.label_ in ("ORG", "PERSON") and not any(
                s.start <= core.start and s.end >= core.end for s, _ in found
            ):
                # a longer name that contains a gazetteer match ("Libyan National Army" vs "Libyan")
                found = [(s, e) for s, e in found if not (s.start >= core.start and s.end <= core.end)]
                found.append((core, None))
        return sorted(found, key=lambda p: p[0].start)

    def _add_actor(self, aid: str, name: str, atype: str) -> ActorDraft:
        draft = self.actors.get(aid)
        if draft is None:
            draft = self.actors[aid] = ActorDraft(aid, name, atype)
        return draft

    def _mark(self, span: Span, aid: str, kind: str, alias: str | None = None) -> None:
        loc = self._is_locative(span.root)
        self.mentions.append(Mention(span.start, span.end, aid, kind, loc))
        for t in range(span.start, span.end):
            self.token_actor[t] = aid
            self.token_kind[t] = kind
            if loc:
                self.locative.add(t)
        if alias:
            self.actors[aid].aliases.add(alias)

    def _is_locative(self, token: Token) -> bool:
        head = token
        while head.dep_ == "conj" and head.head.i != head.i:
            head = head.head
        return head.dep_ == "pobj" and head.head.lower_ in LOCATIVE_PREPS

    def _classify(self, span: Span, entry: Entry | None, persons: list[tuple[Span, Span]]) -> None:
        text = clean_surface(span.text)
        if entry is not None:
            if entry.kind == "media":
                self.media_tokens.update(range(span.start, span.end))
                return
            if entry.kind == "region":
                self.place_tokens.update(range(span.start, span.end))
                return
            if entry.kind == "demonym":
                self._demonym(span, entry)
                return
            if entry.kind in ("capital", "seat") and self._is_locative(span.root):
                # "in Brussels" is a place; "Moscow said" is the state (movement verbs handle "went to Moscow")
                self.place_tokens.update(range(span.start, span.end))
                self.token_actor.update({t: entry.id for t in range(span.start, span.end)})
                self.token_kind.update({t: entry.kind for t in range(span.start, span.end)})
                self.locative.update(range(span.start, span.end))
                self._add_actor(entry.id, entry.name, entry.type)
                return
            self._add_actor(entry.id, entry.name, entry.type)
            self._mark(span, entry.id, entry.kind, text)
            return
        ent_label = next((e.label_ for e in self.doc.ents if e.start <= span.start < e.end), span.label_)
        if ent_label == "PERSON":
            end = span.end
            while end < len(self.doc) and self.doc[end].pos_ == "PROPN" and self.doc[end].is_title and \
                    not self.doc[end].ent_type_ and self.doc[end].dep_ in ("compound", "flat", "appos", "nsubj",
                                                                          "nsubjpass", "dobj", "pobj"):
                end += 1  # NER cut the name short ("Maria Corina | Machado")
            span = self.doc[span.start:end]
            core = self._strip_titles(span)
            if core is not None:
                persons.append((span, core))
            return
        if ent_label == "NORP":
            return  # unknown demonyms are handled with their noun phrase (_organs_and_groups)
        if ent_label == "GPE":
            self.place_tokens.update(range(span.start, span.end))  # a city or region not in the gazetteer
            return
        if ent_label in ("ORG", "FAC"):
            before = self.doc[max(span.start - 3, 0):span.end].text.lower()
            if any(before.endswith(role) for role in self.lex.roles if " " in role):
                return  # "Secretary of State", "Minister of Defence": part of a title
            if self._looks_like_media(span):
                self.media_tokens.update(range(span.start, span.end))
                return
            if ent_label == "FAC":
                return
            persons.append((span, span))  # may turn out to be a surname tagged ORG; decided in _resolve_persons

    def _looks_like_media(self, span: Span) -> bool:
        words = {t.lower_ for t in span}
        head = span.root.head
        return bool(words & MEDIA_NAME_WORDS) and len(span) <= 5 or (
            span.root.dep_ == "appos" and head.lemma_ in MEDIA_NOUNS
        ) or any(c.dep_ == "appos" and c.lemma_ in MEDIA_NOUNS for c in span.root.children)

    def _strip_titles(self, span: Span) -> Span | None:
        i = span.start
        while i < span.end - 1 and (
            span.doc[i].lower_ in self.lex.titles or span.doc[i].is_punct or span.doc[i].like_num
            or span.doc[i].tag_ in ("MD", "DT", "IN", "CC") or span.doc[i].pos_ in ("AUX", "VERB")
        ):
            i += 1
        core = span.doc[i:span.end]
        return core if core.text.strip() else None

    def _demonym(self, span: Span, entry: Entry) -> None:
        """'the Russians' is Russia; 'Russian' modifying a noun is left to the noun phrase rules."""
        root = span[-1]
        plural_noun = root.tag_ in ("NNPS", "NNS") or span[0].lower_ == "the"
        mods = [c for c in root.lefts if c.dep_ in ("amod", "compound", "nmod") and (
            c.ent_type_ == "NORP" or c.lower_ in ("ethnic", "bosnian") or self.gaz.lookup(c.text) is not None)]
        of = [c for c in root.rights if c.dep_ == "prep" and c.lower_ in ("of", "from", "in")]
        if plural_noun and root.dep_ not in ("amod", "compound") and (mods or of) and root.tag_ in ("NNPS", "NNS"):
            # "Bosnian Serbs", "ethnic Albanians", "Albanians of southern Serbia": a people, not the state
            start = min([m.left_edge.i for m in mods] + [root.i])
            end = max([o.right_edge.i + 1 for o in of] + [root.i + 1])
            group = _strip_det(self.doc[start:end])
            name = clean_surface(group.text)
            self._add_actor(slugify(name), name, "group").affiliation = entry.id
            self._mark(group, slugify(name), "group", name)
            return
        if plural_noun and root.dep_ not in ("amod", "compound"):
            self._add_actor(entry.id, entry.name, entry.type)
            self._mark(span, entry.id, "demonym", clean_surface(span.text))
        else:
            self.demonyms[root.i] = entry  # a demonym adjective, resolved with its head noun

    def _resolve_persons(self, persons: list[tuple[Span, Span]]) -> None:
        """Group person names: the longest multi-word form is canonical; surnames and titles map to it.

        Headlines (Title Case sentences) confuse NER ("Putin Cooperate"), so their names only count
        through surnames known from the body of the article.
        """
        canonical: dict[str, str] = {}
        for span, core in persons:
            if self._is_person_label(span) and len(core) >= 2 and not self._in_headline(span):
                name = clean_surface(core.text)
                last = self._surname(name)
                if len(name) > len(canonical.get(last, "")):
                    canonical[last] = name
        drafts: dict[str, ActorDraft] = {}
        for last, name in canonical.items():
            drafts[last] = self._add_actor(slugify(name), name, "person")
        for span, core in persons:
            name = clean_surface(core.text)
            tokens = [t.lower_.strip("'’") for t in core if t.is_alpha or "-" in t.text]
            draft = drafts.get(self._surname(name)) if name else None
            if draft is None and self._in_headline(span):
                draft = next((drafts[t] for t in tokens if t in drafts), None)
                if draft is not None:
                    known = next(t for t in core if t.lower_ in drafts)
                    span = core = self.doc[known.i:known.i + 1]
                    name = known.text
            if draft is None and self._is_person_label(span) and not self._in_headline(span):
                draft = drafts[self._surname(name)] = self._add_actor(slugify(name), name, "person")
            if draft is not None:
                self._mark(span, draft.id, "name", clean_surface(span.text))
            elif not self._is_person_label(span):
                self._organisation(span)
        for tok in self.doc:  # a known surname that NER tagged otherwise, or not at all
            if tok.pos_ == "PROPN" and tok.is_title and self.token_actor.get(tok.i) is None \
                    and tok.lower_ in drafts and tok.i not in self.media_tokens:
                self.place_tokens.discard(tok.i)
                self._mark(self.doc[tok.i:tok.i + 1], drafts[tok.lower_].id, "name", tok.text)

    def _in_headline(self, span: Span) -> bool:
        words = [t for t in span.sent if t.is_alpha and t.lower_ not in HEADLINE_SMALL_WORDS]
        return len(words) >= 3 and all(t.text[0].isupper() for t in words)

    def _is_person_label(self, span: Span) -> bool:
        return any(e.label_ == "PERSON" for e in self.doc.ents if e.start <= span.start < e.end)

    @staticmethod
    def _surname(name: str) -> str:
        last = name.split()[-1].lower()
        return last.split("-", 1)[1] if last.startswith(("al-", "el-", "ad-", "as-", "ash-", "bin-")) else last

    def _organisation(self, span: Span) -> None:
        text = clean_surface(span.text)
        root = span.root
        if root.lower_ in self.lex.state_organs or root.lemma_.lower() in self.lex.state_organs:
            owner = self._affiliate_of([t for t in root.lefts if t.i < span.start or t.dep_ in ("compound", "amod")])
            if owner and self.actors[owner].type == "country":  # "the US Congress", "Israel's Knesset"
                self._mark(span, owner, "organ", text)
                return
        if not text or not any(c.isalpha() for c in text) or text.isdigit():
            return
        words = {t.lower_ for t in span}
        atype = (
            "armed_group" if words & ARMED_WORDS
            else "government" if words & GOVERNMENT_WORDS
            else "organization"
        )
        draft = self._add_actor(slugify(text), text, atype)
        self._mark(span, draft.id, "name", text)

    # ----------------------------------------------------------------- roles and affiliations
    def _role_words(self, tokens: list[Token]) -> str | None:
        words = [t.lower_ for t in tokens if t.pos_ in ("NOUN", "PROPN", "ADJ") and not self._taken(t)
                 and t.ent_type_ not in ("GPE", "NORP", "ORG")]
        while words and words[0] in ("former", "new", "late", "then", "current", "acting", "long-time"):
            words = words[1:]
        text = " ".join(words)
        if not text:
            return None
        if text in self.lex.roles or text in self.lex.titles or words[-1] in self.lex.roles:
            return text
        return None

    def _affiliate_of(self, tokens: list[Token]) -> str | None:
        for t in tokens:
            aid = self.token_actor.get(t.i)
            if aid and self.actors.get(aid) and self.actors[aid].type != "person":
                return aid
            entry = self.demonyms.get(t.i)
            if entry is not None:
                self._add_actor(entry.id, entry.name, entry.type)
                return entry.id
        return None

    def _role_phrases(self) -> None:
        """'US defense secretary James Mattis', "Russia's foreign minister", 'Stoltenberg, NATO's secretary-general'."""
        for mention in list(self.mentions):
            draft = self.actors.get(mention.actor)
            if draft is None or draft.type != "person":
                continue
            root = self.doc[mention.start:mention.end].root
            left = [t for t in _np_left_tokens(root) if t.i < mention.start or t.lower_ in self.lex.titles]
            k = mention.start - 1
            while k >= 0 and (self.doc[k].pos_ in ("NOUN", "PROPN", "ADJ") or self.doc[k].tag_ == "POS" or (
                    self.doc[k].lower_ == "of" and k > 0 and self.doc[k - 1].pos_ in ("NOUN", "PROPN"))):
                if self.doc[k].i not in {t.i for t in left}:
                    left.insert(0, self.doc[k])
                k -= 1
            left.sort(key=lambda t: t.i)
            left += [t for t in self.doc[mention.start:mention.end] if t.lower_ in self.lex.titles]
            pairs = [left]
            for other in (root.head if root.dep_ == "appos" else None, *[c for c in root.children if c.dep_ == "appos"]):
                if other is not None and other.pos_ in ("NOUN", "PROPN") and not self._taken(other):
                    pairs.append([t for t in other.subtree if t.i not in range(mention.start, mention.end)])
            for tokens in pairs:
                role = self._role_words([t for t in tokens if t.dep_ not in ("poss",)])
                org = self._affiliate_of(tokens)
                if org and org != draft.id:
                    self._affiliate(draft, org, role, tokens[0].i if tokens else mention.start)
                elif role and not draft.role:
                    draft.role = role
                if tokens and (role or org):
                    for t in tokens:
                        if t.pos_ == "NOUN" and t.lower_ in self.lex.roles | self.lex.titles:
                            self.token_actor.setdefault(t.i, draft.id)
        self._unnamed_office_holders()

    def _affiliate(self, draft: ActorDraft, org: str, role: str | None, token: int) -> None:
        if draft.affiliation is None:
            draft.affiliation = org
        if role and not draft.role:
            draft.role = role
        if not any(a.member == draft.id and a.of == org for a in self.affiliations):
            self.affiliations.append(Affiliation(draft.id, org, role, token))

    def _unnamed_office_holders(self) -> None:
        """ "Russia's foreign minister" with no name becomes an actor affiliated to Russia."""
        for tok in self.doc:
            if self._taken(tok) or tok.pos_ != "NOUN" or tok.tag_ in ("NNS",):
                continue
            compound = [c for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "NOUN"]
            role = " ".join([c.lower_ for c in compound] + [tok.lower_])
            if role not in self.lex.roles and tok.lower_ not in self.lex.roles:
                continue
            if any(c.dep_ == "appos" for c in tok.children) or tok.dep_ in ("compound", "appos"):
                continue
            nxt = self.doc[tok.i + 1] if tok.i + 1 < len(self.doc) else None
            if nxt is not None and nxt.ent_type_ == "PERSON":
                continue  # "army chief Abdel Fattah al-Burhan": a role phrase of the name that follows
            poss = [c for c in tok.lefts if c.dep_ in ("poss", "compound", "amod")]
            org = self._affiliate_of([t for c in poss for t in c.subtree])
            of = [p for c in tok.rights if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                  if p.dep_ == "pobj"]
            if org is None and of:  # "the president of Armenia"
                org = self._affiliate_of(of)
                if org is not None:
                    span = self.doc[tok.i:of[0].i + 1]
                    name = clean_surface(span.text)
                    draft = self._add_actor(slugify(name), name, "person")
                    self._mark(span, draft.id, "role", name)
                    self._affiliate(draft, org, role, tok.i)
                continue
            if org is None:
                continue
            has_the = any(c.lower_ == "the" for c in tok.lefts)
            start = min([c.left_edge.i for c in poss] + [tok.i])
            span = _strip_det(self.doc[start:tok.i + 1])
            while len(span) > 1 and span[0].lower_ in EVALUATIVE:
                span = span[1:]
            if has_the:  # "the Russian defense minister": a definite description, resolved later
                self._descriptions.append((tok, "person", org, role))
                continue
            name = clean_surface(span.text)
            draft = self._add_actor(slugify(name), name, "person")
            self._mark(span, draft.id, "role", name)
            self._affiliate(draft, org, role, tok.i)

    # ----------------------------------------------------------------- organs, groups, institutions
    def _organs_and_groups(self) -> None:
        """'American officials', 'US forces' -> the state; 'Arab states', 'Afghan rebels' -> a group actor;
        'Trump's team', 'Obama administration' -> that person's administration."""
        demonyms = self.demonyms
        for tok in self.doc:
            if tok.pos_ not in ("NOUN", "PROPN") or self.token_actor.get(tok.i):
                continue
            mods = [c for c in tok.lefts if c.dep_ in ("amod", "compound", "poss", "nmod")]
            if not mods:
                continue
            lemma, lower = tok.lemma_.lower(), tok.lower_
            owners = [self.token_actor.get(m.i) for m in mods if self.token_actor.get(m.i)]
            person_owner = next((o for o in owners if self.actors[o].type == "person"), None)
            state_owner = next((o for o in owners if self.actors[o].type != "person"), None)
            deep = mods + [c for m in mods if m.dep_ in ("compound", "amod") for c in m.children
                           if c.dep_ in ("amod", "compound") and not self.token_actor.get(c.i)]  # "Turkish Kurd refugees"
            demonym = next((demonyms[t.i] for t in deep if t.i in demonyms), None)
            start = min(m.left_edge.i for m in mods)
            span = _strip_det(self.doc[start:tok.i + 1])
            if person_owner and (lemma in self.lex.person_organs or lower in self.lex.person_organs):
                person = self.actors[person_owner]
                noun = lower if lower in ("government", "administration", "regime", "cabinet") else "administration"
                name = f"{person.name.split()[-1]} {noun}"
                draft = self._add_actor(slugify(name), name, "government")
                draft.affiliation = draft.affiliation or person.affiliation
                self._mark(span, draft.id, "organ", clean_surface(span.text))
                continue
            country = state_owner or (demonym.id if demonym else None)
            if country and demonym and not state_owner:
                self._add_actor(demonym.id, demonym.name, demonym.type)
            others = self._coordinated_countries(mods, demonyms)
            non_state = any(m.lemma_.lower() in NON_STATE_MODIFIERS for m in mods)  # "Afghan rebel leaders"
            if country and not non_state and (lemma in self.lex.state_organs or lower in self.lex.state_organs):
                if lower in self.lex.roles and tok.tag_ != "NNS":
                    continue  # "the Russian defense minister": a person, handled by role phrases
                self._mark(span, country, "organ", clean_surface(span.text))
                if others:
                    self.token_extra[tok.i] = [o.id for o in others]
                continue
            norp = [m for m in deep if m.ent_type_ == "NORP" or m.i in demonyms or (
                self.token_actor.get(m.i) and self.actors[self.token_actor[m.i]].type in ("country", "organization"))]
            people = tok.ent_type_ == "NORP" and tok.tag_ in ("NNS", "NNPS")  # "Iraqi Kurds"
            if norp and (lower in self.lex.groups or lemma in self.lex.groups or people or non_state) and \
                    tok.tag_ in ("NNS", "NNPS", "NN"):
                while len(span) > 1 and span[0].pos_ == "ADJ" and span[0].ent_type_ != "NORP" and \
                        span[0].i not in demonyms:
                    span = span[1:]  # "Angry French paper workers" -> "French paper workers"
                name = clean_surface(span.text)
                atype = "armed_group" if lower in ARMED_GROUP_NOUNS or lemma in ARMED_GROUP_NOUNS else "group"
                draft = self._add_actor(slugify(name), name, atype)
                if country:
                    draft.affiliation = draft.affiliation or country
                self._mark(span, draft.id, "group", name)
                extra = []
                for other in others:  # "Sierra Leonean and Liberian refugees"
                    text = f"{other.surface} {tok.text}"
                    extra.append(self._add_actor(slugify(text), text, atype).id)
                if extra:
                    self.token_extra[tok.i] = extra

    def _coordinated_countries(self, mods: list[Token], demonyms: dict) -> list:
        """Countries named by modifiers coordinated with the first: 'US and British forces'."""
        out = []
        for m in mods:
            for c in m.children:
                if c.dep_ != "conj":
                    continue
                entry = demonyms.get(c.i)
                if entry is None and self.token_actor.get(c.i):
                    aid = self.token_actor[c.i]
                    entry = self.gaz.lookup(self.actors[aid].name) if self.actors[aid].type == "country" else None
                if entry is None:
                    entry = self.gaz.lookup(c.text)
                if entry is not None and entry.type == "country":
                    self._add_actor(entry.id, entry.name, entry.type)
                    out.append(_Coordinated(entry.id, c.text))
        return out

    def _institutions(self) -> None:
        """'the parliament in Benghazi', 'the junta in Niamey': an institution named by its seat."""
        for tok in self.doc:
            if self.token_actor.get(tok.i) or tok.lemma_.lower() not in self.lex.institutions:
                continue
            prep = next((c for c in tok.rights if c.dep_ == "prep" and c.lower_ == "in"), None)
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
            if pobj is None or not (pobj.i in self.place_tokens or pobj.ent_type_ == "GPE" or (
                    self.token_actor.get(pobj.i) and self.actors[self.token_actor[pobj.i]].type == "country")):
                continue
            end = max([pobj.i + 1] + [m.end for m in self.mentions if m.start <= pobj.i < m.end])
            first = min([c.i for c in tok.lefts if c.dep_ in ("compound", "amod") and c.pos_ != "ADJ"] + [tok.i])
            name = clean_surface(self.doc[first:end].text)
            name = name[0].lower() + name[1:] if tok.is_sent_start and not tok.is_upper else name
            atype = "armed_group" if tok.lower_ in ARMED_GROUP_NOUNS else "government"
            draft = self._add_actor(slugify(name), name, atype)
            place = self.token_actor.get(pobj.i)
            if place:
                draft.affiliation = draft.affiliation or place
            start = min(c.i for c in tok.lefts if c.dep_ != "det") if any(
                c.dep_ != "det" for c in tok.lefts) else tok.i
            self._mark(self.doc[start:end], draft.id, "institution", name)

    # ----------------------------------------------------------------- pronouns and descriptions
    def _references(self) -> None:
        descriptions = {tok.i: (kind, org, role) for tok, kind, org, role in self._descriptions}
        for tok in self.doc:
            if self.token_actor.get(tok.i):
                continue
            lower = tok.lower_
            if tok.pos_ == "PRON" or tok.tag_ in ("PRP", "PRP$"):
                if lower in PERSON_PRONOUNS:
                    self._refer(tok, lambda d: d.type == "person")
                elif lower in THING_PRONOUNS:
                    self._refer(tok, lambda d: d.type in STATE_TYPES, subjects_only=True)
                elif lower in PLURAL_PRONOUNS:
                    self._refer(tok, lambda d: d.type in STATE_TYPES, window=1, subjects_only=True, plural=True)
            elif tok.i in descriptions:
                kind, org, role = descriptions[tok.i]
                self._refer(tok, lambda d: d.type == "person" and d.affiliation in (None, org), window=3)
            elif tok.pos_ == "NOUN" and any(c.lower_ == "the" for c in tok.lefts) and tok.tag_ == "NN":
                if lower in self.lex.roles and not any(c.dep_ == "poss" for c in tok.lefts) and not any(
                        c.dep_ == "prep" and c.lower_ == "of" for c in tok.rights):
                    self._refer(tok, lambda d: d.type == "person", window=2)
                elif lower in self.lex.descriptions and not any(
                    c.dep_ in ("poss", "compound", "amod") and c.pos_ in ("PROPN",) for c in tok.lefts
                ):
                    want = self.lex.descriptions[lower]
                    self._refer(tok, lambda d, w=want: d.type == w, window=3)

    def _same_clause_subject(self, pronoun: Token, m: Mention) -> bool:
        """'Iran arms it': an object pronoun never refers to the subject of its own verb (binding theory)."""
        if pronoun.dep_ not in ("dobj", "dative", "pobj") or pronoun.lower_.endswith("self"):
            return False
        verb = pronoun.head if pronoun.dep_ != "pobj" else pronoun.head.head
        root = self.doc[m.start:m.end].root
        while root.dep_ == "conj":
            root = root.head
        return root.dep_ in SUBJECT_DEPS and root.head.i == verb.i

    def _plural(self, m: Mention) -> bool:
        root = self.doc[m.start:m.end].root
        return (root.tag_ in ("NNS", "NNPS") or m.kind in ("group", "demonym")
                or any(c.dep_ == "conj" for c in root.children) or root.dep_ == "conj"
                or self.actors[m.actor].type in ("group", "armed_group") and root.tag_ != "NN")

    def _refer(self, tok: Token, ok, *, window: int = 2, subjects_only: bool = False, plural: bool = False) -> None:
        """Bind ``tok`` to the most recent compatible actor: a subject first, in this and earlier sentences."""
        sent_starts = [s.start for s in self.doc.sents]
        current = max(i for i, s in enumerate(sent_starts) if s <= tok.i)
        sents = list(self.doc.sents)
        for k in range(current, max(-1, current - window - 1), -1):
            sent = sents[k]
            cands = [m for m in self.mentions if sent.start <= m.start < sent.end and m.end <= tok.i
                     and not m.locative and self.actors.get(m.actor) and ok(self.actors[m.actor])]
            # "his militias" right after the person: exclude the phrase that contains the pronoun itself
            cands = [m for m in cands if not (m.start <= tok.i < m.end) and (not plural or self._plural(m))
                     and not self._same_clause_subject(tok, m)]
            if not cands:
                continue
            subj = [m for m in cands if self.doc[m.start:m.end].root.dep_ in SUBJECT_DEPS]
            objs = [m for m in cands if self.doc[m.start:m.end].root.dep_ in ("dobj", "dative")]
            if plural:
                pick = subj or (objs or cands if k == current else [])
            else:
                pick = subj or ([] if subjects_only and k != current else objs or cands)
            if not pick:
                continue
            chosen = pick[-1]
            self.token_actor[tok.i] = chosen.actor
            self.mentions.append(Mention(tok.i, tok.i + 1, chosen.actor, "reference"))
            return

    def iter_mentions(self) -> Iterator[Mention]:
        yield from sorted(self.mentions, key=lambda m: m.start)
