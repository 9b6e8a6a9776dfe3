"""Shared helpers for graphkit's benchmarks: a generated corpus, timing and memory figures.

Not a benchmark itself (the leading underscore keeps it out of the bench_*.py set). Every generated article is
unique (its date, numbers and actor combination vary with its number), so re-ingest dedup never skips one.
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
SEED_ARTICLE = ROOT / "seeds" / "000_927c85fa452f217c.txt"

# ------------------------------------------------------------------------------------------ theatres

#: Each theatre: a place, the sides' backers, local forces and leaders, and the envoys who meet them.
THEATRES: dict[str, dict[str, list[str]]] = {
    "Libya": {
        "place": ["Libya", "Tripoli", "Benghazi", "Sirte"],
        "backers": ["Russia", "Egypt", "the United Arab Emirates", "Turkey", "Qatar", "France", "Italy"],
        "locals": ["General Khalifa Haftar", "Fayez al-Serraj", "the Libyan National Army",
                   "the Government of National Accord"],
        "envoys": ["the United Nations", "the European Union", "NATO", "the African Union"],
    },
    "Syria": {
        "place": ["Syria", "Aleppo", "Idlib", "Damascus"],
        "backers": ["Russia", "Iran", "Turkey", "the United States", "Saudi Arabia", "Qatar"],
        "locals": ["Bashar al-Assad", "the Syrian Democratic Forces", "Hezbollah", "the Free Syrian Army"],
        "envoys": ["the United Nations", "the European Union", "the Arab League"],
    },
    "Yemen": {
        "place": ["Yemen", "Sanaa", "Aden", "Hodeidah"],
        "backers": ["Saudi Arabia", "Iran", "the United Arab Emirates", "the United States", "Oman"],
        "locals": ["the Houthis", "Abd Rabbuh Mansur Hadi", "the Southern Transitional Council"],
        "envoys": ["the United Nations", "the European Union", "the Gulf Cooperation Council"],
    },
    "Sahel": {
        "place": ["Mali", "Niger", "Burkina Faso", "Bamako"],
        "backers": ["France", "Russia", "Algeria", "the United States", "Germany"],
        "locals": ["the Wagner Group", "Assimi Goita", "the Malian army"],
        "envoys": ["the United Nations", "the African Union", "ECOWAS", "the European Union"],
    },
    "Ukraine": {
        "place": ["Ukraine", "Kyiv", "Donetsk", "Kharkiv"],
        "backers": ["the United States", "Poland", "Germany", "the United Kingdom", "Russia", "Belarus"],
        "locals": ["Volodymyr Zelensky", "the Ukrainian army", "Vladimir Putin"],
        "envoys": ["NATO", "the European Union", "the United Nations", "Turkey"],
    },
}

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]

#: Sentence templates; {A}/{B} are backers, {L}/{M} local actors, {E} an envoy, {P} a place, {n}/{m} numbers,
#: {d} a written date, {w} a weekday.
TEMPLATES = [
    "{A} backs {L} in the fighting around {P}, officials said on {d}.",
    "{A} has supported {L} with {n} armoured vehicles since {d}, according to a report seen by reporters.",
    "{B} opposes the offensive that {L} launched near {P} on {w}.",
    "{A} and {B} met in {P} on {d} to discuss a ceasefire that would hold for {n} days.",
    "{E} pressured {A} to stop supplying {L}, a diplomat said, citing {n} violations since {d}.",
    "{L} met envoys from {E} on {w}, the {m}th round of talks this year.",
    "{B} is reportedly backing {M} and may send {n} advisers to {P} before {d}.",
    "{A} denied that it supports {M}, but {n} cargo flights landed in {P} in the week to {d}.",
    "Officials in {P} said {E} would press {B} to withdraw {n} fighters by {d}.",
    "{L} accused {A} of backing {M} after clashes that killed {n} people near {P} on {w}.",
    "{E} plans to meet {L} and {M} in {P} on {d}, a spokesman said.",
    "{B} criticised {A} for supporting {L}, saying {n} civilians had fled {P} since {d}.",
    "Analysts said {A} could back {M} if talks hosted by {E} collapse, with {m} delegations due on {d}.",
    "{M} opposes any deal brokered by {B}, its leaders told {n} journalists in {P} on {w}.",
]

_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _written(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def generated_article(number: int, *, sentences: int = 12) -> dict[str, str]:
    """Article ``number``: a title and ``sentences`` sentences about one theatre; unique per number."""
    rng = random.Random(number * 7919 + sentences)
    name = list(THEATRES)[number % len(THEATRES)]
    theatre = THEATRES[name]
    day = date(2015, 1, 1) + timedelta(days=number % 3650)
    lines = []
    for i in range(sentences):
        a, b = rng.sample(theatre["backers"], 2)
        l_, m = rng.sample(theatre["locals"], 2)
        when = day - timedelta(days=rng.randint(1, 60))
        text = rng.choice(TEMPLATES).format(
            A=a, B=b, L=l_, M=m, E=rng.choice(theatre["envoys"]), P=rng.choice(theatre["place"]),
            n=rng.randint(2, 900), m=rng.randint(2, 19), d=_written(when), w=rng.choice(_WEEKDAYS),
        )
        lines.append(text[0].upper() + text[1:])
    # The article number in a dateline makes every text unique even if two random draws coincide.
    dateline = f"{theatre['place'][0].upper()}, {_written(day)} (report {number}) -"
    paragraphs = [" ".join(lines[i:i + 3]) for i in range(0, len(lines), 3)]
    title = f"{name}: {rng.choice(theatre['backers'])} and {rng.choice(theatre['locals'])}, report {number}"
    text = title + "\n\n" + dateline + " " + "\n\n".join(paragraphs) + "\n"
    return {"id": f"gen-{number:06d}", "title": title, "date": day.isoformat(), "text": text}


def articles(count: int, *, sentences: int = 12, include_seed: bool = True) -> Iterator[dict[str, str]]:
    """``count`` articles, generated one at a time: the seed article first (when asked), then generated ones."""
    made = 0
    if include_seed and count > 0:
        yield {"id": "seed-000", "text": SEED_ARTICLE.read_text(encoding="utf-8")}
        made = 1
    for number in range(count - made):
        yield generated_article(number, sentences=sentences)


def write_jsonl(path: Path, count: int, *, sentences: int = 12, include_seed: bool = True) -> tuple[int, int]:
    """Stream ``count`` articles into a JSONL file; (articles, words) written."""
    words = 0
    with path.open("w", encoding="utf-8") as out:
        for n, article in enumerate(articles(count, sentences=sentences, include_seed=include_seed), 1):
            words += len(article["text"].split())
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    return n if count else 0, words


def iter_jsonl_texts(path: Path) -> Iterator[str]:
    """The texts of a JSONL file, one line at a time."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)["text"]


# ------------------------------------------------------------------------------------------ measuring


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_phase(script: Path, args: list[str], *, timeout: float = 1800) -> dict[str, object]:
    """Run ``script --phase ...`` in a fresh Python process and return the JSON object it prints last."""
    proc = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    if proc.returncode != 0:
        raise SystemExit(f"phase {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def timed_runs(command: list[str], *, runs: int, env: dict[str, str] | None = None,
               check: bool = True) -> list[float]:
    """Wall times (seconds) of ``runs`` fresh runs of ``command``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(command, capture_output=True, text=True, env=env)
        times.append(time.perf_counter() - start)
        if check and proc.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"
