"""Server-side HTML for the views: one shared Jinja2 environment, graph data handed to the page
as one JSON block, scripts and styles served from /static (or in-lined for downloads).

`render_neighbourhood_html(neighbourhood)` and `render_graph_html(view_graph)` render without HTTP
(the benchmarks time them)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

import orjson
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from app import models
from app.paths import STATIC_DIR, TEMPLATE_DIR
from app.views.boundaries import BOUNDARY_CREDIT
from app.views.graphs import ViewGraph, neighbourhood_graph
from app.views.styles import DASHED_TYPES, EDGE_LABELS, KIND_STYLES, UNDIRECTED_TYPES

VIS_DIR = "vendor/vis-network-9.1.2"

# The scripts and styles each kind of page needs, in load order (paths under /static).
PAGE_ASSETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "graph": ((f"{VIS_DIR}/vis-network.min.js", "views/graph.js"), (f"{VIS_DIR}/vis-network.css", "views/views.css")),
    "map": ((), ("views/views.css",)),
    "home": (("views/home.js",), ("views/views.css",)),
    "error": ((), ("views/views.css",)),
    "solutions": ((), ("views/views.css", "views/solutions.css")),
    "solution": (("views/spread.js",), ("views/views.css", "views/solutions.css")),
}


def gettext(message: str, **values: Any) -> str:
    """Until the catalogues arrive (app.i18n), the English msgid itself, with its %(name)s values."""
    return message % values if values else message


def _script_json(value: Any) -> Markup:
    """JSON that is safe inside <script>: no `</script>`, no HTML comment, no line separators."""
    text = orjson.dumps(value).decode()
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


ENVIRONMENT = Environment(
    loader=FileSystemLoader(TEMPLATE_DIR),
    autoescape=select_autoescape(["html"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,
)
ENVIRONMENT.filters["script_json"] = _script_json
ENVIRONMENT.globals["kind_styles"] = KIND_STYLES
ENVIRONMENT.globals["boundary_credit"] = BOUNDARY_CREDIT
ENVIRONMENT.globals.setdefault("_", gettext)


@cache
def asset_version(path: str) -> str:
    return hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:12]


@cache
def asset_text(path: str) -> str:
    return (STATIC_DIR / path).read_text(encoding="utf-8")


def asset_url(path: str) -> str:
    """Versioned, so the static files can be cached for a year and still change with the code."""
    return f"/static/{path}?v={asset_version(path)}"


ENVIRONMENT.globals["asset_url"] = asset_url


@dataclass(frozen=True)
class Assets:
    scripts: list[dict[str, str]]
    styles: list[dict[str, str]]


def page_assets(page: str, inline: bool) -> Assets:
    scripts, styles = PAGE_ASSETS[page]
    if inline:
        return Assets(
            scripts=[{"text": Markup(asset_text(p))} for p in scripts], styles=[{"text": Markup(asset_text(p))} for p in styles]
        )
    return Assets(scripts=[{"src": asset_url(p)} for p in scripts], styles=[{"href": asset_url(p)} for p in styles])


@cache
def vis_options() -> dict[str, Any]:
    """vis-network options, assembled once with pyvis's Options model and then tuned: straight edges,
    150 stabilisation iterations, a coarser Barnes–Hut (theta 0.8) and no `improvedLayout` settle
    500 nodes in about a second in headless Chromium (pyvis's defaults take tens of seconds)."""
    from pyvis.network import Network  # only page rendering needs it

    network = Network(directed=True)
    network.options.edges.smooth.enabled = False
    network.options.physics.stabilization.iterations = 150
    network.options.physics.stabilization.updateInterval = 25
    options = json.loads(network.options.to_json())
    options["edges"]["color"] = {"color": "#9aa0a6", "highlight": "#333333", "hover": "#333333", "inherit": False}
    options["edges"]["width"] = 1
    options["edges"]["arrows"] = {"to": {"enabled": False, "scaleFactor": 0.5}}
    options["layout"] = {"improvedLayout": False, "randomSeed": 7}
    options["physics"].update(
        {
            "solver": "barnesHut",
            "barnesHut": {
                "theta": 0.8,
                "gravitationalConstant": -6000,
                "springLength": 120,
                "springConstant": 0.04,
                "avoidOverlap": 0.2,
            },
            "minVelocity": 1.0,
        }
    )
    options["interaction"].update({"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False})
    options["nodes"] = {"font": {"size": 13, "face": "system-ui, sans-serif"}, "borderWidth": 1}
    return options


EDGE_STYLES = {
    rel_type: {"label": label, "dashes": rel_type in DASHED_TYPES, "arrows": "" if rel_type in UNDIRECTED_TYPES else "to"}
    for rel_type, label in EDGE_LABELS.items()
}
EDGE_STYLES["CANDIDATE_FOR"]["color"] = "#D55E00"


@dataclass(frozen=True)
class GraphLinks:
    """Where a graph page's buttons lead; every value is a URL the route built (escaped by Jinja)."""

    permalink: str = ""
    download: str = ""
    svg: str = ""
    png: str = ""
    recenter_base: str = "/views/graph"  # absolute in downloads, so that links lead back to the server
    depth: int = 1
    center_ref: str = ""  # the centre as the permalink names it, and the hubs it expands: a group's click adds one
    expand: tuple[str, ...] = ()


def with_query(path: str, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v is not None and v != ""})
    return f"{path}?{query}" if query else path


def render_graph_html(
    graph: ViewGraph,
    links: GraphLinks | None = None,
    *,
    inline_assets: bool = False,
    view: str = "graph",
    controls: dict[str, Any] | None = None,
) -> str:
    links = links or GraphLinks()
    data = {
        "nodes": graph.nodes,
        "edges": graph.edges,
        "options": {**vis_options(), "physics": {"enabled": False}} if graph.positioned else vis_options(),
        "center": graph.center,
        "recenter": links.recenter_base,
        "depth": links.depth,
        "centerRef": links.center_ref,
        "expand": list(links.expand),
        "kinds": {k: {"label": KIND_STYLES[k].label, "color": KIND_STYLES[k].color} for k in graph.kinds},
        "edgeStyles": EDGE_STYLES,
    }
    return ENVIRONMENT.get_template("graph.html").render(
        graph=graph,
        data=data,
        links=links,
        assets=page_assets("graph", inline_assets),
        downloaded=inline_assets,
        view=view,
        controls=controls or {},
    )


def render_neighbourhood_html(neighbourhood: models.Neighbourhood, *, inline_assets: bool = False) -> str:
    """The graph view's HTML for a neighbourhood, without HTTP (what /views/graph serves)."""
    expand = tuple(ref.name for ref in neighbourhood.expanded)
    params = {"center": neighbourhood.center.name, "depth": neighbourhood.depth, "expand": ",".join(expand)}
    links = GraphLinks(
        permalink=with_query("/views/graph", **params),
        download=with_query("/views/graph", **params, download=1),
        svg=with_query("/views/graph.svg", **params),
        png=with_query("/views/graph.png", **params),
        depth=neighbourhood.depth,
        center_ref=neighbourhood.center.name,
        expand=expand,
    )
    return render_graph_html(neighbourhood_graph(neighbourhood), links, inline_assets=inline_assets)


def render_page(template: str, page: str, *, inline_assets: bool = False, **context: Any) -> str:
    return ENVIRONMENT.get_template(template).render(assets=page_assets(page, inline_assets), downloaded=inline_assets, **context)


def content_security_policy(frame_ancestors: str) -> str:
    """The policy agreed with the security headers middleware, with the configured framing sources."""
    sources = " ".join(frame_ancestors.replace(";", " ").split()) or "'self'"  # one directive, one header line
    return (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data:; connect-src 'self'; frame-ancestors {sources}"
    )
