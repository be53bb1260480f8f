"""One benchmark run: the seed loads, then each section in turn, into one result."""

from __future__ import annotations

import os
import platform
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from app.benchmark.endpoints import bench_http, seed_endpoints
from app.benchmark.plan import SEED_SCENARIO, Profile
from app.benchmark.queries import bench_neo4j, bench_queries
from app.benchmark.routes import Budget
from app.benchmark.scale import bench_scale
from app.benchmark.views import bench_views
from app.paths import SEED_DIR
from app.steps import NO_STEPS, Prefixed, Steps


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


def run(
    profile: Profile,
    *,
    http: bool = True,
    scale: bool = True,
    seed_path: Path | None = None,
    steps: Steps = NO_STEPS,
    budgets: dict[str, Budget] | None = None,
) -> dict[str, Any]:
    from app.graph.embedded import EmbeddedStore
    from app.services.read_model import tune_garbage_collection

    seed_path = seed_path or SEED_DIR
    tune_garbage_collection()  # as the server does, so in-process figures match what it would see
    started = time.perf_counter()
    result: dict[str, Any] = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "profile": profile.__dict__,
    }
    with tempfile.TemporaryDirectory(prefix="lifeact-bench-") as temporary:
        folder = Path(temporary)
        steps.begin("seed load (ordinary and bulk)")
        result["seed_load"], store_path = bench_seed_load(folder, seed_path)
        steps.advance(result["seed_load"]["rows"])
        store = EmbeddedStore(store_path)
        try:
            result["queries"] = {"embedded": bench_queries(store, SEED_SCENARIO, profile.query_samples, steps=steps)}
        finally:
            store.close()
        result["queries"]["neo4j"] = bench_neo4j(profile.query_samples, steps)
        result["views"] = bench_views(store_path, seed_path, max(5, profile.query_samples // 2), SEED_SCENARIO, steps)
        if http:
            endpoints = seed_endpoints()
            views = result["views"]
            endpoints += [p for p in views if p.startswith("/views/graph?") and "p50_ms" in views[p]]
            result["http"] = bench_http(store_path, seed_path, profile, endpoints, steps)
        if scale:
            result["scale"] = bench_scale(folder, profile, steps=Prefixed(steps, "scale: "), budgets=budgets)
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result
