"""Every Cypher statement graphkit sends, every query in queries/ and the Cypher script pass Neo4j's own linter.

The linter is the npm package @neo4j-cypher/language-support (pinned in tests/cypherlint/package.json), run
offline by tests/cypherlint/lint.cjs under the machine's node. Install it once with
``npm ci --prefix tests/cypherlint``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from graphkit.graph import build_graph
from graphkit.records import AFFILIATION, Actor, Document, Evidence, Relation
from graphkit.resources import queries_dir
from graphkit.store import cypher
from graphkit.store.cypher_script import iter_statements

LINT_DIR = Path(__file__).resolve().parent / "cypherlint"
INSTALL = "npm ci --prefix tests/cypherlint"

#: The model of the shared spec, so the linter can warn about misspelt labels, types and properties.
SCHEMA = {
    "labels": ["Actor", "Document", "Evidence", *cypher.TYPE_LABELS.values()],
    "relationshipTypes": ["FROM", *(cypher.rel_type(k) for k in cypher.EDGE_KINDS)],
    "propertyKeys": sorted({
        "id", "name", "type", "aliases", "affiliation", "role",
        "key", "title", "source", "date", "ingested_at", "text",
        "negated", "modality", "modalities", "weight", "documents", "confidence", "first_seen", "last_seen",
        "relation", "target", "document", "doc_id", "sentence", "start", "end", "attribution", "trigger",
    }),
}


def _lint(queries: dict[str, str]) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the Cypher linter needs Node.js (apt-get install nodejs)", pytrace=False)
    if not (LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        pytest.fail(f"the Cypher linter is not installed: run `{INSTALL}`", pytrace=False)
    payload = {"schema": SCHEMA, "queries": [{"name": n, "query": q} for n, q in queries.items()]}
    proc = subprocess.run([node, str(LINT_DIR / "lint.cjs")], input=json.dumps(payload), capture_output=True,
                          text=True, encoding="utf-8", timeout=120, check=False)
    assert proc.returncode == 0, f"lint.cjs failed: {proc.stderr.strip()}"
    return json.loads(proc.stdout)


def _report(diagnostics: list[dict], severity: str) -> list[str]:
    return [f"{d['name']}:{d['line']}:{d['column']}: {d['message']}" for d in diagnostics if d["severity"] == severity]


def _script_statements() -> dict[str, str]:
    actors = [Actor("o-brien", "O'Brien \\ \"x\"\n", "person", ("a'b",), "ireland", "envoy"),
              Actor("ireland", "Ireland", "country")]
    rels = [Relation("o-brien", "ireland", AFFILIATION, Evidence("d'1", "It's \\ him;\nyes.", 0, 17), role="envoy"),
            Relation("ireland", "o-brien", "meets", Evidence("d'1", "Met.", 18, 22), negated=True)]
    graph = build_graph(actors, rels, [Document("h", "d'1", "x", date="2020-01-01")])
    return {f"script:{i}": s for i, s in enumerate(iter_statements(graph))}


@pytest.fixture(scope="module")
def linted() -> dict[str, list[dict]]:
    """Everything linted with one node run (starting the linter costs seconds): diagnostics by group."""
    groups = {
        "probe": {"broken": "MATCH (a:Actor RETURN a", "fine": "MATCH (a:Actor {id: $id}) RETURN a.name AS name"},
        "graphkit": cypher.all_statements(),
        "queries": {f.name: f.read_text(encoding="utf-8") for f in sorted(queries_dir().glob("*.cypher"))},
        "script": _script_statements(),
    }
    assert len(groups["graphkit"]) > 20 and "merge_actors" in groups["graphkit"]
    found = _lint({f"{group}/{name}": q for group, queries in groups.items() for name, q in queries.items()})
    out: dict[str, list[dict]] = {group: [] for group in groups}
    for d in found:
        group, _, d["name"] = d["name"].partition("/")
        out[group].append(d)
    return out


def test_the_linter_finds_errors(linted: dict[str, list[dict]]) -> None:
    assert {d["name"] for d in linted["probe"] if d["severity"] == "Error"} == {"broken"}


def test_graphkit_statements_pass_the_linter(linted: dict[str, list[dict]]) -> None:
    assert not _report(linted["graphkit"], "Error"), "\n".join(_report(linted["graphkit"], "Error"))
    assert not _report(linted["graphkit"], "Warning"), "\n".join(_report(linted["graphkit"], "Warning"))


def test_named_queries_pass_the_linter(linted: dict[str, list[dict]]) -> None:
    errors = _report(linted["queries"], "Error")
    assert not errors, "\n".join(errors)
    for warning in _report(linted["queries"], "Warning"):  # shown with pytest -rA; they do not fail the test
        print("warning:", warning)


def test_cypher_script_passes_the_linter(linted: dict[str, list[dict]]) -> None:
    errors = _report(linted["script"], "Error")
    assert not errors, "\n".join(errors)
