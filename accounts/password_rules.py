"""The password rules, as pure functions: what a candidate password lacks.

Two policies (setting PASSWORD_POLICY):
- "organisation" (default): the staff guides' rule, at least 12 characters with an
  upper-case letter, a lower-case letter, a digit and a special character;
- "nist": NIST SP 800-63B style, at least 15 characters and no composition rule.
Both refuse passwords that contain the person's names, username or birth date, and
accept any character (spaces, accents, emoji) up to MAX_LENGTH, pasting included.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

MAX_LENGTH = 256
ORGANISATION_MIN_LENGTH = 12
NIST_MIN_LENGTH = 15

# Composition classes of the organisation's rule, keyed by what the message names.
LOWER, UPPER, DIGIT, SPECIAL = "lower", "upper", "digit", "special"


def missing_classes(password: str) -> list[str]:
    """The character classes the organisation's rule asks for and the password lacks."""
    missing = []
    if not any(c.islower() for c in password):
        missing.append(LOWER)
    if not any(c.isupper() for c in password):
        missing.append(UPPER)
    if not any(c.isdigit() for c in password):
        missing.append(DIGIT)
    if all(c.isalnum() for c in password):
        missing.append(SPECIAL)
    return missing


def fold(text: str) -> str:
    """Lower case without accents or separators: 'Hélène N'Diaye' -> 'helenendiaye'."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]", "", letters.casefold())


def personal_words(username: str, first_name: str, last_name: str) -> set[str]:
    """Words of the person's identity a password must not contain (3 letters or more)."""
    parts = re.split(r"[\s.\-'’_]+", f"{username} {first_name} {last_name}")
    words = {fold(part) for part in parts}
    words |= {fold(username), fold(first_name), fold(last_name)}
    return {word for word in words if len(word) >= 3}


def birth_date_forms(birth: date) -> set[str]:
    """Ways people write their birth date into passwords: 14071985, 19850714, 140785..."""
    day, month, year = f"{birth.day:02d}", f"{birth.month:02d}", f"{birth.year:04d}"
    short = year[2:]
    return {
        day + month + year,
        year + month + day,
        day + month + short,
        short + month + day,
        month + day + year,
    }


def contains_personal_data(
    password: str, username: str, first_name: str, last_name: str, birth: date | None
) -> bool:
    folded = fold(password)
    digits = re.sub(r"\D", "", password)
    if any(word in folded for word in personal_words(username, first_name, last_name)):
        return True
    return birth is not None and any(form in digits for form in birth_date_forms(birth))


def numen_candidates(password: str) -> set[str]:
    """Every 13-character run of letters and digits: what a NUMEN inside it would be."""
    compact = re.sub(r"[^0-9A-Za-z]", "", password).upper()
    return {compact[i : i + 13] for i in range(len(compact) - 12)}
