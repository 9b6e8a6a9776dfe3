// Backers of the backers of an actor: chains of (not negated) backs/supports relations of 2 to $depth (at most 3) hops.
// :param actor => 'khalifa-haftar'
// :param types => ['backs', 'supports']
// :param depth => 2
// :param since => null
// :param until => null
MATCH (e:Evidence)
WHERE ($since IS NULL OR left(e.date, 10) >= $since)
  AND ($until IS NULL OR left(e.date, 10) <= $until)
WITH collect(DISTINCT e.relation) AS live
MATCH p = (a:Actor)-[*2..3]->(x:Actor {id: $actor})
WHERE length(p) <= $depth
  AND all(rel IN relationships(p) WHERE rel.type IN $types AND NOT rel.negated AND rel.key IN live)
  AND all(n IN nodes(p) WHERE single(m IN nodes(p) WHERE m.id = n.id))
WITH a, nodes(p)[-2] AS via, length(p) AS hops
RETURN a.id AS actor_id, a.name AS actor_name, a.type AS actor_type,
       via.id AS via_id, via.name AS via_name, min(hops) AS depth
ORDER BY depth, actor_id, via_id
