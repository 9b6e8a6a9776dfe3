"""graphkit.evaluate: gold loading and the scoring rules of ANNOTATION.md, on hand-built graphs."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import networkx as nx
import pytest

from graphkit.errors import EvalError
from graphkit.evaluate import (
    GoldDocument,
    evaluate_corpus,
    evaluate_graph,
    format_scores,
    load_gold,
    normalise_name,
)

SHARED = Path("/work/shared")
SEED_GOLD = SHARED / "gold" / "000_927c85fa452f217c.json"
DEV_SET = SHARED / "eval" / "plover-dev.json"

SMALL_GOLD = {
    "document": "small.txt",
    "symmetric_types": ["meets"],
    "actors": [
        {"id": "russia", "name": "Russia", "type": "country", "aliases": ["Moscow", "the Kremlin"]},
        {"id": "khalifa-haftar", "name": "Khalifa Haftar", "type": "person", "aliases": ["General Haftar", "Haftar"]},
        {"id": "egypt", "name": "Egypt", "type": "country", "aliases": []},
        {"id": "united-states", "name": "United States", "type": "country", "aliases": ["US", "Washington"]},
        {"id": "donald-trump", "name": "Donald Trump", "type": "person", "aliases": ["Trump"]},
        {"id": "nato", "name": "NATO", "type": "organization", "aliases": ["the alliance"]},
        {"id": "europe", "name": "Europe", "type": "region", "aliases": []},
    ],
    "non_actors": ["Sirte", "the White House"],
    "relations": [
        {"source": "russia", "type": ["supports", "backs"], "target": "khalifa-haftar", "required": True,
         "modality": "asserted", "negated": False, "evidence": "Russia supports Haftar"},
        {"source": "khalifa-haftar", "type": "meets", "target": ["russia"], "required": True,
         "modality": "asserted", "negated": False, "evidence": "Haftar went to Moscow"},
        {"source": ["donald-trump", "united-states"], "type": "supports", "target": "russia", "required": True,
         "modality": "hedged", "negated": False, "evidence": "the US may cooperate with the Russians",
         "symmetric": True},
        {"source": "egypt", "type": "supports", "target": "khalifa-haftar", "required": False,
         "modality": "asserted", "negated": False, "evidence": "Egypt would promote Haftar"},
        {"source": "nato", "type": "pressures", "target": "khalifa-haftar", "required": True,
         "modality": "asserted", "negated": False, "evidence": "NATO tried to convince Haftar"},
        {"source": "united-states", "type": "opposes", "target": "khalifa-haftar", "required": True,
         "modality": "asserted", "negated": True, "evidence": "the US did not fight Haftar"},
    ],
}
REQUIRED = sum(r["required"] for r in SMALL_GOLD["relations"])


def write_gold(tmp_path: Path, data, name: str = "gold.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def small(tmp_path) -> GoldDocument:
    [gold] = load_gold(write_gold(tmp_path, SMALL_GOLD))
    return gold


def graph(*edges, nodes=None) -> nx.MultiDiGraph:
    """A graph in the spec's shape. nodes: {id: (name, aliases)}; edges: (source, target, type[, attrs])."""
    g = nx.MultiDiGraph()
    for node, (name, aliases) in (nodes or {}).items():
        g.add_node(node, name=name, label=name, aliases=sorted(aliases))
    for source, target, kind, *extra in edges:
        attrs = {"type": kind, "label": kind, "negated": False, "modality": "asserted",
                 "evidence": [{"document": "small.txt", "sentence": f"{source} {kind} {target}.",
                               "start": 0, "end": 10, "modality": "asserted", "attribution": None}]}
        attrs.update(extra[0] if extra else {})
        for node in (source, target):
            if node not in g:
                g.add_node(node, name=node, label=node, aliases=[])
        g.add_edge(source, target, key=("not_" if attrs["negated"] else "") + kind, **attrs)
    return g


# ------------------------------------------------------------------------------------------ normalisation


@pytest.mark.parametrize(("text", "expected"), [
    ("the Kremlin's", "kremlin"),
    ("The Kremlin’s", "kremlin"),
    ('"the Independent"', "independent"),
    ("al-Sisi", "alsisi"),
    ("Al Sisi", "alsisi"),
    ("united-states", "unitedstates"),
    ("Theresa May", "theresamay"),
])
def test_normalise_name(text, expected):
    assert normalise_name(text) == expected


def test_alias_and_normalised_names_map_to_gold_actors(small):
    nodes = {
        "kremlin": ("the Kremlin's", []),  # a gold alias after normalisation
        "x1": ("GENERAL-HAFTAR", []),  # case and hyphen
        "khalifa-haftar": ("K. H.", []),  # the node id equals a gold id
        "moscow-ish": ("Some capital", ["Moscow"]),  # only an alias of the node hits
    }
    g = graph(("kremlin", "x1", "supports"), ("moscow-ish", "khalifa-haftar", "backs"), nodes=nodes)
    scores = evaluate_graph(small, g)
    # both edges reduce to (supports-family, russia, khalifa-haftar): one distinct, correct triple
    assert scores.counts.extracted == 1
    assert scores.counts.correct == 1
    assert scores.precision == 1.0
    assert scores.counts.matched == 1
    assert scores.recall == pytest.approx(1 / REQUIRED)


def test_unmapped_node_is_wrong(small):
    g = graph(("Atlantis", "General Haftar", "supports"))
    scores = evaluate_graph(small, g)
    assert scores.precision == 0.0
    [false] = scores.false_relations
    assert "not a gold actor" in false.reason and false.source == "Atlantis"


def test_non_actor_ends_are_wrong(small):
    nodes = {"sirte": ("Sirte", []), "wh": ("The White House's", ["Washington"]), "ru": ("Russia", [])}
    g = graph(("sirte", "ru", "opposes"), ("wh", "ru", "supports"), nodes=nodes)
    scores = evaluate_graph(small, g)
    assert scores.counts.extracted == 2 and scores.counts.correct == 0
    assert all("is not an actor" in f.reason for f in scores.false_relations)
    # the node's own name decides before its aliases: "the White House" with alias Washington stays a non-actor
    assert {f.source for f in scores.false_relations} == {"Sirte", "The White House's"}


def test_symmetric_type_and_symmetric_relation_accept_either_direction(small):
    g = graph(
        ("Moscow", "Haftar", "meets"),  # meets is a symmetric type: reversed direction still matches
        ("Russia", "Trump", "supports"),  # gold relation 3 is symmetric: true
        ("Khalifa Haftar", "Russia", "supports"),  # gold relation 1 is directed: reversed is wrong
        nodes={"Haftar": ("Haftar", ["General Haftar"])},
    )
    scores = evaluate_graph(small, g)
    assert scores.counts.extracted == 3
    assert scores.counts.correct == 2
    assert scores.counts.matched == 2  # meets and the symmetric support
    [false] = scores.false_relations
    assert (false.source, false.target) == ("khalifa-haftar", "russia")


def test_meets_in_both_directions_is_one_triple(small):
    g = graph(("Russia", "Haftar", "meets"), ("Haftar", "Russia", "meets"),
              nodes={"Haftar": ("Haftar", [])})
    scores = evaluate_graph(small, g)
    assert scores.counts.extracted == 1 and scores.counts.correct == 1


def test_list_valued_ends_and_types(small):
    g = graph(("Trump", "Russia", "supports"), ("US", "Russia", "supports"), ("Russia", "Haftar", "backs"),
              nodes={"Haftar": ("Haftar", [])})
    scores = evaluate_graph(small, g)
    assert scores.counts.extracted == 3 and scores.counts.correct == 3
    assert scores.counts.matched == 2  # one gold relation matched twice counts once
    assert scores.counts.strict == 2  # "backs" is an acceptable type of relation 1


def test_supports_backs_family_and_strict_type(small):
    g = graph(("US", "Russia", "backs"))  # gold says only "supports": family match, not strict
    scores = evaluate_graph(small, g)
    assert scores.counts.matched == 1 and scores.counts.strict == 0
    assert scores.strict_type_recall == 0.0 and scores.recall == pytest.approx(1 / REQUIRED)
    other = evaluate_graph(small, graph(("NATO", "Haftar", "opposes"), nodes={"Haftar": ("Haftar", [])}))
    assert other.counts.matched == 0 and other.counts.correct == 0  # opposes is not pressures


def test_non_required_found_is_no_error_and_missing_costs_nothing(small):
    haftar = {"Haftar": ("Haftar", [])}
    full = [("Russia", "Haftar", "supports"), ("Haftar", "Russia", "meets"), ("US", "Russia", "supports"),
            ("NATO", "Haftar", "pressures"), ("US", "Haftar", "opposes", {"negated": True})]
    without = evaluate_graph(small, graph(*full, nodes=haftar))
    assert without.recall == 1.0 and without.precision == 1.0 and not without.misses
    with_optional = evaluate_graph(small, graph(*full, ("Egypt", "Haftar", "supports"), nodes=haftar))
    assert with_optional.precision == 1.0 and with_optional.recall == 1.0
    assert with_optional.counts.extracted == without.counts.extracted + 1


def test_negated_edges_match_only_negated_gold(small):
    haftar = {"Haftar": ("Haftar", [])}
    negated = evaluate_graph(small, graph(("US", "Haftar", "opposes", {"negated": True}), nodes=haftar))
    assert negated.counts.correct == 1 and negated.counts.matched == 1
    affirmed = evaluate_graph(small, graph(("US", "Haftar", "opposes"), nodes=haftar))
    assert affirmed.counts.correct == 0 and affirmed.counts.matched == 0
    denied_support = evaluate_graph(small, graph(("Russia", "Haftar", "supports", {"negated": True}), nodes=haftar))
    assert denied_support.counts.correct == 0 and denied_support.counts.matched == 0
    assert denied_support.false_relations[0].negated


def test_misses_list_required_relations_only(small):
    scores = evaluate_graph(small, graph(("Russia", "Haftar", "supports"), nodes={"Haftar": ("Haftar", [])}))
    assert len(scores.misses) == REQUIRED - 1
    assert all(m.relation.required for m in scores.misses)
    assert all(str(m).startswith("small.txt: ") for m in scores.misses)


def test_affiliation_edges_are_ignored_and_evidence_share(small):
    g = graph(("Russia", "Haftar", "supports"), ("NATO", "Haftar", "pressures", {"evidence": []}),
              ("Trump", "US", "affiliated_with"), nodes={"Haftar": ("Haftar", [])})
    scores = evaluate_graph(small, g)
    assert scores.counts.edges == 2 and scores.counts.extracted == 2
    assert scores.evidence_share == 0.5


def test_false_relations_carry_the_evidence_sentence(small):
    sentence = "Egypt opposes Russia, officials said."
    g = graph(("Egypt", "Russia", "opposes", {"evidence": [{"document": "small.txt", "sentence": sentence,
                                                              "start": 0, "end": 37, "modality": "asserted"}]}))
    [false] = evaluate_graph(small, g).false_relations
    assert false.evidence == sentence and false.reason == "no gold relation"
    assert sentence in str(false)


def test_modality_agreement_uses_the_gold_evidence_sentence(small):
    statements = [
        {"document": "small.txt", "sentence": "The US may cooperate with the Russians on terror.", "start": 0,
         "end": 48, "modality": "hedged"},
        {"document": "small.txt", "sentence": "Washington helps Moscow.", "start": 50, "end": 74,
         "modality": "asserted"},
    ]
    # the edge's dominant modality is asserted, but the statement that carries the gold evidence is hedged
    g = graph(("US", "Russia", "supports", {"modality": "asserted", "evidence": statements}))
    assert evaluate_graph(small, g).modality_agreement == 1.0
    g = graph(("US", "Russia", "supports", {"modality": "asserted", "evidence": statements[1:]}))
    assert evaluate_graph(small, g).modality_agreement == 0.0


def test_actor_recall_counts_actors_in_gold_relations(small):
    in_relations = {e for r in small.relations for e in r.source + r.target}
    g = graph(("Russia", "Europe", "supports"))
    scores = evaluate_graph(small, g)
    assert scores.counts.gold_actors == len(in_relations)  # Europe, in no relation, is not counted
    assert scores.counts.actors_found == 1
    assert scores.actor_recall == pytest.approx(1 / len(in_relations))


def test_per_type_recall_uses_the_first_listed_type(small):
    scores = evaluate_graph(small, graph(("Russia", "Haftar", "backs"), nodes={"Haftar": ("Haftar", [])}))
    assert scores.per_type_recall["supports"] == pytest.approx(1 / 2)  # relations 1 and 3
    assert scores.per_type_recall["meets"] == 0.0
    assert "backs" not in scores.per_type_recall


def test_empty_graph_scores_zero(small):
    scores = evaluate_graph(small, nx.MultiDiGraph())
    assert (scores.precision, scores.recall, scores.f1) == (0.0, 0.0, 0.0)
    assert len(scores.misses) == REQUIRED


def test_corpus_is_micro_averaged(tmp_path, small):
    other_data = dict(SMALL_GOLD, document="other.txt",
                      relations=[SMALL_GOLD["relations"][4]])  # one required relation: NATO pressures Haftar
    [other] = load_gold(write_gold(tmp_path, other_data, "other.json"))
    haftar = {"Haftar": ("Haftar", [])}
    g1 = graph(("Russia", "Haftar", "supports"), nodes=haftar)  # 1/1 correct, 1/5 found
    g2 = graph(("NATO", "Haftar", "pressures"), ("Egypt", "Russia", "opposes"), ("Sirte", "NATO", "meets"),
               nodes=haftar)  # 1/3 correct, 1/1 found
    one, two = evaluate_graph(small, g1), evaluate_graph(other, g2)
    corpus = evaluate_corpus([(small, g1), (other, g2)])
    assert corpus.counts.documents == 2
    assert corpus.precision == pytest.approx(2 / 4)
    assert corpus.recall == pytest.approx(2 / (REQUIRED + 1))
    assert corpus.precision != pytest.approx((one.precision + two.precision) / 2)  # micro, not macro
    assert corpus.per_type_recall["pressures"] == pytest.approx(1 / 2)
    assert {f.document for f in corpus.false_relations} == {"other.txt"}
    assert {m.document for m in corpus.misses} == {"small.txt"}
    assert len(corpus.misses) == len(one.misses) + len(two.misses)


# ------------------------------------------------------------------------------------------ loading


def test_load_gold_on_the_seed_file():
    raw = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    [gold] = load_gold(SEED_GOLD)
    assert gold.document == raw["document"] and gold.text is None
    assert len(gold.actors) == len(raw["actors"])
    assert len(gold.relations) == len(raw["relations"])
    assert sum(r.required for r in gold.relations) == sum(r["required"] for r in raw["relations"])
    assert gold.non_actors == tuple(raw["non_actors"])
    assert gold.symmetric_types == tuple(raw["symmetric_types"])
    listed = [r for r, rr in zip(gold.relations, raw["relations"]) if isinstance(rr["type"], list)]
    assert listed and all(len(r.type) > 1 for r in listed)


def test_load_gold_on_the_dev_set_list():
    raw = json.loads(DEV_SET.read_text(encoding="utf-8"))
    docs = load_gold(DEV_SET)
    assert [d.document for d in docs] == [d["document"] for d in raw]
    assert all(d.text == r["text"] for d, r in zip(docs, raw))
    assert sum(len(d.relations) for d in docs) == sum(len(r["relations"]) for r in raw)
    assert sum(r.required for d in docs for r in d.relations) == sum(
        rel["required"] for r in raw for rel in r["relations"])


def test_load_gold_accepts_an_open_file():
    with open(SEED_GOLD, encoding="utf-8") as handle:
        [gold] = load_gold(handle)
    assert gold.relations
    [gold2] = load_gold(io.StringIO(json.dumps(SMALL_GOLD)))
    assert gold2.document == "small.txt"


def _broken(**changes):
    data = json.loads(json.dumps(SMALL_GOLD))
    for key, value in changes.items():
        if key.startswith("rel0_"):
            data["relations"][0][key[5:]] = value
        elif value is None:
            del data[key]
        else:
            data[key] = value
    return json.dumps(data)


@pytest.mark.parametrize("content", [
    "{not json",
    "",
    '"a string"',
    "[]",
    _broken(relations=None),
    _broken(actors="russia"),
    _broken(rel0_type="likes"),
    _broken(rel0_source="atlantis"),
    _broken(rel0_target=[]),
    _broken(rel0_required="yes"),
    _broken(rel0_modality="certain"),
    _broken(non_actors="Sirte"),
])
def test_load_gold_rejects_malformed_input(tmp_path, content):
    path = tmp_path / "bad-gold.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvalError) as info:
        load_gold(path)
    message = str(info.value)
    assert "bad-gold.json" in message and "\n" not in message


def test_load_gold_missing_file_and_bad_bytes(tmp_path):
    with pytest.raises(EvalError, match="nothere.json"):
        load_gold(tmp_path / "nothere.json")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(EvalError, match="binary.json"):
        load_gold(binary)


# ------------------------------------------------------------------------------------------ seed gold


def perfect_graph(gold: GoldDocument) -> nx.MultiDiGraph:
    """The first acceptable reading of every gold relation, with its evidence as the statement."""
    g = nx.MultiDiGraph()
    for actor in gold.actors:
        g.add_node(actor.id, name=actor.name, label=actor.name, aliases=sorted(actor.aliases))
    for rel in gold.relations:
        source, target, kind = rel.source[0], rel.target[0], rel.type[0]
        key = ("not_" if rel.negated else "") + kind
        statement = {"document": gold.document, "sentence": rel.evidence, "start": 0,
                     "end": len(rel.evidence), "modality": rel.modality, "attribution": None}
        if g.has_edge(source, target, key):
            data = g.edges[source, target, key]
            data["evidence"].append(statement)
            if rel.modality == "asserted":
                data["modality"] = "asserted"
        else:
            g.add_edge(source, target, key=key, type=kind, label=kind, negated=rel.negated,
                       modality=rel.modality, evidence=[statement])
    return g


def test_perfect_graph_from_the_seed_gold_scores_one():
    [gold] = load_gold(SEED_GOLD)
    scores = evaluate_graph(gold, perfect_graph(gold))
    assert scores.precision == 1.0 and scores.recall == 1.0 and scores.f1 == 1.0
    assert scores.strict_type_recall == 1.0
    assert scores.modality_agreement == 1.0
    assert scores.actor_recall == 1.0 and scores.evidence_share == 1.0
    assert scores.counts.required == sum(r.required for r in gold.relations)
    assert not scores.misses and not scores.false_relations


def test_seed_gold_scores_drop_when_a_required_relation_is_removed():
    [gold] = load_gold(SEED_GOLD)
    g = perfect_graph(gold)
    rel = next(r for r in gold.relations if r.required and r.type[0] == "opposes")
    for source in rel.source:  # every acceptable reading, whichever gold relation put it there
        for target in rel.target:
            if g.has_edge(source, target):
                g.remove_edges_from([(source, target, key) for key in list(g[source][target])])
    scores = evaluate_graph(gold, g)
    assert scores.recall < 1.0 and scores.precision == 1.0
    assert any(m.relation == rel for m in scores.misses)


# ------------------------------------------------------------------------------------------ report


def test_format_scores_ends_with_the_summary(small):
    g = graph(("Russia", "Haftar", "supports"), ("Egypt", "Russia", "opposes"), nodes={"Haftar": ("Haftar", [])})
    scores = evaluate_graph(small, g)
    text = format_scores(scores, misses=True, false_relations=True)
    assert isinstance(text, str)
    lines = text.splitlines()
    last = lines[-1]
    assert re.fullmatch(r"precision \d\.\d{3}  recall \d\.\d{3}  f1 \d\.\d{3}", last)
    assert last == f"precision {scores.precision:.3f}  recall {scores.recall:.3f}  f1 {scores.f1:.3f}"
    assert all(str(m) not in "\n".join(lines[-4:]) for m in scores.misses)
    assert str(scores.false_relations[0]) in text
    assert sum(str(m) in text for m in scores.misses) == len(scores.misses)
    plain = format_scores(scores)
    assert str(scores.false_relations[0]) not in plain and plain.splitlines()[-1] == last
