"""Signed-in sessions of the pages (issue 13): a token typed once on /sign-in becomes a signed cookie.

The cookie holds a random session id and the SHA-256 of the token (never the token), signed with
itsdangerous and dated, so it expires after LIFEACT_SESSION_HOURS. Every request looks the hash up
in the token file again, so a revoked token ends its sessions at once, in every process. A form's
CSRF token is an HMAC of the session id with the same key: it cannot be forged without the key and
is worthless with another session. Signing out ends the session id here as well as deleting the
cookie, so a copied cookie stops working too (in this process; the token's revocation ends it
everywhere)."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.services.auth import Authenticator
from app.services.tokens import Principal, TokenFile, token_hash

COOKIE = "lifeact_session"
CSRF_FIELD = "csrf_token"


@dataclass(frozen=True)
class Session:
    sid: str
    principal: Principal | None  # None: a visitor who has not signed in (or whose token was revoked)
    csrf: str

    @property
    def can_edit(self) -> bool:
        return self.principal is not None and self.principal.role in ("editor", "admin")


def load_or_create_key(path: Path) -> bytes:
    """The signing key beside the tokens file: made once (mode 0600), then shared by every process."""
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


class Sessions:
    def __init__(self, tokens: TokenFile, authenticator: Authenticator, key: bytes, hours: float) -> None:
        self.tokens = tokens
        self.authenticator = authenticator
        self.key = key
        self.max_age = int(hours * 3600)
        self._serializer = URLSafeTimedSerializer(key, salt="lifeact-session")
        self._ended: dict[str, float] = {}
        self._lock = threading.Lock()

    def _csrf(self, sid: str) -> str:
        return hmac.new(self.key, b"csrf:" + sid.encode(), hashlib.sha256).hexdigest()

    def _cookie(self, sid: str, digest: str | None) -> str:
        return self._serializer.dumps({"sid": sid, "tok": digest})

    def read(self, cookie: str | None) -> Session | None:
        """The session a cookie carries, or None when there is none, it is forged, expired or ended."""
        if not cookie or len(cookie) > 1000:
            return None
        try:
            payload = self._serializer.loads(cookie, max_age=self.max_age)
        except BadSignature:  # also SignatureExpired
            return None
        if not isinstance(payload, dict) or not isinstance(payload.get("sid"), str):
            return None
        sid, digest = payload["sid"], payload.get("tok")
        with self._lock:
            if sid in self._ended:
                return None
        principal = self.tokens.holder(digest) if isinstance(digest, str) else None
        return Session(sid, principal, self._csrf(sid))

    def visitor(self) -> tuple[Session, str]:
        """A session for someone not signed in: it gives the sign-in form its CSRF token."""
        sid = secrets.token_urlsafe(24)
        return Session(sid, None, self._csrf(sid)), self._cookie(sid, None)

    def sign_in(self, token: str, client: str) -> tuple[Session, str]:
        """A new session id for the token's holder (a fresh id, so one planted before sign-in is useless).
        Failures count against the client like the API's (Unauthorized, then TooManyRequests)."""
        principal = self.authenticator.authenticate(f"Bearer {token.strip()}", client, "editor")
        sid = secrets.token_urlsafe(24)
        return Session(sid, principal, self._csrf(sid)), self._cookie(sid, token_hash(token.strip()))

    def csrf_ok(self, session: Session | None, submitted: str | None) -> bool:
        return session is not None and bool(submitted) and hmac.compare_digest(session.csrf, submitted or "")

    def end(self, session: Session) -> None:
        now = time.time()
        with self._lock:
            self._ended = {sid: until for sid, until in self._ended.items() if until > now}  # forget expired ones
            self._ended[session.sid] = now + self.max_age
