from typing import Annotated

from fastapi import APIRouter

from app.api.deps import ModelDep
from app.api.errors import ERROR_RESPONSES
from app.api.params import name_path
from app.models import ListResponse, Organisation, Programme
from app.services import entities

router = APIRouter(prefix="/api", tags=["programmes and organisations"], responses=ERROR_RESPONSES)


@router.get("/programmes", response_model=ListResponse[Programme])
def list_programmes(model: ModelDep) -> ListResponse[Programme]:
    """LIFE ACT, DK2020 and Klimaalliancen, with dates, rounds, partners and links."""
    return entities.list_programmes(model)


@router.get("/programmes/{key}", response_model=Programme)
def programme(model: ModelDep, key: Annotated[str, name_path("`life-act`, `DK2020`, `Klimaalliancen`", "DK2020")]) -> Programme:
    """One programme."""
    return entities.get_programme(model, key)


@router.get("/organisations", response_model=ListResponse[Organisation])
def list_organisations(model: ModelDep) -> ListResponse[Organisation]:
    """Organisations named in the sources (other than regions and municipalities)."""
    return entities.list_organisations(model)


@router.get("/organisations/{key}", response_model=Organisation)
def organisation(model: ModelDep, key: Annotated[str, name_path("`cdeu`, `CONCITO`, `C40` …", "CONCITO")]) -> Organisation:
    """One organisation and how it is tied into the graph."""
    return entities.get_organisation(model, key)
