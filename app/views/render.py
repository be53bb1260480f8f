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

from app import i18n, models
from app.i18n import gettext as _
from app.paths import STATIC_DIR, TEMPLATE_DIR
from app.services.knowledge import words
from app.services.sessions import Session
from app.views.boundaries import boundary_credit
from app.views.graphs import ViewGraph, neighbourhood_graph
from app.views.styles import DASHED_TYPES, EDGE_LABELS, KIND_STYLES, UNDIRECTED_TYPES, edge_label, kind_label, kind_plural

VIS_DIR = "vendor/vis-network-9.1.2"

# The scripts and styles each kind of page needs, in load order (paths under /static).
PAGE_ASSETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "graph": ((f"{VIS_DIR}/vis-network.min.js", "views/graph.js"), (f"{VIS_DIR}/vis-network.css", "views/views.css")),
    "map": ((), ("views/views.css",)),
    "home": (("views/home.js",), ("views/views.css",)),
    "error": ((), ("views/views.css",)),
    "solutions": ((), ("views/views.css", "views/solutions.css")),
    "solution": (("views/spread.js",), ("views/views.css", "views/solutions.css")),
    "console": (("views/console.js",), ("views/views.css", "views/console.css")),
}


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
    extensions=["jinja2.ext.i18n"],
)
# `_()` in templates reads the language of the moment (app.i18n's ContextVar), like the services.
ENVIRONMENT.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
ENVIRONMENT.filters["script_json"] = _script_json
ENVIRONMENT.globals["kind_styles"] = KIND_STYLES
ENVIRONMENT.globals["kind_label"] = kind_label
ENVIRONMENT.globals["status_word"] = words.status_word
ENVIRONMENT.globals["resource_kind_word"] = words.resource_kind_word
ENVIRONMENT.globals["provenance_text"] = words.provenance_text
ENVIRONMENT.globals["kind_plural"] = kind_plural
ENVIRONMENT.globals["current_language"] = i18n.current_language
ENVIRONMENT.globals["language_switch"] = i18n.language_switch
ENVIRONMENT.globals["link_language"] = i18n.language_in_links
ENVIRONMENT.globals["boundary_credit"] = boundary_credit


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


def edge_styles() -> dict[str, dict[str, Any]]:
    """How each relationship type is drawn and read, in the current language."""
    styles: dict[str, dict[str, Any]] = {
        rel_type: {
            "label": edge_label(rel_type),
            "dashes": rel_type in DASHED_TYPES,
            "arrows": "" if rel_type in UNDIRECTED_TYPES else "to",
        }
        for rel_type in EDGE_LABELS
    }
    styles["CANDIDATE_FOR"]["color"] = "#D55E00"
    return styles


def page_texts() -> dict[str, str]:
    """What graph.js writes into the page, in the current language (the script holds no words of its own)."""
    return {
        "source": _("Source"),
        "sourceFor": _("Source for {name}"),
        "sourceTerm": _("source"),  # the details panel's terms are lower case
        "sourceForTerm": _("source for {name}"),
        "expand": _("Expand: show all {label}"),
        "recenter": _("Centre the view on {name}"),
        "noMatch": _("No node in the view matches."),
        "matches": _("{count} matches; showing {name}"),
    }


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
    """A link inside a page; it carries `lang` when the reader chose one, so a click keeps the language."""
    wanted = {k: v for k, v in params.items() if v is not None and v != ""}
    lang = i18n.language_in_links()
    if lang and "lang" not in wanted:
        wanted["lang"] = lang
    query = urlencode(wanted)
    return f"{path}?{query}" if query else path


def account(session: Session | None, path: str) -> dict[str, Any]:
    """What _account.html shows: who is signed in, the session's CSRF token for the forms, and a
    sign-in link that comes back to `path`."""
    return {
        "signed_in": session is not None and session.principal is not None,
        "who": session.principal.name if session and session.principal else "",
        "csrf": session.csrf if session else "",
        "sign_in_href": with_query("/sign-in", next=path),
    }


def editor_controls(session: Session | None, path: str) -> dict[str, Any]:
    """A page with a form that writes: the account bar, and whether to show the form at all."""
    return {"account": account(session, path), "can_edit": session is not None and session.can_edit}


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
        "kinds": {k: {"label": kind_label(k), "color": KIND_STYLES[k].color} for k in graph.kinds},
        "edgeStyles": edge_styles(),
        "lang": i18n.language_in_links() or "",
        "text": page_texts(),
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


ENVIRONMENT.globals["link"] = with_query
