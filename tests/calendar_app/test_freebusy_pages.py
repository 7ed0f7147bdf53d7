"""The attendees' free/busy beside the event form, from the calendars they shared with
the organiser only, against the real Radicale."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from calendar_app import events, sharing
from calendar_app.services import dav

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def at(hour):
    return dt.datetime(2026, 3, 10, hour, tzinfo=PARIS)


@pytest.fixture
def colleague(make_account, account):
    """Marie: her school calendar shared read-only with Jean, her own one not shared."""
    marie = make_account(first_name="Marie", last_name="Martin")
    with dav.session_for(marie.mail_account) as session:
        school = session.create_calendar("Collège")
        own = session.create_calendar("Perso")
        seeded = [
            (school, "Réunion secrète", at(10), at(11), True),
            (school, "Permanence", at(14), at(15), False),
            (own, "Dentiste", at(16), at(17), True),
        ]
        for number, (calendar, summary, start, end, busy) in enumerate(seeded):
            fields = events.EventFields(summary=summary, start=start, end=end, busy=busy)
            uid = f"fb-{number}"
            session.create_event(calendar.id, uid, events.new_event(fields, uid, NOW))
    sharing.share_calendar(marie, school.id, account, writable=False)
    return marie


def test_attendees_busy_times_come_only_from_shared_calendars(
    logged_in_client, colleague, make_account
):
    paul = make_account(first_name="Paul", last_name="Durand")
    attendees = ", ".join(
        [
            f'"Marie" <{colleague.mail_address}>',
            paul.mail_address,
            "someone@outside.fr",
            "not an address",
            "ghost@example.org",
        ]
    )

    answer = logged_in_client.get(
        reverse("calendar_app:colleagues-busy"),
        {"start_date": "2026-03-10", "attendees": attendees},
    ).content.decode()

    assert "Marie Martin" in answer
    assert "10:00</time>–<time" in answer
    assert "11:00" in answer
    assert "14:00" not in answer  # marked free
    assert "16:00" not in answer  # in a calendar she did not share
    assert "Réunion secrète" not in answer  # times only, never what she does
    assert "Paul Durand" in answer
    assert "has shared no calendar with you" in answer
    assert "outside" not in answer
    assert "ghost" not in answer


def test_another_day_is_free(logged_in_client, colleague):
    answer = logged_in_client.get(
        reverse("calendar_app:colleagues-busy"),
        {"start_date": "2026-03-11", "attendees": colleague.mail_address},
    ).content.decode()

    assert "Marie Martin" in answer
    assert "free all day" in answer


def test_the_event_form_loads_the_attendees_availability(logged_in_client, personal_calendar):
    page = logged_in_client.get(reverse("calendar_app:event-new")).content.decode()

    assert "Availability of colleagues" in page
    assert reverse("calendar_app:colleagues-busy") in page
