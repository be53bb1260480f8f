// Graph exports (GraphML, GEXF, node-link JSON, CSV), read in bounded pages: keyset pagination
// by id per label and per relationship shape, so an export holds a page at a time in memory,
// whatever the graph's size. A page shorter than $page is the last one.

// name: export_nodes_page
// One page of the nodes of one label in id order: the first $page with an id after $after ('' for the first page).
MATCH (n:__LABEL__)
WHERE n.id > $after
RETURN n AS node, n.id AS id
ORDER BY id
LIMIT $page

// name: export_edges_page
// One page of the relationships of one shape in (source id, target id) order: the first $page after
// ($after_source, $after_target) ('' and '' for the first page), with their properties, the names of
// their ends (for CSV) and their generation (to check that the whole export comes from one load).
MATCH (a:__FROM_LABEL__)-[r:__REL_TYPE__]->(b:__TO_LABEL__)
WHERE a.id >= $after_source
WITH a, r, b
WHERE a.id > $after_source OR b.id > $after_target
RETURN a.id AS source, b.id AS target, a.name AS source_name, b.name AS target_name,
       r.role AS role, r.detail AS detail, r.source AS provenance, r.generation AS generation
ORDER BY source, target
LIMIT $page
