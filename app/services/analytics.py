"""Analyses of the graph as a whole: gaps in coverage, and centrality."""

from __future__ import annotations

from collections import defaultdict

from app import models
from app.i18n import gettext as _
from app.services.entities import _summary, _theme_summaries, municipality_rows, work_package_facts
from app.services.errors import InvalidParameter, out_of_range
from app.services.read_model import ReadModel
from app.services.replication import PILLARS
from app.services.text import clean_input, danish_key, natural_key, shorten


def gaps(model: ReadModel, region: str | None = None, pillar: str | None = None, theme: str | None = None) -> models.Gaps:
    region_name = model.resolve(region, ("Region",)).name if region else None
    if pillar is not None and clean_input(pillar).lower() not in PILLARS:
        raise InvalidParameter(
            _("unknown pillar '{pillar}'").format(pillar=shorten(pillar, 40)),
            expected=_("pillar=mitigation or pillar=adaptation"),
        )
    pillar = clean_input(pillar).lower() if pillar else None
    theme_slug = model.resolve(theme, ("Theme",)).key if theme else None
    return model.cached(("gaps", region_name, pillar, theme_slug), lambda: _gaps(model, region_name, pillar, theme_slug))


def _gaps(model: ReadModel, region_name: str | None, pillar: str | None, theme_slug: str | None) -> models.Gaps:
    themes = _theme_summaries(model)
    pillars = {code: set(row["pillars"]) for code, row in work_package_facts(model).work_packages.items()}
    with_theme = set(themes[theme_slug].work_packages) if theme_slug else None

    def covers(code: str) -> bool:
        if pillar and pillar not in pillars.get(code, set()):
            return False
        return with_theme is None or code in with_theme

    scope = municipality_rows(model, region_name)
    missing = [m for m in scope if not any(covers(code) for code in m["work_packages"])]
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
        municipalities_without=[_summary(m) for m in sorted(missing, key=lambda m: danish_key(m["name"]))],
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
