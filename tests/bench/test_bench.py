"""`lifeact bench` and `lifeact synth` run end to end on tiny sizes and report what they promise
(functional checks of the JSON, never timing assertions)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.benchmark import measure, plan, report
from app.benchmark.endpoints import bench_http
from app.benchmark.scale import THEME_SERVICE
from app.benchmark.views import synthetic_neighbourhood, view_urls
from app.cli import main
from app.graph import embedded
from app.graph.queries import catalog
from app.main import app
from app.seed import load_seed
from app.settings import PROJECT_ROOT
from tests.conftest import SEED_DIR


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert measure.percentile(values, 50) == 50.0
    assert measure.percentile(values, 99) == 99.0
    assert measure.percentile([3.0], 95) == 3.0


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    """`lifeact bench` as a user runs it, with its output to a pipe: the JSON and what it printed to stderr."""
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    argv = ["bench", "--quick", "--no-http", "--municipalities", "300", "--regions", "3", "--projects", "8"]
    command = [sys.executable, "-m", "app.cli", *argv, "--samples", "3", "--json", str(out)]
    env = {**os.environ, "LIFEACT_LANGUAGE": "en"}  # the step names below are the English ones
    done = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text(encoding="utf-8")), done.stderr


@pytest.fixture(scope="module")
def quick_result(quick_run: tuple[dict, str]) -> dict:
    return quick_run[0]


def test_bench_prints_a_line_per_step_to_a_pipe_and_no_request_log(quick_run: tuple[dict, str]) -> None:
    stderr = quick_run[1]
    steps = [
        f"seed load (ordinary and bulk): {load_seed(SEED_DIR).row_count()} rows",
        "named queries on embedded: ",
        "views: ",
        "layout in chromium: ",
        "scale: build graph: 308/308 projects and municipalities",
        "scale: bulk load: ",
        "scale: verify: ",
        "scale: named queries on embedded: ",
        "scale: lifeact serve until /api/overlap answers: 1/1 answer",
        "scale: services over HTTP (new input each request): 15/15 requests",
    ]
    lines = [line for line in stderr.splitlines() if line.startswith("lifeact bench: ")]
    for step in steps:
        assert any(line.startswith(f"lifeact bench: {step}") for line in lines), (step, stderr)
    assert "HTTP Request" not in stderr and "Warning" not in stderr, stderr
    assert "\x1b[" not in stderr


def test_every_named_query_is_measured_or_said_to_be_a_write(quick_result: dict) -> None:
    measured = quick_result["queries"]["embedded"]
    for name in catalog("ladybug").names():
        rows = {k: v for k, v in measured.items() if k == name or k.startswith(name + "[")}
        assert len(rows) == 1, name
        row = next(iter(rows.values()))
        if name.startswith(plan.WRITE_PREFIXES):
            assert "skipped" in row
        else:
            assert row["p50_ms"] <= row["p99_ms"], name
            assert row["samples"] == 3


def test_scale_section_reports_the_synthetic_graph(quick_result: dict) -> None:
    scale = quick_result["scale"]
    assert scale["sizes"]["nodes"]["Municipality"] == 300
    assert scale["sizes"]["nodes"]["Region"] == 3
    assert scale["bulk_load"]["rows"] == sum(scale["sizes"]["nodes"].values()) + sum(scale["sizes"]["relationships"].values())
    services = {"overlap", "replication", "paths (max_hops 6)", "graph (depth 2)", "search (prefix or typo)"}
    assert set(scale["services"]) == services | {THEME_SERVICE}
    assert all(isinstance(scale["services"][name]["goal_met"], bool) for name in services)
    assert all(scale["services"][name]["samples"] == 3 for name in services)  # over HTTP
    assert all(row["errors"] == 0 for row in scale["services"].values())
    themes = scale["services"][THEME_SERVICE]  # five different themes, measured without a goal
    assert themes["samples"] == 5 and themes["goal_met"] is None and themes["p50_ms"] > 0
    # the process builds only the name index; the first calls show what an uncached answer costs
    cold = ("name_index", "first_overlap", "first_replication", "first_paths", "first_graph")
    assert all(f"{name}_seconds" in scale["cold"] for name in cold)
    served = scale["served"]  # lifeact serve on the synthetic store
    assert 0 < served["ready_seconds"] < 120 and isinstance(served["ready_goal_met"], bool)
    assert served["rss_mb"] > 20 and served["rss_mb_ready"] > 20 and isinstance(served["rss_goal_met"], bool)
    # the services were measured once the analyses of the whole graph were done (they start 5 s after the server)
    assert served["analyses"] == {"centrality": "ready", "overlap ranking": "ready", "warm-up": "ready"}
    assert served["analyses_seconds"] >= served["ready_seconds"] and served["rss_mb_analyses"] > 20
    # what the server warned of (a full buffer pool, a refused question) is kept with the figures
    assert all(line.startswith(("WARNING", "ERROR")) for line in served["server_warnings"])
    # and the sweep's centrality is served from them: 200, not 503
    assert scale["routes"]["routes"]["/api/analytics/centrality"]["status"] == 200
    routes = scale["routes"]  # issue 15: every GET route of the served app, once
    assert set(routes["routes"]) == {path for path, ops in app.openapi()["paths"].items() if "get" in ops}
    assert routes["alive_at_end"] is True and routes["max_rss_mb"] > 20 and isinstance(routes["under_ceiling"], bool)
    assert all(row["verdict"] for row in routes["routes"].values())
    assert routes["routes"]["/api/overlap"]["status"] == 200  # typical values from the synthetic graph resolve
    # the ceiling the sweep holds the server to is the documented one for this graph and its pool
    ceiling = scale["memory_ceiling"]
    nodes = sum(scale["sizes"]["nodes"].values())
    assert ceiling["pool_mb"] >= embedded.AUTO_POOL_BASE_MB
    assert routes["ceiling_mb"] == plan.memory_ceiling_mb(nodes, ceiling["pool_mb"])
    assert ceiling["ceiling_mb"] == round(routes["ceiling_mb"])
    # a 300-municipality graph stays far below it: the pool bounds what LadybugDB keeps
    assert routes["under_ceiling"] is True
    # the synthetic graph has solutions, adoptions, guides and observations: every route is asked
    assert [path for path, row in routes["routes"].items() if row["verdict"] == "not asked"] == []
    knowledge = (
        "/api/solutions/{key}",
        "/api/solutions/{key}/adoptions/{adoption}",
        "/api/observations/{observation}",
        "/api/resources/{key}",
        "/api/indicators/{slug}",
        "/views/solutions/{key}",
        "/views/indicators/{slug}",
    )
    assert {path: routes["routes"][path]["status"] for path in knowledge} == dict.fromkeys(knowledge, 200)
    assert quick_result["seed_load"]["rows"] > 700
    assert "neo4j" in quick_result["queries"]
    assert quick_result["command"].startswith("lifeact bench --quick --no-http")


def test_http_section_against_a_real_server(tmp_path: Path, embedded_path: Path) -> None:
    profile = plan.Profile(**{**plan.QUICK.__dict__, "http_latency_requests": 3, "http_seconds": 0.2})
    endpoints = ["/health", "/api/overlap?a=Aalborg&b=Sams%C3%B8", "/api/graph?center=Sams%C3%B8&depth=2", "/api/nope"]
    http = bench_http(embedded_path, SEED_DIR, profile, endpoints)
    results = http["endpoints"]
    assert results["/health"]["throughput_ratio"] == 1.0
    for path in endpoints[1:3]:
        row = results[path]
        assert row["status"] == 200 and row["errors"] == 0 and row["requests_per_second"] > 0
        assert isinstance(row["goal_met"], bool) and isinstance(row["health_goal_met"], bool)
        assert row["floor_ratio"] == round(row["requests_per_second"] / http["floor"]["requests_per_second"], 3)
    assert results["/api/nope"]["status"] == 404
    floor = http["floor"]  # the trivial FastAPI app, measured with the same client
    assert floor["status"] == 200 and floor["errors"] == 0 and floor["bytes"] < 100
    before, after = floor["requests_per_second_before"], floor["requests_per_second_after"]
    assert before > 0 and after > 0 and floor["requests_per_second"] == round((before + after) / 2, 1)
    assert floor["rss_mb"] > 20
    assert http["server_rss_mb"] > 20 and isinstance(http["rss_goal_met"], bool)


def test_views_section_measures_every_view_and_the_view_goals(quick_result: dict) -> None:
    from app.api.routes.views import router

    views = quick_result["views"]
    routes = [r.path for r in router.routes if ":path}" not in r.path]
    assert all(url is not None for url in view_urls(plan.SEED_SCENARIO).values())
    pages = {path: row for path, row in views.items() if path.startswith("/")}
    assert len(pages) == len(routes)
    for path, row in pages.items():
        assert "error" not in row, (path, row)
        assert row["bytes"] > 500 and 0 < row["p50_ms"] <= row["p99_ms"], path
    render = views["render 1,000 nodes (server, uncached)"]
    assert isinstance(render["goal_met"], bool) and render["bytes"] > views["render 500 nodes (server, uncached)"]["bytes"]
    layout = views["layout 500 nodes (chromium)"]
    assert "error" not in layout, layout
    assert isinstance(layout["goal_met"], bool) and layout["p50_ms"] > 0
    assert "goal_met" not in views["layout 1,000 nodes (chromium)"]  # above the goal's size: positions, no physics


def test_synthetic_neighbourhood_has_the_asked_size_and_only_known_ends() -> None:
    for size in (50, 500, 1_000):
        hood = synthetic_neighbourhood(size)
        ids = {n.id for n in hood.nodes}
        assert len(hood.nodes) == len(ids) == size
        assert all(e.source in ids and e.target in ids for e in hood.edges)
    assert synthetic_neighbourhood(300) == synthetic_neighbourhood(300)


def test_table_renders_every_section(quick_result: dict) -> None:
    table = report.render_table(quick_result)
    assert "named queries on embedded" in table and "scale: 300 municipalities" in table and "bulk load" in table
    assert "first answer of /api/overlap" in table and "after the measurements" in table
    assert "/views/graph?center=Sams%C3%B8&depth=2" in table and "layout 500 nodes (chromium)" in table
    theme_row = next(line for line in table.splitlines() if line.strip().startswith(THEME_SERVICE))
    assert theme_row.endswith("no goal") and "MISSED" not in theme_row and "met" not in theme_row


def test_synth_command_loads_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["synth", "--municipalities", "100", "--regions", "2", "--projects", "3", "--out", str(tmp_path), "--json"]
    assert main(argv) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["nodes"]["Municipality"] == 100
    assert (tmp_path / "CURRENT").exists()
