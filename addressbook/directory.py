"""The organisation directory: every active account, read from our own database.

Searching looks up folded word prefixes in DirectoryWord (one indexed range per typed
word), so it stays fast with 85,000 people on SQLite and PostgreSQL alike. The words of
active accounts (only those) are written when an account is saved (addressbook.signals)
or bulk-imported (index_people).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.functional import cached_property

from addressbook.models import DirectoryWord
from addressbook.words import fold, name_words, prefix_upper_bound, query_words

# The pages of a search reach this many people; past it, the page asks for more letters.
MAX_SHOWN = 2000
# Counting the words of each typed prefix stops here (the rarest prefix drives a search).
FEW = 2000


def _rows(people: Iterable) -> list[DirectoryWord]:
    """The words of the active accounts among people (the index holds no one else)."""
    return [
        DirectoryWord(user_id=person.pk, word=word)
        for person in people
        if person.is_active
        for word in name_words(person.first_name, person.last_name, person.username)
    ]


def index_people(people: Iterable) -> None:
    """(Re)write the search words of these accounts."""
    people = [person for person in people if person.pk]
    with transaction.atomic():
        DirectoryWord.objects.filter(user_id__in=[p.pk for p in people]).delete()
        DirectoryWord.objects.bulk_create(_rows(people), batch_size=2000)


def index_everyone(batch_size: int = 2000) -> None:
    """Rebuild the whole index (data migration, repair)."""
    users = get_user_model().objects.filter(is_active=True)
    users = users.only("pk", "first_name", "last_name", "username", "is_active")
    with transaction.atomic():
        DirectoryWord.objects.all().delete()
        batch = []
        for user in users.order_by("pk").iterator(chunk_size=batch_size):
            batch.append(user)
            if len(batch) >= batch_size:
                DirectoryWord.objects.bulk_create(_rows(batch), batch_size=batch_size)
                batch = []
        DirectoryWord.objects.bulk_create(_rows(batch), batch_size=batch_size)


def matching_words(prefix: str) -> QuerySet:
    """DirectoryWord rows whose word starts with prefix, found through the index.

    Words hold only a-z0-9, which every collation orders alike, so the range alone is
    exact. No LIKE beside it: PostgreSQL would count its selectivity twice, expect a few
    dozen rows for "jean" (4,229 in bench/autocomplete.py) and pick plans that read them
    all."""
    rows = DirectoryWord.objects.filter(word__gte=prefix)
    bound = prefix_upper_bound(prefix)
    return rows.filter(word__lt=bound) if bound else rows.filter(word__startswith=prefix)


def _has_word(prefix: str, person: str) -> Exists:
    """The person (an outer column) has a word starting with prefix: one probe of the
    (user, word) index per person."""
    return Exists(matching_words(prefix).filter(user_id=OuterRef(person)))


def _prefixes(query: str) -> list[str]:
    """The typed prefixes, the one fewest words start with first (it drives the search).
    Everyone's address is on MAIL_DOMAIN: what follows the @ narrows nothing down."""
    counts = {
        prefix: matching_words(prefix)[:FEW].count()
        for prefix in query_words(query.split("@", 1)[0])
    }
    return sorted(counts, key=lambda prefix: (counts[prefix], -len(prefix)))


def _words_of_matches(prefixes: list[str]) -> QuerySet:
    """Words starting with the first prefix, of people who have every other prefix too."""
    rows = matching_words(prefixes[0])
    for prefix in prefixes[1:]:
        rows = rows.filter(_has_word(prefix, "user_id"))
    return rows


def search_directory(query: str = "", establishment=None) -> QuerySet:
    """Active accounts matching every typed word (a prefix of a first name, last name or
    address part, accents and case ignored), in name order: at most MAX_SHOWN of them,
    collected through the word index, then sorted (like an LDAP directory's size limit,
    so that "ma" costs what "martin" does)."""
    return _people(_prefixes(query), establishment)


def _people(prefixes: list[str], establishment) -> QuerySet:
    people = get_user_model().objects.filter(is_active=True).select_related("establishment")
    if establishment is not None:
        people = people.filter(establishment=establishment)
    if prefixes:
        found = _matching_people(prefixes, establishment)[:MAX_SHOWN]
        people = people.filter(pk__in=found)
    return people.order_by("last_name", "first_name", "username")


def _matching_people(prefixes: list[str], establishment) -> QuerySet:
    """Ids of the people (of establishment) with a word for every prefix; only active
    accounts have words, so no join with the accounts is needed without establishment."""
    words = _words_of_matches(prefixes)
    if establishment is not None:
        words = words.filter(user__establishment=establishment)
    return words.values("user_id").distinct()


def suggest_people(query: str, limit: int) -> list:
    """Up to limit active people for the autocomplete, those whose matching word is the
    shortest (an exact first or last name) first; fast however common the prefix."""
    prefixes = _prefixes(query)
    if not prefixes:
        return []
    rows = (
        _words_of_matches(prefixes)
        .filter(user__is_active=True)
        .select_related("user")
        .only("user__first_name", "user__last_name", "user__username", "word")
        .order_by("word", "user_id")
    )
    best = {}
    for row in rows[: limit * 3]:
        best.setdefault(row.user_id, row)
    ranked = sorted(
        best.values(),
        key=lambda row: (row.word, fold(row.user.last_name), fold(row.user.first_name)),
    )
    return [row.user for row in ranked[:limit]]


class DirectoryPaginator(Paginator):
    """Pages over the first MAX_SHOWN people. They are counted from the word index (at
    most MAX_SHOWN + 1 rows read), not by walking 85,000 accounts."""

    def __init__(self, people: QuerySet, per_page: int, counted: QuerySet) -> None:
        super().__init__(people, per_page)
        self.counted = counted

    @cached_property
    def found(self) -> int:
        return self.counted[: MAX_SHOWN + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.found, MAX_SHOWN)

    @property
    def more_than_shown(self) -> bool:
        return self.found > MAX_SHOWN


def directory_page(query: str, establishment, number, per_page: int):
    """One page of search_directory(query, establishment); the typed words are counted
    once for both the page and the total."""
    prefixes = _prefixes(query)
    if prefixes:
        counted = _matching_people(prefixes, establishment)
    else:
        counted = get_user_model().objects.filter(is_active=True)
        if establishment is not None:
            counted = counted.filter(establishment=establishment)
        counted = counted.values("pk")
    people = _people(prefixes, establishment)
    return DirectoryPaginator(people, per_page, counted).get_page(number)
