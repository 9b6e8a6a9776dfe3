"""The world gazetteer: what a surface mention ("the Kremlin", "U.S.", "Russians", "Daesh") denotes.

States come from the ``pycountry`` and ``countryinfo`` packages (names, official names, alternative spellings,
demonyms, capitals), corrected by ``ingest/gazetteer/countries.json``; seats of power, organisations, armed groups,
media and regions are curated JSON files beside it. A user file (``--gazetteer FILE``, same schema as the curated
files, see ``ingest/gazetteer/README.md``) takes precedence over all of it.

Matching ignores a leading "the", a possessive "'s", quotes, diacritics, hyphens against spaces, apostrophes and
the dots of abbreviations ("U.S." = "US"). Case is ignored except that a surface written with capitals never
matches an all-lower-case mention ("Turkey" vs "turkey"), and short all-capital abbreviations match only in
capitals ("US" but not "us", "IS" but not "Is").
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import GazetteerError
from .records import ACTOR_TYPES, slugify
from .resources import ingest_dir

#: How a surface relates to the entry it denotes.
KINDS: tuple[str, ...] = ("name", "alias", "demonym", "capital", "seat", "media", "region")
#: Entry types that are never actors.
PLACE_OR_MEDIA_TYPES: frozenset[str] = frozenset({"media", "region"})
ENTRY_TYPES: frozenset[str] = frozenset(ACTOR_TYPES) | PLACE_OR_MEDIA_TYPES
#: The curated files, read in this order; ``countries.json`` is special (overrides for the derived states).
CURATED_FILES: tuple[str, ...] = ("seats.json", "organizations.json", "armed_groups.json", "media.json",
                                  "regions.json")
_SURFACE_FIELDS = {"aliases": "alias", "demonyms": "demonym", "capitals": "capital", "seats": "seat"}
_ENTRY_FIELDS = frozenset({"id", "name", "type", "country", *_SURFACE_FIELDS})
# Lower tier wins when two actors claim one surface; equal tiers make the surface ambiguous (dropped).
_TIER = {"name": 0, "alias": 1, "media": 1, "region": 1, "demonym": 2, "seat": 2, "capital": 3}
_USER_TIER = -1
# Words that make an alternative spelling from countryinfo an English formal name worth keeping.
_STATE_WORDS = frozenset({
    "republic", "kingdom", "state", "states", "federation", "commonwealth", "union", "principality", "sultanate",
    "emirates", "islands", "confederation", "duchy", "democratic", "federal", "territory", "independent",
    "plurinational", "bolivarian", "socialist", "hashemite", "oriental", "co-operative", "federated", "nation",
})


@dataclass(frozen=True)
class Entry:
    """What a surface denotes: actor ``id`` (canonical ``name``, ``type``) and how the surface relates (``kind``).

    ``country`` is the id of the state the entry belongs to (the state itself for its names, demonyms, capitals
    and seats); ``code`` is the ISO 3166-1 alpha-2 code of a state.
    """

    id: str
    name: str
    type: str
    kind: str
    country: str | None = None
    code: str | None = None

    @property
    def is_actor(self) -> bool:
        """False for media outlets and regions, which are never actors."""
        return self.kind not in ("media", "region") and self.type not in PLACE_OR_MEDIA_TYPES


# ------------------------------------------------------------------------------------------------ normalising
_TRANSLATE = str.maketrans({
    "’": "'", "‘": "'", "‛": "'", "`": "'", "´": "'", "ʼ": "'", "ʻ": "'", "′": "'",
    "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "\u00ad": "",
})
_ACRONYM_DOTS = re.compile(r"\b((?:[A-Za-z]\.){2,})")
_POSSESSIVE = re.compile(r"(?:(?<=[\w.])'s|(?<=s)')$", re.IGNORECASE)
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_OUTER = " \t\n\"()[]{},;:!?"


@functools.lru_cache(maxsize=65536)
def surface_key(text: str) -> str:
    """The matching key of a surface, case preserved ("the U.S.'s" -> "US", "Élysée" -> "Elysee")."""
    s = _SPACES.sub(" ", unicodedata.normalize("NFKC", text).translate(_TRANSLATE)).strip(_OUTER)
    s = _POSSESSIVE.sub("", s).strip(_OUTER)
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = _ACRONYM_DOTS.sub(lambda m: m.group(1).replace(".", ""), s)
    s = s.replace("-", " ").replace("'", "").replace("/", " ").rstrip(".")
    s = _SPACES.sub(" ", s).strip()
    return _LEADING_THE.sub("", s)


def _is_exact(key: str) -> bool:
    """Short all-capital abbreviations ("US", "IS", "AU", "G7") match only in capitals."""
    letters = [c for c in key if c.isalpha()]
    return bool(letters) and len(letters) <= 3 and not any(c.islower() for c in letters)


def _has_upper(key: str) -> bool:
    return any(c.isupper() for c in key)


@dataclass(frozen=True)
class _Hit:
    entry: Entry
    surfaces: tuple[str, ...]  # as written in the data (all the forms that share this key)
    needs_upper: bool


# ------------------------------------------------------------------------------------------------ the index
class _Index:
    """Surfaces claimed by entries, resolved by tier (lower wins; equal tiers with different ids: dropped)."""

    def __init__(self) -> None:
        self.claims: dict[tuple[bool, str], list[tuple[int, str, Entry]]] = {}
        self.canonical: dict[str, Entry] = {}
        self.blocked: set[str] = set()  # folded keys declared ambiguous

    def add(self, surface: str, entry: Entry, tier: int) -> None:
        key = surface_key(surface)
        if not key or not any(c.isalnum() for c in key):
            return
        exact = _is_exact(key)
        slot = (True, key) if exact else (False, key.casefold())
        self.claims.setdefault(slot, []).append((tier, surface, entry))

    def add_actor(self, entry: Entry, surfaces: dict[str, Iterable[str]], *, tier_shift: int = 0) -> None:
        """Register ``entry`` (kind "name") and its surfaces by kind (``{"alias": [...], ...}``)."""
        self.canonical.setdefault(entry.id, entry)
        place = entry.type if entry.type in PLACE_OR_MEDIA_TYPES else None
        self.add(entry.name, entry if not place else replace(entry, kind=place), _TIER["name"] + tier_shift)
        for kind, texts in surfaces.items():
            kind = place or kind
            for text in texts:
                self.add(text, replace(entry, kind=kind), _TIER[kind] + tier_shift)

    def resolve(self) -> tuple[dict[str, _Hit], dict[str, _Hit]]:
        exact: dict[str, _Hit] = {}
        folded: dict[str, _Hit] = {}
        for (is_exact, key), claims in self.claims.items():
            if not is_exact and key in self.blocked:
                continue
            best = min(t for t, _, _ in claims)
            top = [(s, e) for t, s, e in claims if t == best]
            if len({e.id for _, e in top}) > 1:
                continue  # ambiguous between actors of equal standing
            surface, entry = min(top, key=lambda p: _TIER.get(p[1].kind, 9))
            forms = tuple(dict.fromkeys(s for s, _ in top))
            if is_exact:
                exact[key] = _Hit(entry, forms, False)
            else:
                folded[key] = _Hit(entry, forms, _has_upper(surface_key(surface)))
        return exact, folded


# ------------------------------------------------------------------------------------------------ reading files
def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"cannot read gazetteer file {path}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise GazetteerError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from exc


def _strings(path: Path, where: str, value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GazetteerError(f"{path}: {where} must be a list of non-empty strings")
    return list(value)


def _read_entries(path: Path, known: dict[str, Entry]) -> Iterator[tuple[Entry, dict[str, list[str]]]]:
    """The entries of a gazetteer file (curated or the user's), validated; ``known`` resolves id-only entries."""
    data = _read_json(path)
    if isinstance(data, dict):
        data = data.get("entries")
    if not isinstance(data, list):
        raise GazetteerError(f"{path}: expected a JSON object with an \"entries\" list (or a list of entries)")
    for i, item in enumerate(data):
        where = f"entry {i + 1}"
        if not isinstance(item, dict):
            raise GazetteerError(f"{path}: {where} must be a JSON object")
        unknown = {k for k in item if not str(k).startswith("_")} - _ENTRY_FIELDS
        if unknown:
            raise GazetteerError(f"{path}: {where} has unknown field(s) {', '.join(sorted(unknown))}")
        for field in ("id", "name", "type", "country"):
            if item.get(field) is not None and not (isinstance(item[field], str) and item[field].strip()):
                raise GazetteerError(f"{path}: {where}: {field!r} must be a non-empty string")
        base = known.get(item.get("id") or "") if item.get("id") else None
        name = item.get("name") or (base.name if base else None)
        if not name:
            raise GazetteerError(f"{path}: {where} needs a \"name\" (or the \"id\" of a known actor)")
        etype = item.get("type") or (base.type if base else None)
        if etype not in ENTRY_TYPES:
            raise GazetteerError(
                f"{path}: {where} ({name}): \"type\" must be one of {', '.join(sorted(ENTRY_TYPES))}, got {etype!r}"
            )
        eid = item.get("id") or slugify(_LEADING_THE.sub("", name))
        country = item.get("country") or (base.country if base else None)
        if etype == "country" and country is None:
            country = eid
        entry = Entry(eid, name, etype, "name", country, base.code if base else None)
        surfaces = {kind: _strings(path, f"{where} ({name}): {field!r}", item.get(field))
                    for field, kind in _SURFACE_FIELDS.items()}
        yield entry, surfaces


# ------------------------------------------------------------------------------------------------ states
def _uninvert(name: str) -> str | None:
    """ "Korea, Republic of" -> "Republic of Korea"; names with other commas are not names people write."""
    if "," not in name:
        return name
    head, _, tail = name.partition(",")
    tail = tail.strip()
    if tail.lower().endswith((" of", " of the")) and "," not in tail:
        return f"{tail} {head.strip()}"
    return None


def _split_parens(name: str) -> list[str]:
    """ "Holy See (Vatican City State)" -> ["Holy See", "Vatican City State"]."""
    m = re.fullmatch(r"(.+?)\s*\((.+)\)", name)
    return [m.group(1), m.group(2)] if m else [name]


def _latin(text: str) -> bool:
    return all(unicodedata.name(c, "").startswith(("LATIN", "SPACE", "HYPHEN", "APOSTROPHE", "FULL STOP"))
               or c in "'-., " for c in text)


def _keep_alt_spelling(alt: str, codes: set[str], name_words: set[str]) -> bool:
    """An English formal name ("Hashemite Kingdom of Jordan"), a non-ISO abbreviation ("UAE") or a variant of the
    name ("Bosnia-Herzegovina"); drops ISO codes and names in other languages ("Rossiya", "Island")."""
    alt = alt.strip()
    if not alt or not _latin(alt) or alt.upper() in codes:
        return False
    if alt.isupper() and alt.replace(".", "").isalpha():
        return len(alt.replace(".", "")) >= 3  # "UAE", "DRC"; two-letter codes are ISO or noise
    words = {w.lower() for w in re.split(r"[\s\-]+", alt) if w}
    return bool(words & _STATE_WORDS) or bool(words & name_words)


def _plural(demonym: str) -> str | None:
    """ "Russian" -> "Russians"; "Chinese", "Swiss", "British", "French", "Dutch", "Malagasy" have none."""
    return None if demonym.endswith(("ese", "ss", "sh", "nch", "tch", "y", "s")) else demonym + "s"


def _split_demonyms(value: object) -> list[str]:
    if not isinstance(value, str):
        return []
    return [d.strip() for d in re.split(r",|/| and ", value) if d.strip()]


def _capitals(value: object) -> list[str]:
    if isinstance(value, str):
        return [c.strip() for c in value.split("/") if c.strip()]
    if isinstance(value, list):
        return [c for c in value if isinstance(c, str) and c.strip()]
    return []


def _state_records(overrides: dict) -> Iterator[dict]:
    """One record per sovereign state: code, name, names, demonyms, capitals (from the packages + overrides)."""
    import pycountry
    from countryinfo import CountryInfo
    from countryinfo.exceptions import CountryNotFoundError

    skip = set(overrides.get("not_sovereign", ()))
    fixes = overrides.get("states", {})
    for country in pycountry.countries:
        code = country.alpha_2
        if code in skip:
            continue
        fix = fixes.get(code, {})
        try:
            ci = CountryInfo(code)
            ci_name, alts = ci.name(), ci.alt_spellings() or []
            demonym, capital = ci.demonym(), ci.capital()
        except CountryNotFoundError:
            ci_name, alts, demonym, capital = None, [], None, None
        official = getattr(country, "official_name", None)
        common = getattr(country, "common_name", None)
        candidates = [common, ci_name, country.name]
        derived = [n for n in (_uninvert(c) for c in candidates if c) if n]
        name = fix.get("name") or next(n for n in derived + [country.name])
        name = re.sub(r"^The\s+", "", _split_parens(name)[0])
        names: list[str] = []
        for n in [name, *derived, *([_uninvert(official)] if official else [])]:
            if n is None:
                continue
            names.extend(dict.fromkeys([*_split_parens(n), n]))
        codes = {code, country.alpha_3}
        name_words = {w.lower() for n in names for w in re.split(r"[\s\-]+", n) if len(w) > 3}
        demonyms = [d for d in _split_demonyms(demonym) if surface_key(d) != surface_key(name)]
        adjectives = {surface_key(d).casefold() for d in demonyms}
        aliases = [a for a in (_uninvert(x) for x in alts)
                   if a and _keep_alt_spelling(a, codes, name_words) and surface_key(a).casefold() not in adjectives]
        demonyms += [p for p in (_plural(d) for d in demonyms) if p]
        caps = fix["capitals"] if "capitals" in fix else _capitals(capital)
        yield {
            "code": code, "name": name, "names": names, "aliases": aliases + fix.get("aliases", []),
            "demonyms": demonyms + fix.get("demonyms", []), "capitals": caps + fix.get("extra_capitals", []),
        }
    for extra in overrides.get("extra_states", ()):
        demonyms = list(extra.get("demonyms", []))
        yield {"code": extra.get("code"), "name": extra["name"], "names": [extra["name"]],
               "aliases": extra.get("aliases", []), "demonyms": demonyms, "capitals": extra.get("capitals", [])}


def _add_states(index: _Index, path: Path) -> None:
    overrides = _read_json(path)
    if not isinstance(overrides, dict):
        raise GazetteerError(f"{path}: expected a JSON object")
    not_metonyms = {surface_key(c).casefold() for c in overrides.get("not_metonyms", ())}
    index.blocked.update(surface_key(s).casefold() for s in overrides.get("ambiguous", ()))
    for rec in _state_records(overrides):
        sid = slugify(rec["name"])
        entry = Entry(sid, rec["name"], "country", "name", sid, rec["code"])
        caps = [c for c in rec["capitals"] if surface_key(c).casefold() not in not_metonyms]
        index.add_actor(entry, {"alias": rec["names"][1:] + rec["aliases"], "demonym": rec["demonyms"],
                                "capital": caps})


# ------------------------------------------------------------------------------------------------ the gazetteer
@functools.lru_cache(maxsize=1)
def _builtin(folder: str) -> tuple[dict[str, _Hit], dict[str, _Hit], dict[str, Entry]]:
    root = Path(folder)
    index = _Index()
    _add_states(index, root / "countries.json")
    for name in CURATED_FILES:
        path = root / name
        if path.is_file():
            for entry, surfaces in _read_entries(path, index.canonical):
                index.add_actor(entry, surfaces)
    exact, folded = index.resolve()
    return exact, folded, dict(index.canonical)


class Gazetteer:
    """Surface -> Entry look-up over states, seats of power, organisations, armed groups, media and regions."""

    def __init__(self, exact: dict[str, _Hit], folded: dict[str, _Hit], canonical: dict[str, Entry]) -> None:
        self._exact, self._folded, self._canonical = exact, folded, canonical

    @classmethod
    def load(cls, extra: Path | str | None = None) -> Gazetteer:
        """The built-in gazetteer, plus the user's file ``extra`` whose surfaces take precedence."""
        exact, folded, canonical = _builtin(str(ingest_dir() / "gazetteer"))
        if extra is None or str(extra) == "":
            return cls(exact, folded, canonical)
        path = Path(extra)
        stat = _stat(path)
        return _with_user_file(cls, str(path.resolve()), stat)

    # ---------------------------------------------------------------- look-ups
    def lookup(self, surface: str) -> Entry | None:
        """What ``surface`` denotes, or None ("the Kremlin's" -> russia/seat, "us" -> None)."""
        key = surface_key(surface)
        hit = self._exact.get(key)
        if hit is not None:
            return hit.entry
        hit = self._folded.get(key.casefold())
        if hit is None or hit.needs_upper and not _has_upper(key):
            return None
        return hit.entry

    def actor(self, id: str) -> Entry:
        """The canonical entry (kind "name", or "media"/"region") of an id; KeyError when unknown."""
        try:
            entry = self._canonical[id]
        except KeyError:
            raise KeyError(f"no gazetteer entry with id {id!r}") from None
        return replace(entry, kind=entry.type) if entry.type in PLACE_OR_MEDIA_TYPES else entry

    def actors(self) -> Iterator[Entry]:
        """Every canonical entry (states, organisations, armed groups, media, regions)."""
        return (self.actor(i) for i in self._canonical)

    def surfaces(self) -> Iterator[tuple[str, Entry]]:
        """Every surface form as written in the data, with what it denotes."""
        for hit in (*self._exact.values(), *self._folded.values()):
            for surface in hit.surfaces:
                yield surface, hit.entry

    def patterns(self, *, tokenizer: Callable[[str], Iterable] | None = None) -> list[dict]:
        """spaCy EntityRuler/SpanRuler token patterns ({"label", "pattern", "id"}) for the actor and media surfaces.

        ``tokenizer`` (e.g. ``nlp.tokenizer``) splits a surface as the pipeline will; by default spaCy's blank
        English tokenizer. Short abbreviations match by exact text; other surfaces case-insensitively, but a
        surface written with capitals needs a token that is not lower case ("Turkey", not "turkey").
        """
        tokenizer = tokenizer or _blank_tokenizer()
        out: list[dict] = []
        seen: set[tuple[str, str]] = set()
        for hits, exact in ((self._exact, True), (self._folded, False)):
            for hit in hits.values():
                label = _label(hit.entry)
                if label is None:
                    continue
                variants = [v for surface in hit.surfaces for v in _variants(surface, exact)]
                for variant in variants:
                    if (variant, hit.entry.id) in seen:
                        continue
                    seen.add((variant, hit.entry.id))
                    tokens = [t for t in (getattr(x, "text", str(x)) for x in tokenizer(variant)) if t.strip()]
                    if not tokens:
                        continue
                    out.append({"label": label, "pattern": _token_pattern(tokens, exact), "id": hit.entry.id})
        return out

    def __contains__(self, surface: object) -> bool:
        return isinstance(surface, str) and self.lookup(surface) is not None

    def __len__(self) -> int:
        return len(self._exact) + len(self._folded)

    def __repr__(self) -> str:
        return f"<Gazetteer {len(self._canonical)} entries, {len(self)} surfaces>"


def _stat(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError as exc:
        raise GazetteerError(f"cannot read gazetteer file {path}: {exc.strerror or exc}") from exc
    if not path.is_file():
        raise GazetteerError(f"gazetteer file {path} is not a file")
    return st.st_mtime_ns, st.st_size


@functools.lru_cache(maxsize=8)
def _with_user_file(cls: type[Gazetteer], path: str, stat: tuple[int, int]) -> Gazetteer:
    """The built-in gazetteer overlaid with a user file (cached per file version)."""
    exact, folded, canonical = _builtin(str(ingest_dir() / "gazetteer"))
    exact, folded, canonical = dict(exact), dict(folded), dict(canonical)
    index = _Index()
    renamed: dict[str, Entry] = {}
    for entry, surfaces in _read_entries(Path(path), canonical):
        old = canonical.get(entry.id)
        if old is not None and (old.name, old.type) != (entry.name, entry.type):
            renamed[entry.id] = entry
        canonical[entry.id] = entry
        index.add_actor(entry, surfaces, tier_shift=_USER_TIER - 1)
        index.canonical[entry.id] = entry
    for (is_exact, key), claims in index.claims.items():
        ids = {e.id for _, _, e in claims}
        if len(ids) > 1:
            raise GazetteerError(f"{path}: {claims[0][1]!r} is given to more than one entry: {', '.join(sorted(ids))}")
    user_exact, user_folded = index.resolve()
    if renamed:  # built-in surfaces of an actor the user renamed carry the user's name and type
        for table in (exact, folded):
            for key, hit in table.items():
                new = renamed.get(hit.entry.id)
                if new is not None:
                    table[key] = replace(hit, entry=replace(hit.entry, name=new.name, type=new.type))
    exact.update(user_exact)
    folded.update(user_folded)
    return cls(exact, folded, canonical)


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The built-in gazetteer, built once per process."""
    return Gazetteer.load()


# ------------------------------------------------------------------------------------------------ patterns
@functools.lru_cache(maxsize=1)
def _blank_tokenizer() -> Callable[[str], Iterable]:
    import spacy

    return spacy.blank("en").tokenizer


def _label(entry: Entry) -> str | None:
    if entry.kind == "region" or entry.type == "region":
        return None
    if entry.kind == "demonym":
        return "NORP"
    if entry.kind == "seat" or entry.type in ("organization", "armed_group", "group", "media", "government"):
        return "ORG"
    if entry.type == "person":
        return "PERSON"
    return "GPE"


def _variants(surface: str, exact: bool) -> list[str]:
    """The surface, without a leading "the", plus its undiacritised and dotted/undotted forms."""
    base = _LEADING_THE.sub("", surface.strip())
    out = [base]
    plain = "".join(c for c in unicodedata.normalize("NFKD", base) if not unicodedata.combining(c))
    if plain != base:
        out.append(plain)
    for form in list(out):
        if re.search(r"[A-Za-z]-[A-Za-z]", form):
            out.append(re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", " ", form))  # "al-Qaeda" -> "al Qaeda"
    if exact and base.isalpha() and base.isupper() and len(base) > 1:
        out.append(".".join(base) + ".")  # "US" -> "U.S."
    elif exact and _ACRONYM_DOTS.fullmatch(base):
        out.append(base.replace(".", ""))
    return out


def _token_pattern(tokens: list[str], exact: bool) -> list[dict]:
    if exact:
        return [{"TEXT": t} for t in tokens]
    pattern: list[dict] = [{"LOWER": t.lower()} for t in tokens]
    for spec, tok in zip(pattern, tokens):
        if any(c.isupper() for c in tok):
            spec["IS_LOWER"] = False  # "Turkey" but not "turkey"
            break
    return pattern
