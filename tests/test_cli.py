"""The graphkit command, run through typer's CliRunner against real SQLite stores and the real pipeline."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.ingest import ingest
from graphkit.store import open_store
from conftest import gold_doc

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ["ingest", "export", "eval", "ask", "query", "queries", "cypher", "push", "stats", "relations"]
ARTICLES = {
    "russia.txt": "Russia backs Haftar\n\nRussia backs Khalifa Haftar. Moscow sent weapons to support Haftar.",
    "egypt.txt": "Egypt supports Khalifa Haftar. President Abdel Fattah al-Sisi met Haftar in Cairo.",
}
DATED = [
    {"id": "old", "date": "2015-03-01", "text": "Turkey opposes Khalifa Haftar. Turkey sent drones to Tripoli."},
    {"id": "new", "date": "2020-03-01", "text": "The United Arab Emirates backs Khalifa Haftar, a UN report said."},
]


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), env=env)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "dated.jsonl").write_text("\n".join(json.dumps(x) for x in DATED) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built_store(nlp, corpus, tmp_path_factory) -> Path:
    """A store built once from the corpus (by the library, with the session pipeline)."""
    path = tmp_path_factory.mktemp("built") / "graph.db"
    with open_store(path) as store:
        summary = ingest([str(corpus)], store, nlp=nlp)
    assert summary.documents == 4 and summary.relations > 0
    return path


@pytest.fixture
def db(built_store: Path, tmp_path: Path) -> str:
    """A private copy of the built store."""
    path = tmp_path / "graph.db"
    shutil.copy(built_store, path)
    return str(path)


# --------------------------------------------------------------------------------------------- help


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_help_of_each_command(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0, result.output
    assert f"graphkit {command}" in result.stdout and "--help" in result.stdout


def test_python_dash_m_and_fast_help() -> None:
    code = (
        "import sys, runpy; sys.argv = ['graphkit', '--help']\n"
        "try:\n    runpy.run_module('graphkit', run_name='__main__')\n"
        "except SystemExit as exc:\n    assert exc.code in (0, None), exc.code\n"
        "heavy = [m for m in ('spacy', 'neo4j', 'networkx', 'rich.progress') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert "Usage: graphkit" in out.stdout
    assert "HEAVY []" in out.stdout


# --------------------------------------------------------------------------------------------- ingest


def test_ingest_then_reingest(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "g.db")
    first = run("ingest", str(corpus), "--store", db)
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("4 documents ingested (")
    assert "0 skipped (already stored), 0 failed" in first.stdout
    second = run("ingest", str(corpus / "egypt.txt"), "--store", db)
    assert second.exit_code == 0
    assert second.stdout.strip() == "0 documents ingested (0 actors, 0 relations), 1 skipped (already stored), 0 failed"
    with open_store(db) as store:
        assert store.counts()["documents"] == 4


def test_ingest_reports_bad_inputs_and_exits_1(corpus: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9")
    big = tmp_path / "big.txt"
    big.write_text("Libya. " * 100, encoding="utf-8")
    env = {"GRAPHKIT_STORE": str(tmp_path / "env.db")}
    result = run("ingest", str(bad), str(corpus / "egypt.txt"), str(big), str(tmp_path / "missing.txt"),
                 "--max-bytes", "500", env=env)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [
        f"error: {bad}: invalid UTF-8 at byte 3 (line 1, byte 0xe9)",
        f"error: {big}: file too large (700 bytes, over the 500 bytes limit)",
        f"error: {tmp_path / 'missing.txt'}: no such file or folder",
    ]
    assert "1 documents ingested" in result.stdout and "3 failed" in result.stdout
    assert (tmp_path / "env.db").exists()


def test_ingest_stdin(tmp_path: Path) -> None:
    db = str(tmp_path / "g.db")
    result = CliRunner().invoke(app, ["ingest", "-", "--store", db],
                                input=json.dumps({"id": "s1", "text": ARTICLES["egypt.txt"]}) + "\n")
    assert result.exit_code == 0, result.output
    with open_store(db) as store:
        assert [d.key for d in store.documents()] == ["s1"]


def test_ingest_bad_model_is_one_line(tmp_path: Path) -> None:
    result = run("ingest", str(tmp_path), "--store", str(tmp_path / "g.db"), "--model", "no_such_model_xyz")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "no_such_model_xyz" in result.stderr


# --------------------------------------------------------------------------------------------- reading commands


def test_stats(db: str) -> None:
    with open_store(db) as store:
        counts = store.counts()
    result = run("stats", "--store", db, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == counts
    table = run("stats", "--store", db)
    assert table.exit_code == 0
    assert "documents" in table.stdout and str(counts["relations"]) in table.stdout


def test_relations_table_and_json(db: str) -> None:
    with open_store(db) as store:
        graph = store.graph()
    result = run("relations", "--store", db, "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert len(rows) == graph.number_of_edges() > 0
    assert set(rows[0]) == {"source", "type", "target", "modality", "negated", "weight"}
    assert [r["weight"] for r in rows] == sorted((r["weight"] for r in rows), reverse=True)
    names = {data["name"] for _, data in graph.nodes(data=True)}
    assert all(r["source"] in names and r["target"] in names for r in rows)
    table = run("relations", "--store", db)
    assert table.exit_code == 0
    for header in ("source", "type", "target", "modality", "negated", "weight"):
        assert header in table.stdout
    assert rows[0]["source"] in table.stdout


def test_relations_since_until(db: str) -> None:
    everything = json.loads(run("relations", "--store", db, "--json").stdout)
    old = json.loads(run("relations", "--store", db, "--json", "--until", "2016-01-01").stdout)
    new = json.loads(run("relations", "--store", db, "--json", "--since", "2019-01-01",
                         "--until", "2021-01-01").stdout)
    assert old and all("Turkey" in (r["source"], r["target"]) for r in old)
    assert not any("Turkey" in (r["source"], r["target"]) for r in new)
    assert len(old) < len(everything)
    bad = run("relations", "--store", db, "--since", "last week")
    assert bad.exit_code == 2 and "not an ISO date" in bad.output


@pytest.mark.parametrize("fmt", ["json", "graphml", "cypher"])
def test_export_to_stdout_and_file(db: str, tmp_path: Path, fmt: str) -> None:
    result = run("export", "--format", fmt, "--store", db)
    assert result.exit_code == 0, result.output
    text = result.stdout
    if fmt == "json":
        data = json.loads(text)
        assert data["nodes"] and (data.get("links") or data.get("edges"))
    elif fmt == "graphml":
        assert ET.fromstring(text.encode()).tag.endswith("graphml")
    else:
        assert "Khalifa Haftar" in text
    out = tmp_path / f"graph.{fmt}"
    to_file = run("export", "-f", fmt, "-o", str(out), "--store", db)
    assert to_file.exit_code == 0 and to_file.stdout == ""
    assert out.read_text(encoding="utf-8").strip() == text.strip()


def test_export_since_filters(db: str) -> None:
    full = json.loads(run("export", "--store", db).stdout)
    recent = json.loads(run("export", "--store", db, "--since", "2019-01-01").stdout)
    edges = "links" if "links" in full else "edges"
    assert 0 < len(recent[edges]) < len(full[edges])


def test_export_bad_format_and_missing_store(db: str, tmp_path: Path) -> None:
    bad = run("export", "--format", "pdf", "--store", db)
    assert bad.exit_code == 1 and bad.stderr.startswith("error: ") and "pdf" in bad.stderr
    missing = run("export", "--store", str(tmp_path / "none.db"))
    assert missing.exit_code == 1
    assert missing.stderr == f"error: store {tmp_path / 'none.db'} does not exist (run `graphkit ingest` first " \
                             "or pass --store)\n"
    assert not (tmp_path / "none.db").exists()


def test_ask(db: str) -> None:
    result = run("ask", "Who backs Haftar?", "--store", db)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    as_json = run("ask", "Who backs Haftar?", "--store", db, "--json")
    assert as_json.exit_code == 0
    assert isinstance(json.loads(as_json.stdout), dict)
    evidence = run("ask", "Who backs Haftar?", "--store", db, "--evidence")
    assert evidence.exit_code == 0 and len(evidence.stdout) >= len(result.stdout)
    dated = run("ask", "Who backs Haftar?", "--store", db, "--since", "2019-01-01", "--json")
    assert dated.exit_code == 0


def test_ask_errors_are_one_line(db: str, tmp_path: Path) -> None:
    missing = run("ask", "Who backs Haftar?", "--store", str(tmp_path / "none.db"))
    assert missing.exit_code == 1 and missing.stderr.startswith("error: store ")
    unknown = run("ask", "Who backs Zzyzxqwerty?", "--store", db)
    assert unknown.exit_code == 1
    assert unknown.stderr.startswith("error: ") and unknown.stderr.count("\n") == 1


def test_ask_does_not_load_spacy(db: str) -> None:
    code = (
        "import sys\nfrom typer.testing import CliRunner\nfrom graphkit.cli import app\n"
        f"r = CliRunner().invoke(app, ['ask', 'Who backs Haftar?', '--store', {db!r}])\n"
        "assert r.exit_code == 0, r.output\nprint('SPACY', 'spacy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "SPACY False" in out.stdout


def test_queries_lists_named_queries() -> None:
    from graphkit.queries import NAMED_QUERIES

    result = run("queries")
    assert result.exit_code == 0
    assert len(NAMED_QUERIES) > 0
    for name in NAMED_QUERIES:
        assert name in result.stdout


def test_query_runs_a_named_query(db: str) -> None:
    from graphkit.queries import NAMED_QUERIES

    name = next(n for n, q in NAMED_QUERIES.items() if "actor" in q.params) if any(
        "actor" in q.params for q in NAMED_QUERIES.values()) else next(iter(NAMED_QUERIES))
    params = ["--param", "actor=Haftar"] if "actor" in NAMED_QUERIES[name].params else []
    result = run("query", name, *params, "--store", db, "--json")
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.stdout), list)
    table = run("query", name, *params, "--store", db)
    assert table.exit_code == 0


def test_query_errors(db: str) -> None:
    unknown = run("query", "no_such_query", "--store", db)
    assert unknown.exit_code == 1 and unknown.stderr.startswith("error: ") and "no_such_query" in unknown.stderr
    bad = run("query", "overview", "--param", "novalue", "--store", db)
    assert bad.exit_code == 1 and "KEY=VALUE" in bad.stderr


def test_cypher_needs_neo4j_and_read_only(db: str) -> None:
    sqlite = run("cypher", "MATCH (a:Actor) RETURN a.name", "--store", db)
    assert sqlite.exit_code == 1 and "needs a Neo4j store" in sqlite.stderr
    for statement in ("CREATE (n:Actor {id: 'x'})", "MATCH (n) DETACH DELETE n", "MATCH (a) SET a.x = 1"):
        write = run("cypher", statement, "--store", "bolt://127.0.0.1:9")
        assert write.exit_code == 1 and "read-only" in write.stderr, statement


def test_push_needs_a_neo4j_target(db: str) -> None:
    result = run("push", "--to", "other.db", "--store", db)
    assert result.exit_code == 1 and result.stderr.startswith("error: --to must be a Neo4j URI")


def test_neo4j_down_is_one_line(db: str) -> None:
    env = {"NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": "secret"}
    for args in (["stats", "--store", "bolt://127.0.0.1:9"], ["push", "--to", "bolt://127.0.0.1:9", "--store", db]):
        result = run(*args, env=env)
        assert result.exit_code == 1, args
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr


@pytest.mark.neo4j
def test_push_then_use_the_neo4j_store(db: str, neo4j_store, bolt_uri: str) -> None:
    with open_store(db) as store:
        counts = store.counts()
        names = sorted(a.name for a in store.actors())
        triples = {(s, d["type"], t) for s, t, d in store.graph().edges(data=True)}
    pushed = run("push", "--to", bolt_uri, "--store", db)
    assert pushed.exit_code == 0, pushed.output
    assert pushed.stdout.strip() == f"{counts['documents']} documents pushed to {bolt_uri}"
    again = run("push", "--to", bolt_uri, "--store", db)
    assert again.exit_code == 0 and again.stdout.startswith("0 documents pushed")
    stats = run("stats", "--store", bolt_uri, "--json")
    assert stats.exit_code == 0, stats.output
    assert json.loads(stats.stdout) == counts
    rows = run("cypher", "MATCH (a:Actor) RETURN a.name AS name ORDER BY name", "--store", bolt_uri, "--json")
    assert rows.exit_code == 0, rows.output
    assert [r["name"] for r in json.loads(rows.stdout)] == names
    table = run("cypher", "MATCH (a:Actor) RETURN a.name AS name, a.type AS type", "--store", bolt_uri)
    assert table.exit_code == 0 and names[0] in table.stdout and "type" in table.stdout
    relations = json.loads(run("relations", "--store", bolt_uri, "--json").stdout)
    by_name = {a: a for a in names}
    assert len(relations) == len(triples) and all(r["source"] in by_name for r in relations)
    asked = run("ask", "Who backs Haftar?", "--store", bolt_uri, "--json")
    assert asked.exit_code == 0, asked.output
    assert json.loads(asked.stdout) == json.loads(run("ask", "Who backs Haftar?", "--store", db, "--json").stdout)


# --------------------------------------------------------------------------------------------- eval



def test_eval_gold_with_texts(tmp_path: Path) -> None:
    path = tmp_path / "set.json"
    path.write_text(json.dumps([gold_doc("d1", ARTICLES["egypt.txt"]), gold_doc("d2", "It rained in Paris.")]),
                    encoding="utf-8")
    result = run("eval", str(path), "--misses", "--false", "--store", str(tmp_path / "unused.db"))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "documents            2" in lines
    assert "required relations   2" in lines
    assert any(line.startswith("missed required relations (") for line in lines)
    assert any(line.startswith("false relations (") for line in lines)
    assert not (tmp_path / "unused.db").exists()


def test_eval_against_the_store(db: str, tmp_path: Path) -> None:
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(gold_doc("egypt.txt", None)), encoding="utf-8")
    result = run("eval", str(path), "--store", db)
    assert result.exit_code == 0, result.output
    assert "documents            1" in result.stdout.splitlines()
    missing = run("eval", str(path), "--store", str(tmp_path / "none.db"))
    assert missing.exit_code == 1 and missing.stderr.startswith("error: store ")


def test_eval_bad_gold_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    result = run("eval", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path}: not valid JSON") and result.stderr.count("\n") == 1


def test_store_from_environment(db: str) -> None:
    result = run("stats", "--json", env={"GRAPHKIT_STORE": db})
    assert result.exit_code == 0 and json.loads(result.stdout)["documents"] == 4


def test_no_password_prompt_without_a_terminal() -> None:
    result = run("stats", "--store", "bolt://127.0.0.1:9", env={"NEO4J_PASSWORD": None})
    assert result.exit_code == 1 and result.stderr.startswith("error: ")
    assert "password" not in result.stdout.lower()
