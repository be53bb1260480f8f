"""Dependencies shared by the routes, as Annotated aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.graph.store import GraphStore
from app.services.auth import Authenticator
from app.services.health import StoreCheck
from app.services.read_model import ReadModel
from app.services.sessions import COOKIE, Session, Sessions, load_or_create_key
from app.services.tokens import Principal, TokenFile
from app.settings import Settings


# Async: FastAPI runs a plain function dependency in a worker thread, a hop that cost more than
# reading an attribute.
async def get_model(request: Request) -> ReadModel:
    return request.app.state.model


async def get_store(request: Request) -> GraphStore:
    return request.app.state.model.store


async def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_store_check(request: Request) -> StoreCheck:
    state = request.app.state
    check = getattr(state, "store_check", None)
    if check is None or check.store is not state.model.store:
        check = state.store_check = StoreCheck(state.model.store)
    return check


ModelDep = Annotated[ReadModel, Depends(get_model)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
StoreCheckDep = Annotated[StoreCheck, Depends(get_store_check)]


def _authenticator(request: Request) -> Authenticator:
    state = request.app.state
    if getattr(state, "authenticator", None) is None:
        settings = state.settings
        state.authenticator = Authenticator(TokenFile(settings.tokens_file), settings.auth_failure_limit)
    return state.authenticator


def _sessions(request: Request) -> Sessions:
    state = request.app.state
    if getattr(state, "sessions", None) is None:
        settings = state.settings
        secret = settings.session_secret.get_secret_value().encode() if settings.session_secret else None
        key = secret or load_or_create_key(settings.session_key_file)
        state.sessions = Sessions(TokenFile(settings.tokens_file), _authenticator(request), key, settings.session_hours)
    return state.sessions


def current_session(request: Request) -> Session | None:
    """The signed-in (or visiting) session the cookie carries; None without a valid one. Reading needs none."""
    return _sessions(request).read(request.cookies.get(COOKIE))


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


# Declares the bearer scheme in the schema (`security` on every operation that needs a token); the
# Authenticator reads the header itself, so a missing or malformed one is its 401, not FastAPI's 403.
bearer = HTTPBearer(auto_error=False, description="A token from `lifeact tokens create --name NAME --role editor|admin`")
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def require_editor(request: Request, _: BearerDep) -> Principal:
    """Editors and admins write knowledge; the token file is read on every call."""
    return _authenticator(request).authenticate(request.headers.get("authorization"), client_address(request), "editor")


def require_admin(request: Request, _: BearerDep) -> Principal:
    return _authenticator(request).authenticate(request.headers.get("authorization"), client_address(request), "admin")


EditorDep = Annotated[Principal, Depends(require_editor)]
AdminDep = Annotated[Principal, Depends(require_admin)]
SessionsDep = Annotated[Sessions, Depends(_sessions)]
SessionDep = Annotated[Session | None, Depends(current_session)]
# `"3"`, `W/"3"`, a list of them, or `*`. Optional here so that a request without it gets 428 (RFC 6585)
# rather than a validation 422; app.api.contract marks it required in the schema, which is the contract.
IF_MATCH_PATTERN = r'^(\*|(W/)?"[0-9]+"( *, *(W/)?"[0-9]+")*)$'
IfMatchDep = Annotated[
    str | None, Header(alias="If-Match", pattern=IF_MATCH_PATTERN, description='The version from the ETag, e.g. `"1"`')
]
