"""HTTP at seed scale: every endpoint's throughput (32 connections) and latency (one connection)
against `lifeact serve`, as ratios to the trivial FastAPI app (app/benchmark/floor.py) and to
/health measured in the same run; and the server's memory after it all."""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Any

from app.benchmark.client import latencies, throughput
from app.benchmark.floor import serve_floor
from app.benchmark.measure import summary_ms
from app.benchmark.plan import (
    GOAL_FLOOR_RATIO,
    GOAL_LATENCY_RATIO,
    GOAL_SEED_RSS_MB,
    GOAL_THROUGHPUT_RATIO,
    SEED_SCENARIO,
    Profile,
    Scenario,
)
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
    """{"floor": the trivial app's row, "endpoints": a row per path, "server_rss_mb", "rss_goal_met"}.
    The trivial app is measured before and after the endpoints (both servers up, one idle while
    the other is measured), and the endpoints are compared with the mean of the two, so that a
    change in what else the machine runs meanwhile weighs less."""
    results: dict[str, Any] = {}
    steps.begin("HTTP endpoints, the trivial app before and after", total=len(endpoints) + 2, unit="endpoints")
    with serve_floor() as floor_server, serve(store_path, seed_path) as server:
        before = measure_endpoint(floor_server.port, "/", profile)
        steps.advance()
        for path in endpoints:
            results[path] = measure_endpoint(server.port, path, profile)
            steps.advance()
        after = measure_endpoint(floor_server.port, "/", profile)
        steps.advance()
        rss, floor_rss = server.rss_mb(), floor_server.rss_mb()
    floor = {
        **before,
        "requests_per_second": round((before["requests_per_second"] + after["requests_per_second"]) / 2, 1),
        "requests_per_second_before": before["requests_per_second"],
        "requests_per_second_after": after["requests_per_second"],
        "errors": before["errors"] + after["errors"],
        "rss_mb": floor_rss,
    }
    health = results.get("/health", {})
    for path, row in results.items():
        if "requests_per_second" not in row:
            continue
        row["floor_ratio"] = round(row["requests_per_second"] / floor["requests_per_second"], 3)
        if "requests_per_second" in health:
            row["throughput_ratio"] = round(row["requests_per_second"] / health["requests_per_second"], 3)
            row["p50_ratio"] = round(row["p50_ms"] / health["p50_ms"], 2)
        if path.split("?")[0] in RELATIONSHIP_ENDPOINTS:  # answers cached per question
            row["goal_met"] = row["floor_ratio"] >= GOAL_FLOOR_RATIO
            if "throughput_ratio" in row:
                row["health_goal_met"] = (
                    row["throughput_ratio"] >= GOAL_THROUGHPUT_RATIO and row["p50_ratio"] <= GOAL_LATENCY_RATIO
                )
    return {
        "floor": floor,
        "endpoints": results,
        "server_rss_mb": rss,
        "rss_goal_met": None if rss is None else rss <= GOAL_SEED_RSS_MB,
    }
