"""What one benchmark run measures and against which goals: the goals, the profiles (full and
`--quick`) and the representative inputs of the seed."""

from __future__ import annotations

from dataclasses import dataclass, replace

WRITE_PREFIXES = ("merge_", "bulk_", "prune_", "create_", "delete_", "graph_state_bump", "graph_state_init", "graph_state_set")
GOAL_FLOOR_RATIO = 0.5  # seed-scale cached answers: req/s at least half the trivial FastAPI app's
GOAL_SEED_RSS_MB = 150.0  # the server's memory at seed scale after the HTTP runs
GOAL_THROUGHPUT_RATIO = 0.40  # the earlier goals, against /health
GOAL_LATENCY_RATIO = 5.0
GOAL_SCALE_P95_MS = 100.0  # EU scale, uncached, over HTTP
GOAL_SCALE_READY_SECONDS = 3.0  # EU scale: from starting `lifeact serve` to the first answer of /api/overlap
GOAL_SCALE_RSS_MB = 400.0  # EU scale: the server's memory after the scale measurements
GOAL_BULK_ROWS_PER_SECOND = 100_000
# The server's memory ceiling (issue 15), from measurements at seed and EU scale (README, "Memory"):
# the process with every library the views load and its working memory, the name index and the
# answers (per node), and LadybugDB's buffer pool, which bounds what queries keep.
CEILING_BASE_MB = 400.0
CEILING_KB_PER_NODE = 4.0
GOAL_RENDER_MS = 20.0  # server-side HTML for up to RENDER_GOAL_NODES nodes
GOAL_LAYOUT_MS = 2000.0  # a stable layout in headless chromium for up to LAYOUT_GOAL_NODES nodes
RENDER_GOAL_NODES = 1_000
LAYOUT_GOAL_NODES = 500
RENDER_SIZES = (500, 1_000)
LAYOUT_SIZES = (500, 1_000)  # above 500 nodes the view gets positions instead of physics


@dataclass(frozen=True)
class Profile:
    query_samples: int
    http_latency_requests: int
    http_seconds: float
    scale_samples: int
    municipalities: int
    regions: int
    projects: int


FULL = Profile(
    query_samples=100,
    http_latency_requests=200,
    http_seconds=5.0,
    scale_samples=40,
    municipalities=100_000,
    regions=250,
    projects=2_000,
)
QUICK = replace(FULL, query_samples=20, http_latency_requests=40, http_seconds=1.5, scale_samples=20)  # same sizes


@dataclass(frozen=True)
class Scenario:
    """Representative inputs of one graph: names for the services, ids for the queries."""

    municipality: str  # e.g. Samsø
    other: str  # e.g. Aalborg: shares work packages with `municipality`
    path_target: str  # e.g. Vejle
    work_package: str  # e.g. WP9
    task: str  # e.g. T.9.1


SEED_SCENARIO = Scenario(municipality="Samsø", other="Aalborg", path_target="Vejle", work_package="WP9", task="T.9.1")


def memory_ceiling_mb(nodes: int, pool_mb: float) -> float:
    """The most memory `lifeact serve` needs for a graph of `nodes` nodes on a pool of `pool_mb`."""
    return CEILING_BASE_MB + CEILING_KB_PER_NODE * nodes / 1024 + pool_mb
