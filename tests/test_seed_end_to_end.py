"""The seed article end to end: ingest, then the same who-backs-whom answers from SQLite and from Neo4j."""

from __future__ import annotations

import pytest

from graphkit.ask import answer
from graphkit.ingest import ingest
from graphkit.push import push
from graphkit.store.sqlite import SQLiteStore

from conftest import SEED

QUESTIONS = [
    "Who backs Haftar?", "Whom does Russia support?", "Who met Lavrov?", "Who pressures NATO?",
    "Does Egypt back Haftar?", "How is Russia connected to al-Serraj?", "Which countries back Haftar?",
    "Who opposes Gaddafi?",
]


@pytest.fixture(scope="module")
def seed_store(nlp, tmp_path_factory):
    store = SQLiteStore(tmp_path_factory.mktemp("seed") / "graphkit.db")
    summary = ingest([str(SEED)], store, nlp=nlp)
    assert summary.documents == 1 and summary.failed == 0
    yield store
    store.close()


def _who(ans) -> set[str]:
    return {row.get("actor_id") or row.get("source_id") for row in ans.rows if not row.get("negated")}


def test_who_backs_haftar_names_the_backers_a_reader_sees(seed_store):
    ans = answer("Who backs Haftar?", seed_store)
    assert {"egypt", "united-arab-emirates", "russia", "arab-states", "parliament-in-benghazi",
            "abdel-fattah-al-sisi"} <= _who(ans)
    assert all(row["evidence"] >= 1 for row in ans.rows)


def test_reader_answers_to_the_other_questions(seed_store):
    assert "angeleno-afano" in _who(answer("Who met Lavrov?", seed_store))
    assert {"muammar-gaddafi"} == {r["target_id"] for r in answer("Who opposes Gaddafi?", seed_store).rows}
    assert {"united-kingdom", "france", "nato"} <= _who(answer("Who opposes Gaddafi?", seed_store))
    assert "khalifa-haftar" in {r.get("target_id") for r in answer("Whom does Russia support?", seed_store).rows}
    assert answer("Does Egypt back Haftar?", seed_store).verdict == "yes"
    countries = {r.get("country_id") for r in answer("Which countries back Haftar?", seed_store).rows}
    assert {"egypt", "russia", "united-arab-emirates"} <= countries


@pytest.mark.neo4j
def test_neo4j_gives_the_same_answers(seed_store, neo4j_store):
    assert push(seed_store, neo4j_store) == 1
    for question in QUESTIONS:
        lite, bolt = answer(question, seed_store), answer(question, neo4j_store)
        assert lite.rows == bolt.rows, question
        assert lite.verdict == bolt.verdict, question


def test_sources_that_disagree_are_shown_with_their_evidence(nlp, tmp_path):
    from graphkit.ask import format_answer

    a, b = tmp_path / "a.jsonl", tmp_path / "b.txt"
    a.write_text('{"id": "wire-1", "date": "2024-03-01", "text": "Turkey backs the Syrian National Army."}\n',
                 encoding="utf-8")
    b.write_text("Turkey has attacked the Syrian National Army near Afrin, its critics claim.", encoding="utf-8")
    store = SQLiteStore(tmp_path / "g.db")
    ingest([str(a), str(b)], store, nlp=nlp)
    ans = answer("Who backs the Syrian National Army?", store)
    assert [r["source_id"] for r in ans.rows] == ["turkey"]
    assert [(r["source_id"], r["type"]) for r in ans.related] == [("turkey", "opposes")]
    text = format_answer(ans, evidence=True)
    assert "sources disagree: Turkey opposes" in text
    assert "Turkey backs the Syrian National Army." in text and "attacked the Syrian National Army" in text
    early = answer("Who backs the Syrian National Army?", store, until="2024-12-31")
    assert early.related == ()  # the attack is in an undated article, ingested today: outside the window
