"""Calendars shared with a colleague on the real Radicale, which enforces the shares:
through the webmail (master user) and directly over CalDAV, as Thunderbird would."""

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import caldav
import niquests
import pytest
from django.conf import settings

from calendar_app import events, sharing
from calendar_app.errors import CalendarReadOnly
from calendar_app.services import dav
from tests.conftest import DEFAULT_TEST_PASSWORD

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
MEETING = events.EventFields(
    summary="Conseil de classe",
    start=dt.datetime(2026, 3, 10, 17, tzinfo=PARIS),
    end=dt.datetime(2026, 3, 10, 18, tzinfo=PARIS),
)


@pytest.fixture
def colleague(make_account):
    return make_account(first_name="Marie", last_name="Martin")


@pytest.fixture
def owner_event(account, personal_calendar):
    with dav.session_for(account.mail_account) as session:
        session.create_event(
            personal_calendar.id, "conseil-1", events.new_event(MEETING, "conseil-1", NOW)
        )
    return personal_calendar


def shared_calendar(user, owner):
    with dav.session_for(user.mail_account) as session:
        found = [c for c in session.list_calendars() if c.owner == owner.username]
    return found


def march(session, calendar):
    start = dt.datetime(2026, 3, 1, tzinfo=PARIS)
    return session.occurrences_between([calendar], start, start + dt.timedelta(days=31), PARIS)


def own_caldav(user):
    """A CalDAV client logged in as the user with their own password, like Thunderbird."""
    return caldav.DAVClient(
        url=settings.CALDAV_URL, username=user.username, password=DEFAULT_TEST_PASSWORD
    )


def over_http(user, method, url, body=None):
    """A plain HTTP request with the user's own password (what any client sends)."""
    headers = {"Content-Type": "text/calendar"} if body else {}
    auth = (user.username, DEFAULT_TEST_PASSWORD)
    return niquests.request(method, url, data=body, headers=headers, auth=auth, timeout=10)


def test_read_only_share_is_listed_and_readable_but_refuses_writes(account, colleague, owner_event):
    sharing.share_calendar(account, owner_event.id, colleague, writable=False)

    [shared] = shared_calendar(colleague, account)
    with dav.session_for(colleague.mail_account) as session:
        [seen] = march(session, shared)
        stored = session.get_event(shared.id, "conseil-1")
        renamed = dataclasses.replace(MEETING, summary="Annulé")
        changed = events.update_event(stored.data, "conseil-1", renamed, NOW)
        with pytest.raises(CalendarReadOnly):
            session.save_event(stored, changed)
        with pytest.raises(CalendarReadOnly):
            session.create_event(shared.id, "new-1", events.new_event(MEETING, "new-1", NOW))

    assert (shared.name, shared.writable) == ("Personal", False)
    assert seen.summary == "Conseil de classe"
    with dav.session_for(account.mail_account) as session:
        [unchanged] = march(session, owner_event)
    assert unchanged.summary == "Conseil de classe"


def test_read_only_share_refuses_a_write_over_caldav_with_the_colleagues_password(
    account, colleague, owner_event
):
    share = sharing.share_calendar(account, owner_event.id, colleague, writable=False)
    base = settings.CALDAV_URL.rstrip("/")
    url = f"{base}/{colleague.username}/{share.shared_id}/thunderbird-1.ics"
    body = events.new_event(MEETING, "thunderbird-1", NOW).decode()

    with own_caldav(colleague) as client:
        names = [c.get_display_name() for c in client.principal().calendars()]
    read = over_http(
        colleague, "GET", f"{base}/{colleague.username}/{share.shared_id}/conseil-1.ics"
    )
    refused = over_http(colleague, "PUT", url, body)

    assert "Personal" in names
    assert read.status_code == 200
    assert b"Conseil de classe" in read.content
    assert refused.status_code == 403


def test_read_write_share_lands_the_colleagues_edit_in_the_owners_calendar(
    account, colleague, owner_event
):
    sharing.share_calendar(account, owner_event.id, colleague, writable=True)

    [shared] = shared_calendar(colleague, account)
    with dav.session_for(colleague.mail_account) as session:
        stored = session.get_event(shared.id, "conseil-1")
        moved = events.EventFields(
            summary="Conseil de classe (salle 12)",
            start=MEETING.start + dt.timedelta(hours=1),
            end=MEETING.end + dt.timedelta(hours=1),
        )
        session.save_event(stored, events.update_event(stored.data, "conseil-1", moved, NOW))

    with dav.session_for(account.mail_account) as session:
        [edited] = march(session, owner_event)
    assert shared.writable
    assert (edited.summary, edited.start.hour) == ("Conseil de classe (salle 12)", 18)


def test_unsharing_removes_the_calendar_from_the_colleagues_list(account, colleague, owner_event):
    share = sharing.share_calendar(account, owner_event.id, colleague, writable=True)
    sharing.unshare_calendar(account, owner_event.id, colleague.username)

    base = settings.CALDAV_URL.rstrip("/")
    gone = over_http(
        colleague, "GET", f"{base}/{colleague.username}/{share.shared_id}/conseil-1.ics"
    )
    assert shared_calendar(colleague, account) == []
    assert gone.status_code in (403, 404)


def test_a_stranger_guessing_the_urls_gets_nothing(account, colleague, make_account, owner_event):
    share = sharing.share_calendar(account, owner_event.id, colleague, writable=True)
    stranger = make_account(first_name="Paul", last_name="Durand")
    base = settings.CALDAV_URL.rstrip("/")
    guesses = [
        f"{base}/{account.username}/{owner_event.id}/conseil-1.ics",
        f"{base}/{colleague.username}/{share.shared_id}/conseil-1.ics",
        f"{base}/{stranger.username}/{share.shared_id}/conseil-1.ics",
    ]

    answers = [over_http(stranger, "GET", url) for url in guesses]
    put = over_http(stranger, "PUT", guesses[0], events.new_event(MEETING, "conseil-1", NOW))

    # forbidden in the owner's and the colleague's homes; nothing at that name in their own
    assert [a.status_code for a in answers] == [403, 403, 404]
    assert all(b"Conseil" not in a.content for a in answers)
    assert put.status_code == 403
    assert shared_calendar(stranger, account) == []


def test_sharing_with_an_inactive_account_is_refused(account, make_account):
    gone = make_account(first_name="Anne", last_name="Partie", is_active=False)

    with pytest.raises(sharing.ColleagueNotFound):
        sharing.find_colleague(gone.mail_address, account)
    with pytest.raises(sharing.ColleagueNotFound):
        sharing.find_colleague("personne@" + settings.MAIL_DOMAIN, account)


def test_deleting_all_collections_keeps_others_calendars_and_ends_ones_shares(
    account, colleague, owner_event
):
    sharing.share_calendar(account, owner_event.id, colleague, writable=True)

    with dav.session_for(colleague.mail_account) as session:
        session.delete_all_collections()  # a deleted colleague: the owner's calendar stays
    with dav.session_for(account.mail_account) as session:
        kept = [c.id for c in session.list_calendars()]
        removed = session.delete_all_collections()  # refused by Radicale while shared
    with dav.session_for(account.mail_account) as session:
        left = session.list_calendars()

    assert kept == [owner_event.id]
    assert removed == 1
    assert left == []
    assert shared_calendar(colleague, account) == []


def test_read_write_share_takes_a_new_event_over_caldav_with_the_colleagues_password(
    account, colleague, owner_event
):
    share = sharing.share_calendar(account, owner_event.id, colleague, writable=True)
    base = settings.CALDAV_URL.rstrip("/")
    url = f"{base}/{colleague.username}/{share.shared_id}/thunderbird-2.ics"
    added = dataclasses.replace(MEETING, summary="Réunion parents-profs")

    stored = over_http(colleague, "PUT", url, events.new_event(added, "thunderbird-2", NOW))

    with dav.session_for(account.mail_account) as session:
        summaries = sorted(o.summary for o in march(session, owner_event))
    assert stored.status_code == 201
    assert summaries == ["Conseil de classe", "Réunion parents-profs"]
