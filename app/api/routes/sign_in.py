"""Signing in on the pages with a write token, and signing out (issue 13)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.api.deps import SessionDep, SessionsDep, SettingsDep, client_address
from app.api.forms import FormDep, checked, is_https, local_path, page, see_other, set_session_cookie
from app.services.errors import ServiceError
from app.services.sessions import COOKIE
from app.views import solutions as views

router = APIRouter(tags=["views"], include_in_schema=False)


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(
    request: Request,
    settings: SettingsDep,
    sessions: SessionsDep,
    session: SessionDep,
    next: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    cookie = None
    if session is None:  # the form's CSRF token needs a session: a visitor's until the token is checked
        session, cookie = sessions.visitor()
    response = page(settings, views.render_sign_in(session, local_path(next)))
    if cookie:
        set_session_cookie(response, cookie, request, settings)
    return response


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in(request: Request, settings: SettingsDep, sessions: SessionsDep, session: SessionDep, form: FormDep) -> Response:
    sender = checked(settings, sessions, session, form)
    if isinstance(sender, Response):
        return sender
    target = local_path(form.get("next"))
    try:
        _, cookie = sessions.sign_in(form.get("token", ""), client_address(request))
    except ServiceError as exc:  # a wrong token (401) or too many of them (429): the form again, with why
        return page(settings, views.render_sign_in(sender, target, exc.message), exc.status)
    response = see_other(target)
    set_session_cookie(response, cookie, request, settings)
    return response


@router.post("/sign-out", response_class=HTMLResponse)
def sign_out(request: Request, settings: SettingsDep, sessions: SessionsDep, session: SessionDep, form: FormDep) -> Response:
    sender = checked(settings, sessions, session, form)
    if isinstance(sender, Response):
        return sender
    sessions.end(sender)
    response = see_other("/views/solutions")
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=is_https(request, settings))
    return response
