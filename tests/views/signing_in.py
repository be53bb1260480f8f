"""Helpers for the HTTP tests of the pages' forms: signing in through /sign-in, as a person does,
and reading the CSRF token a page gives its forms."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(web: TestClient, token: str, next_path: str = "/views/solutions") -> str:
    """Signs in through the form and follows it to `next_path`; returns the CSRF token that page's forms carry."""
    form = web.get("/sign-in")
    response = web.post(
        "/sign-in", data={"csrf_token": csrf_of(form.text), "token": token, "next": next_path}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == next_path, response.text
    return csrf_of(web.get(next_path).text)
