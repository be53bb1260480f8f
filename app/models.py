"""Response models: the JSON the API returns (snake_case keys), also used from notebooks."""

from __future__ import annotations

from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

T = TypeVar("T")


class Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class ErrorBody(Model):
    status: int
    # Stable and machine-readable (`not_found`, `invalid_parameter` …): the same in every language,
    # while `message` and `expected` are in the language of the request.
    code: str = Field(default="error", examples=["not_found"])
    message: str
    expected: str | None = None
    suggestions: list[str] = Field(default_factory=list)


class ErrorResponse(Model):
    error: ErrorBody


class Analysis(Model):
    state: Literal["ready", "computing", "stale", "failed", "waiting"] = Field(
        description="ready: computed for the graph as it is now; computing: under way, nothing served yet; "
        "stale: an earlier version's result is served while this one is computed; failed: the last attempt failed "
        "(the next request tries again); waiting: not started yet (a server starts its analyses a few seconds after it starts)"
    )
    seconds: float | None = Field(default=None, description="How long the computation took, once ready")


class Health(Model):
    status: str
    backend: str
    generation: str | None = None
    analyses: dict[str, Analysis] = Field(
        default_factory=dict,
        description="The analyses of the whole graph, computed once per version outside any request "
        "(the overlap ranking, centrality), and the warm-up: the typical questions a server asks "
        "itself when it starts and after a load, so that its first visitors do not wait",
    )


class Stats(Model):
    nodes: dict[str, int]
    relationships: dict[str, int]


class ListResponse(Model, Generic[T]):
    data: list[T]
    count: int


class Page(Model, Generic[T]):
    """One page of a list; the next one is `cursor=<next_cursor>` (also the `Link: rel="next"` header)."""

    data: list[T]
    count: int = Field(description="Items on this page")
    total: int = Field(description="Items on all pages together")
    limit: int = Field(description="The page size asked for")
    next_cursor: str | None = Field(default=None, description="`cursor` of the next page; null on the last page")


def _embedded(what: str) -> Any:
    return Field(description=f"URL of the full, paged list of {what} (the record embeds at most the first 100)")


class Ref(Model):
    """A pointer to any node: enough to show it and to ask for more."""

    id: str
    kind: str
    name: str


class Party(Model):
    name: str
    kind: str


class Partner(Party):
    role: str


class ThemeRef(Model):
    slug: str
    name: str
    name_en: str
    pillar: str


class MunicipalitySummary(Model):
    code: int
    name: str
    official_name: str
    region: str
    participating: bool
    work_packages: list[str]


class Seat(Model):
    lat: float
    lon: float


class Neighbour(Model):
    code: int
    name: str
    region: str


class Participation(Model):
    code: str
    title: str
    category: str
    pillars: list[str]
    source: str


class ReachedTheme(ThemeRef):
    via: list[str] = Field(description="Work packages (codes) through which the municipality reaches the theme")


class Role(Model):
    target: Ref
    role: str = Field(description="lead, co-lead, collaborates, supports, assists, partner, knowledge-partner")
    source: str


class Provenance(Model):
    fact: str
    source: str


class MunicipalityProfile(MunicipalitySummary):
    seat: Seat
    island: bool
    participation: list[Participation]
    neighbours: list[Neighbour]
    themes: list[ReachedTheme]
    roles: list[Role]
    programmes: list[str]
    provenance: list[Provenance]


def _property_sources() -> Any:
    return Field(
        default_factory=dict,
        description="Provenance of the properties that do not come from `source`, property -> provenance: "
        "'<document>, <section>', 'our reading of <document>, <section>' or "
        "'general knowledge, not in the source documents' (several joined with '; ')",
    )


def _danish(of: str) -> Any:
    return Field(description=f"`{of}` in Danish, in our own words like `{of}`")


class TaskSummary(Model):
    code: str
    title: str
    title_en: str
    summary: str
    summary_da: str = _danish("summary")
    themes: list[ThemeRef]


class WorkPackage(Model):
    code: str
    number: int
    title: str
    title_da: str
    title_en: str
    category: str
    pillars: list[str]
    summary: str
    summary_da: str = _danish("summary")
    lead: Party
    partners: list[Partner]
    municipalities: list[str] = Field(description="The first 100 participating municipalities, by name")
    municipality_count: int
    municipalities_url: str = _embedded("participating municipalities")
    tasks: list[TaskSummary]
    themes: list[ThemeRef]
    cooperates_with: list[Ref]
    mobilises_funding_from: list[Ref]
    source: str
    property_sources: dict[str, str] = _property_sources()


class Task(Model):
    code: str
    title: str
    title_en: str
    summary: str
    summary_da: str = _danish("summary")
    work_package: Ref
    themes: list[ThemeRef]
    municipalities: list[str] = Field(
        description="Participants of the task's work package (the first 100, by name): the sources state "
        "participation per work package"
    )
    municipality_count: int
    municipalities_url: str = _embedded("participating municipalities")
    lead: Party
    source: str
    property_sources: dict[str, str] = _property_sources()


class RegionSummary(Model):
    name: str
    short_name: str
    name_en: str
    municipality_count: int
    participating_count: int


class RegionDetail(RegionSummary):
    municipalities: list[MunicipalitySummary] = Field(description="The first 100 municipalities, by name")
    municipalities_url: str = _embedded("the region's municipalities")
    roles: list[Role]
    source: str
    property_sources: dict[str, str] = _property_sources()


class Relation(Model):
    type: str
    direction: str = Field(description="out: this node -> other; in: other -> this node")
    other: Ref
    role: str | None = None
    detail: str | None = None
    source: str | None = None


class Programme(Model):
    key: str
    name: str
    description: str
    description_da: str = _danish("description")
    start_date: str | None = None
    end_date: str | None = None
    goal: str | None = None
    framework: str | None = None
    municipality_count: int | None = None
    duration_years: int | None = None
    rounds: list[str] = Field(default_factory=list)
    main_efforts: list[str] = Field(default_factory=list)
    relations: list[Relation] = Field(description="Relations; the MEMBER_OF ones as one with the member count")
    member_count: int = Field(description="Municipalities that are MEMBER_OF the programme in the graph")
    members_url: str = _embedded("member municipalities")
    source: str
    property_sources: dict[str, str] = _property_sources()


class Organisation(Model):
    key: str
    name: str
    full_name: str
    org_type: str
    description: str
    description_da: str = _danish("description")
    relations: list[Relation] = Field(
        description="Its first 100 relations, by type, direction and name; all of them, a page at a time, at `relations_url`"
    )
    relation_count: int = Field(description="How many relations it has")
    relations_url: str = Field(description="The paged list of all its relations")
    source: str
    property_sources: dict[str, str] = _property_sources()


class ThemeSummary(ThemeRef):
    name_da: str
    tasks: list[str] = Field(description="The first 100 tasks addressing the theme, in order")
    task_count: int
    work_packages: list[str] = Field(description="The first 100 work packages addressing it (also through a task)")
    work_package_count: int


class ThemeDetail(ThemeSummary):
    municipalities: list[str] = Field(description="The first 100 municipalities reaching the theme, by name")
    municipality_count: int
    municipalities_url: str = _embedded("municipalities reaching the theme")


# -- relationship queries -------------------------------------------------------------
class Overlap(Model):
    a: str
    b: str
    shared_work_packages: list[str]
    shared_themes: list[ThemeRef]
    only_a: list[str]
    only_b: list[str]
    jaccard: float = Field(description="Shared work packages over the work packages of either, 0..1")
    explanation: str


class OverlapPair(Model):
    a: str
    b: str
    a_region: str
    b_region: str
    shared_work_packages: list[str]
    jaccard: float


class OverlapMatrix(Model):
    municipalities: list[str]
    shared: list[list[int]] = Field(
        description="shared[i][j]: work packages municipalities i and j share (diagonal: their own count)"
    )
    jaccard: list[list[float]]


class Reason(Model):
    kind: str = Field(
        description="neighbour, region, lead-region, theme, pillar, co-participation; for a solution also "
        "adopter-neighbour, adopter-region, adopter-partner (evidence from those who have it, named in detail)"
    )
    detail: str
    weight: float


class Candidate(Model):
    code: int
    name: str
    region: str
    score: float
    reasons: list[Reason]


class Replication(Model):
    target: Ref
    work_packages: list[str]
    themes: list[ThemeRef]
    pillars: list[str]
    participants: list[str]
    holders: list[str] = Field(
        default_factory=list,
        description="for a solution: the municipalities that developed or adopt it (left out of the candidates), and how",
    )
    candidates: list[Candidate]


class GraphNode(Ref):
    degree: int = 0
    properties: dict[str, object] = Field(default_factory=dict)


class GroupNode(GraphNode):
    """A hub's relationships of one type, too many to draw, as one node (kind `Group`; README "Views")."""

    count: int = Field(description="How many relationships of this type and direction the hub has")
    shown: int = Field(description="How many of them the neighbourhood draws anyway (their other end came in another way)")
    hub: str = Field(description="The hub's id: name it in `expand` to draw them all")
    type: str
    direction: str = Field(description="in: the members point at the hub; out: the hub points at them")


def _node_tag(value: object) -> str:
    kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
    return "group" if kind == "Group" else "node"


AnyGraphNode = Annotated[Annotated[GroupNode, Tag("group")] | Annotated[GraphNode, Tag("node")], Discriminator(_node_tag)]


class GraphEdge(Model):
    source: str
    target: str
    type: str


class PathRelationship(GraphEdge):
    pass


class Path(Model):
    nodes: list[Ref]
    relationships: list[PathRelationship]


class Paths(Model):
    source: Ref
    target: Ref
    length: int | None
    paths: list[Path]
    note: str


class Neighbourhood(Model):
    center: Ref
    depth: int
    nodes: list[AnyGraphNode]
    edges: list[GraphEdge]
    expanded: list[Ref] = Field(default_factory=list, description="The hubs named in `expand`, drawn in full")


class SearchHit(Ref):
    score: float
    matched: str


class SearchResults(Model):
    query: str
    data: list[SearchHit]
    count: int
    total: int = Field(description="Hits among the best 200 (the ranking goes no deeper)")
    limit: int
    next_cursor: str | None = Field(default=None, description="`cursor` of the next page; null on the last page")


class Gaps(Model):
    region: str | None
    pillar: str | None
    theme: str | None
    municipalities_without: list[MunicipalitySummary] = Field(
        description="One page (by code) of the municipalities in scope taking part in no work package with the pillar/theme"
    )
    total: int = Field(description="All municipalities without, over every page")
    count: int = Field(description="Municipalities without on this page")
    limit: int
    next_cursor: str | None = Field(default=None, description="`cursor` of the next page; null on the last page")
    themes_with_one_work_package: list[dict[str, str]]
    themes_without_work_package: list[str]


class CentralityScore(Ref):
    degree: int
    degree_centrality: float
    betweenness: float


class Centrality(Model):
    municipalities: list[CentralityScore]
    work_packages: list[CentralityScore]
    themes: list[CentralityScore]
    note: str
    method: str = Field(description="`exact betweenness`, or how many sampled sources estimated it (large graphs)")
    graph_version: str | None = Field(description="The version of the graph the scores were computed from")
    stale: bool = Field(
        description="True while the current version's scores are being computed: these are the previous version's"
    )
