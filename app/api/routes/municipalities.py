from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import ModelDep
from app.api.errors import ERROR_RESPONSES
from app.api.params import name_path, name_query
from app.models import ListResponse, MunicipalityProfile, MunicipalitySummary
from app.services import entities

router = APIRouter(prefix="/api/municipalities", tags=["municipalities"], responses=ERROR_RESPONSES)


@router.get("", response_model=ListResponse[MunicipalitySummary])
def list_municipalities(
    model: ModelDep,
    participating: Annotated[
        bool | None, Query(description="Only those that take part (true) or not (false) in LIFE ACT")
    ] = None,
    region: Annotated[str | None, name_query("Region name, e.g. `Region Midtjylland` or `Midtjylland`", "Midtjylland")] = None,
) -> ListResponse[MunicipalitySummary]:
    """All 98 municipalities, optionally only the participating ones or one region's."""
    return entities.list_municipalities(model, participating=participating, region=region)


@router.get("/{key}", response_model=MunicipalityProfile)
def municipality(
    model: ModelDep,
    key: Annotated[str, name_path("Code, name or official name: `101`, `København`, `Kobenhavn`, `Århus`", "København")],
) -> MunicipalityProfile:
    """One municipality's profile: work packages, neighbours, themes, roles and provenance."""
    return entities.municipality_profile(model, key)
