"""Cold ``graphkit ask`` on a big SQLite store vs a bare ``python -c "import networkx"``.

Run:  .venv/bin/python bench/bench_ask.py [--relations 120000] [--runs 5] [--profile]

The store (synthetic documents with many relation statements each, written through SQLiteStore.add) is built
once and cached in ``<temp dir>/graphkit-bench/`` (``--cache-dir`` to change). Every timed run is a fresh
process (subprocess), so imports, opening the store and loading what ``ask`` needs are all counted. Figures
are medians of ``--runs`` runs. The figure that matters is median(ask) / median(import networkx)
(target < 3). ``graphkit stats`` (same CLI start-up, SQL counts only) is shown to split CLI start-up from
the question itself; ``--profile`` prints where one cold ``ask`` spends its time (cProfile, cumulative).
"""

from __future__ import annotations

import argparse
import cProfile  # noqa: F401 - run as ``-m cProfile`` below; imported so a missing module fails early
import io
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _corpus  # noqa: E402
import _synthetic  # noqa: E402

TARGET = 3.0
PER_DOCUMENT = 60


def graphkit_command() -> list[str]:
    """The installed ``graphkit`` console script beside this Python, else ``python -m graphkit``."""
    script = Path(sys.executable).parent / "graphkit"
    return [str(script)] if script.exists() else [sys.executable, "-m", "graphkit"]


def profile_ask(question: str, store: Path, top: int) -> str:
    """cProfile of one cold ``ask`` in a fresh process, the ``top`` entries by cumulative time."""
    with tempfile.TemporaryDirectory(prefix="gk-bench-ask-") as tmp:
        out = Path(tmp) / "ask.prof"
        subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "graphkit", "ask", question,
                        "--store", str(store)], capture_output=True, check=True)
        buffer = io.StringIO()
        stats = pstats.Stats(str(out), stream=buffer)
        stats.strip_dirs().sort_stats("cumulative").print_stats(top)
    lines = buffer.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join(lines[start:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--relations", type=int, default=120_000,
                        help=f"relation statements in the store ({PER_DOCUMENT} per document; default 120000)")
    parser.add_argument("--actors", type=int, default=2000, help="distinct actors (default 2000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command (default 5)")
    parser.add_argument("--question", default=f"Who backs {_synthetic.FOCUS_ALIASES[0]}?")
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "graphkit-bench")
    parser.add_argument("--profile", action="store_true", help="also profile one cold ask (cProfile)")
    args = parser.parse_args()

    documents = max(1, -(-args.relations // PER_DOCUMENT))
    path = args.cache_dir / f"ask-{documents}x{PER_DOCUMENT}-{args.actors}.db"
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    built = _synthetic.build_sqlite_store(path, documents=documents, per_document=PER_DOCUMENT, actors=args.actors)
    from graphkit.store.sqlite import SQLiteStore

    with SQLiteStore(path) as store:
        counts = store.counts()
    print(f"store {path}: {counts['documents']} documents, {counts['actors']} actors, "
          f"{counts['relations']} relation statements, {path.stat().st_size / 1_048_576:.0f} MB "
          f"({'built' if built else 'cached'} in {time.perf_counter() - start:.1f} s)")

    env = {**os.environ}
    env.pop("GRAPHKIT_STORE", None)
    gk = graphkit_command()
    ask = [*gk, "ask", args.question, "--store", str(path)]
    check = subprocess.run(ask, capture_output=True, text=True, env=env)
    if check.returncode != 0:
        raise SystemExit(f"graphkit ask failed ({check.returncode}): {check.stderr.strip()[-2000:]}")
    answer_lines = check.stdout.strip().splitlines()
    print(f"question: {args.question!r} -> {len(answer_lines)} lines of answer; first: "
          f"{answer_lines[0] if answer_lines else '(empty)'!r}")

    commands = {
        "python -c 'import networkx'": [sys.executable, "-c", "import networkx"],
        "graphkit stats": [*gk, "stats", "--store", str(path), "--json"],
        "graphkit ask": ask,
    }
    medians = {}
    print()
    print(f"{'command':<28} {'median s':>9} {'ratio':>6}   runs (s)")
    for name, command in commands.items():
        times = _corpus.timed_runs(command, runs=args.runs, env=env)
        medians[name] = _corpus.median(times)
        base = medians["python -c 'import networkx'"]
        print(f"{name:<28} {medians[name]:>9.3f} {medians[name] / base:>6.2f}   "
              f"{' '.join(f'{t:.2f}' for t in times)}")
    ratio = medians["graphkit ask"] / medians["python -c 'import networkx'"]
    print()
    print(f"cold ask / import networkx: {ratio:.2f} (target < {TARGET:g}) {_corpus.verdict(ratio < TARGET)}")
    print(f"ask beyond CLI start-up (ask - stats): {medians['graphkit ask'] - medians['graphkit stats']:.3f} s")
    if args.profile:
        print()
        print("profile of one cold ask (cumulative):")
        print(profile_ask(args.question, path, 25))


if __name__ == "__main__":
    main()
