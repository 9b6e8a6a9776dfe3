// Counts of relations by type (most first), then the $limit actors with most relations (affiliations not counted).
// :param limit => 10
// :param since => null
// :param until => null
MATCH (:Actor)-[r]->(:Actor)
MATCH (e:Evidence {relation: r.key})
WHERE ($since IS NULL OR left(e.date, 10) >= $since)
  AND ($until IS NULL OR left(e.date, 10) <= $until)
WITH r, count(DISTINCT e.document + '|' + toString(e.start)) AS evidence
WITH r.type AS type, count(r) AS relations, sum(evidence) AS evidence
ORDER BY relations DESC, type
RETURN 'type' AS section, type AS id, type AS name, relations, evidence
UNION ALL
MATCH (a:Actor)-[r]-(:Actor)
WHERE r.type <> 'affiliated_with'
MATCH (e:Evidence {relation: r.key})
WHERE ($since IS NULL OR left(e.date, 10) >= $since)
  AND ($until IS NULL OR left(e.date, 10) <= $until)
WITH a, r, count(DISTINCT e.document + '|' + toString(e.start)) AS evidence
WITH a, count(r) AS relations, sum(evidence) AS evidence
ORDER BY relations DESC, a.id
LIMIT $limit
RETURN 'actor' AS section, a.id AS id, a.name AS name, relations, evidence
