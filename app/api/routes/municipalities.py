from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import ModelDep
from app.api.errors import ERROR_RESPONSES
from app.api.paging import MunicipalityPages
from app.api.params import name_path, name_query
from app.models import MunicipalityProfile, MunicipalitySummary, Page
from app.services import entities

router = APIRouter(prefix="/api/municipalities", tags=["municipalities"], responses=ERROR_RESPONSES)


@router.get("", response_model=Page[MunicipalitySummary])
def list_municipalities(
    model: ModelDep,
    pages: MunicipalityPages,
    participating: Annotated[
        bool | None, Query(description="Only those that take part (true) or not (false) in LIFE ACT")
    ] = None,
    region: Annotated[str | None, name_query("Region name, e.g. `Region Midtjylland` or `Midtjylland`", "Midtjylland")] = None,
    work_package: Annotated[str | None, name_query("Only those taking part in this work package: `WP3`, `3`", "WP3")] = None,
    programme: Annotated[str | None, name_query("Only the members of this programme: `klimaalliancen`", "klimaalliancen")] = None,
    theme: Annotated[
        str | None, name_query("Only those reaching this theme through a work package: `sea-level-rise`", "sea-level-rise")
    ] = None,
) -> Page[MunicipalitySummary]:
    """The municipalities by code, a page at a time: all, or one region's, the participating ones,
    a work package's, a programme's members or those reaching a theme (one of the last three)."""
    return pages.send(
        entities.list_municipalities(
            model, participating, region, pages.page, work_package=work_package, programme=programme, theme=theme
        )
    )


@router.get("/{key}", response_model=MunicipalityProfile)
def municipality(
    model: ModelDep,
    key: Annotated[str, name_path("Code, name or official name: `101`, `København`, `Kobenhavn`, `Århus`", "København")],
) -> MunicipalityProfile:
    """One municipality's profile: work packages, neighbours, themes, roles and provenance."""
    return entities.municipality_profile(model, key)
