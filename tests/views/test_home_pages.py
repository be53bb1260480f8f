"""The home page shows each list a page at a time, with links to the pages before and after."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient


def _pager(page: str, section: str) -> str:
    match = re.search(rf'<section id="{section}">.*?<nav class="pager"[^>]*>(.*?)</nav>', page, re.S)
    assert match, section
    return match.group(1)


def _links(nav: str) -> dict[str, str]:
    return {rel: html.unescape(href) for href, rel in re.findall(r'<a href="([^"]+)" rel="(prev|next)">', nav)}


def test_next_and_previous_walk_every_work_package_once(embedded_client: TestClient) -> None:
    seen: list[str] = []
    url: str | None = "/?n=4&q=Aalborg"
    pages = 0
    while url:
        page = embedded_client.get(url).text
        section = re.search(r'<section id="wp">(.*?)</section>', page, re.S).group(1)
        seen += re.findall(r'href="/views/work-packages/(WP\d+)"', section)
        links = _links(_pager(page, "wp"))
        assert "Aalborg" in page  # the search stays while the list pages
        if pages:
            assert "prev" in links and embedded_client.get(links["prev"]).status_code == 200
        url = links.get("next")
        pages += 1
    assert seen == [f"WP{n}" for n in range(1, 12)] and pages == 3
    assert "9–11 af 11" in _pager(page, "wp")


def test_one_list_pages_while_the_others_stay(embedded_client: TestClient) -> None:
    page = embedded_client.get("/?n=5&kommuner=5").text
    assert "6–10 af 26" in _pager(page, "kommuner") and "1–5 af 11" in _pager(page, "wp")
    assert "kommuner=5" in _links(_pager(page, "temaer"))["next"]


def test_a_bad_cursor_or_page_size_is_a_422_page(embedded_client: TestClient) -> None:
    for url in ("/?wp=not-ours", "/?n=0", "/?n=101"):
        response = embedded_client.get(url)
        assert response.status_code == 422 and response.headers["content-type"].startswith("text/html"), url
