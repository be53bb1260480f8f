"""Relationship queries: answers that match the sources, on every backend, and parity."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.services import traversal
from app.services.text import danish_key
from tests.conftest import SHARED_DIR
from tests.source_facts import parse_work_package_page

# Every relationship endpoint with real names, Danish letters typed or not.
PARITY_REQUESTS = [
    "/api/overlap?a=Aalborg&b=Samsø",
    "/api/overlap?a=Kobenhavn&b=Lyngby-Taarbaek",
    "/api/overlaps?min_shared=2",
    "/api/overlaps?region=Nordjylland",
    "/api/overlaps/matrix",
    "/api/overlaps/matrix?region=Midtjylland",
    "/api/replication?target=WP9",
    "/api/replication?target=T.9.1&limit=20",
    "/api/replication?target=sea-level-rise",
    "/api/replication?target=hedebølger",
    "/api/paths?source=Samsø&target=Vejle",
    "/api/paths?source=Horsens&target=CONCITO&max_hops=8",
    "/api/paths?source=Region Nordjylland&target=T.11.2",
    "/api/graph?center=LIFE ACT&depth=3",
    "/api/graph?center=Samsø&depth=2",
    "/api/graph?center=WP9&depth=1&kinds=Municipality,Task",
    "/api/graph?center=Samsø&depth=2&expand=Klimaalliancen,Region Midtjylland",
    "/api/search?q=aarh",
    "/api/search?q=hedebolge",
    "/api/gaps?region=Nordjylland&pillar=adaptation",
    "/api/gaps?theme=drought",
    "/api/analytics/centrality",
]


@pytest.mark.parametrize("url", PARITY_REQUESTS)
def test_every_relationship_endpoint_answers(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.text


@pytest.fixture(scope="module")
def both_clients(embedded_client: TestClient, neo4j_settings) -> Iterator[tuple[TestClient, TestClient]]:
    with TestClient(create_app(neo4j_settings)) as neo4j_client:
        yield embedded_client, neo4j_client


@pytest.mark.neo4j
@pytest.mark.parametrize("url", PARITY_REQUESTS)
def test_both_stores_give_the_same_answer(both_clients, url: str) -> None:
    embedded, neo4j = both_clients
    assert embedded.get(url).json() == neo4j.get(url).json()


def test_aalborg_samsoe_and_herning_samsoe_share_the_most(client: TestClient) -> None:
    pairs = client.get("/api/overlaps").json()["data"]
    top = [p for p in pairs if len(p["shared_work_packages"]) == len(pairs[0]["shared_work_packages"])]
    assert {frozenset((p["a"], p["b"])) for p in top} == {frozenset(("Aalborg", "Samsø")), frozenset(("Herning", "Samsø"))}
    assert len(top[0]["shared_work_packages"]) == 4
    assert pairs[0]["jaccard"] >= pairs[1]["jaccard"]


def test_overlaps_agree_with_the_source_page(client: TestClient) -> None:
    if not (SHARED_DIR / "seeds").is_dir():
        pytest.skip("the source documents are not beside the project")
    page = parse_work_package_page(SHARED_DIR)
    members = {code: set(section["municipalities"]) for code, section in page.items()}
    for pair in client.get("/api/overlaps").json()["data"]:
        expected = [code for code, names in members.items() if {pair["a"], pair["b"]} <= names]
        assert pair["shared_work_packages"] == expected


def test_overlap_of_two_municipalities(client: TestClient) -> None:
    body = client.get("/api/overlap", params={"a": "aalborg", "b": "Samso"}).json()
    assert (body["a"], body["b"]) == ("Aalborg", "Samsø")
    assert body["shared_work_packages"] == ["WP4", "WP5", "WP8", "WP10"]
    assert body["only_a"] == [] and body["only_b"] == ["WP11"]
    assert body["jaccard"] == 0.8
    assert "Aalborg" in body["explanation"] and "WP10" in body["explanation"]
    assert {"water-retention", "pyrolysis-biochar"} <= {t["slug"] for t in body["shared_themes"]}
    assert "urban-heat-islands" not in {t["slug"] for t in body["shared_themes"]}  # only Samsø (WP11)


def test_samsoe_and_vejle_share_only_wp10_and_connect_through_it(client: TestClient) -> None:
    assert client.get("/api/overlap?a=Samsø&b=Vejle").json()["shared_work_packages"] == ["WP10"]
    body = client.get("/api/paths?source=Samsø&target=Vejle").json()
    assert body["length"] == 2
    for path in body["paths"]:
        assert [n["name"] for n in path["nodes"]][1] == "WP10: Helhedsorienteret vandhåndtering"
        assert [r["type"] for r in path["relationships"]] == ["PARTICIPATES_IN", "PARTICIPATES_IN"]
        assert all(r["target"] == "workpackage:WP10" for r in path["relationships"])


def test_paths_keep_direction_and_stop_at_max_hops(client: TestClient) -> None:
    body = client.get("/api/paths?source=Region Midtjylland&target=Samsø").json()
    assert body["length"] == 1
    assert body["paths"][0]["relationships"] == [
        {"source": "municipality:741", "target": "region:midtjylland", "type": "IN_REGION"}
    ]
    none = client.get("/api/paths?source=Samsø&target=CONCITO&max_hops=1").json()
    assert none["length"] is None and none["paths"] == [] and "1 hops" in none["note"]


def test_replication_candidates_are_ranked_non_participants_with_reasons(client: TestClient) -> None:
    body = client.get("/api/replication?target=T.9.1&limit=100").json()
    assert body["target"]["name"].startswith("T.9.1")
    assert body["work_packages"] == ["WP9"]
    participants = set(body["participants"])
    assert participants == {"Lemvig", "Mariagerfjord", "Morsø", "Nyborg", "Randers", "Vejle", "Aarhus"}
    scores = [c["score"] for c in body["candidates"]]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    for candidate in body["candidates"]:
        assert candidate["name"] not in participants
        assert candidate["reasons"]
        assert abs(sum(r["weight"] for r in candidate["reasons"]) - candidate["score"]) < 1e-6 or any(
            r["kind"] == "theme" for r in candidate["reasons"]
        )
    kinds = {r["kind"] for c in body["candidates"] for r in c["reasons"]}
    assert {"neighbour", "region", "lead-region", "co-participation", "pillar"} <= kinds


def test_replication_reasons_are_checkable(client: TestClient) -> None:
    """Each reason states a fact the graph holds: check neighbour and region reasons."""
    body = client.get("/api/replication?target=WP9&limit=100&lang=en").json()  # the reasons read in English here
    participants = set(body["participants"])
    for candidate in body["candidates"]:
        profile = client.get(f"/api/municipalities/{candidate['code']}").json()
        neighbours = {n["name"] for n in profile["neighbours"]}
        for reason in candidate["reasons"]:
            if reason["kind"] == "neighbour":
                named = reason["detail"].removeprefix("borders ").removesuffix(" (participants)").split(", ")
                assert set(named) == neighbours & participants
            if reason["kind"] == "region":
                assert profile["region"] in reason["detail"]
        if neighbours & participants:
            assert any(r["kind"] == "neighbour" for r in candidate["reasons"])


@pytest.mark.parametrize("target", ["WP9", "T.9.1", "theme:cloudburst", "theme:capacity-building", "theme:partnerships"])
def test_replication_leaves_out_the_participants_and_the_targets_own_work(client: TestClient, target: str) -> None:
    """The service, not the query, drops the participants and the target's work packages (README,
    "Replication scoring"): no candidate is a participant, neighbour and region reasons name only
    participants, and co-participation never cites one of the target's work packages."""
    body = client.get(f"/api/replication?target={target}&limit=100&lang=en").json()
    participants = set(body["participants"])
    own = set(body["work_packages"])
    assert participants and own and body["candidates"]
    for candidate in body["candidates"]:
        assert candidate["name"] not in participants
        for reason in candidate["reasons"]:
            detail = reason["detail"]
            if reason["kind"] == "neighbour":
                named = detail.removeprefix("borders ").removesuffix(" (participants)").split(", ")
                assert set(named) <= participants and named == sorted(named, key=danish_key)
            elif reason["kind"] == "region":
                named = detail[detail.index("(") + 1 : -1].split(", ")
                assert set(named) <= participants and named == sorted(named, key=danish_key)
            elif reason["kind"] == "co-participation":
                names, codes = detail.removeprefix("already works with ").split(" in ")
                assert set(names.split(", ")) <= participants
                assert not set(codes.split(", ")) & own


def test_replication_limit_and_unknown_target(client: TestClient) -> None:
    assert len(client.get("/api/replication?target=WP9&limit=3").json()["candidates"]) == 3
    missing = client.get("/api/replication?target=WP99")
    assert missing.status_code == 404 and missing.json()["error"]["expected"]
    municipality = client.get("/api/replication?target=Samsø")
    assert municipality.status_code == 404  # a municipality is not a replication target


def test_neighbourhood_of_life_act_covers_the_project(client: TestClient) -> None:
    body = client.get("/api/graph?center=LIFE ACT&depth=3").json()
    names = {n["name"] for n in body["nodes"]}
    kinds = {n["kind"] for n in body["nodes"]}
    assert kinds == {
        "Region",
        "Municipality",
        "Programme",
        "Organisation",
        "WorkPackage",
        "Task",
        "Theme",
        "Solution",
        "Resource",
    }
    assert sum(1 for n in body["nodes"] if n["kind"] == "WorkPackage") == 11
    assert sum(1 for n in body["nodes"] if n["kind"] == "Task") == 21
    assert "Samsø" in names
    ids = {n["id"] for n in body["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in body["edges"])


def test_neighbourhood_depth_and_kind_filter(client: TestClient) -> None:
    body = client.get("/api/graph?center=WP9&depth=1&kinds=Municipality,Task").json()
    assert body["center"]["name"].startswith("WP9")
    others = [n for n in body["nodes"] if n["id"] != body["center"]["id"]]
    assert {n["kind"] for n in others} == {"Municipality", "Task"}
    assert len(others) == 7 + 2
    region = client.get("/api/graph?center=Region Nordjylland&depth=1").json()
    assert sum(1 for n in region["nodes"] if n["kind"] == "Municipality") == 11


def test_a_hub_is_one_group_node_so_samsoe_depth_2_is_about_samsoe(client: TestClient) -> None:
    """Through Klimaalliancen (every municipality a member) and Region Midtjylland depth 2 used to reach
    the whole country (138 nodes); now each hub's members are one group node with their count."""
    body = client.get("/api/graph?center=Samsø&depth=2").json()
    assert len(body["nodes"]) <= 70
    ids = {n["id"] for n in body["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in body["edges"])
    samsoe = client.get("/api/municipalities/741").json()
    assert samsoe["region"] == "Region Midtjylland" and "region:midtjylland" in ids
    names = {n["name"] for n in body["nodes"]}
    assert {n["name"] for n in samsoe["neighbours"]} <= names
    for code in [p["code"] for p in samsoe["participation"]]:
        wp = client.get(f"/api/work-packages/{code}").json()
        assert f"workpackage:{code}" in ids
        assert set(wp["municipalities"]) <= names  # their municipalities
        assert {f"task:{t['code']}" for t in wp["tasks"]} <= ids
        themes = client.get("/api/graph", params={"center": code, "kinds": "Theme"}).json()["nodes"][1:]
        assert {t["id"] for t in themes} <= ids  # the themes it addresses (its tasks' themes are a step further)
    groups = {n["hub"]: n for n in body["nodes"] if n["kind"] == "Group"}
    members = groups["programme:klimaalliancen"]
    assert members["id"] == "group:programme:klimaalliancen:MEMBER_OF:in"
    assert (members["name"], members["count"]) == ("98 municipalities", 98)
    assert (members["type"], members["direction"]) == ("MEMBER_OF", "in")
    drawn = [e for e in body["edges"] if e["type"] == "MEMBER_OF" and e["target"] == members["hub"]]
    assert members["shown"] == len(drawn) - 1  # the members drawn anyway, and the group itself
    assert [e for e in body["edges"] if members["id"] in (e["source"], e["target"])] == [
        {"source": members["id"], "target": "programme:klimaalliancen", "type": "MEMBER_OF"}
    ]
    assert groups["region:midtjylland"]["count"] == 19  # Samsø's peers in its region
    assert sum(n["kind"] == "Municipality" for n in body["nodes"]) < 98


def test_expand_draws_a_hub_in_full(client: TestClient) -> None:
    body = client.get("/api/graph", params={"center": "Samso", "depth": 2, "expand": "klimaalliancen"}).json()
    assert sum(n["kind"] == "Municipality" for n in body["nodes"]) == 98
    assert sum(e["type"] == "MEMBER_OF" and e["target"] == "programme:klimaalliancen" for e in body["edges"]) == 98
    assert "programme:klimaalliancen" not in {n.get("hub") for n in body["nodes"]}
    assert body["expanded"] == [{"id": "programme:klimaalliancen", "kind": "Programme", "name": "Klimaalliancen"}]
    both = client.get("/api/graph", params={"center": "Samsø", "depth": 2, "expand": "Region Midtjylland, Klimaalliancen"}).json()
    assert not [n for n in both["nodes"] if n["kind"] == "Group"]
    assert [r["name"] for r in both["expanded"]] == ["Klimaalliancen", "Region Midtjylland"]
    missing = client.get("/api/graph", params={"center": "Samsø", "expand": "Klimaalliancen,Narnia"})
    assert missing.status_code == 404 and "Narnia" in missing.json()["error"]["message"]


def test_the_centre_is_never_collapsed_and_the_whole_project_stays_one_answer(client: TestClient) -> None:
    hub = client.get("/api/graph?center=Klimaalliancen&depth=1").json()
    assert sum(n["kind"] == "Municipality" for n in hub["nodes"]) == 98 and "Group" not in {n["kind"] for n in hub["nodes"]}
    body = client.get("/api/graph?center=LIFE ACT&depth=3").json()
    assert "Group" not in {n["kind"] for n in body["nodes"]}
    ids = {n["id"] for n in body["nodes"]}
    project = client.get("/api/work-packages").json()["data"]
    assert {f"workpackage:{wp['code']}" for wp in project} <= ids
    for wp in project:
        detail = client.get(f"/api/work-packages/{wp['code']}").json()
        assert {f"task:{t['code']}" for t in detail["tasks"]} <= ids
        assert {f"theme:{t['slug']}" for t in detail["themes"]} <= ids
        assert {f"theme:{t['slug']}" for task in detail["tasks"] for t in task["themes"]} <= ids
    participants = client.get("/api/municipalities?participating=true").json()["data"]
    assert participants and {m["name"] for m in participants} <= {n["name"] for n in body["nodes"]}


def test_a_centre_or_named_hub_past_the_drawn_limit_is_a_group_too(
    embedded_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The centre and the hubs named in `expand` are drawn in full only up to DRAWN_LIMIT members of
    one relationship type (so that no neighbourhood grows with the graph): here 50, below Klimaalliancen's 98."""
    monkeypatch.setattr(traversal, "DRAWN_LIMIT", 50)
    model = embedded_client.app.state.model
    model.answers.clear()
    model.responses.clear()
    try:
        hub = embedded_client.get("/api/graph?center=Klimaalliancen&depth=1").json()
        groups = [n for n in hub["nodes"] if n["kind"] == "Group"]
        assert [(g["hub"], g["type"], g["direction"], g["count"]) for g in groups] == [
            ("programme:klimaalliancen", "MEMBER_OF", "in", 98)
        ]
        assert not [n for n in hub["nodes"] if n["kind"] == "Municipality"]
        assert {n["kind"] for n in hub["nodes"]} >= {"Programme", "Group"}  # its other relationships are drawn
        named = embedded_client.get("/api/graph", params={"center": "Samsø", "depth": 2, "expand": "Klimaalliancen"}).json()
        assert "programme:klimaalliancen" in {n.get("hub") for n in named["nodes"]}
        assert sum(n["kind"] == "Municipality" for n in named["nodes"]) < 98
    finally:
        model.answers.clear()
        model.responses.clear()


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("aarh", "Aarhus"),
        ("hedebolge", "Hedebølger og stigende temperaturer"),
        ("Kobenhavn", "København"),
        ("samso", "Samsø"),
        ("T.9.1", "T.9.1: Tilpasningsløsninger til havvandsstigninger i en urban kontekst"),
        ("klimaaliancen", "Klimaalliancen"),
        ("Hjorring", "Hjørring"),
    ],
)
def test_search_is_diacritic_prefix_and_typo_tolerant(client: TestClient, q: str, first: str) -> None:
    hits = client.get("/api/search", params={"q": q}).json()["data"]
    assert hits and hits[0]["name"] == first


def test_gaps(client: TestClient) -> None:
    body = client.get("/api/gaps?region=Nordjylland&pillar=adaptation").json()
    names = {m["name"] for m in body["municipalities_without"]}
    assert "Mariagerfjord" not in names and "Morsø" not in names  # WP9 / WP10
    assert {"Hjørring", "Thisted", "Frederikshavn"} <= names
    assert "Aalborg" not in names  # WP8 and WP10 are adaptation work
    single = {t["slug"]: t["work_package"] for t in body["themes_with_one_work_package"]}
    assert single["sea-level-rise"] == "WP9" and single["excess-heat"] == "WP6"
    bad = client.get("/api/gaps?pillar=both")
    assert bad.status_code == 422 and "mitigation" in bad.json()["error"]["expected"]


def test_centrality_names_the_hubs(client: TestClient) -> None:
    body = client.get("/api/analytics/centrality?limit=5").json()
    assert len(body["municipalities"]) == 5
    top_degree = max(body["municipalities"], key=lambda s: s["degree"])
    assert top_degree["degree"] == 5  # Herning, Randers and Samsø take part in five work packages each
    assert body["work_packages"][0]["betweenness"] >= body["work_packages"][-1]["betweenness"]
    assert body["themes"]


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/api/paths?source=Samsø&target=Vejle&max_hops=9", "8"),
        ("/api/paths?source=Samsø&target=Vejle&max_hops=0", "1"),
        ("/api/graph?center=Samsø&depth=4", "3"),
        ("/api/graph?center=Samsø&depth=0", "1"),
        ("/api/replication?target=WP9&limit=0", "1"),
        ("/api/overlaps?min_shared=0", "1"),
        ("/api/search?q=aarh&limit=1000", "100"),
    ],
)
def test_out_of_range_parameters_are_422_with_the_range(client: TestClient, url: str, allowed: str) -> None:
    response = client.get(url)
    assert response.status_code == 422
    assert allowed in response.json()["error"]["expected"]


@pytest.mark.parametrize(
    "url", ["/api/overlap?a=Atlantis&b=Samsø", "/api/paths?source=Samsø&target=Narnia", "/api/graph?center=Gotham"]
)
def test_unknown_names_are_404_with_suggestions(client: TestClient, url: str) -> None:
    response = client.get(url, headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert response.json()["error"]["message"].startswith("no ")
    assert response.json()["error"]["code"] == "not_found"


def test_unknown_kind_is_422(client: TestClient) -> None:
    response = client.get("/api/graph?center=Samsø&kinds=Municipality,Planet")
    assert response.status_code == 422 and "WorkPackage" in response.json()["error"]["expected"]


@pytest.mark.parametrize(
    ("target", "kind"),
    [("sea-level-rise", "Theme"), ("Havvandsstigninger", "Theme"), ("WP9", "WorkPackage"), ("9.1", "Task"), ("drought", "Theme")],
)
def test_a_typed_identifier_wins_over_a_title(client: TestClient, target: str, kind: str) -> None:
    """`sea-level-rise` is the theme's slug, though WP9's English title folds the same."""
    assert client.get("/api/replication", params={"target": target}).json()["target"]["kind"] == kind


def test_pillar_only_candidates_are_listed_only_when_fewer_others_score_more() -> None:
    """Everyone in work with a target pillar gets its weight; those with nothing else (tens of
    thousands at EU scale) are added only when they could be listed."""
    from app.services.replication import MAX_CANDIDATES, WEIGHTS, _add_pillar_weight

    pillar = WEIGHTS["pillar"]
    mitigation, adaptation = frozenset({"a", "b", "p", "only-1"}), frozenset({"b", "only-2"})
    scores = {"a": 2.0, "b": 0.5, "c": 1.5}
    _add_pillar_weight(scores, [mitigation, adaptation], {"p"})
    # "b" is in both pillars' work and gets the weight once; "p" is a participant
    assert scores == {"a": 2.0 + pillar, "b": 0.5 + pillar, "c": 1.5, "only-1": pillar, "only-2": pillar}

    crowded = {f"m{n}": 2.0 for n in range(MAX_CANDIDATES)}
    _add_pillar_weight(crowded, [mitigation], set())
    assert set(crowded) == {f"m{n}" for n in range(MAX_CANDIDATES)}  # none of the pillar-only could be listed
    one_short = {f"m{n}": 2.0 for n in range(MAX_CANDIDATES - 1)}
    _add_pillar_weight(one_short, [mitigation], set())
    assert len(one_short) == MAX_CANDIDATES - 1 + len(mitigation)  # the last place is open to them
    assert _add_pillar_weight(empty := {}, [], set()) is None and empty == {}
