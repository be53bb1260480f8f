"""The memory the analyses of the whole graph leave in a process (README, "Memory").

    LIFEACT_EMBEDDED_PATH=/tmp/synth-k .venv/bin/python scripts/memory_analyses.py

Opens the store as the server does, builds the name index, then computes the overlap ranking and
centrality in turn, printing the resident memory (VmRSS) after each and after handing freed heap
back to the system (`malloc_trim`), so that what stays is what the process keeps.
"""

from __future__ import annotations

import ctypes
import gc
import os
import time

from app.benchmark.server import rss_mb
from app.graph.embedded import EmbeddedStore
from app.services import analytics, overlap
from app.services.read_model import ReadModel


def _trimmed() -> float:
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    return rss_mb(os.getpid()) or 0.0


def main() -> int:
    model = ReadModel(EmbeddedStore(os.environ.get("LIFEACT_EMBEDDED_PATH", "data/graph")))
    model.names()
    print(f"name index: {_trimmed():.0f} MB")
    for name, compute in (("overlap ranking", overlap._overlap_ranking), ("centrality", analytics._centrality)):
        started = time.perf_counter()
        compute(model)
        print(f"{name}: {rss_mb(os.getpid()) or 0:.0f} MB, {_trimmed():.0f} MB trimmed ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":  # centrality samples in a spawned process, which imports this module again
    raise SystemExit(main())
