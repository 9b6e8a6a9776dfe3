"""Streaming ingest keeps memory flat: peak RSS of ingesting 1,000 vs 10,000 generated articles.

Run:  .venv/bin/python bench/bench_memory.py            # short articles (the default, same as --fast)
      .venv/bin/python bench/bench_memory.py --full     # 12-sentence articles (about 12 minutes on 2 cores)
      .venv/bin/python bench/bench_memory.py --docs 1000 --docs 50000

Each size is written to a JSONL file one article at a time (never held in memory), then ingested by
graphkit.ingest.ingest() into a fresh SQLite store in its own Python process, so each peak RSS
(ru_maxrss) is that run's own. The figure that matters is peak RSS(largest) / peak RSS(smallest): ~1.0 means
memory does not grow with the number of articles (target <= 1.10). RSS is also sampled every 10% of the run
to show where any growth happens.
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

TARGET = 1.10
FAST_SENTENCES = 1
FULL_SENTENCES = 12


def _rss_now_mb() -> float:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * resource.getpagesize() / 1_048_576


def phase(corpus: Path, total: int, workers: int) -> dict[str, object]:
    """Ingest ``corpus`` into a fresh store in this process; RSS samples every 10% of ``total`` articles."""
    from graphkit.extract import build_pipeline
    from graphkit.ingest import ingest
    from graphkit.store.sqlite import SQLiteStore

    nlp = build_pipeline()
    nlp("Warm-up: Russia backs the government, officials said.")
    rss_loaded = _rss_now_mb()
    step = max(1, total // 10)
    samples: list[float] = []
    stamps: list[float] = []

    def progress(summary, key):  # noqa: ANN001 - graphkit.ingest.ProgressCallback
        done = summary.documents + summary.skipped + summary.failed
        if done % step == 0:
            samples.append(round(_rss_now_mb(), 1))
            stamps.append(time.perf_counter())

    with tempfile.TemporaryDirectory(prefix="gk-bench-memory-") as tmp:
        with SQLiteStore(Path(tmp) / "bench.db") as store:
            start = time.perf_counter()
            stamps.append(start)
            summary = ingest([str(corpus)], store, nlp=nlp, workers=workers, on_progress=progress)
            seconds = time.perf_counter() - start
            db_mb = (Path(tmp) / "bench.db").stat().st_size / 1_048_576
    if summary.documents != total:
        raise SystemExit(f"stored {summary.documents} of {total} (skipped {summary.skipped}, "
                         f"failed {summary.failed}): {summary.errors[:3]}")
    return {"docs": summary.documents, "relations": summary.relations, "seconds": seconds,
            "rss_loaded_mb": rss_loaded, "peak_rss_mb": _corpus.peak_rss_mb(), "samples_mb": samples,
            "decile_rates": [round(step / (b - a), 1) for a, b in zip(stamps, stamps[1:])],
            "db_mb": db_mb, "vocab": len(nlp.vocab.strings)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, action="append",
                        help="a corpus size; repeat for several (default 1000 and 10000)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--fast", action="store_true",
                      help=f"short articles of {FAST_SENTENCES} sentence (the default)")
    mode.add_argument("--full", action="store_true", help=f"full articles of {FULL_SENTENCES} sentences")
    parser.add_argument("--workers", type=int, default=1, help="spaCy processes (default 1)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--total", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:
        print(json.dumps(phase(Path(args.phase), args.total, args.workers)))
        return

    sizes = sorted(set(args.docs or [1000, 10000]))
    sentences = FULL_SENTENCES if args.full else FAST_SENTENCES
    print(f"articles of {sentences} sentence(s), sizes {sizes}, workers={args.workers}; "
          f"each size ingested in its own process into a fresh SQLite store")
    script = Path(__file__).resolve()
    results = {}
    with tempfile.TemporaryDirectory(prefix="gk-bench-memory-corpus-") as tmp:
        for size in sizes:
            corpus = Path(tmp) / f"corpus-{size}.jsonl"
            _, words = _corpus.write_jsonl(corpus, size, sentences=sentences, include_seed=False)
            r = _corpus.run_phase(script, ["--phase", str(corpus), "--total", str(size),
                                           "--workers", str(args.workers)], timeout=7200)
            r["words"] = words
            corpus.unlink()
            results[size] = r

    print()
    print(f"{'articles':>9} {'words':>9} {'seconds':>8} {'docs/s':>7} {'relations':>9} {'store MB':>8} "
          f"{'rss after load MB':>17} {'peak rss MB':>11} {'vocab strings':>13}")
    for size, r in results.items():
        print(f"{size:>9} {r['words']:>9} {r['seconds']:>8.1f} {r['docs'] / r['seconds']:>7.1f} "
              f"{r['relations']:>9} {r['db_mb']:>8.1f} {r['rss_loaded_mb']:>17.0f} {r['peak_rss_mb']:>11.0f} "
              f"{r['vocab']:>13}")
    for size, r in results.items():
        print(f"RSS MB every 10% of {size}: {' '.join(f'{v:.0f}' for v in r['samples_mb'])}")
    for size, r in results.items():
        print(f"docs/s in each 10% of {size}: {' '.join(f'{v:.0f}' for v in r['decile_rates'])}")
    small, large = results[sizes[0]], results[sizes[-1]]
    ratio = large["peak_rss_mb"] / small["peak_rss_mb"]
    growth = (large["peak_rss_mb"] - large["rss_loaded_mb"]) / max(1e-9, small["peak_rss_mb"] - small["rss_loaded_mb"])
    print()
    print(f"peak RSS {sizes[-1]} / {sizes[0]}: {ratio:.2f} (target ~1.0, <= {TARGET}) {_corpus.verdict(ratio <= TARGET)}")
    print(f"growth above the loaded model, {sizes[-1]} / {sizes[0]}: {growth:.2f}")
    print(f"time {sizes[-1]} / {sizes[0]}: {large['seconds'] / small['seconds']:.2f} "
          f"(linear would be {sizes[-1] / sizes[0]:.2f})")


if __name__ == "__main__":
    main()
