"""The time budget of one piece of work (an API request, a console query).

A budget travels with the work in a context variable, so the store sees it without every
service passing it along: the API's middleware (app.api.budget) opens one per request, and
anyio copies the context into the thread that runs the route. The store gives each query only
what is left (LadybugDB's query timeout, Neo4j's transaction timeout), refuses to start one
once nothing is left, and registers how to interrupt the running query, so that a request
that ran out of time, or whose client went away, stops its work instead of holding a thread
and a connection until it ends on its own.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar


class BudgetExceeded(Exception):
    """The work ran past its time budget (or its client went away) and was stopped."""

    def __init__(self, seconds: float, reason: str = "") -> None:
        super().__init__(reason or f"ran longer than its time budget of {seconds:g} s")
        self.seconds = seconds
        self.reason = reason


class Budget:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._interrupts: list[Callable[[], None]] = []
        self.cancelled_because: str | None = None

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    @property
    def spent(self) -> bool:
        return self.cancelled_because is not None or self.remaining() <= 0

    def check(self) -> None:
        """Raise instead of starting more work once the budget is spent."""
        if self.spent:
            raise BudgetExceeded(self.seconds, self.cancelled_because or "")

    def cancel(self, reason: str) -> None:
        """Stop the work from another thread: interrupt what runs now and refuse what would follow."""
        with self._lock:
            if self.cancelled_because is None:
                self.cancelled_because = reason
            interrupts = list(self._interrupts)
        for interrupt in interrupts:
            with contextlib.suppress(Exception):  # the query may have ended between the two
                interrupt()

    @contextmanager
    def interruptible(self, interrupt: Callable[[], None]) -> Iterator[None]:
        """While the block runs, `cancel` calls `interrupt` (e.g. a LadybugDB connection's)."""
        with self._lock:
            self._interrupts.append(interrupt)
            cancelled = self.cancelled_because is not None
        if cancelled:
            interrupt()
        try:
            yield
        finally:
            with self._lock:
                self._interrupts.remove(interrupt)


_current: ContextVar[Budget | None] = ContextVar("lifeact_budget", default=None)


def current_budget() -> Budget | None:
    return _current.get()


@contextmanager
def limited(budget: Budget | None) -> Iterator[Budget | None]:
    """Run the block (and what it hands to threads with the context) under `budget`; None lifts
    the request's budget for work that serves every later request too (the name index)."""
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)
