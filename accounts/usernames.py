"""Usernames in the form prenom.nom, and the digit that settles a clash.

Pure: no Django, no I/O. "Hélène N'Diaye" -> "helene.n-diaye"; if that name is taken,
"helene.n-diaye2", then 3... The username is also the mail address's local part, so it is
plain ASCII, lower case, and short enough for an address (RFC 5321: 64 characters).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

# Letters NFKD does not decompose into an ASCII base letter (ligatures, strokes).
_TRANSLITERATIONS = str.maketrans(
    {
        "œ": "oe",
        "Œ": "oe",
        "æ": "ae",
        "Æ": "ae",
        "ß": "ss",
        "ẞ": "ss",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "ł": "l",
        "Ł": "l",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
        "ħ": "h",
        "Ħ": "h",
    }
)
_NOT_ALLOWED = re.compile(r"[^a-z0-9]+")
# Local part of an address: 64 characters, minus room for the dot and a clash number.
MAX_PART_LENGTH = 30


class UsernameError(ValueError):
    """A name gives no usable username. `code` says which part: 'first_name' or 'last_name'."""

    def __init__(self, code: str) -> None:
        super().__init__(f"{code} has no letter or digit")
        self.code = code


def strip_accents(text: str) -> str:
    """The text with its accents dropped and ligatures spelt out: 'Cœur Hélène' ->
    'Coeur Helene' (what has no ASCII base letter is left as it is)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATIONS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_part(text: str) -> str:
    """One part of a username: 'Jean Marie' -> 'jean-marie', "N'Diaye" -> 'n-diaye'.

    Accents are stripped, ligatures spelt out, and every run of spaces, apostrophes or
    other punctuation becomes one hyphen; hyphens at either end are dropped.
    """
    # Any non-ASCII sign left (’, «, a non-Latin letter) is a separator like a space.
    bare = strip_accents(text).lower()
    part = _NOT_ALLOWED.sub("-", bare).strip("-")
    return part[:MAX_PART_LENGTH].rstrip("-")


def base_username(first_name: str, last_name: str) -> str:
    """'prenom.nom' from the names. Raises UsernameError if a part is left empty."""
    first = name_part(first_name)
    if not first:
        raise UsernameError("first_name")
    last = name_part(last_name)
    if not last:
        raise UsernameError("last_name")
    return f"{first}.{last}"


def free_username(base: str, taken: Container[str]) -> str:
    """`base` if free, else base2, base3...: the first name not in `taken`."""
    if base not in taken:
        return base
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"
