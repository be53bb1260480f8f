"""Views: every /views page (first call builds it, later ones come from the per-graph cache),
server-side rendering of large synthetic neighbourhoods, and layout time in headless chromium."""

from __future__ import annotations

import random
import tempfile
import urllib.parse
from pathlib import Path
from typing import Any

from app.benchmark.client import latencies
from app.benchmark.measure import summary_ms, timed
from app.benchmark.plan import (
    GOAL_LAYOUT_MS,
    GOAL_RENDER_MS,
    LAYOUT_GOAL_NODES,
    LAYOUT_SIZES,
    RENDER_GOAL_NODES,
    RENDER_SIZES,
    Scenario,
)
from app.benchmark.server import serve
from app.steps import NO_STEPS, Steps


def view_urls(scenario: Scenario) -> dict[str, str | None]:
    """One URL per GET route of the views router, filled with the scenario's names; None for a
    route this table does not know yet (reported as not measured, so a new view is not missed)."""
    from app.api.routes.views import router

    def url(path: str, **query: Any) -> str:
        return f"{path}?{urllib.parse.urlencode(query)}" if query else path

    known = {
        "/": "/",
        "/views/graph": url("/views/graph", center=scenario.municipality, depth=2),
        "/views/graph.svg": url("/views/graph.svg", center=scenario.municipality, depth=2),
        "/views/graph.png": url("/views/graph.png", center=scenario.municipality, depth=2),
        "/views/overlap": url("/views/overlap", a=scenario.municipality, b=scenario.other),
        "/views/replication": url("/views/replication", target=scenario.task),
        "/views/work-packages/{code}": f"/views/work-packages/{scenario.work_package}",
        "/views/map": url("/views/map", target=scenario.work_package),
        "/views/brief": url("/views/brief", target=scenario.task),
    }
    urls: dict[str, str | None] = {}
    for route in router.routes:
        path = getattr(route, "path", "")
        if "GET" in (getattr(route, "methods", None) or set()) and ":path}" not in path:  # not the 404 catch-all
            urls[path] = known.get(path)
    return urls


def synthetic_neighbourhood(size: int, seed: int = 7) -> Any:
    """A made-up neighbourhood of `size` nodes shaped like the project at scale (a programme hub,
    work packages, themes, municipalities with neighbours and one or two work packages each):
    the seed graph is far smaller than the views must handle."""
    from app import models

    rng = random.Random(seed)
    node = models.GraphNode
    hub = node(id="hub", kind="Programme", name="Program", degree=0, properties={"source": "synthetic"})
    packages = [node(id=f"wp{i}", kind="WorkPackage", name=f"WP{i}", degree=0, properties={}) for i in range(1, size // 25 + 2)]
    themes = [node(id=f"t{i}", kind="Theme", name=f"Tema {i}", degree=0, properties={}) for i in range(1, size // 50 + 2)]
    taken = 1 + len(packages) + len(themes)
    towns = [
        node(id=f"m{i}", kind="Municipality", name=f"Kommune {i}", degree=0, properties={"code": i})
        for i in range(1, size - taken + 1)
    ]
    edges = [models.GraphEdge(source=p.id, target=hub.id, type="PART_OF") for p in packages]
    edges += [models.GraphEdge(source=p.id, target=rng.choice(themes).id, type="ADDRESSES") for p in packages]
    for i, town in enumerate(towns):
        for package in rng.sample(packages, k=min(len(packages), rng.choice((1, 1, 2)))):
            edges.append(models.GraphEdge(source=town.id, target=package.id, type="PARTICIPATES_IN"))
        if i:
            edges.append(models.GraphEdge(source=town.id, target=towns[i - 1].id, type="NEIGHBOURS"))
    nodes = [hub, *packages, *themes, *towns]
    return models.Neighbourhood(center=models.Ref(id=hub.id, kind=hub.kind, name=hub.name), depth=3, nodes=nodes, edges=edges)


def bench_render(sizes: tuple[int, ...], samples: int, steps: Steps = NO_STEPS) -> dict[str, Any]:
    """Server-side HTML for synthetic graphs of each size, uncached (what a cold /views/graph costs)."""
    from app.views.render import render_neighbourhood_html

    results = {}
    steps.begin("render large neighbourhoods", total=len(sizes), unit="sizes")
    for size in sizes:
        steps.advance()
        hood = synthetic_neighbourhood(size)
        render_neighbourhood_html(hood)  # the template environment compiles once per process
        row = summary_ms([timed(lambda h=hood: render_neighbourhood_html(h)) for _ in range(samples)])
        row["bytes"] = len(render_neighbourhood_html(hood).encode())
        if size <= RENDER_GOAL_NODES:
            row["goal_met"] = row["p50_ms"] <= GOAL_RENDER_MS
        results[f"render {size:,} nodes (server, uncached)"] = row
    return results


def bench_layout(sizes: tuple[int, ...], repeats: int, steps: Steps = NO_STEPS) -> dict[str, Any]:
    """Time to a stable layout in headless chromium for synthetic graphs of each size, opened as the
    self-contained file a report gets (graph.js's own clock, from its start to `ready`)."""
    from app.views import chromium
    from app.views.render import render_neighbourhood_html

    reason = chromium.missing_reason()
    if reason:
        return {"layout": {"error": f"not measured: {reason}"}}
    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {}
    steps.begin("layout in chromium", total=len(sizes) * repeats, unit="layouts")
    with tempfile.TemporaryDirectory(prefix="lifeact-layout-") as temporary, sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        try:
            for size in sizes:
                file = Path(temporary) / f"graph-{size}.html"
                file.write_text(render_neighbourhood_html(synthetic_neighbourhood(size), inline_assets=True), encoding="utf-8")
                times = []
                for _ in range(repeats):
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    page.goto(file.as_uri())
                    page.wait_for_function(chromium.VIEW_READY, timeout=60_000)
                    times.append(page.evaluate("() => window.lifeact.layoutMs") / 1000)
                    page.close()
                    steps.advance()
                row = summary_ms(times)
                row["bytes"] = file.stat().st_size
                if size <= LAYOUT_GOAL_NODES:
                    row["goal_met"] = row["p50_ms"] <= GOAL_LAYOUT_MS
                results[f"layout {size:,} nodes (chromium)"] = row
        finally:
            browser.close()
    return results


def bench_views(store_path: Path, seed_path: Path, samples: int, scenario: Scenario, steps: Steps = NO_STEPS) -> dict[str, Any]:
    """Every view page from `lifeact serve` (the first request builds it, later ones come from the
    per-graph cache), then uncached rendering and browser layout of large synthetic graphs."""
    urls = view_urls(scenario)
    results: dict[str, Any] = {}
    steps.begin("views", total=len(urls), unit="pages")
    with serve(store_path, seed_path) as server:
        for route, path in urls.items():
            steps.advance()
            if path is None:
                results[route] = {"error": "not measured: the bench has no URL for this view yet"}
                continue
            first, statuses, size = latencies(server.port, [path])
            if statuses[0] != 200:
                results[path] = {"status": statuses[0], "error": f"not measured: the view answered {statuses[0]}"}
                continue
            times, _, _ = latencies(server.port, [path] * samples)
            results[path] = {"bytes": size, "first_ms": round(first[0] * 1000, 3), **summary_ms(times)}
    results.update(bench_render(RENDER_SIZES, samples, steps))
    results.update(bench_layout(LAYOUT_SIZES, max(3, samples // 10), steps))
    return results
