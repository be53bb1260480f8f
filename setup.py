"""The one thing pyproject.toml cannot say: the wheel carries the repository's top-level cypher/
and seed/ inside the package, as app/bundled/cypher and app/bundled/seed, so that an installed
explorer has its named queries and its seed. The repository keeps them at the top (a design
rule); app/paths.py finds them in either place. Everything else is in pyproject.toml."""

from __future__ import annotations

import os

from setuptools import find_namespace_packages, setup

TOP_LEVEL = {"cypher": "app.bundled.cypher", "seed": "app.bundled.seed"}


def bundled_packages() -> dict[str, list[str]]:
    """Each folder under cypher/ and seed/ as a data package, with every file in it."""
    packages: dict[str, list[str]] = {}
    for folder, package in TOP_LEVEL.items():
        for root, dirs, _ in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
            relative = os.path.relpath(root, folder)
            name = package if relative == "." else package + "." + relative.replace(os.sep, ".")
            packages[name] = ["*"]
    return packages


BUNDLED = bundled_packages()

setup(
    # app's folders without Python (static/, templates/, locale/) count as packages too, for their files.
    packages=[*find_namespace_packages(include=["app", "app.*"], exclude=["*.__pycache__", "app.bundled*"]), *BUNDLED],
    package_dir={package: folder for folder, package in TOP_LEVEL.items()},
    package_data={"app.static": ["**/*"], "app.templates": ["**/*"], "app.locale": ["*/LC_MESSAGES/*.po"], **BUNDLED},
)
