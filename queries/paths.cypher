// Shortest connections between two actors over any relation in either direction, up to $max_depth (at most 4) hops.
// :param source => 'russia'
// :param target => 'fayez-al-serraj'
// :param max_depth => 4
// :param since => null
// :param until => null
MATCH (e:Evidence)
WHERE ($since IS NULL OR left(e.date, 10) >= $since)
  AND ($until IS NULL OR left(e.date, 10) <= $until)
WITH collect(DISTINCT e.relation) AS live
MATCH p = (x:Actor {id: $source})-[*1..4]-(y:Actor {id: $target})
WHERE length(p) <= $max_depth AND all(rel IN relationships(p) WHERE rel.key IN live)
WITH collect(p) AS found, min(length(p)) AS best
UNWIND [q IN found WHERE length(q) = best] AS p
WITH p, reduce(k = '', rel IN relationships(p) | k + rel.key + ';') AS path_key,
     [n IN nodes(p) | n.id] AS actor_ids, [n IN nodes(p) | n.name] AS actor_names
UNWIND range(0, length(p) - 1) AS i
WITH path_key, actor_ids, actor_names, i, relationships(p)[i] AS r, nodes(p)[i] AS n
MATCH (e:Evidence {relation: r.key})
WHERE ($since IS NULL OR left(e.date, 10) >= $since)
  AND ($until IS NULL OR left(e.date, 10) <= $until)
WITH path_key, actor_ids, actor_names, i, r, n,
     count(DISTINCT e.document + '|' + toString(e.start)) AS evidence,
     sum(CASE WHEN e.modality = 'asserted' THEN 1 ELSE 0 END) AS m_asserted,
     sum(CASE WHEN e.modality = 'hedged' THEN 1 ELSE 0 END) AS m_hedged,
     sum(CASE WHEN e.modality = 'planned' THEN 1 ELSE 0 END) AS m_planned,
     sum(CASE WHEN e.modality = 'claimed' THEN 1 ELSE 0 END) AS m_claimed
ORDER BY path_key, i
WITH path_key, actor_ids, actor_names,
     collect(r.type) AS types,
     collect(r.negated) AS negated,
     collect(startNode(r).id = n.id) AS forward,
     collect(CASE WHEN m_asserted > 0 THEN 'asserted'
                  WHEN m_hedged >= m_planned AND m_hedged >= m_claimed AND m_hedged > 0 THEN 'hedged'
                  WHEN m_planned >= m_claimed AND m_planned > 0 THEN 'planned'
                  WHEN m_claimed > 0 THEN 'claimed'
                  ELSE 'asserted' END) AS modalities,
     collect(evidence) AS evidence
RETURN size(types) AS hops, actor_ids, actor_names, types, negated, forward, modalities, evidence,
       path_key AS key
ORDER BY hops, key
