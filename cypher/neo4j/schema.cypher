// Neo4j-only schema and housekeeping (the embedded store builds a fresh file per load).

// name: create_id_constraint
// Node ids are unique per label; the constraint also backs every lookup by id.
CREATE CONSTRAINT __LABEL___id IF NOT EXISTS FOR (n:__LABEL__) REQUIRE n.id IS UNIQUE

// name: prune_nodes
// Removes nodes of one label that an earlier load wrote and this load did not (written knowledge stays).
MATCH (n:__LABEL__)
WHERE n.generation IS NULL OR (n.generation <> $generation AND n.generation <> $written)
DETACH DELETE n

// name: prune_relationships
// Removes relationships of one shape that an earlier load wrote and this load did not (written knowledge stays).
MATCH (:__FROM_LABEL__)-[r:__REL_TYPE__]->(:__TO_LABEL__)
WHERE r.generation IS NULL OR (r.generation <> $generation AND r.generation <> $written)
DELETE r
