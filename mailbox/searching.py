"""What a search asks the IMAP server, as an imapclient criteria list. Pure: no I/O.

The criteria are a list of atoms and strings that imapclient quotes (or sends as
literals) itself: nothing the user typed is ever pasted into a command line. Dovecot's
full-text index (fts-xapian, deploy/*/dovecot.conf) answers BODY and TEXT, and the
header searches FROM, TO, CC and SUBJECT, without reading the messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# A "word" shorter than this is not in the index (fts_xapian partial=3): it would match
# nothing, so the form refuses it rather than say "no messages".
MIN_WORD_LENGTH = 3
MAX_WORDS = 10

# Has an attachment: Dovecot marks each message when it is saved (LMTP delivery, APPEND)
# with the keyword $HasAttachment or $HasNoAttachment (mail_attachment_detection_options
# = add-flags in deploy/*/dovecot.conf), from its MIME structure: a part with a file name
# or Content-Disposition: attachment counts; text + HTML alternatives and inline images
# without a name do not. A HEADER Content-Type search cannot do this with FTS on: the
# index does not hold Content-Type, so Dovecot would answer nothing.
ATTACHMENT_CRITERIA = ["KEYWORD", "$HasAttachment"]


@dataclass(frozen=True)
class SearchQuery:
    """A search as the forms validated it; every field is optional."""

    text: str = ""  # quick search: each word in the sender, recipients, subject or body
    sender: str = ""
    recipient: str = ""
    subject: str = ""
    body: str = ""
    since: date | None = None  # from this day (inclusive)
    until: date | None = None  # to this day (inclusive)
    has_attachment: bool = False
    larger_than: int | None = None  # bytes
    smaller_than: int | None = None  # bytes
    flagged: bool = False
    unread: bool = False
    keyword: str = ""  # a label's IMAP keyword
    all_folders: bool = False

    @property
    def is_empty(self) -> bool:
        return not imap_criteria(self)

    @property
    def reads_flags(self) -> bool:
        """Whether the answer changes when flags do (read, flagged, labelled), not only
        when messages come or go."""
        return self.flagged or self.unread or bool(self.keyword)


def words(text: str) -> list[str]:
    """The words of a search box, in order, without repeats (case-insensitive)."""
    seen: dict[str, str] = {}
    for word in text.split():
        seen.setdefault(word.casefold(), word)
    return list(seen.values())


def imap_criteria(query: SearchQuery) -> list:
    """The UID SEARCH criteria for query: every condition must hold (IMAP ANDs a list)."""
    criteria: list = []
    for word in words(query.text):
        criteria += _anywhere(word)
    for key, value in (
        ("FROM", query.sender),
        ("TO", query.recipient),
        ("SUBJECT", query.subject),
        ("BODY", query.body),
    ):
        for word in words(value):
            criteria += [key, word]
    if query.since:
        criteria += ["SINCE", query.since]
    if query.until:
        criteria += ["BEFORE", query.until + timedelta(days=1)]
    if query.has_attachment:
        criteria += ATTACHMENT_CRITERIA
    if query.larger_than is not None:
        criteria += ["LARGER", query.larger_than]
    if query.smaller_than is not None:
        criteria += ["SMALLER", query.smaller_than]
    if query.flagged:
        criteria.append("FLAGGED")
    if query.unread:
        criteria.append("UNSEEN")
    if query.keyword:
        criteria += ["KEYWORD", query.keyword]
    return criteria


def received_range(query: SearchQuery) -> tuple[date | None, date | None] | None:
    """The (since, before) days of imap_criteria's SINCE and BEFORE, or None without
    dates: what services/received_dates.py narrows a search with."""
    if not query.since and not query.until:
        return None
    return query.since, query.until + timedelta(days=1) if query.until else None


def highlight_terms(query: SearchQuery) -> list[str]:
    """The words to mark in an opened message: those searched in its text."""
    terms = words(query.text) + words(query.body) + words(query.subject)
    return words(" ".join(terms))


def _anywhere(word: str) -> list:
    """The word in the sender, the recipients (To, Cc), the subject or the body."""
    return [
        "OR",
        "FROM",
        word,
        "OR",
        "TO",
        word,
        "OR",
        "CC",
        word,
        "OR",
        "SUBJECT",
        word,
        "BODY",
        word,
    ]


def words_to_highlight(text: str) -> list[str]:
    """The words of a message link's ?hl= (from highlight_terms), bounded and printable:
    the link may have been edited by hand."""
    kept = [word for word in words(text[:200]) if word.isprintable()]
    return [word for word in kept if len(word) >= MIN_WORD_LENGTH][:MAX_WORDS]
