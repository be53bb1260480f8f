// Traversals: shortest paths and neighbourhood expansion (LadybugDB syntax).
// MEMBER_OF (and MEASURES: an indicator would join every observation of it) is left out of paths, as in cypher/neo4j/traversal.cypher.

// name: shortest_paths
// All shortest paths between two nodes, up to a literal hop bound, without MEMBER_OF.
// rel_sources and node_keys are internal ids: relationship i runs forward when its
// source is node i.
MATCH p = (a:__FROM_LABEL__ {id: $source})-[:IN_REGION|NEIGHBOURS|PARTICIPATES_IN|LEADS|PARTNER_IN|HAS_TASK|ADDRESSES|PART_OF|SUCCEEDS|IMPLEMENTS_PLANS_OF|FUNDED_BY|USES_FRAMEWORK_OF|COOPERATES_WITH|MOBILISES_FUNDING_FROM|DEVELOPED|BELONGS_TO|ABOUT|ADOPTS|OF_SOLUTION|OBSERVES|SERVES* ALL SHORTEST 1..__MAX_HOPS__]-(b:__TO_LABEL__ {id: $target})
RETURN properties(nodes(p), 'id') AS ids, list_transform(rels(p), r -> label(r)) AS types,
       list_transform(rels(p), r -> r._src) AS rel_sources, list_transform(nodes(p), n -> id(n)) AS node_keys
LIMIT $limit
