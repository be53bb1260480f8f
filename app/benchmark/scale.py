"""EU scale: a synthetic graph (app/synth.py) bulk-loaded, the per-graph tables built cold, then
the named queries and the services with new inputs on every call."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

from app.benchmark.calls import bench_scale_services, scale_scenario
from app.benchmark.measure import timed
from app.benchmark.plan import GOAL_BULK_ROWS_PER_SECOND, QUICK, Profile
from app.benchmark.queries import bench_queries
from app.steps import NO_STEPS, Steps


def bench_scale(folder: Path, profile: Profile, seed: int = 7, steps: Steps = NO_STEPS) -> dict[str, Any]:
    from app.graph.bulk import bulk_load
    from app.graph.embedded import EmbeddedStore
    from app.services import relationships
    from app.services.index import GenerationCache
    from app.synth import SynthSizes, synth_graph

    sizes = SynthSizes(profile.municipalities, profile.regions, profile.projects)
    started = time.perf_counter()
    graph = synth_graph(sizes, seed=seed, steps=steps)
    build_seconds = time.perf_counter() - started
    store = EmbeddedStore(folder / "synth")
    report = bulk_load(store, graph, steps)
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
        steps.begin("per-graph tables and first calls (in-process)", unit="tables and calls")
        cold: dict[str, float] = {f"{name.replace(' ', '_')}_seconds": v for name, v in relationships.warm(cache).items()}
        rng = random.Random(seed)
        scenario = scale_scenario(cache, rng)
        # first calls build what is left: per-answer caches, overlap pair tables …
        cold["first_overlap_seconds"] = timed(lambda: relationships.overlap(cache, scenario.municipality, scenario.other))
        cold["first_replication_seconds"] = timed(lambda: relationships.replication(cache, scenario.task))
        cold["first_paths_seconds"] = timed(lambda: relationships.paths(cache, scenario.municipality, scenario.path_target))
        cold["first_graph_seconds"] = timed(lambda: relationships.neighbourhood(cache, scenario.municipality, 2))
        result["cold"] = {k: round(v, 3) for k, v in cold.items()}
        steps.advance(len(cold))
        result["scenario"] = scenario.__dict__
        # full scans of 100,000 rows take seconds: a time budget per query keeps the run bounded
        budget = 1.0 if profile.scale_samples <= QUICK.scale_samples else 10.0
        result["queries"] = bench_queries(store, scenario, max(5, profile.query_samples // 2), budget, False, steps)
        result["services"] = bench_scale_services(cache, rng, profile.scale_samples, budget * 5, steps)
    finally:
        store.close()
    return result
