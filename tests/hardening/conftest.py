"""Fixtures for the hardening suite: an app on the shared embedded store, and a snapshot of
everything in the graph so that a test can prove that hostile input changed nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.graph.schema import LABELS
from app.graph.store import GraphStore
from app.main import create_app
from tests.conftest import embedded_settings


def graph_snapshot(store: GraphStore) -> dict[str, object]:
    """Counts per label and type, the generation, and a digest of every node's properties."""
    counts = store.counts()
    digest = hashlib.sha256()
    for label in LABELS:
        rows = sorted((row["node"] for row in store.read("nodes_by_label", label=label)), key=lambda node: node["id"])
        digest.update(json.dumps(rows, sort_keys=True, default=str, ensure_ascii=False).encode())
    return {
        "generation": store.generation,
        "nodes": counts.nodes,
        "relationships": counts.relationships,
        "digest": digest.hexdigest(),
    }


@pytest.fixture(scope="module")
def hardened_client(embedded_path: Path) -> Iterator[TestClient]:
    """The app with the console on (so that its endpoint meets hostile input too)."""
    app = create_app(embedded_settings(embedded_path, cypher_console=True))
    with TestClient(app) as client:
        yield client
