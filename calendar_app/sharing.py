"""Sharing a calendar with colleagues, read-only or read-write.

Radicale stores and enforces the shares (its sharing API, `[sharing]` in its config):
a shared calendar appears in the colleague's home for every client (this app,
Thunderbird, phones), and Radicale checks each request against the share. This module
only turns the people we know (accounts) into Radicale user names and back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model

from calendar_app import freebusy
from calendar_app.errors import (  # noqa: F401 - ColleagueNotFound: raised to callers
    CalendarNotFound,
    CannotShareWithSelf,
    ColleagueNotFound,
)
from calendar_app.services import dav


@dataclass(frozen=True)
class ShareRow:
    """A share of one of the user's calendars, as the Share dialog lists it."""

    share: dav.CalendarShare
    name: str  # the colleague's full name ("" when the account is gone)
    address: str


def find_colleague(address: str, user):
    """The active account behind an address typed or picked in the Share dialog
    ("marie.martin@…" or "marie.martin"). Raises ColleagueNotFound, CannotShareWithSelf."""
    address = address.strip().lower()
    username, _at, domain = address.partition("@")
    if domain and domain != settings.MAIL_DOMAIN.lower():
        raise ColleagueNotFound(address)
    colleague = get_user_model().objects.filter(username=username, is_active=True).first()
    if colleague is None:
        raise ColleagueNotFound(address)
    if colleague.pk == user.pk:
        raise CannotShareWithSelf(address)
    return colleague


def shares_of(session: dav.DavSession, user, calendar_id: str) -> list[ShareRow]:
    """Who this calendar of the user is shared with, by name."""
    shares = [
        s
        for s in session.list_shares()
        if s.owner == user.username and s.calendar_id == calendar_id
    ]
    people = get_user_model().objects.in_bulk([s.user for s in shares], field_name="username")
    rows = []
    for share in shares:
        person = people.get(share.user)
        name = person.get_full_name() if person else ""
        rows.append(ShareRow(share, name, f"{share.user}@{settings.MAIL_DOMAIN}"))
    return sorted(rows, key=lambda r: (r.name or r.address).lower())


def own_calendar(session: dav.DavSession, calendar_id: str) -> dav.CalendarInfo:
    """One of the user's own calendars (not a colleague's). Raises CalendarNotFound."""
    for info in session.list_calendars():
        if info.id == calendar_id and not info.owner:
            return info
    raise CalendarNotFound(calendar_id)


def share_calendar(user, calendar_id: str, colleague, writable: bool) -> dav.CalendarShare:
    """Share the user's calendar with the colleague (or change the rights of an existing
    share), and show it in the colleague's calendar list at once.

    Raises CalendarNotFound, CalendarServerUnavailable.
    """
    with dav.session_for(user.mail_account) as session:
        own_calendar(session, calendar_id)
        existing = _share_with(session, user, calendar_id, colleague.username)
        if existing is None:
            share = session.share_calendar(calendar_id, colleague.username, writable)
        else:
            session.change_share(existing, writable)
            share = existing
    # The colleague takes the share in their name (Radicale lists a share only once its
    # user enabled it), so they need not accept it in every client.
    with dav.session_for(colleague.mail_account) as session:
        session.accept_share(share)
    return share


def unshare_calendar(user, calendar_id: str, username: str) -> None:
    """Stop sharing the user's calendar with `username`. Raises CalendarNotFound (no such
    share), CalendarServerUnavailable."""
    with dav.session_for(user.mail_account) as session:
        share = _share_with(session, user, calendar_id, username)
        if share is None:
            raise CalendarNotFound(calendar_id)
        session.unshare(share)


def _share_with(session, user, calendar_id: str, username: str) -> dav.CalendarShare | None:
    for share in session.list_shares():
        if (share.owner, share.calendar_id, share.user) == (user.username, calendar_id, username):
            return share
    return None


def owner_names(calendars: list[dav.CalendarInfo]) -> dict[str, str]:
    """The full names of the colleagues who shared these calendars, by username."""
    usernames = {c.owner for c in calendars if c.owner}
    people = get_user_model().objects.filter(username__in=usernames)
    return {p.username: p.get_full_name() or p.username for p in people}


@dataclass(frozen=True)
class Availability:
    """When a colleague is busy on a day, from the calendars they shared with the user."""

    name: str
    address: str
    shared: bool  # False: they shared no calendar with the user, so nothing is known
    busy: list[freebusy.Period]


def availability(user, addresses: list[str], day: dt.date, tz: ZoneInfo) -> list[Availability]:
    """The free/busy of the colleagues among these addresses on `day`, read only from the
    calendars they shared with the user. Other addresses (outside people, unknown or
    inactive accounts, the user) are left out, so nothing is learnt about them.

    Raises CalendarServerUnavailable.
    """
    domain = "@" + settings.MAIL_DOMAIN.lower()
    usernames = []
    for address in addresses:
        address = address.lower()
        name = address.removesuffix(domain)
        if address.endswith(domain) and name != user.username and name not in usernames:
            usernames.append(name)
    people = (
        get_user_model()
        .objects.filter(username__in=usernames, is_active=True)
        .in_bulk(field_name="username")
    )
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    end = start + dt.timedelta(days=1)
    found = []
    with dav.session_for(user.mail_account) as session:
        calendars = session.list_calendars()
        for username in [u for u in usernames if u in people]:
            theirs = [c for c in calendars if c.owner == username]
            occurrences = session.occurrences_between(theirs, start, end, tz) if theirs else []
            person = people[username]
            found.append(
                Availability(
                    name=person.get_full_name() or username,
                    address=person.mail_address,
                    shared=bool(theirs),
                    busy=freebusy.busy_periods(occurrences, day, tz),
                )
            )
    return found
