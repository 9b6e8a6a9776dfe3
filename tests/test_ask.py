"""`ask`: question forms, actor name matching, yes/no with negation and conflicts, text and JSON output.

Runs over a real SQLiteStore holding the hand-built world of tests/test_queries.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graphkit.ask import Answer, answer, answer_to_json, family_of, format_answer
from graphkit.errors import QueryError
from graphkit.records import Actor, Document, Evidence, Extraction, Relation, content_hash
from graphkit.resolve_names import match_actor
from graphkit.store.sqlite import SQLiteStore
from test_queries import ACTORS, world_extractions


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    opened = SQLiteStore(tmp_path_factory.mktemp("ask") / "world.db")
    opened.add_many(world_extractions())
    yield opened
    opened.close()


def who(result: Answer) -> list[str]:
    return [r["actor_id"] for r in result.rows]


# -- question forms --------------------------------------------------------------------------------------------

HAFTAR_BACKERS = [
    "egypt", "abdel-fattah-el-sisi", "donald-trump", "france", "qatar", "russia", "united-arab-emirates",
    "wagner-group",
]


@pytest.mark.parametrize("question", [
    "Who backs Haftar?", "Who supports Khalifa Haftar?", "who is backing haftar", "Who has backed Haftar?",
    "Who funds Haftar?", "Who arms the LNA commander Haftar?", "Who are the backers of Haftar?",
    "Haftar's backers", "Who is Haftar backed by?", "Who backed HAFTAR?!",
])
def test_who_backs(store: SQLiteStore, question: str) -> None:
    if "LNA commander" in question:  # not an actor name: the resolver must say so, not guess
        with pytest.raises(QueryError, match="unknown actor"):
            answer(question, store)
        return
    result = answer(question, store)
    assert (result.form, result.kind, result.subject.id) == ("backers", "incoming", "khalifa-haftar")
    assert who(result) == HAFTAR_BACKERS


@pytest.mark.parametrize("question", [
    "Whom does Russia support?", "Who does Russia back?", "Who is Russia backing?", "Who is backed by Russia?",
    "Whom did Moscow fund?",
])
def test_whom_does_x_back(store: SQLiteStore, question: str) -> None:
    result = answer(question, store)
    assert (result.form, result.kind, result.subject.id) == ("backed_by", "outgoing", "russia")
    assert who(result) == ["khalifa-haftar", "wagner-group"]


@pytest.mark.parametrize("question", [
    "Who met Lavrov?", "Who meets Sergey Lavrov?", "Who talks with Lavrov?", "Who did Lavrov meet with?",
    "Who held talks with Lavrov?",
])
def test_meetings_either_direction(store: SQLiteStore, question: str) -> None:
    result = answer(question, store)
    assert result.form == "meetings" and result.subject.id == "sergey-lavrov"
    assert who(result) == ["fayez-al-serraj", "khalifa-haftar"]


@pytest.mark.parametrize(("question", "form", "expected"), [
    ("Who pressures NATO?", "pressures", ["donald-trump", "turkey"]),
    ("Who pressed NATO?", "pressures", ["donald-trump", "turkey"]),
    ("Who urged the North Atlantic Treaty Organization?", "pressures", ["donald-trump", "turkey"]),
    ("Who threatens NATO?", "pressures", ["donald-trump", "turkey"]),
    ("Who opposes Gaddafi?", "opposes", ["france", "nato"]),
    ("Who fought Qaddafi?", "opposes", ["france", "nato"]),
    ("Who attacked Muammar Gaddafi?", "opposes", ["france", "nato"]),
    ("Who are the opponents of Gaddafi?", "opposes", ["france", "nato"]),
])
def test_pressures_and_opposes(store: SQLiteStore, question: str, form: str, expected: list[str]) -> None:
    result = answer(question, store)
    assert result.form == form and who(result) == expected


def test_whom_does_x_pressure_or_oppose(store: SQLiteStore) -> None:
    assert who(answer("Whom does Trump pressure?", store)) == ["nato"]
    result = answer("Who does Haftar oppose?", store)
    assert result.form == "backed_by" and result.types == ("opposes",) and who(result) == ["fayez-al-serraj"]


def test_yes_no_with_conflict(store: SQLiteStore) -> None:
    result = answer("Does Egypt back Haftar?", store)
    assert (result.form, result.kind, result.verdict) == ("between", "yesno", "yes")
    assert [(r["type"], r["negated"], r["evidence"]) for r in result.rows] == [("backs", False, 2)]
    assert [(r["type"], r["modality"]) for r in result.related] == [("opposes", "hedged")]  # the conflict
    text = format_answer(result)
    assert text.startswith("Yes")
    assert "Egypt backs Khalifa Haftar (asserted; 2 evidence sentences in 2 documents" in text
    assert "Egypt opposes Khalifa Haftar (hedged" in text


def test_yes_no_negated_hedged_and_unknown(store: SQLiteStore) -> None:
    qatar = answer("Does Qatar back Haftar?", store)
    assert qatar.verdict == "no"
    assert "Qatar does NOT back Khalifa Haftar" in format_answer(qatar)
    russia = answer("Is Russia supporting Haftar?", store)
    assert russia.verdict == "yes" and russia.rows[0]["modality"] == "hedged"
    assert format_answer(russia).startswith("Yes (hedged)")
    turkey = answer("Does Turkey back Haftar?", store)
    assert turkey.verdict == "unknown" and turkey.rows == ()
    assert format_answer(turkey).startswith("Unknown")
    # direction matters for backing, not for meetings
    assert answer("Does Haftar back Egypt?", store).verdict == "unknown"
    assert answer("Did Haftar meet with Lavrov?", store).verdict == "yes"
    assert answer("Did Lavrov meet Haftar?", store).verdict == "yes"


def test_yes_no_actor_names_containing_verb_words(tmp_path: Path) -> None:
    # "Armed" in a name is also a backing verb: the split where both sides are actors wins
    armed = Actor("syrian-armed-forces", "Syrian Armed Forces", "armed_group")
    text = "The Syrian Armed Forces back Haftar."
    document = Document(id=content_hash(text), key="armed", text=text, date="2020-02-02")
    relation = Relation("syrian-armed-forces", "khalifa-haftar", "backs", Evidence("armed", text, 0, len(text)))
    with SQLiteStore(tmp_path / "armed.db") as extra:
        extra.add(Extraction(document, (armed, ACTORS["khalifa-haftar"]), (relation,)))
        result = answer("Do the Syrian Armed Forces back Haftar?", extra)
    assert (result.subject.id, result.other.id, result.verdict) == ("syrian-armed-forces", "khalifa-haftar", "yes")


@pytest.mark.parametrize("question", [
    "How is Russia connected to al-Serraj?", "How are Russia and Serraj connected?",
    "What connects Russia and Fayez al-Serraj?", "Paths from Russia to Sarraj",
])
def test_paths(store: SQLiteStore, question: str) -> None:
    result = answer(question, store)
    assert (result.form, result.subject.id, result.other.id) == ("paths", "russia", "fayez-al-serraj")
    assert sorted(r["actor_ids"][1] for r in result.rows) == ["khalifa-haftar", "sergey-lavrov"]
    text = format_answer(result)
    assert "Russia -[supports]-> Khalifa Haftar -[opposes]-> Fayez al-Serraj" in text
    assert "Russia <-[affiliated_with]- Sergey Lavrov <-[meets]- Fayez al-Serraj" in text


def test_countries(store: SQLiteStore) -> None:
    result = answer("Which countries back Haftar?", store)
    assert result.form == "country_rollup"
    assert [r["country_id"] for r in result.rows][0] == "egypt"
    assert "qatar" not in [r["country_id"] for r in result.rows]
    text = format_answer(result)
    assert "United States (through 1 affiliated backer: Donald Trump" in text
    assert "Egypt (directly; through 1 affiliated backer: Abdel Fattah el-Sisi" in text


def test_evidence_question(store: SQLiteStore) -> None:
    result = answer("What is the evidence that Egypt backs Haftar?", store)
    assert result.form == "evidence" and {r["type"] for r in result.rows} == {"backs"}
    assert [r["document"] for r in result.rows] == ["d1-spring", "d4-winter"]
    text = format_answer(result)
    assert '"Egypt backs Haftar again." (d4-winter, 2020-01-15)' in text
    assert answer("Show me the evidence that Egypt opposes Haftar", store).rows[0]["modality"] == "hedged"
    assert answer("evidence that Turkey backs Haftar", store).rows == ()


@pytest.mark.parametrize("question", [
    "Who backs the backers of Haftar?", "indirect backers of Haftar", "Who supports the supporters of Haftar?",
    "Backers of the backers of Khalifa Haftar",
])
def test_indirect_backers(store: SQLiteStore, question: str) -> None:
    result = answer(question, store)
    assert result.form == "indirect_backers"
    assert [(r["actor_id"], r["via_id"]) for r in result.rows] == [("belarus", "russia"), ("russia", "wagner-group")]
    assert "- Belarus, through Russia (2 steps)" in format_answer(result)


# -- names -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [
    ("Haftr", "khalifa-haftar"), ("haftar", "khalifa-haftar"), ("KHALIFA HAFTAR", "khalifa-haftar"),
    ("khalifa-haftar", "khalifa-haftar"), ("Hifter", "khalifa-haftar"), ("al-Serraj", "fayez-al-serraj"),
    ("Sérraj", "fayez-al-serraj"), ("Fayez al Sarraj", "fayez-al-serraj"), ("Serraj's", "fayez-al-serraj"),
    ("the UAE", "united-arab-emirates"), ("U.S.", "united-states"), ("Egpyt", "egypt"), ("Türkiye", "turkey"),
    ("Turkiye", "turkey"), ("el-Sisi", "abdel-fattah-el-sisi"), ("Lavrov", "sergey-lavrov"),
    ("bin Zayed", "mohammed-bin-zayed"),
])
def test_match_actor(name: str, expected: str) -> None:
    assert match_actor(name, list(ACTORS.values())).id == expected


def test_match_actor_on_a_graph(store: SQLiteStore) -> None:
    assert match_actor("Wagner", store.graph()).id == "wagner-group"


def test_unknown_and_ambiguous_actors(store: SQLiteStore) -> None:
    with pytest.raises(QueryError, match=r"unknown actor 'Zorro'"):
        answer("Who backs Zorro?", store)
    with pytest.raises(QueryError, match=r"ambiguous actor 'Mohammed'; did you mean: Mohammed bin Salman .*Zayed"):
        answer("Who backs Mohammed?", store)
    with pytest.raises(QueryError, match=r"unknown actor 'Haftarovich Junior'; did you mean: Khalifa Haftar"):
        match_actor("Haftarovich Junior", list(ACTORS.values()))
    with pytest.raises(QueryError) as error:
        match_actor("Un", list(ACTORS.values()))
    assert str(error.value).count(",") <= 4  # at most five suggestions


@pytest.mark.parametrize("question", ["What is the weather?", "", "Tell me a joke", "Who is Haftar?"])
def test_unsupported_questions_list_the_forms(store: SQLiteStore, question: str) -> None:
    with pytest.raises(QueryError, match="questions that work: Who backs X") as error:
        answer(question, store)
    assert "How is X connected to Y?" in str(error.value)


def test_verb_families() -> None:
    for verb, family in [("backing", "backs"), ("supported", "backs"), ("funds", "backs"), ("armed", "backs"),
                         ("met", "meets"), ("talks with", "meets"), ("urged", "pressures"), ("press", "pressures"),
                         ("threatens", "pressures"), ("fought", "opposes"), ("attacks", "opposes")]:
        assert family_of(verb) == family, verb
    with pytest.raises(QueryError):
        family_of("likes")


# -- windows and output ----------------------------------------------------------------------------------------


def test_since_until(store: SQLiteStore) -> None:
    later = answer("Who backs Haftar?", store, since="2019-06-01")
    assert who(later) == ["donald-trump", "egypt", "france", "qatar"]
    assert "between 2019-06-01 and now" in format_answer(later)
    assert answer("Does Russia support Haftar?", store, since="2019-06-01").verdict == "unknown"
    assert answer("Who opposes Gaddafi?", store, until="2010-12-31").rows == ()
    with pytest.raises(QueryError, match="ISO date"):
        answer("Who backs Haftar?", store, since="yesterday")


def test_format_with_evidence(store: SQLiteStore) -> None:
    result = answer("Who backs Haftar?", store)
    plain = format_answer(result)
    full = format_answer(result, evidence=True)
    assert "Qatar does NOT back Khalifa Haftar (asserted; 1 evidence sentence in 1 document, 2019-06-01)" in plain
    assert '"Qatar does not back Haftar."' not in plain
    assert '    "Qatar does not back Haftar." (d3-summer, 2019-06-01)' in full
    assert '"State media claimed Wagner backs Haftar." (d2-moscow, 2019-04-10, claimed, according to state media)' \
        in full


def test_answer_to_json(store: SQLiteStore) -> None:
    result = answer("Does Egypt back Haftar?", store)
    data = answer_to_json(result)
    assert json.loads(json.dumps(data)) == data
    assert data["verdict"] == "yes" and data["form"] == "between" and data["subject"]["id"] == "egypt"
    assert data["rows"][0]["key"] in data["evidence"]
    assert data["text"] == format_answer(result)


def test_ask_never_loads_spacy(store: SQLiteStore) -> None:
    code = (
        "import sys; from graphkit.ask import answer; from graphkit.store.sqlite import SQLiteStore; "
        f"rows = answer('Who backs Haftar?', SQLiteStore({str(store.path)!r})).rows; "
        "assert rows, 'no rows'; assert 'spacy' not in sys.modules, 'spaCy was imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
