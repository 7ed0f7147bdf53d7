"""In a real browser: typing an attendee in the event form shows when that colleague is
busy on the event's day, from the calendar they shared; changing the day updates it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from calendar_app import events, sharing
from calendar_app.services import dav
from tests.browser.conftest import screenshot
from tests.browser.test_calendar_sharing_page import owner_and_colleague  # noqa: F401 - fixture

pytestmark = pytest.mark.browser
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


@pytest.fixture
def colleagues(owner_and_colleague):  # noqa: F811 - the imported fixture
    """Jean and Marie; Marie's calendar, with a meeting, shared read-only with Jean."""
    jean, marie = owner_and_colleague
    with dav.session_for(marie.mail_account) as session:
        school = session.create_calendar("Collège")
        start = dt.datetime(2026, 3, 10, 10, tzinfo=PARIS)
        fields = events.EventFields(summary="Réunion", start=start, end=start.replace(hour=11))
        session.create_event(school.id, "fb-1", events.new_event(fields, "fb-1", NOW))
    sharing.share_calendar(marie, school.id, jean, writable=False)
    return jean, marie


def test_the_event_form_shows_an_attendees_busy_times(signed_in_page, colleagues):
    page = signed_in_page("jean.dupont", "/calendar/events/new/?date=2026-03-10", width=360)
    page.wait_for_load_state("load")
    rows = page.locator("#freebusy-rows")
    expect(rows).to_contain_text("Add colleagues as attendees")

    attendees = page.get_by_role("textbox", name="Attendees")
    attendees.fill("marie.martin@example.org")
    attendees.press("Tab")  # leaving the field fires its change event
    expect(rows).to_contain_text("Marie Martin")
    expect(rows).to_contain_text("busy 10:00–11:00")
    expect(rows).not_to_contain_text("Réunion")
    screenshot(page, "calendar-freebusy-360")

    page.locator("#id_start_date").fill("2026-03-11")
    page.locator("#id_start_date").dispatch_event("change")
    expect(rows).to_contain_text("free all day")
    assert page.console_errors == []
