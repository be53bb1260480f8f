"""Every list endpoint answers a page at a time: `limit` (with its maximum), a cursor (an offset),
the total, and `Link: rel="next"`; walking the chain visits every item exactly once."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import combinations
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.services import overlap as overlap_service
from app.services.paging import LIMITS

Item = dict[str, Any]

# (URL, the list's name in LIMITS, the key of its items in the body, what identifies an item)
LISTS: list[tuple[str, str, str, Callable[[Item], Any]]] = [
    ("/api/municipalities", "municipalities", "data", lambda m: m["code"]),
    ("/api/municipalities?region=Midtjylland", "municipalities", "data", lambda m: m["code"]),
    ("/api/municipalities?participating=false", "municipalities", "data", lambda m: m["code"]),
    ("/api/municipalities?work_package=WP9", "municipalities", "data", lambda m: m["code"]),
    ("/api/municipalities?programme=klimaalliancen", "municipalities", "data", lambda m: m["code"]),
    ("/api/municipalities?theme=drought", "municipalities", "data", lambda m: m["code"]),
    ("/api/regions", "regions", "data", lambda r: r["name"]),
    ("/api/work-packages", "work-packages", "data", lambda w: w["code"]),
    ("/api/themes", "themes", "data", lambda t: t["slug"]),
    ("/api/programmes", "programmes", "data", lambda p: p["key"]),
    ("/api/organisations", "organisations", "data", lambda o: o["key"]),
    ("/api/overlaps", "overlaps", "data", lambda p: (p["a"], p["b"])),
    ("/api/overlaps?min_shared=2&region=Midtjylland", "overlaps", "data", lambda p: (p["a"], p["b"])),
    ("/api/gaps?pillar=adaptation", "gaps", "municipalities_without", lambda m: m["code"]),
    ("/api/search?q=aa", "search", "data", lambda h: h["id"]),
    ("/api/solutions", "solutions", "data", lambda s: s["slug"]),
    ("/api/indicators", "indicators", "data", lambda i: i["slug"]),
]
IDS = [url for url, *_ in LISTS]


def _with(url: str, **params: Any) -> str:
    return url + ("&" if "?" in url else "?") + "&".join(f"{k}={v}" for k, v in params.items())


def _next_link(response: Any) -> str | None:
    link = response.headers.get("link")
    if link is None:
        return None
    match = re.fullmatch(r'<(/[^>]*)>; rel="next"', link)
    assert match, link
    return match.group(1)


def _walk(client: TestClient, url: str, items_key: str) -> tuple[list[Item], list[dict[str, Any]]]:
    """Every item of a list following the Link chain, and every page's body."""
    items, bodies = [], []
    following: str | None = url
    while following is not None:
        response = client.get(following)
        assert response.status_code == 200, response.text
        body = response.json()
        bodies.append(body)
        items += body[items_key]
        following = _next_link(response)
        assert (following is None) == (body["next_cursor"] is None)
        assert len(bodies) < 200, "the Link chain does not end"
    return items, bodies


@pytest.mark.parametrize(("url", "name", "items_key", "key"), LISTS, ids=IDS)
def test_walking_the_link_chain_visits_every_item_once(client: TestClient, url: str, name: str, items_key: str, key) -> None:
    whole = client.get(_with(url, limit=LIMITS[name].maximum)).json()
    assert whole["next_cursor"] is None and whole["total"] == whole["count"] == len(whole[items_key])
    items, bodies = _walk(client, _with(url, limit=2), items_key)
    assert [key(i) for i in items] == [key(i) for i in whole[items_key]]  # same order, each once
    assert len({key(i) for i in items}) == len(items) == whole["total"]
    for body in bodies:
        assert body["total"] == whole["total"] and body["limit"] == 2
        assert body["count"] == len(body[items_key]) <= 2


@pytest.mark.parametrize(("url", "name", "items_key", "key"), LISTS, ids=IDS)
def test_limit_is_bounded_and_defaults_as_documented(client: TestClient, url: str, name: str, items_key: str, key) -> None:
    bounds = LIMITS[name]
    assert client.get(url).json()["limit"] == bounds.default
    for bad in (0, bounds.maximum + 1):
        response = client.get(_with(url, limit=bad))
        assert response.status_code == 422, response.text
        assert "limit" in response.json()["error"]["message"]
    for broken in ("bm90LWEtY3Vyc29y", "-1", "1" * 13):  # not an offset of at most 12 digits
        response = client.get(_with(url, cursor=broken))
        assert response.status_code == 422 and "cursor" in response.json()["error"]["message"], broken


@pytest.mark.parametrize(("url", "name", "items_key", "key"), LISTS, ids=IDS)
def test_a_cursor_past_the_end_is_an_empty_last_page(client: TestClient, url: str, name: str, items_key: str, key) -> None:
    response = client.get(_with(url, cursor="9" * 12))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body[items_key] == [] and body["count"] == 0 and body["next_cursor"] is None
    assert body["total"] == client.get(url).json()["total"] and "link" not in response.headers


@pytest.mark.parametrize(("url", "name", "items_key", "key"), LISTS, ids=IDS)
def test_head_answers_like_get(client: TestClient, url: str, name: str, items_key: str, key) -> None:
    get, head = client.get(_with(url, limit=1)), client.head(_with(url, limit=1))
    assert head.status_code == get.status_code == 200
    assert head.content == b"" and head.headers.get("link") == get.headers.get("link")


def test_the_link_keeps_every_other_parameter(client: TestClient) -> None:
    response = client.get("/api/municipalities?region=Midtjylland&participating=true&limit=1")
    following = _next_link(response)
    assert following is not None and following.startswith("/api/municipalities?")
    assert {"region=Midtjylland", "participating=true", "limit=1"} <= set(following.split("?")[1].split("&"))
    assert "cursor=" in following


def test_totals_are_the_graphs(client: TestClient) -> None:
    def total(url: str) -> int:
        return client.get(url).json()["total"]

    assert total("/api/municipalities") == 98
    assert total("/api/municipalities?region=Region Midtjylland") == 19
    assert total("/api/municipalities?participating=true") == 26
    assert total("/api/municipalities?programme=klimaalliancen") == 98
    assert total("/api/municipalities?work_package=WP9") == 7
    assert (total("/api/regions"), total("/api/work-packages"), total("/api/programmes")) == (5, 11, 3)
    assert total("/api/gaps") == 98 - 26  # in no work package at all


def test_overlap_pages_are_every_sharing_pair_ranked(client: TestClient) -> None:
    """The store's ranking and count against pairs worked out here from each municipality's work packages."""
    members = client.get("/api/municipalities?participating=true").json()["data"]
    expected = {}
    for a, b in combinations(members, 2):
        shared = set(a["work_packages"]) & set(b["work_packages"])
        if shared:
            union = set(a["work_packages"]) | set(b["work_packages"])
            expected[frozenset((a["name"], b["name"]))] = (len(shared), round(len(shared) / len(union), 4))
    pairs, _ = _walk(client, "/api/overlaps?limit=7", "data")
    assert {frozenset((p["a"], p["b"])): (len(p["shared_work_packages"]), p["jaccard"]) for p in pairs} == expected
    ranks = [(len(p["shared_work_packages"]), p["jaccard"]) for p in pairs]
    assert ranks == sorted(ranks, reverse=True)


def test_embedded_member_lists_point_to_their_paged_list(client: TestClient) -> None:
    wp = client.get("/api/work-packages/WP9").json()
    members = client.get(wp["municipalities_url"]).json()
    assert wp["municipalities_url"] == "/api/municipalities?work_package=WP9"
    assert wp["municipality_count"] == members["total"] == len(wp["municipalities"]) == 7
    assert sorted(wp["municipalities"]) == sorted(m["name"] for m in members["data"])
    task = client.get("/api/tasks/T.9.1").json()
    assert (task["municipality_count"], task["municipalities_url"]) == (7, wp["municipalities_url"])
    alliance = client.get("/api/programmes/klimaalliancen").json()
    assert alliance["member_count"] == client.get(alliance["members_url"]).json()["total"] == 98
    region = client.get("/api/regions/Nordjylland").json()
    assert region["municipality_count"] == client.get(region["municipalities_url"]).json()["total"] == 11
    theme = client.get("/api/themes/urban-heat-islands").json()
    assert theme["municipality_count"] == client.get(theme["municipalities_url"]).json()["total"] == 6
    assert theme["task_count"] == len(theme["tasks"]) and theme["work_package_count"] == len(theme["work_packages"])


def test_one_scope_at_a_time(client: TestClient) -> None:
    response = client.get("/api/municipalities?work_package=WP9&theme=drought")
    assert response.status_code == 422 and "at most one" in response.json()["error"]["expected"]


def test_openapi_states_each_limit(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path, name in (("/api/municipalities", "municipalities"), ("/api/overlaps", "overlaps"), ("/api/gaps", "gaps")):
        parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        limit = parameters["limit"]["schema"]
        assert (limit["default"], limit["maximum"], limit["minimum"]) == (LIMITS[name].default, LIMITS[name].maximum, 1)
        assert str(LIMITS[name].maximum) in parameters["limit"]["description"]
        assert "cursor" in parameters


# -- the overlap matrix: a bounded set only -------------------------------------------------------
def test_matrix_of_named_municipalities_and_of_a_work_package(client: TestClient) -> None:
    body = client.get("/api/overlaps/matrix?names=Samsø,Aalborg").json()
    assert body["municipalities"] == ["Samsø", "Aalborg"]  # Danish order: aa after å
    assert body["shared"] == [[5, 4], [4, 4]] and body["jaccard"][0][1] == 0.8
    wp9 = client.get("/api/overlaps/matrix?work_package=WP9").json()
    assert len(wp9["municipalities"]) == 7 and all(row[i] >= 1 for i, row in enumerate(wp9["shared"]))


def test_matrix_beyond_its_maximum_is_a_422_saying_how_to_narrow_it(client: TestClient, monkeypatch) -> None:
    names = ",".join(m["name"] for m in client.get("/api/municipalities?limit=98").json()["data"][:61])
    response = client.get("/api/overlaps/matrix", params={"names": names, "lang": "en"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert "61 municipalities, more than 60" in error["message"]
    assert "region=" in error["expected"] and "work_package=" in error["expected"] and "names=" in error["expected"]
    monkeypatch.setattr(overlap_service, "MATRIX_LIMIT", 10)  # the seed's 26 participants then are too many
    response = client.get("/api/overlaps/matrix?lang=en")
    assert response.status_code == 422 and "26 municipalities, more than 10" in response.json()["error"]["message"]
    assert client.get("/api/overlaps/matrix?region=Nordjylland").status_code == 200  # 2 participants
    assert client.get("/api/overlaps/matrix?region=Nordjylland&work_package=WP9").status_code == 422
