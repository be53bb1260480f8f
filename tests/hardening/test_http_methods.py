"""HEAD on every GET route (same status and headers as GET, no body) and `Allow` on every 405,
with the 405 body in the API's error format (app.api.methods)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import PROJECT_ROOT
from tests.conftest import embedded_settings

# The routes come from the app at import (no store is opened for that), the console on so that
# its routes are listed too.
ROUTE_APP = create_app(embedded_settings(PROJECT_ROOT / "data" / "not-opened", cypher_console=True))
GET_ROUTES = sorted(
    {context.path for context in iter_route_contexts(ROUTE_APP.routes) if "GET" in (context.methods or ()) and context.path}
)

# A URL for each GET route; a route missing here fails test_every_get_route_has_an_example.
EXAMPLES = {
    "/": "/",
    "/health": "/health",
    "/openapi.json": "/openapi.json",
    "/docs": "/docs",
    "/docs/assets/redoc.standalone.js": "/docs/assets/redoc.standalone.js",
    "/redoc": "/redoc",
    "/cypher": "/cypher",
    "/api/stats": "/api/stats",
    "/api/export": "/api/export?format=json",
    "/api/regions": "/api/regions",
    "/api/regions/{name}": "/api/regions/Midtjylland",
    "/api/municipalities": "/api/municipalities?participating=true",
    "/api/municipalities/{key}": "/api/municipalities/Sams%C3%B8",
    "/api/work-packages": "/api/work-packages",
    "/api/work-packages/{code}": "/api/work-packages/WP9",
    "/api/tasks/{code}": "/api/tasks/T.9.1",
    "/api/themes": "/api/themes",
    "/api/themes/{slug}": "/api/themes/drought",
    "/api/solutions": "/api/solutions",
    "/api/solutions/{key}": "/api/solutions/living-labs",
    "/api/indicators": "/api/indicators",
    "/api/indicators/{slug}": "/api/indicators/carl",
    "/api/observations": "/api/observations?indicator=carl",
    "/api/observations/{observation}": "/api/observations/observation:000000000000",  # 404 as JSON: HEAD the same
    "/api/resources": "/api/resources?task=T.4.1",
    "/api/resources/{key}": "/api/resources/wp4-courses-and-masterclasses",
    "/api/solutions/{key}/adoptions/{adoption}": "/api/solutions/carl/adoptions/adoption:000000000000",
    "/api/changes": "/api/changes",  # 401 without a token: HEAD answers the same
    "/api/programmes": "/api/programmes",
    "/api/programmes/{key}": "/api/programmes/DK2020",
    "/api/organisations": "/api/organisations",
    "/api/organisations/{key}": "/api/organisations/CONCITO",
    "/api/organisations/{key}/relations": "/api/organisations/CONCITO/relations",
    "/api/overlap": "/api/overlap?a=Aalborg&b=Sams%C3%B8",
    "/api/overlaps": "/api/overlaps",
    "/api/overlaps/matrix": "/api/overlaps/matrix",
    "/api/replication": "/api/replication?target=WP9",
    "/api/paths": "/api/paths?source=Aalborg&target=Sams%C3%B8",
    "/api/graph": "/api/graph?center=Sams%C3%B8",
    "/api/search": "/api/search?q=aarh",
    "/api/gaps": "/api/gaps",
    "/api/analytics/centrality": "/api/analytics/centrality",
    "/views/graph": "/views/graph?center=Sams%C3%B8",
    "/views/graph.svg": "/views/graph.svg?center=Sams%C3%B8",
    "/views/graph.png": "/views/graph.png?center=Sams%C3%B8",
    "/views/overlap": "/views/overlap?a=Aalborg&b=Sams%C3%B8",
    "/views/replication": "/views/replication?target=WP9",
    "/views/work-packages/{code}": "/views/work-packages/WP9",
    "/views/map": "/views/map",
    "/views/brief": "/views/brief?target=T.9.1",
    "/views/{rest:path}": "/views/no-such-view",
    "/views/solutions": "/views/solutions?task=T.4.1",
    "/views/solutions/{key}": "/views/solutions/carl",
    "/sign-in": "/sign-in",
    "/views/indicators": "/views/indicators",
    "/views/resources": "/views/resources?task=T.4.1",
    "/views/indicators/{slug}": "/views/indicators/carl?date=2025-01-01",
    "/views/indicators/{slug}/chart.svg": "/views/indicators/carl/chart.svg?subject=Sams%C3%B8",
    "/views/indicators/{slug}/chart.png": "/views/indicators/carl/chart.png?subject=Sams%C3%B8",
    "/views/municipalities/{name}": "/views/municipalities/Sams%C3%B8",
}
# Headers that may differ between two answers to the same request.
VOLATILE = {"date"}


def _unvalued(name: str, value: str) -> str:
    """A cookie's value is a new random session id on each answer (/sign-in); its name and flags are not."""
    return re.sub(r"=[^;]*", "=…", value, count=1) if name == "set-cookie" else value


@pytest.fixture(scope="module")
def methods_client(embedded_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(embedded_settings(embedded_path, cypher_console=True))) as client:
        yield client


def test_every_get_route_has_an_example() -> None:
    assert GET_ROUTES, "no GET route found"
    missing = [path for path in GET_ROUTES if path not in EXAMPLES]
    assert not missing, f"add an example URL to EXAMPLES for {missing}"


@pytest.mark.parametrize("route", GET_ROUTES)
def test_head_answers_as_get_without_a_body(methods_client: TestClient, route: str) -> None:
    url = EXAMPLES.get(route)
    if url is None:
        pytest.fail(f"no example URL for {route} (see EXAMPLES)")
    methods_client.cookies.clear()  # the same request twice: what GET's answer set is not sent with HEAD
    get = methods_client.get(url)
    methods_client.cookies.clear()
    head = methods_client.head(url)
    assert head.status_code == get.status_code != 405
    assert head.content == b""
    strip = lambda headers: sorted((k, _unvalued(k, v)) for k, v in headers.multi_items() if k not in VOLATILE)  # noqa: E731
    assert strip(head.headers) == strip(get.headers)
    if "content-length" in get.headers:
        assert int(get.headers["content-length"]) == len(get.content)


def test_head_on_a_static_file(methods_client: TestClient) -> None:
    url = "/static/views/views.css"
    get, head = methods_client.get(url), methods_client.head(url)
    assert head.status_code == get.status_code == 200
    assert head.content == b"" and head.headers["content-length"] == str(len(get.content))


@pytest.mark.parametrize(
    ("method", "url", "allow"),
    [
        ("DELETE", "/api/stats", "GET, HEAD"),
        ("POST", "/api/stats", "GET, HEAD"),
        ("PUT", "/api/municipalities/Sams%C3%B8", "GET, HEAD"),
        ("OPTIONS", "/health", "GET, HEAD"),
        ("PATCH", "/", "GET, HEAD"),
        ("POST", "/docs", "GET, HEAD"),
        ("DELETE", "/views/no-such-view", "GET, HEAD"),
        ("GET", "/api/cypher", "POST"),
        ("DELETE", "/api/cypher", "POST"),
        ("PUT", "/static/views/views.css", "GET, HEAD"),
    ],
)
def test_405_carries_allow_and_the_error_format(methods_client: TestClient, method: str, url: str, allow: str) -> None:
    response = methods_client.request(method, url, headers={"Accept-Language": "en"})
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert set(error) == {"status", "code", "message", "expected", "suggestions"}
    assert error["status"] == 405 and error["code"] == "method_not_allowed"
    assert method in error["message"]
    assert error["expected"] == f"one of {allow}"
    assert response.headers["x-content-type-options"] == "nosniff"  # still inside the security headers


def test_head_where_get_is_not_allowed_is_a_405_without_a_body(methods_client: TestClient) -> None:
    response = methods_client.head("/api/cypher")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.content == b""


def test_an_unknown_path_stays_404(methods_client: TestClient) -> None:
    response = methods_client.delete("/no/such/path")
    assert response.status_code == 404 and "allow" not in response.headers


def test_head_over_http_from_uvicorn(embedded_path: Path) -> None:
    """Through a real server: uvicorn sends HEAD's headers with GET's Content-Length and no body."""
    import http.client

    from tests.views.browser import serve

    with serve(embedded_settings(embedded_path)) as origin:
        host, port = origin.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            connection.request("GET", "/")
            get = connection.getresponse()
            body = get.read()
            connection.request("HEAD", "/")
            head = connection.getresponse()
            assert head.status == get.status == 200
            assert head.getheader("content-length") == str(len(body))
            assert head.read() == b""
            connection.request("DELETE", "/api/stats")
            refused = connection.getresponse()
            assert refused.status == 405 and refused.getheader("allow") == "GET, HEAD"
            refused.read()
        finally:
            connection.close()
