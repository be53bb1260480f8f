// Pages of the lists the API gives: SKIP/LIMIT in the store, and a count query per list for
// the total, so an answer's cost follows its `limit`, not the size of the graph.
// Optional filters are flags ($any_region, $any_participation …) rather than null parameters:
// LadybugDB infers a parameter's type from its value, and a null would be taken as any type.

// name: municipality_page
// One page of municipalities by code (optionally of one region, participating or not), with their work packages.
// The page is cut on named columns, then its rows read by id: sorting whole nodes took 2-3 times as
// long at 100,000 municipalities (a region of 400: 30 ms, now 20 ms; all: 60-70 ms, now 27 ms).
MATCH (p:Municipality)
WHERE ($any_region OR p.region = $region) AND ($any_participation OR p.participating = $participating)
WITH p.id AS member, p.code AS code
ORDER BY code SKIP $skip LIMIT $limit
MATCH (m:Municipality {id: member})
OPTIONAL MATCH (m)-[:PARTICIPATES_IN]->(w:WorkPackage)
RETURN m.id AS id, m.code AS code, m.name AS name, m.official_name AS official_name,
       m.region AS region, m.seat_lat AS seat_lat, m.seat_lon AS seat_lon,
       m.island AS island, m.participating AS participating, m.source AS source,
       collect(w.code) AS work_packages

// name: municipality_total
// How many municipalities the same filters as municipality_page keep.
MATCH (m:Municipality)
WHERE ($any_region OR m.region = $region) AND ($any_participation OR m.participating = $participating)
RETURN count(m) AS total

// name: work_package_municipality_page
// One page of the municipalities taking part in one work package (by id), by code.
MATCH (m:Municipality)-[:PARTICIPATES_IN]->(:WorkPackage {id: $id})
WHERE ($any_region OR m.region = $region) AND ($any_participation OR m.participating = $participating)
WITH m ORDER BY m.code SKIP $skip LIMIT $limit
OPTIONAL MATCH (m)-[:PARTICIPATES_IN]->(w:WorkPackage)
RETURN m.id AS id, m.code AS code, m.name AS name, m.official_name AS official_name,
       m.region AS region, m.seat_lat AS seat_lat, m.seat_lon AS seat_lon,
       m.island AS island, m.participating AS participating, m.source AS source,
       collect(w.code) AS work_packages

// name: work_package_municipality_total
// How many municipalities work_package_municipality_page's filters keep.
MATCH (m:Municipality)-[:PARTICIPATES_IN]->(:WorkPackage {id: $id})
WHERE ($any_region OR m.region = $region) AND ($any_participation OR m.participating = $participating)
RETURN count(m) AS total

// name: programme_municipality_page
// One page of the member municipalities of one programme (by id), by code.
MATCH (m:Municipality)-[:MEMBER_OF]->(:Programme {id: $id})
WHERE ($any_region OR m.region = $region) AND ($any_participation OR m.participating = $participating)
WITH m ORDER BY m.code SKIP $skip LIMIT $limit
OPTIONAL MATCH (m)-[:PARTICIPATES_IN]->(w:WorkPackage)
RETURN m.id AS id, m.code AS code, m.name AS name, m.official_name AS official_name,
       m.region AS region, m.seat_lat AS seat_lat, m.seat_lon AS seat_lon,
       m.island AS island, m.participating AS participating, m.source AS source,
       collect(w.code) AS work_packages

// name: programme_municipality_total
// How many municipalities programme_municipality_page's filters keep.
MATCH (m:Municipality)-[:MEMBER_OF]->(:Programme {id: $id})
WHERE ($any_region OR m.region = $region) AND ($any_participation OR m.participating = $participating)
RETURN count(m) AS total

// name: theme_municipality_page
// One page of the municipalities taking part in any of the given work packages (a theme's), by code.
// From each work package by its id (an index lookup), naming the columns before the page is cut:
// a scan of every participation with `x.id IN $work_packages` took 170-250 ms at 100,000
// municipalities for a theme of 789 work packages, this 45 ms (the same rows).
UNWIND $work_packages AS wanted
MATCH (x:WorkPackage {id: wanted})
OPTIONAL MATCH (x)<-[:PARTICIPATES_IN]-(p:Municipality)
WITH p.id AS member, p.code AS code, p.region AS region, p.participating AS participating
WHERE member IS NOT NULL AND ($any_region OR region = $region) AND ($any_participation OR participating = $participating)
WITH DISTINCT member, code
ORDER BY code SKIP $skip LIMIT $limit
MATCH (m:Municipality {id: member})
OPTIONAL MATCH (m)-[:PARTICIPATES_IN]->(w:WorkPackage)
RETURN m.id AS id, m.code AS code, m.name AS name, m.official_name AS official_name,
       m.region AS region, m.seat_lat AS seat_lat, m.seat_lon AS seat_lon,
       m.island AS island, m.participating AS participating, m.source AS source,
       collect(w.code) AS work_packages

// name: theme_municipality_total
// How many municipalities theme_municipality_page's filters keep (read the same way).
UNWIND $work_packages AS wanted
MATCH (x:WorkPackage {id: wanted})
OPTIONAL MATCH (x)<-[:PARTICIPATES_IN]-(p:Municipality)
WITH p.id AS member, p.region AS region, p.participating AS participating
WHERE member IS NOT NULL AND ($any_region OR region = $region) AND ($any_participation OR participating = $participating)
RETURN count(DISTINCT member) AS total

// name: gap_municipality_page
// One page of the municipalities (of a region, or all) in no work package with the pillar and among
// the given ones. The page is cut on named columns before the rows are read by id (carrying whole
// nodes through the sort took twice as long at 100,000 municipalities).
MATCH (m:Municipality)
WHERE ($any_region OR m.region = $region)
  AND NOT EXISTS {
    MATCH (m)-[:PARTICIPATES_IN]->(x:WorkPackage)
    WHERE ($any_pillar OR $pillar IN x.pillars) AND ($any_work_package OR x.id IN $work_packages)
  }
WITH m.id AS member, m.code AS code
ORDER BY code SKIP $skip LIMIT $limit
MATCH (m:Municipality {id: member})
OPTIONAL MATCH (m)-[:PARTICIPATES_IN]->(w:WorkPackage)
RETURN m.id AS id, m.code AS code, m.name AS name, m.official_name AS official_name,
       m.region AS region, m.seat_lat AS seat_lat, m.seat_lon AS seat_lon,
       m.island AS island, m.participating AS participating, m.source AS source,
       collect(w.code) AS work_packages

// name: gap_municipality_total
// How many municipalities gap_municipality_page's filters keep: those of the region less those
// taking part in a matching work package (two counts; testing every municipality for the absence
// of one took 100-140 ms at 100,000 municipalities).
MATCH (m:Municipality)
WHERE $any_region OR m.region = $region
WITH count(m) AS everyone
OPTIONAL MATCH (p:Municipality)-[:PARTICIPATES_IN]->(x:WorkPackage)
WHERE ($any_region OR p.region = $region)
  AND ($any_pillar OR $pillar IN x.pillars) AND ($any_work_package OR x.id IN $work_packages)
WITH everyone, count(DISTINCT p) AS taking_part
RETURN everyone - taking_part AS total

// name: overlap_pair_page
// One page of the pairs of municipalities sharing at least $min_shared work packages (both in
// $region unless $any_region): most shared first, then the fewest work packages of either
// (the highest Jaccard), then by name. The counts give Jaccard without reading more.
MATCH (a:Municipality)-[:PARTICIPATES_IN]->(w:WorkPackage)<-[:PARTICIPATES_IN]-(b:Municipality)
WHERE a.code < b.code AND ($any_region OR (a.region = $region AND b.region = $region))
WITH a, b, collect(w.code) AS shared
WHERE size(shared) >= $min_shared
WITH a, b, shared,
     COUNT { MATCH (a)-[:PARTICIPATES_IN]->(:WorkPackage) } AS a_count,
     COUNT { MATCH (b)-[:PARTICIPATES_IN]->(:WorkPackage) } AS b_count
RETURN a.name AS a, a.region AS a_region, b.name AS b, b.region AS b_region, shared, a_count, b_count
ORDER BY size(shared) DESC, a_count + b_count, a.name, b.name
SKIP $skip LIMIT $limit

// name: overlap_pair_total
// How many pairs overlap_pair_page's filters keep.
MATCH (a:Municipality)-[:PARTICIPATES_IN]->(w:WorkPackage)<-[:PARTICIPATES_IN]-(b:Municipality)
WHERE a.code < b.code AND ($any_region OR (a.region = $region AND b.region = $region))
WITH a, b, count(w) AS shared
WHERE shared >= $min_shared
RETURN count(*) AS total

// name: region_page
// One page of regions by name.
MATCH (r:Region)
RETURN r AS node
ORDER BY r.name
SKIP $skip LIMIT $limit

// name: region_total
// How many regions there are.
MATCH (r:Region)
RETURN count(r) AS total

// name: work_package_page
// One page of work package codes, by number.
MATCH (w:WorkPackage)
RETURN w.code AS code
ORDER BY w.number
SKIP $skip LIMIT $limit

// name: work_package_total
// How many work packages there are.
MATCH (w:WorkPackage)
RETURN count(w) AS total

// name: theme_page
// One page of theme slugs, in slug order.
MATCH (t:Theme)
RETURN t.slug AS slug
ORDER BY t.slug
SKIP $skip LIMIT $limit

// name: theme_total
// How many themes there are.
MATCH (t:Theme)
RETURN count(t) AS total

// name: programme_page
// One page of programmes, by name.
MATCH (p:Programme)
RETURN p AS node
ORDER BY p.name
SKIP $skip LIMIT $limit

// name: programme_total
// How many programmes there are.
MATCH (p:Programme)
RETURN count(p) AS total

// name: organisation_page
// One page of organisations, by name.
MATCH (o:Organisation)
RETURN o AS node
ORDER BY o.name
SKIP $skip LIMIT $limit

// name: organisation_total
// How many organisations there are.
MATCH (o:Organisation)
RETURN count(o) AS total

// name: solution_page
// One page of solutions, by name.
MATCH (s:Solution)
RETURN s AS node
ORDER BY s.name
SKIP $skip LIMIT $limit

// name: solution_total
// How many solutions there are.
MATCH (s:Solution)
RETURN count(s) AS total

// name: resource_page
// One page of the resources serving a task, a theme and a solution (a filter equal to $blank, '',
// is left out), by title.
MATCH (r:Resource)
WHERE ($task = $blank OR EXISTS { MATCH (r)-[:SERVES]->(:Task {id: $task}) })
  AND ($theme = $blank OR EXISTS { MATCH (r)-[:SERVES]->(:Theme {id: $theme}) })
  AND ($solution = $blank OR EXISTS { MATCH (r)-[:SERVES]->(:Solution {id: $solution}) })
RETURN r AS node
ORDER BY r.name, r.id
SKIP $skip LIMIT $limit

// name: resource_total
// How many resources resource_page's filters keep.
MATCH (r:Resource)
WHERE ($task = $blank OR EXISTS { MATCH (r)-[:SERVES]->(:Task {id: $task}) })
  AND ($theme = $blank OR EXISTS { MATCH (r)-[:SERVES]->(:Theme {id: $theme}) })
  AND ($solution = $blank OR EXISTS { MATCH (r)-[:SERVES]->(:Solution {id: $solution}) })
RETURN count(r) AS total

// name: indicator_page
// One page of indicators, by slug.
MATCH (i:Indicator)
RETURN i AS node
ORDER BY i.slug
SKIP $skip LIMIT $limit

// name: indicator_total
// How many indicators there are.
MATCH (i:Indicator)
RETURN count(i) AS total

// name: programme_memberships
// How many municipalities are MEMBER_OF each of the given programmes, and the source stating it
// (programmes without members are left out).
UNWIND $ids AS wanted
MATCH (:Municipality)-[r:MEMBER_OF]->(p:Programme {id: wanted})
RETURN p.id AS id, count(r) AS total, min(r.source) AS source
