"""The worker that estimates betweenness at scale runs in a process of its own; a server killed
outright (SIGKILL, a crash) never shuts it down, so the worker ends itself when its parent is gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

from app.settings import PROJECT_ROOT

PARENT = textwrap.dedent(
    """
    import multiprocessing, sys, time
    from concurrent.futures import ProcessPoolExecutor
    from app.services.analytics import _sampled_betweenness

    # a grid large enough that sampled betweenness runs for minutes
    cells = [(x, y) for x in range(300) for y in range(300)]
    edges = [(f"{x},{y}", f"{x + 1},{y}") for x, y in cells] + [(f"{x},{y}", f"{x},{y + 1}") for x, y in cells]
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    pool.submit(_sampled_betweenness, edges, 5000, 1)
    time.sleep(3)  # the worker has started and is computing
    print(" ".join(str(pid) for pid in pool._processes), flush=True)
    time.sleep(600)
    """
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:  # a zombie waits for its reaper only
        return stat.read().split(") ", 1)[1][0] != "Z"


def test_the_worker_ends_when_the_server_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        workers = [int(pid) for pid in parent.stdout.readline().split()]
        assert workers and all(_alive(pid) for pid in workers), "the worker should be computing"
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(pid) for pid in workers), "the worker outlived the server that started it"
    finally:
        parent.kill()
