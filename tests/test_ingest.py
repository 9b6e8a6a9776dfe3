"""The ingest run: streaming into a real SQLite store, idempotence, interruption, bad inputs, evaluation runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

import graphkit.extract.component  # noqa: F401  (registers the doc._.graphkit_* extensions)
from graphkit.errors import EvalError
from graphkit.evaluation_run import evaluate_file
from graphkit.export import export_graph
from graphkit.ingest import extract_texts, ingest
from graphkit.records import IngestSummary, content_hash
from graphkit.store import open_store
from conftest import gold_doc

EVIDENCE = "Egypt supports Haftar."  # the gold evidence of the articles these tests evaluate

ARTICLES = [
    "Russia backs Khalifa Haftar.\n\nMoscow has sent weapons to support Haftar's Libyan National Army.",
    "Egypt supports Haftar. President Abdel Fattah al-Sisi met Haftar in Cairo on Monday.",
    "Turkey opposes Haftar. Ankara sent drones to back the Government of National Accord in Tripoli.",
    "The United Arab Emirates backs the Libyan National Army, according to a UN report.",
]


def write_corpus(folder: Path) -> list[str]:
    """Three .txt files and a .jsonl with two articles (one dated); returns the keys in input order."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, text in enumerate(ARTICLES[:3]):
        (folder / f"a{number}.txt").write_text(text, encoding="utf-8")
    lines = [{"id": "j1", "text": ARTICLES[3], "date": "2019-04-05"},
             {"text": "Italy meets France in Rome. Italy urges France to stop backing Haftar."}]
    (folder / "b.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return [str(folder / f"a{n}.txt") for n in range(3)] + ["j1", f"{folder / 'b.jsonl'}:2"]


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, list[str]]:
    keys = write_corpus(tmp_path / "corpus")
    return tmp_path / "corpus", keys


def snapshot(store) -> str:
    return export_graph(store.graph(), "json")


def test_ingest_stores_every_article_with_evidence(nlp, corpus, tmp_path: Path) -> None:
    folder, keys = corpus
    with open_store(tmp_path / "g.db") as store:
        summary = ingest([str(folder)], store, nlp=nlp)
        documents = store.documents()
        relations = store.relations()
        counts = store.counts()
    assert summary.documents == 5 and summary.skipped == 0 and summary.failed == 0 and summary.errors == ()
    assert sorted(d.key for d in documents) == sorted(keys)
    assert summary.relations == counts["relations"] == len(relations) > 0
    assert summary.actors >= counts["actors"] > 0
    texts = {d.key: d.text for d in documents}
    for relation in relations:
        evidence = relation.evidence
        assert evidence.document in texts
        assert evidence.sentence and evidence.sentence in texts[evidence.document][evidence.start:evidence.end]
    dated = {d.key: d.date for d in documents}
    assert dated["j1"] == "2019-04-05" and dated[keys[0]] is None
    titles = {d.key: d.title for d in documents}
    assert titles[keys[0]] == "Russia backs Khalifa Haftar." and titles[keys[1]] is None


def test_reingest_changes_nothing(nlp, corpus, tmp_path: Path) -> None:
    folder, _ = corpus
    with open_store(tmp_path / "g.db") as store:
        ingest([str(folder)], store, nlp=nlp)
        before, counts = snapshot(store), store.counts()
        again = ingest([str(folder)], store, nlp=nlp)
        assert again == IngestSummary(skipped=5)
        assert snapshot(store) == before and store.counts() == counts


def test_same_text_twice_in_one_run_is_stored_once(nlp, tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(ARTICLES[1], encoding="utf-8")
    (tmp_path / "two.txt").write_text(ARTICLES[1] + "\n", encoding="utf-8")  # same content hash
    with open_store(tmp_path / "g.db") as store:
        summary = ingest([str(tmp_path / "one.txt"), str(tmp_path / "two.txt")], store, nlp=nlp)
        assert (summary.documents, summary.skipped) == (1, 1)
        assert [d.key for d in store.documents()] == [str(tmp_path / "one.txt")]


def test_bad_inputs_are_counted_and_the_run_goes_on(nlp, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLES[0], encoding="utf-8")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02")
    bad_jsonl = tmp_path / "bad.jsonl"
    bad_jsonl.write_text('{"title": "no text"}\n{"text": "Qatar backs the GNA."}\n', encoding="utf-8")
    with open_store(tmp_path / "g.db") as store:
        summary = ingest([str(tmp_path / "missing.txt"), str(binary), str(good), str(bad_jsonl)], store, nlp=nlp)
        assert summary.documents == 2 and summary.failed == 3 and len(summary.errors) == 3
        assert summary.errors[0].startswith(str(tmp_path / "missing.txt"))
        assert summary.errors[1].startswith(f"{binary}: binary")
        assert summary.errors[2] == f"{bad_jsonl}:1: no 'text' field"
        assert store.counts()["documents"] == 2


def test_interrupted_ingest_keeps_earlier_documents_and_resumes(nlp, corpus, tmp_path: Path) -> None:
    folder, keys = corpus
    path = tmp_path / "g.db"
    seen: list[str] = []

    def stop_after_two(summary: IngestSummary, key: str) -> None:
        seen.append(key)
        if summary.documents == 2:
            raise KeyboardInterrupt

    with open_store(path) as store, pytest.raises(KeyboardInterrupt):
        ingest([str(folder)], store, nlp=nlp, batch_size=2, on_progress=stop_after_two)
    assert seen == keys[:2]
    with open_store(path) as store:
        assert store.integrity_check() == "ok"
        assert sorted(d.key for d in store.documents()) == sorted(keys[:2])
        stored = {d.key for d in store.documents()}
        assert all(r.evidence.document in stored for r in store.relations())
        assert {r.source for r in store.relations()} <= {a.id for a in store.actors()}
        resumed = ingest([str(folder)], store, nlp=nlp)
        assert (resumed.documents, resumed.skipped, resumed.failed) == (3, 2, 0)
        after_resume = snapshot(store)
    with open_store(tmp_path / "fresh.db") as fresh:
        ingest([str(folder)], fresh, nlp=nlp)
        assert snapshot(fresh) == after_resume


def test_progress_reports_every_item_in_order(nlp, corpus, tmp_path: Path) -> None:
    folder, keys = corpus
    reports: list[tuple[int, int, int, str]] = []
    with open_store(tmp_path / "g.db") as store:
        ingest([str(folder), str(tmp_path / "nope.txt")], store, nlp=nlp,
               on_progress=lambda s, k: reports.append((s.documents, s.skipped, s.failed, k)))
    assert [r[3] for r in reports] == keys + [str(tmp_path / "nope.txt")]
    assert [r[0] for r in reports] == [1, 2, 3, 4, 5, 5]
    assert reports[-1][2] == 1


PARSED: list[str] = []


@spacy.Language.component("graphkit_test_count_texts")
def count_texts(doc):
    """A real component for a blank pipeline: records every text it parses, finds nothing."""
    PARSED.append(doc.text)
    doc._.graphkit_actors = ()
    doc._.graphkit_relations = ()
    return doc


def test_stored_documents_are_not_parsed_again(corpus, tmp_path: Path) -> None:
    folder, _ = corpus
    nlp = spacy.blank("en")
    nlp.add_pipe("graphkit_test_count_texts")
    PARSED.clear()
    with open_store(tmp_path / "g.db") as store:
        first = ingest([str(folder / "a0.txt"), str(folder / "a1.txt")], store, nlp=nlp)
        assert first.documents == 2 and [t for t in PARSED if t] == ARTICLES[:2]
        PARSED.clear()
        second = ingest([str(folder)], store, nlp=nlp)
        assert (second.documents, second.skipped) == (3, 2)
        assert [t for t in PARSED if t] == [
            ARTICLES[2], ARTICLES[3], "Italy meets France in Rome. Italy urges France to stop backing Haftar."
        ]


def test_workers_give_the_same_graph(nlp, corpus, tmp_path: Path) -> None:
    folder, _ = corpus
    with open_store(tmp_path / "one.db") as one, open_store(tmp_path / "two.db") as two:
        ingest([str(folder)], one, nlp=nlp)
        summary = ingest([str(folder)], two, nlp=nlp, workers=2)
        assert summary.documents == 5
        assert snapshot(two) == snapshot(one)
    assert "graphkit_portable" not in nlp.pipe_names


def test_extract_texts_keeps_order_and_keys(nlp) -> None:
    extractions = list(extract_texts([("k1", ARTICLES[0]), ("k2", ARTICLES[2]), ARTICLES[1]], nlp=nlp))
    assert [e.document.key for e in extractions] == ["k1", "k2", "<text 3>"]
    assert [e.document.id for e in extractions] == [content_hash(t) for t in (ARTICLES[0], ARTICLES[2], ARTICLES[1])]
    for extraction in extractions:
        assert all(r.evidence.document == extraction.document.key for r in extraction.relations)


# --------------------------------------------------------------------------------------------- evaluation runs



def test_evaluate_file_with_texts_scores_each_document(nlp, tmp_path: Path) -> None:
    gold = tmp_path / "set.json"
    # Two identical texts stay two documents; the third has nothing to find.
    docs = [gold_doc("d1", ARTICLES[1], evidence=EVIDENCE), gold_doc("d2", ARTICLES[1], evidence=EVIDENCE),
            gold_doc("d3", "It rained in Paris.")]
    gold.write_text(json.dumps(docs), encoding="utf-8")
    scores = evaluate_file(gold, nlp=nlp)
    assert scores.counts.documents == 3
    assert scores.counts.required == 3
    one = [gold_doc("d1", ARTICLES[1], evidence=EVIDENCE)]
    single = evaluate_file(_write(tmp_path / "one.json", one), nlp=nlp)
    assert single.counts.documents == 1 and single.counts.required == 1
    assert scores.counts.matched == 2 * single.counts.matched
    assert scores.counts.extracted == 2 * single.counts.extracted


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_evaluate_file_without_text_scores_the_store(nlp, tmp_path: Path) -> None:
    gold = _write(tmp_path / "gold.json", gold_doc("article", None, evidence=EVIDENCE))
    with open_store(tmp_path / "empty.db") as empty:
        assert evaluate_file(gold, store=empty).counts.extracted == 0
    (tmp_path / "a.txt").write_text(ARTICLES[1], encoding="utf-8")
    with open_store(tmp_path / "g.db") as store:
        ingest([str(tmp_path / "a.txt")], store, nlp=nlp)
        by_store = evaluate_file(gold, store=store)
    by_path = evaluate_file(gold, store=str(tmp_path / "g.db"))
    assert by_store.counts.documents == 1
    assert by_store.counts.extracted > 0
    assert by_path == by_store


def test_evaluate_file_rejects_mixed_gold(tmp_path: Path) -> None:
    mixed = [gold_doc("d1", ARTICLES[1], evidence=EVIDENCE), gold_doc("d2", None, evidence=EVIDENCE)]
    gold = _write(tmp_path / "mixed.json", mixed)
    with pytest.raises(EvalError, match="'d2' has no 'text'"):
        evaluate_file(gold, nlp=spacy.blank("en"))
