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

// name: merge_solution_nodes
// Upserts one batch of Solution nodes by id.
UNWIND $rows AS row
MERGE (n:Solution {id: row.id})
SET n.kind = 'Solution',
    n.generation = $generation,
    n.name = row.name,
    n.source = row.source,
    n.property_sources = row.property_sources,
    n.slug = row.slug,
    n.summary = row.summary,
    n.summary_en = row.summary_en,
    n.status = row.status,
    n.started = row.started,
    n.source_titles = row.source_titles,
    n.source_urls = row.source_urls,
    n.version = row.version,
    n.created_at = row.created_at,
    n.updated_at = row.updated_at

// name: merge_adoption_nodes
// Upserts one batch of Adoption nodes by id.
UNWIND $rows AS row
MERGE (n:Adoption {id: row.id})
SET n.kind = 'Adoption',
    n.generation = $generation,
    n.name = row.name,
    n.source = row.source,
    n.property_sources = row.property_sources,
    n.status = row.status,
    n.date = row.date,
    n.note = row.note,
    n.source_title = row.source_title,
    n.source_url = row.source_url,
    n.version = row.version,
    n.created_at = row.created_at,
    n.updated_at = row.updated_at

// name: merge_observation_nodes
// Upserts one batch of Observation nodes by id.
UNWIND $rows AS row
MERGE (n:Observation {id: row.id})
SET n.kind = 'Observation',
    n.generation = $generation,
    n.name = row.name,
    n.source = row.source,
    n.property_sources = row.property_sources,
    n.value = row.value,
    n.date = row.date,
    n.source_title = row.source_title,
    n.source_url = row.source_url,
    n.version = row.version,
    n.created_at = row.created_at,
    n.updated_at = row.updated_at

// name: merge_indicator_nodes
// Upserts one batch of Indicator nodes by id.
UNWIND $rows AS row
MERGE (n:Indicator {id: row.id})
SET n.kind = 'Indicator',
    n.generation = $generation,
    n.name = row.name,
    n.source = row.source,
    n.property_sources = row.property_sources,
    n.slug = row.slug,
    n.name_da = row.name_da,
    n.name_en = row.name_en,
    n.unit = row.unit,
    n.min_value = row.min_value,
    n.max_value = row.max_value,
    n.better = row.better,
    n.scale = row.scale

// name: merge_resource_nodes
// Upserts one batch of Resource nodes by id.
UNWIND $rows AS row
MERGE (n:Resource {id: row.id})
SET n.kind = 'Resource',
    n.generation = $generation,
    n.name = row.name,
    n.source = row.source,
    n.property_sources = row.property_sources,
    n.slug = row.slug,
    n.resource_kind = row.resource_kind,
    n.url = row.url,
    n.language = row.language,
    n.date = row.date,
    n.summary = row.summary,
    n.summary_en = row.summary_en,
    n.version = row.version,
    n.created_at = row.created_at,
    n.updated_at = row.updated_at

// name: merge_relationships
// Upserts one batch of relationships of one allowlisted shape between existing nodes.
UNWIND $rows AS row
MATCH (a:__FROM_LABEL__ {id: row.source_id})
MATCH (b:__TO_LABEL__ {id: row.target_id})
MERGE (a)-[r:__REL_TYPE__]->(b)
SET r.role = row.role, r.detail = row.detail, r.source = row.source, r.generation = $generation
