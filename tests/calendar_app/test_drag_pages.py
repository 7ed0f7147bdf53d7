"""Drag to create and resize in the week grid, as the pages see it, against the real Radicale."""

import datetime as dt
import re

from django.urls import reverse

from calendar_app import events
from calendar_app.services import dav
from tests.calendar_app.calendar_helpers import (
    PARIS,
    view,
)


def resize(client, calendar_id, uid, end, occurrence=""):
    return client.post(
        reverse("calendar_app:event-resize", args=[calendar_id, uid]),
        {"end": end, "occurrence": occurrence},
    )


def stored_times(account, calendar_id, uid, key=""):
    with dav.session_for(account.mail_account) as session:
        stored = session.get_event(calendar_id, uid)
    fields = events.fields_of(stored.data, uid, key, PARIS)
    return fields.start, fields.end


def test_slots_dragged_over_open_the_form_with_their_time_range(
    logged_in_client, personal_calendar
):
    page = logged_in_client.get(
        reverse("calendar_app:event-new") + "?start=2026-03-10T14:00&end=2026-03-10T16:30"
    ).content.decode()

    assert re.search(r'name="start_time" value="14:00', page)
    assert re.search(r'name="end_time" value="16:30', page)
    assert page.count('value="2026-03-10"') == 2  # start and end dates


def test_a_range_that_ends_before_it_starts_gives_the_usual_hour(
    logged_in_client, personal_calendar
):
    page = logged_in_client.get(
        reverse("calendar_app:event-new") + "?start=2026-03-10T14:00&end=2026-03-10T13:00"
    ).content.decode()

    assert re.search(r'name="end_time" value="15:00', page)


def test_dragging_the_bottom_edge_changes_only_the_end(
    logged_in_client, account, personal_calendar, meeting_uid
):
    resized = resize(logged_in_client, personal_calendar.id, meeting_uid, "2026-03-10T19:30")

    assert resized.status_code == 204
    assert stored_times(account, personal_calendar.id, meeting_uid) == (
        dt.datetime(2026, 3, 10, 17, 0, tzinfo=PARIS),
        dt.datetime(2026, 3, 10, 19, 30, tzinfo=PARIS),
    )
    week = view(logged_in_client, "week", "2026-03-10").content.decode()
    assert "r34 s5" in week  # 17:00 to 19:30: five half-hours


def test_resizing_one_occurrence_leaves_the_series(
    logged_in_client, personal_calendar, daily_study
):
    uid, keys = daily_study

    assert (
        resize(logged_in_client, personal_calendar.id, uid, "2026-03-24T18:00", keys[1]).status_code
        == 204
    )

    agenda = view(logged_in_client, "agenda", "2026-03-23").content.decode()
    assert re.findall(r"(\d\d:\d\d–\d\d:\d\d)</span><a [^>]*>.*?Étude", agenda) == [
        "16:00–17:00",
        "16:00–18:00",
        "16:00–17:00",
    ]


def test_an_end_before_the_start_is_refused_and_nothing_changes(
    logged_in_client, account, personal_calendar, meeting_uid
):
    refused = resize(logged_in_client, personal_calendar.id, meeting_uid, "2026-03-10T16:30")

    assert refused.status_code == 422
    assert refused.content.decode() == "The event must end after it starts."
    assert stored_times(account, personal_calendar.id, meeting_uid)[1] == dt.datetime(
        2026, 3, 10, 18, 30, tzinfo=PARIS
    )


def test_a_resize_of_an_occurrence_that_no_longer_exists_is_not_found(
    logged_in_client, account, personal_calendar, meeting_uid
):
    gone = resize(
        logged_in_client, personal_calendar.id, meeting_uid, "2026-03-10T19:00", "20990101T000000Z"
    )

    assert gone.status_code == 404
    assert stored_times(account, personal_calendar.id, meeting_uid)[1] == dt.datetime(
        2026, 3, 10, 18, 30, tzinfo=PARIS
    )


def test_someone_elses_event_cannot_be_resized(
    client, make_account, personal_calendar, meeting_uid
):
    client.force_login(make_account())

    assert resize(client, personal_calendar.id, meeting_uid, "2026-03-10T19:00").status_code == 404
