// Reads behind replication: the evidence that a municipality could take a solution up.
// Each is bounded by the target's participants, regions, themes or pillars; candidates
// never include the participants themselves. After an OPTIONAL MATCH each names the columns it
// needs before dropping the rows without a match (not `WITH p, c WHERE c IS NOT NULL`): LadybugDB
// would carry every property of the whole node through the query.

// name: neighbours_of_participants
// Municipalities bordering any of the given participants, and which participants they border.
UNWIND $participants AS participant
MATCH (p:Municipality {id: participant})
OPTIONAL MATCH (p)-[:NEIGHBOURS]-(c:Municipality)
WITH c.id AS id, p.name AS border
WHERE id IS NOT NULL AND NOT id IN $participants
RETURN id, collect(border) AS borders

// name: co_participants
// Municipalities that share a work package (other than the target's) with a participant.
UNWIND $participants AS participant
MATCH (p:Municipality {id: participant})
OPTIONAL MATCH (p)-[:PARTICIPATES_IN]->(w:WorkPackage)<-[:PARTICIPATES_IN]-(c:Municipality)
WITH c.id AS id, w.code AS work_package, p.name AS partner
WHERE id IS NOT NULL AND NOT id IN $participants AND NOT work_package IN $exclude
RETURN id, work_package, collect(partner) AS partners

// name: region_members
// The municipalities of the given regions (by id), other than the participants.
UNWIND $regions AS wanted
MATCH (g:Region {id: wanted})
OPTIONAL MATCH (g)<-[:IN_REGION]-(m:Municipality)
WITH m.id AS id, g.name AS region
WHERE id IS NOT NULL AND NOT id IN $participants
RETURN id, region

// name: theme_members
// Municipalities taking part in a work package that addresses one of the themes (by id) as a whole.
UNWIND $themes AS wanted
MATCH (t:Theme {id: wanted})
OPTIONAL MATCH (t)<-[:ADDRESSES]-(w:WorkPackage)<-[:PARTICIPATES_IN]-(m:Municipality)
WITH m.id AS id, t.slug AS theme, w.code AS work_package
WHERE id IS NOT NULL AND NOT id IN $participants
RETURN id, theme, work_package

// name: task_theme_members
// Municipalities taking part in a work package one of whose tasks addresses one of the themes (by id).
UNWIND $themes AS wanted
MATCH (t:Theme {id: wanted})
OPTIONAL MATCH (t)<-[:ADDRESSES]-(:Task)<-[:HAS_TASK]-(w:WorkPackage)<-[:PARTICIPATES_IN]-(m:Municipality)
WITH m.id AS id, t.slug AS theme, w.code AS work_package
WHERE id IS NOT NULL AND NOT id IN $participants
RETURN id, theme, work_package

// name: pillar_members
// Municipalities taking part in a work package with one of the pillars, as one list of ids
// (tens of thousands at EU scale: one list value travels far faster than as many rows).
UNWIND $pillars AS pillar
MATCH (w:WorkPackage)
WHERE pillar IN w.pillars
MATCH (w)<-[:PARTICIPATES_IN]-(m:Municipality)
WHERE NOT m.id IN $participants
RETURN collect(DISTINCT m.id) AS ids

// name: theme_work_package_codes
// The work packages addressing one theme, as a whole or through a task.
MATCH (t:Theme {slug: $slug})<-[:ADDRESSES]-(x)
OPTIONAL MATCH (w:WorkPackage)-[:HAS_TASK]->(x)
RETURN DISTINCT coalesce(w.code, x.code) AS code
