// Reads behind the entity API. Shaping and sorting happen in the service layer.

// name: municipalities
// Every municipality with the codes of the work packages it takes part in.
MATCH (m:Municipality)
OPTIONAL MATCH (m)-[:PARTICIPATES_IN]->(w:WorkPackage)
RETURN m.id AS id, m.code AS code, m.name AS name, m.official_name AS official_name,
       m.region AS region, m.seat_lat AS seat_lat, m.seat_lon AS seat_lon,
       m.island AS island, m.participating AS participating, m.source AS source,
       collect(w.code) AS work_packages

// name: municipality_neighbours
// The municipalities that share a land border with one municipality.
MATCH (m:Municipality {id: $id})-[:NEIGHBOURS]-(n:Municipality)
RETURN n.id AS id, n.code AS code, n.name AS name, n.region AS region

// name: work_packages
// Every work package with its own properties.
MATCH (w:WorkPackage)
RETURN w.id AS id, w.code AS code, w.number AS number, w.name AS name,
       w.title_da AS title_da, w.title_en AS title_en, w.category AS category,
       w.pillars AS pillars, w.summary AS summary, w.summary_da AS summary_da, w.source AS source,
       w.property_sources AS property_sources

// name: work_package_leads
// The lead of each of the given work packages.
MATCH (p)-[r:LEADS]->(w:WorkPackage)
WHERE w.code IN $codes
RETURN w.code AS work_package, p.id AS id, p.kind AS kind, p.name AS name, r.source AS source

// name: work_package_partners
// The partners of each of the given work packages, with the role the source gives them.
MATCH (p)-[r:PARTNER_IN]->(w:WorkPackage)
WHERE w.code IN $codes
RETURN w.code AS work_package, p.id AS id, p.kind AS kind, p.name AS name, r.role AS role, r.source AS source

// name: work_package_participants
// The municipalities taking part in each of the given work packages.
MATCH (m:Municipality)-[r:PARTICIPATES_IN]->(w:WorkPackage)
WHERE w.code IN $codes
RETURN w.code AS work_package, m.id AS id, m.code AS code, m.name AS name, m.region AS region, r.source AS source

// name: work_package_tasks
// The tasks of each of the given work packages.
MATCH (w:WorkPackage)-[:HAS_TASK]->(t:Task)
WHERE w.code IN $codes
RETURN w.code AS work_package, t.id AS id, t.code AS code, t.name AS name, t.title_da AS title_da,
       t.title_en AS title_en, t.summary AS summary, t.summary_da AS summary_da, t.source AS source

// name: work_package_direct_themes
// Themes a work package addresses as a whole (not through one of its tasks).
MATCH (w:WorkPackage)-[:ADDRESSES]->(t:Theme)
RETURN w.code AS work_package, t.slug AS slug, t.name AS name, t.name_en AS name_en, t.pillar AS pillar

// name: task_themes
// Themes each task addresses, with the task's work package.
MATCH (w:WorkPackage)-[:HAS_TASK]->(k:Task)-[:ADDRESSES]->(t:Theme)
RETURN w.code AS work_package, k.code AS task, t.slug AS slug, t.name AS name, t.name_en AS name_en, t.pillar AS pillar
