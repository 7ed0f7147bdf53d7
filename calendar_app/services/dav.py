"""The only module that talks CalDAV (through the caldav library) to Radicale.

The web app reaches the user's calendars through Dovecot's master user, as for mail:
Radicale authenticates against Dovecot (deploy/radicale/webmail_radicale_auth.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote
from zoneinfo import ZoneInfo

import caldav
from caldav.elements import dav, ical
from caldav.lib import error as caldav_error
from django.conf import settings
from niquests.exceptions import RequestException

from accounts.mail_account import MailAccount
from calendar_app import events
from calendar_app.errors import (
    CalendarChangeRefused,
    CalendarNotFound,
    EventChanged,
    EventNotFound,
)
from webmail.errors import CalendarServerUnavailable

# caldav talks HTTP through niquests (its own dependency): refused, dropped or timed-out
# connections surface as niquests errors, server refusals as caldav's DAVError.
_CONNECTION_ERRORS = (OSError, RequestException, caldav_error.DAVError)


@dataclass(frozen=True)
class CalendarInfo:
    name: str
    url: str
    color: str = ""  # "#rrggbb" from the calendar-color property (Apple, Thunderbird, DAVx5)

    @property
    def id(self) -> str:
        """The collection's last path segment: stable, and what our URLs carry."""
        return self.url.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class StoredEvent:
    """One calendar object resource as stored: its iCalendar data and ETag."""

    calendar_id: str
    uid: str
    href: str
    etag: str
    data: bytes


class DavSession:
    def __init__(self, client: caldav.DAVClient) -> None:
        self._client = client
        self._calendars: list[tuple[CalendarInfo, caldav.Calendar]] | None = None

    def list_calendars(self) -> list[CalendarInfo]:
        """The user's calendars, with their colours. Raises CalendarServerUnavailable."""
        with _mapped_errors():
            return [info for info, _calendar in self._dav_calendars()]

    def create_calendar(self, name: str, color: str = "") -> CalendarInfo:
        """A new calendar in the user's home. Raises CalendarServerUnavailable."""
        with _mapped_errors():
            calendar = self._client.principal().make_calendar(name=name)
            if color:
                calendar.set_properties([ical.CalendarColor(color)])
            self._calendars = None
            return CalendarInfo(name=name, url=str(calendar.url), color=color)

    def set_color(self, calendar_id: str, color: str) -> None:
        """Raises CalendarNotFound, CalendarServerUnavailable."""
        with _mapped_errors():
            self._calendar(calendar_id).set_properties([ical.CalendarColor(color)])

    def occurrences_between(
        self, calendars: list[CalendarInfo], start: dt.datetime, end: dt.datetime, tz: ZoneInfo
    ) -> list[events.Occurrence]:
        """Every event occurrence in [start, end) of these calendars, in `tz`, sorted.

        Radicale selects the objects with a calendar-query time range; the recurrences are
        expanded here (events.occurrences), so exceptions and time zones follow one code
        path whatever the server. An object Radicale stored but we cannot read is skipped.
        Raises CalendarServerUnavailable.
        """
        found = []
        with _mapped_errors():
            for info in calendars:
                calendar = self._calendar(info.id)
                for item in calendar.search(start=start, end=end, event=True):
                    try:
                        expanded = events.occurrences(item.data, start, end, tz)
                    except events.InvalidCalendar:
                        continue
                    found += [
                        dataclasses.replace(o, calendar_id=info.id, color=info.color)
                        for o in expanded
                    ]
        return events.in_order(found, tz)

    def tasks(self, calendars: list[CalendarInfo]) -> list[events.Task]:
        """Every task (VTODO) of these calendars, done ones included.

        Raises CalendarServerUnavailable.
        """
        found = []
        with _mapped_errors():
            for info in calendars:
                calendar = self._calendar(info.id)
                for item in calendar.search(todo=True, include_completed=True):
                    try:
                        tasks = events.tasks_in(item.data)
                    except events.InvalidCalendar:
                        continue
                    found += [
                        dataclasses.replace(t, calendar_id=info.id, color=info.color) for t in tasks
                    ]
        return found

    def get_event(self, calendar_id: str, uid: str) -> StoredEvent:
        """The stored event (or task) with this UID. Raises CalendarNotFound, EventNotFound,
        CalendarServerUnavailable."""
        with _mapped_errors():
            calendar = self._calendar(calendar_id)
            try:
                href = str(calendar.get_object_by_uid(uid).url)  # an event or a task
            except caldav_error.NotFoundError as exc:
                raise EventNotFound(uid) from exc
            response = self._client.request(href, "GET")
            if response.status == 404:
                raise EventNotFound(uid)
            _check(response, uid)
            return StoredEvent(
                calendar_id=calendar_id,
                uid=uid,
                href=href,
                etag=response.headers.get("etag", ""),
                data=response._raw_body,
            )

    def create_event(self, calendar_id: str, uid: str, data: bytes) -> None:
        """Store a new event (never overwriting one). Raises CalendarNotFound, EventChanged,
        CalendarChangeRefused, CalendarServerUnavailable."""
        with _mapped_errors():
            calendar = self._calendar(calendar_id)
            href = str(calendar.url).rstrip("/") + "/" + quote(uid, safe="@.-_") + ".ics"
            response = self._client.put(href, data.decode(), _headers({"If-None-Match": "*"}))
            _check(response, uid)

    def save_event(self, stored: StoredEvent, data: bytes) -> None:
        """Replace the event if nobody changed it since `stored` was read (If-Match).

        Raises EventChanged, EventNotFound, CalendarChangeRefused, CalendarServerUnavailable.
        """
        with _mapped_errors():
            headers = _headers({"If-Match": stored.etag})
            response = self._client.put(stored.href, data.decode(), headers)
            _check(response, stored.uid)

    def delete_event(self, stored: StoredEvent) -> None:
        """Delete the event if nobody changed it since it was read.

        Raises EventChanged, EventNotFound, CalendarChangeRefused, CalendarServerUnavailable.
        """
        with _mapped_errors():
            response = self._client.delete(stored.href, {"If-Match": stored.etag})
            _check(response, stored.uid)

    def calendar_objects(self, calendar_id: str) -> tuple[str, list[bytes]]:
        """The calendar's name and the data of every object in it (events, tasks, ...),
        for export. Raises CalendarNotFound, CalendarServerUnavailable."""
        with _mapped_errors():
            calendar = self._calendar(calendar_id)
            name = next(i.name for i, _c in self._dav_calendars() if i.id == calendar_id)
            found = [item.data for item in calendar.search()]
        return name, [d.encode() if isinstance(d, str) else d for d in found if d]

    def _dav_calendars(self) -> list[tuple[CalendarInfo, caldav.Calendar]]:
        if self._calendars is None:
            self._calendars = [(_info(c), c) for c in self._client.principal().calendars()]
        return self._calendars

    def _calendar(self, calendar_id: str) -> caldav.Calendar:
        for info, calendar in self._dav_calendars():
            if info.id == calendar_id:
                return calendar
        raise CalendarNotFound(calendar_id)

    def delete_all_collections(self) -> int:
        """Remove every collection in the user's home (a deleted account): calendars,
        CardDAV address books, whatever a client created there. Returns how many.

        Raises CalendarServerUnavailable.
        """
        with _mapped_errors():
            home = self._client.principal().calendar_home_set
            collections = [
                url for url, types, _name in home.children() if dav.Collection.tag in types
            ]
            for url in collections:
                caldav.DAVObject(client=self._client, url=url).delete()
            return len(collections)


@contextmanager
def session_for(account: MailAccount) -> Iterator[DavSession]:
    """A CalDAV session as the user, through the master user. Raises CalendarServerUnavailable."""
    client = caldav.DAVClient(
        url=settings.CALDAV_URL,
        username=f"{account.username}*{settings.MAIL_MASTER_USER}",
        password=settings.MAIL_MASTER_PASSWORD,
        timeout=settings.SERVICE_TIMEOUT_SECONDS,
    )
    with client:
        yield DavSession(client)


@contextmanager
def _mapped_errors() -> Iterator[None]:
    try:
        yield
    except _CONNECTION_ERRORS as exc:
        raise CalendarServerUnavailable(type(exc).__name__) from exc


def _headers(extra: dict[str, str]) -> dict[str, str]:
    return {"Content-Type": "text/calendar; charset=utf-8", **extra}


def _check(response, uid: str) -> None:
    if response.status == 412:
        raise EventChanged(uid)
    if response.status == 404:
        raise EventNotFound(uid)
    if 400 <= response.status < 500:
        raise CalendarChangeRefused(f"HTTP {response.status}")
    if response.status >= 500:
        raise CalendarServerUnavailable(f"HTTP {response.status}")


def _info(calendar: caldav.Calendar) -> CalendarInfo:
    color = ""
    try:
        props = calendar.get_properties([dav.DisplayName(), ical.CalendarColor()])
        name = props.get(dav.DisplayName.tag) or ""
        color = (props.get(ical.CalendarColor.tag) or "")[:7]  # "#rrggbbaa" from Apple
    except caldav_error.DAVError:
        name = ""
    path_name = calendar.url.path.rstrip("/").rsplit("/", 1)[-1]
    return CalendarInfo(name=name or path_name, url=str(calendar.url), color=color)


def check_reachable() -> None:
    """Ask the server for OPTIONS without credentials. Raises CalendarServerUnavailable."""
    client = caldav.DAVClient(url=settings.CALDAV_URL, timeout=settings.SERVICE_TIMEOUT_SECONDS)
    with client, _mapped_errors():
        client.request(settings.CALDAV_URL, "OPTIONS")
