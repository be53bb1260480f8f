"""HTTP at seed scale: every endpoint's throughput (32 connections) and latency (one connection)
against `lifeact serve`, as ratios to /health in the same run."""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Any

from app.benchmark.client import latencies, throughput
from app.benchmark.measure import summary_ms
from app.benchmark.plan import GOAL_LATENCY_RATIO, GOAL_THROUGHPUT_RATIO, SEED_SCENARIO, Profile, Scenario
from app.benchmark.server import serve
from app.steps import NO_STEPS, Steps


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


def measure_endpoint(port: int, path: str, profile: Profile) -> dict[str, Any]:
    """Latency at one connection (after 3 unmeasured requests), then throughput at 32 connections."""
    times, statuses, size = latencies(port, [path] * profile.http_latency_requests, warm=3)
    if statuses[-1] >= 400:
        return {"status": statuses[-1], "error": "not measured: the endpoint answered an error"}
    done, errors, elapsed = throughput(port, path, profile.http_seconds, 32)
    return {
        "status": statuses[-1],
        "bytes": size,
        "requests_per_second": round(done / elapsed, 1),
        "errors": errors,
        **summary_ms(times),
    }


def bench_http(
    store_path: Path, seed_path: Path, profile: Profile, endpoints: list[str], steps: Steps = NO_STEPS
) -> dict[str, Any]:
    results: dict[str, Any] = {}
    steps.begin("HTTP endpoints", total=len(endpoints), unit="endpoints")
    with serve(store_path, seed_path) as server:
        for path in endpoints:
            results[path] = measure_endpoint(server.port, path, profile)
            steps.advance()
    health = results.get("/health")
    for path, row in results.items():
        if health and "requests_per_second" in row:
            row["throughput_ratio"] = round(row["requests_per_second"] / health["requests_per_second"], 3)
            row["p50_ratio"] = round(row["p50_ms"] / health["p50_ms"], 2)
            if path.split("?")[0] in RELATIONSHIP_ENDPOINTS:
                row["goal_met"] = row["throughput_ratio"] >= GOAL_THROUGHPUT_RATIO and row["p50_ratio"] <= GOAL_LATENCY_RATIO
    return results
