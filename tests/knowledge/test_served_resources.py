"""Resources on the pages of what they serve (issue 13): a solution's page and a task's or theme's
network page list the resources that serve it, as text; an editor gets a form there that adds one
and comes back to that page (a path on this site only); readers get no form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from tests.views.signing_in import sign_in

HOSTILE = '<img src=x onerror=alert(1)> "><script>alert(2)</script>'
# the page, the API's filter for what it serves, and that filter's value
PAGES = [
    ("/views/solutions/carl", "solution", "carl"),
    ("/views/graph?center=T.4.1&depth=1", "task", "T.4.1"),
    ("/views/graph?center=governance&depth=1", "theme", "governance"),
]


def _section(html: str) -> str:
    start = html.index('data-role="resources-served"')
    return html[start : html.index("</section>", start)]


def _listed(html: str) -> list[str]:
    return sorted(re.findall(r'<li data-slug="([^"]+)"', _section(html)))


@pytest.fixture
def visitor(api: TestClient) -> Iterator[TestClient]:
    api.cookies.clear()
    yield api
    api.cookies.clear()


@pytest.mark.parametrize(("path", "what", "key"), PAGES)
def test_a_page_lists_what_serves_it_and_a_reader_gets_no_form(visitor: TestClient, path: str, what: str, key: str) -> None:
    expected = sorted(r["slug"] for r in visitor.get("/api/resources", params={what: key}).json()["data"])
    assert expected, "the seed should give each of these pages resources"
    page = visitor.get(path)
    assert page.status_code == 200
    assert _listed(page.text) == expected
    section = _section(page.text)
    assert 'method="post"' not in section and "csrf_token" not in page.text
    link = re.search(r'<a href="([^"]+)" data-role="sign-in-to-add-resource">', section)
    assert link and unescape(link.group(1)) == f"/sign-in?next={quote(path, safe='')}"


def test_the_graph_of_another_kind_of_node_has_no_resources_section(visitor: TestClient) -> None:
    assert 'data-role="resources-served"' not in visitor.get("/views/graph", params={"center": "Samsø"}).text


@pytest.mark.parametrize(("path", "what", "key"), PAGES)
def test_an_editor_adds_a_resource_from_the_page_and_comes_back_to_it(
    visitor: TestClient, tokens: dict[str, str], path: str, what: str, key: str
) -> None:
    csrf = sign_in(visitor, tokens["editor"], path)
    page = visitor.get(path)
    assert page.headers["Cache-Control"] == "no-store"  # it carries the session's CSRF token
    section = unescape(_section(page.text))
    assert f'<form method="post" action="/views/resources?{what}={key}"' in section
    assert f'name="next" value="{path}"' in section and f'value="{key}"' in section  # it serves this page's thing
    before = _listed(page.text)
    title = f"Hjælp til {what} {HOSTILE}"
    fields = {
        "csrf_token": csrf,
        "next": path,
        "title": title,
        "kind": "guide",
        "url": "https://example.org/hjælp",
        "language": "da",
        "date": "",
        f"{what}s": key,
    }
    added = visitor.post(f"/views/resources?{what}={key}", data=fields, follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"] == f"{path}#resources"
    after = visitor.get(path).text
    assert len(_listed(after)) == len(before) + 1
    assert "Hjælp til " + what + " &lt;img src=x onerror=alert(1)&gt;" in after and "<img src=x" not in after
    assert any(r["title"] == title for r in visitor.get("/api/resources", params={what: key}).json()["data"])


def test_a_resource_added_on_a_solutions_page_is_offered_to_its_tasks_and_shows_on_the_task_page(
    visitor: TestClient, tokens: dict[str, str]
) -> None:
    carl = visitor.get("/api/solutions/carl").json()
    csrf = sign_in(visitor, tokens["editor"], "/views/solutions/carl")
    section = unescape(_section(visitor.get("/views/solutions/carl").text))
    offered = re.search(r'name="tasks" maxlength="2000" value="([^"]*)"', section)
    assert offered and offered.group(1) == ", ".join(carl["tasks"])
    fields = {
        "csrf_token": csrf,
        "next": "/views/solutions/carl",
        "title": "CARL-værktøjskasse",
        "kind": "tool",
        "language": "da",
        "solutions": "carl",
        "tasks": offered.group(1),
    }
    assert visitor.post("/views/resources?solution=carl", data=fields, follow_redirects=False).status_code == 303
    task_page = visitor.get("/views/graph", params={"center": carl["tasks"][0]}).text
    assert "CARL-værktøjskasse" in _section(task_page)


@pytest.mark.parametrize(
    "target", ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "/\t/evil.example", "javascript:alert(1)"]
)
def test_the_way_back_is_a_path_on_this_site_only(visitor: TestClient, tokens: dict[str, str], target: str) -> None:
    csrf = sign_in(visitor, tokens["editor"], "/views/resources")
    fields = {"csrf_token": csrf, "next": target, "title": f"Omvej {len(target)}", "kind": "guide", "language": "da"}
    added = visitor.post("/views/resources?theme=drought", data=fields | {"themes": "drought"}, follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"] == "/views/resources?theme=drought"


def test_a_download_of_the_task_network_lists_resources_without_a_form(visitor: TestClient, tokens: dict[str, str]) -> None:
    sign_in(visitor, tokens["editor"], "/views/graph?center=T.4.1")
    downloaded = visitor.get("/views/graph", params={"center": "T.4.1", "download": 1})
    assert downloaded.status_code == 200 and "attachment" in downloaded.headers["Content-Disposition"]
    assert _listed(downloaded.text) and "csrf_token" not in downloaded.text and "sign-in-to-add" not in downloaded.text
