"""`lifeact bench`: the benchmark the performance goals are checked against.

One run measures, on this machine:
- seed load time (the ordinary verified loader, and the bulk loader);
- in-process latency (p50, p99) of every named read query on the embedded store (and on the
  Neo4j of NEO4J_URI when that variable is set), each with representative parameters;
  writes (merge_*, bulk_*, prune_*, create_*) are not run here: they are timed as the loads;
- HTTP: one uvicorn worker on 127.0.0.1 serving a copy of the seed store; every endpoint's
  throughput at 32 connections and p50/p99 latency at one connection, as ratios to `/health`
  measured in the same run (the client is asyncio with keep-alive connections and shares the
  cores with the server);
- server-side view generation (every /views page, in-process);
- scale: a synthetic graph (`lifeact synth`) bulk-loaded, the time to build the per-graph
  caches (cold), then steady-state latency of the named queries and of overlap, replication,
  paths and graph (depth 2) with different parameters on every call.

Prints a table and writes JSON (`--json PATH`). Timings are wall-clock on a shared machine:
compare ratios within one run, not absolute numbers across runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.graph.schema import shape
from app.graph.store import GraphStore
from app.settings import PROJECT_ROOT, Settings

WRITE_PREFIXES = ("merge_", "bulk_", "prune_", "create_")
GOAL_THROUGHPUT_RATIO = 0.40
GOAL_LATENCY_RATIO = 5.0
GOAL_SCALE_P95_MS = 100.0
GOAL_BULK_ROWS_PER_SECOND = 100_000
GOAL_RENDER_MS = 20.0  # server-side HTML for up to RENDER_GOAL_NODES nodes
GOAL_LAYOUT_MS = 2000.0  # a stable layout in headless chromium for up to LAYOUT_GOAL_NODES nodes
RENDER_GOAL_NODES = 1_000
LAYOUT_GOAL_NODES = 500
RENDER_SIZES = (500, 1_000)
LAYOUT_SIZES = (500, 1_000)  # above 500 nodes the view gets positions instead of physics


@dataclass(frozen=True)
class Profile:
    query_samples: int
    http_latency_requests: int
    http_seconds: float
    scale_samples: int
    municipalities: int
    regions: int
    projects: int


FULL = Profile(
    query_samples=100,
    http_latency_requests=200,
    http_seconds=5.0,
    scale_samples=40,
    municipalities=100_000,
    regions=250,
    projects=2_000,
)
QUICK = Profile(
    query_samples=20,
    http_latency_requests=40,
    http_seconds=1.5,
    scale_samples=20,
    municipalities=100_000,
    regions=250,
    projects=2_000,
)


# -- statistics ---------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "p50_ms": round(statistics.median(ms), 3),
        "p95_ms": round(percentile(ms, 95), 3),
        "p99_ms": round(percentile(ms, 99), 3),
        "samples": len(ms),
    }


def timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


# -- named queries ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scenario:
    """Representative inputs of one graph: names for the services, ids for the queries."""

    municipality: str  # e.g. Samsø
    other: str  # e.g. Aalborg: shares work packages with `municipality`
    path_target: str  # e.g. Vejle
    work_package: str  # e.g. WP9
    task: str  # e.g. T.9.1


SEED_SCENARIO = Scenario(municipality="Samsø", other="Aalborg", path_target="Vejle", work_package="WP9", task="T.9.1")


def query_calls(store: GraphStore, scenario: Scenario) -> dict[str, Callable[[], Any] | str]:
    """Every named query of the store's dialect: a call with representative parameters, or why
    it is not run (writes)."""
    from app.services.entities import project_tables
    from app.services.index import GenerationCache

    cache = GenerationCache(store)
    index = cache.index()
    tables = project_tables(cache)
    muni = index.resolve(scenario.municipality, ("Municipality",))
    other = index.resolve(scenario.other, ("Municipality",))
    target = index.resolve(scenario.path_target, ("Municipality",))
    codes = list(tables.work_packages)
    participants = [p["id"] for p in tables.participants.get(scenario.work_package, [])]
    params: dict[str, dict[str, Any]] = {
        "node_by_id": {"id": muni.id},
        "outgoing": {"id": muni.id},
        "incoming": {"id": muni.id},
        "municipality_neighbours": {"id": muni.id},
        "work_package_leads": {"codes": codes},
        "work_package_partners": {"codes": codes},
        "work_package_participants": {"codes": codes},
        "work_package_tasks": {"codes": codes},
        "shared_work_packages": {"a": muni.id, "b": other.id},
        "neighbours_of_participants": {"participants": participants},
        "co_participants": {"participants": participants, "exclude": [scenario.work_package]},
        "shortest_paths": {"source": muni.id, "target": target.id, "limit": 1000},
        "expand_out": {"ids": [muni.id]},
        "expand_in": {"ids": [muni.id]},
    }
    calls: dict[str, Callable[[], Any] | str] = {}
    queries = store.queries
    for name in queries.names():
        if name.startswith(WRITE_PREFIXES):
            calls[name] = "write: timed as part of the seed load / bulk load, not run here"
            continue
        text = queries.get(name).text
        kwargs: dict[str, Any] = {}
        label = name
        if "__MAX_HOPS__" in text:
            kwargs["path"] = ("Municipality", "Municipality", 6)
            label = f"{name}[Municipality->Municipality,6]"
        elif "__REL_TYPE__" in text:
            kwargs["rel"] = shape("NEIGHBOURS", "Municipality", "Municipality")
            label = f"{name}[NEIGHBOURS]"
        elif "__LABEL__" in text:
            kwargs["label"] = "Municipality"
            label = f"{name}[Municipality]"
        query_params = params.get(name, {})
        calls[label] = lambda name=name, query_params=query_params, kwargs=kwargs: store.read(name, query_params, **kwargs)
    return calls


def sample(call: Callable[[], Any], samples: int, budget_seconds: float, least: int = 3) -> list[float]:
    """Up to `samples` timings, stopping early once `budget_seconds` are spent (after `least`)."""
    times: list[float] = []
    deadline = time.perf_counter() + budget_seconds
    while len(times) < samples and (len(times) < least or time.perf_counter() < deadline):
        times.append(timed(call))
    return times


def bench_queries(
    store: GraphStore, scenario: Scenario, samples: int, budget_seconds: float = 10.0, warm: bool = True
) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for label, call in query_calls(store, scenario).items():
        if isinstance(call, str):
            results[label] = {"skipped": call}
            continue
        try:
            if warm:
                call()  # plan caches, first connection
            results[label] = summary_ms(sample(call, samples, budget_seconds))
        except Exception as exc:  # a query added later without representative parameters
            results[label] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    return results


# -- loads --------------------------------------------------------------------------------------
def bench_seed_load(folder: Path, seed_path: Path) -> tuple[dict[str, Any], Path]:
    """Loads the seed twice (ordinary loader, bulk loader) into fresh stores; returns the ordinary one."""
    from app.graph.bulk import bulk_load
    from app.graph.embedded import EmbeddedStore
    from app.seed import load_seed

    started = time.perf_counter()
    graph = load_seed(seed_path)
    validate = time.perf_counter() - started
    ordinary = EmbeddedStore(folder / "seed")
    report = ordinary.replace_graph(graph)
    ordinary.close()
    bulk_store = EmbeddedStore(folder / "seed-bulk")
    bulk_report = bulk_load(bulk_store, graph)
    bulk_store.close()
    shutil.rmtree(folder / "seed-bulk", ignore_errors=True)
    return {
        "validate_seconds": round(validate, 3),
        "load_seconds": round(report.seconds, 3),
        "bulk_load_seconds": round(bulk_report.seconds, 3),
        "rows": report.rows,
    }, folder / "seed"


# -- HTTP ---------------------------------------------------------------------------------------
def seed_endpoints(scenario: Scenario = SEED_SCENARIO) -> list[str]:
    q = urllib.parse.quote
    return [
        "/health",
        "/api/stats",
        "/api/regions",
        "/api/regions/Nordjylland",
        "/api/municipalities",
        f"/api/municipalities/{q(scenario.municipality)}",
        "/api/work-packages",
        f"/api/work-packages/{scenario.work_package}",
        f"/api/tasks/{scenario.task}",
        "/api/themes",
        "/api/themes/drought",
        "/api/programmes",
        "/api/organisations",
        f"/api/overlap?a={q(scenario.other)}&b={q(scenario.municipality)}",
        "/api/overlaps",
        "/api/overlaps/matrix",
        f"/api/replication?target={scenario.task}",
        f"/api/paths?source={q(scenario.municipality)}&target={q(scenario.path_target)}",
        f"/api/graph?center={q(scenario.municipality)}&depth=2",
        "/api/search?q=aarh",
        "/api/gaps?region=Nordjylland&pillar=adaptation",
        "/api/analytics/centrality",
    ]


RELATIONSHIP_ENDPOINTS = (
    "/api/overlap",
    "/api/overlaps",
    "/api/replication",
    "/api/paths",
    "/api/graph",
    "/api/search",
    "/api/gaps",
    "/api/analytics/centrality",
)


async def _request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes) -> tuple[int, int]:
    """One HTTP/1.1 request on a kept-alive connection; returns (status, body bytes)."""
    writer.write(raw)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    headers = head.decode("latin-1").lower()
    if "content-length:" in headers:
        length = int(headers.split("content-length:", 1)[1].split("\r\n", 1)[0])
        await reader.readexactly(length)
        return status, length
    total = 0  # chunked
    while True:
        size = int((await reader.readline()).strip() or b"0", 16)
        if size == 0:
            await reader.readline()
            return status, total
        await reader.readexactly(size + 2)
        total += size


def _raw_get(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n".encode()


async def _latency(port: int, path: str, count: int) -> tuple[list[float], int, int]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    raw = _raw_get(path)
    times, status, size = [], 0, 0
    try:
        for _ in range(3):  # warm: caches of this graph, first-request costs
            await _request(reader, writer, raw)
        for _ in range(count):
            started = time.perf_counter()
            status, size = await _request(reader, writer, raw)
            times.append(time.perf_counter() - started)
    finally:
        writer.close()
    return times, status, size


async def _throughput(port: int, path: str, seconds: float, connections: int) -> tuple[int, int, float]:
    raw = _raw_get(path)
    deadline = time.perf_counter() + seconds
    done = errors = 0

    async def worker() -> None:
        nonlocal done, errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < deadline:
                status, _ = await _request(reader, writer, raw)
                done += 1
                errors += status >= 400
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return done, errors, time.perf_counter() - started


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(store_path: Path, seed_path: Path) -> Iterator[int]:
    """`lifeact serve` (one uvicorn worker) on 127.0.0.1 for the embedded store at store_path; yields its port."""
    port = _free_port()
    env = {
        **os.environ,
        "LIFEACT_BACKEND": "embedded",
        "LIFEACT_EMBEDDED_PATH": str(store_path),
        "LIFEACT_SEED_PATH": str(seed_path),
    }
    command = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped: {process.stderr.read().decode(errors='replace')[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the server did not start within 90 s") from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def bench_http(store_path: Path, seed_path: Path, profile: Profile, endpoints: list[str]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with serve(store_path, seed_path) as port:
        for path in endpoints:
            times, status, size = asyncio.run(_latency(port, path, profile.http_latency_requests))
            if status >= 400:
                results[path] = {"status": status, "error": "not measured: the endpoint answered an error"}
                continue
            done, errors, elapsed = asyncio.run(_throughput(port, path, profile.http_seconds, 32))
            results[path] = {
                "status": status,
                "bytes": size,
                "requests_per_second": round(done / elapsed, 1),
                "errors": errors,
                **summary_ms(times),
            }
    health = results.get("/health")
    for path, row in results.items():
        if health and "requests_per_second" in row:
            row["throughput_ratio"] = round(row["requests_per_second"] / health["requests_per_second"], 3)
            row["p50_ratio"] = round(row["p50_ms"] / health["p50_ms"], 2)
            if path.split("?")[0] in RELATIONSHIP_ENDPOINTS:
                row["goal_met"] = row["throughput_ratio"] >= GOAL_THROUGHPUT_RATIO and row["p50_ratio"] <= GOAL_LATENCY_RATIO
    return results


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


def bench_render(sizes: tuple[int, ...], samples: int) -> dict[str, Any]:
    """Server-side HTML for synthetic graphs of each size, uncached (what a cold /views/graph costs)."""
    from app.views.render import render_neighbourhood_html

    results = {}
    for size in sizes:
        hood = synthetic_neighbourhood(size)
        render_neighbourhood_html(hood)  # the template environment compiles once per process
        row = summary_ms([timed(lambda h=hood: render_neighbourhood_html(h)) for _ in range(samples)])
        row["bytes"] = len(render_neighbourhood_html(hood).encode())
        if size <= RENDER_GOAL_NODES:
            row["goal_met"] = row["p50_ms"] <= GOAL_RENDER_MS
        results[f"render {size:,} nodes (server, uncached)"] = row
    return results


def bench_layout(sizes: tuple[int, ...], repeats: int) -> dict[str, Any]:
    """Time to a stable layout in headless chromium for synthetic graphs of each size, opened as the
    self-contained file a report gets (graph.js's own clock, from its start to `ready`)."""
    from app.views import chromium
    from app.views.render import render_neighbourhood_html

    reason = chromium.missing_reason()
    if reason:
        return {"layout": {"error": f"not measured: {reason}"}}
    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {}
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
                row = summary_ms(times)
                row["bytes"] = file.stat().st_size
                if size <= LAYOUT_GOAL_NODES:
                    row["goal_met"] = row["p50_ms"] <= GOAL_LAYOUT_MS
                results[f"layout {size:,} nodes (chromium)"] = row
        finally:
            browser.close()
    return results


def bench_views(store_path: Path, seed_path: Path, samples: int, scenario: Scenario) -> dict[str, Any]:
    """Every view page in-process (the first call builds it, later calls are served from the
    per-graph cache), then uncached rendering and browser layout of large synthetic graphs."""
    from fastapi.testclient import TestClient

    from app.main import create_app

    settings = Settings(backend="embedded", embedded_path=store_path, seed_path=seed_path)
    results: dict[str, Any] = {}
    with TestClient(create_app(settings)) as client:
        for route, path in view_urls(scenario).items():
            if path is None:
                results[route] = {"error": "not measured: the bench has no URL for this view yet"}
                continue
            first = timed(lambda p=path: client.get(p))
            response = client.get(path)
            if response.status_code != 200:
                status = response.status_code
                results[path] = {"status": status, "error": f"not measured: the view answered {status}"}
                continue
            results[path] = {
                "bytes": len(response.content),
                "first_ms": round(first * 1000, 3),
                **summary_ms([timed(lambda p=path: client.get(p)) for _ in range(samples)]),
            }
    results.update(bench_render(RENDER_SIZES, samples))
    results.update(bench_layout(LAYOUT_SIZES, repeats=max(3, samples // 10)))
    return results


# -- scale --------------------------------------------------------------------------------------
def scale_scenario(cache: Any, rng: random.Random) -> Scenario:
    from app.services.entities import project_tables

    tables = project_tables(cache)
    code = sorted(tables.work_packages, key=lambda c: int(c[2:]))[len(tables.work_packages) // 2]
    members = sorted(p["name"] for p in tables.participants[code])
    task = sorted(t["code"] for t in tables.tasks[code])[0]
    index = cache.index()
    first = index.resolve(members[0], ("Municipality",))
    neighbours = cache.store.read("municipality_neighbours", {"id": first.id})
    target = neighbours[0]["name"] if neighbours else members[-1]
    return Scenario(municipality=members[0], other=members[-1], path_target=target, work_package=code, task=task)


def bench_scale(folder: Path, profile: Profile, seed: int = 7) -> dict[str, Any]:
    from app.graph.bulk import bulk_load
    from app.graph.embedded import EmbeddedStore
    from app.services import relationships
    from app.services.index import GenerationCache
    from app.synth import SynthSizes, synth_graph

    sizes = SynthSizes(profile.municipalities, profile.regions, profile.projects)
    started = time.perf_counter()
    graph = synth_graph(sizes, seed=seed)
    build_seconds = time.perf_counter() - started
    store = EmbeddedStore(folder / "synth")
    report = bulk_load(store, graph)
    rows = graph.row_count()
    del graph
    result: dict[str, Any] = {
        "sizes": {**sizes.__dict__, "nodes": report.counts.nodes, "relationships": report.counts.relationships},
        "synth_seconds": round(build_seconds, 2),
        "bulk_load": {
            "rows": rows,
            "seconds": round(report.seconds, 2),
            "rows_per_second": round(rows / report.seconds),
            "goal_met": rows / report.seconds >= GOAL_BULK_ROWS_PER_SECOND,
        },
    }
    try:
        cache = GenerationCache(store)
        # what the server builds before it answers (LIFEACT_WARM_ON_START), table by table
        cold: dict[str, float] = {f"{name.replace(' ', '_')}_seconds": v for name, v in relationships.warm(cache).items()}
        rng = random.Random(seed)
        scenario = scale_scenario(cache, rng)
        # first calls build what is left: per-answer caches, overlap pair tables …
        cold["first_overlap_seconds"] = timed(lambda: relationships.overlap(cache, scenario.municipality, scenario.other))
        cold["first_replication_seconds"] = timed(lambda: relationships.replication(cache, scenario.task))
        cold["first_paths_seconds"] = timed(lambda: relationships.paths(cache, scenario.municipality, scenario.path_target))
        cold["first_graph_seconds"] = timed(lambda: relationships.neighbourhood(cache, scenario.municipality, 2))
        result["cold"] = {k: round(v, 3) for k, v in cold.items()}
        result["scenario"] = scenario.__dict__
        # full scans of 100,000 rows take seconds: a time budget per query keeps the run bounded
        budget = 1.0 if profile.scale_samples <= QUICK.scale_samples else 10.0
        result["queries"] = bench_queries(store, scenario, max(5, profile.query_samples // 2), budget, warm=False)
        result["services"] = bench_scale_services(cache, rng, profile.scale_samples, budget * 5)
    finally:
        store.close()
    return result


def bench_scale_services(cache: Any, rng: random.Random, samples: int, budget_seconds: float = 60.0) -> dict[str, Any]:
    """Steady state: every call asks something new (no per-answer cache hit), per-graph caches warm."""
    from app.services import relationships
    from app.services.entities import project_tables

    tables = project_tables(cache)
    index = cache.index()
    participating = [m["name"] for m in tables.municipalities if m["participating"]]
    municipalities = [n.name for n in index.by_kind["Municipality"]]
    by_code = {m["code"]: m["name"] for m in tables.municipalities}
    targets = list(tables.work_packages) + [t["code"] for rows in tables.tasks.values() for t in rows]

    def near(name: str) -> str:
        """A municipality a few grid steps away (the synthetic grid is row-major by code)."""
        from app.synth import CODE_BASE

        code = index.resolve(name, ("Municipality",)).properties["code"]
        width = math.ceil(math.sqrt(len(municipalities)))
        step = rng.choice([3, -3, 4 * width, -4 * width, 2 + 2 * width, 2 - 2 * width])
        other = code + step
        return by_code.get(other, by_code[CODE_BASE + 1])

    def typed(name: str) -> str:
        """What a person types: the first few letters, or the name with one letter left out."""
        if rng.random() < 0.5:
            return name[: rng.randint(3, max(3, len(name) - 1))]
        gap = rng.randrange(len(name))
        return name[:gap] + name[gap + 1 :]

    cases: dict[str, Callable[[], Any]] = {
        "overlap": lambda: relationships.overlap(cache, rng.choice(participating), rng.choice(participating)),
        "replication": lambda: relationships.replication(cache, rng.choice(targets)),
        "paths (max_hops 6)": lambda: (lambda a: relationships.paths(cache, a, near(a)))(rng.choice(municipalities)),
        "graph (depth 2)": lambda: relationships.neighbourhood(cache, rng.choice(municipalities), 2),
        "search (prefix or typo)": lambda: relationships.search(cache, typed(rng.choice(municipalities)), 10),
    }
    results = {}
    for name, call in cases.items():
        stats = summary_ms(sample(call, samples, budget_seconds, least=min(samples, 10)))
        stats["goal_met"] = stats["p95_ms"] <= GOAL_SCALE_P95_MS
        results[name] = stats
    return results


# -- Neo4j --------------------------------------------------------------------------------------
def bench_neo4j(samples: int) -> dict[str, Any]:
    if not os.environ.get("NEO4J_URI"):
        return {"not_measured": "NEO4J_URI is not set"}
    from app.graph import loader
    from app.graph.factory import open_store
    from app.settings import get_settings

    settings = get_settings().model_copy(update={"backend": "neo4j"})
    handle = open_store(settings)
    try:
        if handle.store.is_empty():
            loader.load(handle.store, settings.seed_path, settings.load_batch_size)
        return {"uri": settings.neo4j_uri, "queries": bench_queries(handle.store, SEED_SCENARIO, samples)}
    except Exception as exc:
        return {"not_measured": f"{type(exc).__name__}: {exc}"[:300]}
    finally:
        handle.close()


# -- the command --------------------------------------------------------------------------------
def run(profile: Profile, *, http: bool = True, scale: bool = True, seed_path: Path | None = None) -> dict[str, Any]:
    from app.graph.embedded import EmbeddedStore
    from app.services.index import tune_garbage_collection

    seed_path = seed_path or PROJECT_ROOT / "seed"
    tune_garbage_collection()  # as the server does, so in-process figures match what it would see
    started = time.perf_counter()
    result: dict[str, Any] = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "profile": profile.__dict__,
    }
    with tempfile.TemporaryDirectory(prefix="lifeact-bench-") as temporary:
        folder = Path(temporary)
        result["seed_load"], store_path = bench_seed_load(folder, seed_path)
        store = EmbeddedStore(store_path)
        try:
            result["queries"] = {"embedded": bench_queries(store, SEED_SCENARIO, profile.query_samples)}
        finally:
            store.close()
        result["queries"]["neo4j"] = bench_neo4j(profile.query_samples)
        result["views"] = bench_views(store_path, seed_path, max(5, profile.query_samples // 2), SEED_SCENARIO)
        if http:
            endpoints = seed_endpoints()
            views = result["views"]
            endpoints += [p for p in views if p.startswith("/views/graph?") and "p50_ms" in views[p]]
            result["http"] = bench_http(store_path, seed_path, profile, endpoints)
        if scale:
            result["scale"] = bench_scale(folder, profile)
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def _fmt(value: Any, digits: int = 2) -> str:
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def render_table(result: dict[str, Any]) -> str:
    lines: list[str] = []
    load = result["seed_load"]
    lines.append(
        f"seed load: {load['load_seconds']} s ordinary, {load['bulk_load_seconds']} s bulk ({load['rows']} rows; "
        f"validation {load['validate_seconds']} s)"
    )
    for backend, rows in result["queries"].items():
        if "not_measured" in rows:
            lines.append(f"\nnamed queries on {backend}: not measured ({rows['not_measured']})")
            continue
        rows = rows.get("queries", rows)
        lines.append(f"\nnamed queries on {backend} (in-process)        p50 ms    p99 ms")
        for name, row in rows.items():
            if "p50_ms" in row:
                lines.append(f"  {name:<44} {row['p50_ms']:>8.2f}  {row['p99_ms']:>8.2f}")
            else:
                lines.append(f"  {name:<44} {row.get('skipped') or row.get('error')}")
    views = result.get("views", {})
    lines.append("\nviews (in-process; first = built, then cached)    p50 ms    p99 ms  first ms     bytes  goal")
    for path, row in views.items():
        if "p50_ms" not in row:
            lines.append(f"  {path:<44} {row.get('error')}")
            continue
        goal = {True: "met", False: "MISSED"}.get(row.get("goal_met"), "")
        first = _fmt(row.get("first_ms", ""))
        lines.append(f"  {path[:44]:<44} {row['p50_ms']:>8.2f}  {row['p99_ms']:>8.2f}  {first:>8}  {row['bytes']:>8}  {goal}")
    if "http" in result:
        lines.append(
            "\nHTTP, 1 uvicorn worker (32 conns for req/s; 1 conn for latency)\n"
            f"  {'endpoint':<58} {'req/s':>7} {'x health':>8} {'p50 ms':>7} {'p99 ms':>7} {'p50 x':>6}  goal"
        )
        for path, row in result["http"].items():
            if "requests_per_second" not in row:
                lines.append(f"  {path:<58} {row.get('error')} ({row.get('status')})")
                continue
            goal = {True: "met", False: "MISSED"}.get(row.get("goal_met"), "")
            lines.append(
                f"  {path[:58]:<58} {row['requests_per_second']:>7.0f} {row.get('throughput_ratio', 1):>8.2f} "
                f"{row['p50_ms']:>7.2f} {row['p99_ms']:>7.2f} {row.get('p50_ratio', 1):>6.2f}  {goal}"
            )
    if "scale" in result:
        scale = result["scale"]
        sizes = scale["sizes"]
        bulk = scale["bulk_load"]
        lines.append(
            f"\nscale: {sizes['municipalities']:,} municipalities, {sizes['regions']} regions, {sizes['projects']:,} projects "
            f"({sum(sizes['nodes'].values()):,} nodes, {sum(sizes['relationships'].values()):,} relationships)"
        )
        lines.append(
            f"  bulk load: {bulk['rows']:,} rows in {bulk['seconds']} s = {bulk['rows_per_second']:,} rows/s "
            f"({'met' if bulk['goal_met'] else 'MISSED'}: goal ≥ {GOAL_BULK_ROWS_PER_SECOND:,})"
        )
        lines.append("  cold (first call per graph): " + ", ".join(f"{k} {v}" for k, v in scale.get("cold", {}).items()))
        lines.append(f"  {'service (steady state, new input each call)':<44} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  goal")
        for name, row in scale.get("services", {}).items():
            lines.append(
                f"  {name:<44} {row['p50_ms']:>8.2f} {row['p95_ms']:>8.2f} {row['p99_ms']:>8.2f}  "
                f"{'met' if row['goal_met'] else 'MISSED'} (p95 ≤ {GOAL_SCALE_P95_MS:.0f})"
            )
        lines.append(f"  {'named query at scale':<44} {'p50 ms':>8} {'p99 ms':>8}")
        for name, row in scale.get("queries", {}).items():
            if "p50_ms" in row:
                lines.append(f"  {name:<44} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f}")
    lines.append(f"\nwhole run: {result['seconds']} s")
    return "\n".join(lines)
