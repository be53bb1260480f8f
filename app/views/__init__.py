"""Interactive network views, the map and the explorer home (issue 4).

`install(app, settings)` (listed in app.main.APP_HOOKS) serves app/static with long cache
headers and adds the HTML routes of app.api.routes.views."""

from __future__ import annotations

import os
from typing import Any

from fastapi import FastAPI
from starlette.responses import Response
from starlette.staticfiles import StaticFiles

from app.settings import Settings

STATIC_CACHE = "public, max-age=31536000, immutable"  # the pages link each asset with ?v=<content hash>


class CachedStaticFiles(StaticFiles):
    def file_response(self, full_path: Any, stat_result: os.stat_result, scope: Any, status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = STATIC_CACHE
        return response


def install(app: FastAPI, settings: Settings) -> None:
    from app.api.language import LANGUAGE_PARAMETER
    from app.api.routes import monitoring, resource_pages, sign_in, solution_pages, views
    from app.paths import STATIC_DIR

    app.mount("/static", CachedStaticFiles(directory=STATIC_DIR), name="static")
    # Before the views router: its catch-all answers every other /views/ address with a 404 page.
    for router in (monitoring.router, resource_pages.router, sign_in.router, solution_pages.router, views.router):
        app.include_router(router, dependencies=[LANGUAGE_PARAMETER])
    views.install(app)
