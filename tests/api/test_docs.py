"""The API docs pages and their assets come from the app itself (app/api/docs.py), under a
policy without inline script; the browser side is in test_docs_browser.py."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.api import docs

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
