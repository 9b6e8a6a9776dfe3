"""Ingest throughput: graphkit's ingest() into a real SQLite store vs plain ``nlp.pipe`` of the same spaCy model.

Run:  .venv/bin/python bench/bench_ingest.py [--docs 300] [--workers 1] [--sentences 12]

Each phase runs in its own fresh Python process (so its peak RSS is its own) over the same generated JSONL
corpus (the seed article plus generated theatre articles, every text unique):

* ``pipe``      baseline: the plain spaCy model (no graphkit component), ``nlp.pipe`` over the texts.
* ``pipe+gk``   diagnostic: the graphkit pipeline (model + graphkit component), ``nlp.pipe`` only, no store.
* ``ingest``    graphkit.ingest.ingest(): sources -> pipeline -> extraction -> SQLiteStore in a temp dir
                (what ``graphkit ingest`` runs).

The figure that matters is ingest docs/s divided by pipe docs/s (target >= 0.8). Model loading is outside the
timed part in every phase.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _corpus  # noqa: E402

TARGET = 0.8


def _rss_now_mb() -> float:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * resource.getpagesize() / 1_048_576


def phase(name: str, corpus: Path, workers: int, batch_size: int) -> dict[str, object]:
    """Run one phase in this process; the timed part excludes model loading."""
    if name == "pipe":
        from graphkit.model import load_model

        nlp = load_model()
    else:
        from graphkit.extract import build_pipeline

        nlp = build_pipeline()
    # Warm up outside the timed part (first-call allocations, lazy imports) on a text not in the corpus.
    nlp("Warm-up: Russia backs the government, officials said.")
    rss_loaded = _rss_now_mb()
    docs = words = 0
    extra: dict[str, object] = {}
    elapsed = 0.0
    start = time.perf_counter()
    if name in ("pipe", "pipe+gk"):
        kwargs = {"n_process": workers}
        if name == "pipe+gk":
            kwargs["batch_size"] = batch_size
        for doc in nlp.pipe(_corpus.iter_jsonl_texts(corpus), **kwargs):
            docs += 1
            words += len(doc.text.split())
        elapsed = time.perf_counter() - start
    else:
        from graphkit.ingest import ingest
        from graphkit.store.sqlite import SQLiteStore

        with tempfile.TemporaryDirectory(prefix="gk-bench-ingest-") as tmp:
            with SQLiteStore(Path(tmp) / "bench.db") as store:
                summary = ingest([str(corpus)], store, nlp=nlp, workers=workers, batch_size=batch_size)
                elapsed = time.perf_counter() - start
                counts = store.counts()
        if summary.failed or summary.skipped:
            raise SystemExit(f"ingest skipped {summary.skipped} and failed {summary.failed}: {summary.errors[:3]}")
        docs = summary.documents
        words = sum(len(t.split()) for t in _corpus.iter_jsonl_texts(corpus))
        extra = {"relations": counts["relations"], "actors": counts["actors"]}
    return {"phase": name, "docs": docs, "words": words, "seconds": elapsed, "rss_loaded_mb": rss_loaded,
            "peak_rss_mb": _corpus.peak_rss_mb(), **extra}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=300, help="articles in the corpus (default 300)")
    parser.add_argument("--sentences", type=int, default=12, help="sentences per generated article (default 12)")
    parser.add_argument("--workers", type=int, default=1, help="spaCy processes in every phase (default 1)")
    parser.add_argument("--batch-size", type=int, default=16, help="ingest's nlp.pipe batch size (default 16)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:
        result = phase(args.phase, Path(args.corpus), args.workers, args.batch_size)
        print(json.dumps(result))
        return

    with tempfile.TemporaryDirectory(prefix="gk-bench-corpus-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        n, words = _corpus.write_jsonl(corpus, args.docs, sentences=args.sentences)
        print(f"corpus: {n} articles, {words} words (seed article + generated), workers={args.workers}")
        script = Path(__file__).resolve()
        common = ["--corpus", str(corpus), "--workers", str(args.workers), "--batch-size", str(args.batch_size)]
        results = {}
        for name in ("pipe", "pipe+gk", "ingest"):
            results[name] = _corpus.run_phase(script, ["--phase", name, *common])

    base = results["pipe"]
    print()
    print(f"{'phase':<9} {'docs':>6} {'seconds':>8} {'docs/s':>8} {'words/s':>9} {'ratio':>6} "
          f"{'rss after load MB':>18} {'peak rss MB':>12}")
    for name, r in results.items():
        dps = r["docs"] / r["seconds"]
        wps = r["words"] / r["seconds"]
        ratio = dps / (base["docs"] / base["seconds"])
        print(f"{name:<9} {r['docs']:>6} {r['seconds']:>8.2f} {dps:>8.1f} {wps:>9.0f} {ratio:>6.2f} "
              f"{r['rss_loaded_mb']:>18.0f} {r['peak_rss_mb']:>12.0f}")
    ing = results["ingest"]
    ratio = (ing["docs"] / ing["seconds"]) / (base["docs"] / base["seconds"])
    component = (results["pipe+gk"]["docs"] / results["pipe+gk"]["seconds"]) / (base["docs"] / base["seconds"])
    print()
    print(f"stored: {ing['relations']} relation statements, {ing['actors']} actors")
    print(f"ingest / plain nlp.pipe throughput ratio: {ratio:.2f} (target >= {TARGET}) "
          f"{_corpus.verdict(ratio >= TARGET)}")
    print(f"  of which graphkit pipeline without store / plain nlp.pipe: {component:.2f}")
    print(f"peak RSS ingest / plain nlp.pipe: {ing['peak_rss_mb'] / base['peak_rss_mb']:.2f}")


if __name__ == "__main__":
    main()
