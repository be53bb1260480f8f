"""The compose file and Dockerfile say what the README promises (no Docker engine here to run them)."""

from __future__ import annotations

import yaml

from app.settings import PROJECT_ROOT
from tests.conftest import NEO4J_IMAGE


def compose() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_pins_the_tested_neo4j_and_checks_health_with_cypher_shell() -> None:
    neo4j = compose()["services"]["neo4j"]
    assert neo4j["image"] == NEO4J_IMAGE
    assert "cypher-shell" in " ".join(neo4j["healthcheck"]["test"])


def test_compose_api_loads_the_seed_into_neo4j_and_serves() -> None:
    api = compose()["services"]["api"]
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert api["environment"]["LIFEACT_BACKEND"] == "neo4j"
    assert api["environment"]["NEO4J_URI"].startswith("bolt://neo4j:")
    command = " ".join(api["command"])
    assert "lifeact load" in command and "lifeact serve" in command


def test_dockerfile_installs_the_package_with_its_data() -> None:
    text = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")
    for needed in ("COPY app", "COPY cypher", "COPY seed", "COPY pyproject.toml setup.py", "requirements.lock"):
        assert needed in text


def test_dockerfile_installs_the_wheel_not_the_source_tree() -> None:
    """The image runs what tests/test_wheel.py runs: a wheel built from the files the Dockerfile copies."""
    lines = [line.split() for line in (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()]
    installs = [line for line in lines if line[:3] == ["RUN", "pip", "install"]]
    assert installs and all("-e" not in line and "--editable" not in line for line in installs)
    assert any(word.endswith(".whl") for line in installs for word in line)
    assert any(line[:3] == ["RUN", "pip", "wheel"] and "--no-deps" in line for line in lines)
