"""EU scale: a synthetic graph (app/synth.py) bulk-loaded; in-process, the per-graph tables built
cold and the named queries; then `lifeact serve` on that store: the time from starting it to its
first answer of /api/overlap, overlap, replication, paths, graph and search over HTTP with new
inputs on every request (nothing from the answer cache), the server's memory, and every GET route
of its OpenAPI schema once within its budget (app/benchmark/routes.py, issue 15)."""

from __future__ import annotations

import contextlib
import math
import random
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.benchmark.calls import cold_start
from app.benchmark.client import latencies
from app.benchmark.measure import summary_ms
from app.benchmark.plan import (
    GOAL_BULK_ROWS_PER_SECOND,
    GOAL_SCALE_P95_MS,
    GOAL_SCALE_READY_SECONDS,
    GOAL_SCALE_RSS_MB,
    QUICK,
    Profile,
    memory_ceiling_mb,
)
from app.benchmark.queries import bench_queries
from app.benchmark.routes import Budget, RouteInputs, bench_routes
from app.benchmark.server import serve
from app.seed import SeedGraph
from app.steps import NO_STEPS, Steps

q = urllib.parse.quote
ANALYSES_TIMEOUT_SECONDS = 300.0
THEME_SERVICE = "replication (a theme)"
THEME_SAMPLES = 5  # different themes, each a new question (45 at EU scale)


@dataclass
class ScaleInputs:
    """What a visitor could ask of the synthetic graph, drawn at random: names of municipalities
    (all, and those in some work package), replication targets (work packages and tasks) and
    themes (each addressed by hundreds of work packages at EU scale)."""

    rng: random.Random
    municipalities: list[str]
    participating: list[str]
    targets: list[str]
    themes: list[str]
    by_code: dict[int, str]
    code_of: dict[str, int]

    @classmethod
    def of(cls, graph: SeedGraph, seed: int) -> ScaleInputs:
        rows = graph.nodes["Municipality"]
        return cls(
            rng=random.Random(seed),
            municipalities=[m["name"] for m in rows],
            participating=[m["name"] for m in rows if m["participating"]],
            targets=[w["code"] for w in graph.nodes["WorkPackage"]] + [t["code"] for t in graph.nodes["Task"]],
            themes=sorted(t["slug"] for t in graph.nodes["Theme"]),
            by_code={m["code"]: m["name"] for m in rows},
            code_of={m["name"]: m["code"] for m in rows},
        )

    def near(self, name: str) -> str:
        """A municipality a few grid steps away (the synthetic grid is row-major by code)."""
        width = math.ceil(math.sqrt(len(self.municipalities)))
        step = self.rng.choice([3, -3, 4 * width, -4 * width, 2 + 2 * width, 2 - 2 * width])
        return self.by_code.get(self.code_of[name] + step, self.municipalities[0])

    def typed(self, name: str) -> str:
        """What a person types: the first few letters, or the name with one letter left out."""
        if self.rng.random() < 0.5:
            return name[: self.rng.randint(3, max(3, len(name) - 1))]
        gap = self.rng.randrange(len(name))
        return name[:gap] + name[gap + 1 :]

    def requests(self) -> dict[str, Callable[[], str]]:
        """A new URL on every call, per service."""
        rng = self.rng

        def paths() -> str:
            a = rng.choice(self.municipalities)
            return f"/api/paths?source={q(a)}&target={q(self.near(a))}&max_hops=6"

        return {
            "overlap": lambda: f"/api/overlap?a={q(rng.choice(self.participating))}&b={q(rng.choice(self.participating))}",
            "replication": lambda: f"/api/replication?target={q(rng.choice(self.targets))}",
            "paths (max_hops 6)": paths,
            "graph (depth 2)": lambda: f"/api/graph?center={q(rng.choice(self.municipalities))}&depth=2",
            "search (prefix or typo)": lambda: f"/api/search?q={q(self.typed(rng.choice(self.municipalities)))}&limit=10",
        }

    def theme_requests(self, count: int) -> list[str]:
        """Replication for `count` different themes: a theme stands for every work package that
        addresses it, so its answer weighs thousands of participants (issue 11 sets no goal for it;
        it is measured so that a slow one shows, as one of 5-15 s did)."""
        return [f"/api/replication?target={q(slug)}" for slug in self.rng.sample(self.themes, min(count, len(self.themes)))]


def bench_scale(
    folder: Path,
    profile: Profile,
    seed: int = 7,
    steps: Steps = NO_STEPS,
    budgets: dict[str, Budget] | None = None,
) -> dict[str, Any]:
    from app.graph.bulk import bulk_load
    from app.graph.embedded import EmbeddedStore, auto_pool_mb
    from app.settings import get_settings
    from app.synth import SynthSizes, synth_graph

    sizes = SynthSizes(profile.municipalities, profile.regions, profile.projects)
    started = time.perf_counter()
    graph = synth_graph(sizes, seed=seed, steps=steps)
    build_seconds = time.perf_counter() - started
    store = EmbeddedStore(folder / "synth")
    report = bulk_load(store, graph, steps)
    rows = graph.row_count()
    inputs = ScaleInputs.of(graph, seed)
    route_inputs = RouteInputs.of(graph, seed)
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
        steps.begin("per-graph tables and first calls (in-process)", unit="tables and calls")
        cold, scenario = cold_start(store)
        steps.advance(len(cold))
        result["cold"] = {k: round(v, 3) for k, v in cold.items()}
        result["scenario"] = scenario.__dict__
        # full scans of 100,000 rows take seconds: a time budget per query keeps the run bounded
        budget = 1.0 if profile.scale_samples <= QUICK.scale_samples else 10.0
        result["queries"] = bench_queries(store, scenario, max(5, profile.query_samples // 2), budget, False, steps)
    finally:
        store.close()
    pool_mb = get_settings().embedded_buffer_pool_mb or auto_pool_mb(folder / "synth" / report.generation)
    ceiling = memory_ceiling_mb(sum(report.counts.nodes.values()), pool_mb)
    result["memory_ceiling"] = {"pool_mb": pool_mb, "ceiling_mb": round(ceiling)}
    result.update(bench_scale_served(folder / "synth", inputs, profile.scale_samples, steps, route_inputs, budgets, ceiling))
    return result


def bench_scale_served(
    store_path: Path,
    inputs: ScaleInputs,
    samples: int,
    steps: Steps = NO_STEPS,
    route_inputs: RouteInputs | None = None,
    budgets: dict[str, Budget] | None = None,
    ceiling_mb: float = GOAL_SCALE_RSS_MB,
) -> dict[str, Any]:
    """`lifeact serve` on the synthetic store: ready time, services over HTTP, memory; with
    `route_inputs`, then every GET route once (the editor token it sends is made here)."""
    from app.services.tokens import TokenError, TokenFile

    a, b = inputs.rng.sample(inputs.participating, 2)
    if route_inputs is not None:
        tokens = TokenFile(store_path / "tokens.json")  # where `lifeact serve` looks for it by default
        with contextlib.suppress(TokenError):
            tokens.revoke("bench")
        route_inputs.values["editor token"] = tokens.create("bench", "editor")
    steps.begin("lifeact serve until /api/overlap answers", total=1, unit="answer")
    with serve(store_path, ready_path=f"/api/overlap?a={q(a)}&b={q(b)}", timeout=600) as server:
        steps.advance()
        ready_seconds, ready_rss = server.ready_seconds, server.rss_mb()
        # The latencies are those of a server at work, not one still computing its analyses of the
        # whole graph (they start 5 s after it, and take the other core for seconds at this size).
        steps.begin("the analyses of the whole graph (until /health says ready)", total=1, unit="wait")
        analyses = server.wait_for_analyses(ANALYSES_TIMEOUT_SECONDS)
        analyses_seconds = time.perf_counter() - server.started
        analyses_rss = server.rss_mb()
        steps.advance()
        services = {}
        requests = inputs.requests()
        steps.begin("services over HTTP (new input each request)", total=len(requests) * samples, unit="requests")
        for name, url in requests.items():
            times, statuses, _ = latencies(server.port, [url() for _ in range(samples)])
            row = summary_ms(times)
            row["errors"] = sum(status >= 400 for status in statuses)
            row["goal_met"] = row["p95_ms"] <= GOAL_SCALE_P95_MS and row["errors"] == 0
            services[name] = row
            steps.advance(samples)
        times, statuses, _ = latencies(server.port, inputs.theme_requests(THEME_SAMPLES))
        row = summary_ms(times)
        row["errors"] = sum(status >= 400 for status in statuses)
        row["goal_met"] = None  # no goal: measured so that a slow one shows
        services[THEME_SERVICE] = row
        rss = server.rss_mb()
        routes = None
        if route_inputs is not None:
            steps.begin("every GET route once (issue 15)", total=1, unit="sweep")
            routes = bench_routes(server, route_inputs, ceiling_mb, budgets)
            steps.advance()
        warnings = server.warnings()
    served = {
        "ready_seconds": round(ready_seconds, 2),
        "ready_goal_met": ready_seconds <= GOAL_SCALE_READY_SECONDS,
        "rss_mb_ready": ready_rss,
        "analyses": analyses,
        "analyses_seconds": round(analyses_seconds, 2),
        "rss_mb_analyses": analyses_rss,
        "rss_mb": rss,
        "rss_goal_met": None if rss is None else rss <= GOAL_SCALE_RSS_MB,
        "server_warnings": warnings,
    }
    return {"served": served, "services": services} | ({"routes": routes} if routes is not None else {})
