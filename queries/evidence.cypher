// The evidence sentences of the relations from $source to $target of $type (null = every type, e.g. 'backs').
// :param source => 'egypt'
// :param target => 'khalifa-haftar'
// :param type => null
// :param since => null
// :param until => null
MATCH (s:Actor {id: $source})-[r]->(t:Actor {id: $target})
WHERE $type IS NULL OR r.type = $type
MATCH (e:Evidence {relation: r.key})
WHERE ($since IS NULL OR left(e.date, 10) >= $since)
  AND ($until IS NULL OR left(e.date, 10) <= $until)
RETURN DISTINCT s.id AS source_id, s.name AS source_name, r.type AS type, r.negated AS negated,
       t.id AS target_id, t.name AS target_name,
       e.document AS document, left(e.date, 10) AS date, e.start AS start, e.`end` AS `end`,
       e.sentence AS sentence, e.modality AS modality, e.attribution AS attribution, r.key AS key
ORDER BY key, document, start
