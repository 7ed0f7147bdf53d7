"""Someone who works in Martinique sees a 09:00 Paris meeting at 04:00 (03:00 once France
has moved to summer time), in the week view and in the reminder mail; the event keeps
the zone it was written in."""

import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from calendar_app import tasks
from calendar_app.services import dav
from tests.calendar_app.calendar_helpers import event_form, on, stored_uid, view
from tests.calendar_app.test_invitations import invite, open_message, wait_for_subject
from tests.calendar_app.test_reminders import event_form as reminder_form
from tests.calendar_app.test_reminders import reminder_of, soon, wait_for, wait_for_reminder_mail

MARTINIQUE = ZoneInfo("America/Martinique")


@pytest.fixture
def martinique(client, make_account):
    """Léa, signed in, in Martinique, with a calendar on the real Radicale."""
    user = make_account(first_name="Léa", last_name="Joseph", time_zone="America/Martinique")
    client.force_login(user)
    with dav.session_for(user.mail_account) as session:
        calendar = session.create_calendar("Personal", color="#1a56a8")
    return user, client, calendar


def week_event(client, date, summary):
    """(grid rows, datetime, time shown) of `summary` in the week view of `date`."""
    page = view(client, "week", date).content.decode()
    found = re.search(
        r'class="tg-event (r\d+ s\d+)[^"]*"[^>]*><a [^>]*><time datetime="([^"]+)">([^<]+)</time>'
        rf' <span class="event-title">{summary}</span>',
        page,
    )
    assert found, page
    return found.groups()


def test_a_paris_meeting_shows_at_martinique_time_in_the_week_view(martinique):
    user, client, calendar = martinique
    client.post(
        reverse("calendar_app:event-new"),
        event_form(
            calendar.id,
            summary="Réunion de bassin",
            time_zone="Europe/Paris",
            **on("2026-03-26", "09:00", "10:00"),
            repeat="WEEKLY",
            weekdays=["TH"],
            ends="count",
            count="2",
        ),
    )

    # 26 March: Paris is UTC+1 and Martinique UTC-4; on 2 April Paris is on summer time.
    # 04:00 is half-hour row 8 of the grid, 03:00 row 6; one hour is 2 rows.
    march = week_event(client, "2026-03-26", "Réunion de bassin")
    april = week_event(client, "2026-04-02", "Réunion de bassin")
    assert march == ("r8 s2", "2026-03-26T04:00:00-04:00", "04:00")
    assert april == ("r6 s2", "2026-04-02T03:00:00-04:00", "03:00")
    # the event itself keeps the zone it was written in
    with dav.session_for(user.mail_account) as session:
        stored = session.get_event(calendar.id, stored_uid(user, calendar.id, "Réunion de bassin"))
    assert b"DTSTART;TZID=Europe/Paris:20260326T090000" in stored.data


def test_a_new_event_starts_in_the_users_zone(martinique):
    _user, client, _calendar = martinique

    page = client.get(reverse("calendar_app:event-new")).content.decode()

    assert re.search(r'<option value="America/Martinique"[^>]* selected>', page)


def test_the_reminder_mail_gives_the_time_in_the_users_zone(martinique):
    user, client, calendar = martinique
    start = soon(10)  # Paris time; a 15-minute reminder rang 5 minutes ago

    client.post(
        reverse("calendar_app:event-new"),
        reminder_form(calendar.id, "Conseil 3e B", start) | {"time_zone": "Europe/Paris"},
    )

    wait_for(lambda: reminder_of(user, "Conseil 3e B") is not None)
    tasks.send_due_reminders()
    [mail] = wait_for_reminder_mail(user, "Conseil 3e B")
    assert start.astimezone(MARTINIQUE).strftime("%H:%M") in mail.subject
    assert start.strftime("%H:%M") not in mail.subject


def test_an_invitation_from_paris_shows_martinique_time_on_the_card(martinique, make_account):
    lea, lea_client, _calendar = martinique
    jean = make_account(username="jean.dupont", first_name="Jean", last_name="Dupont")
    jean_client = Client()
    jean_client.force_login(jean)
    with dav.session_for(jean.mail_account) as session:
        jean_calendar = session.create_calendar("Personal", color="#1a56a8")

    # 17:00–18:30 in Paris on 10 March 2026 (UTC+1) is 12:00–13:30 in Martinique.
    invite(jean_client, jean_calendar, f"Léa Joseph <{lea.mail_address}>")
    uid, _message = wait_for_subject(lea, "Invitation: Conseil de classe 3e B")

    assert "March 10, 2026, noon – 1:30 p.m." in open_message(lea_client, uid)
