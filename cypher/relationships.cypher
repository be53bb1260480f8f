// Reads behind the relationship queries: overlaps, replication evidence, gaps.

// name: shared_work_packages
// The work packages two municipalities both take part in.
MATCH (a:Municipality {id: $a})-[:PARTICIPATES_IN]->(w:WorkPackage)<-[:PARTICIPATES_IN]-(b:Municipality {id: $b})
RETURN w.code AS code

// name: municipality_pairs
// Every pair of municipalities sharing at least one work package, with the shared codes.
MATCH (a:Municipality)-[:PARTICIPATES_IN]->(w:WorkPackage)<-[:PARTICIPATES_IN]-(b:Municipality)
WHERE a.code < b.code
RETURN a.name AS a, a.region AS a_region, b.name AS b, b.region AS b_region, collect(w.code) AS shared

// name: neighbours_of_participants
// Municipalities bordering any of the given participants, and which participants they border.
MATCH (p:Municipality)-[:NEIGHBOURS]-(c:Municipality)
WHERE p.id IN $participants AND NOT c.id IN $participants
RETURN c.id AS id, c.name AS name, collect(p.name) AS borders

// name: co_participants
// Municipalities that share a work package (other than the target's) with a participant.
MATCH (p:Municipality)-[:PARTICIPATES_IN]->(w:WorkPackage)<-[:PARTICIPATES_IN]-(c:Municipality)
WHERE p.id IN $participants AND NOT c.id IN $participants AND NOT w.code IN $exclude
RETURN c.id AS id, w.code AS work_package, collect(p.name) AS partners
