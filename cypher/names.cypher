// What the lean name index reads: each node's id, name and the other names people call it
// by (app/services/names.py). One query per label, because the labels' name fields differ.

// name: names_region
// Every region's names.
MATCH (n:Region)
RETURN n.id AS id, n.name AS name, n.short_name AS short_name, n.name_en AS name_en

// name: names_municipality
// Every municipality's names and code.
MATCH (n:Municipality)
RETURN n.id AS id, n.name AS name, n.code AS code, n.official_name AS official_name

// name: names_programme
// Every programme's names and key.
MATCH (n:Programme)
RETURN n.id AS id, n.name AS name, n.key AS key

// name: names_organisation
// Every organisation's names and key.
MATCH (n:Organisation)
RETURN n.id AS id, n.name AS name, n.key AS key, n.full_name AS full_name

// name: names_workpackage
// Every work package's code, number and titles.
MATCH (n:WorkPackage)
RETURN n.id AS id, n.name AS name, n.code AS code, n.number AS number, n.title_da AS title_da, n.title_en AS title_en

// name: names_task
// Every task's code and titles.
MATCH (n:Task)
RETURN n.id AS id, n.name AS name, n.code AS code, n.title_da AS title_da, n.title_en AS title_en

// name: names_theme
// Every theme's slug and names.
MATCH (n:Theme)
RETURN n.id AS id, n.name AS name, n.slug AS slug, n.name_da AS name_da, n.name_en AS name_en

// name: names_solution
// Every solution's slug and name.
MATCH (n:Solution)
RETURN n.id AS id, n.name AS name, n.slug AS slug

// name: names_adoption
// Every adoption's id and name (a municipality taking up a solution, dated).
MATCH (n:Adoption)
RETURN n.id AS id, n.name AS name

// name: names_observation
// Every observation's id and name (an indicator's value, dated).
MATCH (n:Observation)
RETURN n.id AS id, n.name AS name

// name: names_indicator
// Every indicator's slug and names.
MATCH (n:Indicator)
RETURN n.id AS id, n.name AS name, n.slug AS slug, n.name_da AS name_da, n.name_en AS name_en

// name: names_resource
// Every resource's slug and title.
MATCH (n:Resource)
RETURN n.id AS id, n.name AS name, n.slug AS slug
