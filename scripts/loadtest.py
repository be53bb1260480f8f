#!/usr/bin/env python3
"""Sustained load on the explorer's main endpoints: zero errors and flat memory, or a non-zero exit.

    .venv/bin/python scripts/loadtest.py                     # starts a server, 60 s at 32 connections
    .venv/bin/python scripts/loadtest.py --duration 10 --connections 8
    .venv/bin/python scripts/loadtest.py --url http://127.0.0.1:8000 --pid 1234 --token …   # a server already running

By default it starts `lifeact serve` on 127.0.0.1 (a free port, one worker) with the
environment's settings (LIFEACT_BACKEND, LIFEACT_EMBEDDED_PATH …), waits for /health, warms up,
then keeps `--connections` requests in flight for `--duration` seconds: `--writers` of them
(default 16 of the 32) write knowledge without pause (a new solution, and every fourth time an
adoption of it), the others go round the endpoints below. It samples the server's resident memory
(RSS, from /proc) every `--sample` seconds.

Writers never touch a store of yours: with writers, a server this script starts serves a new
embedded store in a temporary folder, loaded from the seed at start, with an editor token made
for the run. Against `--url` they need `--token` (an editor token of that server).

At the end it checks that every write that was acknowledged (201) is there (the solutions and
adoptions, and the node counts) and has its change record in the audit trail.

An error is any answer other than 200 (201 for a write) and any failed request. Memory is "flat"
when the median of the last quarter of samples is within 10 % (or 10 MB) of the median of the
first quarter. Load only ever goes to 127.0.0.1 unless `--url` says otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))  # this checkout's app, installed or not

from app.benchmark.measure import percentile  # noqa: E402
from app.benchmark.server import rss_mb, serve, wait_for_answer  # noqa: E402
from app.services.tokens import TokenFile  # noqa: E402

ENDPOINTS = [
    "/health",
    "/api/stats",
    "/api/regions",
    "/api/municipalities",
    "/api/municipalities?participating=true",
    "/api/municipalities/Aarhus",
    "/api/municipalities/K%C3%B8benhavn",
    "/api/work-packages",
    "/api/work-packages/WP5",
    "/api/tasks/T.9.1",
    "/api/themes/drought",
    "/api/overlap?a=Aarhus&b=Odense",
    "/api/overlaps?min_shared=2",
    "/api/overlaps/matrix",
    "/api/replication?target=WP9",
    "/api/paths?source=Sams%C3%B8&target=WP9",
    "/api/graph?center=WP9&depth=2",
    "/api/search?q=kobenhavn",
    "/api/gaps?pillar=adaptation",
    "/api/analytics/centrality",
    "/api/solutions/carl",
]
WRITES = "POST /api/solutions"  # latencies of writes are kept under this key


@dataclass
class Written:
    """What the server acknowledged (201), to be found again at the end."""

    run: str = field(default_factory=lambda: uuid.uuid4().hex[:6])
    solutions: set[str] = field(default_factory=set)
    adoptions: set[str] = field(default_factory=set)
    count: int = 0
    names: itertools.count[int] = field(default_factory=itertools.count)  # unique across warm-up and run


async def write_once(client: httpx.AsyncClient, headers: dict[str, str], worker: int, n: int, written: Written) -> list[str]:
    """One solution (and every fourth time an adoption of it); the errors, if any."""
    body = {
        "name": f"Belastningstest {written.run} {next(written.names)} på Ærø",
        "summary": "Skrevet af scripts/loadtest.py.",
        "status": "idea",
        "developed_by": ["Ærø"],
        "tasks": ["T.4.1"],
        "themes": [],
        "sources": [],
    }
    response = await client.post("/api/solutions", json=body, headers=headers)
    if response.status_code != 201:
        return [f"POST /api/solutions: HTTP {response.status_code}"]
    solution = response.json()["id"]
    written.solutions.add(solution)
    written.count += 1
    if n % 4:
        return []
    adoption = {"municipality": "Samsø", "status": "considering", "date": "2025-01-01", "note": f"{worker}-{n}"}
    response = await client.post(f"/api/solutions/{solution}/adoptions", json=adoption, headers=headers)
    if response.status_code != 201:
        return [f"POST /api/solutions/…/adoptions: HTTP {response.status_code}"]
    written.adoptions.add(response.json()["id"])
    written.count += 1
    return []


MIN_SAMPLES = 8


@dataclass
class Writers:
    count: int
    headers: dict[str, str]
    written: Written


async def run_load(
    base: str,
    connections: int,
    seconds: float,
    latencies: dict[str, list[float]],
    errors: Counter[str],
    writers: Writers | None = None,
) -> int:
    """`connections` requests in flight for `seconds`: the first `writers.count` write, the rest read."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    stop_at = time.monotonic() + seconds
    count = 0
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def reader(offset: int) -> None:
            nonlocal count
            position = offset
            while time.monotonic() < stop_at:
                url = ENDPOINTS[position % len(ENDPOINTS)]
                position += 1
                started = time.perf_counter()
                try:
                    response = await client.get(url)
                    await response.aread()
                    if response.status_code != 200:
                        errors[f"{url}: HTTP {response.status_code}"] += 1
                except httpx.HTTPError as exc:
                    errors[f"{url}: {type(exc).__name__}"] += 1
                latencies[url].append(time.perf_counter() - started)
                count += 1

        async def writer(number: int) -> None:
            nonlocal count
            assert writers is not None
            n = 0
            while time.monotonic() < stop_at:
                n += 1
                started = time.perf_counter()
                try:
                    for problem in await write_once(client, writers.headers, number, n, writers.written):
                        errors[problem] += 1
                except httpx.HTTPError as exc:
                    errors[f"{WRITES}: {type(exc).__name__}"] += 1
                latencies[WRITES].append(time.perf_counter() - started)
                count += 1

        writing = min(writers.count, connections) if writers else 0
        await asyncio.gather(*(writer(i) for i in range(writing)), *(reader(i) for i in range(writing, connections)))
    return count


async def check_written(base: str, headers: dict[str, str], written: Written) -> dict[str, Any]:
    """Every acknowledged write is there, and the audit trail has a record of each."""
    async with httpx.AsyncClient(base_url=base, timeout=600) as client:
        listing = await client.get("/api/solutions")
        if listing.status_code != 200:
            return {"acknowledged": written.count, "complete": False, "error": f"GET /api/solutions: {listing.text[:300]}"}
        solutions = listing.json()["data"]
        trail: set[str] = set()
        since = 0
        while True:
            page = await client.get("/api/changes", params={"since": since, "limit": 1000}, headers=headers)
            if page.status_code != 200:
                return {"acknowledged": written.count, "complete": False, "error": f"GET /api/changes: {page.text[:300]}"}
            if not page.json()["data"]:
                break
            trail |= {change["entity"] for change in page.json()["data"] if change["action"] == "create"}
            since = page.json()["next"]
    found_solutions = {s["id"] for s in solutions}
    found_adoptions = {a["id"] for s in solutions for a in s["adoptions"]}
    missing = {
        "solutions": sorted(written.solutions - found_solutions)[:10],
        "adoptions": sorted(written.adoptions - found_adoptions)[:10],
        "change_records": sorted((written.solutions | written.adoptions) - trail)[:10],
    }
    return {
        "acknowledged": written.count,
        "solutions": len(written.solutions),
        "adoptions": len(written.adoptions),
        "missing": missing,
        "complete": not any(missing.values()),
    }


async def sample_memory(pid: int | None, every: float, samples: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        if pid is not None and (value := rss_mb(pid)) is not None:
            samples.append(value)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every)


def _latency_ms(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(percentile(values or [0.0], 50) * 1000, 1),
        "p95": round(percentile(values or [0.0], 95) * 1000, 1),
        "p99": round(percentile(values or [0.0], 99) * 1000, 1),
        "max": round(max(values, default=0) * 1000, 1),
    }


async def measure(base: str, pid: int | None, args: argparse.Namespace, token: str | None = None) -> dict[str, object]:
    writers = Writers(args.writers, {"Authorization": f"Bearer {token}"}, Written()) if args.writers and token else None
    if args.warmup > 0:
        await run_load(base, args.connections, args.warmup, defaultdict(list), Counter(), writers)
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    samples: list[float] = []
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_memory(pid, args.sample, samples, stop))
    acknowledged_before = writers.written.count if writers else 0
    started = time.perf_counter()
    total = await run_load(base, args.connections, args.duration, latencies, errors, writers)
    elapsed = time.perf_counter() - started
    stop.set()
    await sampler
    if pid is not None and (value := rss_mb(pid)) is not None:
        samples.append(value)
    every = [value for values in latencies.values() for value in values]
    reads = [value for url, values in latencies.items() if url != WRITES for value in values]
    write_latencies = latencies.get(WRITES, [])
    quarter = max(1, len(samples) // 4)
    first, last = (statistics.median(samples[:quarter]), statistics.median(samples[-quarter:])) if samples else (0.0, 0.0)
    growth = last - first
    return {
        "duration_s": round(elapsed, 1),
        "connections": args.connections,
        "requests": total,
        "errors": sum(errors.values()),
        "error_kinds": dict(errors.most_common(10)),
        "requests_per_s": round(total / elapsed, 1),
        "latency_ms": _latency_ms(every),
        "reads": {"requests": len(reads), "per_s": round(len(reads) / elapsed, 1), "latency_ms": _latency_ms(reads)},
        "writes": {
            "writers": min(writers.count, args.connections) if writers else 0,
            "acknowledged": (writers.written.count - acknowledged_before) if writers else 0,
            "per_s": round((writers.written.count - acknowledged_before) / elapsed, 1) if writers else 0.0,
            "latency_ms": _latency_ms(write_latencies),  # one solution, and every fourth time an adoption too
        },
        "written": await check_written(base, writers.headers, writers.written) if writers else None,
        "per_endpoint_p50_ms": {url: round(percentile(values, 50) * 1000, 1) for url, values in sorted(latencies.items())},
        "rss_mb": {
            "start": round(samples[0], 1) if samples else None,
            "end": round(samples[-1], 1) if samples else None,
            "max": round(max(samples), 1) if samples else None,
            "first_quarter_median": round(first, 1),
            "last_quarter_median": round(last, 1),
            "samples": len(samples),
        },
        # None: too few samples to judge (a short run still warms caches and the thread pool).
        "memory_flat": None if len(samples) < MIN_SAMPLES else growth <= max(10.0, 0.10 * first),
    }


VERDICT = {True: "flat", False: "GROWING", None: "too few samples to judge"}


def print_summary(result: dict[str, object]) -> None:
    latency = result["latency_ms"]
    rss = result["rss_mb"]
    assert isinstance(latency, dict) and isinstance(rss, dict)
    print(f"duration      {result['duration_s']} s at {result['connections']} connections over {len(ENDPOINTS)} endpoints")
    print(f"requests      {result['requests']}  ({result['requests_per_s']} req/s)")
    print(f"errors        {result['errors']}  {result['error_kinds'] or ''}")
    print(f"latency ms    p50 {latency['p50']}  p95 {latency['p95']}  p99 {latency['p99']}  max {latency['max']}")
    reads, writes, written = result["reads"], result["writes"], result["written"]
    assert isinstance(reads, dict) and isinstance(writes, dict)
    r, w = reads["latency_ms"], writes["latency_ms"]
    print(f"reads         {reads['requests']}  ({reads['per_s']} req/s)  p50 {r['p50']}  p95 {r['p95']}  p99 {r['p99']} ms")
    if isinstance(written, dict):
        print(
            f"writes        {writes['acknowledged']} acknowledged by {writes['writers']} writers ({writes['per_s']} writes/s)"
            f"  p50 {w['p50']}  p95 {w['p95']}  p99 {w['p99']} ms"
        )
        if "error" in written:
            print(f"check         could not be made: {written['error']}")
        else:
            verdict = "every acknowledged write present, each with its change record" if written["complete"] else "MISSING"
            print(
                f"check         {written['solutions']} solutions, {written['adoptions']} adoptions in the whole run: {verdict}"
                + ("" if written["complete"] else f" {written['missing']}")
            )
    if rss["samples"]:
        print(
            f"server RSS MB start {rss['start']}  end {rss['end']}  max {rss['max']}  "
            f"(median first quarter {rss['first_quarter_median']}, last quarter {rss['last_quarter_median']}, "
            f"{rss['samples']} samples): {VERDICT[result['memory_flat']]}"
        )
    else:
        print("server RSS    not sampled (give --pid for a server this script did not start)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of measured load (default 60)")
    parser.add_argument("--connections", type=int, default=32, help="requests kept in flight (default 32)")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of unmeasured load first (default 5)")
    parser.add_argument("--sample", type=float, default=2.0, help="seconds between RSS samples (default 2)")
    parser.add_argument("--url", help="target a running server instead of starting one")
    parser.add_argument("--pid", type=int, help="the running server's process id, for RSS samples")
    parser.add_argument("--writers", type=int, default=16, help="of the connections, how many write (default 16; 0: none)")
    parser.add_argument("--token", help="an editor token of the server at --url, for the writers")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.connections < 1 or args.duration <= 0 or args.writers < 0:
        parser.error("--connections must be at least 1, --duration above 0 and --writers 0 or more")
    if args.url and args.writers and not args.token:
        parser.error("writers need --token (an editor token of the server at --url), or --writers 0")

    with contextlib.ExitStack() as stack:
        token = args.token
        try:
            if args.url:
                base, pid = args.url.rstrip("/"), args.pid
                wait_for_answer(f"{base}/health", timeout=60)
            elif args.writers:
                # A store of its own, so that the writes never land in one of yours.
                folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lifeact-loadtest-")))
                token = TokenFile(folder / "tokens.json").create("loadtest", "editor")
                server = stack.enter_context(serve(store_path=folder, timeout=90, quiet=False))
                base, pid = server.base_url, server.pid
            else:
                server = stack.enter_context(serve(timeout=60, quiet=False))
                base, pid = server.base_url, server.pid
        except RuntimeError as exc:
            raise SystemExit(f"loadtest: {exc}") from None
        result = asyncio.run(measure(base, pid, args, token))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_summary(result)
    written = result["written"]
    complete = not isinstance(written, dict) or written["complete"]
    return 0 if result["errors"] == 0 and result["memory_flat"] is not False and complete else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
