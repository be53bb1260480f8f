"""The API docs, `/docs` (Swagger UI) and `/redoc` (ReDoc), served whole from this app.

FastAPI's own pages load Swagger UI and ReDoc from a CDN, which the app's Content-Security-Policy
(rightly) blocks, so they stayed blank. Here the bundles come from the `fastapi-offline` package
(Swagger UI, ReDoc and a favicon, pinned in pyproject.toml) and are served under /docs/assets/
with the app's long cache headers; Swagger UI is started by a static file (app/static/docs/),
so the pages need no inline script: their own policy is the app's without 'unsafe-inline' for
scripts. ReDoc starts by itself from its <redoc> element; its page also allows workers from
blob: URLs (ReDoc builds its search index in one). No request leaves the machine: no fonts, no
favicon from elsewhere, Swagger UI's online validator is off, and ReDoc's bundle is served with
its one remote URL (the Redocly logo in its menu) swapped for an empty local image.

fastapi-offline 1.7.7 (MIT) ships Swagger UI 5.32.6 (Apache-2.0) and ReDoc 2.5.3 (MIT).
`install(app, settings)` is listed in app.main.APP_HOOKS; app.main turns FastAPI's pages off.
"""

from __future__ import annotations

import hashlib
from functools import cache
from html import escape
from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

from app.api.middleware import content_security_policy
from app.i18n import current_language, language_switch
from app.i18n import gettext as _
from app.paths import STATIC_DIR
from app.settings import Settings
from app.views import CachedStaticFiles

ASSETS_URL = "/docs/assets"
OWN_ASSETS = STATIC_DIR / "docs"  # swagger-init.js, docs-languages.js
VENDOR_PACKAGE = ("fastapi_offline", "static")  # swagger-ui-bundle.js, swagger-ui.css, redoc.standalone.js, favicon.png
REDOC_BUNDLE = "redoc.standalone.js"
# ReDoc always shows the Redocly logo from its CDN in the menu's "API docs by Redocly" link; the
# CSP would block it (with a console error), so the bundle is served with an empty image instead.
REDOC_REMOTE_URLS = {
    "https://cdn.redoc.ly/redoc/logo-mini.svg": "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"
}
STATIC_CACHE = "public, max-age=31536000, immutable"  # as app.views: the pages link assets with ?v=<hash>

# Both pages are in the request's language (app.api.language) and load the schema in it
# (`/openapi.json?lang=…`, app.api.openapi_text); a switch above the UI opens the same page in the
# other language, keeping the place the reader is at (docs-languages.js adds the #fragment).
LANGUAGE_BAR = """<nav class="docs-languages" aria-label="{label}">{links}</nav>\n"""
LANGUAGE_STYLE = """<style>
.docs-languages { font: 14px/1.4 system-ui, sans-serif; padding: 6px 16px; text-align: right; background: #f4f6f8;
  border-bottom: 1px solid #d5dde3; }
.docs-languages a, .docs-languages strong { margin-left: 12px; }
</style>"""

SWAGGER_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - Swagger UI</title>
<link rel="icon" type="image/png" href="{favicon}">
<link rel="stylesheet" href="{css}">
{style}
</head>
<body>
{languages}<div id="swagger-ui" data-openapi-url="{openapi}"></div>
<noscript>{noscript}</noscript>
<script src="{bundle}"></script>
<script src="{init}"></script>
<script src="{switch}"></script>
</body>
</html>
"""

REDOC_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - ReDoc</title>
<link rel="icon" type="image/png" href="{favicon}">
<style>body {{ margin: 0; padding: 0; }}</style>
{style}
</head>
<body>
{languages}<noscript>{noscript}</noscript>
<redoc spec-url="{openapi}"></redoc>
<script src="{bundle}"></script>
<script src="{switch}"></script>
</body>
</html>
"""


def assets_files() -> StaticFiles:
    return CachedStaticFiles(directory=OWN_ASSETS, packages=[VENDOR_PACKAGE])


@cache
def _asset_path(name: str) -> Path:
    for folder in assets_files().all_directories:
        path = Path(folder) / name
        if path.is_file():
            return path
    raise FileNotFoundError(f"no API docs asset {name!r} in {OWN_ASSETS} or the {VENDOR_PACKAGE[0]} package")


@cache
def redoc_bundle() -> bytes:
    """ReDoc's bundle without its remote URLs; an upgrade that moves one fails here, not silently."""
    text = _asset_path(REDOC_BUNDLE).read_text(encoding="utf-8")
    for remote, local in REDOC_REMOTE_URLS.items():
        if text.count(remote) != 1:
            raise RuntimeError(f"{REDOC_BUNDLE}: expected {remote} once; review REDOC_REMOTE_URLS in {__name__}")
        text = text.replace(remote, local)
    return text.encode("utf-8")


@cache
def asset_url(name: str) -> str:
    """Versioned by content, so the assets can be cached for a year and still change with an upgrade."""
    content = redoc_bundle() if name == REDOC_BUNDLE else _asset_path(name).read_bytes()
    return f"{ASSETS_URL}/{name}?v={hashlib.sha256(content).hexdigest()[:12]}"


def docs_policy(frame_ancestors: str, workers: bool = False) -> str:
    """The app's policy, but no inline script (the docs pages have none); ReDoc's also lets it
    start its search worker from a blob: URL."""
    policy = content_security_policy(frame_ancestors, inline_scripts=False)
    return policy.replace("; frame-ancestors", "; worker-src 'self' blob:; frame-ancestors") if workers else policy


def _page_text(openapi_url: str) -> dict[str, str]:
    """What both pages say themselves, in the current language; the schema's URL carries it."""
    language = current_language()
    localized_url = f"{openapi_url}?{urlencode({'lang': language})}"
    link = f'<a href="{escape(localized_url)}">{escape(localized_url)}</a>'
    links = "".join(
        f'<strong lang="{choice["code"]}">{escape(str(choice["name"]))}</strong>'
        if choice["current"]
        else f'<a href="{escape(str(choice["href"]))}" hreflang="{choice["code"]}" lang="{choice["code"]}" '
        f'data-role="language">{escape(str(choice["name"]))}</a>'
        for choice in language_switch()
    )
    return {
        "lang": language,
        "openapi": escape(localized_url),
        "noscript": _("The API docs need JavaScript; the schema itself is at {link}.").format(link=link),
        "languages": LANGUAGE_BAR.format(label=escape(_("Language")), links=links) if links else "",
        "favicon": asset_url("favicon.png"),
        "switch": asset_url("docs-languages.js"),
        "style": LANGUAGE_STYLE,
    }


def swagger_html(title: str, openapi_url: str) -> str:
    return SWAGGER_PAGE.format(
        title=escape(title),
        css=asset_url("swagger-ui.css"),
        bundle=asset_url("swagger-ui-bundle.js"),
        init=asset_url("swagger-init.js"),
        **_page_text(openapi_url),
    )


def redoc_html(title: str, openapi_url: str) -> str:
    return REDOC_PAGE.format(title=escape(title), bundle=asset_url("redoc.standalone.js"), **_page_text(openapi_url))


def install(app: FastAPI, settings: Settings) -> None:
    openapi_url = app.openapi_url or "/openapi.json"
    swagger_headers = {"Content-Security-Policy": docs_policy(settings.frame_ancestors), "Cache-Control": "no-cache"}
    redoc_headers = {**swagger_headers, "Content-Security-Policy": docs_policy(settings.frame_ancestors, workers=True)}

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(swagger_html(app.title, openapi_url), headers=swagger_headers)

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return HTMLResponse(redoc_html(app.title, openapi_url), headers=redoc_headers)

    @app.get(f"{ASSETS_URL}/{REDOC_BUNDLE}", include_in_schema=False)
    def redoc_script() -> Response:  # before the mount, which would serve the unpatched file
        return Response(redoc_bundle(), media_type="text/javascript; charset=utf-8", headers={"Cache-Control": STATIC_CACHE})

    app.mount(ASSETS_URL, assets_files(), name="docs-assets")
