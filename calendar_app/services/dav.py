"""The only module that talks CalDAV (through the caldav library) to Radicale.

The web app reaches the user's calendars through Dovecot's master user, as for mail:
Radicale authenticates against Dovecot (deploy/radicale/webmail_radicale_auth.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote, urljoin
from zoneinfo import ZoneInfo

import caldav
import niquests
from caldav.elements import cdav, dav, ical
from caldav.lib import error as caldav_error
from django.conf import settings
from django.dispatch import Signal
from niquests.exceptions import RequestException

from accounts.mail_account import MailAccount
from calendar_app import alarms, events
from calendar_app.errors import (
    CalendarChangeRefused,
    CalendarNotFound,
    CalendarReadOnly,
    EventChanged,
    EventNotFound,
)
from webmail.errors import CalendarServerUnavailable

# caldav talks HTTP through niquests (its own dependency): refused, dropped or timed-out
# connections surface as niquests errors, server refusals as caldav's DAVError.
_CONNECTION_ERRORS = (OSError, RequestException, caldav_error.DAVError)

# Sent after a session changed calendars (username=, calendar_ids=): the reminders of
# those calendars are read again (calendar_app/reminders.py).
calendars_written = Signal()

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CalendarInfo:
    name: str
    url: str
    color: str = ""  # "#rrggbb" from the calendar-color property (Apple, Thunderbird, DAVx5)
    owner: str = ""  # a colleague's calendar shared with the user: the colleague's username
    writable: bool = True  # False for a calendar shared with the user read-only

    @property
    def id(self) -> str:
        """The collection's last path segment: stable, and what our URLs carry."""
        return self.url.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class CalendarShare:
    """One of `owner`'s calendars shared with the colleague `user` (a Radicale share "by
    map"): the colleague sees it in their own home as `shared_id`, and Radicale checks each
    of their requests against `writable`."""

    owner: str
    user: str
    calendar_id: str  # the owner's calendar
    shared_id: str  # the same calendar in the colleague's home
    writable: bool


@dataclass(frozen=True)
class StoredEvent:
    """One calendar object resource as stored: its iCalendar data and ETag."""

    calendar_id: str
    uid: str
    href: str
    etag: str
    data: bytes


class DavSession:
    def __init__(self, client: caldav.DAVClient, username: str = "") -> None:
        self._client = client
        self._username = username
        self._calendars: list[tuple[CalendarInfo, caldav.Calendar]] | None = None
        self.written: set[str] = set()  # calendar ids this session changed (reminders)

    def list_calendars(self) -> list[CalendarInfo]:
        """The user's calendars, with their colours, then those colleagues shared with them
        (with `owner` and `writable` set). Raises CalendarServerUnavailable."""
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
                        dataclasses.replace(
                            o, calendar_id=info.id, color=info.color, read_only=not info.writable
                        )
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
            self.written.add(calendar_id)

    def save_event(self, stored: StoredEvent, data: bytes) -> None:
        """Replace the event if nobody changed it since `stored` was read (If-Match).

        Raises EventChanged, EventNotFound, CalendarChangeRefused, CalendarServerUnavailable.
        """
        with _mapped_errors():
            headers = _headers({"If-Match": stored.etag})
            response = self._client.put(stored.href, data.decode(), headers)
            _check(response, stored.uid)
            self.written.add(stored.calendar_id)

    def delete_event(self, stored: StoredEvent) -> None:
        """Delete the event if nobody changed it since it was read.

        Raises EventChanged, EventNotFound, CalendarChangeRefused, CalendarServerUnavailable.
        """
        with _mapped_errors():
            response = self._client.delete(stored.href, {"If-Match": stored.etag})
            _check(response, stored.uid)
            self.written.add(stored.calendar_id)

    def move_event(self, stored: StoredEvent, calendar_id: str) -> None:
        """Move the object (a whole series) to another of the user's calendars: a copy in
        the target first, then the original deleted if nobody changed it since `stored`
        was read. When that fails the copy is removed again: the event is never lost (and
        shows twice only if removing the copy fails too). caldav offers no WebDAV MOVE.

        Raises CalendarNotFound, EventChanged, EventNotFound, CalendarChangeRefused,
        CalendarServerUnavailable.
        """
        self.create_event(calendar_id, stored.uid, stored.data)
        try:
            self.delete_event(stored)
        except (EventChanged, EventNotFound, CalendarServerUnavailable):
            self._remove_copy(calendar_id, stored.uid)
            raise

    def _remove_copy(self, calendar_id: str, uid: str) -> None:
        try:
            self.delete_event(self.get_event(calendar_id, uid))
        except (CalendarServerUnavailable, EventChanged, EventNotFound):
            # Both copies stay: nothing is lost, and the person sees the event twice.
            logger.warning("move of %s: the copy in %s could not be removed", uid, calendar_id)

    def sync_tokens(self) -> dict[str, str]:
        """Each calendar's id and sync token (RFC 6578), which changes with any change in it,
        in one PROPFIND of the calendar home. Raises CalendarServerUnavailable."""
        with _mapped_errors():
            home = self._client.principal().calendar_home_set
            response = self._client.propfind(
                str(home.url), props=[dav.ResourceType.tag, dav.SyncToken.tag], depth=1
            )
            _check(response, "")
        tokens = {}
        for result in response.results or []:
            if cdav.Calendar.tag in (result.properties.get(dav.ResourceType.tag) or []):
                calendar_id = str(result.href).rstrip("/").rsplit("/", 1)[-1]
                tokens[calendar_id] = str(result.properties.get(dav.SyncToken.tag) or "")
        return tokens

    def alarms_between(
        self, calendar_id: str, start: dt.datetime, end: dt.datetime, tz: ZoneInfo
    ) -> list[alarms.Alarm]:
        """The reminders of the calendar's events and tasks that ring in [start, end); an
        object we cannot read is skipped. Raises CalendarNotFound, CalendarServerUnavailable."""
        found = []
        with _mapped_errors():
            calendar = self._calendar(calendar_id)
            # Radicale selects by the events' own times: reach a week around the window for
            # alarms long before (a day, a week) or after (at the end) their event.
            week = dt.timedelta(days=7)
            for item in calendar.search(start=start - week, end=end + week):
                try:
                    found += alarms.alarms_between(item.data, start, end, tz)
                except events.InvalidCalendar:
                    continue
        return found

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
            found = [(_info(c), c) for c in self._client.principal().calendars()]
            received = {s.shared_id: s for s in self.list_shares() if s.user == self._username}
            own = [(i, c) for i, c in found if i.id not in received]
            shared = [(_as_shared(i, received[i.id]), c) for i, c in found if i.id in received]
            self._calendars = own + shared
        return self._calendars

    # Sharing, through Radicale's own API (POST /.sharing/v1/map/<action>, JSON).

    def list_shares(self) -> list[CalendarShare]:
        """The shares the user made and those made with them. Raises
        CalendarServerUnavailable (also when the server has sharing turned off)."""
        with _mapped_errors():
            try:
                answer = self._sharing_call("list", {})
            except CalendarNotFound:
                # Radicale answers 404 when sharing is off ([sharing] in its config): the
                # user's own calendars still work.
                logger.warning("Radicale has sharing turned off; no calendar is shared")
                return []
        return [s for s in map(_share_of, answer.get("Content") or []) if s is not None]

    def share_calendar(self, calendar_id: str, username: str, writable: bool) -> CalendarShare:
        """Share one of the user's own calendars with the colleague `username`. The share
        waits for the colleague to take it (accept_share, in the colleague's session).

        Raises CalendarNotFound (not one of the user's own calendars), CalendarChangeRefused
        (already shared with them: HTTP 409), CalendarServerUnavailable.
        """
        with _mapped_errors():
            calendar = self._calendar(calendar_id)
            if any(i.owner for i, c in self._dav_calendars() if c is calendar):
                raise CalendarNotFound(calendar_id)  # a colleague's calendar: not the user's
            shared_id = uuid.uuid4().hex
            self._sharing_call(
                "create",
                {
                    "PathMapped": _own_path(self._username, calendar_id),
                    "PathOrToken": _own_path(username, shared_id),
                    "User": username,
                    "Permissions": _permissions(writable),
                    "Enabled": True,
                    "Hidden": False,
                },
            )
        return CalendarShare(self._username, username, calendar_id, shared_id, writable)

    def accept_share(self, share: CalendarShare) -> None:
        """As the colleague: show the share in their home, for every client.

        Raises CalendarNotFound (no such share with the user), CalendarServerUnavailable."""
        with _mapped_errors():
            for action in ("enable", "unhide"):
                self._sharing_call(action, {"PathOrToken": _own_path(share.user, share.shared_id)})

    def change_share(self, share: CalendarShare, writable: bool) -> None:
        """As the owner: make the share read-only or read-write.

        Raises CalendarNotFound (no such share of the user), CalendarServerUnavailable."""
        with _mapped_errors():
            self._sharing_call(
                "update",
                {
                    "PathOrToken": _own_path(share.user, share.shared_id),
                    "Permissions": _permissions(writable),
                },
            )

    def unshare(self, share: CalendarShare) -> None:
        """As the owner: the colleague no longer sees the calendar, in any client.

        Raises CalendarNotFound (no such share of the user), CalendarServerUnavailable."""
        with _mapped_errors():
            self._sharing_call("delete", {"PathOrToken": _own_path(share.user, share.shared_id)})

    def _sharing_call(self, action: str, fields: dict) -> dict:
        # JSON, not WebDAV: straight through niquests (caldav would parse it as XML).
        response = niquests.post(
            urljoin(settings.CALDAV_URL, f".sharing/v1/map/{action}"),
            json=fields,
            headers={"Accept": "application/json"},
            auth=(self._client.username, self._client.password),
            timeout=settings.SERVICE_TIMEOUT_SECONDS,
        )
        if response.status_code in (403, 404):
            raise CalendarNotFound(fields.get("PathOrToken") or fields.get("PathMapped", ""))
        if response.status_code >= 400:
            detail = f"sharing {action}: HTTP {response.status_code}"
            if response.status_code < 500:
                raise CalendarChangeRefused(detail)
            raise CalendarServerUnavailable(detail)
        try:
            return json.loads(response.content or b"{}")
        except ValueError as exc:
            raise CalendarServerUnavailable(f"sharing {action}: not JSON") from exc

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
            # Calendars colleagues shared with the user are theirs: they stay. Those the
            # user shared go with their shares (Radicale keeps a shared one otherwise).
            received = set()
            for share in self.list_shares():
                if share.owner == self._username:
                    self.unshare(share)
                else:
                    received.add(share.shared_id)
            collections = [
                url
                for url, types, _name in home.children()
                if dav.Collection.tag in types
                and str(url).rstrip("/").rsplit("/", 1)[-1] not in received
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
    session = DavSession(client, account.username)
    try:
        with client:
            yield session
    finally:
        if session.written:
            calendars_written.send(
                DavSession, username=account.username, calendar_ids=frozenset(session.written)
            )


@contextmanager
def _mapped_errors() -> Iterator[None]:
    try:
        yield
    except caldav_error.AuthorizationError as exc:
        # 403 on a logged-in request: a colleague's calendar shared read-only (Radicale
        # checks every write against the share); 401 stays an outage (master user refused).
        if getattr(exc, "status", None) == 403:
            raise CalendarReadOnly("HTTP 403") from exc
        raise CalendarServerUnavailable(type(exc).__name__) from exc
    except _CONNECTION_ERRORS as exc:
        raise CalendarServerUnavailable(type(exc).__name__) from exc


def _headers(extra: dict[str, str]) -> dict[str, str]:
    return {"Content-Type": "text/calendar; charset=utf-8", **extra}


def _check(response, uid: str) -> None:
    if response.status == 412:
        raise EventChanged(uid)
    if response.status == 404:
        raise EventNotFound(uid)
    if response.status == 403:
        raise CalendarReadOnly(f"HTTP {response.status}")
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


def _own_path(username: str, calendar_id: str) -> str:
    """A collection's path in Radicale (its home is /<username>/; CALDAV_URL is the root)."""
    return f"/{username}/{calendar_id}/"


def _permissions(writable: bool) -> str:
    return "rw" if writable else "r"


def _share_of(row: dict) -> CalendarShare | None:
    """A row of the sharing API's list, or None for what this app does not make (shares
    by token, by group, of address books)."""
    owner, user = row.get("Owner", ""), row.get("User", "")
    mapped = row.get("PathMapped", "").strip("/").split("/")
    shared = row.get("PathOrToken", "").strip("/").split("/")
    if row.get("ShareType") != "map" or len(mapped) != 2 or len(shared) != 2:
        return None
    if mapped[0] != owner or shared[0] != user:
        return None
    writable = "w" in row.get("Permissions", "")
    return CalendarShare(owner, user, mapped[1], shared[1], writable)


def _as_shared(info: CalendarInfo, share: CalendarShare) -> CalendarInfo:
    return dataclasses.replace(info, owner=share.owner, writable=share.writable)


def check_reachable() -> None:
    """Ask the server for OPTIONS without credentials. Raises CalendarServerUnavailable."""
    client = caldav.DAVClient(url=settings.CALDAV_URL, timeout=settings.SERVICE_TIMEOUT_SECONDS)
    with client, _mapped_errors():
        client.request(settings.CALDAV_URL, "OPTIONS")
