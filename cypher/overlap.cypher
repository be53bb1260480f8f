// Reads behind overlaps: what municipalities share.

// name: shared_work_packages
// The work packages two municipalities both take part in.
MATCH (a:Municipality {id: $a})-[:PARTICIPATES_IN]->(w:WorkPackage)<-[:PARTICIPATES_IN]-(b:Municipality {id: $b})
RETURN w.code AS code
