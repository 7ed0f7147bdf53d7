from typing import NamedTuple

import pytest
from django.urls import reverse

from calendar_app.services import dav
from tests.calendar_app.calendar_helpers import event_form, occurrence_keys, on, stored_uid


@pytest.fixture(autouse=True)
def english_pages(settings):
    """These tests check the wording of pages and errors in English, the source language."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def personal_calendar(account):
    """The account's first calendar, created on the real Radicale."""
    with dav.session_for(account.mail_account) as session:
        return session.create_calendar("Personal", color="#1a56a8")


class StoredSeries(NamedTuple):
    uid: str
    keys: list[str]  # the recurrence keys of its occurrences, in order


@pytest.fixture
def meeting_uid(logged_in_client, account, personal_calendar):
    """The UID of "Conseil de classe 3e B" (10 March 2026, 17:00-18:30 in Paris), created
    in the personal calendar with the event form."""
    logged_in_client.post(reverse("calendar_app:event-new"), event_form(personal_calendar.id))
    return stored_uid(account, personal_calendar.id, "Conseil de classe 3e B")


@pytest.fixture
def daily_study(logged_in_client, account, personal_calendar) -> StoredSeries:
    """ "Étude" from 16:00 to 17:00 every day, three times from Monday 23 March 2026,
    created in the personal calendar with the event form."""
    logged_in_client.post(
        reverse("calendar_app:event-new"),
        event_form(
            personal_calendar.id,
            summary="Étude",
            **on("2026-03-23", "16:00", "17:00"),
            repeat="DAILY",
            ends="count",
            count="3",
        ),
    )
    return StoredSeries(
        stored_uid(account, personal_calendar.id, "Étude"),
        occurrence_keys(logged_in_client, "2026-03-23"),
    )
