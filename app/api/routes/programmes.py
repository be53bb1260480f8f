from typing import Annotated

from fastapi import APIRouter

from app.api.deps import ModelDep
from app.api.errors import ERROR_RESPONSES
from app.api.paging import OrganisationPages, ProgrammePages, RelationPages
from app.api.params import name_path
from app.models import Organisation, Page, Programme, Relation
from app.services import entities

router = APIRouter(prefix="/api", tags=["programmes and organisations"], responses=ERROR_RESPONSES)


@router.get("/programmes", response_model=Page[Programme])
def list_programmes(model: ModelDep, pages: ProgrammePages) -> Page[Programme]:
    """The programmes by name (LIFE ACT, DK2020, Klimaalliancen …) with dates, rounds, partners,
    links and their member count (the members themselves at `members_url`)."""
    return pages.send(entities.list_programmes(model, pages.page))


@router.get("/programmes/{key}", response_model=Programme)
def programme(model: ModelDep, key: Annotated[str, name_path("`life-act`, `DK2020`, `Klimaalliancen`", "DK2020")]) -> Programme:
    """One programme."""
    return entities.get_programme(model, key)


@router.get("/organisations", response_model=Page[Organisation])
def list_organisations(model: ModelDep, pages: OrganisationPages) -> Page[Organisation]:
    """Organisations named in the sources (other than regions and municipalities), by name."""
    return pages.send(entities.list_organisations(model, pages.page))


@router.get("/organisations/{key}", response_model=Organisation)
def organisation(model: ModelDep, key: Annotated[str, name_path("`cdeu`, `CONCITO`, `C40` …", "CONCITO")]) -> Organisation:
    """One organisation and how it is tied into the graph."""
    return entities.get_organisation(model, key)


@router.get("/organisations/{key}/relations", response_model=Page[Relation])
def organisation_relations(
    model: ModelDep, key: Annotated[str, name_path("`cdeu`, `CONCITO`, `C40` …", "CONCITO")], pages: RelationPages
) -> Page[Relation]:
    """All of an organisation's relations, a page at a time (its record gives the first 100)."""
    return pages.send(entities.organisation_relations(model, key, pages.page))
