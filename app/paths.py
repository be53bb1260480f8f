"""Where the explorer's own files are, in a source checkout and in an installed wheel alike.

The named queries (cypher/) and the seed (seed/) live at the top of the repository; the wheel
carries copies of them inside the package, as app/bundled/cypher and app/bundled/seed (setup.py
maps them there). Static files and templates are inside the package in both cases.

Every lookup of a file that ships with the explorer goes through this module.
"""

from __future__ import annotations

from pathlib import Path

APP_DIR = Path(__file__).resolve().parent
# The folder holding app/: the repository in a checkout, site-packages in an installed wheel.
PROJECT_ROOT = APP_DIR.parent
# A checkout (editable install or plain source tree) has pyproject.toml next to app/.
IN_CHECKOUT = (PROJECT_ROOT / "pyproject.toml").is_file()
BUNDLED_DIR = APP_DIR / "bundled"


def _top_level(name: str) -> Path:
    """A top-level folder of the repository, or the wheel's copy of it."""
    return PROJECT_ROOT / name if IN_CHECKOUT else BUNDLED_DIR / name


CYPHER_DIR = _top_level("cypher")
SEED_DIR = _top_level("seed")
STATIC_DIR = APP_DIR / "static"
TEMPLATE_DIR = APP_DIR / "templates"
# The embedded store's default folder: data/graph in the checkout, or in the working directory
# when installed (never inside site-packages).
DEFAULT_EMBEDDED_PATH = PROJECT_ROOT / "data" / "graph" if IN_CHECKOUT else Path("data") / "graph"
