// Reads behind overlaps: what municipalities share.

// name: shared_work_packages
// The work packages two municipalities both take part in.
MATCH (a:Municipality {id: $a})-[:PARTICIPATES_IN]->(w:WorkPackage)<-[:PARTICIPATES_IN]-(b:Municipality {id: $b})
RETURN w.code AS code

// name: municipality_pairs
// Every pair of municipalities sharing at least one work package, with the shared codes.
MATCH (a:Municipality)-[:PARTICIPATES_IN]->(w:WorkPackage)<-[:PARTICIPATES_IN]-(b:Municipality)
WHERE a.code < b.code
RETURN a.name AS a, a.region AS a_region, b.name AS b, b.region AS b_region, collect(w.code) AS shared
