"""The calendar pages against the real Radicale: views, the event form, exceptions, conflicts."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from calendar_app import events
from calendar_app.services import dav
from tests.calendar_app.calendar_helpers import (
    PARIS,
    edit_url,
    event_form,
    form_etag,
    occurrence_keys,
    on,
    stored_uid,
    view,
)


def test_the_calendar_link_opens_this_months_view_with_a_personal_calendar(logged_in_client):
    response = logged_in_client.get(reverse("calendar_app:home"), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[0][0].startswith("/calendar/month/")
    page = response.content.decode()
    assert "Personal" in page
    assert 'aria-current="page"' in page


def test_create_from_a_slot_then_see_it_in_month_week_and_agenda(
    logged_in_client, personal_calendar
):
    prefilled = logged_in_client.get(
        reverse("calendar_app:event-new") + "?start=2026-03-10T17:00"
    ).content.decode()
    assert 'value="2026-03-10"' in prefilled
    assert 'value="17:00' in prefilled

    created = logged_in_client.post(
        reverse("calendar_app:event-new"), event_form(personal_calendar.id)
    )

    assert created.status_code == 302
    for name in ("month", "week", "day", "agenda"):
        page = view(logged_in_client, name, "2026-03-10").content.decode()
        assert "Conseil de classe 3e B" in page, name
        assert "17:00" in page, name
    week = view(logged_in_client, "week", "2026-03-10").content.decode()
    assert "r34 s3" in week  # 17:00 is half-hour row 34; 90 minutes are 3 rows


def test_edit_and_move_an_event_with_the_form(logged_in_client, personal_calendar, meeting_uid):
    form_page = logged_in_client.get(edit_url(personal_calendar.id, meeting_uid)).content.decode()
    etag = form_etag(form_page)

    moved = logged_in_client.post(
        edit_url(personal_calendar.id, meeting_uid),
        event_form(personal_calendar.id, start_date="2026-03-12", end_date="2026-03-12", etag=etag),
    )

    assert moved.status_code == 302
    assert (
        "Conseil de classe 3e B" not in view(logged_in_client, "day", "2026-03-10").content.decode()
    )
    assert "Conseil de classe 3e B" in view(logged_in_client, "day", "2026-03-12").content.decode()


def test_a_change_made_elsewhere_gives_a_clear_message_and_keeps_the_typing(
    logged_in_client, account, personal_calendar, meeting_uid
):
    form_page = logged_in_client.get(edit_url(personal_calendar.id, meeting_uid)).content.decode()
    etag = form_etag(form_page)
    with dav.session_for(account.mail_account) as session:  # a phone edits it meanwhile
        stored = session.get_event(personal_calendar.id, meeting_uid)
        fields = events.fields_of(stored.data, meeting_uid, "", PARIS)
        phone = events.EventFields(
            summary="Changed on the phone", start=fields.start, end=fields.end
        )
        session.save_event(
            stored, events.update_event(stored.data, meeting_uid, phone, stored_now())
        )

    response = logged_in_client.post(
        edit_url(personal_calendar.id, meeting_uid),
        event_form(personal_calendar.id, summary="My careful edit", etag=etag),
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "This event was changed elsewhere since you opened it." in page
    assert 'value="My careful edit"' in page
    assert "Changed on the phone" in view(logged_in_client, "day", "2026-03-10").content.decode()


def stored_now():
    return dt.datetime.now(dt.UTC)


def test_bad_input_is_explained_and_kept(logged_in_client, personal_calendar):
    response = logged_in_client.post(
        reverse("calendar_app:event-new"),
        event_form(personal_calendar.id, end_time="16:00", description="Préparer les bulletins"),
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "The event must end after it starts." in page
    assert 'value="Conseil de classe 3e B"' in page
    assert "Préparer les bulletins" in page


def test_weekly_event_keeps_its_local_time_across_the_dst_change(
    logged_in_client, personal_calendar
):
    logged_in_client.post(
        reverse("calendar_app:event-new"),
        event_form(
            personal_calendar.id,
            summary="Réunion hebdo",
            **on("2026-03-19", "09:00", "10:00"),
            repeat="WEEKLY",
            weekdays=["TH"],
            ends="count",
            count="4",
        ),
    )

    agenda = view(logged_in_client, "agenda", "2026-03-16").content.decode()

    times = re.findall(r"(\d\d:\d\d)–\d\d:\d\d</span><a [^>]*>.*?Réunion hebdo", agenda)
    assert times == [
        "09:00",
        "09:00",
        "09:00",
        "09:00",
    ]  # 19 and 26 March (CET), 2 and 9 April (CEST)
    assert "2026-04-02T09:00:00+02:00" in agenda
    assert "2026-03-26T09:00:00+01:00" in agenda


def test_edit_one_occurrence_and_delete_another_through_the_pages(
    logged_in_client, account, personal_calendar
):
    logged_in_client.post(
        reverse("calendar_app:event-new"),
        event_form(
            personal_calendar.id,
            summary="Permanence",
            **on("2026-03-19", "09:00", "10:00"),
            repeat="WEEKLY",
            ends="until",
            until="2026-04-09",
        ),
    )
    uid = stored_uid(account, personal_calendar.id, "Permanence")
    agenda = view(logged_in_client, "agenda", "2026-03-16").content.decode()
    keys = re.findall(r"occurrence=(\d{8}T\d{6}Z)", agenda)
    assert len(keys) == 4
    form_page = logged_in_client.get(edit_url(personal_calendar.id, uid, keys[1])).content.decode()
    assert 'value="2026-03-26"' in form_page
    etag = form_etag(form_page)

    edited = logged_in_client.post(
        edit_url(personal_calendar.id, uid),
        event_form(
            personal_calendar.id,
            summary="Permanence (CDI)",
            **on("2026-03-26", "14:00", "15:00"),
            scope="one",
            occurrence=keys[1],
            etag=etag,
        ),
    )
    deleted = logged_in_client.post(
        reverse("calendar_app:event-delete", args=[personal_calendar.id, uid]),
        {"scope": "one", "occurrence": keys[2]},
    )

    assert (edited.status_code, deleted.status_code) == (302, 302)
    agenda = view(logged_in_client, "agenda", "2026-03-16").content.decode()
    assert re.findall(
        r"(\d\d/\d\d|\d\d:\d\d)–\d\d:\d\d</span><a [^>]*>.*?>(Permanence[^<]*)<", agenda
    ) == [
        ("09:00", "Permanence"),
        ("14:00", "Permanence (CDI)"),
        ("09:00", "Permanence"),
    ]
    assert "2026-04-02" not in re.findall(r'datetime="(\d{4}-\d\d-\d\d)', agenda)


def test_this_and_following_changes_the_rest_of_the_series(
    logged_in_client, account, personal_calendar
):
    logged_in_client.post(
        reverse("calendar_app:event-new"),
        event_form(
            personal_calendar.id,
            summary="Cours",
            **on("2026-03-16", "08:00", "09:00"),
            repeat="DAILY",
            ends="count",
            count="4",
        ),
    )
    uid = stored_uid(account, personal_calendar.id, "Cours")
    keys = occurrence_keys(logged_in_client, "2026-03-16")

    logged_in_client.post(
        edit_url(personal_calendar.id, uid),
        event_form(
            personal_calendar.id,
            summary="Cours (nouvelle salle)",
            **on("2026-03-18", "10:00", "11:00"),
            repeat="DAILY",
            ends="count",
            count="2",
            scope="following",
            occurrence=keys[2],
        ),
    )

    agenda = view(logged_in_client, "agenda", "2026-03-16").content.decode()
    assert re.findall(r"(\d\d:\d\d)–\d\d:\d\d</span><a [^>]*>.*?>(Cours[^<]*)<", agenda) == [
        ("08:00", "Cours"),
        ("08:00", "Cours"),
        ("10:00", "Cours (nouvelle salle)"),
        ("10:00", "Cours (nouvelle salle)"),
    ]


def test_a_hidden_calendar_hides_its_events(logged_in_client, personal_calendar):
    logged_in_client.post(reverse("calendar_app:event-new"), event_form(personal_calendar.id))

    logged_in_client.post(
        reverse("calendar_app:calendar-visibility", args=[personal_calendar.id]), {"hidden": "on"}
    )
    hidden = view(logged_in_client, "month", "2026-03-10").content.decode()
    logged_in_client.post(reverse("calendar_app:calendar-visibility", args=[personal_calendar.id]))
    shown = view(logged_in_client, "month", "2026-03-10").content.decode()

    assert "Conseil de classe 3e B" not in hidden
    assert "Conseil de classe 3e B" in shown


def test_someone_elses_calendar_and_events_are_not_found(
    client, make_account, account, personal_calendar
):
    intruder = make_account()
    client.force_login(intruder)

    assert client.get(edit_url(personal_calendar.id, "anything@webmail")).status_code == 404
    assert (
        client.post(reverse("calendar_app:event-new"), event_form(personal_calendar.id)).status_code
        == 422  # not one of the calendars offered
    )
    assert (
        client.post(
            reverse("calendar_app:calendar-visibility", args=[personal_calendar.id])
        ).status_code
        == 404
    )


@pytest.mark.parametrize(("language", "first_day"), [("fr", "lundi"), ("en", "Sunday")])
def test_the_week_starts_on_monday_in_french_and_sunday_in_english(
    logged_in_client, settings, language, first_day
):
    settings.LANGUAGE_CODE = language
    page = view(logged_in_client, "month", "2026-03-10").content.decode()
    first_header = re.search(r'<th scope="col"><abbr title="([^"]+)"', page).group(1)
    assert first_header == first_day


def test_moving_one_occurrence_by_drag_and_drop_leaves_the_series(
    logged_in_client, personal_calendar, daily_study
):
    uid, keys = daily_study

    moved = logged_in_client.post(
        reverse("calendar_app:event-move", args=[personal_calendar.id, uid]),
        {"start": "2026-03-24T10:30", "occurrence": keys[1]},
    )

    assert moved.status_code == 204
    agenda = view(logged_in_client, "agenda", "2026-03-23").content.decode()
    assert re.findall(r"(\d\d:\d\d–\d\d:\d\d)</span><a [^>]*>.*?Étude", agenda) == [
        "16:00–17:00",
        "10:30–11:30",
        "16:00–17:00",
    ]
