"""Answers to anonymous GETs under /api/ are kept per graph version and sent again as they were;
a change to the graph (a new version) is never answered from an older one."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.services import overlap as overlap_service
from app.services.read_model import ResponseCache
from tests.conftest import embedded_settings


@pytest.fixture
def counted(embedded_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, list[str]]]:
    calls: list[str] = []
    real = overlap_service.overlap

    def counting(model: object, a: str, b: str) -> object:
        calls.append(f"{a}/{b}")
        return real(model, a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(overlap_service, "overlap", counting)
    with TestClient(create_app(embedded_settings(embedded_path))) as client:
        yield client, calls
    gc.unfreeze()


def test_a_repeated_question_is_answered_from_the_cache_with_the_same_bytes_and_headers(
    counted: tuple[TestClient, list[str]],
) -> None:
    client, calls = counted
    first = client.get("/api/overlap", params={"a": "Aalborg", "b": "Samsø"})
    second = client.get("/api/overlap", params={"a": "Aalborg", "b": "Samsø"})
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and calls == ["Aalborg/Samsø"]
    assert second.headers["content-type"] == first.headers["content-type"]
    assert "content-security-policy" in second.headers  # added outside the cache, on every answer
    client.get("/api/overlap", params={"a": "Aalborg", "b": "Vejle"})
    assert calls == ["Aalborg/Samsø", "Aalborg/Vejle"]


def test_a_new_graph_version_is_never_answered_from_the_old_one(
    counted: tuple[TestClient, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, calls = counted
    client.get("/api/overlap", params={"a": "Aalborg", "b": "Samsø"})
    store = client.app.state.model.store
    monkeypatch.setattr(type(store), "version", property(lambda self: f"{self.generation}#1"))
    client.get("/api/overlap", params={"a": "Aalborg", "b": "Samsø"})
    assert calls == ["Aalborg/Samsø", "Aalborg/Samsø"]


@pytest.mark.parametrize(
    ("params", "headers"),
    [
        ({"a": "Aalborg", "b": "Nowhere"}, {}),  # a 404 is computed every time
        ({"a": "Aalborg", "b": "Samsø"}, {"Authorization": "Bearer x"}),  # a signed-in caller is never served a shared copy
        ({"a": "Aalborg", "b": "Samsø"}, {"Cookie": "session=x"}),
    ],
)
def test_errors_and_callers_with_credentials_are_not_cached(
    counted: tuple[TestClient, list[str]], params: dict[str, str], headers: dict[str, str]
) -> None:
    client, calls = counted
    for _ in range(2):
        client.get("/api/overlap", params=params, headers=headers)
    assert len(calls) == 2


def test_the_cache_keeps_to_its_byte_budget_least_recently_used_first() -> None:
    cache = ResponseCache(max_bytes=100, max_entry_bytes=60)
    cache.put("v1", "a", (200, [], b"x" * 40), "v1")
    cache.put("v1", "b", (200, [], b"x" * 40), "v1")
    assert cache.get("v1", "a") is not None  # a is now the most recent
    cache.put("v1", "c", (200, [], b"x" * 40), "v1")  # over budget: b goes
    assert cache.get("v1", "b") is None and cache.get("v1", "a") and cache.get("v1", "c")
    assert cache.bytes <= 100
    cache.put("v1", "big", (200, [], b"x" * 61), "v1")  # larger than one entry may be
    cache.put("v1", "raced", (200, [], b"x"), "v2")  # the graph changed while it was computed
    assert cache.get("v1", "big") is None and cache.get("v1", "raced") is None
