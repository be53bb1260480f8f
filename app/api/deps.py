"""Dependencies shared by the routes, as Annotated aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.graph.store import GraphStore
from app.services.index import GenerationCache
from app.settings import Settings


def get_cache(request: Request) -> GenerationCache:
    return request.app.state.cache


def get_store(request: Request) -> GraphStore:
    return request.app.state.cache.store


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


CacheDep = Annotated[GenerationCache, Depends(get_cache)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
