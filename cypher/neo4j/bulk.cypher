// Bulk loading (`lifeact synth`, large graphs) on Neo4j: large batches of one UNWIND each,
// inside the one write transaction of the load (see app/graph/bulk.py).

// name: bulk_nodes
// Upserts one large batch of nodes of one label by id, with every property the row holds.
UNWIND $rows AS row
MERGE (n:__LABEL__ {id: row.id})
SET n += row, n.generation = $generation

// name: bulk_relationships
// Upserts one large batch of relationships of one allowlisted shape between existing nodes.
UNWIND $rows AS row
MATCH (a:__FROM_LABEL__ {id: row.source_id})
MATCH (b:__TO_LABEL__ {id: row.target_id})
MERGE (a)-[r:__REL_TYPE__]->(b)
SET r.role = row.role, r.detail = row.detail, r.source = row.source, r.generation = $generation
