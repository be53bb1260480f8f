"""`lifeact load` while people read: no reader ever sees a half-loaded graph, and nothing is lost.

A real server (uvicorn on 127.0.0.1) serves an embedded folder; reader threads hit several
endpoints while `python -m app.cli load` runs, several times, in another process on the same
folder. Every answer must be 200 and complete.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.graph.embedded import EmbeddedStore, _rows
from app.main import create_app
from app.seed import SeedGraph
from app.settings import PROJECT_ROOT
from tests.conftest import SEED_DIR, embedded_settings
from tests.knowledge.served import in_thread

LOADS = 3
READERS = 6

# What a complete graph answers (the seed's figures; tests/graph pins them against the sources).
CHECKS: dict[str, Callable[[Any], bool]] = {
    "/api/stats": lambda body: body["nodes"]["Municipality"] == 98 and body["relationships"]["PARTICIPATES_IN"] == 76,
    "/api/municipalities": lambda body: body["count"] == 98 and len(body["data"]) == 98,
    "/api/municipalities?participating=true": lambda body: body["count"] == 26,
    "/api/work-packages": lambda body: len(body["data"]) == 11,
    "/api/municipalities/Aarhus": lambda body: body["code"] == 751 and len(body["work_packages"]) > 0,
    "/api/overlap?a=Aarhus&b=Odense": lambda body: "jaccard" in body,
    "/api/graph?center=WP9": lambda body: len(body["nodes"]) > 5 and len(body["edges"]) > 5,
    "/api/analytics/centrality": lambda body: bool(body),
}


@pytest.fixture
def served_folder(tmp_path: Path, embedded_path: Path) -> Iterator[tuple[str, Path]]:
    folder = tmp_path / "graph"
    shutil.copytree(embedded_path, folder)
    with in_thread(create_app(embedded_settings(folder))) as base:
        yield base, folder


def run_load(folder: Path) -> str:
    env = {**os.environ, "LIFEACT_EMBEDDED_PATH": str(folder), "LIFEACT_SEED_PATH": str(SEED_DIR)}
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "load"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split("(generation ")[1].split(")")[0]


def test_readers_never_see_a_half_loaded_graph(served_folder: tuple[str, Path]) -> None:
    base, folder = served_folder
    stop = threading.Event()
    failures: list[str] = []
    answered: Counter[str] = Counter()
    generations: set[str] = set()
    lock = threading.Lock()

    def read() -> None:
        with httpx.Client(base_url=base, timeout=10) as client:
            while not stop.is_set():
                for url, complete in CHECKS.items():
                    try:
                        response = client.get(url)
                        ok = response.status_code == 200 and complete(response.json())
                        problem = None if ok else f"{url}: {response.status_code} {response.text[:200]}"
                    except Exception as exc:  # a dropped connection is a failure too
                        problem = f"{url}: {type(exc).__name__} {exc}"
                    health = client.get("/health").json().get("generation")
                    with lock:
                        answered[url] += 1
                        generations.add(health)
                        if problem:
                            failures.append(problem)

    readers = [threading.Thread(target=read) for _ in range(READERS)]
    for reader in readers:
        reader.start()
    try:
        time.sleep(0.5)
        loaded = [run_load(folder) for _ in range(LOADS)]
        time.sleep(1.0)  # readers meet the last generation too
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=30)

    assert not failures, failures[:5]
    assert min(answered.values()) >= LOADS, answered
    assert loaded[-1] in generations  # the server followed the reloads without a restart
    assert len(generations & set(loaded)) >= 2, (generations, loaded)
    with httpx.Client(base_url=base) as client:
        assert client.get("/health").json()["generation"] == loaded[-1]
    # Old generations are pruned; only a few are kept for readers still holding them.
    assert len(list(folder.glob("gen-*.lbdb"))) <= 3


def test_a_retired_generation_stays_open_while_a_reader_holds_it(tmp_path: Path, seed_graph: SeedGraph) -> None:
    """The serving store switches to a new generation while a read is under way on the old one:
    the old one is retired, not closed, until that reader is done."""
    writer = EmbeddedStore(tmp_path)
    writer.replace_graph(seed_graph)
    server = EmbeddedStore(tmp_path)
    first = server.generation
    with server._use() as held:
        assert held is not None and held.path.name == first
        writer.replace_graph(seed_graph)  # as `lifeact load` in another process would
        assert server.generation != first  # new readers get the new generation …
        assert held.retired
        with held.connection() as conn:  # … while the old one still answers its reader
            rows = _rows(conn, server.queries.text("count_nodes"), {})
        assert {row["label"]: row["count"] for row in rows}["Municipality"] == 98
    assert held.retired and held.users == 0
    assert server.counts().nodes["Municipality"] == 98
    server.close()
    writer.close()
