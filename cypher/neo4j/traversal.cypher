// Traversals: shortest paths and neighbourhood expansion (Neo4j syntax).
// MEMBER_OF (and MEASURES: an indicator would join every observation of it) is left out of paths: every municipality is a member of Klimaalliancen, so
// it would make any two municipalities two hops apart and hide the informative paths.

// name: shortest_paths
// All shortest paths between two nodes, up to a literal hop bound, without MEMBER_OF.
MATCH (a:__FROM_LABEL__ {id: $source}), (b:__TO_LABEL__ {id: $target})
MATCH p = allShortestPaths((a)-[:IN_REGION|NEIGHBOURS|PARTICIPATES_IN|LEADS|PARTNER_IN|HAS_TASK|ADDRESSES|PART_OF|SUCCEEDS|IMPLEMENTS_PLANS_OF|FUNDED_BY|USES_FRAMEWORK_OF|COOPERATES_WITH|MOBILISES_FUNDING_FROM|DEVELOPED|BELONGS_TO|ABOUT|ADOPTS|OF_SOLUTION|OBSERVES|SERVES*..__MAX_HOPS__]-(b))
RETURN [n IN nodes(p) | n.id] AS ids, [r IN relationships(p) | type(r)] AS types,
       [r IN relationships(p) | startNode(r).id] AS starts
LIMIT $limit
