"""Facts read straight from the source documents, independently of seed/.

Participation is parsed from the Danish work-package page itself; leads, partners,
categories and pillars are transcribed here with the source's own wording cited, so a
slip in seed/ shows up as a difference."""

from __future__ import annotations

import re
from pathlib import Path

WORK_PACKAGE_PAGE = "seeds/lifeact-work-packages.da.txt"

# "WPn ledes af X" / "drives af X" / "X har ansvar for WPn" / "ledet af X"
LEADS = {
    "WP1": ("Region Midtjylland", "Region"),  # "udføres af Region Midtjylland, der er lead partner"
    "WP2": ("Region Midtjylland", "Region"),  # "Region Midtjylland har ansvar for WP2"
    "WP3": ("Region Midtjylland", "Region"),  # "Region Midtjylland har ansvar for WP3"
    "WP4": ("Region Midtjylland", "Region"),  # "WP4 drives af Region Midtjylland"
    "WP5": ("Region Sjælland", "Region"),  # "WP5 er ledet af Region Sjælland"
    "WP6": ("Aarhus", "Municipality"),  # "ledes af Aarhus Kommune sammen med Region Syddanmark"
    "WP7": ("Region Hovedstaden", "Region"),  # "WP7 er ledet af Region Hovedstaden"
    "WP8": ("Region Sjælland", "Region"),  # "WP8 er ledet af Region Sjælland"
    "WP9": ("Region Syddanmark", "Region"),  # "WP9 ledes af Region Syddanmark"
    "WP10": ("Region Midtjylland", "Region"),  # "WP10 er ledet af Region Midtjylland"
    "WP11": ("Region Hovedstaden", "Region"),  # "WP11 ledes af Region Hovedstaden"
}

PARTNERS = {
    "WP1": set(),
    "WP2": {("CDEU", "Organisation", "collaborates")},  # "i et tæt samarbejde med CDEU"
    "WP3": set(),
    "WP4": {("Region Nordjylland", "Region", "collaborates"), ("NDEU", "Organisation", "collaborates")},  # "i samarbejde med"
    "WP5": {("Region Midtjylland", "Region", "collaborates")},  # "i samarbejde med Region Midtjylland"
    "WP6": {("Region Syddanmark", "Region", "co-lead")},  # "ledes af Aarhus Kommune sammen med Region Syddanmark"
    "WP7": {("Region Nordjylland", "Region", "supports")},  # "med støtte fra Region Nordjylland"
    "WP8": {("Region Midtjylland", "Region", "assists")},  # "Region Midtjylland assisterer"
    "WP9": {("Region Midtjylland", "Region", "assists")},  # "Region Midtjylland assisterer"
    "WP10": {("Region Syddanmark", "Region", "supports")},  # "med støtte fra Region Syddanmark"
    "WP11": {("Region Midtjylland", "Region", "assists")},  # "med assistance fra Region Midtjylland"
}

CATEGORIES = {"WP1": "project-management", **{f"WP{n}": "implementation-driver" for n in (2, 3, 4)}}
CATEGORIES |= {f"WP{n}": "place-based" for n in range(5, 12)}

# WP8 "arbejder med både tilpasning og reduktion"; WP9-WP11 are adaptation
# ("fokuserer på klimatilpasning", "klimatilpasning også i fokus", heat and drought);
# WP5-WP7 cut emissions (farming and forests, energy, transport). Only WP8, WP9 and WP10
# state their pillar (STATED_PILLARS); the others are our reading.
PILLARS = {
    "WP5": ["mitigation"],
    "WP6": ["mitigation"],
    "WP7": ["mitigation"],
    "WP8": ["mitigation", "adaptation"],
    "WP9": ["adaptation"],
    "WP10": ["adaptation"],
    "WP11": ["adaptation"],
}


# The words in each section that state a pillar or a category; where there are none the
# seed must mark the fact as "our reading of" the section.
STATED_PILLARS = {
    "WP8": "WP8 arbejder med både tilpasning og reduktion",
    "WP9": "Denne arbejdspakke fokuserer på klimatilpasning",
    "WP10": "I WP10 er klimatilpasning også i fokus",
}
STATED_CATEGORIES = {
    "WP1": "Projektledelsen udføres af Region Midtjylland",
    "WP2": "WP2 er en implementeringsdriver",
    "WP3": "WP3 er en implementeringsdriver",
    "WP4": "WP4 er en implementeringsdriver",
    "WP5": "WP5 arbejder stedbaseret",
    "WP6": "indgår med deres stedbaserede arbejde",
    "WP7": "arbejder med de stedbaserede aktiviteter",
    "WP9": "Denne arbejdspakke arbejder stedbaseret",
    "WP11": "Denne arbejdspakke arbejder stedbaseret",
}


def work_package_sections(shared_dir: Path) -> dict[str, str]:
    """{"introduction": text, "WPn": text}: the page cut at its "WPn: " headings."""
    text = (shared_dir / WORK_PACKAGE_PAGE).read_text(encoding="utf-8")
    sections = {"introduction": ""}
    current = "introduction"
    for line in text.splitlines():
        header = re.match(r"^(WP\d+): ", line)
        if header:
            current = header.group(1)
            sections[current] = ""
        sections[current] += line + "\n"
    return sections


def parse_work_package_page(shared_dir: Path) -> dict[str, dict[str, list[str]]]:
    """{WPn: {"municipalities": [...], "tasks": [...]}} read from the Danish page."""
    text = (shared_dir / WORK_PACKAGE_PAGE).read_text(encoding="utf-8")
    sections: dict[str, dict[str, list[str]]] = {}
    current: str | None = None
    for line in text.splitlines():
        header = re.match(r"^(WP\d+): ", line)
        if header:
            current = header.group(1)
            sections[current] = {"municipalities": [], "tasks": []}
            continue
        if current is None:
            continue
        bullet = re.match(r"^\s*•\s*(.+?)\s+Kommune\.?\s*$", line)
        if bullet:
            name = bullet.group(1)
            sections[current]["municipalities"].append("København" if name == "Københavns" else name)
        task = re.match(r"^\s*•\s*(T\.\d+\.\d+)", line)
        if task:
            sections[current]["tasks"].append(task.group(1))
    return sections
