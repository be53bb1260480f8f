"""The table `lifeact bench` prints: one block per section, each figure next to its goal."""

from __future__ import annotations

from typing import Any

from app.benchmark.plan import (
    CEILING_BASE_MB,
    CEILING_KB_PER_NODE,
    GOAL_BULK_ROWS_PER_SECOND,
    GOAL_FLOOR_RATIO,
    GOAL_LATENCY_RATIO,
    GOAL_SCALE_P95_MS,
    GOAL_SCALE_READY_SECONDS,
    GOAL_SCALE_RSS_MB,
    GOAL_SEED_RSS_MB,
    GOAL_THROUGHPUT_RATIO,
)

VERDICT = {True: "met", False: "MISSED", None: "not measured"}


def _fmt(value: Any, digits: int = 2) -> str:
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _goal(met: bool | None, goal: str) -> str:
    return f"{VERDICT[met]} (goal {goal})"


def _queries(result: dict[str, Any]) -> list[str]:
    lines = []
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
    return lines


def _views(views: dict[str, Any]) -> list[str]:
    lines = ["\nviews (served; first = built, then cached)        p50 ms    p99 ms  first ms     bytes  goal"]
    for path, row in views.items():
        if "p50_ms" not in row:
            lines.append(f"  {path:<44} {row.get('error')}")
            continue
        goal = {True: "met", False: "MISSED"}.get(row.get("goal_met"), "")
        first = _fmt(row.get("first_ms", ""))
        lines.append(f"  {path[:44]:<44} {row['p50_ms']:>8.2f}  {row['p99_ms']:>8.2f}  {first:>8}  {row['bytes']:>8}  {goal}")
    return lines


def _http(http: dict[str, Any]) -> list[str]:
    floor = http["floor"]
    lines = [
        "\nHTTP at seed scale, 1 uvicorn worker (32 conns for req/s; 1 conn for latency)",
        f"  trivial FastAPI app (the framework floor): {floor['requests_per_second']:.0f} req/s "
        f"({floor['requests_per_second_before']:.0f} before the endpoints, {floor['requests_per_second_after']:.0f} after), "
        f"p50 {floor['p50_ms']:.2f} ms, memory {floor['rss_mb']} MB",
        f"  {'endpoint':<54} {'req/s':>6} {'x floor':>7} {'x health':>8} {'p50 ms':>7} {'p99 ms':>7} {'p50 x':>6}  goal",
    ]
    for path, row in http["endpoints"].items():
        if "requests_per_second" not in row:
            lines.append(f"  {path:<54} {row.get('error')} ({row.get('status')})")
            continue
        goal = {True: "met", False: "MISSED"}.get(row.get("goal_met"), "")
        lines.append(
            f"  {path[:54]:<54} {row['requests_per_second']:>6.0f} {row['floor_ratio']:>7.2f} "
            f"{row.get('throughput_ratio', 1):>8.2f} {row['p50_ms']:>7.2f} {row['p99_ms']:>7.2f} "
            f"{row.get('p50_ratio', 1):>6.2f}  {goal}"
        )
    earlier = [row["health_goal_met"] for row in http["endpoints"].values() if "health_goal_met" in row]
    lines.append(
        f"  goal: the relationship endpoints (cached answers) ≥ {GOAL_FLOOR_RATIO:.2f} × the trivial app's req/s; "
        f"the earlier goal against /health (≥ {GOAL_THROUGHPUT_RATIO:.2f} × req/s, p50 ≤ {GOAL_LATENCY_RATIO:.0f} ×) "
        f"met by {sum(earlier)} of {len(earlier)}"
    )
    rss = http["server_rss_mb"]
    lines.append(f"  server memory after the HTTP runs: {rss} MB, {_goal(http['rss_goal_met'], f'≤ {GOAL_SEED_RSS_MB:.0f} MB')}")
    return lines


def _scale(scale: dict[str, Any]) -> list[str]:
    sizes, bulk, served = scale["sizes"], scale["bulk_load"], scale["served"]
    lines = [
        f"\nscale: {sizes['municipalities']:,} municipalities, {sizes['regions']} regions, {sizes['projects']:,} projects "
        f"({sum(sizes['nodes'].values()):,} nodes, {sum(sizes['relationships'].values()):,} relationships)",
        f"  bulk load: {bulk['rows']:,} rows in {bulk['seconds']} s = {bulk['rows_per_second']:,} rows/s "
        f"({'met' if bulk['goal_met'] else 'MISSED'}: goal ≥ {GOAL_BULK_ROWS_PER_SECOND:,})",
        "  cold, in-process (per-graph tables, then the first call of each): "
        + ", ".join(f"{k} {v}" for k, v in scale.get("cold", {}).items()),
        f"  lifeact serve on this store: first answer of /api/overlap {served['ready_seconds']} s after start, "
        + _goal(served["ready_goal_met"], f"≤ {GOAL_SCALE_READY_SECONDS:.0f} s"),
        f"  the analyses of the whole graph ({', '.join(f'{k} {v}' for k, v in served.get('analyses', {}).items())}) "
        f"{served.get('analyses_seconds')} s after start; the services below were measured after them",
        f"  server memory: {served['rss_mb_ready']} MB when ready, {served.get('rss_mb_analyses')} MB after the analyses, "
        f"{served['rss_mb']} MB after the measurements, " + _goal(served["rss_goal_met"], f"≤ {GOAL_SCALE_RSS_MB:.0f} MB"),
        f"  {'over HTTP, a new question each request':<44} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  goal",
    ]
    for name, row in scale.get("services", {}).items():
        errors = f", {row['errors']} errors" if row["errors"] else ""
        if row["goal_met"] is None:
            judged = f"no goal{errors}"
        else:
            judged = f"{'met' if row['goal_met'] else 'MISSED'} (p95 ≤ {GOAL_SCALE_P95_MS:.0f}{errors})"
        lines.append(f"  {name:<44} {row['p50_ms']:>8.2f} {row['p95_ms']:>8.2f} {row['p99_ms']:>8.2f}  {judged}")
    warnings = served.get("server_warnings") or []
    lines.append(f"  the server's warnings: {len(warnings)}" + "".join(f"\n    {line}" for line in warnings))
    if "memory_ceiling" in scale:
        ceiling = scale["memory_ceiling"]
        lines.append(
            f"  memory ceiling (issue 15): {ceiling['ceiling_mb']} MB = {CEILING_BASE_MB:.0f} MB + "
            f"{CEILING_KB_PER_NODE:g} KB per node + the buffer pool ({ceiling['pool_mb']} MB)"
        )
    if "routes" in scale:
        lines += _routes(scale["routes"])
    lines.append(f"  {'named query at scale (in-process)':<44} {'p50 ms':>8} {'p99 ms':>8}")
    for name, row in scale.get("queries", {}).items():
        if "p50_ms" in row:
            lines.append(f"  {name:<44} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f}")
    return lines


def _routes(routes: dict[str, Any]) -> list[str]:
    """Issue 15's table: every GET route once, against the budget of its class."""
    lines = [
        f"  every GET route once (issue 15): {routes['ok']} of {len(routes['routes'])} ok; "
        f"most memory {routes['max_rss_mb']} MB ({'under' if routes['under_ceiling'] else 'OVER'} the ceiling of "
        f"{routes['ceiling_mb']:.0f} MB); {'alive' if routes['alive_at_end'] else 'NOT ANSWERING'} at the end",
        f"    {'route':<34} {'class':<12} {'status':>6} {'ms':>8} {'budget':>7} {'bytes':>10} {'MB after':>8}  verdict",
    ]
    for path, row in routes["routes"].items():
        if "status" not in row:
            lines.append(
                f"    {path[:34]:<34} {row['class']:<12} {'':>6} {'':>8} {row['budget_ms']:>7.0f} {'':>10} {'':>8}  "
                f"{row['verdict']} ({row['why']})"
            )
            continue
        lines.append(
            f"    {path[:34]:<34} {row['class']:<12} {row['status']:>6} {row['ms']:>8.1f} {row['budget_ms']:>7.0f} "
            f"{row['bytes']:>10} {_fmt(row['rss_mb'], 0):>8}  {row['verdict']}"
        )
    return lines


def render_table(result: dict[str, Any]) -> str:
    load = result["seed_load"]
    lines = [
        f"seed load: {load['load_seconds']} s ordinary, {load['bulk_load_seconds']} s bulk ({load['rows']} rows; "
        f"validation {load['validate_seconds']} s)"
    ]
    lines += _queries(result)
    lines += _views(result.get("views", {}))
    if "http" in result:
        lines += _http(result["http"])
    if "scale" in result:
        lines += _scale(result["scale"])
    lines.append(f"\nwhole run: {result['seconds']} s")
    return "\n".join(lines)
