"""Pure helpers for searching names: folding accents and case, cutting names into words,
and the index range that holds every word starting with a prefix."""

from __future__ import annotations

import re

from accounts.usernames import strip_accents

_NOT_WORD = re.compile(r"[^a-z0-9]+")
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
MAX_WORD = 64


def fold(text: str) -> str:
    """Lower case without accents, ligatures spelt out as in usernames: 'Hélène' and
    'helene' match, and so do 'Cœur' and 'coeur'."""
    return strip_accents(text or "").casefold()


def pieces(text: str) -> list[str]:
    """The folded runs of a-z and 0-9 in text, in order: "Jean-Marie O'Neil" gives
    "jean", "marie", "o", "neil"."""
    return [piece for piece in _NOT_WORD.split(fold(text)) if piece]


def words(text: str) -> list[str]:
    """The searchable words of a name or address: folded, split on anything but a-z and
    0-9 ("Marie-Hélène" gives "marie" and "helene"; "jean.dupont@x.fr" gives "jean",
    "dupont", "x", "fr"), with a multi-part name also joined ("Le Gall" → "legall")."""
    found = pieces(text)
    if len(found) > 1:
        found.append("".join(found))
    return list(dict.fromkeys(word[:MAX_WORD] for word in found))


def name_words(first_name: str, last_name: str, local_part: str) -> list[str]:
    """Every word a person is found by: first name, last name, address before the @."""
    found = [*words(first_name), *words(last_name)]
    # The address's pieces, not joined: "benoitlaurent" would double the words of "benoit".
    found += [piece[:MAX_WORD] for piece in pieces(local_part)]
    return list(dict.fromkeys(found))


def query_words(query: str) -> list[str]:
    """What a person typed, as prefixes to look up (at most five)."""
    return pieces(query)[:5]


def prefix_upper_bound(prefix: str) -> str | None:
    """The smallest word above every word starting with prefix (words are a-z0-9), so that
    `prefix <= word < bound` finds them through an ordinary index; None: no bound."""
    stripped = prefix.rstrip(_ALPHABET[-1])
    if not stripped:
        return None
    last = stripped[-1]
    return stripped[:-1] + _ALPHABET[_ALPHABET.index(last) + 1]


def starts_with(query: str, *texts: str) -> bool:
    """Whether one of texts, folded, starts with the folded query."""
    wanted = fold(query).strip()
    return bool(wanted) and any(fold(text).startswith(wanted) for text in texts)
