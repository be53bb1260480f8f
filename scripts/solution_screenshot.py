"""Draw docs/solution-page.png: a solution's page as Debian's chromium shows it (README, "Pages").

    .venv/bin/python scripts/solution_screenshot.py [--out docs/solution-page.png]

Loads the seed into a temporary store, serves it with `lifeact serve`, records a solution, its
adoptions on several dates, a resource and a source through the API with a token made here (as
README's walk through the flow does), and photographs the Danish page in chromium, offline.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from app.benchmark.server import serve
from app.services.tokens import TokenFile
from app.views import chromium

ROOT = Path(__file__).resolve().parent.parent

SOLUTION = {
    "name": "Klimaskovsaftaler",
    "summary": "Aftaler med lodsejere om at rejse ny skov, hvor den skåner grundvand og binder kulstof.",
    "status": "piloting",
    "started": "2024-03-01",
    "developed_by": ["Vejle"],
    "tasks": ["T.5.3"],
    "themes": ["afforestation"],
    "sources": [{"title": "Notat om klimaskov", "url": "https://example.dk/notat"}],
}
ADOPTIONS = [
    ("Kolding", "considering", "2024-06-01"),
    ("Kolding", "adopted", "2025-01-15"),
    ("Fredericia", "considering", "2024-11-01"),
    ("Horsens", "adopted", "2025-03-01"),
    ("Billund", "piloting", "2025-05-01"),
]
RESOURCE = {
    "title": "Vejledning om klimaskovsaftaler",
    "kind": "guide",
    "url": "https://example.dk/guide.pdf",
    "language": "da",
    "date": "2025-02-01",
    "tasks": ["T.5.3"],
    "themes": ["afforestation"],
    "solutions": ["klimaskovsaftaler"],
}


def record(base: str, token: str) -> None:
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as api:
        api.post("/api/solutions", json=SOLUTION).raise_for_status()
        for municipality, status, date in ADOPTIONS:
            adoption = {"municipality": municipality, "status": status, "date": date, "note": "byrådets beslutning"}
            api.post("/api/solutions/klimaskovsaftaler/adoptions", json=adoption).raise_for_status()
        api.post("/api/resources", json=RESOURCE).raise_for_status()


def photograph(url: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="da-DK")
            page.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
            page.goto(url, wait_until="networkidle")
            page.screenshot(path=str(out), full_page=True)
        finally:
            browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "solution-page.png")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "graph"
        environment = dict(os.environ, LIFEACT_EMBEDDED_PATH=str(store))
        subprocess.run([sys.executable, "-m", "app.cli", "load"], check=True, cwd=ROOT, env=environment, capture_output=True)
        token = TokenFile(store / "tokens.json").create("skærmbillede", "editor")
        with serve(store) as server:
            record(server.base_url, token)
            photograph(f"{server.base_url}/views/solutions/klimaskovsaftaler", args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
