"""Loading seed/ into a store: validate everything first, then replace the graph, verified."""

from __future__ import annotations

from pathlib import Path

from app.graph.store import GraphStore, LoadReport
from app.graph.writer import WrittenKnowledge
from app.seed import load_seed
from app.steps import NO_STEPS, Steps


def load(
    store: GraphStore, seed_path: Path, batch_size: int = 1000, steps: Steps = NO_STEPS, extra: WrittenKnowledge | None = None
) -> LoadReport:
    """Raises SeedError before touching the store if any seed file is wrong, and
    LoadVerificationError (graph unchanged) if the store did not keep every row.
    Steps: "validate seed", then the store's "write" and "verify". `extra`: imported written
    knowledge to add (`lifeact knowledge import`)."""
    steps.begin("validate seed")
    graph = load_seed(seed_path)
    steps.advance(graph.row_count())
    return store.replace_graph(graph, batch_size=batch_size, steps=steps, extra=extra)
