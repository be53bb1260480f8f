"""Indicators (read by all, managed by admins) and the audit trail."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.api.deps import AdminDep, EditorDep, ModelDep
from app.api.errors import WRITE_RESPONSES
from app.api.paging import IndicatorPages, link_next
from app.api.params import name_path
from app.services.knowledge import changes, indicators

router = APIRouter(prefix="/api", tags=["knowledge"], responses=WRITE_RESPONSES)
Slug = Annotated[str, name_path("An indicator: its slug or name", "carl")]


@router.get("/indicators")
def list_indicators(model: ModelDep, pages: IndicatorPages) -> dict[str, Any]:
    """What observations measure: names, unit, range, which direction is better, and the scale."""
    return pages.send(indicators.list_indicators(model, pages.page))


@router.get("/indicators/{slug}")
def get_indicator(model: ModelDep, slug: Slug) -> dict[str, Any]:
    return indicators.get(model, slug)


@router.post("/indicators", status_code=201)
def create_indicator(model: ModelDep, who: AdminDep, body: indicators.IndicatorIn, response: Response) -> dict[str, Any]:
    """A new indicator (admins only): 201 with `Location`; 409 if the slug exists."""
    created = indicators.create(model, who, body)
    response.headers["Location"] = f"/api/indicators/{created['slug']}"
    return created


@router.patch("/indicators/{slug}")
def update_indicator(model: ModelDep, who: AdminDep, slug: Slug, body: indicators.IndicatorPatch) -> dict[str, Any]:
    """Change an indicator written through the API (admins only); 409 if observations would fall outside a new range."""
    return indicators.update(model, who, slug, body)


@router.get("/changes")
def list_changes(
    model: ModelDep,
    who: EditorDep,
    request: Request,
    response: Response,
    since: Annotated[int, Query(ge=0, le=2**63 - 1, description="the last change id seen (the cursor)")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000, description="Changes per page: default 100, at most 1000")] = 100,
) -> dict[str, Any]:
    """The audit trail, oldest first: `{id, at, actor, action, entity, before, after}`; `next` is the
    cursor (`since=<next>`), also given as `Link: rel="next"` while a page comes back full."""
    body = changes.list_changes(model, since, limit)
    if body["count"] == limit:
        # An id cursor, not an offset: changes appended meanwhile are read on the next page, not skipped.
        link_next(request, response, since=body["next"])
    return body
