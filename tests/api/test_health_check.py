"""/health asks the store at most once a second (StoreCheck), yet says at once when a load
moved the generation or the store's pointer went bad, and never keeps a failure."""

from __future__ import annotations

import asyncio
import time

import pytest
from fastapi.testclient import TestClient

from app.graph.store import StoreUnavailable
from app.services.health import FRESH_SECONDS, StoreCheck


class FakeStore:
    backend = "embedded"

    def __init__(self) -> None:
        self.generation_name = "gen-1"
        self.pings = 0
        self.down: str | None = None  # why ping fails
        self.pointer_bad = False

    @property
    def generation(self) -> str:
        if self.pointer_bad:
            raise StoreUnavailable("CURRENT names gen-missing, which does not exist")
        return self.generation_name

    def ping(self) -> None:
        self.pings += 1
        if self.down:
            raise StoreUnavailable(self.down)


def ask(check: StoreCheck) -> str | None:
    return asyncio.run(check.generation())


def test_a_good_ping_is_trusted_for_a_moment_and_a_load_shows_at_once() -> None:
    store = FakeStore()
    check = StoreCheck(store, fresh_seconds=60)  # type: ignore[arg-type]
    assert [ask(check) for _ in range(5)] == ["gen-1"] * 5
    assert store.pings == 1
    store.generation_name = "gen-2"  # a load: asked again, answered with the new generation
    assert ask(check) == "gen-2" and store.pings == 2
    store.pointer_bad = True  # seen without a ping, at once
    with pytest.raises(StoreUnavailable):
        ask(check)


def test_a_failure_is_never_kept_and_an_old_ping_is_asked_again() -> None:
    store = FakeStore()
    check = StoreCheck(store, fresh_seconds=0.0)  # type: ignore[arg-type]
    ask(check)
    store.down = "connection refused"
    with pytest.raises(StoreUnavailable):
        ask(check)  # the good ping is too old to trust: asked, and the failure shows
    with pytest.raises(StoreUnavailable):
        ask(check)
    store.down = None
    assert ask(check) == "gen-1" and store.pings == 4


def test_health_over_http_pings_at_most_once_a_second(embedded_client: TestClient) -> None:
    embedded_client.get("/health")
    check = embedded_client.app.state.store_check
    before, started = check.pings, time.monotonic()
    answers = [embedded_client.get("/health") for _ in range(20)]
    elapsed = time.monotonic() - started
    assert {r.status_code for r in answers} == {200}
    assert {r.json()["generation"] for r in answers} == {embedded_client.app.state.model.store.generation}
    assert check.pings - before <= 1 + elapsed / FRESH_SECONDS
