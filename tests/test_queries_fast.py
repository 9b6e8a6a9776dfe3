"""The narrow reads (statements into / out of an actor, the light edge list, document stubs) and the sliced graphs
the named queries build from them give exactly what the full lists and the whole graph give.

The store is the hand-built world of tests/test_queries.py plus documents that stress the edge cases: a key stored
twice (a changed file re-ingested: its statements take the later document's date), an undated document (its ingest
day counts), a negation, a meeting stated in the other direction, and a self-meeting.
"""

from __future__ import annotations

import gc
import random
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import permutations
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graphkit.errors import QueryError
from graphkit.graph import build_graph, gc_paused
from graphkit.queries import QuerySession, _shortest_paths, run_named
from graphkit.records import AFFILIATION, Actor, Document, Extraction, Relation
from graphkit.store.base import Store
from graphkit.store.sqlite import SQLiteStore
from test_queries import make_extraction, stmt, world_extractions

WINDOWS: list[dict[str, str]] = [
    {}, {"since": "2019-06-01"}, {"until": "2019-04-10"}, {"since": "2021-02-03", "until": "2021-02-03"},
    {"since": "2020-01-01"}, {"since": "2019-04-06", "until": "2019-12-31"},
]


def extra_extractions() -> list[Extraction]:
    """Edge cases on top of the world: a re-ingested key, an undated document, negation, reversed and self meets."""
    again = make_extraction("d1-spring", "2021-05-01", [  # same key as a 2019 document, other text
        ("Egypt backs Haftar once more.", [stmt("egypt", "backs", "khalifa-haftar")]),
        ("Russia does not back Haftar.", [stmt("russia", "backs", "khalifa-haftar", negated=True)]),
        ("Haftar met Lavrov again.", [stmt("khalifa-haftar", "meets", "sergey-lavrov")]),
        ("Sisi met Sisi's cabinet.", [stmt("abdel-fattah-el-sisi", "meets", "abdel-fattah-el-sisi")]),
    ])
    undated = make_extraction("d6-undated", None, [
        ("Turkey opposes Haftar.", [stmt("turkey", "opposes", "khalifa-haftar")]),
        ("Trump met Haftar.", [stmt("donald-trump", "meets", "khalifa-haftar", "hedged")]),
        ("Belarus may back Wagner.", [stmt("belarus", "backs", "wagner-group", "hedged")]),
        ("Lavrov is Russia's foreign minister.", [stmt("sergey-lavrov", AFFILIATION, "russia")]),
    ])
    return [
        replace(again, document=replace(again.document, ingested_at="2021-06-01T09:00:00+00:00")),
        replace(undated, document=replace(undated.document, ingested_at="2021-02-03T10:00:00+00:00")),
    ]


class DefaultsStore(Store):
    """A back-end with only the abstract methods (over a SQLite store): it uses the base class's narrow reads."""

    kind = "defaults"

    def __init__(self, inner: SQLiteStore) -> None:
        self.inner = inner

    def has_document(self, doc_id: str) -> bool:
        return self.inner.has_document(doc_id)

    def add(self, extraction: Extraction) -> bool:
        return self.inner.add(extraction)

    def documents(self) -> list[Document]:
        return self.inner.documents()

    def actors(self) -> list[Actor]:
        return self.inner.actors()

    def relations(self) -> list[Relation]:
        return self.inner.relations()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteStore]:
    opened = SQLiteStore(tmp_path_factory.mktemp("fast") / "world.db")
    assert opened.add_many([*world_extractions(), *extra_extractions()]) == 7
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def defaults(store: SQLiteStore) -> DefaultsStore:
    return DefaultsStore(store)


@pytest.fixture(scope="module")
def actor_ids(store: SQLiteStore) -> list[str]:
    return [a.id for a in store.actors()]


def _edges(graph: nx.MultiDiGraph) -> dict[tuple[str, str, str], dict[str, Any]]:
    return {(s, t, k): d for s, t, k, d in graph.edges(keys=True, data=True)}


# -- the store's narrow reads ----------------------------------------------------------------------------------


def test_the_world_has_the_edge_cases(store: SQLiteStore) -> None:
    keys = [d.key for d in store.documents()]
    assert keys.count("d1-spring") == 2 and "d6-undated" in keys
    graph = store.graph()
    assert graph.has_edge("abdel-fattah-el-sisi", "abdel-fattah-el-sisi", "meets")
    assert graph.has_edge("russia", "khalifa-haftar", "not_backs")
    # the statements of a re-ingested key are dated by the later document (as build_graph does)
    assert graph.edges["egypt", "khalifa-haftar", "backs"]["last_seen"] == "2021-05-01"


@pytest.mark.parametrize("kind", ["sqlite", "defaults"])
def test_relations_matching_gives_the_full_list_filtered(
    kind: str, store: SQLiteStore, defaults: DefaultsStore, actor_ids: list[str],
) -> None:
    chosen = store if kind == "sqlite" else defaults
    every = store.relations()

    def expected(sources: Iterable[str] | None, targets: Iterable[str] | None, types: Iterable[str] | None) -> list:
        sets = [None if v is None else set(v) for v in (sources, targets, types)]
        return [r for r in every if all(s is None or v in s for s, v in zip(sets, (r.source, r.target, r.type),
                                                                            strict=True))]

    cases: list[tuple[Any, Any, Any]] = [(None, None, None), (None, None, ["meets", AFFILIATION])]
    for actor in actor_ids:
        cases += [([actor], None, None), (None, [actor], None), (None, [actor], ["backs", "supports"]),
                  ([actor], None, ["meets"]), ([actor], [actor], None)]
    cases += [(actor_ids[:5], actor_ids[3:9], None), (actor_ids, actor_ids, ["opposes"])]
    found = 0
    for sources, targets, types in cases:
        got = chosen.relations_matching(sources=sources, targets=targets, types=types)
        assert got == expected(sources, targets, types), (sources, targets, types)  # same rows, same order
        found += len(got)
    assert found > 120


@pytest.mark.parametrize("kind", ["sqlite", "defaults"])
def test_document_stubs(kind: str, store: SQLiteStore, defaults: DefaultsStore) -> None:
    chosen = store if kind == "sqlite" else defaults
    full = store.documents()
    stubs = chosen.document_stubs()
    assert [(d.id, d.key, d.date, d.ingested_at, d.title) for d in stubs] == [
        (d.id, d.key, d.date, d.ingested_at, d.title) for d in full]
    assert all(d.text == "" for d in stubs)
    some = chosen.document_stubs(keys={"d1-spring", "d6-undated", "no-such-key"})
    assert [d.id for d in some] == [d.id for d in full if d.key in ("d1-spring", "d6-undated")]
    assert len(some) == 3 and chosen.document_stubs(keys=[]) == []


@pytest.mark.parametrize("kind", ["sqlite", "defaults"])
@pytest.mark.parametrize("window", WINDOWS, ids=str)
def test_edge_list_is_the_whole_graph_without_statements(
    kind: str, window: dict[str, str], store: SQLiteStore, defaults: DefaultsStore,
) -> None:
    chosen = store if kind == "sqlite" else defaults
    whole = build_graph(store.actors(), store.relations(), store.documents(), **window)
    every = sorted((s, t, d["type"], d["negated"]) for s, t, d in whole.edges(data=True))
    assert chosen.edge_list(**window) == every
    assert every or window.get("since") == "2021-02-03"
    for types, negated in ((["backs", "supports"], False), (["backs"], True), (["meets", AFFILIATION], None)):
        assert chosen.edge_list(types=types, negated=negated, **window) == [
            e for e in every if e[2] in types and (negated is None or e[3] == negated)]


def test_edge_list_dates_by_key_and_ingest_day(store: SQLiteStore) -> None:
    # the re-ingested key's 2019 sentences count in 2021; the undated document counts on its ingest day
    assert ("united-arab-emirates", "khalifa-haftar", "backs", False) in store.edge_list(since="2021-05-01")
    assert ("turkey", "khalifa-haftar", "opposes", False) in store.edge_list(since="2021-02-03", until="2021-02-03")
    assert ("united-arab-emirates", "khalifa-haftar", "backs", False) not in store.edge_list(until="2020-12-31")
    with pytest.raises(QueryError, match="ISO date"):
        store.edge_list(since="last spring")


@pytest.mark.parametrize("window", WINDOWS[:3], ids=str)
def test_a_slice_has_the_whole_graphs_attributes(window: dict[str, str], store: SQLiteStore,
                                                 actor_ids: list[str]) -> None:
    actors, documents = store.actors(), store.document_stubs()
    whole = _edges(build_graph(actors, store.relations(), documents, **window))
    for actor in actor_ids:
        for read in ({"targets": [actor]}, {"sources": [actor]}, {"targets": [actor], "types": ["backs"]}):
            part = _edges(build_graph(actors, store.relations_matching(**read), documents, **window))
            end = 1 if "targets" in read else 0
            assert part == {
                k: d for k, d in whole.items() if k[end] == actor and d["type"] in read.get("types", [d["type"]])}


# -- the named queries on slices vs on the whole graph ---------------------------------------------------------


def _whole_graph_session(store: Any, window: dict[str, str]) -> QuerySession:
    """A session whose view for ``window`` holds the whole graph (overview builds it): every twin then reads it."""
    session = QuerySession(store)
    session.run("overview", dict(window))
    view = session._views[(window.get("since"), window.get("until"))]
    assert "graph" in view._cache
    return session


SINGLE = {
    "backers": [{}, {"types": ["supports"]}, {"types": ["backs", "opposes", AFFILIATION]}],
    "backed_by": [{}, {"types": ["meets", "pressures", AFFILIATION]}],
    "meetings": [{}], "pressures": [{}], "opposes": [{}],
    "country_rollup": [{}, {"types": ["supports"]}, {"types": ["pressures", "opposes"]}],
}


@pytest.mark.parametrize("kind", ["sqlite", "defaults"])
@pytest.mark.parametrize("window", WINDOWS, ids=str)
def test_single_actor_queries_match_the_whole_graph(
    kind: str, window: dict[str, str], store: SQLiteStore, defaults: DefaultsStore, actor_ids: list[str],
) -> None:
    chosen = store if kind == "sqlite" else defaults
    whole, sliced = _whole_graph_session(chosen, window), QuerySession(chosen)
    answered = 0
    for name, variants in SINGLE.items():
        for variant in variants:
            for actor in actor_ids:
                params = {"actor": actor, **variant, **window}
                expected = whole.run(name, params, resolve=False)
                assert sliced.run(name, params, resolve=False) == expected, (name, params)
                answered += bool(expected)
    assert answered >= 10


@pytest.mark.parametrize("window", WINDOWS, ids=str)
def test_pair_queries_match_the_whole_graph(window: dict[str, str], store: SQLiteStore,
                                            actor_ids: list[str]) -> None:
    whole, sliced = _whole_graph_session(store, window), QuerySession(store)
    busy = ["khalifa-haftar", "egypt", "russia", "sergey-lavrov", "fayez-al-serraj", "abdel-fattah-el-sisi",
            "wagner-group", "france", "qatar", "nato", "muammar-gaddafi", "turkey"]
    assert set(busy) <= set(actor_ids)
    answered = 0
    for x, y in [*permutations(busy, 2), *((a, a) for a in busy)]:
        for name, extra in (("between", {}), ("evidence", {}), ("evidence", {"type": "backs"}),
                            ("evidence", {"type": "meets"})):
            params = {"source": x, "target": y, **extra, **window}
            expected = whole.run(name, params, resolve=False)
            assert sliced.run(name, params, resolve=False) == expected, (name, params)
            answered += bool(expected)
    assert answered >= 5


def _reference_paths(graph: nx.MultiDiGraph, x: str, y: str, max_depth: int) -> set[tuple[str, ...]]:
    """The node paths networkx finds over the whole graph seen undirected (as the twin did before slicing)."""
    undirected = nx.Graph()
    undirected.add_nodes_from(graph.nodes)
    undirected.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    if x not in undirected or y not in undirected:
        return set()
    try:
        paths = list(nx.all_shortest_paths(undirected, x, y))
    except nx.NetworkXNoPath:
        return set()
    return {tuple(p) for p in paths if len(p) - 1 <= max_depth}


@pytest.mark.parametrize("window", WINDOWS, ids=str)
def test_paths_match_networkx_on_the_whole_graph(window: dict[str, str], store: SQLiteStore,
                                                 actor_ids: list[str]) -> None:
    whole = build_graph(store.actors(), store.relations(), store.documents(), **window)
    session = QuerySession(store)
    found = 0
    for x, y in permutations(actor_ids[::2], 2):
        for depth in (1, 2, 4):
            rows = session.run("paths", {"source": x, "target": y, "max_depth": depth, **window}, resolve=False)
            assert {tuple(r["actor_ids"]) for r in rows} == _reference_paths(whole, x, y, depth), (x, y, depth)
            for row in rows:  # every hop is an edge of the whole graph with its attributes
                for i, type_ in enumerate(row["types"]):
                    u, v = row["actor_ids"][i], row["actor_ids"][i + 1]
                    src, tgt = (u, v) if row["forward"][i] else (v, u)
                    data = whole.edges[src, tgt, ("not_" if row["negated"][i] else "") + type_]
                    assert (data["modality"], data["weight"]) == (row["modalities"][i], row["evidence"][i])
            found += len(rows)
    assert found >= (0 if window.get("since") == "2021-02-03" else 5)


def test_shortest_paths_agree_with_networkx_on_random_graphs() -> None:
    rng = random.Random(11)
    for _ in range(60):
        graph = nx.gnm_random_graph(rng.randint(2, 30), rng.randint(0, 60), seed=rng.randint(0, 10**6))
        neighbours = {n: set(graph[n]) for n in graph if graph[n]}
        x, y = rng.sample(list(graph.nodes), 2)
        for hops in (1, 2, 3, 4):
            try:
                expected = {tuple(p) for p in nx.all_shortest_paths(graph, x, y) if len(p) - 1 <= hops}
            except nx.NetworkXNoPath:
                expected = set()
            assert {tuple(p) for p in _shortest_paths(neighbours, x, y, max_hops=hops)} == expected


@pytest.mark.parametrize("window", WINDOWS, ids=str)
def test_indirect_backers_match_a_walk_over_the_whole_graph(window: dict[str, str], store: SQLiteStore,
                                                            actor_ids: list[str]) -> None:
    whole = build_graph(store.actors(), store.relations(), store.documents(), **window)
    session = QuerySession(store)
    for actor in actor_ids:
        for depth, types in ((2, ["backs", "supports"]), (3, ["backs", "supports"]), (3, ["backs", "meets"])):
            backers: dict[str, set[str]] = {}
            for s, t, d in whole.edges(data=True):
                if d["type"] in types and not d["negated"]:
                    backers.setdefault(t, set()).add(s)
            best: dict[tuple[str, str], int] = {}
            chains = [[actor]]
            while chains:
                chain = chains.pop()
                if len(chain) >= 3:
                    key = (chain[-1], chain[1])
                    best[key] = min(best.get(key, len(chain) - 1), len(chain) - 1)
                if len(chain) - 1 < depth:
                    chains += [[*chain, s] for s in backers.get(chain[-1], ()) if s not in chain]
            rows = session.run("indirect_backers", {"actor": actor, "depth": depth, "types": types, **window},
                               resolve=False)
            assert {(r["actor_id"], r["via_id"]): r["depth"] for r in rows} == best, (actor, depth, types)


def test_names_still_resolve(store: SQLiteStore) -> None:
    rows = run_named(store, "backers", {"actor": "Haftr", "since": "2021-01-01"})
    assert rows == run_named(store, "backers", {"actor": "khalifa-haftar", "since": "2021-01-01"}, resolve=False)
    assert {("russia", True), ("united-arab-emirates", False)} <= {(r["actor_id"], r["negated"]) for r in rows}


# -- cheap building ----------------------------------------------------------------------------------------------


def test_gc_paused_restores_the_collector() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_cli_ask_reads_narrowly_and_never_loads_spacy(store: SQLiteStore, tmp_path: Path) -> None:
    """``graphkit ask`` in a fresh process: no spaCy, and the store's full statement list is never read."""
    code = (
        "import sys\n"
        "from graphkit.store.sqlite import SQLiteStore\n"
        "def refuse(self):\n"
        "    raise AssertionError('read every statement')\n"
        "SQLiteStore.relations = refuse\n"
        "from graphkit.cli import main\n"
        f"sys.argv = ['graphkit', 'ask', 'Who backs Haftar?', '--store', {str(store.path)!r}, '--evidence']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "assert 'spacy' not in sys.modules, 'spaCy was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Egypt backs Khalifa Haftar" in done.stdout and "once more" in done.stdout
