"""Inviting people from the event form in Chromium: the address suggestions of compose,
and the keyboard."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from addressbook.collected import record_recipients
from calendar_app import itip
from calendar_app.services import dav
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 360])
def test_jean_invites_marie_from_a_suggestion_and_paul_by_typing(
    signed_in_page, make_account, width
):
    jean = make_account(username="jean.dupont", first_name="Jean", last_name="Dupont")
    with dav.session_for(jean.mail_account) as session:
        session.delete_all_collections()  # Radicale keeps an earlier test's calendars
        calendar = session.create_calendar("Collège", color="#1a56a8")
    # jean wrote to marie before: compose's autocomplete offers her first.
    record_recipients(jean, [["Marie Martin", "marie.martin@example.org"]], timezone.now())

    page = signed_in_page(
        "jean.dupont", "/calendar/events/new/?start=2026-03-10T17:00", width=width
    )
    page.get_by_label("Title").fill("Conseil de classe 3e B")
    page.wait_for_load_state("load")
    search = page.get_by_label("Find a person to invite")
    search.press_sequentially("mar")
    suggestion = page.locator("#attendee-suggestions option")
    expect(suggestion).to_have_count(1)
    search.fill(suggestion.get_attribute("value"))  # what picking it in the list does
    search.press_sequentially("paul@ailleurs.example")
    search.press("Enter")

    attendees = page.get_by_label("Attendees", exact=True)
    expect(attendees).to_have_value(
        '"Marie Martin" <marie.martin@example.org>, paul@ailleurs.example'
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"event-form-attendees-{width}-en")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/calendar/week/**")

    with dav.session_for(jean.mail_account) as session:
        start = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
        (event,) = session.occurrences_between(
            [calendar], start, start + dt.timedelta(days=30), dt.UTC
        )
        stored = session.get_event(calendar.id, event.uid)
    people = itip.attendees_in(stored.data, event.uid)
    assert [(a.address, a.name) for a in people] == [
        ("marie.martin@example.org", "Marie Martin"),
        ("paul@ailleurs.example", ""),
    ]
    assert itip.organizer_in(stored.data, event.uid).address == jean.mail_address
    assert page.console_errors == []
