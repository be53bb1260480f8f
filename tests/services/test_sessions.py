"""Sessions of the pages: signed, dated, tied to a live token, with CSRF tokens per session."""

from __future__ import annotations

import stat
import time
from pathlib import Path

import pytest

from app.services.auth import Authenticator
from app.services.errors import TooManyRequests, Unauthorized
from app.services.sessions import Sessions, load_or_create_key
from app.services.tokens import TokenFile


@pytest.fixture
def tokens(tmp_path: Path) -> TokenFile:
    return TokenFile(tmp_path / "tokens.json")


def sessions_for(tokens: TokenFile, key: bytes = b"k" * 32, hours: float = 1.0, limit: int = 3) -> Sessions:
    return Sessions(tokens, Authenticator(tokens, limit), key, hours)


def test_a_signed_in_session_names_its_holder_until_the_token_is_revoked(tokens: TokenFile) -> None:
    token = tokens.create("ed", "editor")
    sessions = sessions_for(tokens)
    session, cookie = sessions.sign_in(token, "client")
    assert token not in cookie and session.can_edit
    again = sessions.read(cookie)
    assert again is not None and again.principal is not None and again.principal.name == "ed" and again.csrf == session.csrf
    tokens.revoke("ed")
    after = sessions.read(cookie)
    assert after is not None and after.principal is None and not after.can_edit


def test_forged_expired_and_foreign_cookies_carry_no_session(tokens: TokenFile, monkeypatch: pytest.MonkeyPatch) -> None:
    token = tokens.create("ed", "editor")
    sessions = sessions_for(tokens)
    _, cookie = sessions.sign_in(token, "client")
    assert sessions.read(cookie[:-3] + ("AAA" if not cookie.endswith("AAA") else "BBB")) is None
    assert sessions_for(tokens, key=b"another key").read(cookie) is None  # signed with another key
    assert sessions.read(None) is None and sessions.read("x" * 2000) is None
    later = time.time() + 3601
    monkeypatch.setattr(time, "time", lambda: later)
    assert sessions.read(cookie) is None  # older than LIFEACT_SESSION_HOURS


def test_csrf_tokens_belong_to_one_session(tokens: TokenFile) -> None:
    sessions = sessions_for(tokens)
    first, _ = sessions.visitor()
    second, _ = sessions.visitor()
    assert sessions.csrf_ok(first, first.csrf) and not sessions.csrf_ok(first, second.csrf)
    assert not sessions.csrf_ok(first, None) and not sessions.csrf_ok(None, first.csrf) and not sessions.csrf_ok(first, "")


def test_sign_in_failures_are_limited_per_client(tokens: TokenFile) -> None:
    sessions = sessions_for(tokens, limit=2)
    for _ in range(2):
        with pytest.raises(Unauthorized):
            sessions.sign_in("lifeact_wrong", "one")
    with pytest.raises(TooManyRequests):
        sessions.sign_in(tokens.create("ed", "editor"), "one")
    assert sessions.sign_in(tokens.create("ed2", "editor"), "two")[0].can_edit  # another client is not held back


def test_an_ended_session_is_gone_even_with_its_cookie(tokens: TokenFile) -> None:
    sessions = sessions_for(tokens)
    session, cookie = sessions.sign_in(tokens.create("ed", "editor"), "client")
    sessions.end(session)
    assert sessions.read(cookie) is None


def test_the_key_file_is_made_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "store" / "session.key"
    key = load_or_create_key(path)
    assert len(key) == 64 and load_or_create_key(path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
