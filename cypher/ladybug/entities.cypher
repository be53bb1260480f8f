// Entity reads whose shared text (cypher/entities.cypher) LadybugDB plans slowly.
// A single MATCH over WorkPackage-HAS_TASK-Task-ADDRESSES-Theme is planned as a scan of the whole
// ADDRESSES table (30 ms at 100,000 municipalities); MATCH then OPTIONAL MATCH is an index lookup
// (1 ms), but reads each task's themes in storage order rather than the order they were written.
// A relationship's offset in its table is the order it was written in, so the rows are sorted by it.

// name: task_themes
// Themes each task of the given work packages (by id) addresses, in the order they were written.
UNWIND $ids AS wanted
MATCH (w:WorkPackage {id: wanted})
OPTIONAL MATCH (w)-[:HAS_TASK]->(k:Task)-[a:ADDRESSES]->(t:Theme)
WITH w.code AS work_package, k.code AS task, t.slug AS slug, t.name AS name, t.name_en AS name_en, t.pillar AS pillar,
     offset(ID(a)) AS written
WHERE slug IS NOT NULL
RETURN work_package, task, slug, name, name_en, pillar
ORDER BY written

// name: work_package_direct_themes
// Themes each of the given work packages (by id) addresses as a whole (not through one of its tasks),
// in the order they were written (the seed lists a work package's main theme first).
UNWIND $ids AS wanted
MATCH (w:WorkPackage {id: wanted})
OPTIONAL MATCH (w)-[a:ADDRESSES]->(t:Theme)
WITH w.code AS work_package, t.slug AS slug, t.name AS name, t.name_en AS name_en, t.pillar AS pillar, offset(ID(a)) AS written
WHERE slug IS NOT NULL
RETURN work_package, slug, name, name_en, pillar
ORDER BY written
