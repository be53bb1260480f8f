// Generic reads of nodes by label. __LABEL__ is filled from the schema allowlist only.

// name: nodes_by_label
// Every node of one label, with all its properties.
MATCH (n:__LABEL__)
RETURN n AS node

// name: node_by_id
// One node of one label by its id.
MATCH (n:__LABEL__ {id: $id})
RETURN n AS node

// name: nodes_by_ids
// The given nodes of one label, with all their properties.
UNWIND $ids AS wanted
MATCH (n:__LABEL__ {id: wanted})
RETURN n AS node
