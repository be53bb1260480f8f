// Relationship reads that need the relationship's type (label() in LadybugDB).

// name: outgoing
// What one node points to, with the relationship's type and properties.
MATCH (n:__LABEL__ {id: $id})-[r]->(x)
RETURN label(r) AS type, x AS node, r.role AS role, r.detail AS detail, r.source AS source

// name: incoming
// What points at one node, with the relationship's type and properties.
MATCH (n:__LABEL__ {id: $id})<-[r]-(x)
RETURN label(r) AS type, x AS node, r.role AS role, r.detail AS detail, r.source AS source

// name: all_edges
// Every relationship as ids and type: the input of graph analytics (adjacency, centrality).
MATCH (a)-[r]->(b)
RETURN a.id AS source, label(r) AS type, b.id AS target, r.role AS role
