"""What a long command is doing and how far it has got, on stderr (stdout keeps the answer).

Every long command (`lifeact load`, `synth`, `export`, `bench`) reports through one Progress,
which is the `app.steps.Steps` that loads and the benchmark report to:

    with Progress("load") as progress:
        loader.load(store, seed_path, steps=progress)   # validate seed, write, verify
        progress.begin("encode graphml", unit="bytes")  # ends the step before it
        progress.advance(len(data))

On a terminal each step gets a progress bar (rich) that stays on screen when the step is done.
Otherwise, when stderr goes to a file or a pipe, each step prints one line as it ends, with its
count and time:

    lifeact load: write: 769/769 rows (0.3 s)

Step names, units and numbers are shown in the command's language (`lifeact load: skriv:
769/769 rækker (0,3 s)` in Danish); a name without a translation is shown as the work wrote it.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from types import TracebackType
from typing import TextIO

from babel.numbers import format_decimal
from rich.console import Console
from rich.progress import BarColumn, ProgressColumn, Task, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as Bars
from rich.text import Text

from app.i18n import N_, current_language
from app.i18n import gettext as _

# The steps' names and units are written by the work (app.graph, app.synth, app.cli), which knows
# nothing of languages; they are listed here so that `make messages` extracts them, and `shown`
# translates each part of a prefixed name (`seed: verify`).
STEP_WORDS = (
    N_("validate seed"),
    N_("write"),
    N_("verify"),
    N_("bulk load"),
    N_("index names"),
    N_("build graph"),
    N_("seed"),
    N_("scale"),
    N_("rows"),
    N_("bytes"),
    N_("projects and municipalities"),
    # the benchmark's sections (`lifeact bench`); one named after its backend is shown as written
    N_("seed load (ordinary and bulk)"),
    N_("per-graph tables and first calls (in-process)"),
    N_("lifeact serve until /api/overlap answers"),
    N_("services over HTTP (new input each request)"),
    N_("every GET route once (issue 15)"),
    N_("render large neighbourhoods"),
    N_("layout in chromium"),
    N_("views"),
    N_("HTTP endpoints, the trivial app before and after"),
    N_("queries"),
    N_("tables and calls"),
    N_("answer"),
    N_("requests"),
    N_("sweep"),
    N_("sizes"),
    N_("layouts"),
    N_("pages"),
    N_("endpoints"),
)


def shown(name: str) -> str:
    return ": ".join(_(part) for part in name.split(": "))


def number(value: float, pattern: str = "#,##0") -> str:
    """A count or a time as the language writes it: 1.234 and 0,3 in Danish, 1,234 and 0.3 in English."""
    return format_decimal(value, format=pattern, locale=current_language())


@dataclass
class _Step:
    name: str
    total: int | None
    unit: str
    done: int = 0
    started: float = field(default_factory=time.perf_counter)
    bar: TaskID | None = None

    def counted(self) -> str:
        return _counted(self.done, self.total, self.unit)


def _counted(done: float, total: float | None, unit: str) -> str:
    count = number(done) if total is None else f"{number(done)}/{number(total)}"
    return f"{count} {shown(unit) if unit else ''}".strip()


class _Count(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(_counted(int(task.completed), task.total, task.fields.get("unit", "")), style="progress.download")


class Progress:
    """A bar per step on a terminal, one line per step otherwise. `terminal` None: whether `file`
    (default stderr) is a terminal; True or False chooses (the tests choose both)."""

    def __init__(self, command: str, *, terminal: bool | None = None, file: TextIO | None = None) -> None:
        self.command = command
        self.file = file or sys.stderr
        self.terminal = self.file.isatty() if terminal is None else terminal
        self._step: _Step | None = None
        self._bars: Bars | None = None

    def begin(self, name: str, total: int | None = None, unit: str = "rows") -> None:
        self.end()
        step = _Step(name, total, unit)
        if self.terminal:
            if self._bars is None:
                console = Console(file=self.file, force_terminal=True)
                self._bars = Bars(TextColumn("{task.description}"), BarColumn(), _Count(), TimeElapsedColumn(), console=console)
                self._bars.start()
            step.bar = self._bars.add_task(shown(name), total=total, unit=unit)
        self._step = step

    def advance(self, count: int = 1) -> None:
        if self._step is None:
            return
        self._step.done += count
        if self._bars is not None and self._step.bar is not None:
            self._bars.advance(self._step.bar, count)

    def end(self, failed: bool = False) -> None:
        """End the current step (if any): its bar stays, or its line is printed."""
        step, self._step = self._step, None
        if step is None:
            return
        seconds = time.perf_counter() - step.started
        if self._bars is not None and step.bar is not None:
            # a step without a total ends as a full bar of what it did; one that failed stays where it stopped
            self._bars.update(step.bar, total=step.total if step.total is not None else step.done, completed=step.done)
            self._bars.stop_task(step.bar)
            if failed:
                self._bars.update(step.bar, description=f"{shown(step.name)} [red]({_('stopped')})[/red]")
            return
        stopped = ", " + _("stopped") if failed else ""
        took = f"{number(seconds, '0.0')} s{stopped}"
        print(f"lifeact {self.command}: {shown(step.name)}: {step.counted()} ({took})", file=self.file, flush=True)

    def close(self, failed: bool = False) -> None:
        self.end(failed)
        if self._bars is not None:
            self._bars.stop()
            self._bars = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None) -> None:
        self.close(failed=exc_type is not None)
