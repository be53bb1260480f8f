"""What an API process holds when the graph lives in another process (Neo4j), measured here where
no Neo4j server runs (README, "Memory"): the app imported with the Neo4j backend, then the name
index read from a store's snapshot. No LadybugDB database is opened; LadybugDB is not even imported.

    .venv/bin/python scripts/memory_without_embedded.py /tmp/synth-copy

It is a floor, not a served figure: the answers a server keeps and the libraries the views load
come on top, as on the embedded store.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
from pathlib import Path

from app.benchmark.server import rss_mb


def main() -> int:
    store = Path(sys.argv[1] if len(sys.argv) > 1 else "data/graph")
    print(f"Python: {rss_mb(os.getpid()):.0f} MB")
    os.environ["LIFEACT_BACKEND"] = "neo4j"
    import neo4j  # noqa: F401

    import app.graph.neo4j_store  # noqa: F401
    import app.main  # noqa: F401
    from app.services.names import NameIndex

    print(f"the app and the Neo4j driver imported: {rss_mb(os.getpid()):.0f} MB")
    snapshots = sorted(store.glob("*.names"))
    if not snapshots:
        print(f"no name index snapshot in {store}: serve or query it once first")
        return 1
    snapshot = snapshots[-1]
    version = pickle.loads(snapshot.read_bytes())[1]  # our own file, written beside the store
    index = NameIndex.load(snapshot, version)
    if index is None:
        print(f"{snapshot} is from an older format: serve or query the store once to write it again")
        return 1
    gc.collect()
    print(f"and the name index of {len(index):,} nodes: {rss_mb(os.getpid()):.0f} MB")
    print(f"LadybugDB imported: {'ladybug' in sys.modules}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
