// Writes of the loader. Every batch is one UNWIND with a single MERGE: LadybugDB can drop
// rows when one UNWIND carries several MERGEs, so nodes and relationships go in separately
// and the loader counts what it wrote afterwards.

// name: merge_region_nodes
// Upserts one batch of Region nodes by id.
UNWIND $rows AS row
MERGE (n:Region {id: row.id})
SET n.kind = 'Region',
    n.generation = $generation,
    n.name = row.name,
    n.source = row.source,
    n.property_sources = row.property_sources,
    n.short_name = row.short_name,
    n.name_en = row.name_en

// name: merge_municipality_nodes
// Upserts one batch of Municipality nodes by id.
UNWIND $rows AS row
MERGE (n:Municipality {id: row.id})
SET n.kind = 'Municipality',
    n.generation = $generation,
    n.name = row.name,
    n.source = row.source,
    n.property_sources = row.property_sources,
    n.code = row.code,
    n.official_name = row.official_name,
    n.region = row.region,
    n.seat_lat = row.seat_lat,
    n.seat_lon = row.seat_lon,
    n.island = row.island,
    n.participating = row.participating

// name: merge_programme_nodes
// Upserts one batch of Programme nodes by id.
UNWIND $rows AS row
MERGE (n:Programme {id: row.id})
SET n.kind = 'Programme',
    n.generation = $generation,
    n.name = row.name,
    n.source = row.source,
    n.property_sources = row.property_sources,
    n.key = row.key,
    n.description = row.description,
    n.description_da = row.description_da,
    n.start_date = row.start_date,
    n.end_date = row.end_date,
    n.goal = row.goal,
    n.framework = row.framework,
    n.municipality_count = row.municipality_count,
    n.duration_years = row.duration_years,
    n.rounds = row.rounds,
    n.main_efforts = row.main_efforts

// name: merge_organisation_nodes
// Upserts one batch of Organisation nodes by id.
UNWIND $rows AS row
MERGE (n:Organisation {id: row.id})
SET n.kind = 'Organisation',
    n.generation = $generation,
    n.name = row.name,
    n.source = row.source,
    n.property_sources = row.property_sources,
    n.key = row.key,
    n.full_name = row.full_name,
    n.org_type = row.org_type,
    n.description = row.description,
    n.description_da = row.description_da

// name: merge_workpackage_nodes
// Upserts one batch of WorkPackage nodes by id.
UNWIND $rows AS row
MERGE (n:WorkPackage {id: row.id})
SET n.kind = 'WorkPackage',
    n.generation = $generation,
    n.name = row.name,
    n.source = row.source,
    n.property_sources = row.property_sources,
    n.code = row.code,
    n.number = row.number,
    n.title_da = row.title_da,
    n.title_en = row.title_en,
    n.category = row.category,
    n.pillars = row.pillars,
    n.summary = row.summary,
    n.summary_da = row.summary_da

// name: merge_task_nodes
// Upserts one batch of Task nodes by id.
UNWIND $rows AS row
MERGE (n:Task {id: row.id})
SET n.kind = 'Task',
    n.generation = $generation,
    n.name = row.name,
    n.source = row.source,
    n.property_sources = row.property_sources,
    n.code = row.code,
    n.title_da = row.title_da,
    n.title_en = row.title_en,
    n.summary = row.summary,
    n.summary_da = row.summary_da,
    n.work_package = row.work_package

// name: merge_theme_nodes
// Upserts one batch of Theme nodes by id.
UNWIND $rows AS row
MERGE (n:Theme {id: row.id})
SET n.kind = 'Theme',
    n.generation = $generation,
    n.name = row.name,
    n.source = row.source,
    n.property_sources = row.property_sources,
    n.slug = row.slug,
    n.name_da = row.name_da,
    n.name_en = row.name_en,
    n.pillar = row.pillar

// name: merge_relationships
// Upserts one batch of relationships of one allowlisted shape between existing nodes.
UNWIND $rows AS row
MATCH (a:__FROM_LABEL__ {id: row.source_id})
MATCH (b:__TO_LABEL__ {id: row.target_id})
MERGE (a)-[r:__REL_TYPE__]->(b)
SET r.role = row.role, r.detail = row.detail, r.source = row.source, r.generation = $generation
