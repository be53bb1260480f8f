"""Loading seed/ into a store: validate everything first, then replace the graph, verified."""

from __future__ import annotations

from pathlib import Path

from app.graph.store import GraphStore, LoadReport
from app.seed import load_seed


def load(store: GraphStore, seed_path: Path, batch_size: int = 1000) -> LoadReport:
    """Raises SeedError before touching the store if any seed file is wrong, and
    LoadVerificationError (graph unchanged) if the store did not keep every row."""
    graph = load_seed(seed_path)
    return store.replace_graph(graph, batch_size=batch_size)
