"""Autocomplete for the To/Cc/Bcc fields: one ranked list from every address source.

Recently used addresses come first (most used and most recent first), then names or
addresses that start with what was typed, then other matches (a later word of a name).
Each source is a function (user, query, limit) -> list[Suggestion]; personal contacts
(addressbook.contacts.search_contacts) and groups come right after recent addresses.
"""

from __future__ import annotations

from collections.abc import Callable

from addressbook import collected, groups, lists
from addressbook.collected import Suggestion
from addressbook.contacts import search_contacts
from addressbook.directory import suggest_people
from addressbook.words import starts_with

LIMIT = 10
# How many directory rows are read to rank the best of them.
DIRECTORY_CANDIDATES = 40

Source = Callable[[object, str, int], list[Suggestion]]


def recent_source(user, query: str, limit: int) -> list[Suggestion]:
    return collected.suggest(user, query, limit=limit)


def list_source(user, query: str, limit: int) -> list[Suggestion]:
    return [
        Suggestion(found.name, lists.list_address(found), "list")
        for found in lists.search_lists(user, query, limit=limit)
    ]


def directory_source(user, query: str, limit: int) -> list[Suggestion]:
    return [
        Suggestion(person.get_full_name(), person.mail_address, "directory")
        for person in suggest_people(query, max(limit, DIRECTORY_CANDIDATES))
    ]


# In order of trust: a recently used address keeps its place ahead of the others.
SOURCES: list[Source] = [
    recent_source,
    search_contacts,
    groups.search_groups,
    list_source,
    directory_source,
]


def _prefix_rank(query: str, suggestion: Suggestion) -> int:
    """0: the name (or its last word, the surname) or the address starts with the query;
    1: another word matched."""
    name = suggestion.name
    surname_first = " ".join(reversed(name.split(" ", 1))) if name else ""
    return 0 if starts_with(query, name, surname_first, suggestion.address) else 1


def suggest(user, query: str, limit: int = LIMIT) -> list[Suggestion]:
    query = query.strip()[:100]
    if not query:
        return []
    recent, others, seen = [], [], set()
    for source in SOURCES:
        for suggestion in source(user, query, limit):
            key = suggestion.address.lower()
            if key in seen:
                continue
            seen.add(key)
            (recent if suggestion.source == "recent" else others).append(suggestion)
    others.sort(key=lambda suggestion: _prefix_rank(query, suggestion))
    return (recent + others)[:limit]
