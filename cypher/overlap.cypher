// Reads behind overlaps: what municipalities share.

// name: shared_work_packages
// The work packages two municipalities both take part in.
MATCH (a:Municipality {id: $a})-[:PARTICIPATES_IN]->(w:WorkPackage)<-[:PARTICIPATES_IN]-(b:Municipality {id: $b})
RETURN w.code AS code

// name: overlap_participations
// Every participation with what the unscoped overlap ranking needs of the municipality: read once
// per graph version and ranked in Python (app.services.overlap), in the order overlap_pair_page
// ranks a region's pairs in the store.
MATCH (m:Municipality)-[:PARTICIPATES_IN]->(w:WorkPackage)
RETURN m.code AS code, m.name AS name, m.region AS region, w.code AS work_package
