// Reads behind replication: the evidence that a municipality could take a solution up.
// Each is bounded by the target's participants or regions, except the two read once per graph
// version for every target (who takes part where, and which work packages a theme has). They
// return the participants too, and the service leaves them out of the candidates: LadybugDB
// tests `x IN $list` by reading the whole list for every row, which took 3.5 s of a theme's 5 s
// at EU scale (2,450 participants, 80,000 region members); a Python set takes milliseconds.
// After an OPTIONAL MATCH each names the columns it needs before dropping the rows without a
// match (not `WITH p, c WHERE c IS NOT NULL`): LadybugDB would carry every property of the whole
// node through the query.

// name: neighbours_of_participants
// Municipalities bordering any of the given participants (participants too), and which
// participants they border.
UNWIND $participants AS participant
MATCH (p:Municipality {id: participant})
OPTIONAL MATCH (p)-[:NEIGHBOURS]-(c:Municipality)
WITH c.id AS id, p.name AS border
WHERE id IS NOT NULL
RETURN id, collect(border) AS borders

// name: co_participants
// Municipalities that share a work package with a participant (participants too), with the work
// package and the participants they share it with.
UNWIND $participants AS participant
MATCH (p:Municipality {id: participant})
OPTIONAL MATCH (p)-[:PARTICIPATES_IN]->(w:WorkPackage)<-[:PARTICIPATES_IN]-(c:Municipality)
WITH c.id AS id, w.code AS work_package, p.name AS partner
WHERE id IS NOT NULL
RETURN id, work_package, collect(partner) AS partners

// name: region_members
// The ids of the municipalities of each given region (by id), one list a region. At EU scale:
// 4 ms for two regions, 240 ms for 206 (a row per municipality: 620 ms). With one MATCH pattern
// LadybugDB scans every IN_REGION relationship instead: 75 ms, however few regions are asked.
UNWIND $regions AS wanted
MATCH (g:Region {id: wanted})
OPTIONAL MATCH (g)<-[:IN_REGION]-(m:Municipality)
WITH g.name AS region, m.id AS id
WHERE id IS NOT NULL
RETURN region, collect(id) AS ids

// name: work_package_participant_ids
// Every work package with its pillars and the ids of the municipalities taking part in it, one
// list each: who works on a theme or under a pillar is built from these and theme_work_packages
// (a theme's members through its tasks, read directly, repeat each member once per task).
MATCH (m:Municipality)-[:PARTICIPATES_IN]->(w:WorkPackage)
RETURN w.code AS code, w.pillars AS pillars, collect(m.id) AS ids

// name: theme_work_packages
// Every theme with the work packages addressing it, as a whole or through one of their tasks.
MATCH (t:Theme)<-[:ADDRESSES]-(w:WorkPackage)
RETURN t.slug AS theme, w.code AS code
UNION
MATCH (t:Theme)<-[:ADDRESSES]-(:Task)<-[:HAS_TASK]-(w:WorkPackage)
RETURN t.slug AS theme, w.code AS code
