// Graph exports (GraphML, GEXF, node-link JSON, CSV): relationships with their properties.

// name: export_edges
// Every relationship with its type, role, detail and provenance, for the graph exports.
MATCH (a)-[r]->(b)
RETURN a.id AS source, __TYPE_OF__(r) AS type, b.id AS target, r.role AS role, r.detail AS detail, r.source AS provenance
