"""The server's memory after rounds of questions at seed scale, in-process (README, "Memory").

    LIFEACT_EMBEDDED_PATH=data/graph .venv/bin/python scripts/memory_rounds.py --rounds 6 --views

Each round asks the seed endpoints the bench measures (and, with --views, the graph, map and
brief views and the JSON export) in one language, then clears the answer caches, so that every
round asks the store again. Prints the resident memory (VmRSS) when ready, at its peak and at the
end, and the buffer pool the store opened the graph with.
"""

from __future__ import annotations

import argparse
import os
import sys

from fastapi.testclient import TestClient

from app.benchmark.endpoints import seed_endpoints
from app.benchmark.server import rss_mb
from app.main import create_app

VIEWS = ["/views/graph?center=Sams%C3%B8&depth=2", "/views/map", "/views/brief?target=T.9.1", "/api/export?format=json"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--views", action="store_true", help="ask the views and the export too")
    args = parser.parse_args()
    app = create_app()
    failures = 0
    with TestClient(app) as client:
        ready = peak = rss_mb(os.getpid()) or 0.0
        paths = seed_endpoints() + (VIEWS if args.views else [])
        for round_number in range(args.rounds):
            language = "da" if round_number % 2 else "en"
            for path in paths:
                answer = client.get(f"{path}{'&' if '?' in path else '?'}lang={language}")
                if answer.status_code != 200:
                    failures += 1
                    print(f"{path}: {answer.status_code} {answer.text[:200]}", file=sys.stderr)
                peak = max(peak, (rss_mb(os.getpid()) or 0.0))
            app.state.model.answers.clear()
            app.state.model.responses.clear()
        print(f"ready {ready:.0f} MB, peak {peak:.0f} MB, end {(rss_mb(os.getpid()) or 0.0):.0f} MB; {failures} failed answers")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
