"""Where long work says what it is doing: loads, exports, the synthetic graph, the benchmark.

The work calls `begin(name, total, unit)` for each step (which ends the step before it) and
`advance(count)` as it goes. The `lifeact` commands pass an `app.cli.progress.Progress`, which
shows a bar per step on a terminal and one line per step otherwise; everyone else gets NO_STEPS.
"""

from __future__ import annotations

from typing import Protocol


class Steps(Protocol):
    def begin(self, name: str, total: int | None = None, unit: str = "rows") -> None: ...

    def advance(self, count: int = 1) -> None: ...


class NoSteps:
    """Steps nobody watches (tests, the server's own start-up load)."""

    def begin(self, name: str, total: int | None = None, unit: str = "rows") -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass


NO_STEPS: Steps = NoSteps()


class Prefixed:
    """The same steps with a prefix on each name: `scale: bulk load`."""

    def __init__(self, steps: Steps, prefix: str) -> None:
        self.steps = steps
        self.prefix = prefix

    def begin(self, name: str, total: int | None = None, unit: str = "rows") -> None:
        self.steps.begin(f"{self.prefix}{name}", total, unit)

    def advance(self, count: int = 1) -> None:
        self.steps.advance(count)
