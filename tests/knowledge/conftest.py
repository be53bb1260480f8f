"""A store of its own per test module (module-scoped), with an editor and an admin token."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.seed import SeedGraph
from app.services.tokens import TokenFile
from tests.conftest import embedded_settings, seeded_store


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory, seed_graph: SeedGraph) -> Path:
    return seeded_store(tmp_path_factory, seed_graph, "knowledge-graph")


@pytest.fixture(scope="module")
def tokens(store_path: Path) -> dict[str, str]:
    file = TokenFile(store_path / "tokens.json")
    return {"editor": file.create("ed", "editor"), "admin": file.create("ad", "admin")}


@pytest.fixture(scope="module")
def api(store_path: Path, tokens: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(embedded_settings(store_path, auth_failure_limit=5))) as client:
        client.headers["Accept-Language"] = "en"  # the messages are checked in English here (Danish is the default)
        yield client
    gc.unfreeze()
