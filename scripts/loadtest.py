#!/usr/bin/env python3
"""Sustained load on the explorer's main endpoints: zero errors and flat memory, or a non-zero exit.

    .venv/bin/python scripts/loadtest.py                     # starts a server, 60 s at 32 connections
    .venv/bin/python scripts/loadtest.py --duration 10 --connections 8
    .venv/bin/python scripts/loadtest.py --url http://127.0.0.1:8000 --pid 1234   # a server already running

By default it starts `lifeact serve` on 127.0.0.1 (a free port, one worker) with the
environment's settings (LIFEACT_BACKEND, LIFEACT_EMBEDDED_PATH …), waits for /health, warms up,
then keeps `--connections` requests in flight for `--duration` seconds, going round the endpoints
below. It samples the server's resident memory (RSS, from /proc) every `--sample` seconds.

An error is any answer other than 200 and any failed request. Memory is "flat" when the median of
the last quarter of samples is within 10 % (or 10 MB) of the median of the first quarter.
Load only ever goes to 127.0.0.1 unless `--url` says otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))  # this checkout's app, installed or not

from app.benchmark.measure import percentile  # noqa: E402
from app.benchmark.server import rss_mb, serve, wait_for_answer  # noqa: E402

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
]


MIN_SAMPLES = 8


async def run_load(base: str, connections: int, seconds: float, latencies: dict[str, list[float]], errors: Counter[str]) -> int:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    stop_at = time.monotonic() + seconds
    count = 0
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def worker(offset: int) -> None:
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

        await asyncio.gather(*(worker(i) for i in range(connections)))
    return count


async def sample_memory(pid: int | None, every: float, samples: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        if pid is not None and (value := rss_mb(pid)) is not None:
            samples.append(value)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every)


async def measure(base: str, pid: int | None, args: argparse.Namespace) -> dict[str, object]:
    if args.warmup > 0:
        await run_load(base, args.connections, args.warmup, defaultdict(list), Counter())
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    samples: list[float] = []
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_memory(pid, args.sample, samples, stop))
    started = time.perf_counter()
    total = await run_load(base, args.connections, args.duration, latencies, errors)
    elapsed = time.perf_counter() - started
    stop.set()
    await sampler
    if pid is not None and (value := rss_mb(pid)) is not None:
        samples.append(value)
    every = [value for values in latencies.values() for value in values]
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
        "latency_ms": {
            "p50": round(percentile(every or [0.0], 50) * 1000, 1),
            "p95": round(percentile(every or [0.0], 95) * 1000, 1),
            "p99": round(percentile(every or [0.0], 99) * 1000, 1),
            "max": round(max(every, default=0) * 1000, 1),
        },
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
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.connections < 1 or args.duration <= 0:
        parser.error("--connections must be at least 1 and --duration above 0")

    with contextlib.ExitStack() as stack:
        try:
            if args.url:
                base, pid = args.url.rstrip("/"), args.pid
                wait_for_answer(f"{base}/health", timeout=60)
            else:
                server = stack.enter_context(serve(timeout=60, quiet=False))
                base, pid = server.base_url, server.pid
        except RuntimeError as exc:
            raise SystemExit(f"loadtest: {exc}") from None
        result = asyncio.run(measure(base, pid, args))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_summary(result)
    return 0 if result["errors"] == 0 and result["memory_flat"] is not False else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
