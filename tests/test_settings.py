"""Every setting is documented in the README (as datasette does)."""

from __future__ import annotations

import pytest

from app.settings import PROJECT_ROOT, Settings


def setting_names() -> list[str]:
    names = []
    for field in Settings.model_fields.values():
        choices = field.validation_alias.choices  # type: ignore[union-attr]
        names.append(choices[0])
    return names


@pytest.mark.parametrize("name", setting_names())
def test_setting_is_documented_in_readme(name: str) -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`{name}`" in readme, f"{name} is not in README.md's settings table"


def test_settings_read_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("LIFEACT_BACKEND", "neo4j")
    monkeypatch.setenv("NEO4J_DATABASE", "lifeact")
    settings = Settings()
    assert settings.backend == "neo4j" and settings.neo4j_database == "lifeact"


def test_a_bad_backend_is_refused(monkeypatch) -> None:
    monkeypatch.setenv("LIFEACT_BACKEND", "sqlite")
    with pytest.raises(ValueError, match="embedded"):
        Settings()
