"""Analyses of the graph as a whole: gaps in coverage, and centrality."""

from __future__ import annotations

from collections import defaultdict

from app import models
from app.i18n import gettext as _
from app.services.entities import (
    _sorted_municipalities,
    _summary,
    _theme_summaries,
    theme_work_package_ids,
    work_package_facts,
)
from app.services.errors import InvalidParameter, out_of_range
from app.services.paging import PageRequest, cached_total
from app.services.read_model import ReadModel
from app.services.replication import PILLARS
from app.services.text import clean_input, natural_key, shorten


def gaps(
    model: ReadModel,
    region: str | None = None,
    pillar: str | None = None,
    theme: str | None = None,
    page: PageRequest | None = None,
) -> models.Gaps:
    region_name = model.resolve(region, ("Region",)).name if region else None
    if pillar is not None and clean_input(pillar).lower() not in PILLARS:
        raise InvalidParameter(
            _("unknown pillar '{pillar}'").format(pillar=shorten(pillar, 40)),
            expected=_("pillar=mitigation or pillar=adaptation"),
        )
    pillar = clean_input(pillar).lower() if pillar else None
    theme_slug = model.resolve(theme, ("Theme",)).key if theme else None
    page = page or PageRequest.first("gaps")
    return model.cached(
        ("gaps", region_name, pillar, theme_slug, page), lambda: _gaps(model, region_name, pillar, theme_slug, page)
    )


def _gaps(
    model: ReadModel, region_name: str | None, pillar: str | None, theme_slug: str | None, page: PageRequest
) -> models.Gaps:
    themes = _theme_summaries(model)
    params = {
        "any_region": region_name is None,
        "region": region_name or "",
        "any_pillar": pillar is None,
        "pillar": pillar or "",
        "any_work_package": theme_slug is None,
        # never empty: LadybugDB cannot type an empty list parameter
        "work_packages": theme_work_package_ids(model, theme_slug) or [""] if theme_slug else [""],
    }
    rows = _sorted_municipalities(model.store.read("gap_municipality_page", {**params, **page.params}))
    missing = page.page([_summary(m) for m in rows], cached_total(model, "gap_municipality_total", params))
    single = [
        {"slug": slug, "name": t.name, "work_package": t.work_packages[0]}
        for slug, t in sorted(themes.items())
        if len(t.work_packages) == 1
    ]
    unaddressed = sorted(slug for slug, t in themes.items() if not t.work_packages)
    return models.Gaps(
        region=region_name,
        pillar=pillar,
        theme=theme_slug,
        municipalities_without=missing.data,
        total=missing.total,
        count=missing.count,
        limit=missing.limit,
        next_cursor=missing.next_cursor,
        themes_with_one_work_package=single,
        themes_without_work_package=unaddressed,
    )


def centrality(model: ReadModel, limit: int = 10) -> models.Centrality:
    if not 1 <= limit <= 100:
        raise out_of_range("limit", limit, 1, 100)
    scores = model.cached("centrality", lambda: _centrality(model))
    return models.Centrality(
        municipalities=scores.get("Municipality", [])[:limit],
        work_packages=scores.get("WorkPackage", [])[:limit],
        themes=scores.get("Theme", [])[:limit],
        note="Graph of municipalities, work packages and themes (participation, and themes each work package addresses "
        "directly or through its tasks); degree centrality and normalised betweenness from NetworkX.",
    )


def _centrality(model: ReadModel) -> dict[str, list[models.CentralityScore]]:
    import networkx as nx  # only the analyses need it

    wp_ids = {code: row["id"] for code, row in work_package_facts(model).work_packages.items()}
    graph = nx.Graph()
    for row in model.store.read("participation_edges"):
        graph.add_edge(row["municipality"], row["work_package"])
    for slug, theme in _theme_summaries(model).items():
        for code in theme.work_packages:
            graph.add_edge(wp_ids[code], f"theme:{slug}")
    degree = nx.degree_centrality(graph)
    betweenness = nx.betweenness_centrality(graph, normalized=True)
    names = model.names()
    result: dict[str, list[models.CentralityScore]] = defaultdict(list)
    for node_id in graph.nodes:
        node = names.get(node_id)
        if node is None:
            continue
        result[node.kind].append(
            models.CentralityScore(
                id=node.id,
                kind=node.kind,
                name=node.name,
                degree=graph.degree[node_id],
                degree_centrality=round(degree[node_id], 4),
                betweenness=round(betweenness[node_id], 4),
            )
        )
    for scores in result.values():
        scores.sort(key=lambda s: (-s.betweenness, -s.degree, natural_key(s.name)))
    return dict(result)
