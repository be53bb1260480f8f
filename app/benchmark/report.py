"""The table `lifeact bench` prints."""

from __future__ import annotations

from typing import Any

from app.benchmark.plan import GOAL_BULK_ROWS_PER_SECOND, GOAL_SCALE_P95_MS


def _fmt(value: Any, digits: int = 2) -> str:
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def render_table(result: dict[str, Any]) -> str:
    lines: list[str] = []
    load = result["seed_load"]
    lines.append(
        f"seed load: {load['load_seconds']} s ordinary, {load['bulk_load_seconds']} s bulk ({load['rows']} rows; "
        f"validation {load['validate_seconds']} s)"
    )
    for backend, rows in result["queries"].items():
        if "not_measured" in rows:
            lines.append(f"\nnamed queries on {backend}: not measured ({rows['not_measured']})")
            continue
        rows = rows.get("queries", rows)
        lines.append(f"\nnamed queries on {backend} (in-process)        p50 ms    p99 ms")
        for name, row in rows.items():
            if "p50_ms" in row:
                lines.append(f"  {name:<44} {row['p50_ms']:>8.2f}  {row['p99_ms']:>8.2f}")
            else:
                lines.append(f"  {name:<44} {row.get('skipped') or row.get('error')}")
    views = result.get("views", {})
    lines.append("\nviews (served; first = built, then cached)        p50 ms    p99 ms  first ms     bytes  goal")
    for path, row in views.items():
        if "p50_ms" not in row:
            lines.append(f"  {path:<44} {row.get('error')}")
            continue
        goal = {True: "met", False: "MISSED"}.get(row.get("goal_met"), "")
        first = _fmt(row.get("first_ms", ""))
        lines.append(f"  {path[:44]:<44} {row['p50_ms']:>8.2f}  {row['p99_ms']:>8.2f}  {first:>8}  {row['bytes']:>8}  {goal}")
    if "http" in result:
        lines.append(
            "\nHTTP, 1 uvicorn worker (32 conns for req/s; 1 conn for latency)\n"
            f"  {'endpoint':<58} {'req/s':>7} {'x health':>8} {'p50 ms':>7} {'p99 ms':>7} {'p50 x':>6}  goal"
        )
        for path, row in result["http"].items():
            if "requests_per_second" not in row:
                lines.append(f"  {path:<58} {row.get('error')} ({row.get('status')})")
                continue
            goal = {True: "met", False: "MISSED"}.get(row.get("goal_met"), "")
            lines.append(
                f"  {path[:58]:<58} {row['requests_per_second']:>7.0f} {row.get('throughput_ratio', 1):>8.2f} "
                f"{row['p50_ms']:>7.2f} {row['p99_ms']:>7.2f} {row.get('p50_ratio', 1):>6.2f}  {goal}"
            )
    if "scale" in result:
        scale = result["scale"]
        sizes = scale["sizes"]
        bulk = scale["bulk_load"]
        lines.append(
            f"\nscale: {sizes['municipalities']:,} municipalities, {sizes['regions']} regions, {sizes['projects']:,} projects "
            f"({sum(sizes['nodes'].values()):,} nodes, {sum(sizes['relationships'].values()):,} relationships)"
        )
        lines.append(
            f"  bulk load: {bulk['rows']:,} rows in {bulk['seconds']} s = {bulk['rows_per_second']:,} rows/s "
            f"({'met' if bulk['goal_met'] else 'MISSED'}: goal ≥ {GOAL_BULK_ROWS_PER_SECOND:,})"
        )
        lines.append("  cold (first call per graph): " + ", ".join(f"{k} {v}" for k, v in scale.get("cold", {}).items()))
        lines.append(f"  {'service (steady state, new input each call)':<44} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  goal")
        for name, row in scale.get("services", {}).items():
            lines.append(
                f"  {name:<44} {row['p50_ms']:>8.2f} {row['p95_ms']:>8.2f} {row['p99_ms']:>8.2f}  "
                f"{'met' if row['goal_met'] else 'MISSED'} (p95 ≤ {GOAL_SCALE_P95_MS:.0f})"
            )
        lines.append(f"  {'named query at scale':<44} {'p50 ms':>8} {'p99 ms':>8}")
        for name, row in scale.get("queries", {}).items():
            if "p50_ms" in row:
                lines.append(f"  {name:<44} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f}")
    lines.append(f"\nwhole run: {result['seconds']} s")
    return "\n".join(lines)
