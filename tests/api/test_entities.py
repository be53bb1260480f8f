"""The entity API on every backend: every fact of the sources comes back exactly."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import SEED_DIR, SHARED_DIR
from tests.source_facts import CATEGORIES, LEADS, PARTNERS, PILLARS, STATED_PILLARS, parse_work_package_page

WP_CODES = [f"WP{n}" for n in range(1, 12)]


@pytest.fixture(scope="module")
def source_page() -> dict[str, dict[str, list[str]]]:
    if not (SHARED_DIR / "seeds").is_dir():
        pytest.skip(f"the source documents are not at {SHARED_DIR / 'seeds'}")
    return parse_work_package_page(SHARED_DIR)


def reference_rows() -> list[dict[str, str]]:
    with (SEED_DIR / "municipalities.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_health_names_the_backend(client: TestClient, settings) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["backend"] == settings.backend


def test_stats_counts_every_label_and_type(client: TestClient) -> None:
    stats = client.get("/api/stats").json()
    assert stats["nodes"]["Municipality"] == 98
    assert stats["nodes"]["Region"] == 5
    assert stats["nodes"]["WorkPackage"] == 11
    assert stats["nodes"]["Task"] == 21
    assert stats["relationships"]["PARTICIPATES_IN"] == 76
    assert stats["relationships"]["NEIGHBOURS"] == 186  # shared/reference/SOURCES.md: 186 pairs
    assert stats["relationships"]["IN_REGION"] == 98


def test_every_participation_matches_the_source(client: TestClient, source_page) -> None:
    total = 0
    for code in WP_CODES:
        body = client.get(f"/api/work-packages/{code}").json()
        assert sorted(body["municipalities"]) == sorted(source_page[code]["municipalities"]), code
        total += len(body["municipalities"])
    assert total == 76


def test_participating_municipalities_are_the_26_of_the_source(client: TestClient, source_page) -> None:
    expected = {m for section in source_page.values() for m in section["municipalities"]}
    body = client.get("/api/municipalities", params={"participating": "true"}).json()
    assert body["count"] == len(expected) == 26
    assert {m["name"] for m in body["data"]} == expected
    for item in body["data"]:
        listed = [code for code in WP_CODES if item["name"] in source_page[code]["municipalities"]]
        assert item["work_packages"] == listed


@pytest.mark.parametrize("code", WP_CODES)
def test_work_package_lead_partners_category_pillars_tasks(client: TestClient, source_page, code: str) -> None:
    body = client.get(f"/api/work-packages/{code}").json()
    assert body["code"] == code
    assert (body["lead"]["name"], body["lead"]["kind"]) == LEADS[code]
    assert {(p["name"], p["kind"], p["role"]) for p in body["partners"]} == PARTNERS[code]
    assert body["category"] == CATEGORIES[code]
    assert body["pillars"] == PILLARS.get(code, [])
    assert [t["code"] for t in body["tasks"]] == source_page[code]["tasks"]
    assert body["title_da"] and body["title_en"] and body["themes"] is not None


def test_all_21_tasks_resolve(client: TestClient, source_page) -> None:
    codes = [t for section in source_page.values() for t in section["tasks"]]
    assert len(codes) == 21
    for code in codes:
        body = client.get(f"/api/tasks/{code}").json()
        assert body["code"] == code
        assert body["themes"], f"{code} addresses no theme"
        assert body["work_package"]["name"].startswith("WP" + code.split(".")[1] + ":")


def test_every_municipality_has_its_reference_region_and_code(client: TestClient) -> None:
    body = client.get("/api/municipalities").json()
    assert body["count"] == 98
    served = {m["code"]: m for m in body["data"]}
    for row in reference_rows():
        item = served[int(row["code"])]
        assert (item["name"], item["official_name"], item["region"]) == (row["name"], row["official_name"], row["region"])


@pytest.mark.parametrize(
    ("region", "count"),
    [
        ("Region Hovedstaden", 29),
        ("Region Sjælland", 17),
        ("Region Syddanmark", 22),
        ("Region Midtjylland", 19),
        ("Region Nordjylland", 11),
    ],
)
def test_region_filter_and_region_detail(client: TestClient, region: str, count: int) -> None:
    assert client.get("/api/municipalities", params={"region": region}).json()["count"] == count
    short = region.removeprefix("Region ")
    detail = client.get(f"/api/regions/{short}").json()
    assert detail["name"] == region
    assert detail["municipality_count"] == len(detail["municipalities"]) == count


@pytest.mark.parametrize("key", ["101", "København", "københavn", "Kobenhavn", "Københavns Kommune", "KØBENHAVN", " København "])
def test_municipality_key_forms_resolve_to_koebenhavn(client: TestClient, key: str) -> None:
    response = client.get(f"/api/municipalities/{key}")
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "København"


@pytest.mark.parametrize(
    ("key", "name"),
    [("Århus", "Aarhus"), ("Aarhus Kommune", "Aarhus"), ("Nordfyn", "Nordfyns"), ("0741", "Samsø"), ("samso", "Samsø")],
)
def test_old_and_variant_spellings(client: TestClient, key: str, name: str) -> None:
    assert client.get(f"/api/municipalities/{key}").json()["name"] == name


def test_unknown_municipality_is_404_with_suggestions(client: TestClient) -> None:
    response = client.get("/api/municipalities/Kobenhvn")
    assert response.status_code == 404
    error = response.json()["error"]
    assert "Kobenhvn" in error["message"]
    assert error["expected"]
    assert error["suggestions"][0] == "København"


def test_municipality_profile(client: TestClient) -> None:
    body = client.get("/api/municipalities/Samsø").json()
    assert body["island"] is True and body["neighbours"] == []
    assert body["work_packages"] == ["WP4", "WP5", "WP8", "WP10", "WP11"]
    assert {p["code"] for p in body["participation"]} == set(body["work_packages"])
    assert "Klimaalliancen" in body["programmes"]
    slugs = {t["slug"] for t in body["themes"]}
    assert {"pyrolysis-biochar", "urban-heat-islands", "water-retention"} <= slugs
    assert all(set(t["via"]) <= set(body["work_packages"]) for t in body["themes"])
    assert any(p["fact"] == "takes part in WP10" and p["source"] == "LIFE ACT work packages, WP10" for p in body["provenance"])
    aarhus = client.get("/api/municipalities/751").json()
    assert [(r["role"], r["target"]["name"]) for r in aarhus["roles"]] == [
        ("lead", "WP6: Vedvarende energi og energibesparelser")
    ]
    aalborg = client.get("/api/municipalities/Aalborg").json()
    assert {n["name"] for n in aalborg["neighbours"]} == {
        "Brønderslev",
        "Jammerbugt",
        "Mariagerfjord",
        "Rebild",
        "Vesthimmerlands",
    }


@pytest.mark.parametrize("key", ["WP5", "wp5", "5", " Wp5 "])
def test_work_package_key_forms(client: TestClient, key: str) -> None:
    assert client.get(f"/api/work-packages/{key}").json()["code"] == "WP5"


def test_work_package_list_is_in_order(client: TestClient) -> None:
    body = client.get("/api/work-packages").json()
    assert [wp["code"] for wp in body["data"]] == WP_CODES and body["count"] == 11


def test_unknown_work_package_is_404(client: TestClient) -> None:
    response = client.get("/api/work-packages/WP12")
    assert response.status_code == 404
    assert response.json()["error"]["expected"]


def test_programmes(client: TestClient) -> None:
    body = client.get("/api/programmes").json()
    assert {p["name"] for p in body["data"]} == {"LIFE ACT", "DK2020", "Klimaalliancen"}
    dk2020 = client.get("/api/programmes/DK2020").json()
    assert dk2020["municipality_count"] == 95
    assert "Climate Action Planning Framework" in dk2020["framework"]
    assert len(dk2020["rounds"]) == 3
    alliance = client.get("/api/programmes/klimaalliancen").json()
    assert alliance["start_date"] == "2023-04-01" and alliance["duration_years"] == 5 and len(alliance["main_efforts"]) == 3
    partners = {(r["other"]["name"], r["role"]) for r in alliance["relations"] if r["type"] == "PARTNER_IN"}
    assert {
        ("KL", "partner"),
        ("Realdania", "partner"),
        ("CONCITO", "knowledge-partner"),
        ("C40", "knowledge-partner"),
    } <= partners
    assert sum(1 for name, role in partners if name.startswith("Region ") and role == "partner") == 5
    assert any(r["type"] == "MEMBER_OF" and r["other"]["name"] == "98 municipalities" for r in alliance["relations"])
    assert any(r["type"] == "SUCCEEDS" and r["other"]["name"] == "DK2020" for r in alliance["relations"])


def test_work_packages_and_tasks_carry_danish_summaries_and_per_property_provenance(client: TestClient) -> None:
    for code in WP_CODES:
        body = client.get(f"/api/work-packages/{code}").json()
        assert body["summary_da"] and body["summary_da"] != body["summary"], code
        assert all(t["summary_da"] for t in body["tasks"]), code
        pillars = body["property_sources"].get("pillars")
        if body["pillars"] and code not in STATED_PILLARS:
            assert pillars == f"our reading of LIFE ACT work packages, {code}", code
        else:
            assert pillars is None, code
    assert client.get("/api/work-packages/WP9").json()["property_sources"] == {}
    assert client.get("/api/work-packages/WP8").json()["property_sources"] == {
        "category": "our reading of LIFE ACT work packages, WP8"
    }
    wp2 = client.get("/api/work-packages/WP2").json()
    assert {r["name"] for r in wp2["mobilises_funding_from"]} == {"Den Europæiske Investeringsbank", "EU's strukturfonde"}
    task = client.get("/api/tasks/T.10.2").json()
    assert task["title"] == "At styrke mulighederne for vandtilbageholdelse" and task["summary_da"]
    assert task["property_sources"] == {}


def test_programmes_and_organisations_carry_danish_descriptions_and_per_property_provenance(client: TestClient) -> None:
    programmes = client.get("/api/programmes").json()["data"]
    assert all(p["description_da"] and p["property_sources"] for p in programmes)
    dk2020 = client.get("/api/programmes/DK2020").json()
    assert dk2020["source"] == "DK2020 and Klimaalliancen, introduction"
    assert dk2020["property_sources"]["start_date"] == "DK2020 and Klimaalliancen, timeline"
    assert dk2020["property_sources"]["framework"] == "DK2020 and Klimaalliancen, DK2020 fact sheet"
    life_act = client.get("/api/programmes/life-act").json()
    sources = {r["type"]: r["source"] for r in life_act["relations"] if r["direction"] == "out"}
    assert sources["IMPLEMENTS_PLANS_OF"] == "general knowledge, not in the source documents"
    assert sources["FUNDED_BY"].startswith("our reading of ")
    assert "integrated" not in life_act["description"]
    organisations = client.get("/api/organisations").json()["data"]
    assert all(o["description_da"] for o in organisations)
    c40 = client.get("/api/organisations/c40").json()
    assert c40["property_sources"]["full_name"] == "general knowledge, not in the source documents"
    assert len({s for text in c40["property_sources"].values() for s in text.split("; ")} | {c40["source"]}) > 2
    region = client.get("/api/regions/Midtjylland").json()
    assert region["property_sources"] == {"name_en": "general knowledge, not in the source documents"}


def test_organisations_and_themes(client: TestClient) -> None:
    names = {o["name"] for o in client.get("/api/organisations").json()["data"]}
    assert {
        "CDEU",
        "NDEU",
        "KL",
        "Realdania",
        "CONCITO",
        "C40",
        "Det Nationale Netværk for Klimatilpasning",
        "LIFE-programmet",
    } <= names
    themes = client.get("/api/themes").json()
    assert themes["count"] >= 18
    heat = client.get("/api/themes/urban-heat-islands").json()
    assert heat["tasks"] == ["T.11.1"] and set(heat["municipalities"]) == {
        "Herning",
        "København",
        "Lyngby-Taarbæk",
        "Randers",
        "Samsø",
        "Varde",
    }
    assert client.get("/api/themes/Havvandsstigninger").json()["slug"] == "sea-level-rise"


def test_openapi_docs_are_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    schema = client.get("/openapi.json").json()
    for path in ["/health", "/api/stats", "/api/municipalities", "/api/municipalities/{key}", "/api/work-packages/{code}"]:
        assert path in schema["paths"]


@pytest.mark.parametrize(
    "path", ["/api/municipalities?participating=maybe", "/api/municipalities?region=Atlantis", "/api/regions/Jylland"]
)
def test_bad_input_is_a_json_error_that_says_what_was_expected(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (404, 422)
    error = response.json()["error"]
    assert error["status"] == response.status_code and error["message"] and error["expected"]


def test_reference_file_in_seed_is_the_shared_one() -> None:
    shared = SHARED_DIR / "reference" / "municipalities.csv"
    if not shared.exists():
        pytest.skip(f"{shared} is not there to compare with")
    assert Path(SEED_DIR / "municipalities.csv").read_bytes() == shared.read_bytes()
