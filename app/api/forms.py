"""What the pages' forms share: reading a form post, the CSRF and editor checks, the session
cookie's flags, a form's write with its refusal shown on the page again, and the HTML answers
(with the CSP, never cached: they carry a CSRF token)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from urllib.parse import parse_qsl

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from app.api.errors import describe_problem
from app.api.middleware import content_security_policy
from app.api.routes.views import _error_page
from app.i18n import gettext as _
from app.services.errors import Forbidden, InvalidParameter, ServiceError
from app.services.sessions import COOKIE, CSRF_FIELD, Session, Sessions
from app.services.tokens import Principal
from app.settings import Settings

M = TypeVar("M", bound=BaseModel)
FORM_TYPE = "application/x-www-form-urlencoded"


async def read_form(request: Request) -> dict[str, str]:
    """The fields of an urlencoded form post (the size limit middleware has bounded the body)."""
    body = (await request.body()).decode("utf-8", errors="replace")
    if not body:  # no fields at all: the checks then refuse it for its missing CSRF token
        return {}
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM_TYPE:
        raise InvalidParameter(_("this address takes a form post"), expected=f"Content-Type: {FORM_TYPE}")
    return dict(parse_qsl(body, keep_blank_values=True, max_num_fields=100))


FormDep = Annotated[dict[str, str], Depends(read_form)]


def page(settings: Settings, html: str, status: int = 200) -> HTMLResponse:
    """A planner page: no in-line script at all (its one script comes from /static), so the policy
    forbids it, a second line of defence behind the escaping of what people type."""
    headers = {
        "Cache-Control": "no-store",
        # as the views do: a ';' in the setting must not start a directive of its own
        "Content-Security-Policy": content_security_policy(settings.frame_ancestors.replace(";", " "), inline_scripts=False),
    }
    return HTMLResponse(html, status_code=status, headers=headers)


def checked(settings: Settings, sessions: Sessions, session: Session | None, form: dict[str, str]) -> Session | Response:
    """The session that sent the form, or a 403 page when the form lacks that session's CSRF token."""
    if session is not None and sessions.csrf_ok(session, form.get(CSRF_FIELD)):
        return session
    error = Forbidden(
        _("this form was refused: its security token is missing or does not belong to your session"),
        expected=_("open the page again (the browser must keep its cookie) and send the form from there"),
    )
    return _error_page(settings, error)


def _editor(sessions: Sessions, session: Session | None, form: dict[str, str]) -> Principal:
    """Who sends a form that writes; Forbidden without this session's CSRF token or an editor's sign-in."""
    if session is None or not sessions.csrf_ok(session, form.get(CSRF_FIELD)):
        raise Forbidden(
            _("this form was refused: its security token is missing or does not belong to your session"),
            expected=_("open the page again (the browser must keep its cookie) and send the form from there"),
        )
    if session.principal is None or not session.can_edit:
        raise Forbidden(
            _("recording knowledge needs an editor's sign-in"), expected=_("sign in at /sign-in with an editor's token")
        )
    return session.principal


def is_https(request: Request, settings: Settings) -> bool:
    if request.url.scheme == "https":
        return True
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return settings.trust_proxy_headers and forwarded == "https"


def set_session_cookie(response: Response, value: str, request: Request, settings: Settings) -> None:
    response.set_cookie(
        COOKIE,
        value,
        max_age=int(settings.session_hours * 3600),
        path="/",
        httponly=True,
        samesite="strict",
        secure=is_https(request, settings),
    )


def local_path(target: str | None, default: str = "/views/solutions") -> str:
    """Where to go after a form: only a path on this site (no `//host`, no scheme), else the default."""
    # browsers drop tabs and line breaks from a link, so "/\t/host" would become "//host": none allowed
    if target and target.startswith("/") and not target.startswith(("//", "/\\")) and len(target) <= 500 and target.isprintable():
        return target
    return default


def see_other(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303, headers={"Cache-Control": "no-store"})


def form_body(model: type[M], data: dict[str, Any]) -> M:
    """A request body built from a form's fields, refused as the API refuses it: one clear 422 in the
    page's language (the API's own wording of each kind of problem)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        message, expected = describe_problem(exc.errors()[0])
        raise InvalidParameter(message, expected=expected or _("the fields as the form asks")) from None


def form_write(
    settings: Settings,
    sessions: Sessions,
    session: Session | None,
    form: dict[str, str],
    write: Callable[[Principal], str],
    again: Callable[[dict[str, Any]], str],
    passthrough: tuple[type[ServiceError], ...] = (),
) -> Response:
    """A form's write by an editor: 303 to where `write` says. Any refusal (no CSRF token of this
    session, no editor's sign-in, a field that does not fit, a conflict) shows the page `again` with
    what was typed and why, at the error's status, nothing written; `passthrough` errors are the
    caller's to show (an edit's conflict has a page of its own)."""
    try:
        return see_other(write(_editor(sessions, session, form)))
    except passthrough:
        raise
    except ServiceError as exc:
        kept = {k: v for k, v in form.items() if k != CSRF_FIELD}  # the page prints its session's own token
        return page(
            settings, again(kept | {"error": exc.message, "expected": exc.expected, "error_status": exc.status}), exc.status
        )
