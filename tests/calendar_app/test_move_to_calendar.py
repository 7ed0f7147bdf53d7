"""Moving an event to another of the user's calendars from the edit form, against the real
Radicale: the whole series moves, edits come along, and a failure never loses the event."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from calendar_app import events
from calendar_app.errors import EventChanged
from calendar_app.services import dav
from tests.calendar_app.calendar_helpers import (
    edit_url,
    event_form,
    form_etag,
    occurrence_keys,
    on,
)

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def school_calendar(account, personal_calendar):
    with dav.session_for(account.mail_account) as session:
        return session.create_calendar("Collège", color="#2e7d32")


def summaries_in(account, calendar):
    with dav.session_for(account.mail_account) as session:
        start = dt.datetime(2026, 1, 1, tzinfo=PARIS)
        found = session.occurrences_between(
            [calendar], start, start + dt.timedelta(days=365), PARIS
        )
    return sorted({o.summary for o in found})


def opened(client, calendar_id, uid, occurrence=""):
    return form_etag(client.get(edit_url(calendar_id, uid, occurrence)).content.decode())


def test_the_form_moves_the_event_with_its_edits_to_the_chosen_calendar(
    logged_in_client, account, personal_calendar, school_calendar, meeting_uid
):
    page = logged_in_client.get(edit_url(personal_calendar.id, meeting_uid)).content.decode()
    assert "Collège" in page  # the calendar can be chosen

    moved = logged_in_client.post(
        edit_url(personal_calendar.id, meeting_uid),
        event_form(
            school_calendar.id,
            summary="Conseil de classe 3e C",
            etag=opened(logged_in_client, personal_calendar.id, meeting_uid),
        ),
    )

    assert moved.status_code == 302
    assert summaries_in(account, personal_calendar) == []
    assert summaries_in(account, school_calendar) == ["Conseil de classe 3e C"]


def test_a_series_moves_whole_and_one_occurrence_cannot_move_alone(
    logged_in_client, account, personal_calendar, school_calendar, daily_study
):
    uid, key = daily_study.uid, daily_study.keys[1]
    series = event_form(
        school_calendar.id,
        summary="Étude",
        **on("2026-03-24", "16:00", "17:00"),
        repeat="DAILY",
        ends="count",
        count="3",
        occurrence=key,
        etag=opened(logged_in_client, personal_calendar.id, uid, key),
    )

    refused = logged_in_client.post(edit_url(personal_calendar.id, uid), series | {"scope": "one"})
    assert refused.status_code == 422
    assert "Another calendar takes the whole series" in refused.content.decode()
    assert summaries_in(account, school_calendar) == []

    moved = logged_in_client.post(edit_url(personal_calendar.id, uid), series | {"scope": "all"})
    assert moved.status_code == 302
    assert summaries_in(account, personal_calendar) == []
    assert len(occurrence_keys(logged_in_client, "2026-03-23")) == 3


def test_a_change_made_elsewhere_stops_the_move_and_keeps_the_event_where_it_was(
    logged_in_client, account, personal_calendar, school_calendar, meeting_uid
):
    etag = opened(logged_in_client, personal_calendar.id, meeting_uid)
    with dav.session_for(account.mail_account) as session:  # a phone edits it meanwhile
        stored = session.get_event(personal_calendar.id, meeting_uid)
        session.save_event(stored, stored.data.replace(b"Salle 204", b"Salle 101"))

    response = logged_in_client.post(
        edit_url(personal_calendar.id, meeting_uid), event_form(school_calendar.id, etag=etag)
    )

    assert response.status_code == 409
    assert summaries_in(account, personal_calendar) == ["Conseil de classe 3e B"]
    assert summaries_in(account, school_calendar) == []


def test_when_the_delete_fails_the_copy_is_removed_and_the_original_stays(
    account, personal_calendar, school_calendar
):
    with dav.session_for(account.mail_account) as session:
        start = dt.datetime(2026, 3, 10, 17, tzinfo=PARIS)
        fields = events.EventFields(
            summary="Réunion", start=start, end=start + dt.timedelta(hours=1)
        )
        session.create_event(
            personal_calendar.id, "m@webmail", events.new_event(fields, "m@webmail", start)
        )
        read = session.get_event(personal_calendar.id, "m@webmail")
        current = session.get_event(personal_calendar.id, "m@webmail")
        session.save_event(current, current.data.replace(b"SUMMARY:R", b"SUMMARY:Nouvelle r"))

        with pytest.raises(EventChanged):
            session.move_event(read, school_calendar.id)  # `read` is out of date: 412

    assert summaries_in(account, personal_calendar) == ["Nouvelle réunion"]
    assert summaries_in(account, school_calendar) == []


def test_a_calendar_of_someone_else_is_not_a_target(
    logged_in_client, account, make_account, personal_calendar, meeting_uid
):
    other = make_account()
    with dav.session_for(other.mail_account) as session:
        theirs = session.create_calendar("Autre", color="#2e7d32")

    response = logged_in_client.post(
        edit_url(personal_calendar.id, meeting_uid),
        event_form(theirs.id, etag=opened(logged_in_client, personal_calendar.id, meeting_uid)),
    )

    assert response.status_code == 422
    assert summaries_in(account, personal_calendar) == ["Conseil de classe 3e B"]
