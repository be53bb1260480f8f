"""Analyses of the graph as a whole: gaps in coverage, and centrality."""

from __future__ import annotations

import contextlib
import heapq
import multiprocessing
import os
import threading
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from app import models
from app.graph.budget import current_budget
from app.i18n import gettext as _
from app.services.entities import (
    _sorted_municipalities,
    _summary,
    _theme_summaries,
    theme_work_package_ids,
)
from app.services.errors import InvalidParameter, out_of_range
from app.services.paging import PageRequest, read_page
from app.services.read_model import ReadModel, register_background
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
    rows, total = read_page(model, page, "gap_municipality_page", "gap_municipality_total", params)
    missing = page.page([_summary(m) for m in _sorted_municipalities(rows)], total)
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


# Exact betweenness up to this many nodes (the project's graph has about 200); above it, Brandes'
# algorithm from this many sampled sources (NetworkX's `k`, seeded, so the same graph gives the
# same scores): the cost grows with the edges, not with nodes × edges.
BETWEENNESS_EXACT_NODES = 2_000
BETWEENNESS_SAMPLES = 100
BETWEENNESS_SEED = 15
BACKGROUND_NICENESS = 10
# How long a request waits for the computation of its version before it is served the previous
# version's result (stale) or 503: at the project's size it is ready within this.
READY_WAIT = 2.0
CENTRALITY_LIMIT = 100  # the largest `limit`: the best this many of each kind are kept


def centrality(model: ReadModel, limit: int = 10) -> models.Centrality:
    if not 1 <= limit <= CENTRALITY_LIMIT:
        raise out_of_range("limit", limit, 1, CENTRALITY_LIMIT)
    budget = current_budget()
    # Under a request's budget, leave it time to answer; a notebook (no budget) waits it out.
    wait = max(0.0, min(READY_WAIT, budget.remaining() - 0.5)) if budget else 600.0
    computed = model.background("centrality", wait)
    scores: dict[str, list[models.CentralityScore]] = computed.value["scores"]
    method = computed.value["method"]
    return models.Centrality(
        municipalities=scores.get("Municipality", [])[:limit],
        work_packages=scores.get("WorkPackage", [])[:limit],
        themes=scores.get("Theme", [])[:limit],
        note="Graph of municipalities, work packages and themes (participation, and themes each work package addresses "
        f"directly or through its tasks); degree centrality and normalised betweenness from NetworkX ({method}), "
        "computed once per version of the graph, outside any request.",
        graph_version=computed.version,
        stale=computed.stale,
        method=method,
    )


def _centrality(model: ReadModel) -> dict[str, Any]:
    import networkx as nx  # only the analyses need it

    # From the name index: reading every work package's facts for their ids held 200 MB at EU scale.
    wp_ids = {node.key: node.id for node in model.names().of_kind("WorkPackage")}
    graph = nx.Graph()
    for row in model.store.read("participation_edges"):
        graph.add_edge(row["municipality"], row["work_package"])
    for slug, theme in _theme_summaries(model).items():
        for code in theme.work_packages:
            graph.add_edge(wp_ids[code], f"theme:{slug}")
    degree = nx.degree_centrality(graph)
    if graph.number_of_nodes() <= BETWEENNESS_EXACT_NODES:
        betweenness = nx.betweenness_centrality(graph, normalized=True)
        method = "exact betweenness"
    else:
        # In a process of its own, at a lower priority: in this one it would hold the interpreter
        # lock for minutes and slow every request down.
        samples = min(BETWEENNESS_SAMPLES, graph.number_of_nodes())
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            betweenness = pool.submit(_sampled_betweenness, list(graph.edges), samples, BETWEENNESS_SEED).result()
        method = f"betweenness estimated from {samples} sampled sources of {graph.number_of_nodes()} nodes"
    names = model.names()

    def name_of(node_id: str) -> str:
        node = names.get(node_id)
        return node.name if node is not None else node_id

    by_kind: dict[str, list[tuple[float, int, str]]] = defaultdict(list)
    for node_id in graph.nodes:
        node = names.get(node_id)
        if node is not None:
            by_kind[node.kind].append((round(betweenness[node_id], 4), graph.degree[node_id], node_id))
    # Only what the endpoint can serve is kept: the CENTRALITY_LIMIT best of each kind (and those
    # tied with the last of them, until their names decide), not a score for every node.
    result: dict[str, list[models.CentralityScore]] = {}
    for kind, rows in by_kind.items():
        if len(rows) > CENTRALITY_LIMIT:
            last = heapq.nsmallest(CENTRALITY_LIMIT, rows, key=lambda row: (-row[0], -row[1]))[-1]
            rows = [row for row in rows if (-row[0], -row[1]) <= (-last[0], -last[1])]
        rows.sort(key=lambda row: (-row[0], -row[1], natural_key(name_of(row[2]))))
        result[kind] = [
            models.CentralityScore(
                id=node_id,
                kind=kind,
                name=name_of(node_id),
                degree=degree_count,
                degree_centrality=round(degree[node_id], 4),
                betweenness=score,
            )
            for score, degree_count, node_id in rows[:CENTRALITY_LIMIT]
        ]
    return {"scores": dict(result), "method": method}


def _exit_with_parent(poll_seconds: float = 1.0) -> None:
    """End this worker when the server that started it is gone: a server killed (SIGKILL, a crash)
    never shuts its pool down, and the worker would go on computing for nobody, holding its memory."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_seconds)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _sampled_betweenness(edges: list[tuple[str, str]], samples: int, seed: int) -> dict[str, float]:
    import networkx as nx

    _exit_with_parent()
    with contextlib.suppress(OSError):  # a background analysis yields the CPU to the requests
        os.nice(BACKGROUND_NICENESS)
    return nx.betweenness_centrality(nx.Graph(edges), k=samples, normalized=True, seed=seed)


register_background("centrality", _centrality)
