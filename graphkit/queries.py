"""Named queries: one Cypher file per question in ``queries/``, and a NetworkX twin of each that gives the same rows.

On a Neo4j store ``run_named`` runs the ``.cypher`` file; on any other store it runs the Python twin over a
MultiDiGraph. Both return the same columns in the same order (see queries/README.md). A twin builds only the part
of the graph it reads, from the store's narrow reads: the edges into or out of an actor, or between two actors
(``Store.relations_matching``), the light edge list for walks (``Store.edge_list``: paths, indirect backers); only
overview builds the whole graph. Each edge built carries exactly the attributes it has in the whole graph.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import product
from pathlib import Path
from typing import Any

import networkx as nx

from .errors import QueryError
from .graph import build_graph, document_days, gc_paused, iso_day
from .records import AFFILIATION, EDGE_KINDS, Actor, Relation
from .resources import queries_dir

#: Parameters that name an actor: they must be given, and are resolved through names and aliases.
ACTOR_PARAMS: frozenset[str] = frozenset({"actor", "source", "target"})
#: Upper bounds of the depth parameters (the Cypher files hard-code the same bounds in their patterns).
MAX_PATH_DEPTH = 4
MAX_INDIRECT_DEPTH = 3
MAX_LIMIT = 1000

_PARAM_LINE = re.compile(r"^//\s*:param\s+(\w+)\s*=>\s*(.+?)\s*;?\s*$")


@dataclass(frozen=True)
class NamedQuery:
    """A named question: its Cypher text, a one-line description, its parameters and their defaults."""

    name: str
    description: str
    params: tuple[str, ...]
    defaults: Mapping[str, Any]
    cypher: str
    path: Path

    @property
    def required(self) -> tuple[str, ...]:
        """The parameters without a default (the actors)."""
        return tuple(p for p in self.params if p in ACTOR_PARAMS)


# -- header parsing ------------------------------------------------------------------------------------------


def _parse_literal(text: str) -> Any:
    """A Cypher literal from a ``:param`` line: null, true/false, numbers, 'strings' and [lists]."""
    value, rest = _literal(text.strip())
    if rest.strip():
        raise QueryError(f"bad :param value {text!r}")
    return value


def _literal(text: str) -> tuple[Any, str]:
    text = text.lstrip()
    if text.startswith("["):
        items: list[Any] = []
        text = text[1:].lstrip()
        if text.startswith("]"):
            return items, text[1:]
        while True:
            item, text = _literal(text)
            items.append(item)
            text = text.lstrip()
            if text.startswith(","):
                text = text[1:]
            elif text.startswith("]"):
                return items, text[1:]
            else:
                raise QueryError(f"bad list literal near {text!r}")
    if text[:1] in ("'", '"'):
        quote = text[0]
        end = text.find(quote, 1)
        if end < 0:
            raise QueryError(f"unterminated string literal {text!r}")
        return text[1:end], text[end + 1:]
    match = re.match(r"(null|true|false|-?\d+(?:\.\d+)?)", text, re.IGNORECASE)
    if not match:
        raise QueryError(f"bad literal near {text!r}")
    word = match.group(1).lower()
    value: Any = {"null": None, "true": True, "false": False}.get(word, word)
    if isinstance(value, str):
        value = float(value) if "." in value else int(value)
    return value, text[match.end():]


def parse_query_file(path: Path) -> NamedQuery:
    """Read one ``.cypher`` file: a description comment, ``:param`` comment lines, then the query."""
    text = path.read_text(encoding="utf-8")
    description = ""
    params: dict[str, Any] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("//"):
            if stripped:
                break
            continue
        match = _PARAM_LINE.match(stripped)
        if match:
            params[match.group(1)] = _parse_literal(match.group(2))
        elif not description:
            description = stripped.lstrip("/").strip()
    defaults = {k: v for k, v in params.items() if k not in ACTOR_PARAMS}
    return NamedQuery(
        name=path.stem, description=description, params=tuple(params), defaults=defaults, cypher=text, path=path,
    )


def load_named_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query in ``folder`` (default: graphkit's queries folder), by name, sorted."""
    folder = folder or queries_dir()
    return {q.name: q for q in (parse_query_file(p) for p in sorted(folder.glob("*.cypher")))}


class _Registry(Mapping[str, NamedQuery]):
    """The named queries, read from disk on first use."""

    @cached_property
    def _queries(self) -> dict[str, NamedQuery]:
        return load_named_queries()

    def __getitem__(self, name: str) -> NamedQuery:
        return self._queries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._queries)

    def __len__(self) -> int:
        return len(self._queries)


NAMED_QUERIES: Mapping[str, NamedQuery] = _Registry()


def get_query(name: str) -> NamedQuery:
    """The named query, or QueryError listing the known names."""
    try:
        return NAMED_QUERIES[name]
    except KeyError:
        raise QueryError(f"unknown query {name!r}; known queries: {', '.join(NAMED_QUERIES)}") from None


# -- parameters ----------------------------------------------------------------------------------------------


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.strip("[]").replace("'", "").replace('"', "").split(",") if v.strip()]
    if isinstance(value, list | tuple | set | frozenset):
        return [str(v) for v in value]
    raise QueryError(f"expected a list of relation types, not {value!r}")


def _as_int(name: str, value: Any, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise QueryError(f"parameter {name} must be a whole number, not {value!r}") from None
    if not low <= number <= high:
        raise QueryError(f"parameter {name} must be between {low} and {high}, not {number}")
    return number


def _as_day(name: str, value: Any) -> str | None:
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "null", "none")):
        return None
    day = iso_day(value)
    if day is None:
        raise QueryError(f"parameter {name} must be an ISO date (YYYY-MM-DD), not {value!r}")
    return day


def _check_types(name: str, values: list[str]) -> list[str]:
    bad = [v for v in values if v not in EDGE_KINDS]
    if bad or not values:
        raise QueryError(f"parameter {name} takes relation types from {', '.join(EDGE_KINDS)}, not {values!r}")
    return values


def prepare_params(query: NamedQuery, params: Mapping[str, Any] | None, store: Any = None) -> dict[str, Any]:
    """Defaults filled in, values checked and converted; actor names resolved to ids when ``store`` (anything with
    an ``actors()`` method) is given."""
    given = dict(params or {})
    unknown = sorted(set(given) - set(query.params))
    if unknown:
        raise QueryError(
            f"query {query.name!r} has no parameter {', '.join(unknown)}; it takes {', '.join(query.params)}"
        )
    missing = [p for p in query.required if given.get(p) in (None, "")]
    if missing:
        raise QueryError(f"query {query.name!r} needs the parameter {', '.join(missing)}")
    values: dict[str, Any] = {**query.defaults, **given}
    for name in query.params:
        value = values[name]
        if name in ACTOR_PARAMS:
            value = str(value).strip()
            if store is not None:
                actors = store.actors()
                if value not in {a.id for a in actors}:
                    from .resolve_names import match_actor

                    value = match_actor(value, actors).id
        elif name in ("since", "until"):
            value = _as_day(name, value)
        elif name == "types":
            value = _check_types(name, _as_list(value))
        elif name == "type":
            value = None if value is None or str(value).strip().lower() in ("", "null", "none", "any") else str(value)
            if value is not None:
                _check_types(name, [value])
        elif name == "max_depth":
            value = _as_int(name, value, 1, MAX_PATH_DEPTH)
        elif name == "depth":
            value = _as_int(name, value, 2, MAX_INDIRECT_DEPTH)
        elif name == "limit":
            value = _as_int(name, value, 1, MAX_LIMIT)
        values[name] = value
    if "source" in values and "target" in values and values["source"] == values["target"] and query.name == "paths":
        raise QueryError("paths needs two different actors")
    return values


# -- running -------------------------------------------------------------------------------------------------


def is_cypher_store(store: Any) -> bool:
    """Whether the store runs Cypher itself (Neo4j)."""
    return callable(getattr(store, "run_file", None))


class QuerySession:
    """Runs several named queries on one store: the actors are read once, and each part of the graph once per time
    window (the evidence of the rows of a list comes from the part that gave the list)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._views: dict[tuple[str | None, str | None], _GraphView] = {}
        self._actors: list[Actor] | None = None

    def actors(self) -> list[Actor]:
        """Every stored actor (read once)."""
        if self._actors is None:
            self._actors = list(self.store.actors())
        return self._actors

    def run(self, name: str, params: Mapping[str, Any] | None = None, *, resolve: bool = True) -> list[dict]:
        """See run_named."""
        query = get_query(name)
        values = prepare_params(query, params, self if resolve else None)
        if is_cypher_store(self.store):
            rows = self.store.run_file(query.path, values)
            columns = _COLUMNS.get(name)
            return [{c: _plain(row[c]) for c in columns} if columns else dict(row) for row in rows]
        twin = _TWINS.get(name)
        if twin is None:
            raise QueryError(f"query {name!r} has no NetworkX version; run it on a Neo4j store")
        window = (values.get("since"), values.get("until"))
        if window not in self._views:
            self._views[window] = _GraphView(self.store, *window, _actor_list=self.actors)
        return twin(self._views[window], values)


def run_named(store: Any, name: str, params: Mapping[str, Any] | None = None, *, resolve: bool = True) -> list[dict]:
    """Run a named query: the Cypher file on Neo4j, its Python twin over the store's graph elsewhere.

    Actor parameters may be ids or names (resolved with graphkit.resolve_names.match_actor unless ``resolve`` is
    False). Unknown query, missing or bad parameter, unknown actor -> QueryError.
    """
    return QuerySession(store).run(name, params, resolve=resolve)


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True)
class _Slice:
    """Which edges a partial graph holds: those from ``source`` to ``target`` of ``types`` (None: any)."""

    source: str | None
    target: str | None
    types: frozenset[str] | None

    def covers(self, other: _Slice) -> bool:
        """Whether every edge of ``other`` is in this slice."""
        return (
            (self.source is None or self.source == other.source)
            and (self.target is None or self.target == other.target)
            and (self.types is None or (other.types is not None and other.types <= self.types))
        )


@dataclass
class _GraphView:
    """What a twin reads, inside one time window: slices of the graph (the edges into or out of an actor, between
    two actors; built from the store's narrow reads and cached), the light edge list for walks, the whole graph
    (overview only), and every stored actor.

    Every edge of a slice carries exactly the attributes it has in the whole graph: build_graph gets all the
    statements of each edge it builds.
    """

    store: Any
    since: str | None
    until: str | None
    _actor_list: Callable[[], list[Actor]] | None = None
    _cache: dict[str, Any] = field(default_factory=dict)
    _slices: dict[_Slice, nx.MultiDiGraph] = field(default_factory=dict)
    _edges: dict[tuple[Any, ...], list[tuple[str, str, str, bool]]] = field(default_factory=dict)
    _days: dict[str, str | None] = field(default_factory=dict)

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The whole graph in the window (for overview, which counts every edge)."""
        if "graph" not in self._cache:
            if self.since is None and self.until is None:
                self._cache["graph"] = self.store.graph()
            else:
                with gc_paused():
                    self._cache["graph"] = build_graph(
                        self.store.actors(), self.store.relations(), self.store.document_stubs(),
                        since=self.since, until=self.until,
                    )
        return self._cache["graph"]

    def slice(
        self, *, source: str | None = None, target: str | None = None, types: Iterable[str] | None = None,
    ) -> nx.MultiDiGraph:
        """A graph holding every edge in the window from ``source`` to ``target`` of ``types`` (None: any); it may
        hold more (a cached wider slice, or the whole graph)."""
        wanted = _Slice(source, target, None if types is None else frozenset(types))
        if "graph" in self._cache:
            return self._cache["graph"]
        found = self._slices.get(wanted)
        if found is None:
            found = next((g for held, g in self._slices.items() if held.covers(wanted)), None)
        if found is None:
            found = self._slices[wanted] = self._build(lambda: self.store.relations_matching(
                sources=None if source is None else [source], targets=None if target is None else [target],
                types=None if wanted.types is None else sorted(wanted.types),
            ))
        return found

    def among(self, actors: set[str]) -> nx.MultiDiGraph:
        """A graph holding every edge in the window with both ends among ``actors``."""
        ids = sorted(actors)
        return self._build(lambda: self.store.relations_matching(sources=ids, targets=ids))

    def edge_list(
        self, *, types: list[str] | None = None, negated: bool | None = None,
    ) -> list[tuple[str, str, str, bool]]:
        """The distinct (source, target, type, negated) in the window, without statements (for walks)."""
        key = (None if types is None else tuple(sorted(types)), negated)
        if key not in self._edges:
            self._edges[key] = self.store.edge_list(types=types, negated=negated, since=self.since, until=self.until)
        return self._edges[key]

    def _build(self, read: Callable[[], list[Relation]]) -> nx.MultiDiGraph:
        """The graph of the statements ``read`` returns, and the days of the documents they cite."""
        with gc_paused():
            relations = read()
            stubs = self.store.document_stubs(keys={r.evidence.document for r in relations})
            self._days.update(document_days(stubs))
            records = self.records
            ends = {n for r in relations for n in (r.source, r.target)}
            return build_graph(
                [records[n] for n in ends if n in records], relations, stubs, since=self.since, until=self.until,
            )

    @property
    def records(self) -> dict[str, Actor]:
        """Every stored actor by id."""
        if "records" not in self._cache:
            self._cache["records"] = {
                a.id: a for a in (self._actor_list() if self._actor_list else self.store.actors())
            }
        return self._cache["records"]

    @property
    def actors(self) -> dict[str, dict[str, Any]]:
        """Actor attributes by id, for every stored actor (also those without a relation in the window)."""
        if "actors" not in self._cache:
            self._cache["actors"] = {
                a.id: {"name": a.name, "type": a.type, "affiliation": a.affiliation} for a in self.records.values()
            }
        return self._cache["actors"]

    def actor(self, actor_id: str) -> dict[str, Any]:
        found = self.actors.get(actor_id)
        if found is not None:
            return found
        for graph in (self._cache.get("graph"), *self._slices.values()):
            if graph is not None and actor_id in graph:
                node = graph.nodes[actor_id]
                return {"name": node.get("name", actor_id), "type": node.get("type"),
                        "affiliation": node.get("affiliation")}
        return {"name": actor_id, "type": None, "affiliation": None}

    def day_of(self, key: str) -> str | None:
        """The day of a document key (its date, else its ingest day)."""
        try:
            return self._days[key]
        except KeyError:
            self._days.update(document_days(self.store.document_stubs(keys=[key])))
            return self._days.setdefault(key, None)


# -- the Python twins ----------------------------------------------------------------------------------------

_REL_COLUMNS = (
    "actor_id", "actor_name", "actor_type", "source_id", "source_name", "type", "negated", "modality",
    "target_id", "target_name", "evidence", "documents", "first_seen", "last_seen", "key",
)


def relation_key(source: str, type_: str, target: str, negated: bool) -> str:
    """The key the Neo4j store gives a relationship (and the Evidence nodes point at)."""
    return f"{source}|{type_}|{target}|{'negated' if negated else 'affirmed'}"


def _day(value: Any) -> str | None:
    return None if value is None else str(value)[:10]


def _relation_row(view: _GraphView, actor: str, source: str, target: str, data: dict[str, Any]) -> dict[str, Any]:
    a, s, t = view.actor(actor), view.actor(source), view.actor(target)
    return {
        "actor_id": actor, "actor_name": a["name"], "actor_type": a["type"],
        "source_id": source, "source_name": s["name"], "type": data["type"], "negated": bool(data["negated"]),
        "modality": data["modality"], "target_id": target, "target_name": t["name"],
        "evidence": int(data["weight"]), "documents": int(data["documents"]),
        "first_seen": _day(data.get("first_seen")), "last_seen": _day(data.get("last_seen")),
        "key": relation_key(source, data["type"], target, bool(data["negated"])),
    }


def _sort_relations(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (-r["evidence"], r["actor_id"], r["key"]))


def _incoming(view: _GraphView, actor: str, types: list[str]) -> list[dict[str, Any]]:
    g = view.slice(target=actor, types=types)
    if actor not in g:
        return []
    rows = [
        _relation_row(view, src, src, actor, data)
        for src, _, data in g.in_edges(actor, data=True) if data["type"] in types
    ]
    return _sort_relations(rows)


def _twin_backers(view: _GraphView, p: dict[str, Any]) -> list[dict[str, Any]]:
    return _incoming(view, p["actor"], p["types"])


def _twin_pressures(view: _GraphView, p: dict[str, Any]) -> list[dict[str, Any]]:
    return _incoming(view, p["actor"], ["pressures"])


def _twin_opposes(view: _GraphView, p: dict[str, Any]) -> list[dict[str, Any]]:
    return _incoming(view, p["actor"], ["opposes"])


def _twin_backed_by(view: _GraphView, p: dict[str, Any]) -> list[dict[str, Any]]:
    actor = p["actor"]
    g = view.slice(source=actor, types=p["types"])
    if actor not in g:
        return []
    rows = [
        _relation_row(view, tgt, actor, tgt, data)
        for _, tgt, data in g.out_edges(actor, data=True) if data["type"] in p["types"]
    ]
    return _sort_relations(rows)


def _twin_meetings(view: _GraphView, p: dict[str, Any]) -> list[dict[str, Any]]:
    actor = p["actor"]
    out, into = view.slice(source=actor, types=["meets"]), view.slice(target=actor, types=["meets"])
    edges = [*(out.out_edges(actor, data=True) if actor in out else ()),
             *(into.in_edges(actor, data=True) if actor in into else ())]
    rows = [
        _relation_row(view, other, src, tgt, data)
        for src, tgt, data in edges
        if data["type"] == "meets" and src != tgt
        for other in [tgt if src == actor else src]
    ]
    return _sort_relations(rows)


def _twin_between(view: _GraphView, p: dict[str, Any]) -> list[dict[str, Any]]:
    x, y = p["source"], p["target"]
    pairs = [(x, y)] if x == y else [(x, y), (y, x)]
    rows = [
        _relation_row(view, src, src, tgt, data)
        for src, tgt in pairs
        for g in [view.slice(source=src, target=tgt)] if g.has_edge(src, tgt)
        for data in g.get_edge_data(src, tgt).values()
    ]
    return _sort_relations(rows)


def _twin_evidence(view: _GraphView, p: dict[str, Any]) -> list[dict[str, Any]]:
    x, y = p["source"], p["target"]
    g = view.slice(source=x, target=y, types=None if p["type"] is None else [p["type"]])
    if not g.has_edge(x, y):
        return []
    rows = []
    source_name, target_name = view.actor(x)["name"], view.actor(y)["name"]
    for data in g.get_edge_data(x, y).values():
        if p["type"] is not None and data["type"] != p["type"]:
            continue
        key = relation_key(x, data["type"], y, bool(data["negated"]))
        for ev in data["evidence"]:
            rows.append({
                "source_id": x, "source_name": source_name, "type": data["type"],
                "negated": bool(data["negated"]), "target_id": y, "target_name": target_name,
                "document": ev["document"], "date": view.day_of(ev["document"]),
                "start": ev["start"], "end": ev["end"], "sentence": ev["sentence"], "modality": ev["modality"],
                "attribution": ev.get("attribution"), "key": key,
            })
    return sorted(rows, key=lambda r: (r["key"], r["document"], r["start"]))


def _twin_paths(view: _GraphView, p: dict[str, Any]) -> list[dict[str, Any]]:
    x, y = p["source"], p["target"]
    neighbours: dict[str, set[str]] = defaultdict(set)  # the graph seen undirected, without self-loops
    for src, tgt, _, _ in view.edge_list():
        if src != tgt:
            neighbours[src].add(tgt)
            neighbours[tgt].add(src)
    node_paths = _shortest_paths(neighbours, x, y, max_hops=p["max_depth"])
    if not node_paths:
        return []
    g = view.among({n for nodes in node_paths for n in nodes})
    rows = []
    for nodes in node_paths:
        hops = []
        for u, v in zip(nodes, nodes[1:], strict=False):
            options = [(u, v, d) for d in (g.get_edge_data(u, v) or {}).values()]
            options += [(v, u, d) for d in (g.get_edge_data(v, u) or {}).values()]
            hops.append(options)
        for combo in product(*hops):
            keys = [relation_key(s, d["type"], t, bool(d["negated"])) for s, t, d in combo]
            rows.append({
                "hops": len(combo),
                "actor_ids": list(nodes),
                "actor_names": [view.actor(n)["name"] for n in nodes],
                "types": [d["type"] for _, _, d in combo],
                "negated": [bool(d["negated"]) for _, _, d in combo],
                "forward": [s == n for (s, _, _), n in zip(combo, nodes, strict=False)],
                "modalities": [d["modality"] for _, _, d in combo],
                "evidence": [int(d["weight"]) for _, _, d in combo],
                "key": "".join(k + ";" for k in keys),
            })
    return sorted(rows, key=lambda r: (r["hops"], r["key"]))


def _shortest_paths(neighbours: Mapping[str, set[str]], x: str, y: str, *, max_hops: int) -> list[list[str]]:
    """Every shortest path from ``x`` to ``y`` (lists of nodes) of at most ``max_hops`` steps, by breadth-first
    search over an undirected adjacency map; [] when there is none that short."""
    if x == y or x not in neighbours or y not in neighbours:
        return []
    parents: dict[str, list[str]] = {x: []}
    frontier = [x]
    for _ in range(max_hops):
        level: dict[str, list[str]] = {}
        for node in frontier:
            for other in neighbours[node]:
                if other not in parents:
                    level.setdefault(other, []).append(node)
        parents.update(level)
        if y in level or not level:
            break
        frontier = list(level)
    if y not in parents:
        return []
    paths: list[list[str]] = []

    def back(node: str, tail: list[str]) -> None:
        if node == x:
            paths.append([x, *tail])
            return
        for parent in parents[node]:
            back(parent, [node, *tail])

    back(y, [])
    return paths


def _twin_indirect_backers(view: _GraphView, p: dict[str, Any]) -> list[dict[str, Any]]:
    x, types, depth = p["actor"], p["types"], p["depth"]
    backers: dict[str, set[str]] = defaultdict(set)  # target -> sources backing it (not negated)
    for src, tgt, _, _ in view.edge_list(types=types, negated=False):
        backers[tgt].add(src)
    best: dict[tuple[str, str], int] = {}

    def walk(chain: list[str]) -> None:  # chain runs from x backwards: [x, via, ...]
        hops = len(chain) - 1
        if hops >= 2:
            key = (chain[-1], chain[1])
            best[key] = min(best.get(key, hops), hops)
        if hops == depth:
            return
        for src in backers.get(chain[-1], ()):
            if src not in chain:
                walk([*chain, src])

    walk([x])
    rows = []
    for (actor, via), hops in best.items():
        a, v = view.actor(actor), view.actor(via)
        rows.append({
            "actor_id": actor, "actor_name": a["name"], "actor_type": a["type"],
            "via_id": via, "via_name": v["name"], "depth": hops,
        })
    return sorted(rows, key=lambda r: (r["depth"], r["actor_id"], r["via_id"]))


def _twin_country_rollup(view: _GraphView, p: dict[str, Any]) -> list[dict[str, Any]]:
    x = p["actor"]
    g = view.slice(target=x, types=p["types"])
    if x not in g:
        return []
    sentences: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for src, _, data in g.in_edges(x, data=True):
        if data["type"] in p["types"] and not data["negated"]:
            sentences[src].update((ev["document"], ev["start"]) for ev in data["evidence"])
    countries: dict[str, dict[str, Any]] = {}
    for backer in sorted(sentences):
        country = _country_of(view, backer)
        if country is None:
            continue
        entry = countries.setdefault(country, {"direct": False, "officials": [], "evidence": 0})
        entry["evidence"] += len(sentences[backer])
        if backer == country:
            entry["direct"] = True
        else:
            entry["officials"].append(backer)
    rows = [
        {
            "country_id": cid, "country_name": view.actor(cid)["name"], "direct": e["direct"],
            "officials": len(e["officials"]), "official_ids": list(e["officials"]),
            "official_names": [view.actor(o)["name"] for o in e["officials"]], "evidence": e["evidence"],
        }
        for cid, e in countries.items()
    ]
    return sorted(rows, key=lambda r: (-r["evidence"], r["country_id"]))


def _country_of(view: _GraphView, actor_id: str) -> str | None:
    """The actor itself when it is a country, else its affiliation (or that one's) when that is a country."""
    current: str | None = actor_id
    for _ in range(3):
        if current is None or current not in view.actors:
            return None
        if view.actors[current]["type"] == "country":
            return current
        current = view.actors[current]["affiliation"]
    return None


def _twin_overview(view: _GraphView, p: dict[str, Any]) -> list[dict[str, Any]]:
    g = view.graph
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_actor: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for src, tgt, data in g.edges(data=True):
        counts = by_type[data["type"]]
        counts[0] += 1
        counts[1] += int(data["weight"])
        if data["type"] == AFFILIATION:
            continue
        for end in (src, tgt):
            by_actor[end][0] += 1
            by_actor[end][1] += int(data["weight"])
    types = [
        {"section": "type", "id": t, "name": t, "relations": n, "evidence": ev} for t, (n, ev) in by_type.items()
    ]
    actors = sorted(
        ({"section": "actor", "id": a, "name": view.actor(a)["name"], "relations": n, "evidence": ev}
         for a, (n, ev) in by_actor.items()),
        key=lambda r: (-r["relations"], r["id"]),
    )[: p["limit"]]
    return sorted(types, key=lambda r: (-r["relations"], r["id"])) + actors


Twin = Callable[[_GraphView, dict[str, Any]], list[dict[str, Any]]]

_TWINS: dict[str, Twin] = {
    "backers": _twin_backers,
    "backed_by": _twin_backed_by,
    "meetings": _twin_meetings,
    "pressures": _twin_pressures,
    "opposes": _twin_opposes,
    "between": _twin_between,
    "evidence": _twin_evidence,
    "paths": _twin_paths,
    "indirect_backers": _twin_indirect_backers,
    "country_rollup": _twin_country_rollup,
    "overview": _twin_overview,
}

#: The fixed columns of every named query, in order (documented in queries/README.md).
_COLUMNS: dict[str, tuple[str, ...]] = {
    **{n: _REL_COLUMNS for n in ("backers", "backed_by", "meetings", "pressures", "opposes", "between")},
    "evidence": (
        "source_id", "source_name", "type", "negated", "target_id", "target_name", "document", "date", "start",
        "end", "sentence", "modality", "attribution", "key",
    ),
    "paths": ("hops", "actor_ids", "actor_names", "types", "negated", "forward", "modalities", "evidence", "key"),
    "indirect_backers": ("actor_id", "actor_name", "actor_type", "via_id", "via_name", "depth"),
    "country_rollup": (
        "country_id", "country_name", "direct", "officials", "official_ids", "official_names", "evidence",
    ),
    "overview": ("section", "id", "name", "relations", "evidence"),
}
QUERY_COLUMNS: Mapping[str, tuple[str, ...]] = _COLUMNS

__all__ = [
    "ACTOR_PARAMS", "NAMED_QUERIES", "QUERY_COLUMNS", "NamedQuery", "get_query", "is_cypher_store",
    "QuerySession", "load_named_queries", "parse_query_file", "prepare_params", "relation_key", "run_named",
]
