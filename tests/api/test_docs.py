"""The API docs pages and their assets come from the app itself (app/api/docs.py), under a
policy without inline script, and with the schema in the request's language (app/api/openapi_text.py);
the browser side is in test_docs_browser.py."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api import docs, openapi_text
from app.i18n import LANGUAGES, use_language
from app.main import create_app
from tests.conftest import embedded_settings
from tests.test_i18n_catalogues import catalogue as read_catalogue

PAGES = ["/docs", "/redoc"]


def linked(html: str) -> list[str]:
    return re.findall(r'(?:src|href|spec-url|data-openapi-url)="([^"]+)"', html)


@pytest.mark.parametrize("page", PAGES)
def test_docs_page_links_only_to_this_app(embedded_client: TestClient, page: str) -> None:
    response = embedded_client.get(page)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    urls = linked(response.text)
    assert urls and all(url.startswith("/") and not url.startswith("//") for url in urls), urls
    assert "<script>" not in response.text  # no inline script: every <script> has a src
    for url in urls:
        asset = embedded_client.get(url)
        assert asset.status_code == 200, url
        if url.startswith(docs.ASSETS_URL):
            assert asset.headers["cache-control"] == docs.STATIC_CACHE and "?v=" in url


@pytest.mark.parametrize("page", PAGES)
def test_docs_policy_forbids_inline_script(embedded_client: TestClient, page: str) -> None:
    policy = embedded_client.get(page).headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline'; style-src" not in policy
    assert "unsafe-eval" not in policy
    assert policy.endswith("frame-ancestors 'self'")
    assert ("worker-src 'self' blob:" in policy) == (page == "/redoc")


def test_redoc_bundle_is_served_without_remote_urls(embedded_client: TestClient) -> None:
    html = embedded_client.get("/redoc").text
    (bundle_url,) = [url for url in linked(html) if docs.REDOC_BUNDLE in url]
    bundle = embedded_client.get(bundle_url)
    assert bundle.headers["content-type"].startswith("text/javascript")
    assert "cdn.redoc.ly" not in bundle.text and len(bundle.content) > 500_000
    assert embedded_client.head(bundle_url).headers["content-length"] == str(len(bundle.content))


def test_fastapi_cdn_pages_are_gone(embedded_client: TestClient) -> None:
    for page in PAGES:
        assert "cdn.jsdelivr.net" not in embedded_client.get(page).text
    assert embedded_client.get("/docs/oauth2-redirect").status_code == 404  # no OAuth2 here


# --- one language at a time: the schema and the pages that show it ---------------------------

LANGUAGE_REQUESTS = [
    ({}, "da"),
    ({"params": {"lang": "en"}}, "en"),
    ({"headers": {"Accept-Language": "en-GB,en;q=0.8"}}, "en"),
    ({"params": {"lang": "da"}, "headers": {"Accept-Language": "en"}}, "da"),
]


def blank_texts(schema: dict[str, Any]) -> dict[str, Any]:
    return openapi_text.translated(schema, lambda text: "")


@pytest.fixture(scope="module")
def schemas(embedded_path: Path) -> dict[str, dict[str, Any]]:
    """Both languages' schemas, with the console on, so that every operation is in them."""
    with TestClient(create_app(embedded_settings(embedded_path, cypher_console=True))) as client:
        return {code: client.get("/openapi.json", params={"lang": code}).json() for code in LANGUAGES}


@pytest.mark.parametrize(("asked", "language"), LANGUAGE_REQUESTS)
def test_the_schema_answers_in_the_requests_language(embedded_client: TestClient, asked: dict[str, Any], language: str) -> None:
    response = embedded_client.get("/openapi.json", **asked)
    assert response.status_code == 200 and response.headers["content-language"] == language
    assert "accept-language" in response.headers["vary"].lower()
    schema = response.json()
    first = {"da": "LIFE ACT Knowledge Explorer: de fem danske regioner", "en": "The LIFE ACT Knowledge Explorer: the five"}
    assert schema["info"]["description"].startswith(first[language])
    summary = schema["paths"]["/api/municipalities"]["get"]["summary"]
    assert summary == {"da": "Kommuner", "en": "List Municipalities"}[language]


def test_only_the_text_differs_between_languages(schemas: dict[str, dict[str, Any]]) -> None:
    """Paths, operation ids, parameter names, enums, patterns, examples, `code`s: the same bytes."""
    danish, english = schemas["da"], schemas["en"]
    assert blank_texts(danish) == blank_texts(english)
    assert danish["paths"].keys() == english["paths"].keys()
    pillar = next(p for p in danish["paths"]["/api/gaps"]["get"]["parameters"] if p["name"] == "pillar")
    assert pillar["schema"]["anyOf"][0]["enum"] == ["mitigation", "adaptation"]


def test_every_text_of_the_schema_is_danish_on_the_danish_schema(schemas: dict[str, dict[str, Any]]) -> None:
    """Each English text has its own Danish entry in the catalogue (none falls back to English)
    and the Danish schema shows exactly that entry, in the same place."""
    catalogue = {entry.id: entry.string for entry in read_catalogue("da") if entry.id}
    english_texts = list(openapi_text.texts(schemas["en"]))
    danish_texts = list(openapi_text.texts(schemas["da"]))
    assert len(english_texts) == len(danish_texts) > 250
    missing = sorted({text for text in english_texts if not catalogue.get(text)})
    assert not missing, f"no Danish for these schema texts (run `make messages`): {missing}"
    assert [catalogue[text] for text in english_texts] == danish_texts
    changed = sum(1 for en, da in zip(english_texts, danish_texts, strict=True) if en != da)
    assert changed > 0.9 * len(english_texts)  # what stays the same is code, names and examples
    tags = {tag["name"]: tag["description"] for tag in schemas["da"]["tags"]}
    assert tags["municipalities"].startswith("De 98 kommuner") and "console" in tags


def test_the_schema_is_built_once_per_language(embedded_path: Path) -> None:
    app = create_app(embedded_settings(embedded_path))
    with use_language("da"):
        danish = app.openapi()
        assert app.openapi() is danish
    with use_language("en"):
        english = app.openapi()
        assert app.openapi() is english and english is not danish
    assert "tags" in english and all(tag["name"] != "console" for tag in english["tags"])  # the console is off


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("asked", "language"), LANGUAGE_REQUESTS)
def test_docs_pages_load_the_schema_in_their_language_and_switch(
    embedded_client: TestClient, page: str, asked: dict[str, Any], language: str
) -> None:
    response = embedded_client.get(page, **asked)
    html = response.text
    assert response.headers["content-language"] == language and f'<html lang="{language}">' in html
    assert f'"/openapi.json?lang={language}"' in html  # Swagger UI's data-openapi-url, ReDoc's spec-url
    other = "en" if language == "da" else "da"
    assert f'<a href="{page}?lang={other}" hreflang="{other}"' in html  # the same page in the other language
    assert f'<strong lang="{language}">' in html
    noscript = {"da": "API-dokumentationen kræver JavaScript", "en": "The API docs need JavaScript"}
    assert noscript[language] in html and noscript[other] not in html
    assert re.search(r'<script src="/docs/assets/docs-languages\.js\?v=\w+"></script>', html)


def test_the_switch_keeps_other_parameters(embedded_client: TestClient) -> None:
    html = embedded_client.get("/docs", params={"lang": "en", "x": "æ<1>"}).text
    assert 'href="/docs?x=%C3%A6%3C1%3E&amp;lang=da"' in html  # kept, encoded and escaped
    assert "<1>" not in html
