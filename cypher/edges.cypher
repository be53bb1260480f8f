// Relationship reads that need the relationship's type: __TYPE_OF__ is type() in Neo4j and
// label() in LadybugDB (app/graph/queries.py).
// The expansions name the columns they need in WITH before filtering out the missing other end:
// `WITH n, r, m WHERE m IS NOT NULL` makes LadybugDB carry every property of every node table
// for m, five times slower at 100,000 municipalities and most of a query's working memory.

// name: outgoing
// What one node points to, with the relationship's type and properties.
// (MATCH then OPTIONAL MATCH: LadybugDB plans this as an index lookup, a single pattern as a
// scan of every relationship table: 0.3 s a node at EU scale.)
MATCH (n:__LABEL__ {id: $id})
OPTIONAL MATCH (n)-[r]->(x)
WITH r, x
WHERE x IS NOT NULL
RETURN __TYPE_OF__(r) AS type, x AS node, r.role AS role, r.detail AS detail, r.source AS source

// name: incoming
// What points at one node, with the relationship's type and properties.
MATCH (n:__LABEL__ {id: $id})
OPTIONAL MATCH (n)<-[r]-(x)
WITH r, x
WHERE x IS NOT NULL
RETURN __TYPE_OF__(r) AS type, x AS node, r.role AS role, r.detail AS detail, r.source AS source

// name: outgoing_of
// What each of the given nodes of one label points to, with the relationship's type and properties
// (the relations of a page of records in one read). The other end's id, kind and name are named
// right after the OPTIONAL MATCH: returning the whole node made LadybugDB carry every column of
// every node table (351 ms for the organisations at 100,000 municipalities).
UNWIND $ids AS wanted
MATCH (n:__LABEL__ {id: wanted})
OPTIONAL MATCH (n)-[r]->(x)
WITH n.id AS from_id, __TYPE_OF__(r) AS type, x.id AS other_id, x.kind AS kind, x.name AS name,
     r.role AS role, r.detail AS detail, r.source AS source
WHERE other_id IS NOT NULL
RETURN from_id, type, other_id, kind, name, role, detail, source

// name: incoming_of
// What points at each of the given nodes of one label, without relationships of the $skip types
// (a programme's members are counted, not read); shaped as outgoing_of.
UNWIND $ids AS wanted
MATCH (n:__LABEL__ {id: wanted})
OPTIONAL MATCH (n)<-[r]-(x)
WITH n.id AS from_id, __TYPE_OF__(r) AS type, x.id AS other_id, x.kind AS kind, x.name AS name,
     r.role AS role, r.detail AS detail, r.source AS source
WHERE other_id IS NOT NULL AND NOT type IN $skip
RETURN from_id, type, other_id, kind, name, role, detail, source

// name: step_out
// One step outwards from the given nodes of one label, grouped per node, relationship type and kind
// of the other end: how many, and their ids when there are at most $most (a hub's members are
// counted, never sent: a programme has every municipality).
UNWIND $ids AS wanted
MATCH (n:__LABEL__ {id: wanted})
OPTIONAL MATCH (n)-[r]->(m)
WITH n.id AS from_id, __TYPE_OF__(r) AS type, m.id AS other_id, m.kind AS other_kind
WHERE other_id IS NOT NULL
WITH from_id, type, other_kind, count(*) AS count, collect(other_id) AS members
RETURN from_id, type, other_kind, count, CASE WHEN count <= $most THEN members END AS ids

// name: step_in
// One step inwards to the given nodes of one label, grouped as step_out.
UNWIND $ids AS wanted
MATCH (n:__LABEL__ {id: wanted})
OPTIONAL MATCH (n)<-[r]-(m)
WITH n.id AS from_id, __TYPE_OF__(r) AS type, m.id AS other_id, m.kind AS other_kind
WHERE other_id IS NOT NULL
WITH from_id, type, other_kind, count(*) AS count, collect(other_id) AS members
RETURN from_id, type, other_kind, count, CASE WHEN count <= $most THEN members END AS ids

// name: count_relationships
// Relationships per type.
MATCH ()-[r]->()
RETURN __TYPE_OF__(r) AS type, count(r) AS count
