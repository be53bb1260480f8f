"""The time budget of one piece of work (an API request, a console query).

A budget travels with the work in a context variable, so the store sees it without every
service passing it along: the API's middleware (app.api.budget) opens one per request, and
anyio copies the context into the thread that runs the route. The store refuses to start a
query once nothing is left, gives Neo4j's transactions what is left as their timeout, and
registers how to interrupt the running query, so that a request that ran out of time, or whose
client went away, stops its work instead of holding a thread and a connection until it ends on
its own. At a budget's deadline one thread for all of them (`_DeadlineWatch`) interrupts what
still runs under it: LadybugDB's own query timeout made every expansion about 1 ms slower (it
checks the clock as it scans: a depth-2 neighbourhood at 100,000 municipalities, about 24 reads,
took p50 72 ms under a budget and 55 ms without; scripts/neighbourhood_budget.py).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import os
import threading
import time
import weakref
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
        self._watched = False

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
        if self.interrupt_running():  # and again while it runs, as at the deadline
            _WATCH.watch(self, time.monotonic() + INTERRUPT_AGAIN_SECONDS)

    def interrupt_running(self) -> bool:
        """Interrupt what runs under the budget now; whether anything did."""
        with self._lock:
            interrupts = list(self._interrupts)
        for interrupt in interrupts:
            with contextlib.suppress(Exception):  # the query may have ended in between
                interrupt()
        return bool(interrupts)

    @contextmanager
    def interruptible(self, interrupt: Callable[[], None]) -> Iterator[None]:
        """While the block runs, `cancel`, and the deadline, call `interrupt` (e.g. a LadybugDB
        connection's)."""
        with self._lock:
            self._interrupts.append(interrupt)
            cancelled = self.cancelled_because is not None
            watch, self._watched = not self._watched, True
        if watch:
            _WATCH.watch(self, self.deadline)
        if cancelled:
            interrupt()
        try:
            yield
        finally:
            with self._lock:
                self._interrupts.remove(interrupt)


# After the deadline, what still runs is interrupted again this often: an interrupt that lands
# just before LadybugDB starts a query is forgotten when the query starts.
INTERRUPT_AGAIN_SECONDS = 0.05


class _DeadlineWatch:
    """One daemon thread that interrupts, at each watched budget's deadline, the queries still
    running under it (and again while one runs). It holds the budgets weakly: a finished request's
    budget costs a heap entry until its deadline."""

    def __init__(self) -> None:
        self._wake = threading.Condition()
        self._due: list[tuple[float, int, weakref.ref[Budget]]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def watch(self, budget: Budget, at: float) -> None:
        with self._wake:
            heapq.heappush(self._due, (at, next(self._order), weakref.ref(budget)))
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name="budget-deadlines", daemon=True)
                self._thread.start()
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._due or self._due[0][0] > time.monotonic():
                    self._wake.wait(self._due[0][0] - time.monotonic() if self._due else None)
                _at, _order, ref = heapq.heappop(self._due)
            budget = ref()
            if budget is not None and budget.interrupt_running():
                self.watch(budget, time.monotonic() + INTERRUPT_AGAIN_SECONDS)


_WATCH = _DeadlineWatch()

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
