"""What the message page needs to warn about a message and to load its images.

Joins the pure checks (mailbox/phishing.py) to what only the app knows: the
organisation's domains and authserv-ids (settings), the directory (active accounts'
names) and the reader's trusted image senders.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Q
from django.shortcuts import get_object_or_404

from mailbox import phishing
from mailbox.models import TrustedImageSender
from mailbox.parsing import ParsedMessage, header_block
from mailbox.sanitize import SanitizedHtml, sanitize_html

# Accented forms of each letter, so that the database finds "Hélène" from "helene".
_ACCENTED = {
    "a": "àâäáãå",
    "c": "ç",
    "e": "éèêë",
    "i": "îïíì",
    "n": "ñ",
    "o": "ôöóòõø",
    "u": "ùûüú",
    "y": "ÿý",
}
# Rows read per display name: the database matches words anywhere in a name ("anne" in
# "Marianne"), so a common name has many near misses before the colleague it names.
MAX_NAME_CANDIDATES = 2000
MAX_NAME_WORDS = 6
# The same senders write again and again: their names are looked up once in a while, so
# a new or departed colleague counts after at most this long.
NAME_CACHE_SECONDS = 300


@dataclass(frozen=True)
class MessageSafety:
    assessment: phishing.Assessment
    trusted_sender: TrustedImageSender | None  # the From address, if the reader trusts it
    remote_content: bool = False  # the HTML body asks for remote images (or CSS url())

    @property
    def images_trusted(self) -> bool:
        """Load remote images without asking: a trusted sender, and nothing doubts it."""
        return self.trusted_sender is not None and not self.assessment.doubts_sender

    @property
    def can_trust_sender(self) -> bool:
        return (
            bool(self.assessment.sender_address)
            and self.trusted_sender is None
            and not self.assessment.doubts_sender
        )


def assess_message(
    user, message: ParsedMessage, raw: bytes, sanitised: SanitizedHtml | None = None
) -> MessageSafety:
    """The phishing warnings of one message, and whether its images load by themselves.

    sanitised: the HTML body as sanitize_html made it with remote images blocked, when
    the caller has it already (how cid: images are pointed changes nothing here); else
    it is sanitised here.
    """
    sender = message.from_[0] if message.from_ else None
    external = sender is not None and not phishing.is_own_domain(
        phishing.domain_of(sender.address), settings.ORGANISATION_DOMAINS
    )
    if message.html and sanitised is None:
        sanitised = sanitize_html(message.html)
    assessment = phishing.check_message(
        message,
        raw_headers=header_block(raw),
        sanitised_html=sanitised.html if sanitised else None,
        organisation_domains=settings.ORGANISATION_DOMAINS,
        authserv_ids=settings.AUTHSERV_ID,
        # Only an outside address can impersonate a colleague: no query for the others.
        colleague_names=colleague_names_like(sender.name) if external else [],
    )
    trusted = None
    if assessment.sender_address:
        trusted = TrustedImageSender.objects.filter(
            user=user, address=assessment.sender_address
        ).first()
    remote = sanitised is not None and sanitised.remote_content_blocked
    return MessageSafety(assessment, trusted, remote_content=remote)


def colleague_names_like(display_name: str) -> list[str]:
    """Full names of active accounts that are this display name, accents, case and word
    order aside (phishing.same_person); only these are kept in the cache."""
    normalised = phishing.normalise_name(display_name)
    words = normalised.split()
    if not 2 <= len(words) <= MAX_NAME_WORDS:
        return []  # one word is nobody's full name; a sentence is no name either
    key = "colleague-names:" + hashlib.sha256(normalised.encode()).hexdigest()
    names = cache.get(key)
    if names is None:
        users = get_user_model().objects.filter(is_active=True)
        for word in words:
            pattern = "".join(_letter_pattern(char) for char in word)
            users = users.filter(Q(first_name__iregex=pattern) | Q(last_name__iregex=pattern))
        rows = users.values_list("first_name", "last_name")[:MAX_NAME_CANDIDATES]
        full_names = (f"{first} {last}" for first, last in rows)
        names = [name for name in full_names if phishing.same_person(display_name, [name])]
        cache.set(key, names, NAME_CACHE_SECONDS)
    return names


def _letter_pattern(char: str) -> str:
    variants = char + _ACCENTED.get(char, "")
    return f"[{variants}{variants.upper()}]" if len(variants) > 1 else re.escape(char)


def trust_images_from(user, address: str) -> TrustedImageSender:
    """Always show remote images from this address (idempotent)."""
    trusted, _created = TrustedImageSender.objects.get_or_create(
        user=user, address=address.strip().lower()
    )
    return trusted


def get_trusted_sender_for_user(user, trusted_id: int) -> TrustedImageSender:
    """The user's own trusted sender; 404 when missing or someone else's."""
    return get_object_or_404(TrustedImageSender, pk=trusted_id, user=user)
