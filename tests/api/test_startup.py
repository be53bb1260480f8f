"""What every process pays once is paid after its start, not in its first visitors' answers:
FastAPI's routes of the included routers are built (app.main.build_routes) a moment after start."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import fastapi._compat.v2 as fastapi_fields
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import app.main
from app.main import build_routes, create_app
from tests.conftest import embedded_settings

URLS = ["/api/no-such-thing", "/api/municipalities/Samsø", "/api/graph?center=Samsø", "/views/graph?center=Samsø", "/health"]


@pytest.fixture
def fields_made(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts the pydantic fields FastAPI makes (it makes them when it builds a route)."""
    made: list[int] = []
    original = fastapi_fields.ModelField.__post_init__

    def counting(self: object) -> None:
        made.append(1)
        original(self)  # type: ignore[arg-type]

    monkeypatch.setattr(fastapi_fields.ModelField, "__post_init__", counting)
    yield made


def test_no_route_is_built_in_a_request_once_the_routes_are_built(embedded_path: Path, fields_made: list[int]) -> None:
    application = create_app(embedded_settings(embedded_path))
    assert build_routes(application) >= 13  # one router per resource, and those the app hooks include
    with TestClient(application) as client:
        fields_made.clear()
        for url in URLS:
            assert client.get(url).status_code in (200, 404)
    assert fields_made == []


def test_without_it_the_first_requests_build_routes(embedded_path: Path, fields_made: list[int]) -> None:
    """The control: what build_routes moves out of the first requests."""
    with TestClient(create_app(embedded_settings(embedded_path))) as client:
        fields_made.clear()
        assert client.get(URLS[0]).status_code == 404
    assert len(fields_made) > 100


def test_a_server_builds_its_routes_after_it_starts(embedded_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[int] = []
    done = threading.Event()

    def recording(application: FastAPI) -> int:
        built.append(build_routes(application))
        done.set()
        return built[-1]

    monkeypatch.setattr(app.main, "BACKGROUND_START_DELAY_SECONDS", 0.05)
    monkeypatch.setattr(app.main, "build_routes", recording)
    with TestClient(create_app(embedded_settings(embedded_path))):
        assert done.wait(20), "the routes were not built"
    assert built and built[0] >= 13
