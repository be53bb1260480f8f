"""`lifeact tokens`: a token is printed once, alone on the last line; only its hash is stored;
a revoked token stops verifying at once."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from app import cli
from app.services.tokens import TokenFile
from app.settings import get_settings


@pytest.fixture
def tokens_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "tokens.json"
    monkeypatch.setenv("LIFEACT_TOKENS_PATH", str(path))
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


@pytest.mark.parametrize(("language", "live"), [("da", "aktiv"), ("en", "live")])
def test_create_list_revoke(
    tokens_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, language: str, live: str
) -> None:
    monkeypatch.setenv("LIFEACT_LANGUAGE", language)
    assert cli.main(["tokens", "create", "--name", "ann", "--role", "editor"]) == 0
    token = capsys.readouterr().out.rstrip("\n").splitlines()[-1]
    assert token.startswith("lifeact_") and len(token) > 40
    stored = tokens_path.read_text(encoding="utf-8")
    assert token not in stored and json.loads(stored)["tokens"][0]["role"] == "editor"
    assert stat.S_IMODE(tokens_path.stat().st_mode) == 0o600
    principal = TokenFile(tokens_path).verify(token)
    assert principal is not None and principal.name == "ann"
    assert TokenFile(tokens_path).verify(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert cli.main(["tokens", "create", "--name", "ann", "--role", "admin"]) == 2  # one live token per name
    assert cli.main(["tokens", "list"]) == 0
    listing = capsys.readouterr().out
    assert "ann\teditor" in listing and token not in listing and live in listing
    assert cli.main(["tokens", "revoke", "ann"]) == 0
    assert TokenFile(tokens_path).verify(token) is None
    assert cli.main(["tokens", "revoke", "ann"]) == 2
    assert cli.main(["tokens", "create", "--name", "ann", "--role", "admin"]) == 0


def test_an_unknown_role_is_refused(tokens_path: Path) -> None:
    with pytest.raises(SystemExit):
        cli.main(["tokens", "create", "--name", "x", "--role", "owner"])
    assert not tokens_path.exists()
