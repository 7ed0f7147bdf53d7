"""What each row of a message list shows, worked out once per page in Python.

The list template used to compute these per row with template tags: a `reverse()` of the
message's URL, a `blocktranslate` of the checkbox's label, five date filters. Rendering 50
rows that way cost more than fetching them from IMAP; here a page reverses one URL, looks
up each translation once, and formats each distinct day once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext, ngettext, pgettext

from mailbox.labels import user_keywords
from mailbox.message_links import with_list_place
from mailbox.phishing import domain_of, is_own_domain
from mailbox.services.imap import MessageSummary

# A UID no message has, put in the reversed URL and replaced by each row's own.
_UID_SLOT = 987654321987


@dataclass(frozen=True)
class ListRow:
    message: MessageSummary
    url: str
    subject: str  # the subject, or "(no subject)"
    select_label: str  # the checkbox's accessible label
    is_external: bool
    has_labels: bool
    date_iso: str  # '' without a date
    date_shown: str
    date_title: str


@dataclass(frozen=True)
class ListPlace:
    """Where the rows' links say they come from (mailbox/message_links.py)."""

    folder_name: str
    first_position: int | None  # the first row's place in the list; None for none
    results: str = ""
    highlight: str = ""


def list_rows(messages: list[MessageSummary], place: ListPlace) -> list[ListRow]:
    urls = _UrlMaker(place)
    dates = _DateFormatter()
    no_subject = gettext("(no subject)")
    own_domains = settings.ORGANISATION_DOMAINS
    rows = []
    for index, message in enumerate(messages):
        subject = message.subject or no_subject
        domain = domain_of(message.sender_address or "")
        rows.append(
            ListRow(
                message=message,
                url=urls.url(message.uid, index),
                subject=subject,
                select_label=_select_label(subject, message.message_count),
                is_external=bool(domain) and not is_own_domain(domain, own_domains),
                has_labels=bool(user_keywords(message.flags)),
                **dates.parts(message.date),
            )
        )
    return rows


def _select_label(subject: str, count: int) -> str:
    if count > 1:
        return ngettext(
            "Select the conversation “%(subject)s” (%(counter)s message)",
            "Select the conversation “%(subject)s” (%(counter)s messages)",
            count,
        ) % {"subject": subject, "counter": count}
    return gettext("Select “%(subject)s”") % {"subject": subject}


class UidUrls:
    """The URL of one view for many messages of a folder: one reverse(), each UID put in."""

    def __init__(self, view_name: str, folder_name: str):
        self._pattern = reverse(view_name, args=[_UID_SLOT, folder_name])

    def url(self, uid: int) -> str:
        return self._pattern.replace(str(_UID_SLOT), str(uid), 1)


class _UrlMaker:
    """The message page's URL for each row, with the row's place in the list."""

    def __init__(self, place: ListPlace):
        self._place = place
        self._messages = UidUrls("mailbox:message-detail", place.folder_name)

    def url(self, uid: int, index: int) -> str:
        place = self._place
        first = place.first_position
        return with_list_place(
            self._messages.url(uid),
            None if first is None else first + index,
            place.results,
            place.highlight,
        )


class _DateFormatter:
    """The date column in the current time zone and language: the time for today, the
    day and month for this year, the short date before; the full date in the title.
    Each day's parts are formatted once a page; a row formats only its time."""

    def __init__(self):
        self._today = timezone.localdate()
        # Translators: a message date this year in the list, as a Django date format
        # (N = "Nov.", j = day).
        self._day_month = pgettext("message date format", "N j")
        # Translators: a message's full date and time, shown on hovering its date in the
        # list: "24 novembre 2026 09:15" / "Nov. 24, 2026, 9:15 a.m.".
        self._full = pgettext("message date and time", "%(date)s, %(time)s")
        self._days: dict[date, tuple[str, str]] = {}

    def parts(self, value: datetime | None) -> dict[str, str]:
        if value is None:
            return {"date_iso": "", "date_shown": "", "date_title": ""}
        when = timezone.template_localtime(value)
        shown, long_date = self._day(when)
        time = time_format(when, "TIME_FORMAT")
        return {
            "date_iso": when.isoformat(),
            "date_shown": shown or time,
            "date_title": self._full % {"date": long_date, "time": time},
        }

    def _day(self, when: datetime) -> tuple[str, str]:
        """The day as the column shows it ('' for today: the time is shown) and in full."""
        day = when.date()
        if day not in self._days:
            if day == self._today:
                shown = ""
            else:
                fmt = self._day_month if day.year == self._today.year else "SHORT_DATE_FORMAT"
                shown = date_format(when, fmt)
            self._days[day] = (shown, date_format(when, "DATE_FORMAT"))
        return self._days[day]
