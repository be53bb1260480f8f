"""HTML views: the explorer home, network views, the map, and SVG/PNG for reports.

Every view's URL holds all it needs (a permalink); `download=1` gives one self-contained file.
Errors here are HTML pages (friendly 404 with suggestions, 422 saying what fits), not JSON."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response

from app import brief, models
from app.api.deps import ModelDep, SessionDep, SettingsDep
from app.api.errors import describe_validation
from app.api.params import expand_query, name_path, name_query
from app.graph.store import StoreUnavailable
from app.i18n import gettext as _
from app.services import traversal
from app.services.errors import InvalidParameter, NotFound, ServiceError, Unavailable
from app.services.read_model import ReadModel
from app.services.sessions import Session
from app.services.text import fold, shorten
from app.settings import Settings
from app.views import graphs, monitoring, pages, resource_pages, static_image
from app.views.render import GraphLinks, content_security_policy, render_graph_html, with_query

# What a view answers: its page (or picture), and its errors as HTML pages, not JSON.
HTML = {"text/html": {"schema": {"type": "string"}}}
ERROR_PAGES: dict[int | str, dict[str, Any]] = {
    404: {"description": "Nothing by that name: a page with links to close matches", "content": HTML},
    422: {"description": "A parameter is missing, out of range or malformed: a page saying what fits", "content": HTML},
    503: {"description": "The graph store cannot be reached: a page saying so", "content": HTML},
}
PAGE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The page; with `download=1` one self-contained file (Content-Disposition: attachment)",
        "content": HTML,
    }
}


def _picture(media_type: str, what: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": what, "content": {media_type: {"schema": {"type": "string", "format": "binary"}}}}}


router = APIRouter(tags=["views"], responses=ERROR_PAGES, default_response_class=HTMLResponse)

Text = Annotated[str | None, Query(max_length=400)]
Expand = Annotated[str | None, expand_query("Comma-separated hubs to draw in full, e.g. `Klimaalliancen`")]
Depth = Annotated[int, Query(ge=1, le=3, description="1 to 3 steps from the centre")]
Limit = Annotated[int | None, Query(ge=1, le=100, description="Candidates, 1 to 100 (default 10)")]
Download = Annotated[bool, Query(description="1: one self-contained HTML file, saved rather than shown")]


class ViewError(Exception):
    """A service error plus how to turn a suggestion into a link to the same view."""

    def __init__(self, error: ServiceError, suggest: Callable[[str], str] | None) -> None:
        self.error = error
        self.suggest = suggest


def _headers(settings: Settings, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {"Content-Security-Policy": content_security_policy(settings.frame_ancestors), **(extra or {})}


def _error_page(settings: Settings, error: ServiceError, suggest: Callable[[str], str] | None = None) -> HTMLResponse:
    links = [(s, suggest(s)) for s in error.suggestions] if suggest else []
    html = pages.render_error(error.status, error.message, error.expected, links)
    return HTMLResponse(html, status_code=error.status, headers=_headers(settings))


def _slug(*parts: str) -> str:
    return "-".join(key for key in (fold(p) for p in parts) if key)[:80] or "view"


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _html(settings: Settings, html: str, download: bool, filename: str) -> HTMLResponse:
    extra = {"Content-Disposition": f'attachment; filename="{filename}"'} if download else {}
    return HTMLResponse(html, headers=_headers(settings, extra))


def _view(settings: Settings, build: Callable[[], Response], suggest: Callable[[str], str] | None = None) -> Response:
    try:
        return build()
    except ServiceError as exc:
        return _error_page(settings, exc, suggest)
    except StoreUnavailable as exc:
        return _error_page(
            settings,
            Unavailable(
                _("the graph store is unavailable: {reason}").format(reason=shorten(str(exc), 200)), _("try again shortly")
            ),
        )


def _graph_document(
    request: Request,
    view: str,
    graph: graphs.ViewGraph,
    path: str,
    params: dict[str, object],
    download: bool,
    depth: int = 1,
    images: bool = False,
    controls: dict[str, object] | None = None,
    label: str = "",
    expand: tuple[str, ...] = (),
) -> tuple[str, str]:
    """A network page's HTML and the file name it is downloaded as."""
    base = _base(request) if download else ""
    links = GraphLinks(
        permalink=with_query(f"{base}{path}", **params),
        download=with_query(path, **params, download=1),
        svg=with_query(f"{base}/views/graph.svg", **params) if images else "",
        png=with_query(f"{base}/views/graph.png", **params) if images else "",
        recenter_base=f"{base}/views/graph",
        depth=depth,
        center_ref=str(params.get("center", "")),
        expand=expand,
    )
    html = render_graph_html(graph, links, inline_assets=download, view=view, controls=controls)
    return html, f"lifeact-{_slug(view, label, *map(str, params.values()))}.html"


def _as_page(settings: Settings, document: tuple[str, str], download: bool) -> HTMLResponse:
    html, filename = document
    return _html(settings, html, download, filename)


# -- explorer home ------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(
    model: ModelDep,
    settings: SettingsDep,
    q: Text = None,
    wp: Text = None,
    kommuner: Text = None,
    regioner: Text = None,
    temaer: Text = None,
    n: Annotated[int | None, Query(ge=1, le=100, description="items per list on the page")] = None,
) -> Response:
    """The home page; each list a page at a time (its cursor in wp, kommuner, regioner, temaer; n per page)."""

    def build() -> Response:
        size = n or pages.HOME_PAGE_SIZE
        cursors = {"wp": wp, "kommuner": kommuner, "regioner": regioner, "temaer": temaer}
        return HTMLResponse(pages.render_home(model, q, cursors, size), headers=_headers(settings))

    return _view(settings, build)


# -- network views ------------------------------------------------------------------------------
@router.get("/views/graph", responses=PAGE)
def graph_view(
    request: Request,
    model: ModelDep,
    settings: SettingsDep,
    session: SessionDep,
    center: Annotated[str, name_query("Any node: `LIFE ACT`, `Samsø`, `WP9`, `drought`", "Samsø")],
    depth: Depth = 1,
    download: Download = False,
    expand: Expand = None,
) -> Response:
    """A node's neighbourhood as an interactive network (`center=LIFE ACT&depth=3`: the whole project).
    A hub's many relationships of one type are one group node; a click on it (or `expand`) unfolds it."""

    def build() -> Response:
        html, filename, has_form = neighbourhood_document(request, model, session, center, depth, expand, download)
        response = _as_page(settings, (html, filename), download)
        if has_form:  # it carries the session's CSRF token
            response.headers["Cache-Control"] = "no-store"
        return response

    return _view(settings, build, lambda s: _graph_suggestion(model, "/views/graph", s, center, depth, expand))


def neighbourhood_document(
    request: Request,
    model: ReadModel,
    session: Session | None,
    center: str,
    depth: int,
    expand: str | None,
    download: bool = False,
    resource_form: dict[str, Any] | None = None,
) -> tuple[str, str, bool]:
    """A node's network page, its file name, and whether it carries a CSRF token; a task's, theme's or
    solution's page lists the resources that serve it (with the form that adds one, never in a
    download; `resource_form` is what someone sent there, refused, to show again)."""
    hood = traversal.neighbourhood(model, center, depth, expand=expand)
    opened = tuple(ref.name for ref in hood.expanded)
    controls: dict[str, object] = {"depth_form": True, "center": center, "depth": depth, "expand": ",".join(opened)}
    controls |= _related_pages(hood.center)
    params: dict[str, object] = {"center": center, "depth": depth} | ({"expand": ",".join(opened)} if opened else {})
    served = None
    if hood.center.kind in _RESOURCE_FILTERS:
        here = with_query("/views/graph", **params)
        what, key = _RESOURCE_FILTERS[hood.center.kind], hood.center.id.split(":", 1)[-1]
        served = resource_pages.served_context(model, what, key, None if download else session, here, resource_form)
        controls["served"] = served
    graph = graphs.neighbourhood_graph(hood)
    html, filename = _graph_document(
        request, "graph", graph, "/views/graph", params, download, depth, True, controls, expand=opened
    )
    return html, filename, bool(served and served["csrf"])


_RESOURCE_FILTERS = {"Task": "task", "Theme": "theme", "Solution": "solution"}


def _related_pages(center: models.Ref) -> dict[str, str]:
    """Links from a node's network to its pages of knowledge: the resources that serve a task,
    theme or solution; a municipality's observations as charts."""
    key = center.id.split(":", 1)[-1]
    if center.kind in _RESOURCE_FILTERS:
        return {"resources": resource_pages.resources_url(**{_RESOURCE_FILTERS[center.kind]: key})}
    if center.kind == "Municipality":
        return {"observations": monitoring.subject_url(center.name)}
    return {}


def _graph_suggestion(model: ModelDep, path: str, name: str, center: str, depth: int, expand: str | None) -> str:
    """The same graph with the suggestion in place of whichever name did not resolve: the centre or a hub."""
    try:
        model.resolve(center or "")
    except ServiceError:
        return with_query(path, center=name, depth=depth, expand=expand)
    hubs = []
    for part in (expand or "").split(","):
        try:
            hubs.append(model.resolve(part).name)
        except ServiceError:
            hubs.append(name)
    return with_query(path, center=center, depth=depth, expand=",".join(dict.fromkeys(hubs)))


def _image(model: ModelDep, settings: SettingsDep, center: str, steps: int, fmt: str, expand: str | None) -> Response:
    def build() -> Response:
        name = center
        graph = graphs.neighbourhood_graph(traversal.neighbourhood(model, name, steps, expand=expand))
        media = "image/svg+xml" if fmt == "svg" else "image/png"
        filename = f"lifeact-graph-{_slug(name, str(steps))}.{fmt}"
        return Response(
            static_image.draw(graph, fmt),
            media_type=media,
            headers=_headers(settings, {"Content-Disposition": f'inline; filename="{filename}"'}),
        )

    return _view(settings, build, lambda s: _graph_suggestion(model, f"/views/graph.{fmt}", s, center, steps, expand))


Center = Annotated[str, name_query("Any node: `LIFE ACT`, `Samsø`, `WP9`, `drought`", "Samsø")]


@router.get("/views/graph.svg", response_class=Response, responses=_picture("image/svg+xml", "The picture as SVG"))
def graph_svg(model: ModelDep, settings: SettingsDep, center: Center, depth: Depth = 1, expand: Expand = None) -> Response:
    """The graph view as SVG (legend and caption included), for Word and PDF reports."""
    return _image(model, settings, center, depth, "svg", expand)


@router.get("/views/graph.png", response_class=Response, responses=_picture("image/png", "The picture as PNG"))
def graph_png(model: ModelDep, settings: SettingsDep, center: Center, depth: Depth = 1, expand: Expand = None) -> Response:
    """The graph view as PNG (legend and caption included)."""
    return _image(model, settings, center, depth, "png", expand)


@router.get("/views/overlap", responses=PAGE)
def overlap_view(
    request: Request,
    model: ModelDep,
    settings: SettingsDep,
    a: Annotated[str, name_query("A municipality", "Aalborg")],
    b: Annotated[str, name_query("Another municipality", "Samsø")],
    download: Download = False,
) -> Response:
    """What two municipalities share: their work packages and the themes both reach."""

    def build() -> Response:
        graph = graphs.overlap_graph(model, a, b)
        document = _graph_document(request, "overlap", graph, "/views/overlap", {"a": a, "b": b}, download)
        return _as_page(settings, document, download)

    def suggest(name: str) -> str:
        try:  # replace whichever of the two did not resolve
            model.resolve(a, ("Municipality",))
        except ServiceError:
            return with_query("/views/overlap", a=name, b=b)
        return with_query("/views/overlap", a=a, b=name)

    return _view(settings, build, suggest)


@router.get("/views/replication", responses=PAGE)
def replication_view(
    request: Request,
    model: ModelDep,
    settings: SettingsDep,
    target: Annotated[str, name_query("`WP9`, `T.9.1` or a theme such as `sea-level-rise`", "T.9.1")],
    limit: Limit = None,
    download: Download = False,
) -> Response:
    """Where a solution could spread next: the participants and the best-scored candidates."""

    def build() -> Response:
        count = limit or 10
        graph = graphs.replication_graph(model, target, count)
        params: dict[str, object] = {"target": target} | ({"limit": count} if limit else {})
        document = _graph_document(request, "replication", graph, "/views/replication", params, download)
        return _as_page(settings, document, download)

    return _view(settings, build, lambda s: with_query("/views/replication", target=s, limit=limit))


@router.get("/views/work-packages/{code}", responses=PAGE)
def work_package_view(
    request: Request,
    model: ModelDep,
    settings: SettingsDep,
    code: Annotated[str, name_path("`WP9`, `wp9` or `9`", "WP9")],
    download: Download = False,
) -> Response:
    """A work package: lead, partners, municipalities, tasks and the themes they address."""

    def build() -> Response:
        wanted = download
        graph = graphs.work_package_graph(model, code)
        wp_code = graph.nodes[0]["ref"] if graph.nodes else code
        path = f"/views/work-packages/{wp_code}"
        return _as_page(settings, _graph_document(request, "work-package", graph, path, {}, wanted, label=wp_code), wanted)

    return _view(settings, build, lambda s: with_query(f"/views/work-packages/{_wp_code(s)}"))


def _wp_code(suggestion: str) -> str:
    """Suggestions are names such as `WP9: Havvandsstigninger`; the URL wants the code."""
    return re.sub(r"[^A-Za-z0-9.]", "", suggestion.split(":")[0]) or "WP1"


@router.get("/views/map", responses=PAGE)
def map_view(
    request: Request,
    model: ModelDep,
    settings: SettingsDep,
    target: Annotated[str | None, name_query("Colour by replication score for this target", "T.9.1")] = None,
    download: Download = False,
) -> Response:
    """Denmark's 98 municipalities: participation in LIFE ACT, or replication score for a target."""

    def build() -> Response:
        wanted = download
        chosen = target.strip() if target and target.strip() else None
        html = pages.render_map(model, chosen, inline_assets=wanted, base=_base(request) if wanted else "")
        return _html(settings, html, wanted, f"lifeact-map-{_slug(chosen or _('participation'))}.html")

    return _view(settings, build, lambda s: with_query("/views/map", target=s))


@router.get("/views/brief", responses=PAGE)
def brief_view(
    model: ModelDep,
    settings: SettingsDep,
    target: Annotated[str, name_query("`T.9.1`, `WP9`, a theme such as `drought`, or a solution", "T.9.1")],
    limit: Limit = None,
    download: Download = False,
) -> Response:
    """A replication brief: one self-contained, printable page (what `lifeact brief` writes); for a
    solution also its spread (adoptions as a timeline), its resources and sources."""

    def build() -> Response:
        count = limit or brief.DEFAULT_LIMIT
        return _html(settings, brief.render_brief(model, target, count), download, brief.brief_filename(target))

    return _view(settings, build, lambda s: with_query("/views/brief", target=s, limit=limit))


@router.get("/views/{rest:path}", response_class=HTMLResponse, include_in_schema=False)
def unknown_view(settings: SettingsDep, rest: str) -> Response:
    error = NotFound(
        _("there is no view called '{name}'").format(name=shorten(rest, 60)),
        expected=_("one of the views linked from the home page"),
        suggestions=["graph?center=LIFE ACT", "work-packages/WP1", "map"],
    )
    return _error_page(settings, error, lambda s: "/views/" + s.replace(" ", "+"))


def install(app: FastAPI) -> None:
    """A view's invalid parameter is answered as the views answer every error: an HTML page, with
    the same words as the API's JSON 422 (app.api.errors.describe_validation)."""
    answer_json = app.exception_handlers[RequestValidationError]

    async def validation_page(request: Request, exc: Exception) -> Response:
        route = request.scope.get("route")
        if route is None or "views" not in getattr(route, "tags", ()) or not isinstance(exc, RequestValidationError):
            return await answer_json(request, exc)
        message, expected = describe_validation(exc, request)
        return _error_page(request.app.state.settings, InvalidParameter(message, expected=expected))

    app.add_exception_handler(RequestValidationError, validation_page)
