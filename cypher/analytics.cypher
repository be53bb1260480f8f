// Reads behind the analyses of the graph as a whole.

// name: participation_edges
// Every municipality's participation in a work package, as ids: the input of centrality.
MATCH (m:Municipality)-[:PARTICIPATES_IN]->(w:WorkPackage)
RETURN m.id AS municipality, w.id AS work_package
