"""Issue 15's proof at scale: every GET route of the running app's OpenAPI schema, asked once with
typical parameters on the served graph; per route its status, time, body size and the server's
memory afterwards, judged against the budget of its route class; then the most memory the server
held and whether it still answers.

Typical parameters come from two tables: PARAMETERS (what each parameter name stands for,
`None` where the route is asked without it) and ROUTE_PARAMETERS (where one name means something
else on one route: the `target` of /api/paths is a municipality, not a replication target). A
role is filled from the graph being served (`RouteInputs`). tests/bench/test_routes.py fails if a
GET route has a parameter neither table names, so a new route cannot slip out of the proof.
"""

from __future__ import annotations

import asyncio
import random
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

from app.benchmark.client import HOST, raw_get, request
from app.benchmark.endpoints import RELATIONSHIP_ENDPOINTS
from app.benchmark.server import Server, status_of
from app.seed import SeedGraph


@dataclass(frozen=True)
class Budget:
    """What one uncached answer of a route class may cost: milliseconds (to the first bytes for a
    streamed export) and body bytes (None: not bounded, as for the whole-graph exports)."""

    ms: float
    max_bytes: int | None


KB = 1024
# Seconds the sweep waits for one route before it notes "no answer" and goes on: a route without
# a time budget of its own (centrality's betweenness at 100,000 municipalities) may run for hours.
ROUTE_TIMEOUT_SECONDS = 60.0
# Per route class; `lifeact bench --budget CLASS=MS[:KB]` changes one (README "Benchmark").
ROUTE_BUDGETS: dict[str, Budget] = {
    "entity": Budget(100, 256 * KB),  # one thing by its key, and /health
    "list": Budget(250, 1024 * KB),  # every thing of a kind, or a pairwise table
    "relationship": Budget(100, 1024 * KB),  # overlap(s), replication, paths, graph, search, gaps, centrality
    "view": Budget(1000, 2048 * KB),  # an HTML page
    "picture": Budget(3000, 2048 * KB),  # an SVG or PNG drawn on every call
    "export": Budget(1000, None),  # the whole graph, streamed: the time to its first bytes
}

# Parameter name -> the role its typical value plays, or None: asked without it (a download, an
# optional filter that only narrows the answer). A role starting with "=" is the value itself.
PARAMETERS: dict[str, str | None] = {
    "a": "participating municipality",
    "b": "other participating municipality",
    "center": "municipality",
    "source": "municipality",
    "target": "replication target",
    "key": "municipality",
    "name": "region",
    "code": "work package",
    "slug": "theme",
    "q": "typed name",
    "format": "=json",
    "depth": "=2",
    "max_hops": "=6",
    "limit": "=10",
    "min_shared": "=1",
    "since": "=0",
    "region": None,
    "participating": None,
    "pillar": None,
    "theme": None,
    "kinds": None,
    "expand": None,
    "download": None,
    "authorization": "editor token",
    "adoption": "adoption",
    "observation": "observation",
    "subject": None,
    "indicator": None,
    "from": None,
    "to": None,
    "task": None,
    "solution": None,
    "date": None,
    "lang": None,  # the default language
    "cursor": None,  # the first page
    "work_package": None,
    "programme": None,
    "names": None,
    "status": None,
    "page": None,
    "as_of": None,
}
ROUTE_PARAMETERS: dict[tuple[str, str], str | None] = {
    ("/api/paths", "target"): "nearby municipality",
    ("/api/programmes/{key}", "key"): "programme",
    ("/api/organisations/{key}", "key"): "organisation",
    ("/api/organisations/{key}/relations", "key"): "organisation",
    ("/api/solutions/{key}", "key"): "solution",
    ("/api/solutions/{key}/adoptions/{adoption}", "key"): "solution",
    ("/api/resources/{key}", "key"): "resource",
    ("/api/indicators/{slug}", "slug"): "indicator",
    ("/api/tasks/{code}", "code"): "task",
    ("/api/gaps", "region"): "region",
    # the matrix is asked of a bounded set, as it must be (unscoped it is a 422 by design)
    ("/api/overlaps/matrix", "work_package"): "work package",
    ("/api/gaps", "pillar"): "=adaptation",
    ("/views/indicators/{slug}", "slug"): "indicator",
    ("/views/indicators/{slug}/chart.svg", "slug"): "indicator",
    ("/views/indicators/{slug}/chart.png", "slug"): "indicator",
    ("/views/indicators/{slug}/chart.svg", "subject"): "municipality",
    ("/views/indicators/{slug}/chart.png", "subject"): "municipality",
    ("/views/municipalities/{name}", "name"): "municipality",
    ("/views/solutions/{key}", "key"): "solution",
}


def route_class(path: str) -> str:
    if path == "/api/export":
        return "export"
    if path.startswith("/views/graph.") or path.endswith((".svg", ".png")):
        return "picture"
    if path.startswith("/views/"):
        return "view"
    if path in RELATIONSHIP_ENDPOINTS:
        return "relationship"
    if "{" in path or path == "/health":
        return "entity"
    return "list"


# An operation that needs a token says so with `security` (the bearer scheme), not a header parameter.
BEARER = {"name": "authorization", "in": "header", "required": True}


def get_routes(schema: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """(path, parameters) of every GET operation of an OpenAPI schema, in the schema's order; one
    that declares `security` gets the Authorization header as a required parameter."""
    return [
        (path, [*ops["get"].get("parameters", []), *([BEARER] if ops["get"].get("security") else [])])
        for path, ops in schema.get("paths", {}).items()
        if "get" in ops
    ]


def role_of(path: str, name: str) -> str | None:
    """The role of parameter `name` on `path`; KeyError when neither table names it."""
    if (path, name) in ROUTE_PARAMETERS:
        return ROUTE_PARAMETERS[(path, name)]
    return PARAMETERS[name]


def missing_typical_values(schema: dict[str, Any]) -> list[str]:
    """`path: parameter` for every parameter of a GET route that neither table names, and every
    required one whose role is None (the route could not be asked)."""
    missing = []
    for path, parameters in get_routes(schema):
        for parameter in parameters:
            try:
                role = role_of(path, parameter["name"])
            except KeyError:
                missing.append(f"{path}: {parameter['name']}")
                continue
            if role is None and parameter.get("required"):
                missing.append(f"{path}: {parameter['name']} (required)")
    return missing


@dataclass
class RouteInputs:
    """A typical value of each role, drawn from the graph being served."""

    values: dict[str, str | None]

    @classmethod
    def of(cls, graph: SeedGraph, seed: int = 11) -> RouteInputs:
        rng = random.Random(seed)
        municipalities = graph.nodes.get("Municipality", [])
        participating = [m for m in municipalities if m.get("participating")] or municipalities
        a, b = rng.sample(participating, 2) if len(participating) > 1 else (participating * 2)[:2]
        center = rng.choice(municipalities)
        borders = graph.relationships.get(("NEIGHBOURS", "Municipality", "Municipality"), [])
        neighbours = [r["target_id"] for r in borders if r["source_id"] == center["id"]]
        by_id = {m["id"]: m for m in municipalities}
        near = by_id.get(neighbours[0], b) if neighbours else b

        def first(label: str, field: str = "name") -> str | None:
            rows = graph.nodes.get(label, [])
            return str(rng.choice(rows)[field]) if rows else None

        work_packages = graph.nodes.get("WorkPackage", [])
        name = center["name"]
        # an adoption is asked for under its own solution
        taken_up = graph.relationships.get(("OF_SOLUTION", "Adoption", "Solution"), [])
        adoption = rng.choice(taken_up) if taken_up else None
        solutions = {row["id"]: row["name"] for row in graph.nodes.get("Solution", [])}
        return cls(
            {
                "municipality": name,
                "participating municipality": a["name"],
                "other participating municipality": b["name"],
                "nearby municipality": near["name"],
                "replication target": str(rng.choice(work_packages)["code"]) if work_packages else None,
                "work package": first("WorkPackage", "code"),
                "task": first("Task", "code"),
                "region": first("Region"),
                "theme": first("Theme", "slug"),
                "programme": first("Programme"),
                "organisation": first("Organisation"),
                "solution": solutions[adoption["target_id"]] if adoption else first("Solution"),
                "adoption": adoption["source_id"] if adoption else first("Adoption", "id"),
                "observation": first("Observation", "id"),
                "resource": first("Resource"),
                "indicator": first("Indicator", "slug"),
                "typed name": name[: max(3, len(name) - 2)],
                "editor token": None,  # set by the caller that created one
            }
        )

    def value(self, role: str) -> str | None:
        return role[1:] if role.startswith("=") else self.values.get(role)


def route_url(path: str, parameters: list[dict[str, Any]], inputs: RouteInputs) -> tuple[str | None, dict[str, str], str]:
    """(the URL to ask, its headers, why not) for one route; the URL is None when a required
    value is missing from this graph (a graph without solutions has no solution to ask for)."""
    query: list[tuple[str, str]] = []
    headers: dict[str, str] = {}
    route = path  # the tables name parameters by the route's template, not the URL being filled in
    for parameter in parameters:
        name, where = parameter["name"], parameter["in"]
        role = role_of(route, name)
        value = None if role is None else inputs.value(role)
        if value is None:
            if parameter.get("required"):
                return None, {}, f"this graph has no {role}"
            continue
        if where == "path":
            path = path.replace("{" + name + "}", urllib.parse.quote(value, safe=""))
        elif where == "query":
            query.append((name, value))
        elif where == "header":
            headers[name.title()] = f"Bearer {value}" if name == "authorization" else value
    return path + (f"?{urllib.parse.urlencode(query)}" if query else ""), headers, ""


async def _first_bytes(reader: asyncio.StreamReader) -> int:
    """The status line and headers, then the first chunk of a streamed body; its size."""
    line = await reader.readline()
    if not line.strip():
        return 0
    size = int(line.strip(), 16)
    return len(await reader.readexactly(size)) if size else 0


async def _ask(port: int, url: str, headers: dict[str, str], first_bytes_only: bool) -> tuple[int, int, float]:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        raw = raw_get(url)
        if headers:
            extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items()).encode()
            raw = raw[:-2] + extra + b"\r\n"
        started = time.perf_counter()
        if first_bytes_only:
            writer.write(raw)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            size = await _first_bytes(reader) if b"chunked" in head.lower() else 0
        else:
            status, size = await request(reader, writer, raw)
        return status, size, time.perf_counter() - started
    finally:
        writer.close()


def bench_routes(
    server: Server,
    inputs: RouteInputs,
    ceiling_mb: float,
    budgets: dict[str, Budget] | None = None,
    timeout: float = ROUTE_TIMEOUT_SECONDS,
) -> dict[str, Any]:
    """Every GET route of the served app once, in schema order: a row per route, the most memory
    the server held after any of them, and whether it still answers /health at the end."""
    import json
    import urllib.request

    budgets = {**ROUTE_BUDGETS, **(budgets or {})}
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{server.base_url}/openapi.json", timeout=30) as response:
        schema = json.loads(response.read())
    rows: dict[str, dict[str, Any]] = {}
    peak = server.rss_mb() or 0.0
    for path, parameters in get_routes(schema):
        kind = route_class(path)
        budget = budgets[kind]
        url, headers, why_not = route_url(path, parameters, inputs)
        row: dict[str, Any] = {"class": kind, "budget_ms": budget.ms, "budget_bytes": budget.max_bytes}
        if url is None:
            rows[path] = {**row, "verdict": "not asked", "why": why_not}
            continue
        ask = _ask(server.port, url, headers, first_bytes_only=kind == "export")
        try:
            status, size, seconds = asyncio.run(asyncio.wait_for(ask, timeout))
        except TimeoutError:
            rss = server.rss_mb()
            peak = max(peak, rss or 0.0)
            rows[path] = {**row, "url": url, "verdict": "no answer", "why": f"none within {timeout:g} s", "rss_mb": rss}
            continue
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            rows[path] = {**row, "url": url, "verdict": "no answer", "why": f"{type(exc).__name__}: {exc}"}
            continue
        rss = server.rss_mb()
        peak = max(peak, rss or 0.0)
        row |= {"url": url, "status": status, "ms": round(seconds * 1000, 1), "bytes": size, "rss_mb": rss}
        if status >= 400:
            row["verdict"] = f"error {status}"
        elif budget.max_bytes is not None and size > budget.max_bytes:
            row["verdict"] = "body too big"
        elif seconds * 1000 > budget.ms:
            row["verdict"] = "over budget"
        else:
            row["verdict"] = "ok"
        rows[path] = row
    alive = server.process.poll() is None and status_of(f"{server.base_url}/health", timeout=10) == 200
    return {
        "routes": rows,
        "budgets": {kind: budget.__dict__ for kind, budget in budgets.items()},
        "ok": sum(row["verdict"] == "ok" for row in rows.values()),
        "max_rss_mb": peak,
        "ceiling_mb": ceiling_mb,
        "under_ceiling": peak <= ceiling_mb,
        "alive_at_end": alive,
    }


def parse_budget(text: str) -> tuple[str, Budget]:
    """`list=500` or `list=500:2048` (milliseconds, then body KB; `export=1000:none`) -> (class, Budget)."""
    kind, _, value = text.partition("=")
    if kind not in ROUTE_BUDGETS or not value:
        raise ValueError(f"expected CLASS=MS[:KB] with CLASS one of {', '.join(ROUTE_BUDGETS)}, got {text!r}")
    ms, _, size = value.partition(":")
    default = ROUTE_BUDGETS[kind].max_bytes
    max_bytes = default if not size else None if size.lower() == "none" else int(size) * KB
    return kind, Budget(float(ms), max_bytes)
