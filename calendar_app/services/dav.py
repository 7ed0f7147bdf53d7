"""The only module that talks CalDAV (through the caldav library) to Radicale.

The web app reaches the user's calendars through Dovecot's master user, as for mail:
Radicale authenticates against Dovecot (deploy/radicale/webmail_radicale_auth.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import caldav
from caldav.lib import error as caldav_error
from django.conf import settings
from niquests.exceptions import RequestException

from accounts.mail_account import MailAccount
from webmail.errors import CalendarServerUnavailable

# caldav talks HTTP through niquests (its own dependency): refused, dropped or timed-out
# connections surface as niquests errors, server refusals as caldav's DAVError.
_CONNECTION_ERRORS = (OSError, RequestException, caldav_error.DAVError)


@dataclass(frozen=True)
class CalendarInfo:
    name: str
    url: str


class DavSession:
    def __init__(self, client: caldav.DAVClient) -> None:
        self._client = client

    def list_calendars(self) -> list[CalendarInfo]:
        """The user's calendars. Raises CalendarServerUnavailable."""
        with _mapped_errors():
            calendars = self._client.principal().calendars()
            return [CalendarInfo(name=_display_name(c), url=str(c.url)) for c in calendars]

    def create_calendar(self, name: str) -> CalendarInfo:
        """A new calendar in the user's home. Raises CalendarServerUnavailable."""
        with _mapped_errors():
            calendar = self._client.principal().make_calendar(name=name)
            return CalendarInfo(name=name, url=str(calendar.url))

    def delete_all_calendars(self) -> int:
        """Remove every calendar of the user (a deleted account). Returns how many.

        Raises CalendarServerUnavailable.
        """
        with _mapped_errors():
            calendars = self._client.principal().calendars()
            for calendar in calendars:
                calendar.delete()
            return len(calendars)


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


def _display_name(calendar: caldav.Calendar) -> str:
    try:
        return calendar.get_display_name() or calendar.url.path.rstrip("/").rsplit("/", 1)[-1]
    except caldav_error.DAVError:
        return str(calendar.url)


def check_reachable() -> None:
    """Ask the server for OPTIONS without credentials. Raises CalendarServerUnavailable."""
    client = caldav.DAVClient(url=settings.CALDAV_URL, timeout=settings.SERVICE_TIMEOUT_SECONDS)
    with client, _mapped_errors():
        client.request(settings.CALDAV_URL, "OPTIONS")
