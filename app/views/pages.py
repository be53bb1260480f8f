"""The explorer's home page, the map and the error pages: their context from the services,
rendered through the shared environment in app.views.render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app import models
from app.i18n import gettext as _
from app.i18n import language_in_links, ngettext
from app.services import entities, overlap, replication, search
from app.services.errors import ServiceError
from app.services.paging import PageRequest, decode_cursor, encode_cursor
from app.services.read_model import ReadModel
from app.services.text import danish_key, shorten
from app.views.boundaries import boundary_credit, projected_map
from app.views.graphs import node_ref
from app.views.render import render_page, with_query
from app.views.styles import KIND_STYLES, kind_label, theme_name, title_of

NO_DATA = "#e3e3e3"
PARTICIPANT = "#1b4f9c"
# Sequential scales (ColorBrewer Greens / Oranges, 5 classes)
GREENS = ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"]
ORANGES = ["#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603"]


_KEY_PROPERTY = {"WorkPackage": "code", "Task": "code", "Theme": "slug", "Programme": "key", "Organisation": "key"}


def node_key(node_id: str) -> str:
    """A node's code, slug or key: its id after the kind (`workpackage:WP9` -> `WP9`)."""
    return node_id.split(":", 1)[-1]


def graph_href(center: str, depth: int = 1, base: str = "") -> str:
    return with_query(f"{base}/views/graph", center=center, depth=depth)


def _bins(values: list[float], colors: list[str]) -> list[tuple[float, float, str]]:
    """Equal-width classes from the smallest to the largest value."""
    low, high = min(values), max(values)
    if high == low:
        return [(low, high, colors[-1])]
    width = (high - low) / len(colors)
    return [(low + i * width, low + (i + 1) * width, color) for i, color in enumerate(colors)]


def _color(value: float, bins: list[tuple[float, float, str]]) -> str:
    for _low, high, color in bins:
        if value <= high + 1e-9:
            return color
    return bins[-1][2]


def map_context(model: ReadModel, target: str | None, base: str = "") -> dict[str, Any]:
    """Every municipality coloured by participation, or by replication score for a target."""
    projected = projected_map()
    municipalities = [m.model_dump() for m in entities.list_municipalities(model).data]
    by_code = {m["code"]: m for m in municipalities}
    shapes: list[dict[str, Any]] = []
    legend: list[tuple[str, str]] = []
    ranking: list[tuple[str, str, str]] = []
    if target:
        result = replication.replication(model, target, 100)
        scores = {c.code: c for c in result.candidates}
        participants = set(result.participants)
        bins = _bins([c.score for c in result.candidates] or [0.0], ORANGES)
        title = _("Map: where could {target} spread?").format(target=result.target.name)
        caption = _(
            "Replication score for {target} ({work_packages}): darker orange is a better candidate; "
            "blue municipalities already take part ({count})."
        ).format(target=result.target.name, work_packages=", ".join(result.work_packages), count=len(participants))
        legend = [(PARTICIPANT, _("already takes part"))] + [(c, f"score {lo:.2g}–{hi:.2g}") for lo, hi, c in bins]
        legend.append((NO_DATA, _("no score")))
        ranking = [
            (c.name, graph_href(c.name, 1, base), f"{c.score:g}: {c.reasons[0].detail if c.reasons else ''}")
            for c in result.candidates[:15]
        ]
    else:
        counts = [len(m["work_packages"]) for m in municipalities if m["work_packages"]]
        high = max(counts, default=1)
        title = _("Map: participation in LIFE ACT")
        caption = _(
            "Number of work packages each municipality takes part in ({count} of {total} municipalities take part)."
        ).format(count=len(counts), total=len(municipalities))
        legend = [
            (
                GREENS[min(len(GREENS) - 1, round((n - 1) * (len(GREENS) - 1) / max(high - 1, 1)))],
                ngettext("{count} work package", "{count} work packages", n).format(count=n),
            )
            for n in range(1, high + 1)
        ]
        legend.append((NO_DATA, _("does not take part")))
        top = sorted(
            (m for m in municipalities if m["work_packages"]),
            key=lambda m: (-len(m["work_packages"]), danish_key(m["name"])),
        )
        ranking = [(m["name"], graph_href(m["name"], 1, base), ", ".join(m["work_packages"])) for m in top[:15]]
    for shape in projected.shapes:
        m = by_code.get(shape.code)
        name = m["name"] if m else shape.name
        if target:
            if name in participants:
                fill, note = PARTICIPANT, _("already takes part")
            elif shape.code in scores:
                candidate = scores[shape.code]
                fill, note = _color(candidate.score, bins), _("replication score {score}").format(score=f"{candidate.score:g}")
            else:
                fill, note = NO_DATA, _("no score")
        else:
            wps = m["work_packages"] if m else []
            count = len(wps)
            fill = GREENS[min(len(GREENS) - 1, round((count - 1) * (len(GREENS) - 1) / max(high - 1, 1)))] if count else NO_DATA
            note = (
                ngettext("{count} work package: {codes}", "{count} work packages: {codes}", count).format(
                    count=count, codes=", ".join(wps)
                )
                if count
                else _("does not take part in LIFE ACT")
            )
        region = m["region"] if m else ""
        shapes.append(
            {
                "code": shape.code,
                "name": name,
                "path": shape.path,
                "fill": fill,
                "title": f"{name} ({region}): {note}",
                "href": graph_href(name, 1, base),
            }
        )
    targets = [(wp.code, f"{wp.code} {title_of(wp)}") for wp in entities.list_work_packages(model).data]
    themes = sorted(entities.list_themes(model).data, key=lambda t: danish_key(theme_name(t)))
    targets += [(t.slug, _("the theme {name}").format(name=theme_name(t))) for t in themes]
    return {
        "title": title,
        "caption": caption,
        "shapes": shapes,
        "legend": legend,
        "ranking": ranking,
        "ranking_title": _("Best candidates") if target else _("Most work packages"),
        "targets": targets,
        "selected": target or "",
        "width": projected.width,
        "height": projected.height,
        "inset": projected.inset_frame,
        "credit": boundary_credit(),
    }


# The home page's lists, each paged on its own: query parameter -> what it lists.
HOME_LISTS = ("wp", "kommuner", "regioner", "temaer")
HOME_PAGE_SIZE = 50


def page_line(page: PageRequest, shown: models.Page[Any], link: Callable[[int], str]) -> dict[str, Any]:
    """A listed page's line (templates/_pager.html): which items show, of how many, and links
    (`link(offset)`) to the pages before and after."""
    first = page.offset + 1 if shown.count else 0
    return {
        "span": _("{first}–{last} of {total}").format(first=first, last=page.offset + shown.count, total=shown.total),
        "previous": link(max(page.offset - page.limit, 0)) if page.offset else "",
        "next": link(page.offset + page.limit) if shown.next_cursor else "",
    }


def _pager(page: PageRequest, shown: models.Page[Any], param: str, state: dict[str, str]) -> dict[str, Any]:
    """A home list's page line, each list keeping its own cursor."""

    def link(offset: int) -> str:
        return with_query("/", **{**state, param: encode_cursor(offset) if offset else None}) + f"#{param}"

    return {"id": param, **page_line(page, shown, link)}


def home_context(
    model: ReadModel, query: str | None, cursors: dict[str, str | None] | None = None, size: int = HOME_PAGE_SIZE
) -> dict[str, Any]:
    """The home page; each list shows one page of `size` (its cursor in `cursors`), with links
    to the pages before and after that keep the other lists where they are."""
    cursors = cursors or {}
    state = {k: v for k, v in {"q": query, **cursors, "n": str(size) if size != HOME_PAGE_SIZE else None}.items() if v}
    pages = {name: PageRequest(size, decode_cursor(cursors.get(name))) for name in HOME_LISTS}
    wp_page = entities.list_work_packages(model, pages["wp"])
    municipality_page = entities.list_municipalities(model, participating=True, page=pages["kommuner"])
    region_page = entities.list_regions(model, pages["regioner"])
    theme_page = entities.list_themes(model, pages["temaer"])
    hits, message = [], None
    if query:
        try:
            results = search.search(model, query, 20)
        except ServiceError as exc:
            message = exc.message + (f" ({exc.expected})" if exc.expected else "")
        else:
            for hit in results.data:
                if hit.kind == "WorkPackage":
                    href = with_query(f"/views/work-packages/{node_key(hit.id)}")
                else:
                    href = graph_href(node_ref(hit.kind, hit.name, {_KEY_PROPERTY.get(hit.kind, "key"): node_key(hit.id)}), 1)
                hits.append({"name": hit.name, "kind": kind_label(hit.kind).lower(), "href": href})
            if not hits:
                message = _("Nothing found for '{query}'.").format(query=shorten(query, 80))
    work_packages = [
        {
            "label": f"{wp.code} {title_of(wp)}",
            "href": with_query(f"/views/work-packages/{wp.code}"),
            "replication": with_query("/views/replication", target=wp.code),
            "map": with_query("/views/map", target=wp.code),
        }
        for wp in wp_page.data
    ]
    participating = sorted(municipality_page.data, key=lambda m: danish_key(m.name))
    pairs = overlap.overlaps(model, min_shared=1, page=PageRequest(8)).data
    return {
        "query": query or "",
        "hits": hits,
        "message": message,
        "work_packages": work_packages,
        "municipalities": [{"name": m.name, "href": graph_href(m.name, 1)} for m in participating],
        "overlaps": [
            {
                "a": p.a,
                "b": p.b,
                "href": with_query("/views/overlap", a=p.a, b=p.b),
                "note": _("{count} shared ({codes})").format(
                    count=len(p.shared_work_packages), codes=", ".join(p.shared_work_packages)
                ),
            }
            for p in pairs
        ],
        "regions": [{"name": r.name, "href": graph_href(r.name, 1)} for r in region_page.data],
        "themes": [
            {
                "name": theme_name(t),
                "href": graph_href(t.slug, 1),
                "replication": with_query("/views/replication", target=t.slug),
            }
            for t in sorted(theme_page.data, key=lambda t: danish_key(theme_name(t)))
        ],
        "pagers": {
            name: _pager(pages[name], shown, name, state)
            for name, shown in zip(HOME_LISTS, (wp_page, municipality_page, region_page, theme_page), strict=True)
        },
        # what home.js needs to write its suggestions in the page's language
        "home_data": {
            "kinds": {kind: kind_label(kind).lower() for kind in KIND_STYLES},
            "lang": language_in_links() or "",
        },
    }


def render_home(
    model: ReadModel, query: str | None, cursors: dict[str, str | None] | None = None, size: int = HOME_PAGE_SIZE
) -> str:
    return render_page("home.html", "home", **home_context(model, query, cursors, size))


def render_map(model: ReadModel, target: str | None, *, inline_assets: bool = False, base: str = "") -> str:
    context = map_context(model, target, base)
    links = {
        "permalink": with_query(f"{base}/views/map", target=target),
        "download": with_query("/views/map", target=target, download=1),
    }
    return render_page("map.html", "map", inline_assets=inline_assets, links=links, home_url=f"{base}/", **context)


def render_error(status: int, message: str, expected: str | None, suggestions: list[tuple[str, str]]) -> str:
    heading = {404: _("Not found"), 422: _("Invalid parameter")}.get(status, _("Error"))
    return render_page(
        "error.html", "error", status=status, heading=heading, message=message, expected=expected, suggestions=suggestions
    )
