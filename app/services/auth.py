"""Who may write: a bearer token from the token file, checked on every write request (so a
revoked token stops at once), with a limit on failed attempts per client."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

from app.i18n import gettext as _
from app.services.errors import Forbidden, TooManyRequests, Unauthorized
from app.services.tokens import Principal, TokenFile

WINDOW_SECONDS = 60.0


class Authenticator:
    def __init__(self, tokens: TokenFile, failure_limit: int) -> None:
        self.tokens = tokens
        self.failure_limit = failure_limit
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent_failures(self, client: str, now: float) -> deque[float]:
        failures = self._failures[client]
        while failures and failures[0] < now - WINDOW_SECONDS:
            failures.popleft()
        return failures

    def authenticate(self, authorization: str | None, client: str, role: str) -> Principal:
        now = time.monotonic()
        with self._lock:
            if len(self._recent_failures(client, now)) >= self.failure_limit:
                raise TooManyRequests(
                    _("too many failed authentications from this client"), expected=_("wait a minute, then use a valid token")
                )
        scheme, _space, token = (authorization or "").partition(" ")
        principal = self.tokens.verify(token.strip()) if scheme.lower() == "bearer" else None
        if principal is None:
            with self._lock:
                self._recent_failures(client, now).append(now)
                if len(self._failures) > 10_000:  # bounded: forget the quietest clients
                    for key in [k for k, v in self._failures.items() if not v][:5000]:
                        del self._failures[key]
            raise Unauthorized(
                _("a valid bearer token is needed to write") if authorization else _("writing needs a bearer token"),
                expected="Authorization: Bearer <token> (lifeact tokens create --name NAME --role editor)",
            )
        if role == "admin" and principal.role != "admin":
            raise Forbidden(
                _("token {name!r} is an {role}; this needs an admin").format(name=principal.name, role=principal.role),
                expected=_("an admin token"),
            )
        return principal
