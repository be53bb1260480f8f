"""Named read queries, in-process: p50/p99 of each on the embedded store and, when NEO4J_URI is
set, on Neo4j. Writes are not run here: they are timed as the loads."""

from __future__ import annotations

import os
from typing import Any

from app.benchmark.calls import query_calls
from app.benchmark.measure import sample, summary_ms
from app.benchmark.plan import SEED_SCENARIO, Scenario
from app.graph.store import GraphStore
from app.steps import NO_STEPS, Steps


def bench_queries(
    store: GraphStore,
    scenario: Scenario,
    samples: int,
    budget_seconds: float = 10.0,
    warm: bool = True,
    steps: Steps = NO_STEPS,
) -> dict[str, Any]:
    results: dict[str, Any] = {}
    calls = query_calls(store, scenario)
    steps.begin(f"named queries on {store.backend}", total=len(calls), unit="queries")
    for label, call in calls.items():
        steps.advance()
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


def bench_neo4j(samples: int, steps: Steps = NO_STEPS) -> dict[str, Any]:
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
        return {"uri": settings.neo4j_uri, "queries": bench_queries(handle.store, SEED_SCENARIO, samples, steps=steps)}
    except Exception as exc:
        return {"not_measured": f"{type(exc).__name__}: {exc}"[:300]}
    finally:
        handle.close()
