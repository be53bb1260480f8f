"""Danish alphabetical order (`danish_key`), as every list of names is sorted."""

from __future__ import annotations

import pytest

from app.services.text import danish_key


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        # æ, ø and å come after z, in that order; aa (Aalborg) is å
        (["Aalborg", "Ærø", "Zealand", "Østerbro", "Vejle"], ["Vejle", "Zealand", "Ærø", "Østerbro", "Aalborg"]),
        (["åben", "Aarhus", "ølstykke", "æble"], ["æble", "ølstykke", "åben", "Aarhus"]),
        # German ä and ö sort as æ and ø
        (["Öland", "Ærø", "Ødsted", "Äbelø"], ["Äbelø", "Ærø", "Ødsted", "Öland"]),
        # other accents are dropped: é is e, ü is u
        (["Fredericia", "Frédéric", "Fredensborg"], ["Fredensborg", "Frédéric", "Fredericia"]),
        (["Müller", "Muldvarp", "Munk"], ["Muldvarp", "Müller", "Munk"]),
        # case does not count
        (["ballerup", "Albertslund", "BILLUND"], ["Albertslund", "ballerup", "BILLUND"]),
    ],
)
def test_names_sort_in_danish_order(names: list[str], expected: list[str]) -> None:
    assert sorted(names, key=danish_key) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Frédéric", "frederic"),
        ("Fre\u0301de\u0301ric", "Frédéric"),  # decomposed accents as composed ones
        ("Å\u030a", "Å"),
        ("Aabenraa", "Åbenrå"),
    ],
)
def test_spellings_of_one_name_have_one_key(a: str, b: str) -> None:
    assert danish_key(a) == danish_key(b)
