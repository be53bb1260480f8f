"""Builds the FastAPI application: `app.main:app`."""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from app import i18n
from app.api.errors import install_error_handlers
from app.api.language import LANGUAGE_PARAMETER
from app.api.routes import (
    health,
    knowledge_reads,
    municipalities,
    observations,
    programmes,
    regions,
    relationships,
    resources,
    solutions,
    stats,
    tasks,
    themes,
    work_packages,
)
from app.graph import loader
from app.graph.factory import open_store
from app.graph.store import StoreUnavailable
from app.services import load_control, warm_up  # noqa: F401  (warm_up registers the server's warm-up)
from app.services.read_model import ReadModel, tune_garbage_collection
from app.settings import Settings, get_settings

log = logging.getLogger("lifeact")

DESCRIPTION = """The LIFE ACT Knowledge Explorer: the five Danish regions and the municipalities that
carry out their climate action plans in LIFE ACT's 11 work packages, as a graph.

Names are Danish and may be typed with or without æ, ø and å (`Kobenhavn`, `Århus`).
Every error is JSON: `{"error": {"status", "code", "message", "expected", "suggestions"}}`; `code` is
stable, `message` and `expected` are in the request's language.

Danish by default; English with `?lang=en` or `Accept-Language: en` (`lang` wins)."""


# The groups of operations in /docs and /redoc, in this order, each with what it is for.
TAGS: list[dict[str, str]] = [
    {"name": "health", "description": "Whether the explorer and its graph store answer"},
    {"name": "graph", "description": "What the loaded graph holds"},
    {"name": "regions", "description": "The five Danish regions"},
    {"name": "municipalities", "description": "The 98 municipalities: who takes part in what, neighbours, themes, roles"},
    {"name": "work packages", "description": "LIFE ACT's 11 work packages and their tasks"},
    {"name": "themes", "description": "The vocabulary of climate themes that tasks and work packages address"},
    {
        "name": "programmes and organisations",
        "description": "LIFE ACT, DK2020, Klimaalliancen, and the organisations the sources name",
    },
    {
        "name": "relationships",
        "description": "Across the graph: overlaps, replication candidates, paths, neighbourhoods, search, gaps, centrality",
    },
    {
        "name": "knowledge",
        "description": "Solutions, adoptions, observations, indicators and resources: read by all, written with a token",
    },
    {"name": "exports", "description": "The whole graph as one file for Gephi, yEd, Cytoscape, NetworkX or Excel"},
    {"name": "views", "description": "The pages: HTML for people, SVG and PNG for reports"},
    {"name": "console", "description": "Read-only Cypher queries (on when LIFEACT_CYPHER_CONSOLE=true)"},
]

BACKGROUND_START_DELAY_SECONDS = 5.0

# Modules with `install(app, settings)`, run in this order after the error handlers.
APP_HOOKS: list[str] = [
    "app.api.middleware",
    "app.api.docs",
    "app.api.contract",
    "app.api.openapi_text",  # after contract: translates its finished schema
    "app.api.routes.cypher",
    "app.api.routes.exports",
    "app.views",
]


def build_routes(app: FastAPI) -> int:
    """Have FastAPI build every route of the included routers now; how many routers it built.

    FastAPI (0.16x) builds an included router's routes (a pydantic field per parameter and
    response, 600 in all here, 0.3 s) when a request first passes through that router, so the
    first visitors of each part of the API paid for it. The methods called are FastAPI's own
    (`effective_candidates`, `effective_low_priority_routes`); if a release drops them this builds
    nothing and tests/api/test_startup.py fails."""
    built = 0
    pending: list[Any] = list(app.router.routes)
    while pending:
        route = pending.pop()
        candidates = getattr(route, "effective_candidates", None)
        low_priority = getattr(route, "effective_low_priority_routes", None)
        if callable(candidates) and callable(low_priority):
            pending.extend(candidates())  # nested routers come back as routers to build
            low_priority()
            built += 1
    return built


def warm_process(app: FastAPI) -> None:
    """The language catalogues (0.1 s each) and the routes (0.3 s), compiled once per process."""
    i18n.load_catalogues()
    build_routes(app)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tune_garbage_collection()
        # What every process pays once, after the start rather than in its first visitors' answers.
        warming = threading.Timer(BACKGROUND_START_DELAY_SECONDS, warm_process, args=(app,))
        warming.daemon = True
        warming.start()
        handle = open_store(settings)
        app.state.settings = settings
        app.state.store_handle = handle
        app.state.model = ReadModel(handle.store)
        # The embedded store's folder names this server, so that `lifeact load` hands loads to it.
        listener = (
            load_control.start_listener(
                settings.embedded_path, load_control.in_process_load(app.state.model, settings.load_batch_size)
            )
            if settings.backend == "embedded"
            else None
        )
        try:
            if handle.store.is_empty():
                log.info("the %s store is empty; loading the seed from %s", handle.store.backend, settings.seed_path)
                report = loader.load(handle.store, settings.seed_path, settings.load_batch_size)
                log.info("loaded %d rows in %.2f s", report.rows, report.seconds)
            if settings.warm_on_start:
                log.info("name index built in %.3f s", app.state.model.warm())
            # Centrality and the overlap ranking, on their own threads (app.services.read_model), a
            # moment after start: at EU scale they hold the interpreter for seconds, and the first
            # visitors should not wait beside them. A request for one starts it at once.
            app.state.model.start_background_later(BACKGROUND_START_DELAY_SECONDS)
        except StoreUnavailable as exc:
            # Serve anyway: /health says why, and the API answers 503 until the store is back.
            log.warning("starting without a reachable store: %s", exc)
        try:
            yield
        finally:
            warming.cancel()
            app.state.model.cancel_pending()
            if listener is not None:
                listener.close()
            handle.close()

    app = FastAPI(
        title="LIFE ACT Knowledge Explorer",
        version="0.1.0",
        description=DESCRIPTION,
        # The console's group only when it is on: off, the schema does not advertise it.
        openapi_tags=[tag for tag in TAGS if tag["name"] != "console" or settings.cypher_console],
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc come from app.api.docs, with their assets served here (no CDN)
        redoc_url=None,
    )
    install_error_handlers(app)
    for hook in APP_HOOKS:  # middleware, static assets and page routers of the later layers
        importlib.import_module(hook).install(app, settings)
    for module in (
        health,
        stats,
        regions,
        municipalities,
        work_packages,
        tasks,
        themes,
        programmes,
        relationships,
        solutions,
        observations,
        resources,
        knowledge_reads,
    ):
        app.include_router(module.router, dependencies=[LANGUAGE_PARAMETER])
    return app


app = create_app()
