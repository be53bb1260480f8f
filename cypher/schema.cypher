// Reads about the graph as a whole: liveness and counts.

// name: ping
// The cheapest round trip; proves the store answers.
RETURN 1 AS ok

// name: count_nodes
// Nodes per label, read from the `kind` property every node carries.
MATCH (n)
RETURN n.kind AS label, count(n) AS count

// name: loaded_generation
// Which load wrote the graph (every node of one load shares it).
MATCH (p:Programme)
RETURN p.generation AS generation
LIMIT 1

// name: count_label
// Nodes carrying one label: what the loader verifies against the seed.
MATCH (n:__LABEL__)
RETURN count(n) AS count
