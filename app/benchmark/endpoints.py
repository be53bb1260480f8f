"""HTTP at seed scale: every endpoint's throughput (32 connections) and latency (one connection)
against `lifeact serve`, as ratios to /health in the same run."""

from __future__ import annotations

import asyncio
import urllib.parse
from pathlib import Path
from typing import Any

from app.benchmark.client import _latency, _throughput
from app.benchmark.measure import summary_ms
from app.benchmark.plan import GOAL_LATENCY_RATIO, GOAL_THROUGHPUT_RATIO, SEED_SCENARIO, Profile, Scenario
from app.benchmark.server import serve


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


def bench_http(store_path: Path, seed_path: Path, profile: Profile, endpoints: list[str]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with serve(store_path, seed_path) as server:
        port = server.port
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
