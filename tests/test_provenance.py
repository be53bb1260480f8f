"""Every fact says where it comes from, exactly (README "Where the facts come from"), and the
faults a read of every fact against the two source documents found stay mended (issue 14).

Seed-level checks: they need no store. The API, views and exports show the same provenance
(tests/api/test_entities.py, tests/views/test_views_http.py, tests/exports/test_exports.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from app import provenance
from app.seed import SeedError, SeedGraph, load_seed
from tests.conftest import SEED_DIR, SHARED_DIR
from tests.graph.test_loader import _set, broken_copy
from tests.source_facts import PILLARS, STATED_CATEGORIES, STATED_PILLARS, work_package_sections

GENERAL = provenance.GENERAL_KNOWLEDGE
READING = provenance.OUR_READING


def shared_or_skip() -> Path:
    if not (SHARED_DIR / "seeds").is_dir():
        pytest.skip(f"the source documents are not at {SHARED_DIR / 'seeds'}")
    return SHARED_DIR


def node(graph: SeedGraph, node_id: str) -> dict[str, Any]:
    label = {"programme": "Programme", "organisation": "Organisation", "workpackage": "WorkPackage", "task": "Task"}
    label |= {"region": "Region", "theme": "Theme", "municipality": "Municipality"}
    return next(row for row in graph.nodes[label[node_id.split(":")[0]]] if row["id"] == node_id)


def property_sources(graph: SeedGraph, node_id: str) -> dict[str, str]:
    return provenance.decode(node(graph, node_id).get("property_sources"))


def edges(graph: SeedGraph, rel_type: str, source_id: str | None = None) -> list[dict[str, Any]]:
    return [
        row
        for (kind, _, _), rows in graph.relationships.items()
        if kind == rel_type
        for row in rows
        if source_id is None or row["source_id"] == source_id
    ]


def themes_of(graph: SeedGraph, node_id: str) -> set[str]:
    return {row["target_id"].removeprefix("theme:") for row in edges(graph, "ADDRESSES", node_id)}


def words(text: str) -> list[str]:
    return re.findall(r"[\wæøåÆØÅ]+", text.lower())


# -- every fact has a provenance of a known form --------------------------------------------------
def test_every_node_and_relationship_has_a_provenance_of_a_known_form(seed_graph: SeedGraph) -> None:
    for rows in seed_graph.nodes.values():
        for row in rows:
            assert row["source"].strip(), row["id"]
            provenance.claims(row["source"])
            for prop, text in provenance.decode(row.get("property_sources")).items():
                assert prop in row, f"{row['id']}: property_sources names {prop!r}, which the node does not have"
                assert text != row["source"], f"{row['id']}.{prop} repeats the node's source"
                provenance.claims(text)
    for (rel_type, _, _), rows in seed_graph.relationships.items():
        for row in rows:
            assert row["source"] and row["source"].strip(), (rel_type, row)
            provenance.claims(row["source"])


def test_every_section_named_in_sources_yaml_is_in_its_document() -> None:
    shared = shared_or_skip()
    documents = yaml.safe_load((SEED_DIR / "sources.yaml").read_text(encoding="utf-8"))["documents"]
    for document in documents:
        lines = [line.strip() for line in (shared.parent / document["file"]).read_text(encoding="utf-8").splitlines()]
        for section in document["sections"]:
            assert any(line.startswith(section["heading"]) for line in lines), (document["title"], section)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("LIFE ACT work packages, WP5", ["stated"]),
        ("our reading of LIFE ACT work packages, WP5", ["reading"]),
        (GENERAL, ["general"]),
        ("DK2020 and Klimaalliancen, timeline; DK2020 and Klimaalliancen, introduction", ["stated", "stated"]),
    ],
)
def test_provenance_forms(text: str, kinds: list[str]) -> None:
    assert [claim.kind for claim in provenance.claims(text)] == kinds


@pytest.mark.parametrize("text", ["", "  ", "somewhere", "LIFE ACT work packages", "a, b; ", "our reading of WP5"])
def test_a_provenance_of_no_known_form_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        provenance.claims(text)


BROKEN_PROVENANCE = [
    (
        "programmes.yaml",
        _set(["programmes", 1, "sources", "start"], "DK2020 and Klimaalliancen, Tidslinje"),
        ["programmes.yaml", "dk2020", "sources.start", "'Tidslinje' is not a section"],
    ),
    (
        "organisations.yaml",
        _set(["organisations", 0, "sources", "full_name"], "common knowledge"),
        ["organisations.yaml", "cdeu", "sources.full_name", "general knowledge, not in the source documents"],
    ),
    (
        "organisations.yaml",
        _set(["organisations", 0, "sources", "founded"], GENERAL),
        ["organisations.yaml", "cdeu", "'founded' is not a field of this record"],
    ),
    (
        "work_packages.yaml",
        _set(["work_packages", 0, "sources"], {"themes": "LIFE ACT work packages, WP1"}),
        ["work_packages.yaml", "WP1", "theme tags are our reading"],
    ),
    (
        "organisations.yaml",
        _set(["organisations", 2, "source"], "DK2020 og Klimaalliancen, introduction"),
        ["organisations.yaml", "kl", "names no document title"],
    ),
    ("work_packages.yaml", _set(["work_packages", 4, "summary_da"], None), ["work_packages.yaml", "WP5", "summary_da"]),
    ("programmes.yaml", _set(["programmes", 0, "description_da"], None), ["programmes.yaml", "life-act", "description_da"]),
]


@pytest.mark.parametrize(("file_name", "mutate", "mentions"), BROKEN_PROVENANCE)
def test_a_bad_provenance_stops_the_load_naming_file_record_and_field(
    tmp_path: Path, file_name: str, mutate, mentions: list[str]
) -> None:
    with pytest.raises(SeedError) as failure:
        load_seed(broken_copy(tmp_path, file_name, mutate))
    for word in mentions:
        assert word in str(failure.value), f"{word!r} missing from: {failure.value}"


# -- per-property provenance ---------------------------------------------------------------------
@pytest.mark.parametrize("node_id", ["programme:life-act", "programme:dk2020", "programme:klimaalliancen", "organisation:c40"])
def test_nodes_whose_facts_come_from_several_sections_say_so_per_property(seed_graph: SeedGraph, node_id: str) -> None:
    row = node(seed_graph, node_id)
    sources = property_sources(seed_graph, node_id)
    assert sources, f"{node_id} has no per-property provenance"
    sections = {(c.document, c.section) for text in [row["source"], *sources.values()] for c in provenance.claims(text)}
    assert len(sections) > 1, sections


def test_dk2020_properties_name_the_section_that_states_them(seed_graph: SeedGraph) -> None:
    sources = property_sources(seed_graph, "programme:dk2020")
    assert sources["start_date"] == sources["rounds"] == "DK2020 and Klimaalliancen, timeline"
    assert sources["framework"] == "DK2020 and Klimaalliancen, DK2020 fact sheet"
    assert node(seed_graph, "programme:dk2020")["source"] == "DK2020 and Klimaalliancen, introduction"  # name, end
    alliance = property_sources(seed_graph, "programme:klimaalliancen")
    assert alliance["main_efforts"] == "DK2020 and Klimaalliancen, Klimaalliancen's three main efforts"
    (member,) = {row["source"] for row in edges(seed_graph, "MEMBER_OF")}
    assert member == "DK2020 and Klimaalliancen, timeline"


def test_a_danish_text_shares_the_provenance_of_its_english_original(seed_graph: SeedGraph) -> None:
    for label, (english, danish) in {
        "Programme": ("description", "description_da"),
        "Organisation": ("description", "description_da"),
        "WorkPackage": ("summary", "summary_da"),
        "Task": ("summary", "summary_da"),
    }.items():
        for row in seed_graph.nodes[label]:
            sources = provenance.decode(row.get("property_sources"))
            assert sources.get(english) == sources.get(danish), row["id"]


# -- pillars, categories and theme tags ------------------------------------------------------------
@pytest.mark.parametrize("code", sorted(PILLARS, key=lambda c: int(c[2:])))
def test_a_pillar_the_source_does_not_state_is_our_reading(seed_graph: SeedGraph, code: str) -> None:
    sections = work_package_sections(shared_or_skip())
    pillars = property_sources(seed_graph, f"workpackage:{code}").get("pillars")
    if code in STATED_PILLARS:
        assert STATED_PILLARS[code] in sections[code]
        assert pillars is None, f"{code}: the page states its pillar; it needs no reading"
    else:
        assert pillars == f"{READING}LIFE ACT work packages, {code}"


@pytest.mark.parametrize("code", [f"WP{n}" for n in range(1, 12)])
def test_a_category_the_source_does_not_state_is_our_reading(seed_graph: SeedGraph, code: str) -> None:
    sections = work_package_sections(shared_or_skip())
    category = property_sources(seed_graph, f"workpackage:{code}").get("category")
    if code in STATED_CATEGORIES:
        assert STATED_CATEGORIES[code] in sections[code]
        assert category is None
    else:
        assert "stedbaser" not in sections[code] and "implementeringsdriver" not in sections[code]
        assert category == f"{READING}LIFE ACT work packages, {code}"


def test_every_theme_tag_is_our_reading_of_its_section(seed_graph: SeedGraph) -> None:
    tags = edges(seed_graph, "ADDRESSES")
    assert len(tags) > 40
    for row in tags:
        code = row["source_id"].split(":")[1]
        section = code if code.startswith("WP") else "WP" + code.split(".")[1]
        assert row["source"] == f"{READING}LIFE ACT work packages, {section}", row


def test_a_tasks_pillar_themes_fit_its_work_package(seed_graph: SeedGraph) -> None:
    """A theme of one pillar on a task of a place-based work package needs that pillar
    (T.5.2 carried an adaptation theme in mitigation-only WP5)."""
    pillar = {row["slug"]: row["pillar"] for row in seed_graph.nodes["Theme"]}
    for wp in seed_graph.nodes["WorkPackage"]:
        if not wp["pillars"]:
            continue
        tasks = [row["target_id"] for row in edges(seed_graph, "HAS_TASK", wp["id"])]
        for task in [wp["id"], *tasks]:
            for slug in themes_of(seed_graph, task):
                assert pillar[slug] in ("cross-cutting", *wp["pillars"]), (task, slug, wp["pillars"])
    assert "adaptation" not in {pillar[slug] for slug in themes_of(seed_graph, "task:T.5.2")}


@pytest.mark.parametrize(
    ("node_id", "kept", "dropped"),
    [
        ("workpackage:WP1", {"monitoring"}, {"governance"}),
        ("workpackage:WP3", {"green-procurement", "replication", "sustainable-delivery"}, {"nature-based-solutions"}),
        ("workpackage:WP4", {"governance", "capacity-building"}, set()),
        ("workpackage:WP8", {"capacity-building"}, set()),
        ("task:T.5.2", {"sustainable-farming", "green-procurement"}, {"climate-resilient-farming"}),
        ("task:T.5.3", {"afforestation"}, {"biodiversity"}),
        ("task:T.10.4", {"local-rainwater-management"}, {"cloudburst"}),
    ],
)
def test_theme_tags_that_were_a_stretch_are_mended(seed_graph: SeedGraph, node_id: str, kept: set, dropped: set) -> None:
    themes = themes_of(seed_graph, node_id)
    assert kept <= themes and not (dropped & themes), themes


# -- facts from neither document -----------------------------------------------------------------
def test_wp2_mobilises_funds_beyond_life_not_life_itself(seed_graph: SeedGraph) -> None:
    sections = work_package_sections(shared_or_skip())
    assert "ud over LIFE-programmet" in sections["WP2"]
    targets = {row["target_id"] for row in edges(seed_graph, "MOBILISES_FUNDING_FROM", "workpackage:WP2")}
    assert targets == {"organisation:eib", "organisation:eu-structural-funds"}
    assert "organisation:life-programme" not in {row["target_id"] for row in edges(seed_graph, "MOBILISES_FUNDING_FROM")}


@pytest.mark.parametrize(
    ("node_id", "prop"),
    [
        ("organisation:cdeu", "full_name"),  # "Central Denmark EU Office": the page writes only CDEU
        ("organisation:kl", "full_name"),  # "Kommunernes Landsforening"
        ("organisation:c40", "full_name"),  # "C40 Cities"
        ("organisation:realdania", "org_type"),  # a foundation
        ("region:hovedstaden", "name_en"),
    ],
)
def test_facts_from_neither_document_are_general_knowledge(seed_graph: SeedGraph, node_id: str, prop: str) -> None:
    assert property_sources(seed_graph, node_id)[prop] == GENERAL
    value = str(node(seed_graph, node_id)[prop])
    documents = " ".join(p.read_text(encoding="utf-8") for p in (shared_or_skip() / "seeds").glob("*.txt"))
    assert value not in documents


@pytest.mark.parametrize(
    ("node_id", "prop", "words_not_in_sources"),
    [
        ("programme:life-act", "description", ["integrated"]),  # LIFE ACT as an integrated project
        ("organisation:realdania", "description", ["philanthrop"]),
        ("task:T.9.1", "summary", ["Dynamic Adaptive", "Pathways"]),  # DAPP is not spelled out
        ("organisation:cdeu", "description", ["Central Denmark"]),
        ("organisation:kl", "description", ["association"]),
        ("workpackage:WP8", "summary", ["place-based"]),
    ],
)
def test_descriptions_hold_no_fact_from_neither_document(
    seed_graph: SeedGraph, node_id: str, prop: str, words_not_in_sources: list[str]
) -> None:
    text = node(seed_graph, node_id)[prop].lower()
    for word in words_not_in_sources:
        assert word.lower() not in text, (node_id, word)


def test_life_act_implementing_dk2020s_plans_is_general_knowledge(seed_graph: SeedGraph) -> None:
    (row,) = edges(seed_graph, "IMPLEMENTS_PLANS_OF")
    assert (row["source_id"], row["target_id"], row["source"]) == ("programme:life-act", "programme:dk2020", GENERAL)
    documents = {p.name: p.read_text(encoding="utf-8") for p in (shared_or_skip() / "seeds").glob("*.txt")}
    assert "DK2020" not in documents["lifeact-work-packages.da.txt"]
    assert "LIFE ACT" not in documents["dk2020-klimaalliancen.da.txt"]


def test_life_act_funded_by_life_is_our_reading(seed_graph: SeedGraph) -> None:
    (row,) = edges(seed_graph, "FUNDED_BY")
    assert provenance.is_reading(row["source"])


def test_the_title_of_t_10_2_is_the_sources_own_words(seed_graph: SeedGraph) -> None:
    page = (shared_or_skip() / "seeds" / "lifeact-work-packages.da.txt").read_text(encoding="utf-8")
    title = node(seed_graph, "task:T.10.2")["title_da"]
    assert f"T.10.2: {title}" in page


# -- Danish texts, in our own words ----------------------------------------------------------------
def test_every_work_package_and_task_has_a_danish_summary(seed_graph: SeedGraph) -> None:
    for label in ("WorkPackage", "Task"):
        for row in seed_graph.nodes[label]:
            assert len(row["summary_da"]) >= 20 and row["summary_da"] != row["summary"], row["id"]
    for label in ("Programme", "Organisation"):
        for row in seed_graph.nodes[label]:
            assert len(row["description_da"]) >= 20 and row["description_da"] != row["description"], row["id"]


def test_no_description_copies_eight_words_of_the_sources(seed_graph: SeedGraph) -> None:
    run = 8
    shingles = set()
    for path in (shared_or_skip() / "seeds").glob("*.txt"):
        w = words(path.read_text(encoding="utf-8"))
        shingles |= {" ".join(w[i : i + run]) for i in range(len(w) - run + 1)}
    texts = [
        (row["id"], key, row[key])
        for rows in seed_graph.nodes.values()
        for row in rows
        for key in ("summary", "summary_da", "description", "description_da", "goal")
        if row.get(key)
    ]
    texts += [(row["id"], "main_efforts", " ".join(row["main_efforts"])) for row in seed_graph.nodes["Programme"]]
    assert len(texts) > 90
    for node_id, key, text in texts:
        w = words(text)
        copied = [" ".join(w[i : i + run]) for i in range(len(w) - run + 1) if " ".join(w[i : i + run]) in shingles]
        assert not copied, f"{node_id}.{key} repeats the source word for word: {copied[0]!r}"
