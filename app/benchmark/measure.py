"""Timing and statistics: nearest-rank percentiles, p50/p95/p99 summaries, timed calls and sampling
within a time budget."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from typing import Any


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "p50_ms": round(statistics.median(ms), 3),
        "p95_ms": round(percentile(ms, 95), 3),
        "p99_ms": round(percentile(ms, 99), 3),
        "samples": len(ms),
    }


def timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def sample(call: Callable[[], Any], samples: int, budget_seconds: float, least: int = 3) -> list[float]:
    """Up to `samples` timings, stopping early once `budget_seconds` are spent (after `least`)."""
    times: list[float] = []
    deadline = time.perf_counter() + budget_seconds
    while len(times) < samples and (len(times) < least or time.perf_counter() < deadline):
        times.append(timed(call))
    return times
