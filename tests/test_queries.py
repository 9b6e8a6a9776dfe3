"""Named queries over a real SQLiteStore filled with a small, hand-built who-backs-whom world.

The world (``world_extractions``) is shared with tests/test_ask.py and tests/test_queries_contract.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.errors import QueryError
from graphkit.queries import NAMED_QUERIES, QUERY_COLUMNS, parse_query_file, relation_key, run_named
from graphkit.records import AFFILIATION, Actor, Document, Evidence, Extraction, Relation, content_hash
from graphkit.resources import queries_dir
from graphkit.store.sqlite import SQLiteStore

# -- the world ---------------------------------------------------------------------------------------------

ACTORS: dict[str, Actor] = {a.id: a for a in (
    Actor("khalifa-haftar", "Khalifa Haftar", "person", ("Haftar", "Khalifa Hifter"), "libyan-national-army",
          "commander"),
    Actor("libyan-national-army", "Libyan National Army", "armed_group", ("LNA",)),
    Actor("egypt", "Egypt", "country", ("Egyptian",)),
    Actor("united-arab-emirates", "United Arab Emirates", "country", ("UAE", "Emirates")),
    Actor("russia", "Russia", "country", ("Russian Federation", "Moscow")),
    Actor("france", "France", "country", ("Paris",)),
    Actor("qatar", "Qatar", "country"),
    Actor("turkey", "Turkey", "country", ("Türkiye", "Ankara")),
    Actor("belarus", "Belarus", "country"),
    Actor("united-states", "United States", "country", ("US", "U.S.", "Washington")),
    Actor("fayez-al-serraj", "Fayez al-Serraj", "person", ("Serraj", "Sarraj"), "government-of-national-accord",
          "prime minister"),
    Actor("government-of-national-accord", "Government of National Accord", "government", ("GNA",)),
    Actor("sergey-lavrov", "Sergey Lavrov", "person", ("Lavrov",), "russia", "foreign minister"),
    Actor("abdel-fattah-el-sisi", "Abdel Fattah el-Sisi", "person", ("Sisi",), "egypt", "president"),
    Actor("donald-trump", "Donald Trump", "person", ("Trump",), "united-states", "president"),
    Actor("wagner-group", "Wagner Group", "armed_group", ("Wagner",), "russia"),
    Actor("nato", "NATO", "organization", ("North Atlantic Treaty Organization",)),
    Actor("muammar-gaddafi", "Muammar Gaddafi", "person", ("Gaddafi", "Qaddafi")),
    Actor("mohammed-bin-zayed", "Mohammed bin Zayed", "person", (), "united-arab-emirates", "crown prince"),
    Actor("mohammed-bin-salman", "Mohammed bin Salman", "person", (), None, "crown prince"),
)}

#: (source, type, target, modality, negated) per sentence; a sentence may state several relations.
Stmt = tuple[str, str, str, str, bool]


def stmt(source: str, type_: str, target: str, modality: str = "asserted", negated: bool = False) -> Stmt:
    return (source, type_, target, modality, negated)


def make_extraction(key: str, date: str | None, sentences: list[tuple[str, list[Stmt]]]) -> Extraction:
    """One document from its sentences; every statement's evidence is its sentence with true offsets."""
    text, relations, offset = "", [], 0
    for sentence, statements in sentences:
        if text:
            text += " "
            offset += 1
        start, end = offset, offset + len(sentence)
        text += sentence
        offset = end
        for source, type_, target, modality, negated in statements:
            relations.append(Relation(
                source=source, target=target, type=type_, modality=modality, negated=negated,
                evidence=Evidence(document=key, sentence=sentence, start=start, end=end),
                attribution="state media" if modality == "claimed" else None,
                role=ACTORS[source].role if type_ == AFFILIATION else None,
                trigger=type_,
            ))
    used = sorted({r.source for r in relations} | {r.target for r in relations})
    document = Document(id=content_hash(text), key=key, text=text, title=key, source="test", date=date,
                        ingested_at="2021-01-01T00:00:00+00:00")
    return Extraction(document=document, actors=tuple(ACTORS[a] for a in used), relations=tuple(relations))


def world_extractions() -> list[Extraction]:
    """Five dated documents: backers of Haftar (one negated, one conflicting), meetings, pressure, old news."""
    return [
        make_extraction("d1-spring", "2019-04-05", [
            ("Egypt and the UAE back Haftar's offensive.",
             [stmt("egypt", "backs", "khalifa-haftar"), stmt("united-arab-emirates", "backs", "khalifa-haftar")]),
            ("Russia is believed to support Haftar.", [stmt("russia", "supports", "khalifa-haftar", "hedged")]),
            ("Egyptian President Abdel Fattah el-Sisi backs Haftar.",
             [stmt("abdel-fattah-el-sisi", "backs", "khalifa-haftar"),
              stmt("abdel-fattah-el-sisi", AFFILIATION, "egypt")]),
        ]),
        make_extraction("d2-moscow", "2019-04-10", [
            ("Russian Foreign Minister Sergey Lavrov met Haftar in Moscow.",
             [stmt("sergey-lavrov", "meets", "khalifa-haftar"), stmt("sergey-lavrov", AFFILIATION, "russia")]),
            ("Russia backs the Wagner Group.", [stmt("russia", "backs", "wagner-group")]),
            ("State media claimed Wagner backs Haftar.", [stmt("wagner-group", "backs", "khalifa-haftar", "claimed")]),
            ("Wagner is a Russian group.", [stmt("wagner-group", AFFILIATION, "russia")]),
        ]),
        make_extraction("d3-summer", "2019-06-01", [
            ("Qatar does not back Haftar.", [stmt("qatar", "backs", "khalifa-haftar", negated=True)]),
            ("Turkey backs the GNA.", [stmt("turkey", "backs", "government-of-national-accord")]),
            ("Haftar opposes Serraj.", [stmt("khalifa-haftar", "opposes", "fayez-al-serraj")]),
            ("Egypt may oppose Haftar now.", [stmt("egypt", "opposes", "khalifa-haftar", "hedged")]),
            ("Serraj leads the GNA.", [stmt("fayez-al-serraj", AFFILIATION, "government-of-national-accord")]),
        ]),
        make_extraction("d4-winter", "2020-01-15", [
            ("France plans to support Haftar.", [stmt("france", "supports", "khalifa-haftar", "planned")]),
            ("Egypt backs Haftar again.", [stmt("egypt", "backs", "khalifa-haftar")]),
            ("Serraj met Lavrov.", [stmt("fayez-al-serraj", "meets", "sergey-lavrov")]),
            ("President Trump pressed NATO.",
             [stmt("donald-trump", "pressures", "nato"), stmt("donald-trump", AFFILIATION, "united-states")]),
            ("Turkey reportedly urged NATO.", [stmt("turkey", "pressures", "nato", "hedged")]),
            ("Trump may back Haftar.", [stmt("donald-trump", "backs", "khalifa-haftar", "hedged")]),
            ("Belarus supports Russia.", [stmt("belarus", "supports", "russia")]),
            ("Mohammed bin Zayed met Mohammed bin Salman.",
             [stmt("mohammed-bin-zayed", "meets", "mohammed-bin-salman")]),
        ]),
        make_extraction("d5-2011", "2011-03-20", [
            ("NATO opposed Gaddafi.", [stmt("nato", "opposes", "muammar-gaddafi")]),
            ("France attacked Gaddafi's forces.", [stmt("france", "opposes", "muammar-gaddafi")]),
            ("France opposed Gaddafi, officials said.", [stmt("france", "opposes", "muammar-gaddafi", "claimed")]),
        ]),
    ]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    path = tmp_path_factory.mktemp("queries") / "world.db"
    opened = SQLiteStore(path)
    assert opened.add_many(world_extractions()) == 5
    yield opened
    opened.close()


def ids(rows: list[dict], column: str = "actor_id") -> list[str]:
    return [r[column] for r in rows]


# -- the query files -------------------------------------------------------------------------------------------

REQUIRED_QUERIES = {
    "backers", "backed_by", "meetings", "pressures", "opposes", "between", "paths", "indirect_backers",
    "country_rollup", "evidence", "overview",
}


def test_every_required_query_has_a_file_with_a_header() -> None:
    assert REQUIRED_QUERIES <= set(NAMED_QUERIES)
    for name, query in NAMED_QUERIES.items():
        lines = query.cypher.splitlines()
        assert lines[0].startswith("// ") and ":param" not in lines[0], name
        assert query.description and query.description == lines[0][3:].strip()
        header = [ln for ln in lines if ln.startswith("//")]
        assert all(ln.startswith("// :param ") for ln in header[1:]), name
        assert {"since", "until"} <= set(query.params), name
        assert query.defaults["since"] is None and query.defaults["until"] is None
        for param in query.params:  # every declared parameter is used, and nothing is string-built
            assert f"${param}" in query.cypher.split("\n", len(header))[-1], (name, param)
        assert "ORDER BY" in query.cypher, name
        assert "+ $" not in query.cypher and "apoc." not in query.cypher.lower(), name
        assert name in QUERY_COLUMNS


def test_readme_documents_every_query_and_column() -> None:
    readme = (queries_dir() / "README.md").read_text(encoding="utf-8")
    for name, columns in QUERY_COLUMNS.items():
        assert f"`{name}`" in readme, name
        for column in columns:
            assert f"`{column}`" in readme, (name, column)


def test_header_parsing_reads_literals(tmp_path: Path) -> None:
    path = tmp_path / "demo.cypher"
    path.write_text(
        "// A demo.\n// :param actor => 'x'\n// :param types => ['backs', \"meets\"]\n"
        "// :param depth => 3\n// :param since => null\nMATCH (a) RETURN a ORDER BY a.id\n", encoding="utf-8",
    )
    query = parse_query_file(path)
    assert query.name == "demo" and query.description == "A demo."
    assert query.params == ("actor", "types", "depth", "since")
    assert query.defaults == {"types": ["backs", "meets"], "depth": 3, "since": None}
    assert query.required == ("actor",)


# -- relation lists --------------------------------------------------------------------------------------------


def test_backers_rows_columns_and_order(store: SQLiteStore) -> None:
    rows = run_named(store, "backers", {"actor": "khalifa-haftar"})
    assert all(tuple(r) == QUERY_COLUMNS["backers"] for r in rows)
    assert ids(rows) == [
        "egypt", "abdel-fattah-el-sisi", "donald-trump", "france", "qatar", "russia", "united-arab-emirates",
        "wagner-group",
    ]
    egypt = rows[0]
    assert (egypt["type"], egypt["negated"], egypt["modality"], egypt["evidence"], egypt["documents"]) == (
        "backs", False, "asserted", 2, 2)
    assert (egypt["first_seen"], egypt["last_seen"]) == ("2019-04-05", "2020-01-15")
    assert egypt["key"] == relation_key("egypt", "backs", "khalifa-haftar", False)
    by_id = {r["actor_id"]: r for r in rows}
    assert by_id["qatar"]["negated"] is True
    assert by_id["russia"]["type"] == "supports" and by_id["russia"]["modality"] == "hedged"
    assert by_id["france"]["modality"] == "planned"
    assert by_id["wagner-group"]["modality"] == "claimed"
    assert all(r["target_id"] == "khalifa-haftar" and r["target_name"] == "Khalifa Haftar" for r in rows)


def test_backers_types_parameter_and_names(store: SQLiteStore) -> None:
    rows = run_named(store, "backers", {"actor": "Haftar", "types": ["supports"]})
    assert ids(rows) == ["france", "russia"]
    # the CLI passes strings: a comma-separated list works too
    assert run_named(store, "backers", {"actor": "haftar", "types": "supports"}) == rows


def test_backed_by(store: SQLiteStore) -> None:
    rows = run_named(store, "backed_by", {"actor": "russia"})
    assert [(r["actor_id"], r["type"]) for r in rows] == [("khalifa-haftar", "supports"), ("wagner-group", "backs")]
    assert all(r["source_id"] == "russia" for r in rows)


def test_meetings_either_direction(store: SQLiteStore) -> None:
    rows = run_named(store, "meetings", {"actor": "sergey-lavrov"})
    assert ids(rows) == ["fayez-al-serraj", "khalifa-haftar"]
    by_id = {r["actor_id"]: r for r in rows}
    assert by_id["fayez-al-serraj"]["source_id"] == "fayez-al-serraj"  # stored as the text gives it
    assert by_id["khalifa-haftar"]["source_id"] == "sergey-lavrov"
    assert all(r["type"] == "meets" for r in rows)


def test_pressures_and_opposes(store: SQLiteStore) -> None:
    assert ids(run_named(store, "pressures", {"actor": "nato"})) == ["donald-trump", "turkey"]
    rows = run_named(store, "opposes", {"actor": "muammar-gaddafi"})
    assert ids(rows) == ["france", "nato"]
    assert rows[0]["evidence"] == 2 and rows[0]["documents"] == 1 and rows[0]["modality"] == "asserted"


def test_between_both_directions_with_conflict(store: SQLiteStore) -> None:
    rows = run_named(store, "between", {"source": "khalifa-haftar", "target": "egypt"})
    assert [(r["source_id"], r["type"], r["target_id"], r["evidence"]) for r in rows] == [
        ("egypt", "backs", "khalifa-haftar", 2), ("egypt", "opposes", "khalifa-haftar", 1)]
    aff = run_named(store, "between", {"source": "russia", "target": "sergey-lavrov"})
    assert [(r["source_id"], r["type"]) for r in aff] == [("sergey-lavrov", AFFILIATION)]


def test_evidence_sentences(store: SQLiteStore) -> None:
    rows = run_named(store, "evidence", {"source": "egypt", "target": "khalifa-haftar", "type": "backs"})
    assert [(r["document"], r["date"]) for r in rows] == [("d1-spring", "2019-04-05"), ("d4-winter", "2020-01-15")]
    assert rows[0]["sentence"] == "Egypt and the UAE back Haftar's offensive."
    assert all(tuple(r) == QUERY_COLUMNS["evidence"] for r in rows)
    docs = {e.document.key: e.document.text for e in world_extractions()}
    for row in rows:
        assert docs[row["document"]][row["start"]:row["end"]] == row["sentence"]
    every = run_named(store, "evidence", {"source": "egypt", "target": "khalifa-haftar"})
    assert sorted({r["type"] for r in every}) == ["backs", "opposes"]
    claimed = run_named(store, "evidence", {"source": "wagner-group", "target": "khalifa-haftar"})
    assert claimed[0]["modality"] == "claimed" and claimed[0]["attribution"] == "state media"


# -- graph-shaped queries --------------------------------------------------------------------------------------


def test_paths_shortest_only(store: SQLiteStore) -> None:
    rows = run_named(store, "paths", {"source": "russia", "target": "fayez-al-serraj"})
    assert {r["hops"] for r in rows} == {2}
    assert sorted(r["actor_ids"][1] for r in rows) == ["khalifa-haftar", "sergey-lavrov"]
    via_haftar = next(r for r in rows if r["actor_ids"][1] == "khalifa-haftar")
    assert via_haftar["types"] == ["supports", "opposes"] and via_haftar["forward"] == [True, True]
    assert via_haftar["actor_names"] == ["Russia", "Khalifa Haftar", "Fayez al-Serraj"]
    via_lavrov = next(r for r in rows if r["actor_ids"][1] == "sergey-lavrov")
    assert via_lavrov["types"] == [AFFILIATION, "meets"] and via_lavrov["forward"] == [False, False]
    assert [r["key"] for r in rows] == sorted(r["key"] for r in rows)
    assert run_named(store, "paths", {"source": "russia", "target": "fayez-al-serraj", "max_depth": 1}) == []
    assert run_named(store, "paths", {"source": "belarus", "target": "mohammed-bin-salman"}) == []
    far = run_named(store, "paths", {"source": "belarus", "target": "muammar-gaddafi"})
    assert [r["actor_ids"] for r in far] == [["belarus", "russia", "khalifa-haftar", "france", "muammar-gaddafi"]]
    assert far[0]["forward"] == [True, True, False, True]


def test_indirect_backers(store: SQLiteStore) -> None:
    rows = run_named(store, "indirect_backers", {"actor": "khalifa-haftar"})
    assert [(r["actor_id"], r["via_id"], r["depth"]) for r in rows] == [
        ("belarus", "russia", 2), ("russia", "wagner-group", 2)]
    deep = run_named(store, "indirect_backers", {"actor": "khalifa-haftar", "depth": 3})
    assert ("belarus", "wagner-group", 3) in [(r["actor_id"], r["via_id"], r["depth"]) for r in deep]
    with pytest.raises(QueryError, match="depth"):
        run_named(store, "indirect_backers", {"actor": "khalifa-haftar", "depth": 9})


def test_country_rollup_counts_officials(store: SQLiteStore) -> None:
    rows = run_named(store, "country_rollup", {"actor": "khalifa-haftar"})
    by_id = {r["country_id"]: r for r in rows}
    assert set(by_id) == {"egypt", "united-arab-emirates", "russia", "france", "united-states"}  # not Qatar
    assert by_id["egypt"]["direct"] is True and by_id["egypt"]["official_ids"] == ["abdel-fattah-el-sisi"]
    assert by_id["egypt"]["officials"] == 1 and by_id["egypt"]["evidence"] == 3
    assert by_id["united-states"]["direct"] is False and by_id["united-states"]["official_names"] == ["Donald Trump"]
    assert by_id["russia"]["official_ids"] == ["wagner-group"]  # Wagner is affiliated with Russia
    assert rows[0]["country_id"] == "egypt"


def test_overview(store: SQLiteStore) -> None:
    rows = run_named(store, "overview", {"limit": 3})
    types = {r["id"]: r for r in rows if r["section"] == "type"}
    assert types["backs"]["relations"] == 8 and types["opposes"]["relations"] == 4
    assert types["opposes"]["evidence"] == 5
    actors = [r for r in rows if r["section"] == "actor"]
    assert [r["id"] for r in actors][0] == "khalifa-haftar" and len(actors) == 3
    assert [r["section"] for r in rows] == ["type"] * len(types) + ["actor"] * 3


# -- time windows ----------------------------------------------------------------------------------------------


def test_since_until_filter_on_evidence_dates(store: SQLiteStore) -> None:
    later = run_named(store, "backers", {"actor": "khalifa-haftar", "since": "2019-06-01"})
    assert ids(later) == ["donald-trump", "egypt", "france", "qatar"]
    egypt = next(r for r in later if r["actor_id"] == "egypt")
    assert egypt["evidence"] == 1 and egypt["first_seen"] == "2020-01-15"
    early = run_named(store, "backers", {"actor": "khalifa-haftar", "until": "2019-04-05"})
    assert ids(early) == ["abdel-fattah-el-sisi", "egypt", "russia", "united-arab-emirates"]
    window = run_named(store, "opposes", {"actor": "muammar-gaddafi", "since": "2012-01-01", "until": "2030-01-01"})
    assert window == []
    assert run_named(store, "paths", {"source": "russia", "target": "fayez-al-serraj", "since": "2019-06-01"}) == []
    assert run_named(store, "indirect_backers", {"actor": "khalifa-haftar", "until": "2019-04-09"}) == []
    assert ids(run_named(store, "indirect_backers", {"actor": "khalifa-haftar", "until": "2019-04-10"})) == ["russia"]


# -- errors ----------------------------------------------------------------------------------------------------


def test_errors(store: SQLiteStore) -> None:
    with pytest.raises(QueryError, match="unknown query"):
        run_named(store, "no_such_query", {})
    with pytest.raises(QueryError, match="needs the parameter actor"):
        run_named(store, "backers", {})
    with pytest.raises(QueryError, match="no parameter"):
        run_named(store, "backers", {"actor": "egypt", "colour": "red"})
    with pytest.raises(QueryError, match="ISO date"):
        run_named(store, "backers", {"actor": "egypt", "since": "last spring"})
    with pytest.raises(QueryError, match="relation types"):
        run_named(store, "backers", {"actor": "egypt", "types": ["likes"]})
    with pytest.raises(QueryError, match="did you mean: Khalifa Haftar"):
        run_named(store, "backers", {"actor": "Hafter Khalifah Junior"})
