"""Issue 15's sweep of every GET route (app/benchmark/routes.py): the typical-value tables cover the
app's schema, URLs are filled from the graph, and a real server is asked every route."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

from app.benchmark import report
from app.benchmark.routes import (
    ROUTE_BUDGETS,
    Budget,
    RouteInputs,
    bench_routes,
    get_routes,
    missing_typical_values,
    parse_budget,
    route_class,
    route_url,
)
from app.benchmark.server import serve
from app.main import app
from app.seed import SeedGraph
from app.services.tokens import TokenFile
from tests.conftest import SEED_DIR


def test_every_get_route_parameter_has_a_typical_value() -> None:
    assert missing_typical_values(app.openapi()) == []


def test_a_route_with_an_unknown_required_parameter_is_named() -> None:
    schema = {
        "paths": {
            "/api/things/{thing}": {"get": {"parameters": [{"name": "thing", "in": "path", "required": True}]}},
            "/api/gaps": {"get": {"parameters": [{"name": "pillar", "in": "query", "required": False}]}},
            "/api/municipalities": {"get": {"parameters": [{"name": "region", "in": "query", "required": True}]}},
            "/api/solutions": {"post": {"parameters": [{"name": "nothing", "in": "query", "required": True}]}},
        }
    }
    assert missing_typical_values(schema) == ["/api/things/{thing}: thing", "/api/municipalities: region (required)"]


def test_routes_are_classed_for_their_budgets() -> None:
    classes = {path: route_class(path) for path, _ in get_routes(app.openapi())}
    assert classes["/api/export"] == "export"
    assert classes["/views/graph.png"] == "picture"
    assert classes["/views/map"] == "view"
    assert classes["/api/graph"] == classes["/api/replication"] == "relationship"
    assert classes["/api/municipalities/{key}"] == classes["/health"] == "entity"
    assert classes["/api/municipalities"] == classes["/api/overlaps/matrix"] == "list"
    assert set(classes.values()) == set(ROUTE_BUDGETS)


def test_urls_are_filled_from_the_graph(seed_graph: SeedGraph) -> None:
    inputs = RouteInputs.of(seed_graph)
    routes = dict(get_routes(app.openapi()))
    url, headers, _ = route_url("/api/paths", routes["/api/paths"], inputs)
    assert url is not None and not headers
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    names = {m["name"] for m in seed_graph.nodes["Municipality"]}
    assert query["source"] in names and query["target"] in names and query["max_hops"] == "6"
    url, _, _ = route_url("/api/tasks/{code}", routes["/api/tasks/{code}"], inputs)
    assert url is not None and urllib.parse.unquote(url.rsplit("/", 1)[1]) in {t["code"] for t in seed_graph.nodes["Task"]}
    url, _, _ = route_url("/api/replication", routes["/api/replication"], inputs)
    assert url is not None and "target=WP" in url
    inputs.values["editor token"] = "lifeact_secret"
    url, headers, _ = route_url("/api/changes", routes["/api/changes"], inputs)
    assert url == "/api/changes?since=0&limit=10" and headers == {"Authorization": "Bearer lifeact_secret"}
    inputs.values["solution"] = None  # a graph without solutions (the synthetic one)
    url, _, why = route_url("/api/solutions/{key}", routes["/api/solutions/{key}"], inputs)
    assert url is None and why == "this graph has no solution"


def test_budgets_parse_from_the_command_line() -> None:
    assert parse_budget("list=500") == ("list", Budget(500.0, ROUTE_BUDGETS["list"].max_bytes))
    assert parse_budget("view=800:64") == ("view", Budget(800.0, 64 * 1024))
    assert parse_budget("export=2000:none") == ("export", Budget(2000.0, None))
    for bad in ("lists=500", "list", "list=", "list=fast"):
        with pytest.raises(ValueError):
            parse_budget(bad)


def test_every_route_is_asked_of_a_real_server(
    tmp_path: Path, embedded_path: Path, seed_graph: SeedGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = RouteInputs.of(seed_graph)
    inputs.values["editor token"] = TokenFile(tmp_path / "tokens.json").create("bench", "editor")
    budgets = {"entity": Budget(100_000, 1), "list": Budget(0.0, None)}  # every body too big; every list over budget
    monkeypatch.setenv("LIFEACT_TOKENS_PATH", str(tmp_path / "tokens.json"))  # the server reads its environment
    with serve(embedded_path, SEED_DIR) as server:
        result = bench_routes(server, inputs, ceiling_mb=10_000, budgets=budgets)
    rows = result["routes"]
    assert set(rows) == {path for path, _ in get_routes(app.openapi())}
    assert result["alive_at_end"] is True and result["under_ceiling"] is True and result["max_rss_mb"] > 20
    # the seed holds no adoption or observation (the sources give none): those two routes are not asked
    unasked = {path: row["why"] for path, row in rows.items() if row["verdict"] == "not asked"}
    assert unasked == {
        "/api/solutions/{key}/adoptions/{adoption}": "this graph has no adoption",
        "/api/observations/{observation}": "this graph has no observation",
    }
    for path, row in rows.items():
        if path in unasked:
            continue
        assert row["status"] < 400, (path, row)  # a typical value for everything else, the token included
        assert row["ms"] > 0 and row["rss_mb"] > 20
        if row["class"] == "entity":
            assert row["verdict"] == "body too big" and row["bytes"] > 1, path
        elif row["class"] == "list":
            assert row["verdict"] == "over budget", path
    export = rows["/api/export"]  # only its first bytes are read
    assert 0 < export["bytes"] <= 256 * 1024 and export["budget_bytes"] is None
    assert result["ok"] == sum(row["verdict"] == "ok" for row in rows.values())
    table = "\n".join(report._routes(result))
    assert "/api/municipalities/{key}" in table and "body too big" in table and "alive at the end" in table
