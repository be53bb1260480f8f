"""The `lifeact` command as a new user runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.settings import PROJECT_ROOT
from tests.conftest import SEED_DIR


def lifeact(*args: str, env_path: Path, seed: Path = SEED_DIR) -> subprocess.CompletedProcess[str]:
    env = {"LIFEACT_EMBEDDED_PATH": str(env_path), "LIFEACT_SEED_PATH": str(seed), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_load_then_stats(tmp_path: Path) -> None:
    empty = lifeact("stats", "--json", env_path=tmp_path)
    assert empty.returncode == 0 and json.loads(empty.stdout)["generation"] is None
    loaded = lifeact("load", env_path=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    assert "Municipality" in loaded.stdout and "98" in loaded.stdout
    stats = json.loads(lifeact("stats", "--json", env_path=tmp_path).stdout)
    assert stats["nodes"]["Municipality"] == 98 and stats["relationships"]["PARTICIPATES_IN"] == 76


def test_a_broken_seed_exits_2_and_keeps_the_graph(tmp_path: Path) -> None:
    assert lifeact("load", env_path=tmp_path / "graph").returncode == 0
    before = lifeact("stats", "--json", env_path=tmp_path / "graph").stdout
    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    text = (seed / "work_packages.yaml").read_text(encoding="utf-8")
    (seed / "work_packages.yaml").write_text(
        text.replace("Frederikssund, Hjørring", "Frederiksund, Hjørring", 1), encoding="utf-8"
    )
    result = lifeact("load", env_path=tmp_path / "graph", seed=seed)
    assert result.returncode == 2
    assert "work_packages.yaml" in result.stderr and "WP4" in result.stderr and "Frederiksund" in result.stderr
    assert lifeact("stats", "--json", env_path=tmp_path / "graph").stdout == before


@pytest.mark.parametrize("args", [["--help"], ["load", "--help"], ["serve", "--help"], ["stats", "--help"]])
def test_help(args: list[str], tmp_path: Path) -> None:
    result = lifeact(*args, env_path=tmp_path)
    assert result.returncode == 0 and "usage: lifeact" in result.stdout
