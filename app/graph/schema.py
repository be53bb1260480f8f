"""The graph model: the only labels, relationship types and properties the app knows.

Every identifier that is interpolated into a Cypher text comes from here, never from input.
"""

from __future__ import annotations

from dataclasses import dataclass

LABELS: tuple[str, ...] = (
    "Region",
    "Municipality",
    "Programme",
    "Organisation",
    "WorkPackage",
    "Task",
    "Theme",
    "Solution",
    "Adoption",
    "Observation",
    "Indicator",
    "Resource",
)

# The knowledge labels (issue 12): the seed names some of them, and the API writes more.
KNOWLEDGE_LABELS: tuple[str, ...] = ("Solution", "Adoption", "Observation", "Resource")
# A written node or relationship carries this as its `generation`: a load keeps it.
WRITTEN = "written"

SOLUTION_STATUSES: tuple[str, ...] = ("idea", "developing", "piloting", "implemented")
ADOPTION_STATUSES: tuple[str, ...] = ("considering", "planning", "piloting", "adopted", "dropped")
RESOURCE_KINDS: tuple[str, ...] = ("guide", "tool", "method", "course", "seminar", "report", "data-set")

# Property name -> LadybugDB column type, per label. Neo4j is schemaless but gets
# exactly the same properties, so both stores hold the same graph.
NODE_PROPERTIES: dict[str, dict[str, str]] = {
    "Region": {"short_name": "STRING", "name_en": "STRING"},
    "Municipality": {
        "code": "INT64",
        "official_name": "STRING",
        "region": "STRING",
        "seat_lat": "DOUBLE",
        "seat_lon": "DOUBLE",
        "island": "BOOLEAN",
        "participating": "BOOLEAN",
    },
    "Programme": {
        "key": "STRING",
        "description": "STRING",
        "description_da": "STRING",
        "start_date": "STRING",
        "end_date": "STRING",
        "goal": "STRING",
        "framework": "STRING",
        "municipality_count": "INT64",
        "duration_years": "INT64",
        "rounds": "STRING[]",
        "main_efforts": "STRING[]",
    },
    "Organisation": {
        "key": "STRING",
        "full_name": "STRING",
        "org_type": "STRING",
        "description": "STRING",
        "description_da": "STRING",
    },
    "WorkPackage": {
        "code": "STRING",
        "number": "INT64",
        "title_da": "STRING",
        "title_en": "STRING",
        "category": "STRING",
        "pillars": "STRING[]",
        "summary": "STRING",
        "summary_da": "STRING",
    },
    "Task": {
        "code": "STRING",
        "title_da": "STRING",
        "title_en": "STRING",
        "summary": "STRING",
        "summary_da": "STRING",
        "work_package": "STRING",
    },
    "Theme": {
        "slug": "STRING",
        "name_da": "STRING",
        "name_en": "STRING",
        "pillar": "STRING",
    },
    "Solution": {
        "slug": "STRING",
        "summary": "STRING",
        "summary_en": "STRING",
        "status": "STRING",
        "started": "STRING",
        "source_titles": "STRING[]",
        "source_urls": "STRING[]",
        "version": "INT64",
        "created_at": "STRING",
        "updated_at": "STRING",
    },
    "Adoption": {
        "status": "STRING",
        "date": "STRING",
        "note": "STRING",
        "source_title": "STRING",
        "source_url": "STRING",
        "version": "INT64",
        "created_at": "STRING",
        "updated_at": "STRING",
    },
    "Observation": {
        "value": "DOUBLE",
        "date": "STRING",
        "source_title": "STRING",
        "source_url": "STRING",
        "version": "INT64",
        "created_at": "STRING",
        "updated_at": "STRING",
    },
    "Indicator": {
        "slug": "STRING",
        "name_da": "STRING",
        "name_en": "STRING",
        "unit": "STRING",
        "min_value": "DOUBLE",
        "max_value": "DOUBLE",
        "better": "STRING",
        "scale": "STRING",
    },
    "Resource": {
        "slug": "STRING",
        "resource_kind": "STRING",
        "url": "STRING",
        "language": "STRING",
        "date": "STRING",
        "summary": "STRING",
        "summary_en": "STRING",
        "version": "INT64",
        "created_at": "STRING",
        "updated_at": "STRING",
    },
}

# Every node has these, whatever its label: `kind` repeats the label so that one
# query text can read it on both stores (labels(n) and label(n) differ). `source` is
# the node's provenance; `property_sources` (JSON text, property -> provenance, or
# null) gives single properties that come from elsewhere their own (app/provenance.py).
COMMON_NODE_PROPERTIES: dict[str, str] = {
    "id": "STRING",
    "kind": "STRING",
    "name": "STRING",
    "source": "STRING",
    "property_sources": "STRING",
    "generation": "STRING",
}

# `generation` names the load that wrote a node or relationship; the Neo4j loader
# prunes whatever an earlier load wrote and this one did not.
RELATIONSHIP_PROPERTIES: dict[str, str] = {"role": "STRING", "detail": "STRING", "source": "STRING", "generation": "STRING"}


@dataclass(frozen=True)
class RelationshipShape:
    type: str
    from_label: str
    to_label: str


RELATIONSHIP_SHAPES: tuple[RelationshipShape, ...] = tuple(
    RelationshipShape(t, f, to)
    for t, f, to in [
        ("IN_REGION", "Municipality", "Region"),
        ("NEIGHBOURS", "Municipality", "Municipality"),
        ("PARTICIPATES_IN", "Municipality", "WorkPackage"),
        ("LEADS", "Region", "WorkPackage"),
        ("LEADS", "Municipality", "WorkPackage"),
        ("LEADS", "Organisation", "WorkPackage"),
        ("LEADS", "Region", "Programme"),
        ("PARTNER_IN", "Region", "WorkPackage"),
        ("PARTNER_IN", "Municipality", "WorkPackage"),
        ("PARTNER_IN", "Organisation", "WorkPackage"),
        ("PARTNER_IN", "Region", "Programme"),
        ("PARTNER_IN", "Organisation", "Programme"),
        ("HAS_TASK", "WorkPackage", "Task"),
        ("ADDRESSES", "WorkPackage", "Theme"),
        ("ADDRESSES", "Task", "Theme"),
        ("PART_OF", "WorkPackage", "Programme"),
        ("MEMBER_OF", "Municipality", "Programme"),
        ("SUCCEEDS", "Programme", "Programme"),
        ("IMPLEMENTS_PLANS_OF", "Programme", "Programme"),
        ("FUNDED_BY", "Programme", "Organisation"),
        ("USES_FRAMEWORK_OF", "Programme", "Organisation"),
        ("COOPERATES_WITH", "WorkPackage", "Organisation"),
        ("COOPERATES_WITH", "WorkPackage", "Programme"),
        ("MOBILISES_FUNDING_FROM", "WorkPackage", "Organisation"),
        # knowledge (issue 12)
        ("DEVELOPED", "Municipality", "Solution"),
        ("DEVELOPED", "Region", "Solution"),
        ("BELONGS_TO", "Solution", "Task"),
        ("ABOUT", "Solution", "Theme"),
        ("ADOPTS", "Municipality", "Adoption"),
        ("OF_SOLUTION", "Adoption", "Solution"),
        ("MEASURES", "Observation", "Indicator"),
        ("OBSERVES", "Observation", "Municipality"),
        ("OBSERVES", "Observation", "WorkPackage"),
        ("OBSERVES", "Observation", "Solution"),
        ("SERVES", "Resource", "Task"),
        ("SERVES", "Resource", "Theme"),
        ("SERVES", "Resource", "Solution"),
    ]
)

RELATIONSHIP_TYPES: tuple[str, ...] = tuple(dict.fromkeys(s.type for s in RELATIONSHIP_SHAPES))


# Tables outside the graph model: never exported, never in the name index or counts.
#   Change      the audit trail, one node per write, numbered by `seq`
#   GraphState  one node (id 'state') counting the writes: the graph's version moves with it
INTERNAL_NODE_PROPERTIES: dict[str, dict[str, str]] = {
    "Change": {
        "id": "STRING",
        "seq": "INT64",
        "at": "STRING",
        "actor": "STRING",
        "action": "STRING",
        "entity": "STRING",
        "before": "STRING",
        "after": "STRING",
    },
    "GraphState": {"id": "STRING", "writes": "INT64"},
}


def shape(rel_type: str, from_label: str, to_label: str) -> RelationshipShape:
    """The allowlisted shape, or ValueError: the guard before any identifier reaches Cypher."""
    candidate = RelationshipShape(rel_type, from_label, to_label)
    if candidate not in RELATIONSHIP_SHAPES:
        raise ValueError(f"relationship {from_label}-[:{rel_type}]->{to_label} is not in the graph model")
    return candidate


def node_columns(label: str) -> dict[str, str]:
    if label not in NODE_PROPERTIES:
        raise ValueError(f"unknown label {label!r}; expected one of {', '.join(LABELS)}")
    return {**COMMON_NODE_PROPERTIES, **NODE_PROPERTIES[label]}
