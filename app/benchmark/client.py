"""The benchmark's HTTP client: plain HTTP/1.1 on kept-alive asyncio connections to 127.0.0.1, so
that the client costs as little as possible of the cores it shares with the server."""

from __future__ import annotations

import asyncio
import time


async def _request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes) -> tuple[int, int]:
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


def _raw_get(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n".encode()


async def _latency(port: int, path: str, count: int) -> tuple[list[float], int, int]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    raw = _raw_get(path)
    times, status, size = [], 0, 0
    try:
        for _ in range(3):  # warm: caches of this graph, first-request costs
            await _request(reader, writer, raw)
        for _ in range(count):
            started = time.perf_counter()
            status, size = await _request(reader, writer, raw)
            times.append(time.perf_counter() - started)
    finally:
        writer.close()
    return times, status, size


async def _throughput(port: int, path: str, seconds: float, connections: int) -> tuple[int, int, float]:
    raw = _raw_get(path)
    deadline = time.perf_counter() + seconds
    done = errors = 0

    async def worker() -> None:
        nonlocal done, errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < deadline:
                status, _ = await _request(reader, writer, raw)
                done += 1
                errors += status >= 400
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return done, errors, time.perf_counter() - started
