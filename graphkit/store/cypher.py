"""Every Cypher statement graphkit sends to a Neo4j (or FalkorDB) store: named, parameterised constants.

Batches use ``UNWIND $rows``. Labels and relationship types cannot be parameters, so the statements that need one
are generated here at import time from the fixed lists in graphkit.records (never from data).
"""

from __future__ import annotations

from ..records import ACTOR_TYPES, EDGE_KINDS


def type_label(actor_type: str) -> str:
    """The extra label of an actor type: "armed_group" -> "ArmedGroup"."""
    return "".join(part.capitalize() for part in actor_type.split("_"))


def rel_type(kind: str) -> str:
    """The relationship type of an edge kind: "affiliated_with" -> "AFFILIATED_WITH"."""
    return kind.upper()


#: Actor type -> its label (Person, Country, Government, Organization, ArmedGroup, Group, Region).
TYPE_LABELS: dict[str, str] = {t: type_label(t) for t in ACTOR_TYPES}

# -- schema ---------------------------------------------------------------------------------------------------

#: Neo 4j 5: uniqueness constraints (each backed by an index) and lookup indexes for evidence.
SCHEMA: dict[str, str] = {
    "constraint_actor_id": "CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (a:Actor) REQUIRE a.id IS UNIQUE",
    "constraint_document_id": "CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE",
    "constraint_evidence_id": "CREATE CONSTRAINT evidence_id IF NOT EXISTS FOR (e:Evidence) REQUIRE e.id IS UNIQUE",
    "index_evidence_relation": "CREATE INDEX evidence_relation IF NOT EXISTS FOR (e:Evidence) ON (e.relation)",
    "index_evidence_document": "CREATE INDEX evidence_document IF NOT EXISTS FOR (e:Evidence) ON (e.doc_id)",
}

#: FalkorDB rejects constraints and index names; plain indexes (an existing one makes the statement fail).
FALKORDB_SCHEMA: dict[str, str] = {
    "falkordb_index_actor_id": "CREATE INDEX FOR (a:Actor) ON (a.id)",
    "falkordb_index_document_id": "CREATE INDEX FOR (d:Document) ON (d.id)",
    "falkordb_index_evidence_id": "CREATE INDEX FOR (e:Evidence) ON (e.id)",
    "falkordb_index_evidence_relation": "CREATE INDEX FOR (e:Evidence) ON (e.relation)",
    "falkordb_index_evidence_document": "CREATE INDEX FOR (e:Evidence) ON (e.doc_id)",
}

#: Tells Neo4j from FalkorDB (which speaks Bolt, calls itself Neo4j 5.13 and has no dbms.components).
PROBE_COMPONENTS = "CALL dbms.components() YIELD name RETURN name"

# -- writing ----------------------------------------------------------------------------------------------------

#: Actors that exist already (to check a document's relation endpoints before writing anything).
EXISTING_ACTORS = "UNWIND $ids AS id MATCH (a:Actor {id: id}) RETURN a.id AS id"

#: Merge actors: the first document that gives a name/type/affiliation/role wins; aliases are united.
MERGE_ACTORS = """\
UNWIND $rows AS row
MERGE (a:Actor {id: row.id})
ON CREATE SET a.name = row.name, a.type = row.type, a.aliases = row.aliases,
              a.affiliation = row.affiliation, a.role = row.role
ON MATCH SET a.name = coalesce(a.name, row.name), a.type = coalesce(a.type, row.type),
             a.affiliation = coalesce(a.affiliation, row.affiliation), a.role = coalesce(a.role, row.role),
             a.aliases = coalesce(a.aliases, []) + [x IN row.aliases WHERE NOT x IN coalesce(a.aliases, [])]"""


def _label_actors(label: str) -> str:
    return f"UNWIND $ids AS id\nMATCH (a:Actor {{id: id}}) WHERE a.type = $type\nSET a:{label}"


#: Per actor type: give the type label to the listed actors whose stored type is ``$type``.
LABEL_ACTORS: dict[str, str] = {t: _label_actors(label) for t, label in TYPE_LABELS.items()}


def _merge_relationships(kind: str) -> str:
    return (
        "UNWIND $rows AS row\n"
        "MATCH (a:Actor {id: row.source})\n"
        "MATCH (b:Actor {id: row.target})\n"
        f"MERGE (a)-[r:{rel_type(kind)} {{key: row.key}}]->(b)\n"
        "ON CREATE SET r.type = row.type, r.negated = row.negated"
    )


#: Per edge kind: one relationship per (source, target, type, negated), found by its key.
MERGE_RELATIONSHIPS: dict[str, str] = {kind: _merge_relationships(kind) for kind in EDGE_KINDS}

#: A document node, first as a stub (id and key) for evidence to point at; ingested_at is set last.
MERGE_DOCUMENT_STUB = "MERGE (d:Document {id: $id}) ON CREATE SET d.key = $key"

#: Evidence nodes of one document, each -[:FROM]-> the document.
MERGE_EVIDENCE = """\
UNWIND $rows AS row
MATCH (d:Document {id: row.doc_id})
MERGE (e:Evidence {id: row.id})
SET e.relation = row.relation, e.source = row.source, e.target = row.target, e.type = row.type,
    e.negated = row.negated, e.document = row.document, e.doc_id = row.doc_id, e.sentence = row.sentence,
    e.start = row.start, e.`end` = row.end, e.modality = row.modality, e.attribution = row.attribution,
    e.confidence = row.confidence, e.trigger = row.trigger, e.role = row.role, e.date = row.date
MERGE (e)-[:FROM]->(d)"""

#: FalkorDB only: the rest of a sentence too long for one Bolt message.
APPEND_EVIDENCE_SENTENCE = "MATCH (e:Evidence {id: $id}) SET e.sentence = e.sentence + $chunk"


def _aggregate_relationships(kind: str) -> str:
    return (
        "UNWIND $rows AS row\n"
        f"MATCH (:Actor {{id: row.source}})-[r:{rel_type(kind)} {{key: row.key}}]->(:Actor {{id: row.target}})\n"
        "MATCH (e:Evidence {relation: row.key})\n"
        "WITH r, collect(e.modality) AS ms, collect(e.role) AS roles,\n"
        "     count(DISTINCT e.document + '|' + toString(e.start)) AS weight,\n"
        "     count(DISTINCT e.document) AS documents, max(e.confidence) AS confidence,\n"
        "     min(e.date) AS first_seen, max(e.date) AS last_seen\n"
        "WITH r, ms, roles, weight, documents, confidence, first_seen, last_seen,\n"
        "     size([m IN ms WHERE m = 'asserted']) AS na, size([m IN ms WHERE m = 'hedged']) AS nh,\n"
        "     size([m IN ms WHERE m = 'planned']) AS np, size([m IN ms WHERE m = 'claimed']) AS nc\n"
        "SET r.weight = weight, r.documents = documents, r.confidence = confidence,\n"
        "    r.first_seen = first_seen, r.last_seen = last_seen,\n"
        "    r.modalities = [m IN ['asserted', 'claimed', 'hedged', 'planned'] WHERE m IN ms],\n"
        "    r.modality = CASE WHEN na > 0 THEN 'asserted'\n"
        "                      WHEN nh > 0 AND nh >= np AND nh >= nc THEN 'hedged'\n"
        "                      WHEN np > 0 AND np >= nc THEN 'planned'\n"
        "                      WHEN nc > 0 THEN 'claimed' ELSE 'asserted' END,\n"
        "    r.role = head(roles)"
    )


#: Per edge kind: recompute a relationship's aggregated properties from its Evidence nodes.
AGGREGATE_RELATIONSHIPS: dict[str, str] = {kind: _aggregate_relationships(kind) for kind in EDGE_KINDS}

#: The document's properties; ``text`` may be the first part only (FalkorDB appends the rest).
SET_DOCUMENT = """\
MATCH (d:Document {id: $id})
SET d.key = $key, d.title = $title, d.source = $source, d.date = $date, d.text = $text"""

#: FalkorDB only: the rest of a document text too long for one Bolt message.
APPEND_DOCUMENT_TEXT = "MATCH (d:Document {id: $id}) SET d.text = d.text + $chunk"

#: The last write of a document: from now on it counts as stored.
COMMIT_DOCUMENT = "MATCH (d:Document {id: $id}) SET d.ingested_at = $ingested_at"

# -- reading ----------------------------------------------------------------------------------------------------

HAS_DOCUMENT = "MATCH (d:Document {id: $id}) WHERE d.ingested_at IS NOT NULL RETURN d.id AS id LIMIT 1"

DOCUMENTS = """\
MATCH (d:Document) WHERE d.ingested_at IS NOT NULL
RETURN d.id AS id, d.key AS key, d.text AS text, d.title AS title, d.source AS source, d.date AS date,
       d.ingested_at AS ingested_at
ORDER BY ingested_at, key, id"""

ACTORS = """\
MATCH (a:Actor)
RETURN a.id AS id, a.name AS name, a.type AS type, a.aliases AS aliases, a.affiliation AS affiliation,
       a.role AS role
ORDER BY id"""

RELATIONS = """\
MATCH (e:Evidence)-[:FROM]->(d:Document) WHERE d.ingested_at IS NOT NULL
RETURN e.source AS source, e.target AS target, e.type AS type, e.negated AS negated, e.document AS document,
       e.sentence AS sentence, e.start AS start, e.`end` AS `end`, e.modality AS modality,
       e.attribution AS attribution, e.confidence AS confidence, e.trigger AS trigger, e.role AS role
ORDER BY document, start, `end`, e.id"""

#: An arrow's evidence with one query (by the relationship key).
EVIDENCE = """\
MATCH (e:Evidence {relation: $key})
RETURN e.document AS document, e.sentence AS sentence, e.start AS start, e.`end` AS `end`,
       e.modality AS modality, e.attribution AS attribution, e.date AS date
ORDER BY document, start"""

COUNT_DOCUMENTS = "MATCH (d:Document) WHERE d.ingested_at IS NOT NULL RETURN count(d) AS n"
COUNT_ACTORS = "MATCH (a:Actor) RETURN count(a) AS n"
COUNT_RELATIONS = "MATCH (e:Evidence)-[:FROM]->(d:Document) WHERE d.ingested_at IS NOT NULL RETURN count(e) AS n"

#: Delete everything (tests, and starting a store afresh).
CLEAR = "MATCH (n) DETACH DELETE n"


def all_statements() -> dict[str, str]:
    """Every statement above by a unique name (for the Cypher linter test)."""
    out: dict[str, str] = {}
    out.update(SCHEMA)
    out.update(FALKORDB_SCHEMA)
    for name, value in globals().items():
        if name.isupper() and isinstance(value, str):
            out[name.lower()] = value
    for group in ("LABEL_ACTORS", "MERGE_RELATIONSHIPS", "AGGREGATE_RELATIONSHIPS"):
        for key, statement in globals()[group].items():
            out[f"{group.lower()}:{key}"] = statement
    return out
