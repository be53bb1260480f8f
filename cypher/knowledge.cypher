// Writing knowledge (issue 12): the graph's write counter, the audit trail, and the reads of
// solutions, adoptions, observations and resources. Written nodes and relationships carry
// generation $written ('written'), so a load keeps them.

// name: graph_state_init
// Creates the one write counter of a graph if it is not there yet.
MERGE (s:GraphState {id: $state})
ON CREATE SET s.writes = 0

// name: graph_state_writes
// How many writes the graph has had: its version moves with this.
MATCH (s:GraphState {id: $state})
RETURN s.writes AS writes

// name: graph_state_bump
// Counts one more write (inside the write's own transaction) and returns the new count.
MATCH (s:GraphState {id: $state})
SET s.writes = s.writes + 1
RETURN s.writes AS writes

// name: graph_state_set
// Sets the write counter (when written knowledge is carried into a new load).
MATCH (s:GraphState {id: $state})
SET s.writes = $writes

// name: create_change
// One record of the audit trail, in the same transaction as the change it records.
CREATE (c:Change {id: $id, seq: $seq, at: $at, actor: $actor, action: $action, entity: $entity, before: $before, after: $after})

// name: changes_since
// The audit trail after a cursor, oldest first.
MATCH (c:Change)
WHERE c.seq > $since
RETURN c.id AS id, c.seq AS seq, c.at AS at, c.actor AS actor, c.action AS action, c.entity AS entity, c.before AS before, c.after AS after
ORDER BY c.seq
LIMIT $limit

// name: written_nodes
// Every written node of one label (what a load carries over and an export writes).
MATCH (n:__LABEL__)
WHERE n.generation = $written
RETURN n AS node

// name: written_relationships
// Every written relationship of one shape.
MATCH (a:__FROM_LABEL__)-[r:__REL_TYPE__]->(b:__TO_LABEL__)
WHERE r.generation = $written
RETURN a.id AS source_id, b.id AS target_id, r.role AS role, r.detail AS detail, r.source AS source

// name: delete_node
// Deletes one node and its relationships.
MATCH (n:__LABEL__ {id: $id})
DETACH DELETE n

// name: delete_out_relationships
// Deletes the relationships of one shape that leave one node.
MATCH (a:__FROM_LABEL__ {id: $id})-[r:__REL_TYPE__]->(:__TO_LABEL__)
DELETE r

// name: solutions
// Every solution.
MATCH (s:Solution)
RETURN s AS node
ORDER BY s.name

// name: solution_developers
// The municipalities and regions that developed a solution.
MATCH (s:Solution {id: $id})<-[:DEVELOPED]-(d)
RETURN d.id AS id, d.kind AS kind, d.name AS name
ORDER BY d.name

// name: solution_tasks
// The tasks a solution belongs to.
MATCH (s:Solution {id: $id})-[:BELONGS_TO]->(t:Task)
RETURN t.code AS code, t.name AS name
ORDER BY t.code

// name: solution_themes
// The themes a solution is about.
MATCH (s:Solution {id: $id})-[:ABOUT]->(t:Theme)
RETURN t.slug AS slug, t.name AS name
ORDER BY t.slug

// name: solution_adoptions
// A solution's adoption events, oldest first, each with its municipality.
MATCH (s:Solution {id: $id})<-[:OF_SOLUTION]-(a:Adoption)<-[:ADOPTS]-(m:Municipality)
RETURN a AS adoption, m.id AS municipality_id, m.name AS municipality, m.code AS code
ORDER BY a.date, a.created_at

// name: adopters
// The municipalities whose latest adoption event of a solution is not 'dropped', by id.
MATCH (s:Solution {id: $id})<-[:OF_SOLUTION]-(a:Adoption)<-[:ADOPTS]-(m:Municipality)
RETURN m.id AS id, m.name AS name, a.status AS status, a.date AS date, a.created_at AS created_at
ORDER BY a.date, a.created_at

// name: solutions_matching
// The solutions with a status, a task and a theme (a filter equal to $blank, '', is left out), by
// id and name only: the solutions page sorts and cuts these before reading a page's bodies.
MATCH (s:Solution)
WHERE ($status = $blank OR s.status = $status)
  AND ($task = $blank OR EXISTS { MATCH (s)-[:BELONGS_TO]->(:Task {id: $task}) })
  AND ($theme = $blank OR EXISTS { MATCH (s)-[:ABOUT]->(:Theme {id: $theme}) })
RETURN s.id AS id, s.name AS name

// name: developers_of_solutions
// Who developed each of the given solutions (by id), by name; a municipality with its region.
// Anchored first, then expanded: in one pattern LadybugDB scanned every developer (18 ms, 2 ms so).
UNWIND $ids AS wanted
MATCH (s:Solution {id: wanted})
MATCH (s)<-[:DEVELOPED]-(d)
RETURN s.id AS solution, d.id AS id, d.kind AS kind, d.name AS name, d.region AS region
ORDER BY d.name

// name: tasks_of_solutions
// The tasks of each of the given solutions (by id), by code.
UNWIND $ids AS wanted
MATCH (s:Solution {id: wanted})-[:BELONGS_TO]->(t:Task)
RETURN s.id AS solution, t.code AS code
ORDER BY t.code

// name: themes_of_solutions
// The themes of each of the given solutions (by id), by slug.
UNWIND $ids AS wanted
MATCH (s:Solution {id: wanted})-[:ABOUT]->(t:Theme)
RETURN s.id AS solution, t.slug AS slug
ORDER BY t.slug

// name: adoptions_of_solutions
// The adoption events of each of the given solutions (by id), oldest first, each with its
// municipality (and its region); the latest event per municipality is its current state.
UNWIND $ids AS wanted
MATCH (s:Solution {id: wanted})<-[:OF_SOLUTION]-(a:Adoption)<-[:ADOPTS]-(m:Municipality)
RETURN s.id AS solution, a AS adoption, m.id AS municipality_id, m.name AS municipality, m.code AS code, m.region AS region
ORDER BY a.date, a.created_at

// name: resources_of_solutions
// The resources that serve each of the given solutions (by id), by slug.
UNWIND $ids AS wanted
MATCH (s:Solution {id: wanted})<-[:SERVES]-(r:Resource)
RETURN s.id AS solution, r.slug AS slug, r.name AS title
ORDER BY r.slug

// name: indicators
// Every indicator.
MATCH (i:Indicator)
RETURN i AS node
ORDER BY i.slug

// name: delete_in_developed
// Deletes who developed a solution (relationships of one shape arriving at it).
MATCH (:__FROM_LABEL__)-[r:__REL_TYPE__]->(b:__TO_LABEL__ {id: $id})
DELETE r

// name: observations_of
// A page of a time series, oldest first (the id orders observations of one date and moment): the
// observations of an indicator between two dates, or of a subject (a filter equal to $blank, '',
// is left out, so one text serves every combination; observations_of_subject reads one subject).
MATCH (o:Observation)-[:OBSERVES]->(s), (o)-[:MEASURES]->(i:Indicator)
WHERE ($subject = $blank OR s.id = $subject)
  AND ($indicator = $blank OR i.id = $indicator)
  AND ($first = $blank OR o.date >= $first)
  AND ($last = $blank OR o.date <= $last)
RETURN o AS observation, s.id AS subject_id, s.kind AS subject_kind, s.name AS subject, i.id AS indicator_id, i.slug AS indicator, i.unit AS unit
ORDER BY o.date, o.created_at, o.id
SKIP $skip
LIMIT $limit

// name: observations_total
// How many observations observations_of finds with the same filters.
MATCH (o:Observation)-[:OBSERVES]->(s), (o)-[:MEASURES]->(i:Indicator)
WHERE ($subject = $blank OR s.id = $subject)
  AND ($indicator = $blank OR i.id = $indicator)
  AND ($first = $blank OR o.date >= $first)
  AND ($last = $blank OR o.date <= $last)
RETURN count(o) AS total

// name: observations_of_subject
// A page of one subject's observations (a __LABEL__ of SUBJECTS), oldest first, read from the
// subject's id index rather than by scanning every observation; the other filters as in observations_of.
MATCH (s:__LABEL__ {id: $subject})<-[:OBSERVES]-(o:Observation)-[:MEASURES]->(i:Indicator)
WHERE ($indicator = $blank OR i.id = $indicator)
  AND ($first = $blank OR o.date >= $first)
  AND ($last = $blank OR o.date <= $last)
RETURN o AS observation, s.id AS subject_id, s.kind AS subject_kind, s.name AS subject, i.id AS indicator_id, i.slug AS indicator, i.unit AS unit
ORDER BY o.date, o.created_at, o.id
SKIP $skip
LIMIT $limit

// name: observations_of_subject_total
// How many observations observations_of_subject finds with the same filters.
MATCH (s:__LABEL__ {id: $subject})<-[:OBSERVES]-(o:Observation)-[:MEASURES]->(i:Indicator)
WHERE ($indicator = $blank OR i.id = $indicator)
  AND ($first = $blank OR o.date >= $first)
  AND ($last = $blank OR o.date <= $last)
RETURN count(o) AS total

// name: indicator_subjects
// A page of the subjects an indicator has observations of, by name (its page's charts).
MATCH (i:Indicator {id: $indicator})<-[:MEASURES]-(o:Observation)-[:OBSERVES]->(s)
RETURN DISTINCT s.id AS id, s.kind AS kind, s.name AS name
ORDER BY name, id
SKIP $skip
LIMIT $limit

// name: indicator_subjects_total
// How many subjects an indicator has observations of.
MATCH (i:Indicator {id: $indicator})<-[:MEASURES]-(o:Observation)-[:OBSERVES]->(s)
RETURN count(DISTINCT s.id) AS total

// name: indicator_observations_of
// The observations of an indicator for the subjects $ids, oldest first (the charts of a page).
MATCH (i:Indicator {id: $indicator})<-[:MEASURES]-(o:Observation)-[:OBSERVES]->(s)
WHERE s.id IN $ids
RETURN o AS observation, s.id AS subject_id, s.kind AS subject_kind, s.name AS subject, i.id AS indicator_id, i.slug AS indicator, i.unit AS unit
ORDER BY o.date, o.created_at, o.id
LIMIT $limit

// name: indicator_latest
// Each subject's observations of an indicator on its latest date on or before $last (several
// when it has more than one that day: the last in observations_of's order is its value), for
// every subject ($every) or the subjects $ids (those a map shows).
MATCH (i:Indicator {id: $indicator})<-[:MEASURES]-(o:Observation)-[:OBSERVES]->(s)
WHERE o.date <= $last AND ($every OR s.id IN $ids)
WITH i, s, max(o.date) AS latest
MATCH (i)<-[:MEASURES]-(o:Observation)-[:OBSERVES]->(s)
WHERE o.date = latest
RETURN o AS observation, s.id AS subject_id, s.kind AS subject_kind, s.name AS subject, i.id AS indicator_id, i.slug AS indicator, i.unit AS unit
ORDER BY o.date, o.created_at, o.id

// name: indicator_dates
// The $limit latest dates an indicator was observed on, latest first.
MATCH (i:Indicator {id: $indicator})<-[:MEASURES]-(o:Observation)
RETURN DISTINCT o.date AS date
ORDER BY date DESC
LIMIT $limit

// name: observation_by_id
// One observation with its subject and indicator.
MATCH (o:Observation {id: $id})-[:OBSERVES]->(s), (o)-[:MEASURES]->(i:Indicator)
RETURN o AS observation, s.id AS subject_id, s.kind AS subject_kind, s.name AS subject, i.id AS indicator_id, i.slug AS indicator, i.unit AS unit

// name: resource_targets
// What a resource serves: its tasks, themes and solutions.
MATCH (r:Resource {id: $id})-[:SERVES]->(t)
RETURN t.id AS id, t.kind AS kind, t.name AS name
ORDER BY t.kind, t.id

// name: targets_of_resources
// What each of the given resources (by id) serves: its tasks, themes and solutions.
UNWIND $ids AS wanted
MATCH (r:Resource {id: wanted})-[:SERVES]->(t)
RETURN r.id AS resource, t.id AS id, t.kind AS kind
ORDER BY t.kind, t.id

// name: observations_of_subjects
// The observations of each of the given subjects (by id), oldest first, as observations_of
// answers them: a page of solutions reads its observations in one query. Anchored first, then
// expanded a step at a time (in one pattern LadybugDB started from the observations: 13 ms, 4 ms so).
UNWIND $ids AS wanted
MATCH (s:Solution {id: wanted})
MATCH (s)<-[:OBSERVES]-(o:Observation)
MATCH (o)-[:MEASURES]->(i:Indicator)
RETURN o AS observation, s.id AS subject_id, s.kind AS subject_kind, s.name AS subject, i.id AS indicator_id, i.slug AS indicator, i.unit AS unit
ORDER BY o.date, o.created_at, o.id
