"""The benchmark's HTTP client: plain HTTP/1.1 on kept-alive asyncio connections to 127.0.0.1, so
that the client costs as little as possible of the cores it shares with the server. Every HTTP
figure of the benchmark (the trivial app, the endpoints, the views, EU scale) is taken with it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

from app.benchmark.server import HOST


async def request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes) -> tuple[int, int]:
    """One HTTP/1.1 request on a kept-alive connection; returns (status, body bytes)."""
    writer.write(raw)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    headers = head.decode("latin-1").lower()
    if "content-length:" in headers:
        length = int(headers.split("content-length:", 1)[1].split("\r\n", 1)[0])
        await reader.readexactly(length)
        return status, length
    total = 0  # chunked
    while True:
        size = int((await reader.readline()).strip() or b"0", 16)
        if size == 0:
            await reader.readline()
            return status, total
        await reader.readexactly(size + 2)
        total += size


def raw_get(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept: */*\r\n\r\n".encode()


async def _latencies(port: int, paths: Sequence[str], warm: int) -> tuple[list[float], list[int], int]:
    reader, writer = await asyncio.open_connection(HOST, port)
    times, statuses, size = [], [], 0
    try:
        for _ in range(warm):  # caches of this graph, first-request costs
            await request(reader, writer, raw_get(paths[0]))
        for path in paths:
            raw = raw_get(path)
            started = time.perf_counter()
            status, size = await request(reader, writer, raw)
            times.append(time.perf_counter() - started)
            statuses.append(status)
    finally:
        writer.close()
    return times, statuses, size


def latencies(port: int, paths: Sequence[str], warm: int = 0) -> tuple[list[float], list[int], int]:
    """GETs of `paths` one after the other on one kept-alive connection, after `warm` unmeasured
    GETs of the first; returns each one's seconds and status, and the last one's body bytes."""
    return asyncio.run(_latencies(port, paths, warm))


async def _throughput(port: int, path: str, seconds: float, connections: int) -> tuple[int, int, float]:
    raw = raw_get(path)
    deadline = time.perf_counter() + seconds
    done = errors = 0

    async def worker() -> None:
        nonlocal done, errors
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            while time.perf_counter() < deadline:
                status, _ = await request(reader, writer, raw)
                done += 1
                errors += status >= 400
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return done, errors, time.perf_counter() - started


def throughput(port: int, path: str, seconds: float, connections: int = 32) -> tuple[int, int, float]:
    """`connections` connections each sending GET `path` again as soon as it is answered, for
    `seconds`; returns (answers, answers of 400 and above, seconds taken)."""
    return asyncio.run(_throughput(port, path, seconds, connections))
