"""scripts/loadtest.py works end to end, readers and writers (a short run; the 60 s figures are in the README)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from app.settings import PROJECT_ROOT


def test_the_load_script_runs_and_reports(tmp_path: Path, embedded_path: Path) -> None:
    folder = tmp_path / "graph"
    shutil.copytree(embedded_path, folder)
    env = {**os.environ, "LIFEACT_EMBEDDED_PATH": str(folder), "LIFEACT_BACKEND": "embedded"}
    command = [
        sys.executable,
        "scripts/loadtest.py",
        "--duration",
        "2",
        "--warmup",
        "0.5",
        "--connections",
        "6",  # the four readers this test always had, and two writers
        "--sample",
        "0.5",
        "--writers",
        "2",
    ]
    done = subprocess.run([*command, "--json"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout)
    assert result["errors"] == 0 and result["requests"] > 10
    assert result["rss_mb"]["samples"] >= 2 and result["rss_mb"]["max"] > 0
    assert set(result["latency_ms"]) == {"p50", "p95", "p99", "max"}
    assert result["memory_flat"] is None  # two seconds are too short to call memory flat or growing
    # Writers wrote into a store of the script's own, and every acknowledged write was found again.
    assert result["writes"]["writers"] == 2 and result["writes"]["acknowledged"] > 0
    assert result["reads"]["requests"] > 0 and set(result["reads"]["latency_ms"]) == {"p50", "p95", "p99", "max"}
    written = result["written"]
    assert written["complete"] and written["solutions"] >= result["writes"]["acknowledged"] // 2, written
    assert not any(written["missing"].values())
    assert not list(folder.glob("gen-*.lbdb"))[1:], "the writers must not touch the store the environment names"
