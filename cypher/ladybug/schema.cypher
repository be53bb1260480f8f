// LadybugDB-only variants.

// name: count_relationships
// Relationships per type (LadybugDB calls a relationship's type its label).
MATCH ()-[r]->()
RETURN label(r) AS type, count(r) AS count
