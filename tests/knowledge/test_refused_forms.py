"""A refused form keeps what was typed (issue 13): for every form of the pages (a new solution, an
edit, an adoption, an observation, a resource on the resources page and on a solution's, task's and
theme's page), a refusal (no CSRF token of the session, no editor's sign-in, a field that does not
fit, a conflict) shows the same page again with the values in their fields, as text, the reason
beside them in the page's language, and nothing written; sent again with the page's token, it saves."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from itertools import count

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from app.i18n import gettext, use_language
from tests.knowledge.conftest import auth
from tests.views.signing_in import csrf_of, sign_in
from tests.views.test_solution_pages import solution_fields

HOSTILE = '<img src=x onerror=alert(1)> "><script>alert(2)</script>'
NUMBER = count(1)


@dataclass
class Form:
    page: str  # where the form is
    action: str  # where it posts
    fields: dict[str, str]  # fields that are saved when sent with the session's token
    bad: dict[str, str]  # a change that is refused as not fitting (422)


def _resource_fields(title: str, **targets: str) -> dict[str, str]:
    return {"title": title, "kind": "guide", "url": "https://example.org/r", "language": "da", "date": ""} | targets


def _make(api: TestClient, tokens: dict[str, str], name: str) -> Form:
    n = next(NUMBER)
    if name == "new solution":
        fields = solution_fields(f"Ny løsning {n} {HOSTILE}")
        return Form("/views/solutions", "/views/solutions", fields, {"sources": "Klik | javascript:alert(1)"})
    if name == "edit":
        created = api.post("/api/solutions", json=_solution_api(f"Redigeret løsning {n}"), headers=auth(tokens["editor"]))
        assert created.status_code == 201, created.text
        slug, version = created.json()["slug"], str(created.json()["version"])
        fields = solution_fields(f"Redigeret løsning {n} {HOSTILE}") | {"version": version}
        return Form(f"/views/solutions/{slug}", f"/views/solutions/{slug}/edit", fields, {"started": "i går"})
    if name == "adoption":
        fields = {"municipality": "Aarhus", "status": "considering", "date": "2024-05-01", "note": f"Note {n} {HOSTILE}"}
        fields |= {"source_title": "", "source_url": ""}
        return Form("/views/solutions/carl", "/views/solutions/carl/adoptions", fields, {"date": "2999-01-01"})
    if name == "observation":
        fields = {"subject": "Vejle", "value": "4", "date": f"2025-04-{n % 28 + 1:02d}", "source_url": "https://example.org/o"}
        fields |= {"source_title": f"Måling {n} {HOSTILE}"}
        page = "/views/indicators/carl"
        return Form(page, f"{page}/observations", fields, {"value": "99"})
    if name == "resource":
        fields = _resource_fields(f"Vejledning {n} {HOSTILE}", tasks="T.4.1")
        return Form("/views/resources?task=T.4.1", "/views/resources?task=T.4.1", fields, {"language": "dansk"})
    served = {
        "resource on a solution's page": ("/views/solutions/carl", "solution", "carl"),
        "resource on a task's page": ("/views/graph?center=T.4.1&depth=1", "task", "T.4.1"),
        "resource on a theme's page": ("/views/graph?center=governance&depth=1", "theme", "governance"),
    }
    page, what, key = served[name]
    fields = _resource_fields(f"Værktøj {n} {HOSTILE}", **{f"{what}s": key}) | {"next": page}
    return Form(page, f"/views/resources?{what}={key}", fields, {"url": "javascript:alert(1)"})


def _solution_api(name: str) -> dict[str, object]:
    return {"name": name, "summary": "Et resumé.", "status": "idea", "tasks": ["T.5.3"], "themes": [], "developed_by": []}


FORMS = [
    "new solution",
    "edit",
    "adoption",
    "observation",
    "resource",
    "resource on a solution's page",
    "resource on a task's page",
    "resource on a theme's page",
]


@pytest.fixture
def web(api: TestClient) -> Iterator[TestClient]:
    api.cookies.clear()
    yield api
    api.cookies.clear()
    api.headers["Accept-Language"] = "en"


def _form_of(html: str, action: str) -> str:
    """The one form on the page that posts to `action`."""
    start = html.replace("&amp;", "&").index(f'<form method="post" action="{action}"')
    return html.replace("&amp;", "&")[start : html.replace("&amp;", "&").index("</form>", start)]


def _kept(html: str, form: Form, values: dict[str, str]) -> None:
    """Every typed value back in its field of the form, escaped, and no markup of it."""
    shown = _form_of(html, form.action)
    for name, value in values.items():
        if name in ("csrf_token", "next", "version") or not value:
            continue
        as_text = str(escape(value))
        in_field = (
            f'name="{name}" value="{as_text}"' in shown
            or re.search(rf'name="{name}"[^>]* value="{re.escape(as_text)}"', shown)
            or f'<option value="{as_text}" selected>' in shown
            or re.search(rf'name="{name}"[^>]*>{re.escape(as_text)}</textarea>', shown)
        )
        assert in_field, f"{name}={value!r} is not kept in the form: {shown}"
    assert "<img src=x" not in html and "<script>alert(2)" not in html


def _state(web: TestClient) -> tuple[int, ...]:
    """What the forms could have written: solutions, resources, Vejle's CARL observations, CARL's adoptions."""
    observed = web.get("/api/observations", params={"subject": "Vejle", "indicator": "carl"}).json()["data"]
    adoptions = web.get("/api/solutions/carl").json()["adoptions"]
    solutions = web.get("/api/solutions", params={"limit": 500}).json()["data"]
    versions = sum(s["version"] for s in solutions)
    return (len(solutions), versions, web.get("/api/resources").json()["count"], len(observed), len(adoptions))


@pytest.fixture(params=FORMS)
def signed_in(request: pytest.FixtureRequest, web: TestClient, tokens: dict[str, str]) -> tuple[Form, str, tuple[int, ...]]:
    """One of the forms, an editor signed in on its page (the CSRF token), and what was written before."""
    form = _make(web, tokens, request.param)
    return form, sign_in(web, tokens["editor"], form.page), _state(web)


def test_without_the_sessions_token_the_page_comes_back_filled_in_and_sends_again(
    web: TestClient, signed_in: tuple[Form, str, tuple[int, ...]]
) -> None:
    form, csrf, before = signed_in
    for token in ({}, {"csrf_token": "0" * 64}):
        refused = web.post(form.action, data=form.fields | token, follow_redirects=False)
        assert refused.status_code == 403 and refused.headers["Cache-Control"] == "no-store"
        alert = re.search(r'role="alert" data-status="403">([^<]+)', refused.text)
        assert alert and "security token" in alert.group(1)
        _kept(refused.text, form, form.fields)
        assert csrf_of(_form_of(refused.text, form.action)) == csrf  # the session's own token, to send it again
    assert _state(web) == before
    sent = web.post(form.action, data=form.fields | {"csrf_token": csrf}, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    assert _state(web) != before


def test_a_field_that_does_not_fit_comes_back_with_the_reason_beside_it(
    web: TestClient, signed_in: tuple[Form, str, tuple[int, ...]]
) -> None:
    form, csrf, before = signed_in
    typed = form.fields | form.bad
    refused = web.post(form.action, data=typed | {"csrf_token": csrf}, follow_redirects=False)
    assert refused.status_code == 422, refused.text
    alert = re.search(r'<p class="error" role="alert" data-status="422">([^<]+)', _form_of_section(refused.text, form.action))
    field_name = next(iter(form.bad))
    assert alert and field_name in unescape(alert.group(1)) and "Value error" not in alert.group(1)
    _kept(refused.text, form, typed)
    assert _state(web) == before


def _form_of_section(html: str, action: str) -> str:
    """The form to `action` with what stands just before it (where the reason is shown)."""
    text = html.replace("&amp;", "&")
    end = text.index(f'<form method="post" action="{action}"')
    return text[max(0, end - 2000) : text.index("</form>", end)]


@pytest.mark.parametrize("name", FORMS)
def test_someone_whose_sign_in_lapsed_gets_the_input_back_with_a_sign_in_link(
    web: TestClient, tokens: dict[str, str], name: str
) -> None:
    form = _make(web, tokens, name)
    csrf = csrf_of(web.get("/sign-in").text)  # a session with nobody signed in
    before = _state(web)
    refused = web.post(form.action, data=form.fields | {"csrf_token": csrf}, follow_redirects=False)
    assert refused.status_code == 403 and "editor" in refused.text
    _kept(refused.text, form, form.fields)
    # a link to sign in and come back (the account bar's, or the resources section's on a network page)
    assert re.search(r'<a href="/sign-in\?next=[^"]+" data-role="sign-in(?:-to-add-resource)?">', refused.text)
    assert _state(web) == before


def _alert(html: str) -> str:
    """What a page says went wrong, for an assertion's message."""
    found = re.search(r'role="alert"[^>]*>(.*?)</', html, re.S)
    return found.group(1) if found else html[:300]


def test_a_conflict_keeps_the_input(web: TestClient, tokens: dict[str, str]) -> None:
    """A resource whose title is taken (409) and an edit of an older version (the conflict page)."""
    resource = _make(web, tokens, "resource on a task's page")
    csrf = sign_in(web, tokens["editor"], resource.page)
    first = web.post(resource.action, data=resource.fields | {"csrf_token": csrf}, follow_redirects=False)
    assert first.status_code == 303, _alert(first.text)
    again = web.post(resource.action, data=resource.fields | {"csrf_token": csrf}, follow_redirects=False)
    assert again.status_code == 409 and 'data-status="409"' in again.text, _alert(again.text)
    _kept(again.text, resource, resource.fields)

    edit = _make(web, tokens, "edit")
    slug = edit.page.rsplit("/", 1)[1]
    current = web.get(f"/api/solutions/{slug}")
    saved = web.patch(
        f"/api/solutions/{slug}",
        json={"summary": "Deres resumé"},
        headers=auth(tokens["admin"]) | {"If-Match": current.headers["ETag"]},
    )
    assert saved.status_code == 200, saved.text
    conflict = web.post(edit.action, data=edit.fields | {"csrf_token": csrf}, follow_redirects=False)
    assert conflict.status_code == 409 and 'data-role="conflict"' in conflict.text, (conflict.status_code, _alert(conflict.text))
    _kept(conflict.text, edit, {k: v for k, v in edit.fields.items() if k != "sources"})


def test_the_reason_is_in_the_pages_language(web: TestClient, tokens: dict[str, str]) -> None:
    web.headers["Accept-Language"] = "da"
    form = _make(web, tokens, "resource on a solution's page")
    csrf = sign_in(web, tokens["editor"], form.page)
    with use_language("da"):
        danish_403 = gettext("this form was refused: its security token is missing or does not belong to your session")
        danish_422 = gettext("{name}='{value}' does not fit").format(name="language", value="dansk")
    assert danish_403.startswith("formularen blev afvist") and "does not fit" not in danish_422
    refused = web.post(form.action, data=form.fields, follow_redirects=False)
    assert refused.status_code == 403 and danish_403 in unescape(refused.text) and '<html lang="da"' in refused.text
    _kept(refused.text, form, form.fields)
    bad = form.fields | {"language": "dansk", "csrf_token": csrf}
    refused = web.post(form.action, data=bad, follow_redirects=False)
    assert refused.status_code == 422 and danish_422 in unescape(refused.text)
    _kept(refused.text, form, bad)
