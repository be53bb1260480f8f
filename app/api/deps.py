"""Dependencies shared by the routes, as Annotated aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.graph.store import GraphStore
from app.services.read_model import ReadModel
from app.settings import Settings


def get_model(request: Request) -> ReadModel:
    return request.app.state.model


def get_store(request: Request) -> GraphStore:
    return request.app.state.model.store


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


ModelDep = Annotated[ReadModel, Depends(get_model)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
