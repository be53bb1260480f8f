"""Write tokens: a small JSON file beside the embedded store (LIFEACT_TOKENS_PATH).

Only a SHA-256 hash of each token is kept (tokens are 256 random bits, so a plain hash is
enough; no salt or slow hash is needed against guessing). The file is read afresh on every
check, so a token revoked by `lifeact tokens revoke` stops working at the next request,
whether the server was running or not. Changes are written to a temporary file and renamed
into place under an exclusive lock, mode 0600.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Role = Literal["editor", "admin"]
ROLES: tuple[str, ...] = ("editor", "admin")
PREFIX = "lifeact_"


class TokenError(Exception):
    """A token command that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class Principal:
    name: str
    role: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenFile:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def _read(self) -> list[dict[str, Any]]:
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        return list(document.get("tokens", []))

    @contextlib.contextmanager
    def _locked(self) -> Iterator[list[dict[str, Any]]]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with open(lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            tokens = self._read()
            yield tokens
            temporary = self.path.with_name(f".{self.path.name}.{secrets.token_hex(6)}")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"tokens": tokens}, handle, indent=2, ensure_ascii=False)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path)

    def create(self, name: str, role: str) -> str:
        if role not in ROLES:
            raise TokenError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
        if not name or len(name) > 100 or not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
            raise TokenError("a token name is 1-100 letters, digits, '-', '_' or '.'")
        token = PREFIX + secrets.token_urlsafe(32)
        with self._locked() as tokens:
            if any(t["name"] == name and not t.get("revoked_at") for t in tokens):
                raise TokenError(f"a token named {name!r} exists; revoke it first")
            tokens.append({"name": name, "role": role, "sha256": token_hash(token), "created_at": _now(), "revoked_at": None})
        return token

    def revoke(self, name: str) -> None:
        with self._locked() as tokens:
            live = [t for t in tokens if t["name"] == name and not t.get("revoked_at")]
            if not live:
                raise TokenError(f"no live token named {name!r}")
            for t in live:
                t["revoked_at"] = _now()

    def list(self) -> list[dict[str, Any]]:
        return [{k: v for k, v in t.items() if k != "sha256"} for t in self._read()]

    def verify(self, token: str) -> Principal | None:
        """The token's holder, or None; read from the file each time (revocation acts at once)."""
        if not token.startswith(PREFIX) or len(token) > 200:
            return None
        return self.holder(token_hash(token))

    def holder(self, digest: str) -> Principal | None:
        """The live token with this hash (a signed-in session names its token so): None once revoked."""
        found = None
        for t in self._read():
            if hmac.compare_digest(t["sha256"], digest) and not t.get("revoked_at"):
                found = Principal(t["name"], t["role"])
        return found


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
