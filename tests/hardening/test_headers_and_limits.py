"""Security headers on every response, CORS as a setting, and the request size limit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

from app.api import middleware
from app.main import create_app
from app.settings import Settings
from tests.conftest import embedded_settings

REPORTS = "https://reports.example.dk"


@pytest.fixture(scope="module")
def framed_client(embedded_path: Path) -> Iterator[TestClient]:
    settings = embedded_settings(
        embedded_path, frame_ancestors=f"'self' {REPORTS}", cors_origins=f"{REPORTS}, https://kl.dk/", cypher_console=True
    )
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/health", 200),
        ("GET", "/api/municipalities/Aarhus", 200),
        ("GET", "/api/municipalities/Atlantis", 404),
        ("GET", "/api/graph?center=WP9&depth=99", 422),
        ("GET", "/no/such/path", 404),
        ("DELETE", "/api/municipalities", 405),
        ("GET", "/openapi.json", 200),
        ("GET", "/docs", 200),
        ("GET", "/cypher", 200),
        ("POST", "/api/cypher", 403),
    ],
)
def test_every_response_carries_the_security_headers(framed_client: TestClient, method: str, url: str, status: int) -> None:
    body = {"query": "CREATE (n)"} if method == "POST" else None
    response = framed_client.request(method, url, json=body)
    assert response.status_code == status
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "x-frame-options" not in headers  # embedding is the CSP's frame-ancestors' call
    if url != "/docs":  # the docs pages bring their own, stricter policy (tests/api/test_docs.py)
        csp = headers["content-security-policy"]
        assert csp.endswith(f"frame-ancestors 'self' {REPORTS}")
        for directive in (
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "connect-src 'self'",
        ):
            assert directive in csp


def test_frame_ancestors_default_is_self(embedded_client: TestClient) -> None:
    assert embedded_client.get("/health").headers["content-security-policy"].endswith("frame-ancestors 'self'")


def test_a_response_with_its_own_policy_keeps_it() -> None:
    app = FastAPI()
    middleware.install(app, Settings(frame_ancestors="'none'"))

    @app.get("/own")
    def own() -> PlainTextResponse:
        return PlainTextResponse("x", headers={"Content-Security-Policy": "default-src 'none'"})

    @app.get("/plain")
    def plain() -> PlainTextResponse:
        return PlainTextResponse("x")

    with TestClient(app) as client:
        assert client.get("/own").headers.get_list("content-security-policy") == ["default-src 'none'"]
        assert client.get("/plain").headers["content-security-policy"].endswith("frame-ancestors 'none'")


def test_cors_allows_only_the_configured_origins(framed_client: TestClient) -> None:
    allowed = framed_client.get("/api/regions", headers={"Origin": REPORTS})
    assert allowed.headers["access-control-allow-origin"] == REPORTS
    trailing_slash_setting = framed_client.get("/api/regions", headers={"Origin": "https://kl.dk"})
    assert trailing_slash_setting.headers["access-control-allow-origin"] == "https://kl.dk"
    other = framed_client.get("/api/regions", headers={"Origin": "https://evil.example"})
    assert other.status_code == 200 and "access-control-allow-origin" not in other.headers
    preflight = framed_client.options(
        "/api/cypher",
        headers={"Origin": REPORTS, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == REPORTS
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert preflight.headers["x-content-type-options"] == "nosniff"


def test_no_cors_headers_without_the_setting(embedded_client: TestClient) -> None:
    response = embedded_client.get("/api/regions", headers={"Origin": REPORTS})
    assert "access-control-allow-origin" not in response.headers


def test_cors_any_origin(embedded_path: Path) -> None:
    with TestClient(create_app(embedded_settings(embedded_path, cors_origins="*"))) as client:
        assert client.get("/api/regions", headers={"Origin": "https://a.dk"}).headers["access-control-allow-origin"] == "*"


@pytest.fixture(scope="module")
def limited_client(embedded_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(embedded_settings(embedded_path, max_request_bytes=2048, cypher_console=True))) as client:
        yield client


def assert_413(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 413, response.text[:200]
    error = response.json()["error"]
    assert error["status"] == 413 and "2048 bytes" in error["expected"] and "LIFEACT_MAX_REQUEST_BYTES" in error["expected"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_declared_large_body_is_refused(limited_client: TestClient) -> None:
    assert_413(limited_client.post("/api/cypher", json={"query": "RETURN 1 // " + "x" * 3000}))


def test_a_chunked_large_body_is_refused_as_it_arrives(limited_client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"query": "RETURN 1 // '
        for _ in range(10):
            yield b"x" * 500
        yield b'"}'

    assert_413(limited_client.post("/api/cypher", content=chunks(), headers={"content-type": "application/json"}))


def test_a_large_body_to_a_get_endpoint_is_refused(limited_client: TestClient) -> None:
    assert_413(limited_client.request("GET", "/api/regions", content=b"x" * 5000))


def test_a_body_within_the_limit_passes(limited_client: TestClient) -> None:
    response = limited_client.post("/api/cypher", json={"query": "RETURN 1 AS one // " + "x" * 1500})
    assert response.status_code == 200, response.text
    assert response.json()["rows"] == [[1]]


def test_a_bad_content_length_is_a_clear_400(limited_client: TestClient) -> None:
    response = limited_client.post(
        "/api/cypher", content=b"{}", headers={"content-length": "lots", "content-type": "application/json"}
    )
    assert response.status_code == 400 and response.json()["error"]["expected"]


def test_the_limit_is_the_setting(embedded_client: TestClient) -> None:
    response = embedded_client.post("/api/cypher", content=b"x" * 70_000, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "65536" in response.json()["error"]["expected"]
