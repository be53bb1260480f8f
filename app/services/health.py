"""Whether the store answers, for /health: asked of the store at most once a second.

A load balancer or monitor polls /health many times a second; each poll used to run a query on
a pooled connection (through a worker thread and the request's time budget), which made /health
the slowest route of the API at seed scale (166 req/s, 0.14 × a trivial app). Now the store's
generation is read on every call (a load shows at once, and a store whose pointer names a missing
generation fails at once), and the store is pinged again when the last successful ping is older
than FRESH_SECONDS or was of another generation. A failure is never kept: the next call asks again.
"""

from __future__ import annotations

import threading
import time

from starlette.concurrency import run_in_threadpool

from app.graph.budget import Budget, limited
from app.graph.store import GraphStore

# How long a successful ping is trusted: /health may say "ok" for at most this long after the
# store stopped answering queries (a missing generation or a load shows at once).
FRESH_SECONDS = 1.0
# The ping's own time budget (the request budget does not wrap /health): every connection busy
# for longer than this is reported as the store not answering.
PING_BUDGET_SECONDS = 5.0


class StoreCheck:
    def __init__(self, store: GraphStore, fresh_seconds: float = FRESH_SECONDS) -> None:
        self.store = store
        self.fresh_seconds = fresh_seconds
        self._lock = threading.Lock()
        self._pinged: tuple[str | None, float] | None = None  # (generation, when) of the last good ping
        self.pings = 0

    def _ping(self) -> str | None:
        with limited(Budget(PING_BUDGET_SECONDS)):
            self.store.ping()
            generation = self.store.generation
        with self._lock:
            self.pings += 1
            self._pinged = (generation, time.monotonic())
        return generation

    async def generation(self) -> str | None:
        """The generation the store serves, once it has answered a ping within FRESH_SECONDS;
        raises StoreUnavailable (or BudgetExceeded) when it does not answer."""
        generation = self.store.generation  # cheap (a pointer file; Neo4j keeps it briefly), as the answer cache reads it
        pinged = self._pinged
        if pinged is not None and pinged[0] == generation and time.monotonic() - pinged[1] < self.fresh_seconds:
            return generation
        self._pinged = None
        return await run_in_threadpool(self._ping)
