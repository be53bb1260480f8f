from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from app.api.deps import ModelDep
from app.api.errors import ERROR_RESPONSES
from app.api.paging import GapPages, OverlapPages, SearchPages
from app.api.params import expand_query, kinds_query, name_query
from app.graph.queries import MAX_HOPS_LIMIT
from app.models import (
    Centrality,
    Gaps,
    Neighbourhood,
    Overlap,
    OverlapMatrix,
    OverlapPair,
    Page,
    Paths,
    Replication,
    SearchResults,
)
from app.services import analytics, traversal
from app.services import overlap as overlap_service
from app.services import replication as replication_service
from app.services import search as search_service
from app.services.replication import PILLARS
from app.services.text import NAME_PATTERN

router = APIRouter(prefix="/api", tags=["relationships"], responses=ERROR_RESPONSES)

Region = Annotated[str | None, name_query("Only pairs within this region", "Region Nordjylland")]
Pillar = Literal[PILLARS]  # type: ignore[valid-type]


@router.get("/overlap", response_model=Overlap)
def overlap(
    model: ModelDep,
    a: Annotated[str, name_query("A municipality: `Aalborg`, `851`, `Kobenhavn`", "Aalborg")],
    b: Annotated[str, name_query("Another municipality", "Samsø")],
) -> Overlap:
    """What two municipalities share: work packages, themes, what only one has, and Jaccard."""
    return overlap_service.overlap(model, a, b)


@router.get("/overlaps", response_model=Page[OverlapPair])
def overlaps(
    model: ModelDep,
    pages: OverlapPages,
    min_shared: Annotated[int, Query(ge=1, le=1000, description="Least number of shared work packages")] = 1,
    region: Region = None,
) -> Page[OverlapPair]:
    """The pairs of municipalities sharing work packages, most shared first, then by Jaccard, a
    page at a time (ranked and cut in the store)."""
    return pages.send(overlap_service.overlaps(model, min_shared=min_shared, region=region, page=pages.page))


@router.get("/overlaps/matrix", response_model=OverlapMatrix)
def overlap_matrix(
    model: ModelDep,
    region: Annotated[str | None, name_query("The participating municipalities of this region", "Nordjylland")] = None,
    work_package: Annotated[str | None, name_query("The municipalities of this work package: `WP9`", "WP9")] = None,
    names: Annotated[
        str | None,
        Query(
            max_length=4000,
            pattern=NAME_PATTERN,
            description=f"Comma-separated municipalities, at most {overlap_service.MATRIX_LIMIT}: `Aalborg,Samsø,Vejle`",
        ),
    ] = None,
) -> OverlapMatrix:
    """Shared work packages and Jaccard between every two municipalities of a bounded set (for
    heatmaps): the participating ones (of a region), a work package's, or the named ones. At most
    60 municipalities (`MATRIX_LIMIT`); a larger set is a 422 saying how to narrow it."""
    return overlap_service.overlap_matrix(model, region=region, work_package=work_package, names=names)


@router.get("/replication", response_model=Replication)
def replication(
    model: ModelDep,
    target: Annotated[str, name_query("`WP9`, `T.9.1` or a theme slug such as `sea-level-rise`", "T.9.1")],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Replication:
    """Where a solution could spread next: non-participating municipalities ranked by evidence."""
    return replication_service.replication(model, target, limit)


@router.get("/paths", response_model=Paths)
def paths(
    model: ModelDep,
    source: Annotated[str, name_query("Any node: municipality, region, WP, task, theme …", "Samsø")],
    target: Annotated[str, name_query("Any node", "WP9")],
    max_hops: Annotated[int, Query(ge=1, le=MAX_HOPS_LIMIT)] = 6,
    limit: Annotated[int, Query(ge=1, le=100, description="At most this many of the equally short paths")] = 10,
) -> Paths:
    """The shortest paths between two things (all of equal length, up to `limit`)."""
    return traversal.paths(model, source, target, max_hops, limit)


@router.get("/graph", response_model=Neighbourhood)
def graph(
    model: ModelDep,
    center: Annotated[str, name_query("Any node, e.g. `LIFE ACT`, `Samsø`, `WP9`", "Samsø")],
    depth: Annotated[int, Query(ge=1, le=3)] = 1,
    kinds: Annotated[str | None, kinds_query("Comma-separated labels to keep, e.g. `Municipality,WorkPackage`")] = None,
    expand: Annotated[
        str | None, expand_query("Comma-separated hubs to draw in full, e.g. `Klimaalliancen,Region Midtjylland`")
    ] = None,
) -> Neighbourhood:
    """The neighbourhood of a node: nodes within `depth` steps and the edges between them. A hub's
    many relationships of one type are one `Group` node with their count, unless `expand` names it."""
    return traversal.neighbourhood(model, center, depth, kinds, expand)


@router.get("/search", response_model=SearchResults)
def search(
    model: ModelDep,
    q: Annotated[str, name_query("Part of a name or code; æøå optional, typos tolerated", "hedebolge")],
    pages: SearchPages,
) -> SearchResults:
    """Ranked hits across every kind of node, a page at a time."""
    return pages.send(search_service.search(model, q, pages.page.limit, pages.page.offset))


@router.get("/gaps", response_model=Gaps)
def gaps(
    model: ModelDep,
    pages: GapPages,
    region: Annotated[str | None, name_query("A region", "Region Midtjylland")] = None,
    pillar: Annotated[Pillar | None, Query(description="`mitigation` or `adaptation`")] = None,
    theme: Annotated[str | None, name_query("A theme slug or name", "drought")] = None,
) -> Gaps:
    """What is missing: municipalities (of a region) in no work package with the pillar or theme
    (a page of them, by code; `limit` and `cursor` page through them), and themes that only one
    work package, or none, addresses."""
    return pages.send(analytics.gaps(model, region, pillar, theme, pages.page))


@router.get("/analytics/centrality", response_model=Centrality)
def centrality(model: ModelDep, response: Response, limit: Annotated[int, Query(ge=1, le=100)] = 10) -> Centrality:
    """Which municipalities, work packages and themes hold the network together. Computed once per
    version of the graph in the background: while the current version's is computed, the previous
    one's is served with `stale: true` (not cached), and before any is ready the answer is 503 with
    `Retry-After`."""
    answer = analytics.centrality(model, limit)
    if answer.stale:
        response.headers["Cache-Control"] = "no-store"
    return answer
