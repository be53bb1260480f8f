// Reads behind the entity API and the work-package facts every feature needs.
// Shaping and sorting happen in the services; every read here is bounded by its parameters
// except the *_all lists, whose answers are cached per graph version. After an OPTIONAL MATCH
// the columns are named before the rows without a match are dropped (see cypher/replication.cypher).

// name: municipalities_by_id
// The given municipalities (by id) with the codes of their work packages.
UNWIND $ids AS wanted
MATCH (m:Municipality {id: wanted})
OPTIONAL MATCH (m)-[:PARTICIPATES_IN]->(w:WorkPackage)
RETURN m.id AS id, m.code AS code, m.name AS name, m.official_name AS official_name,
       m.region AS region, m.seat_lat AS seat_lat, m.seat_lon AS seat_lon,
       m.island AS island, m.participating AS participating, m.source AS source,
       collect(w.code) AS work_packages

// name: municipality_neighbours
// The municipalities that share a land border with one municipality.
MATCH (m:Municipality {id: $id})-[:NEIGHBOURS]-(n:Municipality)
RETURN n.id AS id, n.code AS code, n.name AS name, n.region AS region

// name: region_counts
// Municipalities per region, and how many of them take part in LIFE ACT.
MATCH (m:Municipality)
RETURN m.region AS region, count(m) AS municipalities, sum(CASE WHEN m.participating THEN 1 ELSE 0 END) AS participating

// name: work_packages
// Every work package with its own properties.
MATCH (w:WorkPackage)
RETURN w.id AS id, w.code AS code, w.number AS number, w.name AS name,
       w.title_da AS title_da, w.title_en AS title_en, w.category AS category,
       w.pillars AS pillars, w.summary AS summary, w.summary_da AS summary_da, w.source AS source,
       w.property_sources AS property_sources

// name: work_packages_by_id
// The given work packages with their own properties.
UNWIND $ids AS wanted
MATCH (w:WorkPackage {id: wanted})
RETURN w.id AS id, w.code AS code, w.number AS number, w.name AS name,
       w.title_da AS title_da, w.title_en AS title_en, w.category AS category,
       w.pillars AS pillars, w.summary AS summary, w.summary_da AS summary_da, w.source AS source,
       w.property_sources AS property_sources

// name: work_package_leads
// The lead of each of the given work packages (by id).
UNWIND $ids AS wanted
MATCH (w:WorkPackage {id: wanted})
OPTIONAL MATCH (p)-[r:LEADS]->(w)
WITH w.code AS work_package, p.id AS id, p.kind AS kind, p.name AS name, r.source AS source
WHERE id IS NOT NULL
RETURN work_package, id, kind, name, source

// name: work_package_partners
// The partners of each of the given work packages (by id), with the role the source gives them.
UNWIND $ids AS wanted
MATCH (w:WorkPackage {id: wanted})
OPTIONAL MATCH (p)-[r:PARTNER_IN]->(w)
WITH w.code AS work_package, p.id AS id, p.kind AS kind, p.name AS name, r.role AS role, r.source AS source
WHERE id IS NOT NULL
RETURN work_package, id, kind, name, role, source

// name: work_package_participants
// The municipalities taking part in each of the given work packages (by id).
UNWIND $ids AS wanted
MATCH (w:WorkPackage {id: wanted})
OPTIONAL MATCH (m:Municipality)-[r:PARTICIPATES_IN]->(w)
WITH w.code AS work_package, m.id AS id, m.code AS code, m.name AS name, m.region AS region, r.source AS source
WHERE id IS NOT NULL
RETURN work_package, id, code, name, region, source

// name: work_package_tasks
// The tasks of each of the given work packages (by id).
UNWIND $ids AS wanted
MATCH (w:WorkPackage {id: wanted})
OPTIONAL MATCH (w)-[:HAS_TASK]->(t:Task)
WITH w.code AS work_package, t.id AS id, t.code AS code, t.name AS name, t.title_da AS title_da,
     t.title_en AS title_en, t.summary AS summary, t.summary_da AS summary_da, t.source AS source
WHERE id IS NOT NULL
RETURN work_package, id, code, name, title_da, title_en, summary, summary_da, source

// name: work_package_direct_themes
// Themes each of the given work packages (by id) addresses as a whole (not through one of its tasks),
// in the order they were written (one MATCH reads the relationships in that order; the seed
// lists a work package's main theme first).
UNWIND $ids AS wanted
MATCH (w:WorkPackage {id: wanted})-[:ADDRESSES]->(t:Theme)
RETURN w.code AS work_package, t.slug AS slug, t.name AS name, t.name_en AS name_en, t.pillar AS pillar

// name: task_themes
// Themes each task of the given work packages (by id) addresses, in the order they were written.
UNWIND $ids AS wanted
MATCH (w:WorkPackage {id: wanted})-[:HAS_TASK]->(k:Task)-[:ADDRESSES]->(t:Theme)
RETURN w.code AS work_package, k.code AS task, t.slug AS slug, t.name AS name, t.name_en AS name_en, t.pillar AS pillar

// name: task_work_package
// The work package a task belongs to.
MATCH (w:WorkPackage)-[:HAS_TASK]->(k:Task {id: $id})
RETURN w.code AS code

// name: themes_all
// Every theme with the tasks that address it, their work packages, and the work packages that
// address it directly: one row per theme, the lists gathered in the store (23,790 rows of one
// theme and task each took 0.4-0.6 s to hand over at 100,000 municipalities; 45 rows take 60 ms).
MATCH (t:Theme)
OPTIONAL MATCH (t)<-[:ADDRESSES]-(k:Task)
WITH t, k.code AS task, k.id AS task_id
OPTIONAL MATCH (w:WorkPackage)-[:HAS_TASK]->(:Task {id: task_id})
WITH t, collect(task) AS tasks, collect(DISTINCT w.code) AS task_work_packages
OPTIONAL MATCH (t)<-[:ADDRESSES]-(d:WorkPackage)
WITH t, tasks, task_work_packages, collect(d.code) AS direct_work_packages
RETURN t.id AS id, t.slug AS slug, t.name AS name, t.name_da AS name_da, t.name_en AS name_en, t.pillar AS pillar,
       t.source AS source, tasks, task_work_packages, direct_work_packages
