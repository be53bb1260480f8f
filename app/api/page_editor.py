"""Who sends a page's form that writes (interim, until the session sign-in of issue 13 is merged).

The form carries the editor's own token in a password field, checked like a bearer token (same
token file, same failure limit per client). A forged cross-site post cannot know that token, so
the form needs no CSRF token of its own. `form_editor(request, form)` is the one place the pages
ask; when the session cookie and CSRF check arrive (app.api.forms.editor), this module is what
changes, not the routes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from app.api.deps import _authenticator, client_address
from app.i18n import gettext as _
from app.services.errors import InvalidParameter, ServiceError
from app.services.tokens import Principal
from app.settings import Settings
from app.views.render import content_security_policy

M = TypeVar("M", bound=BaseModel)
FORM_TYPE = "application/x-www-form-urlencoded"
TOKEN_FIELD = "token"


async def read_form(request: Request) -> dict[str, str]:
    """The fields of an urlencoded form post (the size limit middleware has bounded the body)."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM_TYPE:
        raise InvalidParameter(_("this address takes a form post"), expected=f"Content-Type: {FORM_TYPE}")
    body = (await request.body()).decode("utf-8", errors="replace")
    return dict(parse_qsl(body, keep_blank_values=True, max_num_fields=100))


def form_editor(request: Request, form: dict[str, str]) -> Principal:
    """The editor (or admin) whose token the form carries; 401 or 429 as for the API."""
    token = form.get(TOKEN_FIELD, "").strip()
    return _authenticator(request).authenticate(f"Bearer {token}" if token else None, client_address(request), "editor")


def form_body(model: type[M], data: dict[str, Any]) -> M:
    """A request body built from a form's fields, refused as the API refuses it (one clear 422)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        raise InvalidParameter(f"{where}: {problem['msg']}", expected=_("the fields as the form asks")) from None


async def handle_form(
    request: Request,
    settings: Settings,
    body: Callable[[dict[str, str]], M],
    save: Callable[[Principal, M], dict[str, Any]],
    done: Callable[[dict[str, Any]], str],
    again: Callable[[dict[str, Any]], str],
) -> Response:
    """A form that writes: 303 to `done(saved)` once saved; otherwise the page `again` with what
    was typed (never the token) and why it was refused, at the error's status; nothing written."""
    form = await read_form(request)
    try:
        who = form_editor(request, form)
        saved = save(who, body(form))
    except ServiceError as exc:
        kept = {k: v for k, v in form.items() if k != TOKEN_FIELD}
        html = again(kept | {"error": exc.message, "expected": exc.expected, "status": exc.status})
        headers = {"Content-Security-Policy": content_security_policy(settings.frame_ancestors), "Cache-Control": "no-store"}
        return HTMLResponse(html, status_code=exc.status, headers=headers)
    return RedirectResponse(done(saved), status_code=303)
