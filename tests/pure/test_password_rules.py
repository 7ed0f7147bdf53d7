"""The organisation's password rule and the personal-data checks, on tricky inputs."""

from datetime import date

import pytest

from accounts import password_rules as rules


@pytest.mark.parametrize(
    ("password", "missing"),
    [
        ("Bonjour-2026", []),
        ("bonjour-2026", [rules.UPPER]),
        ("BONJOUR-2026", [rules.LOWER]),
        ("Bonjour-tout", [rules.DIGIT]),
        ("Bonjour2026x", [rules.SPECIAL]),
        ("Été à Sète 2026", []),  # accents and spaces count
        ("12345678901234", [rules.LOWER, rules.UPPER, rules.SPECIAL]),
    ],
)
def test_missing_classes(password, missing):
    assert rules.missing_classes(password) == missing


@pytest.mark.parametrize(
    ("password", "personal"),
    [
        ("Dupont-1234!x", True),
        ("dUpOnT!!99abc", True),
        ("jean.dupont#2026", True),
        ("Helene!2026xx", True),  # Hélène, without the accents
        ("ndiaye-2026-ABC", True),  # N'Diaye, without the apostrophe
        ("Kx!14071985zz", True),  # birth date ddmmyyyy
        ("1985-07-14-Kx!", True),  # separators do not hide it: the digits are compared
        ("Kx!850714zz", True),  # yymmdd
        ("Tournesol-42!", False),
    ],
)
def test_contains_personal_data(password, personal):
    found = rules.contains_personal_data(
        password, "jean.dupont", "Hélène", "N'Diaye Dupont", date(1985, 7, 14)
    )
    assert found is personal


def test_short_name_parts_do_not_forbid_common_syllables():
    assert not rules.contains_personal_data("Le-bateau-42!", "li.le", "Li", "Le", None)


def test_numen_candidates_cover_every_13_character_run():
    candidates = rules.numen_candidates("x-12AB345678901-y")
    assert "12AB345678901" in candidates
    assert all(len(candidate) == 13 for candidate in candidates)
