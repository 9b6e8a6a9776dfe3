// Every relation between two actors, in both directions (affiliations included); actor_* is the source.
// :param source => 'egypt'
// :param target => 'khalifa-haftar'
// :param since => null
// :param until => null
MATCH (x:Actor {id: $source})-[r]-(y:Actor {id: $target})
MATCH (e:Evidence {relation: r.key})
WHERE ($since IS NULL OR left(e.date, 10) >= $since)
  AND ($until IS NULL OR left(e.date, 10) <= $until)
WITH startNode(r) AS a, startNode(r) AS s, r, endNode(r) AS t,
     count(DISTINCT e.document + '|' + toString(e.start)) AS evidence,
     count(DISTINCT e.document) AS documents,
     min(left(e.date, 10)) AS first_seen,
     max(left(e.date, 10)) AS last_seen,
     sum(CASE WHEN e.modality = 'asserted' THEN 1 ELSE 0 END) AS m_asserted,
     sum(CASE WHEN e.modality = 'hedged' THEN 1 ELSE 0 END) AS m_hedged,
     sum(CASE WHEN e.modality = 'planned' THEN 1 ELSE 0 END) AS m_planned,
     sum(CASE WHEN e.modality = 'claimed' THEN 1 ELSE 0 END) AS m_claimed
RETURN a.id AS actor_id, a.name AS actor_name, a.type AS actor_type,
       s.id AS source_id, s.name AS source_name, r.type AS type, r.negated AS negated,
       CASE WHEN m_asserted > 0 THEN 'asserted'
            WHEN m_hedged >= m_planned AND m_hedged >= m_claimed AND m_hedged > 0 THEN 'hedged'
            WHEN m_planned >= m_claimed AND m_planned > 0 THEN 'planned'
            WHEN m_claimed > 0 THEN 'claimed'
            ELSE 'asserted' END AS modality,
       t.id AS target_id, t.name AS target_name,
       evidence, documents, first_seen, last_seen, r.key AS key
ORDER BY evidence DESC, actor_id, key
