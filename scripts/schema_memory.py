"""What LadybugDB takes to open a database, by the shape of its schema (README, "Memory").

    .venv/bin/python scripts/schema_memory.py

For each shape (node tables, relationship tables) it makes an empty database with that schema and
one node in a temporary folder, then opens it read-only in a new process with a 64 MB buffer pool
and prints how much the process's resident set grew.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import ladybug

SHAPES = [(1, 0), (1, 21), (12, 0), (12, 21), (24, 0)]
OPEN = """
import os, sys, ladybug
from app.benchmark.server import rss_mb
before = rss_mb(os.getpid())
db = ladybug.Database(sys.argv[1], read_only=True, buffer_pool_size=64 << 20)
print(round(rss_mb(os.getpid()) - before))
"""


def make(path: Path, node_tables: int, rel_tables: int) -> None:
    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    for i in range(node_tables):
        conn.execute(f"CREATE NODE TABLE N{i}(id STRING PRIMARY KEY, name STRING)")
    for i in range(rel_tables):
        conn.execute(f"CREATE REL TABLE R{i}(FROM N0 TO N{i % node_tables})")
    conn.execute("CREATE (:N0 {id: 'a', name: 'x'})")
    conn.close()
    db.close()


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        for node_tables, rel_tables in SHAPES:
            path = Path(folder) / f"schema-{node_tables}-{rel_tables}.lbdb"
            make(path, node_tables, rel_tables)
            grew = subprocess.run([sys.executable, "-c", OPEN, str(path)], capture_output=True, text=True, check=True)
            print(f"{node_tables:3} node tables, {rel_tables:3} relationship tables: +{grew.stdout.strip()} MB to open")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
