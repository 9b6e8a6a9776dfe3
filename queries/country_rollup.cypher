// Which countries back an actor: backers that are countries, plus the countries their backing officials belong to.
// :param actor => 'khalifa-haftar'
// :param types => ['backs', 'supports']
// :param since => null
// :param until => null
MATCH (b:Actor)-[r]->(x:Actor {id: $actor})
WHERE r.type IN $types AND NOT r.negated
MATCH (e:Evidence {relation: r.key})
WHERE ($since IS NULL OR left(e.date, 10) >= $since)
  AND ($until IS NULL OR left(e.date, 10) <= $until)
WITH b, count(DISTINCT e.document + '|' + toString(e.start)) AS evidence
OPTIONAL MATCH (f:Actor {id: b.affiliation})
WITH b, evidence, f, f.affiliation AS f_affiliation
OPTIONAL MATCH (g:Actor {id: f_affiliation})
WITH b, evidence,
     CASE WHEN b.type = 'country' THEN b.id
          WHEN f.type = 'country' THEN f.id
          WHEN g.type = 'country' THEN g.id
          ELSE null END AS country_id
WHERE country_id IS NOT NULL
MATCH (c:Actor {id: country_id})
WITH c, b, evidence
ORDER BY b.id
WITH c,
     max(CASE WHEN b.id = c.id THEN 1 ELSE 0 END) AS direct,
     collect(CASE WHEN b.id <> c.id THEN b.id ELSE null END) AS official_ids,
     collect(CASE WHEN b.id <> c.id THEN b.name ELSE null END) AS official_names,
     sum(evidence) AS evidence
RETURN c.id AS country_id, c.name AS country_name, direct = 1 AS direct, size(official_ids) AS officials,
       official_ids, official_names, evidence
ORDER BY evidence DESC, country_id
