"""Shared fixtures: the seed, a loaded embedded store, a Neo4j container where Docker
runs, and an in-process API client per backend (`with TestClient(app)` runs the lifespan)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.graph.embedded import EmbeddedStore
from app.main import create_app
from app.seed import SeedGraph, load_seed
from app.settings import PROJECT_ROOT, Settings

SEED_DIR = PROJECT_ROOT / "seed"
SHARED_DIR = PROJECT_ROOT.parent / "shared"
NEO4J_IMAGE = "neo4j:5.26.7"  # the same pin as docker-compose.yml
NEO4J_TEST_PASSWORD = "lifeact-test-password"
BACKENDS = ["embedded", "neo4j"]


def docker_unavailable_reason() -> str | None:
    """Why the Neo4j suite cannot run here, or None when a Docker daemon answers."""
    try:
        import docker

        docker.from_env(timeout=3).ping()
    except Exception as exc:  # any failure to reach a daemon means: skip, and say why
        where = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
        return (
            f"no Docker daemon answers at {where} ({type(exc).__name__}); "
            "the Neo4j suite runs through testcontainers wherever one does"
        )
    return None


def embedded_settings(path: Path, **overrides: object) -> Settings:
    return Settings(backend="embedded", embedded_path=path, seed_path=SEED_DIR, **overrides)


@pytest.fixture(scope="session")
def seed_graph() -> SeedGraph:
    return load_seed(SEED_DIR)


def seeded_store(tmp_path_factory: pytest.TempPathFactory, seed_graph: SeedGraph, name: str) -> Path:
    """A new embedded store loaded with the seed, for tests that need one of their own (they write)."""
    path = tmp_path_factory.mktemp(name)
    store = EmbeddedStore(path)
    store.replace_graph(seed_graph)
    store.close()
    return path


@pytest.fixture(scope="session")
def embedded_path(tmp_path_factory: pytest.TempPathFactory, seed_graph: SeedGraph) -> Path:
    return seeded_store(tmp_path_factory, seed_graph, "embedded-graph")


@pytest.fixture(scope="session")
def neo4j_settings() -> Iterator[Settings]:
    reason = docker_unavailable_reason()
    if reason:
        pytest.skip(reason)
    from testcontainers.neo4j import Neo4jContainer

    with Neo4jContainer(NEO4J_IMAGE, password=NEO4J_TEST_PASSWORD) as container:
        yield Settings(
            backend="neo4j",
            neo4j_uri=container.get_connection_url(),
            neo4j_user="neo4j",
            neo4j_password=NEO4J_TEST_PASSWORD,
            neo4j_database="neo4j",
            seed_path=SEED_DIR,
        )


@pytest.fixture(scope="session", params=BACKENDS)
def settings(request: pytest.FixtureRequest, embedded_path: Path) -> Settings:
    if request.param == "embedded":
        return embedded_settings(embedded_path)
    return request.getfixturevalue("neo4j_settings")


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def embedded_client(embedded_path: Path) -> Iterator[TestClient]:
    """For tests of behaviour that only the embedded store has."""
    with TestClient(create_app(embedded_settings(embedded_path))) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium through Playwright, one per test module (the browser tests)."""
    from playwright.sync_api import sync_playwright

    from tests.views.browser import launch

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def all_edges(store: Any) -> list[dict[str, Any]]:
    """Every relationship as (source, type, target, role), read with the tests' own Cypher text (the
    console's read-only path), independent of the app's named queries: an oracle for loads and exports."""
    from app.graph.queries import DIALECT_WORDS

    text = "MATCH (a)-[r]->(b) RETURN a.id AS source, __TYPE_OF__(r) AS type, b.id AS target, r.role AS role"
    for word, replacement in DIALECT_WORDS[store.dialect].items():
        text = text.replace(word, replacement)
    columns, rows, truncated = store.run_read_only(text, {}, timeout_seconds=60.0, row_limit=10_000_000, release=lambda: None)
    assert not truncated
    return [dict(zip(columns, row, strict=True)) for row in rows]
