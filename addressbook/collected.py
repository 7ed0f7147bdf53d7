"""Recently used addresses: recorded when a message is sent, offered while typing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from addressbook.models import CollectedAddress, collected_search_key
from addressbook.words import query_words

# How many of the most recent matching addresses are ranked.
SEARCH_WINDOW = 2000


@dataclass(frozen=True)
class Suggestion:
    name: str
    address: str
    source: str  # "recent", "list", "directory"; contacts will add theirs

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "address": self.address, "source": self.source}


def record_recipients(user, recipients: list[list[str]], when: datetime) -> None:
    """Count one more use of each [name, address]; a name given now replaces the old."""
    with transaction.atomic():
        for name, address in recipients:
            address = address.strip().lower()
            if not address:
                continue
            changes = {"use_count": F("use_count") + 1, "last_used": when}
            if name:
                changes.update(name=name, search_key=collected_search_key(name, address))
            updated = CollectedAddress.objects.filter(user=user, address=address).update(**changes)
            if not updated:
                CollectedAddress.objects.get_or_create(
                    user=user,
                    address=address,
                    defaults={"name": name or "", "use_count": 1, "last_used": when},
                )


def suggest(user, query: str, limit: int = 8) -> list[Suggestion]:
    """The user's recently used addresses with a word (of the name or address) starting
    with each typed word, accents and case ignored; most used and most recent first."""
    prefixes = query_words(query)
    if not prefixes:
        return []
    rows = CollectedAddress.objects.filter(user=user)
    for prefix in prefixes:
        rows = rows.filter(search_key__contains=" " + prefix)
    rows = rows.only("name", "address", "use_count", "last_used").order_by("-last_used")
    now = timezone.now()

    def rank(row: CollectedAddress) -> float:
        age_days = max(0.0, (now - row.last_used).total_seconds() / 86400)
        return row.use_count / (1 + age_days / 30)

    found = sorted(rows[:SEARCH_WINDOW], key=rank, reverse=True)
    return [Suggestion(row.name, row.address, "recent") for row in found[:limit]]
