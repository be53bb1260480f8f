"""Debian's chromium, driven by Playwright: how the browser tests and `lifeact bench` start it.

Playwright and chromium are test-time tools (`pip install -e ".[test]"`, `make browser`), and
optional for `lifeact bench` (the `bench` extra); the explorer itself never needs a browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# graph.js sets this once the network has a stable layout (or, when positioned, has drawn).
VIEW_READY = "() => window.lifeact && window.lifeact.ready === true"


class ChromiumMissing(RuntimeError):
    pass


def missing_reason() -> str | None:
    """Why chromium cannot be driven here, or None when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return 'playwright is not installed (pip install "lifeact-explorer[bench]"; in a checkout, make setup)'
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (make browser: apt-get install chromium)"
    return None


def launch(playwright: Any) -> Any:
    reason = missing_reason()
    if reason:
        raise ChromiumMissing(reason)
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
